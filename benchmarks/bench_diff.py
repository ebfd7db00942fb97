"""Benchmark: jiaokan diff speed and scaling, beside whole-text diffs, in one run (run by hand).

    python benchmarks/bench_diff.py [--scales 1,4,16,64] [--repeat 3] [--budget 20] [--kinds edited,shuffled,unrelated]

Measures, on the same machine in one run (it is shared and noisy: best of N, CPU time of the process that runs it):
- ``jiaokan diff BASE WITNESS --format json`` as a whole process, and the library call ``diff_documents`` warm;
- at each scale K, the directive (samples/directive-vendor-reprint-001.txt) K times against three witnesses:
  *edited*: the county's forwarded copy (…-002.txt, the same text edited and wrapped) K times;
  *shuffled*: the base's own K× text with its paragraphs in another order (seeded);
  *unrelated*: other official texts of the same size (the newer version of each law in ../shared/realdata, one
  after another, cycled to K× the directive's length);
  jiaokan's library call (reading, normalizing, everything) beside the peers on the same two normalized texts:
  rapidfuzz ``Levenshtein.opcodes``, difflib ``SequenceMatcher.get_opcodes`` (autojunk off) and diff-match-patch's
  ``diff_main`` with its default ``Diff_Timeout`` of 1 s and with ``Diff_Timeout = 0`` (no time-out).
- For diff-match-patch with the time-out, how coarse its diff is: the characters it marks changed (both sides)
  against the untimed diff's (or, where that did not finish, against rapidfuzz's optimal alignment), and its edits.

A peer runs in a child process killed at ``--budget`` seconds; its larger sizes are skipped once a call exceeded the
budget or would (time × (K / K_before)², the peers being quadratic), and the table says so.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import multiprocessing as mp
import random
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Levenshtein

from jiaokan import document_from_text, normalize, read_document
from jiaokan.diff import diff_documents

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
PEERS = ("rapidfuzz", "difflib", "dmp 1 s", "dmp untimed")

Stats = tuple[int, int]  # (characters marked changed, both sides; edits)


def _rapidfuzz(a: str, b: str) -> Stats:
    ops = [o for o in Levenshtein.opcodes(a, b) if o.tag != "equal"]
    return sum(o.src_end - o.src_start + o.dest_end - o.dest_start for o in ops), len(ops)


def _difflib(a: str, b: str) -> Stats:
    ops = [o for o in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if o[0] != "equal"]
    return sum(i2 - i1 + j2 - j1 for _, i1, i2, j1, j2 in ops), len(ops)


def _dmp(timeout: float) -> Callable[[str, str], Stats]:
    def run(a: str, b: str) -> Stats:
        d = diff_match_patch()
        d.Diff_Timeout = timeout
        ops = [(op, text) for op, text in d.diff_main(a, b) if op != 0]
        return sum(len(text) for _, text in ops), len(ops)
    return run


RUNNERS: dict[str, Callable[[str, str], Stats]] = {"rapidfuzz": _rapidfuzz, "difflib": _difflib, "dmp 1 s": _dmp(1.0), "dmp untimed": _dmp(0.0)}


def _child(name: str, a: str, b: str, repeat: int, conn: Connection) -> None:
    gc.disable()
    best, stats = float("inf"), (0, 0)
    for _ in range(repeat):
        t = time.process_time()
        stats = RUNNERS[name](a, b)
        best = min(best, time.process_time() - t)
    conn.send((best, stats))


def peer(name: str, a: str, b: str, repeat: int, budget: float) -> tuple[float, Stats] | None:
    """Best CPU time of ``repeat`` calls and what the diff marked, in a child process; None if killed at the budget."""
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(name, a, b, repeat, there))
    p.start()
    got = here.recv() if here.poll(budget * repeat + 5) else None
    p.kill()
    p.join()
    return got


def jiaokan_time(base: str, witness: str, repeat: int) -> float:
    bd, wd = document_from_text(base, path="base"), document_from_text(witness, path="witness")
    diff_documents(bd, wd)  # warm: the first diff of a size also builds caches
    best = float("inf")
    gc.disable()
    for _ in range(repeat):
        t = time.process_time()
        diff_documents(bd, wd)
        best = min(best, time.process_time() - t)
    gc.enable()
    return best


def unrelated(n: int) -> str:
    """Other official texts: the newer version of each real law, one after another, until ``n`` characters."""
    pairs = json.loads((REALDATA / "pairs.json").read_text(encoding="utf-8"))
    laws = [read_document(str(REALDATA / p["new"])).text.strip() for p in pairs]
    out: list[str] = []
    size = k = 0
    while size < n:
        for para in laws[k % len(laws)].split("\n\n"):
            out.append(para)
            size += len(para) + 2
            if size >= n:
                break
        k += 1
    return "\n\n".join(out)


def shuffled(text: str) -> str:
    paras = text.split("\n\n")
    random.Random(19).shuffle(paras)
    return "\n\n".join(paras)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default=str(ROOT / "samples/directive-vendor-reprint-001.txt"))
    ap.add_argument("--witness", default=str(ROOT / "samples/directive-county-forward-002.txt"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scales", default="1,4,16,64")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds a peer's call may take")
    ap.add_argument("--kinds", default="edited,shuffled,unrelated")
    ap.add_argument("--no-process", action="store_true", help="skip the whole-process timing")
    args = ap.parse_args()
    scales = [int(x) for x in args.scales.split(",")]
    base, wit = read_document(args.base), read_document(args.witness)
    if not args.no_process:
        def process() -> float:
            t = time.perf_counter()
            subprocess.run(["jiaokan", "diff", args.base, args.witness, "--format", "json"], capture_output=True, check=False)
            return time.perf_counter() - t
        t_proc = min(process() for _ in range(args.repeat))
        print(f"- `jiaokan diff` whole process (wall), {Path(args.base).name} vs {Path(args.witness).name}: {t_proc * 1000:.0f} ms")
    t_lib = jiaokan_time(base.text, wit.text, max(args.repeat, 5))
    print(f"- library `diff_documents` after import (warm, CPU): {t_lib * 1000:.1f} ms")
    print()
    print("| witness | K | characters (normalized base / witness) | jiaokan | ratio to K=1 | " + " | ".join(PEERS) + " |")
    print("|---|---:|---:|---:|---:|" + "---:|" * len(PEERS))
    coarse: list[str] = []
    for kind in args.kinds.split(","):
        first = 0.0
        last: dict[str, tuple[int, float]] = {}  # peer -> (K, seconds) of its last finished call
        stopped: dict[str, str] = {}
        for k in scales:
            bt = "\n\n".join([base.text] * k)
            if kind == "edited":
                wt = "\n\n".join([wit.text] * k)
            elif kind == "shuffled":
                wt = shuffled(bt)
            else:
                wt = unrelated(len(bt))
            na, nb = normalize(document_from_text(bt, path="base")).text, normalize(document_from_text(wt, path="witness")).text
            reps = args.repeat if k < 16 else 1
            t_j = jiaokan_time(bt, wt, reps)
            first = first or t_j
            cells: list[str] = []
            got: dict[str, Stats] = {}
            for name in PEERS:
                if name in stopped:
                    cells.append(stopped[name])
                    continue
                if name in last and name != "dmp 1 s":  # the time-out bounds it: measured at every size
                    k0, t0 = last[name]
                    predicted = t0 * (k / k0) ** 2
                    if predicted > args.budget:
                        stopped[name] = f"(skipped: ≈{predicted:.0f} s)"
                        cells.append(stopped[name])
                        continue
                result = peer(name, na, nb, reps, args.budget)
                if result is None:
                    stopped[name] = f"(> {args.budget:.0f} s at {k}×)"
                    cells.append(stopped[name])
                    continue
                t_p, stats = result
                last[name] = (k, t_p)
                got[name] = stats
                cells.append(f"{t_p:.3f} s")
            print(f"| {kind} | {k} | {len(na):,} / {len(nb):,} | {t_j:.3f} s | {t_j / first:.1f}× | " + " | ".join(cells) + " |", flush=True)
            if "dmp 1 s" in got:
                ref_name = "dmp untimed" if "dmp untimed" in got else "rapidfuzz" if "rapidfuzz" in got else None
                if ref_name is not None:
                    (c1, e1), (c0, e0) = got["dmp 1 s"], got[ref_name]
                    coarse.append(f"| {kind} | {k} | {c1:,} in {e1:,} edits | {c0:,} in {e0:,} edits ({ref_name}) | {c1 / max(1, c0):.2f}× |")
    print()
    print("diff-match-patch with its 1 s time-out: characters marked changed (both sides), against the untimed diff "
          "(or rapidfuzz's optimal alignment where the untimed one did not finish)")
    print()
    print("| witness | K | dmp 1 s | reference | ratio |")
    print("|---|---:|---:|---:|---:|")
    for row in coarse:
        print(row)
    print()
    print(f"python {sys.version.split()[0]}; command: python benchmarks/bench_diff.py --scales {args.scales} --repeat {args.repeat} "
          f"--budget {args.budget:g} --kinds {args.kinds}")


if __name__ == "__main__":
    main()
