"""Story clustering: group articles into stories, mark copies and rewrites, label each story."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from ..model import Article, Story
from ..text.embed import embed
from ..text.terms import cosine
from .dedup import DedupOptions, find_duplicates
from .features import ArticleVector, vectorize
from .stories import Cluster, ClusterOptions, StoryClusterer, cluster_vectors

__all__ = [
    "ClusterOptions",
    "StoryClusterer",
    "cluster",
    "embed_leads",
    "prepare",
    "stories_from_clusters",
    "with_duplicates",
]


def prepare(articles: Sequence[Article], options: ClusterOptions) -> list[ArticleVector]:
    """Vectors for clustering; embeddings of title and lead computed in one batch."""
    vectors = [vectorize(a, i) for i, a in enumerate(articles)]
    if options.embeddings:
        embed_leads(vectors)
    return vectors


def embed_leads(vectors: Sequence[ArticleVector]) -> None:
    """Give each vector the embedding of its title and lead, computed in one batch."""
    if not vectors:
        return
    matrix = embed([v.lead for v in vectors])
    for v, row in zip(vectors, matrix, strict=True):
        v.embedding = row


def cluster(
    articles: Iterable[Article],
    options: ClusterOptions | None = None,
    *,
    stream: bool = False,
    dedup: DedupOptions | None = None,
) -> list[Story]:
    """Partition English articles into stories (batch, or the stream algorithm on the same data)."""
    opts = options or ClusterOptions()
    pool = [a for a in articles if a.is_english]
    vectors = prepare(pool, opts)
    clusters = cluster_vectors(vectors, opts, batch=not stream)
    return stories_from_clusters(clusters, pool, vectors, dedup)


def stories_from_clusters(
    clusters: Sequence[Cluster],
    articles: Sequence[Article],
    vectors: Sequence[ArticleVector],
    dedup: DedupOptions | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    duplicates: bool = True,
) -> list[Story]:
    """Stories with duplicate links, labels and dates, ordered by first date then size.

    With ``duplicates=False`` the stories come without their copy and rewrite links, for a
    caller that finds them later, story by story (:func:`with_duplicates`).
    """
    by_id = {a.id: a for a in articles}
    vec = {v.id: v for v in vectors}
    stories = []
    for c in clusters:
        members = [by_id[i] for i in c.members if i in by_id]
        if not members:
            continue
        members.sort(key=lambda a: (a.published is None, a.published or 0, a.id))
        dates = [a.published for a in members if a.published]
        stories.append(
            Story(
                id="",
                label=_label(members, [vec[a.id] for a in members]),
                articles=tuple(a.id for a in members),
                duplicates=tuple(find_duplicates(members, dedup)) if duplicates else (),
                first=min(dates, default=None),
                last=max(dates, default=None),
            )
        )
        if progress:
            progress(1)
    stories.sort(key=lambda s: (s.first is None, s.first or 0, -len(s.articles), s.articles[0]))
    return [Story(f"s{i + 1}", s.label, s.articles, s.duplicates, s.first, s.last) for i, s in enumerate(stories)]


def with_duplicates(story: Story, members: Sequence[Article], dedup: DedupOptions | None = None) -> Story:
    """``story`` with the copy and rewrite links among its ``members`` (its articles, in its order)."""
    return dataclasses.replace(story, duplicates=tuple(find_duplicates(members, dedup)))


def _label(members: Sequence[Article], vectors: Sequence[ArticleVector]) -> str:
    """The title (or lead phrase) of the member closest to the others."""
    if len(members) == 1:
        best = members[0]
    else:
        # A headline reads better than a lead phrase: the most central member with a title, if any has one.
        centre = [sum(cosine(v.terms, w.terms) for w in vectors) for v in vectors]
        best = members[max(range(len(members)), key=lambda i: (members[i].title is not None, centre[i]))]
    if best.title:
        return best.title
    words = best.text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
