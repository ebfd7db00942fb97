"""Main content, not the page: the article body of a web page, found in the ORIGINAL HTML.

A reprint saved from a government or news site carries the site around it: navigation, a breadcrumb, share
buttons, 打印本页, related links, 责任编辑, a footer with an ICP number.  That text is the site's, not the
document's, and is framing.  The body is found by a site profile (CSS selectors the user configures for a site,
exact) or else by trafilatura, chosen on measured evidence (docs/extract.md).

Neither tool knows jiaokan's offsets, so neither is trusted for them: what they return is text, and that text is
aligned onto the plain text of the ``markup`` normalization rule (:func:`jiaokan.markup.html_text`), whose offset
map leads back to the original characters.  The body is therefore a set of ranges of ``Document.text``; the
paragraphs outside it are set aside by the segmentation, as framing patterns set aside a site's own paragraphs.

The engines (lxml, cssselect, trafilatura) are the optional extra ``web``; without it a page is compared whole,
as before, and a configured site profile is an error saying what to install.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol
from urllib.parse import urlsplit

from jiaokan.errors import InputError
from jiaokan.markup import html_text
from jiaokan.patterns import compiled

if TYPE_CHECKING:
    from jiaokan.ingest import Document
    from jiaokan.normalize import Normalized
    from jiaokan.textmap import MappedText

How = Literal["profile", "extractor"]
MIN_BODY = 40  # non-space characters an extractor must place before its body is believed
BRIDGE = 0  # non-space characters of page between two body pieces that still make them one range (measured: 0 is best)
ANCHOR = 8  # a piece this long found once on the page anchors the rest
FUZZY = 85  # rapidfuzz partial-ratio a piece not found verbatim needs in its window
_SPACE = compiled(r"\s+")


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """Where a site keeps its body: CSS selectors, for pages whose URL host is ``host`` and/or whose path or URL
    ``pattern`` (a regular expression) searches; with neither, for any page where a selector matches."""

    body: tuple[str, ...]
    host: str | None = None
    pattern: str | None = None

    def applies_to(self, document: Document) -> bool:
        places = addresses(document)
        if self.host is not None and not any(_host_matches(self.host, p) for p in places):
            return False
        return self.pattern is None or any(re.search(self.pattern, p) for p in places)

    @property
    def label(self) -> str:
        what = " ".join(f"{k}={v!r}" for k, v in (("host", self.host), ("pattern", self.pattern)) if v is not None)
        return f"site profile {what or 'for any page'} (body {', '.join(self.body)})"


@dataclass(frozen=True, slots=True)
class Body:
    """The body of a page: ranges of ``Document.text`` (ascending, disjoint), and what found them."""

    ranges: tuple[tuple[int, int], ...]
    how: How
    profile: SiteProfile | None = None

    def contains(self, offset: int) -> bool:
        k = bisect.bisect_right(self.ranges, (offset, 1 << 62)) - 1
        return k >= 0 and self.ranges[k][0] <= offset < self.ranges[k][1]

    def outside(self, normalized: Normalized) -> Callable[[int, int], bool]:
        """A test for ``segment``: is the normalized paragraph ``[i, j)`` outside the body (most of its
        characters come from original text outside it)?"""
        starts = normalized.mapped.starts

        def test(i: int, j: int) -> bool:
            inside = sum(1 for k in range(i, j) if self.contains(starts[k]))
            return inside * 2 < j - i

        return test


def body_of(document: Document, *, sites: Sequence[SiteProfile] = ()) -> Body | None:
    """The body of an HTML document (None for any other format, or when nothing credible was found: the page is
    then compared whole).  The first site profile that applies and selects something wins; else the extractor."""
    if document.format != "html":
        return None
    plain = html_text(document.text, document.body_start, len(document.text))
    for profile in sites:
        if not profile.applies_to(document):
            continue
        found = sorted(r for pieces in selected(document, profile) for r in place(plain, pieces, bridge=None))
        if found:
            return Body(_union(found), "profile", profile)
    pieces = extracted(document)
    if pieces is None:
        return None
    ranges = place(plain, trimmed(pieces), bridge=BRIDGE)
    placed = sum(_visible(plain.text, plain.starts, s, e) for s, e in ranges)
    if placed < MIN_BODY:
        return None
    title = _title(document, plain, ranges[0][0])
    return Body(_union(sorted([*ranges, *([title] if title else [])])), "extractor")


# A page's own line at the edge of an article (发布时间：… 来源：… 浏览次数, 【打印本页】【关闭窗口】, 责任编辑): short, no
# sentence in it.  The extractors keep some when they sit inside the article's container.
_EDGE_CHROME = compiled(r"^(?=[^。；！？]{0,120}$).*(?:来源：|来源:|发布时间|发布日期|浏览次数|点击数|字号|字体|打印本页|关闭窗口|责任编辑|责编|分享到)")


EDGE = 3  # pieces at each end of the extracted text where the page's own lines are looked for


def trimmed(pieces: Sequence[str]) -> list[str]:
    """The extracted pieces without the page's own lines near their start and end (a title may precede them)."""
    out = [p.strip() for p in pieces if p.strip()]
    edge = EDGE
    return [p for k, p in enumerate(out) if not ((k < edge or k >= len(out) - edge) and _EDGE_CHROME.search(p))]


def _union(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in ranges:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


TITLE_WINDOW = 600  # non-space characters before the body where its title is looked for


def _title(document: Document, plain: MappedText, body_start: int) -> tuple[int, int] | None:
    """The page's own heading of the document, when the extractor left it out (a CMS puts the title above the
    body's container): the nearest paragraph before the body that the page's <title> or ArticleTitle contains."""
    names = [document.metadata.title or ""] + [v for k, v in document.metadata.fields if k in ("articletitle", "og:title", "title")]
    titles = [_SPACE.sub("", n) for n in names if n]
    if not titles:
        return None
    end = bisect.bisect_left(plain.starts, body_start)
    text = plain.text[:end]
    seen = 0
    pos = len(text)
    while pos > 0 and seen < TITLE_WINDOW:
        start = text.rfind("\n\n", 0, pos)
        para = text[start + 2 if start >= 0 else 0:pos]
        dense = _SPACE.sub("", para)
        if len(dense) >= 4 and any(dense in t for t in titles):
            lo = (start + 2 if start >= 0 else 0) + (len(para) - len(para.lstrip()))
            hi = (start + 2 if start >= 0 else 0) + len(para.rstrip())
            return plain.starts[lo], plain.ends[hi - 1]
        seen += len(dense)
        pos = max(start, 0)
    return None


# ---------------------------------------------------------------- the engines


def _markup(document: Document) -> str:
    """The page's HTML as lxml takes it: a ``str`` may not carry an XML encoding declaration."""
    text = document.text[document.body_start:]
    return re.sub(r"^\s*<\?xml[^>]*>", "", text)


def selected(document: Document, profile: SiteProfile) -> list[list[str]]:
    """The text of each element ``profile`` selects, cut into paragraphs as the markup rule cuts them."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_markup(document))
    except (lxml.etree.ParserError, ValueError):
        return []
    pieces: list[list[str]] = []
    seen: set[int] = set()
    for selector in profile.body:
        for element in compiled_selector(selector)(root):
            if any(id(a) in seen for a in element.iterancestors()) or id(element) in seen:
                continue  # inside an element already taken
            seen.add(id(element))
            markup = lxml.html.tostring(element, encoding="unicode", with_tail=False)
            pieces.append([p for p in html_text(markup, 0, len(markup)).text.split("\n\n") if p.strip()])
    return pieces


def extracted(document: Document) -> list[str] | None:
    """readability-lxml's article, cut into paragraphs as the markup rule cuts them (None without the ``web``
    extra)."""
    try:
        from readability import Document as Readable
    except ImportError:
        return None
    try:
        article = Readable(_markup(document)).summary(html_partial=True)
    except Exception:  # noqa: BLE001  (readability raises its own Unparseable, lxml's errors, ValueError...)
        return None
    return [p for p in html_text(article, 0, len(article)).text.split("\n\n") if p.strip()]


@lru_cache(maxsize=64)
def compiled_selector(selector: str) -> Callable[[object], list[_LxmlElement]]:
    """A CSS selector as an lxml XPath; a bad one is an input error (what, why, fix)."""
    try:
        from cssselect import GenericTranslator, SelectorError
        from lxml.etree import XPath
    except ImportError as exc:
        raise InputError(f"site profile selector {selector!r} needs lxml and cssselect", "they are not installed",
                         "pip install 'jiaokan[web]'") from exc
    try:
        xpath = XPath(GenericTranslator().css_to_xpath(selector))
    except SelectorError as exc:
        raise InputError(f"site profile selector {selector!r} is not a valid CSS selector", str(exc),
                         'fix it in the configuration, e.g. body = ["#UCAP-CONTENT"]') from exc

    def run(root: object) -> list[_LxmlElement]:
        found = xpath(root)
        return [e for e in found if hasattr(e, "iterancestors")] if isinstance(found, list) else []

    return run


class _LxmlElement(Protocol):
    def iterancestors(self) -> Sequence[_LxmlElement]: ...


def addresses(document: Document) -> list[str]:
    """Where a page says it lives: its path (or URL, for a fetched page), its canonical link, og:url, <base>."""
    head = document.text[document.body_start:document.body_start + 200_000]
    found = [document.path]
    for m in _ADDRESS.finditer(head):
        found.append(m.group("a") or m.group("b") or "")
    return [a for a in found if a]


_ADDRESS = compiled(
    r"""<link\b[^<>]*\brel=["']?canonical["']?[^<>]*\bhref=["'](?P<a>[^"'<>]+)["']"""
    r"""|<(?:meta\b[^<>]*\bproperty=["']og:url["'][^<>]*\bcontent|base\b[^<>]*\bhref)=["'](?P<b>[^"'<>]+)["']""",
    re.I,
)


def _host_matches(host: str, address: str) -> bool:
    try:
        found = urlsplit(address).hostname or ""
    except ValueError:
        return False
    host = host.lower().lstrip(".")
    return found == host or found.endswith("." + host)


# ---------------------------------------------------------------- placing text on the page


def place(plain: MappedText, pieces: Sequence[str], *, bridge: int | None) -> tuple[tuple[int, int], ...]:
    """The ranges of the original text that ``pieces`` (text found on the page, in page order) come from.

    Spaces are ignored on both sides (the tools collapse and trim them).  Pieces found exactly once anchor the
    rest (the heaviest chain in order); each other piece is looked for between its anchored neighbours, verbatim
    first, then approximately.  Places less than ``bridge`` characters apart are joined (``None``: everything from
    the first to the last is one range, as an element selected whole is).
    """
    dense, where = _dense(plain.text)
    wanted = [_SPACE.sub("", p) for p in pieces]
    wanted = [w for w in wanted if w]
    spans: list[tuple[int, int] | None] = [None] * len(wanted)
    anchors = []
    for k, w in enumerate(wanted):
        if len(w) >= ANCHOR:
            at = dense.find(w)
            if at >= 0 and dense.find(w, at + 1) < 0:
                anchors.append((k, at))
    for k in _heaviest_chain([(at, len(wanted[i])) for i, at in anchors]):
        i, at = anchors[k]
        spans[i] = (at, at + len(wanted[i]))
    for i, w in enumerate(wanted):
        if spans[i] is not None:
            continue
        lo = max((s[1] for s in spans[:i] if s is not None), default=0)
        hi = min((s[0] for s in spans[i + 1:] if s is not None), default=len(dense))
        spans[i] = _find(dense, w, lo, hi)
    found = sorted(s for s in spans if s is not None)
    if not found:
        return ()
    merged: list[list[int]] = []
    for s, e in found:
        if merged and (bridge is None or s - merged[-1][1] <= bridge):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple((plain.starts[where[s]], plain.ends[where[e - 1]]) for s, e in merged)


def _dense(text: str) -> tuple[str, list[int]]:
    """``text`` without spaces, and where each of its characters is in ``text``."""
    where = [k for k, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[k] for k in where), where


def _find(dense: str, piece: str, lo: int, hi: int) -> tuple[int, int] | None:
    if hi - lo < len(piece) // 2:
        return None
    at = dense.find(piece, lo, hi)
    if at >= 0:
        return at, at + len(piece)
    if len(piece) < ANCHOR or hi - lo > 200_000:
        return None
    from rapidfuzz import fuzz

    got = fuzz.partial_ratio_alignment(piece, dense[lo:hi], score_cutoff=FUZZY)
    if got is None or got.dest_end - got.dest_start < len(piece) // 2:
        return None
    return lo + got.dest_start, lo + got.dest_end


def _heaviest_chain(points: list[tuple[int, int]]) -> list[int]:
    """Indices of the chain of ``(position, weight)`` points (in piece order) with strictly increasing positions and
    the greatest total weight: the longest pieces decide where the body is, not the number of short ones (a
    tool may give the title after the text it stands above).  A Fenwick tree of best sums by position, n log n."""
    ranks = {v: k + 1 for k, v in enumerate(sorted({pos for pos, _ in points}))}
    size = len(ranks)
    tree = [(0, -1)] * (size + 1)  # (best total, index ending it) over positions up to here
    back = [-1] * len(points)
    total = [0] * len(points)
    for k, (pos, weight) in enumerate(points):
        r, best = ranks[pos] - 1, (0, -1)
        while r > 0:
            best = max(best, tree[r])
            r -= r & -r
        total[k], back[k] = best[0] + weight, best[1]
        r = ranks[pos]
        while r <= size:
            tree[r] = max(tree[r], (total[k], k))
            r += r & -r
    out: list[int] = []
    k = max(range(len(points)), key=total.__getitem__) if points else -1
    while k >= 0:
        out.append(k)
        k = back[k]
    return out[::-1]


def _visible(text: str, starts: Sequence[int], s: int, e: int) -> int:
    """Non-space characters of the plain ``text`` whose original place is inside ``[s, e)``."""
    lo = bisect.bisect_left(starts, s)
    hi = bisect.bisect_left(starts, e)
    return sum(1 for ch in text[lo:hi] if not ch.isspace())
