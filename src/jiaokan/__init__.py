"""jiaokan (校勘): collate reprints of Chinese official documents.

The library is the product; ``jiaokan.cli`` is a thin adapter over it.  The names below are imported when first
used (PEP 562): ``jiaokan --version`` and a submodule's import do not pay for the whole pipeline.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jiaokan.errors import InputError, JiaokanError
    from jiaokan.ingest import Document, Metadata, document_from_bytes, document_from_text, read_document
    from jiaokan.normalize import RULE_NAMES, RULES, Normalized, normalize, normalize_text

__version__ = "0.1.0"

# each public name → the module that defines it
_HOMES = {
    "InputError": "jiaokan.errors",
    "JiaokanError": "jiaokan.errors",
    "Document": "jiaokan.ingest",
    "Metadata": "jiaokan.ingest",
    "document_from_bytes": "jiaokan.ingest",
    "document_from_text": "jiaokan.ingest",
    "read_document": "jiaokan.ingest",
    "RULES": "jiaokan.normalize",
    "RULE_NAMES": "jiaokan.normalize",
    "Normalized": "jiaokan.normalize",
    "normalize": "jiaokan.normalize",
    "normalize_text": "jiaokan.normalize",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'jiaokan' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once: later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """``jiaokan.normalize`` is the function, as when it was imported eagerly: importing the submodule of that name
    does not rebind it to the module (``sys.modules["jiaokan.normalize"]`` is the module)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "normalize" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
