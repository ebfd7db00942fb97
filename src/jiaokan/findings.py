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

# One line per code, as docs/findings.md explains it (SARIF rule descriptions, --help texts).
DESCRIPTIONS = {
    "wording-substitution": "Words of the base replaced by other words in the witness.",
    "wording-insertion": "Words added inside a sentence of the base.",
    "wording-deletion": "Words of the base dropped inside a sentence.",
    "number-change": "A substitution in which the numbers differ (dates, amounts, article numbers).",
    "sentence-omission": "Whole sentences of the base missing from the witness.",
    "sentence-addition": "Whole sentences the base does not have.",
    "paragraph-omission": "A whole paragraph of the base missing from the witness.",
    "paragraph-addition": "A whole paragraph the base does not have, inside the document's body.",
    "paragraph-move": "A whole paragraph of the base found elsewhere in the witness.",
    "sentence-move": "Sentences of the base found elsewhere in the witness.",
    "metadata-omission": "The base's document number (文号), or its signature and date, missing from the witness.",
    "script": "Traditional and simplified characters differ.",
    "regional-variant": "Taiwan or Hong Kong vocabulary for the same word (數位/数字).",
    "punctuation": "Half-width and full-width or otherwise equivalent punctuation differ.",
    "width": "Full-width and half-width letters or digits differ.",
    "whitespace": "Spaces and indents differ.",
    "ruby": "Pinyin annotations such as 國(guó) in one copy.",
    "numeral-form": "Chinese and Arabic numerals differ (二〇二二年/2022年).",
    "layout": "A page break, page number or running header inside a paragraph.",
    "junk-symbols": "Stray symbols inside words (anti-scraping noise).",
    "framing": "A copy's own wrapper: a forwarding notice's header, a site's chrome, a page footer.",
}


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
