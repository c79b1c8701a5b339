"""Loading evaluation sets for the benchmarks (never copied into the repository).

Multi-document summarization sets are JSON lines of clusters
(``{"id", "documents": [{"id", "title", "date", "text"}], "summaries": [...]}``);
labelled streams are JSON lines of articles with a ``cluster`` field.
Documents go through storybrief's own ingest (the JSON records reader and cleaning).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storybrief import Article, IngestOptions, ingest_bytes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


@dataclass
class Labelled:
    """Articles with their gold story; ``ambiguous`` ids (in two gold stories) are not scored.

    ``skipped``: gold documents ingest did not keep (e.g. a page holding only an archive
    notice), with their gold story; a benchmark reports how it scores them.
    """

    name: str
    articles: list[Article]
    gold: dict[str, str]
    ambiguous: set[str]
    skipped: dict[str, str]


def _records_to_articles(records: list[dict[str, object]], name: str) -> list[Article]:
    payload = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")
    # Title-only sets (Google News) have texts of a few words: keep every non-empty one.
    corpus = ingest_bytes(payload, f"{name}.jsonl", IngestOptions(min_words=1), extension=".jsonl")
    return list(corpus.articles)


def load_labelled(path: Path, limit: int | None = None) -> Labelled:
    """A pooled multi-document set (gold story = cluster id) or a labelled JSONL stream."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    records: list[dict[str, object]] = []
    gold: dict[str, str] = {}
    seen: Counter[str] = Counter()
    if rows and "documents" in rows[0]:
        for row in rows:
            for doc in row["documents"]:
                seen[str(doc["id"])] += 1
        for row in rows:
            for doc in row["documents"]:
                doc_id = str(doc["id"])
                if doc_id in gold:
                    continue
                gold[doc_id] = str(row["id"])
                records.append(
                    {
                        "id": doc_id,
                        "title": _none(doc.get("title")),
                        "date": _none(doc.get("date")),
                        "text": doc.get("text", ""),
                    }
                )
    else:
        for row in rows:
            doc_id = str(row["id"])
            gold[doc_id] = str(row["cluster"])
            records.append(
                {
                    "id": doc_id,
                    "title": _none(row.get("title")),
                    "date": _none(row.get("date")),
                    "text": row.get("text", ""),
                }
            )
    articles = _records_to_articles(records, path.stem)
    ambiguous = {i for i, n in seen.items() if n > 1}
    kept = {a.id for a in articles}
    skipped = {i: g for i, g in gold.items() if i not in kept and i not in ambiguous}
    return Labelled(path.stem, articles, {a.id: gold[a.id] for a in articles if a.id in gold}, ambiguous, skipped)


def _none(value: object) -> object:
    return None if value in (None, "None", "", "null") else value


def load_clusters(path: Path, limit: int | None = None) -> list[dict[str, object]]:
    """Multi-document summarization clusters as dicts."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


@dataclass
class Events:
    """An ``events_dev``-style folder: articles with their gold story, and the gold in the seeds' shape.

    ``gold`` has ``stories`` (``id``, ``label``, ``documents``, ``distractor``), ``facts``
    (``story``, ``slot``, ``unit``, ``reports`` of ``document``, ``as_written`` and ``value``,
    ``verdict``, ``best``) and ``entities`` per story (``story``, ``canonical``, ``type``, ``aliases``).
    Target stories are named ``V…``, look-alike distractors ``W…``.
    """

    name: str
    articles: list[Article]
    story_of: dict[str, str]
    gold: dict[str, object]


def is_events(folder: Path) -> bool:
    """True for a folder in the ``events_dev`` format (``articles.jsonl`` and ``gold.jsonl``)."""
    return (folder / "articles.jsonl").is_file() and (folder / "gold.jsonl").is_file()


def load_events(folder: Path) -> Events:
    """Read an ``events_dev``-style folder through storybrief's own ingest."""
    rows = [json.loads(line) for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]
    records = [
        {
            "id": r["id"],
            "title": r.get("title"),
            "date": r.get("published"),
            "source": r.get("outlet"),
            "url": r.get("url"),
            "text": r["text"],
        }
        for r in rows
    ]
    articles = _records_to_articles(records, folder.name)
    story_of = {str(r["id"]): str(r["event"]) for r in rows}
    stories, facts, entities = [], [], []
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        sid = str(g["event"])
        stories.append(
            {"id": sid, "label": g.get("label", ""), "documents": g["articles"], "distractor": sid.startswith("W")}
        )
        for f in g.get("facts", []):
            reports = [
                {"document": r["article"], "as_written": r["as_written"], "value": r["value"]} for r in f["reports"]
            ]
            facts.append(
                {
                    "story": sid,
                    "slot": f["slot"],
                    "unit": f.get("unit"),
                    "reports": reports,
                    "verdict": f.get("verdict"),
                    "best": f.get("best"),
                    "note": f.get("note"),
                }
            )
        for e in g.get("entities", []):
            entities.append({"story": sid, **e})
    gold: dict[str, object] = {"stories": stories, "facts": facts, "entities": entities}
    return Events(folder.name, articles, story_of, gold)


def is_ecbplus(folder: Path) -> bool:
    """True for a folder in the ``ecbplus_dev`` format (``articles.jsonl`` with ``subtopic``)."""
    path = folder / "articles.jsonl"
    return path.is_file() and '"subtopic"' in path.open(encoding="utf-8").readline()


def load_folder_labelled(folder: Path) -> tuple[Labelled, dict[str, str]]:
    """An ``events_dev`` or ``ecbplus_dev`` folder as a labelled stream, and each article's topic.

    ``events_dev``: the gold story is the event (targets and distractors alike); ECB+:
    the gold story is the sub-topic (one real event), and the topic pairs two look-alike events.
    """
    if is_events(folder):
        events = load_events(folder)
        gold = {a.id: events.story_of[a.id] for a in events.articles}
        return Labelled(folder.name, events.articles, gold, set(), {}), {}
    rows = [json.loads(line) for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]
    records = [{"id": r["id"], "title": r.get("title"), "text": r["text"], "url": r.get("url")} for r in rows]
    articles = _records_to_articles(records, folder.name)
    kept = {a.id for a in articles}
    gold = {str(r["id"]): str(r["subtopic"]) for r in rows if r["id"] in kept}
    skipped = {str(r["id"]): str(r["subtopic"]) for r in rows if r["id"] not in kept}
    topics = {str(r["id"]): str(r["topic"]) for r in rows}
    return Labelled(folder.name, articles, gold, set(), skipped), topics


#: The shared sets with full article texts, pooled by the throughput and load benchmarks.
FULL_TEXT_SETS = ["duc2006.jsonl", "duc2007.jsonl", "multinews200.jsonl", "neus_test.jsonl"]


def full_text_records() -> list[dict[str, object]]:
    """Every distinct full text of the shared sets (those present) and the examples, as ingest records."""
    from storybrief import ingest  # noqa: PLC0415

    records: list[dict[str, object]] = []
    seen: set[str] = set()

    def take(articles: list[Article]) -> None:
        for a in articles:
            if a.text and a.text not in seen:
                seen.add(a.text)
                date = a.published.isoformat() if a.published else None
                records.append({"id": a.id, "title": a.title, "text": a.text, "outlet": a.outlet, "date": date})

    for name in FULL_TEXT_SETS:
        if (DATA / name).is_file():
            take(load_labelled(DATA / name).articles)
    if (DATA / "events_dev").is_dir():
        take(load_events(DATA / "events_dev").articles)
    if (DATA / "ecbplus_dev").is_dir():
        take(load_folder_labelled(DATA / "ecbplus_dev")[0].articles)
    take(list(ingest([str(ROOT / "examples")])))
    return records


def replicate(source: list[dict[str, object]], count: int) -> list[dict[str, object]]:
    """``count`` records: the sources, then replicas of them (see :func:`replicas`)."""
    import itertools  # noqa: PLC0415

    return list(itertools.islice(replicas(source), count))


def replicas(source: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    """The sources, then replicas of them without end, each with another id, its dates moved on
    by 400 days a round, and a last line, so its content is new (a cache or a store parses it anew)."""
    import datetime as dt  # noqa: PLC0415
    import itertools  # noqa: PLC0415
    import zlib  # noqa: PLC0415

    for n in itertools.count():
        record = dict(source[n % len(source)])
        copy = n // len(source)
        if copy:
            record["id"] = f"{record['id']}~r{copy}"
            record["text"] = f"{record['text']}\n\n(Benchmark replica {copy}.)"
            if record.get("date"):
                moved = dt.date.fromisoformat(str(record["date"])) + dt.timedelta(days=400 * copy)
                record["date"] = moved.isoformat()
        record["outlet"] = record.get("outlet") or f"Bench Outlet {zlib.crc32(str(record['id']).encode()) % 17:02d}"
        yield record
