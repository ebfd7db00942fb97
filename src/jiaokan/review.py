"""The side-by-side review: rows of aligned paragraphs, the ORIGINAL text cut into marked pieces.

``build_review(base, [diff results])`` turns diffs into what the HTML page
shows; the renderer (``render_html``) only loops and escapes.

- Rows follow the base's paragraphs.  Each witness's text is partitioned
  among them by projecting the base's paragraph starts through the alignment,
  so a paragraph a page break split in two, or two merged, still sits in one
  row, and an added paragraph sits in the row it follows.  The cells of a
  column cover the whole original text, in order: nothing is dropped.
- Text is shown as the original reads (traditional characters, ruby, page
  breaks and all), with only markup taken out: an HTML page shows its text,
  not its tags.
- Substantive and framing findings are marked on both sides; cosmetic ones
  on the witness side only (the base is the reference), which keeps the page
  small with many witnesses.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from jiaokan import serialize
from jiaokan.config import Settings
from jiaokan.diff import DiffResult
from jiaokan.findings import COSMETIC, FRAMING, REGISTRY, STRUCTURAL, SUBSTANTIVE, Code, Finding, Kind, Parts, Severity
from jiaokan.ingest import Document
from jiaokan.normalize import rule_markup
from jiaokan.patterns import compiled
from jiaokan.segment import Segmented
from jiaokan.textmap import MappedText

KINDS = tuple(str(k) for k in Kind)
Gap = Literal["omitted", "moved", ""]
_MARKER = compiled(r"^([一二三四五六七八九十百]+)?(（[一二三四五六七八九十百]+）)?(\d{1,3}[.．])?")


def kind_of(code: str, severity: Severity) -> Kind:
    """The colour-and-symbol family a finding is shown in (the registry's; a reading made substantive by
    configuration shows as a substitution)."""
    if severity == COSMETIC:
        return Kind.COSMETIC
    kind = REGISTRY[code].kind
    return Kind.SUBSTITUTION if kind == Kind.COSMETIC else kind


@dataclass(frozen=True, slots=True)
class Shown:
    """A finding as the page lists it."""

    witness: int  # which witness column
    code: Code
    severity: Severity
    kind: Kind
    base_at: tuple[int, int]  # line, column in the base's original
    witness_at: tuple[int, int]
    message: str
    parent: int = -1  # the finding (index into Review.findings) it is a place or an inner edit of; -1 for one listed itself
    column: int = -1  # the column where its first piece is (0 the base, 1 + witness), -1 when not marked
    count: int = 0  # the places it stands for (a group, a run), the edits inside it (a move) or its paragraphs (a unit)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of original text under the same findings; empty text is a point (an insertion or omission place)."""

    text: str
    marks: tuple[int, ...]  # indexes into Review.findings, outermost first
    anchors: tuple[int, ...] = ()  # findings whose first piece in this column this is (the id a link goes to)


@dataclass(frozen=True, slots=True)
class Cell:
    pieces: tuple[Piece, ...]
    blank: bool  # no visible text
    framing: bool  # all its visible text is a copy's own wrapper
    gap: Gap  # nothing here where the base has text: "omitted" (this copy drops it) or "moved" (it is elsewhere), or ""
    tail: str = ""  # the line breaks that end it (between paragraphs): kept, not shown


@dataclass(frozen=True, slots=True)
class Row:
    label: str  # the heading markers it falls under: 三（一）1.
    heading: str  # the whole heading path, e.g. 三（一）强化安全管理责任
    base: Cell
    witnesses: tuple[Cell, ...]
    framing: bool  # every cell is blank or wrapper: shown collapsed
    blank: bool = False  # nothing to draw (only whitespace before the first paragraph)


@dataclass(frozen=True, slots=True)
class WitnessInfo:
    path: str
    summary: dict[str, object]
    by_code: dict[str, int]
    severity: dict[str, Severity]  # of each code counted


@dataclass(frozen=True, slots=True)
class Review:
    base: str
    witnesses: tuple[WitnessInfo, ...]
    rows: tuple[Row, ...]
    findings: tuple[Shown, ...]
    targets: frozenset[tuple[int, int]]  # (finding, column) where n/p land for each substantive finding: one place each

    def listed(self) -> list[tuple[int, tuple[int, ...]]]:
        """The findings list: (finding, its places or inner edits) for each finding the report lists (not cosmetic
        ones, not the places a group stands for), in order."""
        children: dict[int, list[int]] = {}
        for k, f in enumerate(self.findings):
            if f.parent >= 0:
                children.setdefault(f.parent, []).append(k)
        return [(k, tuple(children.get(k, ()))) for k, f in enumerate(self.findings) if f.parent < 0 and f.severity != COSMETIC]

    @property
    def blocks(self) -> list[tuple[bool, list[Row]]]:
        """Consecutive rows grouped as (framing, rows): wrapper rows are shown collapsed together."""
        out: list[tuple[bool, list[Row]]] = []
        for row in self.rows:
            if row.blank:
                continue
            if out and out[-1][0] == row.framing:
                out[-1][1].append(row)
            else:
                out.append((row.framing, [row]))
        return out

    def counts(self) -> list[tuple[str, str, list[int]]]:
        """(code, severity, count per witness) for every code any witness has, substantive first."""
        severity = {c: s for w in self.witnesses for c, s in w.severity.items()}
        codes = sorted(severity, key=lambda c: (_ORDER.get(severity[c], 9), c))
        return [(c, severity[c], [w.by_code.get(c, 0) for w in self.witnesses]) for c in codes]


_ORDER: dict[str, int] = {SUBSTANTIVE: 0, STRUCTURAL: 1, FRAMING: 2, COSMETIC: 3}


# ---------------------------------------------------------------- building


class Display:
    """A document's text as shown: the original with markup out, and where each character came from."""

    def __init__(self, doc: Document) -> None:
        mapped = MappedText.identity(doc.text)
        if doc.format == "html":
            mapped = rule_markup(mapped, doc)  # the markup rule alone, without paragraph assembly
        self.text = mapped.text
        self.starts = mapped.starts

    def index(self, offset: int) -> int:
        """Display index of the first character at or after original ``offset``."""
        return bisect.bisect_left(self.starts, offset)

    def span(self, start: int, end: int) -> tuple[int, int]:
        i = self.index(start)
        return i, max(i, self.index(end))


def _stream_starts(seg: Segmented) -> list[int]:
    """Original offset where stream character k starts (and the document's end after the last)."""
    return [*seg.original_starts(), len(seg.normalized.document.text)]


def project_starts(result: DiffResult, xs: Sequence[int]) -> list[int]:
    """Witness stream offsets of base stream offsets ``xs`` (ascending): what aligns before x goes before.

    Inside a replaced passage the place is proportional, snapped to the nearest witness paragraph start
    in that passage, so that a witness paragraph is not cut in two where a base one ends.  The ops are the
    diff's *pairing*: in the wrappers, only passages it paired count.
    """
    assert result.witness_seg is not None
    para_starts = [p.start for p in result.witness_seg.paragraphs]
    para_set = {*para_starts, len(result.witness_seg.stream)}
    ops = sorted(result.pairing, key=lambda op: (op.a1, op.a2))
    out = []
    pos = 0
    k = 0
    for x in xs:
        while k < len(ops) and ops[k].a2 <= x:
            op = ops[k]
            if op.tag == "insert" and op.a1 == x and op.b2 not in para_set:
                break  # words added at the very start of this paragraph, glued to its text: they belong to it
            pos = max(pos, op.b2)
            k += 1
        at = pos
        if k < len(ops) and ops[k].a1 < x:  # x falls inside this op
            op = ops[k]
            if op.tag == "equal":
                at = op.b1 + (x - op.a1)
            elif op.tag == "replace":
                at = op.b1 + (x - op.a1) * (op.b2 - op.b1) // (op.a2 - op.a1)
                lo, hi = bisect.bisect_left(para_starts, op.b1), bisect.bisect_right(para_starts, op.b2)
                if lo < hi:
                    at = min(para_starts[lo:hi], key=lambda s: abs(s - at))
            else:
                at = op.b1
        elif k < len(ops):
            at = ops[k].b1  # witness text compared with nothing (moved, or a wrapper's own) stays with the row before
        pos = max(pos, at)
        out.append(pos)
    return out


def _label(heading: str) -> str:
    m = _MARKER.match(heading)
    return "".join(g for g in m.groups() if g) if m else ""


@dataclass(slots=True)
class _Mark:
    start: int  # display offsets
    end: int
    finding: int
    severity: Severity


def _cells(display: Display, bounds: list[int], marks: list[_Mark]) -> list[list[Piece]]:
    """Cut the display text at ``bounds`` (display offsets of row starts) and the marks' edges."""
    marks = sorted(marks, key=lambda m: (m.start, -m.end, m.finding))
    out: list[list[Piece]] = []
    open_: list[_Mark] = []
    seen: set[int] = set()

    def piece(text: str, covering: tuple[int, ...]) -> Piece:
        firsts = tuple(f for f in covering if f not in seen)
        seen.update(firsts)
        return Piece(text, covering, firsts)

    k = 0
    for row in range(len(bounds) - 1):
        lo, hi = bounds[row], bounds[row + 1]
        # a mark overlaps [lo, hi); a point at p belongs to the row with lo < p <= hi (an insertion
        # between two paragraphs shows at the end of the first), or to the first row when p is 0
        while k < len(marks) and (marks[k].start < hi or (marks[k].start == marks[k].end == hi)):
            open_.append(marks[k])
            k += 1
        open_ = [m for m in open_ if (m.end > lo if m.start < m.end else (m.start > lo or m.start == lo == 0))]
        cuts = {lo, hi}
        for m in open_:
            cuts.update(c for c in (m.start, m.end) if lo < c < hi)
        points = sorted((m for m in open_ if m.start == m.end), key=lambda m: (m.start, m.finding))
        pieces: list[Piece] = []
        edges = sorted(cuts)
        p = 0
        for a, b in itertools.pairwise(edges):
            while p < len(points) and points[p].start <= a:
                pieces.append(piece("", (points[p].finding,)))
                p += 1
            covering = tuple(m.finding for m in open_ if m.start <= a and m.end >= b and m.start < m.end)
            pieces.append(piece(display.text[a:b], covering))
        while p < len(points):
            pieces.append(piece("", (points[p].finding,)))
            p += 1
        out.append(pieces)
    return out


_SPACE = "\r\n \t\u3000\u2003\u2002\xa0"


def _cell(pieces: list[Piece], framing_of: Callable[[Piece], bool]) -> Cell:
    visible = [pc for pc in pieces if pc.text.strip()]
    blank = not visible
    framing = not blank and all(framing_of(pc) for pc in visible)
    # the whitespace that ends a cell (the break before the next paragraph, and its indent) is kept, not drawn
    tail = ""
    last = max((i for i, pc in enumerate(pieces) if pc.text), default=-1)
    if last >= 0 and not pieces[last].marks:
        piece = pieces[last]
        kept = piece.text.rstrip(_SPACE)
        tail = piece.text[len(kept):]
        pieces = pieces[:last] + ([Piece(kept, piece.marks, piece.anchors)] if kept else []) + pieces[last + 1:]
    return Cell(tuple(pieces), blank, framing, gap="", tail=tail)


def build_review(base: Document, results: Sequence[DiffResult]) -> Review:
    """Rows of aligned paragraphs of ``base`` and each result's witness, with every finding placed."""
    if not results:
        raise ValueError("a review needs at least one witness")
    base_seg = results[0].base_seg
    assert base_seg is not None, "build_review needs full diff results, not light() ones"
    paras = base_seg.paragraphs
    base_display = Display(base)
    base_stream_starts = _stream_starts(base_seg)
    # base rows: row 0 holds what precedes the witnesses' own beginnings; row k+1 is base paragraph k
    base_bounds = [0, 0] + [base_display.index(base_stream_starts[p.start]) for p in paras[1:]] + [len(base_display.text)]
    if not paras:  # nothing left to compare in the base (found by fuzzing: "<div>"): one row holds all its text
        base_bounds = [0, len(base_display.text)]
    findings: list[Shown] = []
    base_marks: list[_Mark] = []
    columns: list[list[list[Piece]]] = []
    infos = []
    targets: set[tuple[int, int]] = set()
    for j, result in enumerate(results):
        assert result.witness_seg is not None and result.alignment is not None, "build_review needs full diff results"
        display = Display(result.witness)
        w_starts = _stream_starts(result.witness_seg)
        projected = project_starts(result, [p.start for p in paras])
        w_bounds = [0] + [display.index(w_starts[x]) for x in projected] + [len(display.text)]
        marks: list[_Mark] = []

        def place(f: Finding, shown: Shown, display: Display = display, j: int = j, marks: list[_Mark] = marks) -> None:
            """Mark one finding's text on both sides (as far as it tells something) and list it (this witness's
            display, column and marks bound here: it is called within this pass of the loop only)."""
            fid = len(findings)
            ws, we = display.span(f.witness.start, f.witness.end)
            bs, be = base_display.span(f.base.start, f.base.end)
            # points only where they tell something: not for cosmetic or framing, and not where a whole
            # paragraph or metadata line is omitted (a gap shows beside it)
            on_witness = we > ws or (shown.severity == SUBSTANTIVE and not REGISTRY[f.code].gap)
            on_base = shown.severity != COSMETIC and (be > bs or shown.severity == SUBSTANTIVE)
            findings.append(replace(shown, column=1 + j if on_witness else 0 if on_base else -1))
            if on_witness:
                marks.append(_Mark(ws, we, fid, shown.severity))
            if on_base:
                base_marks.append(_Mark(bs, be, fid, shown.severity))
            if shown.severity == SUBSTANTIVE:
                targets.add((fid, 1 + j if on_witness and (we > ws or not on_base) else 0))

        for f in result.findings:
            if f.parts_kind == Parts.PLACES:
                # a group or a run is one entry of the list; each of its places is marked in the text, in its colour
                gid = len(findings)
                places = f.places()
                findings.append(replace(_shown(j, f), count=len(places)))
                for p in places:
                    place(p, replace(_shown(j, p), severity=f.severity, kind=kind_of(f.code, f.severity), parent=gid))
                continue
            top = len(findings)
            inner = f.places()[1:] if f.parts_kind == Parts.EDITS else ()
            place(f, replace(_shown(j, f), count=len(inner) if f.parts_kind == Parts.EDITS else len(f.parts)))
            for e in inner:  # a moved passage's own edits, marked inside it
                place(e, replace(_shown(j, e), parent=top))
        columns.append(_cells(display, w_bounds, marks))
        by_code = dict(result.summary.by_code)
        infos.append(WitnessInfo(result.witness.path, serialize.summary(result.summary), by_code, {c: result.severity_of(c) for c in by_code}))
    base_cells = _cells(base_display, base_bounds, base_marks)

    def framing_for(j: int) -> Callable[[Piece], bool]:
        return lambda pc: any(findings[f].severity == FRAMING and findings[f].witness == j for f in pc.marks)

    rows = []
    for r in range(len(base_cells)):
        heading = paras[r - 1].heading if r > 0 else ""
        # the base's text is wrapper only if every witness says so
        per_witness = [_cell(base_cells[r], framing_for(j)) for j in range(len(results))]
        base_cell = Cell(per_witness[0].pieces, per_witness[0].blank, all(c.framing for c in per_witness), "", per_witness[0].tail)
        cells = []
        for j, col in enumerate(columns):
            cell = _cell(col[r], framing_for(j))
            if cell.blank and not base_cell.blank and not per_witness[j].framing:
                kinds = {findings[f].kind for p in base_cell.pieces for f in p.marks if findings[f].witness == j and findings[f].severity == SUBSTANTIVE}
                gap: Gap = "moved" if kinds == {Kind.MOVE} else "omitted" if kinds else ""
                cell = Cell(cell.pieces, True, False, gap=gap, tail=cell.tail)
            cells.append(cell)
        all_cells = [base_cell, *cells]
        framing = any(not c.blank for c in all_cells) and all(c.blank or c.framing for c in all_cells)
        blank = all(c.blank and not c.gap for c in all_cells) and not any(p.marks for c in all_cells for p in c.pieces)
        rows.append(Row(_label(heading), heading, base_cell, tuple(cells), framing, blank))
    return Review(base.path, tuple(infos), tuple(rows), tuple(findings), frozenset(targets))


def _shown(j: int, f: Finding) -> Shown:
    return Shown(
        witness=j,
        code=f.code,
        severity=f.severity,
        kind=kind_of(f.code, f.severity),
        base_at=(f.base.line, f.base.column),
        witness_at=(f.witness.line, f.witness.column),
        message=f.message if f.severity != COSMETIC else "",
    )


def review_documents(base: Document, witnesses: Sequence[Document], *, settings: Settings | None = None) -> Review:
    """Diff each witness against ``base`` (the base prepared once) and build the review."""
    from jiaokan.diff import diff_prepared
    from jiaokan.prepare import prepare

    prepared = prepare(base, settings=settings)
    return build_review(base, [diff_prepared(prepared, prepare(w, settings=settings), settings=settings) for w in witnesses])
