"""Scale: find which documents of a corpus reprint, excerpt or quote the base, and check each.

``scan(base, items, engine=...)`` streams: corpus items in, one record per
document out, in input order, with a bounded number in flight — memory follows
the work in flight, not the corpus.  Each document is

1. **screened** without comparing it in full: its normalized character
   5-gram shingles are looked up in the base's (an inverted index of one
   document, as passim does for its queries): *containment* = the share of
   the document's shingles found in the base, *coverage* = the share of the
   base's shingles found in the document;
2. classified: ``reprint`` (coverage ≥ 0.8), ``excerpt`` (containment ≥ 0.85),
   a possible quotation (containment ≥ 0.08, or ≥ 40 shared shingles), else
   ``unrelated`` — not compared further;
3. checked: a reprint or excerpt is diffed (counts by code, the substantive
   findings; for an excerpt, the base's text outside the stretch it reprints
   is not counted as omitted), a possible quotation is traced (counts by
   relation, the drifted passages' findings) and is a ``quotation`` when it
   quotes at least 100 characters or 5 % of itself, else ``unrelated``: the
   official genre shares its formulas without quoting.

Engines share this one code path: ``local`` (a process pool over the
machine's cores) and ``dask`` (``dask.distributed`` on an existing cluster).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jiaokan.diff import DiffResult, diff_documents
from jiaokan.errors import InputError
from jiaokan.findings import REGISTRY, Finding, Kind
from jiaokan.ingest import Document, document_from_text, read_document
from jiaokan.normalize import normalize
from jiaokan.segment import segment

SCHEMA = "jiaokan.scan/1"
SHINGLE = 5
REPRINT_COVERAGE = 0.8
EXCERPT_CONTAINMENT = 0.85
QUOTE_CONTAINMENT = 0.08
QUOTE_SHINGLES = 40
QUOTED_CHARS = 100  # a quotation quotes at least this many characters, or this share of itself:
QUOTED_SHARE = 0.05  # the official genre shares its formulas (各省、自治区、直辖市人民政府…) without quoting
KINDS = ("reprint", "excerpt", "quotation", "unrelated", "error")
_DRIFT_KINDS = (Kind.SUBSTITUTION, Kind.NUMBER)  # what the summary counts as a copy's drift: words or numbers replaced
DOCUMENT_TIMEOUT = 600  # seconds one document may take in a worker before it is recorded as an error and skipped


@dataclass(frozen=True, slots=True)
class Item:
    """One corpus document: an id, and either its text (from JSONL) or a path to read."""

    id: str
    path: str | None = None
    text: str | None = None
    error: str | None = None  # the input could not even be listed (bad JSONL line, glob matching nothing)


def corpus(inputs: Sequence[str]) -> Iterator[Item]:
    """Items from folders, globs, files, and JSONL files of {"id", "text"} or {"id", "path"}, lazily."""
    from jiaokan.check import expand

    for source in inputs:
        if source.endswith(".jsonl") and os.path.isfile(source):
            yield from _jsonl(source)
            continue
        for path, error in expand([source]):
            yield Item(path, path=path, error=str(error) if error else None)


def count(inputs: Sequence[str]) -> int:
    """How many items ``corpus`` will give (for a progress bar's ETA): JSONL lines counted, folders and globs listed."""
    from jiaokan.check import expand

    total = 0
    for source in inputs:
        if source.endswith(".jsonl") and os.path.isfile(source):
            with open(source, "rb") as fh:
                total += sum(1 for line in fh if line.strip())
        else:
            total += len(expand([source]))
    return total


def _jsonl(source: str) -> Iterator[Item]:
    with open(source, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{source}:{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Item(where, error=f"{where}: not JSON: {exc.msg}; each line must be one object")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), (str, int)) or not isinstance(obj.get("text", obj.get("path")), str):
                yield Item(where, error=f'{where}: not a document: each line needs "id" and "text" (or "path")')
                continue
            path = obj.get("path")
            if isinstance(path, str) and not os.path.isabs(path):
                path = str(Path(source).parent / path)
            yield Item(str(obj["id"]), path=path if "text" not in obj else None, text=obj.get("text"))


def _shingles(stream: str) -> set[int]:
    return {hash(stream[k:k + SHINGLE]) for k in range(max(0, len(stream) - SHINGLE + 1))}


class Scanner:
    """The base, prepared once per process: normalized, segmented, shingled."""

    def __init__(self, base: Document, rules: str | None = None) -> None:
        self.base = base
        self.rules = rules
        self.shingles = _shingles(segment(normalize(base, rules=rules)).stream)

    def check(self, item: Item) -> dict[str, object]:
        record: dict[str, object] = {"id": item.id}
        if item.path is not None and item.path != item.id:
            record["path"] = item.path
        try:
            if item.error is not None:
                raise InputError(item.error, "", "")
            doc = document_from_text(item.text, path=item.id) if item.text is not None else read_document(item.path or item.id)
        except InputError as exc:
            record.update(kind="error", error=str(exc).rstrip("; ").rstrip(": "))
            return record
        mine = _shingles(segment(normalize(doc, rules=self.rules)).stream)
        shared = len(mine & self.shingles)
        containment = shared / max(1, len(mine))
        coverage = shared / max(1, len(self.shingles))
        record.update(sha256=doc.sha256, containment=round(containment, 3), coverage=round(coverage, 3))
        if coverage >= REPRINT_COVERAGE or containment >= EXCERPT_CONTAINMENT:
            result = diff_documents(self.base, doc, rules=self.rules)
            kind = "reprint" if coverage >= REPRINT_COVERAGE else "excerpt"
            findings = result.substantive if kind == "reprint" else _inside(result)
            record["kind"] = kind
            record["counts"] = dict(Counter(f.code for f in result.findings if f.severity != "substantive" or f in findings))
            record["substantive"] = [_finding(f) for f in findings]
        elif containment >= QUOTE_CONTAINMENT or shared >= QUOTE_SHINGLES:
            from jiaokan.trace import trace_documents

            trace = trace_documents(self.base, doc, rules=self.rules)
            quoted = sum(p.derived.end - p.derived.start for p in trace.passages if p.relation in ("verbatim", "drifted"))
            record["kind"] = "quotation" if quoted >= QUOTED_CHARS or quoted >= QUOTED_SHARE * len(doc.text) else "unrelated"
            record["counts"] = dict(Counter(p.relation for p in trace.passages))
            record["substantive"] = [_finding(f) for p in trace.passages if p.relation == "drifted" for f in p.findings]
        else:
            record["kind"] = "unrelated"
        return record


def _finding(f: Finding) -> dict[str, object]:
    return f.to_dict() | {"base_norm": f.base_norm, "witness_norm": f.witness_norm}


def _inside(result: DiffResult) -> list[Finding]:
    """An excerpt's substantive findings within the stretch of the base it reprints."""
    seg = result.base_seg
    equal = [op for op in result.pairing if op.tag == "equal"]
    if seg is None or not equal:
        return result.substantive
    lo, _ = seg.original_span(min(op.a1 for op in equal), min(op.a1 for op in equal) + 1)
    _, hi = seg.original_span(max(op.a2 for op in equal) - 1, max(op.a2 for op in equal))
    return [f for f in result.substantive if lo <= f.base.start and f.base.end <= hi]


# ---------------------------------------------------------------- engines

_WORKER: dict[str, Scanner] = {}


def _scanner(base: Document, rules: str | None) -> Scanner:
    key = f"{base.sha256}:{rules}"
    if key not in _WORKER:
        _WORKER.clear()
        _WORKER[key] = Scanner(base, rules)
    return _WORKER[key]


def check_item(base: Document, rules: str | None, item: Item) -> dict[str, object]:
    """What a worker runs: the base's scanner is built once per process and kept."""
    return _scanner(base, rules).check(item)


def _pool_init(base: Document, rules: str | None) -> None:
    _scanner(base, rules)


def _pool_check(item: Item) -> dict[str, object]:
    scanner = next(iter(_WORKER.values()))
    return scanner.check(item)


def _bounded(submit: Callable[[Item], object], result: Callable[[object], dict[str, object]], items: Iterable[Item], inflight: int) -> Iterator[dict[str, object]]:
    """Results in input order, with at most ``inflight`` documents submitted and not yet yielded.

    A document whose result does not come within DOCUMENT_TIMEOUT (a worker killed for memory, a pathological
    input) is recorded as an error and the scan goes on: it never hangs.
    """
    pending: deque[tuple[Item, object]] = deque()

    def take() -> dict[str, object]:
        item, handle = pending.popleft()
        try:
            return result(handle)
        except (TimeoutError, multiprocessing.TimeoutError):
            return {"id": item.id, "kind": "error", "error": f"{item.id}: no result in {DOCUMENT_TIMEOUT} s: the worker died or the document is pathological; check it alone with jiaokan diff or trace"}

    for item in items:
        pending.append((item, submit(item)))
        if len(pending) >= inflight:
            yield take()
    while pending:
        yield take()


def scan(base: Document, items: Iterable[Item], *, engine: str = "local", workers: int | None = None, scheduler: str | None = None,
         rules: str | None = None, inflight: int | None = None) -> Iterator[dict[str, object]]:
    """One record per item, in input order, from the chosen engine."""
    Scanner(base, rules)  # prepared here first: a bad rule or base fails now, not in every worker (a pool would hang)
    if engine == "local":
        workers = workers or os.cpu_count() or 1
        inflight = inflight or workers * 8
        if workers == 1:
            scanner = Scanner(base, rules)
            yield from (scanner.check(item) for item in items)
            return
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ctx.Pool(workers, initializer=_pool_init, initargs=(base, rules)) as pool:
            yield from _bounded(lambda it: pool.apply_async(_pool_check, (it,)), lambda r: r.get(timeout=DOCUMENT_TIMEOUT), items, inflight)  # type: ignore[attr-defined]
        return
    if engine == "dask":
        try:
            from distributed import Client
        except ImportError as exc:
            raise InputError("--engine dask needs dask.distributed", "it is not installed", 'pip install "jiaokan[dask]"') from exc
        client = Client(scheduler) if scheduler else Client(processes=True, n_workers=workers or 2, threads_per_worker=1, dashboard_address=None)
        try:
            inflight = inflight or 8 * max(1, len(client.scheduler_info().get("workers", {})) or 1)
            base_future = client.scatter(base, broadcast=True)
            yield from _bounded(lambda it: client.submit(check_item, base_future, rules, it, pure=False), lambda f: f.result(timeout=DOCUMENT_TIMEOUT), items, inflight)  # type: ignore[attr-defined]
        finally:
            client.close()
        return
    raise InputError(f"unknown engine {engine!r}", "engines are local and dask", "use --engine local or --engine dask")


# ---------------------------------------------------------------- summary


@dataclass(slots=True)
class Summary:
    """What the end-of-scan table shows, accumulated record by record."""

    kinds: Counter[str]
    drifts: Counter[tuple[str, str]]  # (base words, copy's words) -> documents
    copies: int
    worst: list[tuple[int, str]]

    @classmethod
    def empty(cls) -> Summary:
        return cls(Counter(), Counter(), 0, [])

    def add(self, record: dict[str, object]) -> None:
        kind = str(record.get("kind"))
        self.kinds[kind] += 1
        if kind in ("reprint", "excerpt"):
            self.copies += 1
        found = record.get("substantive") or []
        assert isinstance(found, list)
        if kind in ("reprint", "excerpt"):  # a quotation's drift is one writer's wording, not a copy's
            self.drifts.update({(str(f["base_norm"]), str(f["witness_norm"])) for f in found if REGISTRY[str(f["code"])].kind in _DRIFT_KINDS})
        if found:
            self.worst.append((len(found), str(record["id"])))

    def to_dict(self, top: int = 10) -> dict[str, object]:
        worst = sorted(self.worst, key=lambda x: (-x[0], x[1]))[:top]
        return {
            "kinds": {k: self.kinds.get(k, 0) for k in KINDS},
            "drifts": [{"base": b, "copy": c, "documents": n, "of": self.copies} for (b, c), n in sorted(self.drifts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
            "most_substantive": [{"id": i, "substantive": n} for n, i in worst],
        }
