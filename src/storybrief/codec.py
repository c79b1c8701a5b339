"""The model's dataclasses as plain JSON values and back, losing nothing (for caches, not for reports).

The ``to_dict`` methods of :mod:`storybrief.model` write the shapes of
``briefs.json``, which leave out what a reader does not need (a mention's
label, a report's publication day) and round what it reads (an overlap). A
cache must give back the very object it was given, so :func:`encode` writes
every field and :func:`decode` rebuilds the object from the field types the
model declares: ``decode(StoryBrief, encode(brief)) == brief``.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def encode(value: Any) -> Any:
    """A JSON value holding every field of ``value`` (dataclasses, tuples, sets, dates, enums, numbers, text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):  # a datetime too: isoformat keeps its time and zone
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(encode(v) for v in value)
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot encode a {type(value).__name__}")


def decode(kind: type[T], data: Any) -> T:
    """The ``kind`` object :func:`encode` wrote as ``data``."""
    return typing.cast(T, _decoder(typing.cast(Any, kind))(data))


def _same(data: Any) -> Any:
    return data


@cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function that reads a ``kind`` from its JSON value (made once per type: a cache reads many)."""
    inner = _reader(kind)
    if inner is _same:
        return _same
    return lambda data: None if data is None else inner(data)


def _reader(kind: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if kind is Any or origin is typing.Literal or kind in (str, int, float, bool):
        return _same
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _decoder(options[0])
        return lambda data: _decoder(_branch(options, data))(data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        fields = {name: _decoder(hint) for name, hint in typing.get_type_hints(kind).items()}
        converted = {name: read for name, read in fields.items() if read is not _same}
        return lambda data: kind(**{k: (converted[k](v) if k in converted else v) for k, v in data.items()})
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if kind is dt.datetime:
        return dt.datetime.fromisoformat
    if kind is dt.date:
        return dt.date.fromisoformat
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return tuple if item is _same else lambda data: tuple(map(item, data))
        items = [_decoder(a) for a in args]
        return lambda data: tuple(read(v) for read, v in zip(items, data, strict=True))
    if origin in (frozenset, set):
        item = _decoder(args[0])
        return lambda data: origin(map(item, data))
    if origin is collections.Counter or kind is collections.Counter:
        return collections.Counter
    if origin in (dict, Mapping) or kind in (dict, Mapping):
        value = _decoder(args[1]) if args else _same
        return dict if value is _same else lambda data: {k: value(v) for k, v in data.items()}
    if origin is list:
        item = _decoder(args[0])
        return lambda data: list(map(item, data))
    return _same


def _branch(options: list[Any], data: Any) -> Any:
    """The member of a union that a JSON value was written from."""

    def fits(option: Any) -> bool:
        origin = typing.get_origin(option) or option
        if isinstance(data, list):
            return origin in (tuple, list, frozenset, set)
        if isinstance(data, dict):
            return origin in (dict, Mapping) or (isinstance(option, type) and dataclasses.is_dataclass(option))
        if isinstance(data, str):
            return origin in (str, typing.Literal) or (isinstance(option, type) and issubclass(option, enum.Enum))
        if isinstance(data, bool):
            return origin is bool
        return origin in (int, float)

    for option in options:
        if fits(option):
            return option
    raise TypeError(f"no member of {options} holds {data!r}")
