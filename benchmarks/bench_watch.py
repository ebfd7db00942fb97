"""Benchmark: ``jiaokan watch run`` over many URL copies served by local servers (run by hand).

    python benchmarks/bench_watch.py [--copies 500 --runs 2 --per-host 4 --delay 0 --workers 16 --hosts 8]

One stdlib HTTP server per loopback address (127.0.0.1 … 127.0.0.N: N hosts, as a watch list spans many sites)
serves sample 002 as HTML pages, one per copy, a mix by the copy's number modulo 20: 10 identical, 4 drifted
(履职能力建设 → 履职能力提升), 2 changed without drift on the later runs (a navigation bar added), a 404, a 410, a
redirect to an identical page, and a slow one (0.5 s before answering).  After each run the pages change: a drifted
page of every other kind is fixed, an identical one of every other kind drifts (多层次 → 多层级).  Reported: the
run's wall time and copies/s, the database's size after the runs (per 1,000 copy-runs), and the time of the report.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples/directive-county-forward-002.txt"
TEXT = BASE.read_text(encoding="utf-8")
NAV = '<div class="nav"><a href="/">首页</a> &gt; <a href="/gk">政务公开</a> &gt; <a href="/tz">通知公告</a></div>\n'
SLOW = 0.5  # seconds a slow page waits before it answers


def html(text: str, before: str = "") -> bytes:
    paras = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    return f"<!DOCTYPE html>\n<html><head><title>通知</title></head>\n<body>\n{before}{paras}</body></html>\n".encode()


PAGES = {
    "same": html(TEXT),
    "nav": html(TEXT, NAV),
    "drift": html(TEXT.replace("履职能力建设", "履职能力提升", 1)),
    "drift2": html(TEXT.replace("多层次", "多层级", 1)),
}
GENERATION = [0]  # which run the pages are in


def kind(k: int) -> str:
    m = k % 20
    return "same" if m < 10 else "drift" if m < 14 else "changed" if m < 16 else {16: "404", 17: "410", 18: "redirect", 19: "slow"}[m]


def body(k: int) -> bytes:
    g, what = GENERATION[0], kind(k)
    if what == "changed":
        return PAGES["nav" if g % 2 else "same"]
    if what == "drift":
        return PAGES["same" if g and k % 40 < 20 else "drift"]  # fixed after the first run, every other one
    if what == "same" and g and k % 40 < 20:
        return PAGES["drift2"]  # drifts after the first run, every other one
    return PAGES["same"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        try:
            folder, name = path.strip("/").split("/")
            k = int(name.split(".")[0])
        except ValueError:
            self.send_error(404)
            return
        what = kind(k)
        if folder == "c" and what in ("404", "410"):
            self.send_error(int(what))
            return
        if folder == "c" and what == "redirect":
            self.send_response(302)
            self.send_header("Location", f"/t/{k}.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if what == "slow":
            time.sleep(SLOW)
        data = PAGES["same"] if folder == "t" else body(k)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=500)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--hosts", type=int, default=8, help="loopback addresses 127.0.0.1 … 127.0.0.N, one server each")
    args = ap.parse_args()

    addresses = [f"127.0.0.{h + 1}" for h in range(args.hosts)]
    servers = []
    for a in addresses:
        server = ThreadingHTTPServer((a, 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    folder = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    os.environ["JIAOKAN_CACHE"] = str(folder / "cache")
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(addresses)
    os.environ.pop("JIAOKAN_OFFLINE", None)

    from jiaokan import watch
    from jiaokan.watchdb import open_store

    db = folder / "watch.db"
    store = open_store(db)
    urls = [f"http://{addresses[k % len(addresses)]}:{servers[k % len(servers)].server_address[1]}/c/{k}.html" for k in range(args.copies)]
    watch.add(store, str(BASE), urls, name="county")
    mix: dict[str, int] = {}
    for k in range(args.copies):
        mix[kind(k)] = mix.get(kind(k), 0) + 1
    print(f"{args.copies} copies on {len(addresses)} hosts: {', '.join(f'{n} {w}' for w, n in mix.items())}")
    print(f"workers {args.workers}, per host {args.per_host}, delay {args.delay:g} s; python {sys.version.split()[0]}")
    for r in range(args.runs):
        GENERATION[0] = r
        t = time.perf_counter()
        done = watch.run(store, workers=args.workers, per_host=args.per_host, delay=args.delay)
        wall = time.perf_counter() - t
        statuses: dict[str, int] = {}
        for res in done.results:
            statuses[res.status] = statuses.get(res.status, 0) + 1
        print(f"run {r + 1}: {wall:.2f} s, {args.copies / wall:.1f} copies/s, exit {done.exit_code}; {dict(sorted(statuses.items()))}")
    t = time.perf_counter()
    rep = watch.report(store)
    took = time.perf_counter() - t
    print(f"report: {took * 1000:.0f} ms; " + ", ".join(f"{k} {len(rep.of(k))}" for k in watch.KINDS))
    store.close()  # the last connection closing checkpoints the write-ahead log into the file
    size = db.stat().st_size + sum(p.stat().st_size for p in folder.glob("watch.db-*"))
    copy_runs = args.copies * args.runs
    print(f"database: {size / 1024:.0f} KiB after {args.runs} runs ({copy_runs} copy-runs): {size / copy_runs * 1000 / 1024:.0f} KiB per 1,000 copy-runs")
    for s in servers:
        s.shutdown()


if __name__ == "__main__":
    main()
