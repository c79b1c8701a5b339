"""HTML reader: main text and metadata through trafilatura, dates with provenance."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..errors import Skip, SkipCode
from ..model import DateSource
from .dates import date_from_url, parse_date
from .decode import Decoded
from .draft import Draft, Source

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "tr",
    "table",
    "figure",
    "figcaption",
    "pre",
    "hr",
}
_META_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "publication_date",
)
_META_UPDATED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")


def read_html(source: Source, decoded: Decoded) -> list[Draft]:
    """Extract the main text of a page; raise :class:`Skip` when there is none."""
    import trafilatura  # noqa: PLC0415 - heavy import, loaded on first HTML file
    from lxml import etree  # noqa: PLC0415
    from lxml import html as lxml_html  # noqa: PLC0415

    page = decoded.text
    warnings = list(decoded.warnings)
    try:
        tree = lxml_html.document_fromstring(page.encode("utf-8"))
    except (etree.ParserError, ValueError) as error:
        raise Skip(SkipCode.NO_MAIN_TEXT, f"HTML could not be parsed ({error})") from None
    doc: Any = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        fast=True,
        deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        body = tree.find("body")
        text = fragment_text(body) if body is not None else ""
        if text:
            warnings.append("main text not found by trafilatura; used all body text")
    if not text.strip():
        raise Skip(SkipCode.NO_MAIN_TEXT, "no main text found in the HTML page")

    meta = _page_metadata(tree)
    url = meta.get("url") or getattr(doc, "url", None)
    published, source_kind = meta.get("published"), meta.get("published_source", DateSource.NONE)
    if published is None and doc is not None and getattr(doc, "date", None):
        published, source_kind = parse_date(doc.date), DateSource.HTML_GUESS
    if published is None and (day := date_from_url(url)):
        published, source_kind = day, DateSource.URL
    return [
        Draft(
            text=text,
            title=(getattr(doc, "title", None) or meta.get("title")),
            byline=(getattr(doc, "author", None) or meta.get("author")),
            outlet=(getattr(doc, "sitename", None) or meta.get("outlet")),
            url=url,
            published=published,
            published_source=source_kind if published else DateSource.NONE,
            updated=meta.get("updated"),
            unwrap=False,
            detect_header=False,
            warnings=tuple(warnings),
        )
    ]


def fragment_text(element: Any) -> str:
    """Visible text of an lxml element with block elements on lines of their own."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in {"script", "style", "noscript", "template"}:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    text = "".join(parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed entry content, a record's HTML body)."""
    from lxml import etree  # noqa: PLC0415
    from lxml import html as lxml_html  # noqa: PLC0415

    if "<" not in fragment:
        return fragment
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    return fragment_text(root)


def _page_metadata(tree: Any) -> dict[str, Any]:
    """Title, author, outlet, URL and dates from JSON-LD, meta tags and ``<time>``."""
    meta: dict[str, Any] = {}
    for node in _jsonld_objects(tree):
        kind = str(node.get("@type", ""))
        if not any(k in kind for k in ("Article", "Posting", "Report", "WebPage")):
            continue
        if "published" not in meta and (day := parse_date(node.get("datePublished"))):
            meta["published"], meta["published_source"] = day, DateSource.HTML_JSONLD
        if "updated" not in meta and (day := parse_date(node.get("dateModified"))):
            meta["updated"] = day
        meta.setdefault("title", node.get("headline") if isinstance(node.get("headline"), str) else None)
        publisher = node.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            meta.setdefault("outlet", publisher["name"])
        author = node.get("author")
        authors = author if isinstance(author, list) else [author]
        names = [str(a["name"]) for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
        if names:
            meta.setdefault("author", ", ".join(names))
        if isinstance(node.get("url"), str):
            meta.setdefault("url", node["url"])
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content"):
            tags.setdefault(key, el.get("content"))
    if "published" not in meta:
        for key in _META_DATE_KEYS:
            if day := parse_date(tags.get(key)):
                meta["published"], meta["published_source"] = day, DateSource.HTML_META
                break
    if "updated" not in meta:
        for key in _META_UPDATED_KEYS:
            if day := parse_date(tags.get(key)):
                meta["updated"] = day
                break
    if "published" not in meta:
        times = list(tree.iter("time"))
        times.sort(key=lambda t: 0 if (t.get("pubdate") is not None or "publish" in (t.get("class") or "")) else 1)
        for el in times:
            if day := parse_date(el.get("datetime")):
                meta["published"], meta["published_source"] = day, DateSource.HTML_TIME
                break
    meta.setdefault("url", tags.get("og:url"))
    meta.setdefault("outlet", tags.get("og:site_name"))
    return {k: v for k, v in meta.items() if v is not None}


def _jsonld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
