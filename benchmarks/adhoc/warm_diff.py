import gc, sys, time
gc.disable()
from jiaokan.diff import diff_prepared
from jiaokan.prepare import prepare_file
a = prepare_file('samples/directive-vendor-reprint-001.txt'); b = prepare_file('samples/directive-county-forward-002.txt')
diff_prepared(a, b)
best = min((lambda t: (diff_prepared(a, b), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(15))
print(f'{sys.argv[1]} warm diff_prepared best of 15: {best*1000:.1f} ms')
