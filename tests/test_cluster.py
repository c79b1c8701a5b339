"""Story clustering, duplicates and the clustering scores."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from storybrief import Article, ingest
from storybrief.cluster import ClusterOptions, StoryClusterer, cluster
from storybrief.cluster.dedup import find_duplicates
from storybrief.evaluation import cluster_score
from storybrief.model import Story

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _groups(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> list[Article]:  # type: ignore[misc]
    return list(ingest([str(seeds_dir)]))


@pytest.fixture(scope="module")
def seeds_dir() -> Path:  # module-scoped twin of the conftest fixture
    path = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    if not (path / "gold.json").is_file():
        pytest.skip("../shared/seeds is not available")
    return path


@pytest.mark.parametrize("stream", [False, True])
def test_seeds_exactly_right(seeds: list[Article], stream: bool) -> None:
    stories = cluster(seeds, stream=stream)
    ids = {a.id[:3]: a.id for a in seeds}
    assert _groups(stories) == {
        frozenset({ids["000"], ids["001"], ids["002"], ids["004"]}),
        frozenset({ids["003"]}),
    }
    ambush = next(s for s in stories if len(s.articles) == 4)
    assert [(d.article[:3], d.of[:3], d.kind) for d in ambush.duplicates] == [("004", "000", "derivative")]
    assert 0.3 < ambush.duplicates[0].overlap < 1.0
    assert ids["004"] not in ambush.independent


@pytest.mark.parametrize("stream", [False, True])
def test_examples_events_stay_apart(stream: bool) -> None:
    corpus = ingest([str(EXAMPLES)])
    stories = cluster(corpus, stream=stream)
    groups = _groups(stories)
    assert frozenset({"cw-pier-2024"}) in groups  # the same lake, a year earlier: another event
    ferry = next(g for g in groups if "ferry-meridia-courier" in g)
    assert {"cw-ferry-0512", "ferry-lakeside-herald", "harbour-radio-1"} <= ferry
    fire = next(g for g in groups if "fire-kessington-gazette" in g)
    assert fire == {"cw-fire-0604", "fire-valley-observer", "harbour-radio-2", "fire-kessington-gazette"}
    assert all("harbour-radio-3" not in g for g in groups)  # French: not clustered


def test_story_fields() -> None:
    stories = cluster(ingest([str(EXAMPLES)]))
    fire = next(s for s in stories if "fire-kessington-gazette" in s.articles)
    assert fire.first == dt.date(2025, 6, 4) and fire.last == dt.date(2025, 6, 4)
    assert "Kessington" in fire.label
    data = fire.to_dict()
    assert set(data) == {"id", "label", "articles", "duplicates", "first", "last"}


def test_deterministic() -> None:
    corpus = ingest([str(EXAMPLES)])
    assert [s.to_dict() for s in cluster(corpus)] == [s.to_dict() for s in cluster(corpus)]


def test_copies_found_by_minhash() -> None:
    corpus = ingest([str(EXAMPLES / "ferry-meridia-courier.txt")])
    original = corpus.articles[0]
    copy = dataclasses.replace(original, id="resend", text=original.text + " Updated at 9 p.m.")
    links = find_duplicates([original, copy])
    assert [(d.article, d.of, d.kind) for d in links] == [("resend", "ferry-meridia-courier", "copy")]
    assert links[0].overlap > 0.8


def test_the_copy_index_is_shaped_once_not_per_story(monkeypatch: pytest.MonkeyPatch) -> None:
    from datasketch import lsh

    from storybrief.cluster import dedup

    dedup._lsh_bands.cache_clear()
    worked_out: list[object] = []
    real = lsh._optimal_param
    monkeypatch.setattr(lsh, "_optimal_param", lambda *args: worked_out.append(args) or real(*args))
    corpus = ingest([str(EXAMPLES / "ferry-meridia-courier.txt")])
    original = corpus.articles[0]
    for n in range(3):  # three stories, each with a copy
        copy = dataclasses.replace(original, id=f"resend-{n}", text=original.text + " Updated at 9 p.m.")
        assert [d.kind for d in find_duplicates([original, copy])] == ["copy"]
    assert len(worked_out) == 1


def test_stream_api_closes_quiet_stories() -> None:
    corpus = ingest([str(EXAMPLES)])
    closed: list[object] = []
    clusterer = StoryClusterer(ClusterOptions(window_days=30, embeddings=False), on_close=closed.append)
    ordered = sorted((a for a in corpus if a.is_english), key=lambda a: (a.published or dt.date.max, a.id))
    story_of = {a.id: clusterer.add(a) for a in ordered}
    assert story_of["cw-ferry-0512"] == story_of["ferry-lakeside-herald"]
    # The 2024 pier story closed when the 2025 articles arrived, and left memory.
    assert any("cw-pier-2024" in c.members for c in closed)  # type: ignore[attr-defined]
    rest = clusterer.finish()
    assert clusterer.active_stories == 0
    assert sum(len(c.members) for c in rest) + sum(len(c.members) for c in closed) == len(ordered)  # type: ignore[attr-defined]


def test_cluster_score() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    perfect = cluster_score({"a": "x", "b": "x", "c": "y", "d": "y"}, gold)
    assert perfect.bcubed_f1 == pytest.approx(1.0) and perfect.pairwise_f1 == pytest.approx(1.0)
    assert perfect.nmi == pytest.approx(1.0)
    lumped = cluster_score({"a": "x", "b": "x", "c": "x", "d": "x"}, gold)
    assert lumped.bcubed_recall == pytest.approx(1.0) and lumped.bcubed_precision == pytest.approx(0.5)
    split = cluster_score({"a": 1, "b": 2, "c": 3, "d": 4}, gold)
    assert split.bcubed_precision == pytest.approx(1.0) and split.bcubed_recall == pytest.approx(0.5)


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="threshold"):
        ClusterOptions(threshold=1.5)


def test_lead_says_a_title_once() -> None:
    from storybrief.cluster.features import lead_of

    titled = Article(id="a", text="Ferry sinks on the lake. Rescuers searched all night.", paragraphs=((0, 52),))
    assert lead_of(dataclasses.replace(titled, title="Ferry sinks on the lake")).count("Ferry sinks") == 1
    assert lead_of(dataclasses.replace(titled, title="Night of searching")).startswith("Night of searching. Ferry")


def test_encoder_precision_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    from storybrief.text import resources

    for value, expected in (("0", False), ("1", True)):
        monkeypatch.setenv("STORYBRIEF_BF16", value)
        resources.bfloat16_ok.cache_clear()
        assert resources.bfloat16_ok() is expected
    resources.bfloat16_ok.cache_clear()


def test_clustering_does_not_depend_on_string_hashing() -> None:
    """Same input, same stories, whatever PYTHONHASHSEED a process runs with (sets of names are sorted)."""
    import os
    import subprocess
    import sys

    script = (
        "import json; from storybrief import ingest; from storybrief.cluster import ClusterOptions, cluster; "
        f"arts = list(ingest([{str(EXAMPLES)!r}])); "
        "print(json.dumps([[s.label, list(s.articles)] for s in cluster(arts, ClusterOptions(embeddings=False))])); "
        # Pair scores to the last bit: a sum over a set in hash order differs there first.
        "from collections import Counter; from storybrief.cluster import prepare; "
        "from storybrief.cluster.features import pair_features, same_story_probability, weigh; "
        "from storybrief.cluster.stories import index_keys; "
        "vs = prepare(arts, ClusterOptions(embeddings=False)); df = Counter(); "
        "[df.update(list(v.counts) + ['~' + n for n in v.names]) for v in vs]; "
        "[weigh(v, df, len(vs)) for v in vs]; "
        "print([repr(same_story_probability(pair_features(a, b))) for a in vs for b in vs]); "
        "print([index_keys(v) for v in vs])"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = os.environ | {"PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_stream_merges_two_stories_a_new_article_bridges() -> None:
    from storybrief.cluster.features import ArticleVector, vectorize

    pair = {frozenset(("a1", "b1")): 0.6, frozenset(("a2", "a1")): 0.9, frozenset(("a2", "b1")): 0.9}

    class Scripted(StoryClusterer):
        """Same-story scores from a table, so the test is about merging, not about similarity."""

        def story_score(self, vector: ArticleVector, story: object, *, depth: int = 3) -> float:
            members = [m for m in story.members if m.id != vector.id]  # type: ignore[attr-defined]
            probs = sorted((pair[frozenset((vector.id, m.id))] for m in members), reverse=True)[:depth]
            return sum(probs) / len(probs) if probs else 0.0

    text = "The ferry sank in a storm on the lake and rescuers searched for the missing passengers."
    arts = [Article(id=i, text=text, paragraphs=((0, len(text)),), language="en") for i in ("a1", "b1", "a2")]
    for merge, stories in ((0, 2), (3, 1)):
        clusterer = Scripted(ClusterOptions(embeddings=False, window_days=None, merge_candidates=merge))
        first = clusterer.add_vector(vectorize(arts[0]))
        assert clusterer.add_vector(vectorize(arts[1])) != first  # 0.6: below the threshold, a story of its own
        clusterer.add_vector(vectorize(arts[2]))  # fits both: with merging on, the two become one
        assert len(clusterer.finish()) == stories


def _article(i: str, text: str, published: dt.date | None = None) -> Article:
    return Article(id=i, text=text, paragraphs=((0, len(text)),), language="en", published=published)


@pytest.mark.parametrize(
    ("lead", "targets"),
    [
        ("Halvard to buy Kestrel shipping unit for $2.3bn", {"kestrel"}),
        ("Ostrava Bank Sells Its Card Division To Halvard", {"card"}),
        ("Halvard acquires Kestrel's port business in Gdansk", {"kestrel"}),
        ("The storm hit the coast on Monday and ferries stopped.", set()),
    ],
)
def test_deal_targets(lead: str, targets: set[str]) -> None:
    from storybrief.cluster.features import deal_targets

    assert deal_targets(lead) == targets


def test_an_acquirers_two_deals_conflict() -> None:
    from storybrief.cluster.features import deals_conflict, vectorize

    kestrel = vectorize(_article("a", "Halvard agreed on Tuesday to buy Kestrel for $2.9 billion, its biggest deal."))
    kestrel2 = vectorize(_article("b", "Halvard will buy Kestrel, the shipping group, the two companies said."))
    ostrava = vectorize(_article("c", "Halvard agreed on Thursday to buy Ostrava Freight for $1.1 billion."))
    assert not deals_conflict(kestrel, kestrel2)
    assert deals_conflict(kestrel, ostrava)
    # A lead that names the other deal's target does not conflict: it may report both.
    both = vectorize(_article("d", "A week after it agreed to buy Kestrel, Halvard said it would buy Ostrava Freight."))
    assert not deals_conflict(kestrel, both) and not deals_conflict(ostrava, both)


@pytest.mark.parametrize(
    ("text", "published", "weekday"),
    [
        ("A ferry sank off Kessa on Saturday, killing 12 people. Rescuers said on Monday that ...", None, 5),
        ("KESSA (Wire) - At least 12 people were killed Saturday morning when a ferry sank.", None, 5),
        # a page's date stamp is not the day of the news
        ("Monday, March 3, 2031\n\nA ferry sank off Kessa on Saturday, killing 12 people.", None, 5),
        ("Published: Monday | March 3, 2031. A ferry sank off Kessa, killing 12 people.", None, None),
        # "yesterday" needs the report's date; a weekday in a later sentence is not the lead's
        ("A ferry sank off Kessa yesterday, killing 12 people.", dt.date(2031, 3, 3), 6),
        ("A ferry sank off Kessa yesterday, killing 12 people.", None, None),
        ("A ferry sank off Kessa, killing 12 people. Divers went down on Thursday.", None, None),
    ],
)
def test_the_weekday_a_lead_gives_its_news(text: str, published: dt.date | None, weekday: int | None) -> None:
    from storybrief.cluster.features import lead_weekday

    assert lead_weekday(text, published) == weekday


def test_an_undated_report_of_news_on_another_weekday_conflicts_with_the_story() -> None:
    from storybrief.cluster.features import vectorize, weekdays_conflict

    saturday = vectorize(_article("a", "A ferry sank off Kessa on Saturday, killing 12 people, officials said."))
    undated = vectorize(_article("b", "A ferry sank off Kessa on Sunday and all 40 on board were rescued."))
    silent = vectorize(_article("c", "Divers searched the wreck of the ferry that sank off Kessa."))
    dated = vectorize(_article("d", "A ferry sank off Kessa on Sunday, officials said.", dt.date(2031, 3, 9)))
    dated_too = vectorize(_article("e", "A ferry sank off Kessa on Saturday, officials said.", dt.date(2031, 3, 8)))
    assert weekdays_conflict(undated, [saturday, silent])
    assert not weekdays_conflict(undated, [silent])  # nothing to compare
    assert not weekdays_conflict(undated, [saturday, dated])  # one member gives the same weekday
    assert not weekdays_conflict(silent, [saturday])
    assert not weekdays_conflict(dated, [dated_too])  # both dated: their dates are compared instead


def test_a_report_placed_in_a_country_no_member_of_the_story_allows_conflicts_with_it() -> None:
    from storybrief.cluster.features import story_places_conflict, vectorize

    kenya = vectorize(_article("a", "A bus crashed near Nairobi, Kenya, killing 12 people, police said."))
    silent = vectorize(_article("b", "Rescuers pulled survivors from the wreck of the bus, officials said."))
    peru = vectorize(_article("c", "A bus crashed near Lima, Peru, killing 14 people, police said."))
    both = vectorize(_article("d", "A bus crashed in Peru days after a crash in Kenya, police in Lima said."))
    assert kenya.country and peru.country and kenya.country != peru.country
    assert story_places_conflict(peru, [kenya, silent])  # the silent member does not bridge the two
    assert not story_places_conflict(peru, [silent])
    assert not story_places_conflict(silent, [kenya])
    assert not story_places_conflict(peru, [kenya, both])  # a member that names Peru too allows it


def test_two_leads_placing_their_news_in_different_towns_conflict_unless_one_names_the_other() -> None:
    from storybrief.cluster.features import lead_places, local_places_conflict, vectorize

    head = "A fire gutted a shop in Orlen Market on Friday.\nThe lease ran out in March."
    assert lead_places(head) == {"orlen market"}  # "in March" is a time
    orlen = vectorize(_article("a", "A fire gutted a supermarket in Orlen on Friday, firefighters said."))
    orlen2 = vectorize(_article("b", "Firefighters at Orlen fought the blaze at the supermarket for hours."))
    kessa = vectorize(_article("c", "A fire gutted a supermarket in Kessa, its second in a year, police said."))
    silent = vectorize(_article("d", "A supermarket fire drew 50 firefighters, police said."))
    both = vectorize(_article("e", "A fire gutted a supermarket in Kessa, days after the blaze in Orlen."))
    assert not local_places_conflict(orlen, orlen2)
    assert local_places_conflict(orlen, kessa)
    assert not local_places_conflict(orlen, silent)  # a lead with no place: nothing to compare
    assert not local_places_conflict(orlen, both)  # one names the other's place: it may report both


def test_a_report_dated_a_week_from_every_dated_report_of_a_story_conflicts_with_it() -> None:
    from storybrief.cluster.features import story_dates_conflict, vectorize

    def article(i: str, published: dt.date | None) -> Any:
        return vectorize(_article(i, "Tens of thousands marched through Kessa against the harbour law.", published))

    first, next_day = article("a", dt.date(2031, 6, 9)), article("b", dt.date(2031, 6, 10))
    undated, week_later = article("c", None), article("d", dt.date(2031, 6, 18))
    assert story_dates_conflict(week_later, [first, next_day, undated])
    assert not story_dates_conflict(week_later, [first, article("e", dt.date(2031, 6, 13))])  # a report between
    assert not story_dates_conflict(next_day, [first])
    assert not story_dates_conflict(undated, [first]) and not story_dates_conflict(week_later, [undated])


def test_days_and_months_are_not_names_two_reports_share() -> None:
    from storybrief.cluster.features import names_of

    text = "The harbour board met Halvard Okafor in Kessa. On Monday, in March, the Leeds office said so."
    assert names_of(text) == {"halvard okafor", "kessa", "leed"}  # stemmed keys; no Monday, no March
