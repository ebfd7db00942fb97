"""Which files a folder or a glob names, as ruff, black and ripgrep choose them.

A folder argument is walked; on the way, hidden names (``.venv``, ``.git``, ``.cache``…), the folders tools leave
behind (:data:`DEFAULT_EXCLUDES`: ``node_modules``, ``venv``, ``site-packages``, ``build``, ``dist``…), what
``.gitignore`` files (each applying to its own subtree, negations included) and ``.git/info/exclude`` ignore, and
what ``--exclude`` names are skipped; ``--include`` narrows what is left.  A file named explicitly is always read:
the rules are for what the user did not name.  A glob's matches are filtered by ``--exclude``/``--include`` only
(the shell would have named them one by one).  Symlinked folders are followed once per real folder, so a link
loop ends.  Everything is sorted, so two runs list the same files in the same order.  docs/discover.md.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pathspec

from jiaokan.errors import InputError

if TYPE_CHECKING:
    from jiaokan.config import Settings

# black's default exclude and ruff's, less what the dot-name rule already skips (.git, .venv, .tox, .mypy_cache…)
DEFAULT_EXCLUDES: tuple[str, ...] = ("__pycache__", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules",
                                     "site-packages", "venv")
IGNORE_FILE = ".gitignore"

Notice = Callable[[str, str | None], None]  # (path, None: read | the rule that skipped it)


@dataclass(frozen=True, slots=True)
class Rules:
    """What a walk skips besides the built-in rules: ``--exclude``/``--include`` globs (gitignore syntax)."""

    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    gitignore: bool = True
    _exclude: pathspec.GitIgnoreSpec = field(init=False, repr=False, compare=False)
    _include: pathspec.GitIgnoreSpec = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_exclude", compiled(self.exclude, "--exclude"))
        object.__setattr__(self, "_include", compiled(self.include, "--include"))

    def excluded(self, rel: str) -> str | None:
        """The --exclude pattern that matches ``rel`` (a folder's ends in /), if any."""
        hit = self._exclude.check_file(rel)
        return f"--exclude {self.exclude[hit.index]!r}" if hit.include and hit.index is not None else None

    def included(self, rel: str) -> bool:
        return not self.include or bool(self._include.check_file(rel).include)


def rules_of(settings: Settings | None) -> Rules:
    """The walk's rules from the ``exclude``/``include`` settings (configuration keys, or ``--exclude``/``--include``)."""
    return Rules(settings.exclude, settings.include) if settings is not None else Rules()


def compiled(patterns: Sequence[str], where: str) -> pathspec.GitIgnoreSpec:
    """Glob patterns (gitignore syntax) as one spec; an empty or malformed one is an error naming it."""
    for p in patterns:
        if not p.strip() or p.lstrip().startswith("#"):
            raise InputError(f"{where} {p!r}: not a pattern", "it is empty or a comment", "write a glob such as 'drafts/' or '*.bak.html'")
    try:
        spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    except (ValueError, TypeError) as exc:  # pathspec raises GitWildMatchPatternError, a ValueError
        raise InputError(f"{where}: not a valid glob", str(exc), "see docs/discover.md for the syntax (as in .gitignore)") from exc
    if len(spec.patterns) != len(patterns):  # pragma: no cover - every pattern checked non-empty above
        raise InputError(f"{where}: not a valid glob", f"{patterns!r}", "see docs/discover.md")
    return spec


@dataclass(frozen=True, slots=True)
class _Ignore:
    """One .gitignore (or info/exclude): its folder, its patterns, and the line of each."""

    folder: Path
    label: str
    spec: pathspec.GitIgnoreSpec
    lines: tuple[tuple[int, str], ...]  # (line number, text) of each pattern

    def check(self, path: Path, is_dir: bool) -> tuple[bool, str] | None:
        """(ignored?, the line deciding it), or None when no line speaks of the path."""
        try:
            rel = path.relative_to(self.folder).as_posix()
        except ValueError:
            return None
        hit = self.spec.check_file(rel + "/" if is_dir else rel)
        if hit.include is None or hit.index is None:
            return None
        number, text = self.lines[hit.index]
        return hit.include, f"{self.label}:{number}: {text}"


def _read_ignore(path: Path, folder: Path, label: str) -> _Ignore | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # unreadable: git would not honour it either
    kept = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    try:
        spec = pathspec.GitIgnoreSpec.from_lines([line for _, line in kept])
    except ValueError:
        return None  # a line git itself would not understand: git ignores it, so do we (the whole file, to stay safe)
    if len(spec.patterns) != len(kept):
        return None
    return _Ignore(folder, label, spec, tuple(kept))


def _git_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _inherited(root: Path) -> list[_Ignore]:
    """The ignore files that apply to ``root`` from above it: info/exclude and the .gitignore of each folder from
    the repository root down to (not including) ``root``; none outside a repository."""
    top = _git_root(root)
    if top is None:
        return []
    out = []
    info = top / ".git" / "info" / "exclude"
    if info.is_file():
        found = _read_ignore(info, top, ".git/info/exclude")
        if found:
            out.append(found)
    chain = [root, *root.parents]
    for folder in reversed(chain[1 : chain.index(top) + 1]):
        ignore = folder / IGNORE_FILE
        if ignore.is_file():
            found = _read_ignore(ignore, folder, shown(ignore))
            if found:
                out.append(found)
    return out


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _ignored(ignores: Sequence[_Ignore], path: Path, is_dir: bool) -> str | None:
    """The last ignore line deciding ``path`` (deeper files and later lines win), if it ignores it."""
    verdict: tuple[bool, str] | None = None
    for ignore in ignores:
        hit = ignore.check(path, is_dir)
        if hit is not None:
            verdict = hit
    return verdict[1] if verdict and verdict[0] else None


def walk(folder: str, extensions: Iterable[str], rules: Rules | None = None, notice: Notice | None = None) -> list[str]:
    """The documents under ``folder`` (named as ``folder/…``), sorted, by the rules above; ``notice`` hears each
    file read and each path skipped with the rule that skipped it."""
    rules = rules or Rules()
    exts = {e.lower() for e in extensions}
    root = Path(folder)
    absroot = Path(os.path.abspath(folder))
    ignores = _inherited(absroot) if rules.gitignore else []
    seen: set[str] = set()
    found: list[str] = []

    def tell(path: Path, why: str | None) -> None:
        if notice is not None:
            notice(str(path) + ("/" if why is not None and path.is_dir() else ""), why)

    def visit(here: Path, rel: str, inherited: list[_Ignore]) -> None:
        real = os.path.realpath(here)
        if real in seen:
            tell(here, "a link to a folder already walked")
            return
        seen.add(real)
        local = list(inherited)
        abshere = absroot / rel if rel else absroot
        if rules.gitignore and (here / IGNORE_FILE).is_file():
            own = _read_ignore(here / IGNORE_FILE, abshere, shown(here / IGNORE_FILE))
            if own is not None:
                local.append(own)
        try:
            names = sorted(os.listdir(here))
        except OSError as exc:
            tell(here, f"cannot list it: {exc.strerror or exc}")
            return
        for name in names:
            path = here / name
            sub = f"{rel}/{name}" if rel else name
            is_dir = path.is_dir()
            why = _skipped(name, sub, is_dir, rules, local, abshere / name)
            if why is not None:
                tell(path, why)
            elif is_dir:
                visit(path, sub, local)
            elif not path.is_file():
                tell(path, "not a regular file (a broken link?)" if path.is_symlink() else "not a regular file")
            elif path.suffix.lower() not in exts:
                tell(path, "not a document (its extension)")
            elif not rules.included(sub):
                tell(path, f"not matched by --include {' '.join(repr(p) for p in rules.include)}")
            else:
                tell(path, None)
                found.append(str(path))

    visit(root, "", ignores)
    return found


def _skipped(name: str, rel: str, is_dir: bool, rules: Rules, ignores: Sequence[_Ignore], path: Path) -> str | None:
    if name.startswith("."):
        return "hidden"
    if is_dir and name in DEFAULT_EXCLUDES:
        return f"default exclude: {name}"
    by = rules.excluded(rel + "/" if is_dir else rel)
    if by is not None:
        return by
    if rules.gitignore:
        return _ignored(ignores, path, is_dir)
    return None


def matches(pattern: str, rules: Rules | None = None, notice: Notice | None = None) -> list[str]:
    """The files a glob matches (``**`` recursive, as ``glob.glob``), sorted, less what ``--exclude`` names and
    ``--include`` leaves out (matched against the path as the glob gives it).  ``**`` follows a symlinked folder once
    per real folder (``glob.glob`` would follow a link loop some forty levels deep, once per loop: exponential)."""
    rules = rules or Rules()
    found = _globbed(pattern) if "**" in pattern else glob.glob(pattern)
    out = []
    for path in sorted(p for p in found if os.path.isfile(p)):
        rel = Path(path).as_posix().removeprefix("./")
        why = rules.excluded(rel) or (None if rules.included(rel) else f"not matched by --include {' '.join(repr(p) for p in rules.include)}")
        if notice is not None and why is not None:
            notice(path, why)
        if why is None:
            out.append(path)
    return out


def _globbed(pattern: str) -> list[str]:
    """``glob.glob(pattern, recursive=True)`` without following a folder twice: the literal folders first, then a
    walk matching each name segment by segment (wildcards skip dot-names, as glob's do)."""
    parts = pattern.split("/") if os.sep == "/" else pattern.replace(os.sep, "/").split("/")
    k = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    prefix = "/".join(parts[:k])
    start = prefix if prefix else "."
    if prefix == "" and pattern.startswith("/"):
        start = "/"
    if not os.path.isdir(start):
        return []
    rest = parts[k:]
    out: list[str] = []
    seen: set[str] = set()

    def visit(folder: str, names: list[str]) -> None:
        real = os.path.realpath(folder)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.listdir(folder))
        except OSError:
            return
        for name in entries:
            path = os.path.join(folder, name) if folder != "." or prefix else name
            here = [*names, name]
            if _segments(rest, here) and os.path.isfile(path):
                out.append(path)
            if os.path.isdir(path) and _could(rest, here):
                visit(path, here)

    visit(start, [])
    return out


def _segment(part: str, name: str) -> bool:
    if name.startswith(".") and not part.startswith("."):
        return False  # as glob: a wildcard does not match a hidden name
    return fnmatch.fnmatchcase(name, part) if glob.has_magic(part) else name == part


def _segments(parts: Sequence[str], names: Sequence[str]) -> bool:
    """Do the names of a path match the pattern's segments (``**``: any number of folders, none hidden)?"""
    if not parts:
        return not names
    if parts[0] == "**":
        if _segments(parts[1:], names):
            return True
        return bool(names) and not names[0].startswith(".") and _segments(parts, names[1:])
    return bool(names) and _segment(parts[0], names[0]) and _segments(parts[1:], names[1:])


def _could(parts: Sequence[str], names: Sequence[str]) -> bool:
    """Could a path below these folder names still match (is the walk worth going on)?"""
    if not names:
        return True
    if not parts:
        return False
    if parts[0] == "**":
        return _could(parts[1:], names) or (not names[0].startswith(".") and _could(parts, names[1:]))
    return _segment(parts[0], names[0]) and _could(parts[1:], names[1:])
