"""Auxiliary files, scan corpora and the environment (issue 15), through the real command line.

Each case ends as every bad input does: exit 2, one line ``jiaokan: error: what: why; fix`` on stderr, nothing on
stdout, no traceback — or, for a document of a scan corpus, a ``kind: "error"`` record for that document.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import time
from pathlib import Path

import pytest

from .cli import run, run_process
from .test_bad_input import GOOD_TEXT, SAMPLES, assert_one_line_error

COUNTY = SAMPLES / "directive-county-forward-002.txt"
VENDOR = SAMPLES / "directive-vendor-reprint-001.txt"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A project folder (with .git, so no configuration above it is found) holding a base and a witness."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "base.txt").write_bytes(COUNTY.read_bytes())
    (tmp_path / "w.txt").write_bytes(VENDOR.read_bytes())
    return tmp_path


def records(done_stdout: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in done_stdout.decode("utf-8").splitlines()]


# 1. JIAOKAN_MAX_BYTES


@pytest.mark.parametrize("value", ["99999999999999999999", "-5", "0", "twenty", "1e9"])
def test_jiaokan_max_bytes_out_of_range_or_not_a_number(value: str, work: Path) -> None:
    done = run(["diff", "base.txt", "w.txt"], cwd=work, env={"JIAOKAN_MAX_BYTES": value})
    line = assert_one_line_error(done, "JIAOKAN_MAX_BYTES=")
    assert ("out of range" in line and "4,294,967,296" in line) or "is not a number" in line


# 2. a Dask scheduler that is not there (in a process of its own: a Dask client leaves its event loop's thread and
# its logging behind in the process that made it)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask.distributed is not installed")
@pytest.mark.parametrize("address", ["tcp://127.0.0.1:{port}", "not-an-address", "tcp://:::"])
def test_dask_scheduler_nothing_listens_or_not_an_address(address: str, work: Path) -> None:
    t0 = time.monotonic()
    done = run_process(["scan", "base.txt", "w.txt", "--engine", "dask", "--scheduler", address.format(port=_free_port())], cwd=work)
    assert_one_line_error(done, "scheduler")
    assert time.monotonic() - t0 < 30


def test_dask_scheduler_that_accepts_and_never_answers(work: Path) -> None:
    pytest.importorskip("distributed")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        t0 = time.monotonic()
        done = run_process(["scan", "base.txt", "w.txt", "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"], cwd=work)
    assert_one_line_error(done, "cannot connect to the Dask scheduler", "10 s")
    assert time.monotonic() - t0 < 30  # the connection is bounded (CONNECT_TIMEOUT), not the OS's minutes


# 3. --resume files that are not scan results


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ("42\n", ("out.jsonl:1", "not a scan record", "int 42")),
        ('{"kind": "reprint"}\n', ("out.jsonl:1", 'no "id"')),
        ('{"id": ["a"], "kind": "reprint"}\n', ("out.jsonl:1", '"id"', "not text")),
        ('{"id": "a", "kind": "reprint", "substantive": "many"}\n', ("out.jsonl:1", '"substantive"')),
        ('["id", "a"]\n', ("out.jsonl:1", "list")),
        ('{"id": "x", "kind": "error", "error": "e"}\n{"id": \n{"id": "y", "kind": "error", "error": "e"}\n', ("out.jsonl:2", "not a JSON line", "only the last line")),
        (b'{"id": "x", "kind": "error", "error": "\xff"}\n{"id": "y", "kind": "error", "error": "e"}\n', ("out.jsonl:1", "not UTF-8")),
    ],
    ids=["a-number", "no-id", "id-a-list", "substantive-not-a-list", "an-array", "invalid-json-in-the-middle", "not-utf8"],
)
def test_resume_file_that_holds_no_scan_records(content: str | bytes, needles: tuple[str, ...], work: Path) -> None:
    out = work / "out.jsonl"
    out.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    done = run(["scan", "base.txt", "w.txt", "-o", "out.jsonl", "--resume", "--workers", "1"], cwd=work)
    assert_one_line_error(done, *needles)
    assert out.read_bytes() == (content if isinstance(content, bytes) else content.encode("utf-8"))  # left as it was


def test_resume_still_drops_a_torn_last_line(work: Path) -> None:
    (work / "out.jsonl").write_text('{"id": "w.txt", "kind": "unrelat', encoding="utf-8")
    done = run(["scan", "base.txt", "w.txt", "-o", "out.jsonl", "--resume", "--workers", "1"], cwd=work)
    assert done.code == 1, done.err_bytes
    assert [r["id"] for r in map(json.loads, (work / "out.jsonl").read_text(encoding="utf-8").splitlines())] == ["w.txt"]


# 4. TOML files nested 3,000 deep, and TOML files with a byte-order mark

DEEP = "a = " + "[" * 3000 + "]" * 3000 + "\n"


@pytest.mark.parametrize("where", ["jiaokan.toml", "pyproject.toml", "--config", "jiaokan-accepted.toml"])
def test_toml_nested_3000_deep(where: str, work: Path) -> None:
    args = ["check", "base.txt", "w.txt"]
    if where == "pyproject.toml":
        (work / "pyproject.toml").write_text("[tool.jiaokan]\n" + DEEP, encoding="utf-8")
    elif where == "--config":
        (work / "settings.toml").write_text(DEEP, encoding="utf-8")
        args += ["--config", "settings.toml"]
    else:
        (work / where).write_text(DEEP, encoding="utf-8")
    done = run(args, cwd=work)
    assert_one_line_error(done, "nested too deeply", "settings.toml" if where == "--config" else where)


@pytest.mark.parametrize("where", ["jiaokan.toml", "pyproject.toml", "jiaokan-accepted.toml"])
def test_toml_with_a_byte_order_mark_is_read(where: str, work: Path) -> None:
    bom = b"\xef\xbb\xbf"
    if where == "jiaokan.toml":
        (work / where).write_bytes(bom + b'fail-on = "none"\n')
    elif where == "pyproject.toml":
        (work / where).write_bytes(bom + b'[tool.jiaokan]\nfail-on = "none"\n')
    else:
        written = run(["check", "base.txt", "w.txt", "--write-baseline", where], cwd=work)
        assert written.code == 0, written.err_bytes
        (work / where).write_bytes(bom + (work / where).read_bytes())
    done = run(["check", "base.txt", "w.txt"], cwd=work)
    assert done.code == 0, done.err_bytes  # fail-on none, or every finding accepted
    assert b"PASS" in done.out_bytes


# 5. duplicate ids in a scan corpus


@pytest.mark.parametrize(
    ("lines", "needles"),
    [
        ([{"id": "a", "text": GOOD_TEXT}, {"id": "a", "text": GOOD_TEXT + "另一份。"}], ("corpus.jsonl:2", "duplicate id 'a'", "corpus.jsonl:1")),
        ([{"id": 1, "text": GOOD_TEXT}, {"id": "1", "text": GOOD_TEXT + "另一份。"}], ("corpus.jsonl:2", "duplicate id '1'", 'written 1 there and "1" here')),
    ],
    ids=["same-id", "number-and-string"],
)
def test_scan_corpus_with_duplicate_ids_is_refused(lines: list[dict[str, object]], needles: tuple[str, ...], work: Path) -> None:
    (work / "corpus.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    (work / "out.jsonl").write_text("", encoding="utf-8")
    done = run(["scan", "base.txt", "corpus.jsonl", "-o", "out.jsonl", "--workers", "1"], cwd=work)
    assert_one_line_error(done, *needles, "--resume")
    assert (work / "out.jsonl").read_text(encoding="utf-8") == ""  # refused before anything is written


# 6. JSONL paths outside the corpus's folder, and a "text" past the size limit


@pytest.mark.parametrize("outside", ["../secret-notes.txt", "ABSOLUTE", "link.txt"])
def test_jsonl_path_outside_its_folder_is_an_error_record(outside: str, work: Path) -> None:
    (work / "corpus").mkdir()
    secret = work / "secret-notes.txt"
    secret.write_text(GOOD_TEXT, encoding="utf-8")
    if outside == "ABSOLUTE":
        outside = str(secret)
    elif outside == "link.txt":
        (work / "corpus" / "link.txt").symlink_to(secret)  # inside by name, outside once resolved
    (work / "corpus" / "c.jsonl").write_text(json.dumps({"id": "x", "path": outside}) + "\n", encoding="utf-8")
    done = run(["scan", "base.txt", "corpus/c.jsonl", "--workers", "1"], cwd=work)
    (record,) = records(done.out_bytes)
    assert record["kind"] == "error" and record["id"] == "x"
    assert "outside the corpus's folder" in str(record["error"]) and "--allow-outside-paths" in str(record["error"])
    assert "sha256" not in record  # never read
    allowed = run(["scan", "base.txt", "corpus/c.jsonl", "--workers", "1", "--allow-outside-paths"], cwd=work)
    (record,) = records(allowed.out_bytes)
    assert record["kind"] != "error", record


def test_jsonl_path_inside_its_folder_is_read(work: Path) -> None:
    (work / "corpus" / "sub").mkdir(parents=True)
    (work / "corpus" / "sub" / "p.txt").write_bytes(COUNTY.read_bytes())
    (work / "corpus" / "c.jsonl").write_text(json.dumps({"id": "p", "path": "sub/../sub/p.txt"}) + "\n", encoding="utf-8")
    done = run(["scan", "base.txt", "corpus/c.jsonl", "--workers", "1"], cwd=work)
    assert [r["kind"] for r in records(done.out_bytes)] == ["reprint"]


def test_jsonl_text_past_the_size_limit_is_an_error_record(work: Path) -> None:
    # the limit (here 40,000 bytes; the base is 31 KB) counts the text's UTF-8 bytes, as for a file — not the JSON
    # line, not the characters: 10,000 CJK characters are 30,000 bytes (read, though their escaped line is 60,000
    # bytes); 20,000 are 60,000 bytes (refused, though they are only 20,000 characters)
    lines = [json.dumps({"id": "fits", "text": "国" * 10000}), json.dumps({"id": "big", "text": "国" * 20000})]
    (work / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run(["scan", "base.txt", "c.jsonl", "--workers", "1"], cwd=work, env={"JIAOKAN_MAX_BYTES": "40000"})
    fits, big = records(done.out_bytes)
    assert fits["kind"] != "error", fits
    assert big["kind"] == "error" and big["id"] == "big"
    assert '"text" too large (60,000 bytes)' in str(big["error"]) and "JIAOKAN_MAX_BYTES" in str(big["error"])


def test_jsonl_text_with_a_lone_surrogate_is_an_error_record(work: Path) -> None:
    (work / "c.jsonl").write_text('{"id": "s", "text": "\\ud800 国务院"}\n', encoding="utf-8")
    done = run(["scan", "base.txt", "c.jsonl", "--workers", "1"], cwd=work)
    (record,) = records(done.out_bytes)
    assert record["kind"] == "error" and "lone surrogate" in str(record["error"])


# 7. a gate with nothing to check


@pytest.mark.parametrize("witnesses", [("./base.txt",), ("base.txt", "./base.txt"), ("b*.txt",)], ids=["base-itself", "base-twice", "glob-matching-only-the-base"])
def test_check_with_no_witness_left_fails(witnesses: tuple[str, ...], work: Path) -> None:
    done = run(["check", "base.txt", *witnesses], cwd=work)
    assert_one_line_error(done, "no witness to check", "the base itself", "--allow-empty")
    allowed = run(["check", "--allow-empty", "base.txt", *witnesses], cwd=work)
    assert allowed.code == 0 and b"0 witnesses" in allowed.out_bytes, allowed.err_bytes


def test_check_with_a_glob_matching_nothing_fails(work: Path) -> None:
    done = run(["check", "base.txt", "site/*.html"], cwd=work)
    assert done.code == 2 and b"no file matches" in done.err_bytes


def test_check_skips_the_base_among_other_witnesses(work: Path) -> None:
    done = run(["check", "--fail-on", "none", "base.txt", "base.txt", "w.txt"], cwd=work)
    assert done.code == 0 and b"1 witness," in done.out_bytes, done.err_bytes


# 8. a FIFO as a JSONL corpus path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_fifo_as_a_jsonl_path_is_an_error_record_not_a_hang(work: Path) -> None:
    os.mkfifo(work / "pipe.txt")
    (work / "c.jsonl").write_text(json.dumps({"id": "p", "path": "pipe.txt"}) + "\n" + json.dumps({"id": "d", "path": "."}) + "\n", encoding="utf-8")
    done = run(["scan", "base.txt", "c.jsonl", "--workers", "1"], cwd=work, timeout=60)  # a hang fails
    pipe, folder = records(done.out_bytes)
    assert pipe["kind"] == "error" and "named pipe (FIFO), not a regular file" in str(pipe["error"])
    assert folder["kind"] == "error" and "a folder, not a regular file" in str(folder["error"])
