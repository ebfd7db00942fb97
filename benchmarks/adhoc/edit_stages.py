"""Breakdown of the warm diff of 001 vs 002: CPU ms, best of N (run with PYTHONPATH=<src>)."""
import gc, sys, time
gc.disable()
from jiaokan import read_document, normalize
from jiaokan.config import Settings
from jiaokan.prepare import prepare
from jiaokan.diff import diff_files, diff_prepared, _Finder, _SideEdits
import jiaokan.diff as D
A='samples/directive-vendor-reprint-001.txt'; B='samples/directive-county-forward-002.txt'
N=int(sys.argv[1]) if len(sys.argv)>1 else 15
docs=[read_document(p) for p in (A,B)]
def best(fn, n=N):
    fn(); b=1e9
    for _ in range(n):
        t=time.process_time(); fn(); b=min(b,time.process_time()-t)
    return b*1000
out={}
out['normalize both']=best(lambda:[normalize(d) for d in docs])
def el():
    ns=[normalize(d) for d in docs]
    t=time.process_time(); [n.edit_log() for n in ns]; return time.process_time()-t
def bestf(f,n=N):
    f(); return min(f() for _ in range(n))*1000
out['edit_log both']=bestf(el)
def se():
    ps=[prepare(d, settings=Settings()) for d in docs]
    [p.segmented.normalized.edit_log() for p in ps]
    t=time.process_time(); [_SideEdits(p.segmented) for p in ps]; return time.process_time()-t
out['_SideEdits both']=bestf(se)
def cos():
    ps=[prepare(d, settings=Settings()) for d in docs]
    r=diff_prepared(*ps)
    f=_Finder(ps[0].segmented, ps[1].segmented, r.alignment, frozenset(Settings().substantive_codes), (D.find_labels(ps[0].segmented), D.find_labels(ps[1].segmented)))
    f.run()
    n0=len(f.deferred); o0=len(f.out)
    t=time.process_time(); f._cosmetic(); dt=time.process_time()-t
    assert len(f.deferred)==2*n0
    return dt
out['_cosmetic']=bestf(cos)
out['diff_files']=best(lambda: diff_files(A,B))
print("  ".join(f"{k} {v:.1f}" for k,v in out.items()))
