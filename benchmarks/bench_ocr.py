"""OCR of scans: character accuracy, how well its confidence finds its errors, and the findings it causes.

Run by hand, not part of the test suite (it needs the ``ocr`` extra; ``--engine tesseract`` also Debian's
tesseract-ocr and tesseract-ocr-chi-sim; a CJK font: Debian's fonts-arphic-uming, as measured, or any ``--font``):

    python benchmarks/bench_ocr.py [--engine rapidocr,tesseract] [--dpi 150,300] [--pages 2] [--edits 4]
        [--font PATH] [--seed 1] [--unclip 2.4] [--max-side 2000] [--keep DIR] [--out FILE]

``--unclip`` and ``--max-side`` set the engine's settings for the run (``jiaokan.ocr.UNCLIP``, how far it widens
the line boxes it finds, and ``jiaokan.ocr.MAX_SIDE``, the size in pixels it scales a page down to; a page's longer
side, e.g. 3508 at 300 dpi, reads it at full size); by default the ones jiaokan ships.

For each sample (``samples/*.txt``), its text as jiaokan reads it (normalized paragraphs: what a printed copy shows)
is laid out on A4 pages as 公文 are (三号 type, 28 characters a line, paragraphs indented two characters), the first
``--pages`` pages rendered at each ``--dpi`` with a scan's look (a slight rotation, blur, grey ink on an uneven page,
noise and specks; seeded), and read by each engine through ``jiaokan.ocr`` (the same page assembly and spacing rule
for both; the engine only gives lines with a confidence per character).  Figures:

- character accuracy: 1 - edit distance / length, whitespace aside, against the text laid out;
- confidence: of the OCR's errors (each run of differing characters in the alignment with the truth) the share that
  touches a character below the threshold, and of the characters read right the share below it (flagged needlessly);
- false findings: ``jiaokan.diff.diff_documents`` of the text laid out (base) against the OCR's text (witness), every
  substantive finding is false (nothing was changed); ``ocr-uncertain`` findings are listed, not counted as false;
- real edits kept: the base with ``--edits`` words a page replaced (two characters each) against the same OCR — an
  edit is found when a substantive finding covers it, demoted when only an ``ocr-uncertain`` finding does.

The threshold only decides which characters are uncertain, so each page is read once and judged at every threshold.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from rapidfuzz.distance import Levenshtein

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import engine_identity, publish  # noqa: E402

from jiaokan import ocr  # noqa: E402
from jiaokan.diff import diff_documents  # noqa: E402
from jiaokan.findings import SUBSTANTIVE, Code, Finding  # noqa: E402
from jiaokan.ingest import Document, document_from_text  # noqa: E402
from jiaokan.prepare import prepare  # noqa: E402

SAMPLES = HERE.parent / "samples"
THRESHOLDS = (0.0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)
FONTS = ("/usr/share/fonts/truetype/arphic/uming.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
         "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PER_LINE = 28  # GB/T 9704: 28 characters a line, 22 lines a page, 三号 (16 pt)
PER_PAGE = 22


# --------------------------------------------------------------------------
# the pages


def known_paragraphs(path: Path) -> list[str]:
    """A sample's paragraphs as jiaokan reads them (markup, ruby and site noise normalized away)."""
    doc = document_from_text(path.read_text(encoding="utf-8"), path=path.name)
    return [p.text for p in prepare(doc).normalized.paragraphs() if len(p.text) >= 2]


def lay_out(paragraphs: list[str], pages: int) -> list[list[str]]:
    """Lines of each page: paragraphs indented by two spaces (U+3000), wrapped at PER_LINE."""
    lines: list[str] = []
    for para in paragraphs:
        para = "\u3000\u3000" + para
        lines += [para[k:k + PER_LINE] for k in range(0, len(para), PER_LINE)]
    return [lines[k:k + PER_PAGE] for k in range(0, min(len(lines), pages * PER_PAGE), PER_PAGE)]


def page_truth(pages: list[list[str]]) -> str:
    """The text laid out: one paragraph a line, paragraphs apart by a blank line, as a .txt copy would have it."""
    paras: list[str] = []
    for line in (ln for page in pages for ln in page):
        if line.startswith("\u3000\u3000") or not paras:
            paras.append(line.lstrip("\u3000"))
        else:
            paras[-1] += line
    return "\n\n".join(paras) + "\n"


def render(lines: list[str], dpi: int, font_path: str, rng: random.Random) -> Image.Image:
    """One A4 page at ``dpi`` as a scanner gives it back."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    size = round(16 / 72 * dpi)
    paper = rng.randint(228, 250)
    img = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(font_path, size, index=0)
    x0, y = round((width - PER_LINE * size) / 2), round(1.45 * dpi)
    for line in lines:
        draw.text((x0, y), line, font=font, fill=rng.randint(10, 70))
        y += round(size * 1.8)
    img = img.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BICUBIC, fillcolor=paper)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0) * dpi / 300))
    noise = np.random.default_rng(rng.randrange(1 << 30))
    a = np.asarray(img).astype(np.float32)
    a += np.linspace(0, rng.uniform(-20, 20), width)[None, :]  # uneven lighting across the page
    a += noise.normal(0, rng.uniform(8, 18), a.shape)
    specks = noise.random(a.shape) < 0.0008
    a[specks] = noise.integers(0, 120, int(specks.sum()))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


# --------------------------------------------------------------------------
# the engines: lines with a confidence per character; the page assembly is jiaokan.ocr's for both


def rapidocr_lines(img: Image.Image) -> list[ocr.Line]:
    return ocr.read_lines(img)


def tesseract_lines(img: Image.Image) -> list[ocr.Line]:
    """Debian's tesseract with chi_sim, TSV output: a confidence per word (here, mostly per character)."""
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", "3", "tsv"], input=png(img), capture_output=True, check=True)
    rows: dict[tuple[str, ...], list[list[str]]] = {}
    for row in done.stdout.decode("utf-8").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[0] == "5" and cells[11].strip():
            rows.setdefault(tuple(cells[1:5]), []).append(cells)
    lines = []
    for words in rows.values():
        text = " ".join(w[11] for w in words)
        conf = tuple(c for k, w in enumerate(words) for c in ((1.0,) if k else ()) + (max(0.0, float(w[10])) / 100,) * len(w[11]))
        lines.append(ocr.Line(text, conf, float(words[0][6]), min(float(w[7]) for w in words), max(float(w[7]) + float(w[9]) for w in words)))
    return lines


ENGINES = {"rapidocr": rapidocr_lines, "tesseract": tesseract_lines}


# --------------------------------------------------------------------------
# scoring


@dataclass
class Score:
    chars: int = 0
    distance: int = 0
    seconds: float = 0.0
    pages: int = 0
    errors: int = 0  # runs of differing characters
    correct: int = 0  # characters read right
    caught: dict[float, int] = field(default_factory=dict)  # errors touching an uncertain character, by threshold
    flagged: dict[float, int] = field(default_factory=dict)  # right characters below the threshold
    false: dict[float, int] = field(default_factory=dict)  # substantive findings with nothing changed
    uncertain: dict[float, int] = field(default_factory=dict)  # ocr-uncertain findings, nothing changed
    edits: int = 0
    found: dict[float, int] = field(default_factory=dict)
    demoted: dict[float, int] = field(default_factory=dict)
    false_edited: dict[float, int] = field(default_factory=dict)  # substantive findings off every edit, edited base
    examples: list[str] = field(default_factory=list)

    def add(self, key: str, t: float, n: int) -> None:
        d: dict[float, int] = getattr(self, key)
        d[t] = d.get(t, 0) + n


def visible(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and where each character came from."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def calibrate(score: Score, truth: str, reading: ocr.Reading) -> None:
    t, _ = visible(truth)
    o, where = visible(reading.text)
    score.chars += len(t)
    score.distance += Levenshtein.distance(t, o)
    ops = [op for op in Levenshtein.opcodes(t, o) if op.tag != "equal"]
    score.errors += len(ops)
    right = [True] * len(o)
    for op in ops:
        for j in range(op.dest_start, op.dest_end):
            right[j] = False
    score.correct += sum(right)
    for th in THRESHOLDS:
        low = [reading.confidence[where[j]] < th for j in range(len(o))]
        score.add("flagged", th, sum(1 for j in range(len(o)) if right[j] and low[j]))
        # an error is caught when one of its characters, or for a character dropped one beside it, is uncertain
        score.add("caught", th, sum(1 for op in ops if any(low[j] for j in range(max(0, op.dest_start - (op.dest_start == op.dest_end)),
                                                                                    min(len(o), max(op.dest_end, op.dest_start + 1))))))


def edited(truth: str, n: int, rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """``truth`` with ``n`` two-character words replaced by other characters of it, and each edit's span."""
    han = [i for i in range(len(truth) - 1) if all("\u4e00" <= c <= "\u9fff" for c in truth[i:i + 2])]
    pool = [c for c in truth if "\u4e00" <= c <= "\u9fff"]
    chosen: list[int] = []
    for i in rng.sample(han, len(han)):
        if all(abs(i - j) > 30 for j in chosen):
            chosen.append(i)
        if len(chosen) == n:
            break
    text, spans, shift = truth, [], 0
    for i in sorted(chosen):
        new = "".join(rng.choice([c for c in pool if c != truth[i + k]]) for k in range(2))
        text = text[:i + shift] + new + text[i + shift + 2:]
        spans.append((i + shift, i + shift + 2))
    return text, spans


def places(findings: list[Finding]) -> list[Finding]:
    return [p for f in findings for p in f.places()]


def judge(score: Score, base: Document, truth_doc: Document, edit_doc: Document, spans: list[tuple[int, int]], reading: ocr.Reading, label: str) -> None:
    for th in THRESHOLDS:
        witness = replace(base, uncertain=reading.uncertain(th))
        plain = places(diff_documents(truth_doc, witness).findings)
        false = [f for f in plain if f.severity == SUBSTANTIVE]
        score.add("false", th, len(false))
        score.add("uncertain", th, sum(1 for f in plain if f.code == Code.OCR_UNCERTAIN))
        if th == ocr.DEFAULT_THRESHOLD:
            score.examples += [f"{label}: {f.code} 「{f.base.text}」→「{f.witness.text}」" for f in false[:3]]
        found = places(diff_documents(edit_doc, witness).findings)
        hit = demoted = 0
        for s, e in spans:
            over = [f for f in found if f.base.start < e and s < f.base.end]
            if any(f.severity == SUBSTANTIVE for f in over):
                hit += 1
            elif any(f.code == Code.OCR_UNCERTAIN for f in over):
                demoted += 1
        score.add("found", th, hit)
        score.add("demoted", th, demoted)
        score.add("false_edited", th, sum(1 for f in found if f.severity == SUBSTANTIVE and not any(f.base.start < e and s < f.base.end for s, e in spans)))


# --------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", default="rapidocr,tesseract")
    ap.add_argument("--dpi", default="150,300")
    ap.add_argument("--pages", type=int, default=2, help="pages of each sample")
    ap.add_argument("--edits", type=int, default=4, help="words replaced a page, for the real edits kept")
    ap.add_argument("--font", default=next((f for f in FONTS if Path(f).exists()), ""), help="a CJK font (fc-list :lang=zh)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--unclip", type=float, default=ocr.UNCLIP, help="how far the engine widens its line boxes (jiaokan.ocr.UNCLIP)")
    ap.add_argument("--max-side", type=int, default=ocr.MAX_SIDE, help="pixels the engine scales a page down to (jiaokan.ocr.MAX_SIDE)")
    ap.add_argument("--keep", help="write each truth (.txt) and scan (.png) here, for jiaokan diff TRUTH SCAN")
    ap.add_argument("--out")
    args = ap.parse_args()
    ocr.UNCLIP, ocr.MAX_SIDE = args.unclip, args.max_side
    engines = args.engine.split(",")
    dpis = [int(d) for d in args.dpi.split(",")]
    keep = Path(args.keep) if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    scores = {(e, d): Score() for e in engines for d in dpis}
    for path in sorted(SAMPLES.glob("*.txt")):
        pages = lay_out(known_paragraphs(path), args.pages)
        truth = page_truth(pages)
        truth_doc = document_from_text(truth, path=f"{path.stem}.txt")
        rng = random.Random(f"{args.seed}:{path.stem}")
        edit_text, spans = edited(truth, args.edits * len(pages), rng)
        edit_doc = document_from_text(edit_text, path=f"{path.stem}-edited.txt")
        if keep:
            (keep / f"{path.stem}.txt").write_text(truth, encoding="utf-8")
        for dpi in dpis:
            images = [render(lines, dpi, args.font, random.Random(f"{args.seed}:{path.stem}:{k}:{dpi}")) for k, lines in enumerate(pages)]
            if keep:
                for k, img in enumerate(images):
                    img.save(keep / f"{path.stem}-{dpi}-p{k + 1}.png")
            for engine in engines:
                sc = scores[engine, dpi]
                start = time.perf_counter()
                reading = ocr.join_pages([ocr.page_text(ENGINES[engine](img)) for img in images])
                sc.seconds += time.perf_counter() - start
                sc.pages += len(images)
                calibrate(sc, truth, reading)
                sc.edits += len(spans)
                base = replace(document_from_text(reading.text, path=f"{path.stem}-{dpi}.png"), format="image", encoding="ocr")
                judge(sc, base, truth_doc, edit_doc, spans, reading, f"{path.stem} {dpi} dpi")
                print(f"{path.stem} {engine} {dpi} dpi: accuracy {1 - sc.distance / sc.chars:.4f} so far", file=sys.stderr)
    publish(report(scores, args), args.out)


def report(scores: dict[tuple[str, int], Score], args: argparse.Namespace) -> str:
    lines = [f"Command: `python benchmarks/bench_ocr.py --engine {args.engine} --dpi {args.dpi} --pages {args.pages} --edits {args.edits} --seed {args.seed} "
             f"--unclip {args.unclip:g} --max-side {args.max_side}`",
             f"font `{args.font}`; engine {engine_identity()}", "",
             "| engine | dpi | pages | characters | character accuracy | seconds a page |", "|---|---|---|---|---|---|"]
    for (engine, dpi), sc in scores.items():
        lines.append(f"| {engine} | {dpi} | {sc.pages} | {sc.chars:,} | {1 - sc.distance / sc.chars:.2%} | {sc.seconds / sc.pages:.1f} |")
    lines += ["", "By threshold (a character below it is uncertain): errors caught = OCR errors touching an uncertain character; "
              "right flagged = characters read right but uncertain; false = substantive findings with nothing changed (per 1,000 "
              "characters); ocr-uncertain = findings listed as such; edits found / demoted = of the real edits, reported substantive / "
              "only as ocr-uncertain; false beside edits = substantive findings off every edit in the edited run.", "",
              "| engine | dpi | threshold | errors caught | right flagged | false (per 1,000 chars) | ocr-uncertain | edits found | edits demoted | false beside edits |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for (engine, dpi), sc in scores.items():
        for th in THRESHOLDS:
            lines.append(f"| {engine} | {dpi} | {th:g} | {sc.caught.get(th, 0)}/{sc.errors} | {sc.flagged.get(th, 0) / max(1, sc.correct):.2%} | "
                         f"{sc.false.get(th, 0)} ({1000 * sc.false.get(th, 0) / sc.chars:.2f}) | {sc.uncertain.get(th, 0)} | "
                         f"{sc.found.get(th, 0)}/{sc.edits} | {sc.demoted.get(th, 0)} | {sc.false_edited.get(th, 0)} |")
    lines += ["", f"False findings left at the default threshold ({ocr.DEFAULT_THRESHOLD:g}), up to three a page set:", ""]
    for (engine, dpi), sc in scores.items():
        lines += [f"- {engine} {dpi} dpi — {x}" for x in sc.examples]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
