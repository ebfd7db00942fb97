"""Benchmark: trace accuracy on generated summaries of official texts (issue 6, item 5; run by hand).

    python benchmarks/bench_trace.py [--seeds 20] [--out docs/accuracy-trace.md]

For each official text of benchmarks/accuracy/corpus and each seed, writes a
summary the way newspapers and study articles make one:
- 6–10 sentences of the source, quoted in a shuffled order;
- each quoted sentence may lose a middle clause (trimmed), get a lead-in
  (《意见》提出，/ 文件要求，/ 《意见》强调，…), or have one word changed (a
  near-synonym of the reprints' kind: 提升→建设, 推进→推动 …);
- mixed with 3–5 sentences of the summary's own (reporting formulas built from
  words that also occur in official texts, so that they are not trivially foreign).

Then traces the summary against its source and scores:
- **attribution**: a quoted sentence is attributed right when the passages over its
  quoted words point into the sentence it came from (source spans overlapping it),
  and none of them is unsourced; an own sentence is right when all its passages are
  unsourced;
- **drifted quotes caught**: of the sentences with a changed word, those whose
  passage is ``drifted`` with a finding on the changed word.
Targets: attribution >= 0.95, drifted caught >= 0.95.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
from generate import SYNONYMS  # noqa: E402  (the near-synonyms reprints swap)

from jiaokan import document_from_text  # noqa: E402
from jiaokan.trace import trace_documents  # noqa: E402

CORPUS = ROOT / "benchmarks" / "accuracy" / "corpus"
LEADS = ("《意见》提出，", "文件要求，", "《意见》强调，", "通知指出，", "文件明确，", "")
OWN = (
    "记者从{place}获悉，当地近期召开专题会议部署相关工作。",
    "{place}有关负责人在接受采访时表示，下一步将认真抓好贯彻落实。",
    "据了解，{place}已经组织多轮培训，覆盖基层工作人员{n}余人次。",
    "业内专家认为，这一文件的出台释放了明确的政策信号。",
    "截至目前，{place}已有{n}个部门完成相关系统的对接工作。",
    "不少群众反映，办事效率比过去明显提高，跑腿次数明显减少。",
    "{place}还将在年底前开展一次全面的督查评估。",
)
PLACES = ("某市", "某县", "某区", "省政务服务中心", "市大数据局")
_SENTENCE = re.compile(r"[^。！？]+[。！？]")


def source_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences of the source body worth quoting: long enough, not headings or the 文号."""
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in "\n \u3000":
            s += 1
        body = text[s:e]
        if 30 <= len(body) <= 160 and "\n" not in body and "，" in body:
            out.append((s, e))
    return out


def make_summary(text: str, seed: str) -> tuple[str, list[dict[str, object]]]:
    rng = random.Random(seed)
    candidates = source_sentences(text)
    picked = rng.sample(candidates, min(len(candidates), rng.randint(6, 10)))
    rng.shuffle(picked)
    items: list[dict[str, object]] = []
    for s, e in picked:
        sentence = text[s:e]
        clauses = sentence[:-1].split("，")
        kind = "quote"
        changed = None
        if len(clauses) >= 4 and rng.random() < 0.3:  # trim a middle clause
            k = rng.randrange(1, len(clauses) - 1)
            clauses = clauses[:k] + clauses[k + 1:]
            kind = "trimmed"
        body = "，".join(clauses) + "。"
        if rng.random() < 0.35:  # change one word
            words = [w for w in SYNONYMS if w in body]
            if words:
                w = rng.choice(words)
                at = body.index(w)
                body = body[:at] + rng.choice(SYNONYMS[w]) + body[at + len(w):]
                changed = w
        lead = rng.choice(LEADS)
        items.append({"text": lead + body, "source": (s, e), "changed": changed, "kind": kind, "lead": len(lead)})
    for _ in range(rng.randint(3, 5)):
        own = rng.choice(OWN).format(place=rng.choice(PLACES), n=rng.randint(3, 90))
        items.insert(rng.randrange(len(items) + 1), {"text": own, "source": None, "changed": None, "kind": "own", "lead": 0})
    out, pos = [], 0
    for it in items:
        it["start"] = pos
        out.append(it["text"])
        pos += len(str(it["text"]))
        it["end"] = pos
    return "".join(out), items


def score(source_text: str, summary: str, items: list[dict[str, object]], path: str) -> tuple[int, int, int, int]:
    src = document_from_text(source_text, path=f"{path}:source")
    der = document_from_text(summary, path=f"{path}:summary")
    result = trace_documents(src, der)
    right = drifted_total = drifted_caught = 0
    for it in items:
        lo, hi = int(it["start"]) + int(it["lead"]), int(it["end"])  # type: ignore[arg-type]
        over = [p for p in result.passages if p.derived.start < hi and p.derived.end > lo]
        if it["source"] is None:
            right += all(p.relation == "unsourced" for p in over)
            continue
        s, e = it["source"]  # type: ignore[misc]
        sourced = [p for p in over if p.source is not None]
        ok = bool(sourced) and all(p.source.start < e and p.source.end > s for p in sourced)  # type: ignore[union-attr]
        ok = ok and not any(p.relation == "unsourced" and len(p.derived.text.strip("。，")) > 2 for p in over)
        right += ok
        if it["changed"]:
            drifted_total += 1
            word = str(it["changed"])
            drifted_caught += any(p.relation == "drifted" and any(word in f.base_norm or (f.base_norm in word and f.base_norm) for f in p.findings) for p in over)
    return right, len(items), drifted_caught, drifted_total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    rows = []
    totals = [0, 0, 0, 0]
    with tempfile.TemporaryDirectory():
        for path in sorted(CORPUS.glob("*.txt")):
            text = path.read_text(encoding="utf-8").split("\n", 1)[1]  # the first line is the source note
            doc = [0, 0, 0, 0]
            for seed in range(args.seeds):
                summary, items = make_summary(text, f"{path.name}:{seed}")
                got = score(text, summary, items, path.name)
                doc = [a + b for a, b in zip(doc, got, strict=True)]
            rows.append((path.name, *doc))
            totals = [a + b for a, b in zip(totals, doc, strict=True)]
    lines = [
        "# Trace accuracy (generated summaries)",
        "",
        f"Produced by `python benchmarks/bench_trace.py --seeds {args.seeds}`: {args.seeds} summaries per official text of "
        "`benchmarks/accuracy/corpus`, each 6–10 quoted sentences (shuffled; some trimmed of a middle clause, some with a "
        "lead-in, some with one word changed to a near-synonym) mixed with 3–5 sentences of the summary's own.",
        "",
        "| source | sentences | attributed right | attribution | changed-word quotes | caught as drifted | caught |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, right, total, caught, changed in rows:
        lines.append(f"| {name} | {total} | {right} | {right / max(1, total):.3f} | {changed} | {caught} | {caught / max(1, changed):.3f} |")
    right, total, caught, changed = totals
    lines.append(f"| **all** | {total} | {right} | **{right / max(1, total):.3f}** | {changed} | {caught} | **{caught / max(1, changed):.3f}** |")
    lines += ["", "Targets: attribution >= 0.95, drifted quotes caught >= 0.95."]
    report = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
