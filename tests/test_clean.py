"""Cleaning: table-driven cases with must-contain / must-not-contain snippets."""

from __future__ import annotations

import pytest

from storybrief.text.clean import (
    CleanOptions,
    clean_text,
    find_dateline,
    is_credit,
    is_page_notice,
    is_widget,
    parse_byline,
)

BODY = (
    "The council voted on Monday to close the old bridge to heavy trucks, officials said.\n\n"
    "Engineers found cracks in two of its supports last month.\n\n"
    "The bridge will stay open to cars and buses while repairs are planned.\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "Get Today's Headlines in your inbox:",
        "Thank you for signing up! Sign up for more newsletters here",
        "The day's top stories delivered every morning.",
        "Advertisement",
        "Share this article",
        "Facebook | Twitter | Email",
        "Read more: Why the bridge matters",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    ],
)
def test_widget_lines(line: str) -> None:
    assert is_widget(line)


@pytest.mark.parametrize(
    "line",
    [
        "He urged residents to sign up for the new flood warning service.",
        "The newsletter's editor, Ana Ruiz, said the paper would close in June after 80 years.",
        "Share prices fell 4 percent on Monday after the report was published by regulators.",
        "Read the statement in full, the mayor told reporters on Monday evening.",
    ],
)
def test_body_lines_are_not_widgets(line: str) -> None:
    assert not is_widget(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tweet with a location", True),
        ("You can add location information to your Tweets from the web at any time.", True),
        ("The interactive transcript could not be loaded.", True),
        ("Media playback is unsupported on your device", True),
        ("Sorry, the page you requested was not found.", True),
        ("Reprints: this copy is for your personal, non-commercial use only.", True),
        (
            "Since 1996 a crawler has given its crawl data to the Internet Archive, where it joins the "
            "Wayback Machine after an embargo period.",
            True,
        ),
        ("The Internet Archive said on Monday it would appeal the ruling on its lending library.", False),
        ("Investigators asked residents to share the location of the car on Twitter.", False),
        ("The council will enable residents to pay the new fee online from June.", False),
    ],
)
def test_page_notices(line: str, expected: bool) -> None:
    assert is_page_notice(line) is expected


def test_a_page_of_notices_has_no_article_text() -> None:
    page = "Tweet with a location\n\nYou can add location information to your Tweets. Learn more\n"
    assert clean_text(page).text.text == ""
    assert {kind for kind, _ in clean_text(page).removed} == {"notice"}


def test_media_caption_line_is_removed() -> None:
    text = "Image copyright Lakeside Herald Image caption The old bridge in May\n\n" + BODY
    cleaned = clean_text(text)
    assert "Image caption" not in cleaned.text.text
    assert cleaned.text.text.startswith("The council voted")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Karim Kadim/Associated Press", True),
        ("Photo: Meridian Coast Guard", True),
        ("Jane Roe/Getty Images", True),
        ("Mira Santos/Lakeside Herald", True),
        ("The mayor spoke to reporters/editors on Monday.", False),
        ("Volunteers marched through the city on Saturday.", False),
    ],
)
def test_credit_lines(line: str, expected: bool) -> None:
    assert is_credit(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jason Ditz", ("Jason Ditz", None)),
        ("Author: Jason Ditz", ("Jason Ditz", None)),
        ("By JOHN SMITH and JANE DOE, Associated Press", ("JOHN SMITH and JANE DOE", "Associated Press")),
        ("By Monday, the toll had risen to 14.", None),
        ("By the end of the week the bridge was closed", None),
    ],
)
def test_bylines(line: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("BAGHDAD — More than 40 soldiers were killed.", ("BAGHDAD", None)),
        ("WASHINGTON (Reuters) - The Senate voted.", ("WASHINGTON", "Reuters")),
        ("PORT ALVA, Meridia (Continental Wire) - Three died.", ("PORT ALVA, Meridia", "Continental Wire")),
        ("Kessington (Valley Wire) — Some 3,200 people left.", ("Kessington", "Valley Wire")),
        ("NEW YORK — Stocks rose.", ("NEW YORK", None)),
        ("A man — who was not named — was arrested.", None),
        ("I - too - was there.", None),
    ],
)
def test_datelines(paragraph: str, expected: tuple[str, str | None] | None) -> None:
    assert find_dateline(paragraph) == expected


def test_title_subtitle_byline_and_bio() -> None:
    raw = (
        "Bridge Closed to Trucks After Cracks Found\n\n"
        "Council Acts After Inspection\n\n"
        "By Ana Ruiz\n\n" + BODY + "\n"
        "Ana Ruiz is a reporter for the Town Crier. Her work has appeared in many papers.\n"
    )
    cleaned = clean_text(raw)
    assert cleaned.title == "Bridge Closed to Trucks After Cracks Found"
    assert cleaned.subtitle == "Council Acts After Inspection"
    assert cleaned.byline == "Ana Ruiz"
    assert "Ana Ruiz is a reporter" not in cleaned.text.text
    assert cleaned.text.text.startswith("The council voted")
    assert len(cleaned.paragraphs) == 3


def test_bio_without_byline_needs_clear_cues() -> None:
    kept = BODY + "\nMaria Lopez is a nurse who treated the injured driver on Monday.\n"
    assert "Maria Lopez is a nurse" in clean_text(kept).text.text
    bio = BODY + "\nMaria Lopez is a correspondent based in Lisbon. Follow her on social media.\n"
    assert "Maria Lopez is a correspondent" not in clean_text(bio).text.text


def test_hard_wraps_and_page_break() -> None:
    raw = (
        "The storm hit the coast on Monday, cutting power to thousands of \n"
        "homes, officials said. Crews worked through the night to restore \n"
        "lines in the northern districts, where most outages were \n\n\n\n"
        "reported by residents.\n\n"
        "Schools will reopen on Wednesday.\n"
    )
    paragraphs = clean_text(raw).text.text.split("\n\n")
    assert paragraphs[0] == (
        "The storm hit the coast on Monday, cutting power to thousands of homes, officials said. "
        "Crews worked through the night to restore lines in the northern districts, where most "
        "outages were reported by residents."
    )
    assert paragraphs[1] == "Schools will reopen on Wednesday."


def test_one_paragraph_per_line_is_not_joined() -> None:
    raw = "The vote was 52 to 48.\nThe bill now goes to the House.\nA final vote is expected in May.\n"
    assert clean_text(raw).text.text.count("\n\n") == 2


def test_escapes_entities_and_invisible_characters() -> None:
    raw = 'He said \\"no.\\" It\\\'s over&nbsp;now &amp; then\u200b. Caf&eacute;\u00a0time.'
    text = clean_text(raw).text.text
    assert text == 'He said "no." It\'s over now & then. Café time.'


def test_captions_and_credits_at_top() -> None:
    raw = (
        "Bridge closed to trucks\n\n"
        "Workers inspect a support of the old bridge on Friday.\n"
        "Jane Roe/Town Crier\n"
        "Workers inspect a support of the old bridge on Friday.\n\n" + BODY
    )
    cleaned = clean_text(raw)
    assert "Workers inspect" not in cleaned.text.text
    assert "Jane Roe" not in cleaned.text.text
    assert {kind for kind, _ in cleaned.removed} >= {"caption", "credit", "title"}


def test_credit_neighbours_are_kept_when_lines_are_paragraphs() -> None:
    raw = "First paragraph of the story is here.\nPhoto: City Hall\nSecond paragraph of the story.\n"
    text = clean_text(raw, CleanOptions(unwrap=False, detect_header=False)).text.text
    assert "First paragraph" in text and "Second paragraph" in text and "Photo:" not in text


def test_known_title_line_is_dropped_from_text() -> None:
    raw = "Bridge closed to trucks\n" + BODY
    cleaned = clean_text(raw, CleanOptions(unwrap=False, detect_header=False), title="Bridge Closed to Trucks")
    assert cleaned.text.text.startswith("The council voted")


def test_copyright_and_metadata_headers() -> None:
    raw = "Source: Town Crier\nDate: 2025-03-02\n\n" + BODY + "\n© 2025 Town Crier. All rights reserved.\n"
    cleaned = clean_text(raw)
    assert cleaned.outlet == "Town Crier"
    assert cleaned.headers["date"] == "2025-03-02"
    assert "All rights reserved" not in cleaned.text.text
    assert "Source:" not in cleaned.text.text


def test_paragraph_spans_match_text() -> None:
    cleaned = clean_text(BODY)
    text = cleaned.text.text
    assert [text[a:b] for a, b in cleaned.paragraphs] == text.split("\n\n")


def test_a_lead_printed_twice_is_kept_once() -> None:
    lead = (
        "Kestrel Holdings has agreed to buy the Halvard shipping line for about $2.1 billion, "
        "the two companies said on Monday."
    )
    raw = f"Kestrel to buy Halvard line\n\n{lead}\n\n{lead}\n\n" + BODY
    cleaned = clean_text(raw)
    assert cleaned.text.text.count("has agreed to buy the Halvard shipping line") == 1
    assert [kind for kind, text in cleaned.removed if text == lead] == ["caption"]
