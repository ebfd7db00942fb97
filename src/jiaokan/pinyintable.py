"""pypinyin's readings of single characters, each looked up in its table's file when asked (issue 19: start-up).

The ruby rule asks for the readings of the few characters that stand before a parenthesized pinyin; pypinyin's own
``pinyin_dict`` parses all 41,923 entries of its 0.8 MB JSON into a dict first (measured: 25-70 ms of a run, the
largest single cost of the samples' diff after the imports).  The file lists one entry a line, ``"CODE": "READINGS",``;
while it has that shape (checked when read) an entry is found by searching the bytes for its line, and otherwise
the whole table is parsed as pypinyin would.  tests/test_start.py compares every entry with ``json.loads``.
"""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache

from jiaokan.sortedlines import first_at_least

FILE = "pinyin_dict.json"


class Readings:
    """``get(code point)`` → pypinyin's comma-separated readings of that character, or None."""

    __slots__ = ("data", "table")

    def __init__(self, data: bytes) -> None:
        # the shape the search relies on: every entry a line of its own, "CODE": "READINGS" and nothing else
        if data.startswith(b'{\n"') and data.rstrip().endswith(b"\n}") and data.count(b'"') == 4 * (data.count(b"\n") - 1 - data.endswith(b"\n")):
            self.data: bytes | None = data
            self.table: dict[int, str] | None = None
        else:
            self.data = None
            self.table = {int(k): v for k, v in json.loads(data).items()}

    def get(self, code: int) -> str | None:
        if self.table is not None:
            return self.table.get(code)
        data = self.data
        assert data is not None
        key = b'"%d": ' % code
        first, end = data.find(b"\n") + 1, data.rfind(b"\n}") + 1  # the entries' lines, between "{" and "}"
        try:  # the file lists the code points in order: bisection finds an entry in ~16 probes
            at = first_at_least(data, first, end, lambda start: int(data[start + 1:data.find(b'":', start)]), code)
        except ValueError:
            at = end  # a line that is no entry after all
        if at >= end or not data.startswith(key, at):
            at = data.find(b"\n" + key) + 1  # not in order after all, or absent: the whole file is searched
            if at <= 0:
                return None
        stop = data.find(b"\n", at)
        value: str = json.loads(data[at + len(key):stop if stop >= 0 else len(data)].rstrip().rstrip(b","))
        return value


def path() -> str | None:
    """The table's file in the installed pypinyin (found without importing pypinyin), or None."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = os.path.join(next(iter(spec.submodule_search_locations)), FILE)
    return found if os.path.exists(found) else None


@cache
def readings() -> Readings:
    """The installed pypinyin's table (read once a process)."""
    found = path()
    if found is None:  # pragma: no cover - an install without the JSON file: pypinyin's own loader
        from pypinyin.pinyin_dict import pinyin_dict

        return Readings(json.dumps({str(k): v for k, v in pinyin_dict.items()}, ensure_ascii=False, indent=0).encode("utf-8"))
    with open(found, "rb") as f:
        return Readings(f.read())
