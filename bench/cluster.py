"""Story clustering quality and speed, batch and stream, on labelled sets.

    python bench/cluster.py DATA.jsonl [DATA.jsonl ...] [--limit N] [--window DAYS|none] [--json OUT]
    python bench/cluster.py --pairs ../shared/data/semeval2022_en_pairs.jsonl

DATA is a labelled stream (JSON lines with ``id``, ``title``, ``text``, ``date``,
``cluster``) or a multi-document summarization set whose clusters are pooled
(gold story = cluster id; documents in two clusters are not scored). Prints
B-cubed precision/recall/F1, pairwise (standard) F1, NMI, stories found, articles
per second (batch: embeddings included; stream: once embeddings exist) and peak
memory. ``--pairs`` scores the pairwise same-story probability against the
human ``overall`` rating (1 = same story … 4 = unrelated) by Pearson correlation.

Scores cover the documents ingest kept. ``skipped`` counts gold documents ingest
skipped (a page that is only an archive notice or a widget has no article text);
``F1 incl.`` is the B-cubed F1 with each of those counted as a story of its own.

Window: pooled summarization sets are topic collections whose documents span
years, so they run without a time window unless ``--window`` says otherwise;
labelled streams use the library default (30 days).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from datasets import DATA, load_folder_labelled, load_labelled
from storybrief.cluster import ClusterOptions, prepare
from storybrief.cluster.stories import cluster_vectors
from storybrief.evaluation import cluster_score

DEFAULT_SETS = [DATA / "duc2006.jsonl", DATA / "multinews200.jsonl"]


def _window(arg: str | None, pooled: bool) -> int | None:
    if arg is None:
        return None if pooled else ClusterOptions().window_days
    return None if arg.lower() == "none" else int(arg)


def run_set(path: Path, args: argparse.Namespace) -> list[dict[str, object]]:
    topics: dict[str, str] = {}
    if path.is_dir():
        pooled = False
        data, topics = load_folder_labelled(path)
    else:
        pooled = "documents" in path.open(encoding="utf-8").readline()
        data = load_labelled(path, args.limit)
    window = _window(args.window, pooled)
    options = ClusterOptions(
        window_days=window,
        window_articles=None if pooled else 20_000,
        threshold=args.threshold,
        embeddings=not args.no_embeddings,
    )
    rows = []
    start = time.perf_counter()
    vectors = prepare(data.articles, options)
    prepared = time.perf_counter() - start
    for mode in args.modes.split(","):
        batch = mode == "batch"
        for v in vectors:
            v.terms = {}
        start = time.perf_counter()
        clusters = cluster_vectors(vectors, options, batch=batch)
        seconds = time.perf_counter() - start + (prepared if batch else 0.0)
        predicted: dict[str, object] = {m: c.id for c in clusters for m in c.members}
        gold = {k: v for k, v in data.gold.items() if k not in data.ambiguous}
        score = cluster_score(predicted, gold)
        # Documents ingest skipped (no article text left) are not in the main score; scored as
        # stories of their own they give the lower figure a reader should also see.
        with_skipped = cluster_score(predicted | {k: f"skipped:{k}" for k in data.skipped}, gold | data.skipped)
        rows.append(
            {
                "set": data.name,
                "mode": mode,
                "window": window,
                "articles": len(data.articles),
                "bcubed_p": score.bcubed_precision,
                "bcubed_r": score.bcubed_recall,
                "bcubed_f1": score.bcubed_f1,
                "pairwise_f1": score.pairwise_f1,
                "nmi": score.nmi,
                "skipped": len(data.skipped),
                "bcubed_f1_with_skipped": with_skipped.bcubed_f1,
                "stories": score.predicted,
                "gold_stories": score.gold,
                "seconds": seconds,
                "articles_per_second": len(data.articles) / seconds,
                "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
        if topics:
            rows[-1].update(_per_topic(vectors, gold, topics, options, batch))
    return rows


def _per_topic(
    vectors: list[object], gold: dict[str, str], topics: dict[str, str], options: ClusterOptions, batch: bool
) -> dict[str, object]:
    """Each topic clustered alone (its two look-alike events must come apart): mean B-cubed F1, topics >= 0.9."""
    by_topic: dict[str, list[object]] = {}
    for v in vectors:
        by_topic.setdefault(topics[v.id], []).append(v)  # type: ignore[attr-defined]
    scores = []
    for members in by_topic.values():
        for v in members:
            v.terms = {}  # type: ignore[attr-defined]
        clusters = cluster_vectors(members, options, batch=batch)  # type: ignore[arg-type]
        predicted = {m: c.id for c in clusters for m in c.members}
        scores.append(cluster_score(predicted, {k: gold[k] for k in predicted if k in gold}).bcubed_f1)
    return {
        "topic_f1": sum(scores) / len(scores),
        "topics_apart": sum(s >= 0.9 for s in scores),
        "topics": len(scores),
    }


def run_pairs(path: Path, args: argparse.Namespace) -> dict[str, object]:
    from scipy.stats import pearsonr  # noqa: PLC0415

    from storybrief import ingest_bytes  # noqa: PLC0415
    from storybrief.cluster.features import pair_probability, weigh  # noqa: PLC0415

    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = []
    for p in pairs:
        for side in ("1", "2"):
            title = p[f"title{side}"]
            records.append(
                {
                    "id": f"{p['pair_id']}-{side}",
                    "title": None if title in (None, "None") else title,
                    "text": p[f"text{side}"],
                }
            )
    corpus = ingest_bytes("\n".join(json.dumps(r) for r in records).encode(), "pairs.jsonl", extension=".jsonl")
    by_id = {a.id: a for a in corpus}
    options = ClusterOptions(embeddings=not args.no_embeddings)
    vectors = {v.id: v for v in prepare(list(by_id.values()), options)}
    from collections import Counter  # noqa: PLC0415

    df: Counter[str] = Counter()
    for v in vectors.values():
        df.update(v.counts.keys())
        df.update("~" + n for n in v.names)
    for v in vectors.values():
        weigh(v, df, len(vectors))
    probs, human = [], []
    for p in pairs:
        a, b = vectors.get(f"{p['pair_id']}-1"), vectors.get(f"{p['pair_id']}-2")
        if a is None or b is None:
            continue
        probs.append(pair_probability(a, b))
        human.append(float(p["overall"]))
    r = float(pearsonr(probs, human)[0])
    return {"set": path.stem, "pairs": len(probs), "pearson": r}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="*", type=Path)
    parser.add_argument("--pairs", type=Path, help="score pairwise similarity on a SemEval-style pairs file")
    parser.add_argument("--limit", type=int, help="first N clusters (or articles) of each set")
    parser.add_argument("--modes", default="batch,stream")
    parser.add_argument("--window", help="time window in days, or none (default: see above)")
    parser.add_argument("--threshold", type=float, default=ClusterOptions().threshold)
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    console = Console(width=200)  # the table is wide; do not let a narrow terminal abbreviate it
    results: dict[str, object] = {}
    sets = args.data or ([] if args.pairs else DEFAULT_SETS)
    rows = [row for path in sets for row in run_set(path, args)]
    if rows:
        table = Table(title="story clustering")
        cols = (
            "set",
            "mode",
            "window",
            "articles",
            "B3 P",
            "B3 R",
            "B3 F1",
            "skipped",
            "F1 incl.",
            "pair F1",
            "NMI",
            "stories",
            "gold",
            "art/s",
            "peak MiB",
        )
        for col in cols:
            table.add_column(col, justify="left" if col in {"set", "mode"} else "right")
        for r in rows:
            table.add_row(
                str(r["set"]),
                str(r["mode"]),
                str(r["window"]),
                str(r["articles"]),
                f"{r['bcubed_p']:.3f}",
                f"{r['bcubed_r']:.3f}",
                f"{r['bcubed_f1']:.3f}",
                str(r["skipped"]),
                f"{r['bcubed_f1_with_skipped']:.3f}",
                f"{r['pairwise_f1']:.3f}",
                f"{r['nmi']:.3f}",
                str(r["stories"]),
                str(r["gold_stories"]),
                f"{r['articles_per_second']:.0f}",
                f"{r['peak_mib']:.0f}",
            )
        console.print(table)
        for r in rows:
            if "topic_f1" in r:
                console.print(
                    f"{r['set']} {r['mode']}: each topic alone, mean B-cubed F1 {r['topic_f1']:.3f}; "
                    f"{r['topics_apart']} of {r['topics']} topics at F1 >= 0.90"
                )
        results["clustering"] = rows
    if args.pairs:
        pr = run_pairs(args.pairs, args)
        console.print(
            f"pairwise similarity on {pr['set']}: Pearson r = {pr['pearson']:+.3f} over {pr['pairs']} pairs "
            "(negative: higher probability, lower 'overall' = more similar)"
        )
        results["pairs"] = pr
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
