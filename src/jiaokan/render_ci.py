"""Renderers for CI systems: SARIF 2.1.0 (code scanning) and GitHub workflow commands.

Findings are located on the WITNESS — the republished file is what a
reviewer opens — with the base's place as a related location.  Columns are
code points (``columnKind: unicodeCodePoints``), as everywhere in jiaokan.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jiaokan import __version__, serialize
from jiaokan.baseline import fingerprint
from jiaokan.characters import one_line
from jiaokan.check import ACCEPTED, BELOW, NEW, CheckResult, WitnessCheck
from jiaokan.errors import InputError
from jiaokan.findings import ALL_CODES, DESCRIPTIONS, REGISTRY, Finding, Parts, Span, severity_of
from jiaokan.ingest import Document
from jiaokan.render import plural
from jiaokan.web import is_url

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"substantive": "error", "structural": "note", "cosmetic": "warning", "framing": "note"}
# GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job) and drops the rest:
# https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands (annotation limits)
ANNOTATIONS_PER_STEP = 10
SUMMARY_FINDINGS = 20  # findings listed in the job summary, after its table
_MEANING = {
    "substantive": "It is substantive: the witness says something other than the official text, and `jiaokan check` fails on it.",
    "structural": "It is structural: listed, but it fails a check only when made substantive (`substantive-codes`).",
    "cosmetic": "It is cosmetic: normalization made the two copies equal; it fails a check only with `--fail-on any`.",
    "framing": "It is framing: a copy's own wrapper, set aside before comparing; it fails a check only with `--fail-on any`.",
}
_FIX = ("Correct the republished copy so that it reads as the official text, or, if the difference is approved, "
        "record it as an accepted variant with `jiaokan check BASE WITNESS --write-baseline jiaokan-accepted.toml` "
        "and write the reason in the file.")


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


def _pascal(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("-"))


def _rule(code: str, severity: str) -> dict[str, object]:
    """A reportingDescriptor with what code scanning shows (GH2012): full description and help in text and Markdown.
    No helpUri (jiaokan has no published documentation address: the help carries the text) and no
    security-severity (drift in a reprint is not a vulnerability: docs/ci.md)."""
    entry = REGISTRY[code]
    full = f"{entry.description} {_MEANING[severity]}"
    markdown = (f"**`{code}`** — {entry.description}\n\n{_MEANING[severity]}\n\n{_FIX}\n\n"
                f"The codes are described in jiaokan's `docs/findings.md` (section `{code}`).")
    named = {"name": _pascal(code)} if "-" in code else {}  # a name equal to the id (any case) is SARIF1001
    return {
        "id": code,
        **named,
        "shortDescription": {"text": DESCRIPTIONS[code]},
        "fullDescription": {"text": full},
        "help": {"text": f"{full} {_FIX}", "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {"severity": severity, "tags": ["jiaokan", severity, str(entry.nature)]},
    }


def sarif(result: CheckResult) -> str:
    """A SARIF 2.1.0 log: one run, a rule per finding code, a result per new or accepted finding."""
    index = {code: k for k, code in enumerate(ALL_CODES)}
    severity = {code: severity_of(code, result.settings.substantive_codes) for code in ALL_CODES}
    rules = [_rule(code, severity[code]) for code in ALL_CODES]
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


@dataclass(frozen=True, slots=True)
class Annotation:
    """One workflow command before rendering: the places of the same code on the same line are one annotation."""

    level: str  # error | warning | notice
    where: str  # file=…,line=…  (escaped)
    title: str
    message: str
    count: int = 1

    def command(self) -> str:
        text = self.message if self.count == 1 else f"{self.message} (and {self.count - 1} more at this line)"
        sep = "," if self.where else ""
        return f"::{self.level} {self.where}{sep}title={_prop(self.title)}::{_data(text)}"


def github_annotations(result: CheckResult) -> list[Annotation]:
    """Every annotation the run makes, grouped by place (file, line, code), in report order."""
    grouped: dict[tuple[str, str, int, str], Annotation] = {}
    for w in result.witnesses:
        if w.result is None:
            grouped[("error", w.path, 0, "")] = Annotation("error", f"file={_prop(w.path)}", "jiaokan: cannot check", w.error or "")
            continue
        for f, status, _reason in result.listed(w):
            if status != NEW:
                continue
            where = f"file={_prop(w.path)}"
            line = 0
            if _has_lines(w.result.witness):
                end_line, end_col = w.result.witness.locate(f.witness.end)
                line = f.witness.line
                where += f",line={line},col={f.witness.column},endLine={end_line},endColumn={end_col}"
            key = ("error", w.path, line, f.code)
            if key in grouped:
                a = grouped[key]
                grouped[key] = Annotation(a.level, a.where, a.title, a.message, a.count + 1)
            else:
                grouped[key] = Annotation("error", where, "jiaokan " + f.code, _message(f, w.result.base))
    for k, e in enumerate(result.stale):
        where = (f"file={_prop(result.baseline)}" + (f",line={e.line}" if e.line else "")) if result.baseline else ""
        text = f"{e.code} 「{e.base}」→「{e.witness}」 no longer occurs in {e.file or 'any witness'}"
        grouped[("warning", str(k), e.line, e.code)] = Annotation("warning", where, "jiaokan: stale accepted variant", text)
    return list(grouped.values())


def github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: one annotation per place, at most ANNOTATIONS_PER_STEP of each level (GitHub
    would drop the others silently), then one notice counting what was left out and where to read it."""
    lines = []
    shown: dict[str, int] = {}
    left: dict[str, int] = {}
    for a in github_annotations(result):
        if shown.get(a.level, 0) < ANNOTATIONS_PER_STEP:
            shown[a.level] = shown.get(a.level, 0) + 1
            lines.append(a.command())
        else:
            left[a.level] = left.get(a.level, 0) + 1
    if left:
        what = " and ".join(f"{n} {level}{'s' if n > 1 else ''}" for level, n in left.items())
        text = (f"{what} more not annotated (GitHub shows {ANNOTATIONS_PER_STEP} of each kind per step): the job summary lists the first "
                f"{SUMMARY_FINDINGS}; every one is in the SARIF (the action's sarif input, for code scanning) and in jiaokan check --format text")
        lines.append(f"::notice title={_prop('jiaokan: more findings')}::{_data(text)}")
    failing = sum(w.status == "fail" for w in result.witnesses)
    lines.append(f"jiaokan check: {result.verdict} — {plural(len(result.witnesses), 'witness')}, {failing} with new findings at or above '{result.settings.fail_on}'")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text for a Markdown table cell or list item: one line, `|`, backticks, `*`, `_`, `<`, `[` and `\\` escaped."""
    text = one_line(text)
    for ch in "\\`|*_<>[]#":
        text = text.replace(ch, "\\" + ch)
    return text


def _link(path: str, line: int, env: Mapping[str, str]) -> str:
    label = _md(f"{path}:{line}" if line else path)
    repo, sha = env.get("GITHUB_REPOSITORY"), env.get("GITHUB_SHA")
    if not (repo and sha) or is_url(path) or os.path.isabs(path):
        return label
    server = env.get("GITHUB_SERVER_URL") or "https://github.com"
    url = f"{server}/{repo}/blob/{sha}/{quote(Path(path).as_posix())}" + (f"#L{line}" if line else "")
    return f"[{label}]({url})"


_VERDICT = {"pass": "✓ PASS", "fail": "✗ FAIL", "error": "! ERROR"}


def job_summary(result: CheckResult, env: Mapping[str, str] | None = None) -> str:
    """The Markdown GitHub shows on the run's page ($GITHUB_STEP_SUMMARY): the verdict, a table of witnesses ×
    counts, and the first SUMMARY_FINDINGS new findings linked to their lines (GITHUB_REPOSITORY and GITHUB_SHA in
    ``env``, else plain path:line).  Pure: the command line appends it to the file."""
    env = {} if env is None else env
    out = [f"## jiaokan check: {_VERDICT[result.verdict]}", "",
           f"Base: `{_md(result.base.path)}` · fail on: {result.settings.fail_on} · {plural(len(result.witnesses), 'witness')}", "",
           "| witness | status | new | accepted | below threshold | error |", "|---|---|---:|---:|---:|---|"]
    new: list[tuple[WitnessCheck, Finding]] = []
    for w in result.witnesses:
        listed = result.listed(w)
        counts = {s: sum(st == s for _f, st, _r in listed) for s in (NEW, ACCEPTED, BELOW)}
        new += [(w, f) for f, st, _r in listed if st == NEW]
        out.append(f"| {_md(w.path)} | {_VERDICT[w.status]} | {counts[NEW]} | {counts[ACCEPTED]} | {counts[BELOW]} | {_md(w.error or '')} |")
    if result.stale:
        out += ["", f"{len(result.stale)} stale accepted variants in `{_md(result.baseline or '')}`."]
    if new:
        out += ["", f"### New findings ({min(len(new), SUMMARY_FINDINGS)} of {len(new)})", ""]
        for w, f in new[:SUMMARY_FINDINGS]:
            assert w.result is not None
            line = f.witness.line if _has_lines(w.result.witness) else 0
            out.append(f"- {_link(w.path, line, env)} **{f.code}**: {_md(f.message)}")
        if len(new) > SUMMARY_FINDINGS:
            out += ["", f"… and {len(new) - SUMMARY_FINDINGS} more: see the SARIF (code scanning) or `--format text`."]
    return "\n".join(out) + "\n\n"


def append_job_summary(result: CheckResult, path: str, env: Mapping[str, str]) -> None:
    """Append the job summary to ``$GITHUB_STEP_SUMMARY`` (appended: other steps write to the same file)."""
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(job_summary(result, env))
    except OSError as e:
        raise InputError(f"GITHUB_STEP_SUMMARY={path}: cannot write the job summary", e.strerror or str(e), "check the variable names a writable file") from e
