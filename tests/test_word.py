"""Word documents as they really arrive (docs/word.md): text boxes once, notes after the body, tracked changes
accepted (or the original, with --docx-original), headers and footers as each copy's own wrapper; .doc and .wps
through LibreOffice.

The files are built here (tests/wordfiles.py); the .doc, .wps and .rtf ones are made from them by LibreOffice
itself.  `.ci/run` installs LibreOffice and sets JIAOKAN_REQUIRE_SOFFICE=1, so there its tests cannot be skipped;
elsewhere they skip when it is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from jiaokan import word
from jiaokan.errors import InputError
from jiaokan.ingest import document_from_bytes, read_document

from .cli import run
from .test_bad_input import assert_one_line_error
from .wordfiles import (
    BARE_ACCEPTED,
    BARE_ORIGINAL,
    BODY,
    BOX,
    ENDNOTE,
    FOOTER,
    FOOTNOTE,
    HEADER,
    MOVED,
    TITLE,
    TRACKED,
    delete,
    docx,
    ins,
    notice,
    para,
    text_box,
    text_run,
)

SOFFICE = word.soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None and not os.environ.get("JIAOKAN_REQUIRE_SOFFICE"),
                                   reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")

#: The notice read with its changes accepted: the header first, the notes after the body, the footer last.
ACCEPTED = "\n".join([
    HEADER,
    TITLE,
    "各乡镇人民政府，县直各单位：",
    "为进一步做好安全生产工作，切实保障人民群众生命财产安全，现就有关事项通知如下。",
    "一、各单位要切实落实安全生产责任制。",
    "二、要开展隐患排查治理，做到早发现、早报告、早处置。",  # its deleted paragraph mark joins the two
    MOVED,  # read where it was moved to, once
    "四、发生事故要及时上报。",
    "",  # the empty paragraph the text box is anchored in
    BOX,
    f"[脚注1] {FOOTNOTE}",
    f"[尾注1] {ENDNOTE}",
    "— 1 —",
])


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# --------------------------------------------------------------------------
# .docx


def test_the_notice_reads_as_word_shows_it_with_its_changes_accepted(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "通知.docx", notice()))
    assert doc.format == "docx"
    assert doc.encoding == "docx"
    assert doc.text == ACCEPTED
    assert doc.locate(doc.text.index("[脚注1]")) == (11, 1)


def test_docx_original_reads_the_text_before_the_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "通知.docx", notice())
    original = read_document(path, docx_revisions="original").text
    assert original.splitlines()[4:9] == [
        "一、各单位要落实安全生产主体责任制。",  # insertion left out, deletion kept
        MOVED,  # where it was moved from
        "二、要开展隐患排查治理，",  # the paragraph mark was there before
        "做到早发现、早报告、早处置。",
        "四、发生事故要及时上报。",  # the paragraph the move inserted is gone with it
    ]
    assert original.count(MOVED) == 1
    done = run(["normalize", "--docx-original", "通知.docx"], cwd=tmp_path)
    assert done.code == 0, done.err
    assert "主体责任制" in done.out and "切实落实" not in done.out
    accepted = run(["normalize", "通知.docx"], cwd=tmp_path)
    assert "切实落实安全生产责任制" in accepted.out and "主体" not in accepted.out


@pytest.mark.parametrize("command", ["normalize", "diff", "check", "trace", "collate", "review", "scan"])
def test_every_command_reading_documents_takes_docx_original(command: str, tmp_path: Path) -> None:
    write(tmp_path, "original.txt", BARE_ORIGINAL + "\n")
    write(tmp_path, "通知.docx", notice())
    args = ["通知.docx"] if command == "normalize" else ["original.txt", "通知.docx", *(["--workers", "1"] if command == "scan" else [])]
    out = {}
    for flags in ((), ("--docx-original",)):
        done = run([command, *flags, *args, *(["-o", f"r{len(flags)}.html"] if command == "review" else [])], cwd=tmp_path)
        assert done.code in (0, 1), done.err
        out[flags] = (done.code, done.out or (tmp_path / f"r{len(flags)}.html").read_text(encoding="utf-8"))
    assert out[()][1] != out[("--docx-original",)][1]
    if command in ("diff", "check"):
        assert (out[()][0], out[("--docx-original",)][0]) == (1, 0)  # the original matches the original text, the accepted does not


def test_a_text_box_is_read_once_from_either_branch() -> None:
    """Word writes a text box as DrawingML (mc:Choice) and again as VML (mc:Fallback); LibreOffice writes an empty
    VML fallback; older files have VML alone.  Each is read once, after the paragraph it is anchored in."""
    box = text_box("印发机关：县政府办公室")
    choice, fallback = box.split("<mc:Fallback>")
    vml = "<w:r>" + "<w:pict>" + fallback.split("<w:pict>", 1)[1].split("</mc:Fallback>")[0] + "</w:r>"
    variants = {
        "both branches": box,
        "empty fallback": choice + "<mc:Fallback><w:pict/></mc:Fallback></mc:AlternateContent></w:r>",
        "empty choice": box.replace(choice.split('<mc:Choice Requires="wps">')[1], "<w:drawing/></mc:Choice>"),
        "VML alone": vml,
    }
    for name, run_xml in variants.items():
        doc = document_from_bytes(docx(para(text_run("正文在前。"), run_xml) + para(text_run("正文在后。"))), path=f"{name}.docx")
        assert doc.text == "正文在前。\n印发机关：县政府办公室\n正文在后。", name


def test_notes_are_numbered_as_the_body_refers_to_them_and_separators_are_skipped() -> None:
    ref = '<w:r><w:footnoteReference w:id="{}"/></w:r>'
    deleted = f'<w:del {TRACKED.format(9)}>{ref.format(5)}<w:r><w:delText>，删去的一句</w:delText></w:r></w:del>'  # its note with it
    body = para(text_run("第一句。"), ref.format(7)) + para(text_run("第二句。"), ref.format(3)) + para(text_run("第三句"), deleted)
    data = docx(body, footnotes={3: "第二个注。", 5: "随删除而去的注。", 7: "第一个注。"})
    assert document_from_bytes(data, path="n.docx").text.splitlines() == ["第一句。", "第二句。", "第三句", "[脚注1] 第一个注。", "[脚注2] 第二个注。"]
    original = document_from_bytes(data, path="n.docx", docx_revisions="original").text
    assert original.splitlines()[-1] == "[脚注3] 随删除而去的注。"  # its reference is read in the original
    assert "separator" not in original and original.count("[脚注") == 3


def test_headers_and_footers_come_before_and_after_everything_each_once() -> None:
    same = para(text_run(HEADER))
    data = docx(para(text_run(TITLE)), headers=(same, same), footers=(para(text_run("第一页")), FOOTER))
    assert document_from_bytes(data, path="h.docx").text == f"{HEADER}\n{TITLE}\n第一页\n— 1 —"


def test_a_deleted_table_row_is_gone_in_the_accepted_text() -> None:
    row = "<w:tr>{}<w:tc><w:p>{}</w:p></w:tc></w:tr>"
    table = ("<w:tbl>" + row.format("", text_run("保留的行"))
             + row.format(f"<w:trPr><w:del {TRACKED.format(11)}/></w:trPr>", delete("删去的行", 12))
             + row.format(f"<w:trPr><w:ins {TRACKED.format(13)}/></w:trPr>", ins("新加的行", 14)) + "</w:tbl>")
    data = docx(table)
    assert document_from_bytes(data, path="t.docx").text == "保留的行\n新加的行"
    assert document_from_bytes(data, path="t.docx", docx_revisions="original").text == "保留的行\n删去的行"


def test_against_the_bare_text_the_header_and_footer_are_framing_and_nothing_is_substantive(tmp_path: Path) -> None:
    write(tmp_path, "bare.txt", BARE_ACCEPTED + "\n")
    write(tmp_path, "notice.docx", docx(BODY, headers=(para(text_run(HEADER)),), footers=(FOOTER,)))  # no notes: the bare text has none
    for base, witness in (("bare.txt", "notice.docx"), ("notice.docx", "bare.txt")):
        done = run(["diff", base, witness, "-f", "json"], cwd=tmp_path)
        assert done.code == 0, done.out
        findings = json.loads(done.out)["findings"]
        side = "witness" if witness == "notice.docx" else "base"
        assert [(f["code"], f[side]["text"]) for f in findings] == [("framing", HEADER), ("framing", "— 1 —")]


def test_the_bare_text_with_the_notes_has_no_substantive_finding_either(tmp_path: Path) -> None:
    # the notes as a copy gives them: their words, without the marks jiaokan's reader puts before them ([脚注1] ),
    # which are markup (shown by normalize, never compared)
    write(tmp_path, "bare.txt", BARE_ACCEPTED + f"\n{FOOTNOTE}\n{ENDNOTE}\n")
    write(tmp_path, "notice.docx", notice())
    for base, witness in (("notice.docx", "bare.txt"), ("bare.txt", "notice.docx")):
        done = run(["diff", base, witness, "-f", "json"], cwd=tmp_path)
        assert done.code == 0, done.out
        assert {f["code"] for f in json.loads(done.out)["findings"]} == {"framing"}
    # the notes are document text: a copy without them omits them
    write(tmp_path, "no-notes.txt", BARE_ACCEPTED + "\n")
    omitted = run(["diff", "notice.docx", "no-notes.txt", "-f", "json"], cwd=tmp_path)
    assert omitted.code == 1
    assert [f["base"]["text"].splitlines() for f in json.loads(omitted.out)["findings"] if f["severity"] == "substantive"] == [[FOOTNOTE, f"[尾注1] {ENDNOTE}"]]  # from the first word


# --------------------------------------------------------------------------
# .doc, .wps and .rtf through LibreOffice


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The notice as LibreOffice saves it: Word 97 (.doc), and RTF."""
    if SOFFICE is None:
        raise RuntimeError("the LibreOffice tests need soffice: apt-get install libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("legacy")
    source = write(folder, "notice.docx", notice())
    out: dict[str, Path] = {}
    for ext, filt in (("doc", "MS Word 97"), ("rtf", "Rich Text Format")):
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to", f"{ext}:{filt}",
                        "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
        out[ext] = folder / f"notice.{ext}"
    return out


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


@needs_soffice
def test_a_doc_is_read_through_libreoffice_as_its_docx_is(legacy: dict[str, Path], tmp_path: Path) -> None:
    data = legacy["doc"].read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # an OLE compound file, as Word 97-2003 writes
    doc = read_document(legacy["doc"])
    assert (doc.format, doc.encoding) == ("docx", "doc")
    assert lines(doc.text) == lines(ACCEPTED)  # LibreOffice keeps an empty paragraph where the move came from
    original = read_document(legacy["doc"], docx_revisions="original").text
    assert "一、各单位要落实安全生产主体责任制。" in original.splitlines()  # the tracked changes survive Word 97
    shutil.copy(legacy["doc"], tmp_path / "通知.doc")
    write(tmp_path, "通知.docx", notice())
    done = run(["diff", "通知.docx", "通知.doc", "-f", "json"], cwd=tmp_path)
    assert done.code == 0, done.err
    assert [f["code"] for f in json.loads(done.out)["findings"] if f["severity"] != "cosmetic"] == []


@needs_soffice
def test_wps_files_are_read_whether_ole_or_zip(legacy: dict[str, Path], tmp_path: Path) -> None:
    """WPS Office saves .wps as a Word 97 compound file, or (newer versions) as OOXML in a ZIP."""
    ole = write(tmp_path, "通知.wps", legacy["doc"].read_bytes())
    zipped = write(tmp_path, "通知（新版）.wps", notice())
    assert lines(read_document(ole).text) == lines(ACCEPTED)
    assert read_document(zipped).text == ACCEPTED
    done = run(["normalize", "通知.wps"], cwd=tmp_path)
    assert done.code == 0, done.err
    assert BOX in done.out and done.out.count(BOX) == 1


@needs_soffice
def test_rtf_named_doc_is_read_through_libreoffice(legacy: dict[str, Path], tmp_path: Path) -> None:
    path = write(tmp_path, "通知.doc", legacy["rtf"].read_bytes())  # sites often serve RTF as .doc
    doc = read_document(path)
    assert doc.encoding == "rtf"
    assert TITLE in doc.text and "{\\rtf" not in doc.text


@needs_soffice
def test_parallel_conversions_do_not_clash(legacy: dict[str, Path]) -> None:
    data = legacy["doc"].read_bytes()
    texts: list[str] = []
    errors: list[BaseException] = []

    def convert() -> None:
        try:
            texts.append(document_from_bytes(data, path="x.doc").text)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=convert) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(texts) == 3 and len(set(texts)) == 1


@needs_soffice
def test_a_damaged_doc_is_one_error_naming_libreoffice(tmp_path: Path) -> None:
    write(tmp_path, "坏.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000))
    line = assert_one_line_error(run(["normalize", "坏.doc"], cwd=tmp_path), "坏.doc", "old binary Word .doc", "LibreOffice could not convert it")
    assert "javaldx" not in line


def test_without_libreoffice_a_doc_is_one_error_naming_the_package(tmp_path: Path) -> None:
    write(tmp_path, "通知.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000))
    done = run(["normalize", "通知.doc"], cwd=tmp_path, env={"JIAOKAN_SOFFICE": str(tmp_path / "no-such-soffice")})
    assert_one_line_error(done, "通知.doc", "JIAOKAN_SOFFICE=", "names no program", "apt-get install libreoffice-writer-nogui", "save it as .docx")
    empty_path = run(["diff", "通知.doc", "通知.doc"], cwd=tmp_path, env={"PATH": str(tmp_path)})
    if not Path("/Applications/LibreOffice.app").exists():
        assert_one_line_error(empty_path, "通知.doc", "soffice is not on the PATH", "libreoffice-writer-nogui")


def test_a_conversion_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    fake = write(tmp_path, "soffice", f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("JIAOKAN_SOFFICE", str(fake))
    monkeypatch.setattr(word, "SOFFICE_TIMEOUT", 1)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"x\.doc: .*LibreOffice did not convert it within 1 seconds"):
        document_from_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000), path="x.doc")
    assert time.monotonic() - started < 30
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed with its process group, not left sleeping


def test_xml_nested_past_any_word_document_is_one_error(tmp_path: Path) -> None:
    write(tmp_path, "deep.docx", docx("<w:sdt><w:sdtContent>" * 3000 + para(text_run("深")) + "</w:sdtContent></w:sdt>" * 3000))
    assert_one_line_error(run(["normalize", "deep.docx"], cwd=tmp_path), "deep.docx", "not a readable .docx", "nests elements")
