"""Labels and cross-references: the numbers a renumbering changes, found on a comparison stream.

An article inserted before 第十八条 renumbers every article after it, and every
reference to them (依照本条例第三十条).  Compared character by character, each
renumbered label is a number change, and an inserted article slides against
the label after it (``第{+20条国家实施…+}18条``).  So alignment compares the
streams with these numbers masked (``第##条``, the same length, so every offset
stays valid): the inserted article is one insertion and 第十八条 pairs with
第二十一条; then the numbers of the labels paired are compared here, the
renumbering they make is read off the labels, and each cross-reference is
judged against it.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal, get_args

from jiaokan.align import Alignment, Move, Op, OpTag
from jiaokan.normalize import han_number
from jiaokan.patterns import compiled
from jiaokan.segment import Para, ParagraphIndex, Segmented, Sentence, Stream
from jiaokan.textmap import typecode

MASK = "#"
_NUMERAL = "0-9〇零一二三四五六七八九十百千两"
# 第N条 anywhere (a label at a paragraph's start, a reference elsewhere); 第N款/项 are only ever references
_ORDINAL = compiled(rf"第([{_NUMERAL}]{{1,8}})(条|章|节|编|款|项)")
# markers only a paragraph's start makes a label: （三） 3. 三、
_ITEM = compiled(rf"（([{_NUMERAL}]{{1,4}})）|([0-9]{{1,3}})[.．](?![0-9])|([〇零一二三四五六七八九十]{{1,4}})、")
_INTERNAL = compiled(r"本(?:法|条例|办法|规定|细则|决定|规则|章|节|条)")


class Role(StrEnum):
    LABEL = "label"  # opens a paragraph: 第十八条 ……, （三）……
    REFERENCE = "reference"  # inside the text: 依照本条例第三十条


Unit = Literal["编", "章", "节", "条", "款", "项", "（）", ".", "、"]  # what a label numbers, or the form of its marker
UNITS: tuple[Unit, ...] = get_args(Unit)


def _unit(text: str) -> Unit:
    for unit in UNITS:
        if text == unit:
            return unit
    raise ValueError(f"{text!r} is no label unit")


@dataclass(frozen=True, slots=True)
class Label:
    """A numbered label or reference at stream ``[start, end)``; its number at ``[num_start, num_end)``."""

    start: int
    end: int
    num_start: int
    num_end: int
    unit: Unit
    value: int
    role: Role
    external: bool = False  # a reference to another act: 《中华人民共和国行政处罚法》第八条


@dataclass(frozen=True, slots=True)
class Masked:
    """A stream with each label's and reference's number collapsed to one MASK: what alignment reads of it (a
    :class:`~jiaokan.segment.Stream`).  No per-character arrays: ``para_of`` is read off the paragraphs, and a
    sentence or paragraph without a number keeps its real text (the same string, not a copy)."""

    stream: str
    paragraphs: list[Para]
    sentences: list[Sentence]
    para_of: ParagraphIndex


@dataclass(frozen=True, slots=True)
class Labelled:
    """A stream's labels and references, and the stream with each of their numbers collapsed to one MASK for
    alignment (第#条 for 第9条 and 第10条 alike).  Masked offsets go back to the stream by the numbers alone
    (``real``, ``masked_at``): a masked character is its real one shifted by the digits collapsed before it."""

    labels: tuple[Label, ...]
    masked: Stream  # the Segmented itself when nothing is masked
    masks: tuple[int, ...]  # masked offsets of the MASKs, ascending
    num_starts: array[int]  # stream offsets of the masked numbers, ascending (one per MASK)
    num_ends: array[int]
    shift: array[int]  # shift[k]: the characters collapsed by the first k numbers (len(masks) + 1 entries)

    def real(self, m: int) -> int:
        """Where masked character ``m`` starts in the stream (``m`` may be the masked stream's end)."""
        return m + self.shift[bisect.bisect_left(self.masks, m)]

    def masked_at(self, k: int) -> int:
        """The masked character stream offset ``k`` belongs to: a number's digits all belong to its MASK."""
        j = bisect.bisect_right(self.num_starts, k)
        if j and k < self.num_ends[j - 1]:
            return self.masks[j - 1]
        return k - self.shift[j]

    def masked_from(self, k: int) -> int:
        """The first masked character starting at or after stream offset ``k``."""
        j = bisect.bisect_right(self.num_starts, k)
        if j and self.num_starts[j - 1] < k < self.num_ends[j - 1]:
            return self.masks[j - 1] + 1
        return self.masked_at(k)

    def at(self, position: int) -> Label | None:
        """The label or reference whose stream range covers ``position``."""
        lo, hi = 0, len(self.labels)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.labels[mid].end <= position:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.labels) and self.labels[lo].start <= position < self.labels[lo].end:
            return self.labels[lo]
        return None


def _value(text: str) -> int | None:
    return int(text) if text.isdigit() else han_number(text)


def find_labels(seg: Segmented) -> Labelled:
    """Every label at a paragraph's start and every reference in the text, and the masked stream."""
    stream = seg.stream
    found: list[Label] = []
    for para in seg.paragraphs:
        text = stream[para.start:para.end]
        first = _ITEM.match(text)
        if first is not None:
            g = next(k for k in (1, 2, 3) if first.group(k))
            value = _value(first.group(g))
            if value is not None:
                unit: Unit = "（）" if g == 1 else ("." if g == 2 else "、")
                found.append(Label(para.start, para.start + first.end(), para.start + first.start(g), para.start + first.end(g),
                                   unit, value, Role.LABEL))
        for m in _ORDINAL.finditer(text):
            value = _value(m.group(1))
            if value is None:
                continue
            role = Role.LABEL if m.start() == 0 and m.group(2) in "条章节编" else Role.REFERENCE
            external = role == Role.REFERENCE and _external(text, m.start())
            found.append(Label(para.start + m.start(), para.start + m.end(), para.start + m.start(1), para.start + m.end(1),
                               _unit(m.group(2)), value, role, external))
    found.sort(key=lambda lb: lb.start)
    return _masked(seg, found)


def _external(text: str, at: int) -> bool:
    """Does the reference at ``at`` point into another act: a 《title》 before it in its sentence, and no 本法 / 本条例
    after that title?"""
    sentence_start = max(text.rfind(c, 0, at) for c in "。；")
    title = text.rfind("》", sentence_start + 1, at)
    return title >= 0 and _INTERNAL.search(text, title, at) is None


def _masked(seg: Segmented, labels: list[Label]) -> Labelled:
    """The stream with every label's and reference's number collapsed to one MASK.  Built a run at a time (slices,
    one entry per number), never a character at a time: this is on every diff's path, and a 20 MB copy's
    per-character arrays cost 16 bytes a character (docs/perf-norm.md)."""
    tc = typecode(len(seg.stream) + 1)
    if not labels:
        return Labelled((), seg, (), array(tc), array(tc), array(tc, [0]))
    stream = seg.stream
    parts: list[str] = []
    masks: list[int] = []
    starts, ends, shift = array(tc), array(tc), array(tc, [0])
    pos = collapsed = 0
    for lb in labels:
        parts.append(stream[pos:lb.num_start])
        parts.append(MASK)
        masks.append(lb.num_start - collapsed)
        starts.append(lb.num_start)
        ends.append(lb.num_end)
        collapsed += lb.num_end - lb.num_start - 1
        shift.append(collapsed)
        pos = lb.num_end
    parts.append(stream[pos:])
    text = "".join(parts)
    labelled = Labelled(tuple(labels), seg, tuple(masks), starts, ends, shift)

    def masked(x: int, y: int, real: str) -> tuple[int, int, str]:
        """A real range (never cut inside a number) as masked: its text shared when no number is inside."""
        m1, m2 = labelled.masked_at(x), labelled.masked_at(y)
        inside = bisect.bisect_left(labelled.masks, m2) - bisect.bisect_left(labelled.masks, m1)
        return m1, m2, real if inside == 0 else text[m1:m2]

    paragraphs = [Para(p.index, *masked(p.start, p.end, p.text), p.heading, p.is_heading) for p in seg.paragraphs]
    sentences = []
    for x in seg.sentences:
        m1, m2, said = masked(x.start, x.end, x.text)
        sentences.append(Sentence(x.index, m1, m2, x.paragraph, said))
    return replace(labelled, masked=Masked(text, paragraphs, sentences, ParagraphIndex(paragraphs, len(text))))


def unmask(alignment: Alignment, base: Labelled, witness: Labelled, a: str, b: str) -> Alignment:
    """An alignment of the masked streams as one of the real streams ``a`` and ``b``: an equal run is cut at each
    masked number, which is equal again if its digits are, else a replacement of just the number."""
    if not base.masks and not witness.masks:
        return alignment  # nothing was masked
    ra, rb = base.real, witness.real
    ops: list[Op] = []

    def put(tag: OpTag, a1: int, a2: int, b1: int, b2: int) -> None:
        if a1 == a2 and b1 == b2:
            return
        if ops and ops[-1].tag == tag == "equal" and ops[-1].a2 == a1 and ops[-1].b2 == b1:
            ops[-1] = Op("equal", ops[-1].a1, a2, ops[-1].b1, b2)
        else:
            ops.append(Op(tag, a1, a2, b1, b2))

    for op in alignment.ops:
        if op.tag != "equal":
            put(op.tag, ra(op.a1), ra(op.a2), rb(op.b1), rb(op.b2))
            continue
        start = 0
        lo = bisect.bisect_left(base.masks, op.a1)
        hi = bisect.bisect_left(base.masks, op.a2)
        for i in base.masks[lo:hi]:
            k = i - op.a1
            j = op.b1 + k
            x1, x2, y1, y2 = ra(i), ra(i + 1), rb(j), rb(j + 1)
            put("equal", ra(op.a1 + start), x1, rb(op.b1 + start), y1)
            put("equal" if a[x1:x2] == b[y1:y2] else "replace", x1, x2, y1, y2)
            start = k + 1
        put("equal", ra(op.a1 + start), ra(op.a2), rb(op.b1 + start), rb(op.b2))
    moves = [Move(ra(m.a1), ra(m.a2), rb(m.b1), rb(m.b2)) for m in alignment.moves]
    return Alignment(ops, moves, alignment.anchors)


# ----------------------------------------------------------------------------- judging paired labels

ARTICLE_UNITS = "条章节编"


@dataclass(frozen=True, slots=True)
class Paired:
    """A base label or reference and the witness one alignment put at its place."""

    base: Label
    witness: Label
    moved: bool = False  # inside a moved passage


class Verdict(StrEnum):
    RENUMBERED = "renumbered"  # a label renumbered, or a reference following its article's new number
    STALE = "stale"  # a reference kept its number while its article was renumbered
    CHANGED = "changed"  # a number changed that no renumbering explains


def renumbering_map(pairs: list[Paired]) -> dict[tuple[str, int], int]:
    """(unit, old number) → new number, for every article, chapter or section label paired (moved ones too)."""
    out: dict[tuple[str, int], int] = {}
    for p in pairs:
        if p.base.role == p.witness.role == Role.LABEL and p.base.unit == p.witness.unit and p.base.unit in ARTICLE_UNITS:
            out[(p.base.unit, p.base.value)] = p.witness.value
    return out


def verdict_of(p: Paired, mapping: dict[tuple[str, int], int], dropped: frozenset[tuple[str, int]] = frozenset()) -> Verdict | None:
    """What a paired label or reference says: None when nothing changed that a reader must know.  ``dropped``: the
    (unit, number) of articles the witness no longer has, while it has another article under that number — a
    reference to one that kept its number now points at the other."""
    old, new = p.base.value, p.witness.value
    if p.base.role == p.witness.role == Role.LABEL and p.base.unit == p.witness.unit:
        return Verdict.RENUMBERED if old != new else None
    internal = p.base.role == p.witness.role == Role.REFERENCE and p.base.unit == p.witness.unit and p.base.unit in ARTICLE_UNITS \
        and not p.base.external and not p.witness.external
    target = mapping.get((p.base.unit, old)) if internal else None
    if target is None:
        if old == new and internal and (p.base.unit, old) in dropped:
            return Verdict.STALE
        return Verdict.CHANGED if old != new else None
    if new == target:
        return Verdict.RENUMBERED if old != new else None
    return Verdict.STALE if new == old else Verdict.CHANGED


def runs(labels: list[Paired], articles: list[int]) -> list[list[Paired]]:
    """Renumbered labels (not moved, in base order) cut into runs, one unit at a time (a renumbered chapter between
    two articles does not cut the articles' run): the same shift, consecutive numbers on both sides; an item's run
    never crosses an article label (``articles``: base stream starts of article labels, ascending)."""
    out: list[list[Paired]] = []
    open_run: dict[str, int] = {}  # unit -> index of its run in ``out``
    for p in labels:
        k = open_run.get(p.base.unit)
        if k is not None:
            last = out[k][-1]
            same = (p.witness.value - p.base.value == last.witness.value - last.base.value
                    and p.base.value == last.base.value + 1 and p.witness.value == last.witness.value + 1)
            if same and p.base.unit not in ARTICLE_UNITS:
                same = bisect.bisect_right(articles, last.base.start) == bisect.bisect_left(articles, p.base.start)
            if same:
                out[k].append(p)
                continue
        open_run[p.base.unit] = len(out)
        out.append([p])
    return out


# a label's rank: one of a higher rank starts a new sequence of the lower ones (（一） again after 第二条), except that
# a law numbers its articles, chapters and parts straight through
_RANK = {"编": 6, "章": 5, "节": 4, "条": 3, "、": 3, "（）": 2, ".": 1}
_THROUGH = frozenset("条章编")


def neighbours(labels: tuple[Label, ...]) -> dict[int, tuple[Label | None, Label | None]]:
    """For each label opening a paragraph (by its start): the label of its unit before it and after it in the same
    sequence, or None."""
    seq = [lb for lb in labels if lb.role == Role.LABEL]
    last: dict[str, Label] = {}
    prev: dict[int, Label | None] = {}
    nxt: dict[int, Label | None] = {}
    for lb in seq:
        rank = _RANK.get(lb.unit, 0)
        for unit in [u for u in last if _RANK.get(u, 0) < rank and u not in _THROUGH]:
            del last[unit]
        before = last.get(lb.unit)
        prev[lb.start] = before
        nxt[lb.start] = None
        if before is not None:
            nxt[before.start] = lb
        last[lb.unit] = lb
    return {k: (prev[k], nxt[k]) for k in prev}


def in_order(lb: Label, around: dict[int, tuple[Label | None, Label | None]]) -> bool:
    """Does a label's number follow the one before it and precede the one after it (a renumbering keeps the
    numbering in order; one label changed alone — 1. made 2. beside the 2. after it — does not)?"""
    before, after = around.get(lb.start, (None, None))
    return (before is None or before.value + 1 == lb.value) and (after is None or lb.value + 1 == after.value)
