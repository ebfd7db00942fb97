"""Running the command line in tests: in this process, or as a real one, with the same result.

``run(args)`` calls ``jiaokan.cli.main``, the console script's entry point (so its mapping of every way out to an
exit code is what is tested), in this process: ``sys.argv``, the standard streams, ``os.environ``, the working
folder and the CLI's module state are those of a new process for the call, and put back after it.  Warnings are
written to its stderr, as a new interpreter would, not collected by pytest.

``run_process(args)`` runs ``python -m jiaokan.cli`` (importing the jiaokan this process imported), for what only a
real process has: file descriptors closed or pointed elsewhere (``close=``, ``stdout=``), the encoding of its
standard output (``PYTHONIOENCODING``), a clean interpreter (a Dask client leaves threads behind).  ``spawn(args)``
is the ``Popen`` itself, for a test that drives the process: closes its pipe, signals it, gives it a terminal.  ::

    done = run(["diff", "base.txt", "-"], cwd=tmp_path, input=b"...", env={"JIAOKAN_MAX_BYTES": "100"})
    done.code, done.out, done.err          # the exit code; stdout and stderr decoded as UTF-8
    done.out_bytes, done.err_bytes         # the bytes written

``args`` is a list (of strings or paths).  ``input`` is standard input, bytes or text (written as UTF-8); without
it stdin is empty.  ``env`` is laid over this environment less ``JIAOKAN_*`` and what changes the look of the
output (``NO_COLOR``, ``FORCE_COLOR``, ``COLUMNS``, ``PYTHONIOENCODING``); a value of None removes a variable.
``cwd`` is the working folder (default: the current one).  A run longer than ``timeout`` seconds fails the test.

In process, standard output is UTF-8 and never a terminal, and the program calls itself ``jiaokan`` (as the
installed script does; a real process is ``python -m jiaokan.cli`` in usage messages).
"""

from __future__ import annotations

import contextlib
import io
import os
import pty
import select
import signal
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import jiaokan
import jiaokan.cli

# the child imports the jiaokan this process imported (the source tree under PYTHONPATH=src, or an installed copy)
SOURCE = str(Path(jiaokan.__file__).resolve().parent.parent)
COMMAND = [sys.executable, "-m", "jiaokan.cli"]
UNSET = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "PYTHONIOENCODING")
TIMEOUT = 300

Args = Sequence[str | os.PathLike[str]]
Env = Mapping[str, str | None] | None


@dataclass(frozen=True)
class Result:
    """What a run of the command line left: its exit code and what it wrote."""

    code: int
    out_bytes: bytes
    err_bytes: bytes

    @property
    def out(self) -> str:
        return self.out_bytes.decode("utf-8")

    @property
    def err(self) -> str:
        return self.err_bytes.decode("utf-8")

    def __repr__(self) -> str:
        def cut(data: bytes) -> str:
            text = data.decode("utf-8", "replace")
            return repr(text if len(text) <= 2000 else text[:1000] + " … " + text[-1000:])

        return f"Result(code={self.code}, out={cut(self.out_bytes)}, err={cut(self.err_bytes)})"


def _argv(args: Args) -> list[str]:
    if isinstance(args, (str, bytes, os.PathLike)):
        raise TypeError("args is a list of arguments, not one string")
    return [os.fspath(a) for a in args]


def environment(env: Env = None) -> dict[str, str]:
    """The environment of a run: this one without JIAOKAN_* and UNSET, with ``env`` over it (None unsets)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JIAOKAN_") and k not in UNSET}
    for key, value in (env or {}).items():
        if value is None:
            clean.pop(key, None)
        else:
            clean[key] = value
    return clean


def _input_bytes(input: str | bytes | None) -> bytes:
    return input.encode("utf-8") if isinstance(input, str) else (input or b"")


# --------------------------------------------------------------------------
# in process


class _Kept(io.BytesIO):
    """What a stream wrote, kept when its wrapper is closed (on being collected, or by the command)."""

    def close(self) -> None:
        pass


class _Hung(BaseException):
    """Raised by the timer in the middle of a run (not an Exception: main() must not map it to an exit code)."""


@contextlib.contextmanager
def _bounded(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Hung

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int, file: IO[str] | None = None, line: str | None = None) -> None:
    (file or sys.stderr).write(warnings.formatwarning(message, category, filename, lineno, line))


@contextlib.contextmanager
def _isolated(argv: list[str], stdin: bytes, env: dict[str, str], cwd: str | os.PathLike[str] | None) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """sys.argv, the standard streams, os.environ, the working folder and the CLI's state of a new process."""
    out, err = _Kept(), _Kept()
    main_module = sys.modules["__main__"]
    saved = (sys.argv, sys.stdin, sys.stdout, sys.stderr, dict(os.environ), os.getcwd(), main_module.__dict__.get("__package__"))
    try:
        sys.argv = ["jiaokan", *argv]
        main_module.__package__ = None  # click names the program from sys.argv[0], as for the installed script
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
        sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
        os.environ.clear()
        os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        with warnings.catch_warnings():  # shown on stderr as by a new interpreter, not collected by pytest
            warnings.resetwarnings()
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            warnings.simplefilter("ignore", ImportWarning)
            warnings.simplefilter("ignore", ResourceWarning)
            warnings.showwarning = _show_warning
            yield out, err
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        sys.argv, sys.stdin, sys.stdout, sys.stderr, environ, cwd_before, package = saved
        main_module.__package__ = package
        os.environ.clear()
        os.environ.update(environ)
        os.chdir(cwd_before)


def run(args: Args, *, input: str | bytes | None = None, env: Env = None, cwd: str | os.PathLike[str] | None = None, timeout: float = TIMEOUT) -> Result:
    """``jiaokan ARGS`` in this process, through ``jiaokan.cli.main``."""
    argv = _argv(args)
    code: Any = 0
    with _isolated(argv, _input_bytes(input), environment(env), cwd) as (out, err):
        try:
            with _bounded(timeout):
                jiaokan.cli.main()
        except SystemExit as exc:
            code = exc.code
        except _Hung:
            raise AssertionError(f"jiaokan {' '.join(argv)} did not finish in {timeout} s") from None
        except KeyboardInterrupt as exc:  # a real process would end with it; pytest must not
            raise AssertionError(f"KeyboardInterrupt escaped jiaokan.cli.main() for jiaokan {' '.join(argv)}") from exc
        if code is not None and not isinstance(code, int):  # sys.exit("message"), as the interpreter shows it
            print(code, file=sys.stderr)
            code = 1
    return Result(code or 0, out.getvalue(), err.getvalue())


# --------------------------------------------------------------------------
# as a real process


def process_environment(env: Env = None) -> dict[str, str]:
    """The environment of a real process: ``environment(env)``, with this process's jiaokan first on PYTHONPATH."""
    full = environment(env)
    full["PYTHONPATH"] = os.pathsep.join(p for p in (SOURCE, full.get("PYTHONPATH", "")) if p)
    return full


def spawn(args: Args, *, env: Env = None, cwd: str | os.PathLike[str] | None = None, **popen: Any) -> subprocess.Popen[bytes]:
    """``python -m jiaokan.cli ARGS`` started, for a test that drives it; ``popen`` goes to ``subprocess.Popen``
    (stdin is /dev/null unless given)."""
    popen.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.Popen([*COMMAND, *_argv(args)], cwd=cwd, env=process_environment(env), **popen)


def run_process(args: Args, *, input: str | bytes | None = None, env: Env = None, cwd: str | os.PathLike[str] | None = None, timeout: float = TIMEOUT,
                stdout: int | IO[Any] | None = subprocess.PIPE, close: tuple[int, ...] = ()) -> Result:
    """``python -m jiaokan.cli ARGS`` run to its end.  ``stdout`` may be another file (then ``out_bytes`` is
    empty); ``close`` lists file descriptors the child closes before it starts (0 for a closed stdin...)."""

    def closing() -> None:
        for fd in close:
            os.close(fd)

    done = subprocess.run([*COMMAND, *_argv(args)], input=_input_bytes(input), stdout=stdout, stderr=subprocess.PIPE, cwd=cwd,
                          env=process_environment(env), timeout=timeout, preexec_fn=closing if close else None, check=False)
    return Result(done.returncode, done.stdout or b"", done.stderr)


def stderr_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """The exit code and what a real process wrote to standard error when standard error is a terminal (a pty)."""
    master, slave = pty.openpty()
    proc = spawn(args, cwd=cwd, env={"TERM": "xterm", "COLUMNS": "100"}, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")
