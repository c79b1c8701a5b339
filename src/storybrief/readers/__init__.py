"""Readers: read articles from files, records and feeds, clean them, account for every input.

The public entry point is :func:`ingest`. Readers turn a source into drafts (or
skips); :func:`build_article` cleans a draft into an :class:`Article`. Only this
module catches per-input failures, so a bad input becomes a manifest entry and
never stops the run (``IngestOptions.strict`` re-raises, for tests).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import OptionError, Skip, SkipCode
from ..model import Article, Corpus, DateSource, Manifest, ManifestEntry
from ..text.clean import CleanOptions, clean_text, word_count
from ..text.language import identify
from ..text.textmap import MappedText
from .dates import check_date, parse_date, read_dates_file
from .decode import decode
from .draft import Draft, Source
from .feeds import read_feed
from .html import read_html
from .records import FieldNames, read_json, read_jsonl
from .sources import EXTENSIONS, FORMATS, Found, detect_format, expand, file_source, load, read_lines
from .text import read_text

__all__ = [
    "FieldNames",
    "IngestOptions",
    "build_article",
    "ingest",
    "ingest_batches",
    "ingest_bytes",
    "read_dates_file",
]

log = logging.getLogger(__name__)

_ID_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Options of the ingest stage, validated on construction.

    ``format``: one of ``FORMATS`` (``auto`` detects by extension and content).
    ``fields``: record field names for JSON inputs. ``min_words``: a cleaned
    body with fewer words is boilerplate only. ``max_bytes``: larger inputs are
    skipped. ``today``: the run's date (dates after it are rejected).
    ``strict``: re-raise unexpected errors instead of recording them.
    ``dates``: publication dates by article id (a ``--dates`` sidecar); they
    replace what the input says, and the article's warnings say so when they
    differ. ``date``: the publication date of articles that have none.
    """

    format: str = "auto"
    fields: FieldNames = field(default_factory=FieldNames)
    min_words: int = 5
    max_bytes: int = 50_000_000
    today: dt.date | None = None
    strict: bool = False
    dates: Mapping[str, dt.date] = field(default_factory=dict)
    date: dt.date | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise OptionError("format", f"one of {', '.join(FORMATS)}", self.format)
        if self.min_words < 1:
            raise OptionError("min_words", "a whole number of at least 1", self.min_words)
        if self.max_bytes < 1:
            raise OptionError("max_bytes", "a positive number of bytes", self.max_bytes)


Progress = Callable[[str], None]


def ingest(
    paths: Iterable[str] | str,
    options: IngestOptions | None = None,
    *,
    progress: Progress | None = None,
) -> Corpus:
    """Read every input (files, directories, globs, ``-``) into a :class:`Corpus`."""
    articles: list[Article] = []
    entries: list[ManifestEntry] = []
    for batch in ingest_batches(paths, options, progress=progress):
        articles += batch.articles
        entries += batch.manifest.entries
    return Corpus(tuple(articles), Manifest(tuple(entries)))


#: Articles in a batch of :func:`ingest_batches`, and lines of a JSON lines file read at once.
BATCH = 500


def ingest_batches(
    paths: Iterable[str] | str,
    options: IngestOptions | None = None,
    *,
    batch_size: int = BATCH,
    progress: Progress | None = None,
) -> Iterator[Corpus]:
    """Read every input as :func:`ingest` does, a batch at a time, for inputs larger than memory.

    Each :class:`Corpus` yielded holds the articles and manifest entries made
    since the one before; together they are what :func:`ingest` returns. A
    JSON lines file is read ``batch_size`` lines at a time whatever its size
    (``max_bytes`` then bounds a line, not the file), each part a batch of its
    own, so memory holds one batch of raw input; other files are read whole
    and batched by about ``batch_size`` articles.
    """
    opts = options or IngestOptions()
    if batch_size < 1:
        raise OptionError("batch_size", "a whole number of at least 1", batch_size)
    inputs = [paths] if isinstance(paths, str) else [str(p) for p in paths]
    run = _Run(opts)
    for found in expand(inputs):
        for part in run.add_found(found, batch_size):
            if part or len(run.articles) >= batch_size:
                yield run.take()
        if progress:
            progress(found.name)
        if len(run.articles) >= batch_size:
            yield run.take()
    missing = sorted(set(opts.dates) - run.ids)
    if missing:
        shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        log.warning("dates: %d id(s) match no article: %s", len(missing), shown)
    if run.articles or run.entries:
        yield run.take()


def ingest_bytes(data: bytes, name: str = "-", options: IngestOptions | None = None, *, extension: str = "") -> Corpus:
    """Ingest one in-memory input (for tests, the web app and stdin-like uses)."""
    opts = options or IngestOptions()
    run = _Run(opts)
    stem = re.sub(r"\.[A-Za-z0-9]{1,10}$", "", name.rsplit("/", 1)[-1]) or "input"
    run.add_source(Source(name=name, stem=stem, data=data, extension=extension.lower()))
    return run.corpus()


class _Run:
    """Accumulates the articles and manifest entries of one ingest run."""

    def __init__(self, options: IngestOptions) -> None:
        self.options = options
        self.today = options.today or dt.date.today()
        self.articles: list[Article] = []
        self.entries: list[ManifestEntry] = []
        self.ids: set[str] = set()

    def corpus(self) -> Corpus:
        return Corpus(tuple(self.articles), Manifest(tuple(self.entries)))

    def take(self) -> Corpus:
        """The articles and entries so far, forgotten here (the ids stay: they keep new ids unique)."""
        corpus = self.corpus()
        self.articles, self.entries = [], []
        return corpus

    def skip(self, name: str, error: Skip, record: int | None = None) -> None:
        rec = record if record is not None else error.record
        self.entries.append(ManifestEntry(name, "skipped", rec, error.reason, error.code.value))
        log.info("%s: skipped: %s", name, error.reason)

    def add_found(self, found: Found, lines: int = BATCH) -> Iterator[bool]:
        """Read one found input; a JSON lines file ``lines`` lines at a time, yielding True after each part
        (False after a whole file)."""
        if found.skip is not None:
            self.skip(found.name, found.skip)
            return
        if self._streamed(found):
            try:
                for first, data, long in read_lines(found, lines=lines, max_line=self.options.max_bytes):
                    for number in long:
                        reason = f"line {number}: record is more than {self.options.max_bytes:,} bytes"
                        self.skip(found.name, Skip(SkipCode.TOO_LARGE, reason, number))
                    self.add_source(file_source(found, data), first_line=first, fmt="jsonl")
                    yield True
            except Skip as error:
                self.skip(found.name, error)
            return
        try:
            source = load(found, max_bytes=self.options.max_bytes)
        except Skip as error:
            self.skip(found.name, error)
            return
        self.add_source(source)
        yield False

    def _streamed(self, found: Found) -> bool:
        """A JSON lines file in an encoding that splits at line ends (not UTF-16) is read in parts."""
        if found.path is None:
            return False
        suffix = Path(found.path).suffix.lower()
        if self.options.format not in ("jsonl", "auto") or (
            self.options.format == "auto" and EXTENSIONS.get(suffix) != "jsonl"
        ):
            return False
        try:
            with open(found.path, "rb") as handle:
                head = handle.read(200)
        except OSError:
            return False  # the whole-file path says why it cannot be read
        return not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in head

    def add_source(self, source: Source, *, first_line: int = 1, fmt: str | None = None) -> None:
        try:
            fmt = fmt or detect_format(source, self.options.format)
            results = list(self._read(source, fmt, first_line))
        except Skip as error:
            self.skip(source.name, error)
            return
        except Exception as error:
            if self.options.strict:
                raise
            self.skip(source.name, Skip(SkipCode.INTERNAL, f"could not be read ({type(error).__name__}: {error})"))
            return
        multi = fmt in {"jsonl", "json", "feed"}
        for result in results:
            if isinstance(result, Skip):
                self.skip(source.name, result)
                continue
            try:
                article = build_article(
                    result, source, fmt, self.options, today=self.today, new_id=self._new_id(source, result, multi)
                )
            except Skip as error:
                self.skip(source.name, error, result.record)
                continue
            except Exception as error:
                if self.options.strict:
                    raise
                self.skip(
                    source.name,
                    Skip(SkipCode.INTERNAL, f"could not be cleaned ({type(error).__name__}: {error})"),
                    result.record,
                )
                continue
            article = self._dated(article)
            self.ids.add(article.id)
            self.articles.append(article)
            self.entries.append(
                ManifestEntry(
                    source.name, "used", result.record if multi else None, None, None, (article.id,), article.warnings
                )
            )

    def _dated(self, article: Article) -> Article:
        """Apply the sidecar date for the article's id, or the default date when it has none."""
        day = self.options.dates.get(article.id)
        kind = DateSource.SIDECAR
        if day is None:
            if article.published is not None or self.options.date is None:
                return article
            day, kind = self.options.date, DateSource.OPTION
        warnings = list(article.warnings)
        checked, problem = check_date(day, not_after=self.today)
        if problem:
            warnings.append(f"{kind.value} {problem}")
            return replace(article, warnings=tuple(warnings))
        if article.published is not None and article.published != checked:
            warnings.append(
                f"date {article.published.isoformat()} from {article.published_source.value} "
                f"replaced by {kind.value} date {day.isoformat()}"
            )
        return replace(article, published=checked, published_source=kind, warnings=tuple(warnings))

    def _read(self, source: Source, fmt: str, first_line: int = 1) -> Iterator[Draft | Skip]:
        if fmt == "feed":
            yield from read_feed(source)
            return
        decoded = decode(source.data)
        if fmt == "html":
            yield from read_html(source, decoded)
        elif fmt == "jsonl":
            yield from read_jsonl(source, decoded, self.options.fields, first_line=first_line)
        elif fmt == "json":
            yield from read_json(source, decoded, self.options.fields)
        else:
            yield from read_text(source, decoded)

    def _new_id(self, source: Source, draft: Draft, multi: bool) -> Callable[[], str]:
        def make() -> str:
            if draft.id_hint:
                base = _ID_UNSAFE.sub("-", draft.id_hint).strip("-") or source.stem
            elif multi and draft.record is not None:
                base = f"{source.stem}-{draft.record}"
            else:
                base = source.stem
            candidate, n = base, 1
            while candidate in self.ids:
                n += 1
                candidate = f"{base}-{n}"
            return candidate

        return make


def build_article(
    draft: Draft,
    source: Source,
    fmt: str,
    options: IngestOptions,
    *,
    today: dt.date,
    new_id: Callable[[], str],
) -> Article:
    """Clean a draft into an article; raise :class:`Skip` when no article text is left."""
    if not draft.text.strip():
        raise Skip(SkipCode.NO_TEXT, "no article text", draft.record)
    cleaned = clean_text(
        MappedText.from_source(draft.text),
        CleanOptions(unwrap=draft.unwrap, detect_header=draft.detect_header),
        title=draft.title,
        byline=draft.byline,
    )
    body = cleaned.text.text
    if word_count(body) < options.min_words:
        kinds = sorted({kind for kind, _ in cleaned.removed})
        what = f" (removed: {', '.join(kinds)})" if kinds else ""
        raise Skip(SkipCode.BOILERPLATE_ONLY, f"no article text left after cleaning{what}", draft.record)

    warnings = list(draft.warnings)
    not_after = min(today, source.modified) if source.modified else today
    published, source_kind = draft.published, draft.published_source
    if published is None and (header_date := cleaned.headers.get("date") or cleaned.headers.get("published")):
        published, source_kind = parse_date(header_date), DateSource.TEXT_HEADER
    published, problem = check_date(published, not_after=not_after)
    if problem:
        warnings.append(problem)
    updated, problem = check_date(draft.updated, not_after=not_after)
    if problem:
        warnings.append(f"updated {problem}")
    guess = identify(body)
    if guess.code and guess.code != "en":
        warnings.append(f"language is {guess.code!r}, not English: later stages skip it")

    title = draft.title or cleaned.title
    return Article(
        id=new_id(),
        text=body,
        paragraphs=cleaned.paragraphs,
        path=source.path,
        record=draft.record,
        url=draft.url or cleaned.headers.get("url") or cleaned.headers.get("link"),
        outlet=draft.outlet or cleaned.outlet,
        title=_tidy(title),
        subtitle=_tidy(cleaned.subtitle),
        byline=_tidy(draft.byline or cleaned.byline),
        dateline=cleaned.dateline,
        published=published,
        published_source=source_kind if published else DateSource.NONE,
        updated=updated,
        language=guess.code,
        format=fmt,
        raw_sha256=hashlib.sha256(source.data if draft.record is None else draft.text.encode("utf-8")).hexdigest(),
        offsets=cleaned.text.offset_map(),
        warnings=tuple(warnings),
    )


def _tidy(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def field_overrides(pairs: Iterable[str]) -> Mapping[str, str]:
    """Parse ``KEY=NAME`` pairs of the ``--field`` option."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, name = pair.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise OptionError("--field", "KEY=NAME, such as text=article_body", pair)
        out[key.strip()] = name.strip()
    return out
