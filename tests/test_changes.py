"""Changes as a reader counts them (issue 14): renumbering, rewrites, edited moves, units, groups.

Each example of the issue is a test here, on text shaped like the real amendments in
benchmarks/realdata/ (the pairs themselves are checked by the report goldens and the benchmark).
"""

from __future__ import annotations

import json
import re

from jiaokan import serialize
from jiaokan.config import Settings
from jiaokan.diff import diff_documents, diff_files
from jiaokan.findings import Parts
from jiaokan.ingest import document_from_text

from .cli import run
from .conftest import ROOT

REAL = ROOT / "benchmarks" / "realdata"
DIGITS = "零一二三四五六七八九"


def han(n: int) -> str:
    """A law's ordinal numeral, written here independently of the engine: 68 → 六十八."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


SUBJECTS = ["企业", "学校", "医院", "社区", "银行", "工厂", "商店", "车站", "码头", "农场", "仓库", "酒店", "剧院", "公园", "市场",
            "港口", "机场", "矿山", "林场", "渔场", "电站", "水库"]


def article(n: int, k: int) -> str:
    """Article number n with the k-th distinct body (each article says something else)."""
    return f"第{han(n)}条 {SUBJECTS[k % len(SUBJECTS)]}应当建立第{k}号安全管理制度，定期开展检查，及时消除隐患。"


def doc(paragraphs: list[str], path: str):  # type: ignore[no-untyped-def]
    return document_from_text("\n\n".join(paragraphs) + "\n", path=path)


def reading(result) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """What a reader reads: each listed finding's code and compared texts."""
    return [(f.code, f.base_norm, f.witness_norm) for f in result.findings if f.severity in ("substantive", "structural")]


# ---------------------------------------------------------------- renumbering


def laws_with_article_68_deleted() -> tuple[list[str], list[str]]:
    base = [f"第{han(n)}条 {SUBJECTS[n % len(SUBJECTS)]}应当建立安全管理制度，定期开展检查，及时消除第{n}类隐患。" for n in range(66, 85)]
    witness = [p for p in base if not p.startswith("第六十八条")]
    for k in range(len(witness)):
        n = 66 + k if k < 2 else 67 + k
        witness[k] = witness[k].replace(f"第{han(n)}条", f"第{han(n - (0 if k < 2 else 1))}条", 1)
    return base, witness


def test_one_deleted_article_renumbers_the_rest_in_one_finding() -> None:
    base, witness = laws_with_article_68_deleted()
    base.append("违反本条例第七十条规定的，处1000元以上3000元以下的罚款。")
    witness.append("违反本条例第六十九条规定的，处1000元以上2000元以下的罚款。")
    result = diff_documents(doc(base, "b"), doc(witness, "w"))
    listed = [f for f in result.findings if f.severity in ("substantive", "structural")]
    runs = [f for f in listed if f.code == "renumbering"]
    assert len(runs) == 1 and runs[0].severity == "structural" and runs[0].parts_kind == Parts.PLACES
    assert runs[0].message.startswith("第六十九条至第八十四条依次改为第六十八条至第八十三条")
    # the 16 labels, and the cross-reference that follows the shift, are its places; none is a number change
    assert len(runs[0].places()) == 17
    assert [p.witness.text for p in runs[0].places()][-1] == "第六十九条"
    codes = sorted(f.code for f in listed)
    assert codes == ["number-change", "paragraph-omission", "renumbering"]
    fine = next(f for f in listed if f.code == "number-change")
    assert (fine.base_norm, fine.witness_norm, fine.severity) == ("3000", "2000", "substantive")  # a real fine change stays
    assert result.summary.substantive == 2 and result.summary.structural == 1


def test_renumbering_is_substantive_when_the_setting_says_so() -> None:
    base, witness = laws_with_article_68_deleted()
    result = diff_documents(doc(base, "b"), doc(witness, "w"), settings=Settings(substantive_codes=("paragraph-omission", "renumbering")))
    assert [f.severity for f in result.findings if f.code == "renumbering"] == ["substantive"]


def test_a_reference_left_behind_is_a_stale_reference() -> None:
    base = [article(n, n) for n in range(1, 6)] + ["违反本条例第四条规定的，由主管部门责令改正。"]
    witness = [article(1, 1), article(2, 2)] + [article(n - 1, n) for n in (4, 5)] + ["违反本条例第四条规定的，由主管部门责令改正。"]
    result = diff_documents(doc(base, "b"), doc(witness, "w"))
    stale = [f for f in result.findings if f.code == "stale-reference"]
    assert len(stale) == 1 and stale[0].severity == "substantive"
    assert stale[0].witness.text == "第四条" and "第3条" in stale[0].message  # it now points at another article
    assert [f.message.split(" (")[0] for f in result.findings if f.code == "renumbering"] == ["第四条至第五条依次改为第三条至第四条"]


def test_an_article_inserted_before_a_label_is_one_addition_and_the_label_renumbered() -> None:
    """The issue's 第十八条 县级以上… against 第二十条 国家实施统一的国民经济核算制度。…第二十一条 县级以上…: the inserted
    articles are additions, 第十八条 pairs with 第二十一条; no finding cuts a label (第{+20条国家实施…+}18条)."""
    tail = "县级以上人民政府统计机构和有关部门应当加强统计监督检查，依法查处统计违法行为。"
    base = [article(16, 1), article(17, 2), f"第十八条 {tail}", article(19, 4)]
    new = ["第十八条 国家实施统一的国民经济核算制度。", "第十九条 国家统计局统一组织领导全国国民经济核算工作。",
           "第二十条 国家建立健全统计数据质量监控和评估制度，加强对统计数据的质量管理。"]
    witness = [article(16, 1), article(17, 2), *new, f"第二十一条 {tail}", article(22, 4)]
    result = diff_documents(doc(base, "b"), doc(witness, "w"))
    got = reading(result)
    assert [c for c, _, _ in got] == ["paragraph-addition"] * 3 + ["renumbering"]
    assert [w for _, _, w in got[:3]] == [normalized(p) for p in new]
    run = next(f for f in result.findings if f.code == "renumbering")
    assert run.message.startswith("第十八条至第十九条依次改为第二十一条至第二十二条")


def normalized(paragraph: str) -> str:
    """第十八条 国家… as the stream compares it (numerals in Arabic, the space gone)."""
    from jiaokan.normalize import normalize_text

    return normalize_text(paragraph).replace(" ", "")


def test_a_moved_article_that_was_renumbered_is_a_move() -> None:
    """第五条 reappearing word for word as 第十条 is one move holding its renumbering, not an omission plus an addition."""
    base = [article(n, n) for n in range(1, 11)]
    moved = base[4].replace("第五条", "第十条")
    witness = [article(n, n) for n in range(1, 5)] + [article(n - 1, n) for n in range(6, 11)] + [moved]
    result = diff_documents(doc(base, "b"), doc(witness, "w"))
    moves = [f for f in result.findings if f.code == "paragraph-move"]
    assert len(moves) == 1 and moves[0].parts_kind == Parts.EDITS
    assert moves[0].base.text == base[4] and moves[0].witness.text == moved
    assert [p.message for p in moves[0].parts] == ["第五条改为第十条 (renumbered)"]
    assert not [f for f in result.findings if f.code in ("paragraph-omission", "paragraph-addition")]


def test_a_moved_article_that_was_edited_is_a_move_with_its_edits_and_mirrors_both_ways() -> None:
    base = [article(n, n) for n in range(1, 9)]
    moved = base[2].replace("定期开展检查", "每季度开展一次检查")
    witness = base[:2] + base[3:] + [moved]
    forward = diff_documents(doc(base, "b"), doc(witness, "w"))
    backward = diff_documents(doc(witness, "w"), doc(base, "b"))
    for result in (forward, backward):
        moves = [f for f in result.findings if f.code.endswith("-move")]
        assert len(moves) == 1 and [f.code for f in result.substantive] == ["paragraph-move"]
        assert moves[0].parts[0].code == "wording-substitution"
    fm = next(f for f in forward.findings if f.code == "paragraph-move")
    bm = next(f for f in backward.findings if f.code == "paragraph-move")
    assert (fm.base.start, fm.base.end, fm.witness.start, fm.witness.end) == (bm.witness.start, bm.witness.end, bm.base.start, bm.base.end)
    assert [(p.base_norm, p.witness_norm) for p in fm.parts] == [(p.witness_norm, p.base_norm) for p in bm.parts]


# ---------------------------------------------------------------- a change is what a reader would mark


def test_a_rewritten_clause_is_one_substitution() -> None:
    """由国务院规定 → 由国务院科学技术行政部门会同财政部门提出，报党中央、国务院批准: one change, not [-规定-]{+科学+} and an
    insertion."""
    base = "第十条 奖励的具体办法由国务院规定。"
    witness = "第十条 奖励的具体办法由国务院科学技术行政部门会同财政部门提出，报党中央、国务院批准。"
    result = diff_documents(doc([article(9, 1), base, article(11, 3)], "b"), doc([article(9, 1), witness, article(11, 3)], "w"))
    assert reading(result) == [("wording-substitution", "规定", "科学技术行政部门会同财政部门提出，报党中央、国务院批准")]


def test_no_finding_crosses_a_paragraph_break_unless_it_is_paragraph_level() -> None:
    """The issue's '；⏎（五）' → '。⏎客运经': a change at the end of one item and at the start of the next is two."""
    base = ["第八条 经营者不得有下列行为：", "（一）擅自变更经营范围；", "（二）超越许可范围经营；", "（三）出租、出借经营许可证；",
            "（四）伪造、涂改经营许可证；", "（五）未按照规定报送统计资料。", article(9, 2)]
    witness = ["第八条 经营者不得有下列行为：", "（一）擅自变更经营范围；", "（二）超越许可范围经营；", "（三）出租、出借经营许可证；",
               "（四）伪造、涂改经营许可证。", "客运经营者应当按照规定报送统计资料。", article(9, 2)]
    result = diff_documents(doc(base, "b"), doc(witness, "w"))
    for f in result.findings:
        if f.severity == "substantive" and not f.code.startswith("paragraph-"):
            assert "\n" not in f.base.text.strip() and "\n" not in f.witness.text.strip(), f
    assert len(result.substantive) == 2


def test_a_word_is_not_cut_by_a_change() -> None:
    """[-，-]{+门+} split 有关部门: a change is widened to whole words."""
    base = [article(1, 1), "第二条 县级以上人民政府有关部门，按照职责分工负责相关工作。", article(3, 3)]
    witness = [article(1, 1), "第二条 县级以上人民政府有关主管部门按照职责分工负责相关工作。", article(3, 3)]
    got = reading(diff_documents(doc(base, "b"), doc(witness, "w")))
    assert all(not b.endswith("部") and not w.startswith("门") for _, b, w in got), got
    assert "".join(b for _, b, _ in got) in "有关部门，" and "".join(w for _, _, w in got) in "有关主管部门"


# ---------------------------------------------------------------- units and groups


def test_an_inserted_article_of_several_paragraphs_is_one_finding_listing_them() -> None:
    base = [article(n, n) for n in range(1, 5)]
    inserted = ["第三条 国家建立应急管理制度。", "县级以上人民政府应当制定应急预案。", "应急预案应当定期演练。"]
    witness = base[:2] + inserted + [article(n + 1, n) for n in (3, 4)]
    result = diff_documents(doc(base, "b"), doc(witness, "w"))
    additions = [f for f in result.findings if f.code == "paragraph-addition"]
    assert len(additions) == 1 and additions[0].parts_kind == Parts.PARAGRAPHS and len(additions[0].parts) == 3
    assert additions[0].witness.text == "\n\n".join(inserted)
    assert [f.code for f in result.findings if f.severity in ("substantive", "structural")] == ["paragraph-addition", "renumbering"]
    # and the other way round, an omitted article of three paragraphs
    back = diff_documents(doc(witness, "w"), doc(base, "b"))
    assert [len(f.parts) for f in back.findings if f.code == "paragraph-omission"] == [3]


def test_the_same_change_in_many_places_is_one_group_in_text_json_and_sarif(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = [f"第{han(n)}条 交通主管部门应当对第{n}类道路运输活动实施监督检查。" for n in range(1, 41)]
    base, witness = tmp_path / "base.txt", tmp_path / "witness.txt"
    base.write_text("\n\n".join(body) + "\n", encoding="utf-8")
    witness.write_text("\n\n".join(p.replace("交通主管部门", "交通运输主管部门") for p in body) + "\n", encoding="utf-8")
    result = diff_files(str(base), str(witness))
    assert len(result.findings) == 1
    group = result.findings[0]
    assert group.parts_kind == Parts.PLACES and len(group.places()) == 40
    assert (group.code, group.base_norm, group.witness_norm) == ("wording-insertion", "", "运输")
    assert [p.base.line for p in group.places()] == [1 + 2 * k for k in range(40)]
    data = json.loads(run(["diff", str(base), str(witness), "--format", "json"]).out)
    assert len(data["findings"]) == 1 and data["findings"][0]["parts_kind"] == "places" and len(data["findings"][0]["parts"]) == 40
    assert data == json.loads(json.dumps(serialize.data(result)))  # the JSON is the library's result
    text = run(["diff", str(base), str(witness)]).out
    assert "×40" in text and "… and 32 more" in text
    sarif = json.loads(run(["check", str(base), str(witness), "-f", "sarif"]).out)
    results = sarif["runs"][0]["results"]
    assert len(results) == 1 and len(results[0]["relatedLocations"]) == 1 + 80  # the base text, then each place in both


# ---------------------------------------------------------------- the real pairs


def test_the_real_foreign_trade_law_reads_as_three_changes() -> None:
    """对外贸易法 2016 → 2022: article 9 deleted (two paragraphs), 61 articles and 15 references renumbered: the report
    a reader reads is one omission, one renumbering and the history line, where it was 78 findings."""
    result = diff_files(str(REAL / "12-对外贸易法-2016-11-07.md"), str(REAL / "12-对外贸易法-2022-12-30.md"))
    got = [(f.code, f.severity) for f in result.findings if f.severity in ("substantive", "structural")]
    assert sorted(got) == [("number-change", "substantive"), ("paragraph-omission", "substantive"), ("renumbering", "structural")]
    run_ = next(f for f in result.findings if f.code == "renumbering")
    assert re.match(r"第十条至第七十条依次改为第九条至第六十九条 \(61 labels, 15 cross-references following\)", run_.message)


def test_every_line_of_a_summary_checked_against_its_source_fits_80_columns() -> None:
    from rich.cells import cell_len

    from .conftest import VENDOR_001, XINHUA_000

    for base, witness in ((str(VENDOR_001), str(XINHUA_000)), ("samples/directive-vendor-reprint-001.txt", "samples/xinhua-summary-000.txt")):
        done = run(["diff", base, witness], env={"COLUMNS": "80"}, cwd=ROOT)
        lines = done.out.splitlines()
        assert lines and all(cell_len(line) <= 80 for line in lines if len(base) < 60), [x for x in lines if cell_len(x) > 80]
    assert len(lines) < 250  # it was 528: whole omitted paragraphs are clipped with the count left out
    assert "字)" in done.out


# ---------------------------------------------------------------- found in review


def test_an_article_added_first_is_an_addition_not_wrapper_both_ways() -> None:
    base = [article(n, n) for n in range(1, 4)]
    witness = ["第一条 任何单位和个人不得干预统计机构依法独立行使职权。"] + [article(n + 1, n) for n in range(1, 4)]
    forward = diff_documents(doc(base, "b"), doc(witness, "w"))
    backward = diff_documents(doc(witness, "w"), doc(base, "b"))
    assert [f.code for f in forward.substantive] == ["paragraph-addition"] and forward.summary.framing == 0
    assert [f.code for f in backward.substantive] == ["paragraph-omission"]


def test_a_group_is_accepted_place_by_place(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Accepting 交通主管→交通运输主管 in two articles does not accept it in a third."""
    body = [f"第{han(n)}条 交通主管部门应当对第{n}类道路运输活动实施监督检查。" for n in range(1, 5)]
    (tmp_path / "base.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    two = [p.replace("交通主管", "交通运输主管") if k < 2 else p for k, p in enumerate(body)]
    three = [p.replace("交通主管", "交通运输主管") if k < 3 else p for k, p in enumerate(body)]
    (tmp_path / "w.txt").write_text("\n\n".join(two) + "\n", encoding="utf-8")
    assert run(["check", "base.txt", "w.txt", "--write-baseline", "jiaokan-accepted.toml"], cwd=tmp_path).code == 0
    assert run(["check", "base.txt", "w.txt", "--baseline", "jiaokan-accepted.toml", "-q"], cwd=tmp_path).code == 0
    (tmp_path / "w.txt").write_text("\n\n".join(three) + "\n", encoding="utf-8")
    assert run(["check", "base.txt", "w.txt", "--baseline", "jiaokan-accepted.toml", "-q"], cwd=tmp_path).code == 1


def test_a_reference_inside_a_moved_article_whose_label_grew_is_still_judged() -> None:
    """第二条 moved to become 第十二条 (a longer number): its 依照本条例第五条 is judged, here left behind."""
    base = [article(n, n) for n in range(1, 13)]
    base[1] = "第二条 违反本条例第五条规定的，由统计机构责令改正并予以通报批评。"
    witness = [article(1, 1)] + [article(n - 1, n) for n in range(3, 13)] + ["第十二条 违反本条例第五条规定的，由统计机构责令改正并予以通报批评。"]
    result = diff_documents(doc(base, "b"), doc(witness, "w"))
    assert [f.code for f in result.substantive] == ["paragraph-move", "stale-reference"]


def test_a_reference_to_a_dropped_article_that_kept_its_number_is_stale_both_ways() -> None:
    base = [article(n, n) for n in range(1, 5)] + ["第五条 违反本条例第三条规定的，由统计机构责令改正。"]
    witness = [article(1, 1), article(2, 2), article(3, 4), "第四条 违反本条例第三条规定的，由统计机构责令改正。"]
    for a, b in ((base, witness), (witness, base)):
        result = diff_documents(doc(a, "a"), doc(b, "b"))
        assert sorted(f.code for f in result.substantive) == ["paragraph-addition" if a is witness else "paragraph-omission", "stale-reference"]


def test_new_text_at_the_head_of_an_article_keeps_its_label_both_ways() -> None:
    """Real pair 14's 第四条: new text put at its head is an insertion after 第四条, not 第四条 replaced by it."""
    a = ["第三条 在中华人民共和国境内从事消耗臭氧层物质的生产活动，适用本条例。", "第四条 国务院环境保护主管部门统一负责全国消耗臭氧层物质的监督管理工作。"]
    new = "消耗臭氧层物质的管理工作应当坚持中国共产党的领导，贯彻党和国家路线方针政策和决策部署。"
    b = [a[0], f"第四条 {new}", "国务院生态环境主管部门统一负责全国消耗臭氧层物质的监督管理工作。"]
    assert reading(diff_documents(doc(a, "a"), doc(b, "b"))) == [("wording-insertion", "", new), ("wording-substitution", "环境保护", "生态环境")]
    assert reading(diff_documents(doc(b, "b"), doc(a, "a"))) == [("wording-deletion", new, ""), ("wording-substitution", "生态环境", "环境保护")]


def test_a_renumbered_chapter_does_not_cut_the_articles_run() -> None:
    t = [f"{s}应当依法履行统计职责，不得弄虚作假。" for s in SUBJECTS[:4]]
    a = ["第一章 总则", f"第一条 {t[0]}", f"第二条 {t[1]}", "第二章 统计调查", f"第三条 {t[2]}", f"第四条 {t[3]}"]
    b = ["第一章 总则", "第一条 新增加的一条关于统计工作的原则规定在此。", "第二章 统计原则", f"第二条 {t[0]}", f"第三条 {t[1]}",
         "第三章 统计调查", f"第四条 {t[2]}", f"第五条 {t[3]}"]
    runs = [f.message.split(" (")[0] for f in diff_documents(doc(a, "a"), doc(b, "b")).findings if f.code == "renumbering"]
    assert runs == ["第一条至第四条依次改为第二条至第五条", "第二章改为第三章"]


def test_no_substitution_takes_in_a_sentence_end() -> None:
    """Real pair 08: 。其中， → ； is 。 → ； and 其中， dropped, not one substitution across the sentence end."""
    base = [article(1, 1), "第二条 生父母有特殊困难无力抚养子女的，还应当提交送养人有特殊困难的声明。其中，因丧偶送养的，应当提交证明。", article(3, 3)]
    witness = [article(1, 1), "第二条 生父母有特殊困难无力抚养子女的，还应当提交送养人有特殊困难的声明；因丧偶送养的，应当提交证明。", article(3, 3)]
    got = reading(diff_documents(doc(base, "b"), doc(witness, "w")))
    assert got == [("wording-substitution", "。", "；"), ("wording-deletion", "其中，", "")]


def test_one_label_changed_out_of_order_is_a_number_change_not_a_renumbering() -> None:
    """A copy that makes 1.指导思想 into 2.指导思想 beside the 2.基本原则 after it has broken its numbering."""
    a = "（二）总体要求。\n\n1.指导思想。高举中国特色社会主义伟大旗帜。\n\n2.基本原则。坚持党的全面领导。\n\n3.主要目标。到2025年基本建成。"
    result = diff_documents(document_from_text(a, path="a"), document_from_text(a.replace("1.指导思想", "2.指导思想"), path="b"))
    assert [(f.code, f.severity) for f in result.findings if f.severity != "cosmetic"] == [("number-change", "substantive")]
