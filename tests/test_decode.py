"""Bytes to text: encodings, byte-order marks, binaries."""

from __future__ import annotations

import codecs

import pytest

from storybrief.errors import Skip, SkipCode
from storybrief.readers.decode import decode

TEXT = "Café owners in Zürich said the “new rules” would cost them — they estimate — 5,000 francs."


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (TEXT.encode("utf-8"), None),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), None),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), None),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), None),
        (TEXT.encode("utf-16-le"), "UTF-16 without byte-order mark"),
        (TEXT.encode("cp1252"), "not UTF-8"),
    ],
)
def test_encodings_decode_to_the_same_text(data: bytes, warning: str | None) -> None:
    decoded = decode(data)
    assert decoded.text == TEXT
    if warning:
        assert any(warning in w for w in decoded.warnings)


def test_mixed_encoding_reads_legacy_bytes_as_cp1252() -> None:
    data = "Zürich “quotes” and ".encode() + "café".encode("cp1252") + b" done."
    decoded = decode(data)
    assert decoded.text == "Zürich “quotes” and café done."
    assert any("mixed encoding" in w for w in decoded.warnings)


def test_truncated_utf8_is_replaced_not_fatal() -> None:
    data = TEXT.encode("utf-8") + "é".encode()[:1]
    decoded = decode(data)
    assert decoded.text.startswith(TEXT)
    assert any("truncated" in w for w in decoded.warnings)


def test_nul_bytes_inside_text_are_removed() -> None:
    decoded = decode(b"Some text\x00 with a NUL byte inside it, and more text after it.")
    assert "\x00" not in decoded.text
    assert "NUL bytes removed" in decoded.warnings


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", SkipCode.EMPTY),
        (b"  \n\t \r\n", SkipCode.EMPTY),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, SkipCode.BINARY),
        (b"PK\x03\x04" + bytes(200), SkipCode.BINARY),
        (b"%PDF-1.7\n" + bytes(range(256)), SkipCode.BINARY),
        (bytes(range(256)) * 20, SkipCode.BINARY),
    ],
)
def test_unreadable_data_is_skipped_with_a_code(data: bytes, code: SkipCode) -> None:
    with pytest.raises(Skip) as info:
        decode(data)
    assert info.value.code == code
