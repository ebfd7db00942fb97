"""Invariants of the diff, as hypothesis properties over generated Chinese official text and edits.

The texts are built from the directive's own sentences (so alignment meets real wording); the edits are word
substitutions, insertions and deletions, sentence deletions, and reprint noise on the witness (traditional
script, half-width punctuation, spaces) that must stay cosmetic.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

import opencc
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jiaokan import document_from_text, normalize_text, serialize
from jiaokan.diff import DiffResult, diff_documents
from jiaokan.render_html import review_html
from jiaokan.review import build_review

from .conftest import COUNTY_002

_SENTENCES = list(re.findall(r"[^。\n]{12,80}。", normalize_text(COUNTY_002.read_text(encoding="utf-8"))))[:120]
_WORDS = ["数字", "政府", "建设", "推进", "加强", "完善", "体系", "能力", "全面", "提升", "服务", "数据", "安全", "机制", "创新"]
_T2S = opencc.OpenCC("s2t.json")


@st.composite
def documents(draw: st.DrawFn) -> str:
    picks = draw(st.lists(st.sampled_from(_SENTENCES), min_size=3, max_size=10, unique=True))
    sizes = draw(st.lists(st.integers(1, 3), min_size=len(picks), max_size=len(picks)))
    paragraphs, k = [], 0
    for size in sizes:
        if k < len(picks):
            paragraphs.append("".join(picks[k:k + size]))
            k += size
    return "\n\n".join(p for p in paragraphs if p) + "\n"


@st.composite
def edited(draw: st.DrawFn, kinds: tuple[str, ...] = ("substitute", "insert", "delete", "drop-sentence")) -> tuple[str, str]:
    """A base and a witness: a few edits inside the body, then noise the normalization removes.

    The first and last sentences stay: what only one copy has before or after the shared text is that
    copy's wrapper (a forwarding header, a footer), framing by design, not an addition.
    """
    base = draw(documents())
    witness = base
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(kinds))
        sentences = re.findall(r"[^。\n]+。", witness)[1:-1]
        if not sentences:
            break
        target = draw(st.sampled_from(sentences))
        if kind == "drop-sentence" and len(sentences) > 1:
            witness = witness.replace(target, "", 1)
            continue
        words = [w for w in _WORDS if w in target]
        if kind == "insert":
            at = draw(st.integers(1, len(target) - 2))
            changed = target[:at] + draw(st.sampled_from(_WORDS)) + target[at:]
        elif words:
            word = draw(st.sampled_from(words))
            changed = target.replace(word, draw(st.sampled_from([w for w in _WORDS if w != word])) if kind == "substitute" else "", 1)
        else:
            continue
        witness = witness.replace(target, changed, 1)
    if draw(st.booleans()):
        witness = _T2S.convert(witness)
    if draw(st.booleans()):
        witness = witness.replace("，", ",").replace("；", ";").replace("：", ":")
    return base, witness


def diff(base: str, witness: str) -> DiffResult:
    return diff_documents(document_from_text(base, path="base.txt"), document_from_text(witness, path="witness.txt"))


SETTINGS = settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(documents())
def test_a_text_against_itself_has_no_findings(text: str) -> None:
    assert diff(text, text).findings == []


_SWAP = {
    "wording-insertion": "wording-deletion", "wording-deletion": "wording-insertion",
    "sentence-addition": "sentence-omission", "sentence-omission": "sentence-addition",
    "paragraph-addition": "paragraph-omission", "paragraph-omission": "paragraph-addition",
}


@SETTINGS
@given(edited())
def test_swapping_base_and_witness_swaps_insertions_and_deletions(pair: tuple[str, str]) -> None:
    """Word edits and whole sentences dropped: an omission one way is the same addition the other way."""
    base, witness = pair
    witness = normalize_text(witness)  # the same text both ways round, noise aside
    there = diff(base, witness)
    back = diff(witness, base)
    forward = Counter((_SWAP.get(f.code, f.code), f.witness_norm, f.base_norm) for f in there.substantive)
    backward = Counter((f.code, f.base_norm, f.witness_norm) for f in back.substantive)
    assert forward == backward


def _stream_offset(result: DiffResult, side: str, original: int) -> int:
    seg = result.base_seg if side == "base" else result.witness_seg
    assert seg is not None
    return bisect.bisect_left(seg.original_starts(), original)


@SETTINGS
@given(edited())
def test_findings_point_at_the_original_and_rebuild_the_witness(pair: tuple[str, str]) -> None:
    base, witness = pair
    result = diff(base, witness)
    a, b, alignment = result.base_seg, result.witness_seg, result.alignment
    assert a is not None and b is not None and alignment is not None
    assert all(a.stream[o.a1:o.a2] == b.stream[o.b1:o.b2] for o in alignment.ops if o.tag == "equal")
    assume(not any(f.code.endswith("-move") for f in result.findings))
    places = [p for f in result.findings for p in f.places()]  # a group's or a renumbering's places, each change once
    for f in places:
        for span, text, norm in ((f.base, base, f.base_norm), (f.witness, witness, f.witness_norm)):
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start:span.end] == span.text
            if f.severity != "cosmetic" and span.text.strip():  # the original there normalizes to what was compared
                assert "".join(normalize_text(span.text).split()) == "".join(norm.split()) or not norm
    # applying the findings that compared different text (substantive and framing ones, and the readings judged
    # between the two copies: a regional variant, a change of spacing alone) to the base's stream gives the witness's
    assert result.base_seg is not None and result.witness_seg is not None
    edits = sorted(
        ((_stream_offset(result, "base", f.base.start), _stream_offset(result, "witness", f.witness.start), f)
         for f in places if f.base_norm != f.witness_norm),
        key=lambda e: (e[0], e[1]),
    )
    stream, out, pos = result.base_seg.stream, [], 0
    for a1, _, f in edits:
        out.append(stream[pos:a1])
        out.append(f.witness_norm)
        pos = a1 + len(f.base_norm)
    out.append(stream[pos:])
    assert "".join(out) == result.witness_seg.stream


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_same_inputs_give_the_same_bytes(pair: tuple[str, str]) -> None:
    from jiaokan import render

    base, witness = pair
    one, two = diff(base, witness), diff(base, witness)
    assert serialize.to_json(serialize.data(one, include_cosmetic=True)) == serialize.to_json(serialize.data(two, include_cosmetic=True))
    assert render.diff_text(one, include_cosmetic=True) == render.diff_text(two, include_cosmetic=True)
    assert review_html(build_review(one.base, [one])) == review_html(build_review(two.base, [two]))
