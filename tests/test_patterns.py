"""The package's patterns come from a cache of compiled programs (jiaokan.patterns, issue 19: start-up).

What a user sees: the same matches as ``re.compile``'s, the cache file written once and read by the next run (no
pattern of the package compiled again), and any fault of the cache (garbage, a program from elsewhere, a folder
that cannot be written, an interpreter without the private names) costing only time, never a match or an error.
"""

from __future__ import annotations

import importlib
import marshal
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import jiaokan
from jiaokan.patterns import compiled

from .cli import process_environment
from .conftest import ALL_SAMPLES, COUNTY_002, VENDOR_001


def _package_patterns() -> list[re.Pattern[str]]:
    """Every compiled pattern held by a module of the package (as the regex audit walks them)."""
    found: dict[tuple[str | bytes, int], re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(jiaokan.__path__, "jiaokan."):
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, re.Pattern):
                found.setdefault((value.pattern, value.flags), value)
    return list(found.values())


def test_the_package_patterns_match_as_re_compiles_them() -> None:
    patterns = _package_patterns()
    assert len(patterns) > 100
    texts = [p.read_text(encoding="utf-8") for p in ALL_SAMPLES]
    for cached in patterns:
        fresh = re.compile(cached.pattern, cached.flags)
        assert (cached.flags, cached.groups, cached.groupindex) == (fresh.flags, fresh.groups, fresh.groupindex), cached.pattern
        if isinstance(cached.pattern, str):
            for text in texts:
                assert [m.span() + m.groups() for m in cached.finditer(text)] == [m.span() + m.groups() for m in fresh.finditer(text)], cached.pattern


def test_compiled_is_re_compile_for_any_pattern() -> None:
    source = r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff]{2,})(?P<tail>〔\d{4}〕)?"
    for flags in (0, re.MULTILINE, re.IGNORECASE | re.VERBOSE):
        mine, theirs = compiled(source, flags), re.compile(source, flags)
        assert (mine.pattern, mine.flags, mine.groupindex) == (theirs.pattern, theirs.flags, theirs.groupindex)
        assert [m.groupdict() for m in mine.finditer("国发〔2022〕14号 和 数字政府")] == [m.groupdict() for m in theirs.finditer("国发〔2022〕14号 和 数字政府")]
    assert compiled(rb"[\x80-\xff]+").findall(b"a\xe4\xb8\xadb") == [b"\xe4\xb8\xad"]
    with pytest.raises(re.error):
        compiled("[unclosed")


# A process that records every pattern jiaokan.patterns had to parse (compile), diffs the samples in-process,
# and prints those of the package's module-level patterns among them, one a line.
PROBE = """
import re._compiler, sys
parsed = set()
parser = re._compiler._parser
parse = parser.parse
def recording(source, *args, **kw):
    if sys._getframe(1).f_code.co_filename.endswith("patterns.py"):  # compiled by the package's cache
        parsed.add(source)
    return parse(source, *args, **kw)
parser.parse = recording
from jiaokan.diff import diff_files
diff_files(sys.argv[1], sys.argv[2])
import jiaokan, pkgutil, importlib
ours = {v.pattern for info in pkgutil.walk_packages(jiaokan.__path__, "jiaokan.") if info.name in sys.modules
        for v in vars(sys.modules[info.name]).values() if isinstance(v, re.Pattern)}
sys.stdout.write("".join(f"{s!r}\\n" for s in sorted(ours & parsed, key=repr)))
"""


def _probe(cache: Path, *pre: str) -> subprocess.CompletedProcess[str]:
    code = "\n".join(pre) + PROBE
    return subprocess.run([sys.executable, "-c", code, str(VENDOR_001), str(COUNTY_002)], capture_output=True, text=True, check=True,
                          env=process_environment({"JIAOKAN_CACHE": str(cache)}), timeout=120)


def _cache_file(cache: Path) -> Path:
    files = list(cache.glob("patterns-*.marshal"))
    assert len(files) == 1, files
    return files[0]


def test_a_second_run_compiles_none_of_the_package_patterns(tmp_path: Path) -> None:
    first = _probe(tmp_path)
    assert first.stdout.count("\n") > 50  # a cold cache: the diff's patterns were compiled
    written = _cache_file(tmp_path)
    assert f"-{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}-" in written.name and jiaokan.__version__ in written.name
    second = _probe(tmp_path)
    assert second.stdout == "", second.stdout


def _diff(cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jiaokan.cli", "diff", str(VENDOR_001), str(COUNTY_002), "-f", "json"], capture_output=True,
                          text=True, env=process_environment({"JIAOKAN_CACHE": str(cache)}), timeout=120, check=False)


def test_a_broken_cache_costs_only_time(tmp_path: Path) -> None:
    good = _diff(tmp_path / "fresh")
    assert good.returncode == 1 and good.stderr == ""
    written = _cache_file(tmp_path / "fresh")
    for name, content in (("garbage", b"\x00not marshal\xff" * 50), ("empty", b""), ("truncated", written.read_bytes()[:1000])):
        folder = tmp_path / name
        folder.mkdir()
        (folder / written.name).write_bytes(content)
        again = _diff(folder)
        assert (again.returncode, again.stdout, again.stderr) == (good.returncode, good.stdout, ""), name
        assert _cache_file(folder).read_bytes() != content  # mended: written whole again


def test_a_program_the_engine_refuses_is_compiled_again(tmp_path: Path) -> None:
    good = _diff(tmp_path)
    written = _cache_file(tmp_path)
    programs = marshal.loads(written.read_bytes())
    programs = {key: (flags, [9999, 1, 2], groups, index, names) for key, (flags, _, groups, index, names) in programs.items()}
    written.write_bytes(marshal.dumps(programs))
    again = _diff(tmp_path)
    assert (again.returncode, again.stdout, again.stderr) == (good.returncode, good.stdout, "")


def test_a_cache_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    done = _diff(blocked / "cache")
    assert done.returncode == 1 and done.stderr == "" and '"findings"' in done.stdout
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_without_the_private_names_patterns_compile_as_re_does(tmp_path: Path) -> None:
    done = _probe(tmp_path, "import re._compiler, sys", "sys.modules['re._parser'] = None")  # an import of it fails
    assert done.stdout == ""  # the diff ran, every pattern compiled by re.compile
    assert not list(tmp_path.glob("patterns-*"))  # and nothing kept
