import re, sys, time, traceback
orig = re._compile
rows = []
def timed(pattern, flags):
    key = (type(pattern), pattern, flags)
    t = time.perf_counter()
    r = orig(pattern, flags)
    dt = time.perf_counter() - t
    if dt > 0.0002:
        f = sys._getframe(2)
        while f and 're/__init__' in f.f_code.co_filename: f = f.f_back
        rows.append((dt, f"{f.f_code.co_filename.split('/')[-1]}:{f.f_lineno}" if f else "?", str(pattern)[:60]))
    return r
re._compile = timed
from jiaokan.cli import main
import atexit
def show():
    rows.sort(reverse=True)
    print(f"total {sum(r[0] for r in rows)*1000:.1f} ms in {len(rows)} compiles >0.2ms", file=sys.stderr)
    for dt, where, p in rows[:40]: print(f"{dt*1000:6.2f} {where:30} {p!r}", file=sys.stderr)
atexit.register(show)
main(["diff", "samples/directive-vendor-reprint-001.txt", "samples/directive-county-forward-002.txt"])
