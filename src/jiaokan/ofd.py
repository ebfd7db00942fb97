"""Reading OFD (GB/T 33190-2016), the national fixed-layout format of electronic official documents.

An OFD is a ZIP package of XML parts.  Its text is not a stream but glyphs placed on pages: each
``TextObject`` holds ``TextCode`` runs whose characters stand at ``X``/``Y`` plus the ``DeltaX``/``DeltaY``
advances.  We read the package in the document's own order (``OFD.xml`` → ``DocBody/DocRoot`` →
``Document.xml`` → ``Pages/Page@BaseLoc`` → each page's ``Content.xml``), place every glyph on its page,
group glyphs into lines by baseline and lines into paragraphs by the page's geometry (indent, right edge,
line pitch), which tells a wrapped line from a paragraph's end far better than any guess from the text.

The result is what ``.docx`` gives: one paragraph a line, and, as for PDF, ``"\\n\\f\\n"`` between pages, so
the layout rule sees page breaks (page numbers, a paragraph cut by a page break).  A page template shared by
pages (a running header or footer) is read once: its lines above the pages' text open the document, its
lines below it close the document, where the diff treats a copy's own wrapper as framing (docs/ofd.md).

Bounded like ``.docx``: the package's declared inflation and the bytes actually inflated are capped at
:data:`jiaokan.ingest.DOCX_LIMIT`, the text at :func:`jiaokan.ingest.check_text_size`; an XML part that
declares a DTD (the only way to entities and their expansion) is refused before parsing.
"""

from __future__ import annotations

import io
import itertools
import math
import posixpath
import re
import statistics
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from jiaokan import ingest
from jiaokan.errors import InputError
from jiaokan.ingest import check_text_size, extract_metadata, max_chars
from jiaokan.patterns import compiled

Fields = tuple[tuple[str, str], ...]
_FIX = "open it in an OFD reader (数科, 福昕, 永中) and save or export it again, or export it as PDF or text"
_DTD = compiled(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def is_ofd(data: bytes) -> bool:
    """Is this ZIP an OFD package (``OFD.xml`` at its root)?  What tells it from a ``.docx``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(name.lower() == "ofd.xml" for name in zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False


def ofd_text(data: bytes, path: str) -> tuple[str, Fields]:
    """The text of every page of an OFD, in reading order, and what its ``DocInfo`` says."""
    package = _Package(data, path)
    try:
        text, fields = package.read()
    finally:
        package.close()
    made = dict(fields).get("ofd:creationdate")
    if made and extract_metadata(text).date is None:
        fields = (*fields, ("date", made))  # the file's date only when the document gives none of its own
    return text, fields


# --------------------------------------------------------------------------
# the package


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ElementTree.Element | None, name: str) -> Iterator[ElementTree.Element]:
    """Children named ``name`` in any namespace: producers write ``http://www.ofdspec.org/2016``, or without
    the year, or none."""
    return (c for c in (el if el is not None else ()) if _local(c.tag) == name)


def _child(el: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    return next(_children(el, name), None)


def _text(el: ElementTree.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


class _Package:
    """The ZIP, its parts found by the paths the XML gives, every byte inflated counted."""

    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
            raise self.broken("it is not a ZIP package (the file is damaged, cut short, or not an OFD)") from exc
        self.names = {i.filename.replace("\\", "/").lstrip("/"): i.filename for i in infos}
        self.folded = {k.lower(): v for k, v in self.names.items()}
        self.limit = ingest.DOCX_LIMIT  # read when called: one limit for .docx and .ofd
        self.budget = self.limit
        if any(i.flag_bits & 0x1 for i in infos) or any(posixpath.basename(k).lower() == "encryptions.xml" for k in self.names):
            raise self.encrypted()
        total = sum(i.file_size for i in infos)
        if total > self.limit:
            raise InputError(f"{path}: OFD package expands to {total:,} bytes", "that is far beyond any document (a zip bomb?)",
                             "check where the file came from; export it as PDF or text if it is genuine")
        self.templates: dict[str, list[_Line]] = {}

    def close(self) -> None:
        self.zf.close()

    def broken(self, why: str) -> InputError:
        return InputError(f"{self.path}: is not a readable OFD", why, _FIX)

    def encrypted(self) -> InputError:
        return InputError(f"{self.path}: is an encrypted OFD", "its parts are encrypted (an encryption entry or encrypted ZIP members), so its text cannot be read",
                          "save an unencrypted copy from the OFD reader, or export the text")

    def resolve(self, folder: str, ref: str, *, what: str) -> str:
        """A path as an OFD part gives it: absolute from the package root (``/Doc_0/…``), else relative to the folder of
        the part that names it; the name as stored in the ZIP."""
        ref = ref.strip().replace("\\", "/")
        if not ref:
            raise self.broken(f"{what} names no file")
        joined = ref.lstrip("/") if ref.startswith("/") else posixpath.join(folder, ref)
        key = posixpath.normpath(joined)
        name = self.names.get(key) or self.folded.get(key.lower())
        if name is None or key.startswith("../"):
            raise self.broken(f"{key}, which {what} names, is missing from the package")
        return name

    def xml(self, name: str) -> ElementTree.Element:
        try:
            with self.zf.open(name) as fh:
                raw = fh.read(self.budget + 1)
        except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
            raise self.encrypted() from exc
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise self.broken(f"its part {name} cannot be inflated ({type(exc).__name__})") from exc
        self.budget -= len(raw)
        if self.budget < 0:
            raise InputError(f"{self.path}: OFD parts inflate past {self.limit:,} bytes", "its ZIP headers understate the sizes (a zip bomb?)",
                             "check where the file came from")
        if _DTD.search(raw[:4096]) or b"\x00" in raw[:4096]:
            # OFD's XML is UTF-8 and needs no DTD; a DTD is the only way to entities (and their expansion), and
            # UTF-16 could hide one from this check
            raise self.broken(f"its part {name} declares a DTD or is not UTF-8, which OFD's XML never is")
        try:
            return ElementTree.fromstring(raw)
        except ElementTree.ParseError as exc:
            raise self.broken(f"its part {name} is not well-formed XML ({exc})") from exc

    # ---------------------------------------------------------------- reading order

    def read(self) -> tuple[str, Fields]:
        entry = self.names.get("OFD.xml") or self.folded.get("ofd.xml")
        if entry is None:
            raise self.broken("its package has no OFD.xml, the entry file every OFD starts from")
        root = self.xml(entry)
        if _local(root.tag) != "OFD":
            raise self.broken("its OFD.xml is not an OFD entry file (no ofd:OFD root)")
        bodies = list(_children(root, "DocBody"))
        if not bodies:
            raise self.broken("its OFD.xml has no DocBody")
        fields: list[tuple[str, str]] = []
        pages: list[str] = []
        for body in bodies:
            if any(_local(el.tag) in ("Encryptions", "Encryption", "EncryptInfo") for el in body.iter()):
                raise self.encrypted()
            if not fields:
                fields = _doc_info(_child(body, "DocInfo"))
            doc_root = _text(_child(body, "DocRoot"))
            if not doc_root:
                raise self.broken("its OFD.xml's DocBody has no DocRoot (the path of Document.xml)")
            pages.extend(self.document(self.resolve("", doc_root, what="OFD.xml's DocRoot")))
        return "\n\f\n".join(p.strip("\n") for p in pages), tuple(fields)

    def document(self, name: str) -> list[str]:
        """Each page's text, in the order of ``Pages``; running templates' text before the first and after the last."""
        folder = posixpath.dirname(name)
        doc = self.xml(name)
        common = _child(doc, "CommonData")
        tpl_locs = {t.get("ID", ""): t.get("BaseLoc", "") for t in _children(common, "TemplatePage")}
        page_els = list(_children(_child(doc, "Pages"), "Page"))
        if not page_els:
            raise self.broken(f"its {name} lists no pages")
        pages: list[tuple[list[_Line], list[str]]] = []  # each page's own lines, and the templates it names
        total = 0
        cap = max_chars()
        for k, page in enumerate(page_els, 1):
            content = self.resolve(folder, page.get("BaseLoc", ""), what=f"page {k} of {name}")
            proot = self.xml(content)
            lines = _lines(_glyphs(proot, self.path, total))
            total += sum(len(ln.text) for ln in lines)
            if total > cap:
                check_text_size(total, self.path)  # refuse before reading the rest
            tpl_ids = [t.get("TemplateID", "") for t in _children(proot, "Template")]
            pages.append((lines, [self.template(folder, tpl_locs, tid, name) for tid in tpl_ids if tid]))
        # a template several pages draw is a running header or footer where it stands above (below) their text
        users: dict[str, list[list[_Line]]] = {}
        for lines, tpls in pages:
            for t in dict.fromkeys(tpls):
                users.setdefault(t, []).append(lines)
        head: list[_Line] = []
        foot: list[_Line] = []
        inside: dict[str, list[_Line]] = {}
        for t, drawn_on in users.items():
            if len(drawn_on) < 2:  # a page's own background (a form, an invoice): part of that page
                inside[t] = self.templates[t]
                continue
            top = min((min(ln.y for ln in ls) for ls in drawn_on if ls), default=math.inf)
            bottom = max((max(ln.y for ln in ls) for ls in drawn_on if ls), default=-math.inf)
            head.extend(ln for ln in self.templates[t] if ln.y < top)
            foot.extend(ln for ln in self.templates[t] if top <= ln.y and ln.y > bottom)
            inside[t] = [ln for ln in self.templates[t] if top <= ln.y <= bottom]  # read on every page, where it stands
        texts = [lines + [ln for t in dict.fromkeys(tpls) for ln in inside[t]] for lines, tpls in pages]
        margins = _margins([ln for own in texts for ln in own])  # the document's text block, not one page's
        out = ["\n".join(_paragraphs(sorted(own, key=lambda ln: ln.y), margins)) for own in texts]
        if head:
            out[0] = "\n".join([*_paragraphs(head, margins), out[0]]).strip("\n")
        if foot:
            out[-1] = "\n".join([out[-1], *_paragraphs(foot, margins)]).strip("\n")
        return out

    def template(self, folder: str, locs: dict[str, str], tid: str, doc_name: str) -> str:
        """A template's lines, read once however many pages name it; returns its key."""
        if tid not in locs:
            raise self.broken(f"a page names template {tid}, which {doc_name} does not declare")
        name = self.resolve(folder, locs[tid], what=f"template {tid} of {doc_name}")
        if name not in self.templates:
            root = self.xml(name)
            self.templates[name] = _lines(_glyphs(root, self.path))
        return name


def _doc_info(info: ElementTree.Element | None) -> list[tuple[str, str]]:
    """``DocInfo``'s Title, Author and Subject as the fields metadata reads (``title``, ``author``, ``subject``), its
    CreationDate as ``ofd:creationdate``: when the file was made, the document's date only if its text gives none."""
    out = []
    for tag, key in (("Title", "title"), ("Author", "author"), ("Subject", "subject"), ("CreationDate", "ofd:creationdate")):
        val = _text(_child(info, tag))
        if val:
            out.append((key, val[:500]))
    return out


# --------------------------------------------------------------------------
# glyphs on a page


@dataclass(frozen=True, slots=True)
class _Glyph:
    x: float  # page coordinates, millimetres: x from the left, y (the baseline) from the top
    y: float
    size: float
    char: str


@dataclass(frozen=True, slots=True)
class _Line:
    y: float  # baseline
    size: float
    x0: float
    x1: float  # where its last glyph ends (estimated)
    text: str
    apart: bool = False  # a form's row (cells a gap apart) or a rotated or vertical run: never wrapped


SAME_SIZE = 0.08  # sizes this close are one size (三号 16 pt and 四号 14 pt are 12.5% apart)
_NUMBER = compiled(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _floats(s: str | None) -> list[float]:
    return [float(v) for v in _NUMBER.findall(s or "")]


def _deltas(s: str | None, limit: int) -> list[float]:
    """``DeltaX``/``DeltaY`` expanded: numbers, and ``g N d`` for N advances of d (at most ``limit``)."""
    out: list[float] = []
    tokens = (s or "").split()
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                n, d = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                break
            out.extend([d] * max(0, min(n, limit - len(out))))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            break
        i += 1
    return out


def _width(ch: str, size: float) -> float:
    """A glyph's advance when the file does not give it: ideographs and full-width forms an em, others half."""
    return size * 0.5 if ord(ch) < 0x2E80 and ch not in "—…“”‘’" else size


def _glyphs(root: ElementTree.Element, path: str, before: int = 0) -> tuple[list[_Glyph], list[_Line]]:
    """Every glyph of the page's (or template's) ``Content`` layers, on the page; and the runs that are not laid
    along a horizontal baseline (rotated by the object's CTM, or set vertically by ``DeltaY``), each a line of its
    own in the order of its characters.  With the ``before`` characters read already, more than
    :func:`jiaokan.ingest.max_chars` are refused, before their glyphs are placed."""
    out: list[_Glyph] = []
    solo: list[_Line] = []
    count = before
    cap = max_chars()
    content = _child(root, "Content")
    if content is None:
        return out, solo
    for obj in content.iter():
        if _local(obj.tag) != "TextObject":
            continue
        b = _floats(obj.get("Boundary"))
        bx, by = (b[0], b[1]) if len(b) >= 2 else (0.0, 0.0)
        ctm = _floats(obj.get("CTM"))
        a, bb, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        scale = math.sqrt(abs(a * d - bb * c)) or 1.0
        sizes = _floats(obj.get("Size"))
        size = (sizes[0] if sizes else 3.5) * scale
        turned = abs(bb) > 0.05 * scale or abs(c) > 0.05 * scale
        x = y = 0.0
        for code in obj:
            if _local(code.tag) != "TextCode":
                continue
            chars = code.text or ""
            count += len(chars)
            if count > cap:
                check_text_size(count, path)
            xs, ys = _floats(code.get("X")), _floats(code.get("Y"))
            x = xs[0] if xs else x  # an absent X or Y continues the previous TextCode's
            y = ys[0] if ys else y
            dx = _deltas(code.get("DeltaX"), len(chars))
            dy = _deltas(code.get("DeltaY"), len(chars))
            run = []
            for k, ch in enumerate(chars):
                px, py = bx + a * x + c * y + e, by + bb * x + d * y + f
                run.append(_Glyph(px, py, size, " " if ch.isspace() else ch))
                x += dx[k] if k < len(dx) else _width(ch, size / scale)
                y += dy[k] if k < len(dy) else 0.0
            steps = [(q.x - p.x, q.y - p.y) for p, q in itertools.pairwise(run)]
            vertical = sum(1 for sx, sy in steps if abs(sx) < 0.1 * size and abs(sy) > 0.3 * size)
            if run and (turned or (steps and vertical * 2 > len(steps))):
                text = "".join(g.char for g in run).strip()
                if text:
                    solo.append(_Line(run[0].y, size, run[0].x, run[0].x + size, text, apart=True))
            else:
                out.extend(run)
    return out, solo


def _lines(glyphs_and_runs: tuple[list[_Glyph], list[_Line]]) -> list[_Line]:
    """Glyphs grouped by baseline (within 0.4 of their size), each line left to right; lines top to bottom."""
    glyphs, solo = glyphs_and_runs
    rows: list[list[_Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.y):
        if rows and g.y - rows[-1][0].y <= 0.4 * max(g.size, rows[-1][0].size):
            rows[-1].append(g)
        else:
            rows.append([g])
    out = []
    for row in rows:
        row.sort(key=lambda g: g.x)
        kept: list[_Glyph] = []
        for g in row:
            # a glyph drawn again a hair to the side (a producer's fake bold) is one character
            if any(p.char == g.char and abs(p.x - g.x) < 0.3 * g.size for p in kept[-3:]):
                continue
            kept.append(g)
        parts: list[str] = []
        end = None
        for g in kept:
            if end is not None and g.x - end > g.size and parts and parts[-1] != " " and g.char != " ":
                parts.append(" ")  # a gap wider than an em: cells of a form, a signature beside a date
            parts.append(g.char)
            end = g.x + _width(g.char, g.size)
        text = "".join(parts)
        gapped = " " in text.strip() and "".join(g.char for g in kept).strip() != text.strip()
        if not text.strip():
            continue
        size = statistics.median(g.size for g in kept)
        y = statistics.median(g.y for g in kept)
        out.append(_Line(y, size, kept[0].x, end or kept[0].x, text, apart=gapped))
    return sorted(out + solo, key=lambda ln: ln.y)


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """The text block's left and right edges, of the lines that could wrap (a form's rows and turned runs aside):
    on the right the widest line's end; on the left where most lines that follow a line that wide start (the rest
    of a paragraph, not its indented first line, nor a heading set further left)."""
    body = [ln for ln in lines if not ln.apart] or lines
    if not body:
        return 0.0, 0.0
    right = max(ln.x1 for ln in body)
    after_full = [b.x0 for a, b in itertools.pairwise(body) if a.x1 >= right - 2 * a.size and abs(a.size - b.size) <= SAME_SIZE * a.size and b.y > a.y]
    if not after_full:
        return min(ln.x0 for ln in body), right
    starts = Counter(round(x) for x in after_full)
    left = min(starts, key=lambda x: (-starts[x], x))
    return min(x for x in after_full if round(x) == left), right


def _paragraphs(lines: list[_Line], margins: tuple[float, float]) -> list[str]:
    """Lines (top to bottom) joined into paragraphs where the page's geometry says a line wraps.

    A line runs on into the next when it reaches the text's right edge, the next starts at the left edge (no
    first-line indent), has the same size, and follows at the usual pitch; two centred lines of a title of the
    same size run on too.  Anything else, a vertical gap larger than a line above all, starts a paragraph."""
    if not lines:
        return []
    left, right = margins
    pitches = [b.y - a.y for a, b in itertools.pairwise(lines) if abs(a.size - b.size) <= SAME_SIZE * a.size and b.y > a.y]
    usual = statistics.median(pitches) if pitches else 0.0
    paras: list[str] = []
    cur = ""
    for k, ln in enumerate(lines):
        text = ln.text.strip()
        if k and cur and _wraps(lines[k - 1], ln, left, right, usual):
            cur += text  # no space: Chinese wraps between any two characters (a Latin word cut would read as spacing)
            continue
        if cur:
            paras.append(cur)
        cur = text
    if cur:
        paras.append(cur)
    return paras


def _wraps(a: _Line, b: _Line, left: float, right: float, usual: float) -> bool:
    size = a.size
    if a.apart or b.apart or abs(a.size - b.size) > SAME_SIZE * size or b.y <= a.y:
        return False
    pitch = b.y - a.y
    if pitch > 3 * size or (usual and pitch > 1.5 * usual):
        return False  # a gap larger than a line: a new paragraph
    if a.x1 >= right - 2 * size and b.x0 <= left + 0.5 * size:
        return True  # a full line (the widest hangs a punctuation mark past the edge), the next at the margin: wrapped
    centred = a.x0 - left > 1.5 * size and abs((a.x0 - left) - (right - a.x1)) <= 2 * size
    centred_b = b.x0 - left > 1.5 * size and abs((b.x0 - left) - (right - b.x1)) <= 2 * size
    return centred and centred_b and a.text.rstrip()[-1:] not in "。；：！？:;!?" and pitch <= 2.2 * size
