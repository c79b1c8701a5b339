"""Throughput of the whole ``brief``: seconds per stage, articles per second, peak memory, cost per article.

    python bench/pipeline.py [--sizes 1000,5000,10000] [--json OUT]

The articles are every distinct full text of the shared sets (DUC 2006 and 2007, Multi-News, NeuS,
events_dev, ECB+) and the examples, then replicas of them with other ids, dates moved on and a
last line of their own (the table says how many texts are unique), so a replica is parsed and
embedded like a new article. Each size runs in a process of its own (its peak memory is its own),
with the models loaded once before the clock starts, and the run is cold: nothing is cached.

The stages are those of ``storybrief brief``, timed one by one: read+clean (ingest of a JSON lines
file), parse (spaCy), embed (each article's title and lead, for clustering), cluster (vectors,
stories, copies and rewrites, labels), then per story facts, summary (with its sentence
embeddings), entities and timeline, and write (briefs.json, briefs.md, briefs.html). Beside
them, sumy's LexRank summarizes the same stories (the peer a Python user picks today) at the
budget of our summary, so what a brief adds beyond a summary is stated as a ratio. Stories of
8 to 12 articles are timed apart (a story of 10 articles, once parsed, in at most 0.5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

STAGES = ("read+clean", "parse", "embed", "cluster", "facts", "summary", "entities", "timeline", "write")
#: Words of the LexRank summary of a story: about what storybrief's summary of a story holds.
LEXRANK_WORDS = 100


def _child(path: Path, out: Path) -> dict[str, Any]:
    """One size, in this process: the stages of ``brief`` timed one by one."""
    from storybrief import BriefOptions, ingest  # noqa: PLC0415
    from storybrief.briefing.entities import link_entities  # noqa: PLC0415
    from storybrief.briefing.facts import reconcile  # noqa: PLC0415
    from storybrief.briefing.summarize import summarize  # noqa: PLC0415
    from storybrief.briefing.timeline import build_timeline  # noqa: PLC0415
    from storybrief.cluster import stories_from_clusters  # noqa: PLC0415
    from storybrief.cluster.features import vectorize  # noqa: PLC0415
    from storybrief.cluster.stories import cluster_vectors  # noqa: PLC0415
    from storybrief.model import Brief, StoryBrief  # noqa: PLC0415
    from storybrief.report import brief_to_dict, brief_to_html, brief_to_markdown  # noqa: PLC0415
    from storybrief.text.embed import embed  # noqa: PLC0415
    from storybrief.text.nlp import parse  # noqa: PLC0415
    from summarize import peer  # noqa: PLC0415

    opts = BriefOptions()
    started = time.perf_counter()
    warm = ingest([str(ROOT / "examples")])
    parse(warm, opts.nlp)  # the spaCy pipeline, loaded once
    embed(["A warm-up sentence."])  # the encoder, loaded once
    models = time.perf_counter() - started
    seconds = dict.fromkeys(STAGES, 0.0)

    def timed(stage: str, work: Any, *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        result = work(*args, **kwargs)
        seconds[stage] += time.perf_counter() - t
        return result

    corpus = timed("read+clean", ingest, [str(path)])
    parsed = timed("parse", parse, corpus, opts.nlp)
    by_id = {item.article.id: item for item in parsed}
    pool = [a for a in corpus if a.is_english]
    vectors = timed("cluster", lambda: [vectorize(a, i) for i, a in enumerate(pool)])
    if opts.cluster.embeddings and vectors:
        matrix = timed("embed", embed, [v.lead for v in vectors])
        for v, row in zip(vectors, matrix, strict=True):
            v.embedding = row
    clusters = timed("cluster", cluster_vectors, vectors, opts.cluster, batch=True)
    stories = timed("cluster", stories_from_clusters, clusters, pool, vectors)
    lexrank = peer("lexrank")
    lexrank_seconds = 0.0
    ten: list[float] = []
    briefs = []
    for story in stories:
        items = [by_id[a] for a in story.articles]
        t_story = time.perf_counter()
        facts = timed("facts", reconcile, story, items, opts.facts)
        summary = timed("summary", summarize, story, items, opts.summary, facts=facts)
        entities = timed("entities", link_entities, items)
        timeline = timed("timeline", build_timeline, story, items, opts.timeline)
        if 8 <= len(story.articles) <= 12:
            ten.append(time.perf_counter() - t_story)
        briefs.append(StoryBrief(story, tuple(summary), tuple(entities), facts, tuple(timeline)))
        documents = [[s.text for s in item.sentences] for item in items]
        t = time.perf_counter()
        lexrank(documents, LEXRANK_WORDS)
        lexrank_seconds += time.perf_counter() - t
    result = Brief(corpus=corpus, stories=tuple(briefs))

    def write() -> None:
        out.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(brief_to_dict(result), ensure_ascii=False)
        (out / "briefs.json").write_text(payload, encoding="utf-8")
        (out / "briefs.md").write_text(brief_to_markdown(result), encoding="utf-8")
        (out / "briefs.html").write_text(brief_to_html(json.loads(payload)), encoding="utf-8")

    timed("write", write)
    return {
        "articles": len(corpus.articles),
        "stories": len(stories),
        "models_seconds": models,
        "seconds": seconds,
        "total": sum(seconds.values()),
        "lexrank_seconds": lexrank_seconds,
        "per_story_seconds": sum(seconds[s] for s in ("facts", "summary", "entities", "timeline")),
        "ten_article_stories": len(ten),
        "ten_article_mean": sum(ten) / len(ten) if ten else None,
        "ten_article_max": max(ten) if ten else None,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000", help="numbers of articles, comma-separated")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    from datasets import full_text_records, replicate  # noqa: PLC0415

    console = Console()
    source = full_text_records()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    runs = []
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"articles-{size}.jsonl"
            rows = replicate(source, size)
            path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
            words = sum(len(str(r["text"]).split()) for r in rows)
            console.print(f"{size} articles ({min(size, len(source))} unique texts, {words:,} words) …")
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path), str(Path(tmp) / f"out-{size}")],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                console.print(done.stderr[-3000:], markup=False)
                raise SystemExit(f"the run of {size} articles failed")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run |= {"size": size, "unique": min(size, len(source)), "words": words}
            runs.append(run)
            stages = ", ".join(f"{k} {v:.0f} s" for k, v in run["seconds"].items())
            console.print(f"  {run['total']:.0f} s ({stages}), peak {run['peak_mib']:,.0f} MiB", highlight=False)
    _print(console, runs)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


def _print(console: Console, runs: list[dict[str, Any]]) -> None:
    table = Table(title="brief end to end, cold (seconds per stage; models loaded before the clock)")
    table.add_column("stage")
    for run in runs:
        table.add_column(f"{run['size']:,} ({run['unique']:,} unique)", justify="right")
    for stage in STAGES:
        table.add_row(stage, *(f"{run['seconds'][stage]:.1f}" for run in runs))
    base = runs[0]["total"] / runs[0]["articles"]
    rows = [
        ("total", lambda r: f"{r['total']:.1f}"),
        ("articles / s", lambda r: f"{r['articles'] / r['total']:.1f}"),
        ("words / s", lambda r: f"{r['words'] / r['total']:,.0f}"),
        ("ms per article", lambda r: f"{1000 * r['total'] / r['articles']:.1f}"),
        ("… × the first size", lambda r: f"{r['total'] / r['articles'] / base:.2f}"),
        ("peak memory (MiB)", lambda r: f"{r['peak_mib']:,.0f}"),
        ("stories", lambda r: f"{r['stories']:,}"),
        ("per story: facts+summary+names+timeline (s)", lambda r: f"{r['per_story_seconds']:.1f}"),
        ("LexRank on the same stories (s)", lambda r: f"{r['lexrank_seconds']:.1f}"),
        ("… brief per story / LexRank", lambda r: f"{r['per_story_seconds'] / max(r['lexrank_seconds'], 1e-9):.1f}×"),
        ("… summary alone / LexRank", lambda r: f"{r['seconds']['summary'] / max(r['lexrank_seconds'], 1e-9):.1f}×"),
        (
            "story of 8–12 articles, parsed: mean / max (s)",
            lambda r: (
                "–"
                if r["ten_article_mean"] is None
                else f"{r['ten_article_mean']:.2f} / {r['ten_article_max']:.2f} (n={r['ten_article_stories']})"
            ),
        ),
        ("models loaded (s, not counted)", lambda r: f"{r['models_seconds']:.1f}"),
    ]
    for name, show in rows:
        table.add_row(name, *(show(run) for run in runs))
    console.print(table)


if __name__ == "__main__":
    main()
