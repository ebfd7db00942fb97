"""Benchmark: jiaokan check over many witnesses, beside the same diffs run one by one (run by hand).

    python benchmarks/bench_check.py [--witnesses 50] [--repeat 3] [--like 002|001] [--workers 2] [--peers]

Writes N republished copies (each with one or two drifts, half of them with half-width commas) into a temporary
folder — ``--like 002``: of the county notice, checked against itself; ``--like 001``: of the vendor's reprint
(traditional script, pinyin ruby: thousands of cosmetic findings each), checked against the county notice — then
measures in one run (the machine is shared and noisy: best of N):
- ``check()`` serial (``workers=1``) and across ``--workers`` processes, interleaved, with the same result;
- the whole command ``jiaokan check BASE 'dir/*.txt' --workers 1`` and ``--workers N``, its peak RSS;
with ``--peers`` also:
- the library: ``check()`` over the folder, and the peer — ``diff_documents``
  for each witness in a loop — to show what the gate adds (glob expansion,
  baseline matching for every finding, statuses);
- the same with a baseline accepting every finding (the matching at its worst);
- the whole command ``jiaokan check BASE 'dir/*.txt' --format json`` and
  ``--format sarif``, and N separate ``jiaokan diff`` processes.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import baseline as bl
from jiaokan import read_document, serialize
from jiaokan.check import baseline_entries, check
from jiaokan.config import Settings
from jiaokan.diff import diff_documents

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples/directive-county-forward-002.txt"
VENDOR = ROOT / "samples/directive-vendor-reprint-001.txt"
DRIFTS = [("多层次", "多层级"), ("数字政府建设专家委员会", "数字政府建设咨询委员会"), ("到2025年", "到2026年"), ("履职能力建设", "履职能力提升")]
DRIFTS_001 = [("多層次", "多層級"), ("專家委員會", "咨詢委員會"), ("2025年", "2026年"), ("2035年", "2036年")]  # as 001 writes them


def write_witnesses(folder: Path, n: int, like: str = "002") -> list[Path]:
    text = (BASE if like == "002" else VENDOR).read_text(encoding="utf-8")
    drifts = DRIFTS if like == "002" else DRIFTS_001
    comma, half = ("，", ",") if like == "002" else (",", "，")  # 001 has half-width commas already: half get full-width ones
    paths = []
    for k in range(n):
        page = text.replace(*drifts[k % len(drifts)], 1).replace(*drifts[(k + 1) % len(drifts)], 1)
        if k % 2:
            page = page.replace(comma, half)
        path = folder / f"page-{k:04d}.txt"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


def peak_rss(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one process and its children (/usr/bin/time's %M is the largest one)."""
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    return wall, int(r.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--witnesses", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--like", choices=("002", "001"), default="002")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--peers", action="store_true", help="also the diff loop, the all-accepted baseline and N jiaokan diff processes")
    args = ap.parse_args()
    gc.disable()  # as the command line runs (docs/performance.md: the cyclic collector)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_witnesses(folder, args.witnesses, args.like)
        base = read_document(str(BASE))
        settings = Settings()
        pattern = str(folder / "*.txt")
        n = args.witnesses

        def timed(workers: int) -> float:
            t = time.perf_counter()
            check(base, [pattern], settings=settings, workers=workers)
            return time.perf_counter() - t

        check(base, [pattern], settings=settings, workers=1)  # warm: the tables load once
        serial, parallel = [], []
        for _ in range(args.repeat):  # interleaved: the machine's noise falls on both alike
            serial.append(timed(1))
            parallel.append(timed(args.workers))
        one = serialize.to_json(serialize.data(check(base, [pattern], settings=settings, workers=1)))
        same = one == serialize.to_json(serialize.data(check(base, [pattern], settings=settings, workers=args.workers)))
        cmd = [sys.executable, "-m", "jiaokan.cli", "check", str(BASE), pattern, "--format", "json"]
        c_serial = min(peak_rss([*cmd, "--workers", "1"]) for _ in range(args.repeat))
        c_parallel = min(peak_rss([*cmd, "--workers", str(args.workers)]) for _ in range(args.repeat))
        print(f"witnesses: {n} copies like {args.like} ({(BASE if args.like == '002' else VENDOR).name}), base {BASE.name} ({len(base.text):,} characters)")
        print(f"library check() serial                 {min(serial):7.2f} s  {n / min(serial):6.1f} witnesses/s  (median {statistics.median(serial):.2f})")
        print(f"library check() {args.workers} workers              {min(parallel):7.2f} s  {n / min(parallel):6.1f} witnesses/s  (median {statistics.median(parallel):.2f})"
              f"  serial/parallel = {min(serial) / min(parallel):.2f}; same JSON: {same}")
        print(f"jiaokan check --format json --workers 1 {c_serial[0]:7.2f} s  peak RSS {c_serial[1]:.0f} MB")
        print(f"jiaokan check --format json --workers {args.workers} {c_parallel[0]:7.2f} s  peak RSS (largest process) {c_parallel[1]:.0f} MB")
        if not args.peers:
            return
        t_check = min(serial)
        t_loop = best(lambda: [diff_documents(base, read_document(str(p))) for p in paths], args.repeat)
        result = check(base, [pattern], settings=settings)
        entries = baseline_entries(result, None, folder)
        (folder / "accepted.toml").write_text(bl.dumps(entries, base=str(BASE)), encoding="utf-8")
        accepted = bl.load(folder / "accepted.toml")
        t_accepted = best(lambda: check(base, [pattern], settings=settings, accepted=accepted), args.repeat)
        assert check(base, [pattern], settings=settings, accepted=accepted).exit_code == 0

        def cli(*extra: str) -> float:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "jiaokan.cli", "check", str(BASE), pattern, *extra], capture_output=True, check=False)
            return time.perf_counter() - t

        c_sarif = min(cli("--format", "sarif") for _ in range(args.repeat))
        t = time.perf_counter()
        for p in paths:
            subprocess.run([sys.executable, "-m", "jiaokan.cli", "diff", str(BASE), str(p), "--format", "json"], capture_output=True, check=False)
        c_diffs = time.perf_counter() - t

    print(f"library diff_documents loop (peer)     {t_loop:7.2f} s  {n / t_loop:6.1f} witnesses/s  check/loop = {t_check / t_loop:.2f}")
    print(f"library check() with all {len(entries)} accepted  {t_accepted:7.2f} s  {n / t_accepted:6.1f} witnesses/s  / check = {t_accepted / t_check:.2f}")
    print(f"jiaokan check --format sarif (process) {c_sarif:7.2f} s")
    print(f"{n} x jiaokan diff processes (peer)     {c_diffs:7.2f} s  check/diffs = {c_serial[0] / c_diffs:.2f}")


if __name__ == "__main__":
    main()
