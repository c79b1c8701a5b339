"""Story clustering: an incremental clusterer, and a batch mode that refines its result.

:class:`StoryClusterer` takes articles in date order. Each article is compared
only with the stories its rarest terms and names point to (an inverted index
over active stories), so the cost of an article does not grow with the number
of stories seen. A story that receives nothing for ``window_days`` (or, for
undated input, ``window_articles`` articles) is closed: it leaves the index and
memory and is handed to ``on_close``. When an article joins a story and fits a
few other stories as well, those it bridges are tested and merged when their
members fit each other (a fixed cost per article).

:func:`cluster_vectors` (batch) runs the same clusterer over the whole corpus,
with document frequencies from the whole corpus and no closing, and then
refines: articles move to the story they fit best, and stories that fit each
other merge.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import OptionError
from ..model import Article
from .features import (
    STORY_DATE_CONFLICT,
    STORY_PLACE_CONFLICT,
    WEEKDAY_CONFLICT,
    ArticleVector,
    pair_evidence,
    probability_of,
    story_dates_conflict,
    story_places_conflict,
    vectorize,
    weekdays_conflict,
    weigh,
)

#: Terms and names of a member that index its story.
INDEX_TERMS = 12
#: Most members of a story that a member of another story is compared with before the two merge.
MERGE_DEPTH = 12
#: Pairs of articles whose evidence a clusterer keeps (see ``remember_pairs``); past it, it starts over.
PAIR_MEMORY = 1_000_000


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """Options of story clustering.

    ``threshold``: probability above which an article joins a story.
    ``window_days`` / ``window_articles``: a stream closes a story quiet for this long (None: never).
    ``candidates``: stories scored per article. ``members``: members of a story compared per article.
    ``refine``: refinement passes of batch mode. ``merge_candidates``: stories tested for a merge
    each time an article joins a story, among those it also fits (0: never). ``embeddings``: use MiniLM
    embeddings of title and lead.
    """

    threshold: float = 0.7
    window_days: int | None = 30
    window_articles: int | None = 20_000
    candidates: int = 12
    members: int = 6
    refine: int = 1
    merge_candidates: int = 3
    embeddings: bool = True

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise OptionError("threshold", "a probability between 0 and 1", self.threshold)
        for name in ("candidates", "members"):
            if getattr(self, name) < 1:
                raise OptionError(name, "a whole number of at least 1", getattr(self, name))
        if self.window_days is not None and self.window_days < 1:
            raise OptionError("window_days", "a number of days of at least 1, or None", self.window_days)


@dataclass(slots=True)
class _Story:
    id: int
    members: list[ArticleVector] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    last_date: dt.date | None = None
    last_order: int = 0
    key_counts: Counter[str] = field(default_factory=Counter)  # members holding each index key
    postings: dict[str, dict[str, float]] = field(default_factory=dict)  # term -> member id -> weight


@dataclass(frozen=True, slots=True)
class Cluster:
    """A closed or final story: member ids in arrival order, with first and last dates."""

    id: int
    members: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None


def index_keys(vector: ArticleVector) -> list[str]:
    """The terms and names (``~name``) a weighed article's story is found by: its heaviest ones (what the
    clusterer's index, and Spark's blocking, pair articles on)."""
    top = sorted(vector.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:INDEX_TERMS]
    names = sorted(vector.name_weight.items(), key=lambda kv: (-kv[1], kv[0]))[: INDEX_TERMS // 2]
    return [t for t, _ in top] + ["~" + n for n, _ in names]


class StoryClusterer:
    """Incremental story clustering: ``add`` each article (in date order), ``finish`` at the end."""

    def __init__(
        self,
        options: ClusterOptions | None = None,
        *,
        on_close: Callable[[Cluster], None] | None = None,
        document_frequencies: tuple[Counter[str], int] | None = None,
        remember_pairs: bool = False,
    ) -> None:
        self.options = options or ClusterOptions()
        # what two articles alone say of one story, kept when the caller says an id is one article for
        # the clusterer's life (a placed article's weights never change): refinement and merges ask again
        self._pairs: dict[tuple[str, str, bool], tuple[float, float]] | None = {} if remember_pairs else None
        self.on_close = on_close
        self.closed_: list[Cluster] = []
        self._active: dict[int, _Story] = {}
        self._index: dict[str, set[int]] = defaultdict(set)
        self._keys: dict[str, tuple[ArticleVector, list[str]]] = {}
        self._next_id = 0
        self._order = 0
        self._fixed_df = document_frequencies is not None
        # Batch mode sees everything at once: stories are never closed, but the window still
        # separates events (an article farther than the window from every member does not join).
        self._closing = document_frequencies is None
        self._df, self._n = document_frequencies or (Counter(), 0)
        self.assignment_: dict[str, int] = {}

    # ------------------------------------------------------------------ public

    def add(self, article: Article) -> int:
        """Place one article (embedding it if embeddings are on); return the id of its story."""
        vector = vectorize(article)
        if self.options.embeddings:
            from ..text.embed import embed  # noqa: PLC0415 - the encoder loads on first use

            vector.embedding = embed([vector.lead])[0]
        return self.add_vector(vector)

    def count(self, vector: ArticleVector) -> None:
        """Count an article in the document frequencies without placing it (a member of a closed story)."""
        if not self._fixed_df:
            self._n += 1
            self._df.update(vector.counts.keys())
            self._df.update("~" + n for n in vector.names)

    def restore(self, story_id: int, members: Sequence[ArticleVector]) -> None:
        """Reopen a story kept elsewhere (a store) as it was: its members attached, nothing scored.

        The members' term weights are the ones they got when they were first placed.
        """
        story = _Story(story_id)
        self._active[story_id] = story
        self._next_id = max(self._next_id, story_id + 1)
        for vector in members:
            self.count(vector)
            self._order += 1
            vector.order = self._order
            self._attach(story, vector)

    def reserve_ids(self, below: int) -> None:
        """Never give a new story an id under ``below`` (ids a store has used, merged stories' included)."""
        self._next_id = max(self._next_id, below)

    def members_of(self, story_id: int) -> list[str]:
        """Ids of an open story's members, in arrival order."""
        story = self._active.get(story_id)
        return [m.id for m in story.members] if story else []

    @property
    def open_ids(self) -> set[int]:
        """Ids of the stories still open."""
        return set(self._active)

    def add_vector(self, vector: ArticleVector) -> int:
        """Place one article; return the id of its story."""
        self.count(vector)
        if not vector.terms:
            weigh(vector, self._df, self._n)
        self._order += 1
        vector.order = self._order
        if self._closing:
            self._close_quiet(vector)
        fits = [story_id for score, story_id in self._ranked(vector) if score >= self.options.threshold]
        story = self._active[fits[0]] if fits else self._new_story()
        self._attach(story, vector)
        if len(fits) > 1 and self.options.merge_candidates:
            story = self._merge_bridged(story, fits[1 : 1 + self.options.merge_candidates])
        return story.id

    def finish(self) -> list[Cluster]:
        """Close every story; return all stories not already handed to ``on_close``."""
        for story_id in sorted(self._active):
            self._close(self._active[story_id])
        self._active.clear()
        self._index.clear()
        out = self.closed_
        self.closed_ = []
        return out

    @property
    def active_stories(self) -> int:
        """Number of stories still open."""
        return len(self._active)

    # ------------------------------------------------------------------ scoring

    def candidates(self, vector: ArticleVector, exclude: int | None = None) -> list[int]:
        """Active stories that share indexed terms or names with ``vector``, best first."""
        hits: dict[int, float] = defaultdict(float)
        for key in self._keys_of(vector):
            posting = self._index.get(key)
            if not posting:
                continue
            weight = vector.terms.get(key, 0.0) or 0.2
            for story_id in posting:
                if story_id != exclude:
                    hits[story_id] += weight
        return [s for s, _ in heapq.nlargest(self.options.candidates, hits.items(), key=lambda kv: (kv[1], -kv[0]))]

    def story_score(self, vector: ArticleVector, story: _Story, *, depth: int = 3) -> float:
        """Mean same-story probability against the ``depth`` members of the story that resemble ``vector`` most."""
        members = [m for m in story.members if m.id != vector.id]
        if not members:
            return 0.0
        window = self.options.window_days
        if window is not None and vector.date is not None:
            gaps = [abs((vector.date - m.date).days) for m in members if m.date is not None]
            if gaps and min(gaps) > window:
                return 0.0
        others = members
        compared = max(self.options.members, 2 * depth)
        if len(members) > compared:
            # The members nearest in words, by the story's own term postings (not one cosine per member).
            dots: dict[str, float] = defaultdict(float)
            for term, weight in vector.terms.items():
                for member_id, member_weight in story.postings.get(term, {}).items():
                    dots[member_id] += weight * member_weight
            members = heapq.nlargest(compared, members, key=lambda m: dots.get(m.id, 0.0))
        events = self.options.window_days is not None  # event stories: places conflict
        # the story as a whole against the report: an undated report of news on another weekday than the
        # story's, one placed in a country no member that places its news allows, or one dated a week from
        # every dated member likely reports another event
        conflict = WEEKDAY_CONFLICT if events and weekdays_conflict(vector, others) else 0.0
        conflict += STORY_PLACE_CONFLICT if events and story_places_conflict(vector, others) else 0.0
        conflict += STORY_DATE_CONFLICT if events and story_dates_conflict(vector, others) else 0.0
        probs = sorted((probability_of(self._evidence(vector, m, events), conflict) for m in members), reverse=True)
        top = probs[:depth]
        return sum(top) / len(top)

    def _evidence(self, a: ArticleVector, b: ArticleVector, events: bool) -> tuple[float, float]:
        if self._pairs is None:
            return pair_evidence(a, b, events=events)
        key = (a.id, b.id, events)
        found = self._pairs.get(key)
        if found is None:
            if len(self._pairs) >= PAIR_MEMORY:
                self._pairs.clear()
            found = self._pairs[key] = pair_evidence(a, b, events=events)
        return found

    def _ranked(self, vector: ArticleVector, exclude: int | None = None) -> list[tuple[float, int]]:
        """(score, story) of the candidate stories, best first; a tie goes to the one the index found first."""
        scored = [
            (self.story_score(vector, self._active[story_id]), rank, story_id)
            for rank, story_id in enumerate(self.candidates(vector, exclude))
        ]
        return [(score, story_id) for score, _, story_id in sorted(scored, key=lambda t: (-t[0], t[1]))]

    def _best_story(self, vector: ArticleVector, exclude: int | None = None) -> tuple[int | None, float]:
        ranked = self._ranked(vector, exclude)
        if not ranked or ranked[0][0] <= 0.0:
            return None, 0.0
        return ranked[0][1], ranked[0][0]

    # ------------------------------------------------------------------ bookkeeping

    def _keys_of(self, vector: ArticleVector) -> list[str]:
        """Index keys of an open story's member (computed once; forgotten when its story closes)."""
        cached = self._keys.get(vector.id)
        if cached is None or cached[0] is not vector:
            cached = (vector, index_keys(vector))
            self._keys[vector.id] = cached
        return cached[1]

    def _new_story(self) -> _Story:
        story = _Story(self._next_id)
        self._next_id += 1
        self._active[story.id] = story
        return story

    def _attach(self, story: _Story, vector: ArticleVector) -> None:
        story.members.append(vector)
        for key in self._keys_of(vector):
            story.key_counts[key] += 1
            if key not in story.keys:
                story.keys.add(key)
                self._index[key].add(story.id)
        for term, weight in vector.terms.items():
            story.postings.setdefault(term, {})[vector.id] = weight
        if vector.date and (story.last_date is None or vector.date > story.last_date):
            story.last_date = vector.date
        story.last_order = vector.order
        self.assignment_[vector.id] = story.id

    def _detach(self, story: _Story, vector: ArticleVector) -> None:
        stored = next((m for m in story.members if m.id == vector.id), vector)
        story.members = [m for m in story.members if m.id != vector.id]
        for key in self._keys_of(stored):
            story.key_counts[key] -= 1
            if story.key_counts[key] <= 0:
                del story.key_counts[key]
                story.keys.discard(key)
                self._index[key].discard(story.id)
                if not self._index[key]:
                    del self._index[key]
        for term in stored.terms:
            posting = story.postings.get(term)
            if posting is not None:
                posting.pop(stored.id, None)
                if not posting:
                    del story.postings[term]
        if not story.members:
            del self._active[story.id]

    def _close_quiet(self, vector: ArticleVector) -> None:
        opts = self.options
        for story in list(self._active.values()):
            quiet_days = (
                opts.window_days is not None
                and vector.date is not None
                and story.last_date is not None
                and (vector.date - story.last_date).days > opts.window_days
            )
            quiet_articles = opts.window_articles is not None and vector.order - story.last_order > opts.window_articles
            if quiet_days or quiet_articles:
                self._close(story)
                del self._active[story.id]

    def _close(self, story: _Story) -> None:
        for member in story.members:
            self._keys.pop(member.id, None)
        for key in story.keys:
            posting = self._index.get(key)
            if posting is not None:
                posting.discard(story.id)
                if not posting:
                    del self._index[key]
        dates = [m.date for m in story.members if m.date]
        cluster = Cluster(
            story.id, tuple(m.id for m in story.members), min(dates, default=None), max(dates, default=None)
        )
        if self.on_close:
            self.on_close(cluster)
        else:
            self.closed_.append(cluster)

    # ------------------------------------------------------------------ batch refinement

    def refine(self, vectors: Sequence[ArticleVector], passes: int) -> None:
        """Move articles to the story they fit best, then merge stories that fit each other."""
        by_id = {v.id: v for v in vectors}
        for _ in range(passes):
            moved = 0
            for vector in vectors:
                own = self._active[self.assignment_[vector.id]]
                own_score = self.story_score(vector, own) if len(own.members) > 1 else 0.0
                best, score = self._best_story(vector, exclude=own.id)
                if best is not None and score >= self.options.threshold and score > own_score + 0.05:
                    self._detach(own, vector)
                    self._attach(self._active[best], vector)
                    moved += 1
                elif len(own.members) > 1 and own_score < self.options.threshold / 2:
                    self._detach(own, vector)
                    self._attach(self._new_story(), vector)
                    moved += 1
            merged = self._merge(by_id)
            if not moved and not merged:
                break

    def _merge_bridged(self, story: _Story, bridged: Sequence[int]) -> _Story:
        """After an article joined ``story``: merge it with the other stories the article also fits, if they fit.

        The stream's counterpart of batch refinement, at a fixed cost per article: only the
        few stories the new member fits as well (best first) are tested.
        """
        for other_id in bridged:
            other = self._active.get(other_id)
            if other is None or other is story or not self._stories_fit(story, other):
                continue
            small, large = (story, other) if len(story.members) < len(other.members) else (other, story)
            for member in list(small.members):
                self._detach(small, member)
                self._attach(large, member)
            story = large
        return story

    def _merge(self, by_id: dict[str, ArticleVector]) -> int:
        merged = 0
        for story_id in sorted(self._active):
            story = self._active.get(story_id)
            if story is None:
                continue
            # A few members find the stories worth testing; comparing every member costs quadratic time.
            for member in list(story.members[: self.options.members // 2 or 1]):
                for other_id in self.candidates(member, exclude=story.id):
                    other = self._active.get(other_id)
                    if other is None or other is story:
                        continue
                    if self._stories_fit(story, other):
                        for vector in list(other.members):
                            self._detach(other, vector)
                            self._attach(story, by_id[vector.id])
                        merged += 1
        return merged

    def _stories_fit(self, a: _Story, b: _Story) -> bool:
        """Two stories are one when members of the smaller fit half of the larger, not just its nearest few.

        (Fitting the nearest three members is enough for one article to join; for two grown
        stories it chains different events that share names, such as a war and an election.)
        """
        small, large = (a, b) if len(a.members) <= len(b.members) else (b, a)
        sample = small.members[: self.options.members]
        depth = min(MERGE_DEPTH, max(3, (len(large.members) + 1) // 2))
        scores = [self.story_score(v, large, depth=depth) for v in sample]
        return sum(scores) / len(scores) >= self.options.threshold


def sort_for_stream(vectors: Iterable[ArticleVector]) -> list[ArticleVector]:
    """Date order; undated articles keep their input order after the dated ones before them."""
    indexed = list(enumerate(vectors))
    last: dt.date | None = None
    keyed = []
    for i, v in indexed:
        last = v.date or last
        keyed.append(((v.date or last or dt.date.min), i, v))
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [v for _, _, v in keyed]


def cluster_vectors(
    vectors: Sequence[ArticleVector], options: ClusterOptions | None = None, *, batch: bool = True
) -> list[Cluster]:
    """Cluster prepared vectors: batch (whole-corpus frequencies, refinement) or stream."""
    opts = options or ClusterOptions()
    ordered = sort_for_stream(vectors)
    if not batch:
        clusterer = StoryClusterer(opts, remember_pairs=True)
        for vector in ordered:
            clusterer.add_vector(vector)
        return clusterer.finish()
    df = document_frequencies(vectors)
    for v in vectors:
        weigh(v, df, len(vectors))
    return refine_weighed(vectors, opts, df, len(vectors))


def document_frequencies(vectors: Iterable[ArticleVector]) -> Counter[str]:
    """In how many articles each term and each name (``~name``) occurs: what batch clustering weighs by."""
    df: Counter[str] = Counter()
    for v in vectors:
        df.update(v.counts.keys())
        df.update("~" + n for n in v.names)
    return df


def refine_weighed(
    vectors: Sequence[ArticleVector], options: ClusterOptions, df: Counter[str], n: int
) -> list[Cluster]:
    """Batch clustering of vectors already weighed by frequencies ``df`` over ``n`` articles (a corpus
    larger than ``vectors``: one connected part of it, as Spark hands it over), then refinement."""
    ordered = sort_for_stream(vectors)
    clusterer = StoryClusterer(options, document_frequencies=(df, n), remember_pairs=True)
    for vector in ordered:
        clusterer.add_vector(vector)
    clusterer.refine(ordered, options.refine)
    return clusterer.finish()
