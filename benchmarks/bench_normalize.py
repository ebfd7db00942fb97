"""Benchmark: ingest + normalize, and each rule's throughput (run by hand).

    python benchmarks/bench_normalize.py samples/directive-vendor-reprint-001.txt [--repeat 7]

Reports, best of N after one warm-up call (the machine is shared and noisy):
- first call in a fresh process (loads OpenCC's and pypinyin's dictionaries),
- ingest + normalize of the file with all rules, after import and warm-up,
- each rule alone, applied to the text as the previous rules leave it,
  in MB/s of UTF-8 input and M characters/s, so the slow rule is visible.
Figures go to docs/performance.md with this command.

    python benchmarks/bench_normalize.py --together samples/directive-vendor-reprint-001.txt samples/directive-county-forward-002.txt

prints only the warm normalization of all the files together (already read; the cyclic collector off, as the
command line runs), without and with every edit made (``Normalized.edits()``, which the diff's cosmetic findings
read), best and median of N: run it with PYTHONPATH=<a src folder> for each engine compared.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from functools import partial

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import normalize, read_document
from jiaokan.normalize import RULES, assemble_paragraphs
from jiaokan.textmap import MappedText


def _read_and_normalize(path: str) -> object:
    return normalize(read_document(path))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--together", action="store_true", help="only the warm normalization of all the files together")
    args = ap.parse_args()
    if args.together:
        together(args.files, max(args.repeat, 5))
        return
    for path in args.files:
        cold = subprocess.run(
            [sys.executable, "-c",
             "import time,sys; from jiaokan import read_document, normalize; t=time.perf_counter(); "
             f"normalize(read_document({path!r})); print(time.perf_counter()-t)"],
            capture_output=True, text=True, check=True,
        )
        doc = read_document(path)
        size = len(doc.text.encode("utf-8"))
        total = best(partial(_read_and_normalize, path), args.repeat)
        print(f"## {path}: {len(doc.text):,} characters, {size:,} bytes UTF-8")
        print()
        print(f"- first call in a fresh process (dictionaries load): {float(cold.stdout) * 1000:.1f} ms")
        print(f"- ingest + normalize, all rules, warm: {total * 1000:.1f} ms ({size / total / 1e6:.2f} MB/s)")
        print()
        print("| rule | ms | MB/s | M chars/s |")
        print("|---|---:|---:|---:|")
        mt = MappedText.identity(doc.text)
        for rule in RULES:
            if rule.fn is None:  # applied when copies are compared (regional), not here
                continue
            current = mt
            t = best(partial(rule.fn, current, doc), args.repeat)
            nbytes = len(current.text.encode("utf-8"))
            print(f"| {rule.name} | {t * 1000:.2f} | {nbytes / t / 1e6:.1f} | {len(current.text) / t / 1e6:.2f} |")
            mt = rule.fn(current, doc)
        t = best(partial(assemble_paragraphs, mt), args.repeat)
        print(f"| (paragraph assembly) | {t * 1000:.2f} | {len(mt.text.encode('utf-8')) / t / 1e6:.1f} | {len(mt.text) / t / 1e6:.2f} |")
        t = best(partial(read_document, path), args.repeat)
        print(f"| (ingest: read + decode + metadata) | {t * 1000:.2f} | {size / t / 1e6:.1f} | {len(doc.text) / t / 1e6:.2f} |")
        print()


def together(paths: list[str], repeat: int) -> None:
    docs = [read_document(p) for p in paths]
    gc.disable()
    for name, edits in (("normalize", False), ("normalize + edits()", True)):
        def run(edits: bool = edits) -> None:
            for d in docs:
                n = normalize(d)
                if edits:
                    n.edits()
        run()
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            run()
            times.append(time.perf_counter() - t)
        times.sort()
        print(f"- {name} of {len(docs)} files, warm: best {times[0] * 1000:.1f} ms, median {times[len(times) // 2] * 1000:.1f} ms")
    gc.enable()


if __name__ == "__main__":
    main()
