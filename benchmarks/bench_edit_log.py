"""Benchmark: the edit log of a large traditional text — time and the peak its building adds (run by hand).

    python benchmarks/bench_edit_log.py [--src DIR ...] [--mb 4] [--repeat 3]

Directive 001 (a traditional reprint: a mark for every third character) repeated to ``--mb`` megabytes, read and
normalized once per ``--src`` (a ``src`` folder holding a ``jiaokan`` package: this branch's and a checkout of main,
each in its own child process, so that both figures come from one run); then ``Normalized.edit_log()`` built
``--repeat`` times: the best CPU time, and, once more under ``tracemalloc``, the peak of memory it allocated above
what the normalized text already held (and what the finished log keeps).  The cyclic GC is off, as the CLI runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples/directive-vendor-reprint-001.txt"

_MEASURE = r"""
import gc, json, sys, time, tracemalloc
gc.disable()
from jiaokan import document_from_text, normalize
from jiaokan.normalize import EditLog
text = open(sys.argv[1], encoding="utf-8").read()
size = int(float(sys.argv[2]) * 1_000_000)
text = (text * (size // len(text.encode("utf-8")) + 1))
while len(text.encode("utf-8")) > size:
    text = text[: len(text) * 9 // 10]
norm = normalize(document_from_text(text))
best = 1e9
for _ in range(int(sys.argv[3])):
    t = time.process_time()
    log = EditLog(norm.mapped, norm.document.text)
    best = min(best, time.process_time() - t)
    del log
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
log = EditLog(norm.mapped, norm.document.text)
now, peak = tracemalloc.get_traced_memory()
print(json.dumps({"chars": len(text), "edits": len(log), "seconds": best, "peak_mb": (peak - base) / 1e6, "kept_mb": (now - base) / 1e6}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", action="append", help="a src folder holding a jiaokan package (repeatable; default: this tree's)")
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("| src | characters | edits | edit_log() CPU | peak while built | kept |\n|---|---:|---:|---:|---:|---:|")
    for src in args.src or [str(ROOT / "src")]:
        env = {**os.environ, "PYTHONPATH": src, "JIAOKAN_MAX_CHARS": str(10**9)}
        out = subprocess.run([sys.executable, "-c", _MEASURE, str(SAMPLE), str(args.mb), str(args.repeat)], env=env,
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out)
        print(f"| {src} | {r['chars']:,} | {r['edits']:,} | {r['seconds']:.2f} s | {r['peak_mb']:.0f} MB | {r['kept_mb']:.0f} MB |")
    print(f"\ncommand: python benchmarks/bench_edit_log.py --mb {args.mb:g} --repeat {args.repeat} " + " ".join(f"--src {s}" for s in args.src or []))


if __name__ == "__main__":
    main()
