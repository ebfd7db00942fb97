"""Accuracy benchmark (issue 3, item 7): precision and recall of SUBSTANTIVE findings.

Run by hand, not part of the test suite:

    python benchmarks/bench_accuracy.py [--seeds 10] [--corpus DIR] [--noise KIND] [--out docs/accuracy-generator.md]

For each clean text in the corpus (``benchmarks/accuracy/corpus``), each reprint
noise kind and all of them combined, and K seeds, ``accuracy/generate.py`` makes
a WITNESS with 3-8 true edits plus noise, and a NOISE-ONLY witness.  Each is
compared with the clean BASE (a ``.txt`` document; the witness is ``.html``
where the noise is HTML) by ``jiaokan.diff.diff_documents`` — or, while that
does not import, by the BASELINE stub below (``--diff`` chooses).

Scoring, on base spans (code points of the base text):
- a substantive finding matches an expected edit when their base spans overlap,
  or, for a pure insertion (an empty span on either side), when they lie within
  2 characters; a deletion next to the same characters may sit at any of its
  equivalent places;
- each expected edit is matched at most once (maximum bipartite matching); every
  substantive finding left over is a false positive, "split" when it would have
  matched an edit already matched (one change reported as two findings);
- a moved paragraph is expected as one edit whose base span is the paragraph:
  ``paragraph-move`` (or anything substantive on that paragraph) matches it;
- on noise-only witnesses every substantive finding is a false positive (target 0).

``--noise``: ``every`` (default) runs each kind and ``all`` (every kind at once);
``all`` runs only the combined noise; a kind name (or a comma-separated list)
runs just those.  Targets from the issue: precision >= 0.98, recall >= 0.98,
no substantive finding on noise-only witnesses.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "accuracy"))

import generate as gen  # noqa: E402  (benchmarks/accuracy/generate.py)
from _harness import bipartite, examples_by_kind, publish  # noqa: E402

from jiaokan.findings import SUBSTANTIVE, Finding, Span  # noqa: E402
from jiaokan.ingest import Document, document_from_text  # noqa: E402
from jiaokan.normalize import normalize  # noqa: E402

DEFAULT_CORPUS = HERE / "accuracy" / "corpus"
TOLERANCE = 2  # characters, for pure insertions
TARGET_P = TARGET_R = 0.98


# --------------------------------------------------------------------------
# the diff under test


def baseline_diff(base: Document, witness: Document) -> SimpleNamespace:
    """BASELINE STUB, not jiaokan's engine: difflib over the normalized texts.

    Normalize both documents (all rules), run a character-level
    ``difflib.SequenceMatcher``, and report every non-equal block that is not
    only paragraph breaks as a substantive finding located through the offset
    maps.  No segmentation, no cosmetic/framing classification: it exists so
    the harness runs end to end before ``jiaokan.diff`` does, and as a floor.
    """
    nb, nw = normalize(base), normalize(witness)
    a, b = nb.text, nw.text
    findings = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old, new = a[i1:i2], b[j1:j2]
        if not old.strip() and not new.strip():
            continue  # paragraph breaks only
        if re.search(r"\d", old + new):
            code = "number-change"
        else:
            code = {"replace": "wording-substitution", "delete": "wording-deletion", "insert": "wording-insertion"}[tag]
        findings.append(Finding(code, SUBSTANTIVE, _span(base, nb, i1, i2), _span(witness, nw, j1, j2),
                                f"{old!r} -> {new!r}", old, new))
    return SimpleNamespace(findings=findings)


def _span(doc: Document, norm, i: int, j: int) -> Span:  # type: ignore[no-untyped-def]
    s, e = norm.original_span(i, j)
    line, col = doc.locate(s)
    return Span(s, e, line, col, doc.text[s:e])


def pick_diff(which: str):  # type: ignore[no-untyped-def]
    """(function, description) for --diff auto|engine|baseline."""
    if which in ("auto", "engine"):
        try:
            from jiaokan.diff import diff_documents
        except ImportError as exc:
            if which == "engine":
                raise SystemExit(f"--diff engine: jiaokan.diff does not import ({exc})") from exc
        else:
            return diff_documents, "jiaokan.diff.diff_documents"
    return baseline_diff, "BASELINE stub (difflib over normalize output; not the engine)"


# --------------------------------------------------------------------------
# scoring


def _near(ps: int, pe: int, e: gen.ExpectedEdit) -> bool:
    if ps == pe or e.start == e.end:  # a pure insertion on either side
        return max(0, e.lo - pe, ps - e.hi) <= TOLERANCE
    return ps < max(e.hi, e.lo + 1) and e.lo < pe


def _beside(ps: int, pe: int, e: gen.ExpectedEdit) -> bool:
    """Within reach of an expected edit (or of where a paragraph moved to): a split, not noise."""
    near = max(0, e.lo - pe, ps - e.hi) <= TOLERANCE
    return near or (e.dest is not None and max(0, e.dest - pe, ps - e.dest) <= TOLERANCE)


def match(expected: list[gen.ExpectedEdit], predicted: list[Finding]) -> dict[int, int]:
    """Maximum bipartite matching: expected index -> predicted index."""
    return bipartite(len(expected), len(predicted), lambda i, j: _near(predicted[j].base.start, predicted[j].base.end, expected[i]))


@dataclass
class Outcome:
    text: str
    noise: str
    seed: str
    edits: bool
    ms: float
    expected: int = 0
    matched: int = 0
    predicted: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [expected, matched]
    codes: dict[str, int] = field(default_factory=dict)  # "kind -> code" of matched pairs
    fp_codes: dict[str, int] = field(default_factory=dict)
    splits: int = 0
    misses: list[str] = field(default_factory=list)
    fps: list[str] = field(default_factory=list)
    error: str = ""


def _clip(s: str, n: int = 40) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n // 2] + "…" + s[-n // 2:]


def _miss_line(base: str, e: gen.ExpectedEdit) -> str:
    before = base[max(0, e.start - 12):e.start].replace("\n", "⏎")
    after = base[e.end:e.end + 12].replace("\n", "⏎")
    change = f"{_clip(e.base_text)}→{_clip(e.witness_text)}" if e.kind != "move" else f"{_clip(e.base_text)} moved to base@{e.dest}"
    return f"{e.kind} @{e.start}-{e.end}: …{before}【{change}】{after}…"


def _fp_line(base: str, f: Finding, split: bool) -> str:
    s, e = f.base.start, f.base.end
    ctx = base[max(0, s - 10):s].replace("\n", "⏎") + "【" + _clip(base[s:e]) + "】" + base[e:e + 10].replace("\n", "⏎")
    tag = " (split)" if split else ""
    return f"{f.code}{tag} base@{s}-{e} …{ctx}… witness {_clip(f.witness.text)!r}: {_clip(f.message, 80)}"


# worker state (set in the parent before forking, or by the initializer)
_STATE: dict[str, object] = {}


def _init(corpus: dict[str, str], which: str, crowded: bool = False) -> None:
    _STATE["corpus"] = corpus
    _STATE["diff"] = pick_diff(which)[0]
    _STATE["crowded"] = crowded


def run_one(item: tuple[str, str, int, bool]) -> Outcome:
    name, noise, k, with_edits = item
    base: str = _STATE["corpus"][name]  # type: ignore[index]
    diff = _STATE["diff"]
    w = gen.generate(base, noise, f"{name}|{k}", edits=with_edits, crowded=bool(_STATE.get("crowded")))
    out = Outcome(name, noise, str(k), with_edits, 0.0, expected=len(w.edits))
    for e in w.edits:
        out.by_kind.setdefault(e.kind, [0, 0])[0] += 1
    base_doc = document_from_text(base, path=f"{name}.txt", format="text")
    wit_doc = document_from_text(w.text, path=f"{name}-witness.{'html' if w.format == 'html' else 'txt'}", format=w.format)
    t = time.perf_counter()
    try:
        result = diff(base_doc, wit_doc)  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - report, keep going
        out.ms = (time.perf_counter() - t) * 1000
        out.error = f"{type(exc).__name__}: {exc}"
        out.misses = [_miss_line(base, e) for e in w.edits[:3]]
        return out
    out.ms = (time.perf_counter() - t) * 1000
    # a group of one change repeated (or a renumbering run) is scored by its places, each matched once
    pred = [p for f in result.findings if f.severity == SUBSTANTIVE for p in (f.places() if f.parts_kind == "places" else (f,))]
    out.predicted = len(pred)
    m = match(w.edits, pred)
    out.matched = len(m)
    used = set(m.values())
    for i, e in enumerate(w.edits):
        if i in m:
            out.by_kind[e.kind][1] += 1
            key = f"{e.kind}\t{pred[m[i]].code}"
            out.codes[key] = out.codes.get(key, 0) + 1
        else:
            out.misses.append(_miss_line(base, e))
    for j, f in enumerate(pred):
        if j in used:
            continue
        split = any(_beside(f.base.start, f.base.end, e) for e in w.edits)
        out.splits += split
        out.fp_codes[f.code] = out.fp_codes.get(f.code, 0) + 1
        if len(out.fps) < 6:
            out.fps.append(_fp_line(base, f, split))
    return out


# --------------------------------------------------------------------------
# report


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def report(outcomes: list[Outcome], noises: list[str], desc: str, command: str, seconds: float, examples: int, seeds: int, texts: list[str],
           *, crowded: bool = False) -> str:
    edited = [o for o in outcomes if o.edits]
    clean = [o for o in outcomes if not o.edits]
    lines = [
        "# Accuracy benchmark",
        "",
        f"- diff function: **{desc}**",
        f"- command: `{command}`",
        f"- revision: {_revision()}",
        f"- corpus: {len(texts)} texts ({', '.join(texts)}), {seeds} seeds each, noise kinds: {', '.join(noises)}",
        f"- {len(outcomes)} comparisons in {seconds:.1f} s wall; targets: precision ≥ {TARGET_P}, recall ≥ {TARGET_R}, 0 substantive findings on noise-only witnesses",
        "",
        "Method: each clean official text (corpus/, with its source) is the BASE. `accuracy/generate.py` makes, per seed, a",
        "witness with 3-8 known edits (near-synonym substitutions typical of reprints, typos, dropped and inserted words,",
        "number changes, sentence and paragraph omissions, paragraph moves), each recorded as a span of the base, and then",
        "applies one kind of reprint noise (or all combined); and a noise-only witness with no edits. A substantive finding",
        "matches an expected edit when their base spans overlap (an empty span: within 2 characters); each edit matches once.",
        "Precision = matched findings / substantive findings; recall = matched edits / expected edits.",
        *(["Crowded (`--crowded`): each witness first loses a sentence or a paragraph, and the word edits go first in that",
           "paragraph or the ones beside it (by default they keep a paragraph away from an omitted one): the hardest case",
           "for an alignment, where one gap holds a dropped passage and an edit."] if crowded else []),
        "",
        "| noise | witnesses | expected edits | matched | substantive findings | precision | recall | FP (split) "
        "| noise-only witnesses | noise-only findings | noise-only witnesses with any | errors | mean ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, ed: list[Outcome], cl: list[Outcome]) -> str:
        exp = sum(o.expected for o in ed)
        mat = sum(o.matched for o in ed)
        pred = sum(o.predicted for o in ed)
        fp = pred - mat
        split = sum(o.splits for o in ed)
        nf = sum(o.predicted for o in cl)
        nany = sum(1 for o in cl if o.predicted)
        errs = sum(1 for o in ed + cl if o.error)
        ms = [o.ms for o in ed + cl]
        mean = sum(ms) / len(ms) if ms else 0.0
        return (f"| {label} | {len(ed)} | {exp} | {mat} | {pred} | {_ratio(mat, pred)} | {_ratio(mat, exp)} | {fp} ({split}) | "
                f"{len(cl)} | {nf} | {nany} | {errs} | {mean:.0f} |")

    for n in noises:
        lines.append(row(n, [o for o in edited if o.noise == n], [o for o in clean if o.noise == n]))
    lines.append(row("**total**", edited, clean))

    exp = sum(o.expected for o in edited)
    mat = sum(o.matched for o in edited)
    pred = sum(o.predicted for o in edited)
    nf = sum(o.predicted for o in clean)
    ok = (pred and mat / pred >= TARGET_P) and (exp and mat / exp >= TARGET_R) and nf == 0
    lines += ["", f"Targets {'MET' if ok else 'NOT met'}: precision {_ratio(mat, pred)}, recall {_ratio(mat, exp)}, {nf} substantive findings on noise-only witnesses.", ""]

    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in edited:
        for k, (e, m) in o.by_kind.items():
            kinds[k][0] += e
            kinds[k][1] += m
    lines += ["## Recall by edit kind (all noise kinds)", "", "| edit kind | expected | matched | recall |", "|---|---:|---:|---:|"]
    for k in gen.EDIT_KINDS:
        if k in kinds:
            e, m = kinds[k]
            lines.append(f"| {k} | {e} | {m} | {_ratio(m, e)} |")

    pairs: Counter[str] = Counter()
    for o in edited:
        pairs.update(o.codes)
    lines += ["", "## Codes given to matched edits", "", "| edit kind | finding code | count |", "|---|---|---:|"]
    for key, n in sorted(pairs.items()):
        kind, code = key.split("\t")
        lines.append(f"| {kind} | {code} | {n} |")

    codes_ed: Counter[str] = Counter()
    codes_cl: Counter[str] = Counter()
    for o in edited:
        codes_ed.update(o.fp_codes)
    for o in clean:
        codes_cl.update(o.fp_codes)
    lines += ["", "## False positives by finding code", "", "| code | on edited witnesses | on noise-only witnesses |", "|---|---:|---:|"]
    for c in sorted(set(codes_ed) | set(codes_cl), key=lambda c: -(codes_ed[c] + codes_cl[c])):
        lines.append(f"| {c} | {codes_ed[c]} | {codes_cl[c]} |")

    lines += ["", "## By text", "", "| text | expected | matched | findings | precision | recall | noise-only findings |", "|---|---:|---:|---:|---:|---:|---:|"]
    for t in texts:
        ed = [o for o in edited if o.text == t]
        cl = [o for o in clean if o.text == t]
        e, m, p = sum(o.expected for o in ed), sum(o.matched for o in ed), sum(o.predicted for o in ed)
        lines.append(f"| {t} | {e} | {m} | {p} | {_ratio(m, p)} | {_ratio(m, e)} | {sum(o.predicted for o in cl)} |")

    errors = [o for o in outcomes if o.error]
    if errors:
        lines += ["", f"## Errors ({len(errors)})", ""]
        for o in errors[:examples]:
            lines.append(f"- {o.text} / {o.noise} / seed {o.seed} / {'edited' if o.edits else 'noise-only'}: `{_clip(o.error, 160)}`")

    sections = (
        ("First misses", [(o, m) for o in edited for m in o.misses]),
        ("First false positives on edited witnesses", [(o, f) for o in edited for f in o.fps]),
        ("First false positives on noise-only witnesses", [(o, f) for o in clean for f in o.fps]),
    )
    lines += examples_by_kind(sections, list(noises), examples)
    lines += ["", "Reproduce one witness: `python benchmarks/accuracy/generate.py benchmarks/accuracy/corpus/TEXT.txt --noise KIND --seed K --out-dir /tmp/w` "
              "(add `--no-edits` for the noise-only one, `--crowded` if the command above has it), then `jiaokan diff /tmp/w/base.txt /tmp/w/witness.*`.", ""]
    return "\n".join(lines)


def _revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(HERE), "status", "--porcelain", "--", "../src"], capture_output=True, text=True, check=True).stdout.strip()
        return f"{rev}{' + uncommitted changes in src/' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=10, help="witnesses per text and noise kind (default 10)")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder of clean .txt texts")
    ap.add_argument("--noise", default="every", help="every (default: each kind, then all combined) | all | a kind | kind,kind")
    ap.add_argument("--out", help="also write the report (with the command) to this markdown file")
    ap.add_argument("--diff", default="auto", choices=("auto", "engine", "baseline"), help="auto: jiaokan.diff if it imports, else the baseline stub")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--examples", type=int, default=8, help="misses / false positives listed per noise kind")
    ap.add_argument("--no-noise-only", action="store_true", help="skip the noise-only witnesses")
    ap.add_argument("--crowded", action="store_true", help="edits may sit beside an omitted or moved paragraph (a harder test)")
    args = ap.parse_args(argv)

    if args.noise == "every":
        noises = [*gen.NOISE_KINDS, "all"]
    else:
        noises = [n.strip() for n in args.noise.split(",") if n.strip()]
        bad = [n for n in noises if n not in (*gen.NOISE_KINDS, "all")]
        if bad:
            ap.error(f"unknown noise kind(s) {bad}; kinds: every, all, {', '.join(gen.NOISE_KINDS)}")
    files = sorted(Path(args.corpus).glob("*.txt"))
    if not files:
        ap.error(f"no .txt files in {args.corpus}")
    corpus = {f.stem: gen.load_text(f)[0] for f in files}
    _, desc = pick_diff(args.diff)
    items = [(name, n, k, ed) for name in corpus for n in noises for k in range(args.seeds)
             for ed in ((True,) if args.no_noise_only else (True, False))]
    print(f"{len(items)} comparisons with {desc}, {args.jobs} job(s)…", file=sys.stderr)
    t = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(corpus, args.diff, args.crowded)) as ex:
            outcomes = list(ex.map(run_one, items, chunksize=4))
    else:
        _init(corpus, args.diff, args.crowded)
        outcomes = [run_one(it) for it in items]
    seconds = time.perf_counter() - t
    command = "python benchmarks/bench_accuracy.py " + " ".join(sys.argv[1:] if argv is None else argv)
    text = report(outcomes, noises, desc, command.strip(), seconds, args.examples, args.seeds, list(corpus), crowded=args.crowded)
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
