"""jiaokan trace: quotations, drift, paraphrase and the derived text's own words, on the samples."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from jiaokan import normalize_text, serialize
from jiaokan.trace import trace_files

from .cli import run
from .conftest import COUNTY_002, PROVINCES_003, STUDY_004, VENDOR_001, XINHUA_000

SOURCES = [VENDOR_001, COUNTY_002]


def n(text: str) -> str:
    return normalize_text(text)


def passage_with(result, words: str):  # type: ignore[no-untyped-def]
    hits = [p for p in result.passages if words in n(p.derived.text)]
    assert hits, words
    return hits[0]


@pytest.fixture(scope="module", params=SOURCES, ids=["vs-001", "vs-002"])
def xinhua(request):  # type: ignore[no-untyped-def]
    return trace_files(str(request.param), str(XINHUA_000))


@pytest.mark.parametrize(
    "words, relation, heading",
    [
        ("高举中国特色社会主义伟大旗帜", "verbatim|drifted", "一（二）1.指导思想"),  # 002 reads 履职能力建设, 000 提升
        ("到2035年，与国家治理体系和治理能力现代化相适应", "verbatim", "一（二）3.主要目标"),
        ("强化经济运行大数据监测分析", "verbatim", "二（一）强化经济运行大数据监测分析，提升经济调节能力"),
        ("加快推进数字机关建设", "verbatim", "二（六）加快推进数字机关建设，提升政务运行效能"),
        ("落实安全制度要求", "verbatim", "三（二）落实安全制度要求"),
        ("推进政务公开平台智能集约发展", "drifted", "二（七）推进公开平台智能集约发展，提升政务公开水平"),
        ("成立由国务院领导同志任组长的数字政府建设工作领导小组", "paraphrase", "八（二）健全推进机制"),
        ("办公室设在国务院办公厅", "drifted", "八（二）健全推进机制"),
        ("新华社北京6月23日电", "unsourced", ""),
        ("《指导意见》明确了数字政府建设的七方面重点任务", "unsourced", ""),
    ],
)
def test_the_news_summary(xinhua, words: str, relation: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    p = passage_with(xinhua, words)
    if "|" in relation:
        relation = relation.split("|")[0 if xinhua.source.path.endswith("001.txt") else 1]
    assert (p.relation, p.heading) == (relation, heading), n(p.derived.text)
    if xinhua.source.path.endswith("002.txt") and words.startswith("高举"):
        assert [(f.base_norm, f.witness_norm) for f in p.findings] == [("建设", "提升")]
    if relation == "unsourced":
        assert p.source is None
    else:
        assert p.source is not None and p.source.text


def test_the_two_stage_goals_sentence_drops_a_clause(xinhua) -> None:  # type: ignore[no-untyped-def]
    dropped = "政府数字化履职能力、安全保障、制度规则、数据资源、平台支撑等数字政府体系框架基本形成"
    p = passage_with(xinhua, "到2025年，与政府治理能力现代化相适应的数字政府顶层设计更加完善")
    assert p.relation == "drifted" and p.heading == "一（二）3.主要目标"
    assert [(f.code, f.base_norm) for f in p.findings] == [("wording-deletion", dropped)]
    assert dropped in [n(d.text) for d in xinhua.coverage.dropped]


def test_quotations_sit_in_their_source(xinhua) -> None:  # type: ignore[no-untyped-def]
    """Every clause of a verbatim passage is in the source text the passage points at."""
    quoted = [p for p in xinhua.passages if p.relation == "verbatim"]
    assert len(quoted) >= 25
    for p in quoted:
        source = n(p.source.text)
        for clause in re.split(r"[，；：]", n(p.derived.text)):
            clause = re.sub(r"^(通过|要|就|也要|并)", "", clause.strip("。"))
            if len(clause) >= 8 and not clause.endswith("方面"):
                assert clause in source, (clause, source)


def test_coverage_of_the_directive(xinhua) -> None:  # type: ignore[no-untyped-def]
    c = xinhua.coverage
    assert c.source_paragraphs == c.quoted + c.paraphrased + c.unused
    assert c.quoted >= 30 and c.unused >= 40  # a summary: the goals and the headings, not the body


def section_passages(result, heading: str):  # type: ignore[no-untyped-def]
    """Passages of 003's paragraph that follows the province heading line."""
    doc = result.derived.text
    lines = doc.splitlines()
    k = next(i for i, line in enumerate(lines) if n(line).strip() == heading)
    body = next(line for line in lines[k + 1:] if line.strip())
    start = doc.index(body)
    return [p for p in result.passages if start <= p.derived.start < start + len(body)], len(body)


@pytest.mark.parametrize("source", SOURCES, ids=["vs-001", "vs-002"])
def test_the_provinces_are_their_own_words(source: Path) -> None:
    result = trace_files(str(source), str(PROVINCES_003))
    for province in ("山西", "贵州", "浙江"):
        passages, size = section_passages(result, province)
        assert passages
        own = sum(p.derived.end - p.derived.start for p in passages if p.relation == "unsourced")
        assert not [p for p in passages if p.relation == "verbatim"], province
        assert own / size >= 0.75, (province, own / size)
    # while the article's quotation of the directive's goals is found
    p = passage_with(result, "到2025年，与政府治理能力现代化相适应的数字政府顶层设计更加完善")
    assert p.relation in ("verbatim", "drifted") and p.heading == "一（二）3.主要目标"


@pytest.mark.parametrize("source", SOURCES, ids=["vs-001", "vs-002"])
def test_quotations_inside_the_study_articles_sentences(source: Path) -> None:
    result = trace_files(str(source), str(STUDY_004))
    for words, heading in (("整合构建结构合理、智能集约的平台支撑体系", "六"), ("全面推进政府履职和政务运行数字化转型", "二"),
                           ("充分释放数据要素价值", "五")):
        p = passage_with(result, words)
        assert p.relation == "verbatim" and p.heading.startswith(heading), (words, p.relation, p.heading)
        # inside a sentence of the article's own: its neighbours in the same sentence are unsourced
        sentence_end = result.derived.text.find("。", p.derived.end)
        around = [q for q in result.passages if q.derived.end <= sentence_end + 1 and q.derived.start >= p.derived.start - 200]
        assert any(q.relation == "unsourced" for q in around)


def test_json_contract(tmp_path: Path) -> None:
    r = run(["trace", str(VENDOR_001), str(XINHUA_000), "-f", "json"])
    assert r.code == 1  # drifted quotations
    data = json.loads(r.out)
    assert data == serialize.data(trace_files(str(VENDOR_001), str(XINHUA_000)))
    again = run(["trace", str(VENDOR_001), str(XINHUA_000), "-f", "json"])
    assert again.out == r.out
    schemas = resources.files("jiaokan").joinpath("schemas")
    trace_schema = json.loads(schemas.joinpath("trace-1.json").read_text(encoding="utf-8"))
    diff_schema = json.loads(schemas.joinpath("diff-1.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in (trace_schema, diff_schema)])
    jsonschema.Draft202012Validator(trace_schema, registry=registry).validate(data)
    # offsets point into the derived file's decoded original
    text = XINHUA_000.read_text(encoding="utf-8")
    for p in data["passages"]:
        assert text[p["derived"]["start"]:p["derived"]["end"]] == p["derived"]["text"]


def test_exit_codes(tmp_path: Path) -> None:
    quote = tmp_path / "quote.txt"
    quote.write_text("《意见》指出，要全面推进政府履职和政务运行数字化转型。这是本报评论员的看法。\n", encoding="utf-8")
    r = run(["trace", str(COUNTY_002), str(quote)])
    assert r.code == 0, r.out
    assert "= verbatim" in r.out and "· unsourced" in r.out
    bad = run(["trace", str(COUNTY_002), str(tmp_path / "missing.txt")])
    assert bad.code == 2 and bad.err.startswith("jiaokan: error:") and len(bad.err.strip().splitlines()) == 1


def test_html_page(tmp_path: Path) -> None:
    from jiaokan.render_html import trace_html

    derived = tmp_path / "article.txt"
    derived.write_text("本报讯 <script>alert(1)</script>。《意见》指出，要全面推进政府履职和政务运行数字化转型。\n", encoding="utf-8")
    page = trace_html(trace_files(str(COUNTY_002), str(derived)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    assert "script-src 'none'" in page and "default-src 'none'" in page
    assert 'class="row r-verbatim"' in page and "全面推进政府履职和政务运行数字化转型" in page
    news = trace_html(trace_files(str(VENDOR_001), str(XINHUA_000)))
    assert "href=" not in news  # the news page's own markup is shown as its text
