"""What a Spark run wrote, read back as one ``briefs.json`` document (for ``export --from-spark``).

The tables are read with pyarrow, without starting Spark: a run's output is
often copied off a cluster and reported on elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import StorybriefError
from . import OUTPUTS


class SparkOutputError(StorybriefError):
    """A folder that is not (all of) a Spark run's output."""


def read_document(out: Path) -> dict[str, Any]:
    """The ``briefs.json`` document of the run written in ``out``: its manifest, articles, stories and notes."""
    missing = [name for name in OUTPUTS if not (out / name).exists()]
    if missing:
        raise SparkOutputError(f"{out}: not the output of `storybrief spark` (missing {', '.join(missing)})")
    try:
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        raise SparkOutputError(
            "pyarrow is not installed: install the extra with `pip install 'storybrief[spark]'`"
        ) from None
    notes = json.loads((out / "notes.json").read_text(encoding="utf-8"))
    articles = sorted(pq.read_table(out / "articles.parquet").to_pylist(), key=lambda r: r["order"])
    entries = sorted(pq.read_table(out / "manifest.parquet").to_pylist(), key=lambda r: r["order"])
    for article in articles:
        del article["order"]
        article["paragraphs"] = json.loads(article["paragraphs"])
        article["removed"] = json.loads(article["removed"])
    for entry in entries:
        del entry["order"]
    stories = []
    for part in sorted((out / "briefs.jsonl").glob("part-*")):  # Spark's parts, in order
        with part.open(encoding="utf-8") as lines:
            stories += [json.loads(line) for line in lines if line.strip()]
    return {
        "schema_version": notes["schema_version"],
        "made_by": notes["made_by"],
        "manifest": {"inputs": entries},
        "articles": articles,
        "stories": stories,
        "notes": notes["notes"],
    }
