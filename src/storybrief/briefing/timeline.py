"""The story timeline: dated events, once each, with every article that reports them.

For every sentence of a story's articles, the expressions of time
(:mod:`storybrief.temporal`, plus spaCy's DATE and TIME entities) are resolved
against the article's publication date, and each is tied to the verb it
modifies in the parse: that verb's clause is the event (``killing 48 Syrian
soldiers … last week``), or the whole sentence when the verb leads it. A lead
sentence whose main verb carries no expression (``Al Qaeda has claimed
responsibility …``) is an event of its publication date.

Events that several articles report are merged into one entry (their words
agree, by tf-idf and, when available, sentence embeddings, and their dates
overlap), dated by the most specific report. What the story recalls rather
than reports (a century, ``the war began two years ago``: anything that ended
more than ``background_days`` before the story's first article) is marked as
background.

Without publication dates nothing is invented: ``when`` stays None and
``relative`` keeps the words. The entries are still ordered: each undated
article is read against a stand-in date one day after the first weekday it
names (news leads name the day of their event), and articles are placed
relative to each other by the events they share.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..cluster.align import sentence_vectors, similarity_matrix
from ..model import Story, TimelineEntry, TimelineReport
from ..text.nlp import ParsedArticle, entities_in
from ..text.temporal import WEEKDAYS, TimeExpression, find_times, is_future, normalise, value_of

__all__ = ["TimelineOptions", "build_timeline"]

#: Verbs that report speech: a time on them dates the saying, and a lead led by one is not an event itself.
_SPEECH = frozenset({"say", "tell", "add", "state", "quote", "note", "insist", "describe", "write", "reply", "respond"})
#: Stand-in dates for undated articles start on this Monday; never shown to anyone.
_BASE = dt.date(2001, 1, 1)


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    """How the timeline is built.

    ``same_words``/``same_meaning``: tf-idf and embedding cosines above which
    two reports state the same event. ``slack_days``: how far apart two
    reports' dates may be and still be one event. ``background_days``: events
    that ended this long before the story's first article are background.
    ``max_events``/``max_background``: entries kept (most reported first).
    """

    same_words: float = 0.42
    same_meaning: float = 0.62
    slack_days: int = 1
    background_days: int = 31
    max_events: int = 20
    max_background: int = 6
    embeddings: bool = True


_Said = tuple[bool, list[TimeExpression]]  # a sentence of an undated article: future tense?, its expressions


@dataclass
class _Event:
    article: str
    sentence: int
    text: str
    expr: TimeExpression | None  # None: dated by publication
    first: dt.date  # on the article's own axis (real date, or stand-in)
    last: dt.date
    position: int  # order in the article
    historical: bool = False
    narrative: bool = False

    @property
    def width(self) -> int:
        return (self.last - self.first).days


def build_timeline(
    story: Story,
    items: Sequence[ParsedArticle],
    options: TimelineOptions | None = None,
    *,
    encoder: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> tuple[TimelineEntry, ...]:
    """The dated events of one story, ordered by time, each once with its articles."""
    opts = options or TimelineOptions()
    anchors = {i.article.id: i.article.published for i in items}
    # Undated articles, read once without an anchor: what they say is relative to what.
    plain = {
        i.article.id: [(is_future(s.text), [t for t in find_times(s.text, None) if t.dates]) for s in i.sentences]
        for i in items
        if i.article.published is None
    }
    base = _base(items, plain, opts)
    stand_ins = {a: _stand_in(said, base) for a, said in plain.items()}
    events: list[_Event] = []
    for item in items:
        events += _events_of(item, anchors[item.article.id] or stand_ins[item.article.id])
    if not events:
        return ()
    texts = [e.text for e in events]
    same = _same_text(texts, opts, encoder, compared=_compared(events, anchors, opts))
    shift = _place(events, same, anchors)
    for e in events:
        delta = dt.timedelta(days=shift.get(e.article, 0))
        e.first, e.last = e.first + delta, e.last + delta
    groups = _merge(events, same, opts)
    start = min((anchors[a] or stand_ins[a]) + dt.timedelta(days=shift.get(a, 0)) for a in anchors)
    entries = [_entry(g, events, anchors, story, start, opts) for g in groups]
    own = sorted((e for e in entries if not e[1].background), key=lambda t: -t[2])[: opts.max_events]
    back = sorted((e for e in entries if e[1].background), key=lambda t: -t[2])[: opts.max_background]
    return tuple(entry for _, entry, _ in sorted(own + back, key=lambda t: t[0]))


# --- events ---------------------------------------------------------------------------------------


def _base(items: Sequence[ParsedArticle], plain: Mapping[str, Sequence[_Said]], opts: TimelineOptions) -> dt.date:
    """The Monday that starts the stand-in week of undated articles (dates never shown, used to order).

    Near the dated articles when there are any; otherwise just after the
    latest full date the articles write (a report's full date is near its
    event), or after the latest month or year they write plus the
    background window (so those read as background), or an arbitrary week.
    """
    dated = [i.article.published for i in items if i.article.published is not None]
    if dated:
        ref = min(dated) - dt.timedelta(days=7)
    else:
        found = [t for said in plain.values() for _, times in said for t in times if t.first and not t.historical]
        days = [t.last for t in found if t.granularity == "day" and t.last]
        coarse = [t.last for t in found if t.last]
        if days:
            ref = max(days) - dt.timedelta(days=7)
        elif coarse:
            ref = max(coarse) + dt.timedelta(days=opts.background_days + 14)
        else:
            ref = _BASE
    return ref - dt.timedelta(days=ref.weekday())


def _stand_in(said: Sequence[_Said], base: dt.date) -> dt.date:
    """A stand-in date for an undated article: the day after the last weekday it names.

    Reports name their newest development last as often as first (``It was
    unclear Tuesday …`` closes a story led by Friday's events); taking the
    last keeps every weekday it names in the past of its stand-in date.
    """
    past = [t.relative.lower() for future, times in said if not future for t in times if t.relative]
    names = [r.split()[-1] for r in past if r.split()[-1] in WEEKDAYS and not r.startswith("the ")]
    weekday = WEEKDAYS.index(names[-1]) if names else 0
    day = base + dt.timedelta(days=weekday + 1)
    if any(r in ("weekend", "last weekend") for r in past) and day.weekday() >= 5:
        day += dt.timedelta(days=7 - day.weekday())  # it speaks of the weekend as past: it is from after it
    return day


def _events_of(item: ParsedArticle, anchor: dt.date) -> list[_Event]:
    out: list[_Event] = []
    doc = item.doc
    position = 0
    for s in item.sentences:
        extra: list[tuple[int, int]] = []
        span = None
        if doc is not None:
            span = item.span(s.index)
            extra = [
                (e.start_char - s.start, e.end_char - s.start)
                for e in entities_in(span)
                if e.label_ in ("DATE", "TIME") and e.start_char >= s.start and e.end_char <= s.end
            ]
        found = [t for t in find_times(s.text, anchor, extra=extra) if _event_time(t)]
        by_verb: dict[int, list[TimeExpression]] = defaultdict(list)
        for t in found:
            by_verb[_governor(span, s.start, t) if span is not None else -1].append(t)
        root = _root(span) if span is not None else None
        for verb, times in by_verb.items():
            t = min(times, key=_specificity)
            text = _clause(span, verb, s.text) if span is not None else s.text
            if t.first and t.last:
                first, last = t.first, t.last
            elif out:  # "a week later": placed after the article's previous event
                later = bool(re.search(r"later|next|following|after", t.as_written, re.IGNORECASE))
                step = dt.timedelta(days=1 if later else -1)
                first = last = (out[-1].last if later else out[-1].first) + step
            else:
                first = last = anchor
            out.append(
                _Event(
                    item.article.id,
                    s.index,
                    text,
                    t,
                    first,
                    last,
                    position,
                    historical=t.historical,
                    narrative=t.first is None,
                )
            )
            position += 1
        lead = s.index == _lead_index(item)
        whole = any(e.sentence == s.index and e.text == s.text.strip() for e in out)
        if lead and not whole and root is not None and root.i not in by_verb and _reports_event(root):
            out.append(_Event(item.article.id, s.index, s.text.strip(), None, anchor, anchor, position))
            position += 1
    return out


def _event_time(t: TimeExpression) -> bool:
    """Expressions that date an event: not vague windows (``in recent weeks``), not open ``since`` spans,
    not lengths of time, recurrences or vague references (``for three years``, ``every Monday``, ``now``)."""
    if not t.dates or (t.granularity == "vague" and t.first is not None):
        return False
    return not t.as_written.lower().startswith("since")


def _specificity(t: TimeExpression) -> tuple[int, int]:
    if t.first is None or t.last is None:
        return (1, 0)
    return (0, (t.last - t.first).days)


def _lead_index(item: ParsedArticle) -> int:
    """The first sentence that is more than a dateline or a fragment."""
    for s in item.sentences:
        if len(s.text.split()) >= 6:
            return s.index
    return 0


def _root(span: object) -> Any:
    return getattr(span, "root", None)


def _governor(span: object, offset: int, t: TimeExpression) -> int:
    """Index of the verb an expression modifies: up the parse from the expression to the first verb."""
    doc = span.doc  # type: ignore[attr-defined]
    char = doc.char_span(offset + t.start, offset + t.end, alignment_mode="expand")
    if char is None or not len(char):
        return -1
    token = char.root
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX") and token.i not in range(char.start, char.end):
            return int(token.i)
        if token.head.i == token.i:
            return int(token.i)
        token = token.head
    return int(token.i)


def _clause(span: object, verb: int, sentence: str) -> str:
    """The words that report the event: the sentence when its main verb (or a verb it says) is the one dated."""
    doc = span.doc  # type: ignore[attr-defined]
    root = span.root  # type: ignore[attr-defined]
    if verb < 0 or verb == root.i:
        return sentence.strip()
    token = doc[verb]
    while token.dep_ in ("xcomp", "aux", "auxpass") and token.head.i != token.i:
        token = token.head  # "(gathered) to return on Wednesday": the verb it completes
    if token.i == root.i:
        return sentence.strip()
    if token.head.i == root.i and (root.lemma_.lower() in _SPEECH or token.dep_ in ("conj", "ccomp")):
        return sentence.strip()
    if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN", "NUM"):
        token = token.head  # "officials who handed themselves over … Friday": the officials and what they did
    words = [w for w in token.subtree if w.i >= span.start and w.i < span.end]  # type: ignore[attr-defined]
    while words and words[0].dep_ in ("mark", "cc", "punct", "advmod", "prep") and len(words) > 1:
        words = words[1:]
    if len(words) < 5:
        return sentence.strip()
    text = doc[words[0].i : words[-1].i + 1].text.strip(" ,;:")
    return text[0].upper() + text[1:] if text else sentence.strip()


def _reports_event(root: object) -> bool:
    """A lead whose main verb is an event (not ``said``, not a copula)."""
    lemma = root.lemma_.lower()  # type: ignore[attr-defined]
    return root.pos_ == "VERB" and lemma not in _SPEECH and lemma != "be"  # type: ignore[attr-defined]


# --- alignment across articles ----------------------------------------------------------------------


def _compared(events: Sequence[_Event], anchors: Mapping[str, dt.date | None], opts: TimelineOptions) -> np.ndarray:
    """Which events are ever compared with another: those :func:`_place` or :func:`_merge` may pair.

    Both read a pair only across two articles and never for a narrative
    event; :func:`_merge` joins events whose dates overlap (within the slack
    of each to a group's first event, so twice the slack between any two),
    and an undated article's dates move, so its events compare with every
    date. An event no pair reads needs no embedding (one article's story
    needs none at all).
    """
    n = len(events)
    out = np.zeros(n, dtype=bool)
    reach = dt.timedelta(days=2 * opts.slack_days)
    for i in range(n):
        a = events[i]
        if a.narrative:
            continue
        for j in range(i + 1, n):
            b = events[j]
            if b.narrative or a.article == b.article or (out[i] and out[j]):
                continue
            moves = anchors.get(a.article) is None or anchors.get(b.article) is None
            if moves or (a.first <= b.last + reach and b.first <= a.last + reach):
                out[i] = out[j] = True
    return out


def _same_text(
    texts: Sequence[str],
    opts: TimelineOptions,
    encoder: Callable[[Sequence[str]], np.ndarray] | None,
    *,
    compared: np.ndarray | None = None,
) -> np.ndarray:
    """``out[i, j]``: how alike events ``i`` and ``j`` are worded, 0 when they do not state the same thing.

    The score is the larger of the tf-idf cosine over ``same_words`` and the
    embedding cosine over ``same_meaning``, each counted only above its bar.
    Only the events ``compared`` marks (all when None) are embedded: the
    encoder is most of a timeline's cost.
    """
    words = similarity_matrix(sentence_vectors(texts))
    score = np.where(words >= opts.same_words, words / opts.same_words, 0.0)
    rows = np.arange(len(texts)) if compared is None else np.flatnonzero(compared)
    if opts.embeddings and len(rows) > 1:
        if encoder is None:
            from ..text.embed import embed  # noqa: PLC0415 - loads the encoder

            encoder = embed
        vectors = np.asarray(encoder([texts[int(i)] for i in rows]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = vectors / np.where(norms == 0, 1, norms)
        meaning = np.zeros_like(score)
        meaning[np.ix_(rows, rows)] = unit @ unit.T
        score = np.maximum(score, np.where(meaning >= opts.same_meaning, meaning / opts.same_meaning, 0.0))
    return np.asarray(score, dtype=np.float64)


def _mid(e: _Event) -> float:
    return e.first.toordinal() + e.width / 2


def _place(events: Sequence[_Event], same: np.ndarray, anchors: Mapping[str, dt.date | None]) -> dict[str, int]:
    """Day shifts that put undated articles on the dated articles' axis, through the events they share."""
    undated = {a for a, d in anchors.items() if d is None}
    if not undated:
        return {}
    links: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for i, a in enumerate(events):
        for j, b in enumerate(events):
            if a.article == b.article or same[i, j] <= 0 or a.expr is None or b.expr is None:
                continue
            if a.narrative or b.narrative or a.historical or b.historical:
                continue
            if not (_is_anchor_relative(a.expr) and _is_anchor_relative(b.expr)) or max(a.width, b.width) > 7:
                continue  # only days and weeks read against each article's date say how far apart they are
            links[a.article][b.article].append(_mid(b) - _mid(a))
    shift: dict[str, int] = {}
    roots = [a for a in anchors if a not in undated] or [next(iter(anchors))]
    queue = deque(roots)
    for r in roots:
        shift[r] = 0
    while queue or len(shift) < len(anchors):
        if not queue:  # an article that shares no dated event with the others: its own axis
            rest = next(a for a in anchors if a not in shift)
            shift[rest] = 0
            queue.append(rest)
        current = queue.popleft()
        for other, deltas in links[current].items():
            if other in shift or other not in undated:
                continue
            shift[other] = shift[current] - round(float(np.median(deltas)))
            queue.append(other)
    return shift


def _merge(events: Sequence[_Event], same: np.ndarray, opts: TimelineOptions) -> list[list[int]]:
    """Groups of events that are one event: same words or meaning, overlapping dates, different articles.

    Each event, most specific first, joins the group it is most like among
    those it agrees with in words and dates (or starts its own).
    """
    order = sorted(range(len(events)), key=lambda i: (events[i].expr is None, events[i].width, i))
    groups: list[list[int]] = []
    slack = dt.timedelta(days=opts.slack_days)

    def fits(i: int, j: int) -> bool:
        a, b = events[i], events[j]
        return bool(same[i, j] > 0) and a.first <= b.last + slack and b.first <= a.last + slack

    for i in order:
        e = events[i]
        best, best_score = None, 0.0
        for g in groups:
            if e.narrative or any(events[j].article == e.article or events[j].narrative for j in g):
                continue
            if not fits(i, g[0]):
                continue
            score = max(float(same[i, j]) for j in g)
            if score > best_score:
                best, best_score = g, score
        if best is None:
            groups.append([i])
        else:
            best.append(i)
    return groups


def _entry(
    group: Sequence[int],
    events: Sequence[_Event],
    anchors: Mapping[str, dt.date | None],
    story: Story,
    start: dt.date,
    opts: TimelineOptions,
) -> tuple[tuple[int, int, int, int], TimelineEntry, int]:
    """(sort key, entry, weight): the entry dated by its most specific report."""
    rep = events[group[0]]
    members = [events[i] for i in group]
    independent = set(story.independent)
    articles = [rep.article, *sorted({m.article for m in members} - {rep.article}, key=story.articles.index)]
    weight = sum(1 for a in articles if a in independent) * 10 + max(0, 5 - rep.position)
    dated = anchors.get(rep.article) is not None
    expr = rep.expr
    background = rep.historical or (rep.last < start - dt.timedelta(days=opts.background_days))
    if expr is None:
        when = rep.first.isoformat() if dated else None
        relative = None if dated else "publication date"
        as_written = None
    else:
        when = value_of(expr.first, expr.last) if dated or not _is_anchor_relative(expr) else None
        relative = expr.relative
        if when is None and relative is None:  # read against a stand-in date: say it as the article does
            plain = normalise(expr.as_written, None)
            relative = plain.relative if plain and plain.relative else expr.as_written
        as_written = expr.as_written
    by_article = {m.article: m for m in members}
    reports = tuple(
        TimelineReport(
            a,
            by_article[a].sentence,
            _written(by_article[a]),
            _when_of(by_article[a], anchors),
        )
        for a in articles
    )
    entry = TimelineEntry(
        when=when,
        relative=relative,
        as_written=as_written,
        text=rep.text,
        article=rep.article,
        sentence=rep.sentence,
        articles=tuple(articles),
        background=background,
        dated_by="publication" if expr is None else "text",
        first=expr.first if expr is not None and when else (rep.first if when else None),
        last=expr.last if expr is not None and when else (rep.last if when else None),
        reports=reports,
        timex=(expr.timex if expr is not None else rep.first.isoformat()) if when else None,
    )
    key = (rep.first.toordinal(), rep.last.toordinal(), story.articles.index(rep.article), rep.position)
    return key, entry, weight


def _written(event: _Event) -> str | None:
    return event.expr.as_written if event.expr is not None else None


def _when_of(event: _Event, anchors: Mapping[str, dt.date | None]) -> str | None:
    """One report's own date: its expression's, or its publication date; None when its article is undated."""
    if event.expr is None:
        anchor = anchors.get(event.article)
        return anchor.isoformat() if anchor else None
    if anchors.get(event.article) is None and _is_anchor_relative(event.expr):
        return None
    return value_of(event.expr.first, event.expr.last)


def _is_anchor_relative(expr: TimeExpression) -> bool:
    """True for expressions that only have a date through the (stand-in) anchor."""
    return expr.offsets is not None or expr.first is None
