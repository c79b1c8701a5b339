"""The Spark schemas of what a run writes (imported only where pyspark is)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyspark.sql.types import (
    ArrayType,
    DateType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)


def row(schema: StructType, values: Mapping[str, Any]) -> tuple[Any, ...]:
    """``values`` as a row of ``schema``: in its order (Spark matches a row to a schema by position)."""
    return tuple(values[name] for name in schema.fieldNames())


def _fields(*items: tuple[str, object]) -> StructType:
    return StructType([StructField(name, kind, nullable=True) for name, kind in items])  # type: ignore[arg-type]


_TEXT = StringType()
_TEXTS = ArrayType(StringType())

#: ``articles.parquet``: briefs.json's article object (paragraphs and removals as JSON text), and its place.
ARTICLES = _fields(
    ("order", LongType()),
    ("id", _TEXT),
    ("title", _TEXT),
    ("outlet", _TEXT),
    ("byline", _TEXT),
    ("published", _TEXT),
    ("published_source", _TEXT),
    ("date_confidence", DoubleType()),
    ("updated", _TEXT),
    ("language", _TEXT),
    ("path", _TEXT),
    ("url", _TEXT),
    ("text", _TEXT),
    ("paragraphs", _TEXT),
    ("removed", _TEXT),
)

#: ``manifest.parquet``: one entry per input or record, used or skipped with its reason.
MANIFEST = _fields(
    ("order", LongType()),
    ("input", _TEXT),
    ("record", LongType()),
    ("status", _TEXT),
    ("reason", _TEXT),
    ("code", _TEXT),
    ("articles", _TEXTS),
    ("warnings", _TEXTS),
)

#: ``stories.parquet``: one story a row, in brief order.
STORIES = _fields(
    ("number", LongType()),
    ("id", _TEXT),
    ("label", _TEXT),
    ("first", DateType()),
    ("last", DateType()),
    ("articles", _TEXTS),
    ("size", LongType()),
)

#: A story's brief: its number and its briefs.json object as JSON text.
BRIEFS = _fields(("number", LongType()), ("brief", _TEXT))
