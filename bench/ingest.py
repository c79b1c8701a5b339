"""Ingest speed and memory: plain-text and HTML articles per second on one core.

Copies the bundled examples (text and Markdown, or HTML) into a temporary
folder until there are at least ``--articles`` files of each kind, then runs
ingest on each set in a fresh process pinned to one core, and prints articles
per second and peak memory (resident set size) per format.

    python bench/ingest.py [--articles 2000] [--json OUT]

Targets (issue 2): at least 300 plain-text and 60 HTML articles per second.
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

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
KINDS = {"plain text": (".txt", ".md"), "HTML": (".html",)}
TARGETS = {"plain text": 300.0, "HTML": 60.0}


def _prepare(folder: Path, suffixes: tuple[str, ...], count: int) -> int:
    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix in suffixes)
    folder.mkdir(parents=True)
    for i in range(count):
        src = sources[i % len(sources)]
        (folder / f"{src.stem}-{i:05d}{src.suffix}").write_bytes(src.read_bytes())
    return count


def _worker(folder: str) -> None:
    """Run in a child: ingest one folder on one core, print a JSON line."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import storybrief  # noqa: PLC0415 - imported after pinning the core

    # Warm up: imports and the language model load once per process, as in a real run.
    storybrief.ingest([str(sorted(Path(folder).iterdir())[0])])
    start = time.perf_counter()
    corpus = storybrief.ingest([folder])
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "articles": len(corpus),
                "skipped": len(corpus.manifest.skipped),
                "seconds": seconds,
                "peak_mib": peak_kib / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="articles per format (default 2000)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker)
        return

    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, suffixes in KINDS.items():
            folder = Path(tmp) / kind.replace(" ", "-")
            _prepare(folder, suffixes, args.articles)
            env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
            out = subprocess.run(
                [sys.executable, __file__, "--worker", str(folder)], capture_output=True, text=True, env=env, check=True
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            row["per_second"] = row["articles"] / row["seconds"]
            results[kind] = row

    table = Table(title=f"ingest, one core, {args.articles} articles per format")
    for col in ("format", "articles", "skipped", "seconds", "articles/s", "target", "peak MiB"):
        table.add_column(col, justify="right" if col != "format" else "left")
    for kind, row in results.items():
        ok = row["per_second"] >= TARGETS[kind]
        table.add_row(
            kind,
            str(row["articles"]),
            str(row["skipped"]),
            f"{row['seconds']:.2f}",
            f"[{'green' if ok else 'red'}]{row['per_second']:.0f}[/]",
            f"≥ {TARGETS[kind]:.0f}",
            f"{row['peak_mib']:.0f}",
        )
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
