"""jiaokan (校勘): collate reprints of Chinese official documents.

The library is the product; ``jiaokan.cli`` is a thin adapter over it.
"""

from jiaokan.errors import InputError, JiaokanError
from jiaokan.ingest import Document, Metadata, document_from_bytes, document_from_text, read_document
from jiaokan.normalize import RULE_NAMES, RULES, Normalized, normalize, normalize_text

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "RULE_NAMES",
    "Document",
    "InputError",
    "JiaokanError",
    "Metadata",
    "Normalized",
    "__version__",
    "document_from_bytes",
    "document_from_text",
    "normalize",
    "normalize_text",
    "read_document",
]
