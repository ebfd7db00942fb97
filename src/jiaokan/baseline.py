"""Accepted variants: findings a person has looked at and accepted (``jiaokan-accepted.toml``).

An entry is matched by what the finding says and where in the wording it
sits — its code, the base and witness texts, and the sixteen base characters
either side — never by offsets, so an edit elsewhere in the page leaves it
valid.  If the context itself changed, an entry still matches when the texts
agree and one side of the context does.  Entries that match nothing are stale.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jiaokan import serialize
from jiaokan.errors import InputError
from jiaokan.findings import ALL_CODES, Code, Finding
from jiaokan.tomlfile import read_toml
from jiaokan.web import is_url

SCHEMA = "jiaokan.accepted/1"
_FIELDS = ("code", "base", "witness", "before", "after", "file", "context", "reason")


@dataclass(frozen=True, slots=True)
class Accepted:
    """One accepted variant."""

    code: Code
    base: str  # normalized base text of the finding
    witness: str  # normalized witness text
    before: str  # normalized base text just before it
    after: str  # and just after
    file: str | None  # the witness it was accepted for, relative to the baseline's folder; None: any witness
    context: str = ""  # the heading it falls under, for the reader
    reason: str = ""  # why it is acceptable, filled in by a person
    line: int = field(default=0, compare=False)  # where its [[accepted]] header is in the file, for reports

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.code, self.base, self.witness, self.before, self.after)


def fingerprint(f: Finding) -> str:
    """A stable identity of a finding's content and context (SARIF partialFingerprints)."""
    text = "\x1f".join((f.code, f.base_norm, f.witness_norm, f.before, f.after))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Baseline:
    path: Path
    entries: tuple[Accepted, ...]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def entries_for(self, witness_path: str) -> list[int]:
        key = file_key(witness_path, self.folder)
        return [k for k, e in enumerate(self.entries) if e.file is None or e.file == key]


def file_key(witness_path: str, folder: Path) -> str:
    """A witness path as entries record it: relative to the baseline's folder, with / separators."""
    if witness_path == "-" or is_url(witness_path):
        return witness_path  # a URL is recorded as it is, never relative to a folder
    return Path(os.path.relpath(os.path.abspath(witness_path), os.path.abspath(folder))).as_posix()


def entry_for(f: Finding, file: str | None, reason: str = "") -> Accepted:
    return Accepted(f.code, f.base_norm, f.witness_norm, f.before, f.after, file, f.context, reason)


def match(entries: Sequence[Accepted], candidates: Iterable[int], findings: Sequence[Finding]) -> dict[int, int]:
    """finding index -> entry index, each entry used once: exact context first, then half the context."""
    pools: dict[tuple[str, str, str], list[int]] = {}
    for k in candidates:
        e = entries[k]
        pools.setdefault((e.code, e.base, e.witness), []).append(k)
    out: dict[int, int] = {}
    for exact in (True, False):
        for i, f in enumerate(findings):
            pool = pools.get((f.code, f.base_norm, f.witness_norm))
            if i in out or not pool:
                continue
            for pos, k in enumerate(pool):
                e = entries[k]
                if (e.before == f.before and e.after == f.after) if exact else (e.before == f.before or e.after == f.after):
                    out[i] = k
                    del pool[pos]
                    break
    return out


def load(path: Path) -> Baseline:
    """Read a baseline; a malformed one is an input error naming the entry."""
    try:
        text, data = read_toml(path, "baseline", "fix its syntax, or write it again with --write-baseline")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such baseline", "--baseline names a file that does not exist", "check the path, or create it with --write-baseline") from exc
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise InputError(f"{path}: unknown baseline schema {schema!r}", f"this jiaokan reads {SCHEMA}", "write it again with --write-baseline")
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[accepted]]"]
    raw = data.get("accepted", [])
    if not isinstance(raw, list):
        raise InputError(f"{path}: 'accepted' must be an array of tables", "write entries as [[accepted]]", "write it again with --write-baseline")
    entries = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise InputError(f"{path}: accepted entry {n} has no code", "every [[accepted]] needs code, base, witness, before, after", "fix the entry or delete it")
        unknown = sorted(set(item) - set(_FIELDS))
        if unknown:
            raise InputError(f"{path}: accepted entry {n} has an unknown field '{unknown[0]}'", f"fields are {', '.join(_FIELDS)}", "remove it")
        if item["code"] not in ALL_CODES:
            raise InputError(f"{path}: accepted entry {n} has an unknown code {item['code']!r}", "codes are listed in docs/findings.md", "fix the code")
        values = {k: item.get(k, "") for k in _FIELDS if k != "file"}
        fields = {k: v for k, v in values.items() if isinstance(v, str)}
        file = item.get("file")
        if len(fields) < len(values) or not isinstance(file, str | None):
            raise InputError(f"{path}: accepted entry {n} has a field that is not a string", "every field is text", "quote it")
        line = headers[n - 1] if len(headers) == len(raw) else 0
        entries.append(Accepted(Code(fields["code"]), fields["base"], fields["witness"], fields["before"], fields["after"], file, fields["context"], fields["reason"], line))
    return Baseline(path, tuple(entries))


def dumps(entries: Sequence[Accepted], *, base: str) -> str:
    """The baseline file: a comment for the person who fills in the reasons, then the entries."""
    import tomli_w

    head = (
        "# jiaokan accepted variants: findings a person has reviewed and accepted.\n"
        "# `jiaokan check` fails only on findings not listed here. Fill in each reason.\n"
        "# Entries match by code, text and the surrounding wording, not by position.\n"
    )
    body = tomli_w.dumps({"schema": SCHEMA, "base": base, "accepted": [serialize.accepted(e) for e in entries]})
    return head + "\n" + body
