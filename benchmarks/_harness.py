"""Shared pieces of the noise and real-data benchmarks: span matching, the engine's identity, a time limit.

jiaokan is used only through its public API (``jiaokan.ingest.document_from_text``, ``jiaokan.diff.diff_documents``);
nothing here reads its normalizer or its tables.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TOLERANCE = 2  # characters between a pure insertion and what is matched with it


def near(ps: int, pe: int, lo: int, hi: int, *, insertion: bool = False) -> bool:
    """Does the finding's span [ps, pe) reach the change at [lo, hi)?

    Overlap; or, when either is a pure insertion (an empty span, or ``insertion``: an insertion whose equivalent
    placements cover [lo, hi]), a distance of at most TOLERANCE.
    """
    if insertion or ps == pe or lo == hi:
        return max(0, lo - pe, ps - hi) <= TOLERANCE
    return ps < hi and lo < pe


def bipartite(n_left: int, n_right: int, edge: Callable[[int, int], bool]) -> dict[int, int]:
    """Maximum matching (left index -> right index): each expected change is matched by at most one finding."""
    edges = [[j for j in range(n_right) if edge(i, j)] for i in range(n_left)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(n_left):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def clip(s: str, n: int = 48) -> str:
    """One line, at most about n characters (middle elided); line breaks shown as ⏎."""
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n // 2] + "…" + s[-(n // 2):]


def in_context(text: str, start: int, end: int, width: int = 12) -> str:
    """``…before【span】after…`` from ``text``."""
    return f"…{clip(text[max(0, start - width):start], 2 * width)}【{clip(text[start:end])}】{clip(text[end:end + width], 2 * width)}…"


def git_revision(path: Path, subdir: str = "src") -> str:
    """Short HEAD of the repository holding ``path``, marked when its ``subdir`` has uncommitted changes."""
    try:
        rev = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        top = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", top, "status", "--porcelain", "--", subdir], capture_output=True, text=True, check=True).stdout.strip()
        return f"{rev}{f' + uncommitted changes in {subdir}/' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def engine_identity() -> str:
    """Where ``import jiaokan`` comes from and at which revision: the figures belong to that engine."""
    import jiaokan

    where = Path(jiaokan.__file__).resolve()
    return f"`{where}` (revision {git_revision(where.parent)})"


class TimeLimit(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimit in the block after ``seconds`` (SIGALRM; main thread of a worker process)."""
    if seconds <= 0:
        yield
        return

    def fire(signum: int, frame: object) -> None:
        raise TimeLimit(f"over {seconds:g} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def publish(text: str, out: str | None) -> None:
    """A report to stdout and, with ``--out``, to that file."""
    print(text)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")


def examples_by_kind(sections: tuple[tuple[str, list[tuple[Any, str]]], ...], kinds: list[str], examples: int) -> list[str]:
    """Report lines: per section, the first ``examples`` items of each noise kind (items are (outcome, line) with
    ``outcome.noise``, ``.text`` and ``.seed``)."""
    lines: list[str] = []
    for title, items in sections:
        lines += ["", f"## {title} (up to {examples} per noise kind)", ""]
        for kind in kinds:
            got = [(o, x) for o, x in items if o.noise == kind][:examples]
            if got:
                lines.append(f"- **{kind}**")
                lines += [f"  - {o.text} seed {o.seed}: {x}" for o, x in got]
    return lines
