"""Issue 15, item 6: fuzz targets for the HTML, Markdown (YAML front matter) and text readers.

Random and structured hostile input through ``document_from_bytes``: nothing but an ``InputError`` may come out,
a document's offsets must map back into its text (``Document.text`` slices, ``locate``), and normalization's
paragraphs must map back to spans of the original.  Small sizes and a modest number of examples (derandomized) keep
the file fast; ``python -m pytest tests/test_fuzz.py --hypothesis-seed=K`` with a larger ``FUZZ_EXAMPLES`` by hand.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiaokan.errors import InputError
from jiaokan.ingest import Document, document_from_bytes
from jiaokan.normalize import normalize

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TEXT = st.text(alphabet=st.sampled_from(list("关于加强数字政府建设的指导意见。，、；：“”（）第一条二〇 \n\t\r<>/&;#[]()!*_`-=:'\"\x1b\x00\u200b\u202e\u2028𠀀")), max_size=300)
HTML_BITS = st.sampled_from(["<html>", "<head>", "<title>", "</title>", "<meta charset=\"gbk\">", "<meta name=\"a\" content=\"b\">",
                             "<meta name=\"a\" ", "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<style>", "<!--", "-->",
                             "<br>", "&amp;", "&#x4e2d;", "&#99999999;", "&nbsp;", "<![CDATA[", "]]>", "</", "<", "<a href=x>", "<pre>"])
MD_BITS = st.sampled_from(["# ", "## ", "[", "](", ")", "![", "<a", "`", "```\n", "**", "> ", "- ", "1. ", "\n\n", "<!--", "-->", "|", "---\n"])
YAML_BITS = st.sampled_from(["title: ", "date: 2022-06-06", "source: ", "&a ", "*a", "[", "]", "{", "}", "- ", ": ", "'", '"', "!!python/object:os.system ",
                             "\n", "  ", "? ", "|", ">", "%YAML 1.2\n", "---", "...", "文号: 国发〔2022〕14号"])


def _mixed(bits: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(bits, TEXT), max_size=40).map("".join)


def _check(data: bytes, path: str, fmt: str | None) -> None:
    try:
        doc = document_from_bytes(data, path=path, format=fmt)
    except InputError:
        return
    _offsets(doc)


def _offsets(doc: Document) -> None:
    assert isinstance(doc.text, str)
    n = len(doc.text)
    for k in (0, n // 2, n):
        line, column = doc.locate(k)
        assert line >= 1 and column >= 1
    try:
        result = normalize(doc)
    except InputError:
        return
    for p in result.paragraphs():
        start, end = result.original_span(p.start, p.end)
        assert 0 <= start <= end <= n
        assert isinstance(doc.text[start:end], str)


@FUZZ
@given(_mixed(HTML_BITS), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_html_reader(text: str, encoding: str) -> None:
    _check(text.encode(encoding, "replace"), "page.html", "html")


@FUZZ
@given(_mixed(MD_BITS), _mixed(YAML_BITS))
def test_markdown_reader_with_front_matter(body: str, front: str) -> None:
    _check(f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"), "page.md", "markdown")


@FUZZ
@given(_mixed(YAML_BITS), _mixed(MD_BITS))
def test_text_reader_with_front_matter(front: str, body: str) -> None:
    _check(f"---\n{front}\n---\n\n{body}".encode(), "page.txt", "txt")


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([None, "html", "markdown", "txt"]))
def test_any_bytes(data: bytes, fmt: str | None) -> None:
    _check(data, "blob.txt", fmt)


@FUZZ
@given(st.integers(1, 6))
def test_front_matter_aliases_are_bounded(depth: int) -> None:
    """A billion-laughs front matter: refused or read, never expanded without bound (rel-bound adds the limit)."""
    front = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"l{k}: &l{k} [" + ", ".join([f"*{'a' if k == 0 else f'l{k - 1}'}"] * 9) + "]\n" for k in range(depth))
    _check(f"---\n{front}---\n\n正文。\n".encode(), "laughs.md", "markdown")
