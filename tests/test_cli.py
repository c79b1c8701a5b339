"""The command line: outputs, exit codes, and documentation of every command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from storybrief.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def test_ingest_writes_articles_and_manifest(tmp_path: Path, examples_dir: Path) -> None:
    out = tmp_path / "out" / "corpus.jsonl"
    result = runner.invoke(app, ["ingest", str(examples_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 11
    assert {"id", "title", "text", "paragraphs", "published", "offsets", "outlet"} <= set(rows[0])
    manifest = json.loads((out.parent / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["inputs"]) == 11
    assert all(entry["status"] == "used" for entry in manifest["inputs"])


def test_ingest_to_stdout_and_explicit_manifest(tmp_path: Path, examples_dir: Path) -> None:
    manifest = tmp_path / "m.json"
    result = runner.invoke(
        app, ["ingest", str(examples_dir / "continental-wire.jsonl"), "--manifest", str(manifest), "--quiet"]
    )
    assert result.exit_code == 0
    assert len([line for line in result.stdout.splitlines() if line.startswith("{")]) == 3
    assert json.loads(manifest.read_text())["inputs"][0]["record"] == 1


def test_exit_code_1_when_nothing_is_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(empty), "--out", str(tmp_path / "c.jsonl")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    assert "Traceback" not in result.output


def test_exit_code_2_on_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["ingest"]).exit_code == 2
    result = runner.invoke(app, ["ingest", str(tmp_path), "--format", "docx"])
    assert result.exit_code == 2
    assert "format" in result.output and "docx" in result.output
    assert runner.invoke(app, ["ingest", str(tmp_path), "--field", "oops"]).exit_code == 2


def test_stdin(tmp_path: Path) -> None:
    text = "The council voted on Monday to close the old bridge to heavy trucks, officials said.\n"
    result = runner.invoke(app, ["ingest", "-", "--quiet"], input=text)
    assert result.exit_code == 0
    row = json.loads(result.stdout.splitlines()[0])
    assert row["id"] == "stdin" and row["text"].startswith("The council")


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"storybrief {name}" in readme, name


def test_no_third_party_progress_bar_leaks(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "storybrief.cli",
            "brief",
            str(Path(__file__).resolve().parent.parent / "examples"),
            "-o",
            str(tmp_path),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "" and out.stderr == ""  # --quiet: nothing, not even a model's "Loading weights" bar
