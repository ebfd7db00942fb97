"""Benchmark: what reading a document from a URL costs next to reading the same bytes from a file (run by hand).

    python benchmarks/bench_web.py [--repeat 20]

A local server (stdlib http.server on 127.0.0.1, in a thread) serves sample 001 with an ETag.  Timed, best of N:
``read_document`` of the saved file; of the URL with an empty cache (a full download, the cache written); of the
URL with a cached copy (a conditional request answered 304); offline (the cache alone).  Then a 50 MB body with
and without Content-Length against a 1 MB limit: the time to the error and the bytes the server got to send.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from _timing import best  # benchmarks/ is on sys.path when run as a script

from jiaokan import read_document
from jiaokan.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
BODY = (ROOT / "samples/directive-vendor-reprint-001.txt").read_bytes()
SENT: dict[str, int] = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/huge"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            if self.path == "/huge-length":
                self.send_header("Content-Length", str(50_000_000))
            self.end_headers()
            chunk = b"x" * 65536
            SENT[self.path] = 0
            for _ in range(50_000_000 // len(chunk)):
                try:
                    self.wfile.write(chunk)
                except OSError:
                    return
                SENT[self.path] += len(chunk)
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/page.txt"
    folder = Path(tempfile.mkdtemp())
    cache = folder / "cache"
    os.environ["JIAOKAN_CACHE"] = str(cache)
    saved = folder / "page.txt"
    saved.write_bytes(BODY)
    try:
        def cold() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            read_document(url)

        def offline() -> None:
            os.environ["JIAOKAN_OFFLINE"] = "1"
            try:
                read_document(url)
            finally:
                del os.environ["JIAOKAN_OFFLINE"]

        rows = [("file (the same bytes saved)", lambda: read_document(saved)), ("URL, empty cache (200, cache written)", cold),
                ("URL, cached (conditional request, 304)", lambda: read_document(url)), ("URL, --offline (the cache alone)", offline)]
        print(f"{len(BODY):,} bytes, best of {args.repeat}")
        for name, fn in rows:
            print(f"  {name:<40} {best(fn, args.repeat) * 1000:7.2f} ms")
        os.environ["JIAOKAN_MAX_BYTES"] = str(1_000_000)
        for path in ("/huge-length", "/huge-chunked"):
            t = time.perf_counter()
            try:
                read_document(url.replace("/page.txt", path))
            except InputError as exc:
                took = time.perf_counter() - t
                time.sleep(0.3)  # the server notices the client hung up
                print(f"  {path:<14} {took * 1000:7.1f} ms to the error, server sent {SENT.get(path, 0):>10,} of 50,000,000 bytes: {exc.what}")
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
