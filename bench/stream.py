"""Reading and cleaning a JSON lines file larger than memory should be: one pass, flat memory.

    python bench/stream.py [--gb 2] [--batch 500] [--jobs 1] [--bound-mib 600] [--json OUT]

Writes a JSON lines file of ``--gb`` gigabytes (the shared sets' full texts and the examples,
replicated with other ids, as ``bench/pipeline.py`` does), then reads and cleans it in a process
of its own with ``storybrief.readers.ingest_batches``, keeping nothing but counts, and prints the
seconds, megabytes and articles per second, and the peak resident memory against ``--bound-mib``
(issue 20: reading and cleaning never hold more than a batch of raw inputs). With ``--jobs`` above
1 the lines are parsed and cleaned in that many forked processes, and the largest of them is
shown beside the reading process (each is held to the bound).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def _child(path: Path, batch: int, jobs: int) -> dict[str, Any]:
    from storybrief.readers import ingest_batches  # noqa: PLC0415

    started = time.perf_counter()
    articles = skipped = words = 0
    for part in ingest_batches([str(path)], batch_size=batch, jobs=jobs):
        articles += len(part.articles)
        skipped += len(part.manifest.skipped)
        words += sum(len(a.text.split()) for a in part.articles)
    return {
        "seconds": time.perf_counter() - started,
        "articles": articles,
        "skipped": skipped,
        "words": words,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _write(path: Path, size: int) -> int:
    """A JSON lines file of at least ``size`` bytes; its number of records."""
    from datasets import full_text_records, replicas  # noqa: PLC0415

    written = count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in replicas(full_text_records()):
            line = json.dumps(record, ensure_ascii=False) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            count += 1
            if written >= size:
                break
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gb", type=float, default=2.0, help="size of the generated file, in gigabytes")
    parser.add_argument("--batch", type=int, default=500, help="lines read and cleaned at once")
    parser.add_argument("--jobs", type=int, default=1, help="processes that parse and clean the lines")
    parser.add_argument("--bound-mib", type=float, default=600.0, help="the peak memory the run must stay under")
    parser.add_argument("--dir", type=Path, help="where to write the file (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(Path(args.child[0]), int(args.child[1]), int(args.child[2]))))
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    console = Console(width=140)  # the table is wide; do not let a narrow terminal abbreviate it
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "articles.jsonl"
        records = _write(path, int(args.gb * 1e9))
        size = path.stat().st_size
        console.print(f"{size / 1e9:.2f} GB, {records:,} records: reading and cleaning …")
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path), str(args.batch), str(args.jobs)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        console.print(done.stderr[-3000:], markup=False)
        raise SystemExit("the run failed")
    run = json.loads(done.stdout.strip().splitlines()[-1])
    run |= {"bytes": size, "records": records, "batch": args.batch, "jobs": args.jobs}
    title = f"read + clean of one JSON lines file in one pass, {args.batch} lines at a time, {args.jobs} process(es)"
    table = Table(title=title)
    for column in ("GB", "records", "articles", "skipped", "seconds", "MB/s", "articles/s", "peak MiB", "worker MiB"):
        table.add_column(column, justify="right")
    for column in ("bound",):
        table.add_column(column, justify="right")
    ok = max(run["peak_mib"], run["worker_peak_mib"]) <= args.bound_mib
    table.add_row(
        f"{size / 1e9:.2f}",
        f"{records:,}",
        f"{run['articles']:,}",
        f"{run['skipped']:,}",
        f"{run['seconds']:.0f}",
        f"{size / 1e6 / run['seconds']:.2f}",
        f"{run['articles'] / run['seconds']:.0f}",
        f"{run['peak_mib']:,.0f}",
        f"{run['worker_peak_mib']:,.0f}" if args.jobs > 1 else "–",
        f"{'[green]' if ok else '[red]'}≤ {args.bound_mib:,.0f}[/]",
    )
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(run, indent=2))


if __name__ == "__main__":
    main()
