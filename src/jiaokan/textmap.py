"""Text that remembers where every character came from, and which rule changed it.

Every normalization rule rewrites text; findings must still point at the
ORIGINAL characters.  A :class:`MappedText` carries, for each character of the
current text, the half-open span ``[start, end)`` of original code points it
was made from (the ``map`` of markdown-it tokens, at character level), and a
log of *marks*: each change a rule made, as the original span it replaced, the
finding code the rule declares, and what the rule wrote there (markdown-it's
token ``type``).  The code is recorded when the edit is made, so nobody has to
guess it back later from the two texts.

Invariants kept by :class:`Builder` (and checked by property tests):

* spans lie inside ``[0, len(original)]``;
* ``starts`` and ``ends`` are both non-decreasing (the map is monotone);
* characters produced by one replacement share that replacement's span, so a
  many-to-one rewrite (``二十三`` -> ``23``) maps every output character to
  the whole original piece;
* marks are in the order the rules made them; one rule's marks are in text order.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from jiaokan.findings import Code
from jiaokan.patterns import compiled

#: The codes a mark can carry, in a fixed order: a mark stores its code's index here (one byte, not a reference).
CODES: tuple[Code, ...] = tuple(Code)
_CODE_INDEX: dict[str, int] = {str(c): k for k, c in enumerate(CODES)}
PIECES = 4096  # pieces of text joined into one string as they come, so that a stage never holds millions of them


def code_byte(code: Code, whole: bool = False) -> int:
    """How a mark stores its code: 2 * (index in :data:`CODES`) + whole."""
    return 2 * _CODE_INDEX[code] + whole


def typecode(size: int) -> str:
    """The array type for offsets up to ``size``: 4 bytes each, 8 only for a text past 2**31 characters."""
    return "i" if size < 2**31 else "q"


def offsets(values: Sequence[int] | range, size: int) -> array[int]:
    """``values`` as a compact array of offsets into a text of ``size`` characters (4 bytes an offset, not a
    Python int and a pointer: about 36 bytes)."""
    return array(typecode(size), values)


@dataclass(frozen=True, slots=True)
class Mark:
    """One change: original ``[start, end)`` was rewritten as ``new`` by a rule whose edits are ``code``.

    ``whole`` when the new text stands for the original as one piece (二〇二二年 → 2022年, 復甦 → 复苏), not
    character for character.
    """

    start: int
    end: int
    code: Code
    new: str
    whole: bool = False


class _Pieces:
    """Strings appended one by one and joined at the end, joined in batches on the way (bounded overhead)."""

    __slots__ = ("done", "todo")

    def __init__(self) -> None:
        self.done: list[str] = []
        self.todo: list[str] = []

    def append(self, s: str) -> None:
        todo = self.todo
        todo.append(s)
        if len(todo) >= PIECES:
            self.done.append("".join(todo))
            todo.clear()

    def value(self) -> str:
        return "".join(self.done) + "".join(self.todo)


@dataclass(frozen=True, slots=True)
class MarkChunk:
    """One rule's marks, column by column: a mark is a few bytes of arrays, not an object (a traditional text
    has a mark for every fourth character)."""

    starts: array[int]
    ends: array[int]
    codes: bytes  # 2 * (index in CODES) + whole
    new: str  # every mark's new text, one after another
    new_at: array[int]  # mark k wrote new[new_at[k]:new_at[k + 1]]

    def __len__(self) -> int:
        return len(self.starts)

    def mark(self, k: int) -> Mark:
        c = self.codes[k]
        return Mark(self.starts[k], self.ends[k], CODES[c >> 1], self.new[self.new_at[k]:self.new_at[k + 1]], bool(c & 1))


class MarkWriter:
    """The marks of one rule as it makes them, each joined to the previous one when they touch and have the same
    code (a run of changed characters is one mark)."""

    __slots__ = ("codes", "ends", "new", "new_at", "starts")

    def __init__(self, tc: str = "i") -> None:
        self.starts: array[int] = array(tc)
        self.ends: array[int] = array(tc)
        self.codes = bytearray()
        self.new = _Pieces()
        self.new_at: array[int] = array(tc, [0])

    def __len__(self) -> int:
        return len(self.starts)

    def add(self, start: int, end: int, code: Code, new: str, whole: bool = False) -> None:
        c = 2 * _CODE_INDEX[code] + whole
        starts = self.starts
        if starts and not whole and self.codes[-1] == c and self.ends[-1] == start and starts[-1] < start:
            self.ends[-1] = end
        else:
            starts.append(start)
            self.ends.append(end)
            self.codes.append(c)
            self.new_at.append(self.new_at[-1])
        if new:
            self.new.append(new)
            self.new_at[-1] += len(new)

    def chars(self, starts: array[int], ends: array[int], old: str, new: str, i: int, c: int) -> None:
        """:meth:`add` (``c``: the code byte of a mark not whole) for each character of ``new`` that differs from
        ``old[i + k]``, at that character's span ``starts[i + k]``, ``ends[i + k]``: one loop over the changed ones."""
        m_starts, m_ends, m_codes, m_new_at = self.starts, self.ends, self.codes, self.new_at
        changed: list[str] = []
        for t in itertools.compress(range(i, i + len(new)), map(operator.ne, old[i:i + len(new)], new)):
            s = starts[t]
            if m_starts and m_codes[-1] == c and m_ends[-1] == s and m_starts[-1] < s:
                m_ends[-1] = ends[t]
            else:
                m_starts.append(s)
                m_ends.append(ends[t])
                m_codes.append(c)
                m_new_at.append(m_new_at[-1])
            m_new_at[-1] += 1
            changed.append(new[t - i])
        if changed:
            self.new.append("".join(changed))

    def chunk(self) -> MarkChunk:
        return MarkChunk(self.starts, self.ends, bytes(self.codes), self.new.value(), self.new_at)


class MarkLog(Sequence[Mark]):
    """Every rule's marks in the order the rules made them: a sequence of :class:`Mark`, kept as columns."""

    __slots__ = ("_at", "chunks")

    def __init__(self, chunks: tuple[MarkChunk, ...] = ()) -> None:
        self.chunks = tuple(c for c in chunks if len(c))
        at = [0]
        for c in self.chunks:
            at.append(at[-1] + len(c))
        self._at = at

    def __len__(self) -> int:
        return self._at[-1]

    @overload
    def __getitem__(self, k: int) -> Mark: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[Mark]: ...
    def __getitem__(self, k: int | slice) -> Mark | Sequence[Mark]:
        if isinstance(k, slice):
            return [self[q] for q in range(*k.indices(len(self)))]
        n = len(self)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError("mark index out of range")
        c = bisect.bisect_right(self._at, k) - 1
        return self.chunks[c].mark(k - self._at[c])

    def __iter__(self) -> Iterator[Mark]:
        for c in self.chunks:
            for k in range(len(c)):
                yield c.mark(k)

    def __add__(self, other: object) -> MarkLog:
        if isinstance(other, MarkLog):
            return MarkLog(self.chunks + other.chunks)
        if isinstance(other, MarkChunk):
            return MarkLog((*self.chunks, other))
        if isinstance(other, tuple):
            w = MarkWriter(self.chunks[0].starts.typecode if self.chunks else "i")
            for m in other:
                w.starts.append(m.start)
                w.ends.append(m.end)
                w.codes.append(2 * _CODE_INDEX[m.code] + m.whole)
                w.new.append(m.new)
                w.new_at.append(w.new_at[-1] + len(m.new))
            return MarkLog((*self.chunks, w.chunk()))
        return NotImplemented

    def columns(self) -> tuple[array[int], array[int], bytes]:
        """Every mark's start, end and code byte (2 * index in :data:`CODES` + whole), as three columns."""
        tc = self.chunks[0].starts.typecode if self.chunks else "i"
        starts, ends = array(tc), array(tc)
        codes = bytearray()
        for c in self.chunks:
            starts.extend(c.starts)
            ends.extend(c.ends)
            codes.extend(c.codes)
        return starts, ends, bytes(codes)

    def new_lengths(self) -> array[int]:
        """How many characters each mark wrote, as a column."""
        out = array(self.chunks[0].starts.typecode if self.chunks else "i")
        for c in self.chunks:
            out.extend(map(operator.sub, c.new_at[1:], c.new_at[:-1]))
        return out

    def new_text(self, k: int) -> str:
        """What mark ``k`` wrote."""
        c = bisect.bisect_right(self._at, k) - 1
        chunk, q = self.chunks[c], k - self._at[c]
        return chunk.new[chunk.new_at[q]:chunk.new_at[q + 1]]


def _log(marks: MarkLog | tuple[Mark, ...]) -> MarkLog:
    return marks if isinstance(marks, MarkLog) else MarkLog() + marks


@dataclass(frozen=True, slots=True, init=False)
class MappedText:
    """A text plus, per character, its span in the original text, and the marks of the rules that made it.

    ``starts`` and ``ends`` are arrays of machine integers (4 bytes an offset): the map of a 20 MB text is
    tens of megabytes, not gigabytes of Python ints.
    """

    text: str
    starts: array[int]
    ends: array[int]
    marks: MarkLog = field(default_factory=MarkLog)

    def __init__(self, text: str, starts: array[int] | Sequence[int], ends: array[int] | Sequence[int],
                 marks: MarkLog | tuple[Mark, ...] = ()) -> None:
        if not isinstance(starts, array):
            size = max(ends[-1] if len(ends) else 0, 0)
            starts, ends = offsets(starts, size), offsets(ends, size)
        elif not isinstance(ends, array):
            ends = array(starts.typecode, ends)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "ends", ends)
        object.__setattr__(self, "marks", _log(marks))

    @classmethod
    def identity(cls, original: str, start: int = 0, end: int | None = None) -> MappedText:
        """The original text (or a slice of it) mapped onto itself."""
        end = len(original) if end is None else end
        both = offsets(range(start, end + 1), end + 1)
        return cls(original[start:end], both[:-1], both[1:])

    def __len__(self) -> int:
        return len(self.text)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original span covered by characters ``[i, j)`` of this text.

        An empty range maps to an empty span at the matching original
        position, so pure insertions and deletions have a place to point at.
        """
        if i < j:
            return self.starts[i], self.ends[j - 1]
        if i < len(self.text):
            pos = self.starts[i]
        elif self.text:
            pos = self.ends[-1]
        else:
            pos = 0
        return pos, pos

    def slice(self, i: int, j: int) -> MappedText:
        return MappedText(self.text[i:j], self.starts[i:j], self.ends[i:j], self.marks)

    def marked_against(self, original: str, code: Code) -> MappedText:
        """This text with a mark for every place where it differs from the ``original`` it maps into.

        For a rule that builds its output without a :class:`Builder` (the HTML
        parser): tags it dropped and entities it decoded become marks of ``code``.
        """
        marks = MarkWriter(self.starts.typecode)
        text, starts, ends = self.text, self.starts, self.ends
        prev_end = starts[0] if starts else 0
        k = 0
        n = len(text)
        while k < n:
            s, e = starts[k], ends[k]
            if s > prev_end:  # original text dropped before this character
                marks.add(prev_end, s, code, "")
            if original[s:e] != text[k]:
                k2 = k + 1
                while k2 < n and starts[k2] == s and ends[k2] == e:  # the rest of one atomic piece (&nbsp; → " ")
                    k2 += 1
                marks.add(s, e, code, text[k:k2], whole=e - s != k2 - k)
                k = k2
            else:
                k += 1
            prev_end = max(prev_end, e)
        return MappedText(text, starts, ends, self.marks + marks.chunk())


class Builder:
    """Assemble a new :class:`MappedText` from pieces of an old one; every change is marked with ``code``.

    The new map is built as arrays, the kept stretches copied as slices of the old arrays (no Python int per
    character), and the old text's map is not referenced by the result: each stage frees the one before.
    """

    __slots__ = ("_ends", "_marks", "_parts", "_pos", "_starts", "code", "src")

    def __init__(self, src: MappedText, code: Code) -> None:
        self.src = src
        self.code = code
        self._parts = _Pieces()
        tc = src.starts.typecode
        self._starts: array[int] = array(tc)
        self._ends: array[int] = array(tc)
        self._pos = 0  # how far into src we have consumed
        self._marks = MarkWriter(tc)

    def keep_to(self, j: int) -> None:
        """Copy source characters from the current position up to ``j``."""
        i = self._pos
        if j > i:
            src = self.src
            self._parts.append(src.text[i:j])
            self._starts.extend(src.starts[i:j])
            self._ends.extend(src.ends[i:j])
            self._pos = j

    def replace(self, i: int, j: int, new: str, *, atomic: bool = False, code: Code | None = None) -> None:
        """Replace source ``[i, j)`` (at or after the position) with ``new``.

        Equal lengths map one to one unless ``atomic``; otherwise every new
        character takes the span of the whole replaced piece (二〇二二年 is
        one date, not five digits).  ``new == ""`` deletes.  ``code`` overrides
        the builder's code for this change (a rule that makes two kinds of edit).
        """
        self.replace_all(((i, j, new),), atomic=atomic, code=code)

    def replace_all(self, changes: Iterable[tuple[int, int, str]], *, atomic: bool = False, code: Code | None = None) -> None:
        """:meth:`replace` for each ``(i, j, new)``, in text order: one loop for a rule's matches (no calls per
        match), the kept stretches between them copied as slices."""
        src = self.src
        text, starts, ends = src.text, src.starts, src.ends
        tc = starts.typecode
        parts, out_starts, out_ends, marks = self._parts, self._starts, self._ends, self._marks
        todo, done, one = parts.todo, parts.done, 2 * _CODE_INDEX[code or self.code]
        keep = todo.append
        m_starts, m_ends, m_codes, m_new_at, m_new = marks.starts, marks.ends, marks.codes, marks.new_at, marks.new
        chars = marks.chars
        pos = self._pos
        for i, j, new in changes:
            if i > pos:
                keep(text[pos:i])
                out_starts.extend(starts[pos:i])
                out_ends.extend(ends[pos:i])
            n = len(new)
            if n and j - i == n and not atomic:
                # one to one: each changed character is marked at its own span (joined to its neighbours when they touch)
                out_starts.extend(starts[i:j])
                out_ends.extend(ends[i:j])
                keep(new)
                chars(starts, ends, text, new, i, one)
            else:
                if i < j:
                    s, e = starts[i], ends[j - 1]
                else:
                    self._pos = pos
                    s, e = self._anchor(i)
                if n:
                    out_starts.extend(array(tc, [s]) * n)
                    out_ends.extend(array(tc, [e]) * n)
                    keep(new)
                if new != text[i:j]:
                    m_starts.append(s)
                    m_ends.append(e)
                    m_codes.append(one + 1)
                    m_new_at.append(m_new_at[-1] + n)
                    if n:
                        m_new.append(new)
            pos = max(pos, j)
            if len(todo) >= PIECES:
                done.append("".join(todo))
                todo.clear()
        self._pos = pos

    def _anchor(self, i: int) -> tuple[int, int]:
        # An inserted character sits between its neighbours: an empty span
        # there keeps the map monotone.
        if self._ends:
            pos = self._ends[-1]
        elif i < len(self.src.text):
            pos = self.src.starts[i]
        elif self.src.text:
            pos = self.src.ends[-1]
        else:
            pos = 0
        return pos, pos

    def build(self) -> MappedText:
        if not len(self._marks):
            return self.src  # nothing changed: the old text and map as they are, nothing copied
        self.keep_to(len(self.src.text))
        return MappedText(self._parts.value(), self._starts, self._ends, self.src.marks + self._marks.chunk())


def substitute(
    mt: MappedText,
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str | None],
    *,
    code: Code,
    atomic: bool = False,
) -> MappedText:
    """``re.sub`` that keeps the map and marks each change; ``repl`` returning ``None`` keeps the match."""
    b = Builder(mt, code)
    b.replace_all(_changes(pattern.finditer(mt.text), repl), atomic=atomic)
    return b.build()


def _changes(matches: Iterator[re.Match[str]], repl: Callable[[re.Match[str]], str | None]) -> Iterator[tuple[int, int, str]]:
    for m in matches:
        new = repl(m)
        if new is not None and new != m.group(0):
            yield m.start(), m.end(), new


def translate(mt: MappedText, table: dict[int, str], *, code: Code) -> MappedText:
    """``str.translate`` with one-to-one characters, keeping the map and marking each changed run."""
    pattern = _table_pattern(table)
    return substitute(mt, pattern, lambda m: m.group(0).translate(table), code=code)


_PATTERNS: dict[tuple[int, ...], re.Pattern[str]] = {}
_TABLES: dict[int, tuple[dict[int, str], re.Pattern[str]]] = {}  # by id: the tables are module constants, checked once


def _table_pattern(table: dict[int, str]) -> re.Pattern[str]:
    """A run of the table's characters, as a class of code point ranges: a class of a thousand single characters
    (the compatibility ideographs) scans text 40 times slower than the same ten ranges."""
    known = _TABLES.get(id(table))
    if known is not None and known[0] is table and len(table) == len(known[0]):
        return known[1]
    if any(len(v) != 1 for v in table.values()):
        raise ValueError("translate() needs a one-character-to-one-character table")
    keys = tuple(sorted(table))
    pattern = _PATTERNS.get(keys)
    if pattern is None:
        ranges: list[list[int]] = []
        for k in keys:
            if ranges and ranges[-1][1] == k - 1:
                ranges[-1][1] = k
            else:
                ranges.append([k, k])
        body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        pattern = _PATTERNS[keys] = compiled(f"[{body}]+")
    _TABLES[id(table)] = (table, pattern)
    return pattern
