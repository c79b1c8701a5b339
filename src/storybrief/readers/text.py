"""Plain-text reader (``.txt``, ``.md``, files without extension)."""

from __future__ import annotations

import re

from .decode import Decoded
from .draft import Draft, Source

_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def read_text(source: Source, decoded: Decoded) -> list[Draft]:
    """One article per file; title, byline and dateline are found while cleaning."""
    text = decoded.text
    if source.extension in {".md", ".markdown"}:
        # Markdown comments are not text; blank them so offsets stay valid.
        text = _MD_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return [Draft(text=text, warnings=decoded.warnings)]
