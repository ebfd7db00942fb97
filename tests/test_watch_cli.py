"""`jiaokan watch` on the command line (issue 20): the list, runs, reports, history, their formats and errors.

Copies are files here (the local web server's faults are tests/test_watch.py's): a run on files is what a user
sees of the statuses, the exit codes, the report's kinds and the history in the database.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from jiaokan.watchdb import open_store

from .cli import run
from .conftest import COUNTY_002

TEXT = COUNTY_002.read_text(encoding="utf-8")
DRIFT = ("履职能力建设", "履职能力提升")


def site(tmp_path: Path, copies: int = 2) -> Path:
    (tmp_path / "base.txt").write_text(TEXT, encoding="utf-8")
    for k in range(1, copies + 1):
        (tmp_path / f"c{k}.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def watch(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    done = run(["watch", *args], cwd=tmp_path)
    return done.code, done.out, done.err


def schema_check(document: object) -> None:
    schema = json.loads(resources.files("jiaokan").joinpath("schemas", "watch-1.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


def test_a_watch_from_add_to_history(tmp_path: Path) -> None:
    site(tmp_path)
    code, out, err = watch(tmp_path, "add", "base.txt", "c1.txt", "c2.txt", "--name", "国发〔2022〕14号", "--tag", "site=wuyang.gov.cn")
    assert code == 0 and "watching 2 copies of 国发〔2022〕14号" in err and "site=wuyang.gov.cn" in out
    assert (tmp_path / "jiaokan-watch.db").is_file()
    code, out, _ = watch(tmp_path, "run")
    assert code == 0 and "the first run" in out and "0 new-drift" in out
    (tmp_path / "c1.txt").write_text(TEXT.replace(*DRIFT), encoding="utf-8")
    code, out, _ = watch(tmp_path, "run")
    assert code == 1
    assert "NEW DRIFT" in out and "c1.txt" in out and "「建设」→「提升」" in out and "c2.txt" not in out.split("NEW DRIFT", 1)[1]
    # the page around the drift changes (a line added above it): the same finding, still wrong, nothing new
    (tmp_path / "c1.txt").write_text("首页 > 政务公开 > 通知公告\n\n" + TEXT.replace(*DRIFT), encoding="utf-8")
    (tmp_path / "c2.txt").unlink()
    code, out, _ = watch(tmp_path, "run")
    assert code == 1 and "NEW DRIFT" not in out
    assert "still wrong" in out and "since" in out and "GONE" in out and "c2.txt: no such file" in out
    # fixed
    (tmp_path / "c1.txt").write_text(TEXT, encoding="utf-8")
    code, out, _ = watch(tmp_path, "run")
    assert code == 1 and "fixed" in out and "「建设」→「提升」" in out  # c2 is still gone
    code, out, _ = watch(tmp_path, "history", "c1.txt")
    assert code == 0
    statuses = [line.split()[3] for line in out.splitlines()[1:]]
    assert statuses == ["same", "drift", "drift", "changed"]


def test_report_kinds_against_an_earlier_run_and_json_follows_its_schema(tmp_path: Path) -> None:
    site(tmp_path, 1)
    watch(tmp_path, "add", "base.txt", "c1.txt")
    watch(tmp_path, "run")
    (tmp_path / "c1.txt").write_text(TEXT.replace(*DRIFT), encoding="utf-8")
    watch(tmp_path, "run")
    watch(tmp_path, "run")
    code, out, _ = watch(tmp_path, "report", "-f", "json")
    data = json.loads(out)
    schema_check(data)
    assert code == 1 and data["kind"] == "report" and data["copies"][0]["kinds"] == ["still-wrong"] and data["against"]["id"] == 2
    first_drift = data["copies"][0]["wrong_since"]
    runs = open_store(tmp_path / "jiaokan-watch.db").runs()
    assert first_drift == runs[1].started
    code, out, _ = watch(tmp_path, "report", "--last", "2", "-f", "json")
    assert json.loads(out)["copies"][0]["kinds"] == ["new-drift"] and json.loads(out)["against"]["id"] == 1
    code, _, err = watch(tmp_path, "report", "--since", "1999-01-01", "-f", "json")
    assert code == 2 and "--since 1999-01-01: no run before it" in err and f"the first run started at {runs[0].started}" in err
    for action in (["list"], ["history", "c1.txt"]):
        code, out, _ = watch(tmp_path, *action, "-f", "json")
        schema_check(json.loads(out))


def test_csv_is_the_inspection_spreadsheet(tmp_path: Path) -> None:
    site(tmp_path, 2)
    watch(tmp_path, "add", "base.txt", "c1.txt", "c2.txt", "--name", "=HYPERLINK(\"http://x\")", "--tag", "department=工信局")
    (tmp_path / "c1.txt").write_text(TEXT.replace(*DRIFT).replace("多层次", "多层级"), encoding="utf-8")
    code, out, _ = watch(tmp_path, "run", "-f", "csv")
    assert code == 1 and out.startswith("\ufeffrun,started,base,copy,tags,status,kinds")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    drifted = [r for r in rows if r["copy"].endswith("c1.txt")]
    assert sorted((r["base_text"], r["witness_text"]) for r in drifted) == [("多层次", "多层级"), ("建设", "提升")]
    assert all(r["status"] == "drift" and r["tags"] == "department=工信局" and len(r["fingerprint"]) == 32 for r in drifted)
    assert [r["status"] for r in rows if r["copy"].endswith("c2.txt")] == ["same"]
    assert all(r["base"] == "'=HYPERLINK(\"http://x\")" for r in rows)  # a cell never starts a formula
    code, out, _ = watch(tmp_path, "list", "-f", "csv")
    assert code == 2 and out == ""


def test_an_unreadable_copy_is_an_error_for_it_alone(tmp_path: Path) -> None:
    site(tmp_path, 1)
    (tmp_path / "empty.txt").write_bytes(b"")
    watch(tmp_path, "add", "base.txt", "c1.txt", "empty.txt")
    code, out, _ = watch(tmp_path, "run", "-f", "json")
    data = json.loads(out)
    assert code == 2
    by_copy = {Path(c["copy"]["source"]).name: c["now"] for c in data["copies"]}
    assert by_copy["c1.txt"]["status"] == "same" and by_copy["empty.txt"]["status"] == "error" and "is empty" in by_copy["empty.txt"]["error"]


def test_accepted_variants_apply_per_base(tmp_path: Path) -> None:
    site(tmp_path, 1)
    (tmp_path / "c1.txt").write_text(TEXT.replace(*DRIFT), encoding="utf-8")
    assert run(["check", "base.txt", "c1.txt", "--write-baseline", "accepted.toml"], cwd=tmp_path).code == 0
    watch(tmp_path, "add", "base.txt", "c1.txt", "--baseline", "accepted.toml")
    code, out, _ = watch(tmp_path, "run", "-f", "json")
    now = json.loads(out)["copies"][0]["now"]
    assert code == 0 and now["status"] == "same" and [f["accepted"] for f in now["findings"]] == [True]


def test_import_from_toml_and_csv(tmp_path: Path) -> None:
    site(tmp_path, 2)
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "sites.toml").write_text(
        '[[watch]]\nname = "十四号"\nbase = "../base.txt"\ncopies = ["../c1.txt"]\ntags = { site = "a.gov.cn" }\n', encoding="utf-8")
    code, _, err = watch(tmp_path, "import", "lists/sites.toml")
    assert code == 0 and "1 base, 1 copy" in err
    (tmp_path / "lists" / "sites.csv").write_bytes("name,base,copy,site,department\n十四号,../base.txt,../c2.txt,b.gov.cn,工信局\n".encode("gb18030"))
    code, _, err = watch(tmp_path, "import", "lists/sites.csv")
    assert code == 0, err
    listed = json.loads(watch(tmp_path, "list", "-f", "json")[1])
    copies = listed["bases"][0]["copies"]
    assert [Path(c["source"]).name for c in copies] == ["c1.txt", "c2.txt"]
    assert copies[1]["tags"] == {"department": "工信局", "site": "b.gov.cn"} and copies[0]["source"] == str(tmp_path / "c1.txt")
    (tmp_path / "bad.toml").write_text('[[watch]]\nbase = "base.txt"\n', encoding="utf-8")
    code, _, err = watch(tmp_path, "import", "bad.toml")
    assert code == 2 and "needs base" in err


def test_remove_keeps_the_history(tmp_path: Path) -> None:
    site(tmp_path, 2)
    watch(tmp_path, "add", "base.txt", "c1.txt", "c2.txt")
    watch(tmp_path, "run")
    code, out, err = watch(tmp_path, "remove", "c2.txt")
    assert code == 0 and "removed 1" in err and "c2.txt" not in out
    assert watch(tmp_path, "run", "-f", "json")[0] == 0
    assert len(json.loads(watch(tmp_path, "history", "c2.txt", "-f", "json")[1])["runs"]) == 1
    assert watch(tmp_path, "remove", "nothing.txt")[0] == 2


@pytest.mark.parametrize(("watched", "args", "says"), [
    (False, [], "watch needs an ACTION"),
    (False, ["dance"], "'dance' is not an action of jiaokan watch"),
    (False, ["add", "base.txt"], "watch add takes BASE COPY...: 1 was given"),
    (False, ["add", "base.txt", "nope.txt"], "nope.txt: no such file"),
    (False, ["add", "nope.txt", "c1.txt"], "nope.txt: no such file"),
    (False, ["run"], "no watch history here"),
    (False, ["report", "--db", "typo.db"], "typo.db: no watch history here"),
    (True, ["report"], "no watch run yet"),
    (True, ["history", "c9.txt"], "no such copy"),
    (True, ["report", "--since", "2026-01-01", "--last", "2"], "--since and --last both given"),
    (True, ["report", "--since", "yesterday"], "--since 'yesterday': not a date"),
    (True, ["run", "--pages", "c1.txt"], "--pages c1.txt: cannot make the folder"),
    (True, ["run", "-o", "c1.txt"], "c1.txt"),
    (True, ["list", "-o", "base.txt"], "base.txt"),
    (False, ["list", "--db", "."], "is a folder"),
])
def test_bad_usage_is_one_line_and_exit_2(tmp_path: Path, watched: bool, args: list[str], says: str) -> None:
    site(tmp_path, 1)
    if watched:
        assert watch(tmp_path, "add", "base.txt", "c1.txt")[0] == 0
    documents = lambda: {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and ".db" not in p.name}  # noqa: E731
    before, databases = documents(), sorted(p.name for p in tmp_path.glob("*.db"))
    code, out, err = watch(tmp_path, *args)
    assert code == 2 and out == "" and says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert documents() == before  # no input overwritten
    assert sorted(p.name for p in tmp_path.glob("*.db")) == databases  # and no database left behind by a read


def test_nothing_to_run_once_every_copy_is_removed(tmp_path: Path) -> None:
    site(tmp_path, 1)
    watch(tmp_path, "add", "base.txt", "c1.txt")
    watch(tmp_path, "remove", "c1.txt")
    code, _, err = watch(tmp_path, "run")
    assert code == 2 and "nothing to run" in err


def test_last_beyond_the_runs_and_since_with_an_offset(tmp_path: Path) -> None:
    site(tmp_path, 1)
    watch(tmp_path, "add", "base.txt", "c1.txt")
    watch(tmp_path, "run")
    watch(tmp_path, "run")
    code, _, err = watch(tmp_path, "report", "--last", "5")
    assert code == 2 and "--last 5: only 1 run before the latest" in err
    first = open_store(tmp_path / "jiaokan-watch.db").runs()[0].started  # UTC
    code, out, _ = watch(tmp_path, "report", "--since", "2999-01-01T08:00+08:00", "-f", "json")
    assert code == 0 and json.loads(out)["against"]["started"] == first


def test_a_copy_gone_then_back_is_back_and_its_new_bytes_changed(tmp_path: Path) -> None:
    site(tmp_path, 1)
    watch(tmp_path, "add", "base.txt", "c1.txt")
    watch(tmp_path, "run")
    (tmp_path / "c1.txt").rename(tmp_path / "away.txt")
    assert json.loads(watch(tmp_path, "run", "-f", "json")[1])["copies"][0]["kinds"] == ["gone"]
    (tmp_path / "c1.txt").write_text("首页 > 通知公告\n\n" + TEXT, encoding="utf-8")
    code, out, _ = watch(tmp_path, "run", "-f", "json")
    copy = json.loads(out)["copies"][0]
    assert code == 0 and copy["now"]["status"] == "changed" and copy["kinds"] == ["changed", "back"]


def test_a_finding_shows_both_files_own_characters_and_places(tmp_path: Path) -> None:
    site(tmp_path, 1)
    (tmp_path / "c1.txt").write_text(TEXT.replace("履职能力建设", "履職能力提昇"), encoding="utf-8")  # traditional on the page
    watch(tmp_path, "add", "base.txt", "c1.txt")
    code, out, _ = watch(tmp_path, "run", "-f", "csv")
    row = next(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert code == 1 and (row["base_text"], row["witness_text"]) == ("建设", "提昇")  # as each file has them
    line, column = int(row["base_line"]), int(row["base_column"])
    assert TEXT.splitlines()[line - 1][column - 1:column + 1] == "建设"
    page_line = (tmp_path / "c1.txt").read_text(encoding="utf-8").splitlines()[int(row["line"]) - 1]
    assert page_line[int(row["column"]) - 1:int(row["column"]) + 1] == "提昇"
    stored = json.loads(watch(tmp_path, "report", "-f", "json")[1])["copies"][0]["now"]["findings"][0]
    assert (stored["base"], stored["witness"], stored["witness_original"]) == ("建设", "提升", "提昇")  # the key is normalized


def test_an_import_that_fails_anywhere_adds_nothing(tmp_path: Path) -> None:
    site(tmp_path, 2)
    (tmp_path / "list.toml").write_text('[[watch]]\nbase = "base.txt"\ncopies = ["c1.txt"]\n\n[[watch]]\nbase = "base.txt"\ncopies = []\n', encoding="utf-8")
    code, _, err = watch(tmp_path, "import", "list.toml")
    assert code == 2 and "list.toml: [[watch]] number 2: no COPY given" in err
    assert not (tmp_path / "jiaokan-watch.db").exists()  # checked whole before the database is opened
    watch(tmp_path, "add", "base.txt", "c2.txt")
    code, _, err = watch(tmp_path, "import", "list.toml")
    assert code == 2 and [Path(c["source"]).name for c in json.loads(watch(tmp_path, "list", "-f", "json")[1])["bases"][0]["copies"]] == ["c2.txt"]
    code, _, err = watch(tmp_path, "add", "base.txt", "c1.txt", "missing.txt")
    assert code == 2 and len(json.loads(watch(tmp_path, "list", "-f", "json")[1])["bases"][0]["copies"]) == 1


def test_a_symlink_loop_is_an_input_error(tmp_path: Path) -> None:
    site(tmp_path, 1)
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    code, _, err = watch(tmp_path, "add", "base.txt", "l1")
    assert code == 2 and "l1: no such file" in err


def test_first_opens_at_once_migrate_once(tmp_path: Path) -> None:
    import threading

    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_store(tmp_path / "new.db").close()
        except Exception as exc:  # noqa: BLE001 - any failure of any thread is the test's
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sqlite3.connect(tmp_path / "new.db").execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_review_page_is_written_again_when_the_base_changes(tmp_path: Path) -> None:
    site(tmp_path, 1)
    (tmp_path / "c1.txt").write_text(TEXT.replace(*DRIFT), encoding="utf-8")
    watch(tmp_path, "add", "base.txt", "c1.txt")
    watch(tmp_path, "run", "--pages", "pages")
    (tmp_path / "base.txt").write_text(TEXT.replace(*DRIFT), encoding="utf-8")  # the base now reads as the copy
    code, out, _ = watch(tmp_path, "run", "--pages", "pages", "-f", "json")
    assert code == 0 and json.loads(out)["copies"][0]["now"]["status"] == "same"
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert len(pages) == 2  # the same copy's bytes, two bases: two pages
    history = json.loads(watch(tmp_path, "history", "c1.txt", "-f", "json")[1])["runs"]
    assert [r["page"] for r in history] == [p for p in pages if p == history[0]["page"]] + [p for p in pages if p == history[1]["page"]]
    assert history[0]["page"] != history[1]["page"] and history[0]["base_sha256"] != history[1]["base_sha256"]


def test_a_second_run_is_refused_while_one_holds_the_lock(tmp_path: Path) -> None:
    site(tmp_path, 1)
    watch(tmp_path, "add", "base.txt", "c1.txt")
    store = open_store(tmp_path / "jiaokan-watch.db")
    with store.run_lock():
        code, _, err = watch(tmp_path, "run")
    assert code == 2 and "another watch run is using it" in err
    assert watch(tmp_path, "run")[0] == 0  # released


def test_a_database_from_a_newer_jiaokan_is_refused(tmp_path: Path) -> None:
    site(tmp_path, 1)
    watch(tmp_path, "add", "base.txt", "c1.txt")
    db = sqlite3.connect(tmp_path / "jiaokan-watch.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    code, _, err = watch(tmp_path, "list")
    assert code == 2 and "made by a newer jiaokan (schema 99" in err
    assert sqlite3.connect(tmp_path / "jiaokan-watch.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_dashboard_is_a_grid_of_runs_linking_to_review_pages(tmp_path: Path) -> None:
    site(tmp_path, 2)
    hostile = tmp_path / "<img src=x onerror=alert(1)>.txt"
    hostile.write_text(TEXT, encoding="utf-8")
    watch(tmp_path, "add", "base.txt", "c1.txt", "c2.txt", hostile.name)
    watch(tmp_path, "run", "--pages", "pages")
    (tmp_path / "c1.txt").write_text(TEXT.replace(*DRIFT), encoding="utf-8")
    assert watch(tmp_path, "run", "--pages", "pages")[0] == 1
    (tmp_path / "out").mkdir()
    code, _, _ = watch(tmp_path, "report", "-f", "html", "--pages", "pages", "-o", "out/dashboard.html")
    page = (tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8")
    assert code == 1 and "Content-Security-Policy" in page and "script-src 'none'" in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page
    cells = re.findall(r'<td class="s-([a-z]+)"><a href="([^"]+)"', page)
    assert [s for s, _ in cells] == ["same", "drift", "same", "same", "same", "same"]  # c1, c2, the third copy; two runs each
    for _, href in cells:
        target = (tmp_path / "out" / href).resolve()
        assert target.is_file() and target.parent == (tmp_path / "pages").resolve()
        assert "<title>" in target.read_text(encoding="utf-8")
    drifted_page = (tmp_path / "out" / cells[1][1]).read_text(encoding="utf-8")
    assert "提升" in drifted_page and "建设" in drifted_page
    assert "<del>建设</del><ins>提升</ins>" in page
    assert len(list((tmp_path / "pages").iterdir())) == 4  # an unchanged copy's page is written once


@pytest.mark.parametrize("after", [0.2, 0.6, 1.0, 2.5])
def test_a_run_killed_at_any_moment_leaves_the_runs_before_it_or_itself_complete(tmp_path: Path, after: float) -> None:
    """SIGKILL, the one a program cannot catch, at several moments of a run of 120 copies (≈ 1.3 s: while starting,
    reading and diffing, after it ended): the database is whole,
    holds the run before it or this one complete (a result for every copy), and the lock is free again."""
    import signal
    import time

    from .cli import spawn

    site(tmp_path, 120)
    watch(tmp_path, "add", "base.txt", *[f"c{k}.txt" for k in range(1, 121)])
    assert watch(tmp_path, "run")[0] == 0
    child = spawn(["watch", "run"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    db = sqlite3.connect(tmp_path / "jiaokan-watch.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    runs = [r[0] for r in db.execute("SELECT id FROM run ORDER BY id")]
    assert runs in ([1], [1, 2]), runs
    assert [n for (n,) in db.execute("SELECT COUNT(*) FROM result GROUP BY run_id ORDER BY run_id")] == [120] * len(runs)
    db.close()
    assert watch(tmp_path, "run")[0] == 0  # the lock died with the process


def test_an_output_never_lands_on_a_file_of_the_watch(tmp_path: Path) -> None:
    site(tmp_path, 2)
    watch(tmp_path, "add", "base.txt", "c1.txt", "c2.txt")
    (tmp_path / "c2.txt").rename(tmp_path / "c2.bak")  # gone for now: a report there would be read as the copy
    assert watch(tmp_path, "run")[0] == 1
    for target in ("c2.txt", "jiaokan-watch.db-wal", "jiaokan-watch.db-shm", "jiaokan-watch.db.lock", "jiaokan-watch.db"):
        code, _, err = watch(tmp_path, "report", "-o", target)
        assert code == 2 and "refusing to write over" in err, target
    assert not (tmp_path / "c2.txt").exists()
    assert watch(tmp_path, "report", "-o", "report.txt")[0] == 1 and "GONE" in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_a_copy_added_without_tags_keeps_the_base_s(tmp_path: Path) -> None:
    site(tmp_path, 2)
    watch(tmp_path, "add", "base.txt", "c1.txt", "--tag", "site=a.gov.cn", "--tag", "department=工信局")
    watch(tmp_path, "add", "base.txt", "c2.txt")
    listed = json.loads(watch(tmp_path, "list", "-f", "json")[1])["bases"][0]
    assert listed["tags"] == {"department": "工信局", "site": "a.gov.cn"}
    assert [c["tags"] for c in listed["copies"]] == [listed["tags"]] * 2


def test_list_errors_name_their_place(tmp_path: Path) -> None:
    site(tmp_path, 1)
    (tmp_path / "list.csv").write_text("base,copy\nbase.txt,c1.txt\nbase.txt,nope.txt\n", encoding="utf-8")
    code, _, err = watch(tmp_path, "import", "list.csv")
    assert code == 2 and "list.csv: line 3: nope.txt: no such file" in err
    (tmp_path / "list.toml").write_text('[[watch]]\nbase = "base.txt"\ncopies = ["c1.txt"]\ntags = { site = { a = 1 } }\n', encoding="utf-8")
    code, _, err = watch(tmp_path, "import", "list.toml")
    assert code == 2 and "list.toml: [[watch]] number 1: tag 'site': not a text" in err
    code, _, err = watch(tmp_path, "add", "base.txt", "c1.txt", "--baseline", "https://example.invalid/accepted.toml")
    assert code == 2 and "not a file" in err and not (tmp_path / "jiaokan-watch.db").exists()


def test_a_base_name_cannot_break_a_line_of_the_report(tmp_path: Path) -> None:
    site(tmp_path, 1)
    (tmp_path / "c1.txt").write_text(TEXT.replace(*DRIFT), encoding="utf-8")
    watch(tmp_path, "add", "base.txt", "c1.txt", "--name", "国发\n::error::forged")
    code, out, _ = watch(tmp_path, "run")
    assert code == 1 and "(国发\\n::error::forged)" in out and not any(line.startswith("::") for line in out.splitlines())
    code, out, _ = watch(tmp_path, "history", "c1.txt")
    assert "国发\\n::error::forged" in out.splitlines()[0]
