"""Build src/jiaokan/assets/genre-shingles.txt: the 5-grams common across the official genre (run by hand).

    python benchmarks/genre_shingles.py GIT_DIR [--commit 2f4c5c2…] [--share 0.02] [--out src/jiaokan/assets/genre-shingles.txt]

GIT_DIR is a clone (or bare mirror) of the public collection github:LawRefBook/Laws — Chinese laws, State
Council regulations, judicial interpretations and the local regulations of seven provinces, in Markdown
(official texts are public: Copyright Law of the PRC, art. 5).  Every document of it (one version per title: the
dated versions of one law are one document; cases, scripts and indexes left out) is read as ``jiaokan scan`` reads
a document — normalized with the default rules, segmented into its comparison stream — and the document frequency
of each character 5-gram is counted.  The 5-grams found in at least ``--share`` of the documents are written out,
one per line, sorted: 条例自…起施行, 法律、行政法规另有规定, 结合本市实际, 县级以上人民政府…, 按照职责分工, 依法追究刑事责任,
第N条 … — the formulas every text of the genre shares, which ``jiaokan scan`` does not count as quoted material.

Rebuild it when normalization changes what the stream of a text looks like (numerals, punctuation, markup).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jiaokan import document_from_text  # noqa: E402
from jiaokan.normalize import normalize  # noqa: E402
from jiaokan.scan import SHINGLE  # noqa: E402
from jiaokan.segment import segment  # noqa: E402

COMMIT = "2f4c5c23716267af9dbebbbbd6cbbf732b101981"
SKIP = ("scripts/", "案例/", ".github/")


def documents(git_dir: str, commit: str) -> dict[str, str]:
    """One text per title (the latest path of each), the collection's ``<!-- INFO END -->`` separator removed."""
    names = subprocess.run(["git", "--git-dir", git_dir, "-c", "core.quotepath=false", "ls-tree", "-r", "--name-only", commit],
                           check=True, capture_output=True, text=True, encoding="utf-8").stdout.splitlines()
    keep: dict[str, str] = {}
    for name in sorted(names):
        base = name.rsplit("/", 1)[-1]
        if not name.endswith(".md") or name.startswith(SKIP) or base in ("_index.md", "README.md") or "模版" in base:
            continue
        keep[re.sub(r"\(\d{4}-\d\d-\d\d\)", "", base[:-3])] = name
    out = {}
    for title, name in keep.items():
        data = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{name}"], check=True, capture_output=True).stdout
        out[title] = data.decode("utf-8", "replace").replace("<!-- INFO END -->", "")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("git_dir")
    ap.add_argument("--commit", default=COMMIT)
    ap.add_argument("--share", type=float, default=0.02)
    ap.add_argument("--out", default=str(ROOT / "src" / "jiaokan" / "assets" / "genre-shingles.txt"))
    args = ap.parse_args()
    docs = documents(args.git_dir, args.commit)
    df: Counter[str] = Counter()
    for title, text in docs.items():
        stream = segment(normalize(document_from_text(text, path=f"{title}.md", format="markdown"))).stream
        df.update({stream[k:k + SHINGLE] for k in range(len(stream) - SHINGLE + 1)})
    floor = args.share * len(docs)
    common = sorted(g for g, c in df.items() if c >= floor and "\n" not in g)
    header = (f"# 5-grams in at least {args.share:.0%} of {len(docs)} official texts of github:LawRefBook/Laws at {args.commit}\n"
              f"# (benchmarks/genre_shingles.py; normalized and segmented as jiaokan scan reads a document)\n")
    Path(args.out).write_text(header + "".join(g + "\n" for g in common), encoding="utf-8")
    print(f"{len(docs)} documents, {len(df)} distinct 5-grams, {len(common)} in at least {args.share:.0%} of them -> {args.out}")


if __name__ == "__main__":
    main()
