"""Benchmark: the review page's size, build time and time to interactive in Chromium (run by hand).

    python benchmarks/bench_review.py [--repeat 5]

For the review of 001 vs 002 and of the directive against 10 witnesses:
- the page's size in bytes;
- building it in the library (diffs, rows, HTML), and the diffs alone as the peer;
- opening it in Debian's headless Chromium (selenium + /usr/bin/chromedriver) from file://:
  ``performance.now()`` when the page's script has wired everything up (body[data-ready]),
  and the navigation timing's domInteractive and loadEventEnd.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import read_document
from jiaokan.diff import diff_documents
from jiaokan.render_html import review_html
from jiaokan.review import build_review

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_review import ten_witnesses  # noqa: E402  (the same ten copies the size test uses)

VENDOR = ROOT / "samples/directive-vendor-reprint-001.txt"
COUNTY = ROOT / "samples/directive-county-forward-002.txt"


def browser_times(page: Path, repeat: int) -> list[tuple[float, float, float]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    os.environ.setdefault("SE_OFFLINE", "true")
    out = []
    with tempfile.TemporaryDirectory() as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                    "--window-size=1400,1000", f"--user-data-dir={profile}"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            for _ in range(repeat):
                driver.get("about:blank")
                driver.get(page.as_uri())
                WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.body.dataset.ready"))
                ready = float(driver.execute_script("return document.body.dataset.ready"))
                WebDriverWait(driver, 60).until(lambda d: d.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd > 0"))
                nav = driver.execute_script("var n = performance.getEntriesByType('navigation')[0]; return [n.domInteractive, n.loadEventEnd];")
                out.append((ready, float(nav[0]), float(nav[1])))
        finally:
            driver.quit()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    base = read_document(str(VENDOR))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {"001 vs 002": [read_document(str(COUNTY))], "001 vs 10 witnesses": [read_document(str(p)) for p in ten_witnesses(folder)]}
        for name, witnesses in cases.items():
            t_diffs = best(lambda ws=witnesses: [diff_documents(base, w) for w in ws], args.repeat)
            t_page = best(lambda ws=witnesses: review_html(build_review(base, [diff_documents(base, w) for w in ws])), args.repeat)
            page = review_html(build_review(base, [diff_documents(base, w) for w in witnesses]))
            path = folder / "page.html"
            path.write_text(page, encoding="utf-8")
            times = browser_times(path, args.repeat)
            ready = sorted(t[0] for t in times)
            print(f"{name}: {len(page.encode('utf-8')):,} bytes; build {t_page * 1000:.0f} ms (diffs alone {t_diffs * 1000:.0f} ms, "
                  f"page {t_page / t_diffs:.2f}x diffs)")
            print(f"    chromium: ready (script done) median {ready[len(ready) // 2]:.0f} ms, max {ready[-1]:.0f} ms; "
                  f"domInteractive median {sorted(t[1] for t in times)[len(times) // 2]:.0f} ms; "
                  f"loadEventEnd median {sorted(t[2] for t in times)[len(times) // 2]:.0f} ms  (n={len(times)})")


if __name__ == "__main__":
    main()
