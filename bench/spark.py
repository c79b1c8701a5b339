"""storybrief on Spark (``local[2]`` on this machine) against the local clusterer, and its cost as corpora grow.

    python bench/spark.py [--sizes 10000,30000,100000] [--full 10000] [--local 10000,30000]
                          [--pooled duc2007.jsonl,multinews200.jsonl] [--json OUT]

1. Pooled DUC 2007 and Multi-News (``--pooled``): Spark's stories (stages 1–4) and the local batch
   clusterer's, each scored by B-cubed against the gold clusters, with the clustering options
   ``bench/cluster.py`` uses for pooled sets (no date window).
2. Scale series (``--sizes``): the pooled full-text shared sets with gold stories (DUC 2006/2007,
   Multi-News, NeuS, events_dev, ECB+ dev), those with a date (an undated text's replicas could
   not be told apart), replicated with suffixed ids and every date moved on by whole weeks longer
   than the span of all the dates, a copy (each copy its own stories, no copy's dates near
   another's, so the gold stays valid). For stages 1–4: wall time,
   time per article, the driver's peak memory (the Python driver and the JVM, which in local mode
   holds the executor), shuffle written (from Spark's own stage figures) and B-cubed F1 against the
   replicated gold. Beside it, in the same run, the local ``storybrief cluster`` (batch) on the sizes
   of ``--local``.
3. The full run (stages 1–6) on ``--full`` articles, seconds per stage.

Each measurement runs in a process of its own (a fresh Spark session, a fresh peak).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from datasets import DATA, FULL_TEXT_SETS, load_events, load_folder_labelled, load_labelled
from storybrief import IngestOptions, ingest
from storybrief.briefing.pipeline import BriefOptions
from storybrief.cluster import ClusterOptions, prepare
from storybrief.cluster.stories import cluster_vectors
from storybrief.evaluation import cluster_score
from storybrief.spark import SparkOptions, local_session, run, write

UI_PORT = 4077
#: The clustering window (days) of the scale series, and the run date that lets replicas' dates through.
WINDOW = 30
FAR = dt.date(9999, 1, 1)


def labelled_records() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Every distinct full text of the labelled shared sets, as ingest records, and its gold story."""
    sets: list[tuple[str, list[Any], dict[str, str]]] = []
    for name in FULL_TEXT_SETS:
        if (DATA / name).is_file():
            data = load_labelled(DATA / name)
            sets.append((name, data.articles, {k: v for k, v in data.gold.items() if k not in data.ambiguous}))
    if (DATA / "events_dev").is_dir():
        events = load_events(DATA / "events_dev")
        sets.append(("events_dev", events.articles, events.story_of))
    if (DATA / "ecbplus_dev").is_dir():
        ecb = load_folder_labelled(DATA / "ecbplus_dev")[0]
        sets.append(("ecbplus_dev", ecb.articles, {k: v for k, v in ecb.gold.items() if k not in ecb.ambiguous}))
    records: list[dict[str, Any]] = []
    gold: dict[str, str] = {}
    seen: set[str] = set()
    for name, articles, labels in sets:
        for a in articles:
            if not a.text or a.text in seen or a.id not in labels or a.id in gold:
                continue
            seen.add(a.text)
            gold[a.id] = f"{name}:{labels[a.id]}"
            date = a.published.isoformat() if a.published else None
            records.append({"id": a.id, "title": a.title, "text": a.text, "outlet": a.outlet, "date": date})
    return records, gold


def dated(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records that have a date: only those can be replicated into stories of their own (an undated
    text's replicas are copies of one another that no date tells apart, and a date given to them would
    be evidence: every undated text of the series on one day)."""
    return [r for r in records if r["date"]]


def replicated(
    records: list[dict[str, Any]], gold: dict[str, str], size: int
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``size`` records and their gold: copy ``k`` of a story is a story of its own, every date moved
    ``k`` steps on; a step is whole weeks (weekdays stay true to the text) longer than the span of all
    the dates and a window, so no copy's dates come near another's (dates in the future: a run date of
    :data:`FAR` lets them through)."""
    days = [dt.date.fromisoformat(str(r["date"])) for r in records]
    step = dt.timedelta(weeks=math.ceil(((max(days) - min(days)).days + 2 * WINDOW) / 7))
    out, labels = [], {}
    for n in range(size):
        copy, original = divmod(n, len(records))
        record = dict(records[original])
        if copy:
            record["id"] = f"{record['id']}~r{copy}"
            record["date"] = (days[original] + copy * step).isoformat()
            record["text"] = f"{record['text']}\n\n(Benchmark replica {copy}.)"  # new content for any cache
        labels[str(record["id"])] = f"{gold[records[original]['id']]}~{copy}"
        out.append(record)
    return out, labels


def _peak_kib(pid: int | str = "self") -> int:
    """The peak resident memory of a process (VmHWM), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _shuffle_bytes(spark: Any) -> tuple[int, int]:
    """Shuffle bytes written and read over the application's completed stages (Spark's REST API)."""
    app = spark.sparkContext.applicationId
    url = f"http://127.0.0.1:{UI_PORT}/api/v1/applications/{app}/stages?status=complete"
    with urllib.request.urlopen(url, timeout=30) as response:
        stages = json.load(response)
    return sum(s.get("shuffleWriteBytes", 0) for s in stages), sum(s.get("shuffleReadBytes", 0) for s in stages)


def _child_spark(path: Path, gold_path: Path, mode: str, window: str, out: Path) -> dict[str, Any]:
    """One Spark run in this process: stages 1–4 (``stories``) or all (``full``), with its figures."""

    cluster = ClusterOptions() if window == "default" else ClusterOptions(window_days=None, window_articles=None)
    options = SparkOptions(ingest=IngestOptions(today=FAR), brief=BriefOptions(cluster=cluster), partitions=4)
    started = time.perf_counter()
    spark = local_session(
        "local[2]",
        partitions=4,
        app="storybrief-bench",
        log=out / "spark.log",
        settings={"spark.ui.enabled": "true", "spark.ui.port": str(UI_PORT), "spark.driver.memory": "8g"},
    )
    session = time.perf_counter() - started
    result = run(spark, [str(path)], options, through="stories" if mode == "stories" else "briefs")
    if mode == "full":
        write(result, out / "run")
    rows = result.stories.select("number", "articles").collect()
    predicted = {a: r["number"] for r in rows for a in r["articles"]}
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    score = cluster_score(predicted, gold)
    written, read = _shuffle_bytes(spark)
    jvm = spark.sparkContext._gateway.proc.pid
    figures = {
        "session_s": session,
        "seconds": result.timings,
        "total_s": sum(result.timings.values()),
        "counts": result.counts,
        "bcubed_f1": score.bcubed_f1,
        "bcubed_p": score.bcubed_precision,
        "bcubed_r": score.bcubed_recall,
        "shuffle_write_mib": written / 2**20,
        "shuffle_read_mib": read / 2**20,
        "driver_python_mib": _peak_kib() / 1024,
        "driver_jvm_mib": _peak_kib(jvm) / 1024,
    }
    spark.stop()
    return figures


def _child_local(path: Path, gold_path: Path, window: str) -> dict[str, Any]:
    """The local batch clusterer on the same input: ingest, prepare (vectors and embeddings), cluster."""

    options = ClusterOptions() if window == "default" else ClusterOptions(window_days=None, window_articles=None)
    started = time.perf_counter()
    corpus = ingest([str(path)], IngestOptions(today=FAR), jobs=2)
    read = time.perf_counter()
    pool = [a for a in corpus if a.is_english]
    vectors = prepare(pool, options)
    prepared = time.perf_counter()
    clusters = cluster_vectors(vectors, options, batch=True)
    done = time.perf_counter()
    predicted = {m: c.id for c in clusters for m in c.members}
    score = cluster_score(predicted, json.loads(gold_path.read_text(encoding="utf-8")))
    return {
        "seconds": {"ingest": read - started, "features": prepared - read, "stories": done - prepared},
        "total_s": done - started,
        "bcubed_f1": score.bcubed_f1,
        "bcubed_p": score.bcubed_precision,
        "bcubed_r": score.bcubed_recall,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_child(console: Console, *args: str) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        console.print(done.stderr[-3000:], markup=False)
        raise SystemExit(f"bench child {args[0]} failed")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _write_input(folder: Path, name: str, records: list[dict[str, Any]], gold: dict[str, str]) -> tuple[Path, Path]:
    path, gold_path = folder / f"{name}.jsonl", folder / f"{name}.gold.json"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    return path, gold_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,30000,100000", help="scale series, articles (0: none)")
    parser.add_argument("--local", default="10000,30000", help="sizes the local clusterer runs on too")
    parser.add_argument("--full", type=int, default=10000, help="articles of the full run (0: none)")
    parser.add_argument("--pooled", default="duc2007.jsonl,multinews200.jsonl", help="pooled sets ('' for none)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "spark":
            path, gold, mode, window, out = rest
            print(json.dumps(_child_spark(Path(path), Path(gold), mode, window, Path(out))))
        else:
            path, gold, window = rest
            print(json.dumps(_child_local(Path(path), Path(gold), window)))
        return
    console = Console(width=170)
    figures: dict[str, Any] = {"pooled": [], "scale": [], "full": None}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pooled_records: list[dict[str, Any]] = []
        pooled_gold: dict[str, str] = {}
        for name in [n for n in args.pooled.split(",") if n]:
            data = load_labelled(DATA / name)
            for a in data.articles:
                if a.id in data.ambiguous or a.id not in data.gold:
                    continue
                pooled_gold[a.id] = f"{name}:{data.gold[a.id]}"
                date = a.published.isoformat() if a.published else None
                pooled_records.append({"id": a.id, "title": a.title, "text": a.text, "outlet": a.outlet, "date": date})
        if pooled_records:
            path, gold = _write_input(folder, "pooled", pooled_records, pooled_gold)
            console.print(f"pooled {args.pooled}: {len(pooled_records)} articles …")
            spark = _run_child(console, "spark", str(path), str(gold), "stories", "none", str(folder / "pooled-out"))
            local = _run_child(console, "local", str(path), str(gold), "none")
            figures["pooled"] = [{"system": "spark", **spark}, {"system": "local", **local}]
            console.print(f"  spark B-cubed F1 {spark['bcubed_f1']:.3f}, local {local['bcubed_f1']:.3f}")
        records, gold_all = labelled_records()
        records = dated(records)
        console.print(f"{len(records)} distinct dated labelled full texts to replicate")
        local_sizes = {int(s) for s in args.local.split(",") if s.strip()}
        for size in [int(s) for s in args.sizes.split(",") if s.strip() and int(s)]:
            rows, labels = replicated(records, gold_all, size)
            path, gold = _write_input(folder, f"scale-{size}", rows, labels)
            console.print(f"{size} articles ({min(size, len(records))} unique texts) …")
            spark = _run_child(
                console, "spark", str(path), str(gold), "stories", "default", str(folder / f"out-{size}")
            )
            entry: dict[str, Any] = {"size": size, "spark": spark}
            console.print(f"  spark stages 1–4: {spark['total_s']:.0f} s, B-cubed F1 {spark['bcubed_f1']:.3f}")
            if size in local_sizes:
                entry["local"] = _run_child(console, "local", str(path), str(gold), "default")
                console.print(
                    f"  local cluster: {entry['local']['total_s']:.0f} s, B-cubed F1 {entry['local']['bcubed_f1']:.3f}"
                )
            figures["scale"].append(entry)
            path.unlink()
        if args.full:
            rows, labels = replicated(records, gold_all, args.full)
            path, gold = _write_input(folder, f"full-{args.full}", rows, labels)
            console.print(f"full run on {args.full} articles …")
            figures["full"] = {
                "size": args.full,
                **_run_child(console, "spark", str(path), str(gold), "full", "default", str(folder / "full-out")),
            }
    _print(console, figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


def _print(console: Console, figures: dict[str, Any]) -> None:
    if figures["pooled"]:
        table = Table(title="pooled sets: Spark (stages 1–4) and the local batch clusterer", title_justify="left")
        for column in ("system", "B-cubed P", "B-cubed R", "B-cubed F1", "stories", "seconds"):
            table.add_column(column, justify="left" if column == "system" else "right")
        for row in figures["pooled"]:
            stories = row.get("counts", {}).get("stories", "")
            table.add_row(
                row["system"],
                f"{row['bcubed_p']:.3f}",
                f"{row['bcubed_r']:.3f}",
                f"{row['bcubed_f1']:.3f}",
                str(stories),
                f"{row['total_s']:.1f}",
            )
        console.print(table)
    if figures["scale"]:
        table = Table(title="scale series, stages 1–4 (local[2])", title_justify="left")
        columns = (
            "articles",
            "system",
            "wall s",
            "ms/article",
            "vs first",
            "B-cubed F1",
            "driver MiB (py / JVM)",
            "shuffle MiB (w / r)",
            "pairs (cand. / acc.)",
        )
        for column in columns:
            table.add_column(column, justify="right")
        first = None
        for entry in figures["scale"]:
            spark = entry["spark"]
            per = spark["total_s"] / entry["size"] * 1000
            first = first or per
            counts = spark["counts"]
            table.add_row(
                f"{entry['size']:,}",
                "spark",
                f"{spark['total_s']:.0f}",
                f"{per:.1f}",
                f"{per / first:.2f}×",
                f"{spark['bcubed_f1']:.3f}",
                f"{spark['driver_python_mib']:,.0f} / {spark['driver_jvm_mib']:,.0f}",
                f"{spark['shuffle_write_mib']:,.0f} / {spark['shuffle_read_mib']:,.0f}",
                f"{counts['candidate pairs']:,} / {counts['accepted pairs']:,}",
            )
            if "local" in entry:
                local = entry["local"]
                table.add_row(
                    "",
                    "local",
                    f"{local['total_s']:.0f}",
                    f"{local['total_s'] / entry['size'] * 1000:.1f}",
                    "",
                    f"{local['bcubed_f1']:.3f}",
                    f"{local['peak_mib']:,.0f}",
                    "",
                    "",
                )
        console.print(table)
        for entry in figures["scale"]:
            stages = ", ".join(f"{k} {v:.0f} s" for k, v in entry["spark"]["seconds"].items())
            console.print(f"  {entry['size']:,}: {stages}", highlight=False)
    if figures["full"]:
        full = figures["full"]
        table = Table(title=f"full run, stages 1–6, {full['size']:,} articles (local[2])", title_justify="left")
        for stage in (*full["seconds"], "total"):
            table.add_column(stage, justify="right")
        values = [f"{v:.0f}" for v in full["seconds"].values()]
        table.add_row(*values, f"{full['total_s']:.0f}")
        console.print(table)
        console.print(
            f"  {full['counts']['stories']:,} stories, B-cubed F1 {full['bcubed_f1']:.3f}, driver peak "
            f"{full['driver_python_mib']:,.0f} / {full['driver_jvm_mib']:,.0f} MiB",
            highlight=False,
        )


if __name__ == "__main__":
    main()
