"""What is a number in Chinese official text, judged in its context.

A change is a ``number-change`` only when the changed text is a number: digits,
a Chinese numeral in a label (第十二条, 一、, （三）) or before a unit (三年, 一万元,
五个), a date, or a numeral of several characters (十四五, 二〇二二).  A word that
merely contains a numeral character — 统一, 进一步, 唯一, 一体化, 万一, 十分 — is
wording: 坚持中国共产党领导 → 坚持党中央集中统一领导 is not a number change.  Fractions and percentages
(三分之一, 百分之五) are numbers.
"""

from __future__ import annotations

from rapidfuzz.distance import Indel

from jiaokan.normalize import han_number
from jiaokan.patterns import compiled

_RUN = compiled(r"\d+(?:\.\d+)?|[〇○零一二三四五六七八九十百千万亿两]+")
# Units, measure words and label words a number stands before (年 月 日, 元, 个 件 次, 条 款 项…).
UNITS = frozenset("年月日号时分秒周天岁届期次轮批类种级层个件项人名位户家所座台辆元角倍条款章节编目篇部分米吨亩度")
# Numeral + unit pairs that are words: 十分重要 (very), 万分感谢, 一时 (for a moment).
_WORDS = frozenset({"十分", "万分", "一时", "一度", "一番", "一道", "一同", "一并", "一概", "一贯", "一直", "一向"})
_DIGIT_FIRST = frozenset("〇○零一二三四五六七八九两十")
_LABEL_BEFORE = frozenset(("", "\n", "（", "(", "。", "；", "：", "！", "？"))
_LABEL_AFTER = frozenset("、）)是")


def numbers(text: str, lo: int, hi: int) -> list[str]:
    """The numbers that overlap ``text[lo:hi]``, each as its value (二〇二二 and 2022 are both "2022")."""
    w0 = max(0, lo - 12)
    out = []
    for m in _RUN.finditer(text, w0, min(len(text), hi + 12)):
        if (m.end() <= lo or m.start() >= hi) if hi > lo else not m.start() < lo < m.end():
            continue
        value = _value(text, m.start(), m.end())
        if value is not None:
            out.append(value)
    return out


def _value(text: str, s: int, e: int) -> str | None:
    run = text[s:e]
    if run[0].isdigit():
        return run
    before = text[s - 1] if s else ""
    after = text[e] if e < len(text) else ""
    n = han_number(run)
    value = str(n) if n is not None else run
    if before == "第":
        return value  # 第十二条, 第一
    if before == "之" and s >= 2 and text[s - 2] == "分":
        return value  # 三分之一, 百分之五 (the part after 分之; the whole before it is a number too, below)
    if after == "分" and text[e:e + 2] == "分之":
        return value  # 三分之一, 百分之五 (百 alone is a number here)
    if after in UNITS and run + after not in _WORDS:
        return value  # 三年, 一万元, 五个
    if before in _LABEL_BEFORE and after in _LABEL_AFTER:
        return value  # 一、 （三） 一是 (a stream runs paragraphs together: a label follows the end of a sentence)
    if len(run) >= 2 and run[0] in _DIGIT_FIRST and len(set(run)) > 1:
        return value  # 二〇二二, 三十, and numeral codes that are no number: 十四五 (its text is its value)
    return None


WORDING_AROUND = 2  # characters of other wording a number change may also change (以上 → 以下 beside the number)


def is_number_change(old_text: str, a1: int, a2: int, new_text: str, b1: int, b2: int) -> bool:
    """Do the numbers of ``old_text[a1:a2]`` and ``new_text[b1:b2]`` differ (judged in their streams), and is that
    what changed?  A rewritten clause that also has other numbers in it is a wording change."""
    old, new = numbers(old_text, a1, a2), numbers(new_text, b1, b2)
    if old == new or not (old or new):
        return False
    rest_old, rest_new = _RUN.sub("", old_text[a1:a2]), _RUN.sub("", new_text[b1:b2])
    return Indel.distance(rest_old, rest_new) <= WORDING_AROUND
