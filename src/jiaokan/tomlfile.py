"""Reading the TOML files jiaokan is given (configuration, accepted variants): one clear error for every way they fail."""

from __future__ import annotations

import tomllib
from pathlib import Path

from jiaokan.errors import InputError


def read_toml(path: Path, what: str, fix: str) -> tuple[str, dict[str, object]]:
    """The file's text and its TOML data.

    A UTF-8 byte-order mark (which editors on Windows write) is dropped; invalid TOML, nesting too deep for the
    parser (a ``RecursionError`` in ``tomllib``), an unreadable or undecodable file are each an ``InputError``
    naming the file.  ``what`` names the file's role ("configuration", "baseline"), ``fix`` how to repair it.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot read the {what}", f"it is not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what}", exc.strerror or str(exc), "check that it is a readable file") from exc
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: the {what} is not valid TOML", str(exc), fix) from exc
    except RecursionError as exc:
        raise InputError(f"{path}: the {what} is nested too deeply", "its arrays or tables nest deeper than the TOML reader can follow", f"write it flat: a {what} needs two levels at most") from exc
    return text, data
