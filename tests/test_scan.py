"""jiaokan scan: candidates and kinds, streaming JSONL, resume, the summary, and the Dask engine equal to the local one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from jiaokan import read_document
from jiaokan.scan import Item, corpus, scan

from .cli import run
from .conftest import COUNTY_002, PROVINCES_003, ROOT, STUDY_004, VENDOR_001, XINHUA_000

DISTRACTORS = sorted((ROOT / "benchmarks" / "accuracy" / "corpus").glob("0[234]*.txt"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reprints (one drifted twice), an excerpt, the news summary and two articles, unrelated official texts."""
    root = tmp_path_factory.mktemp("corpus")
    county = COUNTY_002.read_text(encoding="utf-8")
    (root / "a-reprint.txt").write_text(county.replace("多层次", "多层级", 1), encoding="utf-8")
    (root / "b-reprint.txt").write_text(county.replace("多层次", "多层级", 1).replace("履职能力建设", "履职能力提升"), encoding="utf-8")
    (root / "c-vendor.txt").write_text(VENDOR_001.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "d-excerpt.txt").write_text(county[3000:6000], encoding="utf-8")
    for p in (XINHUA_000, PROVINCES_003, STUDY_004, *DISTRACTORS):
        (root / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def records(path: Path) -> dict[str, dict[str, object]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out[Path(str(r["id"])).name] = r
    return out


def test_kinds_and_findings(folder: Path, tmp_path: Path) -> None:
    r = run(["scan", str(COUNTY_002), str(folder), "-o", "out.jsonl", "--workers", "2"], cwd=tmp_path)
    assert r.code == 1, r.err
    got = records(tmp_path / "out.jsonl")
    kinds = {name: rec["kind"] for name, rec in got.items()}
    assert kinds["a-reprint.txt"] == kinds["b-reprint.txt"] == kinds["c-vendor.txt"] == "reprint"
    assert kinds["d-excerpt.txt"] == "excerpt"
    assert kinds[XINHUA_000.name] == kinds[PROVINCES_003.name] == kinds[STUDY_004.name] == "quotation"
    assert all(kinds[p.name] == "unrelated" for p in DISTRACTORS)
    a = got["a-reprint.txt"]["substantive"]
    assert [(f["base_norm"], f["witness_norm"]) for f in a] == [("多层次", "多层级")]  # type: ignore[index]
    assert got["d-excerpt.txt"]["substantive"] == []  # the rest of the base is not "omitted" by an excerpt
    assert got["c-vendor.txt"]["coverage"] > 0.9 and got["d-excerpt.txt"]["coverage"] < 0.5  # type: ignore[operator]
    # the summary table: kinds, the most frequent drift across the copies, the worst documents
    assert "10 documents — 3 reprint, 1 excerpt, 3 quotation, 3 unrelated, 0 error" in r.out
    assert "多层次" in r.out and "2 of 4 reprints and excerpts" in r.out
    # written in input order: sorted folder listing
    assert list(got) == sorted(got)


def test_jsonl_input_resume_and_errors(folder: Path, tmp_path: Path) -> None:
    county = COUNTY_002.read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "doc-1", "text": county.replace("多层次", "多层级", 1)}, ensure_ascii=False),
        json.dumps({"id": "doc-2", "path": str(folder / "d-excerpt.txt")}),  # outside the JSONL's folder: --allow-outside-paths
        "{not json",
        json.dumps({"id": "doc-4", "path": "missing.txt"}),
        json.dumps({"id": "doc-5", "text": "与本文无关的一段话。"}, ensure_ascii=False),
    ]
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    # an earlier run that got through doc-1 and was cut off in the middle of the next line
    first = run(["scan", str(COUNTY_002), "corpus.jsonl", "-o", "out.jsonl", "--workers", "1", "--allow-outside-paths"], cwd=tmp_path)
    assert first.code == 2  # two records are errors: the run says so, after writing every record
    done = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["kind"] for x in done] == ["reprint", "excerpt", "error", "error", "unrelated"]
    assert "not JSON" in json.loads(done[2])["error"] and "no such file" in json.loads(done[3])["error"]
    out.write_text(done[0] + "\n" + done[1][: len(done[1]) // 2], encoding="utf-8")
    again = run(["scan", str(COUNTY_002), "corpus.jsonl", "-o", "out.jsonl", "--resume", "--workers", "1", "--allow-outside-paths"], cwd=tmp_path)
    assert again.code == 2, again.err
    assert out.read_text(encoding="utf-8").splitlines() == done  # doc-1 kept, the torn line done again


def test_stdout_and_usage(folder: Path, tmp_path: Path) -> None:
    r = run(["scan", str(COUNTY_002), str(folder / "a-reprint.txt")], cwd=tmp_path)
    assert r.code == 1 and json.loads(r.out)["kind"] == "reprint"
    assert "jiaokan scan: 1 document —" in r.err  # the summary goes to stderr when the JSONL is on stdout
    bad = run(["scan", str(COUNTY_002), str(folder), "--resume"], cwd=tmp_path)
    assert bad.code == 2 and bad.err.startswith("jiaokan: error: --resume needs --output")


def test_dask_engine_equals_local(folder: Path) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    base = read_document(str(COUNTY_002))
    local = list(scan(base, corpus([str(folder)]), engine="local", workers=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = list(scan(base, corpus([str(folder)]), engine="dask", scheduler=cluster.scheduler_address))
    assert remote == local
    assert len(local) == 10 and {r["kind"] for r in local} == {"reprint", "excerpt", "quotation", "unrelated"}


def test_a_document_with_no_text_to_compare_is_unrelated() -> None:
    """An empty page (markup only) quotes nothing: 0 quoted characters are not 5 % of 0."""
    base = read_document(str(COUNTY_002))
    got = list(scan(base, [Item("empty.html", text="<html><body><p></p></body></html>"), Item("dots", text="。。。")], workers=1))
    assert [(r["kind"], r["quoted"]) for r in got] == [("unrelated", 0), ("unrelated", 0)]


def test_memory_follows_the_work_in_flight() -> None:
    """The corpus is pulled lazily: with 2 in flight, at most a few items are read ahead of the results."""
    pulled = []

    def items():  # type: ignore[no-untyped-def]
        for k in range(20):
            pulled.append(k)
            yield Item(f"doc-{k}", text="与本文无关的一段话。")

    base = read_document(str(COUNTY_002))
    stream = scan(base, items(), engine="local", workers=2, inflight=2)
    first = next(stream)
    assert first["id"] == "doc-0" and len(pulled) <= 3
    assert [r["id"] for r in stream] == [f"doc-{k}" for k in range(1, 20)]


def test_progress_on_a_terminal_with_rate_and_time_left(folder: Path, tmp_path: Path) -> None:
    from .cli import stderr_on_a_terminal

    code, err = stderr_on_a_terminal(["scan", str(COUNTY_002), str(folder), "-o", str(tmp_path / "o.jsonl"), "--workers", "1"], tmp_path)
    assert code == 1
    assert "scanning" in err and "/10" in err and "docs/s" in err


def test_a_worker_that_dies_does_not_hang_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed on one document (out of memory, say): that document is an error record, the rest go on."""
    import jiaokan.scan as scan_module

    real = scan_module.Scanner.check

    def dying(self, item):  # type: ignore[no-untyped-def]
        if item.id == "doc-1":
            os._exit(1)  # the worker process disappears mid-task
        return real(self, item)

    monkeypatch.setattr(scan_module.Scanner, "check", dying)
    monkeypatch.setattr(scan_module, "DOCUMENT_TIMEOUT", 3)
    base = read_document(str(COUNTY_002))
    items = [Item(f"doc-{k}", text="与本文无关的一段话。") for k in range(4)]
    got = list(scan(base, items, engine="local", workers=2, inflight=2))
    assert [r["id"] for r in got] == ["doc-0", "doc-1", "doc-2", "doc-3"]
    assert got[1]["kind"] == "error" and "no result in 3 s" in str(got[1]["error"])
    assert [r["kind"] for r in got[2:]] == ["unrelated", "unrelated"]


# ---------------------------------------------------------------- real corpora (issue 13, item 9)
#
# Real laws and local regulations from github:LawRefBook/Laws (tests/data/scan/README.md).  What a user sees:
# the record's kind, and the number and codes of its findings.

SCAN_DATA = ROOT / "tests" / "data" / "scan"
BEIJING = SCAN_DATA / "base-beijing-digital-economy.md"  # 北京市数字经济促进条例 (2022)
SAME_GENRE = ("unrelated-shanghai-data.md", "unrelated-beijing-work-safety.md", "unrelated-henan-flood-control.md")
NEWS_HEAD = ["首页 > 新闻中心 > 政策解读", "【字体：大 中 小】 打印本页 分享到：", "《北京市数字经济促进条例》全文公布（摘录）",
             "来源：北京日报客户端  发布时间：2022-12-02 10:12  浏览次数：1,024", "编者按：为便于广大企业和市民了解条例内容，现将部分条款摘录如下。"]
NEWS_TAIL = ["（责任编辑：王小明）", "上一篇：我市召开优化营商环境大会  下一篇：关于开展2023年度统计执法检查的公告",
             "主办单位：北京日报社  京ICP备05060933号  京公网安备11010502030000号"]
EDITS = (("鼓励单位和个人", "支持单位和个人"), ("数据交易机构应当制定", "数据交易机构可以制定"),
         ("市人民政府及其有关部门可以探索设立公共数据特定区域，建立适应数字经济特征的新型监管方式。", "市人民政府及其有关部门应当加快建设公共数据特定区域。"))


def _body() -> list[str]:
    """The base's paragraphs from 第一条 on, as a web page shows them (the Markdown heading marks off)."""
    lines = [x for x in BEIJING.read_text(encoding="utf-8").splitlines() if x.strip()]
    start = next(k for k, x in enumerate(lines) if x.startswith("第一条"))
    return [x.removeprefix("## ") for x in lines[start:]]


def _take(label: str, count: int) -> list[str]:
    body = _body()
    start = next(k for k, x in enumerate(body) if x.startswith(label))
    return body[start:start + count]


def _edited(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        for old, new in EDITS:
            p = p.replace(old, new)
        out.append(p)
    return out


def _excerpts() -> dict[str, list[str]]:
    """Ten paragraphs of the 94 of the base: in one stretch, from three places, one article in six; edited; on a
    news page."""
    consecutive = _take("第十八条", 10)
    places = _take("第四条", 3) + _take("第二十四条", 4) + _take("第四十四条", 3)
    articles = [x for x in _body() if x.startswith("第") and "条 " in x[:8]]
    return {
        "consecutive": consecutive,
        "three-places": places,
        "scattered": articles[::6][:10],
        "edited": _edited(consecutive),
        "news-page": NEWS_HEAD + consecutive + NEWS_TAIL,
        "news-page-three-places": NEWS_HEAD + places + NEWS_TAIL,
        "news-page-edited": NEWS_HEAD + _edited(consecutive) + NEWS_TAIL,
    }


@pytest.fixture(scope="module")
def beijing() -> dict[str, dict[str, object]]:
    """The Beijing regulation scanned against three unrelated regulations of the genre and seven excerpts of it."""
    items = [Item(name, path=str(SCAN_DATA / name)) for name in SAME_GENRE]
    items += [Item(f"{name}.txt", text="\n\n".join(paragraphs)) for name, paragraphs in _excerpts().items()]
    return {Path(str(r["id"])).stem if str(r["id"]).endswith(".txt") else str(r["id"]): r
            for r in scan(read_document(str(BEIJING)), items, workers=1)}


def test_real_regulations_sharing_only_the_genres_formulas_are_unrelated(beijing: dict[str, dict[str, object]]) -> None:
    """上海市数据条例 against 北京市数字经济促进条例: containment 0.07 — 为了…根据…结合本市实际，制定本条例, 法律、行政法规
    另有规定, 经依法授权具有管理公共事务职能的组织, and one sentence both restate from the Data Security Law (art. 29).
    It was traced and called a quotation (17 drifted, 7 verbatim formula clauses: ≥ 100 characters); so were the
    work-safety and flood-control regulations.  Formulas of the genre are not quotations."""
    for name in SAME_GENRE:
        record = beijing[name]
        assert record["kind"] == "unrelated", (name, record)
        assert "counts" not in record and "substantive" not in record  # not traced, nothing to read
    shanghai = beijing["unrelated-shanghai-data.md"]
    assert 0.06 <= shanghai["containment"] <= 0.08  # type: ignore[operator]
    assert 0 < shanghai["quoted"] < 0.02 * 11787  # type: ignore[operator]  # well under 2 % of its 11,787 compared characters


def test_real_excerpts_are_excerpts_with_their_own_findings(beijing: dict[str, dict[str, object]]) -> None:
    """Ten paragraphs of 94, from one stretch or several, clean or edited, bare or on a news page: an excerpt, whose
    findings are its own drift — never the other 84 paragraphs as paragraph-omission (88 and 66 of them before,
    for the scattered and three-place excerpts; the news pages, containment 0.79 and 0.77, were quotations)."""
    drift = [("wording-substitution", "鼓励", "支持"), ("wording-substitution", "可以探索设立", "应当加快建设"),
             ("wording-deletion", "，建立适应数字经济特征的新型监管方式", ""), ("wording-substitution", "应当", "可以")]
    stretches = {"consecutive": 1, "three-places": 3, "scattered": 10, "edited": 1, "news-page": 1, "news-page-three-places": 3, "news-page-edited": 1}
    for name in stretches:
        record = beijing[name]
        assert record["kind"] == "excerpt", (name, record)
        found = [(f["code"], f["base_norm"], f["witness_norm"]) for f in record["substantive"]]  # type: ignore[attr-defined]
        assert found == (drift if "edited" in name else []), (name, found)
        assert "paragraph-omission" not in record["counts"]  # type: ignore[operator]
        assert record["coverage"] < 0.15  # type: ignore[operator]
    for name, count in stretches.items():  # the stretches of the base each reprints, as [first line, last line]
        assert len(beijing[name]["stretches"]) == count, (name, beijing[name]["stretches"])  # type: ignore[arg-type]
    assert beijing["consecutive"]["stretches"] == [[86, 104]]  # lines 86–104: 第十八条 … 第二十二条
    assert beijing["news-page"]["containment"] < 0.85 and beijing["news-page-edited"]["containment"] < 0.8  # type: ignore[operator]
    assert beijing["news-page"]["counts"] == {"framing": 3}  # the page's header and footer, and the base's own


def test_real_quotations_are_still_quotations() -> None:
    """A local measure that restates its national law (北京市实施《集会游行示威法》办法), and a State Council 实施细则 that
    quotes its law (台湾同胞投资保护法实施细则): quotations, traced, the drifted wording listed; the other texts,
    same genre, unrelated."""
    law = read_document(str(SCAN_DATA / "law-assembly-and-demonstration.md"))
    names = ["quotes-beijing-assembly-and-demonstration.md", "quotes-taiwan-compatriot-investment-rules.md", "unrelated-shanghai-data.md"]
    got = {r["id"]: r for r in scan(law, [Item(n, path=str(SCAN_DATA / n)) for n in names], workers=1)}
    measures = got["quotes-beijing-assembly-and-demonstration.md"]
    assert measures["kind"] == "quotation"
    assert measures["counts"]["verbatim"] >= 15 and measures["counts"]["drifted"] >= 15  # type: ignore[index]
    assert len(measures["substantive"]) >= 20  # type: ignore[arg-type]  # 本市 for 国家, its own authorities, ...
    assert measures["quoted"] > 900  # type: ignore[operator]
    assert got["quotes-taiwan-compatriot-investment-rules.md"]["kind"] == got["unrelated-shanghai-data.md"]["kind"] == "unrelated"
    rules = next(scan(read_document(str(SCAN_DATA / "law-taiwan-compatriot-investment.md")),
                      [Item("rules", path=str(SCAN_DATA / "quotes-taiwan-compatriot-investment-rules.md"))], workers=1))
    assert rules["kind"] == "quotation" and rules["counts"]["verbatim"] >= 10  # type: ignore[index]


def test_real_corpus_from_the_command_line(tmp_path: Path) -> None:
    """What the user reads at the end of a scan of the real corpus: three excerpts, three unrelated regulations."""
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for name in SAME_GENRE:
        (corpus_dir / name).write_bytes((SCAN_DATA / name).read_bytes())
    for name in ("scattered", "news-page-three-places", "news-page-edited"):
        (corpus_dir / f"{name}.txt").write_text("\n\n".join(_excerpts()[name]), encoding="utf-8")
    r = run(["scan", str(BEIJING), str(corpus_dir), "-o", "out.jsonl", "--workers", "2"], cwd=tmp_path)
    assert r.code == 1, r.err  # the edited excerpt has substantive findings
    assert "6 documents — 0 reprint, 3 excerpt, 0 quotation, 3 unrelated, 0 error" in r.out
    got = records(tmp_path / "out.jsonl")
    assert sum(len(rec.get("substantive", [])) for rec in got.values()) == 4  # type: ignore[misc, arg-type]
