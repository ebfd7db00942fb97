"""URLs as documents (docs/web.md): every command reads http(s) addresses as it reads files, within limits, through a
cache, offline on request; every failure is one line and exit 2.

A real HTTP server on 127.0.0.1 (stdlib http.server in a thread) serves the samples and misbehaves on purpose; it
counts what it is asked, so revalidation and --offline are seen from the server's side too.  Timeouts are short
(JIAOKAN_TIMEOUT), so each test takes well under a second or two.
"""

from __future__ import annotations

import io
import json
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiaokan import web
from jiaokan.errors import InputError
from jiaokan.ingest import read_document

from .cli import run
from .conftest import COUNTY_002, VENDOR_001
from .pdfs import cid_pdf, cjk_ttf, layout
from .site import TIMEOUT, Handler, Site, html_page, isolated_reads

LIMIT = 100_000  # JIAOKAN_MAX_BYTES for the size tests: above each sample, far below the huge bodies
BIG5_LINE = "(五)開展試點示範。"  # a Big5 line no detector reads: only a declaration can
SCAN_LINE = "数字政府建设"  # the one line of the scan served as a PNG
OFD = Path(__file__).parent / "data" / "ofd" / "helloworld.ofd"  # one line: 你好呀，OFD Reader&Writer！
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def docx_bytes(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body>{body}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def scan_png(line: str) -> bytes:
    """One line of Chinese, black on white, as a PNG: the smallest scan OCR reads."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = cjk_ttf()
    assert font_file is not None, "no CJK font: apt-get install fonts-wqy-microhei (.ci/run does)"
    font = ImageFont.truetype(str(font_file), 32)
    img = Image.new("L", (32 * (len(line) + 2), 96), 255)
    ImageDraw.Draw(img).text((32, 28), line, font=font, fill=0)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def rtf_bytes(text: str) -> bytes:
    """An RTF document of one paragraph, its Chinese as GBK escapes (as Word and WPS write them)."""
    escaped = "".join(f"\\'{b:02x}" for b in text.encode("gbk"))
    return (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}\f0 " + escaped + r"\par}").encode("ascii")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    s = Site()
    vendor = VENDOR_001.read_bytes()
    county_html = html_page(COUNTY_002.read_text(encoding="utf-8")).encode("utf-8")
    s.page("/vendor.txt", vendor, "text/plain; charset=utf-8")
    s.page("/county.html", county_html)
    s.page("/county-gbk.html", county_html.decode("utf-8").encode("gb18030"), "text/html; charset=GBK")
    s.page("/county-gbk-says-big5.html", county_html.decode("utf-8").encode("gb18030"), "text/html; charset=big5")
    s.page("/big5.txt", BIG5_LINE.encode("big5"), "text/plain; charset=big5")
    s.page("/big5-says-gbk.txt", BIG5_LINE.encode("big5"), "text/plain; charset=gbk")
    s.page("/county.docx", docx_bytes([line for line in COUNTY_002.read_text(encoding="utf-8").splitlines() if line.strip()]),
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    s.page("/scan.png", scan_png(SCAN_LINE), "image/png")
    s.page("/helloworld.ofd", OFD.read_bytes(), "application/ofd")
    s.page("/ofd-download", OFD.read_bytes(), "application/octet-stream")
    s.page("/ofd-zip", OFD.read_bytes(), "application/zip")
    s.page("/pdf-download", cid_pdf(layout(COUNTY_002.read_text(encoding="utf-8"))), "application/octet-stream")
    s.page("/notice.rtf", rtf_bytes(SCAN_LINE), "text/rtf")
    s.page("/rtf-download", rtf_bytes(SCAN_LINE), "application/octet-stream")
    s.page("/logo.gif", GIF, "image/gif")
    s.page("/gif-download", GIF, "application/octet-stream")
    s.page("/archive.zip", zip_bytes({"readme.txt": "数字政府".encode()}), "application/zip")
    s.page("/clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\0" * 100, "video/mp4")
    s.page("/download", b"\x00\x01binary" * 20, "application/octet-stream")
    s.page("/flaky.html", county_html)

    def status(code: int) -> Handler:
        return lambda r: r.send(b"<p>no</p>", status=code)

    for code in (404, 410, 500, 503):
        s.routes[f"/status-{code}"] = status(code)

    def redirect(to: str) -> Handler:
        def answer(r: Site.Request) -> None:
            r.send_response(302)
            r.send_header("Location", to)
            r.send_header("Content-Length", "0")
            r.end_headers()

        return answer

    s.routes["/loop-a"] = redirect("/loop-b")
    s.routes["/loop-b"] = redirect("/loop-a")
    s.routes["/moved"] = redirect("/county.html")
    s.routes["/to-ftp"] = redirect("ftp://127.0.0.1/x.txt")

    def slow(r: Site.Request) -> None:
        time.sleep(3)  # far past the timeout; the client has gone by then
        r.send(county_html)

    def drip(r: Site.Request) -> None:  # a byte at a time, each within the read timeout: only the deadline stops it
        r.send_response(200)
        r.send_header("Content-Type", "text/html; charset=utf-8")
        r.end_headers()
        for k in range(200):
            r.wfile.write(county_html[k:k + 1])
            r.wfile.flush()
            time.sleep(0.1)

    def huge(with_length: bool) -> Handler:
        def answer(r: Site.Request) -> None:
            r.send_response(200)
            r.send_header("Content-Type", "text/plain; charset=utf-8")
            if with_length:
                r.send_header("Content-Length", str(50_000_000))
            r.end_headers()  # HTTP/1.0: without a length, the body ends when the connection closes
            chunk = ("数字政府建设" * 1000 + "\n").encode("utf-8")
            path = r.path
            for _ in range(50_000_000 // len(chunk)):  # bounded: 50 MB at most, if the client never hung up
                try:
                    r.wfile.write(chunk)
                except OSError:
                    return
                s.sent[path] += len(chunk)

        return answer

    s.routes["/slow"] = slow
    s.routes["/drip"] = drip
    s.routes["/huge-with-length"] = huge(True)
    s.routes["/huge-without-length"] = huge(False)

    def etag(r: Site.Request) -> None:
        if r.headers.get("If-None-Match") == '"v1"':
            s.not_modified["/etag.html"] += 1
            r.send_response(304)
            r.send_header("ETag", '"v1"')
            r.end_headers()
            return
        r.send(county_html, headers={"ETag": '"v1"'})

    stamp = "Mon, 06 Jun 2022 09:30:00 GMT"

    def last_modified(r: Site.Request) -> None:
        if r.headers.get("If-Modified-Since") == stamp:
            s.not_modified["/dated.txt"] += 1
            r.send_response(304)
            r.end_headers()
            return
        r.send(vendor, "text/plain; charset=utf-8", headers={"Last-Modified": stamp})

    s.routes["/etag.html"] = etag
    s.routes["/dated.txt"] = last_modified
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a CLI run: its own cache, short timeouts, no proxy between it and 127.0.0.1."""
    return {"JIAOKAN_CACHE": str(tmp_path / "cache"), "JIAOKAN_TIMEOUT": TIMEOUT, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}


@pytest.fixture(autouse=True)
def library_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Library calls in these tests never touch the user's cache, and wait briefly."""
    isolated_reads(tmp_path, monkeypatch)


def saved(tmp_path: Path, site: Site, path: str, name: str) -> Path:
    """The bytes the server sends for ``path``, saved to a file (as a browser's "save page" would)."""
    dest = tmp_path / name
    dest.write_bytes(read_bytes(site, path))
    return dest


def read_bytes(site: Site, path: str) -> bytes:
    """What the server sends, read with the standard library (not the code under test)."""
    import urllib.request

    with urllib.request.urlopen(site.url(path), timeout=5) as answer:
        data: bytes = answer.read()
        return data


def error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err  # one line, never a traceback
    assert lines[0].startswith("jiaokan: error: "), err
    return lines[0]


# ---------------------------------------------------------------- reading pages


def test_diff_of_two_urls_is_the_diff_of_the_saved_pages(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    a, b = saved(tmp_path, site, "/vendor.txt", "vendor.txt"), saved(tmp_path, site, "/county.html", "county.html")
    files = run(["diff", a, b, "-f", "json"], cwd=tmp_path, env=env)
    urls = run(["diff", site.url("/vendor.txt"), site.url("/county.html"), "-f", "json"], cwd=tmp_path, env=env)
    assert files.code == urls.code == 1, urls
    got = json.loads(urls.out)
    assert got["base"]["path"] == site.url("/vendor.txt") and got["witness"]["path"] == site.url("/county.html")
    renamed = urls.out.replace(site.url("/vendor.txt"), str(a)).replace(site.url("/county.html"), str(b))
    assert json.loads(renamed) == json.loads(files.out)  # the same bytes read the same way: only the names differ
    assert len(got["findings"]) > 5
    page = read_document(site.url("/county.html"))
    assert (page.format, page.encoding, page.path) == ("html", "utf-8", site.url("/county.html"))
    text = run(["diff", site.url("/vendor.txt"), site.url("/county.html")], cwd=tmp_path, env=env)
    assert f"{site.url('/county.html')}:" in text.out  # findings point at the URL, line and column


def test_a_request_says_who_is_asking(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    run(["normalize", site.url("/vendor.txt")], cwd=tmp_path, env=env)
    sent = site.headers["/vendor.txt"]
    assert sent["User-Agent"].startswith("jiaokan/0.1.0 (") and "text/html" in sent["Accept"]


def test_the_http_charset_is_a_declaration_verified_like_a_meta(site: Site, tmp_path: Path) -> None:
    county = read_document(site.url("/county.html"))
    right = read_document(site.url("/county-gbk.html"))
    wrong = read_document(site.url("/county-gbk-says-big5.html"))  # the header lies: the bytes are GBK
    assert right.encoding == wrong.encoding == "gb18030"
    assert right.text == wrong.text == county.text and right.path == site.url("/county-gbk.html")
    # a Big5 line too short for any detector: read only because the server declares Big5 ...
    assert read_document(site.url("/big5.txt")).text == BIG5_LINE
    local = tmp_path / "big5.txt"
    local.write_bytes(BIG5_LINE.encode("big5"))
    with pytest.raises(InputError, match="cannot be decoded"):
        read_document(local)  # ... the same bytes saved to a file, with no declaration, are refused
    with pytest.raises(InputError, match="cannot be decoded"):
        read_document(site.url("/big5-says-gbk.txt"))  # and a wrong declaration is not believed


def test_a_docx_url_reads_as_a_docx(site: Site) -> None:
    doc = read_document(site.url("/county.docx"))
    assert doc.format == "docx" and "数字政府" in doc.text


def test_a_scan_served_as_an_image_is_read_by_ocr(site: Site) -> None:
    doc = read_document(site.url("/scan.png"))
    assert (doc.format, doc.encoding, doc.path) == ("image", "ocr", site.url("/scan.png"))
    assert doc.text.strip() == SCAN_LINE


def test_an_ofd_is_read_as_ofd_whether_served_as_ofd_a_download_or_a_zip(site: Site) -> None:
    local = read_document(OFD)
    for path in ("/helloworld.ofd", "/ofd-download", "/ofd-zip"):
        doc = read_document(site.url(path))
        assert (doc.format, doc.encoding, doc.path) == ("ofd", "ofd", site.url(path)), path
        assert doc.text == local.text and "你好呀" in doc.text


def test_a_pdf_served_as_a_download_is_read_as_a_pdf(site: Site, tmp_path: Path) -> None:
    doc = read_document(site.url("/pdf-download"))
    local = read_document(saved(tmp_path, site, "/pdf-download", "notice.pdf"))
    assert (doc.format, doc.encoding) == ("pdf", "pdf") and doc.text == local.text and "数字政府" in doc.text


def test_rtf_served_as_rtf_or_as_a_download_goes_through_libreoffice(site: Site) -> None:
    for path in ("/notice.rtf", "/rtf-download"):
        doc = read_document(site.url(path))
        assert (doc.format, doc.encoding, doc.text) == ("docx", "rtf", SCAN_LINE), path


def test_the_accept_header_names_every_format_read(site: Site) -> None:
    web.fetch(site.url("/vendor.txt") + "?accept")
    accept = site.headers["/vendor.txt"]["Accept"]
    for media in ("text/html", "application/pdf", "application/ofd", "application/msword", "application/rtf", "image/png", "image/jpeg", "image/tiff"):
        assert media in accept, media


def test_a_redirect_is_followed_and_the_document_keeps_the_address_given(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    done = run(["diff", site.url("/moved"), site.url("/county.html"), "-f", "json"], cwd=tmp_path, env=env)
    assert done.code == 0, done
    assert json.loads(done.out)["base"]["path"] == site.url("/moved")
    page = web.Cache(tmp_path / "cache").get(site.url("/moved"))
    assert page is not None and page.final_url == site.url("/county.html")


def test_check_reads_url_witnesses_and_a_baseline_records_them_as_urls(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    base = saved(tmp_path, site, "/vendor.txt", "official.txt")
    url = site.url("/county.html") + "?from=feed"  # a query: not a glob, not a path
    done = run(["check", base, url, site.url("/status-404"), "-f", "json"], cwd=tmp_path, env=env)
    assert done.code == 2, done  # one witness could not be read
    report = json.loads(done.out)
    by_path = {w["path"]: w for w in report["witnesses"]}
    assert set(by_path) == {url, site.url("/status-404")}
    assert by_path[url]["status"] == "fail" and by_path[site.url("/status-404")]["status"] == "error"
    assert f"jiaokan: error: {site.url('/status-404')}: not found (HTTP 404 Not Found)" in done.err
    wrote = run(["check", base, url, "--write-baseline", "accepted.toml"], cwd=tmp_path, env=env)
    assert wrote.code == 0, wrote
    assert f'file = "{url}"' in (tmp_path / "accepted.toml").read_text(encoding="utf-8")
    again = run(["check", base, url, "--baseline", "accepted.toml"], cwd=tmp_path, env=env)
    assert again.code == 0, again
    sarif = json.loads(run(["check", base, url, "--no-baseline", "-f", "sarif"], cwd=tmp_path, env=env).out)
    assert {loc["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"] for loc in r["locations"]} == {url}


def test_scan_reads_urls_from_arguments_and_jsonl_lines(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    base = saved(tmp_path, site, "/vendor.txt", "official.txt")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "county", "path": site.url("/county.html")}) + "\n"
                      + json.dumps({"id": "gone", "path": site.url("/status-410")}) + "\n", encoding="utf-8")
    done = run(["scan", base, corpus, site.url("/county-gbk.html"), "--workers", "1"], cwd=tmp_path, env=env)
    records = {r["id"]: r for r in map(json.loads, done.out.splitlines())}
    assert records["county"]["path"] == site.url("/county.html") and records["county"]["kind"] == "reprint"
    assert records[site.url("/county-gbk.html")]["kind"] == "reprint"
    assert records["gone"]["kind"] == "error" and "gone (HTTP 410 Gone)" in records["gone"]["error"]
    assert done.code == 2  # a document could not be read


def test_an_output_is_never_a_url(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    done = run(["diff", site.url("/vendor.txt"), site.url("/county.html"), "-o", "https://example.invalid/report.txt"], cwd=tmp_path, env=env)
    assert done.code == 2 and "it is a URL, and jiaokan writes local files only" in error_line(done.err)
    assert not (tmp_path / "https:").exists()


# ---------------------------------------------------------------- failures: one line, exit 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("target", "said"), [
    ("http://jiaokan-test.invalid/page.html", "http://jiaokan-test.invalid/page.html: host jiaokan-test.invalid not found: its name does not resolve"),
    ("REFUSED", "connection refused: nothing accepts connections at 127.0.0.1 port"),
    ("TLS", "the secure connection failed: the TLS handshake with 127.0.0.1 failed"),
    ("/status-404", "not found (HTTP 404 Not Found): the server has no document at this address"),
    ("/status-410", "gone (HTTP 410 Gone): the server says the document was removed for good"),
    ("/status-500", "server error (HTTP 500 Internal Server Error): the server failed to answer; try again later"),
    ("/status-503", "server error (HTTP 503 Service Unavailable)"),
    ("/logo.gif", "not a document (image/gif): jiaokan reads HTML, plain text, Markdown, PDF, .docx, OFD, old Word, WPS and RTF files, "
                  "and scans (PNG, JPEG, TIFF); the server says this is something else"),
    ("/clip.mp4", "not a document (video/mp4): jiaokan reads HTML"),
    ("/gif-download", "not a document (application/octet-stream): jiaokan reads HTML, plain text, Markdown, PDF, .docx, OFD, old Word, WPS "
                      "and RTF files, and scans (PNG, JPEG, TIFF); the server names no document type and the bytes begin as none of these"),
    ("/download", "not a document (application/octet-stream)"),
    ("/archive.zip", "not a document (application/zip): jiaokan reads HTML, plain text, Markdown, PDF, .docx, OFD, old Word, WPS and RTF files, "
                     "and scans (PNG, JPEG, TIFF); the server says it is an archive, and it holds neither an OFD nor a .docx"),
    ("/huge-with-length", f"too large (50,000,000 bytes): the limit is {LIMIT:,} bytes"),
    ("/huge-without-length", f"too large (more than {LIMIT:,} bytes): the limit is {LIMIT:,} bytes"),
    ("/loop-a", "redirect loop: its redirects lead back to"),
    ("/to-ftp", "redirected to ftp://127.0.0.1/x.txt: only http:// and https:// addresses are fetched"),
    ("/slow", f"timed out: the server sent nothing for {TIMEOUT} s; try again later, or allow longer with JIAOKAN_TIMEOUT"),
    ("/drip", f"timed out: the download took longer than {float(TIMEOUT) * web.DEADLINE_TIMEOUTS:g} s"),
    ("ftp://127.0.0.1/official.txt", "cannot read ftp:// address: only http:// and https:// addresses are fetched"),
    ("http://", "not a valid URL: it names no host"),
])
def test_each_failure_is_one_clear_error(site: Site, env: dict[str, str], tmp_path: Path, target: str, said: str) -> None:
    if target == "REFUSED":
        target = f"http://127.0.0.1:{free_port()}/page.html"
    elif target == "TLS":
        target = f"https://127.0.0.1:{site.port}/county.html"  # https:// to a plain-HTTP port
    elif target.startswith("/"):
        target = site.url(target)
    start = time.monotonic()
    done = run(["diff", target, COUNTY_002], cwd=tmp_path, env={**env, "JIAOKAN_MAX_BYTES": str(LIMIT)})
    took = time.monotonic() - start
    assert done.code == 2 and done.out == "", done
    assert said in error_line(done.err) and error_line(done.err).startswith(f"jiaokan: error: {target}: "), done.err
    assert took < 5, took


def test_a_huge_body_is_not_read_past_the_limit(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    site.sent.clear()
    run(["normalize", site.url("/huge-with-length")], cwd=tmp_path, env={**env, "JIAOKAN_MAX_BYTES": str(LIMIT)})
    run(["normalize", site.url("/huge-without-length")], cwd=tmp_path, env={**env, "JIAOKAN_MAX_BYTES": str(LIMIT)})
    time.sleep(0.2)  # the server notices the client hung up
    # of the 50 MB offered, what was sent before the client hung up: the kernel's buffers' worth, never the whole body
    assert site.sent["/huge-with-length"] < 10_000_000 and site.sent["/huge-without-length"] < 10_000_000, site.sent


def test_without_httpx_a_url_asks_for_the_extra(site: Site, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "httpx", None)  # import httpx raises ImportError, as when it is not installed
    done = run(["diff", site.url("/vendor.txt"), COUNTY_002], cwd=tmp_path, env=env)
    assert done.code == 2
    assert error_line(done.err) == (f"jiaokan: error: {site.url('/vendor.txt')}: cannot read a URL: reading web pages needs httpx, which is not installed; "
                                    'pip install "jiaokan[web]"')
    assert run(["diff", VENDOR_001, COUNTY_002, "-q"], cwd=tmp_path, env=env).code == 1  # files need nothing of it


def test_bad_settings_of_the_environment_are_errors(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    done = run(["normalize", site.url("/vendor.txt")], cwd=tmp_path, env={**env, "JIAOKAN_TIMEOUT": "soon"})
    assert done.code == 2 and "JIAOKAN_TIMEOUT='soon' is not a time" in error_line(done.err)
    done = run(["normalize", site.url("/vendor.txt")], cwd=tmp_path, env={**env, "JIAOKAN_OFFLINE": "maybe"})
    assert done.code == 2 and "JIAOKAN_OFFLINE='maybe' is not a yes or no" in error_line(done.err)


# ---------------------------------------------------------------- the cache, revalidation, --offline


def test_an_etag_is_revalidated_and_the_cached_body_used_on_304(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    url = site.url("/etag.html")
    first = run(["normalize", url, "-f", "json"], cwd=tmp_path, env=env)
    before = site.hits["/etag.html"], site.not_modified["/etag.html"]
    second = run(["normalize", url, "-f", "json"], cwd=tmp_path, env=env)
    assert first.code == second.code == 0 and first.out == second.out
    assert (site.hits["/etag.html"], site.not_modified["/etag.html"]) == (before[0] + 1, before[1] + 1)  # asked again, answered 304
    assert site.headers["/etag.html"]["If-None-Match"] == '"v1"'


def test_last_modified_is_revalidated(site: Site, tmp_path: Path) -> None:
    url = site.url("/dated.txt")
    first = web.fetch(url)
    second = web.fetch(url)
    assert (first.source, second.source) == ("network", "revalidated") and first.body == second.body == VENDOR_001.read_bytes()
    assert site.headers["/dated.txt"]["If-Modified-Since"] == "Mon, 06 Jun 2022 09:30:00 GMT"
    assert site.not_modified["/dated.txt"] >= 1


def test_offline_reads_the_cache_and_never_the_network(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    a, b = site.url("/vendor.txt") + "?offline=1", site.url("/county.html") + "?offline=1"
    never = run(["diff", a, b, "--offline"], cwd=tmp_path, env=env)
    assert never.code == 2
    assert error_line(never.err) == (f"jiaokan: error: {a}: not in the cache (--offline): it has not been fetched into {tmp_path / 'cache'}; "
                                     "run once online (without --offline or JIAOKAN_OFFLINE) to fetch it")
    online = run(["diff", a, b, "-f", "json"], cwd=tmp_path, env=env)
    hits = site.hits["/vendor.txt"], site.hits["/county.html"]
    offline = run(["diff", a, b, "-f", "json", "--offline"], cwd=tmp_path, env=env)
    assert online.code == offline.code == 1 and online.out == offline.out
    assert (site.hits["/vendor.txt"], site.hits["/county.html"]) == hits  # not one request
    as_env = run(["diff", a, b, "-f", "json"], cwd=tmp_path, env={**env, "JIAOKAN_OFFLINE": "1"})
    assert as_env.out == online.out and (site.hits["/vendor.txt"], site.hits["/county.html"]) == hits


def test_offline_reaches_every_command_and_scans_workers(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    base = saved(tmp_path, site, "/vendor.txt", "official.txt")
    url = site.url("/county.html") + "?workers=1"
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "c", "path": url}) + "\n" + json.dumps({"id": "v", "path": site.url("/vendor.txt") + "?workers=1"}) + "\n", encoding="utf-8")
    assert run(["scan", base, corpus, "--workers", "1"], cwd=tmp_path, env=env).code == 1  # fetched, cached
    hits = site.hits["/county.html"]
    done = run(["scan", base, corpus, "--workers", "2", "--offline"], cwd=tmp_path, env=env)  # forked workers read the cache
    assert done.code == 1 and {r["kind"] for r in map(json.loads, done.out.splitlines())} == {"reprint"}, done
    for args in (["normalize", url], ["trace", base, url], ["collate", base, url], ["check", base, url], ["review", base, url]):
        assert run([*args, "--offline"], cwd=tmp_path, env=env).code in (0, 1), args
    assert site.hits["/county.html"] == hits


def test_a_failure_online_points_at_the_cached_copy(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    url = site.url("/flaky.html")
    assert run(["normalize", url], cwd=tmp_path, env=env).code == 0
    site.failing.add("/flaky.html")
    try:
        done = run(["normalize", url], cwd=tmp_path, env=env)
        assert done.code == 2 and error_line(done.err).endswith("with --offline")
        assert "read the copy cached on " in done.err
        assert run(["normalize", url, "--offline"], cwd=tmp_path, env=env).code == 0
    finally:
        site.failing.discard("/flaky.html")


def test_a_damaged_cache_entry_is_fetched_again(site: Site, tmp_path: Path) -> None:
    url = site.url("/county.html") + "?damaged"
    store = web.Cache(tmp_path / "cache")
    web.fetch(url)
    entry = store.path(url)
    entry.write_bytes(entry.read_bytes()[:-10])  # cut short, as by a full disk outside jiaokan
    assert store.get(url) is None
    with pytest.raises(InputError, match="not in the cache"):
        web.fetch(url, offline=True)
    assert web.fetch(url).source == "network" and store.get(url) is not None


def test_the_cache_lives_where_the_environment_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIAOKAN_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert web.cache_dir() == tmp_path / "xdg" / "jiaokan"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert web.cache_dir() == tmp_path / "home" / ".cache" / "jiaokan"
    monkeypatch.setenv("JIAOKAN_CACHE", str(tmp_path / "mine"))
    assert web.cache_dir() == tmp_path / "mine"


def test_an_unwritable_cache_is_one_error(site: Site, env: dict[str, str], tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    done = run(["normalize", site.url("/vendor.txt")], cwd=tmp_path, env={**env, "JIAOKAN_CACHE": str(blocked)})
    assert done.code == 2 and f"{blocked}: cannot write the cache" in error_line(done.err) and "set JIAOKAN_CACHE" in done.err
