"""MappedText keeps a source position for every character through edits."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from storybrief.model import OffsetMap
from storybrief.text.clean import normalize_characters
from storybrief.text.textmap import MappedText


def _verbatim_runs_match(source: str, mapped: MappedText) -> None:
    """Every letter or digit maps to itself, or to the entity or escape it was decoded from."""
    origins = list(mapped.origin)
    assert origins == sorted(origins)
    assert all(0 <= o <= len(source) for o in origins)
    omap = mapped.offset_map()
    for pos, char in enumerate(mapped.text):
        if char.isalnum():
            assert omap.to_source(pos) == origins[pos]
            assert source[origins[pos]] in (char, "&", "\\")


def test_sub_maps_replacements_to_match_start() -> None:
    text = MappedText.from_source('He said \\"no\\" twice')
    out = text.sub(re.compile(r'\\"'), '"')
    assert out.text == 'He said "no" twice'
    assert out.origin[8] == 8  # the first quote comes from the backslash
    assert out.origin[9] == 10  # "n" sits two characters later in the source


def test_join_inserts_separator_after_previous_part() -> None:
    src = MappedText.from_source("alpha\nbeta")
    lines = list(src.lines())
    joined = MappedText.join(lines, " ")
    assert joined.text == "alpha beta"
    assert joined.origin[5] == 5  # the space stands where the newline was
    assert joined.offset_map().to_source(6) == 6


def test_offset_map_round_trip() -> None:
    source = "One  line\nwrapped\u00a0here"
    mapped = normalize_characters(MappedText.from_source(source))
    assert mapped.text == "One line\nwrapped here"
    _verbatim_runs_match(source, mapped)
    omap = mapped.offset_map()
    assert source[omap.to_source(mapped.text.index("wrapped"))] == "w"
    assert omap.source_span(0, 3) == (0, 3)


def test_empty_offset_map() -> None:
    assert OffsetMap().to_source(5) == 5
    assert MappedText.from_source("").offset_map().segments == ()


@given(st.text(max_size=300))
def test_normalize_keeps_verbatim_runs(source: str) -> None:
    mapped = normalize_characters(MappedText.from_source(source))
    assert len(mapped.text) == len(mapped.origin)
    _verbatim_runs_match(source, mapped)
