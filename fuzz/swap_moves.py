"""Random reprints with moves, by hand: alignment invariants and swap symmetry beyond the hypothesis properties.

    python fuzz/swap_moves.py [--cases 2000] [--seed 0] [--show 3]

tests/test_properties.py covers word edits and dropped sentences. This adds what they leave out: sentences moved,
duplicated and dropped, short repeated sentences, paragraphs cut anywhere. For each case it checks
- the alignment: operations in order, every equal run pairing identical text, every stream character covered
  once by an operation or a move;
- swapping base and witness mirrors the substantive findings (insertion <-> deletion, addition <-> omission);
- a text against itself has no findings;
and prints the count of each kind of failure (an exception is a crash) with the first few cases. Figures are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

from jiaokan import document_from_text, normalize_text
from jiaokan.diff import DiffResult, diff_documents

ROOT = Path(__file__).resolve().parent.parent
SHORT = ("同意。", "按规定执行。", "加强领导。", "数字政府。", "一、总体要求", "（一）加强组织领导。")
WORDS = ("数字", "政府", "建设", "推进", "加强", "完善", "体系", "能力", "全面", "提升", "数据", "安全")
SWAP = {"wording-insertion": "wording-deletion", "wording-deletion": "wording-insertion",
        "sentence-addition": "sentence-omission", "sentence-omission": "sentence-addition",
        "paragraph-addition": "paragraph-omission", "paragraph-omission": "paragraph-addition"}


def sentences() -> list[str]:
    text = normalize_text((ROOT / "samples" / "directive-county-forward-002.txt").read_text(encoding="utf-8"))
    return re.findall(r"[^。\n]{4,60}。", text)[:200]


def paragraphs(rng: random.Random, parts: list[str]) -> str:
    out, cur = [], ""
    for s in parts:
        cur += s
        if rng.random() < 0.5:
            out.append(cur)
            cur = ""
    return "\n\n".join([*out, cur] if cur else out) + "\n"


def edited(rng: random.Random, parts: list[str]) -> list[str]:
    body = parts[1:-1]
    for _ in range(rng.randint(0, 5)):
        if not body:
            break
        kind = rng.choice(("move", "move", "drop", "duplicate", "word"))
        i = rng.randrange(len(body))
        if kind == "move" and len(body) > 2:
            body.insert(rng.randrange(len(body)), body.pop(i))
        elif kind == "drop" and len(body) > 1:
            body.pop(i)
        elif kind == "duplicate":
            body.insert(rng.randrange(len(body) + 1), body[i])
        elif kind == "word":
            at = rng.randrange(1, max(2, len(body[i]) - 1))
            body[i] = body[i][:at] + rng.choice(WORDS) + body[i][at:]
    return [parts[0], *body, parts[-1]]


def diff(a: str, b: str) -> DiffResult:
    return diff_documents(document_from_text(a, path="a.txt"), document_from_text(b, path="b.txt"))


def alignment_faults(r: DiffResult) -> list[str]:
    a, b, al = r.base_seg, r.witness_seg, r.alignment
    assert a is not None and b is not None and al is not None
    faults = []
    cover_a, cover_b = Counter(), Counter()
    last = (0, 0)
    for o in al.ops:
        if o.a1 > o.a2 or o.b1 > o.b2 or (o.a1, o.b1) < last:
            faults.append(f"out of order: {o}")
        if o.tag == "equal" and a.stream[o.a1:o.a2] != b.stream[o.b1:o.b2]:
            faults.append(f"equal run of different texts: {o}")
        last = (o.a2, o.b2)
        cover_a.update(range(o.a1, o.a2))
        cover_b.update(range(o.b1, o.b2))
    for m in al.moves:
        cover_a.update(range(m.a1, m.a2))
        cover_b.update(range(m.b1, m.b2))
    if any(cover_a[i] != 1 for i in range(len(a.stream))) or any(cover_b[i] != 1 for i in range(len(b.stream))):
        faults.append("a stream character covered never or twice")
    return faults


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=3, help="failing cases printed per kind")
    args = ap.parse_args(argv)
    pool = sentences()
    failures: Counter[str] = Counter()
    for k in range(args.seed, args.seed + args.cases):
        rng = random.Random(k)
        parts = [rng.choice(pool)] + [rng.choice(pool + list(SHORT) * 3) for _ in range(rng.randint(2, 12))] + [rng.choice(pool)]
        base, witness = paragraphs(rng, parts), paragraphs(rng, edited(rng, list(parts)))
        try:
            there, back = diff(base, witness), diff(witness, base)
        except Exception as exc:  # noqa: BLE001 - a crash is a finding here
            failures["crash"] += 1
            if failures["crash"] <= args.show:
                print(f"case {k}: crash: {type(exc).__name__}: {exc}\n  base {base!r}\n  witness {witness!r}")
            continue
        found = {
            "alignment": alignment_faults(there) + alignment_faults(back),
            "swap": Counter((SWAP.get(f.code, f.code), f.witness_norm, f.base_norm) for f in there.substantive)
            != Counter((f.code, f.base_norm, f.witness_norm) for f in back.substantive),
            "self": bool(diff(base, base).findings),
        }
        for kind, bad in found.items():
            if bad:
                failures[kind] += 1
                if failures[kind] <= args.show:
                    print(f"case {k}: {kind}: {bad if isinstance(bad, list) else ''}\n  base {base!r}\n  witness {witness!r}")
    print(f"{args.cases} cases: " + ", ".join(f"{kind} failed in {failures[kind]}" for kind in ("crash", "alignment", "swap", "self")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
