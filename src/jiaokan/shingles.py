"""Character shingles: the 5-grams a text is screened by (a scan's screen, and alignment's candidate sentences).

One definition for both: a scan finds the passages of the base a document shares by its hashed shingles, and
alignment finds which sentences of a large gap could be alike by the shingles they share, so neither compares
every sentence with every other.
"""

from __future__ import annotations

SHINGLE = 5


def hashed_shingles(text: str) -> list[int]:
    """The text's shingles in order, hashed (one process's hash: what is compared meets in one process)."""
    return [hash(text[k:k + SHINGLE]) for k in range(max(0, len(text) - SHINGLE + 1))]
