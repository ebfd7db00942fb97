"""Benchmark: a PDF's text layer as pypdf and PDFium (pypdfium2) read it, and as jiaokan reads it (run by hand).

    python benchmarks/bench_pdf.py [--repeat 3] [--samples a.txt,b.txt]

Each sample of samples/ is drawn as PDFs the ways Chinese documents arrive (tests/pdfs.py makes them): reportlab's
CID font STSong-Light (/UniGB-UCS2-H, no /ToUnicode), a TrueType CJK font embedded as subsets (with /ToUnicode), the
same with /ToUnicode stripped, /GBK-EUC-H over a non-embedded 宋体 (and that file damaged: no ``endobj``), Adobe-GB1 CIDs under /Identity-H, and an
embedded TrueType font under /Identity-H with and without /ToUnicode.  What each reader gives is scored against the
text drawn: character accuracy (1 - Levenshtein distance / length, spaces and line breaks left out of both),
U+FFFD and ``(cid:N)`` counts, unreadable characters (jiaokan.pdftext.unreadable) and milliseconds per page (best of
N).  "jiaokan" is ``document_from_bytes``: pypdf's bounds and metadata, then PDFium with pypdf as the fallback.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jiaokan import pdftext  # noqa: E402
from jiaokan.ingest import document_from_bytes  # noqa: E402
from tests import pdfs  # noqa: E402  (the PDF makers the tests use)


def read_pypdf(data: bytes) -> list[str]:
    import pypdf

    return [pdftext.pypdf_page(p) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def read_pdfium(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    pages = []
    try:
        for i in range(len(doc)):
            try:
                pages.append(pdftext.clean(doc[i].get_textpage().get_text_range()))
            except pdfium.PdfiumError:
                pages.append("")  # a page PDFium cannot load gives no text
        return pages
    finally:
        doc.close()


def read_jiaokan(data: bytes) -> list[str]:
    return document_from_bytes(data, path="bench.pdf", format="pdf").text.split("\n\f\n")


READERS: dict[str, Callable[[bytes], list[str]]] = {"pypdf": read_pypdf, "pypdfium2": read_pdfium, "jiaokan": read_jiaokan}


def squeeze(text: str) -> str:
    return "".join(text.split())


def makers(font: Path) -> dict[str, Callable[[pdfs.Pages], bytes]]:
    return {
        "cid STSong-Light": pdfs.cid_pdf,
        "ttf subset": lambda pages: pdfs.ttf_pdf(pages, font),
        "ttf subset, no ToUnicode": lambda pages: pdfs.strip_to_unicode(pdfs.ttf_pdf(pages, font)),
        "GBK-EUC-H, no ToUnicode": pdfs.gbk_pdf,
        "GBK-EUC-H, no ToUnicode, damaged": lambda pages: pdfs.damage(pdfs.gbk_pdf(pages)),
        "Adobe-GB1 Identity-H, no ToUnicode": pdfs.gb1_pdf,
        "TrueType Identity-H": lambda pages: pdfs.identity_pdf(pages, font, to_unicode=True),
        "TrueType Identity-H, no ToUnicode": lambda pages: pdfs.identity_pdf(pages, font),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--samples", default="")
    args = ap.parse_args()
    font = pdfs.cjk_ttf()
    if font is None:
        sys.exit("bench_pdf: no TrueType CJK font (apt-get install fonts-wqy-microhei)")
    names = [s for s in args.samples.split(",") if s] or sorted(p.name for p in (ROOT / "samples").glob("*.txt"))
    texts = {n: (ROOT / "samples" / n).read_text(encoding="utf-8") for n in names}
    print(f"font: {font}; samples: {', '.join(names)}; {sum(len(pdfs.layout(t)) for t in texts.values())} pages per kind\n")
    print("| PDF | reader | accuracy | U+FFFD | (cid:) | unreadable | ms / page |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for kind, make in makers(font).items():
        built = []
        for text in texts.values():
            pages = pdfs.layout(text)
            built.append(("\n".join("\n".join(p) for p in pages), make(pages), len(pages)))
        for reader_name, reader in READERS.items():
            distance = length = fffd = cid = bad = 0
            seconds = 0.0
            n_pages = 0
            for truth, data, n in built:
                got = "\n".join(reader(data))
                t = squeeze(truth)
                distance += Levenshtein.distance(t, squeeze(got))
                length += len(t)
                fffd += got.count("\ufffd")
                cid += got.count("(cid:")
                bad += pdftext.unreadable(got)
                seconds += best(lambda data=data, reader=reader: reader(data), args.repeat)
                n_pages += n
            acc = 1 - distance / max(1, length)
            print(f"| {kind} | {reader_name} | {acc:.4f} | {fffd:,} | {cid:,} | {bad:,} | {1000 * seconds / n_pages:.2f} |")


if __name__ == "__main__":
    main()
