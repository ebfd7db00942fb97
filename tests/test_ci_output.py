"""CI output within GitHub's limits: grouped, capped annotations with a job summary; SARIF rules code scanning
accepts (the SARIF Multitool's GitHub rules, checked by hand: docs/ci.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import jsonschema

from jiaokan.findings import ALL_CODES
from jiaokan.render_ci import ANNOTATIONS_PER_STEP, SUMMARY_FINDINGS

from .cli import run
from .conftest import COUNTY_002

OFFICIAL = COUNTY_002.read_text(encoding="utf-8")
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def project(tmp_path: Path) -> Path:
    """Two pages with many drifts: far more places than GitHub would annotate."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text(OFFICIAL.replace("多层次", "多层级").replace("建设", "建立"), encoding="utf-8")
    (tmp_path / "site" / "b|`x`.txt").write_text(OFFICIAL.replace("管理", "治理").replace("数据", "资料"), encoding="utf-8")
    return tmp_path


def test_annotations_are_grouped_capped_and_counted(tmp_path: Path) -> None:
    site = project(tmp_path)
    full = run(["check", "official.txt", "site", "-f", "json"], cwd=site)
    new = sum(f["status"] == "new" for w in json.loads(full.out)["witnesses"] for f in w["diff"]["findings"])
    r = run(["check", "official.txt", "site", "-f", "github"], cwd=site)
    assert r.code == 1
    commands = [line for line in r.out.splitlines() if line.startswith("::")]
    errors = [c for c in commands if c.startswith("::error ")]
    notices = [c for c in commands if c.startswith("::notice ")]
    assert new > ANNOTATIONS_PER_STEP and len(errors) == ANNOTATIONS_PER_STEP and len(notices) == 1
    places = [re.search(r"file=([^,]*),line=(\d+).*title=([^:]*)::", c).groups() for c in errors]  # type: ignore[union-attr]
    assert len(set(places)) == len(places)  # one annotation per file, line and code
    m = re.search(r"::(\d+) errors more not annotated", notices[0])
    assert m and int(m.group(1)) + len(errors) <= new and "job summary" in notices[0] and "SARIF" in notices[0]
    assert all("\n" not in c for c in commands) and "b%7C" not in r.out  # | needs no escaping in a property
    assert "file=site/b|`x`.txt" in r.out


def test_workflow_command_escaping(tmp_path: Path) -> None:
    site = project(tmp_path)
    odd = site / "site" / "50%,a:b.txt"
    odd.write_text(OFFICIAL.replace("多层次", "多层级"), encoding="utf-8")
    r = run(["check", "official.txt", str(odd.relative_to(site)), "-f", "github"], cwd=site)
    assert "file=site/50%25%2Ca%3Ab.txt,line=" in r.out


def test_job_summary_is_appended_with_links(tmp_path: Path) -> None:
    site = project(tmp_path)
    summary = site / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_REPOSITORY": "office/site", "GITHUB_SHA": "0123abc"}
    r = run(["check", "official.txt", "site", "-f", "github"], cwd=site, env=env)
    assert r.code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## jiaokan check: ✗ FAIL")
    assert "## jiaokan" not in r.out  # the summary goes to the file, not to the log
    rows = [line for line in text.splitlines() if line.startswith("| site/")]
    assert len(rows) == 2 and rows[1].startswith(r"| site/b\|\`x\`.txt | ✗ FAIL |")
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 7 for row in rows)  # six cells: the | in the name is escaped
    links = re.findall(r"\]\((https://github\.com/office/site/blob/0123abc/site/a\.txt#L(\d+))\)", text)
    assert links and all(int(line) > 0 for _u, line in links)
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(items) == SUMMARY_FINDINGS and "more: see the SARIF" in text
    plain = run(["check", "official.txt", "site", "-f", "github"], cwd=site, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert plain.code == 1 and re.search(r"^- site/a\.txt:\d+ \*\*wording-substitution\*\*", summary.read_text(encoding="utf-8"), re.M)


def test_no_summary_without_the_variable_or_for_other_formats(tmp_path: Path) -> None:
    site = project(tmp_path)
    summary = site / "summary.md"
    run(["check", "official.txt", "site", "-f", "sarif", "-o", "x.sarif"], cwd=site, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()


def sarif_log(site: Path, *args: str) -> dict[str, object]:
    r = run(["check", "official.txt", *args, "-f", "sarif", "-o", "out.sarif"], cwd=site)
    assert r.code in (0, 1), r.err
    log = json.loads((site / "out.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    return log  # type: ignore[no-any-return]


def github_rule_errors(log: dict[str, object]) -> list[str]:
    """The SARIF Multitool's GitHub rules (GH1001-GH1007, GH2012), as its documentation states them."""
    errors = []
    for run_ in log["runs"]:  # type: ignore[attr-defined]
        for k, rule in enumerate(run_["tool"]["driver"]["rules"]):
            for key in ("shortDescription", "fullDescription"):
                if not rule.get(key, {}).get("text"):
                    errors.append(f"GH2012 rules[{k}] {key}")
            if not (rule.get("help", {}).get("text") or rule.get("help", {}).get("markdown")):
                errors.append(f"GH2012 rules[{k}] help")
        for k, result in enumerate(run_["results"]):
            locations = result.get("locations") or []
            if not locations:
                errors.append(f"GH1001 results[{k}] no location")
            for loc in locations:
                phys = loc.get("physicalLocation", {})
                uri = phys.get("artifactLocation", {}).get("uri")
                if not uri:
                    errors.append(f"GH1001 results[{k}] no uri")
                elif urlparse(uri).scheme and uri.startswith("file:") and "%SRCROOT%" not in json.dumps(run_.get("originalUriBaseIds", {})):
                    errors.append(f"GH1005 results[{k}] absolute uri {uri}")
                if "region" in phys and "startLine" not in phys["region"]:
                    errors.append(f"GH1003 results[{k}] region without startLine")
            if not result.get("message", {}).get("text"):
                errors.append(f"GH1007 results[{k}] message without text")
            if len(locations) > 1000 or len(result.get("relatedLocations", [])) > 1000:
                errors.append(f"GH1004 results[{k}] array too long")
            for flow in result.get("codeFlows", []):
                for tf in flow.get("threadFlows", []):
                    if any("index" in step for step in tf.get("locations", [])):
                        errors.append(f"GH1002 results[{k}] thread flow location by index")
        if len(run_["results"]) > 25000 or len(run_["tool"]["driver"]["rules"]) > 25000:
            errors.append("GH1004 results or rules")
    return errors


def test_sarif_rules_have_what_code_scanning_shows(tmp_path: Path) -> None:
    site = project(tmp_path)
    log = sarif_log(site, "site/a.txt")
    rules = log["runs"][0]["tool"]["driver"]["rules"]  # type: ignore[index]
    assert [r["id"] for r in rules] == [str(c) for c in ALL_CODES]
    for rule in rules:
        assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
        assert rule["help"]["text"] and f"`{rule['id']}`" in rule["help"]["markdown"] and "--write-baseline" in rule["help"]["text"]
        assert rule["properties"]["tags"][:2] == ["jiaokan", rule["properties"]["severity"]]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "security-severity" not in rule["properties"]
        assert rule.get("name", "X").lower() != rule["id"]  # SARIF1001: a name equal to the id is refused
    assert github_rule_errors(log) == []


def test_hand_checks_catch_what_github_refuses(tmp_path: Path) -> None:
    log = sarif_log(project(tmp_path), "site/a.txt")
    bad = json.loads(json.dumps(log))
    del bad["runs"][0]["tool"]["driver"]["rules"][3]["help"]
    bad["runs"][0]["results"][0]["message"] = {"id": "x"}
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "file:///etc/a.txt"
    found = {e.split()[0] for e in github_rule_errors(bad)}
    assert found == {"GH2012", "GH1007", "GH1005"}


def test_fingerprints_survive_lines_inserted_above(tmp_path: Path) -> None:
    site = project(tmp_path)
    before = sarif_log(site, "site/a.txt")["runs"][0]["results"]  # type: ignore[index]
    page = site / "site" / "a.txt"
    page.write_text("转载说明\n\n来源：本站\n\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    after = sarif_log(site, "site/a.txt")["runs"][0]["results"]  # type: ignore[index]
    def prints(results: list[dict[str, object]]) -> dict[str, int]:
        return {r["partialFingerprints"]["jiaokanFinding/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results}  # type: ignore[index]
    old, new = prints(before), prints(after)
    assert set(old) <= set(new) and len(old) == len(before)
    assert all(new[fp] == old[fp] + 4 for fp in old)  # the same alerts, four lines lower


def test_a_summary_that_cannot_be_written_warns_and_keeps_the_verdict(tmp_path: Path) -> None:
    site = project(tmp_path)
    done = run(["check", "official.txt", "site", "-f", "github"], cwd=site, env={"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such" / "s.md")})
    assert done.code == 1  # drift, as without the summary: the summary is extra output
    assert "jiaokan: warning:" in done.err and "::error" in done.out
