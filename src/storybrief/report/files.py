"""A brief written to a folder: briefs.json, briefs.md and briefs.html."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import Brief
from .html import write_html
from .json import brief_to_dict
from .markdown import brief_to_markdown

#: The files :func:`write_briefs` writes, in order.
FILES = ("briefs.json", "briefs.md", "briefs.html")


def write_briefs(result: Brief, folder: Path) -> list[Path]:
    """Write the three reports of ``result`` into ``folder`` (made if missing); the paths written.

    The page is made from the JSON document alone, exactly as ``storybrief report`` makes it
    from the file (the document holds nothing JSON would change: tested). The JSON and the page
    are written as they are made, not made into one string first: at 10,000 articles the text of
    briefs.json is some 200 MB, and its encoding took three times that at once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in FILES]
    document = brief_to_dict(result)
    with paths[0].open("w", encoding="utf-8") as out:
        json.dump(document, out, indent=1, ensure_ascii=False)
        out.write("\n")
    paths[1].write_text(brief_to_markdown(result), encoding="utf-8")
    write_html(document, paths[2])
    return paths
