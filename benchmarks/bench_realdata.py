"""Accuracy on real amendments: fifteen pairs of published versions of Chinese laws and regulations.

Run by hand, not part of the test suite:

    python benchmarks/bench_realdata.py [--pairs 01,15] [--noise every|none|KIND,KIND] [--jobs 2] [--out docs/accuracy-realdata.md]
    python benchmarks/bench_realdata.py --show-truth 15     # the truth regions of one pair, to check them by eye

The pairs (``realdata/``, see its README) are real edits nobody on this project wrote. jiaokan reads each version's
Markdown file (``format="markdown"``) and reports offsets into that file's text.

Truth: both versions are stripped the same way to plain text (the title and history above ``<!-- INFO END -->``
and that marker set apart as the HEADER; ``#`` heading marks dropped), keeping a map from each plain character to
its offset in the Markdown file. The two plain BODIES are diffed character by character with diff-match-patch
(no time limit, semantic cleanup); each changed region is classified:

- ``cosmetic``: equal after folding (NFKC, which maps full-width forms to ASCII; the Chinese/ASCII punctuation
  pairs of ``PUNCT_FOLD``; whitespace removed);
- ``renumbering``: on both sides the region lies inside the numeral of a line-initial label, ``第X条``, ``第X章``,
  ``第X节`` or ``（X）`` (article 18 became article 17 because one was inserted before it);
- ``substantive``: everything else (new wording, inserted and deleted articles, updated cross-references).

Scoring (base = the old version, so truth and findings share the old file's offsets):
- recall: substantive truth regions found / all; a region is found when a substantive finding's base span overlaps
  it (a pure insertion on either side: within 2 characters);
- precision: substantive findings in the body that reach a substantive or renumbering region / substantive
  findings in the body; findings in the header (the history gains a line in every amendment) are counted apart;
- findings per region: substantive findings in the body / substantive truth regions: what a reader reads for each
  real change.
The PEER is what a diff-match-patch user reads: the regions of dmp (its defaults: line-mode speed-up and a 1 s time
limit, then semantic cleanup) over the raw file texts; the same three figures are given for its regions.

Under noise (``noise.py``), each pair twice per kind: (a) NOISE-ONLY, old file vs noisy(plain old): every
substantive finding is false (goal 0); (b) NOISY NEW, old file vs noisy(plain new), scored against the clean truth.
The noisy texts are the plain text (header included, as a reprint carries the title and history); the kind
``none`` is the plain text itself, a control for Markdown vs plain text.
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
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "accuracy"))

from _harness import publish, bipartite, clip, engine_identity, git_revision, in_context, near, time_limit  # noqa: E402
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
    return m.start(g) <= s and e <= m.end(g)


def classify(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> str:
    if fold(a[i1:i2]) == fold(b[j1:j2]):
        return "cosmetic"
    if _in_label_numeral(a, i1, i2) and _in_label_numeral(b, j1, j2):
        return "renumbering"
    return "substantive"


def _slide(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> tuple[int, int]:
    """The stretch of ``a`` over which a pure insertion or deletion could equally be placed (dmp picks one place).

    Deleting 一步 from 进一步一步 is the same edit at either 一步; inserting 的 before 的 likewise.
    """
    if i1 < i2 and j1 == j2:  # deletion
        return deletion_range(a, i1, i2)
    if i1 == i2 and j1 < j2:  # insertion
        return insertion_range(a, i1, b[j1:j2])
    return i1, i2


def truth(old: Plain, new: Plain) -> list[Region]:
    a, b = old.text[old.body_start:], new.text[new.body_start:]
    out = []
    for i1, i2, j1, j2 in dmp_regions(a, b, timeout=0.0, checklines=False):
        lo, hi = _file_span(old, *_slide(a, b, i1, i2, j1, j2), empty=i1 == i2)
        wlo, whi = _file_span(new, *_slide(b, a, j1, j2, i1, i2), empty=j1 == j2)
        out.append(Region(classify(a, b, i1, i2, j1, j2), lo, hi, i1 == i2, a[i1:i2], b[j1:j2], wlo, whi, j1 == j2))
    return out


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
    renumbering: int = 0
    found: int = 0
    renumbering_found: int = 0
    findings: int = 0  # substantive findings in the body
    on_truth: int = 0
    on_truth_either: int = 0  # clean pairs: reaching a change on the base side or on the witness side
    header: int = 0  # substantive findings in the header
    matched_1to1: int = 0  # substantive regions matched one-to-one (a finding counted once)
    peer_regions: int = 0  # dmp regions in the body
    peer_header: int = 0
    peer_found: int = 0
    peer_on_truth: int = 0
    peer_marked: int = 0  # base characters inside the peer's body regions
    base_chars: int = 0
    codes: dict[str, int] = field(default_factory=dict)  # codes of the false substantive findings
    fps: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # false on the base side, right on the witness side
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


@lru_cache(maxsize=None)
def _pair(key: str) -> tuple[dict[str, str], Plain, Plain, tuple[Region, ...]]:
    data = Path(_SETTINGS[0].data)
    meta = next(p for p in load_pairs(data) if p["key"] == key)
    old = strip_markdown((data / meta["old"]).read_text(encoding="utf-8"))
    new = strip_markdown((data / meta["new"]).read_text(encoding="utf-8"))
    return meta, old, new, tuple(truth(old, new))


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


def run_one(item: tuple[str, str, str]) -> Outcome:
    key, mode, kind = item
    meta, old, new, regions = _pair(key)
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

    subst = [f for f in result.findings if f.severity == "substantive"]
    body = [f for f in subst if f.base.end > old.src_body_start or f.base.start >= old.src_body_start]
    out.header = len(subst) - len(body)
    peer_body = [(i1, i2) for i1, i2, _, _ in peer if i2 > old.src_body_start or i1 >= old.src_body_start]
    out.peer_header = len(peer) - len(peer_body)
    out.peer_regions = len(peer_body)
    out.peer_marked = sum(max(0, e - max(s, old.src_body_start)) for s, e in peer_body)
    out.base_chars = len(old.src) - old.src_body_start
    codes: dict[str, int] = {}
    if mode == "noise-only":  # no change at all: everything substantive is false
        out.findings = len(body)
        for f in subst:
            codes[f.code] = codes.get(f.code, 0) + 1
        out.fps = [_fp_line(old, witness, f) for f in subst[:examples]]
        out.codes = codes
        return out

    real = [r for r in regions if r.kind == "substantive"]
    renum = [r for r in regions if r.kind == "renumbering"]
    changed = real + renum

    def reach(ps: int, pe: int, r: Region) -> bool:
        return near(ps, pe, r.lo, r.hi, insertion=r.insertion)

    out.truth, out.renumbering, out.findings = len(real), len(renum), len(body)
    hit = [any(reach(f.base.start, f.base.end, r) for f in body) for r in real]
    out.found = sum(hit)
    out.renumbering_found = sum(any(reach(f.base.start, f.base.end, r) for f in body) for r in renum)
    out.matched_1to1 = len(bipartite(len(real), len(body), lambda i, j: reach(body[j].base.start, body[j].base.end, real[i])))
    false = [f for f in body if not any(reach(f.base.start, f.base.end, r) for r in changed)]
    out.on_truth = len(body) - len(false)
    to_new = _witness_to_new_file(mode, kind, new)
    if to_new is not None:  # the truth knows the witness's offsets too
        def reaches_witness(f: Finding) -> bool:
            ws, we = to_new(f.witness.start, f.witness.end)
            return any(near(ws, we, r.wlo, r.whi, insertion=r.deletion) for r in changed)

        out.elsewhere = [_fp_line(old, witness, f) for f in false if reaches_witness(f)][:examples]
        false = [f for f in false if not reaches_witness(f)]
        out.on_truth_either = len(body) - len(false)
    else:  # a noisy witness: its offsets are not the new file's, but a finding's witness text can be the new text
        def has_new_text(f: Finding) -> bool:
            mine = fold(f.witness_norm)
            return len(mine) >= MIN_TEXT and any(_shares_text(mine, fold(r.new)) for r in changed if len(r.new) >= MIN_TEXT)

        out.elsewhere = [_fp_line(old, witness, f) for f in false if has_new_text(f)][:examples]
        false = [f for f in false if not has_new_text(f)]
        out.on_truth_either = len(body) - len(false)
    for f in false:
        codes[f.code] = codes.get(f.code, 0) + 1
    out.codes = codes
    out.fps = [_fp_line(old, witness, f) for f in false[:examples]]
    out.misses = [_miss_line(old, r) for r, h in zip(real, hit) if not h][:examples]
    out.peer_found = sum(any(reach(s, e, r) for s, e in peer_body) for r in real)
    out.peer_on_truth = sum(any(reach(s, e, r) for r in changed) for s, e in peer_body)
    return out


# --------------------------------------------------------------------------
# report


def _ratio(a: float, b: float, digits: int = 3) -> str:
    return f"{a / b:.{digits}f}" if b else "—"


def _sum(group: list[Outcome], attr: str) -> int:
    return sum(getattr(o, attr) for o in group)


def report(outcomes: list[Outcome], keys: list[str], kinds: list[str], titles: dict[str, str], all_regions: dict[str, tuple[Region, ...]],
           command: str, seconds: float, examples: int, dmp_timeout: float) -> str:
    clean = [o for o in outcomes if o.mode == CLEAN]
    lines = [
        "# Accuracy on real amendments (fifteen pairs of Chinese laws and regulations)",
        "",
        f"- command: `{command}`",
        f"- benchmark revision: {git_revision(HERE, 'benchmarks')}",
        f"- engine: `jiaokan` imported from {engine_identity()}",
        f"- pairs: {len(keys)} ({', '.join(keys)}); noise kinds: {', '.join(kinds) or '—'}; {len(outcomes)} comparisons in {seconds:.0f} s wall",
        f"- peer: diff-match-patch over the raw texts (line-mode speed-up, {dmp_timeout:g} s time limit, semantic cleanup): a region is one run of insertions and deletions",
        "",
        "Truth: the Markdown of both versions stripped to plain text the same way (title and history above `<!-- INFO END -->`",
        "set apart, `#` marks dropped), the bodies diffed character by character with diff-match-patch (no time limit, semantic",
        "cleanup), each region classified as substantive, renumbering (only the numeral of a line-initial `第X条`/`第X章`/`（X）`",
        "label changed) or cosmetic (equal after NFKC, a Chinese/ASCII punctuation fold and removing whitespace). A region is found",
        "when a substantive finding's base span overlaps it (a pure insertion: within 2 characters). Precision counts a body",
        "finding as right when it reaches a substantive or renumbering region. Findings in the header (the history gains a line",
        "in each amendment) are counted apart and left out of precision. On clean pairs, where the witness is the new file and",
        "the truth knows its offsets too, \"precision, base or witness side\" also accepts a finding whose witness span reaches a",
        "change: an added article that jiaokan anchors in the base at another paragraph boundary than dmp does.",
        "",
    ]
    counts = {k: {c: sum(1 for r in all_regions[k] if r.kind == c) for c in ("substantive", "renumbering", "cosmetic")} for k in keys}
    if clean:
        lines += [
            "## Clean pairs (old file as base, new file as witness)",
            "",
            "| pair | title | truth: substantive / renumbering / cosmetic | found | recall | substantive findings (body) | on a change | precision | precision, base or witness side | findings per substantive region | one-to-one matched | header findings | dmp regions (body) | dmp recall | dmp precision | dmp regions per substantive region | s |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]

        def row(label: str, title: str, group: list[Outcome], truth_counts: str) -> str:
            t, fnd, fi, on = _sum(group, "truth"), _sum(group, "found"), _sum(group, "findings"), _sum(group, "on_truth")
            pr, pf, pt = _sum(group, "peer_regions"), _sum(group, "peer_found"), _sum(group, "peer_on_truth")
            err = " (error)" if any(o.error for o in group) else ""
            return (f"| {label}{err} | {title} | {truth_counts} | {fnd} | {_ratio(fnd, t)} | {fi} | {on} | {_ratio(on, fi)} | {_ratio(_sum(group, 'on_truth_either'), fi)} | {_ratio(fi, t, 2)} | "
                    f"{_sum(group, 'matched_1to1')} | {_sum(group, 'header')} | {pr} | {_ratio(pf, t)} | {_ratio(pt, pr)} | {_ratio(pr, t, 2)} | "
                    f"{_sum(group, 'seconds'):.1f} |")

        for k in keys:
            c = counts[k]
            lines.append(row(k, titles[k], [o for o in clean if o.key == k], f"{c['substantive']} / {c['renumbering']} / {c['cosmetic']}"))
        tot = {c: sum(counts[k][c] for k in keys) for c in ("substantive", "renumbering", "cosmetic")}
        lines.append(row("**all**", "", clean, f"{tot['substantive']} / {tot['renumbering']} / {tot['cosmetic']}"))
        lines += ["", f"Renumbering regions reached by a substantive finding: {_sum(clean, 'renumbering_found')} of {_sum(clean, 'renumbering')}.", ""]

    noisy = [o for o in outcomes if o.mode != CLEAN]
    if noisy:
        lines += [
            "## Under noise",
            "",
            "(a) noise-only: old file vs noisy(plain old) — every substantive finding is false (goal 0). (b) noisy new: old file vs",
            "noisy(plain new), scored against the clean truth. dmp columns: the peer's regions on the same pair; when noise touches",
            "every line, dmp's regions merge into a few that cover nearly the whole text (see the share it marks), so its recall",
            "and precision there say little. (b) precision is scored on the base side only (the witness is no longer the new file,",
            "except for `none`), so the clean pairs' base-side false positives — added articles anchored at another paragraph",
            "boundary than dmp's — recur in every row. Where dmp hits its time limit its figures vary from run to run with the",
            "machine's speed and load; jiaokan's do not. \"(b) precision, base or witness side\" also accepts a finding whose",
            "witness text shares a stretch (half of it, or 12 characters, folded) with the new text of a changed region: the",
            "same added article, anchored in the base at another paragraph boundary.",
            "",
            "| noise | (a) substantive findings | (a) pairs with any | (a) dmp regions | (b) recall | (b) substantive findings (body) | (b) precision | (b) precision, base or witness side | (b) findings per region | (b) header findings | (b) dmp regions | (b) dmp recall | (b) dmp precision | (b) share of the base body dmp marks | dmp runs that hit its time limit | errors | mean s (jiaokan / dmp) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for kind in kinds:
            a = [o for o in noisy if o.noise == kind and o.mode == "noise-only"]
            b = [o for o in noisy if o.noise == kind and o.mode == "noisy-new"]
            af = _sum(a, "findings") + _sum(a, "header")
            t, fnd, fi, on = _sum(b, "truth"), _sum(b, "found"), _sum(b, "findings"), _sum(b, "on_truth")
            pr, pf, pt = _sum(b, "peer_regions"), _sum(b, "peer_found"), _sum(b, "peer_on_truth")
            group = a + b
            n = len(group) or 1
            lines.append(f"| {kind} | {af} | {sum(1 for o in a if o.findings + o.header)} | {_sum(a, 'peer_regions') + _sum(a, 'peer_header')} | "
                         f"{_ratio(fnd, t)} | {fi} | {_ratio(on, fi)} | {_ratio(_sum(b, 'on_truth_either'), fi)} | {_ratio(fi, t, 2)} | {_sum(b, 'header')} | {pr} | {_ratio(pf, t)} | {_ratio(pt, pr)} | "
                         f"{_ratio(_sum(b, 'peer_marked'), _sum(b, 'base_chars'))} | {sum(o.dmp_timed_out for o in group)} of {len(group)} | "
                         f"{sum(1 for o in group if o.error)} | {_sum(group, 'seconds') / n:.2f} / {_sum(group, 'dmp_seconds') / n:.2f} |")
        lines += ["", "False substantive findings by code: (a) noise-only; (b) noisy new (findings that reach no change).", ""]
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

    def examples_of(group: list[Outcome], attr: str, heading: str) -> None:
        items = [(o, x) for o in group for x in getattr(o, attr)][:examples]
        if items:
            lines.append(f"- **{heading}**")
            lines.extend(f"  - {o.key}: {x}" for o, x in items)

    if any(o.elsewhere for o in clean):
        lines += ["", "## Clean pairs: findings false on the base side, right on the witness side (where jiaokan and dmp anchor a change differently)", ""]
        examples_of(clean, "elsewhere", "clean pairs")
    lines += ["", f"## First false positives (up to {examples} per group)", ""]
    examples_of(clean, "fps", "clean pairs")
    for kind in kinds:
        examples_of([o for o in noisy if o.noise == kind and o.mode == "noise-only"], "fps", f"{kind} (a) noise-only")
        examples_of([o for o in noisy if o.noise == kind and o.mode == "noisy-new"], "fps", f"{kind} (b) noisy new")
    lines += ["", f"## First misses (substantive truth regions no substantive finding reaches; up to {examples} per group)", ""]
    examples_of(clean, "misses", "clean pairs")
    for kind in kinds:
        examples_of([o for o in noisy if o.noise == kind and o.mode == "noisy-new"], "misses", f"{kind} (b) noisy new")
    lines += ["", "Truth regions of one pair: `python benchmarks/bench_realdata.py --show-truth KEY`.", ""]
    return "\n".join(lines)


def show_truth(data: Path, key: str) -> str:
    _init(Settings(str(data), 0.0, 1.0, 8))
    meta, old, new, regions = _pair(key)
    lines = [f"# {key} {meta['title']}: {meta['old']} -> {meta['new']}", ""]
    for r in regions:
        lines.append(f"{r.kind:12} base@{r.lo}-{r.hi} {in_context(old.src, r.lo, r.hi)} -> {clip(r.new, 80)!r}")
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
    titles = {p["key"]: p["title"] for p in pairs}
    command = " ".join(["python benchmarks/bench_realdata.py", *(sys.argv[1:] if argv is None else argv)])
    text = report(outcomes, keys, kinds, titles, regions, command, seconds, args.examples, args.dmp_timeout)
    publish(text, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
