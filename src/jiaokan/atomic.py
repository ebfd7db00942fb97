"""Write outputs atomically, so an interrupted run leaves the old file intact.

An output is never an input: :func:`check_output` refuses, before any work is done, an output that is (after
symlinks and hard links) one of the run's inputs, that lies where a scanned folder would read it as a document,
or that is not a regular file (a folder, a device such as ``/dev/null``, a named pipe).  ``-`` and
``/dev/stdout`` mean standard output.  Writing through a symlink keeps the link and replaces its target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from jiaokan.errors import InputError

STDOUT_NAMES = ("-", "/dev/stdout")  # an output so named is standard output


def is_stdout(path: str | os.PathLike[str] | None) -> bool:
    return path is None or str(path) in STDOUT_NAMES


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe, not a regular file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file"
    return "it is not a regular file"


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def check_output(
    path: str | os.PathLike[str],
    inputs: Iterable[tuple[str, str]] = (),
    *,
    folders: Iterable[str] = (),
    extensions: Iterable[str] = (),
    option: str = "-o",
) -> None:
    """Refuse (InputError) an output that cannot or must not be written; nothing is opened or created.

    ``inputs`` are (role, path) pairs — the base, the witnesses, a configuration, a JSONL corpus — that the output
    must not be; ``folders`` are folders read lazily (a scan) in which a file ending in one of ``extensions`` would
    be read as a document.
    """
    name = str(path)
    shown = f"{option} {name or '(empty)'}".strip()
    if not name:
        raise InputError(f"{shown}: cannot write", "the output path is empty", "give a file name, e.g. -o report.json")
    if option and is_stdout(name):  # the command line's -o -; a library call writes a file of that name
        return
    from jiaokan.web import has_scheme, names_url

    if names_url(name):
        raise InputError(f"{shown}: cannot write", "it is a URL, and jiaokan writes local files only", "give a file name, e.g. -o report.json")
    try:
        st = os.stat(name)  # follows symlinks: what would really be written
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"{shown}: cannot write", why_not(exc), _fix(exc)) from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        fix = "name a regular file, or leave out -o (or use -o -) and redirect standard output" if option == "-o" else "name a regular file"
        raise InputError(f"{shown}: cannot write", _kind(st.st_mode), fix)
    real = os.path.realpath(name)
    folder = os.path.dirname(real) or "."
    if not os.path.isdir(folder):
        raise InputError(f"{shown}: cannot write", f"the folder {os.path.dirname(name) or '.'} does not exist", "create it first or choose another output path")
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(os.path.basename(real))) > limit:
        raise InputError(f"{shown[:80]}…: cannot write", f"the file name is longer than the system allows ({limit} bytes)", "choose a shorter name")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{shown}: cannot write", f"the folder {os.path.dirname(name) or '.'} is not writable (read-only or not yours)", "choose a folder you can write to")
    if st is not None:
        for role, other in inputs:
            if other and other != "-" and not has_scheme(other) and os.path.exists(other) and same_file(name, other):  # a URL is no local file
                what = f"the {role} itself" if other == name else f"the {role} {other}"
                raise InputError(f"{shown}: refusing to write over an input", f"it is {what}", "choose another output file; an output never replaces an input")
    exts = {e.lower() for e in extensions}
    for scanned in folders:
        top = os.path.realpath(scanned)
        if os.path.splitext(real)[1].lower() in exts and os.path.commonpath([top, real]) == top:
            raise InputError(f"{shown}: refusing to write into a scanned folder", f"it would be read as a document of {scanned}", "write the results outside the folder")


def why_not(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is longer than the system allows"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is not a folder"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno in (errno.EROFS,):
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def _fix(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "choose a shorter name"
    if exc.errno == errno.ENOSPC:
        return "free some space or write elsewhere"
    return "choose another output path"


def write_atomic(path: str | os.PathLike[str], text: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``text`` (or bytes, as they are) to a temporary file beside the target, then rename it over.

    A symlink is kept: its target is what gets replaced.  Anything but a regular file (or a name not yet taken)
    is refused.
    """
    check_output(path, option="")
    target = Path(os.path.realpath(path))  # through symlinks: the link stays, its target is replaced
    folder = target.parent
    try:
        # a short prefix: the temporary name must fit where the target's name just fits
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write", f"no file can be created in the folder {folder} ({why_not(exc)})", "choose a folder you can write to") from exc
    try:
        os.fchmod(fd, _mode_for(target))  # mkstemp makes it 0600: keep the old file's mode, or the usual one
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
                raw.flush()
                os.fsync(raw.fileno())
        else:
            with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write", why_not(exc), _fix(exc)) from exc
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
