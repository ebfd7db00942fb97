"""Work across the machine's cores, results in input order: the one process pool ``check`` and ``scan`` share.

The parent prepares what every task reads (the base) *before* the pool starts: forked workers inherit it, so it is
prepared once per run, not once per worker or per task.  Where there is no fork (Windows), each worker is spawned
with ``shared`` pickled once and ``setup`` builds the rest once per worker.  Tasks are sent in batches
(``batch`` items per round trip), so the pickling and the pipe's round trips are paid per batch, not per item, and
at most ``inflight`` items are submitted and not yet yielded: memory follows the work in flight, not the input.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

BATCH = 4  # items per task: enough to amortise a round trip (a few ms), few enough to keep both cores busy at the end


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(workers: int | None) -> int:
    """``workers`` as given, or one per core (``None``: auto)."""
    return workers if workers is not None and workers > 0 else cores()


_STATE: dict[str, Any] = {}  # what a forked worker inherits from its parent (set just before the pool starts)


def state(name: str) -> Any:
    """The value the parent (or ``setup`` in a spawned worker) put under ``name`` for its workers."""
    return _STATE[name]


class Timeout(Exception):
    """No result for a batch within the time allowed: a worker died or an input is pathological."""


class Ordered(Generic[T, R]):
    """``fn`` over items on ``workers`` processes, yielded in input order (a context manager: the pool ends with it)."""

    def __init__(self, fn: Callable[[T], R], *, workers: int, shared: dict[str, Any], inherited: dict[str, Any] | None = None,
                 setup: Callable[[dict[str, Any]], None] | None = None, batch: int = BATCH, inflight: int | None = None,
                 timeout: float | None = None) -> None:
        """``shared``: what every worker reads (pickled once per spawned worker); ``inherited``: what a forked worker
        finds ready (the prepared base), which ``setup`` builds from ``shared`` in a spawned one."""
        self.inflight = inflight or workers * batch * 4
        self.fn, self.batch, self.timeout = fn, max(1, min(batch, self.inflight)), timeout
        fork = "fork" in multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        _STATE.clear()
        _STATE.update(shared)
        _STATE.update(inherited or {})  # a forked worker finds it here; a spawned one gets it from setup
        initargs: tuple[Any, ...] = ((None if fork else shared), setup)
        self.pool = ctx.Pool(workers, initializer=_init, initargs=initargs)

    def __enter__(self) -> Ordered[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.terminate()
        self.pool.join()
        _STATE.clear()

    def map(self, items: Iterable[T], *, on_timeout: Callable[[T], R] | None = None) -> Iterator[R]:
        """Each item's result, in input order (see :func:`in_order`: a batch that times out is sent again item by item)."""
        timeout = self.timeout

        def result(handle: Any, n: int) -> list[R]:
            return list(handle.get(timeout=None if timeout is None else timeout * n))

        return in_order(lambda chunk: self.pool.apply_async(_run_batch, (self.fn, chunk)), result, items,
                        batch=self.batch, inflight=self.inflight, on_timeout=on_timeout)


H = TypeVar("H")  # an engine's handle on a submitted batch


def in_order(submit: Callable[[list[T]], H], result: Callable[[H, int], list[R]], items: Iterable[T], *, batch: int,
             inflight: int, on_timeout: Callable[[T], R] | None = None) -> Iterator[R]:
    """Each item's result, in input order, for any engine: ``submit`` sends a batch of items and gives a handle,
    ``result(handle, n)`` waits for its ``n`` results (raising TimeoutError past its time), ``batch`` items per
    task, at most ``inflight`` items submitted and not yet yielded.

    A batch with no result in time (a worker killed on one of its items, a pathological input) is sent again item by
    item, so only the item at fault gives ``on_timeout(item)`` (without it: :class:`Timeout` is raised) and the run
    goes on: it never hangs."""
    pending: deque[tuple[list[T], H]] = deque()
    batch = max(1, min(batch, inflight))
    waiting = 0
    chunk: list[T] = []

    def take() -> list[R]:
        nonlocal waiting
        sent, handle = pending.popleft()
        waiting -= len(sent)
        try:
            return result(handle, len(sent))
        except TIMEOUTS as exc:
            if on_timeout is None:
                raise Timeout("no result in time: a worker died or an input is pathological") from exc
            if len(sent) == 1:
                return [on_timeout(sent[0])]
        out: list[R] = []
        for it, one in [(it, submit([it])) for it in sent]:
            try:
                out.extend(result(one, 1))
            except TIMEOUTS:
                out.append(on_timeout(it))
        return out

    def send() -> None:
        nonlocal waiting, chunk
        pending.append((chunk, submit(chunk)))
        waiting += len(chunk)
        chunk = []

    for item in items:
        chunk.append(item)
        if len(chunk) >= batch:
            send()
        while waiting >= inflight:
            yield from take()
    if chunk:
        send()
    while pending:
        yield from take()


TIMEOUTS = (TimeoutError, multiprocessing.TimeoutError)  # a pool's, and Dask's (asyncio's, the builtin)


def _init(shared: dict[str, Any] | None, setup: Callable[[dict[str, Any]], None] | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback from every worker
    if shared is not None:  # spawned: nothing inherited
        _STATE.clear()
        _STATE.update(shared)
    if setup is not None:
        setup(_STATE)


def _run_batch(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]
