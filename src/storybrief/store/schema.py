"""The store's SQLite layout, its version and its migrations.

``SCHEMA`` creates a store at ``VERSION``; ``MIGRATIONS[n]`` takes a store from
version ``n`` to ``n + 1``. A store from a newer storybrief is refused.
"""

from __future__ import annotations

import sqlite3

#: Version of the store's layout (not of briefs.json).
VERSION = 3

#: Version 2: what ``watch`` keeps between polls.
_FEEDS = """
CREATE TABLE feeds (                  -- each polled feed: its validators and how its last poll went
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_poll TEXT,
    last_status TEXT,                 -- fetched, not-modified, failed
    last_reason TEXT,
    failures INTEGER NOT NULL DEFAULT 0,  -- failed polls in a row
    entries INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE feed_entries (           -- each entry a feed gave: its link and the hash of what the feed said
    feed TEXT NOT NULL,
    link TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    article TEXT,
    seen TEXT NOT NULL,
    PRIMARY KEY (feed, link)
);
"""

#: Version 3: editors' corrections, kept apart from what storybrief found and applied at every rebuild.
_CORRECTIONS = """
CREATE TABLE corrections (            -- each correction as the model's Correction, as JSON
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,               -- merge, split, unlink, verdict
    data TEXT NOT NULL,
    at TEXT NOT NULL,
    withdrawn TEXT
);
"""

SCHEMA = (
    """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE inputs (                 -- every input ever offered, and what became of it
    id INTEGER PRIMARY KEY,
    input TEXT NOT NULL,
    record INTEGER,
    status TEXT NOT NULL,             -- used, skipped, unchanged, updated (feeds: fetched, not-modified, failed)
    code TEXT,
    reason TEXT,
    articles TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    at TEXT NOT NULL
);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,      -- the stream clusterer's id of the story
    merged_into TEXT REFERENCES stories(id),
    dirty INTEGER NOT NULL DEFAULT 0, -- its members changed; its brief is rebuilt after the batches
    created TEXT NOT NULL,
    changed TEXT NOT NULL
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    input TEXT,
    record INTEGER,
    raw_sha256 TEXT NOT NULL,
    data TEXT NOT NULL,               -- every field of the Article, as JSON
    published TEXT,
    story TEXT REFERENCES stories(id),
    first_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL
);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_source ON articles(input, record);
CREATE INDEX articles_raw ON articles(raw_sha256);
CREATE INDEX articles_story ON articles(story);
CREATE TABLE revisions (              -- an article's earlier text, kept when an update replaces it
    id INTEGER PRIMARY KEY,
    article TEXT NOT NULL REFERENCES articles(id),
    data TEXT NOT NULL,
    replaced_at TEXT NOT NULL
);
CREATE TABLE vectors (                -- what clustering needs of an article (terms, names, embedding)
    article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    embedding BLOB
);
CREATE TABLE parses (                 -- the spaCy parse, so a brief is rebuilt without parsing again
    article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    doc BLOB
);
CREATE TABLE briefs (                 -- each story's brief as the briefs.json story object
    story TEXT PRIMARY KEY REFERENCES stories(id),
    data TEXT NOT NULL,
    built TEXT NOT NULL
);
CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title, text);
"""
    + _FEEDS
    + _CORRECTIONS
)

#: version n -> the statements that take a store to version n + 1.
MIGRATIONS: dict[int, str] = {1: _FEEDS, 2: _CORRECTIONS}


class StoreVersionError(Exception):
    """A store written by a newer storybrief than this one."""


def prepare(connection: sqlite3.Connection) -> None:
    """Create the layout in an empty store, migrate an older one, refuse a newer one."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        with connection:
            connection.executescript("BEGIN;" + SCHEMA + f"INSERT INTO schema_version VALUES ({VERSION}); COMMIT;")
        return
    (version,) = connection.execute("SELECT version FROM schema_version").fetchone()
    if version > VERSION:
        raise StoreVersionError(f"written by a newer storybrief (store layout {version}; this one reads {VERSION})")
    while version < VERSION:
        connection.executescript(
            "BEGIN;" + MIGRATIONS[version] + f"UPDATE schema_version SET version = {version + 1}; COMMIT;"
        )
        version += 1
