"""Stages 5-6: turn an alignment into findings, and classify them.

``diff_prepared(base, witness, settings=...)`` chains the stages after preparation (as black's
``format_file_contents`` does): align → findings → classify; ``diff_documents`` and ``diff_files``
prepare first (``prepare.py``: read → normalize → segment).  Every finding is located in both
ORIGINAL texts, and keeps its place in the compared streams.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from jiaokan.align import Alignment, Move, Op, align, cleanup_semantic, longest_chain, opcodes, pair_dropped_openings, whole_rewrites
from jiaokan.characters import visible
from jiaokan.classify import ADDITIONS, OMISSIONS, Located, groups, pair_moves, units
from jiaokan.config import Settings
from jiaokan.deferred import Findings, order
from jiaokan.findings import COSMETIC, FRAMING, STRUCTURAL, SUBSTANTIVE, SUBSTANTIVE_CODES, Code, Finding, Parts, Severity, Span, severity_of, span_at
from jiaokan.ingest import Document
from jiaokan.labels import ARTICLE_UNITS, Label, Labelled, Paired, Role, Verdict, find_labels, in_order, neighbours, renumbering_map, runs, unmask, verdict_of
from jiaokan.markup import plain_text
from jiaokan.normalize import Edit, EditLog, Normalized, is_title, locate
from jiaokan.numbers import is_number_change
from jiaokan.patterns import compiled
from jiaokan.prepare import Prepared, prepare, prepare_file
from jiaokan.regional import CONVERTED, EVIDENCE, Judged, Pair, canonical, clusters, judge, regional_words
from jiaokan.segment import Segmented, word_tokenizer
from jiaokan.textmap import CODES

_DIGIT_RUNS = compiled(r"\d+")
_HAN = compiled(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
_CLAUSE = compiled(r"[，、；。：]")
_DOC_NUMBER = compiled(r"^[\u4e00-\u9fff]{1,10}〔\d{4}〕\d{1,4}号$")
_DATE_LINE = compiled(r"^(?:19|20)\d\d年\d{1,2}月\d{1,2}日$")
_ADDRESSEE = compiled(r"^[\u4e00-\u9fff、，]{1,100}(?:院|部|委|委员会|局|厅|办公厅|办公室|政府|中心|署|机构|单位|部门|公司)：$")  # 主送机关
_NOTE = compiled(r"^（此件[\u4e00-\u9fff]{2,8}）$")  # 附注: （此件公开发布） （此件主动公开）
_ISSUER = compiled(r"^[\u4e00-\u9fff]{2,30}(?:院|部|委|委员会|局|厅|办公厅|办公室|政府|中心|会|署|处|室|所|公司|集团|行)$")
_LABEL_NUMBER = compiled(r"(?<=第)\d+(?=[条章节编款项])")
CONTEXT_CHARS = 16
MERGE_MAX = 12  # ... and only small edits: a whole deleted passage next to an added one stays two findings
MERGE_GAP = 2  # equal characters between two edits that still make them one change


@dataclass(frozen=True, slots=True)
class Summary:
    substantive: int
    cosmetic: int
    framing: int
    by_code: dict[str, int]
    set_aside: int | None = None  # paragraphs left out by framing patterns; None when none were given
    structural: int = 0  # runs of renumbered labels

@dataclass(frozen=True, slots=True)
class DiffResult:
    """Everything ``jiaokan diff`` reports, and what the renderers show."""

    base: Document
    witness: Document
    findings: Sequence[Finding]  # a Findings view from a diff: its cosmetic findings built when first read
    summary: Summary
    rules: tuple[str, ...]
    base_seg: Segmented | None = field(repr=False, compare=False)  # the compared streams and how they align;
    witness_seg: Segmented | None = field(repr=False, compare=False)  # None once light()
    alignment: Alignment | None = field(repr=False, compare=False)
    pairing: tuple[Op, ...] = field(default=(), repr=False, compare=False)  # the ops the findings came from, in order
    substantive_codes: frozenset[str] = frozenset(SUBSTANTIVE_CODES)
    set_aside: tuple[Span, ...] = ()  # base and witness paragraphs left out by framing patterns, in that order
    include_cosmetic: bool = False  # the settings' choice: do reports and the JSON list cosmetic findings (always counted)

    def severity_of(self, code: str) -> Severity:
        return severity_of(code, self.substantive_codes)

    @property
    def base_norm(self) -> Normalized | None:
        return self.base_seg.normalized if self.base_seg else None

    @property
    def witness_norm(self) -> Normalized | None:
        return self.witness_seg.normalized if self.witness_seg else None

    def light(self, *, cosmetic: bool = True) -> DiffResult:
        """The result without the streams, their offset maps and the alignment (8x the memory of the rest):
        enough for every text, JSON and CI report, for a caller that keeps many results.  Its cosmetic findings are
        built first (they are made from the streams), or, ``cosmetic=False``, left out (still counted in the
        summary): a caller whose reports never list them keeps neither them nor the work of building them."""
        if not cosmetic:
            findings: Sequence[Finding] = self.listed(include_cosmetic=False)
        else:
            findings = self.findings.materialized() if isinstance(self.findings, Findings) else self.findings
        return replace(self, findings=findings, base_seg=None, witness_seg=None, alignment=None, pairing=())

    @property
    def substantive(self) -> list[Finding]:
        return [f for f in self.listed(include_cosmetic=False) if f.severity == SUBSTANTIVE]

    def listed(self, *, include_cosmetic: bool | None = None) -> list[Finding]:
        """The findings a report lists: cosmetic ones only if asked (here, or by the settings the diff ran with);
        without them, the cosmetic findings are never built."""
        cosmetic = self.include_cosmetic if include_cosmetic is None else include_cosmetic
        if isinstance(self.findings, Findings):
            return self.findings.listed(include_cosmetic=cosmetic)
        return [f for f in self.findings if cosmetic or f.severity != COSMETIC]

def diff_files(base: str, witness: str, *, settings: Settings | None = None) -> DiffResult:
    settings = settings or Settings()
    return diff_prepared(prepare_file(base, settings=settings), prepare_file(witness, settings=settings), settings=settings)


def diff_documents(base: Document, witness: Document, *, settings: Settings | None = None) -> DiffResult:
    """Compare a witness with a base: prepare both (normalize, segment), then align, find, classify.

    ``settings.substantive_codes`` decides which codes are substantive; others are cosmetic, or framing.
    ``settings.framing_patterns`` hold regular expressions for a site's own header and footer: a paragraph one of
    them matches in full (normalized text) is set aside before alignment.
    """
    settings = settings or Settings()
    return diff_prepared(prepare(base, settings=settings), prepare(witness, settings=settings), settings=settings)


def diff_prepared(base: Prepared, witness: Prepared, *, settings: Settings | None = None, timings: dict[str, float] | None = None) -> DiffResult:
    """Compare two prepared documents (each prepared once, however many times it is compared).

    ``timings``, if given, receives the CPU seconds each stage took (align, find, classify): what
    benchmarks/bench_stages.py reports, measured where the stages run rather than re-enacted beside them."""
    settings = settings or Settings()
    for p in (base, witness):
        if not p.prepared_for(settings):
            raise ValueError(f"{p.document.path} was prepared with other rules or framing patterns than these settings")
    framed = bool(settings.framing_patterns) or bool(base.segmented.set_aside or witness.segmented.set_aside)  # a web page's chrome too
    return replace(_diff(base, witness, frozenset(settings.substantive_codes), framed, timings), include_cosmetic=settings.include_cosmetic)


def _diff(pa: Prepared, pw: Prepared, codes: frozenset[str], framed: bool, timings: dict[str, float] | None = None) -> DiffResult:
    # CPU seconds (what a stage costs, whatever else the machine runs), read only when asked: the clock is a system call
    clock: Callable[[], float] = time.process_time if timings is not None else float
    t0 = clock()
    base, witness = pa.document, pw.document
    sa, sw = pa.segmented, pw.segmented
    nb = sa.normalized
    # aligned with the numbers of labels and references masked: a renumbered article still pairs with itself
    # the base's labels found once, however many witnesses it is compared with; a witness's here, and its masked
    # copy let go once aligned (a 20 MB witness's is 40 MB, and the edits read next are the diff's peak)
    la, lw = pa.labelled(), find_labels(sw)
    key = canonical if "regional" in nb.rules else None
    masked = align(la.masked, lw.masked, key=key)
    ops = pair_dropped_openings(masked.ops, la.masked, lw.masked)
    ops = whole_rewrites(cleanup_semantic(ops, la.masked, lw.masked, key=key), la.masked, lw.masked)
    alignment = unmask(replace(masked, ops=ops), la, lw, sa.stream, sw.stream)
    lw = replace(lw, masked=sw)
    t1 = clock()
    finder = _Finder(sa, sw, alignment, codes, (la, lw))
    found = finder.run()
    t2 = clock()
    built = finder.as_read(found)
    built.sort(key=order)
    counts = Counter(f.severity for f in built)
    by_code = Counter(f.code for f in built)
    counts[COSMETIC] += len(finder.deferred)  # counted now, built when a report lists them
    by_code.update(record[0] for record in finder.deferred)
    findings = Findings(built, finder.deferred, lambda records: [_cosmetic_finding(sa, sw, codes, *r) for r in records])
    set_aside = tuple(_span_of(seg, lo, hi) for seg in (sa, sw) for lo, hi in seg.set_aside)
    summary = Summary(counts[SUBSTANTIVE], counts[COSMETIC], counts[FRAMING], dict(sorted(by_code.items())),
                      len(set_aside) if framed else None, counts[STRUCTURAL])
    pairing = tuple(sorted(finder.pairing, key=lambda op: (op.a1, op.a2, op.b1)))
    if timings is not None:
        timings.update(align=t1 - t0, find=t2 - t1, classify=clock() - t2)
    return DiffResult(base, witness, findings, summary, nb.rules, sa, sw, alignment, pairing, codes, set_aside)


def _span_of(seg: Segmented, lo: int, hi: int) -> Span:
    """The original span of normalized ``[lo, hi)``."""
    s, e = seg.normalized.original_span(lo, hi)
    return span_at(seg.normalized.document, s, e)


def _one_paragraph(seg: Segmented, lo: int, hi: int) -> bool:
    """Does stream ``[lo, hi)`` lie in one paragraph?  An empty range does, wherever it is."""
    if hi <= lo or not seg.para_of:
        return True
    last = len(seg.para_of) - 1
    return seg.para_of[min(lo, last)] == seg.para_of[min(hi - 1, last)]


# --------------------------------------------------------------------------
# a scan's doubtful reading (Document.uncertain: characters OCR was unsure of)

# changes of a few words: one touching a doubtful character is the OCR's doubt, not drift
_OCR_WORDS = frozenset({Code.WORDING_SUBSTITUTION, Code.WORDING_INSERTION, Code.WORDING_DELETION, Code.NUMBER_CHANGE, Code.STALE_REFERENCE})
# whole sentences or paragraphs one copy has: the OCR's doubt only when most of that text was read with low confidence
# (noise read as text, a smudged line); a passage missing from the scan is still missing
_OCR_PASSAGES = frozenset({Code.SENTENCE_OMISSION, Code.SENTENCE_ADDITION, Code.PARAGRAPH_OMISSION, Code.PARAGRAPH_ADDITION})
_OCR_DOUBTED = _OCR_WORDS | _OCR_PASSAGES


def _doubtful(code: Code, base: Span, a: Document, witness: Span, b: Document) -> bool:
    """Does a finding touch characters OCR was unsure of, in either copy?"""
    if code in _OCR_WORDS:
        return _touches(a.uncertain, base.start, base.end) or _touches(b.uncertain, witness.start, witness.end)
    return _mostly(a.uncertain, base, a.text) or _mostly(b.uncertain, witness, b.text)


def _touches(ranges: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """Do ``[start, end)`` and a range overlap?  A point (an insertion's place) touches a range it is next to: the
    characters OCR dropped are beside the ones it was unsure of."""
    if not ranges:
        return False
    k = bisect.bisect_left(ranges, (start, start)) - 1  # the ranges are sorted and apart
    for lo, hi in ranges[max(0, k):]:
        if lo > end:
            return False
        if (lo < end and start < hi) if end > start else (lo <= start <= hi):
            return True
    return False


def _mostly(ranges: tuple[tuple[int, int], ...], span: Span, text: str) -> bool:
    """Were at least half the visible characters of ``span`` read with low confidence?"""
    if not ranges or span.end <= span.start:
        return False
    shown = sum(1 for ch in text[span.start:span.end] if not ch.isspace())
    doubted = sum(1 for lo, hi in ranges for i in range(max(lo, span.start), min(hi, span.end)) if not text[i].isspace())
    return shown > 0 and doubted * 2 >= shown


# --------------------------------------------------------------------------


class _Finder:
    def __init__(self, base: Segmented, witness: Segmented, alignment: Alignment, codes: frozenset[str],
                 labels: tuple[Labelled, Labelled]) -> None:
        self.a = base
        self.b = witness
        self.al = alignment
        self.codes = codes
        self.out: list[Finding] = []
        self.deferred: list[Cosmetic] = []  # cosmetic findings counted, built only when listed (deferred.Findings)
        # which base text was compared with which witness text: the body's ops and, in the wrappers,
        # those of the paired passages (a wrapper's unpaired text is compared with nothing)
        self.pairing: list[Op] = []
        self._framing: list[tuple[str, int, int, int]] = []  # (side, start, end, point on the other side)
        self.edits = {"base": _SideEdits(base), "witness": _SideEdits(witness)}  # normalization edits on the streams
        self.labels = labels
        # where each copy's sentences start and end, for cutting and judging changes
        self.sa = ([x.start for x in base.sentences], [x.end for x in base.sentences])
        self.sb = ([x.start for x in witness.sentences], [x.end for x in witness.sentences])
        self.renumbered: dict[str, list[tuple[int, int]]] = {"base": [], "witness": []}  # label numbers that changed
        self.moved_labels: list[tuple[Finding, Role]] = []  # renumbered labels and references inside moved passages
        self.unjudged: list[tuple[Finding, Paired]] = []  # references whose article was not found renumbered
        self.moved_numbers: dict[tuple[str, int], int] = {}  # (unit, old) -> new, of articles moved and edited
        self._in_label: Callable[[Op], bool] = lambda op: False  # a change inside a paired label's number (judged there)

    # ------------------------------------------------------------ locating

    def span(self, side: Segmented, i: int, j: int) -> Span:
        return side.span(i, j)

    def add(self, code: Code, a1: int, a2: int, b1: int, b2: int, message: str, *,
            base_span: Span | None = None, witness_span: Span | None = None) -> None:
        self.out.append(self.make(code, a1, a2, b1, b2, message, base_span=base_span, witness_span=witness_span))

    def located(self, f: Finding) -> Located:
        assert f.stream is not None
        return Located(f, *f.stream)

    def make(self, code: Code, a1: int, a2: int, b1: int, b2: int, message: str, *,
             base_span: Span | None = None, witness_span: Span | None = None) -> Finding:
        a, b = self.a, self.b
        para = a.paragraphs[a.para_of[min(a1, len(a.para_of) - 1)]] if a.para_of else None
        base_span = base_span or self.span(a, a1, a2)
        witness_span = witness_span or self.span(b, b1, b2)
        if code in _OCR_DOUBTED and _doubtful(code, base_span, a.normalized.document, witness_span, b.normalized.document):
            code, message = Code.OCR_UNCERTAIN, f"{message} — OCR read it with low confidence: check the scan"
        return Finding(code=code, severity=severity_of(code, self.codes), base=base_span, witness=witness_span, message=message,
                       base_norm=a.stream[a1:a2], witness_norm=b.stream[b1:b2], context=para.heading if para else "",
                       before=a.stream[max(0, a1 - CONTEXT_CHARS):a1], after=a.stream[a2:a2 + CONTEXT_CHARS], stream=(a1, a2, b1, b2))

    def holding(self, head: Finding, parts: list[Finding], kind: Parts) -> Finding:
        """``head`` holding ``parts`` (where it came from kept)."""
        return replace(head, parts=tuple(parts), parts_kind=kind if parts else Parts.NONE)

    # ------------------------------------------------------------ zones

    def _zones(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(first anchor), (body start), (body end) in (base, witness) stream offsets.

        Before the first prose passage both copies share, and after the last,
        lies each copy's own wrapper: a forwarding notice's header, a vendor
        site's chrome, a news page's footer.
        """
        equal = [op for op in self.al.ops if op.tag == "equal" and op.a2 - op.a1 >= 4]
        prose = [op for op in equal if op.a2 - op.a1 >= 8 and _CLAUSE.search(self.a.stream[op.a1:op.a2])]
        if not prose:
            return (0, 0), (0, 0), (len(self.a.stream), len(self.b.stream))
        first = equal[0]
        return (first.a1, first.b1), (prose[0].a1, prose[0].b1), (prose[-1].a2, prose[-1].b2)

    # ------------------------------------------------------------ run

    def run(self) -> list[Finding]:
        (fa, fb), (la, lb), (ta, tb) = self._zones()
        self.first = (fa, fb)
        body_ops = [op for op in self.al.ops if not (op.a2 <= la and op.b2 <= lb) and not (op.a1 >= ta and op.b1 >= tb)]
        self.pairing.extend(body_ops)
        body_ops = self._numbering(body_ops)
        batches = [[op for op in body_ops if op.tag != "equal"]]  # changes, each batch judged in its own order
        # Before the body and after it: each copy's own wrapper, except
        # passages both have (a title, a 文号, a closing paragraph), which are
        # paired by similarity and compared like body text, rather than
        # trusting the chance matches of a character diff between wrappers.
        for leading, (a_lo, a_hi), (b_lo, b_hi) in ((True, (0, la), (0, lb)), (False, (ta, len(self.a.stream)), (tb, len(self.b.stream)))):
            if a_hi > a_lo and b_hi > b_lo and _same_zone(self.a.stream[a_lo:a_hi], self.b.stream[b_lo:b_hi]):
                # both copies have the same wrapper text (the same history lines, told apart only by how they were
                # cut into paragraphs): compared as text, never paragraph by paragraph
                ops = [Op(t, a_lo + i1, a_lo + i2, b_lo + j1, b_lo + j2) for t, i1, i2, j1, j2 in opcodes(self.a.stream[a_lo:a_hi], self.b.stream[b_lo:b_hi])]
                self.pairing.extend(ops)
                batches.append([op for op in ops if op.tag != "equal" and not self._in_label(op)])
                continue
            # a moved passage is reported as a move, not as wrapper text nor as dropped metadata
            a_pieces = [pc for pc in _by_paragraph(self.a, a_lo, a_hi) if not any(m.a1 <= pc[0] and pc[1] <= m.a2 for m in self.al.moves)]
            b_pieces = [pc for pc in _by_paragraph(self.b, b_lo, b_hi) if not any(m.b1 <= pc[0] and pc[1] <= m.b2 for m in self.al.moves)]
            pairs = _pair_pieces([self.a.stream[x:y] for x, y in a_pieces], [self.b.stream[x:y] for x, y in b_pieces])
            # A sentence of a shared paragraph that changed at the body's edge
            # leaves a fragment of that paragraph on both sides: they are the
            # same passage, however short, and are compared, never framed.
            edge = (len(a_pieces) - 1, len(b_pieces) - 1) if leading else (0, 0)
            if a_pieces and b_pieces and edge not in pairs and self._continues(a_pieces[edge[0]], b_pieces[edge[1]], leading):
                pairs = sorted([p for p in pairs if p[0] != edge[0] and p[1] != edge[1]] + [edge])
                pairs = [pairs[k] for k in longest_chain(pairs)]
            for i, j in pairs:
                (x1, x2), (y1, y2) = a_pieces[i], b_pieces[j]
                ops = [Op(t, x1 + i1, x1 + i2, y1 + j1, y1 + j2) for t, i1, i2, j1, j2 in opcodes(self.a.stream[x1:x2], self.b.stream[y1:y2])]
                self.pairing.extend(ops)
                batches.append([op for op in ops if op.tag != "equal" and not self._in_label(op)])
            paired_a = {i for i, _ in pairs}
            paired_b = {j for _, j in pairs}
            self._wrapper_base([pc for k, pc in enumerate(a_pieces) if k not in paired_a], leading=leading, b_at=b_hi if leading else b_lo)
            for k, (p1, p2) in enumerate(b_pieces):
                if k in paired_b:
                    continue
                if self._opens_article(p1, p2):
                    self._insertion(a_hi if leading else a_lo, p1, p2)  # an article added first or last is no wrapper
                else:
                    self._framing.append(("witness", p1, p2, a_hi if leading else a_lo))
        for batch in self._regional(batches):
            for op in self._merge_near(batch):
                self._body(op)
        self._framing_blocks()
        for mv in self.al.moves:
            self._move(mv)
        self._cosmetic()
        return self.out

    # ------------------------------------------------------------ as a reader counts them

    def as_read(self, findings: list[Finding]) -> list[Finding]:
        """Findings that are one change, held by one: units of omitted or added paragraphs, moved passages that were
        also edited, one change repeated."""
        located = sorted((self.located(f) for f in findings if f.severity == SUBSTANTIVE), key=lambda x: (x.a1, x.b1, x.a2, x.b2))
        taken: set[int] = set()
        made: list[Finding] = []
        for base_side in (True, False):
            for unit in units(located, base_side=base_side, level=self._level(base_side)):
                if len(unit) > 1:
                    taken.update(id(it.finding) for it in unit)
                    made.append(self._unit(unit, base_side))
        rest = [f for f in findings if id(f) not in taken] + made
        rest = self._edited_moves(rest)
        rest = self._references_to_moves(rest)
        top = sorted(rest, key=lambda f: (f.base.start, f.witness.start, f.base.end, f.witness.end, f.code))
        grouped = groups(top)
        if not grouped:
            return top
        members = {k for ks in grouped for k in ks}
        heads = {ks[0]: ks for ks in grouped}
        out = []
        for k, f in enumerate(top):
            if k in heads:
                places = [top[i] for i in heads[k]]
                head = replace(f, message=f"{f.message} — the same change in {len(places)} places")
                out.append(self.holding(head, places, Parts.PLACES))
            elif k not in members:
                out.append(f)
        return out

    def _level(self, base_side: bool) -> Callable[[int], int]:
        labelled = self.labels[0] if base_side else self.labels[1]
        rank = {"章": 3, "编": 3, "节": 2, "条": 1}

        def level(k: int) -> int:
            lb = labelled.at(k)
            return rank.get(lb.unit, 0) if lb is not None and lb.start == k and lb.role == Role.LABEL else 0
        return level

    def _unit(self, unit: list[Located], base_side: bool) -> Finding:
        """One finding for an omitted or added unit of several paragraphs (or sentences), listing them."""
        first, last = unit[0], unit[-1]
        whole = any(it.finding.code in (Code.PARAGRAPH_OMISSION, Code.PARAGRAPH_ADDITION) for it in unit)
        what = _count(len(unit), "paragraph") if whole else f"sentences of {_count(len(unit), 'paragraph')}"
        if base_side:
            code = Code.PARAGRAPH_OMISSION if whole else Code.SENTENCE_OMISSION
            text = self.a.stream[first.a1:last.a2]
            head = self.make(code, first.a1, last.a2, first.b1, first.b1, f"the witness omits {what} 「{clip(text, 30)}」")
        else:
            code = Code.PARAGRAPH_ADDITION if whole else Code.SENTENCE_ADDITION
            text = self.b.stream[first.b1:last.b2]
            head = self.make(code, first.a1, first.a1, first.b1, last.b2, f"the witness adds {what} 「{clip(text, 30)}」")
        return self.holding(head, [it.finding for it in unit], Parts.PARAGRAPHS)

    def _edited_moves(self, findings: list[Finding]) -> list[Finding]:
        """An omitted passage and an added one that are the same text (its labels' numbers aside, a few edits
        allowed) are one move, holding the edits made to it."""
        # a passage moved to the very start or end of one copy lies in its wrapper zone: framed there, yet a move
        framed_a = [self.located(f) for f in findings if f.code == Code.FRAMING and f.stream and f.stream[1] > f.stream[0]]
        framed_b = [self.located(f) for f in findings if f.code == Code.FRAMING and f.stream and f.stream[3] > f.stream[2]]
        omitted = [self.located(f) for f in findings if f.severity == SUBSTANTIVE and f.code in OMISSIONS] + framed_a
        added = [self.located(f) for f in findings if f.severity == SUBSTANTIVE and f.code in ADDITIONS] + framed_b
        if not omitted or not added:
            return findings
        pairs = pair_moves([(_LABEL_NUMBER.sub("#", self.a.stream[x.a1:x.a2]), x.a1, x.a2) for x in omitted],
                           [(_LABEL_NUMBER.sub("#", self.b.stream[y.b1:y.b2]), y.b1, y.b2) for y in added])
        taken: set[int] = set()
        out: list[Finding] = []
        for i, j in pairs:
            x, y = omitted[i], added[j]
            if self._same_place(x.a1, x.a2, y.b1, y.b2):
                continue  # at the same place: a rewrite there, not a move
            taken.update((id(x.finding), id(y.finding)))
            whole = x.finding.code in (Code.PARAGRAPH_OMISSION, Code.FRAMING) or y.finding.code in (Code.PARAGRAPH_ADDITION, Code.FRAMING)
            inner = self._inner_edits(x.a1, x.a2, y.b1, y.b2)
            text = self.a.stream[x.a1:x.a2]
            said = f", with {len(inner)} edit{'s' if len(inner) != 1 else ''} in it" if inner else ""
            head = self.make(Code.PARAGRAPH_MOVE if whole else Code.SENTENCE_MOVE, x.a1, x.a2, y.b1, y.b2,
                             f"moved in the witness{said}: 「{clip(text, 30)}」")
            out.append(self.holding(head, inner, Parts.EDITS))
        return [f for f in findings if id(f) not in taken] + out

    def _references_to_moves(self, findings: list[Finding]) -> list[Finding]:
        """A reference whose article moved and was edited (found only now) follows it, or was left behind."""
        if not self.unjudged or not self.moved_numbers:
            return findings
        judged: dict[int, Finding] = {}
        for f, p in self.unjudged:
            verdict = verdict_of(p, self.moved_numbers)
            if verdict == Verdict.RENUMBERED:
                judged[id(f)] = self._label_finding(p)
        return [judged.get(id(f), f) for f in findings]

    def _same_place(self, a1: int, a2: int, b1: int, b2: int) -> bool:
        """Do base ``[a1, a2)`` and witness ``[b1, b2)`` stand between the same text (what precedes them and what
        follows them is the same in both copies, or the copy's edge)?  Judged on the texts alone, so alike both ways
        round; 24 characters a side, so that formulaic endings (及时消除隐患。) do not make two places one."""
        k = 24
        a, b = self.a.stream, self.b.stream
        before = a[max(0, a1 - k):a1] == b[max(0, b1 - k):b1]
        after = a[a2:a2 + k] == b[b2:b2 + k]
        return before and after

    def _inner_edits(self, a1: int, a2: int, b1: int, b2: int) -> list[Finding]:
        """The changes between a passage and its moved copy, each classified like any change (a label renumbered
        with it is a renumbering)."""
        ops = [Op(t, a1 + i1, a1 + i2, b1 + j1, b1 + j2) for t, i1, i2, j1, j2 in opcodes(self.a.stream[a1:a2], self.b.stream[b1:b2])]
        ops = [op for op in cleanup_semantic(ops, self.a, self.b) if op.tag != "equal"]
        saved, self.out = self.out, []
        try:
            for op in self._merge_near(ops):
                la, lw = self.labels[0].at(op.a1), self.labels[1].at(op.b1)
                if la is not None and lw is not None and la.num_start <= op.a1 and op.a2 <= la.num_end and lw.num_start <= op.b1 and op.b2 <= lw.num_end:
                    self.out.append(self._label_finding(Paired(la, lw, moved=True)))
                    if la.role == lw.role == Role.LABEL and la.unit == lw.unit:
                        self.moved_numbers[(la.unit, la.value)] = lw.value
                else:
                    self._body(op)
            return sorted(self.out, key=lambda f: (f.base.start, f.witness.start))
        finally:
            self.out = saved

    # ------------------------------------------------------------ labels and references

    def _numbering(self, ops: list[Op]) -> list[Op]:
        """Labels and references paired by the alignment, judged: a run of renumbered labels (and the references
        that follow them) is one ``renumbering`` finding, a reference left behind is ``stale-reference``, any other
        number that changed a ``number-change``.  Returns the ops that remain (a label's digits count ends no ops)."""
        la, lw = self.labels
        if not la.labels or not lw.labels:
            return ops
        places = sorted([(op.a1, op.a2, op.b1, False) for op in self.al.ops if op.tag == "equal"]
                        + [(m.a1, m.a2, m.b1, True) for m in self.al.moves])
        starts = [p[0] for p in places]

        def witness_at(k: int) -> tuple[int, bool] | None:
            i = bisect.bisect_right(starts, k) - 1
            if i < 0 or not places[i][0] <= k < places[i][1]:
                return None
            a1, _, b1, moved = places[i]
            if not moved:
                return b1 + k - a1, moved
            # a moved passage is equal only with its numbers masked: count in masked characters (第二条 → 第十二条)
            mk, ma1, mb1 = la.masked_at(k), la.masked_from(a1), lw.masked_from(b1)
            return lw.real(mb1 + mk - ma1) + k - la.real(mk), moved

        pairs: list[Paired] = []
        for lb in la.labels:
            first, last = witness_at(lb.start), witness_at(lb.end - 1)
            if first is None or (last is None and not first[1]):
                continue
            last = last or first
            wl = lw.at(first[0])
            if wl is None or wl.start != first[0]:
                continue
            if wl.end == last[0] + 1 or (first[1] and wl.unit == lb.unit):  # in a moved passage the number may be longer
                pairs.append(Paired(lb, wl, first[1] or last[1]))
        inside = [(p.base.num_start, p.base.num_end, p.witness.num_start, p.witness.num_end) for p in pairs if p.base.value != p.witness.value
                  or p.base.num_end - p.base.num_start != p.witness.num_end - p.witness.num_start]
        lo = [x[0] for x in inside]

        def absorbed(op: Op) -> bool:
            i = bisect.bisect_right(lo, op.a1) - 1
            return i >= 0 and inside[i][0] <= op.a1 and op.a2 <= inside[i][1] and inside[i][2] <= op.b1 and op.b2 <= inside[i][3]

        self._in_label = absorbed
        kept = [op for op in ops if op.tag == "equal" or not absorbed(op)]
        mapping = renumbering_map(pairs)
        order = neighbours(lw.labels)
        # articles the witness dropped whose number it now gives another article of the base, renumbered (not an
        # article rewritten in its place: its number is still its own)
        renumbered_to = {(unit, new) for (unit, old), new in mapping.items() if new != old}
        dropped = frozenset((lb.unit, lb.value) for lb in la.labels if lb.role == Role.LABEL and lb.unit in ARTICLE_UNITS
                            and (lb.unit, lb.value) not in mapping and (lb.unit, lb.value) in renumbered_to)
        labels: list[Paired] = []
        following: list[Paired] = []
        for p in pairs:
            verdict = verdict_of(p, mapping, dropped)
            if verdict is None:
                continue
            self.renumbered["base"].append((p.base.num_start, p.base.num_end))
            self.renumbered["witness"].append((p.witness.num_start, p.witness.num_end))
            if verdict == Verdict.RENUMBERED and p.base.role == Role.LABEL and not p.moved and not in_order(p.witness, order):
                # the witness's numbering no longer runs in order here: not a renumbering, a number changed
                self.add(Code.NUMBER_CHANGE, p.base.num_start, p.base.num_end, p.witness.num_start, p.witness.num_end,
                         f"{self._label_text(p.base, 'base')}改为{self._label_text(p.witness, 'witness')}: the witness's numbering "
                         "is out of order here")
            elif verdict == Verdict.RENUMBERED and p.moved:
                self.moved_labels.append((self._label_finding(p), p.base.role))
            elif verdict == Verdict.RENUMBERED and p.base.role == Role.LABEL:
                labels.append(p)
            elif verdict == Verdict.RENUMBERED:
                following.append(p)
            elif verdict == Verdict.STALE:
                now = mapping.get((p.base.unit, p.base.value))
                fate = f"renumbered 第{now}{p.base.unit}" if now is not None else "dropped"
                self.add(Code.STALE_REFERENCE, p.base.start, p.base.end, p.witness.start, p.witness.end,
                         f"「{self._label_text(p.witness, 'witness')}」 still points at 第{p.base.value}{p.base.unit}, which the witness "
                         f"{fate}: it now points at another {p.base.unit}")
            else:
                old, new = self.a.stream[p.base.num_start:p.base.num_end], self.b.stream[p.witness.num_start:p.witness.num_end]
                self.add(Code.NUMBER_CHANGE, p.base.num_start, p.base.num_end, p.witness.num_start, p.witness.num_end,
                         f"{self._label_text(p.base, 'base')}改为{self._label_text(p.witness, 'witness')}: 「{old}」→「{new}」")
                if p.base.role == Role.REFERENCE and (p.base.unit, p.base.value) not in mapping:
                    self.unjudged.append((self.out[-1], p))  # its article may have moved and been edited: judged then
        for side in self.renumbered.values():
            side.sort()
        articles = [lb.start for lb in la.labels if lb.role == Role.LABEL and lb.unit in ARTICLE_UNITS]
        found = runs(labels, articles)
        run_of = {(p.base.unit, p.base.value): k for k, run in enumerate(found) for p in run}
        attached: list[list[Paired]] = [[] for _ in found]
        for p in following:
            k = run_of.get((p.base.unit, p.base.value))
            if k is None:
                found.append([p])
                attached.append([])
            else:
                attached[k].append(p)
        for run, refs in zip(found, attached, strict=False):
            self.out.append(self._run_finding(run, refs))
        return kept

    def _label_text(self, lb: Label, side: str) -> str:
        """A label as the original writes it (第六十九条), spacing out."""
        seg = self.a if side == "base" else self.b
        return "".join(seg.span(lb.start, lb.end).text.split())

    def _label_finding(self, p: Paired) -> Finding:
        old, new = self._label_text(p.base, "base"), self._label_text(p.witness, "witness")
        what = "renumbered" if p.base.role == Role.LABEL else "a reference following the renumbering"
        return self.make(Code.RENUMBERING, p.base.start, p.base.end, p.witness.start, p.witness.end, f"{old}改为{new} ({what})")

    def _run_finding(self, run: list[Paired], refs: list[Paired]) -> Finding:
        first, last = run[0], run[-1]
        b1, b2 = self._label_text(first.base, "base"), self._label_text(last.base, "base")
        w1, w2 = self._label_text(first.witness, "witness"), self._label_text(last.witness, "witness")
        if len(run) == 1:
            message = f"{b1}改为{w1}"
        else:
            message = f"{b1}至{b2}依次改为{w1}至{w2}"
        counted = _count(len(run), "label")
        if refs:
            counted += f", {_count(len(refs), 'cross-reference')} following"
        parts = tuple(self._label_finding(p) for p in sorted(run + refs, key=lambda p: p.base.start))
        head = self.make(Code.RENUMBERING, first.base.start, first.base.end, first.witness.start, first.witness.end, f"{message} ({counted})")
        return self.holding(head, list(parts), Parts.PLACES)

    def _renumbered_at(self, side: str, s1: int, s2: int) -> bool:
        """Does stream ``[s1, s2)`` of a side touch a label or reference number judged above?"""
        ranges = self.renumbered[side]
        i = bisect.bisect_right(ranges, (s2, s2)) - 1
        while i >= 0 and ranges[i][1] > s1 - 1:
            if (ranges[i][0] < s2 and s1 < ranges[i][1]) or (s1 == s2 and ranges[i][0] <= s1 <= ranges[i][1]):
                return True
            i -= 1
        return False

    # ------------------------------------------------------------ regional vocabulary

    def _regional(self, batches: list[list[Op]]) -> list[list[Op]]:
        """Changes a regional pair explains become ``regional-variant``; the rest stay as changes.

        Judged in two passes: first every cluster is re-aligned with OpenCC's pairs allowed, then a pair is
        accepted where its regional copy is one (traditional characters there or throughout, or several pairs).
        """
        if "regional" not in self.a.normalized.rules:
            return batches
        a, b = self.a.stream, self.b.stream
        judged: list[list[tuple[list[Op], Judged | None]]] = []
        for batch in batches:
            items = []
            for cluster in clusters(a, b, batch, self._same_para):
                items.append((cluster, judge(a, b, cluster, bounds=self._bounds(cluster))))
            judged.append(items)
        known: dict[str, bool] = {}

        def traditional(side: str) -> bool:
            """Asked only when some cluster holds a regional pair: counting a copy's Han characters is a pass over
            all of it (and its transient list was a 20 MB diff's peak, docs/perf-norm.md)."""
            if side not in known:
                known[side] = self.edits[side].traditional()
            return known[side]

        # in simplified characters, a copy is regional when it converts the way a converter does: most of the kinds
        # of word that have a regional form, each written in that form at least as often as in the mainland one; a
        # difference alone is no evidence (数据 for 资料 in three places is one kind, and a wording change)
        consistent = {pair: self._consistent(pair) for items in judged for _, verdict in items for pair in (verdict.pairs if verdict else ())}
        kinds: dict[str, set[tuple[str, str]]] = {"base": set(), "witness": set()}
        for pair, ok in consistent.items():
            if ok:
                kinds[pair.regional].add(self._words(pair))

        converted = {side: bool(kinds[side]) and not traditional(side) and self._converted(side, kinds[side]) for side in kinds}

        def accepted(pair: Pair) -> bool:
            return traditional(pair.regional) or self._traditional_at(pair) or converted[pair.regional]

        out = []
        for items in judged:
            ops: list[Op] = []
            for cluster, verdict in items:
                kept = [p for p in verdict.pairs if accepted(p)] if verdict else []
                if not verdict or not kept:
                    ops.extend(cluster)
                    continue
                for pair in kept:
                    self._regional_variant(pair)
                rest = list(verdict.ops) + [Op("replace", p.a1, p.a2, p.b1, p.b2) for p in verdict.pairs if p not in kept]
                ops.extend(_joined(sorted(rest, key=lambda op: (op.a1, op.b1, op.a2, op.b2))))
            out.append(ops)
        return out

    def _bounds(self, cluster: list[Op]) -> tuple[int, int, int, int]:
        """The paragraphs a cluster lies in, on both sides: context is never taken across a paragraph break."""
        first, last = cluster[0], cluster[-1]
        return (_paragraph_edge(self.a, first.a1, start=True), _paragraph_edge(self.a, last.a2 - 1, start=False),
                _paragraph_edge(self.b, first.b1, start=True), _paragraph_edge(self.b, last.b2 - 1, start=False))

    def _converted(self, side: str, kinds: set[tuple[str, str]]) -> bool:
        """Does a copy in simplified characters show the regional form of most kinds of word the other copy has
        that have one (OpenCC converts them all: measured 0.9–1.0 on the real laws), at least two?"""
        mainland = self.b.stream if side == "base" else self.a.stream
        return len(kinds) >= EVIDENCE and len(kinds) >= CONVERTED * len(regional_words(mainland))

    def _words(self, pair: Pair) -> tuple[str, str]:
        """(mainland word, regional word) of a pair."""
        old, new = self.a.stream[pair.a1:pair.a2], self.b.stream[pair.b1:pair.b2]
        return (old, new) if pair.regional == "witness" else (new, old)

    def _consistent(self, pair: Pair) -> bool:
        """Does the regional copy write the regional word of this pair at least as often as the mainland one, as a
        converter does (OpenCC leaves a word alone inside some phrases)?"""
        mainland, regional = self._words(pair)
        stream = self.b.stream if pair.regional == "witness" else self.a.stream
        return stream.count(mainland) <= stream.count(regional)

    def _traditional_at(self, pair: Pair) -> bool:
        """Is the regional form written in traditional characters in its copy (the script rule changed it)?"""
        if pair.regional == "base":
            return self.edits["base"].scripted(pair.a1, pair.a2)
        return self.edits["witness"].scripted(pair.b1, pair.b2)

    def _regional_variant(self, pair: Pair) -> None:
        old, new = self.a.stream[pair.a1:pair.a2], self.b.stream[pair.b1:pair.b2]
        regional, mainland = (new, old) if pair.regional == "witness" else (old, new)
        self.add(Code.REGIONAL_VARIANT, pair.a1, pair.a2, pair.b1, pair.b2,
                 f"「{old}」 / 「{new}」: the {pair.regional}'s 「{regional}」 is the Taiwan or Hong Kong word for 「{mainland}」")

    def _merge_near(self, ops: list[Op]) -> list[Op]:
        """Join edits a character or two apart in one sentence: 加强 → 强化 is one change."""
        out: list[Op] = []
        for op in ops:
            if out:
                last = out[-1]
                gap_a, gap_b = op.a1 - last.a2, op.b1 - last.b2
                same_sentence = not _CLAUSE.search(self.a.stream[last.a2:op.a1])
                small = max(last.a2 - last.a1, last.b2 - last.b1, op.a2 - op.a1, op.b2 - op.b1) <= MERGE_MAX
                if small and 0 <= gap_a <= MERGE_GAP and gap_a == gap_b and same_sentence and self._same_para(last, op):
                    out[-1] = Op("replace", last.a1, op.a2, last.b1, op.b2)
                    continue
            out.append(op)
        return out

    def _same_para(self, x: Op, y: Op) -> bool:
        """Would the joined change lie in one paragraph, in the base and in the witness?

        Judged on both sides alike, so that swapping base and witness joins the same edits: text one copy ends a
        paragraph with is never one change with text the other copy starts the next with.
        """
        return _one_paragraph(self.a, x.a1, y.a2) and _one_paragraph(self.b, x.b1, y.b2)

    # ------------------------------------------------------------ wrapper zones

    def _continues(self, a_piece: tuple[int, int], b_piece: tuple[int, int], leading: bool) -> bool:
        """Do both pieces continue a paragraph across the body's edge?"""
        pa = self.a.paragraphs[self.a.para_of[a_piece[0]]]
        pb = self.b.paragraphs[self.b.para_of[b_piece[0]]]
        if leading:
            return a_piece[1] < pa.end and b_piece[1] < pb.end
        return a_piece[0] > pa.start and b_piece[0] > pb.start

    def _opens_article(self, p1: int, p2: int) -> bool:
        """Is witness ``[p1, p2)`` a whole paragraph opening with an article's (chapter's, section's) label?"""
        lb = self.labels[1].at(p1)
        return (lb is not None and lb.start == p1 and lb.role == Role.LABEL and lb.unit in ARTICLE_UNITS
                and _whole_paragraph(self.b, p1, p2))

    def _wrapper_base(self, pieces: list[tuple[int, int]], *, leading: bool, b_at: int) -> None:
        """The base's part of a wrapper zone.

        Metadata the witness drops (文号 after the title, closing signature
        and date) is ``metadata-omission``.  The base's own prose there is
        omitted text, unless it comes before a shared title: a document
        starts at its title, so what precedes it (a forwarding notice) is
        wrapper.  Everything else (chrome, bylines, labels) is framing.
        """
        meta: list[tuple[int, int, str]] = []
        before_title = leading and self._first_is_title
        for p1, p2 in pieces:
            text = self.a.stream[p1:p2]
            after_title = not leading or p1 >= self.first[0]
            what = _metadata_kind(text, trailing=not leading) if after_title else None
            if what is not None:
                if meta and meta[-1][1] == p1 and {what, meta[-1][2]} == {"signature", "date"}:
                    meta[-1] = (meta[-1][0], p2, "signature and date")
                else:
                    meta.append((p1, p2, what))
            elif self._is_content(p1, p2, text) and not (before_title and p2 <= self.first[0]):
                self._deletion(p1, p2, b_at)
            else:
                self._framing.append(("base", p1, p2, b_at))
        for p1, p2, what in meta:
            self.add(Code.METADATA_OMISSION, p1, p2, b_at, b_at, f"the witness drops the base's {what} 「{self.a.stream[p1:p2]}」")

    def _is_content(self, p1: int, p2: int, text: str) -> bool:
        """Document text rather than wrapper: prose, a heading, or the rest of a body paragraph."""
        para = self.a.paragraphs[self.a.para_of[p1]]
        continues = p1 > para.start or p2 < para.end
        return continues or _is_prose(text) or (para.is_heading and not is_title(para.text))

    @property
    def _first_is_title(self) -> bool:
        fa = self.first[0]
        if fa >= len(self.a.stream):
            return False
        para = self.a.paragraphs[self.a.para_of[fa]]
        return is_title(para.text)

    def _framing_blocks(self) -> None:
        """One framing finding per contiguous wrapper block on each side."""
        blocks: list[list[int]] = []
        sides: list[str] = []
        for side, p1, p2, other in sorted(self._framing, key=lambda x: (x[0], x[1])):
            if blocks and sides[-1] == side and blocks[-1][1] == p1:
                blocks[-1][1] = p2
            else:
                blocks.append([p1, p2, other])
                sides.append(side)
        for side, (p1, p2, other) in zip(sides, blocks, strict=False):
            seg = self.a if side == "base" else self.b
            text = seg.stream[p1:p2]
            owner = "base" if side == "base" else "witness"
            msg = f"the {owner}'s own wrapper ({len(text)} characters): 「{clip(text, 30)}」"
            if side == "base":
                self.add(Code.FRAMING, p1, p2, other, other, msg)
            else:
                self.add(Code.FRAMING, other, other, p1, p2, msg)

    # ------------------------------------------------------------ body

    def _body(self, op: Op) -> None:
        old, new = self.a.stream[op.a1:op.a2], self.b.stream[op.b1:op.b2]
        if "".join(old.split()) == "".join(new.split()) and _same_numbers(self.a.stream, op.a1, op.a2, self.b.stream, op.b1, op.b2):
            # only spacing differs (IPv6 / IPv 6), and no number is split or joined (60 80 / 6080 is a number):
            self.add(Code.WHITESPACE, op.a1, op.a2, op.b1, op.b2, f"whitespace: 「{old}」 / 「{new}」")
            return
        if op.tag == "delete":
            for p1, p2 in _by_paragraph(self.a, op.a1, op.a2):
                self._deletion(p1, p2, op.b1)
        elif op.tag == "insert":
            for p1, p2 in _by_paragraph(self.b, op.b1, op.b2):
                self._insertion(op.a1, p1, p2)
        elif not _one_paragraph(self.a, op.a1, op.a2) or not _one_paragraph(self.b, op.b1, op.b2):
            for piece in self._by_paragraphs(op):
                self._body(piece)
        elif len(_sentence_pieces(self.sa, op.a1, op.a2)) > 1 or len(_sentence_pieces(self.sb, op.b1, op.b2)) > 1:
            for piece in self._by_sentences(op):
                self._body(piece)
        elif _whole_paragraph(self.a, op.a1, op.a2) and _whole_paragraph(self.b, op.b1, op.b2) and Indel.normalized_similarity(old, new) < UNRELATED:
            self._deletion(op.a1, op.a2, op.b1)  # a paragraph in place of another it has little in common with
            self._insertion(op.a2, op.b1, op.b2)
        else:
            a1, a2, b1, b2 = self._widen(op)
            old, new = self.a.stream[a1:a2], self.b.stream[b1:b2]
            number = is_number_change(self.a.stream, a1, a2, self.b.stream, b1, b2)
            self.add(Code.NUMBER_CHANGE if number else Code.WORDING_SUBSTITUTION, a1, a2, b1, b2, f"「{old}」→「{new}」")

    def _by_paragraphs(self, op: Op) -> list[Op]:
        """A change that crosses a paragraph break cut into changes that do not: the pieces of the two copies paired
        in order when they have as many; otherwise the partial paragraphs at either end paired, and the whole
        paragraphs between them omitted and added (each its own, for units to join)."""
        return _cut(op, _by_paragraph(self.a, op.a1, op.a2), _by_paragraph(self.b, op.b1, op.b2),
                    lambda lo, hi: _whole_paragraph(self.a, lo, hi), lambda lo, hi: _whole_paragraph(self.b, lo, hi), joined=False)

    def _by_sentences(self, op: Op) -> list[Op]:
        """A substitution that takes in a sentence end cut the same way at the sentences of each copy (the whole
        sentences between the ends dropped or added as one)."""
        return _cut(op, _sentence_pieces(self.sa, op.a1, op.a2), _sentence_pieces(self.sb, op.b1, op.b2),
                    lambda lo, hi: _whole_sentences(self.sa, lo, hi), lambda lo, hi: _whole_sentences(self.sb, lo, hi), joined=True)

    def _deletion(self, a1: int, a2: int, b_at: int) -> None:
        text = self.a.stream[a1:a2]
        para = self.a.paragraphs[self.a.para_of[a1]]
        if para.start == a1 and para.end == a2:
            if _metadata_kind(text, trailing=True) is not None:
                self.add(Code.METADATA_OMISSION, a1, a2, b_at, b_at, f"the witness drops 「{text}」")
            else:
                self.add(Code.PARAGRAPH_OMISSION, a1, a2, b_at, b_at, f"the witness omits the paragraph 「{clip(text, 30)}」")
        elif _whole_sentences(self.sa, a1, a2):
            self.add(Code.SENTENCE_OMISSION, a1, a2, b_at, b_at, f"the witness omits 「{clip(text, 40)}」")
        elif is_number_change(self.a.stream, a1, a2, self.b.stream, b_at, b_at):
            self.add(Code.NUMBER_CHANGE, a1, a2, b_at, b_at, f"「{text}」 deleted from a number")  # 三十日 → 十日
        else:
            self.add(Code.WORDING_DELETION, a1, a2, b_at, b_at, f"「{text}」 deleted")

    def _insertion(self, a_at: int, b1: int, b2: int) -> None:
        text = self.b.stream[b1:b2]
        para = self.b.paragraphs[self.b.para_of[b1]]
        if para.start == b1 and para.end == b2:
            self.add(Code.PARAGRAPH_ADDITION, a_at, a_at, b1, b2, f"the witness adds the paragraph 「{clip(text, 30)}」")
        elif _whole_sentences(self.sb, b1, b2):
            self.add(Code.SENTENCE_ADDITION, a_at, a_at, b1, b2, f"the witness adds 「{clip(text, 40)}」")
        elif is_number_change(self.a.stream, a_at, a_at, self.b.stream, b1, b2):
            self.add(Code.NUMBER_CHANGE, a_at, a_at, b1, b2, f"「{text}」 inserted into a number")  # 数万元 → 数十万元
        else:
            self.add(Code.WORDING_INSERTION, a_at, a_at, b1, b2, f"「{text}」 inserted")

    def _widen(self, op: Op) -> tuple[int, int, int, int]:
        return widen_to_words(self.a.stream, self.b.stream, op)

    # ------------------------------------------------------------ moves

    def _move(self, mv: Move) -> None:
        pa = self.a.paragraphs[self.a.para_of[mv.a1]]
        pb = self.b.paragraphs[self.b.para_of[mv.b1]]
        # a whole paragraph in either copy (judged alike both ways round, so swapping them keeps the code)
        whole = (pa.start, pa.end) == (mv.a1, mv.a2) or (pb.start, pb.end) == (mv.b1, mv.b2)
        code = Code.PARAGRAPH_MOVE if whole else Code.SENTENCE_MOVE
        text = self.a.stream[mv.a1:mv.a2]
        held = [(f, role) for f, role in self.moved_labels if f.stream and mv.a1 <= f.stream[0] < mv.a2]
        inner = [f for f, _ in held]
        if len(inner) == 1:
            said = f", {inner[0].message}"
        elif inner:
            labels = sum(1 for _, role in held if role == Role.LABEL)
            said = f", renumbered ({_count(labels, 'label')}, {_count(len(held) - labels, 'reference')})"
        else:
            said = ""
        head = self.make(code, mv.a1, mv.a2, mv.b1, mv.b2, f"moved in the witness{said}: 「{clip(text, 30)}」")
        self.out.append(self.holding(head, inner, Parts.EDITS))

    # ------------------------------------------------------------ cosmetic

    def _cosmetic(self) -> None:
        """Differences normalization erased inside aligned text, each under the code of the rule that erased it.

        An edit one copy has and the other has not at the same place (or has with other text) is a difference;
        the same edit in both copies (both write 國務院) is none.  Counted, and listed on request.  The edits are
        read as the columns of the edit logs (a traditional copy has thousands): an :class:`Edit` is made only for
        a finding that is built.
        """
        equal = [op for op in self.al.ops if op.tag == "equal"]
        readers = _Reader(self.a), _Reader(self.b)
        deferred = [severity_of(code, self.codes) == COSMETIC for code in CODES]  # by code index
        junk = CODES.index(Code.JUNK_SYMBOLS)
        seen: set[tuple[str, int, int, int, int]] = set()
        bisect_right = bisect.bisect_right
        report = self._report
        count = len(equal)
        for on_base in (True, False):
            side, other = readers if on_base else readers[::-1]
            name = "base" if on_base else "witness"
            mine, theirs = (self.edits["base"], self.edits["witness"]) if on_base else (self.edits["witness"], self.edits["base"])
            starts = [op.a1 for op in equal] if on_base else [op.b1 for op in equal]
            ends = [op.a2 for op in equal] if on_base else [op.b2 for op in equal]
            deltas = [op.b1 - op.a1 for op in equal] if on_base else [op.a1 - op.b1 for op in equal]
            renumbered = bool(self.renumbered[name])
            text, their_starts = side.text, theirs.starting()
            for s1, s2, row, c, e1, e2, written, normalized in zip(mine.s1, mine.s2, mine.rows, mine.codes, mine.starts, mine.ends,
                                                                  mine.written, mine.normalized, strict=True):
                if renumbered and self._renumbered_at(name, s1, s2):
                    continue  # a renumbered label's numeral: the renumbering finding tells it
                # a character-for-character edit (a run of traditional characters, full-width digits) is judged
                # character by character, across the equal runs it spans: only what reads differently is reported
                one_to_one = not c & 1 and s2 - s1 > 1 and e2 - e1 == written == normalized == s2 - s1
                ci = c >> 1
                pos = s1
                while True:
                    k = bisect_right(starts, pos) - 1
                    if k < 0:
                        break
                    hi = ends[k]
                    end = min(s2, hi) if one_to_one else s2
                    if pos > hi or end > hi:
                        break
                    delta = deltas[k]
                    if one_to_one:
                        for r1, r2 in side.differing(other, pos, end, delta):
                            report(ci, e1, e2, row, r1, r2, delta, on_base, seen, deferred, (r1 - s1, r2 - s1))
                    elif ci == junk and theirs.at(CODES[ci], pos + delta, end + delta):
                        # both copies have symbols here: injected junk falls at random, so symbols at the same place
                        # are the text's own (≥ / ≤, → / ←); if they differ, the text differs
                        if on_base:
                            self._symbols(mine.log[row], theirs.at(CODES[ci], pos + delta, end + delta), pos, end, delta)
                    elif not (their_starts[pos + delta] and theirs.has(mine.log, row, pos + delta, end + delta)):
                        x, y = side.region_text(pos, end), other.region_text(pos + delta, end + delta)
                        if x != y and not _same_reading(x, y, ignore_space=bool(text[e1:e2].strip())):
                            report(ci, e1, e2, row, pos, end, delta, on_base, seen, deferred)  # an edit the other copy lacks, or makes otherwise
                    if not one_to_one or end >= s2 or k + 1 >= count or starts[k + 1] >= s2:
                        break
                    pos = starts[k + 1]

    def _symbols(self, ed: Edit, theirs: list[Edit], s1: int, s2: int, delta: int) -> None:
        """Symbols at the same place of both copies, taken out as junk by both: a substitution if they differ."""
        other = theirs[0]
        if other.original == ed.original:
            return
        doc_a, doc_b = self.a.normalized.document, self.b.normalized.document
        base_span = span_at(doc_a, ed.start, ed.end, ed.original)
        witness_span = span_at(doc_b, other.start, other.end, other.original)
        self.add(Code.WORDING_SUBSTITUTION, s1, s2, s1 + delta, s2 + delta,
                 f"symbols differ: 「{visible(ed.original)}」→「{visible(other.original)}」", base_span=base_span, witness_span=witness_span)

    def _report(self, ci: int, e1: int, e2: int, row: int, s1: int, s2: int, delta: int, on_base: bool,
                seen: set[tuple[str, int, int, int, int]], deferred: list[bool], piece: tuple[int, int] | None = None) -> None:
        """One cosmetic finding for edit ``row`` of its copy's log (code index ``ci``, original ``[e1, e2)``), or
        characters ``piece`` of it, at stream ``[s1, s2)`` of its copy (``delta`` to the other copy), once; built
        now only if its code is not cosmetic under the settings."""
        code = CODES[ci]
        o1, o2 = s1 + delta, s2 + delta
        other_span = (self.b if on_base else self.a).original_span(o1, o2)
        if piece:
            e1, e2 = e1 + piece[0], e1 + piece[1]
        if on_base:
            key = (code, e1, e2, *other_span)
            a1, a2, b1, b2 = s1, s2, o1, o2
        else:
            key = (code, *other_span, e1, e2)
            a1, a2, b1, b2 = o1, o2, s1, s2
        if key in seen:
            return
        seen.add(key)
        record = (code, a1, a2, b1, b2, row, on_base, piece)
        if deferred[ci]:
            self.deferred.append(record)  # built if a report lists it
        else:
            self.out.append(_cosmetic_finding(self.a, self.b, self.codes, *record))


# a cosmetic finding to build: (code, a1, a2, b1, b2, the edit's row in its copy's edit log, on the base,
# the characters [i, j) of the edit or None)
Cosmetic = tuple[Code, int, int, int, int, int, bool, tuple[int, int] | None]


def _cosmetic_finding(a: Segmented, b: Segmented, codes: frozenset[str], code: Code, a1: int, a2: int, b1: int, b2: int,
                      row: int, on_base: bool, piece: tuple[int, int] | None) -> Finding:
    """A normalization edit as a finding: on the copy that has it, the finding spans exactly the characters the
    rule changed (a deleted reading or control character included); on the other, the place that corresponds.
    (No OCR doubt: a reading's difference is never drift.)"""
    ed = (a if on_base else b).normalized.edit_log()[row]
    if piece is not None:
        ed = _piece(ed, *piece)
    where = "base" if on_base else "witness"
    shown = visible(ed.original) or "∅"
    exact = span_at((a if on_base else b).normalized.document, ed.start, ed.end, ed.original)
    base_span = exact if on_base else a.span(a1, a2)
    witness_span = b.span(b1, b2) if on_base else exact
    para = a.paragraphs[a.para_of[min(a1, len(a.para_of) - 1)]] if a.para_of else None
    return Finding(code=code, severity=severity_of(code, codes), base=base_span, witness=witness_span,
                   message=f"{code} in the {where}: 「{shown}」 reads 「{visible(ed.written) or '∅'}」",
                   base_norm=a.stream[a1:a2], witness_norm=b.stream[b1:b2], context=para.heading if para else "",
                   before=a.stream[max(0, a1 - CONTEXT_CHARS):a1], after=a.stream[a2:a2 + CONTEXT_CHARS], stream=(a1, a2, b1, b2))


class _SideEdits:
    """One copy's normalization edits, located on its comparison stream.

    Kept as columns (stream range, row of the copy's :class:`~jiaokan.normalize.EditLog`, code byte, original
    range, lengths written and normalized), computed column by column: a traditional copy has an edit for every
    fourth character, and an edit is made only when it is read."""

    __slots__ = ("_script", "_starting", "_stream", "codes", "ends", "log", "normalized", "rows", "s1", "s2", "starts", "written")

    def __init__(self, seg: Segmented) -> None:
        positions = seg.positions
        log = self.log = seg.normalized.edit_log()
        n1s, n2s = log.norm_starts, log.norm_ends
        m, tc = len(log), positions.typecode
        s1, s2 = locate(positions, n1s), locate(positions, n2s)
        # an edit of characters the stream has (only paragraph breaks changed: not in the stream), or a deletion
        # beside a stream character (not in a paragraph set aside by framing patterns, nor between paragraphs)
        keep = bytearray(map(operator.lt, s1, s2))
        for k in itertools.compress(range(m), map(operator.eq, n1s, n2s)):
            keep[k] = _touches_stream(positions, s1[k], n1s[k])
        codes, starts, ends, written = log.row_columns()
        self.s1, self.s2 = array(tc, itertools.compress(s1, keep)), array(tc, itertools.compress(s2, keep))  # ascending s1
        self.rows = array("q", itertools.compress(range(m), keep))
        self.codes = bytes(itertools.compress(codes, keep))
        self.starts, self.ends = array(tc, itertools.compress(starts, keep)), array(tc, itertools.compress(ends, keep))
        self.written = array(tc, itertools.compress(written, keep))
        self.normalized = array(tc, map(operator.sub, itertools.compress(n2s, keep), itertools.compress(n1s, keep)))
        self._stream = seg.stream
        self._script: bytearray | None = None
        self._starting: bytearray | None = None

    def starting(self) -> bytearray:
        """A byte per stream place (and one past the end): 1 where an edit starts."""
        if self._starting is None:
            flags = self._starting = bytearray(len(self._stream) + 1)
            for s in self.s1:
                flags[s] = 1
        return self._starting

    def at(self, code: str, s1: int, s2: int) -> list[Edit]:
        """This copy's edits of ``code`` at stream ``[s1, s2)``."""
        log, out = self.log, []
        for q in range(bisect.bisect_left(self.s1, s1), bisect.bisect_right(self.s1, s1)):
            if self.s2[q] == s2 and log.code(self.rows[q]) == code:
                out.append(log[self.rows[q]])
        return out

    def has(self, log: EditLog, row: int, s1: int, s2: int) -> bool:
        """Is edit ``row`` of ``log`` (the other copy's) here too, at stream ``[s1, s2)`` of this copy: same rule,
        same text read and written?"""
        mine, code = self.log, log.code(row)
        found = [self.rows[q] for q in range(bisect.bisect_left(self.s1, s1), bisect.bisect_right(self.s1, s1))
                 if self.s2[q] == s2 and mine.code(self.rows[q]) == code]
        if not found:
            return False
        read, written = log.read(row), log.written(row)
        return any(mine.read(k) == read and mine.written(k) == written for k in found)

    def scripted(self, s1: int, s2: int) -> bool:
        """Did the script rule change any character of stream ``[s1, s2)``?"""
        return any(self._scripted()[s1:s2])

    def traditional(self) -> bool:
        """Is this copy written in traditional characters (the script rule changed a tenth of its Han characters)?"""
        changed = self._scripted().count(1)
        if not changed:
            return False  # the Han characters are counted only for a copy the script rule changed
        han = len(self._stream) - len(_HAN.sub("", self._stream))  # no list of one-character strings (RSS at 20 MB)
        return han > 0 and changed >= 0.1 * han

    def _scripted(self) -> bytearray:
        """A byte per stream character: 1 where the script rule changed it (made when first asked)."""
        if self._script is None:
            script = self._script = bytearray(len(self._stream) + 1)
            flag = bytes(1 if c >> 1 == SCRIPT else 0 for c in range(256))
            for s1, s2 in zip(itertools.compress(self.s1, self.codes.translate(flag)), itertools.compress(self.s2, self.codes.translate(flag)), strict=True):
                script[s1:s2] = b"\x01" * (s2 - s1)
        return self._script


SCRIPT = CODES.index(Code.SCRIPT)


UNRELATED = 0.5  # whole paragraphs less alike than this (Indel) are one dropped and one added, not a rewrite


def _cut(op: Op, pa: list[tuple[int, int]], pb: list[tuple[int, int]], whole_a: Callable[[int, int], bool],
         whole_b: Callable[[int, int], bool], *, joined: bool) -> list[Op]:
    """A change cut at the pieces of each side: paired in order when both have as many; else the partial pieces at
    either end paired, the whole ones between dropped and added (``joined``: as one run each)."""
    if len(pa) == len(pb):
        return [_op(x1, x2, y1, y2) for (x1, x2), (y1, y2) in zip(pa, pb, strict=False)]
    head: list[Op] = []
    tail: list[Op] = []
    if pa and pb and not whole_a(*pa[0]) and not whole_b(*pb[0]):
        (x1, x2), (y1, y2) = pa.pop(0), pb.pop(0)
        head.append(_op(x1, x2, y1, y2))
    if pa and pb and not whole_a(*pa[-1]) and not whole_b(*pb[-1]):
        (x1, x2), (y1, y2) = pa.pop(), pb.pop()
        tail.append(_op(x1, x2, y1, y2))
    a_at = pa[0][0] if pa else (head[0].a2 if head else op.a1)
    b_at = pb[0][0] if pb else (head[0].b2 if head else op.b1)
    a_end = pa[-1][1] if pa else a_at
    if joined:
        middle = ([_op(pa[0][0], a_end, b_at, b_at)] if pa else []) + ([_op(a_end, a_end, pb[0][0], pb[-1][1])] if pb else [])
    else:
        middle = [_op(x1, x2, b_at, b_at) for x1, x2 in pa] + [_op(a_end, a_end, y1, y2) for y1, y2 in pb]
    return head + middle + tail


def _sentence_pieces(bounds: tuple[list[int], list[int]], i: int, j: int) -> list[tuple[int, int]]:
    """Stream range ``[i, j)`` split where a sentence starts inside it."""
    starts = bounds[0]
    cuts = starts[bisect.bisect_right(starts, i):bisect.bisect_left(starts, j)]
    edges = [i, *cuts, j]
    return [(x, y) for x, y in itertools.pairwise(edges) if y > x]


def _op(a1: int, a2: int, b1: int, b2: int) -> Op:
    return Op("replace" if a1 < a2 and b1 < b2 else ("delete" if a1 < a2 else ("insert" if b1 < b2 else "equal")), a1, a2, b1, b2)


def _whole_paragraph(seg: Segmented, lo: int, hi: int) -> bool:
    """Is stream ``[lo, hi)`` exactly one paragraph?"""
    if hi <= lo or not seg.para_of:
        return False
    para = seg.paragraphs[seg.para_of[lo]]
    return para.start == lo and para.end == hi


def _same_numbers(a: str, a1: int, a2: int, b: str, b1: int, b2: int) -> bool:
    """Are the digit groups around a change the same in both streams (a space between two digits splits a number)?"""
    k = 12
    return _DIGIT_RUNS.findall(a[max(0, a1 - k):a2 + k]) == _DIGIT_RUNS.findall(b[max(0, b1 - k):b2 + k])


def _paragraph_edge(seg: Segmented, k: int, *, start: bool) -> int:
    """Where the paragraph holding stream character ``k`` starts (or ends)."""
    if not seg.para_of:
        return 0
    para = seg.paragraphs[seg.para_of[min(max(k, 0), len(seg.para_of) - 1)]]
    return para.start if start else para.end


class _Reader:
    """One copy's stream read back in its original (what ``_cosmetic`` compares, thousands of times a diff: the maps
    held here once)."""

    __slots__ = ("ends", "html", "n", "positions", "starts", "text")

    def __init__(self, seg: Segmented) -> None:
        self.positions = seg.positions
        self.starts, self.ends = seg.normalized.mapped.starts, seg.normalized.mapped.ends
        self.text = seg.normalized.document.text
        self.html = seg.normalized.document.format == "html"
        self.n = len(seg.positions)

    def char_text(self, t: int) -> str:
        """What stream character ``t`` reads in the original (``region_text`` of one character, without the deleted
        text before it): an HTML entity read as the character it writes."""
        p = self.positions[t]
        text = self.text[self.starts[p]:self.ends[p]]
        return plain_text(text) if self.html and ("<" in text or "&" in text) else text

    def differing(self, other: _Reader, s1: int, s2: int, delta: int) -> list[tuple[int, int]]:
        """Runs of stream ``[s1, s2)`` whose original characters differ from the other copy's at ``+ delta``."""
        runs: list[tuple[int, int]] = []
        if self.html or other.html:
            same: Callable[[int], bool] = lambda t: self.char_text(t) == other.char_text(t + delta)  # noqa: E731
        else:
            pa, sa, ea, ta = self.positions, self.starts, self.ends, self.text
            pb, sb, eb, tb = other.positions, other.starts, other.ends, other.text

            def same(t: int) -> bool:
                p, q = pa[t], pb[t + delta]
                return ta[sa[p]:ea[p]] == tb[sb[q]:eb[q]]
        for t in range(s1, s2):
            if not same(t):
                if runs and runs[-1][1] == t:
                    runs[-1] = (runs[-1][0], t + 1)
                else:
                    runs.append((t, t + 1))
        return runs

    def region_text(self, i: int, j: int) -> str:
        """What the original reads from just after stream character i-1 to just before j (deletions included).

        For HTML that is the text with tags out and entities decoded: ``&ldquo;`` reads “.
        """
        pos, n = self.positions, self.n
        start = self.ends[pos[i - 1]] if i > 0 else (self.starts[pos[i]] if i < n else 0)
        end = self.starts[pos[j]] if j < n else (self.ends[pos[j - 1]] if j > 0 else start)
        text = self.text[start:max(start, end)]
        if self.html and ("<" in text or "&" in text):
            text = plain_text(text)
        return text


def _piece(ed: Edit, i: int, j: int) -> Edit:
    """Characters ``[i, j)`` of a character-for-character edit."""
    read = ed.read[i:j] if len(ed.read) == len(ed.original) else ed.read
    return replace(ed, start=ed.start + i, end=ed.start + j, original=ed.original[i:j], normalized=ed.normalized[i:j],
                   norm_start=ed.norm_start + i, norm_end=ed.norm_start + j, read=read, written=ed.written[i:j])


def _touches_stream(positions: Sequence[int], s: int, point: int) -> bool:
    """Is normalized ``point`` at a stream character (before it, or just after the one before)?"""
    return (s < len(positions) and positions[s] == point) or (s > 0 and positions[s - 1] + 1 == point)


def _joined(ops: list[Op]) -> list[Op]:
    """Ops that touch (no equal text between them on either side) joined into one replacement."""
    out: list[Op] = []
    for op in ops:
        if out and out[-1].a2 == op.a1 and out[-1].b2 == op.b1:
            last = out[-1]
            out[-1] = Op("replace", last.a1, op.a2, last.b1, op.b2)
        else:
            out.append(op)
    return out


def widen_to_words(a: str, b: str, op: Op) -> tuple[int, int, int, int]:
    """Extend a substitution in streams ``a``/``b`` to whole words (jieba, HMM off): 级→次 becomes 层级→层次."""
    left = right = 0
    tok = word_tokenizer()
    for text, s, e in ((a, op.a1, op.a2), (b, op.b1, op.b2)):
        w0 = max(0, s - 8)
        window = text[w0:min(len(text), e + 8)]
        pos = w0
        for t in tok.cut(window, False):
            t_end = pos + len(t)
            if pos < s < t_end:
                left = max(left, s - pos)
            if pos < e < t_end:
                right = max(right, t_end - e)
            pos = t_end
    # the context added must be equal on both sides and stay inside the paragraph
    while left and (op.a1 - left < 0 or op.b1 - left < 0 or a[op.a1 - left:op.a1] != b[op.b1 - left:op.b1]):
        left -= 1
    while right and (op.a2 + right > len(a) or op.b2 + right > len(b) or a[op.a2:op.a2 + right] != b[op.b2:op.b2 + right]):
        right -= 1
    return op.a1 - left, op.a2 + right, op.b1 - left, op.b2 + right


def _same_reading(x: str, y: str, *, ignore_space: bool = False) -> bool:
    """Equal texts, line endings aside (a CRLF file and an LF file read the same).

    For an edit of visible characters, spacing around it is another edit's business.
    """
    if x == y:
        return True
    if ignore_space:
        return "".join(x.split()) == "".join(y.split())
    return x.replace("\r\n", "\n").replace("\r", "\n") == y.replace("\r\n", "\n").replace("\r", "\n")


PAIR_RATIO = 75.0
SAME_ZONE = 0.95  # wrappers this alike are one text in both copies


def _same_zone(a: str, b: str) -> bool:
    """Are two wrapper zones the same text, up to small changes (Indel similarity)?"""
    return Indel.normalized_similarity(a, b) >= SAME_ZONE


def _pair_pieces(a_texts: list[str], b_texts: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of similar paragraphs, in the same order on both sides."""
    if not a_texts or not b_texts:
        return []
    candidates = []
    for i, text in enumerate(a_texts):
        hit = process.extractOne(text, b_texts, scorer=fuzz.ratio, score_cutoff=PAIR_RATIO)
        if hit is not None:
            candidates.append((i, hit[2]))
    candidates.sort()
    return [candidates[k] for k in longest_chain(candidates)]


def _by_paragraph(seg: Segmented, i: int, j: int) -> list[tuple[int, int]]:
    """Split stream range [i, j) at paragraph boundaries."""
    out = []
    pos = i
    while pos < j:
        para = seg.paragraphs[seg.para_of[pos]]
        end = min(j, para.end)
        out.append((pos, end))
        pos = end
    return out


def _whole_sentences(bounds: tuple[list[int], list[int]], i: int, j: int) -> bool:
    """Is stream ``[i, j)`` whole sentences (``bounds``: where the sentences start and end)?"""
    starts, ends = bounds
    k, m = bisect.bisect_left(starts, i), bisect.bisect_left(ends, j)
    return k < len(starts) and starts[k] == i and m < len(ends) and ends[m] == j


def _is_prose(text: str) -> bool:
    """Running text (a sentence with clause punctuation), not a label, title or date."""
    return _CLAUSE.search(text) is not None and (len(text) >= 20 or text[-1] in "。！？")


def _metadata_kind(text: str, *, trailing: bool) -> str | None:
    """Which metadata line this is, if any: a 文号 anywhere; the addressee (主送机关) before the body; a
    signature, date or publication note after it."""
    kinds = (("文号", _DOC_NUMBER),) + (
        (("signature", _ISSUER), ("date", _DATE_LINE), ("publication note", _NOTE)) if trailing else (("addressee", _ADDRESSEE),))
    return next((kind for kind, pattern in kinds if pattern.match(text)), None)


def _count(n: int, noun: str) -> str:
    """``1 label``, ``3 labels``: a count in a message, its noun agreeing."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def clip(text: str, n: int = 30) -> str:
    """Text shortened to ``n`` characters with an ellipsis, for messages and reports."""
    return text if len(text) <= n else text[: n - 1] + "…"
