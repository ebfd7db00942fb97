"""Renderers for CI systems: SARIF 2.1.0 (code scanning) and GitHub workflow commands.

Findings are located on the WITNESS — the republished file is what a
reviewer opens — with the base's place as a related location.  Columns are
code points (``columnKind: unicodeCodePoints``), as everywhere in jiaokan.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from jiaokan import __version__, serialize
from jiaokan.baseline import fingerprint
from jiaokan.characters import one_line
from jiaokan.check import ACCEPTED, NEW, CheckResult, WitnessCheck
from jiaokan.findings import ALL_CODES, DESCRIPTIONS, Finding, Parts, Span, severity_of
from jiaokan.ingest import Document
from jiaokan.web import is_url

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"substantive": "error", "structural": "note", "cosmetic": "warning", "framing": "note"}


def _uri(path: str) -> dict[str, str]:
    if is_url(path):
        return {"uri": path}  # already an absolute URI
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(Path(path).as_posix()), "uriBaseId": "%SRCROOT%"}


def _region(doc: Document, span: Span) -> dict[str, object]:
    end_line, end_col = doc.locate(span.end)
    region: dict[str, object] = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": span.start,
        "charLength": span.end - span.start,
    }
    if span.text:
        region["snippet"] = {"text": span.text}
    return region


def _has_lines(doc: Document) -> bool:
    """Lines and columns of a .docx, .pdf or .ofd are those of its extracted text, not of the file: give none."""
    return doc.format not in ("docx", "pdf", "ofd")


def _location(doc: Document, span: Span) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": _uri(doc.path)}
    if _has_lines(doc):
        physical["region"] = _region(doc, span)
    location: dict[str, object] = {"physicalLocation": physical}
    if span.page is not None:  # where a reader finds it in the PDF itself: the region's lines are the text's
        location["properties"] = {"page": span.page, "pageLine": span.page_line}
    return location


def _message(f: Finding, base: Document) -> str:
    where = f"{base.path}:{f.base.line}:{f.base.column}"
    head = f"{f.code}" + (f" ({f.context})" if f.context else "")
    return f"{head}: {f.message} — base {where}"


def _parts(f: Finding) -> list[tuple[Finding, str]]:
    """The places a finding stands for or holds, each with what it is: a group's or a run's places, the edits
    inside a moved passage, the paragraphs of a unit."""
    if f.parts_kind == Parts.PLACES:
        places = f.places()
        return [(p, f"place {k} of {len(places)}") for k, p in enumerate(places, 1)]
    if f.parts_kind == Parts.EDITS:
        edits = f.places()[1:]
        return [(e, f"edit {k} of {len(edits)} inside: {e.code} 「{e.base_norm}」→「{e.witness_norm}」") for k, e in enumerate(edits, 1)]
    if f.parts_kind == Parts.PARAGRAPHS:
        return [(p, f"paragraph {k} of {len(f.parts)}") for k, p in enumerate(f.parts, 1)]
    return []


def _related(f: Finding, w: WitnessCheck) -> list[dict[str, object]]:
    """The base's place, then each part's place in the witness and in the base: a group or a run is one result."""
    assert w.result is not None
    related: list[dict[str, object]] = [{"id": 1, **_location(w.result.base, f.base), "message": {"text": "the base text"}}]
    for part, what in _parts(f):
        related.append({"id": len(related) + 1, **_location(w.result.witness, part.witness), "message": {"text": what}})
        related.append({"id": len(related) + 1, **_location(w.result.base, part.base), "message": {"text": f"{what}, in the base"}})
    return related


def sarif(result: CheckResult) -> str:
    """A SARIF 2.1.0 log: one run, a rule per finding code, a result per new or accepted finding."""
    index = {code: k for k, code in enumerate(ALL_CODES)}
    severity = {code: severity_of(code, result.settings.substantive_codes) for code in ALL_CODES}
    rules = [
        {
            "id": code,
            "shortDescription": {"text": DESCRIPTIONS[code]},
            "defaultConfiguration": {"level": _LEVEL[severity[code]]},
            "properties": {"severity": severity[code]},
        }
        for code in ALL_CODES
    ]
    results = []
    notifications = []
    for w in result.witnesses:
        if w.result is None:
            notifications.append({"level": "error", "message": {"text": w.error or ""}, "locations": [{"physicalLocation": {"artifactLocation": _uri(w.path)}}]})
            continue
        for f, status, reason in result.listed(w):
            if status not in (NEW, ACCEPTED):
                continue
            properties: dict[str, object] = {"severity": f.severity, "status": status, "base": f.base_norm, "witness": f.witness_norm}
            if f.parts:
                properties |= {"partsKind": str(f.parts_kind), "parts": len(_parts(f))}
            item: dict[str, object] = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _LEVEL[f.severity],
                "message": {"text": _message(f, w.result.base)},
                "locations": [_location(w.result.witness, f.witness)],
                "relatedLocations": _related(f, w),
                "partialFingerprints": {"jiaokanFinding/v1": fingerprint(f)},
                "baselineState": "new" if status == NEW else "unchanged",
                "properties": properties,
            }
            if status == ACCEPTED:
                item["suppressions"] = [{"kind": "external", "status": "accepted", "justification": reason or "accepted in the baseline"}]
            results.append(item)
    for e in result.stale:
        loc = [{"physicalLocation": {"artifactLocation": _uri(result.baseline), **({"region": {"startLine": e.line}} if e.line else {})}}] if result.baseline else []
        text = f"stale accepted variant: {e.code} 「{e.base}」→「{e.witness}」 in {e.file or 'any witness'} no longer occurs"
        notifications.append({"level": "warning", "message": {"text": text}, "locations": loc})
    run = {
        "tool": {"driver": {"name": "jiaokan", "version": __version__, "semanticVersion": __version__, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": result.verdict != "error", "toolExecutionNotifications": notifications}],
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return serialize.to_json(log)


def _data(text: str) -> str:
    """A workflow command's message escaped per GitHub's rules (``%``, CR, LF), every other control character shown
    escaped first (``\\u001b``): the log shows an ANSI or OSC sequence in a name as text."""
    text = "".join(ch if ch in "\r\n" else one_line(ch) for ch in text) if not text.isprintable() else text
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: an annotation per new finding, per unreadable witness, per stale entry."""
    lines = []
    for w in result.witnesses:
        if w.result is None:
            lines.append(f"::error file={_prop(w.path)},title={_prop('jiaokan: cannot check')}::{_data(w.error or '')}")
            continue
        for f, status, _reason in result.listed(w):
            if status != NEW:
                continue
            where = f"file={_prop(w.path)}"
            if _has_lines(w.result.witness):
                end_line, end_col = w.result.witness.locate(f.witness.end)
                where += f",line={f.witness.line},col={f.witness.column},endLine={end_line},endColumn={end_col}"
            lines.append(f"::error {where},title={_prop('jiaokan ' + f.code)}::{_data(_message(f, w.result.base))}")
    for e in result.stale:
        where = (f"file={_prop(result.baseline)}," + (f"line={e.line}," if e.line else "")) if result.baseline else ""
        text = f"{e.code} 「{e.base}」→「{e.witness}」 no longer occurs in {e.file or 'any witness'}"
        lines.append(f"::warning {where}title={_prop('jiaokan: stale accepted variant')}::{_data(text)}")
    failing = sum(w.status == "fail" for w in result.witnesses)
    lines.append(f"jiaokan check: {result.verdict} — {len(result.witnesses)} witnesses, {failing} with new findings at or above '{result.settings.fail_on}'")
    return "\n".join(lines) + "\n"
