"""Text that remembers, for every character, where it stood in the source.

Cleaning rewrites text (joins wrapped lines, replaces escapes, drops widget
lines); citations must still point into the original. ``MappedText`` carries a
source position for every character through each edit, and compresses to an
:class:`~storybrief.model.OffsetMap` at the end.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from ..model import OffsetMap

Replacement = str | Callable[[re.Match[str]], str]


class MappedText:
    """An immutable string paired with the source position of each character."""

    __slots__ = ("origin", "text")

    def __init__(self, text: str, origin: array[int]) -> None:
        if len(text) != len(origin):
            raise ValueError("MappedText: text and origin differ in length")
        self.text = text
        self.origin = origin

    @classmethod
    def from_source(cls, text: str) -> MappedText:
        """Wrap a source text: character ``i`` comes from position ``i``."""
        return cls(text, array("q", range(len(text))))

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"MappedText({self.text[:40]!r}{'…' if len(self.text) > 40 else ''})"

    def __getitem__(self, key: slice) -> MappedText:
        return MappedText(self.text[key], self.origin[key])

    def _anchor(self, pos: int) -> int:
        """Source position used for inserted text at clean position ``pos``."""
        if pos < len(self.origin):
            return self.origin[pos]
        return self.origin[-1] + 1 if self.origin else 0

    def sub(self, pattern: re.Pattern[str], repl: Replacement) -> MappedText:
        """Replace every match of ``pattern``; new text maps to the match's start."""
        pieces: list[str] = []
        origin = array("q")
        last = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            new = repl(match) if callable(repl) else match.expand(repl)
            if new == match.group(0):
                continue
            pieces.append(self.text[last:start])
            origin.extend(self.origin[last:start])
            pieces.append(new)
            origin.extend([self._anchor(start)] * len(new))
            last = end
        if last == 0 and not pieces:
            return self
        pieces.append(self.text[last:])
        origin.extend(self.origin[last:])
        return MappedText("".join(pieces), origin)

    def strip(self) -> MappedText:
        """Drop leading and trailing white space."""
        text = self.text
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if start == 0 and end == len(text):
            return self
        return self[start : max(start, end)]

    def lines(self) -> Iterator[MappedText]:
        """Yield the lines, without their newline characters."""
        pos = 0
        text = self.text
        while True:
            nl = text.find("\n", pos)
            if nl < 0:
                yield self[pos:]
                return
            yield self[pos:nl]
            pos = nl + 1

    @classmethod
    def join(cls, parts: Iterable[MappedText], sep: str) -> MappedText:
        """Join parts with ``sep``; separator characters map just after the previous part."""
        texts: list[str] = []
        origin = array("q")
        first = True
        for part in parts:
            if not first and sep:
                texts.append(sep)
                anchor = origin[-1] + 1 if origin else (part.origin[0] if part.origin else 0)
                origin.extend([anchor] * len(sep))
            texts.append(part.text)
            origin.extend(part.origin)
            first = False
        return cls("".join(texts), origin)

    def offset_map(self) -> OffsetMap:
        """Compress to runs where the text is a verbatim copy of the source."""
        n = len(self.origin)
        if n == 0:
            return OffsetMap(())
        origin = np.frombuffer(self.origin, dtype=np.int64)
        starts = np.concatenate(([0], np.flatnonzero(np.diff(origin) != 1) + 1))
        lengths = np.diff(np.concatenate((starts, [n])))
        return OffsetMap(
            tuple(
                (int(s), int(origin[s]), int(length))
                for s, length in zip(starts.tolist(), lengths.tolist(), strict=True)
            )
        )
