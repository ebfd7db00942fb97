"""Words as jieba cuts them with its HMM off, without loading jieba's dictionary.

Only a substitution's few characters either side are ever cut (``diff.widen_to_words``, ``segment.word_bounds``),
yet importing rjieba builds its whole 349,045-word dictionary first (about 0.1 s, the largest cost of a run).
Here the same dictionary (jieba's dict.txt, MIT; ``data/jieba-words.tsv``, built by ``benchmarks/gen_words.py``)
lies sorted in a memory-mapped file: each fragment of a window is looked up by bisection (about 20 probes, cached),
and the cut is jieba-rs's own (``Jieba::cut(text, false)``: its character classes, its directed acyclic graph of
dictionary words, the route of greatest log-frequency, the largest end winning a tie, single ASCII letters and
digits run together).  tests/test_words.py checks every boundary against rjieba on windows of the real texts.
"""

from __future__ import annotations

import math
import mmap
from functools import lru_cache
from importlib import resources

from jiaokan.patterns import compiled
from jiaokan.sortedlines import first_at_least

DATA = "data/jieba-words.tsv"

# jieba-rs's RE_HAN_DEFAULT: the runs cut by the dictionary; anything else is one token a character (CRLF one)
_HAN = compiled("([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002b73f\U0002b740-\U0002b81f"
                  "\U0002b820-\U0002ceaf\U0002ceb0-\U0002ebef\U0002f800-\U0002fa1fa-zA-Z0-9+#&._%\\-]+)")


class Dictionary:
    """jieba's dictionary read in place: ``lookup`` answers for one fragment, ``cut`` for a text."""

    __slots__ = ("_body", "_cache", "_map", "logtotal")

    def __init__(self, data: bytes | mmap.mmap) -> None:
        self._map = data
        header_end = data.find(b"\n") + 1
        head = bytes(data[:header_end]).split(b"\t")
        if len(head) != 3 or head[0] != b"#" or head[1] != b"total":
            raise ValueError(f"{DATA}: not a word list: its first line is not '#<TAB>total<TAB>N'; rebuild it with benchmarks/gen_words.py")
        self.logtotal = math.log(int(head[2]))
        self._body = header_end
        self._cache: dict[str, tuple[int | None, bool]] = {}

    def lookup(self, fragment: str) -> tuple[int | None, bool]:
        """(its frequency if ``fragment`` is a word, else None; whether some word starts with it)."""
        known = self._cache.get(fragment)
        if known is not None:
            return known
        data, key = self._map, fragment.encode("utf-8")
        lo = first_at_least(data, self._body, len(data), lambda start: data[start:data.find(b"\t", start)], key)
        answer: tuple[int | None, bool] = (None, False)
        if lo < len(data):
            tab = data.find(b"\t", lo)
            word = data[lo:tab]
            if word == key:
                end = data.find(b"\n", tab)
                following = data[end + 1:data.find(b"\t", end + 1)] if end + 1 < len(data) else b""
                answer = (int(data[tab + 1:end]), following.startswith(key))
            else:
                answer = (None, word.startswith(key))
        self._cache[fragment] = answer
        return answer

    def cut(self, text: str, hmm: bool = False) -> list[str]:
        """The tokens of ``text`` as ``rjieba.cut(text, False)`` gives them (only the HMM-off cut exists here)."""
        if hmm:
            raise ValueError("jiaokan.words: the HMM cut is not implemented: only jieba's dictionary cut (hmm=False) is")
        out: list[str] = []
        for i, block in enumerate(_HAN.split(text)):
            if not block:
                continue
            if i % 2:
                self._cut_block(block, out)
            else:
                out.extend(_chars(block))
        return out

    def _cut_block(self, block: str, out: list[str]) -> None:
        n, logtotal, lookup = len(block), self.logtotal, self.lookup
        best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            choice: tuple[float, int] | None = None
            for k in range(i + 1, n + 1):
                freq, more = lookup(block[i:k])
                if freq is not None:
                    step = ((math.log(freq) if freq else -math.inf) - logtotal + best[k][0], k)
                    if choice is None or step > choice:
                        choice = step
                if not more:
                    break
            best[i] = choice if choice is not None else (0.0 - logtotal + best[i + 1][0], i + 1)
        i, run = 0, -1  # run: where a stretch of single ASCII letters and digits began
        while i < n:
            j = best[i][1]
            if j == i + 1 and block[i].isascii() and block[i].isalnum():
                if run < 0:
                    run = i
            else:
                if run >= 0:
                    out.append(block[run:i])
                    run = -1
                out.append(block[i:j])
            i = j
        if run >= 0:
            out.append(block[run:])


def _chars(block: str) -> list[str]:
    """A stretch outside the dictionary's classes: one token a character, a CRLF one token (jieba-rs's RE_SKIP)."""
    out: list[str] = []
    i = 0
    while i < len(block):
        step = 2 if block.startswith("\r\n", i) else 1
        out.append(block[i:i + step])
        i += step
    return out


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """The shipped dictionary, mapped once per process (the pages are the operating system's, shared and lazy)."""
    with resources.as_file(resources.files("jiaokan").joinpath(DATA)) as path, path.open("rb") as f:
        return Dictionary(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
