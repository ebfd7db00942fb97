"""The package's regular expressions, compiled once per interpreter and kept between runs (issue 19: start-up).

re's compiler is written in Python, and a character class of CJK ranges costs it about 1.5 ms, because it walks
every code point of each range to build the class's bitmap.  The patterns a ``jiaokan diff`` of two files uses
cost it about 25 ms of a 0.2 s run, the same work at every start.  What the compiler produces, the program that
``_sre`` runs, depends only on the pattern, its flags and the interpreter.  So :func:`compiled` keeps each program
in the user's cache folder (``JIAOKAN_CACHE``, as URLs use), in a file named for the interpreter and this
version of jiaokan, and hands it to ``_sre.compile`` on the next run.  The result is the same ``re.Pattern``
object that ``re.compile`` would have given.

Three names of CPython are not public (``re._parser.parse``, ``re._compiler._code`` and ``_sre.compile``; the
latter checks a program before it takes it).  If any is missing or does not work as expected, or if the cache cannot
be read or written, a pattern is compiled by ``re.compile``: the cache can only save time, never change a match.
Only the package's own patterns come here (written in its source, or built from its shipped data); a user's
pattern (settings, site profiles) goes to ``re.compile``, so the file stays bounded.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import marshal
import re
import sys
from pathlib import Path
from typing import Any, AnyStr

# an entry: the flags the pattern ended with, its program, the number of groups, name → group, group → name
Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
Source = str | bytes

_MAX_ENTRIES = 4096  # the package compiles a few hundred; more means a file of other versions' patterns: start again


class _Store:
    """The programs of this interpreter: read from the cache file on first use, written back at exit if any was added."""

    def __init__(self) -> None:
        self.programs: dict[tuple[Source, int], Program] | None = None
        self.added = False
        self.tools: tuple[Any, Any, Any] | None = None  # (parse, code, _sre.compile), or None where they are missing

    def path(self) -> Path:
        from jiaokan import __version__
        from jiaokan.config import cache_dir

        python = "{}.{}.{}".format(*sys.version_info[:3])  # a patch release may fix the compiler: its own file
        magic = getattr(importlib.import_module("_sre"), "MAGIC", 0)
        return cache_dir() / f"patterns-{sys.implementation.name}-{python}-{sys.maxunicode:x}-{magic}-{__version__}.marshal"

    def load(self) -> dict[tuple[Source, int], Program]:
        if self.programs is None:
            self.programs = {}
            try:
                parser, compiler, engine = (importlib.import_module(name) for name in ("re._parser", "re._compiler", "_sre"))
                self.tools = (parser.parse, compiler._code, engine.compile)
            except (ImportError, AttributeError):
                return self.programs
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                data = marshal.loads(self.path().read_bytes())
                if isinstance(data, dict) and len(data) <= _MAX_ENTRIES:
                    self.programs = data
            atexit.register(self.save)
        return self.programs

    def save(self) -> None:
        """Write the programs, with those another process added meanwhile, atomically."""
        if not self.added or self.programs is None:
            return
        from jiaokan.atomic import write_atomic
        from jiaokan.errors import InputError

        path = self.path()
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            other = marshal.loads(path.read_bytes())
            if isinstance(other, dict) and len(other) + len(self.programs) <= _MAX_ENTRIES:
                self.programs = {**other, **self.programs}
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(path, marshal.dumps(self.programs))
        except (OSError, InputError):
            pass  # a read-only home or a full disk: the next run compiles again
        self.added = False

    def compile(self, source: AnyStr, flags: int) -> re.Pattern[AnyStr]:
        programs = self.load()
        if self.tools is None:
            return re.compile(source, flags)
        parse, code, build = self.tools
        key = (source, flags)
        program = programs.get(key)
        if program is not None:
            try:
                return build(source, *program)  # type: ignore[no-any-return]
            except (TypeError, ValueError, RuntimeError):  # not a program this interpreter takes (_sre checks it)
                del programs[key]
        try:
            tree = parse(source, flags)
            state = tree.state
            index: list[str | None] = [None] * state.groups
            for name, group in state.groupdict.items():
                index[group] = name
            program = (int(flags | state.flags), [int(op) for op in code(tree, flags)], state.groups - 1, dict(state.groupdict), tuple(index))
            pattern = build(source, *program)
        except re.error:
            raise
        except (TypeError, ValueError, AttributeError, IndexError, RuntimeError):  # the private names changed shape
            self.tools = None
            return re.compile(source, flags)
        if not isinstance(pattern, re.Pattern):
            self.tools = None
            return re.compile(source, flags)
        programs[key] = program
        self.added = True
        return pattern


_STORE = _Store()


def compiled(source: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)`` for one of the package's own patterns, with its program from the cache."""
    return _STORE.compile(source, int(flags))


def save() -> None:
    """Write the cache now (a worker that ends with ``os._exit`` runs no exit handler)."""
    _STORE.save()
