"""The store: unchanged, updated and new articles, stable story ids, export, search, versions, bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybrief.cli import app
from storybrief.report import schema
from storybrief.store import Store, StoreError

FERRY = (
    "A ferry carrying 40 passengers sank in a storm on Lake Orlen on Monday, and rescuers pulled 31 people from the"
    " water, the harbour authority said. Nine passengers are missing. The ferry had left Tarsk at dawn and was due"
    " in Velm by noon, the operator said. Divers will search the wreck on Tuesday."
)
FIRE = (
    "A fire destroyed a textile warehouse in the port of Kessa on Wednesday, and 200 workers were sent home, the"
    " city fire service said. No one was hurt. Firefighters fought the blaze for six hours, the service said."
)


def _write(folder: Path, name: str, title: str, text: str, date: str, url: str | None = None) -> Path:
    row = {"id": name, "title": title, "text": text, "date": date, "outlet": f"Outlet {name}"}
    if url:
        row["url"] = url
    path = folder / f"{name}.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def two_ferries_and_a_fire(folder: Path) -> None:
    """Two reports of one ferry sinking (the first with a URL) and one of a fire elsewhere."""
    _write(folder, "f1", "Ferry sinks on Lake Orlen", FERRY, "2026-03-02", "https://example.org/f1")
    _write(
        folder,
        "f2",
        "Nine missing after ferry sinks on Lake Orlen",
        FERRY.replace("pulled 31", "rescued 31"),
        "2026-03-02",
    )
    _write(folder, "w1", "Fire destroys warehouse in Kessa", FIRE, "2026-03-04")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    return tmp_path / "in"


def test_add_twice_then_update_and_export(folder: Path, tmp_path: Path) -> None:
    two_ferries_and_a_fire(folder)
    db = tmp_path / "s.db"
    with Store(db) as store:
        first = store.add([str(folder)])
        assert (first.new, first.unchanged, first.updated) == (3, 0, 0)
        ids = {s["id"]: set(s["articles"]) for s in store.stories()}
        assert sorted(map(len, ids.values())) == [1, 2]  # the ferry reports together, the fire apart
    with Store(db) as store:  # reopened: the stream state comes back from the store
        again = store.add([str(folder)])
        assert (again.new, again.unchanged, again.rebuilt) == (0, 3, ())
        # the same URL with new content is an update of the stored article; its story is rebuilt
        _write(
            folder,
            "f1",
            "Ferry sinks on Lake Orlen; toll rises",
            FERRY.replace("Nine", "Eleven"),
            "2026-03-03",
            "https://example.org/f1",
        )
        third = store.add([str(folder / "f1.jsonl")])
        assert (third.new, third.updated) == (0, 1)
        ferry_story = next(k for k, v in ids.items() if "f1" in v)
        assert third.rebuilt == (ferry_story,)
        assert {s["id"] for s in store.stories()} == set(ids)  # ids are stable
        # a later report joins the existing story under its id
        _write(folder, "f3", "Divers search ferry wreck on Lake Orlen", FERRY.replace("Monday", "Sunday"), "2026-03-03")
        fourth = store.add([str(folder / "f3.jsonl")])
        assert fourth.stories["f3"] == ferry_story and fourth.rebuilt == (ferry_story,)
        assert store.stats()["revisions"] == 1
        assert "Eleven" in json.dumps(store.brief(ferry_story))
        assert store.search("warehouse") == ["w1"]
        document = store.document()
    import jsonschema

    jsonschema.validate(document, schema())
    statuses = {e["status"] for e in document["manifest"]["inputs"]}
    assert {"used", "unchanged", "updated"} <= statuses
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["export", "--store", str(db), "-o", str(out), "--story", ferry_story])
    assert result.exit_code == 0, result.output
    exported = json.loads((out / "briefs.json").read_text())
    assert [s["id"] for s in exported["stories"]] == [ferry_story]
    assert (out / "briefs.md").is_file() and "<script>" in (out / "briefs.html").read_text()


def test_bad_input_is_recorded_not_dropped(folder: Path, tmp_path: Path) -> None:
    _write(folder, "f1", "Ferry sinks on Lake Orlen", FERRY, "2026-03-02")
    (folder / "empty.txt").write_text("")
    (folder / "broken.jsonl").write_text('{"id": "x", "text": \n')
    with Store(tmp_path / "s.db") as store:
        result = store.add([str(folder)])
        assert result.new == 1 and result.skipped == 2
        rows = store.db.execute("SELECT input, status, reason FROM inputs WHERE status = 'skipped'").fetchall()
    assert len(rows) == 2 and all(reason for _, _, reason in rows)


def test_a_newer_store_is_refused_and_junk_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError, match="newer storybrief"):
        Store(path)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all, just text" * 10)
    with pytest.raises(StoreError, match="not a storybrief store"):
        Store(junk)
    result = CliRunner().invoke(app, ["stats", "--store", str(path)])
    assert result.exit_code == 2 and "newer storybrief" in result.output and "Traceback" not in result.output


def test_store_pragmas(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_recluster_merges_back_under_the_older_id(folder: Path, tmp_path: Path) -> None:
    two_ferries_and_a_fire(folder)
    with Store(tmp_path / "s.db") as store:
        store.add([str(folder)])
        ferry = next(s["id"] for s in store.stories() if "f1" in s["articles"])
        # the stream put f2 apart (simulated): a newer story holds it alone
        store.db.execute("INSERT INTO stories (id, seq, created, changed) VALUES ('story-90', 90, 'x', 'x')")
        store.db.execute("UPDATE articles SET story = 'story-90' WHERE id = 'f2'")
        result = store.recluster(days=None)
        assert result["merged"] == 1 and result["changed"] >= 1
        by_article = {a: s["id"] for s in store.stories() for a in s["articles"]}
        assert by_article["f1"] == by_article["f2"] == ferry  # the older id survives
        assert store.brief("story-90")["id"] == ferry  # the merged id leads to the survivor
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = CliRunner().invoke(app, ["recluster", "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 0 and "changed 0" in result.output


def test_a_store_of_layout_1_is_migrated(tmp_path: Path) -> None:
    from storybrief.store import schema

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # what storybrief wrote before feeds were polled
        layout_1 = schema.SCHEMA.replace(schema.MIGRATIONS[1], "").replace(schema.MIGRATIONS[2], "")
        db.executescript(layout_1 + "INSERT INTO schema_version VALUES (1);")
        db.execute("INSERT INTO inputs (input, status, at) VALUES ('old.txt', 'used', '2026-01-01T00:00:00Z')")
    with Store(path) as store:
        assert store.db.execute("SELECT version FROM schema_version").fetchone()[0] == schema.VERSION == 3
        assert store.corrections() == []  # layout 3: corrections
        assert store.feed("https://example.org/a.xml") is None and store.feeds() == []
        store.polled("https://example.org/a.xml", "fetched", etag='"x"', entries=[("https://example.org/1", "h", None)])
        assert (store.feed("https://example.org/a.xml") or {})["etag"] == '"x"'
        assert store.entry_hash("https://example.org/a.xml", "https://example.org/1") == "h"
        assert store.stats()["inputs"] == {"used": 1}


def test_a_stored_article_vector_keeps_what_clustering_compares() -> None:
    from storybrief import Article
    from storybrief.cluster.features import vectorize
    from storybrief.store.store import _vector_from, _vector_json

    text = "A ferry sank off Kessa on Saturday, killing 12 people. Halvard Lines to buy Kestrel Ferries."
    vector = vectorize(Article(id="a", text=text, paragraphs=((0, len(text)),), language="en"))
    again = _vector_from(_vector_json(vector), None)
    assert (again.weekday, again.deals, again.names, again.numbers) == (5, vector.deals, vector.names, vector.numbers)
    older = json.loads(_vector_json(vector))
    del older["weekday"]  # a store written before weekdays were kept
    assert _vector_from(json.dumps(older), None).weekday is None
