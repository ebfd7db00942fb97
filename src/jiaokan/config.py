"""Settings shared by every command: defaults, then a configuration file, then flags.

The file is ``jiaokan.toml`` (keys at the top level) or the ``[tool.jiaokan]``
table of ``pyproject.toml``, found as ruff and black find theirs: in the
current folder or the nearest parent, stopping at the repository root.  It is
data (``tomllib``), never evaluated.  Every effective value remembers where it
came from, so ``--show-config`` can say.  One :class:`Settings` is read by every
command (black's model): each command uses the fields in :data:`USES`, and a
key it does not use is still validated, so a typo is an error everywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from jiaokan.errors import InputError
from jiaokan.findings import ALL_CODES, SUBSTANTIVE_CODES, Code
from jiaokan.tomlfile import read_toml

if TYPE_CHECKING:  # extract and normalize are imported where a setting needs them: --version and --help stay light
    from jiaokan.extract import SiteProfile

FailOn = Literal["substantive", "any", "none"]
FAIL_ON: tuple[FailOn, ...] = get_args(FailOn)
Command = Literal["normalize", "diff", "check", "trace", "collate", "scan", "review", "watch"]
FLAG = "the command line"  # where a value given by a flag comes from
BASELINE_NAME = "jiaokan-accepted.toml"
CONFIG_NAMES = ("jiaokan.toml", "pyproject.toml")


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run does; passed by keyword through the stages, the same object for every command."""

    fail_on: FailOn = "substantive"  # fail on findings at or above: substantive | any | none
    rules: str = "all"  # normalization rules, as for --rules
    framing_patterns: tuple[str, ...] = ()  # regular expressions matching a site's own paragraphs in full
    substantive_codes: tuple[Code, ...] = SUBSTANTIVE_CODES
    baseline: str | None = None  # accepted variants file; None: jiaokan-accepted.toml beside the config, if present
    include_cosmetic: bool = False  # list cosmetic findings in reports (always listed with fail-on any)
    sites: tuple[SiteProfile, ...] = ()  # where sites keep a page's body (CSS selectors); else the extractor finds it
    exclude: tuple[str, ...] = ()  # globs (gitignore syntax) a folder walk skips, besides the defaults (docs/discover.md)
    include: tuple[str, ...] = ()  # globs a walked or globbed file must match to be read (none: every document)


# the settings each command reads; the others are validated and shown as not used
_COMPARE = frozenset({"rules", "framing_patterns", "substantive_codes", "sites"})
_FILES = frozenset({"exclude", "include"})  # which files folders and globs name
USES: dict[Command, frozenset[str]] = {
    "normalize": frozenset({"rules"}),
    "diff": _COMPARE | {"include_cosmetic"},
    "check": frozenset(f.name for f in fields(Settings)),
    "trace": frozenset({"rules", "framing_patterns", "sites"}),  # a site's own paragraphs are no quotation, nor sourced
    "collate": _COMPARE | _FILES,
    "scan": _COMPARE | _FILES,
    "review": _COMPARE | _FILES,
    "watch": _COMPARE,  # a copy's status is fixed by the substantive codes; accepted variants are each base's own file
}

# file key -> settings field
_KEYS = {
    "fail-on": "fail_on",
    "rules": "rules",
    "framing-patterns": "framing_patterns",
    "substantive-codes": "substantive_codes",
    "extend-substantive-codes": "substantive_codes",
    "baseline": "baseline",
    "include-cosmetic": "include_cosmetic",
    "sites": "sites",
    "exclude": "exclude",
    "include": "include",
}
SITE_KEYS = ("host", "pattern", "body")


@dataclass(frozen=True, slots=True)
class ConfigFile:
    path: Path
    table: dict[str, object]

    @property
    def label(self) -> str:
        return f"{self.path} [tool.jiaokan]" if self.path.name == "pyproject.toml" else str(self.path)


@dataclass(frozen=True, slots=True)
class Effective:
    """The settings in force, where each came from, and the project root."""

    settings: Settings
    sources: dict[str, str] = field(default_factory=dict)  # settings field -> "default" | file label | "command line"
    config: ConfigFile | None = None
    root: Path = Path(".")
    command: Command = "check"


def load(command: Command, *, config: Path | None = None, flags: Mapping[str, object] | None = None, cwd: Path | None = None,
         search: bool = True) -> Effective:
    """What every command does first: the file named by ``--config`` (or, with ``search``, the nearest one found
    upward from the working folder), then the flags given; a flag the command does not take is a programming error."""
    start = cwd or Path.cwd()
    found = read_config(config) if config is not None else find_config(start) if search else None
    given = flags or {}
    stray = [k for k, v in given.items() if v is not None and k not in USES[command]]
    if stray:
        raise TypeError(f"{command} does not use the settings {stray}")
    return replace(resolve(found, given, cwd=start), command=command)


def find_config(start: Path) -> ConfigFile | None:
    """The nearest ``jiaokan.toml`` or ``pyproject.toml`` with ``[tool.jiaokan]``, up to the repository root."""
    folder = start.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                table = _read_table(candidate)
                if table is not None:
                    return ConfigFile(candidate, table)
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def read_config(path: Path) -> ConfigFile:
    """An explicitly named configuration file (``--config``)."""
    if path.is_dir():
        raise InputError(f"{path}: a folder, not a configuration file", "--config names a jiaokan.toml or pyproject.toml", f"e.g. --config {path / 'jiaokan.toml'}")
    if not path.is_file():
        raise InputError(f"{path}: no such configuration file", "--config names a file that does not exist", "check the path")
    table = _read_table(path)
    if table is None:
        raise InputError(f"{path}: no [tool.jiaokan] table", "a pyproject.toml given to --config must have one", "add [tool.jiaokan] or use a jiaokan.toml")
    return ConfigFile(path, table)


def _read_table(path: Path) -> dict[str, object] | None:
    try:
        _, data = read_toml(path, "configuration", "fix the file's syntax")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: cannot read the configuration", "it has gone", "check the path") from exc
    tool = data.get("tool", {})
    table = tool.get("jiaokan") if isinstance(tool, dict) else None
    if path.name == "pyproject.toml":
        return table if isinstance(table, dict) else None
    if set(data) == {"tool"} and isinstance(tool, dict) and isinstance(table, dict) and set(tool) == {"jiaokan"}:
        return table  # a jiaokan.toml written as --show-config prints it, under [tool.jiaokan]
    return data


def resolve(config: ConfigFile | None, overrides: Mapping[str, object], *, cwd: Path | None = None) -> Effective:
    """Defaults, then the file's values, then ``overrides`` (flags given on the command line)."""
    settings = Settings()
    sources = {f.name: "default" for f in fields(Settings)}
    root = (cwd or Path.cwd()) if config is None else config.path.parent
    if config is not None:
        values = _from_table(config)
        for key, value in values.items():
            settings = _with(settings, key, value)
        sources.update(dict.fromkeys(values, config.label))
    flags = {k: v for k, v in overrides.items() if v is not None}
    for key, value in flags.items():
        if key not in sources:
            raise TypeError(f"unknown setting {key}")
        _validate(key, value, FLAG)
        settings = _with(settings, key, value)
    sources.update(dict.fromkeys(flags, "command line"))
    return Effective(settings, sources, config, root)


def as_fail_on(value: object) -> FailOn:
    """A fail-on level (``ValueError`` for anything else)."""
    for level in FAIL_ON:
        if value == level:
            return level
    raise ValueError(f"{value!r} is not a fail-on level")


def _with(settings: Settings, name: str, value: object) -> Settings:
    """``settings`` with one field set from a value ``_validate`` accepted, typed as the field is."""
    if name == "fail_on":
        return replace(settings, fail_on=as_fail_on(value))
    if name in ("rules", "baseline"):
        assert isinstance(value, str)
        return replace(settings, rules=value) if name == "rules" else replace(settings, baseline=value)
    if name == "include_cosmetic":
        assert isinstance(value, bool)
        return replace(settings, include_cosmetic=value)
    if name == "framing_patterns":
        return replace(settings, framing_patterns=_strings(value))
    if name == "substantive_codes":
        return replace(settings, substantive_codes=tuple(Code(c) for c in _strings(value)))
    if name == "exclude":
        return replace(settings, exclude=_strings(value))
    if name == "include":
        return replace(settings, include=_strings(value))
    if name == "sites":
        from jiaokan.extract import SiteProfile

        assert isinstance(value, tuple) and all(isinstance(v, SiteProfile) for v in value)
        return replace(settings, sites=value)
    raise TypeError(f"unknown setting {name}")


def _from_table(config: ConfigFile) -> dict[str, object]:
    """The file's values by settings field, each checked by _validate."""
    where = config.label
    out: dict[str, object] = {}
    extend: list[str] = []
    for key, value in config.table.items():
        if key not in _KEYS:
            hint = f"; did you mean '{key.replace('_', '-')}'?" if key.replace("_", "-") in _KEYS else ""
            raise InputError(f"{where}: unknown key '{key}'{hint}", f"known keys are {', '.join(sorted(_KEYS))}", "remove or rename it")
        name = _KEYS[key]
        if name == "rules" and isinstance(value, list):
            value = ",".join(str(v) for v in value)
        if name in ("framing_patterns", "substantive_codes", "exclude", "include"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(f"{where}: '{key}' must be a list of strings", f"it is {value!r}", f'write e.g. {key} = ["…"]')
            value = tuple(value)
        if name == "sites":
            value = site_profiles(value, where)
        if key == "extend-substantive-codes":
            _validate(name, value, where)
            extend.extend(_strings(value))
            continue
        _validate(name, value, where)
        if name == "baseline":
            value = shown_path(config.path.parent / str(value))
        out[name] = value
    if extend:
        base = _strings(out.get("substantive_codes", SUBSTANTIVE_CODES))
        out["substantive_codes"] = tuple(dict.fromkeys([*base, *extend]))
    return out


def _validate(name: str, value: object, where: str) -> None:
    key = next(k for k, v in _KEYS.items() if v == name)
    if name == "fail_on" and value not in FAIL_ON:
        raise InputError(f"{where}: fail-on = {value!r} is not a level", f"it must be one of {', '.join(FAIL_ON)}", "choose one of them")
    if name in ("rules", "baseline") and not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string", f"it is {value!r}", f'write e.g. {key} = "…"')
    if name == "rules":
        from jiaokan.normalize import select_rules

        try:
            select_rules(str(value))
        except InputError as exc:
            if where == FLAG:
                raise  # --rules: the message names the rule, as before a configuration existed
            raise InputError(f"{where}: {key} = {value!r}: {exc.what}", exc.why, exc.fix) from exc
    if name == "include_cosmetic" and not isinstance(value, bool):
        raise InputError(f"{where}: '{key}' must be true or false", f"it is {value!r}", f"write {key} = true")
    if name == "substantive_codes":
        unknown = [c for c in _strings(value) if c not in ALL_CODES]
        if unknown:
            raise InputError(f"{where}: unknown finding code {unknown[0]!r}", "codes are listed in docs/findings.md", "use one of: " + ", ".join(ALL_CODES))
    if name in ("exclude", "include"):
        from jiaokan.discover import compiled

        try:
            compiled(_strings(value), f"--{key}" if where == FLAG else key)
        except InputError as exc:
            raise exc if where == FLAG else InputError(f"{where}: {exc.what}", exc.why, exc.fix) from exc
    if name == "framing_patterns":
        try:
            compile_framing(_strings(value))
        except InputError as exc:
            raise InputError(f"{where}: {key}: {exc.what}", exc.why, exc.fix) from exc


def site_profiles(value: object, where: str) -> tuple[SiteProfile, ...]:
    """``[[sites]]`` tables as profiles, each key checked, each selector compiled (a bad one: exit 2)."""
    from jiaokan.extract import SiteProfile, compiled_selector

    example = 'write e.g. [[tool.jiaokan.sites]] host = "www.gov.cn" body = ["#UCAP-CONTENT"]'
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(f"{where}: 'sites' must be a list of tables", f"it is {value!r}", example)
    out = []
    for k, table in enumerate(value, 1):
        here = f"{where}: sites #{k}"
        stray = sorted(set(table) - set(SITE_KEYS))
        if stray:
            raise InputError(f"{here}: unknown key '{stray[0]}'", f"a site profile's keys are {', '.join(SITE_KEYS)}", "remove or rename it")
        body = table.get("body")
        body = [body] if isinstance(body, str) else body
        if not isinstance(body, list) or not body or not all(isinstance(b, str) and b.strip() for b in body):
            raise InputError(f"{here}: 'body' must be a CSS selector or a list of them", f"it is {table.get('body')!r}", example)
        for key in ("host", "pattern"):
            if key in table and not (isinstance(table[key], str) and table[key]):
                raise InputError(f"{here}: '{key}' must be a non-empty string", f"it is {table[key]!r}", example)
        pattern = table.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError(f"{here}: pattern {pattern!r} is not a valid regular expression", str(exc), "fix it (Python re syntax)") from exc
            if nested_repetition(pattern):
                raise InputError(f"{here}: pattern {pattern!r} repeats a repetition", "it can take exponential time", "write it without the nested repetition")
        for selector in body:
            try:
                compiled_selector(selector)
            except InputError as exc:
                raise InputError(f"{here}: {exc.what}", exc.why, exc.fix) from exc
        out.append(SiteProfile(tuple(body), table.get("host"), pattern))
    return tuple(out)


def _strings(value: object) -> tuple[str, ...]:
    """A list of strings from a file or the command line (already checked to be one)."""
    assert isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    return tuple(value)


def show(effective: Effective, notes: Mapping[str, str] | None = None) -> str:
    """The effective settings a command uses, as TOML, each with where it came from; ``notes`` (by file key) say
    what a command's own flags do to a setting (``--no-baseline``, review's ``--fail-on``)."""
    notes = notes or {}
    import tomli_w

    s = effective.settings
    uses = USES[effective.command]
    values = {
        "fail-on": s.fail_on,
        "rules": s.rules,
        "framing-patterns": list(s.framing_patterns),
        "substantive-codes": list(s.substantive_codes),
        "baseline": s.baseline if s.baseline is not None else str(default_baseline(effective.root)),
        "include-cosmetic": s.include_cosmetic,
        "exclude": list(s.exclude),
        "include": list(s.include),
        "sites": [{k: v for k, v in (("host", p.host), ("pattern", p.pattern), ("body", list(p.body))) if v is not None} for p in s.sites],
    }
    head = [
        f"# jiaokan {effective.command}: effective settings",
        f"# configuration file: {effective.config.label if effective.config else 'none found'}",
    ]
    unused = [key + (f" ({notes[key]})" if key in notes else "") for key in values if _KEYS[key] not in uses]
    if unused:
        head.append(f"# not used by {effective.command}: {', '.join(unused)}")
    lines = []
    for key, value in values.items():
        name = _KEYS[key]
        if name not in uses:
            continue
        source = effective.sources[name]
        if name == "baseline" and s.baseline is None:
            source += ", used when present" if not default_baseline(effective.root).exists() else ""
        lines.append(f"# {key}: from {source}" + (f"; {notes[key]}" if key in notes else ""))
        lines.append(_inline(key, value) if key == "sites" else tomli_w.dumps({key: value}).rstrip("\n"))
    return "\n".join(head) + "\n\n[tool.jiaokan]\n" + "\n".join(lines) + "\n"


def _inline(key: str, tables: object) -> str:
    """An array of tables as one TOML line of inline tables (it stays under the [tool.jiaokan] header)."""
    import tomli_w

    assert isinstance(tables, list)
    def value(v: object) -> str:
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return tomli_w.dumps({"v": v}).rstrip("\n").removeprefix("v = ")

    items = ("{ " + ", ".join(f"{k} = {value(v)}" for k, v in t.items()) + " }" for t in tables)
    return f"{key} = [{', '.join(items)}]"


def cache_dir() -> Path:
    """Where jiaokan keeps what it can fetch or compute again (pages read from URLs, compiled patterns):
    ``JIAOKAN_CACHE``, else ``$XDG_CACHE_HOME/jiaokan``, else ``~/.cache/jiaokan``."""
    given = os.environ.get("JIAOKAN_CACHE")
    if given:
        return Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is ignored
        return Path(xdg) / "jiaokan"
    return Path.home() / ".cache" / "jiaokan"


def default_baseline(root: Path) -> Path:
    return Path(shown_path(root / BASELINE_NAME))


def shown_path(path: Path) -> str:
    """A path as a person would type it: relative to the current folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() and path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except ValueError:  # another drive
        return str(path)


@lru_cache(maxsize=32)
def compile_framing(patterns: tuple[str, ...]) -> Callable[[str], bool] | None:
    """A test "does one of the patterns match this whole paragraph"; a bad pattern is an input error.

    Each is compiled on its own, so its flags, group names and backreferences are its own.
    """
    if not patterns:
        return None
    compiled = []
    for p in patterns:
        try:
            compiled.append(re.compile(p))
        except re.error as exc:
            raise InputError(f"framing pattern {p!r} is not a valid regular expression", str(exc), "fix it in the configuration (Python re syntax)") from exc
        if nested_repetition(p):
            raise InputError(
                f"framing pattern {p!r} repeats a repetition",
                "a group holding an unbounded quantifier is itself repeated without bound (like (\\w+\\s?)+), which can take "
                "exponential time on a paragraph that almost matches",
                "write it without the nested repetition, e.g. ^[\\w\\s]+$ for ^(\\w+\\s?)+$",
            )
    return lambda paragraph: any(c.fullmatch(paragraph) for c in compiled)


def nested_repetition(pattern: str) -> bool:
    """Does ``pattern`` hold a group with an unbounded quantifier (``*``, ``+``, ``{n,}``) that is itself
    quantified without bound?  A conservative check over the pattern's text (no private ``re`` API): it
    may refuse a safe pattern (an atomic group, a possessive quantifier), never passes ``(a+)+``."""
    stack: list[bool] = []  # per open group: does it hold an unbounded quantifier?
    last_group = False  # the atom just closed is a group holding one
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        atom_group = False
        if c == "\\":
            i += 2
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
        elif c == "(":
            stack.append(False)
            i += 1
        elif c == ")":
            atom_group = stack.pop() if stack else False
            i += 1
        elif c in "*+{":
            unbounded = c != "{"
            j = i + 1
            if c == "{":
                m = re.match(r"\{(\d*)(,?)(\d*)\}", pattern[i:])
                if not m:
                    i += 1
                    last_group = False
                    continue
                unbounded = bool(m.group(2)) and not m.group(3)
                j = i + m.end()
            if unbounded:
                if last_group:
                    return True
                if stack:
                    stack[-1] = True
            i = j
            if i < n and pattern[i] in "?+":
                i += 1
            last_group = False
            continue
        else:
            i += 1
        if atom_group and stack:
            stack[-1] = True  # the enclosing group holds it too
        last_group = atom_group
    return False
