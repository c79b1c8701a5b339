"""The seed articles in ../shared: gold cleaning, metadata, and no body sentence lost.

Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storybrief import Corpus, ingest


@pytest.fixture(scope="module")
def gold() -> dict:  # type: ignore[type-arg]
    path = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "gold.json"
    if not path.is_file():
        pytest.skip("../shared/seeds is not available")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(gold: dict) -> Corpus:  # type: ignore[type-arg]
    return ingest([str(Path(__file__).resolve().parent.parent.parent / "shared" / "seeds")])


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_gold_json_is_skipped_with_a_reason(corpus: Corpus) -> None:
    skipped = {Path(e.input).name: e for e in corpus.manifest.skipped}
    assert set(skipped) == {"gold.json"}
    assert skipped["gold.json"].reason
    assert len(corpus) == 5


def test_cleaning_removes_gold_lines(corpus: Corpus, gold: dict) -> None:  # type: ignore[type-arg]
    for item in gold["cleaning"]["remove"]:
        article = corpus.get(item["document"])
        assert article is not None
        assert item["text"] not in article.text, (item["document"], item["why"])


def test_cleaning_repairs(corpus: Corpus) -> None:
    ambush_digest = next(a for a in corpus if a.id.startswith("004"))
    assert "\\" not in ambush_digest.text
    assert "Iraq's Sunni population" in ambush_digest.text
    nyt = next(a for a in corpus if a.id.startswith("000"))
    assert "In returning them, Iraqi soldiers put the Syrians on a bus" in nyt.text
    assert "Lt. Col. Mohammed Khalaf al-Dulaimi" in nyt.text
    assert "\n" not in nyt.paragraph_texts()[0]
    assert "“We will not allow any terrorist to enter the Iraqi lands,” Mr. Musawi said" in nyt.text


def test_metadata_matches_gold(corpus: Corpus, gold: dict) -> None:  # type: ignore[type-arg]
    for doc_id, meta in gold["documents"].items():
        article = corpus.get(doc_id)
        assert article is not None
        assert article.title == meta.get("title"), doc_id
        if "subtitle" in meta:
            assert article.subtitle == meta["subtitle"]
        if "byline" in meta:
            assert article.byline == meta["byline"]
        assert article.dateline == meta.get("dateline"), doc_id
        assert article.language == "en"


def _raw_sentences(text: str) -> list[str]:
    text = _squash(text.replace('\\"', '"').replace("\\'", "'"))
    return [s for s in re.split(r"(?<=[.!?][”\"]) (?=[A-Z“\"])|(?<=[a-z0-9][.!?]) (?=[A-Z“\"])", text) if s]


def test_no_body_sentence_is_removed(corpus: Corpus, gold: dict) -> None:  # type: ignore[type-arg]
    """Precision of cleaning: every sentence that is not gold noise survives."""
    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    noise: dict[str, list[str]] = {}
    for item in gold["cleaning"]["remove"]:
        noise.setdefault(item["document"], []).append(item["text"])
    for doc_id, meta in gold["documents"].items():
        for key in ("title", "subtitle"):
            if meta.get(key):
                noise.setdefault(doc_id, []).append(meta[key])
    total = kept = 0
    for doc_id in gold["documents"]:
        raw = (seeds / f"{doc_id}.txt").read_text(encoding="utf-8")
        raw = re.sub(r"[ \t]*\n[ \t]*\n\s*(?=[a-z])", " ", raw)  # the page break gold asks to rejoin
        article = corpus.get(doc_id)
        assert article is not None
        clean = _squash(article.text)
        lines = [ln for ln in raw.splitlines() if ln.strip() and not any(n in ln for n in noise.get(doc_id, []))]
        for sentence in _raw_sentences("\n".join(lines)):
            if any(sentence in n for n in noise.get(doc_id, [])):
                continue
            total += 1
            kept += sentence in clean
            assert sentence in clean, (doc_id, sentence)
    assert total > 100 and kept == total
