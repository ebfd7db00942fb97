"""Stages 1-3 as one step: a document read, normalized and segmented, once per run.

Every command compares prepared documents (diff, check, trace, collate, scan,
review): a collation of N copies prepares each copy once, not N-1 times; a scan
prepares the base once and each reprint once, whether the screen alone, the
diff or the trace reads it.  A prepared document remembers the settings it was
prepared with, so it is never compared under other rules by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jiaokan.config import Settings, compile_framing
from jiaokan.extract import SiteProfile, body_of
from jiaokan.ingest import Document, DocxRevisions, read_document
from jiaokan.labels import Labelled, find_labels
from jiaokan.normalize import Normalized, normalize
from jiaokan.segment import Segmented, segment


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document, its normalized text (with the offset map back to the original) and its comparison stream."""

    document: Document
    segmented: Segmented
    rules: str  # as given in the settings (the resolved rule names are in ``normalized.rules``)
    framing_patterns: tuple[str, ...]
    sites: tuple[SiteProfile, ...] = ()
    # its labels and masked stream, found when first compared: a base diffed with many witnesses (check, scan,
    # review, collate) finds them once; a document prepared only to be screened never does
    _labelled: Labelled | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def normalized(self) -> Normalized:
        return self.segmented.normalized

    @property
    def stream(self) -> str:
        return self.segmented.stream

    def labelled(self) -> Labelled:
        """Its labels and references, and its stream with their numbers masked (``labels.find_labels``), computed
        once.  The cache is no state a reader sees: the value is the same whenever it is computed."""
        if self._labelled is None:
            object.__setattr__(self, "_labelled", find_labels(self.segmented))  # frozen: set once, by the one way
        assert self._labelled is not None
        return self._labelled

    def prepared_for(self, settings: Settings) -> bool:
        """Was it prepared as ``settings`` would prepare it (the same rules, framing patterns and site profiles)?"""
        return (self.rules == settings.rules and self.framing_patterns == tuple(settings.framing_patterns)
                and self.sites == tuple(settings.sites))


def prepare(document: Document, *, settings: Settings | None = None) -> Prepared:
    """Normalize with ``settings.rules`` and segment, setting aside the paragraphs the framing patterns match and,
    on a web page, those outside its body (``extract.body_of``: a site profile, else the extractor)."""
    settings = settings or Settings()
    patterns = tuple(settings.framing_patterns)
    normalized = normalize(document, rules=settings.rules)
    body = body_of(document, sites=settings.sites)
    outside = body.outside(normalized) if body is not None else None
    segmented = segment(normalized, leave_out=compile_framing(patterns), outside=outside)
    return Prepared(document, segmented, settings.rules, patterns, tuple(settings.sites))


def prepare_file(path: str, *, settings: Settings | None = None, docx_revisions: DocxRevisions = "accepted") -> Prepared:
    """Read (``-`` is standard input) and prepare; ``docx_revisions``: how a Word file's tracked changes read."""
    return prepare(read_document(path, docx_revisions=docx_revisions), settings=settings)
