"""Bad outputs, through the real command line (issue 15, items 1 and 5).

An output is never an input; a failed run never touches an existing output; every OSError on an output, on
standard output or standard input is one line and exit 2; a closed pipe ends quietly (exit 141); Ctrl-C exits
130 with one line saying what was kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
from pathlib import Path

import pytest

from .cli import run, run_process, spawn
from .test_bad_input import GOOD_TEXT, SAMPLES, assert_one_line_error

BASE = SAMPLES / "directive-vendor-reprint-001.txt"
WITNESS = SAMPLES / "directive-county-forward-002.txt"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copy(BASE, tmp_path / "b.txt")
    shutil.copy(WITNESS, tmp_path / "w.txt")
    (tmp_path / "site").mkdir()
    shutil.copy(WITNESS, tmp_path / "site" / "p1.txt")
    (tmp_path / "site" / "p2.txt").write_text(GOOD_TEXT, encoding="utf-8")
    with open(tmp_path / "corpus.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": WITNESS.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "b", "path": "w.txt"}) + "\n")
    return tmp_path


def hashes(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): sha(p) for p in sorted(d.rglob("*")) if p.is_file() and not p.is_symlink()}


# --------------------------------------------------------------------------
# 1. an output is never an input

COMMANDS_OVER_INPUTS = {
    "normalize FILE": (["normalize", "w.txt"], "w.txt"),
    "diff BASE": (["diff", "b.txt", "w.txt"], "b.txt"),
    "diff WITNESS": (["diff", "b.txt", "w.txt"], "w.txt"),
    "diff WITNESS json": (["diff", "b.txt", "w.txt", "--format", "json"], "w.txt"),
    "diff WITNESS html": (["diff", "b.txt", "w.txt", "--format", "html"], "w.txt"),
    "check WITNESS": (["check", "b.txt", "w.txt"], "w.txt"),
    "check folder document": (["check", "b.txt", "site"], "site/p1.txt"),
    "check glob match": (["check", "b.txt", "site/*.txt"], "site/p2.txt"),
    "trace SOURCE": (["trace", "b.txt", "w.txt"], "b.txt"),
    "trace DERIVED": (["trace", "b.txt", "w.txt"], "w.txt"),
    "collate DOC": (["collate", "b.txt", "w.txt"], "w.txt"),
    "collate folder document": (["collate", "b.txt", "site"], "site/p2.txt"),
    "review BASE": (["review", "b.txt", "w.txt"], "b.txt"),
    "review WITNESS": (["review", "b.txt", "site"], "site/p1.txt"),
    "scan BASE": (["scan", "b.txt", "site", "--workers", "1"], "b.txt"),
    "scan JSONL corpus": (["scan", "b.txt", "corpus.jsonl", "--workers", "1"], "corpus.jsonl"),
    "scan folder document": (["scan", "b.txt", "site", "--workers", "1"], "site/p1.txt"),
    "scan file": (["scan", "b.txt", "w.txt", "--workers", "1"], "w.txt"),
    "scan glob match": (["scan", "b.txt", "site/*.txt", "--workers", "1"], "site/p2.txt"),
}


@pytest.mark.parametrize("name", list(COMMANDS_OVER_INPUTS))
def test_output_onto_an_input_is_refused(name: str, work: Path) -> None:
    args, target = COMMANDS_OVER_INPUTS[name]
    before = hashes(work)
    done = run([*args, "-o", target], cwd=work)
    assert_one_line_error(done, f"-o {target}", "refusing to write")
    assert hashes(work) == before


@pytest.mark.parametrize("how", ["symlink", "hard link", "other spelling"])
def test_output_naming_an_input_another_way_is_refused(how: str, work: Path) -> None:
    if how == "symlink":
        (work / "out.txt").symlink_to("w.txt")
        out = "out.txt"
    elif how == "hard link":
        os.link(work / "w.txt", work / "out.txt")
        out = "out.txt"
    else:
        out = "site/../w.txt"
    before = hashes(work)
    assert_one_line_error(run(["diff", "b.txt", "w.txt", "-o", out], cwd=work), "refusing to write over an input")
    assert hashes(work) == before
    assert how != "symlink" or (work / "out.txt").is_symlink()


def test_write_baseline_onto_a_witness_or_the_base_is_refused(work: Path) -> None:
    before = hashes(work)
    for target in ("site/p1.txt", "b.txt"):
        done = run(["check", "b.txt", "site", "--write-baseline", target], cwd=work)
        assert_one_line_error(done, f"--write-baseline {target}", "refusing to write over an input")
    assert hashes(work) == before


def test_write_baseline_may_rewrite_the_baseline_it_reads(work: Path) -> None:
    """docs/ci.md: --write-baseline again rewrites the file, keeping the reasons written."""
    first = run(["check", "b.txt", "w.txt", "--write-baseline", "accepted.toml"], cwd=work)
    assert first.code == 0, first.err_bytes
    again = run(["check", "b.txt", "w.txt", "--baseline", "accepted.toml", "--write-baseline", "accepted.toml"], cwd=work)
    assert again.code == 0, again.err_bytes


def test_output_and_write_baseline_the_same_file_is_refused(work: Path) -> None:
    done = run(["check", "b.txt", "w.txt", "--write-baseline", "x.toml", "-o", "x.toml"], cwd=work)
    assert_one_line_error(done, "-o x.toml", "baseline")
    assert not (work / "x.toml").exists()


def test_output_onto_the_baseline_or_configuration_read_is_refused(work: Path) -> None:
    assert run(["check", "b.txt", "w.txt", "--write-baseline", "jiaokan-accepted.toml"], cwd=work).code == 0
    (work / "jiaokan.toml").write_text('fail-on = "substantive"\n', encoding="utf-8")
    before = hashes(work)
    assert_one_line_error(run(["check", "b.txt", "w.txt", "-o", "jiaokan-accepted.toml"], cwd=work), "the baseline")
    assert_one_line_error(run(["check", "b.txt", "w.txt", "-o", "jiaokan.toml"], cwd=work), "the configuration")
    assert hashes(work) == before


def test_scan_output_into_a_scanned_folder_is_refused(work: Path) -> None:
    """A new file there named like a document would be read by the scan that writes it."""
    done = run(["scan", "b.txt", "site", "-o", "site/new.txt"], cwd=work)
    assert_one_line_error(done, "-o site/new.txt", "scanned folder")
    assert not (work / "site" / "new.txt").exists()


def test_scan_jsonl_path_naming_the_output_is_not_read(work: Path) -> None:
    (work / "c.jsonl").write_text(json.dumps({"id": "x", "path": "r.jsonl"}) + "\n", encoding="utf-8")
    (work / "r.jsonl").write_text("", encoding="utf-8")
    done = run(["scan", "b.txt", "c.jsonl", "-o", "r.jsonl", "--workers", "1"], cwd=work)
    assert done.code == 2, done.err  # a document of the corpus not read: an input error (docs/cli.md)
    assert done.err.splitlines()[-1].startswith("jiaokan: error: 1 document of the corpus could not be read")
    (record,) = [json.loads(x) for x in (work / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["kind"] == "error" and "it is the output file" in record["error"]


@pytest.mark.parametrize("kind", ["character device", "named pipe", "folder"])
def test_output_onto_a_non_regular_file_is_refused(kind: str, work: Path) -> None:
    if kind == "character device":
        target = "/dev/null"
    elif kind == "named pipe":
        os.mkfifo(work / "fifo")
        target = "fifo"
    else:
        target = "site"
    for args in (["diff", "b.txt", "w.txt"], ["normalize", "b.txt"], ["scan", "b.txt", "w.txt", "--workers", "1"]):
        done = run([*args, "-o", target], cwd=work)
        assert_one_line_error(done, f"-o {target}", "cannot write")
    mode = os.stat(work / target if target != "/dev/null" else target).st_mode
    assert {"character device": stat.S_ISCHR, "named pipe": stat.S_ISFIFO, "folder": stat.S_ISDIR}[kind](mode)


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_output_dash_and_dev_stdout_are_standard_output(name: str, work: Path) -> None:
    done = run(["normalize", "b.txt", "-o", name], cwd=work)
    assert done.code == 0, done.err_bytes
    assert done.out_bytes == run(["normalize", "b.txt"], cwd=work).out_bytes != b""
    assert not (work / "-").exists()


def test_writing_through_a_symlink_keeps_the_link(work: Path) -> None:
    (work / "reports").mkdir()
    (work / "reports" / "r.json").write_text("old", encoding="utf-8")
    (work / "latest.json").symlink_to("reports/r.json")
    done = run(["diff", "b.txt", "w.txt", "--format", "json", "-o", "latest.json"], cwd=work)
    assert done.code == 1, done.err_bytes
    assert (work / "latest.json").is_symlink()
    assert json.loads((work / "reports" / "r.json").read_text(encoding="utf-8"))["schema"].startswith("jiaokan.diff/")
    assert [p.name for p in (work / "reports").iterdir()] == ["r.json"]  # no temporary file left


# --------------------------------------------------------------------------
# a failed run never touches an existing output

FAILING = {
    "normalize unknown rule": ["normalize", "b.txt", "--rules", "nope"],
    "diff missing witness": ["diff", "b.txt", "missing.txt"],
    "diff unknown rule": ["diff", "b.txt", "w.txt", "--rules", "nope"],
    "check unknown rule": ["check", "b.txt", "w.txt", "--rules", "nope"],
    "trace missing": ["trace", "b.txt", "missing.txt"],
    "collate missing": ["collate", "b.txt", "missing.txt"],
    "review missing": ["review", "b.txt", "missing.txt"],
    "scan unknown rule": ["scan", "b.txt", "site", "--rules", "nope", "--workers", "2"],
    "scan missing corpus path": ["scan", "b.txt", "missing-folder", "--workers", "1"],
    "scan missing base": ["scan", "missing.txt", "site", "--workers", "1"],
}


@pytest.mark.parametrize("name", list(FAILING))
def test_a_failed_run_leaves_the_existing_output_untouched(name: str, work: Path) -> None:
    old = work / "results.out"
    old.write_text('{"id": "kept", "kind": "unrelated"}\n', encoding="utf-8")
    before = hashes(work)
    assert_one_line_error(run([*FAILING[name], "-o", "results.out"], cwd=work))
    assert hashes(work) == before


def test_a_scan_that_fails_at_startup_with_resume_leaves_the_file_untouched(work: Path) -> None:
    old = work / "r.jsonl"
    old.write_text('{"id": "kept", "kind": "unrelated"}\n{"id": "torn', encoding="utf-8")
    before = sha(old)
    assert_one_line_error(run(["scan", "b.txt", "site", "--rules", "nope", "-o", "r.jsonl", "--resume"], cwd=work), "nope")
    assert sha(old) == before


def test_a_scan_with_an_unusable_scheduler_leaves_the_file_untouched(work: Path) -> None:
    pytest.importorskip("distributed")
    (work / "r.jsonl").write_text("old\n", encoding="utf-8")
    done = run_process(["scan", "b.txt", "site", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "-o", "r.jsonl"], cwd=work)  # Dask: a process of its own
    assert done.code != 0
    assert (work / "r.jsonl").read_text(encoding="utf-8") == "old\n"


# --------------------------------------------------------------------------
# 2. OSErrors on outputs, standard output and standard input


def test_output_into_a_missing_folder(work: Path) -> None:
    assert_one_line_error(run(["diff", "b.txt", "w.txt", "-o", "nope/r.txt"], cwd=work), "-o nope/r.txt", "does not exist")


def test_output_onto_a_folder(work: Path) -> None:
    assert_one_line_error(run(["diff", "b.txt", "w.txt", "-o", "site"], cwd=work), "-o site", "folder")


def test_output_into_a_folder_that_cannot_be_written(work: Path) -> None:
    if os.geteuid() == 0:
        folder = "/proc"  # root may write anywhere a mode allows; not in /proc
    else:
        (work / "ro").mkdir()
        (work / "ro").chmod(0o555)
        folder = "ro"
    try:
        assert_one_line_error(run(["diff", "b.txt", "w.txt", "-o", f"{folder}/r.txt"], cwd=work), "cannot write", "folder")
    finally:
        if folder == "ro":
            (work / "ro").chmod(0o755)


def test_output_name_longer_than_the_system_allows(work: Path) -> None:
    name = "长" * 100 + ".txt"  # 304 bytes in UTF-8
    assert_one_line_error(run(["diff", "b.txt", "w.txt", "-o", name], cwd=work), "longer than the system allows")


def test_output_name_that_just_fits_is_written(work: Path) -> None:
    """The temporary file beside it must fit too."""
    name = "a" * 251 + ".txt"
    done = run(["normalize", "b.txt", "-o", name], cwd=work)
    assert done.code == 0, done.err_bytes
    assert (work / name).stat().st_size > 0


def test_standard_output_on_a_full_disk(work: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "wb") as full:
        done = run_process(["diff", "b.txt", "w.txt"], cwd=work, stdout=full)
    assert_one_line_error(done, "standard output: cannot write", "no space left")


def test_standard_output_closed(work: Path) -> None:
    done = run_process(["diff", "b.txt", "w.txt"], cwd=work, close=(1,), stdout=None)
    assert_one_line_error(done, "standard output", "closed")


def test_standard_input_closed(work: Path) -> None:
    done = run_process(["diff", "-", "w.txt"], cwd=work, close=(0,))
    assert_one_line_error(done, "standard input", "closed")


@pytest.mark.parametrize("args", [["diff", "b.txt", "w.txt", "--include-cosmetic"], ["scan", "b.txt", "site", "w.txt", "--workers", "1"]])
def test_a_closed_pipe_ends_quietly(args: list[str], work: Path) -> None:
    """`jiaokan diff a b | head -1`: exit 141 (as a shell reports cat or git ended by SIGPIPE), nothing on stderr."""
    proc = spawn(args, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first write
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141, err.decode()
    assert err == b""


def test_standard_output_in_latin_1(work: Path) -> None:
    """The user's encoding is kept; what it cannot show is escaped, and one note says how to see it."""
    done = run_process(["diff", "b.txt", "w.txt"], cwd=work, env={"PYTHONIOENCODING": "latin-1"})
    assert done.code == 1
    text = done.out_bytes.decode("latin-1")
    assert "\\u" in text and "Traceback" not in done.err
    (note,) = done.err.splitlines()
    assert note.startswith("jiaokan: note: standard output is") and "PYTHONIOENCODING=utf-8" in note
    assert text.encode("latin-1").decode("unicode_escape").startswith(run(["diff", "b.txt", "w.txt"], cwd=work).out[:20])


def test_standard_output_in_latin_1_for_json_stays_valid_json(work: Path) -> None:
    with open(work / "w.txt", "a", encoding="utf-8") as fh:
        fh.write("\n第九条 𠀀𠀁 é\n")  # past U+FFFF too: written as a surrogate pair, which JSON reads back
    done = run_process(["diff", "b.txt", "w.txt", "--format", "json"], cwd=work, env={"PYTHONIOENCODING": "latin-1"})
    assert json.loads(done.out_bytes.decode("latin-1")) == json.loads(run(["diff", "b.txt", "w.txt", "--format", "json"], cwd=work).out_bytes)


# --------------------------------------------------------------------------
# Ctrl-C: exit 130, one line saying what was interrupted and what was kept


def test_ctrl_c_during_diff_keeps_the_output(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real entry point, with one function made to raise KeyboardInterrupt as Ctrl-C would."""
    import jiaokan.diff

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    (work / "r.txt").write_text("old report\n", encoding="utf-8")
    monkeypatch.setattr(jiaokan.diff, "diff_prepared", boom)
    done = run(["diff", "b.txt", "w.txt", "-o", "r.txt"], cwd=work)
    assert done.code == 130
    assert done.err.splitlines() == ["jiaokan: interrupted; r.txt was not changed"]
    assert (work / "r.txt").read_text(encoding="utf-8") == "old report\n"


def test_ctrl_c_during_scan_says_how_many_records_were_written(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jiaokan.scan import Scanner

    real, seen = Scanner.check, []

    def check(self: Scanner, item: object) -> dict[str, object]:
        seen.append(item)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(self, item)  # type: ignore[arg-type]

    for k in range(5):
        shutil.copy(WITNESS, work / "site" / f"q{k}.txt")
    with monkeypatch.context() as patched:
        patched.setattr(Scanner, "check", check)
        done = run(["scan", "b.txt", "site", "-o", "r.jsonl", "--workers", "1"], cwd=work)
    assert done.code == 130, done.err_bytes
    assert done.err.splitlines() == ["jiaokan: interrupted; 2 new records written to r.jsonl, run again with --resume to continue"]
    assert len((work / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    resumed = run(["scan", "b.txt", "site", "-o", "r.jsonl", "--resume", "--workers", "1"], cwd=work)
    assert resumed.code in (0, 1), resumed.err_bytes
    assert len((work / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 7


def test_ctrl_c_signal_in_a_scan_pool_is_one_line(work: Path) -> None:
    """A real SIGINT to the process group: no traceback from the workers."""
    for k in range(30):
        shutil.copy(WITNESS, work / "site" / f"q{k}.txt")
    proc = spawn(["scan", "b.txt", "site", "-o", "r.jsonl", "--workers", "2"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        for _ in range(200):  # wait for the first record, then interrupt
            if (work / "r.jsonl").exists() and (work / "r.jsonl").stat().st_size:
                break
            try:
                proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is not None:
            pytest.skip("the scan finished before it could be interrupted")
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jiaokan: interrupted; ") and "r.jsonl" in lines[0], lines
