"""Which files folders and globs name: hidden and vendored folders, .gitignore, --exclude/--include, link loops."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from jiaokan.check import expand
from jiaokan.discover import Rules

from .cli import run

TEXT = "第一条　为了规范政务数据共享，制定本办法。\n第二条　本办法适用于本省行政区域内的政务数据共享工作。\n"
DRIFTED = TEXT.replace("本省", "本市")


def write(path: Path, text: str = TEXT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A project as users have them: a site, a virtualenv, node_modules, a hidden folder, .gitignore files, a loop."""
    (tmp_path / ".git" / "info").mkdir(parents=True)
    write(tmp_path / ".git" / "info" / "exclude", "secret/\n")
    write(tmp_path / "official.txt")
    write(tmp_path / "site" / "a.txt")
    write(tmp_path / "site" / "news" / "b.html", f"<html><body><p>{TEXT}</p></body></html>")
    write(tmp_path / "site" / "keep.txt")  # re-included by !keep.txt
    write(tmp_path / "site" / "old.txt")  # ignored by site/.gitignore's *.txt
    write(tmp_path / ".venv" / "lib" / "site-packages" / "pkg" / "README.md", "# pkg\n")
    write(tmp_path / "node_modules" / "x" / "LICENSE.txt", "MIT License\n")
    write(tmp_path / ".cache" / "page.html", "<p>cached</p>")
    write(tmp_path / "dist" / "bundle.html", f"<html><body><p>{TEXT}</p></body></html>")
    write(tmp_path / "drafts" / "one.txt")
    write(tmp_path / "drafts" / "keep.txt")
    write(tmp_path / "secret" / "s.txt")
    write(tmp_path / "site" / "tmp" / "scratch.md")
    write(tmp_path / "site" / "news" / "c.txt")  # ignored by site/.gitignore, which applies to its subtree
    write(tmp_path / "site" / "news" / "d.txt", DRIFTED)  # re-included by the deeper site/news/.gitignore
    write(tmp_path / ".gitignore", "drafts/*\n!drafts/keep.txt\n*.md\n")
    write(tmp_path / "site" / ".gitignore", "# pages kept\n*.txt\n!keep.txt\n!a.txt\n")
    write(tmp_path / "site" / "news" / ".gitignore", "!d.txt\n")
    os.symlink("..", tmp_path / "site" / "news" / "loop")  # site/news/loop -> site
    return tmp_path


READ = ["drafts/keep.txt", "site/a.txt", "site/keep.txt", "site/news/b.html", "site/news/d.txt"]


def read_lines(err: str) -> list[str]:
    return [line.removeprefix("jiaokan: read ") for line in err.splitlines() if line.startswith("jiaokan: read ")]


def skip_lines(err: str) -> dict[str, str]:
    out = {}
    for line in err.splitlines():
        if line.startswith("jiaokan: skip "):
            path, _, why = line.removeprefix("jiaokan: skip ").partition(" (")
            out[path] = why.removesuffix(")")
    return out


def test_a_folder_walk_skips_hidden_vendored_and_ignored_files(tree: Path) -> None:
    done = run(["check", "official.txt", ".", "--verbose"], cwd=tree)
    assert done.code == 1, done.err  # site/news/d.txt drifts
    assert read_lines(done.err) == READ  # sorted, and only these
    assert "5 witnesses" in done.out
    for vendored in ("node_modules", ".venv", "README.md", "LICENSE.txt", "bundle.html"):
        assert vendored not in done.out
    skipped = skip_lines(done.err)
    assert skipped[".venv/"] == "hidden"
    assert skipped[".cache/"] == "hidden"
    assert skipped["node_modules/"] == "default exclude: node_modules"
    assert skipped["dist/"] == "default exclude: dist"
    assert skipped["drafts/one.txt"] == ".gitignore:1: drafts/*"
    assert skipped["secret/"] == ".git/info/exclude:1: secret/"
    assert skipped["site/old.txt"] == os.path.join("site", ".gitignore") + ":2: *.txt"
    assert skipped["site/news/c.txt"] == os.path.join("site", ".gitignore") + ":2: *.txt"
    assert skipped["site/tmp/scratch.md"] == ".gitignore:3: *.md"
    assert skipped["site/news/loop/"] == "a link to a folder already walked"
    assert skipped["official.txt"] == "the BASE itself"


def test_a_file_named_is_always_read(tree: Path) -> None:
    done = run(["check", "official.txt", "node_modules/x/LICENSE.txt", "drafts/one.txt", "-v"], cwd=tree)
    assert read_lines(done.err) == ["node_modules/x/LICENSE.txt", "drafts/one.txt"]
    assert "2 witnesses" in done.out


def test_a_folder_named_is_walked_though_its_name_is_excluded(tree: Path) -> None:
    done = run(["check", "official.txt", "dist", "-v"], cwd=tree)
    assert done.code == 0, done.err
    assert read_lines(done.err) == [os.path.join("dist", "bundle.html")]


def test_exclude_and_include(tree: Path) -> None:
    done = run(["check", "official.txt", ".", "-v", "--exclude", "news/", "--exclude", "keep.*"], cwd=tree)
    assert read_lines(done.err) == ["site/a.txt"]  # drafts/keep.txt too
    skipped = skip_lines(done.err)
    assert skipped["site/news/"] == "--exclude 'news/'"
    assert skipped["site/keep.txt"] == "--exclude 'keep.*'"
    assert done.code == 0  # the drifted copy is under news/

    done = run(["check", "official.txt", ".", "-v", "--include", "*.html"], cwd=tree)
    assert read_lines(done.err) == ["site/news/b.html"]
    assert skip_lines(done.err)["site/a.txt"] == "not matched by --include '*.html'"


def test_exclude_filters_a_glob_too(tree: Path) -> None:
    done = run(["check", "official.txt", "site/**/*.txt", "-v", "--exclude", "d.txt"], cwd=tree)
    assert read_lines(done.err) == ["site/a.txt", "site/keep.txt", "site/news/c.txt", "site/old.txt"]  # a glob: .gitignore not applied
    assert done.code == 0


def test_configured_exclude_and_its_validation(tree: Path) -> None:
    write(tree / "jiaokan.toml", 'exclude = ["news/"]\n')
    done = run(["check", "official.txt", "site", "-v"], cwd=tree)
    assert read_lines(done.err) == ["site/a.txt", "site/keep.txt"]
    shown = run(["check", "--show-config"], cwd=tree)
    assert 'exclude = [\n    "news/",\n]' in shown.out or 'exclude = ["news/"]' in shown.out
    assert run(["check", "official.txt", "site", "-v", "--exclude", "a.txt"], cwd=tree).err.count("jiaokan: read ") == 3  # the flag replaces it

    write(tree / "jiaokan.toml", 'exclude = "news/"\n')
    bad = run(["check", "official.txt", "site"], cwd=tree)
    assert bad.code == 2 and "'exclude' must be a list of strings" in bad.err
    write(tree / "jiaokan.toml", 'include = [""]\n')
    bad = run(["check", "official.txt", "site"], cwd=tree)
    assert bad.code == 2 and "not a pattern" in bad.err and "Traceback" not in bad.err
    (tree / "jiaokan.toml").unlink()
    bad = run(["check", "official.txt", "site", "--exclude", " "], cwd=tree)
    assert bad.code == 2 and "--exclude ' ': not a pattern" in bad.err


def test_a_link_loop_ends_in_a_glob(tree: Path) -> None:
    os.symlink("..", tree / "site" / "news" / "loop2")  # two loops: glob.glob would take 2**40 steps
    start = time.monotonic()
    found = [p for p, error in expand([f"{tree}/site/**/*.txt"], rules=Rules()) if error is None]
    assert time.monotonic() - start < 5
    assert all("loop" not in os.path.relpath(p, tree) for p in found)
    assert len(found) == 5


def test_nothing_left_after_the_rules_is_an_error(tree: Path) -> None:
    done = run(["check", "official.txt", "node_modules/x", "--exclude", "*.txt"], cwd=tree)
    assert done.code == 2
    assert "no documents in this folder" in done.err and "--verbose" in done.err


def test_scan_collate_review_walk_alike(tree: Path) -> None:
    out = tree / "out.jsonl"
    done = run(["scan", "official.txt", ".", "-o", str(out), "-v"], cwd=tree)
    assert done.code in (0, 1), done.err
    ids = sorted(json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines())
    assert ids == sorted([*READ, "official.txt"])  # scan looks for the base in the corpus too
    assert "jiaokan: read site/a.txt" in done.err

    done = run(["collate", "site", "--exclude", "news/", "-v"], cwd=tree)
    assert done.code == 0, done.err
    assert read_lines(done.err) == ["site/a.txt", "site/keep.txt"]
    done = run(["collate", "site", "--include", "a.txt"], cwd=tree)
    assert done.code == 2 and "at least two copies" in done.err

    page = tree / "review.html"
    done = run(["review", "official.txt", "site", "--include", "d.txt", "-o", str(page), "-v"], cwd=tree)
    assert done.code == 0, done.err
    assert read_lines(done.err) == [os.path.join("site", "news", "d.txt")]
    assert "本市" in page.read_text(encoding="utf-8")
