"""Stage 1: read a document the way it really arrives.

The :class:`Document` keeps the decoded original text: every offset jiaokan
reports is a code-point offset into ``Document.text``.  For ``.html`` and
``.md`` that is the source itself (markup is removed later, by the ``markup``
normalization rule, so findings point into the file as it is on disk); for
``.docx``, ``.pdf`` and ``.ofd`` it is the extracted text layer, one paragraph a line and
a form feed between PDF and OFD pages (a ``.doc`` or ``.wps`` is made a ``.docx`` by LibreOffice first: word.py).
A scan (an image, or a PDF with no text layer) is read by OCR (``jiaokan.ocr``, the ``ocr`` extra): its text is
the reading, and ``Document.uncertain`` the characters OCR was unsure of.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import io
import os
import re
import stat
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from jiaokan import lazy
from jiaokan.errors import InputError
from jiaokan.patterns import compiled

if TYPE_CHECKING:
    import yaml
    from pypdf import PageObject

#: Refuse files larger than this many bytes (override with ``JIAOKAN_MAX_BYTES``
#: or the ``max_bytes`` argument).  Official documents are kilobytes; a
#: multi-megabyte "document" is almost always the wrong file.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: The highest ``JIAOKAN_MAX_BYTES`` accepted: above it (or below 1) the variable is an error, not a limit.
MAX_BYTES_CEILING = 4 * 1024**3

#: Refuse documents whose decoded text is longer than this many characters
#: (override with ``JIAOKAN_MAX_CHARS``).  The byte limit alone does not bound
#: the work: a 6 MB ``.docx`` can hold 14 M characters.  The Civil Code, the
#: longest Chinese law, is about 110,000 characters.
DEFAULT_MAX_CHARS = 6_000_000

#: What a document is read as (``Document.format``).
DocumentFormat = Literal["text", "markdown", "html", "docx", "pdf", "ofd", "image"]
#: How a Word document's tracked changes are read: as the text accepted (insertions kept, deletions dropped),
#: or as the original before them (docs/word.md).
DocxRevisions = Literal["accepted", "original"]
FORMATS: tuple[DocumentFormat, ...] = ("text", "markdown", "html", "docx", "pdf", "ofd", "image")
EXTENSIONS: dict[str, DocumentFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".ofd": "ofd",
    ".png": "image",  # a scan: read by OCR (jiaokan.ocr, the ocr extra)
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a document says about itself, where it says it."""

    title: str | None = None
    date: str | None = None
    source: str | None = None
    doc_number: str | None = None  # 文号, e.g. 国发〔2022〕14号
    fields: tuple[tuple[str, str], ...] = ()  # front matter / <meta>, as strings


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded document: the original text every offset refers to."""

    path: str  # as the user gave it; "-" for standard input
    text: str
    format: DocumentFormat
    encoding: str
    sha256: str  # of the bytes read
    metadata: Metadata = field(default_factory=Metadata)
    body_start: int = 0  # end of front matter, where the content begins
    line_starts: tuple[int, ...] = ()
    page_starts: tuple[int, ...] = ()  # where each page begins, when the text has page breaks (form feeds); else ()
    # text read by OCR: the ranges [start, end) of characters it was unsure of (a difference there is ocr-uncertain)
    uncertain: tuple[tuple[int, int], ...] = ()

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset, column in code points."""
        starts = self.line_starts or (0,)
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    def page_of(self, offset: int) -> int | None:
        """The 1-based page an offset lies on, or None for a text without page breaks."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    def locate_page(self, offset: int) -> tuple[int, int, int] | None:
        """1-based (page, line in the page, column) of an offset, or None for a text without page breaks: what a
        reader finds in the PDF (or OCR'd scan) itself, where the text's line numbers run on across pages."""
        page = self.page_of(offset)
        if page is None:
            return None
        line, column = self.locate(offset)
        first, _ = self.locate(self.page_starts[page - 1])
        return page, line - first + 1, column


_LINE_BREAK = compiled(r"\r\n|\r|\n")


def line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in _LINE_BREAK.finditer(text)))


_PAGE_BREAK = compiled(r"\f(?:\r\n|\r|\n)?")  # a form feed, and the line break after it (PDF pages are joined by "\n\f\n")


def page_starts(text: str) -> tuple[int, ...]:
    """Where each page of ``text`` begins (after a form feed and its line break), or () when it has no page break."""
    if "\f" not in text:
        return ()
    return (0, *(m.end() for m in _PAGE_BREAK.finditer(text)))


# --------------------------------------------------------------------------
# reading bytes


def read_document(
    path: str | os.PathLike[str],
    *,
    format: DocumentFormat | None = None,
    max_bytes: int | None = None,
    docx_revisions: DocxRevisions = "accepted",
) -> Document:
    """Read and decode ``path`` (``"-"`` reads standard input; an ``http(s)://`` URL is fetched: docs/web.md);
    ``docx_revisions``: how a Word file's tracked changes read."""
    shown = os.fspath(path)
    if "://" in shown:
        from jiaokan.web import has_scheme, read_url

        if has_scheme(shown):  # never a path: a URL is fetched, another scheme refused
            return read_url(shown, format=format, max_bytes=max_bytes, docx_revisions=docx_revisions)
    limit = _max_bytes(max_bytes)
    if shown == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise _too_large("standard input", limit)
        return document_from_bytes(data, path="-", format=format, docx_revisions=docx_revisions)
    p = Path(shown)
    if not p.exists():
        raise InputError(f"{shown}: no such file", "nothing exists at that path", "check the spelling or the working directory")
    if p.is_dir():
        raise InputError(f"{shown}: is a directory", "jiaokan compares files, not folders", "name a file inside it (or a glob where the command takes one)")
    try:
        st = os.stat(shown)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(shown, st.st_mode)
        size = st.st_size
        if size > limit:
            raise _too_large(shown, limit, size)
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except PermissionError as exc:
        raise InputError(f"{shown}: cannot be read", "permission denied", "check the file's permissions") from exc
    except IsADirectoryError as exc:  # pragma: no cover - raced with is_dir
        raise InputError(f"{shown}: is a directory", "jiaokan compares files", "name a file") from exc
    except OSError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{shown}: cannot be read", exc.strerror or str(exc), "check that it is a regular, readable file") from exc
    if len(data) > limit:  # grew while reading, or a special file
        raise _too_large(shown, limit)
    fmt = format or EXTENSIONS.get(p.suffix.lower())
    return document_from_bytes(data, path=shown, format=fmt, docx_revisions=docx_revisions)


def max_bytes() -> int:
    """The size limit in force: ``JIAOKAN_MAX_BYTES`` when set (checked), else ``DEFAULT_MAX_BYTES``."""
    return _max_bytes(None)


def _not_regular(shown: str, mode: int) -> InputError:
    kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device" if (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) else "not a regular file"
    return InputError(
        f"{shown}: is {kind}",
        "jiaokan reads regular files only (reading a pipe or a device could wait forever or never end)",
        "save the document to a file first, or pipe it to standard input as -",
    )


def max_chars(explicit: int | None = None) -> int:
    """The limit on a document's decoded characters: ``explicit``, else ``JIAOKAN_MAX_CHARS``, else
    :data:`DEFAULT_MAX_CHARS`."""
    if explicit is not None:
        return explicit
    return _env_limit("JIAOKAN_MAX_CHARS", DEFAULT_MAX_CHARS, MAX_BYTES_CEILING, "characters", "20000000")


def check_text_size(text: str | int, source: str, limit: int | None = None) -> None:
    """Refuse a decoded text (or a count of characters) longer than :func:`max_chars`, with one
    :class:`InputError` naming ``source``.  Every format is checked after decoding; a JSONL corpus's
    ``"text"`` field should be checked the same way."""
    n = text if isinstance(text, int) else len(text)
    cap = max_chars(limit)
    if n > cap:
        raise InputError(
            f"{source}: too much text ({'more than ' if isinstance(text, int) else ''}{n:,} characters)",
            f"the limit is {cap:,} characters, far beyond any single official document",
            "check it is the right file, or raise the limit with JIAOKAN_MAX_CHARS",
        )


def _max_bytes(explicit: int | None) -> int:
    if explicit is not None:
        return explicit
    return _env_limit("JIAOKAN_MAX_BYTES", DEFAULT_MAX_BYTES, MAX_BYTES_CEILING, "bytes", "50000000")


def _env_limit(name: str, default: int, ceiling: int, unit: str, example: str) -> int:
    """A size limit set in the environment (checked: a whole number from 1 to ``ceiling``), else ``default``."""
    env = os.environ.get(name)
    if not env:
        return default
    try:
        value = int(env)
    except ValueError:
        raise InputError(f"{name}={env[:40]!r} is not a number", f"the limit must be a whole number of {unit}",
                         f"set it like {name}={example}") from None
    if not 1 <= value <= ceiling:
        raise InputError(f"{name}={env[:40]!r} is out of range", f"the limit must be from 1 to {ceiling:,} {unit}",
                         f"set it like {name}={example}, or unset it for the default {default:,}")
    return value


def _too_large(shown: str, limit: int, size: int | None = None) -> InputError:
    got = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
    return InputError(
        f"{shown}: too large ({got})",
        f"the limit is {limit:,} bytes, far beyond any single official document",
        "check it is the right file, or raise the limit with JIAOKAN_MAX_BYTES",
    )


def document_from_text(text: str, *, path: str = "<text>", format: DocumentFormat | None = None) -> Document:
    """Build a document from a string (library use and tests)."""
    return document_from_bytes(text.encode("utf-8"), path=path, format=format)


def document_from_bytes(data: bytes, *, path: str, format: DocumentFormat | None = None, charset: str | None = None,
                        docx_revisions: DocxRevisions = "accepted") -> Document:
    """``charset``: one declared outside the bytes (HTTP's Content-Type), a hint verified like a ``<meta>`` one;
    ``docx_revisions``: how a Word file's tracked changes read."""
    from jiaokan import word  # deferred: word imports this module

    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise InputError(f"{path}: is empty", "a file with no bytes has no text to compare", "check that the download or export worked")
    legacy = word.legacy_kind(data)
    if legacy is not None:  # .doc, .wps (OLE) or RTF: LibreOffice makes it a .docx, read as one
        data = word.legacy_to_docx(data, path, legacy)
        format = "docx"
    sniffed = _sniff_binary(data, format)
    uncertain: tuple[tuple[int, int], ...] = ()
    fmt = format
    if sniffed and fmt not in (None, sniffed):
        fmt = sniffed  # the extension lies: trust the content
    fmt = fmt or sniffed
    if fmt == "docx":
        text, meta_fields = word.docx_text(data, path, revisions=docx_revisions, limit=DOCX_LIMIT)
        encoding: str = legacy or "docx"  # "doc" / "rtf": converted by LibreOffice
    elif fmt == "pdf":
        text, meta_fields = _pdf_text(data, path)
        encoding = "pdf"
    elif fmt == "ofd":
        from jiaokan.ofd import ofd_text  # deferred: jiaokan.ofd reads this module's limits

        text, meta_fields = ofd_text(data, path)
        encoding = "ofd"
    elif fmt == "image":
        from jiaokan import ocr  # deferred: the ocr extra, only for scans

        reading = ocr.read_image(data, path=path)
        text, uncertain, encoding, meta_fields = reading.text, reading.uncertain(), "ocr", ()
    else:
        text, encoding = decode(data, path, declared=charset)
        meta_fields = ()
    unusable = fmt == "pdf" and text.strip() != "" and _unusable_share(text) > UNUSABLE_SHARE
    if fmt == "pdf" and (not text.strip() or unusable):  # no text layer, or none a reader can use: a scan for OCR
        from jiaokan import ocr

        try:
            reading = ocr.read_pdf(data, path=path)
        except InputError as exc:
            if not unusable:
                raise
            share = f"{_unusable_share(text):.0%}"
            raise InputError(f"{path}: needs OCR", f"its text layer is unreadable ({share} of its characters are in no script: a font's "
                             "glyph numbers without a /ToUnicode map) and OCR is not installed", exc.fix) from None
        text, uncertain, encoding = reading.text, reading.uncertain(), "ocr"
    elif fmt == "pdf":
        text, uncertain, encoding = _scanned_pages(data, path, text, encoding)
    check_text_size(text, path)
    if not text.strip():
        if fmt in ("image", "pdf") and encoding == "ocr":
            raise InputError(f"{path}: has no text", "OCR found none on its pages", "check that the right file was given (a blank or unreadable scan?)")
        if text or fmt in ("docx", "pdf", "ofd"):
            why = "it contains only whitespace" if text else "no text layer was found"
            raise InputError(f"{path}: has no text", why, "check that the right file was given (a scanned PDF needs OCR first)")
        # an editor's "empty" UTF-8 or UTF-16 file can be just a byte-order mark
        raise InputError(f"{path}: is empty", "it holds only a byte-order mark, no text", "check that the download or export worked")

    body_start = 0
    fields: list[tuple[str, str]] = list(meta_fields)
    if fmt in (None, "text", "markdown", "html"):
        fm = _front_matter(text, path)
        if fm is not None:
            body_start, fm_fields = fm
            fields.extend(fm_fields)
        if fmt in (None, "text") and _looks_like_html(text[body_start:]):
            fmt = "html"
        fmt = fmt or "text"
    if fmt == "html":
        fields.extend(_html_meta(text))
    metadata = extract_metadata(text[body_start:], fields, html=(fmt == "html"))
    return Document(
        path=path,
        text=text,
        format=fmt,
        encoding=encoding,
        sha256=digest,
        metadata=metadata,
        body_start=body_start,
        line_starts=line_starts(text),
        page_starts=page_starts(text) or ((0,) if fmt in PAGED else ()),  # a one-page PDF says p.1 too
        uncertain=uncertain,
    )


PAGED: tuple[DocumentFormat, ...] = ("pdf", "ofd", "image")  # formats whose locations give the page, one page or many
UNUSABLE_SHARE = 0.5  # a PDF text layer with more than this share of unreadable characters is read as a scan
PDF_PAGE_BREAK = "\n\f\n"  # how a PDF's pages are joined (_pdf_text)


def _scanned_pages(data: bytes, path: str, text: str, encoding: str) -> tuple[str, tuple[tuple[int, int], ...], str]:
    """A PDF with a text layer whose single pages have none a reader can use (a scanned signature or seal page, an
    attachment): those pages read by OCR when it is installed, the others kept as their text layer.  Without OCR the
    pages stay as they are (a blank back page is common); a document with no usable text at all needs OCR outright."""
    pages = text.split(PDF_PAGE_BREAK)
    wanted = [k for k, page in enumerate(pages) if not page.strip() or _unusable_share(page) > UNUSABLE_SHARE]
    if not wanted:
        return text, (), encoding
    try:
        from jiaokan import ocr

        read = ocr.read_pdf_pages(data, wanted, path=path)
    except (ImportError, InputError):
        return text, (), encoding  # no OCR here: the pages read as their text layer had them
    joined = ocr.join_pages([read.get(k) or (page, (1.0,) * len(page)) for k, page in enumerate(pages)])
    return joined.text, joined.uncertain(), f"{encoding}+ocr"


def _unusable_share(text: str) -> float:
    from jiaokan.pdftext import unreadable_share

    return unreadable_share(text)


def _sniff_binary(data: bytes, claimed: DocumentFormat | None = None) -> DocumentFormat | None:
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        # both are ZIPs: an OFD has OFD.xml at its root; a ZIP that is neither is refused as what it claims to be
        from jiaokan.ofd import is_ofd

        if is_ofd(data):
            return "ofd"
        return "ofd" if claimed == "ofd" and not _has_docx_body(data) else "docx"
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):  # PNG, JPEG, TIFF
        return "image"
    return None


def _has_docx_body(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False


# --------------------------------------------------------------------------
# decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A declaration counts only where markup makes one (a <meta> tag, an XML declaration at the start), never
# from the body text, and only as a hint: it is used if it names a Chinese encoding and the text it gives
# reads as Chinese.  Bounded patterns on the first 4 KB.
_DECLARED = compiled(rb"""<meta\b[^<>]{0,500}?charset\s{0,20}=\s{0,20}["']?\s{0,20}([A-Za-z0-9_\-]{1,40})"""
                       rb"""|\A(?:\xef\xbb\xbf)?\s{0,100}<\?xml\b[^<>]{0,200}?encoding\s{0,20}=\s{0,20}["']([A-Za-z0-9_\-]{1,40})""", re.I)
_DECLARED_CHINESE = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "euc-cn": "gb18030", "big5": "big5", "big5-hkscs": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5",
}
_CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be"]
_CONTROL = compiled(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, path: str = "<bytes>", *, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of a Chinese document; refuse rather than guess badly.

    A byte-order mark is trusted only when the text it gives is text: binary content, or GBK bytes behind
    a UTF-16 mark, is refused as binary.  A declared charset is a hint, verified like any guess; ``declared``
    (an HTTP header's) is tried before the markup's, as a browser ranks them."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            if enc == "utf-8":
                return _checked(_strict(data[len(bom):], enc, path), enc, path), enc
            text = _try_decode(data[len(bom):], enc)
            if text is None or _control_heavy(text) or not _plausible(text, strict=True):
                raise _binary(path)
            return text, enc
    try:
        return _checked(data.decode("utf-8"), "utf-8", path), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _DECLARED.search(data[:4096])
    names = [declared] if declared else []
    if m:
        names.append((m.group(1) or m.group(2)).decode("ascii"))
    for name in names:
        chinese = _DECLARED_CHINESE.get(name.lower().replace("_", "-"))
        if chinese is not None:
            text = _try_decode(data, chinese)
            if text is not None and not _control_heavy(text) and _plausible(text, strict=True):
                return text, chinese
    if b"\x00" in data:
        # UTF-16 without a byte-order mark: Chinese text has NULs only in its
        # ASCII characters, too few for _utf16_shape, so try it directly.
        for enc in ("utf-16-le", "utf-16-be"):
            text = _try_decode(data, enc)
            if text is not None and not _control_heavy(text) and _plausible(text, strict=True) and (_utf16_shape(data) or _reads_as_chinese(text)):
                return text, enc
        if not _utf16_shape(data):
            raise _binary(path)
    if _control_bytes(data):
        raise _binary(path)  # before any guess: C0 controls no 8-bit text has (UTF-16 was tried above)
    import charset_normalizer  # deferred: costs ~40 ms to import

    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    # charset-normalizer happily reads EUC-KR Korean or double-encoded UTF-8
    # as GB18030 "Chinese" (措茄刮惫, 鍥藉姟闄): check the text reads as Chinese.
    if best is None or best.chaos > 0.3 or not _plausible(str(best)):
        raise InputError(
            f"{path}: cannot be decoded",
            "the bytes are not valid UTF-8, GB18030/GBK, Big5 or UTF-16",
            "convert the file to UTF-8 (e.g. iconv -f ENCODING -t UTF-8) and try again",
        )
    enc = codecs.lookup(best.encoding).name  # utf_16_le -> utf-16-le, as elsewhere
    text = str(best)
    return _checked(text, enc, path), enc


def _try_decode(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeError, LookupError):
        return None


_CONTROL_BYTES = compiled(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _control_bytes(data: bytes) -> bool:
    """Control bytes no 8-bit text encoding produces (UTF-16 does, inside its code units)."""
    sample = data[:100_000]
    return len(_CONTROL_BYTES.findall(sample)) > max(3, len(sample) // 2000) or b"\x00" in sample[:8]


def _reads_as_chinese(text: str) -> bool:
    han = _HAN.findall(text[:20_000])
    return len(han) >= 8 and sum(c in _COMMON_HAN for c in han) >= len(han) * 0.1


# The most frequent characters of Chinese prose, simplified and traditional:
# real text has a third of its Han characters among them (any 30 consecutive
# ones in the samples: at least 17%), text decoded with the wrong codec almost
# none (EUC-KR read as GBK: 0%).  A file refused wrongly still reads as UTF-8.
_COMMON_HAN = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学"
    "法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天"
    "政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者"
    "最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期"
    "根论运农指几九区强放决西被干做必战先回则任取据处府"
    "這個國時們來為於發對會動過說產種後學經進電裡現實當從業應開還與關間樣數問無係軍題黨員總設資邊級圖統組見計論運農區強決戰"
    "則處據務聯導"
)
# judging a guessed encoding's text: compiled when first needed (≈ 3 ms; the samples' UTF-8 never needs them)
_HAN = lazy.pattern(r"[\u3400-\u9fff]")
_ODD = lazy.pattern(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufff0-\uffff\u0370-\u1fff\u2c00-\u2dff\ua000-\uabff]")
_FOREIGN = lazy.pattern(r"[^\s\x20-\x7e\xa0-\u04ff\u2000-\u27bf\u3000-\u312f\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def _plausible(text: str, *, strict: bool = False) -> bool:
    """Does decoded text read as a Chinese document (not mojibake)?  ``strict`` (a byte-order mark, a
    declaration or BOM-less UTF-16 to verify) also refuses private-use, unassigned and control characters."""
    sample = text[:20_000]
    visible = len(sample) - sum(c.isspace() for c in sample)
    if visible and len(_FOREIGN.findall(sample)) > visible * 0.1:
        return False  # mostly neither Chinese, ASCII nor punctuation
    if strict and visible and len(_ODD.findall(sample)) > visible * 0.02:
        return False
    han = _HAN.findall(sample)
    return not (len(han) >= 30 and sum(c in _COMMON_HAN for c in han) < len(han) * 0.1)


def _strict(data: bytes, enc: str, path: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: cannot be decoded as {enc}",
            f"byte {exc.start} is invalid although the file starts with a {enc} byte-order mark",
            "re-export the file, or convert it to UTF-8",
        ) from exc


def _utf16_shape(data: bytes) -> bool:
    sample = data[:4000]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    return max(even, odd) / half > 0.2 and min(even, odd) / half < 0.05


def _control_heavy(text: str) -> bool:
    bad = len(_CONTROL.findall(text[:100_000]))
    return bool(bad) and bad > max(3, len(text[:100_000]) // 200)


def _checked(text: str, enc: str, path: str) -> str:
    if _control_heavy(text):
        raise _binary(path)
    return text


def _binary(path: str) -> InputError:
    return InputError(
        f"{path}: looks like a binary file",
        "it contains NUL or control bytes that no text document has (or bytes its byte-order mark does not fit)",
        "give the document itself (.txt, .html, .md, .docx or .pdf)",
    )


# --------------------------------------------------------------------------
# containers

DOCX_LIMIT = 200 * 1024 * 1024  # uncompressed bytes we are willing to inflate
_PDF_CONTENT_LIMIT = 24 * 1024 * 1024  # decoded content-stream bytes, summed over pages


def _pdf_content_size(page: PageObject, sizes: dict[int, int]) -> int:
    """Decoded bytes of a page's content streams, each stream decoded once (``sizes`` caches by id)."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    items = contents.get_object()
    refs = list(items) if isinstance(items, list) else [contents]
    n = 0
    for ref in refs:
        obj = ref.get_object()
        key = id(obj)
        if key not in sizes:
            get = getattr(obj, "get_data", None)
            sizes[key] = len(get()) if get else 0
        n += sizes[key]
    return n


_PDF_PLACEHOLDERS = frozenset({"", "untitled", "anonymous", "unknown", "unspecified", "none", "null"})
_PDF_DATE = compiled(r"D:(\d{4})(\d{2})?(\d{2})?")


def _pdf_text(data: bytes, path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    import logging

    import pypdf  # deferred: only PDF input pays for it
    from pypdf.errors import PdfReadError

    from jiaokan import pdftext

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok: int = reader.decrypt("")  # a PasswordType, 0 when not decrypted
            except Exception:  # noqa: BLE001 - any failure means "cannot open"
                ok = 0
            if not ok:
                raise InputError(f"{path}: is an encrypted PDF", "it needs a password to read its text", "save an unprotected copy or export the text")
        content = 0
        sizes: dict[int, int] = {}
        # Bound the work before extracting anything: pages may share one huge content stream (2,000
        # pages × 6 MB), which pypdf would parse once per page (about 1 MB a second).
        for page in reader.pages:
            content += _pdf_content_size(page, sizes)
            if content > _PDF_CONTENT_LIMIT:
                raise InputError(
                    f"{path}: too much PDF content (its pages' content streams exceed {_PDF_CONTENT_LIMIT:,} bytes)",
                    "that is far beyond any document's text layer (pages sharing one huge stream?)",
                    "check where the file came from, or export its text",
                )
        pages = list(pdftext.extract(data, reader.pages, lambda total: check_text_size(total, path)).pages)
        fields: list[tuple[str, str]] = []
        info: Mapping[str, object] = reader.metadata or {}
        for key in ("/Title", "/Author", "/CreationDate"):
            val = str(info.get(key) or "").strip()
            if val.lower() in _PDF_PLACEHOLDERS:
                continue  # reportlab and friends write "untitled" / "anonymous"
            if key == "/CreationDate":
                m = _PDF_DATE.match(val)
                if m:  # D:20220606093000+08'00' -> 2022-06-06
                    val = "-".join(g for g in m.groups() if g)
            fields.append((key.strip("/").lower(), val))
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError, RuntimeError) as exc:  # RuntimeError: pypdf meets an unsupported filter
        raise InputError(f"{path}: is not a readable PDF", f"pypdf could not parse it ({type(exc).__name__})", "re-save it from a PDF viewer, or export its text") from exc
    # A form feed marks each page break so the layout rule can find running
    # headers and page numbers, and re-join paragraphs cut by the break.
    return "\n\f\n".join(p.strip("\n") for p in pages), tuple(fields)


# --------------------------------------------------------------------------
# front matter, HTML sniffing, metadata

_FRONT_MATTER = compiled(r"\A\ufeff?\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


class _YamlAlias(Exception):
    pass


def _load_yaml(source: str) -> object:
    """``yaml.safe_load`` refusing anchors and aliases: their expansion is unbounded (a 32 KB "billion laughs"
    becomes gigabytes once its values are turned into strings)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            peek: Callable[[], yaml.Event] = self.peek_event  # annotated here: types-PyYAML leaves it untyped
            event = peek()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise _YamlAlias
            return super().compose_node(parent, index)

    loader = Loader(source)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _front_matter(text: str, path: str = "<text>") -> tuple[int, list[tuple[str, str]]] | None:
    m = _FRONT_MATTER.match(text)
    if not m:
        return None
    fields: list[tuple[str, str]] = []
    try:
        data = _load_yaml(m.group(1))
    except _YamlAlias:
        raise InputError(
            f"{path}: front matter uses YAML anchors or aliases (&name, *name)",
            "front matter needs none, and nested aliases can expand to gigabytes (a 'billion laughs')",
            "write the values out, without & and *",
        ) from None
    except Exception:  # noqa: BLE001 - malformed YAML is still front matter
        data = None
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(v, list):
                v = ", ".join(str(x) for x in v)
            fields.append((str(k), "" if v is None else str(v)))
    return m.end(), fields


# No pattern here scans past the next "<" (or a bound): on untrusted text every match attempt must end
# soon, or 400,000 unclosed <title> make a search quadratic.
_HTML_TAG = compiled(r"<(?:p|div|br|span|a|table|tr|td|li|ul|h[1-6]|body|html|head|meta|script|style|section|article)\b[^<>]{0,2000}>|<!doctype html", re.I)


def _looks_like_html(text: str) -> bool:
    sample = text[:200_000]
    head = sample.lstrip()[:100].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(_HTML_TAG.findall(sample)) >= 3


_META_OPEN = compiled(r"<meta\s[^<>]{0,4000}>", re.I)
_META_ATTR = compiled(r"""\b(name|property|content)\s*=\s*(?:"([^"]{0,4000})"|'([^']{0,4000})')""", re.I)
_TITLE_OPEN = compiled(r"<title\b[^<>]{0,2000}>", re.I)
_TITLE_CLOSE = compiled(r"</title\s{0,100}>", re.I)


def _html_meta(text: str) -> list[tuple[str, str]]:
    import html

    fields = []
    m = _TITLE_OPEN.search(text)
    if m:  # the first <title> and the first </title> after it: one pass, however many are unclosed
        close = _TITLE_CLOSE.search(text, m.end())
        title = text[m.end(): close.start()] if close else ""
        if title.strip():
            fields.append(("title", html.unescape(title).strip()))
    for tag in _META_OPEN.finditer(text[:200_000]):
        attrs: dict[str, str] = {}
        for a in _META_ATTR.finditer(tag.group(0)):
            attrs.setdefault(a.group(1).lower(), a.group(2) if a.group(2) is not None else a.group(3))
        name = attrs.get("name") or attrs.get("property")
        content = attrs.get("content")
        if name and content and content.strip():
            fields.append((name.lower(), html.unescape(content).strip()))
    return fields


_DOC_NUMBER = compiled(r"[\u4e00-\u9fff]{1,10}[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*[号號]")
_DATE = compiled(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d\d-\d{1,2}-\d{1,2}|[〇一二三四五六七八九零○]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日")
_SOURCE = compiled(r"(?:来源|來源|出处|出處)\s*[:：]\s*([^\n\r<]{1,40})")
_TITLE_LINE = compiled(r"^[^\n\r<>]{0,40}(?:关于|關於|關于|关於)[^\n\r<>]{2,60}(?:意见|意見|通知|决定|決定|办法|辦法|规定|規定|方案|规划|規劃|纲要|綱要|报告|報告|批复|批覆|函|条例|條例)\s*$", re.M)
_TAGS = compiled(r"<[^<>]*>")
_RUBY_ANNOTATION = compiled(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def extract_metadata(body: str, fields: list[tuple[str, str]] | tuple[tuple[str, str], ...] = (), *, html: bool = False) -> Metadata:
    """Title, date, source and 文号 from fields where given, else from the text."""
    given = {k.lower(): v for k, v in fields}
    text = _TAGS.sub("\n", body[:300_000]) if html else body[:300_000]
    text = _RUBY_ANNOTATION.sub("", text)  # 國(guó)發 → 國發, so 文号 and dates are found
    doc_number = None
    m = _DOC_NUMBER.search(text)
    if m:
        doc_number = re.sub(r"\s+", "", m.group(0))
    title = given.get("title") or given.get("og:title")
    if not title:
        m = _TITLE_LINE.search(text)
        if m:
            title = re.sub(r"[\s\u3000\xa0]+", "", m.group(0))
    date = given.get("date") or given.get("created") or given.get("creationdate")
    if not date:
        found = _DATE.findall(text)
        if found:
            date = re.sub(r"\s+", "", found[-1])  # a signature date comes last
    source = given.get("source") or given.get("author") or given.get("creator")
    if not source:
        m = _SOURCE.search(text)
        if m:
            source = m.group(1).strip(" \u3000\xa0")
    return Metadata(title=title, date=date, source=source or None, doc_number=doc_number, fields=tuple((k, v) for k, v in fields))
