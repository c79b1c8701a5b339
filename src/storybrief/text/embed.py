"""Sentence embeddings (all-MiniLM-L6-v2), computed once per text and cached.

The encoder loads lazily through :mod:`storybrief.resources`. Every text is
embedded at most once per process (an in-memory cache keyed by a hash of the
text); the run's :class:`~storybrief.text.cache.Cache`, when there is one
(:func:`storybrief.text.cache.using`), keeps them on disk for later runs.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Sequence

import numpy as np

from . import cache, resources

DIMENSIONS = 384
_MEMORY: dict[str, np.ndarray] = {}
#: Embeddings kept in memory at most (about 1.6 KB each); the oldest go first. A text asked for again
#: after that is read from the run's cache on disk, or embedded again.
MEMORY_LIMIT = 50_000
_LOCK = threading.Lock()


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", errors="replace"), digest_size=16).hexdigest()


def embed(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (empty text gives a zero row)."""
    keys = [_key(t) for t in texts]
    disk = cache.active()
    unknown: list[str] = []  # keys the disk cache has not been asked about
    if disk is not None:
        version = resources.encoder_version()
        unknown = list(dict.fromkeys(k for k, t in zip(keys, texts, strict=True) if t.strip() and k not in disk.known))
        stored = disk.vectors(cache.digest(version, k) for k in unknown)
        with _LOCK:
            for k in unknown:
                vector = stored.get(cache.digest(version, k))
                if vector is not None and vector.shape == (DIMENSIONS,):
                    _MEMORY.setdefault(k, vector)  # what this process embedded already stays as it was
                    disk.known.add(k)
    missing = dict(sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in _MEMORY and t.strip()}.items()))
    if missing:
        model = resources.sentence_encoder()
        with resources.encoder_precision():
            vectors = model.encode(
                list(missing.values()), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        vectors = np.asarray(vectors, dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        with _LOCK:
            for k, v in zip(missing, vectors, strict=True):
                _MEMORY[k] = v
    if disk is not None:
        new = [k for k in unknown if k not in disk.known and k in _MEMORY]
        disk.put_vectors({cache.digest(version, k): _MEMORY[k] for k in new})
        disk.known.update(new)
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, k in enumerate(keys):
        vector = _MEMORY.get(k)
        if vector is not None:
            out[i] = vector
    if len(_MEMORY) > MEMORY_LIMIT:
        _forget_oldest(len(_MEMORY) - MEMORY_LIMIT + MEMORY_LIMIT // 10)
    return out


def _forget_oldest(count: int) -> None:
    with _LOCK:
        for key in list(itertools.islice(_MEMORY, count)):
            del _MEMORY[key]


def reset_lock() -> None:
    """A new lock (in a forked process: the parent's may have been held by another thread)."""
    global _LOCK  # noqa: PLW0603
    _LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget the in-memory cache (for tests)."""
    with _LOCK:
        _MEMORY.clear()
