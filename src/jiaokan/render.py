"""Renderers: take a result, return text.  No decisions are made here."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from jiaokan.characters import visible
from jiaokan.check import ACCEPTED, NEW, CheckResult
from jiaokan.diff import DiffResult, clip
from jiaokan.findings import SUBSTANTIVE, Finding, Span
from jiaokan.collate import Collation
from jiaokan.scan import Summary
from jiaokan.trace import TraceResult
from jiaokan.normalize import Normalized, Rule


def to_json(data: object) -> str:
    """Deterministic JSON: same inputs, byte-identical output."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def rules_text(rules: Sequence[Rule]) -> str:
    width = max(len(r.name) for r in rules)
    codes = max(len(", ".join(r.codes)) for r in rules)
    return "".join(f"{k + 1:>2}. {r.name:<{width}}  {', '.join(r.codes):<{codes}}  {r.summary}\n" for k, r in enumerate(rules))


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
                shown_from = _visible(str(ed["original"]))
                shown_to = _visible(str(ed["written"])) or "∅"
                lines.append(f"{'':>9} |   {line}:{col}  {shown_from!s} → {shown_to}  ({ed['code']})\n")
    return "".join(lines)


_INVISIBLE = {"\n": "\\n", "\r": "\\r", "\f": "\\f", "\t": "\\t", " ": "␣", "\u3000": "\\u3000", "\xa0": "\\xa0"}


def _visible(s: str) -> str:
    """Invisible characters spelled out: a zero-width space or a bidi control must be seen to be checked."""
    return visible(s, _INVISIBLE)


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


def _console(buf: io.StringIO, color: bool, width: int):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                   width=width, highlight=False, emoji=False, soft_wrap=True)


def _code_table(result: DiffResult):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("code")
    table.add_column("severity")
    table.add_column("count", justify="right")
    s = result.summary
    for code, n in sorted(s.by_code.items(), key=lambda kv: (_SEVERITY_ORDER.get(result.severity_of(kv[0]), 9), kv[0])):
        table.add_row(code, result.severity_of(code), str(n))
    return table


def _print_finding(console, result: DiffResult, f: Finding, note: str = "") -> None:  # type: ignore[no-untyped-def]
    """One finding: code and heading, both original places, and the change in context."""
    from rich.text import Text

    console.print()
    head = Text(f.code, style="bold yellow" if f.severity == "substantive" else "cyan")
    head.append(f"  {f.severity}", style="dim")
    if note:
        head.append(f"  ({note})", style="dim")
    if f.context:
        head.append(f"  {f.context}")
    console.print(head)
    console.print(Text(f"  base     {_where(result.base.path, f.base)}  ").append(_shown(f.base.text), style="red"))
    console.print(Text(f"  witness  {_where(result.witness.path, f.witness)}  ").append(_shown(f.witness.text), style="green"))
    if f.severity == SUBSTANTIVE and f.info.word_diff:
        line = Text("  ")
        for text, style in _word_diff(f):
            line.append(text, style=style)
        console.print(line)
    else:
        console.print(Text(f"  {f.message}", style="dim"))


def diff_text(result: DiffResult, *, include_cosmetic: bool = False, color: bool = False, width: int = 100) -> str:
    """The terminal report: summary table, then every listed finding in context."""
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, color, width)
    s = result.summary
    console.print(Text(f"jiaokan diff  base {result.base.path}  witness {result.witness.path}", style="bold"))
    console.print(f"{s.substantive} substantive, {s.cosmetic} cosmetic, {s.framing} framing")
    if s.set_aside:
        console.print(Text(f"{s.set_aside} paragraphs matched the framing patterns and were set aside", style="dim"))
    console.print(_code_table(result))
    if not include_cosmetic and s.cosmetic:
        console.print(Text(f"({s.cosmetic} cosmetic differences not listed; --include-cosmetic lists them)", style="dim"))
    for f in result.listed(include_cosmetic=include_cosmetic):
        _print_finding(console, result, f)
    return buf.getvalue()


_MARK = {"pass": ("✓ PASS ", "bold green"), "fail": ("✗ FAIL ", "bold red"), "error": ("! ERROR", "bold magenta")}


def check_text(result: CheckResult, *, color: bool = False, width: int = 100) -> str:
    """One block per witness (its failing findings in full), a table of witnesses × counts, stale entries, the verdict."""
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, color, width)
    st = result.settings
    console.print(Text(f"jiaokan check  base {result.base.path}  fail on: {st.fail_on}  baseline: {result.baseline or 'none'}", style="bold"))
    for w in result.witnesses:
        console.print()
        mark, style = _MARK[w.status]
        line = Text(mark, style=style).append(f"  {w.path}  ")
        if w.result is None:
            console.print(line.append(w.error or "", style="magenta"))
            continue
        s = w.result.summary
        line.append(f"{w.count(NEW)} new, {w.count(ACCEPTED)} accepted  ", style="bold")
        line.append(f"({s.substantive} substantive, {s.cosmetic} cosmetic, {s.framing} framing)", style="dim")
        console.print(line)
        if w.count(ACCEPTED):
            console.print(Text(f"  ({w.count(ACCEPTED)} accepted variants not listed; --format json lists them with their reasons)", style="dim"))
        for f, status, _reason in result.listed(w):
            if status != ACCEPTED:
                _print_finding(console, w.result, f, "" if status == NEW else "below fail-on")
    console.print()
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("witness", "status", "substantive", "cosmetic", "framing", "accepted", "new"):
        table.add_column(name, justify="left" if name in ("witness", "status") else "right")
    for w in result.witnesses:
        mark, style = _MARK[w.status]
        if w.result is None:
            table.add_row(Text(w.path), Text(mark, style=style), "-", "-", "-", "-", "-")
        else:
            s = w.result.summary
            table.add_row(Text(w.path), Text(mark, style=style), str(s.substantive), str(s.cosmetic), str(s.framing), str(w.count(ACCEPTED)), str(w.count(NEW)))
    console.print(table)
    if result.stale:
        console.print()
        console.print(Text(f"{len(result.stale)} stale accepted variants (no longer found; delete them, or rewrite the file with --write-baseline):", style="yellow"))
        for e in result.stale:
            where = f"{result.baseline}:{e.line}" if e.line else str(result.baseline)
            console.print(Text(f"  {where}  {e.file or '(any witness)'}  {e.code}  「{clip(e.base)}」→「{clip(e.witness)}」  {e.context}"))
    console.print()
    failing = sum(w.status == "fail" for w in result.witnesses)
    errors = sum(w.status == "error" for w in result.witnesses)
    mark, style = _MARK[result.verdict]
    verdict = Text(f"jiaokan check: {mark.split()[-1]}", style=style)
    verdict.append(f" — {len(result.witnesses)} witnesses, {failing} with new findings at or above '{st.fail_on}', {errors} unreadable")
    console.print(verdict)
    return buf.getvalue()


_SEVERITY_ORDER = {"substantive": 0, "framing": 1, "cosmetic": 2}


def _shown(text: str, limit: int = 60) -> str:
    flat = _visible(text.replace("\n", "⏎"))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


_RELATION = {"verbatim": ("= verbatim  ", "green"), "drifted": ("≈ drifted   ", "yellow"), "paraphrase": ("~ paraphrase", "cyan"), "unsourced": ("· unsourced ", "dim")}


def trace_text(result: TraceResult, *, color: bool = False, width: int = 100) -> str:
    """Each passage of the derived text with its relation and source; then the source's coverage."""
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, color, width)
    summary = result.to_dict()["summary"]
    console.print(Text(f"jiaokan trace  source {result.source.path}  derived {result.derived.path}", style="bold"))
    console.print(Text("  ".join(f"{n} {r}" for r, n in summary.items())))  # type: ignore[union-attr]
    for p in result.passages:
        label, style = _RELATION[p.relation]
        line = Text(label, style=style).append(f"  {_where(result.derived.path, p.derived)}  ")
        line.append(_shown(p.derived.text, 50))
        console.print(line)
        if p.source is not None:
            console.print(Text(f"      from {_where(result.source.path, p.source)}  {p.heading}", style="dim"))
        for f in p.findings:
            words = Text("      ")
            for text, st in _word_diff(f):
                words.append(text, style=st)
            console.print(words)
    c = result.coverage
    console.print()
    console.print(Text(f"source coverage: {c.source_paragraphs} paragraphs — {c.quoted} quoted, {c.paraphrased} paraphrased, {c.unused} not used", style="bold"))
    if c.dropped:
        console.print(Text(f"clauses of quoted sentences the derived text drops ({len(c.dropped)}):"))
        for d in c.dropped:
            console.print(Text(f"  {_where(result.source.path, d)}  ").append(_shown(d.text, 60), style="red"))
    return buf.getvalue()


def collate_text(result: Collation, *, color: bool = False, width: int = 100) -> str:
    """The base and why, the copies with their closest relative, then every variant place with each reading."""
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, color, width)
    letters = [chr(ord("A") + k) if k < 26 else f"#{k}" for k in range(len(result.copies))]
    console.print(Text(f"jiaokan collate  {len(result.copies)} copies, {len(result.places)} variant places", style="bold"))
    console.print(Text(f"base ({result.chosen}): {result.why}"))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("", "copy", "coverage", "partial", "substantive", "shares most unusual readings with"):
        table.add_column(name, justify="right" if name in ("coverage", "substantive") else "left")
    paths = [c.path for c in result.copies]
    for k, c in enumerate(result.copies):
        closest = f"{letters[paths.index(c.closest)]} ({len(c.shared)}: places {', '.join(map(str, c.shared))})" if c.closest else "—"
        role = " (base)" if k == result.base else ""
        table.add_row(letters[k], Text(c.path + role), f"{c.coverage:.0%}", "yes" if c.partial else "", str(c.substantive), closest)
    console.print(table)
    for p in result.places:
        console.print()
        console.print(Text(f"place {p.index}  {p.heading}  ", style="bold").append(f"{_where(paths[result.base], p.base)}", style="dim"))
        groups: dict[str, list[str]] = {}
        for k, r in enumerate(p.readings):
            groups.setdefault("∅ no text here" if r is None else (_shown(r, 60) if r else "∅ omitted"), []).append(letters[k])
        majority = _shown(p.majority, 60) if p.majority else "∅ omitted"
        for reading, who in groups.items():
            mark = "majority " if reading == majority else "         "
            console.print(Text(f"  {mark}{''.join(who):<6} ").append(reading, style="green" if mark.strip() else "yellow"))
    return buf.getvalue()


def scan_text(summary: Summary, *, color: bool = False, width: int = 100) -> str:
    """The end-of-scan table: documents by kind, the most frequent drifts, the documents with most findings."""
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, color, width)
    data = summary.to_dict()
    kinds = data["kinds"]
    assert isinstance(kinds, dict)
    console.print(Text(f"jiaokan scan: {sum(kinds.values())} documents — " + ", ".join(f"{n} {k}" for k, n in kinds.items()), style="bold"))
    drifts = data["drifts"]
    assert isinstance(drifts, list)
    if drifts:
        table = Table(title="most frequent drifts", show_header=True, header_style="bold", box=None, pad_edge=False, title_justify="left")
        table.add_column("base")
        table.add_column("copies read")
        table.add_column("in", justify="right")
        for d in drifts:
            table.add_row(Text(d["base"]), Text(d["copy"]), f"{d['documents']} of {d['of']} reprints and excerpts")
        console.print(table)
    worst = data["most_substantive"]
    assert isinstance(worst, list)
    if worst:
        table = Table(title="most substantive findings", show_header=True, header_style="bold", box=None, pad_edge=False, title_justify="left")
        table.add_column("document")
        table.add_column("substantive", justify="right")
        for w in worst:
            table.add_row(Text(w["id"]), str(w["substantive"]))
        console.print(table)
    return buf.getvalue()
