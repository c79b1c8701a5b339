"""Publication dates as readers find them: strings, timestamps, URLs."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from typing import Any

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
_EARLIEST = dt.date(1800, 1, 1)


def parse_date(value: Any, *, dayfirst: bool = False) -> dt.date | None:
    """Read a date from an ISO string, an RFC 822 string, free text, an epoch or a struct_time.

    ``dayfirst``: read an ambiguous ``01-11-2023`` as 1 November (where the source's language writes the day first).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _ISO_DAY.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    return _parse_free(text, dayfirst)


def _parse_free(text: str, dayfirst: bool = False) -> dt.date | None:
    """Free-form dates ("March 4, 2013") through dateutil; None when unsure."""
    if len(text) > 60 or not re.search(r"\d{4}", text):
        return None
    from dateutil import parser  # noqa: PLC0415 - rarely needed

    try:
        day: dt.date = parser.parse(text, fuzzy=False, dayfirst=dayfirst, default=dt.datetime(1, 1, 1)).date()
    except (ValueError, OverflowError, parser.ParserError):
        return None
    return day


def date_from_url(url: str | None) -> dt.date | None:
    """A date written in a URL path (``/2013/03/04/``)."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def check_date(day: dt.date | None, *, not_after: dt.date) -> tuple[dt.date | None, str | None]:
    """Reject dates in the future of the input or the run; return (date, warning)."""
    if day is None:
        return None, None
    if day > not_after:
        return None, f"date {day.isoformat()} rejected: after {not_after.isoformat()}"
    if day < _EARLIEST:
        return None, f"date {day.isoformat()} rejected: implausibly early"
    return day, None


def read_dates_file(path: str) -> dict[str, dt.date]:
    """Read a dates sidecar: one ``id,date`` line per article (tab or spaces also separate).

    Blank lines and ``#`` comments are ignored, and so is a header line
    ``id,date``. A line that does not hold an id and an ISO date, or an id
    given twice with different dates, is an error naming the file and line.
    """
    from ..errors import InputFileError  # noqa: PLC0415 - avoids a cycle at import

    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        raise InputFileError(path, "dates file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(path, f"dates file cannot be read ({error})") from None
    out: dict[str, dt.date] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip().strip('"') for p in re.split(r"\s*[,\t]\s*|\s+", line, maxsplit=1)]
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise InputFileError(path, f"expected 'id,date', got {raw.strip()!r}", number)
        key, value = parts
        if number == 1 and key.lower() == "id" and value.lower() in ("date", "published"):
            continue
        match = _ISO_DAY.match(value)
        day = None
        if match:
            try:
                day = dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                day = None
        if day is None:
            raise InputFileError(path, f"{value!r} is not a date (write YYYY-MM-DD)", number)
        if key in out and out[key] != day:
            raise InputFileError(path, f"{key!r} is given two dates ({out[key]} and {day})", number)
        out[key] = day
    return out
