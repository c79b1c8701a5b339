"""Time expressions against TimeML gold, scored as TempEval-3 (task A) scored them, over whole documents.

    python bench/timex.py [DATA] [--failures N] [--json OUT]

``DATA`` is a folder (or its ``docs.jsonl``) in the format of ``../shared/data/timebank_dev``
(default): one document a line with its creation date (``dct``), its ``text``, its ``sentences``
(``[start, end]`` spans) and its gold ``timexes`` (``start``, ``end``, ``type``, ``value``).
Every sentence of every document is read by ``storybrief.text.temporal.find_document_times`` against
the document's date (each sentence with what comes before it as its context), so an expression
found where the gold has none counts against precision.

Reported, pooled over the documents: relaxed (overlapping spans) and strict (identical spans)
precision, recall and F1; value accuracy (of the gold expressions found, the share with the gold
TIMEX3 value) and value F1 (relaxed F1 times value accuracy), for all four types, for DATE and
TIME alone, and for expressions naming one day, week, month or year (``2013-03-22``,
``2013-W12``, ``2013-03``, ``2013``); recall and value accuracy per gold type. ``--failures N``
prints up to N of each kind of failure: gold missed, found spurious, found with the wrong value.
Targets (issue 21): value F1 >= 82, relaxed F1 >= 88, relaxed precision >= 95, value accuracy on
the day/week/month/year subset >= 92.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DEFAULT = ROOT.parent / "shared" / "data" / "timebank_dev"
#: A value that names one calendar day, week, month or year.
_ONE_PERIOD = re.compile(r"^\d{4}(?:-\d\d(?:-\d\d)?|-W\d\d)?$")


def _documents(data: Path) -> list[dict[str, Any]]:
    path = data / "docs.jsonl" if data.is_dir() else data
    if not path.is_file():
        raise SystemExit(f"{path}: no such file (is ../shared beside the checkout?)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _found(document: dict[str, Any]) -> list[Any]:
    """What storybrief finds in every sentence of a document, in document offsets."""
    from storybrief.evaluation import Timex  # noqa: PLC0415
    from storybrief.text.temporal import find_document_times  # noqa: PLC0415

    anchor = dt.date.fromisoformat(document["dct"][:10]) if document.get("dct") else None
    found = find_document_times(document["text"], document["sentences"], anchor)
    text = document["text"]
    return [Timex(a, b, kind, value, text[a:b]) for t in found for a, b, kind, value in t.timexes()]


def _gold(document: dict[str, Any]) -> list[Any]:
    from storybrief.evaluation import Timex  # noqa: PLC0415

    return [Timex(t["start"], t["end"], t["type"], t["value"], t["text"]) for t in document["timexes"]]


Keep = Callable[[Any], bool]


def _score(documents: list[dict[str, Any]], found: list[list[Any]], keep_gold: Keep, keep_found: Keep) -> Any:
    from storybrief.evaluation import TimexScore, timex_score  # noqa: PLC0415

    total = TimexScore(0, 0, 0, 0, 0)
    for document, mine in zip(documents, found, strict=True):
        total += timex_score([t for t in _gold(document) if keep_gold(t)], [t for t in mine if keep_found(t)])
    return total


def _context(document: dict[str, Any], start: int, end: int) -> str:
    text = document["text"]
    return " ".join(f"{text[max(0, start - 60) : start]}[{text[start:end]}]{text[end : end + 60]}".split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT, help="a folder with docs.jsonl, or the file")
    parser.add_argument("--failures", type=int, default=0, help="print up to N failures of each kind")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    console = Console(width=150)  # the table is wide; do not let a narrow terminal abbreviate it
    documents = _documents(args.data)
    started = time.perf_counter()
    found = [_found(d) for d in documents]
    seconds = time.perf_counter() - started
    every: Keep = lambda t: True  # noqa: E731
    dated: Keep = lambda t: t.type in ("DATE", "TIME")  # noqa: E731
    period: Keep = lambda t: bool(t.value and _ONE_PERIOD.match(t.value))  # noqa: E731
    rows = {
        "all types": _score(documents, found, every, every),
        "DATE + TIME": _score(documents, found, dated, dated),
        "one day, week, month or year": _score(documents, found, period, period),
    }
    table = Table(title=f"time expressions of {len(documents)} documents ({args.data.name}), TempEval-3 scoring")
    for column in ("", "gold", "found", "relaxed P", "R", "F1", "strict P", "R", "F1", "value acc.", "value F1"):
        table.add_column(column, justify="left" if not column else "right")
    figures: dict[str, Any] = {"documents": len(documents), "seconds": seconds, "rows": {}}
    for name, score in rows.items():
        (rp, rr, rf), (sp, sr, sf) = score.relaxed_prf, score.strict_prf
        table.add_row(
            name,
            f"{score.gold:,}",
            f"{score.found:,}",
            *(f"{100 * x:.1f}" for x in (rp, rr, rf, sp, sr, sf, score.value_accuracy, score.value_f1)),
        )
        figures["rows"][name] = {
            "gold": score.gold,
            "found": score.found,
            "relaxed": {"precision": rp, "recall": rr, "f1": rf},
            "strict": {"precision": sp, "recall": sr, "f1": sf},
            "value_accuracy": score.value_accuracy,
            "value_f1": score.value_f1,
        }
    console.print(table)
    by_type = Table(title="per gold type (all expressions found count as candidates)")
    for column in ("type", "gold", "found (relaxed)", "recall", "value acc."):
        by_type.add_column(column, justify="right")
    pooled = rows["all types"]
    for kind in ("DATE", "TIME", "DURATION", "SET"):
        pairs = [(g, f) for g, f in pooled.pairs if g.type == kind]
        gold = sum(1 for d in documents for t in d["timexes"] if t["type"] == kind)
        right = sum(g.value == f.value for g, f in pairs)
        by_type.add_row(
            kind,
            f"{gold:,}",
            f"{len(pairs):,}",
            f"{100 * len(pairs) / gold:.1f}" if gold else "–",
            f"{100 * right / len(pairs):.1f}" if pairs else "–",
        )
    console.print(by_type)
    console.print(f"{seconds:.2f} s for {len(documents)} documents")
    if args.failures:
        _print_failures(console, documents, found, args.failures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


def _print_failures(console: Any, documents: list[dict[str, Any]], found: list[list[Any]], limit: int) -> None:
    from storybrief.evaluation import timex_score  # noqa: PLC0415

    kinds: dict[str, list[str]] = collections.defaultdict(list)
    for document, mine in zip(documents, found, strict=True):
        score = timex_score(_gold(document), mine)
        dct = document.get("dct", "")
        for g in score.missed:
            kinds["missed"].append(f"{g.type} {g.value}  {_context(document, g.start, g.end)}")
        for f in score.spurious:
            kinds["spurious"].append(f"{f.type} {f.value}  {_context(document, f.start, f.end)}")
        for g, f in score.pairs:
            if g.value != f.value:
                kinds["wrong value"].append(
                    f"gold {g.value} ({g.text!r}), found {f.value} ({f.text!r}), dct {dct}  "
                    f"{_context(document, g.start, g.end)}"
                )
    for kind in ("missed", "spurious", "wrong value"):
        console.print(f"\n[bold]{kind}[/]: {len(kinds[kind])}")
        for line in kinds[kind][:limit]:
            console.print("  " + line, markup=False, highlight=False)


if __name__ == "__main__":
    main()
