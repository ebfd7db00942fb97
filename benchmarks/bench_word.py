"""Benchmark: what jiaokan reads from Word files, and what the diff makes of it against the bare text (run by hand).

    python benchmarks/bench_word.py [--repeat 5]

The county notice of tests/wordfiles.py (header, page-number footer, a text box in both AlternateContent branches,
a footnote, an endnote, tracked insertion, deletion, deleted paragraph mark and move), as built there, as
LibreOffice re-saves it (.docx, .doc) when LibreOffice is installed: how often each part's text is read, and
the diff against the bare text (the notice's accepted text alone, the notes included).  Run it under another
checkout's ``PYTHONPATH`` for that version's figures: it uses only ``read_document`` and ``diff_documents``.
Then the time to read a 3,000-paragraph .docx, best of N.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import document_from_text, read_document
from jiaokan.diff import diff_documents
from jiaokan.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.wordfiles import BARE_ACCEPTED, BOX, ENDNOTE, FOOTNOTE, HEADER, MOVED, docx, notice, para, text_run  # noqa: E402

PARTS = {"header": HEADER, "text box": BOX, "moved": MOVED, "footnote": FOOTNOTE, "endnote": ENDNOTE, "footer": "— 1 —"}


def files(folder: Path) -> list[Path]:
    built = folder / "notice.docx"
    built.write_bytes(notice())
    out = [built]
    soffice = shutil.which("soffice")
    if soffice:
        for ext, filt in (("docx", "MS Word 2007 XML"), ("doc", "MS Word 97")):
            target = folder / "libreoffice"
            subprocess.run([soffice, "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to", f"{ext}:{filt}",
                            "--outdir", str(target), str(built)], check=True, capture_output=True, timeout=180)
            out.append(target / f"notice.{ext}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    bare = document_from_text(BARE_ACCEPTED + f"\n[脚注1] {FOOTNOTE}\n[尾注1] {ENDNOTE}\n", path="bare.txt")
    with tempfile.TemporaryDirectory() as tmp:
        print("| file | " + " | ".join(PARTS) + " | diff file→bare: substantive, framing | read (ms) |")
        print("|---|" + "---|" * (len(PARTS) + 2))
        for path in files(Path(tmp)):
            name = path.relative_to(tmp)
            try:
                doc = read_document(path)
            except InputError as exc:
                print(f"| {name} | {exc} |")
                continue
            # the header's words open the title too: its own lines are counted
            counts = " | ".join(str(doc.text.splitlines().count(text) if part == "header" else doc.text.count(text)) for part, text in PARTS.items())
            s = diff_documents(doc, bare).summary
            ms = best(functools.partial(read_document, path), args.repeat) * 1000  # a .doc: LibreOffice's conversion included
            print(f"| {name} | {counts} | {s.substantive}, {s.framing} | {ms:.0f} |")
        big = Path(tmp, "big.docx")
        big.write_bytes(docx("".join(para(text_run(f"第{i}条　为进一步做好安全生产工作，切实保障人民群众生命财产安全。"), text_run("各单位要落实责任。"))
                                     for i in range(3000))))
        n = len(read_document(big).text)
        print(f"\n{n:,} characters in 3,000 paragraphs ({big.stat().st_size:,} bytes): read in {best(functools.partial(read_document, big), args.repeat) * 1000:.0f} ms, best of {args.repeat}")


if __name__ == "__main__":
    main()
