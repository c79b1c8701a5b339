"""A page's metadata: title, authors, outlet, URL and dates, each from the best source the page has.

Pages state their metadata several times over: JSON-LD, ``<meta>`` tags, ``<time>`` elements, the
visible headline and byline, the URL. Each field is read from every source, cleaned of what is not
the field (a site's name in a title, a site or a job title among authors, a placeholder date), and
taken from the first source in order of trust that still has a value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..model import DateSource
from ..text.places import place_id
from .dates import date_from_url, parse_date

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
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "publication_date",
    "article.published",
    "published_time",
    "created",
)
_META_AUTHOR_KEYS = frozenset({"author", "article:author", "dc.creator", "citation_author", "parsely-author"})
_META_UPDATED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")
_ARTICLE_TYPES = ("Article", "Posting", "Report", "BlogPosting", "NewsArticle", "WebPage", "Recipe", "Review")
# Between a headline and a site's name in a page title.
_TITLE_SEPARATOR = re.compile(r"(\s+(?:[|–—»›·•:]{1,2}|-{1,2}|::|/)\s+)")
_BREADCRUMB = {"»", "›", "|", "/", "::", "»»", "||"}
# What a byline field holds besides names.
_NOT_A_NAME = re.compile(
    r"^(?:by|and|staff|staff writers?|staff reporters?|contributors?|contributing writers?|editors?|"
    r"editorial(?: staff| team| board)?|admin(?:istrator)?|guest(?: author)?|no author|anonymous|unknown|"
    r"news ?desk|web ?desk|(?:the )?news(?: staff| team)?|team|agencies|wire(?: services?)?|"
    r"phd|md|mph|msc|ma|rd|rn|dr|the|a|an)\.?$",
    re.IGNORECASE,
)
_NAME_PREFIX = re.compile(r"^(?:by|written by|posted by|words by|reporting by|view all posts by|author:?)\s+", re.I)
_NAME_SUFFIX = re.compile(
    r",?\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:jan|feb|mar|apr|jun|jul|aug|"
    r"sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}[/.-]\d{1,2}|\d{4}|updated|published|posted)\b.*$|"
    r"\s+(?:january|february|march|april|june|july|august|september|october|november|december)$|"
    r",?\s+(?:is|was|has|writes|covers|reports)\b.*$|\s+(?:says|said|wrote|writes)$|\s*\|.*$|\s+@\s.*$|\s+[-–—]\s+.*$|"
    r",?\s+(?:staff writer|staff reporter|senior writer|reporter|correspondent|contributor|editor)\b.*$",
    re.IGNORECASE,
)
_CREDIT_BY = re.compile(r"^(?:photo(?:graph)?s?|images?|illustrations?|video|graphics?|pictures?)\s+by\b", re.I)
# Who did something else to a text than write it ("Edited by", "Reviewed by"): not its author.
_OTHER_ROLE_BY = re.compile(
    r"\b(?:edited|translated|illustrated|compiled|photographed|reviewed|fact[- ]checked|checked|narrated|produced)"
    r"\s+by\b",
    re.I,
)
_PARTICLES = {
    "de",
    "da",
    "del",
    "della",
    "di",
    "du",
    "van",
    "von",
    "der",
    "den",
    "ter",
    "la",
    "le",
    "bin",
    "al",
    "el",
    "y",
}
# Parts of a page around the article, named by an ancestor's tag, class or id.
_ASIDE_TAGS = {"aside", "form", "nav"}  # not <footer>: an article's own footer often holds its byline
_ASIDE_WORDS = re.compile(r"comments?|repl(?:y|ies)|responses?|sidebar|widgets?|footer|related|recommend\w*", re.I)
# Where sites link an author's name: the author's page.
_AUTHOR_LINK = re.compile(
    r"/(?:authors?|reporters?|writers?|journalists?|columnists?|contributors?|staff|people|profiles?)/[^/?#]+", re.I
)
_BYLINE_CLASS = re.compile(r"byline|(?:^|[\s_-])(?:author|authors|author-?name|writer|creator)(?:$|[\s_-])", re.I)
_EARLIEST_WEB = dt.date(1991, 1, 1)  # a page's date before the web is a placeholder
_MONTH_FIRST = ("en-us", "en_us", "en-ph", "en-ca")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a page says about its article; ``published_source`` tells where the date came from."""

    title: str | None = None
    authors: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_source: DateSource = DateSource.NONE
    updated: dt.date | None = None
    body: str | None = None  # the JSON-LD ``articleBody``, when the page states its text


def read_metadata(tree: Any, *, page: str = "", guess: Any = None) -> PageMetadata:
    """Read the metadata of a parsed page; ``page``: its source; ``guess``: trafilatura's reading of it."""
    tags = _meta_tags(tree)
    ld = _jsonld_article(tree)
    url = _first_str(ld.get("url"), tags.get("og:url"), _canonical(tree), getattr(guess, "url", None))
    sites = _site_names(tree, tags, ld, url)
    outlet = _first_str(tags.get("og:site_name"), _publisher(ld), getattr(guess, "sitename", None))
    dayfirst = _day_first(tree)
    published, source = _published(tree, tags, ld, url, guess, dayfirst, _local_offset(page))
    updated = _first_date((ld.get("dateModified"), *(tags.get(k) for k in _META_UPDATED_KEYS)), dayfirst)
    return PageMetadata(
        title=page_title(tree, tags, ld, sites) or _clean_str(getattr(guess, "title", None)),
        authors=page_authors(tree, tags, ld, sites, guess),
        outlet=_clean_str(outlet),
        url=url,
        published=published,
        published_source=source if published else DateSource.NONE,
        updated=updated,
        body=_clean_body(ld.get("articleBody")),
    )


# --------------------------------------------------------------------------- title


def page_title(tree: Any, tags: dict[str, str], ld: dict[str, Any], sites: set[str]) -> str | None:
    """The headline: the visible ``<h1>`` where the page's titles agree with it, else the title without the site."""
    titles = [
        t
        for t in (tags.get("og:title"), _str(ld.get("headline")), tags.get("twitter:title"), _title_tag(tree))
        if t and _clean_str(t)
    ]
    headings = [h for h in (_clean_str(_text(e)) for e in tree.iter("h1")) if h and not _is_site(h, sites)]
    stripped = [s for s in (_strip_site(_clean_str(t) or "", sites) for t in titles) if s]
    for heading in headings:
        key = _key(heading)
        if len(key) >= 3 and any(key in _key(t) for t in titles):
            return heading
    if stripped:
        return stripped[0]
    return headings[0] if len(headings) == 1 and len(headings[0].split()) >= 3 else None


def _strip_site(title: str, sites: set[str]) -> str:
    """``Headline | Site`` → ``Headline``; ``Site » Section » Headline`` → ``Headline``.

    A hyphen inside what is left stays (``Chapter 1: Prologue - Murdered``); a trail of breadcrumb
    separators (``»``, ``|``, ``/``, ``::``) leads from the site to the headline at its far end.
    """
    pieces = _TITLE_SEPARATOR.split(title)
    parts, seps = pieces[::2], [s.strip() for s in pieces[1::2]]
    if len(parts) == 1:
        return title
    site = [_is_site(p, sites) for p in parts]
    if site[0] == site[-1]:  # no site at either end (or the whole title is site names)
        return title
    if site[0]:
        start = next(i for i, s in enumerate(site) if not s)
        rest, rest_seps = parts[start:], seps[start:]
        leaf = rest[-1]
    else:
        end = max(i for i, s in enumerate(site) if not s)
        rest, rest_seps = parts[: end + 1], seps[:end]
        leaf = rest[0]
    if len(rest) > 1 and all(s in _BREADCRUMB for s in rest_seps):
        return leaf
    first, last = title.find(rest[0]), title.rfind(rest[-1]) + len(rest[-1])
    return title[first:last].strip()


def _site_names(tree: Any, tags: dict[str, str], ld: dict[str, Any], url: str | None) -> set[str]:
    names = {
        _compact(n)
        for n in (tags.get("og:site_name"), tags.get("application-name"), tags.get("twitter:site"), _publisher(ld))
        if n
    }
    host = urlsplit(url).hostname if url and "//" in url else None
    if host:
        labels = [x for x in host.lower().split(".") if x not in {"www", "m", "amp", "edition", "uk", "us"}]
        if labels:
            names.add(_compact(max(labels[:-1] or labels, key=len)))
    return {n for n in names if len(n) >= 3}


def _is_site(text: str, sites: set[str]) -> bool:
    """True when ``text`` names the site: its name, or its domain with or without spaces and a suffix word."""
    key = _compact(text)
    if not key:
        return True
    for site in sites:
        if key == site:
            return True
        shorter, longer = sorted((key, site), key=len)
        if len(shorter) >= 4 and longer.startswith(shorter) and len(text.split()) <= 5:
            return True
    return False


# --------------------------------------------------------------------------- authors


def page_authors(tree: Any, tags: dict[str, str], ld: dict[str, Any], sites: set[str], guess: Any) -> str | None:
    """Authors from JSON-LD, meta tags, the byline's markup or trafilatura, without sites and job titles."""
    candidates: list[list[str]] = []
    author = ld.get("author")
    people = author if isinstance(author, list) else [author]
    names = [
        p["name"] if isinstance(p, dict) else p
        for p in people
        if (isinstance(p, dict) and isinstance(p.get("name"), str) and p.get("@type") != "Organization")
        or isinstance(p, str)
    ]
    candidates.append(names)
    candidates.append(_meta_values(tree, _META_AUTHOR_KEYS))  # a tag given once per author
    candidates.append(_byline_elements(tree))
    candidates.append(_labelled_byline(tree))
    candidates.append([getattr(guess, "author", None) or ""])
    for n, group in enumerate(candidates):
        found = _names(group, sites)
        if found:
            return "; ".join(_fuller(found, [_names(g, sites) for g in candidates[n + 1 :]]))
    return "; ".join(_names(_owner(tree), sites)) or None  # read only when the page names no author


_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|\bcopyright\b)\s*(?:\(c\)\s*)?(?:\d{4}(?:\s*[-–]\s*(?:\d{4})?)?,?\s*)?"
    r"(?P<name>(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}))",
    re.IGNORECASE,
)


def _owner(tree: Any) -> list[str]:
    """The person a personal site belongs to: the holder of its copyright line when the page's title names
    them too ("© 2021 Jane Roe" under "Jane Roe's notebook | On ferries")."""
    title = _compact(_title_tag(tree) or "")
    body = tree.find("body")
    if not title or body is None:
        return []
    for match in _COPYRIGHT.finditer(" ".join(" ".join(body.itertext()).split())):
        name = match.group("name")
        if _compact(name) in title:
            return [name]
    return []


def _fuller(found: list[str], later: list[list[str]]) -> list[str]:
    """A one-word name ("Jane") written in full by a later source ("Jane Roe"): the full name."""
    out = []
    for name in found:
        key = name.casefold()
        full = [f for names in later for f in names if " " in f and key in {w.casefold() for w in f.split()}]
        out.append(full[0] if full and " " not in name else name)
    return out


def _meta_values(tree: Any, keys: frozenset[str]) -> list[str]:
    """Every value of the meta tags named ``keys``, in page order (authors are often one tag each).

    Only ``name`` and ``property``: a microdata ``itemprop`` may belong to another item (a cited work).
    """
    out: list[str] = []
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key in keys and (value := (el.get("content") or "").strip()):
            out.append(value)
    return out


_BYLINE_LABELS = ("by", "written by", "posted by", "words by", "story by")
# A byline written as one line of text: "Posted by Jane Roe @ 9:40 am", "Written by Jane Roe on March 4".
_BYLINE_LINE = re.compile(r"^(?i:" + "|".join(_BYLINE_LABELS) + r")\s+(?=[A-Z])")


def _labelled_byline(tree: Any) -> list[str]:
    """A name in the element after a lone "By" label (``<span>By</span><span>Jane Roe</span>``), or in
    a short line of text that starts with the label (``Posted by Jane Roe @ 9:40 am``)."""
    body = tree.find("body")
    if body is None:
        return []
    label = False
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in {"script", "style", "noscript"}:
            continue
        for own, chunk in ((True, el.text), (False, el.tail)):
            text = " ".join((chunk or "").split()).strip("|·:- ")
            if not text:
                continue
            if label and len(text.split()) <= 5 and not (_is_aside(el) or _within_aside(el)):
                return [text] if _names([text], set()) else []
            label = text.lower() in _BYLINE_LABELS
            if not label and own and _byline_line(el, text):
                found = _names([text], set())
                if found:
                    return found
    return []


def _byline_line(el: Any, text: str) -> bool:
    """A short line of the article that starts as a byline does: not a link ("By Region" in a menu),
    not a photo or video credit, not in comments or a sidebar."""
    if not _BYLINE_LINE.match(text) or len(text.split()) > 12 or el.tag == "a":
        return False
    if re.search(r"credit|caption", f"{el.get('class') or ''} {el.get('id') or ''}", re.IGNORECASE):
        return False
    return not (_is_aside(el) or _within_aside(el))


def _within_aside(el: Any) -> bool:
    """True for an element inside comments, a sidebar, a footer or a form (see :func:`_is_aside`); not
    one that holds the article itself (a blog platform's "widget" around its post)."""
    return any(_is_aside(a) and not _holds_article(a) for a in el.iterancestors())


def _holds_article(el: Any) -> bool:
    """True for an element with the article's body, marked as such, inside it (``itemprop=articleBody``; not
    an ``<article>``, which a list of related posts has one of for each)."""
    return bool(el.xpath(".//*[@itemprop='articleBody' or @itemprop='blogPost']"))


def _byline_elements(tree: Any) -> list[str]:
    """The text of the article's first byline element (not a comment's, a form's or a sidebar's)."""
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in {"script", "style", "meta", "link", "body", "html", "label"}:
            continue
        marked = el.get("rel") == "author" or el.get("itemprop") == "author"
        marked = marked or (el.tag == "a" and bool(_AUTHOR_LINK.search(el.get("href") or "")))
        marks = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('data-testid') or ''}"
        if not marked and not _BYLINE_CLASS.search(marks):
            continue
        if _within_aside(el):
            continue
        inner = [c for c in el.iter() if c is not el and c.get("itemprop") == "name"]
        text = " ".join(" ".join((inner[0] if inner else el).itertext()).split())
        if text and _short_byline(text) and _names([text], set()):
            return [text]
    return []


def _short_byline(text: str) -> bool:
    """Short enough to be a byline, not a paragraph: a dozen words, or a list of short names before a
    team or an outlet ("By Ada Okafor, Tomas Brenner, Ilse Varga and Jane Roe - Kestrel newsroom")."""
    head = re.split(r"\s+[-–—|]\s+", text)[0]
    parts = re.split(r",|\band\b|&", head)
    return len(text.split()) <= 12 or (len(parts) > 2 and all(0 < len(p.split()) <= 4 for p in parts))


def _is_aside(el: Any) -> bool:
    """True for an element around the article: comments, a sidebar, a footer, a form (not a layout "with-sidebar")."""
    if el.tag in _ASIDE_TAGS:
        return True
    for token in f"{el.get('class') or ''} {el.get('id') or ''}".split():
        words = [w for w in re.split(r"[-_]+", token) if w]
        for i, word in enumerate(words):
            before = words[i - 1].lower() if i else ""
            if before in {"article", "post", "story", "entry"} and word.lower() == "sidebar":
                continue  # the article's own sidebar: its byline, its date
            if _ASIDE_WORDS.fullmatch(word) and before not in {"with", "has", "no"}:
                return True
    return False


def clean_byline(value: str | None, outlet: str | None) -> str | None:
    """A byline found in a page's text (``By Jane Roe, Orlen Courier, Thursday``) as names, without the outlet."""
    sites = {_compact(outlet)} if outlet else set()
    # The line was read as a byline already: its words need not pass the capital-letter test again.
    names = _names([value], sites, shaped=True) if value else []
    return "; ".join(names) or None


def _names(values: list[str], sites: set[str], *, shaped: bool = False) -> list[str]:
    """Clean person names out of byline values: split lists, drop prefixes, sites, titles and handles."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        text = _clean_str(value)
        if not text or "://" in text or text.startswith("@") or len(text) > 120:
            continue
        if _OTHER_ROLE_BY.search(text):
            continue
        if not _CREDIT_BY.match(text) and (by := re.search(r"(?:^|\s)by\s+(?=\S)", text, re.IGNORECASE)):
            text = text[by.end() :]  # "Posted on March 4, 2021 by Jane Roe"
        text = _NAME_SUFFIX.sub("", _NAME_PREFIX.sub("", text))
        if _compact(text) in sites:
            continue  # the site's own name ("Jobs & Hire" on jobsandhire.example)
        for part in re.split(r"\s*(?:;|,|\band\b|&|\||/)\s*", text):
            name = _name(part, sites, shaped=shaped)
            if name and out and place_id(name) is not None:
                continue  # the bureau after the names ("Jane Roe, Orlen Courier, Lisbon")
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
    return out


def _name(part: str, sites: set[str], *, shaped: bool = False) -> str | None:
    """One person's name from a piece of a byline, or None when the piece is not one."""
    name = part.strip(" .:-*")
    if _CREDIT_BY.match(name):
        return None
    name = re.sub(r"^[\w-]+ by\s+", "", name, flags=re.IGNORECASE)
    words = name.split()
    while len(words) > 2 and (_NOT_A_NAME.match(words[-1]) or _compact(words[-1]) in sites):
        words.pop()  # "Jane Roe Staff", "Jane Roe Kestrel" on kestrel.example
    name = " ".join(words)
    if not name or _NOT_A_NAME.match(name) or _of_site(name, sites) or len(words) > 5:
        return None
    if any(ch.isdigit() for ch in name) or not re.search(r"[^\W\d_]", name):
        return None
    if any(len(re.findall(r"[a-z][A-Z]", w)) >= 2 for w in words):
        return None  # words run together from a menu ("AboutTwitterGithub")
    if not shaped and not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        return None  # a sentence or a label ("View my profile", "Name (required)")
    return name.title() if name.isupper() and len(name) > 3 else name


# --------------------------------------------------------------------------- dates


def _published(
    tree: Any,
    tags: dict[str, str],
    ld: dict[str, Any],
    url: str | None,
    guess: Any,
    dayfirst: bool,
    offset: dt.timezone | None,
) -> tuple[dt.date | None, DateSource]:
    """The publication date: JSON-LD, meta tags, ``<time>``, the URL, then trafilatura's reading of the page.

    A placeholder (before the web, or the epoch) is rejected and the next source is tried. A time given
    in UTC is read on the publisher's clock where the page writes its times with a zone of its own.
    """
    chain: list[tuple[DateSource, list[Any]]] = [
        (DateSource.HTML_JSONLD, [ld.get("datePublished"), ld.get("dateCreated")]),
        (DateSource.HTML_META, [tags.get(k) for k in _META_DATE_KEYS]),
        (DateSource.HTML_TIME, [el.get("datetime") or _text(el) for el in _time_elements(tree)]),
        (DateSource.URL, [date_from_url(url)]),
        (DateSource.HTML_GUESS, [getattr(guess, "date", None)]),
    ]
    for source, values in chain:
        day = _first_date([_on_clock(v, offset) for v in values], dayfirst)
        if day and source is DateSource.HTML_GUESS and (day.month, day.day) == (1, 1):
            continue  # a guess on the first of January is a year alone (a copyright line), not a day
        if day:
            return day, source
    return None, DateSource.NONE


_UTC = {"Z", "+0000", "-0000"}
_STAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})")


def _local_offset(page: str) -> dt.timezone | None:
    """The zone the page writes its own times in: the commonest offset other than UTC, if any."""
    zones = Counter(m.group("zone").replace(":", "") for m in _STAMP.finditer(page))
    local = [z for z, _ in zones.most_common() if z not in _UTC]
    if not local:
        return None
    zone = local[0]
    minutes = int(zone[1:3]) * 60 + int(zone[3:5])
    return dt.timezone(dt.timedelta(minutes=minutes if zone[0] == "+" else -minutes))


def _on_clock(value: Any, offset: dt.timezone | None) -> Any:
    """A UTC timestamp moved to the page's own zone (so the date is the publisher's calendar day)."""
    if offset is None or not isinstance(value, str):
        return value
    match = _STAMP.match(value.strip())
    if not match or match.group("zone").replace(":", "") not in _UTC:
        return value
    try:
        moment = dt.datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.astimezone(offset).date()


def _first_date(values: Any, dayfirst: bool) -> dt.date | None:
    for value in values:
        day = parse_date(value, dayfirst=dayfirst)
        if day and _plausible(day):
            return day
    return None


def _plausible(day: dt.date) -> bool:
    return day >= _EARLIEST_WEB and day != dt.date(1970, 1, 1)


def _time_elements(tree: Any) -> list[Any]:
    times = [t for t in tree.iter("time") if t.get("datetime") or _text(t)]

    def rank(el: Any) -> int:
        marks = f"{el.get('class') or ''} {el.get('itemprop') or ''} {el.get('id') or ''}".lower()
        if el.get("pubdate") is not None or "publish" in marks or "posted" in marks:
            return 0
        return 2 if "modif" in marks or "updat" in marks else 1

    return sorted(times, key=rank)


def _day_first(tree: Any) -> bool:
    """Whether the page's language writes the day first (all but US English and a few others)."""
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    if not lang:
        for el in tree.iter("meta"):
            if (el.get("http-equiv") or el.get("property") or "").lower() in {"content-language", "og:locale"}:
                lang = (el.get("content") or "").strip().lower()
                break
    return bool(lang) and lang != "en" and not lang.startswith(_MONTH_FIRST)


# --------------------------------------------------------------------------- page parts


def _meta_tags(tree: Any) -> dict[str, str]:
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content"):
            tags.setdefault(key, el.get("content"))
    return tags


def _jsonld_article(tree: Any) -> dict[str, Any]:
    """The page's JSON-LD article object (fields of several merged, the first value of each kept)."""
    merged: dict[str, Any] = {}
    for node in jsonld_objects(tree):
        kind = node.get("@type", "")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind)
        if any(k in kinds for k in _ARTICLE_TYPES):
            for key, value in node.items():
                if value not in (None, "", [], {}):
                    merged.setdefault(key, value)
    return merged


def jsonld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, nested ``@graph`` objects too."""
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
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def _clean_body(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    return re.sub(r"[ \t]+", " ", text).strip()


def _publisher(ld: dict[str, Any]) -> str | None:
    publisher = ld.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    return _str(publisher.get("name")) if isinstance(publisher, dict) else None


def _canonical(tree: Any) -> str | None:
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            return str(el.get("href"))
    return None


def _title_tag(tree: Any) -> str | None:
    for el in tree.iter("title"):
        return _text(el)
    return None


def _text(el: Any) -> str:
    try:
        return " ".join(el.text_content().split())
    except (AttributeError, ValueError):
        return ""


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _first_str(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return text or None


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def _of_site(name: str, sites: set[str]) -> bool:
    """The site's name, or the site's name and a word of its own ("Kestrel Kitchens" on kestrel.example):
    the site signing its page, not a person."""
    if _compact(name) in sites:
        return True
    head = _compact(" ".join(name.split()[:-1]))
    return len(head) >= 6 and head in sites


def _compact(text: str) -> str:
    return "".join(re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold()))
