"""Provenance: where each clause of a derived text (a summary, a study article) comes from in a source.

``trace_documents(source, derived)`` chains: normalize → segment both →
for every clause of every derived sentence, find it in the source:

1. **verbatim**: the clause (minus its connective edge words, 《意见》提出 …)
   occurs in the source stream exactly; the occurrence nearest after the
   previous clause's is taken, so a quotation read in order stays in order;
2. **drifted**: a near-exact match of a source sentence (rapidfuzz
   ``partial_ratio_alignment`` ≥ 85), its differences listed as diff findings;
3. **paraphrase**: most of the clause's character bigrams lie in one source
   sentence (≥ 0.6 of them) though not in that order — the same content
   restructured;
4. **unsourced**: the derived text's own words.

Clauses of one sentence quoting one source passage in order merge into one
passage; source clauses skipped inside it are *dropped*: a deletion finding
of the passage, and listed in the coverage.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Literal, get_args

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from jiaokan.align import Op, opcodes
from jiaokan.config import Settings
from jiaokan.diff import widen_to_words
from jiaokan.findings import SUBSTANTIVE, Code, Finding, Span
from jiaokan.ingest import Document
from jiaokan.numbers import is_number_change
from jiaokan.patterns import compiled
from jiaokan.prepare import Prepared, prepare, prepare_file
from jiaokan.segment import Segmented, Sentence

Relation = Literal["verbatim", "drifted", "paraphrase", "unsourced"]
RELATIONS: tuple[Relation, ...] = get_args(Relation)
Use = Literal["quoted", "paraphrased", "unused"]  # what the derived text does with a source paragraph
DRIFT_SCORE = 85.0
LOOSE_SCORE = 70.0  # below DRIFT_SCORE, drifted only when few characters differ
PARAPHRASE_COVERAGE = 0.7
MIN_CLAUSE = 8  # shorter clauses (到2025年) are only found next to a found neighbour
MIN_WORDS = 6  # CJK characters, numerals aside, a clause needs to be matched loosely (a date is not a quote)
MERGE_GAP = 2  # equal characters between two edits that still make them one change
MAX_JOIN_GAP = 80  # source characters a derived sentence may skip and still be one quotation
_CLAUSE_END = compiled(r"[，；：,;:]")
_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—·,.;:?!\"'()[]<> "
_NUMBER = compiled(r"[0-9〇○零一二三四五六七八九十百千万亿两]+")
_WORDS = compiled(r"[\u4e00-\u9fff]")
# a reporter's connective before a quoted clause: 要…, 就…, 通过…, 也要…
_CONNECTIVE = compiled(r"^(?:也要|还要|同时|此外|并且|通过|要求|提出|强调|明确|要|就|并|在)")
# what a source clause may lose at its edges and still be quoted exactly: heading markers, punctuation
_MARKER = compiled(r"^(?:[一二三四五六七八九十百]+|\d{1,3})$")
MIN_PARAPHRASE = 10  # characters: shorter clauses are too generic to call a paraphrase


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the derived text and where it comes from."""

    derived: Span
    source: Span | None
    relation: Relation
    score: float
    findings: tuple[Finding, ...] = ()
    heading: str = ""  # of the source paragraph

@dataclass(frozen=True, slots=True)
class Coverage:
    source_paragraphs: int
    quoted: int
    paraphrased: int
    unused: int
    paragraphs: tuple[tuple[Span, str, Use], ...]  # (span, heading, how the derived text uses it)
    dropped: tuple[Span, ...]  # source clauses a quoted sentence left out

@dataclass(frozen=True, slots=True)
class TraceResult:
    source: Document
    derived: Document
    passages: tuple[Passage, ...]
    coverage: Coverage
    rules: tuple[str, ...]

def trace_files(source: str, derived: str, *, settings: Settings | None = None) -> TraceResult:
    return trace_prepared(prepare_file(source, settings=settings), prepare_file(derived, settings=settings))


def trace_documents(source: Document, derived: Document, *, settings: Settings | None = None) -> TraceResult:
    return trace_prepared(prepare(source, settings=settings), prepare(derived, settings=settings))


def trace_prepared(source: Prepared, derived: Prepared) -> TraceResult:
    """Where each clause of ``derived`` comes from in ``source`` (both prepared once, with the same settings)."""
    if (source.rules, source.framing_patterns, source.sites) != (derived.rules, derived.framing_patterns, derived.sites):
        raise ValueError("the source and the derived text were prepared with different settings")
    tracer = _Tracer(source.segmented, derived.segmented)
    passages = tracer.run()
    return TraceResult(source.document, derived.document, tuple(passages), tracer.coverage(passages), source.normalized.rules)


# ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Match:
    """One derived clause [d1, d2) and what it matched in the source stream."""

    d1: int
    d2: int
    relation: Relation | Literal["short"]  # short: too short to judge alone; neighbours() decides from the clauses around it
    s1: int = 0
    s2: int = 0
    score: float = 0.0


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim punctuation and spaces off both ends of text[start:end]."""
    while start < end and text[start] in _PUNCT:
        start += 1
    while end > start and text[end - 1] in _PUNCT:
        end -= 1
    return start, end


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if c not in _PUNCT]
    return {a + b for a, b in itertools.pairwise(chars)}


class _Tracer:
    def __init__(self, source: Segmented, derived: Segmented) -> None:
        self.s = source
        self.d = derived
        self.stream = source.stream
        self.sentence_of = [0] * len(source.stream)
        for sent in source.sentences:
            for k in range(sent.start, sent.end):
                self.sentence_of[k] = sent.index
        self.index: dict[str, set[int]] = defaultdict(set)  # trigram -> source sentences
        for sent in source.sentences:
            t = sent.text
            for k in range(len(t) - 2):
                self.index[t[k:k + 3]].add(sent.index)
        self.dropped: list[tuple[int, int]] = []
        self.orig_starts = source.original_starts()

    # ------------------------------------------------------------ finding clauses

    def clauses(self, start: int, end: int) -> list[tuple[int, int]]:
        text = self.d.stream
        out, pos = [], start
        for m in _CLAUSE_END.finditer(text, start, end):
            out.append((pos, m.end()))
            pos = m.end()
        if pos < end:
            out.append((pos, end))
        return out

    def exact(self, core: str, after: int) -> tuple[int, int] | None:
        """The occurrence of ``core`` nearest at or after ``after`` (else the first)."""
        hits = [m.start() for m in re.finditer(re.escape(core), self.stream)]
        if not hits:
            return None
        later = [h for h in hits if h >= after]
        at = later[0] if later else hits[0]
        return at, at + len(core)

    def candidates(self, core: str, limit: int = 3) -> list[int]:
        votes: Counter[int] = Counter()
        for k in range(len(core) - 2):
            for sid in self.index.get(core[k:k + 3], ()):
                votes[sid] += 1
        return [sid for sid, _ in votes.most_common(limit)]

    def match(self, d1: int, d2: int, after: int) -> _Match:
        c1, c2 = _core(self.d.stream, d1, d2)
        core = self.d.stream[c1:c2]
        if len(core) < MIN_CLAUSE:
            return _Match(d1, d2, "short")
        hit = self.exact(core, after)
        if hit:
            return _Match(c1, c2, "verbatim", hit[0], hit[1], 1.0)
        lead = _CONNECTIVE.match(core)
        if lead and len(core) - lead.end() >= MIN_CLAUSE:
            hit = self.exact(core[lead.end():], after)
            if hit:
                return _Match(c1 + lead.end(), c2, "verbatim", hit[0], hit[1], 1.0)
        best: _Match | None = None
        words = len(_WORDS.findall(_NUMBER.sub("", core)))
        for sid in self.candidates(core) if words >= MIN_WORDS else ():
            sent = self.s.sentences[sid]
            al = fuzz.partial_ratio_alignment(core, sent.text)
            if al is None or al.score < LOOSE_SCORE or (best is not None and al.score <= best.score * 100):
                continue
            m = self.snap(self.refine(c1, c2, sent.start + al.dest_start, sent.start + al.dest_end, sent, al.score / 100))
            # a short clause with a word changed scores low on the ratio: count the characters that differ instead
            changed = Levenshtein.distance(self.d.stream[m.d1:m.d2], self.stream[m.s1:m.s2])
            if al.score >= DRIFT_SCORE or changed <= max(2, (m.d2 - m.d1) // 6):
                best = m
        if best is not None:
            return self.trim(best)
        if len(_WORDS.findall(core)) < MIN_WORDS:
            return _Match(d1, d2, "unsourced")
        if len(core) >= MIN_PARAPHRASE:
            grams = _bigrams(core)
            for sid in self.candidates(core):
                # the same content restructured, within a sentence or a few around it (a heading and its text)
                window = self.s.sentences[max(0, sid - 3):sid + 4]
                used = [w for w in window if len(grams & _bigrams(w.text)) >= 2]
                covered = set().union(*(_bigrams(w.text) for w in used)) if used else set()
                cover = len(grams & covered) / max(1, len(grams))
                if cover >= PARAPHRASE_COVERAGE:
                    best_sent = max(used, key=lambda w: len(grams & _bigrams(w.text)))
                    return _Match(c1, c2, "paraphrase", best_sent.start, best_sent.end, cover)
        return _Match(d1, d2, "unsourced")

    def refine(self, c1: int, c2: int, s1: int, s2: int, sent: Sentence, score: float) -> _Match:
        """The alignment's window has the clause's length and may sit a character or two off (ties):
        place the source side from the first to the last character that really matches."""
        lo, hi = max(sent.start, s1 - 4), min(sent.end, s2 + 4)
        # longest-common-subsequence blocks (Indel): Levenshtein would rather substitute (七）推 for 推进政
        equal = [op for op in Indel.opcodes(self.stream[lo:hi], self.d.stream[c1:c2]) if op.tag == "equal"]
        if equal:
            s1, s2 = lo + equal[0].src_start, lo + equal[-1].src_end
        return _Match(c1, c2, "drifted", s1, s2, score)

    def snap(self, m: _Match) -> _Match:
        """Extend a loose match to the source clause's edges when they are at most three characters away
        (the alignment window has the derived clause's length; the source's wording may be longer)."""
        text, s1, s2 = self.stream, m.s1, m.s2
        for k in range(4):  # forward to the clause's end
            if s2 + k >= len(text) or text[s2 + k] in _PUNCT:
                s2 += k if s2 + k < len(text) and text[s2 + k] in "，；：。、" else 0
                break
        for k in range(4):  # back to the clause's start
            if s1 - k <= 0 or text[s1 - k - 1] in _PUNCT:
                s1 -= k if s1 - k > 0 and text[s1 - k - 1] in "，；：。、" else 0
                break
        return _Match(m.d1, m.d2, m.relation, s1, s2, m.score)

    def trim(self, m: _Match) -> _Match:
        """Drop what differs only at the clause's edges in a way that is no drift: the derived text's own
        connectives (在…方面, 要, 通过) against nothing, or against a heading marker (二、)."""
        ops = opcodes(self.stream[m.s1:m.s2], self.d.stream[m.d1:m.d2])
        d1, d2, s1, s2 = m.d1, m.d2, m.s1, m.s2

        def edge(op: tuple[str, int, int, int, int]) -> bool:
            src = self.stream[m.s1 + op[1]:m.s1 + op[2]].strip(_PUNCT)
            return op[0] != "equal" and (not src or _MARKER.match(src) is not None)

        while ops and edge(ops[0]):
            _, i1, i2, j1, j2 = ops.pop(0)
            d1, s1 = m.d1 + j2, m.s1 + i2
        while ops and edge(ops[-1]):
            _, i1, i2, j1, j2 = ops.pop()
            d2, s2 = m.d1 + j1, m.s1 + i1
        if all(op[0] == "equal" for op in ops):
            return _Match(d1, d2, "verbatim", s1, s2, 1.0)
        return _Match(d1, d2, m.relation, s1, s2, m.score)

    # ------------------------------------------------------------ passages

    def run(self) -> list[Passage]:
        out: list[Passage] = []
        after = 0
        for sent in self.d.sentences:
            matches = []
            for d1, d2 in self.clauses(sent.start, sent.end):
                m = self.match(d1, d2, after)
                if m.relation in ("verbatim", "drifted"):
                    after = m.s2
                matches.append(m)
            self.neighbours(matches)
            out.extend(self.passages(matches))
        return out

    def neighbours(self, matches: list[_Match]) -> None:
        """Short clauses count as quoted when they follow on from a quoted neighbour in the source."""
        for k, m in enumerate(matches):
            if m.relation != "short":
                continue
            c1, c2 = _core(self.d.stream, m.d1, m.d2)
            core = self.d.stream[c1:c2]
            prev = next((x for x in reversed(matches[:k]) if x.relation in ("verbatim", "drifted")), None)
            nxt = next((x for x in matches[k + 1:] if x.relation in ("verbatim", "drifted")), None)
            found = None
            if core and prev is not None:
                at = self.stream.find(core, prev.s2, prev.s2 + len(core) + 8)
                found = (at, at + len(core)) if at >= 0 else None
            if core and found is None and nxt is not None:
                at = self.stream.rfind(core, max(0, nxt.s1 - len(core) - 8), nxt.s1)
                found = (at, at + len(core)) if at >= 0 else None
            if found:
                matches[k] = _Match(c1, c2, "verbatim", found[0], found[1], 1.0)
                continue
            near = self.next_clause(prev.s2) if prev is not None else None
            if near and core and Levenshtein.distance(core, self.stream[near[0]:near[1]]) <= max(1, len(core) // 4):
                matches[k] = _Match(c1, c2, "drifted", near[0], near[1], 0.0)
            else:
                matches[k] = _Match(m.d1, m.d2, "unsourced")

    def next_clause(self, at: int) -> tuple[int, int] | None:
        """The source clause that starts at ``at`` (after its punctuation), if there is one."""
        s = at
        while s < len(self.stream) and self.stream[s] in _PUNCT:
            s += 1
        m = _CLAUSE_END.search(self.stream, s)
        e = m.start() if m else len(self.stream)
        end_of_sentence = self.stream.find("。", s)
        if 0 <= end_of_sentence < e:
            e = end_of_sentence
        return (s, e) if e > s else None

    def passages(self, matches: list[_Match]) -> list[Passage]:
        groups: list[list[_Match]] = []
        for m in matches:
            last = groups[-1][-1] if groups else None
            quoting = ("verbatim", "drifted")
            if last is not None and (
                (m.relation in quoting and last.relation in quoting and 0 <= m.s1 - last.s2 <= MAX_JOIN_GAP and self.same_paragraph(last.s2, m.s1))
                or (m.relation == last.relation == "unsourced")
                or (m.relation == last.relation == "paraphrase" and (m.s1, m.s2) == (last.s1, last.s2))
            ):
                groups[-1].append(m)
            else:
                groups.append([m])
        return [self.passage(g) for g in groups]

    def same_paragraph(self, a: int, b: int) -> bool:
        pa = self.s.para_of
        return bool(pa) and pa[min(a, len(pa) - 1)] == pa[min(b, len(pa) - 1)]

    def passage(self, group: list[_Match]) -> Passage:
        d1, d2 = group[0].d1, group[-1].d2
        relation = group[0].relation
        if relation == "unsourced":
            return Passage(self.span(self.d, d1, d2), None, "unsourced", 0.0)
        s1, s2 = min(m.s1 for m in group), max(m.s2 for m in group)
        heading = self.heading(s1)
        if relation == "paraphrase":
            return Passage(self.span(self.d, d1, d2), self.span(self.s, s1, s2), "paraphrase", group[0].score, (), heading)
        findings: list[Finding] = []
        for m in group:
            if m.relation == "drifted":
                findings.extend(self.differences(m))
        for a, b in itertools.pairwise(group):
            g1, g2 = _core(self.stream, a.s2, b.s1)
            if g2 - g1 >= 2:  # a source clause the derived text left out
                self.dropped.append((g1, g2))
                findings.append(self.finding(Code.WORDING_DELETION, g1, g2, b.d1, b.d1, f"「{self.stream[g1:g2]}」 dropped"))
        relation = "drifted" if findings else "verbatim"
        score = min(m.score for m in group)
        return Passage(self.span(self.d, d1, d2), self.span(self.s, s1, s2), relation, score, tuple(findings), heading)

    def differences(self, m: _Match) -> list[Finding]:
        out = []
        edits: list[list[int]] = []  # edits a character or two apart are one change: 建设 → 提升
        for tag, i1, i2, j1, j2 in opcodes(self.stream[m.s1:m.s2], self.d.stream[m.d1:m.d2]):
            if tag == "equal":
                continue
            if edits and i1 - edits[-1][1] <= MERGE_GAP and j1 - edits[-1][3] <= MERGE_GAP:
                edits[-1][1], edits[-1][3] = i2, j2
            else:
                edits.append([i1, i2, j1, j2])
        for i1, i2, j1, j2 in edits:
            tag = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
            a1, a2, b1, b2 = m.s1 + i1, m.s1 + i2, m.d1 + j1, m.d1 + j2
            old, new = self.stream[a1:a2], self.d.stream[b1:b2]
            if tag == "replace":
                a1, a2, b1, b2 = widen_to_words(self.stream, self.d.stream, Op("replace", a1, a2, b1, b2))
                old, new = self.stream[a1:a2], self.d.stream[b1:b2]
                number = is_number_change(self.stream, a1, a2, self.d.stream, b1, b2)
                out.append(self.finding(Code.NUMBER_CHANGE if number else Code.WORDING_SUBSTITUTION, a1, a2, b1, b2, f"「{old}」→「{new}」"))
            elif tag == "delete":
                out.append(self.finding(Code.WORDING_DELETION, a1, a2, b1, b1, f"「{old}」 deleted"))
            else:
                out.append(self.finding(Code.WORDING_INSERTION, a1, a1, b1, b2, f"「{new}」 inserted"))
        return out

    def finding(self, code: Code, a1: int, a2: int, b1: int, b2: int, message: str) -> Finding:
        return Finding(code, SUBSTANTIVE, self.span(self.s, a1, a2), self.span(self.d, b1, b2), message,
                       self.stream[a1:a2], self.d.stream[b1:b2], self.heading(a1),
                       self.stream[max(0, a1 - 16):a1], self.stream[a2:a2 + 16], stream=(a1, a2, b1, b2))

    def heading(self, s: int) -> str:
        if not self.s.para_of:
            return ""
        return self.s.paragraphs[self.s.para_of[min(s, len(self.s.para_of) - 1)]].heading

    @staticmethod
    def span(seg: Segmented, i: int, j: int) -> Span:
        return seg.span(i, j)

    # ------------------------------------------------------------ coverage

    def coverage(self, passages: list[Passage]) -> Coverage:
        uses: dict[int, Use] = {}
        for p in passages:
            if p.source is None:
                continue
            use: Use = "quoted" if p.relation in ("verbatim", "drifted") else "paraphrased"
            lo, hi = self.stream_range(p.source)
            for pid in {self.s.para_of[k] for k in range(lo, min(hi, len(self.s.para_of)))}:
                if uses.get(pid) != "quoted":
                    uses[pid] = use
        rows: list[tuple[Span, str, Use]] = []
        for para in self.s.paragraphs:
            rows.append((self.span(self.s, para.start, para.end), para.heading, uses.get(para.index, "unused")))
        counts = Counter(u for _, _, u in rows)
        dropped = tuple(self.span(self.s, a, b) for a, b in sorted(set(self.dropped)))
        return Coverage(len(rows), counts["quoted"], counts["paraphrased"], counts["unused"], tuple(rows), dropped)

    def stream_range(self, span: Span) -> tuple[int, int]:
        """Stream offsets whose original characters lie in ``span`` (the inverse of span())."""
        return bisect.bisect_left(self.orig_starts, span.start), bisect.bisect_left(self.orig_starts, span.end)
