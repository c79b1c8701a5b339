"""The typed data model every stage of storybrief reads and writes.

Standard library only. Every object carries provenance: an article knows the
input it came from and keeps a map from its clean text back to the text it was
read from, so later stages can cite character spans of the original.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum, StrEnum
from typing import Any, Literal

#: What became of an input (one enum; briefs.json documents it): read and ``used`` or ``skipped``
#: with a reason; offered to a store again, ``unchanged`` or ``updated``; a feed or page request
#: of ``watch``: ``fetched``, ``not-modified`` or ``failed`` with a reason.
Status = Literal["used", "skipped", "unchanged", "updated", "fetched", "not-modified", "failed"]


class DateSource(StrEnum):
    """Where an article's publication date came from."""

    NONE = "none"
    TEXT_HEADER = "text-header"  # a `Date:` line at the top of a plain-text file
    HTML_JSONLD = "html-jsonld"
    HTML_META = "html-meta"
    HTML_TIME = "html-time"
    HTML_GUESS = "html-guess"  # trafilatura/htmldate found it elsewhere in the page
    FEED = "feed"
    RECORD = "record"  # a field of a JSON record
    URL = "url"
    SIDECAR = "sidecar"  # an ``id,date`` line of a ``--dates`` file
    OPTION = "option"  # ``--date``, for articles that had no date of their own

    @property
    def confidence(self) -> float:
        """How far the date can be trusted, 0 to 1: explicit metadata and the user's word most, guesses least."""
        return _DATE_CONFIDENCE[self]


_DATE_CONFIDENCE = {
    DateSource.NONE: 0.0,
    DateSource.SIDECAR: 1.0,
    DateSource.HTML_JSONLD: 0.95,
    DateSource.FEED: 0.9,
    DateSource.RECORD: 0.9,
    DateSource.HTML_META: 0.9,
    DateSource.TEXT_HEADER: 0.85,
    DateSource.HTML_TIME: 0.8,
    DateSource.OPTION: 0.7,
    DateSource.URL: 0.7,
    DateSource.HTML_GUESS: 0.5,
}


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps character positions of a clean text back to the source text.

    ``segments`` holds ``(clean_start, source_start, length)`` runs in which
    clean positions map one to one onto source positions. Inside a run the
    characters are the source's, except where cleaning put a normal form in
    place of one character (a plain space for a no-break space). Text the
    cleaner inserted or shortened (a space joining wrapped lines, a quote for
    an escape) maps to the source position where the replaced text began.
    The *source text* is what the reader extracted: the decoded file for plain
    text, the record's text field for JSON, trafilatura's text for HTML.
    """

    segments: tuple[tuple[int, int, int], ...] = ()

    def to_source(self, pos: int) -> int:
        """Return the source position of clean position ``pos``."""
        if not self.segments:
            return pos
        starts = [s[0] for s in self.segments]
        i = bisect.bisect_right(starts, pos) - 1
        if i < 0:
            return self.segments[0][1]
        clean_start, source_start, length = self.segments[i]
        return source_start + min(pos - clean_start, max(length - 1, 0))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the source span that covers clean span ``[start, end)``."""
        if end <= start:
            src = self.to_source(start)
            return src, src
        return self.to_source(start), self.to_source(end - 1) + 1


@dataclass(frozen=True, slots=True)
class Article:
    """One news article after ingest and cleaning.

    ``text`` is the clean body: paragraphs joined by a blank line, with title,
    byline, widgets, captions, credits and bios removed (the dateline stays,
    as it is part of the first sentence). ``paragraphs`` are ``(start, end)``
    spans into ``text``. ``removed`` keeps each line cleaning took out, with
    its reason, so that a wrong removal can be seen.
    """

    id: str
    text: str
    paragraphs: tuple[tuple[int, int], ...]
    path: str | None = None
    record: int | None = None  # line (JSONL) or entry (JSON, feed) number, 1-based
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: dt.date | None = None
    published_source: DateSource = DateSource.NONE
    updated: dt.date | None = None
    language: str | None = None
    format: str = "txt"
    raw_sha256: str = ""
    offsets: OffsetMap = field(default_factory=OffsetMap)
    warnings: tuple[str, ...] = ()
    removed: tuple[tuple[str, str], ...] = ()  # (reason, text) of every line cleaning took out of the body

    def paragraph_texts(self) -> list[str]:
        """Return the paragraphs as strings."""
        return [self.text[a:b] for a, b in self.paragraphs]

    @property
    def is_english(self) -> bool:
        """True when the article is English or its language is unknown."""
        return self.language in (None, "en")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict with the fields by name."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Enum):
                value = value.value
            elif isinstance(value, OffsetMap):
                value = [list(s) for s in value.segments]
            elif isinstance(value, tuple):
                value = [list(v) if isinstance(v, tuple) else v for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """Rebuild an article from :meth:`to_dict` output."""
        kwargs: dict[str, Any] = dict(data)
        for key in ("published", "updated"):
            if kwargs.get(key):
                kwargs[key] = dt.date.fromisoformat(kwargs[key])
        kwargs["published_source"] = DateSource(kwargs.get("published_source", "none"))
        kwargs["paragraphs"] = tuple(tuple(p) for p in kwargs.get("paragraphs", ()))
        kwargs["offsets"] = OffsetMap(tuple(tuple(s) for s in kwargs.get("offsets", ())))
        kwargs["warnings"] = tuple(kwargs.get("warnings", ()))
        kwargs["removed"] = tuple(
            (str(r["reason"]), str(r["text"])) if isinstance(r, Mapping) else (str(r[0]), str(r[1]))
            for r in kwargs.get("removed", ())
        )
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in kwargs.items() if k in known})


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article: ``[start, end)`` in the clean text, and in the source text."""

    article: str
    index: int
    start: int
    end: int
    text: str
    source_start: int
    source_end: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention as written: ``[start, end)`` in the article's clean text.

    ``label`` is the named-entity type (PERSON, ORG, GPE, LOC, FAC, NORP).
    """

    article: str
    sentence: int
    start: int
    end: int
    text: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        """Return the mention in the ``entities`` JSON shape."""
        return {
            "article": self.article,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Entity:
    """Mentions of one real-world person, organisation or place, across articles.

    ``aliases`` are the distinct spellings as written; ``salience`` counts
    mentions, articles, and mentions in a title or lead sentence.
    """

    id: str
    canonical: str
    type: str
    aliases: tuple[str, ...]
    articles: tuple[str, ...]
    mentions: tuple[Mention, ...]
    salience: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the entity in the ``entities`` JSON shape."""
        return {
            "id": self.id,
            "canonical": self.canonical,
            "type": self.type,
            "aliases": list(self.aliases),
            "articles": list(self.articles),
            "mentions": [m.to_dict() for m in self.mentions],
            "salience": dict(self.salience),
        }


@dataclass(frozen=True, slots=True)
class Duplicate:
    """``article`` copies (``copy``) or rewrites (``derivative``) article ``of``.

    ``overlap`` is the share of ``article``'s sentences found in ``of``.
    """

    article: str
    of: str
    kind: Literal["copy", "derivative"]
    overlap: float

    def to_dict(self) -> dict[str, Any]:
        """Return the duplicate link in the ``stories`` JSON shape."""
        return {"article": self.article, "of": self.of, "kind": self.kind, "overlap": round(self.overlap, 3)}


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one real-world event, with their copy and rewrite links."""

    id: str
    label: str
    articles: tuple[str, ...]
    duplicates: tuple[Duplicate, ...] = ()
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def independent(self) -> tuple[str, ...]:
        """Member ids that are not copies or rewrites of another member."""
        derived = {d.article for d in self.duplicates}
        return tuple(a for a in self.articles if a not in derived)

    def to_dict(self) -> dict[str, Any]:
        """Return the story in the ``stories`` JSON shape."""
        return {
            "id": self.id,
            "label": self.label,
            "articles": list(self.articles),
            "duplicates": [d.to_dict() for d in self.duplicates],
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }


#: How a figure bounds its value, as ``gold.json`` and ``briefs.json`` write it.
Bound = Literal["exact", "approx", "min", "min_exclusive", "max", "max_exclusive"]


@dataclass(frozen=True, slots=True)
class Interval:
    """The values a figure allows: ``[low, high]``, each end included or not; ``approx`` marks "about"."""

    low: float
    high: float
    low_in: bool = True
    high_in: bool = True
    approx: bool = False

    def overlaps(self, other: Interval) -> bool:
        """True when some value satisfies both."""
        lo, lo_in = max((self.low, self.low_in), (other.low, other.low_in), key=lambda t: (t[0], not t[1]))
        hi, hi_in = min((self.high, self.high_in), (other.high, other.high_in), key=lambda t: (t[0], t[1]))
        return lo < hi or (lo == hi and lo_in and hi_in)

    def contains(self, value: float) -> bool:
        """True when ``value`` lies inside."""
        above = value > self.low or (value == self.low and self.low_in)
        below = value < self.high or (value == self.high and self.high_in)
        return above and below


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity as written in one sentence: ``value`` of ``group`` that underwent ``predicate``.

    ``qualifier`` is the word before the number that bounds it (``more than``,
    ``at least``, ``some``), or empty; ``value_json`` is the bound as
    ``{"min_exclusive": 40}``. ``kind`` is ``count``, ``money``, ``percent``,
    ``fraction`` or ``age``; only counts of people or things form fact slots.
    ``event`` is the predicate's class (``killed``, ``wounded``, ``fled``, …).
    ``start``/``end`` are offsets of ``as_written`` in the article's clean text.
    """

    article: str
    sentence: int
    as_written: str
    value: float
    qualifier: str
    predicate: str
    group: str
    interval: Interval = field(default_factory=lambda: Interval(0.0, 0.0))
    value_json: Mapping[str, float] = field(default_factory=dict)
    kind: str = "count"
    event: str = "other"
    counted: str = ""
    agent: str | None = None
    place: str | None = None
    time: str | None = None
    speaker: str | None = None
    start: int = 0
    end: int = 0
    unit: str = ""
    dimension: str = "count"
    base: float = 0.0
    context: frozenset[str] = frozenset()
    named: bool = False
    scope: str = ""
    kinds: frozenset[str] = frozenset()  # lower-case words that say which of the group ("government" buildings)
    noun: str = ""  # the counted noun's lemma ("temple" in "six Kessan temples", whose group is "kessan")

    @property
    def key(self) -> tuple[str, str]:
        """What the figure counts: (predicate, group)."""
        return (self.predicate, self.group)


@dataclass(frozen=True, slots=True)
class FactReport:
    """One article's report of a fact: the words as written, the value when it is a figure, the sentence."""

    article: str
    outlet: str | None
    as_written: str
    sentence: str
    value: Mapping[str, float] | None = None
    sentence_index: int = 0
    published: dt.date | None = None
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the report in the ``facts`` JSON shape."""
        out: dict[str, Any] = {
            "article": self.article,
            "outlet": self.outlet,
            "as_written": self.as_written,
            "sentence": self.sentence,
        }
        if self.value is not None:
            out["value"] = dict(self.value)
        if self.speaker:
            out["speaker"] = self.speaker
        return out


#: What an editor corrects: two stories that are one (``merge``), an article that is not of its story
#: (``split``), a spelling wrongly linked to a name (``unlink``), a verdict checked or found wrong (``verdict``).
CorrectionKind = Literal["merge", "split", "unlink", "verdict"]
Mark = Literal["checked", "wrong"]


@dataclass(frozen=True, slots=True)
class Correction:
    """An editor's correction, kept apart from what storybrief found and applied again at every rebuild.

    Each names what it corrects by what the editor saw, so it holds when stories are rebuilt or
    regrouped: ``merge`` keeps ``articles`` (both stories' articles then) in one story; ``split``
    keeps ``article`` apart from ``articles`` (its story's other articles then), in story ``other``;
    ``unlink`` takes the spelling ``alias`` out of the name ``entity`` (in ``story`` only, or in every
    story without it); ``verdict`` puts ``mark`` on fact ``slot`` of ``story``, which then had the
    verdict ``verdict`` and the reports ``reports`` (article, as written). ``editor``, ``at`` and
    ``why`` say who made it, when (ISO 8601, UTC) and why; a withdrawn one keeps when and by whom.
    """

    id: int
    kind: CorrectionKind
    editor: str
    why: str
    at: str
    story: str | None = None
    other: str | None = None
    article: str | None = None
    articles: tuple[str, ...] = ()
    entity: str | None = None
    alias: str | None = None
    slot: str | None = None
    mark: Mark | None = None
    verdict: str | None = None
    reports: tuple[tuple[str, str], ...] = ()
    withdrawn: str | None = None
    withdrawn_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the correction in the ``corrections`` JSON shape (fields it does not use left out)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "reports":
                value = [{"article": a, "as_written": w} for a, w in value]
            elif isinstance(value, tuple):
                value = list(value)
            if value not in (None, [], ()) or f.name in ("id", "kind", "editor", "why", "at"):
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Correction:
        """Read a correction from its JSON shape."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["articles"] = tuple(values.get("articles") or ())
        values["reports"] = tuple((str(r["article"]), str(r["as_written"])) for r in values.get("reports") or ())
        return cls(**values)


Verdict = Literal["consistent", "conflicting", "updated", "single-source", "differs", "evolves"]


@dataclass(frozen=True, slots=True)
class FactSlot:
    """A fact of a story and every report of it, with a verdict on whether the reports agree.

    ``kind`` is ``quantity`` (a figure), ``time`` (when an event happened) or
    ``claim`` (who claims or is blamed for what). ``best`` is the most specific
    value consistent with all reports (a number, a ``[low, high]`` range when
    they conflict, or a sentence for claims); ``sources`` counts independent
    sources (copies and rewrites do not count).
    """

    slot: str
    kind: str
    verdict: Verdict
    reports: tuple[FactReport, ...]
    best: float | tuple[float, float] | str | None = None
    sources: int = 0
    event: str = ""
    group: str = ""
    note: str | None = None
    unit: str | None = None
    check: Correction | None = None  # an editor's mark on the verdict (checked or wrong), if any

    def to_dict(self) -> dict[str, Any]:
        """Return the slot in the ``facts`` JSON shape (the shape ``gold.json`` uses)."""
        best: Any = self.best
        if isinstance(best, float) and best.is_integer():
            best = int(best)
        elif isinstance(best, tuple):
            best = [int(v) if float(v).is_integer() else v for v in best]
        return {
            "slot": self.slot,
            "kind": self.kind,
            "verdict": self.verdict,
            "best": best,
            "sources": self.sources,
            "reports": [r.to_dict() for r in self.reports],
            "note": self.note,
            **({"unit": self.unit} if self.unit else {}),
            **({"check": self.check.to_dict()} if self.check else {}),
        }


@dataclass(frozen=True, slots=True)
class CitedSentence:
    """The sentence of one cited article that states what a summary sentence says (offsets into its clean text)."""

    article: str
    sentence: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the citation in the ``summary[].cited`` JSON shape."""
        return {
            "article": self.article,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a story summary, as its article wrote it, with the articles that state it too.

    ``citations`` starts with ``article`` (the sentence's own article); ``cited``
    holds, per citation, the sentence of that article that states it; ``start``
    and ``end`` are offsets into that article's clean text. ``note`` tells the
    reader where other reports give a different figure for something the
    sentence states.
    """

    text: str
    article: str
    sentence: int
    start: int
    end: int
    citations: tuple[str, ...]
    note: str | None = None
    cited: tuple[CitedSentence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the sentence in the ``summary`` JSON shape (``cited``: one sentence per citation, in order)."""
        return {
            "text": self.text,
            "article": self.article,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "citations": list(self.citations),
            "note": self.note,
            "cited": [c.to_dict() for c in self.cited],
        }


@dataclass(frozen=True, slots=True)
class TimelineReport:
    """One article's report of a timeline event: its sentence and the expression it dates it by."""

    article: str
    sentence: int
    as_written: str | None
    when: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the report in the ``timeline`` JSON shape."""
        return {"article": self.article, "sentence": self.sentence, "as_written": self.as_written, "when": self.when}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A dated event of a story, once, with every article that reports it.

    ``when`` is an ISO 8601 day, month, year or ``first/last`` range, or None
    when the articles are undated or the expression is relative to another
    event; ``relative`` then keeps the expression's normal form (``Monday``,
    ``last week``, ``a week later``). ``as_written`` is the expression in the
    text, or None when the event is dated by its report's publication date
    (``dated_by`` is ``publication``; otherwise ``text``). ``text`` is the
    sentence (or the clause) that reports the event; ``article``/``sentence``
    locate it, and ``articles`` lists every article that reports it, that
    article first. ``background`` marks what the story recalls rather than
    reports (``the war began two years ago``, a century). ``timex`` is the
    date as TimeML writes it (``2013-03-04``, ``2013-W10``, ``2013-Q1``,
    ``2013-03-04T15:00``), None when ``when`` is.
    """

    when: str | None
    relative: str | None
    as_written: str | None
    text: str
    article: str
    sentence: int
    articles: tuple[str, ...]
    background: bool = False
    dated_by: Literal["text", "publication"] = "text"
    first: dt.date | None = None
    last: dt.date | None = None
    reports: tuple[TimelineReport, ...] = ()
    timex: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the entry in the ``timeline`` JSON shape."""
        return {
            "when": self.when,
            "timex": self.timex,
            "relative": self.relative,
            "as_written": self.as_written,
            "text": self.text,
            "article": self.article,
            "sentence": self.sentence,
            "articles": list(self.articles),
            "background": self.background,
            "dated_by": self.dated_by,
            "reports": [r.to_dict() for r in self.reports],
        }


@dataclass(frozen=True, slots=True)
class StoryBrief:
    """A story with what storybrief found in it: summary, entities, facts and timeline."""

    story: Story
    summary: tuple[SummarySentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    facts: tuple[FactSlot, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    corrections: tuple[Correction, ...] = ()  # the editors' corrections that shaped this brief


@dataclass(frozen=True, slots=True)
class Brief:
    """Everything one ``brief`` run found: the corpus it read and a brief per story."""

    corpus: Corpus
    stories: tuple[StoryBrief, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What happened to one input file or one record of it.

    ``code`` is a stable machine-readable reason (see ``storybrief.errors.Skip``);
    ``reason`` is the sentence a person reads.
    """

    input: str
    status: Status
    record: int | None = None
    reason: str | None = None
    code: str | None = None
    articles: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the entry in the manifest's JSON shape."""
        return {
            "input": self.input,
            "record": self.record,
            "status": self.status,
            "reason": self.reason,
            "code": self.code,
            "articles": list(self.articles),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class Manifest:
    """One entry per input file or record: used (with article ids) or skipped."""

    entries: tuple[ManifestEntry, ...] = ()

    @property
    def used(self) -> list[ManifestEntry]:
        """Entries that produced articles."""
        return [e for e in self.entries if e.status == "used"]

    @property
    def skipped(self) -> list[ManifestEntry]:
        """Entries that produced no article, each with a reason."""
        return [e for e in self.entries if e.status == "skipped"]

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"inputs": [...]}``."""
        return {"inputs": [e.to_dict() for e in self.entries]}


@dataclass(frozen=True, slots=True)
class Corpus:
    """The articles of one run and the manifest that accounts for every input."""

    articles: tuple[Article, ...]
    manifest: Manifest

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> Article | None:
        """Return the article with this id, or None."""
        for article in self.articles:
            if article.id == article_id:
                return article
        return None
