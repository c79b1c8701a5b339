"""Near-duplicates and derivatives within a story.

Copies (syndicated wire copy, re-sends) are found with MinHash LSH over word
shingles (datasketch); rewrites by sentence alignment: an article most of whose
sentences paraphrase another article's is that article's derivative. Both stay
in their story but are marked, so later stages do not count them as
independent sources.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .align import aligned_share, sentence_vectors
from .errors import OptionError
from .model import Article, Duplicate
from .sentences import split_sentences

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


def _minhash(text: str, opts: DedupOptions):  # type: ignore[no-untyped-def]
    from datasketch import MinHash  # noqa: PLC0415

    words = [w.lower() for w in _WORDS.findall(text)]
    shingles = {" ".join(words[i : i + opts.shingle]) for i in range(max(1, len(words) - opts.shingle + 1))}
    mh = MinHash(num_perm=opts.permutations, seed=opts.seed)
    for s in sorted(shingles):
        mh.update(s.encode("utf-8"))
    return mh


def _order_key(article: Article) -> tuple[object, ...]:
    return (article.published is None, article.published or 0, len(article.text), article.id)


def find_duplicates(articles: Sequence[Article], options: DedupOptions | None = None) -> list[Duplicate]:
    """Copy and derivative links among the articles of one story (each article at most once)."""
    opts = options or DedupOptions()
    if len(articles) < 2:
        return []
    from datasketch import MinHashLSH  # noqa: PLC0415

    ordered = sorted(articles, key=_order_key)
    hashes = {a.id: _minhash(a.text, opts) for a in ordered}
    lsh = MinHashLSH(threshold=opts.copy_jaccard, num_perm=opts.permutations)
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

    sentences = {a.id: [a.text[s:e] for s, e in split_sentences(a.text)] for a in ordered}
    df: Counter[str] = Counter()
    all_sentences = [s for a in ordered for s in sentences[a.id]]
    vectors_all = sentence_vectors(all_sentences)
    for v in vectors_all:
        df.update(v.keys())
    pos = 0
    vectors: dict[str, list[dict[str, float]]] = {}
    for a in ordered:
        vectors[a.id] = vectors_all[pos : pos + len(sentences[a.id])]
        pos += len(sentences[a.id])
    for article in ordered:
        if article.id in links:
            continue
        best: tuple[float, str] | None = None
        for other in ordered:
            if other.id == article.id or other.id in links:
                continue
            share = aligned_share(vectors[article.id], vectors[other.id])
            reverse = aligned_share(vectors[other.id], vectors[article.id])
            # The derivative is the article most of whose sentences the other holds, not the reverse.
            if share >= opts.derivative_share and share > reverse and (best is None or share > best[0]):
                best = (share, other.id)
        if best:
            links[article.id] = Duplicate(article.id, best[1], "derivative", best[0])
    return sorted(links.values(), key=lambda d: (d.article, d.of))
