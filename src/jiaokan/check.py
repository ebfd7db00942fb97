"""Stage 8: the CI gate.  Diff every witness against the base, take out accepted variants, decide.

``check(base, witnesses, settings=...)`` chains it: expand the witness
patterns, diff each witness (one unreadable witness is an error for that
witness only), match the findings against the baseline, and give each finding
a status: ``new`` (at or above ``fail-on`` and not accepted: it fails the
run), ``accepted``, or ``below-threshold``.
"""

from __future__ import annotations

import glob
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from jiaokan import baseline as bl
from jiaokan.config import FailOn, Settings
from jiaokan.diff import DiffResult, diff_prepared
from jiaokan.discover import Notice, Rules, matches, rules_of, walk
from jiaokan.errors import InputError
from jiaokan.findings import COSMETIC, SUBSTANTIVE, Finding, Parts
from jiaokan.ingest import EXTENSIONS, Document, DocxRevisions, read_document
from jiaokan.parallel import Ordered, state, workers_for
from jiaokan.prepare import Prepared, prepare
from jiaokan.web import has_scheme, is_url

Status = Literal["new", "accepted", "below-threshold"]  # of a finding
Verdict = Literal["pass", "fail", "error"]  # of a witness, and of the run
NEW: Status = "new"
ACCEPTED: Status = "accepted"
BELOW: Status = "below-threshold"
PASS: Verdict = "pass"
FAIL: Verdict = "fail"
ERROR: Verdict = "error"


@dataclass(frozen=True, slots=True)
class WitnessCheck:
    """One witness: its diff and each finding's status, or why it could not be checked."""

    path: str
    result: DiffResult | None = None
    statuses: tuple[Status, ...] = ()  # one per result.findings
    accepted_by: tuple[bl.Accepted | None, ...] = ()  # the baseline entry that accepted it
    error: str | None = None
    # cosmetic findings not kept in result.findings (counted in its summary): no report lists them and no baseline
    # entry could accept them, so each is below the threshold; a reprint in another script has thousands
    cosmetic_left_out: int = 0

    @property
    def status(self) -> Verdict:
        if self.error is not None:
            return ERROR
        return FAIL if NEW in self.statuses else PASS

    @property
    def new(self) -> list[Finding]:
        assert self.result is not None
        return [f for f, s in zip(self.result.findings, self.statuses, strict=False) if s == NEW]

    def count(self, status: Status) -> int:
        return self.statuses.count(status) + (self.cosmetic_left_out if status == BELOW else 0)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything ``jiaokan check`` reports, and the verdict."""

    base: Document
    settings: Settings
    witnesses: tuple[WitnessCheck, ...]
    stale: tuple[bl.Accepted, ...]
    baseline: str | None  # the accepted-variants file used

    @property
    def verdict(self) -> Verdict:
        statuses = {w.status for w in self.witnesses}
        return ERROR if ERROR in statuses else FAIL if FAIL in statuses else PASS

    @property
    def exit_code(self) -> int:
        return {PASS: 0, FAIL: 1, ERROR: 2}[self.verdict]

    @property
    def include_cosmetic(self) -> bool:
        return self.settings.include_cosmetic or self.settings.fail_on == "any"

    def listed(self, w: WitnessCheck) -> list[tuple[Finding, Status, str]]:
        """(finding, status, reason) of the findings a report shows for one witness."""
        if w.result is None:
            return []
        return [
            (f, s, e.reason if e else "")
            for f, s, e in zip(w.result.findings, w.statuses, w.accepted_by, strict=False)
            if self.include_cosmetic or f.severity != COSMETIC
        ]

def fails(f: Finding, fail_on: FailOn) -> bool:
    """Does this finding count against ``fail-on``?"""
    if fail_on == "none":
        return False
    return fail_on == "any" or f.severity == SUBSTANTIVE


def expand(patterns: Sequence[str], *, base: str | None = None, rules: Rules | None = None,
           notice: Notice | None = None) -> list[tuple[str, InputError | None]]:
    """Witness arguments → (path, error) in argument order: files, folders (searched for documents), globs.

    Duplicates and the base itself are dropped; a pattern matching nothing is an error for that pattern.  A URL
    (``http://``, ``https://``; another scheme's is refused when read) is passed through as it is: not a glob, not a path.
    Folders and globs are listed by jiaokan.discover (hidden names, vendored folders, .gitignore, ``rules``);
    ``notice`` hears each path listed or skipped.
    """
    def key_of(path: str) -> str:
        return path if path == "-" or has_scheme(path) else os.path.normcase(os.path.realpath(path))  # a link and its target are one page

    seen: set[str] = set()
    base_key = key_of(base) if base is not None and base != "-" else None
    if base_key is not None:
        seen.add(base_key)
    out: list[tuple[str, InputError | None]] = []

    def add(path: str, error: InputError | None = None) -> None:
        key = key_of(path)
        if key not in seen:
            seen.add(key)
            out.append((path, error))
            if notice is not None and error is None:
                notice(path, None)
        elif notice is not None:
            notice(path, "the BASE itself" if key == base_key else "listed already")

    def skipped(path: str, why: str | None) -> None:
        if notice is not None and why is not None:
            notice(path, why)

    for pattern in patterns:
        if pattern == "-" or has_scheme(pattern) or os.path.isfile(pattern):
            add(pattern)
        elif os.path.isdir(pattern):
            found = walk(pattern, EXTENSIONS, rules, skipped)
            if not found:
                add(pattern, InputError(f"{pattern}: no documents in this folder", f"nothing ends in {', '.join(sorted(EXTENSIONS))} "
                                        "once hidden, vendored and ignored files are skipped (--verbose lists them)", "name the files or a glob"))
            for path in found:
                add(path)
        elif glob.has_magic(pattern):
            found = matches(pattern, rules, skipped)
            if not found:
                add(pattern, InputError(f"{pattern}: no file matches", "the glob matched nothing", "check the pattern; quote it so the shell passes ** through"))
            for path in found:
                add(path)
        else:
            add(pattern)  # reading it reports what is wrong
    return out


def check(
    base: Document,
    witnesses: Sequence[str],
    *,
    settings: Settings | None = None,
    accepted: bl.Baseline | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    docx_revisions: DocxRevisions = "accepted",
    workers: int | None = 1,
    later: Sequence[bl.Baseline | None] = (),
) -> CheckResult:
    """Diff each witness against ``base``, then decide with the accepted variants (``docx_revisions``: how Word
    witnesses' tracked changes read).

    ``workers``: processes diffing witnesses at once (``None``: one per core); the base is prepared once, here, and
    forked workers inherit it.  The result is the same for any number: witnesses are reported in input order.

    A witness keeps its cosmetic findings only when a report lists them (``include_cosmetic``, ``fail-on any``) or
    a baseline could accept them: ``accepted``, or one of ``later`` (given to :func:`apply_baseline` afterwards)
    holds an entry with a cosmetic code for it.  Otherwise they are counted (``WitnessCheck.cosmetic_left_out``,
    the summary), never built: memory and work per witness follow what the reports show.
    """
    settings = settings or Settings()
    items = expand(witnesses, base=base.path, rules=rules_of(settings))
    prepared = prepare(base, settings=settings)  # once, not once per witness
    paths = [path for path, error in items if error is None]
    n = min(workers_for(workers), len(paths))
    keep = Keep(settings.include_cosmetic or settings.fail_on == "any", tuple(b for b in (accepted, *later) if b is not None))
    checks: list[WitnessCheck] = []
    if n < 2:
        done = (_witness(prepared, settings, docx_revisions, keep, path) for path in paths)
        checks = _in_order(items, done, progress)
    else:
        # the first witness here: its diff loads what diffs load lazily (word segmentation, variant tables, about
        # 0.2 s), which the workers then inherit instead of each loading it again
        first = _witness(prepared, settings, docx_revisions, keep, paths[0])
        shared = {"base": base, "settings": settings, "docx_revisions": docx_revisions, "keep": keep}
        with Ordered(_pooled_witness, workers=n, shared=shared, inherited={"prepared": prepared}, setup=_setup, batch=1) as pool:  # forked before progress starts a thread
            rest = (replace(w, result=replace(w.result, base=base)) if w.result is not None else w for w in pool.map(paths[1:]))
            checks = _in_order(items, itertools.chain([first], rest), progress)
    if progress is not None:
        progress(len(items), len(items), "")
    return apply_baseline(CheckResult(base, settings, tuple(checks), (), None), accepted)


def _in_order(items: list[tuple[str, InputError | None]], done: Iterator[WitnessCheck],
              progress: Callable[[int, int, str], None] | None) -> list[WitnessCheck]:
    """Every item's check in argument order: an item that could not even be listed is an error for it alone."""
    checks = []
    for k, (path, error) in enumerate(items):
        if progress is not None:
            progress(k, len(items), path)
        checks.append(WitnessCheck(path, error=str(error)) if error is not None else next(done))
    return checks


@dataclass(frozen=True, slots=True)
class Keep:
    """Which witnesses keep their cosmetic findings: all (a report lists them), or those a baseline has an entry
    with a cosmetic code for (only such an entry can accept one: entries match by code)."""

    always: bool
    baselines: tuple[bl.Baseline, ...] = ()

    def __call__(self, path: str, result: DiffResult) -> bool:
        return self.always or any(result.severity_of(b.entries[k].code) == COSMETIC for b in self.baselines for k in b.entries_for(path))


def _witness(prepared: Prepared, settings: Settings, docx_revisions: DocxRevisions, keep: Keep, path: str) -> WitnessCheck:
    """One witness read, prepared and diffed; unreadable, it is an error for it alone."""
    try:
        doc = read_document(path, docx_revisions=docx_revisions)
    except InputError as exc:
        return WitnessCheck(path, error=str(exc))
    result = diff_prepared(prepared, prepare(doc, settings=settings), settings=settings)
    if keep(path, result):
        return WitnessCheck(path, result.light())  # kept until the report: without the offset maps
    light = result.light(cosmetic=False)  # only what the reports show: the cosmetic findings counted, not built
    return WitnessCheck(path, light, cosmetic_left_out=len(result.findings) - len(light.findings))


def _setup(shared: dict[str, Any]) -> None:
    """A spawned worker (no fork) prepares the base itself, once."""
    if "prepared" not in shared:
        shared["prepared"] = prepare(shared["base"], settings=shared["settings"])


def _pooled_witness(path: str) -> WitnessCheck:
    w = _witness(state("prepared"), state("settings"), state("docx_revisions"), state("keep"), path)
    # the base goes back to the parent once per witness otherwise (its text and line index): the parent puts its own back
    return replace(w, result=replace(w.result, base=_NO_BASE)) if w.result is not None else w


_NO_BASE = Document(path="", text="", format="text", encoding="utf-8", sha256="")


def apply_baseline(result: CheckResult, accepted: bl.Baseline | None) -> CheckResult:
    """Give every finding its status against ``accepted``; entries that matched nothing are stale."""
    used: set[int] = set()
    checked: set[int] = set()
    witnesses = []
    for w in result.witnesses:
        if w.result is None:
            witnesses.append(w)
            continue
        if w.cosmetic_left_out and accepted is not None and Keep(False, (accepted,))(w.path, w.result):
            raise ValueError(f"{w.path}: its cosmetic findings were not kept, and {accepted.path} may accept some: "
                             "pass that baseline to check() (accepted= or later=)")
        statuses, by = _statuses(w.result, result.settings, accepted, used, checked)
        witnesses.append(replace(w, statuses=statuses, accepted_by=by))
    stale: tuple[bl.Accepted, ...] = ()
    if accepted is not None:
        stale = tuple(e for k, e in enumerate(accepted.entries) if k in checked and k not in used)
    return CheckResult(result.base, result.settings, tuple(witnesses), stale, str(accepted.path) if accepted else None)


def _statuses(
    result: DiffResult, settings: Settings, accepted: bl.Baseline | None, used: set[int], checked: set[int]
) -> tuple[tuple[Status, ...], tuple[bl.Accepted | None, ...]]:
    findings = result.findings
    statuses: list[Status] = [NEW if fails(f, settings.fail_on) else BELOW for f in findings]
    by: list[bl.Accepted | None] = [None] * len(findings)
    if accepted is not None:
        candidates = accepted.entries_for(result.witness.path)
        checked.update(candidates)
        # a group (or a renumbering run) is accepted place by place: the same change made in one more place is new
        owner = [i for i, f in enumerate(findings) for _ in accepted_places(f)]
        places = [p for f in findings for p in accepted_places(f)]
        matched: dict[int, list[int]] = {}
        for j, k in bl.match(accepted.entries, candidates, places).items():
            matched.setdefault(owner[j], []).append(k)
            used.add(k)
        for i, ks in matched.items():
            if len(ks) == len(accepted_places(findings[i])):
                statuses[i] = ACCEPTED
                by[i] = accepted.entries[min(ks)]
    return tuple(statuses), tuple(by)


def accepted_places(f: Finding) -> tuple[Finding, ...]:
    """What a baseline entry accepts: each place of a group or a run, any other finding as a whole."""
    return f.places() if f.parts_kind == Parts.PLACES else (f,)


def baseline_entries(result: CheckResult, previous: bl.Baseline | None, folder: Path) -> list[bl.Accepted]:
    """What ``--write-baseline`` records.

    Every finding that would fail now; reasons already written are kept, and
    so are entries for witnesses this run did not check.  Stale entries go.
    """
    checked = {bl.file_key(w.path, folder) for w in result.witnesses if w.result is not None}
    out: list[bl.Accepted] = []
    if previous is not None:
        for e in previous.entries:
            if e.file is not None:
                key = bl.file_key(e.file if is_url(e.file) else str(previous.folder / e.file), folder)  # the same page, seen from the new file's folder
                if key not in checked:
                    out.append(replace(e, file=key))
    kept_global: set[bl.Accepted] = set()
    for w in result.witnesses:
        if w.result is None:
            continue
        key = bl.file_key(w.path, folder)
        for f, s, by in zip(w.result.findings, w.statuses, w.accepted_by, strict=False):
            if by is not None and by.file is None:
                if by not in kept_global:  # an entry for any witness stays one entry
                    kept_global.add(by)
                    out.append(by)
            elif s in (NEW, ACCEPTED):
                out.extend(bl.entry_for(p, key, by.reason if by else "") for p in accepted_places(f))
    return out
