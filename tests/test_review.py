"""jiaokan review / diff --format html: the page's content, safety and size (the browser tests are in test_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

import pytest

from jiaokan import read_document
from jiaokan.diff import diff_documents
from jiaokan.render_html import review_html
from jiaokan.review import Display, build_review

from .cli import run
from .conftest import COUNTY_002, VENDOR_001, XINHUA_000


@pytest.fixture(scope="module")
def page_001_002() -> str:
    base, witness = read_document(str(VENDOR_001)), read_document(str(COUNTY_002))
    return review_html(build_review(base, [diff_documents(base, witness)]))


def cells(page: str, column: str) -> str:
    """The text of one column, tags out, entities decoded."""
    out = []
    for m in re.finditer(rf'<div class="c {column}(?: gap-\w+)?(?: frm)?">(.*?)</div>', page, re.DOTALL):
        out.append(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))))
    return "".join(out)


def test_every_character_of_both_originals_is_in_the_cells_in_order() -> None:
    base, witness = read_document(str(VENDOR_001)), read_document(str(COUNTY_002))
    review = build_review(base, [diff_documents(base, witness)])
    for doc, cells_of in ((base, lambda row: row.base), (witness, lambda row: row.witnesses[0])):
        text = "".join("".join(p.text for p in cells_of(row).pieces) + cells_of(row).tail for row in review.rows)
        assert text == Display(doc).text  # the original, markup aside; only line breaks between paragraphs go unshown


def test_the_page_shows_the_original_text(page_001_002: str) -> None:
    for path, column in ((VENDOR_001, "c0"), (COUNTY_002, "w0")):
        shown = cells(page_001_002, column)
        display = Display(read_document(str(path))).text
        assert "".join(shown.split()).endswith("".join(display.split()))
    assert "國(guó)務院關于加強數字政府建設" in page_001_002  # the original, traditional and ruby, not the normalized text


def test_the_four_drifts_are_marked_on_both_sides(page_001_002: str) -> None:
    marked = re.findall(r'<div class="c (c0|w0)[^"]*">|<i class="m k-(\w+) sub w0 first" data-f="\d+"[^>]*>([^<]*)', page_001_002)
    column = ""
    found = []
    for col, kind, text in marked:
        if col:
            column = "0" if col == "c0" else "1"
        else:
            found.append((kind, column, text))
    marked = found
    by_text = {(kind, col, text) for kind, col, text in marked}
    assert {("deletion", "0", "支撐"), ("substitution", "0", "提升"), ("substitution", "1", "建设"), ("deletion", "0", "職能")} <= by_text
    assert ("substitution", "0", "多層級") in by_text
    assert any(k == "substitution" and c == "1" and t.startswith("多") for k, c, t in by_text)


def test_headings_label_the_rows(page_001_002: str) -> None:
    labels = re.findall(r'<div class="label" title="([^"]*)">([^<]*)</div>', page_001_002)
    assert ("三（一）强化安全管理责任", "三（一）") in labels
    assert any(label == "一（二）1." for _, label in labels)


def test_page_is_self_contained_with_a_strict_policy(page_001_002: str) -> None:
    head = page_001_002[: page_001_002.index("</head>")]
    csp = html.unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head).group(1))  # type: ignore[union-attr]
    style = re.search(r"<style>(.*?)</style>", page_001_002, re.DOTALL).group(1)  # type: ignore[union-attr]
    script = re.search(r"<script>(.*?)</script>", page_001_002, re.DOTALL).group(1)  # type: ignore[union-attr]

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    assert "default-src 'none'" in csp and f"style-src {digest(style)}" in csp and f"script-src {digest(script)}" in csp
    assert "unsafe-inline" not in csp
    # nothing to fetch: no src attributes, no links out, no inline handlers
    assert not re.search(r"\ssrc=", page_001_002)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', page_001_002))
    assert not re.search(r"\son[a-z]+=", page_001_002)
    assert page_001_002.count("<script") == 2  # the JSON data block and the page's own script


def test_document_text_is_escaped(tmp_path: Path) -> None:
    payload = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> & </div>'
    base = tmp_path / "base.txt"
    base.write_text("关于加强数字政府建设的指导意见。\n\n各地区要抓好落实。\n", encoding="utf-8")
    witness = tmp_path / "witness.txt"
    witness.write_text(f"关于加强数字政府建设的指导意见。\n\n{payload}\n\n各地区要抓好落实。\n", encoding="utf-8")
    r = run(["review", str(base), str(witness), "-o", "page.html"], cwd=tmp_path)
    assert r.code == 0, r.err  # the page was written: review exits 0 unless --fail-on asks otherwise
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x onerror=&#34;window.__xss=2&#34;&gt; &amp; &lt;/div&gt;" in page
    assert "window.__xss=1</script>" not in page and "<img" not in page
    assert page.count("<script") == 2


def test_diff_format_html_is_the_one_witness_review(tmp_path: Path) -> None:
    r1 = run(["diff", str(VENDOR_001), str(COUNTY_002), "--format", "html", "-o", "a.html"], cwd=tmp_path)
    r2 = run(["review", str(VENDOR_001), str(COUNTY_002), "-o", "b.html"], cwd=tmp_path)
    assert (r1.code, r2.code) == (1, 0)  # diff judges; review writes a page, and judges only when asked
    r3 = run(["review", str(VENDOR_001), str(COUNTY_002), "--fail-on", "substantive", "-o", "d.html"], cwd=tmp_path)
    assert r3.code == 1 and (tmp_path / "d.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    a = (tmp_path / "a.html").read_bytes()
    assert a == (tmp_path / "b.html").read_bytes()
    run(["review", str(VENDOR_001), str(COUNTY_002), "-o", "c.html"], cwd=tmp_path)
    assert (tmp_path / "c.html").read_bytes() == a  # deterministic


def test_size_of_001_vs_002_under_1_mb(page_001_002: str) -> None:
    assert len(page_001_002.encode("utf-8")) < 1_000_000


def ten_witnesses(folder: Path) -> list[Path]:
    """Ten copies of the directive as they arrive: the vendor's and the county's, drifted and reformatted."""
    vendor = VENDOR_001.read_text(encoding="utf-8")
    county = COUNTY_002.read_text(encoding="utf-8")
    edits = [("多层次", "多层级"), ("数字政府", "数字化政府"), ("2025年", "2026年"), ("加强", "强化"), ("，", ","),
             ("履职能力建设", "履职能力提升"), ("。", "．"), ("安全", "安全可靠"), ("统筹", "统一"), ("政务", "政府")]
    out = []
    for k, (old, new) in enumerate(edits):
        text = (vendor if k % 2 else county).replace(old, new, 3)
        path = folder / f"copy-{k}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def test_ten_witnesses_under_5_mb(tmp_path: Path) -> None:
    paths = ten_witnesses(tmp_path)
    r = run(["review", str(VENDOR_001), *map(str, paths), "-o", "ten.html"], cwd=tmp_path)
    assert r.code == 0, r.err
    page = (tmp_path / "ten.html").read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) < 5_000_000
    for k in range(10):
        assert f'<div class="c w{k}">' in page and f'data-w="{k}"' in page


def test_html_witness_shows_its_text_not_its_tags(tmp_path: Path) -> None:
    base = read_document(str(VENDOR_001))
    witness = read_document(str(XINHUA_000))
    page = review_html(build_review(base, [diff_documents(base, witness)]))
    column = cells(page, "w0")
    assert "<a href" not in column and "新华社北京6月23日电" in column


@pytest.mark.parametrize(
    "args, message",
    [
        (["review", "missing.txt", "w.txt"], "no such file"),
        (["review", "w.txt", "missing.txt"], "no such file"),
        (["review", "w.txt", "*.pdf"], "no file matches"),
        (["review", "w.txt"], "review needs WITNESS"),
    ],
    ids=["missing-base", "missing-witness", "glob-nothing", "no-witness"],
)
def test_review_bad_input_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "w.txt").write_text("关于加强数字政府建设的指导意见。\n", encoding="utf-8")
    r = run(args, cwd=tmp_path)
    assert r.code == 2
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jiaokan: error:") and message in lines[0]


# ---------------------------------------------------------------- the row model, on the cases review found wrong


def row_text(cell) -> str:  # type: ignore[no-untyped-def]
    return "".join(p.text for p in cell.pieces)


def review_of(base: Path, *witnesses: Path):  # type: ignore[no-untyped-def]
    b = read_document(str(base))
    return build_review(b, [diff_documents(b, read_document(str(w))) for w in witnesses])


def test_a_summary_paragraph_sits_beside_its_source() -> None:
    review = review_of(VENDOR_001, XINHUA_000)
    (row,) = [r for r in review.rows if row_text(r.base).startswith("高(gāo)舉中國(guó)特色")]
    assert row.label == "一（二）1."
    assert not row.witnesses[0].gap and "《指导意见》要求，要高举中国特色社会主义伟大旗帜" in row_text(row.witnesses[0])


def test_one_witness_wrapper_does_not_hide_anothers_omission() -> None:
    review = review_of(VENDOR_001, COUNTY_002, XINHUA_000)
    (row,) = [r for r in review.rows if "發〔2022〕14号" in row_text(r.base)]
    assert not row.framing
    assert row.witnesses[0].gap == "omitted"  # the county copy drops the 文号
    (title,) = [r for r in review.rows if row_text(r.base).startswith("國(guó)務院關于加強數字政府建設")]
    assert not title.base.framing  # body text for the county copy, whatever the news page makes of it


def test_moved_paragraph(tmp_path: Path) -> None:
    paragraphs = COUNTY_002.read_text(encoding="utf-8").split("\n\n")
    k = next(i for i, p in enumerate(paragraphs) if p.startswith("(一) 强化安全管理责任"))
    moved = paragraphs[k + 1]
    rest = paragraphs[: k + 1] + paragraphs[k + 2 :]
    target = next(i for i, p in enumerate(rest) if p.startswith("(三) 营造良好数字生态"))
    rest.insert(target + 2, moved)  # after 七（三）'s text
    witness = tmp_path / "moved.txt"
    witness.write_text("\n\n".join(rest), encoding="utf-8")
    review = review_of(COUNTY_002, witness)
    (origin,) = [r for r in review.rows if row_text(r.base).startswith(moved[:12])]
    assert origin.witnesses[0].gap == "moved"
    (landing,) = [r for r in review.rows if moved[:12] in row_text(r.witnesses[0])]
    assert landing.label == "七（三）", landing.label  # beside the paragraph it follows
    page = review_html(review)
    link = re.search(r'<a class="m k-move sub w0 first" data-f="(\d+)" id="f\1-0" href="#f\1-1">', page)
    assert link and re.search(f'id="f{link.group(1)}-1"( data-t="1")? href="#f{link.group(1)}-0"', page)  # and back


def test_an_added_paragraph_and_its_caret_share_a_row(tmp_path: Path) -> None:
    text = COUNTY_002.read_text(encoding="utf-8")
    anchor = "(三) 提升安全保障能力"
    assert anchor in text
    witness = tmp_path / "added.txt"
    witness.write_text(text.replace(anchor, "各单位要结合本地实际抓好贯彻落实，确保各项任务落到实处。\n\n" + anchor), encoding="utf-8")
    review = review_of(COUNTY_002, witness)
    (row,) = [r for r in review.rows if "各单位要结合本地实际" in row_text(r.witnesses[0])]
    carets = [p for p in row.base.pieces if not p.text and p.marks]
    assert carets and review.findings[carets[0].marks[0]].kind == "insertion"


def test_crlf_copy_shows_as_the_lf_copy(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(COUNTY_002.read_bytes().replace(b"\n", b"\r\n"))
    plain = review_of(VENDOR_001, COUNTY_002)
    windows = review_of(VENDOR_001, crlf)
    assert [row_text(r.witnesses[0]).replace("\r", "") for r in windows.rows] == [row_text(r.witnesses[0]) for r in plain.rows]


def test_no_blank_points_in_the_witness_text(page_001_002: str) -> None:
    assert not re.search(r'class="m k-cosmetic[^"]* pt"', page_001_002)


def test_a_base_with_no_text_to_compare() -> None:
    """Found by fuzzing: a base that normalizes to nothing (a lone tag read as Markdown) crashed the row model."""
    from jiaokan import document_from_bytes

    base = document_from_bytes(b"<div>", path="base", format="markdown")
    witness = document_from_bytes("新华社北京6月23日电 国务院印发《关于加强数字政府建设的指导意见》\n".encode(), path="witness", format="markdown")
    review = build_review(base, [diff_documents(base, witness)])
    assert "".join(p.text for r in review.rows for p in r.witnesses[0].pieces).strip().startswith("新华社")
    assert "&lt;div&gt;" in review_html(review)


# ---------------------------------------------------------------- findings with parts: groups, runs, edited moves

def grouped_page() -> str:
    """001 vs 002 with its two substitutions made one group (as if the same change) and its two deletions a run."""
    import dataclasses

    from jiaokan.findings import Finding, Parts

    base, witness = read_document(str(VENDOR_001)), read_document(str(COUNTY_002))
    result = diff_documents(base, witness)
    subs = [f for f in result.findings if f.code == "wording-substitution"]
    dels = [f for f in result.findings if f.code == "wording-deletion"]
    group = dataclasses.replace(subs[0], message="the same change in 2 places", parts=tuple(subs), parts_kind=Parts.PLACES)
    run = Finding("renumbering", "structural", dels[0].base, dels[0].witness, "第一条至第二条依次改为第二条至第三条",
                  parts=tuple(dels), parts_kind=Parts.PLACES)
    rest = [f for f in result.findings if f.code not in ("wording-substitution", "wording-deletion")]
    return review_html(build_review(base, [dataclasses.replace(result, findings=[group, run, *rest])]))


def test_every_place_of_a_group_is_marked_and_the_list_shows_it_once() -> None:
    page = grouped_page()
    # both places of the group are marked in both columns, as substitutions; the run's places as renumbering
    for word in ("提升", "建设", "多層級"):  # as the originals read (the vendor copy is traditional)
        assert re.search(rf'<i class="m k-substitution sub w0 first"[^>]*>{word}</i>', page), word
    assert len(re.findall(r'class="m k-renumbering str w0 first"', page)) >= 2
    # the findings list: the group is one entry that opens to its two places, linked to their marks
    listing = page[page.index('<details class="findings"'):page.index("</details>\n<div class=\"legend\"")]
    entry = re.search(r'<li class="k-substitution sub"><details class="parts"><summary>(.*?)</summary><ol>(.*?)</ol></details></li>', listing)
    assert entry and "×2" in entry.group(1) and "the same change in 2 places" in entry.group(1)
    links = re.findall(r'<li><a href="#(f\d+-\d)">wording-substitution</a>', entry.group(2))
    assert len(links) == 2 and all(f'id="{link}"' in page for link in links)
    assert '<li class="k-renumbering str"><details class="parts"><summary><span class="code">renumbering</span> <b>×2</b> <span class="sev">structural</span>' in listing
    assert listing.count("metadata-omission") == 2  # a finding without parts is one entry


def test_the_new_controls_are_labelled_and_print_is_a4_landscape(page_001_002: str) -> None:
    assert re.search(r'<label title="[^"]+"><input type="checkbox" id="sync" checked> scroll columns together</label>', page_001_002)
    assert re.search(r'<button id="csv" type="button" title="[^"]+">findings as CSV</button>', page_001_002)
    style = re.search(r"<style>(.*?)</style>", page_001_002, re.DOTALL).group(1)  # type: ignore[union-attr]
    assert "@page { size: A4 landscape;" in style and "display: table-header-group" in style and "break-inside: avoid" in style
