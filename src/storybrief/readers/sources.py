"""Input expansion: files, directories (recursive, loop-safe), globs and standard input."""

from __future__ import annotations

import datetime as dt
import glob
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Skip, SkipCode
from .draft import Source

#: Extensions read when walking a directory, by format.
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".markdown": "txt",
    "": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
FORMATS = ("auto", "txt", "html", "jsonl", "json", "feed")
_GLOB_CHARS = set("*?[")


def display_name(path: str | os.PathLike[str]) -> str:
    """A printable path: undecodable bytes in a name are shown as U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class Found:
    """A file to read, or an input that could not be read with why."""

    name: str
    path: str | None = None
    skip: Skip | None = None


def expand(inputs: list[str]) -> Iterator[Found]:
    """Expand inputs in order; directories are walked in sorted order."""
    for item in inputs:
        if item == "-":
            yield Found("-", None)
            continue
        path = Path(item)
        if path.is_symlink() and not path.exists():
            yield Found(display_name(item), skip=Skip(SkipCode.BROKEN_LINK, "broken symbolic link"))
        elif path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield Found(display_name(item), str(path))
        elif _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Found(display_name(item), skip=Skip(SkipCode.NO_MATCH, "no file matches this pattern"))
            for match in matches:
                yield from expand([match])
        else:
            yield Found(display_name(item), skip=Skip(SkipCode.NOT_FOUND, "no such file or directory"))


def _walk(root: Path) -> Iterator[Found]:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            info = directory.stat()
        except OSError as error:
            yield Found(
                display_name(directory), skip=Skip(SkipCode.UNREADABLE, f"cannot read directory ({error.strerror})")
            )
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield Found(
                display_name(directory),
                skip=Skip(SkipCode.SYMLINK_LOOP, "symbolic link loop: directory already visited"),
            )
            continue
        seen.add(key)
        try:
            children = sorted(directory.iterdir(), key=lambda p: os.fsencode(p.name))
        except OSError as error:
            yield Found(
                display_name(directory), skip=Skip(SkipCode.UNREADABLE, f"cannot list directory ({error.strerror})")
            )
            continue
        subdirs: list[Path] = []
        for child in children:
            name = display_name(child)
            if child.name.startswith("."):
                # Hidden files and folders (.git, .DS_Store) are not articles; say so once.
                what = "hidden directory, not searched" if child.is_dir() else "hidden file"
                yield Found(name, skip=Skip(SkipCode.UNSUPPORTED, what))
                continue
            if child.is_symlink() and not child.exists():
                yield Found(name, skip=Skip(SkipCode.BROKEN_LINK, "broken symbolic link"))
            elif child.is_dir():
                subdirs.append(child)
            elif child.suffix.lower() in EXTENSIONS:
                yield Found(name, str(child))
            else:
                yield Found(
                    name,
                    skip=Skip(
                        SkipCode.UNSUPPORTED,
                        f"unsupported file type {child.suffix!r} (not txt, md, html, json, jsonl, rss, atom or xml)",
                    ),
                )
        stack.extend(reversed(subdirs))


def file_source(found: Found, data: bytes) -> Source:
    """The :class:`Source` of (a part of) a found file, with ``data`` read from it."""
    assert found.path is not None
    path = Path(found.path)
    try:
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date()
    except OSError:  # gone since it was read: no date to check against
        modified = None
    return Source(
        name=found.name,
        stem=display_name(path.stem if path.suffix.lower() in EXTENSIONS else path.name),
        data=data,
        extension=path.suffix.lower(),
        path=found.name,
        modified=modified,
    )


def read_lines(found: Found, *, lines: int, max_line: int) -> Iterator[tuple[int, bytes, tuple[int, ...]]]:
    """A found file ``lines`` lines at a time: (number of the first line, the lines' bytes, the numbers
    of lines left out because they are longer than ``max_line`` bytes; each stays as an empty line).

    Memory holds one batch of lines, whatever the file's size. :class:`Skip`
    is raised when the file cannot be read.
    """
    assert found.path is not None
    try:
        with open(found.path, "rb") as handle:
            batch: list[bytes] = []
            long: list[int] = []
            first = number = 1
            while line := handle.readline(max_line + 1):
                if len(line) > max_line:
                    while line and not line.endswith(b"\n"):  # the rest of the long line, read and dropped
                        line = handle.readline(max_line + 1)
                    long.append(number)
                    line = b"\n"
                batch.append(line if line.endswith(b"\n") else line + b"\n")
                number += 1
                if len(batch) >= lines:
                    yield first, b"".join(batch), tuple(long)
                    first, batch, long = number, [], []
            if batch:
                yield first, b"".join(batch), tuple(long)
    except OSError as error:
        raise Skip(SkipCode.UNREADABLE, f"cannot read file ({error.strerror or error})") from None


def load(found: Found, *, max_bytes: int) -> Source:
    """Read a found input into a :class:`Source`; raise :class:`Skip` when it cannot be read."""
    if found.path is None:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise Skip(SkipCode.TOO_LARGE, f"standard input is larger than {max_bytes:,} bytes")
        return Source(name="-", stem="stdin", data=data)
    path = Path(found.path)
    try:
        large = too_large(path.stat().st_size, max_bytes)
        if large is not None:
            raise large
        data = path.read_bytes()
    except OSError as error:
        raise Skip(SkipCode.UNREADABLE, f"cannot read file ({error.strerror or error})") from None
    return file_source(found, data)


def too_large(size: int, max_bytes: int) -> Skip | None:
    """The skip of a file of ``size`` bytes when it is over the limit."""
    if size <= max_bytes:
        return None
    return Skip(SkipCode.TOO_LARGE, f"file is {size:,} bytes, more than the limit of {max_bytes:,}")


def detect_format(source: Source, requested: str = "auto") -> str:
    """The format to read a source as: the requested one, its extension, or its content."""
    if requested != "auto":
        return requested
    head = source.data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"\x00" in head[:200]:  # UTF-16: look at the decoded start
        head = head.replace(b"\x00", b"")
    by_ext = EXTENSIONS.get(source.extension)
    if by_ext in {"html", "jsonl", "json"}:
        return by_ext
    looks_like_feed = head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head[:400]
    if looks_like_feed and b"<html" not in head[:400]:
        return "feed"
    if by_ext == "feed":
        return "feed"
    if (
        head.startswith(b"<!doctype html")
        or head.startswith(b"<html")
        or (head.startswith(b"<") and b"<body" in source.data[:20000].lower())
    ):
        return "html"
    if source.extension in {"", ".text"} and head[:1] in (b"{", b"["):
        first_line = head.split(b"\n", 1)[0]
        return "jsonl" if first_line.rstrip().endswith(b"}") and head[:1] == b"{" else "json"
    return by_ext or "txt"
