"""What keeps a large ``brief`` fast: the cache of parses, embeddings and story briefs, parsing in several
processes, a timeline that embeds only what it compares, and the stage timings ``brief`` reports."""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from storybrief import ingest
from storybrief.briefing import pipeline, reuse
from storybrief.briefing.pipeline import STAGES, BriefOptions, brief
from storybrief.briefing.timeline import build_timeline
from storybrief.cli import app
from storybrief.model import Article, Corpus, Manifest, Story
from storybrief.report import brief_to_dict
from storybrief.text import embed as embedding
from storybrief.text import nlp, parallel, resources
from storybrief.text.cache import FILENAME, Cache
from storybrief.text.nlp import NlpOptions, doc_bytes, parse

runner = CliRunner()


def _corpus(articles: Sequence[Article]) -> Corpus:
    return Corpus(tuple(articles), Manifest())


def _document(articles: Sequence[Article], options: BriefOptions) -> dict:
    data = brief_to_dict(brief(_corpus(articles), options))
    data.pop("generated_at", None)
    return data


def _forget_briefs(folder: Path) -> None:
    """Keep the parses and embeddings of a cache, not its story briefs (so a run must brief again)."""
    with sqlite3.connect(folder / FILENAME) as db:
        db.execute("DELETE FROM brief")
    db.close()


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return list(ingest([str(Path(__file__).resolve().parent.parent / "examples")]))


def test_a_second_brief_parses_and_embeds_nothing(
    articles: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = BriefOptions(cache=tmp_path / "cache")
    first = _document(articles, options)
    assert (tmp_path / "cache" / FILENAME).is_file()

    def no_work(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed or embedded again")

    embedding.clear_cache()  # what was embedded in this process must come from the disk now
    _forget_briefs(tmp_path / "cache")
    monkeypatch.setattr(nlp, "_pipe", no_work)
    monkeypatch.setattr(resources, "sentence_encoder", no_work)
    assert _document(articles, options) == first


def test_a_second_brief_briefs_no_story_again(
    articles: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = BriefOptions(cache=tmp_path, jobs=1)
    first = _document(articles, options)
    monkeypatch.setattr(pipeline, "brief_story", lambda *_a, **_k: pytest.fail("briefed again"))
    monkeypatch.setattr(pipeline, "vectorize", lambda *_a, **_k: pytest.fail("read for clustering again"))
    monkeypatch.setattr(nlp, "_pipe", lambda *_a, **_k: pytest.fail("parsed again"))
    assert _document(articles, options) == first


def test_a_changed_article_briefs_its_own_story_again_and_no_other(
    articles: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = BriefOptions(cache=tmp_path, jobs=1)
    result = brief(_corpus(articles), options)
    story = next(s.story for s in result.stories if len(s.story.articles) > 1)
    target = story.articles[0]
    changed = [dataclasses.replace(a, outlet="Orlen Evening Post") if a.id == target else a for a in articles]
    briefed: list[str] = []
    real = pipeline.brief_story

    def counted(story: Story, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        briefed.append(story.id)
        return real(story, *args, **kwargs)

    read: list[str] = []
    real_vectorize = pipeline.vectorize

    def vectorized(article: Article, order: int = 0):  # type: ignore[no-untyped-def]
        read.append(article.id)
        return real_vectorize(article, order)

    monkeypatch.setattr(pipeline, "brief_story", counted)
    monkeypatch.setattr(pipeline, "vectorize", vectorized)
    again = _document(changed, options)
    assert briefed == [story.id]
    assert read == [target]
    assert again == _document(changed, BriefOptions(jobs=1))  # what the cache gave is what briefing gives


def test_a_story_added_before_the_others_briefs_itself_alone(
    articles: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = brief(_corpus(articles), BriefOptions(jobs=1))
    first = whole.stories[0].story  # the earliest story: adding it moves every other story's id
    options = BriefOptions(cache=tmp_path, jobs=1)
    brief(_corpus([a for a in articles if a.id not in first.articles]), options)
    briefed: list[str] = []
    real = pipeline.brief_story

    def counted(story: Story, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        briefed.append(story.id)
        return real(story, *args, **kwargs)

    monkeypatch.setattr(pipeline, "brief_story", counted)
    again = brief(_corpus(articles), options)
    assert briefed == [first.id]
    assert brief_to_dict(again)["stories"] == brief_to_dict(whole)["stories"]


def test_a_brief_key_follows_the_story_its_articles_and_the_options(articles: list[Article], tmp_path: Path) -> None:
    from storybrief.briefing.summarize import SummaryOptions

    members = [a for a in articles if a.is_english][:2]
    story = Story("s1", "A label", tuple(a.id for a in members))
    stages = (NlpOptions(), SummaryOptions())

    def key(of: Story = story, pool: Sequence[Article] = members, options: tuple[object, ...] = stages) -> str:
        return reuse.Reuse(Cache(tmp_path), pool, options).key(of)

    assert key(dataclasses.replace(story, id="s9")) == key()  # an id moves when an earlier story comes
    assert key(dataclasses.replace(story, label="Another")) != key()
    assert key(pool=[dataclasses.replace(members[0], text=members[0].text + " One more line."), members[1]]) != key()
    assert key(pool=[dataclasses.replace(members[0], outlet="Orlen Evening Post"), members[1]]) != key()
    assert key(options=(NlpOptions(), SummaryOptions(words=40))) != key()


def test_a_damaged_brief_in_the_cache_is_briefed_anew(articles: list[Article], tmp_path: Path) -> None:
    options = BriefOptions(cache=tmp_path, jobs=1)
    first = _document(articles, options)
    with sqlite3.connect(tmp_path / FILENAME) as db:
        db.execute("UPDATE brief SET data = ?", (b"not a brief",))
    db.close()
    assert _document(articles, options) == first


def test_only_new_articles_are_parsed(articles: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path)
    parse(articles[:-1], cache=cache)
    seen: list[str] = []
    real = nlp._pipe

    def counted(items, opts):
        seen.extend(item.article.id for item in items)
        return real(items, opts)

    monkeypatch.setattr(nlp, "_pipe", counted)
    again = parse(articles, cache=cache)
    english = [a.id for a in articles[:-1] if a.is_english]
    assert cache.hits["parse"] == len(english)
    assert seen == ([articles[-1].id] if articles[-1].is_english else [])
    fresh = parse(articles)
    assert [doc_bytes(i) for i in again] == [doc_bytes(i) for i in fresh]  # a parse read back is the same parse


def test_the_cache_key_follows_the_text_and_the_annotations(articles: list[Article]) -> None:
    article = next(a for a in articles if a.is_english)
    key = nlp.parse_key(article, NlpOptions())
    assert nlp.parse_key(dataclasses.replace(article, text=article.text + " More."), NlpOptions()) != key
    assert nlp.parse_key(article, NlpOptions(annotations=("tokens", "entities"))) != key
    assert nlp.parse_key(dataclasses.replace(article, id="another-id"), NlpOptions()) == key  # content, not name


def test_a_damaged_cache_does_not_stop_a_run(
    articles: list[Article], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / FILENAME).write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="storybrief"):
        result = brief(_corpus(articles), BriefOptions(cache=tmp_path))
    assert result.stories
    assert any("cache" in r.getMessage() and "not used" in r.getMessage() for r in caplog.records)


def test_a_timeline_embeds_only_events_it_compares(articles: list[Article]) -> None:
    items = parse([a for a in articles if a.id.startswith("ferry-")])
    asked: list[list[str]] = []

    def encoder(texts: Sequence[str]) -> np.ndarray:
        asked.append(list(texts))
        return embedding.embed(texts)

    one = items[:1]
    build_timeline(Story("s", "ferry", (one[0].article.id,)), one, encoder=encoder)
    assert asked == []  # one article's events are never compared: nothing to embed
    story = Story("s", "ferry", tuple(i.article.id for i in items))
    entries = build_timeline(story, items, encoder=encoder)
    assert len(asked) == 1 and len(asked[0]) > 1
    assert entries == build_timeline(story, items)  # what is left out of the encoder changes nothing


def test_brief_times_its_stages(articles: list[Article]) -> None:
    timings: dict[str, float] = {}
    brief(_corpus(articles), timings=timings)
    assert {"parse", "cluster", "stories", "facts", "summary", "entities", "timeline"} <= set(timings) <= set(STAGES)
    assert all(seconds >= 0 for seconds in timings.values())


def test_jobs_default_to_the_cores_available() -> None:
    assert BriefOptions().processes() == parallel.available_cores() >= 1
    assert BriefOptions(jobs=3).processes() == 3


def test_cli_cache_and_jobs(examples_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["brief", str(examples_dir), "-o", str(tmp_path / "a"), "--jobs", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / ".cache" / FILENAME).is_file()
    result = runner.invoke(app, ["brief", str(examples_dir), "-o", str(tmp_path / "b"), "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "b" / ".cache").exists()
    result = runner.invoke(app, ["brief", str(examples_dir), "-o", str(tmp_path / "c"), "--jobs", "0"])
    assert result.exit_code == 2


def _pid_of(chunk: Sequence[int], seconds: MutableMapping[str, float]) -> list[tuple[int, int]]:
    seconds["work"] = seconds.get("work", 0.0) + len(chunk)
    return [(i * i, os.getpid()) for i in chunk]


def _pairs(share: Sequence[int]) -> list[list[int]]:
    items = list(share)
    return [items[k : k + 2] for k in range(0, len(items), 2)]


def test_stories_are_briefed_in_several_processes_in_order() -> None:
    if parallel.usable(2, 20) < 2:
        pytest.skip("this process cannot fork safely here (another thread runs)")
    seconds: dict[str, float] = {}
    told: list[Sequence[int]] = []
    out = parallel.run_parts(_pid_of, 20, 2, plan=_pairs, done=told.append, timings=seconds)
    assert [square for square, _ in out] == [i * i for i in range(20)]
    pids = {pid for _, pid in out}
    assert len(pids) == 2 and os.getpid() not in pids
    assert {pid for i, (_, pid) in enumerate(out) if i % 2 == 0} != {pid for i, (_, pid) in enumerate(out) if i % 2}
    assert sorted(i for chunk in told for i in chunk) == list(range(20)) and all(len(c) == 2 for c in told)
    assert [list(c) for c in told if c[0] % 2 == 0] == [[0, 2], [4, 6], [8, 10], [12, 14], [16, 18]]
    assert seconds == {"work": 20.0}
    assert parallel.run_parts(_pid_of, 3, 2) == [(0, os.getpid()), (1, os.getpid()), (4, os.getpid())]  # few: here


def _fails_on_seven(chunk: Sequence[int], _seconds: MutableMapping[str, float]) -> list[int]:
    if 7 in chunk:
        raise ValueError("seven")
    return list(chunk)


def test_a_failure_in_a_briefing_process_is_raised_here() -> None:
    if parallel.usable(2, 20) < 2:
        pytest.skip("this process cannot fork safely here (another thread runs)")
    with pytest.raises(RuntimeError, match="ValueError: seven"):
        parallel.run_parts(_fails_on_seven, 20, 2)


def test_briefs_made_in_two_processes_are_the_briefs_made_in_one(
    articles: list[Article], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    serial = _document(articles, BriefOptions(jobs=1))
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # the examples are a few stories: fork for them too
    monkeypatch.setattr(pipeline, "VECTOR_BATCH", 3)  # and read them for clustering in two processes
    if parallel.usable(2, len(serial["stories"])) < 2:
        pytest.skip("this process cannot fork safely here (another thread runs)")
    assert _document(articles, BriefOptions(jobs=2, cache=tmp_path)) == serial
    # what the two processes embedded, each through a connection of its own, is in the cache
    embedding.clear_cache()
    _forget_briefs(tmp_path)
    monkeypatch.setattr(resources, "sentence_encoder", lambda: pytest.fail("embedded again"))
    assert _document(articles, BriefOptions(jobs=1, cache=tmp_path)) == serial


def test_a_damaged_parse_in_the_cache_is_parsed_anew(articles: list[Article], tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    english = [a for a in articles if a.is_english]
    cache.put_docs({nlp.parse_key(a, NlpOptions()): b"\x00 not a doc" for a in english})
    again = parse(articles, cache=cache)
    assert [doc_bytes(i) for i in again] == [doc_bytes(i) for i in parse(articles)]


def test_forking_waits_for_no_daemon_thread_but_for_a_worker_thread() -> None:
    import threading

    if parallel.usable(2, 20) < 2:
        pytest.skip("this process cannot fork safely here (another thread runs)")
    stop = threading.Event()
    daemon = threading.Thread(target=stop.wait, daemon=True)  # as a progress bar's refresh thread is
    daemon.start()
    try:
        assert parallel.usable(2, 20) == 2
        worker = threading.Thread(target=stop.wait)
        worker.start()
        try:
            assert parallel.usable(2, 20) == 1
        finally:
            stop.set()
            worker.join()
    finally:
        stop.set()
        daemon.join()


def test_embeddings_kept_in_memory_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "MEMORY_LIMIT", 10)
    embedding.clear_cache()
    texts = [f"Ada Okafor opened bridge number {n} on the Lake Orlen road." for n in range(30)]
    first = embedding.embed(texts)
    assert len(embedding._MEMORY) <= 10
    again = embedding.embed(texts[:5])  # forgotten, so embedded again: the same vectors, to rounding
    assert np.allclose(again, first[:5], atol=5e-3)
    embedding.clear_cache()


def _square_where(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def _dies_on_five(item: int) -> tuple[int, int]:
    if item == 5 and os.getpid() != _PARENT:
        os._exit(3)  # a crash of a reading process, not an exception
    return item, os.getpid()


_PARENT = os.getpid()


def test_an_ordered_map_keeps_the_order_holds_few_items_and_survives_a_dead_process() -> None:
    if not parallel.fork_safe():
        pytest.skip("this process cannot fork safely here (another thread runs)")
    taken: list[int] = []

    def items() -> Iterator[int]:
        for i in range(30):
            taken.append(i)
            yield i

    out = parallel.ordered_map(_square_where, items(), 2)
    first = next(out)
    assert first[0] == 0 and len(taken) <= parallel.AHEAD * 2 + 1  # taken as results come back, not all at once
    rest = list(out)
    assert [square for square, _ in [first, *rest]] == [i * i for i in range(30)]
    assert os.getpid() not in {pid for _, pid in [first, *rest]}
    survived = list(parallel.ordered_map(_dies_on_five, iter(range(12)), 2))
    assert [i for i, _ in survived] == list(range(12))
    assert dict(survived)[5] == os.getpid()  # made here once its process had died
    assert list(parallel.ordered_map(_square_where, range(3), 1)) == [(0, _PARENT), (1, _PARENT), (4, _PARENT)]
