"""Accuracy on real amendments: fifteen pairs of published versions of Chinese laws and regulations.

Run by hand, not part of the test suite:

    python benchmarks/bench_realdata.py [--pairs 01,15] [--noise every|none|KIND,KIND] [--jobs 2] [--out docs/accuracy-realdata.md]
                                        [--headline-into docs/accuracy.md]
    python benchmarks/bench_realdata.py --show-truth 15     # the truth regions and runs of one pair, to check them by eye

The pairs (``realdata/``, see its README) are real edits nobody on this project wrote. jiaokan reads each version's
Markdown file (``format="markdown"``) and reports offsets into that file's text; it is used only through
``document_from_text`` and ``diff_documents`` and the findings' public fields (``severity``, ``code``, spans,
``places()``, ``parts``, ``parts_kind``). Every table here (labels, numerals, punctuation folds) is the benchmark's own.

Truth: both versions are stripped the same way to plain text (the title and history above ``<!-- INFO END -->``
and that marker set apart as the HEADER; ``#`` heading marks dropped), keeping a map from each plain character to
its offset in the Markdown file. The two plain BODIES are diffed character by character with diff-match-patch
(no time limit, semantic cleanup); each changed region is classified:

- ``cosmetic``: equal after folding (NFKC, which maps full-width forms to ASCII; the Chinese/ASCII punctuation
  pairs of ``PUNCT_FOLD``; whitespace removed);
- ``renumbering``: on both sides the region lies inside the numeral of a line-initial label, ``第X条``, ``第X章``,
  ``第X节`` or ``（X）`` (article 18 became article 17 because one was inserted before it); or it only changes the
  numerals of cross-references ``第N条`` to the new numbers of the articles they point to (``via="reference"``);
  the articles' old -> new numbers come from their content (``unit_map``);
- ``substantive``: everything else (new wording, inserted and deleted articles, references changed otherwise).
RUNS: consecutive labels of one type renumbered by the same shift (``runs``); one run is one change to a reader.

Scoring (base = the old version, so truth and findings share the old file's offsets). A top-level finding stands
for its PLACES (``Finding.places()``: a group's or a renumbering run's places, a move and its inner edits, a unit
itself, whose paragraphs may also reach a region):
- recall: substantive truth regions a place of a substantive finding reaches / all (overlap; a pure insertion on
  either side: within 2 characters);
- precision: places of substantive findings in the body that reach a substantive or renumbering region (base
  side; "base or witness side" also accepts a witness span or text reaching a change) / those places;
- findings to read: top-level substantive or structural findings in the body / REAL CHANGES (substantive regions +
  renumbering runs);
- only a renumbered label: substantive findings none of whose places reaches a substantive region while some reach
  a renumbering region (goal 0).
Findings in the header (the history gains a line in every amendment) are counted apart. The PEER is what a
diff-match-patch user reads: the regions of dmp (its defaults: line-mode speed-up and a 1 s time limit, then
semantic cleanup) over the raw file texts; the same figures are given for its regions.

Under noise (``noise.py``), each pair twice per kind: (a) NOISE-ONLY, old file vs noisy(plain old): every
substantive or structural finding is false (goal 0); (b) NOISY NEW, old file vs noisy(plain new), scored against
the clean truth. The noisy texts are the plain text (header included, as a reprint carries the title and history);
the kind ``none`` is the plain text itself, a control for Markdown vs plain text.

``--headline-into FILE`` replaces the block between ``<!-- bench_realdata: headline -->`` and
``<!-- /bench_realdata: headline -->`` in FILE (docs/accuracy.md) with this run's headline table.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "accuracy"))

from _harness import bipartite, clip, engine_identity, git_revision, in_context, near, publish, time_limit  # noqa: E402
from diff_match_patch import diff_match_patch  # noqa: E402
from generate import deletion_range, insertion_range  # noqa: E402  (accuracy/generate.py: equivalent placements)
from noise import NOISES, parse_kinds  # noqa: E402

from jiaokan.diff import diff_documents  # noqa: E402
from jiaokan.ingest import document_from_text  # noqa: E402

if TYPE_CHECKING:
    from jiaokan.findings import Finding

DEFAULT_DATA = HERE / "realdata"
MARKER = "<!-- INFO END -->"
CLEAN = "clean"

# Chinese punctuation -> the ASCII it stands for; NFKC already folds the full-width forms (，；：？！（）).
PUNCT_FOLD = str.maketrans({
    "。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "【": "[", "】": "]", "〔": "(", "〕": ")",
    "《": "<", "》": ">", "〈": "<", "〉": ">", "—": "-", "…": "...", "·": ".",
})
_LABEL = re.compile(r"[ \t\u3000]*(?:第(?P<n1>[一二三四五六七八九十百千零〇两0-9]+)[条章节]|[（(](?P<n2>[一二三四五六七八九十0-9]+)[）)])")


# --------------------------------------------------------------------------
# Markdown -> plain text, with a map back


@dataclass(frozen=True)
class Plain:
    """A Markdown file as plain text: ``to_src[i]`` is the file offset of plain character i (``to_src[-1]`` its end)."""

    src: str
    text: str
    to_src: tuple[int, ...]
    body_start: int  # plain offset where the body (after the marker) begins
    src_body_start: int  # and its file offset

    def src_span(self, s: int, e: int) -> tuple[int, int]:
        """File span of plain [s, e); for an empty span, the file stretch between plain s-1 and s (stripped marks)."""
        if e > s:
            return self.to_src[s], self.to_src[e - 1] + 1
        return (self.to_src[s - 1] + 1 if s > 0 else 0), self.to_src[s]


def strip_markdown(md: str) -> Plain:
    """Drop the marker line and the ``#`` marks of headings; keep every other character, and where it came from."""
    removed: list[tuple[int, int]] = [(m.start(), m.end()) for m in re.finditer(r"^#+[ \t]*", md, re.M)]
    at = md.find(MARKER)
    if at < 0:
        raise ValueError(f"no {MARKER} line")
    end = at + len(MARKER)
    if md.startswith("\n", end):
        end += 1
    removed.append((at, end))
    removed.sort()
    keep: list[int] = []
    pos = 0
    body_start = -1
    for a, b in removed:
        keep.extend(range(pos, a))
        if a == at:
            body_start = len(keep)
        pos = max(pos, b)
    keep.extend(range(pos, len(md)))
    text = "".join(md[i] for i in keep)
    return Plain(md, text, (*keep, len(md)), body_start, end)


# --------------------------------------------------------------------------
# truth


@dataclass(frozen=True)
class Region:
    """A changed region of the bodies, in the old file's offsets (``lo``..``hi``), the new file's, and the plain texts."""

    kind: str  # substantive | renumbering | cosmetic
    lo: int
    hi: int
    insertion: bool  # nothing of the old text changed: found within 2 characters
    old: str
    new: str
    wlo: int  # the same region in the new file
    whi: int
    deletion: bool  # nothing of the new text
    via: str = ""  # renumbering: "label" (a line-initial label's numeral) or "reference" (a cross-reference following the shift)


@dataclass(frozen=True)
class Run:
    """Consecutive labels of one type renumbered by the same shift: what a reader counts as one change."""

    type: str  # 条 | 章 | 节 | 项 (a line-initial （N）)
    old_first: int
    old_last: int
    shift: int

    def __str__(self) -> str:
        o = f"{self.old_first}" if self.old_first == self.old_last else f"{self.old_first}–{self.old_last}"
        n = f"{self.old_first + self.shift}" if self.old_first == self.old_last else f"{self.old_first + self.shift}–{self.old_last + self.shift}"
        return f"{self.type} {o} → {n}"


def dmp_regions(a: str, b: str, *, timeout: float, checklines: bool) -> list[tuple[int, int, int, int]]:
    """Maximal runs of non-equal diff-match-patch operations, as (a_start, a_end, b_start, b_end), after semantic cleanup."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    diffs = dmp.diff_main(a, b, checklines)
    dmp.diff_cleanupSemantic(diffs)
    out: list[tuple[int, int, int, int]] = []
    i = j = 0
    cur: list[int] | None = None
    for op, s in diffs:
        if op == 0:
            if cur:
                out.append((cur[0], i, cur[1], j))
                cur = None
            i += len(s)
            j += len(s)
            continue
        if cur is None:
            cur = [i, j]
        if op < 0:
            i += len(s)
        else:
            j += len(s)
    if cur:
        out.append((cur[0], i, cur[1], j))
    return out


def fold(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s).translate(PUNCT_FOLD))


def _in_label_numeral(text: str, s: int, e: int) -> bool:
    """Does [s, e) lie inside the numeral of the label that starts its line?"""
    line_start = text.rfind("\n", 0, s) + 1
    if "\n" in text[s:e]:
        return False
    m = _LABEL.match(text, line_start)
    if not m:
        return False
    g = "n1" if m.group("n1") else "n2"
    if m.start(g) <= s and e <= m.end(g):
        return True
    # a region over the label's brackets as well: (三) → （二）, the brackets only written otherwise
    return m.start(0) <= s and e <= m.end(0)


_NUMERAL_CHARS = re.compile("[一二三四五六七八九十百千零〇两0-9]+")


def classify(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> str:
    if fold(a[i1:i2]) == fold(b[j1:j2]):
        return "cosmetic"
    if (_in_label_numeral(a, i1, i2) and _in_label_numeral(b, j1, j2)
            and _NUMERAL_CHARS.sub("", fold(a[i1:i2])) == _NUMERAL_CHARS.sub("", fold(b[j1:j2]))):
        return "renumbering"
    return "substantive"


# Numerals, labels and the articles' old -> new numbers: the benchmark's own reading, nothing from src/jiaokan.
_CN_DIGIT = {**{c: i for i, c in enumerate("零一二三四五六七八九")}, "〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[一二三四五六七八九十百千零〇两0-9０-９]+"
_LINE_LABEL = re.compile(rf"^[ \t\u3000]*(?:第(?P<n1>{_NUMERAL})(?P<t1>[条章节])|[（(](?P<n2>{_NUMERAL})[）)])", re.M)
_REFERENCE = re.compile(rf"第(?P<n>{_NUMERAL})条")


def cn_number(s: str) -> int:
    """一百二十三 -> 123, 十五 -> 15, 二〇 -> 20, 12 -> 12."""
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    total = num = 0
    digits_only = not any(c in _CN_UNIT for c in s)
    for c in s:
        if c in _CN_DIGIT:
            num = num * 10 + _CN_DIGIT[c] if digits_only else _CN_DIGIT[c]
        elif c in _CN_UNIT:
            total += (num or 1) * _CN_UNIT[c]
            num = 0
    return total + num


@dataclass(frozen=True)
class Label:
    type: str  # 条 | 章 | 节 | 项
    number: int
    start: int  # plain body offset of the line's label
    content: str  # what the label heads, whitespace removed: the article's text, the chapter's title


def labels(text: str) -> list[Label]:
    """Line-initial labels of a plain body; an article's content runs to the next 条/章/节 label."""
    ms = list(_LINE_LABEL.finditer(text))
    heads = [m for m in ms if m.group("n1")]
    out = []
    for m in ms:
        if m.group("n1"):
            t = m.group("t1")
            if t == "条":
                nxt = next((h.start() for h in heads if h.start() > m.start()), len(text))
            else:
                nxt = text.find("\n", m.end())
                nxt = len(text) if nxt < 0 else nxt
            out.append(Label(t, cn_number(m.group("n1")), m.start(), re.sub(r"\s+", "", text[m.end():nxt])))
        else:
            out.append(Label("项", cn_number(m.group("n2")), m.start(), ""))
    return out


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (old, new) pairs increasing in both (pairs sorted by old): a moved unit is not renumbering."""
    best: list[list[tuple[int, int]]] = []
    for p in pairs:
        cands = [seq for seq in best if seq[-1][1] < p[1]]
        best.append((max(cands, key=len) if cands else []) + [p])
    return max(best, key=len) if best else []


MIN_ALIKE = 0.4  # difflib ratio of two units' contents for an edited unit to be the same unit


def _align(la: list[Label], lb: list[Label], ia: list[int], ib: list[int]) -> list[tuple[int, int]]:
    """The order-keeping matching of units ``ia`` to ``ib`` with the greatest sum of likeness (each pair ≥ MIN_ALIKE)."""
    def alike(i: int, j: int) -> float:
        x, y = la[i].content, lb[j].content
        if not x or not y:
            return 0.0
        sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
        return r if sm.real_quick_ratio() >= MIN_ALIKE and sm.quick_ratio() >= MIN_ALIKE and (r := sm.ratio()) >= MIN_ALIKE else 0.0

    n, m = len(ia), len(ib)
    score = [[alike(ia[i], ib[j]) for j in range(m)] for i in range(n)]
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n):
        for j in range(m):
            dp[i + 1][j + 1] = max(dp[i][j + 1], dp[i + 1][j], dp[i][j] + score[i][j] if score[i][j] else 0.0)
    out = []
    i, j = n, m
    while i and j:
        if score[i - 1][j - 1] and dp[i][j] == dp[i - 1][j - 1] + score[i - 1][j - 1]:
            out.append((ia[i - 1], ib[j - 1]))
            i, j = i - 1, j - 1
        elif dp[i][j] == dp[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return out[::-1]


def unit_map(a: str, b: str, kind: str) -> dict[int, int]:
    """Old number -> new number of the 条 (or 章, 节) labels, the units matched by their content: units whose content is
    equal and unique on both sides are anchors (in order: a moved unit is left out); between two anchors, the
    order-keeping matching of the most alike contents (``_align``)."""
    la = [x for x in labels(a) if x.type == kind]
    lb = [x for x in labels(b) if x.type == kind]
    count_a: dict[str, int] = {}
    where_b: dict[str, list[int]] = {}
    for x in la:
        count_a[x.content] = count_a.get(x.content, 0) + 1
    for j, y in enumerate(lb):
        where_b.setdefault(y.content, []).append(j)
    exact = [(i, where_b[x.content][0]) for i, x in enumerate(la)
             if x.content and count_a[x.content] == 1 and len(where_b.get(x.content, [])) == 1]
    anchors = _increasing(exact)
    pairs = list(anchors)
    bounds = [(-1, -1), *anchors, (len(la), len(lb))]
    for (i0, j0), (i1, j1) in pairwise(bounds):
        if i1 - i0 > 1 and j1 - j0 > 1:
            pairs += _align(la, lb, list(range(i0 + 1, i1)), list(range(j0 + 1, j1)))
    return {la[i].number: lb[j].number for i, j in sorted(pairs)}


def _line_label(text: str, pos: int) -> tuple[str, int] | None:
    """(type, number) of the label that starts the line holding ``pos``."""
    m = _LINE_LABEL.match(text, text.rfind("\n", 0, pos) + 1)
    if not m:
        return None
    return (m.group("t1"), cn_number(m.group("n1"))) if m.group("n1") else ("项", cn_number(m.group("n2")))


def runs(a: str, b: str, renumbered: list[tuple[int, int, int, int]], maps: dict[str, dict[int, int]]) -> list[Run]:
    """Renumbering runs: the 条, 章 and 节 labels whose unit kept its content and changed its number (``unit_map``),
    and the labels of any type whose numeral the truth marks renumbered; one run = consecutive old numbers of one type
    with the same shift."""
    moved: dict[tuple[str, int], int] = {}
    for t, m in maps.items():
        for n, new in m.items():
            if new != n:
                moved[(t, n)] = new - n
    unchanged = {(t, n) for t, m in maps.items() for n, new in m.items() if new == n}
    for i1, _i2, j1, _j2 in renumbered:
        la, lb = _line_label(a, i1), _line_label(b, j1)
        if la and lb and la[0] == lb[0] and la[1] != lb[1] and la not in moved and la not in unchanged:
            moved[la] = lb[1] - la[1]
    out: list[Run] = []
    for (t, n), d in sorted(moved.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if out and out[-1].type == t and out[-1].old_last + 1 == n and out[-1].shift == d:
            out[-1] = Run(t, out[-1].old_first, n, d)
        else:
            out.append(Run(t, n, n, d))
    return out


def _label_end(text: str, pos: int) -> int:
    """Where the line-initial label of the line holding ``pos`` ends (the line's start when it has none)."""
    line_start = text.rfind("\n", 0, pos) + 1
    m = _LINE_LABEL.match(text, line_start)
    return m.end() if m else line_start


def _tokens(text: str, s: int, e: int) -> list[re.Match[str]]:
    """第N条 cross-references (not the line's own label) that the span [s, e) touches inside."""
    return [m for m in _REFERENCE.finditer(text, max(0, s - 12), e + 12)
            if m.start() >= _label_end(text, m.start())
            and ((m.start() < s < m.end()) if s == e else (m.start() < e and s < m.end()))]


def follows_shift(a: str, b: str, i1: int, i2: int, j1: int, j2: int, articles: dict[int, int]) -> bool:
    """Is this change only cross-references 第N条 updated to the new numbers of the articles they point to?"""
    ta, tb = _tokens(a, i1, i2), _tokens(b, j1, j2)
    if not ta or len(ta) != len(tb):
        return False
    wa = a[min(ta[0].start(), i1):max(ta[-1].end(), i2)]
    wb = b[min(tb[0].start(), j1):max(tb[-1].end(), j2)]
    if _REFERENCE.sub("#", wa) != _REFERENCE.sub("#", wb):
        return False
    na = [cn_number(m.group("n")) for m in _REFERENCE.finditer(wa)]
    nb = [cn_number(m.group("n")) for m in _REFERENCE.finditer(wb)]
    pairs = [(x, y) for x, y in zip(na, nb, strict=False) if x != y]  # as far as both go
    return bool(pairs) and all(articles.get(x) == y for x, y in pairs)


def _slide(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> tuple[int, int]:
    """The stretch of ``a`` over which a pure insertion or deletion could equally be placed (dmp picks one place).

    Deleting 一步 from 进一步一步 is the same edit at either 一步; inserting 的 before 的 likewise.
    """
    if i1 < i2 and j1 == j2:  # deletion
        return deletion_range(a, i1, i2)
    if i1 == i2 and j1 < j2:  # insertion
        return insertion_range(a, i1, b[j1:j2])
    return i1, i2


def truth(old: Plain, new: Plain) -> tuple[list[Region], list[Run]]:
    a, b = old.text[old.body_start:], new.text[new.body_start:]
    maps = {t: unit_map(a, b, t) for t in ("条", "章", "节")}
    out = []
    renumbered = []
    for i1, i2, j1, j2 in dmp_regions(a, b, timeout=0.0, checklines=False):
        lo, hi = _file_span(old, *_slide(a, b, i1, i2, j1, j2), empty=i1 == i2)
        wlo, whi = _file_span(new, *_slide(b, a, j1, j2, i1, i2), empty=j1 == j2)
        kind, via = classify(a, b, i1, i2, j1, j2), ""
        if kind == "renumbering":
            via = "label"
            renumbered.append((i1, i2, j1, j2))
        elif kind == "substantive" and follows_shift(a, b, i1, i2, j1, j2, maps["条"]):
            kind, via = "renumbering", "reference"
        out.append(Region(kind, lo, hi, i1 == i2, a[i1:i2], b[j1:j2], wlo, whi, j1 == j2, via))
    return out, runs(a, b, renumbered, maps)


def _file_span(p: Plain, s: int, e: int, *, empty: bool) -> tuple[int, int]:
    """File offsets of body-relative plain [s, e); for an insertion point stretch, from the first place to the last."""
    s, e = p.body_start + s, p.body_start + e
    if empty:
        return p.src_span(s, s)[0], p.src_span(e, e)[1]
    return p.src_span(s, e)


# --------------------------------------------------------------------------
# one comparison


@dataclass
class Outcome:
    key: str
    mode: str  # clean | noise-only | noisy-new
    noise: str
    seconds: float = 0.0
    dmp_seconds: float = 0.0
    truth: int = 0  # substantive truth regions
    renumbering: int = 0  # renumbering truth regions: labels' numerals and cross-references following the shift
    references: int = 0  # of which cross-references
    runs: int = 0  # renumbering runs in the truth
    found: int = 0
    renumbering_found: int = 0  # renumbering regions a place of a substantive or structural finding reaches
    renumbering_found_structural: int = 0  # by a structural finding's place
    to_read: int = 0  # top-level substantive or structural findings in the body: what a reader reads
    top: int = 0  # top-level substantive findings in the body
    structural: int = 0  # top-level structural findings in the body
    structural_places: int = 0
    structural_off: int = 0  # places of structural findings that reach no change
    findings: int = 0  # places of substantive findings in the body (precision's denominator)
    on_truth: int = 0
    on_truth_either: int = 0  # reaching a change on the base side or on the witness side
    label_only: int = 0  # top-level substantive findings whose places reach only renumbering regions
    label_only_places: int = 0
    header: int = 0  # top-level substantive or structural findings in the header
    matched_1to1: int = 0  # substantive regions matched one-to-one (a place counted once)
    peer_regions: int = 0  # dmp regions in the body
    peer_header: int = 0
    peer_found: int = 0
    peer_on_truth: int = 0
    peer_on_truth_either: int = 0
    peer_label_only: int = 0  # dmp regions that reach only renumbering regions
    peer_marked: int = 0  # base characters inside the peer's body regions
    base_chars: int = 0
    codes: dict[str, int] = field(default_factory=dict)  # codes of the false substantive places
    fps: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # false on the base side, right on the witness side
    label_lines: list[str] = field(default_factory=list)  # findings that are only a renumbered label
    dmp_timed_out: bool = False
    misses: list[str] = field(default_factory=list)
    error: str = ""


@dataclass(frozen=True)
class Settings:
    """What every worker needs; set by the pool's initializer."""

    data: str
    timeout: float  # jiaokan's time limit a comparison
    dmp_timeout: float  # the peer's
    examples: int


_SETTINGS: list[Settings] = []


def _init(settings: Settings) -> None:
    _SETTINGS[:] = [settings]


def load_pairs(data: Path) -> list[dict[str, str]]:
    return json.loads((data / "pairs.json").read_text(encoding="utf-8"))


@cache
def _pair(key: str) -> tuple[dict[str, str], Plain, Plain, tuple[Region, ...], tuple[Run, ...]]:
    data = Path(_SETTINGS[0].data)
    meta = next(p for p in load_pairs(data) if p["key"] == key)
    old = strip_markdown((data / meta["old"]).read_text(encoding="utf-8"))
    new = strip_markdown((data / meta["new"]).read_text(encoding="utf-8"))
    regions, label_runs = truth(old, new)
    return meta, old, new, tuple(regions), tuple(label_runs)


def _fp_line(old: Plain, witness: str, f: Finding) -> str:
    b, w = f.base, f.witness
    return (f"`{f.code}` base@{b.start}-{b.end} {in_context(old.src, b.start, b.end)} witness {in_context(witness, w.start, w.end, 8)}"
            f" — compared {clip(f.base_norm)!r} / {clip(f.witness_norm)!r}")


def _miss_line(old: Plain, r: Region) -> str:
    return f"base@{r.lo}-{r.hi} {in_context(old.src, r.lo, r.hi)} → {clip(r.new)!r}"


MIN_TEXT = 6  # characters of a finding's witness text that must be a change's new text (or contain it) to count


def _shares_text(a: str, b: str) -> bool:
    """Do two folded texts share a stretch of half the shorter one (12 characters suffice)?  Numerals aside: the
    engine writes 第16条 where the new file has 第十六条, so whole-text equality would be too strict."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= min(12, max(MIN_TEXT, min(len(a), len(b)) // 2))


def _witness_to_new_file(mode: str, kind: str, new: Plain) -> Callable[[int, int], tuple[int, int]] | None:
    """Witness offsets -> new file offsets, when the witness is the new file or its plain text unchanged; else None."""
    if mode == CLEAN:
        return lambda s, e: (s, e)
    if mode == "noisy-new" and kind == "none":
        return lambda s, e: new.src_span(s, e) if e > s else (new.to_src[s], new.to_src[s])
    return None


SUBSTANTIVE, STRUCTURAL = "substantive", "structural"


def places(f: Finding) -> tuple[Finding, ...]:
    """The findings that mark text for ``f`` (a group's or a run's places, a move and its edits); an engine without
    parts gives the finding itself."""
    get = getattr(f, "places", None)
    return tuple(get()) if get else (f,)


def _marks(p: Finding) -> tuple[Finding, ...]:
    """A place and, for a unit of several paragraphs, its paragraphs: any of them may reach a region."""
    return (p, *getattr(p, "parts", ())) if str(getattr(p, "parts_kind", "")) == "paragraphs" else (p,)


def _in_body(f: Finding, body_start: int) -> bool:
    return f.base.end > body_start or f.base.start >= body_start


def run_one(item: tuple[str, str, str]) -> Outcome:
    key, mode, kind = item
    meta, old, new, regions, label_runs = _pair(key)
    cfg = _SETTINGS[0]
    examples = cfg.examples
    out = Outcome(key, mode, kind)
    if mode == CLEAN:
        witness, fmt, wpath = new.src, "markdown", meta["new"]
    else:
        noise = NOISES[kind]
        source = old if mode == "noise-only" else new
        rng = random.Random(f"{key}|{kind}|{mode}")
        witness = noise.apply(source.text, rng, meta["title"])
        fmt = noise.format
        wpath = f"{key}-{mode}-{kind}.{'html' if fmt == 'html' else 'txt'}"
    t = time.perf_counter()
    try:
        with time_limit(cfg.timeout):
            result = diff_documents(document_from_text(old.src, path=meta["old"], format="markdown"),
                                    document_from_text(witness, path=wpath, format=fmt))
    except Exception as exc:  # noqa: BLE001 - report it and go on
        out.seconds = time.perf_counter() - t
        out.error = f"{type(exc).__name__}: {exc}"
        return out
    out.seconds = time.perf_counter() - t
    t = time.perf_counter()
    peer = dmp_regions(old.src, witness, timeout=cfg.dmp_timeout, checklines=True)
    out.dmp_seconds = time.perf_counter() - t
    out.dmp_timed_out = 0 < cfg.dmp_timeout <= out.dmp_seconds

    bs = old.src_body_start
    # top-level findings a reader reads (substantive or structural), each with its places
    read = [(f, places(f)) for f in result.findings if str(f.severity) in (SUBSTANTIVE, STRUCTURAL)]
    body = [(f, ps) for f, ps in read if any(_in_body(p, bs) for p in ps) or _in_body(f, bs)]
    out.header = len(read) - len(body)
    out.to_read = len(body)
    subst = [(f, ps) for f, ps in body if str(f.severity) == SUBSTANTIVE]
    struct = [(f, ps) for f, ps in body if str(f.severity) == STRUCTURAL]
    out.top, out.structural = len(subst), len(struct)
    splaces = [p for _, ps in subst for p in ps]  # precision is over these
    tplaces = [p for _, ps in struct for p in ps]
    out.findings, out.structural_places = len(splaces), len(tplaces)
    peer_body = [r for r in peer if r[1] > bs or r[0] >= bs]
    out.peer_header = len(peer) - len(peer_body)
    out.peer_regions = len(peer_body)
    out.peer_marked = sum(max(0, e - max(s, bs)) for s, e, _, _ in peer_body)
    out.base_chars = len(old.src) - bs
    codes: dict[str, int] = {}
    if mode == "noise-only":  # no change at all: everything a reader reads is false
        for f, _ in read:
            codes[f.code] = codes.get(f.code, 0) + 1
        out.fps = [_fp_line(old, witness, f) for f, _ in read[:examples]]
        out.codes = codes
        return out

    real = [r for r in regions if r.kind == "substantive"]
    renum = [r for r in regions if r.kind == "renumbering"]
    changed = real + renum
    out.truth, out.renumbering, out.runs = len(real), len(renum), len(label_runs)
    out.references = sum(1 for r in renum if r.via == "reference")

    def reach(ps: int, pe: int, r: Region) -> bool:
        return near(ps, pe, r.lo, r.hi, insertion=r.insertion)

    def reaches(p: Finding, regs: list[Region]) -> bool:
        return any(reach(m.base.start, m.base.end, r) for m in _marks(p) for r in regs)

    to_new = _witness_to_new_file(mode, kind, new)

    def text_reaches(mine: str, regs: list[Region]) -> bool:
        mine = fold(mine)
        return len(mine) >= MIN_TEXT and any(_shares_text(mine, fold(r.new)) for r in regs if len(r.new) >= MIN_TEXT)

    def witness_reaches(p: Finding, regs: list[Region]) -> bool:
        """The truth knows the witness's offsets (clean, or plain new): its span reaches a change; else (a noisy
        witness) its witness text shares a stretch with a change's new text (the same added article)."""
        if to_new is not None:
            return any(near(*to_new(m.witness.start, m.witness.end), r.wlo, r.whi, insertion=r.deletion) for m in _marks(p) for r in regs)
        return any(text_reaches(m.witness_norm, regs) for m in _marks(p))

    def peer_witness_reaches(j1: int, j2: int, regs: list[Region]) -> bool:
        if to_new is not None:
            return any(near(*to_new(j1, j2), r.wlo, r.whi, insertion=r.deletion) for r in regs)
        return text_reaches(witness[j1:j2], regs)

    hit = [any(reaches(p, [r]) for p in splaces) for r in real]
    out.found = sum(hit)
    out.renumbering_found = sum(any(reaches(p, [r]) for p in splaces + tplaces) for r in renum)
    out.renumbering_found_structural = sum(any(reaches(p, [r]) for p in tplaces) for r in renum)
    out.structural_off = sum(1 for p in tplaces if not reaches(p, changed) and not witness_reaches(p, changed))
    out.matched_1to1 = len(bipartite(len(real), len(splaces), lambda i, j: reaches(splaces[j], [real[i]])))
    false = [p for p in splaces if not reaches(p, changed)]
    out.on_truth = len(splaces) - len(false)
    out.elsewhere = [_fp_line(old, witness, p) for p in false if witness_reaches(p, changed)][:examples]
    false = [p for p in false if not witness_reaches(p, changed)]
    out.on_truth_either = len(splaces) - len(false)

    def label_only(p: Finding) -> bool:
        return reaches(p, renum) and not reaches(p, real) and not witness_reaches(p, real)

    for f, ps in subst:
        if any(label_only(p) for p in ps) and not any(reaches(p, real) or witness_reaches(p, real) for p in ps):
            out.label_only += 1
            if len(out.label_lines) < examples:
                out.label_lines.append(_fp_line(old, witness, f) + (f" ({len(ps)} places)" if len(ps) > 1 else ""))
    out.label_only_places = sum(1 for p in splaces if label_only(p))
    for p in false:
        codes[p.code] = codes.get(p.code, 0) + 1
    out.codes = codes
    out.fps = [_fp_line(old, witness, p) for p in false[:examples]]
    out.misses = [_miss_line(old, r) for r, h in zip(real, hit, strict=True) if not h][:examples]
    out.peer_found = sum(any(reach(s, e, r) for s, e, _, _ in peer_body) for r in real)
    peer_on = [(s, e, j1, j2) for s, e, j1, j2 in peer_body if any(reach(s, e, r) for r in changed)]
    out.peer_on_truth = len(peer_on)
    out.peer_on_truth_either = len(peer_on) + sum(1 for s, e, j1, j2 in peer_body
                                                  if not any(reach(s, e, r) for r in changed) and peer_witness_reaches(j1, j2, changed))
    out.peer_label_only = sum(1 for s, e, j1, j2 in peer_body
                              if any(reach(s, e, r) for r in renum) and not any(reach(s, e, r) for r in real)
                              and not peer_witness_reaches(j1, j2, real))
    return out


# --------------------------------------------------------------------------
# report


def _ratio(a: float, b: float, digits: int = 3) -> str:
    return f"{a / b:.{digits}f}" if b else "—"


def _sum(group: list[Outcome], attr: str) -> int:
    return sum(getattr(o, attr) for o in group)


GOALS = "≥ 0.98 | ≥ 0.98 | ≤ 1.10 | 0 | 0"
HEADLINE_START = "<!-- bench_realdata: headline -->"
HEADLINE_END = "<!-- /bench_realdata: headline -->"


def _pair_cell(a: str, b: str) -> str:
    return f"{a} / {b}"


def headline(outcomes: list[Outcome], kinds: list[str]) -> list[str]:
    """The issue's four figures (and noise-only findings), jiaokan / dmp, per copy kind: a Markdown table."""
    lines = [
        "| copies | real changes | recall | precision | findings to read per real change | only a renumbered label | noise-only copy: findings |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| goal (jiaokan) |  | {GOALS} |",
    ]

    def row(label: str, b: list[Outcome], a: list[Outcome] | None) -> str:
        t = _sum(b, "truth")
        real = t + _sum(b, "runs")
        fi, pr = _sum(b, "findings"), _sum(b, "peer_regions")
        noise_only = "—" if a is None else _pair_cell(str(_sum(a, "to_read") + _sum(a, "header")), str(_sum(a, "peer_regions") + _sum(a, "peer_header")))
        err = " (errors)" if any(o.error for o in b + (a or [])) else ""
        merged = "†" if _sum(b, "peer_marked") > 0.5 * _sum(b, "base_chars") else ""
        return (f"| {label}{err} | {real} | {_pair_cell(_ratio(_sum(b, 'found'), t), _ratio(_sum(b, 'peer_found'), t))} | "
                f"{_pair_cell(_ratio(_sum(b, 'on_truth_either'), fi), _ratio(_sum(b, 'peer_on_truth_either'), pr))} | "
                f"{_pair_cell(_ratio(_sum(b, 'to_read'), real, 2), _ratio(pr, real, 2) + merged)} | "
                f"{_pair_cell(str(_sum(b, 'label_only')), str(_sum(b, 'peer_label_only')))} | {noise_only} |")

    clean = [o for o in outcomes if o.mode == CLEAN]
    if clean:
        lines.append(row("clean (the new file)", clean, None))
    for kind in kinds:
        lines.append(row(kind, [o for o in outcomes if o.noise == kind and o.mode == "noisy-new"],
                         [o for o in outcomes if o.noise == kind and o.mode == "noise-only"]))
    return lines


HEADLINE_NOTE = [
    "Each cell is jiaokan / diff-match-patch (semantic cleanup, the same run). Real changes = substantive truth regions +",
    "renumbering runs (consecutive labels of one type whose number changed by the same shift: 第六十九条至第八十三条依次改为",
    "第六十八条至第八十二条 is one). Recall: substantive regions a place of a substantive finding reaches. Precision: places of",
    "substantive findings (a group's or a run's places, a move and its inner edits) that reach a substantive or renumbering",
    "region, on the base side or the witness side; for dmp its regions. Findings to read: top-level substantive and",
    "structural findings in the body (a group, a run, a unit counted once) / real changes; for dmp its regions in the body.",
    "Only a renumbered label: substantive findings none of whose places reaches a substantive region and some of which",
    "reach a renumbering region (a label's numeral, or a cross-reference updated by the same shift as the article it points",
    "to); for dmp its regions likewise. Noise-only copy: the old file against a noisy copy of itself, all false.",
    "Under noise the rows are the old file against a noisy copy of the new one, scored against the clean truth.",
    "† dmp's regions cover more than half of the base body: where noise touches every line they merge into a few",
    "(and it hits its 1 s time limit), so few regions there mean one region over nearly everything, not a short report.",
]


def report(outcomes: list[Outcome], keys: list[str], kinds: list[str], titles: dict[str, str],
           all_regions: dict[str, tuple[Region, ...]], all_runs: dict[str, tuple[Run, ...]],
           command: str, seconds: float, examples: int, dmp_timeout: float) -> str:
    clean = [o for o in outcomes if o.mode == CLEAN]
    noisy = [o for o in outcomes if o.mode != CLEAN]
    lines = [
        "# Accuracy on real amendments (fifteen pairs of Chinese laws and regulations)",
        "",
        f"- command: `{command}`",
        f"- benchmark revision: {git_revision(HERE, 'benchmarks')}",
        f"- engine: `jiaokan` imported from {engine_identity()}",
        f"- pairs: {len(keys)} ({', '.join(keys)}); noise kinds: {', '.join(kinds) or '—'}; {len(outcomes)} comparisons in {seconds:.0f} s wall",
        f"- peer: diff-match-patch over the raw texts (line-mode speed-up, {dmp_timeout:g} s time limit, semantic cleanup): a region is one run of insertions and deletions",
        "",
        "## Changes as a reader counts them (issue 14)",
        "",
        *HEADLINE_NOTE,
        "",
        *headline(outcomes, kinds),
        "",
        "## Truth",
        "",
        "The Markdown of both versions stripped to plain text the same way (title and history above `<!-- INFO END -->`",
        "set apart, `#` marks dropped), the bodies diffed character by character with diff-match-patch (no time limit, semantic",
        "cleanup), each region classified as cosmetic (equal after NFKC, a Chinese/ASCII punctuation fold and removing",
        "whitespace), renumbering or substantive. Renumbering: only the numeral of a line-initial `第X条`/`第X章`/`第X节`/`（X）`",
        "label changed, or only the numerals of cross-references `第N条` (not a line's own label), each now the new number of the",
        "article it points to (依照本法第十六条 → 第十五条 when article 16 became 15). Articles' old → new numbers come from",
        "their content, the benchmark's own reading: articles equal and unique on both sides are anchors, and between two anchors",
        "the order-keeping matching of the most alike contents (difflib ratio ≥ 0.4); a moved article is no renumbering.",
        "Renumbering runs: the 条/章/节 labels whose unit kept its place in the order and changed its number, and any label the",
        "diff marks renumbered; consecutive old numbers of one type with the same shift are one run.",
        "",
        "A region is reached when a place's base span overlaps it (a pure insertion: within 2 characters; a unit of several",
        "paragraphs: the unit or any of its paragraphs). Findings in the header (the history gains a line in each amendment)",
        "are counted apart and left out of precision and of the findings to read. \"Base or witness side\" also accepts a place",
        "whose witness span reaches a change where the truth knows the witness's offsets (the clean pairs, and the plain new",
        "text, noise `none`), or, under noise, whose witness text shares a stretch (half of it, or 12 characters, folded) with",
        "a change's new text: the same added article anchored in the base at another paragraph boundary. dmp's regions are",
        "scored the same way (its witness text is the raw noisy text).",
        "",
    ]
    counts = {k: {c: sum(1 for r in all_regions[k] if r.kind == c) for c in ("substantive", "renumbering", "cosmetic")} for k in keys}
    refs = {k: sum(1 for r in all_regions[k] if r.via == "reference") for k in keys}
    lines += ["| pair | title | substantive | renumbering (of which cross-references) | cosmetic | renumbering runs |",
              "|---|---|---:|---:|---:|---|"]
    for k in keys:
        cnt = counts[k]
        lines.append(f"| {k} | {titles[k]} | {cnt['substantive']} | {cnt['renumbering']} ({refs[k]}) | {cnt['cosmetic']} | "
                     f"{len(all_runs[k])}{': ' + '; '.join(map(str, all_runs[k])) if all_runs[k] else ''} |")
    tot = {c: sum(counts[k][c] for k in keys) for c in ("substantive", "renumbering", "cosmetic")}
    lines += [f"| **all** |  | {tot['substantive']} | {tot['renumbering']} ({sum(refs.values())}) | {tot['cosmetic']} | {sum(len(all_runs[k]) for k in keys)} |", ""]

    def jk_cells(g: list[Outcome]) -> str:
        t = _sum(g, "truth")
        real = t + _sum(g, "runs")
        fi = _sum(g, "findings")
        return (f"{_ratio(_sum(g, 'found'), t)} | {_sum(g, 'to_read')} ({_sum(g, 'top')} + {_sum(g, 'structural')}) | {_ratio(_sum(g, 'to_read'), real, 2)} | "
                f"{fi} | {_ratio(_sum(g, 'on_truth'), fi)} | {_ratio(_sum(g, 'on_truth_either'), fi)} | {_sum(g, 'label_only')} ({_sum(g, 'label_only_places')}) | "
                f"{_sum(g, 'matched_1to1')} | {_sum(g, 'header')}")

    def dmp_cells(g: list[Outcome]) -> str:
        t = _sum(g, "truth")
        real = t + _sum(g, "runs")
        pr = _sum(g, "peer_regions")
        return (f"{pr} | {_ratio(_sum(g, 'peer_found'), t)} | {_ratio(_sum(g, 'peer_on_truth'), pr)} | {_ratio(_sum(g, 'peer_on_truth_either'), pr)} | "
                f"{_ratio(pr, real, 2)} | {_sum(g, 'peer_label_only')}")

    jk_head = ("recall | to read (substantive + structural) | per real change | substantive places | precision, base side | "
               "precision, base or witness side | only a label: findings (places) | one-to-one matched | header findings")
    dmp_head = "dmp regions (body) | recall | precision, base side | precision, base or witness side | per real change | only a label"
    if clean:
        lines += ["## Clean pairs (old file as base, new file as witness)", "",
                  f"| pair | real changes | {jk_head} | s |", "|---|" + "---:|" * 11]
        for k in keys:
            g = [o for o in clean if o.key == k]
            err = " (error)" if any(o.error for o in g) else ""
            lines.append(f"| {k}{err} | {_sum(g, 'truth') + _sum(g, 'runs')} | {jk_cells(g)} | {_sum(g, 'seconds'):.1f} |")
        lines.append(f"| **all** | {_sum(clean, 'truth') + _sum(clean, 'runs')} | {jk_cells(clean)} | {_sum(clean, 'seconds'):.1f} |")
        lines += ["", "The same pairs, diff-match-patch:", "", f"| pair | {dmp_head} | s |", "|---|" + "---:|" * 7]
        for k in keys:
            g = [o for o in clean if o.key == k]
            lines.append(f"| {k} | {dmp_cells(g)} | {_sum(g, 'dmp_seconds'):.1f} |")
        lines.append(f"| **all** | {dmp_cells(clean)} | {_sum(clean, 'dmp_seconds'):.1f} |")
        lines += ["", f"Renumbering regions reached by a place of a substantive or structural finding: {_sum(clean, 'renumbering_found')} of "
                  f"{_sum(clean, 'renumbering')} (by a structural finding's place: {_sum(clean, 'renumbering_found_structural')}); "
                  f"places of structural findings that reach no change: {_sum(clean, 'structural_off')} of {_sum(clean, 'structural_places')}.", ""]

    if noisy:
        lines += [
            "## Under noise",
            "",
            "(a) noise-only: old file vs noisy(plain old) — every substantive or structural finding is false (goal 0). (b) noisy",
            "new: old file vs noisy(plain new), scored against the clean truth. When noise touches every line, dmp's regions merge",
            "into a few that cover nearly the whole text (see the share it marks), so its recall and precision there say little.",
            "Where dmp hits its time limit its figures vary from run to run with the machine's speed and load; jiaokan's do not.",
            "",
            "| noise | (a) findings (substantive or structural) | (a) pairs with any | (a) dmp regions | errors | mean s (jiaokan / dmp) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind in kinds:
            a = [o for o in noisy if o.noise == kind and o.mode == "noise-only"]
            group = [o for o in noisy if o.noise == kind]
            n = len(group) or 1
            lines.append(f"| {kind} | {_sum(a, 'to_read') + _sum(a, 'header')} | {sum(1 for o in a if o.to_read + o.header)} | "
                         f"{_sum(a, 'peer_regions') + _sum(a, 'peer_header')} | {sum(1 for o in group if o.error)} | "
                         f"{_sum(group, 'seconds') / n:.2f} / {_sum(group, 'dmp_seconds') / n:.2f} |")
        lines += ["", "(b) noisy new, jiaokan:", "", f"| noise | real changes | {jk_head} |", "|---|" + "---:|" * 10]
        for kind in kinds:
            b = [o for o in noisy if o.noise == kind and o.mode == "noisy-new"]
            lines.append(f"| {kind} | {_sum(b, 'truth') + _sum(b, 'runs')} | {jk_cells(b)} |")
        lines += ["", "(b) noisy new, diff-match-patch:", "",
                  f"| noise | {dmp_head} | share of the base body dmp marks | dmp runs that hit its time limit |", "|---|" + "---:|" * 8]
        for kind in kinds:
            b = [o for o in noisy if o.noise == kind and o.mode == "noisy-new"]
            group = [o for o in noisy if o.noise == kind]
            lines.append(f"| {kind} | {dmp_cells(b)} | {_ratio(_sum(b, 'peer_marked'), _sum(b, 'base_chars'))} | "
                         f"{sum(o.dmp_timed_out for o in group)} of {len(group)} |")
        lines += ["", "False findings by code: (a) noise-only (top-level findings); (b) noisy new (substantive places that reach no change).", ""]
        for kind in kinds:
            for mode in ("noise-only", "noisy-new"):
                c: dict[str, int] = {}
                for o in noisy:
                    if o.noise == kind and o.mode == mode:
                        for code, n in o.codes.items():
                            c[code] = c.get(code, 0) + n
                if c:
                    tag = "(a)" if mode == "noise-only" else "(b)"
                    lines.append(f"- **{kind}** {tag}: " + ", ".join(f"`{code}` {n}" for code, n in sorted(c.items(), key=lambda x: -x[1])))

    errors = [o for o in outcomes if o.error]
    if errors:
        lines += ["", f"## Errors ({len(errors)})", ""]
        lines += [f"- {o.key} / {o.mode} / {o.noise or '—'}: `{clip(o.error, 160)}`" for o in errors[:examples * 2]]

    def examples_of(group: list[Outcome], attr: str, heading: str, per_pair: int = 0) -> None:
        items = [(o, x) for o in group for x in getattr(o, attr)[:per_pair or None]][:examples]
        if items:
            lines.append(f"- **{heading}**")
            lines.extend(f"  - {o.key}: {x}" for o, x in items)

    if any(o.elsewhere for o in clean):
        lines += ["", "## Clean pairs: places false on the base side, right on the witness side (where jiaokan and dmp anchor a change differently)", ""]
        examples_of(clean, "elsewhere", "clean pairs")
    lines += ["", f"## Findings that are only a renumbered label (up to {examples} per group, 2 per pair)", ""]
    examples_of(clean, "label_lines", "clean pairs", 2)
    for kind in kinds:
        examples_of([o for o in noisy if o.noise == kind and o.mode == "noisy-new"], "label_lines", f"{kind} (b) noisy new", 2)
    lines += ["", f"## First false positives (up to {examples} per group)", ""]
    examples_of(clean, "fps", "clean pairs")
    for kind in kinds:
        examples_of([o for o in noisy if o.noise == kind and o.mode == "noise-only"], "fps", f"{kind} (a) noise-only")
        examples_of([o for o in noisy if o.noise == kind and o.mode == "noisy-new"], "fps", f"{kind} (b) noisy new")
    lines += ["", f"## First misses (substantive truth regions no substantive finding reaches; up to {examples} per group)", ""]
    examples_of(clean, "misses", "clean pairs")
    for kind in kinds:
        examples_of([o for o in noisy if o.noise == kind and o.mode == "noisy-new"], "misses", f"{kind} (b) noisy new")
    lines += ["", "Truth regions and runs of one pair: `python benchmarks/bench_realdata.py --show-truth KEY`.", ""]
    return "\n".join(lines)


def update_headline(path: Path, outcomes: list[Outcome], kinds: list[str], command: str) -> None:
    """Replace the headline table in ``path`` (between HEADLINE_START and HEADLINE_END) with this run's."""
    text = path.read_text(encoding="utf-8")
    a, b = text.find(HEADLINE_START), text.find(HEADLINE_END)
    if a < 0 or b < a:
        raise SystemExit(f"{path}: no {HEADLINE_START} … {HEADLINE_END} block to replace")
    import jiaokan

    block = [HEADLINE_START,
             f"Engine at {git_revision(Path(str(jiaokan.__file__)).resolve().parent)}, benchmark at "
             f"{git_revision(HERE, 'benchmarks')}: `{command}`.",
             "", *headline(outcomes, kinds), ""]
    path.write_text(text[:a] + "\n".join(block) + text[b:], encoding="utf-8")


def show_truth(data: Path, key: str) -> str:
    _init(Settings(str(data), 0.0, 1.0, 8))
    meta, old, _new, regions, label_runs = _pair(key)
    lines = [f"# {key} {meta['title']}: {meta['old']} -> {meta['new']}", ""]
    for r in regions:
        kind = f"{r.kind}/{r.via}" if r.via == "reference" else r.kind
        lines.append(f"{kind:12} base@{r.lo}-{r.hi} {in_context(old.src, r.lo, r.hi)} -> {clip(r.new, 80)!r}")
    lines += ["", f"Renumbering runs ({len(label_runs)}): " + ("; ".join(map(str, label_runs)) or "—")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="folder with pairs.json and the .md files")
    ap.add_argument("--pairs", default="", help="comma-separated pair keys (default: all)")
    ap.add_argument("--noise", default="every", help="every (default), none (clean pairs only), or a comma-separated list of: " + ", ".join(NOISES))
    ap.add_argument("--no-clean", action="store_true", help="skip the clean pairs")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a jiaokan comparison may take before it counts as an error")
    ap.add_argument("--dmp-timeout", type=float, default=1.0, help="the peer's diff-match-patch time limit (its default: 1 s)")
    ap.add_argument("--examples", type=int, default=8, help="false positives / misses listed per group")
    ap.add_argument("--out", help="also write the report to this markdown file")
    ap.add_argument("--headline-into", metavar="MD", help="also replace the headline table between the bench_realdata markers of this file (docs/accuracy.md)")
    ap.add_argument("--show-truth", metavar="KEY", help="print the truth regions of one pair and stop")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if args.show_truth:
        print(show_truth(data, args.show_truth))
        return 0
    pairs = load_pairs(data)
    keys = [p["key"] for p in pairs]
    if args.pairs:
        want = [k.strip() for k in args.pairs.split(",") if k.strip()]
        bad = [k for k in want if k not in keys]
        if bad:
            ap.error(f"unknown pair key(s) {bad}; keys: {', '.join(keys)}")
        keys = want
    try:
        kinds = [] if args.noise == "none" else parse_kinds(args.noise)
    except ValueError as exc:
        ap.error(str(exc))
    sizes = {p["key"]: len((data / p["new"]).read_text(encoding="utf-8")) for p in pairs}
    items = [] if args.no_clean else [(k, CLEAN, "") for k in keys]
    items += [(k, mode, kind) for k in keys for kind in kinds for mode in ("noise-only", "noisy-new")]
    items.sort(key=lambda it: -sizes[it[0]])  # the big pairs first, for an even finish on the workers
    print(f"{len(items)} comparisons, {args.jobs} job(s); engine {engine_identity()}", file=sys.stderr)
    t = time.perf_counter()
    settings = Settings(str(data), args.timeout, args.dmp_timeout, args.examples)
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(settings,)) as ex:
            outcomes = list(ex.map(run_one, items))
    else:
        _init(settings)
        outcomes = [run_one(it) for it in items]
    seconds = time.perf_counter() - t
    order = {(k, m, n): i for i, (k, m, n) in enumerate((k, m, n) for k in keys for m, n in [(CLEAN, "")] + [(m, n) for n in kinds for m in ("noise-only", "noisy-new")])}
    outcomes.sort(key=lambda o: order[(o.key, o.mode, o.noise)])
    _init(settings)
    regions = {k: _pair(k)[3] for k in keys}
    label_runs = {k: _pair(k)[4] for k in keys}
    titles = {p["key"]: p["title"] for p in pairs}
    command = " ".join(["python benchmarks/bench_realdata.py", *(sys.argv[1:] if argv is None else argv)])
    text = report(outcomes, keys, kinds, titles, regions, label_runs, command, seconds, args.examples, args.dmp_timeout)
    publish(text, args.out)
    if args.headline_into:
        update_headline(Path(args.headline_into), outcomes, kinds, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
