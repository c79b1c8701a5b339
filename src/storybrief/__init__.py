"""storybrief: turn a pile or a stream of news articles into cited story briefs.

The public API mirrors the CLI: ``storybrief.ingest(paths) -> Corpus``.
Nothing heavy happens at import time; models load on first use.
"""

from __future__ import annotations

from .errors import OptionError, Skip, SkipCode, StorybriefError
from .ingest import FieldNames, IngestOptions, ingest, ingest_bytes
from .model import Article, Corpus, DateSource, Manifest, ManifestEntry, OffsetMap

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Corpus",
    "DateSource",
    "FieldNames",
    "IngestOptions",
    "Manifest",
    "ManifestEntry",
    "OffsetMap",
    "OptionError",
    "Skip",
    "SkipCode",
    "StorybriefError",
    "__version__",
    "ingest",
    "ingest_bytes",
]
