"""Benchmark: jiaokan scan over a generated corpus (issue 7, item 3; run by hand).

    python benchmarks/bench_scan.py [--documents 1000] [--workers 2] [--engine local|dask] [--corpus mixed|directive|stream]
                                    [--batch B] [--sample 1.0]

One base (the directive, benchmarks/accuracy/corpus/01) against N generated documents, written to a JSONL file
and scanned from it (streaming in and out).  ``--corpus directive``: reprints and excerpts of the directive only,
half each (what a search for its copies brings back); ``--corpus stream``: the 100,000-document kind, mostly cheap —
90 % distractors of one to three paragraphs, 9.9 % short excerpts (two to four paragraphs), 0.1 % full reprints.
``--corpus mixed`` (the default):
- 20 % full reprints with reprint noise and true drift (benchmarks/accuracy/generate.py);
- 20 % excerpts: a run of 20–60 % of the base's paragraphs, some with half-width punctuation;
- 20 % summaries (benchmarks/bench_trace.py's generator: quoted, trimmed, reworded sentences and own ones);
- 40 % distractors: other official texts of the corpus, their paragraphs shuffled and cut, so each is unique.
Measures wall time, documents/s, peak memory (this process and the workers: ru_maxrss), the resident memory of the
scanning process and its workers sampled every ``--sample`` seconds during the run (psutil), what one task ships
(its batch of items and its records back, pickled), and the recall of each true kind among the candidates (a
candidate is anything not classed ``unrelated``), plus the classes given.  ``--digest FILE`` writes the sha256 of
the records (in order), to compare engines and worker counts.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import json
import pickle
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
from bench_trace import make_summary  # noqa: E402
from generate import NOISE_KINDS, generate, load_text, noise_punct  # noqa: E402

from jiaokan import document_from_text, parallel  # noqa: E402
from jiaokan.scan import BATCH, corpus, scan  # noqa: E402

CORPUS = ROOT / "benchmarks" / "accuracy" / "corpus"


def make_corpus(path: Path, n: int, base: str, others: list[str], kind: str = "mixed") -> dict[str, str]:
    truth = {}
    paragraphs = base.split("\n")
    with path.open("w", encoding="utf-8") as out:
        for k in range(n):
            rng = random.Random(f"scan:{k}")
            roll = k % 10
            if kind == "directive":
                roll = 0 if k % 2 else 2  # half reprints, half excerpts
            elif kind == "stream":
                if k % 1000 == 0:
                    roll = 0
                elif k % 10 == 1:
                    size = rng.randint(2, 4)
                    start = rng.randrange(0, len(paragraphs) - size)
                    truth[f"doc-{k:06d}"] = "excerpt"
                    out.write(json.dumps({"id": f"doc-{k:06d}", "text": "\n".join(paragraphs[start:start + size])}, ensure_ascii=False) + "\n")
                    continue
                else:
                    other = rng.choice(others).split("\n")
                    start = rng.randrange(0, len(other))
                    truth[f"doc-{k:06d}"] = "distractor"
                    out.write(json.dumps({"id": f"doc-{k:06d}", "text": "\n".join(other[start:start + rng.randint(1, 3)])}, ensure_ascii=False) + "\n")
                    continue
            if roll < 2:
                what, text = "reprint", generate(base, rng.choice((*NOISE_KINDS, "all")), f"scan:{k}").text
            elif roll < 4:
                size = max(3, int(len(paragraphs) * rng.uniform(0.2, 0.6)))
                start = rng.randrange(0, max(1, len(paragraphs) - size))
                text = "\n".join(paragraphs[start:start + size])
                what, text = "excerpt", noise_punct(text, rng) if rng.random() < 0.5 else text
            elif roll < 6:
                what, text = "summary", make_summary(base, f"scan:{k}")[0]
            else:
                other = rng.choice(others).split("\n")
                rng.shuffle(other)
                what, text = "distractor", "\n".join(other[: rng.randint(5, len(other))])
            doc_id = f"doc-{k:06d}" if kind == "stream" else f"doc-{k:05d}"
            truth[doc_id] = what
            out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return truth


class Sampler:
    """The resident memory (MB) of this process and of its children, every ``every`` seconds, in a thread."""

    def __init__(self, every: float) -> None:
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.samples: list[tuple[float, float, float]] = []  # (seconds, this process, its children together)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.t0 = time.perf_counter()

    def run(self) -> None:
        import psutil

        while not self.stop.wait(self.every):
            try:
                kids = sum(c.memory_info().rss for c in self.me.children(recursive=True))
            except psutil.Error:
                continue
            self.samples.append((time.perf_counter() - self.t0, self.me.memory_info().rss / 2**20, kids / 2**20))

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def shipped(src: Path, records: list[dict[str, object]], batch: int) -> tuple[float, float]:
    """Mean pickled bytes of one task's batch of items, and of its records back."""
    from jiaokan.scan import corpus as items_of

    items = list(itertools.islice(items_of([str(src)]), len(records)))
    chunks = [items[k:k + batch] for k in range(0, len(items), batch)]
    back = [records[k:k + batch] for k in range(0, len(records), batch)]
    return statistics.mean(len(pickle.dumps(c)) for c in chunks), statistics.mean(len(pickle.dumps(c)) for c in back)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", default="local")
    ap.add_argument("--corpus", choices=("mixed", "directive", "stream"), default="mixed")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--sample", type=float, default=1.0)
    ap.add_argument("--digest", default=None)
    args = ap.parse_args()
    gc.disable()  # as the command line runs (its forked workers inherit it)
    files = sorted(CORPUS.glob("*.txt"))
    base_text = load_text(files[0])[0]
    others = [load_text(p)[0] for p in files[1:]]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        t = time.perf_counter()
        truth = make_corpus(src, args.documents, base_text, others, args.corpus)
        made = time.perf_counter() - t
        base = document_from_text(base_text, path="base.txt")
        got: dict[str, str] = {}
        digest = hashlib.sha256()
        kept: list[dict[str, object]] = []
        with Sampler(args.sample) as sampler:
            t = time.perf_counter()
            first: float | None = None
            with (Path(tmp) / "out.jsonl").open("w", encoding="utf-8") as out:
                for record in scan(base, corpus([str(src)]), engine=args.engine, workers=args.workers, batch=args.batch):
                    if first is None:
                        first = time.perf_counter()  # the engine is up (a LocalCluster started, workers forked)
                    line = json.dumps(record, ensure_ascii=False) + "\n"
                    out.write(line)
                    digest.update(line.encode("utf-8"))
                    got[str(record["id"])] = str(record["kind"])
                    if len(kept) < 400:
                        kept.append(record)
            wall = time.perf_counter() - t
        batch = args.batch or (BATCH if args.engine == "dask" else parallel.BATCH)
        items_bytes, records_bytes = shipped(src, kept, batch)
    if args.digest:
        Path(args.digest).write_text(digest.hexdigest() + "\n", encoding="utf-8")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.documents} documents, corpus {args.corpus} ({made:.1f} s to generate), engine {args.engine}, {args.workers} workers, batch {batch}")
    print(f"scan: {wall:.1f} s, {args.documents / wall:.1f} documents/s; records sha256 {digest.hexdigest()[:16]}")
    if first is not None and args.documents > 1:
        steady = t + wall - first
        print(f"  from the first record on (the engine's start left out): {steady:.1f} s, {(args.documents - 1) / steady:.1f} documents/s")
    print(f"peak RSS: this process {peak_self:.0f} MB, largest worker {peak_children:.0f} MB")
    print(f"one task ships, pickled: {items_bytes / 1024:.1f} KB of items, {records_bytes / 1024:.1f} KB of records back (mean of the first {len(kept)} documents)")
    samples = sampler.samples
    if samples:
        picks = [samples[round(q * (len(samples) - 1))] for q in (0.1, 0.25, 0.5, 0.75, 1.0)]
        print("RSS during the run (s: this process / its workers together, MB): "
              + ", ".join(f"{s:.0f}: {a:.0f} / {b:.0f}" for s, a, b in picks))
        later = samples[len(samples) // 10:]
        print(f"  after the first tenth: this process {min(a for _, a, _ in later):.0f}–{max(a for _, a, _ in later):.0f} MB, "
              f"workers {min(b for _, _, b in later):.0f}–{max(b for _, _, b in later):.0f} MB ({len(samples)} samples)")
    for kind in ("reprint", "excerpt", "summary", "distractor"):
        ids = [i for i, k in truth.items() if k == kind]
        if not ids:
            continue
        classes = Counter(got[i] for i in ids)
        candidates = sum(n for c, n in classes.items() if c != "unrelated")
        print(f"  {kind:<10} {len(ids):>6}  candidates {candidates / max(1, len(ids)):.3f}  classed as {dict(sorted(classes.items()))}")


if __name__ == "__main__":
    main()
