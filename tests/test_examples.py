"""The bundled fictional examples: what must stay, what must go, and offsets back to the source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storybrief import Corpus, ingest

# file -> (snippets that must be in some article from it, snippets that must not)
EXPECT: dict[str, tuple[list[str], list[str]]] = {
    "ferry-meridia-courier.txt": (
        [
            "PORT ALVA — At least 12 people were killed on Sunday",
            "a cargo boat struck a pier in heavy fog. Relatives of the missing",
            "“People were shouting names in the dark.”",
        ],
        ["Fictional example", "By Irena", "is a senior correspondent", "Source:", "Rescuers Pull Nearly 200"],
    ),
    "ferry-lakeside-herald.html": (
        [
            "Fourteen people died when the ferry Santa Ilaria overturned",
            "Coast guard boats and fishermen rescued 198 of them",
            "Captain Alexander Voronine, who survived",
            "Transport Minister Livia Marchetti said the boat",
            "Weather forecasters had issued a wind warning",
        ],
        [
            "cookie",
            "Advertisement",
            "newsletter",
            "inbox",
            "Share this",
            "Read more",
            "All rights reserved",
            "Divers prepare",
        ],
    ),
    "fire-kessington-gazette.txt": (
        [
            "KESSINGTON — About 3,000 residents were evacuated",
            "said Fire Chief Nadia el-Amrani.",
            '"We were lucky the wind turned," she said.',
            "Mayor Jonah Whitcombe said the city would review",
        ],
        ["Advertisement", "city hall reporter", "follow him", "By Marta"],
    ),
    "fire-valley-observer.html": (
        [
            "Some 3,200 people were ordered out of their homes",
            "Fire Chief Nadia al-Amrani said the blaze started",
            "Five people were hurt, including four firefighters",
            "It was the second fire at the site in three years",
        ],
        ["Photo:", "Related coverage", "signing up"],
    ),
    "continental-wire.jsonl": (
        [
            '"This tragedy was avoidable," she said.',
            "it was 'devastated'",
            "Fire Chief Nadia El-Amrani",
            "Three people were killed",
        ],
        ["\\", "Read more"],
    ),
    "harbour-radio.rss": (
        [
            "a dozen people are feared dead",
            "Fire Chief Nadia el-Amrani said five people were hurt",
            "Environ 3 000 habitants",
        ],
        ["Advertisement", "<p>"],
    ),
    "ferry-meridia-courier-followup.md": (
        ["the death toll rose to 14.", "Mr. Voronin's lawyer, Elsa Dahl,", "electronic passenger counters"],
        ["Fictional", "Photo:", "<!--", "By Irena"],
    ),
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return ingest([str(Path(__file__).resolve().parent.parent / "examples")])


def _texts(corpus: Corpus, name: str) -> str:
    return "\n".join(a.text for a in corpus if a.path and Path(a.path).name == name)


def test_every_example_is_used(corpus: Corpus, examples_dir: Path) -> None:
    files = {p.name for p in examples_dir.iterdir()}
    assert files == set(EXPECT)
    assert not corpus.manifest.skipped
    assert len(corpus) == 11


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_must_and_must_not_contain(corpus: Corpus, name: str) -> None:
    text = _texts(corpus, name)
    must, must_not = EXPECT[name]
    for snippet in must:
        assert snippet in text, snippet
    for snippet in must_not:
        assert snippet not in text, snippet


def test_examples_are_marked_fictional(examples_dir: Path) -> None:
    for path in examples_dir.iterdir():
        assert "Fictional example written for storybrief" in path.read_text(encoding="utf-8"), path.name


def test_plain_text_body_sentences_all_kept(corpus: Corpus, examples_dir: Path) -> None:
    """Precision: every sentence of a plain-text example's body paragraphs survives cleaning."""
    count = 0
    for name in ("ferry-meridia-courier.txt", "fire-kessington-gazette.txt", "ferry-meridia-courier-followup.md"):
        raw = (examples_dir / name).read_text(encoding="utf-8")
        clean = " ".join(_texts(corpus, name).split())
        _, must_not = EXPECT[name]
        blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", raw)]
        body = [b for b in blocks if b.endswith((".", "”", '"')) and not any(m in b for m in must_not)]
        for block in body:
            for sentence in re.split(r"(?<=[a-z0-9][.?!]) (?=[A-Z“\"])", block):
                count += 1
                assert sentence in clean or sentence.split()[0].islower(), (name, sentence)
    assert count >= 25


def test_metadata(corpus: Corpus) -> None:
    courier = corpus.get("ferry-meridia-courier")
    assert courier is not None
    assert courier.title == "Ferry Capsizes on Lake Varo, Killing at Least 12"
    assert courier.subtitle == "Rescuers Pull Nearly 200 From the Water After Sudden Storm"
    assert courier.byline == "Irena Kostadinova"
    assert courier.dateline == "PORT ALVA"
    assert courier.outlet == "Meridia Daily Courier"
    assert courier.published is not None and courier.published.isoformat() == "2025-05-12"
    radio = corpus.get("harbour-radio-1")
    assert radio is not None and radio.byline == "Greta Lind" and radio.outlet == "Harbour Radio News"
    assert radio.published is not None and radio.published.isoformat() == "2025-05-11"
    french = corpus.get("harbour-radio-3")
    assert french is not None and french.language == "fr"


def test_offsets_point_back_into_the_source(corpus: Corpus, examples_dir: Path) -> None:
    """Clean letters map to the same letters of the file (plain text) or the record's text (JSON)."""
    sources: dict[str, str] = {}
    for name in ("ferry-meridia-courier.txt", "fire-kessington-gazette.txt"):
        sources[name.rsplit(".", 1)[0]] = (examples_dir / name).read_text(encoding="utf-8")
    for line in (examples_dir / "continental-wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        sources[record["id"]] = record["body"]
    checked = 0
    for article_id, source in sources.items():
        article = corpus.get(article_id)
        assert article is not None
        for pos, char in enumerate(article.text):
            if char.isalnum():
                assert source[article.offsets.to_source(pos)] == char
                checked += 1
    assert checked > 2000
