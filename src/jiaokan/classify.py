"""Stage 6: findings as a reader counts changes.

The diff finds each difference where it lies; a reader counts changes: an
article of four paragraphs inserted is one addition, not four; 第五条 moved to
第十条 and lightly edited is one move, not an omission and an addition; the same
substitution made in forty places is one change with forty places.  These
functions decide which findings belong together; ``diff.py`` builds the
findings that hold them (``Finding.parts``).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import fuzz

from jiaokan.findings import SUBSTANTIVE, Code, Finding

OMISSIONS = frozenset({Code.PARAGRAPH_OMISSION, Code.SENTENCE_OMISSION})
ADDITIONS = frozenset({Code.PARAGRAPH_ADDITION, Code.SENTENCE_ADDITION})
# codes whose repeats are one change in many places: a word or number changed the same way
GROUPED = frozenset({Code.WORDING_SUBSTITUTION, Code.WORDING_INSERTION, Code.WORDING_DELETION, Code.NUMBER_CHANGE, Code.STALE_REFERENCE})
MOVE_RATIO = 80.0  # an omitted and an added passage this alike (rapidfuzz ratio, labels' numbers aside) are one move
MOVE_MIN_CHARS = 12  # ... when they say something
COMMON_TRIGRAM = 64  # a trigram in more added passages than this says nothing about which one is the moved one
SHARED_TRIGRAMS = 0.3  # passages this alike (ratio ≥ 80) share far more of their distinct trigrams than this
# Up to this many pairs of an omitted and an added passage, every trigram they share is counted (the amendments of
# benchmarks/realdata: 44 at most; the samples shuffled: 91; the directive 16 times, shuffled: 18,923).  Beyond it
# (a text repeated: each trigram in many passages, and the counting grew with the square), a passage looks up only its
# MOVE_PROBES rarest trigrams and is scored against the MOVE_CANDIDATES passages of a comparable length sharing most.
EVERY_PAIR = 40_000
MOVE_PROBES = 32
MOVE_CANDIDATES = 8


def _trigrams(text: str) -> frozenset[str]:
    return frozenset(text[k:k + 3] for k in range(len(text) - 2))


@dataclass(frozen=True, slots=True)
class Located:
    """A finding and the stream ranges it came from (base ``[a1, a2)``, witness ``[b1, b2)``)."""

    finding: Finding
    a1: int
    a2: int
    b1: int
    b2: int


def units(items: Sequence[Located], *, base_side: bool, level: Callable[[int], int]) -> list[list[Located]]:
    """Omissions (``base_side``) or additions that follow one another with nothing between them, cut into units:
    whole paragraphs with whole paragraphs, sentences with sentences (the end of one paragraph and the start of the
    next).

    ``level(k)`` is the rank of the label opening the paragraph at stream offset ``k`` of that side (3 章 or 编,
    2 节, 1 条, 0 none); a run is cut before each label of the highest rank it holds, so an omitted chapter is one
    unit and omitted articles are one each; a run with no label (items, paragraphs of one article) is one unit.
    """
    codes = OMISSIONS if base_side else ADDITIONS
    runs: list[list[Located]] = []
    for it in items:
        if it.finding.code not in codes:
            continue
        if runs:
            last = runs[-1][-1]
            follows = (last.a2 == it.a1 and last.b1 == it.b1) if base_side else (last.b2 == it.b1 and last.a1 == it.a1)
            if follows and last.finding.code == it.finding.code:  # whole paragraphs with whole paragraphs
                runs[-1].append(it)
                continue
        runs.append([it])
    out: list[list[Located]] = []
    for run in runs:
        starts = [(it.a1 if base_side else it.b1) for it in run]
        top = max(level(k) for k in starts)
        unit: list[Located] = []
        for it, k in zip(run, starts, strict=True):
            if unit and top > 0 and level(k) == top:
                out.append(unit)
                unit = []
            unit.append(it)
        out.append(unit)
    return out


def group_key(f: Finding) -> tuple[str, str, str] | None:
    """Findings with the same key are the same change: the same code, base text and witness text."""
    if f.severity != SUBSTANTIVE or f.code not in GROUPED or f.parts:
        return None
    return (f.code, f.base_norm, f.witness_norm)


def groups(findings: Sequence[Finding]) -> list[list[int]]:
    """Indexes of findings that are one change repeated (two places or more), each list in order."""
    by_key: dict[tuple[str, str, str], list[int]] = {}
    for k, f in enumerate(findings):
        key = group_key(f)
        if key is not None:
            by_key.setdefault(key, []).append(k)
    return [ks for ks in by_key.values() if len(ks) >= 2]


def pair_moves(omitted: Sequence[tuple[str, int, int]], added: Sequence[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Pairs (i, j) of an omitted passage and an added one that are the same text moved (and perhaps edited).

    Each passage is (comparison text, stream start, stream end) on its side.  A pair is alike (rapidfuzz ratio ≥
    MOVE_RATIO) and not at the same place (an omission beside an addition is a rewrite there, not a move).  Chosen
    best first, one-to-one; ties by position, so swapping base and witness pairs the same passages.
    """
    # Only passages sharing many trigrams can be this alike: an index of the added ones' trigrams, the commonest
    # (a formula every article has) left out, keeps this near linear where most articles were rewritten.
    known: dict[str, frozenset[str]] = {}  # a text repeated is cut into trigrams once

    def trigrams(text: str) -> frozenset[str]:
        if text not in known:
            known[text] = _trigrams(text)
        return known[text]

    grams_of = {j: trigrams(y) for j, (y, _, _) in enumerate(added) if len(y) >= MOVE_MIN_CHARS}  # distinct trigrams
    looked_up = [(i, trigrams(x)) for i, (x, _, _) in enumerate(omitted) if len(x) >= MOVE_MIN_CHARS]
    if len(looked_up) * len(grams_of) <= EVERY_PAIR:
        shared = _every_shared(looked_up, grams_of)
    else:
        shared = _likeliest(looked_up, grams_of, [len(x) for x, _, _ in omitted], [len(y) for y, _, _ in added])
    candidates: list[tuple[float, int, int, int, int]] = []
    scores: dict[tuple[str, int], float] = {}  # a text omitted in several places is scored once against each
    for (i, grams), counts in zip(looked_up, shared, strict=True):
        x = omitted[i][0]
        for j, n in counts.items():
            y = added[j][0]
            if n < SHARED_TRIGRAMS * min(len(grams), len(grams_of[j])) or not _comparable(len(x), len(y)):
                continue
            if (x, j) not in scores:
                scores[x, j] = fuzz.ratio(x, y, score_cutoff=MOVE_RATIO)
            score = scores[x, j]
            if score:
                candidates.append((-score, min(omitted[i][1], added[j][1]), max(omitted[i][1], added[j][1]), i, j))
    candidates.sort()
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for _, _, _, i, j in candidates:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return sorted(out)


def _comparable(n: int, m: int) -> bool:
    """Passages of these lengths can be this alike (ratio ≥ 80 needs far closer lengths)."""
    return min(n, m) >= 0.6 * max(n, m)


def _every_shared(looked_up: list[tuple[int, frozenset[str]]], grams_of: dict[int, frozenset[str]]) -> list[dict[int, int]]:
    """For each omitted passage, the added passages sharing a trigram (the commonest left out), with how many."""
    index: dict[str, list[int]] = {}
    for j, grams_y in grams_of.items():
        for g in grams_y:
            index.setdefault(g, []).append(j)
    hits_of = {g: hits for g, hits in index.items() if len(hits) <= COMMON_TRIGRAM}
    return [Counter(chain.from_iterable(hits_of[g] for g in grams if g in hits_of)) for _, grams in looked_up]


def _likeliest(looked_up: list[tuple[int, frozenset[str]]], grams_of: dict[int, frozenset[str]],
               len_omitted: Sequence[int], len_added: Sequence[int]) -> list[dict[int, int]]:
    """For each omitted passage, the MOVE_CANDIDATES added passages of a comparable length sharing most of its
    MOVE_PROBES rarest trigrams, each with the trigrams it shares (as :func:`_every_shared` counts them): a moved
    passage holds nearly all of them, where a passage holding a copy of one of its paragraphs holds only that one's."""
    freq = Counter(chain.from_iterable(grams_of.values()))  # trigram -> added passages holding it
    informative = frozenset(g for g, n in freq.items() if n <= COMMON_TRIGRAM)
    # rarest first, ties by the trigram (a set's order is its strings' hashes: one process's)
    rarest: dict[frozenset[str], list[str]] = {}
    for _, grams in looked_up:
        if grams not in rarest:
            rarest[grams] = sorted(sorted(grams & informative), key=freq.__getitem__)[:MOVE_PROBES]
    probes = [rarest[grams] for _, grams in looked_up]
    wanted = frozenset(chain.from_iterable(probes))
    index: dict[str, list[int]] = {}  # only the probes' hits
    for j, grams_y in grams_of.items():
        for g in grams_y & wanted:
            index.setdefault(g, []).append(j)
    out = []
    done: dict[tuple[int, frozenset[str]], dict[int, int]] = {}  # the same text omitted in several places
    for (i, grams), mine in zip(looked_up, probes, strict=True):
        if (len_omitted[i], grams) not in done:
            votes = Counter(chain.from_iterable(index[g] for g in mine))
            best = heapq.nsmallest(MOVE_CANDIDATES, ((-v, j) for j, v in votes.items() if _comparable(len_omitted[i], len_added[j])))
            kept = grams & informative
            done[len_omitted[i], grams] = {j: len(kept & grams_of[j]) for _, j in best}
        out.append(done[len_omitted[i], grams])
    return out
