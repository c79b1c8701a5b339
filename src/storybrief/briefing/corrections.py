"""Editors' corrections applied to a story's brief: what storybrief found, then what an editor said of it.

A correction names what it corrects by what the editor saw (articles, a spelling, a fact's
reports), not by positions that a rebuild changes, so the same corrections give the same brief
after every rebuild and regrouping. Which articles form a story is corrected before the brief
is made (:mod:`storybrief.cluster.constraints`); here a brief lists those corrections of its
articles, takes the unlinked spellings out of their names and puts the editors' marks on verdicts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ..model import Correction, FactSlot, StoryBrief
from .entities import unlink_alias


def _membership_applies(c: Correction, articles: set[str]) -> bool:
    return bool(articles & {*c.articles, *([c.article] if c.article else [])})


def _slot_of(c: Correction, facts: Sequence[FactSlot]) -> int | None:
    """The fact the mark was put on: the one of that label sharing a report, else the one with most of
    its reports (at least half of them); None when the story no longer has it."""
    recorded = set(c.reports)

    def shared(f: FactSlot) -> int:
        return len(recorded & {(r.article, r.as_written) for r in f.reports})

    same = [n for n, f in enumerate(facts) if f.slot == c.slot and (shared(f) or not recorded)]
    if same:
        return max(same, key=lambda n: shared(facts[n]))
    ranked = sorted(range(len(facts)), key=lambda n: -shared(facts[n]))
    if ranked and recorded and shared(facts[ranked[0]]) * 2 >= len(recorded):
        return ranked[0]
    return None


def apply_corrections(
    brief: StoryBrief, corrections: Sequence[Correction], titles: Mapping[str, str] | None = None
) -> StoryBrief:
    """The brief with the corrections that concern it applied (in the order they were made) and listed.

    ``titles`` (article id -> title) weighs the names an unlinked spelling leaves, as linking does.
    """
    articles = set(brief.story.articles)
    applied: list[Correction] = []
    entities = list(brief.entities)
    facts = list(brief.facts)
    for c in sorted(corrections, key=lambda c: c.id):
        if c.withdrawn:
            continue
        if c.kind in ("merge", "split"):
            if _membership_applies(c, articles):
                applied.append(c)
        elif c.kind == "unlink" and c.entity and c.alias:
            if c.story is not None and not articles & set(c.articles):
                continue  # a correction of one story, not of this one
            unlinked = unlink_alias(entities, c.entity, c.alias, titles or {})
            if unlinked is not None:
                entities = unlinked
                applied.append(c)
        elif c.kind == "verdict" and c.mark:
            n = _slot_of(c, facts)
            if n is not None:
                facts[n] = dataclasses.replace(facts[n], check=c)
                applied.append(c)
    if not applied:
        return brief
    return dataclasses.replace(brief, entities=tuple(entities), facts=tuple(facts), corrections=tuple(applied))
