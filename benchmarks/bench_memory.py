"""Benchmark: peak memory of ``jiaokan diff`` on 20 MB inputs, and the offset map's bytes per character (run by hand).

    python benchmarks/bench_memory.py [--src DIR ...] [--mb 20] [--cases pair,line] [--repeat 1]

Builds, in a temporary folder, two 20 MB cases from the samples by repetition:

- ``pair``: directive 001 repeated to the size, against the same with one scattered edit per copy (a character
  replaced, a phrase inserted, a clause deleted, in turn);
- ``line``: directive 001 with its line breaks taken out, repeated to the size as ONE line, against itself.

Each ``--src`` (a ``src`` folder holding a ``jiaokan`` package: this branch's and a checkout of main, so that the
figures of both come from the same run) runs ``jiaokan diff A B -f json -o FILE`` as a subprocess under
``/usr/bin/time -f %M``: peak RSS, wall time, and RSS per input character (both files' characters).  Then, in a
child process of the same ``src``, the offset map of the normalized 20 MB base measured directly: its two
per-character sequences (``sys.getsizeof`` of a list plus its distinct int objects, or an array's buffer) per
normalized character, and the segment stream's ``positions``.  The default input limits are raised for the run
(``JIAOKAN_MAX_CHARS``): a 20 MB Chinese text is about 7 M characters.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples/directive-vendor-reprint-001.txt"

_MEASURE = r"""
import json, sys
from array import array
from jiaokan import read_document, normalize
from jiaokan.segment import segment

def size(seq):
    if isinstance(seq, array):
        return sys.getsizeof(seq)
    if isinstance(seq, (bytes, bytearray, memoryview)):
        return sys.getsizeof(seq)
    if not isinstance(seq, (list, tuple)):  # a view (segment.ParagraphIndex): its own columns
        return sys.getsizeof(seq) + sum(sys.getsizeof(getattr(seq, k)) for k in getattr(seq, "__slots__", ()))
    seen = set()
    total = sys.getsizeof(seq)
    for x in seq:
        if id(x) not in seen:
            seen.add(id(x))
            total += sys.getsizeof(x)
    return total

doc = read_document(sys.argv[1])
norm = normalize(doc)
mapped = norm.mapped
seg = segment(norm)
print(json.dumps({
    "chars": len(doc.text), "normalized": len(mapped.text), "stream": len(seg.stream),
    "map_type": type(mapped.starts).__name__, "map_bytes": size(mapped.starts) + size(mapped.ends),
    "positions_type": type(seg.positions).__name__, "positions_bytes": size(seg.positions) + size(seg.para_of),
}))
"""


def build(folder: Path, mb: float) -> dict[str, tuple[Path, Path]]:
    """The two cases' files, each just under ``mb`` MB of UTF-8."""
    text = SAMPLE.read_text(encoding="utf-8")
    limit = int(mb * 1_000_000)
    copies = max(1, limit // (len(text.encode("utf-8")) + 2))
    base = "\n\n".join([text] * copies)
    rng = random.Random(19)
    edited: list[str] = []
    for k in range(copies):
        piece = text
        i = rng.randrange(200, len(piece) - 200)
        while not ("\u4e00" <= piece[i] <= "\u9fff"):
            i += 1
        kind = k % 3
        if kind == 0:
            piece = piece[:i] + ("加" if piece[i] != "加" else "减") + piece[i + 1:]
        elif kind == 1:
            piece = piece[:i] + "进一步" + piece[i:]
        else:
            piece = piece[:i] + piece[i + 8:]
        edited.append(piece)
    one_line = " ".join(text.split())
    line_copies = max(1, limit // (len(one_line.encode("utf-8")) + 1))
    files = {
        "base.txt": base, "edited.txt": "\n\n".join(edited), "line.txt": " ".join([one_line] * line_copies),
    }
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return {"pair": (folder / "base.txt", folder / "edited.txt"), "line": (folder / "line.txt", folder / "line.txt")}


def run_diff(src: Path, a: Path, b: Path, out: Path, env: dict[str, str]) -> tuple[int, float, int]:
    """Peak RSS (KB), wall seconds and exit code of one ``jiaokan diff`` process."""
    cmd = ["/usr/bin/time", "-f", "%M %e", sys.executable, "-c", "from jiaokan.cli import main; main()",
           "diff", str(a), str(b), "-f", "json", "-o", str(out)]
    proc = subprocess.run(cmd, env={**env, "PYTHONPATH": str(src)}, capture_output=True, text=True, check=False)
    last = proc.stderr.strip().splitlines()[-1]
    rss, wall = last.split()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"jiaokan diff failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return int(rss), float(wall), proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", action="append", default=[], help="a src folder holding jiaokan (repeatable; default: this checkout's)")
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--cases", default="pair,line")
    ap.add_argument("--repeat", type=int, default=1, help="runs per case, the lowest peak kept")
    args = ap.parse_args()
    sources = [Path(s).resolve() for s in args.src] or [ROOT / "src"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["JIAOKAN_MAX_CHARS"] = "40000000"
    env["JIAOKAN_MAX_BYTES"] = str(64 * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="jiaokan-mem-") as tmp:
        folder = Path(tmp)
        cases = build(folder, args.mb)
        chars = {name: len(p.read_text(encoding="utf-8")) for name, p in
                 (("base.txt", cases["pair"][0]), ("edited.txt", cases["pair"][1]), ("line.txt", cases["line"][0]))}
        print(f"inputs: base {cases['pair'][0].stat().st_size:,} B / {chars['base.txt']:,} chars; "
              f"edited {cases['pair'][1].stat().st_size:,} B / {chars['edited.txt']:,} chars; "
              f"line {cases['line'][0].stat().st_size:,} B / {chars['line.txt']:,} chars")
        print()
        print("| src | case | peak RSS | RSS bytes / input char | wall | findings |")
        print("|---|---|---:|---:|---:|---:|")
        for src in sources:
            for case in args.cases.split(","):
                a, b = cases[case]
                n = len(a.read_text(encoding="utf-8")) + len(b.read_text(encoding="utf-8"))
                out = folder / f"out-{case}.json"
                runs = [run_diff(src, a, b, out, env) for _ in range(args.repeat)]
                rss, wall, _code = min(runs)
                findings = len(json.loads(out.read_text(encoding="utf-8")).get("findings", []))
                print(f"| {src} | {case} | {rss / 1024:,.0f} MB | {rss * 1024 / n:.0f} | {wall:.1f} s | {findings:,} |", flush=True)
        print()
        print("| src | offset map (starts + ends) | bytes / normalized char | stream positions + para_of | bytes / stream char |")
        print("|---|---|---:|---|---:|")
        for src in sources:
            proc = subprocess.run([sys.executable, "-c", _MEASURE, str(cases["pair"][0])], env={**env, "PYTHONPATH": str(src)},
                                  capture_output=True, text=True, check=True)
            m = json.loads(proc.stdout)
            print(f"| {src} | {m['map_type']}, {m['map_bytes']:,} B | {m['map_bytes'] / m['normalized']:.1f} | "
                  f"{m['positions_type']}, {m['positions_bytes']:,} B | {m['positions_bytes'] / m['stream']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
