"""Regular expressions compiled when first used, not when their module is imported (issue 19: start-up).

re's compiler walks every code point of a character class's ranges in Python: a class of CJK ranges costs it about
1 ms, and a module-level pattern that a run never uses (an encoding's guess, a rule its input gives no work) should
not cost that at every start.  ``pattern(...)`` stands for ``re.compile(...)``: the first attribute asked of it
compiles the pattern, and each attribute asked (``search``, ``findall`` …) is kept on the object, so a later call
costs what a call of the compiled pattern costs.  It is not an ``re.Pattern`` (``isinstance``, or ``re.sub(p, …)``
given it, would see that): use its methods.
"""

from __future__ import annotations

import re
from typing import Any, cast

from jiaokan.patterns import compiled


class _Deferred:
    def __init__(self, source: str, flags: int) -> None:
        self.pattern_source = source
        self.pattern_flags = flags

    def __getattr__(self, name: str) -> Any:  # only for names not yet on the object: compile, then keep the answer
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(compiled(self.pattern_source, self.pattern_flags), name)
        setattr(self, name, value)
        return value

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return pattern, (self.pattern_source, self.pattern_flags)

    def __repr__(self) -> str:
        return f"jiaokan.lazy.pattern({self.pattern_source!r}, {self.pattern_flags})"


def pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, done on first use (see the module's note)."""
    return cast("re.Pattern[str]", _Deferred(source, flags))
