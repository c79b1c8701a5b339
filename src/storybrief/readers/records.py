"""JSON Lines and JSON readers, with configurable field names."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import OptionError, Skip, SkipCode
from ..model import DateSource
from .dates import date_from_url, parse_date
from .decode import Decoded
from .draft import Draft, Source
from .html import html_fragment_to_text

#: Keys whose list value holds article records (a JSON document or a cluster record).
CONTAINER_KEYS = ("articles", "documents", "items", "entries", "records", "data", "docs")
#: A record without a known text field may use its longest string if it has this many words.
MIN_GUESSED_WORDS = 20


@dataclass(frozen=True, slots=True)
class FieldNames:
    """Which record fields hold what, in order of preference."""

    id: tuple[str, ...] = ("id", "guid", "uuid")
    title: tuple[str, ...] = ("title", "headline", "name")
    text: tuple[str, ...] = ("text", "body", "content", "article", "maintext", "story", "description")
    date: tuple[str, ...] = (
        "date",
        "published",
        "pubDate",
        "published_at",
        "publish_date",
        "datePublished",
        "date_publish",
        "timestamp",
    )
    outlet: tuple[str, ...] = ("source", "outlet", "site", "publisher", "source_domain", "site_name")
    url: tuple[str, ...] = ("url", "link", "href")
    byline: tuple[str, ...] = ("author", "authors", "byline", "creator")
    updated: tuple[str, ...] = ("updated", "modified", "dateModified", "date_modify")

    def with_overrides(self, overrides: Mapping[str, str]) -> FieldNames:
        """Return a copy where each overridden field is looked up under the given name first."""
        known = set(self.__dataclass_fields__)
        values = {name: getattr(self, name) for name in known}
        for key, name in overrides.items():
            if key not in known:
                raise OptionError("--field", f"KEY=NAME with KEY one of {', '.join(sorted(known))}", key)
            values[key] = (name, *[n for n in values[key] if n != name])
        return FieldNames(**values)


def read_jsonl(source: Source, decoded: Decoded, fields: FieldNames, *, first_line: int = 1) -> Iterator[Draft | Skip]:
    """One record per line; a bad line is skipped with its line number (``first_line``: the number of
    the source's first line, when it is a part of a larger file)."""
    for number, line in enumerate(decoded.text.splitlines(), start=first_line):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            yield Skip(SkipCode.INVALID_JSON, f"line {number}: invalid JSON ({error})", number)
            continue
        yield from _drafts(value, number, fields, decoded.warnings)


def read_json(source: Source, decoded: Decoded, fields: FieldNames) -> Iterator[Draft | Skip]:
    """A JSON array of records, an object holding one, or an object with a list of them."""
    try:
        value = json.loads(decoded.text)
    except ValueError as error:
        raise Skip(SkipCode.INVALID_JSON, f"invalid JSON ({error})") from None
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from _drafts(item, number, fields, decoded.warnings)
        return
    if isinstance(value, dict):
        if _first(value, fields.text) is not None:
            yield from _drafts(value, None, fields, decoded.warnings)
            return
        for key in CONTAINER_KEYS:
            if isinstance(value.get(key), list) and value[key] and isinstance(value[key][0], dict):
                for number, item in enumerate(value[key], start=1):
                    yield from _drafts(item, number, fields, decoded.warnings)
                return
        keys = ", ".join(list(value)[:8])
        raise Skip(
            SkipCode.NOT_ARTICLES,
            f"JSON object (keys: {keys}) holds no article: no text field and no list of articles",
        )
    raise Skip(SkipCode.NOT_ARTICLES, f"JSON {type(value).__name__} is not an article or a list of articles")


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("name", "title", "value", "text"):
            if isinstance(value.get(key), str):
                return str(value[key])
    if isinstance(value, list):
        names = [t for t in (_as_text(v) for v in value) if t]
        return ", ".join(names) if names else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _drafts(value: Any, number: int | None, fields: FieldNames, warnings: tuple[str, ...]) -> Iterator[Draft | Skip]:
    where = f"record {number}" if number is not None else "record"
    if not isinstance(value, dict):
        yield Skip(SkipCode.NOT_ARTICLES, f"{where}: a JSON {type(value).__name__}, not an object", number)
        return
    text_value = _first(value, fields.text)
    notes = list(warnings)
    if text_value is None:
        for key in CONTAINER_KEYS:
            nested = value.get(key)
            if isinstance(nested, list) and nested and all(isinstance(d, dict) for d in nested):
                # A cluster record (multi-document sets): its documents are the articles.
                for item in nested:
                    yield from _drafts(item, number, fields, warnings)
                return
        guessed = _guess_text_field(value)
        if guessed is None:
            present = ", ".join(list(value)[:10]) or "none"
            yield Skip(
                SkipCode.NO_TEXT,
                f"{where}: no text field (looked for {', '.join(fields.text)}; fields present: {present}); "
                "name it with --field text=NAME",
                number,
            )
            return
        notes.append(f"no known text field; used the longest text field {guessed!r}")
        text_value = value[guessed]
    text = _as_text(text_value) or ""
    if "<" in text and ">" in text and any(tag in text.lower() for tag in ("<p", "<br", "<div")):
        text = html_fragment_to_text(text)
    record_id = _as_text(_first(value, fields.id))
    url = _as_text(_first(value, fields.url))
    published = parse_date(_first(value, fields.date))
    source_kind = DateSource.RECORD if published else DateSource.NONE
    if published is None and (day := date_from_url(url)):
        published, source_kind = day, DateSource.URL
    title = _as_text(_first(value, fields.title))
    yield Draft(
        text=text,
        record=number,
        id_hint=record_id,
        title=title,
        byline=_as_text(_first(value, fields.byline)),
        outlet=_as_text(_first(value, fields.outlet)),
        url=url,
        published=published,
        published_source=source_kind,
        updated=parse_date(_first(value, fields.updated)),
        unwrap=True,
        detect_header=title is None,
        warnings=tuple(notes),
    )


def _guess_text_field(record: Mapping[str, Any]) -> str | None:
    best, best_words = None, 0
    for key, value in record.items():
        if isinstance(value, str):
            words = len(value.split())
            if words > best_words:
                best, best_words = key, words
    return best if best_words >= MIN_GUESSED_WORDS else None
