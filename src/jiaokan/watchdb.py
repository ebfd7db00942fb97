"""The history of a watch: what is watched, and every run's result per copy (issue 20).

Behind one small interface (:class:`WatchStore`), so that a team's PostgreSQL could stand where the single file
stands now (docs/watch.md says what that would take).  The file is SQLite (the standard library's ``sqlite3``):
WAL, so that a report can read while a run writes; a schema version (``PRAGMA user_version``) moved forward by
the numbered migrations below, each in its own transaction; a run's results written in one transaction, so that
a run killed at any moment leaves the database as it was before that run, or with the run complete; and a lock
file beside the database, so that two runs cannot interleave.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, get_args

from jiaokan.errors import InputError

DEFAULT_DB = "jiaokan-watch.db"

#: A copy's state in one run: as the base (or only accepted variants) / substantive drift not accepted / the same
#: verdict as before but the page's bytes changed / the page is gone (HTTP 404, 410) / it could not be read.
Status = Literal["same", "drift", "changed", "gone", "error"]
STATUSES: tuple[Status, ...] = get_args(Status)

Tags = tuple[tuple[str, str], ...]  # (key, value), sorted: site, department …


@dataclass(frozen=True, slots=True)
class Base:
    """An official text under watch: ``source`` is a file or a URL; ``baseline``: its accepted variants file."""

    id: int
    name: str
    source: str
    tags: Tags
    added: str
    baseline: str | None = None


@dataclass(frozen=True, slots=True)
class Copy:
    """A republished copy of a base: a file or a URL."""

    id: int
    base: str  # the base's name
    source: str
    tags: Tags
    added: str


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A finding as a watch keeps it: its identity is its content and context (``fingerprint``), never its offsets,
    so that it stays the same finding when the page around it changes; its place is kept for the reader."""

    fingerprint: str
    code: str
    severity: str
    base_text: str  # normalized: what the fingerprint is made of
    witness_text: str
    before: str
    after: str
    context: str
    line: int  # in the copy as that run read it (1-based)
    column: int
    accepted: bool
    base_original: str = ""  # the base's and the copy's own characters there
    witness_original: str = ""
    base_line: int = 0
    base_column: int = 0


@dataclass(frozen=True, slots=True)
class CopyResult:
    """One copy in one run."""

    copy_id: int
    status: Status
    sha256: str | None = None  # of the bytes read (None: nothing was read)
    final_url: str | None = None  # where a URL led after redirects
    http_status: int | None = None  # the server's answer when it was not a document (404, 500 …)
    error: str | None = None
    counts: tuple[tuple[str, int], ...] = ()  # findings by code, accepted ones included
    findings: tuple[StoredFinding, ...] = ()  # substantive ones, accepted ones marked
    base_sha256: str | None = None  # of the base it was diffed against (None: not diffed)
    page: str | None = None  # its review page's file name, when the run wrote one


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    started: str
    finished: str
    version: str


@dataclass(frozen=True, slots=True)
class NewWatch:
    """A base and copies to watch, as ``add`` and ``import`` give them (sources resolved)."""

    name: str
    source: str
    tags: Tags
    baseline: str | None
    copies: tuple[str, ...]


class WatchStore(Protocol):
    """What a watch needs of its storage.  Every method is one transaction; ``record_run`` writes a whole run."""

    def add(self, watches: Sequence[NewWatch], added: str) -> list[tuple[Base, list[Copy]]]: ...
    def remove(self, name_or_source: str, removed: str) -> int: ...
    def bases(self) -> list[Base]: ...
    def copies(self, base: str | None = None) -> list[Copy]: ...
    def copy_named(self, source: str) -> Copy | None: ...
    def record_run(self, started: str, finished: str, version: str, results: Sequence[CopyResult]) -> RunInfo: ...
    def runs(self) -> list[RunInfo]: ...
    def results(self, run_id: int) -> list[CopyResult]: ...
    def history(self, copy_id: int) -> list[tuple[RunInfo, CopyResult]]: ...
    def last_read(self) -> dict[int, CopyResult]: ...
    def run_lock(self) -> contextlib.AbstractContextManager[None]: ...
    def close(self) -> None: ...


# --------------------------------------------------------------------------
# SQLite

# Migration k takes the schema from version k to k + 1.  Never edit one that has shipped: add the next.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE base (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            source TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            baseline TEXT,
            added TEXT NOT NULL,
            removed TEXT
        )""",
        "CREATE UNIQUE INDEX base_name ON base (name) WHERE removed IS NULL",
        """CREATE TABLE copy (
            id INTEGER PRIMARY KEY,
            base_id INTEGER NOT NULL REFERENCES base(id),
            source TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            added TEXT NOT NULL,
            removed TEXT,
            UNIQUE (base_id, source)
        )""",
        """CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT NOT NULL,
            version TEXT NOT NULL
        )""",
        """CREATE TABLE result (
            run_id INTEGER NOT NULL REFERENCES run(id),
            copy_id INTEGER NOT NULL REFERENCES copy(id),
            status TEXT NOT NULL CHECK (status IN ('same', 'drift', 'changed', 'gone', 'error')),
            sha256 TEXT,
            final_url TEXT,
            http_status INTEGER,
            error TEXT,
            counts TEXT NOT NULL DEFAULT '[]',
            base_sha256 TEXT,
            page TEXT,
            PRIMARY KEY (run_id, copy_id)
        )""",
        """CREATE TABLE finding (
            run_id INTEGER NOT NULL,
            copy_id INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            code TEXT NOT NULL,
            severity TEXT NOT NULL,
            base_text TEXT NOT NULL,
            witness_text TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            context TEXT NOT NULL,
            line INTEGER NOT NULL,
            col INTEGER NOT NULL,
            accepted INTEGER NOT NULL,
            base_original TEXT NOT NULL,
            witness_original TEXT NOT NULL,
            base_line INTEGER NOT NULL,
            base_col INTEGER NOT NULL,
            PRIMARY KEY (run_id, copy_id, ordinal),
            FOREIGN KEY (run_id, copy_id) REFERENCES result(run_id, copy_id)
        )""",
        "CREATE INDEX finding_by_copy ON finding (copy_id, fingerprint)",
        "CREATE INDEX result_by_copy ON result (copy_id, run_id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def _tags_out(tags: Tags) -> str:
    return json.dumps([list(t) for t in sorted(tags)], ensure_ascii=False)


def _tags_in(text: str) -> Tags:
    return tuple((str(k), str(v)) for k, v in json.loads(text))


class SQLiteStore:
    """:class:`WatchStore` in one SQLite file."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder", "the watch history is one database file", "give --db a file name, e.g. jiaokan-watch.db")
        if not create and not self.path.exists():
            raise InputError(f"{self.path}: no watch history here", "nothing has been watched with this database yet",
                             "check --db, or start one: jiaokan watch add BASE COPY...")
        try:
            self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None)  # transactions are begun here, explicitly
            self.db.execute("PRAGMA foreign_keys = ON")
            mode = self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: cannot open the watch history", f"SQLite says: {exc}", "give --db another file, or move this one away") from exc
        if mode != "wal":
            raise InputError(f"{self.path}: cannot use write-ahead logging", f"SQLite kept the journal mode {mode!r}", "put the database on a local disk")
        if version > SCHEMA_VERSION:
            raise InputError(f"{self.path}: made by a newer jiaokan (schema {version}, this one knows {SCHEMA_VERSION})",
                             "an older jiaokan cannot read what a newer one wrote", "upgrade jiaokan")
        for k in range(version, SCHEMA_VERSION):
            with self._transaction() as db:  # DDL is transactional in SQLite: a migration is applied whole or not at all
                if db.execute("PRAGMA user_version").fetchone()[0] != k:
                    continue  # another process applied it between our read and our lock
                for statement in MIGRATIONS[k]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {k + 1}")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): committed whole, or rolled back whole.  SQLite's
        own failures (a full disk, a read-only file, a database locked past the time-out) are input errors."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: cannot write the watch history", f"SQLite says: {exc}",
                             "check the disk's free space and the file's permissions, or give --db another file") from exc

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def run_lock(self) -> Iterator[None]:
        """Held for a whole run: a second run against the same database is refused, not interleaved."""
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError(f"{self.path}: another watch run is using it", f"{lock_path.name} is locked by a run still going",
                                 "wait for that run to end (runs cannot share a database at once)") from None
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock, also when the process is killed

    # -------------------------------------------------------------- the list

    def add(self, watches: Sequence[NewWatch], added: str) -> list[tuple[Base, list[Copy]]]:
        """Every base with its copies, in one transaction: a list that fails anywhere adds nothing."""
        ids: list[tuple[int, tuple[str, ...]]] = []
        with self._transaction() as db:
            for w in watches:
                row = db.execute("SELECT id, source FROM base WHERE name = ? AND removed IS NULL", (w.name,)).fetchone()
                if row is None:
                    base_id = int(db.execute("INSERT INTO base (name, source, tags, baseline, added) VALUES (?, ?, ?, ?, ?)",
                                             (w.name, w.source, _tags_out(w.tags), w.baseline, added)).lastrowid or 0)
                elif row[1] != w.source:
                    raise InputError(f"watch {w.name!r}: already watches {row[1]}", f"a name stands for one base, and {w.source} is another",
                                     "choose another --name, or remove the old one first")
                else:
                    base_id = int(row[0])
                    if w.tags:  # tags given are the base's now; none given keeps those it has
                        db.execute("UPDATE base SET tags = ? WHERE id = ?", (_tags_out(w.tags), base_id))
                    db.execute("UPDATE base SET baseline = COALESCE(?, baseline) WHERE id = ?", (w.baseline, base_id))
                tags = w.tags or _tags_in(db.execute("SELECT tags FROM base WHERE id = ?", (base_id,)).fetchone()[0])  # a copy has its base's tags
                for source in w.copies:
                    db.execute("INSERT INTO copy (base_id, source, tags, added) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (base_id, source) DO UPDATE SET removed = NULL, tags = excluded.tags", (base_id, source, _tags_out(tags), added))
                ids.append((base_id, w.copies))
        bases = {b.id: b for b in self.bases()}
        copies = self.copies()
        return [(bases[k], [c for c in copies if c.base == bases[k].name and c.source in sources]) for k, sources in ids]

    def remove(self, name_or_source: str, removed: str) -> int:
        """A base by name (with its copies) or a copy by its source, marked removed at ``removed``: kept in the
        history, no longer run.  How many were removed (0: nothing by that name)."""
        with self._transaction() as db:
            row = db.execute("SELECT id FROM base WHERE name = ? AND removed IS NULL", (name_or_source,)).fetchone()
            if row is not None:
                n = db.execute("UPDATE copy SET removed = ? WHERE base_id = ? AND removed IS NULL", (removed, row[0])).rowcount
                db.execute("UPDATE base SET removed = ? WHERE id = ?", (removed, row[0]))
                return n + 1
            return int(db.execute("UPDATE copy SET removed = ? WHERE source = ? AND removed IS NULL", (removed, name_or_source)).rowcount)

    def bases(self) -> list[Base]:
        rows = self.db.execute("SELECT id, name, source, tags, added, baseline FROM base WHERE removed IS NULL ORDER BY name").fetchall()
        return [Base(r[0], r[1], r[2], _tags_in(r[3]), r[4], r[5]) for r in rows]

    def copies(self, base: str | None = None) -> list[Copy]:
        sql = ("SELECT c.id, b.name, c.source, c.tags, c.added FROM copy c JOIN base b ON b.id = c.base_id "
               "WHERE c.removed IS NULL AND b.removed IS NULL" + (" AND b.name = ?" if base is not None else "") + " ORDER BY b.name, c.id")
        rows = self.db.execute(sql, (base,) if base is not None else ()).fetchall()
        return [Copy(r[0], r[1], r[2], _tags_in(r[3]), r[4]) for r in rows]

    def copy_named(self, source: str) -> Copy | None:
        """A copy by its source or its id (history names copies either way), removed ones too."""
        rows = self.db.execute("SELECT c.id, b.name, c.source, c.tags, c.added FROM copy c JOIN base b ON b.id = c.base_id "
                               "WHERE c.source = ? OR CAST(c.id AS TEXT) = ? ORDER BY c.removed IS NULL DESC, c.id", (source, source)).fetchall()
        return Copy(rows[0][0], rows[0][1], rows[0][2], _tags_in(rows[0][3]), rows[0][4]) if rows else None

    # -------------------------------------------------------------- runs

    def record_run(self, started: str, finished: str, version: str, results: Sequence[CopyResult]) -> RunInfo:
        with self._transaction() as db:
            run_id = int(db.execute("INSERT INTO run (started, finished, version) VALUES (?, ?, ?)", (started, finished, version)).lastrowid or 0)
            db.executemany("INSERT INTO result (run_id, copy_id, status, sha256, final_url, http_status, error, counts, base_sha256, page) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(run_id, r.copy_id, r.status, r.sha256, r.final_url, r.http_status, r.error, json.dumps([list(c) for c in r.counts], ensure_ascii=False),
                             r.base_sha256, r.page) for r in results])
            db.executemany("INSERT INTO finding (run_id, copy_id, ordinal, fingerprint, code, severity, base_text, witness_text, before, after, context, line, col, "
                           "accepted, base_original, witness_original, base_line, base_col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(run_id, r.copy_id, k, f.fingerprint, f.code, f.severity, f.base_text, f.witness_text, f.before, f.after, f.context, f.line, f.column,
                             int(f.accepted), f.base_original, f.witness_original, f.base_line, f.base_column) for r in results for k, f in enumerate(r.findings)])
        return RunInfo(run_id, started, finished, version)

    def runs(self) -> list[RunInfo]:
        return [RunInfo(*r) for r in self.db.execute("SELECT id, started, finished, version FROM run ORDER BY id").fetchall()]

    def _results(self, where: str, args: tuple[object, ...]) -> list[tuple[int, CopyResult]]:
        rows = self.db.execute("SELECT run_id, copy_id, status, sha256, final_url, http_status, error, counts, base_sha256, page "
                               f"FROM result WHERE {where} ORDER BY run_id, copy_id", args).fetchall()
        findings: dict[tuple[int, int], list[StoredFinding]] = {}
        for f in self.db.execute("SELECT run_id, copy_id, fingerprint, code, severity, base_text, witness_text, before, after, context, line, col, accepted, "
                                 "base_original, witness_original, base_line, base_col "
                                 f"FROM finding WHERE (run_id, copy_id) IN (SELECT run_id, copy_id FROM result WHERE {where}) ORDER BY run_id, copy_id, ordinal",
                                 args).fetchall():
            findings.setdefault((f[0], f[1]), []).append(StoredFinding(f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], bool(f[12]), f[13], f[14], f[15], f[16]))
        return [(r[0], CopyResult(r[1], r[2], r[3], r[4], r[5], r[6], tuple((str(c), int(n)) for c, n in json.loads(r[7])),
                                  tuple(findings.get((r[0], r[1]), ())), r[8], r[9])) for r in rows]

    def results(self, run_id: int) -> list[CopyResult]:
        return [r for _, r in self._results("run_id = ?", (run_id,))]

    def history(self, copy_id: int) -> list[tuple[RunInfo, CopyResult]]:
        runs = {r.id: r for r in self.runs()}
        return [(runs[k], r) for k, r in self._results("copy_id = ?", (copy_id,))]

    def last_read(self) -> dict[int, CopyResult]:
        """Each copy's result in the latest run that read it (gone and unreadable runs passed over): what a new
        read's bytes are compared with."""
        out: dict[int, CopyResult] = {}
        for _, r in self._results("run_id = (SELECT MAX(run_id) FROM result r2 WHERE r2.copy_id = result.copy_id AND r2.sha256 IS NOT NULL)", ()):
            out[r.copy_id] = r
        return out


def open_store(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> WatchStore:
    """The watch history at ``path`` (default ``jiaokan-watch.db`` in the working folder), created if missing
    unless ``create`` is false (what only reads must not leave a new file behind)."""
    return SQLiteStore(path if path is not None else DEFAULT_DB, create=create)


def tags_from(pairs: Mapping[str, str] | Sequence[str]) -> Tags:
    """``{"site": "…"}`` or ``["site=…", …]`` as sorted tags; a ``KEY=VALUE`` without ``=`` is an input error."""
    if isinstance(pairs, Mapping):
        bad = [k for k, v in pairs.items() if not isinstance(v, str | int | float) or isinstance(v, bool)]
        if bad:
            raise InputError(f"tag {bad[0]!r}: not a text", "a tag's value is a word or a number (site = \"county.gov.cn\")", "quote the value")
        return tuple(sorted((str(k), str(v)) for k, v in pairs.items()))
    out = []
    for p in pairs:
        key, sep, value = p.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--tag {p!r}: not KEY=VALUE", "a tag names what it says (site=…, department=…)", "e.g. --tag site=wuyang.gov.cn")
        out.append((key.strip(), value.strip()))
    return tuple(sorted(out))
