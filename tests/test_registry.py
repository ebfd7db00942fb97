"""One vocabulary of codes: the registry, the rules that make cosmetic codes, and the documentation agree."""

from __future__ import annotations

import re

from jiaokan.findings import COSMETIC, FRAMING, REGISTRY, STRUCTURAL, SUBSTANTIVE, Nature
from jiaokan.normalize import RULES, rule_of
from jiaokan.review import kind_of

from .cli import run
from .conftest import ROOT

FINDINGS_MD = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = FINDINGS_MD.index(f"## {title}")
    end = FINDINGS_MD.find("\n## ", start + 1)
    return FINDINGS_MD[start:end if end > 0 else None]


def _rows(section: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in section.splitlines()
            if re.match(r"^\| `[a-z-]+` \|", line)]


def test_docs_list_every_code_under_its_severity() -> None:
    for title, severity in (("Substantive", SUBSTANTIVE), ("Structural", STRUCTURAL), ("Cosmetic", COSMETIC), ("Framing", FRAMING)):
        listed = {row[0].strip("`") for row in _rows(_section(title))}
        assert listed == {code for code, entry in REGISTRY.items() if entry.severity == severity}, title


def test_docs_name_the_rule_of_each_cosmetic_code() -> None:
    for row in _rows(_section("Cosmetic")):
        assert row[1].strip("`") == rule_of(row[0].strip("`")), row


def test_every_rule_declares_registered_reading_codes_and_every_reading_has_a_rule() -> None:
    declared = {code for rule in RULES for code in rule.codes}
    assert declared <= set(REGISTRY)
    assert all(REGISTRY[code].nature == Nature.READING for code in declared)
    assert declared == {code for code, entry in REGISTRY.items() if entry.nature == Nature.READING}


def test_review_kinds_come_from_the_registry() -> None:
    assert kind_of("number-change", SUBSTANTIVE) == "number"
    assert kind_of("paragraph-move", SUBSTANTIVE) == "move"
    assert kind_of("script", COSMETIC) == "cosmetic"
    assert kind_of("regional-variant", SUBSTANTIVE) == "substitution"  # a reading made substantive by configuration
    assert kind_of("bidi-control", SUBSTANTIVE) == "insertion"


def test_list_rules_shows_each_rules_codes() -> None:
    done = run(["normalize", "--list-rules"])
    assert done.code == 0, done
    out = done.out
    for rule in RULES:
        line = next(line for line in out.splitlines() if f" {rule.name} " in line)
        assert all(code in line for code in rule.codes), line


def test_no_other_table_of_codes_in_the_package() -> None:
    # a second list of codes elsewhere would drift from the registry: only findings.py spells codes out as a table
    src = ROOT / "src" / "jiaokan"
    for path in src.glob("*.py"):
        if path.name == "findings.py":
            continue
        text = path.read_text(encoding="utf-8")
        tuples = re.findall(r'\(\s*"(?:wording|sentence|paragraph|number|metadata)-[a-z]+"\s*,\s*"[a-z-]+"', text)
        assert not tuples, (path.name, tuples)
