"""Stages 2–4 on Spark: what clustering reads of each article, candidate pairs by blocking, stories.

2. Each partition vectorizes its articles (:func:`~storybrief.cluster.features.vectorize`)
   and embeds their titles and leads in one batch (the encoder loads once per
   Python worker); document frequencies are summed over the corpus and every
   vector is weighed by them, as the batch clusterer weighs.
3. Candidate pairs, not all pairs: two articles are a candidate when they share
   one of the keys the clusterer's own index finds stories by
   (:func:`~storybrief.cluster.stories.index_keys`: an article's heaviest
   terms and names) within overlapping date windows (blocks of two windows,
   each window in two blocks, so two articles at most a window apart share
   one); a block larger than ``cap`` pairs each member with the ``cap``
   members next to it in date order, not with all. Copies are candidates
   too, found with Spark ML's ``MinHashLSH`` on word shingles (dated at most
   a window apart).
4. Pairs are scored with the clusterer's same-story model
   (:func:`~storybrief.cluster.features.pair_evidence`), copies like any
   other pair; accepted pairs make a graph whose connected components are found on Spark; within
   each component the local batch clusterer, with the corpus's frequencies,
   makes the stories (:func:`~storybrief.cluster.stories.refine_weighed`).
   An article can only join a story through a pair above the threshold, so a
   story never spans two components.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..cluster import embed_leads, stories_from_clusters
from ..cluster.features import ArticleVector, pair_evidence, probability_of, vectorize, weigh
from ..cluster.stories import ClusterOptions, document_frequencies, index_keys, refine_weighed
from ..model import Article, Story

#: Members of a block paired with each member, in date order, once the block is larger than this.
BLOCK_CAP = 100
#: Words in a shingle, and the size of the space shingles are hashed into, for copies.
SHINGLE_WORDS = 5
SHINGLE_SPACE = 1 << 20
#: Jaccard similarity of shingles above which two articles are copies (MinHashLSH's distance is 1 - it).
COPY_SIMILARITY = 0.5
#: The date block of undated articles (block keys must sort: Spark sorts them when a shuffle spills).
UNDATED = -(1 << 62)
#: Rounds of label propagation between cuts of the lineage.
CHECKPOINT_EVERY = 4


@dataclass(frozen=True, slots=True)
class Blocking:
    """How candidate pairs are found: the date ``window`` in days (None: dates do not block), the ``cap`` per block."""

    window: int | None
    cap: int = BLOCK_CAP


def vectorized(rows: Iterable[tuple[int, Article]], options: ClusterOptions) -> Iterator[ArticleVector]:
    """Stage 2 for one partition: ``(position among the English articles, article)`` into vectors,
    titles and leads embedded in one batch."""
    vectors = [vectorize(article, position) for position, article in rows]
    if options.embeddings:
        embed_leads(vectors)
    yield from vectors


def counted_keys(vector: ArticleVector) -> set[str]:
    """What an article adds to the document frequencies: its terms and its names (``~name``), once each."""
    return set(document_frequencies([vector]))


def weighed(vector: ArticleVector, df: Counter[str], n: int) -> ArticleVector:
    """The vector with the corpus's tf-idf weights."""
    weigh(vector, df, n)
    return vector


def block_keys(
    vector: ArticleVector, blocking: Blocking, undated: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str, int], tuple[Any, ...]]]:
    """The blocks an article is in: (index key, block of its dates), with what pairing reads of it.

    With a window, block ``j`` spans windows ``j`` and ``j + 1``; an article of window ``w`` is in
    blocks ``w - 1`` and ``w``. An undated article is in the block :data:`UNDATED` of each of its keys, and so
    is a dated article for each of its keys in ``undated`` (the keys undated articles have).
    """
    day = vector.date.toordinal() if vector.date is not None else None
    member = (day if day is not None else -1, vector.order, vector.id)
    for key in index_keys(vector):
        if blocking.window is None:
            yield (key, 0), member
        elif day is None:
            yield (key, UNDATED), member
        else:
            window = day // blocking.window
            yield (key, window - 1), member
            yield (key, window), member
            if key in undated:
                yield (key, UNDATED), member


def block_pairs(
    members: Iterable[tuple[Any, ...]], cap: int, *, undated_block: bool = False
) -> Iterator[tuple[str, str]]:
    """Candidate pairs of one block ``(day, order, id)``: all pairs up to ``cap`` members, else each
    member with the ``cap`` that follow it in date order. In an undated block only pairs with an
    undated member count (the dated ones pair in their own blocks)."""
    ordered = sorted(set(members))
    for i, (day, _, first) in enumerate(ordered):
        for other_day, _, second in ordered[i + 1 : i + 1 + cap]:
            if undated_block and day >= 0 and other_day >= 0:
                continue
            yield (first, second) if first < second else (second, first)


def accepted(a: ArticleVector, b: ArticleVector, options: ClusterOptions) -> bool:
    """A pair the local clusterer could put in one story: dated at most a window apart, and
    same-story probability at least the threshold (story-wide conflicts only lower it)."""
    window = options.window_days
    if window is not None and a.date is not None and b.date is not None and abs((a.date - b.date).days) > window:
        return False
    return probability_of(pair_evidence(a, b, events=window is not None)) >= options.threshold


def shingles(text: str) -> list[int]:
    """Sorted hashed word shingles of a text (its words when it has fewer than a shingle)."""
    words = text.lower().split()
    grams = [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]
    hashed = {
        int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") % SHINGLE_SPACE
        for g in grams
        if g
    }
    return sorted(hashed)


def component_stories(
    members: Sequence[tuple[ArticleVector, Article]], options: ClusterOptions, df: Counter[str], n: int
) -> list[Story]:
    """The stories of one connected component, by the local batch clusterer (ids not given yet)."""
    members = sorted(members, key=lambda m: m[0].order)  # input order, as the local clusterer reads them
    vectors = [v for v, _ in members]
    clusters = refine_weighed(vectors, options, df, n)
    return stories_from_clusters(clusters, [a for _, a in members], vectors, duplicates=False)


def story_order(story: Story) -> tuple[bool, int, int, str]:
    """Where a story comes in the brief: by first date, larger first, then by its first article (as locally)."""
    return (story.first is None, story.first.toordinal() if story.first else 0, -len(story.articles), story.articles[0])


def find_stories(
    spark: Any, english: Any, options: ClusterOptions, blocking: Blocking, clock: Callable[[str], Any]
) -> tuple[Any, dict[str, int]]:
    """Stages 2–4: ``english``, an RDD of ``(position, Article)``, into an RDD of ``(number, Story)``
    with numbers from 0 in brief order; and counts of what was compared. ``clock(stage)`` times each stage."""
    sc = spark.sparkContext
    with clock("features"):
        vectors = english.mapPartitions(lambda rows: vectorized(rows, options)).cache()
        n = vectors.count()
        df = Counter(
            dict(vectors.flatMap(counted_keys).map(lambda k: (k, 1)).reduceByKey(lambda x, y: x + y).collect())
        )
        frequencies = sc.broadcast(df)
        weights = vectors.map(lambda v: weighed(v, frequencies.value, n)).keyBy(lambda v: v.id).cache()
        weights.count()
        vectors.unpersist()
    with clock("candidates"):
        undated = frozenset(weights.values().filter(lambda v: v.date is None).flatMap(index_keys).distinct().collect())
        blocks = weights.values().flatMap(lambda v: block_keys(v, blocking, undated)).groupByKey()
        cap = blocking.cap
        pairs = blocks.flatMap(lambda kv: block_pairs(kv[1], cap, undated_block=kv[0][1] == UNDATED)).distinct()
        copies = copy_pairs(spark, english, options.window_days)
        candidates = pairs.union(copies).distinct().cache()
        counts = {"articles": n, "terms and names": len(df), "candidate pairs": candidates.count()}
        counts["copy pairs"] = copies.count()
    with clock("stories"):
        scored = (
            candidates.join(weights)
            .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
            .join(weights)
            .filter(lambda kv: accepted(kv[1][0][1], kv[1][1], options))
            .map(lambda kv: (kv[1][0][0], kv[0]))
        )
        edges = scored.cache()
        counts["accepted pairs"] = edges.count()
        labels = connected_components(weights.keys(), edges)
        articles = english.map(lambda row: (row[1].id, row[1]))
        grouped = labels.join(weights).join(articles)
        by_component = grouped.map(lambda kv: (kv[1][0][0], (kv[1][0][1], kv[1][1]))).groupByKey()
        stories = by_component.flatMap(lambda kv: component_stories(list(kv[1]), options, frequencies.value, n))
        stories = stories.cache()  # sorting reads it twice (a sample, then the sort)
        numbered = stories.sortBy(story_order).zipWithIndex().map(lambda kv: (kv[1], kv[0])).cache()
        counts["components"] = labels.values().distinct().count()
        counts["stories"] = numbered.count()
        for done in (weights, candidates, copies, edges, stories, labels):
            done.unpersist()
    return numbered, counts


def copy_pairs(spark: Any, english: Any, window: int | None) -> Any:
    """Pairs of copies (ids in order), an RDD made and cached: shingle Jaccard similarity above
    :data:`COPY_SIMILARITY`, found through the buckets of Spark ML's ``MinHashLSH`` (a pair shares a
    bucket in one of its tables, as ``approxSimilarityJoin`` finds them), dated at most ``window`` days apart.

    The buckets are joined within date blocks, as candidate pairs are: a text sent again months later
    is a copy but not the same story, and a text that recurs all year (a daily template) would
    otherwise pair with every one of its copies. An undated article is joined with its whole bucket.
    """
    from pyspark.ml.feature import MinHashLSH  # noqa: PLC0415
    from pyspark.ml.functions import vector_to_array  # noqa: PLC0415
    from pyspark.ml.linalg import SparseVector, VectorUDT  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: PLC0415
    from pyspark.sql.types import ArrayType, IntegerType, LongType, StringType, StructField, StructType  # noqa: PLC0415

    def row(article: Article) -> tuple[str, int | None, Any, list[int]]:
        found = shingles(article.text)
        day = article.published.toordinal() if article.published is not None else None
        return article.id, day, SparseVector(SHINGLE_SPACE, found, [1.0] * len(found)), found

    fields = [
        StructField("id", StringType()),
        StructField("day", LongType()),
        StructField("shingles", VectorUDT()),
        StructField("words", ArrayType(IntegerType())),
    ]
    frame = spark.createDataFrame(english.map(lambda r: row(r[1])), StructType(fields)).cache()
    model = MinHashLSH(inputCol="shingles", outputCol="hashes", numHashTables=5, seed=7).fit(frame)
    buckets = model.transform(frame).select("id", "day", F.posexplode("hashes").alias("table", "hash"))
    buckets = buckets.withColumn("hash", vector_to_array(F.col("hash"))[0]).cache()
    same = ["table", "hash"]
    if window is None:
        a, b = buckets.alias("a"), buckets.alias("b")
        found = a.join(b, same).where("a.id < b.id").select(F.col("a.id").alias("x"), F.col("b.id").alias("y"))
    else:
        block = F.floor(F.col("day") / int(window))
        dated = buckets.where("day IS NOT NULL").withColumn("block", F.explode(F.array(block - 1, block)))
        a, b = dated.alias("a"), dated.alias("b")
        near = (
            a.join(b, [*same, "block"])
            .where(f"a.id < b.id AND abs(a.day - b.day) <= {int(window)}")
            .select(F.col("a.id").alias("x"), F.col("b.id").alias("y"))
        )
        u, other = buckets.where("day IS NULL").alias("u"), buckets.alias("o")
        undated = (
            u.join(other, same)
            .where("u.id != o.id")
            .select(F.least("u.id", "o.id").alias("x"), F.greatest("u.id", "o.id").alias("y"))
        )
        found = near.union(undated)
    words = frame.select("id", "words")
    wa = words.select(F.col("id").alias("x"), F.col("words").alias("wx"))
    wb = words.select(F.col("id").alias("y"), F.col("words").alias("wy"))
    similarity = F.size(F.array_intersect("wx", "wy")) / F.size(F.array_union("wx", "wy"))
    pairs = found.distinct().join(wa, "x").join(wb, "y").where(similarity > COPY_SIMILARITY)
    result = pairs.select("x", "y").rdd.map(lambda r: (r[0], r[1])).cache()
    result.count()  # made, so that what it was made from can go (a stream calls this every batch)
    buckets.unpersist()
    frame.unpersist()
    return result


def connected_components(vertices: Any, edges: Any) -> Any:
    """``(vertex, component)`` for every vertex, a component named by its smallest vertex: labels
    spread along the edges, each vertex taking the smallest it hears, until none changes."""
    both = edges.flatMap(lambda e: (e, (e[1], e[0]))).distinct().cache()
    labels = vertices.map(lambda v: (v, v)).cache()
    rounds = 0
    while True:
        heard = both.join(labels).map(lambda kv: (kv[1][0], kv[1][1]))
        updated = labels.union(heard).reduceByKey(min).cache()
        rounds += 1
        if rounds % CHECKPOINT_EVERY == 0:
            updated.localCheckpoint()
        changed = updated.join(labels).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = updated
        if not changed:
            both.unpersist()
            return labels
