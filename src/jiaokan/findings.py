"""Findings: small dataclasses with a documented JSON form (``jiaokan.diff/1``).

Codes are stable kebab-case strings documented in ``docs/findings.md``; a code
never changes meaning, new ones may be added.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBSTANTIVE = "substantive"
COSMETIC = "cosmetic"
FRAMING = "framing"
SEVERITIES = (SUBSTANTIVE, COSMETIC, FRAMING)

SUBSTANTIVE_CODES = (
    "wording-substitution",
    "wording-insertion",
    "wording-deletion",
    "number-change",
    "sentence-omission",
    "paragraph-omission",
    "sentence-addition",
    "paragraph-addition",
    "paragraph-move",
    "sentence-move",
    "metadata-omission",
)
COSMETIC_CODES = (
    "script",
    "regional-variant",
    "punctuation",
    "width",
    "whitespace",
    "ruby",
    "numeral-form",
    "layout",
    "junk-symbols",
)
FRAMING_CODES = ("framing",)
ALL_CODES = SUBSTANTIVE_CODES + COSMETIC_CODES + FRAMING_CODES


@dataclass(frozen=True, slots=True)
class Span:
    """A place in one file's decoded original text (code points, end exclusive)."""

    start: int
    end: int
    line: int
    column: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "line": self.line, "column": self.column, "text": self.text}


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference between base and witness, located in both originals."""

    code: str
    severity: str
    base: Span
    witness: Span
    message: str
    base_norm: str = ""  # the normalized text compared, base side
    witness_norm: str = ""  # and witness side
    context: str = ""  # the heading of the base paragraph it belongs to, e.g. 三（一）强化安全管理责任
    before: str = ""  # normalized base text just before the change, for showing it in context
    after: str = ""  # and just after

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "base": self.base.to_dict(),
            "witness": self.witness.to_dict(),
            "message": self.message,
            "context": self.context,
        }
