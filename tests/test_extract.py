"""Main content, not the page: a web page's body found, its chrome framing, every place in the original HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jiaokan import document_from_text, read_document
from jiaokan.config import Settings, site_profiles
from jiaokan.diff import DiffResult, diff_documents
from jiaokan.errors import InputError
from jiaokan.extract import SiteProfile, body_of
from jiaokan.findings import Span
from jiaokan.prepare import prepare

from .cli import run
from .conftest import COUNTY_002, ROOT, VENDOR_001

PAGES = ROOT / "tests" / "data" / "pages"
LETTER = ROOT / "tests" / "data" / "documents" / "liaoning-reply-letter.txt"
# the same document as bare text and as a CMS page (built by benchmarks/bench_extract.py --write-pages)
PAIRS = [(VENDOR_001, PAGES / "govcn-001.html"), (COUNTY_002, PAGES / "trs-002.html"), (LETTER, PAGES / "zoom-liaoning.html")]
CHROME = ["京ICP备", "责任编辑", "打印本页", "相关稿件", "最新文件", "热点关注", "网站标识码", "首页"]


def _set_aside_text(result_spans: tuple[Span, ...]) -> str:
    return "\n".join(s.text for s in result_spans)


@pytest.mark.parametrize(("bare", "page"), PAIRS, ids=[p.name for _, p in PAIRS])
def test_the_same_document_bare_and_as_a_cms_page_differs_in_nothing_substantive(bare: Path, page: Path) -> None:
    done = run(["diff", bare, page, "-f", "json"])
    data = json.loads(done.out)
    assert data["summary"]["substantive"] == 0, [f["message"] for f in data["findings"] if f["severity"] == "substantive"]
    assert done.code == 0
    assert data["summary"]["set_aside"] > 0  # the page's chrome, said to be set aside
    back = json.loads(run(["diff", page, bare, "-f", "json"]).out)  # the page as the base: its chrome is no omission
    assert back["summary"]["substantive"] == 0, [f["message"] for f in back["findings"] if f["severity"] == "substantive"]


@pytest.mark.parametrize(("bare", "page"), PAIRS, ids=[p.name for _, p in PAIRS])
def test_the_chrome_is_framing_and_no_finding_shows_it(bare: Path, page: Path) -> None:
    result = diff_documents(read_document(bare), read_document(page))
    aside = _set_aside_text(result.set_aside)
    html = read_document(page).text
    present = [c for c in CHROME if c in html]
    assert len(present) >= 4
    framing = "\n".join(f.witness.text for f in result.findings if f.code == "framing")
    for chrome in present:  # set aside (outside the body found), or the witness's own wrapper (framing) around it
        assert chrome in aside or chrome in framing, chrome
        assert not any(chrome in f.witness.text for f in result.findings if f.code != "framing"), chrome
    # the body itself is compared, not set aside
    seg = result.witness_seg
    assert seg is not None
    assert "加强" in seg.stream or "辽宁" in seg.stream
    assert len(seg.stream) > 0.9 * len(result.base_seg.stream if result.base_seg else "")


def _edited(text: str) -> str:
    """The bare text with three substantive edits in its body."""
    out = text
    for old, new in (("數字政府", "电子政务"), ("二〇", "二〇"), ("到2025年", "到2030年"), ("請示報告", "報告"),
                     ("大数据辅助行政决策", "数据辅助决策"), ("大连市请求", "大连市申请")):
        out = out.replace(old, new, 1)
    assert out != text
    return out


@pytest.mark.parametrize(("bare", "page"), PAIRS, ids=[p.name for _, p in PAIRS])
def test_findings_inside_the_body_are_those_of_the_bare_text_and_point_into_the_html(bare: Path, page: Path) -> None:
    base = document_from_text(_edited(bare.read_text(encoding="utf-8")), path="edited.txt")
    as_text = diff_documents(base, read_document(bare))
    web = read_document(page)
    as_page = diff_documents(base, web)

    def substantive(result: DiffResult) -> list[tuple[str, str, str]]:
        return sorted((f.code, f.base.text, f.witness_norm) for f in result.substantive)

    assert substantive(as_page) == substantive(as_text)
    assert as_page.substantive
    for f in as_page.findings:
        if f.witness.start < f.witness.end:
            assert web.text[f.witness.start:f.witness.end] == f.witness.text
            assert web.locate(f.witness.start) == (f.witness.line, f.witness.column)
    for f in as_page.substantive:
        if f.witness_norm:
            assert f.witness_norm[0] in web.text[f.witness.start:f.witness.end] or f.witness.text


def test_a_site_profile_takes_precedence_over_the_extractor() -> None:
    page = read_document(PAGES / "real-people-news.html")
    related = page.text.index("致敬改革开放四十年")
    by_extractor = body_of(page)
    assert by_extractor is not None and by_extractor.how == "extractor"
    assert by_extractor.contains(related)  # the extractor takes the related items below the article too
    profile = SiteProfile(("#rwb_zw",), host="people.com.cn")
    page_at = document_from_text(page.text, path="http://culture.people.com.cn/n1/2019/0614/c1013-31136624.html")
    by_profile = body_of(page_at, sites=[profile])
    assert by_profile is not None and by_profile.how == "profile" and by_profile.profile == profile
    assert not by_profile.contains(related)
    at = page.text.index('id="rwb_zw"')
    first, last = page.text.index("父亲的教诲像一盏灯", at), page.text.index("字里行间都是对儿子的爱", at)
    assert by_profile.contains(first) and by_profile.contains(last)
    # a profile for another host is not used
    assert body_of(page_at, sites=[SiteProfile(("#rwb_zw",), host="www.gov.cn")]) == by_extractor


def test_a_site_profile_from_the_configuration_picks_the_body_exactly(tmp_path: Path) -> None:
    page = PAGES / "govcn-001.html"
    (tmp_path / "jiaokan.toml").write_text('[[sites]]\nhost = "www.gov.cn"\nbody = [".related"]\n', encoding="utf-8")
    shown = run(["diff", VENDOR_001, page, "--show-config"], cwd=tmp_path)
    assert shown.code == 0
    assert 'sites = [{ host = "www.gov.cn", body = [".related"] }]' in shown.out
    # the profile (deliberately the related links) wins over the extractor: the directive is now outside the body
    done = run(["diff", VENDOR_001, page, "-f", "json"], cwd=tmp_path)
    assert json.loads(done.out)["summary"]["substantive"] > 0
    (tmp_path / "jiaokan.toml").write_text('[[sites]]\npattern = "govcn"\nbody = "#UCAP-CONTENT"\n', encoding="utf-8")
    done = run(["diff", VENDOR_001, page, "-f", "json"], cwd=tmp_path)
    assert json.loads(done.out)["summary"]["substantive"] == 0
    settings = Settings(sites=site_profiles([{"pattern": "govcn", "body": "#UCAP-CONTENT"}], "test"))
    prepared = prepare(read_document(page), settings=settings)
    text = prepared.document.text
    start = text.index('id="UCAP-CONTENT">') + len('id="UCAP-CONTENT">')
    end = text.index("</div>", start)
    kept = prepared.segmented.span(0, len(prepared.stream))  # all that is compared: the element's text, exactly
    assert kept.start == text.index("國(guó)發〔2022〕14号", start)
    assert kept.end == text.index("</p>", text.index("2022年(nián)6月6日", start)) < end


@pytest.mark.parametrize(("table", "says"), [
    ('[[sites]]\nbody = ["div[["]\n', "not a valid CSS selector"),
    ('[[sites]]\nhost = "www.gov.cn"\n', "'body' must be a CSS selector"),
    ('[[sites]]\nbody = "#zoom"\nselector = "x"\n', "unknown key 'selector'"),
    ('[[sites]]\nbody = "#zoom"\npattern = "(a"\n', "not a valid regular expression"),
    ('sites = "#zoom"\n', "'sites' must be a list of tables"),
])
def test_a_bad_site_profile_is_a_clear_configuration_error(tmp_path: Path, table: str, says: str) -> None:
    (tmp_path / "jiaokan.toml").write_text(table, encoding="utf-8")
    for args in (["diff", VENDOR_001, COUNTY_002], ["normalize", VENDOR_001]):  # every command validates it
        done = run(args, cwd=tmp_path)
        assert done.code == 2
        assert says in done.err and "jiaokan.toml" in done.err
        assert "Traceback" not in done.err and len(done.err.strip().splitlines()) == 1


def test_a_bad_selector_names_itself_and_the_fix() -> None:
    with pytest.raises(InputError) as caught:
        site_profiles([{"body": ["p::"]}], "jiaokan.toml")
    assert "'p::'" in caught.value.what and caught.value.fix


def test_documents_that_are_not_html_are_prepared_as_before() -> None:
    for path in (VENDOR_001, COUNTY_002, LETTER):
        doc = read_document(path)
        assert body_of(doc) is None
        assert prepare(doc).segmented.set_aside == []
    done = run(["diff", VENDOR_001, COUNTY_002, "-f", "json"])
    assert "set_aside" not in json.loads(done.out)["summary"]


def test_a_page_without_chrome_keeps_all_its_text() -> None:
    doc = document_from_text("<html><body><p>第一条 为了规范管理，制定本办法。</p><p>第二条 本办法自公布之日起施行。</p></body></html>",
                             path="bare.html")
    prepared = prepare(doc)
    assert prepared.segmented.set_aside == []
    assert "本办法自公布之日起施行" in prepared.stream


@pytest.mark.parametrize("name", ["real-shanxi-gov", "real-sxmu-law", "real-zhejiang-fgw"])
def test_real_government_pages_keep_their_body_and_set_their_chrome_aside(name: str) -> None:
    doc = read_document(PAGES / f"{name}.html")
    prepared = prepare(doc)
    aside = "\n".join(doc.text[s:e] for s, e in (prepared.normalized.original_span(lo, hi) for lo, hi in prepared.segmented.set_aside))
    assert "版权所有" in aside
    first = {"real-shanxi-gov": "跨越千山万水", "real-sxmu-law": "本法自公布之日起施行", "real-zhejiang-fgw": "位列三县两区第一"}[name]
    assert first in prepared.stream
    assert "版权所有" not in prepared.stream


def test_a_news_page_s_editor_line_is_set_aside_not_traced_as_unsourced() -> None:
    from jiaokan.trace import trace_files

    from .conftest import XINHUA_000

    result = trace_files(str(VENDOR_001), str(XINHUA_000))  # the Xinhua item is HTML (in a .txt)
    assert not any("李墨轩" in p.derived.text for p in result.passages)
    assert any("新华社北京6月23日电" in p.derived.text and p.relation == "unsourced" for p in result.passages)
