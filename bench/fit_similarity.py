"""Fit the weights of the same-story probability on a dev set (default: DUC 2007).

Positive pairs: two documents of one cluster. Negative pairs: each document with
its most similar documents (by terms) from other clusters, plus random ones.
Prints the weights to paste into ``storybrief.cluster.features.WEIGHTS``.
The sets we report clustering figures on (DUC 2006, Multi-News, SemEval, the
seeds) are never used here.

    python bench/fit_similarity.py [DEV.jsonl]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from datasets import DATA, load_labelled
from storybrief.cluster import ClusterOptions, prepare
from storybrief.cluster.features import FEATURES, pair_features, weigh
from storybrief.text.terms import cosine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dev", nargs="?", type=Path, default=DATA / "duc2007.jsonl")
    parser.add_argument("--negatives", type=int, default=8, help="hard negatives per document")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    data = load_labelled(args.dev)
    vectors = prepare(data.articles, ClusterOptions())
    df: Counter[str] = Counter()
    for v in vectors:
        df.update(v.counts.keys())
        df.update("~" + n for n in v.names)
    for v in vectors:
        weigh(v, df, len(vectors))
    rng = random.Random(7)
    X, y = [], []
    for i, a in enumerate(vectors):
        same = [b for b in vectors[i + 1 :] if data.gold[b.id] == data.gold[a.id]]
        for b in same:
            X.append(pair_features(a, b))
            y.append(1)
        others = [b for b in vectors if data.gold[b.id] != data.gold[a.id]]
        hard = sorted(others, key=lambda b: -cosine(a.terms, b.terms))[: args.negatives]
        for b in hard + rng.sample(others, min(4, len(others))):
            X.append(pair_features(a, b))
            y.append(0)
    X_arr, y_arr = np.array(X), np.array(y)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(X_arr, y_arr)
    print(f"{len(y)} pairs ({int(y_arr.sum())} positive) from {args.dev.name}")
    for name, w in zip(FEATURES, model.coef_[0], strict=True):
        print(f"  {name:10s} {w:+.3f}")
    print(f"  intercept  {model.intercept_[0]:+.3f}")
    print(
        "WEIGHTS = np.array(["
        + ", ".join(f"{w:.3f}" for w in model.coef_[0])
        + f"])\nINTERCEPT = {model.intercept_[0]:.3f}"
    )


if __name__ == "__main__":
    main()
