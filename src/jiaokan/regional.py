"""Regional vocabulary judged pairwise: is one copy's word the other's Taiwan or Hong Kong form?

A Taiwan or Hong Kong copy writes 資料 for 数据, 支援 for 支持, 最佳化 for 优化;
OpenCC's phrase dictionaries pair them (``variants.regional_lexicon``).  Such a
difference is a ``regional-variant`` — but only between the two copies, at the
place they differ: nothing is rewritten, so words both copies share are never
touched (OpenCC's ``tw2sp`` would turn mainland 建立 into 创建, and simplified 数位
into 数字 on both sides), and a difference that is not a pair (数据 → 资讯, i.e.
信息) stays a wording change.

Each cluster of nearby changes the alignment found, with a little of the equal
text around it, is re-aligned by a small edit-distance table in which a
dictionary pair costs (almost) nothing.  When the best alignment uses pairs,
they become regional variants and whatever else changed stays as edits.  A
pair is accepted only where the copy holding the regional form is a regional
copy: written in traditional characters there or throughout; or, in simplified
characters, converted the way a converter converts — several kinds of pair, each
word converted everywhere (the copy never writes the mainland word itself).  A
mainland copy that writes 数位 for 数字 once, or 数据 for 资料 in three places, has
changed its wording.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from jiaokan.align import Op, OpTag
from jiaokan.variants import Lexicon, regional_lexicon

CONTEXT = 8  # equal characters taken on each side of a cluster, so a pair cut by the alignment is whole again
CLUSTER_GAP = 6  # changes this close (equal text between them) are judged together
MAX_CELLS = 40_000  # a larger cluster (a rewritten passage) is left as it is
EVIDENCE = 2  # kinds of pair a copy in simplified characters must show, consistently, before any is accepted
CONVERTED = 0.6  # ... and this share of the kinds of word with a regional form that the other copy has
_EQ, _REG, _EDIT = 0, 1, 1000  # costs: a pair costs a little more than equal text, so equal text is preferred

Side = Literal["base", "witness"]
_Step = Literal["eq", "edit", "reg"]  # a step of the regional alignment: equal text, an edit, a lexicon pair


@dataclass(frozen=True, slots=True)
class Pair:
    """A regional variant: base stream ``[a1, a2)`` and witness stream ``[b1, b2)``, one side in its regional form."""

    a1: int
    a2: int
    b1: int
    b2: int
    regional: Side  # which copy has the Taiwan / Hong Kong form


@dataclass(frozen=True, slots=True)
class Judged:
    """The changes of one cluster after the regional pass: its remaining edits and the pairs in between."""

    ops: tuple[Op, ...]
    pairs: tuple[Pair, ...]


def clusters(a: str, b: str, ops: Sequence[Op], same_paragraph: Callable[[Op, Op], bool]) -> list[list[Op]]:
    """Non-equal ops grouped: neighbours with at most CLUSTER_GAP equal characters between them, in one paragraph."""
    out: list[list[Op]] = []
    for op in ops:
        if out:
            last = out[-1][-1]
            gap_a, gap_b = op.a1 - last.a2, op.b1 - last.b2
            if 0 <= gap_a <= CLUSTER_GAP and gap_a == gap_b and a[last.a2:op.a1] == b[last.b2:op.b1] and same_paragraph(last, op):
                out[-1].append(op)
                continue
        out.append([op])
    return out


def judge(a: str, b: str, cluster: Sequence[Op], *, bounds: tuple[int, int, int, int], lexicon: Lexicon | None = None) -> Judged | None:
    """Re-align one cluster with regional pairs allowed; None when no pair explains any of it.

    ``bounds`` (a_lo, a_hi, b_lo, b_hi) limits the context taken around the cluster (its paragraph).
    """
    lexicon = lexicon or regional_lexicon()
    a1, a2, b1, b2 = cluster[0].a1, cluster[-1].a2, cluster[0].b1, cluster[-1].b2
    a_lo, a_hi, b_lo, b_hi = bounds
    left = 0
    while left < CONTEXT and a1 - left > a_lo and b1 - left > b_lo and a[a1 - left - 1] == b[b1 - left - 1]:
        left += 1
    right = 0
    while right < CONTEXT and a2 + right < a_hi and b2 + right < b_hi and a[a2 + right] == b[b2 + right]:
        right += 1
    x0, y0 = a1 - left, b1 - left
    x, y = a[x0:a2 + right], b[y0:b2 + right]
    if (len(x) + 1) * (len(y) + 1) > MAX_CELLS:
        return None
    # only words whose partner the other side has are worth the table (most changes are not regional, and most
    # places start no word: their empty list is kept as it is)
    candidates = [[(word, kept) for word, partners in found if (kept := {o: r for o, r in partners.items() if o in y})] if found else found
                  for found in lexicon.partners_in(x)]
    if not any(candidates):
        return None
    steps = _align(x, y, candidates)
    if not any(kind == "reg" for kind, *_ in steps):
        return None
    ops: list[Op] = []
    pairs: list[Pair] = []
    for kind, i1, i2, j1, j2, regional in steps:
        if kind == "reg":
            pairs.append(Pair(x0 + i1, x0 + i2, y0 + j1, y0 + j2, "witness" if regional else "base"))
        elif kind == "edit":
            tag: OpTag = "replace" if i1 < i2 and j1 < j2 else ("delete" if i1 < i2 else "insert")
            ops.append(Op(tag, x0 + i1, x0 + i2, y0 + j1, y0 + j2))
    return Judged(tuple(ops), tuple(pairs))


def _align(x: str, y: str, candidates: list[list[tuple[str, dict[str, bool]]]]) -> list[tuple[_Step, int, int, int, int, bool]]:
    """The cheapest alignment of ``x`` and ``y`` in which a lexicon pair is one step; steps grouped into runs."""
    n, m = len(x), len(y)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, _Step, bool] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0

    def relax(i: int, j: int, c: float, pi: int, pj: int, kind: _Step, regional: bool = False) -> None:
        if c < cost[i][j]:
            cost[i][j] = c
            back[i][j] = (pi, pj, kind, regional)

    for i in range(n + 1):
        row = cost[i]
        for j in range(m + 1):
            c = row[j]
            if c == inf:
                continue
            if i < n and j < m:
                relax(i + 1, j + 1, c + (_EQ if x[i] == y[j] else _EDIT), i, j, "eq" if x[i] == y[j] else "edit")
            if i < n:
                relax(i + 1, j, c + _EDIT, i, j, "edit")
            if j < m:
                relax(i, j + 1, c + _EDIT, i, j, "edit")
            if i < n:
                for word, partners in candidates[i]:
                    for other, other_is_regional in partners.items():
                        if y.startswith(other, j):
                            relax(i + len(word), j + len(other), c + _REG, i, j, "reg", other_is_regional)
    steps: list[tuple[_Step, int, int, int, int, bool]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        step = back[i][j]
        assert step is not None
        pi, pj, kind, regional = step
        steps.append((kind, pi, i, pj, j, regional))
        i, j = pi, pj
    steps.reverse()
    runs: list[tuple[_Step, int, int, int, int, bool]] = []
    for kind, i1, i2, j1, j2, regional in steps:
        if runs and kind != "reg" and runs[-1][0] == kind:
            last = runs[-1]
            runs[-1] = (kind, last[1], i2, last[3], j2, False)
        else:
            runs.append((kind, i1, i2, j1, j2, regional))
    return runs


@lru_cache(maxsize=1)
def _representatives() -> dict[str, str]:
    """Each lexicon word → one word standing for all the words it pairs with (directly or through others)."""
    lexicon = regional_lexicon()
    parent: dict[str, str] = {}

    def find(w: str) -> str:
        while parent.setdefault(w, w) != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for word, partners in lexicon.pairs.items():
        for other in partners:
            x, y = find(word), find(other)
            if x != y:
                parent[max(x, y)] = min(x, y)
    return {w: find(w) for w in lexicon.pairs}


def canonical(text: str) -> str:
    """``text`` with every regional word (longest first, left to right) replaced by its group's representative:
    a key under which a Taiwan copy's sentence equals the mainland one (for pairing moved sentences, never shown)."""
    lexicon = regional_lexicon()
    reps = _representatives()
    firsts = _first_characters()
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        found = lexicon.partners(text, i) if text[i] in firsts else None
        if found:
            word = found[-1][0]
            out.append(reps[word])
            i += len(word)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def regional_words(text: str) -> set[str]:
    """The mainland words of ``text`` that have a Taiwan or Hong Kong form (one pass, a dictionary look-up per
    character that starts one)."""
    lexicon = regional_lexicon()
    starts = _mainland_starts()
    found: set[str] = set()
    for i, ch in enumerate(text):
        if ch in starts:
            found.update(word for word, partners in lexicon.partners(text, i) if any(partners.values()))
    return found


@lru_cache(maxsize=1)
def _first_characters() -> frozenset[str]:
    """Characters that start some word of the lexicon (a look-up per character only there)."""
    return frozenset(word[0] for word in regional_lexicon().pairs)


@lru_cache(maxsize=1)
def _mainland_starts() -> frozenset[str]:
    return frozenset(word[0] for word, partners in regional_lexicon().pairs.items() if any(partners.values()))
