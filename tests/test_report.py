"""Golden text reports (as black's tests/data/cases): one parametrized test over ``tests/data/cases/report/*.case``.

A case file is comment lines, then ``--- output`` and the expected stdout::

    # args: diff samples/a.txt samples/b.txt --stat
    # exit: 1
    --- output
    jiaokan diff  base …

The arguments go through the CLI's entry point (``tests.cli.run``, in process), run from the repository's
root, at a fixed width (``# width:``, default 100) with no colour.  ``JIAOKAN_REGEN=1 pytest tests/test_report.py``
rewrites every case's output and exit code from what the CLI prints now (review the diff before committing).
"""

from __future__ import annotations

import dataclasses
import os
import shlex
from pathlib import Path

import pytest
from rich.cells import cell_len

from jiaokan import render
from jiaokan.diff import Summary, diff_files
from jiaokan.findings import Finding, Parts, Span

from .cli import run
from .conftest import CASES, COUNTY_002, ROOT, VENDOR_001

REPORT_CASES = sorted((CASES / "report").glob("*.case"))


def read_case(path: Path) -> tuple[dict[str, str], str]:
    head, _, expected = path.read_text(encoding="utf-8").partition("--- output\n")
    options = {}
    for line in head.splitlines():
        if line.startswith("# ") and ":" in line:
            key, _, value = line[2:].partition(":")
            options[key.strip()] = value.strip()
    return options, expected


def plain(width: int) -> dict[str, str]:
    """The environment of a report at a fixed width with no colour."""
    return {"COLUMNS": str(width), "NO_COLOR": "1", "FORCE_COLOR": "", "TERM": "dumb"}


@pytest.mark.parametrize("path", REPORT_CASES, ids=[p.stem for p in REPORT_CASES])
def test_report_case(path: Path) -> None:
    options, expected = read_case(path)
    done = run(shlex.split(options["args"]), cwd=ROOT, env=plain(int(options.get("width", "100"))))
    code, out = done.code, done.out
    if os.environ.get("JIAOKAN_REGEN"):
        head = "".join(f"# {k}: {v}\n" for k, v in {**options, "exit": str(code)}.items())
        path.write_text(head + "--- output\n" + out, encoding="utf-8")
        return
    assert out == expected
    assert code == int(options.get("exit", "0"))


def test_there_are_report_cases() -> None:
    assert len(REPORT_CASES) >= 3


# ---------------------------------------------------------------- what a reader sees, on made findings

def _sample():  # type: ignore[no-untyped-def]
    return diff_files(str(VENDOR_001), str(COUNTY_002)).light()


def _span(line: int, text: str = "", column: int = 1) -> Span:
    return Span(0, len(text), line, column, text)


def _finding(code: str, severity: str, base: str, witness: str, line: int, message: str = "", **kw: object) -> Finding:
    return Finding(code, severity, _span(line, base), _span(line + 2, witness), message or f"{base}→{witness}",
                   base_norm=base, witness_norm=witness, **kw)  # type: ignore[arg-type]


def _report(findings: list[Finding], width: int = 100, **kw: object) -> str:
    result = _sample()
    summary = Summary(sum(f.severity == "substantive" for f in findings), 0, sum(f.severity == "framing" for f in findings),
                      {f.code: 1 for f in findings}, structural=sum(f.severity == "structural" for f in findings))
    return render.diff_text(dataclasses.replace(result, findings=findings, summary=summary), width=width, **kw)  # type: ignore[arg-type]


def test_a_group_is_shown_once_with_its_places_clipped() -> None:
    places = tuple(_finding("wording-substitution", "substantive", "交通主管部门", "交通运输主管部门", 10 + k, context=f"第{k + 1}条")
                   for k in range(40))
    group = dataclasses.replace(places[0], message="交通主管部门→交通运输主管部门, the same in 40 places", parts=places, parts_kind=Parts.PLACES)
    out = _report([group])
    assert out.count("wording-substitution  substantive  ×40") == 1
    assert "×40" in out and "the same in 40 places" in out
    assert "places (base line:column): 10:1 第1条, 11:1 第2条" in out and "… and 32 more" in out
    assert out.count("[-交通主管部门-]{+交通运输主管部门+}") == 1


def test_a_renumbering_run_is_one_line_with_its_label_count() -> None:
    labels = tuple(_finding("number-change", "structural", f"第{69 + k}条", f"第{68 + k}条", 50 + k) for k in range(15))
    run = Finding("renumbering", "structural", labels[0].base, labels[0].witness, "第六十九条至第八十三条依次改为第六十八条至第八十二条",
                  parts=labels, parts_kind=Parts.PLACES)
    out = _report([run])
    assert "renumbering  structural  ×15" in out
    assert "  第六十九条至第八十三条依次改为第六十八条至第八十二条\n" in out
    assert "第[-69" not in out  # the labels are not listed one by one as changes


def test_a_move_lists_its_edits_indented_under_it() -> None:
    edit = _finding("wording-substitution", "substantive", "规定", "批准", 30)
    move = Finding("paragraph-move", "substantive", _span(5, "第五条 ……"), _span(40, "第十条 ……"), "第五条 moved to 第十条 (edited)",
                   parts=(edit,), parts_kind=Parts.EDITS)
    out = _report([move])
    assert "paragraph-move  substantive" in out and "1 edit inside:" in out
    assert "\n    wording-substitution  substantive  base 30:1  witness 32:1\n      [-规定-]{+批准+}\n" in out


def test_a_unit_lists_its_paragraphs_by_their_first_characters() -> None:
    paras = tuple(_finding("paragraph-omission", "substantive", f"第{k}款" + "很长的文字" * 40, "", 20 + k) for k in range(3))
    unit = Finding("paragraph-omission", "substantive", paras[0].base, paras[0].witness, "第二十条 (3 paragraphs) missing",
                   base_norm="".join(p.base_norm for p in paras), parts=paras, parts_kind=Parts.PARAGRAPHS)
    out = _report([unit], width=80)
    assert "  3 paragraphs:\n    20:1  第0款很长的文字" in out
    assert max(len(line) for line in out.splitlines()) < 400  # 600 characters omitted are not printed whole
    assert "字)-]" in out  # the word diff says how much it left out


def test_sections_put_substantive_first_and_framing_last() -> None:
    framing = _finding("framing", "framing", "", "转发通知", 1)
    run = Finding("renumbering", "structural", _span(50, "第69条"), _span(52, "第68条"), "第六十九条依次改为第六十八条")
    change = _finding("wording-substitution", "substantive", "规定", "批准", 30)
    out = _report([framing, run, change])
    assert out.index("── substantive (1)") < out.index("── renumbering and structure (1)") < out.index("── framing (1)")


def test_long_texts_are_clipped_with_the_count_left_out() -> None:
    assert render.clip("字" * 1500, 80).endswith("…(+1,466 字)")
    assert render.clip("短", 80) == "短"


def test_plurals() -> None:
    assert render.plural(1, "witness") == "1 witness" and render.plural(2, "witness") == "2 witnesses"
    assert render.plural(1, "document") == "1 document" and render.plural(1_240, "finding") == "1,240 findings"


def test_an_80_column_terminal_does_not_wrap_the_summary() -> None:
    done = run(["diff", "--stat", str(VENDOR_001), str(COUNTY_002)], cwd=ROOT, env=plain(80))
    code, out = done.code, done.out
    lines = out.splitlines()
    table = lines[lines.index(next(x for x in lines if x.split() == ["code", "severity", "count"])):]
    assert code == 1 and all(cell_len(line) <= 80 for line in lines)  # the title too: long paths go one a line
    assert all(len(line.split()) == 3 for line in table)


def test_quiet_is_the_verdict_line_and_the_exit_code_stays() -> None:
    done = run(["diff", "-q", str(VENDOR_001), str(COUNTY_002)], cwd=ROOT, env=plain(100))
    code, out = done.code, done.out
    s = diff_files(str(VENDOR_001), str(COUNTY_002)).summary
    assert code == 1 and out == f"jiaokan diff: DRIFT — 6 substantive findings (0 structural, {s.cosmetic:,} cosmetic, 4 framing)\n"
    done = run(["diff", "-q", str(VENDOR_001), str(VENDOR_001)], cwd=ROOT, env=plain(100))
    code, out = done.code, done.out
    assert code == 0 and out.startswith("jiaokan diff: SAME — 0 substantive findings")
    done = run(["check", "-q", str(VENDOR_001), str(COUNTY_002)], cwd=ROOT, env=plain(100))
    code, out = done.code, done.out
    assert code == 1 and out == "jiaokan check: FAIL — 1 witness, 1 with new findings at or above 'substantive', 0 unreadable\n"


def test_width_follows_columns_and_colour_is_forced_or_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from jiaokan import cli

    monkeypatch.delenv("COLUMNS", raising=False)
    assert cli.report_width() == cli.PIPED_WIDTH  # the CLI's own choice, tested where it is made
    monkeypatch.setenv("COLUMNS", "72")
    assert cli.report_width() == 72
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli.use_color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli.use_color()


# ---------------------------------------------------------------- SARIF: a group or a run is one result

def test_sarif_shows_a_group_as_one_result_with_its_places() -> None:
    import json

    import jsonschema

    from jiaokan import render_ci
    from jiaokan.check import NEW, check
    from jiaokan.config import Settings
    from jiaokan.ingest import read_document

    gate = check(read_document(VENDOR_001), [str(COUNTY_002)], settings=Settings())
    w = gate.witnesses[0]
    assert w.result is not None
    first = w.result.substantive[1]
    places = tuple(dataclasses.replace(first, base=dataclasses.replace(first.base, line=first.base.line + k)) for k in range(3))
    group = dataclasses.replace(first, message="the same change in 3 places", parts=places, parts_kind=Parts.PLACES)
    labels = (first, first)
    run = Finding("renumbering", "structural", first.base, first.witness, "第一条至第二条依次改为第二条至第三条", parts=labels, parts_kind=Parts.PLACES)
    result = dataclasses.replace(w.result, findings=[group, run])
    gate = dataclasses.replace(gate, witnesses=(dataclasses.replace(w, result=result, statuses=(NEW, NEW), accepted_by=(None, None)),))
    log = json.loads(render_ci.sarif(gate))
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [first.code, "renumbering"]
    assert [r["level"] for r in results] == ["error", "note"]
    related = results[0]["relatedLocations"]
    assert [r["message"]["text"] for r in related] == ["the base text", "place 1 of 3", "place 1 of 3, in the base", "place 2 of 3",
                                                       "place 2 of 3, in the base", "place 3 of 3", "place 3 of 3, in the base"]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related[2::2]] == [first.base.line + k for k in range(3)]
    assert results[0]["properties"]["partsKind"] == "places" and results[0]["properties"]["parts"] == 3
