"""Build src/jiaokan/data/jieba-words.tsv from jieba's dictionary (run by hand; jieba is MIT, see data/README.md).

    pip install jieba==0.42.1 && python benchmarks/gen_words.py [DICT_TXT] [--out src/jiaokan/data/jieba-words.tsv]

DICT_TXT defaults to the dict.txt of the installed ``jieba`` package (the dictionary jieba-rs, and so rjieba,
embeds).  The output is one ``word<TAB>frequency`` line per word (the part-of-speech tags dropped: a cut does not
read them), sorted by code point so that ``jiaokan.words`` finds a word by bisection in the mapped file without
loading it; a word listed twice keeps its last frequency and the total counts it once, as jieba-rs loads it.  The
first line is a header: ``#<TAB>total<TAB>N``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dict_txt", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "jiaokan" / "data" / "jieba-words.tsv")
    args = parser.parse_args()
    source = args.dict_txt
    if source is None:
        import jieba

        source = Path(jieba.__file__).parent / "dict.txt"
    freq: dict[str, int] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            freq[parts[0]] = int(parts[1]) if len(parts) > 1 else 0
    if any("\t" in w or "\n" in w for w in freq):
        raise SystemExit("gen_words: a word holds a tab or a newline: the format cannot carry it")
    lines = [f"#\ttotal\t{sum(freq.values())}"] + [f"{w}\t{freq[w]}" for w in sorted(freq)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(freq)} words, total frequency {sum(freq.values())}, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
