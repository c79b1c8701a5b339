"""Reading web pages (issue 22): what cleaning takes out of a page's text, and the page's metadata.

Every page here is written for the test (fictional names and places).
"""

from __future__ import annotations

import datetime as dt
import types
import unicodedata

import pytest

from storybrief import ingest_bytes
from storybrief.model import Article, DateSource
from storybrief.readers.html import _second_opinion
from storybrief.report.json import article_to_dict
from storybrief.text.clean import clean_text, is_promotion, is_stamp

LEAD = (
    "The ferry company said on Monday that fares on Lake Orlen would rise by a tenth in June, "
    "the first increase in six years. "
)
BODY = LEAD * 3


def _page(body: str, head: str = "", lang: str = "en") -> bytes:
    return f'<html lang="{lang}"><head>{head}</head><body><article>{body}</article></body></html>'.encode()


def _read(page: bytes) -> Article:
    corpus = ingest_bytes(page, "page.html", extension=".html")
    assert corpus.articles, corpus.manifest.skipped
    return corpus.articles[0]


# --------------------------------------------------------------------------- lines that are not the article


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Thanks for signing up! Keep an eye on your inbox.", "call to action"),
        ("Like this story? Share it with a friend!", "call to action"),
        ("Follow the Orlen Courier on Twitter and Instagram @orlencourier.", "call to action"),
        ("If you are already a subscriber, you can log in to read the full story.", "call to action"),
        ("DOWNLOAD THE ORLEN COURIER APP FOR IOS AND ANDROID", "app promotion"),
        ("We may earn a commission when you buy through links on this page.", "disclosure"),
        ("Аdvеrtіѕе wіth uѕ tоdау and rеасh thоuѕаndѕ of rеаdеrѕ.", "disguised advertising"),
    ],
)
def test_promotions_are_recognised(line: str, reason: str) -> None:
    assert is_promotion(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The council voted to sign up 40 new volunteers for the harbour patrol.",
        '"Subscribe to our channel," Kestrel told the crowd, and thousands did.',
        "Subscribers to the ferry pass will pay more from June, the company said.",
        "The app, which Halvard released for Android last year, was downloaded a million times.",
    ],
)
def test_reporting_is_not_promotion(line: str) -> None:
    assert is_promotion(line) is None


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("Updated at 1:23 p.m.", True),
        ("Published: March 4, 2013 at 10:29 a.m. EST | Updated: March 5, 2013", True),
        ("News date : 04/21/2022 Category : Harbour news", True),
        ("January 13, 2020 at 08:45 AM | categories: Ferries, Fares | View Comments", True),
        ("Release Date:", True),
        ("Date with destiny", False),
        ("Posted in the harbour office, the notice drew a crowd, police said.", False),
        ("The updated timetable was published on Monday.", False),
    ],
)
def test_date_and_filing_stamps(line: str, stamp: bool) -> None:
    assert is_stamp(line) is stamp


def test_promotions_stamps_and_contact_lines_leave_the_page_with_their_reasons() -> None:
    page = _page(
        "<p>By Ada Okafor</p><p>Updated at 1:23 p.m.</p>"
        f"<p>{BODY}</p><p>Like this story? Share it with a friend!</p>"
        "<p>Kestrel, the ferry operator, said the money would pay for two new boats and a longer pier.</p>"
        "<p>Have a tip? Ada Okafor may be reached at ada@orlencourier.example. "
        "Follow her on Twitter @adaokafor.</p>"
    )
    article = _read(page)
    assert "Share it with a friend" not in article.text
    assert "1:23" not in article.text
    assert "may be reached" not in article.text
    assert "two new boats" in article.text and article.text.count("fares on Lake Orlen") == 3
    reasons = {reason for reason, _ in article.removed}
    assert {"call to action", "stamp", "bio"} <= reasons
    assert any("may be reached" in text for reason, text in article.removed if reason == "bio")
    # The reasons travel with the article: in briefs.json and back.
    as_json = article_to_dict(article)["removed"]
    assert {"reason": "call to action", "text": "Like this story? Share it with a friend!"} in as_json
    assert Article.from_dict({**article.to_dict(), "removed": as_json}).removed == article.removed


def test_a_credit_shaped_line_is_a_credit_only_by_a_picture() -> None:
    items = "<ul><li>Tomas Brenner / Kestrel Farms</li><li>Ada Okafor / Halvard Mills</li></ul>"
    head = "<title>Ferry fares to rise</title>"
    kept = _read(_page(f"<p>{BODY}</p><h2>Right-wing revival</h2><p>{LEAD * 2}</p>{items}", head))
    assert "Tomas Brenner / Kestrel Farms" in kept.text
    assert "Right-wing revival" in kept.text
    figure = (
        '<figure><img src="boat.jpg" alt="The new ferry at the Orlen pier">'
        "<figcaption>The new ferry at the Orlen pier</figcaption><p>Tomas Brenner / Kestrel Farms</p></figure>"
    )
    page = _page(f"<p>{BODY}</p>{figure}<p>{LEAD * 2}</p>")
    cleaned = clean_text(
        f"{BODY}\n\nThe new ferry at the Orlen pier\n\nTomas Brenner / Kestrel Farms\n\n{LEAD}",
        title=None,
        captions=["The new ferry at the Orlen pier", "Tomas Brenner / Kestrel Farms"],
    )
    assert "Orlen pier" not in cleaned.text.text and "Kestrel Farms" not in cleaned.text.text
    assert {"caption", "credit"} <= {kind for kind, _ in cleaned.removed}
    assert "Orlen pier" not in _read(page).text


# --------------------------------------------------------------------------- text


def test_decomposed_accents_are_composed_and_offsets_still_point_at_the_source() -> None:
    word = "Cafe\u0301"  # e + combining acute
    article = _read(_page(f"<p>{BODY}The {word} Orlen on the pier will close.</p>"))
    assert "The Café Orlen" in article.text
    assert unicodedata.is_normalized("NFC", article.text)
    start = article.text.index("Café")
    assert article.offsets.to_source(start) is not None


def test_a_short_extraction_gives_way_to_the_body_the_page_states() -> None:
    class Recall:  # trafilatura's recall-minded pass, finding no more than the first
        @staticmethod
        def bare_extraction(page: str, **settings: object) -> object:
            assert settings.get("favor_recall") is True
            return types.SimpleNamespace(text="The pier at dawn. Photo: Kestrel")

    caption = "The pier at dawn. Photo: Kestrel"
    text, note = _second_opinion(caption, "<html></html>", LEAD * 8, Recall)
    assert text.count("fares on Lake Orlen") == 8 and note and "articleBody" in note
    # A long extraction is not second-guessed by read_html; a short one with nothing better stays.
    assert _second_opinion(caption, "<html></html>", None, Recall) == (caption, None)


# --------------------------------------------------------------------------- metadata


def test_title_without_the_site_name() -> None:
    head = (
        '<meta property="og:site_name" content="Orlen Courier">'
        '<meta property="og:url" content="https://www.orlencourier.example/harbour/fares">'
        "<title>Ferry fares to rise on Lake Orlen | Orlen Courier</title>"
    )
    assert _read(_page(f"<p>{BODY}</p>", head)).title == "Ferry fares to rise on Lake Orlen"
    breadcrumb = "<title>Orlen Courier » Harbour » Ferry fares to rise</title>" + head[: head.index("<title>")]
    assert _read(_page(f"<p>{BODY}</p>", breadcrumb)).title == "Ferry fares to rise"
    # The visible headline wins where the page's titles agree with it.
    visible = _read(_page(f"<h1>Ferry fares to rise on Lake Orlen</h1><p>{BODY}</p>", head + "<h1>x</h1>"))
    assert visible.title == "Ferry fares to rise on Lake Orlen"
    # A hyphen inside the headline stays.
    hyphen = head.replace("| Orlen Courier", "- Part one - Orlen Courier")
    assert _read(_page(f"<p>{BODY}</p>", hyphen)).title == "Ferry fares to rise on Lake Orlen - Part one"


def test_authors_without_sites_junk_or_commenters() -> None:
    ld = (
        '{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ada Okafor"},'
        ' {"@type": "Organization", "name": "Orlen Courier"}, {"@type": "Person", "name": "Staff"}]}'
    )
    head = f'<script type="application/ld+json">{ld}</script>'
    assert _read(_page(f"<p>{BODY}</p>", head)).byline == "Ada Okafor"
    comments = (
        f'<p>{BODY}</p><div class="comments"><span class="comment-author">Flappy Fan says</span></div>'
        '<span class="byline">By Tomas Brenner and Ada Okafor, Orlen Courier Staff Thursday, March 4, 2021</span>'
    )
    head = '<meta property="og:site_name" content="Orlen Courier">'
    assert _read(_page(comments, head)).byline == "Tomas Brenner; Ada Okafor"


def test_bylines_in_the_markup_of_the_page() -> None:
    # A link to the author's page, after a date; a layout "with-sidebar" is not a sidebar.
    linked = (
        '<div class="layout--wrapper__with-sidebar"><div class="page-meta--author">Posted on March 4, 2021 by '
        f'<a href="/reporters/ada-okafor">Ada Okafor</a></div><p>{BODY}</p></div>'
    )
    assert _read(_page(linked)).byline == "Ada Okafor"
    # A byline line in the text: the outlet and the bureau after the names are not authors.
    head = '<meta property="og:site_name" content="Orlen Courier">'
    text = _read(_page(f"<p>By Tomas Brenner, Orlen Courier, Lisbon</p><p>{BODY}</p>", head))
    assert text.byline == "Tomas Brenner"


def test_authors_one_meta_tag_each_and_after_a_lone_by_label() -> None:
    head = (
        '<meta name="dc.creator" content=" Ada  Okafor "><meta name="dc.creator" content="Tomas Brenner">'
        '<div itemscope><meta itemprop="author" content="Cited Author"></div>'
    )
    assert _read(_page(f"<p>{BODY}</p>", head)).byline == "Ada Okafor; Tomas Brenner"
    split = f'<div class="meta"><span class="sr-only">| By </span><span>Kessa Lind</span> |</div><p>{BODY}</p>'
    assert _read(_page(split)).byline == "Kessa Lind"


def test_a_byline_written_as_a_line_of_the_page_but_not_a_menu_or_a_credit() -> None:
    line = f'<p>{BODY}</p><div class="meta"><span class="cat">Posted by Kessa Lind @ 9:40 am</span></div>'
    assert _read(_page(line)).byline == "Kessa Lind"
    menu = f'<ul class="menu"><li><a href="/m">By Method</a></li></ul><p>{BODY}</p>'
    assert _read(_page(menu)).byline is None
    import lxml.html

    from storybrief.readers.metadata import read_metadata

    credit = f'<p>{BODY}</p><span class="video-credit">By Orlen Harbour Authority</span>'
    assert read_metadata(lxml.html.fromstring(_page(credit))).authors is None
    # a list of names before a team is longer than a dozen words, and still a byline
    team = (
        '<span class="byline-author">Posted by Ada Okafor, Tomas Brenner, Ilse Varga and Kessa Lind'
        f" - Kestrel Harbour newsroom</span><p>{BODY}</p>"
    )
    assert _read(_page(team)).byline == "Ada Okafor; Tomas Brenner; Ilse Varga; Kessa Lind"
    # the site signing its own page, by its name and a word of its own, is not a person
    head = '<meta property="og:site_name" content="Halvard Pantry">'
    signed = f'<span class="byline">By Halvard Pantry Kitchens</span><p>{BODY}</p>'
    assert read_metadata(lxml.html.fromstring(_page(signed, head))).authors is None


def test_a_one_word_author_in_full_from_the_articles_own_sidebar_and_a_personal_sites_owner() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ilse"}}</script>'
    sidebar = (
        f'<p>{BODY}</p><div class="article-sidebar"><p class="label">By</p><p class="name">Ilse Varga</p></div>'
        '<div class="sidebar"><span class="byline">By Tomas Brenner</span></div>'
    )
    assert _read(_page(sidebar, ld)).byline == "Ilse Varga"
    # a page's copyright line names its owner when the page's title names them too
    personal = f"<p>{BODY}</p><footer><p>Copyright (c) 2019- Kessa Lind. All rights reserved.</p></footer>"
    assert _read(_page(personal, "<title>Kessa Lind's notebook | Ferries</title>")).byline == "Kessa Lind"
    assert _read(_page(personal, "<title>Ferries on Lake Orlen</title>")).byline is None


def test_an_editor_is_not_an_author_and_a_widget_around_the_post_is_not_an_aside() -> None:
    cited = (
        f'<p>{BODY}</p><p class="src"><span itemprop="author">Second edition, edited by Ada Okafor</span></p>'
        "<div><em>---- by Tomas Brenner</em></div>"
    )
    assert _read(_page(cited)).byline == "Tomas Brenner"
    import lxml.html

    from storybrief.readers.metadata import read_metadata

    # a blog platform's "widget" holding the post (its marked body) is not an aside; one beside it is
    blog = (
        '<div class="widget Blog"><span class="byline-author">Posted by Ilse Varga and Kessa Lind - Ferry team'
        f'</span><div itemprop="articleBody"><p>{BODY}</p></div></div>'
    )
    assert read_metadata(lxml.html.fromstring(_page(blog))).authors == "Ilse Varga; Kessa Lind"
    beside = f'<div itemprop="articleBody"><p>{BODY}</p></div><div class="widget"><span class="byline">By Jane Roe</span></div>'
    assert read_metadata(lxml.html.fromstring(_page(beside))).authors is None


def test_dates_fall_back_past_placeholders_and_read_the_day_first_where_the_page_does() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01"}</script>'
    meta = '<meta property="article:published_time" content="2023-05-02T08:00:00+02:00">'
    article = _read(_page(f"<p>{BODY}</p>", ld + meta))
    assert article.published == dt.date(2023, 5, 2)
    assert article.published_source == DateSource.HTML_META

    stamp = f'<time datetime="01-11-2023 10:29">1 November</time><p>{BODY}</p>'
    assert _read(_page(stamp, lang="fr")).published == dt.date(2023, 11, 1)
    assert _read(_page(stamp, lang="en-US")).published == dt.date(2023, 1, 11)


def test_a_utc_time_is_read_on_the_publishers_clock() -> None:
    head = (
        '<meta property="article:published_time" content="2023-11-09T03:30:00+00:00">'
        "<script>var page = {published: '2023-11-08T21:30:00-06:00'};</script>"
    )
    assert _read(_page(f"<p>{BODY}</p>", head)).published == dt.date(2023, 11, 8)
    alone = '<meta property="article:published_time" content="2023-11-09T03:30:00+00:00">'
    assert _read(_page(f"<p>{BODY}</p>", alone)).published == dt.date(2023, 11, 9)


def test_a_copyright_year_is_not_a_publication_date() -> None:
    footer = '<footer><p class="copyright">Copyright © 2019 Kestrel Media. All rights reserved.</p></footer>'
    article = _read(_page(f"<p>{BODY}</p>{footer}"))
    assert article.published is None
    assert article.published_source == DateSource.NONE
