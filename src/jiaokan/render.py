"""Renderers: take a result, return text.  No decisions are made here."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from jiaokan.diff import DiffResult, severity_of
from jiaokan.findings import Finding, Span
from jiaokan.normalize import Normalized, Rule


def to_json(data: object) -> str:
    """Deterministic JSON: same inputs, byte-identical output."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def rules_text(rules: Sequence[Rule]) -> str:
    width = max(len(r.name) for r in rules)
    return "".join(f"{k + 1:>2}. {r.name:<{width}}  {r.summary}\n" for k, r in enumerate(rules))


def normalized_text(result: Normalized, *, show_map: bool = False) -> str:
    data = result.to_dict(edits=show_map)
    paragraphs = data["paragraphs"]
    assert isinstance(paragraphs, list)
    lines = [
        f"# {data['path']}  ({data['format']}, {data['encoding']}; {len(paragraphs)} paragraphs; "
        f"rules: {','.join(result.rules) or 'none'})\n"
    ]
    for p in paragraphs:
        where = f"{p['line']}" if p["line"] == p["end_line"] else f"{p['line']}-{p['end_line']}"
        lines.append(f"{where:>9} | {p['text']}\n")
        if show_map:
            doc = result.document
            for ed in p["edits"]:
                line, col = doc.locate(ed["start"])
                shown_from = _visible(ed["original"])
                shown_to = _visible(ed["normalized"]) or "∅"
                lines.append(f"{'':>9} |   {line}:{col}  {shown_from!s} → {shown_to}\n")
    return "".join(lines)


_INVISIBLE = {"\n": "\\n", "\r": "\\r", "\f": "\\f", "\t": "\\t", " ": "␣", "\u3000": "\\u3000", "\xa0": "\\xa0"}


def _visible(s: str) -> str:
    return "".join(_INVISIBLE.get(c, c) for c in s)


def _word_diff(f: Finding) -> list[tuple[str, str]]:
    """(text, style) pieces: context, [-deleted-] and {+inserted+} like git diff --word-diff."""
    pieces: list[tuple[str, str]] = [("…" + f.before if f.before else "", "dim")]
    if f.base_norm:
        pieces.append((f"[-{f.base_norm}-]", "bold red strike"))
    if f.witness_norm:
        pieces.append((f"{{+{f.witness_norm}+}}", "bold green"))
    pieces.append((f.after + "…" if f.after else "", "dim"))
    return pieces


def _where(path: str, span: Span) -> str:
    return f"{path}:{span.line}:{span.column}"


def diff_text(result: DiffResult, *, include_cosmetic: bool = False, color: bool = False, width: int = 100) -> str:
    """The terminal report: summary table, then every listed finding in context."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=width, highlight=False, emoji=False, soft_wrap=True)
    s = result.summary
    console.print(Text(f"jiaokan diff  base {result.base.path}  witness {result.witness.path}", style="bold"))
    console.print(f"{s.substantive} substantive, {s.cosmetic} cosmetic, {s.framing} framing")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("code")
    table.add_column("severity")
    table.add_column("count", justify="right")
    for code, n in sorted(s.by_code.items(), key=lambda kv: (_SEVERITY_ORDER.get(severity_of(kv[0]), 9), kv[0])):
        table.add_row(code, severity_of(code), str(n))
    console.print(table)
    listed = result.listed(include_cosmetic=include_cosmetic)
    if not include_cosmetic and s.cosmetic:
        console.print(Text(f"({s.cosmetic} cosmetic differences not listed; --include-cosmetic lists them)", style="dim"))
    for f in listed:
        console.print()
        head = Text(f.code, style="bold yellow" if f.severity == "substantive" else "cyan")
        head.append(f"  {f.severity}", style="dim")
        if f.context:
            head.append(f"  {f.context}")
        console.print(head)
        console.print(Text(f"  base     {_where(result.base.path, f.base)}  ").append(_shown(f.base.text), style="red"))
        console.print(Text(f"  witness  {_where(result.witness.path, f.witness)}  ").append(_shown(f.witness.text), style="green"))
        if f.severity == "substantive" and f.code not in ("paragraph-move", "sentence-move", "metadata-omission"):
            line = Text("  ")
            for text, style in _word_diff(f):
                line.append(text, style=style)
            console.print(line)
        else:
            console.print(Text(f"  {f.message}", style="dim"))
    return buf.getvalue()


_SEVERITY_ORDER = {"substantive": 0, "framing": 1, "cosmetic": 2}


def _shown(text: str, limit: int = 60) -> str:
    flat = _visible(text.replace("\n", "⏎"))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
