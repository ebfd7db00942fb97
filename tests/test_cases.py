"""Golden-file tests (as in black's tests/data/cases): one parametrized test per case file.

A case file has comment lines, then ``--- input`` and ``--- output`` sections.  ``# flags: --rules ruby,script``
gives the command's flags, parsed by ``jiaokan normalize``'s own parser into the settings the command would run
with (as black's ``# flags:``); ``# format: html`` says what the input is.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from jiaokan.cli import settings_from_flags
from jiaokan.normalize import normalize_text

from .conftest import CASES


def read_case(path: Path) -> tuple[dict[str, str], str, str]:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("--- input\n", 1)
    source, expected = rest.split("--- output\n", 1)
    options = {}
    for line in head.splitlines():
        if line.startswith("# ") and ":" in line:
            key, _, value = line[2:].partition(":")
            if key.strip() in ("flags", "format"):
                options[key.strip()] = value.strip()
    return options, source, expected.rstrip("\n")


CASE_FILES = sorted((CASES / "normalize").glob("*.case"))


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_normalize_case(path: Path) -> None:
    options, source, expected = read_case(path)
    settings = settings_from_flags("normalize", shlex.split(options.get("flags", "")))
    got = normalize_text(source, rules=settings.rules, format=options.get("format"))
    assert got == expected


def test_there_are_cases() -> None:
    assert len(CASE_FILES) >= 8
