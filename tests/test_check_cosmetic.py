"""jiaokan check keeps a witness's cosmetic findings only when a report lists them or a baseline could accept them;
otherwise it counts them.  What the user sees is the same either way."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from jiaokan import baseline as bl
from jiaokan import read_document, serialize
from jiaokan.check import BELOW, apply_baseline, check
from jiaokan.config import Settings
from jiaokan.findings import COSMETIC, SUBSTANTIVE

from .cli import run
from .conftest import COUNTY_002, VENDOR_001


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A project: the county notice as the base and the vendor's reprint (thousands of cosmetic findings) as a page."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "official.txt").write_text(COUNTY_002.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "vendor.txt").write_text(VENDOR_001.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def every_finding(site: Path) -> list[bl.Accepted]:
    """Every finding of the page as a baseline entry (written with --fail-on any: cosmetic ones too)."""
    r = run(["check", "official.txt", "site", "--fail-on", "any", "--write-baseline", "all.toml"], cwd=site)
    assert r.code == 0, r.err
    return list(bl.load(site / "all.toml").entries)


def write(site: Path, name: str, entries: list[bl.Accepted]) -> Path:
    (site / name).write_text(bl.dumps(entries, base="official.txt"), encoding="utf-8")
    return site / name


def one_of(entries: list[bl.Accepted], severity: str) -> bl.Accepted:
    settings = Settings()
    return next(e for e in entries if (e.code in settings.substantive_codes) == (severity == SUBSTANTIVE)
                and (severity != COSMETIC or e.code in ("punctuation", "script")))


def test_counted_cosmetic_findings_give_the_same_report(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    entries = every_finding(site)
    cosmetic = write(site, "cosmetic.toml", [one_of(entries, COSMETIC)])
    base = read_document("official.txt")
    counted = check(base, ["site"], settings=Settings())
    # a baseline given for later (apply_baseline) with a cosmetic entry: this check keeps them all
    kept = check(base, ["site"], settings=Settings(), later=(bl.load(cosmetic),))
    (w,), (k,) = counted.witnesses, kept.witnesses
    assert w.result is not None and k.result is not None
    assert not [f for f in w.result.findings if f.severity == COSMETIC]  # none built, none kept
    assert w.cosmetic_left_out == w.result.summary.cosmetic > 3000
    assert len([f for f in k.result.findings if f.severity == COSMETIC]) == k.result.summary.cosmetic
    assert w.count(BELOW) == k.count(BELOW) > 3000
    for fmt in ("text", "sarif", "github"):
        from jiaokan import formats

        assert formats.render("check", fmt, counted) == formats.render("check", fmt, kept)
    assert serialize.to_json(serialize.data(counted)) == serialize.to_json(serialize.data(kept))
    # and the command line: the same JSON with 1 and 2 workers
    one = run(["check", "official.txt", "site", "-f", "json", "--workers", "1"], cwd=site)
    two = run(["check", "official.txt", "site", "-f", "json", "--workers", "2"], cwd=site)
    assert one.out == two.out == serialize.to_json(serialize.data(counted))


def test_a_cosmetic_entry_still_accepts_its_finding(site: Path) -> None:
    entries = every_finding(site)
    none = json.loads(run(["check", "official.txt", "site", "-f", "json", "--no-baseline"], cwd=site).out)["witnesses"][0]["counts"]
    write(site, "some.toml", [one_of(entries, COSMETIC), one_of(entries, SUBSTANTIVE)])
    for workers in ("1", "2"):
        r = run(["check", "official.txt", "site", "-f", "json", "--baseline", "some.toml", "--workers", workers], cwd=site)
        data = json.loads(r.out)
        assert data["stale"] == []
        counts = data["witnesses"][0]["counts"]
        assert counts == {"new": none["new"] - 1, "accepted": 2, "below-threshold": none["below-threshold"] - 1}


def test_rewriting_a_baseline_keeps_a_cosmetic_entry_and_its_reason(site: Path) -> None:
    entries = every_finding(site)
    kept = one_of(entries, COSMETIC)
    path = write(site, "jiaokan-accepted.toml", [dataclasses.replace(kept, reason="旧稿标点")])
    r = run(["check", "official.txt", "site", "--write-baseline", "jiaokan-accepted.toml"], cwd=site)
    assert r.code == 0, r.err
    rewritten = bl.load(path).entries
    assert [e.reason for e in rewritten if e.code == kept.code] == ["旧稿标点"]
    assert len([e for e in rewritten if e.code not in Settings().substantive_codes]) == 1  # and the failing findings
    assert len(rewritten) == 1 + len([e for e in entries if e.code in Settings().substantive_codes])


def test_a_cosmetic_baseline_on_counted_findings_is_refused(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A library caller who matches a baseline later than the check must say so: never a silently wrong status."""
    monkeypatch.chdir(site)
    cosmetic = write(site, "cosmetic.toml", [one_of(every_finding(site), COSMETIC)])
    counted = check(read_document("official.txt"), ["site"], settings=Settings())
    with pytest.raises(ValueError, match="cosmetic findings were not kept"):
        apply_baseline(counted, bl.load(cosmetic))
