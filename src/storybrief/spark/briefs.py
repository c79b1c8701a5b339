"""Stage 5 on Spark: each story briefed by the local code, and the rows of what a run writes.

A partition holds whole stories; it parses a batch of their articles at once
(:data:`~storybrief.briefing.pipeline.PARSE_BATCH`), marks copies and rewrites
within each story and briefs it with
:func:`~storybrief.briefing.pipeline.brief_story`, as ``brief`` does in one
of its processes. What it gives back is the story's ``briefs.json`` object.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..briefing.pipeline import PARSE_BATCH, BriefOptions, brief_story
from ..cluster import with_duplicates
from ..model import Article, ManifestEntry, Story
from ..report.json import article_to_dict, story_to_dict
from ..text.nlp import parse

#: A story to brief: its number in the brief, the story, its articles (any order).
Todo = tuple[int, Story, Sequence[Article]]


def briefed(todo: Iterable[Todo], options: BriefOptions) -> Iterator[tuple[int, str]]:
    """``(number, the story's briefs.json object as JSON)`` for each story, a parse batch at a time."""
    batch: list[Todo] = []
    size = 0
    for item in todo:
        batch.append(item)
        size += len(item[2])
        if size >= PARSE_BATCH:
            yield from _brief_batch(batch, options)
            batch, size = [], 0
    if batch:
        yield from _brief_batch(batch, options)


def _brief_batch(batch: Sequence[Todo], options: BriefOptions) -> Iterator[tuple[int, str]]:
    members = {number: _in_story_order(story, articles) for number, story, articles in batch}
    items = parse([a for number, _, _ in batch for a in members[number]], options.nlp)
    parsed = {item.article.id: item for item in items}
    for number, found, _ in batch:
        story = with_duplicates(found, members[number])
        made = brief_story(story, [parsed[a] for a in story.articles], options)
        yield number, json.dumps(story_to_dict(made), ensure_ascii=False, sort_keys=False)


def _in_story_order(story: Story, articles: Sequence[Article]) -> list[Article]:
    place = {a: i for i, a in enumerate(story.articles)}
    return sorted(articles, key=lambda a: place[a.id])


def numbered(story: Story, number: int) -> Story:
    """The story with the id the brief gives it (``s1``, ``s2`` … in brief order)."""
    return dataclasses.replace(story, id=f"s{number + 1}")


def article_row(order: int, article: Article) -> dict[str, Any]:
    """An article as ``articles.parquet`` holds it: briefs.json's object, its paragraphs and removals as
    JSON text, and its place in the corpus."""
    out = article_to_dict(article)
    out["paragraphs"] = json.dumps(out["paragraphs"])
    out["removed"] = json.dumps(out["removed"], ensure_ascii=False)
    out["order"] = order
    return out


def manifest_row(order: int, entry: ManifestEntry) -> dict[str, Any]:
    """A manifest entry as ``manifest.parquet`` holds it, with its place in the input order."""
    out = entry.to_dict()
    out["order"] = order
    return out


def story_row(story: Story, number: int) -> dict[str, Any]:
    """A story as ``stories.parquet`` holds it (its brief is in ``briefs.jsonl``)."""
    return {
        "number": number,
        "id": story.id,
        "label": story.label,
        "first": story.first,
        "last": story.last,
        "articles": list(story.articles),
        "size": len(story.articles),
    }
