"""Variation nobody here wrote: reprints made by OpenCC's own configurations, PDF extraction artefacts, injected
symbols — and real drift that must stay drift.  Every example of issue 13 is one of these tests."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import opencc
import pytest

from jiaokan import document_from_text, normalize, normalize_text
from jiaokan.config import Settings
from jiaokan.diff import DiffResult, diff_documents

from .conftest import ROOT

REALDATA = ROOT / "benchmarks" / "realdata"
LAWS = {
    "02": "02-发票管理办法-2023-07-20.md",  # 数据
    "07": "07-母婴保健法实施办法-2023-07-20.md",  # 卫生
    "12": "12-对外贸易法-2022-12-30.md",  # 知识产权, 建立
    "13": "13-海洋观测预报管理条例-2023-07-20.md",  # 项目, 设备
    "14": "14-消耗臭氧层物质管理条例-2023-12-29.md",  # 设备, 支持
}


def law(key: str) -> str:
    return (REALDATA / LAWS[key]).read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(f"{config}.json")


def convert(text: str, *configs: str) -> str:
    for config in configs:
        text = converter(config).convert(text)
    return text


def diff(base: str, witness: str, *, base_format: str = "text", witness_format: str = "text") -> DiffResult:
    return diff_documents(document_from_text(base, path="base", format=base_format),
                          document_from_text(witness, path="witness", format=witness_format))


def substantive(result: DiffResult) -> list[tuple[str, str, str]]:
    return [(f.code, f.base_norm, f.witness_norm) for f in result.substantive]


def codes(result: DiffResult) -> Counter[str]:
    return Counter(f.code for f in result.findings)


# ---------------------------------------------------------------- OpenCC's regional vocabulary, judged pairwise


@pytest.mark.parametrize("key", sorted(LAWS))
@pytest.mark.parametrize("configs", [("s2twp",), ("s2twp", "t2s"), ("s2hk",), ("s2hk", "t2s"), ("s2tw",)], ids="+".join)
def test_a_law_converted_by_opencc_has_no_substantive_difference(key: str, configs: tuple[str, ...]) -> None:
    text = law(key)
    result = diff(text, convert(text, *configs), base_format="markdown", witness_format="markdown")
    assert substantive(result) == []


def test_taiwan_phrases_are_regional_variants() -> None:
    text = law("12") + law("02")
    found = {(f.base_norm, f.witness_norm) for f in diff(text, convert(text, "s2twp"), base_format="markdown", witness_format="markdown").findings
             if f.code == "regional-variant"}
    assert {("知识产权", "智慧财产权"), ("数据", "资料")} <= found


def test_a_round_trip_through_taiwan_phrases_reads_as_regional() -> None:
    text = law("13")
    witness = convert(text, "s2twp", "t2s")
    assert "项目" in text and "专案" in witness
    result = diff(text, witness, base_format="markdown", witness_format="markdown")
    assert substantive(result) == [] and codes(result)["regional-variant"] > 0


def test_hong_kong_variant_characters_are_script() -> None:
    text = law("07")
    witness = convert(text, "s2hk")
    assert "衞生" in witness and "衞生" in convert(witness, "t2s")  # OpenCC's t2s keeps the Hong Kong form
    result = diff(text, witness, base_format="markdown", witness_format="markdown")
    assert substantive(result) == []
    assert any(f.code == "script" and "衞" in f.witness.text for f in result.findings)
    assert normalize_text("衞生，枱面") == "卫生，台面"


def test_a_pair_in_a_mainland_copy_is_drift() -> None:
    # simplified, one regional-looking word and nothing else regional about the copy: the wording changed
    result = diff("为提高数字精度，建立健全计量制度。", "为提高数位精度，建立健全计量制度。")
    assert substantive(result) == [("wording-substitution", "数字", "数位")]
    # the same word in a Taiwan copy (traditional characters) is its regional form
    result = diff("为提高数字精度，建立健全计量制度。", "為提高數位精度，建立健全計量制度。")
    assert substantive(result) == [] and codes(result)["regional-variant"] == 1


def test_a_word_that_is_not_the_regional_form_stays_drift() -> None:
    # OpenCC writes 数据 as 資料 in Taiwan; 資訊 is Taiwan's 信息: 数据 → 資訊 is another word
    text = "加强数据共享，保障数据安全。"
    result = diff(text, "加強資訊共享，保障資料安全。")
    assert substantive(result) == [("wording-substitution", "数据共享", "资讯共享")]  # widened to the whole word


def test_shared_words_are_never_rewritten() -> None:
    # tw2sp turns 建立 into 创建 and 数位 into 数字; jiaokan rewrites neither, so copies that share them agree
    assert normalize_text("建立數位化檔案") == "建立数位化档案"
    result = diff("建立健全制度，建立数位档案。", convert("建立健全制度，建立数位档案。", "s2t"))
    assert substantive(result) == [] and "regional-variant" not in codes(result)
    result = diff("提高数位精度", "提高数字精度")
    assert substantive(result) == [("wording-substitution", "数位", "数字")]


def test_the_regional_rule_can_be_switched_off() -> None:
    base, witness = "加强数据安全管理。", "加強資料安全管理。"
    on = diff_documents(document_from_text(base), document_from_text(witness))
    off = diff_documents(document_from_text(base), document_from_text(witness), settings=Settings(rules="all,-regional"))
    assert substantive(on) == [] and substantive(off) == [("wording-substitution", "数据安全", "资料安全")]


def test_regional_vocabulary_and_script_are_told_apart() -> None:
    result = diff("提升网络与信息安全水平", "提升網路與資訊安全水平")
    regional = {(f.base.text, f.witness.text) for f in result.findings if f.code == "regional-variant"}
    assert regional == {("网络", "網路"), ("信息安全", "資訊安全")}  # OpenCC pairs 信息安全 with 資訊安全 as a phrase
    assert {f.witness.text for f in result.findings if f.code == "script"} == {"網", "與"}
    assert substantive(result) == []


def test_each_rule_reports_its_own_edits() -> None:
    result = diff("增长100%，达到", "增长１００％,达到")
    assert sorted((f.code, f.witness.text) for f in result.findings) == [("punctuation", ","), ("width", "１００％")]


# ---------------------------------------------------------------- Unicode look-alikes and invisibles


BASE = "工业和信息化部门见面会，长期支持数字政府建设。"


def test_kangxi_and_supplement_radicals_as_pdf_extractors_give_them() -> None:
    witness = "⼯业和信息化部⻔⻅面会，⻓期⽀持数字政府建设。"
    assert all(unicodedata.name(c).startswith(("KANGXI", "CJK RADICAL")) for c in "⼯⻔⻅⻓⽀")
    result = diff(BASE, witness)
    radicals = [f.witness.text for f in result.findings if f.code == "radical"]
    assert substantive(result) == [] and "".join(radicals) == "⼯⻔⻅⻓⽀"


def test_combining_marks_selectors_and_zero_width_characters() -> None:
    compat = next(chr(cp) for cp in range(0xF900, 0xFB00) if unicodedata.normalize("NFC", chr(cp)) == "理")
    cases = {
        "ruby": unicodedata.normalize("NFD", "国(guó)务院办公厅"),  # decomposed tone marks: still a reading
        "variation-selector": "国\ufe00务\U000e0100院办公厅",
        "invisible": "国\u200b务\u00ad院\ufeff办公厅",
        "compatibility-ideograph": "国务院办公厅".replace("办", "办") + compat,
    }
    for code, witness in cases.items():
        base = "国务院办公厅理" if code == "compatibility-ideograph" else "国务院办公厅"
        result = diff(base, witness)
        assert substantive(result) == [], code
        assert code in codes(result), (code, codes(result))


def test_bidirectional_controls_are_reported_not_folded_silently() -> None:
    result = diff("国务院关于加强数字政府建设", "国务院关于\u202e加强数字政府建设")
    assert [f.code for f in result.substantive] == ["bidi-control"]
    assert result.substantive[0].witness.text == "\u202e"


# ---------------------------------------------------------------- whitespace and layout as PDFs give them


def test_letter_spaced_text() -> None:
    base = "2006年12月29日起施行，处3000元以上罚款。"
    for witness in ("2 0 0 6 年 1 2 月 2 9 日 起 施 行 ， 处 3 0 0 0 元 以 上 罚 款 。",
                    "2 0 0 6 年 1 2 月 2 9 日起施行，处 3 0 0 0 元以上罚款。"):
        assert substantive(diff(base, witness)) == [], witness
    assert normalize_text("Digital  Government Index 2022") == "Digital Government Index 2022"


LAW_ARTICLE = "第十条 国家实行统一的发票管理制度，各级税务机关应当加强发票的财务管理和监督检查工作。\n第十一条 发票的种类由国务院税务主管部门确定。"


def test_hard_wrapped_article_lines_are_joined() -> None:
    wrapped = "第十条 国家实行统一的发票管理制度，各级税务机关应当加强发票的财务管\n理和监督检查工作。\n第十一条 发票的种类由国务院税务主管部门确定。"
    assert normalize_text(wrapped) == normalize_text(LAW_ARTICLE)
    assert substantive(diff(LAW_ARTICLE, wrapped)) == []


def test_page_breaks_inside_article_numbers_and_years() -> None:
    body = "违反本条例规定的，依照本条例第五十五条的规定处理。本条例自二〇二二年三月一日起施行，各地区、各部门应当遵照执行，认真落实。"
    paged = ("违反本条例规定的，依照本条例第\n\n- 25 -\n\n五十五条的规定处理。本条例自二〇二\n\n— 26 —\n\n"
             "二年三月一日起施行，各地区、各部门应当遵照执行，认真落实。")
    assert normalize_text(paged) == normalize_text(body)
    assert substantive(diff(body, paged)) == []


# ---------------------------------------------------------------- junk by Unicode class, punctuation, numbers


def test_junk_symbols_by_class() -> None:
    result = diff("推进数据共享开放", "推进数→据共⊕享开▲放")
    assert substantive(result) == [] and codes(result)["junk-symbols"] == 3
    assert normalize_text("→ 申请\n2→3") == "→申请\n\n2→3"  # a bullet at a line start, a formula


def test_every_bracket_family() -> None:
    result = diff("依照〈中华人民共和国数据安全法〉的规定", "依照‹中华人民共和国数据安全法>的规定")
    assert substantive(result) == [] and codes(result)["punctuation"] == 2
    assert normalize_text("《规划》「通知」『意见』«办法»") == "《规划》“通知”‘意见’《办法》"


def test_quote_direction_is_decided_per_paragraph() -> None:
    # a stray closing quote in one paragraph does not flip the quotes of the next
    assert normalize_text('他说”好。\n要求"放管服"改革。').endswith("\n\n要求“放管服”改革。")
    assert normalize_text('他说“好。\n\n要求"放管服"改革。').endswith("\n\n要求“放管服”改革。")
    assert normalize_text('实施"互联网+政务服务"，推进"一网通办"。') == "实施“互联网+政务服务”，推进“一网通办”。"


@pytest.mark.parametrize(("base", "witness", "code"), [
    ("坚持中国共产党领导", "坚持党中央集中统一领导", "wording-substitution"),
    ("进一步加强统一管理", "切实加强统一管理", "wording-substitution"),
    ("处1000元以上3000元以下罚款", "处1000元以上2000元以下罚款", "number-change"),
    ("在三十日内作出决定", "在十五日内作出决定", "number-change"),
    ("编制十四五规划", "编制十五五规划", "number-change"),
    ("依照本法第十二条处理", "依照本法第十三条处理", "number-change"),
])
def test_number_change_only_for_numbers(base: str, witness: str, code: str) -> None:
    assert [c for c, _, _ in substantive(diff(base, witness))] == [code]


def test_edits_keep_their_rule() -> None:
    result = normalize(document_from_text("國(guó)務院２０２５年,第一條"))
    assert [(e.original, e.code) for e in result.edits()] == [
        ("國", "script"), ("(guó)", "ruby"), ("務", "script"), ("２０２５", "width"), (",", "punctuation"),
        ("第一條", "numeral-form"), ("條", "script")]


def test_law_texts_are_public_and_present() -> None:
    assert all((REALDATA / name).is_file() for name in LAWS.values())
    assert Path(REALDATA / "README.md").read_text(encoding="utf-8").count("LawRefBook") >= 1


# ---------------------------------------------------------------- found by review: real drift that must not hide


def test_amounts_in_a_table_are_not_page_numbers() -> None:
    # row numbers count 1, 2, 3, 4 on lines of their own, like page numbers: but they stand a line or two apart
    rows = [("1", "未按规定报送材料的", "5000"), ("2", "拒绝接受检查的", "10000"), ("3", "伪造检测数据的", "50000"), ("4", "逾期不改正的", "20000")]
    table = ("第十条 违反本办法规定的，按下表处以罚款：\n序号\n违法行为\n罚款金额（元）\n" + "".join(f"{x}\n{y}\n{z}\n" for x, y, z in rows)
             + "第十一条 本办法自发布之日起施行。\n")
    found = substantive(diff(table, table.replace("\n5000\n", "\n8000\n")))
    # (the comparison runs on the text without paragraph breaks: a cell's number runs on into the next row's)
    assert [code for code, _, _ in found] == ["number-change"] and "5000" in found[0][1] and "8000" in found[0][2]
    assert all(f"{k}" in normalize_text(table) for k in ("5000", "10000", "50000", "20000"))


def test_page_numbers_a_page_apart_still_go() -> None:
    page = "\n".join(f"第{k}条 各级人民政府应当加强对本行政区域内有关工作的领导，建立健全协调机制。" for k in range(1, 10))
    paged = f"{page}\n27\n{page}\n28\n{page}\n29\n"
    assert "27" not in normalize_text(paged) and "28" not in normalize_text(paged)


def test_a_running_header_is_the_title_in_either_script() -> None:
    """A vendor's PDF: the body converted to traditional characters, the running header still in simplified ones."""
    body = "\n".join(f"第{k}條 各級人民政府應當加強對本行政區域內有關工作的領導，建立健全協調機制。" for k in range(1, 6))
    paged = f"廢舊金屬收購業治安管理辦法\n\n{body}\n第 4 页\n\n废旧金属收购业治安管理办法\n\n{body}\n"
    assert normalize_text(paged).count("废旧金属收购业治安管理办法") == 1  # the title stays, the header goes


def test_a_mainland_word_for_a_mainland_word_is_drift() -> None:
    # 资料 and 数据 are both mainland words; one kind of pair, however often, is a wording change, not a converter
    base = "第十条 经营者应当报送有关资料。\n\n第十一条 主管部门应当保管经营者报送的资料。\n\n第十二条 不得非法获取他人的资料。\n"
    result = diff(base, base.replace("资料", "数据"))
    assert [c for c, _, _ in substantive(result)] == ["wording-substitution"]  # one change, made in three places
    assert [(p.code, p.base_norm, p.witness_norm) for p in result.substantive[0].places()] == [("wording-substitution", "资料", "数据")] * 3


@pytest.mark.parametrize(("base", "witness"), [
    ("申请人年龄≥十八周岁的，可以申请。", "申请人年龄≤十八周岁的，可以申请。"),  # a comparison that points one way
    ("按每㎡计算收费。", "按每㎞计算收费。"),  # units written as one character
    ("办理流程：申请→审核→办结。", "办理流程：申请←审核→办结。"),  # symbols at the same place in both copies are text
])
def test_meaningful_symbols_are_not_junk(base: str, witness: str) -> None:
    assert [c for c, _, _ in substantive(diff(base, witness))] == ["wording-substitution"]


@pytest.mark.parametrize(("base", "witness"), [("限速值 60 80 公里", "限速值 6080 公里"), ("分别为12 3件", "分别为1 23件"), ("GB 5001 6", "GB 50016")])
def test_a_space_between_digits_is_a_number(base: str, witness: str) -> None:
    assert [c for c, _, _ in substantive(diff(base, witness))] == ["number-change"]
    assert codes(diff("支持IPv6协议", "支持IPv 6协议")) == Counter({"whitespace": 1})


def test_no_numeral_form_where_both_copies_write_chinese_numerals() -> None:
    result = diff("第一条 为了规范数据处理活动。", "第一條 為了規範數據處理活動。")
    assert "numeral-form" not in codes(result) and substantive(result) == []


@pytest.mark.parametrize(("base", "witness"), [("三分之一以上", "三分之二以上"), ("百分之五", "百分之十"), ("数万元", "数十万元"), ("处3000元", "处30000元")])
def test_fractions_percentages_and_digits_inserted_are_number_changes(base: str, witness: str) -> None:
    assert [c for c, _, _ in substantive(diff(base, witness))] == ["number-change"]


@pytest.mark.parametrize("text", ["数0  0", "数0\t0", "0,\n数", "Ａ\u0301", "国 (guó)", "第\n\f.", "。。。…", "数" * 20 + "\n\n第\n，"])
def test_found_by_hypothesis_normalization_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_a_wrapped_number_with_a_comma() -> None:
    assert substantive(diff("并处1,000元以上的罚款。", "并处1\n,000元以上的罚款。")) == []


def test_a_bidi_control_cannot_reorder_the_report_or_the_page() -> None:
    from jiaokan.render import diff_text
    from jiaokan.render_html import review_html
    from jiaokan.review import build_review

    base = document_from_text("国务院关于加强数字政府建设的指导意见。", path="base.txt")
    witness = document_from_text("国务院关于\u202e加强数字政府建设的指导意见。", path="witness.txt")
    result = diff_documents(base, witness)
    assert "\u202e" not in diff_text(result) and "\\u202e" in diff_text(result)
    page = review_html(build_review(base, [result]))
    assert "\u202e" not in page and "\\u202e" in page


def test_a_real_law_hard_wrapped_keeps_its_paragraphs() -> None:
    # every article wrapped at a fixed width, lines that start with 第X条 included (财务管 / 理 across a line)
    text = law("02")
    body = text.split("<!-- INFO END -->", 1)[1]
    paragraphs = [p.lstrip("# ").strip() for p in body.split("\n") if p.strip()]
    wrapped = "\n".join(p[k:k + 33] for p in paragraphs for k in range(0, len(p), 33))
    plain = "\n".join(paragraphs)
    # (a paragraph that ends exactly at the wrap width, before one with no label, reads as running on: 100 → 99)
    assert abs(len(normalize(document_from_text(wrapped)).paragraphs()) - len(normalize(document_from_text(plain)).paragraphs())) <= 1
    assert substantive(diff(plain, wrapped)) == []
