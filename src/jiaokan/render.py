"""Renderers: take a result, return text.  No decisions are made here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jiaokan import serialize, sheet
from jiaokan.characters import no_workflow_commands, one_line, visible
from jiaokan.findings import SUBSTANTIVE, Finding, Kind, Parts, Section, Span
from jiaokan.sheet import Grid, Line, Sheet

if TYPE_CHECKING:  # rich is imported only when a report is coloured or laid out; the results' modules are their commands' own
    from jiaokan.check import CheckResult
    from jiaokan.collate import Collation
    from jiaokan.diff import DiffResult
    from jiaokan.diff import Summary as DiffSummary
    from jiaokan.normalize import Normalized, Rule
    from jiaokan.scan import Summary
    from jiaokan.trace import TraceResult
    from jiaokan.watch import CopyHistory, Watched, WatchReport
    from jiaokan.watchdb import Copy, CopyResult, RunInfo, StoredFinding


def rules_text(rules: Sequence[Rule]) -> str:
    width = max(len(r.name) for r in rules)
    codes = max(len(", ".join(r.codes)) for r in rules)
    return "".join(f"{k + 1:>2}. {r.name:<{width}}  {', '.join(r.codes):<{codes}}  {r.summary}\n" for k, r in enumerate(rules))


def normalized_text(result: Normalized, *, show_map: bool = False) -> str:
    data = serialize.normalized(result, edits=show_map)
    paragraphs = data["paragraphs"]
    assert isinstance(paragraphs, list)
    lines = [
        f"# {_name(data['path'])}  ({data['format']}, {data['encoding']}; {plural(len(paragraphs), 'paragraph')}; "
        f"rules: {','.join(result.rules) or 'none'})\n"
    ]
    for p in paragraphs:
        where = f"{p['line']}" if p["line"] == p["end_line"] else f"{p['line']}-{p['end_line']}"
        lines.append(f"{where:>9} | {one_line(str(p['text']))}\n")
        if show_map:
            doc = result.document
            for ed in p["edits"]:
                line, col = doc.locate(ed["start"])
                shown_from = _visible(str(ed["original"]))
                shown_to = _visible(str(ed["written"])) or "∅"
                lines.append(f"{'':>9} |   {line}:{col}  {shown_from!s} → {shown_to}  ({ed['code']})\n")
    return no_workflow_commands("".join(lines))


_INVISIBLE = {"\n": "\\n", "\r": "\\r", "\f": "\\f", "\t": "\\t", " ": "␣", "\u3000": "\\u3000", "\xa0": "\\xa0"}


def _visible(s: str) -> str:
    """Invisible characters spelled out: a zero-width space or a bidi control must be seen to be checked."""
    return visible(s, _INVISIBLE)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 witness``, ``2 witnesses``: a count with its noun agreeing (English: -es after s, x, ch, sh; else -s)."""
    if n == 1:
        return f"{n:,} {word}"
    if many is None:
        many = word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")
    return f"{n:,} {many}"


def clip(text: str, limit: int) -> str:
    """Text cut to about ``limit`` terminal cells (a Chinese character is two), with the count of characters left
    out: ``…(+1,240 字)``.  Short text is returned as it is."""
    from rich.cells import cell_len

    if cell_len(text) <= limit:
        return text
    kept, cells = 0, 0
    budget = max(4, limit - 12)  # room for the count
    for ch in text:
        w = cell_len(ch)
        if cells + w > budget:
            break
        cells += w
        kept += 1
    return f"{text[:kept]}…(+{len(text) - kept:,} 字)"


def _word_diff(f: Finding, limit: int = 10**9) -> list[tuple[str, str]]:
    """(text, style) pieces: context, [-deleted-] and {+inserted+} like git diff --word-diff, all in about ``limit``
    cells: the context shrinks first (to 6 characters a side), then each side is clipped to its share."""
    from rich.cells import cell_len

    before, after = visible(f.before), visible(f.after)
    base_norm, witness_norm = visible(f.base_norm), visible(f.witness_norm)
    sides = [t for t in (base_norm, witness_norm) if t]
    marks = 4 * len(sides) + 2
    need = cell_len(before) + cell_len(after) + sum(cell_len(t) for t in sides) + marks
    if need > limit:
        before, after = before[-6:], after[:6]
    room = max(16, limit - cell_len(before) - cell_len(after) - marks)
    share = room if len(sides) < 2 else max(12, room // 2)
    pieces: list[tuple[str, str]] = [("…" + before if before else "", "dim")]
    if base_norm:
        pieces.append((f"[-{clip(base_norm, share)}-]", "bold red strike"))
    if witness_norm:
        pieces.append((f"{{+{clip(witness_norm, share)}+}}", "bold green"))
    pieces.append((after + "…" if after else "", "dim"))
    return pieces


def _int_map(value: object) -> dict[str, int]:
    """A JSON object of counts (a summary read back from its JSON form)."""
    assert isinstance(value, dict)
    return {str(k): int(v) for k, v in value.items()}


def _where(path: str, span: Span) -> str:
    """``file:line:column``; on a text with pages (a PDF), ``file p.3 l.12:column``: the page and the line in it,
    what a reader can find in the document itself."""
    if span.page is not None:
        return f"{_name(path)} p.{span.page} l.{span.page_line}:{span.column}"
    return f"{_name(path)}:{span.line}:{span.column}"


def _name(path: object) -> str:
    """A file name on its one line, its control characters shown escaped."""
    return one_line(str(path))


def _code_table(result: DiffResult) -> Grid:
    table = Grid((("code", "left"), ("severity", "left"), ("count", "right")))
    s = result.summary
    for code, n in sorted(s.by_code.items(), key=lambda kv: (_SEVERITY_ORDER.get(result.severity_of(kv[0]), 9), kv[0])):
        table.add_row(code, result.severity_of(code), f"{n:,}")
    return table


_SECTION_TITLE = {Section.SUBSTANTIVE: "substantive", Section.REPEATED: "repeated changes", Section.STRUCTURAL: "renumbering and structure",
                  Section.COSMETIC: "cosmetic", Section.FRAMING: "framing"}


_SPAN_MIN = 24  # cells a span's text needs beside its place, else it goes on the next line
_PLACES_SHOWN = 8  # a group lists its first places, then how many more
_PARAGRAPHS_SHOWN = 6
_EDITS_SHOWN = 12


class _Printer:
    """Prints findings on a console at a width: every long text clipped with the count of what is left out."""

    def __init__(self, console: Sheet, result: DiffResult, width: int) -> None:
        self.console = console
        self.result = result
        self.width = width

    def rest(self, prefix: str) -> int:
        """The cells left on a line after ``prefix`` (at least 16)."""
        from rich.cells import cell_len

        return max(16, self.width - cell_len(prefix))

    def head(self, f: Finding, note: str = "", indent: str = "") -> Line:
        head = Line(indent + f.code, style="bold yellow" if f.severity == SUBSTANTIVE else "cyan")
        head.append(f"  {f.severity}", style="dim")
        if f.parts_kind == Parts.PLACES:
            n = len(f.places())
            head.append(f"  ×{n:,}", style="bold")  # a group's places, a run's labels and references
        if note:
            head.append(f"  ({note})", style="dim")
        if f.context:
            head.append(f"  {clip(one_line(f.context), max(20, self.width // 2))}")
        return head

    def finding(self, f: Finding, note: str = "") -> None:
        """One finding: code and heading, both original places, the change in context; then its parts."""
        from rich.cells import cell_len

        console, result = self.console, self.result
        console.print()
        console.print(self.head(f, note))
        for label, path, span, style in (("base   ", _name(result.base.path), f.base, "red"), ("witness", _name(result.witness.path), f.witness, "green")):
            prefix = f"  {label}  {_where(path, span)}  "
            room = self.width - cell_len(prefix)
            if room < _SPAN_MIN and cell_len(_shown(span.text, 10**9)) > room:  # a long path: the text on a line of its own
                console.print(Line(prefix.rstrip()))
                prefix = "      "
            console.print(Line(prefix).append(_shown(span.text, self.rest(prefix)), style=style))
        self.change(f, "  ")
        if f.parts_kind == Parts.PLACES and f.info.kind != Kind.RENUMBERING:  # a run says it all in its message
            self.places(f)
        elif f.parts_kind == Parts.EDITS:
            self.edits(f)
        elif f.parts_kind == Parts.PARAGRAPHS:
            self.paragraphs(f)

    def change(self, f: Finding, indent: str) -> None:
        word_diff = f.severity == SUBSTANTIVE and f.info.word_diff and bool(f.base_norm or f.witness_norm)
        if word_diff:
            line = Line(indent)
            for text, style in _word_diff(f, self.rest(indent)):
                line.append(text, style=style)
            self.console.print(line)
        if f.message and (not word_diff or f.parts):
            self.console.print(Line(f"{indent}{clip(one_line(f.message), self.rest(indent))}", style="dim"))

    def places(self, f: Finding) -> None:
        places = f.places()
        bits = []
        for p in places[:_PLACES_SHOWN]:
            label = f" {clip(one_line(p.context), 24)}" if p.context else ""
            bits.append(f"{p.base.line}:{p.base.column}{label}")
        more = len(places) - _PLACES_SHOWN
        line = "  places (base line:column): " + ", ".join(bits)
        if more > 0:
            line += f", … and {more:,} more"
        self.console.print(Line(line, style="dim"))

    def edits(self, f: Finding) -> None:
        inner = [p for part in f.parts for p in part.places()]
        self.console.print(Line(f"  {plural(len(inner), 'edit')} inside:", style="dim"))
        for e in inner[:_EDITS_SHOWN]:
            self.console.print(self.head(e, indent="    ").append(f"  base {e.base.line}:{e.base.column}  witness {e.witness.line}:{e.witness.column}", style="dim"))
            self.change(e, "      ")
        if len(inner) > _EDITS_SHOWN:
            self.console.print(Line(f"    … and {len(inner) - _EDITS_SHOWN:,} more", style="dim"))

    def paragraphs(self, f: Finding) -> None:
        self.console.print(Line(f"  {plural(len(f.parts), 'paragraph')}:", style="dim"))
        for p in f.parts[:_PARAGRAPHS_SHOWN]:
            span = p.base if p.base.text.strip() else p.witness
            text = p.base_norm or p.witness_norm or span.text
            prefix = f"    {span.line}:{span.column}  "
            self.console.print(Line(prefix, style="dim").append(_shown(text, self.rest(prefix))))
        if len(f.parts) > _PARAGRAPHS_SHOWN:
            self.console.print(Line(f"    … and {len(f.parts) - _PARAGRAPHS_SHOWN:,} more", style="dim"))


def _print_sections(printer: _Printer, items: Sequence[tuple[Finding, str]]) -> None:
    """Findings (with a note each) under a title per section, in report order."""
    by_section: dict[str, list[tuple[Finding, str]]] = {}
    for f, note in items:
        by_section.setdefault(f.section, []).append((f, note))
    for name in Section:
        chunk = by_section.get(name, [])
        if not chunk:
            continue
        printer.console.print()
        printer.console.print(Line(f"── {_SECTION_TITLE[name]} ({len(chunk):,})", style="bold"))
        for f, note in chunk:
            printer.finding(f, note)


def _counts(s: DiffSummary) -> str:
    return f"{s.substantive:,} substantive, {s.structural:,} structural, {s.cosmetic:,} cosmetic, {s.framing:,} framing"


def diff_verdict(result: DiffResult) -> str:
    """The one line ``jiaokan diff -q`` prints: the verdict and the counts."""
    s = result.summary
    verdict = "DRIFT" if s.substantive else "SAME"
    return f"jiaokan diff: {verdict} — {plural(s.substantive, 'substantive finding')} ({s.structural:,} structural, {s.cosmetic:,} cosmetic, {s.framing:,} framing)\n"


def diff_text(result: DiffResult, *, include_cosmetic: bool | None = None, color: bool = False, width: int = 100, stat: bool = False) -> str:
    """The terminal report: summary table, then every listed finding in context, in report order (``stat``: the
    summary only)."""
    from rich.cells import cell_len

    console = Sheet(color=color, width=width)
    s = result.summary
    title = f"jiaokan diff  base {_name(result.base.path)}  witness {_name(result.witness.path)}"
    if cell_len(title) > width:  # long paths: one a line
        title = f"jiaokan diff\n  base     {_name(result.base.path)}\n  witness  {_name(result.witness.path)}"
    console.print(Line(title, style="bold"))
    console.print(_counts(s))
    if s.set_aside:
        console.print(Line(f"{plural(s.set_aside, 'paragraph')} {'was' if s.set_aside == 1 else 'were'} set aside as framing", style="dim"))
    console.print(_code_table(result))
    if stat:
        return console.text()
    cosmetic = result.include_cosmetic if include_cosmetic is None else include_cosmetic
    if not cosmetic and s.cosmetic:
        console.print(Line(f"({plural(s.cosmetic, 'cosmetic difference')} not listed; --include-cosmetic lists them)", style="dim"))
    printer = _Printer(console, result, width)
    _print_sections(printer, [(f, "") for f in result.listed(include_cosmetic=cosmetic)])
    return console.text()


_MARK = {"pass": ("✓ PASS ", "bold green"), "fail": ("✗ FAIL ", "bold red"), "error": ("! ERROR", "bold magenta")}


def check_text(result: CheckResult, *, color: bool = False, width: int = 100) -> str:
    """One block per witness (its failing findings in full), a table of witnesses × counts, stale entries, the verdict."""
    from jiaokan.check import ACCEPTED, NEW

    console = Sheet(color=color, width=width)
    st = result.settings
    console.print(Line(f"jiaokan check  base {_name(result.base.path)}  fail on: {st.fail_on}  baseline: {_name(result.baseline or 'none')}", style="bold"))
    for w in result.witnesses:
        console.print()
        mark, style = _MARK[w.status]
        line = Line(mark, style=style).append(f"  {_name(w.path)}  ")
        if w.result is None:
            console.print(line.append(one_line(w.error or ""), style="magenta"))
            continue
        s = w.result.summary
        line.append(f"{w.count(NEW):,} new, {w.count(ACCEPTED):,} accepted  ", style="bold")
        line.append(f"({_counts(s)})", style="dim")
        console.print(line)
        if w.count(ACCEPTED):
            console.print(Line(f"  ({plural(w.count(ACCEPTED), 'accepted variant')} not listed; --format json lists them with their reasons)", style="dim"))
        printer = _Printer(console, w.result, width)
        items = [(f, "" if status == NEW else "below fail-on") for f, status, _reason in result.listed(w) if status != ACCEPTED]
        _print_sections(printer, items)
    console.print()
    # the table of witnesses × counts: the path last and whole (a long path runs on, it is never cut)
    names = ("status", "substantive", "structural", "cosmetic", "framing", "accepted", "new", "witness")
    header = Line("  ".join(f"{n:<7}" if n == "status" else n if n == "witness" else f"{n:>{len(n)}}" for n in names), style="bold")
    console.print(header)
    for w in result.witnesses:
        mark, style = _MARK[w.status]
        if w.result is None:
            counts = ["-"] * 6
        else:
            s = w.result.summary
            counts = [f"{n:,}" for n in (s.substantive, s.structural, s.cosmetic, s.framing, w.count(ACCEPTED), w.count(NEW))]
        row = Line(mark, style=style)
        for name, n in zip(names[1:-1], counts, strict=False):
            row.append(f"  {n:>{len(name)}}")
        console.print(row.append(f"  {_name(w.path)}"))
    if result.stale:
        console.print()
        console.print(Line(f"{plural(len(result.stale), 'stale accepted variant')} (no longer found; delete them, or rewrite the file with --write-baseline):", style="yellow"))
        for e in result.stale:
            where = f"{_name(result.baseline)}:{e.line}" if e.line else _name(result.baseline)
            console.print(Line(one_line(f"  {where}  {e.file or '(any witness)'}  {e.code}  「{short(e.base)}」→「{short(e.witness)}」  {e.context}")))
    console.print()
    console.print(_verdict(result))
    return console.text()


def check_verdict(result: CheckResult) -> str:
    """The verdict line of ``jiaokan check -q``."""
    return _verdict(result).plain + "\n"


def _verdict(result: CheckResult) -> Line:
    """The verdict line of ``jiaokan check``, styled."""
    failing = sum(w.status == "fail" for w in result.witnesses)
    errors = sum(w.status == "error" for w in result.witnesses)
    mark, mark_style = _MARK[result.verdict]
    verdict = Line(f"jiaokan check: {mark.split()[-1]}", style=mark_style)
    verdict.append(f" — {plural(len(result.witnesses), 'witness')}, {failing:,} with new findings at or above '{result.settings.fail_on}', {errors:,} unreadable")
    return verdict


_SEVERITY_ORDER = {"substantive": 0, "structural": 1, "framing": 2, "cosmetic": 3}


def _shown(text: str, limit: int = 120) -> str:
    """Original text on one line: breaks as ⏎, invisible characters spelled out, clipped to ``limit`` cells."""
    return clip(_visible(text.replace("\n", "⏎")), limit)


def short(text: str, n: int = 30) -> str:
    """Text shortened to ``n`` characters with the count left out (baseline entries, stale variants)."""
    return text if len(text) <= n else f"{text[:n]}…(+{len(text) - n:,} 字)"


_RELATION = {"verbatim": ("= verbatim  ", "green"), "drifted": ("≈ drifted   ", "yellow"), "paraphrase": ("~ paraphrase", "cyan"), "unsourced": ("· unsourced ", "dim")}


def trace_text(result: TraceResult, *, color: bool = False, width: int = 100) -> str:
    """Each passage of the derived text with its relation and source; then the source's coverage."""
    console = Sheet(color=color, width=width)
    summary = serialize.trace(result)["summary"]
    console.print(Line(f"jiaokan trace  source {_name(result.source.path)}  derived {_name(result.derived.path)}", style="bold"))
    console.print(Line("  ".join(f"{n} {r}" for r, n in _int_map(summary).items())))
    for p in result.passages:
        label, style = _RELATION[p.relation]
        line = Line(label, style=style).append(f"  {_where(result.derived.path, p.derived)}  ")
        line.append(_shown(p.derived.text, 100))
        console.print(line)
        if p.source is not None:
            console.print(Line(f"      from {_where(result.source.path, p.source)}  {one_line(p.heading)}", style="dim"))
        for f in p.findings:
            words = Line("      ")
            for text, st in _word_diff(f):
                words.append(text, style=st)
            console.print(words)
    c = result.coverage
    console.print()
    console.print(Line(f"source coverage: {plural(c.source_paragraphs, 'paragraph')} — {c.quoted} quoted, {c.paraphrased} paraphrased, {c.unused} not used", style="bold"))
    if c.dropped:
        console.print(Line(f"clauses of quoted sentences the derived text drops ({len(c.dropped)}):"))
        for d in c.dropped:
            console.print(Line(f"  {_where(result.source.path, d)}  ").append(_shown(d.text, 120), style="red"))
    return console.text()


def collate_text(result: Collation, *, color: bool = False, width: int = 100) -> str:
    """The base and why, the copies with their closest relative, then every variant place with each reading."""
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = sheet.console(buf, color, width)
    letters = [chr(ord("A") + k) if k < 26 else f"#{k}" for k in range(len(result.copies))]
    console.print(Text(f"jiaokan collate  {plural(len(result.copies), 'copy', 'copies')}, {plural(len(result.places), 'variant place')}", style="bold"))
    console.print(Text(f"base ({result.chosen}): {result.why}"))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("", "copy", "coverage", "partial", "substantive", "shares most unusual readings with"):
        table.add_column(name, justify="right" if name in ("coverage", "substantive") else "left")
    paths = [c.path for c in result.copies]
    for k, c in enumerate(result.copies):
        closest = f"{letters[paths.index(c.closest)]} ({len(c.shared)}: places {', '.join(map(str, c.shared))})" if c.closest else "—"
        role = " (base)" if k == result.base else ""
        table.add_row(letters[k], Text(_name(c.path) + role), f"{c.coverage:.0%}", "yes" if c.partial else "", str(c.substantive), closest)
    console.print(table)
    for p in result.places:
        console.print()
        console.print(Text(f"place {p.index}  {one_line(p.heading)}  ", style="bold").append(f"{_where(paths[result.base], p.base)}", style="dim"))
        groups: dict[str, list[str]] = {}
        for k, r in enumerate(p.readings):
            groups.setdefault("∅ no text here" if r is None else (_shown(r, 120) if r else "∅ omitted"), []).append(letters[k])
        majority = _shown(p.majority, 120) if p.majority else "∅ omitted"
        for reading, who in groups.items():
            mark = "majority " if reading == majority else "         "
            console.print(Text(f"  {mark}{''.join(who):<6} ").append(reading, style="green" if mark.strip() else "yellow"))
    return sheet.done(buf)


def scan_text(summary: Summary, *, color: bool = False, width: int = 100) -> str:
    """The end-of-scan table: documents by kind, the most frequent drifts, the documents with most findings."""
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = sheet.console(buf, color, width)
    data = serialize.scan_summary(summary)
    kinds = data["kinds"]
    assert isinstance(kinds, dict)
    console.print(Text(f"jiaokan scan: {plural(sum(kinds.values()), 'document')} — " + ", ".join(f"{n} {k}" for k, n in kinds.items()), style="bold"))
    drifts = data["drifts"]
    assert isinstance(drifts, list)
    if drifts:
        table = Table(title="most frequent drifts", show_header=True, header_style="bold", box=None, pad_edge=False, title_justify="left")
        table.add_column("base")
        table.add_column("copies read")
        table.add_column("in", justify="right")
        for d in drifts:
            table.add_row(Text(one_line(d["base"])), Text(one_line(d["copy"])), f"{d['documents']} of {plural(d['of'], 'reprint or excerpt', 'reprints and excerpts')}")
        console.print(table)
    worst = data["most_substantive"]
    assert isinstance(worst, list)
    if worst:
        table = Table(title="most substantive findings", show_header=True, header_style="bold", box=None, pad_edge=False, title_justify="left")
        table.add_column("document")
        table.add_column("substantive", justify="right")
        for w in worst:
            table.add_row(Text(_name(w["id"])), str(w["substantive"]))
        console.print(table)
    return sheet.done(buf)


# ---------------------------------------------------------------- watch

_WATCH_KIND = {"new-drift": ("NEW DRIFT", "bold red"), "fixed": ("fixed", "green"), "changed": ("changed", "cyan"), "gone": ("GONE", "bold magenta"), "back": ("back", "green"),
               "still-wrong": ("still wrong", "red"), "error": ("ERROR", "bold magenta")}
_WATCH_STATUS = {"same": "green", "drift": "bold red", "changed": "cyan", "gone": "bold magenta", "error": "bold magenta"}


def watch_text(result: WatchReport | CopyHistory | Watched, *, color: bool = False, width: int = 100) -> str:
    """A watch's report (what changed between two runs, by kind), one copy's timeline, or what is watched."""
    from jiaokan.watch import KINDS, CopyHistory, WatchReport

    sheet = Sheet(color=color, width=width)
    if isinstance(result, WatchReport):
        against = f"against run {result.against.id} ({result.against.started})" if result.against else "the first run"
        sheet.print(Line(f"jiaokan watch  run {result.run.id} ({result.run.started}), {against}", style="bold"))
        counts = {k: len(result.of(k)) for k in KINDS}
        sheet.print(", ".join(f"{n:,} {k}" for k, n in counts.items()) + f" — {plural(len(result.changes), 'copy', 'copies')}")
        for kind in KINDS:
            for c in result.of(kind):
                label, style = _WATCH_KIND[kind]
                sheet.print()
                line = Line(label, style=style).append(f"  {_name(c.copy.source)}  ({one_line(c.copy.base)})")
                if kind == "still-wrong" and c.wrong_since:
                    line.append(f"  since {c.wrong_since}", style="dim")
                sheet.print(line)
                shown = c.new if kind == "new-drift" else c.fixed if kind == "fixed" else c.now.findings if kind == "still-wrong" else ()
                for f in shown:
                    if not f.accepted:
                        sheet.print(Line(f"  {f.code}  line {f.line}:{f.column}  ", style="dim").append(
                            f"「{clip(one_line(f.base_original or f.base_text), 40)}」→「{clip(one_line(f.witness_original or f.witness_text), 40)}」"))
                if kind in ("gone", "error") and c.now.error:
                    sheet.print(Line(f"  {one_line(c.now.error)}", style="dim"))  # whole: its last part says how to fix it
                if kind == "changed" and c.now.final_url:
                    sheet.print(Line(f"  now at {_name(c.now.final_url)}", style="dim"))
        return sheet.text()
    if isinstance(result, CopyHistory):
        sheet.print(Line(f"jiaokan watch history  {_name(result.copy.source)}  ({one_line(result.copy.base)})", style="bold"))
        for info, r in result.runs:
            open_findings = sum(not f.accepted for f in r.findings)
            detail = f"{plural(open_findings, 'finding')}" if r.status == "drift" else one_line(r.error or "") if r.status in ("gone", "error") else ""
            sheet.print(Line(f"{info.started}  run {info.id:<4}  ").append(f"{r.status:<8}", style=_WATCH_STATUS[r.status]).append(
                f"  {(r.sha256 or '-')[:12]}  {clip(detail, max(16, width - 60))}".rstrip()))
        return sheet.text()
    sheet.print(Line(f"jiaokan watch: {plural(len(result.bases), 'base')}, {plural(len(result.copies), 'copy', 'copies')}", style="bold"))
    for b in result.bases:
        sheet.print()
        tags = "  ".join(one_line(f"{k}={v}") for k, v in b.tags)
        sheet.print(Line(f"{one_line(b.name)}", style="bold").append(f"  {_name(b.source)}" + (f"  {tags}" if tags else "")))
        for copy in result.copies:
            if copy.base == b.name:
                sheet.print(f"  {copy.id:>4}  {_name(copy.source)}")
    return sheet.text()


WATCH_CSV_COLUMNS = ("run", "started", "base", "copy", "tags", "status", "kinds", "wrong_since", "code", "base_text", "witness_text", "context", "line", "column",
                     "base_line", "base_column", "fingerprint", "http_status", "error")


def watch_csv(result: WatchReport | CopyHistory | Watched) -> str:
    """The inspection spreadsheet: a row per open finding (or per copy without one), UTF-8 with a BOM for Excel."""
    import csv

    from jiaokan.watch import CopyHistory, WatchReport

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(WATCH_CSV_COLUMNS)
    rows: list[tuple[RunInfo, Copy, CopyResult, str, str | None]] = []
    if isinstance(result, WatchReport):
        rows = [(result.run, c.copy, c.now, ",".join(c.kinds), c.wrong_since) for c in result.changes]
    elif isinstance(result, CopyHistory):
        rows = [(info, result.copy, r, "", None) for info, r in result.runs]
    else:
        raise ValueError("the list has no spreadsheet form (report and history have)")
    for info, copy, r, kinds, since in rows:
        head = [info.id, info.started, copy.base, copy.source, ";".join(f"{k}={v}" for k, v in copy.tags), r.status, kinds, since or ""]
        tail = [r.http_status or "", one_line(r.error or "")]
        open_findings: list[StoredFinding | None] = [f for f in r.findings if not f.accepted]
        for f in open_findings or [None]:
            # the texts as each file has them (what an inspector finds on the page), the places in both
            mid = [f.code, f.base_original, f.witness_original, f.context, f.line, f.column, f.base_line, f.base_column, f.fingerprint] if f else [""] * 9
            out.writerow([_cell(v) for v in (*head, *mid, *tail)])
    return "\ufeff" + buf.getvalue()


def _cell(value: object) -> str:
    """A spreadsheet cell that cannot run as a formula (=, +, -, @ first: CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
