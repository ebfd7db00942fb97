"""Bounded work for every input, and decoding that refuses rather than guesses (issue 15, items 2 and 3).

No test here is timed: each asserts what the user gets, at sizes where the old code took minutes (quadratic
regular expressions, the standard library's HTML parser rescanning to the end, a "billion laughs") or
gigabytes, so a regression shows as a test that does not finish.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from pathlib import Path

import pytest

from jiaokan import normalize, read_document
from jiaokan.config import Settings, compile_framing
from jiaokan.diff import diff_documents
from jiaokan.errors import InputError
from jiaokan.findings import Code
from jiaokan.ingest import DEFAULT_MAX_CHARS, check_text_size, document_from_bytes, document_from_text, max_chars

from .cli import Result, run

BODY = "加强数字政府建设是适应新一轮科技革命和产业变革趋势的必然要求。"
GBK_TEXT = "关于加强数字政府建设的指导意见。各省、自治区、直辖市人民政府，国务院各部委、各直属机构：" + BODY


def one_error_line(done: Result) -> str:
    assert done.code == 2, done.err_bytes
    lines = done.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jiaokan: error: "), lines
    return lines[0]


# --- YAML front matter ------------------------------------------------------------------------------------


def _billion_laughs() -> str:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        name, prev = chr(ord("a") + i), chr(ord("a") + i - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n---\n" + BODY + "\n"


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_yaml_aliases_in_front_matter_are_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"page{suffix}"
    path.write_text(_billion_laughs(), encoding="utf-8")
    with pytest.raises(InputError, match="anchors or aliases") as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_front_matter_without_aliases_is_still_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: 关于加强数字政府建设的指导意见\ntags: [a, b]\n---\n" + BODY + "\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.metadata.title == "关于加强数字政府建设的指导意见"
    assert dict(doc.metadata.fields)["tags"] == "a, b"


# --- hostile pages: every pattern on untrusted text stays linear -------------------------------------------


def _markup_text(path: Path) -> str:
    return normalize(read_document(path), rules="markup").text


def test_400000_unclosed_title_tags(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text("<html><body><p>" + BODY + "</p>" + "<title>" * 400_000, encoding="utf-8")
    assert _markup_text(path).strip() == BODY


def test_12000_meta_tags_without_their_end(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text("<html><head>" + '<meta name="a" ' * 12_000 + "</head><body><p>" + BODY + "</p></body></html>", encoding="utf-8")
    assert BODY in _markup_text(path)


def test_a_markdown_line_of_2000000_brackets(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(BODY + "\n\n" + "[" * 2_000_000 + "\n", encoding="utf-8")
    text = _markup_text(path)
    assert text.startswith(BODY) and text.count("[") == 2_000_000


def test_a_markdown_line_of_1000000_unclosed_tags(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(BODY + "\n\n" + "<a" * 1_000_000 + "\n", encoding="utf-8")
    text = _markup_text(path)
    assert text.startswith(BODY) and text.count("<a") == 1_000_000


def test_html_with_500000_end_tag_openers(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text("<html><body><p>" + BODY + "</p>" + "</" * 500_000, encoding="utf-8")
    text = _markup_text(path)
    assert text.strip().startswith(BODY) and text.count("</") == 500_000


def test_html_with_5000000_bare_angle_brackets(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text("<html><body><p>" + BODY + "</p>" + "<" * 5_000_000, encoding="utf-8")
    text = _markup_text(path)
    assert text.strip().startswith(BODY) and text.count("<") == 5_000_000


def test_ordinary_markup_still_parses_with_angle_brackets_in_text_and_attributes(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text('<html><body><p title="a<b>c">第一条</p><p>若 a < b 且 c>d，则</p><!-- x < y --><p>止。</p></body></html>', encoding="utf-8")
    assert [p for p in _markup_text(path).split("\n") if p.strip()] == ["第一条", "若 a < b 且 c>d，则", "止。"]


# --- configured patterns ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [r"^(\w+\s?)+$", r"(a*)*", r"(?:x(y+)z){2,}"])
def test_a_framing_pattern_with_nested_repetition_is_refused(pattern: str) -> None:
    with pytest.raises(InputError, match="repeats a repetition"):
        compile_framing((pattern,))
    base, witness = document_from_text(BODY + "\n"), document_from_text(BODY + "\n")
    with pytest.raises(InputError, match="repeats a repetition"):
        diff_documents(base, witness, settings=Settings(framing_patterns=(pattern,)))


def test_safe_framing_patterns_still_work() -> None:
    test = compile_framing((r"^本文来源：.{0,40}$", r"^(?:责任编辑|来源)[:：]\S+$", r"(a+){1,5}"))
    assert test is not None and test("本文来源：新华网") and not test(BODY)


# --- limits on decoded text ---------------------------------------------------------------------------------


def _pdf_sharing_one_stream(path: Path, pages: int, stream_bytes: int) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    op = b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n"
    stream = DecodedStreamObject()
    stream.set_data(op * (stream_bytes // len(op)))
    ref = writer._add_object(stream.flate_encode())
    font = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                                NameObject("/BaseFont"): NameObject("/Helvetica")}))
    resources = writer._add_object(DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}))
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Contents")] = ref
        page[NameObject("/Resources")] = resources
    with path.open("wb") as fh:
        writer.write(fh)


def test_a_pdf_whose_pages_share_one_huge_content_stream_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.pdf"
    _pdf_sharing_one_stream(path, 2000, 6_000_000)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="too much PDF content"):
        read_document(path)


def test_a_docx_holding_14_million_characters_is_refused(tmp_path: Path) -> None:
    para = "<w:p><w:r><w:t>" + "中" * 1000 + "</w:t></w:r></w:p>"
    xml = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + para * 14_000 + "</w:body></w:document>")
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", xml)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="too much text") as info:
        read_document(path)
    assert "JIAOKAN_MAX_CHARS" in str(info.value)


def test_the_character_limit_applies_to_every_format_and_is_public(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert max_chars() == DEFAULT_MAX_CHARS
    check_text_size("中" * 10, "corpus.jsonl:3")
    with pytest.raises(InputError, match=r"corpus\.jsonl:3: too much text"):
        check_text_size("中" * 11, "corpus.jsonl:3", limit=10)
    monkeypatch.setenv("JIAOKAN_MAX_CHARS", "20")
    for name, data in (("a.txt", BODY.encode()), ("a.md", BODY.encode()), ("a.html", f"<p>{BODY}</p>".encode("gbk"))):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError, match="too much text"):
            read_document(tmp_path / name)
    monkeypatch.setenv("JIAOKAN_MAX_CHARS", "lots")
    with pytest.raises(InputError, match="JIAOKAN_MAX_CHARS"):
        read_document(tmp_path / "a.txt")


# --- regular files only -------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text(BODY + "\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    line = one_error_line(run(["diff", "base.txt", "pipe.txt"], cwd=tmp_path, timeout=60))  # would wait forever if opened
    assert "pipe.txt: is a named pipe (FIFO)" in line
    with pytest.raises(InputError, match="named pipe"):
        read_document(tmp_path / "pipe.txt")


def test_a_device_is_refused() -> None:
    with pytest.raises(InputError, match="is a device"):
        read_document("/dev/zero")


# --- repeated sentences -------------------------------------------------------------------------------------


def test_repeated_tiny_paragraphs_against_ten_fewer_are_one_omission_of_ten() -> None:
    base = document_from_text("\n\n".join(["同意。"] * 20_000) + "\n", path="a.txt")
    witness = document_from_text("\n\n".join(["同意。"] * 19_990) + "\n", path="b.txt")
    result = diff_documents(base, witness)
    omissions = [f for f in result.findings if f.code is Code.PARAGRAPH_OMISSION]
    assert len(omissions) == 1 and omissions[0].base.text.count("同意") == 10
    assert not [f for f in result.findings if f.code is Code.PARAGRAPH_ADDITION]
    assert len(result.findings) <= 3
    back = diff_documents(witness, base)
    assert len(back.findings) <= 3 and not [f for f in back.findings if f.code is Code.PARAGRAPH_OMISSION]


# --- decoding -----------------------------------------------------------------------------------------------


def test_binary_with_bom_like_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    data = b"\x00\x01\x02\xff\xfe binary"
    with pytest.raises(InputError, match="looks like a binary file"):
        document_from_bytes(data, path="x.txt")
    (tmp_path / "base.txt").write_text(BODY + "\n", encoding="utf-8")
    assert "-: looks like a binary file" in one_error_line(run(["diff", "base.txt", "-"], cwd=tmp_path, input=data))


def test_a_utf16_bom_followed_by_gbk_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    for data in (codecs.BOM_UTF16_LE + GBK_TEXT.encode("gbk"), codecs.BOM_UTF16_LE + "中文通知".encode("gbk")):
        with pytest.raises(InputError, match="looks like a binary file"):
            document_from_bytes(data, path="x.txt")
    (tmp_path / "base.txt").write_text(BODY + "\n", encoding="utf-8")
    assert "looks like a binary file" in one_error_line(run(["diff", "base.txt", "-"], cwd=tmp_path, input=codecs.BOM_UTF16_LE + GBK_TEXT.encode("gbk")))
    ok = document_from_bytes(codecs.BOM_UTF16_LE + GBK_TEXT.encode("utf-16-le"), path="y.txt")
    assert ok.text == GBK_TEXT and ok.encoding == "utf-16-le"


@pytest.mark.parametrize("declared", ["iso-8859-1", "undefined", "utf-16", "koi8-r", "no-such-codec"])
def test_a_declared_charset_is_a_hint_never_an_order(declared: str) -> None:
    page = f'<html><head><meta charset="{declared}"></head><body><p>{GBK_TEXT}</p></body></html>'
    doc = document_from_bytes(page.encode("gbk"), path="p.html", format="html")
    assert doc.encoding == "gb18030" and doc.text == page


def test_a_gbk_page_declaring_gbk_is_still_read() -> None:
    page = f'<?xml version="1.0" encoding="GBK"?><html><body><p>{GBK_TEXT}</p></body></html>'
    doc = document_from_bytes(page.encode("gbk"), path="p.html", format="html")
    assert doc.encoding == "gb18030" and doc.text == page


def test_text_saying_encoding_koi8_r_does_not_decide_the_encoding(tmp_path: Path) -> None:
    text = "说明：本文件 encoding=koi8_r 仅为示例。" + GBK_TEXT + "\n"
    (tmp_path / "note.txt").write_bytes(text.encode("gbk"))
    doc = read_document(tmp_path / "note.txt")
    assert doc.encoding == "gb18030" and doc.text == text
