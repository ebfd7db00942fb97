"""Text that remembers where every character came from.

Every normalization rule rewrites text; findings must still point at the
ORIGINAL characters.  A :class:`MappedText` carries, for each character of the
current text, the half-open span ``[start, end)`` of original code points it
was made from (the ``map`` of markdown-it tokens, at character level).

Invariants kept by :class:`Builder` (and checked by property tests):

* spans lie inside ``[0, len(original)]``;
* ``starts`` and ``ends`` are both non-decreasing (the map is monotone);
* characters produced by one replacement share that replacement's span, so a
  many-to-one rewrite (``二十三`` -> ``23``) maps every output character to
  the whole original piece.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MappedText:
    """A text plus, per character, its span in the original text."""

    text: str
    starts: list[int]
    ends: list[int]

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
        return MappedText(self.text[i:j], self.starts[i:j], self.ends[i:j])


class Builder:
    """Assemble a new :class:`MappedText` from pieces of an old one."""

    __slots__ = ("src", "_parts", "_starts", "_ends", "_pos")

    def __init__(self, src: MappedText) -> None:
        self.src = src
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._pos = 0  # how far into src we have consumed

    def keep_to(self, j: int) -> None:
        """Copy source characters from the current position up to ``j``."""
        i = self._pos
        if j > i:
            src = self.src
            self._parts.append(src.text[i:j])
            self._starts.extend(src.starts[i:j])
            self._ends.extend(src.ends[i:j])
        self._pos = max(self._pos, j)

    def replace(self, i: int, j: int, new: str, *, atomic: bool = False) -> None:
        """Replace source ``[i, j)`` (at or after the position) with ``new``.

        Equal lengths map one to one unless ``atomic``; otherwise every new
        character takes the span of the whole replaced piece (二〇二二年 is
        one date, not five digits).  ``new == ""`` deletes.
        """
        self.keep_to(i)
        if new:
            src = self.src
            if j - i == len(new) and not atomic:
                self._starts.extend(src.starts[i:j])
                self._ends.extend(src.ends[i:j])
            else:
                if i < j:
                    s, e = src.starts[i], src.ends[j - 1]
                else:
                    s, e = self._anchor(i)
                self._starts.extend([s] * len(new))
                self._ends.extend([e] * len(new))
            self._parts.append(new)
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
        return MappedText("".join(self._parts), self._starts, self._ends)


def substitute(
    mt: MappedText,
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str | None],
    *,
    atomic: bool = False,
) -> MappedText:
    """``re.sub`` that keeps the map; ``repl`` returning ``None`` keeps the match."""
    b = Builder(mt)
    changed = False
    for m in pattern.finditer(mt.text):
        new = repl(m)
        if new is None or new == m.group(0):
            continue
        b.replace(m.start(), m.end(), new, atomic=atomic)
        changed = True
    return b.build() if changed else mt


def translate(mt: MappedText, table: dict[int, str]) -> MappedText:
    """``str.translate`` with one-to-one characters, keeping the map."""
    new = mt.text.translate(table)
    if new == mt.text:
        return mt
    if len(new) != len(mt.text):
        raise ValueError("translate() needs a one-character-to-one-character table")
    return MappedText(new, mt.starts, mt.ends)
