"""Renderers: take a result, return text.  No decisions are made here."""

from __future__ import annotations

import json
from collections.abc import Sequence

from jiaokan.normalize import Normalized, Rule


def to_json(data: object) -> str:
    """Deterministic JSON: same inputs, byte-identical output."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def rules_text(rules: Sequence[Rule]) -> str:
    width = max(len(r.name) for r in rules)
    return "".join(f"{k + 1:>2}. {r.name:<{width}}  {r.summary}\n" for k, r in enumerate(rules))


def normalized_text(result: Normalized, *, show_map: bool = False) -> str:
    data = result.to_dict(edits=show_map)
    paragraphs = data["paragraphs"]
    assert isinstance(paragraphs, list)
    lines = [
        f"# {data['path']}  ({data['format']}, {data['encoding']}; {len(paragraphs)} paragraphs; "
        f"rules: {','.join(result.rules) or 'none'})\n"
    ]
    for p in paragraphs:
        where = f"{p['line']}" if p["line"] == p["end_line"] else f"{p['line']}-{p['end_line']}"
        lines.append(f"{where:>9} | {p['text']}\n")
        if show_map:
            doc = result.document
            for ed in p["edits"]:
                line, col = doc.locate(ed["start"])
                shown_from = _visible(ed["original"])
                shown_to = _visible(ed["normalized"]) or "∅"
                lines.append(f"{'':>9} |   {line}:{col}  {shown_from!s} → {shown_to}\n")
    return "".join(lines)


_INVISIBLE = {"\n": "\\n", "\r": "\\r", "\f": "\\f", "\t": "\\t", " ": "␣", "\u3000": "\\u3000", "\xa0": "\\xa0"}


def _visible(s: str) -> str:
    return "".join(_INVISIBLE.get(c, c) for c in s)
