"""Stage 3: cut normalized text into paragraphs and sentences, with headings.

The comparison runs on a *stream*: the normalized text with paragraph breaks
taken out, so that a paragraph split in two by a page break, or two merged
into one, costs nothing (a layout difference, not a wording one).  Each stream
character remembers its normalized position, and each sentence and paragraph
its stream range.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, overload

from jiaokan.findings import Span, span_at
from jiaokan.normalize import PARAGRAPH_BREAK, Normalized, is_title
from jiaokan.patterns import compiled
from jiaokan.textmap import typecode

_SENTENCE_END = compiled(r"[。！？；!?;…]+[”’」』）)]*")
_L1 = compiled(r"^([一二三四五六七八九十百]+)、")
_L2 = compiled(r"^（([一二三四五六七八九十百]+)）")
_L3 = compiled(r"^(\d{1,3})[.．、](?!\d)")
_ARTICLE = compiled(r"^第[一二三四五六七八九十百零〇\d]+[章节条]")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int  # stream offsets
    end: int
    paragraph: int
    text: str


@dataclass(frozen=True, slots=True)
class Para:
    index: int
    start: int  # stream offsets
    end: int
    text: str
    heading: str  # the heading path it falls under, e.g. 三（一）强化安全管理责任
    is_heading: bool


@dataclass(frozen=True, slots=True)
class Segmented:
    """A normalized document as a comparison stream of paragraphs and sentences."""

    normalized: Normalized
    stream: str
    positions: array[int]  # stream index -> normalized index (an array of machine ints: 4 bytes a character)
    paragraphs: list[Para]
    sentences: list[Sentence]
    para_of: Sequence[int]  # stream index -> paragraph index (a ParagraphIndex: read off the paragraphs' starts)
    set_aside: list[tuple[int, int]] = field(default_factory=list)  # normalized ranges of paragraphs left out

    def span(self, i: int, j: int) -> Span:
        """Stream ``[i, j)`` as a place in the original: offsets, line, column and the original text."""
        s, e = self.original_span(i, j)
        return span_at(self.normalized.document, s, e)

    def original_starts(self) -> array[int]:
        """The original offset where each stream character starts (ascending): bisect it to go back.

        Copied a paragraph at a time (each is one run of normalized characters), not a character at a time."""
        starts, positions = self.normalized.mapped.starts, self.positions
        out = array(starts.typecode)
        pos = 0
        for p in self.paragraphs:
            if p.start != pos or p.end <= p.start or positions[p.end - 1] - positions[p.start] != p.end - 1 - p.start:
                return array(starts.typecode, (starts[q] for q in positions))  # not runs (a masked stream): one by one
            out.extend(starts[positions[p.start]:positions[p.end - 1] + 1])
            pos = p.end
        if pos != len(positions):
            return array(starts.typecode, (starts[q] for q in positions))
        return out

    def original_span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``[start, end)`` of stream ``[i, j)``; empty ranges give a point."""
        mapped = self.normalized.mapped
        if i < j:
            return mapped.span(self.positions[i], self.positions[j - 1] + 1)
        if i < len(self.positions):
            s = mapped.starts[self.positions[i]] if self.positions else 0
            return s, s
        if self.positions:
            e = mapped.ends[self.positions[-1]]
            return e, e
        return 0, 0


class Stream(Protocol):
    """What alignment reads of a comparison stream: a :class:`Segmented`, or the copy of one with the labels'
    numbers masked (``labels.Masked``), which needs no map back to the original."""

    @property
    def stream(self) -> str: ...

    @property
    def paragraphs(self) -> list[Para]: ...

    @property
    def sentences(self) -> list[Sentence]: ...

    @property
    def para_of(self) -> Sequence[int]: ...


class ParagraphIndex(Sequence[int]):
    """Stream index -> paragraph index, read off the paragraphs' starts (a bisect) instead of kept for every
    character: 4 bytes a character saved, where only a few places are ever asked (a change's ends, a cut)."""

    __slots__ = ("_n", "_starts")

    def __init__(self, paragraphs: Sequence[Para], n: int) -> None:
        # the paragraphs tile the stream, in order: each starts where the one before it ends
        self._starts = array("q", [p.start for p in paragraphs])
        self._n = n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, k: int) -> int: ...

    @overload
    def __getitem__(self, k: slice) -> list[int]: ...

    def __getitem__(self, k: int | slice) -> int | list[int]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self._n))]
        if k < 0:
            k += self._n
        if not 0 <= k < self._n:
            raise IndexError("stream index out of range")
        return bisect.bisect_right(self._starts, k) - 1


class Tokenizer(Protocol):
    """What jiaokan uses of a word cutter: jieba's dictionary cut, ``cut(text, False)`` (as ``rjieba.cut``)."""

    def cut(self, text: str, hmm: bool = False) -> list[str]: ...


@lru_cache(maxsize=1)
def word_tokenizer() -> Tokenizer:
    """jieba's tokens, HMM off (jiaokan.words: the same cut as rjieba's from the dictionary read in place, not
    loaded: rjieba's import alone cost 0.1 s a run; docs/perf-start.md), asked only when a change needs word boundaries."""
    from jiaokan.words import dictionary

    return dictionary()


def word_bounds(text: str) -> set[int]:
    """Offsets in ``text`` where one word ends and the next begins (its ends included)."""
    out, pos = {0}, 0
    for token in word_tokenizer().cut(text, False):
        pos += len(token)
        out.add(pos)
    return out


HEADING_CHARS = 30  # a heading line up to this long (no sentence inside) is shown whole; a longer one by its label
_SENTENCE_INSIDE = compiled(r"[。；！？;!?]")
_RUN_IN_END = compiled(r"[。：:]")
_ORIGINAL_LABEL = compiled(r"第[一二三四五六七八九十百千零〇两\d０-９]+[章节条節條]")


def heading_label(line: str) -> str | None:
    """The label a heading line contributes, or None if it is not a heading.

    An article's label is just 第N条 (its text follows on the same line); a short heading line (no sentence inside,
    at most ``HEADING_CHARS``) stays whole: 三、强化安全保障 or 第一章总则; a run-in heading keeps its short first
    sentence, （一）加强组织领导 of （一）加强组织领导。各地区…; a long numbered item keeps only its marker, （三）
    (and so does any item of an article: ``segment`` makes the heading 第二条（七）).
    """
    s = line.strip()
    marker = _L1.match(s) or _L2.match(s) or _L3.match(s) or _ARTICLE.match(s)
    if marker is None:
        return None
    whole = s.rstrip("。")
    if marker.re is _ARTICLE and marker.group(0).endswith("条"):
        return marker.group(0)
    if len(whole) <= HEADING_CHARS and _SENTENCE_INSIDE.search(whole) is None:
        return whole
    run_in = _RUN_IN_END.search(s)
    if marker.re is not _ARTICLE and run_in is not None and run_in.start() <= HEADING_CHARS and _SENTENCE_INSIDE.search(s, 0, run_in.start()) is None:
        return s[:run_in.start()]
    return marker.group(0)


def _as_read(normalized: Normalized, start: int, label: str) -> str:
    """An article label as the original reads it (第二十五条, not the compared 第25条), when the original at its
    place is just the label (spaces aside); else the normalized label."""
    if not _ARTICLE.match(label):
        return label
    m = _ARTICLE.match(label)
    assert m is not None
    s, e = normalized.original_span(start, start + m.end())
    original = re.sub(r"\s+", "", normalized.document.text[s:e])
    if _ORIGINAL_LABEL.fullmatch(original) is None:
        return label
    return original + label[m.end():]


def segment(normalized: Normalized, *, leave_out: Callable[[str], bool] | None = None,
            outside: Callable[[int, int], bool] | None = None) -> Segmented:
    """Build the stream; paragraphs ``leave_out`` accepts (a site's own header), or whose normalized range
    ``outside`` accepts (a web page's chrome around its body), are set aside, not compared."""
    text = normalized.text
    set_aside: list[tuple[int, int]] = []
    tc = typecode(len(text) + 1)
    positions: array[int] = array(tc)
    paragraphs: list[Para] = []
    sentences: list[Sentence] = []
    parts: list[str] = []
    l1 = l2 = l3 = ""
    pos = 0  # normalized offset
    stream_pos = 0
    for para in text.split(PARAGRAPH_BREAK):
        if para and ((leave_out is not None and leave_out(para)) or (outside is not None and outside(pos, pos + len(para)))):
            set_aside.append((pos, pos + len(para)))
        elif para:
            label = heading_label(para)
            if label is not None:
                label = _as_read(normalized, pos, label)
                item = _L2.match(para) or _L3.match(para)
                if item is not None and l1.endswith(("条", "條")):
                    label = item.group(0)  # an item of an article is cited by its marker: 第二条（七）
                if (article := _L1.match(para)) is not None:
                    l1, l2, l3 = article.group(1), "", ""
                elif _L2.match(para):
                    l2, l3 = label, ""
                elif _L3.match(para):
                    l3 = label
                else:
                    l1, l2, l3 = label, "", ""
            if l3:
                marker = _L2.match(l2)
                heading = l1 + (marker.group(0) if marker else l2) + l3
            else:
                heading = l1 + l2 if l2 else (label or l1)
            pidx = len(paragraphs)
            paragraphs.append(Para(pidx, stream_pos, stream_pos + len(para), para, heading, label is not None or is_title(para)))
            positions.extend(range(pos, pos + len(para)))
            parts.append(para)
            start = 0
            for m in _SENTENCE_END.finditer(para):
                sentences.append(Sentence(len(sentences), stream_pos + start, stream_pos + m.end(), pidx, para[start:m.end()]))
                start = m.end()
            if start < len(para):
                sentences.append(Sentence(len(sentences), stream_pos + start, stream_pos + len(para), pidx, para[start:]))
            stream_pos += len(para)
        pos += len(para) + len(PARAGRAPH_BREAK)
    return Segmented(normalized, "".join(parts), positions, paragraphs, sentences, ParagraphIndex(paragraphs, stream_pos), set_aside)
