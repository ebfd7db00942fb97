"""The figures of docs/ofd.md: what jiaokan reads from the real OFD samples, and what a diff of a text against an OFD
laid out from the same text finds.

    PYTHONPATH=src python benchmarks/bench_ofd.py [--samples tests/data/ofd]

Real samples: characters, pages, lines of Document.text, normalized paragraphs, the metadata found, read time (best of
5).  Built OFDs (tests/test_ofd.py's writer: 28 characters a line, 22 lines a page, a page number under each): the
findings of `diff TEXT OFD` by severity, and whether every finding's witness span is the OFD text at that place.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import normalize, read_document
from jiaokan.diff import diff_files

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_ofd import NOTICE, OFD_DIR, layout, make_ofd, paragraphs_of, text_object  # noqa: E402

SAMPLES = ("n.ofd", "helloworld.ofd", "SplitParagraph.ofd", "keyword.ofd", "999.ofd")


def real_samples(folder: Path) -> None:
    print("| sample | characters | pages | lines | normalized paragraphs | title | 文号 | date | read (ms) |")
    print("|---|---:|---:|---:|---:|---|---|---|---:|")
    for name in SAMPLES:
        path = folder / name
        doc = read_document(path)
        seconds = best(lambda p=path: read_document(p), repeat=5)  # type: ignore[misc]
        m = doc.metadata
        print(f"| `{name}` | {len(doc.text):,} | {doc.text.count(chr(12)) + 1} | {len(doc.line_starts)} | "
              f"{len(normalize(doc).paragraphs())} | {m.title or '—'} | {m.doc_number or '—'} | {m.date or '—'} | {seconds * 1000:.1f} |")


def built(tmp: Path) -> None:
    print("\n| base text | OFD built from it | pages | substantive | structural | cosmetic | framing | spans valid |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    header = [text_object(1, 60.0, 20.0, "某某县人民政府办公室内部明电", size=4.2)]
    cases = []
    for sample in ("directive-county-forward-002.txt", "directive-vendor-reprint-001.txt"):
        paragraphs = paragraphs_of(ROOT / "samples" / sample)
        cases.append((ROOT / "samples" / sample, "laid out", make_ofd(layout(paragraphs))))
        cases.append((ROOT / "samples" / sample, "glyph by glyph, drawn shuffled", make_ofd(layout(paragraphs, glyphs=True, shuffle=True))))
    notice = tmp / "notice.txt"
    notice.write_text("\n\n".join(NOTICE), encoding="utf-8")
    pages = layout(NOTICE, lines_per_page=8)
    cases.append((notice, "a running header template on every page", make_ofd(pages, templates={"7": header}, page_templates=[("7",)] * len(pages))))
    for base, what, data in cases:
        witness = tmp / "witness.ofd"
        witness.write_bytes(data)
        doc = read_document(witness)
        result = diff_files(base, witness)
        s = result.summary
        spans = [p.witness for f in result.findings for p in f.places()]
        valid = all(doc.text[sp.start:sp.end] == sp.text and doc.locate(sp.start) == (sp.line, sp.column) for sp in spans)
        print(f"| `{base.name}` | {what} | {doc.text.count(chr(12)) + 1} | {s.substantive} | {s.structural} | {s.cosmetic} | {s.framing} | "
              f"{'yes' if valid else 'NO'} ({len(spans)}) |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=OFD_DIR)
    args = ap.parse_args()
    real_samples(args.samples)
    with tempfile.TemporaryDirectory() as tmp:
        built(Path(tmp))


if __name__ == "__main__":
    main()
