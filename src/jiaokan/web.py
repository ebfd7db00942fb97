"""Documents at URLs: fetched politely and within bounds, kept in an on-disk cache, readable offline (docs/web.md).

``read_url(url)`` is what :func:`jiaokan.ingest.read_document` calls for an ``http://`` or ``https://`` argument, so
every command reads URLs wherever it reads files.  The page's bytes go through ``ingest.document_from_bytes``: the
charset the server declares in ``Content-Type`` is one more declaration, verified as a ``<meta>`` one is, never
trusted.  Each failure is one :class:`InputError` (exit 2) saying what, why and what to do.

Reading is a process-wide policy read from the environment at each fetch — ``JIAOKAN_OFFLINE``,
``JIAOKAN_TIMEOUT``, ``JIAOKAN_CACHE`` — so that it reaches whatever reads documents (``check``'s witnesses, a
scan's worker processes) without a parameter threaded through every stage; ``--offline`` sets ``JIAOKAN_OFFLINE=1``
(:func:`go_offline`).  A library caller may pass ``offline=``, ``timeout=`` and ``cache=`` to :func:`fetch` instead.

httpx (the ``web`` extra) is imported only when the network is used: reading from the cache needs nothing extra.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from jiaokan import __version__
from jiaokan.config import cache_dir
from jiaokan.errors import InputError, PageError
from jiaokan.patterns import compiled

if TYPE_CHECKING:
    import ssl

    import httpx

    from jiaokan.ingest import Document, DocumentFormat, DocxRevisions

#: Seconds to connect, and to wait for each piece of the answer (``JIAOKAN_TIMEOUT`` overrides it).
DEFAULT_TIMEOUT = 20.0
#: The whole fetch (redirects and body) must end within this many timeouts: a server trickling bytes is cut off.
DEADLINE_TIMEOUTS = 4
#: Redirects followed before giving up; a chain that visits an address twice is then reported as a loop.
MAX_REDIRECTS = 10
USER_AGENT = f"jiaokan/{__version__} (collates reprints of Chinese official documents; one request per document)"
ACCEPT = ("text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,application/pdf;q=0.8,"
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.8,application/ofd;q=0.8,"
          "application/msword;q=0.7,application/rtf;q=0.7,image/png;q=0.5,image/jpeg;q=0.5,image/tiff;q=0.5,*/*;q=0.1")

#: What each accepted media type is read as (None: let ingest sniff the bytes, as for a file without an extension).
MEDIA_TYPES: dict[str, DocumentFormat | None] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/ofd": "ofd",
    "image/png": "image",  # a scan: read by OCR (the ocr extra)
    "image/jpeg": "image",
    "image/pjpeg": "image",
    "image/tiff": "image",
    "image/tiff-fx": "image",
    # legacy Word, WPS and RTF: ingest tells an OLE file from RTF (or a .docx misnamed) and LibreOffice converts it
    "application/msword": None,
    "application/vnd.ms-word": None,
    "application/vnd.ms-works": None,
    "application/kswps": None,
    "application/wps-office.wps": None,
    "application/wps-office.doc": None,
    "application/wps-office.docx": None,
    "application/rtf": None,
    "application/x-rtf": None,
    "text/rtf": None,
    "text/richtext": None,
}
#: Types servers give any download: accepted only when the bytes begin as a document (:func:`looks_like_a_document`).
GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", "application/download", "application/force-download",
                           "application/x-download", "application/unknown", "application/x-unknown"})
#: Archive types: an OFD or a .docx is a ZIP and some servers say only that; any other archive is refused.
ZIP_TYPES = frozenset({"application/zip", "application/x-zip", "application/x-zip-compressed"})
#: What jiaokan reads, as an error names it.
READS = "HTML, plain text, Markdown, PDF, .docx, OFD, old Word, WPS and RTF files, and scans (PNG, JPEG, TIFF)"

_ZIP = b"PK\x03\x04"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF (either byte order)

_SCHEME = compiled(r"\A[A-Za-z][A-Za-z0-9+.-]{0,15}://")
_COLLAPSED = compiled(r"\A(?:https?|ftps?|file):/(?!/)", re.I)
_CACHE_MAGIC = b"jiaokan-cache/1\n"


def is_url(text: str | os.PathLike[str]) -> bool:
    """Is this argument an address to fetch (``http://`` or ``https://``) rather than a path?"""
    return isinstance(text, str) and text[:8].lower().startswith(("http://", "https://"))


def has_scheme(text: str) -> bool:
    """Does it look like a URL of any scheme (``ftp://``, ``file://``)?  Those are refused, not read as paths."""
    return bool(_SCHEME.match(text))


def names_url(text: str) -> bool:
    """A URL, or one a ``pathlib.Path`` has collapsed (``https:/host/x``): an output so named is refused."""
    return has_scheme(text) or bool(_COLLAPSED.match(text))


# --------------------------------------------------------------------------
# the policy


@dataclass(frozen=True, slots=True)
class Policy:
    """How URLs are read in this process: from the cache only, how long to wait, where the cache is."""

    offline: bool
    timeout: float
    cache: Path


def policy(*, offline: bool | None = None, timeout: float | None = None, cache: str | os.PathLike[str] | None = None) -> Policy:
    """The policy in force: each value given, else its environment variable, else the default."""
    return Policy(offline=_offline_env() if offline is None else offline,
                  timeout=_timeout_env() if timeout is None else timeout,
                  cache=Path(cache) if cache is not None else cache_dir())


def go_offline() -> None:
    """``--offline``: this process and those it starts (scan's workers) read URLs from the cache only."""
    os.environ["JIAOKAN_OFFLINE"] = "1"


def _offline_env() -> bool:
    value = os.environ.get("JIAOKAN_OFFLINE", "").strip().lower()
    if value in ("", "0", "no", "false", "off"):
        return False
    if value in ("1", "yes", "true", "on"):
        return True
    raise InputError(f"JIAOKAN_OFFLINE={value[:40]!r} is not a yes or no", "it switches reading URLs from the cache only", "set JIAOKAN_OFFLINE=1, or unset it")


def _timeout_env() -> float:
    value = os.environ.get("JIAOKAN_TIMEOUT", "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise InputError(f"JIAOKAN_TIMEOUT={value[:40]!r} is not a time", "it must be a number of seconds, more than 0 and at most 600",
                         f"set it like JIAOKAN_TIMEOUT=30, or unset it for the default {DEFAULT_TIMEOUT:g}")
    return seconds


# --------------------------------------------------------------------------
# reading


#: Where a page's body came from: the network, the cache after a 304 (revalidated), the cache alone (offline).
Source = Literal["network", "revalidated", "cache"]


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched (or cached) page: its bytes and what the server said about them."""

    url: str  # as given
    final_url: str  # after redirects
    body: bytes
    content_type: str  # the Content-Type header as sent ("" when none)
    etag: str | None = None
    last_modified: str | None = None
    fetched: str = ""  # when the body was downloaded (ISO 8601, UTC)
    source: Source = "network"

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the server declares: a hint for ingest, verified there like a ``<meta>`` one."""
        m = re.search(r"""charset\s*=\s*["']?([A-Za-z0-9_.:\-]{1,40})""", self.content_type, re.I)
        return m.group(1) if m else None


def read_url(url: str, *, format: DocumentFormat | None = None, max_bytes: int | None = None, offline: bool | None = None,
             timeout: float | None = None, cache: str | os.PathLike[str] | None = None, docx_revisions: DocxRevisions = "accepted") -> Document:
    """Fetch ``url`` (or take it from the cache) and read it as a document whose ``path`` is the URL as given."""
    from jiaokan.ingest import document_from_bytes

    page = fetch(url, max_bytes=max_bytes, offline=offline, timeout=timeout, cache=cache)
    return document_from_bytes(page.body, path=url, format=format or format_of(page), charset=page.charset, docx_revisions=docx_revisions)


def format_of(page: Page) -> DocumentFormat | None:
    """What the page is read as, from its media type (checked when it was fetched)."""
    return MEDIA_TYPES.get(page.media_type)


def fetch(url: str, *, max_bytes: int | None = None, offline: bool | None = None, timeout: float | None = None,
          cache: str | os.PathLike[str] | None = None) -> Page:
    """The page at ``url``: from the network (revalidating a cached copy), or from the cache alone when offline."""
    from jiaokan.ingest import max_bytes as limit_in_force

    if not is_url(url):
        scheme = url.split("://", 1)[0] if has_scheme(url) else ""
        raise InputError(f"{url}: cannot read {scheme + '://' if scheme else 'this'} address", "only http:// and https:// addresses are fetched",
                         "give an http(s) address, or download the document and give the file")
    rules = policy(offline=offline, timeout=timeout, cache=cache)
    limit = limit_in_force() if max_bytes is None else max_bytes
    store = Cache(rules.cache)
    cached = store.get(url)
    if rules.offline:
        if cached is None:
            raise InputError(f"{url}: not in the cache (--offline)", f"it has not been fetched into {store.folder}",
                             "run once online (without --offline or JIAOKAN_OFFLINE) to fetch it")
        if len(cached.body) > limit:
            raise _too_large(url, limit, len(cached.body))
        return cached
    try:
        import httpx  # noqa: F401 - only to say it is missing
    except ImportError:
        raise InputError(f"{url}: cannot read a URL", "reading web pages needs httpx, which is not installed", 'pip install "jiaokan[web]"') from None
    page = _download(url, rules.timeout, limit, cached)
    if page.source == "network":
        store.put(page)
    return page


def _download(url: str, timeout: float, limit: int, cached: Page | None) -> Page:
    import httpx as hx

    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if cached is not None and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached is not None and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    deadline = time.monotonic() + timeout * DEADLINE_TIMEOUTS
    again = _again(cached)
    try:
        with hx.Client(timeout=hx.Timeout(timeout), headers=headers, follow_redirects=False, verify=_tls()) as client:
            request = client.build_request("GET", url)
            if not request.url.host:
                raise InputError(f"{url}: not a valid URL", "it names no host", "give the whole address, e.g. https://www.gov.cn/…")
            chain = [str(request.url)]
            for _ in range(MAX_REDIRECTS + 1):
                response = client.send(request, stream=True)
                try:
                    nxt = response.next_request
                    if nxt is None:
                        return _answer(url, response, chain[-1], limit, deadline, timeout, cached, again)
                finally:
                    response.close()  # never the rest of a body not read: the connection is dropped
                if nxt.url.scheme not in ("http", "https"):
                    raise InputError(f"{url}: redirected to {str(nxt.url)[:100]}", "only http:// and https:// addresses are fetched",
                                     "give the address of the document itself")
                chain.append(str(nxt.url))
                request = nxt
                if time.monotonic() > deadline:
                    raise _timed_out(url, f"the redirects took longer than {timeout * DEADLINE_TIMEOUTS:g} s", again)
            looped = [u for k, u in enumerate(chain) if u in chain[:k]]
            if looped:
                raise InputError(f"{url}: redirect loop", f"its redirects lead back to {looped[0][:100]} again and again",
                                 "open it in a browser: the site may need cookies, or be misconfigured; give the final address or a saved copy")
            raise InputError(f"{url}: too many redirects", f"more than {MAX_REDIRECTS}, ending at {chain[-1][:100]}", "give the final address, or a saved copy")
    except hx.InvalidURL as exc:
        raise InputError(f"{url}: not a valid URL", str(exc), "check the address") from exc
    except hx.TimeoutException as exc:
        why = "no connection within" if isinstance(exc, hx.ConnectTimeout) else "the server sent nothing for"
        raise _timed_out(url, f"{why} {timeout:g} s", again) from exc
    except hx.ConnectError as exc:
        raise _connect_error(url, exc, again) from exc
    except hx.UnsupportedProtocol as exc:
        raise InputError(f"{url}: cannot be fetched", str(exc), "give an http:// or https:// address") from exc
    except hx.DecodingError as exc:
        raise InputError(f"{url}: the page cannot be decompressed", f"the server's compressed body is damaged ({exc})", f"try again later{again}") from exc
    except hx.TransportError as exc:  # the connection broke, or the answer was not HTTP
        raise InputError(f"{url}: the connection failed", f"{type(exc).__name__}: {str(exc)[:120] or 'no detail'}", f"try again later{again}") from exc


_TLS: list[ssl.SSLContext] = []


def _tls() -> ssl.SSLContext:
    """The TLS context (certifi's roots, or SSL_CERT_FILE / SSL_CERT_DIR), built once per process: building it
    costs about 25 ms, more than a page's download from a nearby server."""
    if not _TLS:
        import httpx

        _TLS.append(httpx.create_ssl_context())
    return _TLS[0]


def _answer(url: str, response: httpx.Response, final: str, limit: int, deadline: float, timeout: float, cached: Page | None, again: str) -> Page:
    """The last response of the chain: a 304 uses the cached body; a 200 of a document type is read within the limit."""
    status = response.status_code
    if status == 304 and cached is not None:
        return replace(cached, source="revalidated")
    if status != 200:
        raise _status_error(url, status, response.reason_phrase, again)
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media not in MEDIA_TYPES and media not in GENERIC_TYPES and media not in ZIP_TYPES:
        raise _not_a_document(url, media)
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise _too_large(url, limit, int(length))  # before reading a byte of the body
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise _too_large(url, limit)
        if time.monotonic() > deadline:
            raise _timed_out(url, f"the download took longer than {timeout * DEADLINE_TIMEOUTS:g} s", again)
    data = bytes(body)
    if media in GENERIC_TYPES and not looks_like_a_document(data):
        raise _not_a_document(url, media, "the server names no document type and the bytes begin as none of these")
    if media in ZIP_TYPES and not is_document_zip(data):
        raise _not_a_document(url, media, "the server says it is an archive, and it holds neither an OFD nor a .docx")
    return Page(url, final, data, content_type, response.headers.get("etag"), response.headers.get("last-modified"),
                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "network")


def looks_like_a_document(data: bytes) -> bool:
    """Do the bytes begin as a format jiaokan reads?  What decides for a generic type (``application/octet-stream``):
    a ZIP (a .docx or an OFD: ingest tells them apart), a PDF, an OLE file or RTF (old Word, WPS), a PNG, JPEG or
    TIFF scan.  Text served so is refused: nothing in its bytes says it is a document rather than a program."""
    from jiaokan import word  # deferred: word imports ingest

    return (data.startswith(_ZIP) or data[:1024].lstrip().startswith(b"%PDF-") or word.legacy_kind(data) is not None
            or data.startswith(_IMAGES))


def is_document_zip(data: bytes) -> bool:
    """Is this ZIP an OFD (``OFD.xml``) or a .docx (``word/document.xml``), not any other archive?"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = {name.lower() for name in zf.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False
    return "ofd.xml" in names or "word/document.xml" in names


def _again(cached: Page | None) -> str:
    """What an error's fix adds when a copy is cached: the way to read it."""
    return f", or read the copy cached on {cached.fetched[:10]} with --offline" if cached is not None else ""


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _connect_error(url: str, exc: BaseException, again: str) -> InputError:
    import socket
    import ssl

    import httpx

    host = httpx.URL(url).host
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return InputError(f"{url}: host {host} not found", f"its name does not resolve ({cause.strerror or cause})",
                              "check the spelling of the address and the network connection")
        if isinstance(cause, ConnectionRefusedError):
            port = httpx.URL(url).port or (443 if url.lower().startswith("https") else 80)
            return InputError(f"{url}: connection refused", f"nothing accepts connections at {host} port {port}", f"check the address and the port, or try again later{again}")
        if isinstance(cause, ssl.SSLCertVerificationError):
            return InputError(f"{url}: the site's certificate is not trusted", cause.verify_message or str(cause),
                              "check the address; jiaokan does not skip certificate checks (a private CA: set SSL_CERT_FILE)")
        if isinstance(cause, ssl.SSLError):
            return InputError(f"{url}: the secure connection failed", f"the TLS handshake with {host} failed ({cause.reason or cause})",
                              "check the address: is the site http:// rather than https://?")
    return InputError(f"{url}: cannot connect", str(exc)[:120] or type(exc).__name__, f"check the address and the network connection{again}")


def _status_error(url: str, status: int, reason: str, again: str) -> PageError:
    said = f"HTTP {status}{' ' + reason if reason else ''}"
    if status in (404, 410):
        why = "the server has no document at this address" if status == 404 else "the server says the document was removed for good"
        return PageError(f"{url}: {'not found' if status == 404 else 'gone'} ({said})", why, f"check the address, or find where the document moved{again}", status=status)
    if status >= 500:
        return PageError(f"{url}: server error ({said})", "the server failed to answer", f"try again later{again}", status=status)
    if status in (401, 403, 451):
        return PageError(f"{url}: access refused ({said})", "the server does not let this client read the page",
                         f"open it in a browser; if it shows, save the page and give the file{again}", status=status)
    if status == 429:
        return PageError(f"{url}: too many requests ({said})", "the server asks clients to slow down", f"wait a while and try again{again}", status=status)
    if status == 304:
        return PageError(f"{url}: unexpected answer ({said})", "the server answered 'not modified' to a request that had no cached copy", "try again", status=status)
    return PageError(f"{url}: the server refused the request ({said})", "only a 200 answer holds a document", f"check the address{again}", status=status)


def _not_a_document(url: str, media: str, said: str = "the server says this is something else") -> InputError:
    return InputError(f"{url}: not a document ({media})", f"jiaokan reads {READS}; {said}",
                      "give the address of the document itself, not a picture in a page, a video, a script or a download page")


def _too_large(url: str, limit: int, size: int | None = None) -> InputError:
    got = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
    return InputError(f"{url}: too large ({got})", f"the limit is {limit:,} bytes, far beyond any single official document",
                      "check it is the right address, or raise the limit with JIAOKAN_MAX_BYTES")


def _timed_out(url: str, why: str, again: str) -> InputError:
    return InputError(f"{url}: timed out", why, f"try again later, or allow longer with JIAOKAN_TIMEOUT (seconds){again}")


# --------------------------------------------------------------------------
# the cache


class Cache:
    """Pages on disk, one file per URL (the SHA-256 of the URL as given): a header line of JSON, then the body.

    A file is written whole or not at all (atomic.write_atomic: a temporary file, then a rename), so concurrent
    runs and an interrupted one leave a good entry or none; an entry whose body does not match its recorded
    SHA-256 is ignored (and refetched)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path(self, url: str) -> Path:
        return self.folder / "pages" / hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, url: str) -> Page | None:
        try:
            data = self.path(url).read_bytes()
        except OSError:
            return None
        if not data.startswith(_CACHE_MAGIC):
            return None
        header, sep, body = data[len(_CACHE_MAGIC):].partition(b"\n")
        try:
            meta = json.loads(header)
        except ValueError:
            return None
        if not sep or not isinstance(meta, dict) or meta.get("url") != url or meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        return Page(url, str(meta.get("final_url") or url), body, str(meta.get("content_type") or ""), meta.get("etag"), meta.get("last_modified"),
                    str(meta.get("fetched") or ""), "cache")

    def put(self, page: Page) -> None:
        from jiaokan.atomic import why_not, write_atomic

        meta = {"url": page.url, "final_url": page.final_url, "content_type": page.content_type, "etag": page.etag,
                "last_modified": page.last_modified, "fetched": page.fetched, "size": len(page.body), "sha256": hashlib.sha256(page.body).hexdigest()}
        target = self.path(page.url)
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise InputError(f"{self.folder}: cannot write the cache", why_not(exc), "set JIAOKAN_CACHE to a folder you can write") from exc
        try:
            write_atomic(target, _CACHE_MAGIC + json.dumps(meta, ensure_ascii=True).encode("ascii") + b"\n" + page.body)
        except InputError as exc:
            raise InputError(f"{self.folder}: cannot write the cache", exc.why, "set JIAOKAN_CACHE to a folder you can write") from exc
