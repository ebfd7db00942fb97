"""Write outputs atomically, so an interrupted run leaves the old file intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jiaokan.errors import InputError


def write_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over."""
    target = Path(path)
    if not str(path) or target.is_dir():
        raise InputError(f"{str(path) or '(empty)'}: cannot write", "the output path is empty or a folder", "give a file name, e.g. -o report.json")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: cannot write", f"the folder {folder} does not exist", "create it first or choose another output path")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{target}: cannot write", exc.strerror or str(exc), "choose a folder you can write to") from exc
    try:
        os.fchmod(fd, _mode_for(target))  # mkstemp makes it 0600: keep the old file's mode, or the usual one
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"{target}: cannot write", exc.strerror or str(exc), "choose another output path") from exc
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
