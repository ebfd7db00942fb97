"""Markup out, keeping the map: HTML and Markdown to plain text with offsets.

Used by the ``markup`` normalization rule.  HTML is parsed with the standard
library's event parser (no recursion, so a page nested 100,000 levels deep
costs nothing extra); every piece of text it emits keeps the span of the
source characters it came from, entities included.
"""

from __future__ import annotations

import html
import re
from array import array
from html.parser import HTMLParser

from jiaokan.findings import Code
from jiaokan.patterns import compiled
from jiaokan.textmap import Builder, MappedText, typecode

# Elements whose start and end are paragraph boundaries.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody "
    "td tfoot th thead title tr ul".split()
)
# Elements whose content is not document text.
SKIP_TAGS = frozenset("script style head noscript template iframe object svg math select option button".split())
LINE_TAGS = frozenset({"br"})


# A "<" the event parser may see: one that opens a tag, an end tag, a comment, a declaration or a
# processing instruction closed within a bound, with no other "<" before its ">" (outside quotes).  Any
# other "<" is text, and is shown to the parser as a placeholder of the same length: the standard
# library's parser is quadratic on 500,000 "</" or 12,000 unclosed "<meta name=..." (it rescans to the
# end of the input for each), and makes an event of every bare "<".
_TAG_LIKE = compiled(
    r"""<(?!(?:/?[A-Za-z](?:[^<>"']|"[^"]{0,2000}"|'[^']{0,2000}'){0,4000}>|!--|![^<>]{0,4000}>|\?[^<>]{0,4000}>))"""
)
_PLACEHOLDER = "\ue000"  # private use: data to the parser; the source's own "<" is what is emitted


def _for_parser(source: str) -> str:
    return _TAG_LIKE.sub(_PLACEHOLDER, source) if "<" in source else source


class _Extractor(HTMLParser):
    def __init__(self, source: str, base: int) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.base = base
        self.nl = [0, *(m.end() for m in re.finditer("\n", source))]
        self.parts: list[str] = []
        tc = typecode(base + len(source) + 1)
        self.starts: array[int] = array(tc)
        self.ends: array[int] = array(tc)
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.break_at = -1  # len(parts) just after the last break emitted

    # absolute offset of the event being handled
    def _here(self) -> int:
        line, col = self.getpos()
        return self.base + self.nl[line - 1] + col

    def _emit(self, text: str, start: int, end: int, one_to_one: bool) -> None:
        if self.skip_depth or not text:
            return
        self.parts.append(text)
        if one_to_one:
            self.starts.extend(range(start, start + len(text)))
            self.ends.extend(range(start + 1, start + len(text) + 1))
        else:
            self.starts.extend(array(self.starts.typecode, [start]) * len(text))
            self.ends.extend(array(self.ends.typecode, [end]) * len(text))

    def _tag_end(self, start: int) -> int:
        rel = start - self.base
        close = self.source.find(">", rel)
        return self.base + (close + 1 if close >= 0 else len(self.source))

    def _break(self, text: str) -> None:
        if self.parts and self.parts[-1] == "\n\n" and self.break_at == len(self.parts):
            return  # a paragraph break already ends the text: 400,000 block tags in a row make one, not 800,000 lines
        start = self._here()
        self._emit(text, start, self._tag_end(start), one_to_one=False)
        self.break_at = len(self.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skip_depth += 1
            self.skip_stack.append(tag)
            return
        if tag in BLOCK_TAGS:
            self._break("\n\n")
        elif tag in LINE_TAGS:
            self._break("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._break("\n\n")
        elif tag in LINE_TAGS:
            self._break("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            if tag in self.skip_stack:
                while self.skip_stack:
                    self.skip_depth -= 1
                    if self.skip_stack.pop() == tag:
                        break
            return
        if tag in BLOCK_TAGS:
            self._break("\n\n")

    def handle_data(self, data: str) -> None:
        start = self._here()
        if _PLACEHOLDER in data:  # the text as it is in the source ("<" the parser was not shown)
            rel = start - self.base
            data = self.source[rel: rel + len(data)]
        # Line breaks in HTML source are spaces, not paragraph breaks.
        self._emit(data.replace("\r", " ").replace("\n", " "), start, start + len(data), one_to_one=True)

    def _ref(self, raw_prefix: str, name: str) -> None:
        start = self._here()
        rel = start - self.base
        end = start + len(raw_prefix) + len(name)
        if self.source[rel + len(raw_prefix) + len(name): rel + len(raw_prefix) + len(name) + 1] == ";":
            end += 1
        raw = self.source[rel: end - self.base]
        text = html.unescape(raw)
        if text == raw:
            self._emit(raw, start, end, one_to_one=True)
        else:
            self._emit(text.replace("\xa0", " "), start, end, one_to_one=False)

    def handle_entityref(self, name: str) -> None:
        self._ref("&", name)

    def handle_charref(self, name: str) -> None:
        self._ref("&#", name)

    def unknown_decl(self, data: str) -> None:  # CDATA and the like: not text
        return


def html_text(original: str, start: int, end: int) -> MappedText:
    """Plain text of ``original[start:end]`` (HTML), mapped into ``original``."""
    source = original[start:end]
    parser = _Extractor(source, start)
    try:
        parser.feed(_for_parser(source))
        parser.close()
    except (AssertionError, ValueError):  # malformed beyond what the parser tolerates
        pass
    return MappedText("".join(parser.parts), parser.starts, parser.ends)


_MD_HEADING = compiled(r"^[ \t]{0,3}(#{1,6}[ \t]+)", re.M)
_MD_EMPHASIS = compiled(r"(\*\*|__|~~)(?=\S)")
_MD_EMPHASIS_END = compiled(r"(?<=\S)(\*\*|__|~~)")
# Linear on any line: no pattern scans past the next character that could start another match
# ("[" for a link's text, "(" for its target, "<" for a tag), so 2,000,000 "[" or 1,000,000 "<a" on one
# line cost one pass, not a quadratic search.
_MD_LINK = compiled(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_MD_QUOTE = compiled(r"^[ \t]{0,3}(>[ \t]?)+", re.M)
_MD_INLINE_TAG = compiled(r"</?[a-zA-Z][^<>\n]*>")


def markdown_text(mt: MappedText, *, code: Code) -> MappedText:
    """Remove Markdown syntax that is not text: heading marks, emphasis, links' targets (each change marked ``code``)."""
    b = Builder(mt, code)
    text = mt.text
    cuts: list[tuple[int, int, str]] = []
    for pat in (_MD_HEADING, _MD_QUOTE):
        cuts.extend((m.start(), m.end(), "") for m in pat.finditer(text))
    for m in _MD_EMPHASIS.finditer(text):
        cuts.append((m.start(), m.end(), ""))
    for m in _MD_EMPHASIS_END.finditer(text):
        cuts.append((m.start(), m.end(), ""))
    for m in _MD_INLINE_TAG.finditer(text):
        cuts.append((m.start(), m.end(), ""))
    pos = text.find("<!--")
    while pos >= 0:  # HTML comments (<!-- INFO END -->), found without a regular expression: bounded on any input
        end = text.find("-->", pos + 4)
        end = len(text) if end < 0 else end + 3
        cuts.append((pos, end, ""))
        pos = text.find("<!--", end)
    for m in _MD_LINK.finditer(text):
        # keep the link text, drop "[", "](...)"
        cuts.append((m.start(), m.start(1), ""))
        cuts.append((m.end(1), m.end(), ""))
    cuts.sort()
    pos = 0
    for i, j, new in cuts:
        if i < pos:
            continue
        b.replace(i, j, new)
        pos = j
    return b.build()


_ANY_TAG = compiled(r"<[^<>]*>")


def plain_text(html_text: str) -> str:
    """A stretch of HTML as a reader sees it, roughly: tags out, entities decoded (for comparing and showing
    pieces of a page the event parser already mapped; not a parser)."""
    return html.unescape(_ANY_TAG.sub("", html_text))
