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

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jiaokan.findings import Code


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


@dataclass(frozen=True, slots=True)
class MappedText:
    """A text plus, per character, its span in the original text, and the marks of the rules that made it."""

    text: str
    starts: list[int]
    ends: list[int]
    marks: tuple[Mark, ...] = field(default=())

    @classmethod
    def identity(cls, original: str, start: int = 0, end: int | None = None) -> MappedText:
        """The original text (or a slice of it) mapped onto itself."""
        end = len(original) if end is None else end
        return cls(original[start:end], list(range(start, end)), list(range(start + 1, end + 1)))

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
        marks: list[Mark] = []
        text, starts, ends = self.text, self.starts, self.ends
        prev_end = starts[0] if starts else 0
        k = 0
        n = len(text)
        while k < n:
            s, e = starts[k], ends[k]
            if s > prev_end:  # original text dropped before this character
                _append(marks, Mark(prev_end, s, code, ""))
            if original[s:e] != text[k]:
                k2 = k + 1
                while k2 < n and starts[k2] == s and ends[k2] == e:  # the rest of one atomic piece (&nbsp; → " ")
                    k2 += 1
                _append(marks, Mark(s, e, code, text[k:k2], whole=e - s != k2 - k))
                k = k2
            else:
                k += 1
            prev_end = max(prev_end, e)
        return MappedText(text, starts, ends, self.marks + tuple(marks))


def _append(marks: list[Mark], mark: Mark) -> None:
    """Log a mark, joining it to the previous one when they touch and have the same code."""
    if marks:
        last = marks[-1]
        if last.code == mark.code and last.end == mark.start and last.start < mark.start and not (last.whole or mark.whole):
            marks[-1] = Mark(last.start, mark.end, last.code, last.new + mark.new)
            return
    marks.append(mark)


class Builder:
    """Assemble a new :class:`MappedText` from pieces of an old one; every change is marked with ``code``."""

    __slots__ = ("_ends", "_marks", "_parts", "_pos", "_starts", "code", "src")

    def __init__(self, src: MappedText, code: Code) -> None:
        self.src = src
        self.code = code
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._pos = 0  # how far into src we have consumed
        self._marks: list[Mark] = []

    def keep_to(self, j: int) -> None:
        """Copy source characters from the current position up to ``j``."""
        i = self._pos
        if j > i:
            src = self.src
            self._parts.append(src.text[i:j])
            self._starts.extend(src.starts[i:j])
            self._ends.extend(src.ends[i:j])
        self._pos = max(self._pos, j)

    def replace(self, i: int, j: int, new: str, *, atomic: bool = False, code: Code | None = None) -> None:
        """Replace source ``[i, j)`` (at or after the position) with ``new``.

        Equal lengths map one to one unless ``atomic``; otherwise every new
        character takes the span of the whole replaced piece (二〇二二年 is
        one date, not five digits).  ``new == ""`` deletes.  ``code`` overrides
        the builder's code for this change (a rule that makes two kinds of edit).
        """
        self.keep_to(i)
        src = self.src
        if i < j:
            s, e = src.starts[i], src.ends[j - 1]
        else:
            s, e = self._anchor(i)
        code = code or self.code
        if new and j - i == len(new) and not atomic:
            # one to one: each changed character is marked at its own span (joined to its neighbours when they touch)
            self._starts.extend(src.starts[i:j])
            self._ends.extend(src.ends[i:j])
            self._parts.append(new)
            old = src.text
            for t in range(i, j):
                if new[t - i] != old[t]:
                    _append(self._marks, Mark(src.starts[t], src.ends[t], code, new[t - i]))
        else:
            if new:
                self._starts.extend([s] * len(new))
                self._ends.extend([e] * len(new))
                self._parts.append(new)
            if new != src.text[i:j]:
                _append(self._marks, Mark(s, e, code, new, whole=True))
        self._pos = max(self._pos, j)

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
        self.keep_to(len(self.src.text))
        if not self._marks:
            return self.src
        return MappedText("".join(self._parts), self._starts, self._ends, self.src.marks + tuple(self._marks))


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
    for m in pattern.finditer(mt.text):
        new = repl(m)
        if new is None or new == m.group(0):
            continue
        b.replace(m.start(), m.end(), new, atomic=atomic)
    return b.build()


def translate(mt: MappedText, table: dict[int, str], *, code: Code) -> MappedText:
    """``str.translate`` with one-to-one characters, keeping the map and marking each changed run."""
    if any(len(v) != 1 for v in table.values()):
        raise ValueError("translate() needs a one-character-to-one-character table")
    pattern = _table_pattern(tuple(sorted(table)))
    return substitute(mt, pattern, lambda m: m.group(0).translate(table), code=code)


_PATTERNS: dict[tuple[int, ...], re.Pattern[str]] = {}


def _table_pattern(keys: tuple[int, ...]) -> re.Pattern[str]:
    pattern = _PATTERNS.get(keys)
    if pattern is None:
        pattern = _PATTERNS[keys] = re.compile("[" + "".join(re.escape(chr(k)) for k in keys) + "]+")
    return pattern
