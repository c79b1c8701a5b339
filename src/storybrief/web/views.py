"""What the web app's pages and API show, made from what the store reads (plain dicts in, plain dicts out).

Nothing here touches the store, the network or the clock: the app passes rows, briefs
and the time in, so every rule (filters, an outlet's record, a revision's changed
figures) is tested without a server.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..store.history import value_key
from ..store.store import SNIPPET_MARKS

#: Stories per page of the story list.
PAGE_SIZE = 25
MARK_OPEN, MARK_CLOSE = SNIPPET_MARKS


def slug(name: object) -> str:
    """A URL-safe key of a name: ``The Kessa Gazette`` is ``the-kessa-gazette``."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unknown"


def ago(changed: str | None, now: dt.datetime) -> str:
    """``updated 5 minutes ago`` for an ISO timestamp (``just now`` under a minute)."""
    if not changed:
        return "never updated"
    try:
        then = dt.datetime.fromisoformat(changed)
    except ValueError:
        return "updated at an unknown time"
    if then.tzinfo is None:
        then = then.replace(tzinfo=dt.UTC)
    seconds = max(0, int((now - then).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = seconds // size
            return f"updated {n} {unit}{'' if n == 1 else 's'} ago"
    return "updated just now"


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """The story list's filters: stories active in a date range, covered by an outlet, with conflicts."""

    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None  # an outlet's slug
    conflicts: bool = False

    def keeps(self, row: Mapping[str, Any]) -> bool:
        first, last = row.get("first"), row.get("last") or row.get("first")
        if self.since is not None and (last is None or dt.date.fromisoformat(str(last)) < self.since):
            return False
        if self.until is not None and (first is None or dt.date.fromisoformat(str(first)) > self.until):
            return False
        if self.outlet and self.outlet not in {slug(o) for o in row.get("outlets") or []}:
            return False
        return not (self.conflicts and not row.get("conflicts"))


def page_of(items: Sequence[Any], page: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of a list: its items, its number (1-based, clamped) and how many pages there are."""
    pages = max(1, -(-len(items) // size))
    page = min(max(1, page), pages)
    return {"items": list(items[(page - 1) * size : page * size]), "page": page, "pages": pages, "total": len(items)}


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as ``(text, highlighted)`` pieces (the marks the store put around matches)."""
    parts: list[tuple[str, bool]] = []
    for n, piece in enumerate(re.split(f"[{MARK_OPEN}{MARK_CLOSE}]", snippet)):
        if piece:
            parts.append((piece, n % 2 == 1))
    return parts


def grouped_hits(hits: Iterable[Mapping[str, Any]], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Search hits grouped by story, stories in the order of their best hit."""
    groups: dict[str | None, dict[str, Any]] = {}
    for hit in hits:
        story = hit.get("story")
        group = groups.setdefault(story, {"story": story, "label": labels.get(str(story), None), "hits": []})
        group["hits"].append({**hit, "parts": snippet_parts(str(hit.get("snippet") or ""))})
    return list(groups.values())


# --------------------------------------------------------------------------- names and outlets


def entity_index(briefs: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every linked name across stories by its id: aliases, type, and the stories and articles naming it.

    A story's entity ids are slugs of the canonical name, so the same name in two stories has one id.
    """
    index: dict[str, dict[str, Any]] = {}
    for brief in briefs:
        for e in brief.get("entities") or []:
            record = index.setdefault(
                str(e["id"]),
                {"id": e["id"], "canonical": e["canonical"], "types": Counter(), "aliases": set(), "stories": []},
            )
            record["types"][e.get("type")] += 1
            record["aliases"].update(e.get("aliases") or [])
            record["stories"].append(
                {"id": brief["id"], "label": brief.get("label"), "articles": list(e.get("articles") or [])}
            )
    for record in index.values():
        record["type"] = record.pop("types").most_common(1)[0][0]
        record["aliases"] = sorted(record["aliases"])
        record["articles"] = sorted({a for s in record["stories"] for a in s["articles"]})
    return index


def outlet_index(briefs: Iterable[Mapping[str, Any]], outlets: Mapping[str, str | None]) -> dict[str, dict[str, Any]]:
    """Each outlet's record by its slug: its stories; in conflicting facts it reports, how often its figure is
    the odd one out (no other outlet gives it while two or more agree on another); how often it is a copy
    or rewrite of another outlet's article. ``outlets`` maps article ids to outlet names."""
    index: dict[str, dict[str, Any]] = {}

    def record(name: str) -> dict[str, Any]:
        return index.setdefault(
            slug(name),
            {
                "slug": slug(name),
                "name": name,
                "stories": [],
                "articles": 0,
                "conflicting_facts": 0,
                "odd_one_out": [],
                "copies": [],
            },
        )

    for brief in briefs:
        named = [str(outlets.get(a) or "") for a in brief.get("articles") or []]
        for name in sorted({n for n in named if n}):
            rec = record(name)
            rec["stories"].append({"id": brief["id"], "label": brief.get("label"), "first": brief.get("first")})
            rec["articles"] += named.count(name)
        for d in brief.get("duplicates") or []:
            own, of = outlets.get(str(d.get("article"))), outlets.get(str(d.get("of")))
            if own and of and own != of:
                record(own)["copies"].append(
                    {
                        "story": brief["id"],
                        "article": d["article"],
                        "of": d["of"],
                        "of_outlet": of,
                        "kind": d.get("kind"),
                    }
                )
        for fact in brief.get("facts") or []:
            if fact.get("verdict") != "conflicting":
                continue
            given: dict[str, set[str]] = defaultdict(set)
            for r in fact.get("reports") or []:
                teller = r.get("outlet") or outlets.get(str(r.get("article")))
                if teller:
                    given[str(teller)].add(value_key(r.get("value")))
            votes = Counter(v for values in given.values() for v in values)
            for name, values in given.items():
                rec = record(name)
                rec["conflicting_facts"] += 1
                others = votes - Counter(values)
                majority = [v for v, n in others.items() if n >= 2 and n == max(others.values())]
                if majority and not any(others[v] for v in values):
                    rec["odd_one_out"].append(
                        {"story": brief["id"], "label": brief.get("label"), "slot": fact.get("slot")}
                    )
    return index


# --------------------------------------------------------------------------- revisions

_FIGURE = re.compile(r"\d")
_WORDS = re.compile(r"\S+|\s+")


def revision_diff(old: str, new: str) -> dict[str, Any]:
    """Word-level changes from an article's earlier text to the next: ``(op, text)`` pieces with op one of
    ``same``, ``removed``, ``added``; and the figures that changed (``"12"`` became ``"14"``), the edit
    a reader of a toll needs to see."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    pieces: list[tuple[str, str]] = []
    figures: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if removed:
            pieces.append(("removed", removed))
        if added:
            pieces.append(("added", added))
        was = [w for w in a[i1:i2] if _FIGURE.search(w)]
        now = [w for w in b[j1:j2] if _FIGURE.search(w)]
        if was or now:
            figures.append({"was": " ".join(was), "now": " ".join(now)})
    return {"pieces": pieces, "figures": figures, "changed": any(op != "same" for op, _ in pieces)}


def nearby(
    rows: Sequence[Mapping[str, Any]], brief: Mapping[str, Any], days: int = 14, limit: int = 100
) -> list[dict[str, Any]]:
    """Stories an editor may merge a story with: the others active within ``days`` of it (undated ones
    too), nearest first, with their date span."""
    first, last = brief.get("first"), brief.get("last") or brief.get("first")
    low = dt.date.fromisoformat(str(first)) - dt.timedelta(days=days) if first else None
    high = dt.date.fromisoformat(str(last)) + dt.timedelta(days=days) if last else None
    chosen = []
    for row in rows:
        if row["id"] == brief.get("id"):
            continue
        a, b = row.get("first"), row.get("last") or row.get("first")
        if low is not None and high is not None and a and b:
            if dt.date.fromisoformat(str(b)) < low or dt.date.fromisoformat(str(a)) > high:
                continue
            distance = abs((dt.date.fromisoformat(str(a)) - dt.date.fromisoformat(str(first))).days)
        else:
            distance = 1 << 30
        span = "undated" if not a else a if a == b else f"{a} – {b}"
        chosen.append((distance, {**row, "span": span}))
    chosen.sort(key=lambda dr: (dr[0], str(dr[1]["id"])))
    return [row for _, row in chosen[:limit]]


def spellings(brief: Mapping[str, Any]) -> list[dict[str, str]]:
    """The spellings an editor may unlink from a story's names: each written spelling of a name written
    more than one way, but its canonical one."""
    out = []
    for e in brief.get("entities") or []:
        written = sorted({str(m["text"]) for m in e.get("mentions") or []})
        if len(written) < 2:
            continue
        for alias in written:
            if alias != e.get("canonical"):
                out.append({"entity": str(e["id"]), "alias": alias, "canonical": str(e.get("canonical"))})
    return out
