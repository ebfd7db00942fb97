"""``--format docx``: the witness as a Word redline against the base, read back as Word would read it.

The document is read here by a revision-aware reader of our own (accept: drop w:del and w:moveFrom, keep w:ins and
w:moveTo; reject: the opposite; a paragraph mark marked deleted or inserted joins its paragraph to the next), by
python-docx (it opens) and by LibreOffice (it converts, and the first page is not blank).  Accepting every change
must give the witness's text; rejecting every change a text jiaokan finds no substantive difference in from the base.
"""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from jiaokan import word
from jiaokan.diff import diff_documents
from jiaokan.ingest import document_from_bytes, read_document

from .cli import run, spawn

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EPOCH = "1700000000"
EPOCH_DATE = "2023-11-14T22:13:20Z"

SOFFICE = word.soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None and not os.environ.get("JIAOKAN_REQUIRE_SOFFICE"),
                                   reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")

BASE = """关于加强安全生产工作的通知

一、各地区要切实落实安全生产责任制，严格执行各项规章制度。

二、各部门要加强监督检查，及时发现和消除事故隐患。

三、各单位要开展应急演练，提高应急处置能力。

四、本通知自印发之日起施行。
"""
_P = BASE.split("\n\n")
PAIRS = {
    "insertion": BASE.replace("严格执行各项规章制度", "严格执行国家各项规章制度"),
    "deletion": BASE.replace("及时发现和消除事故隐患", "及时消除事故隐患"),
    "substitution": BASE.replace("提高应急处置能力", "增强应急处置水平"),
    "move": "\n\n".join([_P[0], _P[2], _P[3], _P[1], _P[4]]),
    "paragraph": BASE.replace("三、各单位要开展应急演练，提高应急处置能力。\n\n", ""),
    "framing": "首页 > 新闻中心 > 通知公告\n来源：某某网  发布时间：2024-01-01\n\n" + BASE + "\n\n责任编辑：张三\n分享到：微信 微博\n",
}


# ---------------------------------------------------------------- the revision-aware reader


def read_back(docx: bytes, mode: str) -> str:
    """The document's text with every change accepted (``mode="accept"``) or rejected: paragraphs joined by \\n."""
    dropped = {"accept": {"del", "moveFrom"}, "reject": {"ins", "moveTo"}}[mode]
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        root = ElementTree.fromstring(zf.read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    out: list[str] = []

    def inline(el: ElementTree.Element) -> None:
        tag = el.tag.removeprefix(W)
        if tag in dropped:
            return
        if tag in ("t", "delText"):
            out.append(el.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag == "br" and el.get(f"{W}type") == "page":
            out.append("\f")
        elif tag not in ("pPr", "rPr"):
            for child in el:
                inline(child)

    for p in body.iter(f"{W}p"):
        for child in p:
            inline(child)
        mark = p.find(f"{W}pPr/{W}rPr")
        removed = mark is not None and any(m.tag.removeprefix(W) in dropped for m in mark)
        if not removed:
            out.append("\n")
    text = "".join(out)
    return text.removesuffix("\n")  # the last paragraph's mark ends the document, not a line


def parts(docx: bytes) -> tuple[ElementTree.Element, ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return ElementTree.fromstring(zf.read("word/document.xml")), ElementTree.fromstring(zf.read("word/comments.xml"))


def comment_texts(comments: ElementTree.Element) -> dict[str, str]:
    return {c.get(f"{W}id", ""): "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p")) for c in comments.iter(f"{W}comment")}


def revisions(document: ElementTree.Element, tag: str) -> list[str]:
    """The text of each run-level ``w:<tag>`` (paragraph marks aside)."""
    return ["".join(t.text or "" for t in el.iter() if t.tag in (f"{W}t", f"{W}delText")) for el in document.iter(f"{W}{tag}") if len(el)]


def redline(tmp_path: Path, base: str, witness: str, *extra: str, env: dict[str, str | None] | None = None) -> tuple[bytes, Path, Path]:
    (tmp_path / "base.txt").write_text(base, encoding="utf-8")
    (tmp_path / "witness.txt").write_text(witness, encoding="utf-8")
    out = tmp_path / "redline.docx"
    done = run(["diff", "base.txt", "witness.txt", "--format", "docx", "-o", out, *extra], cwd=tmp_path, env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})
    assert done.code in (0, 1), done.err
    assert done.out == ""
    return out.read_bytes(), tmp_path / "base.txt", tmp_path / "witness.txt"


def assert_round_trip(data: bytes, base_path: Path, witness_path: Path) -> None:
    base, witness = read_document(str(base_path)), read_document(str(witness_path))
    assert read_back(data, "accept") == witness.text
    rejected = read_back(data, "reject")
    back = diff_documents(base, document_from_bytes(rejected.encode("utf-8"), path="rejected.txt"))
    assert [f.code for f in back.substantive] == []
    # jiaokan's own Word reader agrees: the accepted text is the witness, the original (rejected) one has the base's wording
    assert document_from_bytes(data, path="r.docx", docx_revisions="accepted").text == witness.text
    assert not diff_documents(base, document_from_bytes(data, path="r.docx", docx_revisions="original")).substantive


# ---------------------------------------------------------------- small pairs


@pytest.mark.parametrize("name", list(PAIRS))
def test_accepting_gives_the_witness_and_rejecting_the_base(tmp_path: Path, name: str) -> None:
    data, base, witness = redline(tmp_path, BASE, PAIRS[name])
    assert_round_trip(data, base, witness)
    if name != "framing":
        assert read_back(data, "reject") != PAIRS[name]


def test_an_insertion_is_one_w_ins(tmp_path: Path) -> None:
    document, comments = parts(redline(tmp_path, BASE, PAIRS["insertion"])[0])
    assert revisions(document, "ins") == ["国家"]
    assert revisions(document, "del") == []
    (text,) = comment_texts(comments).values()
    assert text.startswith("wording-insertion: ")
    assert "base: base.txt:3:" in text and "witness: witness.txt:3:" in text


def test_a_deletion_is_one_w_del_of_the_base_text(tmp_path: Path) -> None:
    document, comments = parts(redline(tmp_path, BASE, PAIRS["deletion"])[0])
    (deleted,) = revisions(document, "del")
    assert deleted in ("发现和", "和发现")  # wherever jiaokan puts the shift, it is the base's three characters
    assert revisions(document, "ins") == []
    assert [t.split(":")[0] for t in comment_texts(comments).values()] == ["wording-deletion"]


def test_a_substitution_is_a_deletion_and_an_insertion(tmp_path: Path) -> None:
    document, _ = parts(redline(tmp_path, BASE, PAIRS["substitution"])[0])
    assert revisions(document, "del") == ["提高", "能力"]
    assert revisions(document, "ins") == ["增强", "水平"]


def test_a_move_is_move_from_and_move_to(tmp_path: Path) -> None:
    data, _, _ = redline(tmp_path, BASE, PAIRS["move"])
    document, comments = parts(data)
    assert revisions(document, "moveFrom") == [_P[1]]
    assert revisions(document, "moveTo") == [_P[1]]
    assert revisions(document, "ins") == revisions(document, "del") == []
    starts = {el.tag.removeprefix(W): el.get(f"{W}name") for el in document.iter() if el.tag in (f"{W}moveFromRangeStart", f"{W}moveToRangeStart")}
    assert starts["moveFromRangeStart"] == starts["moveToRangeStart"]
    # rejected, the passage is back in its place: the base's order of paragraphs
    assert read_back(data, "reject").split("\n\n")[1] == _P[1]
    assert [t.split(":")[0] for t in comment_texts(comments).values()] == ["paragraph-move"]


def test_an_omitted_paragraph_is_a_deleted_paragraph(tmp_path: Path) -> None:
    data, _, _ = redline(tmp_path, BASE, PAIRS["paragraph"])
    document, _ = parts(data)
    assert revisions(document, "del") == ["三、各单位要开展应急演练，提高应急处置能力。"]
    marks = [p for p in document.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}del") is not None]
    assert marks  # its paragraph mark goes too: accepted, no empty line is left
    assert "三、各单位要开展应急演练，提高应急处置能力。" in read_back(data, "reject").splitlines()


def test_framing_is_one_comment_and_no_revision(tmp_path: Path) -> None:
    data, _, _ = redline(tmp_path, BASE, PAIRS["framing"])
    document, comments = parts(data)
    assert not any(revisions(document, tag) for tag in ("ins", "del", "moveFrom", "moveTo"))
    (text,) = comment_texts(comments).values()
    assert text.startswith("framing: ")
    assert text.count("witness: witness.txt:") == 2  # both of the copy's wrappers, in one comment
    assert len(list(document.iter(f"{W}commentRangeStart"))) == 1


def test_dates_authors_and_comment_ids(tmp_path: Path) -> None:
    document, comments = parts(redline(tmp_path, BASE, PAIRS["substitution"])[0])
    changes = [el for tag in ("ins", "del") for el in document.iter(f"{W}{tag}")]
    assert changes
    assert {(el.get(f"{W}author"), el.get(f"{W}date")) for el in changes} == {("jiaokan", EPOCH_DATE)}
    ids = set(comment_texts(comments))
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert {el.get(f"{W}id") for el in document.iter(f"{W}{tag}")} == ids


def test_the_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _, _ = redline(tmp_path / "a", BASE, PAIRS["move"])
    second, _, _ = redline(tmp_path / "b", BASE, PAIRS["move"])
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_without_source_date_epoch_the_date_is_today_at_midnight(tmp_path: Path) -> None:
    data, _, _ = redline(tmp_path, BASE, PAIRS["insertion"], env={"SOURCE_DATE_EPOCH": None})
    document, _ = parts(data)
    today = datetime.now(UTC).strftime("%Y-%m-%dT00:00:00Z")
    assert {el.get(f"{W}date") for el in document.iter(f"{W}ins")} == {today}


def test_a_bad_source_date_epoch_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(BASE, encoding="utf-8")
    (tmp_path / "w.txt").write_text(PAIRS["insertion"], encoding="utf-8")
    done = run(["diff", "b.txt", "w.txt", "-f", "docx", "-o", "r.docx"], cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert done.code == 2
    assert done.err.count("\n") == 1 and "SOURCE_DATE_EPOCH" in done.err
    assert not (tmp_path / "r.docx").exists()


def test_chinese_fonts_are_set(tmp_path: Path) -> None:
    data, _, _ = redline(tmp_path, BASE, PAIRS["insertion"])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = zf.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="仿宋"' in styles and 'w:ascii="Times New Roman"' in styles


# ---------------------------------------------------------------- the samples


def test_the_samples(tmp_path: Path) -> None:
    base, witness = SAMPLES / "directive-vendor-reprint-001.txt", SAMPLES / "directive-county-forward-002.txt"
    out = tmp_path / "r.docx"
    done = run(["diff", base, witness, "-f", "docx", "-o", out], env={"SOURCE_DATE_EPOCH": EPOCH})
    assert done.code == 1, done.err
    data = out.read_bytes()
    assert_round_trip(data, base, witness)
    document, comments = parts(data)
    texts = list(comment_texts(comments).values())
    result = diff_documents(read_document(str(base)), read_document(str(witness)))
    substantive = [p for f in result.substantive for p in f.places()]
    assert len(texts) == len(substantive) + 1  # a comment per substantive place, and one for the framing
    for f in substantive:
        assert any(t.startswith(f"{f.code}: {f.message}") and f"base: {base}:{f.base.line}:{f.base.column}" in t
                   and f"witness: {witness}:{f.witness.line}:{f.witness.column}" in t for t in texts), f.message
    assert sum(t.startswith("framing: ") for t in texts) == 1
    # cosmetic differences are not marked: the 國/国 script and the (guó) ruby of the base appear nowhere
    assert "(guó)" not in "".join(revisions(document, "del"))
    import docx  # python-docx: it opens, and reads the text outside the changes

    opened = docx.Document(io.BytesIO(data))
    assert any("舞阳县工业和信息化局" in p.text for p in opened.paragraphs)


def test_review_with_one_witness_writes_a_redline_and_with_two_refuses(tmp_path: Path) -> None:
    base, one, two = (SAMPLES / n for n in ("directive-vendor-reprint-001.txt", "directive-county-forward-002.txt", "provinces-article-003.txt"))
    done = run(["review", base, one, "-f", "docx", "-o", tmp_path / "r.docx"], env={"SOURCE_DATE_EPOCH": EPOCH})
    assert done.code == 0, done.err
    assert read_back((tmp_path / "r.docx").read_bytes(), "accept") == read_document(str(one)).text
    done = run(["review", base, one, two, "-f", "docx", "-o", tmp_path / "two.docx"])
    assert done.code == 2
    assert "2 witnesses" in done.err and "--format html" in done.err
    assert not (tmp_path / "two.docx").exists()


def test_docx_is_refused_on_a_terminal_and_written_when_redirected(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(BASE, encoding="utf-8")
    (tmp_path / "w.txt").write_text(PAIRS["insertion"], encoding="utf-8")
    master, slave = pty.openpty()
    proc = spawn(["diff", "b.txt", "w.txt", "-f", "docx"], cwd=tmp_path, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    _, err = proc.communicate(timeout=120)
    shown = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.returncode == 2
    assert b"PK" not in shown
    assert "terminal" in err.decode() and "-o" in err.decode()
    piped = run(["diff", "b.txt", "w.txt", "-f", "docx"], cwd=tmp_path, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert piped.code == 1
    assert read_back(piped.out_bytes, "accept") == PAIRS["insertion"]


@needs_soffice
def test_libreoffice_opens_it_and_the_first_page_is_not_blank(tmp_path: Path) -> None:
    import pypdfium2

    data, _, _ = redline(tmp_path, BASE, PAIRS["substitution"])
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory(prefix="jiaokan-test-soffice-") as tmp:
        source = Path(tmp, "redline.docx")
        source.write_bytes(data)
        done = subprocess.run([SOFFICE, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
                               f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--convert-to", "pdf", "--outdir", str(Path(tmp, "out")), str(source)],
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=180, check=False)
        pdf = Path(tmp, "out", "redline.pdf")
        assert done.returncode == 0 and pdf.is_file(), done.stderr.decode("utf-8", "replace")
        page = pypdfium2.PdfDocument(str(pdf))[0]
        image = page.render(scale=1).to_pil().convert("L")
        dark = sum(1 for v in image.tobytes() if v < 128)
        assert dark > 500, "the first page is blank"
        shutil.copy(pdf, tmp_path / "redline.pdf")
