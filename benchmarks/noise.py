"""Reprint noise made by tools that owe nothing to jiaokan's normalizer.

A benchmark whose noise comes from the same word lists and tables as the normalizer cannot disagree with it. Every
kind below is built from an outside tool or from Unicode's own data (``unicodedata``, ``data/CJKRadicals.txt``), and
imitates a behaviour seen in real reprints of official documents. Each kind is a function
``(text, rng, title) -> text``, deterministic given the ``random.Random``; ``title`` is the document's title (the
running header of a PDF, the ``<title>`` of a web page). The text is one paragraph per line.

Kinds (``NOISES``):

- ``none``: the text unchanged: a control.
- ``s2t``, ``s2tw``, ``s2twp``, ``s2hk``: OpenCC (the ``opencc`` package, its own dictionaries) from simplified to
  traditional characters; ``s2tw`` with Taiwan character forms, ``s2twp`` also with Taiwan vocabulary (信息 → 資訊,
  网络 → 網路, 软件 → 軟體), ``s2hk`` with Hong Kong forms: how Taiwan and Hong Kong sites and databases reprint
  mainland documents.
- ``s2twp+t2s``, ``s2tw+t2s``, ``s2hk+t2s``: the same, then OpenCC ``t2s`` back to simplified: what a mainland site
  that copied a Taiwan or Hong Kong reprint publishes (资讯, 网路 stay; ambiguous characters may come back wrong).
- ``radicals``: unified ideographs replaced by their look-alikes in the Kangxi Radicals (U+2F00–2FD5) and CJK Radicals
  Supplement (U+2E80–2EFF) blocks (⼀⼯⼈⼤ for 一工人大, ⻔⻅⻓⻢ for 门见长马), as PDF text extractors emit them when
  the font's ToUnicode map points a glyph at the radical code point. The map is Unicode's CJKRadicals.txt; a font
  maps a glyph one way everywhere, so each character is replaced in all its occurrences or in none (a large random
  share of the characters the map covers, 75–100 %).
- ``nfd``: pinyin ruby after some Han characters, ``国(guó)`` — readings from ``pypinyin`` in context, in ASCII or
  full-width brackets — written in NFD (the tone marks as combining characters), as text copied from macOS or from
  some e-book and teaching sites comes.
- ``variation-selectors``: U+FE00 (VS1) or an ideographic variation selector (U+E0100–E010F, the low numbers the
  Ideographic Variation Database's collections use) after some Han characters, as Japanese-font and IVS-aware
  typesetting systems leave them.
- ``invisible``: zero-width format characters inside words (between two Han characters): the characters of general
  category Cf whose bidirectional class is BN ("boundary neutral", which UAX #9 gives to the default-ignorable
  characters: zero-width space and joiners, word joiner, soft hyphen, BOM, invisible operators, tag characters…).
  That leaves out the bidirectional embeddings, overrides and isolates and the LRM/RLM/ALM marks, and also the few Cf
  characters that are drawn (the Arabic and Kaithi number signs, interlinear annotation marks, Egyptian hieroglyph
  controls). CMS editors and copy-paste from web pages leave such characters; three in four come from the BMP.
- ``letter-spacing``: a space between every two characters of each line (``2 0 0 6 年 1 2 月``), as PDF text
  extraction gives for justified or letter-spaced lines; ``letter-spacing-digits``: only runs of digits spaced out
  and set off by spaces (``处 3 0 0 0 元``), as extractors give for numbers set in a separate font.
- ``hard-wrap``: the text as a PDF extractor gives a paginated print: lines broken at a fixed width (30–40 full-width
  cells, half-width characters counting half; no line starts with closing punctuation or ends with an opening one,
  and a run of ASCII letters and digits is not broken, as typesetters do), blank lines between paragraphs gone,
  paragraphs optionally indented with two ideographic spaces, N lines a page and at each page end a page-number line
  (``- 25 -``, ``— 18 —``, ``第 3 页``…) and, on the next page, a running header (the title, cut to 24 characters).
  Page breaks fall wherever the line count says: inside article labels (``第\\n- 25 -\\n五十五条``), dates and words.
- ``junk``: one or two symbols injected between two Han characters at a few per cent of the places, drawn from general
  categories So and Sm in the Arrows, Mathematical Operators, Geometric Shapes, Miscellaneous Symbols and Dingbats
  blocks (what a PDF with a symbol font, or a mis-decoded web page, leaves in the text); ○ U+25CB and ◯ U+25EF are
  left out because they are written as the numeral zero (二○二二年).
- ``web``: the text inside a government-CMS page: site header and navigation, breadcrumb, title and publication line,
  the article in ``<div class="TRS_Editor">`` (TRS WCM), ``<div id="zoom">`` or ``<div class="pages_content">``
  (gov.cn), each paragraph in a ``<p>``, a sidebar of related links, a footer with 版权所有 and a 京ICP备 number.
  The witness is read as HTML.
- ``all-pdf``: ``radicals`` then ``hard-wrap``: a PDF with a radical-mapping font, extracted.
- ``all``: ``s2twp``, ``radicals``, ``junk`` and ``hard-wrap`` in that order: a Taiwan reprint printed to PDF with a
  bad font and extracted.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

NoiseFn = Callable[[str, random.Random, str], str]  # (text, rng, title) -> noisy text


@dataclass(frozen=True)
class Noise:
    """One kind of reprint noise and how jiaokan must be told to read its output."""

    name: str
    apply: NoiseFn
    format: str = "text"  # "text" or "html"


@lru_cache(maxsize=65536)
def is_han(ch: str) -> bool:
    """A CJK unified ideograph (any block), by its Unicode name: radicals and compatibility ideographs are not."""
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


# --------------------------------------------------------------------------
# OpenCC


@cache
def _converter(config: str):  # type: ignore[no-untyped-def]  # opencc has no type hints
    import opencc

    return opencc.OpenCC(config)


def opencc_chain(*configs: str) -> NoiseFn:
    """OpenCC conversions applied in order (``s2twp`` then ``t2s`` for a round trip)."""

    def convert(text: str, rng: random.Random, title: str) -> str:
        for config in configs:
            text = _converter(config).convert(text)
        return text

    return convert


# --------------------------------------------------------------------------
# radicals (CJKRadicals.txt)


@lru_cache(maxsize=1)
def radical_lookalikes() -> dict[str, str]:
    """Unified ideograph -> its radical character, from Unicode's CJKRadicals.txt (field 3 -> field 2)."""
    table: dict[str, str] = {}
    for raw in (DATA / "CJKRadicals.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        _number, radical, unified = (field.strip() for field in line.split(";"))
        if not radical:  # Unicode 15.1+ lists radicals that have no radical character
            continue
        r, u = chr(int(radical, 16)), chr(int(unified, 16))
        assert unicodedata.name(r).startswith(("KANGXI RADICAL", "CJK RADICAL")), raw
        table[u] = r
    return table


def radicals(text: str, rng: random.Random, title: str) -> str:
    """Each mapped character present becomes its radical everywhere, for a random 75-100 % of them (one font, one map)."""
    table = radical_lookalikes()
    share = rng.uniform(0.75, 1.0)
    present = sorted({ch for ch in text if ch in table})
    chosen = {ord(ch): table[ch] for ch in present if rng.random() < share}
    return text.translate(chosen)


# --------------------------------------------------------------------------
# characters added after or between Han characters


def _readings(run: str) -> list[str]:
    """Toned pinyin of each character of a Han run, in context (pypinyin's phrase dictionary picks 行 háng/xíng)."""
    from pypinyin import Style, lazy_pinyin

    got = lazy_pinyin(run, style=Style.TONE)
    if len(got) == len(run):
        return got
    return [lazy_pinyin(ch, style=Style.TONE)[0] for ch in run]


def nfd_ruby(text: str, rng: random.Random, title: str) -> str:
    """Pinyin in brackets after 5-20 % of Han characters, the annotation in NFD."""
    rate = rng.uniform(0.05, 0.2)
    opening, closing = rng.choice((("(", ")"), ("（", "）")))
    out: list[str] = []
    pos = 0
    for m in _HAN_RUN.finditer(text):
        out.append(text[pos:m.start()])
        run = m.group()
        for ch, reading in zip(run, _readings(run), strict=True):
            out.append(ch)
            if rng.random() < rate and reading and reading != ch and reading.isalpha():
                out.append(unicodedata.normalize("NFD", f"{opening}{reading}{closing}"))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


@lru_cache(maxsize=1)
def _ideographic_selectors() -> tuple[str, ...]:
    """VS17-VS32 (U+E0100-E010F), checked by name."""
    sel = tuple(chr(c) for c in range(0xE0100, 0xE0110))
    assert all(unicodedata.name(s).startswith("VARIATION SELECTOR-") for s in sel)
    return sel


def variation_selectors(text: str, rng: random.Random, title: str) -> str:
    """A variation selector after 3-15 % of Han characters; VS1 or an IVS, in a per-document proportion."""
    rate = rng.uniform(0.03, 0.15)
    ivs_share = rng.random()
    ivs = _ideographic_selectors()
    out: list[str] = []
    for ch in text:
        out.append(ch)
        if is_han(ch) and rng.random() < rate:
            out.append(rng.choice(ivs) if rng.random() < ivs_share else "\ufe00")
    return "".join(out)


def _between_han(text: str, rng: random.Random, rate: float, draw: Callable[[], str]) -> str:
    """Insert ``draw()`` between two Han characters at ``rate`` of such places."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if i and is_han(ch) and is_han(text[i - 1]) and rng.random() < rate:
            out.append(draw())
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1)
def invisible_pool() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Cf characters of bidi class BN: (in the BMP, beyond it)."""
    chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf" and unicodedata.bidirectional(chr(c)) == "BN"]
    bidi_controls = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
    marks = {"LEFT-TO-RIGHT MARK", "RIGHT-TO-LEFT MARK", "ARABIC LETTER MARK"}
    assert not any(unicodedata.bidirectional(c) in bidi_controls or unicodedata.name(c, "") in marks for c in chars)
    return tuple(c for c in chars if ord(c) < 0x10000), tuple(c for c in chars if ord(c) >= 0x10000)


def invisible(text: str, rng: random.Random, title: str) -> str:
    """One or two zero-width format characters at 2-6 % of the places between two Han characters."""
    bmp, astral = invisible_pool()

    def draw() -> str:
        return "".join(rng.choice(bmp if rng.random() < 0.75 else astral) for _ in range(rng.randint(1, 2)))

    return _between_han(text, rng, rng.uniform(0.02, 0.06), draw)


SYMBOL_BLOCKS = (  # Blocks.txt ranges
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2600, 0x26FF),  # Miscellaneous Symbols
    (0x2700, 0x27BF),  # Dingbats
)
ZERO_LOOKALIKES = frozenset("\u25cb\u25ef")  # ○ ◯, written as the numeral zero in 二○二二年


@lru_cache(maxsize=1)
def junk_pool() -> tuple[str, ...]:
    return tuple(chr(c) for lo, hi in SYMBOL_BLOCKS for c in range(lo, hi + 1)
                 if unicodedata.category(chr(c)) in ("So", "Sm") and chr(c) not in ZERO_LOOKALIKES)


def junk(text: str, rng: random.Random, title: str) -> str:
    """One or two symbols at 2-5 % of the places between two Han characters."""
    pool = junk_pool()
    return _between_han(text, rng, rng.uniform(0.02, 0.05), lambda: "".join(rng.choice(pool) for _ in range(rng.randint(1, 2))))


# --------------------------------------------------------------------------
# letter spacing


def letter_spacing(text: str, rng: random.Random, title: str) -> str:
    return "\n".join(" ".join(line) for line in text.split("\n"))


_DIGIT_RUN = re.compile(r"[0-9]+")


def letter_spacing_digits(text: str, rng: random.Random, title: str) -> str:
    """Digits spaced out and set off by spaces from their neighbours (not at a line's ends)."""

    def spaced(m: re.Match[str]) -> str:
        s = " ".join(m.group())
        before = m.string[m.start() - 1:m.start()]
        after = m.string[m.end():m.end() + 1]
        return ("" if before in ("", "\n", " ") else " ") + s + ("" if after in ("", "\n", " ") else " ")

    return _DIGIT_RUN.sub(spaced, text)


# --------------------------------------------------------------------------
# hard wraps and pages

PAGE_NUMBERS = ("- {n} -", "— {n} —", "－{n}－", "第 {n} 页", "第{n}页 共{total}页", "{n}")


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


_NO_START = frozenset(("Pe", "Pf", "Po"))  # closing brackets and quotes, 、，。；：？！
_NO_END = frozenset(("Ps", "Pi"))  # opening brackets and quotes


def _wrap(para: str, width: int) -> list[str]:
    """Break a paragraph into lines of at most ``width`` full-width cells, the way a typesetter would."""
    limit = 2 * width
    tokens = re.findall(r"[A-Za-z0-9]+|.", para)  # an ASCII word or number stays whole
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for tok in tokens:
        w = sum(_cells(c) for c in tok)
        if line and used + w > limit:
            if unicodedata.category(tok[0]) in _NO_START:  # hangs in the margin
                line.append(tok)
                lines.append("".join(line))
                line, used = [], 0
                continue
            carry: list[str] = []
            while line and unicodedata.category(line[-1][-1]) in _NO_END:
                carry.insert(0, line.pop())
            if line:
                lines.append("".join(line))
                line = carry
                used = sum(_cells(c) for t in line for c in t)
            else:
                line = carry
        line.append(tok)
        used += w
    if line:
        lines.append("".join(line))
    return lines


def hard_wrap(text: str, rng: random.Random, title: str) -> str:
    width = rng.randint(30, 40)
    per_page = rng.randint(22, 34)
    first_page = rng.randint(1, 40)
    style = rng.choice(PAGE_NUMBERS)
    indent = rng.choice(("", "\u3000\u3000"))
    blank = [""] if rng.random() < 0.5 else []  # blank lines around the page furniture, or none
    header = title.strip()[:24]
    lines: list[str] = []
    for para in text.split("\n"):
        if not para.strip():
            continue
        lead = "" if para[:1].isspace() else indent
        lines.extend(_wrap(lead + para, width))
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    total = first_page + len(pages) - 1
    out: list[str] = []
    for k, page in enumerate(pages):
        if k and header:
            out += [header, *blank]
        out += [*page, *blank, style.format(n=first_page + k, total=total)]
        if k + 1 < len(pages):
            out += blank
    return "\n".join(out)


# --------------------------------------------------------------------------
# web page

SITES = (
    ("中国政府网", "www.gov.cn", "京ICP备05070218号"),
    ("某省人民政府门户网站", "www.example-province.gov.cn", "京ICP备10012345号"),
    ("某市司法局", "sfj.example-city.gov.cn", "京ICP备16054321号-1"),
)
NAV = ("首页", "要闻", "政务公开", "政策文件", "政策解读", "办事服务", "互动交流", "数据发布")
RELATED = ("关于做好新时代政务公开工作的通知", "政府信息公开指南", "政策文件库使用说明", "图解：一图读懂最新政策", "关于征集行政规范性文件清理意见的公告")
CONTAINERS = (('<div class="TRS_Editor">', "</div>"), ('<div id="zoom">', "</div>"), ('<div class="pages_content" id="UCAP-CONTENT">', "</div>"))


def web_page(text: str, rng: random.Random, title: str) -> str:
    esc = html.escape
    site, host, icp = rng.choice(SITES)
    opening, closing = rng.choice(CONTAINERS)
    indent = rng.choice(("", ' style="text-indent: 2em;"', ' align="justify"'))
    paras = "\n".join(f"<p{indent}>{esc(line.strip())}</p>" for line in text.split("\n") if line.strip())
    nav = "".join(f'<li><a href="/{k}/">{esc(name)}</a></li>' for k, name in enumerate(NAV))
    related = "".join(f'<li><a href="/zhengce/{rng.randint(1000, 9999)}.htm">{esc(t)}</a></li>' for t in rng.sample(RELATED, 4))
    date = f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    sidebar = f'<div class="sidebar"><h3>相关链接</h3><ul>{related}</ul></div>'
    article = (f'<div class="article"><h1>{esc(title)}</h1>\n'
               f'<div class="info">发布时间：{date}　来源：{esc(site)}　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>\n'
               f"{opening}\n{paras}\n{closing}\n"
               '<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div></div>')
    main = f"{sidebar}\n{article}" if rng.random() < 0.5 else f"{article}\n{sidebar}"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}_{esc(site)}</title>\n"
        '<link rel="stylesheet" href="/css/main.css">\n<script src="/js/jquery.min.js"></script>\n</head>\n<body>\n'
        f'<div class="header"><div class="logo"><a href="https://{host}/">{esc(site)}</a></div><ul class="nav">{nav}</ul>'
        '<form class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></form></div>\n'
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zcwj/">政策文件</a></div>\n'
        f'<div class="main">\n{main}\n</div>\n'
        f'<div class="footer"><p><a href="/about/">关于本网</a> | <a href="/map/">网站地图</a> | <a href="/contact/">联系我们</a></p>'
        f"<p>版权所有：{esc(site)}　主办单位：{esc(site)}　{icp}　网站标识码：bm01000001</p></div>\n"
        "</body>\n</html>\n"
    )


# --------------------------------------------------------------------------
# registry


def chain(*fns: NoiseFn) -> NoiseFn:
    def apply(text: str, rng: random.Random, title: str) -> str:
        for fn in fns:
            text = fn(text, rng, title)
        return text

    return apply


def _noises(items: Iterable[Noise]) -> dict[str, Noise]:
    return {n.name: n for n in items}


NOISES: dict[str, Noise] = _noises((
    Noise("none", lambda text, rng, title: text),
    Noise("s2t", opencc_chain("s2t")),
    Noise("s2tw", opencc_chain("s2tw")),
    Noise("s2twp", opencc_chain("s2twp")),
    Noise("s2hk", opencc_chain("s2hk")),
    Noise("s2twp+t2s", opencc_chain("s2twp", "t2s")),
    Noise("s2tw+t2s", opencc_chain("s2tw", "t2s")),
    Noise("s2hk+t2s", opencc_chain("s2hk", "t2s")),
    Noise("radicals", radicals),
    Noise("nfd", nfd_ruby),
    Noise("variation-selectors", variation_selectors),
    Noise("invisible", invisible),
    Noise("letter-spacing", letter_spacing),
    Noise("letter-spacing-digits", letter_spacing_digits),
    Noise("hard-wrap", hard_wrap),
    Noise("junk", junk),
    Noise("web", web_page, "html"),
    Noise("all-pdf", chain(radicals, hard_wrap)),
    Noise("all", chain(opencc_chain("s2twp"), radicals, junk, hard_wrap)),
))


def parse_kinds(spec: str) -> list[str]:
    """``every`` or a comma-separated list of kind names; raises ValueError on an unknown name."""
    if spec in ("", "every"):
        return list(NOISES)
    kinds = [k.strip() for k in spec.split(",") if k.strip()]
    bad = [k for k in kinds if k not in NOISES]
    if bad:
        raise ValueError(f"unknown noise kind(s) {bad}; kinds: every, {', '.join(NOISES)}")
    return kinds


def main() -> None:
    """Show each kind on a sample, for a look by eye: python benchmarks/noise.py [FILE] [KIND,...]."""
    import sys

    text = Path(sys.argv[1]).read_text(encoding="utf-8") if len(sys.argv) > 1 else "第五十五条 2006年12月，门口见长马一人大工。\n处3000元以下罚款（一）信息网络软件。"
    for name in parse_kinds(sys.argv[2] if len(sys.argv) > 2 else "every"):
        noise = NOISES[name]
        print(f"== {name} ({noise.format})")
        print(noise.apply(text, random.Random(name), text.split("\n", 1)[0][:20]))


if __name__ == "__main__":
    main()
