"""Dates and timelines: date normalisation accuracy on written cases, and gold timelines of annotated sets.

    python bench/timeline.py [--cases FILE ...] [--gold FOLDER ...] [--failures] [--json OUT]

1. **Normalisation.** ``--cases`` (default: ``tests/data/timex_cases.jsonl``,
   written with the code, and ``tests/data/timex_cases_fresh.jsonl``, written
   after it as a check of how the rules generalise: 37 of its 47 cases were
   right before the fixes it prompted) hold ``{"sentence", "date", "expression", "expected", "relative"?,
   "historical"?}`` cases: the expression at ``expression`` in the sentence,
   read against the article date ``date`` (or none), must come out as the
   ISO value ``expected`` (day, ``YYYY-MM``, ``YYYY`` or ``first/last``), with
   the relative form ``relative`` when the article is undated; a case with
   neither is a trap (nothing there is a date). Accuracy is reported overall,
   for dated and undated articles, and for traps. Target (issue 7): >= 0.95.
2. **Gold timelines.** Each ``--gold`` folder holds articles and a
   ``gold.json`` with ``documents`` (their ``published`` dates), ``stories``
   and ``timeline`` items (``story``, ``when``, ``event``); default
   ``../shared/seeds``. Each gold story is briefed as one story twice: with the
   gold publication dates passed in (as ``--dates`` does) and without dates.
   Reported: gold entries found, found with the right date, and pairs in the
   right order.
3. **TLS sets.** When ``../shared/data`` holds Timeline17 or Crisis (news-tls),
   date-selection F1 would be reported; they are not available here, and the
   benchmark says so.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CASES = [ROOT / "tests" / "data" / "timex_cases.jsonl", ROOT / "tests" / "data" / "timex_cases_fresh.jsonl"]
SEEDS = ROOT.parent / "shared" / "seeds"
DATA = ROOT.parent / "shared" / "data"


def score_cases(path: Path, show_failures: bool) -> dict[str, Any]:
    """Accuracy of date normalisation on the cases file, by kind of case."""
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from storybrief.evaluation import time_case  # noqa: PLC0415

    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    results = [time_case(c) for c in cases]
    seconds = time.perf_counter() - started
    groups: dict[str, list[bool]] = collections.defaultdict(list)
    for case, result in zip(cases, results, strict=True):
        trap = case.get("expected") is None and case.get("relative") is None
        kind = "trap (no date there)" if trap else ("dated article" if case.get("date") else "undated article")
        groups[kind].append(result.ok)
        groups["all"].append(result.ok)
    table = Table(title=f"date normalisation: {path.name}, {len(cases)} cases")
    for column in ("cases", "kind", "correct", "accuracy"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    for kind in ("dated article", "undated article", "trap (no date there)", "all"):
        oks = groups.get(kind, [])
        table.add_row(str(len(oks)), kind, str(sum(oks)), f"{sum(oks) / len(oks):.3f}" if oks else "–")
    console = Console()
    console.print(table)
    console.print(f"{seconds / max(len(cases), 1) * 1000:.2f} ms per sentence")
    failures = [r for r in results if not r.ok]
    if show_failures or len(failures) <= 10:
        for r in failures:
            console.print(
                f"[red]x[/] {r.sentence!r} @ {r.date}: {r.expression!r} expected {r.expected or r.relative}, "
                f"got {r.got or r.got_relative}",
                highlight=False,
            )
    accuracy = sum(groups["all"]) / len(groups["all"]) if groups["all"] else 0.0
    return {"cases": len(cases), "accuracy": accuracy, "by_kind": {k: sum(v) / len(v) for k, v in groups.items()}}


def score_gold(folder: Path) -> list[dict[str, Any]]:
    """Brief each gold story with and without the gold dates and score its timeline."""
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from storybrief import ingest  # noqa: PLC0415
    from storybrief.briefing.timeline import build_timeline  # noqa: PLC0415
    from storybrief.evaluation import timeline_score  # noqa: PLC0415
    from storybrief.model import Story  # noqa: PLC0415
    from storybrief.text.nlp import parse  # noqa: PLC0415

    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    corpus = ingest([str(folder)])
    by_id = {a.id: a for a in corpus}
    dates = {k: dt.date.fromisoformat(v["published"]) for k, v in gold["documents"].items() if v.get("published")}
    rows = []
    for story in gold.get("stories", []):
        story_id = story["id"]
        wanted = [g for g in gold.get("timeline", []) if g.get("story") == story_id]
        if not wanted:
            continue
        members = [d for d in story["documents"] if d in by_id]
        for mode in ("dated", "undated"):
            articles = [
                dataclasses.replace(by_id[d], published=dates.get(d) if mode == "dated" else None) for d in members
            ]
            items = parse(articles)
            text = {(i.article.id, s.index): s.text for i in items for s in i.sentences}
            started = time.perf_counter()
            entries = build_timeline(Story(story_id, story_id, tuple(members)), items)
            seconds = time.perf_counter() - started
            score = timeline_score(wanted, entries, lambda a, k, text=text: text[(a, k)])
            rows.append(
                {
                    "set": folder.name,
                    "story": story_id,
                    "mode": mode,
                    "gold": score.gold,
                    "found": score.found,
                    "dated": score.dated,
                    "order": score.order_accuracy,
                    "entries": len(entries),
                    "background": sum(1 for e in entries if e.background),
                    "seconds": seconds,
                    "matches": [list(m) for m in score.matches],
                }
            )
    table = Table(title=f"gold timelines: {folder}")
    for column in ("story", "dates", "gold", "found", "dated right", "order", "entries (background)", "s"):
        table.add_column(column, justify="left" if column in ("story", "dates") else "right")
    for r in rows:
        table.add_row(
            r["story"],
            r["mode"],
            str(r["gold"]),
            str(r["found"]),
            str(r["dated"]) if r["mode"] == "dated" else "n/a",
            f"{r['order']:.2f}",
            f"{r['entries']} ({r['background']})",
            f"{r['seconds']:.3f}",
        )
    Console().print(table)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, nargs="+", default=CASES, help="case files (default: both in tests/data)")
    parser.add_argument("--gold", type=Path, nargs="*", default=None, help="gold.json folders (default: the seeds)")
    parser.add_argument("--failures", action="store_true", help="list every failed case")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    report: dict[str, Any] = {"cases": {path.name: score_cases(path, args.failures) for path in args.cases}}
    folders = args.gold if args.gold is not None else ([SEEDS] if (SEEDS / "gold.json").exists() else [])
    if not folders:
        print("gold timelines: none given" if args.gold is not None else "gold timelines: ../shared/seeds not found")
    report["gold"] = [row for folder in folders for row in score_gold(folder)]
    tls = [p for p in ("timeline17", "Timeline17", "crisis", "Crisis") if (DATA / p).exists()]
    if tls:
        print(f"TLS sets present ({', '.join(tls)}): date-selection F1 is not implemented yet")
    else:
        print("TLS sets (Timeline17, Crisis): not in ../shared/data; date-selection F1 not measured")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
