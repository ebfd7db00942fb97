"""Errors a user can act on.

Every error a user can cause is a :class:`InputError` carrying what went wrong,
why, and how to fix it; the CLI prints it as one line and exits 2.  Anything
else is a bug (exit 123).
"""

from __future__ import annotations


class JiaokanError(Exception):
    """Base class of the errors jiaokan raises on purpose."""


class InputError(JiaokanError):
    """Bad input or usage: one line on stderr, exit code 2."""

    def __init__(self, what: str, why: str, fix: str) -> None:
        super().__init__(what, why, fix)
        self.what = what
        self.why = why
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.what}: {self.why}; {self.fix}"


class PageError(InputError):
    """A web server's answer other than 200 (``status``): an input error that also says which, so that a watch
    can tell a copy taken down (404, 410) from a server that failed once."""

    def __init__(self, what: str, why: str, fix: str, *, status: int) -> None:
        super().__init__(what, why, fix)
        self.status = status
