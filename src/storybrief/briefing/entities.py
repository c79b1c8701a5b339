"""Entity linking across articles: one entity per real person, organisation or place.

Mentions come from the language layer's named entities. They are tidied
(possessives and leading articles dropped, abbreviated honorifics such as
``Mr.`` kept as written, ``the Waleed crossing`` extended to its facility
noun), keyed by a spelling-tolerant name key (``Nuri``/``Nouri``,
``Musawi``/``Moussawi``, ``Qaeda``/``Qaida``, ``al-`` prefixes), and grouped in
three passes:

1. full names merge when one is the other with middle names or generic words
   dropped (``Nuri Kamal al-Maliki`` = ``Nuri al-Maliki``), never when a given
   name differs (``Bashar al-Assad`` ≠ ``Hafez Assad``);
2. a text that names an affiliate (``al Qaeda's Iraqi wing, Islamic State of
   Iraq``) links it to the entity named that way (``Al Qaeda in Iraq``);
3. short references (``Maliki``, ``Mr. Musawi``, ``Anbar``) go to the one full
   name they fit, preferring names in the same article and a clearly dominant
   name; an ambiguous short reference stays on its own.

Nothing here lists particular names: the rules are about how names are written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..errors import OptionError
from ..model import Entity, Mention
from ..text.nlp import ENTITY_TYPES, ParsedArticle
from ..text.nlp import entities as doc_entities
from ..text.places import is_country, place_id

#: Abbreviated honorifics kept in the alias as written but not part of the name.
HONORIFICS = frozenset(
    "mr mrs ms mx dr prof gen lt col maj capt sgt cpl adm cmdr brig sen rep gov pres supt insp rev fr".split()
)
#: Titles written before a name that are not part of it.
TITLE_WORDS = frozenset(
    """president prime minister premier chancellor king queen prince princess sheikh sheik emir imam ayatollah
    pope cardinal bishop judge justice general colonel lieutenant major captain sergeant admiral commander chief
    secretary foreign defense defence interior finance spokesman spokeswoman spokesperson senator governor mayor
    deputy vice ambassador envoy leader chairman director sir lord lady dame mr mrs ms dr gen lt col the former
    late acting opposition rebel militant""".split()
)
#: Arabic and other name particles that transliterations write in many ways.
PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ul"})
#: Generic nouns that turn a name into a facility or region, with the type they give.
PLACE_NOUNS: dict[str, str] = {
    "crossing": "FAC",
    "checkpoint": "FAC",
    "post": "FAC",
    "airport": "FAC",
    "base": "FAC",
    "bridge": "FAC",
    "dam": "FAC",
    "port": "FAC",
    "harbor": "FAC",
    "harbour": "FAC",
    "station": "FAC",
    "camp": "FAC",
    "prison": "FAC",
    "hospital": "FAC",
    "square": "FAC",
    "stadium": "FAC",
    "academy": "FAC",
    "agency": "ORG",
    "province": "GPE",
    "state": "GPE",
    "township": "GPE",
    "village": "GPE",
    "governorate": "GPE",
    "district": "GPE",
    "region": "GPE",
    "county": "GPE",
    "valley": "LOC",
    "river": "LOC",
    "lake": "LOC",
    "desert": "LOC",
    "plain": "LOC",
    "mountains": "LOC",
    "island": "LOC",
}
#: Words that may stand between a name and a place noun: "al-Walid border crossing".
PLACE_MODIFIERS = frozenset(
    {
        "border",
        "air",
        "military",
        "police",
        "refugee",
        "main",
        "central",
        "railway",
        "rail",
        "metro",
        "subway",
        "news",
        "international",
    }
)
#: Nouns after a name that make a facility named after it ("Leeds station" is not the city Leeds).
FACILITY_NOUNS = frozenset(n for n, t in PLACE_NOUNS.items() if t == "FAC")
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
AFFILIATE_WORDS = r"(?:wing|branch|affiliate|arm|franchise|offshoot|chapter|faction)"
_POSSESSIVE = {"'s", "’s", "'", "’"}


@dataclass(frozen=True, slots=True)
class EntityOptions:
    """Options of entity linking.

    ``types``: named-entity types to link. ``dominance``: a short reference
    that fits several names goes to the most mentioned one only when it has at
    least this many times the mentions of the next.
    """

    types: frozenset[str] = ENTITY_TYPES
    dominance: float = 2.0

    def __post_init__(self) -> None:
        unknown = set(self.types) - ENTITY_TYPES
        if unknown:
            raise OptionError("types", f"a subset of {', '.join(sorted(ENTITY_TYPES))}", sorted(unknown))
        if self.dominance < 1:
            raise OptionError("dominance", "a number of at least 1", self.dominance)


# --------------------------------------------------------------------------- name keys


@lru_cache(maxsize=1 << 16)
def token_key(token: str) -> str:
    """A spelling-tolerant key for one name token (transliteration variants agree)."""
    text = unicodedata.normalize("NFKD", token.lower())
    text = "".join(ch for ch in text if ch.isalnum())
    for old, new in (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ae", "a"), ("ai", "a"), ("ei", "a"), ("ph", "f")):
        text = text.replace(old, new)
    text = text.replace("q", "k").replace("x", "ks")
    if len(text) > 4 and text.endswith("re") and text[-3] not in "aeiou":
        text = text[:-2] + "er"  # Centre = Center, Theatre = Theater
    if len(text) > 4 and text.endswith("e") and text[-2] not in "aeiou":
        text = text[:-1]  # a French-style final e: Voronine = Voronin
    if len(text) > 3 and text.endswith("y"):
        text = text[:-1] + "i"  # Sidqy = Sidqi
    text = text.replace("e", "i").replace("o", "u")
    text = re.sub(r"(.)\1+", r"\1", text)
    if len(text) > 3 and text.endswith("h") and text[-2] in "aiu":
        text = text[:-1]
    return text


def _words(text: str) -> list[str]:
    # "Gov.Ada Okafor": a full stop run into the next capitalised word separates them
    return [w for w in re.split(r"[\s\-‐–]+|(?<=[a-z]\.)(?=[A-Z][a-z])", text) if w]


@lru_cache(maxsize=1 << 16)
def name_key(text: str, label: str) -> tuple[str, ...]:
    """The name's key: honorifics, titles, articles, possessives and particles removed."""
    words = _words(text)
    while words and words[-1] in _POSSESSIVE:
        words.pop()
    if words:
        words[-1] = re.sub(r"['’]s?$", "", words[-1])
    # Titles and honorifics lead; stop at the first word that is part of the name.
    while len(words) > 1 and (words[0].rstrip(".").lower() in HONORIFICS or words[0].lower() in TITLE_WORDS):
        if label != "PERSON" and words[0].lower() not in {"the"}:
            break
        words.pop(0)
    if label == "ORG":
        words = _without_legal_form(words)
    while label == "PERSON" and len(words) > 2 and words[-1].rstrip(".,").lower() in _NAME_SUFFIXES:
        words = words[:-1]  # "Daniel James Okafor Jr." is Daniel James Okafor
    if label in PLACE_TYPES or label == "NORP":
        words = [_direction(w) for w in words]
    kept = [token_key(w) for w in words if w.lower() not in PARTICLES]
    kept = [k for k in kept if k]
    return tuple(kept) if kept else tuple(k for k in (token_key(w) for w in words) if k)


_DIRECTIONAL = re.compile(r"((?:north|south)?(?:east|west)|north|south)ern", re.IGNORECASE)


def _direction(word: str) -> str:
    """A region's direction as an adjective is the direction: "Northern Kessa" is "North Kessa"."""
    match = _DIRECTIONAL.fullmatch(word)
    return match.group(1) if match else word


#: Legal forms and group words after a company's name: "Halvard Inc." and "Halvard" are one company.
LEGAL_FORMS = frozenset(
    "inc inc. incorporated co co. corp corp. corporation ltd ltd. limited plc llc llp ag sa s.a. nv n.v. "
    "gmbh se spa s.p.a. bv ab asa oyj group holdings holding".split()
)
#: Generational suffixes after a person's name.
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: Words an acronym skips ("Union of Harbour and Dock Workers" is UHDW).
_ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "de", "du", "la", "&", "on", "in"})


def name_suffix(text: str) -> str:
    """The generational suffix a person's name ends with ("jr", "sr", "ii" ...), or ""."""
    words = _words(text)
    if len(words) > 2 and words[-1].rstrip(".,").lower() in _NAME_SUFFIXES:
        return words[-1].rstrip(".,").lower()
    return ""


def _without_legal_form(words: list[str]) -> list[str]:
    while len(words) > 1 and words[-1].lower().strip(",") in LEGAL_FORMS:
        words = words[:-1]
    if words:
        words[-1] = words[-1].rstrip(",")
    return words


def _type_class(label: str) -> str:
    return "PLACE" if label in PLACE_TYPES else label


# --------------------------------------------------------------------------- mentions


def _tidy_span(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Token range of an entity without leading articles/possessive junk and trailing possessives.

    A name never runs across a dash set off by spaces: a dateline and the story's first words
    ("KESSA - Halvard's police") are cut at it.
    """
    for k in range(start + 1, end):
        if doc[k].text in ("-", "--", "–", "—") and doc[k - 1].whitespace_ and doc[k].whitespace_:
            end = k
            break
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].text in _POSSESSIVE):
        start += 1
    while end > start and doc[end - 1].text in _POSSESSIVE:
        end -= 1
    return start, end


def _extend(doc: Any, start: int, end: int, label: str) -> tuple[int, int, str]:
    """Honorifics before a person; the capitalised words of an organisation's or a facility's name the
    tagger left out before it; facility and region nouns after a name."""
    if label in ("ORG", "FAC"):
        while start > 0 and _name_part_before(doc, start - 1):
            start -= 1  # "Kestrel Navigator" tagged as "Navigator"
    i = start
    while i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].text.rstrip(".").lower() in HONORIFICS:
        # "Mr. Maliki", and the British "Mr Okafor" without a full stop
        i -= 1
    if i < start:
        return i, end, "PERSON"
    j = end
    while j < len(doc) and doc[j].lower_ in PLACE_MODIFIERS:
        j += 1
    # the noun heads the phrase: "Orlen state" is a place, "Orlen state media" is not
    if j < len(doc) and doc[j].lower_ in PLACE_NOUNS and doc[j].dep_ != "compound":
        return start, j + 1, PLACE_NOUNS[doc[j].lower_]
    return start, end, label


def _name_part_before(doc: Any, k: int) -> bool:
    """``doc[k]``, just before an organisation's or a facility's name, is the name's own first word the
    tagger cut off: a capitalised word (not in capitals, not a title) with no type of its own, inside a
    sentence (at a sentence's start a capital says nothing)."""
    token = doc[k]
    if not (token.is_alpha and token.text[:1].isupper() and not token.is_upper and not token.ent_type_):
        return False
    if token.lower_ in HONORIFICS or token.lower_ in _ACRONYM_SKIP:
        return False
    before = doc[k - 1] if k > 0 else None
    return before is not None and not before.is_space and before.text not in {".", "!", "?", ":", '"', "“", "”", "—"}


def extract_mentions(parsed: Sequence[ParsedArticle], options: EntityOptions | None = None) -> list[Mention]:
    """Named-entity mentions of the given types, tidied and extended, in article order."""
    opts = options or EntityOptions()
    mentions: list[Mention] = []
    for item in parsed:
        doc = item.doc
        if doc is None:
            continue
        for ent in doc_entities(doc):
            if ent.label_ not in opts.types:
                continue
            start, end = _tidy_span(doc, ent.start, _before_bracket(doc, ent.start, ent.end))
            if start >= end:
                continue
            label = ent.label_
            if label != "NORP":
                start, end, label = _extend(doc, start, end, label)
            span = doc[start:end]
            text = span.text
            if not any(ch.isalpha() for ch in text):
                continue
            mentions.append(
                Mention(item.article.id, item.sentence_at(span.start_char), span.start_char, span.end_char, text, label)
            )
    mentions = _trim_headline_case(_trim_capitals(_split_pairs(_join_org_in_place(parsed, mentions))))
    mentions += _defined_acronyms(parsed, mentions)[0]
    found, cut_short = _repeated_names(parsed, mentions)
    mentions = [m for m in mentions if m not in cut_short] + found
    mentions += _described_bodies(parsed, mentions)
    mentions += _dateline_places(parsed, mentions)
    return _join_adjacent_people(parsed, sorted(set(mentions), key=lambda m: (m.article, m.start, m.end)))


#: What follows a dateline's place: an optional region after a comma, then a dash or a bracket.
_DATELINE_AFTER = re.compile(r"[ \t]*(?:,[^\n,]{1,40})?[ \t]*(?:-{1,2}|–|—|\()")
_DATELINE = re.compile(r"^([A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){0,2})(?=" + _DATELINE_AFTER.pattern + ")", re.M)


def _dateline_places(parsed: Sequence[ParsedArticle], mentions: Sequence[Mention]) -> list[Mention]:
    """The place of a dateline ("KESSA -", "LEEDS, England --") the gazetteer knows, where nothing tagged it."""
    covered: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in mentions:
        covered[m.article].append((m.start, m.end))
    found: list[Mention] = []
    for item in parsed:
        text = item.article.text
        for match in _DATELINE.finditer(text):
            start, end = match.span(1)
            if any(a < end and start < b for a, b in covered[item.article.id]):
                continue
            if place_id(match.group(1).title()) is not None:
                found.append(Mention(item.article.id, item.sentence_at(start), start, end, match.group(1), "GPE"))
    return found


def _before_bracket(doc: Any, start: int, end: int) -> int:
    """A tagged span that runs into a bracket stops before it: ``Harbour Board (HB`` is ``Harbour Board``."""
    for i in range(start + 1, end):
        if doc[i].text in {"(", "["}:
            return i
    return end


#: An acronym written in brackets right after the name it abbreviates: "the Harbour Board (HB)".
_BRACKETED = re.compile(r"\s?\(\s?([A-Z][A-Za-z.&]{1,9})\s?\)")


def _defined_acronyms(
    parsed: Sequence[ParsedArticle], mentions: Sequence[Mention]
) -> tuple[list[Mention], set[tuple[str, tuple[str, ...]]]]:
    """Acronyms a text defines in brackets after a name, as mentions, and the (acronym, name key) pairs.

    ``the Harbour Board (HB)``: the writer says the two are one name, whatever the letters
    spell, so a bracketed acronym needs only to start with the name's first letter and to be
    written as an acronym (two capitals, or a capitalised word of up to six letters: ``Nato``).
    """
    texts = {item.article.id: item for item in parsed}
    found: list[Mention] = []
    pairs: set[tuple[str, tuple[str, ...]]] = set()
    for m in mentions:
        if m.label == "PERSON" or len(_words(m.text)) < 2:
            continue
        item = texts[m.article]
        match = _BRACKETED.match(item.article.text, m.end)
        if match is None:
            continue
        acronym = match.group(1).rstrip(".")
        letters = acronym.replace(".", "").replace("&", "")
        capitals = sum(ch.isupper() for ch in letters)
        if not (capitals >= 2 or (capitals == 1 and 3 <= len(letters) <= 6)):
            continue
        first = next((w for w in _words(m.text) if w.lower() not in _ACRONYM_SKIP), "")
        if first[:1].upper() != letters[:1]:
            continue
        start = match.start(1)
        end = start + len(acronym)
        found.append(Mention(m.article, item.sentence_at(start), start, end, acronym, m.label))
        pairs.add((token_key(letters), name_key(m.text, m.label)))
    return found, pairs


def _dateline(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` opens a paragraph and a dash or a bracket follows it (a dateline)."""
    return (start == 0 or text[start - 1] == "\n") and bool(_DATELINE_AFTER.match(text, end))


def _repeated_names(parsed: Sequence[ParsedArticle], mentions: Sequence[Mention]) -> tuple[list[Mention], set[Mention]]:
    """Further occurrences of names the tagger found, where it did not tag them, or cut them short.

    A name tagged once is the same name where the tagger missed it in these articles: a
    multi-word organisation or place also when written in lower case (``the harbour
    board``) or capitals (a dateline), a person's full name as written, and a person's
    surname or a one-word name only where it is never written in lower case, lies outside any
    other tagged span (``Okafor said``, not ``in May``) and, when the tagger ran, is a proper noun.
    Straight and curly apostrophes are one character, and a full stop ending an abbreviation
    may go (``Halvard Ltd.`` and ``Halvard Ltd on``). Where a multi-word name written as
    tagged elsewhere covers a shorter tagged span (``Kestrel`` of ``Kestrel's Mark``), the
    shorter mention is returned in the second set, to be replaced.
    """
    names: dict[str, tuple[str, str]] = {}  # normalised text -> (label, text as tagged)
    for m in mentions:
        text = m.text.strip()
        words = _words(text)
        if not words or not text[:1].isupper():
            continue
        names.setdefault(_repeat_key(text), (m.label, text))
        if m.label == "PERSON" and len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) >= 3:
            names.setdefault(_repeat_key(words[-1]), ("PERSON", words[-1]))
    names = {k: v for k, v in names.items() if len(k) >= 3}
    if not names:
        return [], set()
    lowercase = _lowercase_words(parsed)
    alternatives = (re.escape(n).replace("'", "['’]") for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(
        r"(?<![\w&'’-])(?:" + "|".join(alternatives) + r")(?:(?<=[A-Za-z])\.(?!\w))?(?![\w&-])",
        re.IGNORECASE,
    )
    covered: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        covered[m.article].append(m)
    found: list[Mention] = []
    cut_short: set[Mention] = set()
    for item in parsed:
        doc = item.doc
        if doc is None:
            continue
        spans = covered[item.article.id]
        tagged = [(e.start_char, e.end_char) for e in doc_entities(doc)]
        for match in pattern.finditer(item.article.text):
            start, end = match.span()
            label, tagged_text = names[_repeat_key(match.group(0))]
            written = match.group(0)
            if written.endswith(".") and not tagged_text.endswith("."):
                end -= 1
                written = written[:-1]
            several = len(_words(tagged_text)) >= 2
            inside = [m for m in spans if m.start < end and start < m.end]
            if inside:
                # a longer name as tagged elsewhere, over spans the tagger cut short
                if not (several and _repeat_key(written) == _repeat_key(tagged_text)):
                    continue
                if not all(start <= m.start and m.end <= end and m.end - m.start < end - start for m in inside):
                    continue
                cut_short.update(inside)
            recased = written.replace("’", "'") != tagged_text.replace("’", "'") and not (
                written.isupper() and len(written) >= 4
            )
            if recased and (not several or label == "PERSON" or tagged_text.isupper()):
                continue  # only organisations and places are written in lower case
            if _dateline(item.article.text, start, end) and written.isupper():
                pass  # "KESSA -" at the head of a paragraph: a dateline names a place, whatever the tagger read
            elif not several or written.isupper():
                if written.lower() in lowercase or any(a < end and start < b for a, b in tagged):
                    continue  # a word also written as a common noun, or part of another tagged name
                token = doc.char_span(start, end, alignment_mode="expand")
                if token is None or any(t.pos_ not in {"PROPN", ""} for t in token):
                    continue  # the tagger, where it ran, reads a proper noun
            mention = Mention(item.article.id, item.sentence_at(start), start, end, written, label)
            found.append(mention)
            spans.append(mention)
    return found, cut_short


def _stem_length(word: str) -> int:
    """Letters of a word that other endings keep (``licence``/``licensing``): all but four, at least five."""
    return max(5, len(word) - 4)


def _stem_pattern(words: Sequence[str]) -> str:
    """A pattern for the words before a head word in other endings, the head as written."""
    parts = [
        re.escape(w[: _stem_length(w)].lower()) + "[a-z]*" if len(w) >= 5 else re.escape(w.lower()) for w in words[:-1]
    ]
    return r"\s+".join([*parts, re.escape(words[-1].lower())])


def _described_bodies(parsed: Sequence[ParsedArticle], mentions: Sequence[Mention]) -> list[Mention]:
    """``the investigation board`` where an ``Investigative Board`` is tagged: a tagged organisation's
    last words (two or more) written in lower case after ``the``, with the same stems in other endings,
    outside any tagged span. ``_link_described`` decides whether it is that organisation."""
    tails: set[tuple[str, ...]] = set()
    for m in mentions:
        words = [w for w in _words(m.text.strip()) if w.lower() != "the"]
        if m.label != "ORG" or len(words) < 2 or not all(w[:1].isupper() or w.lower() in _ACRONYM_SKIP for w in words):
            continue
        for n in range(2, min(len(words), 3) + 1):
            tail = tuple(words[-n:])
            if all(w.isalpha() and w[:1].isupper() for w in tail):
                tails.add(tail)
    if not tails:
        return []
    pattern = re.compile(
        r"(?<=\bthe )(?:" + "|".join(sorted({_stem_pattern(t) for t in tails}, key=len, reverse=True)) + r")\b"
    )
    covered: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        covered[m.article].append(m)
    found: list[Mention] = []
    for item in parsed:
        spans = covered[item.article.id]
        tagged = [(e.start_char, e.end_char) for e in doc_entities(item.doc)] if item.doc is not None else []
        for match in pattern.finditer(item.article.text):
            start, end = match.span()
            if any(m.start < end and start < m.end for m in spans) or any(a < end and start < b for a, b in tagged):
                continue
            found.append(Mention(item.article.id, item.sentence_at(start), start, end, match.group(0), "ORG"))
    return found


def _repeat_key(text: str) -> str:
    """How a repeated name is looked up: lower case, one apostrophe, no final full stop."""
    return text.lower().replace("’", "'").removesuffix(".")


def _join_adjacent_people(parsed: Sequence[ParsedArticle], mentions: list[Mention]) -> list[Mention]:
    """Two person spans with only a space between them are one long name the tagger cut in two
    ("Halvard Okafor Bensu al-Kessan"): prose never writes two people's names side by side. A
    given name the tagger took for a nationality joins the surname after it where these articles
    also write the whole name as a person's."""
    texts = {item.article.id: item.article.text for item in parsed}
    people = {name_key(m.text, "PERSON") for m in mentions if m.label == "PERSON"}
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.article, m.start, m.end)):
        last = out[-1] if out else None
        if (
            last is not None
            and last.article == m.article
            and m.label == "PERSON"
            and texts[m.article][last.end : m.start] == " "
            and last.sentence == m.sentence
            and (
                last.label == "PERSON"
                or (last.label == "NORP" and name_key(texts[m.article][last.start : m.end], "PERSON") in people)
            )
        ):
            out[-1] = Mention(m.article, m.sentence, last.start, m.end, texts[m.article][last.start : m.end], "PERSON")
            continue
        out.append(m)
    return out


def _trim_capitals(mentions: list[Mention]) -> list[Mention]:
    """A headline line in capitals read as one long name (``KESTREL FC SIGN OKAFOR``): the name that opens
    it, where the story writes that name elsewhere not in capitals (``Kestrel FC``)."""
    written = {m.text.casefold(): m.label for m in mentions if not m.text.isupper()}
    return [_opening_name(m, written) if m.text.isupper() else m for m in mentions]


#: Small words a name keeps inside it in lower case ("Bank of America", "Ordre des Avocats"): written with
#: a capital, they are still part of a name; any other stop word with a capital is a headline's case.
_NAME_INNER_WORDS = frozenset(
    {"of", "and", "the", "de", "des", "du", "la", "le", "les", "von", "van", "der", "den", "y", "al", "el", "da",
     "di", "do", "dos", "das", "del", "for"}
)  # fmt: skip


def _trim_headline_case(mentions: list[Mention]) -> list[Mention]:
    """A headline in title case read as one long name (``Kestrel Sign Deal With Okafor``): the name that closes
    or opens it, where the story writes that name elsewhere. Only a mention written once, holding a small word
    with a capital that no name keeps (``To``, ``With``, ``After``), is cut."""
    from spacy.lang.en.stop_words import STOP_WORDS  # noqa: PLC0415

    small = STOP_WORDS - _NAME_INNER_WORDS  # words a headline capitalises and no name keeps
    counts = Counter(m.text for m in mentions)
    written = {m.text.casefold(): m.label for m in mentions if counts[m.text] > 1 or len(m.text.split()) < 3}
    out = []
    for m in mentions:
        words = list(re.finditer(r"\S+", m.text))
        marks = [k for k, w in enumerate(words) if k and w.group()[:1].isupper() and w.group().lower() in small]
        if counts[m.text] > 1 or len(words) < 3 or not marks:
            out.append(m)
            continue
        closing = " ".join(w.group() for w in words[marks[-1] + 1 :])
        opening = " ".join(w.group() for w in words[: marks[0]])
        for part, start in ((closing, marks[-1] + 1), (opening, 0)):
            label = written.get(part.casefold()) if part else None
            if label is not None:
                a = m.start + words[start].start()
                out.append(Mention(m.article, m.sentence, a, a + len(part), part, label))
                break
        else:
            out.append(m)
    return out


def _opening_name(m: Mention, written: dict[str, str]) -> Mention:
    """``m`` cut to the longest run of its first words that is a name in ``written`` (not all of them)."""
    ends = [w.end() for w in re.finditer(r"\S+", m.text)]
    for end in reversed(ends[:-1] if len(ends) >= 3 else []):
        label = written.get(" ".join(m.text[:end].split()).casefold())
        if label is not None:
            return Mention(m.article, m.sentence, m.start, m.start + end, m.text[:end], label)
    return m


def _split_pairs(mentions: list[Mention]) -> list[Mention]:
    """``Okafor and Brenner`` tagged as one organisation: two names, where the story writes each alone."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        labels[m.text][m.label] += 1
    out: list[Mention] = []
    for m in mentions:
        pair = re.fullmatch(r"(.+?) (?:and|&) (.+)", m.text) if m.label == "ORG" else None
        if pair is None or not all(labels.get(part) for part in pair.groups()):
            out.append(m)
            continue
        for k in (1, 2):
            part = pair.group(k)
            start = m.start + pair.start(k)
            label = labels[part].most_common(1)[0][0]
            out.append(Mention(m.article, m.sentence, start, start + len(part), part, label))
    return out


#: Nouns that end the name of a building or an institution housed in one: "in" a place after it says where it
#: stands ("the Orlen Clinic in Kessa"), unlike a movement's branch named after where it acts.
_BUILDINGS = FACILITY_NOUNS | frozenset(
    {"center", "centre", "clinic", "hotel", "school", "university", "college", "church", "mosque", "temple",
     "museum", "library", "mall", "store", "factory", "plant", "mine", "hall", "theatre", "theater"}
)  # fmt: skip


def _join_org_in_place(parsed: Sequence[ParsedArticle], mentions: list[Mention]) -> list[Mention]:
    """``Kessa Front in Halvard``: an ORG followed by ``in`` and a place is one name when more than one
    article writes it, and no article writing it names the organisation without the place."""
    texts = {item.article.id: item.article.text for item in parsed}
    pairs: list[tuple[int, int]] = []
    seen: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if (
            a.article == b.article
            and a.label == "ORG"
            and b.label in PLACE_TYPES
            and texts[a.article][a.end : b.start] == " in "
        ):
            pairs.append((i, i + 1))
            seen[(*name_key(a.text, "ORG"), "in", *name_key(b.text, b.label))].add(a.article)
    # where an article writing "X in P" also writes X alone, "in P" says where X is ("the Kessa
    # Clinic in Leeds ... the Kessa Clinic said"): the name is X
    paired = {i for pair in pairs for i in pair}
    alone = {
        (m.article, name_key(m.text, "ORG")) for i, m in enumerate(mentions) if m.label == "ORG" and i not in paired
    }
    located = {
        name_key(mentions[i].text, "ORG")
        for i, _ in pairs
        if (mentions[i].article, name_key(mentions[i].text, "ORG")) in alone
    }
    drop: set[int] = set()
    joined: dict[int, Mention] = {}
    for i, j in pairs:
        a, b = mentions[i], mentions[j]
        if name_key(a.text, "ORG") in located or _words(a.text)[-1].lower() in _BUILDINGS:
            continue  # "the Kessa Care Center in Leeds": a building is where it stands, not named after it
        if len(seen[(*name_key(a.text, "ORG"), "in", *name_key(b.text, b.label))]) >= 2:
            text = texts[a.article][a.start : b.end]
            joined[i] = Mention(a.article, a.sentence, a.start, b.end, text, "ORG")
            drop.add(j)
    return [joined.get(i, m) for i, m in enumerate(mentions) if i not in drop]


# --------------------------------------------------------------------------- linking


class _Groups:
    """Union-find over name forms."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Guarded(_Groups):
    """Union-find over forms that refuses a union joining two people a name tells apart.

    Two full names of people conflict when they are neither one name with parts dropped nor
    variants of each other, or when their suffixes differ (``Jr.`` and ``Sr.``): a short or
    partial form that fits both then joins only one of them.
    """

    def __init__(self, forms: Sequence[_Form]) -> None:
        super().__init__(len(forms))
        self.forms = forms
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(forms))}

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if any(_conflict(self.forms[i], self.forms[j]) for i in self.members[ra] for j in self.members[rb]):
            return
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.members[keep].extend(self.members.pop(gone))


@dataclass
class _Form:
    key: tuple[str, ...]
    type: str
    mentions: list[Mention]
    suffix: str = ""

    @property
    def articles(self) -> set[str]:
        return {m.article for m in self.mentions}


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def same_token(a: str, b: str) -> bool:
    """Name tokens agree: equal keys, or one edit apart in a long name with the same first letter."""
    if a == b:
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < 6:
        return False
    return _edit_distance(a, b, 1) <= 1


def _given_match(a: str, b: str) -> bool:
    """Given names agree: the same (spelling-tolerant), one is the other's initial, or one is a
    nickname of the other (``Kate`` of ``Katherine``, from the ``nicknames`` package's table)."""
    if same_token(a, b) or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return len(a) > 1 and len(b) > 1 and (a, b) in _nicknames()


@cache
def _nicknames() -> frozenset[tuple[str, str]]:
    """Pairs of name keys, both ways, of a given name and each of its nicknames (loaded once, when first needed)."""
    from nicknames import NickNamer  # noqa: PLC0415

    table = NickNamer().nickname_lookup
    pairs: set[tuple[str, str]] = set()
    for canonical, nicknames in table.items():
        for nickname in nicknames:
            # Only a nickname that begins as the name does, or one the table lists both ways ("Bob" and
            # "Robert"): a name in its own right that the table lists once ("Erin" of "Aaron") is another person.
            if nickname[:1] != canonical[:1] and canonical not in table.get(nickname, ()):
                continue
            a, b = token_key(canonical), token_key(nickname)
            if a != b:
                pairs |= {(a, b), (b, a)}
    return frozenset(pairs)


def _compatible(short: tuple[str, ...], long: tuple[str, ...], type_class: str) -> bool:
    """``short`` is ``long`` with middle parts dropped; first and last parts must agree.

    For people a given name may be an initial (``Z. Okafor`` = ``Zlatan Okafor``), and a
    leading initial of the longer name may go (``W. Tomas Brenner`` = ``Tomas Brenner``).
    """
    if type_class == "PLACE":
        while len(long) > len(short) and long[-1] in _regions() and short[-1] not in _generic():
            long = long[:-1]  # "Ta Ruon township" is "Ta Ruon" ("Leeds station" is not "Leeds")
    if (
        type_class == "PERSON"
        and len(short) >= 2
        and len(long) - len(short) >= 2
        and all(same_token(a, b) for a, b in zip(short, long, strict=False))
    ):
        return True  # a name and its chain of father's and family names: "Ada Okafor Bensu Kessan"
    if len(short) < 2 or len(short) > len(long) or not same_token(short[-1], long[-1]):
        return False
    if type_class == "PERSON":
        if len(short) == 2 and len(short[0]) <= 2 and long[-2:] == short:
            return True  # a surname with its particle: "Lo Presti" of "Gaetano Lo Presti"
        while len(long) > len(short) and len(long[0]) == 1 and not _given_match(short[0], long[0]):
            long = long[1:]
        match = _given_match
    else:
        match = same_token
    if not match(short[0], long[0]):
        return False
    pos = 1
    for tok in short[1:]:
        while pos < len(long) and not match(tok, long[pos]):
            pos += 1
        if pos == len(long):
            return False
        pos += 1
    if type_class == "PERSON" or len(short) == len(long):
        return True
    # Places and organisations may drop generic words only ("border", "crossing").
    return all(any(same_token(tok, s) for s in short) or tok in _generic() for tok in long)


@cache
def _regions() -> frozenset[str]:
    """Keys of the nouns after a place's name that name the place itself ("province", "village", "valley")."""
    return frozenset(token_key(w) for w, t in PLACE_NOUNS.items() if t in ("GPE", "LOC"))


@cache
def _generic() -> frozenset[str]:
    """Keys of the generic words a place or facility name may drop ("border", "crossing", "province")."""
    return frozenset(token_key(w) for w in (*PLACE_NOUNS, *PLACE_MODIFIERS))


def _near(a: str, b: str) -> bool:
    """Two spellings of one name token a transliteration or a typo apart (one edit, or a leading letter)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 3:
        return False
    return _edit_distance(a, b, 1) <= 1


def _variant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Full names of one person spelled apart: a short or variant given name (``Nick``/``Nicholas``,
    ``Yelena``/``Elena``) with the same surname, or the same given name with a
    surname one edit apart (``Valenti``/``Valentin``). Used only for forms no article writes side by side."""
    if len(a) < 2 or len(b) < 2:
        return False
    (ga, sa), (gb, sb) = (a[0], a[-1]), (b[0], b[-1])
    if same_token(sa, sb):
        short, long = sorted((ga, gb), key=len)
        return len(short) >= 3 and (long[:3] == short[:3] or (len(short) >= 4 and _near(ga, gb)))
    return same_token(ga, gb) and len(ga) > 1 and sa[:1] == sb[:1] and _near(sa, sb)


def _conflict(f: _Form, g: _Form) -> bool:
    """Two forms that name different people: full names that neither contain nor vary each other."""
    if f.type != "PERSON" or g.type != "PERSON" or len(f.key) < 2 or len(g.key) < 2:
        return False
    if f.suffix and g.suffix and f.suffix != g.suffix:
        return True
    short, long = sorted((f.key, g.key), key=len)
    return not (_compatible(short, long, "PERSON") or _variant(f.key, g.key))


def _forms(mentions: Iterable[Mention]) -> list[_Form]:
    by_key: dict[tuple[str, tuple[str, ...], str], list[Mention]] = defaultdict(list)
    labels: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)

    def label_of(m: Mention) -> str:
        # An honorific makes a person, whatever the tagger said ("Ms Varga" tagged as an organisation).
        return "PERSON" if _words(m.text)[0].rstrip(".").lower() in HONORIFICS else m.label

    for m in mentions:
        key = name_key(m.text, label_of(m))
        if key:
            labels[key][label_of(m)] += 1
    for m in mentions:
        key = name_key(m.text, label_of(m))
        if not key:
            continue
        # A spelling's type is the type most of its mentions got (the tagger is noisy on rare names).
        label = labels[key].most_common(1)[0][0]
        if _words(m.text)[0].rstrip(".").lower() in HONORIFICS:
            label = "PERSON"
        suffix = name_suffix(m.text) if label == "PERSON" else ""
        by_key[(_type_class(label), key, suffix)].append(m)
    return [_Form(key, tclass, ms, suffix) for (tclass, key, suffix), ms in sorted(by_key.items())]


def link_entities(parsed: Sequence[ParsedArticle], options: EntityOptions | None = None) -> list[Entity]:
    """Group the named-entity mentions of these articles into entities."""
    opts = options or EntityOptions()
    mentions = extract_mentions(parsed, opts)
    defined = _defined_acronyms(parsed, mentions)[1]
    forms = _merge_forms(_forms(mentions), _lowercase_words(parsed), defined)
    groups = _Guarded(forms)
    # Full names are compared within blocks of one type and last letter (fuzzy matches keep it);
    # the surest pairs join first, the most mentioned first, so a partial name fitting two people joins one.
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    regions = _regions()
    for i, f in enumerate(forms):
        if len(f.key) >= 2:
            # by the last word that is not a region noun: "Ta Ruon" and "Ta Ruon township" meet
            proper = [t for t in f.key if t not in regions] if f.type == "PLACE" else []
            blocks[(f.type, (proper or list(f.key))[-1][:1])].append(i)
            if f.type == "PERSON":  # a name and its longer chain meet by the given name
                blocks[(f.type, "^" + f.key[0][:1])].append(i)
    sure: list[tuple[int, int]] = []
    loose: list[tuple[int, int]] = []
    compared: set[tuple[int, int]] = set()
    for members in blocks.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if (i, j) in compared:
                    continue
                compared.add((i, j))
                a, b = sorted((forms[i], forms[j]), key=lambda f: len(f.key))
                if _compatible(a.key, b.key, a.type):
                    sure.append((i, j))
                elif a.type == "PERSON" and _variant(a.key, b.key) and not a.articles & b.articles:
                    loose.append((i, j))

    def weight(pair: tuple[int, int]) -> tuple[int, bool, int, int]:
        a, b = forms[pair[0]], forms[pair[1]]
        return (-len(a.mentions) - len(b.mentions), a.key != b.key, *pair)

    for i, j in sorted(sure, key=weight) + sorted(loose, key=weight):
        groups.union(i, j)
    _link_qualified(forms, groups)
    _link_reordered(forms, groups)
    _link_parts(forms, groups)
    _link_described(forms, groups)
    _link_affiliates(parsed, forms, groups)

    # Short references, mention by mention.
    assigned: dict[int, list[Mention]] = defaultdict(list)
    for i, form in enumerate(forms):
        if len(form.key) >= 2:
            assigned[groups.find(i)].extend(form.mentions)
    counts = {root: Counter(m.article for m in ms) for root, ms in assigned.items()}
    lonely: dict[tuple[str, tuple[str, ...]], list[Mention]] = defaultdict(list)
    common = frozenset(token_key(w) for w in _lowercase_words(parsed))
    for form in forms:
        if len(form.key) >= 2:
            continue
        candidates = _short_candidates(form, forms, groups, common)
        for m in form.mentions:
            root = _choose(candidates, counts, m.article, opts.dominance)
            if root is None:
                lonely[(form.type, form.key)].append(m)
            else:
                assigned[root].append(m)
    clusters = list(assigned.values()) + list(lonely.values())
    titles = {item.article.id: (item.article.title or "") for item in parsed}
    entities = [_entity(ms, titles) for ms in clusters if ms]
    entities.sort(key=lambda e: (-e.salience["mentions"], e.canonical))
    return _with_ids(entities)


def _lowercase_words(parsed: Sequence[ParsedArticle]) -> frozenset[str]:
    """Words these articles write in lower case somewhere: common nouns, not names."""
    return frozenset(w for item in parsed for w in re.findall(r"(?<![\w.])[a-z]{3,}\b", item.article.text))


def _place_keys(forms: Sequence[_Form]) -> set[tuple[str, ...]]:
    return {f.key for f in forms if f.type in {"PLACE", "NORP"}}


def _is_place_words(words: Sequence[str], key: tuple[str, ...], places: set[tuple[str, ...]]) -> bool:
    return key in places or place_id(" ".join(words)) is not None


def _link_qualified(forms: Sequence[_Form], groups: _Guarded) -> None:
    """An organisation or facility named with its place, and the same name without it.

    ``Leeds Harriers`` / ``Harriers``, ``Kenyan Harbour Authority`` / ``Harbour
    Authority``, ``Halden Clinic in Leeds`` / ``Halden Clinic``: the qualifier is a place or
    a nationality the story names. When two different qualified names shorten to one name (two
    countries' health ministries), the short name stays apart.
    """
    places = _place_keys(forms)
    index: dict[tuple[str, tuple[str, ...]], int] = {}
    for i, f in enumerate(forms):
        if f.type in {"ORG", "PLACE"}:
            index.setdefault((f.type, f.key), i)
    qualified: dict[int, set[int]] = defaultdict(set)  # short form -> roots of the qualified names
    for i, f in enumerate(forms):
        if f.type not in {"ORG", "PLACE"} or len(f.key) < 2:
            continue
        words = [w for w in _words(f.mentions[0].text) if w.lower() not in PARTICLES]
        if len(words) != len(f.key):
            continue
        cores: list[tuple[str, ...]] = []
        if "in" in f.key[1:-1]:
            # "X in Leeds" is X; "X in Iraq" names a branch of X in a country, another organisation
            at = f.key.index("in", 1)
            if _is_place_words(words[at + 1 :], f.key[at + 1 :], places) and not is_country(" ".join(words[at + 1 :])):
                cores.append(f.key[:at])
        for k in range(1, len(f.key)):
            if _is_place_words(words[:k], f.key[:k], places):
                cores.append(f.key[k:])
        for core in cores:
            j = index.get((f.type, core))
            if j is not None and j != i:
                qualified[j].add(groups.find(i))
    for j, roots in qualified.items():
        if len(roots) == 1:
            groups.union(j, roots.pop())


def _link_reordered(forms: Sequence[_Form], groups: _Guarded) -> None:
    """``Ministry of Harbours`` and ``Harbours Ministry``: an organisation named with ``of``, and turned round."""
    index: dict[tuple[str, ...], int] = {}
    for i, f in enumerate(forms):
        if f.type == "ORG":
            index.setdefault(f.key, i)
    for i, f in enumerate(forms):
        if f.type != "ORG":
            continue
        for m in f.mentions:
            words = _without_legal_form(_words(m.text))
            lower = [w.lower() for w in words]
            if "of" not in lower[1:-1]:
                continue
            at = lower.index("of")
            turned = " ".join(w for w in words[at + 1 :] + words[:at] if w.lower() != "the")
            j = index.get(name_key(turned, "ORG"))
            if j is not None and j != i:
                groups.union(i, j)
                break


def _places_after(form: _Form, n: int) -> bool:
    """The words of ``form``'s name after its first ``n`` are a place or nationality (``India``, ``Kenyan``)."""
    words = [w for w in _without_legal_form(_words(form.mentions[0].text)) if w.lower() not in PARTICLES]
    rest = words[n:]
    return bool(rest) and len(words) == len(form.key) and place_id(" ".join(rest)) is not None


def _of_after(form: _Form, n: int) -> bool:
    """``form``'s name goes on with ``of`` after its first ``n`` words (``Harbour Board of Kessa``)."""
    words = [w for w in _words(form.mentions[0].text) if w.lower() not in PARTICLES]
    return len(words) > n + 1 and words[n].lower() == "of"


def _link_parts(forms: Sequence[_Form], groups: _Guarded) -> None:
    """An organisation's name and the same name with words after or before it.

    ``Harbour Commission`` / ``Higher Harbour Commission``, ``Kestrel Motors`` / ``Kestrel Motors
    Kenya``, ``Harbour Board`` / ``Harbour Board of Kessa``: a shorter name of several words that
    ends the one longer name of the story it fits, or begins it before a place or ``of``, is that
    organisation (``Air Kessa Express`` is not ``Air Kessa``). A
    part that fits two longer names stays apart. One-word names are short references, linked
    mention by mention (``_short_candidates``).
    """
    roots: dict[int, set[int]] = defaultdict(set)
    orgs = [i for i, f in enumerate(forms) if f.type == "ORG" and len(f.key) >= 2]
    for i in orgs:
        short = forms[i].key
        for j in orgs:
            long = forms[j].key
            if _initials_lead(forms[i], forms[j]):
                roots[i].add(groups.find(j))
            if len(long) <= len(short):
                continue
            head = long[: len(short)] == short and (
                _places_after(forms[j], len(short)) or _of_after(forms[j], len(short))
            )
            if head or long[-len(short) :] == short or _inner_words_dropped(short, long):
                roots[i].add(groups.find(j))
    for i, found in roots.items():
        found.discard(groups.find(i))
        longer = [j for j in orgs if groups.find(j) in found]
        if found and _one_name(forms[i].key, [forms[j].key for j in longer]):
            for root in found:
                groups.union(i, root)


def _initials_lead(short: _Form, long: _Form) -> bool:
    """``KA Express`` for ``Kessa Air Express``: the short name's first word, written in capitals,
    spells the initials of the long name's first words, and the words after agree."""
    for m in short.mentions:
        words = _words(m.text.strip())
        lead = words[0] if words else ""
        if not (2 <= len(lead) <= 4 and lead.isupper() and lead.isalpha()):
            continue
        n = len(lead)
        rest = short.key[1:]
        if len(long.key) != n + len(rest) or long.key[n:] != rest:
            continue
        for written in {m.text for m in long.mentions}:
            full = [w for w in _words(written.strip()) if w.lower() not in _ACRONYM_SKIP]
            if len(full) >= n and "".join(w[0] for w in full[:n]).upper() == lead:
                return True
    return False


def _same_stem(a: str, b: str) -> bool:
    """Two words of one stem written with other endings (``licence``/``licensing``): the shorter one's
    stem (``_stem_length``) begins both."""
    n = _stem_length(min(a, b, key=len))
    return min(len(a), len(b)) >= n and a[:n] == b[:n]


def _described(form: _Form) -> bool:
    """An organisation written in lower case where its name would be capitalised (``the licensing board``)."""
    return all(not any(w[:1].isupper() for w in _words(m.text) if w.lower() != "the") for m in form.mentions)


def _link_described(forms: Sequence[_Form], groups: _Guarded) -> None:
    """A body described in lower case with its name's words in other forms (``the investigation board``
    for the ``Investigative Board``, ``the licensing office`` for the ``Licence Office``):
    the same head word, the words before it of the same stems as the name's last words, and one
    organisation of the story it fits."""
    orgs = [i for i, f in enumerate(forms) if f.type == "ORG" and len(f.key) >= 2]
    for i in orgs:
        short = forms[i].key
        if not _described(forms[i]):
            continue
        fits = {
            groups.find(j)
            for j in orgs
            if j != i
            and not _described(forms[j])
            and len(forms[j].key) >= len(short)
            and forms[j].key[-1] == short[-1]
            and all(_same_stem(a, b) for a, b in zip(short[:-1], forms[j].key[-len(short) : -1], strict=True))
        }
        fits.discard(groups.find(i))
        if len(fits) == 1:
            groups.union(i, fits.pop())


def _inner_words_dropped(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """``short`` is ``long`` with inner words left out: the same first and last words, the rest in order."""
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    rest = iter(long[1:-1])
    return all(word in rest for word in short[1:-1])


def _one_name(short: tuple[str, ...], longer: Sequence[tuple[str, ...]]) -> bool:
    """Longer names that could all be one organisation: what each adds to ``short`` the other has.

    ``Kessa Harbour Board`` and ``Harbour Board of the Kessa Ports Office`` agree; ``Kenyan
    Health Ministry`` and ``Ugandan Health Ministry`` do not.
    """
    for n, a in enumerate(longer):
        for b in longer[n + 1 :]:
            extra_a, extra_b = set(a) - set(short), set(b) - set(short)
            if not (extra_a <= set(b) or extra_b <= set(a)):
                return False
    return True


def _initials(text: str) -> str:
    """The initials of a name's words, skipping function words ("Directorate General of Harbour Safety": DGHS)."""
    words = _without_legal_form(_words(text))
    return "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP and w[:1].isalpha()).upper()


def _acronym(form: _Form) -> str | None:
    """The acronym a one-word form is written as (``DGHS``, ``Nato``), or None."""
    if len(form.key) != 1:
        return None
    texts = {m.text.strip() for m in form.mentions}
    caps = [t for t in texts if t.isupper() and t.isalpha() and 2 <= len(t) <= 6]
    return caps[0] if caps else None


def _merge_forms(
    forms: list[_Form],
    lowercase: frozenset[str] = frozenset(),
    defined: Iterable[tuple[str, tuple[str, ...]]] = (),
) -> list[_Form]:
    """Forms that name one thing in different ways, merged before linking.

    - a role or nationality word before a person's full name (``Harbourmaster Ada Okafor``,
      ``Kenyan Ada Okafor``) is not part of it: a leading word the story writes in lower case
      elsewhere (in ``lowercase``), or a place or nationality it names;
    - a one-word name the gazetteer knows as a place is a place, whatever the tagger said,
      unless a person's full name in the story starts or ends with it;
    - one-word spelling variants (``Korvaleik`` / ``Korvalek``, one edit in a long name), of one
      type, or of two types the tagger gave when no article writes both;
    - a one-word name and a name of several words run together (``Tanvoy`` / ``Tan Voy``);
    - an acronym and the one name of the story whose initials spell it (``DGHS``), or the name
      a text defines it as in brackets (``defined``: acronym key, name key);
    - two names of one place in the gazetteer (``Bombay`` / ``Mumbai``).
    """
    forms = _retyped(forms, lowercase)
    groups = _Groups(len(forms))
    same_key: dict[tuple[str, tuple[str, ...], str], int] = {}
    for i, f in enumerate(forms):
        first = same_key.setdefault((f.type, f.key, f.suffix), i)
        if first != i:
            groups.union(first, i)
    singles = [i for i, f in enumerate(forms) if len(f.key) == 1]
    joined: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(forms):
        if len(f.key) >= 2:
            joined[(f.type, "".join(f.key))].append(i)
    for n, i in enumerate(singles):
        for j in singles[n + 1 :]:
            a, b = forms[i], forms[j]
            if same_token(a.key[0], b.key[0]) and _types_agree(a, b) and not _gazetteer_apart(a, b):
                groups.union(i, j)
        targets = joined.get((forms[i].type, forms[i].key[0]), [])
        if not targets and forms[i].type == "PLACE":
            # a place the tagger read as a person or an organisation where it is written in two words
            targets = [
                j
                for kind in ("PERSON", "ORG")
                for j in joined.get((kind, forms[i].key[0]), [])
                if _types_agree(forms[i], forms[j]) and not _titled(forms[j])
            ]
        if len(targets) == 1:
            groups.union(i, targets[0])
    _merge_place_spellings(forms, groups)
    for i in singles:
        acronym = _acronym(forms[i])
        if acronym is not None:
            spelled = {groups.find(j) for j, f in enumerate(forms) if len(f.key) >= 2 and _spells(acronym, f)}
        elif forms[i].type == "ORG":  # a name of syllables ("Kesco")
            spelled = {
                groups.find(j)
                for j, f in enumerate(forms)
                if f.type == "ORG" and len(f.key) >= 2 and _syllables_spell(forms[i], f)
            }
        else:
            continue
        if len(spelled) == 1:
            groups.union(i, spelled.pop())
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, f in enumerate(forms):
        if f.type != "PERSON":
            by_key[f.key].append(i)
    for acronym, name in defined:
        for i in by_key.get((acronym,), []):
            for j in by_key.get(name, []):
                groups.union(i, j)
    by_place: dict[int, list[int]] = defaultdict(list)
    for i, f in enumerate(forms):
        if f.type == "PLACE":
            place = place_id(f.mentions[0].text)
            if place is not None:
                by_place[place].append(i)
    for members in by_place.values():
        for j in members[1:]:
            groups.union(members[0], j)
    merged: dict[int, list[int]] = defaultdict(list)
    for i in range(len(forms)):
        merged[groups.find(i)].append(i)
    out = []
    for members in merged.values():
        if len(members) == 1:
            out.append(forms[members[0]])
            continue
        main = max(members, key=lambda k: (len(forms[k].key), len(forms[k].mentions), -k))
        mentions = [m for k in members for m in forms[k].mentions]
        out.append(_Form(forms[main].key, forms[main].type, mentions, forms[main].suffix))
    return out


def _types_agree(a: _Form, b: _Form) -> bool:
    """Two spellings may be one name by their types: the same type; two of person, organisation and
    place when no article writes both; or types the tagger gave both spellings somewhere (a foreign
    name it reads as a place in one sentence and a person in the next)."""
    if a.type == b.type:
        return True
    if not {a.type, b.type} <= {"PERSON", "ORG", "PLACE"}:
        return False
    return not a.articles & b.articles or bool(_label_classes(a) & _label_classes(b))


def _label_classes(form: _Form) -> set[str]:
    return {_type_class(m.label) for m in form.mentions}


def _titled(form: _Form) -> bool:
    return any(_words(m.text)[0].rstrip(".").lower() in HONORIFICS for m in form.mentions)


def _merge_place_spellings(forms: Sequence[_Form], groups: _Groups) -> None:
    """Two spellings of one place a letter apart once its words are run together (``Ta Ruon``,
    ``Ta Roun`` and ``Taruon``): long enough that one letter is a spelling, not another name, and
    never two places the gazetteer tells apart."""
    places = [(i, "".join(f.key)) for i, f in enumerate(forms) if f.type == "PLACE" and not set(f.key) & _regions()]
    for n, (i, a) in enumerate(places):
        for j, b in places[n + 1 :]:
            if a == b or a[:1] != b[:1] or min(len(a), len(b)) < 7 or _edit_distance(a, b, 1) > 1:
                continue
            if not _gazetteer_apart(forms[i], forms[j]):
                groups.union(i, j)


def _gazetteer_apart(a: _Form, b: _Form) -> bool:
    """Both spellings are places the gazetteer knows, and they are two places (``Changsha``, ``Changshu``)."""
    if a.key == b.key:
        return False
    known = {place_id(f.mentions[0].text) for f in (a, b)}
    return None not in known and len(known) == 2


def _retyped(forms: list[_Form], lowercase: frozenset[str]) -> list[_Form]:
    """Role words dropped from people's names, a given name and surname the tagger took for a place
    typed as a person, and gazetteer places typed as places (see ``_merge_forms``)."""
    people = {f.key for f in forms if f.type == "PERSON" and len(f.key) >= 2}
    places = _place_keys(forms)
    person_parts = {t for key in people for t in (key[0], key[-1])}
    surnames = {f.key[0] for f in forms if f.type == "PERSON" and len(f.key) == 1}
    orgs = {f.key for f in forms if f.type == "ORG"}
    regions = _regions()
    # names the story also writes with a region noun after them ("Ta Ruon" and "Ta Ruon township"; a
    # stadium or a square named after a person does not make the person a place)
    place_heads = {
        f.key[:k]
        for f in forms
        if f.type == "PLACE"
        for k in range(1, len(f.key))
        if all(t in regions for t in f.key[k:])
    }
    out: list[_Form] = []
    for form in forms:
        f = form
        titled = _titled(f)
        misread = f.type in {"PERSON", "ORG"} or (f.type == "NORP" and len(f.key) >= 2)
        if misread and f.key in place_heads and not titled:
            # a village the tagger took for a person, a region for a nationality: the story names it as a place too
            f = _Form(f.key, "PLACE", f.mentions, "")
        elif (
            len(f.key) == 2
            and f.type == "PLACE"
            and f.key[-1] in surnames
            and not set(f.key) & _generic()
            and all(place_id(m.text) is None for m in f.mentions)
        ):
            # "Ada Okafor" tagged as a place where "Okafor" alone is a person: a person's name
            f = _Form(f.key, "PERSON", f.mentions, f.suffix)
        elif (
            len(f.key) in (2, 3)
            and f.type == "ORG"
            and f.key[-1] in surnames
            and any(m.label == "PERSON" for m in f.mentions)
            and not set(f.key) & _generic()
        ):
            # a name the tagger read as an organisation more often than as a person, whose surname the
            # story writes alone as a person's ("Ms Okafor"): a person's name
            f = _Form(f.key, "PERSON", f.mentions, name_suffix(f.mentions[0].text))
        elif len(f.key) >= 3 and f.type in {"PERSON", "ORG", "NORP"}:
            # leading words that are roles, places or names of organisations: "Kestrel QB Ada Okafor"
            words = _words(_without_honorific(f.mentions[0].text))
            for k in range(1, len(f.key) - 1):
                if f.key[k:] in people and len(words) == len(f.key):
                    if all(_lead_word(w, lowercase, places, orgs) for w in words[:k]):
                        f = _Form(f.key[k:], "PERSON", f.mentions, f.suffix)
                    break
        elif len(f.key) == 1 and f.type != "PLACE" and f.key[0] not in person_parts:
            texts = {m.text for m in f.mentions}
            honorific = any(_words(t)[0].rstrip(".").lower() in HONORIFICS for t in texts)
            if not honorific and any(place_id(t) is not None for t in texts):
                f = _Form(f.key, "PLACE", f.mentions, f.suffix)
        out.append(f)
    return out


def _lead_word(word: str, lowercase: frozenset[str], places: set[tuple[str, ...]], orgs: set[tuple[str, ...]]) -> bool:
    """A word before a person's name that is not part of it: a role (written in lower case elsewhere,
    or an abbreviation in capitals), a place or nationality, or an organisation's name."""
    key = (token_key(word),)
    return (
        word.lower() in lowercase
        or (word.isupper() and len(word) <= 4)
        or key in places
        or key in orgs
        or place_id(word) is not None
    )


def _syllables_spell(short: _Form, long: _Form) -> bool:
    """A one-word name made of the first letters (two or more) of each word of a longer name, in
    order: ``Kesco`` for the ``Kessa Company``, ``Harbtrans`` for ``Harbour Transport``."""

    def spells(word: str, parts: Sequence[str]) -> bool:
        if not parts:
            return not word
        head = parts[0]
        return any(
            word[:n] == head[:n] and spells(word[n:], parts[1:]) for n in range(min(len(word), len(head)), 1, -1)
        )

    for m in short.mentions:
        word = m.text.strip().lower()
        if len(word) < 4 or not word.isalpha() or m.text.strip().isupper():
            continue
        for written in {w.text for w in long.mentions}:
            parts = [w.lower() for w in _words(written.strip()) if w.lower() not in _ACRONYM_SKIP]
            if len(parts) >= 2 and all(p.isalpha() for p in parts) and spells(word, parts):
                return True
    return False


def _spells(acronym: str, form: _Form) -> bool:
    """True when some mention of ``form`` has initials spelling ``acronym``."""
    return any(_initials(m.text) == acronym for m in form.mentions)


def _joined_names(form: _Form, singles: set[str]) -> bool:
    """A name written only as two names joined by a hyphen, each of which the story also writes alone
    (``Halvard-Kestrel``, a deal between the two), unlike a name of its own (``Kessa-Orlen`` where
    ``Orlen`` is never written alone)."""
    if len(form.key) != 2 or not all(re.search(r"[^\W\d_]-[A-Z]", m.text) for m in form.mentions):
        return False
    return all(k in singles for k in form.key)


def _short_candidates(
    form: _Form, forms: Sequence[_Form], groups: _Groups, common: frozenset[str] = frozenset()
) -> set[int]:
    """Roots of full-name entities a one-word name can refer to.

    A person's full name claims its surname (or, failing that, its given name) written alone,
    whatever type the tagger gave that word, unless the gazetteer knows it as a place. A name
    with only generic words after it (``Orlen province``, ``Halvard news agency``) claims the bare
    name; a place does not go to a facility named after it (``Leeds`` is not ``Leeds station``).
    Failing those, an organisation's first or last word names it (``Halvard`` for ``Halvard
    Mobility``, ``Brotherhood`` for ``Kessa Brotherhood``) unless the word is one the story also
    writes in lower case (``common``: ``council`` is a common noun, not a name) or the name is
    also written with a legal form (``Halvard Inc.`` is a company's full name, not a short one).
    """
    (tok,) = form.key
    by_last: set[int] = set()
    by_first: set[int] = set()
    by_part: set[int] = set()
    by_blend: set[int] = set()
    blend = _blend_parts(form.mentions[0].text)
    legal = any(len(_words(m.text)) > 1 for m in form.mentions)  # "Halvard Inc." is a full name itself
    known_place = form.type == "PLACE" and place_id(form.mentions[0].text) is not None
    titled = _titled(form)
    written_with_title = titled or any(
        (w := _words(m.text)) and len(w) > 1 and w[0].lower() in TITLE_WORDS for m in form.mentions
    )
    generic = _generic()
    facilities = {token_key(w) for w in FACILITY_NOUNS}
    singles = {f.key[0] for f in forms if len(f.key) == 1}
    for i, other in enumerate(forms):
        if len(other.key) < 2:
            continue
        if other.type == "PERSON":
            if blend and _blend_fits(blend, other):
                by_blend.add(groups.find(i))
            if form.type == "PERSON" or (form.type in {"ORG", "NORP", "PLACE"} and not known_place):
                if other.key[-1] == tok:
                    by_last.add(groups.find(i))
                elif other.key[0] == tok and not written_with_title:
                    # a title goes with a surname ("President Kessan"), or is a monarch's own name
                    by_first.add(groups.find(i))
        elif other.key[0] == tok and other.type != "NORP" and all(t in generic for t in other.key[1:]):
            if form.type == "PLACE" and any(t in facilities for t in other.key[1:]):
                continue
            if form.type == other.type or not titled:
                by_first.add(groups.find(i))
        elif form.type == other.type == "ORG" and tok in (other.key[0], other.key[-1]) and not (legal or tok in common):
            if _joined_names(other, singles):
                continue  # two names joined ("Halvard-Kestrel", a deal or a pair) are neither of them
            by_part.add(groups.find(i))
    return by_last or by_first or by_part or by_blend


#: A name made of the openings of a given name and a surname, each with its capital ("KeLi", "T.Bren"); one
#: joined by a hyphen is two words, and a hyphenated name is compared word by word elsewhere.
_BLEND = re.compile(r"([A-Z][a-z]?)\.?([A-Z][a-z]{1,3})")


def _blend_parts(text: str) -> tuple[str, str] | None:
    """The two openings of a blended name, in lower case; None for any other word."""
    m = _BLEND.fullmatch(text.strip())
    return (m.group(1).lower(), m.group(2).lower()) if m else None


def _blend_fits(parts: tuple[str, str], person: _Form) -> bool:
    """A person's full name the blend is made of, as written: its given name opens with the first part, its
    surname with the second (not the surname itself written with a capital inside, as ``DeLuca``)."""
    for m in person.mentions:
        words = [w.lower() for w in _words(m.text)]
        if len(words) >= 2:
            given, surname = words[0], re.sub(r"['’]s?$", "", words[-1])
            if given.startswith(parts[0]) and surname.startswith(parts[1]) and surname != "".join(parts):
                return True
    return False


def _choose(candidates: set[int], counts: dict[int, Counter[str]], article: str, dominance: float) -> int | None:
    if not candidates:
        return None
    if len(candidates) == 1:
        return next(iter(candidates))
    """The full name a short reference in ``article`` goes to: the one its article names, else the clearly dominant one.

    Names the article itself writes come first; when they tie there, the story at large decides
    among them, with the same ``dominance`` (a stray "Kessa Okafor" beside "Ada Okafor" in one article).
    """
    here = [c for c in candidates if counts[c][article]]
    total = {c: sum(counts[c].values()) for c in candidates}
    for pool in ([(counts[c][article], c) for c in here], [(total[c], c) for c in here or candidates]):
        pool.sort(reverse=True)
        if len(pool) == 1 or (pool and pool[0][0] >= dominance * pool[1][0]):
            return pool[0][1]
    return None


def _link_affiliates(parsed: Sequence[ParsedArticle], forms: Sequence[_Form], groups: _Groups) -> None:
    """Link ``X's Iraqi wing, Y`` to the entity named ``X in Iraq``."""
    index = {(f.type, f.key): i for i, f in enumerate(forms)}
    places = [f.key for f in forms if f.type == "PLACE"]
    pattern = re.compile(rf"(?P<parent>[\w' -]+?)['’]s (?P<dem>[A-Z][a-z]+) {AFFILIATE_WORDS}, (?P<child>[^,]+?),")
    for item in parsed:
        for match in pattern.finditer(item.article.text):
            parent = name_key(match.group("parent").split(",")[-1].strip(), "ORG")
            child = name_key(match.group("child"), "ORG")
            dem = token_key(match.group("dem"))
            country = next((p for p in places if len(p) == 1 and dem.startswith(p[0][: max(3, len(p[0]) - 1)])), None)
            if not parent or country is None:
                continue
            target = index.get(("ORG", (*parent[-2:], "in", *country))) or index.get(("ORG", (*parent, "in", *country)))
            child_form = index.get(("ORG", child))
            if target is not None and child_form is not None:
                groups.union(target, child_form)


def _without_honorific(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[0].endswith(".") and words[0].rstrip(".").lower() in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _without_place_noun(text: str) -> str:
    """The name without the lower-case region noun written after it ("the Kessa region", "Kessa province").

    A facility named after a place is another thing ("Kessa airport" is not Kessa), so only
    the nouns of an administrative area are dropped.
    """
    words = text.split()
    if len(words) > 1 and words[-1].islower() and PLACE_NOUNS.get(words[-1]) == "GPE":
        words.pop()
    return " ".join(words)


def _canonical(mentions: Sequence[Mention]) -> str:
    """The most complete, most frequent well-formed spelling, without honorifics."""
    counts: Counter[str] = Counter(_without_honorific(m.text) for m in mentions)

    def rank(name: str) -> tuple[int, int, int, int, str]:
        well_formed = int(not name.isupper() and name[:1].isupper())
        return (well_formed, len(_words(name)), counts[name], len(name), name)

    return max(counts, key=rank)


def _entity(mentions: list[Mention], titles: dict[str, str]) -> Entity:
    mentions = sorted(mentions, key=lambda m: (m.article, m.start))
    labels = Counter(m.label for m in mentions)
    canonical = _canonical(mentions)
    # Aliases: the spellings as written, most frequent first, then the same names without an
    # honorific or without the region noun the mention was extended by.
    written = Counter(m.text for m in mentions)
    aliases = [a for a, _ in sorted(written.items(), key=lambda kv: (-kv[1], kv[0]))]
    for bare in sorted({_without_place_noun(_without_honorific(a)) for a in aliases} - set(aliases)):
        aliases.append(bare)
    articles = sorted({m.article for m in mentions})
    in_title = sum(1 for a in articles for alias in aliases if alias and alias in titles.get(a, ""))
    salience = {
        "mentions": len(mentions),
        "articles": len(articles),
        "lead": sum(1 for m in mentions if m.sentence == 0),
        "title": in_title,
    }
    kind = (
        "PERSON" if labels["PERSON"] and labels["PERSON"] >= max(labels.values()) / 2 else labels.most_common(1)[0][0]
    )
    regions = [m.label for m in mentions if (w := _words(m.text)) and PLACE_NOUNS.get(w[-1].lower()) in ("GPE", "LOC")]
    if kind == "PERSON" and any(label in PLACE_TYPES for label in regions):
        kind = Counter(label for label in regions if label in PLACE_TYPES).most_common(1)[0][0]  # "Ta Ruon township"
    return Entity("", canonical, kind, tuple(aliases), tuple(articles), tuple(mentions), salience)


def _with_ids(entities: list[Entity]) -> list[Entity]:
    out: list[Entity] = []
    used: set[str] = set()
    for e in entities:
        base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", e.canonical.lower())).strip("-") or "entity"
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        out.append(Entity(slug, e.canonical, e.type, e.aliases, e.articles, e.mentions, e.salience))
    return out


def spelling_key(text: str) -> str:
    """How a correction compares spellings of a name: up to case, spacing and an honorific."""
    return _without_honorific(" ".join(text.split())).casefold()


def unlink_alias(
    entities: Sequence[Entity], entity_id: str, alias: str, titles: Mapping[str, str]
) -> list[Entity] | None:
    """The entities with the spelling ``alias`` taken out of entity ``entity_id`` into a name of its own
    (an editor's correction); None when that entity has no such spelling besides others."""
    wanted = spelling_key(alias)
    for n, entity in enumerate(entities):
        if entity.id != entity_id:
            continue
        out = [m for m in entity.mentions if spelling_key(m.text) == wanted]
        kept = [m for m in entity.mentions if spelling_key(m.text) != wanted]
        if not out or not kept:
            return None
        rest = [e for k, e in enumerate(entities) if k != n]
        split = [*rest, _entity(kept, dict(titles)), _entity(out, dict(titles))]
        split.sort(key=lambda e: (-len(e.mentions), e.canonical))
        return _with_ids(split)
    return None
