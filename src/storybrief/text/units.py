"""Units of measure and currencies: what a word after a number measures, and conversions between units.

Physical units come from pint's registry (``km``, ``kilometres``, ``miles``,
``10.31sec``, ``kg``, ``hp``, ``cc``, ``km/h``), restricted to the dimensions news
reports measure: length, mass, time, speed, area, volume and power. Money is
kept per currency (ISO code), with the scale words news writes (``bn``,
``million``, ``crore``, ``lakh``); there are no exchange rates offline, so two
currencies never compare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from .resources import unit_registry

#: Dimensions a measure in the news may have, and the name a slot gives them.
DIMENSIONS = {
    "[length]": "length",
    "[mass]": "mass",
    "[time]": "duration",
    "[length] / [time]": "speed",
    "[length] ** 2": "area",
    "[length] ** 3": "volume",
    "[length] ** 2 * [mass] / [time] ** 3": "power",
}
#: Words pint reads as units that, after a number, are words of the sentence ("5 in", "3 at", "2 a").
_NOT_UNITS = frozenset(
    "a an are were at in is it as am pm or on of to by no so me my we us he be do go up out per point points "
    "b c d e f g h j l n p q r t u v w x y z m s k mm".split()
)
#: Unit words pint does not know, as pint names them.
_ALIASES = {
    "bhp": "horsepower", "sec": "second", "secs": "second", "hrs": "hour", "hr": "hour", "mins": "minute",
    "min": "minute", "kms": "kilometer", "kmph": "kilometer_per_hour", "kph": "kilometer_per_hour",
    "tonne": "metric_ton", "tonnes": "metric_ton", "metre": "meter", "metres": "meter",
    "kilometre": "kilometer", "kilometres": "kilometer", "centimetre": "centimeter", "centimetres": "centimeter",
    "millimetre": "millimeter", "millimetres": "millimeter", "litre": "liter", "litres": "liter",
}  # fmt: skip
#: Symbols shown as words: pint writes a year as "a" (annum).
_SHOWN = {"a": "years", "d": "days", "h": "hours", "mi": "miles", "wk": "weeks", "month": "months"}
#: Units pint lacks, as a multiple of one it has.
_MULTIPLES = {"decade": (10.0, "year"), "decades": (10.0, "year")}

#: Currency symbols and words, and their ISO codes.
CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "rs": "INR", "rs.": "INR", "₹": "INR"}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "gbp": "GBP", "rupee": "INR", "rupees": "INR",
    "inr": "INR", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY", "rand": "ZAR", "zar": "ZAR",
    "franc": "CHF", "francs": "CHF", "ruble": "RUB", "rubles": "RUB", "roubles": "RUB", "won": "KRW",
}  # fmt: skip
_ISO = frozenset(CURRENCY_SYMBOLS.values()) | frozenset(CURRENCY_WORDS.values())
#: Scale words after a number.
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "million": 1e6,
    "mn": 1e6, "mln": 1e6, "m": 1e6, "crore": 1e7, "crores": 1e7, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
#: Scale words that only mean a scale after a currency ("$5m"), not after a bare number ("5m" is 5 metres).
MONEY_ONLY_SCALES = frozenset({"m", "b", "k", "tn"})


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit a figure is stated in: its name as a slot shows it, its dimension, and pint's name (None for money)."""

    name: str
    dimension: str
    pint_name: str | None = None


@cache
def measure_unit(word: str) -> Unit | None:
    """The physical unit a word names (``km``, ``miles``, ``sec``), when it is one news measures in."""
    key = word.lower().strip(".")
    if not key or key in _NOT_UNITS or not key.replace("/", "").isalpha():
        return None
    return _pint_unit(_ALIASES.get(key, key), None)


@cache
def unit_named(name: str) -> Unit | None:
    """The physical unit a slot shows by ``name`` (``km``, ``years``, ``s``): the name :func:`measure_unit` gave."""
    words = {shown: symbol for symbol, shown in _SHOWN.items()}
    return _pint_unit(words.get(name, name).replace(" ", ""), name)


def _pint_unit(name: str, shown: str | None) -> Unit | None:
    """A unit pint reads by ``name``, when its dimension is one news measures in."""
    ureg = unit_registry()
    try:
        units = ureg.parse_units(name)
    except Exception:  # pint raises its own error types for unknown or malformed names
        return None
    dimension = DIMENSIONS.get(str(ureg.Quantity(1, units).dimensionality))
    if dimension is None:
        return None
    symbol = format(units, "~")
    return Unit(shown or _SHOWN.get(symbol, symbol), dimension, str(units))


def multiple(word: str) -> tuple[float, str] | None:
    """A unit pint lacks as (factor, unit word): ``decades`` is (10, ``year``)."""
    return _MULTIPLES.get(word.lower())


def currency(word: str) -> str | None:
    """The ISO code of a currency symbol or word (``$``, ``Rs.``, ``rupees``), or None."""
    key = word.lower()
    return CURRENCY_SYMBOLS.get(key) or CURRENCY_WORDS.get(key)


def convert(value: float, unit: Unit, to: Unit) -> float | None:
    """``value`` in ``unit`` expressed in ``to`` (None when they do not convert: another dimension or money)."""
    if unit == to:
        return value
    if unit.pint_name is None or to.pint_name is None or unit.dimension != to.dimension:
        return None
    ureg = unit_registry()
    return float(ureg.Quantity(value, unit.pint_name).to(to.pint_name).magnitude)


def base_value(value: float, unit: Unit | None) -> float:
    """``value`` in the base unit of its dimension (metres, seconds, kilograms), to compare figures in one number."""
    if unit is None or unit.pint_name is None:
        return value
    ureg = unit_registry()
    return float(ureg.Quantity(value, unit.pint_name).to_base_units().magnitude)


def parse_unit_label(label: str | None) -> tuple[Unit | None, float]:
    """A unit label as annotations write it (``km``, ``USD billion``, ``INR crore``, ``million km``, ``people``).

    Returns the unit (None for counts) and the scale the label's values are in.
    """
    if not label:
        return None, 1.0
    scale = 1.0
    unit: Unit | None = None
    for word in label.replace("/", " / ").split():
        low = word.lower()
        if low in SCALES and low not in MONEY_ONLY_SCALES:
            scale *= SCALES[low]
        elif (code := currency(word) or (word if word in _ISO else None)) is not None:
            unit = Unit(code, "money")
    if unit is None:
        rest = " ".join(w for w in label.split() if w.lower() not in SCALES)
        unit = measure_unit(rest.replace(" ", "")) or measure_unit(rest.split()[0] if rest else "")
        if rest.lower() in _MULTIPLES:
            unit = measure_unit(_MULTIPLES[rest.lower()][1])
            scale *= _MULTIPLES[rest.lower()][0]
        if rest.lower() in ("percent", "%"):
            unit = Unit("%", "percent")
    return unit, scale


def close(a: float, b: float, tolerance: float = 0.03) -> bool:
    """True when two values agree within a relative ``tolerance`` (conversions are rounded as written)."""
    if a == b:
        return True
    if math.isinf(a) or math.isinf(b):
        return False
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def describe(value: float, unit: Unit | None) -> str:
    """``9.66 km``, ``4.75 billion USD``: a value with its unit for notes."""
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit.name}" if unit is not None else text
