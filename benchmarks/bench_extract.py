"""Benchmark: which main-content extractor finds the body of a Chinese government or news page (run by hand).

    python benchmarks/bench_extract.py [--out docs/extract.md] [--write-pages tests/data/pages]

Pages:
- real saved pages (tests/data/pages/real-*.html, sources and licences in tests/data/README.md), each body marked by
  hand as its first and last paragraph (and the chrome inside it to leave out);
- pages built here in the style of Chinese government CMS templates (gov.cn's ``.pages_content#UCAP-CONTENT``,
  TRS ``.TRS_Editor`` in a table layout, ``#zoom`` with a sidebar of news abstracts, a news portal's article with
  related items and comments), around real document texts (samples/ 001 and 002, the Liaoning reply letter, two
  regulations of benchmarks/realdata): navigation, breadcrumb, 【字体：大 中 小】, 打印本页, share buttons,
  责任编辑, related links, footer with an ICP number.

Each candidate's output text is placed on the page by ``jiaokan.extract.place`` (the alignment jiaokan uses), and
scored by position: body-character recall and precision, counting the page's non-space characters (markup out)
inside the known body and inside the placed output.  A second, placement-free score counts characters as a
multiset (output vs known body), so a candidate is not judged by jiaokan's placement alone.  Finally, for the built
pages, ``jiaokan diff BARE PAGE`` with the chosen extractor: its substantive findings (0 is the target).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jiaokan import document_from_text, read_document  # noqa: E402
from jiaokan.diff import diff_documents  # noqa: E402
from jiaokan.extract import BRIDGE, place  # noqa: E402
from jiaokan.ingest import Document  # noqa: E402
from jiaokan.markup import html_text  # noqa: E402

PAGES = ROOT / "tests" / "data" / "pages"


# ---------------------------------------------------------------- the pages


@dataclass(frozen=True)
class Page:
    name: str
    kind: str  # real | built
    html: str
    first: str  # the body's first paragraph contains this
    last: str  # ... and its last
    drop: tuple[str, ...] = ()  # regular expressions: paragraphs inside the body that are chrome
    bare: str | None = None  # the document as bare text (built pages)


REAL = {  # name: (first, last, drop)
    "real-shanxi-gov": ("图为山西品牌丝路行", "（张巨峰）", ()),
    "real-zhejiang-fgw": ("1-10月，全县固定资产投资", "1-10月，全县固定资产投资", ()),
    "real-sxmu-law": ("《中华人民共和国监察法》是为了", "第六十九条", ()),
    "real-cjn-news": ("长江网10月4日讯", "世界银行周一预测", ()),
    "real-xinhuanet-news": ("新华社巴黎12月9日电", "总理菲利普将于11日", ()),
    "real-people-news": ("父亲的教诲像一盏灯", "他与普通父亲并没有差别", ()),
    "real-zsnews-news": ("2019年2月27日下午", "下一步，我区将", ()),
}

SIDEBAR_PROSE = [
    "市政府召开常务会议，研究部署优化营商环境、稳定经济增长等工作，会议强调要持续深化“放管服”改革，进一步提升政务服务效能。",
    "近日，市发展改革委组织开展重点项目集中开工活动，共有四十余个项目开工建设，总投资超过二百亿元，涵盖先进制造、城市更新等领域。",
    "为做好汛期安全防范工作，市应急管理局部署开展安全隐患大排查，要求各区压实责任，确保人民群众生命财产安全。",
]
RELATED = [
    "国务院办公厅关于印发全国一体化政务服务平台移动端建设指南的通知",
    "国务院关于加快推进政务服务标准化规范化便利化的指导意见",
    "国务院办公厅关于加快推进“一件事一次办”打造政务服务升级版的指导意见",
    "国务院办公厅关于建立健全政务数据共享协调机制加快推进数据有序共享的意见",
]
COMMENTS = ["这个文件很重要，要认真学习领会，抓好贯彻落实！", "基层政务服务还有很多短板，希望早日见到实效。"]


def paragraphs_html(body: list[str]) -> str:
    return "\n".join(f'<p style="text-indent: 2em;">{html.escape(p)}</p>' for p in body)


def links(items: list[str]) -> str:
    return "".join(f'<li><a href="/zhengce/{k}.htm" target="_blank">{html.escape(t)}</a></li>' for k, t in enumerate(items))


def footer(site: str, icp: str) -> str:
    return (f'<div class="footer"><p><a>关于本网</a> | <a>网站声明</a> | <a>网站地图</a> | <a>联系我们</a></p>'
            f"<p>主办单位：{site}　版权所有：{site}</p><p>网站标识码：bm00000000　{icp}　公网安备 00000000000000号</p></div>")


def template_govcn(title: str, body: list[str]) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_国务院文件_中国政府网</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2022-06-23 16:00">
<link rel="canonical" href="https://www.gov.cn/zhengce/content/2022-06/23/content_0000000.htm">
<script>var _hmt = _hmt || []; function share(){{return false;}}</script><style>.pages_content p{{line-height:2}}</style></head>
<body>
<div class="header"><div class="topbar"><a href="/">首页</a> | <a>简</a> | <a>繁</a> | <a>EN</a> | <a>登录</a> | <a>个人中心</a> | <a>邮箱</a> | <a>无障碍</a></div>
<ul class="nav"><li><a>首页</a></li><li><a>简政</a></li><li><a>国务院</a></li><li><a>总理</a></li><li><a>新闻</a></li>
<li><a>政策</a></li><li><a>互动</a></li><li><a>服务</a></li><li><a>数据</a></li><li><a>国情</a></li></ul></div>
<div class="BreadcrumbNav"><a href="/">首页</a> &gt; <a>政策</a> &gt; <a>国务院文件</a> &gt; <a>国务院文件</a></div>
<div class="article oneColumn pub_border">
<h1>{html.escape(title)}</h1>
<div class="pages-date">2022-06-23 16:00　来源： 中国政府网
<div class="pages_print"><span class="font">【字体：<a>大</a> <a>中</a> <a>小</a>】</span><a onclick="window.print()">打印本页</a></div></div>
<div class="share">分享到：<a title="微信">微信</a><a title="微博">微博</a><a title="QQ空间">QQ空间</a></div>
<div class="pages_content" id="UCAP-CONTENT">
{paragraphs_html(body)}
</div>
<div class="editor">【我要纠错】 责任编辑：王小明</div>
<div class="related"><h3>相关稿件</h3><ul>{links(RELATED)}</ul></div>
</div>
{footer("国务院办公厅", "京ICP备00000000号")}
</body></html>
"""


def template_trs(title: str, body: list[str]) -> str:
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{title}-某某省人民政府门户网站</title></head>
<body><table width="1000" align="center"><tr><td colspan="2"><img src="/images/banner.jpg"><div class="nav"><a>首页</a> <a>政务公开</a> <a>政务服务</a> <a>互动交流</a> <a>走进某省</a></div></td></tr>
<tr><td width="260" valign="top" class="left">
<div class="lm"><h3>最新文件</h3><ul>{links(RELATED[:3])}</ul></div>
<div class="lm"><h3>相关链接</h3><ul><li><a>中国政府网</a></li><li><a>国务院部门网站</a></li><li><a>各省区市政府网站</a></li></ul></div>
</td><td valign="top">
<div class="position">当前位置：<a>首页</a> &gt;&gt; <a>政务公开</a> &gt;&gt; <a>文件通知</a></div>
<table class="xxgk"><tr><td>索引号：000000000/2022-00001</td><td>发布机构：某某省人民政府办公厅</td></tr><tr><td>发文日期：2022年06月23日</td><td>主题分类：综合政务</td></tr></table>
<div class="title">{html.escape(title)}</div>
<div class="TRS_Editor"><style>.TRS_Editor P{{margin-top:0;font-size:12pt}}</style>
{paragraphs_html(body)}
</div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</td></tr></table>
{footer("某某省人民政府办公厅", "某ICP备00000000号")}
</body></html>
"""


def template_zoom(title: str, body: list[str]) -> str:
    news = "".join(f'<li><a>{t[:18]}</a><p class="summary">{t}</p></li>' for t in SIDEBAR_PROSE)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta name="keywords" content="政策文件"></head><body>
<header><div class="logo">某某市人民政府</div><nav><a>首页</a><a>要闻动态</a><a>政务公开</a><a>办事服务</a><a>政民互动</a></nav></header>
<div class="crumb">您的位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>政策文件</a> &gt; 正文</div>
<div class="main clearfix"><div class="article-content">
<h2 class="article-title">{html.escape(title)}</h2>
<div class="info">发布时间：2022-06-24　来源：市政府办公室　浏览次数：1024　<span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div id="zoom" class="view">
{paragraphs_html(body)}
</div>
<div class="print"><a>【打印本页】</a> <a>【关闭窗口】</a> <a>【收藏】</a></div>
</div>
<aside class="side"><h3>热点关注</h3><ul>{news}</ul><h3>专题专栏</h3><ul>{links(RELATED[1:])}</ul></aside></div>
{footer("某某市人民政府办公室", "某ICP备11111111号-1")}
</body></html>
"""


def template_news(title: str, body: list[str]) -> str:
    comments = "".join(f'<div class="comment"><span class="user">网友{k}</span><p>{c}</p></div>' for k, c in enumerate(COMMENTS))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_新闻中心_某某网</title>
<meta property="og:url" content="https://news.example.cn/2022/0624/c1001-000000.html"></head><body>
<div class="top"><a>网站首页</a> <a>时政</a> <a>国际</a> <a>财经</a> <a>社会</a> <a>文化</a> <a>视频</a></div>
<div class="w1000"><div class="col-left">
<div class="route"><a>某某网</a> &gt;&gt; <a>时政</a></div>
<article>
<h1>{html.escape(title)}</h1>
<div class="box01"><div class="fl">2022年06月24日08:30 | 来源：<a>新华社</a></div><div class="fr">分享到：<a>微信</a> <a>微博</a></div></div>
<div class="rm_txt_con">
{paragraphs_html(body)}
</div>
<div class="edit">(责编：李小红、张小刚)</div>
</article>
<div class="relnews"><h3>相关新闻</h3><ul>{links(RELATED)}</ul></div>
<div class="comments"><h3>网友评论</h3>{comments}</div>
</div><div class="col-right"><h3>热点推荐</h3><ul>{"".join(f"<li><a>{t}</a></li>" for t in SIDEBAR_PROSE)}</ul></div></div>
{footer("某某网", "京ICP证000000号")}
</body></html>
"""


TEMPLATES: dict[str, Callable[[str, list[str]], str]] = {
    "govcn": template_govcn, "trs": template_trs, "zoom": template_zoom, "news": template_news,
}


def blocks(text: str) -> list[str]:
    return [re.sub(r"\s*\n\s*", "", b).strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def bodies() -> dict[str, tuple[str, list[str], str]]:
    """name: (title, body paragraphs, the bare text the body came from)."""
    out: dict[str, tuple[str, list[str], str]] = {}
    vendor = (ROOT / "samples" / "directive-vendor-reprint-001.txt").read_text(encoding="utf-8")
    paras = blocks(vendor)
    start = next(k for k, p in enumerate(paras) if p.startswith("國(guó)發〔2022〕14号"))
    end = next(k for k, p in enumerate(paras) if p.startswith("2022年(nián)6月6日"))
    out["001"] = ("國(guó)務院關于加強數字政府建設的(de)指導意見", paras[start:end + 1], vendor)
    county = (ROOT / "samples" / "directive-county-forward-002.txt").read_text(encoding="utf-8")
    out["002"] = ("舞阳县工业和信息化局关于转发《国务院关于加强数字政府建设的指导意见》的通知", blocks(county)[1:], county)
    letter = (ROOT / "tests" / "data" / "documents" / "liaoning-reply-letter.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in letter.splitlines() if line.strip()]
    out["liaoning"] = (lines[0], lines[1:], letter)
    for key, name in (("reg01", "01-互联网上网服务营业场所管理条例-2022-03-29.md"), ("reg04", "04-船员条例-2023-07-20.md")):
        md = (ROOT / "benchmarks" / "realdata" / name).read_text(encoding="utf-8")
        md_paras = [re.sub(r"^#+\s*", "", p) for p in blocks(md) if not p.startswith("<!--")]
        out[key] = (md_paras[0], md_paras[1:], md)
    return out


def built_pages() -> list[Page]:
    pages = []
    for key, (title, body, bare) in bodies().items():
        for tname, template in TEMPLATES.items():
            pages.append(Page(f"built-{tname}-{key}", "built", template(title, body), body[0][:12], body[-1][:12], bare=bare))
    return pages


def real_pages() -> list[Page]:
    out = []
    for name, (first, last, drop) in REAL.items():
        path = PAGES / f"{name}.html"
        out.append(Page(name, "real", read_document(path).text, first, last, drop))
    return out


# ---------------------------------------------------------------- candidates


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def _html_pieces(markup: str) -> list[str]:
    return [p for p in html_text(markup, 0, len(markup)).text.split("\n\n") if p.strip()]


def trafilatura_with(**options: bool) -> Callable[[str], list[str]]:
    def run(page: str) -> list[str]:
        import trafilatura

        return _lines(trafilatura.extract(page, include_comments=False, include_tables=True, deduplicate=False, **options))

    return run


def readability(page: str) -> list[str]:
    from readability import Document as Readable

    return _html_pieces(Readable(page).summary(html_partial=True))


def justext_(page: str) -> list[str]:
    import justext

    # no Chinese stoplist ships with jusText: with none, it judges by length and link density alone
    paras = justext.justext(page.encode("utf-8"), frozenset(), stopwords_low=0, stopwords_high=0, encoding="utf-8")
    return [p.text for p in paras if not p.is_boilerplate]


def goose(page: str) -> list[str]:
    from goose3 import Goose
    from goose3.text import StopWordsChinese

    with Goose({"stopwords_class": StopWordsChinese, "enable_image_fetching": False}) as g:
        return _lines(g.extract(raw_html=page).cleaned_text)


def boilerpy(page: str) -> list[str]:
    from boilerpy3 import extractors

    return _lines(extractors.ArticleExtractor(raise_on_failure=False).get_content(page))


CANDIDATES: dict[str, Callable[[str], list[str]]] = {
    "trafilatura (favor_recall)": trafilatura_with(favor_recall=True),
    "trafilatura (default)": trafilatura_with(),
    "trafilatura (favor_precision)": trafilatura_with(favor_precision=True),
    "readability-lxml": readability,
    "jusText (no stoplist)": justext_,
    "goose3 (StopWordsChinese)": goose,
    "boilerpy3 ArticleExtractor": boilerpy,
}
CHOSEN = "readability-lxml"


# ---------------------------------------------------------------- scoring


def truth_mask(page: Page, doc: Document) -> tuple[str, list[bool]]:
    """The page's plain text (markup out) and, per character, is it body."""
    plain = html_text(doc.text, doc.body_start, len(doc.text))
    text = plain.text
    mask = [False] * len(text)
    pos = 0
    spans = []
    for para in text.split("\n\n"):
        spans.append((pos, pos + len(para), para))
        pos += len(para) + 2
    flat = lambda p: re.sub(r"\s+", "", p)  # noqa: E731
    first = next(k for k, (_, _, p) in enumerate(spans) if flat(page.first) in flat(p))
    last = max(k for k, (_, _, p) in enumerate(spans) if flat(page.last) in flat(p))
    for s, e, p in spans[first:last + 1]:
        if any(re.search(d, p.strip()) for d in page.drop):
            continue
        mask[s:e] = [True] * (e - s)
    return text, mask


def score(page: Page, pieces: list[str]) -> dict[str, float]:
    doc = document_from_text(page.html, path=f"{page.name}.html")
    plain = html_text(doc.text, doc.body_start, len(doc.text))
    text, truth = truth_mask(page, doc)
    ranges = place(plain, pieces, bridge=BRIDGE)
    predicted = [any(s <= plain.starts[k] < e for s, e in ranges) for k in range(len(text))] if ranges else [False] * len(text)
    tp = sum(1 for k, ch in enumerate(text) if not ch.isspace() and truth[k] and predicted[k])
    t = sum(1 for k, ch in enumerate(text) if not ch.isspace() and truth[k])
    p = sum(1 for k, ch in enumerate(text) if not ch.isspace() and predicted[k])
    body_chars = Counter(ch for k, ch in enumerate(text) if truth[k] and not ch.isspace())
    out_chars = Counter(ch for piece in pieces for ch in piece if not ch.isspace())
    overlap = sum((body_chars & out_chars).values())
    return {
        "tp": tp, "truth": t, "pred": p,
        "ctp": overlap, "ctruth": sum(body_chars.values()), "cpred": sum(out_chars.values()),
    }


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "—"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path)
    ap.add_argument("--write-pages", type=Path, help="write two built pages (govcn-001, trs-002) here, for the tests")
    args = ap.parse_args()
    pages = real_pages() + built_pages()
    if args.write_pages:
        for page in pages:
            if page.name in ("built-govcn-001", "built-trs-002", "built-zoom-liaoning"):
                (args.write_pages / f"{page.name.removeprefix('built-')}.html").write_text(page.html, encoding="utf-8")
    rows: dict[str, dict[str, dict[str, float]]] = {}
    seconds: dict[str, float] = {}
    for name, run in CANDIDATES.items():
        rows[name] = {}
        start = time.perf_counter()
        for page in pages:
            try:
                pieces = run(page.html)
            except Exception as exc:  # noqa: BLE001  (a candidate that fails on a page scores 0 there)
                print(f"{name} on {page.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                pieces = []
            rows[name][page.name] = score(page, pieces)
        seconds[name] = time.perf_counter() - start
        print(f"{name}: {seconds[name]:.1f}s", file=sys.stderr)
    lines = ["| candidate | pages | recall | precision | F1 | char recall | char precision | seconds |", "|---|---|---|---|---|---|---|---|"]
    for name, by_page in rows.items():
        for kind in ("real", "built", "all"):
            sel = [s for p, s in by_page.items() if kind == "all" or p.startswith(kind)]
            tp, t, pr = (sum(s[k] for s in sel) for k in ("tp", "truth", "pred"))
            ctp, ct, cp = (sum(s[k] for s in sel) for k in ("ctp", "ctruth", "cpred"))
            r, p = tp / t if t else 0, tp / pr if pr else 0
            f1 = 2 * r * p / (r + p) if r + p else 0
            lines.append(f"| {name} | {kind} ({len(sel)}) | {r:.3f} | {p:.3f} | {f1:.3f} | {ratio(ctp, ct)} | {ratio(ctp, cp)} | "
                         f"{seconds[name]:.1f} |" if kind == "all" else
                         f"| {name} | {kind} ({len(sel)}) | {r:.3f} | {p:.3f} | {f1:.3f} | {ratio(ctp, ct)} | {ratio(ctp, cp)} | |")
    per_page = ["| page | " + " | ".join(CANDIDATES) + " |", "|---|" + "---|" * len(CANDIDATES)]
    for page in pages:
        cells = []
        for name in CANDIDATES:
            s = rows[name][page.name]
            cells.append(f"{ratio(s['tp'], s['truth'])} / {ratio(s['tp'], s['pred'])}")
        per_page.append(f"| {page.name} | " + " | ".join(cells) + " |")
    diffs = ["| built page | body paragraphs set aside | chrome paragraphs compared | substantive (bare → page) | substantive (page → bare) | framing findings | paragraphs set aside |",
             "|---|---|---|---|---|---|---|"]
    for page in pages:
        if page.bare is None:
            continue
        bare = document_from_text(page.bare, path=f"{page.name}.txt", format="markdown" if "-reg" in page.name else None)
        web = document_from_text(page.html, path=f"{page.name}.html")
        result = diff_documents(bare, web)
        back = diff_documents(web, bare)
        seg = result.witness_seg
        assert seg is not None
        _, truth = truth_mask(page, web)
        plain_starts = html_text(web.text, web.body_start, len(web.text)).starts
        body_at = {plain_starts[k] for k, b in enumerate(truth) if b}
        lost = sum(1 for lo, hi in seg.set_aside if seg.normalized.mapped.starts[lo] in body_at)
        kept = sum(1 for para in seg.paragraphs if seg.normalized.mapped.starts[seg.positions[para.start]] not in body_at)
        s = result.summary
        diffs.append(f"| {page.name} | {lost} | {kept} | {s.substantive} | {back.summary.substantive} | {s.framing} | {s.set_aside} |")
    report = "\n".join([
        "Totals (recall / precision by position, through jiaokan's placement; char = multiset of characters, no placement):", "",
        *lines, "", "Per page (recall / precision by position):", "", *per_page, "",
        f"`jiaokan diff BARE PAGE` with {CHOSEN} (the settings' default: no site profile):", "", *diffs, "",
    ])
    print(report)
    if args.out:
        text = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        marker = "<!-- bench_extract output -->"
        head = text.split(marker)[0] if marker in text else text
        args.out.write_text(head + marker + "\n\n" + report, encoding="utf-8")


if __name__ == "__main__":
    main()
