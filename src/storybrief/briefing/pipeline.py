"""The whole run, ingest to briefs: language layer, clustering, and per story facts, summary, entities, timeline.

:func:`brief` is what ``storybrief brief`` and the Python API call. It works on
a :class:`~storybrief.model.Corpus` (from :func:`storybrief.ingest`), parses
every English article once, groups the articles into stories and briefs each
story from the parsed articles. Non-English articles are read and listed but
not briefed, and the brief says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..cluster import ClusterOptions, cluster
from ..model import Brief, Corpus, Correction, Story, StoryBrief
from ..text.nlp import NlpOptions, ParsedArticle, parse
from .corrections import apply_corrections
from .entities import link_entities
from .facts import FactOptions, reconcile
from .summarize import SummaryOptions, summarize
from .timeline import TimelineOptions, build_timeline


@dataclass(frozen=True, slots=True)
class BriefOptions:
    """Options of a whole run: one frozen options object per stage, and batch or stream clustering."""

    summary: SummaryOptions = field(default_factory=SummaryOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    nlp: NlpOptions = field(default_factory=NlpOptions)
    facts: FactOptions = field(default_factory=FactOptions)
    timeline: TimelineOptions = field(default_factory=TimelineOptions)
    stream: bool = False


def brief(
    corpus: Corpus,
    options: BriefOptions | None = None,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> Brief:
    """Brief every story of the corpus; ``progress(stage, n)`` is told of work done."""
    opts = options or BriefOptions()
    parsed = parse(corpus, opts.nlp, progress=(lambda n: progress("parse", n)) if progress else None)
    by_id = {item.article.id: item for item in parsed}
    stories = cluster(corpus, opts.cluster, stream=opts.stream)
    briefs = []
    for story in stories:
        briefs.append(brief_story(story, [by_id[a] for a in story.articles], opts))
        if progress:
            progress("brief", 1)
    notes = tuple(
        f"{item.article.id}: not briefed: language is {item.article.language!r}, not English"
        for item in parsed
        if not item.article.is_english
    )
    return Brief(corpus=corpus, stories=tuple(briefs), notes=notes)


def brief_story(
    story: Story,
    items: Sequence[ParsedArticle],
    options: BriefOptions | None = None,
    corrections: Sequence[Correction] = (),
) -> StoryBrief:
    """One story's brief from its parsed members: facts, then the summary that cites them, names, timeline;
    then the editors' ``corrections`` that concern it (see :mod:`.corrections`)."""
    opts = options or BriefOptions()
    facts = reconcile(story, items, opts.facts)
    found = StoryBrief(
        story=story,
        summary=summarize(story, items, opts.summary, facts=facts),
        entities=tuple(link_entities(items)),
        facts=facts,
        timeline=build_timeline(story, items, opts.timeline),
    )
    if not corrections:
        return found
    titles = {item.article.id: item.article.title or "" for item in items}
    return apply_corrections(found, corrections, titles)
