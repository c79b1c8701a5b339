"""The README's Python examples run, in order, against the bundled examples."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_python_examples() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 4
    assert all("import storybrief" in blocks[0] or "storybrief." in b for b in blocks)


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    namespace: dict[str, object] = {}
    for block in _python_blocks():
        exec(compile(block, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    corpus = namespace["corpus"]
    assert len(corpus) > 0  # type: ignore[arg-type]
    assert all(article.id in out for article in corpus)  # type: ignore[attr-defined]  # the ingest loop printed them
    assert namespace["entities"] and namespace["stories"]
    assert namespace["document"]["stories"]  # type: ignore[index]
    assert namespace["story_id"] is not None
