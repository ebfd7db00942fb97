"""Synthetic reprints for the accuracy benchmark (issue 3, item 7): edits + noise.

From a clean BASE text (one paragraph per line) build a WITNESS the way reprints
drift: a few TRUE substantive edits (near-synonym swaps, typos, dropped and
inserted words, changed numbers, omitted sentences and paragraphs, a moved
paragraph), then reprint NOISE that must not count as substantive (traditional
script and pinyin ruby, page breaks with running headers, HTML wrapping,
half-width punctuation, numeral forms, junk symbols, Taiwan vocabulary,
spaces).  Every expected edit is located as ``[start, end)`` code points in the
BASE text, which stays clean, so the noise needs no bookkeeping.

Deterministic: everything derives from ``random.Random(seed)`` with a string
seed (Python seeds strings through SHA-512, independent of PYTHONHASHSEED).

    python benchmarks/accuracy/generate.py benchmarks/accuracy/corpus/02-gov-new-media-opinion.txt \
        --noise all --seed 3 [--no-edits] [--out-dir /tmp/witness]

prints the expected edits as JSON (and writes base/witness files with --out-dir).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

NOISE_KINDS = ("script-ruby", "pages", "html", "punct", "numerals", "junk", "taiwan", "spaces")
EDIT_KINDS = ("substitution", "typo", "drop", "insert", "number", "sentence-omission", "paragraph-omission", "move")
EDIT_WEIGHTS = {
    "substitution": 3.0,
    "typo": 1.0,
    "drop": 1.5,
    "insert": 1.5,
    "number": 1.5,
    "sentence-omission": 1.0,
    "paragraph-omission": 0.7,
    "move": 0.5,
}
EDIT_CAPS = {"move": 1, "paragraph-omission": 2, "sentence-omission": 2}
MIN_GAP = 6  # characters of untouched base text between two edits

# Near-synonyms reprints swap (履职能力提升 → 建设, 多层级 → 多层次 ...), both ways.
SYNONYM_PAIRS = (
    ("提升", "建设"), ("层级", "层次"), ("推进", "推动"), ("完善", "健全"), ("加强", "强化"),
    ("建立", "建设"), ("机制", "体制"), ("积极", "大力"), ("重要", "主要"), ("提高", "提升"),
    ("促进", "推动"), ("深化", "深入"),
)
SYNONYMS: dict[str, tuple[str, ...]] = {}
for _a, _b in SYNONYM_PAIRS:
    SYNONYMS[_a] = (*SYNONYMS.get(_a, ()), _b)
    SYNONYMS[_b] = (*SYNONYMS.get(_b, ()), _a)

TYPOS = {"的": ("地", "得"), "地": ("的",), "在": ("再",), "再": ("在",)}

# Modifiers a reprint drops (有关职能部门 → 有关部门, 重要支撑作用 → 重要作用) ...
DROPPABLE = ("进一步", "切实", "全面", "积极", "认真", "大力", "不断", "深入", "有效", "充分", "严格", "加快",
             "着力", "统筹", "持续", "职能", "支撑")
# ... or adds: word -> modifiers that may be put in front of it (prefix, if given, must precede it).
INSERTABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "推进": ("", ("全面", "加快", "深入", "积极")),
    "加强": ("", ("切实", "进一步", "全面")),
    "落实": ("", ("认真", "切实")),
    "推动": ("", ("大力", "积极")),
    "提升": ("", ("有效", "全面", "不断")),
    "完善": ("", ("进一步", "不断")),
    "开展": ("", ("积极", "深入")),
    "发挥": ("", ("充分",)),
    "建立": ("", ("加快",)),
    "作用": ("重要", ("支撑",)),
    "部门": ("有关", ("职能",)),
}
PLAN_NAMES = {"十四五": "十三五", "十三五": "十二五", "十二五": "十一五", "十一五": "十五", "十五": "十一五", "九五": "十五"}
CONGRESS = {"十八大": "十九大", "十九大": "十八大", "二十大": "十九大"}

_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_DIGITS = re.compile(r"(?<![A-Za-z0-9０-９.])[0-9]+(?![A-Za-z0-9０-９])")


def is_han(ch: str) -> bool:
    return bool(ch) and _HAN.match(ch) is not None



def deletion_range(text: str, s: int, e: int) -> tuple[int, int]:
    """Every place deleting ``text[s:e]`` could equally be put: 一步 from 进一步一步 at either 一步."""
    lo_s, lo_e = s, e
    while lo_s > 0 and text[lo_s - 1] == text[lo_e - 1]:
        lo_s, lo_e = lo_s - 1, lo_e - 1
    hi_s, hi_e = s, e
    while hi_e < len(text) and text[hi_s] == text[hi_e]:
        hi_s, hi_e = hi_s + 1, hi_e + 1
    return lo_s, hi_e


def insertion_range(text: str, p: int, w: str) -> tuple[int, int]:
    """Every place inserting ``w`` at ``p`` could equally be put: 的 before 的, or after it."""
    lo, word = p, w
    while lo > 0 and text[lo - 1] == word[-1]:
        word = word[-1] + word[:-1]
        lo -= 1
    hi, word = p, w
    while hi < len(text) and text[hi] == word[0]:
        word = word[1:] + word[0]
        hi += 1
    return lo, hi

@dataclass(frozen=True)
class ExpectedEdit:
    """One true substantive change, located in BASE code points."""

    kind: str
    start: int
    end: int  # exclusive; start == end for a pure insertion
    base_text: str
    witness_text: str
    lo: int  # every equivalent placement of the change lies in [lo, hi]
    hi: int
    dest: int | None = None  # a move: the base offset the paragraph now stands before

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Witness:
    text: str
    format: str  # "text" or "html"
    edits: list[ExpectedEdit]
    noise: str
    seed: str
    clean: str  # the edited text before noise


def load_text(path: str | Path) -> tuple[str, str]:
    """A corpus file's text (``#`` header lines dropped) and its source line."""
    raw = Path(path).read_text(encoding="utf-8")
    lines = raw.split("\n")
    source = " ".join(line.lstrip("# ").strip() for line in lines if line.startswith("#"))
    body = "\n".join(line for line in lines if not line.startswith("#")).strip("\n")
    return body, source


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


# --------------------------------------------------------------------------
# edits


@dataclass
class _Op:
    start: int
    end: int
    new: str
    order: int = 0  # among insertions at one offset


class _Planner:
    def __init__(self, base: str, rng: random.Random, *, crowded: bool = False) -> None:
        self.base = base
        self.rng = rng
        self.crowded = crowded  # word and sentence edits may touch the paragraphs beside an omitted or moved one
        self.dropped: set[int] = set()  # paragraphs that lost a sentence, or were omitted or moved
        self.paras = paragraph_spans(base)
        self.reserved: list[tuple[int, int]] = []
        self.para_level: set[int] = set()  # paragraph indexes touched by paragraph-level edits
        self.touched: set[int] = set()  # paragraph indexes touched by any edit
        self.ops: list[_Op] = []
        self.edits: list[ExpectedEdit] = []

    def para_of(self, pos: int) -> int:
        for k, (a, b) in enumerate(self.paras):
            if a <= pos <= b:
                return k
        return len(self.paras) - 1

    def free(self, lo: int, hi: int) -> bool:
        a, b = lo - MIN_GAP, hi + MIN_GAP
        return all(b <= r0 or a >= r1 for r0, r1 in self.reserved)

    def near_para_level(self, k: int) -> bool:
        if self.crowded:
            return k in self.para_level
        return any(abs(k - j) <= 1 for j in self.para_level)

    def word_ok(self, s: int, e: int) -> bool:
        return self.free(s, e) and not self.near_para_level(self.para_of(s))

    def add(self, edit: ExpectedEdit, ops: list[_Op], paras: set[int], para_level: bool) -> None:
        self.edits.append(edit)
        self.ops.extend(ops)
        self.reserved.append((edit.lo, edit.hi))
        if edit.dest is not None:
            self.reserved.append((edit.dest, edit.dest))
        if edit.kind in ("sentence-omission", "paragraph-omission", "move"):
            self.dropped |= paras
        self.touched |= paras
        if para_level:
            self.para_level |= paras

    # -- helpers for equivalent placements (a deletion of "一步" beside another "一步")
    def deletion_range(self, s: int, e: int) -> tuple[int, int]:
        return deletion_range(self.base, s, e)

    def insertion_range(self, p: int, w: str) -> tuple[int, int]:
        return insertion_range(self.base, p, w)

    def occurrences(self, words) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
        out = []
        for w in words:
            for m in re.finditer(re.escape(w), self.base):
                out.append((m.start(), w))
        return out

    def shuffled(self, cands: list) -> list:  # type: ignore[type-arg]
        """Candidates (position first) in random order; crowded, those in or beside a paragraph that lost text first."""
        self.rng.shuffle(cands)
        if not self.crowded or not self.dropped:
            return cands
        return sorted(cands, key=lambda c: min(abs(self.para_of(c[0]) - k) for k in self.dropped) > 1)

    # -- one candidate of each kind; None when nothing fits
    def substitution(self) -> bool:
        occ = self.shuffled(self.occurrences(SYNONYMS))
        for s, w in occ:
            e = s + len(w)
            if self.word_ok(s, e):
                new = self.rng.choice(SYNONYMS[w])
                self.add(ExpectedEdit("substitution", s, e, w, new, s, e), [_Op(s, e, new)], {self.para_of(s)}, False)
                return True
        return False

    def typo(self) -> bool:
        occ = self.shuffled(self.occurrences(TYPOS))
        for s, w in occ:
            e = s + 1
            if self.word_ok(s, e) and is_han(self.base[s - 1:s]):
                new = self.rng.choice(TYPOS[w])
                self.add(ExpectedEdit("typo", s, e, w, new, s, e), [_Op(s, e, new)], {self.para_of(s)}, False)
                return True
        return False

    def drop(self) -> bool:
        occ = self.shuffled(self.occurrences(DROPPABLE))
        b = self.base
        for s, w in occ:
            e = s + len(w)
            if not (is_han(b[e:e + 1]) and (is_han(b[s - 1:s]) or b[s - 1:s] in "，、；：。（")):
                continue
            lo, hi = self.deletion_range(s, e)
            if self.word_ok(lo, hi):
                self.add(ExpectedEdit("drop", s, e, w, "", lo, hi), [_Op(s, e, "")], {self.para_of(s)}, False)
                return True
        return False

    def insert(self) -> bool:
        occ = self.shuffled(self.occurrences(INSERTABLE))
        b = self.base
        for p, w in occ:
            prefix, mods = INSERTABLE[w]
            if prefix and b[p - len(prefix):p] != prefix:
                continue
            mod = self.rng.choice(mods)
            if b[max(0, p - len(mod)):p] == mod or b[max(0, p - 4):p].endswith(tuple(mods)):
                continue
            lo, hi = self.insertion_range(p, mod)
            if self.word_ok(lo, hi):
                self.add(ExpectedEdit("insert", p, p, "", mod, lo, hi), [_Op(p, p, mod)], {self.para_of(p)}, False)
                return True
        return False

    def number(self) -> bool:
        b = self.base
        cands: list[tuple[int, int, str]] = []
        for m in _DIGITS.finditer(b):
            cands.append((m.start(), m.end(), "digits"))
        for names in (PLAN_NAMES, CONGRESS):
            for s, w in self.occurrences(names):
                if names is PLAN_NAMES and not (b[s - 1:s] == "“" and b[s + len(w):s + len(w) + 1] == "”"):
                    continue
                cands.append((s, s + len(w), w))
        for s, e, what in self.shuffled(cands):
            if not self.word_ok(s, e):
                continue
            old = b[s:e]
            if what == "digits":
                n = int(old)
                if len(old) == 4 and 1900 <= n <= 2099:
                    new = str(n + self.rng.choice((-1, 1)))
                else:
                    new = str(self.rng.choice((n + 1, n * 2 if n > 1 else n + 2, max(n - 1, 0) if n > 1 else n + 3)))
                if new == old:
                    new = str(n + 1)
            else:
                new = (PLAN_NAMES | CONGRESS)[what]
            self.add(ExpectedEdit("number", s, e, old, new, s, e), [_Op(s, e, new)], {self.para_of(s)}, False)
            return True
        return False

    def sentence_omission(self) -> bool:
        b = self.base
        order = list(range(1, len(self.paras)))
        self.rng.shuffle(order)
        for k in order:
            a, z = self.paras[k]
            sents = [(a + m.start(), a + m.end()) for m in re.finditer(r"[^。]*。", b[a:z])]
            if len(sents) < 2:
                continue
            s, e = self.rng.choice(sents)
            if e - s < 10 or (s, e) == (a, z) or not self.free(s, e) or self.near_para_level(k):
                continue
            lo, hi = self.deletion_range(s, e)
            self.add(ExpectedEdit("sentence-omission", s, e, b[s:e], "", lo, hi), [_Op(s, e, "")], {k}, False)
            return True
        return False

    def _para_delete_op(self, k: int) -> _Op:
        a, z = self.paras[k]
        if z < len(self.base):
            return _Op(a, z + 1, "")
        return _Op(a - 1, z, "")

    def paragraph_omission(self) -> bool:
        order = list(range(1, len(self.paras)))
        self.rng.shuffle(order)
        for k in order:
            a, z = self.paras[k]
            if z - a < 8 or not self.free(a, z) or k in self.touched or self.near_para_level(k):
                continue
            op = self._para_delete_op(k)
            lo, hi = self.deletion_range(op.start, op.end)
            self.add(ExpectedEdit("paragraph-omission", a, z, self.base[a:z], "", min(lo, a), max(hi, z)), [op], {k}, True)
            return True
        return False

    def move(self) -> bool:
        n = len(self.paras)
        order = list(range(2, n))
        self.rng.shuffle(order)
        for k in order:
            a, z = self.paras[k]
            size = z - a
            if size < 20 or not self.free(a, z) or k in self.touched or self.near_para_level(k):
                continue
            dests = [j for j in range(2, n + 1) if abs(j - k) >= 3 and j != k + 1]
            self.rng.shuffle(dests)
            for j in dests:
                # the paragraphs jumped over must outweigh the moved one, or the
                # natural reading is that THEY moved
                lo_k, hi_k = (j, k) if j < k else (k + 1, j)
                jumped = sum(self.paras[i][1] - self.paras[i][0] for i in range(lo_k, hi_k))
                if jumped <= 2 * size:
                    continue
                if any(abs(j - p) <= 1 or abs(j - 1 - p) <= 1 for p in self.para_level):
                    continue
                dest = self.paras[j][0] if j < n else len(self.base)
                if not self.free(dest, dest):
                    continue
                text = self.base[a:z]
                ins = _Op(dest, dest, text + "\n", order=1) if j < n else _Op(dest, dest, "\n" + text, order=1)
                self.add(ExpectedEdit("move", a, z, text, text, a, z, dest=dest), [self._para_delete_op(k), ins], {k, min(j, n - 1)}, True)
                return True
        return False


def make_edits(base: str, rng: random.Random, count: int | None = None, *, crowded: bool = False) -> tuple[str, list[ExpectedEdit]]:
    """Apply 3-8 (or ``count``) true edits to ``base``; return the new text and the edits.

    ``crowded``: edits may sit in the paragraphs right beside an omitted or moved paragraph (by default they keep
    one paragraph away), the hardest case for an alignment: one gap holds a dropped passage and an edit.
    """
    want = count if count is not None else rng.randint(3, 8)
    plan = _Planner(base, rng, crowded=crowded)
    kinds = list(EDIT_WEIGHTS)
    weights = [EDIT_WEIGHTS[k] for k in kinds]
    used: dict[str, int] = {}
    attempts = 0
    if crowded:  # something dropped first, for the word edits to crowd around
        getattr(plan, rng.choice(("sentence_omission", "paragraph_omission")))()
    while len(plan.edits) < want and attempts < 60:
        attempts += 1
        kind = rng.choices(kinds, weights)[0]
        if used.get(kind, 0) >= EDIT_CAPS.get(kind, 99):
            continue
        if getattr(plan, kind.replace("-", "_"))():
            used[kind] = used.get(kind, 0) + 1
    ops = sorted(plan.ops, key=lambda o: (o.start, o.end, o.order))
    out, pos = [], 0
    for op in ops:
        assert op.start >= pos, (op, pos)
        out.append(base[pos:op.start])
        out.append(op.new)
        pos = op.end
    out.append(base[pos:])
    return "".join(out), sorted(plan.edits, key=lambda e: e.start)


# --------------------------------------------------------------------------
# noise


@lru_cache(maxsize=4)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


# Mainland word -> Taiwan word (simplified spelling; script conversion follows).
TAIWAN_WORDS = {
    "数字": "数位", "网络": "网路", "信息": "资讯", "软件": "软体", "硬件": "硬体", "互联网": "网际网路",
    "数据库": "资料库", "人工智能": "人工智慧", "云计算": "云端运算", "算法": "演算法", "芯片": "晶片",
    "打印": "列印", "宽带": "宽频", "操作系统": "作业系统", "移动支付": "行动支付",
}
_TAIWAN = re.compile("|".join(sorted(map(re.escape, TAIWAN_WORDS), key=len, reverse=True)))


def noise_taiwan_words(text: str, rng: random.Random) -> str:
    return _TAIWAN.sub(lambda m: TAIWAN_WORDS[m.group(0)] if rng.random() < 0.9 else m.group(0), text)


def noise_script(text: str, rng: random.Random, config: str = "s2t.json") -> str:
    return "\n".join(_opencc(config).convert(line) for line in text.split("\n"))


@lru_cache(maxsize=20000)
def _reading(ch: str, toned: bool) -> str | None:
    from pypinyin import Style, pinyin

    r = pinyin(ch, style=Style.TONE if toned else Style.NORMAL, heteronym=False)
    if not r or not r[0]:
        return None
    s = r[0][0]
    return s if s and s != ch and s.isalpha() and len(s) <= 7 else None


def noise_ruby(text: str, rng: random.Random) -> str:
    """Pinyin after some Han characters: 國(guó), 的(de); toned, toneless or both."""
    style = rng.choice(("toned", "toneless", "mixed"))
    rate = rng.uniform(0.08, 0.3)
    out = []
    for ch in text:
        out.append(ch)
        if is_han(ch) and rng.random() < rate:
            toned = style == "toned" or (style == "mixed" and rng.random() < 0.5)
            r = _reading(ch, toned)
            if r:
                out.append(f"({r})")
    return "".join(out)


JUNK = "≠φλ☆§※"


def noise_junk(text: str, rng: random.Random) -> str:
    rate = rng.uniform(0.02, 0.06)
    out = []
    for i, ch in enumerate(text):
        if i and is_han(text[i - 1]) and is_han(ch) and rng.random() < rate:
            out.append("".join(rng.choice(JUNK) for _ in range(rng.randint(1, 2))))
        out.append(ch)
    return "".join(out)


_HALF = {"，": ",", "；": ";", "：": ":", "？": "?", "！": "!", "（": "(", "）": ")", "。": ".", "“": '"', "”": '"'}


def noise_punct(text: str, rng: random.Random) -> str:
    """Half-width punctuation, each kind converted throughout or not at all."""
    table = {k: v for k, v in _HALF.items() if rng.random() < (0.5 if k in "。“”" else 0.85)}
    if '"' in table.values() and not ("“" in table and "”" in table):
        table.pop("“", None)
        table.pop("”", None)
    if not table:
        table = {"，": ","}
    return text.translate(str.maketrans(table))


_CN_DIGIT = "〇一二三四五六七八九"
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _cn_small(n: int) -> str:
    if n < 10:
        return _CN_DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGIT[tens]) + "十" + (_CN_DIGIT[ones] if ones else "")


def _cn_year(y: str) -> str:
    return "".join(_CN_DIGIT[int(c)] for c in y)


_DATE_AR = re.compile(r"(?<![0-9])(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?")
_CN_NUM = "〇○零一二三四五六七八九十"
_DATE_CN = re.compile(rf"(?<![{_CN_NUM}])([〇○零一二三四五六七八九]{{4}})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})日")
_ORDINAL = re.compile(r"第([一二三四五六七八九十]{1,4})条")


def _cn_value(s: str) -> int:
    d = {c: i for i, c in enumerate(_CN_DIGIT)} | {"○": 0, "零": 0}
    if "十" not in s:
        return int("".join(str(d[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (d[tens] if tens else 1) * 10 + (d[ones] if ones else 0)


def noise_numerals(text: str, rng: random.Random) -> str:
    """2022年6月6日 ↔ 二〇二二年六月六日, 第二十三条 → 第23条, full-width digits."""

    def to_cn(m: re.Match[str]) -> str:
        if rng.random() < 0.25:
            return m.group(0)
        y, mo, d = m.groups()
        if mo is None and rng.random() < 0.5:
            return m.group(0)
        s = _cn_year(y) + "年"
        if mo:
            s += _cn_small(int(mo)) + "月"
            if d:
                s += _cn_small(int(d)) + "日"
        return s

    def to_ar(m: re.Match[str]) -> str:
        y = "".join(str(_CN_DIGIT.index(c)) if c in _CN_DIGIT else "0" for c in m.group(1))
        pad = rng.random() < 0.3
        mo, d = _cn_value(m.group(2)), _cn_value(m.group(3))
        return f"{y}年{mo:02d}月{d:02d}日" if pad else f"{y}年{mo}月{d}日"

    text = _DATE_AR.sub(to_cn, text)
    text = _DATE_CN.sub(to_ar, text)
    text = _ORDINAL.sub(lambda m: f"第{_cn_value(m.group(1))}条" if rng.random() < 0.5 else m.group(0), text)
    return re.sub(r"\d+", lambda m: m.group(0).translate(_FULL) if rng.random() < 0.5 else m.group(0), text)


_CJKISH = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf，。、；：？！“”（）《》〔〕]")


def noise_spaces(text: str, rng: random.Random) -> str:
    """到 2025 年, ideographic indents, stray spaces between Han characters."""
    indent = rng.choice(("\u3000\u3000", "  ", "    ", "\u3000"))
    stray = rng.uniform(0.002, 0.01)
    lines = []
    def pad(m: re.Match[str], p: float) -> str:
        if rng.random() >= p:
            return m.group(0)
        s, e = m.start(), m.end()
        left = " " if s and _CJKISH.match(m.string[s - 1]) else ""
        right = " " if e < len(m.string) and _CJKISH.match(m.string[e]) else ""
        return left + m.group(0) + right

    for line in text.split("\n"):
        line = re.sub(r"[0-9０-９]+", lambda m: pad(m, 0.7), line)
        line = re.sub(r"[A-Za-z][A-Za-z0-9]*", lambda m: pad(m, 0.5), line)
        chars = []
        for i, ch in enumerate(line):
            if i and is_han(line[i - 1]) and is_han(ch) and rng.random() < stray:
                chars.append(rng.choice((" ", "\u3000", "  ")))
            chars.append(ch)
        line = "".join(chars)
        if line and rng.random() < 0.9:
            line = indent + line
        if line and rng.random() < 0.2:
            line += " "
        lines.append(line)
    return "\n".join(lines)


RUNNING_HEADERS = ("国务院公报", "政府信息公开专栏", "政策文件汇编（内部资料）", "县人民政府办公室翻印", "内部资料 注意保存")
PAGE_NUMBERS = ("- {n} -", "— {n} —", "－{n}－", "第 {n} 页", "第{n}页 共{total}页", "{n}/{total}")


def noise_pages(text: str, rng: random.Random) -> str:
    """Paginate: N lines of W characters a page, a running header, a page number,
    and a paragraph that crosses a page end cut there, mid-sentence."""
    paras = text.split("\n")
    width = rng.randint(24, 34)
    total_lines = sum(max(1, -(-len(p) // width)) for p in paras)
    per_page = min(rng.randint(15, 24), max(5, total_lines // 4))
    header = rng.choice(RUNNING_HEADERS)
    numfmt = rng.choice(PAGE_NUMBERS)
    sep = rng.choice(("\n", "\n\n"))
    pages: list[list[str]] = [[]]
    room = per_page
    queue = list(paras)
    while queue:
        p = queue.pop(0)
        need = max(1, -(-len(p) // width))
        if need <= room:
            pages[-1].append(p)
            room -= need
            continue
        cut = room * width
        # cut between two Han characters near the page end (跨业务的协 / 同管理和服务水平)
        best = None
        for d in range(20):
            for k in (cut - d, cut + d):
                # before a Han character, after a Han one (or after ruby, which goes first)
                if 0 < k < len(p) and is_han(p[k]) and (is_han(p[k - 1]) or p[k - 1] == ")"):
                    best = k
                    break
            if best:
                break
        if not best and not pages[-1]:
            best = min(max(1, cut), len(p) - 1)  # a fresh page and no place to cut: cut anyway
        if room > 0 and best:
            pages[-1].append(p[:best])
            queue.insert(0, p[best:])
        elif not pages[-1]:
            pages[-1].append(p)  # a one-character paragraph longer than a page: cannot happen
            continue
        else:
            queue.insert(0, p)
        pages.append([])
        room = per_page
    pages = [pg for pg in pages if pg]
    total = len(pages)
    out = []
    for n, pg in enumerate(pages, 1):
        out.append(header + "\n\n" + sep.join(pg) + "\n\n" + numfmt.format(n=n, total=total) + "\n")
    return "\n".join(out)


_ENTITIES = {"，": ("&#xff0c;", "&#65292;"), "。": ("&#12290;",), "“": ("&ldquo;", "&#8220;"), "”": ("&rdquo;", "&#8221;"),
             "、": ("&#12289;",), "：": ("&#xff1a;",), "；": ("&#65307;",), "—": ("&mdash;",)}
SITES = ("中国政府网", "某某县人民政府门户网站", "政策法规数据库", "慧天科技")


def noise_html(text: str, rng: random.Random, title: str) -> str:
    """A web page: <head><title>, site header and footer, each paragraph in <p>, some entities."""
    site = rng.choice(SITES)
    rate = rng.uniform(0.1, 0.6)

    def encode(text: str) -> str:
        s = html.escape(text, quote=False)
        return "".join(rng.choice(_ENTITIES[c]) if c in _ENTITIES and rng.random() < rate else c for c in s)

    def para(line: str) -> str:
        m = re.match(r"^(\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])[^。，,.]{0,20}[。.]?)", line)
        if m and rng.random() < 0.5:
            s = f"<strong>{encode(m.group(1))}</strong>{encode(line[m.end():])}"
        else:
            s = encode(line)
        style = ' style="text-indent: 2em; font-family: 宋体;"' if rng.random() < 0.5 else ""
        return f"<p{style}>{s}</p>" if line.strip() else "<p><br></p>"

    body = "\n".join(para(line) for line in text.split("\n"))
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}_{site}</title>\n"
        "<style>.article p { line-height: 2; }</style>\n<script>var _hmt = _hmt || [];</script>\n</head>\n<body>\n"
        f"<div class=\"header\"><a href=\"/\">首页</a> | <a href=\"/zhengce/\">政策</a> | <a href=\"/news/\">新闻</a> | <a href=\"/hudong/\">互动</a></div>\n"
        "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zhengce/\">政策</a> &gt; 最新政策</div>\n"
        f"<div class=\"article\">\n{body}\n</div>\n"
        "<div class=\"footer\"><p>【打印本页】【关闭窗口】</p>"
        f"<p>版权所有：{site} ｜ 网站标识码：bm01000001 ｜ 京ICP备05070218号</p></div>\n</body>\n</html>\n"
    )


def apply_noise(text: str, noise: str, rng: random.Random, *, title: str = "") -> tuple[str, str]:
    """Reprint noise of one kind (or ``all``); returns (text, format)."""
    kinds = NOISE_KINDS if noise == "all" else (noise,)
    if noise not in NOISE_KINDS and noise != "all":
        raise ValueError(f"unknown noise kind {noise!r}")
    if "taiwan" in kinds:
        text = noise_taiwan_words(text, rng)
    if "numerals" in kinds:
        text = noise_numerals(text, rng)
    if "taiwan" in kinds:
        text = noise_script(text, rng, "s2tw.json")
    elif "script-ruby" in kinds:
        text = noise_script(text, rng, "s2t.json")
    if "spaces" in kinds:
        text = noise_spaces(text, rng)
    if "script-ruby" in kinds:
        text = noise_ruby(text, rng)
    if "junk" in kinds:
        text = noise_junk(text, rng)
    if "punct" in kinds:
        text = noise_punct(text, rng)
    if "pages" in kinds:
        text = noise_pages(text, rng)
    if "html" in kinds:
        return noise_html(text, rng, title), "html"
    return text, "text"


def generate(base: str, noise: str, seed: str, *, edits: bool = True, crowded: bool = False) -> Witness:
    """One witness of ``base``: true edits (unless ``edits`` is false), then noise."""
    rng = random.Random(f"{seed}|{noise}|{'edits' if edits else 'noise-only'}")
    clean, expected = make_edits(base, rng, crowded=crowded) if edits else (base, [])
    title = base.split("\n", 1)[0]
    text, fmt = apply_noise(clean, noise, rng, title=title)
    return Witness(text=text, format=fmt, edits=expected, noise=noise, seed=seed, clean=clean)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus_file")
    ap.add_argument("--noise", default="all", choices=("all", *NOISE_KINDS))
    ap.add_argument("--seed", default="0")
    ap.add_argument("--no-edits", action="store_true", help="noise only")
    ap.add_argument("--crowded", action="store_true", help="edits may sit beside an omitted or moved paragraph")
    ap.add_argument("--out-dir", help="write base.txt, witness.txt|.html and expected.json here")
    args = ap.parse_args(argv)
    base, source = load_text(args.corpus_file)
    w = generate(base, args.noise, f"{Path(args.corpus_file).stem}|{args.seed}", edits=not args.no_edits, crowded=args.crowded)
    report = {"source": source, "noise": w.noise, "seed": w.seed, "format": w.format, "edits": [e.to_dict() for e in w.edits]}
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.out_dir:
        out = Path(args.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "base.txt").write_text(base, encoding="utf-8")
        (out / ("witness.html" if w.format == "html" else "witness.txt")).write_text(w.text, encoding="utf-8")
        (out / "expected.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
