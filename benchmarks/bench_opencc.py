#!/usr/bin/env python3
"""Benchmark an installed ``opencc`` module on sample files.

Standalone: needs only the standard library and whichever ``opencc``
module is importable by the interpreter that runs it.  Two PyPI
distributions provide that module and overwrite each other, so run the
script once per virtual environment:

* ``opencc``                       (C++ library with a pybind11 binding)
* ``opencc-python-reimplemented``  (pure Python)

Example::

    /tmp/occ-cpp/bin/python benchmarks/bench_opencc.py --config t2s \
        --repeat 16 samples/*.txt

For each file it reports the number of characters converted, the time
to construct ``OpenCC(config)``, the best (and median) wall time of
``OpenCC(config).convert(text)`` over N runs after warm-up, the
throughput in millions of characters per second (from the best time)
and a SHA-256 of the output, so the outputs of the two implementations
can be compared.  Output is a small markdown table on stdout.

Timings use ``time.perf_counter``; the garbage collector stays enabled
(end-to-end cost, as the tool would see it).  On a shared machine the
best-of-N figure is the least noisy; the median is printed to show the
spread.
"""

import argparse
import contextlib
import hashlib
import os
import platform
import statistics
import sys
import time

import opencc

DISTRIBUTIONS = ("OpenCC", "opencc-python-reimplemented")


def implementation():
    """Return (distribution name, version) of the importable ``opencc``."""
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8
        return ("unknown", "unknown")
    found = []
    for dist in DISTRIBUTIONS:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append((dist, metadata.version(dist)))
    if len(found) == 1:
        return found[0]
    if not found:
        return ("unknown", getattr(opencc, "__version__", "unknown"))
    # Both installed in one environment: the module on disk belongs to
    # whichever was installed last; say so rather than guess.
    return (" + ".join("%s %s" % f for f in found) + " (both installed!)", "?")


def time_construct(config, runs):
    """Time ``OpenCC(config)``: first (cold) and best of ``runs``."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        opencc.OpenCC(config)
        times.append(time.perf_counter() - t0)
    return times[0], min(times)


def time_convert(converter, text, runs, warmup):
    """Return (best, median, output) for ``converter.convert(text)``."""
    out = None
    for _ in range(warmup):
        out = converter.convert(text)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        res = converter.convert(text)
        times.append(time.perf_counter() - t0)
        if out is None:
            out = res
        elif res != out:
            raise SystemExit("non-deterministic output from convert()")
    return min(times), statistics.median(times), out


def config_name_check(config):
    """Which spellings of the config name does this implementation accept?"""
    stem = config[:-5] if config.endswith(".json") else config
    results = []
    for name in (stem, stem + ".json"):
        try:
            conv = opencc.OpenCC(name)
            conv.convert("\u8edf\u9ad4")  # force lazy loading, if any
            results.append("`%s` ok" % name)
        except Exception as exc:  # noqa: BLE001 - report, do not fail the benchmark
            results.append("`%s` %s" % (name, type(exc).__name__))
    return ", ".join(results)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", help="UTF-8 sample files")
    ap.add_argument("--config", default="t2s",
                    help="OpenCC config name, e.g. t2s, tw2sp (default t2s)")
    ap.add_argument("--repeat", "-K", type=int, default=1, metavar="K",
                    help="concatenate each file's text K times (default 1)")
    ap.add_argument("--runs", "-N", type=int, default=7, metavar="N",
                    help="timed runs per file, best is reported (default 7)")
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed warm-up runs per file (default 1)")
    ap.add_argument("--construct-runs", type=int, default=5,
                    help="constructions timed per process (default 5)")
    ap.add_argument("--dump-dir", metavar="DIR",
                    help="also write each output to DIR/<file>.<config>.K<k>.out")
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.runs < 1 or args.warmup < 0:
        ap.error("--repeat and --runs must be >= 1, --warmup >= 0")

    dist, version = implementation()
    first_c, best_c = time_construct(args.config, args.construct_runs)
    converter = opencc.OpenCC(args.config)

    print("### %s %s, config `%s`, K=%d" % (dist, version, args.config, args.repeat))
    print()
    print("- module: `%s`" % opencc.__file__)
    print("- Python %s on %s, os.cpu_count()=%s"
          % (platform.python_version(), platform.machine(), os.cpu_count()))
    print("- construct `OpenCC(%r)`: first %.1f ms, best of %d %.1f ms"
          % (args.config, first_c * 1e3, args.construct_runs, best_c * 1e3))
    print("- config names accepted: %s" % config_name_check(args.config))
    print("- convert: best and median of N=%d runs after %d warm-up, "
          "time.perf_counter, GC enabled" % (args.runs, args.warmup))
    print()
    print("| file | chars | best ms | median ms | M chars/s | sha256 (first 16) |")
    print("|---|---:|---:|---:|---:|---|")
    total_chars = 0
    total_best = 0.0
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            text = f.read() * args.repeat
        best, med, out = time_convert(converter, text, args.runs, args.warmup)
        digest = hashlib.sha256(out.encode("utf-8")).hexdigest()
        total_chars += len(text)
        total_best += best
        print("| %s | %d | %.2f | %.2f | %.3f | `%s` |"
              % (os.path.basename(path), len(text), best * 1e3, med * 1e3,
                 len(text) / best / 1e6, digest[:16]))
        if args.dump_dir:
            os.makedirs(args.dump_dir, exist_ok=True)
            name = "%s.%s.K%d.out" % (os.path.basename(path),
                                      args.config.replace(".json", ""),
                                      args.repeat)
            with open(os.path.join(args.dump_dir, name), "w",
                      encoding="utf-8") as f:
                f.write(out)
    if len(args.files) > 1:
        print("| **total** | %d | %.2f | | %.3f | |"
              % (total_chars, total_best * 1e3, total_chars / total_best / 1e6))
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
