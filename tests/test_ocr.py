"""Scans read by OCR: images and PDFs with no text layer, and how a doubtful reading is reported."""

from __future__ import annotations

import io
import json
import random
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from rapidfuzz.distance import Levenshtein

from jiaokan import ocr
from jiaokan.diff import diff_documents
from jiaokan.findings import Code, Severity
from jiaokan.ingest import document_from_bytes, document_from_text, read_document

from .cli import run

LINES = ["国务院关于加强数字政府建设的指导意见", "各省、自治区、直辖市人民政府：", "到2025年，与政府治理能力现代化相适应的",
         "数字政府顶层设计更加完善。"]
PAGE_2 = ["二、构建协同高效的政府数字化履职能力体系", "全面推进政府履职和政务运行数字化转型。"]


def cjk_font() -> str:
    """A font with Chinese glyphs: fontconfig's, else a Debian package's (.ci/run installs fonts-wqy-microhei)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
    except OSError:
        listed = ""
    found = sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
    found += [str(p) for pattern in ("wqy/*.tt?", "arphic/*.tt?", "**/Noto*CJK*") for p in Path("/usr/share/fonts").glob(pattern)]
    if not found:
        pytest.fail("no CJK font: apt-get install fonts-wqy-microhei (fc-list :lang=zh lists none)")
    return found[0]


def scan(lines: list[str], *, seed: int = 0, size: int = 44) -> Image.Image:
    """Lines of text as a scanner gives them back: grey ink on grey paper, a slight tilt, blur and noise."""
    rng = random.Random(seed)
    font = ImageFont.truetype(cjk_font(), size)
    img = Image.new("L", (size * 24, size * (2 * len(lines) + 2)), 240)
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((size, size * (1 + 2 * k)), line, font=font, fill=40)
    img = img.rotate(0.6, resample=Image.Resampling.BICUBIC, fillcolor=240).filter(ImageFilter.GaussianBlur(0.8))
    noisy = bytes(max(0, min(255, v + rng.randint(-25, 25))) for v in img.tobytes())
    return Image.frombytes("L", img.size, noisy)


def encoded(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()


def error_rate(got: str, want: str) -> float:
    a, b = "".join(want.split()), "".join(got.split())
    return Levenshtein.distance(a, b) / len(a)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_an_image_is_read_by_ocr_lines_kept(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"scan.{fmt.lower()}"
    path.write_bytes(encoded(scan(LINES), fmt))
    doc = read_document(path)
    assert (doc.format, doc.encoding) == ("image", "ocr")
    assert error_rate(doc.text, "".join(LINES)) <= 0.05, doc.text
    assert len(doc.text.splitlines()) == len(LINES), doc.text
    assert " " not in doc.text  # no space OCR put between Chinese characters is left


def test_the_content_says_image_whatever_the_name(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_bytes(encoded(scan(LINES[:2]), "PNG"))
    assert read_document(tmp_path / "scan.txt").format == "image"


def test_a_pdf_without_a_text_layer_is_read_page_by_page(tmp_path: Path) -> None:
    first, second = scan(LINES).convert("RGB"), scan(PAGE_2, seed=1).convert("RGB")
    out = io.BytesIO()
    first.save(out, format="PDF", save_all=True, append_images=[second], resolution=150)
    doc = document_from_bytes(out.getvalue(), path="scan.pdf")
    assert (doc.format, doc.encoding) == ("pdf", "ocr")
    pages = doc.text.split("\n\f\n")
    assert len(pages) == 2, doc.text
    assert error_rate(pages[0], "".join(LINES)) <= 0.05, pages[0]
    assert error_rate(pages[1], "".join(PAGE_2)) <= 0.05, pages[1]


def test_spaces_between_cjk_characters_are_removed_between_latin_words_kept() -> None:
    read = "国 务 院 关于 PDF 文件 and more"
    text, conf = ocr.page_text([ocr.Line(read, (0.99,) * len(read), 0, 0, 10)])
    assert text == "国务院关于PDF文件and more"
    assert len(conf) == len(text)


def test_a_low_confidence_difference_is_ocr_uncertain_and_listed(tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(encoded(scan(LINES), "PNG"))
    read = read_document(tmp_path / "scan.png")
    at = read.text.index("完善")
    doubted = replace(read, uncertain=((at, at + 1),))  # OCR unsure of 完
    base = document_from_text("\n".join(LINES).replace("完善", "健全").replace("指导意见", "实施意见") + "\n", path="base.txt")
    findings = diff_documents(base, doubted).findings
    by_text = {f.witness.text: f for f in findings if f.code in (Code.OCR_UNCERTAIN, Code.WORDING_SUBSTITUTION)}
    assert by_text["完善"].code == Code.OCR_UNCERTAIN  # touching the doubtful character: the OCR's doubt
    assert by_text["完善"].severity == Severity.STRUCTURAL  # listed, not failing, not hidden like a cosmetic one
    assert by_text["指导"].code == Code.WORDING_SUBSTITUTION  # read with confidence: drift


def test_the_report_lists_an_ocr_uncertain_finding_and_the_threshold_decides(tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(encoded(scan(LINES), "PNG"))
    (tmp_path / "base.txt").write_text("\n".join(LINES).replace("完善", "健全") + "\n", encoding="utf-8")
    confident = run(["diff", "base.txt", "scan.png"], cwd=tmp_path, env={ocr.THRESHOLD_ENV: "0"})  # nothing doubted
    assert confident.code == 1, confident
    assert "wording-substitution" in confident.out
    doubting = run(["diff", "base.txt", "scan.png", "--format", "json"], cwd=tmp_path, env={ocr.THRESHOLD_ENV: "1"})  # everything doubted
    assert doubting.code == 0, doubting
    assert '"ocr-uncertain"' in doubting.out and '"wording-substitution"' not in doubting.out
    listed = run(["diff", "base.txt", "scan.png"], cwd=tmp_path, env={ocr.THRESHOLD_ENV: "1"})
    assert "ocr-uncertain" in listed.out and "健全" in listed.out, listed


def test_a_bad_threshold_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(encoded(scan(LINES[:1]), "PNG"))
    done = run(["normalize", "scan.png"], cwd=tmp_path, env={ocr.THRESHOLD_ENV: "high"})
    assert done.code == 2, done
    assert ocr.THRESHOLD_ENV in done.err and len(done.err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["scan.png", "scan.pdf"])
def test_without_ocr_the_error_names_what_to_install(tmp_path: Path, name: str) -> None:
    img = scan(LINES[:2]).convert("RGB")
    (tmp_path / name).write_bytes(encoded(img, "PDF" if name.endswith(".pdf") else "PNG"))
    (tmp_path / "base.txt").write_text("\n".join(LINES[:2]) + "\n", encoding="utf-8")
    (tmp_path / "no-models").mkdir()
    done = run(["diff", "base.txt", name], cwd=tmp_path, env={ocr.MODELS_ENV: str(tmp_path / "no-models")})
    assert done.code == 2, done
    assert len(done.err.strip().splitlines()) == 1, done.err
    assert name in done.err and 'pip install "jiaokan[ocr]"' in done.err
    assert "Traceback" not in done.err


def test_a_damaged_image_is_an_input_error(tmp_path: Path) -> None:
    data = encoded(scan(LINES[:1]), "PNG")
    (tmp_path / "scan.png").write_bytes(data[:200])
    done = run(["normalize", "scan.png"], cwd=tmp_path)
    assert done.code == 2, done
    assert "scan.png: is not a readable image" in done.err


def long_lines_scan(paragraphs: list[str], dpi: int = 300) -> tuple[Image.Image, list[str]]:
    """Paragraphs as a 公文 prints them (三号 type, 28 full-width characters a line, indented two), scanned at ``dpi``
    with a slight tilt and blur: the lines the engine read as nothing with its boxes widened (UNCLIP 2.4)."""
    size = int(16 / 72 * dpi)  # 66 pixels at 300 dpi: at 67 the engine read every line even before the re-reading
    font = ImageFont.truetype(cjk_font(), size)
    lines = [p[k:k + 28] for p in ("\u3000\u3000" + q for q in paragraphs) for k in range(0, len(p), 28)]
    img = Image.new("L", (int(8.27 * dpi), int(size * 1.6 * (len(lines) + 4))), 235)
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((int(1.1 * dpi), 2 * size + k * int(size * 1.6)), line, font=font, fill=40)
    return img.rotate(0.6, fillcolor=235).filter(ImageFilter.GaussianBlur(0.6)), lines


def test_no_line_of_a_scan_is_lost_silently(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "directive-county-forward-002.txt"
    paragraphs = [p.strip() for p in sample.read_text(encoding="utf-8").split("\n") if p.strip()][3:8]
    img, lines = long_lines_scan(paragraphs)
    (tmp_path / "scan.png").write_bytes(encoded(img, "PNG"))
    (tmp_path / "para.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    read = read_document(tmp_path / "scan.png")
    assert len(read.text.splitlines()) == len(lines), read.text  # a line read, or kept as unread (〓)
    done = run(["diff", "para.txt", "scan.png", "--format", "json"], cwd=tmp_path, env={ocr.THRESHOLD_ENV: "0.85"})
    findings = json.loads(done.out)["findings"]
    long_drift = [f for f in findings if f["severity"] == "substantive" and
                  max(len(f["base"]["text"]), len(f["witness"]["text"])) >= 10]
    assert not long_drift, long_drift  # no line lost as a wording-deletion: read, or ocr-uncertain


def test_a_line_found_but_unread_is_ocr_uncertain_not_drift() -> None:
    base = ["为加快数字工信建设，大力推进利用大数据辅助行政决策工", "作的落实，更好的满足企业和群众的需求，现转发《国务院关于",
            "加强数字政府建设的指导意见》，请各股室认真学习。"]
    read = [ocr.Line(base[0], (0.99,) * len(base[0]), 0, 0, 10), ocr.Line(ocr.LOST, (0.0,), 0, 20, 30),
            ocr.Line(base[2], (0.99,) * len(base[2]), 0, 40, 50)]
    reading = ocr.join_pages([ocr.page_text(read)])
    witness = replace(document_from_text(reading.text, path="scan.png"), format="image", encoding="ocr",
                      uncertain=reading.uncertain())
    findings = diff_documents(document_from_text("".join(base) + "\n", path="base.txt"), witness).findings
    assert findings, reading.text
    assert {f.code for f in findings if f.severity == Severity.SUBSTANTIVE} == set(), findings
    assert any(f.code == Code.OCR_UNCERTAIN and "落实" in f.base.text for f in findings), findings


def test_a_dot_read_for_a_list_comma_is_a_list_comma_and_doubted() -> None:
    read = ["各省丶自治区丶直辖市人民政府，《规划》丶《意见》和产业变革趋势丶", "引领驱动数字经济发展。部首丶读作主"]
    lines = [ocr.Line(t, (0.99,) * len(t), 0, 30 * k, 30 * k + 10) for k, t in enumerate(read)]
    text, conf = ocr.page_text(lines)
    assert text == "各省、自治区、直辖市人民政府，《规划》、《意见》和产业变革趋势、\n引领驱动数字经济发展。部首、读作主"
    made = [i for i, ch in enumerate(text) if ch == "、"]
    assert [conf[i] for i in made] == [0.0] * 5  # jiaokan's guess: doubted
    alone = "丶，点也"  # not between two characters: left as read
    assert ocr.page_text([ocr.Line(alone, (0.99,) * 4, 0, 0, 10)])[0] == alone
