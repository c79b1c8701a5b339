"""Readers: read articles from files, records and feeds, clean them, account for every input.

The public entry point is :func:`ingest`. Readers turn a source into drafts (or
skips); :func:`build_article` cleans a draft into an :class:`Article`. Only this
module catches per-input failures, so a bad input becomes a manifest entry and
never stops the run (``IngestOptions.strict`` re-raises, for tests).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import OptionError, Skip, SkipCode
from ..model import Article, Corpus, DateSource, Manifest, ManifestEntry
from ..text.clean import CleanOptions, clean_text, word_count
from ..text.language import identify
from ..text.parallel import ordered_map
from ..text.textmap import MappedText
from .dates import check_date, parse_date, read_dates_file
from .decode import decode
from .draft import Draft, Source
from .feeds import read_feed
from .html import read_html
from .metadata import clean_byline
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
    "is_jsonl",
    "read_dates_file",
    "read_source",
    "skipped_entry",
    "streamed",
    "unique_id",
    "used_entry",
    "with_run_date",
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
    jobs: int = 1,
) -> Corpus:
    """Read every input (files, directories, globs, ``-``) into a :class:`Corpus`.

    ``jobs`` processes read and clean (see :func:`ingest_batches`); the result
    is the same for any number.
    """
    articles: list[Article] = []
    entries: list[ManifestEntry] = []
    for batch in ingest_batches(paths, options, progress=progress, jobs=jobs):
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
    jobs: int = 1,
) -> Iterator[Corpus]:
    """Read every input as :func:`ingest` does, a batch at a time, for inputs larger than memory.

    Each :class:`Corpus` yielded holds the articles and manifest entries made
    since the one before; together they are what :func:`ingest` returns. A
    JSON lines file is read ``batch_size`` lines at a time whatever its size
    (``max_bytes`` then bounds a line, not the file), each part a batch of its
    own, so memory holds one batch of raw input; other files are read whole
    and batched by about ``batch_size`` articles.

    Files are read here, in order; with ``jobs`` above 1 what is read (a file,
    or a part of a JSON lines file) is parsed and cleaned in ``jobs`` forked
    processes, a few inputs ahead of the one being accounted for, and comes
    back in order: ids are given, dates applied and the manifest written here,
    so the result is that of one process.
    """
    opts = options or IngestOptions()
    if batch_size < 1:
        raise OptionError("batch_size", "a whole number of at least 1", batch_size)
    if jobs < 1:
        raise OptionError("jobs", "a whole number of at least 1", jobs)
    inputs = [paths] if isinstance(paths, str) else [str(p) for p in paths]
    run = _Run(opts)
    reader = functools.partial(_read_task, options=replace(opts, dates={}), today=run.today)
    tasks = (task for found in expand(inputs) for task in _last_marked(found.name, _tasks(found, opts, batch_size)))
    for done in ordered_map(reader, tasks, jobs):
        run.add_read(done)
        if done.task.part or len(run.articles) >= batch_size:
            yield run.take()
        if done.task.last and progress:
            progress(done.task.name)
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
    source = Source(name=name, stem=stem, data=data, extension=extension.lower())
    run.add_read(_read_task(_Task(name, source), opts, run.today))
    return run.corpus()


@dataclass(frozen=True, slots=True)
class _Task:
    """One thing to read, and what the run accounts for around it.

    ``source``: what to parse and clean (None: nothing, the input was skipped
    or could not be read on). ``fmt``: its format, when known. ``before``:
    skips that come first in the manifest (the input itself, lines too long).
    ``part``: a part of a JSON lines file (a batch ends after it). ``last``:
    the input's last task (progress is told after it).
    """

    name: str
    source: Source | None = None
    fmt: str | None = None
    first_line: int = 1
    before: tuple[Skip, ...] = ()
    part: bool = False
    last: bool = False


@dataclass(frozen=True, slots=True)
class _Read:
    """What reading one task gave: per draft, in order, an article (its id not yet made unique) or a skip."""

    task: _Task
    multi: bool = False
    outcomes: tuple[Article | Skip, ...] = ()


def _tasks(found: Found, options: IngestOptions, lines: int) -> Iterator[_Task]:
    """The tasks of one found input: its skip, the whole file, or a JSON lines file part by part."""
    if found.skip is not None:
        yield _Task(found.name, before=(found.skip,))
    elif streamed(found, options):
        try:
            for first, data, long in read_lines(found, lines=lines, max_line=options.max_bytes):
                too_long = tuple(
                    Skip(SkipCode.TOO_LARGE, f"line {n}: record is more than {options.max_bytes:,} bytes", n)
                    for n in long
                )
                yield _Task(found.name, file_source(found, data), "jsonl", first, too_long, part=True)
        except Skip as error:
            yield _Task(found.name, before=(error,))
    else:
        try:
            yield _Task(found.name, load(found, max_bytes=options.max_bytes))
        except Skip as error:
            yield _Task(found.name, before=(error,))


def _last_marked(name: str, tasks: Iterator[_Task]) -> Iterator[_Task]:
    """The tasks of one input, the last one marked (an input with no task at all gets an empty one)."""
    held: _Task | None = None
    for task in tasks:
        if held is not None:
            yield held
        held = task
    yield replace(held, last=True) if held is not None else _Task(name, last=True)


def is_jsonl(path: str, options: IngestOptions) -> bool:
    """A path read as JSON lines: by the requested format, or by its extension."""
    if options.format == "jsonl":
        return True
    return options.format == "auto" and EXTENSIONS.get(Path(path).suffix.lower()) == "jsonl"


def streamed(found: Found, options: IngestOptions) -> bool:
    """A JSON lines file in an encoding that splits at line ends (not UTF-16) is read in parts."""
    if found.path is None or not is_jsonl(found.path, options):
        return False
    try:
        with open(found.path, "rb") as handle:
            head = handle.read(200)
    except OSError:
        return False  # the whole-file path says why it cannot be read
    return not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in head


def _read_task(task: _Task, options: IngestOptions, today: dt.date) -> _Read:
    """Parse and clean one task's source: pure, so it may run in another process (the task comes back
    without its bytes)."""
    source = task.source
    if source is None:
        return _Read(task)
    task = replace(task, source=None)
    try:
        fmt = task.fmt or detect_format(source, options.format)
        results = list(_drafts(source, fmt, task.first_line, options))
    except Skip as error:
        return _Read(task, outcomes=(error,))
    except Exception as error:
        if options.strict:
            raise
        return _Read(task, outcomes=(Skip(SkipCode.INTERNAL, f"could not be read ({type(error).__name__}: {error})"),))
    multi = fmt in {"jsonl", "json", "feed"}
    outcomes: list[Article | Skip] = []
    for result in results:
        if isinstance(result, Skip):
            outcomes.append(result)
            continue
        try:
            base = _id_base(source, result, multi)
            outcomes.append(build_article(result, source, fmt, options, today=today, article_id=base))
        except Skip as error:
            outcomes.append(_at(error, result.record))
        except Exception as error:
            if options.strict:
                raise
            reason = f"could not be cleaned ({type(error).__name__}: {error})"
            outcomes.append(_at(Skip(SkipCode.INTERNAL, reason), result.record))
    return _Read(task, multi, tuple(outcomes))


def _at(error: Skip, record: int | None) -> Skip:
    """The skip with the draft's record number (its own when the draft has none)."""
    if record is None or record == error.record:
        return error
    return Skip(error.code, error.reason, record)


def _drafts(source: Source, fmt: str, first_line: int, options: IngestOptions) -> Iterator[Draft | Skip]:
    if fmt == "feed":
        yield from read_feed(source)
        return
    decoded = decode(source.data)
    if fmt == "html":
        yield from read_html(source, decoded)
    elif fmt == "jsonl":
        yield from read_jsonl(source, decoded, options.fields, first_line=first_line)
    elif fmt == "json":
        yield from read_json(source, decoded, options.fields)
    else:
        yield from read_text(source, decoded)


def _id_base(source: Source, draft: Draft, multi: bool) -> str:
    """What an article's id is made from: the record's own id, else the file's name (and record number)."""
    if draft.id_hint:
        return _ID_UNSAFE.sub("-", draft.id_hint).strip("-") or source.stem
    if multi and draft.record is not None:
        return f"{source.stem}-{draft.record}"
    return source.stem


class _Run:
    """Accumulates the articles and manifest entries of one ingest run, in order."""

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

    def skip(self, name: str, error: Skip) -> None:
        self.entries.append(skipped_entry(name, error))

    def add_read(self, done: _Read) -> None:
        """Account for one task read: its skips, and its articles with unique ids and their dates."""
        name = done.task.name
        for error in done.task.before:
            self.skip(name, error)
        for outcome in done.outcomes:
            if isinstance(outcome, Skip):
                self.skip(name, outcome)
                continue
            unique = unique_id(outcome.id, self.ids)
            article = with_run_date(
                outcome if unique == outcome.id else replace(outcome, id=unique), self.options, self.today
            )
            self.ids.add(article.id)
            self.articles.append(article)
            self.entries.append(used_entry(name, article, done.multi))


def unique_id(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … the first not ``taken`` (the ids given before it, in input order)."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def read_source(
    name: str, source: Source, options: IngestOptions, *, today: dt.date, fmt: str | None = None, first_line: int = 1
) -> tuple[bool, tuple[Article | Skip, ...]]:
    """Parse and clean one source as :func:`ingest` does (for a shell that reads the bytes itself, such as
    Spark): whether it holds several records, and per draft, in order, an article or a skip. The articles'
    ids are not yet unique across inputs, and the run's dates (``dates``, ``date``) are not applied:
    :func:`with_run_date` does that once the id is final."""
    done = _read_task(_Task(name, source, fmt, first_line), replace(options, dates={}), today)
    return done.multi, done.outcomes


def skipped_entry(name: str, error: Skip) -> ManifestEntry:
    """The manifest entry of an input (or a record of it) that was skipped."""
    log.info("%s: skipped: %s", name, error.reason)
    return ManifestEntry(name, "skipped", error.record, error.reason, error.code.value)


def used_entry(name: str, article: Article, multi: bool) -> ManifestEntry:
    """The manifest entry of an input (or a record of it, when ``multi``) that gave ``article``."""
    record = article.record if multi else None
    return ManifestEntry(name, "used", record, None, None, (article.id,), article.warnings)


def with_run_date(article: Article, options: IngestOptions, today: dt.date) -> Article:
    """Apply the sidecar date for the article's (final) id, or the run's default date when it has none."""
    day = options.dates.get(article.id)
    kind = DateSource.SIDECAR
    if day is None:
        if article.published is not None or options.date is None:
            return article
        day, kind = options.date, DateSource.OPTION
    warnings = list(article.warnings)
    checked, problem = check_date(day, not_after=today)
    if problem:
        warnings.append(f"{kind.value} {problem}")
        return replace(article, warnings=tuple(warnings))
    if article.published is not None and article.published != checked:
        warnings.append(
            f"date {article.published.isoformat()} from {article.published_source.value} "
            f"replaced by {kind.value} date {day.isoformat()}"
        )
    return replace(article, published=checked, published_source=kind, warnings=tuple(warnings))


def build_article(
    draft: Draft,
    source: Source,
    fmt: str,
    options: IngestOptions,
    *,
    today: dt.date,
    article_id: str,
) -> Article:
    """Clean a draft into the article ``article_id``; raise :class:`Skip` when no article text is left."""
    if not draft.text.strip():
        raise Skip(SkipCode.NO_TEXT, "no article text", draft.record)
    cleaned = clean_text(
        MappedText.from_source(draft.text),
        CleanOptions(unwrap=draft.unwrap, detect_header=draft.detect_header),
        title=draft.title,
        byline=draft.byline,
        captions=draft.captions,
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
    on_page = draft.captions is not None  # read from a web page's markup
    return Article(
        id=article_id,
        text=body,
        paragraphs=cleaned.paragraphs,
        path=source.path,
        record=draft.record,
        url=draft.url or cleaned.headers.get("url") or cleaned.headers.get("link"),
        outlet=draft.outlet or cleaned.outlet,
        title=_tidy(title),
        subtitle=_tidy(cleaned.subtitle),
        byline=_tidy(draft.byline or (clean_byline(cleaned.byline, draft.outlet) if on_page else cleaned.byline)),
        dateline=cleaned.dateline,
        published=published,
        published_source=source_kind if published else DateSource.NONE,
        updated=updated,
        language=guess.code,
        format=fmt,
        raw_sha256=hashlib.sha256(source.data if draft.record is None else draft.text.encode("utf-8")).hexdigest(),
        offsets=cleaned.text.offset_map(),
        warnings=tuple(warnings),
        removed=cleaned.removed,
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
