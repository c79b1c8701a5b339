"""The summarizer: what it may select, citations, figures, order, and the seeds' ambush story."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storybrief import Article, ingest
from storybrief.cluster import cluster
from storybrief.errors import OptionError
from storybrief.figures import bound_interval, number_value
from storybrief.model import Duplicate, Figure, Story
from storybrief.nlp import parse
from storybrief.summarize import SummaryOptions, _leans, _usable, source_groups, summarize

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "value"),
    [("48", 48), ("70,000", 70000), ("nine", 9), ("two hundred", 200), ("a", None), ("twenty-five", 25), ("3.5", 3.5)],
)
def test_number_values(text: str, value: float | None) -> None:
    assert number_value(text) == value


def _figure(value: float, bound: str = "exact") -> Figure:
    return Figure("a", 0, str(value), value, bound, "kill", "soldier", interval=bound_interval(bound, value))


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (_figure(40, "min_exclusive"), _figure(48), True),
        (_figure(40, "min_exclusive"), _figure(40), False),
        (_figure(7, "min"), _figure(9), True),
        (_figure(7, "min"), _figure(5), False),
        (_figure(65, "approx"), _figure(65), True),
        (_figure(12, "max"), _figure(14), False),
        (_figure(12), _figure(14), False),
    ],
)
def test_figure_intervals(a: Figure, b: Figure, overlap: bool) -> None:
    assert a.interval.overlaps(b.interval) is overlap


@pytest.mark.parametrize(
    ("sentence", "usable"),
    [
        ("The ferry capsized on Sunday afternoon about two miles from the port, the coast guard said.", True),
        ("How can we ask Britain to play a role while it is determined to militarize the problem?", False),
        ("Sign up for our newsletter to get the day's top stories every morning.", False),
        ("Ferry Capsizes on Lake Varo, Killing at Least 12", False),  # a headline: no full stop
        ("Too short to say much.", False),
        ("Click here to read more about the storm that struck the coast on Friday night.", False),
    ],
)
def test_what_may_be_selected(sentence: str, usable: bool) -> None:
    assert _usable(sentence, len(sentence.split()), SummaryOptions(), has_verb=True) is usable


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("He said Iraq would deploy more security forces on the border.", True),
        ("But the bus was attacked as it neared the crossing.", True),
        ("“They’re in one common struggle,” he said.", True),
        ("Ali al-Musawi, a spokesman for the prime minister, accused armed groups of the attack.", False),
    ],
)
def test_sentences_that_lean_on_a_neighbour(sentence: str, leans: bool) -> None:
    assert _leans(sentence) is leans


def test_options_are_validated() -> None:
    with pytest.raises(OptionError, match="words"):
        SummaryOptions(words=0)
    with pytest.raises(OptionError, match="cite_cosine"):
        SummaryOptions(cite_cosine=2.0)


def test_copies_and_rewrites_are_one_source() -> None:
    story = Story(
        "s1",
        "x",
        ("a", "b", "c", "d"),
        (Duplicate("b", "a", "copy", 0.9), Duplicate("c", "b", "derivative", 0.5)),
    )
    assert source_groups(story) == {"a": "a", "b": "a", "c": "a", "d": "d"}


@pytest.fixture(scope="module")
def examples() -> tuple[list[Story], list[object]]:
    corpus = ingest([str(ROOT / "examples")])
    return cluster(corpus), parse(corpus)


def test_examples_summaries(examples: tuple[list[Story], list[object]]) -> None:
    stories, parsed = examples
    by_id = {p.article.id: p for p in parsed}  # type: ignore[attr-defined]
    for story in stories:
        summary = summarize(story, [by_id[a] for a in story.articles])
        assert summary, story.label
        assert sum(len(s.text.split()) for s in summary) <= 120
        for s in summary:
            article: Article = by_id[s.article].article
            assert article.text[s.start : s.end] == s.text  # as the article wrote it, with offsets
            assert s.citations[0] == s.article and len(set(s.citations)) == len(s.citations)
            assert set(s.citations) <= set(story.articles)
            assert not s.text.rstrip('”"').endswith("?")
        dates = [by_id[s.article].article.published for s in summary]
        known = [d for d in dates if d]
        assert known == sorted(known)


def test_examples_fire_story_is_corroborated(examples: tuple[list[Story], list[object]]) -> None:
    stories, parsed = examples
    fire = next(s for s in stories if "fire-kessington-gazette" in s.articles)
    summary = summarize(fire, [p for p in parsed if p.article.id in fire.articles])  # type: ignore[attr-defined]
    assert len({a for s in summary for a in s.citations}) >= 3
    assert max(len(s.citations) for s in summary) >= 3


def test_deterministic_and_does_not_mutate(examples: tuple[list[Story], list[object]]) -> None:
    stories, parsed = examples
    story = max(stories, key=lambda s: len(s.articles))
    items = [p for p in parsed if p.article.id in story.articles]  # type: ignore[attr-defined]
    before = [p.article for p in items]  # type: ignore[attr-defined]
    assert summarize(story, items) == summarize(story, items)
    assert [p.article for p in items] == before  # type: ignore[attr-defined]


def test_empty_story() -> None:
    assert summarize(Story("s", "x", ("missing",)), []) == ()


def test_seeds_ambush_summary(seeds_dir: Path) -> None:
    corpus = ingest([str(seeds_dir)])
    gold = json.loads((seeds_dir / "gold.json").read_text(encoding="utf-8"))
    parsed = parse(corpus)
    stories = cluster(corpus)
    ambush = next(s for s in stories if len(s.articles) == 4)
    summary = summarize(ambush, [p for p in parsed if p.article.id in ambush.articles])
    assert summary
    assert sum(len(s.text.split()) for s in summary) <= 120
    assert not any(s.article.startswith("003") for s in summary)
    removed = [item["text"] for item in gold["cleaning"]["remove"]]
    for s in summary:
        assert s.citations and s.citations[0] == s.article
        assert "\\" not in s.text
        assert not any(r in s.text for r in removed)
        assert not s.text.startswith(("He ", "She ", "They "))
    assert len({a for s in summary for a in s.citations}) >= 3
    # No figure stated twice with different values ("more than 40" and "48" side by side).
    text = " ".join(s.text for s in summary)
    syrians = re.findall(r"(?i)(more than 40|all 48|\b48) syrian", text)
    assert len(set(m.lower() for m in syrians)) <= 1
