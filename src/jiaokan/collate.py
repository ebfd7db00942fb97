"""N-way collation: many copies of one text, their variant places, and who copied whom.

``collate_documents(docs, base=None)`` chains: pick a base (given, or the copy
that accounts for most of the others' text with the fewest substantive
differences), diff every other copy against it, then

- an **alignment table**: a row per base paragraph, each copy's text there
  (a partial copy — a summary — only where it has text);
- **variant places**: base ranges where some copy reads differently, with
  every copy's reading (``None`` where a partial copy has no text there) and
  the majority reading;
- for each copy, the copy it shares most **unusual readings** with — minority
  readings both have at the same place — and those readings as evidence, as
  textual critics argue common descent from shared errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from jiaokan.config import Settings
from jiaokan.diff import DiffResult, diff_prepared
from jiaokan.findings import SUBSTANTIVE, Span
from jiaokan.ingest import Document
from jiaokan.prepare import Prepared, prepare
from jiaokan.review import project_starts
from jiaokan.segment import Segmented

PARTIAL = 0.6  # a copy covering less of the base than this is partial (a summary, an excerpt)


@dataclass(frozen=True, slots=True)
class Place:
    """A place in the base where some copy reads differently."""

    index: int
    base: Span
    heading: str
    readings: tuple[str | None, ...]  # per copy, in Collation.copies order; None: no text there
    majority: str

@dataclass(frozen=True, slots=True)
class Copy:
    path: str
    sha256: str
    coverage: float  # share of the base's text this copy has (aligned equal or changed)
    partial: bool
    substantive: int  # substantive findings against the base
    closest: str | None  # the copy it shares most unusual readings with
    shared: tuple[int, ...]  # those places

@dataclass(frozen=True, slots=True)
class Row:
    heading: str
    spans: tuple[Span | None, ...]  # per copy: its text aligned with this base paragraph


@dataclass(frozen=True, slots=True)
class Collation:
    base: int  # index into copies
    chosen: Literal["given", "auto"]
    why: str
    copies: tuple[Copy, ...]
    places: tuple[Place, ...]
    rows: tuple[Row, ...]
    results: tuple[DiffResult, ...]  # each other copy against the base, for the review page

def collate_documents(docs: Sequence[Document], *, base: int | None = None, settings: Settings | None = None) -> Collation:
    settings = settings or Settings()
    return collate_prepared([prepare(d, settings=settings) for d in docs], base=base, settings=settings)


def collate_prepared(prepared: Sequence[Prepared], *, base: int | None = None, settings: Settings | None = None) -> Collation:
    """Collate copies prepared once each; choosing the base diffs every pair, and those diffs are the collation's."""
    if len(prepared) < 2:
        raise ValueError("collation needs at least two copies")
    docs = [p.document for p in prepared]
    pairs: dict[tuple[int, int], DiffResult] = {}
    chosen: Literal["given", "auto"]
    if base is None:
        pairs = {(i, j): diff_prepared(prepared[i], prepared[j], settings=settings)
                 for i in range(len(prepared)) for j in range(len(prepared)) if i != j}
        base, why = _choose_base(docs, pairs)
        chosen = "auto"
    else:
        chosen, why = "given", f"{docs[base].path} was given as the base"
    others = [k for k in range(len(docs)) if k != base]
    results = [pairs.get((base, k)) or diff_prepared(prepared[base], prepared[k], settings=settings) for k in others]
    base_seg = prepared[base].segmented
    covered = [_covered(r) for r in results]
    full = [sum(e - s for s, e in _merge(cov)) / max(1, len(base_seg.stream)) >= PARTIAL for cov in covered]
    places = _places(base_seg, results, covered, full, base, others, len(docs))
    copies = _copies(docs, base, others, results, covered, places)
    rows = _rows(base_seg, results, base, others, len(docs))
    return Collation(base, chosen, why, tuple(copies), tuple(places), tuple(rows), tuple(results))


# ---------------------------------------------------------------------------


def _covered(result: DiffResult) -> list[tuple[int, int]]:
    """Base stream ranges this copy has text for (equal or changed, not omitted)."""
    return [(op.a1, op.a2) for op in result.pairing if op.tag in ("equal", "replace") and op.a2 > op.a1]


def _has(covered: list[tuple[int, int]], a1: int, a2: int) -> bool:
    lo, hi = (a1, a2) if a2 > a1 else (a1 - 1, a1 + 1)
    return any(s < hi and e > lo for s, e in covered)


def _choose_base(docs: Sequence[Document], pairs: dict[tuple[int, int], DiffResult]) -> tuple[int, str]:
    """The most complete copy (it accounts for most of the others' text, to the percent), then the most
    agreed-with: the fewest substantive differences from the other full copies (a summary differs from
    everything and says nothing about which full copy is right)."""
    scores = []
    for i in range(len(docs)):
        shares, diffs = [], []
        for j in range(len(docs)):
            if i == j:
                continue
            r = pairs[(i, j)]
            assert r.witness_seg is not None and r.base_seg is not None
            equal = [op for op in r.pairing if op.tag == "equal"]
            shares.append(sum(op.b2 - op.b1 for op in equal) / max(1, len(r.witness_seg.stream)))
            if sum(op.a2 - op.a1 for op in equal) / max(1, len(r.base_seg.stream)) >= PARTIAL:
                diffs.append(r.summary.substantive)
        share = sum(shares) / len(shares)
        mean_diffs = sum(diffs) / len(diffs) if diffs else 0.0
        scores.append((round(share * 100), -mean_diffs, -i, share))
    ranked = sorted(range(len(docs)), key=lambda k: scores[k][:3], reverse=True)
    best, second = ranked[0], ranked[1]

    def said(k: int) -> str:
        return f"{scores[k][3]:.0%} of the other copies' text, {-scores[k][1]:.1f} substantive differences from each other full copy"

    why = f"{docs[best].path}: {said(best)}; next, {docs[second].path}: {said(second)}"
    if scores[best][:2] == scores[second][:2]:
        why += " (a tie: the one given first)"
    return best, why


def _places(base_seg: Segmented, results: list[DiffResult], covered: list[list[tuple[int, int]]], full: list[bool],
            base: int, others: list[int], n: int) -> list[Place]:
    # every substantive wording finding of every full copy, on base stream offsets; a partial copy (a summary)
    # is read at these places where it has text, but its own rewording makes no place
    spans: list[tuple[int, int, int, str]] = []  # (a1, a2, copy, reading)
    findings_of = {col: [p for f in r.listed(include_cosmetic=False) for p in f.places()] for col, r in zip(others, results, strict=False)}  # each place
    for col, is_full in zip(others, full, strict=False):
        if not is_full:
            continue
        for f in findings_of[col]:
            if f.severity != SUBSTANTIVE or not f.info.variant:
                continue
            assert f.stream is not None
            a1, a2 = f.stream[0], f.stream[1]
            spans.append((a1, a2, col, f.witness_norm))
    spans.sort()
    groups: list[list[tuple[int, int, int, str]]] = []
    hi = -1
    for s in spans:
        same_point = bool(groups) and s[0] == s[1] == groups[-1][0][0] == hi
        if groups and (s[0] < hi or same_point):
            groups[-1].append(s)
            hi = max(hi, s[1])
        else:
            groups.append([s])
            hi = s[1]
    places: list[Place] = []
    for g in groups:
        a1, a2 = min(x[0] for x in g), max(x[1] for x in g)
        base_text = base_seg.stream[a1:a2]
        readings: list[str | None] = [None] * n
        readings[base] = base_text
        for col, cov in zip(others, covered, strict=False):
            readings[col] = base_text if _has(cov, a1, a2) else None
        for x1, x2, col, reading in g:
            # the copy's reading of the whole place: its own words where it differs, the base's around them
            readings[col] = base_seg.stream[a1:x1] + reading + base_seg.stream[x2:a2]
        for col, is_full in zip(others, full, strict=False):
            if not is_full and readings[col] is not None:
                # a summary that has text here: its own words at this place, if it changed them
                for f in findings_of[col]:
                    x1, x2 = f.stream[:2] if f.stream else (-1, -1)
                    if f.severity == SUBSTANTIVE and f.info.variant and a1 <= x1 and x2 <= a2 and f.base_norm:
                        readings[col] = base_seg.stream[a1:x1] + f.witness_norm + base_seg.stream[x2:a2]
        votes = Counter(reading for reading in readings if reading is not None)
        majority = max(votes.items(), key=lambda kv: (kv[1], kv[0] == base_text))[0]
        para = base_seg.paragraphs[base_seg.para_of[min(a1, len(base_seg.para_of) - 1)]]
        places.append(Place(len(places), base_seg.span(a1, a2), para.heading, tuple(readings), majority))
    return places


def _copies(docs: Sequence[Document], base: int, others: list[int], results: list[DiffResult],
            covered: list[list[tuple[int, int]]], places: list[Place]) -> list[Copy]:
    n = len(docs)
    unusual: list[set[tuple[int, str]]] = [set() for _ in range(n)]
    for p in places:
        for k, reading in enumerate(p.readings):
            if reading is not None and reading != p.majority:
                unusual[k].add((p.index, reading))
    coverage = [1.0] * n
    substantive = [0] * n
    base_len = 0
    for col, r, cov in zip(others, results, covered, strict=False):
        assert r.base_seg is not None
        base_len = max(1, len(r.base_seg.stream))
        coverage[col] = sum(e - s for s, e in _merge(cov)) / base_len
        substantive[col] = r.summary.substantive
    out = []
    for k in range(n):
        best: str | None = None
        shared: tuple[int, ...] = ()
        for j in range(n):
            if j == k:
                continue
            common = tuple(sorted(i for i, _ in unusual[k] & unusual[j]))
            if len(common) > len(shared):
                best, shared = docs[j].path, common
        out.append(Copy(docs[k].path, docs[k].sha256, coverage[k], coverage[k] < PARTIAL, substantive[k], best, shared))
    return out


def _rows(base_seg: Segmented, results: list[DiffResult], base: int, others: list[int], n: int) -> list[Row]:
    paras = base_seg.paragraphs
    starts = [p.start for p in paras]
    witness_segs = [r.witness_seg for r in results]
    assert all(seg is not None for seg in witness_segs), "a collation keeps full diff results"
    projected = [[*project_starts(r, starts), len(seg.stream)] for r, seg in zip(results, witness_segs, strict=False) if seg is not None]
    rows = []
    for k, para in enumerate(paras):
        spans: list[Span | None] = [None] * n
        spans[base] = base_seg.span(para.start, para.end)
        for col, seg, proj in zip(others, witness_segs, projected, strict=False):
            lo, hi = proj[k], proj[k + 1]
            spans[col] = seg.span(lo, hi) if seg is not None and hi > lo else None
        rows.append(Row(para.heading, tuple(spans)))
    return rows


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out



