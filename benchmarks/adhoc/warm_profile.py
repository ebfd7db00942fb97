import gc, sys, time, cProfile, pstats
gc.disable()
from jiaokan.diff import diff_files
a='samples/directive-vendor-reprint-001.txt'; b='samples/directive-county-forward-002.txt'
for _ in range(3): diff_files(a,b)
best=1e9
for _ in range(7):
    t=time.perf_counter(); diff_files(a,b); best=min(best,time.perf_counter()-t)
print(f"warm best {best*1000:.1f} ms", file=sys.stderr)
if len(sys.argv)>1:
    pr=cProfile.Profile(); pr.enable(); diff_files(a,b); pr.disable()
    pstats.Stats(pr,stream=sys.stderr).sort_stats(sys.argv[1]).print_stats(40)
