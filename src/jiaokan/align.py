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
   Levenshtein opcodes; a gap holding several sentences is first split on
   its similar sentence pairs (rapidfuzz ratio) when that costs about what
   the best character alignment does, and a gap too large to diff at once
   always is.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, cast

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, Levenshtein

from jiaokan.segment import Sentence, Stream, word_bounds
from jiaokan.shingles import hashed_shingles

#: Gaps whose two sides multiply to more than this are re-anchored first.
MAX_DIRECT_CELLS = 4_000_000
MIN_ANCHOR_CHARS = 4
MIN_NEAR_CHARS = 8  # a sentence paired by its key (not its text) must say something
NEAR_MATCH_RATIO = 70.0

#: What an alignment step does; the strings difflib and rapidfuzz use, compared and serialized as they are.
OpTag = Literal["equal", "replace", "insert", "delete"]
#: (tag, a1, a2, b1, b2): an edit operation over two strings, as :func:`opcodes` gives it.
Opcode = tuple[OpTag, int, int, int, int]


@dataclass(frozen=True, slots=True)
class Op:
    """One alignment step over the two streams: equal, replace, delete or insert."""

    tag: OpTag
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


def _exact_pairs(base: list[Sentence], wit: list[Sentence], key: Callable[[str], str] | None = None
                 ) -> tuple[list[tuple[int, int]], set[tuple[int, int]], set[tuple[int, int]]]:
    """Sentence pairs (base index, witness index): equal texts occurring as often in both, paired in order; and,
    when ``key`` is given, sentences left unpaired whose keys are equal and unique on both sides (``near``)."""
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
    for text, xs in where_a.items():
        ys = where_b.get(text)
        if ys and len(xs) == len(ys):
            pairs.extend(zip(xs, ys, strict=True))
            if len(xs) == 1:
                unique.add((xs[0], ys[0]))
    near: set[tuple[int, int]] = set()
    if key is not None:
        paired_a = {i for i, _ in pairs}
        paired_b = {j for _, j in pairs}
        keys_a: dict[str, list[int]] = defaultdict(list)
        keys_b: dict[str, list[int]] = defaultdict(list)
        for s in base:
            if s.index not in paired_a and len(s.text) >= MIN_NEAR_CHARS:
                keys_a[key(s.text)].append(s.index)
        for s in wit:
            if s.index not in paired_b and len(s.text) >= MIN_NEAR_CHARS:
                keys_b[key(s.text)].append(s.index)
        for k, xs in keys_a.items():
            ys = keys_b.get(k)
            if ys and len(xs) == len(ys) == 1:
                near.add((xs[0], ys[0]))
        pairs.extend(near)
        unique |= near
    pairs.sort()
    return pairs, unique, near


def align(base: Stream, witness: Stream, *, key: Callable[[str], str] | None = None) -> Alignment:
    """Align two streams.  ``key`` (optional) makes sentences that differ only in ways it erases pair up for
    finding moves and ordering anchors; their text is still diffed (the diff judges what differs)."""
    a_sent, b_sent = base.sentences, witness.sentences
    pairs, unique, near = _exact_pairs(a_sent, b_sent, key)
    # Several chains can be longest (which of two swapped sentences moved?): choose in one canonical order, so
    # that swapping base and witness reports the same sentences as moved.
    if witness.stream < base.stream:
        swapped = sorted((j, i) for i, j in pairs)
        chain = sorted((i, j) for j, i in (swapped[k] for k in longest_chain(swapped)))
    else:
        chain = [pairs[k] for k in longest_chain(pairs)]
    chain = _repeats_in_gaps(a_sent, b_sent, chain, len(base.stream), len(witness.stream))
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
        if (i, j) in near:
            continue  # in order, but not equal: diffed with the gap it lies in
        sa, sb = a_sent[i], b_sent[j]
        ops.extend(_diff_gap(base, witness, pa, sa.start, pb, sb.start, masked_a, masked_b))
        ops.append(Op("equal", sa.start, sa.end, sb.start, sb.end))
        pa, pb = sa.end, sb.end
    ops.extend(_diff_gap(base, witness, pa, len(base.stream), pb, len(witness.stream), masked_a, masked_b))
    return Alignment(_merge(_slide(_join_split(_merge(ops), base, witness), base, witness)), moves, len(chain))


def _repeats_in_gaps(a_sent: list[Sentence], b_sent: list[Sentence], chain: list[tuple[int, int]], a_len: int, b_len: int
                     ) -> list[tuple[int, int]]:
    """The chain with repeated sentences anchored in its gaps: a text occurring a different number of times in
    the two copies is no exact anchor, so 100,000 copies of a paragraph against 99,990 left one gap of the whole
    document (every copy deleted and inserted).  Between two anchors, the copies of such a text pair in order,
    the first with the first, as far as the fewer go (symmetric: swapping the copies swaps the pairs); a
    sentence too short to anchor pairs so only in a gap too large to diff at once.  Linear in the sentences."""
    out: list[tuple[int, int]] = []
    pi = pj = 0
    for i, j in [*chain, (len(a_sent), len(b_sent))]:
        if i - pi > 0 and j - pj > 0:
            big = (a_sent[i - 1].end - a_sent[pi].start) * (b_sent[j - 1].end - b_sent[pj].start) > MAX_DIRECT_CELLS
            if big or (i - pi > 1 or j - pj > 1):
                out.extend(_pair_repeats(a_sent[pi:i], b_sent[pj:j], big))
        if i < len(a_sent):
            out.append((i, j))
        pi, pj = i + 1, j + 1
    return out


def _pair_repeats(a: list[Sentence], b: list[Sentence], tiny_too: bool) -> list[tuple[int, int]]:
    """Pairs (in order) of a gap's sentences whose text repeats in it, the k-th copy with the k-th copy, kept
    only while they stay in order (a longest increasing run of them)."""
    short = 1 if tiny_too else MIN_ANCHOR_CHARS
    count_a = Counter(s.text for s in a if len(s.text) >= short)
    count_b = Counter(s.text for s in b if len(s.text) >= short)
    repeated = {t for t in count_a if t in count_b and (count_a[t] > 1 or count_b[t] > 1)}
    if not repeated:
        return []
    where_b: dict[str, list[int]] = defaultdict(list)
    for s in b:
        if s.text in repeated:
            where_b[s.text].append(s.index)
    seen: Counter[str] = Counter()
    pairs = []
    for s in a:
        if s.text in repeated:
            k = seen[s.text]
            seen[s.text] += 1
            if k < len(where_b[s.text]):
                pairs.append((s.index, where_b[s.text][k]))
    return [pairs[k] for k in longest_chain(pairs)]


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
        if out and out[-1].tag == op.tag and op.tag != "replace" and out[-1].a2 == op.a1 and out[-1].b2 == op.b1:
            # one run of equal, deleted or inserted text, however the gap diffs happened to cut it
            last = out.pop()
            op = Op(op.tag, last.a1, op.a2, last.b1, op.b2)
        out.append(op)
    return out


def _text_side(op: Op, base: Stream, witness: Stream) -> tuple[str, int, int]:
    """A deletion's or insertion's text: (the stream it is in, start, end)."""
    return (base.stream, op.a1, op.a2) if op.tag == "delete" else (witness.stream, op.b1, op.b2)


def _join_split(ops: list[Op], base: Stream, witness: Stream) -> list[Op]:
    """One deleted (or inserted) passage, not two around a few characters it happens to repeat.

    一、关于大连双岛湾…问题。 dropped before 大连市请求 costs the same as keeping the heading's 大连 and deleting
    the rest in two pieces; the character diff may pick either.  When the whole run ends (or starts) with the
    kept characters, keeping those instead makes it one deletion at no cost.
    """
    out = list(ops)
    i = 0
    while i + 2 < len(out):
        x, e, y = out[i], out[i + 1], out[i + 2]
        if e.tag == "equal" and x.tag == y.tag and x.tag in ("delete", "insert") and e.a2 - e.a1 <= _MAX_SPLIT_KEPT and _touching(x, e, y):
            stream, lo, _ = _text_side(x, base, witness)
            _, _, hi = _text_side(y, base, witness)
            kept = stream[e.a1:e.a2] if x.tag == "delete" else stream[e.b1:e.b2]
            n = len(kept)
            run = stream[lo:hi]
            new = None
            if run.endswith(kept):
                new = [Op(x.tag, x.a1, y.a2 - n, x.b1, x.b1), Op("equal", y.a2 - n, y.a2, e.b1, e.b2)] if x.tag == "delete" else \
                      [Op(x.tag, x.a1, x.a1, x.b1, y.b2 - n), Op("equal", e.a1, e.a2, y.b2 - n, y.b2)]
            elif run.startswith(kept):
                new = [Op("equal", x.a1, x.a1 + n, e.b1, e.b2), Op(x.tag, x.a1 + n, y.a2, e.b2, e.b2)] if x.tag == "delete" else \
                      [Op("equal", e.a1, e.a2, x.b1, x.b1 + n), Op(x.tag, e.a2, e.a2, x.b1 + n, y.b2)]
            if new is not None:
                out[i:i + 3] = new
                continue
        i += 1
    return out


_MAX_SPLIT_KEPT = 12


def _touching(*ops: Op) -> bool:
    """Does each op start where the one before it ends, on both sides?  Not across a moved passage taken out."""
    return all(x.a2 == y.a1 and x.b2 == y.b1 for x, y in pairwise(ops))


_CLAUSE_END = set("，、；：,;:")


def _slide(ops: list[Op], base: Stream, witness: Stream) -> list[Op]:
    """Place each deletion or insertion that could sit a few characters earlier or later (its text repeats
    around it) where it starts and ends on sentence or paragraph boundaries: a dropped paragraph is reported as
    发展改革委…论证。, not 。发展改革委…论证.  Judged on the side that holds the text, so both directions agree."""
    out = list(ops)
    for k in range(1, len(out) - 1):
        prev, op, nxt = out[k - 1], out[k], out[k + 1]
        if op.tag not in ("delete", "insert") or prev.tag != "equal" or nxt.tag != "equal" or not _touching(prev, op, nxt):
            continue
        seg = base if op.tag == "delete" else witness
        stream, lo, hi = _text_side(op, base, witness)
        # never onto the stream's first or last character: what lies before or after all shared text is wrapper
        left = 0
        while left < prev.a2 - prev.a1 and lo - left - 1 > 0 and stream[lo - left - 1] == stream[hi - left - 1]:
            left += 1
        right = 0
        while right < nxt.a2 - nxt.a1 and hi + right + 1 < len(stream) and stream[lo + right] == stream[hi + right]:
            right += 1
        if not left and not right:
            continue
        score = {d: _boundary(seg, lo + d, hi + d) for d in range(-left, right + 1)}
        top = max(score.values())
        tied = [d for d in score if score[d] == top]
        if len(tied) > 1:  # then whole words: 数据 inserted before 数字, not 据数 after 数
            w0 = max(0, lo - left - 4)
            words = word_bounds(stream[w0:hi + right + 4])
            tied.sort(key=lambda d: (-((lo + d - w0) in words) - ((hi + d - w0) in words), d != 0, d))
        d = tied[0]
        if d:
            out[k - 1] = Op("equal", prev.a1, prev.a2 + d, prev.b1, prev.b2 + d)
            out[k] = Op(op.tag, op.a1 + d, op.a2 + d, op.b1 + d, op.b2 + d)
            out[k + 1] = Op("equal", nxt.a1 + d, nxt.a2, nxt.b1 + d, nxt.b2)
    return out


def _boundary(seg: Stream, lo: int, hi: int) -> int:
    """How well ``[lo, hi)`` starts and ends on boundaries: paragraph 2, sentence or clause 1."""
    s, para = seg.stream, seg.para_of

    def at(i: int) -> int:
        if i == 0 or i == len(s) or para[i] != para[i - 1]:
            return 2
        return 1 if s[i - 1] in _CLOSING or s[i - 1] in _CLAUSE_END else 0

    return at(lo) + at(hi)


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
    base: Stream, witness: Stream, a_lo: int, a_hi: int, b_lo: int, b_hi: int,
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
    base: Stream, witness: Stream, a_parts: list[tuple[int, int]], b_parts: list[tuple[int, int]], a_lo: int, b_lo: int
) -> list[Op]:
    """Diff what is left of a gap once its moved sentences are taken out, and translate back piece by piece: no
    operation spans a moved sentence (an equal run across one would pair texts of different lengths)."""
    a_text = "".join(base.stream[x:y] for x, y in a_parts)
    b_text = "".join(witness.stream[x:y] for x, y in b_parts)
    a_map = [i for x, y in a_parts for i in range(x, y)]
    b_map = [i for x, y in b_parts for i in range(x, y)]
    a_end = a_parts[-1][1] if a_parts else a_lo  # an empty side: a point at the gap, not the document start
    b_end = b_parts[-1][1] if b_parts else b_lo

    def point(mapping: list[int], i: int, end: int) -> int:
        return mapping[i] if i < len(mapping) else end

    def cut(mapping: list[int], i: int, j: int) -> list[int]:
        """Offsets in [i, j) where the mapped stream jumps over a moved sentence."""
        return [k for k in range(i + 1, j) if mapping[k] != mapping[k - 1] + 1]

    out = []
    for tag, i1, i2, j1, j2 in opcodes(a_text, b_text):
        if tag == "delete":
            for x, y in pairwise([i1, *cut(a_map, i1, i2), i2]):
                out.append(Op(tag, a_map[x], a_map[y - 1] + 1, point(b_map, j1, b_end), point(b_map, j1, b_end)))
        elif tag == "insert":
            for x, y in pairwise([j1, *cut(b_map, j1, j2), j2]):
                out.append(Op(tag, point(a_map, i1, a_end), point(a_map, i1, a_end), b_map[x], b_map[y - 1] + 1))
        elif i2 - i1 == j2 - j1:  # equal, or a substitution of as many characters
            steps = sorted({0, i2 - i1, *(k - i1 for k in cut(a_map, i1, i2)), *(k - j1 for k in cut(b_map, j1, j2))})
            for x, y in pairwise(steps):
                out.append(Op(tag, a_map[i1 + x], a_map[i1 + y - 1] + 1, b_map[j1 + x], b_map[j1 + y - 1] + 1))
        else:
            out.append(Op(tag, a_map[i1], a_map[i2 - 1] + 1, b_map[j1], b_map[j2 - 1] + 1))
    return out


#: Two gap texts less alike than this are a deletion plus an insertion (a
#: rewritten passage), not a character-level scatter of tiny edits.
MIN_GAP_SIMILARITY = 50.0


_MIRROR: dict[OpTag, OpTag] = {"insert": "delete", "delete": "insert", "replace": "replace", "equal": "equal"}


def opcodes(a: str, b: str) -> list[Opcode]:
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
        return _replaced(a, b)
    if b < a:
        return [(_MIRROR[t], j1, j2, i1, i2) for t, i1, i2, j1, j2 in _levenshtein(b, a)]
    return _levenshtein(a, b)


def _levenshtein(a: str, b: str) -> list[Opcode]:
    out: list[Opcode] = []

    def add(tag: OpTag, i1: int, i2: int, j1: int, j2: int) -> None:
        if out and out[-1][0] == tag != "replace" and out[-1][2] == i1 and out[-1][4] == j1:
            out[-1] = (tag, out[-1][1], i2, out[-1][3], j2)  # a deleted passage is one deletion, however it was cut
        else:
            out.append((tag, i1, i2, j1, j2))

    # rapidfuzz's opcode tags are OpTag's four strings, typed str
    for o in Levenshtein.opcodes(a, b):
        if o.tag == "replace" and o.src_end - o.src_start > 1 and o.dest_end - o.dest_start > 1:
            # Substitutions and indels can cost the same: 体系。中 → 。中数字 is two deleted and two inserted
            # characters around a kept 。中, not four substituted ones. Keep what both sides share (longest
            # common subsequence), so an edit never swallows the punctuation between two edits.
            inner = Indel.opcodes(a[o.src_start:o.src_end], b[o.dest_start:o.dest_end])
            if any(x.tag == "equal" for x in inner):
                for x in inner:
                    add(cast(OpTag, x.tag), o.src_start + x.src_start, o.src_start + x.src_end, o.dest_start + x.dest_start, o.dest_start + x.dest_end)
                continue
        add(cast(OpTag, o.tag), o.src_start, o.src_end, o.dest_start, o.dest_end)
    return out


def _diff_range(base: Stream, witness: Stream, a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> list[Op]:
    ops = gap_opcodes(base.stream[a_lo:a_hi], _sentence_ends(base, a_lo, a_hi), witness.stream[b_lo:b_hi], _sentence_ends(witness, b_lo, b_hi))
    return [Op(t, a_lo + i1, a_lo + i2, b_lo + j1, b_lo + j2) for t, i1, i2, j1, j2 in ops]


def _sentence_ends(seg: Stream, lo: int, hi: int) -> tuple[int, ...]:
    """Where the sentences of stream ``[lo, hi)`` end, relative to ``lo`` (the last is always ``hi - lo``).

    Only a sentence's own punctuation, or the end of a heading, ends it here: a page break in the middle of a
    sentence is a paragraph end in one copy and nothing in the other, and must not cut the two copies'
    sentences differently.
    """
    k = bisect.bisect_left(seg.sentences, lo, key=lambda s: s.start)
    ends = []
    while k < len(seg.sentences) and seg.sentences[k].end < hi:
        s = seg.sentences[k]
        para = seg.paragraphs[s.paragraph]
        if s.text[-1] in _CLOSING or (para.is_heading and s.end == para.end):
            ends.append(s.end - lo)
        k += 1
    if hi > lo:
        ends.append(hi - lo)
    return tuple(ends)


#: Anchoring a gap on its sentences may cost a tenth more than the best character alignment, plus a short
#: sentence: what chance matches of scattered characters save.  A gap whose best alignment costs less than two
#: short sentences has nothing dropped or added to anchor around, and is never anchored at a higher cost.
ANCHOR_SLACK = 0.1
_CLOSING = set("。！？；!?;…”’」』）)")


def gap_opcodes(a: str, a_ends: tuple[int, ...], b: str, b_ends: tuple[int, ...]) -> list[Opcode]:
    """Edit operations for a gap between two anchors, given where its sentences end on each side.

    A character diff pairs any characters it can: a dropped paragraph beside an edited sentence turns into a
    scatter of edits that borrow the paragraph's characters.  So a gap holding several sentences is first
    anchored on its sentence pairs (rapidfuzz ratio at least 70, in order) and diffed between them, as long as
    that costs about what the best character alignment does; a gap too large to diff at once always is.
    Computed in one canonical order and mirrored, like :func:`opcodes`.
    """
    if (b, b_ends) < (a, a_ends):
        return [(_MIRROR[t], j1, j2, i1, i2) for t, i1, i2, j1, j2 in _gap_opcodes(b, b_ends, a, a_ends)]
    return _gap_opcodes(a, a_ends, b, b_ends)


#: How deep a gap is split on its sentence pairs, pairs within pairs: each level pairs at least one sentence, so
#: only text made of near-identical sentences goes this deep (345 copies of one sentence, each a bit longer, went
#: one level per sentence and out of Python's stack).
MAX_ANCHOR_DEPTH = 64


def _gap_opcodes(a: str, a_ends: tuple[int, ...], b: str, b_ends: tuple[int, ...], depth: int = 0) -> list[Opcode]:
    direct = len(a) * len(b) <= MAX_DIRECT_CELLS
    several = a and b and (len(a_ends) > 1 or len(b_ends) > 1) and depth < MAX_ANCHOR_DEPTH
    anchored = _anchored(a, a_ends, b, b_ends, depth) if several else None
    if anchored is None:
        return opcodes(a, b) if direct else _replaced(a, b)
    if direct:
        best = Levenshtein.distance(a, b)
        if _cost(anchored) > (best * (1 + ANCHOR_SLACK) + MIN_ANCHOR_CHARS if best >= 2 * MIN_ANCHOR_CHARS else best):
            return opcodes(a, b)
    return anchored


def _replaced(a: str, b: str) -> list[Opcode]:
    """All of ``a`` deleted and all of ``b`` inserted: a rewritten passage, or one too large to diff."""
    return [("delete", 0, len(a), 0, 0), ("insert", len(a), len(a), 0, len(b))]


def _cost(ops: list[Opcode]) -> int:
    return sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in ops if t != "equal")


def _anchored(a: str, a_ends: tuple[int, ...], b: str, b_ends: tuple[int, ...], depth: int) -> list[Opcode] | None:
    """The gap diffed between its chain of similar sentence pairs, or None if no sentence pairs.

    Identical sentences pair first, in order (the longest common subsequence of the two sentence lists): a text
    repeated a different number of times in the two copies is no exact anchor, and "the most similar sentence"
    would pair every copy with the first one.  The other sentences pair with their most similar counterpart.
    """
    a_sent = [(s, e) for s, e in pairwise((0, *a_ends)) if e - s >= MIN_ANCHOR_CHARS]
    b_sent = [(s, e) for s, e in pairwise((0, *b_ends)) if e - s >= MIN_ANCHOR_CHARS]
    a_texts = [a[s:e] for s, e in a_sent]
    b_texts = [b[s:e] for s, e in b_sent]
    pairs = [(o.src_start + k, o.dest_start + k) for o in Indel.opcodes(a_texts, b_texts) if o.tag == "equal"
             for k in range(o.src_end - o.src_start)]
    pairs.extend(similar_pairs(a_texts, b_texts, {i for i, _ in pairs}, {j for _, j in pairs}))
    pairs.sort()
    chain = [pairs[k] for k in longest_chain(pairs)]
    if not chain:
        return None
    out: list[Opcode] = []

    def add(i1: int, i2: int, j1: int, j2: int, ops: list[Opcode]) -> None:
        out.extend((t, i1 + x1, i1 + x2, j1 + y1, j1 + y2) for t, x1, x2, y1, y2 in ops)

    def between(i1: int, i2: int, j1: int, j2: int) -> None:
        sub_a = tuple(e - i1 for e in a_ends if i1 < e <= i2)
        sub_b = tuple(e - j1 for e in b_ends if j1 < e <= j2)
        add(i1, i2, j1, j2, _gap_opcodes(a[i1:i2], sub_a, b[j1:j2], sub_b, depth + 1))

    pa = pb = 0
    for i, j in chain:
        (sa, ea), (sb, eb) = a_sent[i], b_sent[j]
        between(pa, sa, pb, sb)
        add(sa, ea, sb, eb, opcodes(a[sa:ea], b[sb:eb]))
        pa, pb = ea, eb
    between(pa, len(a), pb, len(b))
    return _rejoin(a, b, out)


#: A gap with more unpaired sentence pairs than this finds each sentence's candidates by the shingles they share
#: (an index, as a scan's screen does) instead of scoring it against every other: an unrelated witness is all gap,
#: and scoring every pair made its alignment quadratic.  Below it (every real amendment and reprint measured,
#: docs/perf-diff.md) every pair is scored, as before.
EVERY_PAIR = 40_000
#: A shingle in more of the gap's distinct sentences than this (a formula: 县级以上人民政府) finds no candidates.
COMMON_SHINGLE = 32


def similar_pairs(a_texts: list[str], b_texts: list[str], paired_a: set[int], paired_b: set[int]) -> list[tuple[int, int]]:
    """Each sentence of ``a_texts`` not in ``paired_a`` with the most similar one of ``b_texts`` not in ``paired_b``
    (rapidfuzz ratio at least NEAR_MATCH_RATIO; the first of equals), if any.

    A text is scored once however often it repeats (the first of equal candidates wins anyway); in a large gap only
    against the sentences sharing a shingle with it, or, for a sentence too short to have a telling one, against
    those of a length a ratio that high allows.
    """
    choices: dict[int, str] = {}
    seen: set[str] = set()
    for j, t in enumerate(b_texts):
        if j not in paired_b and t not in seen:
            seen.add(t)
            choices[j] = t
    todo = [i for i in range(len(a_texts)) if i not in paired_a]
    distinct = len({a_texts[i] for i in todo})
    candidates = _by_shingles(choices) if distinct * len(choices) > EVERY_PAIR else None
    found: dict[str, int | None] = {}
    out = []
    for i in todo:
        text = a_texts[i]
        if text not in found:
            pool = choices if candidates is None else candidates(text)
            hit = process.extractOne(text, pool, scorer=fuzz.ratio, score_cutoff=NEAR_MATCH_RATIO) if pool else None
            found[text] = None if hit is None else hit[2]
        best = found[text]
        if best is not None:
            out.append((i, best))
    return out


def _by_shingles(choices: dict[int, str]) -> Callable[[str], dict[int, str]]:
    """Candidates for a text among ``choices``: those sharing a shingle no more than COMMON_SHINGLE of them have; for
    a text with fewer than two shingles, every choice of a length a ratio of NEAR_MATCH_RATIO allows.  In the
    choices' order, so the first of equals is the one every pair scored would find."""
    index: dict[int, list[int]] = defaultdict(list)
    for j, t in choices.items():
        for g in set(hashed_shingles(t)):
            index[g].append(j)
    by_length = sorted((len(t), j) for j, t in choices.items())
    lengths = [n for n, _ in by_length]
    share = NEAR_MATCH_RATIO / 100

    def candidates(text: str) -> dict[int, str]:
        grams = set(hashed_shingles(text))
        if len(grams) < 2:
            # ratio = 2·common / (m + n) ≥ share needs n within [m·share / (2 - share), m·(2 - share) / share]
            m = len(text)
            lo, hi = bisect.bisect_left(lengths, m * share / (2 - share)), bisect.bisect_right(lengths, m * (2 - share) / share)
            picked = sorted(j for _, j in by_length[lo:hi])
        else:
            picked = sorted({j for g in grams for j in (index.get(g) or ()) if len(index[g]) <= COMMON_SHINGLE})
        return {j: choices[j] for j in picked}
    return candidates


def _rejoin(a: str, b: str, ops: list[Opcode]) -> list[Opcode]:
    """Re-diff each run of changes whose two sides are alike: the same words cut into sentences differently
    (a page break inside a heading ends it in one copy only) are deleted on one side of a cut and inserted on
    the other, and are no change at all."""
    out: list[Opcode] = []
    k = 0
    while k < len(ops):
        if ops[k][0] == "equal":
            out.append(ops[k])
            k += 1
            continue
        end = k
        while end + 1 < len(ops) and ops[end + 1][0] != "equal":
            end += 1
        i1, i2, j1, j2 = ops[k][1], ops[end][2], ops[k][3], ops[end][4]
        if end > k and i1 < i2 and j1 < j2 and fuzz.ratio(a[i1:i2], b[j1:j2]) >= NEAR_MATCH_RATIO:
            out.extend((t, i1 + x1, i1 + x2, j1 + y1, j1 + y2) for t, x1, x2, y1, y2 in opcodes(a[i1:i2], b[j1:j2]))
        else:
            out.extend(ops[k:end + 1])
        k = end + 1
    return out


def _sentences_within(sentences: list[Sentence], lo: int, hi: int) -> list[Sentence]:
    """The sentences (in order) that start in ``[lo, hi]``."""
    return sentences[bisect.bisect_left(sentences, lo, key=lambda s: s.start):bisect.bisect_right(sentences, hi, key=lambda s: s.start)]


def cleanup_semantic(ops: list[Op], base: Stream, witness: Stream, *, key: Callable[[str], str] | None = None) -> list[Op]:
    """Changes a reader would mark: an equal run no longer than the changes on both sides of it (counting the longer
    side of each) is part of one change with them, as diff-match-patch's semantic cleanup does — so a rewritten clause
    is one substitution, not fragments pairing 规定 with 科学 — as long as the change stays inside one sentence of each
    copy.  An equal run holding a whole sentence in both copies (a title between two wrappers) stays.  Linear: after a merge only the
    equality before it is looked at again.  With ``key``, changes that are equal under it (regional vocabulary, which the
    diff re-aligns word by word) are left as they are."""
    out: list[Op] = []  # alternating runs; a change is kept as one replace/delete/insert op

    def explained(x: Op, y: Op) -> bool:
        if key is None:
            return False
        k = 4  # whole words: the equal text around the change is the same in both copies
        return key(base.stream[max(0, x.a1 - k):y.a2 + k]) == key(witness.stream[max(0, x.b1 - k):y.b2 + k])
    # only the sentences the ops reach: a moved passage's edits are cleaned up one move at a time
    a_sentences = _sentences_within(base.sentences, min((op.a1 for op in ops), default=0), max((op.a2 for op in ops), default=0))
    b_sentences = _sentences_within(witness.sentences, min((op.b1 for op in ops), default=0), max((op.b2 for op in ops), default=0))
    a_ends = {s.start: s.end for s in a_sentences}
    b_ends = {s.start: s.end for s in b_sentences}
    a_starts = sorted(a_ends)

    def whole_sentence(eq: Op) -> bool:
        k = bisect.bisect_left(a_starts, eq.a1)
        while k < len(a_starts) and a_ends[a_starts[k]] <= eq.a2:
            start = a_starts[k]
            w = eq.b1 + start - eq.a1
            if b_ends.get(w) == w + a_ends[start] - start:
                return True
            k += 1
        return False

    a_sentence_starts = [s.start for s in a_sentences]
    b_sentence_starts = [s.start for s in b_sentences]

    def one_sentence(x: Op, y: Op) -> bool:
        """Would the change from x to y lie in one sentence of each copy?  A change never takes in a sentence end:
        a dropped sentence is not part of a substitution in the next, and a summary keeps the phrases it quotes."""
        return not any(hi > lo and bisect.bisect_right(starts, lo) != bisect.bisect_right(starts, hi - 1)
                       for starts, lo, hi in ((a_sentence_starts, x.a1, y.a2), (b_sentence_starts, x.b1, y.b2)))

    def size(op: Op) -> int:
        return max(op.a2 - op.a1, op.b2 - op.b1)

    def change(a1: int, a2: int, b1: int, b2: int) -> Op:
        return Op("replace" if a1 < a2 and b1 < b2 else ("delete" if a1 < a2 else "insert"), a1, a2, b1, b2)

    def both_sides(x: Op, y: Op) -> bool:
        """Do the two changes have text of their own on both sides?  Two deletions around kept words are two
        deletions (a summary keeps the phrases it quotes), not the kept words replacing the passage."""
        return (x.a2 - x.a1) + (y.a2 - y.a1) > 0 and (x.b2 - x.b1) + (y.b2 - y.b1) > 0

    def touch(x: Op, y: Op) -> bool:
        return x.a2 == y.a1 and x.b2 == y.b1  # nothing between them (a moved passage is taken out of the ops)

    for op in ops:
        if op.tag == "equal":
            if out and out[-1].tag == "equal" and touch(out[-1], op):
                last = out.pop()
                op = Op("equal", last.a1, op.a2, last.b1, op.b2)
            out.append(op)
            continue
        if out and out[-1].tag != "equal" and touch(out[-1], op) and one_sentence(out[-1], op):
            last = out.pop()
            op = change(last.a1, op.a2, last.b1, op.b2)
        # fold back: [change, equal, change(op)] with a small equality is one change, and again with the one before
        while (len(out) >= 2 and out[-1].tag == "equal" and out[-2].tag != "equal" and touch(out[-2], out[-1]) and touch(out[-1], op)
               and size(out[-1]) <= size(out[-2])
               and size(out[-1]) <= size(op) and not whole_sentence(out[-1]) and one_sentence(out[-2], op)
               and not explained(out[-2], op) and both_sides(out[-2], op)):
            out.pop()
            before = out.pop()
            op = change(before.a1, op.a2, before.b1, op.b2)
        out.append(op)
    return out


REWRITE_SHARE = 0.5  # a paragraph paired with one another that shares less than this of its text was replaced


def whole_rewrites(ops: list[Op], base: Stream, witness: Stream) -> list[Op]:
    """A paragraph aligned with one paragraph of the other copy, and only with it, when they have less than half of
    the shorter one in common, was replaced, not edited: one replacement of the whole paragraph (the diff reports it as dropped
    and added), rather than clause after clause of the old article paired with the new one that took its number."""
    ops = _cut_at_paragraphs(ops, base, witness)
    out: list[Op] = []
    k = 0
    n = len(ops)
    while k < n:
        op = ops[k]
        para = base.paragraphs[base.para_of[op.a1]] if op.a1 < len(base.para_of) else None
        if para is None or op.a1 != para.start or op.a2 > para.end:
            out.append(op)
            k += 1
            continue
        # the ops that make up this paragraph, if they end exactly at its end
        j, shared = k, 0
        while j < n and ops[j].a2 <= para.end:
            if ops[j].tag == "equal":
                shared += ops[j].a2 - ops[j].a1
            j += 1
            if ops[j - 1].a2 == para.end:
                break
        run = ops[k:j]
        contiguous = all(x.a2 == y.a1 and x.b2 == y.b1 for x, y in pairwise(run))
        b1, b2 = run[0].b1, run[-1].b2
        other = witness.paragraphs[witness.para_of[b1]] if b1 < len(witness.para_of) and b2 > b1 else None
        if (not contiguous or run[-1].a2 != para.end or other is None or (other.start, other.end) != (b1, b2)
                or all(x.tag == "equal" for x in run)
                or shared >= REWRITE_SHARE * min(para.end - para.start, other.end - other.start)):
            out.append(op)
            k += 1
            continue
        out.append(Op("replace", para.start, para.end, other.start, other.end))
        k = j
    return _merge(out)


def _cut_at_paragraphs(ops: list[Op], base: Stream, witness: Stream) -> list[Op]:
    """Equal runs cut where a paragraph of either copy starts inside them."""
    a_starts = [p.start for p in base.paragraphs]
    b_starts = [p.start for p in witness.paragraphs]
    out: list[Op] = []
    for op in ops:
        if op.tag != "equal":
            out.append(op)
            continue
        cuts = {s - op.a1 for s in a_starts[bisect.bisect_right(a_starts, op.a1):bisect.bisect_left(a_starts, op.a2)]}
        cuts |= {s - op.b1 for s in b_starts[bisect.bisect_right(b_starts, op.b1):bisect.bisect_left(b_starts, op.b2)]}
        prev = 0
        for c in [*sorted(cuts), op.a2 - op.a1]:
            if c > prev:
                out.append(Op("equal", op.a1 + prev, op.a1 + c, op.b1 + prev, op.b1 + c))
            prev = c
    return out


def pair_dropped_openings(ops: list[Op], base: Stream, witness: Stream) -> list[Op]:
    """A paragraph's opening (a label, 第#条) dropped beside an insertion that holds the same opening at one of its
    paragraphs' starts is that opening kept: the inserted text goes around it.  (New text put at the head of 第四条
    leaves the old 第四条's sentences paired with their own, and its label with the label.)  Judged alike with the
    copies swapped: an opening added beside a deletion that holds it."""

    def opening_in(short: Stream, s1: int, s2: int, long: Stream, l1: int, l2: int) -> int:
        """Where in ``long[l1:l2]`` the text ``short[s1:s2]`` (a paragraph's opening) opens a paragraph, or -1."""
        text = short.stream[s1:s2]
        if not 0 < len(text) <= 12 or short.paragraphs[short.para_of[s1]].start != s1:
            return -1
        held = long.stream[l1:l2]
        pos = held.rfind(text)
        while pos >= 0 and long.paragraphs[long.para_of[l1 + pos]].start != l1 + pos:
            pos = held.rfind(text, 0, pos + len(text) - 1) if pos > 0 else -1
        return pos

    out: list[Op] = []
    k = 0
    while k < len(ops):
        op = ops[k]
        nxt = ops[k + 1] if k + 1 < len(ops) else None
        if nxt is None or {op.tag, nxt.tag} != {"insert", "delete"} or op.a2 != nxt.a1 or op.b2 != nxt.b1:
            out.append(op)
            k += 1
            continue
        dropped, added = (op, nxt) if op.tag == "delete" else (nxt, op)
        at = opening_in(base, dropped.a1, dropped.a2, witness, added.b1, added.b2)
        if at >= 0:
            p, n, a = added.b1 + at, dropped.a2 - dropped.a1, dropped.a1
            pieces = [Op("insert", a, a, added.b1, p), Op("equal", a, a + n, p, p + n), Op("insert", a + n, a + n, p + n, added.b2)]
        else:
            at = opening_in(witness, added.b1, added.b2, base, dropped.a1, dropped.a2)
            if at < 0:
                out.append(op)
                k += 1
                continue
            p, n, b = dropped.a1 + at, added.b2 - added.b1, added.b1
            pieces = [Op("delete", dropped.a1, p, b, b), Op("equal", p, p + n, b, b + n), Op("delete", p + n, dropped.a2, b + n, b + n)]
        out.extend(x for x in pieces if x.a2 > x.a1 or x.b2 > x.b1)
        k += 2
    return _merge(out)
