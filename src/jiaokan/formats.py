"""The one registry of output formats: which command writes which, and the renderer of each.

A command declares its formats here and nowhere else; ``--format`` is checked
against this table (an unsupported one is a usage error listing the supported
ones), the help text and ``docs/cli.md`` are written from it, and rendering is
one lookup — no command has its own if/elif over formats, and no format can
quietly fall back to text.  Renderers take a result and a :class:`View` and
return text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jiaokan.config import Command


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"
    SARIF = "sarif"
    GITHUB = "github"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class View:
    """How a reader asked to see a result: the options of the text report (the other formats ignore them)."""

    color: bool = False
    width: int = 100
    include_cosmetic: bool = False
    stat: bool = False  # the summary only
    quiet: bool = False  # the verdict line only
    show_map: bool = False  # normalize: what normalization changed, under each paragraph


Renderer = Callable[[Any, View], str]


@dataclass(frozen=True, slots=True)
class Output:
    format: Format
    description: str  # for --help and docs/cli.md
    render: Renderer


# ---------------------------------------------------------------- renderers (imported when used: start-up stays light)


def _json(result: object, view: View) -> str:
    from jiaokan import serialize

    return serialize.to_json(serialize.data(result, include_cosmetic=view.include_cosmetic, edits=view.show_map))


def _normalize_text(result: Any, view: View) -> str:
    from jiaokan import render

    return render.normalized_text(result, show_map=view.show_map)


def _diff_text(result: Any, view: View) -> str:
    from jiaokan import render

    if view.quiet:
        return render.diff_verdict(result)
    return render.diff_text(result, include_cosmetic=view.include_cosmetic, color=view.color, width=view.width, stat=view.stat)


def _diff_html(result: Any, view: View) -> str:
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review

    return review_html(build_review(result.base, [result]))


def _check_text(result: Any, view: View) -> str:
    from jiaokan import render

    return render.check_verdict(result) if view.quiet else render.check_text(result, color=view.color, width=view.width)


def _sarif(result: Any, view: View) -> str:
    from jiaokan import render_ci

    return render_ci.sarif(result)


def _github(result: Any, view: View) -> str:
    from jiaokan import render_ci

    return render_ci.github(result)


def _trace_text(result: Any, view: View) -> str:
    from jiaokan import render

    return render.trace_text(result, color=view.color, width=view.width)


def _trace_html(result: Any, view: View) -> str:
    from jiaokan.render_html import trace_html

    return trace_html(result)


def _collate_text(result: Any, view: View) -> str:
    from jiaokan import render

    return render.collate_text(result, color=view.color, width=view.width)


def _collate_html(result: Any, view: View) -> str:
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review

    return review_html(build_review(result.results[0].base, list(result.results)))


def _review_html(result: Any, view: View) -> str:
    from jiaokan.render_html import review_html

    return review_html(result)


def _scan_jsonl(record: Any, view: View) -> str:
    from jiaokan import serialize

    return serialize.to_json_line(record)


OUTPUTS: dict[Command, tuple[Output, ...]] = {
    "normalize": (
        Output(Format.TEXT, "the paragraphs compared, with their lines in the original", _normalize_text),
        Output(Format.JSON, "jiaokan.normalize/1", _json),
    ),
    "diff": (
        Output(Format.TEXT, "a report", _diff_text),
        Output(Format.JSON, "jiaokan.diff/1", _json),
        Output(Format.HTML, "the side-by-side review page", _diff_html),
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
    "review": (Output(Format.HTML, "the side-by-side review page", _review_html),),
}


def supported(command: Command) -> tuple[Format, ...]:
    return tuple(o.format for o in OUTPUTS[command])


def output(command: Command, name: str) -> Output:
    """The command's output called ``name``; ``ValueError`` saying which formats it has when it has no such one."""
    for o in OUTPUTS[command]:
        if o.format == name:
            return o
    raise ValueError(f"'{name}' is not a format of jiaokan {command}; use one of: {', '.join(supported(command))}")


def render(command: Command, name: str, result: object, view: View | None = None) -> str:
    return output(command, name).render(result, view or View())


def described(command: Command) -> str:
    """The formats for --help: 'text (a report), json (jiaokan.diff/1) or html (…)'."""
    items = [f"{o.format} ({o.description})" for o in OUTPUTS[command]]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
