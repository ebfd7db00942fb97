"""PDFs of Chinese text made the ways they really arrive, for tests/test_pdf.py and benchmarks/bench_pdf.py.

``layout(text)`` cuts a text into pages of lines (what is drawn, so what an extractor should give back); each maker
takes those pages and returns the PDF's bytes:

* ``cid_pdf``: reportlab's built-in CID font STSong-Light (Type0, /UniGB-UCS2-H, not embedded, no /ToUnicode: the
  reader maps codes through the predefined CMap);
* ``ttf_pdf``: a TrueType CJK font embedded as reportlab's subsets (simple fonts of 256 codes, each with /ToUnicode);
* ``strip_to_unicode(pdf)``: the same file with every /ToUnicode taken out (its codes then mean nothing);
* ``gbk_pdf``: Type0 /GBK-EUC-H over a non-embedded 宋体, GBK bytes in the content, no /ToUnicode (older 公文 software);
* ``damage(pdf)``: the file with its ``endobj`` keywords gone (a broken writer);
* ``identity_pdf``: Type0 /Identity-H, glyph ids in the content, the whole TrueType font embedded, with or without
  /ToUnicode (the common case of a 公文 PDF "without a text layer map").

The last two are written by ``write_pdf``, a minimal PDF writer (one content stream a page, an xref table).
"""

from __future__ import annotations

import functools
import io
import re
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

Pages = list[list[str]]

#: A TrueType CJK font (.ttc/.ttf with glyf outlines: reportlab cannot embed CFF ones such as Noto CJK's .otf).
CJK_TTF_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def cjk_ttf() -> Path | None:
    """The first TrueType CJK font found (Debian's fonts-wqy-microhei, which .ci/run installs), or None."""
    for p in CJK_TTF_CANDIDATES:
        if Path(p).is_file():
            return Path(p)
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30, check=False).stdout
    except OSError:
        return None
    for line in out.splitlines():
        path = line.split(":")[0].strip()
        if path.endswith((".ttf", ".ttc")):
            return Path(path)
    return None


def layout(text: str, *, width: int = 38, lines_per_page: int = 46) -> Pages:
    """``text`` as drawn: each line cut every ``width`` characters, pages of ``lines_per_page`` lines; blank lines kept."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        raw = raw.replace("\t", " ").rstrip()
        if not raw:
            lines.append("")
            continue
        lines.extend(raw[i:i + width] for i in range(0, len(raw), width))
    pages = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    return pages or [[]]


# ---------------------------------------------------------------- reportlab


def _reportlab(pages: Pages, font: str, size: float = 12) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for lines in pages:
        c.setFont(font, size)
        y = 800.0
        for line in lines:
            if line:
                c.drawString(50, y, line)
            y -= size * 1.4
        c.showPage()
    c.save()
    return buf.getvalue()


def cid_pdf(pages: Pages) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return _reportlab(pages, "STSong-Light")


def ttf_pdf(pages: Pages, font_file: Path) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"CJK-{font_file.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font_file), subfontIndex=0))
    return _reportlab(pages, name)


def strip_to_unicode(pdf: bytes) -> bytes:
    """``pdf`` with every font's /ToUnicode removed, as many producers of 公文 PDFs leave them."""
    import pypdf
    from pypdf.generic import NameObject

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object() if fonts else {}).values():
            font = ref.get_object()
            font.pop(NameObject("/ToUnicode"), None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def damage(pdf: bytes) -> bytes:
    """``pdf`` with its ``endobj`` keywords gone, as a broken writer leaves them: pypdf still reads its pages, PDFium
    opens the file but loads none of them."""
    return pdf.replace(b"endobj", b"")


# ---------------------------------------------------------------- a minimal writer


def write_pdf(page_streams: list[bytes], font_objects: list[bytes], *, font_ref: int = 0) -> bytes:
    """A PDF whose pages draw ``page_streams`` with font /F1 = object ``font_ref`` of ``font_objects`` (1-based
    object numbers follow the catalog, the page tree and the pages; ``font_objects`` may refer to one another by
    ``{n}`` placeholders, replaced by their numbers)."""
    n_pages = len(page_streams)
    first_font = 3 + 2 * n_pages  # 1 catalog, 2 pages, then a page and its content for each page
    numbers = [first_font + i for i in range(len(font_objects))]
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n_pages))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages))
    for i, stream in enumerate(page_streams):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                       % (numbers[font_ref], 4 + 2 * i))
        packed = zlib.compress(stream)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))
    for body in font_objects:
        objects.append(re.sub(rb"\{(\d+)\}", lambda m: b"%d" % numbers[int(m.group(1))], body))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (k, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _content(pages: Pages, encode: Callable[[str], bytes], size: float = 12) -> list[bytes]:
    streams = []
    for lines in pages:
        ops = [b"BT", b"/F1 %g Tf" % size, b"%g TL" % (size * 1.4), b"50 800 Td"]
        for line in lines:
            if line:
                ops.append(b"<%s> Tj" % encode(line).hex().encode())
            ops.append(b"T*")
        ops.append(b"ET")
        streams.append(b"\n".join(ops))
    return streams


def gbk_pdf(pages: Pages) -> bytes:
    """Type0 /GBK-EUC-H over a non-embedded 宋体 (Adobe-GB1), no /ToUnicode: only a reader with the predefined CMaps
    can map its codes (characters outside GBK are drawn as '?')."""

    def encode(line: str) -> bytes:
        return line.encode("gbk", errors="replace")

    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /GBK-EUC-H /DescendantFonts [{1} 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
            b" /FontDescriptor {2} 0 R /DW 1000 >>",
            b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 996 855] /ItalicAngle 0 /Ascent 859 /Descent -141"
            b" /CapHeight 859 /StemV 80 >>")
    return write_pdf(_content(pages, encode), list(font))


#: Adobe-GB1's CID → Unicode table (Debian's poppler-data, which .ci/run installs): line N is CID N.
ADOBE_GB1 = Path("/usr/share/poppler/cidToUnicode/Adobe-GB1")


@functools.cache
def _gb1_cids() -> dict[str, int]:
    cids: dict[str, int] = {}
    for cid, line in enumerate(ADOBE_GB1.read_text(encoding="ascii").splitlines()):
        if line.strip():
            cids.setdefault(chr(int(line.split()[0], 16)), cid)
    return cids


def gb1_pdf(pages: Pages) -> bytes:
    """Type0 /Identity-H over a non-embedded CID-keyed 宋体 of the Adobe-GB1 collection, no /ToUnicode: the content
    holds Adobe-GB1 CIDs (as Distiller writes a CID-keyed font), which only a reader with the collection's
    CID → Unicode table can map (characters outside it are drawn as CID 0)."""
    cids = _gb1_cids()

    def encode(line: str) -> bytes:
        return b"".join(struct.pack(">H", cids.get(ch, 0)) for ch in line)

    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [{1} 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 5 >>"
            b" /FontDescriptor {2} 0 R /DW 1000 >>",
            b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -141 996 855] /ItalicAngle 0 /Ascent 859 /Descent -141"
            b" /CapHeight 859 /StemV 80 >>")
    return write_pdf(_content(pages, encode), list(font))


@functools.cache
def _ttf_tables(font_file: Path) -> tuple[bytes, dict[int, int]]:
    """The first font of ``font_file`` as a standalone .ttf (a .ttc's tables copied out), and its Unicode → glyph id."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    data = font_file.read_bytes()
    base = struct.unpack(">I", data[12:16])[0] if data[:4] == b"ttcf" else 0
    num = struct.unpack(">H", data[base + 4:base + 6])[0]
    records = [struct.unpack(">4sIII", data[base + 12 + 16 * i:base + 28 + 16 * i]) for i in range(num)]
    head = bytearray(data[base:base + 12])
    body = bytearray()
    offset = 12 + 16 * num
    table_dir = bytearray()
    for tag, checksum, off, length in records:
        table_dir += struct.pack(">4sIII", tag, checksum, offset + len(body), length)
        body += data[off:off + length]
        body += b"\0" * (-len(body) % 4)
    charmap = TTFontFile(str(font_file), subfontIndex=0).charToGlyph
    return bytes(head + table_dir + body), dict(charmap)


def identity_pdf(pages: Pages, font_file: Path, *, to_unicode: bool = False) -> bytes:
    """Type0 /Identity-H: each character drawn as its glyph id in the embedded TrueType font (CIDToGIDMap /Identity);
    with ``to_unicode`` a /ToUnicode CMap maps the ids back, without it only the font's own cmap can."""
    ttf, charmap = _ttf_tables(font_file)
    used: dict[int, str] = {}

    def encode(line: str) -> bytes:
        out = bytearray()
        for ch in line:
            gid = charmap.get(ord(ch), 0)
            if gid:
                used.setdefault(gid, ch)
            out += struct.pack(">H", gid)
        return bytes(out)

    streams = _content(pages, encode)
    packed = zlib.compress(ttf)
    tail = b" /ToUnicode {3} 0 R" if to_unicode else b""
    font = [b"<< /Type /Font /Subtype /Type0 /BaseFont /CJKSans /Encoding /Identity-H /DescendantFonts [{1} 0 R]%s >>" % tail,
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /CJKSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            b" /FontDescriptor {2} 0 R /DW 1000 /CIDToGIDMap /Identity >>",
            b"<< /Type /FontDescriptor /FontName /CJKSans /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200"
            b" /CapHeight 800 /StemV 80 /FontFile2 {4} 0 R >>"]
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    items = sorted(used.items())
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        cmap.append(f"{len(chunk)} beginbfchar")
        cmap.extend(f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for gid, ch in chunk)
        cmap.append("endbfchar")
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    cmap_bytes = "\n".join(cmap).encode()
    font.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap_bytes), cmap_bytes))
    font.append(b"<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), len(ttf), packed))
    return write_pdf(streams, font)
