"""Scale: find which documents of a corpus reprint, excerpt or quote the base, and check each.

``scan(base, items, engine=...)`` streams: corpus items in, one record per
document out, in input order, with a bounded number in flight — memory follows
the work in flight, not the corpus.  Each document is

1. **screened** without comparing it in full: its normalized character
   5-gram shingles are looked up in the base's (an inverted index of one
   document, as passim does for its queries): *containment* = the share of
   the document's shingles found in the base, *coverage* = the share of the
   base's shingles found in the document.  Shared shingles that follow each
   other in the document and in the base make one *passage* of the base found
   in the document; a passage is *distinctive* when at least 12 of its
   shingles are not formulas of the genre (the 5-grams of 2 % or more of 3,317
   official texts: 本条例自…起施行, 法律、行政法规另有规定, 结合本市实际,
   县级以上人民政府…, 第N条…); *quoted* = the document's characters in
   distinctive passages;
2. classified on that passage-level evidence, not on one containment figure:
   ``reprint``: coverage ≥ 0.8;
   ``excerpt``: its *body*, from its first distinctive passage to its last, is
   at least half of it (the rest is a page's wrapper) and at least 0.8 base
   text; the base paragraphs it draws on are there whole (≥ 0.7 of their text,
   the first and last aside: a copy may start or stop inside one), in the
   base's order (≥ 0.9), with text of its own in at most one place per two
   paragraphs (a summary puts a lead-in before every quote) — paragraphs from
   one stretch of the base or from several;
   ``quotation``: quoted ≥ 5 % of the document, or ≥ 100 characters and ≥ 2 %
   of it (two regulations of one field share a sentence or two of the national
   law both restate; that is not quoting the base);
   else ``unrelated`` — not compared further;
3. checked: a reprint or excerpt is diffed (counts by code, the substantive
   findings; for an excerpt, only those inside the stretches of the base it
   reprints: the paragraphs it leaves out are not omissions), a quotation is
   traced (counts by relation, the drifted passages' findings).

The screen is linear in the document: one dictionary look-up per shingle, and
each shingle compared at most 8 times while passages are extended.

Engines share this one code path: ``local`` (a process pool over the
machine's cores) and ``dask`` (``dask.distributed`` on an existing cluster).
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from jiaokan import parallel, serialize
from jiaokan.config import Settings
from jiaokan.diff import DiffResult, diff_prepared
from jiaokan.discover import Rules
from jiaokan.errors import InputError
from jiaokan.findings import REGISTRY, Finding, Kind, Parts
from jiaokan.ingest import Document, DocxRevisions, document_from_text, read_document
from jiaokan.patterns import compiled
from jiaokan.prepare import prepare
from jiaokan.segment import Segmented
from jiaokan.shingles import SHINGLE, hashed_shingles

REPRINT_COVERAGE = 0.8
PASSAGE_SHINGLES = 12  # a distinctive passage has at least this many shingles that are not formulas of the genre
EXCERPT_FRAME = 0.5  # an excerpt: its distinctive passages span at least this share of the document (the rest: a page's wrapper),
EXCERPT_BODY = 0.8  # which is base text for at least this share of its characters,
EXCERPT_WHOLE = 0.7  # and reprints the base paragraphs it draws on whole, for at least this share of their text,
EXCERPT_ORDER = 0.9  # in the base's order, for at least this share of its distinctive passages' characters,
EXCERPT_INSERTS = 0.5  # with text of its own in at most this many places per base paragraph (a summary's lead-ins: more)
EXCERPT_LEFT_OUT = 0.2  # a base paragraph less than this share of which is aligned with an excerpt is left out of it
EXCERPT_GAP = 3  # ... when it is before the excerpt's first paragraph, after its last, or in a run this long between
QUOTED_SHARE = 0.05  # a quotation: distinctive passages make at least this share of the document,
QUOTED_CHARS = 100  # or at least this many characters
QUOTED_DENSITY = 0.02  # and this share of it
CANDIDATES = 8  # occurrences of a repeated base shingle tried when a passage starts on it
GENRE = Path(__file__).with_name("assets") / "genre-shingles.txt"
_OWN_TEXT = compiled(rb"\x00{4,}")  # in a coverage mask: four characters or more not found in the base
DocumentKind = Literal["reprint", "excerpt", "quotation", "unrelated", "error"]  # what a document is to the base
KINDS: tuple[DocumentKind, ...] = get_args(DocumentKind)
_DRIFT_KINDS = (Kind.SUBSTITUTION, Kind.NUMBER)  # what the summary counts as a copy's drift: words or numbers replaced
DOCUMENT_TIMEOUT = 600  # seconds one document may take in a worker before it is recorded as an error and skipped


@dataclass(frozen=True, slots=True)
class Item:
    """One corpus document: an id, and either its text (from JSONL) or a path to read."""

    id: str
    path: str | None = None
    text: str | None = None
    error: str | None = None  # the input could not even be listed (bad JSONL line, glob matching nothing)
    where: str | None = None  # where it was listed (a JSONL file's line), for messages about the corpus itself


def corpus(inputs: Sequence[str], *, allow_outside: bool = False, rules: Rules | None = None) -> Iterator[Item]:
    """Items from folders, globs, files, and JSONL files of {"id", "text"} or {"id", "path"}, lazily.

    A JSONL ``path`` is resolved against the JSONL file's folder and must stay inside it (after symlinks) unless
    ``allow_outside``; it must name a regular file.  A JSONL ``text`` is held to the size limit files are.  A URL, as
    an argument or a JSONL ``path``, is an item as it is (fetched when checked: docs/web.md).  Folders and globs are
    listed by ``rules`` (docs/discover.md).
    """
    from jiaokan.check import expand

    for source in inputs:
        if source.endswith(".jsonl") and os.path.isfile(source):
            yield from _jsonl(source, allow_outside)
            continue
        for path, error in expand([source], rules=rules):
            yield Item(path, path=path, error=str(error) if error else None, where=source)


def count(inputs: Sequence[str], *, rules: Rules | None = None) -> int:
    """How many items ``corpus`` will give (for a progress bar's ETA): JSONL lines counted, folders and globs listed."""
    from jiaokan.check import expand

    total = 0
    for source in inputs:
        if source.endswith(".jsonl") and os.path.isfile(source):
            with open(source, "rb") as fh:
                total += sum(1 for line in fh if line.strip())
        else:
            total += len(expand([source], rules=rules))
    return total


def unique_ids(inputs: Sequence[str], *, allow_outside: bool = False, rules: Rules | None = None) -> int:
    """Refuse a corpus in which two documents share an id (``--resume`` skips by id: one would be lost).

    Ids are compared as the results write them, as text: ``1`` and ``"1"`` are one id.  A pass over the corpus
    before anything is written (JSONL lines parsed, folders listed; no document is read).  Returns the count.
    """
    seen: dict[str, tuple[str, str]] = {}  # id -> (where, how it was written)
    n = 0
    for item in corpus(inputs, allow_outside=allow_outside, rules=rules):
        n += 1
        where = item.where or item.id
        written = item.raw if isinstance(item, _Listed) else repr(item.id)
        if item.id in seen:
            first, as_written = seen[item.id]
            same = "" if as_written == written else f" (written {as_written} there and {written} here: ids are compared as text)"
            raise InputError(f"{where}: duplicate id {item.id!r}", f"{first} has it too{same}, and --resume skips by id, so one of them would be lost",
                             "give every document its own id (a file or folder named twice: name it once)")
        seen[item.id] = (where, written)
    return n


@dataclass(frozen=True, slots=True)
class _Listed(Item):
    """A JSONL item, with its id as the line wrote it (1 or "1"), for the duplicate check."""

    raw: str = ""


_KIND_OF_FILE = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                 (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _jsonl(source: str, allow_outside: bool = False) -> Iterator[Item]:
    from jiaokan.ingest import max_bytes
    from jiaokan.web import has_scheme

    limit = max_bytes()
    folder = os.path.realpath(os.path.dirname(os.path.abspath(source)))
    with open(source, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"{source}:{n}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Item(where, error=f"{where}: not UTF-8 ({exc.reason} at byte {exc.start}); a JSONL corpus is UTF-8 text", where=where)
                continue
            if n == 1:
                line = line.removeprefix("\ufeff")  # an editor's byte-order mark
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
                yield Item(where, error=f"{where}: not JSON: {why}; each line must be one object", where=where)
                continue
            if (not isinstance(obj, dict) or type(obj.get("id")) not in (str, int)
                    or not isinstance(obj.get("text", obj.get("path")), str)):
                yield Item(where, error=f'{where}: not a document: each line needs "id" and "text" (or "path")', where=where)
                continue
            doc_id, written = str(obj["id"]), json.dumps(obj["id"], ensure_ascii=False)
            text = obj.get("text")
            if isinstance(text, str):
                yield _Listed(doc_id, text=text, error=_text_error(text, where, limit), where=where, raw=written)
                continue
            raw_path = obj["path"]
            if has_scheme(raw_path):  # a URL: fetched as it is (docs/web.md), not a file of the corpus's folder
                yield _Listed(doc_id, path=raw_path, where=where, raw=written)
                continue
            path = str(Path(source).parent / raw_path) if not os.path.isabs(raw_path) else raw_path
            error = None if allow_outside else _outside(path, raw_path, folder, where)
            yield _Listed(doc_id, path=path, error=error or _not_regular(path, where), where=where, raw=written)


def _text_error(text: str, where: str, limit: int) -> str | None:
    """Why a JSONL ``text`` cannot be compared: larger than the limit files are held to (its UTF-8 bytes), or not
    encodable (a lone surrogate such as "\\ud800")."""
    if len(text) > limit:
        size = f"more than {limit:,} bytes"
    else:
        try:
            encoded = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            return f'{where}: "text" is not valid Unicode: a lone surrogate at character {exc.start}; fix the line that wrote it'
        if encoded <= limit:
            return None
        size = f"{encoded:,} bytes"
    return (f'{where}: "text" too large ({size}): the limit is {limit:,} bytes, as for files; '
            "check the line, or raise the limit with JIAOKAN_MAX_BYTES")


def _outside(path: str, raw_path: str, folder: str, where: str) -> str | None:
    """An error when a JSONL ``path`` resolves (after symlinks) outside the JSONL file's folder."""
    real = os.path.realpath(path)
    if os.path.commonpath([real, folder]) == folder:
        return None
    return (f"{where}: path {raw_path!r} is outside the corpus's folder: a JSONL corpus names files in its own folder "
            "(and below); move the file there, or pass --allow-outside-paths if the corpus is trusted")


def _not_regular(path: str, where: str) -> str | None:
    """An error when a JSONL ``path`` exists but is not a regular file (a FIFO would block the scan forever)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # reading it says what is wrong
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KIND_OF_FILE if test(mode)), "not a regular file")
    return f"{path}: is {kind}, not a regular file: only regular files are read; name the file itself ({where})"


def read_resume(path: Path) -> tuple[str, list[dict[str, object]]]:
    """The results of an earlier scan, for ``--resume``: the text to keep and its records.

    Only the last line may be cut short (an interrupted run): it is dropped, to be done again.  Any other line that
    is not a record this scan writes is an error naming the file and the line — never a guess.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the results to resume", exc.strerror or str(exc), "check the file, or start again without --resume") from exc
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    kept: list[str] = []
    records: list[dict[str, object]] = []
    fix = "is -o the results of an earlier jiaokan scan? delete the line, or name a new file and drop --resume"
    for n, raw in enumerate(lines, 1):
        where = f"{path}:{n}"
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            if n == len(lines):
                break  # a line cut short by an interrupted run: done again
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else "nested too deeply"
            raise InputError(f"{where}: not a JSON line ({why})", "only the last line may be cut short (by an interrupted run)", fix) from exc
        problem = _record_problem(record)
        if problem is not None:
            raise InputError(f"{where}: not a scan record", problem, fix)
        kept.append(raw.decode("utf-8") + "\n")
        records.append(record)
    return "".join(kept), records


def _record_problem(record: object) -> str | None:
    """Why a resumed line is not a record this scan writes (what ``Summary.add`` and the id check rely on)."""
    if not isinstance(record, dict):
        return f'it is {type(record).__name__} {json.dumps(record, ensure_ascii=False)[:40]}, not an object with "id" and "kind"'
    if "id" not in record:
        return 'it has no "id"'
    if not isinstance(record["id"], str):
        return f'its "id" is {json.dumps(record["id"], ensure_ascii=False)[:40]}, not text'
    if record.get("kind") not in KINDS:
        return f'its "kind" is {json.dumps(record.get("kind"), ensure_ascii=False)[:40]}, not one of {", ".join(KINDS)}'
    found = record.get("substantive", [])
    if not isinstance(found, list) or not all(
            isinstance(f, dict) and f.get("code") in REGISTRY and isinstance(f.get("base_norm"), str) and isinstance(f.get("witness_norm"), str)
            for f in found):
        return 'its "substantive" is not a list of findings with a known "code", "base_norm" and "witness_norm"'
    return None


@lru_cache(maxsize=1)
def genre_shingles() -> frozenset[int]:
    """The 5-grams common across the official genre (benchmarks/genre_shingles.py), hashed: formulas, not quotes."""
    lines = GENRE.read_text(encoding="utf-8").split("\n")
    return frozenset(hash(g) for g in lines if len(g) == SHINGLE and not g.startswith("# "))


@dataclass(frozen=True, slots=True)
class Passage:
    """Stream ``[d1, d2)`` of the document is stream ``[b1, b2)`` of the base; ``rare`` of its shingles are no formula."""

    d1: int
    d2: int
    b1: int
    b2: int
    rare: int


@dataclass(frozen=True, slots=True)
class Screen:
    """What the screen measures of one document against the base (see the module's docstring)."""

    containment: float
    coverage: float
    quoted: int  # document characters in distinctive passages of the base
    length: int  # stream characters
    framed: float = 0.0  # the share of the document from its first distinctive passage to its last: its "body"
    body: float = 0.0  # the share of the body that is base text
    whole: float = 0.0  # the share of the base paragraphs it draws on that it has
    ordered: float = 0.0  # the share of its distinctive passages' characters that come in the base's order
    inserts: float = 0.0  # places in the body where it has text of its own, per base paragraph it draws on

    @property
    def excerpt(self) -> bool:
        return (self.framed >= EXCERPT_FRAME and self.body >= EXCERPT_BODY and self.whole >= EXCERPT_WHOLE
                and self.ordered >= EXCERPT_ORDER and self.inserts <= EXCERPT_INSERTS)

    @property
    def kind(self) -> DocumentKind:
        if self.coverage >= REPRINT_COVERAGE:
            return "reprint"
        if self.excerpt:
            return "excerpt"
        if self.quoted and (self.quoted >= QUOTED_SHARE * self.length or (self.quoted >= QUOTED_CHARS and self.quoted >= QUOTED_DENSITY * self.length)):
            return "quotation"
        return "unrelated"


class Scanner:
    """The base, prepared once per process: normalized, segmented, shingled, its shingles indexed by position."""

    def __init__(self, base: Document, settings: Settings | None = None, docx_revisions: DocxRevisions = "accepted") -> None:
        self.settings = settings or Settings()
        self.docx_revisions = docx_revisions  # how the corpus's Word files read (--docx-original)
        self.prepared = prepare(base, settings=self.settings)
        self.base = base
        self.seg: Segmented = self.prepared.segmented
        self.grams = hashed_shingles(self.seg.stream)
        self.first: dict[int, int] = {}  # shingle -> its first position in the base
        self.next = [-1] * len(self.grams)  # position -> the same shingle's next position
        last: dict[int, int] = {}
        for k, h in enumerate(self.grams):
            if h in last:
                self.next[last[h]] = k
            else:
                self.first[h] = k
            last[h] = k
        self.shingles = frozenset(self.first)  # a set: intersecting a document's with it is twice as fast as with dict keys
        self.common = genre_shingles()

    def passages(self, hashes: list[int]) -> list[Passage]:
        """The document's shingles found in the base, as maximal passages that continue in the base as well.

        Linear: each document shingle is compared at most CANDIDATES times (once per occurrence tried of a
        repeated base shingle), and the document moves on past the longest continuation found.
        """
        grams, first, nxt, common = self.grams, self.first, self.next, self.common
        out: list[Passage] = []
        k, m = 0, len(hashes)
        after = 0  # where the previous passage ends in the base: of equally long continuations, the one after it
        while k < m:
            p = first.get(hashes[k], -1)
            if p < 0:
                k += 1
                continue
            best = length = tries = 0
            while p >= 0 and tries < CANDIDATES:
                n = _agree(grams, p, hashes, k)
                if n > length or (n == length and best < after <= p):
                    best, length = p, n
                p, tries = nxt[p], tries + 1
            after = best + length
            rare = length - sum(map(common.__contains__, hashes[k:k + length]))
            out.append(Passage(k, k + length + SHINGLE - 1, best, best + length + SHINGLE - 1, rare))
            k += length
        return out

    def screen(self, stream: str) -> Screen:
        hashes = hashed_shingles(stream)
        mine = set(hashes)
        shared = len(mine & self.shingles)
        containment = shared / max(1, len(mine))
        coverage = shared / max(1, len(self.shingles))
        n = len(stream)
        pieces = self.passages(hashes) if shared >= PASSAGE_SHINGLES else []
        distinctive = [pc for pc in pieces if pc.rare >= PASSAGE_SHINGLES]
        quoted = _mask(distinctive, n).count(1)
        if not distinctive:
            return Screen(containment, coverage, quoted, n)
        lo, hi = distinctive[0].d1, max(pc.d2 for pc in distinctive)
        found = _mask(pieces, n)
        framed, body = (hi - lo) / n, found.count(1, lo, hi) / (hi - lo)
        if framed < EXCERPT_FRAME or body < EXCERPT_BODY:  # no excerpt: the rest is not needed
            return Screen(containment, coverage, quoted, n, framed, body)
        whole, paragraphs = self._whole(pieces, distinctive)
        ordered = _in_order(distinctive) / sum(pc.d2 - pc.d1 for pc in distinctive)
        inserts = len(_OWN_TEXT.findall(found, lo, hi)) / max(1, paragraphs)
        return Screen(containment, coverage, quoted, n, framed, body, whole, ordered, inserts)

    def _whole(self, pieces: list[Passage], distinctive: list[Passage]) -> tuple[float, int]:
        """The share of the base paragraphs the distinctive passages come from (the first and last aside: a copy
        may start or stop inside one) that the document has, and how many paragraphs those are."""
        seg = self.seg
        found = _mask(pieces, len(seg.stream), base=True)
        quoted = _mask(distinctive, len(seg.stream), base=True)
        touched = sorted({p for pc in distinctive for p in range(seg.para_of[pc.b1], seg.para_of[pc.b2 - 1] + 1)})
        paras = [seg.paragraphs[p] for p in touched]
        paras = [p for p in paras if quoted.count(1, p.start, p.end) >= min(SHINGLE + PASSAGE_SHINGLES - 1, (p.end - p.start) / 2)]
        inner = paras[1:-1] if len(paras) > 2 else paras
        size = sum(p.end - p.start for p in inner)
        return sum(found.count(1, p.start, p.end) for p in inner) / max(1, size), len(paras)

    def check(self, item: Item) -> dict[str, object]:
        record: dict[str, object] = {"id": item.id}
        if item.path is not None and item.path != item.id:
            record["path"] = item.path
        try:
            if item.error is not None:
                raise InputError(item.error, "", "")
            doc = document_from_text(item.text, path=item.id) if item.text is not None else read_document(item.path or item.id, docx_revisions=self.docx_revisions)
        except InputError as exc:
            record.update(kind="error", error=str(exc).rstrip("; ").rstrip(": "))
            return record
        prepared = prepare(doc, settings=self.settings)  # once: the screen, the diff and the trace all read it
        screen = self.screen(prepared.stream)
        kind = screen.kind
        record.update(sha256=doc.sha256, containment=round(screen.containment, 3), coverage=round(screen.coverage, 3), quoted=screen.quoted,
                      kind=kind)
        if kind in ("reprint", "excerpt"):
            result = diff_prepared(self.prepared, prepared, settings=self.settings)
            if kind == "reprint":
                findings = result.substantive
            else:
                findings, stretches = _inside(result)
                record["stretches"] = stretches
            counts: Counter[str] = Counter(f.code for f in result.listed(include_cosmetic=False) if f.severity != "substantive" or f in findings)
            counts.update({c: n for c, n in result.summary.by_code.items() if result.severity_of(c) == "cosmetic"})  # counted, not built
            record["counts"] = dict(counts)
            record["substantive"] = [serialize.scan_finding(f) for f in findings]
        elif kind == "quotation":
            from jiaokan.trace import trace_prepared

            trace = trace_prepared(self.prepared, prepared)
            record["counts"] = dict(Counter(p.relation for p in trace.passages))
            # a quoted passage's changed wording, of the codes the settings make substantive (as for a reprint)
            codes = frozenset(self.settings.substantive_codes)
            record["substantive"] = [serialize.scan_finding(f) for p in trace.passages if p.relation == "drifted" for f in p.findings if f.code in codes]
        return record


def _agree(grams: list[int], p: int, hashes: list[int], k: int) -> int:
    """How many shingles on from ``grams[p]`` and ``hashes[k]`` are the same (at least 1: they are): compared a
    slice at a time, a run of hundreds costs a few comparisons of lists instead of a step of Python each."""
    n, step = 1, 64
    while step:
        while p + n + step <= len(grams) and k + n + step <= len(hashes) and grams[p + n:p + n + step] == hashes[k + n:k + n + step]:
            n += step
        step >>= 1
    return n


def _mask(pieces: list[Passage], n: int, *, base: bool = False) -> bytearray:
    """1 for each of ``n`` stream characters of the document (or of the base) that the pieces cover."""
    mask = bytearray(n)
    for pc in pieces:
        a, b = (pc.b1, pc.b2) if base else (pc.d1, pc.d2)
        mask[a:b] = b"\x01" * (b - a)
    return mask


def _in_order(passages: list[Passage]) -> int:
    """The characters of the heaviest chain of passages whose base positions rise as the document goes on
    (a weighted longest increasing subsequence, O(p log p) with a Fenwick tree of prefix maxima)."""
    ranks = {b: r for r, b in enumerate(sorted({pc.b1 for pc in passages}), 1)}
    tree = [0] * (len(ranks) + 1)
    best = 0
    for pc in passages:  # in document order
        r = ranks[pc.b1]
        k, before = r - 1, 0  # the heaviest chain ending at a base position below this one
        while k > 0:
            before = max(before, tree[k])
            k -= k & -k
        here = before + pc.d2 - pc.d1
        best = max(best, here)
        k = r
        while k < len(tree):
            tree[k] = max(tree[k], here)
            k += k & -k
    return best


def _inside(result: DiffResult) -> tuple[list[Finding], list[list[int]]]:
    """An excerpt's substantive findings within the stretches of the base it reprints, and those stretches.

    An excerpt is a selection of the base's paragraphs, from one place or several: the base paragraphs it leaves
    out (less than a fifth of their text aligned with it: the diff finds them deleted), before and after the ones it
    has, or between them in runs of at least ``EXCERPT_GAP`` paragraphs, are not omitted from it, nor is base text
    before its first aligned character or after its last; a shorter run missing between is an omission.
    Inside a stretch everything counts: changed words, a rewritten sentence, a sentence dropped from a
    paragraph it has, text it adds.  Stretches are given as [first line, last line] of the base.
    """
    seg = result.base_seg
    aligned_ops = [op for op in result.pairing if op.tag in ("equal", "replace") and op.a2 > op.a1]
    equal = [op for op in aligned_ops if op.tag == "equal"]
    if seg is None or not equal or not seg.paragraphs:
        return result.substantive, []
    aligned = [0] * len(seg.paragraphs)
    for op in aligned_ops:
        k = op.a1
        while k < op.a2:
            para = seg.paragraphs[seg.para_of[k]]
            end = min(op.a2, para.end)
            aligned[para.index] += end - k
            k = end
    kept = [EXCERPT_LEFT_OUT * (p.end - p.start) <= aligned[p.index] for p in seg.paragraphs]
    # a short run of base paragraphs missing between two it has is omitted from the excerpt, not left out of it
    # (a copy of a law without every second article is no excerpt of fifty places)
    n = len(kept)
    k = 0
    while k < n:
        j = k
        while j < n and kept[j] == kept[k]:
            j += 1
        if not kept[k] and k > 0 and j < n and j - k < EXCERPT_GAP:
            kept[k:j] = [True] * (j - k)
        k = j
    # judged in the original, not the stream: the breaks between paragraphs are text there, so a paragraph the copy
    # adds after the base's last aligned character lies outside the stretch (its own closing words), as it reads
    a1, a2 = min(op.a1 for op in equal), max(op.a2 for op in equal)
    lo, hi = seg.original_span(a1, a1 + 1)[0], seg.original_span(a2 - 1, a2)[1]
    outside: list[tuple[int, int]] = []
    stretches: list[list[int]] = []
    k = 0
    while k < len(seg.paragraphs):
        j = k
        while j < len(seg.paragraphs) and kept[j] == kept[k]:
            j += 1
        if kept[k]:
            span = seg.span(seg.paragraphs[k].start, seg.paragraphs[j - 1].end)
            stretches.append([span.line, span.line + span.text.count("\n")])
        else:
            # from the end of the paragraph kept before to the start of the one after: the breaks between count too
            start = seg.original_span(seg.paragraphs[k - 1].end - 1, seg.paragraphs[k - 1].end)[1] if k else 0
            end = seg.original_span(seg.paragraphs[j].start, seg.paragraphs[j].start + 1)[0] if j < len(seg.paragraphs) else len(result.base.text)
            outside.append((start, end))
        k = j
    inside = [f for top in result.substantive for f in (top.places() if top.parts_kind == Parts.PLACES else (top,))
              if lo <= f.base.start and f.base.end <= hi
              and (f.base.start == f.base.end or not any(s <= f.base.start and f.base.end <= e for s, e in outside))]
    return inside, stretches


# ---------------------------------------------------------------- engines

_WORKER: dict[str, Scanner] = {}
BATCH = 8  # documents per Dask task: its round trip (scheduler and pickles, about 5 ms) paid once for these


def _key(base: Document, settings: Settings, docx_revisions: DocxRevisions) -> str:
    return f"{base.sha256}:{settings!r}:{docx_revisions}"


def _scanner(base: Document, settings: Settings, docx_revisions: DocxRevisions) -> Scanner:
    """The base's scanner of this process: built on its first document, kept for the others (keyed by the base's
    digest and the settings: a Dask worker serving two scans builds each once)."""
    key = _key(base, settings, docx_revisions)
    if key not in _WORKER:
        _WORKER.clear()
        _WORKER[key] = Scanner(base, settings, docx_revisions)
    return _WORKER[key]


def check_item(base: Document, settings: Settings, docx_revisions: DocxRevisions, item: Item) -> dict[str, object]:
    """What a worker runs: the base's scanner is built once per process and kept."""
    return _scanner(base, settings, docx_revisions).check(item)


def check_items(base: Document, settings: Settings, docx_revisions: DocxRevisions, items: list[Item]) -> list[dict[str, object]]:
    """One Dask task: a batch of documents against the base's scanner of this worker, with Python's cyclic
    collector off meanwhile, as ``jiaokan scan`` runs (a diff's objects live until it ends: the collector frees nothing)."""
    import gc

    scanner = _scanner(base, settings, docx_revisions)
    was = gc.isenabled()
    gc.disable()
    try:
        return [scanner.check(item) for item in items]
    finally:
        if was:
            gc.enable()


def _spawned(state: dict[str, Any]) -> None:
    """A spawned pool worker (no fork) builds the base's scanner itself, once."""
    state.setdefault("scanner", _scanner(state["base"], state["settings"], state["docx_revisions"]))


def _pool_check(item: Item) -> dict[str, object]:
    scanner: Scanner = parallel.state("scanner")
    return scanner.check(item)


def _timed_out(item: Item) -> dict[str, object]:
    return {"id": item.id, "kind": "error",
            "error": f"{item.id}: no result in {DOCUMENT_TIMEOUT} s: the worker died or the document is pathological; check it alone with jiaokan diff or trace"}


Engine = Literal["local", "dask"]
ENGINES: tuple[Engine, ...] = get_args(Engine)


def as_engine(name: str) -> Engine:
    """An engine by name; an unknown one is an input error naming the engines."""
    for engine in ENGINES:
        if name == engine:
            return engine
    raise InputError(f"unknown engine {name!r}", f"the engines are {' and '.join(ENGINES)}", "use --engine local or --engine dask")


def scan(base: Document, items: Iterable[Item], *, engine: Engine = "local", workers: int | None = None, scheduler: str | None = None,
         settings: Settings | None = None, inflight: int | None = None, docx_revisions: DocxRevisions = "accepted",
         batch: int | None = None) -> Iterator[dict[str, object]]:
    """One record per item, in input order, from the chosen engine (``batch``: documents per task; the records
    are the same for any engine, worker count and batch)."""
    engine = as_engine(engine)  # a caller's string that names no engine fails before any work
    settings = settings or Settings()
    first = Scanner(base, settings, docx_revisions)  # prepared here first: a bad rule or base fails now, not in every worker (a pool would hang)
    if engine == "local":
        workers = parallel.workers_for(workers)
        inflight = inflight or workers * 8
        if workers == 1:
            yield from (first.check(item) for item in items)
            return
        shared = {"base": base, "settings": settings, "docx_revisions": docx_revisions}
        with parallel.Ordered(_pool_check, workers=workers, shared=shared, inherited={"scanner": first}, setup=_spawned,
                              batch=batch or parallel.BATCH, inflight=inflight, timeout=DOCUMENT_TIMEOUT) as pool:
            yield from pool.map(items, on_timeout=_timed_out)
        return
    if engine == "dask":
        try:
            from distributed import Client
        except ImportError as exc:
            raise InputError("--engine dask needs dask.distributed", "it is not installed", 'pip install "jiaokan[dask]"') from exc
        make: Callable[..., Any] = Client  # distributed has no type hints
        client = _connect(make, scheduler) if scheduler else make(processes=True, n_workers=workers or 2, threads_per_worker=1, dashboard_address=None)
        try:
            size = batch or BATCH
            inflight = inflight or 4 * size * max(1, len(client.scheduler_info().get("workers", {})) or 1)
            base_future = client.scatter(base, broadcast=True)  # the base sent to each worker once; its scanner built there once
            yield from parallel.in_order(lambda chunk: client.submit(check_items, base_future, settings, docx_revisions, chunk, pure=False),
                                         lambda f, n: f.result(timeout=DOCUMENT_TIMEOUT * n), items, batch=size, inflight=inflight,
                                         on_timeout=_timed_out)
        finally:
            client.close()
        return
    raise AssertionError(f"engine {engine!r} is not handled")


CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler before the scan gives up


def _connect(client_class: Callable[..., Any], scheduler: str) -> Any:
    """A client of the scheduler at ``scheduler``, or one clear error, within CONNECT_TIMEOUT.

    The address is parsed and, for tcp and tls, the port is tried with a plain socket first: a client that fails to
    connect leaves a half-built object whose clean-up prints tracebacks and waits.
    """
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    fix = "give the address the scheduler prints at start, e.g. --scheduler tcp://host:8786"
    try:
        scheme, location = parse_address(scheduler)
        host, port = parse_host_port(location) if scheme in ("tcp", "tls") else (None, None)
    except (ValueError, TypeError) as exc:
        raise InputError(f"--scheduler {scheduler!r} is not a scheduler address", str(exc).rstrip("."), fix) from exc
    if host is not None:
        try:
            socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
        except OSError as exc:
            why = f"no answer within {CONNECT_TIMEOUT} s" if isinstance(exc, TimeoutError) else exc.strerror or str(exc) or type(exc).__name__
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}", why,
                             "check that it is running and reachable from here (dask scheduler prints its address)") from exc
    import threading

    import dask

    box: dict[str, object] = {}

    def build() -> None:  # in a thread: a peer that accepts and never answers would hold the handshake forever
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT}s"}):
                box["client"] = client_class(scheduler, timeout=CONNECT_TIMEOUT)
        except BaseException as exc:  # noqa: BLE001 - reported below
            box["error"] = exc

    thread = threading.Thread(target=build, name="jiaokan-dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_TIMEOUT + 2)
    if "client" in box:
        return box["client"]
    failure = box.get("error")
    why = f"no answer as a Dask scheduler within {CONNECT_TIMEOUT} s" if failure is None else str(failure).rstrip(".") or type(failure).__name__
    raise InputError(f"cannot connect to the Dask scheduler at {scheduler}", why, fix) from (failure if isinstance(failure, BaseException) else None)


# ---------------------------------------------------------------- summary


@dataclass(slots=True)
class Summary:
    """What the end-of-scan table shows, accumulated record by record."""

    kinds: Counter[str]
    drifts: Counter[tuple[str, str]]  # (base words, copy's words) -> documents
    copies: int
    worst: list[tuple[int, str]]

    @classmethod
    def empty(cls) -> Summary:
        return cls(Counter(), Counter(), 0, [])

    def add(self, record: dict[str, object]) -> None:
        kind = str(record.get("kind"))
        self.kinds[kind] += 1
        if kind in ("reprint", "excerpt"):
            self.copies += 1
        found = record.get("substantive") or []
        assert isinstance(found, list)
        if kind in ("reprint", "excerpt"):  # a quotation's drift is one writer's wording, not a copy's
            self.drifts.update({(str(f["base_norm"]), str(f["witness_norm"])) for f in found if REGISTRY[str(f["code"])].kind in _DRIFT_KINDS})
        if found:
            self.worst.append((len(found), str(record["id"])))

