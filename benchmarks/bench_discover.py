"""Listing a project folder: the walk jiaokan had (``Path.rglob``, nothing skipped) against ``discover.walk``.

Two trees in a temporary folder: a site of 200 pages beside node_modules (20,000 files) and a .venv (5,000); and a
site of 5,000 pages in 50 folders, each with its own .gitignore, where nothing is skipped (the rules' own cost).
Best of three.  ``python benchmarks/bench_discover.py``; figures in docs/discover.md.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jiaokan.discover import walk
from jiaokan.ingest import EXTENSIONS


def write(root: Path, rel: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")


def best(listing: Callable[[], list[str]]) -> tuple[int, float]:
    times = []
    n = 0
    for _ in range(3):
        start = time.perf_counter()
        n = len(listing())
        times.append(time.perf_counter() - start)
    return n, min(times)


def rglob() -> list[str]:
    return sorted(str(p) for p in Path(".").rglob("*") if p.suffix.lower() in EXTENSIONS and p.is_file())


def main() -> None:
    here = os.getcwd()
    for name, build in (("vendored", vendored), ("gitignores", gitignores)):
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp))
            os.chdir(tmp)
            try:
                n_old, t_old = best(rglob)
                n_new, t_new = best(lambda: walk(".", EXTENSIONS))
            finally:
                os.chdir(here)
        print(f"{name}: rglob {n_old} files {t_old * 1000:.0f} ms; discover.walk {n_new} files {t_new * 1000:.0f} ms")


def vendored(root: Path) -> None:
    for i in range(200):
        write(root, f"site/s{i % 20}/page{i}.html")
    for i in range(20000):
        write(root, f"node_modules/m{i % 500}/README{i}.md")
    for i in range(5000):
        write(root, f".venv/lib/p{i % 100}/LICENSE{i}.txt")


def gitignores(root: Path) -> None:
    for i in range(5000):
        write(root, f"site/s{i % 50}/page{i}.html")
    for k in range(50):
        (root / "site" / f"s{k}" / ".gitignore").write_text("*.log\n!keep.log\ndrafts/\n", encoding="utf-8")
    (root / ".gitignore").write_text("*.bak\n", encoding="utf-8")


if __name__ == "__main__":
    main()
