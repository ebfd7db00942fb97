"""Work across cores (issue 19): check and scan give the same output for any number of workers and either engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiaokan import read_document
from jiaokan.check import check
from jiaokan.scan import Item, scan

from .cli import run
from .conftest import COUNTY_002, PROVINCES_003, VENDOR_001, XINHUA_000

COUNTY = COUNTY_002.read_text(encoding="utf-8")
DRIFTS = [("多层次", "多层级"), ("数字政府建设专家委员会", "数字政府建设咨询委员会"), ("履职能力建设", "履职能力提升")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The official text and seven copies of it: clean, drifted, reformatted, the vendor's, an article."""
    root = tmp_path_factory.mktemp("site")
    (root / ".git").mkdir()  # the configuration search stops here
    (root / "official.txt").write_text(COUNTY, encoding="utf-8")
    pages = root / "pages"
    pages.mkdir()
    (pages / "a-clean.txt").write_text(COUNTY.replace("，", ","), encoding="utf-8")
    for k, (old, new) in enumerate(DRIFTS):
        (pages / f"b-drift-{k}.txt").write_text(COUNTY.replace(old, new, 1), encoding="utf-8")
    (pages / "c-vendor.txt").write_text(VENDOR_001.read_text(encoding="utf-8"), encoding="utf-8")
    (pages / "d-xinhua.txt").write_text(XINHUA_000.read_text(encoding="utf-8"), encoding="utf-8")
    (pages / "e-provinces.txt").write_text(PROVINCES_003.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_across_workers_reports_as_serial(site: Path, fmt: str) -> None:
    serial = run(["check", "official.txt", "pages", "-f", fmt, "--workers", "1"], cwd=site)
    parallel = run(["check", "official.txt", "pages", "-f", fmt, "--workers", "2"], cwd=site)
    assert serial.code == 1 and "多层级" in serial.out  # the drifts fail the gate
    assert (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)


def test_check_across_workers_with_cosmetic_findings_and_a_baseline(site: Path, tmp_path: Path) -> None:
    """Every finding listed (--fail-on any), then a baseline written by a parallel run and read by a serial one."""
    serial = run(["check", str(site / "official.txt"), str(site / "pages"), "-f", "json", "--fail-on", "any", "--workers", "1"], cwd=tmp_path)
    parallel = run(["check", str(site / "official.txt"), str(site / "pages"), "-f", "json", "--fail-on", "any", "--workers", "3"], cwd=tmp_path)
    assert serial.code == 1 and '"cosmetic"' in serial.out
    assert (parallel.code, parallel.out) == (serial.code, serial.out)
    wrote = run(["check", str(site / "official.txt"), str(site / "pages"), "--write-baseline", "accepted.toml", "--workers", "2"], cwd=tmp_path)
    assert wrote.code == 0 and "accepted variant" in wrote.err
    again = run(["check", str(site / "official.txt"), str(site / "pages"), "--baseline", "accepted.toml", "--workers", "1"], cwd=tmp_path)
    assert again.code == 0


def test_a_failing_witness_among_workers_is_reported_and_the_others_checked(site: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is no PDF at all")
    args = ["check", str(site / "official.txt"), str(site / "pages" / "b-drift-0.txt"), str(bad), str(site / "pages" / "a-clean.txt"), "-f", "json"]
    serial = run([*args, "--workers", "1"], cwd=tmp_path)
    parallel = run([*args, "--workers", "2"], cwd=tmp_path)
    assert parallel.code == 2
    assert "broken.pdf" in parallel.err and parallel.err.startswith("jiaokan: error: ")
    assert "b-drift-0.txt" in parallel.out and "a-clean.txt" in parallel.out and "多层级" in parallel.out
    assert (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)


def test_the_library_check_keeps_input_order_and_one_base(site: Path) -> None:
    base = read_document(str(site / "official.txt"))
    serial = check(base, [str(site / "pages")], workers=1)
    parallel = check(base, [str(site / "pages")], workers=2)
    assert [w.path for w in parallel.witnesses] == [w.path for w in serial.witnesses] == sorted(w.path for w in serial.witnesses)
    assert [w.result.findings if w.result else w.error for w in parallel.witnesses] == [w.result.findings if w.result else w.error for w in serial.witnesses]
    assert all(w.result is not None and w.result.base is base for w in parallel.witnesses)  # the parent's base, not a copy per witness


@pytest.fixture(scope="module")
def items(site: Path) -> list[Item]:
    """Paths and JSONL-like texts: reprints, an excerpt, quotations, unrelated text, and one that cannot be read."""
    pages = sorted((site / "pages").iterdir())
    texts = [Item("excerpt", text=COUNTY[2500:6500]), Item("unrelated", text="与本文无关的一段话。" * 20),
             Item("missing", path=str(site / "no-such.txt"))]
    return [Item(str(p), path=str(p)) for p in pages] + texts + [Item(f"copy-{k}", text=COUNTY.replace(*DRIFTS[k % 3], 1)) for k in range(5)]


def test_scan_engines_and_worker_counts_give_the_same_records(items: list[Item]) -> None:
    base = read_document(str(COUNTY_002))
    one = list(scan(base, items, workers=1))
    assert [r["id"] for r in one] == [it.id for it in items]
    assert {r["kind"] for r in one} >= {"reprint", "excerpt", "quotation", "unrelated", "error"}
    assert list(scan(base, items, workers=2)) == one
    assert list(scan(base, items, workers=2, batch=1)) == one
    assert list(scan(base, iter(items), workers=3, batch=5, inflight=7)) == one


def test_scan_on_dask_gives_the_local_records(items: list[Item]) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    base = read_document(str(COUNTY_002))
    one = list(scan(base, items, workers=1))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = list(scan(base, items, engine="dask", scheduler=cluster.scheduler_address, batch=3))
    assert remote == one
