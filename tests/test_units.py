"""Units of measure and currencies: what a word after a number measures, and conversions."""

from __future__ import annotations

import pytest

from storybrief.text.units import base_value, close, convert, currency, measure_unit, parse_unit_label


@pytest.mark.parametrize(
    ("word", "name", "dimension"),
    [
        ("km", "km", "length"),
        ("kilometres", "km", "length"),
        ("miles", "miles", "length"),
        ("sec", "s", "duration"),
        ("bhp", "hp", "power"),
        ("cc", "cc", "volume"),
        ("km/h", "km / h", "speed"),
        ("years", "years", "duration"),
    ],
)
def test_measure_units(word: str, name: str, dimension: str) -> None:
    unit = measure_unit(word)
    assert unit is not None and (unit.name, unit.dimension) == (name, dimension)


@pytest.mark.parametrize("word", ["in", "at", "a", "people", "m", "s", "points", "3G"])
def test_words_that_are_not_units(word: str) -> None:
    assert measure_unit(word) is None


def test_conversions_compare_within_a_dimension() -> None:
    km, miles, seconds = measure_unit("km"), measure_unit("miles"), measure_unit("seconds")
    assert km is not None and miles is not None and seconds is not None
    factor = convert(6.0, miles, km)
    assert factor is not None and close(factor, 9.66, 0.01)
    assert convert(1.0, km, seconds) is None
    assert close(base_value(10, km), 10_000)


@pytest.mark.parametrize(
    ("label", "unit", "scale"),
    [
        ("USD billion", "USD", 1e9),
        ("INR crore", "INR", 1e7),
        ("million km", "km", 1e6),
        ("people", None, 1.0),
        ("percent", "%", 1.0),
        ("kg TNT", "kg", 1.0),
    ],
)
def test_unit_labels(label: str, unit: str | None, scale: float) -> None:
    parsed, found = parse_unit_label(label)
    assert (parsed.name if parsed else None, found) == (unit, scale)


def test_currencies() -> None:
    assert (currency("$"), currency("Rs."), currency("rupees"), currency("rand"), currency("apples")) == (
        "USD",
        "INR",
        "INR",
        "ZAR",
        None,
    )
