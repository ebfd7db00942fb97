"""The one registry of output formats: which command writes which, and the renderer of each.

A command declares its formats here and nowhere else; ``--format`` is checked
against this table (an unsupported one is a usage error listing the supported
ones), the help text is written from it (and ``docs/cli.md`` checked against it by a test), and rendering is
one lookup — no command has its own if/elif over formats, and no format can
quietly fall back to text.  Renderers take a result and a :class:`View` and
return text, or bytes for a binary format (``Output.binary``: docx), which is never written to a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from jiaokan.config import Command

if TYPE_CHECKING:
    from jiaokan.check import CheckResult
    from jiaokan.collate import Collation
    from jiaokan.diff import DiffResult
    from jiaokan.ingest import Document
    from jiaokan.normalize import Normalized
    from jiaokan.trace import TraceResult
    from jiaokan.watch import CopyHistory, Watched, WatchReport


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"
    SARIF = "sarif"
    GITHUB = "github"
    JSONL = "jsonl"
    DOCX = "docx"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class View:
    """How a reader asked to see a result: the options of the text report (the other formats ignore them)."""

    color: bool = False
    width: int = 100
    stat: bool = False  # the summary only
    quiet: bool = False  # the verdict line only
    show_map: bool = False  # normalize: what normalization changed, under each paragraph


@dataclass(frozen=True, slots=True)
class Compared:
    """What ``review`` renders: the base and each witness's diff (the page is built from them, a redline from the one)."""

    base: Document
    results: tuple[DiffResult, ...]


R = TypeVar("R")  # the result a renderer takes


@dataclass(frozen=True, slots=True)
class Output(Generic[R]):
    format: Format
    description: str  # for --help and docs/cli.md
    render: Callable[[R, View], str | bytes]  # bytes exactly when binary
    binary: bool = False  # a file, not text: refused on a terminal


# ---------------------------------------------------------------- renderers (imported when used: start-up stays light)


def _json(result: object, view: View) -> str:
    from jiaokan import serialize

    return serialize.to_json(serialize.data(result, edits=view.show_map))


def _normalize_text(result: Normalized, view: View) -> str:
    from jiaokan import render

    return render.normalized_text(result, show_map=view.show_map)


def _diff_text(result: DiffResult, view: View) -> str:
    from jiaokan import render

    if view.quiet:
        return render.diff_verdict(result)
    return render.diff_text(result, color=view.color, width=view.width, stat=view.stat)


def _diff_html(result: DiffResult, view: View) -> str:
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review

    return review_html(build_review(result.base, [result]))


def _diff_docx(result: DiffResult, view: View) -> bytes:
    from jiaokan.render_docx import docx

    return docx(result)


def _review_docx(result: Compared, view: View) -> bytes:
    from jiaokan.errors import InputError
    from jiaokan.render_docx import docx

    if len(result.results) != 1:
        raise InputError(f"--format docx: {len(result.results)} witnesses", "a redline shows one witness against the base", "give one WITNESS, or use --format html")
    return docx(result.results[0])


def _check_text(result: CheckResult, view: View) -> str:
    from jiaokan import render

    return render.check_verdict(result) if view.quiet else render.check_text(result, color=view.color, width=view.width)


def _sarif(result: CheckResult, view: View) -> str:
    from jiaokan import render_ci

    return render_ci.sarif(result)


def _github(result: CheckResult, view: View) -> str:
    from jiaokan import render_ci

    return render_ci.github(result)


def _trace_text(result: TraceResult, view: View) -> str:
    from jiaokan import render

    return render.trace_text(result, color=view.color, width=view.width)


def _trace_html(result: TraceResult, view: View) -> str:
    from jiaokan.render_html import trace_html

    return trace_html(result)


def _collate_text(result: Collation, view: View) -> str:
    from jiaokan import render

    return render.collate_text(result, color=view.color, width=view.width)


def _collate_html(result: Collation, view: View) -> str:
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review

    return review_html(build_review(result.results[0].base, list(result.results)))


def _review_html(result: Compared, view: View) -> str:
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review

    return review_html(build_review(result.base, list(result.results)))


def _watch_text(result: WatchReport | CopyHistory | Watched, view: View) -> str:
    from jiaokan import render

    return render.watch_text(result, color=view.color, width=view.width)


def _watch_html(result: WatchReport | CopyHistory | Watched, view: View) -> str:
    from jiaokan.render_html import watch_html
    from jiaokan.watch import WatchReport

    if not isinstance(result, WatchReport):
        raise ValueError("only a report has a dashboard (watch report -f html, or watch run -f html)")
    return watch_html(result)


def _watch_csv(result: WatchReport | CopyHistory | Watched, view: View) -> str:
    from jiaokan import render

    return render.watch_csv(result)


def _scan_jsonl(record: dict[str, object], view: View) -> str:
    from jiaokan import serialize

    return serialize.to_json_line(record)


# each command's outputs, in the order --help lists them (the first is the default); Any: the result type varies by
# command, and render()'s overloads say which result each command's renderers take
OUTPUTS: dict[Command, tuple[Output[Any], ...]] = {
    "normalize": (
        Output(Format.TEXT, "the paragraphs compared, with their lines in the original", _normalize_text),
        Output(Format.JSON, "jiaokan.normalize/1", _json),
    ),
    "diff": (
        Output(Format.TEXT, "a report", _diff_text),
        Output(Format.JSON, "jiaokan.diff/1", _json),
        Output(Format.HTML, "the side-by-side review page", _diff_html),
        Output(Format.DOCX, "a Word redline: tracked changes and comments, to -o FILE", _diff_docx, binary=True),
    ),
    "check": (
        Output(Format.TEXT, "a report", _check_text),
        Output(Format.JSON, "jiaokan.check/1", _json),
        Output(Format.SARIF, "SARIF 2.1.0, for code scanning", _sarif),
        Output(Format.GITHUB, "GitHub workflow commands", _github),
    ),
    "trace": (
        Output(Format.TEXT, "a report", _trace_text),
        Output(Format.JSON, "jiaokan.trace/1", _json),
        Output(Format.HTML, "a page: each passage beside its source", _trace_html),
    ),
    "collate": (
        Output(Format.TEXT, "a report", _collate_text),
        Output(Format.JSON, "jiaokan.collate/1", _json),
        Output(Format.HTML, "the review page, a column per copy", _collate_html),
    ),
    "scan": (Output(Format.JSONL, "a jiaokan.scan/1 record per document, as it completes", _scan_jsonl),),
    "watch": (
        Output(Format.TEXT, "a report", _watch_text),
        Output(Format.JSON, "jiaokan.watch/1", _json),
        Output(Format.CSV, "the inspection spreadsheet: a row per open finding (report, history)", _watch_csv),
        Output(Format.HTML, "the dashboard: copies × runs, each cell linking to its review page (report)", _watch_html),
    ),
    "review": (
        Output(Format.HTML, "the side-by-side review page", _review_html),
        Output(Format.DOCX, "a Word redline of the one WITNESS: tracked changes and comments, to -o FILE", _review_docx, binary=True),
    ),
}


def default(command: Command) -> Format:
    """The command's first format: what it writes without ``--format``."""
    return OUTPUTS[command][0].format


def supported(command: Command) -> tuple[Format, ...]:
    return tuple(o.format for o in OUTPUTS[command])


def output(command: Command, name: str) -> Output[Any]:
    """The command's output called ``name``; ``ValueError`` saying which formats it has when it has no such one."""
    for o in OUTPUTS[command]:
        if o.format == name:
            return o
    raise ValueError(f"'{name}' is not a format of jiaokan {command}; use one of: {', '.join(supported(command))}")


@overload
def render(command: Literal["normalize"], name: str, result: Normalized, view: View | None = None) -> str: ...
@overload
def render(command: Literal["diff"], name: str, result: DiffResult, view: View | None = None) -> str | bytes: ...
@overload
def render(command: Literal["check"], name: str, result: CheckResult, view: View | None = None) -> str: ...
@overload
def render(command: Literal["trace"], name: str, result: TraceResult, view: View | None = None) -> str: ...
@overload
def render(command: Literal["collate"], name: str, result: Collation, view: View | None = None) -> str: ...
@overload
def render(command: Literal["scan"], name: str, result: dict[str, object], view: View | None = None) -> str: ...
@overload
def render(command: Literal["review"], name: str, result: Compared, view: View | None = None) -> str | bytes: ...
@overload
def render(command: Literal["watch"], name: str, result: WatchReport | CopyHistory | Watched, view: View | None = None) -> str: ...
def render(command: Command, name: str, result: object, view: View | None = None) -> str | bytes:
    """The result of ``command`` written in format ``name`` (``ValueError`` for a format the command has not)."""
    return output(command, name).render(result, view or View())


def described(command: Command) -> str:
    """The formats for --help: 'text (a report), json (jiaokan.diff/1) or html (…)'."""
    items = [f"{o.format} ({o.description})" for o in OUTPUTS[command]]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
