"""jiaokan scan: candidates and kinds, streaming JSONL, resume, the summary, and the Dask engine equal to the local one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jiaokan import read_document
from jiaokan.scan import Item, corpus, scan

from .conftest import COUNTY_002, PROVINCES_003, ROOT, STUDY_004, VENDOR_001, XINHUA_000

CLI = [sys.executable, "-m", "jiaokan.cli"]
DISTRACTORS = sorted((ROOT / "benchmarks" / "accuracy" / "corpus").glob("0[234]*.txt"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reprints (one drifted twice), an excerpt, the news summary and two articles, unrelated official texts."""
    root = tmp_path_factory.mktemp("corpus")
    county = COUNTY_002.read_text(encoding="utf-8")
    (root / "a-reprint.txt").write_text(county.replace("多层次", "多层级", 1), encoding="utf-8")
    (root / "b-reprint.txt").write_text(county.replace("多层次", "多层级", 1).replace("履职能力建设", "履职能力提升"), encoding="utf-8")
    (root / "c-vendor.txt").write_text(VENDOR_001.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "d-excerpt.txt").write_text(county[3000:6000], encoding="utf-8")
    for p in (XINHUA_000, PROVINCES_003, STUDY_004, *DISTRACTORS):
        (root / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def records(path: Path) -> dict[str, dict[str, object]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out[Path(str(r["id"])).name] = r
    return out


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([*CLI, *args], check=False, cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)


def test_kinds_and_findings(folder: Path, tmp_path: Path) -> None:
    r = run(["scan", str(COUNTY_002), str(folder), "-o", "out.jsonl", "--workers", "2"], tmp_path)
    assert r.returncode == 1, r.stderr
    got = records(tmp_path / "out.jsonl")
    kinds = {name: rec["kind"] for name, rec in got.items()}
    assert kinds["a-reprint.txt"] == kinds["b-reprint.txt"] == kinds["c-vendor.txt"] == "reprint"
    assert kinds["d-excerpt.txt"] == "excerpt"
    assert kinds[XINHUA_000.name] == kinds[PROVINCES_003.name] == kinds[STUDY_004.name] == "quotation"
    assert all(kinds[p.name] == "unrelated" for p in DISTRACTORS)
    a = got["a-reprint.txt"]["substantive"]
    assert [(f["base_norm"], f["witness_norm"]) for f in a] == [("多层次", "多层级")]  # type: ignore[index]
    assert got["d-excerpt.txt"]["substantive"] == []  # the rest of the base is not "omitted" by an excerpt
    assert got["c-vendor.txt"]["coverage"] > 0.9 and got["d-excerpt.txt"]["coverage"] < 0.5  # type: ignore[operator]
    # the summary table: kinds, the most frequent drift across the copies, the worst documents
    assert "10 documents — 3 reprint, 1 excerpt, 3 quotation, 3 unrelated, 0 error" in r.stdout
    assert "多层次" in r.stdout and "2 of 4 reprints and excerpts" in r.stdout
    # written in input order: sorted folder listing
    assert list(got) == sorted(got)


def test_jsonl_input_resume_and_errors(folder: Path, tmp_path: Path) -> None:
    county = COUNTY_002.read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "doc-1", "text": county.replace("多层次", "多层级", 1)}, ensure_ascii=False),
        json.dumps({"id": "doc-2", "path": str(folder / "d-excerpt.txt")}),
        "{not json",
        json.dumps({"id": "doc-4", "path": "missing.txt"}),
        json.dumps({"id": "doc-5", "text": "与本文无关的一段话。"}, ensure_ascii=False),
    ]
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    # an earlier run that got through doc-1 and was cut off in the middle of the next line
    first = run(["scan", str(COUNTY_002), "corpus.jsonl", "-o", "out.jsonl", "--workers", "1"], tmp_path)
    assert first.returncode == 1
    done = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["kind"] for x in done] == ["reprint", "excerpt", "error", "error", "unrelated"]
    assert "not JSON" in json.loads(done[2])["error"] and "no such file" in json.loads(done[3])["error"]
    out.write_text(done[0] + "\n" + done[1][: len(done[1]) // 2], encoding="utf-8")
    again = run(["scan", str(COUNTY_002), "corpus.jsonl", "-o", "out.jsonl", "--resume", "--workers", "1"], tmp_path)
    assert again.returncode == 1, again.stderr
    assert out.read_text(encoding="utf-8").splitlines() == done  # doc-1 kept, the torn line done again


def test_stdout_and_usage(folder: Path, tmp_path: Path) -> None:
    r = run(["scan", str(COUNTY_002), str(folder / "a-reprint.txt")], tmp_path)
    assert r.returncode == 1 and json.loads(r.stdout)["kind"] == "reprint"
    assert "jiaokan scan: 1 documents" in r.stderr  # the summary goes to stderr when the JSONL is on stdout
    bad = run(["scan", str(COUNTY_002), str(folder), "--resume"], tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("jiaokan: error: --resume needs --output")


def test_dask_engine_equals_local(folder: Path) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    base = read_document(str(COUNTY_002))
    local = list(scan(base, corpus([str(folder)]), engine="local", workers=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = list(scan(base, corpus([str(folder)]), engine="dask", scheduler=cluster.scheduler_address))
    assert remote == local
    assert len(local) == 10 and {r["kind"] for r in local} == {"reprint", "excerpt", "quotation", "unrelated"}


def test_memory_follows_the_work_in_flight() -> None:
    """The corpus is pulled lazily: with 2 in flight, at most a few items are read ahead of the results."""
    pulled = []

    def items():  # type: ignore[no-untyped-def]
        for k in range(20):
            pulled.append(k)
            yield Item(f"doc-{k}", text="与本文无关的一段话。")

    base = read_document(str(COUNTY_002))
    stream = scan(base, items(), engine="local", workers=2, inflight=2)
    first = next(stream)
    assert first["id"] == "doc-0" and len(pulled) <= 3
    assert [r["id"] for r in stream] == [f"doc-{k}" for k in range(1, 20)]


def test_progress_on_a_terminal_with_rate_and_time_left(folder: Path, tmp_path: Path) -> None:
    from .test_check import _stderr_on_a_terminal

    code, err = _stderr_on_a_terminal(["scan", str(COUNTY_002), str(folder), "-o", str(tmp_path / "o.jsonl"), "--workers", "1"], tmp_path)
    assert code == 1
    assert "scanning" in err and "/10" in err and "docs/s" in err


def test_a_worker_that_dies_does_not_hang_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed on one document (out of memory, say): that document is an error record, the rest go on."""
    import jiaokan.scan as scan_module

    real = scan_module.Scanner.check

    def dying(self, item):  # type: ignore[no-untyped-def]
        if item.id == "doc-1":
            os._exit(1)  # the worker process disappears mid-task
        return real(self, item)

    monkeypatch.setattr(scan_module.Scanner, "check", dying)
    monkeypatch.setattr(scan_module, "DOCUMENT_TIMEOUT", 3)
    base = read_document(str(COUNTY_002))
    items = [Item(f"doc-{k}", text="与本文无关的一段话。") for k in range(4)]
    got = list(scan(base, items, engine="local", workers=2, inflight=2))
    assert [r["id"] for r in got] == ["doc-0", "doc-1", "doc-2", "doc-3"]
    assert got[1]["kind"] == "error" and "no result in 3 s" in str(got[1]["error"])
    assert [r["kind"] for r in got[2:]] == ["unrelated", "unrelated"]
