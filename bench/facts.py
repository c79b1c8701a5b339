"""Fact extraction and reconciliation against a gold.json annotation: slot recall, report recall, verdicts.

    python bench/facts.py [FOLDER ...] [--gold FILE] [--json OUT]

FOLDER holds the articles and a ``gold.json`` (the seeds' format: ``stories``
with their documents, ``facts`` with per-slot ``reports`` of ``document``,
``as_written`` and ``value``, a ``verdict``, and ``distractor_numbers``).
Without arguments it scores ../shared/seeds. Each gold story is briefed as one
story (its gold documents), so the figures measure fact reconciliation, not
clustering; ``--cluster`` uses storybrief's own clustering instead.

- a gold slot is *found* when a predicted slot of its story holds at least half
  of its reports (same document, and the same value when the gold gives one,
  or the same words for a time or a claim);
- report recall counts gold reports present in the found slot;
- verdict accuracy counts found slots whose verdict is the gold one;
- a distractor is *merged* when a predicted slot that matches a gold slot holds
  a report of the distractor's document whose words contain the distractor's
  number.

Targets on the seeds (issue 6): slot recall >= 0.9, verdict accuracy 1.0, no distractor merged.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DEFAULT = ROOT.parent / "shared" / "seeds"


def _magnitude(value: dict[str, Any] | None, unit: str | None) -> float | None:
    """The number a value states, in its dimension's base unit ("10 miles" and "16.1 km" give one number)."""
    from storybrief.text.units import base_value, measure_unit, parse_unit_label  # noqa: PLC0415

    if not value:
        return None
    number = float(value.get("exact", value.get("approx", value.get("min", value.get("min_exclusive",
                   value.get("max", value.get("max_exclusive", 0.0)))))))  # fmt: skip
    parsed, scale = parse_unit_label(unit)
    if parsed is None and unit:
        parsed = measure_unit(unit.rstrip("s")) or measure_unit(unit)
    return base_value(number * scale, parsed)


def _dimension(label: str | None) -> str:
    """What a slot's label measures: ``count`` for people and things, else money, percent or a physical dimension."""
    from storybrief.text.units import parse_unit_label, unit_named  # noqa: PLC0415

    parsed, _ = parse_unit_label(label)
    if parsed is None and label:
        parsed = unit_named(label)  # the names a predicted slot shows ("s", "ft")
    if parsed is None:
        return "count"
    return "time" if parsed.dimension in ("duration", "age") else parsed.dimension


def _unit_name(label: str | None) -> str | None:
    """The physical unit a slot's label names, or None for counts, sums and shares."""
    from storybrief.text.units import parse_unit_label  # noqa: PLC0415

    parsed, _ = parse_unit_label(label)
    return parsed.name if parsed is not None and parsed.dimension not in ("money", "percent") else None


def _report_matches(gold: dict[str, Any], predicted: dict[str, Any], gold_unit: str | None, unit: str | None) -> bool:
    """Same article and the same number (within rounding of a conversion); the bound is scored apart."""
    from storybrief.text.units import close  # noqa: PLC0415

    if gold["document"] != predicted["article"]:
        return False
    if gold.get("value"):
        g, p = _magnitude(gold["value"], gold_unit), _magnitude(predicted.get("value"), unit)
        # the rounding of a conversion only where one unit was converted into another ("6 miles" = 9.7 km);
        # a count, a sum or a share in the same terms must be the same number (58 people are not 60)
        if _dimension(gold_unit) != _dimension(unit):
            return False  # a count of customers is not a sum of rupees, whatever the number
        converted = _unit_name(gold_unit) != _unit_name(unit)
        return g is not None and p is not None and close(g, p, 0.03 if converted else 1e-6)
    g_text, p_text = gold["as_written"].lower(), predicted["as_written"].lower()
    return g_text in p_text or p_text in g_text or predicted.get("value") is None


def _number(text: str) -> str | None:
    match = re.search(r"\d[\d,]*", text)
    return match.group(0) if match else None


def _as_gold(verdict: str, gold: str | None) -> str:
    """A rising toll is ``updated`` here and ``conflicting`` in gold that explains the sequence in a note."""
    return "conflicting" if verdict == "updated" and gold == "conflicting" else verdict


def score(folder: Path, gold_path: Path, use_clustering: bool) -> dict[str, Any]:
    """Brief the gold stories and score their facts (a seeds-style folder, or an ``events_dev``-style one)."""
    from storybrief import ingest  # noqa: PLC0415
    from storybrief.briefing.facts import reconcile  # noqa: PLC0415
    from storybrief.cluster import cluster  # noqa: PLC0415
    from storybrief.cluster.dedup import find_duplicates  # noqa: PLC0415
    from storybrief.model import Story  # noqa: PLC0415
    from storybrief.text.nlp import parse  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "bench"))
    from datasets import is_events, load_events  # noqa: PLC0415

    if is_events(folder):
        events = load_events(folder)
        gold = events.gold
        corpus = list(events.articles)
    else:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        corpus = list(ingest([str(folder)]))
    parsed = parse(corpus)
    distractor_docs = {d for g in gold.get("stories", []) if g.get("distractor") for d in g["documents"]}
    by_id = {a.id: a for a in corpus}
    stories: dict[str, Story] = {}
    if use_clustering:
        found = cluster(corpus)
        for g in gold.get("stories", []):
            best = max(found, key=lambda s: len(set(s.articles) & set(g["documents"])))
            stories[g["id"]] = best
    else:
        for g in gold.get("stories", []):
            members = [by_id[d] for d in g["documents"] if d in by_id]
            stories[g["id"]] = Story(
                g["id"], g.get("label", ""), tuple(a.id for a in members), tuple(find_duplicates(members))
            )
    start = time.perf_counter()
    predicted = {sid: [f.to_dict() for f in reconcile(story, parsed)] for sid, story in stories.items()}
    seconds = time.perf_counter() - start

    rows = []
    matched_slots: dict[str, list[dict[str, Any]]] = {}
    for g in gold.get("facts", []):
        reports = g.get("reports", [])
        counted = any(r.get("value") for r in reports)  # a figure slot, or a time or claim
        candidates = [s for s in predicted.get(g["story"], []) if (s["kind"] == "quantity") == counted]

        gold_unit = g.get("unit")

        def hits(slot: dict[str, Any], reports: list[dict[str, Any]] = reports, unit: Any = gold_unit) -> int:
            return sum(any(_report_matches(r, p, unit, slot.get("unit")) for p in slot["reports"]) for r in reports)

        best = max(candidates, key=hits, default=None)
        n = hits(best) if best else 0
        found = best is not None and n >= 0.75 * len(reports) and n > 0
        if found and best is not None:
            matched_slots.setdefault(g["story"], []).append(best)
        rows.append(
            {
                "slot": g["slot"],
                "found": found,
                "reports": len(reports),
                "reports_found": n if found else 0,
                "gold_verdict": g.get("verdict"),
                "verdict": _as_gold(best["verdict"], g.get("verdict")) if found and best else None,
                "best": best.get("best") if found and best else None,
                "gold_best": g.get("best"),
                "predicted_slot": best["slot"] if found and best else None,
            }
        )
    merged = []
    target_docs = {d for st in gold.get("stories", []) if not st.get("distractor") for d in st["documents"]}
    for sid, story_slots in matched_slots.items():
        if any(st["id"] == sid and st.get("distractor") for st in gold.get("stories", [])):
            continue
        for slot in story_slots:
            for r in slot["reports"]:
                if r["article"] in distractor_docs and r["article"] not in target_docs:
                    merged.append({"distractor": f"{r['article']}: {r['as_written']}", "slot": slot["slot"]})
    for item in gold.get("distractor_numbers", {}).get("items", []):
        number = _number(item["as_written"])
        for story_slots in matched_slots.values():
            for slot in story_slots:
                for r in slot["reports"]:
                    if r["article"] == item["document"] and number and number in r["as_written"]:
                        merged.append({"distractor": item["as_written"], "slot": slot["slot"]})
    found_rows = [r for r in rows if r["found"]]
    return {
        "set": folder.name,
        "slots": len(rows),
        "slot_recall": len(found_rows) / len(rows) if rows else 1.0,
        "report_recall": sum(r["reports_found"] for r in rows) / max(1, sum(r["reports"] for r in rows)),
        "verdict_accuracy": sum(r["verdict"] == r["gold_verdict"] for r in found_rows) / len(found_rows)
        if found_rows
        else 0.0,
        "distractors_merged": merged,
        "seconds_after_parse": seconds,
        "stories": len(stories),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--gold", type=Path, help="the gold.json (default: FOLDER/gold.json)")
    parser.add_argument("--cluster", action="store_true", help="use storybrief's clustering for the stories")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    console = Console(width=160)
    results = []
    for folder in args.folders or [DEFAULT]:
        gold = args.gold or folder / "gold.json"
        if not gold.is_file() and not (folder / "gold.jsonl").is_file():
            console.print(f"[yellow]{folder}: no gold.json, skipped[/]")
            continue
        r = score(folder, gold, args.cluster)
        results.append(r)
        table = Table(title=f"facts on {r['set']}: gold slots against storybrief's")
        for col in ("gold slot", "found as", "reports", "verdict (gold)", "best (gold)"):
            table.add_column(col)
        for row in r["rows"]:
            table.add_row(
                row["slot"],
                row["predicted_slot"] or "[red]not found[/]",
                f"{row['reports_found']}/{row['reports']}",
                f"{row['verdict']} ({row['gold_verdict']})",
                f"{row['best']} ({row['gold_best']})",
            )
        console.print(table)
        console.print(
            f"slot recall {r['slot_recall']:.3f} ({sum(x['found'] for x in r['rows'])}/{len(r['rows'])}) · "
            f"report recall {r['report_recall']:.3f} · "
            f"verdict accuracy {r['verdict_accuracy']:.3f} · distractors merged {len(r['distractors_merged'])} · "
            f"{r['seconds_after_parse']:.3f} s for {r['stories']} stories after parsing"
        )
        for m in r["distractors_merged"]:
            console.print(f"[red]distractor merged:[/] {m['distractor']} into {m['slot']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
