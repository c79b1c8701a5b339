"""Bytes to text: byte-order marks, UTF-8, mixed and legacy encodings, binaries."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..errors import Skip, SkipCode

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read undecodable bytes as cp1252 (mixed-encoding files)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


_HANDLER = "storybrief-cp1252"


def _register_handler() -> None:
    """Register the cp1252 fallback handler (idempotent; not done at import time)."""
    try:
        codecs.lookup_error(_HANDLER)
    except LookupError:
        codecs.register_error(_HANDLER, _cp1252_fallback)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding used and what had to be repaired."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def sniff_binary(data: bytes) -> str | None:
    """Return what kind of binary file ``data`` is, or None for text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"MZ" and not data[2:4].strip(b"\x00"):
                continue
            return kind
    head = data[:8192]
    if not head or any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    controls = len(_CONTROL.findall(head))
    if controls / len(head) > 0.10:
        # Plenty of NULs with text between them may be BOM-less UTF-16.
        if _looks_utf16(head):
            return None
        return "binary data"
    return None


def _looks_utf16(head: bytes) -> bool:
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = max(len(head) // 2, 1)
    return (odd / half > 0.6 and even / half < 0.1) or (even / half > 0.6 and odd / half < 0.1)


def decode(data: bytes) -> Decoded:
    """Decode bytes of a text file; raise :class:`Skip` for binary or empty data."""
    kind = sniff_binary(data)
    if kind:
        raise Skip(SkipCode.BINARY, f"binary file ({kind}), not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _finish(text, encoding, ["invalid bytes replaced"] if "\ufffd" in text else [])
    if _CONTROL.search(data[:8192]) and _looks_utf16(data[:8192]):
        encoding = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return _finish(data.decode(encoding, errors="replace"), encoding, ["UTF-16 without byte-order mark"])
    try:
        return _finish(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError as error:
        first_error = error
    return _decode_legacy(data, first_error)


def _decode_legacy(data: bytes, first_error: UnicodeDecodeError) -> Decoded:
    """Decode data that is not valid UTF-8: truncated, mixed, or another encoding."""
    # Truncated at the end (a cut multi-byte sequence): UTF-8 with the tail replaced.
    if first_error.start >= len(data) - 3:
        text = data.decode("utf-8", errors="replace")
        return _finish(text, "utf-8", ["truncated UTF-8 sequence at the end replaced"])
    valid_multibyte = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
    invalid = _count_invalid_utf8(data)
    if valid_multibyte > invalid:
        # Mostly UTF-8 with some legacy bytes: a mixed-encoding file.
        _register_handler()
        text = data.decode("utf-8", errors=_HANDLER)
        return _finish(text, "utf-8", [f"mixed encoding: {invalid} invalid UTF-8 sequences read as cp1252"])
    encoding = _detect(data)
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
    warnings = [f"not UTF-8; decoded as {encoding}"]
    if "\ufffd" in text:
        warnings.append("invalid bytes replaced")
    return _finish(text, encoding, warnings)


def _count_invalid_utf8(data: bytes) -> int:
    """Number of invalid UTF-8 sequences (each becomes one replacement character)."""
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")


def _detect(data: bytes) -> str:
    """Best guess of a legacy encoding through charset-normalizer; cp1252 by default."""
    from charset_normalizer import from_bytes  # noqa: PLC0415 - loaded only for non-UTF-8 input

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return "cp1252"
    encoding = str(best.encoding)
    # Latin-1 and ASCII guesses are better read as cp1252 (curly quotes, dashes).
    if encoding in {"ascii", "latin_1", "iso8859_1", "iso-8859-1"}:
        return "cp1252"
    return encoding


def _finish(text: str, encoding: str, warnings: list[str]) -> Decoded:
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL bytes removed")
    if not text.strip():
        raise Skip(SkipCode.EMPTY, "empty file (nothing but white space)")
    return Decoded(text=text, encoding=encoding, warnings=tuple(warnings))
