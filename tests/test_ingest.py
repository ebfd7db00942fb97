"""Stage 1, ingest: every way a document really arrives, on snippets of the samples.

Each test asserts what a user sees: the decoded text (every offset jiaokan
reports points into it), the format and encoding shown in the report header,
the metadata, and line/column positions.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaokan.ingest import Document, document_from_bytes, document_from_text, read_document
from jiaokan.normalize import normalize

from .cli import run

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _lines(name: str) -> list[str]:
    return [line for line in (SAMPLES / name).read_text(encoding="utf-8").split("\n") if line.strip()]


# 002, the county notice (simplified): 一、发展现状和总体要求 / （一）发展现状。 / two body paragraphs.
COUNTY = "\n\n".join(_lines("directive-county-forward-002.txt")[8:12]) + "\n"
# 003, traditional characters, the lines that Big5 can encode (it lacks 着, 为, 线 ...).
PROVINCES = "\n".join(_lines("provinces-article-003.txt")[i] for i in (1, 3, 6, 7, 8, 9)) + "\n"


def _family(encoding: str) -> str:
    return codecs.lookup(encoding).name


def test_snippets_are_what_the_tests_think() -> None:
    assert COUNTY.startswith("一、发展现状和总体要求\n\n（一）发展现状。\n\n党的十八大以来")
    assert "“一网通办”" in COUNTY
    assert PROVINCES.startswith("多省出台數字政府相關政策")
    assert "國務院關於加強數字政府建設的指導意見" in PROVINCES


# --------------------------------------------------------------------------
# encodings


UTF16_CASES = [
    pytest.param(codecs.BOM_UTF16_LE + COUNTY.encode("utf-16-le"), "utf-16-le", id="utf16-le-bom"),
    pytest.param(codecs.BOM_UTF16_BE + COUNTY.encode("utf-16-be"), "utf-16-be", id="utf16-be-bom"),
    pytest.param(COUNTY.encode("utf-16-le"), "utf-16-le", id="utf16-le-no-bom"),
    pytest.param(COUNTY.encode("utf-16-be"), "utf-16-be", id="utf16-be-no-bom"),
]


@pytest.mark.parametrize(
    ("data", "family"),
    [
        pytest.param(COUNTY.encode("utf-8"), "utf-8", id="utf8"),
        pytest.param(COUNTY.encode("gbk"), "gb18030", id="gbk"),
        pytest.param(COUNTY.encode("gb18030"), "gb18030", id="gb18030"),
        pytest.param(codecs.BOM_UTF8 + COUNTY.encode("utf-8"), "utf-8", id="utf8-bom"),
        *UTF16_CASES,
    ],
)
def test_simplified_text_decodes_to_the_utf8_original(data: bytes, family: str) -> None:
    doc = document_from_bytes(data, path="notice.txt", format="text")
    assert doc.text == COUNTY  # no BOM, no mojibake, nothing dropped
    assert _family(doc.encoding) in ({family, "gbk"} if family == "gb18030" else {family})
    assert doc.format == "text"
    # offsets are code points in the decoded text, whatever the bytes were
    i = doc.text.index("一网通办")
    assert doc.text[i : i + 4] == "一网通办"
    assert doc.locate(i) == Document.locate(document_from_text(COUNTY), i)
    assert doc.locate(0) == (1, 1)


def test_traditional_big5_decodes_to_the_utf8_original() -> None:
    doc = document_from_bytes(PROVINCES.encode("big5"), path="provinces.txt")
    assert doc.text == PROVINCES
    assert _family(doc.encoding) in {"big5", "cp950", "big5hkscs"}
    i = doc.text.index("國務院關於")
    assert doc.locate(i) == (2, 1)


def test_read_document_of_a_gbk_file_with_a_chinese_name(tmp_path: Path) -> None:
    path = tmp_path / "通知.txt"
    path.write_bytes(COUNTY.encode("gbk"))
    doc = read_document(path)
    assert doc.text == COUNTY
    assert doc.path == str(path)
    assert doc.sha256 == hashlib.sha256(COUNTY.encode("gbk")).hexdigest()  # of the bytes on disk


COUNTY_LINES = _lines("directive-county-forward-002.txt")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(COUNTY_LINES) - 3), st.integers(3, 8))
def test_gb18030_round_trip_of_any_excerpt(start: int, length: int) -> None:
    text = "\n".join(COUNTY_LINES[start : start + length])
    doc = document_from_bytes(text.encode("gb18030"), path="x.txt")
    assert doc.text == text


def test_a_legacy_encoded_line_is_read_right_or_refused_never_misread() -> None:
    """One line is too little to be sure of GBK vs Big5: refusing is fine, mojibake is not.

    (charset-normalizer ranks UTF-16 first for a GBK heading like （二）健全推进机制。,
    which used to come back as Hangul.)
    """
    from jiaokan.errors import InputError

    han = re.compile(r"[\u4e00-\u9fff]")
    read = 0
    for path in sorted(SAMPLES.iterdir()):
        for line in _lines(path.name):
            if len(han.findall(line)) < 5:
                continue
            for codec in ("gbk", "big5"):
                try:
                    data = line.encode(codec)
                except UnicodeEncodeError:
                    continue
                try:
                    doc = document_from_bytes(data, path="line.txt", format="text")
                except InputError as exc:
                    assert "cannot be decoded" in str(exc)
                    continue
                assert doc.text == line, (codec, line)
                read += 1
    assert read > 150


# --------------------------------------------------------------------------
# HTML

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="gbk">
<title>国务院关于加强数字政府建设的指导意见_政府信息公开专栏</title>
<style>p { text-indent: 2em; } .hide { display: none }</style>
<script>var notice = "脚本里的字"; if (a < b && c) { show(); }</script>
</head><body>
<!-- 正文开始：注释里的字 -->
<p>国发〔2022〕14号</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>加强数字政府建设是适应新一轮科技革命和产业变革趋势&nbsp;的必然要求&amp;先导性工程&#123;引领&#125;。<br>为贯彻落实党中央、国务院关于加强数字政府建设的重大决策部署，现提出以下意见。</p>
</body></html>
"""


def test_gbk_html_page_with_meta_charset() -> None:
    doc = document_from_bytes(PAGE.encode("gbk"), path="zhengce.html", format="html")
    assert doc.format == "html"
    assert _family(doc.encoding) in {"gb18030", "gbk"}
    assert doc.text == PAGE  # the source itself: findings point into the file as on disk
    assert doc.metadata.title == "国务院关于加强数字政府建设的指导意见_政府信息公开专栏"
    assert doc.metadata.doc_number == "国发〔2022〕14号"

    # what the markup rule leaves of it: text only, entities decoded, <br> breaks the line
    text = normalize(doc, rules="markup").text
    for hidden in ("脚本里的字", "注释里的字", "text-indent", "<p>", "&nbsp;", "&amp;", "&#123;"):
        assert hidden not in text
    assert "趋势 的必然要求&先导性工程{引领}。" in text
    lines = text.split("\n")
    assert any(line.endswith("{引领}。") for line in lines)
    assert any(line.startswith("为贯彻落实") for line in lines)


def test_html_sniffed_in_a_txt_file_is_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.encode("gbk"))
    assert read_document(path).format == "html"


def test_xinhua_txt_is_front_matter_plus_html() -> None:
    doc = read_document(SAMPLES / "xinhua-summary-000.txt")
    assert doc.format == "html"
    assert doc.encoding == "utf-8"
    assert doc.metadata.title == "国务院印发《关于加强数字政府建设的指导意见》"
    assert doc.metadata.date == "Thu, 23 Jun 2022 09:09:32 GMT"
    assert doc.metadata.source == "新浪财经"  # from `author:`; the page has no `source:`
    fields = dict(doc.metadata.fields)
    assert fields["comments"] == "False"
    assert "新浪财经－国內" in fields["categories"]
    # the body starts right after the closing ---
    assert doc.text[: doc.body_start].rstrip().endswith("---")
    assert doc.text[doc.body_start :].lstrip().startswith("<div>")
    assert doc.locate(doc.body_start) == (14, 1)


# --------------------------------------------------------------------------
# Markdown

MARKDOWN = """---
title: 国务院关于加强数字政府建设的指导意见
date: 2022-06-06
source: 中国政府网
tags: [数字政府, 国发]
---
# 国务院关于加强数字政府建设的指导意见

国发〔2022〕14号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_markdown_front_matter(newline: str) -> None:
    source = MARKDOWN.replace("\n", newline)
    doc = document_from_bytes(source.encode("utf-8"), path="directive.md", format="markdown")
    assert doc.format == "markdown"
    assert doc.metadata.title == "国务院关于加强数字政府建设的指导意见"
    assert doc.metadata.date == "2022-06-06"
    assert doc.metadata.source == "中国政府网"
    assert doc.metadata.doc_number == "国发〔2022〕14号"
    assert dict(doc.metadata.fields)["tags"] == "数字政府, 国发"
    assert doc.text == source
    assert doc.text[doc.body_start :].startswith("# 国务院关于")
    assert doc.locate(doc.body_start) == (7, 1)


def test_markdown_without_front_matter_starts_at_zero() -> None:
    doc = document_from_text("# 标题\n\n正文。\n", path="a.md", format="markdown")
    assert doc.body_start == 0
    assert doc.metadata.fields == ()


# --------------------------------------------------------------------------
# .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(paragraphs: list[list[str]], *, title: str | None = None, document: bool = True) -> bytes:
    """A minimal valid .docx: paragraphs of runs, and a dc:title if given."""
    body = "".join(
        '<w:p><w:pPr><w:jc w:val="both"/></w:pPr>'
        + "".join(f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{run}</w:t></w:r>' for run in runs)
        + "</w:p>"
        for runs in paragraphs
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        if document:
            zf.writestr(
                "word/document.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>',
            )
        if title is not None:
            zf.writestr(
                "docProps/core.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{title}</dc:title></cp:coreProperties>",
            )
    return buf.getvalue()


DOCX_PARAGRAPHS = [
    ["国务院关于加强", "数字政府建设的指导意见"],  # one paragraph in two runs
    ["国发〔2022〕14号"],
    ["各省、自治区、直辖市人民政府，国务院各部委、各直属机构："],
    ["加强数字政府建设是适应新一轮科技革命和产业变革趋势的必然要求。"],
]


def test_docx_paragraphs_one_per_line_and_title(tmp_path: Path) -> None:
    path = tmp_path / "指导意见.docx"
    path.write_bytes(make_docx(DOCX_PARAGRAPHS, title="关于加强数字政府建设的指导意见"))
    doc = read_document(path)
    assert doc.format == "docx"
    assert doc.text == (
        "国务院关于加强数字政府建设的指导意见\n"
        "国发〔2022〕14号\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
        "加强数字政府建设是适应新一轮科技革命和产业变革趋势的必然要求。"
    )
    assert doc.metadata.title == "关于加强数字政府建设的指导意见"  # dc:title wins over the text
    assert doc.metadata.doc_number == "国发〔2022〕14号"
    assert doc.locate(doc.text.index("国发")) == (2, 1)


def test_docx_without_core_properties_takes_title_from_text() -> None:
    doc = document_from_bytes(make_docx(DOCX_PARAGRAPHS), path="x.docx", format="docx")
    assert doc.metadata.title == "国务院关于加强数字政府建设的指导意见"


# --------------------------------------------------------------------------
# .pdf

SENTENCE_1 = "加强数字政府建设是适应新一轮科技革命和"
SENTENCE_2 = "产业变革趋势、引领驱动数字经济发展的必然要求。"


def make_pdf(pages: list[list[str]], **canvas_options: object) -> bytes:
    """A PDF with Chinese text, drawn with reportlab's built-in STSong-Light CID font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, **canvas_options)  # type: ignore[arg-type]
    for lines in pages:
        c.setFont("STSong-Light", 14)
        y = 780
        for line in lines:
            c.drawString(72, y, line)
            y -= 24
        c.showPage()
    c.save()
    return buf.getvalue()


PDF_PAGES = [["国务院关于加强数字政府建设的指导意见", SENTENCE_1], [SENTENCE_2, "国务院", "2022年6月6日"]]


def test_pdf_two_pages_separated_by_a_form_feed(tmp_path: Path) -> None:
    path = tmp_path / "指导意见.pdf"
    path.write_bytes(make_pdf(PDF_PAGES))
    doc = read_document(path)
    assert doc.format == "pdf"
    pages = doc.text.split("\f")
    assert len(pages) == 2
    assert [line for line in pages[0].split("\n") if line] == ["国务院关于加强数字政府建设的指导意见", SENTENCE_1]
    assert [line for line in pages[1].split("\n") if line] == [SENTENCE_2, "国务院", "2022年6月6日"]
    # a reportlab PDF says Title "untitled", Author "anonymous": placeholders, not metadata
    assert doc.metadata.title == "国务院关于加强数字政府建设的指导意见"
    assert doc.metadata.source is None
    assert doc.locate(doc.text.index(SENTENCE_2))[1] == 1  # starts a line


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"  # the extension lies
    path.write_bytes(make_pdf(PDF_PAGES))
    doc = read_document(path)
    assert doc.format == "pdf"
    assert SENTENCE_1 in doc.text


def test_docx_named_txt_is_read_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(make_docx(DOCX_PARAGRAPHS))
    assert read_document(path).format == "docx"


# --------------------------------------------------------------------------
# metadata from the real samples


def test_metadata_of_the_vendor_reprint() -> None:
    meta = read_document(SAMPLES / "directive-vendor-reprint-001.txt").metadata
    # the ruby 國(guó)發 is looked through; the script is kept as the page has it
    assert meta.doc_number == "國發〔2022〕14号"
    assert "發〔2022〕14号" in meta.doc_number
    assert meta.date == "2022年6月6日"  # the signature, not the 2022-07-12 posting time
    assert meta.source == "中國政府網"
    assert meta.title == "國務院關于加強數字政府建設的指導意見"


def test_metadata_of_the_county_notice() -> None:
    meta = read_document(SAMPLES / "directive-county-forward-002.txt").metadata
    assert meta.doc_number == "舞工信〔2022〕25号"  # its own number, the first one in the file
    assert meta.date is None  # 002 drops the signature date
    assert meta.source is None


# --------------------------------------------------------------------------
# line and column


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_locate_counts_lines_and_code_points(newline: str) -> None:
    lines = ["国务院关于加强数字政府建设的指导意见", "", "国發〔2022〕14号", "𠀀𠀁 astral 字"]
    text = newline.join(lines) + newline
    doc = document_from_text(text, path="x.txt")
    assert doc.text == text  # line endings are kept: offsets point into the file as it is
    assert doc.locate(0) == (1, 1)
    assert doc.locate(text.index("指导")) == (1, 15)
    assert doc.locate(text.index("国發")) == (3, 1)
    assert doc.locate(text.index("14号")) == (3, 9)
    assert doc.locate(text.index("astral")) == (4, 4)  # 𠀀 is one code point, not two
    # the line break itself belongs to the line it ends
    end_of_first = len(lines[0])
    assert doc.locate(end_of_first) == (1, len(lines[0]) + 1)
    assert doc.locate(end_of_first + len(newline)) == (2, 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="国务院a b，。\t", max_size=8), st.sampled_from(["\n", "\r\n", "\r"])), max_size=8))
def test_locate_matches_a_naive_count(parts: list[tuple[str, str]]) -> None:
    text = "".join(a + b for a, b in parts)
    if not text.strip():
        return
    doc = document_from_text(text, path="x.txt")
    line, col = 1, 1
    i = 0
    while i < len(text):
        assert doc.locate(i) == (line, col), (text, i)
        if text.startswith("\r\n", i):
            assert doc.locate(i + 1) == (line, col + 1)
            i += 2
            line, col = line + 1, 1
        elif text[i] in "\r\n":
            i += 1
            line, col = line + 1, 1
        else:
            i += 1
            col += 1


# --------------------------------------------------------------------------
# standard input


def test_normalize_reads_standard_input() -> None:
    done = run(["normalize", "-"], input=COUNTY.encode("gbk"))
    assert done.code == 0, done.err
    assert done.err_bytes == b""
    out = done.out
    header, *rest = out.splitlines()
    assert header.startswith("# -  (text, gb18030;")
    assert any(line.endswith("| 一、发展现状和总体要求") for line in rest)
    assert any("“一网通办”" in line for line in rest)


def test_normalize_reads_html_from_standard_input() -> None:
    done = run(["normalize", "--rules", "markup", "-"], input=PAGE.encode("gbk"))
    assert done.code == 0, done.err
    out = done.out
    assert out.startswith("# -  (html, gb18030;")
    assert "脚本里的字" not in out
    assert "国发〔2022〕14号" in out
