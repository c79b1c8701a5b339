"""Cited multi-document summaries: one short, ordered, non-redundant extract per story.

The summarizer is extractive (sentences as the articles wrote them) and reads
the story as a set of *sources*: an article and its copies or rewrites are one
source. Information is measured in concepts (pairs of neighbouring words, stop
words aside); a concept's weight is the number of independent sources that
state it, so what several outlets report counts more than what one repeats.
Sentences are chosen greedily by the weight of the concepts they add per word,
lifted for early position in their article (most when the story has one
source) and for corroboration (how closely the other sources' nearest
sentences say the same thing); a sentence that leans on the one before it
("He said …") is chosen only after that one. A concept counts once, so a
second sentence with the same information adds nothing and is not chosen, and
a sentence whose content words a longer chosen one holds gives way to it;
budget left when nothing new remains goes to a fuller sentence with the same
news. Fragments, questions, boilerplate and captions are never chosen, and a
sentence that gives a different figure for a quantity already stated is not
chosen either: the kept sentence carries a note with the other reports'
figures instead.

Every chosen sentence cites the articles that state the same information:
sentences of other members that share its content words (tf-idf cosine) and,
when the words differ, its meaning (MiniLM embeddings), without contradicting
its figures. The summary is ordered by the date of the reporting article, then
by position in the article (of two leads, the better corroborated first), with a
leaning sentence right after the one it leans on. Same input, same output.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..cluster.align import closest_by_group, sentence_vectors
from ..errors import OptionError
from ..model import CitedSentence, FactSlot, Figure, Story, SummarySentence
from ..text.clean import dateline_length, ends_sentence, is_copyright, is_credit, is_widget
from ..text.figures import figures_of
from ..text.nlp import ParsedArticle
from ..text.terms import STOP_WORDS, cosine, stem, terms_of

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
#: Words that, opening a sentence, make it lean on the sentence before.
_LEANING = frozenset(
    """he she they it his her their its this these those that such there both
    but and also however meanwhile still yet so then instead moreover furthermore""".split()
)
_PRONOUN_SAYS = r"(?:he|she|they)\s+(?:said|says|added|adds|told [A-Z]?\w+)"
#: “…,” he said: a quotation whose speaker the sentence before names.
_ATTRIBUTED_PRONOUN = re.compile(r"[,”\"]\s+" + _PRONOUN_SAYS + r"\b", re.IGNORECASE)
#: "…, he said." at a sentence's end: who "he" is, the sentence before says.
_TRAILING_PRONOUN = re.compile(r",\s+" + _PRONOUN_SAYS + r"\s*[.!][\"”’']*$", re.IGNORECASE)
_JUNK = re.compile(
    r"https?://|www\.|@\w|\b(?:click|subscribe|sign up|newsletter|follow us|all rights reserved|"
    r"javascript|cookies?|advertisement|this article|story continues|read more|photo|caption)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """Options of the summarizer.

    ``words``: length budget in words. ``overflow``: let the last sentence run past
    the budget (for benchmarks that truncate every system to the budget).
    ``min_words``/``max_words``: sentence lengths considered. ``position``: lift for
    early sentences, for a story of two sources (scaled down as sources grow);
    ``position_one_source``: the lift for a story of one source. ``leaning``: factor for
    sentences that lean on the sentence before them (they are chosen only after it, and
    shown right after it).
    ``length_power``: how strongly gain is divided by length. ``headline``: extra weight of a
    concept for each headline that states it. ``cite``: find citations.
    ``cite_cosine``: tf-idf cosine at which another sentence states the same thing outright;
    ``cite_floor``/``cite_candidates``: the sentences per article that are checked further,
    by meaning for at most ``cite_confirm`` articles per sentence;
    ``cite_meaning``: cosine plus embedding similarity (plus ``figure_bonus`` when a figure
    agrees) at which they state the same thing in other words. ``redundant_cosine`` /
    ``redundant_meaning``: word overlap or embedding similarity at which a sentence
    repeats a chosen one and is passed over. ``centrality``: lift for sentences close to the
    story's centroid (tf-idf, each independent source weighing the same), times their cosine,
    scaled down as sources grow (like ``position``); off by default (see the closing note of issue 5).
    ``support``: lift for corroborated sentences: the score is multiplied by ``1 + support × s``, where
    ``s`` is the mean, over the other independent sources, of the tf-idf cosine with that source's
    closest sentence (0 in a story of one source).
    ``fuller``: spend budget left when nothing new remains on fuller versions of chosen sentences.
    ``inside``: share of a sentence's content words (lemmas) that a longer chosen sentence must hold
    for the shorter to be passed over or replaced (it says nothing the longer one does not).
    """

    words: int = 120
    overflow: bool = False
    min_words: int = 6
    max_words: int = 80
    position: float = 5.0
    position_one_source: float = 50.0
    leaning: float = 1.0
    length_power: float = 0.7
    headline: float = 0.5
    cite: bool = True
    cite_cosine: float = 0.45
    cite_floor: float = 0.15
    cite_candidates: int = 1
    cite_confirm: int = 8
    cite_meaning: float = 0.85
    figure_bonus: float = 0.15
    redundant_cosine: float = 0.5
    redundant_meaning: float = 0.75
    centrality: float = 0.0
    support: float = 30.0
    fuller: bool = True
    inside: float = 0.8
    embeddings: bool = True

    def __post_init__(self) -> None:
        if self.words < 1:
            raise OptionError("words", "a whole number of at least 1", self.words)
        if not 0 < self.min_words <= self.max_words:
            raise OptionError("min_words", f"a whole number between 1 and max_words ({self.max_words})", self.min_words)
        for name in ("cite_cosine", "cite_floor", "leaning", "redundant_cosine", "redundant_meaning", "inside"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise OptionError(name, "a number between 0 and 1", value)
        for name in ("position", "position_one_source", "length_power", "headline", "centrality", "support"):
            if getattr(self, name) < 0:
                raise OptionError(name, "a number of at least 0", getattr(self, name))


@dataclass(slots=True)
class _Candidate:
    article: str
    rank: int  # the article's place in the story (date order)
    index: int  # sentence index in its article
    position: int  # index among the article's usable sentences
    start: int
    end: int
    text: str
    words: int
    concepts: set[tuple[str, str]]
    usable: bool
    leaning: bool
    figures: list[Figure] = field(default_factory=list)
    content: frozenset[str] = frozenset()  # content-word lemmas (stems without a parse)
    support: float = 0.0  # corroboration by the other sources (see _Similarity.support)

    @property
    def shown(self) -> str:
        """The text as a summary shows it: a sentence the article's text stops in ends with "…"."""
        text = self.text.rstrip()
        return text if ends_sentence(text) else text + " …"


def _tokens(text: str) -> list[str]:
    return [stem(m.group(0)) for m in _WORD.finditer(text)]


def concepts_of(text: str) -> set[tuple[str, str]]:
    """Neighbouring word pairs, lightly stemmed, without pairs of two stop words."""
    words = _tokens(text)
    return {(a, b) for a, b in itertools.pairwise(words) if not (a in STOP_WORDS and b in STOP_WORDS)}


#: Words a sentence the text stops in the middle of must have, to be kept as a cut sentence.
CUT_MIN_WORDS = 15


def _usable(text: str, words: int, opts: SummaryOptions, has_verb: bool, *, last: bool = False) -> bool:
    """Whether a sentence may be chosen. ``last``: it ends the article's text (which may stop mid-sentence)."""
    stripped = text.strip()
    if not opts.min_words <= words <= opts.max_words or not has_verb:
        return False
    if re.search(r"\?[\"”’')\]]*$", stripped):
        return False  # a question
    if not ends_sentence(stripped) and not (last and words >= CUT_MIN_WORDS):
        # A headline, a caption without a full stop, a fragment. An excerpt that stops mid-sentence
        # keeps its long last sentence: it is marked as cut ("…") where it is shown.
        return False
    if re.match(r"[\"“‘'(]*[a-z]", stripped) and not re.match(r"[\"“‘'(]*[a-z]+[A-Z]", stripped):
        return False  # opens mid-sentence ("titled … and released Friday, …"), unless a name like "iPhone"
    if is_widget(stripped) or is_credit(stripped) or is_copyright(stripped) or _JUNK.search(stripped):
        return False
    return not stripped.isupper()


def _leans(text: str) -> bool:
    """True when the sentence needs the one before it: it opens with a pronoun or a connective,
    or it is attributed to a pronoun (“…,” he said; "…, she added.")."""
    first = re.match(r"[\"“‘'(]*([A-Za-z’']+)", text)
    if first and first.group(1).lower() in _LEANING:
        return True
    if _TRAILING_PRONOUN.search(text.rstrip()):
        return True
    return text[:1] in "\"“‘'" and bool(_ATTRIBUTED_PRONOUN.search(text))


def _has_verb(item: ParsedArticle, index: int) -> bool:
    if item.doc is None or not item.doc.has_annotation("TAG"):
        return True
    return any(t.pos_ in ("VERB", "AUX") for t in item.span(index))


class _Similarity:
    """Word overlap (tf-idf cosine over the story's sentences) and meaning (MiniLM), computed once."""

    def __init__(self, cands: Sequence[_Candidate], embeddings: bool) -> None:
        self._vectors = {id(c): v for c, v in zip(cands, sentence_vectors([c.text for c in cands]), strict=True)}
        self._embeddings = embeddings
        self._rows: dict[str, Any] = {}

    def centrality(self, cands: Sequence[_Candidate], groups: Mapping[str, str]) -> dict[int, float]:
        """Cosine of each sentence with the story's centroid, every independent source weighing the same."""
        per_source: dict[str, list[dict[str, float]]] = defaultdict(list)
        for c in cands:
            if c.usable:
                per_source[groups.get(c.article, c.article)].append(self._vectors[id(c)])
        centroid: dict[str, float] = defaultdict(float)
        for vectors in per_source.values():
            for v in vectors:
                for term, w in v.items():
                    centroid[term] += w / len(vectors)
        norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
        unit = {t: w / norm for t, w in centroid.items()}
        return {id(c): cosine(self._vectors[id(c)], unit) for c in cands if c.usable}

    def support(self, cands: Sequence[_Candidate], groups: Mapping[str, str]) -> dict[int, float]:
        """How closely the other independent sources say what each usable sentence says.

        For every other source, the tf-idf cosine of the sentence with that
        source's closest usable sentence; the mean over the other sources. A
        story of one source corroborates nothing: every sentence gets 0.
        """
        usable = [c for c in cands if c.usable]
        sources = sorted({groups.get(c.article, c.article) for c in usable})
        if len(sources) < 2:
            return {id(c): 0.0 for c in usable}
        number = {source: i for i, source in enumerate(sources)}
        of = [number[groups.get(c.article, c.article)] for c in usable]
        closest = closest_by_group([self._vectors[id(c)] for c in usable], of)
        closest[np.arange(len(usable)), of] = 0.0  # a source does not corroborate itself
        mean = closest.sum(axis=1) / (len(sources) - 1)
        return {id(c): float(m) for c, m in zip(usable, mean, strict=True)}

    def words(self, a: _Candidate, b: _Candidate) -> float:
        """Cosine of the two sentences' tf-idf vectors."""
        return cosine(self._vectors[id(a)], self._vectors[id(b)])

    def meaning(self, a: _Candidate, b: _Candidate) -> float:
        """Cosine of the two sentences' embeddings (0 when embeddings are off)."""
        if not self._embeddings:
            return 0.0
        self.prepare([a.text, b.text])
        return float(self._rows[a.text] @ self._rows[b.text])

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed, in one batch, the texts not embedded yet."""
        missing = sorted({t for t in texts if t not in self._rows})
        if missing and self._embeddings:
            from ..text.embed import embed  # noqa: PLC0415 - the encoder loads on first use

            self._rows.update(zip(missing, embed(missing), strict=True))


def _candidates(story_items: Sequence[ParsedArticle], opts: SummaryOptions) -> list[_Candidate]:
    out = []
    figures_ok = all(item.doc is not None and item.doc.has_annotation("DEP") for item in story_items)
    for rank, item in enumerate(story_items):
        position = 0
        for s in item.sentences:
            # A dateline ("BAGHDAD —") says where the report was filed, not what happened: a summary leaves it out.
            skip = dateline_length(s.text) if s.index == 0 else 0
            text, begin = s.text[skip:], s.start + skip
            words = len(text.split())
            last = s.index == len(item.sentences) - 1
            usable = _usable(text, words, opts, _has_verb(item, s.index), last=last)
            cand = _Candidate(
                article=item.article.id,
                rank=rank,
                index=s.index,
                position=position,
                start=begin,
                end=s.end,
                text=text,
                words=words,
                concepts=concepts_of(text),
                usable=usable,
                leaning=_leans(text),
            )
            if usable:
                position += 1
                if figures_ok:
                    # Counts, sums and shares: the figures whose disagreement keeps a sentence out.
                    cand.figures = [
                        f
                        for f in figures_of(item.span(s.index), item.article.id, s.index)
                        if f.kind in ("count", "money", "percent", "fraction")
                    ]
                cand.content = _content(item, s.index, text)
            out.append(cand)
    return out


def source_groups(story: Story) -> dict[str, str]:
    """Each member's source: itself, or the article it copies or rewrites (followed to the root)."""
    parent = {d.article: d.of for d in story.duplicates}
    out = {}
    for article in story.articles:
        root, seen = article, set()
        while root in parent and root not in seen:
            seen.add(root)
            root = parent[root]
        out[article] = root
    return out


def _weights(
    cands: Sequence[_Candidate], groups: Mapping[str, str], titles: Mapping[str, str], opts: SummaryOptions
) -> dict[tuple[str, str], float]:
    """Concept weights: independent sources stating it, a little for repetition, more when a headline says it."""
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    for c in cands:
        for concept in c.concepts:
            sources[concept].add(groups.get(c.article, c.article))
            counts[concept] += 1
    headline: Counter[tuple[str, str]] = Counter()
    for article, title in titles.items():
        for concept in concepts_of(title):
            sources[concept].add(groups.get(article, article))
            headline[concept] += 1
    n_sources = len(set(groups.values())) or 1
    # With many sources a concept one source states is noise; with few, everything is evidence.
    floor = 2 if n_sources >= 4 else 1
    weights = {}
    for concept, src in sources.items():
        if len(src) >= floor:
            weights[concept] = len(src) + 0.5 * math.log1p(counts[concept]) + opts.headline * headline[concept]
    return weights


def _conflicts(cand: _Candidate, stated: Mapping[tuple[str, str], Figure]) -> bool:
    for f in cand.figures:
        if not f.predicate:
            continue
        other = stated.get(f.key)
        if other is not None and (other.value != f.value or other.qualifier != f.qualifier):
            return True
    return False


def select(
    cands: Sequence[_Candidate],
    groups: Mapping[str, str],
    opts: SummaryOptions,
    titles: Mapping[str, str] | None = None,
    similarity: _Similarity | None = None,
) -> list[_Candidate]:
    """Greedy choice of sentences by weighted new concepts per word, under the word budget.

    A sentence that says what a chosen one says in other words (embedding
    similarity) or nearly the same words is passed over: one sentence per piece
    of information.
    """
    sim = similarity or _Similarity(cands, opts.embeddings)
    weights = _weights(cands, groups, titles or {}, opts)
    # Position matters most when few sources can vouch for a sentence; with many, agreement speaks.
    n_src = len(set(groups.values())) or 1
    # With one source nothing vouches for a sentence but its place: the article's own order leads.
    lift = opts.position_one_source if n_src == 1 else opts.position * min(1.0, 2 / n_src)
    central = sim.centrality(cands, groups) if opts.centrality else {}
    if opts.support:
        backing = sim.support(cands, groups)
        for c in cands:
            c.support = backing.get(id(c), 0.0)  # 0 for a sentence that may not be chosen
    centre = opts.centrality * min(1.0, 2 / (len(set(groups.values())) or 1))  # like position: for few sources
    pool = [c for c in cands if c.usable]
    chosen: list[_Candidate] = []
    picked, covered, used, stated = _state(chosen)
    while pool and used < opts.words:
        best, best_score = None, 0.0
        for c in pool:
            if not opts.overflow and used + c.words > opts.words:
                continue
            gain = math.fsum(weights.get(k, 0.0) for k in c.concepts - covered)
            if gain <= 0:
                continue
            score = gain / c.words**opts.length_power
            score *= 1.0 + lift / (1.0 + c.position)
            if central:
                score *= 1.0 + centre * central[id(c)]
            score *= 1.0 + opts.support * c.support
            if c.leaning:
                if (c.article, c.index - 1) not in picked:
                    continue  # it needs the sentence before it
                score *= opts.leaning
            if score > best_score or (score == best_score and best is not None and _tie(c) < _tie(best)):
                best, best_score = c, score
        if best is None:
            break
        pool.remove(best)
        if _conflicts(best, stated) or any(_same(best, c, sim, opts) for c in chosen):
            continue
        if any(_inside(best, c, opts) for c in chosen):
            continue  # a chosen sentence already says all this, and more
        # The new sentence takes the place of shorter chosen ones it says all of, and more.
        chosen = [c for c in chosen if not _inside(c, best, opts) or (c.article, c.index + 1) in picked]
        chosen.append(best)
        picked, covered, used, stated = _state(chosen)
    if opts.fuller:
        _fuller(chosen, cands, weights, sim, opts)
    return chosen


def _state(
    chosen: Sequence[_Candidate],
) -> tuple[set[tuple[str, int]], set[tuple[str, str]], int, dict[tuple[str, str], Figure]]:
    """What the chosen sentences settle: their places, the concepts they cover, their words, the figures they state."""
    stated: dict[tuple[str, str], Figure] = {}
    for c in chosen:
        for f in c.figures:
            if f.predicate:
                stated.setdefault(f.key, f)
    return (
        {(c.article, c.index) for c in chosen},
        set().union(*(c.concepts for c in chosen)),
        sum(c.words for c in chosen),
        stated,
    )


def _fuller(
    chosen: list[_Candidate],
    cands: Sequence[_Candidate],
    weights: Mapping[tuple[str, str], float],
    sim: _Similarity,
    opts: SummaryOptions,
) -> None:
    """Spend budget left over on fuller versions of chosen sentences.

    When nothing new is left to say, a chosen sentence is swapped for another
    article's sentence that states the same information and more of what the
    sources report (more weight in concepts no other chosen sentence covers),
    if it fits the budget. Still one sentence per piece of information.
    """
    used = sum(c.words for c in chosen)
    taken = {(c.article, c.index) for c in chosen}
    leaned_on = {(c.article, c.index) for c in chosen if c.leaning}
    for _ in range(len(chosen)):
        best: tuple[float, int, _Candidate] | None = None
        for i, c in enumerate(chosen):
            if (c.article, c.index + 1) in leaned_on:
                continue  # a chosen sentence leans on this one
            others = set().union(*(o.concepts for o in chosen if o is not c))
            own = math.fsum(weights.get(k, 0.0) for k in c.concepts - others)
            for r in cands:
                if not r.usable or r.leaning or (r.article, r.index) in taken:
                    continue
                if used - c.words + r.words > opts.words:
                    continue
                gain = math.fsum(weights.get(k, 0.0) for k in r.concepts - others) - own
                if gain <= 0 or (best is not None and gain <= best[0]):
                    continue
                if not _same(c, r, sim, opts) or any(_same(r, o, sim, opts) for o in chosen if o is not c):
                    continue
                if _contradicts(r, c) or any(_contradicts(r, o) for o in chosen):
                    continue
                best = (gain, i, r)
        if best is None:
            return
        _, i, r = best
        used += r.words - chosen[i].words
        taken.add((r.article, r.index))
        chosen[i] = r


def _same(a: _Candidate, b: _Candidate, sim: _Similarity, opts: SummaryOptions) -> bool:
    """True when the two sentences carry the same information.

    Sentences that share almost no content word are different without asking
    the encoder (it is the slow part); the rest are compared by meaning.
    """
    words = sim.words(a, b)
    if words >= opts.redundant_cosine:
        return True
    return words >= opts.cite_floor and sim.meaning(a, b) >= opts.redundant_meaning


def _content(item: ParsedArticle, index: int, text: str) -> frozenset[str]:
    """Content words of a sentence as lemmas ("returned" and "return" are one), or stems without a parse."""
    if item.doc is None or not item.doc.has_annotation("LEMMA"):
        return frozenset(terms_of(text))
    return frozenset(
        t.lemma_.lower() for t in item.span(index) if t.is_alpha and len(t.text) > 2 and t.lower_ not in STOP_WORDS
    )


def _inside(a: _Candidate, b: _Candidate, opts: SummaryOptions) -> bool:
    """True when the longer sentence ``b`` holds nearly every content word of ``a``: it says what ``a`` says."""
    if b.words <= a.words or opts.inside >= 1.0 or not a.content:
        return False
    return len(a.content & b.content) >= opts.inside * len(a.content)


def _tie(c: _Candidate) -> tuple[int, int, int]:
    return (c.rank, c.index, c.words)


def _order(chosen: Sequence[_Candidate], dates: Mapping[str, dt.date | None]) -> list[_Candidate]:
    """By the date of the reporting article, then by position in it, then by corroboration (of two
    leads of one day, the one the other sources bear out better comes first), then by the article's
    place; a sentence that leans on the one before it ("He said …") comes right after that one."""
    known = [d for d in dates.values() if d is not None]
    first = min(known, default=dt.date.min)
    ordered = sorted(chosen, key=lambda c: (dates.get(c.article) or first, c.position, -c.support, c.rank))
    keys = {(c.article, c.index) for c in ordered}
    follower = {(c.article, c.index - 1): c for c in ordered if c.leaning and (c.article, c.index - 1) in keys}
    out: list[_Candidate] = []
    for c in ordered:
        if c.leaning and (c.article, c.index - 1) in keys:
            continue  # placed after the sentence it leans on
        out.append(c)
        nxt = follower.get((c.article, c.index))
        while nxt is not None:
            out.append(nxt)
            nxt = follower.get((nxt.article, nxt.index))
    return out


def _citations(
    chosen: Sequence[_Candidate], cands: Sequence[_Candidate], sim: _Similarity, opts: SummaryOptions
) -> dict[int, tuple[_Candidate, ...]]:
    """For each chosen sentence, every other article's sentence that states the same thing (its own first).

    Per other article, the sentences closest in content words are candidates; one
    that shares enough words is a citation outright, the others are confirmed
    by meaning (embedding similarity plus word overlap, a little more when
    they agree on a figure). A sentence whose figures contradict is never one.
    """
    by_article: dict[str, list[_Candidate]] = defaultdict(list)
    for c in cands:
        by_article[c.article].append(c)
    maybe: list[tuple[_Candidate, _Candidate, float]] = []
    out: dict[int, list[_Candidate]] = {}
    for s in chosen:
        cited = [s]
        unsure: list[tuple[_Candidate, _Candidate, float]] = []
        for article, sentences in by_article.items():
            if article == s.article:
                continue
            scored = sorted(((sim.words(s, t), t.index, t) for t in sentences), reverse=True)
            for score, _, t in scored[: opts.cite_candidates]:
                if score < opts.cite_floor or _contradicts(s, t):
                    continue
                if score >= opts.cite_cosine:
                    cited.append(t)
                    break
                unsure.append((s, t, score + (opts.figure_bonus if _agree(s, t) else 0.0)))
        # The encoder is the slow part: it confirms only the closest few articles of a large story.
        maybe += sorted(unsure, key=lambda u: (-u[2], u[1].article))[: opts.cite_confirm]
        out[id(s)] = cited
    if maybe and opts.embeddings:
        sim.prepare([c.text for s, t, _ in maybe for c in (s, t)])
        for s, t, score in maybe:
            if all(c.article != t.article for c in out[id(s)]) and score + sim.meaning(s, t) >= opts.cite_meaning:
                out[id(s)].append(t)
    rank = {c.article: c.rank for c in cands}
    return {k: (v[0], *sorted(v[1:], key=lambda c: rank[c.article])) for k, v in out.items()}


def _agree(a: _Candidate, b: _Candidate) -> bool:
    """True when the two sentences give compatible figures for some quantity."""
    mine = {f.key: f.interval for f in a.figures if f.predicate}
    return any(f.key in mine and mine[f.key].overlaps(f.interval) for f in b.figures if f.predicate)


def _contradicts(a: _Candidate, b: _Candidate) -> bool:
    """True when the two sentences give figures for the same quantity that cannot both be true."""
    mine = {f.key: f.interval for f in a.figures if f.predicate}
    return any(f.key in mine and not mine[f.key].overlaps(f.interval) for f in b.figures if f.predicate)


def _figure_note(s: _Candidate, cands: Sequence[_Candidate]) -> str | None:
    """'other reports: 48 (a, b)' for each figure of ``s`` that other articles give differently."""
    notes = []
    for f in s.figures:
        if not f.predicate:
            continue
        others: dict[str, list[str]] = defaultdict(list)
        for c in cands:
            if c.article == s.article:
                continue
            for g in c.figures:
                written = g.as_written.lower()
                if g.key == f.key and g.interval != f.interval and c.article not in others[written]:
                    others[written].append(c.article)
        if others:
            told = "; ".join(f"{text} ({', '.join(ids)})" for text, ids in sorted(others.items()))
            notes.append(f"for “{f.as_written}”, other reports: {told}")
    return " · ".join(notes) or None


def _facts_note(s: _Candidate, facts: Sequence[FactSlot]) -> str | None:
    """The reconciled verdict of every quantity slot the sentence reports in: best value and the other reports."""
    notes = []
    for slot in facts:
        if slot.kind != "quantity" or len(slot.reports) < 2:
            continue
        mine = [r for r in slot.reports if r.article == s.article and r.sentence_index == s.index]
        if not mine:
            continue
        written = {r.as_written.lower() for r in mine}
        others: dict[str, list[str]] = defaultdict(list)
        for r in slot.reports:
            if r.as_written.lower() not in written and r.article not in others[r.as_written]:
                others[r.as_written].append(r.article)
        if not others:
            continue
        told = "; ".join(f"{text} ({', '.join(ids)})" for text, ids in sorted(others.items()))
        best = slot.to_dict()["best"]
        best_text = f"{best[0]}–{best[1]}" if isinstance(best, list) else str(best)
        notes.append(f"{slot.slot}: {slot.verdict}, best figure {best_text}; other reports: {told}")
    return " · ".join(notes) or None


def summarize(
    story: Story,
    parsed: Sequence[ParsedArticle],
    options: SummaryOptions | None = None,
    *,
    facts: Sequence[FactSlot] | None = None,
) -> tuple[SummarySentence, ...]:
    """A cited summary of one story from its parsed member articles.

    With ``facts`` (the story's reconciled fact slots), a sentence that states a
    figure carries the slot's verdict, best figure and the other reports.
    """
    opts = options or SummaryOptions()
    members = {item.article.id: item for item in parsed if item.article.id in set(story.articles)}
    items = [members[a] for a in story.articles if a in members]
    if not items:
        return ()
    cands = _candidates(items, opts)
    groups = source_groups(story)
    titles = {i.article.id: i.article.title for i in items if i.article.title}
    sim = _Similarity(cands, opts.embeddings)
    chosen = _order(select(cands, groups, opts, titles, sim), {i.article.id: i.article.published for i in items})
    citations = _citations(chosen, cands, sim, opts) if opts.cite else {id(c): (c,) for c in chosen}
    return tuple(
        SummarySentence(
            text=c.shown,
            article=c.article,
            sentence=c.index,
            start=c.start,
            end=c.end,
            citations=tuple(t.article for t in citations[id(c)]),
            cited=tuple(CitedSentence(t.article, t.index, t.start, t.end, t.text) for t in citations[id(c)]),
            note=_facts_note(c, facts) if facts is not None else _figure_note(c, cands),
        )
        for c in chosen
    )
