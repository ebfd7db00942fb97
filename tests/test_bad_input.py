"""The bad-input matrix, through the real command line.

Every input a user can get wrong ends the same way: exit code 2, exactly one
line on stderr (``jiaokan: error: what: why; fix``) naming the file, no
traceback, nothing on stdout.  With ``--debug`` a traceback may come first,
but the exit code and the final line stay the same.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from jiaokan.errors import InputError
from jiaokan.ingest import DEFAULT_MAX_BYTES, read_document

from .cli import Result, run

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

GOOD_TEXT = "国务院关于加强数字政府建设的指导意见\n\n国发〔2022〕14号\n\n加强数字政府建设是适应新一轮科技革命和产业变革趋势的必然要求。\n"


def assert_one_line_error(done: Result, *needles: str) -> str:
    """Exit 2, nothing on stdout, one `jiaokan: error:` line on stderr containing every needle."""
    err = done.err_bytes.decode("utf-8", "replace")
    assert done.code == 2, err
    assert done.out_bytes == b"", done.out_bytes.decode("utf-8", "replace")
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("jiaokan: error: "), line
    assert "; " in line  # what: why; fix
    for needle in needles:
        assert needle in line, (needle, line)
    return line


# --------------------------------------------------------------------------
# building the bad inputs


def make_docx(document_xml: str | None, *, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        if document_xml is not None:
            zf.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def document_xml(text: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for ``name`` (local and central headers)."""
    b = bytearray(data)
    raw = name.encode()
    for sig, size_at, len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        i = b.find(sig)
        while i != -1:
            (n,) = struct.unpack_from("<H", b, i + len_at)
            if bytes(b[i + name_at : i + name_at + n]) == raw:
                struct.pack_into("<I", b, i + size_at, size)
            i = b.find(sig, i + 4)
    return bytes(b)


def make_pdf(lines: list[str], **canvas_options: object) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, **canvas_options)  # type: ignore[arg-type]
    c.setFont("STSong-Light", 14)
    for k, line in enumerate(lines):
        c.drawString(72, 780 - 24 * k, line)
    c.showPage()
    c.save()
    return buf.getvalue()


KOREAN = (
    "행정안전부는 디지털 정부 혁신 추진 계획을 발표했다. 중국 국무원도 디지털 정부 건설 강화에 관한 지도 의견을 "
    "발표하여 2025년까지 디지털 정부 체계의 틀을 기본적으로 형성하겠다고 밝혔다. 전문가들은 양국의 정책을 비교 분석했다.\n"
)


@dataclass(frozen=True)
class Case:
    """A bad input: how to make it (in a folder), what to pass, what the error must say."""

    make: Callable[[Path], None]
    arg: str
    says: tuple[str, ...]
    args: tuple[str, ...] = ()


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda d: (d / name).write_bytes(data)


def _nothing(d: Path) -> None:
    return None


def _mkdir(d: Path) -> None:
    (d / "公文").mkdir()


def _random_binary() -> bytes:
    data = bytearray(random.Random(7).randbytes(4096))
    data[100:108] = b"\x00" * 8
    return bytes(data)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(range(256)) * 8
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b">\x00\x03\x00\xfe\xff\t\x00" + bytes(2000)  # an old .doc
GOOD_PDF_LINES = ["国务院关于加强数字政府建设的指导意见", "加强数字政府建设是适应新一轮科技革命和产业变革趋势的必然要求。"]

CASES: dict[str, Case] = {
    "missing path": Case(_nothing, "不存在.txt", ("不存在.txt", "no such file")),
    "a directory": Case(_mkdir, "公文", ("公文", "is a directory")),
    "empty file": Case(_write("empty.txt", b""), "empty.txt", ("empty.txt", "is empty")),
    "byte-order mark only": Case(_write("bom.txt", b"\xef\xbb\xbf"), "bom.txt", ("bom.txt", "is empty", "byte-order mark")),
    "whitespace only": Case(_write("blank.txt", " \n\t\r\n\u3000\xa0\n".encode()), "blank.txt", ("blank.txt", "only whitespace")),
    "random binary": Case(_write("data.txt", _random_binary()), "data.txt", ("data.txt",)),
    "png named txt": Case(_write("通知.txt", PNG), "通知.txt", ("通知.txt", "not a readable image")),  # an image (read by OCR), damaged
    "png": Case(_write("scan.png", PNG), "scan.png", ("scan.png", "not a readable image")),
    # a Korean article about the directive, saved as EUC-KR: GB18030 "decodes" it as 措茄刮惫-style mojibake
    "euc-kr text": Case(_write("article.txt", KOREAN.encode("euc-kr")), "article.txt", ("article.txt", "cannot be decoded")),
    # a UTF-8 page with a paragraph pasted from a GBK file: neither codec reads all of it
    "mixed utf-8 and gbk": Case(
        _write("mixed.txt", GOOD_TEXT.encode("utf-8") + "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n".encode("gbk")),
        "mixed.txt",
        ("mixed.txt", "cannot be decoded"),
    ),
    "latin-1 text": Case(_write("note.txt", "Décret n° 2022-14 relatif à l'administration numérique.\n".encode("latin-1") * 3), "note.txt", ("note.txt", "cannot be decoded")),
    "docx without document.xml": Case(_write("nobody.docx", make_docx(None)), "nobody.docx", ("nobody.docx", "not a readable .docx")),
    "docx with broken xml": Case(_write("broken.docx", make_docx("<w:document><w:body>")), "broken.docx", ("broken.docx", "not a readable .docx")),
    "old .doc": Case(_write("国发〔2022〕14号.doc", OLE_DOC), "国发〔2022〕14号.doc", ("国发〔2022〕14号.doc", "old binary Word .doc", "save it as .docx")),
    "old .doc named docx": Case(_write("old.docx", OLE_DOC), "old.docx", ("old.docx", "old binary Word .doc")),
    "zip bomb docx": Case(
        _write("bomb.docx", declare_size(make_docx(document_xml("零" * 1000)), "word/document.xml", 300 * 1024 * 1024)),
        "bomb.docx",
        ("bomb.docx", "zip bomb"),
    ),
    "encrypted pdf": Case(_write("通知（加密）.pdf", make_pdf(GOOD_PDF_LINES, encrypt="secret")), "通知（加密）.pdf", ("通知（加密）.pdf", "encrypted PDF")),
    "truncated pdf": Case(_write("cut.pdf", make_pdf(GOOD_PDF_LINES)[:700]), "cut.pdf", ("cut.pdf", "not a readable PDF")),
    "pdf with no text layer": Case(_write("scan.pdf", make_pdf([])), "scan.pdf", ("scan.pdf", "no text")),
    "unknown rule": Case(_write("good.txt", GOOD_TEXT.encode()), "good.txt", ("unknown normalization rule 'nope'",), ("--rules", "nope")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_line_exit_2(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    case.make(tmp_path)
    done = run(["normalize", *case.args, case.arg], cwd=tmp_path)
    assert_one_line_error(done, *case.says)


@pytest.mark.parametrize("name", ["missing path", "whitespace only", "euc-kr text", "docx without document.xml", "zip bomb docx", "truncated pdf", "unknown rule"])
def test_debug_adds_a_traceback_but_keeps_the_line_and_exit_code(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    case.make(tmp_path)
    done = run(["--debug", "normalize", *case.args, case.arg], cwd=tmp_path)
    assert done.code == 2
    assert done.out_bytes == b""
    err = done.err_bytes.decode("utf-8", "replace")
    assert err.startswith("Traceback")
    assert "InputError" in err  # the traceback is of the error we meant to raise
    last = err.splitlines()[-1]
    assert last.startswith("jiaokan: error: ")
    for needle in case.says:
        assert needle in last


@pytest.mark.parametrize("args", [("normalize", "--bogus", "x.txt"), ("normalize",), ("no-such-command",)], ids=["unknown option", "missing argument", "unknown command"])
def test_usage_errors_are_one_line_exit_2(args: tuple[str, ...], tmp_path: Path) -> None:
    assert_one_line_error(run(args, cwd=tmp_path))


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    """What holds today for usage errors, whatever the line count."""
    for args in (("normalize", "--bogus", "x.txt"), ("normalize",)):
        done = run(args, cwd=tmp_path)
        err = done.err
        assert done.code == 2
        assert done.out_bytes == b""
        assert "Traceback" not in err
        assert "--bogus" in err or "normalize needs FILE" in err


# --------------------------------------------------------------------------
# the size limit


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: costs no disk and no time
    done = run(["normalize", "huge.txt"], cwd=tmp_path)
    line = assert_one_line_error(done, "huge.txt", "too large", "104,857,600 bytes", "JIAOKAN_MAX_BYTES")
    assert f"{DEFAULT_MAX_BYTES:,}" in line


def test_huge_file_is_refused_before_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.delenv("JIAOKAN_MAX_BYTES", raising=False)
    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(InputError, match="too large"):
        read_document(path)


def test_jiaokan_max_bytes_changes_the_limit(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(GOOD_TEXT.encode())
    size = len(GOOD_TEXT.encode())
    assert run(["normalize", "good.txt"], cwd=tmp_path).code == 0
    done = run(["normalize", "good.txt"], cwd=tmp_path, env={"JIAOKAN_MAX_BYTES": "100"})
    assert_one_line_error(done, "good.txt", "too large", f"{size:,} bytes", "the limit is 100 bytes")
    assert run(["normalize", "good.txt"], cwd=tmp_path, env={"JIAOKAN_MAX_BYTES": str(size)}).code == 0


def test_jiaokan_max_bytes_applies_to_standard_input(tmp_path: Path) -> None:
    done = run(["normalize", "-"], cwd=tmp_path, env={"JIAOKAN_MAX_BYTES": "100"}, input=GOOD_TEXT.encode())
    assert_one_line_error(done, "standard input", "too large")


def test_jiaokan_max_bytes_must_be_a_number(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(GOOD_TEXT.encode())
    done = run(["normalize", "good.txt"], cwd=tmp_path, env={"JIAOKAN_MAX_BYTES": "20MB"})
    assert_one_line_error(done, "JIAOKAN_MAX_BYTES", "'20MB'")


def test_empty_standard_input(tmp_path: Path) -> None:
    assert_one_line_error(run(["normalize", "-"], cwd=tmp_path, input=b""), "-: is empty")


# --------------------------------------------------------------------------
# zip bombs, in process (building hundreds of megabytes would be slow)


def test_docx_that_inflates_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from jiaokan import ingest

    bomb = make_docx(document_xml("0" * 2_000_000))  # 2 MB of zeros, a few kB compressed
    assert len(bomb) < 20_000
    monkeypatch.setattr(ingest, "DOCX_LIMIT", 1_000_000)
    with pytest.raises(InputError, match=r"bomb\.docx: \.docx expands to 2,000,"):
        ingest.document_from_bytes(bomb, path="bomb.docx")


def test_docx_whose_header_understates_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lying header must not make jiaokan inflate more than it declared."""
    from jiaokan import ingest

    liar = declare_size(make_docx(document_xml("0" * 2_000_000)), "word/document.xml", 1000)
    monkeypatch.setattr(ingest, "DOCX_LIMIT", 1_000_000)
    with pytest.raises(InputError, match=r"liar\.docx: "):
        ingest.document_from_bytes(liar, path="liar.docx")


# --------------------------------------------------------------------------
# a good run changes nothing


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    sample = SAMPLES / "directive-vendor-reprint-001.txt"
    copy = tmp_path / sample.name
    copy.write_bytes(sample.read_bytes())
    (tmp_path / "page.html").write_bytes(("<html><head><meta charset='gbk'></head><body><p>" + GOOD_TEXT + "</p></body></html>").encode("gbk"))
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    for name in before:
        done = run(["normalize", name], cwd=tmp_path)
        assert done.code == 0, done.err
        assert done.err_bytes == b""
        assert done.out_bytes
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before  # same bytes, untouched, and no stray files left behind
    assert before[sample.name][0] == hashlib.sha256(sample.read_bytes()).hexdigest()
