from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "data" / "cases"

VENDOR_001 = SAMPLES / "directive-vendor-reprint-001.txt"
COUNTY_002 = SAMPLES / "directive-county-forward-002.txt"
XINHUA_000 = SAMPLES / "xinhua-summary-000.txt"
PROVINCES_003 = SAMPLES / "provinces-article-003.txt"
STUDY_004 = SAMPLES / "study-article-004.txt"
ALL_SAMPLES = [XINHUA_000, VENDOR_001, COUNTY_002, PROVINCES_003, STUDY_004]


@pytest.fixture(scope="session")
def samples() -> dict[str, Path]:
    return {p.name: p for p in ALL_SAMPLES}
