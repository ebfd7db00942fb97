"""Command-line adapter: parse arguments, call the library, render, exit.

Exit codes are a contract (as in black): 0 clean, 1 findings, 2 usage or
input error, 123 internal error.  Errors are one line on stderr; a traceback
only with ``--debug``.
"""

from __future__ import annotations

import itertools
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from jiaokan import __version__
from jiaokan.characters import one_line
from jiaokan.config import FAIL_ON, USES, Command, Effective, Settings, as_fail_on
from jiaokan.errors import InputError
from jiaokan.formats import default as default_format

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from jiaokan.formats import View
    from jiaokan.ingest import DocxRevisions
    from jiaokan.scan import Item

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 123

app = typer.Typer(
    name="jiaokan",
    help="校勘 jiaokan — collate reprints of Chinese official documents.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, object] = {"debug": False, "interrupted": None}
EXIT_INTERRUPTED, EXIT_PIPE = 130, 141  # as a shell reports a process ended by SIGINT or SIGPIPE


class _StdoutGone(Exception):
    """The reader of standard output went away (``| head``): the run ends quietly, exit 141."""


def _on_interrupt(message: str | Callable[[], str]) -> None:
    """What the Ctrl-C line says was kept (a string, or a function asked at that moment)."""
    _state["interrupted"] = message


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jiaokan {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _root(
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """校勘 jiaokan — collate reprints of Chinese official documents."""
    _state["debug"] = bool(_state["debug"]) or debug


def _fail(exc: BaseException) -> None:
    if _state["debug"]:
        traceback.print_exc()
    if isinstance(exc, InputError):
        typer.echo(f"jiaokan: error: {one_line(str(exc))}", err=True)
        raise typer.Exit(EXIT_ERROR)
    typer.echo(_internal(exc), err=True)
    raise typer.Exit(EXIT_INTERNAL)


def _internal(exc: BaseException) -> str:
    """The one line of an internal error (exit 123), wherever it is caught."""
    return (f"jiaokan: internal error: {type(exc).__name__}: {one_line(str(exc))}; this is a bug in jiaokan — "
            "please report it with the input and the output of --debug")


@contextmanager
def _mapped_errors() -> Iterator[None]:
    """Every command's body: an InputError is one line and exit 2, anything else exit 123 (typer.Exit passes)."""
    try:
        yield
    except (typer.Exit, _StdoutGone):
        raise
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)


def _stdin_once(*paths: str | None) -> None:
    """Standard input can be read once: at most one of the documents may be -; and it must be open."""
    if paths.count("-") > 1:
        raise InputError("standard input given twice", "only one of the documents can be read from -", "save the others to files")
    if "-" in paths and sys.stdin is None:
        raise InputError("standard input: cannot read", "it is closed", "pipe the document in, or name its file instead of -")


def _guard(output: Path | None, inputs: list[tuple[str, str]], *, folders: list[str] | None = None, option: str = "-o") -> None:
    """Before any work: refuse an output that is an input, lies in a scanned folder, or is not a regular file."""
    if output is None:
        return
    from jiaokan.atomic import check_output
    from jiaokan.ingest import EXTENSIONS

    check_output(output, inputs, folders=folders or [], extensions=EXTENSIONS, option=option)


def _expanded(patterns: list[str], role: str, base: str | None = None, settings: Settings | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """The (role, path) pairs and the folders that patterns of documents name (for _guard)."""
    from jiaokan.check import expand
    from jiaokan.discover import rules_of

    pairs = [(role, p) for p, error in expand(patterns, base=base, rules=rules_of(settings)) if error is None]
    return pairs, [p for p in patterns if p != "-" and os.path.isdir(p)]


def _list_files(verbose: bool, patterns: Sequence[str], settings: Settings, base: str | None = None) -> None:
    """--verbose: each file the folders and globs give, and each path skipped with the rule that skipped it, on stderr."""
    if not verbose:
        return
    from jiaokan.check import expand
    from jiaokan.discover import rules_of

    def notice(path: str, why: str | None) -> None:
        typer.echo(f"jiaokan: {'read' if why is None else 'skip'} {one_line(path)}" + (f" ({one_line(why)})" if why else ""), err=True)

    expand(patterns, base=base, rules=rules_of(settings), notice=notice)


def _silence_stdout() -> None:
    """After standard output failed: point it at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


def _escape_errors() -> str:
    """A codec error handler writing what an encoding cannot show as \\uXXXX (surrogate pairs past U+FFFF): readable,
    and a JSON document stays valid JSON with the same value."""
    import codecs

    def escape(exc: UnicodeError) -> tuple[str, int]:
        assert isinstance(exc, UnicodeEncodeError)
        out = []
        for ch in exc.object[exc.start:exc.end]:
            o = ord(ch)
            if o > 0xFFFF:
                o -= 0x10000
                out.append(f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}")
            else:
                out.append(f"\\u{o:04x}")
        return "".join(out), exc.end

    codecs.register_error("jiaokan-escape", escape)
    return "jiaokan-escape"


@contextmanager
def _stdout_failures() -> Iterator[None]:
    """A write to standard output: a closed pipe is a quiet end (exit 141), any other failure one line (exit 2)."""
    try:
        yield
    except BrokenPipeError as exc:
        _silence_stdout()
        raise _StdoutGone from exc
    except OSError as exc:
        from jiaokan.atomic import why_not

        _silence_stdout()
        raise InputError("standard output: cannot write", why_not(exc), "free some space, or write to a file with -o") from exc


def _stdout_write(text: str) -> None:
    """Write to standard output; its failures are one line (exit 2), a closed pipe a quiet end (exit 141)."""
    out = sys.stdout
    if out is None:
        raise InputError("standard output: cannot write", "it is closed", "run without >&-, or write to a file with -o")
    with _stdout_failures():
        try:
            out.write(text)
        except UnicodeEncodeError:
            encoding = out.encoding or "ascii"
            if not _state.get("noted"):
                _state["noted"] = True
                sys.stderr.write(f"jiaokan: note: standard output is {encoding}, which cannot show all of this text; the rest is "
                                 "written as \\uXXXX escapes; set PYTHONIOENCODING=utf-8 (or a UTF-8 locale), or write a UTF-8 file with -o\n")
            out.write(text.encode(encoding, _escape_errors()).decode(encoding))
        out.flush()


def write_output(text: str | bytes, output: Path | None) -> None:
    """stdout (also for -o - and -o /dev/stdout), or a file written atomically (temporary file + rename); bytes (a
    docx) never to a terminal."""
    from jiaokan.atomic import is_stdout, write_atomic

    if is_stdout(output) and isinstance(text, bytes):
        _stdout_write_bytes(text)
        return
    if is_stdout(output):
        assert isinstance(text, str)
        _stdout_write(text)
        return
    assert output is not None
    write_atomic(output, text)


def _stdout_write_bytes(data: bytes) -> None:
    """A binary format on standard output: refused on a terminal (it would print a zip file), else written as is."""
    out = sys.stdout
    if out is None:
        raise InputError("standard output: cannot write", "it is closed", "write to a file with -o")
    if out.isatty():
        raise InputError("--format docx: will not write a Word file to a terminal", "it is a binary file", "write it to a file with -o redline.docx, or redirect standard output")
    with _stdout_failures():
        out.flush()
        out.buffer.write(data)
        out.buffer.flush()


PIPED_WIDTH = 100  # the text report's width when stdout is not a terminal and COLUMNS is not set: stable in files


def _is_stdout(output: Path | None) -> bool:
    from jiaokan.atomic import is_stdout

    return is_stdout(output)


def _interrupted_keeps(output: Path | None) -> None:
    _on_interrupt("interrupted; nothing was written" if _is_stdout(output) else f"interrupted; {output} was not changed")


def use_color(output: Path | None = None) -> bool:
    """Colour on stdout when it is a terminal, or when FORCE_COLOR is set (a CI log); never with NO_COLOR, on a
    dumb terminal (unless forced), or in a file written with -o."""
    from jiaokan.atomic import is_stdout

    if not is_stdout(output):
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout is not None and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def report_width(output: Path | None = None) -> int:
    """The text report's width: the terminal's (rich's detection, which honours COLUMNS) when stdout is one;
    otherwise COLUMNS if set, else PIPED_WIDTH, so that piped output and files do not depend on a window."""
    columns = os.environ.get("COLUMNS", "")
    from jiaokan.atomic import is_stdout

    to_stdout = is_stdout(output)
    if to_stdout and sys.stdout is not None and sys.stdout.isatty():
        from rich.console import Console

        return max(40, Console(file=sys.stdout).width)
    if columns.isdigit() and int(columns) > 0:
        return max(40, int(columns))
    return PIPED_WIDTH


# ---------------------------------------------------------------- what every command shares

CONFIG_HELP = "Read settings from this jiaokan.toml or pyproject.toml instead of searching upward from the working folder."
ConfigOpt = Annotated[Path | None, typer.Option("--config", metavar="FILE", help=CONFIG_HELP, show_default=False)]
ShowConfigOpt = Annotated[bool, typer.Option("--show-config", help="Print the settings this command would use and where each comes from, and exit.")]
RulesOpt = Annotated[str | None, typer.Option("--rules", metavar="RULES", help=("Normalization rules, comma-separated: 'all' (default), 'ruby,script', "
        "'all,-layout'; see 'jiaokan normalize --list-rules'."), show_default=False)]
DocxOriginalOpt = Annotated[bool, typer.Option("--docx-original", help=("Read Word files' tracked changes as the original text (insertions left out, "
        "deletions kept) instead of the accepted text; docs/word.md."))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically) instead of stdout.", show_default=False)]
ExcludeOpt = Annotated[list[str] | None, typer.Option("--exclude", metavar="GLOB", help=("Skip what this glob names when walking a folder or "
        "expanding a glob (gitignore syntax, repeatable; replaces the configured exclude); docs/discover.md."), show_default=False)]
IncludeOpt = Annotated[list[str] | None, typer.Option("--include", metavar="GLOB", help=("Read only the documents this glob names from folders and "
        "globs (repeatable; replaces the configured include)."), show_default=False)]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="List on stderr each file read from folders and globs, and each skipped with the rule that skipped it.")]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Read URLs from the cache only, never the network; a URL not fetched before is an error (docs/web.md).")]


def _reading(offline: bool) -> None:
    """How documents are read is the process's policy (jiaokan.web): --offline sets it for the run and its workers."""
    if offline:
        from jiaokan.web import go_offline

        go_offline()


class _Command(TyperCommand):
    """Help as a reader wants it: argument names and what they are, not the types the code gives them."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(param.metavar or (param.name or "").upper())  # optional only so that --show-config runs alone
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args = [(p.metavar or (p.name or "").upper(), p.help or "") for p in self.get_params(ctx) if isinstance(p, TyperArgument)]
        opts = [rv for p in self.get_params(ctx) if isinstance(p, TyperOption) and (rv := p.get_help_record(ctx)) is not None]
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)


def _format_option(command: Command) -> object:
    """``--format``: the formats the command declares in the registry; any other is a usage error naming them."""
    from jiaokan.formats import described, output

    def check(value: str) -> str:
        try:
            output(command, value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        return value

    return typer.Option("--format", "-f", metavar="FORMAT", callback=check, help=described(command) + ".", show_default=True)


def _choice(values: tuple[str, ...], what: str) -> Callable[[str | None], str | None]:
    """A closed set of words for an option: anything else is a usage error that lists them."""

    def check(value: str | None) -> str | None:
        if value is not None and value not in values:
            raise typer.BadParameter(f"'{value}' is not {what}; use one of: {', '.join(values)}")
        return value

    return check


FLAG_SETTINGS = {"rules": "rules", "include_cosmetic": "include_cosmetic", "fail_on": "fail_on", "baseline": "baseline", "exclude": "exclude",
                 "include": "include"}  # flag -> field


def flag_settings(command: Command, params: Mapping[str, object]) -> dict[str, object]:
    """The settings a command's flags give (those it uses, as given), from its parsed parameters: one mapping
    for the commands and for the golden cases' ``# flags:``."""

    out: dict[str, object] = {}
    for name, field in FLAG_SETTINGS.items():
        value = params.get(name)
        if value is not None and value != [] and field in USES[command]:  # a repeatable option not given is []
            out[field] = str(value) if isinstance(value, Path) else value
    return out


def _count_of(what: str) -> Callable[[str], int]:
    """A positive whole number for an option: anything else is a usage error saying so (not a parser's wording)."""

    def parse(value: str) -> int:
        if not value.isdigit() or int(value) < 1:
            raise typer.BadParameter(f"'{value}' is not a number of {what}; use a whole number, 1 or more")
        return int(value)

    return parse


def _effective(command: Command, config: Path | None, show_config: bool, output: Path | None, *, notes: Mapping[str, str] | None = None,
               **params: object) -> Effective:
    """Every command's settings: defaults < configuration file < flags. With --show-config: print them (``notes``:
    what the command's own flags do to them) and exit 0."""
    from jiaokan import config as cfg

    effective = cfg.load(command, config=config, flags=flag_settings(command, params))
    if show_config:
        _guard(output, _aux(effective))
        write_output(cfg.show(effective, notes), output)
        raise typer.Exit(EXIT_CLEAN)
    return effective


def _aux(effective: Effective) -> list[tuple[str, str]]:
    return [("configuration", str(effective.config.path))] if effective.config is not None else []


def _needs(command: str, example: str, **given: object) -> None:
    """The documents a command needs (arguments are optional so that --show-config works alone)."""
    missing = [name for name, value in given.items() if value is None or value == []]
    if missing:
        names = " and ".join(missing)
        raise InputError(f"{command} needs {names}", f"{names} {'is' if len(missing) == 1 else 'are'} missing", f"e.g. jiaokan {command} {example}")


def _revisions(docx_original: bool) -> DocxRevisions:
    """How the documents' tracked changes read: ``--docx-original`` asks for the text before them."""
    return "original" if docx_original else "accepted"


def _view(output: Path | None, **options: bool) -> View:
    from jiaokan.formats import View

    return View(color=use_color(output), width=report_width(output), **options)


def settings_from_flags(command: Command, flags: Sequence[str]) -> Settings:
    """The settings the command would run with for these flags, parsed by the command's own parser (as black's
    ``# flags:`` in its test cases): the golden cases give their options this way."""
    group = command_group()
    cmd = group.get_command(typer.Context(group), command)
    assert cmd is not None
    params = cmd.make_context(command, list(flags)).params  # a flag the command does not know is an error here too
    from jiaokan import config as cfg

    config = params.get("config")
    assert config is None or isinstance(config, Path)
    return cfg.load(command, config=config, flags=flag_settings(command, params), search=False).settings


# ---------------------------------------------------------------- commands


@app.command("normalize", cls=_Command)
def normalize_cmd(
    file: Annotated[str | None, typer.Argument(metavar="FILE", help="Document to normalize (.txt .md .html .docx .pdf .ofd; .doc .wps with LibreOffice; a URL; "
                                                "or - for stdin).", show_default=False)] = None,
    rules: RulesOpt = None,
    show_map: Annotated[bool, typer.Option("--show-map", help="Under each paragraph, list what normalization changed and where in the original.")] = False,
    fmt: Annotated[str, _format_option("normalize")] = default_format("normalize"),
    output: OutputOpt = None,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="List the normalization rules and exit.")] = False,
    docx_original: DocxOriginalOpt = False,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
) -> None:
    """Print the normalized paragraphs with their original line numbers: exactly what will be compared."""
    from jiaokan import formats, render
    from jiaokan.ingest import read_document
    from jiaokan.normalize import RULES, normalize

    with _mapped_errors():
        _reading(offline)
        if list_rules:
            write_output(render.rules_text(RULES), None)
            return
        settings = _effective("normalize", config, show_config, output, rules=rules).settings
        _needs("normalize", "official.txt", FILE=file)
        assert file is not None
        _stdin_once(file)
        _guard(output, [("FILE", file)])
        _interrupted_keeps(output)
        result = normalize(read_document(file, docx_revisions=_revisions(docx_original)), rules=settings.rules)
        write_output(formats.render("normalize", fmt, result, _view(output, show_map=show_map)), output)


@app.command("diff", cls=_Command)
def diff_cmd(
    base: Annotated[str | None, typer.Argument(metavar="BASE", help="The base text (the official copy).", show_default=False)] = None,
    witness: Annotated[str | None, typer.Argument(metavar="WITNESS", help="The copy to check against it.", show_default=False)] = None,
    fmt: Annotated[str, _format_option("diff")] = default_format("diff"),
    include_cosmetic: Annotated[bool | None, typer.Option("--include-cosmetic/--no-include-cosmetic", help=("List cosmetic differences too (script, punctuation, ruby ...); they are always "
            "counted. Default: no, or as configured."), show_default=False)] = None,
    rules: RulesOpt = None,
    output: OutputOpt = None,
    stat: Annotated[bool, typer.Option("--stat", help="Print only the summary (the counts by code), not the findings.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the verdict line; the exit code says the same.")] = False,
    docx_original: DocxOriginalOpt = False,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
) -> None:
    """Compare WITNESS with BASE: wording drift, omissions, additions, moves. Exit 1 when substantive findings."""
    from jiaokan import formats
    from jiaokan.diff import diff_prepared
    from jiaokan.prepare import prepare_file

    with _mapped_errors():
        _reading(offline)
        effective = _effective("diff", config, show_config, output, rules=rules, include_cosmetic=include_cosmetic)
        settings = effective.settings
        _needs("diff", "official.txt copy.html", BASE=base, WITNESS=witness)
        assert base is not None and witness is not None
        _stdin_once(base, witness)
        _guard(output, [("BASE", base), ("WITNESS", witness), *_aux(effective)])
        _interrupted_keeps(output)
        revisions = _revisions(docx_original)
        result = diff_prepared(prepare_file(base, settings=settings, docx_revisions=revisions), prepare_file(witness, settings=settings, docx_revisions=revisions), settings=settings)
        view = _view(output, stat=stat, quiet=quiet)
        write_output(formats.render("diff", fmt, result, view), output)
    raise typer.Exit(EXIT_FINDINGS if result.summary.substantive else EXIT_CLEAN)


@app.command("check", cls=_Command)
def check_cmd(
    base: Annotated[str | None, typer.Argument(metavar="BASE", help="The official text.", show_default=False)] = None,
    witnesses: Annotated[list[str] | None, typer.Argument(metavar="WITNESS...", help="Republished copies: files, folders, globs such as 'site/**/*.html' (quoted).", show_default=False)] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", metavar="LEVEL", callback=_choice(FAIL_ON, "a level"), help=("Fail on findings at or above this level that are not accepted: "
            "substantive (default), any, none."), show_default=False)] = None,
    fmt: Annotated[str, _format_option("check")] = default_format("check"),
    baseline: Annotated[Path | None, typer.Option("--baseline", metavar="FILE", help=("Accepted variants file (default: jiaokan-accepted.toml beside the "
            "configuration, when present)."), show_default=False)] = None,
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help="Ignore any accepted variants file.")] = False,
    write_baseline: Annotated[Path | None, typer.Option("--write-baseline", metavar="FILE", help=("Record today's failing findings as accepted in this file "
            "(reasons kept), then report."), show_default=False)] = None,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
    rules: RulesOpt = None,
    include_cosmetic: Annotated[bool | None, typer.Option("--include-cosmetic/--no-include-cosmetic", help=("List cosmetic differences too (default: no, or as "
            "configured)."), show_default=False)] = None,
    output: OutputOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Text format: print only the verdict line.")] = False,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="Pass when no witness is left to check (the base given as the only witness, as a pre-commit hook may); default: exit 2.")] = False,
    base_opt: Annotated[str | None, typer.Option("--base", metavar="PATH", help="The official text; then every argument is a WITNESS (as pre-commit passes them).", show_default=False)] = None,
    require_base: Annotated[bool, typer.Option("--require-base", help="Fail (exit 2) unless --base is given: the pre-commit hook never takes a changed file for the base.")] = False,
    docx_original: DocxOriginalOpt = False,
    exclude: ExcludeOpt = None,
    include: IncludeOpt = None,
    verbose: VerboseOpt = False,
    workers: Annotated[int | None, typer.Option("--workers", metavar="N", help="Processes diffing witnesses at once (default: the machine's cores); the report is the same for any N.",
                                                    show_default=False, parser=_count_of("workers"))] = None,
) -> None:
    """Check WITNESSES against BASE for CI: exit 0 clean, 1 new drift, 2 a usage or input error."""
    from jiaokan import baseline as bl
    from jiaokan import config as cfg
    from jiaokan import formats, render
    from jiaokan.atomic import write_atomic
    from jiaokan.check import apply_baseline, baseline_entries, check
    from jiaokan.ingest import read_document

    with _mapped_errors():
        _reading(offline)
        base, witnesses = _base_option(base_opt, require_base, base, witnesses or [])
        notes = {"baseline": "not read: --no-baseline"} if no_baseline else {}
        effective = _effective("check", config, show_config, output, notes=notes, fail_on=fail_on, rules=rules, baseline=baseline, include_cosmetic=include_cosmetic,
                               exclude=exclude, include=include)
        settings = effective.settings
        aux = _aux(effective)
        if base is None or not witnesses:
            raise InputError("check needs BASE and at least one WITNESS", "nothing to compare was given", "e.g. jiaokan check official.txt 'site/**/*.html'")
        _stdin_once(base, *witnesses)
        if no_baseline and baseline is not None:
            raise InputError("--baseline and --no-baseline both given", "they contradict each other", "drop one of them")
        accepted = None
        pairs, folders = _expanded(witnesses, "WITNESS", base=base, settings=settings)
        inputs = [("BASE", base), *pairs, *aux]
        if write_baseline is not None:
            # the baseline read may be the one rewritten (docs/ci.md: reasons kept); nothing else that is read may be
            _guard(write_baseline, inputs, option="--write-baseline")
        if not no_baseline:
            path = Path(settings.baseline) if settings.baseline else cfg.default_baseline(effective.root)
            if path.is_file():
                accepted = bl.load(path)
                inputs.append(("baseline", str(path)))
            elif settings.baseline and write_baseline is None:
                named_by = "--baseline" if baseline is not None else effective.sources["baseline"]
                raise InputError(f"{path}: no such baseline", f"{named_by} names a file that does not exist", "check the path, or create it with --write-baseline")
        if output is not None and write_baseline is not None and not _is_stdout(output) and os.path.abspath(output) == os.path.abspath(write_baseline):
            raise InputError(f"-o {output}: refusing to write the report over the baseline", "--write-baseline names the same file", "write the report elsewhere")
        if write_baseline is not None:
            inputs.append(("--write-baseline file", str(write_baseline)))
        _guard(output, inputs, folders=folders)
        _interrupted_keeps(output)
        base_doc = read_document(base, docx_revisions=_revisions(docx_original))
        _witnesses_left(base, witnesses, allow_empty, settings)
        _list_files(verbose, witnesses, settings, base)
        # the file being rewritten holds the reasons to keep (else the baseline read, if any); check() hears of it,
        # so that the cosmetic findings its entries may accept are kept
        previous = (bl.load(write_baseline) if write_baseline.is_file() else accepted) if write_baseline is not None else None
        with _Progress("checking") as bar:
            result = check(base_doc, witnesses, settings=settings, accepted=accepted, progress=bar.show if bar.on else None, docx_revisions=_revisions(docx_original),
                           workers=workers, later=(previous,))
        if write_baseline is not None:
            entries = baseline_entries(apply_baseline(result, previous), previous, write_baseline.parent)
            write_atomic(write_baseline, bl.dumps(entries, base=base))
            _on_interrupt(f"interrupted; {write_baseline} was written, " + ("the report was not" if _is_stdout(output) else f"{output} was not changed"))
            typer.echo(f"jiaokan: wrote {render.plural(len(entries), 'accepted variant')} to {one_line(str(write_baseline))}; fill in each reason", err=True)
            result = apply_baseline(result, bl.load(write_baseline))
        for w in result.witnesses:
            if w.error is not None:
                typer.echo(f"jiaokan: error: {one_line(w.error or '')}", err=True)
        write_output(formats.render("check", fmt, result, _view(output, quiet=quiet)), output)
        if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            from jiaokan.render_ci import append_job_summary

            try:
                append_job_summary(result, os.environ["GITHUB_STEP_SUMMARY"], os.environ)
            except InputError as exc:  # extra output: a summary that cannot be written never changes the verdict
                typer.echo(f"jiaokan: warning: {one_line(str(exc))}", err=True)
    raise typer.Exit(result.exit_code)


def _base_option(option: str | None, required: bool, first: str | None, rest: list[str]) -> tuple[str | None, list[str]]:
    """--base names the base, so every argument is a witness; a hook (--require-base) must not guess it from the files."""
    if option is not None:
        return option, [first, *rest] if first is not None else rest
    if required:
        raise InputError("no --base given", "the hook does not take a changed file for the official text",
                         "add args: [--base, official/directive.txt] to the jiaokan-check hook in .pre-commit-config.yaml")
    return first, rest


def _witnesses_left(base: str, witnesses: list[str], allow_empty: bool, settings: Settings) -> None:
    """A gate with nothing to check says so and fails (unless --allow-empty); the base given as a witness is skipped."""
    from jiaokan.check import expand
    from jiaokan.discover import rules_of

    rules = rules_of(settings)
    if expand(witnesses, base=base, rules=rules) or allow_empty:
        return
    itself = "every WITNESS given is the base itself, which is skipped" if expand(witnesses, rules=rules) else "the witnesses given name no document"
    raise InputError("no witness to check", itself, "name the copies to compare, or pass --allow-empty to pass with none (a commit that changed only the base)")


@app.command("trace", cls=_Command)
def trace_cmd(
    source: Annotated[str | None, typer.Argument(metavar="SOURCE", help="The document quoted (the official text).", show_default=False)] = None,
    derived: Annotated[str | None, typer.Argument(metavar="DERIVED", help="The summary or article that quotes it.", show_default=False)] = None,
    fmt: Annotated[str, _format_option("trace")] = default_format("trace"),
    rules: RulesOpt = None,
    output: OutputOpt = None,
    docx_original: DocxOriginalOpt = False,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
) -> None:
    """For every clause of DERIVED, where it comes from in SOURCE: verbatim, drifted, paraphrase or unsourced."""
    from jiaokan import formats
    from jiaokan.prepare import prepare_file
    from jiaokan.trace import trace_prepared

    with _mapped_errors():
        _reading(offline)
        effective = _effective("trace", config, show_config, output, rules=rules)
        settings = effective.settings
        _needs("trace", "official.txt summary.html", SOURCE=source, DERIVED=derived)
        assert source is not None and derived is not None
        _stdin_once(source, derived)
        _guard(output, [("SOURCE", source), ("DERIVED", derived), *_aux(effective)])
        _interrupted_keeps(output)
        revisions = _revisions(docx_original)
        result = trace_prepared(prepare_file(source, settings=settings, docx_revisions=revisions), prepare_file(derived, settings=settings, docx_revisions=revisions))
        write_output(formats.render("trace", fmt, result, _view(output)), output)
    drifted = any(p.relation == "drifted" for p in result.passages)
    raise typer.Exit(EXIT_FINDINGS if drifted else EXIT_CLEAN)


@app.command("collate", cls=_Command)
def collate_cmd(
    docs: Annotated[list[str] | None, typer.Argument(metavar="DOC...", help="Two or more copies of one text: files, folders, globs.", show_default=False)] = None,
    base: Annotated[str, typer.Option("--base", metavar="PATH", help="The copy to collate against, or auto: the one that accounts for most of the others.")] = "auto",
    fmt: Annotated[str, _format_option("collate")] = default_format("collate"),
    rules: RulesOpt = None,
    output: OutputOpt = None,
    docx_original: DocxOriginalOpt = False,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
    exclude: ExcludeOpt = None,
    include: IncludeOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Collate many copies: variant places with every copy's reading and the majority, and who shares whose readings."""
    from jiaokan import formats, render
    from jiaokan.check import expand
    from jiaokan.collate import collate_prepared
    from jiaokan.discover import rules_of
    from jiaokan.prepare import prepare_file

    with _mapped_errors():
        _reading(offline)
        effective = _effective("collate", config, show_config, output, rules=rules, exclude=exclude, include=include)
        settings = effective.settings
        docs = docs or []
        _stdin_once(*docs)
        paths = []
        for path, error in expand(docs, rules=rules_of(settings)):
            if error is not None:
                raise error
            paths.append(path)
        _list_files(verbose, docs, settings)
        if base != "auto" and base not in paths:
            paths.insert(0, base)
        if len(paths) < 2:
            raise InputError("collate needs at least two copies", f"{render.plural(len(paths), 'document')} given", "name two or more files, a folder or a glob")
        _guard(output, [("DOC", p) for p in paths] + _aux(effective), folders=[p for p in docs if p != "-" and os.path.isdir(p)])
        _interrupted_keeps(output)
        prepared = [prepare_file(p, settings=settings, docx_revisions=_revisions(docx_original)) for p in paths]
        index = None if base == "auto" else paths.index(base)
        result = collate_prepared(prepared, base=index, settings=settings)
        write_output(formats.render("collate", fmt, result, _view(output)), output)
    raise typer.Exit(EXIT_FINDINGS if result.places else EXIT_CLEAN)


def _engine(value: str) -> str:
    from jiaokan.scan import ENGINES

    return _choice(ENGINES, "an engine")(value) or value


@app.command("scan", cls=_Command)
def scan_cmd(
    base: Annotated[str | None, typer.Argument(metavar="BASE", help="The official text to look for.", show_default=False)] = None,
    corpus_args: Annotated[list[str] | None, typer.Argument(metavar="CORPUS...", help=("Folders, quoted globs, files, or JSONL files of {\"id\", "
            "\"text\"} or {\"id\", \"path\"}."), show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="JSONL results, one line per document as it completes (stdout if not given).", show_default=False)] = None,
    fmt: Annotated[str, _format_option("scan")] = default_format("scan"),
    resume: Annotated[bool, typer.Option("--resume", help="Skip the ids already in --output and append the rest.")] = False,
    engine: Annotated[str, typer.Option("--engine", metavar="ENGINE", callback=_engine, help=("local (a process pool) or dask (dask.distributed; pip "
            "install 'jiaokan[dask]')."))] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster).", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option("--workers", metavar="N", help="Processes (local engine; default: the machine's cores) or local-cluster workers.",
                                                    show_default=False, parser=_count_of("workers"))] = None,
    rules: RulesOpt = None,
    allow_outside_paths: Annotated[bool, typer.Option("--allow-outside-paths", help="Let a JSONL corpus name files outside its own folder (a corpus you trust).")] = False,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
    docx_original: DocxOriginalOpt = False,
    exclude: ExcludeOpt = None,
    include: IncludeOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Find the documents of a corpus that reprint, excerpt or quote BASE, and check each (JSONL out, a summary at the end).

    Exit 1 when a document has substantive findings (a quotation's drifted wording too), 2 when one could not be read
    (its record says why).
    """
    from jiaokan import formats, render
    from jiaokan.discover import rules_of
    from jiaokan.ingest import read_document
    from jiaokan.scan import Summary, as_engine, corpus, count, read_resume, scan, unique_ids

    with _mapped_errors():
        _reading(offline)
        effective = _effective("scan", config, show_config, output, rules=rules, exclude=exclude, include=include)
        settings = effective.settings
        _needs("scan", "official.txt 'site/**/*.html'", BASE=base, CORPUS=corpus_args)
        assert base is not None and corpus_args is not None
        if resume and output is None:
            raise InputError("--resume needs --output", "it continues the JSONL file named there", "add -o results.jsonl")
        _stdin_once(base, *corpus_args)
        to_file = not _is_stdout(output)
        _scan_corpus_exists(corpus_args)
        if to_file:
            _guard_scan(output, base, corpus_args, _aux(effective))
        base_doc = read_document(base, docx_revisions=_revisions(docx_original))
        summary = Summary.empty()
        done: set[str] = set()
        walk_rules = rules_of(settings)
        unique_ids(corpus_args, allow_outside=allow_outside_paths, rules=walk_rules)
        _list_files(verbose, [a for a in corpus_args if not a.endswith(".jsonl")], settings)  # before anything is written: --resume skips by id
        kept = ""
        torn = False
        if resume and to_file and output is not None and output.is_file():
            kept, resumed = read_resume(output)  # a line that is no record: one error naming it (the torn last one: dropped)
            torn = kept.encode("utf-8") != output.read_bytes()
            for record in resumed:
                done.add(str(record["id"]))
                summary.add(record)
        items: Iterator[Item] = (item for item in corpus(corpus_args, allow_outside=allow_outside_paths, rules=walk_rules) if item.id not in done)
        if to_file:
            assert output is not None
            items = _not_the_output(items, output)
        written = [0]
        where = str(output) if to_file else "standard output"
        _on_interrupt(lambda: (f"interrupted; {written[0]} new records written to {where}" + (", run again with --resume to continue" if to_file else "")
                               if written[0] else ("interrupted; " + (f"{output} was not changed" if to_file else "nothing was written"))))
        records_out = formats.output("scan", fmt)
        view = _view(output)
        with _Progress("scanning") as bar:
            total = count(corpus_args, rules=walk_rules) - len(done) if bar.on else 0  # counted only for the bar's time left
            records = scan(base_doc, items, engine=as_engine(engine), workers=workers, scheduler=scheduler, settings=settings,
                           docx_revisions=_revisions(docx_original))
            # the first record before the output is touched: rules, engine and scheduler fail here, leaving it as it was
            first = next(records, None)
            sink: TextIO | None = None
            try:
                if to_file:
                    assert output is not None
                    if torn:
                        from jiaokan.atomic import write_atomic

                        write_atomic(output, kept)
                    try:
                        sink = open(os.path.realpath(output), "a" if resume else "w", encoding="utf-8")  # noqa: SIM115 - through a link, kept
                    except OSError as exc:
                        from jiaokan.atomic import why_not

                        raise InputError(f"-o {output}: cannot write", why_not(exc), "choose another output path") from exc
                if first is not None:
                    for k, record in enumerate(itertools.chain([first], records), 1):
                        line = records_out.render(record, view)
                        assert isinstance(line, str)  # scan's formats are text
                        if sink is None:
                            _stdout_write(line)
                        else:
                            _sink_write(sink, line, output)
                        written[0] = k
                        summary.add(record)
                        bar.show(k, total, str(record["id"]))
            finally:
                if sink is not None:
                    sink.close()
        table = render.scan_text(summary, color=to_file and use_color(), width=report_width())
        if not to_file:
            sys.stderr.write(table)
        else:
            write_output(table, None)
        errors = summary.kinds.get("error", 0)
        if errors:
            again = "then run again with --resume" if to_file else "then run again"
            raise InputError(f"{render.plural(errors, 'document')} of the corpus could not be read",
                             "each has a record with kind \"error\" saying why", f"fix or remove them, {again}")
    raise typer.Exit(EXIT_FINDINGS if summary.worst else EXIT_CLEAN)


def _sink_write(sink: TextIO, line: str, output: Path | None) -> None:
    try:
        sink.write(line)
        sink.flush()
    except OSError as exc:
        from jiaokan.atomic import why_not

        raise InputError(f"-o {output}: cannot write", why_not(exc), "free some space, then run again with --resume") from exc


def _scan_corpus_exists(corpus_args: list[str]) -> None:
    """A CORPUS argument naming nothing is a usage error before anything starts (not one error record and exit 0)."""
    import glob

    from jiaokan.discover import matches as glob_matches
    from jiaokan.web import has_scheme

    for arg in corpus_args:
        if arg == "-" or has_scheme(arg):  # a URL is fetched when its turn comes
            continue
        if glob.has_magic(arg):
            if not glob_matches(arg):
                raise InputError(f"{arg}: no file matches", "the glob matched nothing", "check the pattern; quote it so the shell passes ** through")
        elif not os.path.lexists(arg):
            raise InputError(f"{arg}: no such file or folder", "a CORPUS argument names nothing that exists", "check the path")


def _guard_scan(output: Path | None, base: str, corpus_args: list[str], aux: list[tuple[str, str]]) -> None:
    """scan -o: not the base, a corpus file, a JSONL corpus, a glob's match, nor a document-named file in a scanned folder."""
    import glob

    from jiaokan.discover import matches as glob_matches
    from jiaokan.web import has_scheme

    inputs = [("BASE", base), *aux]
    folders = []
    for arg in corpus_args:
        if arg == "-" or has_scheme(arg):  # no local file
            continue
        if os.path.isdir(arg):
            folders.append(arg)
        elif glob.has_magic(arg):
            inputs += [("CORPUS document", p) for p in glob_matches(arg)]
        else:
            inputs.append(("JSONL corpus" if arg.endswith(".jsonl") else "CORPUS document", arg))
    _guard(output, inputs, folders=folders)


def _not_the_output(items: Iterator[Item], output: Path) -> Iterator[Item]:
    """A corpus document that is the output file (a JSONL line's "path") is an error record, never read while written."""
    from dataclasses import replace

    from jiaokan.atomic import same_file

    for item in items:
        if item.path is not None and item.path != "-" and same_file(item.path, str(output)):
            item = replace(item, path=None, error=f"{item.path}: not read: it is the output file -o {output}; name another output")
        yield item


WATCH_ACTIONS = ("add", "list", "remove", "import", "run", "report", "history")


def _link_to(pages: Path | None, output: Path | None) -> str:
    """How the dashboard (at ``output``, else the working folder) links into the folder of review pages (a URL path:
    a space or # in a folder's name is percent-encoded)."""
    from urllib.parse import quote

    if pages is None:
        return ""
    here = Path(".") if output is None or _is_stdout(output) else output.parent
    return quote(Path(os.path.relpath(pages, here)).as_posix().rstrip("/")) + "/"


def _refuse_watched(output: Path | None, db: Path, store: Any) -> None:
    """An output never replaces a file the watch reads or keeps: a base, a baseline, a copy (also one gone for now:
    the next run would read the report as the copy), the database and its log, shared memory and lock files."""
    from jiaokan.web import is_url

    if output is None or _is_stdout(output):
        return
    files = [("watched base", b.source) for b in store.bases()] + [("base's baseline", b.baseline) for b in store.bases() if b.baseline]
    files += [("watched copy", c.source) for c in store.copies()]
    files += [("watch history's " + what, f"{db}{suffix}") for what, suffix in (("database", ""), ("log", "-wal"), ("shared memory", "-shm"), ("lock", ".lock"))]
    target = os.path.realpath(output)
    for what, name in files:
        if not is_url(name) and os.path.realpath(name) == target:
            raise InputError(f"{output}: refusing to write over a file of the watch", f"it is the {what} {name}",
                             "choose another output file; an output never replaces an input")
    _guard(output, [(what, name) for what, name in files if not is_url(name)])


@app.command("watch", cls=_Command)
def watch_cmd(
    action: Annotated[str | None, typer.Argument(metavar="ACTION", help=("add BASE COPY... | list | remove NAME-OR-COPY | import LIST.toml|LIST.csv | run | "
            "report | history COPY (docs/watch.md)."), show_default=False, callback=_choice(WATCH_ACTIONS, "an action of jiaokan watch"))] = None,
    args: Annotated[list[str] | None, typer.Argument(metavar="ARGS...", help="The base and copies (files or URLs), the list file, or the copy, as the action takes.",
            show_default=False)] = None,
    db: Annotated[Path | None, typer.Option("--db", metavar="FILE", help="The watch history (SQLite; default: jiaokan-watch.db in the working folder).",
            show_default=False)] = None,
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="add: the base's name (default: its file name or address).", show_default=False)] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", metavar="KEY=VALUE", help="add: a tag of the base and its copies (site=…, department=…), repeatable.",
            show_default=False)] = None,
    baseline: Annotated[str | None, typer.Option("--baseline", metavar="FILE", help="add: the base's accepted variants (jiaokan-accepted.toml).", show_default=False)] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="report: against the last run before this date (2026-11-01, or a time).",
            show_default=False)] = None,
    last: Annotated[int | None, typer.Option("--last", metavar="N", help="report: against the run N runs before the latest (default 1).", show_default=False,
            parser=_count_of("runs"))] = None,
    per_host: Annotated[int | None, typer.Option("--per-host", metavar="N", help="run: requests at once to one host (default 2).", parser=_count_of("requests"),
            show_default=False)] = None,
    delay: Annotated[float, typer.Option("--delay", metavar="SECONDS", help="run: seconds between two requests' starts to one host.")] = 0.5,
    workers: Annotated[int | None, typer.Option("--workers", metavar="N", help="run: copies read at once in all (default 8).", parser=_count_of("workers"),
            show_default=False)] = None,
    pages: Annotated[Path | None, typer.Option("--pages", metavar="DIR", help=("run: write each copy's review page into DIR; report -f html: link the "
            "dashboard's cells to them."), show_default=False)] = None,
    fmt: Annotated[str, _format_option("watch")] = default_format("watch"),
    rules: RulesOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
) -> None:
    """Keep republished copies under watch, with their history in a database: exit 0 clean, 1 drift or a copy gone, 2 an error."""
    from jiaokan import formats
    from jiaokan import watch as w
    from jiaokan.render import plural
    from jiaokan.watchdb import open_store, tags_from

    code = EXIT_CLEAN
    with _mapped_errors():
        _reading(offline)
        effective = _effective("watch", config, show_config, output, rules=rules)
        settings = effective.settings
        if action is None:
            raise InputError("watch needs an ACTION", f"one of {', '.join(WATCH_ACTIONS)}", "e.g. jiaokan watch add official.txt https://county.gov.cn/notice.html")
        given = args or []
        wants = {"add": (2, None), "list": (0, 0), "remove": (1, 1), "import": (1, 1), "run": (0, 0), "report": (0, 0), "history": (1, 1)}[action]
        if len(given) < wants[0] or (wants[1] is not None and len(given) > wants[1]):
            usage = {"add": "BASE COPY...", "list": "", "remove": "NAME-OR-COPY", "import": "LIST.toml", "run": "", "report": "", "history": "COPY"}[action]
            raise InputError(f"watch {action} takes {usage or 'no argument'}", f"{len(given)} {'was' if len(given) == 1 else 'were'} given",
                             f"e.g. jiaokan watch {action} {usage}".rstrip())
        if delay < 0:
            raise InputError(f"--delay {delay}: below 0", "it is the seconds between two requests to one host", "give 0 or more, e.g. --delay 0.5")
        if since is not None and last is not None:
            raise InputError("--since and --last both given", "a report compares the latest run with one earlier run", "drop one of them")
        path = db if db is not None else Path("jiaokan-watch.db")
        _guard(output, [("--db", str(path)), *[("ARGS", a) for a in given], *_aux(effective)])
        # what to add is checked whole before the database is opened: a mistake leaves no new file behind, nor half a list
        adding = ([w.new_watch(name, given[0], tags_from(tag or []), baseline, given[1:], "watch add")] if action == "add"
                  else w.read_list(Path(given[0])) if action == "import" else [])
        store = open_store(path, create=bool(adding))  # what only reads never leaves a new file behind
        try:
            _refuse_watched(output, path, store)  # a report written over a watched copy, its base, its baseline or the database's files
            result: object
            if action == "add":
                base, added = store.add(adding, w.now())[0]
                typer.echo(f"jiaokan: watching {plural(len(added), 'copy', 'copies')} of {one_line(base.name)}", err=True)
                result = w.watched(store)
            elif action == "remove":
                typer.echo(f"jiaokan: removed {w.remove(store, given[0])} (the history stays)", err=True)
                result = w.watched(store)
            elif action == "import":
                imported = store.add(adding, w.now())
                n_bases, n_copies = len(imported), sum(len(copies) for _, copies in imported)
                typer.echo(f"jiaokan: {plural(n_bases, 'base')}, {plural(n_copies, 'copy', 'copies')} from {one_line(given[0])}", err=True)
                result = w.watched(store)
            elif action == "list":
                result = w.watched(store)
            elif action == "run":
                if not store.copies():
                    raise InputError("nothing to run", f"{path} watches no copy", "add some: jiaokan watch add BASE COPY...")
                _interrupted_keeps(output)
                with _Progress("watching") as bar:
                    ran = w.run(store, settings=settings, workers=workers or w.WORKERS, per_host=per_host or w.PER_HOST, delay=delay,
                                progress=bar.show if bar.on else None, pages=pages)
                result = w.report(store, link=_link_to(pages, output))
                code = ran.exit_code
            elif action == "report":
                report = w.report(store, since=since, last=last, link=_link_to(pages, output))
                result, code = report, report.exit_code
            else:
                result = w.history(store, given[0])
            try:
                write_output(formats.render("watch", fmt, result, _view(output)), output)
            except ValueError as exc:
                raise InputError(f"watch {action} --format {fmt}: not available", str(exc), "see jiaokan watch --help for what each format is for") from None
        finally:
            store.close()
    raise typer.Exit(code)


@app.command("review", cls=_Command)
def review_cmd(
    base: Annotated[str | None, typer.Argument(metavar="BASE", help="The official text, shown on the left.", show_default=False)] = None,
    witnesses: Annotated[list[str] | None, typer.Argument(metavar="WITNESS...", help="Copies to show beside it: files, folders, globs.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="The HTML file to write (atomically); stdout if not given.", show_default=False)] = None,
    fmt: Annotated[str, _format_option("review")] = default_format("review"),
    rules: RulesOpt = None,
    fail_on: Annotated[str, typer.Option("--fail-on", metavar="LEVEL", callback=_choice(FAIL_ON, "a level"), help=("Exit 1 when there are findings at or above this level: none (default: exit 0 "
            "once the page is written), substantive, any."))] = "none",
    docx_original: DocxOriginalOpt = False,
    config: ConfigOpt = None,
    show_config: ShowConfigOpt = False,
    offline: OfflineOpt = False,
    exclude: ExcludeOpt = None,
    include: IncludeOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Write one self-contained HTML page showing BASE and WITNESSES side by side with every drift marked."""
    from jiaokan import formats
    from jiaokan.check import expand, fails
    from jiaokan.diff import diff_prepared
    from jiaokan.discover import rules_of
    from jiaokan.prepare import prepare_file

    with _mapped_errors():
        _reading(offline)
        notes = {"fail-on": f"review exits by its own --fail-on, here {fail_on}"}
        effective = _effective("review", config, show_config, output, notes=notes, rules=rules, exclude=exclude, include=include)
        settings = effective.settings
        _needs("review", "official.txt copy.html -o review.html", BASE=base, WITNESS=witnesses)
        assert base is not None and witnesses is not None
        _stdin_once(base, *witnesses)
        pairs, folders = _expanded(witnesses, "WITNESS", base=base, settings=settings)
        _guard(output, [("BASE", base), *pairs, *_aux(effective)], folders=folders)
        _interrupted_keeps(output)
        revisions = _revisions(docx_original)
        prepared = prepare_file(base, settings=settings, docx_revisions=revisions)
        paths = []
        for path, error in expand(witnesses, base=base, rules=rules_of(settings)):
            if error is not None:
                raise error
            paths.append(path)
        _list_files(verbose, witnesses, settings, base)
        if not paths:
            raise InputError("no witness to show", "every WITNESS given is the base itself", "name the copies to compare")
        if formats.output("review", fmt).binary and len(paths) != 1:
            raise InputError(f"--format {fmt}: {len(paths)} witnesses", "a redline shows one witness against the base", "give one WITNESS, or use --format html")
        results = [diff_prepared(prepared, prepare_file(p, settings=settings, docx_revisions=revisions), settings=settings) for p in paths]
        write_output(formats.render("review", fmt, formats.Compared(prepared.document, tuple(results)), _view(output)), output)
    level = as_fail_on(fail_on)  # checked by the option's callback
    failing = any(fails(f, level) for r in results for f in r.findings)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


class _Progress:
    """A rich progress bar on stderr (count, rate, time left) on a terminal, for more than one item; silent otherwise."""

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.on = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.t0 = 0.0

    def __enter__(self) -> _Progress:
        return self

    def show(self, done: int, total: int, label: str) -> None:
        if not self.on or total < 2:
            return
        import time

        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn(self.verb), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                                TimeRemainingColumn(), TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total, rate="")
            self.t0 = time.perf_counter()
        assert self.task is not None
        rate = done / max(1e-9, time.perf_counter() - self.t0)
        self.bar.update(self.task, completed=done, description=label[-40:], rate=f"{rate:.1f} docs/s")

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _without_debug(args: list[str]) -> tuple[list[str], bool]:
    """``--debug`` anywhere on the command line (before a ``--``), not only before the command; not where it is
    an option's value (``-o --debug`` names a file).  ``JIAOKAN_DEBUG=1`` in the environment does the same."""
    debug = bool(os.environ.get("JIAOKAN_DEBUG"))
    if "--debug" not in args:  # the usual run: nothing to take out, and the commands' options need not be built twice
        return list(args), debug
    takes_value = _value_options()
    kept: list[str] = []
    k = 0
    while k < len(args):
        a = args[k]
        if a == "--":
            kept += args[k:]
            break
        if a == "--debug":
            debug = True
        else:
            kept.append(a)
            if a in takes_value and k + 1 < len(args):
                kept.append(args[k + 1])
                k += 1
        k += 1
    return kept, debug


def _value_options() -> set[str]:
    """Every option name of every command that takes a value (``-o``, ``--rules`` …)."""
    group = command_group()
    names: set[str] = set()
    for cmd in group.commands.values():
        for p in cmd.params:
            if isinstance(p, TyperOption) and not p.is_flag:
                names.update(p.opts)
    return names


class _Commands(MutableMapping[str, Any]):
    """The group's commands by name, each built (its parameters read from its signature, ≈ 1-7 ms a command) when
    first looked up: a run builds the one it runs; ``--help`` of the group, which lists them all, builds them all."""

    def __init__(self, registered: Sequence[Any]) -> None:
        self.registered = {info.name: info for info in registered}
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = typer.main.get_command_from_info(self.registered[name], pretty_exceptions_short=app.pretty_exceptions_short,
                                                                rich_markup_mode=app.rich_markup_mode)
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.registered.setdefault(name, None)
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.registered[name]
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.registered)

    def __len__(self) -> int:
        return len(self.registered)


def command_group() -> TyperGroup:
    """What ``typer.main.get_command(app)`` gives (the same group, options, help and errors), its commands built lazily."""
    import copy

    root = copy.copy(app)
    root.registered_commands = []  # the group alone: its callback's options; the commands come from the table
    group = typer.main.get_group(root)
    group.commands = _Commands(app.registered_commands)
    return group


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: every way out maps to an exit code."""
    import gc

    args, debug = _without_debug(list(sys.argv[1:] if argv is None else argv))
    _state.clear()  # every run starts as a new process would (the tests run many in one)
    _state.update(debug=debug, interrupted=None)
    # A run allocates many small objects that all live until it ends; the cyclic collector's repeated scans of them
    # grow with input size (measured: 12% of the time at 16x the directive) and find nothing.  The command line
    # runs one command per process and switches it off; the library leaves the collector as its caller set it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        code = _run(args)
    finally:
        if enabled:
            gc.enable()
    sys.exit(code)


def _run(args: list[str]) -> int:
    """One command, every way out mapped to an exit code."""
    code: object = EXIT_CLEAN
    try:
        code = command_group()(args=args, prog_name="jiaokan", standalone_mode=False)  # as app(...) would, building one command
        if code == EXIT_INTERRUPTED:  # typer turns KeyboardInterrupt into exit 130; no command exits 130 itself
            raise KeyboardInterrupt
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        said = _state.get("interrupted")
        message = said() if callable(said) else (said or "interrupted")
        _quiet_write(sys.stderr, f"jiaokan: {message}\n")
        code = EXIT_INTERRUPTED
    except (_StdoutGone, BrokenPipeError):  # the reader went away (| head): end quietly, as cat and git do
        _silence_stdout()
        code = EXIT_PIPE
    except typer.TyperException as exc:  # click's usage errors: unknown option, missing argument ...
        if _state["debug"]:
            traceback.print_exc()
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(getattr(exc, "format_message", exc.__str__)(), err=True)
        else:
            ctx = getattr(exc, "ctx", None)
            name = getattr(ctx, "command_path", "jiaokan") or "jiaokan"
            command = next((a for a in args if not a.startswith("-")), "")
            if name == "jiaokan" and command in USES:  # an option's error found before the command's context
                name = f"jiaokan {command}"
            message = (exc.format_message() if hasattr(exc, "format_message") else str(exc)).rstrip(".")
            typer.echo(f"jiaokan: error: {one_line(message)}; see '{name} --help'", err=True)
        code = EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence: exit 123, not a traceback
        if _state["debug"]:
            traceback.print_exc()
        typer.echo(_internal(exc), err=True)
        code = EXIT_INTERNAL
    return code if isinstance(code, int) else EXIT_CLEAN


def _quiet_write(stream: TextIO | None, text: str) -> None:
    try:
        assert stream is not None
        stream.write(text)
        stream.flush()
    except (OSError, AttributeError, ValueError, AssertionError):
        pass


if __name__ == "__main__":  # pragma: no cover
    main()
