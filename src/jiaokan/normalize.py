"""Stage 2: normalize a document for comparison, never losing the way back.

Normalization is a named, ordered list of rules (:data:`RULES`), each switchable
by name, like markdown-it's rule chains.  Every rule maps a
:class:`~jiaokan.textmap.MappedText` to another, so each normalized character
still knows the span of original characters it came from, and every change is
marked with the finding code the rule declares (markdown-it's token ``type``):
a difference normalization erased is reported under the code of the rule that
erased it, never guessed back from the two texts.  Compare on the normalized
form, show the original (CollateX's ``n`` and ``t``).

One rule, ``regional``, rewrites nothing: Taiwan and Hong Kong vocabulary is
judged pairwise when two copies are compared (``jiaokan.regional``), because a
rewrite would also change words both copies share.

The result has paragraphs separated by exactly one blank line
(:data:`PARAGRAPH_BREAK`) and no leading or trailing whitespace, so that
normalizing it again changes nothing (idempotence): a single line break in
input may be a wrap, a blank line never is.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import operator
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import overload

from jiaokan import lazy
from jiaokan.characters import classes, compatibility_table, has_uncommon, is_combining, is_junk_symbol, radical_table
from jiaokan.errors import InputError
from jiaokan.findings import Code
from jiaokan.ingest import Document, DocumentFormat
from jiaokan.markup import html_text, markdown_text
from jiaokan.patterns import compiled
from jiaokan.pinyintable import Readings
from jiaokan.pinyintable import readings as pinyin_readings
from jiaokan.textmap import CODES, Builder, MappedText, MarkWriter, code_byte, substitute, translate
from jiaokan.variants import opencc_converter, variant_table

RuleFn = Callable[[MappedText, Document], MappedText]
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True, slots=True)
class Rule:
    """A normalization rule: its name, what it does, and the finding codes its edits are reported under.

    ``fn`` is None for a rule judged pairwise when two copies are compared (``regional``).
    """

    name: str
    fn: RuleFn | None
    summary: str
    codes: tuple[Code, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One normalized paragraph: ``[start, end)`` in the normalized text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Edit:
    """One change a rule made: original ``[start, end)`` now reads ``normalized`` (normalized ``[norm_start, norm_end)``).

    ``read`` is what the rule saw there (the original with earlier rules' changes inside it applied) and
    ``written`` what it wrote, so that two copies' edits by the same rule can be told equal or not.
    """

    start: int
    end: int
    original: str
    normalized: str
    norm_start: int
    norm_end: int
    code: Code
    read: str
    written: str
    whole: bool = False  # the rule rewrote the piece as one (a date, a phrase), not character for character

    @property
    def rule(self) -> str:
        return rule_of(self.code)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A document's normalized text, its map back, and the rules applied."""

    document: Document
    mapped: MappedText
    rules: tuple[str, ...]
    _cache: dict[str, EditLog] = field(default_factory=dict, repr=False, compare=False)

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

    def edits(self, i: int | None = None, j: int | None = None) -> list[Edit]:
        """What normalization changed (inside normalized ``[i, j)``), in original terms, each with its code.

        Ordered by place.  Where rules changed the same characters one after another, each change is its own
        edit; a deletion belongs to the range it lies inside.
        """
        log = self.edit_log()
        if i is None or j is None:
            return list(log)
        # edits are in normalized order: look only at those that can reach [i, j) (--show-map asks per paragraph)
        lo, hi = bisect.bisect_left(log.norm_starts, i - log.reach), bisect.bisect_left(log.norm_starts, j)
        out = []
        for k in range(lo, hi):
            n1, n2 = log.norm_starts[k], log.norm_ends[k]
            if (n1 < j and n2 > i) or (n1 == n2 and i < n1 < j):
                out.append(log[k])
        return out

    def edit_log(self) -> EditLog:
        """Every edit, as a sequence that makes each when asked (computed once per document): for a caller that
        walks the edits of a large text without holding them all."""
        log = self._cache.get("edits")
        if log is None:
            log = self._cache["edits"] = EditLog(self.mapped, self.document.text)
        return log


class EditLog(Sequence[Edit]):
    """Every mark of a normalized text as an :class:`Edit`, ordered by place, kept as columns: an edit is made
    when asked for (``log[k]``), from the mark it reports and the two texts, so that a 20 MB traditional text's
    two million edits cost a few arrays, not two million objects.  A caller that judges edits by the thousand (the
    diff's cosmetic comparison) reads the columns and the texts (``read``, ``written``) instead."""

    __slots__ = ("_mapped", "_marks", "_original", "_reads", "codes", "ends", "mark", "norm_ends", "norm_starts", "reach", "starts")

    def __init__(self, mapped: MappedText, original: str) -> None:
        self._mapped, self._original, self._marks = mapped, original, mapped.marks
        #: each mark's original start and end, and its code byte (2 * index in textmap.CODES + whole)
        self.starts, self.ends, self.codes = mapped.marks.columns()
        #: what a mark's rule read, by mark, where that is not the original (earlier marks inside it)
        self._reads: dict[int, str] = {}
        #: each edit's mark, and its normalized range (ascending starts)
        self.mark, self.norm_starts, self.norm_ends = _edit_rows(self, original)
        self.reach = max(map(operator.sub, self.norm_ends, self.norm_starts), default=0)

    def __len__(self) -> int:
        return len(self.mark)

    @overload
    def __getitem__(self, k: int) -> Edit: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[Edit]: ...
    def __getitem__(self, k: int | slice) -> Edit | Sequence[Edit]:
        if isinstance(k, slice):
            return [self[q] for q in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        q = self.mark[k]
        s, e, c = self.starts[q], self.ends[q], self.codes[q]
        n1, n2 = self.norm_starts[k], self.norm_ends[k]
        original = self._original[s:e]
        return Edit(s, e, original, self._mapped.text[n1:n2], n1, n2, CODES[c >> 1], self._reads.get(q, original),
                    self._marks.new_text(q), bool(c & 1))

    def code(self, k: int) -> Code:
        """The code of edit ``k`` (without making the edit)."""
        return CODES[self.codes[self.mark[k]] >> 1]

    def read(self, k: int) -> str:
        """What the rule of edit ``k`` read (``log[k].read``, without making the edit)."""
        q = self.mark[k]
        read = self._reads.get(q)
        return self._original[self.starts[q]:self.ends[q]] if read is None else read

    def written(self, k: int) -> str:
        """What the rule of edit ``k`` wrote (``log[k].written``)."""
        return self._marks.new_text(self.mark[k])

    def row_columns(self) -> tuple[bytes, array[int], array[int], array[int]]:
        """Each edit's code byte, original start and end, and the length of what it wrote, in the log's order."""
        mark = self.mark
        lengths = self._marks.new_lengths()
        tc = self.starts.typecode
        return (bytes(map(self.codes.__getitem__, mark)), array(tc, map(self.starts.__getitem__, mark)),
                array(tc, map(self.ends.__getitem__, mark)), array(tc, map(lengths.__getitem__, mark)))


RUNS = 256  # a column in more ascending runs than this is sorted whole (the marks of each rule come in text order)
LOCATE = 2048  # values located at a time against the stretch of the sequence they fall in
BLOCK = 65536  # a column is ordered this many values at a time: a sort's keys and indices for a block, not for all


def _cuts(key: array[int]) -> list[int]:
    """Where the ascending runs of ``key`` start, and its length."""
    n = len(key)
    return [0, *itertools.compress(range(1, n), map(operator.gt, key[:-1], key[1:])), n] if n else [0, 0]


def locate(seq: array[int], values: array[int], *, right: bool = False) -> array[int]:
    """``bisect_left`` (``bisect_right``) of the ascending ``seq`` for each of ``values``, in a column.

    A block of ascending values at a time is bisected in the stretch of ``seq`` they fall in, made a list: bisecting
    an array makes an int at every probe (1.3 µs a value in a 1.5 M map), a short list none, and no list of the
    whole map is made."""
    find = bisect.bisect_right if right else bisect.bisect_left
    out = array(seq.typecode)
    for a, b in pairwise(_cuts(values)):
        for x in range(a, b, LOCATE):
            y = min(b, x + LOCATE)
            part = values[x:y]
            w0, w1 = find(seq, part[0]), find(seq, part[-1])
            if w1 - w0 <= 64 * (y - x):  # making a list costs ~10 ns an item, a probe of an array ~1 µs a value
                window = seq[w0:w1].tolist()
                out.extend(map(operator.add, itertools.repeat(w0, y - x), map(find, itertools.repeat(window, y - x), part)))
            else:  # values far apart: bisected in the array
                out.extend(map(find, itertools.repeat(seq, y - x), part))
    return out


def ascending(key: array[int]) -> array[int]:
    """The indices of ``key`` by value, equal values by index: linear in the ascending runs the column is made of
    (each rule's marks), and sorted a block of values at a time, so that no list of every index is ever made."""
    n = len(key)
    cuts = _cuts(key)
    if len(cuts) == 2:
        return array("q", range(n))
    if n <= BLOCK or len(cuts) > RUNS:
        return array("q", sorted(range(n), key=key.__getitem__))
    out = array("q")
    top = max(key) + 1
    step = max(1, top * BLOCK // n)
    runs = list(pairwise(cuts))
    for lo in range(min(key), top, step):
        idx: list[int] = []
        for a, b in runs:
            idx.extend(range(bisect.bisect_left(key, lo, a, b), bisect.bisect_left(key, lo + step, a, b)))
        idx.sort(key=key.__getitem__)
        out.extend(idx)
    return out


def _edit_rows(log: EditLog, original: str) -> tuple[array[int], array[int], array[int]]:
    """Each mark's place in the normalized text and what its rule read; the rows in normalized order.

    Where rules changed the same characters one after another, each change is its own edit; a mark whose result a
    later rule deleted (a no-break space made a space, then dropped) is left out.  Column by column (``map`` over
    arrays, no Python loop per mark): only marks with another inside them, and edits at the same normalized
    place, are looked at one by one.
    """
    S, E, C = log.starts, log.ends, log.codes  # the marks' columns
    marks, mapped = log._marks, log._mapped
    count = len(S)
    starts, ends = mapped.starts, mapped.ends
    tc = starts.typecode
    # the normalized characters whose spans overlap each mark (a point mark: where it falls); a character ending
    # at or before a mark's start starts before its end, so the first never passes the second
    n2 = locate(starts, E)
    n1 = locate(ends, S, right=True)
    for k in itertools.compress(range(count), map(operator.eq, S, E)):
        n1[k] = n2[k]
    # what a rule read: the original with the outermost earlier marks inside its mark applied.  Only a mark
    # another one starts inside (or at the start of) can hold one.
    by_start = ascending(S)
    ss = array(tc, map(S.__getitem__, by_start))
    se = array(tc, map(E.__getitem__, by_start))
    candidates = sorted({*itertools.compress(range(count - 1), map(operator.lt, ss[1:], se[:-1])),
                         *itertools.compress(range(1, count), map(operator.eq, ss[:-1], ss[1:]))})
    superseded: set[int] = set()
    for p in candidates:
        k, ms, me = by_start[p], ss[p], se[p]
        if ms >= me:
            continue
        inner = [q for q in by_start[bisect.bisect_left(ss, ms):bisect.bisect_left(ss, me)] if q < k and E[q] <= me]
        if not inner:
            continue
        if not marks.new_text(k):
            superseded.update(inner)
        inner.sort(key=lambda q: (S[q], -E[q], -q))
        pieces: list[str] = []
        pos = ms
        for q in inner:
            if S[q] >= pos:
                pieces += [original[pos:S[q]], marks.new_text(q)]
                pos = E[q]
        pieces.append(original[pos:me])
        read = "".join(pieces)
        if read != original[ms:me]:
            log._reads[k] = read
    del by_start, ss, se
    # the rows by (norm_start, norm_end, start, end, code, mark): by norm_start first, then each run of equal ones
    order = ascending(n1)
    first = array(tc, map(n1.__getitem__, order))
    tied = list(itertools.compress(range(count - 1), map(operator.eq, first[:-1], first[1:])))
    del first
    if tied:
        rank = [r for r, _ in sorted(enumerate(sorted(range(len(CODES)), key=lambda c: str(CODES[c]))), key=lambda rc: rc[1])]
        x = 0
        while x < len(tied):
            y = x
            while y + 1 < len(tied) and tied[y + 1] == tied[y] + 1:
                y += 1
            a, b = tied[x], tied[y] + 2
            order[a:b] = array("q", sorted(order[a:b], key=lambda q: (n2[q], S[q], E[q], rank[C[q] >> 1], q)))
            x = y + 1
    if superseded:
        order = array("q", itertools.filterfalse(superseded.__contains__, order))
    return order, array(tc, map(n1.__getitem__, order)), array(tc, map(n2.__getitem__, order))


# --------------------------------------------------------------------------
# character classes

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = compiled(f"[{_CJK}]")
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—·"
_TERMINAL = set("。！？；：!?;:…")
_CLOSERS = set("”’」』)）》】〕\"'")
_HAN_NUMERALS = set("〇○零一二三四五六七八九十百千")
_NUMERALS = _HAN_NUMERALS | set("0123456789")


def is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK_RE.match(ch) is not None


# --------------------------------------------------------------------------
# rules: markup


def rule_markup(mt: MappedText, doc: Document) -> MappedText:
    """Tags, comments, scripts, entities and front matter out."""
    if doc.format == "html":
        # Drop the front matter: the HTML parser starts at the body.
        return html_text(doc.text, doc.body_start, len(doc.text)).marked_against(doc.text, Code.MARKUP)
    if doc.body_start:
        mt = mt.slice(_index_at(mt, doc.body_start), len(mt.text))
    if doc.format == "markdown":
        mt = markdown_text(mt, code=Code.MARKUP)
    if doc.format == "docx":
        # the marks jiaokan's Word reader puts before a note ([脚注1] ), not the document's words: never compared
        mt = substitute(mt, _NOTE_MARK, lambda m: "", code=Code.MARKUP)
    return mt


_NOTE_MARK = compiled(r"(?m)^\[(?:脚注|尾注)\d{1,5}\] ")


def _index_at(mt: MappedText, original_offset: int) -> int:
    return bisect.bisect_left(mt.starts, original_offset)


# --------------------------------------------------------------------------
# rules: what the Unicode database says reads as nothing, or as another character


@lru_cache(maxsize=1)
def invisible_pattern() -> re.Pattern[str]:
    return compiled(f"[{classes().invisible}]+")


@lru_cache(maxsize=1)
def bidi_pattern() -> re.Pattern[str]:
    return compiled(f"[{classes().bidi}]+")


@lru_cache(maxsize=1)
def selector_pattern() -> re.Pattern[str]:
    return compiled(f"[{classes().selectors}]+")


def rule_invisible(mt: MappedText, doc: Document) -> MappedText:
    """Zero-width spaces and joiners, soft hyphens, word joiners, stray BOMs: format characters nobody sees."""
    if not has_uncommon(mt.text):
        return mt
    return substitute(mt, invisible_pattern(), lambda m: "", code=Code.INVISIBLE)


def rule_bidi(mt: MappedText, doc: Document) -> MappedText:
    """Bidirectional controls out of the compared text; each is reported (they can hide or reorder text)."""
    if not has_uncommon(mt.text):
        return mt
    return substitute(mt, bidi_pattern(), lambda m: "", code=Code.BIDI_CONTROL)


def rule_variation(mt: MappedText, doc: Document) -> MappedText:
    """Variation selectors (a glyph choice for the character before them) out."""
    if not has_uncommon(mt.text):
        return mt
    return substitute(mt, selector_pattern(), lambda m: "", code=Code.VARIATION_SELECTOR)


_COMBINING_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_COMBINING_RUN = compiled(rf"[^\W\d_]?{_COMBINING_MARKS}+")
# a run needs a mark: one search for a mark skips the run pattern, which tries its optional letter at every letter
_COMBINING = compiled(_COMBINING_MARKS)


def rule_composition(mt: MappedText, doc: Document) -> MappedText:
    """Letters with combining marks composed (Unicode NFC): decomposed pinyin ``guó`` reads as ``guó``."""
    if not has_uncommon(mt.text) or _COMBINING.search(mt.text) is None:
        return mt

    def compose(m: re.Match[str]) -> str | None:
        run = m.group(0)
        if not all(is_combining(c) for c in run[1:]):
            return None
        nfc = unicodedata.normalize("NFC", run)
        return nfc if nfc != run else None

    return substitute(mt, _COMBINING_RUN, compose, code=Code.COMPOSITION, atomic=True)


def rule_compatibility(mt: MappedText, doc: Document) -> MappedText:
    """CJK compatibility ideographs (U+F900…, U+2F800…) to the unified ideographs they duplicate (NFC)."""
    if not has_uncommon(mt.text):
        return mt
    return translate(mt, compatibility_table(), code=Code.COMPATIBILITY_IDEOGRAPH)


def rule_radicals(mt: MappedText, doc: Document) -> MappedText:
    """Kangxi radicals, CJK radical supplement and stroke characters to the ideograph they look like (⼯ → 工, ⻔ → 门)."""
    if not has_uncommon(mt.text):
        return mt
    return translate(mt, radical_table(), code=Code.RADICAL)


# --------------------------------------------------------------------------
# rules: ruby

_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
#: pinyin ruby after a Han character (the definition; ruby_matches finds its matches from the annotations)
RUBY = compiled(
    rf"([{_CJK}])([^\w\n(（]{{0,4}}?)((?:[(（][{_PINYIN_LETTERS}]{{1,7}}[1-5]?[)）])+)"
)
_RUBY_RUN = compiled(rf"(?:[(（][{_PINYIN_LETTERS}]{{1,7}}[1-5]?[)）])+")  # RUBY's third group
_RUBY_GAP = compiled(r"[^\w\n(（]")  # a character of RUBY's second group
_RUBY_ONE = compiled(rf"[(（]([{_PINYIN_LETTERS}]{{1,7}}[1-5]?)[)）]")


def _pinyin_dict() -> Readings:
    """pypinyin's table of readings per code point, each entry read from its file when asked (jiaokan.pinyintable:
    without pypinyin's ``__init__``, which loads the phrase dictionary too, nor parsing the table's 41,923 entries)."""
    return pinyin_readings()


_U_UMLAUT = str.maketrans(dict.fromkeys("ǖǘǚǜü", "v"))


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


@lru_cache(maxsize=65536)
def is_reading(ch: str, annotation: str) -> bool:
    """Is ``annotation`` a spelling of a reading of ``ch``?  (Cached: a reprint repeats 國(guó) and 的(de) hundreds of times.)"""
    a = unicodedata.normalize("NFC", annotation.lower()).replace("u:", "ü")
    rs = readings(ch)
    return a in rs or a.replace("ü", "v") in rs


def rule_ruby(mt: MappedText, doc: Document) -> MappedText:
    """Pinyin ruby after a character out, where every annotation is a reading of it."""
    b = Builder(mt, Code.RUBY)
    b.replace_all(_ruby_out(mt.text))
    return b.build()


def _ruby_out(text: str) -> Iterator[tuple[int, int, str]]:
    """The annotations that go (the character each reads stays unmarked)."""
    findall = _RUBY_ONE.findall
    for p, q, end in ruby_matches(text):
        gap = text[p + 1:q]
        if gap and not all(_in_line(c) for c in gap):
            continue  # only spaces and junk symbols (removed later) may stand between a character and its reading
        if all(is_reading(text[p], a) for a in findall(text, q, end)):
            yield q, end, ""


def ruby_matches(text: str) -> Iterator[tuple[int, int, int]]:
    """The matches of :data:`RUBY` as (character, annotations' start, end), found from their annotations: a rarer
    thing to look for than a Han character, after each of which the pattern tries its gap.  A gap holds no word
    character, no ``(`` and no line break, so an annotation run reads the leftmost Han character at most four gap
    characters before it, as the pattern's leftmost match takes."""
    cjk, in_gap = _CJK_RE.match, _RUBY_GAP.match
    for m in _RUBY_RUN.finditer(text):
        q = m.start()
        p = -1
        k = q - 1
        while k >= 0 and q - k <= 5:
            c = text[k]
            if cjk(c):
                p = k
            if in_gap(c) is None:
                break
            k -= 1
        if p >= 0:
            yield p, q, m.end()


# --------------------------------------------------------------------------
# rules: junk symbols

_JUNK_AFTER = set("，。、；：？！）》,.;:?!)")  # (ASCII ones become Chinese later)
_ZEROS = set("○◯")  # geometric circles written as a zero: 二○二二年


def rule_junk(mt: MappedText, doc: Document) -> MappedText:
    """Symbols of the classes that do not belong inside a word, between Han characters (数≠据, 数→据 → 数据).

    The class is Unicode's (symbols: So, Sm, Sk; reference marks); the same symbol as a bullet at a line
    start, between digits (a formula), or a circle between Chinese numerals (a zero) is text.  It runs after
    the line joins, on the text as it will be compared; the rules before it look through junk symbols.
    """
    text = mt.text
    if not has_uncommon(text):
        return mt
    b = Builder(mt, Code.JUNK_SYMBOLS)
    k, n = 0, len(text)
    while k < n:
        if not is_junk_symbol(text[k]):
            k += 1
            continue
        j = k + 1
        while j < n and is_junk_symbol(text[j]):
            j += 1
        # a line break is not looked past: the joins are done, so what is left begins a paragraph (★重点任务)
        before, after = _beside(text, k, j, skip=_in_line)
        zero = set(text[k:j]) <= _ZEROS and before in _HAN_NUMERALS and after in _HAN_NUMERALS
        if is_cjk(before) and (is_cjk(after) or (after != "" and after in _JUNK_AFTER)) and not zero:
            b.replace(k, j, "")
        k = j
    return b.build()


# --------------------------------------------------------------------------
# rules: width and punctuation

_WIDTH_TABLE = {cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}  # ０-９
_WIDTH_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDTH_TABLE.update({ord(c): chr(ord(c) - 0xFEE0) for c in "％＋－＝／＠＃＆＊＜＞＾＿｀｜～＄．［］｛｝"})
_WIDTH_TABLE.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " ", 0x205F: " "})
_WIDTH_TABLE.update({ord("｡"): "。", ord("､"): "、", ord("｢"): "「", ord("｣"): "」"})


def rule_width(mt: MappedText, doc: Document) -> MappedText:
    """Full-width letters, digits and spaces to their ordinary forms."""
    return translate(mt, _WIDTH_TABLE, code=Code.WIDTH)


def _family(target: str, members: str) -> dict[int, str]:
    return {ord(c): target for c in members if c != target}


# Every bracket and quote family to the form mainland text uses.  Quotes are only unified here; their
# direction is decided afterwards, per paragraph (_quotes).
_PUNCT_ALWAYS = {
    **_family("（", "(﹙⁽₍"), **_family("）", ")﹚⁾₎"),
    **_family("〈", "‹〈⟨﹤︿〈"), **_family("〉", "›〉⟩﹥﹀〉"),
    **_family("《", "«︽"), **_family("》", "»︾"),
    **_family("【", "〖︻︗"), **_family("】", "〗︼︘"),
    **_family("〔", "〘❲︹⦗"), **_family("〕", "〙❳︺⦘"),
    **_family("“", "「﹁〝＂"), **_family("”", "」﹂〞〟"),
    **_family("‘", "『﹃＇"), **_family("’", "』﹄"),
    **_family("，", "﹐"), **_family("、", "﹑"), **_family("；", "﹔"), **_family("：", "﹕"),
}
_PUNCT_ASCII = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_ASCII_PUNCT = compiled(r"[,;:?!]")
_BRACKET_YEAR = compiled(r"[\[［【(（]\s*((?:19|20)\d\d)\s*[\]］】)）](?=\s*\d{1,4}\s*[号號])")
# three or more dots, spaces between them allowed (the whitespace rule runs later and would join 。。 。 into 。。。)
_DOTS = r"(?:\.(?:[ \t\u3000\xa0]*\.){2,}|。(?:[ \t\u3000\xa0]*。){2,}|…|⋯(?:[ \t\u3000\xa0]*⋯)+)"  # one ⋯ alone is a symbol
_ELLIPSIS = compiled(_DOTS + r"(?:[ \t\u3000\xa0]*" + _DOTS + ")*")  # a run of them is one ellipsis: 。。。…
_PERIOD = compiled(r"\.")
_BLANK_LINE = compiled(r"\n[ \t\u3000]{0,16}\n")
# ASCII angle brackets around Chinese text are brackets (<中华人民共和国…法>, ‹…>), not signs (a<b)
_ANGLE = lazy.pattern(f"[<〈]([^<>〈〉]{{0,60}}?[{_CJK}][^<>〈〉]{{0,60}}?)[>〉]")  # (line breaks inside: a wrap, a page break)
_INLINE_SPACE = " \t\u3000\xa0\u2002\u2003\u2009\u200b\u202f\u205f"


def _around(text: str, i: int, j: int) -> tuple[str, str]:
    """The nearest characters before ``i`` and from ``j`` on, spaces and junk symbols skipped.

    Spaces are skipped because the whitespace rule, which runs later, may
    remove them, and junk symbols because the junk rule, later still, may;
    deciding on what lies beyond keeps normalization idempotent.
    """
    return _beside(text, i, j, skip=_transparent)


def _in_line(ch: str) -> bool:
    """Spaces and junk symbols, on one line."""
    return ch in _INLINE_SPACE or (not ch.isascii() and is_junk_symbol(ch))


def _transparent(ch: str) -> bool:
    """What a neighbour-dependent decision looks past: spaces and line breaks (later rules may remove them: a wrap,
    a page break) and junk symbols (the junk rule removes them)."""
    return ch in "\n\r\f\v" or _in_line(ch)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def rule_punctuation(mt: MappedText, doc: Document) -> MappedText:
    """Half-width punctuation to the Chinese forms; every bracket and quote family unified; ellipses."""

    def ascii_punct(m: re.Match[str]) -> str | None:
        before, after = _around(mt.text, m.start(), m.end())
        # "1,000", "13:45" and "Index, 2022" stay: Latin letters or digits on both sides.
        if _latin(before) and (not after or after.isspace() or _latin(after) or after == "/"):
            return None
        return _PUNCT_ASCII[m.group(0)]

    def period(m: re.Match[str]) -> str | None:
        text = mt.text
        before, _after = _around(text, m.start(), m.end())
        # never judged across a blank line: the paragraph before is another sentence's, and page furniture the
        # layout rule takes out later must not decide it differently on a second pass (idempotence)
        gap = text[max(0, m.start() - 16):m.start()]
        if before and "\n" in gap and not gap.rstrip(" \t\u3000").endswith(before) and _BLANK_LINE.search(gap.rsplit(before, 1)[-1]):
            before = ""
        return "。" if is_cjk(before) or (before != "" and before in "”）》") else None

    mt = substitute(mt, _BRACKET_YEAR, lambda m: f"〔{m.group(1)}〕", code=Code.PUNCTUATION)
    mt = translate(mt, _PUNCT_ALWAYS, code=Code.PUNCTUATION)
    mt = _angle_brackets(mt)
    mt = substitute(mt, _ASCII_PUNCT, ascii_punct, code=Code.PUNCTUATION)
    mt = substitute(mt, _ELLIPSIS, lambda m: "……", code=Code.PUNCTUATION, atomic=True)  # one mark, as ⋯⋯ is one
    mt = _quotes(mt)
    return substitute(mt, _PERIOD, period, code=Code.PUNCTUATION)


def _angle_brackets(mt: MappedText) -> MappedText:
    if "<" not in mt.text and ">" not in mt.text:
        return mt
    b = Builder(mt, Code.PUNCTUATION)
    for m in _ANGLE.finditer(mt.text):
        b.replace(m.start(), m.start() + 1, "〈")
        b.replace(m.end() - 1, m.end(), "〉")
    return b.build()


_QUOTE_CHARS = compiled("[\"'“”‘’\n]")
_DOUBLE, _SINGLE = "\"“”", "'‘’"
_OPENS_AFTER = set("（《【〔〈：，、；") | set(":,;(")  # a quote after these opens (and a single quote after a double one)
_CLOSES_BEFORE = set("，。、；：？！）》】〕〉") | set(",.;:?!)")  # a quote before these closes


def _quotes(mt: MappedText) -> MappedText:
    """Straight quotes get their direction from their place, paragraph by paragraph.

    After an opening bracket, a colon or a comma, or at a line's start, a quote opens; before closing
    punctuation or at a line's end it closes; elsewhere quotes alternate, curly ones counted.  The count starts
    again at each paragraph (after a line that ends a sentence), so one stray quote mark cannot flip the quotes
    of the rest of the document, and a quote wrapped onto the next line still closes.  A curly quote keeps the
    direction it is written with: that is what the copy says, and an edit beside it must not turn it round.
    """
    text = mt.text
    if not any(q in text for q in "\"'“”‘’"):
        return mt
    b = Builder(mt, Code.PUNCTUATION)
    open_double = open_single = False
    line_start = 0
    decided: dict[int, str] = {}
    for m in _QUOTE_CHARS.finditer(text):
        i = m.start()
        ch = m.group(0)
        if ch == "\n":
            line = text[line_start:i].strip()
            if line and not ends_open(line):  # a paragraph ends with its sentence (not at a blank line: a page break)
                open_double = open_single = False
            line_start = i + 1
            continue
        double = ch in _DOUBLE
        k = i - 1
        while k >= line_start and _transparent(text[k]):
            k -= 1
        prev = decided.get(k, text[k]) if k >= line_start else ""
        q = i + 1
        while q < len(text) and text[q] != "\n" and _transparent(text[q]):
            q += 1
        nxt = text[q] if q < len(text) and text[q] != "\n" else ""
        if not double and prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha():
            continue  # don't, it's: an apostrophe
        is_open = open_double if double else open_single
        opens_after = _OPENS_AFTER | (set("“") if not double else set("‘"))
        if ch in "“”‘’":
            opening = ch in "“‘"  # written with its direction
        elif not prev or prev in opens_after:
            opening = True
        elif nxt and (nxt in _DOUBLE or nxt in _SINGLE):
            opening = not is_open  # the next quote is decided in its turn
        elif not nxt or nxt in _CLOSES_BEFORE:
            opening = False
        else:
            opening = not is_open
        new = ("“" if opening else "”") if double else ("‘" if opening else "’")
        decided[i] = new
        if new != ch:
            b.replace(i, i + 1, new)
        if double:
            open_double = opening
        else:
            open_single = opening
    return b.build()


# --------------------------------------------------------------------------
# rules: whitespace and layout

_CRLF = compiled(r"\r\n?")
_SPACES = compiled(r"[ \t\u3000\u00a0\u2002-\u200a\u202f\u205f\u000b]+")
_CJK_OR_PUNCT = compiled(f"[{_CJK}{re.escape(_CJK_PUNCT)}]")
_SPACED_DIGITS = compiled(r"(?<![0-9A-Za-z.])[0-9](?:[ \t]+[0-9])+(?![0-9A-Za-z.])")
_GAP = compiled(r"(?<=\S)([ \t]+)(?=\S)")


def rule_whitespace(mt: MappedText, doc: Document) -> MappedText:
    """Spaces inside CJK text, letter spacing, indents, and line breaks that only wrap a paragraph."""
    mt = substitute(mt, _CRLF, lambda m: "\n", code=Code.WHITESPACE)
    mt = _letter_spacing(mt)
    text = mt.text
    indented = _indented_lines(text)

    def spaces(m: re.Match[str]) -> str | None:
        i, j = m.start(), m.end()
        before = text[i - 1] if i else "\n"
        after = text[j] if j < len(text) else "\n"
        if before in "\n\f" or after in "\n\f":
            return ""  # indents and trailing blanks
        before, after = _beside(text, i, j, skip=_transparent)  # junk symbols go later: look past them
        if _CJK_OR_PUNCT.match(before or "a") or _CJK_OR_PUNCT.match(after or "a"):
            return ""  # 到 2025 年 → 到2025年
        if after in ".,;:!?%" and before.isdigit():
            return ""  # 1 .指导思想, 30 %: a space before punctuation after a number reads as nothing
        return " "

    mt = substitute(mt, _SPACES, spaces, code=Code.WHITESPACE)
    return _join_lines(mt, wrapped_only=True, indented=indented)


def _indented_lines(text: str) -> frozenset[int]:
    """Lines that start with an indent, when only some do: there a paragraph starts (a first-line indent)."""
    lines = text.split("\n")
    indented = frozenset(k for k, line in enumerate(lines) if line[:1] in ("\u3000", "\t") or line[:2] == "  ")
    nonblank = sum(1 for line in lines if line.strip())
    return indented if len(indented) * 2 < nonblank else frozenset()


def _letter_spacing(mt: MappedText) -> MappedText:
    """Text with a space between every character, as some PDF extractions give it, closed up.

    A line is letter-spaced when almost every gap between its characters is a space: then single spaces go
    and a wider gap (a real space, spaced out) becomes one.  Elsewhere, single digits spaced apart next to
    Chinese text (2 0 0 6 年, 处 3 0 0 0 元) are one number.
    """
    text = mt.text
    if " " not in text and "\t" not in text:
        return mt
    b = Builder(mt, Code.WHITESPACE)
    pos = 0
    for line in text.split("\n"):
        if line.count(" ") + line.count("\t") >= 4 and _letter_spaced(line):
            for g in _GAP.finditer(line):
                b.replace(pos + g.start(1), pos + g.end(1), "" if g.group(1) == " " else " ")
        elif " " in line or "\t" in line:
            for d in _SPACED_DIGITS.finditer(line):
                # the neighbours across a line break too: the line may be the start of a wrapped one
                before, after = _beside(text, pos + d.start(), pos + d.end(), skip=str.isspace)
                if _CJK_OR_PUNCT.match(before or "a") or _CJK_OR_PUNCT.match(after or "a"):
                    for k in range(d.start(), d.end()):
                        if line[k] in " \t":
                            b.replace(pos + k, pos + k + 1, "")
        pos += len(line) + 1
    return b.build()


def _letter_spaced(line: str) -> bool:
    """Letters apart (by one space or more; a wider gap is a real space, spaced out), almost all of them."""
    letters = sum(1 for c in line if c not in " \t")
    return letters >= 5 and sum(1 for _ in _GAP.finditer(line)) >= 0.8 * (letters - 1)


def _beside(text: str, i: int, j: int, *, skip: Callable[[str], bool]) -> tuple[str, str]:
    """The nearest characters before ``i`` and from ``j`` on that ``skip`` does not pass over (16 at most)."""
    k = i - 1
    while k >= 0 and i - k <= 16 and skip(text[k]):
        k -= 1
    m = j
    while m < len(text) and m - j < 16 and skip(text[m]):
        m += 1
    before = text[k] if k >= 0 and not skip(text[k]) else ""
    after = text[m] if m < len(text) and not skip(text[m]) else ""
    return before, after


_PAGE_NUMBER = compiled(
    r"^\s*(?:[-—–－_·•]+\s*\d{1,4}\s*[-—–－_·•]+|第\s*\d{1,4}\s*[页頁](?:\s*[,，]?\s*共\s*\d{1,4}\s*[页頁])?|"
    r"\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?|\d{1,4})\s*$"
)
_HEADING = compiled(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百]+[)）]|\d{1,3}[.．、](?!\d)|[(（]\d{1,3}[)）]|"
    r"第[一二三四五六七八九十百零〇\d]+[章节條条款部分编篇]|附件|[①-⑳])"
)
# An article label with its text on the same line (第十条 国家…): the start of a paragraph, not a heading line.
_ARTICLE_RUN_IN = compiled(r"^第[一二三四五六七八九十百千零〇\d]+[条條][\s　]*\S")
# A label reference continuing a wrapped sentence (…依照本条例\n第二十条的规定): no space after the label.
_LABEL_REFERENCE = compiled(r"^第[一二三四五六七八九十百千零〇\d]+[条條款项項章节節](?![\s　])")


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
    feeds = frozenset(k for k, (a, b) in enumerate(lines) if "\f" in text[a:b])
    # Only a document that shows pages (form feeds, page numbers such as "- 3 -", bare numbers counting pages
    # 27, 28, 29 a page apart, a page number with a running header beside it) has page furniture; elsewhere a
    # bare number (a table's cell) or a repeated short line is text.
    furniture = _furniture(stripped, feeds)
    numbers = _page_numbers(stripped, feeds)
    if not feeds and len(numbers) < 2 and not (numbers and furniture - numbers):
        return mt
    b = Builder(mt, Code.LAYOUT)
    for k in sorted(furniture):
        b.replace(lines[k][0], lines[k][1], "")
    return b.build()


PAGE_CHARS = 200  # bare numbers counting pages stand at least this much text apart (a table's row numbers do not)


def _page_numbers(lines: list[str], feeds: frozenset[int] = frozenset()) -> set[int]:
    """Lines that are page numbers: decorated ones (- 3 -, 第3页), and bare numbers that count pages — each one
    more than the last, a page of text apart — or stand beside a form feed."""
    out = {k for k, s in enumerate(lines) if s and not s.isdigit() and _PAGE_NUMBER.match(s)}
    before = [0]  # characters of text before each line
    for s in lines:
        before.append(before[-1] + len(s))
    bare = [(k, int(s)) for k, s in enumerate(lines) if s.isdigit() and len(s) <= 4]
    for (k1, v1), (k2, v2) in pairwise(bare):
        if v2 == v1 + 1 and before[k2] - before[k1 + 1] >= PAGE_CHARS:
            out.update((k1, k2))
    out.update(k for k, _ in bare if k in feeds or k - 1 in feeds or k + 1 in feeds)
    return out


def _furniture(lines: list[str], feeds: frozenset[int] = frozenset()) -> set[int]:
    """Lines that look like page furniture: page numbers, and running headers and footers — short lines repeated
    three times or more, or twice, each time beside a page number."""
    counts = Counter(s for s in lines if s)
    numbers = _page_numbers(lines, feeds)
    nonblank = [k for k, s in enumerate(lines) if s]
    next_to: set[int] = set()  # lines beside a page number
    for x, y in pairwise(nonblank):
        if x in numbers and y not in numbers:
            next_to.add(y)
        elif y in numbers and x not in numbers:
            next_to.add(x)
    beside = Counter(lines[k] for k in next_to)  # how many times each text stands beside a page number

    # the document's title, as its first lines give it: a running header is often the title, cut to fit
    # (more than its first half, so that a signature, the issuer the title starts with, is never taken for one)
    head = set(nonblank[:3])
    title = "".join(lines[k] for k in nonblank[:3])
    first = len(lines[nonblank[0]]) if nonblank else 0

    folded_title = ""

    def cut_title(k: int, s: str) -> bool:
        """The title, or more than its first half: in either script (a header typeset in simplified characters over
        a body converted to traditional ones is still the title)."""
        nonlocal folded_title
        if k in head or len(s) < max(10, first // 2 + 1):
            return False
        if title.startswith(s):
            return True
        folded_title = folded_title or opencc_converter("t2s").convert(title)
        return folded_title.startswith(opencc_converter("t2s").convert(s))

    def running(k: int, s: str) -> bool:
        repeated = counts[s] >= 3 or beside[s] >= 2 or (beside[s] > 0 and cut_title(k, s))
        return repeated and 4 <= len(s) <= 40 and not _HEADING.match(s) and s[-1] not in _TERMINAL and s[-1] != "。"

    return numbers | {k for k, s in enumerate(lines) if s and running(k, s)}


def _strip_junk(line: str) -> str:
    """A line without the junk symbols at its ends (the junk rule, later, removes those between words)."""
    if not has_uncommon(line):
        return line
    i, j = 0, len(line)
    while i < j and is_junk_symbol(line[i]):
        i += 1
    while j > i and is_junk_symbol(line[j - 1]):
        j -= 1
    return line[i:j] if i < j else line


def ends_open(line: str) -> bool:
    """Does this line stop mid-sentence (no terminal punctuation at its end)?"""
    s = line.rstrip()
    if not s:
        return False
    last = s[-1]
    if last in _TERMINAL or last in {"。", "."}:
        return False
    if last in _CLOSERS:
        return len(s) >= 2 and s[-2] not in _TERMINAL and s[-2] != "。"
    return True


def is_heading(line: str) -> bool:
    return _HEADING.match(line.strip()) is not None


def _join_lines(mt: MappedText, *, wrapped_only: bool, indented: frozenset[int] = frozenset()) -> MappedText:
    """Remove line breaks that split one paragraph.

    ``wrapped_only`` (the whitespace rule): single line breaks in text wrapped
    at a fixed width.  Otherwise (the layout rule): any break, blank lines and
    page breaks included, after running prose that stops mid-sentence.
    """
    text = mt.text
    if "\n" not in text:
        return mt
    lines = _lines(text)
    contents = [_strip_junk(text[a:b].strip()) for a, b in lines]
    lengths = sorted(len(c) for c in contents if c)
    wrap_width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    # text wrapped at a fixed width throughout: many lines reach the width (not one long line among short ones)
    fixed = wrap_width >= 12 and sum(1 for n in lengths if n >= 0.75 * wrap_width) >= max(3, 0.25 * len(lengths))
    # ... and wrapped at a count of characters: many lines as long as the widest, give or take the space a label had
    # (a wrap can then fall just after a sentence's end, and the next line still runs on)
    exact = fixed and sum(1 for n in lengths if abs(n - wrap_width) <= 1) >= max(3, 0.3 * len(lengths))
    furniture = _furniture(contents)
    b = Builder(mt, Code.LAYOUT)
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
        if not (k in furniture or m in furniture or m in indented) and (_should_join(
                para, cur, nxt, blank=blank, wrapped_only=wrapped_only, wrap_width=wrap_width, fixed=fixed)
                or (wrapped_only and exact and not blank and len(cur) >= wrap_width - 1 and not is_title(cur) and _runs_on(nxt))):
            b.replace(lines[k][1], lines[m][0], "")
            para += nxt
        else:
            para = ""
        k = m
    return b.build()


_PROSE = compiled(r"[，、；。,;]")
_RUN_IN = compiled(r"[。：:].")  # a heading that runs on into its text


_TITLE = compiled(r"(?:意见|通知|决定|办法|规定|方案|规划|纲要|报告|批复|函|条例|细则|公告|通报|意見|決定|辦法|規定|規劃|綱要|報告|通報)$")


_SENTENCE_MARKS = compiled(r"[。；：？！;:?!]")


def is_title(line: str) -> bool:
    """A document title line: short, no sentence punctuation, ending in the name of a document type, not a list item."""
    s = line.strip()
    return len(s) <= 60 and _TITLE.search(s) is not None and _SENTENCE_MARKS.search(s) is None and not is_heading(s)


def _joinable(last: str, first: str, *, wrapped: bool) -> bool:
    """Can a line ending in ``last`` run on into one starting with ``first``?  Han text, digits, clause marks;
    and, in text wrapped at a fixed width, a closing bracket (a paragraph ending in one is 附件（略）, not wrapped)."""
    left = is_cjk(last) or last in "，、,“‘《（(" or last.isdigit() or (wrapped and last in "》）〉”’")
    right = is_cjk(first) or first in "，、。；：”’》）)" or first.isdigit()
    return left and right and not (last.isdigit() and first.isascii() and first.isalpha())


def _runs_on(nxt: str) -> bool:
    """Could this line be the rest of a paragraph (not a heading, a label, a title or a page's furniture)?"""
    return bool(nxt) and not is_heading(nxt) and not is_title(nxt) and (is_cjk(nxt[0]) or nxt[0] in "“‘《（(")


def _should_join(para: str, cur: str, nxt: str, *, blank: bool, wrapped_only: bool, wrap_width: int, fixed: bool = False) -> bool:
    full = wrap_width >= 12 and len(cur) >= 0.75 * wrap_width  # a line as wide as the text's lines: wrapped
    # a short heading line stays whole, but not a run-in heading with its prose (（一）加强组织领导。各地区…,
    # 第十条 国家实行…), nor a heading line as wide as the text's wrapped lines
    heading_line = (is_heading(para) and len(para) < 40 and _RUN_IN.search(para) is None
                    and _ARTICLE_RUN_IN.match(para) is None and not (wrapped_only and full))
    # a title ends a line that is not a wrapped one, and nothing runs on into a title; but a title too long
    # for one line wraps like text
    title = is_title(cur) or (is_title(nxt) and not (wrapped_only and full))
    if not ends_open(cur) or heading_line or title:
        return False
    # a line that looks like a heading starts a paragraph, unless the line before is a full wrapped line that stops
    # mid-sentence: then it is the rest of that sentence (统 / 一、权威, 依照本条例 / 第二十条的规定)
    if is_heading(nxt) and not (full and (wrapped_only or _LABEL_REFERENCE.match(nxt))):
        return False
    if not _joinable(cur[-1], nxt[0], wrapped=wrapped_only and full and fixed):
        return False
    if wrapped_only:
        # Text wrapped at a fixed width: every wrapped line is near the widest.
        return not blank and full
    # A line cannot end on 第 or a comma, nor a number go on over a break (二〇二 / 二年): whatever its length
    if cur[-1] in "第，、," or (cur[-1] in _NUMERALS and nxt[0] in _NUMERALS):
        return True
    # A page break (or a stray line break) cut running prose: the paragraph so far has clause punctuation, or is
    # an article's text (第三十四条 税务机关…), so it is not a title, a label or a signature.
    return len(para) >= 20 and (_PROSE.search(para) is not None or _ARTICLE_RUN_IN.match(para) is not None)


# --------------------------------------------------------------------------
# rules: script


def _convert_lines(mt: MappedText, convert: Callable[[str], str], code: Code) -> MappedText:
    """Apply a converter, mapping 1:1 where lengths agree, by alignment where not; every change marked.

    OpenCC converts some characters by phrase (全鍊條 → 全链条, but 鍊 alone
    → 炼).  Such a phrase maps as one piece to its whole original span, so the
    original at a character's span always converts to that character.
    """
    out = convert(mt.text)
    if out == mt.text:
        return mt
    b = Builder(mt, code)
    if len(out) != len(mt.text):
        pos = 0
        for line in mt.text.split("\n"):
            conv = convert(line)
            if conv != line:
                _align_replace(b, pos, line, conv)
            pos += len(line) + 1
        return b.build()
    return _convert_one_to_one(mt, out, convert, code)


def _convert_one_to_one(mt: MappedText, out: str, convert: Callable[[str], str], code: Code) -> MappedText:
    """A conversion of as many characters as the text had: the new text is ``out`` and the map the old one, but
    for the pieces converted as phrases (each mapped whole); the old text's characters converted alone are found
    in one pass (joined by a separator, not one string per character), and compared block by block."""
    src = mt.text
    n = len(src)
    sep = next((c for c in "\x01\x02\x03\ufffe" if c not in src), None)
    alone: str | list[str] | None = None
    if sep is not None:
        alone = _alone(src, sep, convert)
        if alone is None:
            alone = convert(sep.join(src)).split(sep)
    if alone is None or len(alone) != n:
        alone = [convert(c) for c in src]
    # pieces converted as phrases (復甦 → 复苏, where 甦 alone stays), found first, joined where they overlap
    windows: list[list[int]] = []
    for i in _mismatches(alone, out):
        if not (windows and windows[-1][0] <= i < windows[-1][1]):
            lo, hi = _phrase_window(src, out, i, convert)
            if windows and lo < windows[-1][1]:
                windows[-1][0] = min(windows[-1][0], lo)
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
    del alone
    old_starts, old_ends = mt.starts, mt.ends
    starts, ends = array(old_starts.typecode, old_starts), array(old_ends.typecode, old_ends)
    tc = old_starts.typecode
    marks = MarkWriter(tc)
    add = marks.add
    one = code_byte(code)
    pos = 0
    for lo, hi in [*windows, [n, n]]:
        if lo < pos:
            continue  # a window reaching back into the one before (a phrase inside it): its characters go one for one
        if lo > pos:  # one character for one: each changed one marked at its own span (joined where they touch)
            marks.chars(old_starts, old_ends, src, out[pos:lo], pos, one)
        if lo < hi:  # a phrase: every character maps to the whole piece
            s, e = old_starts[lo], old_ends[hi - 1]
            starts[lo:hi] = array(starts.typecode, [s]) * (hi - lo)
            ends[lo:hi] = array(ends.typecode, [e]) * (hi - lo)
            if out[lo:hi] != src[lo:hi]:
                add(s, e, code, out[lo:hi], whole=True)
        pos = hi
    return MappedText(out, starts, ends, mt.marks + marks.chunk())


ALONE_BLOCK = 65536  # characters converted alone per call: sep.join(text) makes a string of each character first


def _alone(src: str, sep: str, convert: Callable[[str], str]) -> str | None:
    """Each character of ``src`` converted on its own, as one string (None if some character converted to more
    or fewer than one), a block at a time: the joined block's list of one-character strings is all it holds."""
    pieces: list[str] = []
    for x in range(0, len(src), ALONE_BLOCK):
        part = src[x:x + ALONE_BLOCK]
        joined = convert(sep.join(part))
        m = len(part)
        if len(joined) != 2 * m - 1 or joined[1::2] != sep * (m - 1):
            return None
        pieces.append(joined[::2])
    return "".join(pieces)


def _mismatches(a: str | list[str], b: str, lo: int = 0, hi: int | None = None, block: int = 64) -> Iterator[int]:
    """The indices in ``[lo, hi)`` where ``a`` and ``b`` differ, equal stretches skipped a block at a time."""
    hi = len(b) if hi is None else hi
    for x in range(lo, hi, block):
        y = min(hi, x + block)
        if isinstance(a, str) and a[x:y] == b[x:y]:
            continue
        for i in range(x, y):
            if a[i] != b[i]:
                yield i


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


# 著 written for 着 (Taiwan usage, many vendor reprints): t2s keeps 著, since
# it is also a simplified character (著名, 显著).  It is the particle or verb
# 着 before these characters (着力, 着眼, 着重) and after these verbs (随着,
# 围绕着, 意味着).  OpenCC's tw2s decides by phrase too, but only on
# traditional input: on simplified 显著 it gives 显着.
_ZHE_AFTER = "力眼重手想落实陆装色火迷急凉墨"
_ZHE_BEFORE = "看跟随接沿绕味在挥动有本朝向靠为带拿临担负持历伴志表示响定藏含存肩"
_ZHE = compiled(f"著[{_ZHE_AFTER}]|[{_ZHE_BEFORE}]著")


def rule_script(mt: MappedText, doc: Document) -> MappedText:
    """Traditional characters to simplified (OpenCC t2s); Hong Kong / Taiwan variant characters too (衞 → 卫); 著力 → 着力."""
    mt = _convert_lines(mt, opencc_converter("t2s").convert, Code.SCRIPT)
    mt = translate(mt, variant_table(), code=Code.SCRIPT)
    if "著" not in mt.text:
        return mt
    return substitute(mt, _ZHE, lambda m: m.group(0).replace("著", "着"), code=Code.SCRIPT, atomic=True)


# --------------------------------------------------------------------------
# rules: numerals

_HAN_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_NUM = "〇○零一二三四五六七八九十"
_DATE = compiled(
    rf"(?<![{_NUM}])(?P<y>[〇○零一二三四五六七八九]{{4}}|\d{{4}})\s*年"
    rf"(?:\s*(?P<m>[一二三四五六七八九十]{{1,3}}|\d{{1,2}})\s*月"
    rf"(?:\s*(?P<d>[一二三四五六七八九十]{{1,3}}|\d{{1,2}})\s*(?P<u>[日号]))?)?"
)
_ORDINAL = compiled(r"第(?P<n>[一二三四五六七八九十百零〇]{1,5})(?P<u>[条條章节節款项項编編])")


def han_number(s: str) -> int | None:
    """Value of a Chinese numeral (一百二十三 → 123, 一万二千 → 12000, 二〇二二 → 2022), or None."""
    s = s.strip()
    if not s:
        return None
    if all(c in _HAN_DIGITS for c in s):
        return int("".join(_HAN_DIGITS[c] for c in s))
    units = {"十": 10, "百": 100, "千": 1000}
    big = {"万": 10_000, "亿": 100_000_000}
    total = section = digit = 0
    pending = False  # a digit not yet multiplied by a unit: another digit after it (十四五) is not a number
    for c in s:
        if c in _HAN_DIGITS or c == "两":
            if pending and digit != 0:
                return None
            digit = 2 if c == "两" else int(_HAN_DIGITS[c])
            pending = True
            continue
        pending = False
        if c in units:
            section += (digit or 1) * units[c]
            digit = 0
        elif c in big:
            section += digit
            if section == 0:
                return None  # 万一 is not a number
            total += section * big[c]
            section = digit = 0
        else:
            return None
    return total + section + digit


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

    mt = substitute(mt, _DATE, date, code=Code.NUMERAL_FORM, atomic=True)
    return substitute(mt, _ORDINAL, ordinal, code=Code.NUMERAL_FORM, atomic=True)


# --------------------------------------------------------------------------
# paragraph assembly


def assemble_paragraphs(mt: MappedText) -> MappedText:
    """Every remaining line break becomes one paragraph break; trim each paragraph."""
    b = Builder(mt, Code.WHITESPACE)
    for m in re.finditer(r"^[ \t\f\u3000\xa0]+|[ \t\f\u3000\xa0]+$", mt.text, re.M):
        b.replace(m.start(), m.end(), "")
    mt = b.build()
    text = mt.text
    b = Builder(mt, Code.LAYOUT)
    for m in re.finditer(r"\n+", text):
        i, j = m.start(), m.end()
        new = "" if i == 0 or j == len(text) else PARAGRAPH_BREAK
        if text[i:j] != new:
            b.replace(i, j, new)
    return b.build()


RULES: tuple[Rule, ...] = (
    Rule("markup", rule_markup, "HTML tags, comments, scripts, entities and YAML front matter out", (Code.MARKUP,)),
    Rule("invisible", rule_invisible, "zero-width spaces and joiners, soft hyphens, word joiners out (Unicode format characters)",
         (Code.INVISIBLE,)),
    Rule("bidi", rule_bidi, "bidirectional controls out of the compared text, each reported as substantive", (Code.BIDI_CONTROL,)),
    Rule("variation", rule_variation, "variation selectors out", (Code.VARIATION_SELECTOR,)),
    Rule("width", rule_width, "full-width letters, digits and spaces to ordinary forms", (Code.WIDTH,)),
    Rule("composition", rule_composition, "letters and combining marks composed (NFC): decomposed guó", (Code.COMPOSITION,)),
    Rule("compatibility", rule_compatibility, "CJK compatibility ideographs to unified ones (NFC)", (Code.COMPATIBILITY_IDEOGRAPH,)),
    Rule("radicals", rule_radicals, "Kangxi and supplement radicals to the ideographs they look like: ⼯ → 工, ⻔ → 门", (Code.RADICAL,)),
    Rule("ruby", rule_ruby, "pinyin ruby out where it is a reading of the character before it: 的(de) 國(guó)", (Code.RUBY,)),
    Rule("punctuation", rule_punctuation, "half-width punctuation to Chinese forms; brackets, quotes and ellipses unified",
         (Code.PUNCTUATION,)),
    Rule("whitespace", rule_whitespace, "spaces in CJK text, letter spacing, indents, line breaks inside a paragraph",
         (Code.WHITESPACE, Code.LAYOUT)),
    Rule("layout", rule_layout, "page numbers, running headers; paragraphs cut by page breaks re-joined", (Code.LAYOUT,)),
    Rule("junk", rule_junk, "symbols injected inside words (arrows, shapes, dingbats, math signs…): 数≠据, 数→据", (Code.JUNK_SYMBOLS,)),
    Rule("script", rule_script, "traditional and HK/TW variant characters to simplified (OpenCC t2s; 衞 → 卫; 著力 → 着力)",
         (Code.SCRIPT,)),
    Rule("numerals", rule_numerals, "二〇二二年 / ２０２２年 → 2022年; 第十二条 → 第12条", (Code.NUMERAL_FORM,)),
    Rule("regional", None, "Taiwan/Hong Kong vocabulary paired with mainland words when copies are compared (OpenCC: 數位/数字)",
         (Code.REGIONAL_VARIANT,)),
)
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES)
_RULE_OF: dict[str, str] = {str(code): rule.name for rule in RULES for code in rule.codes}


def rule_of(code: str) -> str:
    """The rule whose edits a cosmetic code reports (the first that declares it)."""
    return _RULE_OF.get(code, "")


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
    """Apply the selected rules in their fixed order; keep the map and every rule's marks."""
    names = select_rules(rules)
    mt = MappedText.identity(document.text)
    for rule in RULES:
        if rule.fn is not None and rule.name in names:
            mt = rule.fn(mt, document)
    return Normalized(document=document, mapped=assemble_paragraphs(mt), rules=names)


def normalize_text(text: str, *, rules: str | Iterable[str] | None = None, format: DocumentFormat | None = None) -> str:
    """Normalized form of a string (convenience for tests and scripts)."""
    from jiaokan.ingest import document_from_text

    return normalize(document_from_text(text, format=format), rules=rules).text
