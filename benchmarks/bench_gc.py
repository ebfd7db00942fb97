"""Benchmark: the library's diff with Python's cyclic garbage collector on and off (run by hand).

    python benchmarks/bench_gc.py [--scales 1,4,16] [--repeat 5]

The command line switches the collector off for its one run (``jiaokan.cli.main``); the library leaves it as
its caller set it.  This measures what that choice costs a library caller who leaves it on: the samples' two
copies concatenated K times, ``diff_documents`` best of N with the collector on, then off, in one process.
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import document_from_text, read_document
from jiaokan.diff import diff_documents

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    base = read_document(str(ROOT / "samples/directive-vendor-reprint-001.txt"))
    witness = read_document(str(ROOT / "samples/directive-county-forward-002.txt"))
    diff_documents(base, witness)  # warm: dictionaries loaded
    print("| scale | collector on | collector off | on / off |")
    print("|---:|---:|---:|---:|")
    for k in (int(s) for s in args.scales.split(",")):
        a = document_from_text("\n\n".join([base.text] * k), path=f"base-{k}x.txt")
        b = document_from_text("\n\n".join([witness.text] * k), path=f"witness-{k}x.txt")
        repeat = max(1, args.repeat if k < 16 else args.repeat // 2)
        on = best(lambda a=a, b=b: diff_documents(a, b), repeat)
        gc.disable()
        try:
            off = best(lambda a=a, b=b: diff_documents(a, b), repeat)
        finally:
            gc.enable()
        print(f"| {k}× | {on * 1000:,.0f} ms | {off * 1000:,.0f} ms | {on / off:.2f} |")


if __name__ == "__main__":
    main()
