"""Benchmark: jiaokan scan over a generated corpus (issue 7, item 3; run by hand).

    python benchmarks/bench_scan.py [--documents 1000] [--workers 2] [--engine local|dask]

One base (the directive, benchmarks/accuracy/corpus/01) against N generated documents, written to a JSONL file
and scanned from it (streaming in and out):
- 20 % full reprints with reprint noise and true drift (benchmarks/accuracy/generate.py);
- 20 % excerpts: a run of 20–60 % of the base's paragraphs, some with half-width punctuation;
- 20 % summaries (benchmarks/bench_trace.py's generator: quoted, trimmed, reworded sentences and own ones);
- 40 % distractors: other official texts of the corpus, their paragraphs shuffled and cut, so each is unique.
Measures wall time, documents/s, peak memory (this process and the workers: ru_maxrss), and the recall of
each true kind among the candidates (a candidate is anything not classed ``unrelated``), plus the classes given.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
from bench_trace import make_summary  # noqa: E402
from generate import NOISE_KINDS, generate, load_text, noise_punct  # noqa: E402

from jiaokan import document_from_text  # noqa: E402
from jiaokan.scan import corpus, scan  # noqa: E402

CORPUS = ROOT / "benchmarks" / "accuracy" / "corpus"


def make_corpus(path: Path, n: int, base: str, others: list[str]) -> dict[str, str]:
    truth = {}
    paragraphs = base.split("\n")
    with path.open("w", encoding="utf-8") as out:
        for k in range(n):
            rng = random.Random(f"scan:{k}")
            roll = k % 10
            if roll < 2:
                kind, text = "reprint", generate(base, rng.choice((*NOISE_KINDS, "all")), f"scan:{k}").text
            elif roll < 4:
                size = max(3, int(len(paragraphs) * rng.uniform(0.2, 0.6)))
                start = rng.randrange(0, max(1, len(paragraphs) - size))
                text = "\n".join(paragraphs[start:start + size])
                kind, text = "excerpt", noise_punct(text, rng) if rng.random() < 0.5 else text
            elif roll < 6:
                kind, text = "summary", make_summary(base, f"scan:{k}")[0]
            else:
                other = rng.choice(others).split("\n")
                rng.shuffle(other)
                kind, text = "distractor", "\n".join(other[: rng.randint(5, len(other))])
            truth[f"doc-{k:05d}"] = kind
            out.write(json.dumps({"id": f"doc-{k:05d}", "text": text}, ensure_ascii=False) + "\n")
    return truth


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", default="local")
    args = ap.parse_args()
    files = sorted(CORPUS.glob("*.txt"))
    base_text = load_text(files[0])[0]
    others = [load_text(p)[0] for p in files[1:]]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        t = time.perf_counter()
        truth = make_corpus(src, args.documents, base_text, others)
        made = time.perf_counter() - t
        base = document_from_text(base_text, path="base.txt")
        got: dict[str, str] = {}
        t = time.perf_counter()
        with (Path(tmp) / "out.jsonl").open("w", encoding="utf-8") as out:
            for record in scan(base, corpus([str(src)]), engine=args.engine, workers=args.workers):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                got[str(record["id"])] = str(record["kind"])
        wall = time.perf_counter() - t
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.documents} documents ({made:.1f} s to generate), engine {args.engine}, {args.workers} workers")
    print(f"scan: {wall:.1f} s, {args.documents / wall:.1f} documents/s")
    print(f"peak RSS: this process {peak_self:.0f} MB, largest worker {peak_children:.0f} MB")
    for kind in ("reprint", "excerpt", "summary", "distractor"):
        ids = [i for i, k in truth.items() if k == kind]
        classes = Counter(got[i] for i in ids)
        candidates = sum(n for c, n in classes.items() if c != "unrelated")
        print(f"  {kind:<10} {len(ids):>5}  candidates {candidates / max(1, len(ids)):.3f}  classed as {dict(sorted(classes.items()))}")


if __name__ == "__main__":
    main()
