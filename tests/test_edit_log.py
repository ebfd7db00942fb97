"""The edit log built column by column (issue 19) gives exactly the rows the per-mark algorithm gave: the same
edits, in the same order, reading the same text — on the samples, on generated texts, and a block at a time."""

from __future__ import annotations

import bisect
import importlib
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaokan import document_from_text, normalize
from jiaokan.normalize import EditLog, ascending, locate
from jiaokan.textmap import CODES, MappedText

normalize_module = importlib.import_module("jiaokan.normalize")  # the package exports the function under the name
ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "documents").glob("*.txt"))


def reference_rows(mapped: MappedText, original: str) -> tuple[list[int], list[int], list[int], dict[int, str]]:
    """The edit log's rows as the per-mark algorithm made them (before issue 19's second round): the model."""
    marks = mapped.marks
    S, E, C = marks.columns()
    count = len(S)
    order = sorted(range(count), key=lambda k: (S[k], -E[k], k))
    sorted_starts = [S[k] for k in order]
    starts, ends = mapped.starts, mapped.ends
    rows: list[tuple[int, int, int]] = []
    reads: dict[int, str] = {}
    superseded: set[int] = set()
    for k in order:
        ms, me = S[k], E[k]
        if ms < me:
            n2 = bisect.bisect_left(starts, me)
            n1 = min(bisect.bisect_right(ends, ms), n2)
        else:
            n1 = n2 = bisect.bisect_left(starts, ms)
        inner = []
        for p in range(bisect.bisect_left(sorted_starts, ms), count):
            q = order[p]
            if S[q] >= me:
                break
            if q < k and E[q] <= me:
                inner.append(q)
        if inner:
            if ms < me and not marks.new_text(k):
                superseded.update(inner)
            inner.sort(key=lambda q: (S[q], -E[q], -q))
            pieces: list[str] = []
            pos = ms
            for q in inner:
                if S[q] >= pos:
                    pieces += [original[pos:S[q]], marks.new_text(q)]
                    pos = E[q]
            pieces.append(original[pos:me])
            read = "".join(pieces)
            if read != original[ms:me]:
                reads[k] = read
        rows.append((k, n1, n2))
    rank = {c: str(CODES[c]) for c in range(len(CODES))}
    kept = [(r, row) for r, row in enumerate(rows) if row[0] not in superseded]
    kept.sort(key=lambda rr: (rr[1][1], rr[1][2], S[rr[1][0]], E[rr[1][0]], rank[C[rr[1][0]] >> 1], rr[0]))
    return [row[0] for _, row in kept], [row[1] for _, row in kept], [row[2] for _, row in kept], reads


def check(text: str) -> EditLog:
    norm = normalize(document_from_text(text))
    log = EditLog(norm.mapped, text)
    mark, n1, n2, reads = reference_rows(norm.mapped, text)
    assert list(log.mark) == mark and list(log.norm_starts) == n1 and list(log.norm_ends) == n2
    for k in range(len(log)):
        q = log.mark[k]
        ed = log[k]
        assert ed.read == reads.get(q, text[ed.start:ed.end]) == log.read(k)
        assert ed.written == log.written(k) and ed.code == log.code(k)
    codes, s, e, lengths = log.row_columns()
    assert [c >> 1 for c in codes] == [CODES.index(ed.code) for ed in log]
    assert list(s) == [ed.start for ed in log] and list(e) == [ed.end for ed in log]
    assert list(lengths) == [len(ed.written) for ed in log]
    return log


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_the_log_of_every_sample_is_the_per_mark_algorithms(path: Path) -> None:
    assert len(check(path.read_text(encoding="utf-8"))) > 0


@pytest.mark.parametrize("path", TEXTS[:2], ids=lambda p: p.name)
def test_a_log_ordered_a_block_at_a_time_is_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize_module, "BLOCK", 16)  # the samples' thousands of marks, ordered 16 values a block
    check(path.read_text(encoding="utf-8") * 2)


PIECES = ["國務院", "（guó）", "國(guó)", "二〇二二年六月六日", "２０２２年", "第十二条", "全鍊條", "復甦", " ", "\u3000", "\n", "\n\n",
          "，", ",", ".", "...", "“", '"', "'", "著力", "数≠据", "\u200b", "ｅ", "\r\n", "- 3 -", "\f", "乾隆", "一、", "。", "<测试>"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))
def test_the_log_of_generated_text_is_the_per_mark_algorithms(pieces: list[str]) -> None:
    check("第" + "".join(pieces))  # (a text of spaces alone is refused as empty)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=60), st.integers(1, 8))
def test_ascending_orders_by_value_then_index(values: list[int], block: int) -> None:
    key = array("i", values)
    assert list(ascending(key)) == sorted(range(len(values)), key=lambda k: (values[k], k))
    old = normalize_module.BLOCK
    normalize_module.BLOCK = block
    try:
        assert list(ascending(key)) == sorted(range(len(values)), key=lambda k: (values[k], k))
    finally:
        normalize_module.BLOCK = old


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 300), max_size=400), st.lists(st.integers(-5, 305), max_size=300), st.integers(1, 6))
def test_locate_is_bisect_for_every_value(seq: list[int], values: list[int], block: int) -> None:
    ordered, column = array("i", sorted(seq)), array("i", values)
    old = normalize_module.LOCATE
    try:
        for size in (old, block):  # blocks of values against stretches of the sequence, and the far-apart case
            normalize_module.LOCATE = size
            assert list(locate(ordered, column)) == [bisect.bisect_left(ordered, v) for v in values]
            assert list(locate(ordered, column, right=True)) == [bisect.bisect_right(ordered, v) for v in values]
    finally:
        normalize_module.LOCATE = old
