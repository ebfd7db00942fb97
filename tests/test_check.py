"""jiaokan check: the exit-code matrix, accepted variants, configuration, the CI formats."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from jiaokan import read_document, serialize
from jiaokan.check import check
from jiaokan.config import Settings

from .cli import COMMAND, process_environment, run, stderr_on_a_terminal
from .conftest import COUNTY_002, ROOT

OFFICIAL = COUNTY_002.read_text(encoding="utf-8")
DRIFT_FROM, DRIFT_TO = "构建全方位、多层次、一体化安全防护体系", "构建全方位、多层级、一体化安全防护体系"
OTHER_FROM, OTHER_TO = "数字政府建设专家委员会", "数字政府建设咨询委员会"
assert OFFICIAL.count(DRIFT_FROM) == 1 and OFFICIAL.count(OTHER_FROM) == 1


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A project: the official text and a site folder of republished copies."""
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    (tmp_path / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    pages = tmp_path / "site" / "news"
    pages.mkdir(parents=True)
    # the same text with half-width commas: cosmetic differences only
    (pages / "clean.txt").write_text(OFFICIAL.replace("，", ","), encoding="utf-8")
    return tmp_path


def drifted(site: Path, name: str = "drifted.txt", *, other: bool = False) -> Path:
    text = OFFICIAL.replace(DRIFT_FROM, DRIFT_TO)
    if other:
        text = text.replace(OTHER_FROM, OTHER_TO)
    path = site / "site" / "news" / name
    path.write_text(text, encoding="utf-8")
    return path


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("jiaokan: error: ") and "Traceback" not in stderr
    return lines[0]


# ---------------------------------------------------------------- the exit-code matrix


def test_clean_witness_passes(site: Path) -> None:
    r = run(["check", "official.txt", "site/news/clean.txt"], cwd=site)
    assert r.code == 0, r.out + r.err
    assert "✓ PASS" in r.out and "0 new" in r.out
    assert r.err == ""  # not a terminal: no progress bar


def test_drifted_witness_fails_and_points_at_both_originals(site: Path) -> None:
    drifted(site)
    r = run(["check", "official.txt", "site/**/*.txt"], cwd=site)
    assert r.code == 1
    line = OFFICIAL[: OFFICIAL.index(DRIFT_FROM)].count("\n") + 1
    col = OFFICIAL.index(DRIFT_FROM) - OFFICIAL.rfind("\n", 0, OFFICIAL.index(DRIFT_FROM)) + len("构建全方位、")
    assert f"site/news/drifted.txt:{line}:{col}" in r.out
    assert f"official.txt:{line}:{col}" in r.out
    assert "[-多层次-]{+多层级+}" in r.out
    # one block per witness, then the table of witnesses x counts
    assert re.search(r"✓ PASS\s+0\s+0\s+\d+\s+0\s+0\s+0\s+site/news/clean\.txt", r.out)
    assert re.search(r"✗ FAIL\s+1\s+0\s+0\s+0\s+0\s+1\s+site/news/drifted\.txt", r.out)


def test_accepted_drift_passes_and_survives_an_edit_elsewhere(site: Path) -> None:
    drifted(site)
    r = run(["check", "official.txt", "site/news", "--write-baseline", "jiaokan-accepted.toml"], cwd=site)
    assert r.code == 0, r.out + r.err
    assert "wrote 1 accepted variant to jiaokan-accepted.toml" in r.err
    baseline = (site / "jiaokan-accepted.toml").read_text(encoding="utf-8")
    assert 'file = "site/news/drifted.txt"' in baseline and 'reason = ""' in baseline
    # found by default beside the project root, and matched
    r = run(["check", "official.txt", "site/news"], cwd=site)
    assert r.code == 0 and "1 accepted" in r.out
    # a new drift elsewhere shifts every offset after it; only the new one fails
    page = site / "site" / "news" / "drifted.txt"
    page.write_text("前言一段。\n\n" + page.read_text(encoding="utf-8").replace(OTHER_FROM, OTHER_TO), encoding="utf-8")
    r = run(["check", "official.txt", "site/news"], cwd=site)
    assert r.code == 1
    assert "1 accepted" in r.out and "[-专家-]{+咨询+}" in r.out and "[-多层次-]" not in r.out


def test_stale_entry_is_reported_with_its_line(site: Path) -> None:
    drifted(site)
    run(["check", "official.txt", "site/news", "--write-baseline", "jiaokan-accepted.toml"], cwd=site)
    drifted(site).write_text(OFFICIAL, encoding="utf-8")  # the page was corrected
    r = run(["check", "official.txt", "site/news"], cwd=site)
    assert r.code == 0
    assert "1 stale accepted variant " in r.out
    header = (site / "jiaokan-accepted.toml").read_text(encoding="utf-8").splitlines().index("[[accepted]]") + 1
    assert f"jiaokan-accepted.toml:{header}  site/news/drifted.txt  wording-substitution" in r.out


def test_unreadable_witness_among_good_ones(site: Path) -> None:
    drifted(site)
    (site / "site" / "news" / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff" * 50)
    r = run(["check", "official.txt", "site/news/clean.txt", "site/news/broken.txt", "site/news/drifted.txt"], cwd=site)
    assert r.code == 2
    assert "broken.txt" in one_error_line(r.err)
    # the other witnesses are still checked and reported
    assert re.search(r"✓ PASS [\s\d]+site/news/clean\.txt", r.out)  # the table: status, counts, path
    assert re.search(r"✗ FAIL [\s\d]+site/news/drifted\.txt", r.out)
    assert re.search(r"! ERROR[\s-]+site/news/broken\.txt", r.out)


@pytest.mark.parametrize(
    "args",
    [
        ["check", "official.txt", "site/news/clean.txt", "--fail-on", "sometimes"],
        ["check", "official.txt", "site/news/clean.txt", "--format", "xml"],
        ["check", "official.txt", "site/news/clean.txt", "--no-such-flag"],
        ["check", "official.txt"],
        ["check", "official.txt", "site/**/*.pdf"],
        ["check", "missing.txt", "site/news/clean.txt"],
        ["check", "official.txt", "site/news/clean.txt", "--baseline", "missing.toml"],
    ],
    ids=["bad-fail-on", "bad-format", "unknown-flag", "no-witness", "glob-matches-nothing", "missing-base", "missing-baseline"],
)
def test_usage_and_input_errors_exit_2(site: Path, args: list[str]) -> None:
    r = run(args, cwd=site)
    assert r.code == 2, r.out + r.err
    one_error_line(r.err)


def test_fail_on_levels(site: Path) -> None:
    drifted(site)
    assert run(["check", "official.txt", "site/news/clean.txt", "--fail-on", "any"], cwd=site).code == 1
    r = run(["check", "official.txt", "site/news/drifted.txt", "--fail-on", "none"], cwd=site)
    assert r.code == 0 and "[-多层次-]{+多层级+}" in r.out  # still reported


def test_the_base_among_the_witnesses_is_skipped(site: Path) -> None:
    r = run(["check", "official.txt", "*.txt", "site/news/clean.txt", "site/news/clean.txt"], cwd=site)
    assert r.code == 0
    assert r.out.count("site/news/clean.txt  0 new") == 1 and r.out.count("  site/news/clean.txt\n") == 1  # its block and its table row
    assert "official.txt  ✓" not in r.out


# ---------------------------------------------------------------- accepted variants


def baseline_of_two_pages(site: Path, name: str) -> tuple[Path, str]:
    """Pages a.txt and b.txt with the same drift, and a baseline written for them."""
    drifted(site, "a.txt")
    drifted(site, "b.txt")
    run(["check", "official.txt", "site/news", "--write-baseline", name], cwd=site)
    return site / name, (site / name).read_text(encoding="utf-8")


def first_entry(text: str) -> tuple[str, str]:
    """The baseline's header, and its first [[accepted]] entry."""
    first = text.index("[[accepted]]")
    second = text.index("[[accepted]]", first + 1)
    return text[:first], text[first:second]


def test_rewriting_the_baseline_keeps_reasons_and_other_pages(site: Path) -> None:
    path, text = baseline_of_two_pages(site, "jiaokan-accepted.toml")
    path.write_text(text.replace('reason = ""', 'reason = "本站转载时沿用旧稿"', 1), encoding="utf-8")
    drifted(site, "a.txt", other=True)
    # rewrite from a.txt only: b.txt's entry stays, a.txt's reason stays, the new drift is added
    r = run(["check", "official.txt", "site/news/a.txt", "--write-baseline", "jiaokan-accepted.toml"], cwd=site)
    assert r.code == 0
    text = path.read_text(encoding="utf-8")
    assert text.count("[[accepted]]") == 3
    assert 'reason = "本站转载时沿用旧稿"' in text
    assert 'file = "site/news/b.txt"' in text


def test_entry_for_any_witness(site: Path) -> None:
    path, text = baseline_of_two_pages(site, "accepted.toml")
    # keep one entry and make it apply to every page
    head, entry = first_entry(text)
    path.write_text(head + re.sub(r'file = "[^"]*"\n', "", entry), encoding="utf-8")
    r = run(["check", "official.txt", "site/news", "--baseline", "accepted.toml"], cwd=site)
    assert r.code == 0, r.out
    assert r.out.count("0 new, 1 accepted") == 2


def test_an_edit_inside_the_context_still_matches_on_the_other_side(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jiaokan import baseline as bl

    page = drifted(site)
    run(["check", "official.txt", "site/news/drifted.txt", "--write-baseline", "jiaokan-accepted.toml"], cwd=site)
    accepted = bl.load(site / "jiaokan-accepted.toml")
    # the context is the base's: a witness edit beside the drift leaves it whole (a finding of its own) ...
    page.write_text(page.read_text(encoding="utf-8").replace("构建全方位、多层级", "构建全面、多层级"), encoding="utf-8")
    monkeypatch.chdir(site)
    result = check(read_document("official.txt"), ["site/news/drifted.txt"], settings=Settings(), accepted=accepted)
    (w,) = result.witnesses
    pairs = sorted((f.base_norm, f.witness_norm, s) for f, s in zip(w.result.findings, w.statuses, strict=True) if f.severity == "substantive")
    assert pairs == [("全方位", "全面", "new"), ("多层次", "多层级", "accepted")]
    assert result.stale == () and result.exit_code == 1
    # ... and when the base itself is revised just before it (and the page follows), half the context still matches
    official = site / "official.txt"
    official.write_text(OFFICIAL.replace("构建全方位、多层次", "构建全面、多层次"), encoding="utf-8")
    result = check(read_document("official.txt"), ["site/news/drifted.txt"], settings=Settings(), accepted=accepted)
    (w,) = result.witnesses
    assert [(f.base_norm, s) for f, s in zip(w.result.findings, w.statuses, strict=True) if f.severity == "substantive"] == [("多层次", "accepted")]
    assert w.result.findings[[f.severity for f in w.result.findings].index("substantive")].before != accepted.entries[0].before
    assert result.exit_code == 0


def test_only_the_base_changed_passes(site: Path) -> None:
    # what the pre-commit hook runs (its entry has --allow-empty) when a commit changes only the official text
    r = run(["check", "--allow-empty", "official.txt", "official.txt", "./official.txt"], cwd=site)
    assert r.code == 0 and r.err == ""
    assert "0 witnesses" in r.out


def test_rewriting_into_another_file_keeps_its_reasons_and_rekeys_pages(site: Path) -> None:
    path, text = baseline_of_two_pages(site, "jiaokan-accepted.toml")
    (site / "ci").mkdir()
    moved = text.replace('file = "site/', 'file = "../site/').replace('reason = ""', 'reason = "经办公室同意"')
    (site / "ci" / "acc.toml").write_text(moved, encoding="utf-8")
    path.unlink()
    r = run(["check", "official.txt", "site/news/a.txt", "--baseline", "ci/acc.toml", "--write-baseline", "ci/acc.toml"], cwd=site)
    assert r.code == 0, r.err
    text = (site / "ci" / "acc.toml").read_text(encoding="utf-8")
    assert text.count('reason = "经办公室同意"') == 2 and 'file = "../site/news/b.txt"' in text
    # written from the default baseline into a new folder: the kept page is re-keyed for that folder
    path.write_text(moved.replace("../site/", "site/"), encoding="utf-8")
    (site / "other").mkdir()
    run(["check", "official.txt", "site/news/a.txt", "--write-baseline", "other/acc.toml"], cwd=site)
    text = (site / "other" / "acc.toml").read_text(encoding="utf-8")
    assert 'file = "../site/news/b.txt"' in text and text.count('reason = "经办公室同意"') == 2


def test_a_configured_baseline_can_be_created(site: Path) -> None:
    drifted(site)
    (site / "jiaokan.toml").write_text('baseline = "ci/accepted.toml"\n', encoding="utf-8")
    (site / "ci").mkdir()
    r = run(["check", "official.txt", "site/news"], cwd=site)
    assert r.code == 2 and "jiaokan.toml names a file that does not exist" in one_error_line(r.err)
    r = run(["check", "official.txt", "site/news", "--write-baseline", "ci/accepted.toml"], cwd=site)
    assert r.code == 0, r.err
    assert run(["check", "official.txt", "site/news"], cwd=site).code == 0
    assert run(["check", "official.txt", "site/news", "--no-baseline"], cwd=site).code == 1
    r = run(["check", "official.txt", "site/news", "--no-baseline", "--baseline", "ci/accepted.toml"], cwd=site)
    assert r.code == 2 and "contradict" in one_error_line(r.err)


@pytest.mark.parametrize(
    "content",
    ['schema = "jiaokan.accepted/1"\n[[accepted]]\ncode = "no-such-code"\n', "[[accepted]\n", 'accepted = "x"\n', "[[accepted]]\ncode = \"framing\"\nlevel = 3\n"],
    ids=["unknown-code", "bad-toml", "not-a-table", "unknown-field"],
)
def test_malformed_baseline_exit_2(site: Path, content: str) -> None:
    (site / "jiaokan-accepted.toml").write_text(content, encoding="utf-8")
    r = run(["check", "official.txt", "site/news/clean.txt"], cwd=site)
    assert r.code == 2
    assert "jiaokan-accepted.toml" in one_error_line(r.err)


# ---------------------------------------------------------------- configuration


def test_config_precedence(site: Path) -> None:
    (site / "pyproject.toml").write_text('[project]\nname = "site"\n\n[tool.jiaokan]\nfail-on = "any"\n', encoding="utf-8")
    sub = site / "site"
    # found from a subfolder; the file says any: the cosmetic commas fail
    r = run(["check", "../official.txt", "news/clean.txt"], cwd=sub)
    assert r.code == 1
    # the flag overrides the file
    assert run(["check", "../official.txt", "news/clean.txt", "--fail-on", "substantive"], cwd=sub).code == 0
    # jiaokan.toml beside it wins over pyproject.toml
    (site / "jiaokan.toml").write_text('fail-on = "substantive"\n', encoding="utf-8")
    assert run(["check", "../official.txt", "news/clean.txt"], cwd=sub).code == 0
    r = run(["check", "--show-config"], cwd=sub)
    assert r.code == 0
    assert re.search(r"# fail-on: from .*jiaokan\.toml\nfail-on = \"substantive\"", r.out)
    assert "# rules: from default" in r.out
    r = run(["check", "--show-config", "--fail-on", "none", "--config", str(site / "pyproject.toml")], cwd=sub)
    assert '# fail-on: from command line\nfail-on = "none"' in r.out


def test_framing_patterns_set_the_site_chrome_aside(site: Path) -> None:
    paragraphs = OFFICIAL.split("\n")
    middle = len(paragraphs) // 2
    chrome = "【字体：大 中 小】 【打印本页】"
    page = ["首页 > 政务公开 > 政策文件", chrome, *paragraphs[:middle], chrome, *paragraphs[middle:], "主办：某县人民政府办公室 联系电话：0000-1234567"]
    (site / "site" / "news" / "page.txt").write_text("\n".join(page), encoding="utf-8")
    r = run(["check", "official.txt", "site/news/page.txt", "--fail-on", "any", "--rules", "all"], cwd=site)
    assert r.code == 1  # the chrome is framing or an addition
    (site / "jiaokan.toml").write_text(
        'fail-on = "any"\nframing-patterns = ["首页>.*", "【字体：大中小】.*", "主办：.*"]\nrules = "all,-punctuation"\n', encoding="utf-8"
    )
    # without the punctuation rule the patterns see the page's own characters
    r = run(["check", "official.txt", "site/news/page.txt", "-f", "json"], cwd=site)
    data = json.loads(r.out)
    summary = data["witnesses"][0]["diff"]["summary"]
    assert summary["set_aside"] == 4, summary
    assert summary["substantive"] == 0 and summary["framing"] == 0
    assert r.code == 0, r.out


def test_framing_patterns_keep_their_own_flags_and_groups(site: Path) -> None:
    page = site / "site" / "news" / "page.txt"
    page.write_text("HOME > 政务公开\n" + OFFICIAL, encoding="utf-8")
    config = r"""
fail-on = "any"
rules = "all,-punctuation"
framing-patterns = ['(?i)home\s*>.*', '(?P<x>a)(?P=x)', '(?P<x>b)']
"""
    (site / "jiaokan.toml").write_text(config, encoding="utf-8")
    r = run(["check", "official.txt", "site/news/page.txt", "-f", "json"], cwd=site)
    assert r.code == 0, r.out + r.err
    assert json.loads(r.out)["witnesses"][0]["diff"]["summary"]["set_aside"] == 1


def test_file_names_are_shown_as_text(site: Path) -> None:
    odd = site / "site" / "news" / "v[x]y [bold]z.txt"
    odd.write_text(OFFICIAL, encoding="utf-8")
    r = run(["check", "official.txt", "site/news"], cwd=site)
    assert r.code == 0, r.err
    assert r.out.count("v[x]y [bold]z.txt") == 2  # its block and its row
    r = run(["check", "official.txt", "site/news/[/x]missing.txt"], cwd=site)
    assert r.code == 2 and "[/x]missing.txt" in one_error_line(r.err)


def test_outputs_keep_the_file_mode(site: Path) -> None:
    out = site / "report.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    run(["check", "official.txt", "site/news", "-f", "json", "-o", "report.json"], cwd=site)
    assert out.stat().st_mode & 0o777 == 0o644 and out.read_text(encoding="utf-8").startswith("{")
    umask = os.umask(0)
    os.umask(umask)
    run(["check", "official.txt", "site/news", "--write-baseline", "new.toml"], cwd=site)
    assert (site / "new.toml").stat().st_mode & 0o777 == 0o666 & ~umask


def test_html_entities_are_not_differences(site: Path) -> None:
    import html

    paragraphs = [p for p in OFFICIAL.split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p).replace('“', '&ldquo;').replace('”', '&rdquo;')}</p>\n\n" for p in paragraphs)
    assert "&ldquo;" in body
    (site / "site" / "news" / "page.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    r = run(["check", "official.txt", "site/news/page.html", "--fail-on", "any", "-f", "json"], cwd=site)
    summary = json.loads(r.out)["witnesses"][0]["diff"]["summary"]
    assert summary["by_code"].get("script", 0) == 0 and summary["by_code"].get("punctuation", 0) == 0, summary


@pytest.mark.parametrize(
    "content, message",
    [
        ('fail_on = "any"\n', "did you mean 'fail-on'"),
        ('fail-on = "sometimes"\n', "not a level"),
        ('framing-patterns = ["(unclosed"]\n', "not a valid regular expression"),
        ('substantive-codes = ["wording-drift"]\n', "unknown finding code"),
        ('rules = "all,-nosuch"\n', "nosuch"),
        ("fail-on = \n", "not valid TOML"),
    ],
    ids=["underscore-key", "bad-level", "bad-regex", "bad-code", "bad-rule", "bad-toml"],
)
def test_bad_configuration_exit_2(site: Path, content: str, message: str) -> None:
    (site / "jiaokan.toml").write_text(content, encoding="utf-8")
    r = run(["check", "official.txt", "site/news/clean.txt"], cwd=site)
    assert r.code == 2
    assert message in one_error_line(r.err)


def test_substantive_codes_are_configurable(site: Path) -> None:
    drifted(site)
    (site / "jiaokan.toml").write_text(
        'substantive-codes = ["wording-insertion", "wording-deletion"]\nextend-substantive-codes = ["punctuation"]\n', encoding="utf-8"
    )
    r = run(["check", "official.txt", "site/news/drifted.txt", "-f", "json"], cwd=site)
    assert r.code == 0  # a substitution no longer counts
    summary = json.loads(r.out)["witnesses"][0]["diff"]["summary"]
    assert summary["substantive"] == 0 and summary["cosmetic"] >= 1
    assert run(["check", "official.txt", "site/news/clean.txt"], cwd=site).code == 1  # commas now do


# ---------------------------------------------------------------- output formats


def test_json_equals_the_library_result(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drifted(site)
    r = run(["check", "official.txt", "site/news", "-f", "json"], cwd=site)
    monkeypatch.chdir(site)
    result = check(read_document("official.txt"), ["site/news"], settings=Settings())
    assert json.loads(r.out) == serialize.data(result)
    assert run(["check", "official.txt", "site/news", "-f", "json"], cwd=site).out == r.out  # byte-identical
    schema = json.loads(resources.files("jiaokan").joinpath("schemas/check-1.json").read_text(encoding="utf-8"))
    diff_schema = json.loads(resources.files("jiaokan").joinpath("schemas/diff-1.json").read_text(encoding="utf-8"))
    data = json.loads(r.out)
    jsonschema.validate(data, schema)
    for w in data["witnesses"]:
        jsonschema.validate(w["diff"], diff_schema)
    statuses = {f["status"] for w in data["witnesses"] for f in w["diff"]["findings"]}
    assert statuses == {"new"}


SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"  # OASIS, see tests/data/README.md


def test_sarif_is_valid_and_located_on_the_witness(site: Path) -> None:
    drifted(site, other=True)
    (site / "site" / "news" / "broken.txt").write_bytes(b"")
    run(["check", "official.txt", "site/news/drifted.txt", "--write-baseline", "jiaokan-accepted.toml"], cwd=site)
    head, entry = first_entry((site / "jiaokan-accepted.toml").read_text(encoding="utf-8"))
    (site / "jiaokan-accepted.toml").write_text(head + entry, encoding="utf-8")  # accept the first drift only
    r = run(["check", "official.txt", "site/news", "-f", "sarif", "-o", "out.sarif"], cwd=site)
    assert r.code == 2  # the empty page
    log = json.loads((site / "out.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    validator.validate(log)
    bad = json.loads(json.dumps(log))
    bad["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(bad)  # the schema really constrains what we write
    run_ = log["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    results = run_["results"]
    assert [r_["ruleId"] for r_ in results] == ["wording-substitution", "wording-substitution"]
    new = [r_ for r_ in results if r_["baselineState"] == "new"]
    accepted = [r_ for r_ in results if r_["baselineState"] == "unchanged"]
    assert len(new) == 1 and len(accepted) == 1 and accepted[0]["suppressions"][0]["kind"] == "external"
    loc = new[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "site/news/drifted.txt"
    witness = (site / "site" / "news" / "drifted.txt").read_text(encoding="utf-8")
    lines = witness.split("\n")
    region = loc["region"]
    assert lines[region["startLine"] - 1][region["startColumn"] - 1 : region["endColumn"] - 1] == "咨询"
    assert witness[region["charOffset"] : region["charOffset"] + region["charLength"]] == "咨询"
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert any("broken.txt" in n["message"]["text"] for n in notes)
    assert run_["invocations"][0]["executionSuccessful"] is False


def test_github_workflow_commands(site: Path) -> None:
    drifted(site)
    r = run(["check", "official.txt", "site/news", "-f", "github"], cwd=site)
    assert r.code == 1
    commands = [line for line in r.out.splitlines() if line.startswith("::")]
    assert len(commands) == 1
    m = re.fullmatch(r"::error file=site/news/drifted\.txt,line=(\d+),col=(\d+),endLine=\d+,endColumn=\d+,title=jiaokan wording-substitution::(.*)", commands[0])
    assert m, commands[0]
    assert "「多层次」→「多层级」" in m.group(3) and "\n" not in m.group(3)


# ---------------------------------------------------------------- integration


def test_shell_example_in_docs_ci_md(site: Path) -> None:
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    script = re.search(r"```sh\n(.*?)```", doc, re.DOTALL).group(1)  # type: ignore[union-attr]
    drifted(site)
    shim = site / "bin"
    shim.mkdir()
    (shim / "jiaokan").write_text(f"#!/bin/sh\nexec {shlex.join(COMMAND)} \"$@\"\n", encoding="utf-8")
    (shim / "jiaokan").chmod(0o755)
    (site / "reprints").mkdir()
    (site / "reprints" / "page.txt").write_text(OFFICIAL.replace(DRIFT_FROM, DRIFT_TO), encoding="utf-8")
    env = process_environment({"PATH": f"{shim}:{os.environ['PATH']}", "NO_COLOR": "1"})
    r = subprocess.run(["sh", "-c", script], check=False, cwd=site, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "多层级" in r.stdout


# the pre-commit hook and the workflow example of docs/ci.md: tests/test_action.py


def test_progress_bar_only_on_a_terminal(site: Path) -> None:
    drifted(site)
    code, err = stderr_on_a_terminal(["check", "official.txt", "site/news"], site)
    assert code == 1
    assert "checking" in err and "/2" in err
    r = run(["check", "official.txt", "site/news"], cwd=site)
    assert r.err == ""
