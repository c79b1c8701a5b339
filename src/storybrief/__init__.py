"""storybrief: turn a pile or a stream of news articles into cited story briefs.

The public API is this package; it mirrors the CLI::

    corpus = storybrief.ingest(["examples"])              # storybrief ingest
    result = storybrief.brief(corpus)                     # storybrief brief
    stories = storybrief.cluster(corpus.articles)         # the stories alone
    people = storybrief.link_entities(storybrief.parse(corpus))

Nothing heavy happens at import time; models load on first use. The layers
behind these names are described in ARCHITECTURE.md.
"""

from __future__ import annotations

from .briefing.entities import EntityOptions, link_entities
from .briefing.facts import FactOptions, reconcile
from .briefing.pipeline import BriefOptions, brief
from .briefing.summarize import SummaryOptions, summarize
from .briefing.timeline import TimelineOptions, build_timeline
from .cluster import ClusterOptions, StoryClusterer, cluster
from .cluster.dedup import DedupOptions, find_duplicates
from .errors import OptionError, Skip, SkipCode, StorybriefError
from .model import (
    Article,
    Brief,
    Corpus,
    DateSource,
    Duplicate,
    Entity,
    FactReport,
    FactSlot,
    Figure,
    Interval,
    Manifest,
    ManifestEntry,
    Mention,
    OffsetMap,
    Sentence,
    Story,
    StoryBrief,
    SummarySentence,
    TimelineEntry,
    TimelineReport,
)
from .readers import FieldNames, IngestOptions, ingest, ingest_bytes, read_dates_file
from .report import brief_to_dict, brief_to_markdown
from .store import Store, StoreError
from .text.nlp import NlpOptions, ParsedArticle, parse

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Brief",
    "BriefOptions",
    "ClusterOptions",
    "Corpus",
    "DateSource",
    "DedupOptions",
    "Duplicate",
    "Entity",
    "EntityOptions",
    "FactOptions",
    "FactReport",
    "FactSlot",
    "FieldNames",
    "Figure",
    "IngestOptions",
    "Interval",
    "Manifest",
    "ManifestEntry",
    "Mention",
    "NlpOptions",
    "OffsetMap",
    "OptionError",
    "ParsedArticle",
    "Sentence",
    "Skip",
    "SkipCode",
    "Store",
    "StoreError",
    "Story",
    "StoryBrief",
    "StoryClusterer",
    "StorybriefError",
    "SummaryOptions",
    "SummarySentence",
    "TimelineEntry",
    "TimelineOptions",
    "TimelineReport",
    "__version__",
    "brief",
    "brief_to_dict",
    "brief_to_markdown",
    "build_timeline",
    "cluster",
    "find_duplicates",
    "ingest",
    "ingest_bytes",
    "link_entities",
    "parse",
    "read_dates_file",
    "reconcile",
    "summarize",
]
