"""Scores against annotations in the ``gold.json`` format (used by benchmarks and tests)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Entity


@dataclass(frozen=True, slots=True)
class PairScore:
    """Pairwise precision and recall of alias merges."""

    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    gold_pairs: int
    missing_aliases: tuple[str, ...] = ()
    forbidden_merges: tuple[tuple[str, str], ...] = ()
    wrong_pairs: tuple[tuple[str, str], ...] = field(default=())
    missed_pairs: tuple[tuple[str, str], ...] = field(default=())

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def entity_pair_score(gold_entities: Sequence[Mapping[str, Any]], predicted: Iterable[Entity]) -> PairScore:
    """Pairwise precision/recall of alias merges against gold entity groups.

    A pair of gold aliases is predicted *together* when some predicted entity
    lists both. Precision counts, among predicted-together pairs of gold
    aliases, those in one gold group; recall counts, among gold same-group
    pairs, those predicted together (an alias never found misses its pairs).
    ``must_not_merge_with`` lists in the gold are reported when broken.
    """
    group_of: dict[str, int] = {}
    for index, group in enumerate(gold_entities):
        for alias in group.get("aliases", []):
            group_of.setdefault(alias, index)
    together: set[frozenset[str]] = set()
    found: set[str] = set()
    for entity in predicted:
        aliases = sorted({a for a in entity.aliases if a in group_of})
        found.update(aliases)
        together.update(frozenset(p) for p in itertools.combinations(aliases, 2))
    gold_pairs = {
        frozenset(p)
        for group in gold_entities
        for p in itertools.combinations(sorted(set(group.get("aliases", []))), 2)
    }
    true = together & gold_pairs
    wrong = together - gold_pairs
    forbidden = []
    for group in gold_entities:
        for alias in group.get("aliases", []):
            for other in group.get("must_not_merge_with", []):
                if frozenset((alias, other)) in together:
                    forbidden.append((alias, other))
    return PairScore(
        precision=len(true) / len(together) if together else 1.0,
        recall=len(true) / len(gold_pairs) if gold_pairs else 1.0,
        true_pairs=len(true),
        predicted_pairs=len(together),
        gold_pairs=len(gold_pairs),
        missing_aliases=tuple(sorted(set(group_of) - found)),
        forbidden_merges=tuple(forbidden),
        wrong_pairs=_pairs(wrong),
        missed_pairs=_pairs(gold_pairs - together),
    )


def _pairs(pairs: Iterable[frozenset[str]]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for pair in pairs:
        a, b = sorted(pair)
        out.append((a, b))
    return tuple(sorted(out))


@dataclass(frozen=True, slots=True)
class ClusterScore:
    """Agreement of a partition with gold stories."""

    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    nmi: float
    items: int
    predicted: int
    gold: int


def cluster_score(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> ClusterScore:
    """B-cubed, pairwise (standard) and NMI scores over the items both partitions label."""
    from sklearn.metrics import normalized_mutual_info_score  # noqa: PLC0415

    items = sorted(set(predicted) & set(gold))
    by_pred: dict[Any, set[str]] = {}
    by_gold: dict[Any, set[str]] = {}
    for item in items:
        by_pred.setdefault(predicted[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        p, g = by_pred[predicted[item]], by_gold[gold[item]]
        common = len(p & g)
        precision += common / len(p)
        recall += common / len(g)
    n = len(items) or 1
    bp, br = precision / n, recall / n
    pred_pairs = sum(len(s) * (len(s) - 1) // 2 for s in by_pred.values())
    gold_pairs = sum(len(s) * (len(s) - 1) // 2 for s in by_gold.values())
    both = 0
    for p in by_pred.values():
        counts: dict[Any, int] = {}
        for item in p:
            counts[gold[item]] = counts.get(gold[item], 0) + 1
        both += sum(c * (c - 1) // 2 for c in counts.values())
    pp = both / pred_pairs if pred_pairs else 1.0
    pr = both / gold_pairs if gold_pairs else 1.0
    nmi = float(normalized_mutual_info_score([gold[i] for i in items], [predicted[i] for i in items])) if items else 0.0
    return ClusterScore(
        bcubed_precision=bp,
        bcubed_recall=br,
        bcubed_f1=2 * bp * br / (bp + br) if bp + br else 0.0,
        pairwise_precision=pp,
        pairwise_recall=pr,
        pairwise_f1=2 * pp * pr / (pp + pr) if pp + pr else 0.0,
        nmi=nmi,
        items=len(items),
        predicted=len(by_pred),
        gold=len(by_gold),
    )


@dataclass(frozen=True, slots=True)
class TimeCaseResult:
    """One date-normalisation case: what was expected, what came out, and whether they agree."""

    sentence: str
    date: str | None
    expression: str
    expected: str | None
    relative: str | None
    got: str | None
    got_relative: str | None
    ok: bool


def time_case(case: Mapping[str, Any]) -> TimeCaseResult:
    """Score one ``{"sentence", "date", "expression", "expected", "relative"?, "historical"?}`` case.

    The expression found at ``expression``'s place in the sentence must have
    the ``expected`` ISO value (a day, month, year or ``first/last`` range),
    the ``relative`` normal form when one is given, and the ``historical``
    flag when one is given. When both ``expected`` and ``relative`` are null
    the case is a trap: nothing there is a time, and finding one is wrong.
    """
    from .text.temporal import find_times  # noqa: PLC0415

    sentence, expression = case["sentence"], case["expression"]
    anchor = dt.date.fromisoformat(case["date"]) if case.get("date") else None
    at = sentence.find(expression)
    if at < 0:
        raise ValueError(f"case expression {expression!r} is not in its sentence {sentence!r}")
    span = (at, at + len(expression))
    hits = [t for t in find_times(sentence, anchor) if t.start < span[1] and span[0] < t.end]
    expected, relative = case.get("expected"), case.get("relative")
    hit = hits[0] if hits else None
    got = hit.value if hit else None
    got_relative = hit.relative if hit else None
    if expected is None and relative is None:
        ok = hit is None
    else:
        ok = hit is not None and got == expected
        if relative is not None:
            ok = ok and (got_relative or "").lower() == relative.lower()
        if "historical" in case and hit is not None:
            ok = ok and hit.historical == bool(case["historical"])
    return TimeCaseResult(sentence, case.get("date"), expression, expected, relative, got, got_relative, ok)


@dataclass(frozen=True, slots=True)
class TimelineScore:
    """A story timeline against gold entries: found, dated right, and in the right order."""

    gold: int
    found: int
    dated: int
    pairs: int
    ordered: int
    matches: tuple[tuple[str, int | None, str | None], ...] = ()  # (gold event, entry index, entry when)

    @property
    def recall(self) -> float:
        """Share of gold entries found (words of the event in an entry's reports)."""
        return self.found / self.gold if self.gold else 1.0

    @property
    def date_accuracy(self) -> float:
        """Share of gold entries found with a date that covers the gold date."""
        return self.dated / self.gold if self.gold else 1.0

    @property
    def order_accuracy(self) -> float:
        """Share of pairs of found gold entries with different dates that come in the gold order."""
        return self.ordered / self.pairs if self.pairs else 1.0


def timeline_score(
    gold: Sequence[Mapping[str, Any]],
    entries: Sequence[Any],
    sentence_text: Any,
    *,
    min_shared: int = 2,
) -> TimelineScore:
    """Match gold ``timeline`` items (``when``, ``event``) to predicted entries.

    An entry matches a gold item when one of its reports' sentences
    (``sentence_text(article, index)``) shares at least ``min_shared`` content
    words with the gold event; the best-sharing entry of the story's own
    events wins (background entries only when no event entry shares enough),
    and among equals the one whose dates cover the gold date, then the one
    whose own text shares most. A match is *dated* when the
    entry's ``first``..``last`` covers the gold date (undated entries never
    are), and pairs of gold items with different dates are *ordered* when their
    entries come in the same order in the timeline.
    """
    from .text.terms import terms_of  # noqa: PLC0415

    texts = [[terms_of(sentence_text(r.article, r.sentence)) for r in e.reports] or [terms_of(e.text)] for e in entries]
    matches: list[tuple[str, int | None, str | None]] = []
    found = dated = 0
    positions: list[tuple[dt.date, int]] = []
    for item in gold:
        want = terms_of(item["event"])
        day = dt.date.fromisoformat(item["when"][:10]) if item.get("when") else None
        best: tuple[int, int, int, int, int] | None = None
        for k, (entry, reports) in enumerate(zip(entries, texts, strict=True)):
            shared = max(len(set(want) & set(r)) for r in reports)
            covers = int(bool(day and entry.first and entry.last and entry.first <= day <= entry.last))
            own = len(set(want) & set(terms_of(entry.text)))  # the words a reader sees
            key = (int(not entry.background), shared, covers, own)  # gold items are the story's events
            if shared >= min_shared and (best is None or key > best[:4]):
                best = (*key, k)
        if best is None:
            matches.append((item["event"], None, None))
            continue
        found += 1
        dated += best[2]
        matches.append((item["event"], best[4], entries[best[4]].when))
        if day is not None:
            positions.append((day, best[4]))
    pairs = ordered = 0
    for (d1, k1), (d2, k2) in itertools.combinations(positions, 2):
        if d1 == d2:
            continue
        pairs += 1
        ordered += int((d1 < d2) == (k1 < k2) and k1 != k2)
    return TimelineScore(len(gold), found, dated, pairs, ordered, tuple(matches))


@dataclass(frozen=True, slots=True)
class Timex:
    """One time expression of a document, gold or found: where it is, its TIMEX3 type and value."""

    start: int
    end: int
    type: str
    value: str | None
    text: str = ""


@dataclass(frozen=True, slots=True)
class TimexScore:
    """Time expressions found against gold ones, as TempEval-3 (task A) scores them.

    ``relaxed`` pairs overlap (each gold and each found expression in one
    pair at most); ``strict`` pairs have the same span; ``right`` pairs (of
    the relaxed ones) have the same value. ``pairs`` keeps (gold, found) of
    every relaxed pair, ``missed`` the gold expressions no found one
    overlaps, ``spurious`` the found ones that overlap no gold one.
    """

    gold: int
    found: int
    relaxed: int
    strict: int
    right: int
    pairs: tuple[tuple[Timex, Timex], ...] = ()
    missed: tuple[Timex, ...] = ()
    spurious: tuple[Timex, ...] = ()

    def _prf(self, hits: int) -> tuple[float, float, float]:
        precision = hits / self.found if self.found else 0.0
        recall = hits / self.gold if self.gold else 0.0
        return precision, recall, (2 * precision * recall / (precision + recall) if hits else 0.0)

    @property
    def relaxed_prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of overlapping spans."""
        return self._prf(self.relaxed)

    @property
    def strict_prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of identical spans."""
        return self._prf(self.strict)

    @property
    def value_accuracy(self) -> float:
        """Of the gold expressions found, the share found with the gold value."""
        return self.right / self.relaxed if self.relaxed else 0.0

    @property
    def value_f1(self) -> float:
        """TempEval-3's value F1: relaxed F1 times value accuracy."""
        return self.relaxed_prf[2] * self.value_accuracy

    def __add__(self, other: TimexScore) -> TimexScore:
        return TimexScore(
            self.gold + other.gold,
            self.found + other.found,
            self.relaxed + other.relaxed,
            self.strict + other.strict,
            self.right + other.right,
            self.pairs + other.pairs,
            self.missed + other.missed,
            self.spurious + other.spurious,
        )


def timex_score(gold: Sequence[Timex], found: Sequence[Timex]) -> TimexScore:
    """Score the expressions ``found`` in one document against its ``gold`` ones (see :class:`TimexScore`).

    Pairs are made greedily, the largest overlap first (ties: the earlier
    expressions), so each expression is in at most one pair.
    """
    overlaps = sorted(
        (
            (-(min(g.end, f.end) - max(g.start, f.start)), i, j)
            for i, g in enumerate(gold)
            for j, f in enumerate(found)
            if g.start < f.end and f.start < g.end
        )
    )
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs: list[tuple[Timex, Timex]] = []
    for _, i, j in overlaps:
        if i in used_gold or j in used_found:
            continue
        used_gold.add(i)
        used_found.add(j)
        pairs.append((gold[i], found[j]))
    pairs.sort(key=lambda p: p[0].start)
    return TimexScore(
        gold=len(gold),
        found=len(found),
        relaxed=len(pairs),
        strict=sum((g.start, g.end) == (f.start, f.end) for g, f in pairs),
        right=sum(g.value is not None and g.value == f.value for g, f in pairs),
        pairs=tuple(pairs),
        missed=tuple(g for i, g in enumerate(gold) if i not in used_gold),
        spurious=tuple(f for j, f in enumerate(found) if j not in used_found),
    )
