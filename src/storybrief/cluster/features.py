"""What story clustering compares: terms, names, numbers, dates and an embedding per article.

Everything an article contributes is computed once into an :class:`ArticleVector`.
:func:`pair_features` turns two vectors into a small feature vector and
:func:`same_story_probability` combines them with weights learned on dev data
(``bench/fit_similarity.py``; see ``WEIGHTS``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model import Article
from ..text.places import main_country
from ..text.temporal import MONTHS, WEEKDAYS, find_times, text_date
from ..text.terms import STOP_WORDS, cosine, stem, terms_of

#: Terms kept per article (by weight); the rest add little and cost time.
TOP_TERMS = 120
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z'’-]+(?:\s+(?:al-|el-)?[A-Z][a-z'’-]+)*)")
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,])")


#: Capitalised words that name a time, not who or where: every report of a week shares them.
_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS)


def names_of(text: str) -> set[str]:
    """Proper-name keys: capitalised words and runs that do not open a sentence (not days and months)."""
    names: set[str] = set()
    for match in _NAME.finditer(text):
        phrase = match.group(1)
        if all(w.lower() in _CALENDAR for w in phrase.split()):
            continue
        key = " ".join(stem(w) for w in phrase.split() if w.lower() not in STOP_WORDS)
        if key and len(key) > 2:
            names.add(key)
    return names


def numbers_of(text: str) -> set[int]:
    """Numbers written with digits, without years (1900–2099) and numbers under 10."""
    out: set[int] = set()
    for match in _NUMBER.finditer(text):
        value = int(match.group(1).replace(",", ""))
        if value >= 10 and not 1900 <= value <= 2099:
            out.add(value)
    return out


@dataclass(slots=True)
class ArticleVector:
    """One article as clustering sees it; ``terms`` are weighted and unit length once :func:`weigh` ran."""

    id: str
    date: dt.date | None
    counts: Counter[str]
    names: set[str]
    numbers: set[int]
    title: str
    lead: str
    order: int = 0
    terms: dict[str, float] = field(default_factory=dict)
    embedding: np.ndarray | None = None
    name_weight: dict[str, float] = field(default_factory=dict)
    country: str | None = None
    countries: frozenset[str] = frozenset()
    deals: frozenset[str] = frozenset()
    weekday: int | None = None
    places: frozenset[str] = frozenset()
    name_text: str = ""  # the names one a line, made when first needed (see ``_named_in``)


def lead_of(article: Article, words: int = 60) -> str:
    """The title and the opening words of the body: what the embedding reads."""
    body = " ".join(article.text.split()[:words])
    if not article.title or body.lower().startswith(article.title.lower().rstrip(". ")):
        return body  # a title-only record, or a body that opens with its title: say it once
    return f"{article.title}. {body}"


def vectorize(article: Article, order: int = 0) -> ArticleVector:
    """Counts, names and numbers of one article (weights come later, from document frequencies)."""
    title = article.title or ""
    counts = terms_of(article.text)
    for term, n in terms_of(title).items():
        counts[term] += 2 * n  # title words count more
    country, countries = main_country(title, article.text)
    lead = lead_of(article)
    return ArticleVector(
        country=country,
        countries=countries,
        deals=deal_targets(lead),
        weekday=lead_weekday(article.text, article.published),
        places=lead_places(title + "\n" + lead),
        id=article.id,
        date=article.published or text_date(article.text),  # event dates stand in for missing ones
        counts=counts,
        names=names_of(title + ". " + article.text) if title else names_of(article.text),
        numbers=numbers_of(article.text),
        title=title,
        lead=lead,
        order=order,
    )


#: A purchase in a headline or lead: the verb, then what is bought ("to buy Kestrel", "acquires
#: Halvard's shipping arm"), or a sale of something to a buyer ("sells Kestrel to Halvard").
_NAME_RUN = r"(?P<target>[A-Z][\w&.-]*(?:['’]s)?(?:\s+[A-Z][\w&.-]*)*)"
_BUYS = re.compile(
    r"\b(?i:buy|buys|buying|bought|acquires?|acquired|acquiring|purchases?|purchased|purchasing|"
    r"takes?\s+over|took\s+over|taking\s+over|merges?\s+with|merging\s+with)\s+(?i:the\s+|its\s+)?" + _NAME_RUN
)
_SELLS = re.compile(r"\b(?i:sells?|sold|selling)\s+(?i:the\s+|its\s+)?" + _NAME_RUN + r"[^.;]{0,60}?\s+(?i:to)\s+[A-Z]")


#: A place a headline or lead puts its news at: a run of capitalised words after "in", "at", "near" or
#: "outside" written in lower case, on one line and inside one sentence ("killed in Lake Orlen on Friday").
_LEAD_PLACE = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?([A-Z][\w'’-]+(?:[ ][A-Z][\w'’-]+)*)")


def lead_places(head: str) -> frozenset[str]:
    """Name keys (as :func:`names_of` makes them) of the places a headline and lead put their news at."""
    found: set[str] = set()
    for match in _LEAD_PLACE.finditer(head):
        words = [w for w in re.sub(r"['’]s$", "", match.group(1)).split() if w.lower() not in STOP_WORDS]
        if not words or words[0].lower() in _CALENDAR:
            continue  # "on Friday", "in March": a time, not a place
        found.add(" ".join(stem(w) for w in words))
    return frozenset(found)


def local_places_conflict(a: ArticleVector, b: ArticleVector) -> bool:
    """True when both leads put their news at a place (a town, a street, a mountain) and neither article
    names the other's anywhere: the places that tell two events of one kind in one country apart."""
    if not a.places or not b.places:
        return False
    return not any(_named_in(p, b) for p in a.places) and not any(_named_in(p, a) for p in b.places)


def _named_in(place: str, vector: ArticleVector) -> bool:
    """True when one of the article's names is the place or holds its words in a row (one substring search
    per way a name can border them, as pairs are many)."""
    if not vector.name_text:
        vector.name_text = "\n" + "\n".join(sorted(vector.names)) + "\n"
    text = vector.name_text
    return any(f"{a}{place}{b}" in text for a in "\n " for b in "\n ")


def deal_targets(lead: str) -> frozenset[str]:
    """What a headline or lead says is bought or sold: the first word of each target's name, lower-cased."""
    found: set[str] = set()
    for pattern in (_BUYS, _SELLS):
        for match in pattern.finditer(lead):
            word = re.sub(r"['’]s$", "", match.group("target").split()[0]).lower().rstrip(".")
            if word and word not in STOP_WORDS:
                found.add(word)
    return frozenset(found)


_SENTENCE_END = re.compile(r"[.!?](?=[\s\"”’']+[A-Z\"“‘'])")
#: A weekday that heads a date with its year ("Monday, June 4, 2012"; "Monday | June 4"): a page's stamp.
_STAMP = re.compile(r"[\s,|]*(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d")


def lead_weekday(text: str, published: dt.date | None) -> int | None:
    """The weekday the first sentence of a report gives its news (``killed on Saturday``), 0 for Monday.

    A report says on what day its news happened in its first sentence; an undated report
    says only the weekday. A weekday heading a full date (a page's date stamp) and an
    expression with a year are left out; ``yesterday`` counts only with a publication date.
    """
    head = text[:400]
    end = _SENTENCE_END.search(head, 20)
    sentence = head[: end.end()] if end else head
    for t in find_times(sentence, published):
        if t.granularity != "day" or re.search(r"\b(?:1[89]|20)\d\d\b", t.as_written):
            continue
        if _STAMP.match(sentence, t.end):
            continue
        if t.first is not None and t.first == t.last:
            return t.first.weekday()
        named = [i for i, day in enumerate(WEEKDAYS) if day in t.as_written.lower()]
        if named:
            return named[0]
    return None


def weekdays_conflict(vector: ArticleVector, members: Sequence[ArticleVector]) -> bool:
    """True when a lead gives its news a weekday no member of a story gives its own, and the report
    or a member stating a weekday is undated (dated reports are compared by their dates)."""
    if vector.weekday is None:
        return False
    stated = [m for m in members if m.weekday is not None]
    if not stated or any(m.weekday == vector.weekday for m in stated):
        return False
    return vector.date is None or any(m.date is None for m in stated)


def story_places_conflict(vector: ArticleVector, members: Sequence[ArticleVector]) -> bool:
    """True when the lead places its news in a country that conflicts with every member of a story
    that places its own (see ``places_conflict``): members that name no country do not bridge it."""
    if vector.country is None:
        return False
    stated = [m for m in members if m.country is not None]
    return bool(stated) and all(places_conflict(vector, m) for m in stated)


#: Days from every dated report of a story past which a dated report reads as another event (set by
#: reasoning: reports of one event come within days of it; the same kind of news a week apart is news of
#: another one, the stream's window keeping stories open far longer for their follow-ups).
STORY_DAYS_APART = 7


def story_dates_conflict(vector: ArticleVector, members: Sequence[ArticleVector]) -> bool:
    """True when a dated report is more than ``STORY_DAYS_APART`` days from every dated member of a story."""
    if vector.date is None:
        return False
    gaps = [abs((vector.date - m.date).days) for m in members if m.date is not None]
    return bool(gaps) and min(gaps) > STORY_DAYS_APART


def deals_conflict(a: ArticleVector, b: ArticleVector) -> bool:
    """True when both leads report a purchase and neither names what the other's buyer buys (two deals)."""
    if not a.deals or not b.deals or a.deals & b.deals:
        return False
    lead_a, lead_b = a.lead.lower(), b.lead.lower()
    return not any(re.search(rf"\b{re.escape(t)}\b", lead_a) for t in b.deals) and not any(
        re.search(rf"\b{re.escape(t)}\b", lead_b) for t in a.deals
    )


def idf(df: int, n: int) -> float:
    """Smoothed inverse document frequency."""
    return math.log((n + 1) / (df + 1)) + 1.0


def weigh(vector: ArticleVector, df: Mapping[str, int], n: int) -> None:
    """Give ``vector`` unit-length tf-idf term weights and idf weights for its names."""
    weights = {t: (1 + math.log(c)) * idf(df.get(t, 0), n) for t, c in vector.counts.items()}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    vector.terms = {t: w / norm for t, w in top}
    # Sorted, so that sums over names do not depend on the order of a set (Python's string hashing).
    vector.name_weight = {name: idf(df.get("~" + name, 0), n) for name in sorted(vector.names)}


def name_overlap(a: ArticleVector, b: ArticleVector) -> float:
    """Idf-weighted share of names in common, relative to the smaller set."""
    shared = a.names & b.names
    if not shared:
        return 0.0
    weight_a = sum(a.name_weight.values()) or 1.0
    weight_b = sum(b.name_weight.values()) or 1.0
    common = sum(max(a.name_weight.get(s, 1.0), b.name_weight.get(s, 1.0)) for s in sorted(shared))
    return min(1.0, common / min(weight_a, weight_b))


FEATURES = ("terms", "embedding", "names", "numbers", "days", "dated")


def pair_features(a: ArticleVector, b: ArticleVector) -> np.ndarray:
    """Similarity features of two articles, in the order of ``FEATURES``."""
    terms = cosine(a.terms, b.terms)
    emb = float(a.embedding @ b.embedding) if a.embedding is not None and b.embedding is not None else terms
    names = name_overlap(a, b)
    numbers = (
        len(a.numbers & b.numbers) / math.sqrt(len(a.numbers) * len(b.numbers)) if a.numbers and b.numbers else 0.0
    )
    dated = a.date is not None and b.date is not None
    days = math.log1p(abs((a.date - b.date).days)) if dated else 0.0  # type: ignore[operator]
    return np.array([terms, emb, names, numbers, days, float(dated)], dtype=np.float64)


#: Logistic weights for FEATURES and the intercept. Set by bench/fit_similarity.py on DUC 2007
#: (a dev set: pairs from one cluster against pairs from different clusters), never on the sets we report.
WEIGHTS = np.array([9.879, 6.890, 4.407, 0.630, -0.195, 1.666])
INTERCEPT = -4.215


#: How much a conflict of places lowers the log-odds of one story: an event happens in one place, and two
#: leads placing their news in different countries, neither naming the other's, report two events.
#: Set by reasoning, not fitted (DUC 2007, where the weights come from, has no look-alike events).
#: It applies to event stories (a time window): without one, clustering follows a topic across years
#: and places (an archive, a DUC topic collection), and places do not conflict.
PLACE_CONFLICT = 4.0
#: The same for two purchases: leads reporting deals for different targets report two deals (an
#: acquirer's two purchases of one week), whatever else they share. Set by reasoning, like PLACE_CONFLICT.
DEAL_CONFLICT = 4.0


#: The same for two leads putting their news at different places (a town, a street, a mountain), neither
#: article naming the other's (``local_places_conflict``): what tells two events of one kind in one country
#: apart. Half the weight of countries, by reasoning: one report may name a smaller or larger place than
#: the other and never repeat the other's.
LOCAL_PLACE_CONFLICT = 2.0


#: The same for a lead giving its news a weekday that no report of a story gives its own (``killed on
#: Saturday`` against ``on Thursday``) where a report carries no date: the one time evidence an undated
#: report gives (see ``weekdays_conflict``). Set by reasoning; smaller than the others, as a weekday may
#: be a later step of the same news.
WEEKDAY_CONFLICT = 2.0
#: The same for a lead placing its news in a country no member of a story that places its own allows
#: (``story_places_conflict``): members that name no country leave the pairwise ``PLACE_CONFLICT`` unused,
#: so the story as a whole is weighed. Half the pairwise weight, by reasoning: the silent members may be right.
STORY_PLACE_CONFLICT = 2.0
#: The same for a dated report more than ``STORY_DAYS_APART`` days from every dated report of a story
#: (``story_dates_conflict``): the days of the news conflict.
STORY_DATE_CONFLICT = 2.0


def same_story_probability(features: np.ndarray, conflict: float = 0.0) -> float:
    """Probability that two articles report the same story (``conflict``: log-odds taken off for conflicts)."""
    return _logistic(_log_odds(features) - conflict)


def _log_odds(features: np.ndarray) -> float:
    return float(features @ WEIGHTS + INTERCEPT)


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def places_conflict(a: ArticleVector, b: ArticleVector) -> bool:
    """True when the two leads place their news in different countries and neither names the other's."""
    if a.country is None or b.country is None or a.country == b.country:
        return False
    return a.country not in b.countries and b.country not in a.countries


def pair_evidence(a: ArticleVector, b: ArticleVector, *, events: bool = True) -> tuple[float, float]:
    """What two articles alone say of one story: the log-odds of their similarity, and the log-odds
    that places or deals rule out (``events``). (A clusterer may keep it: it never changes for a pair.)"""
    off = 0.0
    if events:
        off += PLACE_CONFLICT if places_conflict(a, b) else 0.0
        off += DEAL_CONFLICT if deals_conflict(a, b) else 0.0
        off += LOCAL_PLACE_CONFLICT if local_places_conflict(a, b) else 0.0
    return _log_odds(pair_features(a, b)), off


def probability_of(evidence: tuple[float, float], conflict: float = 0.0) -> float:
    """Same-story probability from :func:`pair_evidence`, less ``conflict``, log-odds a caller takes off."""
    z, off = evidence
    return _logistic(z - (conflict + off))


def pair_probability(a: ArticleVector, b: ArticleVector, *, events: bool = True, conflict: float = 0.0) -> float:
    """Same-story probability of two articles: their similarity, less what places or deals rule out (``events``)
    and ``conflict``, log-odds a caller takes off (a story's weekday)."""
    return probability_of(pair_evidence(a, b, events=events), conflict)
