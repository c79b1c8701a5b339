"""Package hygiene: nothing heavy at import time; the public API is importable."""

from __future__ import annotations

import subprocess
import sys


def test_import_loads_no_model() -> None:
    code = (
        "import sys, storybrief, storybrief.text.nlp, storybrief.briefing.entities, storybrief.cli;"
        "heavy = [m for m in ('spacy', 'trafilatura', 'feedparser', 'py3langid', 'torch') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_api() -> None:
    import storybrief

    for name in storybrief.__all__:
        assert hasattr(storybrief, name), name


def test_cli_version_is_the_package_version() -> None:
    from typer.testing import CliRunner

    import storybrief
    from storybrief.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == storybrief.__version__
