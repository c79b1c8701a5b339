"""The ``brief`` command, the pipeline behind it and its reports (briefs.json against its schema, briefs.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from storybrief import ingest, ingest_bytes
from storybrief.briefing.pipeline import brief
from storybrief.cli import app
from storybrief.report import SCHEMA_VERSION, brief_to_dict, brief_to_html, brief_to_markdown, schema

runner = CliRunner()


@pytest.fixture(scope="module")
def examples_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brief")
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = runner.invoke(app, ["brief", str(examples), "-o", str(out), "--words", "100"])
    assert result.exit_code == 0, result.output
    return out


def test_brief_writes_json_that_follows_the_schema(examples_brief: Path) -> None:
    data = json.loads((examples_brief / "briefs.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(data, schema())
    assert data["schema_version"] == SCHEMA_VERSION
    assert len(data["manifest"]["inputs"]) == 11 and len(data["articles"]) == 11
    ids = {a["id"] for a in data["articles"]}
    for story in data["stories"]:
        assert story["summary"], story["label"]
        assert sum(len(s["text"].split()) for s in story["summary"]) <= 100
        for s in story["summary"]:
            assert s["citations"][0] == s["article"] and set(s["citations"]) <= set(story["articles"])
        assert set(story["articles"]) <= ids
    assert any("not English" in n for n in data["notes"])  # the French report is read, not briefed
    fire = next(s for s in data["stories"] if "fire-kessington-gazette" in s["articles"])
    hurt = [f for f in fire["facts"] if f["kind"] == "quantity" and f["best"] == 5]
    assert hurt and hurt[0]["verdict"] == "consistent" and hurt[0]["sources"] >= 3


def test_brief_writes_markdown(examples_brief: Path) -> None:
    md = (examples_brief / "briefs.md").read_text(encoding="utf-8")
    assert md.startswith("# Story briefs")
    assert "### Summary" in md and "### Sources" in md and "### Facts" in md
    assert "[1]" in md


def test_schema_rejects_a_story_without_citations(examples_brief: Path) -> None:
    data = json.loads((examples_brief / "briefs.json").read_text(encoding="utf-8"))
    data["stories"][0]["summary"][0]["citations"] = []
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_article_text_is_escaped_in_markdown() -> None:
    text = (
        "Hostile <script>alert(1)</script> markup appeared in a report on Monday, the city council said.\n\n"
        "The council said the **bold** claim about the [link](http://x) was false and would be corrected."
    )
    record = {"id": "x1", "title": "A <b>title</b>", "text": text}
    corpus = ingest_bytes(json.dumps(record).encode(), "x.jsonl", extension=".jsonl")
    md = brief_to_markdown(brief(corpus))
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "<b>" not in md
    assert "**bold**" not in md


def test_brief_api_matches_the_json(examples_dir: Path) -> None:
    result = brief(ingest([str(examples_dir)]))
    data = brief_to_dict(result)
    assert [s["id"] for s in data["stories"]] == [s.story.id for s in result.stories]
    assert brief_to_dict(brief(ingest([str(examples_dir)]))) == data  # deterministic


def test_the_written_page_is_the_page_of_the_written_json(examples_brief: Path) -> None:
    # the CLI writes the page from the document in memory; `storybrief report` makes it from the file
    document = json.loads((examples_brief / "briefs.json").read_text(encoding="utf-8"))
    assert (examples_brief / "briefs.html").read_text(encoding="utf-8") == brief_to_html(document)


def test_brief_exit_codes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["brief", str(empty), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "empty.txt" in result.output
    assert runner.invoke(app, ["brief", str(tmp_path), "-o", str(tmp_path / "o"), "--words", "0"]).exit_code == 2
    assert runner.invoke(app, ["brief", str(tmp_path)]).exit_code == 2  # -o is required
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["brief", str(tmp_path), "-o", str(blocker)])
    assert result.exit_code == 2 and "not a folder" in result.output


def test_brief_has_a_timeline_per_story(examples_brief: Path) -> None:
    data = json.loads((examples_brief / "briefs.json").read_text(encoding="utf-8"))
    fire = next(s for s in data["stories"] if "fire-kessington-gazette" in s["articles"])
    events = [t for t in fire["timeline"] if not t["background"]]
    assert any(t["when"] == "2025-06-04" and len(t["articles"]) >= 3 for t in events), events
    assert any(t["background"] and t["when"] == "2022" for t in fire["timeline"])
    for story in data["stories"]:
        for t in story["timeline"]:
            assert set(t["articles"]) <= set(story["articles"]) and t["articles"][0] == t["article"]
    md = (examples_brief / "briefs.md").read_text(encoding="utf-8")
    assert "### Timeline" in md


def test_markdown_has_no_empty_facts_table(examples_brief: Path) -> None:
    """A story whose figures are each given once has no Facts table at all (not a header without rows)."""
    md = (examples_brief / "briefs.md").read_text(encoding="utf-8")
    for section in md.split("\n## ")[1:]:
        if "### Facts" in section:
            table = section.split("### Facts", 1)[1].split("###", 1)[0]
            assert table.count("\n|") > 2, section[:80]
