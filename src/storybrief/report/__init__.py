"""Reports of a brief: the versioned JSON document and Markdown."""

from __future__ import annotations

from .json import SCHEMA_VERSION, brief_to_dict, schema
from .markdown import brief_to_markdown

__all__ = ["SCHEMA_VERSION", "brief_to_dict", "brief_to_markdown", "schema"]
