"""Cosmetic findings built on demand (jiaokan.deferred.Findings): the same findings, in the same order, as built
at once; counted without being built; built once."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from jiaokan.config import Settings
from jiaokan.deferred import Findings
from jiaokan.diff import DiffResult, diff_prepared
from jiaokan.findings import ALL_CODES, COSMETIC, Finding
from jiaokan.prepare import Prepared, prepare_file

from .conftest import ALL_SAMPLES, COUNTY_002, VENDOR_001

EAGER = Settings(substantive_codes=tuple(ALL_CODES))  # every code substantive: every finding built as it is found
BASES = [VENDOR_001, COUNTY_002]
PAIRS = [(a, b) for a, b in itertools.product(BASES, ALL_SAMPLES) if a != b]


@pytest.fixture(scope="module")
def prepared() -> dict[tuple[str, str], Prepared]:
    return {(str(p), s.rules): prepare_file(str(p), settings=s) for p in ALL_SAMPLES for s in (Settings(), EAGER)}


def _diff(prepared: dict[tuple[str, str], Prepared], a: object, b: object, settings: Settings) -> DiffResult:
    return diff_prepared(prepared[(str(a), settings.rules)], prepared[(str(b), settings.rules)], settings=settings)


def _as_default(f: Finding, result: DiffResult) -> Finding:
    """A finding of the all-substantive diff with the severity the default settings give its code (and its parts')."""
    return dataclasses.replace(f, severity=result.severity_of(f.code), parts=tuple(_as_default(p, result) for p in f.parts))


@pytest.mark.parametrize(("base", "witness"), PAIRS, ids=[f"{a.stem}-{b.stem}" for a, b in PAIRS])
def test_deferred_findings_equal_the_eager_ones(prepared: dict[tuple[str, str], Prepared], base: object, witness: object) -> None:
    lazy = _diff(prepared, base, witness, Settings())
    eager = _diff(prepared, base, witness, EAGER)
    assert isinstance(lazy.findings, Findings) and isinstance(eager.findings, Findings)
    assert eager.findings.pending == 0  # nothing cosmetic under these settings: all built at once
    expected = [_as_default(f, lazy) for f in eager.findings]
    assert len(lazy.findings) == len(expected)  # counted before anything is built
    assert list(lazy.findings) == expected  # the same findings, in the same order
    assert lazy.summary.cosmetic == sum(1 for f in expected if f.severity == COSMETIC)


def test_cosmetic_findings_are_counted_not_built_until_listed(prepared: dict[tuple[str, str], Prepared]) -> None:
    result = _diff(prepared, VENDOR_001, COUNTY_002, Settings())
    assert isinstance(result.findings, Findings)
    pending = result.findings.pending
    assert pending > 3000  # 3,641 cosmetic differences, a few built at once (in the diff's own findings: spacing, regional words)
    # the default report's listing, the substantive findings: nothing built
    shown = result.listed()
    assert result.substantive and all(f.severity != COSMETIC for f in shown)
    assert result.findings.pending == pending
    listed = result.listed(include_cosmetic=True)
    assert result.findings.pending == 0
    assert sum(1 for f in listed if f.severity == COSMETIC) == result.summary.cosmetic
    assert [f for f in listed if f.severity != COSMETIC] == shown
    assert result.listed(include_cosmetic=True) == listed  # built once: the same list again


def test_deferred_findings_are_deterministic_and_survive_light(prepared: dict[tuple[str, str], Prepared]) -> None:
    first = _diff(prepared, VENDOR_001, COUNTY_002, Settings())
    second = _diff(prepared, VENDOR_001, COUNTY_002, Settings())
    light = second.light()
    assert isinstance(light.findings, list) and light.witness_seg is None  # built before the streams go
    assert first.findings == light.findings == list(second.findings)
    assert first.findings[0] == light.findings[0] and first.findings[-1] == light.findings[-1]


def test_a_view_with_pending_findings_needs_their_builder() -> None:
    with pytest.raises(ValueError, match="builds them"):
        Findings([], [1])
