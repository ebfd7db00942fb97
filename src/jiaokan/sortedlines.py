"""Bisection over the lines of a sorted file held as bytes, read in place (issue 19: start-up).

Two tables a run asks only a few entries of are searched this way rather than parsed whole: jieba's word list
(``words``) and pypinyin's readings (``pinyintable``).  One search for both, so their probes stay the same.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K", bytes, int)  # a line's key: its leading bytes (a word) or a number read from it (a code point)


def first_at_least(data: bytes | mmap.mmap, lo: int, hi: int, key_of: Callable[[int], K], target: K) -> int:
    """The start of the first line of ``data[lo:hi]`` whose key (``key_of(its start)``) is not below ``target``, or
    ``hi`` if there is none.  ``lo`` and ``hi`` are line starts, and the lines between them are sorted by key."""
    while lo < hi:  # lines before lo sort below target, lines from hi on do not
        start = data.rfind(b"\n", lo, (lo + hi) // 2) + 1 or lo
        if key_of(start) < target:
            end = data.find(b"\n", start)
            lo = end + 1 if end >= 0 else hi
        else:
            hi = start
    return lo
