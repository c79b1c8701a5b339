"""Content words of a text: stop words, a light stem, term counts and sparse cosine.

Shared by clustering, sentence alignment and summarization, so that all of them
agree on what a content word is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves said says say told
    according one two three new would could also mr mrs ms dr year years last week weeks day days time times like
    people percent many much made make since still however including including""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@lru_cache(maxsize=1 << 17)  # a corpus repeats its words: a stem is worked out once per word, not per use
def stem(word: str) -> str:
    """A light plural/suffix stem so that "soldier" and "soldiers" agree."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("s", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 3 and not w.endswith("ss"):
            return w[: -len(suffix)] + repl
    return w


def terms_of(text: str) -> Counter[str]:
    """Content-word counts (stop words dropped, lightly stemmed)."""
    counts: Counter[str] = Counter()
    for match in _WORD.finditer(text):
        word = match.group(0)
        low = word.lower()
        if len(low) < 3 or low in STOP_WORDS:
            continue
        counts[stem(low)] += 1
    return counts


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
