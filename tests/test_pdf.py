"""A PDF's text layer (jiaokan.pdftext: PDFium, pypdf as the fallback) and page-relative locations of findings."""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pypdf
import pytest
from rapidfuzz.distance import Levenshtein

from jiaokan import ingest, pdftext
from jiaokan.ingest import document_from_bytes, document_from_text, read_document

from . import pdfs
from .cli import run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "samples/directive-county-forward-002.txt").read_text(encoding="utf-8")


def drawn(pages: pdfs.Pages) -> str:
    return "\n".join("\n".join(p) for p in pages)


def accuracy(truth: str, got: str) -> float:
    """1 - edit distance / length, spaces and line breaks left out of both."""
    t, g = "".join(truth.split()), "".join(got.split())
    return 1 - Levenshtein.distance(t, g) / len(t)


@pytest.fixture(scope="module")
def font() -> Path:
    found = pdfs.cjk_ttf()
    assert found is not None, "no TrueType CJK font: apt-get install fonts-wqy-microhei (.ci/run does)"
    return found


@pytest.fixture(scope="module")
def sample_pages() -> pdfs.Pages:
    return pdfs.layout(SAMPLE)[:4]


def read_pypdf(data: bytes) -> str:
    return "\n".join(pdftext.pypdf_page(p) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


# ---------------------------------------------------------------- the extractor chosen, and its fallback


def test_a_cjk_pdf_embedding_a_truetype_subset_reads_as_drawn(font: Path, sample_pages: pdfs.Pages) -> None:
    doc = document_from_bytes(pdfs.ttf_pdf(sample_pages, font), path="subset.pdf")
    assert doc.format == "pdf"
    assert doc.text.count("\f") == len(sample_pages) - 1
    assert accuracy(drawn(sample_pages), doc.text) >= 0.999
    assert pdftext.unreadable(doc.text) == 0


def test_a_cid_font_pdf_reads_as_drawn(sample_pages: pdfs.Pages) -> None:
    doc = document_from_bytes(pdfs.cid_pdf(sample_pages), path="cid.pdf")
    assert accuracy(drawn(sample_pages), doc.text) >= 0.999


def test_adobe_gb1_cids_without_to_unicode_read_as_drawn(sample_pages: pdfs.Pages) -> None:
    """The 公文 case: a CID-keyed 宋体 under /Identity-H and no /ToUnicode.  pypdf alone gives glyph ids as
    characters (the reason PDFium reads first); jiaokan gives the text."""
    data = pdfs.gb1_pdf(sample_pages)
    assert accuracy(drawn(sample_pages), read_pypdf(data)) < 0.5
    doc = document_from_bytes(data, path="gb1.pdf")
    assert accuracy(drawn(sample_pages), doc.text) >= 0.999


def test_a_damaged_pdf_without_to_unicode_is_read_by_the_fallback(sample_pages: pdfs.Pages) -> None:
    """/GBK-EUC-H, no /ToUnicode, and no ``endobj``: PDFium opens it, loads its first page without the font (its
    GBK bytes read as Latin-1) and none of the others; pypdf reads them all."""
    data = pdfs.damage(pdfs.gbk_pdf(sample_pages))
    by_pdfium = pdftext.pdfium_pages(data, len(sample_pages))
    assert by_pdfium is not None and by_pdfium[1:] == [None] * (len(sample_pages) - 1)
    assert by_pdfium[0] and pdftext.unreadable_share(by_pdfium[0]) > pdftext.UNREADABLE_SHARE
    reader = pypdf.PdfReader(io.BytesIO(data))
    extraction = pdftext.extract(data, reader.pages, lambda _total: None)
    assert extraction.extractors == ("pypdf",) * len(sample_pages)
    doc = document_from_bytes(data, path="damaged.pdf")
    assert doc.text.count("\f") == len(sample_pages) - 1
    assert accuracy(drawn(sample_pages), doc.text) >= 0.99  # GBK cannot draw a few characters: they are '?'


def test_glyph_ids_read_as_characters_are_judged_unreadable(font: Path, sample_pages: pdfs.Pages) -> None:
    """An embedded TrueType font under /Identity-H without /ToUnicode: neither extractor maps its glyph ids, and
    what they give is judged mostly unreadable, where the same font with /ToUnicode reads as drawn."""
    data = pdfs.identity_pdf(sample_pages, font)
    reader = pypdf.PdfReader(io.BytesIO(data))
    bare = "\n\f\n".join(pdftext.extract(data, reader.pages, lambda _total: None).pages)
    mapped = document_from_bytes(pdfs.identity_pdf(sample_pages, font, to_unicode=True), path="mapped.pdf")
    assert accuracy(drawn(sample_pages), mapped.text) >= 0.999
    assert pdftext.unreadable_share(mapped.text) == 0
    assert accuracy(drawn(sample_pages), bare) < 0.5
    assert pdftext.unreadable_share(bare) > ingest.UNUSABLE_SHARE


def test_a_text_layer_no_one_can_read_goes_to_ocr(font: Path, sample_pages: pdfs.Pages, tmp_path: Path) -> None:
    """Glyph numbers without /ToUnicode are no text: the PDF is read as a scan (here with OCR's models made
    missing, so the one line says why it needed OCR), never compared as garbage."""
    (tmp_path / "bare.pdf").write_bytes(pdfs.identity_pdf(sample_pages[:1], font))
    (tmp_path / "base.txt").write_text(drawn(sample_pages[:1]), encoding="utf-8")
    (tmp_path / "no-models").mkdir()
    done = run(["diff", "base.txt", "bare.pdf"], cwd=tmp_path, env={"JIAOKAN_OCR_MODELS": str(tmp_path / "no-models")})
    assert done.code == 2 and len(done.err.strip().splitlines()) == 1, done.err
    assert done.err.startswith("jiaokan: error: bare.pdf: needs OCR: its text layer is unreadable (")
    assert 'pip install "jiaokan[ocr]"' in done.err


def test_unreadable_counts_replacement_characters_and_cid_placeholders() -> None:
    assert pdftext.unreadable("国务院\ufffd\ufffd(cid:123)(cid:7)ǒ①■，") == 4
    assert pdftext.unreadable_share("  ") == 0.0


def test_the_existing_bounds_hold(tmp_path: Path, sample_pages: pdfs.Pages) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(pdfs.cid_pdf(sample_pages))
    done = run(["diff", path, path], env={"JIAOKAN_MAX_CHARS": "500"})
    assert done.code == 2
    assert "big.pdf" in done.err and "Traceback" not in done.err


# ---------------------------------------------------------------- pages in locations


def test_locate_page_counts_lines_from_the_top_of_each_page() -> None:
    doc = document_from_text("一\n二\n\f\n三\n四\f五", path="x.txt")
    assert doc.locate_page(doc.text.index("二")) == (1, 2, 1)
    assert doc.locate_page(doc.text.index("四")) == (2, 2, 1)
    assert doc.locate(doc.text.index("四")) == (5, 1)  # the text's own lines run on
    assert doc.page_of(doc.text.index("五")) == 3
    plain = document_from_text("一\n二", path="y.txt")
    assert plain.page_of(1) is None and plain.locate_page(1) is None


def three_pages() -> tuple[pdfs.Pages, int, str, str]:
    """Three pages of the sample's lines (no blank lines, so each drawn line is a line of the text layer), and a
    change on page 3: (pages, its line in page 3, the words there, what the other copy reads)."""
    lines = [line for line in pdfs.layout(SAMPLE)[0] + pdfs.layout(SAMPLE)[1] + pdfs.layout(SAMPLE)[2] if line]
    lines += [line for page in pdfs.layout(SAMPLE)[3:6] for line in page if line]
    pages = [lines[i:i + 30] for i in (0, 30, 60)]
    for k, line in enumerate(pages[2][10:], 11):
        m = re.search("[\u4e00-\u9fff]{6}", line)
        if m:
            return pages, k, m.group()[2:4], "甲乙"
    raise AssertionError("no Chinese line on page 3")


def test_a_finding_on_page_3_says_page_3_and_its_line_there(tmp_path: Path) -> None:
    pages, line_in_page, words, other = three_pages()
    pdf = tmp_path / "通知.pdf"
    pdf.write_bytes(pdfs.cid_pdf(pages))
    witness_pages = [list(p) for p in pages]
    witness_pages[2][line_in_page - 1] = witness_pages[2][line_in_page - 1].replace(words, other, 1)
    txt = tmp_path / "转发.txt"
    txt.write_text(drawn(witness_pages) + "\n", encoding="utf-8")

    done = run(["diff", pdf, txt, "-f", "json"], cwd=tmp_path)
    assert done.code == 1, done.err
    data = json.loads(done.out)
    schema = json.loads(resources.files("jiaokan").joinpath("schemas/diff-1.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    found = [f for f in data["findings"] if f["severity"] == "substantive" and other in f["witness"]["text"]]
    assert len(found) == 1, data["substantive"]
    base, witness = found[0]["base"], found[0]["witness"]
    assert words in base["text"]  # (widened to whole words)
    assert (base["page"], base["page_line"]) == (3, line_in_page)
    assert base["line"] > 60  # the text's own line number runs on across pages
    assert "page" not in witness and "page_line" not in witness  # a text without page breaks: as before

    text = run(["diff", pdf, txt], cwd=tmp_path)
    assert f"通知.pdf p.3 l.{line_in_page}:{base['column']}" in text.out
    assert f"转发.txt:{witness['line']}:{witness['column']}" in text.out


def test_a_text_without_pages_has_no_page_in_its_json(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("国务院关于加强数字政府建设的指导意见。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("国务院关于加强数字社会建设的指导意见。\n", encoding="utf-8")
    done = run(["diff", "a.txt", "b.txt", "-f", "json"], cwd=tmp_path)
    assert done.code == 1
    spans = [f[side] for f in json.loads(done.out)["findings"] for side in ("base", "witness")]
    assert spans and all(set(s) == {"start", "end", "line", "column", "text"} for s in spans)


def test_sarif_gives_the_page_as_a_property(tmp_path: Path) -> None:
    pages, line_in_page, words, other = three_pages()
    (tmp_path / "base.pdf").write_bytes(pdfs.cid_pdf(pages))
    witness_pages = [list(p) for p in pages]
    witness_pages[2][line_in_page - 1] = witness_pages[2][line_in_page - 1].replace(words, other, 1)
    (tmp_path / "copy.pdf").write_bytes(pdfs.cid_pdf(witness_pages))
    done = run(["check", "base.pdf", "copy.pdf", "--format", "sarif"], cwd=tmp_path)
    assert done.code == 1, done.err
    results = json.loads(done.out)["runs"][0]["results"]
    located = [r for r in results if r["ruleId"] == "wording-substitution"]
    assert located, results
    location = located[0]["locations"][0]
    assert location["properties"] == {"page": 3, "pageLine": line_in_page}
    assert "region" not in location["physicalLocation"]  # a PDF's lines are its extracted text's: none given, as before


def test_read_document_of_a_pdf_gives_page_starts(tmp_path: Path, sample_pages: pdfs.Pages) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdfs.cid_pdf(sample_pages))
    doc = read_document(path)
    assert len(doc.page_starts) == len(sample_pages)
    first_of_page_2 = sample_pages[1][0]
    assert doc.locate_page(doc.text.index(first_of_page_2))[:2] == (2, 1)  # type: ignore[index]


def test_a_scanned_page_among_text_pages_is_read_by_ocr(tmp_path: Path) -> None:
    """A notice's text pages and a scanned page (a signature or seal page, an attachment): the scanned page is read
    by OCR, the others keep their text layer, and its locations say page 2."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from .test_ocr import LINES, error_rate, scan

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("STSong-Light", 14)
    c.drawString(72, 760, "舞阳县工业和信息化局关于转发通知的通知")
    c.showPage()
    image = scan(LINES).convert("RGB")
    c.drawImage(ImageReader(image), 36, 300, width=520, height=520 * image.height / image.width)
    c.showPage()
    c.save()
    doc = document_from_bytes(out.getvalue(), path="mixed.pdf")
    first, second = doc.text.split("\n\f\n")
    assert first == "舞阳县工业和信息化局关于转发通知的通知"
    assert error_rate(second, "".join(LINES)) <= 0.1, second
    assert doc.encoding == "pdf+ocr"
    at = doc.text.index(second.strip()[:4])
    assert doc.locate_page(at)[0] == 2
    assert all(start >= len(first) for start, _ in doc.uncertain)  # doubts only where OCR read


def test_a_text_layer_no_one_can_read_is_read_by_ocr_when_installed(font: Path, sample_pages: pdfs.Pages, monkeypatch: pytest.MonkeyPatch) -> None:
    from jiaokan import ocr

    calls: list[str] = []

    def reading(data: bytes, *, path: str = "<pdf>", dpi: int = ocr.DPI) -> ocr.Reading:
        calls.append(path)
        return ocr.Reading("国务院关于加强数字政府建设的指导意见", (1.0,) * 18, 1)

    monkeypatch.setattr(ocr, "read_pdf", reading)
    doc = document_from_bytes(pdfs.identity_pdf(sample_pages[:1], font), path="bare.pdf")
    assert calls == ["bare.pdf"] and (doc.encoding, doc.text) == ("ocr", "国务院关于加强数字政府建设的指导意见")


def test_a_one_page_pdf_says_page_1_and_a_text_file_no_page(sample_pages: pdfs.Pages) -> None:
    one = document_from_bytes(pdfs.cid_pdf(sample_pages[:1]), path="one.pdf")
    assert "\f" not in one.text and one.locate_page(0) == (1, 1, 1)
    assert document_from_text("一行。\n两行。\n", path="a.txt").locate_page(0) is None
