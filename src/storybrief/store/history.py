"""How a story grew: its articles in the order the store got them, and what each brought."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any


def value_key(value: object) -> str:
    """A figure's value as one comparable string (``{"exact": 12}`` and a range alike)."""
    return json.dumps(value, sort_keys=True)


def story_history(brief: Mapping[str, Any], arrivals: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each article of a story in the order the store got it, with what it brought: a new outlet, and
    figures no earlier article of the story gave (per fact, a value not reported before)."""
    reports: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # article -> (slot, value key, as written)
    for fact in brief.get("facts") or []:
        for r in fact.get("reports") or []:
            reports[str(r.get("article"))].append(
                (str(fact.get("slot")), value_key(r.get("value")), str(r.get("as_written") or ""))
            )
    seen_outlets: set[str] = set()
    seen_values: set[tuple[str, str]] = set()
    history = []
    for arrival in arrivals:
        article = str(arrival["id"])
        outlet = arrival.get("outlet")
        new_outlet = bool(outlet) and outlet not in seen_outlets
        if outlet:
            seen_outlets.add(str(outlet))
        figures = []
        for slot, value, written in reports.get(article, []):
            if (slot, value) not in seen_values:
                seen_values.add((slot, value))
                figures.append({"slot": slot, "as_written": written})
        history.append(
            {
                "article": article,
                "arrived": arrival.get("first_seen"),
                "outlet": outlet,
                "new_outlet": new_outlet,
                "new_figures": figures,
            }
        )
    return history
