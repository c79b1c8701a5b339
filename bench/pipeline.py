"""Throughput of the whole ``brief``: seconds per stage, articles per second, peak memory, cost per article.

    python bench/pipeline.py [--sizes 1000,5000,10000] [--no-warm] [--json OUT]

The articles are every distinct full text of the shared sets (DUC 2006 and 2007, Multi-News, NeuS,
events_dev, ECB+) and the examples, then replicas of them with other ids, dates moved on and a
last line of their own (the table says how many texts are unique), so a replica is parsed and
embedded like a new article. Each run is a process of its own (its peak memory is its own), with
the models loaded once before the clock starts, and uses the cores available (``jobs``).

Each size runs twice. *cold*: the cache is empty (nothing is reused; the run fills the cache in
the output folder as ``storybrief brief`` does, and that cost is counted); *warm*: the same
articles again, with the cache the cold run left, as a second ``brief`` of a corpus would.

The stages are those ``storybrief.brief`` times itself (embed and cluster, then ``stories``: the
wall-clock time of parsing and briefing the stories, with the work in it per stage, copies (copies
and rewrites within a story), parse, facts, summary, entities and timeline, summed over the
processes that do it; a story whose brief the cache holds costs none of them), with read+clean
(ingest of a JSON lines file, in as many processes as there are cores) before and write
(briefs.json, briefs.md, briefs.html) after. Peak memory is the run's, read to write, with the peak
reached by the end of read+clean and of brief beside it. Beside them, sumy's LexRank summarizes the
same stories (the peer a Python user picks today) at the budget of our summary, so what a brief adds
beyond a summary is stated as a ratio. Up to 20 stories of 8 to 12 articles are briefed again one by
one once their articles are parsed (a story of 10 articles in at most 0.5 s).
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

#: The stages, in order; the wall-clock total is the sum of those not in WORK.
STAGES = (
    "read+clean",
    "embed",
    "cluster",
    "stories",
    "copies",
    "parse",
    "facts",
    "summary",
    "entities",
    "timeline",
    "write",
)
#: The work of parsing and briefing the stories, per stage, summed over the processes that do it (its
#: wall-clock time is ``stories``).
WORK = ("copies", "parse", "facts", "summary", "entities", "timeline")
#: Words of the LexRank summary of a story: about what storybrief's summary of a story holds.
LEXRANK_WORDS = 100


def _child(path: Path, out: Path, cache: str, lexrank_too: bool = True) -> dict[str, Any]:
    """One size, in this process: ``brief`` itself, which times its own stages; then LexRank on its stories.

    ``cache`` is ``off`` (nothing kept), ``cold`` (an empty cache, filled as the run goes) or
    ``warm`` (the cache a cold run of the same articles left in ``out``).
    """
    from storybrief import BriefOptions, brief, ingest  # noqa: PLC0415
    from storybrief.briefing import pipeline  # noqa: PLC0415
    from storybrief.report import write_briefs  # noqa: PLC0415
    from storybrief.text.embed import embed  # noqa: PLC0415
    from storybrief.text.nlp import parse  # noqa: PLC0415
    from storybrief.text.parallel import available_cores  # noqa: PLC0415
    from summarize import peer  # noqa: PLC0415

    started = time.perf_counter()
    warm_up = ingest([str(ROOT / "examples")])
    parse(warm_up, BriefOptions().nlp)  # the spaCy pipeline, loaded once
    embed(["A warm-up sentence."])  # the encoder, loaded once
    models = time.perf_counter() - started
    seconds = dict.fromkeys(STAGES, 0.0)
    t = time.perf_counter()
    corpus = ingest([str(path)], jobs=available_cores())
    seconds["read+clean"] = time.perf_counter() - t
    peaks = {"read+clean": _peak_mib()}
    options = BriefOptions(cache=None if cache == "off" else out / ".cache")
    result = brief(corpus, options, timings=seconds)
    peaks["brief"] = _peak_mib()
    t = time.perf_counter()
    write_briefs(result, out)
    seconds["write"] = time.perf_counter() - t
    peaks["write"] = _peak_mib()
    by_id = {a.id: a for a in corpus}
    # stories of 8 to 12 articles, briefed again one by one once their articles are parsed (the
    # parse not counted; embeddings computed anew, as the processes that briefed them kept theirs)
    ten: list[float] = []
    for story in [s.story for s in result.stories if 8 <= len(s.story.articles) <= 12][:20]:
        items = parse([by_id[a] for a in story.articles], options.nlp)
        t = time.perf_counter()
        pipeline.brief_story(story, items, options)
        ten.append(time.perf_counter() - t)
    lexrank = peer("lexrank")
    lexrank_seconds = 0.0
    from storybrief.text.nlp import sentences_of  # noqa: PLC0415

    for story in result.stories if lexrank_too else ():
        documents = [[s.text for s in sentences_of(by_id[a])] for a in story.story.articles]
        t = time.perf_counter()
        lexrank(documents, LEXRANK_WORDS)
        lexrank_seconds += time.perf_counter() - t
    return {
        "articles": len(corpus.articles),
        "stories": len(result.stories),
        "models_seconds": models,
        "seconds": seconds,
        "total": sum(v for k, v in seconds.items() if k not in WORK),
        "lexrank_seconds": lexrank_seconds if lexrank_too else None,
        "per_story_seconds": seconds["stories"],
        "per_story_work": sum(seconds[s] for s in WORK if s not in ("copies", "parse")),
        "ten_article_stories": len(ten),
        "ten_article_mean": sum(ten) / len(ten) if ten else None,
        "ten_article_max": max(ten) if ten else None,
        # the run's peak, read to write (what comes after, LexRank and the stories briefed again, not in it)
        "peak_mib": peaks["write"],
        "peaks_mib": peaks,
        # the largest process this one started (parsing or briefing; they share its pages as forked)
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "jobs": options.processes(),
    }


def _peak_mib() -> float:
    """The largest resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000", help="numbers of articles, comma-separated")
    parser.add_argument("--no-warm", action="store_true", help="skip the second (warm) run of each size")
    parser.add_argument("--no-lexrank", action="store_true", help="skip LexRank on the stories (it is slow)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, out, mode, lexrank = args.child
        print(json.dumps(_child(Path(path), Path(out), mode, lexrank == "lexrank")))
        return
    from datasets import full_text_records, replicate  # noqa: PLC0415

    console = Console()
    source = full_text_records()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    runs = []
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"articles-{size}.jsonl"
            rows = replicate(source, size)
            path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
            words = sum(len(str(r["text"]).split()) for r in rows)
            console.print(f"{size} articles ({min(size, len(source))} unique texts, {words:,} words) …")
            for mode in ("cold", "warm")[: 1 if args.no_warm else 2]:
                done = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        str(path),
                        str(Path(tmp) / f"out-{size}"),
                        mode,
                        "none" if args.no_lexrank else "lexrank",
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    console.print(done.stderr[-3000:], markup=False)
                    raise SystemExit(f"the {mode} run of {size} articles failed")
                run = json.loads(done.stdout.strip().splitlines()[-1])
                run |= {"size": size, "unique": min(size, len(source)), "words": words, "mode": mode}
                runs.append(run)
                stages = ", ".join(f"{k} {v:.0f} s" for k, v in run["seconds"].items())
                console.print(
                    f"  {mode}: {run['total']:.0f} s ({stages}), peak {run['peak_mib']:,.0f} MiB", highlight=False
                )
    _print(console, runs)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


def _ratio(key: str) -> Any:
    def show(r: dict[str, Any]) -> str:
        value = r[key] if key in r else r["seconds"][key]
        return "–" if r["lexrank_seconds"] is None else f"{value / max(r['lexrank_seconds'], 1e-9):.1f}×"

    return show


def _peaks(r: dict[str, Any]) -> str:
    return f"{r['peaks_mib']['read+clean']:,.0f} / {r['peaks_mib']['brief']:,.0f}"


def _print(console: Console, runs: list[dict[str, Any]]) -> None:
    jobs = runs[0]["jobs"]
    table = Table(title=f"brief end to end, {jobs} parsing processes (seconds per stage; models loaded first)")
    table.add_column("stage")
    for run in runs:
        table.add_column(f"{run['size']:,} ({run['unique']:,} unique), {run['mode']}", justify="right")
    for stage in STAGES:
        name = f"  {stage} (work, all processes)" if stage in WORK else stage
        table.add_row(name, *(f"{run['seconds'][stage]:.1f}" for run in runs))
    base = runs[0]["total"] / runs[0]["articles"]  # the first cold run
    rows = [
        ("total", lambda r: f"{r['total']:.1f}"),
        ("articles / s", lambda r: f"{r['articles'] / r['total']:.1f}"),
        ("words / s", lambda r: f"{r['words'] / r['total']:,.0f}"),
        ("ms per article", lambda r: f"{1000 * r['total'] / r['articles']:.1f}"),
        ("… × the first size", lambda r: f"{r['total'] / r['articles'] / base:.2f}"),
        ("peak memory, read to write (MiB)", lambda r: f"{r['peak_mib']:,.0f}"),
        ("… reached by the end of read+clean / brief", _peaks),
        ("… of the largest worker process (MiB)", lambda r: f"{r['worker_peak_mib']:,.0f}"),
        ("stories", lambda r: f"{r['stories']:,}"),
        ("stories: parse+facts+summary+names+timeline, wall (s)", lambda r: f"{r['per_story_seconds']:.1f}"),
        ("… facts+summary+names+timeline, work (s)", lambda r: f"{r['per_story_work']:.1f}"),
        (
            "LexRank on the same stories (s)",
            lambda r: "–" if r["lexrank_seconds"] is None else f"{r['lexrank_seconds']:.1f}",
        ),
        ("… brief per story (work) / LexRank", _ratio("per_story_work")),
        ("… summary alone / LexRank", _ratio("summary")),
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
