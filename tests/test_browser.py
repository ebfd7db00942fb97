"""The review page in a real browser: Debian's headless Chromium, driven by selenium through chromedriver.

`.ci/run` installs `chromium` and `chromium-driver` when missing and sets
JIAOKAN_REQUIRE_BROWSER=1, so there these tests cannot be skipped; elsewhere
they skip when the browser is not installed.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .cli import run
from .conftest import COUNTY_002, VENDOR_001

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    if os.environ.get("JIAOKAN_REQUIRE_BROWSER"):
        raise RuntimeError(f"the browser tests need {CHROMIUM} and {CHROMEDRIVER}: apt-get install chromium chromium-driver")
    pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def review(tmp_path: Path, base: Path, *witnesses: Path, name: str = "review.html") -> Path:
    out = tmp_path / name
    r = run(["review", str(base), *map(str, witnesses), "-o", str(out)])
    assert r.code in (0, 1), r.err
    return out


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not try to download a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--window-size=1400,1000",
                f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: webdriver.Chrome, page: Path) -> None:
    driver.get("about:blank")  # leave the browser's own start-up page, which may still be loading when the report came fast,
    driver.get_log("performance")  # and drop what it asked for
    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.ready"))


def requests(driver: webdriver.Chrome) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver: webdriver.Chrome) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def drift(driver: webdriver.Chrome, el) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    code = driver.execute_script(
        "var d = JSON.parse(document.getElementById('jiaokan-data').textContent); return d.codes[d.findings[arguments[0]][0]][0]",
        int(el.get_attribute("data-f")),
    )
    return code, el.text


def test_review_of_001_vs_002(browser: webdriver.Chrome, tmp_path: Path) -> None:
    page = review(tmp_path, VENDOR_001, COUNTY_002)
    open_page(browser, page)
    # the four substantive drifts are highlighted elements
    targets = browser.find_elements(By.CSS_SELECTOR, ".m.sub[data-t]")
    found = [drift(browser, el) for el in targets]
    wording = [(code, text) for code, text in found if code.startswith("wording-")]
    assert [code for code, _ in wording] == ["wording-deletion", "wording-substitution", "wording-substitution", "wording-deletion"]
    assert wording[0][1] == "支撐" and wording[1][1] == "建设" and wording[2][1].replace("\n", "").startswith("多") and wording[3][1] == "職能"
    for el in targets:
        background = el.value_of_css_property("background-color")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    # n moves to the next drift, p back
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("n")
    assert browser.find_element(By.ID, "pos").text == f"1 / {len(targets)}"
    first = browser.find_element(By.CSS_SELECTOR, ".m.current")
    body.send_keys("n")
    second = browser.find_element(By.CSS_SELECTOR, ".m.current")
    assert browser.find_element(By.ID, "pos").text == f"2 / {len(targets)}"
    assert second.get_attribute("data-f") != first.get_attribute("data-f")
    assert second.get_attribute("data-f") == targets[1].get_attribute("data-f")
    body.send_keys("p")
    assert browser.find_element(By.CSS_SELECTOR, ".m.current").get_attribute("data-f") == first.get_attribute("data-f")
    # hovering a finding shows its code and both original locations
    substitution = targets[found.index(wording[1])]
    ActionChains(browser).move_to_element(substitution).perform()
    title = substitution.get_attribute("title")
    assert title.startswith("wording-substitution (substantive)"), title
    assert "directive-vendor-reprint-001.txt:27:226" in title and "directive-county-forward-002.txt:35:166" in title
    # the cosmetic filter hides the cosmetic marks
    cosmetic = browser.find_elements(By.CSS_SELECTOR, ".m.cos")[100]
    assert "underline" in cosmetic.value_of_css_property("text-decoration-line")
    browser.find_element(By.ID, "show-cosmetic").click()
    assert cosmetic.value_of_css_property("text-decoration-line") == "none"
    # the framing filter hides the collapsed wrapper blocks
    framing = browser.find_elements(By.CSS_SELECTOR, "details.framing")
    assert framing and all(block.is_displayed() for block in framing)
    browser.find_element(By.ID, "show-framing").click()
    assert not any(block.is_displayed() for block in framing)
    # the overview strip: one tick per drift, clicking one goes there
    ticks = browser.find_elements(By.CSS_SELECTOR, "#overview button")
    assert len(ticks) == len(targets)
    ticks[3].click()
    assert browser.find_element(By.ID, "pos").text == f"4 / {len(targets)}"
    browser.save_screenshot(str(tmp_path / "review-001-002.png"))
    assert (tmp_path / "review-001-002.png").stat().st_size > 10_000
    assert console_errors(browser) == []
    assert [u for u in requests(browser) if not u.startswith("file://")] == []


def test_witness_text_cannot_run(browser: webdriver.Chrome, tmp_path: Path) -> None:
    base = tmp_path / "base.txt"
    base.write_text("关于加强数字政府建设的指导意见。\n\n各地区要抓好落实。\n", encoding="utf-8")
    text_witness = tmp_path / "witness.txt"
    payload = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
    text_witness.write_text(f"关于加强数字政府建设的指导意见。\n\n{payload}\n\n各地区要抓好落实。\n", encoding="utf-8")
    html_witness = tmp_path / "witness.html"
    html_witness.write_text(
        '<html><body><p>关于加强数字政府建设的指导意见。</p><img src="x" onerror="window.__xss=3"><script>window.__xss=4</script>'
        "<p>各地区要抓好落实。&lt;script&gt;window.__xss=5&lt;/script&gt;</p></body></html>",
        encoding="utf-8",
    )
    page = review(tmp_path, base, text_witness, html_witness)
    open_page(browser, page)
    assert browser.execute_script("return window.__xss") is None
    text = browser.find_element(By.TAG_NAME, "main").text
    assert payload in text  # shown as text
    assert "<script>window.__xss=5</script>" in text  # the HTML page's escaped text, as that page shows it
    assert console_errors(browser) == []
    assert [u for u in requests(browser) if not u.startswith("file://")] == []


def test_choosing_witnesses(browser: webdriver.Chrome, tmp_path: Path) -> None:
    drifted = tmp_path / "drifted.txt"
    drifted.write_text(COUNTY_002.read_text(encoding="utf-8").replace("多层次", "多层级"), encoding="utf-8")
    page = review(tmp_path, COUNTY_002, VENDOR_001, drifted)
    open_page(browser, page)
    total = len(browser.find_elements(By.CSS_SELECTOR, ".m.sub[data-t]"))
    assert browser.find_element(By.ID, "pos").text == f"0 / {total}"
    column = browser.find_elements(By.CSS_SELECTOR, "main > .row .c.w1")  # rows not collapsed as framing
    assert len(column) > 50 and all(c.is_displayed() for c in column[:5])
    browser.find_element(By.CSS_SELECTOR, 'input.show-w[data-w="1"]').click()
    assert not any(c.is_displayed() for c in column[:5])
    remaining = int(browser.find_element(By.ID, "pos").text.split("/")[1])
    assert 0 < remaining < total  # the hidden witness's drifts are out of n/p
    assert console_errors(browser) == []


def test_navigation_follows_the_document(browser: webdriver.Chrome, tmp_path: Path) -> None:
    from .conftest import XINHUA_000

    page = review(tmp_path, VENDOR_001, XINHUA_000)  # a summary: omissions on the base side, additions on the witness side
    open_page(browser, page)
    total = int(browser.find_element(By.ID, "pos").text.split("/")[1])
    assert total > 15  # its omitted passages are units now (8 paragraphs one omission), still many drifts
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("p")  # from the start, p goes to the last drift
    assert browser.find_element(By.ID, "pos").text == f"{total} / {total}"
    browser.find_element(By.ID, "show-cosmetic").click()  # focus is now on a checkbox: keys still work
    seen, tops = [], []
    for _ in range(total):
        browser.switch_to.active_element.send_keys("N")
        el = browser.find_element(By.CSS_SELECTOR, ".m.current")
        seen.append(el.get_attribute("data-f"))
        tops.append(browser.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.top + window.scrollY, r.left]", el))
    assert len(set(seen)) == total  # every drift once
    assert tops == sorted(tops)  # down the page, left to right within a line
    assert console_errors(browser) == []


def test_a_group_opens_to_its_places_and_each_link_shows_its_mark(browser: webdriver.Chrome, tmp_path: Path) -> None:
    from .test_review import grouped_page

    page = tmp_path / "grouped.html"
    page.write_text(grouped_page(), encoding="utf-8")
    open_page(browser, page)
    assert console_errors(browser) == []
    browser.find_element(By.CSS_SELECTOR, "details.findings > summary").click()
    group = browser.find_element(By.CSS_SELECTOR, "details.findings li.k-substitution details.parts")
    places = group.find_elements(By.CSS_SELECTOR, "ol > li > a")
    assert not places[0].is_displayed()  # one entry until opened
    group.find_element(By.CSS_SELECTOR, "summary").click()
    assert len(places) == 2 and all(p.is_displayed() for p in places)
    places[1].click()
    current = browser.find_element(By.CSS_SELECTOR, ".m.current")
    assert current.get_attribute("id") == places[1].get_attribute("href").split("#")[1]
    assert drift(browser, current)[0] == "wording-substitution"
    # the run's places are drawn in the renumbering style, and the structural filter turns them off
    run = browser.find_elements(By.CSS_SELECTOR, ".m.k-renumbering")
    assert run and run[0].value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    browser.find_element(By.ID, "show-structural").click()
    assert run[0].value_of_css_property("background-color") == "rgba(0, 0, 0, 0)"


def test_embedded_data_cannot_close_its_script(browser: webdriver.Chrome, tmp_path: Path) -> None:
    """Issue 15: `</script>`, `<!--`, `<script>`, U+2028/U+2029 in a witness stay inside the page's JSON."""
    base = tmp_path / "base.txt"
    base.write_text("关于加强数字政府建设的指导意见。\n\n各地区要抓好落实。\n", encoding="utf-8")
    witness = tmp_path / "witness.txt"
    payload = "</script><script>window.__xss=6</script><!--<script>window.__xss=7</script>\u2028\u2029"
    witness.write_text(f"关于加强数字政府建设的指导意见。{payload}\n\n各地区要抓好落实。\n", encoding="utf-8")
    page = review(tmp_path, base, witness)
    open_page(browser, page)
    assert browser.execute_script("return window.__xss") is None
    messages = browser.execute_script("return JSON.parse(document.getElementById('jiaokan-data').textContent).findings.map(f => f[f.length - 1]).join(' ')")
    assert "</script>" in messages or "<!--" in messages
    assert console_errors(browser) == []


def cell_tops(driver: webdriver.Chrome, row: int) -> list[float]:
    """The viewport top of each column's cell of one aligned row (the page's own row index)."""
    return driver.execute_script(  # type: ignore[no-any-return]
        "var cells = Array.prototype.filter.call(document.querySelectorAll('.c'), function (c) { return c.jkRow === arguments[0]; }, null);"
        "return cells.map(function (c) { return c.getBoundingClientRect().top; });".replace("arguments[0]", str(row))
    )


def test_scroll_sync_toggle(browser: webdriver.Chrome, tmp_path: Path) -> None:
    page = review(tmp_path, VENDOR_001, COUNTY_002)
    open_page(browser, page)
    box = browser.find_element(By.ID, "sync")
    assert box.is_selected()  # on by default: rows side by side, one scroll
    shown = browser.execute_script(  # the indices of the rows drawn open (not in a collapsed framing block)
        "var out = []; document.querySelectorAll('main .row:not(.head)').forEach(function (r, k) { if (r.offsetHeight) out.push(k); }); return out")
    row, later = shown[40], shown[len(shown) // 2]
    browser.execute_script("var c = document.querySelectorAll('main .row:not(.head)')[arguments[0]]; window.scrollTo(0, c.getBoundingClientRect().top + scrollY - 100)", row)
    tops = cell_tops(browser, row)
    assert len(tops) == 2 and abs(tops[0] - tops[1]) < 1 and 0 < tops[0] < 400
    # off (from the keyboard): each column scrolls alone
    box.send_keys(" ")
    assert not box.is_selected()
    panes = browser.find_elements(By.CSS_SELECTOR, ".panes > .pane")
    assert len(panes) == 2 and all(p.get_attribute("aria-label") for p in panes)
    assert browser.find_elements(By.CSS_SELECTOR, "main .row:not(.head)")[row].is_displayed() is False
    base_scroll = browser.execute_script("return arguments[0].scrollTop", panes[0])
    browser.execute_script("var p = arguments[0]; p.scrollTop = p.children[arguments[1] + 1].offsetTop - p.firstChild.offsetHeight;"
                           "p.dispatchEvent(new Event('scroll'))", panes[1], later)
    pane_top = browser.execute_script("return arguments[0].firstChild.getBoundingClientRect().bottom", panes[1])
    assert abs(cell_tops(browser, later)[1] - pane_top) < 2  # the witness's pane shows that row at its top
    assert browser.execute_script("return arguments[0].scrollTop", panes[0]) == base_scroll  # the base did not follow
    tops = cell_tops(browser, later)
    assert abs(tops[0] - tops[1]) > 100  # not aligned now
    # on again: every column at the row of the pane last scrolled
    browser.find_element(By.ID, "sync").click()
    assert not browser.find_elements(By.CSS_SELECTOR, ".panes")
    tops = cell_tops(browser, later)
    header = browser.execute_script("return document.querySelector('.row.head').getBoundingClientRect().bottom")
    assert abs(tops[0] - tops[1]) < 1 and abs(tops[0] - header) < 5, (tops, header)
    # remembered across a reload (localStorage: file:// pages have it in Chromium)
    browser.find_element(By.ID, "sync").click()
    open_page(browser, page)
    assert not browser.find_element(By.ID, "sync").is_selected() and browser.find_elements(By.CSS_SELECTOR, ".panes > .pane")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("n")  # navigation works in the panes too
    assert browser.find_element(By.ID, "pos").text.startswith("1 / ")
    assert browser.find_element(By.CSS_SELECTOR, ".m.current").is_displayed()
    assert console_errors(browser) == []


def test_print_to_pdf_a4_landscape_columns_side_by_side(browser: webdriver.Chrome, tmp_path: Path) -> None:
    import pypdfium2
    from selenium.webdriver.common.print_page_options import PrintOptions

    page = review(tmp_path, VENDOR_001, COUNTY_002)
    open_page(browser, page)
    first = browser.execute_script(
        "var rows = document.querySelectorAll('main > .row:not(.head)');"  # the first row with text in both columns
        "for (var k = 0; k < rows.length; k++) {"
        "  var t = Array.prototype.map.call(rows[k].querySelectorAll('.c'), function (c) { return c.textContent.replace(/\\s+/g, ''); });"
        "  if (t[0].length > 8 && t[1].length > 8 && t[0].slice(0, 6) !== t[1].slice(0, 6)) return t; }"
    )
    options = PrintOptions()
    options.orientation = "landscape"
    options.page_width, options.page_height = 21.0, 29.7  # A4, turned by the orientation
    pdf = base64.b64decode(browser.print_page(options))
    (tmp_path / "review.pdf").write_bytes(pdf)
    doc = pypdfium2.PdfDocument(pdf)
    assert len(doc) > 1
    width, height = doc[0].get_size()
    assert width > height and abs(width - 842) < 3 and abs(height - 595) < 3  # A4 landscape, in points
    texts = ["".join(doc[k].get_textpage().get_text_range().split()) for k in range(len(doc))]
    assert first[0][:6] and first[1][:6] and first[0][:6] != first[1][:6]
    page_of = [next(k for k, t in enumerate(texts) if cell[:6] in t) for cell in first]
    assert page_of[0] == page_of[1]  # the two columns of a row are side by side on one page
    assert "◀previous" not in texts[0] and "findingsasCSV" not in texts[0]  # the controls are not printed
    witness = COUNTY_002.name
    assert sum(witness in t for t in texts) >= len(texts) - 1  # the column headers repeat on (nearly) every page
    # the page's own @page rule, when the printer takes the CSS size (Chrome's Page.printToPDF preferCSSPageSize)
    css_pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    w, h = pypdfium2.PdfDocument(css_pdf)[0].get_size()
    assert abs(w - 842) < 3 and abs(h - 595) < 3
    assert console_errors(browser) == []


def test_findings_download_as_csv(browser: webdriver.Chrome, tmp_path: Path) -> None:
    import csv
    import io

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    page = review(tmp_path, VENDOR_001, COUNTY_002)
    open_page(browser, page)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    button = browser.find_element(By.ID, "csv")
    assert button.text and button.get_attribute("type") == "button"
    button.click()
    target = downloads / f"{VENDOR_001.name}.findings.csv"
    WebDriverWait(browser, 20).until(lambda d: target.exists() and not list(downloads.glob("*.crdownload")))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel and WPS
    assert raw.decode("utf-8-sig") == browser.execute_script("return window.jiaokanFindingsCsv()")[1:]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["witness", "code", "severity", "base line:column", "witness line:column", "message"]
    data = json.loads(browser.execute_script("return document.getElementById('jiaokan-data').textContent"))
    assert len(rows) == 1 + len(data["findings"])
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(rows[0])
    for f in data["findings"]:
        code, severity, _ = data["codes"][f[0]]
        message = "'" + f[6] if f[6][:1] in ("=", "+", "-", "@", "\t", "\r") else f[6]
        writer.writerow([data["witnesses"][f[1]], code, severity, f"{f[2]}:{f[3]}", f"{f[4]}:{f[5]}", message])
    assert raw.decode("utf-8-sig") == expected.getvalue()
    hit = [r for r in rows if r[1] == "wording-substitution" and r[3] == "27:226"]
    assert hit and hit[0][4] == "35:166" and hit[0][0].endswith(COUNTY_002.name) and "建设" in hit[0][5]
    assert console_errors(browser) == []
    assert [u for u in requests(browser) if not u.startswith(("file://", "blob:"))] == []
