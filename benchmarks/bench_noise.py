"""Accuracy under independent reprint noise: the corpus texts, known edits, and the noise of ``noise.py``.

Run by hand, not part of the test suite:

    python benchmarks/bench_noise.py [--seeds 5] [--noise every|KIND,KIND] [--jobs 2] [--out docs/accuracy-noise.md]

The old benchmark (``bench_accuracy.py``) draws its noise from the normalizer's own word lists, so it cannot
disagree with the normalizer. Here the edits are the old generator's (``accuracy/generate.py``: ``make_edits``,
each recorded as a span of the clean BASE), but the noise is made by OpenCC, pypinyin and Unicode's data
(``noise.py``). For each corpus text, noise kind and seed: a WITNESS with 3-8 edits and then the noise, and a
NOISE-ONLY witness (no edits: every substantive finding on it is false). Each is compared with the clean base by
``jiaokan.diff.diff_documents``, used only through its public API.

Scoring, on base code points (the base is the clean text, so its offsets need no mapping): a substantive finding
matches an expected edit when their base spans overlap, or, for a pure insertion, when they lie within 2
characters; each edit is matched once (maximum bipartite matching). Precision = matched findings / substantive
findings; recall = matched edits / expected edits. A finding left over within reach of an edit (or of where a
paragraph moved to) is counted as a "split" false positive, the rest as noise false positives.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "accuracy"))

import generate as gen  # noqa: E402  (benchmarks/accuracy/generate.py: make_edits and load_text only)
from _harness import TOLERANCE, bipartite, clip, engine_identity, examples_by_kind, git_revision, in_context, near, publish, time_limit  # noqa: E402
from noise import NOISES, parse_kinds  # noqa: E402

from jiaokan.diff import diff_documents  # noqa: E402
from jiaokan.ingest import document_from_text  # noqa: E402

if TYPE_CHECKING:
    from jiaokan.findings import Finding

DEFAULT_CORPUS = HERE / "accuracy" / "corpus"


@dataclass
class Outcome:
    text: str
    noise: str
    seed: int
    edits: bool
    seconds: float = 0.0
    expected: int = 0
    matched: int = 0
    predicted: int = 0  # substantive findings
    splits: int = 0
    fp_codes: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    fps: list[str] = field(default_factory=list)
    error: str = ""


@dataclass(frozen=True)
class Settings:
    """What every worker needs; set by the pool's initializer."""

    corpus: dict[str, str]  # text name -> clean base text
    timeout: float
    examples: int


_SETTINGS: list[Settings] = []


def _init(settings: Settings) -> None:
    _SETTINGS[:] = [settings]


def _edit_line(base: str, e: gen.ExpectedEdit) -> str:
    change = f"moved to base@{e.dest}" if e.kind == "move" else f"→ {clip(e.witness_text)!r}"
    return f"{e.kind} base@{e.start}-{e.end} {in_context(base, e.start, e.end)} {change}"


def _fp_line(base: str, witness: str, f: Finding, split: bool) -> str:
    b, w = f.base, f.witness
    tag = " (split)" if split else ""
    return (f"`{f.code}`{tag} base@{b.start}-{b.end} {in_context(base, b.start, b.end)} witness {in_context(witness, w.start, w.end, 8)}"
            f" — compared {clip(f.base_norm)!r} / {clip(f.witness_norm)!r}")


def run_one(item: tuple[str, str, int, bool]) -> Outcome:
    """One comparison: make the witness (edits, then noise), diff, score."""
    name, kind, seed, with_edits = item
    cfg = _SETTINGS[0]
    base, examples = cfg.corpus[name], cfg.examples
    noise = NOISES[kind]
    rng = random.Random(f"{name}|{seed}|{kind}|{'edits' if with_edits else 'noise-only'}")
    clean, edits = gen.make_edits(base, rng) if with_edits else (base, [])
    title = base.split("\n", 1)[0]
    witness = noise.apply(clean, rng, title)
    out = Outcome(name, kind, seed, with_edits, expected=len(edits))
    ext = "html" if noise.format == "html" else "txt"
    t = time.perf_counter()
    try:
        with time_limit(cfg.timeout):
            result = diff_documents(document_from_text(base, path=f"{name}.txt", format="text"),
                                    document_from_text(witness, path=f"{name}-{kind}.{ext}", format=noise.format))
    except Exception as exc:  # noqa: BLE001 - report it and go on
        out.seconds = time.perf_counter() - t
        out.error = f"{type(exc).__name__}: {exc}"
        return out
    out.seconds = time.perf_counter() - t
    # a group of one change repeated (or a renumbering run) is scored by its places, each matched once
    pred = [p for f in result.findings if f.severity == "substantive" for p in (f.places() if f.parts_kind == "places" else (f,))]
    out.predicted = len(pred)

    def edge(i: int, j: int) -> bool:
        e, f = edits[i], pred[j]
        if e.start == e.end:  # an insertion may sit anywhere in [lo, hi]
            return near(f.base.start, f.base.end, e.lo, e.hi, insertion=True)
        return near(f.base.start, f.base.end, e.lo, max(e.hi, e.lo + 1))

    m = bipartite(len(edits), len(pred), edge)
    out.matched = len(m)
    out.misses = [_edit_line(base, e) for i, e in enumerate(edits) if i not in m][:examples]
    used = set(m.values())
    codes: Counter[str] = Counter()
    for j, f in enumerate(pred):
        if j in used:
            continue
        split = any(max(0, e.lo - f.base.end, f.base.start - e.hi) <= TOLERANCE
                    or (e.dest is not None and max(0, e.dest - f.base.end, f.base.start - e.dest) <= TOLERANCE) for e in edits)
        out.splits += split
        codes[f.code] += 1
        if len(out.fps) < examples:
            out.fps.append(_fp_line(base, witness, f, split))
    out.fp_codes = dict(codes)
    return out


# --------------------------------------------------------------------------
# report


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def report(outcomes: list[Outcome], kinds: list[str], texts: list[str], seeds: int, command: str, seconds: float, examples: int) -> str:
    lines = [
        "# Accuracy under independent reprint noise",
        "",
        f"- command: `{command}`",
        f"- benchmark revision: {git_revision(HERE, 'benchmarks')}",
        f"- engine: `jiaokan` imported from {engine_identity()}",
        f"- corpus: {len(texts)} texts ({', '.join(texts)}), {seeds} seeds each, {len(outcomes)} comparisons in {seconds:.0f} s wall",
        "",
        "Method: the edits are `accuracy/generate.py`'s `make_edits` (3-8 a witness, located in the clean base); the noise is",
        "`benchmarks/noise.py`, made by OpenCC, pypinyin and Unicode's data, nothing shared with jiaokan's normalizer (see",
        "its docstring for what each kind imitates). A substantive finding matches an edit when their base spans overlap",
        f"(a pure insertion: within {TOLERANCE} characters); each edit matches once. Noise-only witnesses have no edits: every",
        "substantive finding on them is false. Goal: precision and recall 1, no substantive finding on noise-only witnesses.",
        "",
        "| noise | witnesses | expected edits | matched | substantive findings | precision | recall | FP (split) "
        "| noise-only witnesses | noise-only substantive findings | noise-only witnesses with any | errors | mean s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, group: list[Outcome]) -> str:
        ed = [o for o in group if o.edits]
        cl = [o for o in group if not o.edits]
        exp, mat, pred = sum(o.expected for o in ed), sum(o.matched for o in ed), sum(o.predicted for o in ed)
        nf = sum(o.predicted for o in cl)
        mean = sum(o.seconds for o in group) / len(group) if group else 0.0
        return (f"| {label} | {len(ed)} | {exp} | {mat} | {pred} | {_ratio(mat, pred)} | {_ratio(mat, exp)} | {pred - mat} ({sum(o.splits for o in ed)}) | "
                f"{len(cl)} | {nf} | {sum(1 for o in cl if o.predicted)} | {sum(1 for o in group if o.error)} | {mean:.2f} |")

    for k in kinds:
        lines.append(row(k, [o for o in outcomes if o.noise == k]))
    lines.append(row("**total**", outcomes))

    lines += ["", "## False positives by finding code and noise kind (edited and noise-only witnesses)", ""]
    for k in kinds:
        c: Counter[str] = Counter()
        for o in outcomes:
            if o.noise == k:
                c.update(o.fp_codes)
        if c:
            lines.append(f"- **{k}**: " + ", ".join(f"`{code}` {n}" for code, n in c.most_common()))

    errors = [o for o in outcomes if o.error]
    if errors:
        lines += ["", f"## Errors ({len(errors)})", ""]
        lines += [f"- {o.text} / {o.noise} / seed {o.seed} / {'edited' if o.edits else 'noise-only'}: `{clip(o.error, 160)}`" for o in errors[:examples]]

    sections = (
        ("First false positives on noise-only witnesses", [(o, x) for o in outcomes if not o.edits for x in o.fps]),
        ("First false positives on edited witnesses", [(o, x) for o in outcomes if o.edits for x in o.fps]),
        ("First misses", [(o, x) for o in outcomes if o.edits for x in o.misses]),
    )
    lines += examples_by_kind(sections, list(kinds), examples)
    lines += ["", "Reproduce one witness as `run_one` makes it: `rng = random.Random(f\"{TEXT}|{SEED}|{KIND}|edits\")` (or `|noise-only`),",
              "`clean, edits = generate.make_edits(base, rng)` (edited witnesses only), then `noise.NOISES[KIND].apply(clean, rng, title)`",
              "with the title the base's first line.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=5, help="witnesses per text and noise kind, each with a noise-only twin (default 5)")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder of clean .txt texts")
    ap.add_argument("--noise", default="every", help="every (default) or a comma-separated list of kinds: " + ", ".join(NOISES))
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a comparison may take before it counts as an error")
    ap.add_argument("--examples", type=int, default=8, help="false positives / misses listed per noise kind")
    ap.add_argument("--out", help="also write the report to this markdown file")
    args = ap.parse_args(argv)
    try:
        kinds = parse_kinds(args.noise)
    except ValueError as exc:
        ap.error(str(exc))
    files = sorted(Path(args.corpus).glob("*.txt"))
    if not files:
        ap.error(f"no .txt files in {args.corpus}")
    corpus = {f.stem: gen.load_text(f)[0] for f in files}
    items = [(name, k, s, ed) for k in kinds for name in corpus for s in range(args.seeds) for ed in (True, False)]
    print(f"{len(items)} comparisons, {args.jobs} job(s); engine {engine_identity()}", file=sys.stderr)
    t = time.perf_counter()
    settings = Settings(corpus, args.timeout, args.examples)
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(settings,)) as ex:
            outcomes = list(ex.map(run_one, items, chunksize=2))
    else:
        _init(settings)
        outcomes = [run_one(it) for it in items]
    seconds = time.perf_counter() - t
    command = " ".join(["python benchmarks/bench_noise.py", *(sys.argv[1:] if argv is None else argv)])
    text = report(outcomes, kinds, list(corpus), args.seeds, command, seconds, args.examples)
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
