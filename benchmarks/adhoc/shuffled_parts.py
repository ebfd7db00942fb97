# usage (repository root): PYTHONPATH=SRC python benchmarks/adhoc/shuffled_parts.py 1,16,64  -- CPU of judge / pair_moves / similar_pairs inside one diff
import sys, time, gc
sys.path.insert(0, "benchmarks")
from bench_diff import shuffled
from jiaokan import document_from_text, read_document
from jiaokan import diff as D, regional, classify
from jiaokan.diff import diff_documents
acc = {}
def wrap(mod, name, label):
    f = getattr(mod, name)
    def w(*a, **k):
        t = time.process_time(); r = f(*a, **k); acc[label] = acc.get(label, 0) + time.process_time() - t; acc[label+"#"] = acc.get(label+"#", 0) + 1; return r
    setattr(mod, name, w)
wrap(D, "judge", "judge"); wrap(D, "pair_moves", "pair_moves"); wrap(D, "canonical", "canonical")
import jiaokan.align as A
wrap(A, "similar_pairs", "similar_pairs")
base = read_document("samples/directive-vendor-reprint-001.txt").text
for k in map(int, sys.argv[1].split(",")):
    bt = "\n\n".join([base] * k); wt = shuffled(bt)
    bd, wd = document_from_text(bt, path="base"), document_from_text(wt, path="witness")
    diff_documents(bd, wd); gc.disable()
    acc.clear(); t = time.process_time(); diff_documents(bd, wd); tot = time.process_time() - t; gc.enable()
    print(k, f"total {tot:.3f}", {a: (round(b, 3) if isinstance(b, float) else b) for a, b in acc.items()}, flush=True)
