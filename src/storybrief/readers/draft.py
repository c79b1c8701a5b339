"""What readers hand to the ingest pipeline: a source and the drafts read from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import DateSource


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file, or standard input.

    ``name`` is what the manifest shows; ``stem`` is the base of article ids;
    ``modified`` is the file's modification date (dates after it are rejected).
    """

    name: str
    stem: str
    data: bytes
    extension: str = ""
    path: str | None = None
    modified: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """An article as a reader found it, before cleaning.

    ``text`` is the *source text* that offsets point into. ``unwrap`` says
    whether its lines may be hard-wrapped (plain text) or are paragraphs
    (HTML, feeds); ``detect_header`` whether a title may sit in its first lines;
    ``captions`` the texts a page shows by its pictures, which cleaning removes from the body.
    """

    text: str
    record: int | None = None
    id_hint: str | None = None
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_source: DateSource = DateSource.NONE
    updated: dt.date | None = None
    unwrap: bool = True
    detect_header: bool = True
    warnings: tuple[str, ...] = ()
    captions: tuple[str, ...] | None = None  # a page's picture texts; None where the source has no markup
