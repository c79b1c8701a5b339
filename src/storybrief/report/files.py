"""A brief written to a folder: briefs.json, briefs.md and briefs.html."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import Brief
from .html import brief_to_html
from .json import brief_to_dict
from .markdown import brief_to_markdown

#: The files :func:`write_briefs` writes, in order.
FILES = ("briefs.json", "briefs.md", "briefs.html")


def write_briefs(result: Brief, folder: Path) -> list[Path]:
    """Write the three reports of ``result`` into ``folder`` (made if missing); the paths written.

    The page is made from the JSON document alone, exactly as ``storybrief report`` makes it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    document = brief_to_dict(result)
    payload = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    paths = [folder / name for name in FILES]
    paths[0].write_text(payload, encoding="utf-8")
    paths[1].write_text(brief_to_markdown(result), encoding="utf-8")
    paths[2].write_text(brief_to_html(json.loads(payload)), encoding="utf-8")
    return paths
