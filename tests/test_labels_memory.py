"""The diff stage's memory (issue 19): the masked stream labels align on holds no per-character arrays, and a base
compared with many witnesses finds its labels once."""

from __future__ import annotations

import bisect
import sys
from array import array
from pathlib import Path

import pytest

from jiaokan import diff as diff_module
from jiaokan import document_from_text, normalize, read_document
from jiaokan import prepare as prepare_module
from jiaokan.check import check
from jiaokan.diff import diff_prepared
from jiaokan.labels import MASK, Labelled, Masked, find_labels
from jiaokan.prepare import prepare
from jiaokan.segment import ParagraphIndex, Segmented, segment

from .conftest import COUNTY_002, VENDOR_001

EXTRA = "\n\n第十条　国家建立制度。\n\n第十一条　依照本条例第十条的规定，第112条另行规定。\n\n（三）其他事项。\n"


def _labelled() -> tuple[Labelled, Segmented]:
    seg = segment(normalize(document_from_text(COUNTY_002.read_text(encoding="utf-8") + EXTRA)))
    return find_labels(seg), seg


def _old_real(labelled: Labelled, n: int) -> list[int]:
    """Where each masked character starts in the stream, one entry a character (what the masked copy used to keep)."""
    out: list[int] = []
    pos = 0
    for lb in labelled.labels:
        out.extend(range(pos, lb.num_start))
        out.append(lb.num_start)
        pos = lb.num_end
    out.extend(range(pos, n))
    return [*out, n]


def test_the_masked_stream_keeps_no_array_a_character_long() -> None:
    labelled, seg = _labelled()
    masked = labelled.masked
    assert isinstance(masked, Masked) and len(masked.stream) < len(seg.stream)  # numbers were masked
    # paragraph of a character: read off the paragraphs, not 4 bytes a character
    assert isinstance(masked.para_of, ParagraphIndex) and len(masked.para_of) == len(masked.stream)
    assert sys.getsizeof(masked.para_of) < 200
    for column in (labelled.num_starts, labelled.num_ends, labelled.shift):
        assert isinstance(column, array) and len(column) <= len(labelled.labels) + 1
    # a sentence without a number is its real sentence's text, not a copy of it
    assert len(masked.sentences) == len(seg.sentences)
    shared = [(m, s) for m, s in zip(masked.sentences, seg.sentences, strict=True) if m.text == s.text]
    assert 0 < len(shared) < len(seg.sentences) and all(m.text is s.text for m, s in shared)
    assert all(masked.stream[s.start:s.end] == s.text for s in masked.sentences)
    for p in masked.paragraphs:
        assert masked.stream[p.start:p.end] == p.text
        assert all(masked.para_of[k] == p.index for k in (p.start, p.end - 1))


def test_a_masked_offset_goes_back_where_the_old_per_character_map_put_it() -> None:
    labelled, seg = _labelled()
    stream, masked = seg.stream, labelled.masked.stream
    old = _old_real(labelled, len(stream))
    assert len(old) == len(masked) + 1
    assert [labelled.real(m) for m in range(len(masked) + 1)] == old
    for k in range(len(stream) + 1):
        assert labelled.masked_at(k) == bisect.bisect_right(old, k) - 1
        assert labelled.masked_from(k) == bisect.bisect_left(old, k)
    for m, ch in enumerate(masked):
        assert ch == MASK or stream[labelled.real(m)] == ch


def test_nothing_to_mask_is_the_stream_itself() -> None:
    seg = segment(normalize(document_from_text("没有编号的一段话。另一句话。")))
    labelled = find_labels(seg)
    assert labelled.masked is seg and labelled.masks == ()
    assert [labelled.real(m) for m in range(len(seg.stream) + 1)] == list(range(len(seg.stream) + 1))


def test_a_base_checked_against_many_witnesses_finds_its_labels_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    witnesses = []
    for k in range(4):
        path = tmp_path / f"w{k}.txt"
        path.write_text(VENDOR_001.read_text(encoding="utf-8") + f"\n\n附加段落第{k}号。\n", encoding="utf-8")
        witnesses.append(str(path))
    calls: list[int] = []
    real = prepare_module.find_labels

    def counted(seg):  # type: ignore[no-untyped-def]
        calls.append(id(seg))
        return real(seg)

    monkeypatch.setattr(prepare_module, "find_labels", counted)
    monkeypatch.setattr(diff_module, "find_labels", counted)
    base = read_document(str(COUNTY_002))
    result = check(base, witnesses, workers=1)
    assert len(result.witnesses) == 4 and all(w.result is not None and w.result.findings for w in result.witnesses)
    # once for the base (not once per witness), once for each witness: 5 searches, not 8
    assert len(calls) == 5 and len(set(calls)) == 5


def test_a_prepared_document_diffed_twice_gives_the_same_findings() -> None:
    base = prepare(read_document(str(COUNTY_002)))
    witness = prepare(read_document(str(VENDOR_001)))
    first = diff_prepared(base, witness)
    assert base.labelled() is base.labelled()  # cached on the preparation
    again = diff_prepared(base, witness)
    assert [(f.code, f.stream) for f in first.findings] == [(f.code, f.stream) for f in again.findings]
    assert "labelled" not in repr(base)  # the cache is no part of what a preparation shows
