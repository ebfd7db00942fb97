"""Alignment's candidate sentences from shared shingles (align.similar_pairs): in a large gap a sentence is scored
only against those sharing a shingle with it, and that finds what scoring every pair finds on real texts."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rapidfuzz import process

from jiaokan import align, document_from_text, read_document
from jiaokan.align import Alignment
from jiaokan.diff import diff_prepared
from jiaokan.prepare import prepare

from .conftest import ROOT, VENDOR_001

REAL = ROOT / "benchmarks" / "realdata"
PAIRS = json.loads((REAL / "pairs.json").read_text(encoding="utf-8"))


def _alignment(base: str, witness: str) -> Alignment:
    result = diff_prepared(prepare(document_from_text(base, path="base")), prepare(document_from_text(witness, path="witness")))
    assert result.alignment is not None
    return result.alignment


def _shuffled(text: str, seed: int) -> str:
    paras = text.split("\n\n")
    random.Random(seed).shuffle(paras)
    return "\n\n".join(paras)


def _with_and_without_filter(monkeypatch: pytest.MonkeyPatch, base: str, witness: str) -> tuple[Alignment, Alignment]:
    every = _alignment(base, witness)
    monkeypatch.setattr(align, "EVERY_PAIR", 0)  # candidates from shingles in every gap, however small
    filtered = _alignment(base, witness)
    monkeypatch.undo()
    return every, filtered


@pytest.mark.parametrize("seed", [1, 2])
def test_filter_keeps_the_alignment_of_shuffled_paragraphs(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    text = read_document(str(VENDOR_001)).text
    every, filtered = _with_and_without_filter(monkeypatch, text, _shuffled(text, seed))
    assert every.moves  # paragraphs moved, and found moved
    assert filtered.ops == every.ops and filtered.moves == every.moves


@pytest.mark.parametrize("pair", PAIRS, ids=[p["key"] for p in PAIRS])
def test_filter_keeps_the_alignment_of_real_amendments(monkeypatch: pytest.MonkeyPatch, pair: dict[str, str]) -> None:
    old, new = (read_document(str(REAL / pair[k])).text for k in ("old", "new"))
    every, filtered = _with_and_without_filter(monkeypatch, old, new)
    assert filtered.ops == every.ops and filtered.moves == every.moves


def test_a_large_gap_scores_candidates_not_every_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unrelated witness is all gap: its sentences are scored against the few sharing a shingle."""
    base = read_document(str(VENDOR_001)).text
    laws = "\n\n".join(read_document(str(REAL / p["new"])).text for p in PAIRS[:4])
    scored: list[int] = []
    real = process.extractOne

    def spy(query, choices, **kw):  # type: ignore[no-untyped-def]
        scored.append(len(choices))
        return real(query, choices, **kw)

    monkeypatch.setattr(align.process, "extractOne", spy)
    monkeypatch.setattr(align, "EVERY_PAIR", 1000)
    _alignment(base, laws)
    assert scored
    sentences = sum(1 for _ in Path(REAL / PAIRS[0]["new"]).read_text(encoding="utf-8").split("。"))
    assert max(scored) < sentences  # never every sentence of the witness: the candidates that share a shingle
    assert sum(scored) < 0.05 * len(scored) * len(set(laws.split("。")))


def test_identical_sentences_are_scored_once() -> None:
    a = ["为了规范政务新媒体的管理工作。"] * 50 + ["其他。"]
    b = ["为了规范政务新媒体管理工作。", "为了规范政务新媒体管理工作。", "无关的一句话在这里。"]
    pairs = align.similar_pairs(a, b, set(), set())
    assert pairs == [(i, 0) for i in range(50)]  # each copy with the first of equal candidates, as scoring every pair does
