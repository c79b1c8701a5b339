"""Shared fixtures: paths to the bundled examples and the third-party seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The seed articles in ../shared; tests that need them skip when it is absent."""
    if not (SEEDS / "gold.json").is_file():
        pytest.skip("../shared/seeds is not available")
    return SEEDS


@pytest.fixture
def examples_dir() -> Path:
    """The bundled fictional examples."""
    return EXAMPLES
