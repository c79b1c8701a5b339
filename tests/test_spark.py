"""storybrief on Spark: the same articles, manifest, stories and briefs as the local run, and the
blocking and graph steps it adds. One ``local[2]`` session serves every test (``spark`` in conftest)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from storybrief.cluster.features import ArticleVector
from storybrief.spark.stories import UNDATED, Blocking, block_keys, block_pairs, shingles


def _spark_document(spark, inputs, out: Path, **options):  # type: ignore[no-untyped-def]
    """Run Spark on ``inputs``, write, and read the output back as one briefs.json document."""
    from storybrief.spark import SparkOptions, run, write
    from storybrief.spark.output import read_document

    result = run(spark, inputs, SparkOptions(**options))
    write(result, out)
    return read_document(out)


def _ingested(spark, inputs, **options):  # type: ignore[no-untyped-def]
    """Stage 1 alone on Spark: (manifest entries, articles) as briefs.json writes them, and the run."""
    from storybrief.spark import SparkOptions, run

    result = run(spark, inputs, SparkOptions(**options), through="ingest")
    manifest = [{k: v for k, v in r.asDict().items() if k != "order"} for r in result.manifest.collect()]
    articles = []
    for r in result.articles.collect():
        article = {k: v for k, v in r.asDict().items() if k != "order"}
        article["paragraphs"] = json.loads(article["paragraphs"])
        article["removed"] = json.loads(article["removed"])
        articles.append(article)
    return manifest, articles, result


# ------------------------------------------------------------------------------------------ pure parts


def _vector(ident: str, day: dt.date | None, keys: dict[str, float], order: int = 0) -> ArticleVector:
    return ArticleVector(ident, day, Counter(), set(), set(), "", "", order=order, terms=keys)


def test_two_articles_a_window_apart_share_a_block_and_farther_ones_do_not() -> None:
    blocking = Blocking(window=30)
    start = dt.date(2024, 3, 1)
    for gap in range(0, 31):
        a = {k for k, _ in block_keys(_vector("a", start, {"kestrel": 1.0}), blocking)}
        b = {k for k, _ in block_keys(_vector("b", start + dt.timedelta(days=gap), {"kestrel": 1.0}), blocking)}
        assert a & b, gap
    far = {k for k, _ in block_keys(_vector("c", start + dt.timedelta(days=95), {"kestrel": 1.0}), blocking)}
    assert not a & far


def test_an_undated_article_is_blocked_with_the_dated_ones_that_share_its_keys() -> None:
    blocking = Blocking(window=30)
    undated = {k for k, _ in block_keys(_vector("u", None, {"kestrel": 1.0}), blocking)}
    dated = {
        k for k, _ in block_keys(_vector("d", dt.date(2024, 3, 1), {"kestrel": 1.0}), blocking, frozenset({"kestrel"}))
    }
    assert undated == {("kestrel", UNDATED)}
    assert undated <= dated
    # in an undated block only pairs with an undated member are made (dated pairs come from their windows)
    members = [(-1, 0, "u"), (700_000, 1, "d1"), (700_001, 2, "d2")]
    assert set(block_pairs(members, cap=10, undated_block=True)) == {("d1", "u"), ("d2", "u")}


def test_a_block_past_its_cap_pairs_each_member_with_its_neighbours_in_date_order_only() -> None:
    members = [(day, day, f"m{day:02d}") for day in range(20)]
    every = set(block_pairs(members, cap=100))
    assert len(every) == 20 * 19 // 2
    capped = set(block_pairs(members, cap=3))
    assert ("m00", "m03") in capped and ("m00", "m04") not in capped
    assert len(capped) == sum(min(3, 19 - i) for i in range(20))


def test_shingles_of_a_copy_are_the_same_and_of_another_text_mostly_not() -> None:
    text = "The Kestrel ferry left Lake Orlen at dawn with forty passengers and returned at noon."
    assert shingles(text) == shingles(text.upper())
    other = shingles("Halvard council voted on Monday to close the old pier for repairs next spring.")
    assert not set(shingles(text)) & set(other)


def test_ids_are_made_unique_as_ingest_makes_them_even_where_an_id_looks_like_a_new_one(tmp_path: Path) -> None:
    from storybrief import ingest
    from storybrief.spark.inputs import may_clash, renames

    given = ["kessa", "kessa", "kessa-2", "orlen", "kessa", "orlen-7", "orlen"]
    records = _records(len(given))
    for record, ident in zip(records, given, strict=True):
        record["id"] = ident
    (tmp_path / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    expected = [a.id for a in ingest([str(tmp_path / "wire.jsonl")])]
    repeated = {i for i in given if given.count(i) > 1}
    places = [((0, n, 0), ident) for n, ident in enumerate(given)]
    renamed = renames(reversed([p for p in places if may_clash(p[1], repeated)]))
    assert [renamed.get(order, ident) for order, ident in places] == expected
    assert expected == ["kessa", "kessa-2", "kessa-2-2", "orlen", "kessa-3", "orlen-7", "orlen-2"]


def test_spark_without_java_stops_with_one_line(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java"), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [sys.executable, "-m", "storybrief.cli", "spark", str(tmp_path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Java 17" in lines[0], done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------------------------------ on Spark

slow = pytest.mark.slow  # a Spark run takes tens of seconds, even on a few articles


@slow
def test_components_of_a_graph_on_spark(spark) -> None:  # type: ignore[no-untyped-def]
    from storybrief.spark.stories import connected_components

    sc = spark.sparkContext
    vertices = sc.parallelize(list("abcdefg"), 2)
    edges = sc.parallelize([("a", "b"), ("c", "b"), ("d", "c"), ("e", "f")], 2)
    labels = dict(connected_components(vertices, edges).collect())
    assert labels == {"a": "a", "b": "a", "c": "a", "d": "a", "e": "e", "f": "e", "g": "g"}


@slow
def test_copies_are_pairs_only_within_a_window_of_each_other(spark) -> None:  # type: ignore[no-untyped-def]
    from storybrief.model import Article
    from storybrief.spark.stories import copy_pairs

    text = (
        "Ferry services across Lake Orlen resumed on Tuesday after a storm closed the harbour at Kessa "
        "for three days, the port authority said. Tomas Brenner, who runs the authority, said the first "
        "crossing left at dawn with 140 passengers and that the timetable would be back to normal by Friday."
    )
    day = dt.date(2024, 3, 5)
    articles = [
        Article("first", text, ((0, len(text)),), published=day),
        Article("next-day", text, ((0, len(text)),), published=day + dt.timedelta(days=1)),
        Article("months-later", text, ((0, len(text)),), published=day + dt.timedelta(days=200)),
        Article("undated", text, ((0, len(text)),)),
        Article("other", "Ada Okafor won the Halvard marathon in record time. " * 3, ((0, 150),), published=day),
    ]
    english = spark.sparkContext.parallelize(list(enumerate(articles)), 2)
    near = set(copy_pairs(spark, english, 30).collect())
    assert near == {("first", "next-day"), ("first", "undated"), ("next-day", "undated"), ("months-later", "undated")}
    assert ("first", "months-later") in set(copy_pairs(spark, english, None).collect())


@slow
def test_the_seeds_on_spark_are_the_local_brief(spark, reports, seeds_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = _spark_document(spark, [str(seeds_dir)], tmp_path / "out", partitions=3)
    local = json.loads((reports["seeds"] / "briefs.json").read_text(encoding="utf-8"))
    assert [s["articles"] for s in document["stories"]] == [s["articles"] for s in local["stories"]]
    assert [s["summary"] for s in document["stories"]] == [s["summary"] for s in local["stories"]]
    assert document["stories"] == local["stories"]


def _records(n: int) -> list[dict[str, object]]:
    """Generated reports of three invented events on three days, with one id given twice."""
    events = [
        (
            "Kestrel ferry runs aground on Lake Orlen with {k} passengers",
            "LAKE ORLEN — The Kestrel ferry ran aground near the north shore with {k} passengers on board, "
            "the harbour master Tomas Brenner said. Divers inspected the hull of the Kestrel and tugboats "
            "pulled the ferry free at high tide.",
        ),
        (
            "Halvard council votes {k} to 3 to close the old pier",
            "HALVARD — Councillors in Halvard voted {k} to 3 to close the old timber pier for repairs, mayor "
            "Ada Okafor said. The Halvard pier will reopen in spring once engineers replace its rotten pilings.",
        ),
        (
            "Kessa textile mill fire burns for {k} hours",
            "KESSA — Firefighters fought a blaze at the Kessa textile mill for {k} hours before it was out, "
            "fire chief Ilse Varga said. Smoke from the Kessa mill closed the motorway and schools nearby.",
        ),
    ]
    out: list[dict[str, object]] = []
    for i in range(n):
        title, text = events[i % 3]
        day = dt.date(2024, 5, 6) + dt.timedelta(days=3 * (i % 3))
        out.append(
            {
                "id": "dup" if i in (1, 4) else f"r{i}",
                "title": title.format(k=40 + i % 3),
                "text": text.format(k=40 + i % 3) + f" This is report {i} of the day.",
                "published": day.isoformat(),
                "outlet": f"Outlet {i % 4}",
            }
        )
    return out


@slow
def test_inputs_of_every_kind_give_the_manifest_and_articles_of_ingest(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from storybrief import ingest
    from storybrief.report.json import article_to_dict

    folder = tmp_path / "in"
    folder.mkdir()
    records = _records(9)
    lines = [json.dumps(r) for r in records[:6]] + ["{not json", "", json.dumps({"title": "no text here"})]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Kessa mill fire</title></head><body><article><h1>Kessa mill fire</h1>"
        "<p>KESSA — Firefighters put out a fire at the Kessa mill on Tuesday after six hours, officials said.</p>"
        "<p>Ada Okafor, who runs the mill, said nobody was hurt and work would resume next week.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (folder / "note.txt").write_text(records[6]["text"], encoding="utf-8")  # type: ignore[arg-type]
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    local = ingest([str(folder)])
    manifest, articles, result = _ingested(spark, [str(folder)], partitions=3)
    assert result.corpus() == local
    assert manifest == local.manifest.to_dict()["inputs"]
    assert articles == [article_to_dict(a) for a in local]
    assert {e["status"] for e in manifest} == {"used", "skipped"}
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)) and "dup" in ids and "dup-2" in ids


@slow
def test_a_folder_named_by_its_uri_is_read_by_spark_as_ingest_reads_the_folder(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from storybrief import ingest

    folder = tmp_path / "wire"
    folder.mkdir()
    records = _records(4)
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[:3]), encoding="utf-8")
    (folder / "b.txt").write_text(str(records[3]["text"]), encoding="utf-8")
    (folder / "c.png").write_bytes(b"\x89PNG")
    (folder / "_draft.txt").write_text(str(records[0]["text"]), encoding="utf-8")
    local = ingest([str(folder)])
    manifest, articles, _ = _ingested(spark, [folder.as_uri(), (tmp_path / "gone").as_uri()])
    # the one difference: Spark lists no file whose name starts with '_', and the manifest says so
    assert [a["text"] for a in articles] == [a.text for a in local if not a.id.startswith("_")]
    statuses = [(Path(e["input"]).name, e["status"], e["code"]) for e in manifest]
    expected = [(Path(e.input).name, e.status, e.code) for e in local.manifest.entries]
    expected[expected.index(("_draft.txt", "used", None))] = ("_draft.txt", "skipped", "unsupported")
    assert statuses == [*expected, ("gone", "skipped", "not-found")]


@slow
def test_parquet_records_are_read_as_json_records_are(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from storybrief import ingest

    records = _records(6)
    (tmp_path / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    frame = spark.createDataFrame(records)
    frame.write.parquet(str(tmp_path / "wire.parquet"))
    manifest, articles, _ = _ingested(spark, [str(tmp_path / "wire.parquet")], partitions=2)
    local = ingest([str(tmp_path / "wire.jsonl")])
    assert [(a["id"], a["title"], a["text"], a["published"]) for a in articles] == [
        (a.id, a.title, a.text, a.published.isoformat() if a.published else None) for a in local
    ]
    assert [(e["status"], e["record"]) for e in manifest] == [("used", n) for n in range(1, 7)]


@pytest.fixture(scope="module")
def spark_examples(spark, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """``storybrief spark`` run once on the examples (on the shared session, ``local[2]``, 2 partitions)."""
    from tests.conftest import EXAMPLES
    from typer.testing import CliRunner

    from storybrief.cli import app

    out = tmp_path_factory.mktemp("spark") / "out"
    result = CliRunner().invoke(
        app, ["spark", str(EXAMPLES), "--out", str(out), "--master", "local[2]", "--partitions", "2", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return out


@slow
def test_the_examples_through_spark_command_and_export_are_the_local_brief(  # type: ignore[no-untyped-def]
    spark_examples: Path, reports, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from storybrief.cli import app

    out = spark_examples
    for name in ("stories.parquet", "briefs.jsonl", "articles.parquet", "manifest.parquet", "notes.json"):
        assert (out / name).exists(), name
    notes = json.loads((out / "notes.json").read_text(encoding="utf-8"))
    assert notes["counts"]["stories"] == 3 and set(notes["seconds"]) >= {"ingest", "briefs", "write"}
    exported = tmp_path / "reports"
    result = CliRunner().invoke(app, ["export", "--from-spark", str(out), "-o", str(exported), "--quiet"])
    assert result.exit_code == 0, result.output
    document = json.loads((exported / "briefs.json").read_text(encoding="utf-8"))
    local = json.loads((reports["examples"] / "briefs.json").read_text(encoding="utf-8"))
    assert [s["articles"] for s in document["stories"]] == [s["articles"] for s in local["stories"]]
    assert [s["summary"] for s in document["stories"]] == [s["summary"] for s in local["stories"]]
    for key in ("manifest", "articles", "stories", "notes", "schema_version"):
        assert document[key] == local[key], key
    assert (exported / "briefs.md").read_text(encoding="utf-8").strip()
    assert "<html" in (exported / "briefs.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["export", "--from-spark", str(tmp_path), "-o", str(exported)])
    assert result.exit_code == 2 and "not the output of `storybrief spark`" in result.output


@slow
def test_the_same_inputs_and_partitions_give_the_same_stories(spark, spark_examples: Path) -> None:  # type: ignore[no-untyped-def]
    import pyarrow.parquet as pq
    from tests.conftest import EXAMPLES

    from storybrief.spark import SparkOptions, run

    again = run(spark, [str(EXAMPLES)], SparkOptions(partitions=2), through="stories")
    stories = [(r["id"], list(r["articles"])) for r in again.stories.collect()]
    before = sorted(pq.read_table(spark_examples / "stories.parquet").to_pylist(), key=lambda r: r["number"])
    assert stories == [(r["id"], r["articles"]) for r in before]
