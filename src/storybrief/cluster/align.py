"""Sentence alignment across articles: which sentences of one article restate another's.

Sentences are compared as tf-idf vectors of content words (idf from the
sentences being aligned). Used to find rewrites (derivatives) and, later, to
cite every article that states the same information.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..text.terms import cosine, terms_of

#: Cosine above which two sentences say the same thing in nearly the same words.
PARAPHRASE = 0.5


def sentence_vectors(
    sentences: Sequence[str], df: Counter[str] | None = None, n: int | None = None
) -> list[dict[str, float]]:
    """Unit-length tf-idf vectors of sentences."""
    counts = [terms_of(s) for s in sentences]
    if df is None:
        df = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(counts)
    total = n or 1
    out = []
    for c in counts:
        weights = {t: (1 + math.log(k)) * (math.log((total + 1) / (df.get(t, 0) + 1)) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        out.append({t: w / norm for t, w in weights.items()})
    return out


def aligned_share(a: Sequence[dict[str, float]], b: Sequence[dict[str, float]], threshold: float = PARAPHRASE) -> float:
    """Share of ``a``'s sentences that have a paraphrase in ``b``."""
    if not a or not b:
        return 0.0
    hits = sum(1 for sa in a if sa and max(cosine(sa, sb) for sb in b) >= threshold)
    return hits / len(a)


def _sparse(vectors: Sequence[dict[str, float]]) -> Any:
    """The vectors as the rows of one sparse matrix (terms numbered in order of appearance)."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - scipy comes with scikit-learn

    index: dict[str, int] = {}
    rows, cols, data = [], [], []
    for i, v in enumerate(vectors):
        for term, weight in v.items():
            rows.append(i)
            cols.append(index.setdefault(term, len(index)))
            data.append(weight)
    return csr_matrix((data, (rows, cols)), shape=(len(vectors), max(1, len(index))), dtype=np.float32)


def similarity_matrix(vectors: Sequence[dict[str, float]]) -> np.ndarray:
    """Cosine of every pair of sentence vectors, as a dense matrix (one sparse product)."""
    matrix = _sparse(vectors)
    return np.asarray((matrix @ matrix.T).todense())


def closest_by_group(vectors: Sequence[dict[str, float]], groups: Sequence[int]) -> np.ndarray:
    """``out[i, g]``: cosine of sentence ``i`` with the closest sentence of group ``g`` (0 for an empty group).

    One sparse product per group, so memory grows with the sentences of a
    group, not with the square of all of them.
    """
    labels = np.asarray(groups, dtype=np.int64)
    n_groups = int(labels.max()) + 1 if len(labels) else 0
    out = np.zeros((len(vectors), n_groups), dtype=np.float64)
    if not len(labels):
        return out
    matrix = _sparse(vectors)
    for g in range(n_groups):
        members = np.flatnonzero(labels == g)
        if len(members):
            block = matrix @ matrix[members].T
            out[:, g] = block.max(axis=1).toarray().ravel()
    return out


def aligned_shares(matrix: np.ndarray, blocks: Sequence[tuple[int, int]], threshold: float = PARAPHRASE) -> np.ndarray:
    """``out[i, j]``: share of block ``i``'s sentences with a paraphrase in block ``j`` (rows of ``matrix``)."""
    n = len(blocks)
    out = np.zeros((n, n), dtype=np.float64)
    for j, (b0, b1) in enumerate(blocks):
        if b1 <= b0:
            continue
        best = matrix[:, b0:b1].max(axis=1) >= threshold  # every sentence: has it a paraphrase in block j?
        for i, (a0, a1) in enumerate(blocks):
            if i != j and a1 > a0:
                out[i, j] = float(best[a0:a1].mean())
    return out
