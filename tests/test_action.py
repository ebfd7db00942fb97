"""The GitHub Action (action.yml), the workflow example of docs/ci.md and the pre-commit hook, as their users meet them.

GitHub cannot run here: the metadata and the workflow are validated against SchemaStore's schemas (tests/data), and
the action's shell steps are run by bash as GitHub runs them (``bash --noprofile --norc -eo pipefail``), with the
environment its ``env:`` mappings would give them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from .cli import COMMAND, process_environment, run
from .conftest import ROOT
from .test_check import drifted, site  # noqa: F401  (site is a fixture)

DATA = ROOT / "tests" / "data"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return loaded


def errors(instance: object, name: str) -> list[str]:
    validator = jsonschema.Draft7Validator(schema(name))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


# ---------------------------------------------------------------- action.yml


def test_action_metadata_is_a_valid_composite_action() -> None:
    assert errors(ACTION, "github-action.json") == []
    assert ACTION["name"] and ACTION["description"]
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["inputs"]["base"]["required"] is True and ACTION["inputs"]["witnesses"]["required"] is True
    assert ACTION["inputs"]["fail-on"]["default"] == "substantive"
    assert {"baseline", "sarif"} <= set(ACTION["inputs"]) and {"exit-code", "verdict"} <= set(ACTION["outputs"])
    for step in ACTION["runs"]["steps"]:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash", step


def test_the_schema_catches_what_it_should() -> None:
    """The schema is not a rubber stamp: a composite run step without a shell is refused."""
    broken = json.loads(json.dumps(ACTION))
    del next(s for s in broken["runs"]["steps"] if "run" in s)["shell"]
    assert errors(broken, "github-action.json")


def test_no_input_is_interpolated_into_a_script() -> None:
    """${{ … }} in a run: script is pasted into the shell by GitHub (script injection); only env: may carry them."""
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["run"]
    text = json.dumps(ACTION)
    for name in ACTION["inputs"]:
        assert f"inputs.{name}" in text, name  # every input is used


def test_action_installs_from_its_own_checkout_and_uploads_sarif() -> None:
    steps = ACTION["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert install["env"] == {"JIAOKAN_SOURCE": "${{ github.action_path }}"} and '"$JIAOKAN_SOURCE"' in install["run"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"].startswith("always()") and "inputs.sarif" in upload["if"]
    assert "--format github" in next(s for s in steps if s.get("id") == "check")["run"]


EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def step_env(step: dict[str, Any], context: dict[str, str]) -> dict[str, str]:
    """The environment GitHub gives a step: each ${{ name }} replaced by its value (as GitHub does, before the shell)."""
    return {k: EXPRESSION.sub(lambda m: context[m.group(1)], str(v)) for k, v in step.get("env", {}).items()}


def run_steps(cwd: Path, inputs: dict[str, str], jiaokan: list[str]) -> tuple[int, dict[str, str], str]:
    """Run the action's check and verdict steps with bash; `jiaokan` on PATH runs the given command."""
    shim = cwd / ".bin"
    shim.mkdir(exist_ok=True)
    (shim / "jiaokan").write_text(f"#!/bin/sh\nexec {shlex.join(jiaokan)} \"$@\"\n", encoding="utf-8")
    (shim / "jiaokan").chmod(0o755)
    defaults = {f"inputs.{k}": str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    context = {**defaults, **{f"inputs.{k}": v for k, v in inputs.items()}}
    out_file = cwd / ".github-output"
    out_file.write_text("", encoding="utf-8")
    log = ""
    code = 0
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        outputs = dict(line.split("=", 1) for line in out_file.read_text(encoding="utf-8").splitlines())
        ctx = {**context, **{f"steps.check.outputs.{k}": v for k, v in outputs.items()}}
        env = process_environment({"PATH": f"{shim}:{os.environ['PATH']}", "GITHUB_OUTPUT": str(out_file), "NO_COLOR": "1", **step_env(step, ctx)})
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], check=False, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
        log += r.stdout + r.stderr
        code = r.returncode
        if code:
            break
    outputs = dict(line.split("=", 1) for line in out_file.read_text(encoding="utf-8").splitlines())
    return code, outputs, log


def test_action_steps_fail_on_drift_with_annotations_and_sarif(site: Path) -> None:  # noqa: F811
    drifted(site)
    code, outputs, log = run_steps(site, {"base": "official.txt", "witnesses": "site/**/*.txt\n", "sarif": "jiaokan.sarif"}, COMMAND)
    assert code == 1 and outputs == {"exit-code": "1", "verdict": "fail"}, log
    assert re.search(r"^::error file=site/news/drifted\.txt,line=\d+", log, re.M), log
    assert "file=site/news/clean.txt" not in log and log.rstrip().endswith("jiaokan: fail")
    sarif = json.loads((site / "jiaokan.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert errors(sarif, "sarif-schema-2.1.0.json") == []
    results = sarif["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == ["site/news/drifted.txt"]


def test_action_steps_pass_a_clean_site(site: Path) -> None:  # noqa: F811
    code, outputs, log = run_steps(site, {"base": "official.txt", "witnesses": "site/**/*.txt official.txt"}, COMMAND)
    assert code == 0 and outputs == {"exit-code": "0", "verdict": "pass"}, log
    assert "::error" not in log


def test_action_steps_report_an_unmatched_glob_as_error(site: Path) -> None:  # noqa: F811
    code, outputs, log = run_steps(site, {"base": "official.txt", "witnesses": "site/**/*.pdf"}, COMMAND)
    assert code == 2 and outputs["verdict"] == "error", log


def test_action_keeps_globs_and_hostile_inputs_literal(tmp_path: Path) -> None:
    """What jiaokan receives is what the workflow wrote: no glob expanded, no command substitution run."""
    (tmp_path / "a.html").write_text("x", encoding="utf-8")  # a glob the shell would expand
    argv_log = tmp_path / "argv.json"
    recorder = tmp_path / "record.py"
    recorder.write_text(f"import json, sys\nopen({str(argv_log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n", encoding="utf-8")
    hostile = 'official $(touch pwned) `touch pwned2`";touch pwned3;".txt'
    code, outputs, log = run_steps(tmp_path, {"base": hostile, "witnesses": "*.html  'site/**/*.htm'\n$(touch pwned4)", "fail-on": "any", "baseline": "a b.toml"},
                                   [COMMAND[0], str(recorder)])
    assert code == 0 and outputs["verdict"] == "pass", log
    argv = json.loads(argv_log.read_text(encoding="utf-8").splitlines()[-1])
    assert argv == ["check", "--base", hostile, "--fail-on", "any", "--baseline", "a b.toml", "--format", "github", "--",
                    "*.html", "'site/**/*.htm'", "$(touch", "pwned4)"]
    assert not list(tmp_path.glob("pwned*"))


# ---------------------------------------------------------------- the workflow example in docs/ci.md


def doc_workflow() -> dict[str, Any]:
    block = re.search(r"```yaml\n(.*?)```", DOC, re.DOTALL)
    assert block, "docs/ci.md has no ```yaml block"
    loaded: dict[str, Any] = yaml.safe_load(block.group(1))
    return loaded


def test_workflow_in_docs_is_valid_and_uses_the_action() -> None:
    workflow = doc_workflow()
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on"
    workflow["on"] = workflow.pop(True)
    assert errors(workflow, "github-workflow.json") == []
    steps = workflow["jobs"]["jiaokan"]["steps"]
    step = next(s for s in steps if s.get("uses", "").endswith("/jiaokan@main"))
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert {name for name, i in ACTION["inputs"].items() if i.get("required")} <= set(step["with"])
    assert workflow["permissions"]["security-events"] == "write"  # upload-sarif needs it
    assert not (ROOT / ".github" / "workflows").exists()  # nothing runs by accident on this repository


def test_docs_install_what_exists() -> None:
    """No release exists: the docs install from the repository, and pin pre-commit to a commit SHA."""
    assert "jiaokan==" not in re.search(r"```yaml\n(.*?)```", DOC, re.DOTALL).group(1)  # type: ignore[union-attr]
    config = yaml.safe_load(re.search(r"```\n(repos:\n.*?)```", DOC, re.DOTALL).group(1))  # type: ignore[union-attr]
    repo = config["repos"][0]
    assert re.fullmatch(r"[0-9a-f]{40}", repo["rev"]), repo["rev"]
    assert repo["hooks"][0]["args"][0] == "--base"
    assert 'pip install "git+https://github.com/OWNER/jiaokan@main"' in DOC


# ---------------------------------------------------------------- pre-commit


def hook() -> dict[str, Any]:
    found: dict[str, Any] = next(h for h in HOOKS if h["id"] == "jiaokan-check")
    return found


def as_pre_commit(args: list[str], files: list[str], cwd: Path) -> Any:
    """The hook's entry, its args, then the changed files matching its `files` pattern, as pre-commit runs them."""
    entry = shlex.split(hook()["entry"])
    assert entry[0] == "jiaokan"
    return run([*entry[1:], *args, *[f for f in files if re.search(hook()["files"], f)]], cwd=cwd)


def test_pre_commit_hook_checks_the_changed_files(site: Path) -> None:  # noqa: F811
    drifted(site)
    files = ["site/news/clean.txt", "site/news/drifted.txt", "official.txt"]
    r = as_pre_commit(["--base", "official.txt"], files, site)
    assert r.code == 1 and re.search(r"✗ FAIL +site/news/drifted\.txt", r.out) and re.search(r"✓ PASS +site/news/clean\.txt", r.out), r.out
    assert "2 witnesses" in r.out  # the base among the changed files is skipped
    assert as_pre_commit(["--base", "official.txt"], ["site/news/clean.txt"], site).code == 0
    only_base = as_pre_commit(["--base", "official.txt"], ["official.txt"], site)  # a commit changing only the base
    assert only_base.code == 0, only_base.err


def test_pre_commit_hook_without_base_fails_clearly(site: Path) -> None:  # noqa: F811
    drifted(site)
    # the old configuration (args: [official.txt]) and none at all: never take the first file for the base
    for args in ([], ["official.txt"]):
        r = as_pre_commit(args, ["site/news/drifted.txt", "site/news/clean.txt"], site)
        assert r.code == 2 and r.out == ""
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("jiaokan: error: no --base given") and "args: [--base" in lines[0], r.err


@pytest.mark.parametrize("order", ["before", "after"])
def test_base_option_makes_every_argument_a_witness(site: Path, order: str) -> None:  # noqa: F811
    drifted(site)
    args = ["--base", "official.txt", "site/news/clean.txt", "site/news/drifted.txt"]
    if order == "after":
        args = [*args[2:], *args[:2]]
    r = run(["check", "--format", "json", *args], cwd=site)
    assert r.code == 1, r.err
    checked = sorted(Path(w["witness"]).name if isinstance(w.get("witness"), str) else json.dumps(w) for w in json.loads(r.out)["witnesses"])
    assert len(checked) == 2 and any("drifted" in c for c in checked) and any("clean" in c for c in checked), checked
