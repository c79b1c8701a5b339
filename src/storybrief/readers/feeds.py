"""RSS and Atom reader through feedparser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import Skip, SkipCode
from ..model import DateSource
from .dates import date_from_url, parse_date
from .draft import Draft, Source
from .html import html_fragment_to_text

#: The warning of an entry whose text is the feed's summary only (``watch`` fetches its page).
SUMMARY_ONLY = "the feed gives a summary only"


def read_feed(source: Source) -> Iterator[Draft | Skip]:
    """One article per feed entry; entry content (or summary) with HTML stripped."""
    import feedparser  # noqa: PLC0415 - loaded on the first feed

    feed = feedparser.parse(source.data)
    entries = list(feed.get("entries") or [])
    problem = feed.get("bozo_exception") if feed.get("bozo") else None
    if not entries:
        if problem is not None:
            raise Skip(SkipCode.INVALID_XML, f"not a valid RSS/Atom feed ({_describe(problem)})")
        raise Skip(SkipCode.NOT_ARTICLES, "feed has no entries")
    warnings = (f"feed is not well-formed ({_describe(problem)}); read what could be parsed",) if problem else ()
    outlet = (feed.get("feed") or {}).get("title")
    for number, entry in enumerate(entries, start=1):
        yield _entry_draft(entry, number, outlet, warnings)


def _describe(problem: Any) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text[:160]


def _author_name(author: str | None) -> str | None:
    """RSS authors are often ``email (Name)``: keep the name, drop a bare address."""
    if not author:
        return None
    match = re.match(r"^\s*\S+@\S+\s*\((?P<name>[^()]+)\)\s*$", author)
    if match:
        return match.group("name").strip()
    if re.fullmatch(r"\s*\S+@\S+\s*", author):
        return None
    return author.strip()


def _entry_draft(entry: Any, number: int, outlet: str | None, warnings: tuple[str, ...]) -> Draft | Skip:
    html = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(html):
            html = value
    summary = entry.get("summary") or ""
    only_summary = not html.strip()
    if len(summary) > len(html):
        html = summary
    text = html_fragment_to_text(html)
    if not text.strip():
        extra = f" ({warnings[0]})" if warnings else ""
        return Skip(SkipCode.NO_TEXT, f"entry {number}: no content or summary{extra}", number)
    published = parse_date(entry.get("published_parsed")) or parse_date(entry.get("published"))
    source_kind = DateSource.FEED if published else DateSource.NONE
    link = entry.get("link")
    if published is None and (day := date_from_url(link)):
        published, source_kind = day, DateSource.URL
    return Draft(
        text=text,
        record=number,
        id_hint=None,
        title=entry.get("title"),
        byline=_author_name(entry.get("author")),
        outlet=outlet,
        url=link,
        published=published,
        published_source=source_kind,
        # dict.get: feedparser maps a missing updated_parsed to published_parsed (deprecated).
        updated=parse_date(dict.get(entry, "updated_parsed")),
        unwrap=False,
        detect_header=False,
        warnings=(*warnings, SUMMARY_ONLY) if only_summary else warnings,
    )
