"""Sentence embeddings (all-MiniLM-L6-v2), computed once per text and cached.

The encoder loads lazily through :mod:`storybrief.resources`. Every text is
embedded at most once per process (an in-memory cache keyed by a hash of the
text); ``cache_dir`` adds a cache on disk that later runs reuse.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import resources

DIMENSIONS = 384
_MEMORY: dict[str, np.ndarray] = {}
_LOCK = threading.Lock()


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", errors="replace"), digest_size=16).hexdigest()


def embed(texts: Sequence[str], *, cache_dir: Path | None = None, batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (empty text gives a zero row)."""
    keys = [_key(t) for t in texts]
    disk = _load_disk(cache_dir) if cache_dir else {}
    missing = sorted(
        {k: t for k, t in zip(keys, texts, strict=True) if k not in _MEMORY and k not in disk and t.strip()}.items()
    )
    if missing:
        model = resources.sentence_encoder()
        with resources.encoder_precision():
            vectors = model.encode(
                [t for _, t in missing], batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        vectors = np.asarray(vectors, dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        with _LOCK:
            for (k, _), v in zip(missing, vectors, strict=True):
                _MEMORY[k] = v
        if cache_dir:
            _save_disk(cache_dir, {k: _MEMORY[k] for k, _ in missing})
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, k in enumerate(keys):
        vector = _MEMORY.get(k)
        if vector is None:
            vector = disk.get(k)
        if vector is not None:
            out[i] = vector
    return out


def clear_cache() -> None:
    """Forget the in-memory cache (for tests)."""
    with _LOCK:
        _MEMORY.clear()


def _load_disk(cache_dir: Path) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for path in sorted(cache_dir.glob("embeddings-*.npz")):
        with np.load(path) as data:
            for key in data.files:
                out[key] = data[key]
    return out


def _save_disk(cache_dir: Path, vectors: dict[str, np.ndarray]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    name = hashlib.blake2b("".join(sorted(vectors)).encode(), digest_size=8).hexdigest()
    np.savez(cache_dir / f"embeddings-{name}.npz", **vectors)  # type: ignore[arg-type]
