# usage (repository root): PYTHONPATH=SRC python benchmarks/adhoc/shuffled_scaling.py 1,16,64 3  -- the shuffled K-fold directive, best of N, CPU
import sys, time, gc
sys.path.insert(0, "benchmarks")
from bench_diff import shuffled
from jiaokan import document_from_text, read_document
from jiaokan.diff import diff_documents
base = read_document("samples/directive-vendor-reprint-001.txt").text
out = []
for k in map(int, sys.argv[1].split(",")):
    bt = "\n\n".join([base] * k); wt = shuffled(bt)
    bd, wd = document_from_text(bt, path="base"), document_from_text(wt, path="witness")
    diff_documents(bd, wd); gc.disable(); best = 9e9
    for _ in range(int(sys.argv[2])):
        t = time.process_time(); diff_documents(bd, wd); best = min(best, time.process_time() - t)
    gc.enable(); out.append((k, best))
print(sys.path[0] if False else "", " ".join(f"{k}x {t:.3f}s ({t / out[0][1]:.1f}x)" for k, t in out))
