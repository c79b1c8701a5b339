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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import OptionError
from .model import Entity, Mention
from .nlp import ENTITY_TYPES, ParsedArticle
from .places import place_id

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
    "province": "GPE",
    "governorate": "GPE",
    "district": "GPE",
    "region": "GPE",
    "county": "GPE",
    "valley": "LOC",
    "river": "LOC",
    "lake": "LOC",
    "desert": "LOC",
    "mountains": "LOC",
    "island": "LOC",
}
#: Words that may stand between a name and a place noun: "al-Walid border crossing".
PLACE_MODIFIERS = frozenset({"border", "air", "military", "police", "refugee", "main", "central"})
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
    return [w for w in re.split(r"[\s\-‐–]+", text) if w]


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
    kept = [token_key(w) for w in words if w.lower() not in PARTICLES]
    kept = [k for k in kept if k]
    return tuple(kept) if kept else tuple(k for k in (token_key(w) for w in words) if k)


#: Legal forms and group words after a company's name: "Halvard Inc." and "Halvard" are one company.
LEGAL_FORMS = frozenset(
    "inc inc. incorporated co co. corp corp. corporation ltd ltd. limited plc llc llp ag sa s.a. nv n.v. "
    "gmbh se spa s.p.a. bv ab asa oyj group holdings holding".split()
)
#: Generational suffixes after a person's name.
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: Words an acronym skips ("Union of Harbour and Dock Workers" is UHDW).
_ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "de", "du", "la", "&", "on", "in"})


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
    """Token range of an entity without leading articles/possessive junk and trailing possessives."""
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].text in _POSSESSIVE):
        start += 1
    while end > start and doc[end - 1].text in _POSSESSIVE:
        end -= 1
    return start, end


def _extend(doc: Any, start: int, end: int, label: str) -> tuple[int, int, str]:
    """Honorifics before a person; facility and region nouns after a name."""
    i = start
    while i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].text.rstrip(".").lower() in HONORIFICS:
        # "Mr. Maliki", and the British "Mr Okafor" without a full stop
        i -= 1
    if i < start:
        return i, end, "PERSON"
    j = end
    while j < len(doc) and doc[j].lower_ in PLACE_MODIFIERS:
        j += 1
    if j < len(doc) and doc[j].lower_ in PLACE_NOUNS:
        return start, j + 1, PLACE_NOUNS[doc[j].lower_]
    return start, end, label


def extract_mentions(parsed: Sequence[ParsedArticle], options: EntityOptions | None = None) -> list[Mention]:
    """Named-entity mentions of the given types, tidied and extended, in article order."""
    opts = options or EntityOptions()
    mentions: list[Mention] = []
    for item in parsed:
        doc = item.doc
        if doc is None:
            continue
        for ent in doc.ents:
            if ent.label_ not in opts.types:
                continue
            start, end = _tidy_span(doc, ent.start, ent.end)
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
    return _join_org_in_place(parsed, mentions)


def _join_org_in_place(parsed: Sequence[ParsedArticle], mentions: list[Mention]) -> list[Mention]:
    """``Al Qaeda in Iraq``: an ORG followed by ``in`` and a place is one name when more than one article writes it."""
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
    drop: set[int] = set()
    joined: dict[int, Mention] = {}
    for i, j in pairs:
        a, b = mentions[i], mentions[j]
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


@dataclass
class _Form:
    key: tuple[str, ...]
    type: str
    mentions: list[Mention]


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


def _compatible(short: tuple[str, ...], long: tuple[str, ...], type_class: str) -> bool:
    """``short`` is ``long`` with middle parts dropped; first and last parts must agree."""
    if len(short) < 2 or len(short) > len(long):
        return False
    if not same_token(short[0], long[0]) or not same_token(short[-1], long[-1]):
        return False
    pos = 0
    for tok in short:
        while pos < len(long) and not same_token(tok, long[pos]):
            pos += 1
        if pos == len(long):
            return False
        pos += 1
    if type_class == "PERSON":
        return True
    if len(short) == len(long):
        return True
    # Places and organisations may drop generic words only ("border", "crossing").
    generic = {token_key(w) for w in (*PLACE_NOUNS, *PLACE_MODIFIERS)}
    return all(any(same_token(tok, s) for s in short) or tok in generic for tok in long)


def _forms(mentions: Iterable[Mention]) -> list[_Form]:
    by_key: dict[tuple[str, tuple[str, ...]], list[Mention]] = defaultdict(list)
    labels: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)

    def label_of(m: Mention) -> str:
        # An honorific makes a person, whatever the tagger said ("Ms Varga" tagged as an organisation).
        return "PERSON" if m.text.split()[0].rstrip(".").lower() in HONORIFICS else m.label

    for m in mentions:
        key = name_key(m.text, label_of(m))
        if key:
            labels[key][label_of(m)] += 1
    for m in mentions:
        key = name_key(m.text, label_of(m))
        if not key:
            continue
        # A spelling's type is the type most of its mentions got (the tagger is noisy on rare names).
        label = labels[key].most_common(1)[0][0] if m.label != "PERSON" or labels[key]["PERSON"] else m.label
        if m.text.split()[0].rstrip(".").lower() in HONORIFICS:
            label = "PERSON"
        by_key[(_type_class(label), key)].append(m)
    return [_Form(key, tclass, ms) for (tclass, key), ms in sorted(by_key.items())]


def link_entities(parsed: Sequence[ParsedArticle], options: EntityOptions | None = None) -> list[Entity]:
    """Group the named-entity mentions of these articles into entities."""
    opts = options or EntityOptions()
    mentions = extract_mentions(parsed, opts)
    forms = _merge_forms(_forms(mentions))
    groups = _Groups(len(forms))
    # Full names are compared within blocks of one type and first letters (fuzzy matches keep them).
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(forms):
        if len(f.key) >= 2:
            blocks[(f.type, f.key[0][:1], f.key[-1][:1])].append(i)
    for members in blocks.values():
        for i in members:
            for j in members:
                if i != j and _compatible(forms[i].key, forms[j].key, forms[i].type):
                    groups.union(i, j)
    _link_affiliates(parsed, forms, groups)

    # Short references, mention by mention.
    assigned: dict[int, list[Mention]] = defaultdict(list)
    for i, form in enumerate(forms):
        if len(form.key) >= 2:
            assigned[groups.find(i)].extend(form.mentions)
    counts = {root: Counter(m.article for m in ms) for root, ms in assigned.items()}
    lonely: dict[tuple[str, tuple[str, ...]], list[Mention]] = defaultdict(list)
    for form in forms:
        if len(form.key) >= 2:
            continue
        candidates = _short_candidates(form, forms, groups)
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


def _merge_forms(forms: list[_Form]) -> list[_Form]:
    """Forms that name one thing in different ways, merged before linking.

    - one-word spelling variants of one type (``Korvaleik`` / ``Korvalek``, one edit in a long name);
    - a one-word name and a name of several words run together (``Tanvoy`` / ``Tan Voy``);
    - an acronym and the one name of the story whose initials spell it (``DGHS``);
    - two names of one place in the gazetteer (``Bombay`` / ``Mumbai``).
    """
    groups = _Groups(len(forms))
    singles = [i for i, f in enumerate(forms) if len(f.key) == 1]
    joined: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(forms):
        if len(f.key) >= 2:
            joined[(f.type, "".join(f.key))].append(i)
    for n, i in enumerate(singles):
        for j in singles[n + 1 :]:
            if forms[i].type == forms[j].type and same_token(forms[i].key[0], forms[j].key[0]):
                groups.union(i, j)
        targets = joined.get((forms[i].type, forms[i].key[0]), [])
        if len(targets) == 1:
            groups.union(i, targets[0])
    for i in singles:
        acronym = _acronym(forms[i])
        if acronym is None:
            continue
        spelled = {groups.find(j) for j, f in enumerate(forms) if len(f.key) >= 2 and _spells(acronym, f)}
        if len(spelled) == 1:
            groups.union(i, spelled.pop())
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
        out.append(_Form(forms[main].key, forms[main].type, [m for k in members for m in forms[k].mentions]))
    return out


def _spells(acronym: str, form: _Form) -> bool:
    """True when some mention of ``form`` has initials spelling ``acronym``."""
    return any(_initials(m.text) == acronym for m in form.mentions)


def _short_candidates(form: _Form, forms: Sequence[_Form], groups: _Groups) -> set[int]:
    """Roots of full-name entities a one-word name can refer to."""
    (tok,) = form.key
    by_last: set[int] = set()
    by_first: set[int] = set()
    for i, other in enumerate(forms):
        if len(other.key) < 2:
            continue
        same_class = other.type == form.type
        # The tagger often calls a surname ORG or GPE; a person still claims it.
        person_claim = other.type == "PERSON" and form.type in {"ORG", "PERSON"}
        if other.type == "PERSON" and (same_class or person_claim):
            if other.key[-1] == tok:
                by_last.add(groups.find(i))
            elif other.key[0] == tok:
                by_first.add(groups.find(i))
        elif same_class and form.type == "PLACE" and other.key[0] == tok:
            rest = other.key[1:]
            generic = {token_key(w) for w in (*PLACE_NOUNS, *PLACE_MODIFIERS)}
            if all(t in generic for t in rest):
                by_first.add(groups.find(i))
    return by_last or by_first


def _choose(candidates: set[int], counts: dict[int, Counter[str]], article: str, dominance: float) -> int | None:
    if not candidates:
        return None
    if len(candidates) == 1:
        return next(iter(candidates))
    here = [(counts[c][article], c) for c in candidates if counts[c][article]]
    pool = here if here else [(sum(counts[c].values()), c) for c in candidates]
    pool.sort(reverse=True)
    if len(pool) == 1 or pool[0][0] >= dominance * pool[1][0]:
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
    # Aliases: the spellings as written, most frequent first, then the same names without an honorific.
    written = Counter(m.text for m in mentions)
    aliases = [a for a, _ in sorted(written.items(), key=lambda kv: (-kv[1], kv[0]))]
    for bare in sorted({_without_honorific(a) for a in aliases} - set(aliases)):
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
