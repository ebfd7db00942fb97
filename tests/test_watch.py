"""``jiaokan watch`` as a library (issue 20): copies served by a local HTTP server whose pages change between runs,
and what a user sees of each run — a copy's status, its findings, the report, the exit code — and of the database.

The base is sample 002; the drifts are real ones (履职能力建设 → 履职能力提升, 多层次 → 多层级).  Timeouts are short
(JIAOKAN_TIMEOUT); the only timing asserted is the spacing of the starts the server records, with a wide margin.
"""

from __future__ import annotations

import csv
import itertools
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jiaokan import baseline as bl
from jiaokan import watch
from jiaokan.diff import diff_files
from jiaokan.errors import InputError
from jiaokan.findings import SUBSTANTIVE
from jiaokan.watchdb import SCHEMA_VERSION, CopyResult, WatchStore, open_store

from .conftest import COUNTY_002
from .site import TIMEOUT, Site, html_page, isolated_reads

TEXT = COUNTY_002.read_text(encoding="utf-8")
DRIFT = ("履职能力建设", "履职能力提升")
DRIFT_2 = ("多层次", "多层级")
NAV = '<div class="nav"><a href="/">首页</a> &gt; <a href="/gk">政务公开</a> &gt; <a href="/tz">通知公告</a></div>\n'


def drifted(*pairs: tuple[str, str], text: str = TEXT) -> str:
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    return text


def page(text: str = TEXT, *, before: str = "") -> bytes:
    return html_page(text, before=before).encode("utf-8")


@pytest.fixture(autouse=True)
def library_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads never touch the user's cache, wait briefly, and go straight to the loopback servers."""
    isolated_reads(tmp_path, monkeypatch, "127.0.0.1,127.0.0.2")


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each time the watch asks, a minute later: runs made within a second still start at times of their own."""
    t = [datetime(2025, 3, 1, 8, 0, tzinfo=UTC)]

    def tick() -> str:
        t[0] += timedelta(minutes=1)
        return t[0].isoformat()

    monkeypatch.setattr(watch, "now", tick)


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site().start()
    yield s
    s.stop()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "watch.db"


@pytest.fixture
def store(db: Path) -> Iterator[WatchStore]:
    s = open_store(db)
    yield s
    s.close()


def by_source(run: watch.WatchRun) -> dict[str, CopyResult]:
    return {run.copies[r.copy_id].source: r for r in run.results}


def sources(changes: list[watch.CopyChange]) -> list[str]:
    return sorted(c.copy.source for c in changes)


def run(store: WatchStore, **kw: object) -> watch.WatchRun:
    """A run as fast as the tests allow: no delay between requests unless one is asked for."""
    return watch.run(store, **{"delay": 0.0, **kw})  # type: ignore[arg-type]


# ---------------------------------------------------------------- a copy over time


def test_a_copy_same_then_drifted_then_fixed(site: Site, store: WatchStore) -> None:
    url = site.page("/notice.html", page())
    watch.add(store, str(COUNTY_002), [url], name="county")

    first = run(store)
    assert by_source(first)[url].status == "same"
    assert by_source(first)[url].findings == ()
    assert first.exit_code == 0

    site.page("/notice.html", page(drifted(DRIFT)))
    second = run(store)
    result = by_source(second)[url]
    assert result.status == "drift"
    assert [(f.code, f.base_text, f.witness_text, f.accepted) for f in result.findings] == [("wording-substitution", "建设", "提升", False)]
    assert second.exit_code == 1
    rep = watch.report(store)
    assert sources(rep.of("new-drift")) == [url]
    assert [f.witness_text for f in rep.of("new-drift")[0].new] == ["提升"]
    assert rep.of("fixed") == [] and rep.of("still-wrong") == []

    site.page("/notice.html", page())
    third = run(store)
    assert by_source(third)[url].status != "drift"
    assert third.exit_code == 0
    rep = watch.report(store)
    assert sources(rep.of("fixed")) == [url]
    assert [f.fingerprint for f in rep.of("fixed")[0].fixed] == [f.fingerprint for f in result.findings]
    assert rep.of("new-drift") == [] and rep.of("still-wrong") == []
    assert rep.changes[0].wrong_since is None


def test_a_drift_keeps_its_identity_when_the_page_around_it_changes(site: Site, store: WatchStore) -> None:
    url = site.page("/notice.html", page(drifted(DRIFT)))
    watch.add(store, str(COUNTY_002), [url])
    first = run(store)
    site.page("/notice.html", page(drifted(DRIFT), before=NAV))  # a navigation bar above the text
    second = run(store)

    was, now = by_source(first)[url], by_source(second)[url]
    assert was.sha256 != now.sha256
    assert now.status == "drift"
    assert [f.fingerprint for f in now.findings] == [f.fingerprint for f in was.findings]
    assert [f.line for f in now.findings] != [f.line for f in was.findings]  # it moved down the page
    rep = watch.report(store)
    assert rep.of("new-drift") == []
    assert sources(rep.of("still-wrong")) == [url]
    assert rep.of("still-wrong")[0].wrong_since == first.run.started != second.run.started


def test_the_bytes_changed_without_drift_is_changed(site: Site, store: WatchStore) -> None:
    url = site.page("/notice.html", page())
    watch.add(store, str(COUNTY_002), [url])
    assert by_source(run(store))[url].status == "same"
    site.page("/notice.html", page(before=NAV))
    assert by_source(run(store))[url].status == "changed"
    assert sources(watch.report(store).of("changed")) == [url]
    assert by_source(run(store))[url].status == "same"  # not changed again since
    assert watch.report(store).of("changed") == []


# ---------------------------------------------------------------- what a server answers


def test_gone_moved_timed_out_and_failing_copies_in_one_run(site: Site, store: WatchStore) -> None:
    def slow(r: Site.Request) -> None:
        time.sleep(float(TIMEOUT) * 4)  # far past the timeout; the client has gone by then
        r.send(page())

    site.routes["/slow.html"] = slow
    same = site.page("/same.html", page())
    drift = site.page("/drift.html", page(drifted(DRIFT)))
    moved = site.redirect("/moved.html", "/same.html", 301)
    copies = {"same": same, "drift": drift, "moved": moved, "404": site.status("/404.html", 404), "410": site.status("/410.html", 410),
              "500": site.status("/500.html", 500), "slow": site.url("/slow.html")}
    watch.add(store, str(COUNTY_002), list(copies.values()))

    result = run(store)
    got = {k: by_source(result)[u] for k, u in copies.items()}
    assert {k: r.status for k, r in got.items()} == {"same": "same", "drift": "drift", "moved": "same", "404": "gone", "410": "gone", "500": "error", "slow": "error"}
    assert (got["404"].http_status, got["410"].http_status, got["500"].http_status) == (404, 410, 500)
    assert got["moved"].final_url == same and got["same"].final_url is None
    assert got["slow"].error is not None and "timed out" in got["slow"].error
    assert got["500"].error is not None and "server error" in got["500"].error
    assert result.exit_code == 2
    rep = watch.report(store)
    assert sources(rep.of("gone")) == sorted([copies["404"], copies["410"]])
    assert sources(rep.of("error")) == sorted([copies["500"], copies["slow"]])


@pytest.mark.parametrize(("html", "encoding", "declared"), [
    (True, "gb18030", "text/html; charset=utf-8"),
    (True, "utf-8", "text/html; charset=gbk"),
    (False, "gb18030", "text/plain; charset=utf-8"),
    (False, "utf-8", "text/plain; charset=gb2312"),
], ids=["gbk-html-says-utf8", "utf8-html-says-gbk", "gbk-text-says-utf8", "utf8-text-says-gb2312"])
def test_a_page_declaring_the_wrong_charset_is_read_as_it_is(site: Site, store: WatchStore, html: bool, encoding: str, declared: str) -> None:
    def body(text: str) -> bytes:
        return (html_page(text) if html else text).encode(encoding)

    clean = site.page("/clean", body(TEXT), declared)
    wrong = site.page("/wrong", body(drifted(DRIFT)), declared)
    watch.add(store, str(COUNTY_002), [clean, wrong])
    result = by_source(run(store))
    assert result[clean].status == "same", result[clean].error
    assert result[wrong].status == "drift", result[wrong].error
    assert [f.witness_text for f in result[wrong].findings] == ["提升"]


@pytest.mark.parametrize(("pages", "code"), [
    (["same", "same"], 0),
    (["same", "drift"], 1),
    (["same", "404"], 1),
    (["drift", "410", "500"], 2),
    (["same", "500"], 2),
])
def test_the_exit_code_of_a_run(site: Site, store: WatchStore, pages: list[str], code: int) -> None:
    urls = []
    for k, kind in enumerate(pages):
        if kind in ("404", "410", "500"):
            urls.append(site.status(f"/{k}.html", int(kind)))
        else:
            urls.append(site.page(f"/{k}.html", page(drifted(DRIFT) if kind == "drift" else TEXT)))
    watch.add(store, str(COUNTY_002), urls)
    assert run(store).exit_code == code


# ---------------------------------------------------------------- accepted variants


def test_an_accepted_variant_is_not_drift(site: Site, store: WatchStore, tmp_path: Path) -> None:
    one = site.page("/one.html", page(drifted(DRIFT)))  # the accepted variant alone
    both = site.page("/both.html", page(drifted(DRIFT, DRIFT_2)))  # the accepted variant and another
    other = site.page("/other.html", page(drifted(DRIFT)))  # the same variant on a copy it was not accepted for
    saved = tmp_path / "drifted.txt"
    saved.write_text(drifted(DRIFT), encoding="utf-8")
    found = [f for f in diff_files(str(COUNTY_002), str(saved)).listed(include_cosmetic=False) if f.severity == SUBSTANTIVE]
    assert [(f.base_norm, f.witness_norm) for f in found] == [("建设", "提升")]
    accepted = tmp_path / "accepted.toml"
    accepted.write_text(bl.dumps([bl.entry_for(found[0], one), bl.entry_for(found[0], both)], base=str(COUNTY_002)), encoding="utf-8")
    watch.add(store, str(COUNTY_002), [one, both, other], baseline=str(accepted))

    result = run(store)
    got = by_source(result)
    assert got[one].status == "same"
    assert [(f.witness_text, f.accepted) for f in got[one].findings] == [("提升", True)]
    assert got[both].status == "drift"
    assert sorted((f.witness_text, f.accepted) for f in got[both].findings) == [("多层级", False), ("提升", True)]
    assert got[other].status == "drift"
    rep = watch.report(store)
    assert [f.witness_text for c in rep.of("new-drift") if c.copy.source == both for f in c.new] == ["多层级"]


# ---------------------------------------------------------------- reading politely


@pytest.fixture
def second_site() -> Iterator[Site]:
    s = Site("127.0.0.2").start()
    yield s
    s.stop()


def test_at_most_per_host_requests_at_once_to_each_host(site: Site, second_site: Site, store: WatchStore) -> None:
    body = page()

    def slowish(r: Site.Request) -> None:
        time.sleep(0.1)
        r.send(body)

    urls = []
    for s in (site, second_site):
        s.routes["/p.html"] = slowish
        urls += [s.url(f"/p.html?copy={k}") for k in range(8)]
    watch.add(store, str(COUNTY_002), urls)
    result = run(store, workers=16, per_host=2)
    assert {r.status for r in result.results} == {"same"}
    for s in (site, second_site):
        assert len(s.starts[s.host]) == 8
        assert s.most_in_flight[s.host] == 2, s.most_in_flight  # two at once, never three, on either host


def test_delay_spaces_the_starts_of_requests_to_a_host(site: Site, store: WatchStore) -> None:
    site.page("/p.html", page())
    watch.add(store, str(COUNTY_002), [site.url(f"/p.html?copy={k}") for k in range(5)])
    delay = 0.2
    result = run(store, workers=8, per_host=2, delay=delay)
    assert {r.status for r in result.results} == {"same"}
    starts = sorted(site.starts[site.host])
    assert len(starts) == 5
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) > delay * 0.75, gaps


# ---------------------------------------------------------------- the database


def test_a_second_run_while_one_holds_the_lock_is_refused(site: Site, store: WatchStore, db: Path) -> None:
    watch.add(store, str(COUNTY_002), [site.page("/p.html", page())])
    other = open_store(db)
    try:
        with store.run_lock(), pytest.raises(InputError, match=r"watch\.db\.lock") as caught:
            run(other)
        assert "another watch run" in str(caught.value)
        assert other.runs() == []
        assert run(other).exit_code == 0  # the lock released, a run goes ahead
    finally:
        other.close()


def test_a_run_interrupted_midway_stores_nothing_of_itself(site: Site, store: WatchStore, db: Path) -> None:
    body = page()

    def slowish(r: Site.Request) -> None:
        time.sleep(0.1)  # the reads take longer than judging them: the interrupt comes while most are still to make
        r.send(body)

    site.routes["/p.html"] = slowish
    n = 40
    watch.add(store, str(COUNTY_002), [site.url(f"/p.html?copy={k}") for k in range(n)])
    first = run(store, per_host=4, workers=4)
    before = store.results(first.run.id)
    hits = site.hits["/p.html"]

    def interrupt(k: int, total: int, source: str) -> None:
        if k == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(store, per_host=4, workers=4, progress=interrupt)
    assert site.hits["/p.html"] - hits < n  # it stopped reading: the copies not yet read were left alone
    assert [r.id for r in store.runs()] == [first.run.id]
    reopened = open_store(db)
    try:
        assert [r.id for r in reopened.runs()] == [first.run.id]
        assert reopened.results(first.run.id) == before
        assert run(reopened).run.id == first.run.id + 1  # the lock was released
    finally:
        reopened.close()


def test_reopening_the_database_keeps_everything(site: Site, db: Path, tmp_path: Path) -> None:
    url = site.page("/p.html", page(drifted(DRIFT)))
    store = open_store(db)
    watch.add(store, str(COUNTY_002), [url, site.status("/gone.html", 410)], name="county", tags=(("site", "county.gov.cn"),))
    first, second = run(store), run(store)
    bases, copies, runs = store.bases(), store.copies(), store.runs()
    results = [store.results(r.id) for r in runs]
    store.close()

    again = open_store(db)
    try:
        assert again.bases() == bases and again.copies() == copies and again.runs() == runs == [first.run, second.run]
        assert [again.results(r.id) for r in runs] == results
        assert {r.status for r in results[-1]} == {"drift", "gone"}
        copy = again.copy_named(url)
        assert copy is not None
        assert [r.status for _, r in again.history(copy.id)] == ["drift", "drift"]
        assert again.history(copy.id)[-1][1].findings == by_source(second)[url].findings
        assert sources(watch.report(again).of("still-wrong")) == [url]
    finally:
        again.close()


def test_the_journal_is_write_ahead(store: WatchStore, db: Path) -> None:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_from_a_newer_jiaokan_is_refused(db: Path) -> None:
    open_store(db).close()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(InputError, match="newer jiaokan"):
        open_store(db)


# ---------------------------------------------------------------- lists


def lists_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    (folder / "copies").mkdir(parents=True)
    (folder / "base.txt").write_text(TEXT, encoding="utf-8")
    (folder / "copies" / "a.txt").write_text(drifted(DRIFT), encoding="utf-8")
    return folder


def test_import_a_toml_list(store: WatchStore, tmp_path: Path) -> None:
    folder = lists_folder(tmp_path)
    (folder / "watch.toml").write_text(
        '[[watch]]\nname = "county"\nbase = "base.txt"\ncopies = ["copies/a.txt", "https://county.example.gov.cn/n.html"]\n'
        'tags = { site = "county.example.gov.cn", department = "办公室" }\n', encoding="utf-8")
    assert watch.import_list(store, folder / "watch.toml") == (1, 2)
    [base] = store.bases()
    assert (base.name, base.source, base.tags) == ("county", str(folder / "base.txt"), (("department", "办公室"), ("site", "county.example.gov.cn")))
    assert [c.source for c in store.copies()] == [str(folder / "copies" / "a.txt"), "https://county.example.gov.cn/n.html"]
    assert by_source(run(store))[str(folder / "copies" / "a.txt")].status == "drift"  # the paths read


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_import_a_csv_list_with_tags_as_columns(store: WatchStore, tmp_path: Path, encoding: str) -> None:
    folder = lists_folder(tmp_path)
    (folder / "copies" / "b.txt").write_text(TEXT, encoding="utf-8")
    with (folder / "watch.csv").open("w", encoding=encoding, newline="") as out:
        w = csv.writer(out)
        w.writerow(["name", "base", "copy", "site", "部门"])
        w.writerow(["county", "base.txt", "copies/a.txt", "a.gov.cn", "办公室"])
        w.writerow(["county", "base.txt", "copies/b.txt", "a.gov.cn", "办公室"])
    assert watch.import_list(store, folder / "watch.csv") == (1, 2)
    [base] = store.bases()
    assert (base.name, base.source) == ("county", str(folder / "base.txt"))
    copies = store.copies()
    assert [c.source for c in copies] == [str(folder / "copies" / "a.txt"), str(folder / "copies" / "b.txt")]
    assert {c.tags for c in copies} == {(("site", "a.gov.cn"), ("部门", "办公室"))}
    got = by_source(run(store))
    assert (got[str(folder / "copies" / "a.txt")].status, got[str(folder / "copies" / "b.txt")].status) == ("drift", "same")


# ---------------------------------------------------------------- a run that could not read a copy


def test_a_copy_that_could_not_be_read_is_not_fixed_and_its_drift_not_new_again(site: Site, store: WatchStore) -> None:
    url = site.page("/notice.html", page(drifted(DRIFT)))
    watch.add(store, str(COUNTY_002), [url])
    first = run(store)
    assert by_source(first)[url].status == "drift"

    site.failing.add("/notice.html")  # the server fails for a run: nothing is known of the text
    assert by_source(run(store))[url].status == "error"
    rep = watch.report(store)
    assert sources(rep.of("error")) == [url]
    assert rep.of("fixed") == []

    site.failing.discard("/notice.html")  # back, with the same drift
    assert by_source(run(store))[url].status == "drift"
    rep = watch.report(store)
    assert rep.of("new-drift") == []
    assert sources(rep.of("still-wrong")) == [url]
    assert rep.of("still-wrong")[0].wrong_since == first.run.started


# ---------------------------------------------------------------- scale


def test_five_hundred_copies_with_faults_in_two_runs(site: Site, store: WatchStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20, item 5: 500 copies on one machine, pages changing between runs, vanishing, redirected, failing and
    declaring the wrong charset; every copy judged, none stopping another (a time-out of the real order: the diffs
    hold the interpreter while the reads wait for their answers)."""
    monkeypatch.setenv("JIAOKAN_TIMEOUT", "20")
    kinds = ("same", "drift", "moved", "404", "500", "charset")
    urls: dict[str, str] = {}
    for k in range(500):
        kind = kinds[k % len(kinds)]
        path = f"/c{k}.html"
        if kind == "same":
            site.page(path, page())
        elif kind == "drift":
            site.page(path, page(drifted(DRIFT)))
        elif kind == "moved":
            site.page(f"/t{k}.html", page())
            site.redirect(path, f"/t{k}.html")
        elif kind == "404":
            site.status(path, 404)
        elif kind == "500":
            site.status(path, 500)
        else:
            site.page(path, html_page(TEXT).encode("gb18030"), "text/html; charset=utf-8")
        urls[site.url(path)] = kind
    watch.add(store, str(COUNTY_002), list(urls), name="five hundred")
    expected = {"same": "same", "drift": "drift", "moved": "same", "404": "gone", "500": "error", "charset": "same"}
    first = run(store, workers=16, per_host=16)
    assert {u: r.status for u, r in by_source(first).items()} == {u: expected[k] for u, k in urls.items()}
    # between the runs: the drifted pages are fixed, the identical ones get a navigation bar, the 404s come back
    for u, kind in urls.items():
        path = "/" + u.rsplit("/", 1)[1]
        if kind == "drift":
            site.page(path, page())
        elif kind == "same":
            site.page(path, page(before="<nav>首页 > 通知公告</nav>\n"))
        elif kind == "404":
            site.page(path, page())
    second = run(store, workers=16, per_host=16)
    again = {"same": "changed", "drift": "changed", "moved": "same", "404": "same", "500": "error", "charset": "same"}
    assert {u: r.status for u, r in by_source(second).items()} == {u: again[k] for u, k in urls.items()}
    rep = watch.report(store)
    assert len(rep.of("fixed")) == sum(k == "drift" for k in urls.values()) and len(rep.of("back")) == sum(k == "404" for k in urls.values())
    assert len(store.runs()) == 2 and second.exit_code == 2


def test_a_second_run_revalidates_the_cached_page(site: Site, store: WatchStore) -> None:
    """The URL cache of the inputs issue: a run asks again with the page's ETag, and a 304 reads the cached body."""
    path = "/etag.html"

    def answer(r: Site.Request) -> None:
        if r.headers.get("If-None-Match") == '"v1"':
            r.send(b"", status=304, headers={"ETag": '"v1"'})
        else:
            r.send(page(drifted(DRIFT)), headers={"ETag": '"v1"'})

    site.routes[path] = answer
    watch.add(store, str(COUNTY_002), [site.url(path)])
    first = run(store)
    assert site.headers[path].get("If-None-Match") is None
    second = run(store)
    assert site.headers[path].get("If-None-Match") == '"v1"'
    assert [r.status for r in first.results] == [r.status for r in second.results] == ["drift"]
    assert second.results[0].sha256 == first.results[0].sha256 and second.results[0].findings == first.results[0].findings
