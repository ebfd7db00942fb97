"""A plain text report is written without rich, and is what rich writes (jiaokan.sheet, issue 19: start-up).

The oracle is rich itself: the same lines printed through rich's console (no colour, the escaping hook), the way
every text report was written before.  Real reports (diff, check, trace of the samples, at several widths) and
hostile pieces (control characters, escapes, bidi controls, forged workflow commands, tabs, a table wider than
the page) must come out byte for byte the same.
"""

from __future__ import annotations

import io
import re

import pytest

from jiaokan import render
from jiaokan.check import check
from jiaokan.config import Settings
from jiaokan.diff import diff_files
from jiaokan.ingest import read_document
from jiaokan.sheet import Grid, Line, Sheet, console, done
from jiaokan.trace import trace_files

from .conftest import ALL_SAMPLES, VENDOR_001, XINHUA_000

SGR = re.compile(r"\x1b\[[0-9;]*m")


def through_rich(sheet: Sheet) -> str:
    """The sheet's items printed by rich, as the text reports were before jiaokan.sheet."""
    buf = io.StringIO()
    out = console(buf, sheet.color, sheet.width)
    for item in sheet.items:
        out.print(item if isinstance(item, str) else item.rich())
    return done(buf)


@pytest.fixture
def sheets(monkeypatch: pytest.MonkeyPatch) -> list[Sheet]:
    """Every sheet a renderer fills, kept to be printed again by the oracle."""
    made: list[Sheet] = []

    class Recorded(Sheet):
        __slots__ = ()

        def __init__(self, *, color: bool, width: int) -> None:
            super().__init__(color=color, width=width)
            made.append(self)

    monkeypatch.setattr(render, "Sheet", Recorded)
    return made


@pytest.mark.parametrize("width", [100, 60, 40])
def test_the_samples_reports_are_what_rich_writes(sheets: list[Sheet], width: int) -> None:
    texts = []
    for witness in ALL_SAMPLES:
        result = diff_files(VENDOR_001, witness)
        texts.append(render.diff_text(result, width=width))
        texts.append(render.diff_text(result, width=width, include_cosmetic=True))
        texts.append(render.diff_text(result, width=width, stat=True))
    texts.append(render.check_text(check(read_document(str(VENDOR_001)), [str(p) for p in ALL_SAMPLES], settings=Settings()), width=width))
    texts.append(render.trace_text(trace_files(str(VENDOR_001), str(XINHUA_000)), width=width))
    assert len(sheets) == len(texts)
    for sheet, text in zip(sheets, texts, strict=True):
        assert text == through_rich(sheet)
    assert "\t" not in "".join(texts) and any("cosmetic" in t for t in texts)


def _hostile(sheet: Sheet) -> Sheet:
    sheet.print(Line("title\x1b[2J\x1b]0;owned\x07 end", style="bold"))
    sheet.print("::error file=README.md::forged")
    sheet.print(Line("  ").append("::warning::also forged", style="dim"))
    sheet.print(Line("a\rb\bc\x0bd\x0ce\x00f\x7fg", style="red").append("\u202eevil\u202c 中文\u200b", style="green"))
    sheet.print(Line("two\nlines\n::error::third", style="dim"))
    sheet.print()
    sheet.print(Line("", style="bold").append("", style="dim"))
    sheet.print(Line("trailing spaces   ").append("   ", style="red"))
    grid = Grid((("code", "left"), ("severity", "left"), ("count", "right")))
    grid.add_row("wording-substitution", "substantive", "1,234")
    grid.add_row("文号", "cosmetic", "7")
    sheet.print(grid)
    return sheet


def test_hostile_lines_are_escaped_as_rich_escapes_them() -> None:
    sheet = _hostile(Sheet(color=False, width=100))
    text = sheet.text()
    assert text == through_rich(sheet)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    assert "code                  severity     count\n" in text and "文号                  cosmetic         7\n" in text


def test_a_tab_or_a_table_wider_than_the_page_is_left_to_rich() -> None:
    tabbed = Sheet(color=False, width=100)
    tabbed.print(Line("a\tb 中文\tc"))
    assert tabbed.text() == through_rich(tabbed) and "\t" not in tabbed.text()
    narrow = _hostile(Sheet(color=False, width=30))
    assert narrow.text() == through_rich(narrow)


def test_colour_is_rich_with_the_same_text(sheets: list[Sheet]) -> None:
    result = diff_files(VENDOR_001, ALL_SAMPLES[2])
    plain, coloured = render.diff_text(result), render.diff_text(result, color=True)
    assert "\x1b[" in coloured and SGR.sub("", coloured) == plain
