"""Editors' merges and splits as constraints on which articles form a story.

Clustering proposes; an editor's correction disposes, and goes on disposing: after every batch a
store adds and after every ``recluster``, :func:`enforce` puts back together what an editor merged
and keeps apart what an editor split, in the order the corrections were made (a later one wins).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Correction

#: The prefix of a story :func:`enforce` asks its caller to create (an article split out, with no
#: free story to go to): ``NEW + str(correction id)``.
NEW = "+"


@dataclass(frozen=True, slots=True)
class Enforced:
    """Where every article is after the corrections, and which stories went into which."""

    where: dict[str, str]
    merged: tuple[tuple[str, str], ...] = ()

    def moved(self, before: Mapping[str, str | None]) -> dict[str, str]:
        """The articles whose story the corrections changed, with their new story."""
        return {a: s for a, s in self.where.items() if before.get(a) != s}


def enforce(
    assignment: Mapping[str, str | None], corrections: Sequence[Correction], seniority: Mapping[str, int]
) -> Enforced:
    """Apply the merge and split corrections to ``assignment`` (article -> story, None for none).

    A merge puts the stories that now hold any of its articles into one: the oldest (lowest
    ``seniority``), as the store keeps the older id of two merged stories. A split moves its article
    out of a story that holds any of the articles it was split from, into the story the split made
    when that one is free, else into a new one (``NEW`` + the correction's id, for the caller to create).
    """
    where = {a: s for a, s in assignment.items() if s is not None}
    merged: list[tuple[str, str]] = []
    for c in sorted(corrections, key=lambda c: c.id):
        if c.withdrawn:
            continue
        if c.kind == "merge":
            stories = {where[a] for a in c.articles if a in where}
            if len(stories) < 2:
                continue
            keep = min(stories, key=lambda s: (seniority.get(s, 1 << 62), s))
            for a, s in where.items():
                if s in stories:
                    where[a] = keep
            merged += [(s, keep) for s in sorted(stories - {keep})]
        elif c.kind == "split" and c.article in where:
            home = where[c.article]
            if not any(where.get(a) == home for a in c.articles if a != c.article):
                continue
            target = c.other
            if target is None or target == home or any(s == target for a, s in where.items() if a != c.article):
                target = f"{NEW}{c.id}"
            where[c.article] = target
    return Enforced(where, tuple(merged))
