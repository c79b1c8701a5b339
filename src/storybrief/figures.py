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

import math
import re
from typing import Any

from .model import Figure, Interval

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
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
#: Entity types whose numbers are not counts at all.
_SKIP = frozenset({"DATE", "TIME", "QUANTITY", "ORDINAL"})
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")

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
    "attended": frozenset("attend gather rally march protest".split()),
    "voted": frozenset("vote elect".split()),
    "paid": frozenset("pay cost spend fine donate award".split()),
}
_EVENT_OF = {lemma: name for name, lemmas in EVENTS.items() for lemma in lemmas}
#: Verbs that report another verb (``were reported killed``) or attribute a statement to a speaker.
_REPORTING = frozenset(
    "report say claim believe confirm fear think know see tell announce state add according estimate put".split()
)
_PLACES = frozenset({"GPE", "LOC", "FAC"})


def number_value(text: str) -> float | None:
    """The value of a number written with digits or words (``48``, ``70,000``, ``nine``, ``two hundred``)."""
    clean = text.lower().replace("-", " ").strip()
    if clean.startswith("a ") and clean[2:] in _UNITS | _SCALES:
        clean = clean[2:]  # "a dozen", "a hundred"
    if _DIGITS.match(clean):
        return float(clean.replace(",", ""))
    if re.fullmatch(r"\d+(?:\.\d+)?\s+(?:million|billion|thousand)", clean):
        number, scale = clean.split()
        return float(number) * _SCALES[scale]
    total, current = 0.0, 0.0
    seen = False
    for word in clean.split():
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _SCALES:
            current = max(current, 1.0) * _SCALES[word]
            seen = True
            if _SCALES[word] >= 1000:
                total, current = total + current, 0.0
        elif word != "and":
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
    return noun


def _verb_above(token: Any) -> Any:
    """The nearest verb above ``token`` that is not a copula, or None."""
    node = token
    for _ in range(6):
        if node.head is node:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.lemma_ not in ("be", "have"):
            return node
    return None


#: Counted nouns that name the event themselves ("12 deaths", "30 injuries"), and the group they count.
NOUN_EVENTS = {
    "death": "killed", "fatality": "killed", "dead": "killed", "casualty": "killed", "body": "killed",
    "injury": "wounded", "injured": "wounded", "wounded": "wounded",
    "arrest": "arrested", "evacuee": "evacuated", "refugee": "displaced", "vote": "voted",
}  # fmt: skip


def _predicate_token(number: Any, noun: Any) -> Any:
    """The token that says what happened to the counted group (None when the figure describes a thing)."""
    if (
        noun.dep_ == "pobj"
        and noun.head.lower_ in ("with", "on", "aboard", "carrying")
        and noun.head.head.pos_ in ("NOUN", "PROPN")
    ):
        return None  # "a ferry with more than 200 people on board": what the ferry had, not what happened
    verb = _verb_above(number)
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


def group_of(noun: Any, span: Any) -> str:
    """What a noun phrase counts: a nationality or proper adjective if the phrase has one, else its noun.

    A bare noun takes the nationality the same sentence gives it elsewhere
    ("The killed Syrian soldiers were among some 65 soldiers …" counts Syrians),
    and a conjunct takes its head's ("65 soldiers and officials").
    """
    proper = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.text[:1].isupper() and not c.like_num]
    if (noun.text[:1].isupper() and noun.pos_ == "PROPN") or noun.ent_type_ == "NORP":
        proper.append(noun)
    if not proper and noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
        return group_of(noun.head, span)
    if not proper:
        for token in span:
            if token.lemma_ == noun.lemma_ and token.i != noun.i:
                proper = [c for c in token.children if c.dep_ == "amod" and c.ent_type_ == "NORP"]
                if proper:
                    break
    word = proper[0] if proper else noun
    lemma = str(word.lemma_ or word.text).lower()
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
    words = [t.text for t in sorted(tokens, key=lambda t: t.i) if t.i > number.i or t is noun]
    return " ".join(words)


def _speaker(span: Any, predicate: Any) -> str | None:
    """Who the sentence attributes the figure to: the subject of a reporting verb, or ``according to X``."""
    for token in span:
        if token.lower_ == "according" and token.nbor(1).lower_ == "to" if token.i + 1 < len(token.doc) else False:
            objects = [t for t in token.nbor(1).children if t.dep_ == "pobj"]
            if objects:
                return _words(objects[0])
    node = predicate
    for _ in range(6):
        if node is None or node.head is node:
            break
        node = node.head
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
    """The place and time the sentence gives for the event (entities in the predicate's subtree first)."""
    ents = [e for e in span.ents if e.label_ in _PLACES or e.label_ in ("DATE", "TIME")]
    if not ents:
        return None, None
    under = {t.i for t in predicate.subtree} if predicate is not None else set()
    place = time = None
    for inside in (True, False):
        for ent in ents:
            if inside and not any(i in under for i in range(ent.start, ent.end)):
                continue
            if place is None and ent.label_ in _PLACES:
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
    if ent == "PERCENT" or after in ("percent", "per", "%"):
        return "percent"
    if after in ("year", "years") and words.end + 1 < len(doc) and doc[words.end + 1].lower_ == "old":
        return "age"
    if words.start > 0 and doc[words.start - 1].lower_ in ("aged", "age"):
        return "age"
    return "count"


def figures_of(span: Any, article: str, sentence: int) -> list[Figure]:
    """The quantities of a parsed sentence (a spaCy span with tags, a parse and entities)."""
    doc = span.doc
    out: list[Figure] = []
    i = span.start
    while i < span.end:
        token = doc[i]
        vague = token.lower_ in _VAGUE
        if not (token.like_num or vague or token.lower_ == "dozen") or token.ent_type_ in _SKIP:
            i += 1
            continue
        j = i + 1
        if vague:
            # "tens of thousands", "hundreds of thousands"
            while j + 1 < span.end and doc[j].lower_ == "of" and doc[j + 1].lower_ in _VAGUE:
                j += 2
        else:
            while j < span.end and (doc[j].like_num or doc[j].lower_ in _SCALES) and doc[j].ent_type_ not in _SKIP:
                j += 1
        if i > span.start and doc[i - 1].lower_ == "a" and doc[i].lower_ in ("dozen", "hundred", "thousand"):
            i -= 1
        words = doc[i:j]
        last = doc[j - 1]
        start_token = i
        high = None
        if i > span.start and doc[i - 1].lower_ == "between" and j + 1 < span.end and doc[j].lower_ == "and":
            high = number_value(doc[j + 1].text)  # "between 10 and 20"
            if high is not None:
                last = doc[j + 1]
                j += 2
        i = j
        figure = _figure(span, words, last, start_token, article, sentence, vague, high, doc[start_token:j])
        if figure is not None:
            out.append(figure)
    return out


def _figure(
    span: Any,
    words: Any,
    last: Any,
    start_token: int,
    article: str,
    sentence: int,
    vague: bool,
    between: float | None,
    written: Any,
) -> Figure | None:
    doc = span.doc
    text = words.text
    fraction = doc[words.end].lower_ if words.end < len(doc) else ""
    if vague:
        low = float(math.prod(_VAGUE.get(t.lower_, 1) for t in words if t.lower_ != "of"))
        value: float = 2 * low
        high: float | None = 12 * low - 1
        bound = "min"
    elif fraction in _FRACTIONS and number_value(text) is not None:
        value = (number_value(text) or 0.0) * _FRACTIONS[fraction]
        bound, high = "exact", None
    else:
        number = number_value(text)
        if number is None or (1900 <= number <= 2100 and "," not in text):
            return None
        if number < 2 and not text[:1].isdigit():
            return None  # "one" is more often a pronoun than a count
        value, bound, high = number, "exact", None
    qualifier, begin = _qualifier(doc, start_token)
    if qualifier and high is None:
        bound = QUALIFIERS[qualifier]
    elif words[-1].lower_ == "dozen" and bound == "exact":
        bound = "approx"  # "a dozen people" is a round figure
    if between is not None:
        qualifier, begin, high, bound = "between", begin - 1, between, "min"
    kind = "fraction" if fraction in _FRACTIONS else _kind(words, doc)
    noun = _counted(last)
    if vague and words.end + 1 < span.end and doc[words.end].lower_ == "of":
        objects = [g for g in doc[words.end].children if g.dep_ == "pobj"]  # "hundreds of thousands of refugees"
        noun = objects[0] if objects else noun
    predicate = _predicate_token(last, noun)
    lemma = str(predicate.lemma_).lower() if predicate is not None else ""
    event = _EVENT_OF.get(lemma, "other")
    group = group_of(noun, span)
    if noun.lemma_.lower() in NOUN_EVENTS:
        event, group = NOUN_EVENTS[noun.lemma_.lower()], "people"  # "12 deaths" are 12 people killed
        lemma = lemma or noun.lemma_.lower()
    place, when = _where_when(predicate, span)
    value_json = {"min": value, "max": high} if high is not None and not vague else {bound: value}
    end = written.end + (1 if fraction in _FRACTIONS else 0)
    as_written = doc[begin:end].text
    return Figure(
        article=article,
        sentence=sentence,
        as_written=as_written,
        value=value,
        qualifier=qualifier,
        predicate=lemma,
        group=group,
        interval=bound_interval(bound, value, high),
        value_json=value_json,
        kind=kind,
        event=event,
        counted=_phrase(last, noun),
        agent=_agent(predicate, noun),
        place=place,
        time=when,
        speaker=_speaker(span, predicate),
        start=doc[begin].idx,
        end=doc[end - 1].idx + len(doc[end - 1].text),
    )
