"""The store at scale: incremental adds, one-article updates, and store stories against batch stories.

    python bench/store.py [--articles 5000] [--batch 100] [--sets duc2007,multinews200] [--skip-growth]
                          [--skip-compare] [--json OUT]

Growth: the shared sets (DUC 2006, DUC 2007, Multi-News, events_dev) and the examples are pooled
and, when they hold fewer texts than ``--articles``, replicated: a replica has its id suffixed, its
date three years later per round (so it falls in a later story, not a copy in the same one) and as
many spaces more after its first sentence as its round (so the store sees a new input; the cleaned text is the same).
The pool is added in date order, in batches of ``--batch`` (one ``Store.add_corpus`` each, as a
feed poll would): articles per second per batch, the cost of the last 1,000 against the first 1,000
(issue 18: at most 1.5x), total time and peak memory. Then one article that joins a stored story
(a rewrite of one of its members) is added and the story's brief rebuilt (target: 2 s, models loaded).

Compare: for each pooled set, the stories a store makes (stream clustering as batches of
``--batch`` arrive, then ``recluster`` over all) against the stories ``brief`` makes of the same
articles in one batch, both scored by B-cubed F1 against the gold topics (target: within 0.02).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from datasets import DATA, is_events, load_events, load_labelled  # noqa: E402
from storybrief import Article, Corpus, IngestOptions, Store, ingest, ingest_bytes  # noqa: E402
from storybrief.evaluation import cluster_score  # noqa: E402
from storybrief.model import Manifest, ManifestEntry  # noqa: E402

console = Console(width=160)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pool() -> list[Article]:
    """Every full-text article of the shared sets and the examples, each text once."""
    articles: list[Article] = []
    for name in ("duc2006.jsonl", "duc2007.jsonl", "multinews200.jsonl"):
        if (DATA / name).is_file():
            articles += load_labelled(DATA / name).articles
    if is_events(DATA / "events_dev"):
        articles += load_events(DATA / "events_dev").articles
    articles += list(ingest([str(ROOT / "examples")]).articles)
    seen: set[str] = set()
    unique = []
    for a in articles:
        if a.text not in seen and a.published is not None:
            seen.add(a.text)
            unique.append(a)
    return unique


def _replica(a: Article, round_: int) -> dict[str, object]:
    assert a.published is not None
    try:
        day = a.published.replace(year=a.published.year + 3 * round_)
    except ValueError:  # 29 February
        day = a.published.replace(year=a.published.year + 3 * round_, day=28)
    text = a.text.replace(". ", "." + " " * (round_ + 1), 1) if round_ else a.text  # a new input each round
    return {
        "id": f"{a.id}~{round_}" if round_ else a.id,
        "title": a.title,
        "date": day.isoformat(),
        "text": text,
        "source": a.outlet,
    }


def _records(total: int) -> tuple[list[dict[str, object]], int]:
    pool = _pool()
    records, round_ = [], 0
    while len(records) < total:
        records += [_replica(a, round_) for a in pool[: total - len(records)]]
        round_ += 1
    records.sort(key=lambda r: (str(r["date"]), str(r["id"])))
    return records, len(pool)


def _corpus(articles: list[Article]) -> Corpus:
    entries = tuple(ManifestEntry("bench", "used", i + 1, None, None, (a.id,)) for i, a in enumerate(articles))
    return Corpus(tuple(articles), Manifest(entries))


def growth(total: int, batch: int) -> dict[str, object]:
    records, unique = _records(total)
    payload = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")
    articles = list(ingest_bytes(payload, "pool.jsonl", IngestOptions(min_words=5), extension=".jsonl").articles)
    seconds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        start = time.perf_counter()
        for i in range(0, len(articles), batch):
            t0 = time.perf_counter()
            store.add_corpus(_corpus(articles[i : i + batch]))
            seconds.append(time.perf_counter() - t0)
            done = min(i + batch, len(articles))
            console.print(f"  {done:>5} articles: batch {seconds[-1]:6.1f} s", highlight=False)
        total_s = time.perf_counter() - start
        rows = store.db.execute(
            # the latest story of three or more articles: one a new report of the day would join
            "SELECT story, COUNT(*) AS n FROM articles WHERE story IS NOT NULL GROUP BY story HAVING n >= 3 "
            "ORDER BY MAX(published) DESC, n DESC LIMIT 1"
        ).fetchone()
        update_s, joined, story_size = float("nan"), False, 0
        if rows:
            story_id, story_size = str(rows[0]), int(rows[1])
            (data,) = store.db.execute(
                "SELECT data FROM articles WHERE story = ? ORDER BY published DESC LIMIT 1", (story_id,)
            ).fetchone()
            member = Article.from_dict(json.loads(data))
            paragraphs = member.paragraph_texts()
            text = "\n\n".join(paragraphs[1:] + paragraphs[:1]) if len(paragraphs) > 1 else member.text + " "
            record = {
                "id": "bench-update",
                "title": member.title,
                "date": member.published.isoformat() if member.published else None,
                "text": text,
                "source": "Bench Wire",
            }
            one = ingest_bytes(json.dumps(record).encode(), "one.jsonl", extension=".jsonl")
            t0 = time.perf_counter()
            result = store.add_corpus(one)
            update_s = time.perf_counter() - t0
            joined = result.stories.get("bench-update") == story_id
            console.print(
                f"  update: {result.new} new, {result.unchanged} unchanged, {result.skipped} skipped; "
                f"placed in {result.stories.get('bench-update')}, the member's story {story_id}",
                highlight=False,
            )
        db_mib = (Path(tmp) / "bench.db").stat().st_size / 2**20
    first = sum(seconds[: 1000 // batch])
    last = sum(seconds[-(1000 // batch) :])
    return {
        "articles": len(articles),
        "unique_texts": unique,
        "batches": len(seconds),
        "first_1000_s": first,
        "last_1000_s": last,
        "ratio": last / first if first else float("nan"),
        "total_s": total_s,
        "articles_per_s": len(articles) / total_s,
        "first_batch_aps": batch / seconds[0],
        "last_batch_aps": (len(articles) - batch * (len(seconds) - 1)) / seconds[-1],
        "peak_mib": _peak_mib(),
        "store_mib": db_mib,
        "update_s": update_s,
        "update_joined": joined,
        "update_story_size": story_size,
    }


def compare(name: str, batch: int) -> dict[str, object]:
    import storybrief  # noqa: PLC0415

    data = load_labelled(DATA / f"{name}.jsonl")
    gold = {k: v for k, v in data.gold.items() if k not in data.ambiguous}
    options = storybrief.BriefOptions()
    t0 = time.perf_counter()
    stories = storybrief.cluster(data.articles, options.cluster)
    batch_s = time.perf_counter() - t0
    batch_pred = {m: s.id for s in stories for m in s.articles}
    ordered = sorted(data.articles, key=lambda a: (a.published or dt.date.min, a.id))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "cmp.db", options) as store:
        t0 = time.perf_counter()
        for i in range(0, len(ordered), batch):
            store.add_corpus(_corpus(ordered[i : i + batch]))
        stream_pred = {str(a): str(s) for a, s in store.db.execute("SELECT id, story FROM articles") if s}
        store.recluster(days=None)
        store_s = time.perf_counter() - t0
        store_pred = {str(a): str(s) for a, s in store.db.execute("SELECT id, story FROM articles") if s}
    b, st, sr = cluster_score(batch_pred, gold), cluster_score(stream_pred, gold), cluster_score(store_pred, gold)
    return {
        "set": name,
        "articles": len(data.articles),
        "batch_f1": b.bcubed_f1,
        "stream_f1": st.bcubed_f1,
        "store_f1": sr.bcubed_f1,
        "diff": sr.bcubed_f1 - b.bcubed_f1,
        "batch_stories": b.predicted,
        "store_stories": sr.predicted,
        "gold_stories": b.gold,
        "batch_s": batch_s,
        "store_s": store_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--sets", default="duc2007,multinews200")
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--skip-compare", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"{DATA}: the shared data sets are not beside the checkout")
    out: dict[str, object] = {}
    if not args.skip_growth:
        g = growth(args.articles, args.batch)
        out["growth"] = g
        table = Table(title=f"Store growth: {g['articles']} articles in batches of {args.batch}")
        for col in (
            "articles",
            "unique texts",
            "first 1,000 s",
            "last 1,000 s",
            "last/first",
            "total s",
            "articles/s",
            "first batch a/s",
            "last batch a/s",
            "peak MiB",
            "store MiB",
        ):
            table.add_column(col, justify="right")
        table.add_row(
            str(g["articles"]),
            str(g["unique_texts"]),
            f"{g['first_1000_s']:.1f}",
            f"{g['last_1000_s']:.1f}",
            f"{g['ratio']:.2f} (≤ 1.5)",
            f"{g['total_s']:.0f}",
            f"{g['articles_per_s']:.1f}",
            f"{g['first_batch_aps']:.1f}",
            f"{g['last_batch_aps']:.1f}",
            f"{g['peak_mib']:.0f}",
            f"{g['store_mib']:.0f}",
        )
        console.print(table)
        console.print(
            f"one article joining a stored story of {g['update_story_size']} and its brief rebuilt: "
            f"{g['update_s']:.2f} s (≤ 2 s), joined that story: {g['update_joined']}",
            highlight=False,
        )
    if not args.skip_compare:
        rows = [compare(name, args.batch) for name in args.sets.split(",") if name]
        out["compare"] = rows
        table = Table(title="Store stories (stream + recluster) against brief's batch stories, B-cubed F1")
        for col in (
            "set",
            "articles",
            "gold",
            "batch F1",
            "stream F1",
            "store F1",
            "store − batch",
            "batch s",
            "store s",
        ):
            table.add_column(col, justify="right")
        for r in rows:
            table.add_row(
                str(r["set"]),
                str(r["articles"]),
                str(r["gold_stories"]),
                f"{r['batch_f1']:.3f}",
                f"{r['stream_f1']:.3f}",
                f"{r['store_f1']:.3f}",
                f"{r['diff']:+.3f} (±0.02)",
                f"{r['batch_s']:.0f}",
                f"{r['store_s']:.0f}",
            )
        console.print(table)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
