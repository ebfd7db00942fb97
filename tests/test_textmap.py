"""The offset map kept compact (issue 19): arrays of machine ints, marks and edits as columns, and every offset
still pointing at the original text — checked against a plain list-of-ints model of the same builder."""

from __future__ import annotations

import re
import sys
from array import array
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from jiaokan import document_from_text, normalize
from jiaokan.findings import Code
from jiaokan.labels import find_labels
from jiaokan.normalize import EditLog
from jiaokan.segment import ParagraphIndex, segment
from jiaokan.textmap import Builder, MappedText, Mark, MarkLog, substitute, translate

from .conftest import COUNTY_002, VENDOR_001

# --------------------------------------------------------------------------- structure: never Python lists again


def test_the_map_the_stream_and_the_marks_are_arrays_of_four_byte_ints() -> None:
    norm = normalize(document_from_text(VENDOR_001.read_text(encoding="utf-8")))
    mapped = norm.mapped
    for seq in (mapped.starts, mapped.ends):
        assert isinstance(seq, array) and seq.itemsize == 4
        # the whole map: 4 bytes a character (and an array's small header), not 36 for a Python int and its pointer
        assert sys.getsizeof(seq) < 4 * len(mapped.text) + 4096
    assert isinstance(mapped.marks, MarkLog) and len(mapped.marks) > 1000  # a traditional reprint: many marks
    for chunk in mapped.marks.chunks:
        assert isinstance(chunk.starts, array) and isinstance(chunk.ends, array) and isinstance(chunk.codes, bytes)
    seg = segment(norm)
    assert isinstance(seg.positions, array) and seg.positions.itemsize == 4
    assert isinstance(seg.para_of, ParagraphIndex) and sys.getsizeof(seg.para_of) < 200  # not 4 bytes a character
    assert [seg.para_of[k] for k in range(len(seg.stream))] == [p.index for p in seg.paragraphs for _ in range(p.start, p.end)]
    log = norm.edit_log()
    assert isinstance(log, EditLog) and isinstance(log.norm_starts, array) and isinstance(log.mark, array)


# --------------------------------------------------------------------------- a reference model: lists and objects


@dataclass
class _Model:
    """The builder as it was before arrays: Python lists, one Mark object per change (the semantics to keep)."""

    src_text: str
    src_starts: list[int]
    src_ends: list[int]
    parts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    pos: int = 0

    def add(self, mark: Mark) -> None:
        if self.marks:
            last = self.marks[-1]
            if last.code == mark.code and last.end == mark.start and last.start < mark.start and not (last.whole or mark.whole):
                self.marks[-1] = Mark(last.start, mark.end, last.code, last.new + mark.new)
                return
        self.marks.append(mark)

    def keep_to(self, j: int) -> None:
        if j > self.pos:
            self.parts.append(self.src_text[self.pos:j])
            self.starts += self.src_starts[self.pos:j]
            self.ends += self.src_ends[self.pos:j]
        self.pos = max(self.pos, j)

    def replace(self, i: int, j: int, new: str, code: Code, atomic: bool) -> None:
        self.keep_to(i)
        if i < j:
            s, e = self.src_starts[i], self.src_ends[j - 1]
        else:
            pos = self.ends[-1] if self.ends else (self.src_starts[i] if i < len(self.src_text) else (self.src_ends[-1] if self.src_text else 0))
            s = e = pos
        if new and j - i == len(new) and not atomic:
            self.starts += self.src_starts[i:j]
            self.ends += self.src_ends[i:j]
            self.parts.append(new)
            for t in range(i, j):
                if new[t - i] != self.src_text[t]:
                    self.add(Mark(self.src_starts[t], self.src_ends[t], code, new[t - i]))
        else:
            self.starts += [s] * len(new)
            self.ends += [e] * len(new)
            self.parts.append(new)
            if new != self.src_text[i:j]:
                self.add(Mark(s, e, code, new, whole=True))
        self.pos = max(self.pos, j)


_ALPHABET = "国务院關於加強數字政府建設，。 \n２０"


@st.composite
def _edits(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str, bool, Code]]]:
    """An original text and non-overlapping replacements in order: insertions (also at either end), deletions
    (also of the whole text), one-for-one changes and expansions (one character to several, several to one)."""
    text = draw(st.text(alphabet=_ALPHABET, max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    ops: list[tuple[int, int, str, bool, Code]] = []
    for i, j in zip(cuts[::2], cuts[1::2], strict=False):
        new = draw(st.text(alphabet="一二三abc", max_size=4))
        ops.append((i, j, new, draw(st.booleans()), draw(st.sampled_from([Code.WIDTH, Code.SCRIPT]))))
    if draw(st.booleans()):
        ops.append((len(text), len(text), draw(st.text(alphabet="末尾", min_size=1, max_size=3)), True, Code.WHITESPACE))  # at the end
    return text, ops


@settings(max_examples=300, deadline=None)
@given(_edits(), st.booleans())
def test_builder_keeps_the_offsets_of_the_list_model(case: tuple[str, list[tuple[int, int, str, bool, Code]]], twice: bool) -> None:
    text, ops = case
    mt = MappedText.identity(text)
    model_src = (list(range(len(text))), list(range(1, len(text) + 1)))
    if twice:  # a second stage over the first one's output: the map composed, the marks appended
        mt = substitute(mt, re.compile("字"), lambda m: "", code=Code.INVISIBLE)
        first = _Model(text, *model_src)
        for m in re.finditer("字", text):
            first.replace(m.start(), m.end(), "", Code.INVISIBLE, False)
        first.keep_to(len(text))
        if first.marks:
            model_src = (first.starts, first.ends)
            text = "".join(first.parts)
        before = list(first.marks)
        ops = [(min(i, len(text)), min(j, len(text)), new, atomic, code) for i, j, new, atomic, code in ops]
    else:
        before = []
    b = Builder(mt, Code.PUNCTUATION)
    model = _Model(text, *model_src)
    for i, j, new, atomic, code in ops:
        if i < model.pos:
            continue
        b.replace(i, j, new, atomic=atomic, code=code)
        model.replace(i, j, new, code, atomic)
    out = b.build()
    model.keep_to(len(text))
    if model.marks:
        assert out.text == "".join(model.parts)
        assert list(out.starts) == model.starts and list(out.ends) == model.ends
    else:
        assert out is b.src  # nothing changed: the source itself, nothing copied
    assert list(out.marks) == before + model.marks
    assert [out.marks[k] for k in range(len(out.marks))] == list(out.marks)
    # every offset lies in the original and the map is monotone
    n = len(case[0])
    assert all(0 <= s <= e <= n for s, e in zip(out.starts, out.ends, strict=True))
    assert all(out.starts[k - 1] <= out.starts[k] and out.ends[k - 1] <= out.ends[k] for k in range(1, len(out.text)))


def test_spans_at_the_ends_insertions_and_deletions_point_into_the_original() -> None:
    original = "　國務院，加強建設"
    mt = MappedText.identity(original)
    b = Builder(mt, Code.WHITESPACE)
    b.replace(0, 1, "")  # deleted at the start
    b.replace(3, 4, "<<,>>", atomic=True)  # one character expanded to five
    b.replace(9, 9, "。")  # inserted at the end
    out = b.build()
    assert out.text == "國務<<,>>，加強建設。"
    assert out.span(0, 1) == (1, 2)  # 國 is still at offset 1 of the original
    assert out.span(2, 7) == (3, 4)  # all five of the expansion map to the one character they replaced
    assert out.span(len(out.text) - 1, len(out.text)) == (9, 9)  # the insertion: an empty span at the end
    assert out.span(0, 0) == (1, 1)
    assert [(m.start, m.end, m.new, m.whole) for m in out.marks] == [(0, 1, "", True), (3, 4, "<<,>>", True), (9, 9, "。", True)]


def test_mark_log_concatenates_and_indexes_across_rules() -> None:
    mt = translate(MappedText.identity("ＡＢ國ｃ"), {0xFF21: "A", 0xFF22: "B", 0xFF43: "c"}, code=Code.WIDTH)
    mt = substitute(mt, re.compile("國"), lambda m: "国", code=Code.SCRIPT)
    marks = list(mt.marks)
    assert marks == [Mark(0, 2, Code.WIDTH, "AB"), Mark(3, 4, Code.WIDTH, "c"), Mark(2, 3, Code.SCRIPT, "国")]
    assert mt.marks[-1] == marks[-1] and list(mt.marks[1:]) == marks[1:]
    assert [mt.marks.new_text(k) for k in range(3)] == ["AB", "c", "国"]
    starts, ends, codes = mt.marks.columns()
    assert list(starts) == [0, 3, 2] and list(ends) == [2, 4, 3] and len(codes) == 3


# --------------------------------------------------------------------------- through the rules


def test_a_phrase_converted_whole_maps_to_its_whole_span_at_either_end() -> None:
    # 復甦 converts as a phrase (甦 alone stays): at the start and at the very end of the text
    for text in ("復甦經濟", "經濟復甦"):
        norm = normalize(document_from_text(text), rules="script")
        at = norm.text.index("复苏")
        s, e = norm.original_span(at, at + 2)
        assert text[s:e] == "復甦"
        assert norm.original_span(at, at + 1) == (s, e)  # each character of the phrase: the whole piece
        other = 0 if at else 3
        assert text[slice(*norm.original_span(other, other + 1))] == text[other]  # the rest one for one


def test_edits_of_a_range_are_the_edits_of_the_whole_that_reach_it() -> None:
    norm = normalize(document_from_text(VENDOR_001.read_text(encoding="utf-8")))
    every = norm.edits()
    assert len(every) == len(norm.edit_log()) > 1000
    assert all(every[k - 1].norm_start <= every[k].norm_start for k in range(1, len(every)))
    for i, j in ((0, 50), (400, 420), (len(norm.text) - 30, len(norm.text))):
        want = [ed for ed in every if (ed.norm_start < j and ed.norm_end > i) or (ed.norm_start == ed.norm_end and i < ed.norm_start < j)]
        assert norm.edits(i, j) == want
    for ed in every[:200]:
        assert ed.original == norm.document.text[ed.start:ed.end] and ed.normalized == norm.text[ed.norm_start:ed.norm_end]


def test_stream_offsets_and_masked_positions_go_back_to_the_same_places() -> None:
    text = COUNTY_002.read_text(encoding="utf-8") + "\n\n第十条　国家建立制度。\n\n第十一条　依照本条例第十条的规定，第112条另行规定。\n"
    norm = normalize(document_from_text(text))
    seg = segment(norm)
    starts = norm.mapped.starts
    assert list(seg.original_starts()) == [starts[p] for p in seg.positions]
    labelled = find_labels(seg)
    masked = labelled.masked
    assert len(masked.stream) < len(seg.stream)  # numbers were masked
    # each masked character goes back through the real stream to the original (no map of its own)
    back = [starts[seg.positions[labelled.real(m)]] for m in range(len(masked.stream))]
    assert back == sorted(back) and len(back) == len(masked.stream)
    assert [labelled.real(m) for m in labelled.masks] == [lb.num_start for lb in labelled.labels]
    for p in masked.paragraphs:
        assert masked.stream[p.start:p.end] == p.text


def test_a_run_of_converted_characters_is_one_mark_only_where_its_original_is_one_run() -> None:
    # 國務 side by side in the original: one mark; with a reading taken out between them: two, each at its own span
    for text, want in (("國務院", [(0, 2, "国务")]), ("國(guó)務院", [(0, 1, "国"), (6, 7, "务")]), ("中國", [(1, 2, "国")])):
        norm = normalize(document_from_text(text), rules="ruby,script")
        assert [(m.start, m.end, m.new) for m in norm.mapped.marks if m.code == Code.SCRIPT] == want
