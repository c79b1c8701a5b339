"""``watch`` against a feed server on 127.0.0.1 started here: every case ends in the manifest with its
status, nothing else is fetched, nothing crashes. All feeds and pages are invented."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storybrief.cli import app
from storybrief.readers.fetch import Fetcher, FetchOptions
from storybrief.store import Store
from storybrief.store.watch import FeedListError, Watcher, read_feed_list

BODY = (
    "The Halvard ferry company said on Monday it would add two night crossings to Kessa island from June, "
    "after a winter in which {n} sailings were cancelled by storms. The harbour board approved the plan."
)
PAGE = (
    "<html><head><title>Kestrel bridge reopens</title></head><body><article><h1>Kestrel bridge reopens</h1>"
    + "".join(
        f"<p>The Kestrel bridge over Lake Orlen reopened on Tuesday after {n} weeks of repairs, the city said. "
        f"Engineers replaced {n + 3} cables and the deck, and traffic was back to normal by the evening.</p>"
        for n in range(4, 9)
    )
    + "</article></body></html>"
)


def rss(items: list[tuple[str, str, str | None, str | None]]) -> bytes:
    """An RSS 2.0 feed of (title, link, full content or None, summary or None) items."""
    parts = []
    for title, link, content, summary in items:
        body = f"<content:encoded><![CDATA[<p>{content}</p>]]></content:encoded>" if content else ""
        desc = f"<description>{summary}</description>" if summary else ""
        parts.append(
            f"<item><title>{title}</title><link>{link}</link>"
            f"<pubDate>{formatdate(1772409600)}</pubDate>{desc}{body}</item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Lake Orlen Post</title>{''.join(parts)}</channel></rss>"
    ).encode()


class FeedServer:
    """Routes -> handlers; every request is logged (path, User-Agent); ``poll`` counts the test's polls."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.poll = 1
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a limit)
                    route(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


def send(handler: BaseHTTPRequestHandler, body: bytes, status: int = 200, **headers: str) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    base = s.base

    def etag(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            send(h, b"", 304, ETag='"v1"')
        else:
            send(h, rss([("Ferry plan", f"{base}/etag-1.html", BODY.format(n=11), None)]), ETag='"v1"')

    def slow(h: BaseHTTPRequestHandler) -> None:
        time.sleep(1.5)
        send(h, rss([("Slow", f"{base}/slow-1.html", BODY.format(n=3), None)]))

    def redirect(to: str) -> Callable[[BaseHTTPRequestHandler], None]:
        return lambda h: send(h, b"", 302, Location=to)

    def changing(h: BaseHTTPRequestHandler) -> None:
        send(h, rss([("Ferry count", f"{base}/changing-1.html", BODY.format(n=20 + s.poll), None)]))

    big_page = b"<html><body><p>" + b"Lake Orlen " * 480_000 + b"</p></body></html>"  # about 5 MB
    shared = ("Shared story", f"{base}/shared.html", BODY.format(n=7), None)
    s.routes = {
        "/robots.txt": lambda h: send(h, b"User-agent: *\nDisallow: /private/\n"),
        "/normal.xml": lambda h: send(
            h,
            rss(
                [
                    ("Ferry plan", f"{base}/normal-1.html", BODY.format(n=14), None),
                    ("Ferry vote", f"{base}/normal-2.html", BODY.format(n=15), None),
                ]
            ),
        ),
        "/etag.xml": etag,
        "/slow.xml": slow,
        "/error.xml": lambda h: send(h, b"oops", 500),
        "/loop-a.xml": redirect("/loop-b.xml"),
        "/loop-b.xml": redirect("/loop-a.xml"),
        "/moved.xml": redirect("/normal.xml"),
        "/malformed.xml": lambda h: send(h, b"\x00\x01 not a feed <<< &&& \xff"),
        "/big.xml": lambda h: send(
            h, rss([("Big page", f"{base}/big-page.html", None, "A short summary of the ferry story on Kessa.")])
        ),
        "/big-page.html": lambda h: send(h, big_page, content_type="text/html"),
        "/dup-a.xml": lambda h: send(h, rss([shared])),
        "/dup-b.xml": lambda h: send(h, rss([shared])),
        "/changing.xml": changing,
        "/summary.xml": lambda h: send(
            h, rss([("Kestrel bridge reopens", f"{base}/story.html", None, "The bridge reopened on Tuesday.")])
        ),
        "/story.html": lambda h: send(h, PAGE.encode(), content_type="text/html; charset=utf-8"),
        "/private/feed.xml": lambda h: send(h, rss([shared])),
    }
    s.thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


FEEDS = [
    "/normal.xml",
    "/etag.xml",
    "/slow.xml",
    "/error.xml",
    "/loop-a.xml",
    "/moved.xml",
    "/malformed.xml",
    "/big.xml",
    "/dup-a.xml",
    "/dup-b.xml",
    "/changing.xml",
    "/summary.xml",
    "/private/feed.xml",
]
LIMITS = FetchOptions(timeout=0.5, max_bytes=1_000_000, retries=1, backoff=0.01, delay=0.0)


def _inputs(store: Store) -> list[tuple[str, int | None, str, str | None]]:
    return [tuple(r) for r in store.db.execute("SELECT input, record, status, reason FROM inputs ORDER BY id")]


def test_every_feed_case_ends_in_the_manifest_and_nothing_else_is_fetched(server: FeedServer, tmp_path: Path) -> None:
    url = {f: server.base + f for f in FEEDS}
    with Store(tmp_path / "s.db") as store:
        watcher = Watcher(store, [url[f] for f in FEEDS], fetch=LIMITS)
        first = watcher.poll()
        assert first.feeds == {
            url["/normal.xml"]: "fetched",
            url["/etag.xml"]: "fetched",
            url["/slow.xml"]: "failed",
            url["/error.xml"]: "failed",
            url["/loop-a.xml"]: "failed",
            url["/moved.xml"]: "fetched",
            url["/malformed.xml"]: "failed",
            url["/big.xml"]: "fetched",
            url["/dup-a.xml"]: "fetched",
            url["/dup-b.xml"]: "fetched",
            url["/changing.xml"]: "fetched",
            url["/summary.xml"]: "fetched",
            url["/private/feed.xml"]: "failed",
        }
        reasons = {f: (store.feed(url[f]) or {}).get("last_reason") or "" for f in FEEDS}
        assert "timed out" in reasons["/slow.xml"] and "2 attempts" in reasons["/slow.xml"]
        assert reasons["/error.xml"] == "HTTP 500 after 2 attempts"
        assert "redirect loop" in reasons["/loop-a.xml"]
        assert "not a valid RSS/Atom feed" in reasons["/malformed.xml"] or "no entries" in reasons["/malformed.xml"]
        assert "robots.txt" in reasons["/private/feed.xml"]
        manifest = _inputs(store)
        pages = {i: (st, why) for i, _, st, why in manifest if i.endswith(".html")}
        assert (
            pages[server.base + "/big-page.html"][0] == "failed" and "limit" in pages[server.base + "/big-page.html"][1]
        )
        assert pages[server.base + "/story.html"][0] == "fetched"
        # the same entry in two feeds is stored once; the second feed's copy is recorded as unchanged
        shared = [st for i, r, st, _ in manifest if r == 1 and i in (url["/dup-a.xml"], url["/dup-b.xml"])]
        assert shared == ["used", "unchanged"]
        stored = {a["url"]: a for a in (json.loads(d) for (d,) in store.db.execute("SELECT data FROM articles"))}
        assert "Engineers replaced" in stored[server.base + "/story.html"]["text"]  # the page's text, not the summary
        assert stored[server.base + "/big-page.html"]["text"] == "A short summary of the ferry story on Kessa."
        assert any("entry page not used" in w for w in stored[server.base + "/big-page.html"]["warnings"])
        # new: normal's two, etag, big, shared, changing, summary; unchanged: moved's two (normal's), dup-b's copy
        assert (first.new, first.unchanged, first.updated) == (7, 3, 0)
        paths = server.paths()
        assert "/private/feed.xml" not in paths and not [p for p in paths if p.startswith(("/normal-", "/shared"))]
        assert paths.count("/error.xml") == 2 and paths.count("/robots.txt") == 1
        assert all(agent.startswith("storybrief/") for _, agent in server.requests)

        server.poll, before = 2, len(server.requests)
        second = watcher.poll()
        assert second.feeds[url["/etag.xml"]] == "not-modified" and second.updated == 1 and second.new == 0
        again = server.paths()[before:]
        assert "/story.html" not in again and "/big-page.html" not in again  # their entries did not change
        assert store.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 1  # the changed entry's old text
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        feed = store.feed(url["/etag.xml"]) or {}
        assert feed["etag"] == '"v1"' and feed["last_status"] == "not-modified"
        assert (store.feed(url["/error.xml"]) or {})["failures"] == 2
        watcher.close()


def test_politeness_waits_between_two_requests_to_one_host(server: FeedServer) -> None:
    waits: list[float] = []
    with Fetcher(FetchOptions(delay=5.0, retries=0), sleep=waits.append) as fetcher:
        assert fetcher.get(server.base + "/normal.xml").status == "fetched"
        assert fetcher.get(server.base + "/etag.xml").status == "fetched"
    assert len(waits) == 2 and all(4.0 < w <= 5.0 for w in waits)  # robots.txt -> feed, then feed -> feed


def test_feed_lists_opml_and_text(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
        '<outline text="A" xmlUrl="https://example.org/a.xml"/><outline text="B" xmlURL="https://example.org/b.xml"/>'
        '<outline text="A again" xmlUrl="https://example.org/a.xml"/></outline></body></opml>'
    )
    assert read_feed_list(opml) == ["https://example.org/a.xml", "https://example.org/b.xml"]
    text = tmp_path / "feeds.txt"
    text.write_text("# our feeds\nhttps://example.org/a.xml\n\nhttp://example.org/c.xml  # a comment\n")
    assert read_feed_list(text) == ["https://example.org/a.xml", "http://example.org/c.xml"]
    text.write_text("ftp://example.org/a.xml\n")
    with pytest.raises(FeedListError, match="not an http"):
        read_feed_list(text)


def test_watch_command_once_and_its_errors(server: FeedServer, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{server.base}/normal.xml\n{server.base}/error.xml\n")
    db = tmp_path / "w.db"
    args = ["watch", "--feeds", str(feeds), "--store", str(db), "--once", "--delay", "0", "--retries", "0"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "failed: " in result.output and "HTTP 500" in result.output
    stats = CliRunner().invoke(app, ["stats", "--store", str(db)])
    assert "feeds: 2" in stats.output and "1 failed polls in a row" in stats.output
    bad = CliRunner().invoke(app, ["watch", "--feeds", str(tmp_path / "none.txt"), "--store", str(db), "--once"])
    assert bad.exit_code == 2 and "cannot read the feeds file" in bad.output and "Traceback" not in bad.output
    bad = CliRunner().invoke(app, ["watch", "--feeds", str(feeds), "--store", str(db), "--every", "soon"])
    assert bad.exit_code == 2 and "not a duration" in bad.output


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_watch_stops_cleanly_on_a_signal(server: FeedServer, tmp_path: Path, signum: int) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{server.base}/normal.xml\n{server.base}/summary.xml\n")
    db = tmp_path / "w.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    cli = "import sys; from storybrief.cli import main; sys.argv[0] = 'storybrief'; main()"
    command = [sys.executable, "-c", cli, "watch", "--feeds", str(feeds), "--store", str(db)]
    child = subprocess.Popen([*command, "--every", "1s", "--delay", "0"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.paths().count("/normal.xml") < 2:  # two polls begun
            time.sleep(0.1)
        assert server.paths().count("/normal.xml") >= 2, "the watcher did not poll twice"
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 0, stderr
    assert f"{signal.Signals(signum).name}: stopping after the feed in hand" in stderr and "Traceback" not in stderr
    with Store(db) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.stats()["articles"] == 3
