"""The whole run, ingest to briefs: language layer, clustering, and per story facts, summary, entities, timeline.

:func:`brief` is what ``storybrief brief`` and the Python API call. It works on
a :class:`~storybrief.model.Corpus` (from :func:`storybrief.ingest`), groups
the English articles into stories, then parses each story's articles once (a
batch of stories at a time, in several processes when it can) and briefs the
story from them. Non-English articles are read and listed but not briefed,
and the brief says so.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..cluster import ClusterOptions, embed_leads, stories_from_clusters, with_duplicates
from ..cluster.features import ArticleVector, vectorize
from ..cluster.stories import cluster_vectors
from ..errors import OptionError
from ..model import Article, Brief, Corpus, Correction, Story, StoryBrief
from ..text.cache import Cache, using
from ..text.nlp import NlpOptions, ParsedArticle, parse
from ..text.parallel import available_cores, run_parts
from .corrections import apply_corrections
from .entities import link_entities
from .facts import FactOptions, reconcile
from .reuse import Reuse
from .summarize import SummaryOptions, summarize
from .timeline import TimelineOptions, build_timeline


@dataclass(frozen=True, slots=True)
class BriefOptions:
    """Options of a whole run: one frozen options object per stage, batch or stream clustering,
    ``jobs``, the processes that parse and brief stories (None: the cores this process may use),
    and ``cache``, a folder where what a later run can reuse is kept: parses, embeddings, what
    clustering reads of each article, story briefs (None: nothing is kept)."""

    summary: SummaryOptions = field(default_factory=SummaryOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    nlp: NlpOptions = field(default_factory=NlpOptions)
    facts: FactOptions = field(default_factory=FactOptions)
    timeline: TimelineOptions = field(default_factory=TimelineOptions)
    stream: bool = False
    jobs: int | None = None
    cache: Path | None = None

    def __post_init__(self) -> None:
        if self.jobs is not None and self.jobs < 1:
            raise OptionError("jobs", "a whole number of at least 1", self.jobs)

    def processes(self) -> int:
        """``jobs``, or the cores available to this process."""
        return self.jobs or available_cores()


#: The stages :func:`brief` times: ``embed`` (titles and leads) and ``cluster`` first; then
#: ``stories``, the wall-clock time of parsing and briefing every story; ``copies`` (copies and
#: rewrites within a story), ``parse``, ``facts``, ``summary``, ``entities`` and ``timeline`` are
#: the work in it, summed over the processes that do it (so more than ``stories`` when there are several).
STAGES = ("embed", "cluster", "stories", "copies", "parse", "facts", "summary", "entities", "timeline")
#: Articles a process reads for clustering at once (its results come back a batch at a time); a
#: corpus of fewer than two batches is read in this process.
VECTOR_BATCH = 500
#: Articles parsed at once: a batch of consecutive stories of one process, parsed, briefed and let go,
#: so memory holds the parses of a batch, not of the corpus.
PARSE_BATCH = 64


@contextlib.contextmanager
def _clock(timings: MutableMapping[str, float] | None, stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


def brief(
    corpus: Corpus,
    options: BriefOptions | None = None,
    *,
    progress: Callable[[str, int], None] | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> Brief:
    """Brief every story of the corpus; ``progress(stage, n)`` is told of work done, and ``timings``
    (when given) gets the seconds spent in each of :data:`STAGES`.

    Stories are found first (clustering reads the articles, not their
    parse); then each process parses a batch of its stories' articles at a
    time and briefs them, so the parses of the whole corpus are never in
    memory at once.
    """
    opts = options or BriefOptions()
    store = Cache(opts.cache) if opts.cache is not None else None
    try:
        with using(store):
            return _brief(corpus, opts, store, progress, timings)
    finally:
        if store is not None:
            store.close()


def _brief(
    corpus: Corpus,
    opts: BriefOptions,
    store: Cache | None,
    progress: Callable[[str, int], None] | None,
    timings: MutableMapping[str, float] | None,
) -> Brief:
    pool = [a for a in corpus if a.is_english]
    kept = Reuse(store, pool, (opts.nlp, opts.summary, opts.facts, opts.timeline))
    with _clock(timings, "cluster"):
        vectors = _vectors(pool, kept, opts.processes())
    if opts.cluster.embeddings:
        with _clock(timings, "embed"):
            embed_leads(vectors)
    with _clock(timings, "cluster"):
        clusters = cluster_vectors(vectors, opts.cluster, batch=not opts.stream)
        # copies and rewrites are found story by story as they are briefed (and not again for a story
        # whose brief the cache holds)
        stories = stories_from_clusters(clusters, pool, vectors, duplicates=False)
    by_id = {a.id: a for a in pool}
    with _clock(timings, "stories"):
        found = kept.briefs(stories)  # read here: sending them back from other processes costs more
        todo = [i for i in range(len(stories)) if i not in found]
        if progress and found:
            progress("parse", sum(len(stories[i].articles) for i in found))
            progress("brief", len(found))

        def plan(share: Sequence[int]) -> list[list[int]]:
            """Consecutive stories of a share, grouped until their articles fill a parse batch."""
            chunks: list[list[int]] = []
            size = 0
            for j in share:
                if not chunks or size >= PARSE_BATCH:
                    chunks.append([])
                    size = 0
                chunks[-1].append(j)
                size += len(stories[todo[j]].articles)
            return chunks

        def work(chunk: Sequence[int], seconds: MutableMapping[str, float]) -> list[StoryBrief]:
            """Parse the chunk's articles at once (or read them from the cache), brief its stories, keep nothing."""
            mine = [stories[todo[j]] for j in chunk]
            with _clock(seconds, "parse"):
                items = parse([by_id[a] for story in mine for a in story.articles], opts.nlp, cache=store)
            parsed = {item.article.id: item for item in items}
            out = []
            for found_story in mine:
                with _clock(seconds, "copies"):
                    story = with_duplicates(found_story, [by_id[a] for a in found_story.articles])
                out.append(brief_story(story, [parsed[a] for a in story.articles], opts, timings=seconds))
            kept.keep_briefs(list(zip(mine, out, strict=True)))
            return out

        def done(chunk: Sequence[int]) -> None:
            if progress:
                progress("parse", sum(len(stories[todo[j]].articles) for j in chunk))
                progress("brief", len(chunk))

        made = run_parts(work, len(todo), opts.processes(), plan=plan, done=done, timings=timings)
        found.update(zip(todo, made, strict=True))
        briefs = [found[i] for i in range(len(stories))]
    notes = tuple(f"{a.id}: not briefed: language is {a.language!r}, not English" for a in corpus if not a.is_english)
    return Brief(corpus=corpus, stories=tuple(briefs), notes=notes)


def _vectors(pool: Sequence[Article], kept: Reuse, jobs: int) -> list[ArticleVector]:
    """What clustering reads of each article: kept from an earlier run, or read now in ``jobs``
    processes (:data:`VECTOR_BATCH` articles at a time) and kept."""
    found = kept.vectors(pool)
    todo = [i for i in range(len(pool)) if i not in found]

    def vectorized(chunk: Sequence[int], _seconds: MutableMapping[str, float]) -> list[ArticleVector]:
        return [vectorize(pool[todo[j]], todo[j]) for j in chunk]

    def batches(share: Sequence[int]) -> list[list[int]]:
        items = list(share)
        return [items[start : start + VECTOR_BATCH] for start in range(0, len(items), VECTOR_BATCH)]

    made = run_parts(vectorized, len(todo), jobs if len(todo) >= 2 * VECTOR_BATCH else 1, plan=batches)
    kept.keep_vectors(made)
    found.update(zip(todo, made, strict=True))
    return [found[i] for i in range(len(pool))]


def brief_story(
    story: Story,
    items: Sequence[ParsedArticle],
    options: BriefOptions | None = None,
    corrections: Sequence[Correction] = (),
    *,
    timings: MutableMapping[str, float] | None = None,
) -> StoryBrief:
    """One story's brief from its parsed members: facts, then the summary that cites them, names, timeline;
    then the editors' ``corrections`` that concern it (see :mod:`.corrections`)."""
    opts = options or BriefOptions()
    with _clock(timings, "facts"):
        facts = reconcile(story, items, opts.facts)
    with _clock(timings, "summary"):
        summary = summarize(story, items, opts.summary, facts=facts)
    with _clock(timings, "entities"):
        entities = tuple(link_entities(items))
    with _clock(timings, "timeline"):
        timeline = build_timeline(story, items, opts.timeline)
    found = StoryBrief(story=story, summary=summary, entities=entities, facts=facts, timeline=timeline)
    if not corrections:
        return found
    titles = {item.article.id: item.article.title or "" for item in items}
    return apply_corrections(found, corrections, titles)
