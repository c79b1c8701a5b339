"""The persistent store: articles, stories and their briefs in one SQLite file (see ``store.py``)."""

from __future__ import annotations

from .schema import VERSION
from .store import AddResult, CorrectionError, Store, StoreError

__all__ = ["VERSION", "AddResult", "CorrectionError", "Store", "StoreError"]
