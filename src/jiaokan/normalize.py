"""Stage 2: normalize a document for comparison, never losing the way back.

Normalization is a named, ordered list of rules (:data:`RULES`), each switchable
by name, like markdown-it's rule chains.  Every rule maps a
:class:`~jiaokan.textmap.MappedText` to another, so each normalized character
still knows the span of original characters it came from.  Compare on the
normalized form, show the original (CollateX's ``n`` and ``t``).

The result has paragraphs separated by exactly one blank line
(:data:`PARAGRAPH_BREAK`) and no leading or trailing whitespace, so that
normalizing it again changes nothing (idempotence): a single line break in
input may be a wrap, a blank line never is.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from jiaokan.errors import InputError
from jiaokan.ingest import Document
from jiaokan.markup import html_text, markdown_text
from jiaokan.textmap import Builder, MappedText, substitute, translate

RuleFn = Callable[[MappedText, Document], MappedText]
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    fn: RuleFn
    summary: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One normalized paragraph: ``[start, end)`` in the normalized text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Edit:
    """One change normalization made: original ``[start, end)`` became ``normalized``."""

    start: int
    end: int
    original: str
    normalized: str
    norm_start: int = 0  # where in the normalized text
    norm_end: int = 0


@dataclass(frozen=True, slots=True)
class Normalized:
    """A document's normalized text, its map back, and the rules applied."""

    document: Document
    mapped: MappedText
    rules: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.mapped.text

    def paragraphs(self) -> list[Paragraph]:
        out: list[Paragraph] = []
        pos = 0
        for k, para in enumerate(self.mapped.text.split(PARAGRAPH_BREAK)):
            out.append(Paragraph(k, pos, pos + len(para), para))
            pos += len(para) + len(PARAGRAPH_BREAK)
        return [p for p in out if p.text]

    def original_span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``[start, end)`` of normalized characters ``[i, j)``."""
        return self.mapped.span(i, j)

    def edits(self, i: int, j: int) -> list[Edit]:
        """What normalization changed inside normalized ``[i, j)``, in original terms."""
        original = self.document.text
        starts, ends, text = self.mapped.starts, self.mapped.ends, self.mapped.text
        out: list[Edit] = []
        cur: list[int] = []  # [orig_lo, orig_hi, norm_lo, norm_hi]

        def extend(lo: int, hi: int, nlo: int, nhi: int) -> None:
            nonlocal cur
            if cur and lo <= cur[1]:
                cur[1], cur[3] = max(cur[1], hi), max(cur[3], nhi)
            else:
                if cur:
                    out.append(self._edit(cur))
                cur = [lo, hi, nlo, nhi]

        prev_end = starts[i] if i < j else 0
        for k in range(i, j):
            s, e = starts[k], ends[k]
            if s > prev_end:  # original text deleted before this character
                extend(prev_end, s, k, k)
            if original[s:e] != text[k]:
                extend(s, e, k, k + 1)
            elif cur:
                out.append(self._edit(cur))
                cur = []
            prev_end = max(prev_end, e)
        if cur:
            out.append(self._edit(cur))
        return out

    def _edit(self, c: list[int]) -> Edit:
        return Edit(c[0], c[1], self.document.text[c[0]:c[1]], self.mapped.text[c[2]:c[3]], c[2], c[3])

    def to_dict(self, *, edits: bool = False) -> dict[str, object]:
        """The JSON form (schema ``jiaokan.normalize/1``)."""
        doc = self.document
        paragraphs = []
        for p in self.paragraphs():
            s, e = self.original_span(p.start, p.end)
            line, col = doc.locate(s)
            end_line, end_col = doc.locate(max(s, e - 1))
            item: dict[str, object] = {
                "index": p.index, "text": p.text, "start": s, "end": e,
                "line": line, "column": col, "end_line": end_line, "end_column": end_col,
            }
            if edits:
                item["edits"] = [
                    {"start": ed.start, "end": ed.end, "original": ed.original, "normalized": ed.normalized}
                    for ed in self.edits(p.start, p.end)
                ]
            paragraphs.append(item)
        return {
            "schema": "jiaokan.normalize/1",
            "path": doc.path,
            "sha256": doc.sha256,
            "format": doc.format,
            "encoding": doc.encoding,
            "rules": list(self.rules),
            "metadata": doc.metadata.as_dict(),
            "paragraphs": paragraphs,
        }


# --------------------------------------------------------------------------
# character classes

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{_CJK}]")
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—·"
_TERMINAL = set("。！？；：!?;:…")
_CLOSERS = set("”’」』)）》】〕\"'")


def is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK_RE.match(ch) is not None


# --------------------------------------------------------------------------
# rules


def rule_markup(mt: MappedText, doc: Document) -> MappedText:
    """Tags, comments, scripts, entities and front matter out."""
    if doc.format == "html":
        # Drop the front matter: the HTML parser starts at the body.
        return html_text(doc.text, doc.body_start, len(doc.text))
    if doc.body_start:
        mt = mt.slice(_index_at(mt, doc.body_start), len(mt.text))
    if doc.format == "markdown":
        mt = markdown_text(mt)
    return mt


def _index_at(mt: MappedText, original_offset: int) -> int:
    return bisect.bisect_left(mt.starts, original_offset)


_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_RUBY = re.compile(
    rf"([{_CJK}])((?:[(（][{_PINYIN_LETTERS}]{{1,7}}[1-5]?[)）])+)"
)
_RUBY_ONE = re.compile(rf"[(（]([{_PINYIN_LETTERS}]{{1,7}}[1-5]?)[)）]")


@lru_cache(maxsize=1)
def _pinyin_dict() -> dict[int, str]:
    """pypinyin's table of readings per code point.

    Loaded from its module file without running ``pypinyin/__init__``, which
    would also load the phrase dictionary (measured: 224 ms against 30 ms) that
    a reading lookup does not need.
    """
    import importlib.util
    import os

    spec = importlib.util.find_spec("pypinyin")
    if spec is not None and spec.submodule_search_locations:
        path = os.path.join(list(spec.submodule_search_locations)[0], "pinyin_dict.py")
        sub = importlib.util.spec_from_file_location("_jiaokan_pinyin_dict", path)
        if sub is not None and sub.loader is not None and os.path.exists(path):
            module = importlib.util.module_from_spec(sub)
            sub.loader.exec_module(module)
            return module.pinyin_dict  # type: ignore[no-any-return]
    from pypinyin.pinyin_dict import pinyin_dict  # pragma: no cover - unusual installs

    return pinyin_dict


_U_UMLAUT = str.maketrans({c: "v" for c in "ǖǘǚǜü"})


def _strip_tone(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", s.translate(_U_UMLAUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def readings(ch: str) -> frozenset[str]:
    """Every accepted spelling of ``ch``'s readings: toned, toneless, tone digits."""
    raw = _pinyin_dict().get(ord(ch))
    if not raw:
        return frozenset()
    out: set[str] = set()
    for r in raw.split(","):
        r = unicodedata.normalize("NFC", r.strip())
        plain = _strip_tone(r)
        out.update({r, plain, plain.replace("v", "u")})
        tone = _tone_number(r)
        if tone:
            out.add(plain + str(tone))
    return frozenset(out)


_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def _tone_number(r: str) -> int:
    for c in unicodedata.normalize("NFD", r):
        if c in _TONE_MARKS:
            return _TONE_MARKS[c]
    return 0


def is_reading(ch: str, annotation: str) -> bool:
    a = unicodedata.normalize("NFC", annotation.lower()).replace("u:", "ü")
    rs = readings(ch)
    return a in rs or a.replace("ü", "v") in rs


def rule_ruby(mt: MappedText, doc: Document) -> MappedText:
    """Pinyin ruby after a character, kept only where it is not a reading."""

    def repl(m: re.Match[str]) -> str | None:
        ch = m.group(1)
        if all(is_reading(ch, a) for a in _RUBY_ONE.findall(m.group(2))):
            return ch
        return None

    return substitute(mt, _RUBY, repl)


# Not ○ ● ◎: they are zeros in dates (二○二二年) and list bullets.
_JUNK_CHARS = "≠φλ☆★§※◇◆□■△▲▽▼♂♀¤∮∝∈∩∪╳╬︻︼❤♥♡✿❀✪⊙"
_JUNK = re.compile(rf"[{_JUNK_CHARS}]+")
_JUNK_AFTER = set("，。、；：？！）》,.;:?!)")  # (ASCII ones become Chinese later)


def rule_junk(mt: MappedText, doc: Document) -> MappedText:
    """Symbols mirror sites inject inside words (数≠字 → 数字)."""
    if not any(c in mt.text for c in _JUNK_CHARS):
        return mt
    def repl(m: re.Match[str]) -> str | None:
        before, after = _around(mt.text, m.start(), m.end())
        return "" if is_cjk(before) and (is_cjk(after) or (after != "" and after in _JUNK_AFTER)) else None

    return substitute(mt, _JUNK, repl)


_WIDTH_TABLE = {cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}  # ０-９
_WIDTH_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDTH_TABLE.update({ord(c): chr(ord(c) - 0xFEE0) for c in "％＋－＝／＠＃＆＊＜＞＾＿｀｜～＄．"})
_WIDTH_TABLE.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " ", 0x205F: " "})
_WIDTH_TABLE.update({ord("｡"): "。", ord("､"): "、", ord("｢"): "「", ord("｣"): "」"})


def rule_width(mt: MappedText, doc: Document) -> MappedText:
    """Full-width letters, digits and spaces to their ordinary forms."""
    return translate(mt, _WIDTH_TABLE)


_PUNCT_ALWAYS = {ord("("): "（", ord(")"): "）", ord("「"): "“", ord("」"): "”", ord("『"): "“", ord("』"): "”",
                 ord("﹐"): "，", ord("﹑"): "、", ord("﹔"): "；", ord("﹕"): "：", ord("＂"): '"', ord("＇"): "'",
                 ord("〝"): "“", ord("〞"): "”", ord("‹"): "〈", ord("›"): "〉", ord("﹙"): "（", ord("﹚"): "）"}
_PUNCT_ASCII = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_ASCII_PUNCT = re.compile(r"[,;:?!]")
_BRACKET_YEAR = re.compile(r"[\[［【(（]\s*((?:19|20)\d\d)\s*[\]］】)）](?=\s*\d{1,4}\s*[号號])")
# three or more dots, spaces between them allowed (the whitespace rule runs later and would join 。。 。 into 。。。)
_ELLIPSIS = re.compile(r"(?:\.(?:[ \t\u3000\xa0]*\.){2,}|。(?:[ \t\u3000\xa0]*。){2,}|…+|⋯+)")
_PERIOD = re.compile(r"\.")
_STRAIGHT_QUOTES = re.compile(r"[\"']")


_INLINE_SPACE = " \t\u3000\xa0\u2002\u2003\u2009\u200b\u202f\u205f"


def _around(text: str, i: int, j: int) -> tuple[str, str]:
    """The nearest characters before ``i`` and from ``j`` on, spaces skipped.

    Spaces are skipped because the whitespace rule, which runs later, may
    remove them; deciding on what lies beyond keeps normalization idempotent.
    """
    before = text[max(0, i - 8):i].rstrip(_INLINE_SPACE)
    after = text[j:j + 8].lstrip(_INLINE_SPACE)
    return (before[-1] if before else ""), (after[0] if after else "")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def rule_punctuation(mt: MappedText, doc: Document) -> MappedText:
    """Half-width punctuation to the Chinese forms; quote, bracket and ellipsis forms unified."""

    def ascii_punct(m: re.Match[str]) -> str | None:
        before, after = _around(mt.text, m.start(), m.end())
        # "1,000", "13:45" and "Index, 2022" stay: Latin letters or digits on both sides.
        if _latin(before) and (not after or after.isspace() or _latin(after) or after == "/"):
            return None
        return _PUNCT_ASCII[m.group(0)]

    def period(m: re.Match[str]) -> str | None:
        before, after = _around(mt.text, m.start(), m.end())
        return "。" if is_cjk(before) or (before != "" and before in "”）》") else None

    mt = substitute(mt, _BRACKET_YEAR, lambda m: f"〔{m.group(1)}〕")
    mt = translate(mt, _PUNCT_ALWAYS)
    mt = substitute(mt, _ASCII_PUNCT, ascii_punct)
    mt = substitute(mt, _ELLIPSIS, lambda m: "……")
    mt = _curly_quotes(mt)
    return substitute(mt, _PERIOD, period)


def _curly_quotes(mt: MappedText) -> MappedText:
    """Straight quotes become “” / ‘’, alternating within each line."""
    if '"' not in mt.text and "'" not in mt.text:
        return mt
    b = Builder(mt)
    text = mt.text
    open_double = open_single = False
    for m in _STRAIGHT_QUOTES.finditer(text):
        i = m.start()
        ch = m.group(0)
        line_start = text.rfind("\n", 0, i) + 1
        if line_start and i == line_start:
            open_double = open_single = False
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == "'" and before.isascii() and before.isalpha() and after.isascii() and after.isalpha():
            continue  # don't, it's: an apostrophe
        if ch == '"':
            b.replace(i, i + 1, "”" if open_double else "“")
            open_double = not open_double
        else:
            b.replace(i, i + 1, "’" if open_single else "‘")
            open_single = not open_single
    return b.build()


@lru_cache(maxsize=4)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError("OpenCC is not installed", "the script rule needs the opencc package", "reinstall jiaokan (pip install jiaokan)") from exc
    return opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")


def _convert_lines(mt: MappedText, convert: Callable[[str], str]) -> MappedText:
    """Apply a converter, mapping 1:1 where lengths agree, by alignment where not.

    OpenCC converts some characters by phrase (全鍊條 → 全链条, but 鍊 alone
    → 炼).  Such a phrase maps as one piece to its whole original span, so the
    original at a character's span always converts to that character.
    """
    out = convert(mt.text)
    if out == mt.text:
        return mt
    if len(out) != len(mt.text):
        b = Builder(mt)
        pos = 0
        for line in mt.text.split("\n"):
            conv = convert(line)
            if conv != line:
                _align_replace(b, pos, line, conv)
            pos += len(line) + 1
        return b.build()
    src = mt.text
    sep = next((c for c in "\x01\x02\x03\ufffe" if c not in src), None)
    alone = convert(sep.join(src)).split(sep) if sep else None
    if alone is None or len(alone) != len(src):
        alone = [convert(c) for c in src]
    b = Builder(mt)
    i = 0
    n = len(src)
    while i < n:
        if alone[i] == out[i]:
            i += 1
            continue
        lo, hi = _phrase_window(src, out, i, convert)
        b.replace(lo, hi, out[lo:hi], atomic=True)
        i = hi
    b.keep_to(n)
    built = b.build()
    return MappedText(out, built.starts, built.ends)


def _phrase_window(src: str, out: str, i: int, convert: Callable[[str], str]) -> tuple[int, int]:
    """The smallest piece around ``i`` that converts alone as it does in context."""
    for width in range(2, 9):
        for lo in range(max(0, i - width + 1), i + 1):
            hi = min(len(src), lo + width)
            if hi - lo == width and convert(src[lo:hi]) == out[lo:hi]:
                return lo, hi
    return i, i + 1


def _align_replace(b: Builder, base: int, old: str, new: str) -> None:
    if len(old) == len(new):
        b.replace(base, base + len(old), new)
        return
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            b.replace(base + i1, base + i2, new[j1:j2])


# Taiwan / Hong Kong words and their mainland equivalents.  Curated rather
# than taken from OpenCC's tw2sp: on the vendor reprint 001, tw2sp rewrote
# dozens of ordinary mainland words (效能→性能, 建立→创建, 核心→内核, 线上→在线),
# which would hide real drift.  Keys are given in traditional and, where the
# simplified spelling is unambiguous, in simplified characters too.
REGIONAL_WORDS: dict[str, str] = {
    "數位": "数字", "数位": "数字", "網路": "网络", "网路": "网络", "資訊": "信息", "網際網路": "互联网",
    "网际网路": "互联网", "軟體": "软件", "软体": "软件", "硬體": "硬件", "硬体": "硬件", "韌體": "固件",
    "程式碼": "代码", "程式设计": "程序设计", "程式設計": "程序设计", "應用程式": "应用程序", "应用程式": "应用程序",
    "滑鼠": "鼠标", "部落格": "博客", "伺服器": "服务器", "伺服器端": "服务器端", "資料庫": "数据库", "资料库": "数据库",
    "螢幕": "屏幕", "萤幕": "屏幕", "記憶體": "内存", "记忆体": "内存", "雲端": "云", "云端运算": "云计算", "雲端運算": "云计算",
    "智慧型手機": "智能手机", "智慧型手机": "智能手机", "人工智慧": "人工智能", "行動支付": "移动支付", "行动支付": "移动支付",
    "行動網路": "移动网络", "行动网路": "移动网络", "資安": "网络安全", "資通訊": "信息通信", "頻寬": "带宽", "频宽": "带宽",
    "寬頻": "宽带", "宽频": "宽带", "列印": "打印", "數據機": "调制解调器", "晶片": "芯片", "晶片组": "芯片组",
    "演算法": "算法", "作業系統": "操作系统", "作业系统": "操作系统",
}
_REGIONAL = re.compile("|".join(sorted(map(re.escape, REGIONAL_WORDS), key=len, reverse=True)))


def rule_regional(mt: MappedText, doc: Document) -> MappedText:
    """Taiwan/Hong Kong vocabulary to mainland words (數位→数字, 網路→网络, 資訊→信息)."""
    return substitute(mt, _REGIONAL, lambda m: REGIONAL_WORDS[m.group(0)], atomic=True)


# 著 written for 着 (Taiwan usage, many vendor reprints): t2s keeps 著, since
# it is also a simplified character (著名, 显著).  It is the particle or verb
# 着 before these characters (着力, 着眼, 着重) and after these verbs (随着,
# 围绕着, 意味着).  OpenCC's tw2s decides by phrase too, but only on
# traditional input: on simplified 显著 it gives 显着.
_ZHE_AFTER = "力眼重手想落实陆装色火迷急凉墨"
_ZHE_BEFORE = "看跟随接沿绕味在挥动有本朝向靠为带拿临担负持历伴志表示响定藏含存肩"
_ZHE = re.compile(f"著[{_ZHE_AFTER}]|[{_ZHE_BEFORE}]著")


def rule_script(mt: MappedText, doc: Document) -> MappedText:
    """Traditional characters to simplified (OpenCC t2s; 著力 → 着力)."""
    mt = _convert_lines(mt, _opencc("t2s").convert)
    if "著" not in mt.text:
        return mt
    return substitute(mt, _ZHE, lambda m: m.group(0).replace("著", "着"), atomic=True)


_HAN_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_NUM = "〇○零一二三四五六七八九十"
_DATE = re.compile(
    rf"(?<![{_NUM}])(?P<y>[〇○零一二三四五六七八九]{{4}}|\d{{4}})\s*年"
    rf"(?:\s*(?P<m>[一二三四五六七八九十]{{1,3}}|\d{{1,2}})\s*月"
    rf"(?:\s*(?P<d>[一二三四五六七八九十]{{1,3}}|\d{{1,2}})\s*(?P<u>[日号]))?)?"
)
_ORDINAL = re.compile(r"第(?P<n>[一二三四五六七八九十百零〇]{1,5})(?P<u>[条條章节節款项項编編])")


def han_number(s: str) -> int | None:
    """Value of a Chinese numeral up to 9999 (一百二十三 → 123), or None."""
    s = s.strip()
    if not s:
        return None
    if all(c in _HAN_DIGITS for c in s):
        return int("".join(_HAN_DIGITS[c] for c in s))
    units = {"十": 10, "百": 100, "千": 1000}
    total = 0
    digit = 0
    for c in s:
        if c in _HAN_DIGITS:
            digit = int(_HAN_DIGITS[c])
        elif c in units:
            total += (digit or 1) * units[c]
            digit = 0
        else:
            return None
    return total + digit


def rule_numerals(mt: MappedText, doc: Document) -> MappedText:
    """二〇二二年六月六日 → 2022年6月6日, 第十二条 → 第12条.

    A converted date or ordinal maps as one piece to its whole original span.
    """
    text = mt.text
    if "年" not in text and "第" not in text:
        return mt

    def number(s: str) -> str | None:
        if s.isdigit():
            return str(int(s))
        if len(s) == 4 and all(c in _HAN_DIGITS for c in s):
            return "".join(_HAN_DIGITS[c] for c in s)
        n = han_number(s)
        return None if n is None else str(n)

    def date(m: re.Match[str]) -> str | None:
        parts = [number(m.group("y")), "年"]
        if m.group("m"):
            parts += [number(m.group("m")), "月"]
        if m.group("d"):
            parts += [number(m.group("d")), m.group("u")]
        if None in parts:
            return None
        new = "".join(p for p in parts if p is not None)
        # Only spaces differ ("2025 年"): that is the whitespace rule's business.
        return None if new == re.sub(r"\s+", "", m.group(0)) else new

    def ordinal(m: re.Match[str]) -> str | None:
        n = han_number(m.group("n"))
        return None if n is None else f"第{n}{m.group('u')}"

    mt = substitute(mt, _DATE, date, atomic=True)
    return substitute(mt, _ORDINAL, ordinal, atomic=True)


_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CRLF = re.compile(r"\r\n?")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002-\u200a\u202f\u205f\u000b]+")
_CJK_OR_PUNCT = re.compile(f"[{_CJK}{re.escape(_CJK_PUNCT)}]")


def rule_whitespace(mt: MappedText, doc: Document) -> MappedText:
    """Spaces inside CJK text, indents, and line breaks that only wrap a paragraph."""
    mt = substitute(mt, _ZERO_WIDTH, lambda m: "")
    mt = substitute(mt, _CRLF, lambda m: "\n")
    text = mt.text

    def spaces(m: re.Match[str]) -> str | None:
        i, j = m.start(), m.end()
        before = text[i - 1] if i else "\n"
        after = text[j] if j < len(text) else "\n"
        if before in "\n\f" or after in "\n\f":
            return ""  # indents and trailing blanks
        if _CJK_OR_PUNCT.match(before) or _CJK_OR_PUNCT.match(after):
            return ""  # 到 2025 年 → 到2025年
        return " "

    mt = substitute(mt, _SPACES, spaces)
    return _join_lines(mt, wrapped_only=True)


_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－_·•]+\s*\d{1,4}\s*[-—–－_·•]+|第\s*\d{1,4}\s*[页頁](?:\s*[,，]?\s*共\s*\d{1,4}\s*[页頁])?|"
    r"\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?|\d{1,4})\s*$"
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百]+[)）]|\d{1,3}[.．、](?!\d)|[(（]\d{1,3}[)）]|"
    r"第[一二三四五六七八九十百零〇\d]+[章节條条款部分编篇]|附件|[①-⑳])"
)


def rule_layout(mt: MappedText, doc: Document) -> MappedText:
    """Page numbers and running headers out; paragraphs cut by a page break re-joined."""
    mt = _drop_page_furniture(mt)
    return _join_lines(mt, wrapped_only=False)


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _drop_page_furniture(mt: MappedText) -> MappedText:
    text = mt.text
    lines = _lines(text)
    stripped = [text[a:b].strip(" \t\f") for a, b in lines]
    decorated = [bool(s) and not s.isdigit() and _PAGE_NUMBER.match(s) is not None for s in stripped]
    # Only a document that shows pages (form feeds, or page numbers such as
    # "- 3 -") has page furniture; elsewhere a bare number or a repeated short
    # line is text.
    paged = "\f" in text or sum(decorated) >= 2
    if not paged:
        return mt
    counts = Counter(s for s in stripped if s)
    b = Builder(mt)
    changed = False
    for (a, e), s in zip(lines, stripped):
        if not s:
            continue
        if _PAGE_NUMBER.match(s) or (
            counts[s] >= 3 and len(s) <= 40 and not _HEADING.match(s) and s[-1] not in _TERMINAL and s[-1] != "。"
        ):
            b.replace(a, e, "")
            changed = True
    return b.build() if changed else mt


def ends_open(line: str) -> bool:
    """Does this line stop mid-sentence (no terminal punctuation at its end)?"""
    s = line.rstrip()
    if not s:
        return False
    last = s[-1]
    if last in _TERMINAL or last == "。" or last == ".":
        return False
    if last in _CLOSERS:
        return len(s) >= 2 and s[-2] not in _TERMINAL and s[-2] != "。"
    return True


def is_heading(line: str) -> bool:
    return _HEADING.match(line.strip()) is not None


def _join_lines(mt: MappedText, *, wrapped_only: bool) -> MappedText:
    """Remove line breaks that split one paragraph.

    ``wrapped_only`` (the whitespace rule): single line breaks in text wrapped
    at a fixed width.  Otherwise (the layout rule): any break, blank lines and
    page breaks included, after running prose that stops mid-sentence.
    """
    text = mt.text
    if "\n" not in text:
        return mt
    lines = _lines(text)
    contents = [text[a:b].strip() for a, b in lines]
    lengths = sorted(len(c) for c in contents if c)
    wrap_width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    b = Builder(mt)
    changed = False
    k = 0
    n = len(lines)
    para = ""  # the paragraph so far, joins included
    while k < n:
        cur = contents[k]
        if not cur:
            k += 1
            continue
        para = para or cur
        m = k + 1
        while m < n and not contents[m]:
            m += 1
        if m >= n:
            break
        blank = m > k + 1
        nxt = contents[m]
        if _should_join(para, cur, nxt, blank=blank, wrapped_only=wrapped_only, wrap_width=wrap_width):
            b.replace(lines[k][1], lines[m][0], "")
            changed = True
            para += nxt
        else:
            para = ""
        k = m
    return b.build() if changed else mt


_PROSE = re.compile(r"[，、；。,;]")
_RUN_IN = re.compile(r"[。：:].")  # a heading that runs on into its text


_TITLE = re.compile(r"(?:意见|通知|决定|办法|规定|方案|规划|纲要|报告|批复|函|条例|细则|公告|通报|意見|決定|辦法|規定|規劃|綱要|報告|通報)$")


def is_title(line: str) -> bool:
    """A document title line: short and ending in the name of a document type."""
    s = line.strip()
    return len(s) <= 60 and _TITLE.search(s) is not None


def _should_join(para: str, cur: str, nxt: str, *, blank: bool, wrapped_only: bool, wrap_width: int) -> bool:
    # a short heading line stays whole, but not a run-in heading with its prose: （一）加强组织领导。各地区…
    heading_line = is_heading(para) and len(para) < 40 and _RUN_IN.search(para) is None
    if not ends_open(cur) or is_heading(nxt) or heading_line or is_title(cur) or is_title(nxt):
        return False
    if not (is_cjk(cur[-1]) or cur[-1] in "，、,“‘《（(") or not (is_cjk(nxt[0]) or nxt[0] in "，、。；：”’》）)"):
        return False
    if wrapped_only:
        # Text wrapped at a fixed width: every wrapped line is near the widest.
        return not blank and wrap_width >= 12 and len(cur) >= 0.75 * wrap_width
    # A page break (or a stray line break) cut running prose: the paragraph so
    # far has clause punctuation, so it is not a title, a label or a signature.
    return len(para) >= 20 and _PROSE.search(para) is not None


def _finish(mt: MappedText) -> MappedText:
    """Every remaining line break becomes one paragraph break; trim each paragraph."""
    b = Builder(mt)
    text = mt.text
    changed = False
    for m in re.finditer(r"^[ \t\f\u3000\xa0]+|[ \t\f\u3000\xa0]+$", text, re.M):
        b.replace(m.start(), m.end(), "")
        changed = True
    mt2 = b.build() if changed else mt
    text = mt2.text
    b = Builder(mt2)
    changed = False
    for m in re.finditer(r"\n+", text):
        i, j = m.start(), m.end()
        new = "" if i == 0 or j == len(text) else PARAGRAPH_BREAK
        if text[i:j] == new:
            continue
        b.replace(i, j, new)
        changed = True
    return b.build() if changed else mt2


RULES: tuple[Rule, ...] = (
    Rule("markup", rule_markup, "HTML tags, comments, scripts, entities and YAML front matter out"),
    Rule("ruby", rule_ruby, "pinyin ruby out where it is a reading of the character before it: 的(de) 國(guó)"),
    Rule("junk", rule_junk, "symbols injected inside words by mirror sites (≠φλ☆§※)"),
    Rule("width", rule_width, "full-width letters, digits and spaces to ordinary forms"),
    Rule("punctuation", rule_punctuation, "half-width punctuation to Chinese forms; quotes, brackets, ellipses unified"),
    Rule("whitespace", rule_whitespace, "spaces in CJK text, indents, line breaks inside a paragraph"),
    Rule("layout", rule_layout, "page numbers, running headers; paragraphs cut by page breaks re-joined"),
    Rule("numerals", rule_numerals, "二〇二二年 / ２０２２年 → 2022年; 第十二条 → 第12条"),
    Rule("regional", rule_regional, "Taiwan/Hong Kong vocabulary to mainland words: 數位→数字, 網路→网络"),
    Rule("script", rule_script, "traditional characters to simplified (OpenCC t2s; 著力 → 着力)"),
)
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES)


def select_rules(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """Parse a rule selection: ``"all"``, ``"ruby,script"``, ``"all,-layout"``."""
    if spec is None:
        return RULE_NAMES
    items = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    if isinstance(spec, str) and not items:
        raise InputError("empty rule selection", f"{spec!r} names no rule", "name rules comma-separated, or use all / none")
    chosen: set[str] = set()
    if not items or all(i.startswith("-") for i in items):
        chosen = set(RULE_NAMES)
    for item in items:
        name = item.lstrip("+-")
        if name in ("all", "none"):
            everything = (name == "all") != item.startswith("-")  # -all is none, -none is all
            chosen = set(RULE_NAMES) if everything else set()
            continue
        if name not in RULE_NAMES:
            raise InputError(
                f"unknown normalization rule {name!r}",
                f"the rules are: {', '.join(RULE_NAMES)}",
                "name rules from that list, comma-separated; prefix '-' to switch one off (all,-layout)",
            )
        if item.startswith("-"):
            chosen.discard(name)
        else:
            chosen.add(name)
    return tuple(n for n in RULE_NAMES if n in chosen)


def normalize(document: Document, *, rules: str | Iterable[str] | None = None) -> Normalized:
    """Apply the selected rules in their fixed order; keep the map."""
    names = select_rules(rules)
    mt = MappedText.identity(document.text)
    for rule in RULES:
        if rule.name in names:
            mt = rule.fn(mt, document)
    return Normalized(document=document, mapped=_finish(mt), rules=names)


def normalize_text(text: str, *, rules: str | Iterable[str] | None = None, format: str | None = None) -> str:
    """Normalized form of a string (convenience for tests and scripts)."""
    from jiaokan.ingest import document_from_text

    return normalize(document_from_text(text, format=format), rules=rules).text
