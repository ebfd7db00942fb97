"""Every JSON document jiaokan writes, built in one place from the library's results.

The model modules hold data; this module says how it is written (one schema per
document, published in ``jiaokan/schemas/`` and described in ``docs/json.md``).
``--format json`` is :func:`to_json` of :func:`data` of the library's result, no
more: a test holds the two equal.  Keys are written in a fixed order, so the
same inputs give byte-identical JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jiaokan.characters import json_safe

if TYPE_CHECKING:
    from jiaokan.baseline import Accepted
    from jiaokan.check import CheckResult, Status
    from jiaokan.collate import Collation, Copy, Place
    from jiaokan.diff import DiffResult, Summary
    from jiaokan.findings import Finding, Span
    from jiaokan.ingest import Metadata
    from jiaokan.normalize import Normalized
    from jiaokan.scan import Summary as ScanSummary
    from jiaokan.trace import Coverage, Passage, TraceResult
    from jiaokan.watch import CopyChange, CopyHistory, Watched, WatchReport
    from jiaokan.watchdb import Copy as WatchedCopy
    from jiaokan.watchdb import CopyResult, RunInfo, StoredFinding

DIFF = "jiaokan.diff/1"
CHECK = "jiaokan.check/1"
TRACE = "jiaokan.trace/1"
COLLATE = "jiaokan.collate/1"
NORMALIZE = "jiaokan.normalize/1"
SCAN = "jiaokan.scan/1"  # one record per line of a scan's JSONL output
WATCH = "jiaokan.watch/1"  # a watch's list, a report of two runs, or one copy's history
SCHEMAS = {DIFF: "diff-1.json", CHECK: "check-1.json", TRACE: "trace-1.json", COLLATE: "collate-1.json",
           NORMALIZE: "normalize-1.json", SCAN: "scan-1.json", WATCH: "watch-1.json"}  # schema -> its file in jiaokan/schemas/

Data = dict[str, object]


def to_json(data: object) -> str:
    """Deterministic JSON: same inputs, byte-identical output."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)) + "\n"


def to_json_line(record: object) -> str:
    """One JSONL record (a scan's): one line, keys sorted."""
    return json_safe(json.dumps(record, ensure_ascii=False, sort_keys=True)) + "\n"


def data(result: object, *, include_cosmetic: bool | None = None, edits: bool = False) -> Data:
    """The JSON document of any result the library returns.  A diff lists cosmetic findings as its settings said
    (``include_cosmetic`` overrides them); a normalized text lists its edits with ``edits`` (``--show-map``)."""
    from jiaokan.check import CheckResult
    from jiaokan.collate import Collation
    from jiaokan.diff import DiffResult
    from jiaokan.normalize import Normalized
    from jiaokan.trace import TraceResult

    if isinstance(result, DiffResult):
        return diff(result, include_cosmetic=include_cosmetic)
    if isinstance(result, CheckResult):
        return check(result)
    if isinstance(result, TraceResult):
        return trace(result)
    if isinstance(result, Collation):
        return collate(result)
    if isinstance(result, Normalized):
        return normalized(result, edits=edits)
    from jiaokan.watch import CopyHistory, Watched, WatchReport  # last: a diff's JSON never loads the watch (sqlite3, threads)

    if isinstance(result, (WatchReport, CopyHistory, Watched)):
        return watch(result)
    raise TypeError(f"no JSON form for {type(result).__name__}")


# ---------------------------------------------------------------- findings and diffs


def span(s: Span) -> Data:
    out: Data = {"start": s.start, "end": s.end, "line": s.line, "column": s.column, "text": s.text}
    if s.page is not None:  # only for a text with pages: the JSON of any other is as it was
        out["page"] = s.page
        out["page_line"] = s.page_line
    return out


def finding(f: Finding) -> Data:
    out: Data = {
        "code": f.code,
        "severity": str(f.severity),
        "base": span(f.base),
        "witness": span(f.witness),
        "message": f.message,
        "context": f.context,
    }
    if f.parts:
        out["parts_kind"] = str(f.parts_kind)
        out["parts"] = [finding(p) for p in f.parts]
    return out


def summary(s: Summary) -> Data:
    out: Data = {"substantive": s.substantive, "structural": s.structural, "cosmetic": s.cosmetic,
                 "framing": s.framing, "by_code": dict(s.by_code)}
    if s.set_aside is not None:
        out["set_aside"] = s.set_aside
    return out


def diff(result: DiffResult, *, include_cosmetic: bool | None = None) -> Data:
    """The ``jiaokan.diff/1`` document."""
    return {
        "schema": DIFF,
        "base": {"path": result.base.path, "sha256": result.base.sha256},
        "witness": {"path": result.witness.path, "sha256": result.witness.sha256},
        "rules": list(result.rules),
        "findings": [finding(f) for f in result.listed(include_cosmetic=include_cosmetic)],
        "summary": summary(result.summary),
    }


# ---------------------------------------------------------------- check


def accepted(e: Accepted) -> Data:
    """An accepted variant: a baseline file's [[accepted]] entry, and a stale one in ``jiaokan.check/1``."""
    out: Data = {"code": e.code, "base": e.base, "witness": e.witness, "before": e.before, "after": e.after}
    if e.file is not None:
        out["file"] = e.file
    out["context"] = e.context
    out["reason"] = e.reason
    return out


def with_status(d: Data, status: Status, reason: str) -> Data:
    """A finding's document with its status in the gate (and, when accepted, the reason recorded)."""
    d["status"] = status
    if status == "accepted":
        d["reason"] = reason
    return d


def check(result: CheckResult) -> Data:
    """The ``jiaokan.check/1`` document: a ``jiaokan.diff/1`` document per witness, and the verdict."""
    from jiaokan.check import ACCEPTED, BELOW, NEW

    witnesses = []
    for w in result.witnesses:
        entry: Data = {"path": w.path, "status": w.status}
        if w.result is None:
            entry["error"] = w.error
        else:
            entry["counts"] = {NEW: w.count(NEW), ACCEPTED: w.count(ACCEPTED), BELOW: w.count(BELOW)}
            doc = diff(w.result, include_cosmetic=False)  # its findings are replaced: none built for nothing
            doc["findings"] = [with_status(finding(f), s, r) for f, s, r in result.listed(w)]
            entry["diff"] = doc
        witnesses.append(entry)
    return {
        "schema": CHECK,
        "verdict": result.verdict,
        "fail_on": result.settings.fail_on,
        "base": {"path": result.base.path, "sha256": result.base.sha256},
        "baseline": result.baseline,
        "witnesses": witnesses,
        "stale": [accepted(e) for e in result.stale],
    }


# ---------------------------------------------------------------- trace


def passage(p: Passage) -> Data:
    return {
        "derived": span(p.derived),
        "source": span(p.source) if p.source else None,
        "relation": p.relation,
        "score": round(p.score, 3),
        "heading": p.heading,
        "findings": [finding(f) for f in p.findings],
    }


def coverage(c: Coverage) -> Data:
    return {
        "source_paragraphs": c.source_paragraphs,
        "quoted": c.quoted,
        "paraphrased": c.paraphrased,
        "unused": c.unused,
        "paragraphs": [{"source": span(s), "heading": h, "use": u} for s, h, u in c.paragraphs],
        "dropped": [span(s) for s in c.dropped],
    }


def trace(result: TraceResult) -> Data:
    """The ``jiaokan.trace/1`` document."""
    from jiaokan.trace import RELATIONS

    counts = Counter(p.relation for p in result.passages)
    return {
        "schema": TRACE,
        "source": {"path": result.source.path, "sha256": result.source.sha256},
        "derived": {"path": result.derived.path, "sha256": result.derived.sha256},
        "rules": list(result.rules),
        "passages": [passage(p) for p in result.passages],
        "coverage": coverage(result.coverage),
        "summary": {r: counts.get(r, 0) for r in RELATIONS},
    }


# ---------------------------------------------------------------- collate


def place(p: Place, paths: Sequence[str]) -> Data:
    return {
        "index": p.index,
        "base": span(p.base),
        "heading": p.heading,
        "readings": dict(zip(paths, p.readings, strict=False)),
        "majority": p.majority,
    }


def copy(c: Copy) -> Data:
    return {
        "path": c.path,
        "sha256": c.sha256,
        "coverage": round(c.coverage, 3),
        "partial": c.partial,
        "substantive": c.substantive,
        "closest": c.closest,
        "shared_unusual_readings": list(c.shared),
    }


def collate(result: Collation) -> Data:
    """The ``jiaokan.collate/1`` document."""
    paths = [c.path for c in result.copies]
    return {
        "schema": COLLATE,
        "base": {"path": paths[result.base], "chosen": result.chosen, "why": result.why},
        "copies": [copy(c) for c in result.copies],
        "places": [place(p, paths) for p in result.places],
        "table": [{"heading": r.heading, "copies": {p: (span(s) if s else None) for p, s in zip(paths, r.spans, strict=False)}} for r in result.rows],
    }


# ---------------------------------------------------------------- normalize


def metadata(m: Metadata) -> Data:
    return {"title": m.title, "date": m.date, "source": m.source, "doc_number": m.doc_number, "fields": dict(m.fields)}


def normalized(n: Normalized, *, edits: bool = False) -> Data:
    """The ``jiaokan.normalize/1`` document: each paragraph compared, where it lies in the original, and (with
    ``edits``) what normalization changed in it."""
    doc = n.document
    paragraphs = []
    for p in n.paragraphs():
        s, e = n.original_span(p.start, p.end)
        line, col = doc.locate(s)
        end_line, end_col = doc.locate(max(s, e - 1))
        item: Data = {
            "index": p.index, "text": p.text, "start": s, "end": e,
            "line": line, "column": col, "end_line": end_line, "end_column": end_col,
        }
        if edits:
            item["edits"] = [
                {"start": ed.start, "end": ed.end, "original": ed.original, "normalized": ed.normalized,
                 "written": ed.written, "code": str(ed.code), "rule": ed.rule}
                for ed in n.edits(p.start, p.end)
            ]
        paragraphs.append(item)
    return {
        "schema": NORMALIZE,
        "path": doc.path,
        "sha256": doc.sha256,
        "format": doc.format,
        "encoding": doc.encoding,
        "rules": list(n.rules),
        "metadata": metadata(doc.metadata),
        "paragraphs": paragraphs,
    }


# ---------------------------------------------------------------- scan


def scan_finding(f: Finding) -> Data:
    """A finding in a scan record: with the compared words, which the end-of-scan table counts."""
    return finding(f) | {"base_norm": f.base_norm, "witness_norm": f.witness_norm}


def scan_summary(s: ScanSummary, top: int = 10) -> Data:
    from jiaokan.scan import KINDS

    worst = sorted(s.worst, key=lambda x: (-x[0], x[1]))[:top]
    return {
        "kinds": {k: s.kinds.get(k, 0) for k in KINDS},
        "drifts": [{"base": b, "copy": c, "documents": n, "of": s.copies} for (b, c), n in sorted(s.drifts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
        "most_substantive": [{"id": i, "substantive": n} for n, i in worst],
    }


# ---------------------------------------------------------------- watch


def watch(result: WatchReport | CopyHistory | Watched) -> Data:
    """The ``jiaokan.watch/1`` document: ``kind`` says which of the three it is."""
    from jiaokan.watch import CopyHistory, WatchReport

    if isinstance(result, WatchReport):
        return {"schema": WATCH, "kind": "report", "run": _run(result.run), "against": _run(result.against) if result.against else None,
                "copies": [_change(c) for c in result.changes]}
    if isinstance(result, CopyHistory):
        return {"schema": WATCH, "kind": "history", "copy": _copy(result.copy),
                "runs": [{"run": _run(info), **_result(r)} for info, r in result.runs]}
    return {"schema": WATCH, "kind": "list",
            "bases": [{"name": b.name, "source": b.source, "tags": dict(b.tags), "baseline": b.baseline, "added": b.added,
                       "copies": [_copy(c) for c in result.copies if c.base == b.name]} for b in result.bases]}


def _run(info: RunInfo) -> Data:
    return {"id": info.id, "started": info.started, "finished": info.finished, "version": info.version}


def _copy(c: WatchedCopy) -> Data:
    return {"id": c.id, "base": c.base, "source": c.source, "tags": dict(c.tags), "added": c.added}


def _stored(f: StoredFinding) -> Data:
    return {"fingerprint": f.fingerprint, "code": f.code, "severity": f.severity, "base": f.base_text, "witness": f.witness_text,
            "before": f.before, "after": f.after, "context": f.context, "line": f.line, "column": f.column, "accepted": f.accepted,
            "base_original": f.base_original, "witness_original": f.witness_original, "base_line": f.base_line, "base_column": f.base_column}


def _result(r: CopyResult) -> Data:
    return {"status": r.status, "sha256": r.sha256, "final_url": r.final_url, "http_status": r.http_status, "error": r.error,
            "counts": dict(r.counts), "findings": [_stored(f) for f in r.findings], "base_sha256": r.base_sha256, "page": r.page}


def _change(c: CopyChange) -> Data:
    return {"copy": _copy(c.copy), "kinds": c.kinds, "now": _result(c.now), "then_status": c.then.status if c.then else None,
            "new": [f.fingerprint for f in c.new], "fixed": [_stored(f) for f in c.fixed], "wrong_since": c.wrong_since}
