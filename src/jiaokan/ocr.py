"""Scans: the text of an image, or of a PDF page with no text layer, read by OCR, with how sure it was of each character.

A scan's text is a reading, not the document: a character the engine was unsure of (below :data:`DEFAULT_THRESHOLD`)
is kept with the Document (``Document.uncertain``), so that a difference touching it is reported as ``ocr-uncertain``
rather than as drift.  The engine and the threshold were chosen on measured figures (``docs/ocr.md``,
``benchmarks/bench_ocr.py``).  Everything heavy (Pillow, the engine, pypdfium2) is the ``ocr`` extra, imported only
when a scan is read.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from jiaokan.errors import InputError
from jiaokan.patterns import compiled

if TYPE_CHECKING:
    from PIL.Image import Image

#: A character read with less confidence than this (0-1) is uncertain (``docs/ocr.md``: how it was chosen).
DEFAULT_THRESHOLD = 0.85
#: Set to a number from 0 to 1 to change :data:`DEFAULT_THRESHOLD`.
THRESHOLD_ENV = "JIAOKAN_OCR_THRESHOLD"
#: Set to the folder of the engine's models; by default the ones its wheel ships (never downloaded).  A folder
#: without them makes OCR unavailable, as if the extra were not installed.
MODELS_ENV = "JIAOKAN_OCR_MODELS"
#: How finely a PDF page with no text layer is rendered for OCR.
DPI = 300
#: A page is rendered with at most this many pixels, however large it says it is (A4 at 300 dpi: 8.7 million).
MAX_PIXELS = 40_000_000
#: How far the engine widens the boxes of the lines it finds (its own default, 1.6, cut off punctuation at a line's
#: ends: ``docs/ocr.md``).
UNCLIP = 2.4
#: A gap between two characters of a line wider than this share of its type size is where one may be missing: the
#: characters beside it get :data:`GAP_CONFIDENCE` (``docs/ocr.md``).
GAP = 0.45
GAP_CONFIDENCE = 0.0
#: A line box the engine read with fewer characters than this share of what its width holds (its length in its own
#: heights: an em a character) is read again on its own; the engine read some long full-width lines as nothing at
#: :data:`UNCLIP` 2.4 (``docs/ocr.md``).  Only boxes at least :data:`MIN_REREAD` heights long (a short one's count is
#: too rough).
SHORT = 0.5
MIN_REREAD = 4.0
#: How far the engine widens the boxes when a line is read again on its own (its default: the region holds one line).
REREAD_UNCLIP = 1.6
#: What stands for a line the engine found but could not read, with confidence 0 (GETA MARK, a typesetter's sign for a
#: character that could not be set): a difference there is ``ocr-uncertain``, not text silently lost.
LOST = "\u3013"
#: The engine scales a page larger than this (pixels, its longer side) down to it before finding the lines (its
#: default: working at full size was worse and twice as slow, ``docs/ocr.md``).
MAX_SIDE = 2000
#: What to install for OCR (named by every error that finds it missing).
INSTALL = 'pip install "jiaokan[ocr]"'

PAGE_BREAK = "\n\f\n"  # as ingest joins a PDF's pages


@dataclass(frozen=True, slots=True)
class Reading:
    """OCR's text of one or more pages: lines as read, pages joined by a form feed as PDF text is."""

    text: str
    confidence: tuple[float, ...]  # one per character of ``text``, 0-1; line and page breaks, which OCR does not read, 1
    pages: int

    def uncertain(self, threshold: float | None = None) -> tuple[tuple[int, int], ...]:
        """The ranges ``[start, end)`` of consecutive characters read with less than ``threshold`` confidence (at 1,
        every character read)."""
        limit = threshold_in_force() if threshold is None else threshold
        out: list[tuple[int, int]] = []
        for i, c in enumerate(self.confidence):
            if (c < limit or limit >= 1) and not self.text[i].isspace():
                if out and out[-1][1] == i:
                    out[-1] = (out[-1][0], i + 1)
                else:
                    out.append((i, i + 1))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Line:
    """One line as the engine read it: its characters and each one's confidence, and where it lies on the page."""

    text: str
    confidence: tuple[float, ...]
    left: float
    top: float
    bottom: float


def threshold_in_force() -> float:
    """``JIAOKAN_OCR_THRESHOLD`` when set (checked), else :data:`DEFAULT_THRESHOLD`."""
    env = os.environ.get(THRESHOLD_ENV)
    if not env:
        return DEFAULT_THRESHOLD
    try:
        value = float(env)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise InputError(f"{THRESHOLD_ENV}={env[:40]!r} is not a confidence", "it must be a number from 0 to 1",
                         f"set it like {THRESHOLD_ENV}=0.8, or unset it for the default {DEFAULT_THRESHOLD}")
    return value


# --------------------------------------------------------------------------
# the engine


def missing(path: str, why: str) -> InputError:
    """The error of a scan read where OCR is not installed."""
    return InputError(f"{path}: needs OCR", why, f"install it with {INSTALL} (or give the document's text)")


def _engine(path: str) -> Any:
    """The engine, loaded once per process (its models are read from the wheel, or from ``JIAOKAN_OCR_MODELS``)."""
    models = os.environ.get(MODELS_ENV) or None
    try:
        return _load_engine(models)
    except ImportError as exc:
        raise missing(path, f"it is a scan (no text layer) and the OCR engine is not installed ({exc.name or exc})") from None
    except FileNotFoundError as exc:
        raise missing(path, f"it is a scan (no text layer) and the OCR models are not found ({exc})") from None


_MODEL_FILES = {"det_model_path": "ch_PP-OCRv4_det_infer.onnx", "cls_model_path": "ch_ppocr_mobile_v2.0_cls_infer.onnx",
                "rec_model_path": "ch_PP-OCRv4_rec_infer.onnx"}


@lru_cache(maxsize=2)
def _load_engine(models: str | None) -> Any:
    import logging

    from rapidocr_onnxruntime import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    if models is None:
        return RapidOCR()
    paths = {key: os.path.join(models, name) for key, name in _MODEL_FILES.items()}
    for p in paths.values():
        if not os.path.isfile(p):
            raise FileNotFoundError(p)
    return RapidOCR(**paths)


def read_lines(image: Image, *, path: str = "<image>") -> list[Line]:
    """The lines of one page image, top to bottom, each with its characters' confidence.

    A line box read empty, or with far fewer characters than its width holds (:data:`SHORT`), is read again on its
    own (:data:`REREAD_UNCLIP`), the better reading kept; a line still unread is kept as :data:`LOST`, so that what it
    held is reported ``ocr-uncertain``, never as drift (``docs/ocr.md``)."""
    import numpy as np

    engine = _engine(path)
    page = np.asarray(image.convert("RGB"))
    lines = []
    for item in _detect(engine, page, UNCLIP):
        box = item[0]
        line = _line(item)
        wide, high = _box_size(box)
        expected = wide / high if high > 0 else 0.0
        if expected < MIN_REREAD or _shown(line.text) >= SHORT * expected:
            lines.append(line)
            continue
        again = _reread(engine, page, box, high)
        if _shown("".join(x.text for x in again)) > _shown(line.text):
            lines += again
        elif _shown(line.text) == 0:
            ys = [p[1] for p in box]
            lines.append(Line(LOST, (0.0,), min(p[0] for p in box), min(ys), max(ys)))
        else:  # read the same again (a title set with wide spaces, 通  知): as read, the gap rule doubting its gaps
            lines.append(line)
    return lines


def _detect(engine: Any, image: Any, unclip: float) -> list[Any]:
    """The engine's lines of ``image`` (an RGB array), every one kept however unsure (text_score 0: a line dropped
    would be text silently lost), the boxes it finds widened by ``unclip`` (at 1.6 a line's first and last
    characters fell outside them: docs/ocr.md)."""
    engine.max_side_len = MAX_SIDE  # the engine scales a larger image down to this before finding lines
    result, _ = engine(image, return_word_box=True, text_score=0.0, unclip_ratio=unclip)
    return list(result or ())


def _line(item: Any, dx: float = 0.0, dy: float = 0.0) -> Line:
    """One of the engine's lines, its box moved by ``(dx, dy)`` (a region's reading put back on the page)."""
    box, text, score = item[0], str(item[1]), float(item[2])
    words: Sequence[str] = item[4] if len(item) > 5 else ()
    scores: Sequence[float] = item[5] if len(item) > 5 else ()
    boxes: Sequence[Sequence[Sequence[float]]] = item[3] if len(item) > 5 else ()
    scores = _gaps_doubted(boxes, scores) if len(boxes) == len(scores) else scores
    each = [float(s) for w, s in zip(words, scores, strict=False) for _ in w] if len(words) == len(scores) else []
    if "".join(words) == text.replace(" ", "") and len(each) == len(text) - text.count(" "):
        it = iter(each)
        conf = tuple(1.0 if ch == " " else next(it) for ch in text)
    else:  # the engine's characters do not line up with its text: the line's score for each
        conf = (score,) * len(text)
    ys = [p[1] + dy for p in box]
    return Line(text, conf, min(p[0] for p in box) + dx, min(ys), max(ys))


def _box_size(box: Sequence[Sequence[float]]) -> tuple[float, float]:
    """A line box's length and height (its sides, so a tilted line's too)."""
    side = [math.dist(box[k], box[(k + 1) % len(box)]) for k in range(len(box))]
    return max(side[0], side[2]), min(side[1], side[3])


def _shown(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _reread(engine: Any, page: Any, box: Sequence[Sequence[float]], high: float) -> list[Line]:
    """The lines found in the region of ``box`` alone (a little wider each side), read with :data:`REREAD_UNCLIP`;
    only those across the region's middle (not a neighbour's edge), put back where they are on the page."""
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    x0, x1 = max(0, int(min(xs) - 0.3 * high)), min(page.shape[1], int(max(xs) + 0.3 * high) + 1)
    y0, y1 = max(0, int(min(ys))), min(page.shape[0], int(max(ys)) + 1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return []
    mid = (y1 - y0) / 2
    out = []
    for item in _detect(engine, page[y0:y1, x0:x1], REREAD_UNCLIP):
        top, bottom = min(p[1] for p in item[0]), max(p[1] for p in item[0])
        if top <= mid <= bottom and str(item[1]).strip():
            out.append(_line(item, x0, y0))
    return out


def _gaps_doubted(boxes: Sequence[Sequence[Sequence[float]]], scores: Sequence[float]) -> list[float]:
    """The words' confidence, with the two words either side of a gap wider than :data:`GAP` of the line's type size
    doubted (:data:`GAP_CONFIDENCE`): the engine read nothing where a character stood (a rare one, 踔厉 read 厉)."""
    spans = [(min(p[0] for p in b), max(p[0] for p in b), max(p[1] for p in b) - min(p[1] for p in b)) for b in boxes]
    heights = sorted(h for _, _, h in spans)
    em = heights[len(heights) // 2] if heights else 0
    out = [float(s) for s in scores]
    for k in range(len(spans) - 1):
        if em > 0 and spans[k + 1][0] - spans[k][1] > GAP * em:
            out[k] = min(out[k], GAP_CONFIDENCE)
            out[k + 1] = min(out[k + 1], GAP_CONFIDENCE)
    return out


# --------------------------------------------------------------------------
# lines to text


_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f"
_CJK_SPACE = compiled(f"(?<=[{_CJK}]) +(?=[{_CJK}])|(?<=[{_CJK}]) +(?=[\\dA-Za-z])|(?<=[\\dA-Za-z]) +(?=[{_CJK}])")


def _tidy(text: str, conf: Sequence[float]) -> tuple[str, tuple[float, ...]]:
    """Spaces OCR put between CJK characters removed (Chinese has none; between Latin words they stay), the line
    trimmed."""
    drop = {i for m in _CJK_SPACE.finditer(text) for i in range(m.start(), m.end())}
    kept = [(ch, c) for i, (ch, c) in enumerate(zip(text, conf, strict=True)) if i not in drop]
    lo, hi = 0, len(kept)
    while lo < hi and kept[lo][0].isspace():
        lo += 1
    while hi > lo and kept[hi - 1][0].isspace():
        hi -= 1
    return "".join(ch for ch, _ in kept[lo:hi]), tuple(c for _, c in kept[lo:hi])


def rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines on one row of the page (boxes the engine cut apart), each row left to right, rows top to bottom."""
    out: list[list[Line]] = []
    for line in sorted(lines, key=lambda x: (x.top + x.bottom) / 2):
        mid = (line.top + line.bottom) / 2
        if out:
            last = out[-1][-1]
            if abs(mid - (last.top + last.bottom) / 2) < (last.bottom - last.top) / 2:
                out[-1].append(line)
                continue
        out.append([line])
    return [sorted(row, key=lambda x: x.left) for row in out]


def page_text(lines: Sequence[Line]) -> tuple[str, tuple[float, ...]]:
    """One page's text, a line of text for each row, and its characters' confidence."""
    texts: list[str] = []
    confs: list[float] = []
    for row in rows(lines):
        conf_row = [c for k, x in enumerate(row) for c in ((*x.confidence,) if k == 0 else (1.0, *x.confidence))]  # 1: the space
        text, conf = _tidy(" ".join(x.text for x in row), conf_row)
        if not text:
            continue
        if texts:
            confs.append(1.0)  # the line break
        texts.append(text)
        confs.extend(conf)
    return list_commas("\n".join(texts), tuple(confs))


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# 丶 (U+4E36, the radical "dot", a dictionary's character) where a list comma stands: after a Chinese character or a
# closing mark and before one or an opening mark, a line break between them or not
_DOT_FOR_COMMA = compiled(f"(?:(?<=[{_HAN}》”）」』〉])|(?<=[{_HAN}》”）」』〉]\n))\u4e36(?=\n?[{_HAN}《“（「『〈])")


def list_commas(text: str, conf: Sequence[float]) -> tuple[str, tuple[float, ...]]:
    """丶 read where a list comma stands made 、 (the engine reads one so now and then, confidently), each one
    made doubted (confidence 0): the character is jiaokan's guess, not the engine's reading."""
    hits = [m.start() for m in _DOT_FOR_COMMA.finditer(text)]
    if not hits:
        return text, tuple(conf)
    chars, out = list(text), list(conf)
    for i in hits:
        chars[i], out[i] = "、", 0.0
    return "".join(chars), tuple(out)


def join_pages(pages: Sequence[tuple[str, tuple[float, ...]]]) -> Reading:
    """Pages joined as ingest joins a PDF's: a form feed on a line of its own between them."""
    text = PAGE_BREAK.join(t for t, _ in pages)
    conf: list[float] = []
    for k, (_, c) in enumerate(pages):
        if k:
            conf.extend((1.0,) * len(PAGE_BREAK))
        conf.extend(c)
    return Reading(text, tuple(conf), len(pages))


# --------------------------------------------------------------------------
# images and scanned PDFs


def images_of(data: bytes, path: str) -> Iterator[Image]:
    """The pages of an image file (a TIFF may hold several), checked by Pillow (a decompression bomb is refused)."""
    try:
        from PIL import Image as PILImage
        from PIL import ImageSequence
    except ImportError as exc:
        raise missing(path, f"it is an image and Pillow is not installed ({exc.name or exc})") from None
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            for frame in ImageSequence.Iterator(img):
                frame.load()
                yield frame.copy()
    except InputError:
        raise
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError, EOFError) as exc:
        raise InputError(f"{path}: is not a readable image", f"Pillow could not decode it ({type(exc).__name__})",
                         "re-save it as PNG, JPEG or TIFF, or give the document's text") from exc


def read_image(data: bytes, *, path: str = "<image>") -> Reading:
    """The text of an image file (PNG, JPEG, TIFF: each of a TIFF's frames a page)."""
    _engine(path)  # missing OCR said before any decoding
    return join_pages([page_text(read_lines(img, path=path)) for img in images_of(data, path)])


def read_pdf(data: bytes, *, path: str = "<pdf>", dpi: int = DPI) -> Reading:
    """The text of a PDF with no text layer: each page rendered (pypdfium2) at ``dpi`` and read."""
    return join_pages(list(read_pdf_pages(data, None, path=path, dpi=dpi).values()))


def read_pdf_pages(data: bytes, pages: Sequence[int] | None, *, path: str = "<pdf>", dpi: int = DPI) -> dict[int, tuple[str, tuple[float, ...]]]:
    """The reading of some pages of a PDF (0-based; None: all), each rendered (pypdfium2) at ``dpi``: what a scanned
    PDF is, and what a scanned page among a PDF's text pages is (``ingest``)."""
    _engine(path)
    try:
        import pypdfium2
    except ImportError as exc:
        raise missing(path, f"it is a scanned PDF (no text layer) and pypdfium2 is not installed ({exc.name or exc})") from None
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise InputError(f"{path}: is not a readable PDF", f"pdfium could not open it ({exc})", "re-save it from a PDF viewer") from exc
    read: dict[int, tuple[str, tuple[float, ...]]] = {}
    try:
        for k in range(len(pdf)) if pages is None else [k for k in pages if 0 <= k < len(pdf)]:
            page = pdf[k]
            try:
                width, height = page.get_size()  # points
                scale = min(dpi / 72, math.sqrt(MAX_PIXELS / max(1.0, width * height)))
                image = page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
            read[k] = page_text(read_lines(image, path=path))
    finally:
        pdf.close()
    return read
