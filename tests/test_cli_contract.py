"""Every command configured, prepared and rendered the same way (docs/cli.md): one Settings read by all, one
preparation per document, one registry of formats, one exit-code contract, help without internals."""

from __future__ import annotations

import gc
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from jiaokan import collate, config, formats, prepare, serialize
from jiaokan.cli import settings_from_flags
from jiaokan.collate import collate_documents
from jiaokan.config import USES, Settings
from jiaokan.diff import diff_files
from jiaokan.ingest import read_document
from jiaokan.normalize import normalize
from jiaokan.trace import trace_files

from .cli import run
from .conftest import COUNTY_002, VENDOR_001, XINHUA_000

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = tuple(USES)
SAMPLE_ARGS = {  # a run of each command on the samples, with what comes after the command name
    "normalize": [str(COUNTY_002)],
    "diff": [str(VENDOR_001), str(COUNTY_002)],
    "check": [str(VENDOR_001), str(COUNTY_002)],
    "trace": [str(VENDOR_001), str(XINHUA_000)],
    "collate": [str(VENDOR_001), str(COUNTY_002)],
    "scan": [str(VENDOR_001), str(COUNTY_002), "--workers", "1"],
    "review": [str(VENDOR_001), str(COUNTY_002)],
    "watch": ["report"],
}


def schema(name: str) -> tuple[dict[str, object], Registry]:
    """A published schema and a registry holding all of them (they refer to diff-1.json's definitions)."""
    folder = resources.files("jiaokan").joinpath("schemas")
    loaded = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".json")}
    registry = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in loaded.values())
    return loaded[name], registry


def validate(data: object, name: str) -> None:
    s, registry = schema(name)
    jsonschema.Draft202012Validator(s, registry=registry).validate(data)


# ---------------------------------------------------------------- 1. one Settings, read by every command


def project(tmp_path: Path, table: str) -> Path:
    """A project folder with a [tool.jiaokan] table and the samples' two copies."""
    (tmp_path / ".git").mkdir()  # the search for a configuration stops at the repository root
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'site'\n\n[tool.jiaokan]\n{table}\n", encoding="utf-8")
    (tmp_path / "base.txt").write_bytes(VENDOR_001.read_bytes())
    (tmp_path / "copy.txt").write_bytes(COUNTY_002.read_bytes())
    return tmp_path


def test_diff_and_check_read_the_same_configuration(tmp_path: Path) -> None:
    """The issue's example: with rules = "all,-script", diff said 6 substantive findings and check 1,288."""
    site = project(tmp_path, 'rules = "all,-script"')
    d = json.loads(run(["diff", "base.txt", "copy.txt", "-f", "json"], cwd=site).out)
    c = json.loads(run(["check", "base.txt", "copy.txt", "-f", "json"], cwd=site).out)
    assert "script" not in d["rules"] and d["rules"] == c["witnesses"][0]["diff"]["rules"]
    assert d["summary"]["substantive"] == c["witnesses"][0]["diff"]["summary"]["substantive"] > 100
    # a flag still wins over the file
    flagged = json.loads(run(["diff", "base.txt", "copy.txt", "-f", "json", "--rules", "all"], cwd=site).out)
    assert flagged["summary"]["substantive"] == 6


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shows_its_settings_and_where_each_comes_from(command: str, tmp_path: Path) -> None:
    site = project(tmp_path, 'rules = "all,-regional"\nframing-patterns = ["^本网讯$"]')
    done = run([command, "--show-config", "--rules", "all,-ruby"], cwd=site)
    out = done.out
    assert done.code == 0, done.err
    assert out.startswith(f"# jiaokan {command}: effective settings\n# configuration file: {site / 'pyproject.toml'} [tool.jiaokan]\n")
    assert '# rules: from command line\nrules = "all,-ruby"' in out
    if "framing_patterns" in USES[command]:  # type: ignore[index]
        assert f"# framing-patterns: from {site / 'pyproject.toml'} [tool.jiaokan]" in out
    else:
        assert "framing-patterns" in out.split("\n")[2] and out.split("\n")[2].startswith(f"# not used by {command}:")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_config_and_refuses_a_bad_one(command: str, tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('rules = "all,-script"\n', encoding="utf-8")
    shown = run([command, "--config", "mine.toml", "--show-config"], cwd=tmp_path)
    assert shown.code == 0 and "# rules: from mine.toml\n" in shown.out
    (tmp_path / "bad.toml").write_text('rulez = "all"\n', encoding="utf-8")
    bad = run([command, "--config", "bad.toml", *SAMPLE_ARGS[command]], cwd=tmp_path)
    assert bad.code == 2 and bad.err.startswith("jiaokan: error: bad.toml: unknown key 'rulez'")


def test_the_configured_rules_reach_trace_collate_scan_review_and_normalize(tmp_path: Path) -> None:
    site = project(tmp_path, 'rules = "all,-script"')
    assert "script" not in json.loads(run(["normalize", "copy.txt", "-f", "json"], cwd=site).out)["rules"]
    assert "script" not in json.loads(run(["trace", "base.txt", "copy.txt", "-f", "json"], cwd=site).out)["rules"]
    collated = json.loads(run(["collate", "base.txt", "copy.txt", "-f", "json"], cwd=site).out)
    assert len(collated["places"]) > 100  # every traditional character is a variant place without the script rule
    record = json.loads(run(["scan", "base.txt", "copy.txt", "--workers", "1"], cwd=site).out)
    assert record["kind"] != "reprint"  # read without the script rule, a traditional copy shares few shingles with it
    assert json.loads(run(["scan", "base.txt", "copy.txt", "--workers", "1", "--rules", "all"], cwd=site).out)["kind"] == "reprint"
    configured = run(["review", "base.txt", "copy.txt"], cwd=site).out
    assert configured != run(["review", "base.txt", "copy.txt", "--rules", "all"], cwd=site).out  # the file's rules, not the default
    assert configured == run(["review", "base.txt", "copy.txt", "--rules", "all,-script"], cwd=site).out


def test_golden_flags_go_through_the_commands_own_parser() -> None:
    assert settings_from_flags("diff", ["--rules", "all,-ruby", "--include-cosmetic"]) == Settings(rules="all,-ruby", include_cosmetic=True)
    assert settings_from_flags("check", ["--fail-on", "any"]).fail_on == "any"
    assert settings_from_flags("normalize", []) == Settings()


# ---------------------------------------------------------------- 2. one preparation


def test_collate_prepares_each_copy_once_and_keeps_the_diffs_it_chose_the_base_by(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [read_document(str(p)) for p in (VENDOR_001, COUNTY_002, XINHUA_000)]
    counted = {"normalize": 0, "diff": 0}
    real_normalize, real_diff = prepare.normalize, collate.diff_prepared

    def counting_normalize(*a: Any, **k: Any) -> Any:
        counted["normalize"] += 1
        return real_normalize(*a, **k)

    def counting_diff(*a: Any, **k: Any) -> Any:
        counted["diff"] += 1
        return real_diff(*a, **k)

    monkeypatch.setattr(prepare, "normalize", counting_normalize)
    monkeypatch.setattr(collate, "diff_prepared", counting_diff)
    result = collate_documents(docs)
    assert counted == {"normalize": 3, "diff": 6}  # N preparations, N(N-1) diffs: the base's N-1 are reused
    assert len(result.results) == 2


def test_scan_prepares_each_reprint_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from jiaokan.scan import Item, Scanner

    calls: list[str] = []
    real = prepare.normalize
    monkeypatch.setattr(prepare, "normalize", lambda doc, **k: calls.append(doc.path) or real(doc, **k))
    scanner = Scanner(read_document(str(VENDOR_001)))
    record = scanner.check(Item(str(COUNTY_002), path=str(COUNTY_002)))
    assert record["kind"] == "reprint"
    assert calls == [str(VENDOR_001), str(COUNTY_002)]  # the screen and the diff read one preparation


def test_findings_carry_their_stream_spans() -> None:
    result = diff_files(str(VENDOR_001), str(COUNTY_002))
    assert result.base_seg is not None and result.witness_seg is not None
    for top in result.findings:
        for f in (top, *top.places()):
            assert f.stream is not None
            a1, a2, b1, b2 = f.stream
            assert result.base_seg.stream[a1:a2] == f.base_norm and result.witness_seg.stream[b1:b2] == f.witness_norm


def test_a_preparation_is_never_compared_under_other_settings() -> None:
    from jiaokan.diff import diff_prepared

    a = prepare.prepare(read_document(str(VENDOR_001)))
    b = prepare.prepare(read_document(str(COUNTY_002)), settings=Settings(rules="all,-script"))
    with pytest.raises(ValueError, match="prepared with other rules"):
        diff_prepared(a, b)


# ---------------------------------------------------------------- 3. one registry of formats


def test_the_registry_is_what_each_command_accepts() -> None:
    for command in COMMANDS:
        for fmt in formats.supported(command):  # type: ignore[arg-type]
            assert formats.output(command, fmt).format == fmt  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'html' is not a format of jiaokan check; use one of: text, json, sarif, github"):
        formats.output("check", "html")


@pytest.mark.parametrize("command", ["normalize", "diff", "check", "trace", "collate"])
def test_an_unsupported_format_is_a_usage_error_listing_the_supported(command: str, tmp_path: Path) -> None:
    done = run([command, *SAMPLE_ARGS[command], "--format", "xml"], cwd=tmp_path)
    err = done.err
    assert done.code == 2 and done.out_bytes == b""
    supported = ", ".join(formats.supported(command))  # type: ignore[arg-type]
    assert err.splitlines() == [f"jiaokan: error: Invalid value for '--format' / '-f': 'xml' is not a format of jiaokan {command}; use one of: {supported}; see 'jiaokan {command} --help'"]


def test_docs_cli_lists_the_registry() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `?([a-z]+)`? \| ([a-z, `]+) \|$", text, flags=re.M)
    table = {c: tuple(f.strip(" `") for f in fs.split(",")) for c, fs in rows if c in COMMANDS}
    assert table == {c: tuple(str(f) for f in formats.supported(c)) for c in COMMANDS}  # type: ignore[arg-type]


def test_json_is_the_library_result_serialized(tmp_path: Path) -> None:
    cases = {
        "normalize": serialize.data(normalize(read_document(str(COUNTY_002)))),
        "diff": serialize.data(diff_files(str(VENDOR_001), str(COUNTY_002))),
        "trace": serialize.data(trace_files(str(VENDOR_001), str(XINHUA_000))),
        "collate": serialize.data(collate_documents([read_document(str(VENDOR_001)), read_document(str(COUNTY_002))])),
    }
    for command, expected in cases.items():
        done = run([command, *SAMPLE_ARGS[command], "-f", "json"], cwd=ROOT)
        assert json.loads(done.out) == expected, command


def test_json_is_the_library_result_serialized_under_a_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings a command ran with are in its result: with include-cosmetic configured, diff's JSON lists the
    cosmetic findings, and equals the library's result under the same settings (check's too)."""
    site = project(tmp_path, 'include-cosmetic = true\nrules = "all,-regional"')
    monkeypatch.chdir(site)
    settings = config.load("diff").settings
    assert settings.include_cosmetic and settings.rules == "all,-regional"
    library = serialize.data(diff_files("base.txt", "copy.txt", settings=settings))
    assert json.loads(run(["diff", "base.txt", "copy.txt", "-f", "json"], cwd=site).out) == library
    assert any(f["severity"] == "cosmetic" for f in library["findings"])  # type: ignore[attr-defined, index]
    from jiaokan.check import check

    gate = check(read_document("base.txt"), ["copy.txt"], settings=config.load("check").settings)
    assert json.loads(run(["check", "base.txt", "copy.txt", "-f", "json"], cwd=site).out) == serialize.data(gate)


def test_normalize_json_and_scan_records_follow_their_published_schemas(tmp_path: Path) -> None:
    validate(json.loads(run(["normalize", str(COUNTY_002), "-f", "json", "--show-map"], cwd=tmp_path).out), "normalize-1.json")
    (tmp_path / "corpus").mkdir()
    for p in (COUNTY_002, XINHUA_000):
        (tmp_path / "corpus" / p.name).write_bytes(p.read_bytes())
    excerpt = "\n\n".join(VENDOR_001.read_text(encoding="utf-8").split("\n\n")[10:40:3])
    (tmp_path / "corpus" / "excerpt.txt").write_text(excerpt, encoding="utf-8")
    (tmp_path / "corpus" / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    done = run(["scan", str(VENDOR_001), "corpus", "--workers", "1"], cwd=tmp_path)
    records = [json.loads(line) for line in done.out.splitlines()]
    assert {r["kind"] for r in records} >= {"reprint", "error"}
    for r in records:
        validate(r, "scan-1.json")


# ---------------------------------------------------------------- 4. one exit-code contract


def test_scan_exits_2_for_an_unreadable_document_and_for_a_glob_matching_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "good.txt").write_bytes(COUNTY_002.read_bytes())
    done = run(["scan", str(VENDOR_001), "bad.txt", "good.txt", "--workers", "1"], cwd=tmp_path)
    assert done.code == 2
    assert [json.loads(x)["kind"] for x in done.out.splitlines()] == ["error", "reprint"]  # every record written first
    assert done.err.splitlines()[-1].startswith("jiaokan: error: 1 document of the corpus could not be read")
    nothing = run(["scan", str(VENDOR_001), "site/**/*.html"], cwd=tmp_path)
    assert nothing.code == 2 and nothing.out_bytes == b""
    assert nothing.err == "jiaokan: error: site/**/*.html: no file matches: the glob matched nothing; check the pattern; quote it so the shell passes ** through\n"


def test_review_exits_0_once_its_page_is_written_unless_asked(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    assert run(["review", str(VENDOR_001), str(COUNTY_002), "-o", str(page)], cwd=tmp_path).code == 0 and page.stat().st_size > 0
    assert run(["review", str(VENDOR_001), str(COUNTY_002), "-o", str(page), "--fail-on", "substantive"], cwd=tmp_path).code == 1
    assert run(["review", str(VENDOR_001), str(VENDOR_001), "-o", str(page), "--fail-on", "any"], cwd=tmp_path).code == 2  # the base itself: no witness
    wrong = run(["review", str(VENDOR_001), str(COUNTY_002), "--fail-on", "some"], cwd=tmp_path)
    assert wrong.code == 2 and "'some' is not a level; use one of: substantive, any, none" in wrong.err


@pytest.mark.parametrize("where", ["before the command", "after the command", "at the end"])
def test_debug_is_accepted_anywhere(where: str, tmp_path: Path) -> None:
    args = ["diff", "missing.txt", str(COUNTY_002)]
    at = {"before the command": 0, "after the command": 1, "at the end": 3}[where]
    done = run([*args[:at], "--debug", *args[at:]], cwd=tmp_path)
    err = done.err
    assert done.code == 2
    assert "Traceback (most recent call last)" in err and err.rstrip().splitlines()[-1].startswith("jiaokan: error: missing.txt")
    quiet = run([*args], cwd=tmp_path)
    assert quiet.code == 2 and "Traceback" not in quiet.err


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_shows_no_internals(command: str, tmp_path: Path) -> None:
    done = run([*([command] if command else []), "--help"], cwd=tmp_path)
    text = done.out
    assert done.code == 0 and text.startswith("Usage: jiaokan")
    for internal in ("<str>", "<list", "<path>", "<int", "{", "Value error", "list[str]", "_cmd"):
        if internal == "{" and command == "scan":
            text = text.replace('{"id", "text"}', "").replace('{"id", "path"}', "")  # the JSONL line shapes, not a type
        assert internal not in text, (command, internal)


def test_the_library_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    diff_files(str(VENDOR_001), str(COUNTY_002))
    assert gc.isenabled()
    gc.disable()
    try:
        diff_files(str(VENDOR_001), str(COUNTY_002))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_main_restores_the_collector_after_a_command() -> None:
    from jiaokan.cli import main

    with pytest.raises(SystemExit) as done:
        main(["diff", "-q", str(VENDOR_001), str(COUNTY_002)])
    assert done.value.code == 1 and gc.isenabled()


def test_load_refuses_a_flag_the_command_does_not_take() -> None:
    with pytest.raises(TypeError, match="trace does not use the settings"):
        config.load("trace", flags={"fail_on": "any"})


def test_docs_cli_says_which_commands_use_each_setting() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| [^|]*(?:\\\|[^|]*)* \| ([a-z, ]+) \|$", text, flags=re.M))
    fields = {"fail-on": "fail_on", "rules": "rules", "framing-patterns": "framing_patterns", "substantive-codes": "substantive_codes",
              "extend-substantive-codes": "substantive_codes", "baseline": "baseline", "include-cosmetic": "include_cosmetic",
              "sites": "sites", "exclude": "exclude", "include": "include"}
    assert set(rows) == set(fields)
    for key, used_by in rows.items():
        assert used_by.split(", ") == [c for c in COMMANDS if fields[key] in USES[c]], key  # type: ignore[index]


def test_every_json_document_has_its_published_schema() -> None:
    folder = resources.files("jiaokan").joinpath("schemas")
    for schema_id, name in serialize.SCHEMAS.items():
        published = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        assert published["title"] == schema_id and published["$id"].endswith("/" + name)


def test_debug_as_an_option_value_is_the_value(tmp_path: Path) -> None:
    done = run(["diff", "-o", "--debug", str(VENDOR_001), str(COUNTY_002)], cwd=tmp_path)
    assert done.code == 1 and (tmp_path / "--debug").read_text(encoding="utf-8").startswith("jiaokan diff")


def test_a_flag_in_a_golden_case_that_the_command_does_not_know_is_an_error() -> None:
    import typer

    with pytest.raises(typer.BadParameter, match="'bogus' is not a level"):
        settings_from_flags("check", ["--fail-on", "bogus"])
    with pytest.raises(Exception, match="No such option: --rulez"):
        settings_from_flags("normalize", ["--rulez", "all"])
    assert settings_from_flags("check", ["--baseline", "x.toml"]).baseline == "x.toml"


def test_architecture_lists_every_module_once() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+\.py)` \|", text, flags=re.M)
    modules = sorted(p.name for p in (ROOT / "src" / "jiaokan").glob("*.py"))
    assert sorted(rows) == modules  # each once: a module added, removed or merged twice shows here
