"""Characters that read as nothing, or as another character: what the Unicode database says about them.

Reprints carry characters a reader cannot see (zero-width spaces, variation
selectors, bidirectional controls), or cannot tell from the ideograph they
stand for (a Kangxi radical ⼯ for 工, a radical-supplement ⻔ for 门, as PDF
extractors emit them; a compatibility ideograph), and symbols injected inside
words.  Every class here is derived from the Unicode database — Python's
``unicodedata`` and Unicode's ``EquivalentUnifiedIdeograph.txt`` (shipped in
``jiaokan/data``) — never listed by hand, so a benchmark built from other
Unicode data can disagree with it.  The tables are built on first use (about
20 ms), and only for a text that has a character outside the common ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jiaokan.patterns import compiled

# Planes that hold format, combining and symbol characters (the others hold ideographs or nothing).
_PLANES = ((0, 0x20000), (0xE0000, 0xE1000))
_EXPLICIT_BIDI = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_IMPLICIT_MARKS = ("LEFT-TO-RIGHT MARK", "RIGHT-TO-LEFT MARK", "ARABIC LETTER MARK")
# Characters of the symbol classes that are text between words all the same: a writer types them
# (+ = < > in 互联网+政务服务 are ASCII and never reach here), and what the punctuation rule unifies.
_TEXT_SYMBOLS = frozenset("¬±×÷")  # math signs of Latin-1: 长×宽
_TEXT_PUNCTUATION = frozenset("·•‧․‥…′″‴‰‱")  # name separators (马克思·韦伯), ellipses, primes and per-mille after digits
# Common characters: a text made only of these needs none of the tables (ASCII, CJK punctuation and
# ideographs, full-width forms, and the general punctuation Chinese text uses).
_COMMON = compiled("[^\t\n\r\f\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff01-\uff9f“”‘’…—–·、]")


@dataclass(frozen=True, slots=True)
class Classes:
    """Character classes from the Unicode database, as regular-expression classes and sets."""

    invisible: str  # format characters a reader does not see (Cf, bidi class BN or ON): U+200B, U+00AD, U+FEFF…
    bidi: str  # bidirectional controls: explicit embeddings, overrides, isolates, and the implicit marks
    selectors: str  # variation selectors (U+FE00…, U+E0100…, Mongolian free variation selectors)
    junk: frozenset[str]  # symbols that do not belong inside a word (So, Sm, Sk, and Po reference marks)


def has_uncommon(text: str) -> bool:
    """Does ``text`` have any character outside the common ones (so the Unicode rules have work)?"""
    return _COMMON.search(text) is not None


def _ranges(cps: list[int]) -> str:
    """A regular-expression class body for the code points (sorted), as ranges."""
    out: list[str] = []
    k = 0
    while k < len(cps):
        j = k
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = chr(cps[k]), chr(cps[j])
        out.append(re.escape(lo) if k == j else f"{re.escape(lo)}-{re.escape(hi)}")
        k = j + 1
    return "".join(out)


CLASSES_DATA = "data/character-classes.txt"  # compute_classes() for one Unicode version (benchmarks/gen_characters.py)


@lru_cache(maxsize=1)
def classes() -> Classes:
    """The classes, read from ``CLASSES_DATA`` when it was built from this Python's Unicode version (a scan of every
    code point costs about 65 ms a run), else computed."""
    lines = resources.files("jiaokan").joinpath(CLASSES_DATA).read_text(encoding="ascii").splitlines()
    fields = dict(line.split("\t", 1) for line in lines if line and not line.startswith("#"))
    if fields.get("unicode") != unicodedata.unidata_version:
        return compute_classes()
    cps = {name: [cp for part in fields[name].split() for cp in _expand(part)] for name in ("invisible", "bidi", "selectors", "junk")}
    return Classes(_ranges(cps["invisible"]), _ranges(cps["bidi"]), _ranges(cps["selectors"]), frozenset(map(chr, cps["junk"])))


def _expand(part: str) -> range:
    lo, _, hi = part.partition("-")
    return range(int(lo, 16), int(hi or lo, 16) + 1)


def classes_data(unicode: str, code_points: dict[str, list[int]]) -> str:
    """The text of ``CLASSES_DATA``: per class, its code points as hexadecimal ranges."""
    out = [f"# {CLASSES_DATA}: characters.compute_classes() as code points; built by benchmarks/gen_characters.py", f"unicode\t{unicode}"]
    for name, cps in code_points.items():
        parts, k = [], 0
        while k < len(cps):
            j = k
            while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
                j += 1
            parts.append(f"{cps[k]:X}" if k == j else f"{cps[k]:X}-{cps[j]:X}")
            k = j + 1
        out.append(f"{name}\t{' '.join(parts)}")
    return "\n".join(out) + "\n"


def compute_classes() -> Classes:
    """The classes from ``unicodedata`` (scanning every code point of the planes that hold such characters)."""
    code_points = class_code_points()
    return Classes(_ranges(code_points["invisible"]), _ranges(code_points["bidi"]), _ranges(code_points["selectors"]), frozenset(map(chr, code_points["junk"])))


def class_code_points() -> dict[str, list[int]]:
    """Each class's code points, sorted, from ``unicodedata`` of the running Python."""
    invisible: list[int] = []
    bidi: list[int] = []
    selectors: list[int] = []
    junk: list[int] = []
    for lo, hi in _PLANES:
        for cp in range(lo, hi):
            ch = chr(cp)
            cat = unicodedata.category(ch)
            if cat == "Cf":
                cls = unicodedata.bidirectional(ch)
                if cls in _EXPLICIT_BIDI or unicodedata.name(ch, "") in _IMPLICIT_MARKS:
                    bidi.append(cp)
                elif cls in ("BN", "ON"):
                    invisible.append(cp)
            elif cat == "Mn" and "VARIATION SELECTOR" in unicodedata.name(ch, ""):
                selectors.append(cp)
            elif cp > 0x7F and not 0xFF00 <= cp <= 0xFFEF and ch not in _TEXT_SYMBOLS and (
                cat in ("So", "Sm", "Sk")
                or (cat == "Po" and (0xA0 <= cp <= 0xFF or 0x2000 <= cp <= 0x206F) and ch not in _TEXT_PUNCTUATION)
            ) and not _means_something(ch):
                junk.append(cp)
    return {"invisible": invisible, "bidi": bidi, "selectors": selectors, "junk": junk}


_UNIT_PARTS = frozenset("°'/.·²³µ")


def _means_something(ch: str) -> bool:
    """A symbol that says something inside a sentence: a unit or abbreviation written as one character (每㎡, ℃,
    №, ™: their compatibility decomposition is letters and digits).  (A comparison such as ≥ stands between a word
    and a number, 年龄≥18, where it is never junk; where both copies have one at the same place, the diff
    compares them.)"""
    decomposition = unicodedata.decomposition(ch)
    if not decomposition.startswith("<"):
        return False
    parts = [chr(int(x, 16)) for x in decomposition.split()[1:]]
    return bool(parts) and all((p.isascii() and p.isalnum()) or p in _UNIT_PARTS for p in parts)


def is_junk_symbol(ch: str) -> bool:
    """A symbol of a class that does not belong inside a word (arrows, shapes, dingbats, misc. symbols, …)."""
    if ch.isascii() or ch.isalnum() or ch.isspace() or _COMMON.match(ch) is None:
        return False
    return ch in classes().junk


@lru_cache(maxsize=1)
def radical_table() -> dict[int, str]:
    """Kangxi radical, CJK radical supplement and CJK stroke characters → the unified ideograph they look like.

    From Unicode's Equivalent_Unified_Ideograph property (UCD ``EquivalentUnifiedIdeograph.txt``).
    """
    text = resources.files("jiaokan").joinpath("data/EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        source, target = (part.strip() for part in line.split(";"))
        lo, _, hi = source.partition("..")
        for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
            table[cp] = chr(int(target, 16))
    return table


@lru_cache(maxsize=1)
def compatibility_table() -> dict[int, str]:
    """CJK compatibility ideographs → their unified ideograph (canonical, Unicode NFC)."""
    table: dict[int, str] = {}
    for lo, hi in ((0xF900, 0xFB00), (0x2F800, 0x2FA20)):
        for cp in range(lo, hi):
            ch = chr(cp)
            nfc = unicodedata.normalize("NFC", ch)
            if nfc != ch:
                table[cp] = nfc
    return table


def is_combining(ch: str) -> bool:
    """A combining mark (tone marks of pinyin written decomposed, NFD)."""
    return unicodedata.combining(ch) > 0 or unicodedata.category(ch) in ("Mn", "Mc", "Me")


_SPELLED = {"\n": "⏎", "\t": "\\t", "\r": "\\r", "\f": "\\f"}


def visible(text: str, spelled: dict[str, str] | None = None) -> str:
    """Text with what cannot be seen spelled out (\\u202e, \\u200b, ⏎): a message or a page about a bidi
    control must not itself be reordered by it.  ``spelled`` adds names for more characters (a space as ␣)."""
    names = {**_SPELLED, **(spelled or {})}
    if not has_uncommon(text) and not any(c in text for c in names):
        return text
    return "".join(names.get(c) or (f"\\u{ord(c):04x}" if _unseen(c) else c) for c in text)


def _unseen(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cf", "Cc", "Zl", "Zp") or (category == "Mn" and "VARIATION SELECTOR" in unicodedata.name(ch, ""))


_LINE_SPELLED = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f"}


def one_line(text: str) -> str:
    """Text that stays on its one line: every control character (line breaks too), bidi control and format
    character shown escaped (``\\n``, ``\\u001b``) — an error message or a file name cannot clear the screen, set
    the window title, open a hyperlink or forge a line of its own."""
    return visible(text, _LINE_SPELLED)


def _ci_line(line: str) -> str:
    """A line a CI runner would execute as a workflow command (``::add-mask::``, ``::error …::``, after any spaces
    or colour codes, and the legacy ``##[command]`` anywhere) with its colon or hash shown escaped."""
    if "##[" in line:
        line = line.replace("##[", "#\\u0023[")
    k = 0
    while k < len(line):
        if line[k] in " \t":
            k += 1
        elif line.startswith("\x1b[", k):  # an SGR colour code rich wrote (content escapes are escaped before)
            m = k + 2
            while m < len(line) and (line[m].isdigit() or line[m] == ";"):
                m += 1
            if m < len(line) and line[m] == "m":
                k = m + 1
            else:
                break
        else:
            break
    if line.startswith("::", k):
        line = f"{line[:k]}\\u003a{line[k + 1:]}"
    return line


def no_workflow_commands(text: str) -> str:
    """A text report in which no line can begin a GitHub Actions workflow command (GitHub executes one found at the
    start of ANY line of a job's output, whatever printed it)."""
    if "::" not in text and "##[" not in text:
        return text
    return "\n".join(_ci_line(line) for line in text.split("\n"))


def terminal(text: str) -> str:
    """Plain text for a terminal or a log, its line breaks kept: every other control character, bidi control and
    format character shown escaped, and no line a CI runner would execute."""
    return no_workflow_commands("\n".join(one_line(line) for line in text.split("\n")))


_JSON_UNSAFE = compiled("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_safe(dumped: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with the characters JSON itself leaves raw but a terminal
    or a line-based reader acts on — DEL and C1 controls (``\\x9b`` is a CSI), U+2028/U+2029, bidi embeddings and
    isolates — written as ``\\uXXXX`` escapes: the same JSON value, nothing that moves a cursor or breaks a line."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
