"""Benchmark: jiaokan check over many witnesses, beside the same diffs run one by one (run by hand).

    python benchmarks/bench_check.py [--witnesses 50] [--repeat 3]

Writes N republished copies of the county notice (each with one or two drifts,
half of them with half-width commas) into a temporary folder, then measures in
one run (the machine is shared and noisy: best of N):
- the library: ``check()`` over the folder, and the peer — ``diff_documents``
  for each witness in a loop — to show what the gate adds (glob expansion,
  baseline matching for every finding, statuses);
- the same with a baseline accepting every finding (the matching at its worst);
- the whole command ``jiaokan check BASE 'dir/*.txt' --format json`` and
  ``--format sarif``, and N separate ``jiaokan diff`` processes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import baseline as bl
from jiaokan import read_document
from jiaokan.check import baseline_entries, check
from jiaokan.config import Settings
from jiaokan.diff import diff_documents

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples/directive-county-forward-002.txt"
DRIFTS = [("多层次", "多层级"), ("数字政府建设专家委员会", "数字政府建设咨询委员会"), ("到2025年", "到2026年"), ("履职能力建设", "履职能力提升")]


def write_witnesses(folder: Path, n: int) -> list[Path]:
    text = BASE.read_text(encoding="utf-8")
    paths = []
    for k in range(n):
        page = text.replace(*DRIFTS[k % len(DRIFTS)], 1).replace(*DRIFTS[(k + 1) % len(DRIFTS)], 1)
        if k % 2:
            page = page.replace("，", ",")
        path = folder / f"page-{k:04d}.txt"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--witnesses", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_witnesses(folder, args.witnesses)
        base = read_document(str(BASE))
        settings = Settings()
        pattern = str(folder / "*.txt")

        t_check = best(lambda: check(base, [pattern], settings=settings), args.repeat)
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

        c_json = min(cli("--format", "json") for _ in range(args.repeat))
        c_sarif = min(cli("--format", "sarif") for _ in range(args.repeat))
        t = time.perf_counter()
        for p in paths:
            subprocess.run([sys.executable, "-m", "jiaokan.cli", "diff", str(BASE), str(p), "--format", "json"], capture_output=True, check=False)
        c_diffs = time.perf_counter() - t

    n = args.witnesses
    print(f"witnesses: {n} copies of {BASE.name} ({len(base.text):,} characters), {len(entries)} findings to accept")
    print(f"library check()                        {t_check:7.2f} s  {n / t_check:6.1f} witnesses/s")
    print(f"library diff_documents loop (peer)     {t_loop:7.2f} s  {n / t_loop:6.1f} witnesses/s  check/loop = {t_check / t_loop:.2f}")
    print(f"library check() with all accepted      {t_accepted:7.2f} s  {n / t_accepted:6.1f} witnesses/s  / check = {t_accepted / t_check:.2f}")
    print(f"jiaokan check --format json (process)  {c_json:7.2f} s")
    print(f"jiaokan check --format sarif (process) {c_sarif:7.2f} s")
    print(f"{n} x jiaokan diff processes (peer)     {c_diffs:7.2f} s  check/diffs = {c_json / c_diffs:.2f}")


if __name__ == "__main__":
    main()
