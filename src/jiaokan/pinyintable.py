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
        key = b'\n"%d": ' % code
        at = self.probe(data, code)  # the file lists the code points in order: bisection finds an entry in ~16 probes
        if at < 0 or not data.startswith(key, at):
            at = data.find(key)  # not in order after all, or absent: the whole file is searched
            if at < 0:
                return None
        end = data.find(b"\n", at + 1)
        value: str = json.loads(data[at + len(key):end if end >= 0 else len(data)].rstrip().rstrip(b","))
        return value

    @staticmethod
    def probe(data: bytes, code: int) -> int:
        """Where the line of ``code`` starts (at its newline) if the lines are in order of code point, else anywhere."""
        lo, hi = 1, len(data)  # lo, hi: offsets of newlines that start entry lines (data[0] is "{")
        while lo < hi:
            mid = data.rfind(b"\n", lo, (lo + hi) // 2 + 1)
            mid = max(mid, lo)
            colon = data.find(b'":', mid)
            if colon < 0:
                return -1
            try:
                here = int(data[mid + 2:colon])
            except ValueError:
                return -1
            if here == code:
                return mid
            if here < code:
                nxt = data.find(b"\n", mid + 1)
                if nxt < 0:
                    return -1
                lo = nxt if nxt > mid else mid + 1
            else:
                hi = mid
        return -1


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
