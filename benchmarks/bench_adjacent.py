"""Benchmark: edits that crowd each other, where a character diff goes wrong (run by hand).

    python benchmarks/bench_adjacent.py [--cases 300] [--seed 0]

On the county notice's text of the directive (samples/directive-county-forward-002.txt, normalized):

1. *drop beside an edit*: a paragraph is dropped and a word inserted in the last sentence before it or the
   first sentence after it. Right: exactly one ``paragraph-omission`` of that paragraph plus one insertion of that
   word. Wrong: anything else (the edited sentence borrowing the dropped text's characters, 力强 → 加强 …).
2. *a word beside a character it repeats*: a word inserted at a word boundary (rjieba) where its first character
   is the next one, or its last the previous one (数据 before 数字). Right: one insertion of exactly that word.

Prints the wrong count of each and the first few wrong results. Figures are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import rjieba

from jiaokan import document_from_text, normalize_text
from jiaokan.diff import diff_documents

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("全面", "数字", "加强", "建设", "推进", "政府", "服务", "体系", "能力", "深化", "持续", "进一步", "统筹", "数据")


def body() -> str:
    text = normalize_text((ROOT / "samples" / "directive-county-forward-002.txt").read_text(encoding="utf-8"))
    return text[text.index("国务院关于加强数字政府建设的指导意见"):]


def substantive(base: str, witness: str) -> list[tuple[str, str, str]]:
    result = diff_documents(document_from_text(base, path="base.txt"), document_from_text(witness, path="witness.txt"))
    return [(f.code, f.base_norm, f.witness_norm) for f in result.substantive]


def drop_beside_an_edit(text: str, cases: int, rng: random.Random) -> tuple[int, int, list[str]]:
    paras = text.split("\n\n")
    wrong = tried = 0
    shown: list[str] = []
    while tried < cases:
        k = rng.randrange(2, len(paras) - 3)
        if len(paras[k]) < 10 or len(paras[k + 1]) < 10:
            continue
        word = rng.choice(WORDS[:5])
        if rng.random() < 0.5:  # drop paragraph k, insert in the first sentence of k + 1
            after = paras[k + 1]
            at = rng.randrange(1, max(2, min(len(after.split("。")[0]), 12)))
            edited, dropped = [*paras[:k], after[:at] + word + after[at:], *paras[k + 2:]], paras[k]
        else:  # drop paragraph k + 1, insert near the end of paragraph k
            before = paras[k]
            at = len(before) - 1 - rng.randrange(1, 6)
            edited, dropped = [*paras[:k], before[:at] + word + before[at:], *paras[k + 2:]], paras[k + 1]
        tried += 1
        got = substantive(text, "\n\n".join(edited))
        if sorted(got) != sorted([("paragraph-omission", dropped, ""), ("wording-insertion", "", word)]):
            wrong += 1
            if len(shown) < 5:
                shown.append(f"{word} + {dropped[:16]}…: {[(c, b[:12], w[:12]) for c, b, w in got]}")
    return wrong, tried, shown


def word_beside_its_character(text: str, cases: int, rng: random.Random) -> tuple[int, int, list[str]]:
    bounds, pos = [], 0
    for token in rjieba.cut(text, False):
        pos += len(token)
        bounds.append(pos)
    spots = [(p, w) for p in bounds if 0 < p < len(text) and "\u4e00" <= text[p] <= "\u9fff" and "\u4e00" <= text[p - 1] <= "\u9fff"
             for w in WORDS if w[0] == text[p] or w[-1] == text[p - 1]]
    rng.shuffle(spots)
    wrong = 0
    shown: list[str] = []
    for p, word in spots[:cases]:
        got = substantive(text, text[:p] + word + text[p:])
        if got != [("wording-insertion", "", word)]:
            wrong += 1
            if len(shown) < 5:
                shown.append(f"{text[p - 4:p]}[{word}]{text[p:p + 4]}: {[w for _, _, w in got]}")
    return wrong, min(cases, len(spots)), shown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=300, help="cases of each kind (default 300)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    text = body()
    for name, run in (("drop beside an edit", drop_beside_an_edit), ("a word beside a character it repeats", word_beside_its_character)):
        wrong, tried, shown = run(text, args.cases, random.Random(args.seed))
        print(f"{name}: {wrong} of {tried} wrong")
        for line in shown:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
