"""The review page in a real browser: Debian's headless Chromium, driven by selenium through chromedriver.

`.ci/run` installs `chromium` and `chromium-driver` when missing and sets
JIAOKAN_REQUIRE_BROWSER=1, so there these tests cannot be skipped; elsewhere
they skip when the browser is not installed.
"""

from __future__ import annotations

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
