"""Figures in sentences: how many of what underwent what, read off the dependency parse.

``More than 40 Syrian soldiers … were killed`` gives a :class:`~storybrief.model.Figure`
with value 40, qualifier ``more than``, predicate ``kill`` and group ``syrian``.
The summarizer uses figures so that it never states two different figures for
one quantity as if they were two facts, and to tell the reader what other
reports say. Dates, times, money, percentages and measures are not head counts
and are left out.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Figure

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
#: Words before a number that bound it, longest first.
QUALIFIERS = (
    "more than", "fewer than", "less than", "at least", "at most", "up to", "as many as", "as few as",
    "some", "about", "around", "nearly", "almost", "roughly", "approximately", "over", "under", "all",
)  # fmt: skip
#: Entity types whose numbers are not head counts.
_NOT_COUNTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")


def number_value(text: str) -> float | None:
    """The value of a number written with digits or words (``48``, ``70,000``, ``nine``, ``two hundred``)."""
    clean = text.lower().replace("-", " ").strip()
    if _DIGITS.match(clean):
        return float(clean.replace(",", ""))
    total, current = 0.0, 0.0
    seen = False
    for word in clean.split():
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _SCALES and seen:
            current = max(current, 1.0) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0.0
        elif word != "and":
            return None
    return total + current if seen else None


def _qualifier(doc: Any, start: int) -> tuple[str, int]:
    """The qualifier that ends just before token ``start``, and the token where it begins."""
    before = " ".join(t.lower_ for t in doc[max(0, start - 3) : start])
    for q in QUALIFIERS:
        if before == q or before.endswith(" " + q):
            return q, start - len(q.split())
    return "", start


#: Verbs that report another verb (``were reported killed``): the reported verb is the predicate.
_REPORTING = frozenset({"report", "say", "claim", "believe", "confirm", "fear", "think", "know", "see"})


def _predicate(token: Any, noun: Any) -> str:
    """The lemma of the verb that says what happened to the counted group, or empty."""
    found = ""
    node = token
    for _ in range(6):
        if node.head is node:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.lemma_ not in ("be", "have"):
            found = str(node.lemma_.lower())
            if found in _REPORTING:
                inner = [c for c in node.children if c.dep_ in ("xcomp", "oprd") and c.pos_ == "VERB"]
                found = str(inner[0].lemma_.lower()) if inner else found
            break
    if found and found not in _REPORTING:
        return found
    # "were among some 65 soldiers and officials who handed themselves over"
    for head in (noun, *noun.conjuncts):
        for child in head.children:
            if child.dep_ in ("relcl", "acl") and child.pos_ == "VERB":
                return str(child.lemma_.lower())
    return found


def _noun(number: Any) -> Any:
    """The noun a number counts (itself when it stands alone: ``all 48 of the Syrians``)."""
    if number.dep_ in ("nummod", "quantmod", "compound") and number.head is not number:
        return _noun(number.head) if number.head.like_num else number.head
    return number


def _group(number: Any) -> str:
    """What the number counts: a nationality or proper adjective if the phrase has one, else its noun."""
    noun = _noun(number)
    if noun.like_num or noun.pos_ == "NUM":
        of = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
        objects = [g for p in of for g in p.children if g.dep_ == "pobj"]
        if objects:
            noun = objects[0]
        elif noun.dep_ == "conj" and noun.head.like_num:
            return _group(noun.head)
    proper = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.text[:1].isupper()]
    if (noun.text[:1].isupper() and noun.pos_ == "PROPN") or noun.ent_type_ == "NORP":
        proper.append(noun)
    word = proper[0] if proper else noun
    lemma = str(word.lemma_ or word.text).lower()
    return lemma[:-1] if lemma.endswith("s") and word.text[:1].isupper() else lemma


def figures_of(span: Any, article: str, sentence: int) -> list[Figure]:
    """The head counts of a parsed sentence (a spaCy span with tags and a parse)."""
    doc = span.doc
    out: list[Figure] = []
    i = span.start
    while i < span.end:
        token = doc[i]
        if not (token.like_num or token.lower_ in ("dozen", "dozens")) or token.ent_type_ in _NOT_COUNTS:
            i += 1
            continue
        j = i + 1
        while j < span.end and (doc[j].like_num or doc[j].lower_ in _SCALES) and doc[j].ent_type_ not in _NOT_COUNTS:
            j += 1
        words = doc[i:j]
        value = number_value(words.text)
        last = doc[j - 1]
        i = j
        if value is None or (1900 <= value <= 2100 and "," not in words.text):
            continue
        if value < 2 and not words.text[:1].isdigit():
            continue  # "one" is more often a pronoun than a count
        qualifier, begin = _qualifier(doc, words.start)
        as_written = doc[begin:j].text
        out.append(Figure(article, sentence, as_written, value, qualifier, _predicate(last, _noun(last)), _group(last)))
    return out
