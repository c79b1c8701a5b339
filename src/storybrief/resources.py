"""Heavy resources, loaded lazily, once per process, in this one place.

Nothing loads at import time. Each loader caches its result; :func:`reset`
drops the caches (for tests).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

_LOCK = threading.Lock()


@cache
def language_identifier() -> Any:
    """The py3langid identifier with normalised probabilities (model ships in the package)."""
    with _LOCK:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # noqa: PLC0415

        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def reset() -> None:
    """Forget every loaded resource."""
    language_identifier.cache_clear()
