"""A real HTTP server for the tests that read URLs (test_fetch, test_watch): stdlib http.server on a loopback
address, in a thread, serving routes a test sets and changes, and recording what it was asked — hits and headers
per path, and per host (the Host header) the requests in flight and when each began, so that limits on a client
are seen from the server's side."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Handler = Callable[["Site.Request"], None]


def html_page(text: str, *, meta: str = "", before: str = "") -> str:
    """A text as a web page: its lines as paragraphs (``before``: markup above them, e.g. a navigation bar)."""
    paras = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    return f"<!DOCTYPE html>\n<html><head>{meta}<title>page</title></head>\n<body>\n{before}{paras}</body></html>\n"


class Site:
    """The test server's pages, and what it was asked."""

    class Request(BaseHTTPRequestHandler):
        site: Site

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            host = self.headers.get("Host", "")
            s = self.site
            with s.lock:
                s.hits[path] += 1
                s.headers[path] = dict(self.headers.items())
                s.in_flight[host] += 1
                s.most_in_flight[host] = max(s.most_in_flight[host], s.in_flight[host])
                s.starts[host].append(time.monotonic())
            try:
                handler = s.routes.get(path)
                if handler is None:
                    self.send_error(404)
                    return
                handler(self)
            finally:
                with s.lock:
                    s.in_flight[host] -= 1

        def log_message(self, format: str, *args: object) -> None:
            pass

        def send(self, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

    def __init__(self, address: str = "127.0.0.1") -> None:
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, dict[str, str]] = {}
        self.in_flight: Counter[str] = Counter()  # per Host header: requests being answered now
        self.most_in_flight: Counter[str] = Counter()  # the most at once
        self.starts: defaultdict[str, list[float]] = defaultdict(list)  # when each request began (time.monotonic)
        self.not_modified: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()  # body bytes written by the streaming pages
        self.failing: set[str] = set()  # pages that answer 500 from now on
        self.routes: dict[str, Handler] = {}
        handler = type("Bound", (Site.Request,), {"site": self})
        self.server = ThreadingHTTPServer((address, 0), handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # type: ignore[method-assign,assignment]  # a client hanging up is expected
        self.address = address
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def host(self) -> str:
        """The Host header requests to this server carry (the key of ``in_flight`` and ``starts``)."""
        return f"{self.address}:{self.port}"

    def url(self, path: str) -> str:
        return f"http://{self.address}:{self.port}{path}"

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> str:
        """Serve ``body`` at ``path`` (from now on: calling it again changes the page)."""
        def answer(r: Site.Request) -> None:
            if path in self.failing:
                r.send(b"down", "text/plain", 500)
            else:
                r.send(body, content_type, headers=headers)

        self.routes[path] = answer
        return self.url(path)

    def status(self, path: str, code: int) -> str:
        """Answer ``path`` with an HTTP error ``code``."""
        self.routes[path] = lambda r: r.send(b"<p>no</p>", status=code)
        return self.url(path)

    def redirect(self, path: str, to: str, code: int = 302) -> str:
        def answer(r: Site.Request) -> None:
            r.send_response(code)
            r.send_header("Location", to)
            r.send_header("Content-Length", "0")
            r.end_headers()

        self.routes[path] = answer
        return self.url(path)

    def reset_counts(self) -> None:
        with self.lock:
            self.most_in_flight.clear()
            self.starts.clear()

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


TIMEOUT = "0.4"  # seconds: JIAOKAN_TIMEOUT in the tests that read from these servers


def isolated_reads(tmp_path: Path, monkeypatch: Any, hosts: str = "127.0.0.1") -> None:
    """Library reads in a test never touch the user's cache, wait briefly, and go straight to the loopback servers."""
    monkeypatch.setenv("JIAOKAN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("JIAOKAN_TIMEOUT", TIMEOUT)
    monkeypatch.delenv("JIAOKAN_OFFLINE", raising=False)
    monkeypatch.setenv("NO_PROXY", hosts)
    monkeypatch.setenv("no_proxy", hosts)
