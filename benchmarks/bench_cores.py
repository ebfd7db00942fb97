"""How many cores this shared machine gives right now: two pure-Python loops in a fork pool against one alone.

    python benchmarks/bench_cores.py

Run beside a parallel benchmark (before and after it): a speed-up across workers cannot exceed what it prints.
"""

from __future__ import annotations

import multiprocessing
import time


def burn(_: int) -> float:
    t = time.perf_counter()
    s = 0
    for i in range(20_000_000):
        s += i
    return time.perf_counter() - t


def main() -> None:
    one = burn(0)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        each = pool.map(burn, [0, 1])
        two = time.perf_counter() - t
    print(f"one loop alone {one:.2f} s; two at once {two:.2f} s (each {each[0]:.2f}, {each[1]:.2f}) -> effective cores {2 * one / two:.2f}")


if __name__ == "__main__":
    main()
