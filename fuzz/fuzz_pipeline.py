"""Fuzz target: arbitrary bytes through ingest + normalize + diff + review + trace (run by hand).

    python fuzz/fuzz_pipeline.py -atheris_runs=20000 [-max_len=4096] [corpus_dir]

With atheris (coverage-guided, libFuzzer) when installed (`pip install atheris`); each input is split in two
documents, read as bytes with a format chosen from the first byte (text, html, markdown), and compared. The
contract under test: every input ends in a result or an InputError (what the CLI turns into exit 2) — any other
exception is a crash, reported by atheris with the input that caused it. Results are recorded in
docs/reliability.md.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from jiaokan import document_from_bytes
    from jiaokan.diff import diff_documents
    from jiaokan.errors import InputError
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review
    from jiaokan.trace import trace_documents

FORMATS = (None, "html", "markdown", "text")


def one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    cut = 1 + (data[1] * len(data)) // 256
    try:
        base = document_from_bytes(data[2:cut] or b"x", path="base", format=fmt)
        witness = document_from_bytes(data[cut:] or b"x", path="witness", format=fmt)
    except InputError:
        return
    result = diff_documents(base, witness)
    review_html(build_review(base, [result]))
    trace_documents(base, witness)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
