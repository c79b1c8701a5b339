"""Main text and metadata of real web pages: storybrief's ingest beside the extractors it competes with.

Runs, in one process and on the same pages, storybrief's ingest of each page as an ``.html`` file and
the peers that are installed: trafilatura (default settings, ``favor_precision``, ``fast``),
readability-lxml and newspaper4k (the ``bench`` extras). Scores as trafilatura's own evaluation does:
a "with" snippet found in the extracted text (whitespace normalised) is a true positive, missing a false
negative; a "without" snippet found is a false positive. Title, author and date are scored where the
gold has them (an author or date annotated as absent is right when none is given).

    python bench/extract.py [SET] [--json OUT] [--failures N] [--only NAME]

SET is a folder holding ``gold.jsonl`` and ``pages/`` (default ``../shared/data/html_dev``).
``--failures N`` lists up to N missed and boilerplate snippets and wrong metadata of storybrief.

Targets (issue 22, html_dev): snippet F1 ≥ 0.95 with precision ≥ 0.95; title ≥ 0.85, author ≥ 0.80,
date ≥ 0.92. Beside each peer, the difference in F1 and its paired bootstrap standard error (pages
resampled, 1,000 rounds, fixed seed).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT.parent / "shared" / "data" / "html_dev"
_DEGREES = {"phd", "md", "mph", "msc", "ma", "mba", "rd", "rn", "dr"}
TARGETS = {"f1": 0.95, "precision": 0.95, "title": 0.85, "author": 0.80, "date": 0.92}


@dataclass
class Extraction:
    """What one extractor made of one page."""

    text: str = ""
    title: str | None = None
    author: str | None = None
    date: str | None = None
    skipped: bool = False
    crashed: bool = False


@dataclass
class Score:
    """Per-page counts and metadata hits of one extractor."""

    tp: list[int] = field(default_factory=list)
    fp: list[int] = field(default_factory=list)
    fn: list[int] = field(default_factory=list)
    meta: dict[str, list[bool]] = field(default_factory=lambda: {"title": [], "author": [], "date": []})
    skipped: int = 0
    crashed: int = 0
    seconds: float = 0.0


# --------------------------------------------------------------------------- normalising


def _space(text: str) -> str:
    return " ".join(text.split())


def _title_key(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[‘’´`]", "'", text)
    text = re.sub(r"[“”«»]", '"', text)
    text = re.sub(r"[‐-―−]", "-", text)
    return _space(text).strip(" \"'.:-")


def _authors(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    parts = re.split(r"\s*(?:;|,|\band\b|&)\s*", unicodedata.normalize("NFKC", text))
    # Initials compare with or without their full stops ("T. V. Raman", "T V Raman"); degrees are not names.
    names = {_space(p.replace(".", " ")).casefold() for p in parts if p.strip(" .")}
    return frozenset(n for n in names if n not in _DEGREES)


# --------------------------------------------------------------------------- extractors


def _storybrief() -> Callable[[str, bytes], Extraction]:
    from storybrief import IngestOptions, ingest_bytes  # noqa: PLC0415

    options = IngestOptions(min_words=1)

    def run(name: str, data: bytes) -> Extraction:
        corpus = ingest_bytes(data, name, options, extension=".html")
        if not corpus.articles:
            return Extraction(skipped=True)
        art = corpus.articles[0]
        day = art.published.isoformat() if art.published else None
        return Extraction(art.text, art.title, art.byline, day)

    return run


def _trafilatura(**settings: Any) -> Callable[[str, bytes], Extraction]:
    import trafilatura  # noqa: PLC0415

    def run(name: str, data: bytes) -> Extraction:
        doc = trafilatura.bare_extraction(data.decode("utf-8", "replace"), with_metadata=True, **settings)
        if doc is None:
            return Extraction(skipped=True)
        return Extraction(doc.text or "", doc.title, doc.author, doc.date)

    return run


def _readability() -> Callable[[str, bytes], Extraction]:
    from lxml import html as lxml_html  # noqa: PLC0415
    from readability import Document  # noqa: PLC0415

    def run(name: str, data: bytes) -> Extraction:
        doc = Document(data.decode("utf-8", "replace"))
        body = lxml_html.fromstring(doc.summary())
        return Extraction(body.text_content(), doc.short_title(), None, None)

    return run


def _newspaper() -> Callable[[str, bytes], Extraction]:
    import newspaper  # noqa: PLC0415

    config = newspaper.Config()
    config.fetch_images = False  # it would download the page's images to measure them
    config.memoize_articles = False
    config.language = "en"

    def run(name: str, data: bytes) -> Extraction:
        art = newspaper.Article("http://localhost/", config=config)
        art.download(input_html=data.decode("utf-8", "replace"))
        art.parse()
        day = art.publish_date.date().isoformat() if art.publish_date else None
        return Extraction(art.text, art.title or None, "; ".join(art.authors) or None, day)

    return run


def extractors(only: str | None) -> dict[str, Callable[[str, bytes], Extraction]]:
    """The extractors to run: storybrief always, the peers that import."""
    makers: dict[str, Callable[[], Callable[[str, bytes], Extraction]]] = {
        "storybrief": _storybrief,
        "trafilatura": _trafilatura,
        "trafilatura precision": lambda: _trafilatura(favor_precision=True),
        "trafilatura fast": lambda: _trafilatura(fast=True),
        "readability-lxml": _readability,
        "newspaper4k": _newspaper,
    }
    out: dict[str, Callable[[str, bytes], Extraction]] = {}
    for name, make in makers.items():
        if only and name not in (only, "storybrief"):
            continue
        try:
            out[name] = make()
        except ImportError as error:
            print(f"{name}: not installed ({error.name}); pip install -e '.[bench]'", file=sys.stderr)
    return out


# --------------------------------------------------------------------------- scoring


def score_page(gold: dict[str, Any], got: Extraction, score: Score, failures: list[str] | None) -> None:
    """Add one page's snippet counts and metadata hits to ``score``."""
    text = _space(got.text)
    tp = fn = fp = 0
    for snippet in gold["with"]:
        if _space(snippet) in text:
            tp += 1
        else:
            fn += 1
            if failures is not None:
                failures.append(f"{gold['id']}: missed {snippet[:100]!r}")
    for snippet in gold["without"]:
        if _space(snippet) in text:
            fp += 1
            if failures is not None:
                failures.append(f"{gold['id']}: kept boilerplate {snippet[:100]!r}")
    score.tp.append(tp)
    score.fp.append(fp)
    score.fn.append(fn)
    checks: dict[str, tuple[bool, Any, Any]] = {}
    if gold.get("title"):
        checks["title"] = (_title_key(got.title) == _title_key(gold["title"]), got.title, gold["title"])
    if gold.get("author_annotated"):
        checks["author"] = (_authors(got.author) == _authors(gold["author"]), got.author, gold["author"])
    if gold.get("date_annotated"):
        checks["date"] = ((got.date or None) == gold["date"], got.date, gold["date"])
    for key, (ok, have, want) in checks.items():
        score.meta[key].append(ok)
        if not ok and failures is not None:
            failures.append(f"{gold['id']}: {key} {have!r}, gold {want!r}")


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def summary(score: Score) -> dict[str, float]:
    """Precision, recall, F1 over all snippets, metadata accuracies, counts and speed."""
    p, r, f = _f1(sum(score.tp), sum(score.fp), sum(score.fn))
    out = {"precision": p, "recall": r, "f1": f, "pages": len(score.tp)}
    for key, hits in score.meta.items():
        out[key] = sum(hits) / len(hits) if hits else 0.0
        out[f"{key}_pages"] = len(hits)
    out.update(skipped=score.skipped, crashed=score.crashed, seconds_per_page=score.seconds / max(len(score.tp), 1))
    return out


def paired_se(a: Score, b: Score, rounds: int = 1000, seed: int = 7) -> tuple[float, float]:
    """F1(a) − F1(b) over all pages, and its paired bootstrap standard error."""
    n = len(a.tp)
    rng = random.Random(seed)

    def diff(idx: list[int]) -> float:
        fa = _f1(sum(a.tp[i] for i in idx), sum(a.fp[i] for i in idx), sum(a.fn[i] for i in idx))[2]
        fb = _f1(sum(b.tp[i] for i in idx), sum(b.fp[i] for i in idx), sum(b.fn[i] for i in idx))[2]
        return fa - fb

    base = diff(list(range(n)))
    samples = [diff([rng.randrange(n) for _ in range(n)]) for _ in range(rounds)]
    mean = sum(samples) / rounds
    se = (sum((s - mean) ** 2 for s in samples) / (rounds - 1)) ** 0.5
    return base, se


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", nargs="?", type=Path, default=DEFAULT_SET, help="folder with gold.jsonl and pages/")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--failures", type=int, default=0, help="list up to N of storybrief's misses")
    parser.add_argument("--only", help="run storybrief and this one peer only")
    args = parser.parse_args()
    gold_path = args.set / "gold.jsonl"
    if not gold_path.is_file():
        sys.exit(f"no gold.jsonl in {args.set}")
    golds = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]

    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    runs = extractors(args.only)
    scores = {name: Score() for name in runs}
    failures: list[str] = []
    warnings.simplefilter("ignore")
    for gold in golds:
        data = (args.set / gold["page"]).read_bytes()
        name = Path(gold["page"]).name
        for label, run in runs.items():
            start = time.perf_counter()
            try:
                got = run(name, data)
            except Exception:  # a peer's crash is a figure of the benchmark, not the end of it
                got = Extraction(crashed=True)
            scores[label].seconds += time.perf_counter() - start
            scores[label].skipped += got.skipped
            scores[label].crashed += got.crashed
            score_page(gold, got, scores[label], failures if label == "storybrief" and args.failures else None)

    results = {name: summary(score) for name, score in scores.items()}
    for name, row in results.items():
        if name != "storybrief":
            row["storybrief_minus_f1"], row["paired_se"] = paired_se(scores["storybrief"], scores[name])

    table = Table(title=f"main text and metadata, {args.set.name}: {len(golds)} pages")
    columns = ("extractor", "P", "R", "F1", "title", "author", "date", "skipped", "crashed", "s/page", "Δ F1 (SE)")
    for col in columns:
        table.add_column(col, justify="left" if col == "extractor" else "right")
    for name, row in results.items():

        def cell(key: str, row: dict[str, float] = row, name: str = name) -> str:
            value = f"{row[key]:.3f}"
            if name == "storybrief" and key in TARGETS:
                value = f"[{'green' if row[key] >= TARGETS[key] else 'red'}]{value}[/]"
            return value

        delta = "" if name == "storybrief" else f"{row['storybrief_minus_f1']:+.3f} ({row['paired_se']:.3f})"
        table.add_row(
            name,
            cell("precision"),
            cell("recall"),
            cell("f1"),
            cell("title"),
            cell("author"),
            cell("date"),
            str(int(row["skipped"])),
            str(int(row["crashed"])),
            f"{row['seconds_per_page']:.3f}",
            delta,
        )
    console = Console(width=max(Console().width, 130))  # the table stays readable when piped
    console.print(table)
    sb = results["storybrief"]
    console.print(
        f"scored pages: title {sb['title_pages']}, author {sb['author_pages']}, date {sb['date_pages']}; "
        "Δ F1: storybrief minus the peer, with the paired bootstrap standard error"
    )
    for line in failures[: args.failures]:
        console.print(line, markup=False, highlight=False)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
