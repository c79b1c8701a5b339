"""Cross-source facts of a story: what each article reports, and whether the reports agree.

Three kinds of fact slot come out of a story's parsed articles:

- **quantity**: figures (:mod:`storybrief.figures`) grouped by what happened
  (event class) to whom (counted group): ``Syrian soldiers killed`` and
  ``Iraqi soldiers killed`` are two slots; a figure about another event in
  the same article (another place, another group) stays in a slot of its own.
  Figures of one article that sit in neighbouring sentences, agree in value and
  event but name the counted thing differently (``50 trucks``, ``around 50
  vehicles``) join one slot.
- **time**: when an event happened, as each article words it, for events that
  several articles date (``over the weekend`` against ``on Friday``).
- **claim**: who claimed or was blamed for the attack, attributed, in the
  order of reporting; a later claim supersedes an earlier "no group has
  claimed it".

Every slot gets a verdict: ``consistent`` (the values can all be true: "more
than 40" and "48"), ``conflicting``, ``updated`` (a later report revises an
earlier figure), ``single-source``, and for times and claims ``differs`` or
``evolves``; a best value (the most specific value consistent with all
reports; when they conflict, the range and the value most independent sources
give, never an average); and the number of independent sources (copies and
rewrites of another member do not count).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import OptionError
from ..model import FactReport, FactSlot, Figure, Interval, Story, Verdict
from ..text.figures import EVENTS, figures_of, group_of
from ..text.nlp import ParsedArticle, entities_in, entity_at
from ..text.temporal import normalise, value_of
from ..text.units import Unit, convert, describe, unit_named
from .summarize import source_groups

#: Event classes a time slot is made for, and how a slot names them.
_EVENT_WORDS = {
    "killed": "killed",
    "wounded": "wounded",
    "missing": "missing",
    "arrested": "arrested",
    "fled": "fled / crossed",
    "displaced": "displaced",
    "evacuated": "evacuated",
    "destroyed": "destroyed",
    "attended": "attended",
    "voted": "voted",
    "paid": "paid",
    "survived": "survived",
    "hospitalized": "in hospital",
    "infected": "infected",
    "quarantined": "in quarantine",
    "critical": "in serious condition",
    "closed": "closed",
    "other": "",
}
_EVENT_OF = {lemma: name for name, lemmas in EVENTS.items() for lemma in lemmas}
_CLAIM = re.compile(r"\bclaim(?:s|ed|ing)?\s+(?:of\s+)?responsibility\b", re.IGNORECASE)
_NO_CLAIM = re.compile(r"\b(?:no|not|nobody|none|yet to)\b[^.;]{0,40}\bclaim", re.IGNORECASE)
_BLAME = re.compile(r"\b(?:blam(?:e|ed|es|ing)|accus(?:e|ed|es|ing)|held\s+responsible)\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(?:today|yesterday|tonight|last|this|next|ago|earlier|later|weekend|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FactOptions:
    """Options of fact reconciliation.

    ``magnitude``: two figures further apart than this factor are never one fact
    (a war's toll against an attack's). ``restated``: how many sentences apart
    one article may restate a figure in other words ("50 trucks", "around 50
    vehicles") and join it in one slot. ``linkage``: the mean affinity two groups
    of figures need to join (average linkage: no chain of single pairs).
    """

    magnitude: float = 10.0
    restated: int = 1
    linkage: float = 0.2

    def __post_init__(self) -> None:
        if self.magnitude <= 1:
            raise OptionError("magnitude", "a factor greater than 1", self.magnitude)
        if self.restated < 0:
            raise OptionError("restated", "a number of sentences of at least 0", self.restated)


@dataclass(slots=True)
class _Slot:
    event: str
    group: str
    figures: list[Figure]


def _articles(items: Sequence[ParsedArticle]) -> dict[str, Any]:
    return {item.article.id: item.article for item in items}


def _worthy(f: Figure) -> bool:
    """Figures that can be a fact: a measure, a sum, a share, an age, or a count of something that happened."""
    if f.kind in ("money", "percent", "measure", "age", "magnitude"):
        return True
    if f.kind not in ("count", "fraction"):
        return False
    if f.predicate or f.event != "other":
        return True
    # A count of something named ("2,150 employees", "four models") is a fact of its own, though
    # nothing happened to it; a number standing alone is not.
    return f.group not in ("people", "") and bool(f.counted) and not f.counted[:1].isdigit()


def _background(f: Figure, published: dt.date | None) -> bool:
    """True when the figure's own sentence dates it well before its article: another, earlier event."""
    if not f.time:
        return False
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", f.time)
    if year and published is not None:
        return int(year.group(1)) < published.year
    if published is None:
        return False
    resolved = normalise(f.time, published)
    return bool(resolved is not None and resolved.last is not None and (published - resolved.last).days > 31)


def _day_of(f: Figure, published: dt.date | None) -> dt.date | None:
    """The one day a figure's own sentence dates it to ("on Sunday" against its article's date), or None."""
    if not f.time or published is None:
        return None
    resolved = normalise(f.time, published)
    if resolved is None or resolved.first is None or resolved.first != resolved.last:
        return None
    return resolved.first


def _cannot(
    f: Figure, g: Figure, background: Mapping[int, bool], opts: FactOptions, days: Mapping[int, dt.date | None]
) -> bool:
    """Two figures that cannot be one fact, whatever their words.

    ``background``: whether each figure dates an earlier event; ``days``: the day a count added to a
    toll is dated to.
    """
    if f.dimension != g.dimension or (f.dimension == "money" and f.unit != g.unit):
        return True
    if f.article == g.article and f.sentence == g.sentence and not (f.speaker and g.speaker and f.speaker != g.speaker):
        return True  # one sentence states two different figures, unless two sources give them ("A said 12; B said 10")
    if f.scope != g.scope and (
        f.scope.startswith("from:")
        or g.scope.startswith("from:")
        or (f.scope and g.scope)
        or "more" in (f.scope, g.scope)
        or "expected" in (f.scope, g.scope)
    ):
        return True  # "17 from Orlen village" is a part of the toll, not the toll; "two more died" adds to it;
        # "they expect 10,000 to come" is not how many came
    if f.kind in ("count", "fraction") and _static(f) != _static(g):
        return True  # what a thing had ("a convoy carrying 48 soldiers") is not what happened to them
    if "other" not in (f.event, g.event) and f.event != g.event:
        return True  # killed and wounded are two facts
    if (
        f.kind in ("count", "fraction")
        and f.group != g.group
        and "people" not in (f.group, g.group)
        and (f.named or g.named or f.event != "other")
        and not _named_and_bare(f, g)
    ):
        return True  # Syrians or police officers killed and soldiers killed; "50 trucks" may be "50 vehicles"
    low, high = sorted((abs(f.base), abs(g.base)))
    if high and low * opts.magnitude < high:
        return True  # an order of magnitude apart: a war's toll and an attack's, not two reports of one count
    day_f, day_g = days.get(id(f)), days.get(id(g))
    if day_f is not None and day_g is not None and day_f != day_g:
        return True  # "six new cases on Sunday", "four new cases on Monday": two days' counts
    return background[id(f)] != background[id(g)]


def _named_and_bare(f: Figure, g: Figure) -> bool:
    """One group named by a proper word and the same noun bare, with figures that agree: "six Kessan
    temples" and "six temples" (not "nine Kessan soldiers" and "48 soldiers")."""
    return bool(
        f.noun
        and f.noun == g.noun
        and f.noun in (f.group, g.group)
        and math.isfinite(f.interval.high)
        and math.isfinite(g.interval.high)  # a bound ("more than 40") agrees with too much to tell
        and f.interval.overlaps(g.interval)
    )


def _precise(f: Figure) -> bool:
    """True for a figure written with decimals or three significant digits, unlikely to repeat by chance."""
    if f.value_json.keys() - {"exact"}:
        return False
    digits = re.sub(r"\D", "", f"{f.value:.6g}".split("e")[0]).strip("0")
    return len(digits) >= 3 or not float(f.value).is_integer()


def _static(f: Figure) -> bool:
    """True for a count that says what something had, not what happened: no predicate and no event, or had."""
    return (not f.predicate and f.event == "other") or f.predicate in _HAVING


#: Verbs that say what something had or was made of ("the passengers comprised 12 children"), not what happened.
_HAVING = frozenset("board aboard carry comprise include consist contain".split())


#: How near two outlets' figures must be, as a ratio, to be read as one fact they word differently
#: (set by reasoning: a reworded figure is rounded, "about 39 km" for 40; it is not a tenth off).
NEAR_RATIO = 0.9


def _nearest_pairs(cands: Sequence[Figure]) -> set[tuple[int, int]]:
    """Figures of two articles that are each other's nearest value in one dimension.

    Measures, sums, shares and ages, and counts of one named group ("seven crew").

    An article gives the age of a man, the cost of a mission or the distance of a town
    from a city once, and another outlet gives the same quantity once, often in other
    words ("the 61-year-old", "Okafor, 61"; "a 40 km drive", "about 39 km away"): of all the
    figures of one dimension in the two articles, each is the other's closest. Two figures
    that both articles give (two runners' times) pair with their own.
    """
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, f in enumerate(cands):
        if f.kind not in ("count", "fraction"):
            by_key[(f.article, f.dimension if f.dimension != "money" else f"money:{f.unit}")].append(k)
        elif f.group != "people":
            by_key[(f.article, f"count:{f.group}")].append(k)  # "seven crew", "a seven-member crew"
    by_dimension: dict[str, list[tuple[str, list[int]]]] = defaultdict(list)
    for (article, dim), ks in by_key.items():
        by_dimension[dim].append((article, ks))

    def size(k: int) -> float:
        return math.log(abs(cands[k].base) or 1e-9)

    def nearest(k: int, others: list[int]) -> int:
        return min(others, key=lambda o: (abs(size(o) - size(k)), o))

    out: set[tuple[int, int]] = set()
    for groups in by_dimension.values():
        for x, (_, ks) in enumerate(groups):
            for _, others in groups[x + 1 :]:
                for k in ks:
                    o = nearest(k, others)
                    if nearest(o, ks) == k:
                        low, high = sorted((abs(cands[k].base), abs(cands[o].base)))
                        if high and low / high >= NEAR_RATIO:
                            out.add((min(k, o), max(k, o)))
    return out


def _affinity(f: Figure, g: Figure, opts: FactOptions, nearest: bool = False) -> float:
    """How strongly two compatible figures read as one fact: the same happening, words around them, values.

    ``nearest``: the two figures are each other's nearest value in two articles (:func:`_nearest_pairs`).
    """
    a, b = f.context, g.context
    overlap = len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0
    if f.kind in ("count", "fraction") and f.event != "other" and f.event == g.event:
        if (f.group == g.group and f.kinds == g.kinds) or f.interval.overlaps(g.interval):
            # the same thing happened to the same group: one slot, whatever the figures ("seven council
            # buildings" and "over 30 buildings" are not the same group, unless their figures agree)
            return 1.0 + overlap
        # "17 people killed" and "3 gunmen killed": a named group and the bare toll of one happening
        # are one fact only when their figures agree
        return 0.0
    if nearest and f.interval.overlaps(g.interval):
        return 0.5 + overlap
    if nearest and f.kind == "measure":
        return 0.3 + overlap  # a distance or a duration two outlets give differently: a conflict to show
    if f.predicate and f.predicate == g.predicate:
        overlap += 0.15
    # a count that says nothing of what happened ("80 people are being treated") joins a toll only
    # with a number near its own: that it fits under "at least 22" says nothing
    vague = f.kind == "count" and (f.event == "other") != (g.event == "other")
    low, high = sorted((abs(f.base), abs(g.base)))
    agree = f.interval.overlaps(g.interval) and (not vague or (high > 0 and low / high >= NEAR_RATIO))
    if f.article == g.article and 0 < abs(f.sentence - g.sentence) <= opts.restated and agree:
        return 0.6 + overlap  # the next sentence restates the figure ("50 trucks" … "around 50 vehicles")
    if agree and f.article != g.article and _precise(f) and _precise(g) and f.value == g.value:
        return 0.5 + overlap  # two outlets give the same precise figure (10.31 s, 7.2, 163): one fact
    if agree:
        return 0.6 + overlap if overlap >= 0.2 else 0.0
    if high and low / high >= 0.5 and overlap >= 0.5 and not vague:
        return overlap - 0.1  # two outlets' different figures for what their words say is one thing
    return 0.0


def _quantity_slots(figures: Sequence[Figure], dates: Mapping[str, dt.date | None], opts: FactOptions) -> list[_Slot]:
    """Figures grouped into facts: strongest pairs first, never joining two figures that cannot be one fact."""
    cands = [f for f in figures if _worthy(f)]
    background = {id(f): _background(f, dates.get(f.article)) for f in cands}
    days = {id(f): _day_of(f, dates.get(f.article)) for f in cands if f.scope == "more"}
    pairs = []
    near = _nearest_pairs(cands)
    for i, f in enumerate(cands):
        for j in range(i + 1, len(cands)):
            g = cands[j]
            if _cannot(f, g, background, opts, days):
                continue
            score = _affinity(f, g, opts, (i, j) in near)
            if score > 0:
                pairs.append((-score, i, j))
    pairs.sort()
    affinity = {(i, j): -s for s, i, j in pairs}
    members: dict[int, list[int]] = {i: [i] for i in range(len(cands))}
    root = list(range(len(cands)))
    for _, i, j in pairs:
        ri, rj = root[i], root[j]
        if ri == rj:
            continue
        if any(_cannot(cands[x], cands[y], background, opts, days) for x in members[ri] for y in members[rj]):
            continue
        # average linkage: the two groups join when their members fit each other on average, not through one pair
        cross = [affinity.get((min(x, y), max(x, y)), 0.0) for x in members[ri] for y in members[rj]]
        if sum(cross) / len(cross) < opts.linkage:
            continue
        for x in members[rj]:
            root[x] = ri
        members[ri].extend(members.pop(rj))
    slots = []
    for group in members.values():
        figs = [cands[k] for k in sorted(group)]
        events = Counter(f.event for f in figs if f.event != "other")
        event = events.most_common(1)[0][0] if events else f"other:{figs[0].predicate or figs[0].kind}"
        groups = Counter(f.group for f in figs if f.group != "people")
        slots.append(_Slot(event, groups.most_common(1)[0][0] if groups else figs[0].group, figs))
    return slots


def _intersection(intervals: Sequence[Interval]) -> Interval | None:
    low = max(intervals, key=lambda i: (i.low, not i.low_in))
    high = min(intervals, key=lambda i: (i.high, i.high_in))
    out = Interval(low.low, high.high, low.low_in, high.high_in)
    if out.low < out.high or (out.low == out.high and out.low_in and out.high_in):
        return out
    return None


def _exact(f: Figure) -> bool:
    """A figure written as an exact value ("two years", "48"), whatever rounding its interval allows."""
    if f.value_json:
        return "exact" in f.value_json
    return not f.interval.approx and f.interval.low == f.interval.high


def _verdict(
    figures: Sequence[Figure], dates: Mapping[str, dt.date | None], groups: Mapping[str, str]
) -> tuple[Verdict, float | tuple[float, float] | None, str | None]:
    """The verdict, the best value and a note for one quantity slot."""
    if len({f.article for f in figures}) == 1 and (
        len(figures) == 1 or _intersection([f.interval for f in figures]) is None
    ):
        return "single-source", figures[-1].value, None  # one article's figure(s): nothing to cross-check
    common = _intersection([f.interval for f in figures])
    if common is not None:
        exact = [f.value for f in figures if _exact(f)]
        inside = [v for v in exact if common.contains(v)]
        if inside:
            return "consistent", Counter(inside).most_common(1)[0][0], None
        approx = [f.value for f in figures if f.interval.approx and common.contains(f.value)]
        if approx:
            return "consistent", approx[0], None
        bound = "at least" if common.low_in else "more than"
        return "consistent", None, f"every report is a bound: {bound} {common.low:g}"
    # They cannot all be true: a rising toll across dated reports, or a conflict.
    values = sorted({f.value for f in figures})
    by_source: Counter[float] = Counter()
    seen: set[tuple[str, float]] = set()
    for f in figures:
        key = (groups.get(f.article, f.article), f.value)
        if key not in seen:
            seen.add(key)
            by_source[f.value] += 1
    dated = sorted((d, f.value) for f in figures if (d := dates.get(f.article)) is not None)
    if len({d for d, _ in dated}) > 1 and len(dated) == len(figures):
        last_date = dated[-1][0]
        latest = [v for d, v in dated if d == last_date]
        earlier = [v for d, v in dated if d < last_date]
        if min(latest) >= max(earlier):
            return "updated", max(latest), f"later reports revise the figure upwards to {max(latest):g}"
    most = max(by_source.items(), key=lambda kv: (kv[1], kv[0]))[0]
    if len({d for d, _ in dated}) > 1:
        # Dated reports: lead with what the latest report says, its most specific figure.
        last_date = dated[-1][0]
        newest = [f for f in figures if dates.get(f.article) == last_date]
        best = min(newest, key=lambda f: (f.interval.high - f.interval.low, -f.value))
        return (
            "conflicting",
            best.value,
            f"reports range from {values[0]:g} to {values[-1]:g}; the latest ({last_date.isoformat()}) gives "
            f"{best.value:g}; most independent sources give {most:g}",
        )
    return "conflicting", (values[0], values[-1]), f"most independent sources give {most:g}"


def _in_one_unit(figures: list[Figure]) -> tuple[str | None, list[Figure], list[str]]:
    """The slot's unit (the one most reports use) and its figures converted into it, with what was converted."""
    units = Counter(f.unit for f in figures if f.unit)
    if not units:
        return None, figures, []
    name = units.most_common(1)[0][0]
    target = next(f for f in figures if f.unit == name)
    target_unit = _measure_unit_of(target)
    out, notes = [], []
    for f in figures:
        source = _measure_unit_of(f)
        if f.unit == name or source is None or target_unit is None:
            out.append(f)
            continue
        factor = convert(1.0, source, target_unit)
        if factor is None:
            out.append(f)
            continue
        notes.append(f"{f.as_written} = {describe(f.value * factor, target_unit)}")
        interval = Interval(
            f.interval.low * factor, f.interval.high * factor, f.interval.low_in, f.interval.high_in, True
        )
        value_json = {k: round(v * factor, 3) for k, v in f.value_json.items()}
        out.append(replace(f, value=f.value * factor, interval=interval, value_json=value_json, unit=name))
    return name, out, notes


def _measure_unit_of(f: Figure) -> Unit | None:
    """The physical unit of a figure, or None for counts, sums and shares."""
    return unit_named(f.unit) if f.kind in ("measure", "age") else None


def _label(slot: _Slot) -> str:
    first = slot.figures[0]
    if first.kind not in ("count", "fraction"):
        what = Counter(f.counted for f in slot.figures if f.counted)
        noun = min(what.items(), key=lambda kv: (-kv[1], kv[0]))[0] if what else first.kind
        return f"{noun} ({first.unit or first.kind})"
    phrases = Counter(f.counted for f in slot.figures if f.counted)
    phrase = min(phrases.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] if phrases else slot.group
    verb = _EVENT_WORDS.get(slot.event, "") or _common_predicate(slot.figures)
    if verb in ("board", "aboard"):
        verb, phrase = "on board", re.sub(r"\s+(?:aboard|on board)\b.*$", "", phrase)
    return f"{phrase} {verb}".strip()


def _common_predicate(figures: Sequence[Figure]) -> str:
    predicates = Counter(f.predicate for f in figures if f.predicate)
    return predicates.most_common(1)[0][0] if predicates else ""


def _report(figure: Figure, item: ParsedArticle) -> FactReport:
    article = item.article
    return FactReport(
        article=article.id,
        outlet=article.outlet,
        as_written=figure.as_written,
        sentence=item.sentences[figure.sentence].text,
        value={k: (int(v) if float(v).is_integer() else v) for k, v in figure.value_json.items()},
        sentence_index=figure.sentence,
        published=article.published,
        speaker=figure.speaker,
    )


def _order_key(report: FactReport, rank: Mapping[str, int]) -> tuple[Any, ...]:
    return (report.published or dt.date.min, rank.get(report.article, 0), report.sentence_index)


def _events(item: ParsedArticle) -> list[tuple[str, str, str, int]]:
    """(event, group, time as written, sentence) for every dated event verb with a subject or object."""
    out = []
    doc = item.doc
    for s in item.sentences:
        span = item.span(s.index)
        for token in span:
            event = _EVENT_OF.get(token.lemma_.lower())
            if event is None or token.pos_ != "VERB":
                continue
            when = [
                e.text
                for e in entities_in(span)
                if e.label_ in ("DATE", "TIME") and any(token in (t.head, t.head.head) for t in doc[e.start : e.end])
            ]
            if not when:
                continue
            who = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.pos_ != "PRON"]
            if not who and token.dep_ in ("relcl", "acl"):
                who = [token.head]  # "officials who handed themselves over … Friday"
            if who:
                out.append((event, group_of(who[0], span), when[0], s.index))
    return out


def _time_slots(items: Sequence[ParsedArticle], quantity: Sequence[_Slot], rank: Mapping[str, int]) -> list[FactSlot]:
    """When events of the story's quantity slots happened, as each article says."""
    wanted = {(s.event, s.group) for s in quantity if not s.event.startswith("other")}
    reports: dict[tuple[str, str], dict[str, FactReport]] = defaultdict(dict)
    labels = {(s.event, s.group): _label(s) for s in quantity}
    by_id = {i.article.id: i for i in items}
    for item in items:
        if item.doc is None:
            continue
        for event, named_group, when, index in _events(item):
            group = named_group
            if (event, group) not in wanted:
                # the group as this article names it may differ ("Assad regime officials"): the slot of the
                # same happening in which this article reports a figure
                mine = [
                    s for s in quantity if s.event == event and any(f.article == item.article.id for f in s.figures)
                ]
                if len(mine) != 1:
                    continue
                group = mine[0].group
            if item.article.id in reports[(event, group)]:
                continue
            reports[(event, group)][item.article.id] = FactReport(
                article=item.article.id,
                outlet=item.article.outlet,
                as_written=when,
                sentence=by_id[item.article.id].sentences[index].text,
                sentence_index=index,
                published=item.article.published,
            )
    out = []
    for key, found in reports.items():
        if len(found) < 2:
            continue
        ordered = tuple(sorted(found.values(), key=lambda r: _order_key(r, rank)))
        said = {_norm_time(r.as_written) for r in ordered}
        verdict: Verdict = "consistent" if len(said) == 1 else "differs"
        best: str | None = ordered[0].as_written if verdict == "consistent" else None
        relative = any(_RELATIVE.search(r.as_written) for r in ordered)
        undated = any(r.published is None for r in ordered)
        note = (
            "relative expressions; each is relative to its article's date, which is not known"
            if relative and undated
            else None
        )
        days = [normalise(r.as_written, r.published) for r in ordered]
        if all(d is not None and d.first is not None and d.last is not None for d in days):
            spans = [(d.first, d.last) for d in days if d is not None and d.first and d.last]
            narrowest = min(spans, key=lambda sp: (sp[1] - sp[0], sp[0]))
            if max(sp[0] for sp in spans) <= min(sp[1] for sp in spans):
                verdict, best, note = "consistent", value_of(*narrowest), None
            elif verdict == "consistent":
                verdict = "differs"
            else:
                note = "dated apart: " + "; ".join(
                    f"{r.as_written} = {value_of(*sp)}" for r, sp in zip(ordered, spans, strict=True)
                )
        out.append(
            FactSlot(
                slot=f"when: {labels[key]}",
                kind="time",
                verdict=verdict,
                reports=ordered,
                best=best,
                sources=len(found),
                event=key[0],
                group=key[1],
                note=note,
            )
        )
    return out


def _norm_time(text: str) -> str:
    return re.sub(r"^(?:on|in|at|over|during)\s+(?:the\s+)?", "", text.lower()).strip()


def _claims(items: Sequence[ParsedArticle], rank: Mapping[str, int]) -> list[FactSlot]:
    """Who claimed or was blamed, by article, in reporting order; a later claim supersedes "no claim yet"."""
    reports: list[tuple[FactReport, str]] = []
    for item in items:
        for s in item.sentences:
            text = s.text
            if _CLAIM.search(text):
                stance = "none" if _NO_CLAIM.search(text) else "claim"
            elif _BLAME.search(text) and re.search(r"\b(?:attack|ambush|bombing|killing|raid)\b", text, re.I):
                stance = "blame"
            else:
                continue
            who = _claimant(item, s.index, stance)
            reports.append(
                (
                    FactReport(
                        article=item.article.id,
                        outlet=item.article.outlet,
                        as_written=who,
                        sentence=text,
                        sentence_index=s.index,
                        published=item.article.published,
                    ),
                    stance,
                )
            )
    if not reports:
        return []
    reports.sort(key=lambda rs: _order_key(rs[0], rank))
    stances = [stance for _, stance in reports]
    claims = [r for r, stance in reports if stance == "claim"]
    note = None
    if "none" in stances and claims:
        verdict: Verdict = "evolves"
        note = "an earlier report says no one had claimed responsibility; a later one reports a claim"
    elif len({r.as_written.lower() for r in claims}) > 1:
        verdict = "differs"
    elif len(reports) == 1:
        verdict = "single-source"
    else:
        verdict = "consistent"
    best = claims[-1].as_written if claims else None
    return [
        FactSlot(
            slot="who is responsible (claims and blame)",
            kind="claim",
            verdict=verdict,
            reports=tuple(r for r, _ in reports),
            best=best,
            sources=len({r.article for r, _ in reports}),
            event="responsibility",
            note=note,
        )
    ]


def _claimant(item: ParsedArticle, index: int, stance: str) -> str:
    """A short attributed statement: who claims, or who blames whom."""
    text = item.sentences[index].text
    if item.doc is None:
        return text
    span = item.span(index)
    for token in span:
        lemma = token.lemma_.lower()
        if stance in ("claim", "none") and lemma == "claim":
            subject = _subject(token)
            if stance == "none":
                return f"{subject or 'no one'}: no claim of responsibility yet"
            return f"{subject} claimed responsibility" if subject else text
        if stance == "blame" and lemma in ("blame", "accuse"):
            subject = _subject(token)
            target = [c for c in token.children if c.dep_ in ("dobj", "prep")]
            whom = token.doc[target[0].left_edge.i : target[0].right_edge.i + 1].text if target else ""
            return f"{subject or 'someone'} {token.text} {whom}".strip()
    return text


def _subject(token: Any) -> str:
    """The subject of ``token`` (or of the verb it hangs from) as written: a name when it is one."""
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        if token.dep_ in ("advcl", "xcomp", "conj", "ccomp") and token.head is not token:
            return _subject(token.head)
        return ""
    head = subjects[0]
    appos = [c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "ORG"]
    if appos:
        return _entity_or_subtree(appos[0])  # "al Qaeda's Iraqi wing, Islamic State of Iraq"
    return _entity_or_subtree(head)


def _entity_or_subtree(token: Any) -> str:
    """The named entity ``token`` is part of, or its phrase without clauses, as written."""
    ent = entity_at(token.doc, token.i)
    return str(ent.text) if ent is not None else text_of(token)


def text_of(token: Any) -> str:
    """The words under ``token`` as written, without relative clauses and appositions."""
    skip = {t.i for c in token.children if c.dep_ in ("relcl", "appos", "acl") for t in c.subtree}
    words = [t for t in token.subtree if t.i not in skip]
    doc = token.doc
    return str(doc[words[0].i : words[-1].i + 1].text).strip(" ,") if words else str(token.text)


def reconcile(
    story: Story, parsed: Sequence[ParsedArticle], options: FactOptions | None = None
) -> tuple[FactSlot, ...]:
    """The fact slots of one story from its parsed member articles."""
    opts = options or FactOptions()
    members = set(story.articles)
    items = [p for p in parsed if p.article.id in members and p.doc is not None and p.doc.has_annotation("DEP")]
    if not items:
        return ()
    rank = {a: i for i, a in enumerate(story.articles)}
    groups = source_groups(story)
    by_id = {i.article.id: i for i in items}
    figures = [
        f for item in items for s in item.sentences for f in figures_of(item.span(s.index), item.article.id, s.index)
    ]
    dates = {i.article.id: i.article.published for i in items}
    slots: list[FactSlot] = []
    quantity = _quantity_slots(figures, dates, opts)
    for q in quantity:
        ordered = sorted(q.figures, key=lambda f: (dates.get(f.article) or dt.date.min, rank[f.article], f.sentence))
        unit, ordered, converted = _in_one_unit(ordered)
        verdict, best, note = _verdict(ordered, dates, groups)
        if converted:
            note = "; ".join(filter(None, [note, "converted: " + ", ".join(converted)]))
        slots.append(
            FactSlot(
                slot=_label(q),
                kind="quantity",
                verdict=verdict,
                reports=tuple(_report(f, by_id[f.article]) for f in ordered),
                best=best,
                sources=len({groups.get(f.article, f.article) for f in ordered}),
                event=q.event,
                group=q.group,
                note=note,
                unit=unit,
            )
        )
    slots.sort(key=lambda s: (-s.sources, -len(s.reports), s.slot))
    slots += _time_slots(items, quantity, rank)
    slots += _claims(items, rank)
    return tuple(slots)
