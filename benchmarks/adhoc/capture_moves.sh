# usage: benchmarks/adhoc/capture_moves.sh SRC OUTDIR (writes the shuffled inputs to /tmp/p19c/in; docs/perf-diff.md, Round 3)
SRC=$1; OUT=$2; mkdir -p $OUT /tmp/p19c/in
PYTHONPATH=$SRC python - <<'PY'
import random
from jiaokan import read_document
def shuf(text, seed):
    p = text.split("\n\n"); random.Random(seed).shuffle(p); return "\n\n".join(p)
for name in ["directive-vendor-reprint-001", "directive-county-forward-002"]:
    t = read_document(f"samples/{name}.txt").text
    for k in (1, 4, 16):
        bt = "\n\n".join([t] * k)
        open(f"/tmp/p19c/in/{name}-x{k}.txt", "w").write(bt)
        for seed in (1, 2, 19):
            open(f"/tmp/p19c/in/{name}-x{k}-s{seed}.txt", "w").write(shuf(bt, seed))
PY
J() { PYTHONPATH=$SRC python -c "import sys; from jiaokan.cli import main; sys.argv[0]='jiaokan'; main()" "$@"; }
for b in samples/directive-vendor-reprint-001.txt samples/directive-county-forward-002.txt; do
  for f in samples/*.txt; do
    n=$(basename $b .txt)~$(basename $f .txt)
    J diff $b $f -f json > $OUT/$n.json 2>&1
    J diff $b $f -f json --include-cosmetic > $OUT/$n.cos.json 2>&1
    J diff $b $f > $OUT/$n.txt 2>&1
  done
done
for n in directive-vendor-reprint-001 directive-county-forward-002; do
  for k in 1 4 16; do for s in 1 2 19; do
    J diff /tmp/p19c/in/$n-x$k.txt /tmp/p19c/in/$n-x$k-s$s.txt -f json > $OUT/shuf-$n-$k-$s.json 2>&1
  done; done
done
