"""A candidate for the scan's screen in numpy (issue 19, item 4), measured by benchmarks/bench_screen.py: not used.

A text's character 5-gram shingles, hashed, and the passages two texts share.

The screen reads every document of a corpus, most of them unrelated to the base, so its cost is per character of
the corpus: here hashing, look-ups in the base's index and the counts of formulas are array operations, and Python
runs once per *passage* found (a few per document), not once per shingle.  The passages are those of the greedy
search ``jiaokan.scan`` documents — the same ones, in the same order — so the records do not change.

Hashes are a polynomial of the code points modulo 2**64 (numpy's unsigned arithmetic wraps): the same in every
process and on every machine, unlike Python's salted ``hash`` of a string.
"""

from __future__ import annotations

import bisect

import numpy as np
import numpy.typing as npt

from jiaokan.scan import Passage  # the same passages as jiaokan's screen, so the two compare equal

SHINGLE = 5
CANDIDATES = 8  # occurrences of a repeated base shingle tried when a passage starts on it
_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd: each code point's place in the shingle weighs differently
_FIRST_WINDOW = 32  # characters compared at once when a passage is extended (doubling after)

Hashes = npt.NDArray[np.uint64]


def hashes(text: str) -> Hashes:
    """The text's shingles in order, hashed."""
    n = len(text) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    h = codes[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, SHINGLE):
            h *= _MULT
            h += codes[j:j + n]
    return h


def hash_many(grams: list[str]) -> Hashes:
    """The hash of each 5-gram, as ``hashes`` gives it inside a text."""
    return np.concatenate([hashes(g) for g in grams]) if grams else np.zeros(0, dtype=np.uint64)


class Index:
    """One text's shingles (the base's), indexed: each distinct hash's first position, and each position's next."""

    def __init__(self, text: str, common: Hashes) -> None:
        self.grams = hashes(text)
        self.common = np.unique(common)  # formulas of the genre, sorted
        order = np.argsort(self.grams, kind="stable")  # positions grouped by hash, rising within a group
        ordered = self.grams[order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = ordered[1:] != ordered[:-1]
        self.unique = ordered[starts]  # distinct hashes, sorted
        self.first = order[starts]  # the first position of each
        self.next = np.full(len(order), -1, dtype=np.int64)  # position -> the same shingle's next position
        same = ~starts[1:]
        self.next[order[:-1][same]] = order[1:][same]
        self.grams_list: list[int] = self.grams.tolist()
        self.next_list: list[int] = self.next.tolist()

    def _common(self, h: Hashes) -> npt.NDArray[np.bool_]:
        """Which of the hashes are formulas of the genre (a binary search in the sorted formulas)."""
        if not len(self.common):
            return np.zeros(len(h), dtype=bool)
        at = np.minimum(np.searchsorted(self.common, h), len(self.common) - 1)
        return self.common[at] == h

    def __len__(self) -> int:
        return len(self.unique)

    def positions(self, h: Hashes) -> npt.NDArray[np.int64]:
        """Each hash's first position in the indexed text, -1 where it has none."""
        if not len(self.unique):
            return np.full(len(h), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.unique, h), len(self.unique) - 1)
        return np.where(self.unique[at] == h, self.first[at], -1)

    def shared(self, h: Hashes) -> tuple[int, int]:
        """(distinct shingles of ``h``, how many of them the indexed text has)."""
        return _distinct(h), _distinct(h[self.positions(h) >= 0])

    def passages(self, h: Hashes, p0: npt.NDArray[np.int64] | None = None) -> list[Passage]:
        """The document's shingles found in the base, as maximal passages that continue in the base as well.

        At each shingle found, up to CANDIDATES of its base occurrences are tried; the longest continuation wins
        (of equally long ones, the first after the previous passage's end in the base), and the document moves on
        past it.
        """
        grams, nxt_list = self.grams, self.next_list
        p0 = self.positions(h) if p0 is None else p0
        hits = np.flatnonzero(p0 >= 0)
        if not len(hits):
            return []
        rare = np.zeros(len(h) + 1, dtype=np.int64)
        np.cumsum(~self._common(h), out=rare[1:])
        h_list: list[int] = h.tolist()
        hits_list: list[int] = hits.tolist()
        first_list: list[int] = p0[hits].tolist()  # the first base position of each shingle found
        out: list[Passage] = []
        m, nb = len(h), len(grams)
        after = 0
        i = 0  # index into hits
        while i < len(hits_list):
            k = hits_list[i]
            p = first_list[i]
            best = length = tries = 0
            while p >= 0 and tries < CANDIDATES:
                n = _run(h, grams, h_list, self.grams_list, k, p, min(m - k, nb - p))
                if n > length or (n == length and best < after <= p):
                    best, length = p, n
                p, tries = nxt_list[p], tries + 1
            after = best + length
            out.append(Passage(k, k + length + SHINGLE - 1, best, best + length + SHINGLE - 1, int(rare[k + length] - rare[k])))
            k += length
            i = bisect.bisect_left(hits_list, k, i + 1) if length > 1 else i + 1
        return out


def _distinct(h: Hashes) -> int:
    """How many different hashes (a sort: cheaper than a hash set for these sizes)."""
    if not len(h):
        return 0
    ordered = np.sort(h)
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1


def _run(a: Hashes, b: Hashes, a_list: list[int], b_list: list[int], i: int, j: int, limit: int) -> int:
    """How many hashes from a[i] on equal those from b[j] on, one after another (a[i] == b[j]: at least 1).

    The first few compared one by one (most candidates of a formula stop there), a long run in numpy windows."""
    n = 1
    short = min(limit, _FIRST_WINDOW)
    while n < short and a_list[i + n] == b_list[j + n]:
        n += 1
    if n < short or n == limit:
        return n
    window = _FIRST_WINDOW
    while n < limit:
        end = min(limit, n + window)
        diff = np.flatnonzero(a[i + n:i + end] != b[j + n:j + end])
        if len(diff):
            return n + int(diff[0])
        n = end
        window *= 2
    return n
