"""Language-layer speed: words per second on one core for the full layer.

Repeats the bundled examples (and the seeds, when ../shared is present) to at
least ``--words`` words, then runs sentence splitting, tokens, lemmas, the
dependency parse and named entities in one process pinned to one core. The
spaCy model loads once, before timing.

    python bench/nlp.py [--words 100000] [--json OUT]

Target (issue 3): at least 8,000 words per second per core.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=100_000, help="words to process (default 100,000)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from storybrief import ingest  # noqa: PLC0415
    from storybrief.text import resources  # noqa: PLC0415
    from storybrief.text.nlp import ALL, NlpOptions, parse  # noqa: PLC0415

    sources = [str(ROOT / "examples")]
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        sources.append(str(seeds))
    base = [a for a in ingest(sources) if a.is_english]
    words_each = sum(len(a.text.split()) for a in base)
    copies = max(1, -(-args.words // words_each))
    articles = [dataclasses.replace(a, id=f"{a.id}~{i}") for i in range(copies) for a in base]

    start = time.perf_counter()
    resources.spacy_pipeline()
    load = time.perf_counter() - start
    rows = []
    for name, wanted in (("full layer", ALL), ("tokens + entities", ("tokens", "entities"))):
        start = time.perf_counter()
        parsed = parse(articles, NlpOptions(annotations=wanted))
        seconds = time.perf_counter() - start
        words = sum(item.words() for item in parsed)
        tokens = sum(len(item.doc) for item in parsed)
        rows.append(
            {
                "layer": name,
                "articles": len(parsed),
                "words": words,
                "tokens": tokens,
                "seconds": seconds,
                "words_per_second": words / seconds,
                "tokens_per_second": tokens / seconds,
            }
        )
    loads = resources.spacy_pipeline.cache_info().misses

    table = Table(title=f"language layer, one core (model load {load:.1f} s, loads in process: {loads})")
    for col in ("layer", "articles", "words", "seconds", "words/s", "tokens/s", "target"):
        table.add_column(col, justify="left" if col == "layer" else "right")
    for r in rows:
        ok = r["words_per_second"] >= 8000
        target = "≥ 8,000" if r["layer"] == "full layer" else ""
        colour = "green" if ok else "red"
        table.add_row(
            r["layer"],
            str(r["articles"]),
            f"{r['words']:,}",
            f"{r['seconds']:.1f}",
            f"[{colour}]{r['words_per_second']:,.0f}[/]",
            f"{r['tokens_per_second']:,.0f}",
            target,
        )
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
