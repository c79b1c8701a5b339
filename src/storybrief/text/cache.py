"""A cache on disk of what costs most to compute again: spaCy parses, sentence embeddings, story briefs
and what clustering reads of an article.

One SQLite file holds them. A parse is keyed by a hash of the article's clean
text, the spaCy and model versions, the annotations asked for and the source
of the code that makes a parse (:mod:`.nlp`, :mod:`.sentences`: :func:`source_version`); an embedding
by a hash of the text, the encoder and how it runs; a story's brief and an
article's features by what the caller says they depend on (``briefing.reuse``). A change
to any of them is a new key, so a stale entry is never read, only left unused.
A second run over the same articles (or the same plus a few new ones) reads
what it made before instead of computing it again.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path

import numpy as np

#: The file a cache keeps in its folder.
FILENAME = "cache.sqlite"
_ACTIVE: contextvars.ContextVar[Cache | None] = contextvars.ContextVar("storybrief_cache", default=None)
_CHUNK = 500  # keys per SQL query (SQLite allows some thousands of parameters)
_log = logging.getLogger(__name__)
_INHERITED: list[sqlite3.Connection] = []  # see Cache.after_fork


def digest(*parts: str) -> str:
    """A short hash of the parts, in order."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", errors="replace"))
        h.update(b"\x00")
    return h.hexdigest()


@cache
def source_version(*parts: str) -> str:
    """A hash of the source of this package's modules and folders named (``"text/nlp.py"``, ``"briefing"`` …),
    relative to the package."""
    root = Path(__file__).resolve().parent.parent
    files: list[Path] = []
    for part in parts:
        path = root / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return digest(*(f"{f.relative_to(root).as_posix()}\n{f.read_text(encoding='utf-8')}" for f in files))


class Cache:
    """Parses (spaCy ``Doc`` bytes) and embeddings (float32 rows) on disk, in ``folder``/cache.sqlite.

    A cache never stops a run: when its file cannot be opened, read or
    written (a read-only folder, a damaged file), it says so once in the log
    and works as an empty cache from then on.
    """

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILENAME
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._broken = False
        #: Embedding keys (of :mod:`.embed`) known to be on disk: not asked about again.
        self.known: set[str] = set()
        self.hits = {"parse": 0, "embedding": 0, "brief": 0, "features": 0}
        self.misses = {"parse": 0, "embedding": 0, "brief": 0, "features": 0}

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # other processes of the same run write to the same file: wait for their writes
            db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS parse (key TEXT PRIMARY KEY, doc BLOB NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS brief (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
            self._db = db
        return self._db

    def _fail(self, error: sqlite3.Error | OSError) -> None:
        if not self._broken:
            _log.warning("cache %s not used: %s", self.path, error)
        self._broken = True

    def _get(self, table: str, column: str, keys: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(keys))
        out: dict[str, bytes] = {}
        with self._lock:
            try:
                db = None if self._broken else self._connection()
                for start in range(0, len(wanted) if db else 0, _CHUNK):
                    chunk = wanted[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT key, {column} FROM {table} WHERE key IN ({marks})"
                    out.update(db.execute(query, chunk).fetchall())  # type: ignore[union-attr]
            except (sqlite3.Error, OSError) as error:
                self._fail(error)
                out = {}
        self.hits[table] += len(out)
        self.misses[table] += len(wanted) - len(out)
        return out

    def _put(self, table: str, rows: Mapping[str, bytes]) -> None:
        if not rows:
            return
        with self._lock:
            if self._broken:
                return
            try:
                db = self._connection()
                with db:
                    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows.items())
            except (sqlite3.Error, OSError) as error:
                self._fail(error)

    def docs(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored parses of these keys (those there are)."""
        return self._get("parse", "doc", keys)

    def put_docs(self, docs: Mapping[str, bytes]) -> None:
        self._put("parse", docs)

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored embeddings of these keys (those there are)."""
        return {k: np.frombuffer(v, dtype=np.float32).copy() for k, v in self._get("embedding", "vector", keys).items()}

    def put_vectors(self, vectors: Mapping[str, np.ndarray]) -> None:
        self._put("embedding", {k: np.asarray(v, dtype=np.float32).tobytes() for k, v in vectors.items()})

    def briefs(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored story briefs of these keys (those there are), as the caller stored them."""
        return self._get("brief", "data", keys)

    def put_briefs(self, briefs: Mapping[str, bytes]) -> None:
        self._put("brief", briefs)

    def features(self, keys: Iterable[str]) -> dict[str, bytes]:
        """What clustering read of articles (see ``briefing.reuse``), stored under these keys."""
        return self._get("features", "data", keys)

    def put_features(self, rows: Mapping[str, bytes]) -> None:
        self._put("features", rows)

    def after_fork(self) -> None:
        """In a forked process: a connection of its own from now on (SQLite's cannot cross a fork).

        The inherited one is kept, never used or closed: closing it here could
        end the parent's locks or write-ahead log.
        """
        if self._db is not None:
            _INHERITED.append(self._db)
        self._db = None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def active() -> Cache | None:
    """The cache the current run uses (see :func:`using`), if any."""
    return _ACTIVE.get()


@contextlib.contextmanager
def using(store: Cache | None) -> Iterator[Cache | None]:
    """Within the block, :func:`~storybrief.text.embed.embed` (and whoever asks :func:`active`) uses ``store``."""
    token = _ACTIVE.set(store)
    try:
        yield store
    finally:
        _ACTIVE.reset(token)
