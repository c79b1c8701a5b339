"""Entity linking: name keys, merges that must and must not happen, gold groups."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from storybrief import ingest
from storybrief.briefing.entities import EntityOptions, link_entities, name_key, same_token, token_key
from storybrief.evaluation import entity_pair_score
from storybrief.model import Entity
from storybrief.text.nlp import NlpOptions, parse

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nuri", "Nouri"),
        ("Musawi", "Moussawi"),
        ("Waleed", "Walid"),
        ("Qaeda", "Qaida"),
        ("Hafez", "Hafiz"),
        ("Centre", "Center"),
        ("Sidqy", "Sidqi"),
    ],
)
def test_transliteration_variants_share_a_key(a: str, b: str) -> None:
    assert token_key(a) == token_key(b)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Aleksandr", "Alexander", True),
        ("Voronin", "Voronine", True),
        ("Bashar", "Hafez", False),
        ("Hasan", "Husain", False),
    ],
)
def test_fuzzy_tokens(a: str, b: str, same: bool) -> None:
    assert same_token(token_key(a), token_key(b)) is same


@pytest.mark.parametrize(
    ("text", "label", "key"),
    [
        ("Nuri Kamal al-Maliki", "PERSON", ("nuri", "kamal", "maliki")),
        ("Mr. Maliki", "PERSON", ("maliki",)),
        ("Prime Minister Nouri al-Maliki", "PERSON", ("nuri", "maliki")),
        ("Lt. Col. Mohammed Khalaf al-Dulaimi", "PERSON", ("muhamid", "khalaf", "dulami")),
        ("al-Qaida in Iraq", "ORG", ("kada", "in", "irak")),
        ("Al Qaeda in Iraq", "ORG", ("kada", "in", "irak")),
        ("Assad’s", "PERSON", ("asad",)),
        ("the Syrian Observatory", "ORG", ("syrian", "ubsirvaturi")),
        ("Halvard Inc.", "ORG", ("halvard",)),
        ("Kestrel Holdings Ltd", "ORG", ("kistril",)),
        ("Mohamed Sidqy", "PERSON", ("muhamid", "sidki")),
    ],
)
def test_name_keys(text: str, label: str, key: tuple[str, ...]) -> None:
    assert name_key(text, label) == key


def _group(entities: list[Entity], alias: str) -> Entity:
    return next(e for e in entities if alias in e.aliases)


@pytest.fixture(scope="module")
def seed_entities() -> list[Entity]:
    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    if not (seeds / "gold.json").is_file():
        pytest.skip("../shared/seeds is not available")
    return link_entities(parse(ingest([str(seeds)]), NlpOptions(annotations=("tokens", "entities"))))


def test_seed_gold_groups(seed_entities: list[Entity]) -> None:
    gold = json.loads((Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "gold.json").read_text())
    score = entity_pair_score(gold["entities"], seed_entities)
    assert not score.forbidden_merges
    assert score.precision >= 0.95 and score.recall >= 0.90, score
    bashar, hafez = _group(seed_entities, "Bashar al-Assad"), _group(seed_entities, "Hafez Assad")
    assert bashar is not hafez
    maliki = _group(seed_entities, "Nuri Kamal al-Maliki")
    assert {"Nouri al-Maliki", "Mr. Maliki", "Maliki"} <= set(maliki.aliases)
    assert maliki.canonical == "Nuri Kamal al-Maliki" and maliki.type == "PERSON"
    assert len(maliki.articles) == 4


def test_mentions_point_at_their_text(seed_entities: list[Entity]) -> None:
    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    corpus = ingest([str(seeds)])
    for entity in seed_entities:
        for mention in entity.mentions:
            article = corpus.get(mention.article)
            assert article is not None
            assert article.text[mention.start : mention.end] == mention.text


@pytest.fixture(scope="module")
def example_entities() -> list[Entity]:
    return link_entities(parse(ingest([str(Path(__file__).resolve().parent.parent / "examples")])))


def test_example_gold_groups(example_entities: list[Entity]) -> None:
    gold = json.loads((DATA / "examples_gold.json").read_text(encoding="utf-8"))
    score = entity_pair_score(gold["entities"], example_entities)
    assert score.precision == 1.0, score.wrong_pairs
    assert score.recall >= 0.9, score.missed_pairs


def test_places_and_people_stay_apart(example_entities: list[Entity]) -> None:
    for entity in example_entities:
        if entity.type == "PERSON":
            assert not {"Kessington", "Port Alva", "Lake Varo"} & set(entity.aliases)


def test_salience_and_ids(example_entities: list[Entity]) -> None:
    ids = [e.id for e in example_entities]
    assert len(ids) == len(set(ids))
    top = example_entities[0]
    assert top.salience["mentions"] >= example_entities[-1].salience["mentions"]
    assert set(top.salience) == {"mentions", "articles", "lead", "title"}


def test_deterministic(example_entities: list[Entity]) -> None:
    again = link_entities(parse(ingest([str(Path(__file__).resolve().parent.parent / "examples")])))
    assert [e.to_dict() for e in again] == [e.to_dict() for e in example_entities]


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="types"):
        EntityOptions(types=frozenset({"DATE"}))


def _linked(texts: list[str]) -> list[Entity]:
    records = "\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate(texts)).encode()
    corpus = ingest.__globals__["ingest_bytes"](records, "t.jsonl", extension=".jsonl")
    return link_entities(parse(corpus, NlpOptions(annotations=("tokens", "entities"))))


def _together(entities: list[Entity], a: str, b: str) -> bool:
    return any(a in e.aliases and b in e.aliases for e in entities)


def test_acronyms_legal_forms_variants_and_place_names() -> None:
    entities = _linked(
        [
            "The Directorate General of Harbour Safety opened an inquiry, and Kestrel Holdings Ltd said it would"
            " pay. Officials in Mumbai said the storm hit the town of Korvaleik on Thursday.",
            "The DGHS said on Friday that the inquiry would take months, while Kestrel said nothing more."
            " Officials in Bombay said the storm hit the town of Korvalek, close to the border.",
        ]
    )
    assert _together(entities, "DGHS", "Directorate General of Harbour Safety")
    assert _together(entities, "Kestrel", "Kestrel Holdings Ltd")
    assert _together(entities, "Mumbai", "Bombay")
    assert _together(entities, "Korvaleik", "Korvalek")


def test_an_acronym_no_name_spells_stays_alone() -> None:
    entities = _linked(["The FSB said the Federal Security Service had made arrests in Moscow on Monday."])
    assert not _together(entities, "FSB", "Federal Security Service")


def test_an_honorific_makes_a_person_whatever_the_tagger_said() -> None:
    from storybrief.briefing.entities import _forms
    from storybrief.model import Mention

    forms = _forms([Mention("a", 0, 0, 8, "Ms Varga", "ORG")])
    assert [(f.type, f.key) for f in forms] == [("PERSON", ("varga",))]  # not ("ms", "varga") as an ORG


def _form(text: str, label: str, article: str = "a") -> object:
    from storybrief.briefing.entities import _Form, name_key, name_suffix
    from storybrief.model import Mention

    return _Form(name_key(text, label), label, [Mention(article, 0, 0, len(text), text, label)], name_suffix(text))


def test_people_told_apart_by_suffix_initials_and_given_names() -> None:
    from storybrief.briefing.entities import _compatible, _conflict, _variant

    senior, junior = _form("W. Tomas Brenner Sr.", "PERSON"), _form("Tomas Brenner Jr.", "PERSON")
    assert _conflict(senior, junior)  # father and son
    assert _compatible(name_key("Tomas Brenner", "PERSON"), senior.key, "PERSON")  # a leading initial may go
    assert _compatible(name_key("I. Marten", "PERSON"), name_key("Ilse K. Marten", "PERSON"), "PERSON")
    assert _variant(name_key("Nick Tamsin", "PERSON"), name_key("Nicholas Tamsin", "PERSON"))
    assert _variant(name_key("Yelena Sorokina", "PERSON"), name_key("Elena Sorokina", "PERSON"))
    assert _variant(name_key("Omar Valentin", "PERSON"), name_key("Omar Valenti", "PERSON"))
    assert not _variant(name_key("Omar Valentin", "PERSON"), name_key("Hana Valentin", "PERSON"))
    assert _conflict(_form("Omar Valentin", "PERSON"), _form("Hana Valentin", "PERSON"))


def test_a_nickname_is_the_name_it_comes_from_but_a_name_of_its_own_is_not() -> None:
    from storybrief.briefing.entities import _conflict

    assert not _conflict(_form("Katherine Brenner", "PERSON"), _form("Katie Brenner", "PERSON"))
    assert not _conflict(_form("Robert Marten", "PERSON", "b"), _form("Bob Marten", "PERSON"))
    assert _conflict(_form("Aaron Brenner", "PERSON"), _form("Erin Brenner", "PERSON"))
    assert _conflict(_form("Bill Marten", "PERSON"), _form("Fred Marten", "PERSON"))


def test_partial_names_and_role_words_link() -> None:
    entities = _linked(
        [
            "W. Tomas Brenner Sr., who led the agency, died on Friday. His son Tomas Brenner Jr. said he was 95.",
            "Harbourmaster Ada Okafor said the pier would hold. Nick Tamsin, a former aide, was 80.",
            "Ada Okafor, the harbourmaster, said the pier would hold. Nicholas C. Tamsin served the governor.",
        ]
    )
    assert not _together(entities, "W. Tomas Brenner Sr.", "Tomas Brenner Jr.")
    assert _together(entities, "Ada Okafor", "Harbourmaster Ada Okafor")
    assert _together(entities, "Nick Tamsin", "Nicholas C. Tamsin")


def test_a_name_qualified_by_its_place_is_the_same_name() -> None:
    from storybrief.briefing.entities import _Guarded, _link_qualified

    forms = [_form("Leeds Harriers", "ORG"), _form("Harriers", "ORG", "b")]
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_qualified(forms, groups)  # type: ignore[arg-type]
    assert groups.find(0) == groups.find(1)
    # Two nationalities' ministries shorten to one name: the short name stays apart.
    forms = [
        _form("Kenyan", "NORP"),
        _form("Ugandan", "NORP"),
        _form("Kenyan Health Ministry", "ORG"),
        _form("Ugandan Health Ministry", "ORG"),
        _form("Health Ministry", "ORG", "b"),
    ]
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_qualified(forms, groups)  # type: ignore[arg-type]
    assert len({groups.find(i) for i in range(2, 5)}) == 3


def test_a_city_is_not_the_station_named_after_it() -> None:
    from storybrief.briefing.entities import _Groups, _short_candidates

    forms = [
        _form("Leeds", "GPE"),
        _form("Leeds station", "FAC"),
        _form("Halvard news agency", "ORG"),
        _form("Halvard", "PERSON"),
    ]
    forms[0].type = forms[1].type = "PLACE"  # type: ignore[attr-defined]
    groups = _Groups(len(forms))
    assert _short_candidates(forms[0], forms, groups) == set()  # type: ignore[arg-type]
    assert _short_candidates(forms[3], forms, groups) == {2}  # type: ignore[arg-type]


def test_a_name_blended_from_the_openings_of_a_given_name_and_a_surname() -> None:
    from storybrief.briefing.entities import _Groups, _short_candidates

    forms = [
        _form("Kessa Lindqvist", "PERSON"),
        _form("Tomas Brenner", "PERSON"),
        _form("KeLi", "PERSON"),
        _form("T.Bren", "ORG"),
        _form("DeLuca", "PERSON"),
        _form("Dena Luca", "PERSON"),
        _form("Daria DeLuca", "PERSON"),
    ]
    groups = _Groups(len(forms))
    assert _short_candidates(forms[2], forms, groups) == {0}  # type: ignore[arg-type]
    assert _short_candidates(forms[3], forms, groups) == {1}  # type: ignore[arg-type]
    # a surname with a capital inside is the surname, not a blend of another person's names
    assert _short_candidates(forms[4], forms, groups) == {6}  # type: ignore[arg-type]


def test_a_headline_in_title_case_read_as_one_long_name_is_the_name_that_closes_it() -> None:
    from storybrief.briefing.entities import _trim_headline_case

    text = "Kestrel Sign Deal With Okafor\nOkafor said no. Okafor left. Stand By Halvard, Kestrel Bank Of Kessa."
    names = [
        ("Kestrel Sign Deal With Okafor", "ORG"),
        ("Okafor", "PERSON"),
        ("Okafor", "PERSON"),
        ("Stand By Halvard", "ORG"),
        ("Kestrel Bank Of Kessa", "ORG"),
    ]
    trimmed = _trim_headline_case(_in_order(text, names))
    assert [(text[m.start : m.end], m.label) for m in trimmed] == [
        ("Okafor", "PERSON"),
        ("Okafor", "PERSON"),
        ("Okafor", "PERSON"),
        ("Stand By Halvard", "ORG"),  # no part of it is a name the story writes: kept
        ("Kestrel Bank Of Kessa", "ORG"),  # "of" is a word names keep
    ]


def test_an_acronym_defined_in_brackets_is_the_name_whatever_it_spells() -> None:
    entities = _linked(
        [
            "The Federal Harbour Service (FHB) said on Monday that two ships had collided off Kessa.",
            "Officers of the FHB boarded both ships, and the FHB said the crews were safe.",
        ]
    )
    assert _together(entities, "FHB", "Federal Harbour Service")
    assert not any("(" in alias for e in entities for alias in e.aliases)


def test_a_name_the_tagger_found_once_is_found_again_in_lower_case() -> None:
    from storybrief.briefing.entities import _repeated_names
    from storybrief.model import Mention

    text = "The Harbour Safety Board met in May. Later the harbour safety board said May was calm."
    records = json.dumps({"id": "a", "text": text}).encode()
    corpus = ingest.__globals__["ingest_bytes"](records, "t.jsonl", extension=".jsonl")
    parsed = parse(corpus, NlpOptions(annotations=("tokens", "entities")))
    body = parsed[0].article.text
    start = body.index("Harbour Safety Board")
    tagged = [Mention("a", 0, start, start + 20, "Harbour Safety Board", "ORG")]
    found, cut_short = _repeated_names(parsed, tagged)
    assert not cut_short
    assert [m.text for m in found] == ["harbour safety board"]
    assert body[found[0].start : found[0].end] == "harbour safety board"


def _parsed(texts: list[str]) -> list[Any]:
    records = "\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate(texts)).encode()
    corpus = ingest.__globals__["ingest_bytes"](records, "t.jsonl", extension=".jsonl")
    return parse(corpus, NlpOptions(annotations=("tokens", "entities")))


def _mention(parsed: list[Any], article: int, text: str, label: str, nth: int = 0) -> Any:
    from storybrief.model import Mention

    body = parsed[article].article.text
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(parsed[article].article.id, 0, start, start + len(text), text, label)


def test_a_longer_name_written_as_tagged_elsewhere_replaces_the_part_the_tagger_cut() -> None:
    from storybrief.briefing.entities import _repeated_names

    parsed = _parsed(
        [
            "Kestrel\u2019s Mark is a bourbon. Halvard Holdings Ltd. bought it.",
            "The maker of Kestrel's Mark was sold. Halvard Holdings Ltd on Monday said so.",
        ]
    )
    whole = _mention(parsed, 0, "Kestrel\u2019s Mark", "ORG")
    company = _mention(parsed, 0, "Halvard Holdings Ltd.", "ORG")
    cut = _mention(parsed, 1, "Kestrel", "ORG")
    found, cut_short = _repeated_names(parsed, [whole, company, cut])
    assert cut_short == {cut}
    texts = {(m.article, m.text) for m in found}
    assert ("a1", "Kestrel's Mark") in texts  # either apostrophe
    assert ("a1", "Halvard Holdings Ltd") in texts  # without the full stop the text does not write
    # a tagged name is never cut by a shorter one: the full name stays as tagged
    found, cut_short = _repeated_names(parsed, [whole, _mention(parsed, 1, "Kestrel's Mark", "ORG")])
    assert not cut_short


def test_a_long_name_the_tagger_cut_in_two_is_one_person() -> None:
    from storybrief.briefing.entities import _compatible, _join_adjacent_people, name_key

    parsed = _parsed(
        [
            "The winner is Ada Okafor Bensu al-Kessan, said Tomas Brenner. Ada Okafor thanked him.",
            "Officials said Tomas Brenner read the result. Kessan Brenner was not there.",
        ]
    )
    first, second = _mention(parsed, 0, "Ada Okafor", "PERSON"), _mention(parsed, 0, "Bensu al-Kessan", "PERSON")
    again = _mention(parsed, 0, "Ada Okafor", "PERSON", nth=1)
    joined = _join_adjacent_people(parsed, [first, second, again])
    assert [m.text for m in joined] == ["Ada Okafor Bensu al-Kessan", "Ada Okafor"]
    # a given name tagged as a nationality joins the surname where the story writes the full name
    tomas = _mention(parsed, 0, "Tomas", "NORP")
    brenner = _mention(parsed, 0, "Brenner", "PERSON")
    full = _mention(parsed, 1, "Tomas Brenner", "PERSON")
    assert "Tomas Brenner" in [m.text for m in _join_adjacent_people(parsed, [tomas, brenner, full])]
    kessan, other = _mention(parsed, 1, "Kessan", "NORP"), _mention(parsed, 1, "Brenner", "PERSON", nth=1)
    assert [m.text for m in _join_adjacent_people(parsed, [full, kessan, other])] == [
        "Tomas Brenner",
        "Kessan",
        "Brenner",
    ]
    # the short form links to the chain of names it begins; one added name is not a chain
    chain = name_key("Ada Okafor Bensu al-Kessan", "PERSON")
    assert _compatible(name_key("Ada Okafor", "PERSON"), chain, "PERSON")
    assert not _compatible(name_key("Ada Okafor", "PERSON"), name_key("Ada Okafor Bensu", "PERSON"), "PERSON")
    assert not _compatible(name_key("Ada Bensu", "PERSON"), chain, "PERSON")


def test_a_region_named_by_its_direction_as_an_adjective() -> None:
    from storybrief.briefing.entities import name_key

    assert name_key("Northern Kessa", "LOC") == name_key("North Kessa", "GPE")
    assert name_key("Southwestern Kessa", "LOC") == name_key("Southwest Kessa", "LOC")
    assert name_key("Northern Halvard", "ORG") != name_key("North Halvard", "ORG")
    # a region the tagger read as a nationality is a place where the story writes it with a region noun
    from storybrief.briefing.entities import _Form, _retyped
    from storybrief.model import Mention

    def form(text: str, label: str, kind: str) -> _Form:
        return _Form(name_key(text, label), kind, [Mention("a", 0, 0, len(text), text, label)])

    forms = [
        form("North Kessa", "NORP", "NORP"),
        form("Northern Kessa region", "GPE", "PLACE"),
        form("Kessan", "NORP", "NORP"),
    ]
    assert [f.type for f in _retyped(forms, frozenset())] == ["PLACE", "PLACE", "NORP"]


def test_an_organisation_turned_round_and_its_parts() -> None:
    from storybrief.briefing.entities import _Groups, _Guarded, _link_parts, _link_reordered, _short_candidates

    forms = [_form("Ministry of Harbours", "ORG"), _form("Harbours Ministry", "ORG", "b")]
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_reordered(forms, groups)  # type: ignore[arg-type]
    assert groups.find(0) == groups.find(1)

    forms = [
        _form("Harbour Commission", "ORG"),
        _form("Higher Harbour Commission", "ORG", "b"),
        _form("Air Kessa", "ORG"),
        _form("Air Kessa Express", "ORG", "b"),
        _form("Harbour Board", "ORG"),
        _form("Harbour Board of Kessa", "ORG", "b"),
    ]
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_parts(forms, groups)  # type: ignore[arg-type]
    assert groups.find(0) == groups.find(1)
    assert groups.find(2) != groups.find(3)  # a brand's other airline is not the airline
    assert groups.find(4) == groups.find(5)

    forms = [_form("Halvard", "ORG"), _form("Halvard Mobility", "ORG", "b"), _form("Halvard Inc.", "ORG", "c")]
    plain = _short_candidates(forms[0], forms, _Groups(3))  # type: ignore[arg-type]
    assert plain == {1}
    assert _short_candidates(forms[2], forms, _Groups(3)) == set()  # type: ignore[arg-type]  # a full name
    council = [_form("Council", "ORG"), _form("Kessa Council", "ORG", "b")]
    assert _short_candidates(council[0], council, _Groups(2), frozenset({token_key("council")})) == set()  # type: ignore[arg-type]


def test_two_names_joined_by_a_hyphen_are_neither_of_them() -> None:
    from storybrief.briefing.entities import _Groups, _short_candidates

    forms = [_form("Halvard", "ORG"), _form("Halvard-Kestrel", "ORG", "b"), _form("Kestrel", "ORG", "c")]
    assert _short_candidates(forms[0], forms, _Groups(3)) == set()  # type: ignore[arg-type]  # a deal of the two
    forms.append(_form("Halvard Mobility", "ORG", "c"))
    assert _short_candidates(forms[0], forms, _Groups(4)) == {3}  # type: ignore[arg-type]
    # a hyphenated name of its own: its second part is never written alone
    brand = [_form("Kessa", "ORG"), _form("Kessa-Orlen", "ORG", "b")]
    assert _short_candidates(brand[0], brand, _Groups(2)) == {1}  # type: ignore[arg-type]


def test_the_first_word_of_an_organisation_the_tagger_cut_off() -> None:
    import spacy
    from spacy.tokens import Doc

    from storybrief.briefing.entities import _extend

    vocab = spacy.blank("en").vocab

    def extended(words: list[str], ents: list[str]) -> str:
        doc = Doc(vocab, words=words, ents=ents)
        ent = doc.ents[-1]
        start, end, _ = _extend(doc, ent.start, ent.end, ent.label_)
        return doc[start:end].text

    o = "O"
    assert extended(["users", "of", "Kestrel", "Navigator", "said"], [o, o, o, "B-ORG", o]) == "Kestrel Navigator"
    # at a sentence's start the capital says nothing; a word with a type of its own is another name
    assert extended(["Kestrel", "Navigator", "said"], [o, "B-ORG", o]) == "Navigator"
    assert extended([".", "Navigator", "said"], [o, "B-ORG", o]) == "Navigator"
    assert extended(["in", "Kessa", "Navigator"], [o, "B-GPE", "B-ORG"]) == "Navigator"
    assert extended(["by", "the", "Navigator"], [o, o, "B-ORG"]) == "Navigator"


def _in_order(text: str, names: list[tuple[str, str]]) -> list[Any]:
    """Mentions of ``names`` (text, label), found one after the other in ``text``."""
    from storybrief.model import Mention

    out, at = [], 0
    for name, label in names:
        at = text.index(name, at)
        out.append(Mention("a", 0, at, at + len(name), name, label))
        at += len(name)
    return out


def test_two_names_tagged_as_one_organisation_are_two_where_each_is_written_alone() -> None:
    from storybrief.briefing.entities import _split_pairs

    text = "Okafor and Brenner met. Okafor left; Brenner stayed. Kestrel and Halvard merged."
    names = [("Okafor and Brenner", "ORG"), ("Okafor", "PERSON"), ("Brenner", "PERSON"), ("Kestrel and Halvard", "ORG")]
    split = _split_pairs(_in_order(text, names))
    assert [(text[m.start : m.end], m.label) for m in split] == [
        ("Okafor", "PERSON"),
        ("Brenner", "PERSON"),
        ("Okafor", "PERSON"),
        ("Brenner", "PERSON"),
        ("Kestrel and Halvard", "ORG"),  # neither part written alone: one name
    ]


def test_a_headline_in_capitals_read_as_one_long_name_is_the_name_that_opens_it() -> None:
    from storybrief.briefing.entities import _trim_capitals

    text = "KESTREL FC  SIGN OKAFOR\nKestrel FC signed her. HALVARD PORT WORKS"
    names = [("KESTREL FC  SIGN OKAFOR", "ORG"), ("Kestrel FC", "ORG"), ("HALVARD PORT WORKS", "ORG")]
    trimmed = _trim_capitals(_in_order(text, names))
    assert [text[m.start : m.end] for m in trimmed] == ["KESTREL FC", "Kestrel FC", "HALVARD PORT WORKS"]
    assert trimmed[0].text == "KESTREL FC"


def test_a_person_the_tagger_took_for_a_place() -> None:
    from storybrief.briefing.entities import _retyped

    forms = [_form("Ada Okafor", "GPE"), _form("Okafor", "PERSON", "b"), _form("Kessa Province", "GPE")]
    forms[0].type = forms[2].type = "PLACE"  # type: ignore[attr-defined]
    retyped = _retyped(forms, frozenset())  # type: ignore[arg-type]
    assert [f.type for f in retyped] == ["PERSON", "PERSON", "PLACE"]


def test_a_person_the_tagger_mostly_took_for_an_organisation() -> None:
    from storybrief.briefing.entities import _Form, _retyped
    from storybrief.model import Mention

    wavered = _Form(
        name_key("Ilse Varga", "ORG"),
        "ORG",
        [Mention("a", 0, 0, 10, "Ilse Varga", "ORG"), Mention("b", 0, 0, 10, "Ilse Varga", "PERSON")],
    )
    forms = [wavered, _form("Varga", "PERSON", "c"), _form("Kessa Varga", "ORG", "d")]
    retyped = _retyped(forms, frozenset())  # type: ignore[arg-type]
    # the tagger called it a person once and the story writes the surname alone as a person's;
    # a name it never called a person stays an organisation
    assert [f.type for f in retyped] == ["PERSON", "PERSON", "ORG"]


def test_a_surname_with_its_particle_and_words_before_a_name() -> None:
    from storybrief.briefing.entities import _compatible, _one_name, _retyped

    assert _compatible(name_key("Lo Okafor", "PERSON"), name_key("Ada Lo Okafor", "PERSON"), "PERSON")
    assert not _compatible(name_key("Kessa Okafor", "PERSON"), name_key("Ada Lo Okafor", "PERSON"), "PERSON")
    forms = [_form("Kestrel QB Ada Okafor", "PERSON"), _form("Ada Okafor", "PERSON", "b"), _form("Kestrel", "ORG")]
    assert _retyped(forms, frozenset())[0].key == name_key("Ada Okafor", "PERSON")  # type: ignore[arg-type]
    short = name_key("Health Ministry", "ORG")
    kenyan, ugandan = name_key("Kenyan Health Ministry", "ORG"), name_key("Ugandan Health Ministry", "ORG")
    assert not _one_name(short, [kenyan, ugandan])
    assert _one_name(short, [kenyan, name_key("Health Ministry of the Kenyan Government", "ORG")])


def test_a_dateline_names_its_place_and_is_cut_from_the_next_words() -> None:
    entities = _linked(
        [
            "LEEDS - Halvard Okafor's shipping firm said on Monday it would close its Leeds depot.",
            "LEEDS -- Kestrel Holdings said the depot in Leeds would shut in May.",
        ]
    )
    assert _together(entities, "LEEDS", "Leeds")
    assert not any(" - " in alias or " -- " in alias for e in entities for alias in e.aliases)


def test_a_place_and_the_same_place_with_its_place_noun_are_one() -> None:
    entities = _linked(
        [
            "Eleven people were killed in Ta Ruon township when the quake struck, state radio said.",
            "State radio said 11 died in Ta Ruon, where houses collapsed, and Mong Vela village lost its school.",
            "Rescuers reached Mong Vela on Friday.",
        ]
    )
    assert _together(entities, "Ta Ruon", "Ta Ruon township")
    assert _together(entities, "Mong Vela", "Mong Vela village")
    ruon = next(e for e in entities if "Ta Ruon" in e.aliases)
    assert ruon.type in ("GPE", "LOC")


def test_spellings_of_one_foreign_place_across_the_tagger_types() -> None:
    from storybrief.briefing.entities import _Form, _merge_forms
    from storybrief.model import Mention

    def form(text: str, *labels_in: tuple[str, str]) -> _Form:
        from storybrief.briefing.entities import _type_class

        mentions = [Mention(article, 0, 0, len(text), text, label) for article, label in labels_in]
        kinds = Counter(_type_class(label) for _, label in labels_in)
        return _Form(name_key(text, labels_in[0][1]), kinds.most_common(1)[0][0], mentions)

    def merged(forms: list[_Form]) -> list[set[str]]:
        return sorted(({m.text for m in f.mentions} for f in _merge_forms(forms)), key=sorted)

    # one article reads the town as a place, the next as a person: the tagger gave both a place's type
    halvik = form("Kessavik", ("a1", "ORG"), ("a2", "LOC"), ("a2", "ORG"))
    halveik = form("Kessaveik", ("a2", "PERSON"), ("a3", "GPE"), ("a3", "PERSON"))
    assert {"Kessavik", "Kessaveik"} in merged([halvik, halveik])
    # two words run together, the two words read as a person's name
    assert {"Ruonta", "Ruon Ta"} in merged([form("Ruonta", ("a1", "GPE")), form("Ruon Ta", ("a2", "PERSON"))])
    # a letter apart once run together
    assert {"Mong Keroa", "Mongkerua"} in merged([form("Mong Keroa", ("a1", "GPE")), form("Mongkerua", ("a2", "GPE"))])
    # two places the gazetteer tells apart stay apart, one letter or not
    assert len(merged([form("Changsha", ("a1", "GPE")), form("Changshu", ("a2", "GPE"))])) == 2
    # a person with a title is not a place written in two words
    assert len(merged([form("Ruonta", ("a1", "GPE")), form("Dr Ruon Ta", ("a2", "PERSON"))])) == 2


def test_a_name_extended_by_a_region_noun_is_also_an_alias_without_it() -> None:
    from storybrief.briefing.entities import _entity
    from storybrief.model import Mention

    region = _entity([Mention("a", 0, 0, 21, "Northern Kessa region", "GPE")], {})
    assert region.aliases == ("Northern Kessa region", "Northern Kessa")
    airport = _entity([Mention("a", 0, 0, 13, "Kessa airport", "FAC")], {})
    assert airport.aliases == ("Kessa airport",)  # a facility named after a place is not the place


def test_a_company_name_with_an_inner_word_left_out() -> None:
    from storybrief.briefing.entities import _Guarded, _link_parts

    forms = [_form("Kestrel Platinum", "ORG"), _form("Kestrel Harbour Platinum Ltd.", "ORG", "b")]
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_parts(forms, groups)  # type: ignore[arg-type]
    assert groups.find(0) == groups.find(1)
    forms = [_form("Kestrel Platinum", "ORG"), _form("Kestrel Platinum Harbour", "ORG", "b")]
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_parts(forms, groups)  # type: ignore[arg-type]
    assert groups.find(0) != groups.find(1)  # the last word differs: another company


def test_a_title_with_one_name_is_not_a_given_name_of_someone_else() -> None:
    from storybrief.briefing.entities import _Groups, _short_candidates

    forms = [_form("Halvard Okafor", "PERSON"), _form("King Halvard", "PERSON", "b"), _form("Halvard", "PERSON", "c")]
    assert _short_candidates(forms[1], forms, _Groups(3)) == set()  # type: ignore[arg-type]  # a monarch
    assert _short_candidates(forms[2], forms, _Groups(3)) == {0}  # type: ignore[arg-type]
    forms = [_form("Halvard Okafor", "PERSON"), _form("President Okafor", "PERSON", "b")]
    assert _short_candidates(forms[1], forms, _Groups(2)) == {0}  # type: ignore[arg-type]


def test_a_body_described_in_lower_case_with_other_endings_is_the_named_body() -> None:
    entities = _linked(
        [
            "The Kessa Investigative Board said on Monday that the ferry had been overloaded.",
            "A spokesman for the investigation board said the ferry had been overloaded by 40 tonnes.",
            "The Kessa Licensing Board and the Halvard Harbour Board met on Friday.",
        ]
    )
    assert _together(entities, "Kessa Investigative Board", "investigation board")
    assert not _together(entities, "investigation board", "Halvard Harbour Board")


def test_a_described_body_fits_one_organisation_only() -> None:
    from storybrief.briefing.entities import _Guarded, _link_described

    forms = [
        _form("Kessa Licence Office", "ORG"),
        _form("licensing office", "ORG", "b"),
        _form("Licence Office of Halvard", "ORG", "c"),
        _form("the licensing officer", "ORG", "d"),
    ]
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_described(forms, groups)  # type: ignore[arg-type]
    assert groups.find(1) == groups.find(0)
    assert groups.find(3) != groups.find(0)  # another head word: a person's office, not the body
    forms.append(_form("Halvard Licensing Office", "ORG", "e"))
    groups = _Guarded(forms)  # type: ignore[arg-type]
    _link_described(forms, groups)  # type: ignore[arg-type]
    assert groups.find(1) != groups.find(0)  # two offices fit: it stays apart


def test_initials_before_the_rest_of_a_name_and_a_name_of_syllables() -> None:
    from storybrief.briefing.entities import _initials_lead, _syllables_spell

    assert _initials_lead(_form("KA Express", "ORG"), _form("Kessa Air Express", "ORG"))  # type: ignore[arg-type]
    assert not _initials_lead(_form("KA Express", "ORG"), _form("Kestrel Bay Express", "ORG"))  # type: ignore[arg-type]
    assert not _initials_lead(_form("KA Cargo", "ORG"), _form("Kessa Air Express", "ORG"))  # type: ignore[arg-type]
    assert _syllables_spell(_form("Kesco", "ORG"), _form("Kessa Company", "ORG"))  # type: ignore[arg-type]
    assert _syllables_spell(_form("Harbtrans", "ORG"), _form("Harbour Transport", "ORG"))  # type: ignore[arg-type]
    assert not _syllables_spell(_form("Kesco", "ORG"), _form("Kessa Harbour Company", "ORG"))  # type: ignore[arg-type]
    assert not _syllables_spell(_form("KESCO", "ORG"), _form("Kessa Company", "ORG"))  # type: ignore[arg-type]


def test_an_organisation_in_a_place_is_one_name_unless_also_named_without_it() -> None:
    from storybrief.briefing.entities import _join_org_in_place
    from storybrief.model import Mention

    def article(aid: str, text: str) -> Any:
        return type("P", (), {"article": type("A", (), {"id": aid, "text": text})()})()

    def mentions(aid: str, text: str, names: list[tuple[str, str]]) -> list[Mention]:
        out, at = [], 0
        for name, label in names:
            at = text.index(name, at)
            out.append(Mention(aid, 0, at, at + len(name), name, label))
            at += len(name)
        return out

    branch = ["Kessa Front in Halvard claimed the attack.", "A statement by Kessa Front in Halvard followed."]
    found = [
        m for i, t in enumerate(branch) for m in mentions(f"a{i}", t, [("Kessa Front", "ORG"), ("Halvard", "GPE")])
    ]
    joined = _join_org_in_place([article(f"a{i}", t) for i, t in enumerate(branch)], found)
    assert [m.text for m in joined] == ["Kessa Front in Halvard"] * 2
    clinic = ["The Kessa Clinic in Leeds said the Kessa Clinic was full.", "Nurses at Kessa Clinic in Leeds agreed."]
    names = [
        [("Kessa Clinic", "ORG"), ("Leeds", "GPE"), ("Kessa Clinic", "ORG")],
        [("Kessa Clinic", "ORG"), ("Leeds", "GPE")],
    ]
    found = [m for i, t in enumerate(clinic) for m in mentions(f"a{i}", t, names[i])]
    kept = _join_org_in_place([article(f"a{i}", t) for i, t in enumerate(clinic)], found)
    assert "Kessa Clinic in Leeds" not in [m.text for m in kept]
    # a building is where it stands, even where no article names it without the place
    centre = ["The Orlen Care Center in Kessa took her in.", "She is at Orlen Care Center in Kessa."]
    found = [
        m for i, t in enumerate(centre) for m in mentions(f"a{i}", t, [("Orlen Care Center", "ORG"), ("Kessa", "GPE")])
    ]
    kept = _join_org_in_place([article(f"a{i}", t) for i, t in enumerate(centre)], found)
    assert [m.text for m in kept] == ["Orlen Care Center", "Kessa"] * 2
