"""Near-duplicates and derivatives within a story.

Copies (syndicated wire copy, re-sends) are found with MinHash LSH over word
shingles (datasketch); rewrites by sentence alignment: an article most of whose
sentences paraphrase another article's is that article's derivative. Both stay
in their story but are marked, so later stages do not count them as
independent sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from ..errors import OptionError
from ..model import Article, Duplicate
from ..text.sentences import split_sentences
from .align import aligned_shares, sentence_vectors, similarity_matrix

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """Options of duplicate detection.

    ``copy_jaccard``: estimated shingle Jaccard above which an article is a copy.
    ``derivative_share``: share of sentences aligned above which it is a rewrite.
    ``shingle``: words per shingle. ``permutations`` and ``seed``: the MinHash (deterministic).
    """

    copy_jaccard: float = 0.8
    derivative_share: float = 0.4
    shingle: int = 5
    permutations: int = 128
    seed: int = 1

    def __post_init__(self) -> None:
        for name in ("copy_jaccard", "derivative_share"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise OptionError(name, "a share between 0 and 1", value)


def _minhashes(texts: Sequence[str], opts: DedupOptions) -> list[Any]:
    """One MinHash per text over its word shingles (the permutations are made once for all)."""
    from datasketch import MinHash  # noqa: PLC0415

    def shingles(text: str) -> list[bytes]:
        words = [w.lower() for w in _WORDS.findall(text)]
        grams = {" ".join(words[i : i + opts.shingle]) for i in range(max(1, len(words) - opts.shingle + 1))}
        return [g.encode("utf-8") for g in sorted(grams)]

    hashes: list[Any] = MinHash.bulk((shingles(t) for t in texts), num_perm=opts.permutations, seed=opts.seed)
    return hashes


@cache
def _lsh_bands(threshold: float, permutations: int) -> tuple[int, int]:
    """The bands and rows of an LSH index for this threshold: datasketch's optimum, worked out once.

    (Working it out integrates false positive and negative rates over every split of the
    permutations, which costs more than the index of a story it is for.)
    """
    from datasketch import MinHashLSH  # noqa: PLC0415

    lsh = MinHashLSH(threshold=threshold, num_perm=permutations)
    return lsh.b, lsh.r


def _order_key(article: Article) -> tuple[object, ...]:
    return (article.published is None, article.published or 0, len(article.text), article.id)


def find_duplicates(articles: Sequence[Article], options: DedupOptions | None = None) -> list[Duplicate]:
    """Copy and derivative links among the articles of one story (each article at most once)."""
    opts = options or DedupOptions()
    if len(articles) < 2:
        return []
    from datasketch import MinHashLSH  # noqa: PLC0415

    ordered = sorted(articles, key=_order_key)
    hashes = dict(zip((a.id for a in ordered), _minhashes([a.text for a in ordered], opts), strict=True))
    lsh = MinHashLSH(
        threshold=opts.copy_jaccard,
        num_perm=opts.permutations,
        params=_lsh_bands(opts.copy_jaccard, opts.permutations),
    )
    links: dict[str, Duplicate] = {}
    rank = {a.id: i for i, a in enumerate(ordered)}
    for article in ordered:
        found = [other for other in lsh.query(hashes[article.id]) if other != article.id]
        if found:
            original = min(found, key=rank.__getitem__)
            share = hashes[article.id].jaccard(hashes[original])
            links[article.id] = Duplicate(article.id, original, "copy", share)
        else:
            lsh.insert(article.id, hashes[article.id])

    # Rewrites: one sparse product gives every sentence pair's similarity, blocks of it every article pair's share.
    sentences = [[a.text[s:e] for s, e in split_sentences(a.text)] for a in ordered]
    blocks, pos = [], 0
    for sents in sentences:
        blocks.append((pos, pos + len(sents)))
        pos += len(sents)
    vectors = [v if v else {"": 0.0} for v in sentence_vectors([t for sents in sentences for t in sents])]
    shares = aligned_shares(similarity_matrix(vectors), blocks) if pos else np.zeros((len(ordered), len(ordered)))
    for i, article in enumerate(ordered):
        if article.id in links:
            continue
        best: tuple[float, str] | None = None
        for j, other in enumerate(ordered):
            if i == j or other.id in links:
                continue
            share, reverse = shares[i, j], shares[j, i]
            # The derivative is the article most of whose sentences the other holds, not the reverse.
            if share >= opts.derivative_share and share > reverse and (best is None or share > best[0]):
                best = (float(share), other.id)
        if best:
            links[article.id] = Duplicate(article.id, best[1], "derivative", best[0])
    return sorted(links.values(), key=lambda d: (d.article, d.of))
