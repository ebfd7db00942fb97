"""Stage 4: align a base stream with a witness stream, near-linearly.

No whole-document quadratic diff (difflib takes 267 s on two 165,000-character
texts here).  Instead:

1. anchor on exact sentence matches: a sentence whose text occurs the same
   number of times in both documents pairs its occurrences in order (so a
   text repeated 16 times, or a table of contents repeating the headings,
   still anchors), hashing the normalized sentence text;
2. keep the longest chain of anchors in the same order in both (longest
   increasing subsequence, n log n); unique sentences off the chain are
   *moves*;
3. diff only the gaps between consecutive anchors, with rapidfuzz's
   Levenshtein opcodes; a gap too large for that is first re-anchored on
   near-exact sentence matches (rapidfuzz ratio) and split.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, Levenshtein

from jiaokan.segment import Segmented, Sentence

#: Gaps whose two sides multiply to more than this are re-anchored first.
MAX_DIRECT_CELLS = 4_000_000
MIN_ANCHOR_CHARS = 4
NEAR_MATCH_RATIO = 70.0


@dataclass(frozen=True, slots=True)
class Op:
    """One alignment step over the two streams: equal, replace, delete or insert."""

    tag: str
    a1: int
    a2: int
    b1: int
    b2: int


@dataclass(frozen=True, slots=True)
class Move:
    """A sentence found in both documents, at another place in the witness."""

    a1: int
    a2: int
    b1: int
    b2: int


@dataclass(frozen=True, slots=True)
class Alignment:
    ops: list[Op]
    moves: list[Move]
    anchors: int  # exact sentence anchors on the chain


def longest_chain(pairs: list[tuple[int, int]]) -> list[int]:
    """Indices of the longest subsequence of ``pairs`` increasing in both members.

    ``pairs`` must be sorted by their first member (then second).
    """
    tails: list[int] = []  # witness values
    tails_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, b) in enumerate(pairs):
        i = bisect.bisect_left(tails, b)
        if i == len(tails):
            tails.append(b)
            tails_idx.append(k)
        else:
            tails[i] = b
            tails_idx[i] = k
        prev[k] = tails_idx[i - 1] if i else -1
    out = []
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        out.append(k)
        k = prev[k]
    return out[::-1]


def _exact_pairs(base: list[Sentence], wit: list[Sentence]) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    where_a: dict[str, list[int]] = defaultdict(list)
    where_b: dict[str, list[int]] = defaultdict(list)
    for s in base:
        if len(s.text) >= MIN_ANCHOR_CHARS:
            where_a[s.text].append(s.index)
    for s in wit:
        if len(s.text) >= MIN_ANCHOR_CHARS:
            where_b[s.text].append(s.index)
    pairs: list[tuple[int, int]] = []
    unique: set[tuple[int, int]] = set()
    for key, xs in where_a.items():
        ys = where_b.get(key)
        if ys and len(xs) == len(ys):
            pairs.extend(zip(xs, ys))
            if len(xs) == 1:
                unique.add((xs[0], ys[0]))
    pairs.sort()
    return pairs, unique


def align(base: Segmented, witness: Segmented) -> Alignment:
    a_sent, b_sent = base.sentences, witness.sentences
    pairs, unique = _exact_pairs(a_sent, b_sent)
    chain = [pairs[k] for k in longest_chain(pairs)]
    on_chain = set(chain)
    moves = [
        Move(a_sent[i].start, a_sent[i].end, b_sent[j].start, b_sent[j].end)
        for i, j in pairs
        if (i, j) not in on_chain and (i, j) in unique
    ]
    moves = _group_moves(moves)
    masked_a = [(m.a1, m.a2) for m in moves]
    masked_b = [(m.b1, m.b2) for m in moves]
    ops: list[Op] = []
    pa = pb = 0
    for i, j in chain:
        sa, sb = a_sent[i], b_sent[j]
        ops.extend(_diff_gap(base, witness, pa, sa.start, pb, sb.start, masked_a, masked_b))
        ops.append(Op("equal", sa.start, sa.end, sb.start, sb.end))
        pa, pb = sa.end, sb.end
    ops.extend(_diff_gap(base, witness, pa, len(base.stream), pb, len(witness.stream), masked_a, masked_b))
    return Alignment(_merge(ops), moves, len(chain))


def _group_moves(moves: list[Move]) -> list[Move]:
    """Consecutive sentences moved together are one move (a paragraph, say)."""
    out: list[Move] = []
    for m in sorted(moves, key=lambda m: (m.a1, m.b1)):
        if out and out[-1].a2 == m.a1 and out[-1].b2 == m.b1:
            last = out.pop()
            m = Move(last.a1, m.a2, last.b1, m.b2)
        out.append(m)
    return out


def _merge(ops: list[Op]) -> list[Op]:
    out: list[Op] = []
    for op in ops:
        if op.a1 == op.a2 and op.b1 == op.b2:
            continue
        if out and out[-1].tag == op.tag == "equal" and out[-1].a2 == op.a1 and out[-1].b2 == op.b1:
            last = out.pop()
            op = Op("equal", last.a1, op.a2, last.b1, op.b2)
        out.append(op)
    return out


def _unmasked(lo: int, hi: int, masked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [lo, hi) outside the masked ranges."""
    parts = []
    pos = lo
    for m1, m2 in sorted(masked):
        if m2 <= pos or m1 >= hi:
            continue
        if m1 > pos:
            parts.append((pos, m1))
        pos = max(pos, m2)
    if pos < hi:
        parts.append((pos, hi))
    return parts


def _diff_gap(
    base: Segmented, witness: Segmented, a_lo: int, a_hi: int, b_lo: int, b_hi: int,
    masked_a: list[tuple[int, int]], masked_b: list[tuple[int, int]],
) -> list[Op]:
    if a_lo >= a_hi and b_lo >= b_hi:
        return []
    a_parts = _unmasked(a_lo, a_hi, masked_a)
    b_parts = _unmasked(b_lo, b_hi, masked_b)
    if (a_parts != [(a_lo, a_hi)] and a_lo < a_hi) or (b_parts != [(b_lo, b_hi)] and b_lo < b_hi):
        # moved sentences inside: diff what is left, piece by piece translated back
        return _diff_pieces(base, witness, a_parts, b_parts, a_lo, b_lo)
    return _diff_range(base, witness, a_lo, a_hi, b_lo, b_hi)


def _diff_pieces(
    base: Segmented, witness: Segmented, a_parts: list[tuple[int, int]], b_parts: list[tuple[int, int]], a_lo: int, b_lo: int
) -> list[Op]:
    a_text = "".join(base.stream[x:y] for x, y in a_parts)
    b_text = "".join(witness.stream[x:y] for x, y in b_parts)
    a_map = [i for x, y in a_parts for i in range(x, y)]
    b_map = [i for x, y in b_parts for i in range(x, y)]

    def tr(mapping: list[int], i: int, j: int, fallback: int) -> tuple[int, int]:
        if i < j:
            return mapping[i], mapping[j - 1] + 1
        if i < len(mapping):
            return mapping[i], mapping[i]
        return fallback, fallback

    a_end = a_parts[-1][1] if a_parts else a_lo  # an empty side: a point at the gap, not the document start
    b_end = b_parts[-1][1] if b_parts else b_lo
    out = []
    for tag, i1, i2, j1, j2 in opcodes(a_text, b_text):
        x1, x2 = tr(a_map, i1, i2, a_end)
        y1, y2 = tr(b_map, j1, j2, b_end)
        out.append(Op(tag, x1, x2, y1, y2))
    return out


#: Two gap texts less alike than this are a deletion plus an insertion (a
#: rewritten passage), not a character-level scatter of tiny edits.
MIN_GAP_SIMILARITY = 50.0


_MIRROR = {"insert": "delete", "delete": "insert", "replace": "replace", "equal": "equal"}


def opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    """Edit operations turning ``a`` into ``b``.

    Alignments tie (a substitution costs what a deletion plus an insertion does; a repeated character can pair
    either way), and a diff library breaks ties by argument order.  Computing in one canonical order and
    mirroring makes the diff of (b, a) exactly the mirror of (a, b): swapping base and witness swaps insertions
    and deletions and nothing else.
    """
    if not a and not b:
        return []
    if not a:
        return [("insert", 0, 0, 0, len(b))]
    if not b:
        return [("delete", 0, len(a), 0, 0)]
    if len(a) > 20 and len(b) > 20 and fuzz.ratio(a, b) < MIN_GAP_SIMILARITY:
        return [("delete", 0, len(a), 0, 0), ("insert", len(a), len(a), 0, len(b))]
    if b < a:
        return [(_MIRROR[t], j1, j2, i1, i2) for t, i1, i2, j1, j2 in _levenshtein(b, a)]
    return _levenshtein(a, b)


def _levenshtein(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    out: list[tuple[str, int, int, int, int]] = []
    for o in Levenshtein.opcodes(a, b):
        if o.tag == "replace" and o.src_end - o.src_start > 1 and o.dest_end - o.dest_start > 1:
            # Substitutions and indels can cost the same: 体系。中 → 。中数字 is two deleted and two inserted
            # characters around a kept 。中, not four substituted ones. Keep what both sides share (longest
            # common subsequence), so an edit never swallows the punctuation between two edits.
            inner = Indel.opcodes(a[o.src_start:o.src_end], b[o.dest_start:o.dest_end])
            if any(x.tag == "equal" for x in inner):
                out.extend((x.tag, o.src_start + x.src_start, o.src_start + x.src_end, o.dest_start + x.dest_start, o.dest_start + x.dest_end) for x in inner)
                continue
        out.append((o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end))
    return out


def _diff_range(base: Segmented, witness: Segmented, a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> list[Op]:
    n, m = a_hi - a_lo, b_hi - b_lo
    if n * m <= MAX_DIRECT_CELLS or n == 0 or m == 0:
        return [Op(t, a_lo + i1, a_lo + i2, b_lo + j1, b_lo + j2) for t, i1, i2, j1, j2 in opcodes(base.stream[a_lo:a_hi], witness.stream[b_lo:b_hi])]
    # Too large to diff directly: anchor on near-exact sentences inside the gap.
    a_sent = [s for s in base.sentences if s.start >= a_lo and s.end <= a_hi and len(s.text) >= MIN_ANCHOR_CHARS]
    b_sent = [s for s in witness.sentences if s.start >= b_lo and s.end <= b_hi and len(s.text) >= MIN_ANCHOR_CHARS]
    choices = [s.text for s in b_sent]
    pairs = []
    for i, s in enumerate(a_sent):
        hit = process.extractOne(s.text, choices, scorer=fuzz.ratio, score_cutoff=NEAR_MATCH_RATIO)
        if hit is not None:
            pairs.append((i, hit[2]))
    pairs.sort()
    chain = [pairs[k] for k in longest_chain(pairs)]
    if not chain:
        return [Op("delete", a_lo, a_hi, b_lo, b_lo), Op("insert", a_hi, a_hi, b_lo, b_hi)]
    ops: list[Op] = []
    pa, pb = a_lo, b_lo
    for i, j in chain:
        sa, sb = a_sent[i], b_sent[j]
        if sa.start < pa or sb.start < pb:
            continue
        ops.extend(_diff_range(base, witness, pa, sa.start, pb, sb.start))
        ops.extend(_diff_range(base, witness, sa.start, sa.end, sb.start, sb.end))
        pa, pb = sa.end, sb.end
    ops.extend(_diff_range(base, witness, pa, a_hi, pb, b_hi))
    return ops
