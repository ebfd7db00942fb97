"""Moved passages' candidates (classify.pair_moves): in a large comparison a passage is scored only against the
added passages sharing most of its rarest trigrams, and that pairs the same moves as counting every trigram does
on real texts; the regional lexicon's look-up by place finds what asking at every character finds."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

import pytest

from jiaokan import classify, diff, document_from_text, read_document
from jiaokan.variants import regional_lexicon

from .conftest import ROOT, VENDOR_001

REAL = ROOT / "benchmarks" / "realdata"
PAIRS = json.loads((REAL / "pairs.json").read_text(encoding="utf-8"))
COUNTY_002 = ROOT / "samples" / "directive-county-forward-002.txt"

Passages = Sequence[tuple[str, int, int]]


def _shuffled(text: str, seed: int) -> str:
    paras = text.split("\n\n")
    random.Random(seed).shuffle(paras)
    return "\n\n".join(paras)


def _moves_asked(monkeypatch: pytest.MonkeyPatch, base: str, witness: str) -> list[tuple[Passages, Passages]]:
    """What the diff asks pair_moves (omitted and added passages), both ways round."""
    asked: list[tuple[Passages, Passages]] = []
    real = classify.pair_moves

    def spy(omitted: Passages, added: Passages) -> list[tuple[int, int]]:
        asked.append((list(omitted), list(added)))
        return real(omitted, added)

    monkeypatch.setattr(diff, "pair_moves", spy)
    for x, y in ((base, witness), (witness, base)):
        diff.diff_documents(document_from_text(x, path="base"), document_from_text(y, path="witness"))
    monkeypatch.undo()
    return asked


def _with_and_without_filter(monkeypatch: pytest.MonkeyPatch, asked: list[tuple[Passages, Passages]]) -> list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    every = [classify.pair_moves(o, a) for o, a in asked]
    monkeypatch.setattr(classify, "EVERY_PAIR", -1)  # the rarest trigrams and the likeliest candidates, however small
    filtered = [classify.pair_moves(o, a) for o, a in asked]
    monkeypatch.undo()
    return list(zip(every, filtered, strict=True))


@pytest.mark.parametrize("sample", [VENDOR_001, COUNTY_002], ids=["001", "002"])
def test_filter_pairs_the_moves_of_shuffled_paragraphs(monkeypatch: pytest.MonkeyPatch, sample: object) -> None:
    text = read_document(str(sample)).text
    found = 0
    for copies in (1, 2):  # twice: each paragraph is omitted or added in two places
        base = "\n\n".join([text] * copies)
        for seed in (1, 2, 19):
            for every, filtered in _with_and_without_filter(monkeypatch, _moves_asked(monkeypatch, base, _shuffled(base, seed))):
                assert filtered == every, (copies, seed)
                found += len(every)
    assert found  # passages moved, and paired


def test_filter_pairs_the_moves_of_real_amendments(monkeypatch: pytest.MonkeyPatch) -> None:
    found = 0
    for pair in PAIRS:
        old, new = (read_document(str(REAL / pair[k])).text for k in ("old", "new"))
        for every, filtered in _with_and_without_filter(monkeypatch, _moves_asked(monkeypatch, old, new)):
            assert filtered == every, pair["key"]
            found += len(every)
    assert found  # some articles moved between versions, and were paired


def test_a_large_comparison_scores_few_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passages repeated many times: each omitted one is scored against a few added ones, not all, and is paired
    with a copy of itself (its sentences in their order), not with a passage sharing one of them."""
    sentences = [s + "。" for s in read_document(str(VENDOR_001)).text.split("。") if len(s) >= 40][:4]
    assert len(sentences) == 4
    runs = [sentences[k % 4] + sentences[(k + 1) % 4] for k in range(64)]  # 64 runs of two sentences, 4 kinds
    omitted = [(text, 1000 * k, 1000 * k + len(text)) for k, text in enumerate(runs[:32])]
    added = [(text, 1000 * k, 1000 * k + len(text)) for k, text in enumerate(runs[32:], start=100)]
    scored: list[int] = []
    real = classify.fuzz.ratio

    def spy(x: str, y: str, **kw: float) -> float:
        scored.append(1)
        return real(x, y, **kw)

    monkeypatch.setattr(classify.fuzz, "ratio", spy)
    monkeypatch.setattr(classify, "EVERY_PAIR", 100)
    pairs = classify.pair_moves(omitted, added)
    assert len(scored) <= classify.MOVE_CANDIDATES * len(omitted) < len(omitted) * len(added)
    assert len(pairs) == len(omitted)  # each omitted run is paired with a copy of itself
    assert all(omitted[i][0] == added[j][0] for i, j in pairs)


@pytest.mark.parametrize("name", ["directive-vendor-reprint-001.txt", "provinces-article-003.txt"])
def test_regional_words_found_by_place(name: str) -> None:
    lexicon = regional_lexicon()
    text = read_document(str(ROOT / "samples" / name)).text + "资料数位化，支援软体与网路。"
    by_place = lexicon.partners_in(text)
    assert by_place == [lexicon.partners(text, i) for i in range(len(text))]
    assert any(by_place)  # the appended sentence has Taiwan words
