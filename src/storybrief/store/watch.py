"""``storybrief watch``: poll RSS/Atom feeds over HTTP(S) into a store, losing nothing.

Each poll asks every feed once, conditionally (its ETag and Last-Modified from
the last fetch), through one :class:`~storybrief.readers.fetch.Fetcher` (limits,
robots.txt, politeness, retries). A fetched feed is read as ``ingest`` reads a
feed file; an entry whose feed gives only a summary has its page fetched and
extracted (trafilatura), within the same limits, unless the feed says the same
of it as last time. Articles take ids made from their links, so an entry keeps
its id as the feed moves it down. What a feed brought is stored with
``Store.add_corpus`` (one transaction per batch) and only then is the poll
recorded (validators, entries seen), so a poll cut short is asked again in full.

Every feed request, page request and entry ends in the store's manifest:
``fetched``, ``not-modified`` or ``failed`` (with the reason) for requests;
``used``, ``unchanged``, ``updated`` or ``skipped`` for entries.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import StorybriefError
from ..model import Article, Corpus, Manifest, ManifestEntry, Status
from ..readers import IngestOptions, ingest_bytes
from ..readers.feeds import SUMMARY_ONLY
from ..readers.fetch import FAILED, FETCHED, Fetcher, FetchOptions
from .store import Store


class FeedListError(StorybriefError):
    """A feeds file that cannot be read (one line for the user)."""


def read_feed_list(path: str | Path) -> list[str]:
    """The feed URLs of an OPML file (every outline's ``xmlUrl``) or a text file (one URL a line,
    ``#`` comments), each once, in order."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise FeedListError(f"{file}: cannot read the feeds file ({error})") from None
    if re.match(r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<opml\b", text, re.S | re.I):
        try:
            root = ET.fromstring(text)
        except ET.ParseError as error:
            raise FeedListError(f"{file}: not a valid OPML file ({error})") from None
        urls = [
            value.strip()
            for outline in root.iter("outline")
            for key, value in outline.attrib.items()
            if key.lower() == "xmlurl" and value.strip()
        ]
    else:
        urls = [line.split("#", 1)[0].strip() for line in text.splitlines()]
        urls = [u for u in urls if u]
    bad = [u for u in urls if not _web_address(u)]
    if bad:
        raise FeedListError(f"{file}: not an http(s) feed address: {bad[0]}")
    if not urls:
        raise FeedListError(f"{file}: no feed addresses in it")
    return list(dict.fromkeys(urls))


def _web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@dataclass
class PollReport:
    """What one poll did, feed by feed and in all."""

    feeds: dict[str, str] = field(default_factory=dict)  # url -> fetched / not-modified / failed
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    skipped: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0

    def count(self, status: str) -> int:
        return sum(1 for s in self.feeds.values() if s == status)


def article_id(feed_url: str, link: str | None, title: str | None, record: int | None) -> str:
    """An id that follows an entry, not its place in the feed: the feed's host and a hash of the link."""
    host = re.sub(r"[^\w]+", "-", urlsplit(feed_url).netloc.lower()).strip("-") or "feed"
    key = link or f"{feed_url}#{title or ''}#{record}"
    return f"{host}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"


class Watcher:
    """Polls ``feeds`` into ``store``; ``stop`` (an event) ends a run between two feeds."""

    def __init__(
        self,
        store: Store,
        feeds: Iterable[str],
        *,
        fetch: FetchOptions | None = None,
        ingest: IngestOptions | None = None,
        fetcher: Fetcher | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.feeds = list(feeds)
        self.fetcher = fetcher or Fetcher(fetch)
        self.ingest = ingest or IngestOptions()
        self.progress = progress
        self.stop = threading.Event()

    def close(self) -> None:
        self.fetcher.close()

    def run(self, every: float, *, once: bool = False, on_poll: Callable[[PollReport], None] | None = None) -> None:
        """Poll now and then every ``every`` seconds until ``stop`` is set (or once)."""
        while not self.stop.is_set():
            report = self.poll()
            if on_poll:
                on_poll(report)
            if once or self.stop.wait(every):
                break

    def poll(self) -> PollReport:
        """Ask every feed once (in hand when ``stop`` is set: the feed is finished, the rest not asked)."""
        report = PollReport()
        for url in self.feeds:
            if self.stop.is_set():
                break
            self._poll_feed(url, report)
            if self.progress:
                self.progress(url)
        return report

    # ------------------------------------------------------------------ one feed

    def _poll_feed(self, url: str, report: PollReport) -> None:
        state = self.store.feed(url) or {}
        got = self.fetcher.get(url, etag=state.get("etag"), last_modified=state.get("last_modified"))
        status: Status = got.status
        reason = got.reason
        corpus = None
        if status == FETCHED:
            corpus = ingest_bytes(got.data, name=url, options=dataclasses.replace(self.ingest, format="feed"))
            if not corpus.articles:
                unreadable = [e for e in corpus.manifest.entries if e.status == "skipped" and e.record is None]
                if unreadable:  # the answer is not a feed: the poll failed, and says why
                    status, reason = FAILED, unreadable[0].reason
                    corpus = None
        feed_entry = ManifestEntry(url, status, None, reason, None if status != FAILED else "fetch")
        if corpus is None:
            self.store.add_corpus(Corpus((), Manifest((feed_entry,))))
            self.store.polled(url, status, reason=reason, etag=got.etag, last_modified=got.last_modified)
            report.feeds[url] = status
            return
        articles, entries, seen = self._entries(url, corpus, report)
        result = self.store.add_corpus(Corpus(tuple(articles), Manifest((feed_entry, *entries))))
        report.new += result.new
        report.unchanged += result.unchanged + sum(1 for e in entries if e.status == "unchanged")
        report.updated += result.updated
        report.skipped += result.skipped
        self.store.polled(url, status, reason=reason, etag=got.etag, last_modified=got.last_modified, entries=seen)
        report.feeds[url] = status

    def _entries(
        self, url: str, corpus: Corpus, report: PollReport
    ) -> tuple[list[Article], list[ManifestEntry], list[tuple[str, str, str | None]]]:
        """The feed's articles (re-identified by link, summaries replaced by their pages), the manifest
        entries to record, and the entries seen: (link, hash of what the feed said, article id)."""
        by_article = {a: e for e in corpus.manifest.entries for a in e.articles}
        entries = [e for e in corpus.manifest.entries if not e.articles]  # entries the reader skipped
        articles: list[Article] = []
        seen: list[tuple[str, str, str | None]] = []
        offered: set[str] = set()
        for read in corpus.articles:
            entry = by_article[read.id]
            article = dataclasses.replace(read, id=article_id(url, read.url, read.title, read.record))
            link = article.url or article.id
            said = article.raw_sha256
            again = (
                "the feed gives this entry twice"
                if article.id in offered
                else "entry unchanged since the last poll"
                if self.store.entry_hash(url, link) == said
                else None
            )
            if again:  # nothing new is offered, and a summary's page is not asked again
                entries.append(dataclasses.replace(entry, status="unchanged", articles=(), reason=again))
                seen.append((link, said, None))
                continue
            offered.add(article.id)
            if SUMMARY_ONLY in article.warnings and article.url:
                article, page_entry, transient = self._page(article)
                entries.append(page_entry)
                if transient:
                    said = ""  # the page is asked again next poll
                if page_entry.status == FETCHED and page_entry.code is None:
                    report.pages_fetched += 1
                else:
                    report.pages_failed += 1
            articles.append(article)
            entries.append(dataclasses.replace(entry, articles=(article.id,), warnings=article.warnings))
            seen.append((link, said, article.id))
        return articles, entries, seen

    def _page(self, article: Article) -> tuple[Article, ManifestEntry, bool]:
        """The article with its page's text, or with its summary and why the page is not used."""
        assert article.url is not None
        got = self.fetcher.get(article.url)
        if got.status == FETCHED:
            page = ingest_bytes(got.data, name=article.url, options=dataclasses.replace(self.ingest, format="html"))
            if page.articles and len(page.articles[0].text) > len(article.text):
                found = page.articles[0]
                warnings = tuple(w for w in (*article.warnings, *found.warnings) if w != SUMMARY_ONLY)
                merged = dataclasses.replace(
                    found,
                    id=article.id,
                    url=article.url,
                    record=article.record,
                    path=article.path,
                    title=found.title or article.title,
                    outlet=article.outlet or found.outlet,
                    byline=found.byline or article.byline,
                    published=article.published or found.published,
                    published_source=article.published_source if article.published else found.published_source,
                    format="feed",
                    warnings=(*warnings, "text from the entry's page"),
                )
                return merged, ManifestEntry(article.url, FETCHED, None, "entry page read for the full text"), False
            why = page.manifest.entries[0].reason if page.manifest.entries and not page.articles else None
            reason = f"the page gives no more text than the feed's summary{f' ({why})' if why else ''}"
            status: Status = FETCHED
        else:
            reason, status = got.reason or "not fetched", FAILED
        kept = dataclasses.replace(article, warnings=(*article.warnings, f"entry page not used: {reason}"))
        return kept, ManifestEntry(article.url, status, None, reason, "page"), got.transient
