"""The summarizer: what it may select, citations, figures, order, and the seeds' ambush story."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storybrief import Article, ingest
from storybrief.briefing.summarize import (
    SummaryOptions,
    _Candidate,
    _leans,
    _order,
    _Similarity,
    _usable,
    concepts_of,
    source_groups,
    summarize,
)
from storybrief.cluster import cluster
from storybrief.errors import OptionError
from storybrief.model import Duplicate, Figure, Story
from storybrief.text.figures import bound_interval, number_value
from storybrief.text.nlp import parse

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
        ("titled “Lake Safety” and released on Friday, the report relies on coast guard records.", False),
        ("iPhone sales rose by a fifth in the quarter, the company said on Tuesday.", True),
    ],
)
def test_what_may_be_selected(sentence: str, usable: bool) -> None:
    assert _usable(sentence, len(sentence.split()), SummaryOptions(), has_verb=True) is usable


def test_an_excerpt_cut_mid_sentence_keeps_its_long_last_sentence() -> None:
    cut = "The coast guard said on Sunday that the ferry carrying 40 passengers capsized near the port after a"
    assert not _usable(cut, len(cut.split()), SummaryOptions(), has_verb=True)
    assert _usable(cut, len(cut.split()), SummaryOptions(), has_verb=True, last=True)
    short = "Ferry Capsizes on Lake Varo Near the Old Port, Killing 12"
    assert not _usable(short, len(short.split()), SummaryOptions(), has_verb=True, last=True)


def test_cut_sentences_are_marked_and_a_fuller_version_replaces_a_repeat() -> None:
    texts = {
        "a": "The ferry capsized on Sunday near the port of Varo, the coast guard said.",
        "b": "The ferry capsized on Sunday near the port of Varo with 40 passengers on board, and rescuers "
        "pulled 31 of them from the water before dark, the coast guard said after a",
    }
    corpus = [Article(id=k, text=v, paragraphs=((0, len(v)),), language="en") for k, v in texts.items()]
    parsed = parse(corpus)
    story = Story("s", "ferry", ("a", "b"))
    short = summarize(story, parsed, SummaryOptions(words=30))
    assert [s.article for s in short] == ["a"]  # the fuller sentence does not fit 30 words
    full = summarize(story, parsed, SummaryOptions(words=60))
    assert [s.article for s in full] == ["b"]  # the same news, told more fully, where the budget allows
    assert full[0].text.endswith("after a …")
    assert summarize(story, parsed, SummaryOptions(words=60, fuller=False))[0].article == "a"


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("He said Iraq would deploy more security forces on the border.", True),
        ("But the bus was attacked as it neared the crossing.", True),
        ("“They’re in one common struggle,” he said.", True),
        ("The militants have allowed him to remain in his job, he said.", True),
        ("The ferry had been inspected in May, she told reporters.", True),
        ("The ferry had been inspected in May, the coast guard said.", False),
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
    with pytest.raises(OptionError, match="inside"):
        SummaryOptions(inside=1.5)
    with pytest.raises(OptionError, match="position_one_source"):
        SummaryOptions(position_one_source=-1.0)


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
    by_id = {p.article.id: p for p in parsed}
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
    summary = summarize(fire, [p for p in parsed if p.article.id in fire.articles])
    assert len({a for s in summary for a in s.citations}) >= 3
    assert max(len(s.citations) for s in summary) >= 3


def test_deterministic_and_does_not_mutate(examples: tuple[list[Story], list[object]]) -> None:
    stories, parsed = examples
    story = max(stories, key=lambda s: len(s.articles))
    items = [p for p in parsed if p.article.id in story.articles]
    before = [p.article for p in items]
    assert summarize(story, items) == summarize(story, items)
    assert [p.article for p in items] == before


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
    # It opens with the ambush as most outlets report it, not with one outlet's later angle.
    assert len(summary[0].citations) >= 3
    # No figure stated twice with different values ("more than 40" and "48" side by side).
    text = " ".join(s.text for s in summary)
    syrians = re.findall(r"(?i)(more than 40|all 48|\b48) syrian", text)
    assert len(set(m.lower() for m in syrians)) <= 1


def test_a_leaning_sentence_follows_the_one_it_leans_on() -> None:

    def cand(article: str, index: int, leaning: bool = False) -> _Candidate:
        return _Candidate(article, 0 if article == "a" else 1, index, index, 0, 1, "x", 1, set(), True, leaning)

    a0, a1, b0, b1 = cand("a", 0), cand("a", 1, leaning=True), cand("b", 0), cand("b", 1)
    dates = {"a": None, "b": None}
    # By position alone b's lead would come between a's lead and "He said …" that leans on it.
    assert [(c.article, c.index) for c in _order([b1, a1, b0, a0], dates)] == [("a", 0), ("a", 1), ("b", 0), ("b", 1)]


def test_no_summary_sentence_is_inside_a_longer_one(examples: tuple[list[Story], list[object]]) -> None:
    """The fire story's "Residents returned home on Wednesday afternoon." is dropped: a longer
    chosen sentence says residents returned on Wednesday afternoon, and more."""
    stories, parsed = examples
    by_id = {p.article.id: p for p in parsed}
    for story in stories:
        items = [by_id[a] for a in story.articles]
        lemmas = []
        for s in summarize(story, items):
            span = by_id[s.article].span(s.sentence)
            lemmas.append({t.lemma_.lower() for t in span if t.is_alpha and len(t.text) > 2 and not t.is_stop})
        for i, a in enumerate(lemmas):
            for j, b in enumerate(lemmas):
                if i != j and len(b) > len(a):
                    assert len(a & b) < 0.8 * len(a), (story.label, a, b)


def _plain(article: str, rank: int, index: int, text: str) -> _Candidate:
    return _Candidate(
        article, rank, index, index, 0, len(text), text, len(text.split()), concepts_of(text), True, False
    )


def test_support_is_how_closely_the_other_sources_say_the_same() -> None:
    core = "The ferry capsized on Lake Varo on Sunday, killing at least 12 passengers."
    cands = [
        _plain("a", 0, 0, core),
        _plain("a", 0, 1, "The captain had worked for the line since the spring of last year."),
        _plain("b", 1, 0, "A ferry capsized on Lake Varo on Sunday, killing 12 passengers, the coast guard said."),
        _plain("b", 1, 1, "Divers searched the cold water through the night for the missing."),
        _plain("c", 2, 0, "Twelve passengers died when a ferry capsized on Lake Varo on Sunday."),
    ]
    groups = {"a": "a", "b": "b", "c": "c"}
    support = _Similarity(cands, embeddings=False).support(cands, groups)
    values = [support[id(c)] for c in cands]
    assert values[0] > 0.3 and values[0] > 3 * values[1]  # the lead two other outlets report
    assert values[2] > values[3]
    # A copy is the same source: it does not corroborate its original, and a story of one source gets 0.
    copied = [*cands[:2], _plain("a2", 1, 0, core)]
    backing = _Similarity(copied, embeddings=False).support(copied, {"a": "a", "a2": "a"})
    assert set(backing.values()) == {0.0}


def test_of_two_leads_the_better_corroborated_comes_first() -> None:
    a0, b0 = _plain("a", 0, 0, "x y z."), _plain("b", 1, 0, "p q r.")
    a0.support, b0.support = 0.2, 0.6
    assert [c.article for c in _order([a0, b0], {"a": None, "b": None})] == ["b", "a"]
    a0.support = 0.7
    assert [c.article for c in _order([a0, b0], {"a": None, "b": None})] == ["a", "b"]


def test_closest_by_group_matches_the_dense_matrix() -> None:
    import numpy as np

    from storybrief.cluster.align import closest_by_group, sentence_vectors, similarity_matrix

    texts = ["the ferry sank", "a ferry sank on sunday", "divers searched", "the captain was detained", "ferry"]
    groups = [0, 1, 1, 2, 2]
    vectors = sentence_vectors(texts)
    dense = similarity_matrix(vectors)
    closest = closest_by_group(vectors, groups)
    for g in range(3):
        members = [i for i, x in enumerate(groups) if x == g]
        assert np.allclose(closest[:, g], dense[:, members].max(axis=1), atol=1e-6)
    assert closest_by_group([], []).shape == (0, 0)
