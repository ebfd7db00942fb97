"""jiaokan.words cuts as rjieba does (HMM off): every token of windows cut from the real texts, and of random ones.

rjieba (the ``test`` extra) is the oracle: jiaokan ships jieba's dictionary and reproduces jieba-rs's cut so
that a run need not load rjieba's (docs/perf-start.md).
"""

from __future__ import annotations

import random
from pathlib import Path

import rjieba

from jiaokan.segment import word_bounds, word_tokenizer
from jiaokan.words import dictionary

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted([*(ROOT / "benchmarks" / "realdata").rglob("*.md"), *(ROOT / "samples").glob("*.txt")])


def test_the_real_texts_cut_as_rjieba_cuts_them() -> None:
    words = dictionary()
    windows = differ = 0
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        assert words.cut(text) == rjieba.cut(text, False), path.name
        for i in range(0, len(text), 11):  # the windows widen_to_words cuts: 16-24 characters around a change
            window = text[i:i + 16 + i % 9]
            windows += 1
            differ += words.cut(window) != rjieba.cut(window, False)
    assert windows > 10_000 and differ == 0


def test_random_texts_cut_as_rjieba_cuts_them() -> None:
    sample = "".join(path.read_text(encoding="utf-8") for path in TEXTS[:4])
    alphabet = sorted(set(sample)) + list("ABCxyz0129 .-%#&+\r\n\t\u3000")
    rng = random.Random(19)
    words = dictionary()
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert words.cut(text) == rjieba.cut(text, False), repr(text)


def test_the_tokenizer_of_the_pipeline_is_the_shipped_dictionary() -> None:
    assert word_tokenizer().cut("多层级的治理体系", False) == rjieba.cut("多层级的治理体系", False)
    assert word_bounds("南京市长江大桥") == {0, 3, 7}
