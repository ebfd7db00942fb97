"""The rules' faster passes (issue 19, round 3) find exactly what the plain ones did: the ruby pattern's matches
found from the annotations (the batched replacements: tests/test_textmap.py's model of the builder)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jiaokan import document_from_text, normalize
from jiaokan.normalize import RUBY, ruby_matches

# Han characters (one unassigned in the CJK block: not a word character), gap characters, pinyin, brackets, lines
_RUBY_ALPHABET = "國的和\ufa6e ★、)）(（guóde1\n"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_RUBY_ALPHABET, max_size=40))
def test_ruby_matches_are_the_patterns_matches(text: str) -> None:
    expected = [(m.start(1), m.start(3), m.end(3)) for m in RUBY.finditer(text)]
    assert list(ruby_matches(text)) == expected


def test_ruby_is_removed_after_a_gap_and_kept_after_a_word() -> None:
    assert normalize(document_from_text("中國 (guó)人民")).text == "中国人民"
    assert normalize(document_from_text("中國x(guó)人民")).text == "中国x（guó）人民"
