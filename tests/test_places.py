"""Places resolved to countries through the gazetteer, and the conflict of places in clustering."""

from __future__ import annotations

from collections import Counter

import pytest

from storybrief.text.places import country_of, main_country, place_id


@pytest.mark.parametrize(
    ("name", "country"),
    [("Moscow", "RU"), ("Kabul", "AF"), ("Myanmar", "MM"), ("Texas", "US"), ("Moscow's", "RU"), ("Gay", None)],
)
def test_country_of(name: str, country: str | None) -> None:
    assert country_of(name) == country


def test_two_names_of_one_city_share_an_id() -> None:
    assert place_id("Bombay") is not None and place_id("Bombay") == place_id("Mumbai")
    assert place_id("Kabul") != place_id("Moscow")


def test_the_lead_decides_the_main_country() -> None:
    main, named = main_country(
        "Bomb kills 35 at Moscow airport", "MOSCOW — A suicide bomber struck the arrivals hall on Monday."
    )
    assert main == "RU" and "RU" in named
    assert main_country("", "No place is named here.") == (None, frozenset())


def test_a_conflict_of_places_needs_both_leads_and_neither_naming_the_other() -> None:
    from storybrief.cluster.features import ArticleVector, places_conflict

    def vector(country: str | None, named: set[str]) -> ArticleVector:
        return ArticleVector(
            "x",
            None,
            Counter(),
            set(),
            set(),
            "",
            "",
            country=country,
            countries=frozenset(named),
        )

    assert places_conflict(vector("RU", {"RU"}), vector("AF", {"AF"}))
    assert not places_conflict(vector("RU", {"RU"}), vector("AF", {"AF", "RU"}))
    assert not places_conflict(vector("RU", {"RU"}), vector(None, set()))


@pytest.mark.parametrize(
    ("official", "short"),
    [("United Republic of Tanzania", "Tanzania"), ("Syrian Arab Republic", "Syria"), ("Viet Nam", "Vietnam")],
)
def test_a_country_by_its_official_name_is_the_country(official: str, short: str) -> None:
    assert place_id(official) is not None
    assert place_id(official) == place_id(short)
    assert country_of(official) == country_of(short)


def test_a_country_named_officially_and_briefly_is_one_entity() -> None:
    import json

    from storybrief import ingest
    from storybrief.briefing.entities import link_entities
    from storybrief.text.nlp import NlpOptions, parse

    texts = [
        "Officials in Tanzania said the outbreak had slowed, and schools in Dodoma reopened.",
        "The government of the United Republic of Tanzania said on Monday that the outbreak had slowed.",
    ]
    records = "\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate(texts)).encode()
    corpus = ingest.__globals__["ingest_bytes"](records, "t.jsonl", extension=".jsonl")
    entities = link_entities(parse(corpus, NlpOptions(annotations=("tokens", "entities"))))
    assert any({"Tanzania", "United Republic of Tanzania"} <= set(e.aliases) for e in entities)
