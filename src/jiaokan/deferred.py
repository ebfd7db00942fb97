"""A diff's findings with its cosmetic ones built only when something reads them.

A reprint's cosmetic differences run to thousands (3,641 between the two directives of ``samples/``: a traditional
copy differs in nearly every character), and the default reports only count them.  Building each one (its located
spans, message and context) was half the time of a diff; so a diff keeps them as the records they are made from, and
:class:`Findings` builds them on first need: listing them, indexing, iterating, comparing.  Counting them, and every
finding that is not cosmetic, need no building.

The order is the one the eager list had: every finding in report order (``ORDER``), a built one after a finding
already built that has the same key (the diff made those first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

from jiaokan.findings import COSMETIC, Finding

R = TypeVar("R")


def order(f: Finding) -> tuple[int, int, int, int, str]:
    """The report order of findings: by place in the base, then in the witness, then the code."""
    return (f.base.start, f.witness.start, f.base.end, f.witness.end, f.code)


class Findings(Sequence[Finding], Generic[R]):
    """Findings in report order: ``built`` ones, and ``pending`` records that ``build`` turns into cosmetic findings
    (in the records' order, the same every time: the view is deterministic).  Built once, then kept."""

    __slots__ = ("_all", "_build", "_built", "_pending")

    def __init__(self, built: Sequence[Finding], pending: Sequence[R] = (), build: Callable[[Sequence[R]], list[Finding]] | None = None) -> None:
        if pending and build is None:
            raise ValueError("pending findings need the function that builds them")
        self._built = list(built)
        self._pending = tuple(pending)
        self._build = build
        self._all: list[Finding] | None = None if pending else self._built

    @property
    def pending(self) -> int:
        """How many cosmetic findings are not built yet (0 once anything read them)."""
        return 0 if self._all is not None else len(self._pending)

    def materialized(self) -> list[Finding]:
        """Every finding, the pending ones built (once) and placed in report order."""
        if self._all is None:
            assert self._build is not None
            made = self._build(self._pending)
            if any(f.severity != COSMETIC for f in made):
                raise ValueError("only cosmetic findings may be built on demand")
            made.sort(key=order)
            # a stable sort of the two runs: a finding built before keeps its place ahead of a built one it ties with
            self._all = sorted(self._built + made, key=order)
            self._pending, self._build = (), None
        return self._all

    def listed(self, *, include_cosmetic: bool) -> list[Finding]:
        """The findings a report lists: without the cosmetic ones, nothing is built."""
        if include_cosmetic:
            return list(self.materialized())
        return [f for f in self._built if f.severity != COSMETIC]

    def __len__(self) -> int:
        return len(self._all) if self._all is not None else len(self._built) + len(self._pending)

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        return self.materialized()[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.materialized())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings):
            return self.materialized() == other.materialized()
        if isinstance(other, list):
            return self.materialized() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list's: equal views need not hash alike

    def __repr__(self) -> str:
        return repr(self.materialized())
