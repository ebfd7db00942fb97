"""Benchmark: each stage's share of a diff — read, normalize, segment, align, find, classify, render (run by hand).

    python benchmarks/bench_stages.py [--repeat 7] [--scales 1,16] [BASE WITNESS]

For the two directives of samples/ (or BASE and WITNESS) once and concatenated K times, the best of ``--repeat``
runs of each stage (CPU time: the machine is shared) after a warm-up, with the cyclic garbage collector off as the CLI runs: read (``read_document``,
both files; at K > 1 the texts are built in memory and read by ``document_from_text``), normalize, segment (both
copies), edits (``Normalized.edits()``, the marks read back as edits, which the cosmetic judging reads: computed once
per document, on the first diff), then ``diff_prepared``'s own stages (``timings=``: align — labels masked, aligned, cleaned up; find — the
findings, cosmetic ones counted; classify — units, moves, groups, the summary), and render (the default text report
and the JSON, which list no cosmetic finding, and the JSON with them listed, which builds them).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from jiaokan import document_from_text, normalize, read_document, serialize
from jiaokan.config import Settings, compile_framing
from jiaokan.diff import diff_prepared
from jiaokan.formats import View, render
from jiaokan.prepare import Prepared
from jiaokan.segment import segment

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("read", "normalize", "segment", "edits", "align", "find", "classify", "render", "render, cosmetic listed")


def run_once(base: str, witness: str, texts: tuple[str, str] | None) -> dict[str, float]:
    """One diff, stage by stage: seconds per stage."""
    settings = Settings()
    out: dict[str, float] = {}
    t = time.process_time()
    docs = [read_document(p) for p in (base, witness)] if texts is None else [document_from_text(x, path=p) for x, p in zip(texts, (base, witness), strict=True)]
    out["read"] = time.process_time() - t
    t = time.process_time()
    normalized = [normalize(d, rules=settings.rules) for d in docs]
    out["normalize"] = time.process_time() - t
    t = time.process_time()
    leave_out = compile_framing(tuple(settings.framing_patterns))
    prepared = [Prepared(d, segment(n, leave_out=leave_out), settings.rules, tuple(settings.framing_patterns)) for d, n in zip(docs, normalized, strict=True)]
    out["segment"] = time.process_time() - t
    t = time.process_time()
    for n in normalized:
        n.edits()  # normalization's marks read back as edits (cached on the Normalized): the diff's cosmetic judging reads them
    out["edits"] = time.process_time() - t
    timings: dict[str, float] = {}
    result = diff_prepared(prepared[0], prepared[1], settings=settings, timings=timings)
    out.update(timings)
    t = time.process_time()
    render("diff", "text", result, View(color=False, width=100, stat=False, quiet=False, show_map=False))
    serialize.to_json(serialize.data(result))
    out["render"] = time.process_time() - t
    t = time.process_time()
    serialize.to_json(serialize.data(result, include_cosmetic=True))
    out["render, cosmetic listed"] = time.process_time() - t
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base", nargs="?", default=str(ROOT / "samples/directive-vendor-reprint-001.txt"))
    ap.add_argument("witness", nargs="?", default=str(ROOT / "samples/directive-county-forward-002.txt"))
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--scales", default="1,16")
    args = ap.parse_args()
    print("| K | " + " | ".join(STAGES) + " | total (without the cosmetic listing) |")
    print("|---:|" + "---:|" * (len(STAGES) + 1))
    for k in (int(x) for x in args.scales.split(",")):
        texts = None
        if k > 1:
            a, b = read_document(args.base).text, read_document(args.witness).text
            texts = ("\n\n".join([a] * k), "\n\n".join([b] * k))
        gc.disable()
        run_once(args.base, args.witness, texts)  # warm-up: dictionaries, caches
        best = {s: float("inf") for s in STAGES}
        for _ in range(args.repeat if k < 16 else max(1, args.repeat // 3)):
            for s, v in run_once(args.base, args.witness, texts).items():
                best[s] = min(best[s], v)
        gc.enable()
        total = sum(v for s, v in best.items() if s != "render, cosmetic listed")
        cells = [f"{best[s] * 1000:.1f} ms ({best[s] / total:.0%})" for s in STAGES]
        print(f"| {k} | " + " | ".join(cells) + f" | {total * 1000:.1f} ms |", flush=True)
    print()
    print(f"python {sys.version.split()[0]}; best of {args.repeat} per stage (a third of that at K ≥ 16), CPU time; "
          f"command: python benchmarks/bench_stages.py --repeat {args.repeat} --scales {args.scales}")


if __name__ == "__main__":
    main()
