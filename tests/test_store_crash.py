"""Crash safety and concurrent reading of the store, on generated short articles (fixed seeds)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

#: A child that adds a file to a store with the cheap options (no embeddings): the store is under test, not the models.
ADD = """
import sys
from storybrief import BriefOptions, ClusterOptions, SummaryOptions, Store
options = BriefOptions(cluster=ClusterOptions(embeddings=False), summary=SummaryOptions(embeddings=False))
with Store(sys.argv[1], options) as store:
    store.add([sys.argv[2]])
"""


def _syllables(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("bdgklmnprstvz") + rng.choice("aeiou") for _ in range(n)).title()


def generated(path: Path, count: int = 2000, per_story: int = 5, seed: int = 11) -> Path:
    """Invented short reports: each event (a made-up town, a happening, a count) told by a few outlets."""
    rng = random.Random(seed)
    happenings = [
        "a ferry sank",
        "a warehouse burned",
        "a bridge collapsed",
        "a storm flooded the port",
        "a mine shaft caved in",
        "a train left the rails",
        "a dam overflowed",
        "a market caught fire",
    ]
    rows = []
    for i in range(count):
        event = i // per_story
        erng = random.Random(seed * 100_003 + event)
        town, official = _syllables(erng, 3), f"{_syllables(erng, 2)} {_syllables(erng, 3)}"
        what, n = erng.choice(happenings), erng.randint(3, 400)
        day = 1 + event % 27
        text = (
            f"In {town}, {what} on the {day}th, and {n + rng.randint(0, 2)} people were hurt, said {official}. "
            f"Crews from {town} and {_syllables(erng, 2)} worked overnight. {official} said more help would come. "
            f"Outlet {i % per_story} spoke to residents of {town}."
        )
        rows.append(
            {
                "id": f"g{i:05d}",
                "title": f"{what.capitalize()} in {town}",
                "text": text,
                "date": f"2026-03-{day:02d}",
                "outlet": f"Outlet {i % per_story}",
            }
        )
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _consistent(db_path: Path) -> int:
    """Integrity check passes and every stored article is whole: its vector, its parse, its story. Returns the count."""
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        whole = db.execute(
            "SELECT COUNT(*) FROM articles a JOIN vectors v ON v.article = a.id JOIN parses p ON p.article = a.id "
            "JOIN stories s ON s.id = a.story"
        ).fetchone()[0]
        used = db.execute("SELECT COUNT(*) FROM inputs WHERE status = 'used'").fetchone()[0]
        assert whole == articles and used == articles  # nothing half stored, nothing recorded twice
        return int(articles)


def _stored(db_path: Path) -> int:
    """Articles stored so far (0 while the store does not exist or is being created)."""
    if not db_path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_add_survives_sigkill(tmp_path: Path) -> None:
    source = generated(tmp_path / "articles.jsonl")
    store = tmp_path / "s.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    rng = random.Random(5)
    seen = []
    for _ in range(5):
        child = subprocess.Popen([sys.executable, "-c", ADD, str(store), str(source)], env=env)
        # killed at a random moment after this child stored its first batch (or after 60 s), whatever the
        # machine's speed: the store must be whole wherever the kill lands, mid-batch included
        before = _stored(store)
        deadline = time.monotonic() + 60
        while _stored(store) <= before and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(rng.uniform(0.0, 3.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if store.exists():
            seen.append(_consistent(store))
    assert seen and max(seen) > 0  # some kills landed after batches were stored
    done = subprocess.run([sys.executable, "-c", ADD, str(store), str(source)], env=env, timeout=300, check=False)
    assert done.returncode == 0
    assert _consistent(store) == 2000
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM stories WHERE dirty = 1").fetchone()[0] == 0
        assert (
            db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0]
            == db.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
        )


READ = """
import sys, time
from storybrief import Store
deadline = time.time() + float(sys.argv[2])
reads = 0
with Store(sys.argv[1]) as store:
    while time.time() < deadline:
        for story in store.stories()[:20]:
            store.brief(story["id"])
        store.stats()
        reads += 1
print(reads)
"""


def test_a_reader_runs_while_a_writer_adds(tmp_path: Path) -> None:
    source = generated(tmp_path / "articles.jsonl", count=2000, seed=3)
    store = tmp_path / "s.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    from storybrief import Store

    Store(store).close()  # the reader opens an existing store
    writer = subprocess.Popen([sys.executable, "-c", ADD, str(store), str(source)], env=env, stderr=subprocess.PIPE)
    reader = subprocess.run(
        [sys.executable, "-c", READ, str(store), "20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    _, writer_err = writer.communicate(timeout=300)
    assert reader.returncode == 0, reader.stderr
    assert writer.returncode == 0, writer_err
    assert "locked" not in reader.stderr + writer_err.decode()
    assert int(reader.stdout.strip()) > 0
    assert _consistent(store) == 2000
