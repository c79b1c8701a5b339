"""Multi-document summarization: storybrief against sumy's peers and a Lead baseline, by ROUGE.

    python bench/summarize.py DATA.jsonl [--words N] [--limit N] [--systems a,b,...] [--json OUT]

DATA holds one cluster per line: ``{"id", "documents": [{"id", "title", "date",
"text"}], "summaries": [reference, ...]}``. Every document goes through
storybrief's ingest and cleaning and is split by storybrief's sentence
splitter; every system sees those same sentences and the same word budget, and
every output is cut to the same number of words before scoring. ROUGE-1/2/L
recall and F1 come from rouge-score with stemming, averaged over the references
of a cluster, then over clusters.

Systems: ``storybrief`` (story = the cluster; copies and rewrites found as in
clustering, so they do not count as independent sources), sumy's ``lexrank``,
``textrank``, ``lsa``, ``luhn``, ``kl`` and ``sumbasic`` (fed the sentences
through a tokenizer object built on storybrief's splitter, since sumy's own
needs NLTK data that cannot be downloaded here; each picks its best-rated
sentences until the budget is filled), and ``lead`` (the first sentence of each
document in turn). A peer that fails on a cluster scores zero there and the
failure is counted. ``sec_per_cluster`` is the summarizer's own time; for
storybrief the language layer's parse is reported apart (``parse s``), as the
peers get their sentences for free.

Below the table: storybrief's ROUGE-2 margin over the best peer (the set's
standard measure) with its paired standard error over clusters, also in the
JSON as ``margin``.

``--docs N`` keeps the first N documents of each cluster (the references were
written for all of them, so use it for timing, not for scores).

The word budget defaults to the set's standard limit (DUC 250, Multi-News 300,
NeuS 70; otherwise 250).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from datasets import _none, _records_to_articles, load_clusters
from storybrief.briefing.summarize import SummaryOptions, summarize
from storybrief.cluster.dedup import find_duplicates
from storybrief.model import Article, Story
from storybrief.text.nlp import NlpOptions, parse, sentences_of

PEERS = ("lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic")
SYSTEMS = ("storybrief", *PEERS, "lead")
STANDARD_WORDS = {"duc": 250, "multinews": 300, "neus": 70}
METRICS = ("rouge1", "rouge2", "rougeL")


def standard_words(path: Path) -> int:
    """The set's standard length limit, from its file name."""
    stem = path.stem.lower()
    return next((n for prefix, n in STANDARD_WORDS.items() if stem.startswith(prefix)), 250)


def truncate(text: str, words: int) -> str:
    """The first ``words`` words of ``text``."""
    return " ".join(text.split()[:words])


class SplitterTokenizer:
    """What sumy needs of a tokenizer, on storybrief's own sentence splitter."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from storybrief.text.sentences import split_sentences  # noqa: PLC0415

        return tuple(paragraph[a:b] for a, b in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", sentence))


def _budget(words: int) -> Callable[[list[Any]], list[Any]]:
    """A sumy sentence count: the best-rated sentences until they hold ``words`` words."""

    def take(infos: list[Any]) -> list[Any]:
        out, total = [], 0
        for info in infos:
            if total >= words:
                break
            out.append(info)
            total += len(str(info.sentence).split())
        return out

    return take


def peer(name: str) -> Callable[[list[list[str]], int], str]:
    """A sumy summarizer as a function of (sentences per document, budget) -> text."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # noqa: PLC0415
    from sumy.nlp.stemmers import Stemmer  # noqa: PLC0415
    from sumy.summarizers.kl import KLSummarizer  # noqa: PLC0415
    from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: PLC0415
    from sumy.summarizers.lsa import LsaSummarizer  # noqa: PLC0415
    from sumy.summarizers.luhn import LuhnSummarizer  # noqa: PLC0415
    from sumy.summarizers.sum_basic import SumBasicSummarizer  # noqa: PLC0415
    from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: PLC0415
    from sumy.utils import get_stop_words  # noqa: PLC0415

    classes = {
        "lexrank": LexRankSummarizer,
        "textrank": TextRankSummarizer,
        "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer,
        "kl": KLSummarizer,
        "sumbasic": SumBasicSummarizer,
    }
    summarizer = classes[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = SplitterTokenizer()

    def run(documents: list[list[str]], words: int) -> str:
        paragraphs = [Paragraph([Sentence(s, tokenizer) for s in doc]) for doc in documents if doc]
        chosen = summarizer(ObjectDocumentModel(paragraphs), _budget(words))
        return " ".join(str(s) for s in chosen)

    return run


def lead(documents: list[list[str]], words: int) -> str:
    """The first sentence of each document in turn, then the second, until the budget is filled."""
    out: list[str] = []
    total = 0
    for i in range(max((len(d) for d in documents), default=0)):
        for doc in documents:
            if i < len(doc) and total < words:
                out.append(doc[i])
                total += len(doc[i].split())
    return " ".join(out)


def cluster_articles(cluster: dict[str, Any]) -> list[Article]:
    """The cluster's documents, ingested and cleaned as storybrief reads any input."""
    records = [
        {
            "id": str(doc.get("id", i)),
            "title": _none(doc.get("title")),
            "date": _none(doc.get("date")),
            "text": doc.get("text", ""),
        }
        for i, doc in enumerate(cluster["documents"])
    ]
    return _records_to_articles(records, str(cluster["id"]))


def score(scorer: Any, text: str, references: Sequence[str]) -> dict[str, float]:
    """ROUGE recall and F1, averaged over the references."""
    out: dict[str, float] = {}
    per_ref = [scorer.score(ref, text) for ref in references]
    for metric in METRICS:
        out[f"{metric}_r"] = statistics.fmean(s[metric].recall for s in per_ref)
        out[f"{metric}_f"] = statistics.fmean(s[metric].fmeasure for s in per_ref)
    return out


def paired_margin(
    ours: Sequence[dict[str, float]], theirs: Sequence[dict[str, float]], key: str
) -> tuple[float, float]:
    """Mean per-cluster difference of ``key`` (×100) and its standard error: both systems scored the same clusters."""
    diffs = [100 * (a[key] - b[key]) for a, b in zip(ours, theirs, strict=True)]
    if not diffs:
        return 0.0, 0.0
    se = statistics.stdev(diffs) / math.sqrt(len(diffs)) if len(diffs) > 1 else 0.0
    return statistics.fmean(diffs), se


def _overrides(pairs: list[str], parser: argparse.ArgumentParser) -> dict[str, Any]:
    """``KEY=VALUE`` pairs as SummaryOptions fields, each value read as its field's type."""
    import dataclasses  # noqa: PLC0415

    defaults = {f.name: f.default for f in dataclasses.fields(SummaryOptions)}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in defaults or key in ("words", "overflow"):
            parser.error(f"--set {pair}: not a SummaryOptions field one may set")
        kind = type(defaults[key])
        out[key] = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("--words", type=int, help="budget in words (default: the set's standard limit)")
    parser.add_argument("--limit", type=int, help="first N clusters")
    parser.add_argument("--docs", type=int, help="first N documents of each cluster (timing)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, from {', '.join(SYSTEMS)}")
    parser.add_argument("--json", type=Path, help="write the scores here as JSON")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override a SummaryOptions field (tuning)"
    )
    args = parser.parse_args()
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown systems {unknown}; choose from {', '.join(SYSTEMS)}")
    words = args.words or standard_words(args.data)

    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415
    from rouge_score import rouge_scorer  # noqa: PLC0415

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    runners: dict[str, Callable[[list[list[str]], int], str]] = {s: peer(s) for s in systems if s in PEERS}
    runners["lead"] = lead
    clusters = load_clusters(args.data, args.limit)
    if "storybrief" in systems:
        from storybrief.text import resources  # noqa: PLC0415

        resources.spacy_pipeline()  # timings are "once models are loaded"
        resources.sentence_encoder()
    totals: dict[str, list[dict[str, float]]] = {s: [] for s in systems}
    seconds: dict[str, float] = dict.fromkeys(systems, 0.0)
    failures: dict[str, int] = dict.fromkeys(systems, 0)
    parse_seconds = 0.0
    overrides = _overrides(args.set, parser)
    options = SummaryOptions(words=words, overflow=True, **overrides)  # citations included: their time counts
    console = Console(width=160)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"{args.data.stem}", total=len(clusters))
        for cluster in clusters:
            refs = [r for r in cluster.get("summaries", []) if r and r.strip()]
            articles = [a for a in cluster_articles(cluster) if a.is_english][: args.docs]
            if not refs or not articles:
                bar.advance(task)
                continue
            documents = [[s.text for s in sentences_of(a)] for a in articles]
            for system in systems:
                start = time.perf_counter()
                try:
                    if system == "storybrief":
                        t0 = time.perf_counter()
                        parsed = parse(articles, NlpOptions(annotations=("tokens", "lemmas", "parse", "entities")))
                        parse_seconds += time.perf_counter() - t0
                        start = time.perf_counter()
                        story = Story("s", "", tuple(a.id for a in articles), tuple(find_duplicates(articles)))
                        text = " ".join(s.text for s in summarize(story, parsed, options))
                    else:
                        text = runners[system](documents, words)
                except Exception as error:
                    failures[system] += 1
                    console.print(f"[yellow]{system} failed on {cluster['id']}: {error}[/]")
                    text = ""
                seconds[system] += time.perf_counter() - start
                totals[system].append(score(scorer, truncate(text, words), refs))
            bar.advance(task)

    n = max((len(v) for v in totals.values()), default=0)
    keys = [f"{m}_{kind}" for m in METRICS for kind in ("r", "f")]
    results: dict[str, dict[str, float]] = {}
    for s in systems:
        results[s] = {k: statistics.fmean(r[k] for r in totals[s]) if totals[s] else 0.0 for k in keys}
        results[s]["sec_per_cluster"] = seconds[s] / n if n else 0.0
        results[s]["failures"] = failures[s]
    # The set's standard measure: recall for DUC, F1 for the sets scored that way (Multi-News, NeuS).
    measure = "rouge2_r" if args.data.stem.lower().startswith("duc") else "rouge2_f"
    table = Table(title=f"{args.data.stem}: {n} clusters, {words} words, ROUGE ×100 (recall / F1)")
    for col in ("system", "R-1 R", "R-1 F", "R-2 R", "R-2 F", "R-L R", "R-L F", "s/cluster", "failures"):
        table.add_column(col, justify="left" if col == "system" else "right")
    peers = [s for s in systems if s != "storybrief"]
    best_peer = max(peers, key=lambda s: results[s][measure], default=None)
    for s in systems:
        r = results[s]
        style = "bold" if s == "storybrief" else ""
        table.add_row(
            s,
            *(f"{100 * r[k]:.2f}" for k in ("rouge1_r", "rouge1_f", "rouge2_r", "rouge2_f", "rougeL_r", "rougeL_f")),
            f"{r['sec_per_cluster']:.3f}",
            str(r["failures"]),
            style=style,
        )
    console.print(table)
    margin: dict[str, Any] | None = None
    if "storybrief" in systems and best_peer:
        points, se = paired_margin(totals["storybrief"], totals[best_peer], measure)
        margin = {"measure": measure, "best_peer": best_peer, "points": points, "standard_error": se}
    if "storybrief" in systems and n:
        console.print(f"storybrief language layer (parse): {parse_seconds / n:.3f} s per cluster")
        if margin is not None:
            points, se = margin["points"], margin["standard_error"]
            kind = "recall" if measure.endswith("r") else "F1"
            console.print(
                f"ROUGE-2 {kind}: storybrief − best peer ({best_peer}) = {points:+.2f} points "
                f"(paired standard error {se:.2f}, 95% interval {points - 1.96 * se:+.2f} to {points + 1.96 * se:+.2f})"
            )
    if args.json:
        payload = {
            "dataset": args.data.stem,
            "clusters": n,
            "words": words,
            "systems": {s: {k: v for k, v in r.items() if k != "failures"} for s, r in results.items()},
            "failures": {s: r["failures"] for s, r in results.items()},
            "parse_sec_per_cluster": parse_seconds / n if n else 0.0,
        }
        if margin is not None:
            payload["margin"] = margin
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
