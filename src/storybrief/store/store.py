"""A persistent store of articles, stories and briefs in one SQLite file.

``Store.add`` reads inputs as ``ingest`` does and, batch by batch, in one
transaction per batch: skips content it has (``unchanged``), revises an article
whose URL or input gives new content (``updated``, the old text kept as a
revision), places new articles with the **stream** clusterer, whose state is
the stored stories (reopened without scoring when the store opens), and
rebuilds the brief of every story whose members changed. Story ids are stable:
a story keeps its id as articles join; when two merge, the older id survives
and the other is recorded as merged into it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..briefing.entities import spelling_key
from ..briefing.pipeline import BriefOptions, brief_story
from ..cluster import prepare as prepare_vectors
from ..cluster import stories_from_clusters
from ..cluster.constraints import NEW, enforce
from ..cluster.features import ArticleVector
from ..cluster.stories import Cluster, StoryClusterer, cluster_vectors
from ..errors import StorybriefError
from ..model import Article, Corpus, Correction, CorrectionKind, ManifestEntry
from ..readers import IngestOptions, ingest
from ..report.json import SCHEMA_VERSION, article_to_dict, made_by, story_to_dict
from ..text.nlp import doc_bytes, parse, parsed_from_bytes
from .history import story_history
from .schema import StoreVersionError, prepare

#: The order of a document's articles: by date, undated last, then by id.
_BY_DATE = "ORDER BY published IS NULL, published, id"

#: What a search snippet puts around each matched word: private-use characters no article text holds.
SNIPPET_MARKS = ("\ue000", "\ue001")

#: Articles placed and stored per transaction.
BATCH = 100


class StoreError(StorybriefError):
    """A store that cannot be opened or used (one line for the user)."""


class CorrectionError(StoreError):
    """A correction the store cannot make: what it names does not exist (``missing``) or it does not apply."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one ``add`` did: articles new, unchanged and updated, inputs skipped, stories rebuilt."""

    new: int = 0
    unchanged: int = 0
    updated: int = 0
    skipped: int = 0
    rebuilt: tuple[str, ...] = ()
    stories: dict[str, str] = field(default_factory=dict)  # article id -> story id


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _vector_json(v: ArticleVector) -> str:
    return json.dumps(
        {
            "id": v.id,
            "date": v.date.isoformat() if v.date else None,
            "counts": dict(v.counts),
            "names": sorted(v.names),
            "numbers": sorted(v.numbers),
            "title": v.title,
            "lead": v.lead,
            "terms": v.terms,
            "name_weight": v.name_weight,
            "country": v.country,
            "countries": sorted(v.countries),
            "deals": sorted(v.deals),
            "weekday": v.weekday,
            "places": sorted(v.places),
        },
        ensure_ascii=False,
    )


def _vector_from(data: str, embedding: bytes | None) -> ArticleVector:
    from collections import Counter  # noqa: PLC0415

    d = json.loads(data)
    return ArticleVector(
        id=d["id"],
        date=dt.date.fromisoformat(d["date"]) if d["date"] else None,
        counts=Counter(d["counts"]),
        names=set(d["names"]),
        numbers=set(d["numbers"]),
        title=d["title"],
        lead=d["lead"],
        terms=d["terms"],
        embedding=np.frombuffer(embedding, dtype=np.float32) if embedding else None,
        name_weight=d["name_weight"],
        country=d["country"],
        countries=frozenset(d["countries"]),
        deals=frozenset(d["deals"]),
        weekday=d.get("weekday"),  # stores written before the weekday was kept have none
        places=frozenset(d.get("places", ())),  # nor the lead's places, before they were kept
    )


class Store:
    """A storybrief store (default ``./storybrief.db``): ``add`` inputs, read ``stories`` and ``brief`` them."""

    def __init__(
        self, path: str | Path = "storybrief.db", options: BriefOptions | None = None, *, cache_kib: int | None = None
    ) -> None:
        self.path = Path(path)
        self.options = options or BriefOptions()
        try:
            self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            if cache_kib is not None:  # a bounded page cache (a server keeps one connection per thread)
                self.db.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
            prepare(self.db)
        except StoreVersionError as error:
            raise StoreError(f"{self.path}: {error}") from None
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a storybrief store ({error})") from None
        self._clusterer: StoryClusterer | None = None

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ------------------------------------------------------------------ adding

    def add(
        self,
        paths: Iterable[str] | str,
        options: IngestOptions | None = None,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> AddResult:
        """Read inputs as ``ingest`` does and store what is new (see the module's docstring)."""
        return self.add_corpus(ingest(paths, options), progress=progress)

    def add_corpus(self, corpus: Corpus, *, progress: Callable[[int], None] | None = None) -> AddResult:
        """Store the articles of an ingested corpus, one transaction per batch of ``BATCH``."""
        entries = {a: e for e in corpus.manifest.entries for a in e.articles}
        pending_skips = [e for e in corpus.manifest.entries if not e.articles]  # skips, feed and page requests
        totals = {"new": 0, "unchanged": 0, "updated": 0}
        rebuilt: set[str] = set()
        placed: dict[str, str] = {}
        articles = sorted(corpus.articles, key=lambda a: (a.published is None, a.published or dt.date.min, a.id))
        for start in range(0, max(len(articles), 1), BATCH):
            batch = articles[start : start + BATCH]
            counts, stories, where = self._add_batch(batch, entries, pending_skips)
            pending_skips = []
            for k, v in counts.items():
                totals[k] += v
            rebuilt |= stories
            placed.update(where)
            if progress:
                progress(len(batch))
        self.rebuild()
        skipped = sum(1 for e in corpus.manifest.entries if e.status == "skipped")
        return AddResult(totals["new"], totals["unchanged"], totals["updated"], skipped, tuple(sorted(rebuilt)), placed)

    def _known(self, article: Article) -> tuple[str, str] | None:
        """(stored id, stored raw hash) of the article this one is a version of, by URL, then input and record."""
        row = None
        if article.url:
            row = self.db.execute("SELECT id, raw_sha256 FROM articles WHERE url = ?", (article.url,)).fetchone()
        if row is None and article.path:
            row = self.db.execute(
                "SELECT id, raw_sha256 FROM articles WHERE input = ? AND record IS ?", (article.path, article.record)
            ).fetchone()
        if row is None:
            row = self.db.execute("SELECT id, raw_sha256 FROM articles WHERE id = ?", (article.id,)).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def _add_batch(
        self, batch: Sequence[Article], entries: dict[str, ManifestEntry], skips: Sequence[ManifestEntry]
    ) -> tuple[dict[str, int], set[str], dict[str, str]]:
        counts = {"new": 0, "unchanged": 0, "updated": 0}
        status: dict[str, str] = {}
        fresh: list[Article] = []
        updates: dict[str, Article] = {}
        for article in batch:
            same = self.db.execute("SELECT id FROM articles WHERE raw_sha256 = ?", (article.raw_sha256,)).fetchone()
            known = self._known(article)
            if same is not None or (known is not None and known[1] == article.raw_sha256):
                counts["unchanged"] += 1
                status[article.id] = "unchanged"
            elif known is not None:
                counts["updated"] += 1
                status[article.id] = "updated"
                updates[known[0]] = dataclasses.replace(article, id=known[0])
            else:
                counts["new"] += 1
                status[article.id] = "used"
                fresh.append(article)
        clusterer = self._stream()
        english = [a for a in fresh if a.is_english]
        vectors = prepare_vectors(english, self.options.cluster)
        parsed = {p.article.id: p for p in parse([*fresh, *updates.values()], self.options.nlp)}
        touched: set[int] = set()
        merged: list[tuple[int, int]] = []
        where: dict[int, list[str]] = {}
        for vector in vectors:
            before = clusterer.open_ids
            seq = clusterer.add_vector(vector)
            touched.add(seq)
            for gone in before - clusterer.open_ids - {c.id for c in clusterer.closed_}:
                merged.append((gone, seq))
        # a story this batch touched may have closed (quiet for the window) before the batch ended
        closed = {c.id: list(c.members) for c in clusterer.closed_}
        clusterer.closed_.clear()
        update_stories = (
            {
                str(r[0])
                for r in self.db.execute(
                    f"SELECT DISTINCT story FROM articles WHERE id IN ({','.join('?' * len(updates))})", list(updates)
                )
                if r[0]
            }
            if updates
            else set()
        )
        now = _now()
        with self._transaction() as db:
            for skip in skips:
                self._record(db, skip, skip.status, now)
            for article in batch:
                entry = entries.get(article.id)
                if entry is not None:
                    self._record(db, dataclasses.replace(entry, articles=(article.id,)), status[article.id], now)
            vec = {v.id: v for v in vectors}
            for article in fresh:
                self._insert(db, article, now, vec.get(article.id), parsed.get(article.id))
            for stored_id, article in updates.items():
                self._revise(db, stored_id, article, now, parsed.get(stored_id))
            ids = self._story_ids(db, touched, merged, now)
            for seq in touched:
                members = clusterer.members_of(seq) or closed.get(seq, [])
                db.executemany("UPDATE articles SET story = ? WHERE id = ?", [(ids[seq], m) for m in members])
                where[seq] = members
            rebuilt = {ids[seq] for seq in touched} | update_stories
            # briefs are rebuilt once per add, after the batches: a batch's cost does not grow with its stories
            db.executemany("UPDATE stories SET dirty = 1 WHERE id = ?", [(s,) for s in rebuilt])
            corrected = self._enforce(db, now)  # an editor's merges and splits hold against the clusterer
        placed = {m: ids[seq] for seq, ms in where.items() for m in ms}
        if corrected:
            rebuilt |= corrected
            placed.update({str(a): str(s) for a, s in self._articles_in("id, story", placed)})
        return counts, rebuilt, placed

    def _record(self, db: sqlite3.Connection, entry: ManifestEntry, status: str, now: str) -> None:
        db.execute(
            "INSERT INTO inputs (input, record, status, code, reason, articles, warnings, at) VALUES (?,?,?,?,?,?,?,?)",
            (
                entry.input,
                entry.record,
                status,
                entry.code,
                entry.reason,
                json.dumps(list(entry.articles)),
                json.dumps(list(entry.warnings)),
                now,
            ),
        )

    def _insert(self, db: sqlite3.Connection, a: Article, now: str, vector: ArticleVector | None, parsed: Any) -> None:
        db.execute(
            "INSERT INTO articles (id, url, input, record, raw_sha256, data, published, first_seen, last_changed) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            (
                a.id,
                a.url,
                a.path,
                a.record,
                a.raw_sha256,
                json.dumps(a.to_dict(), ensure_ascii=False),
                a.published.isoformat() if a.published else None,
                now,
                now,
            ),
        )
        db.execute("INSERT INTO articles_fts (id, title, text) VALUES (?,?,?)", (a.id, a.title or "", a.text))
        if vector is not None:
            blob = None if vector.embedding is None else np.asarray(vector.embedding, dtype=np.float32).tobytes()
            db.execute("INSERT INTO vectors VALUES (?,?,?)", (a.id, _vector_json(vector), blob))
        if parsed is not None:
            db.execute("INSERT INTO parses VALUES (?,?)", (a.id, doc_bytes(parsed)))

    def _revise(self, db: sqlite3.Connection, stored_id: str, a: Article, now: str, parsed: Any) -> None:
        (old,) = db.execute("SELECT data FROM articles WHERE id = ?", (stored_id,)).fetchone()
        db.execute("INSERT INTO revisions (article, data, replaced_at) VALUES (?,?,?)", (stored_id, old, now))
        db.execute(
            "UPDATE articles SET url = ?, raw_sha256 = ?, data = ?, published = ?, last_changed = ? WHERE id = ?",
            (
                a.url,
                a.raw_sha256,
                json.dumps(a.to_dict(), ensure_ascii=False),
                a.published.isoformat() if a.published else None,
                now,
                stored_id,
            ),
        )
        db.execute("DELETE FROM articles_fts WHERE id = ?", (stored_id,))
        db.execute("INSERT INTO articles_fts (id, title, text) VALUES (?,?,?)", (stored_id, a.title or "", a.text))
        if parsed is not None:
            db.execute("INSERT OR REPLACE INTO parses VALUES (?,?)", (stored_id, doc_bytes(parsed)))

    def _story_ids(
        self, db: sqlite3.Connection, touched: set[int], merged: Sequence[tuple[int, int]], now: str
    ) -> dict[int, str]:
        """Stable story ids of clusterer stories; a merge keeps the older id and records the other."""
        ids: dict[int, str] = {}
        for seq in sorted(touched | {g for g, _ in merged}):
            row = db.execute("SELECT id FROM stories WHERE seq = ?", (seq,)).fetchone()
            if row is None:
                story_id = f"story-{seq}"
                db.execute(
                    "INSERT INTO stories (id, seq, created, changed) VALUES (?,?,?,?)", (story_id, seq, now, now)
                )
            else:
                story_id = str(row[0])
                db.execute("UPDATE stories SET changed = ? WHERE id = ?", (now, story_id))
            ids[seq] = story_id
        for gone, survivor in merged:
            older, newer = sorted((ids[gone], ids[survivor]), key=lambda s: int(s.rsplit("-", 1)[1]))
            if older != ids[survivor]:
                # the clusterer kept the newer story: the older id takes over its sequence number
                db.execute("UPDATE stories SET seq = -seq WHERE id = ?", (newer,))
                db.execute("UPDATE stories SET seq = ? WHERE id = ?", (survivor, older))
                ids[survivor] = older
            db.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (older, newer))
            db.execute("UPDATE articles SET story = ? WHERE story = ?", (older, newer))
            db.execute("DELETE FROM briefs WHERE story = ?", (newer,))
        return ids

    def recluster(self, days: int | None = 30) -> dict[str, int]:
        """Batch refinement over the stored articles of the last ``days`` (all with None); rebuild what changes.

        Each new story takes the oldest stored id among its members' stories that no larger story took
        (so a merge keeps the older id and the larger part of a split keeps its id; the other part gets
        a new one); a stored story whose id nobody takes is recorded as merged into the story most of
        its members went to. Then the editors' merges and splits are applied again (``corrected``
        counts the stories they changed).
        """
        rows = self.db.execute(
            "SELECT a.id, a.story, a.published, v.data, v.embedding FROM articles a JOIN vectors v ON v.article = a.id"
        ).fetchall()
        dates = [dt.date.fromisoformat(r[2]) for r in rows if r[2]]
        if days is not None and dates:
            since = max(dates) - dt.timedelta(days=days)
            rows = [r for r in rows if r[2] is None or dt.date.fromisoformat(r[2]) >= since]
        old = {str(r[0]): (str(r[1]) if r[1] else None) for r in rows}
        clusters = cluster_vectors([_vector_from(r[3], r[4]) for r in rows], self.options.cluster, batch=True)
        seq = {str(i): int(n) for i, n in self.db.execute("SELECT id, seq FROM stories")}
        now, changed = _now(), 0
        taken: dict[int, str] = {}  # new cluster -> its stable id
        with self._transaction() as db:
            for c in sorted(clusters, key=lambda c: (-len(c.members), c.members)):
                ids = {str(old[m]) for m in c.members if old.get(m)} - set(taken.values())
                if ids:
                    story_id = min(ids, key=lambda i: seq[i])
                else:
                    (top,) = db.execute("SELECT COALESCE(MAX(ABS(seq)), -1) FROM stories").fetchone()
                    story_id = f"story-{int(top) + 1}"
                    db.execute(
                        "INSERT INTO stories (id, seq, created, changed) VALUES (?,?,?,?)",
                        (story_id, int(top) + 1, now, now),
                    )
                    seq[story_id] = int(top) + 1
                taken[c.id] = story_id
                members = set(c.members)
                before = {m for m, s in old.items() if s == story_id}
                if members != before:
                    changed += 1
                    db.executemany("UPDATE articles SET story = ? WHERE id = ?", [(story_id, m) for m in members])
                    db.execute(
                        "UPDATE stories SET dirty = 1, changed = ?, merged_into = NULL WHERE id = ?", (now, story_id)
                    )
            home = {m: taken[c.id] for c in clusters for m in c.members}
            merged = 0
            for story_id in {str(s) for s in old.values() if s} - set(taken.values()):
                went = [home[m] for m, s in old.items() if s == story_id and m in home]
                if went:
                    target = max(set(went), key=lambda t: (went.count(t), -seq[t]))
                    db.execute("UPDATE stories SET merged_into = ?, changed = ? WHERE id = ?", (target, now, story_id))
                    db.execute("DELETE FROM briefs WHERE story = ?", (story_id,))
                    merged += 1
            corrected = self._enforce(db, now)
        self._clusterer = None  # the next add reopens the stories as they are now
        rebuilt = self.rebuild()
        return {
            "articles": len(rows),
            "stories": len(clusters),
            "changed": changed,
            "merged": merged,
            "corrected": len(corrected),
            "rebuilt": len(rebuilt),
        }

    def rebuild(self) -> list[str]:
        """Rebuild the brief of every story whose members changed (one transaction each); return their ids.

        ``add`` calls it after its batches; after a crash, the next ``add`` or ``export`` finishes the work.
        """
        done = []
        corrections: list[Correction] | None = None
        for (story_id,) in self.db.execute("SELECT id FROM stories WHERE dirty = 1 ORDER BY seq").fetchall():
            if corrections is None:
                corrections = self.corrections(withdrawn=False)
            with self._transaction() as db:
                self._rebuild(db, str(story_id), _now(), corrections)
                db.execute("UPDATE stories SET dirty = 0 WHERE id = ?", (story_id,))
            done.append(str(story_id))
        return done

    def _rebuild(self, db: sqlite3.Connection, story_id: str, now: str, corrections: Sequence[Correction]) -> None:
        """Rebuild one story's brief from its stored members (their parses and vectors) and the corrections."""
        rows = db.execute(
            "SELECT a.data, p.doc, v.data, v.embedding FROM articles a LEFT JOIN parses p ON p.article = a.id "
            "LEFT JOIN vectors v ON v.article = a.id WHERE a.story = ?",
            (story_id,),
        ).fetchall()
        if not rows:
            db.execute("DELETE FROM briefs WHERE story = ?", (story_id,))
            return
        articles = [Article.from_dict(json.loads(r[0])) for r in rows]
        vectors = [_vector_from(r[2], r[3]) for r in rows if r[2] is not None]
        dates = [a.published for a in articles if a.published]
        cluster = Cluster(0, tuple(a.id for a in articles), min(dates, default=None), max(dates, default=None))
        (story,) = stories_from_clusters([cluster], articles, vectors)
        story = dataclasses.replace(story, id=story_id)
        items = {a.id: parsed_from_bytes(a, r[1]) for a, r in zip(articles, rows, strict=True)}
        item = brief_story(story, [items[a] for a in story.articles], self.options, corrections)
        data = json.dumps(story_to_dict(item), ensure_ascii=False)
        db.execute("INSERT OR REPLACE INTO briefs (story, data, built) VALUES (?,?,?)", (story_id, data, now))

    def _stream(self) -> StoryClusterer:
        """The stream clusterer with the stored stories reopened (once per open store)."""
        if self._clusterer is not None:
            return self._clusterer
        clusterer = StoryClusterer(self.options.cluster)
        rows = self.db.execute(
            "SELECT s.seq, v.data, v.embedding FROM vectors v JOIN articles a ON a.id = v.article "
            "LEFT JOIN stories s ON s.id = a.story ORDER BY a.published IS NULL, a.published, a.first_seen, a.id"
        ).fetchall()
        by_story: dict[int, list[ArticleVector]] = {}
        loose: list[ArticleVector] = []
        for seq, data, embedding in rows:
            vector = _vector_from(data, embedding)
            if seq is None:
                loose.append(vector)
            else:
                by_story.setdefault(int(seq), []).append(vector)
        for vector in loose:
            clusterer.count(vector)
        # a story quiet for the window before the newest stored article was closed when that article
        # came: it is counted (document frequencies), not reopened, as in one uninterrupted stream
        window = self.options.cluster.window_days
        newest = max((v.date for v in (*loose, *(m for ms in by_story.values() for m in ms)) if v.date), default=None)
        for seq in sorted(by_story):
            members = by_story[seq]
            last = max((m.date for m in members if m.date), default=None)
            if window is not None and newest is not None and last is not None and (newest - last).days > window:
                for vector in members:
                    clusterer.count(vector)
                continue
            clusterer.restore(seq, members)
        (top,) = self.db.execute("SELECT COALESCE(MAX(ABS(seq)), -1) FROM stories").fetchone()
        clusterer.reserve_ids(int(top) + 1)  # ids are never reused, not even a merged story's
        self._clusterer = clusterer
        return clusterer

    # ------------------------------------------------------------------ corrections

    def corrections(self, *, withdrawn: bool = True) -> list[Correction]:
        """The editors' corrections in the order they were made (without the withdrawn ones if asked)."""
        where = "" if withdrawn else " WHERE withdrawn IS NULL"
        return [
            Correction.from_dict(json.loads(data))
            for (data,) in self.db.execute(f"SELECT data FROM corrections{where} ORDER BY id")
        ]

    def correction(self, correction_id: int) -> Correction | None:
        """One correction by its id."""
        row = self.db.execute("SELECT data FROM corrections WHERE id = ?", (correction_id,)).fetchone()
        return Correction.from_dict(json.loads(row[0])) if row else None

    def _live(self, story_id: str | None, what: str = "story") -> dict[str, Any]:
        """The brief of a story that exists (a merged id gives the story it went into)."""
        brief = self.brief(str(story_id)) if story_id else None
        if brief is None:
            raise CorrectionError(f"no {what} {story_id!r}", missing=True)
        return brief

    def correct(
        self,
        kind: CorrectionKind,
        *,
        editor: str,
        why: str,
        story: str | None = None,
        other: str | None = None,
        article: str | None = None,
        entity: str | None = None,
        alias: str | None = None,
        slot: str | None = None,
        mark: str | None = None,
    ) -> tuple[Correction, list[str]]:
        """Record an editor's correction and apply it; return it and the stories it shaped.

        ``merge`` story ``story`` with story ``other`` (the older id stays); ``split`` article ``article``
        out of story ``story`` into a story of its own; ``unlink`` the spelling ``alias`` from the name
        ``entity`` (in story ``story``, or in every story without it); ``verdict``: ``mark`` (checked or
        wrong) the verdict of fact ``slot`` of story ``story``. ``why`` is the editor's note. A target
        that does not exist raises :class:`CorrectionError` (``missing``), as does one it cannot apply to.
        """
        editor, why = " ".join(str(editor or "").split()), str(why or "").strip()
        if not editor or len(editor) > 100:
            raise CorrectionError("say who corrects (an editor's name, up to 100 characters)")
        if not why or len(why) > 2000:
            raise CorrectionError("say why (a note of up to 2000 characters)")
        values: dict[str, Any] = {"kind": kind, "editor": editor, "why": why}
        dirty: set[str] = set()
        if kind == "merge":
            a, b = self._live(story), self._live(other)
            if a["id"] == b["id"]:
                raise CorrectionError(f"{story!r} and {other!r} are one story already")
            values |= {"story": a["id"], "other": b["id"], "articles": (*a["articles"], *b["articles"])}
        elif kind == "split":
            brief = self._live(story)
            if article not in brief["articles"]:
                raise CorrectionError(f"no article {article!r} in story {brief['id']!r}", missing=True)
            if len(brief["articles"]) < 2:
                raise CorrectionError(f"article {article!r} is the only one of story {brief['id']!r}")
            values |= {"story": brief["id"], "article": article}
            values["articles"] = tuple(a for a in brief["articles"] if a != article)
        elif kind == "unlink":
            briefs = [self._live(story)] if story else list(self.briefs())
            wanted = spelling_key(str(alias or ""))
            holding = [
                (b, e)
                for b in briefs
                for e in b.get("entities") or []
                if e["id"] == entity and wanted in {spelling_key(m["text"]) for m in e.get("mentions") or []}
            ]
            if not holding:
                where = f" in story {story!r}" if story else ""
                raise CorrectionError(f"no name {entity!r} written {alias!r}{where}", missing=True)
            if all({spelling_key(m["text"]) for m in e["mentions"]} == {wanted} for _, e in holding):
                raise CorrectionError(f"{alias!r} is the only spelling of {entity!r}: nothing to unlink")
            dirty |= {str(b["id"]) for b, _ in holding}
            values |= {"entity": entity, "alias": " ".join(str(alias).split())}
            if story:
                values |= {"story": holding[0][0]["id"], "articles": tuple(holding[0][1]["articles"])}
        elif kind == "verdict":
            brief = self._live(story)
            if mark not in ("checked", "wrong"):
                raise CorrectionError(f"mark a verdict 'checked' or 'wrong', not {mark!r}")
            fact = next((f for f in brief.get("facts") or [] if f["slot"] == slot), None)
            if fact is None:
                raise CorrectionError(f"no fact {slot!r} in story {brief['id']!r}", missing=True)
            reports = tuple((str(r["article"]), str(r["as_written"])) for r in fact.get("reports") or [])
            values |= {"story": brief["id"], "slot": slot, "mark": mark, "verdict": fact["verdict"]}
            values["reports"] = reports
            dirty.add(str(brief["id"]))
        else:
            raise CorrectionError(f"no correction {kind!r} (merge, split, unlink or verdict)")
        now = _now()
        with self._transaction() as db:
            (top,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM corrections").fetchone()
            correction = Correction(id=int(top) + 1, at=now, **values)
            db.execute(
                "INSERT INTO corrections (id, kind, data, at) VALUES (?,?,?,?)",
                (correction.id, kind, json.dumps(correction.to_dict(), ensure_ascii=False), now),
            )
            dirty |= self._enforce(db, now)
            db.executemany("UPDATE stories SET dirty = 1, changed = ? WHERE id = ?", [(now, d) for d in dirty])
        self.rebuild()
        return self.correction(correction.id) or correction, self._shaped_by(correction.id)

    def _shaped_by(self, correction_id: int) -> list[str]:
        """The live stories whose briefs list a correction."""
        return [
            str(r[0])
            for r in self.db.execute(
                "SELECT b.story FROM briefs b JOIN stories s ON s.id = b.story, json_each(b.data, '$.corrections') c "
                "WHERE s.merged_into IS NULL AND json_extract(c.value, '$.id') = ? ORDER BY s.seq",
                (correction_id,),
            )
        ]

    def withdraw(self, correction_id: int, editor: str) -> tuple[Correction, list[str]]:
        """Withdraw a correction (it is kept, marked withdrawn by whom and when); return it and the stories
        rebuilt without it. A withdrawn merge or split leaves the articles where they are until the next
        ``recluster`` groups them afresh."""
        editor = " ".join(str(editor or "").split())
        if not editor or len(editor) > 100:
            raise CorrectionError("say who withdraws it (an editor's name, up to 100 characters)")
        found = self.correction(correction_id)
        if found is None:
            raise CorrectionError(f"no correction {correction_id}", missing=True)
        if found.withdrawn:
            raise CorrectionError(f"correction {correction_id} was withdrawn on {found.withdrawn}")
        stories = self._shaped_by(correction_id)
        now = _now()
        gone = dataclasses.replace(found, withdrawn=now, withdrawn_by=editor)
        with self._transaction() as db:
            db.execute(
                "UPDATE corrections SET data = ?, withdrawn = ? WHERE id = ?",
                (json.dumps(gone.to_dict(), ensure_ascii=False), now, correction_id),
            )
            db.executemany("UPDATE stories SET dirty = 1, changed = ? WHERE id = ?", [(now, s) for s in stories])
        self.rebuild()
        return gone, stories

    def _enforce(self, db: sqlite3.Connection, now: str) -> set[str]:
        """Apply the editors' merges and splits to where the articles are; return the stories changed."""
        rows = db.execute("SELECT data FROM corrections WHERE withdrawn IS NULL AND kind IN ('merge', 'split')")
        membership = [Correction.from_dict(json.loads(data)) for (data,) in rows]
        if not membership:
            return set()
        before = {str(a): (str(s) if s else None) for a, s in db.execute("SELECT id, story FROM articles")}
        seniority = {str(i): abs(int(n)) for i, n in db.execute("SELECT id, seq FROM stories")}
        result = enforce(before, membership, seniority)
        moved = result.moved(before)
        if not moved:
            return set()
        minted: dict[str, str] = {}
        for target in sorted({s for s in moved.values() if s.startswith(NEW)}):
            (top,) = db.execute("SELECT COALESCE(MAX(ABS(seq)), -1) FROM stories").fetchone()
            story_id = f"story-{int(top) + 1}"
            db.execute(
                "INSERT INTO stories (id, seq, created, changed) VALUES (?,?,?,?)", (story_id, top + 1, now, now)
            )
            minted[target] = story_id
            split = self.correction(int(target[len(NEW) :]))
            if split is not None:  # the split's own story, which it goes back to while it is free
                data = json.dumps(dataclasses.replace(split, other=story_id).to_dict(), ensure_ascii=False)
                db.execute("UPDATE corrections SET data = ? WHERE id = ?", (data, split.id))
        moved = {a: minted.get(s, s) for a, s in moved.items()}
        db.executemany("UPDATE articles SET story = ? WHERE id = ?", [(s, a) for a, s in moved.items()])
        changed = {s for s in moved.values()} | {str(before[a]) for a in moved if before.get(a)}
        db.executemany(
            "UPDATE stories SET dirty = 1, changed = ?, merged_into = NULL WHERE id = ?",
            [(now, s) for s in sorted(set(moved.values()))],
        )
        for gone, into in result.merged:
            if not db.execute("SELECT 1 FROM articles WHERE story = ? LIMIT 1", (gone,)).fetchone():
                db.execute("UPDATE stories SET merged_into = ?, changed = ? WHERE id = ?", (into, now, gone))
                db.execute("DELETE FROM briefs WHERE story = ?", (gone,))
        db.executemany("UPDATE stories SET dirty = 1, changed = ? WHERE id = ?", [(now, s) for s in changed])
        self._clusterer = None  # the stream clusterer reopens the stories as the editors left them
        return changed

    # ------------------------------------------------------------------ reading

    def stories(self, since: dt.date | None = None) -> list[dict[str, Any]]:
        """Live stories (not merged away), newest change first: id, label, articles, first, last, changed."""
        rows = self.db.execute(
            "SELECT s.id, s.changed, b.data FROM stories s JOIN briefs b ON b.story = s.id "
            "WHERE s.merged_into IS NULL ORDER BY s.changed DESC, s.seq DESC"
        ).fetchall()
        out = []
        for _story_id, changed, data in rows:
            brief = json.loads(data)
            last = brief.get("last") or brief.get("first")
            if since is not None and last is not None and dt.date.fromisoformat(last) < since:
                continue
            out.append({k: brief[k] for k in ("id", "label", "articles", "first", "last")} | {"changed": changed})
        return out

    def brief(self, story_id: str) -> dict[str, Any] | None:
        """A story's brief (the briefs.json story object); a merged id gives the story it merged into."""
        seen = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self.db.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
            if row is None:
                return None
            if row[0] is None:
                break
            story_id = str(row[0])
        found = self.db.execute("SELECT data FROM briefs WHERE story = ?", (story_id,)).fetchone()
        return json.loads(found[0]) if found else None

    def document(
        self, since: dt.date | None = None, story: str | None = None, *, manifest: bool = True
    ) -> dict[str, Any]:
        """A briefs.json document of the stored stories (all, those active since a date, or one); without
        ``manifest`` its inputs are left out (a page of one story does not show them)."""
        chosen = [story] if story else [s["id"] for s in self.stories(since)]
        briefs = [b for b in (self.brief(s) for s in chosen) if b is not None]
        for b in briefs:
            b["history"] = self.history(b)
        briefs.sort(key=lambda b: (b.get("first") is None, b.get("first") or "", b["id"]))
        wanted = {a for b in briefs for a in b["articles"]}
        articles = []
        # one story's articles by their ids, not a pass over the store
        rows = self._articles_in("data", wanted) if story else self.db.execute(f"SELECT data FROM articles {_BY_DATE}")
        for (data,) in rows:
            article = Article.from_dict(json.loads(data))
            if article.id in wanted:
                articles.append(article_to_dict(article))
        inputs = []
        for row in (
            self.db.execute("SELECT input, record, status, reason, code, articles, warnings FROM inputs ORDER BY id")
            if manifest
            else ()
        ):
            ids = json.loads(row[5])
            if not story or set(ids) & wanted:
                inputs.append(
                    {
                        "input": row[0],
                        "record": row[1],
                        "status": row[2],
                        "reason": row[3],
                        "code": row[4],
                        "articles": ids,
                        "warnings": json.loads(row[6]),
                    }
                )
        out = {
            "schema_version": SCHEMA_VERSION,
            "made_by": made_by(),
            "manifest": {"inputs": inputs},
            "articles": articles,
            "stories": briefs,
            "notes": [],
        }
        if not story:  # every correction, withdrawn ones too (a story lists those that shaped it)
            out["corrections"] = [c.to_dict() for c in self.corrections()]
        return out

    # ------------------------------------------------------------------ feeds (``watch``)

    def feed(self, url: str) -> dict[str, Any] | None:
        """A polled feed's validators and record: etag, last_modified, last_poll, last_status, failures."""
        keys = ("etag", "last_modified", "last_poll", "last_status", "last_reason", "failures", "entries")
        row = self.db.execute(f"SELECT {', '.join(keys)} FROM feeds WHERE url = ?", (url,)).fetchone()
        return dict(zip(keys, row, strict=True)) if row else None

    def feeds(self) -> list[dict[str, Any]]:
        """Every polled feed, with how its last poll went."""
        urls = [str(url) for (url,) in self.db.execute("SELECT url FROM feeds ORDER BY url")]
        return [{"url": url, **(self.feed(url) or {})} for url in urls]

    def entry_hash(self, feed: str, link: str) -> str | None:
        """The hash of what ``feed`` last said of the entry at ``link`` (None: it never gave it)."""
        row = self.db.execute("SELECT sha256 FROM feed_entries WHERE feed = ? AND link = ?", (feed, link)).fetchone()
        return str(row[0]) if row else None

    def polled(
        self,
        url: str,
        status: str,
        *,
        reason: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        entries: Sequence[tuple[str, str, str | None]] = (),
    ) -> None:
        """Record a poll of ``url`` once what it brought is stored: its validators (kept when the answer
        has none), the entries seen ``(link, hash, article id)``; a failure counts one more in a row."""
        now = _now()
        with self._transaction() as db:
            old = self.feed(url)
            failures = (int(old["failures"]) if old else 0) + 1 if status == "failed" else 0
            keep_etag, keep_modified = etag, last_modified  # a fetch brings its own (or none)
            if status != "fetched" and old:  # a 304 or a failure keeps what the last fetch gave
                keep_etag, keep_modified = etag or old["etag"], last_modified or old["last_modified"]
            db.execute(
                "INSERT INTO feeds (url, etag, last_modified, last_poll, last_status, last_reason, failures, entries) "
                "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, last_poll = excluded.last_poll, "
                "last_status = excluded.last_status, last_reason = excluded.last_reason, "
                "failures = excluded.failures, entries = excluded.entries",
                (url, keep_etag, keep_modified, now, status, reason, failures, len(entries)),
            )
            db.executemany(
                "INSERT INTO feed_entries (feed, link, sha256, article, seen) VALUES (?,?,?,?,?) "
                "ON CONFLICT(feed, link) DO UPDATE SET sha256 = excluded.sha256, "
                "article = COALESCE(excluded.article, feed_entries.article), seen = excluded.seen",
                [(url, link, sha, article, now) for link, sha, article in entries],
            )

    def live_story_ids(self) -> set[str]:
        """Ids of the stories not merged away."""
        return {str(r[0]) for r in self.db.execute("SELECT id FROM stories WHERE merged_into IS NULL")}

    def story_rows(self, changed_since: str | None = None) -> list[dict[str, Any]]:
        """Live stories for a list, newest change first, read without parsing the briefs: id, label,
        first, last, created, changed, articles, outlets (names), conflicts (facts in conflict), seq;
        with ``changed_since``, only the stories changed at or after that time."""
        since = "" if changed_since is None else " AND s.changed >= ?"
        rows = self.db.execute(
            "SELECT s.id, s.created, s.changed, json_extract(b.data, '$.label'), json_extract(b.data, '$.first'), "
            "json_extract(b.data, '$.last'), "
            "(SELECT COUNT(*) FROM json_each(b.data, '$.facts') f "
            " WHERE json_extract(f.value, '$.verdict') = 'conflicting'), "
            "(SELECT COUNT(*) FROM articles a WHERE a.story = s.id), "
            "(SELECT json_group_array(DISTINCT json_extract(a.data, '$.outlet')) FROM articles a "
            "WHERE a.story = s.id), "
            "s.seq FROM stories s JOIN briefs b ON b.story = s.id WHERE s.merged_into IS NULL" + since + " "
            "ORDER BY s.changed DESC, s.seq DESC",
            () if changed_since is None else (changed_since,),
        ).fetchall()
        keys = ("id", "created", "changed", "label", "first", "last", "conflicts", "articles")
        return [
            dict(zip(keys, row[:8], strict=True))
            | {"outlets": sorted(o for o in json.loads(row[8]) if o), "seq": row[9]}
            for row in rows
        ]

    def _articles_in(self, columns: str, ids: Iterable[str]) -> sqlite3.Cursor:
        """``columns`` of some articles, in the order of a document (by date, undated last, then id)."""
        return self.db.execute(
            f"SELECT {columns} FROM articles WHERE id IN (SELECT value FROM json_each(?)) {_BY_DATE}",
            (json.dumps(sorted(set(ids))),),
        )

    def story_order(self, story_id: str) -> list[str]:
        """A story's article ids in the order of its document."""
        return [str(r[0]) for r in self._articles_in("id", (self.brief(story_id) or {}).get("articles") or [])]

    def history(self, brief: Mapping[str, Any]) -> list[dict[str, Any]]:
        """How a stored story grew (``history.story_history``)."""
        return story_history(brief, self.arrivals(str(brief["id"])))

    def outlets(self) -> dict[str, str | None]:
        """Every stored article's outlet, by article id."""
        return {str(i): o for i, o in self.db.execute("SELECT id, json_extract(data, '$.outlet') FROM articles")}

    def changes(self) -> tuple[Any, ...]:
        """What changes when a story is added, rebuilt or merged, or an article revised (cheap to ask)."""
        return tuple(
            self.db.execute(
                "SELECT COUNT(*), MAX(changed), SUM(merged_into IS NULL), (SELECT MAX(rowid) FROM revisions) "
                "FROM stories"
            ).fetchone()
        )

    def titles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Titles of some articles (the id where there is none)."""
        return {str(i): str(t or i) for i, t in self._articles_in("id, json_extract(data, '$.title')", article_ids)}

    def article(self, article_id: str) -> dict[str, Any] | None:
        """A stored article: its ``briefs.json`` article object, its story, when it was first seen and last
        changed, and its earlier revisions (oldest first, each the article object it was)."""
        row = self.db.execute(
            "SELECT data, story, first_seen, last_changed FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        revisions = [
            {"replaced_at": at, "article": article_to_dict(Article.from_dict(json.loads(data)))}
            for data, at in self.db.execute(
                "SELECT data, replaced_at FROM revisions WHERE article = ? ORDER BY id", (article_id,)
            )
        ]
        return {
            "article": article_to_dict(Article.from_dict(json.loads(row[0]))),
            "story": row[1],
            "first_seen": row[2],
            "last_changed": row[3],
            "revisions": revisions,
        }

    def arrivals(self, story_id: str) -> list[dict[str, Any]]:
        """A story's articles in the order the store got them: id, outlet, published, first seen."""
        return [
            {"id": r[0], "outlet": r[1], "published": r[2], "first_seen": r[3]}
            for r in self.db.execute(
                "SELECT id, json_extract(data, '$.outlet'), published, first_seen FROM articles "
                "WHERE story = ? ORDER BY first_seen, rowid",
                (story_id,),
            )
        ]

    def briefs(self) -> Iterator[dict[str, Any]]:
        """Every live story's brief."""
        for (data,) in self.db.execute(
            "SELECT b.data FROM briefs b JOIN stories s ON s.id = b.story WHERE s.merged_into IS NULL ORDER BY s.seq"
        ):
            yield json.loads(data)

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Article ids whose title or text match an FTS5 query, best first."""
        return [str(hit["id"]) for hit in self.search_hits(query, limit)]

    def search_hits(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Articles matching an FTS5 query, best first: id, story, title and a snippet of the text whose
        matched words are wrapped in ``SNIPPET_MARKS`` (private-use characters a page turns into highlights)."""
        try:
            rows = self.db.execute(
                "SELECT f.id, a.story, f.title, snippet(articles_fts, 2, ?, ?, '…', 24) "
                "FROM articles_fts f JOIN articles a ON a.id = f.id WHERE articles_fts MATCH ? "
                "ORDER BY f.rank LIMIT ?",
                (*SNIPPET_MARKS, query, limit),
            ).fetchall()
        except sqlite3.OperationalError as error:
            raise StoreError(f"search {query!r}: {error}") from None
        return [{"id": r[0], "story": r[1], "title": r[2], "snippet": r[3]} for r in rows]

    def stats(self) -> dict[str, Any]:
        """Articles, stories, outlets, revisions and inputs by status."""

        def one(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        statuses = dict(self.db.execute("SELECT status, COUNT(*) FROM inputs GROUP BY status").fetchall())
        return {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "stories": one("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL"),
            "merged stories": one("SELECT COUNT(*) FROM stories WHERE merged_into IS NOT NULL"),
            "outlets": one("SELECT COUNT(DISTINCT json_extract(data, '$.outlet')) FROM articles"),
            "revisions": one("SELECT COUNT(*) FROM revisions"),
            "inputs": statuses,
            "last added": self.db.execute("SELECT MAX(at) FROM inputs").fetchone()[0],
            "feeds": self.feeds(),
        }
