"""Benchmark: the scan's screen, jiaokan's (Python) beside a numpy candidate (benchmarks/screen_numpy.py; run by hand).

    python benchmarks/bench_screen.py [--documents 300] [--repeat 5]

The mixed corpus of benchmarks/bench_scan.py, each document prepared once (outside the timing); then, interleaved,
best of N per kind: ``Scanner.screen`` as jiaokan runs it, and the same screen with its shingles hashed, looked up
and extended in numpy.  Checks first that both give the same screen for every document.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
import screen_numpy as sn  # noqa: E402
from bench_scan import CORPUS, make_corpus  # noqa: E402
from generate import load_text  # noqa: E402

from jiaokan import document_from_text  # noqa: E402
from jiaokan import scan as js  # noqa: E402
from jiaokan.prepare import prepare  # noqa: E402


class NumpyScanner(js.Scanner):
    """jiaokan's scanner with the shingle look-ups of screen_numpy (the rest of the screen is jiaokan's)."""

    def __init__(self, base: js.Document) -> None:
        super().__init__(base)
        lines = js.GENRE.read_text(encoding="utf-8").split("\n")
        self.index = sn.Index(self.seg.stream, sn.hash_many([g for g in lines if len(g) == js.SHINGLE and not g.startswith("# ")]))

    def screen(self, stream: str) -> js.Screen:
        """Scanner.screen, its shingle steps in numpy (the masks and the excerpt's measures: jiaokan's own)."""
        h = sn.hashes(stream)
        mine, shared = self.index.shared(h)
        containment, coverage, n = shared / max(1, mine), shared / max(1, len(self.index)), len(stream)
        found = self.index.passages(h) if shared >= js.PASSAGE_SHINGLES else []
        pieces = [js.Passage(p.d1, p.d2, p.b1, p.b2, p.rare) for p in found]
        distinctive = [pc for pc in pieces if pc.rare >= js.PASSAGE_SHINGLES]
        quoted = js._mask(distinctive, n).count(1)
        if not distinctive:
            return js.Screen(containment, coverage, quoted, n)
        lo, hi = distinctive[0].d1, max(pc.d2 for pc in distinctive)
        mask = js._mask(pieces, n)
        framed, body = (hi - lo) / n, mask.count(1, lo, hi) / (hi - lo)
        if framed < js.EXCERPT_FRAME or body < js.EXCERPT_BODY:
            return js.Screen(containment, coverage, quoted, n, framed, body)
        whole, paragraphs = self._whole(pieces, distinctive)
        ordered = js._in_order(distinctive) / sum(pc.d2 - pc.d1 for pc in distinctive)
        inserts = len(js._OWN_TEXT.findall(mask, lo, hi)) / max(1, paragraphs)
        return js.Screen(containment, coverage, quoted, n, framed, body, whole, ordered, inserts)


def fields(s: js.Screen) -> tuple[object, ...]:
    return (s.containment, s.coverage, s.quoted, s.length, s.framed, s.body, s.whole, s.ordered, s.inserts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    gc.disable()
    files = sorted(CORPUS.glob("*.txt"))
    base_text = load_text(files[0])[0]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        truth = make_corpus(src, args.documents, base_text, [load_text(p)[0] for p in files[1:]])
        streams = [(truth[it.id], prepare(document_from_text(it.text or "", path=it.id)).stream) for it in js.corpus([str(src)])]
    base = document_from_text(base_text, path="base.txt")
    python, numpy = js.Scanner(base), NumpyScanner(base)
    differ = sum(fields(python.screen(s)) != fields(numpy.screen(s)) for _, s in streams)
    print(f"{len(streams)} documents, screens that differ: {differ}")
    best: dict[tuple[str, str], float] = defaultdict(lambda: float("inf"))
    for _ in range(args.repeat):
        for name, scanner in (("python", python), ("numpy", numpy)):
            per: dict[str, float] = defaultdict(float)
            for kind, s in streams:
                t = time.perf_counter()
                scanner.screen(s)
                per[kind] += time.perf_counter() - t
            for kind, v in per.items():
                best[name, kind] = min(best[name, kind], v)
    counts = defaultdict(int)
    for kind, _ in streams:
        counts[kind] += 1
    print("| kind | documents | python ms/doc | numpy ms/doc | numpy / python |")
    print("|---|---:|---:|---:|---:|")
    for kind, n in counts.items():
        p, q = best["python", kind] / n * 1000, best["numpy", kind] / n * 1000
        print(f"| {kind} | {n} | {p:.2f} | {q:.2f} | {q / p:.2f} |")


if __name__ == "__main__":
    main()
