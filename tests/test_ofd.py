"""OFD (GB/T 33190-2016): the real samples of shared/ofd (ofdrw's test resources), and OFDs built here by a small
writer — multi-page, with a page template, glyph by glyph, broken, encrypted — read as a user would, and diffed."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from jiaokan import InputError, ingest, normalize, read_document
from jiaokan.ingest import document_from_bytes

from .cli import run
from .test_bad_input import declare_size

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OFD_DIR = ROOT / "tests" / "data" / "ofd"  # the real OFDs (ofdrw's test resources, Apache-2.0; README.md there)
NS = "http://www.ofdspec.org/2016"


def real(name: str) -> Path:
    return OFD_DIR / name


# --------------------------------------------------------------------------
# a small OFD writer: pages of text objects laid out as an official document is (28 characters a line, 2-character
# first-line indent, 22 lines a page, a page number "— N —" under each page)


def wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or ch in "—…“”‘’"


def text_object(oid: int, x: float, y: float, text: str, *, size: float, one_code: bool = True, spacing: float = 0.0) -> str:
    """A TextObject at (x, y) (its baseline): one TextCode with DeltaX, or one TextCode per character, each at its X;
    ``spacing`` more between characters (a justified line)."""
    adv = [(size if wide(c) else size / 2) + spacing for c in text]
    box = f'Boundary="{x:.2f} {y - size:.2f} {sum(adv) + size:.2f} {size * 1.4:.2f}"'
    head = f'<ofd:TextObject ID="{oid}" Font="1" Size="{size}" {box}>'
    if one_code:
        deltas = " ".join(f"{a:g}" for a in adv[:-1])
        return f'{head}<ofd:TextCode X="0" Y="{size:g}" DeltaX="{deltas}">{escape(text)}</ofd:TextCode></ofd:TextObject>'
    codes = []
    pos = 0.0
    for c, a in zip(text, adv, strict=True):
        codes.append(f'<ofd:TextCode X="{pos:.3f}" Y="{size:g}" DeltaX="{a:g}">{escape(c)}</ofd:TextCode>')
        pos += a
    return head + "".join(codes) + "</ofd:TextObject>"


def glyph_objects(oid: int, x: float, y: float, text: str, *, size: float, spacing: float = 0.0) -> list[str]:
    """One TextObject per character, each placed on its own (as some converters write every glyph)."""
    out = []
    for c in text:
        out.append(text_object(oid, x, y, c, size=size))
        oid += 1
        x += (size if wide(c) else size / 2) + spacing
    return out


def page_xml(objects: list[str], *, templates: tuple[str, ...] = ()) -> str:
    tpl = "".join(f'<ofd:Template TemplateID="{t}" ZOrder="Background"/>' for t in templates)
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>0 0 210 297'
            f'</ofd:PhysicalBox></ofd:Area>{tpl}<ofd:Content><ofd:Layer ID="1">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')


NO_START = set("，。、；：？！）》」』】〕”’,.;:?!)%")  # never at a line's start (kinsoku): hung on the line before
NO_END = set("（《「『【〔“‘(")  # never at a line's end: carried to the next
LATIN = re.compile(r"[0-9A-Za-z\u00c0-\u024f.]+|.", re.S)  # a Latin word or a number is never cut


def units(para: str) -> list[str]:
    """What a typesetter keeps on one line: a word or number, an opening bracket with what follows, a closing one
    or a comma with what precedes."""
    out: list[str] = []
    carry = ""
    for m in LATIN.finditer(para):
        u = m.group(0)
        if u in NO_END:
            carry += u
            continue
        u, carry = carry + u, ""
        if out and u[0] in NO_START:
            out[-1] += u
        else:
            out.append(u)
    if carry:
        out.append(carry)
    return out


def layout(paragraphs: list[str], *, size: float = 5.6, per_line: int = 28, lines_per_page: int = 22,
           glyphs: bool = False, shuffle: bool = False, page_numbers: bool = True) -> list[list[str]]:
    """Paragraphs flowed into lines and pages: each page a list of TextObject XML strings."""
    left, top, pitch = 28.0, 40.0, size * 1.8
    width = per_line * size
    lines: list[tuple[float, str, float]] = []  # (x, text, spacing)
    for para in paragraphs:
        x0 = left + 2 * size
        cur, used = "", 2 * size
        for unit in units(para):
            a = sum(size if wide(c) else size / 2 for c in unit)
            if cur and used + a > width + (size if unit[0] in NO_START else 0) + 0.01:
                # justified, as typesetters do: the room left spread between the characters (a punctuation mark
                # that may not start a line hangs past the edge instead)
                lines.append((x0, cur, max(0.0, width - used) / max(1, len(cur) - 1)))
                x0, cur, used = left, "", 0.0
            cur += unit
            used += a
        if cur:
            lines.append((x0, cur, 0.0))
    pages: list[list[str]] = []
    oid = 10
    for p in range(0, len(lines), lines_per_page):
        objects: list[str] = []
        for k, (x, text, spacing) in enumerate(lines[p: p + lines_per_page]):
            y = top + k * pitch
            if glyphs:
                objects.extend(glyph_objects(oid, x, y, text, size=size, spacing=spacing))
                oid += len(text)
            else:
                objects.append(text_object(oid, x, y, text, size=size, spacing=spacing))
                oid += 1
        if page_numbers:
            number = f"— {len(pages) + 1} —"
            objects.append(text_object(oid, 96.0, top + (lines_per_page + 2) * pitch, number, size=size * 0.9))
            oid += 1
        if shuffle:
            random.Random(len(pages)).shuffle(objects)  # drawn in any order: read by position
        pages.append(objects)
    return pages


def make_ofd(pages: list[list[str]], *, templates: dict[str, list[str]] | None = None, page_templates: list[tuple[str, ...]] | None = None,
             title: str | None = None, author: str | None = None, created: str = "2022-06-08", doc_root: str = "Doc_0/Document.xml",
             drop: tuple[str, ...] = (), replace: dict[str, str] | None = None, extra: dict[str, str] | None = None) -> bytes:
    """An OFD package: OFD.xml → Doc_0/Document.xml → Pages/Page_N/Content.xml (and Tpls/Tpl_N/Content.xml)."""
    templates = templates or {}
    info = "".join(f"<ofd:{tag}>{escape(v)}</ofd:{tag}>" for tag, v in (("Title", title), ("Author", author), ("CreationDate", created)) if v)
    files: dict[str, str] = {
        "OFD.xml": (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
                    f"<ofd:DocInfo><ofd:DocID>0</ofd:DocID>{info}</ofd:DocInfo><ofd:DocRoot>{doc_root}</ofd:DocRoot></ofd:DocBody></ofd:OFD>"),
    }
    tpl_decl = "".join(f"<ofd:TemplatePage ID={quoteattr(t)} BaseLoc=\"Tpls/Tpl_{k}/Content.xml\"/>" for k, t in enumerate(templates))
    page_decl = "".join(f'<ofd:Page ID="{100 + k}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
    files["Doc_0/Document.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
                                   f"<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>{tpl_decl}</ofd:CommonData>"
                                   f"<ofd:Pages>{page_decl}</ofd:Pages></ofd:Document>")
    for k, objects in enumerate(pages):
        tpls = page_templates[k] if page_templates else ()
        files[f"Doc_0/Pages/Page_{k}/Content.xml"] = page_xml(objects, templates=tpls)
    for k, objects in enumerate(templates.values()):
        files[f"Doc_0/Tpls/Tpl_{k}/Content.xml"] = page_xml(objects)
    files.update(extra or {})
    for name, text in (replace or {}).items():
        files[name] = text
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            if name not in drop:
                zf.writestr(name, text)
    return buf.getvalue()


def paragraphs_of(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


NOTICE = [
    "关于做好2024年防汛工作的通知",
    "各乡镇人民政府，县直各单位：",
    "为切实做好今年防汛工作，确保人民群众生命财产安全，根据上级有关要求，结合我县实际，现就有关事项通知如下。",
    "一、提高思想认识",
    "各单位要充分认识防汛工作的重要性和紧迫性，克服麻痹思想和侥幸心理，把防汛工作摆上重要位置，层层落实责任，确保责任到人、措施到位。",
    "二、加强监测预警",
    "气象、水利等部门要加强雨情、水情监测，及时发布预警信息，提前转移危险区域群众，做到应转尽转、不漏一户、不落一人。",
    "三、做好应急准备",
    "各乡镇要储备必要的防汛物资，组建抢险队伍，开展应急演练，一旦发生险情，要迅速响应，科学处置，最大限度减少灾害损失。",
    "特此通知。",
    "某某县人民政府办公室",
    "2024年5月20日",
]


# --------------------------------------------------------------------------
# the real samples


def test_county_document_reads_with_its_number_title_and_pages() -> None:
    doc = read_document(real("n.ofd"))
    assert doc.format == "ofd"
    assert doc.metadata.doc_number == "路卫发〔2011〕76号"
    assert doc.metadata.title == "关于同意张阿三同志辞职的批复"
    assert doc.metadata.date == "2011年3月10日"  # the document's date, not the file's (DocInfo: 2020-01-25)
    assert ("ofd:creationdate", "2020-01-25") in doc.metadata.fields
    pages = doc.text.split("\n\f\n")
    assert len(pages) == 2
    lines = pages[0].split("\n")
    assert lines[:4] == ["测试符路桥区卫生局文件", "路卫发〔2011〕76号", "关于同意张阿三同志辞职的批复", "区中医院："]
    # a paragraph of five lines on the page is one line of the text, wrapped lines joined
    assert "从2006年1月至今未到单位上班，期间院方曾多次与其联系" in doc.text
    assert "《浙江省专业技术人员和管理人员辞职暂行办法》（浙人才〔1993〕73号）文件精神" in doc.text
    assert pages[1].split("\n")[:2] == ["测试符路桥区卫生局办公室", "2011年3月10日"]
    # the page numbers are page furniture: the layout rule takes them out
    normalized = normalize(doc).text
    assert "— 1 —" in doc.text and "— 1 —" not in normalized and "1 —" not in normalized


def test_helloworld_entity_is_decoded() -> None:
    doc = read_document(real("helloworld.ofd"))
    assert doc.text == "你好呀，OFD Reader&Writer！"


def test_split_paragraph_lines_and_text_objects_rejoined() -> None:
    doc = read_document(real("SplitParagraph.ofd"))
    page1, page2 = doc.text.split("\n\f\n")
    lines = page1.split("\n")
    assert lines[:2] == ["报告：", "“超长文档“裁切测试"]
    # four paragraphs, each laid out over text objects and lines (10 on the page for the first): each one line
    assert [line[:4] for line in lines[2:]] == ["第一段：", "第二段：", "第三段：", "第四段："]
    first = lines[2]
    assert first.startswith("第一段：K*区区区位南Z数") and first.endswith("区有*，较*，*位，区，，B*(区*别D有区位结过位结区划”(")
    assert len(first) > 10 * 30
    # the fourth runs on over the page break: the rest of it is page 2, one line
    assert "\n" not in page2 and page2.startswith("南判别位*Z目区")


def test_keyword_certificate_reads_its_fields() -> None:
    doc = read_document(real("keyword.ofd"))
    lines = doc.text.split("\n")
    assert lines[0] == "鲁（2020）泰安市不动产证明第0014777号"
    assert "中国建设银行股份有限公司泰安分行" in lines
    assert "担保债权数额：35万元" in lines and "抵押方式：一般抵押" in doc.text
    # the address wraps inside one TextCode (DeltaX back, DeltaY down) at its box's edge: one line again
    assert "岱岳区青春创业开发区鑫源小区25号楼1单元601室" in lines
    # the year, month and day are three objects a gap apart; a diagonal (CTM-rotated) text and a vertical serial
    # number (DeltaY) are each a line of their own, not mixed into the rows they cross
    assert "2020 05 08" in lines
    assert "事由户籍办理房产证明" in lines
    assert any(line.startswith("1.2.156.3005.2.") for line in lines)
    assert doc.metadata.source == "admin"


def test_invoice_reads_every_page_and_its_template() -> None:
    doc = read_document(real("999.ofd"))
    pages = doc.text.split("\n\f\n")
    assert len(pages) == 5
    assert "重庆增值税电子普通发票 发票代码：" in pages[0]  # from the page's own template, merged where it stands
    assert "壹万零陆佰圆整 ¥10600.00" in pages[0]
    # the list of items: each row a line, rows never run together
    assert "10 *餐饮服务*餐费 100.00 6% 6.00" in pages[1].split("\n")
    assert doc.metadata.date == "2020年08月05日"


# --------------------------------------------------------------------------
# built OFDs


def test_multi_page_document_flows_and_its_cut_paragraph_is_rejoined() -> None:
    body = NOTICE[:-2] + paragraphs_of(SAMPLES / "directive-county-forward-002.txt")[8:20] + NOTICE[-2:]
    data = make_ofd(layout(body, lines_per_page=10), title="关于做好2024年防汛工作的通知", author="某某县人民政府办公室")
    doc = document_from_bytes(data, path="notice.ofd")
    pages = doc.text.split("\n\f\n")
    assert len(pages) >= 5
    assert doc.metadata.title == "关于做好2024年防汛工作的通知" and doc.metadata.source == "某某县人民政府办公室"
    # each page's lines are paragraphs of the text (or their pieces cut by a page break), then its page number
    for k, page in enumerate(pages, 1):
        assert page.split("\n")[-1] == f"— {k} —"
    cut = [page for page in pages[:-1] if page.split("\n")[-2][-1] not in "。：；"]
    assert len(cut) >= 2  # paragraphs cut by a page break, mid-sentence
    # normalized, the paragraphs are the source's: page numbers out, the paragraphs the breaks cut re-joined
    assert normalize(doc).text.split("\n\n") == normalize(document_from_bytes("\n\n".join(body).encode(), path="x.txt")).text.split("\n\n")


def test_glyphs_positioned_one_by_one_read_as_the_text() -> None:
    one_code = document_from_bytes(make_ofd(layout(NOTICE)), path="a.ofd")
    per_char = document_from_bytes(make_ofd(layout(NOTICE, glyphs=True, shuffle=True)), path="b.ofd")
    codes = make_ofd([[text_object(1, 28.0, 40.0, NOTICE[2][:28], size=5.6, one_code=False)]])
    assert per_char.text == one_code.text
    assert per_char.text.split("\n")[:3] == NOTICE[:3]
    assert document_from_bytes(codes, path="c.ofd").text == NOTICE[2][:28]


def test_running_header_template_is_framing(tmp_path: Path) -> None:
    header = [text_object(1, 60.0, 20.0, "某某县人民政府办公室内部明电", size=4.2)]
    pages = layout(NOTICE, lines_per_page=8)
    data = make_ofd(pages, templates={"7": header}, page_templates=[("7",)] * len(pages))
    (tmp_path / "notice.ofd").write_bytes(data)
    (tmp_path / "notice.txt").write_text("\n\n".join(NOTICE), encoding="utf-8")
    doc = read_document(tmp_path / "notice.ofd")
    assert len(pages) >= 2
    assert doc.text.count("某某县人民政府办公室内部明电") == 1  # read once, however many pages draw it
    assert doc.text.startswith("某某县人民政府办公室内部明电\n" + NOTICE[0])
    done = run(["diff", "notice.txt", "notice.ofd", "--format", "json"], cwd=tmp_path)
    assert done.code == 0, done.err
    result = json.loads(done.out)
    assert result["summary"]["substantive"] == 0
    framing = [f for f in result["findings"] if f["code"] == "framing"]
    assert [f["witness"]["text"] for f in framing] == ["某某县人民政府办公室内部明电"]
    assert framing[0]["witness"]["line"] == 1


def test_a_template_drawn_inside_the_text_is_read_where_it_stands() -> None:
    stamp = [text_object(1, 28.0, 40.0 + 5.6 * 1.8 * 3 - 2.0, "（此件公开发布）", size=5.6)]
    pages = layout(NOTICE, lines_per_page=12)
    data = make_ofd(pages, templates={"1": stamp}, page_templates=[("1",)] * len(pages))
    doc = document_from_bytes(data, path="x.ofd")
    pages_text = doc.text.split("\n\f\n")
    assert all("（此件公开发布）" in p for p in pages_text)  # on every page that draws it, in its place


def test_a_page_template_used_by_one_page_is_part_of_that_page() -> None:
    form = [text_object(1, 28.0, 30.0, "收文登记", size=5.6)]
    data = make_ofd(layout(NOTICE), templates={"3": form}, page_templates=[("3",)])
    doc = document_from_bytes(data, path="x.ofd")
    assert doc.text.split("\n")[0] == "收文登记"


def test_sample_against_an_ofd_of_the_same_text(tmp_path: Path) -> None:
    sample = "directive-county-forward-002.txt"  # the paginated document of the samples
    paragraphs = paragraphs_of(SAMPLES / sample)
    base = tmp_path / sample
    shutil.copy(SAMPLES / sample, base)
    (tmp_path / "same.ofd").write_bytes(make_ofd(layout(paragraphs)))
    done = run(["diff", sample, "same.ofd", "--format", "json"], cwd=tmp_path)
    assert done.code == 0, done.err
    result = json.loads(done.out)
    assert result["summary"]["substantive"] == 0, [f["message"] for f in result["findings"]]
    doc = read_document(tmp_path / "same.ofd")
    assert doc.text.count("\f") >= 10
    located = [f["witness"] for f in result["findings"]]
    done = run(["diff", sample, "same.ofd", "--format", "json", "--include-cosmetic"], cwd=tmp_path)
    located += [f["witness"] for f in json.loads(done.out)["findings"]]
    assert located
    for span in located:
        assert 0 <= span["start"] <= span["end"] <= len(doc.text)
        assert doc.text[span["start"]:span["end"]] == span["text"]
        assert doc.locate(span["start"]) == (span["line"], span["column"])


def test_an_edit_in_the_ofd_is_found_on_its_page_and_line(tmp_path: Path) -> None:
    edited = [p.replace("层层落实责任", "逐级落实责任") for p in NOTICE]
    (tmp_path / "notice.txt").write_text("\n\n".join(NOTICE), encoding="utf-8")
    (tmp_path / "edited.ofd").write_bytes(make_ofd(layout(edited, lines_per_page=5)))
    result = json.loads(run(["diff", "notice.txt", "edited.ofd", "--format", "json"], cwd=tmp_path).out)
    [finding] = [f for f in result["findings"] if f["severity"] == "substantive"]
    assert finding["code"] == "wording-substitution" and finding["witness"]["text"].startswith("逐级")
    doc = read_document(tmp_path / "edited.ofd")
    before = doc.text[: finding["witness"]["start"]]
    assert before.count("\f") == 1  # on the second page
    assert doc.text.split("\n")[finding["witness"]["line"] - 1].startswith("各单位要充分认识")


def test_keyword_namespace_without_year_and_absolute_paths() -> None:
    pages = layout(NOTICE[:3])
    data = make_ofd(pages, doc_root="/Doc_0/Document.xml")
    data = data.replace(NS.encode(), b"http://www.ofdspec.org")
    assert document_from_bytes(data, path="x.ofd").text.split("\n")[:3] == NOTICE[:3]


def test_an_ofd_named_docx_or_txt_is_read_as_ofd(tmp_path: Path) -> None:
    data = make_ofd(layout(NOTICE[:3]))
    for name in ("x.docx", "x.txt", "x.pdf"):
        (tmp_path / name).write_bytes(data)
        assert read_document(tmp_path / name).format == "ofd"


# --------------------------------------------------------------------------
# broken and encrypted packages: one clear error, exit 2


GOOD = make_ofd(layout(NOTICE[:3]))


def zip_with_encrypted_flag(data: bytes) -> bytes:
    """The package with every member marked encrypted (general purpose bit 0), as a password-protected ZIP is."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
    raw = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        offsets = [i.header_offset for i in zf.infolist()]
    for off in offsets:
        raw[off + 6] |= 1
    pos = 0
    while (pos := raw.find(b"PK\x01\x02", pos)) >= 0:
        raw[pos + 8] |= 1
        pos += 4
    return bytes(raw)


LAUGHS = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><p>&b;</p>'
BROKEN = {
    "not a zip": (b"PK\x03\x04" + b"\x00" * 40, "is not a readable OFD: it is not a ZIP package"),
    "truncated": (GOOD[: len(GOOD) // 2], "is not a readable OFD: it is not a ZIP package"),
    "no OFD.xml": (make_ofd(layout(NOTICE[:3]), drop=("OFD.xml",)), "has no OFD.xml"),
    "no Document.xml": (make_ofd(layout(NOTICE[:3]), drop=("Doc_0/Document.xml",)), "Doc_0/Document.xml, which OFD.xml's DocRoot names, is missing"),
    "no Content.xml": (make_ofd(layout(NOTICE[:3]), drop=("Doc_0/Pages/Page_0/Content.xml",)), "Doc_0/Pages/Page_0/Content.xml, which page 1 of Doc_0/Document.xml names, is missing"),
    "bad XML": (make_ofd(layout(NOTICE[:3]), replace={"Doc_0/Pages/Page_0/Content.xml": f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content>'}), "Doc_0/Pages/Page_0/Content.xml is not well-formed XML"),
    "entities": (make_ofd(layout(NOTICE[:3]), replace={"Doc_0/Pages/Page_0/Content.xml": LAUGHS}), "declares a DTD"),
    "no pages": (make_ofd([], ), "lists no pages"),
    "template not declared": (make_ofd(layout(NOTICE[:3]), page_templates=[("9",)]), "names template 9, which Doc_0/Document.xml does not declare"),
    "encryption entry": (make_ofd(layout(NOTICE[:3]), extra={"Encryptions.xml": "<Encryptions/>"}), "is an encrypted OFD"),
    "encrypted zip": (zip_with_encrypted_flag(GOOD), "is an encrypted OFD"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_or_encrypted_package_is_one_clear_error(tmp_path: Path, case: str) -> None:
    data, message = BROKEN[case]
    (tmp_path / "bad.ofd").write_bytes(data)
    with pytest.raises(InputError, match=r"bad\.ofd: "):
        read_document(tmp_path / "bad.ofd")
    (tmp_path / "ok.txt").write_text("\n\n".join(NOTICE), encoding="utf-8")
    done = run(["diff", "ok.txt", "bad.ofd"], cwd=tmp_path)
    assert done.code == 2
    assert done.out == ""
    assert done.err.count("\n") == 1 and done.err.startswith("jiaokan: error: bad.ofd: ")
    assert message in done.err


def test_encrypted_zip_flag_is_refused_before_any_part_is_read() -> None:
    with pytest.raises(InputError, match=r"x\.ofd: is an encrypted OFD: .*; save an unencrypted copy"):
        document_from_bytes(zip_with_encrypted_flag(GOOD), path="x.ofd")


def test_a_package_inflating_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = make_ofd(layout(NOTICE), replace={"Doc_0/Res/zeros.xml": "0" * 2_000_000})
    assert len(bomb) < 20_000
    monkeypatch.setattr(ingest, "DOCX_LIMIT", 1_000_000)  # the one limit of .docx and .ofd
    with pytest.raises(InputError, match=r"x\.ofd: OFD package expands to 2,0[\d,]+ bytes: .*zip bomb"):
        document_from_bytes(bomb, path="x.ofd")


def test_a_package_whose_headers_understate_a_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lying header must not make jiaokan inflate more than the package declared."""
    page = page_xml([text_object(1, 28.0, 40.0, "零" * 20, size=5.6)] * 20_000)
    liar = declare_size(make_ofd([[]], replace={"Doc_0/Pages/Page_0/Content.xml": page}), "Doc_0/Pages/Page_0/Content.xml", 1000)
    monkeypatch.setattr(ingest, "DOCX_LIMIT", 1_000_000)
    with pytest.raises(InputError, match=r"liar\.ofd: is not a readable OFD"):
        document_from_bytes(liar, path="liar.ofd")


def test_too_much_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIAOKAN_MAX_CHARS", "300")
    with pytest.raises(InputError, match=r"x\.ofd: too much text"):
        document_from_bytes(make_ofd(layout(NOTICE * 3)), path="x.ofd")


def test_an_ofd_without_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"x\.ofd: has no text: no text layer was found"):
        document_from_bytes(make_ofd([[]]), path="x.ofd")
