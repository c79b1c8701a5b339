"""Exceptions of storybrief and the stable reason codes of skipped inputs."""

from __future__ import annotations

from enum import StrEnum


class StorybriefError(Exception):
    """Root of every error storybrief raises on purpose."""


class OptionError(StorybriefError, ValueError):
    """An option has a value outside its allowed set or range."""

    def __init__(self, option: str, allowed: str, given: object) -> None:
        super().__init__(f"option {option!r} must be {allowed}; got {given!r}")
        self.option = option


class SkipCode(StrEnum):
    """Stable codes for why an input produced no article."""

    NOT_FOUND = "not-found"
    NO_MATCH = "no-match"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too-large"
    UNSUPPORTED = "unsupported"
    SYMLINK_LOOP = "symlink-loop"
    BROKEN_LINK = "broken-link"
    INVALID_JSON = "invalid-json"
    NOT_ARTICLES = "not-articles"
    NO_TEXT = "no-text"
    INVALID_XML = "invalid-xml"
    NO_MAIN_TEXT = "no-main-text"
    BOILERPLATE_ONLY = "boilerplate-only"
    INTERNAL = "internal-error"


class Skip(StorybriefError):
    """Raised by a reader for an input (or record) that yields no article."""

    def __init__(self, code: SkipCode, reason: str, record: int | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.record = record

    def __reduce__(self) -> tuple[type[Skip], tuple[SkipCode, str, int | None]]:
        """Pickled with its code and record (a reading process sends skips back)."""
        return (Skip, (self.code, self.reason, self.record))


class InputFileError(StorybriefError, ValueError):
    """A file the user gave as an option (not as news) cannot be used: names the file, the line and the problem."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
