"""The language layer: one model load, fixed sentence boundaries, offsets, non-English articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief import ingest
from storybrief.text import resources
from storybrief.text.nlp import NlpOptions, ParsedArticle, parse


@pytest.fixture(scope="module")
def parsed() -> list[ParsedArticle]:
    return parse(ingest([str(Path(__file__).resolve().parent.parent / "examples")]))


def test_doc_sentences_match_rule_boundaries(parsed: list[ParsedArticle]) -> None:
    for item in parsed:
        if item.doc is None:
            continue
        assert len(list(item.doc.sents)) == len(item.sentences), item.article.id
        for index, sentence in enumerate(item.sentences):
            assert item.span(index).start_char == sentence.start


def test_annotations_are_kept_in_memory(parsed: list[ParsedArticle]) -> None:
    item = next(p for p in parsed if p.article.id == "ferry-meridia-courier")
    doc = item.doc
    assert doc.has_annotation("DEP") and doc.has_annotation("LEMMA") and doc.has_annotation("ENT_IOB")
    lemmas = {t.lemma_ for t in doc}
    assert "kill" in lemmas
    assert any(ent.label_ == "PERSON" for ent in doc.ents)
    assert any(t.like_num for t in item.span(0))


def test_sentence_offsets_point_into_source(parsed: list[ParsedArticle], examples_dir: Path) -> None:
    item = next(p for p in parsed if p.article.id == "ferry-meridia-courier")
    source = (examples_dir / "ferry-meridia-courier.txt").read_text(encoding="utf-8")
    for sentence in item.sentences:
        raw = source[sentence.source_start : sentence.source_end]
        assert " ".join(raw.split()) == sentence.text


def test_non_english_articles_are_not_parsed(parsed: list[ParsedArticle]) -> None:
    french = next(p for p in parsed if p.article.language == "fr")
    assert french.doc is None and french.note and "fr" in french.note
    assert french.sentences
    with pytest.raises(ValueError, match="not parsed"):
        french.span(0)


def test_model_loads_once_per_process(parsed: list[ParsedArticle]) -> None:
    before = resources.spacy_pipeline.cache_info()
    parse([parsed[0].article])
    parse([parsed[1].article], NlpOptions(annotations=("tokens", "entities")))
    after = resources.spacy_pipeline.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_only_requested_components_run(parsed: list[ParsedArticle]) -> None:
    (item,) = parse([parsed[0].article], NlpOptions(annotations=("tokens", "entities")))
    assert item.doc.has_annotation("ENT_IOB")
    assert not item.doc.has_annotation("DEP")


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="annotations"):
        NlpOptions(annotations=("sentiment",))


def test_sentence_spans_line_up_even_when_the_doc_merges_sentences() -> None:
    from storybrief import ingest_bytes
    from storybrief.model import Sentence

    article = ingest_bytes(b"Rates come from www.AirSafe.com today. He left.", "a.txt").articles[0]
    item = parse([article])[0]
    assert [item.span(i).text for i in range(len(item.sentences))] == [s.text for s in item.sentences]
    # A splitter boundary inside one token ("www.AirSafe" | "com") leaves the doc a sentence short.
    cut = article.text.index("Safe.com") + len("Safe.")
    pieces = [(0, cut), (cut, article.text.index(" He")), (article.text.index("He"), len(article.text))]
    sentences = tuple(Sentence(article.id, k, a, b, article.text[a:b], a, b) for k, (a, b) in enumerate(pieces))
    merged = ParsedArticle(article, sentences, doc=item.doc)
    spans = [merged.span(k) for k in range(3)]
    assert len(spans) == 3 and spans[2].text == "He left."


def test_entities_of_a_sentence_and_of_a_token_are_spacys(parsed: list[ParsedArticle]) -> None:
    from storybrief.text.nlp import entities, entities_in, entity_at

    checked = 0
    for item in parsed:
        if item.doc is None:
            continue
        doc = item.doc
        assert [(e.start, e.end, e.label_) for e in entities(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
        for s in item.sentences:
            span = item.span(s.index)
            assert [(e.start, e.end) for e in entities_in(span)] == [(e.start, e.end) for e in span.ents]
        for token in doc:
            inside = next(((e.start, e.end) for e in doc.ents if e.start <= token.i < e.end), None)
            found = entity_at(doc, token.i)
            assert (None if found is None else (found.start, found.end)) == inside
            checked += 1
    assert checked > 100
