"""Start-up cost of the command line: whole processes, best and median of N, and the import budget (run by hand).

    python benchmarks/bench_start.py [--runs 7] [--cpu] [--peer PATH_TO_OTHER_SRC] [--peer-path EXTRA_SYS_PATH] [--importtime]

Each case is ``python -m jiaokan.cli ARGS`` in a fresh process, from this tree's src (and, with --peer, the same
cases from another tree's src in the same loop, interleaved, for a before/after on the same noisy machine).
--path / --peer-path put an extra folder first on that side's PYTHONPATH (e.g. a --target install of another typer).
Compile first and keep bytecode: ``python -m compileall -q src`` and run without PYTHONDONTWRITEBYTECODE.
--importtime prints the modules a ``jiaokan diff`` imports, by cumulative microseconds (best of the runs), from
``python -X importtime``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE, WITNESS = "samples/directive-vendor-reprint-001.txt", "samples/directive-county-forward-002.txt"
CASES = {"python -c pass": [], "--version": ["--version"], "diff 001 002": ["diff", BASE, WITNESS], "diff 001 002 -f json": ["diff", BASE, WITNESS, "-f", "json"]}


def environment(src: Path, extra: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("JIAOKAN_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (extra, str(src)) if p)
    return env


def once(args: list[str], env: dict[str, str], cpu: bool = False) -> float:
    """Seconds of one process: wall clock, or (``cpu``) the user + system time the process itself used, which the
    other loads of a shared machine disturb far less than they do the wall clock."""
    start = time.perf_counter()  # no arguments: the interpreter alone, the floor
    child = subprocess.Popen([sys.executable, *(["-m", "jiaokan.cli", *args] if args else ["-c", "pass"])], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped here
    return usage.ru_utime + usage.ru_stime if cpu else time.perf_counter() - start


def importtime(args: list[str], env: dict[str, str], runs: int) -> dict[str, tuple[int, int]]:
    """module → (self µs, cumulative µs), best of ``runs``."""
    best: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "jiaokan.cli", *args], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
                continue
            own, total, name = line[len("import time:"):].split("|")
            key = name.rstrip()
            value = (int(own), int(total))
            best[key] = min(best.get(key, value), value, key=lambda v: v[1])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--path", help="a folder first on this tree's PYTHONPATH")
    parser.add_argument("--peer", type=Path, help="another tree's src: the same cases, interleaved")
    parser.add_argument("--peer-path", help="a folder first on the peer's PYTHONPATH")
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cpu", action="store_true", help="the processes' CPU time (user + system) instead of the wall clock")
    args = parser.parse_args()
    sides = {"this": environment(ROOT / "src", args.path)}
    if args.peer:
        sides["peer"] = environment(args.peer, args.peer_path)
    times: dict[tuple[str, str], list[float]] = {(s, c): [] for s in sides for c in CASES}
    for _ in range(args.runs):
        for case, argv in CASES.items():
            for side, env in sides.items():
                times[side, case].append(once(argv, env, args.cpu))
    print(f"whole process, {'CPU ' if args.cpu else ''}seconds, best / median of {args.runs} ({sys.executable}, {sys.version.split()[0]})")
    print(f"| command | {' | '.join(sides)} |")
    print(f"|---|{'---|' * len(sides)}")
    for case in CASES:
        cells = [f"{min(times[s, case]):.3f} / {statistics.median(times[s, case]):.3f}" for s in sides]
        print(f"| `{case if case.startswith('python') else 'jiaokan ' + case}` | {' | '.join(cells)} |")
    if args.importtime:
        for side, env in sides.items():
            table = importtime(CASES["diff 001 002"], env, args.runs)
            print(f"\nimports of `jiaokan diff 001 002` ({side}), best of {args.runs}: module, self ms, cumulative ms")
            for name, (own, total) in sorted(table.items(), key=lambda kv: -kv[1][1])[:args.top]:
                print(f"| {name} | {own / 1000:.1f} | {total / 1000:.1f} |")


if __name__ == "__main__":
    main()
