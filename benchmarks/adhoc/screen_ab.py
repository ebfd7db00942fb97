"""The screen before/after in one process, interleaved: main's Scanner.passages and keys view vs this tree's."""
import gc, sys, time, tempfile, timeit
from pathlib import Path
sys.path.insert(0, 'benchmarks'); sys.path.insert(0, 'benchmarks/accuracy')
gc.disable()
from bench_scan import make_corpus, CORPUS
from generate import load_text
from jiaokan import document_from_text
from jiaokan import scan as S
from jiaokan.shingles import hashed_shingles
from jiaokan.prepare import prepare
def old_passages(self, hashes):
    grams, first, nxt, common = self.grams, self.first, self.next, self.common
    out = []; k, m, nb = 0, len(hashes), len(grams); after = 0
    while k < m:
        p = first.get(hashes[k], -1)
        if p < 0:
            k += 1; continue
        best = length = tries = 0
        while p >= 0 and tries < S.CANDIDATES:
            n = 1
            while k + n < m and p + n < nb and grams[p + n] == hashes[k + n]:
                n += 1
            if n > length or (n == length and best < after <= p):
                best, length = p, n
            p, tries = nxt[p], tries + 1
        after = best + length
        rare = sum(1 for h in hashes[k:k + length] if h not in common)
        out.append(S.Passage(k, k + length + S.SHINGLE - 1, best, best + length + S.SHINGLE - 1, rare))
        k += length
    return out
new_passages = S.Scanner.passages
files = sorted(p for p in CORPUS.iterdir() if p.suffix == ".txt")
base_text = load_text(files[0])[0]; others = [load_text(p)[0] for p in files[1:]]
src = Path(tempfile.mkdtemp()) / "c.jsonl"; N = int(sys.argv[1])
truth = make_corpus(src, N, base_text, others, sys.argv[2])
sc = S.Scanner(document_from_text(base_text, path="base.txt"))
streams = [prepare(document_from_text(i.text, path=i.id), settings=sc.settings).stream for i in S.corpus([str(src)])]
new_set = sc.shingles; old_keys = sc.first.keys()
for st in streams:
    hs = hashed_shingles(st)
    assert old_passages(sc, hs) == new_passages(sc, hs)
    sc.shingles = old_keys; S.Scanner.passages = old_passages; a = sc.screen(st)
    sc.shingles = new_set; S.Scanner.passages = new_passages; b = sc.screen(st)
    assert a == b
print(f"{len(streams)} documents: passages and screens identical")
def run(old):
    sc.shingles = old_keys if old else new_set
    S.Scanner.passages = old_passages if old else new_passages
    t = time.process_time()
    for st in streams: sc.screen(st)
    return time.process_time() - t
o, n = [], []
for _ in range(7):
    o.append(run(True)); n.append(run(False))
print(f"screen, CPU per document, best of 7 interleaved: before {min(o)/len(streams)*1000:.2f} ms, after {min(n)/len(streams)*1000:.2f} ms")
