"""Stage 1 on Spark: inputs read and cleaned per partition by the readers ``ingest`` uses, and the manifest.

Files are found as ``ingest`` finds them (:func:`~storybrief.readers.sources.expand`:
folders walked in order, hidden and unsupported files skipped with their
reason); Spark then reads them: JSON lines files as lines (``textFile``, split
across partitions, parts of consecutive lines cleaned together), every other
file whole as a binary file (``binaryFile``), Parquet files and DataFrames as
records with the fields a JSON record has. Each part goes through
:func:`~storybrief.readers.read_source`, so cleaning and skipping are
``ingest``'s own. Ids are then made unique across the run in input order, as
``ingest`` makes them, and every input ends in the manifest, used or skipped.

Every row carries its place in the input order (``order``: input, line, draft),
so the articles and the manifest come out in the order ``ingest`` gives them,
whatever the partitioning.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import Skip, SkipCode
from ..model import Article, ManifestEntry
from ..readers import BATCH, IngestOptions, is_jsonl, read_source, streamed, unique_id, used_entry, with_run_date
from ..readers.draft import Source
from ..readers.sources import EXTENSIONS, Found, display_name, expand, too_large

#: Where a row comes from: (input number, first line of its part or 0, draft number within the part).
Order = tuple[int, int, int]

_SUFFIXED = re.compile(r"-\d+$")


@dataclass(frozen=True, slots=True)
class Input:
    """One input of a Spark run, numbered in the order ``ingest`` would read it.

    ``kind``: ``lines`` (a JSON lines file read line by line), ``file`` (read whole),
    ``parquet`` (records), ``skip`` (not read: ``skip`` says why).
    """

    number: int
    name: str
    kind: str
    path: str | None = None
    skip: Skip | None = None


def plan(
    paths: Sequence[str], options: IngestOptions, listing: Callable[[str], list[str] | None] = lambda _uri: None
) -> list[Input]:
    """The inputs of a run in order: Parquet files and folders by their name, everything else as ``ingest``
    expands it. A path with a scheme (``hdfs://…``) is Spark's to read: ``listing`` gives the files of such a
    folder, in order (None for a file; :class:`FileNotFoundError` when there is nothing there), and each is
    taken or skipped as ``ingest`` would take it."""
    found: list[Input] = []
    for item in paths:
        path = Path(item)
        if "://" in item:
            try:
                files = None if _is_parquet(item) else listing(item)
            except FileNotFoundError:
                found.append(
                    Input(len(found), item, "skip", skip=Skip(SkipCode.NOT_FOUND, "no such file or directory"))
                )
                continue
            uris = [item] if files is None else files
            found.extend([_from_uri(len(found) + i, uri, options) for i, uri in enumerate(uris)])
        elif _is_parquet(item) or (path.is_dir() and any(path.glob("*.parquet"))):
            found.append(Input(len(found), display_name(item), "parquet", str(path.resolve())))
        else:
            found.extend([_from_found(len(found) + i, f, options) for i, f in enumerate(expand([item]))])
    return found


def _from_uri(number: int, uri: str, options: IngestOptions) -> Input:
    """A file Spark names by its URI, with the rules of ``expand`` for hidden and unsupported files."""
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    suffix = Path(name).suffix.lower()
    if _is_parquet(uri):
        return Input(number, uri, "parquet", uri)
    if name.startswith("."):
        return Input(number, uri, "skip", skip=Skip(SkipCode.UNSUPPORTED, "hidden file"))
    if suffix not in EXTENSIONS:
        reason = f"unsupported file type {suffix!r} (not txt, md, html, json, jsonl, rss, atom or xml)"
        return Input(number, uri, "skip", skip=Skip(SkipCode.UNSUPPORTED, reason))
    return Input(number, uri, "lines" if is_jsonl(uri, options) else "file", uri)


def _from_found(number: int, found: Found, options: IngestOptions) -> Input:
    if found.skip is not None or found.path is None:
        skip = found.skip or Skip(SkipCode.UNSUPPORTED, "standard input is not read on Spark")
        return Input(number, found.name, "skip", skip=skip)
    path = Path(found.path)
    try:
        size = path.stat().st_size
    except OSError as error:
        return Input(number, found.name, "skip", skip=Skip(SkipCode.UNREADABLE, f"cannot read file ({error.strerror})"))
    absolute = str(path.resolve())
    if streamed(found, options):
        return Input(number, found.name, "lines", absolute)
    large = too_large(size, options.max_bytes)
    if large is not None:
        return Input(number, found.name, "skip", skip=large)
    return Input(number, found.name, "file", absolute)


def _is_parquet(item: str) -> bool:
    return item.rstrip("/").lower().endswith(".parquet")


# ---------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Part:
    """What one task reads: the bytes of a file or of consecutive lines, and the skips before them."""

    order: Order
    name: str
    source: Source | None
    fmt: str | None = None
    before: tuple[Skip, ...] = ()


#: A row of stage 1: its order, the input's name, whether it holds several records, an article or a skip.
Outcome = tuple[Order, str, bool, Article | Skip]


def read_parts(parts: Iterable[Part], options: IngestOptions, today: dt.date) -> Iterator[Outcome]:
    """Parse and clean each part with the readers of ``ingest``; the part's skips come first."""
    for part in parts:
        number, line, _ = part.order
        k = 0
        for error in part.before:
            yield (number, line, k), part.name, True, error
            k += 1
        if part.source is None:
            continue
        multi, outcomes = read_source(
            part.name, part.source, options, today=today, fmt=part.fmt, first_line=max(line, 1)
        )
        for outcome in outcomes:
            yield (number, line, k), part.name, multi, outcome
            k += 1


def line_parts(
    number: int, name: str, path: str, lines: Iterable[tuple[bytes, int]], options: IngestOptions
) -> Iterator[Part]:
    """Consecutive lines of a JSON lines file (``(bytes, index from 0)``) in parts of up to
    :data:`~storybrief.readers.BATCH` lines, as ``ingest`` streams such a file; a line longer than
    ``max_bytes`` is skipped with its number and read as an empty line."""
    stem = display_name(Path(path).stem)
    held: list[bytes] = []
    long: list[Skip] = []
    first = next_line = 0

    def part() -> Part:
        source = Source(name=name, stem=stem, data=b"".join(held), extension=".jsonl", path=name)
        return Part((number, first, 0), name, source, "jsonl", tuple(long))

    for data, index in lines:
        line = index + 1
        if held and (line != next_line or len(held) >= BATCH):
            yield part()
            held, long = [], []
        if not held:
            first = line
        if len(data) > options.max_bytes:
            long.append(Skip(SkipCode.TOO_LARGE, f"line {line}: record is more than {options.max_bytes:,} bytes", line))
        held.append((data if len(data) <= options.max_bytes else b"") + b"\n")
        next_line = line + 1
    if held:
        yield part()


def file_part(number: int, name: str, path: str, data: bytes, modified: dt.datetime | None) -> Part:
    """A whole file read as binary."""
    suffix = Path(path).suffix.lower()
    stem = display_name(Path(path).stem if suffix in EXTENSIONS else Path(path).name)
    # PySpark gives a timestamp as this process's local time (naive): its day in UTC, as ingest takes a file's
    day = modified.astimezone(dt.UTC).date() if modified is not None else None
    source = Source(name=name, stem=stem, data=bytes(data), extension=suffix, path=name, modified=day)
    return Part((number, 0, 0), name, source)


def record_parts(
    number: int, name: str, rows: Iterable[tuple[dict[str, Any], int]], options: IngestOptions
) -> Iterator[Part]:
    """Records of a Parquet file or a DataFrame (``(fields, index from 0)``), read as JSON records are."""
    lines = ((json.dumps(fields, default=_plain, ensure_ascii=False).encode("utf-8"), i) for fields, i in rows)
    stem = display_name(Path(name.rstrip("/")).stem) or "records"
    for part in line_parts(number, name, name, lines, options):
        assert part.source is not None
        yield replace(part, source=replace(part.source, stem=stem, extension=""))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


# ---------------------------------------------------------------------------------------------- accounting


def renames(ids: Iterable[tuple[Order, str]]) -> dict[Order, str]:
    """The new ids of the articles that ``ingest`` would rename, from ``(place, id)`` of every article that
    could take part in a clash, given in any order: ids given more than once and ids ending in ``-N``
    (the form of a new id). Replayed in input order with ``ingest``'s own rule; every other article keeps
    its id, as no clash can touch it."""
    taken: set[str] = set()
    out: dict[Order, str] = {}
    for order, base in sorted(ids):
        unique = unique_id(base, taken)
        taken.add(unique)
        if unique != base:
            out[order] = unique
    return out


def settled(
    outcome: tuple[Order, str, bool, Article], renamed: Mapping[Order, str], options: IngestOptions, today: dt.date
) -> tuple[Order, Article, ManifestEntry]:
    """An article with its final id (``renamed`` holds the few that change) and the run's dates, and its entry."""
    order, name, multi, read = outcome
    article = with_run_date(replace(read, id=renamed[order]) if order in renamed else read, options, today)
    return order, article, used_entry(name, article, multi)


def may_clash(ident: str, repeated: Container[str]) -> bool:
    """True for an id :func:`renames` must see: given more than once, or of the form of a new id (``-N``)."""
    return ident in repeated or bool(_SUFFIXED.search(ident))
