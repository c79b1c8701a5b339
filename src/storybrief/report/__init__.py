"""Reports of a brief: the versioned JSON document, Markdown and the self-contained HTML page."""

from __future__ import annotations

from .files import write_briefs
from .html import Links, brief_to_html
from .json import SCHEMA_VERSION, brief_to_dict, schema
from .markdown import brief_to_markdown

__all__ = [
    "SCHEMA_VERSION",
    "Links",
    "brief_to_dict",
    "brief_to_html",
    "brief_to_markdown",
    "schema",
    "write_briefs",
]
