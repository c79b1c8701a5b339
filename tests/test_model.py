"""The data model: JSON round trips and manifest shape."""

from __future__ import annotations

import datetime as dt
import json

from storybrief.model import Article, DateSource, Manifest, ManifestEntry, OffsetMap


def test_article_round_trip() -> None:
    article = Article(
        id="a",
        text="Body text.",
        paragraphs=((0, 10),),
        title="T",
        published=dt.date(2025, 5, 12),
        published_source=DateSource.FEED,
        offsets=OffsetMap(((0, 3, 10),)),
        warnings=("w",),
    )
    data = json.loads(json.dumps(article.to_dict()))
    assert data["published"] == "2025-05-12"
    assert data["published_source"] == "feed"
    assert Article.from_dict(data) == article
    assert article.paragraph_texts() == ["Body text."]


def test_manifest_shape() -> None:
    manifest = Manifest(
        (
            ManifestEntry("a.txt", "used", None, None, None, ("a",)),
            ManifestEntry("b.jsonl", "skipped", 3, "line 3: invalid JSON", "invalid-json"),
        )
    )
    out = manifest.to_dict()
    assert set(out) == {"inputs"}
    assert {"input", "record", "status", "reason", "articles"} <= set(out["inputs"][0])
    assert out["inputs"][1]["record"] == 3
    assert [e.input for e in manifest.skipped] == ["b.jsonl"]
