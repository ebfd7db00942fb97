"""Word files built in the tests, as Word writes them (zipfile and XML strings; no binary fixture without a source).

``notice()`` is a county notice with every part a reader of Word must get right: a header and a page-number footer,
a text box (DrawingML in ``mc:Choice``, its VML copy in ``mc:Fallback``), a footnote and an endnote (after Word's
separator notes), tracked insertions, deletions, a deleted paragraph mark and a move.  ``BARE_*`` is the same notice
as a reprint gives it: the text alone.
"""

from __future__ import annotations

import io
import zipfile

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'mc:Ignorable="wps"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TRACKED = 'w:id="{}" w:author="办公室" w:date="2024-03-01T09:00:00Z"'


def text_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*inner: str, mark: str = "") -> str:
    ppr = f"<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>" if mark else ""
    return f"<w:p>{ppr}{''.join(inner)}</w:p>"


def ins(text: str, n: int = 1) -> str:
    return f"<w:ins {TRACKED.format(n)}>{text_run(text)}</w:ins>"


def delete(text: str, n: int = 2) -> str:
    return f'<w:del {TRACKED.format(n)}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def text_box(*paragraphs: str) -> str:
    """A run holding a text box as Word 2010+ writes it: DrawingML, and VML for older readers."""
    content = "<w:txbxContent>" + "".join(para(text_run(p)) for p in paragraphs) + "</w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="文本框 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape id="文本框 1" type="#_x0000_t202"><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    )


def page_field() -> str:
    """Word's PAGE field, its last result cached as text."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + text_run("1") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def notes(kind: str, texts: dict[int, str]) -> str:
    """footnotes.xml / endnotes.xml: Word's two separator notes, then the notes."""
    sep = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
           f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>')
    body = "".join(f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r>{text_run(" " + t)}</w:p></w:{kind}>' for i, t in texts.items())
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {NS}>{sep}{body}</w:{kind}s>'


def docx(body: str, *, headers: tuple[str, ...] = (), footers: tuple[str, ...] = (), footnotes: dict[int, str] | None = None,
         endnotes: dict[int, str] | None = None) -> bytes:
    """A .docx of ``body`` (paragraph XML), its headers and footers (paragraph XML each, referred to by the section)."""
    rels = []
    refs = []
    parts: dict[str, str] = {}
    for kind, xmls in (("header", headers), ("footer", footers)):
        for k, xml in enumerate(xmls, 1):
            rid = f"r{kind}{k}"
            rels.append(f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{kind}{k}.xml"/>')
            refs.append(f'<w:{kind}Reference w:type="{"default" if k == 1 else "first"}" r:id="{rid}"/>')
            tag = "hdr" if kind == "header" else "ftr"
            parts[f"word/{kind}{k}.xml"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{tag} {NS}>{xml}</w:{tag}>'
    for kind, texts in (("footnote", footnotes), ("endnote", endnotes)):
        if texts is not None:
            rels.append(f'<Relationship Id="r{kind}s" Type="{REL}/{kind}s" Target="{kind}s.xml"/>')
            parts[f"word/{kind}s.xml"] = notes(kind, texts)
    sect = f"<w:sectPr>{''.join(refs)}</w:sectPr>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                    + "".join(f'<Override PartName="/word/{k}.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{k.rstrip("0123456789")}+xml"/>'
                              for k in (name[5:-4] for name in parts)) + "</Types>")
        zf.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>')
        zf.writestr("word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    + "".join(rels) + "</Relationships>")
        zf.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}{sect}</w:body></w:document>')
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return buf.getvalue()


HEADER = "XX县人民政府办公室"
TITLE = "XX县人民政府办公室关于做好安全生产工作的通知"
BOX = "县政府办公室2024年3月1日印发"
FOOTNOTE = "安全生产责任制，指各级领导、职能部门和岗位人员对安全生产所负责任的制度。"
ENDNOTE = "本通知自印发之日起施行。"
MOVED = "三、各单位要加强值班值守，确保信息畅通。"

BODY = (
    para(text_run(TITLE))
    + para(text_run("各乡镇人民政府，县直各单位："))
    + para(text_run("为进一步做好安全生产工作，切实保障人民群众生命财产安全，现就有关事项通知如下。"))
    # a tracked insertion and a tracked deletion in one sentence, and a footnote reference
    + para(text_run("一、各单位要"), ins("切实"), text_run("落实安全生产"), delete("主体"), text_run("责任制"),
           '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>', text_run("。"))
    # moved from here ...
    + para(f'<w:moveFromRangeStart w:id="4" w:name="move1"/><w:moveFrom {TRACKED.format(5)}>{text_run(MOVED)}</w:moveFrom><w:moveFromRangeEnd w:id="4"/>',
           mark=f"<w:moveFrom {TRACKED.format(6)}/>")
    # a paragraph whose mark was deleted: accepted, it runs on into the next one
    + para(text_run("二、要开展隐患排查治理，"), mark=f"<w:del {TRACKED.format(7)}/>")
    + para(text_run("做到早发现、早报告、早处置。"))
    # ... to here
    + para(f'<w:moveToRangeStart w:id="8" w:name="move1"/><w:moveTo {TRACKED.format(9)}>{text_run(MOVED)}</w:moveTo><w:moveToRangeEnd w:id="8"/>',
           mark=f"<w:ins {TRACKED.format(10)}/>")
    + para(text_run("四、发生事故要及时上报。"), '<w:r><w:endnoteReference w:id="1"/></w:r>')
    # the issuing line in a text box, anchored in an empty paragraph
    + para(text_box(BOX))
)
FOOTER = para(text_run("— "), page_field(), text_run(" —"))


def notice() -> bytes:
    return docx(BODY, headers=(para(text_run(HEADER)),), footers=(FOOTER,), footnotes={1: FOOTNOTE}, endnotes={1: ENDNOTE})


#: The notice as Word shows it with its changes accepted, without header and footer: what a reprint gives.
BARE_ACCEPTED = "\n".join([
    TITLE,
    "各乡镇人民政府，县直各单位：",
    "为进一步做好安全生产工作，切实保障人民群众生命财产安全，现就有关事项通知如下。",
    "一、各单位要切实落实安全生产责任制。",
    "二、要开展隐患排查治理，做到早发现、早报告、早处置。",
    MOVED,
    "四、发生事故要及时上报。",
    BOX,
])

#: The same before its changes (what ``--docx-original`` reads), without header, footer and notes.
BARE_ORIGINAL = "\n".join([
    TITLE,
    "各乡镇人民政府，县直各单位：",
    "为进一步做好安全生产工作，切实保障人民群众生命财产安全，现就有关事项通知如下。",
    "一、各单位要落实安全生产主体责任制。",
    MOVED,
    "二、要开展隐患排查治理，",
    "做到早发现、早报告、早处置。",
    "四、发生事故要及时上报。",
    BOX,
])
