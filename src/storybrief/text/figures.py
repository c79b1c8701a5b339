"""Quantities in sentences: how many of what underwent what, read off the dependency parse.

``More than 40 Syrian soldiers … were killed`` gives a :class:`~storybrief.model.Figure`
with value 40, qualifier ``more than`` (the interval (40, ∞)), predicate ``kill``
(event class ``killed``), counted group ``syrian`` (the phrase ``Syrian
soldiers``), and, where the sentence says so, the agent, place, time and the
speaker the figure is attributed to. Numbers are read in digits and words
(``48``, ``70,000``, ``nine``, ``a dozen``, ``dozens``, ``hundreds of thousands``,
``two-thirds``). Money, percentages, fractions and ages are recognised as such
and kept apart from head counts; dates, times and measures are left out.
"""

from __future__ import annotations

import itertools
import math
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Figure, Interval
from .nlp import entities_in, entity_at
from .units import CURRENCY_SYMBOLS, MONEY_ONLY_SCALES, SCALES, Unit, base_value, currency, measure_unit, multiple

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
#: Scale words that build a number written in words ("two hundred", "3 million"); all scales are in units.SCALES.
_SCALES = {word: SCALES[word] for word in ("hundred", "thousand", "million", "billion")}
#: Plural round numbers that name a range: "dozens" is 24 to 143, "hundreds of thousands" 200,000 to 999,999.
_VAGUE = {"dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25}
#: Words before a number that bound it, longest first, and how.
QUALIFIERS: dict[str, str] = {
    "more than": "min_exclusive", "over": "min_exclusive", "upwards of": "min_exclusive",
    "at least": "min", "no fewer than": "min", "no less than": "min",
    "fewer than": "max_exclusive", "less than": "max_exclusive", "under": "max_exclusive",
    "at most": "max", "up to": "max", "as many as": "max", "no more than": "max",
    "an estimated": "approx", "estimated": "approx", "some": "approx", "about": "approx", "around": "approx",
    "nearly": "approx", "almost": "approx", "roughly": "approx", "approximately": "approx",
    "all": "exact", "all of the": "exact", "exactly": "exact",
}  # fmt: skip
_QUALIFIER_ORDER = sorted(QUALIFIERS, key=lambda q: -len(q.split()))
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")
#: A number as one token: an optional currency symbol, digits (thousands by commas, the Indian 1,00,000,
#: a decimal comma as in "7,2"), and an optional unit or scale stuck to it ("4.75bn", "10.31sec", "12km").
_NUMBER_TOKEN = re.compile(
    r"^(?P<cur>US\$|A\$|C\$|\$|€|£|¥|₹|Rs\.?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d{2})+,\d{3}|\d+,\d{1,2}(?!\d)|\d*\.\d+|\d+)"
    r"(?P<suf>[A-Za-z/%]+)?$"
)

#: Event classes and the verb (or adjective) lemmas that express them.
EVENTS: dict[str, frozenset[str]] = {
    "killed": frozenset(
        "kill die dead slay massacre murder execute annihilate behead shoot perish drown lose claim".split()
    ),
    "wounded": frozenset("wound injure hurt maim".split()),
    "missing": frozenset("miss disappear vanish".split()),
    "arrested": frozenset("arrest detain capture jail imprison round seize hold".split()),
    "fled": frozenset("flee cross escape hand surrender defect seek".split()),
    "displaced": frozenset("displace uproot".split()),
    "evacuated": frozenset("evacuate rescue".split()),
    "destroyed": frozenset("destroy damage burn raze demolish".split()),
    "attended": frozenset("attend gather rally march protest participate".split()),
    "hospitalized": frozenset("hospitalize hospitalise".split()),
    "voted": frozenset("vote elect".split()),
    "paid": frozenset("pay cost spend fine donate award".split()),
    "survived": frozenset("survive".split()),
    "infected": frozenset("infect".split()),
    "quarantined": frozenset("quarantine isolate".split()),
    "critical": frozenset(),  # "twelve were in a critical condition": read from the phrase
    "closed": frozenset("close shut".split()),
}
_EVENT_OF = {lemma: name for name, lemmas in EVENTS.items() for lemma in lemmas}
#: Verbs that report another verb (``were reported killed``) or attribute a statement to a speaker.
_REPORTING = frozenset(
    "report say claim believe confirm fear think know see tell announce state add according estimate put".split()
)
_PLACES = frozenset({"GPE", "LOC", "FAC"})


def number_value(text: str) -> float | None:
    """The value of a number in digits or words (``48``, ``70,000``, ``1,00,000``, ``nine``, ``two hundred``)."""
    clean = text.lower().replace("-", " ").strip()
    if clean.startswith("half a ") and (whole := number_value(clean[7:])) is not None:
        return whole / 2  # "half a million"
    if clean.startswith("a ") and clean[2:] in _UNITS | _SCALES:
        clean = clean[2:]  # "a dozen", "a hundred"
    if _DIGITS.match(clean):
        return float(clean.replace(",", ""))
    if re.fullmatch(r"\d{1,2}(?:,\d{2})+,\d{3}", clean):
        return float(clean.replace(",", ""))  # Indian grouping: 1,00,000
    if re.fullmatch(r"\d+,\d{1,2}", clean):
        return float(clean.replace(",", "."))  # a decimal comma: 7,2
    if re.fullmatch(r"\d+(?:\.\d+)?\s+(?:million|billion|thousand)", clean):
        number, scale = clean.split()
        return float(number) * _SCALES[scale]
    total, current = 0.0, 0.0
    seen = False
    words = clean.split()
    for k, word in enumerate(words):
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word == "half" and seen and k >= 2 and words[k - 1] == "a" and words[k - 2] == "and":
            current += 0.5  # "four and a half"
        elif word in _SCALES:
            current = max(current, 1.0) * _SCALES[word]
            seen = True
            if _SCALES[word] >= 1000:
                total, current = total + current, 0.0
        elif word not in ("and", "a"):
            return None
    return total + current if seen else None


def bound_interval(bound: str, value: float, high: float | None = None) -> Interval:
    """The interval a bound describes (``min_exclusive`` 40 is (40, ∞))."""
    if high is not None:
        return Interval(value, high)
    return {
        "exact": Interval(value, value),
        "approx": Interval(value * 0.85, value * 1.15, approx=True),
        "min": Interval(value, math.inf, True, False),
        "min_exclusive": Interval(value, math.inf, False, False),
        "max": Interval(0.0, value),
        "max_exclusive": Interval(0.0, value, True, False),
    }[bound]


def _qualifier(doc: Any, start: int) -> tuple[str, int]:
    """The qualifier that ends just before token ``start``, and the token where it begins."""
    before = " ".join(t.lower_ for t in doc[max(0, start - 3) : start])
    for q in _QUALIFIER_ORDER:
        if before == q or before.endswith(" " + q):
            return q, start - len(q.split())
    return "", start


def _noun(number: Any) -> Any:
    """The noun a number counts (itself when it stands alone: ``all 48 of the Syrians``)."""
    if _ORDINAL.fullmatch(number.text) and number.head is not number and number.head.pos_ == "NOUN":
        return number.head  # "its 23rd death"
    if number.dep_ in ("nummod", "quantmod", "compound") and number.head is not number:
        return _noun(number.head) if number.head.like_num else number.head
    return number


def _counted(number: Any) -> Any:
    """The counted noun, following ``48 of the Syrians`` and ``48 Syrians and 9 Iraqis``."""
    noun = _noun(number)
    if noun.like_num or noun.pos_ == "NUM":
        of = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
        objects = [g for p in of for g in p.children if g.dep_ == "pobj"]
        if objects:
            return objects[0]
        if noun.dep_ == "conj" and noun.head.like_num:
            return _counted(noun.head)
    while noun.dep_ == "compound" and noun.head.pos_ == "NOUN" and noun.head.i > noun.i:
        noun = noun.head  # "seven city council buildings" count buildings
    return noun


def _ancestors(token: Any, steps: int) -> Iterator[Any]:
    """The heads above ``token``, nearest first, at most ``steps`` of them (the root is its own head)."""
    node = token
    for _ in range(steps):
        if node is None or node.head is node:
            return
        node = node.head
        yield node


def _verb_above(token: Any) -> Any:
    """The nearest verb above ``token`` that is not a copula, or None."""
    return next((n for n in _ancestors(token, 6) if n.pos_ in ("VERB", "AUX") and n.lemma_ not in ("be", "have")), None)


#: Counted nouns that name the event themselves ("12 deaths", "30 injuries"), and the group they count.
NOUN_EVENTS = {
    "death": "killed", "fatality": "killed", "dead": "killed", "casualty": "killed", "body": "killed",
    "injury": "wounded", "injured": "wounded", "wounded": "wounded",
    "arrest": "arrested", "evacuee": "evacuated", "refugee": "displaced", "vote": "voted",
    "survivor": "survived", "infection": "infected",
}  # fmt: skip
#: Counted nouns that say who took part, when no verb says what happened to them ("1.2 million marchers").
PARTICIPANT_NOUNS = frozenset("participant marcher demonstrator protester protestor attendee spectator".split())


def event_of(lemma: str) -> str | None:
    """The event class a verb, adjective or noun of happening names ("killed", "dead", "injured"), or None."""
    return _EVENT_OF.get(lemma) or NOUN_EVENTS.get(lemma)


def _participle(noun: Any) -> Any:
    """A word of happening right after a bare number or on its noun: "with 42 injured", "30 people killed"."""
    doc = noun.doc
    for child in noun.children:
        if child.dep_ in ("acl", "amod", "relcl") and child.i > noun.i and event_of(child.lemma_.lower()):
            return child
    if noun.dep_ == "ROOT":
        # "Only nine people, a child included, survived": the parser hangs the verb on the aside
        for aside in (c for c in noun.children if c.dep_ == "appos"):
            for child in aside.children:
                if child.dep_ in ("acl", "relcl") and event_of(child.lemma_.lower()):
                    return child
    if noun.like_num and noun.i + 1 < len(doc):
        after = doc[noun.i + 1]
        if after.tag_ in ("VBN", "JJ") and event_of(after.lemma_.lower()) is not None:
            return after
    return None


def _on_board(noun: Any) -> Any:
    """The word "board" or "aboard" when it closes the counted phrase ("with 90 passengers on board"), else None."""
    doc = noun.doc
    end = noun.right_edge.i  # in or after the whole phrase: "with 90 passengers and seven crew on board"
    for k in range(noun.i + 1, min(len(doc), end + 4)):
        if doc[k].lower_ == "aboard" or (doc[k].lower_ == "board" and doc[k - 1].lower_ == "on"):
            return doc[k]
        if doc[k].pos_ in ("VERB", "AUX") and doc[k].i > end:
            return None
    return None


def _complement(noun: Any) -> Any:
    """A word after the counted group that says what happened to it: "left 17 people dead", "30 are injured"."""
    if noun.dep_ not in ("nsubj", "nsubjpass", "dobj") or noun.head.i == noun.i:
        return None
    for child in noun.head.children:
        if (
            child.dep_ in ("acomp", "oprd", "xcomp", "ccomp")
            and child.i > noun.i
            and child.pos_ in ("ADJ", "VERB")
            and event_of(child.lemma_.lower()) is not None
        ):
            return child
    return None


def _includes(token: Any) -> bool:
    """ "including" set after a noun: the count it takes is part of that noun's (not the main verb "includes")."""
    return bool(token.lemma_ == "include" and token.head.i != token.i and token.dep_ in ("prep", "acl", "advcl"))


def _predicate_token(number: Any, noun: Any) -> Any:
    """The token that says what happened to the counted group (None when the figure describes a thing)."""
    first = noun
    while True:
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "with 90 passengers and seven crew": the crew are had as the passengers are
        including = first.head
        if first.dep_ in ("pobj", "dobj") and _includes(including) and including.head.pos_ in ("NOUN", "PROPN"):
            first = including.head  # "90 passengers, including three infants": had as the passengers are
            continue
        break
    verb = _verb_above(number)
    while verb is not None and _includes(verb):
        verb = _verb_above(verb)  # "killed 20 people, including five children": the children were killed
    if (board := _on_board(noun)) is not None and (verb is None or event_of(verb.lemma_.lower()) is None):
        return board  # "with 90 passengers and seven crew on board": who was on board ("killing 41 of them" is not)
    if (
        first.dep_ == "pobj"
        and first.head.lower_ in ("with", "on", "aboard", "carrying")
        and first.head.head.pos_ in ("NOUN", "PROPN")
    ):
        return None  # "a ferry with more than 200 people": what the ferry had, not what happened
    if first.dep_ == "dobj" and first.head.lemma_ in ("carry", "transport", "ferry", "escort", "hold"):
        return None  # "a convoy carrying 48 soldiers who fled": what the convoy carried
    if verb is None or event_of(verb.lemma_.lower()) is None:
        own = _complement(noun) or _participle(noun)
        if own is not None:
            return own  # what happened to them is said next to them, not by the verb above
    if verb is not None and verb.lemma_ in _REPORTING:
        inner = [c for c in verb.children if c.dep_ in ("xcomp", "oprd", "acomp") and c.pos_ in ("VERB", "ADJ")]
        if inner:
            return inner[0]
        if verb.lemma_ == "claim" and any(c.lower_ == "lives" or c.lemma_ == "life" for c in verb.children):
            return verb  # "the war has claimed 70,000 lives"
    if verb is not None and verb.lemma_ not in _REPORTING:
        return verb
    # "were among some 65 soldiers and officials who handed themselves over"; "the 13 people dead"
    for head in (noun, *noun.conjuncts):
        for child in head.children:
            if child.dep_ in ("relcl", "acl", "amod") and child.pos_ in ("VERB", "ADJ") and child.lemma_ in _EVENT_OF:
                return child
        for child in head.children:
            if child.dep_ in ("relcl", "acl") and child.pos_ == "VERB":
                return child
    if noun.head.pos_ == "ADJ" and noun.head.lemma_ in _EVENT_OF:
        return noun.head  # "13 people are dead"
    return verb


#: Heads that name no group of their own next to a figure: the people of the event in context.
_GENERIC = frozenset(
    {"people", "person", "other", "others", "individual", "one", "more", "they", "them", "those", "who"}
)


def _kinds_of(noun: Any, group: str) -> frozenset[str]:
    """The nouns before a counted noun that say which of its kind ("city council" buildings,
    "office" blocks), without words of happening ("death" toll) or the group itself ("crew" members)."""
    out = set()
    stack = [c for c in noun.lefts if c.dep_ in ("compound", "amod")]
    while stack:
        child = stack.pop()
        stack += [c for c in child.lefts if c.dep_ in ("compound", "amod")]  # "city council"
        word = child.lemma_.lower()
        if child.dep_ == "compound" and child.text[:1].islower() and child.pos_ == "NOUN" and event_of(word) is None:
            out.add(word)
    return frozenset(out - {group})


def group_of(noun: Any, span: Any) -> str:
    """What a noun phrase counts: a nationality or proper adjective if the phrase has one, else its noun.

    A bare noun takes the nationality the same sentence gives it elsewhere
    ("The killed Syrian soldiers were among some 65 soldiers …" counts Syrians),
    and a conjunct takes its head's ("65 soldiers and officials").
    """
    proper = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.text[:1].isupper() and not c.like_num]
    if (noun.text[:1].isupper() and noun.pos_ == "PROPN") or noun.ent_type_ == "NORP":
        proper.append(noun)
    own_number = any(t.like_num for t in noun.subtree if t.i < noun.i)  # "six temples and four schools"
    if not proper and noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN") and not own_number:
        return group_of(noun.head, span)  # "65 soldiers and officials" are counted as soldiers are
    if not proper and noun.lemma_.lower() == "member":
        groups = [c for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
        if noun.dep_ in ("compound", "amod") and noun.head.pos_ == "NOUN":
            groups.append(noun.head)  # "a seven-member crew"
        if groups:
            return str(groups[0].lemma_).lower()  # "seven crew members" count the crew
    if not proper:
        for token in span:
            if token.lemma_ == noun.lemma_ and token.i != noun.i:
                proper = [c for c in token.children if c.dep_ == "amod" and c.ent_type_ == "NORP"]
                if proper:
                    break
    word = proper[0] if proper else noun
    lemma = str(word.lemma_ or word.text).lower()
    if not proper and (lemma in _GENERIC or word.like_num):
        return "people"  # "30 others", "persons", a toll's bare figure: the people the event happened to
    return lemma[:-1] if lemma.endswith("s") and word.text[:1].isupper() else lemma


def _phrase(number: Any, noun: Any) -> str:
    """The counted noun phrase with its modifiers and conjuncts, without the number."""
    if noun.like_num:
        return ""
    tokens = [t for t in noun.subtree if t.dep_ not in ("relcl", "acl", "punct", "prep", "appos", "det")]
    tokens = [
        t
        for t in tokens
        if not any(
            a.dep_ in ("relcl", "acl", "prep", "appos") for a in t.ancestors if a in noun.subtree and a is not noun
        )
    ]
    # a stray mark the parser hangs elsewhere than ``punct`` ("." as a modifier) is not a word of the phrase
    words = [
        t.text for t in sorted(tokens, key=lambda t: t.i) if (t.i > number.i or t is noun) and t.text[:1].isalnum()
    ]
    return " ".join(words)


def _speaker(span: Any, predicate: Any) -> str | None:
    """Who the sentence attributes the figure to: the subject of a reporting verb, or ``according to X``."""
    for token in span:
        if token.lower_ == "according" and token.nbor(1).lower_ == "to" if token.i + 1 < len(token.doc) else False:
            objects = [t for t in token.nbor(1).children if t.dep_ == "pobj"]
            if objects:
                return _words(objects[0])
    # the predicate itself may report the figure ("police estimated 4,000 marchers"), else a verb above it does
    for node in itertools.chain([predicate] if predicate is not None else [], _ancestors(predicate, 6)):
        if node.lemma_ in _REPORTING:
            subjects = [c for c in node.children if c.dep_ == "nsubj" and not _has_number(c)]
            if subjects:
                return _words(subjects[0])
    root = span.root
    if root.lemma_ in _REPORTING and root is not predicate:
        subjects = [c for c in root.children if c.dep_ == "nsubj" and not _has_number(c)]
        if subjects:
            return _words(subjects[0])
    return None


def _has_number(token: Any) -> bool:
    return any(t.like_num for t in token.subtree)


def _words(token: Any) -> str:
    """The phrase under ``token`` as written."""
    return str(token.doc[token.left_edge.i : token.right_edge.i + 1].text)


def _where_when(predicate: Any, span: Any) -> tuple[str | None, str | None]:
    """The place and time the sentence gives for the event.

    The place is one the predicate's own clause names ("killed in Dunmore"); the
    time may come from elsewhere in the sentence when the clause has none.
    """
    ents = [e for e in entities_in(span) if e.label_ in _PLACES or e.label_ in ("DATE", "TIME")]
    if not ents:
        return None, None
    # A relative clause dates its own verb ("the unit, which it bought in 2009, … for $2.1 billion").
    relative: set[int] = set()
    for head in (t for t in span if t.dep_ == "relcl"):
        clause = {t.i for t in head.subtree}
        if predicate is None or predicate.i not in clause:
            relative |= clause
    ents = [e for e in ents if e.label_ in _PLACES or not any(i in relative for i in range(e.start, e.end))]
    under = {t.i for t in predicate.subtree} if predicate is not None else set()
    place = time = None
    for inside in (True, False):
        for ent in ents:
            if inside and not any(i in under for i in range(ent.start, ent.end)):
                continue
            if inside and place is None and ent.label_ in _PLACES:
                place = ent.text
            if time is None and ent.label_ in ("DATE", "TIME"):
                time = ent.text
    return place, time


def _agent(predicate: Any, noun: Any) -> str | None:
    """Who did it, when the sentence says: the ``by`` agent of a passive, or the subject of an active verb."""
    if predicate is None:
        return None
    for child in predicate.children:
        if child.dep_ == "agent":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and objects[0].pos_ != "PRON":
                return _words(objects[0])
        if child.dep_ == "nsubj" and child is not noun and noun not in child.subtree and child.pos_ != "PRON":
            return _words(child)
    return None


def _kind(words: Any, doc: Any) -> str:
    ent = words[0].ent_type_
    after = doc[words.end].lower_ if words.end < len(doc) else ""
    if ent == "MONEY" or words[0].text[:1] in "$€£¥" or after in ("dollars", "euros", "pounds", "yuan"):
        return "money"
    per_cent = after == "per" and words.end + 1 < len(doc) and doc[words.end + 1].lower_ == "cent"
    if ent == "PERCENT" or after in ("percent", "%") or per_cent:
        return "percent"
    if after in ("year", "years") and words.end + 1 < len(doc) and doc[words.end + 1].lower_ == "old":
        return "age"
    if words.start > 0 and doc[words.start - 1].lower_ in ("aged", "age"):
        return "age"
    return "count"


@dataclass(frozen=True, slots=True)
class _Number:
    """A number as read from the tokens: where it is, its value, and what it is a number of."""

    start: int  # first token of the number (currency symbol or qualifier excluded)
    end: int  # one past its last token (unit and currency words included)
    last: int  # the token the parse attaches the phrase by (the unit's noun, or the last number word)
    value: float
    high: float | None  # "between 10 and 20"
    vague: bool  # "dozens", "hundreds of thousands"
    kind: str  # count, money, percent, measure, age, magnitude, fraction
    unit: Unit | None
    rounding: float  # half the last written digit of a scaled figure ("13.2 million": 50,000)


def _digits(token: Any) -> tuple[str | None, float, str] | None:
    """(currency, value, what is stuck after the digits) of a token written in digits, or None."""
    match = _NUMBER_TOKEN.match(token.text)
    if not match:
        return None
    value = number_value(match["num"])
    if value is None:
        return None
    return (currency(match["cur"]) if match["cur"] else None, value, match["suf"] or "")


def _scale_of(word: str, money: bool) -> float | None:
    low = word.lower().strip(".")
    if low in SCALES and (money or low not in MONEY_ONLY_SCALES):
        return SCALES[low]
    return None


def _word_number(token: Any) -> bool:
    """A number written as a word ("nine"), not in digits."""
    return bool(token.like_num) and _digits(token) is None


def _skip_hyphen(doc: Any, j: int, end: int) -> int:
    return j + 1 if j < end and doc[j].text == "-" else j


_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)", re.IGNORECASE)


def _tally(doc: Any, i: int, span: Any) -> _Number | None:
    """An ordinal that counts a toll so far: "its 23rd death", "the 120th case" (23 deaths, 120 cases)."""
    match = _ORDINAL.fullmatch(doc[i].text)
    if not match or i + 1 >= span.end:
        return None
    noun = doc[i + 1]
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in NOUN_EVENTS or noun.lemma_.lower() == "vote":
        return None
    return _Number(i, i + 1, i, float(match.group(1)), None, False, "count", None, 0.0)


_STUCK_MAGNITUDE = re.compile(r"magnitude-(\d(?:[.,]\d)?)")


def _read(span: Any, i: int) -> _Number | None:
    """The number that starts at token ``i`` with its currency, scale and unit, or None."""
    doc = span.doc
    token = doc[i]
    if stuck := _STUCK_MAGNITUDE.fullmatch(token.lower_):
        size = float(stuck.group(1).replace(",", "."))  # "a magnitude-6.1 quake", one token
        return _Number(i, i + 1, i, size, None, False, "magnitude", Unit("magnitude", "magnitude"), 0.05)
    digits = _digits(token)
    vague = token.lower_ in _VAGUE
    if digits is None and not vague and not (token.like_num or token.lower_ == "dozen"):
        return None
    if (tally := _tally(doc, i, span)) is not None:
        return tally
    if token.ent_type_ == "ORDINAL" or (i > span.start and doc[i - 1].text in ("#", "No.")):
        return None
    cur = digits[0] if digits else None
    suffix = digits[2] if digits else ""
    j = i + 1
    words = [str(digits[1]) if digits else token.text]
    if vague:
        while j + 1 < span.end and doc[j].lower_ == "of" and doc[j + 1].lower_ in _VAGUE:
            words += ["of", doc[j + 1].text]
            j += 2  # "tens of thousands", "hundreds of thousands"
    elif not suffix:
        while j < span.end:
            nxt = doc[j].lower_
            if (doc[j].like_num and _digits(doc[j]) is None and nxt not in _VAGUE) or nxt in _SCALES:
                words.append(doc[j].text)
                j += 1
            elif nxt == "-" and digits is None and j + 1 < span.end and _word_number(doc[j + 1]):
                words.append(doc[j + 1].text)  # "Thirty-one" split at its hyphen
                j += 2
            elif nxt == "and" and j + 2 < span.end and doc[j + 1].lower_ == "a" and doc[j + 2].lower_ == "half":
                words += ["and", "a", "half"]
                j += 3
            elif [t.lower_ for t in doc[j : min(j + 6, span.end)]] == ["-", "and", "-", "a", "-", "half"]:
                words += ["and", "a", "half"]  # "a two-and-a-half-year-old jet"
                j += 6
            else:
                break
    words_last = j - 1  # the last token of the number itself
    first = i  # where the number's words begin ("a million": at "a")
    if i > span.start and doc[i - 1].lower_ == "a" and token.lower_ in ("dozen", "hundred", "thousand", "million"):
        words.insert(0, "a")
        first = i - 1
        if first > span.start and doc[first - 1].lower_ == "half":
            words.insert(0, "half")  # "half a million"
            first -= 1
    part, first = _part_of(doc, first, span, token.lower_ in _SCALES)
    several = token.lower_ in _SCALES and first > span.start and doc[first - 1].lower_ in ("several", "few", "many")
    if several:
        first -= 2 if first - 2 >= span.start and doc[first - 2].lower_ == "a" else 1  # "a few million"
    if vague:
        low = float(math.prod(_VAGUE.get(w.lower(), 1) for w in words if w.lower() != "of"))
        value: float | None = low
    else:
        value = number_value(" ".join(words)) if not digits or len(words) > 1 else digits[1]
        if value is None and digits:
            value = digits[1]
    if value is None:
        return None
    value *= part
    before = doc[i - 1] if i > span.start else None
    if cur is None and before is not None:
        cur = CURRENCY_SYMBOLS.get(before.lower_)  # symbols come before the number, words after it
        if cur is None and before.text == "$" and i - 2 >= span.start and doc[i - 2].lower_ in ("us", "u.s."):
            cur = "USD"
        if cur is None and before.text == "." and i - 2 >= span.start:
            cur = CURRENCY_SYMBOLS.get(doc[i - 2].lower_ + ".")  # "Rs. 2,50,000" split at its full stop
    # Scale stuck to the digits ("4.75bn") or written after them ("4.75 billion", "320 crore").
    scale, decimals = 1.0, len(words[0].split(".")[1]) if "." in words[0] and digits else 0
    if suffix and (found := _scale_of(suffix, cur is not None)) is not None:
        scale, suffix = found, ""
    elif (
        j < span.end
        and not vague
        and (found := _scale_of(doc[h := _skip_hyphen(doc, j, span.end - 1)].text, cur is not None)) is not None
        and (doc[h].lower_ not in _SCALES or len(words) == 1)
    ):
        scale = found  # "4.75 billion", "320 crore", "Rs 1-lakh"
        j = h + 1
    kind, unit = "count", None
    after = doc[j].lower_ if j < span.end else ""
    if after in _FRACTIONS and j + 1 < span.end and doc[j + 1].lower_ == "of":
        return None  # "three quarters of a million": the number is read at its scale word
    if cur is None and (code := currency(after)) is not None and not (after.startswith("pound") and _weighs(doc, j)):
        cur, j = code, j + 1
    elif cur is None and after in ("us", "u.s.") and j + 1 < span.end and currency(doc[j + 1].text) == "USD":
        cur, j = "USD", j + 2  # "58 million US dollars"
    if cur is not None:
        kind, unit = "money", Unit(cur, "money")
        if j < span.end and doc[j].lower_ in ("us", "u.s."):
            j += 1  # "$8.4 billion US"
    else:
        k = j
        word = suffix or (doc[_skip_hyphen(doc, k, span.end)].text if k < span.end else "")
        if not suffix:
            k = _skip_hyphen(doc, k, span.end)
        if word.lower() in ("percent", "%", "pc") or (
            word.lower() == "per" and k + 1 < span.end and doc[k + 1].lower_ == "cent"
        ):
            kind, unit = "percent", Unit("%", "percent")
            j = k + (2 if word.lower() == "per" else 0 if suffix else 1)
        elif word.lower() == "magnitude" or _magnitude_before(doc, i, span) or _richter_after(doc, k, span):
            kind, unit = "magnitude", Unit("magnitude", "magnitude")
            j = k + (1 if word.lower() == "magnitude" and not suffix else 0)
        elif (factor := multiple(word)) is not None:
            kind, unit, value = "measure", measure_unit(factor[1]), value * factor[0]
            j = k + (0 if suffix else 1)
        elif (found_unit := measure_unit(word)) is not None:
            kind, unit = "measure", found_unit
            j = k + (0 if suffix else 1)
            per_at = _per_after(doc, j, span)
            if per_at is not None and (per := measure_unit(doc[per_at + 1].text)) is not None:
                speed = measure_unit(f"{unit.pint_name}/{per.pint_name}".replace("_", ""))
                if speed is not None:
                    unit = speed  # "80 kilometres per hour", "80 kilometres (50 miles) per hour"
                    j = j + 2 if per_at == j else j
        elif suffix:
            return None  # "3G", "A380": letters stuck to digits that name no unit
    if kind == "measure" and unit is not None and unit.dimension == "duration":
        k = _skip_hyphen(doc, j, span.end)
        if k < span.end and doc[k].lower_ == "old":
            kind, j = "age", k + 1  # "the 71-year-old", "a 31-year old driver"
    if kind == "count" and before is not None and before.lower_ == "aged":
        kind, unit = "age", measure_unit("years")
    if kind == "count" and _apposed_age(doc, i, j, span):
        kind, unit = "age", measure_unit("years")
    if kind == "count" and token.ent_type_ in ("DATE", "TIME") and not _lone_number_past_days(doc, i, value):
        return None  # a day of the month, a year, a clock time
    if kind == "count" and not vague and 1900 <= value <= 2100 and "," not in token.text and scale == 1.0:
        return None  # a year
    if kind == "count" and not vague and value < 2 and not token.text[:1].isdigit():
        return None  # "one" is more often a pronoun than a count
    last = j - 1 if kind in ("measure", "money", "percent", "age") and j - 1 >= i else words_last
    # A figure is as precise as it is written: "13.2 million" is 13.15 to 13.25 million, "10 km" 9.5 to 10.5 km
    # (a head count is exact as it stands).
    rounding = 0.5 * 10.0 ** (-decimals) * scale if scale >= 1e5 or kind in ("measure", "magnitude") else 0.0
    written = math.prod(_SCALES.get(w.lower(), 1) for w in words[1:])  # "13.2 million": the scale as a word
    if decimals and written >= 1e5:
        rounding = 0.5 * 10.0 ** (-decimals) * written * scale
    # "several thousand" is read as "thousands" is: at least twice the scale
    vague = vague or (several and kind == "count")
    return _Number(first, j, min(last, span.end - 1), value * scale, None, vague, kind, unit, rounding)


def _part_of(doc: Any, first: int, span: Any, scale_word: bool) -> tuple[float, int]:
    """A fraction written before a scale word, and where the number then begins: "a quarter of a million"
    is 0.25 of a million, "three quarters of a million" 0.75 (else 1.0 and ``first`` as it was)."""
    k = first - 1
    if not scale_word or k - 1 < span.start or doc[k].lower_ != "of" or doc[k - 1].lower_ not in _FRACTIONS:
        return 1.0, first
    k -= 1
    part = _FRACTIONS[doc[k].lower_]
    if k - 1 >= span.start and (times := number_value(doc[k - 1].lower_)) is not None and times < 10:
        return part * times, k - 1  # "three quarters", "two thirds"
    if k - 1 >= span.start and doc[k - 1].lower_ in ("a", "one"):
        return part, k - 1
    return part, k


def _per_after(doc: Any, j: int, span: Any) -> int | None:
    """Where "per" follows a unit: right after it, or after a conversion in brackets ("(50 miles) per hour")."""
    if j + 1 < span.end and doc[j].lower_ == "per":
        return j
    if j + 2 < span.end and doc[j].text == ")" and doc[j + 1].lower_ == "per":
        return j + 1  # the conversion itself: "(50 miles) per hour"
    if j < span.end and doc[j].text == "(":
        close = next((k for k in range(j + 1, min(j + 6, span.end)) if doc[k].text == ")"), None)
        if close is not None and close + 2 < span.end and doc[close + 1].lower_ == "per":
            return close + 1
    return None


def _magnitude_before(doc: Any, i: int, span: Any) -> bool:
    """True for "magnitude 6.1" and "magnitude-6.1"."""
    k = i - 1
    if k > span.start and doc[k].text == "-":
        k -= 1
    return bool(k >= span.start and doc[k].lower_ == "magnitude")


def _richter_after(doc: Any, k: int, span: Any) -> bool:
    """True for "6.1 on the Richter scale"."""
    words = [t.lower_ for t in doc[k : min(span.end, k + 4)]]
    return "richter" in words


_RAISING = frozenset("bring take raise push lift put".split())


def _increment(doc: Any, number: _Number, noun: Any, predicate: Any) -> bool:
    """True for a count added to a toll, not the toll: "two more people died", "another 5", "the two deaths
    bring the number of fatalities to 13"."""
    after = doc[number.end].lower_ if number.end < len(doc) else ""
    before = doc[number.start - 1].lower_ if number.start > 0 else ""
    if after in ("more", "new", "additional", "further") or before in ("another", "additional", "further"):
        return bool(noun.lower_ != "others")  # "an additional 70 others": others than those counted, not more
    return (
        predicate is not None
        and predicate.lemma_.lower() in _RAISING
        and noun.dep_ == "nsubj"
        and noun.head.i == predicate.i
        and any(
            c.dep_ == "prep" and c.lower_ == "to" and any(t.like_num for t in c.subtree) for c in predicate.children
        )
    )


def _event_in_words(last: Any, noun: Any, predicate: Any) -> str:
    """The event of a count whose verb names none, from the words around it, or "other"."""
    event = _event_nearby(last, noun)  # "the death toll has risen to 52"
    if event != "other":
        return event
    if predicate is not None and _in_hospital(predicate):
        return "hospitalized"  # "treated in hospital", "taken to hospital", "admitted to hospitals"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        word = noun.head.head.lemma_.lower()  # "the killing of 40 protesters", "the deaths of 12 miners"
        if found := event_of(word) or (event_of(word[:-3]) if word.endswith("ing") else None):
            return found
    if (predicate is not None and (_took_part(predicate) or _gathering_drew(predicate, noun))) or _in_attendance(
        last, noun
    ):
        return "attended"  # "1.2 million people took part", "the rally drew 90,000", "90,000 on the march"
    return "other"


_GATHERINGS = EVENTS["attended"] | {"demonstration", "crowd", "turnout"}


def _gathering_drew(predicate: Any, noun: Any) -> bool:
    """True when a march or rally is the subject and the count its object: "the rally drew 90,000 people"."""
    if noun.dep_ != "dobj" or noun.head.i != predicate.i:
        return False
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in _GATHERINGS for c in predicate.children)


def _took_part(predicate: Any) -> bool:
    """True for "took part", "turned out", taking to or hitting the streets: how news says people joined a march."""
    lemma = predicate.lemma_.lower()
    objects = {c.lemma_.lower() for c in predicate.children if c.dep_ == "dobj"}
    objects |= {o.lemma_.lower() for c in predicate.children if c.dep_ == "prep" for o in c.children}
    if lemma == "join" and objects & (EVENTS["attended"] | {"demonstration"}):
        return True  # "a million people joined the march"
    if lemma == "turn" and any(c.dep_ == "prt" and c.lower_ == "out" for c in predicate.children):
        return True  # "a quarter of a million fans turned out"
    crowding = ("take", "hit", "fill", "pack", "jam", "throng", "crowd", "flood", "line")  # "fans filled the streets"
    return (lemma == "take" and "part" in objects) or (lemma in crowding and "street" in objects)


def _placed_in(holders: Iterable[Any], preps: tuple[str, ...]) -> Iterator[Any]:
    """The objects of the prepositions ``preps`` on these tokens ("in hospital", "on the march")."""
    for holder in holders:
        if holder is None:
            continue
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in preps:
                yield from (o for o in prep.children if o.dep_ == "pobj")


def _said_of(noun: Any, *others: Any) -> list[Any]:
    """Where a phrase about the counted group hangs: the noun, the given tokens, and the copula the noun is
    the subject of ("30 were in …", "30 people are under …")."""
    out = [noun, *others]
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_ == "be":
        out.append(noun.head)
    return out


def _in_attendance(last: Any, noun: Any) -> bool:
    """True for "90,000 in attendance", "90,000 on the march": the count's own words say they attended."""
    doc = last.doc
    if any(
        head.i + 2 < len(doc) and doc[head.i + 1].lower_ == "in" and doc[head.i + 2].lower_ == "attendance"
        for head in (last, noun)
    ):
        return True
    # "8,000 people on the march", "90,000 were at the rally": the count's own phrase puts them in a gathering
    return any(o.lemma_.lower() in _GATHERINGS for o in _placed_in(_said_of(noun), ("on", "at", "in")))


#: How hospitals grade a patient's condition in what they tell the press.
_CONDITIONS = frozenset({"critical", "serious", "grave", "stable", "life-threatening"})


def _in_condition(last: Any, noun: Any, predicate: Any) -> bool:
    """True when the counted people are said to be in a condition ("twelve were in a critical condition")."""
    return any(
        o.lemma_.lower() == "condition" and any(m.lower_ in _CONDITIONS for m in o.subtree)
        for o in _placed_in(_said_of(noun, predicate, last), ("in",))
    )


def _in_quarantine(predicate: Any, noun: Any) -> bool:
    """True when the verb or the copula puts the counted people under quarantine or in isolation
    ("600 people were being held under quarantine", "70 others are in isolation")."""
    holders = _said_of(noun, predicate)[1:]  # the verb and the copula, not the noun's own phrase
    return any(o.lemma_.lower() in ("quarantine", "isolation") for o in _placed_in(holders, ("under", "in", "into")))


def _in_hospital(predicate: Any) -> bool:
    """True when the verb puts its people in a hospital ("are being treated in hospitals")."""
    return any(o.lemma_.lower() == "hospital" for o in _placed_in([predicate], ("in", "to", "into", "at")))


def _lone_number_past_days(doc: Any, i: int, value: float) -> bool:
    """True for a number the tagger calls a date or a time alone, too large for a day or an hour ("stands at 47")."""
    ent = entity_at(doc, i)
    return ent is not None and len(ent) == 1 and value > 31 and not 1900 <= value <= 2100


def _weighs(doc: Any, j: int) -> bool:
    """True when "pounds" after a number weighs something ("200 pounds of explosives")."""
    return j + 1 < len(doc) and doc[j + 1].lower_ == "of"


def _apposed_age(doc: Any, i: int, j: int, span: Any) -> bool:
    """True for an age set off after a name: "Marta Kovac, 71, …", "Tomas Reyes, 43"."""
    if i - 2 < span.start or doc[i - 1].text != "," or not doc[i].text.isdigit():
        return False
    name = doc[i - 2]
    closed = j >= span.end or doc[j].text in (",", ".", ";", ")")
    # Any proper noun the tagger does not call a number: it often types a rare name as a place or a company.
    numeric = name.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL")
    return bool(closed and name.pos_ == "PROPN" and not numeric and 1 <= float(doc[i].text) < 120)


#: The figures read from each parsed doc's sentences (facts and the summary both read them), weakly keyed
#: by the doc, so they go with it.
_READ: weakref.WeakKeyDictionary[Any, dict[tuple[int, int, str, int], tuple[Figure, ...]]] = weakref.WeakKeyDictionary()


def figures_of(span: Any, article: str, sentence: int) -> list[Figure]:
    """The quantities of a parsed sentence (a spaCy span with tags, a parse and entities), read once."""
    read = _READ.setdefault(span.doc, {})
    key = (span.start, span.end, article, sentence)
    if key not in read:
        read[key] = tuple(_figures_of(span, article, sentence))
    return list(read[key])


def _figures_of(span: Any, article: str, sentence: int) -> list[Figure]:
    doc = span.doc
    out: list[Figure] = []
    i = span.start
    previous: _Number | None = None
    while i < span.end:
        number = _read(span, i)
        if number is None:
            i += 1
            continue
        if (
            number.high is None
            and i > span.start
            and doc[i - 1].lower_ == "between"
            and number.end + 1 < span.end
            and doc[number.end].lower_ == "and"
        ):
            other = _read(span, number.end + 1)
            if other is not None and other.kind == number.kind:
                unit = other.unit if number.unit is None else number.unit
                number = _Number(i, other.end, other.last, number.value, other.value, False, other.kind, unit, 0.0)
        if previous is not None and _conversion(doc, previous, number):
            previous, i = None, number.end  # "70 kilometres (40 miles)": the same figure in another unit
            continue
        figure = _figure(span, number, article, sentence)
        if figure is not None:
            out.append(figure)
        previous, i = number, max(number.end, i + 1)
    return out


def _conversion(doc: Any, previous: _Number, number: _Number) -> bool:
    """True when ``number`` restates ``previous`` in another unit, in brackets right after it.

    A sum in another currency is a figure of its own: sums compare only within one currency.
    """
    if previous.unit is None or number.unit is None or previous.unit.dimension != number.unit.dimension:
        return False
    if previous.unit.dimension == "money" and previous.unit.name != number.unit.name:
        return False
    between = doc[previous.end : number.start].text.strip()
    return between in ("(", "(about", "(around", "(or", ", or") or between.startswith("(")


def _figure(span: Any, number: _Number, article: str, sentence: int) -> Figure | None:
    doc = span.doc
    start_token, last = number.start, doc[number.last]
    fraction = doc[number.end].lower_ if number.end < len(doc) else ""
    value, high = number.value, number.high
    if number.vague:
        value, high, bound = 2 * number.value, 12 * number.value - 1, "min"
    elif fraction in _FRACTIONS and number.kind == "count":
        value, bound = value * _FRACTIONS[fraction], "exact"
    else:
        bound = "exact"
    qualifier, begin = _qualifier(doc, start_token)
    if begin == start_token and start_token > span.start and doc[start_token - 1].lower_ in CURRENCY_SYMBOLS:
        qualifier, begin = _qualifier(doc, start_token - 1)  # "more than $4.3 billion"
        begin = min(begin, start_token - 1)
    if qualifier and high is None:
        bound = QUALIFIERS[qualifier]
    elif "dozen" in (doc[number.start].lower_, doc[min(number.start + 1, len(doc) - 1)].lower_) or (
        number.kind == "count" and any(t.lower_ in _FRACTIONS for t in doc[number.start : number.last + 1])
    ):
        bound = "approx" if bound == "exact" else bound  # "a dozen people", "a quarter of a million" are round
    if high is not None and not number.vague:
        qualifier, bound = "between", "min"
        begin = min(begin, start_token - 1)
    kind = "fraction" if fraction in _FRACTIONS and number.kind == "count" else number.kind
    if kind == "count":
        kind = _kind(doc[number.start : number.last + 1], doc)
    noun = _counted(last)
    if number.vague and number.end + 1 < span.end and doc[number.end].lower_ == "of":
        objects = [g for g in doc[number.end].children if g.dep_ == "pobj"]  # "hundreds of thousands of refugees"
        noun = objects[0] if objects else noun
    if kind == "count" and noun.i == number.start - 1 and noun.pos_ in ("PROPN", "NOUN") and noun.text[:1].isupper():
        return None  # a name's number ("Kestrel 400", "Flight 212", "Runway 9") designates; a count comes first
    predicate = _predicate_token(last, noun)
    lemma = str(predicate.lemma_).lower() if predicate is not None else ""
    event = event_of(lemma) or "other"
    if event == "closed" and predicate is not None and predicate.lower_ not in ("closed", "shut", "closing", "closes"):
        event = "other"  # "close to 9,000", "closer to 90,000": near a figure, not shut
    group = group_of(noun, span)
    if kind not in ("count", "fraction"):
        group = f"{number.unit.name if number.unit else kind}:{group}"  # "USD:deal": sums of different things differ
    if kind == "count" and noun.lemma_.lower() in NOUN_EVENTS:
        event, group = NOUN_EVENTS[noun.lemma_.lower()], "people"  # "12 deaths" are 12 people killed
        lemma = lemma or noun.lemma_.lower()
    if kind == "count" and _in_quarantine(predicate, noun):
        event = "quarantined"  # held, but not arrested
    if kind == "count" and event in ("other", "hospitalized") and _in_condition(last, noun, predicate):
        event = "critical"  # "twelve were in a critical condition", "nine people remain in serious condition"
    if kind == "count" and event == "other":
        event = _event_in_words(last, noun, predicate)
    if kind == "count" and event == "other" and noun.lemma_.lower() in PARTICIPANT_NOUNS:
        event, group = "attended", "people"  # "1.2 million participants", "police estimated 90,000 protesters"
    if kind not in ("count", "fraction") and event != "paid":
        event = "other"  # a sum, a measure or a share is not killed or arrested ("executed at a cost of $31 million")
    place, when = _where_when(predicate, span)
    if high is not None and not number.vague:
        value_json: dict[str, float] = {"min": value, "max": high}
        interval = Interval(value, high)
    else:
        value_json = {bound: value}
        interval = bound_interval(bound, value, None if not number.vague else high)
        if bound == "approx" and kind == "percent":
            # "around 40 percent" is a point or two either way, not the 15% a rough head count allows
            interval = Interval(value * 0.95, value * 1.05, approx=True)
        if bound == "exact" and number.rounding:
            interval = Interval(value - number.rounding, value + number.rounding)
    end = number.end + (1 if fraction in _FRACTIONS and kind == "fraction" else 0)
    end = max(end, number.last + 1)
    as_written = doc[begin:end].text
    return Figure(
        article=article,
        sentence=sentence,
        as_written=as_written,
        value=value,
        qualifier=qualifier,
        predicate=lemma,
        group=group,
        interval=interval,
        value_json=value_json,
        kind=kind,
        event=event,
        counted=_phrase(last, noun) if kind in ("count", "fraction") else _what(last, noun),
        agent=_agent(predicate, noun),
        place=place,
        time=when,
        speaker=_speaker(span, predicate),
        start=doc[begin].idx,
        end=doc[end - 1].idx + len(doc[end - 1].text),
        unit=number.unit.name if number.unit is not None else "",
        dimension=number.unit.dimension if number.unit is not None else kind,
        base=base_value(value, number.unit),
        named=kind in ("count", "fraction") and _named_in(span, group),
        kinds=_kinds_of(noun, group) if kind in ("count", "fraction") else frozenset(),
        noun=str(noun.lemma_).lower() if kind in ("count", "fraction") else "",
        scope=(
            "more"
            if _increment(doc, number, noun, predicate)
            else "expected"
            if _expected(predicate)
            else _scope(last, noun)
        )
        if kind in ("count", "fraction")
        else "",
        context=_context(span, number, predicate, noun),
    )


#: Nouns that say what a toll counts when the figure is its complement ("the death toll rose to 36").
_TOLL_HEADS = frozenset({"toll", "number", "tally", "count", "figure", "total"})


#: Verbs that put what follows ahead of the fact: "organisers expected 20,000 people to come".
_EXPECTING = frozenset("expect hope plan aim predict forecast anticipate project".split())


def _expected(predicate: Any) -> bool:
    """True when the figure's verb is what someone expects or plans, not what happened.

    (Not every future: a deal's terms are written in it, "300 patents will pass to the buyer".)
    """
    if predicate is None:
        return False
    if predicate.lemma_.lower() in _EXPECTING and predicate.dep_ not in ("amod", "acl"):
        return True  # "organisers expect 10,000 people"; not "the expected 10,000" (said of a past count)
    return predicate.dep_ in ("xcomp", "ccomp") and predicate.head.lemma_.lower() in _EXPECTING  # "expected … to come"


def _scope(last: Any, noun: Any) -> str:
    """The place a count's own phrase limits it to: "17 from Orlen village", "6 of them in Dunmore".

    Read from prepositions on the number or the counted noun only (not the verb's), so that
    "killed in the province" and "killed in its capital" of one attack keep no scope; "from" marks a breakdown.
    """
    heads = [last, noun]
    if last.head.lemma_ == "be" and last.dep_ in ("nsubj", "conj"):
        heads.append(last.head)  # "17 were from Orlen village": the copula says where they were from
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "in"):
                places = [t for t in child.subtree if t.ent_type_ in ("GPE", "LOC", "FAC")]
                if places:
                    return f"{child.lower_}:{' '.join(t.text for t in places)}"
    return ""


def _named_in(span: Any, group: str) -> bool:
    """True when the sentence writes the counted group with a capital: a nationality, a party, a company."""
    if group == "people" or len(group) < 3:
        return False
    return any(
        t.text[:1].isupper() and t.lower_.startswith(group[:4]) and (t.i > span.start or t.ent_type_) for t in span
    )


def _event_nearby(last: Any, noun: Any) -> str:
    """The event of a figure that completes a noun of counting.

    The noun is the verb's subject ("the death toll has risen to 52", "the injured numbered 180")
    or its object ("bringing the death toll to 23", "put the toll at seven"); a toll with no word
    of its own is a death toll, as news writes it.
    """
    if last.head.lower_ in ("with", "including", "plus", "besides"):
        return "other"  # "reached 58 with 42 injured": a figure beside the toll, not the toll
    for node in _ancestors(last, 5):
        if node.pos_ not in ("VERB", "AUX") and node.dep_ != "ROOT":
            continue  # (a root with a subject is a verb whatever its tag: a headline's "rises" read as a noun)
        for child in node.children:
            if child.dep_ not in ("nsubj", "nsubjpass", "dobj") or child.i > last.i:
                continue
            if child.lemma_.lower() in _TOLL_HEADS:  # "the death toll", "the number of injured"
                mods = [m for m in child.children if m.dep_ in ("compound", "amod", "nmod")]
                mods += [o for p in child.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
                for mod in mods:
                    if (event := event_of(mod.lemma_.lower()) or event_of(mod.lower_)) is not None:
                        return event
                    if (event := _event_of_clause(mod)) is not None:
                        return event
                if child.lemma_.lower() == "toll" and not mods:
                    return "killed"
            for word in (child.lemma_.lower(), child.lower_):  # "the injured numbered 180", "the dead"
                if word in NOUN_EVENTS and child.dep_ != "dobj":
                    return NOUN_EVENTS[word]
    return "other"


def _event_of_clause(noun: Any) -> str | None:
    """What the relative clause on a counted noun says happened to it: "the number of people who died",
    "… who came into contact with patients and were put under quarantine"."""
    for clause in (c for c in noun.children if c.dep_ == "relcl"):
        for verb in (clause, *clause.conjuncts):
            if (event := event_of(verb.lemma_.lower())) is not None:
                return event
            if _in_quarantine(verb, noun):
                return "quarantined"
            if _in_hospital(verb):
                return "hospitalized"
    return None


def _what(last: Any, noun: Any) -> str:
    """What a measure or a sum measures: the noun it hangs from ("a depth of 10 km", "a deal worth $4.75 billion")."""
    for node in _ancestors(last, 4):
        if node.pos_ in ("NOUN", "PROPN") and measure_unit(node.text) is None and not node.like_num:
            return str(node.lemma_)
        if node.pos_ == "VERB" and node.lemma_.lower() not in _EMPTY_VERBS:
            return str(node.lemma_)
    return ""


#: Verbs that say nothing of what a measure measures ("it was 9 seconds"): the walk goes on past them.
_EMPTY_VERBS = frozenset({"be", "have", "do", "become", "get"})


def _context(span: Any, number: _Number, predicate: Any, noun: Any) -> frozenset[str]:
    """Content words around a figure and on its path up the parse: what tells two figures of a story apart."""
    doc = span.doc
    words: set[str] = set()
    lo, hi = max(span.start, number.start - 6), min(span.end, number.end + 6)
    near = [doc[k] for k in range(lo, hi) if not (number.start <= k < number.end)]
    near += _ancestors(doc[number.last], 3)
    for token in (*near, noun, *(t for t in (predicate,) if t is not None)):
        if token.is_stop or token.is_punct or token.like_num or not token.text[:1].isalnum():
            continue
        if token.pos_ in ("NOUN", "PROPN", "VERB", "ADJ"):
            words.add(str(token.lemma_).lower())
    return frozenset(words)
