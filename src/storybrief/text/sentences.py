"""Sentence boundaries for news text, as character spans.

Rules rather than the parser decide where sentences end, because news text
has patterns a general parser gets wrong: titles before names (``Mr.``,
``Lt. Col.``), initials (``Joshua M. Landis``), dotted abbreviations
(``U.S.``, ``p.m.``), quotations of several sentences, a missing space after a
full stop (``said.The``) and datelines (``BAGHDAD —``). The language layer hands
these spans to spaCy as fixed boundaries.
"""

from __future__ import annotations

import re

#: Abbreviations that stand before a name or number (``Rs.`` before a sum of rupees): never the end of a sentence.
TITLES = frozenset(
    """mr mrs ms mx dr prof gen lt col maj capt cpt sgt cpl pvt adm cmdr cmdt brig
    sen rep gov pres supt insp det rev fr msgr st mt ft hon amb atty ald messrs mme mlle
    sens reps govs gens drs profs rs""".split()
)
#: Abbreviations that may end a sentence when a typical sentence opener follows.
MAYBE_FINAL = frozenset(
    """inc corp co ltd llc plc bros etc al approx est dept univ assn jan feb mar apr jun
    jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun no nos vol
    art sec pp sr jr""".split()
)
#: Words that typically open a sentence; after an ambiguous abbreviation they signal a boundary.
OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there
    but and so yet or in on at by for from with after before when while since as if
    although though however meanwhile officials police one two some many most several
    no none nobody mr mrs ms dr what who why how where""".split()
)
_ATTRIBUTION = re.compile(
    r"^\s*(?:[a-z]|(?:(?:Mr|Mrs|Ms|Dr|Gen|Sen|Gov|Col|Lt)\.\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s+"
    r"(?:said|says|added|asked|told|wrote|explained|insisted|recalled|declared|continued|replied)\b)"
)
_CANDIDATE = re.compile(r"[.!?…]+[\"”’')\]»]*(?=\s|$)|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".'’-"):
        start -= 1
    return text[start:end]


def _next_word(text: str, pos: int) -> str:
    match = re.match(r"\s*[\"“‘'(\[]*([\w'’.-]+)", text[pos:])
    return match.group(1) if match else ""


def _inside_quotes(text: str, start: int, pos: int) -> bool:
    """True when ``pos`` lies inside a quotation opened since ``start`` and closed later."""
    depth = 0
    straight = False
    for ch in text[start:pos]:
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif ch == '"':
            straight = not straight
    if depth == 0 and not straight:
        return False
    # Only a quotation that closes later in the paragraph counts: an unclosed
    # quote (a quote running on into the next paragraph) must not swallow it.
    rest = text[pos:]
    return (depth > 0 and any(c in rest for c in _CLOSE_QUOTES)) or (straight and '"' in rest)


_WEB = re.compile(r"(?:www\.|https?://|@)|\.(?:com|org|net|gov|edu|int|mil|info|io|co|uk|de|fr)\b", re.IGNORECASE)


def _in_address(text: str, pos: int) -> bool:
    """True when ``pos`` lies inside a web or mail address (``www.AirSafe.com``): no sentence ends there."""
    left = pos
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = pos
    while right < len(text) and not text[right].isspace():
        right += 1
    return bool(_WEB.search(text[left:right]))


def _is_boundary(text: str, para_start: int, match: re.Match[str]) -> bool:
    end = match.end()
    marks = match.group(0)
    if end < len(text) and not text[end].isspace() and _in_address(text, match.start()):
        return False  # a full stop glued to the next word inside an address
    nxt = _next_word(text, end)
    if not nxt:
        return True
    if not (nxt[0].isupper() or nxt[0].isdigit() or text[end:].lstrip()[:1] in "\"“‘'([«"):
        return False
    if marks[0] == ".":
        word = _word_before(text, match.start())
        bare = word.rstrip(".")
        last = bare.rsplit(".", 1)[-1]
        if last.lower() in TITLES and "." not in bare:
            return False
        if re.fullmatch(r"[A-Z]", last) and "." not in bare:
            return False  # an initial: "Joshua M. Landis"
        if "." in bare or last.lower() in MAYBE_FINAL:
            # U.S., U.N., p.m., Inc.: a boundary only before a typical opener
            return nxt.lower().strip(".") in OPENERS
    if match.group(0)[-1] in "”\"’'" and _ATTRIBUTION.match(text[end:]):
        return False  # “… ?” Mr. Assad said.
    return not _inside_quotes(text, para_start, end)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans ``(start, end)``; paragraphs never share a sentence."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        para_start, para_end = para.span()
        start = para_start
        for match in _CANDIDATE.finditer(text, para_start, para_end):
            if match.end() >= para_end or not _is_boundary(text, para_start, match):
                continue
            spans.append(_trim(text, start, match.end()))
            start = match.end()
        if text[start:para_end].strip():
            spans.append(_trim(text, start, para_end))
    return [s for s in spans if s[1] > s[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
