"""Republished copies kept under watch: each run reads every copy, diffs it against its base and keeps the verdict
in a history (issue 20; docs/watch.md).

A copy changes after it is checked (edited, moved, taken down), and inspectors come back every month: a watch is
``check`` with a memory.  A run reads the copies concurrently (a limit and a delay per host, the URL cache
revalidated as every URL read is), diffs each against its base prepared once, and writes every copy's status, the
hash of what it read and its substantive findings, keyed by content and context (``baseline.fingerprint``), to the
store in one transaction.  A report compares two runs by those keys, so a finding keeps its identity when the page
around it changes.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from jiaokan import __version__
from jiaokan import baseline as bl
from jiaokan.config import Settings
from jiaokan.errors import InputError, PageError
from jiaokan.findings import SUBSTANTIVE, Finding
from jiaokan.ingest import Document, DocxRevisions
from jiaokan.watchdb import Base, Copy, CopyResult, NewWatch, RunInfo, Status, StoredFinding, Tags, WatchStore, tags_from
from jiaokan.web import is_url  # the command's own module: web's import is light (httpx loads when a URL is read)

PER_HOST = 2  # requests at once to one host: an office's site is often a small server
DELAY = 0.5  # seconds between two requests' starts to one host
WORKERS = 8  # copies read at once in all


def now() -> str:
    """The time as runs record it: ISO 8601, UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------
# the list


def add(store: WatchStore, base: str, copies: Sequence[str], *, name: str | None = None, tags: Tags = (), baseline: str | None = None) -> tuple[Base, list[Copy]]:
    """Watch ``copies`` of ``base`` (files or URLs); ``name`` defaults to the base's file name or address."""
    return store.add([new_watch(name, base, tags, baseline, copies, "watch add")], now())[0]


def new_watch(name: str | None, base: str, tags: Tags, baseline: str | None, copies: Sequence[str], where: str) -> NewWatch:
    """A watch checked before anything is written: copies given, and every file it names there (a URL is read
    only when a run reads it)."""
    if not copies:
        raise InputError(f"{where}: no COPY given", "a watch compares copies with their base", "e.g. jiaokan watch add official.txt https://county.gov.cn/notice.html")
    if baseline is not None and is_url(baseline):
        raise InputError(f"{where}: --baseline {baseline}: not a file", "accepted variants are read from a file beside the watch", "download it, and give the file")
    for what, given in (("the base", base), ("the baseline", baseline), *(("a copy", c) for c in copies)):
        if given is not None and not is_url(given) and not os.path.isfile(given):
            raise InputError(f"{where}: {given}: no such file", f"{what} must be a file or an http(s) address", "check the path")
    source = _source(base)
    return NewWatch(name or _default_name(source), source, tags, _source(baseline) if baseline else None, tuple(dict.fromkeys(_source(c) for c in copies)))


def remove(store: WatchStore, what: str) -> int:
    """Stop watching a base (by name, with its copies) or one copy (by its file or address); its history stays."""
    n = store.remove(what, now()) or (store.remove(_source(what), now()) if _source(what) != what else 0)
    if not n:
        raise InputError(f"watch remove {what!r}: nothing by that name", "it is neither a base's name nor a copy's file or address",
                         "see what is watched with: jiaokan watch list")
    return n


def import_list(store: WatchStore, path: Path) -> tuple[int, int]:
    """Add what a TOML or CSV list names (docs/watch.md): (bases, copies) added or updated, in one transaction."""
    added = store.add(read_list(path), now())  # a list that fails anywhere adds nothing
    return len(added), sum(len(copies) for _, copies in added)


def read_list(path: Path) -> list[NewWatch]:
    """The watches a TOML or CSV list names, each checked (files there, copies given) before anything is written."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the list", exc.strerror or str(exc), "check the path") from exc
    entries = _toml_list(path, raw) if path.suffix.lower() == ".toml" else _csv_list(path, raw)
    return [new_watch(name, base, tags, baseline, sources, f"{path}: {where}") for where, (name, base, tags, baseline, sources) in entries]


Entry = tuple[str, tuple[str | None, str, Tags, str | None, list[str]]]  # where in the list; name, base, tags, baseline, copies


def _toml_list(path: Path, raw: bytes) -> list[Entry]:
    """``[[watch]]`` tables: ``base``, ``copies`` (a list), optional ``name``, ``baseline``, ``tags`` (a table)."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not a TOML watch list", str(exc), "see docs/watch.md for the format") from exc
    tables = data.get("watch")
    if not isinstance(tables, list) or not tables:
        raise InputError(f"{path}: no [[watch]] table", "a TOML watch list is a [[watch]] table per base", "see docs/watch.md for the format")
    out: list[Entry] = []
    for k, t in enumerate(tables, 1):
        where = f"{path}: [[watch]] number {k}"
        if not isinstance(t, dict) or not isinstance(t.get("base"), str) or not isinstance(t.get("copies"), list) or not all(isinstance(c, str) for c in t["copies"]):
            raise InputError(f"{where}: needs base = \"…\" and copies = [\"…\", …]", "each watch names its base and its copies", "see docs/watch.md for the format")
        tags = t.get("tags", {})
        if not isinstance(tags, dict):
            raise InputError(f"{where}: tags must be a table", "tags are key = \"value\" pairs (site, department)", 'e.g. tags = { site = "county.gov.cn" }')
        try:
            tags = tags_from(tags)
        except InputError as exc:
            raise InputError(f"{where}: {exc.what}", exc.why, exc.fix) from None
        name, baseline = t.get("name"), t.get("baseline")
        if not isinstance(name, str | None) or not isinstance(baseline, str | None):
            raise InputError(f"{where}: name and baseline are strings", "they name the watch and its accepted variants file", "quote them")
        out.append((f"[[watch]] number {k}", (name, _beside(path, t["base"]), tags, _beside(path, baseline) if baseline else None,
                                              [_beside(path, c) for c in t["copies"]])))
    return out


def _csv_list(path: Path, raw: bytes) -> list[Entry]:
    """A spreadsheet: a header row with ``base`` and ``copy`` (one copy a row), optional ``name`` and ``baseline``;
    every other column is a tag (site, department …)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # a spreadsheet saved as CSV on a Chinese Windows
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 or GB18030 text", "a CSV list is text", "save it as CSV UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    if not {"base", "copy"} <= set(reader.fieldnames or ()):
        raise InputError(f"{path}: needs a header row with base and copy", "each row names a copy and its base", "see docs/watch.md for the format")
    if not rows:
        raise InputError(f"{path}: has no rows", "the header is there, but no copy is listed under it", "add a row per copy")
    grouped: dict[tuple[str | None, str], tuple[str | None, str, Tags, str | None, list[str]]] = {}
    first_row: dict[tuple[str | None, str], int] = {}
    for k, row in enumerate(rows, 2):
        base, copy = (row.get("base") or "").strip(), (row.get("copy") or "").strip()
        if not base or not copy:
            raise InputError(f"{path}:{k}: base and copy must both be given", "each row names a copy and its base", "fill in both, or delete the row")
        for what, given in (("base", base), ("copy", copy), ("baseline", (row.get("baseline") or "").strip())):
            if given and not is_url(given) and not os.path.isfile(_beside(path, given)):
                raise InputError(f"{path}: line {k}: {given}: no such file", f"the {what} must be a file (beside the list) or an http(s) address", "check the path")
        name = (row.get("name") or "").strip() or None
        tags = tags_from({c: (v or "").strip() for c, v in row.items() if c not in ("base", "copy", "name", "baseline") and c and (v or "").strip()})
        entry = grouped.setdefault((name, base), (name, _beside(path, base), tags, None, []))
        first_row.setdefault((name, base), k)
        baseline = (row.get("baseline") or "").strip()
        if baseline and entry[3] is None:
            entry = grouped[(name, base)] = (entry[0], entry[1], entry[2], _beside(path, baseline), entry[4])
        entry[4].append(_beside(path, copy))
    return [(f"line {first_row[key]}", entry) for key, entry in grouped.items()]


def _beside(listfile: Path, source: str) -> str:
    """A file named in a list is relative to the list's folder; a URL is as it is."""
    return source if is_url(source) else os.path.abspath(listfile.parent / source)


def _source(given: str) -> str:
    return given if is_url(given) else os.path.abspath(given)  # a link is kept as a link: it may be repointed


def _default_name(source: str) -> str:
    return source if is_url(source) else Path(source).name


# --------------------------------------------------------------------------
# a run


@dataclass(frozen=True, slots=True)
class Read:
    """What reading one copy gave: its document, or why there is none (``gone``: a 404, a 410, a deleted file)."""

    document: Document | None
    sha256: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    error: str | None = None
    gone: bool = False


class _Hosts:
    """At most ``per_host`` reads at once per host, their starts ``delay`` seconds apart (files: no limit)."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.per_host, self.delay = max(1, per_host), max(0.0, delay)
        self.lock = threading.Lock()
        self.slots: dict[str, threading.Semaphore] = {}
        self.next_start: dict[str, float] = {}
        self.stopped = threading.Event()  # the run was interrupted: the reads still waiting their turn are not made

    def read(self, source: str, reader: Callable[[str], Read]) -> Read:
        host = (urlsplit(source).hostname or "") if "://" in source else ""
        if not host:
            return reader(source)
        with self.lock:
            slot = self.slots.setdefault(host, threading.Semaphore(self.per_host))
        with slot:
            if self.stopped.is_set():
                return Read(None, error="the run was interrupted")
            with self.lock:
                start = max(time.monotonic(), self.next_start.get(host, 0.0))
                self.next_start[host] = start + self.delay
            time.sleep(max(0.0, start - time.monotonic()))
            return reader(source)


def read_copy(source: str, *, docx_revisions: DocxRevisions = "accepted") -> Read:
    """A copy read as a document, or what stopped it: an HTTP 404 or 410 (or a file no longer there) is ``gone``."""
    from jiaokan.ingest import document_from_bytes, read_document
    from jiaokan.web import fetch, format_of

    try:
        if is_url(source):
            page = fetch(source)
            doc = document_from_bytes(page.body, path=source, format=format_of(page), charset=page.charset, docx_revisions=docx_revisions)
            return Read(doc, doc.sha256, page.final_url if page.final_url != source else None)
        if not os.path.lexists(source):
            return Read(None, error=f"{source}: no such file", gone=True)
        doc = read_document(source, docx_revisions=docx_revisions)
        return Read(doc, doc.sha256)
    except PageError as exc:
        return Read(None, http_status=exc.status, error=str(exc), gone=exc.status in (404, 410))
    except InputError as exc:
        return Read(None, error=str(exc))


@dataclass(frozen=True, slots=True)
class WatchRun:
    """A run as stored, with what was watched (copy id → copy)."""

    run: RunInfo
    results: tuple[CopyResult, ...]
    copies: dict[int, Copy]

    @property
    def exit_code(self) -> int:
        """As ``check``: 2 if a copy (or its base) could not be read, else 1 if one drifted or is gone, else 0."""
        statuses = {r.status for r in self.results}
        return 2 if "error" in statuses else 1 if statuses & {"drift", "gone"} else 0


def run(store: WatchStore, *, settings: Settings | None = None, workers: int = WORKERS, per_host: int = PER_HOST, delay: float = DELAY,
        progress: Callable[[int, int, str], None] | None = None, docx_revisions: DocxRevisions = "accepted", pages: Path | None = None) -> WatchRun:
    """Read every copy watched, diff it against its base, and store the run (one transaction, under the run lock).

    ``pages``: a folder where each copy read gets its review page (``page_name``), the dashboard's links; a page
    is named by the copy and the hash of what was read, so an unchanged copy's page is written once."""
    settings = settings or Settings()
    if pages is not None:
        try:
            pages.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"--pages {pages}: cannot make the folder", exc.strerror or str(exc), "give a folder you can write") from exc
    with store.run_lock():
        started = now()
        copies = store.copies()
        bases = {b.name: b for b in store.bases()}
        previous = store.last_read()
        hosts = _Hosts(per_host, delay)
        pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="jiaokan-watch")
        try:
            reads: dict[int, Future[Read]] = {c.id: pool.submit(hosts.read, c.source, lambda s: read_copy(s, docx_revisions=docx_revisions)) for c in _by_turns(copies)}
            prepared = {name: _base(b, settings, docx_revisions) for name, b in bases.items() if any(c.base == name for c in copies)}
            results = []
            for k, c in enumerate(copies):
                if progress is not None:
                    progress(k, len(copies), c.source)
                results.append(_judge(c, reads[c.id].result(), prepared[c.base], settings, previous.get(c.id), pages))
        except BaseException:  # interrupted (Ctrl-C, a failing callback): stop reading; nothing of this run is stored
            hosts.stopped.set()  # the reads still waiting their turn are not made, those not begun are cancelled
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
        if progress is not None:
            progress(len(copies), len(copies), "")
        info = store.record_run(started, now(), __version__, results)
    return WatchRun(info, tuple(results), {c.id: c for c in copies})


@dataclass(frozen=True, slots=True)
class _Prepared:
    base: Base
    prepared: object | None  # jiaokan.prepare.Prepared
    accepted: bl.Baseline | None
    error: str | None = None
    key: str = ""  # what a copy is compared with: the base's bytes, its accepted variants, the settings


def _base(base: Base, settings: Settings, docx_revisions: DocxRevisions) -> _Prepared:
    """A base read and prepared once per run, with its accepted variants; unreadable, every copy of it is an error."""
    from jiaokan.ingest import read_document
    from jiaokan.prepare import prepare

    try:
        import hashlib

        accepted = bl.load(Path(base.baseline)) if base.baseline else None
        document = read_document(base.source, docx_revisions=docx_revisions)
        key = hashlib.sha256("\x1f".join((document.sha256, repr(accepted.entries if accepted else ()), repr(settings))).encode("utf-8")).hexdigest()
        return _Prepared(base, prepare(document, settings=settings), accepted, key=key)
    except InputError as exc:
        return _Prepared(base, None, None, f"the base {base.name!r}: {exc}")


def _by_turns(copies: Sequence[Copy]) -> list[Copy]:
    """The copies in turns across hosts (a copy of each host, then the next of each): a site with many copies
    waiting on its own limit does not hold the reads of the others back."""
    queues: dict[str, list[Copy]] = {}
    for c in copies:
        queues.setdefault(urlsplit(c.source).hostname or "" if "://" in c.source else "", []).append(c)
    out: list[Copy] = []
    for turn in itertools.zip_longest(*queues.values()):
        out.extend(c for c in turn if c is not None)
    return out


def page_name(copy_id: int, sha256: str, against: str) -> str:
    """The file name of a copy's review page: for the bytes it read, compared with what (``against``: the base's
    hash, its accepted variants' and the settings', so a page is written again when any of them changes)."""
    return f"copy-{copy_id}-{sha256[:12]}-{against[:12]}.html"


def _judge(copy: Copy, read: Read, base: _Prepared, settings: Settings, before: CopyResult | None, pages: Path | None = None) -> CopyResult:
    """One copy's status and findings in this run (its review page written into ``pages``)."""
    from jiaokan.diff import diff_prepared
    from jiaokan.prepare import Prepared, prepare

    if read.document is None:
        return CopyResult(copy.id, "gone" if read.gone else "error", None, read.final_url, read.http_status, read.error)
    if base.prepared is None:
        return CopyResult(copy.id, "error", read.sha256, read.final_url, None, base.error)
    assert isinstance(base.prepared, Prepared)
    result = diff_prepared(base.prepared, prepare(read.document, settings=settings), settings=settings)
    page = None
    if pages is not None and read.sha256 is not None:
        page = page_name(copy.id, read.sha256, base.key)
        if not (pages / page).is_file():
            _write_page(pages / page, base.prepared.document, result)
    listed = result.listed(include_cosmetic=False)
    substantive = [f for f in listed if f.severity == SUBSTANTIVE]
    accepted: set[int] = set()
    if base.accepted is not None:
        accepted = set(bl.match(base.accepted.entries, base.accepted.entries_for(copy.source), substantive))
    stored = tuple(_stored(f, k in accepted) for k, f in enumerate(substantive))
    counts = tuple(sorted(result.summary.by_code.items()))
    drift = any(not f.accepted for f in stored)
    status: Status = "drift" if drift else "changed" if before is not None and before.sha256 not in (None, read.sha256) else "same"
    return CopyResult(copy.id, status, read.sha256, read.final_url, None, None, counts, stored, base.prepared.document.sha256, page)


def _write_page(path: Path, base: Document, result: object) -> None:
    from jiaokan.atomic import write_atomic
    from jiaokan.diff import DiffResult
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review

    assert isinstance(result, DiffResult)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, review_html(build_review(base, [result])))


def _stored(f: Finding, accepted: bool) -> StoredFinding:
    return StoredFinding(bl.fingerprint(f), f.code, f.severity, f.base_norm, f.witness_norm, f.before, f.after, f.context, f.witness.line, f.witness.column, accepted,
                         f.base.text, f.witness.text, f.base.line, f.base.column)


# --------------------------------------------------------------------------
# what changed


@dataclass(frozen=True, slots=True)
class CopyChange:
    """One copy between two runs: its status then and now, the findings new since and those fixed since (by
    content and context), and since when it has drifted without a break."""

    copy: Copy
    now: CopyResult
    then: CopyResult | None
    new: tuple[StoredFinding, ...]
    fixed: tuple[StoredFinding, ...]
    wrong_since: str | None
    known: CopyResult | None = None  # the last result at or before the earlier run that read it (what ``changed`` compares with)

    @property
    def kinds(self) -> list[str]:
        return _kinds(self)


Cell = tuple[Status, str | None]  # a copy's status in a run, and the link to its review page (None: none written)


@dataclass(frozen=True, slots=True)
class WatchReport:
    """The latest run against an earlier one (the one before it, N before it, or the last before a date); and,
    for the dashboard, every run so far (``runs``) with each copy's cell in it (``grid``: copy id → run id → cell)."""

    run: RunInfo
    against: RunInfo | None
    changes: tuple[CopyChange, ...]
    runs: tuple[RunInfo, ...] = ()
    grid: tuple[tuple[int, tuple[tuple[int, Cell], ...]], ...] = ()

    def of(self, kind: str) -> list[CopyChange]:
        """The copies a report lists under ``kind``: new-drift, fixed, changed, gone, still-wrong, error."""
        return [c for c in self.changes if kind in c.kinds]

    @property
    def exit_code(self) -> int:
        statuses = {c.now.status for c in self.changes}
        return 2 if "error" in statuses else 1 if statuses & {"drift", "gone"} else 0


KINDS = ("new-drift", "fixed", "changed", "gone", "back", "still-wrong", "error")


def _kinds(c: CopyChange) -> list[str]:
    """What a report says of a copy (KINDS), in that order."""
    out = []
    read_now = c.now.sha256 is not None
    if c.new:
        out.append("new-drift")
    if c.fixed:
        out.append("fixed")
    if read_now and c.now.status != "drift" and c.known is not None and c.known.sha256 != c.now.sha256:
        out.append("changed")  # the bytes differ from those of the run compared with, and no drift
    if c.now.status == "gone" and (c.then is None or c.then.status != "gone"):
        out.append("gone")
    if read_now and c.then is not None and c.then.status == "gone":
        out.append("back")
    if c.now.status == "drift" and not c.new:
        out.append("still-wrong")
    if c.now.status == "error":
        out.append("error")
    return out


def _utc(when: str) -> str:
    """A date or time as runs record theirs (ISO 8601, UTC): ``2026-11-01``, ``2026-11-01T08:00``, ``…+08:00``."""
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        raise InputError(f"--since {when!r}: not a date", "it is read as ISO 8601", "e.g. --since 2026-11-01 or --since 2026-11-01T08:00+08:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def report(store: WatchStore, *, since: str | None = None, last: int | None = None, link: str = "") -> WatchReport:
    """What changed between the latest run and the run before it (``last``: N runs before it; ``since``: the last
    run that started before that date or time, ISO 8601, UTC unless it says otherwise).  A cell of the grid links
    to its review page as ``link`` + the page's name, when its run wrote one."""
    cut = _utc(since) if since is not None else None
    runs = store.runs()
    if not runs:
        raise InputError("no watch run yet", "a report compares runs, and none is stored", "run: jiaokan watch run")
    latest = runs[-1]
    against: RunInfo | None
    if cut is not None:
        earlier = [r for r in runs[:-1] if r.started < cut]
        if not earlier:
            raise InputError(f"--since {since}: no run before it", f"the first run started at {runs[0].started}",
                             "give a later date, or --last N")
        against = earlier[-1]
    else:
        k = len(runs) - 1 - (last or 1)
        if k < 0 and last is not None:
            raise InputError(f"--last {last}: only {len(runs) - 1} {'run' if len(runs) == 2 else 'runs'} before the latest", "there is no run that far back",
                             f"give --last {max(1, len(runs) - 1)} or less, or --since DATE")
        against = runs[k] if k >= 0 else None
    copies = {c.id: c for c in _all_copies(store, store.results(latest.id))}
    histories = {cid: store.history(cid) for cid in copies}
    changes = []
    for cid, copy in copies.items():
        history = [(info, r) for info, r in histories[cid] if info.id <= latest.id]
        current = history[-1][1]
        earlier_results = [r for info, r in history if against is not None and info.id <= against.id]
        then = earlier_results[-1] if earlier_results else None
        # what was known of its text: the last result then that read it (a run that could not read it knows nothing)
        known = next((r for r in reversed(earlier_results) if r.sha256 is not None), None)
        before = {f.fingerprint for f in known.findings if not f.accepted} if known is not None else set()
        nowset = {f.fingerprint for f in current.findings if not f.accepted}
        new = tuple(f for f in current.findings if not f.accepted and f.fingerprint not in before)
        read_now = current.sha256 is not None  # fixed only if this run read it: not an error, not gone
        fixed = tuple(f for f in (known.findings if known is not None and read_now else ()) if not f.accepted and f.fingerprint not in nowset)
        since_when = None
        if current.status == "drift":
            for info, r in reversed(history):
                if r.sha256 is None:
                    continue  # a run that could not read it does not end the drift
                if r.status != "drift":
                    break
                since_when = info.started
        changes.append(CopyChange(copy, current, then, new, _unique(fixed), since_when, known))
    grid = tuple((cid, tuple((info.id, (r.status, link + quote(r.page) if r.page else None)) for info, r in rows)) for cid, rows in histories.items())
    return WatchReport(latest, against, tuple(changes), tuple(runs), grid)


def _unique(findings: Iterable[StoredFinding]) -> tuple[StoredFinding, ...]:
    seen: set[str] = set()
    out = []
    for f in findings:
        if f.fingerprint not in seen:
            seen.add(f.fingerprint)
            out.append(f)
    return tuple(out)


def _all_copies(store: WatchStore, results: Sequence[CopyResult]) -> list[Copy]:
    """The copies a run has results for (removed ones too: the run saw them)."""
    out = []
    for r in results:
        c = store.copy_named(str(r.copy_id))
        if c is not None:
            out.append(c)
    return out


@dataclass(frozen=True, slots=True)
class CopyHistory:
    """One copy's timeline: every run that read it, oldest first."""

    copy: Copy
    runs: tuple[tuple[RunInfo, CopyResult], ...]


def history(store: WatchStore, copy: str) -> CopyHistory:
    """A copy named by its file, its address or its number."""
    found = store.copy_named(_source(copy)) or store.copy_named(copy)
    if found is None:
        raise InputError(f"watch history {copy!r}: no such copy", "it is neither a watched copy's file or address nor its number",
                         "see what is watched with: jiaokan watch list")
    return CopyHistory(found, tuple(store.history(found.id)))


@dataclass(frozen=True, slots=True)
class Watched:
    """What is watched: the bases and their copies."""

    bases: tuple[Base, ...]
    copies: tuple[Copy, ...]


def watched(store: WatchStore) -> Watched:
    return Watched(tuple(store.bases()), tuple(store.copies()))
