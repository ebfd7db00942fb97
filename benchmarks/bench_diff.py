"""Benchmark: jiaokan diff speed and scaling, beside whole-text diffs (run by hand).

    python benchmarks/bench_diff.py [--base B] [--witness W] [--repeat 5] [--scales 1,4,16] [--difflib-max 4]

Measures, in one run on the same machine (it is shared and noisy: best of N):
- ``jiaokan diff BASE WITNESS --format json`` as a whole process;
- the library call ``diff_documents`` after import and one warm-up;
- both texts concatenated K times: jiaokan's library call, rapidfuzz's
  ``Levenshtein.opcodes`` and difflib's ``SequenceMatcher.get_opcodes`` on the
  same normalized texts (difflib only up to ``--difflib-max``, it is quadratic),
  and the ratio of time at K to time at 1.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from functools import partial
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script
from rapidfuzz.distance import Levenshtein

from jiaokan import document_from_text, normalize, read_document
from jiaokan.diff import diff_documents

ROOT = Path(__file__).resolve().parent.parent


def _difflib_opcodes(a: str, b: str) -> object:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default=str(ROOT / "samples/directive-vendor-reprint-001.txt"))
    ap.add_argument("--witness", default=str(ROOT / "samples/directive-county-forward-002.txt"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--difflib-max", type=int, default=4)
    args = ap.parse_args()

    def process() -> None:
        subprocess.run(["jiaokan", "diff", args.base, args.witness, "--format", "json"], capture_output=True, check=False)

    t_proc = best(process, args.repeat)
    base, wit = read_document(args.base), read_document(args.witness)
    t_lib = best(lambda: diff_documents(base, wit), args.repeat)
    print(f"- `jiaokan diff` whole process, {Path(args.base).name} vs {Path(args.witness).name}: {t_proc * 1000:.0f} ms")
    print(f"- library `diff_documents` after import (warm): {t_lib * 1000:.1f} ms")
    print()
    print("| K | characters (normalized base) | jiaokan | ratio to K=1 | rapidfuzz Levenshtein.opcodes | ratio | difflib SequenceMatcher | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    first: dict[str, float] = {}
    for k in (int(x) for x in args.scales.split(",")):
        bt = "\n\n".join([base.text] * k)
        wt = "\n\n".join([wit.text] * k)
        bd, wd = document_from_text(bt, path="base"), document_from_text(wt, path="witness")
        na, nb = normalize(bd).text, normalize(wd).text
        reps = max(1, args.repeat if k < 16 else 2)
        t_j = best(partial(diff_documents, bd, wd), reps)
        t_r = best(partial(Levenshtein.opcodes, na, nb), reps)
        t_d = best(partial(_difflib_opcodes, na, nb), 1) if k <= args.difflib_max else None
        first.setdefault("j", t_j)
        first.setdefault("r", t_r)
        if t_d is not None:
            first.setdefault("d", t_d)
        d_cell = f"{t_d:.2f} s | {t_d / first['d']:.1f}×" if t_d is not None else "(skipped) | "
        print(f"| {k} | {len(na):,} | {t_j:.3f} s | {t_j / first['j']:.1f}× | {t_r:.3f} s | {t_r / first['r']:.1f}× | {d_cell} |")
    print()
    print(f"python {sys.version.split()[0]}; command: python benchmarks/bench_diff.py --scales {args.scales} --difflib-max {args.difflib_max}")


if __name__ == "__main__":
    main()
