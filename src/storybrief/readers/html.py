"""HTML reader: main text and metadata through trafilatura, dates with provenance."""

from __future__ import annotations

import re
from typing import Any

from ..errors import Skip, SkipCode
from .decode import Decoded
from .draft import Draft, Source
from .metadata import read_metadata

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
# Where pages put the text they show by a picture.
_PICTURE_CLASS = re.compile(r"caption|credit|photo-?desc|image-?desc|img-?desc|media-?desc", re.IGNORECASE)
_PICTURE_TEXT_WORDS = 80
# trafilatura's settings, chosen on measurement (bench/extract.py): its fallback extractors on (a short
# article under a long menu is still found), tables kept as text (they carry figures), no comments.
_SETTINGS: dict[str, Any] = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "fast": False,
    "deduplicate": False,
}
# Fewer words than this and the extraction is checked against a second opinion.
_UNSURE_WORDS = 150


def read_html(source: Source, decoded: Decoded) -> list[Draft]:
    """Extract the main text of a page; raise :class:`Skip` when there is none."""
    import trafilatura  # noqa: PLC0415 - heavy import, loaded on first HTML file
    from lxml import etree  # noqa: PLC0415
    from lxml import html as lxml_html  # noqa: PLC0415

    page = decoded.text
    warnings = list(decoded.warnings)
    try:
        # Told the encoding: libxml2 would otherwise read bytes without an early charset as Latin-1.
        tree = lxml_html.document_fromstring(page.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as error:
        raise Skip(SkipCode.NO_MAIN_TEXT, f"HTML could not be parsed ({error})") from None
    doc: Any = trafilatura.bare_extraction(page, **_SETTINGS)
    meta = read_metadata(tree, page=page, guess=doc)  # trafilatura's readings are its last resort
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text.split()) < _UNSURE_WORDS:
        text, note = _second_opinion(text, page, meta.body, trafilatura)
        if note:
            warnings.append(note)
    if not text:
        body = tree.find("body")
        text = fragment_text(body) if body is not None else ""
        if text:
            warnings.append("main text not found by trafilatura; used all body text")
    if not text.strip():
        raise Skip(SkipCode.NO_MAIN_TEXT, "no main text found in the HTML page")

    return [
        Draft(
            text=text,
            title=meta.title,
            byline=meta.authors,
            outlet=meta.outlet,
            url=meta.url,
            published=meta.published,
            published_source=meta.published_source,
            updated=meta.updated,
            unwrap=False,
            detect_header=False,
            warnings=tuple(warnings),
            captions=picture_texts(tree),
        )
    ]


def _second_opinion(text: str, page: str, article_body: str | None, trafilatura: Any) -> tuple[str, str | None]:
    """A short extraction checked against the page's own statement of its body and a recall-minded extraction.

    Pages behind a paywall or built by scripts often give trafilatura a caption or a teaser while their
    JSON-LD ``articleBody`` holds the article; a longer reading replaces the short one, with a warning.
    """
    words = len(text.split())
    if article_body and len(article_body.split()) >= max(_UNSURE_WORDS // 3, 1.5 * words):
        return article_body, f"main text from the page's JSON-LD articleBody (the extracted text had {words} words)"
    doc = trafilatura.bare_extraction(page, **{**_SETTINGS, "favor_recall": True, "with_metadata": False})
    longer = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(longer.split()) >= 2 * max(words, _UNSURE_WORDS // 3):
        return longer, f"main text from a recall-minded extraction (the first had {words} words)"
    return text, None


def picture_texts(tree: Any) -> tuple[str, ...]:
    """The texts a page shows by its pictures: captions, credits, alt and title texts of images."""
    out: list[str] = []
    for el in tree.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "img":
            out.extend(v for v in (el.get("alt"), el.get("title")) if v and v.strip())
            continue
        if tag in {"script", "style", "body", "html", "head"}:
            continue
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if tag == "figcaption" or (tag and _PICTURE_CLASS.search(marks)):
            text = " ".join(el.text_content().split())
            if text and len(text.split()) <= _PICTURE_TEXT_WORDS:
                out.append(text)
    return tuple(dict.fromkeys(out))


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
