"""The story timeline, publication dates from --dates/--date, and their place in briefs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybrief import ingest
from storybrief.briefing.timeline import build_timeline
from storybrief.cli import app
from storybrief.evaluation import timeline_score
from storybrief.model import DateSource, Story
from storybrief.readers import IngestOptions, read_dates_file
from storybrief.text.nlp import parse

runner = CliRunner()


def _gold(seeds: Path) -> dict:
    return json.loads((seeds / "gold.json").read_text(encoding="utf-8"))


def _ambush(seeds: Path, dated: bool) -> tuple[list, tuple]:
    gold = _gold(seeds)
    story = next(s for s in gold["stories"] if s["id"] == "ambush-2013")
    by_id = {a.id: a for a in ingest([str(seeds)])}
    articles = [
        dataclasses.replace(
            by_id[d], published=dt.date.fromisoformat(gold["documents"][d]["published"]) if dated else None
        )
        for d in story["documents"]
    ]
    items = parse(articles)
    entries = build_timeline(Story("ambush-2013", "ambush", tuple(story["documents"])), items)
    return items, entries


@pytest.mark.parametrize("dated", [True, False])
def test_seed_timeline_has_the_gold_events_in_order(seeds_dir: Path, dated: bool) -> None:
    items, entries = _ambush(seeds_dir, dated)
    text = {(i.article.id, s.index): s.text for i in items for s in i.sentences}
    gold = [g for g in _gold(seeds_dir)["timeline"] if g["story"] == "ambush-2013"]
    score = timeline_score(gold, entries, lambda a, k: text[(a, k)])
    assert score.found == len(gold), score.matches
    assert score.order_accuracy == 1.0, score.matches
    if dated:
        assert score.dated == len(gold), score.matches


def test_seed_timeline_dates(seeds_dir: Path) -> None:
    _, entries = _ambush(seeds_dir, dated=True)
    by_text = {e.text[:40]: e for e in entries}
    ambush = next(e for t, e in by_text.items() if t.startswith("BAGHDAD — More than 40"))
    assert ambush.when == "2013-03-04" and ambush.as_written == "Monday" and len(ambush.articles) >= 3
    claim = next(e for e in entries if e.dated_by == "publication")
    assert claim.when == "2013-03-11" and claim.article.startswith("002") and claim.as_written is None
    assert (ambush.timex, claim.timex) == ("2013-03-04", "2013-03-11")  # as TimeML writes them
    assert all(e.timex for e in entries if e.when and "/" not in e.when) and "timex" in claim.to_dict()
    assert any(e.when == "2013-03-01" and e.as_written == "Friday" for e in entries)
    background = {e.as_written for e in entries if e.background}
    assert "16th to 18th centuries" in background and "two years ago this month" in background
    assert all(not e.background for e in entries if e.when and e.when.startswith("2013-03"))
    keys = [(e.first, e.last) for e in entries if e.first]
    assert keys == sorted(keys)
    for e in entries:  # events reported by several articles appear once
        assert len(set(e.articles)) == len(e.articles) and e.articles[0] == e.article


def test_undated_articles_get_no_invented_dates(seeds_dir: Path) -> None:
    _, entries = _ambush(seeds_dir, dated=False)
    for e in entries:
        if e.when is not None:  # only what the text itself dates absolutely: "in 2011", "December 2011"
            assert e.as_written and any(ch.isdigit() for ch in e.as_written), e
        else:
            assert e.relative and e.timex is None, e
    assert any(e.relative == "Monday" for e in entries)


def test_dates_file_is_read_and_applied(tmp_path: Path, examples_dir: Path) -> None:
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\n# a comment\nferry-meridia-courier-followup 2025-05-13\nnobody,2025-01-01\n")
    dates = read_dates_file(str(sidecar))
    assert dates == {"ferry-meridia-courier-followup": dt.date(2025, 5, 13), "nobody": dt.date(2025, 1, 1)}
    corpus = ingest([str(examples_dir)], IngestOptions(dates=dates, date=dt.date(2025, 1, 2)))
    by_id = {a.id: a for a in corpus}
    followup = by_id["ferry-meridia-courier-followup"]
    assert followup.published == dt.date(2025, 5, 13) and followup.published_source == DateSource.SIDECAR
    assert DateSource.SIDECAR.confidence == 1.0
    dated_before = {a.id for a in ingest([str(examples_dir)]) if a.published}
    for a in corpus:  # --date fills in only what had no date
        if a.id not in dated_before and a.id != followup.id:
            assert a.published == dt.date(2025, 1, 2) and a.published_source == DateSource.OPTION


def test_dates_file_errors_name_the_file_and_line(tmp_path: Path, examples_dir: Path) -> None:
    bad = tmp_path / "dates.csv"
    bad.write_text("a,2013-03-04\nb,the fourth of March\n")
    result = runner.invoke(app, ["brief", str(examples_dir), "-o", str(tmp_path / "out"), "--dates", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["ingest", str(examples_dir), "--dates", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and "not found" in result.output


def test_future_sidecar_dates_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Officials said the bridge reopened after repairs that took two years.\n")
    corpus = ingest([str(tmp_path)], IngestOptions(dates={"a": dt.date(2999, 1, 1)}, today=dt.date(2026, 1, 1)))
    article = corpus.articles[0]
    assert article.published is None and any("rejected" in w for w in article.warnings)


def test_brief_with_dates_writes_a_dated_timeline(tmp_path: Path, seeds_dir: Path) -> None:
    gold = _gold(seeds_dir)
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("".join(f"{k},{v['published']}\n" for k, v in gold["documents"].items()))
    out = tmp_path / "out"
    result = runner.invoke(app, ["brief", str(seeds_dir), "-o", str(out), "--dates", str(sidecar), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "briefs.json").read_text(encoding="utf-8"))
    assert all(a["published_source"] == "sidecar" for a in data["articles"])
    ambush = next(s for s in data["stories"] if "000_898339164795c6e6" in s["articles"])
    whens = {t["when"] for t in ambush["timeline"] if not t["background"]}
    assert {"2013-03-01", "2013-03-04", "2013-03-11"} <= whens
    md = (out / "briefs.md").read_text(encoding="utf-8")
    assert "### Timeline" in md and "**2013-03-04**" in md
