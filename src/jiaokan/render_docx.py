"""A diff as a Word redline: the witness's text with each substantive finding a native tracked change against the base.

Why tracked changes: a drafting office reviews a reprint in Word, accepting or rejecting each change, with the
finding (code, message, both places) as a comment beside it.  What the document holds (docs/redline.md):

* the text is the witness's ORIGINAL text, line by line (a line is a paragraph); cosmetic differences are not marked,
  so outside substantive changes the witness's own wording stands;
* a substantive finding is ``w:del`` (the base's text, as jiaokan compared it: normalized) and/or ``w:ins`` (the
  witness's original text); a move is ``w:moveFrom`` at the place the base has it and ``w:moveTo`` where the witness
  has it; each carries a comment;
* the witness's own wrapper (framing) is left as it is, under one comment listing every framing finding.

So accepting every change gives the witness's text; rejecting every change gives the witness's text with the base's
wording put back wherever a substantive finding was: a text jiaokan finds no substantive difference in from the base.

Built from XML strings and :mod:`zipfile` (no template): the same inputs give the same bytes (fixed zip times; the
revision date from ``SOURCE_DATE_EPOCH``, else today at 00:00 UTC).
"""

from __future__ import annotations

import bisect
import io
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from xml.sax.saxutils import escape

from jiaokan.errors import InputError
from jiaokan.findings import FRAMING, SUBSTANTIVE, Finding, Kind, Parts
from jiaokan.patterns import compiled

if TYPE_CHECKING:
    from jiaokan.diff import DiffResult
    from jiaokan.findings import Span

AUTHOR = "jiaokan"

State = Literal["normal", "ins", "del", "moveFrom", "moveTo"]

# characters XML 1.0 cannot hold (C0 controls but tab, newline, carriage return; the form feed is a page break here)
_NOT_XML = compiled("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]")


def run_date(environ: dict[str, str] | None = None) -> str:
    """The revisions' date, ISO 8601: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today at 00:00Z."""
    env = os.environ if environ is None else environ
    value = env.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        try:
            moment = datetime.fromtimestamp(int(value), UTC)
        except (ValueError, OverflowError, OSError):
            raise InputError(f"SOURCE_DATE_EPOCH={value[:40]!r}: is not a date", "it must be a whole number of seconds since 1970-01-01 UTC",
                             "set it to e.g. $(git log -1 --format=%ct), or unset it") from None
    else:
        moment = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Change:
    """One tracked change in witness coordinates: ``removed`` (base text) shown at ``at``, witness ``[start, end)`` added."""

    start: int
    end: int
    removed: str
    finding: Finding
    move_from: int | None = None  # a move: where, in the witness's text, the base had the passage


@dataclass(frozen=True, slots=True)
class Redline:
    """The parts of a redline, before they are zipped (tests and the docs' figures read the counts)."""

    document: str
    comments: str
    revisions: int
    comments_count: int
    left_out: int  # substantive places not marked: they overlap one marked already


def _loc(span: Span, path: str) -> str:
    page = f" (p.{span.page}, line {span.page_line})" if span.page is not None else ""
    return f"{path}:{span.line}:{span.column}{page}"


def _comment_text(f: Finding, result: DiffResult) -> str:
    return f"{f.code}: {f.message}\nbase: {_loc(f.base, result.base.path)}\nwitness: {_loc(f.witness, result.witness.path)}"


def _base_text(result: DiffResult, f: Finding) -> str:
    """The base's side of a finding as jiaokan compared it: its stream text, a line break where a base paragraph starts."""
    seg = result.base_seg
    if seg is None or f.stream is None:
        return f.base_norm
    a1, a2 = f.stream[0], f.stream[1]
    starts = {p.start for p in seg.paragraphs}
    return "".join(("\n" if i in starts and i > a1 else "") + seg.stream[i] for i in range(a1, a2))


def _whole_paragraphs(result: DiffResult, f: Finding) -> bool:
    """Does the base side cover whole base paragraphs (then it is shown as paragraphs of its own)?"""
    seg = result.base_seg
    if seg is None or f.stream is None or f.stream[0] == f.stream[1]:
        return False
    starts = {p.start for p in seg.paragraphs}
    ends = {p.end for p in seg.paragraphs}
    return f.stream[0] in starts and f.stream[1] in ends


def _as_paragraphs(removed: str, text: str, at: int) -> str:
    """Whole base paragraphs removed at ``at``: lines of their own, before the line ``at`` starts or after the one it
    ends, apart as the witness's paragraphs are there (by a blank line, or not)."""
    sep = "\n\n" if "\n\n" in (text[max(0, at - 2):at], text[at:at + 2]) else "\n"
    removed = removed.replace("\n", sep)
    if at == 0 or text[at - 1] == "\n":
        return removed + sep
    if at == len(text) or text[at] == "\n":
        return sep + removed
    return removed


def _witness_at(result: DiffResult, b_stream: int) -> int:
    """Witness stream position → offset in the witness's original text."""
    seg = result.witness_seg
    assert seg is not None
    if b_stream >= len(seg.stream):
        return len(result.witness.text)
    # the start of the paragraph's first line when the position opens a paragraph: a moved paragraph lands on its own line
    return seg.original_span(b_stream, b_stream)[0]


def _from_place(result: DiffResult, a: int) -> int:
    """Where base stream position ``a`` falls in the witness (through the alignment's ops), as a witness offset."""
    best = 0
    for op in result.pairing:
        if op.a1 <= a <= op.a2:
            return _witness_at(result, op.b1 + (a - op.a1) if op.tag == "equal" else op.b1)
        if op.a2 <= a:
            best = op.b2
    return _witness_at(result, best)


def changes(result: DiffResult) -> tuple[list[Change], list[Finding], int]:
    """The tracked changes (in witness order, none overlapping), the comment-only findings (edits inside a move),
    and how many substantive places were left out for overlapping."""
    text = result.witness.text
    wanted: list[Change] = []
    inner: list[Finding] = []
    for f in result.findings:
        if f.severity != SUBSTANTIVE:
            continue
        if f.info.kind == Kind.MOVE and f.stream is not None and result.witness_seg is not None:
            removed = _base_text(result, f)
            at = _from_place(result, f.stream[0])
            if _whole_paragraphs(result, f):
                removed = _as_paragraphs(removed, text, at)
            wanted.append(Change(f.witness.start, f.witness.end, removed, f, move_from=at))
            if f.parts_kind == Parts.EDITS:
                inner.extend(p for part in f.parts for p in part.places())
            continue
        for p in f.places():
            removed = _base_text(result, p) if p.base.start < p.base.end or p.base_norm else ""
            if removed and p.witness.start == p.witness.end and _whole_paragraphs(result, p):
                removed = _as_paragraphs(removed, text, p.witness.start)
            wanted.append(Change(p.witness.start, p.witness.end, removed, p))
    wanted.sort(key=lambda c: (c.start, c.end, c.finding.stream[0] if c.finding.stream else 0))
    kept: list[Change] = []
    taken: list[tuple[int, int]] = []  # witness ranges held (a move's "from" point counts as a point)
    left_out = 0
    for c in wanted:
        ranges = [(c.start, c.end)] + ([(c.move_from, c.move_from)] if c.move_from is not None else [])
        if any(_overlaps(r, t) for r in ranges for t in taken):
            left_out += 1
            continue
        kept.append(c)
        taken.extend(ranges)
    return kept, inner, left_out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] and b[0] == b[1]:
        return False  # two removals at one place: both shown, in the base's order
    if a[0] == a[1]:
        return b[0] < a[0] < b[1]
    if b[0] == b[1]:
        return a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


# ---------------------------------------------------------------- the stream of pieces, then paragraphs


@dataclass(frozen=True, slots=True)
class _Piece:
    state: State
    text: str = ""
    mark: str = ""  # "cstart"/"cend" (a comment's range), "mfs"/"mfe"/"mts"/"mte" (a move's range); empty for text
    ident: int = 0


def _pieces(result: DiffResult, kept: list[Change], framing_range: tuple[int, int] | None) -> tuple[list[_Piece], dict[int, str]]:
    text = result.witness.text
    comments: dict[int, str] = {}
    events: list[tuple[int, int, list[_Piece]]] = []  # (offset, order, pieces to emit there); order: ends before starts
    next_id = 0
    for n, c in enumerate(kept, 1):
        cid = next_id
        next_id += 1
        comments[cid] = _comment_text(c.finding, result)
        if c.move_from is not None:
            name = f"move{n}"
            events.append((c.move_from, 1, [_Piece("normal", mark="mfs", ident=n, text=name), _Piece("moveFrom", c.removed), _Piece("normal", mark="mfe", ident=n)]))
            events.append((c.start, 1, [_Piece("normal", mark="cstart", ident=cid), _Piece("normal", mark="mts", ident=n, text=name)]))
            events.append((c.end, 0, [_Piece("normal", mark="mte", ident=n), _Piece("normal", mark="cend", ident=cid)]))
        elif c.start == c.end:  # a deletion: one place
            events.append((c.start, 1, [_Piece("normal", mark="cstart", ident=cid), _Piece("del", c.removed), _Piece("normal", mark="cend", ident=cid)]))
        else:
            events.append((c.start, 1, [_Piece("normal", mark="cstart", ident=cid), *([_Piece("del", c.removed)] if c.removed else [])]))
            events.append((c.end, 0, [_Piece("normal", mark="cend", ident=cid)]))
    if framing_range is not None:
        cid = next_id
        next_id += 1
        framings = [f for f in result.findings if f.severity == FRAMING]
        lines = [f"framing: the copies' own wrappers, not compared ({len(framings)} place{'s' if len(framings) != 1 else ''})"]
        lines += [_comment_text(f, result) for f in framings]
        comments[cid] = "\n".join(lines)
        if framing_range[0] == framing_range[1]:
            events.append((framing_range[0], 2, [_Piece("normal", mark="cstart", ident=cid), _Piece("normal", mark="cend", ident=cid)]))
        else:
            events.append((framing_range[0], 2, [_Piece("normal", mark="cstart", ident=cid)]))
            events.append((framing_range[1], -1, [_Piece("normal", mark="cend", ident=cid)]))
    events.sort(key=lambda e: (e[0], e[1]))
    inserted = {(c.start, c.end) for c in kept if c.move_from is None}
    moved = {(c.start, c.end) for c in kept if c.move_from is not None}
    bounds: list[tuple[int, int, State]] = sorted([(s, e, "ins") for s, e in inserted if s < e] + [(s, e, "moveTo") for s, e in moved if s < e])
    pieces: list[_Piece] = []
    pos = 0

    def emit_text(upto: int) -> None:
        nonlocal pos
        while pos < upto:
            i = bisect.bisect_right(bounds, (pos, len(text) + 1, "normal")) - 1
            if i >= 0 and bounds[i][0] <= pos < bounds[i][1]:
                stop, state = min(upto, bounds[i][1]), bounds[i][2]
            else:
                nxt = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
                stop, state = min(upto, nxt), "normal"
            pieces.append(_Piece(state, text[pos:stop]))
            pos = stop

    for offset, _, group in events:
        emit_text(offset)
        pieces.extend(group)
    emit_text(len(text))
    return pieces, comments


def _framing_range(result: DiffResult) -> tuple[int, int] | None:
    framings = [f for f in result.findings if f.severity == FRAMING]
    if not framings:
        return None
    own = [f.witness for f in framings if f.witness.start < f.witness.end]
    if not own:
        return (0, 0)
    return (min(s.start for s in own), max(s.end for s in own))


# ---------------------------------------------------------------- XML


def _t(text: str, tag: str) -> str:
    """Runs' content for ``text`` (no line breaks): tabs as w:tab, a form feed as a page break."""
    out: list[str] = []
    for part in re.split(r"([\t\f])", _NOT_XML.sub("", text.replace("\r", ""))):
        if part == "\t":
            out.append("<w:tab/>")
        elif part == "\f":
            out.append('<w:br w:type="page"/>')
        elif part:
            out.append(f'<w:{tag} xml:space="preserve">{escape(part)}</w:{tag}>')
    return "".join(out)


class _Writer:
    def __init__(self, date: str) -> None:
        self.date = date
        self.paragraphs: list[str] = []
        self.body: list[str] = []
        self.rev = 1000  # revision ids, apart from comment ids
        self.revisions = 0

    def attrs(self) -> str:
        self.rev += 1
        return f'w:id="{self.rev}" w:author="{AUTHOR}" w:date="{self.date}"'

    def run(self, state: State, text: str) -> None:
        if not text:
            return
        if state == "normal":
            self.body.append(f"<w:r>{_t(text, 't')}</w:r>")
            return
        self.revisions += 1
        tag = "delText" if state == "del" else "t"
        self.body.append(f"<w:{state} {self.attrs()}><w:r>{_t(text, tag)}</w:r></w:{state}>")

    def end_paragraph(self, state: State) -> None:
        mark = "" if state == "normal" else f"<w:rPr><w:{state} {self.attrs()}/></w:rPr>"
        self.paragraphs.append(f'<w:p><w:pPr><w:pStyle w:val="Body"/>{mark}</w:pPr>{"".join(self.body)}</w:p>')
        self.body = []

    def marker(self, p: _Piece) -> None:
        if p.mark == "cstart":
            self.body.append(f'<w:commentRangeStart w:id="{p.ident}"/>')
        elif p.mark == "cend":
            self.body.append(f'<w:commentRangeEnd w:id="{p.ident}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{p.ident}"/></w:r>')
        elif p.mark in ("mfs", "mts"):
            tag = "moveFromRangeStart" if p.mark == "mfs" else "moveToRangeStart"
            self.body.append(f'<w:{tag} w:id="{500 + 2 * p.ident + (p.mark == "mts")}" w:author="{AUTHOR}" w:date="{self.date}" w:name="{p.text}"/>')
        else:
            tag = "moveFromRangeEnd" if p.mark == "mfe" else "moveToRangeEnd"
            self.body.append(f'<w:{tag} w:id="{500 + 2 * p.ident + (p.mark == "mte")}"/>')


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def build(result: DiffResult, *, date: str | None = None) -> Redline:
    """The redline's document and comments parts (XML), and what they hold."""
    if result.witness_seg is None:
        raise ValueError("a redline needs the full diff result, not a light() one")
    day = date or run_date()
    kept, inner, left_out = changes(result)
    pieces, comments = _pieces(result, kept, _framing_range(result))
    w = _Writer(day)
    for p in pieces:
        if p.mark:
            w.marker(p)
            continue
        lines = p.text.split("\n")
        for k, line in enumerate(lines):
            w.run(p.state, line)
            if k < len(lines) - 1:
                w.end_paragraph(p.state)
    w.end_paragraph("normal")
    # edits inside a moved passage: comments at the move's end, no revision of their own (the move shows the text)
    extra: list[str] = []
    for f in inner:
        cid = len(comments)
        comments[cid] = _comment_text(f, result)
        extra.append(f'<w:commentRangeStart w:id="{cid}"/><w:commentRangeEnd w:id="{cid}"/><w:r><w:commentReference w:id="{cid}"/></w:r>')
    if extra:
        last = w.paragraphs[-1]
        w.paragraphs[-1] = last[: -len("</w:p>")] + "".join(extra) + "</w:p>"
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" '
            'w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}><w:body>'
                + "".join(w.paragraphs) + sect + "</w:body></w:document>")
    items = []
    for cid, body in comments.items():
        paras = "".join(f'<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr><w:r><w:t xml:space="preserve">{escape(_NOT_XML.sub("", line))}</w:t></w:r></w:p>'
                        for line in body.split("\n"))
        items.append(f'<w:comment w:id="{cid}" w:author="{AUTHOR}" w:date="{day}" w:initials="JK">{paras}</w:comment>')
    comments_xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {_W}>' + "".join(items) + "</w:comments>"
    return Redline(document, comments_xml, w.revisions, len(comments), left_out)


_FONTS = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/>'
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {_W}><w:docDefaults><w:rPrDefault><w:rPr>{_FONTS}<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>\
<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body Text (FangSong)"/><w:basedOn w:val="Normal"/><w:qFormat/>\
<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋" w:cs="Times New Roman" w:hint="eastAsia"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>\
<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>\
</w:styles>"""
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"""
_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"""
_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {_W}><w:trackRevisions/><w:defaultTabStop w:val="420"/>\
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"""


def _core(result: DiffResult, date: str) -> str:
    title = escape(f"jiaokan redline: {result.witness.path} against {result.base.path}")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{title}</dc:title><dc:creator>{AUTHOR}</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>')


def docx(result: DiffResult, *, date: str | None = None) -> bytes:
    """The redline as ``.docx`` bytes: the same result and date give the same bytes."""
    day = date or run_date()
    red = build(result, date=day)
    parts = [("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS), ("docProps/core.xml", _core(result, day)),
             ("word/document.xml", red.document), ("word/_rels/document.xml.rels", _DOC_RELS), ("word/styles.xml", _STYLES),
             ("word/settings.xml", _SETTINGS), ("word/comments.xml", red.comments)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, xml in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, xml.encode("utf-8"), compresslevel=9)
    return buf.getvalue()
