"""Render a review as one self-contained HTML page.

Inline CSS and JS, nothing loaded from anywhere: the page works from
``file://`` and offline.  Every piece of document text goes through jinja2's
autoescape; the finding data sits in a JSON block with ``<`` escaped.  A
Content-Security-Policy allows exactly the page's own style and script (by
hash) and nothing else — no network, no inline handlers — so even text that
slipped through escaping could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from markupsafe import Markup

from jiaokan import __version__, serialize
from jiaokan.characters import visible
from jiaokan.findings import COSMETIC, SUBSTANTIVE
from jiaokan.ingest import DocumentFormat
from jiaokan.markup import plain_text
from jiaokan.review import Review
from jiaokan.trace import TraceResult

if TYPE_CHECKING:
    import jinja2

    from jiaokan.watch import WatchReport

_SEVERITY_CLASS = {"substantive": "sub", "structural": "str", "cosmetic": "cos", "framing": "frm"}


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, jinja2.Template]:
    import jinja2

    root = resources.files("jiaokan")
    css = root.joinpath("assets/review.css").read_text(encoding="utf-8")
    js = root.joinpath("assets/review.js").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["controls"] = _controls
    template = env.from_string(root.joinpath("templates/review.html.j2").read_text(encoding="utf-8"))
    return css, js, template


def _controls(text: str) -> str:
    """A copy's text with its bidi controls and invisible characters spelled out (\\u202e): shown as they are,
    they would reorder what the reviewer reads — the very thing a bidi-control finding warns of."""
    return visible(text, {"\n": "\n", "\t": "\t", "\r": "\r", "\f": "\f"})


def _no_commands(page: str) -> str:
    """A page printed to a CI log must not run workflow commands: a line of document text that begins ``::`` (after
    spaces) has its colon as a character reference, ``##[`` its second hash; the page reads the same."""
    if "::" not in page and "##[" not in page:
        return page
    lines = page.split("\n")
    for k, line in enumerate(lines):
        if line.lstrip(" \t").startswith("::"):
            at = line.index("::")
            line = f"{line[:at]}&#58;{line[at + 1:]}"
        lines[k] = line.replace("##[", "#&#35;[")
    return "\n".join(lines)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(css: str, js: str) -> str:
    return (
        f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(js)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


class _MarkInfo:
    __slots__ = ("cls", "linked", "move", "other")

    def __init__(self, cls: str, move: bool, other: int, linked: bool) -> None:
        self.cls = cls
        self.move = move
        self.other = other
        self.linked = linked  # the findings list links to its first piece in each column


def review_html(review: Review) -> str:
    """The page for a review."""
    css, js, template = _assets()
    marks = [
        _MarkInfo(f"m k-{f.kind} {_SEVERITY_CLASS[f.severity]} w{f.witness}", f.kind == "move" and f.severity == SUBSTANTIVE, f.witness + 1,
                  f.severity != COSMETIC)
        for f in review.findings
    ]
    codes = sorted({(f.code, f.severity, f.kind) for f in review.findings})
    index = {c: k for k, c in enumerate(codes)}
    data = {
        "base": review.base,
        "witnesses": [w.path for w in review.witnesses],
        "codes": [list(c) for c in codes],  # [code, severity, kind]
        # [code index, witness, base line, base column, witness line, witness column, message]
        "findings": [[index[(f.code, f.severity, f.kind)], f.witness, *f.base_at, *f.witness_at, f.message] for f in review.findings],
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _no_commands(template.render(
        review=review,
        marks=marks,
        css=Markup(css),
        js=Markup(js),
        csp=Markup(csp(css, js)),  # our own hashes and keywords: nothing to escape
        data=Markup(payload),
        version=__version__,
        multi=len(review.witnesses) > 1,
        severity_class=_SEVERITY_CLASS,
        listed=review.listed(),
    ))


def _plain(text: str, fmt: DocumentFormat) -> str:
    """An HTML document's text as a reader sees it (it is escaped again on output)."""
    return plain_text(text) if fmt == "html" else text


_SYMBOLS = {"verbatim": "=", "drifted": "≈", "paraphrase": "~", "unsourced": "·"}


def trace_html(result: TraceResult) -> str:
    """The trace as a page: each passage of the derived text beside its source; no script at all."""
    import jinja2

    root = resources.files("jiaokan")
    css = root.joinpath("assets/trace.css").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["plain"] = _plain
    template = env.from_string(root.joinpath("templates/trace.html.j2").read_text(encoding="utf-8"))
    policy = f"default-src 'none'; style-src {_sha256(css)}; script-src 'none'; base-uri 'none'; form-action 'none'"
    return _no_commands(template.render(
        result=result,
        summary=serialize.trace(result)["summary"],
        symbols=_SYMBOLS,
        css=Markup(css),
        csp=Markup(policy),
        version=__version__,
    ))


_WATCH_SYMBOLS = {"same": "✓", "changed": "~", "drift": "✗", "gone": "∅", "error": "!"}


def watch_html(report: WatchReport) -> str:
    """The watch dashboard: copies × runs as a status grid (a cell links to its review page when one was written),
    then each drifting copy's open findings; no script at all."""
    import jinja2

    from jiaokan.watch import KINDS

    root = resources.files("jiaokan")
    css = root.joinpath("assets/watch.css").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(root.joinpath("templates/watch.html.j2").read_text(encoding="utf-8"))
    policy = f"default-src 'none'; style-src {_sha256(css)}; script-src 'none'; base-uri 'none'; form-action 'none'"
    by_copy = {c.copy.id: c for c in report.changes}
    cells = dict(report.grid)
    rows = []
    for cid, change in by_copy.items():
        mine = dict(cells.get(cid, ()))
        rows.append({"source": change.copy.source, "base": change.copy.base, "tags": change.copy.tags, "kinds": change.kinds,
                     "cells": [mine.get(r.id) for r in report.runs]})
    drifting = [{"watched": c.copy, "now": c.now, "wrong_since": c.wrong_since, "new_prints": {f.fingerprint for f in c.new}}
                for c in report.changes if c.now.status == "drift"]
    return _no_commands(template.render(
        report=report, runs=report.runs, rows=rows, drifting=drifting, symbols=_WATCH_SYMBOLS,
        counts=[(k, len(report.of(k))) for k in KINDS], css=Markup(css), csp=Markup(policy), version=__version__,
    ))
