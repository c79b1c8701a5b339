"""Sentence boundaries on news text: table-driven cases and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief import ingest
from storybrief.text.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Musawi said so. He left.", ["Mr. Musawi said so.", "He left."]),
        ("Mrs. Dalloway and Dr. Who met Gen. Atta.", ["Mrs. Dalloway and Dr. Who met Gen. Atta."]),
        (
            "Agence France-Presse quoted Lt. Col. Mohammed Khalaf al-Dulaimi as saying so. Then it ended.",
            ["Agence France-Presse quoted Lt. Col. Mohammed Khalaf al-Dulaimi as saying so.", "Then it ended."],
        ),
        (
            "Sen. Ruiz and Gov. Park visited St. Brigid's Hospital.",
            ["Sen. Ruiz and Gov. Park visited St. Brigid's Hospital."],
        ),
        (
            "Republican Sens. Jeff Flake and Susan Collins backed it. Reps. Ruiz and Park did not.",
            ["Republican Sens. Jeff Flake and Susan Collins backed it.", "Reps. Ruiz and Park did not."],
        ),
        ("said Joshua M. Landis, a professor. He agreed.", ["said Joshua M. Landis, a professor.", "He agreed."]),
        ("The U.S. Army and the U.N. Security Council met.", ["The U.S. Army and the U.N. Security Council met."]),
        ("Sanctions hit the U.S. The move angered Iran.", ["Sanctions hit the U.S.", "The move angered Iran."]),
        ("The boat left at 4 p.m. on Sunday.", ["The boat left at 4 p.m. on Sunday."]),
        ("He said.The council met.", ["He said.", "The council met."]),
        (
            "BAGHDAD — More than 40 soldiers died. Officials said so.",
            ["BAGHDAD — More than 40 soldiers died.", "Officials said so."],
        ),
        (
            "He said: “We were lucky. An hour later, we would have lost it.” Then he left.",
            ["He said: “We were lucky. An hour later, we would have lost it.”", "Then he left."],
        ),
        (
            "“How can we ask Britain to help?” Mr. Assad said. “How can we?”",
            ["“How can we ask Britain to help?” Mr. Assad said.", "“How can we?”"],
        ),
        (
            "“We will not allow it,” Mr. Musawi said. He hung up.",
            ["“We will not allow it,” Mr. Musawi said.", "He hung up."],
        ),
        (
            '"This tragedy was avoidable," she said. "Someone decided."',
            ['"This tragedy was avoidable," she said.', '"Someone decided."'],
        ),
        ("First paragraph ends here\n\nSecond paragraph.", ["First paragraph ends here", "Second paragraph."]),
        ("He works for Apple Inc. The company said no.", ["He works for Apple Inc.", "The company said no."]),
        ("Prices rose 2.5 percent. Wages fell.", ["Prices rose 2.5 percent.", "Wages fell."]),
        ("Is it over? No. It goes on!", ["Is it over?", "No.", "It goes on!"]),
        (
            "An unclosed “quote runs on. Into the next sentence.",
            ["An unclosed “quote runs on.", "Into the next sentence."],
        ),
    ],
)
def test_boundaries(text: str, expected: list[str]) -> None:
    assert _split(text) == expected


def test_spans_cover_text_in_order() -> None:
    text = "One. Two three. Four?\n\nFive “six. seven” eight."
    spans = split_sentences(text)
    assert spans == sorted(spans)
    assert all(text[a:b].strip() == text[a:b] for a, b in spans)


def test_seed_sentences(seeds_dir: Path) -> None:
    corpus = ingest([str(seeds_dir)])
    counts = {a.id[:3]: len(split_sentences(a.text)) for a in corpus}
    assert counts == {"000": 42, "001": 11, "002": 15, "003": 13, "004": 18}
    nyt = _split(next(a for a in corpus if a.id.startswith("000")).text)
    assert any(
        s.startswith("“We will not allow any terrorist") and s.endswith("in a telephone interview.") for s in nyt
    )
    assert any("said Joshua M. Landis, director of the Center" in s for s in nyt)
    assert any(
        "Lt. Col. Mohammed Khalaf al-Dulaimi, as saying that at least three vehicles were destroyed." in s for s in nyt
    )
    assert any(s.startswith("In returning them, Iraqi soldiers put the Syrians on a bus") for s in nyt)
    assert nyt[0].startswith("BAGHDAD — More than 40 Syrian soldiers")
    title_seed = _split(next(a for a in corpus if a.id.startswith("001")).text)
    assert title_seed[0].startswith("A massive ambush was reported")


def test_no_boundary_inside_a_web_address() -> None:
    text = "Rates come from www.AirSafe.com, a Web site. He said.The vote failed."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Rates come from www.AirSafe.com, a Web site.",
        "He said.",
        "The vote failed.",
    ]
