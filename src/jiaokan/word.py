"""Word documents as they really arrive (docs/word.md).

A ``.docx`` is read the way Word shows it: each text box once (Word stores it twice, as DrawingML in
``mc:Choice`` and as VML in ``mc:Fallback``), tracked changes as the accepted text (or, asked, the original),
footnotes and endnotes after the body, marked ``[脚注1]`` / ``[尾注1]``, and the headers and footers where the
diff looks for a copy's own wrapper: before the body and after everything else.

A legacy ``.doc`` or ``.wps`` (an OLE compound file, or RTF) is converted to ``.docx`` by LibreOffice headless
(``JIAOKAN_SOFFICE`` names the program; otherwise ``soffice`` on the PATH), each run with its own profile folder
so that parallel runs never share one, then read as a ``.docx``.
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree

from jiaokan.errors import InputError
from jiaokan.ingest import DocxRevisions, check_text_size, max_chars

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

#: How long one LibreOffice conversion may take, in seconds (its first start with a fresh profile takes a few).
SOFFICE_TIMEOUT = 120
#: What a note's first paragraph starts with, so a reader sees it is a note and which one.
NOTE_MARK = {"footnote": "[脚注{}] ", "endnote": "[尾注{}] "}
#: Notes Word draws itself (the rule above the notes), never text.
_SEPARATOR_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
#: What a legacy file is: an OLE compound file (Word 97-2003 .doc, WPS Office .wps) or RTF (often named .doc).
Legacy = Literal["doc", "rtf"]
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def legacy_kind(data: bytes) -> Legacy | None:
    """Is ``data`` a Word file only LibreOffice reads here?"""
    if data.startswith(_OLE_MAGIC):
        return "doc"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    return None


# --------------------------------------------------------------------------
# .docx


def docx_text(data: bytes, path: str, *, revisions: DocxRevisions = "accepted", limit: int) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The text of a ``.docx`` (one paragraph a line) and its core properties; ``limit`` bounds the bytes inflated."""
    bad = InputError(f"{path}: is not a readable .docx", "the file is damaged or not a Word document", "open and re-save it in Word or LibreOffice, or export it as .txt")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise bad
        total = sum(i.file_size for i in zf.infolist())
        if total > limit:
            raise InputError(f"{path}: .docx expands to {total:,} bytes", "that is far beyond any document (a zip bomb?)", "check where the file came from; export it as .txt if it is genuine")
        document = _part(zf, "word/document.xml", limit, path)
        fields: list[tuple[str, str]] = []
        if "docProps/core.xml" in names:
            core = ElementTree.fromstring(zf.read("docProps/core.xml")[:1_000_000])
            for el in core:
                tag = el.tag.rsplit("}", 1)[-1]
                if tag in ("title", "creator", "created", "subject") and el.text and el.text.strip():
                    fields.append((tag, el.text.strip()))
        reader = _Reader(revisions, path)
        body = reader.read(document.find(f"{_W}body"))
        notes = {kind: _notes(zf, names, f"word/{kind}s.xml", kind, limit, path) for kind in ("footnote", "endnote")}
        parts = {kind: [_part(zf, name, limit, path) for name in _framing_parts(zf, names, document, kind)] for kind in ("header", "footer")}
        noted: list[str] = []
        # Only the notes the body refers to, numbered in that order as Word numbers them: a reference this reading
        # drops (in a deletion) takes its note with it.  References inside notes are not numbered again.
        references = list(reader.references)
        for kind in ("footnote", "endnote"):
            read: set[str] = set()
            for k, note_id in references:
                note = notes[kind].get(note_id) if k == kind and note_id not in read else None
                if note is None:
                    continue
                read.add(note_id)
                lines = _Reader(revisions, path, reader).read(note)
                if lines:
                    noted.append(NOTE_MARK[kind].format(len(read)) + lines[0].lstrip())  # Word writes a space after the mark
                    noted.extend(lines[1:])
        header = _framing(parts["header"], revisions, path, reader)
        footer = _framing(parts["footer"], revisions, path, reader)
    except InputError:
        raise
    except RecursionError as exc:  # the parts are walked recursively: Word's own nesting is tens of levels deep
        raise InputError(f"{path}: is not a readable .docx", "its XML nests elements hundreds of levels deep, as no Word document does",
                         "open and re-save it in Word or LibreOffice, or export it as .txt") from exc
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, ValueError, RuntimeError) as exc:
        raise bad from exc
    return "\n".join([*header, *body, *noted, *footer]), tuple(fields)


def _part(zf: zipfile.ZipFile, name: str, limit: int, path: str) -> ElementTree.Element:
    with zf.open(name) as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:
        raise InputError(f"{path}: .docx part {name} is too large", "it inflates past the limit (a zip bomb?)", "check where the file came from")
    return ElementTree.fromstring(raw)


def _notes(zf: zipfile.ZipFile, names: set[str], name: str, kind: str, limit: int, path: str) -> dict[str, ElementTree.Element]:
    """The notes of ``name`` by id, without the separators Word draws between body and notes."""
    if name not in names:
        return {}
    root = _part(zf, name, limit, path)
    return {el.get(f"{_W}id", ""): el for el in root.iter(f"{_W}{kind}") if el.get(f"{_W}type", "normal") not in _SEPARATOR_NOTES}


def _framing_parts(zf: zipfile.ZipFile, names: set[str], document: ElementTree.Element, kind: str) -> list[str]:
    """The header (footer) parts the sections refer to, in the order they do; every ``word/header*.xml`` when
    the relationships cannot say."""
    targets: dict[str, str] = {}
    if "word/_rels/document.xml.rels" in names:
        rels = ElementTree.fromstring(zf.read("word/_rels/document.xml.rels")[:1_000_000])
        for rel in rels.iter(f"{_REL}Relationship"):
            if rel.get("Type", "").endswith("/" + kind):
                target = rel.get("Target", "")
                targets[rel.get("Id", "")] = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("word", target))
    found: list[str] = []
    for ref in document.iter(f"{_W}{kind}Reference"):
        name = targets.get(ref.get(f"{_R}id", ""))
        if name in names and name not in found:
            found.append(name)
    if found or targets:
        return found
    return sorted(n for n in names if n.startswith(f"word/{kind}") and n.endswith(".xml") and "/" not in n[5:])


def _framing(roots: Iterable[ElementTree.Element], revisions: DocxRevisions, path: str, counter: _Reader) -> list[str]:
    """Each header's (footer's) lines once: a first-page and a default header often say the same."""
    seen: list[tuple[str, ...]] = []
    for root in roots:
        lines = tuple(line for line in _Reader(revisions, path, counter).read(root) if line.strip())
        if lines and lines not in seen:
            seen.append(lines)
    return [line for lines in seen for line in lines]


class _Reader:
    """Paragraphs of a block of WordprocessingML as Word shows it, under one reading of its tracked changes."""

    def __init__(self, revisions: DocxRevisions, path: str, counter: _Reader | None = None) -> None:
        original = revisions == "original"
        # what this reading leaves out: deletions and text moved away (accepted), or insertions and text moved here
        self.dropped = frozenset({f"{_W}ins", f"{_W}moveTo"} if original else {f"{_W}del", f"{_W}moveFrom"})
        self.path = path
        self.cap = max_chars()
        self.counter = counter or self  # one count of characters for the whole document
        self.total = 0
        self.references: list[tuple[str, str]] = []

    def read(self, block: ElementTree.Element | None) -> list[str]:
        """The block's paragraphs; a paragraph whose mark this reading removes runs on into the next."""
        lines: list[str] = []
        joined = False
        for text, joins in self._block(block) if block is not None else ():
            if joined:
                lines[-1] += text
            else:
                lines.append(text)
            joined = joins
        return lines

    def _block(self, el: ElementTree.Element) -> Iterable[tuple[str, bool]]:
        for child in el:
            tag = child.tag
            if tag == f"{_W}p":
                yield from self._paragraph(child)
            elif tag in self.dropped or tag in (f"{_W}sectPr", f"{_W}tblPr", f"{_W}tblGrid", f"{_W}trPr", f"{_W}tcPr"):
                continue
            elif tag == f"{_W}tr" and self._removed(child.find(f"{_W}trPr")):
                continue  # a row this reading deletes
            elif tag == f"{_MC}AlternateContent":
                branch = _branch(child)
                if branch is not None:
                    yield from self._block(branch)
            else:  # tables, rows, cells, content controls, custom XML
                yield from self._block(child)

    def _paragraph(self, p: ElementTree.Element) -> Iterable[tuple[str, bool]]:
        parts: list[str] = []
        boxes: list[tuple[str, bool]] = []
        self._inline(p, parts, boxes)
        ppr = p.find(f"{_W}pPr")
        mark = self._removed(ppr.find(f"{_W}rPr") if ppr is not None else None)
        # a text box's paragraphs follow the paragraph it is anchored in, which stays whole
        yield "".join(parts), mark and not boxes
        yield from boxes

    def _removed(self, props: ElementTree.Element | None) -> bool:
        """Do these properties (a paragraph mark's, a table row's) record a change this reading undoes?"""
        return props is not None and any(child.tag in self.dropped for child in props)

    def _inline(self, el: ElementTree.Element, parts: list[str], boxes: list[tuple[str, bool]]) -> None:
        for child in el:
            tag = child.tag
            if tag in (f"{_W}t", f"{_W}delText"):  # delText is reached only inside a deletion the reading keeps
                if child.text:
                    parts.append(child.text)
                    self._count(len(child.text))
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag in self.dropped or tag in (f"{_W}pPr", f"{_W}rPr", f"{_W}instrText", f"{_W}delInstrText"):
                continue
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                self.counter.references.append((tag[len(_W): -len("Reference")], child.get(f"{_W}id", "")))
            elif tag == f"{_W}txbxContent":
                boxes.extend(self._block(child))
            elif tag == f"{_MC}AlternateContent":
                branch = _branch(child)
                if branch is not None:
                    self._inline(branch, parts, boxes)
            elif tag == f"{_W}p":  # a paragraph where a run was expected: its own line
                boxes.extend(self._paragraph(child))
            else:  # runs, hyperlinks, fields, smart tags, insertions kept, drawings, VML shapes
                self._inline(child, parts, boxes)

    def _count(self, n: int) -> None:
        counter = self.counter
        counter.total += n
        if counter.total > counter.cap:  # refuse before building the whole text
            check_text_size(counter.total, self.path)


def _branch(alternate: ElementTree.Element) -> ElementTree.Element | None:
    """The one branch of ``mc:AlternateContent`` read: the first ``mc:Choice`` holding text, else ``mc:Fallback``.
    Both branches hold the same text (a text box as DrawingML and as VML): reading both doubles it."""
    fallback = None
    for branch in alternate:
        if branch.tag == f"{_MC}Choice":
            if any(el.tag == f"{_W}t" and el.text for el in branch.iter()):
                return branch
        elif branch.tag == f"{_MC}Fallback":
            fallback = branch
    return fallback


# --------------------------------------------------------------------------
# .doc and .wps through LibreOffice

_INSTALL = "install LibreOffice (apt-get install libreoffice-writer-nogui, or libreoffice.org), or save it as .docx"


def soffice() -> str | None:
    """The LibreOffice program: ``JIAOKAN_SOFFICE`` when set (the path it names, or nothing), else ``soffice`` or
    ``libreoffice`` on the PATH, else macOS's application bundle."""
    env = os.environ.get("JIAOKAN_SOFFICE")
    if env:
        return shutil.which(env)
    for candidate in ("soffice", "libreoffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def legacy_to_docx(data: bytes, path: str, kind: Legacy) -> bytes:
    """Convert a legacy Word file to ``.docx`` with LibreOffice headless, or say why it cannot be."""
    what = f"{path}: is an old binary Word .doc or WPS file (an OLE compound file)" if kind == "doc" else f"{path}: is an RTF document"
    program = soffice()
    if program is None:
        env = os.environ.get("JIAOKAN_SOFFICE")
        why = f"JIAOKAN_SOFFICE={env[:80]!r} names no program" if env else "reading it needs LibreOffice, and soffice is not on the PATH"
        raise InputError(what, why, _INSTALL)
    suffix = Path(path).suffix.lower()
    if suffix not in (".doc", ".dot", ".wps", ".wpt", ".rtf"):
        suffix = ".doc" if kind == "doc" else ".rtf"
    with tempfile.TemporaryDirectory(prefix="jiaokan-soffice-") as tmp:
        source = Path(tmp, "document" + suffix)
        source.write_bytes(data)
        out = Path(tmp, "out")
        command = [program, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",  # its own profile: parallel runs never share one
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise InputError(what, f"LibreOffice ({program}) could not be started: {exc.strerror or exc}", _INSTALL) from exc
        try:
            _, err = proc.communicate(timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputError(what, f"LibreOffice did not convert it within {SOFFICE_TIMEOUT} seconds", "save it as .docx in Word, WPS Office or LibreOffice") from None
        result = out / "document.docx"
        if proc.returncode != 0 or not result.is_file():
            # what it says, less the warning every run without Java prints ("failed to launch javaldx")
            said = " ".join(line.strip() for line in err.decode("utf-8", "replace").splitlines() if line.strip() and not line.startswith("Warning:"))[:200]
            raise InputError(what, f"LibreOffice could not convert it (exit {proc.returncode}{': ' + said if said else ''})",
                             "check it is a Word document; open it and save it as .docx")
        return result.read_bytes()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End the conversion and everything it started (soffice is a script that starts soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # already gone, or no process groups (Windows)
        proc.kill()
    proc.communicate()
