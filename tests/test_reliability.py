"""Reliability across every command: the bad-input matrix, odd but valid inputs, nothing lost, nothing leaked.

The bad inputs are those of test_bad_input.py (built there), here put in every role of every command: the one
document of `normalize`, the witness of `diff`/`check`/`review`/`trace`/`collate`, the base of `diff`/`scan`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from jiaokan.atomic import write_atomic

from .cli import run
from .test_bad_input import CASES, GOOD_TEXT, SAMPLES, assert_one_line_error

# (command, arguments before, after) with BAD standing for the bad document and GOOD for a good one
ROLES = {
    "normalize": ("normalize", "BAD"),
    "diff-witness": ("diff", "GOOD", "BAD"),
    "diff-base": ("diff", "BAD", "GOOD"),
    "check-witness": ("check", "GOOD", "BAD"),
    "review-witness": ("review", "GOOD", "BAD", "-o", "review.html"),
    "trace-derived": ("trace", "GOOD", "BAD"),
    "collate-copy": ("collate", "GOOD", "BAD"),
    "scan-base": ("scan", "BAD", "GOOD"),
}
FOLDERS_ALLOWED = {"check-witness", "review-witness", "collate-copy"}  # a folder is a corpus there, not an error


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("name", [n for n in CASES if n != "unknown rule"])
def test_every_command_refuses_bad_input_in_one_line(name: str, role: str, tmp_path: Path) -> None:
    case = CASES[name]
    case.make(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    args = [case.arg if a == "BAD" else "good.txt" if a == "GOOD" else a for a in ROLES[role]]
    done = run(args, cwd=tmp_path)
    says = case.says
    if name == "a directory" and role in FOLDERS_ALLOWED:
        says = ("公文", "no documents in this folder")
    if role == "check-witness":  # the gate still reports the other witnesses on stdout; the error is one line on stderr
        err = done.err_bytes.decode("utf-8", "replace")
        assert done.code == 2 and "Traceback" not in err
        (line,) = err.splitlines()
        assert line.startswith("jiaokan: error: ") and all(s in line for s in says), line
        assert "! ERROR" in done.out
    else:
        assert_one_line_error(done, *says)
    assert not (tmp_path / "review.html").exists()  # no half-made report


@pytest.mark.parametrize("role", list(ROLES))
def test_unknown_rule_everywhere(role: str, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "other.txt").write_text(GOOD_TEXT.replace("加强", "强化"), encoding="utf-8")
    args = ["other.txt" if a == "BAD" else "good.txt" if a == "GOOD" else a for a in ROLES[role]]
    assert_one_line_error(run([*args, "--rules", "nope"], cwd=tmp_path), "unknown normalization rule 'nope'")


@pytest.mark.parametrize("role", list(ROLES))
def test_huge_file_refused_without_reading_it(role: str, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:  # 200 MB, sparse: nothing is written, and nothing may be read
        fh.truncate(200 * 1024 * 1024)
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    args = ["huge.txt" if a == "BAD" else "good.txt" if a == "GOOD" else a for a in ROLES[role]]
    done = run(args, cwd=tmp_path)
    if role == "check-witness":
        assert done.code == 2 and "too large" in done.err
    else:
        assert_one_line_error(done, "huge.txt", "too large", "JIAOKAN_MAX_BYTES")


# ---------------------------------------------------------------- odd but valid inputs: the right result


def odd_inputs(d: Path) -> dict[str, Path]:
    text = GOOD_TEXT + "各地区各部门要抓好贯彻落实，确保各项任务落到实处。\n"
    files = {
        "ext-b": text.replace("加强数字政府建设是", "加强数字𠀀𠀁政府建设是", 1),  # CJK Extension B, outside the BMP
        "crlf": text.replace("\n", "\r\n"),
        "cr": text.replace("\n", "\r"),
        "deep-html": "<div>" * 100_000 + "<p>" + text.replace("\n", "</p><p>") + "</p>" + "</div>" * 100_000,
        "identical": text,
        "unrelated": "今天天气晴朗，气温适宜，适合外出散步。\n\n公园里的花开得正好，游人如织。\n",
    }
    out = {}
    for name, content in files.items():
        path = d / (f"{name}.html" if name == "deep-html" else f"{name}.txt")
        path.write_text(content, encoding="utf-8")
        out[name] = path
    return out


@pytest.mark.parametrize("name, findings", [("ext-b", 1), ("crlf", 0), ("cr", 0), ("deep-html", 0), ("identical", 0), ("unrelated", 1)])
def test_odd_but_valid_inputs(name: str, findings: int, tmp_path: Path) -> None:
    files = odd_inputs(tmp_path)
    base = tmp_path / "base.txt"
    base.write_text(GOOD_TEXT + "各地区各部门要抓好贯彻落实，确保各项任务落到实处。\n", encoding="utf-8")
    done = run(["diff", "base.txt", files[name].name, "--format", "json"], cwd=tmp_path)
    assert done.code == findings, done.err
    data = json.loads(done.out_bytes)
    text = files[name].read_text(encoding="utf-8")
    for f in data["findings"]:  # offsets are code points into the original, also past U+FFFF
        w = f["witness"]
        assert text[w["start"]:w["end"]] == w["text"]
    if name == "ext-b":
        (f,) = [f for f in data["findings"] if f["severity"] == "substantive"]
        assert f["code"] == "wording-insertion" and f["witness"]["text"] == "𠀀𠀁" and f["witness"]["column"] == 5
    for command in (["normalize", files[name].name], ["trace", "base.txt", files[name].name], ["review", "base.txt", files[name].name, "-o", "r.html"]):
        done = run(command, cwd=tmp_path)
        assert done.code in (0, 1) and b"Traceback" not in done.err_bytes, done.err


# ---------------------------------------------------------------- nothing lost, nothing leaked


def test_no_command_modifies_its_inputs_or_leaves_files(tmp_path: Path) -> None:
    for name in ("directive-vendor-reprint-001.txt", "directive-county-forward-002.txt", "xinhua-summary-000.txt"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    a, b, c = sorted(before)[1], sorted(before)[0], sorted(before)[2]
    for args in (["normalize", a], ["diff", a, b], ["check", a, b, c], ["review", a, b, c], ["trace", a, c], ["collate", a, b, c], ["scan", a, "."]):
        done = run(args, cwd=tmp_path)
        assert done.code in (0, 1), (args, done.err)
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("the old report", encoding="utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "the new report, half written")
    assert target.read_text(encoding="utf-8") == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind


def test_paths_are_shown_as_given(tmp_path: Path) -> None:
    sub = tmp_path / "站点"
    sub.mkdir()
    (sub / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (sub / "b.txt").write_text(GOOD_TEXT.replace("加强", "强化"), encoding="utf-8")
    for args in (["diff", "站点/a.txt", "站点/b.txt", "-f", "json"], ["check", "站点/a.txt", "站点/b.txt", "-f", "json"],
                 ["check", "站点/a.txt", "站点/b.txt", "-f", "sarif"], ["trace", "站点/a.txt", "站点/b.txt", "-f", "json"],
                 ["review", "站点/a.txt", "站点/b.txt"], ["collate", "站点/a.txt", "站点/b.txt", "-f", "json"], ["scan", "站点/a.txt", "站点"]):
        out = run(args, cwd=tmp_path).out
        assert "站点/b.txt" in out or "%E7%AB%99%E7%82%B9/b.txt" in out, args
        assert str(tmp_path) not in out, args  # no absolute paths, nothing about other files


def test_same_inputs_same_bytes(tmp_path: Path) -> None:
    a, b, c = (str(SAMPLES / n) for n in ("directive-vendor-reprint-001.txt", "directive-county-forward-002.txt", "xinhua-summary-000.txt"))
    for args in (["diff", a, b, "-f", "json"], ["diff", a, b], ["diff", a, b, "-f", "html"], ["check", a, b, c, "-f", "sarif"],
                 ["trace", a, c, "-f", "json"], ["trace", a, c, "-f", "html"], ["collate", a, b, c, "-f", "json"], ["scan", a, b, c]):
        first, second = run(args, cwd=tmp_path), run(args, cwd=tmp_path)
        assert first.out_bytes == second.out_bytes and first.out_bytes, args
