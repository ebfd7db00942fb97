import gc, sys, time, tempfile
from pathlib import Path
from collections import defaultdict
sys.path.insert(0, 'benchmarks'); sys.path.insert(0, 'benchmarks/accuracy')
gc.disable()
from bench_scan import make_corpus, CORPUS
from generate import load_text
from jiaokan import document_from_text, serialize
from jiaokan.scan import Scanner, corpus, _inside
from jiaokan.prepare import prepare
from jiaokan.diff import diff_prepared
files = sorted(p for p in CORPUS.iterdir() if p.suffix == ".txt")
base_text = load_text(files[0])[0]; others = [load_text(p)[0] for p in files[1:]]
src = Path(tempfile.mkdtemp()) / "c.jsonl"; N = int(sys.argv[1])
truth = make_corpus(src, N, base_text, others, "directive")
sc = Scanner(document_from_text(base_text, path="base.txt"))
items = list(corpus([str(src)]))
for it in items[:4]: sc.check(it)
T = defaultdict(lambda: defaultdict(lambda: 1e9))
clk = time.process_time
for rep in range(3):
    for it in items:
        k = truth[it.id]; row = T[it.id]
        t = clk(); sc.check(it); row["check"] = min(row["check"], clk() - t)
        t = clk(); doc = document_from_text(it.text, path=it.id); row["read"] = min(row["read"], clk() - t)
        t = clk(); p = prepare(doc, settings=sc.settings); row["prepare"] = min(row["prepare"], clk() - t)
        t = clk(); s = sc.screen(p.stream); row["screen"] = min(row["screen"], clk() - t)
        t = clk(); r = diff_prepared(sc.prepared, p, settings=sc.settings); row["diff"] = min(row["diff"], clk() - t)
        t = clk()
        fs = r.substantive if s.kind == "reprint" else _inside(r)[0]
        [serialize.scan_finding(f) for f in fs]; row["record"] = min(row["record"], clk() - t)
agg = defaultdict(lambda: defaultdict(float)); n = defaultdict(int)
for i, row in T.items():
    k = truth[i]; n[k] += 1
    for c, v in row.items(): agg[k][c] += v
for k in agg:
    print(k, n[k], "  ".join(f"{c} {v / n[k] * 1000:.1f}" for c, v in agg[k].items()), "ms")
tot = sum(agg[k]["check"] for k in agg) / N
print(f"all: {tot*1000:.1f} ms CPU/doc (best of 3 each) = {1/tot:.1f} docs/s per core")
