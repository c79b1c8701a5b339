"""Scores against annotations in the ``gold.json`` format (used by benchmarks and tests)."""

from __future__ import annotations

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
