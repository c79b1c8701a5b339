"""Temporal expressions in news text, found and normalised against an article's date.

:func:`find_times` scans a sentence for expressions of time (``on Monday``,
``last week``, ``over the weekend``, ``two years ago this month``, ``in 2011``,
``on March 4``, ``since December``, ``the 16th to 18th centuries``) and
resolves each to the days it can mean, relative to an *anchor* (the article's
publication date). Without an anchor, absolute expressions still resolve and
relative ones stay relative: :attr:`TimeExpression.relative` keeps them in a
normal form, never with an invented date.

The calendar rules are the ones news readers use:

- a weekday is the most recent such day on or before the anchor, unless the
  clause is about the future (``will meet on Monday``), then the next one on or
  after it; ``last Monday`` is strictly before, ``next Monday`` strictly after;
- ``last week``/``this week``/``next week`` are calendar weeks, Monday to Sunday;
  ``the weekend`` is the most recent Saturday and Sunday (the coming one in a
  future clause);
- ``N years ago`` is a year, ``N months ago`` a month, ``N weeks ago`` and
  ``N days ago`` a day; ``two years ago this month`` is the anchor's month then;
- month names without a year are the most recent such month (the next one in
  a future clause); ``since X`` runs from X to the anchor;
- centuries and decades are marked ``historical``: they date background, not
  the story's events.

Pure Python and standard library (plus ``dateparser`` for free-form dates that
a caller's named-entity tagger found and the patterns here do not know).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = ["TimeExpression", "find_document_times", "find_times", "is_future", "normalise", "text_date", "value_of"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")  # fmt: skip
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3,
    "several": 3, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_UNITS_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
               "ninety": 90}  # fmt: skip
#: A count written in words or digits: "three", "twenty-four", "a hundred", "18", "1.5", "a couple of".
_COUNT = (
    r"(?:(?:\d+(?:\.\d+)?|(?:a\s+)?(?:couple\s+of|few)|several|many|some|a|an|(?:a|one|two|three|four|five)\s+hundred"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen)(?:(?<=\d)\s+1/2|(?<=\d)½|(?<![a-z] a)(?<!\ban)\s+and\s+a\s+half)?)"  # "2 1/2", "two and a half"
)
_HOLIDAYS = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "new year's eve": (12, 31),
    "new year's day": (1, 1), "boxing day": (12, 26), "halloween": (10, 31), "valentine's day": (2, 14),
    "independence day": (7, 4), "veterans day": (11, 11),
}  # fmt: skip
#: Holidays whose day moves: days from Easter Sunday, or the nth weekday of a month (-1: the last one).
_EASTER_DAYS = {"easter": 0, "easter sunday": 0, "easter monday": 1, "good friday": -2}
_NTH_WEEKDAY = {"thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
                "memorial day": (5, 0, -1)}  # fmt: skip
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}

_MONTH = (
    r"(?P<month>(?-i:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?))"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?P<n>\d{1,3}|a couple of|a few|several|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))"
_EDGE = r"(?P<edge>early|mid|late)"

_FUTURE = re.compile(
    r"\b(?:will|won't|shall|'ll|is to|are to|is due|are due|(?:is|are) expected to|(?:is|are) scheduled to"
    r"|plans? to|planned to|planning to|intends? to|upcoming|(?:is|are) set to|would be held|(?:is|are) going to"
    r"|(?:is|are) (?:due|expected|scheduled|set|slated|planned) (?:for|on|in)"
    # present tense of scheduled events: "the summit opens Monday", "the law takes effect in March"
    r"|opens|begins|starts|ends|closes|runs|resumes|expires|convenes|kicks off|goes on trial"
    r"|takes? effect|takes? place|go to the polls|goes to the polls|heads? to the polls)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One expression of time: where it is, what it says, and the days it means.

    ``start``/``end`` are offsets into the text that was scanned. ``first`` and
    ``last`` are the earliest and latest day the expression can mean (equal for
    a day); both are None when it cannot be resolved (a relative expression
    without an anchor, or one relative to another event: ``a week later``).
    ``granularity`` is ``day``, ``week``, ``month``, ``quarter``, ``season``,
    ``year``, ``decade``, ``century``, ``vague``, ``time`` (a time of day with
    no day), ``duration`` or ``set``. ``relative`` is the expression's
    normal form when it depends on the anchor (``Monday``, ``last week``,
    ``-2 years``) or on another event (``the Friday before``).
    ``historical`` marks centuries and decades: background, not an event date.
    ``offsets`` are the first and last day relative to the anchor, in days,
    when the expression is relative to it (for ordering without dates).
    ``type`` and ``timex`` are the expression as TimeML writes it: its
    TIMEX3 type (``DATE``, ``TIME``, ``DURATION``, ``SET``) and value
    (``2013-03-22``, ``2013-W12``, ``2013-03``, ``2013-Q1``, ``2013-SU``,
    ``2013``, ``201`` for a decade, ``PAST_REF``, ``P3Y``, ``XXXX-WXX-1``,
    ``2013-03-22T15:00``), so the output compares with any TimeML tool;
    ``timex`` is None when the expression cannot be resolved. ``parts`` are
    the ``(start, end, value)`` of the dates a range names ("between 2004
    and 2007"), each a TIMEX3 of its own in TimeML: see :meth:`timexes`.
    """

    as_written: str
    start: int
    end: int
    first: dt.date | None
    last: dt.date | None
    granularity: str
    relative: str | None = None
    historical: bool = False
    offsets: tuple[int, int] | None = None
    type: str = "DATE"
    timex: str | None = None
    parts: tuple[tuple[int, int, str], ...] = ()

    def timexes(self) -> list[tuple[int, int, str, str | None]]:
        """The expression as TimeML marks it up: ``(start, end, type, value)`` of each TIMEX3 (the two ends
        of a range of years or of months; else the expression itself)."""
        if self.parts:
            return [(a, b, "DATE", v) for a, b, v in self.parts]
        return [(self.start, self.end, self.type, self.timex)]

    @property
    def dates(self) -> bool:
        """True for an expression that can date an event: a date or a time, not a duration, a recurrence
        or a vague reference to the past, present or future."""
        if self.granularity == "time" or (self.granularity == "vague" and self.first is None and not self.relative):
            return False  # a time of day with no day; the period a report is on ("the year", "the quarter")
        return self.type in ("DATE", "TIME") and self.timex not in REFERENCES

    @property
    def resolved(self) -> bool:
        """True when the expression has calendar days."""
        return self.first is not None

    @property
    def value(self) -> str | None:
        """ISO form: a day, a month (``2013-03``), a year, or a ``first/last`` range; None if unresolved."""
        return value_of(self.first, self.last)


#: TimeML's values of vague references to the past, the present and the future.
REFERENCES = frozenset({"PAST_REF", "PRESENT_REF", "FUTURE_REF"})
_SEASON_CODES = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _timex_of(first: dt.date | None, granularity: str) -> str | None:
    """The TIMEX3 value of a date of a granularity, from its first day."""
    if first is None:
        return None
    if granularity == "day":
        return first.isoformat()
    if granularity == "week":
        return _iso_week(first)
    if granularity == "month":
        return f"{first.year:04d}-{first.month:02d}"
    if granularity == "quarter":
        return f"{first.year:04d}-Q{(first.month - 1) // 3 + 1}"
    if granularity == "year":
        return f"{first.year:04d}"
    if granularity == "decade":
        return f"{first.year // 10:03d}"
    if granularity == "century":
        return f"{(first.year - 1) // 100:02d}"
    return None


def value_of(first: dt.date | None, last: dt.date | None) -> str | None:
    """ISO 8601 form of a span of days: a day, a whole month or year, or ``first/last``."""
    if first is None or last is None:
        return None
    if first == last:
        return first.isoformat()
    if first.day == 1 and last == _month_end(first.year, first.month):
        return f"{first.year:04d}-{first.month:02d}"
    if (first.month, first.day) == (1, 1) and (last.month, last.day) == (12, 31) and first.year == last.year:
        return f"{first.year:04d}"
    return f"{first.isoformat()}/{last.isoformat()}"


# --- calendar arithmetic ---------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), _month_end(year, month)


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _edge_span(first: dt.date, last: dt.date, edge: str | None) -> tuple[dt.date, dt.date]:
    """``early``/``mid``/``late`` part of a span: its first, middle or last third."""
    if not edge:
        return first, last
    edge = edge.lower().strip(" -")  # "Early June" opening a sentence, "mid-June"
    if edge not in ("early", "mid", "late"):
        return first, last
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[edge]
        return dt.date(first.year, months[0], 1), _month_end(first.year, months[1])
    if first.day == 1 and last == _month_end(first.year, first.month):
        days_in = {"early": (1, 10), "mid": (11, 20), "late": (21, last.day)}[edge]
        return first.replace(day=days_in[0]), first.replace(day=days_in[1])
    days = (last - first).days + 1
    third = max(1, days // 3)
    if edge == "early":
        return first, first + dt.timedelta(days=third - 1)
    if edge == "late":
        return last - dt.timedelta(days=third - 1), last
    return first + dt.timedelta(days=third), last - dt.timedelta(days=third)


def _weekday_on_or_before(anchor: dt.date, weekday: int, strict: bool = False) -> dt.date:
    back = (anchor.weekday() - weekday) % 7
    if strict and back == 0:
        back = 7
    return anchor - dt.timedelta(days=back)


def _weekday_on_or_after(anchor: dt.date, weekday: int, strict: bool = False) -> dt.date:
    ahead = (weekday - anchor.weekday()) % 7
    if strict and ahead == 0:
        ahead = 7
    return anchor + dt.timedelta(days=ahead)


def _week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _month_before(anchor: dt.date, month: int, future: bool) -> int:
    """Year of the most recent ``month`` up to the anchor's (or the next one, in a future clause)."""
    if future:
        return anchor.year if month >= anchor.month else anchor.year + 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _number(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else _NUMBERS.get(text, 1)


def _year_of_words(text: str) -> int | None:
    """A year written in words: "nineteen ninety-six", "nineteen oh five", "the year two thousand and one"."""
    words = re.sub(r"[\s-]+", " ", text.lower()).replace("the year ", "").replace(" and ", " ").split()
    if words[:2] == ["two", "thousand"]:
        tail = " ".join(words[2:])
        return 2000 + (int(_count(tail) or 0) if tail else 0)
    if words[0] != "nineteen" or len(words) < 2:
        return None
    rest = [w for w in words[1:] if w != "oh"]
    if rest == ["hundred"]:
        return 1900
    value = _count(" ".join(rest))
    return None if value is None or not 1 <= value <= 99 else 1900 + int(value)


def _count(text: str) -> float | None:
    """The number a count of :data:`_COUNT` writes; None for a vague one ("several", "a few", "many")."""
    half = re.search(r"(?:\s+1/2|½|\s+and\s+a\s+half)$", text)
    if half:
        whole = _count(text[: half.start()])
        return None if whole is None else whole + 0.5
    words = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", words):
        return float(words)
    if words in ("a", "an"):
        return 1.0
    if words in ("a couple of", "couple of"):
        return 2.0
    hundred = re.fullmatch(r"(a|one|two|three|four|five) hundred", words)
    if hundred:
        return 100.0 * (1 if hundred.group(1) in ("a", "one") else _UNITS_WORDS.index(hundred.group(1)))
    parts = words.split()
    if parts and parts[0] in _TENS_WORDS:
        return float(_TENS_WORDS[parts[0]] + (_UNITS_WORDS.index(parts[1]) if len(parts) > 1 else 0))
    if words in _UNITS_WORDS:
        return float(_UNITS_WORDS.index(words))
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- patterns ---------------------------------------------------------------------------------------

_Resolved = tuple[dt.date | None, dt.date | None, str, str | None, bool]  # first, last, granularity, relative, hist
_Rule = tuple[re.Pattern[str], str]

_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_WEEKDAY_ANY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ZONE = r"(?:\s+(?:local\s+time|GMT|UTC|[ECMP][SD]T))"
_UNIT = r"(?P<unit>hour|minute|second|day|week|month|year|decade|centur(?:y|ies)|quarter)"

#: Rules tried first: they hold a shorter rule's match ("June last year", "the third quarter of 2024").
_FIRST_TEXTS: list[tuple[str, str]] = [
    (r"\b(?:every|each)\s+(?P<weekday>" + _WEEKDAY_ANY[3:-1] + r")\b" + _PART + "?", "set_weekday"),
    (r"\b(?:every|each)\s+" + _MONTH + r"\b", "set_month"),
    (
        r"\b(?:every|each|per|(?:once|twice|times)\s+an?)\s+(?:(?P<count>" + _COUNT + r")\s+)?"
        r"(?P<unit>hour|day|week|month|year|quarter)s?\b",
        "set_unit",
    ),
    (
        r"\b(?:(?P<before>today|yesterday|tomorrow|tonight|" + _WEEKDAY_ANY + r")\s+(?:at\s+)?)?"
        r"(?P<clock>(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|(?:[01]?\d|2[0-3]):[0-5]\d|noon|midnight)"
        + _ZONE
        + r"?(?:,?\s+(?:on\s+)?(?:(?P<after>today|yesterday|tomorrow|tonight|"
        + _WEEKDAY_ANY
        + r")"
        r"|(?P<cmonth>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+(?P<cday>[0-3]?\d)\b))?",
        "clock",
    ),
    (
        r"\b(?:the\s+)?(?:(?P<rel>this|last|next|latest|current|previous|past|same|year-earlier|year-ago)\s+)?"
        r"(?:(?P<year>(?:1[89]|20)\d\d)(?:'s)?\s+)?(?:fiscal[- ])?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
        r"[- ](?:fiscal[- ])?quarter\b(?:\s+of\s+(?:fiscal\s+)?(?P<year2>(?:1[89]|20)\d\d))?",
        "quarter",
    ),
    (
        r"\b(?P<rel>the|this|last|next|latest|current|year-earlier|year-ago)\s+(?:fiscal\s+)?quarter\b(?!\s+of\b)",
        "quarter",
    ),
    (r"\b(?P<rel>the\s+latest|the\s+current|this)\s+(?:fiscal\s+)?(?:period|quarter)\b(?!\s+of\b)", "quarter"),
    (r"\b(?:the\s+)?year-(?:earlier|ago)(?:\s+(?:period|quarter|results))?\b", "year_back"),
    (
        r"\b(?:(?P<prep>in|since|until|by|during|from|before|after|of)\s+)?(?:(?P<edge>early|mid|late)[- ])?"
        r"(?:(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
        r"(?P<words>nineteen[- ](?:hundred|oh[- ](?:one|two|three|four|five|six|seven|eight|nine)"
        r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
        r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight"
        r"|nine))?)|(?:the\s+year\s+)?two[- ]thousand(?:[- ](?:and[- ])?(?:one|two|three|four|five|six|seven|eight"
        r"|nine|ten))?)\b",
        "year_words",
    ),
    (
        r"\b(?:(?P<prep>by|at|until|till|since|before|after|around|from|in|toward|towards)\s+)?(?:the\s+)?"
        r"(?P<part>end|beginning|start|middle)\s+of\s+(?:(?P<rel>this|last|next|the)\s+)?"
        r"(?:(?P<unit>month|year)\b|" + _MONTH + r"(?:,?\s+(?P<year>(?:1[89]|20)\d\d))?\b(?!\s+\d))",
        "part_of",
    ),
    (
        r"\b(?:(?P<prep>by|at|until|till|since|before|after|around|from|in|toward|towards)\s+)?"
        r"(?:(?P<rel>this|last|next)\s+)?(?:the\s+)?(?:year[- ]end|year's\s+end|end\s+of\s+year)\b",
        "year_end",
    ),
    (
        r"\b(?:the\s+)(?:(?P<rel>current|full|fiscal|calendar|same)\s+)*(?:fiscal\s+)?year\b"
        r"(?!\s+(?:ago|earlier|before|after|later|old|two)\b|-)",
        "the_year",
    ),
    (
        r"\b(?:(?P<prep>in|since|until|by|during|from|before|after)\s+)?(?:"
        + _EDGE
        + r"[- ])?"
        + _MONTH
        + r"\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b",
        "month_of_year",
    ),
]

#: Rules tried last: they take what no rule above took (durations, recurrences, references, years alone).
_LAST_TEXTS: list[tuple[str, str]] = [
    (r"\b(?P<weekday>" + _WEEKDAY_ANY[3:-1] + r")s\b", "set_weekday"),
    (r"\b(?P<word>daily|nightly|weekly|monthly|annually|yearly|hourly)\b", "set_word"),
    (
        r"\b(?:(?:about|nearly|almost|more\s+than|less\s+than|at\s+least|up\s+to|over|some|roughly|around|another"
        r"|an\s+additional|the\s+(?:first|last|past|next|final|previous))\s+)?"
        r"(?P<count>" + _COUNT + r")(?:\s+(?:more|full|straight|consecutive))?[\s-]+" + _UNIT + r"s?(?:[- ]long)?\b"
        r"(?P<half>\s+and\s+a\s+half\b)?"  # "an hour and a half"
        # not an age ("a 6-year-old"), a fraction ("three-quarters of"), a part of a month ("the first ten days of
        # March") or a date ("two years ago"); "ten years of drought" is one
        r"(?![- ]old\b|(?<=quarter)\s+of\b|(?<=quarters)\s+of\b|\s+of\s+(?-i:[A-Z])"
        r"|\s+(?:ago|earlier|later|before|after|from\s+now)\b)",
        "duration",
    ),
    (r"\b(?:for|within|in|over|after)\s+(?P<unit>hours|days|weeks|months|years|decades|centuries)\b", "duration_vague"),
    (
        r"\b(?:right\s+)?now\b|\b(?:currently|nowadays|presently|these\s+days|at\s+present|at\s+the\s+moment)\b",
        "present",
    ),
    (
        r"\b(?:recently|lately|the\s+past)\b"
        r"(?!\s+(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|quarters?|seasons?)\b)",
        "past",
    ),
    (r"\b(?:the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|soon)\b(?!\s+(?:after|as)\b)", "future"),
    (
        r"(?<![\w$£€#.,/-])(?P<year>(?:1[89]|20)\d\d)(?![\w%/-]|[.,]\d|'s\b|\s*(?:percent|per\s+cent))",
        "bare_year",
    ),
]

_PATTERN_TEXTS: list[tuple[str, str]] = [
    (r"\b(?P<y>(?:1[89]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", "iso"),
    (r"\b(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)\d\d)\b", "numeric"),
    (
        r"\bthe\s+(?P<c1>\d{1,2})(?:st|nd|rd|th)\s+(?:to|and|through|-|–)\s+(?P<c2>\d{1,2})(?:st|nd|rd|th)\s+centuries\b",
        "centuries",
    ),
    (r"\b(?:the\s+)?(?:(?P<edge>early|mid|late)[- ])?(?P<c1>\d{1,2})(?:st|nd|rd|th)[- ]century\b", "century"),
    (r"\b(?:the\s+)?(?:(?P<edge>early|mid|late)[- ])?(?P<dec>(?:1[89]|20)\d0)'?s\b", "decade"),
    (
        r"\b(?:(?:from|between)\s+)?"
        + _MONTH
        + r"\s+(?P<y1>(?:1[89]|20)\d\d)\s+(?:to|and|until|through|-|–)\s+(?P<month2>[A-Z][a-z]+\.?)\s+(?P<y2>(?:1[89]|20)\d\d)\b",
        "month_range",
    ),
    (
        r"\b(?:(?:from|between)\s+)?(?P<y1>(?:1[89]|20)\d\d)\s*(?:to|and|until|through|-|–)\s*(?P<y2>(?:1[89]|20)?\d\d)\b(?![-/:.]?\d)",
        "year_range",
    ),
    (r"\b(?:on\s+)?(?:(?:" + _WEEKDAY + r"),?\s+)?" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", "mdy"),
    (
        r"\b(?:on\s+)?(?:(?:" + _WEEKDAY + r"),?\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b",
        "dmy",
    ),
    (
        r"\b(?:(?P<prep>since|until|by|before|after)\s+)?(?:on\s+)?(?:(?:"
        + _WEEKDAY
        + r"),?\s+)?"
        + _MONTH
        + r"\s+"
        + _DAY
        + r"\b(?![,.]?\s*\d)",
        "md",
    ),
    (
        r"\b(?:(?P<prep>since|until|by|before|after)\s+)?(?:on\s+)?(?:(?:"
        + _WEEKDAY
        + r"),?\s+)?(?:the\s+)?"
        + _DAY
        + r"\s+(?:of\s+)?"
        + _MONTH
        + r"\b(?![,.]?\s*\d)",
        "dm",
    ),
    (
        r"\b(?:(?P<prep>in|since|until|by|during|from|before|after)\s+)?(?:"
        + _EDGE
        + r"[- ])?"
        + _MONTH
        + r",?\s+(?:of\s+)?"
        + _YEAR
        + r"\b",
        "month_year",
    ),
    (
        r"\b(?:(?P<prep>in|since|until|by|during|before|after)\s+)?(?:the\s+)?(?P<season>spring|summer|fall|autumn|winter)\s+of\s+"
        + _YEAR
        + r"\b",
        "season_year",
    ),
    (
        r"\b(?P<prep>in|since|until|by|during|from|before|after|of|early|late|mid|throughout|back to|through)(?:\s+|-)(?:(?P<edge>early|mid|late)[- ])?"
        + _YEAR
        + r"\b(?![-–/]\d|\s+(?:people|soldiers|troops|police|dollars|men|women|children|civilians|residents|votes|homes|jobs|units|cases)\b)",
        "year",
    ),
    (r"\b" + _YEAR + r"'s\b", "year"),
    (
        r"\b(?:(?P<prep>in|during|over|by|since|until|through)\s+)?(?:the\s+)?(?:(?P<rel>this|last|next|previous|past)\s+)?(?P<season>spring|summer|fall|autumn|winter)\b(?!\s+of\s+\d)",
        "season",
    ),
    (
        r"\b"
        + _NUM
        + r"\s+(?P<unit>day|week|month|year|decade)s?\s+ago(?:\s+this\s+(?P<this>week|month))?(?:\s+(?:on\s+)?"
        + _WEEKDAY
        + r")?\b",
        "ago",
    ),
    # a length of time counted from another event ("three days later", "90 days after the sale"): no date of
    # its own, but a length TimeML writes (P3D)
    (
        r"\b" + _NUM + r"\s+(?:(?:trading|business|working)\s+)?(?P<unit>minute|hour|day|week|month|year)s?"
        r"\s+(?P<dir>earlier|later|before|after)\b",
        "narrative_length",
    ),
    (
        r"\bthe\s+(?P<dir>next|following|previous|same)\s+(?P<unit>day|week|month|year|morning|night|evening)\b",
        "narrative",
    ),
    (r"\b(?:the\s+)?(?P<dir>day|night)\s+before\b(?!\s+yesterday)", "narrative"),
    (r"\bthe\s+(?P<unit>day|night|morning|week|month|year)\s+(?P<dir>after)\b", "narrative"),
    (
        r"\b(?:(?P<prep>since|until|by|before|after|on|at|over)\s+)?(?:(?P<rel>last|next|this)\s+)?"
        r"(?P<holiday>(?-i:Christmas Eve|Christmas Day|Christmas|New Year's Eve|New Year's Day|Boxing Day|Halloween"
        r"|Valentine's Day|Independence Day|Veterans Day|Thanksgiving Day|Thanksgiving|Labor Day|Memorial Day"
        r"|Easter Sunday|Easter Monday|Easter|Good Friday))(?:,?\s+(?P<year>(?:1[89]|20)\d\d))?\b",
        "holiday",
    ),
    (r"\b(?:earlier|later)\s+that\s+(?:day|week|month|year|morning|night)\b", "narrative"),
    (r"\bthe\s+" + _WEEKDAY + r"\s+(?P<dir>before|after)\b", "narrative_weekday"),
    (r"\bthe\s+(?P<dir>previous|following|next)\s+" + _WEEKDAY + r"\b", "narrative_weekday"),
    (r"\b(?:(?P<prep>since|until|by|from)\s+)?(?:the\s+)?day\s+before\s+yesterday\b", "day_before_yesterday"),
    (
        r"\b(?:(?P<prep>since|until|by|from)\s+)?(?:early\s+|late\s+)?(?P<word>today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night|overnight)(?:\s+(?:morning|afternoon|evening|night))?\b",
        "deictic",
    ),
    (
        r"\b(?:(?P<prep>since|until|by|from)\s+)?(?:(?:over|during|on|at|for)\s+)?(?:the\s+)?(?:(?P<rel>this|last|next|past|previous|coming)\s+)?weekend\b",
        "weekend",
    ),
    (r"\b(?P<edge2>earlier|later)\s+(?P<rel>this|last|next)\s+(?P<unit>week|month|year)\b", "calendar_part"),
    (
        r"\b(?:(?:in|during|over|for|within)\s+)?the\s+(?:past|last|previous|coming|next)\s+(?:"
        + _NUM
        + r"\s+)?(?P<unit>day|week|month|year)s?\b",
        "window",
    ),
    (
        r"\b(?:(?P<prep>since|until|by|from)\s+)?(?:(?:early|late)\s+)?(?P<rel>this|last|next)\s+(?P<unit>week|month|year)\b",
        "calendar",
    ),
    (r"\b(?:in\s+)?(?:the\s+)?(?:recent|coming)\s+(?P<unit>day|week|month|year)s\b", "recent"),
    (
        r"\b(?:(?P<prep>since|until|by|from)\s+)?(?:(?P<rel>last|next|this|on|late|early|earlier|later)\s+)?"
        + _WEEKDAY
        + r"(?:'s)?"
        + _PART
        + r"?\b",
        "weekday",
    ),
    (
        r"\b(?P<prep>in|since|until|till|by|during|from|before|after|through|throughout|for)\s+"
        r"(?:(?P<edge>early|mid|late)[- ])?" + _MONTH + r"\b(?!\s+\d)",
        "month",
    ),
    # a month naming an event after a determiner: "the April handover", "a July pact" (not "May")
    (
        r"(?:(?<=\b(?:the|its|his|her|our) )|(?<=\ba ))(?!May\b)"
        + _MONTH
        + r"(?=\s+(?!(?:of|on|to|for|in|at|and|or)\b)[a-z]{3,})",
        "month",
    ),
    # a month's own figures: "December's figures" (not "May's", a name as often as a month)
    (r"\b(?!May\b)" + _MONTH + r"(?=['’]s\s+[a-z])", "month"),
    (r"\b(?:(?P<edge>early|mid|late)[- ])" + _MONTH + r"\b(?!\s+\d)", "month"),
    (r"\b(?P<rel>last|next|this)\s+" + _MONTH + r"\b(?!\s+\d)", "month"),
]
_PATTERNS: list[_Rule] = [
    (re.compile(p, re.IGNORECASE), kind) for p, kind in [*_FIRST_TEXTS, *_PATTERN_TEXTS, *_LAST_TEXTS]
]
#: Kinds that name the period a report is on ("the year", "the year-earlier period", "the quarter"): TimeML
#: gives them a value from the article's date, but they date no event of the story.
_ANAPHORIC_KINDS = frozenset({"the_year", "year_back"})
#: Kinds that say how long or how often, or point vaguely at the past, present or future: no dates.
_UNDATED_KINDS = frozenset(
    {"set_weekday", "set_month", "set_unit", "set_word", "duration", "duration_vague", "present", "past", "future"}
)


def _month_of(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _resolve(
    kind: str, m: re.Match[str], anchor: dt.date | None, future: bool, nearest: bool = False
) -> _Resolved | None:
    """(first, last, granularity, relative, historical) of one match; None when it is not a time after all.

    ``nearest``: the clause has no tense that says past or future, so a month or a day of a month
    without a year is the one nearest the anchor ("the offer lapses May 21", "is payable Jan. 2").
    """
    g = m.groupdict()
    prep = (g.get("prep") or "").lower()
    if kind == "present" and m.string.startswith(",", m.end()) and not m.string[: m.start()].strip(" \"'`‘“"):
        return None  # "Now, he says …": a word that turns the story, not the present
    if kind in _UNDATED_KINDS:
        gran = "set" if kind.startswith("set") else "duration" if kind.startswith("duration") else "vague"
        return None, None, gran, None, False
    if kind == "clock":
        return _clock(g, anchor, future, nearest or _deadline(m, prep))
    if kind in _ANAPHORIC_KINDS or (kind == "quarter" and not g.get("ord")):
        return None, None, "vague", None, False  # the period the report is on: a value, no date of an event
    if kind == "quarter":
        return _quarter(g, anchor, future)
    if kind == "month_of_year":
        month, rel = _month_of(g["month"]), (g["rel"] or "").lower()
        if anchor is None:
            return None, None, "month", f"{calendar.month_name[month]} {rel} year", False
        year = anchor.year + {"last": -1, "this": 0, "next": 1}[rel]
        first, last = _edge_span(*_month_span(year, month), g.get("edge"))
        return _since((first, last, "month", None, False), prep, anchor)
    if kind in ("part_of", "year_end"):
        return _part_of(kind, g, anchor, future, prep)
    if kind == "year_words":
        said = _year_of_words(g["words"] or "")
        if said is None:
            return None
        if g.get("month"):
            first, last = _edge_span(*_month_span(said, _month_of(g["month"] or "")), g.get("edge"))
            return _since((first, last, "month", None, False), prep, anchor)
        first, last = _edge_span(*_year_span(said), g.get("edge"))
        return _since((first, last, "year", None, False), prep, anchor)
    if kind == "bare_year":
        year = int(g["year"])
        if anchor is not None and year > anchor.year + 30:
            return None  # a count, not a year of the story
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", None, True
    if kind in ("iso", "numeric"):
        day = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (day, day, "day", None, False) if day else None
    if kind == "centuries":
        c1, c2 = int(g["c1"]), int(g["c2"])
        return dt.date(100 * (c1 - 1) + 1, 1, 1), dt.date(100 * c2, 12, 31), "century", None, True
    if kind == "century":
        c = int(g["c1"])
        if not 1 <= c <= 21:
            return None
        first, last = _edge_span(dt.date(100 * (c - 1) + 1, 1, 1), dt.date(100 * c, 12, 31), g.get("edge"))
        return first, last, "century", None, True
    if kind == "decade":
        dec = int(g["dec"])
        first, last = _edge_span(dt.date(dec, 1, 1), dt.date(dec + 9, 12, 31), (g.get("edge") or "").lower() or None)
        return first, last, "decade", None, True
    if kind == "holiday":
        return _holiday(g, anchor, future, prep)
    if kind == "year_range":
        y1 = int(g["y1"])
        y2_text = g["y2"]
        y2 = int(y2_text) if len(y2_text) == 4 else (y1 // 100) * 100 + int(y2_text)
        if not y1 < y2 <= y1 + 200:
            return None
        return dt.date(y1, 1, 1), dt.date(y2, 12, 31), "year", None, False
    if kind == "month_range":
        if g["month2"].lower().rstrip(".") not in _MONTHS:
            return None
        first = dt.date(int(g["y1"]), _month_of(g["month"]), 1)
        last = _month_end(int(g["y2"]), _month_of(g["month2"]))
        return (first, last, "month", None, False) if first <= last else None
    if kind in ("mdy", "dmy"):
        day = _safe_date(int(g["year"]), _month_of(g["month"]), int(g["day"]))
        return _since((day, day, "day", None, False), prep, anchor) if day else None
    if kind in ("md", "dm"):
        res = _month_day(_month_of(g["month"]), int(g["day"]), anchor, future, nearest or _deadline(m, prep))
        return _since(res, prep, anchor) if res else None
    if kind == "month_year":
        first, last = _month_span(int(g["year"]), _month_of(g["month"]))
        first, last = _edge_span(first, last, g.get("edge"))
        return _since((first, last, "month", None, False), prep, anchor)
    if kind == "season_year":
        first, last = _season(g["season"].lower(), int(g["year"]))
        return _since((first, last, "season", None, False), prep, anchor)
    if kind == "year":
        year = int(g["year"])
        edge = g.get("edge") or (prep if prep in ("early", "late", "mid") else None)
        first, last = _edge_span(*_year_span(year), edge)
        if anchor is not None and year > anchor.year + 1 and not future:
            return None  # "in 2090" in a report of 2013 is not a date of its events
        return _since((first, last, "year", None, False), prep, anchor)
    if kind == "season":
        return _season_relative(g, anchor, future)
    if kind == "ago":
        return _ago(g, anchor)
    if kind in ("narrative", "narrative_weekday", "narrative_length"):
        return None, None, "vague", m.group(0).lower(), False
    if kind == "day_before_yesterday":
        return _shift(anchor, -2, -2, "day", "-2 days", prep)
    if kind == "deictic":
        word = re.sub(r"\s+", " ", g["word"].lower())
        if word in {"yesterday", "last night"}:
            return _shift(anchor, -1, -1, "day", "-1 day", prep)
        if word == "tomorrow":
            return _shift(anchor, 1, 1, "day", "+1 day", prep)
        if word == "overnight":
            return _shift(anchor, -1, 0, "day", "overnight", prep)
        return _shift(anchor, 0, 0, "day", "today", prep)
    if kind == "weekend":
        return _weekend(g, anchor, future, prep)
    if kind == "calendar_part":
        return _calendar_part(g, anchor)
    if kind == "calendar":
        return _calendar(g, anchor, prep)
    if kind == "window":
        unit = g["unit"].lower()
        n = _number(g["n"]) if g.get("n") else 1
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        if not g.get("n") and m.group(0).lower().endswith("s"):  # "the coming weeks": vague, as "recent weeks"
            days = {"day": 7, "week": 28, "month": 120, "year": 1095}[unit]
        coming = re.search(r"\b(?:coming|next)\b", m.group(0), re.I)
        if coming:
            return _shift(anchor, 1, days, "vague", f"next {n} {unit}s", "")
        return _shift(anchor, -days, 0, "vague", f"past {n} {unit}s", "")
    if kind == "recent":
        unit = g["unit"].lower()
        days = {"day": 7, "week": 28, "month": 120, "year": 1095}[unit]
        if re.search(r"coming", m.group(0), re.I):
            return _shift(anchor, 1, days, "vague", f"coming {unit}s", "")
        return _shift(anchor, -days, 0, "vague", f"recent {unit}s", "")
    if kind == "weekday":
        return _weekday(g, anchor, future, prep)
    if kind == "month":
        return _month_relative(g, anchor, future, prep, nearest)
    return None


#: With no tense in its clause, a day of a month up to this many days after the article's date is that day,
#: not the one of the year before.
NEAR_DAYS = 62


_PART_EDGES = {"end": "late", "beginning": "early", "start": "early", "middle": "mid"}


def _part_of(kind: str, g: dict[str, str | None], anchor: dt.date | None, future: bool, prep: str) -> _Resolved | None:
    """ "The end of the month", "the beginning of October", "year-end": the first, middle or last third of
    that month, or the last months of the year (this one, or the one a tense or "last"/"next" points to)."""
    edge = "late" if kind == "year_end" else _PART_EDGES[(g.get("part") or "").lower()]
    rel = (g.get("rel") or "").lower()
    step = {"last": -1, "next": 1}.get(rel, 0)
    if g.get("month"):
        if g.get("year"):
            first, last = _month_span(int(g["year"] or 0), _month_of(g["month"] or ""))
            return _since((*_edge_span(first, last, edge), "month", None, False), prep, anchor)
        return _month_relative({"month": g["month"], "rel": None, "edge": edge}, anchor, future, prep)
    unit = "year" if kind == "year_end" else (g.get("unit") or "").lower()
    if anchor is None:
        return None, None, unit, f"{g.get('part') or 'end'} of {rel or 'the'} {unit}", False
    if unit == "year":
        year = anchor.year + step
        if kind == "year_end" and not rel and prep == "since":
            year -= 1  # "since year-end": the end of the year before
        first, last = _edge_span(*_year_span(year), edge)
        return _since((first, last, "year", None, False), prep, anchor)
    month = anchor.month + step
    year, month = anchor.year + (month - 1) // 12, (month - 1) % 12 + 1
    first, last = _edge_span(*_month_span(year, month), edge)
    return _since((first, last, "month", None, False), prep, anchor)


def _holiday_in(name: str, year: int) -> dt.date:
    """The day a holiday falls on in a year."""
    from dateutil.easter import easter  # noqa: PLC0415
    from dateutil.relativedelta import relativedelta, weekday  # noqa: PLC0415

    day: dt.date
    if name in _EASTER_DAYS:
        day = easter(year) + dt.timedelta(days=_EASTER_DAYS[name])
    elif name in _NTH_WEEKDAY:
        month, day_of_week, nth = _NTH_WEEKDAY[name]
        start = dt.date(year, month, 1) if nth > 0 else dt.date(year, month, 1) + relativedelta(day=31)
        day = start + relativedelta(weekday=weekday(day_of_week)(nth))
    else:
        day = dt.date(year, *_HOLIDAYS[name])
    return day


def _holiday(g: dict[str, str | None], anchor: dt.date | None, future: bool, prep: str) -> _Resolved | None:
    """A holiday: of the year written with it, else the latest one (the next one in a future clause; "last"
    and "next" the one before or after the article's day)."""
    name = re.sub(r"\s+", " ", (g["holiday"] or "").lower())
    rel = (g.get("rel") or "").lower()
    if g.get("year"):
        day = _holiday_in(name, int(g["year"] or 0))
    elif anchor is None:
        return None, None, "day", f"{rel} {g['holiday']}".strip(), False
    else:
        days = [_holiday_in(name, y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
        if rel == "next" or (future and rel != "last"):
            day = min(d for d in days if d > anchor or (d == anchor and rel != "next"))
        elif rel == "last":
            day = max(d for d in days if d < anchor)
        else:
            day = max(d for d in days if d <= anchor)
    return _since((day, day, "day", None, False), prep, anchor)


def _month_day(month: int, dnum: int, anchor: dt.date | None, future: bool, nearest: bool = False) -> _Resolved | None:
    """A day of a month with no year: the most recent one (the next one in a future clause, the nearest
    one in a clause with no tense marked; in a plan's clause, the next one unless it has just passed)."""
    if not 1 <= dnum <= 31:
        return None
    if anchor is None:
        return None, None, "day", f"{calendar.month_name[month]} {dnum}", False
    year = anchor.year
    day = _safe_date(year, month, dnum)
    if day is None:
        return None
    soon = [d for d in (day, _safe_date(year + 1, month, dnum)) if d and anchor < d <= anchor + dt.timedelta(NEAR_DAYS)]
    if nearest and not future and soon:
        day = soon[0]  # "the offer lapses May 21", "is payable Jan. 2": weeks ahead, not most of a year back
    elif not future and day > anchor + dt.timedelta(days=1):
        day = _safe_date(year - 1, month, dnum)
    elif future and day < anchor and not (nearest and anchor - day <= dt.timedelta(NEAR_DAYS // 2)):
        day = _safe_date(year + 1, month, dnum)  # a plan's date may have just passed: the nearest one then
    return (day, day, "day", None, False) if day else None


#: Words that close a period at the time after them: a deadline ("extended the offer until 5 p.m. Nov. 9").
_UNTIL = re.compile(r"\b(?:until|till|by)\s+(?:at\s+)?$", re.IGNORECASE)


def _deadline(m: re.Match[str], prep: str) -> bool:
    """True when the expression is the end of a period or a deadline, which a past verb ("extended", "gave")
    does not put behind the report: a day of a month weeks ahead is that one, not the one most of a year back."""
    return prep in ("until", "till", "by") or bool(_UNTIL.search(m.string, 0, m.start()))


def _clock(g: dict[str, str | None], anchor: dt.date | None, future: bool, nearest: bool = False) -> _Resolved:
    """A clock time: on the day a word beside it names, else (undated) on the article's day."""
    word = (g.get("before") or g.get("after") or "").lower()
    if g.get("cmonth"):
        return _month_day(_month_of(g["cmonth"] or ""), int(g["cday"] or 0), anchor, future, nearest) or (
            None,
            None,
            "day",
            None,
            False,
        )
    if not word:
        return None, None, "time", None, False  # a time of day alone: no day to date an event by
    if word in WEEKDAYS:
        return _weekday({"weekday": word}, anchor, future, "")
    shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
    return _shift(anchor, shift, shift, "day", {-1: "-1 day", 1: "+1 day"}.get(shift, "today"), "")


def _clock_value(text: str) -> str | None:
    """``HH:MM`` of a clock time as written ("10 p.m.", "3:30 pm", "15:00", "noon")."""
    text = text.lower()
    if text.startswith("noon"):
        return "12:00"
    if text.startswith("midnight"):
        return "24:00"
    m = re.match(r"(\d{1,2})(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?)?", text)
    if m is None:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) and m.group(3).startswith("p") and hour < 12:
        hour += 12
    elif m.group(3) and m.group(3).startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)


def _quarter(g: dict[str, str | None], anchor: dt.date | None, future: bool) -> _Resolved:
    """A quarter of a year: a company's quarter of results, the most recent one with that number unless the
    text gives its year; ``the quarter`` alone is the last one ended (what results report on)."""
    rel = (g.get("rel") or "").lower()
    year_text = g.get("year") or g.get("year2")
    number = _ORDINALS.get((g.get("ord") or "").lower())
    back = 1 if rel in ("year-earlier", "year-ago") else 0
    if anchor is None and year_text is None:
        return None, None, "quarter", f"{rel} quarter {number or ''}".strip(), False
    if number is None:
        assert anchor is not None
        current = (anchor.month - 1) // 3 + 1
        delta = {"this": 0, "current": 0, "next": 1}.get(rel, -1)
        year, index = divmod(anchor.year * 4 + current - 1 + delta, 4)
        first, last = _quarter_span(year - back, index + 1)
        return first, last, "quarter", None, False
    if year_text is not None:
        year = int(year_text)
    else:
        assert anchor is not None
        current = (anchor.month - 1) // 3 + 1
        year = anchor.year if number <= current else anchor.year - 1
        if future and (anchor.year - year) * 4 + current - number > 1:
            year += 1  # ahead, unless it is the quarter just ended: results are reported after it ends
    first, last = _quarter_span(year - back, number)
    return first, last, "quarter", None, False


def _since(res: _Resolved, prep: str, anchor: dt.date | None) -> _Resolved:
    """``since X``: from X to the anchor; ``until``/``by``/``before``/``after`` keep X itself."""
    first, _last, gran, rel, hist = res
    if prep == "since" and first is not None and anchor is not None and anchor >= first:
        return first, anchor, gran, rel, hist
    return res


def _shift(anchor: dt.date | None, a: int, b: int, gran: str, relative: str, prep: str) -> _Resolved:
    if anchor is None:
        return None, None, gran, ("since " + relative if prep == "since" else relative), False
    first, last = anchor + dt.timedelta(days=a), anchor + dt.timedelta(days=b)
    if prep == "since":
        last = anchor
    return first, last, gran, None, False


def _season(name: str, year: int) -> tuple[dt.date, dt.date]:
    m1, m2 = _SEASONS[name]
    if m1 > m2:  # winter runs into the next year
        return dt.date(year, 12, 1), _month_end(year + 1, 2)
    return dt.date(year, m1, 1), _month_end(year, m2)


def _season_relative(g: dict[str, str | None], anchor: dt.date | None, future: bool) -> _Resolved | None:
    name = (g["season"] or "").lower()
    rel = (g.get("rel") or "").lower()
    if not rel and not g.get("prep"):
        return None  # "the fall of Raqqa", "the Arab Spring": not seasons
    if anchor is None:
        return None, None, "season", f"{rel} {name}".strip(), False
    candidates = [_season(name, y) for y in (anchor.year - 2, anchor.year - 1, anchor.year, anchor.year + 1)]
    current = next((c for c in candidates if c[0] <= anchor <= c[1]), None)
    past = [c for c in candidates if c[1] < anchor]
    coming = [c for c in candidates if c[0] > anchor]
    if rel in {"last", "previous", "past"}:
        pick = past[-1]
    elif rel == "next":
        pick = coming[0]
    elif current is not None:
        pick = current
    elif rel == "this":  # "this summer": the summer of the report's year, whichever side of it the report is
        pick = _season(name, anchor.year)
    else:
        pick = coming[0] if future else past[-1]
    return pick[0], pick[1], "season", None, False


def _ago(g: dict[str, str | None], anchor: dt.date | None) -> _Resolved:
    n = _number(g["n"] or "1")
    unit = (g["unit"] or "").lower()
    relative = f"-{n} {unit}{'s' if n != 1 else ''}"
    if g.get("this"):
        relative += f" (this {g['this']})"
    if anchor is None:
        return None, None, unit, relative, False
    if unit == "day":
        day = anchor - dt.timedelta(days=n)
        return day, day, "day", None, False
    if unit == "week":
        day = anchor - dt.timedelta(days=7 * n)
        if g.get("weekday"):
            day = _weekday_on_or_before(day + dt.timedelta(days=3), WEEKDAYS.index((g["weekday"] or "").lower()))
        return day, day, "day", None, False
    if unit == "month":
        y, mo = _add_months(anchor.year, anchor.month, -n)
        first, last = _month_span(y, mo)
        return first, last, "month", None, False
    if unit == "decade":
        return dt.date(anchor.year - 10 * n, 1, 1), dt.date(anchor.year - 10 * n, 12, 31), "year", None, False
    year = anchor.year - n
    if g.get("this") == "month":
        first, last = _month_span(year, anchor.month)
        return first, last, "month", None, False
    first, last = _year_span(year)
    return first, last, "year", None, False


def _weekend(g: dict[str, str | None], anchor: dt.date | None, future: bool, prep: str) -> _Resolved:
    rel = (g.get("rel") or "").lower()
    ahead = rel in ("next", "coming") or (future and rel not in ("last", "past", "previous"))
    if anchor is None:
        return None, None, "day", ("next weekend" if ahead else "last weekend" if rel else "weekend"), False
    if ahead:
        saturday = _weekday_on_or_after(anchor, 5, strict=rel == "next" and anchor.weekday() >= 5)
        return saturday, saturday + dt.timedelta(days=1), "day", None, False
    if anchor.weekday() == 6:  # a Sunday paper: "over the weekend" is this one
        saturday = anchor - dt.timedelta(days=1)
    else:
        saturday = _weekday_on_or_before(anchor, 5, strict=rel in ("last", "previous") and anchor.weekday() == 5)
    last = min(saturday + dt.timedelta(days=1), anchor)
    return _since((saturday, last, "day", None, False), prep, anchor)


def _calendar(g: dict[str, str | None], anchor: dt.date | None, prep: str) -> _Resolved:
    rel = (g["rel"] or "").lower()
    unit = (g["unit"] or "").lower()
    delta = {"last": -1, "this": 0, "next": 1}[rel]
    if anchor is None:
        return None, None, unit, f"{rel} {unit}", False
    if unit == "week":
        first, last = _week_of(anchor + dt.timedelta(days=7 * delta))
    elif unit == "month":
        first, last = _month_span(*_add_months(anchor.year, anchor.month, delta))
    else:
        first, last = _year_span(anchor.year + delta)
    return _since((first, last, unit, None, False), prep, anchor)


def _calendar_part(g: dict[str, str | None], anchor: dt.date | None) -> _Resolved:
    """``earlier this week``: from the week's start to the day before the anchor; ``later this month``: after."""
    edge = (g["edge2"] or "").lower()
    rel = (g["rel"] or "").lower()
    unit = (g["unit"] or "").lower()
    if anchor is None:
        return None, None, unit, f"{edge} {rel} {unit}", False
    first, last, *_ = _calendar({"rel": rel, "unit": unit}, anchor, "")
    assert first is not None and last is not None
    if rel == "this":
        if edge == "earlier":
            last = max(first, anchor - dt.timedelta(days=1))
        else:
            first = min(last, anchor + dt.timedelta(days=1))
    else:
        first, last = _edge_span(first, last, "early" if edge == "earlier" else "late")
    return first, last, unit, None, False


def _weekday(g: dict[str, str | None], anchor: dt.date | None, future: bool, prep: str) -> _Resolved:
    weekday = WEEKDAYS.index((g["weekday"] or "").lower())
    rel = (g.get("rel") or "").lower()
    name = calendar.day_name[weekday]
    if anchor is None:
        relative = f"{rel} {name}" if rel in ("last", "next") else name
        return None, None, "day", ("since " + relative if prep == "since" else relative), False
    if rel == "last":
        day = _weekday_on_or_before(anchor, weekday, strict=True)
    elif rel == "next":
        day = _weekday_on_or_after(anchor, weekday, strict=True)
    elif rel == "this":
        day = _weekday_on_or_after(anchor, weekday) if future else _weekday_on_or_before(anchor, weekday)
    elif future and prep != "since":
        day = _weekday_on_or_after(anchor, weekday)
    else:
        day = _weekday_on_or_before(anchor, weekday)
    return _since((day, day, "day", None, False), prep, anchor)


def _month_relative(
    g: dict[str, str | None], anchor: dt.date | None, future: bool, prep: str, nearest: bool = False
) -> _Resolved | None:
    """A month with no year: the most recent one (the next one in a future clause; in a clause with no
    tense, the next one when it begins within :data:`NEAR_DAYS` of the anchor, as a day of a month is read)."""
    month = _month_of(g["month"] or "")
    rel = (g.get("rel") or "").lower()
    name = calendar.month_name[month]
    if anchor is None:
        return None, None, "month", (f"{rel} {name}".strip() if rel else name), False
    if rel == "last":
        year = anchor.year - 1 if month >= anchor.month else anchor.year
    elif rel == "next":
        year = anchor.year + 1 if month <= anchor.month else anchor.year
    elif rel == "this":
        year = anchor.year
    else:
        year = _month_before(anchor, month, future)
        coming = dt.date(anchor.year if month > anchor.month else anchor.year + 1, month, 1)
        # "by" a month in a clause with no past tense is a deadline, however far ahead ("a loan to repay by
        # February"); "until" and "through" also close periods that are over ("sales through January rose")
        near = prep not in ("since", "after") and coming - anchor <= dt.timedelta(NEAR_DAYS)
        if nearest and not future and (near or prep == "by"):
            year = coming.year
    first, last = _edge_span(*_month_span(year, month), g.get("edge"))
    return _since((first, last, "month", None, False), prep, anchor)


# --- finding ----------------------------------------------------------------------------------------


#: What makes "plans to" a noun ("announced plans to", "its plans to"), which dates nothing ahead.
_PLANS_NOUN = re.compile(r"(?:\b(?:the|its|his|her|their|our|any|new|no)|[a-z]{3,}ed)\s+$", re.IGNORECASE)


def is_future(text: str) -> bool:
    """True when a clause speaks of the future (``will``, ``is expected to``, ``plans to``)."""
    for m in _FUTURE.finditer(text):
        if m.group().lower().startswith("plan") and _PLANS_NOUN.search(text, 0, m.start()):
            continue  # "it announced plans to sell": what was announced, not what will be
        return True
    return False


_LEADING = re.compile(r"^(?:on|in|at|over|during|for|the)\s+", re.IGNORECASE)


def find_times(
    text: str,
    anchor: dt.date | None,
    *,
    future: bool | None = None,
    extra: Iterable[tuple[int, int]] = (),
    context: str = "",
) -> list[TimeExpression]:
    """Every expression of time in ``text`` (a sentence), resolved against ``anchor``.

    ``future`` overrides the tense read from the text before each expression.
    ``context`` is what comes before the sentence in its article (the period
    a report is about: "a year earlier" is that quarter a year back).
    ``extra`` are spans another tagger marked as dates (spaCy DATE entities);
    those the patterns here do not cover are read by ``dateparser`` when they
    name a month or a year, and otherwise ignored.
    """
    found: list[TimeExpression] = []
    taken: list[tuple[int, int]] = []
    blocking: list[tuple[int, int]] = []  # what another tagger's dates may not overlap: dates and times
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < b and a < end for a, b in taken):
                continue
            clause_future, nearest = _tense(text, start, end) if future is None else (future, False)
            if kind == "weekday" and _named(text, m):
                continue
            if kind == "duration" and _a_rate(text, m):
                continue
            if kind == "bare_year" and _a_count(text, m):
                continue
            if kind in ("deictic", "calendar") and _title(text, m):
                continue
            if kind == "holiday" and _a_modifier(text, m):
                continue
            if _quoted_title(text, m):
                continue
            if kind == "set_word" and re.match(r"\s+(?-i:[A-Z])", text[m.end() :]):
                continue  # "the party daily Orlen Courier": a newspaper
            res = _resolve(kind, m, anchor, clause_future, nearest)
            if res is None:
                continue
            first, last, gran, relative, hist = res
            written = text[start:end]
            lead = _LEADING.match(written)
            if lead and kind not in ("weekend",):
                start += lead.end()
                written = text[start:end]
            taken.append((start, end))
            if kind not in _UNDATED_KINDS:
                blocking.append((start, end))
            offsets = None
            if anchor is not None and first is not None and last is not None and _is_relative(kind):
                offsets = ((first - anchor).days, (last - anchor).days)
            kind_of, timex = _timeml(kind, m, first, gran, anchor, context)
            found.append(
                TimeExpression(
                    written, start, end, first, last, gran, relative, hist, offsets, kind_of, timex, _parts(kind, m)
                )
            )
    for a, b in extra:
        if any(a < y and x < b for x, y in blocking):
            continue
        parsed = _dateparser_span(text[a:b], anchor)
        if parsed is not None:
            blocking.append((a, b))
            found.append(replace(parsed, start=a, end=b, timex=_timex_of(parsed.first, parsed.granularity)))
    found.sort(key=lambda t: t.start)
    return found


_DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_UNIT_CODES = {"day": "D", "week": "W", "month": "M", "year": "Y"}


_SET_WORDS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
              "yearly": "P1Y", "hourly": "PT1H"}  # fmt: skip
_PERIOD_CODES = {"hour": "TH", "minute": "TM", "second": "TS", "day": "D", "week": "W", "month": "M", "year": "Y",
                 "decade": "E", "century": "C", "centurie": "C", "quarter": "Q"}  # fmt: skip
#: Units TimeML writes as a number of years when the count is given ("two decades" is P20Y); with no count
#: they keep TimeBank's own letters ("decades" PXE, "centuries" PXC).
_YEARS_IN = {"E": 10, "C": 100}
#: The next smaller unit of a period and how many of it make one: a fraction is written in it.
_SMALLER = {"Y": (12, "M"), "TH": (60, "M"), "TM": (60, "S"), "D": (24, "TH")}
_REFERENCE_OF = {"present": "PRESENT_REF", "past": "PAST_REF", "future": "FUTURE_REF"}


_QUARTERS = [re.compile(p, re.IGNORECASE) for p, kind in _FIRST_TEXTS if kind == "quarter"]


def _year_back(sentence: str, anchor: dt.date, context: str = "") -> str:
    """What "a year ago" or "a year earlier" means: the period the report is on a year back (a company's
    quarter, compared with the same quarter of the year before: named in the sentence, else the last one
    named before it), else the year before."""
    for text in (sentence, context):
        found = [m for pattern in _QUARTERS for m in pattern.finditer(text)]
        for m in sorted(found, key=lambda m: -m.start()):
            first, *_ = _quarter(m.groupdict(), anchor, False)
            if first is not None:
                return f"{first.year - 1:04d}-Q{(first.month - 1) // 3 + 1}"
    return f"{anchor.year - 1:04d}"


_COMPARED = re.compile(
    r"\b(?:compared\s+(?:with|to)|from|versus|vs\.|against|corresponding|comparable|same)\b[^.;]*$|^['’]s\b",
    re.IGNORECASE,
)


def _compared(sentence: str, start: int, end: int) -> bool:
    """True when "last year" is the term of a comparison of results ("compared with $7 million last year",
    "up from last year's $2 billion", "the same period last year"): the same period a year back."""
    return bool(_COMPARED.search(sentence[max(0, start - 80) : start]) or _COMPARED.match(sentence[end:]))


#: What follows a period named by the day it ends on ("the year ended Sept. 28", "the fiscal year ending in May").
_ENDED = re.compile(
    r"\s+(?:(?:that|which)\s+)?(?:ended|ending|ends)\s+(?:on\s+|in\s+)?(?:(?-i:[A-Z\d])|today|tomorrow|yesterday)"
    r"|\s+to\s+" + _MONTH,
    re.IGNORECASE,
)


#: A preposition that makes "recent weeks" or "the coming months" the stretch of time something happens in
#: ("sales fell in recent months": a length with no number, PXM), not a vague pointer at the past or future.
_SPAN_OF = re.compile(r"(?:in|over|during|within)\s")


def _period(count: float | None, unit: str) -> str:
    """An ISO 8601 period as TimeML writes it: ``P3Y``, ``PT48H``, ``PXM`` (a number not given)."""
    code = _PERIOD_CODES[unit.lower().rstrip("s")]
    if count is not None and not count.is_integer() and code in _SMALLER:
        # "2 1/2 years" is P2Y6M, "5 1/2 hours" PT5H30M: the fraction in the next smaller unit
        factor, smaller = _SMALLER[code]
        whole, rest = int(count), round((count - int(count)) * factor)
        head = f"{whole}{code[-1]}" if whole else ""
        if code.startswith("T"):
            return f"PT{head}{rest}{smaller}"
        return f"P{head}T{rest}H" if smaller == "TH" else f"P{head}{rest}{smaller}"
    if count is not None and code in _YEARS_IN:
        count, code = count * _YEARS_IN[code], "Y"
    amount = "X" if count is None else (f"{count:g}")
    return f"PT{amount}{code[1]}" if code.startswith("T") else f"P{amount}{code}"


def _timeml(
    kind: str, m: re.Match[str], first: dt.date | None, granularity: str, anchor: dt.date | None, context: str = ""
) -> tuple[str, str | None]:
    """The TIMEX3 type and value of one match, resolved to ``first`` at ``granularity``."""
    g = m.groupdict()
    written = m.group(0).lower()
    if kind in _REFERENCE_OF:
        return "DATE", _REFERENCE_OF[kind]
    if kind == "duration":
        count = _count(g["count"] or "")
        return "DURATION", _period(count + 0.5 if count is not None and g.get("half") else count, g["unit"] or "")
    if kind == "duration_vague":
        return "DURATION", _period(None, g["unit"] or "")
    if kind == "set_word":
        return "SET", _SET_WORDS[(g["word"] or "").lower()]
    if kind == "set_unit":
        return "SET", _period(_count(g["count"]) if g.get("count") else 1.0, g["unit"] or "")
    if kind == "set_month":
        return "SET", f"XXXX-{_month_of(g['month'] or ''):02d}"
    if kind == "set_weekday":
        part = re.search(r"\b(morning|afternoon|evening|night)s?\b", written)
        code = f"T{_DAY_PARTS[part.group(1)]}" if part else ""
        return "SET", f"XXXX-WXX-{WEEKDAYS.index((g['weekday'] or '').lower()) + 1}{code}"
    if kind == "clock":
        day, hhmm = first or anchor, _clock_value(g["clock"] or "")
        return "TIME", (f"{day.isoformat()}T{hhmm}" if day and hhmm else None)
    if (kind == "year_back" or re.fullmatch(r"(?:a|one)\s+year\s+(?:ago|earlier|before)", written)) and anchor:
        return "DATE", _year_back(m.string, anchor, context)
    last_year = kind == "calendar" and re.fullmatch(r"(?:from\s+)?last\s+year", written, re.I)
    if last_year and anchor and _compared(m.string, m.start(), m.end()):
        return "DATE", _year_back(m.string, anchor, context)  # "compared with $7 million last year"
    if kind == "bare_year" and anchor and re.match(r"['’]?s?\s+(?:period|quarter)\b", m.string[m.end() :]):
        # "in the 2024 period": the quarter the report is on, in that year
        back = _year_back(m.string, dt.date(int(g["year"] or 0) + 1, anchor.month, min(anchor.day, 28)), context)
        if "-Q" in back:
            return "DATE", back
    if kind == "the_year":
        if _ENDED.match(m.string, m.end()):
            return "DURATION", "P1Y"  # "the year ended Sept. 28": twelve months named by their end, no calendar year
        return "DATE", (f"{anchor.year:04d}" if anchor else None)
    if kind == "quarter" and first is None and anchor is not None:
        first, _, granularity, *_ = _quarter(g, anchor, False)
    if kind == "narrative_length":
        return "DURATION", _period(_count(g["n"] or ""), g["unit"] or "")
    if kind in ("centuries", "year_range", "month_range", "narrative", "narrative_weekday"):
        return "DATE", None
    vague = kind == "recent" or (kind == "window" and not g.get("n") and written.endswith("s"))
    if vague:  # "recent weeks", "the coming months": no number
        if _SPAN_OF.match(written):
            return "DURATION", _period(None, g["unit"] or "")
        return "DATE", "FUTURE_REF" if re.search(r"\b(?:coming|next)\b", written) else "PAST_REF"
    if kind == "window":
        n = _number(g["n"]) if g.get("n") else 1
        return "DURATION", f"P{n}{_UNIT_CODES[(g.get('unit') or '').lower()]}"
    if first is None:
        return "DATE", None
    if kind in ("season", "season_year"):
        return "DATE", f"{first.year:04d}-{_SEASON_CODES[(g['season'] or '').lower()]}"
    if kind == "weekend":
        return "DATE", f"{_iso_week(first)}-WE"
    if kind == "ago" and (g.get("unit") or "").lower() == "week" and not g.get("weekday"):
        return "DATE", _iso_week(first)
    if kind == "ago" and (g.get("unit") or "").lower() == "decade":
        return "DATE", f"{first.year:04d}"
    if granularity == "day":
        part = re.search(r"\b(morning|afternoon|evening|night|tonight)\b", written)
        if part and kind in ("deictic", "weekday"):
            return "TIME", f"{first.isoformat()}T{_DAY_PARTS[part.group(1)]}"
    return "DATE", _timex_of(first, granularity)


#: Words before "a week" or "one day" that make it a length of time, not a rate ("$5 a week") or "some day".
_LENGTH_WORDS = frozenset(
    {"for", "in", "within", "over", "after", "during", "than", "least", "to", "by", "of", "about", "nearly", "almost",
     "another", "first", "last", "past", "next", "only", "just", "barely", "roughly", "around", "some"}
)  # fmt: skip


def _a_rate(text: str, m: re.Match[str]) -> bool:
    """A length of "a"/"an"/"one" unit with no word before it that makes it one: a rate or a vague "one day"."""
    if (m.group("count") or "").lower() not in ("a", "an", "one") or m.start("count") > m.start():
        return False
    if text[m.end("count") : m.start("unit")] == "-" or m.group("half"):
        return False  # "a one-day trip", "its one-year term", "an hour and a half": a length
    before = re.search(r"([A-Za-z]+)\W*$", text[: m.start()])
    return before is None or before.group(1).lower() not in _LENGTH_WORDS


_YEAR_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|our|your|my|this|that|fiscal|calendar|model|in|of|for|by|due)|['’]s"
    r"|\b(?:1[89]|20)\d\d(?:,|,? and|,? or| to))\s+$",  # "notes due 2031", "the firm's 2024 results", "2019 and 2022"
    re.I,
)


_DESCRIBED_BEFORE = re.compile(r"\b(?:the|its|their|his|her|our|this|that)\s+(?:[a-z]+[- ]){1,2}$", re.I)


def _a_count(text: str, m: re.Match[str]) -> bool:
    """A number that could be a year but counts or measures: "2000 soldiers", "some 1800 metres" (a year
    before a word in lower case needs one before it that makes it a year: "the 1998 accord", "fiscal 2024
    sales", "in 2000 voters")."""
    if not re.match(r"\s+[a-z]", text[m.end() :]):
        return False
    if _YEAR_BEFORE.search(text[: m.start()]):
        return False
    # a determiner, a word or two describing, then a singular noun: "her failed 2011 bid" (a plural after
    # them may be counted: "the remaining 2000 soldiers")
    singular = re.match(r"\s+[a-z]+(?<!s)\b(?!['’])", text[m.end() :])
    return not (singular and _DESCRIBED_BEFORE.search(text[: m.start()]))


def _title(text: str, m: re.Match[str]) -> bool:
    """A capitalised "Today" or "This Week" inside a sentence: the name of a programme or a paper."""
    written = m.group(0)
    return (
        m.start() > 0
        and text[: m.start()].strip() != ""
        and not text[: m.start()].rstrip().endswith((".", ":", "?", "!", '"', "``", "'"))
        and all(w[:1].isupper() for w in written.split() if w.isalpha())
    )


_OPENING = ('"', "“", "``", "‘", "'")


def _quoted_title(text: str, m: re.Match[str]) -> bool:
    """A capitalised expression quoted on its own or heading a quoted name: a programme or a work ("This
    Week" With Ada Okafor, "Ninety Minutes", "Late Spring"), not a date."""
    written = m.group(0)
    words = re.findall(r"\w+", written)
    if not re.search(r"[A-Za-z]", written) or not all(w[0].isupper() or w.isdigit() for w in words):
        return False
    before = text[: m.start()]
    after = text[m.end() :]
    opened = before.endswith(_OPENING) and m.start() > 0 and not before[:-1].rstrip().endswith((":", ","))
    if not opened:
        return False
    # quoted alone, or the head of a quoted name every word of which is capitalised ("This Week" With Ada
    # Okafor); a quotation that opens with the word ("Today we won") is a sentence, not a name
    name = re.match(r"((?:\s+(?:[A-Z][\w'’.-]*|of|the|and|with|in|on|at|a|an|to|for))*)[,.]?(?:\"|”|''|’)", after)
    return name is not None


def _parts(kind: str, m: re.Match[str]) -> tuple[tuple[int, int, str], ...]:
    """The two dates a range of years or of months names, as TimeML marks them: each end on its own."""
    if kind == "year_range":
        y1, y2 = m.group("y1"), m.group("y2")
        return ((*m.span("y1"), y1), (*m.span("y2"), y2 if len(y2) == 4 else y1[:2] + y2))
    if kind == "month_range":
        ends = [
            (m.span("month"), m.group("month"), m.group("y1")),
            (m.span("month2"), m.group("month2"), m.group("y2")),
        ]
        out = []
        for (a, _), name, year in ends:
            month = _MONTHS.get(name.lower().rstrip("."))
            if not month:
                return ()
            out.append((a, m.end("y1") if year == m.group("y1") else m.end("y2"), f"{year}-{month:02d}"))
        return tuple(out)
    return ()


def find_document_times(
    text: str, sentences: Iterable[tuple[int, int]], anchor: dt.date | None, *, context_chars: int = 600
) -> list[TimeExpression]:
    """Every expression of time in a document's ``sentences`` (spans of ``text``), in document offsets,
    each sentence read with what comes before it as its ``context`` (see :func:`find_times`)."""
    out: list[TimeExpression] = []
    for start, end in sentences:
        context = text[max(0, start - context_chars) : start]
        out += [
            replace(
                t,
                start=start + t.start,
                end=start + t.end,
                parts=tuple((start + a, start + b, v) for a, b, v in t.parts),
            )
            for t in find_times(text[start:end], anchor, context=context)
        ]
    return out


def _a_modifier(text: str, m: re.Match[str]) -> bool:
    """A holiday's name before a noun, after a determiner: "a Christmas tree", "the Good Friday agreement"."""
    if m.group("prep") or m.group("rel") or m.group("year"):
        return False
    before = re.search(r"\b(?:the|a|an|this|that|its|his|her|their|our)\s+$", text[: m.start()], re.IGNORECASE)
    return bool(before and re.match(r"\s+[A-Za-z]", text[m.end() :]))


def _named(text: str, m: re.Match[str]) -> bool:
    """A weekday inside a name: ``The Sunday Times``, ``Bloody Sunday``, ``Good Friday``."""
    after = re.match(r"\s+([A-Z][a-z]+)", text[m.end("weekday") :])
    if after and after.group(1).lower().rstrip(".") not in _MONTHS.keys() | _PARTS:
        return True
    if m.group("rel") or m.group("prep"):
        return False
    at = m.start("weekday")
    before = re.search(r"(?:\b([A-Za-z]+)\s+)?([A-Z][a-z]+)\s+$", text[:at])
    if not before or before.start(2) == 0 or before.group(2).lower() in _NOT_NAMES:
        return False
    # "the Good Friday agreement", "a Black Monday": a name; "The World Court Friday rejected", "in Kessa
    # Friday": wire style, the day follows its subject or its place
    return (before.group(1) or "").lower() in ("the", "a", "an")


_PARTS = frozenset({"morning", "afternoon", "evening", "night"})
#: Capitalised words that may stand before a weekday without making it a name.
_NOT_NAMES = frozenset(
    {"on", "by", "since", "until", "from", "late", "early", "last", "next", "this", "earlier", "later"}
)


def _is_relative(kind: str) -> bool:
    return kind not in ("iso", "numeric", "centuries", "century", "decade", "year_range", "month_range", "mdy", "dmy",
                        "month_year", "season_year", "year", "bare_year", "year_words")  # fmt: skip


_PAST = re.compile(
    r"\b(?:was|were|had|did|ago|last|earlier|previously)\b"
    r"|(?<!\bbe )(?<!\bbeen )\b[a-z]{3,}ed\s+(?:on|in|at|by|until|since)\s*$"
)
#: What plans, schedules and deadlines are written with, in the past tense too ("plans a vote on Saturday",
#: "has called a news conference for Thursday", "could land as soon as Tuesday", "was pushed back to May 3"):
#: a date they govern is ahead of the report unless the clause says it is past.
_SCHEDULE = re.compile(
    r"\b(?:would(?!\s+have)|(?:plann|schedul|slat)(?:ed|ing)|expects?|expected to|hopes? to|aims? to|poised to"
    r"|supposed to|due to|set (?:to|for)|as (?:soon|early) as|this coming|effective"
    r"|(?:extended|postponed|delayed|adjourned|moved|deferred|put off|pushed back)\s+(?:\w+\s+)?(?:to|until)"
    r"|(?:meets?|arrives?|departs?|travels?|visits?|resume|reopens?|reconvenes?|convene|is heard|are heard))\b",
    re.IGNORECASE,
)
#: What ends a clause: punctuation, the conjunctions that join two clauses, and the words that open one
#: ("said on Tuesday that the port would reopen": the saying is on Tuesday).
_CLAUSE_END = re.compile(
    r"[,;:]|\s(?:and|but|while|whereas|although|though|that|which|who|whom|because|saying)\s", re.IGNORECASE
)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause around an expression: what comes before it in the clause and what comes after it.

    A part joined by "and" with no tense of its own ("between Orlen and Kessa by August") belongs to
    the clause before it, so the left edge goes back over such joins to the last punctuation.
    """
    edges = list(_CLAUSE_END.finditer(text, 0, start))
    left = edges[-1].end() if edges else 0
    while edges and edges[-1].group().strip() not in ",;:" and not _tensed(text[left:start]):
        edges.pop()
        left = edges[-1].end() if edges else 0
    right = _CLAUSE_END.search(text, end)
    return text[left:start], text[end : right.start() if right else len(text)]


def _tensed(text: str) -> bool:
    return bool(_PAST.search(text) or is_future(text) or _SCHEDULE.search(text))


def _tense(text: str, start: int, end: int) -> tuple[bool, bool]:
    """``(future, nearest)`` for an expression: ahead of the report when its clause has a future marker, or
    a mark of a plan or a schedule and no past marker; read as the nearest day or month when a plan's clause
    is in the past tense ("had been due to lapse on May 9") or the clause has no tense at all."""
    before, after = _clause(text, start, end)
    lead = re.match(r"(?:in|on|by|for|at|until|till|from|during)\s", text[start:end], re.IGNORECASE)
    before += lead.group() if lead else ""  # "is expected [in June]": the preposition is the clause's
    bare = not re.search(r"[A-Za-z]{2,}", re.sub(r"\b(?:on|by|in)\b", "", before + " " + after, flags=re.I))
    if bare and end + len(after) < len(text):
        # a fronted expression ("By 2030, the plant will close"): the tense is the next clause's
        rest = text[end + len(after) + 1 :]
        nxt = re.search(r"[,;:]", rest)
        return is_future(rest[: nxt.start() if nxt else len(rest)]), False
    clause = before + " " + after
    past = bool(_PAST.search(before) or _PAST.search(clause))
    if is_future(clause):
        return True, False
    possessive = re.match(r"['’]s\b", after) or re.search(r"['’]s$", text[start:end])
    if _SCHEDULE.search(clause) and not possessive:  # "would fight Wednesday's ruling": that day is past
        return not past, True  # a plan's date: ahead, or days behind ("vowed to act by June 3")
    return False, not past


def _dateparser_span(span: str, anchor: dt.date | None) -> TimeExpression | None:
    """A free-form date a tagger found: read by dateparser when it names a month or a four-digit year."""
    if not re.search(r"\b(?:(?:1[89]|20)\d\d|" + _MONTH + r")\b", span):
        return None
    import dateparser  # noqa: PLC0415 - heavy; only for spans the patterns do not know

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["year"]}
    if anchor is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(anchor, dt.time())
    try:
        parsed = dateparser.parse(span, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    day = parsed.date()
    if re.search(r"\b[0-3]?\d(?:st|nd|rd|th)?\b(?!\d)", re.sub(r"(?:1[89]|20)\d\d", "", span)):
        return TimeExpression(span, 0, len(span), day, day, "day")
    if re.search(_MONTH, span):
        first, last = _month_span(day.year, day.month)
        return TimeExpression(span, 0, len(span), first, last, "month")
    first, last = _year_span(day.year)
    return TimeExpression(span, 0, len(span), first, last, "year")


def normalise(expression: str, anchor: dt.date | None, *, future: bool = False) -> TimeExpression | None:
    """The first expression of a date or time in ``expression`` (a phrase or a sentence), or None."""
    found = [t for t in find_times(expression, anchor, future=future) if t.dates]
    return found[0] if found else None


def text_date(text: str, *, limit: int = 2000) -> dt.date | None:
    """The event date an undated report states, from the absolute dates near its top; None when it has none.

    The first full date (``March 4, 2013``) in the first ``limit`` characters,
    else the middle of the first month it names with a year (``June 2014``).
    Years alone, decades and centuries date background, not the report.
    """
    head = text[:limit]
    found = [t for t in find_times(head, None) if t.first is not None and t.last is not None and not t.historical]
    for granularity in ("day", "month"):
        for t in found:
            if t.granularity == granularity and t.first and t.last and (t.last - t.first).days <= 31:
                return t.first + (t.last - t.first) / 2
    return None
