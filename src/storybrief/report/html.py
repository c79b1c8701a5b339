"""``briefs.html``: one self-contained page made from a ``briefs.json`` document alone.

The page is rendered by Jinja2 templates in ``templates/`` with autoescaping on;
this module only shapes the JSON into what the templates show (numbered
citations, facts with disagreements first, the coverage matrix, article text cut
at the cited sentences). CSS and JavaScript are inline and allowed by their
sha256 hashes in a Content-Security-Policy that allows nothing else, so the page
works from ``file://`` and offline and no script of an article can run.

Partials take a URL builder (``links``): in the file, links are anchors; the web
app passes one that makes routes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .markdown import cite_numbers

#: Characters that change the direction or the visible width of text without being letters: bidi
#: embeddings, overrides and isolates, zero-width spaces and joiners, the byte-order mark.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def plain(text: object) -> str:
    """Text as the page shows it: bidi controls and zero-width characters removed (escaping is the template's)."""
    return _INVISIBLE.sub("", "" if text is None else str(text))


def _escaped(text: object) -> Any:
    """Text ready for a text node or a double-quoted attribute: ``& < > "`` escaped, bidi controls removed.

    The apostrophe is left as written (every attribute in the templates is double-quoted, and
    ``&#39;`` for each one weighs four bytes more in a page that is mostly article text).
    """
    from markupsafe import Markup  # noqa: PLC0415

    value = plain(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return Markup(value)


def safe_url(url: object) -> str | None:
    """An article's URL when it is an http(s) address; anything else (``javascript:``, ``data:``) is not a link."""
    if not isinstance(url, str):
        return None
    value = plain(url).strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in {"http", "https"} and parts.netloc else None


def sentence_id(n: int, start: int) -> str:
    """The anchor of a cited sentence in article ``n`` at character ``start`` (the same in a file and a server)."""
    return f"s{n}-{start}"


@dataclass(frozen=True)
class Links:
    """Where the page's links point: anchors in one file (the default) or routes in a server."""

    story: Callable[[int], str] = lambda n: f"#story-{n}"
    article: Callable[[int], str] = lambda n: f"#article-{n}"
    sentence: Callable[[int, int], str] = lambda n, start: f"#{sentence_id(n, start)}"
    #: a server's page of article ``n`` (None in a file: the article is on the page)
    page: Callable[[int], str] | None = None


#: Line breaks before a block element's tag: never rendered, and a long page has one per list item.
_BLOCK_BREAK = re.compile(
    r">\n+(?=</?(?:article|details|div|h[1-6]|li|main|nav|ol|p|section|summary|table|tbody|td|th|thead|tr|ul)[\s>])"
)
#: The markup's indentation, and runs of blanks (HTML shows either as one space).
_INDENT = re.compile(r"\n[ \t]+")
_BLANKS = re.compile(r"[ \t]{2,}|\t")


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape  # noqa: PLC0415

    env = Environment(
        loader=PackageLoader("storybrief.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plain"] = _escaped  # the last filter on any article-derived value
    env.globals["TIMELINE_CHARS"] = TIMELINE_CHARS
    env.globals["sentence_id"] = sentence_id
    env.filters["cites"] = lambda text, order: cite_numbers(plain(text), dict(order))  # ids in notes become [n]
    return env


def _asset(name: str) -> str:
    from importlib import resources  # noqa: PLC0415

    return resources.files("storybrief.report").joinpath("templates", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# --------------------------------------------------------------------------- the view


def _span(story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]) -> str:
    dates = sorted(str(articles[a]["published"]) for a in story["articles"] if articles.get(a, {}).get("published"))
    if not dates:
        return "undated"
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}"


#: Names listed per story in "Who" (the rest are counted), and in a one-article story's line of names.
WHO_SHOWN = 8
WHO_SHOWN_ALONE = 5
#: Facts in the coverage matrix (disagreements first; every compared fact is in the table above it).
COVERAGE_ROWS = 12
#: A timeline entry shows its sentence up to this many characters (the article below has it whole).
TIMELINE_CHARS = 180
#: Timeline entries listed per story: every event several articles report, then single reports up to this many.
EVENTS_SHOWN = 10
#: ... and in a one-article story, whose other events its article (below) tells in order.
EVENTS_SHOWN_ALONE = 3
#: Background entries (dates before the story) listed in its folded list; a one-article story's are counted.
BACKGROUND_SHOWN = 6


def _grouped(fact: Mapping[str, Any]) -> dict[str, Any]:
    """A fact whose reports are grouped: one line per article, figure as written and speaker, with a count."""
    groups: dict[tuple[str, str, str], int] = {}
    for r in fact.get("reports") or []:
        key = (str(r.get("article")), str(r.get("as_written") or ""), str(r.get("speaker") or ""))
        groups[key] = groups.get(key, 0) + 1
    lines = [{"article": a, "as_written": w, "speaker": sp, "times": n} for (a, w, sp), n in groups.items()]
    return {**fact, "lines": lines}


def _checked(fact: Mapping[str, Any]) -> bool:
    """A fact the table cross-checks: reports from more than one article, or a verdict about more than one source."""
    return len({str(r.get("article")) for r in fact.get("reports") or []}) > 1 or int(fact.get("sources") or 0) > 1


_VERDICT_ORDER = {"conflicting": 0, "updated": 1, "differs": 1, "evolves": 1, "consistent": 2, "single-source": 3}


def _facts(story: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return sorted(story["facts"], key=lambda f: (_VERDICT_ORDER.get(str(f.get("verdict")), 2), str(f.get("slot"))))


def articles_view(document: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Each article with its paragraphs cut at the sentences any summary cites (anchored, highlighted)."""
    number = {str(a["id"]): i + 1 for i, a in enumerate(document["articles"])}
    cited: dict[str, set[tuple[int, int]]] = {}
    for story in document["stories"]:
        for sentence in story["summary"]:
            for c in sentence.get("cited") or []:
                cited.setdefault(str(c["article"]), set()).add((int(c["start"]), int(c["end"])))
    out = []
    for a in document["articles"]:
        text = str(a.get("text") or "")
        marks = sorted(cited.get(str(a["id"]), set()))
        paragraphs = []
        for p_start, p_end in a.get("paragraphs") or ([[0, len(text)]] if text else []):
            pieces: list[tuple[str, int | None]] = []
            at = int(p_start)
            for mark_start, end in marks:
                if end <= at or mark_start >= int(p_end):
                    continue
                start = max(mark_start, at)
                if start > at:
                    pieces.append((text[at:start], None))
                pieces.append((text[start : min(end, int(p_end))], start))
                at = min(end, int(p_end))
            if at < int(p_end):
                pieces.append((text[at : int(p_end)], None))
            paragraphs.append(pieces)
        out.append({**a, "number": number[str(a["id"])], "pieces": paragraphs, "link": safe_url(a.get("url"))})
    return out, number


def _coverage(
    story: Mapping[str, Any], facts: list[Mapping[str, Any]], articles: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Outlets (one column per article) by facts: which figure each gives, and which is silent."""
    copies = {str(d["article"]): d for d in story.get("duplicates") or []}
    columns = [
        {"id": a, "outlet": articles.get(a, {}).get("outlet") or a, "copy": copies.get(a)} for a in story["articles"]
    ]
    rows: list[dict[str, Any]] = []
    for fact in facts:
        if not _checked(fact):
            continue  # coverage compares sources: a fact one article gives is counted below the facts table
        given: dict[str, list[str]] = {}
        for r in fact.get("reports") or []:
            given.setdefault(str(r.get("article")), []).append(str(r.get("as_written") or r.get("value") or ""))
        rows.append({"fact": fact, "given": given})
    # a source silent on every compared fact is named once below the matrix, not given a column of dashes
    speaking = [c for c in columns if any(c["id"] in row["given"] for row in rows)]
    silent = [c["id"] for c in columns if c not in speaking]
    for row in rows:
        row["cells"] = [row["given"].get(c["id"]) for c in speaking]
    more = max(0, len(rows) - COVERAGE_ROWS)
    return {"columns": speaking, "rows": rows[:COVERAGE_ROWS], "more": more, "silent": silent}


def _runs(articles: list[str], story: Mapping[str, Any], number: Mapping[str, int]) -> list[dict[str, int]]:
    """A name's articles as runs of the story's citation numbers: ``[1]–[5], [8]`` (each end a link)."""
    sources = list(story["articles"])
    order = {a: i + 1 for i, a in enumerate(sources)}
    cited = sorted({order[a] for a in articles if a in order})
    runs: list[dict[str, int]] = []
    for n in cited:
        if runs and n == runs[-1]["hi"] + 1:
            runs[-1]["hi"] = n
        else:
            runs.append({"lo": n, "hi": n})
    for run in runs:
        run["lo_number"] = number.get(sources[run["lo"] - 1], 0)
        run["hi_number"] = number.get(sources[run["hi"] - 1], 0)
    return runs


def _one_per_sentence(entries: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Timeline entries with a sentence shown once: a sentence giving two dates ("on Monday ... by
    Friday") stays at its first place in the order and names its other dates."""
    first: dict[tuple[str, object], dict[str, Any]] = {}
    out: list[Mapping[str, Any]] = []
    for entry in entries:
        key = (str(entry.get("article")), entry.get("sentence"))
        if entry.get("sentence") is None or key not in first:
            shown = {**entry, "other_dates": []}
            if entry.get("sentence") is not None:
                first[key] = shown
            out.append(shown)
        elif entry.get("when") and entry.get("when") != first[key].get("when"):
            first[key]["other_dates"].append(entry["when"])
    return out


def _story_view(
    n: int, story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]], number: Mapping[str, int]
) -> dict[str, Any]:
    facts = _facts(story)
    outlets = {articles.get(a, {}).get("outlet") or a for a in story["articles"]}
    conflicts = sum(1 for f in story["facts"] if f.get("verdict") == "conflicting")
    order = {a: i + 1 for i, a in enumerate(story["articles"])}  # citation numbers: the story's own sources
    summary = []
    for s in story["summary"]:
        cited = {str(c["article"]): c for c in s.get("cited") or []}
        refs = []
        for a in s["citations"]:
            c = cited.get(str(a))
            refs.append(
                {
                    "n": order.get(a, 0),
                    "article": a,
                    "number": number.get(a, 0),
                    "start": int(c["start"]) if c else None,
                    "text": c["text"] if c else None,
                }
            )
        summary.append({**s, "refs": refs})
    # names several articles give, most mentioned first (a name one article mentions once is counted, not listed)
    who = sorted(
        (dict(e) for e in story["entities"] if len(e.get("articles") or []) > 1 or len(story["articles"]) == 1),
        key=lambda e: -int((e.get("salience") or {}).get("mentions", 0)),
    )
    alone = len(story["articles"]) == 1  # one report: shown compactly, with nothing to cross-check
    shown = EVENTS_SHOWN_ALONE if alone else EVENTS_SHOWN
    names = WHO_SHOWN_ALONE if alone else WHO_SHOWN
    folded = 0 if alone else BACKGROUND_SHOWN  # a one-article story's background is counted, not listed
    events = _one_per_sentence([t for t in story["timeline"] if not t.get("background")])
    keep = {id(t) for t in events if len(t.get("articles") or []) > 1}
    for t in events:
        if len(keep) >= shown:
            break
        keep.add(id(t))
    timeline = [t for t in events if id(t) in keep]  # in the timeline's own order
    background = _one_per_sentence([t for t in story["timeline"] if t.get("background")])
    for entity in who:
        entity["also"] = [a for a in entity.get("aliases") or [] if a != entity.get("canonical")]
        entity["runs"] = _runs([str(a) for a in entity.get("articles") or []], story, number)
    return {
        **story,
        "n": n,
        "span": _span(story, articles),
        "outlets": len(outlets),
        "conflicts": conflicts,
        "summary_view": summary,
        # a fact an editor marked is shown with its mark, even when one article alone gives it
        "facts_view": [_grouped(f) for f in facts if _checked(f) or f.get("check")],
        "single_facts": [f for f in facts if not (_checked(f) or f.get("check"))],
        "who_view": who[:names],
        "who_more": max(0, len(who) - names),
        "alone": alone,
        "coverage": _coverage(story, facts, articles),
        "events": timeline,
        "events_more": len(events) - len(timeline),
        # background is folded away; a one-article story's is counted (its article tells it in order)
        "background": background[:folded],
        "background_more": max(0, len(background) - folded),
        "order": order,
        "copies": {str(d["article"]): d for d in story.get("duplicates") or []},
    }


def view(document: Mapping[str, Any]) -> dict[str, Any]:
    """What the templates show, made from the JSON document alone."""
    articles_list, number = articles_view(document)
    articles = {str(a["id"]): a for a in articles_list}
    stories = [_story_view(i + 1, s, articles, number) for i, s in enumerate(document["stories"])]
    briefed = {a for s in document["stories"] for a in s["articles"]}
    skipped = [e for e in document["manifest"]["inputs"] if e.get("status") == "skipped"]
    unbriefed = [a for a in articles_list if str(a["id"]) not in briefed]
    return {
        "document": document,
        "stories": stories,
        "articles": articles_list,
        "by_id": articles,
        "skipped": skipped,
        "unbriefed": unbriefed,
        "made_by": document.get("made_by") or {},
        "notes": document.get("notes") or [],
    }


def brief_to_html(document: Mapping[str, Any], links: Links | None = None, title: str = "storybrief") -> str:
    """The self-contained report page of a ``briefs.json`` document."""
    return "".join(html_pieces(document, links, title))


def write_html(document: Mapping[str, Any], path: Path, links: Links | None = None, title: str = "storybrief") -> None:
    """Write the report page of ``document`` to ``path`` as it is rendered (the page of 10,000 articles is
    hundreds of megabytes: it is never held whole)."""
    with path.open("w", encoding="utf-8") as out:
        for piece in html_pieces(document, links, title):
            out.write(piece)


#: How much rendered markup is gathered before its indentation is taken out and it is passed on.
_PIECE = 1 << 20


def html_pieces(document: Mapping[str, Any], links: Links | None = None, title: str = "storybrief") -> Iterator[str]:
    """The report page in pieces, in order, as the templates render it."""
    css, js = _asset("report.css"), _asset("report.js")
    csp = content_policy(forms="'none'")  # a file sends no forms
    page = _environment().get_template("page.html.j2")
    rendered = page.generate(view=view(document), links=links or Links(), css=css, js=js, csp=csp, title=title)
    # indentation of the markup is weight without meaning (HTML collapses it; the page has no <pre>), taken
    # out of the body only: the inline style and script are allowed by their hashes, so they stay as they are
    compactor = _Compactor()
    gathered: list[str] = []
    size = 0
    for chunk in rendered:
        gathered.append(chunk)
        size += len(chunk)
        if size >= _PIECE:
            yield from compactor.feed("".join(gathered))  # (a plain str: Markup + str would escape the str)
            gathered, size = [], 0
    yield from compactor.feed("".join(gathered), last=True)


class _Compactor:
    """The page's markup in, the same markup out with the body's indentation taken out, piece by piece."""

    def __init__(self) -> None:
        self.state = "head"  # head (up to the style's end), body, tail (from the script on)
        self.pending = ""

    def feed(self, markup: str, *, last: bool = False) -> Iterator[str]:
        text = self.pending + markup
        self.pending = ""
        if self.state == "head":
            end = text.find("</style>")
            if end < 0:
                if last:
                    yield text
                else:
                    self.pending = text
                return
            yield text[: end + len("</style>")]
            text, self.state = text[end + len("</style>") :], "body"
        if self.state == "body":
            script = text.find("<script>")
            if script >= 0:
                yield _compact(text[:script])
                text, self.state = text[script:], "tail"
            elif last:
                yield _compact(text)
                return
            else:
                cut = _cut(text)
                if cut > 0:
                    yield _compact(text[:cut])
                self.pending = text[cut:]
                return
        yield text


def _cut(markup: str) -> int:
    """Where markup can be split with nothing the compaction reads on both sides: before the last tag
    that follows a character other than a blank (0 when there is none)."""
    at = len(markup)
    while (at := markup.rfind("<", 0, at)) > 0:
        if not markup[at - 1].isspace():
            return at
    return 0


def _compact(body: str) -> str:
    # (a run of blanks becomes one space; a lone space, most of them, is left where it is)
    return _BLOCK_BREAK.sub(">", _BLANKS.sub(" ", _INDENT.sub("\n", body)))


def content_policy(forms: str = "'self'") -> str:
    """The Content-Security-Policy of every page: the inline style and script by their hashes, nothing else;
    ``forms`` is where forms may go (a served page's search box and filters go to its own origin).
    (A server's header adds ``frame-ancestors``, which a ``<meta>`` policy cannot carry.)
    """
    css, js = _asset("report.css"), _asset("report.js")
    return (
        "default-src 'none'; "
        f"style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
        f"frame-src 'none'; base-uri 'none'; form-action {forms}"
    )


def site_page(template: str, links: Links, **context: Any) -> str:
    """A page of the web app: a template of ``templates/site/`` with the report's partials, style and script."""
    page = _environment().get_template(f"site/{template}")
    css, js = _asset("report.css"), _asset("report.js")
    return str(page.render(links=links, css=css, js=js, csp=content_policy(), **context))
