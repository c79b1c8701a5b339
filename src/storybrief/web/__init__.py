"""The web app: ``storybrief serve`` over a store (pages, JSON API, Atom feeds); see ``app.py``."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
