"""The lossless JSON form of the model (what the brief cache keeps): every field back as it was."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from storybrief.codec import decode, encode
from storybrief.model import (
    Article,
    CitedSentence,
    Correction,
    DateSource,
    Duplicate,
    Entity,
    FactReport,
    FactSlot,
    Mention,
    OffsetMap,
    Story,
    StoryBrief,
    SummarySentence,
    TimelineEntry,
    TimelineReport,
)


def _through_json(value: object) -> object:
    return json.loads(json.dumps(encode(value), ensure_ascii=False))


def _story_brief() -> StoryBrief:
    """A brief (invented) with a field of every kind the model uses: tuples of dataclasses, unions, dates, maps."""
    story = Story(
        "s1",
        "Kessa ferry",
        ("a", "b"),
        (Duplicate("b", "a", "derivative", 0.4166666666666667),),
        dt.date(2031, 4, 2),
        dt.date(2031, 4, 3),
    )
    report = FactReport("a", "Kessa Post", "more than 40", "More than 40 were rescued.", {"min_exclusive": 40.0})
    check = Correction(
        3,
        "verdict",
        "Ada Okafor",
        "checked by phone",
        "2031-04-04T10:00:00Z",
        story="s1",
        slot="rescued people",
        mark="checked",
        reports=(("a", "more than 40"),),
    )
    return StoryBrief(
        story=story,
        summary=(
            SummarySentence(
                "More than 40 were rescued.",
                "a",
                0,
                0,
                26,
                ("a", "b"),
                None,
                (CitedSentence("a", 0, 0, 26, "More than 40 were rescued."),),
            ),
        ),
        entities=(
            Entity(
                "e1",
                "Tomas Brenner",
                "PERSON",
                ("Tomas Brenner", "Brenner"),
                ("a",),
                (Mention("a", 1, 30, 43, "Tomas Brenner", "PERSON"),),
                {"mentions": 2, "articles": 1},
            ),
        ),
        facts=(
            FactSlot(
                "rescued people",
                "quantity",
                "conflicting",
                (report, dataclasses_replace(report)),
                (41.0, 48.0),
                2,
                "rescued",
                "people",
                "a note",
                None,
                check,
            ),
            FactSlot("who", "claim", "single-source", (report,), "the harbour office", 1),
            FactSlot("day", "time", "consistent", (report,), 48, 1, unit="km"),
        ),
        timeline=(
            TimelineEntry(
                "2031-04-02",
                None,
                "on Wednesday",
                "The ferry sank.",
                "a",
                2,
                ("a", "b"),
                first=dt.date(2031, 4, 2),
                last=dt.date(2031, 4, 2),
                reports=(TimelineReport("b", 1, None, None),),
            ),
        ),
    )


def dataclasses_replace(report: FactReport) -> FactReport:
    return FactReport(
        report.article,
        None,
        "48",
        "48 people were rescued.",
        {"exact": 48.0},
        3,
        dt.date(2031, 4, 3),
        "the coast guard",
    )


def test_a_story_brief_comes_back_as_it_was() -> None:
    item = _story_brief()
    back = decode(StoryBrief, _through_json(item))
    assert back == item
    assert back.facts[0].best == (41.0, 48.0) and isinstance(back.facts[0].best, tuple)
    assert back.facts[1].best == "the harbour office"
    assert back.facts[2].best == 48 and isinstance(back.facts[2].best, int)
    assert back.facts[0].reports[1].published == dt.date(2031, 4, 3)
    assert back.entities[0].mentions[0].label == "PERSON"  # the report shape leaves it out
    assert back.story.duplicates[0].overlap == 0.4166666666666667  # not rounded as in briefs.json


def test_an_article_comes_back_as_it_was() -> None:
    text = "KESSA — The ferry sank.\n\nAll were rescued."
    article = Article(
        id="kessa-post-7",
        text=text,
        paragraphs=((0, 23), (25, len(text))),
        title="Ferry sinks off Kessa",
        outlet="Kessa Post",
        byline="Ada Okafor",
        published=dt.date(2031, 4, 2),
        published_source=DateSource.HTML_GUESS,
        updated=dt.date(2031, 4, 3),
        offsets=OffsetMap(((0, 12, 23), (25, 40, 18))),
    )
    assert decode(Article, _through_json(article)) == article


def test_what_the_model_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError):
        encode(object())
    with pytest.raises(TypeError):
        decode(FactSlot, {**encode(_story_brief().facts[0]), "best": {"not": "a best value"}})


def test_what_clustering_reads_of_an_article_comes_back_as_it_was() -> None:
    from collections import Counter

    from storybrief.cluster.features import ArticleVector, vectorize

    text = "Tomas Brenner said on Monday that 14 ferries of Lake Orlen would stop. Kessa officials agreed."
    vector = vectorize(Article(id="a", text=text, paragraphs=((0, len(text)),), language="en"), 3)
    back = decode(ArticleVector, _through_json(vector))
    assert back == vector
    assert isinstance(back.counts, Counter) and isinstance(back.names, set) and isinstance(back.numbers, set)
