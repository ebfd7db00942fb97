"""Findings: small dataclasses with a documented JSON form (``jiaokan.diff/1``), and the one registry of codes.

Codes are stable kebab-case strings documented in ``docs/findings.md``; a code
never changes meaning, new ones may be added.  :data:`REGISTRY` is the only
table of codes: severity, nature, how the review page shows it, its
description, and how reports treat it are all read from there (a test checks
``docs/findings.md`` against it).  A cosmetic code is made by the normalization
rule that declares it (``normalize.RULES``); adding a code is this registry plus
the place that emits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Severity(StrEnum):
    SUBSTANTIVE = "substantive"
    STRUCTURAL = "structural"  # the structure changed, not the wording: labels renumbered; or a scan's doubtful reading (listed, never failing)
    COSMETIC = "cosmetic"
    FRAMING = "framing"


SUBSTANTIVE = Severity.SUBSTANTIVE
STRUCTURAL = Severity.STRUCTURAL
COSMETIC = Severity.COSMETIC
FRAMING = Severity.FRAMING
SEVERITIES = tuple(Severity)


class Nature(StrEnum):
    """What a difference is: the text says something else, the same text is written otherwise, or a wrapper."""

    DRIFT = "drift"
    READING = "reading"
    WRAPPER = "wrapper"


class Kind(StrEnum):
    """The colour-and-symbol family the review page shows a finding in."""

    SUBSTITUTION = "substitution"
    INSERTION = "insertion"
    DELETION = "deletion"
    MOVE = "move"
    NUMBER = "number"
    RENUMBERING = "renumbering"
    COSMETIC = "cosmetic"
    FRAMING = "framing"


class Parts(StrEnum):
    """What a finding's ``parts`` are.

    PLACES: the finding stands for its parts, each a place of the same change (a group of one change repeated, a run
    of renumbered labels); EDITS: changes inside the passage the finding covers (a moved article that was also
    edited); PARAGRAPHS: the paragraphs of the unit it covers (an omitted article of several paragraphs).
    """

    NONE = ""
    PLACES = "places"
    EDITS = "edits"
    PARAGRAPHS = "paragraphs"


class Section(StrEnum):
    """The report's sections, in the order a reader wants them: what changed the text, the same change repeated,
    the structure renumbered, (on request) the readings, each copy's own wrapper last."""

    SUBSTANTIVE = "substantive"
    REPEATED = "repeated"
    STRUCTURAL = "structural"
    COSMETIC = "cosmetic"
    FRAMING = "framing"


class Code(StrEnum):
    WORDING_SUBSTITUTION = "wording-substitution"
    WORDING_INSERTION = "wording-insertion"
    WORDING_DELETION = "wording-deletion"
    NUMBER_CHANGE = "number-change"
    SENTENCE_OMISSION = "sentence-omission"
    PARAGRAPH_OMISSION = "paragraph-omission"
    SENTENCE_ADDITION = "sentence-addition"
    PARAGRAPH_ADDITION = "paragraph-addition"
    PARAGRAPH_MOVE = "paragraph-move"
    SENTENCE_MOVE = "sentence-move"
    METADATA_OMISSION = "metadata-omission"
    STALE_REFERENCE = "stale-reference"
    RENUMBERING = "renumbering"
    OCR_UNCERTAIN = "ocr-uncertain"
    BIDI_CONTROL = "bidi-control"
    MARKUP = "markup"
    INVISIBLE = "invisible"
    VARIATION_SELECTOR = "variation-selector"
    COMPOSITION = "composition"
    COMPATIBILITY_IDEOGRAPH = "compatibility-ideograph"
    RADICAL = "radical"
    SCRIPT = "script"
    REGIONAL_VARIANT = "regional-variant"
    PUNCTUATION = "punctuation"
    WIDTH = "width"
    WHITESPACE = "whitespace"
    RUBY = "ruby"
    NUMERAL_FORM = "numeral-form"
    LAYOUT = "layout"
    JUNK_SYMBOLS = "junk-symbols"
    FRAMING = "framing"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """Everything about one finding code that any report, page or setting needs."""

    code: Code
    severity: Severity  # the default; `substantive-codes` in the configuration can change it
    nature: Nature
    kind: Kind
    description: str  # one line (SARIF rule descriptions, --help)
    word_diff: bool = False  # shown in context as …[-old-]{+new+}…
    variant: bool = False  # a reading of the words at a place: makes a variant place in a collation
    gap: bool = False  # a whole base passage absent: the review page shows a gap beside it, not a point


def _drift(code: Code, kind: Kind, description: str, **flags: bool) -> CodeInfo:
    return CodeInfo(code, SUBSTANTIVE, Nature.DRIFT, kind, description, **flags)


def _reading(code: Code, description: str, severity: Severity = COSMETIC) -> CodeInfo:
    return CodeInfo(code, severity, Nature.READING, Kind.COSMETIC if severity == COSMETIC else Kind.INSERTION, description)


_ENTRIES = (
    _drift(Code.WORDING_SUBSTITUTION, Kind.SUBSTITUTION, "Words of the base replaced by other words in the witness.", word_diff=True, variant=True),
    _drift(Code.WORDING_INSERTION, Kind.INSERTION, "Words added inside a sentence of the base.", word_diff=True, variant=True),
    _drift(Code.WORDING_DELETION, Kind.DELETION, "Words of the base dropped inside a sentence.", word_diff=True, variant=True),
    _drift(Code.NUMBER_CHANGE, Kind.NUMBER, "A number changed: digits, a Chinese numeral before a unit or in a label, a date.", word_diff=True, variant=True),
    _drift(Code.SENTENCE_OMISSION, Kind.DELETION, "Whole sentences of the base missing from the witness.", word_diff=True, variant=True),
    _drift(Code.PARAGRAPH_OMISSION, Kind.DELETION, "A whole paragraph of the base missing from the witness.", word_diff=True, gap=True),
    _drift(Code.SENTENCE_ADDITION, Kind.INSERTION, "Whole sentences the base does not have.", word_diff=True, variant=True),
    _drift(Code.PARAGRAPH_ADDITION, Kind.INSERTION, "A whole paragraph the base does not have, inside the document's body.", word_diff=True),
    _drift(Code.PARAGRAPH_MOVE, Kind.MOVE, "A whole paragraph of the base found elsewhere in the witness."),
    _drift(Code.SENTENCE_MOVE, Kind.MOVE, "Sentences of the base found elsewhere in the witness."),
    _drift(Code.METADATA_OMISSION, Kind.DELETION,
           "The base's document number (文号), addressee, signature, date or publication note missing from the witness.", gap=True),
    _drift(Code.STALE_REFERENCE, Kind.NUMBER,
           "A cross-reference (依照本条例第三十条) that keeps its number while the witness renumbered the article it points to.",
           word_diff=True),
    CodeInfo(Code.RENUMBERING, STRUCTURAL, Nature.DRIFT, Kind.RENUMBERING,
             "Labels (第N条, 第N章, （N）, N.) and the cross-references to them renumbered consistently after an inserted or "
             "deleted unit: one finding per run."),
    CodeInfo(Code.OCR_UNCERTAIN, STRUCTURAL, Nature.DRIFT, Kind.SUBSTITUTION,
             "A difference touching characters OCR read with low confidence: the scan may say what the other copy does; "
             "check it before taking it for drift.", word_diff=True),
    _reading(Code.BIDI_CONTROL, "A bidirectional control character, which can hide or reorder text on screen (U+202E and the like).",
             severity=SUBSTANTIVE),
    _reading(Code.MARKUP, "HTML or Markdown markup, or a character written as an entity, in one copy."),
    _reading(Code.INVISIBLE, "An invisible format character (zero-width space, joiner, soft hyphen) inside the text."),
    _reading(Code.VARIATION_SELECTOR, "A variation selector after a character (a glyph choice, not another character)."),
    _reading(Code.COMPOSITION, "The same letters composed or decomposed (ó / o + U+0301), Unicode NFC."),
    _reading(Code.COMPATIBILITY_IDEOGRAPH, "A CJK compatibility ideograph for its unified ideograph (U+F9xx / 數)."),
    _reading(Code.RADICAL, "A Kangxi or CJK Radicals Supplement look-alike for an ideograph, as PDF extractors give (⼯ / 工, ⻔ / 门)."),
    _reading(Code.SCRIPT, "Traditional and simplified characters, or Hong Kong / Taiwan variant characters, differ."),
    _reading(Code.REGIONAL_VARIANT, "Taiwan or Hong Kong vocabulary for the same word, as OpenCC's dictionaries pair them (數位/数字, 資料/数据)."),
    _reading(Code.PUNCTUATION, "Half-width and full-width or otherwise equivalent punctuation, brackets or quotes differ."),
    _reading(Code.WIDTH, "Full-width and half-width letters or digits differ."),
    _reading(Code.WHITESPACE, "Spaces, letter spacing and indents differ."),
    _reading(Code.RUBY, "Pinyin annotations such as 國(guó) in one copy."),
    _reading(Code.NUMERAL_FORM, "Chinese and Arabic numerals differ (二〇二二年/2022年)."),
    _reading(Code.LAYOUT, "A line or page break, page number or running header inside a paragraph."),
    _reading(Code.JUNK_SYMBOLS, "Stray symbols inside words (anti-scraping noise)."),
    CodeInfo(Code.FRAMING, FRAMING, Nature.WRAPPER, Kind.FRAMING,
             "A copy's own wrapper: a forwarding notice's header, a site's chrome, a page footer."),
)
REGISTRY: dict[str, CodeInfo] = {e.code.value: e for e in _ENTRIES}  # looked up by any string: a code read from a file

ALL_CODES: tuple[Code, ...] = tuple(e.code for e in _ENTRIES)
SUBSTANTIVE_CODES: tuple[Code, ...] = tuple(e.code for e in _ENTRIES if e.severity == SUBSTANTIVE)
STRUCTURAL_CODES: tuple[str, ...] = tuple(c for c, e in REGISTRY.items() if e.severity == STRUCTURAL)
COSMETIC_CODES: tuple[str, ...] = tuple(c for c, e in REGISTRY.items() if e.severity == COSMETIC)
FRAMING_CODES: tuple[str, ...] = tuple(c for c, e in REGISTRY.items() if e.severity == FRAMING)
DESCRIPTIONS: dict[str, str] = {c: e.description for c, e in REGISTRY.items()}


def info(code: str) -> CodeInfo:
    """The registry entry of a code (KeyError for a code that does not exist)."""
    return REGISTRY[code]


def severity_of(code: str, substantive_codes: frozenset[str] | tuple[str, ...] = SUBSTANTIVE_CODES) -> Severity:
    """A code's severity under a setting of which codes are substantive: a code made substantive is; framing stays
    framing and structural stays structural; any other code not in the setting is cosmetic."""
    if code in substantive_codes:
        return SUBSTANTIVE
    if REGISTRY[code].severity in (FRAMING, STRUCTURAL):
        return REGISTRY[code].severity
    return COSMETIC


@dataclass(frozen=True, slots=True)
class Span:
    """A place in one file's decoded original text (code points, end exclusive)."""

    start: int
    end: int
    line: int
    column: int
    text: str
    page: int | None = None  # for a text with page breaks (a PDF's): the page it starts on, 1-based; else None
    page_line: int | None = None  # and the line in that page (``line`` runs on across pages)


class Locating(Protocol):
    """What a span is located in: an ingest.Document."""

    @property
    def text(self) -> str: ...
    def locate(self, offset: int) -> tuple[int, int]: ...
    def locate_page(self, offset: int) -> tuple[int, int, int] | None: ...


def span_at(doc: Locating, start: int, end: int, text: str | None = None) -> Span:
    """The span ``[start, end)`` of ``doc``: line and column, and the page and line in it when the text has pages
    (``text``: what to show, by default the original there)."""
    line, column = doc.locate(start)
    paged = doc.locate_page(start)
    page, page_line = (paged[0], paged[1]) if paged else (None, None)
    return Span(start, end, line, column, doc.text[start:end] if text is None else text, page, page_line)

@dataclass(frozen=True, slots=True)
class Finding:
    """One difference between base and witness, located in both originals."""

    code: Code
    severity: Severity
    base: Span
    witness: Span
    message: str
    base_norm: str = ""  # the normalized text compared, base side
    witness_norm: str = ""  # and witness side
    context: str = ""  # the heading of the base paragraph it belongs to, e.g. 三（一）强化安全管理责任
    before: str = ""  # normalized base text just before the change, for showing it in context
    after: str = ""  # and just after
    parts: tuple[Finding, ...] = ()  # what ``parts_kind`` says: a group's places, a move's inner edits, a unit's paragraphs
    parts_kind: Parts = Parts.NONE
    # where it lies in the compared streams, base [a1, a2) and witness [b1, b2): what the review page, a collation
    # and a scan place it by (not in the JSON: offsets of a normalized text are no place a reader can open)
    stream: tuple[int, int, int, int] | None = None

    @property
    def info(self) -> CodeInfo:
        return REGISTRY[self.code]

    @property
    def section(self) -> Section:
        """Where the report lists it: a group of one change repeated apart from single changes (a renumbering run made
        substantive is a single change), structure, then cosmetic and framing findings."""
        if self.severity == SUBSTANTIVE:
            repeated = self.parts_kind == Parts.PLACES and self.info.kind != Kind.RENUMBERING
            return Section.REPEATED if repeated else Section.SUBSTANTIVE
        if self.severity == STRUCTURAL:
            return Section.STRUCTURAL
        return Section.FRAMING if self.severity == FRAMING else Section.COSMETIC

    def places(self) -> tuple[Finding, ...]:
        """The findings that each mark a place of text: a group's or a run's parts (it stands for them); a moved
        passage and the edits inside it; a unit itself (its paragraphs only list what it covers)."""
        if self.parts_kind == Parts.PLACES:
            return tuple(p for part in self.parts for p in part.places())
        if self.parts_kind == Parts.EDITS:
            return (self, *(p for part in self.parts for p in part.places()))
        return (self,)

