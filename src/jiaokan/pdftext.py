"""A PDF's text layer, page by page: PDFium (pypdfium2) first, pypdf as the fallback.

PDFium reads the CJK PDFs that arrive without a /ToUnicode map (predefined CMaps such as /GBKp-EUC-H and /B5pc-H,
Adobe-GB1 CIDs under /Identity-H) where pypdf gives characters that were never written; pypdf reads some damaged
files PDFium refuses (docs/pdf.md has the figures).  So each page is read by PDFium, and by pypdf instead when
PDFium cannot load it, finds no text on it where pypdf finds readable text, or reads it as mostly unreadable
characters and pypdf reads it better; the whole file is read
by pypdf when PDFium is not installed or cannot open it.

ingest.py opens the file with pypdf first either way: its encryption check, the bound on content-stream bytes and
the metadata are pypdf's, and PDFium's reading is used only when it finds the pages that bound was checked on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from jiaokan.patterns import compiled

if TYPE_CHECKING:
    from pypdf import PageObject

Extractor = Literal["pdfium", "pypdf"]

#: A page whose non-space characters are more than this share unreadable is read by the other extractor too.
UNREADABLE_SHARE = 0.25

# What a Chinese document's text is made of: ASCII (and the form feed that joins pages), Latin-1 and the Latin of pinyin (ǒ, combining tones), Greek and
# Cyrillic, general punctuation, letter-like symbols, number
# forms, arrows, maths, enclosed alphanumerics (①), box drawing, shapes (■□), misc symbols (★), CJK radicals,
# symbols and punctuation, kana, bopomofo, enclosed CJK, the ideographs (extension A, the URO, compatibility,
# extensions B onward), vertical, small and full-width forms.  Anything else in a PDF's text layer (Indic scripts,
# Hangul syllables, private use, controls, U+FFFD) is almost always a font's glyph ids read as code points.
_READABLE = compiled(
    "[\t\n\f\r\x20-\x7e\xa0-\u036f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff\u2000-\u206f\u2100-\u22ff\u2460-\u24ff\u2500-\u257f\u25a0-\u27bf"
    "\u2e80-\u2fdf\u3000-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uffef\U00020000-\U0003ffff]"
)
_LATIN1 = compiled("[\xa1-\xff]")
_CID = compiled(r"\(cid:\d+\)")
_SURROGATE = compiled("[\ud800-\udfff]")
_BREAKS = compiled("\r\n|[\r\f\x0b]")

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe; a scan's threads may read PDFs at once


@dataclass(frozen=True, slots=True)
class Extraction:
    """The text of each page and which extractor read it."""

    pages: tuple[str, ...]
    extractors: tuple[Extractor, ...]


def unreadable(text: str) -> int:
    """How many characters of ``text`` no document is written in: U+FFFD, ``(cid:N)`` placeholders (one each),
    controls, private use, and code points outside the scripts and symbols of a Chinese document; and Latin-1's
    (¶×¡³ÏÄ) when they are more than a quarter of the text: a CJK font's GBK or Big5 bytes read one by one."""
    cids = _CID.findall(text)
    rest = _CID.sub("", text) if cids else text
    readable = len(_READABLE.findall(rest))
    latin1 = len(_LATIN1.findall(rest))
    if latin1 * 4 <= sum(1 for ch in rest if not ch.isspace()):
        latin1 = 0
    return len(cids) + len(rest) - readable + latin1


def unreadable_share(text: str) -> float:
    """The share of ``text``'s non-space characters that are unreadable (0 for a text of spaces)."""
    n = sum(1 for ch in text if not ch.isspace())
    return unreadable(text) / n if n else 0.0


def clean(text: str) -> str:
    """One page's text as ingest keeps it: line breaks as ``\\n`` (a form feed inside a page would count as a page
    break), lone surrogates as U+FFFD, no NUL."""
    text = _BREAKS.sub("\n", text).replace("\x00", "")
    return _SURROGATE.sub("\ufffd", text)


def pypdf_page(page: PageObject) -> str:
    return clean(page.extract_text() or "")


def pdfium_pages(data: bytes, count: int) -> list[str | None] | None:
    """Each page's text as PDFium reads it (None where it cannot load the page), or None when PDFium is not
    installed, cannot open the file, or finds other than ``count`` pages (pypdf's, which the bound was checked on:
    more would be pages never bounded, fewer leave no way to tell which page is which)."""
    try:
        import pypdfium2 as pdfium  # deferred: only PDF input pays for it
    except ImportError:  # pragma: no cover - a platform without its wheel: pypdf reads alone
        return None
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return None
        try:
            if len(doc) != count:
                return None
            out: list[str | None] = []
            for i in range(len(doc)):
                try:
                    page = doc[i]
                except pdfium.PdfiumError:
                    out.append(None)
                    continue
                try:
                    textpage = page.get_textpage()
                    try:
                        out.append(clean(textpage.get_text_range()))
                    finally:
                        textpage.close()
                except pdfium.PdfiumError:
                    out.append(None)
                finally:
                    page.close()
            return out
        finally:
            doc.close()


def extract(data: bytes, pages: Sequence[PageObject], check: Callable[[int], None]) -> Extraction:
    """The text of every page (``pages``: pypdf's, already bounded); ``check`` is called with the running total of
    characters after each page, to refuse an oversized text before reading the rest."""
    primary = pdfium_pages(data, len(pages))
    texts: list[str] = []
    used: list[Extractor] = []
    total = 0
    for i, page in enumerate(pages):
        text = primary[i] if primary is not None else None
        extractor: Extractor = "pdfium"
        if text is None:
            text, extractor = pypdf_page(page), "pypdf"
        elif not text.strip():  # PDFium found no text on the page: a damaged page PDFium parsed as empty?
            other = pypdf_page(page)
            if other.strip() and unreadable_share(other) <= UNREADABLE_SHARE:
                text, extractor = other, "pypdf"
        elif unreadable_share(text) > UNREADABLE_SHARE:
            other = pypdf_page(page)
            if unreadable(other) < unreadable(text) and len(other.strip()) * 2 >= len(text.strip()):
                text, extractor = other, "pypdf"
        total += len(text)
        check(total)
        texts.append(text)
        used.append(extractor)
    return Extraction(tuple(texts), tuple(used))
