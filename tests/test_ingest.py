"""Ingest: every input is used or skipped with a reason; bad input never crashes."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import pytest

from storybrief import IngestOptions, SkipCode, ingest, ingest_bytes
from storybrief.model import DateSource
from storybrief.readers import FieldNames

ARTICLE = (
    "Bridge Closed to Trucks\n\n"
    "The council voted on Monday to close the old bridge to heavy trucks, officials said. "
    "Engineers found cracks in two of its supports last month.\n"
)


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _codes(corpus) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {Path(e.input).name: e.code for e in corpus.manifest.entries if e.record is None}


def test_bad_inputs_are_accounted_for(tmp_path: Path) -> None:
    _write(tmp_path / "good one.txt", ARTICLE)
    _write(tmp_path / "ünïcödé name.txt", ARTICLE.replace("Bridge", "Tunnel"))
    _write(tmp_path / "empty.txt", b"")
    _write(tmp_path / "blank.txt", "   \n\n\t\n")
    _write(tmp_path / "picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    _write(tmp_path / "archive.txt", b"PK\x03\x04" + bytes(range(256)) * 8)
    _write(tmp_path / "nul.txt", ARTICLE.encode() + b"\x00\x00 tail text here.")
    _write(tmp_path / "legacy.txt", ARTICLE.replace("council", "conseil général").encode("cp1252"))
    _write(tmp_path / "truncated.txt", ARTICLE.encode() + "é".encode()[:1])
    _write(tmp_path / "widgets.txt", "Advertisement\n\nSign up for our newsletter\n\nShare this article\n")
    _write(tmp_path / "broken.html", "<html><body><div><p>Unclosed <b>tags " + "and words " * 40 + "<p>more")
    _write(tmp_path / "empty.html", "<html><head><title>x</title></head><body></body></html>")
    _write(tmp_path / "bad.rss", "<rss><channel><item><title>Oops</title></chan")
    _write(tmp_path / "notes.csv", "a,b,c\n1,2,3\n")
    corpus = ingest([str(tmp_path)])
    codes = _codes(corpus)
    assert codes["good one.txt"] is None
    assert codes["ünïcödé name.txt"] is None
    assert codes["empty.txt"] == SkipCode.EMPTY
    assert codes["blank.txt"] == SkipCode.EMPTY
    assert codes["picture.txt"] == SkipCode.BINARY
    assert codes["archive.txt"] == SkipCode.BINARY
    assert codes["nul.txt"] is None
    assert codes["legacy.txt"] is None
    assert codes["truncated.txt"] is None
    assert codes["widgets.txt"] == SkipCode.BOILERPLATE_ONLY
    assert codes["broken.html"] is None
    assert codes["empty.html"] == SkipCode.NO_MAIN_TEXT
    bad_feed = [e for e in corpus.manifest.entries if e.input.endswith("bad.rss")]
    assert len(bad_feed) == 1 and bad_feed[0].status == "skipped"
    assert "not well-formed" in (bad_feed[0].reason or "") or bad_feed[0].code == SkipCode.INVALID_XML
    assert codes["notes.csv"] == SkipCode.UNSUPPORTED
    assert {a.id for a in corpus} >= {"good one", "ünïcödé name", "nul", "legacy", "truncated", "broken"}
    legacy = corpus.get("legacy")
    assert legacy is not None and "conseil général" in legacy.text
    assert all(e.reason for e in corpus.manifest.skipped)


def test_jsonl_bad_lines_are_reported_by_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "A", "text": ARTICLE, "date": "2025-03-02", "source": "Crier"}),
        "{not json",
        json.dumps({"title": "No text"}),
        json.dumps({"headline_text": "x", "article_body": ARTICLE + " More words here to pass."}),
        json.dumps(["a", "list"]),
        "",
        json.dumps(
            {"id": "custom id/1", "body": "<p>Paragraph one has words.</p><p>Paragraph two has more words.</p>"}
        ),
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    corpus = ingest([str(path)])
    entries = {e.record: e for e in corpus.manifest.entries}
    assert entries[1].status == "used" and entries[1].articles == ("feed-1",)
    assert entries[2].code == SkipCode.INVALID_JSON and "line 2" in (entries[2].reason or "")
    assert entries[3].code == SkipCode.NO_TEXT and "title" in (entries[3].reason or "")
    assert entries[4].status == "used" and any("article_body" in w for w in entries[4].warnings)
    assert entries[5].code == SkipCode.NOT_ARTICLES
    assert entries[7].articles == ("custom-id-1",)
    article = corpus.get("feed-1")
    assert article is not None
    assert article.published is not None and article.published.isoformat() == "2025-03-02"
    assert article.published_source == DateSource.RECORD and article.outlet == "Crier"
    html_record = corpus.get("custom-id-1")
    assert html_record is not None and html_record.text.count("\n\n") == 1


def test_field_overrides(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.jsonl", json.dumps({"story": "ignored words", "main": ARTICLE}) + "\n")
    fields = FieldNames().with_overrides({"text": "main"})
    corpus = ingest([str(path)], IngestOptions(fields=fields))
    assert corpus.articles[0].text.startswith("The council voted")


def test_json_documents_and_non_article_json(tmp_path: Path) -> None:
    _write(tmp_path / "list.json", json.dumps([{"title": "A", "text": ARTICLE}, {"title": "B", "text": ARTICLE}]))
    _write(tmp_path / "meta.json", json.dumps({"about": "annotation", "stories": [{"id": 1}]}))
    corpus = ingest([str(tmp_path)])
    codes = _codes(corpus)
    assert codes["meta.json"] == SkipCode.NOT_ARTICLES
    assert [a.id for a in corpus] == ["list-1", "list-2"]


def test_id_collisions_get_suffixes(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "story.txt", ARTICLE)
    _write(tmp_path / "b" / "story.txt", ARTICLE)
    _write(tmp_path / "b" / "story.md", ARTICLE)
    ids = [a.id for a in ingest([str(tmp_path)])]
    assert ids == ["story", "story-2", "story-3"]


def test_symlink_loops_and_missing_paths(tmp_path: Path) -> None:
    root = tmp_path / "root"
    _write(root / "x.txt", ARTICLE)
    os.symlink(root, root / "loop")
    os.symlink(tmp_path / "nowhere", root / "dangling.txt")
    corpus = ingest([str(root), str(tmp_path / "missing.txt"), str(tmp_path / "*.nomatch")])
    codes = [e.code for e in corpus.manifest.entries]
    assert codes.count(None) == 1
    assert SkipCode.SYMLINK_LOOP in codes
    assert SkipCode.BROKEN_LINK in codes
    assert SkipCode.NOT_FOUND in codes
    assert SkipCode.NO_MATCH in codes


def test_globs(tmp_path: Path) -> None:
    _write(tmp_path / "one.txt", ARTICLE)
    _write(tmp_path / "two.txt", ARTICLE)
    corpus = ingest([str(tmp_path / "*.txt")])
    assert [a.id for a in corpus] == ["one", "two"]


def test_huge_single_line_file(tmp_path: Path) -> None:
    sentence = "The council met again and talked about the bridge for a long time. "
    path = _write(tmp_path / "huge.txt", sentence * (5_000_000 // len(sentence)))
    corpus = ingest([str(path)])
    assert len(corpus) == 1
    assert len(corpus.articles[0].text) > 4_900_000


def test_non_english_is_kept_and_flagged() -> None:
    text = (
        "Environ 3 000 habitants ont été évacués dans la nuit de mardi à mercredi après un incendie "
        "dans une usine textile, selon les pompiers. Cinq personnes ont été blessées."
    )
    corpus = ingest_bytes(text.encode(), "fr.txt")
    article = corpus.articles[0]
    assert article.language == "fr" and not article.is_english
    assert any("not English" in w for w in corpus.manifest.entries[0].warnings)


def test_future_dates_are_rejected(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2999-01-01"></head>'
        "<body><article><p>" + "The council voted to close the bridge on Monday. " * 5 + "</p></article></body></html>"
    )
    corpus = ingest_bytes(page.encode(), "p.html", extension=".html")
    article = corpus.articles[0]
    assert article.published is None
    assert any("rejected" in w for w in article.warnings)


def test_html_metadata_and_dates(examples_dir: Path) -> None:
    corpus = ingest([str(examples_dir / "ferry-lakeside-herald.html")])
    article = corpus.articles[0]
    assert article.title == "Fourteen dead after ferry sinks in Lake Varo storm"
    assert article.outlet == "Lakeside Herald"
    assert article.byline == "Paolo Brenner"
    assert article.published is not None and article.published.isoformat() == "2025-05-12"
    assert article.published_source == DateSource.HTML_JSONLD
    assert article.updated is not None


def test_strict_mode_reraises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_module = importlib.import_module("storybrief.readers")

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ingest_module, "clean_text", boom)
    path = _write(tmp_path / "a.txt", ARTICLE)
    lenient = ingest([str(path)])
    assert lenient.manifest.entries[0].code == SkipCode.INTERNAL
    with pytest.raises(RuntimeError):
        ingest([str(path)], IngestOptions(strict=True))


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="format"):
        IngestOptions(format="docx")
    with pytest.raises(ValueError, match="--field"):
        FieldNames().with_overrides({"nonsense": "x"})


def test_atom_feed_and_invalid_xml(tmp_path: Path) -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Town Crier</title>'
        "<entry><title>Bridge closed</title><updated>2025-03-02T10:00:00Z</updated>"
        '<author><name>Ana Ruiz</name></author><content type="html">&lt;p&gt;The council voted on Monday to '
        "close the old bridge to heavy trucks.&lt;/p&gt;</content></entry></feed>"
    )
    _write(tmp_path / "crier.atom", atom)
    _write(tmp_path / "garbage.xml", "<?xml version='1.0'?><rss><<<>>>&&&")
    corpus = ingest([str(tmp_path)])
    article = corpus.get("crier-1")
    assert article is not None
    assert article.title == "Bridge closed" and article.byline == "Ana Ruiz" and article.outlet == "Town Crier"
    assert article.text.startswith("The council voted")
    assert _codes(corpus)["garbage.xml"] == SkipCode.INVALID_XML


def test_utf16_file_with_bom(tmp_path: Path) -> None:
    path = _write(tmp_path / "wide.txt", "\ufeff".encode("utf-16-le") + ARTICLE.encode("utf-16-le"))
    corpus = ingest([str(path)])
    assert corpus.articles[0].title == "Bridge Closed to Trucks"


def _records(path: Path, count: int, words: int = 60) -> Path:
    """A JSON lines file of ``count`` invented reports (every fifth line is not JSON)."""
    lines = []
    for n in range(count):
        if n % 5 == 4:
            lines.append("{not json")
            continue
        body = " ".join(
            f"Halvard council member {n} spoke about the Kestrel bridge repairs." for _ in range(words // 9)
        )
        lines.append(json.dumps({"id": f"r{n}", "title": f"Bridge report {n}", "text": body, "date": "2026-03-02"}))
    return _write(path, "\n".join(lines) + "\n")


def test_batches_add_up_to_ingest(tmp_path: Path) -> None:
    from storybrief.readers import ingest_batches

    path = _records(tmp_path / "many.jsonl", 40)
    batches = list(ingest_batches([str(path)], batch_size=7))
    whole = ingest([str(path)])
    assert [a for b in batches for a in b.articles] == list(whole.articles)
    assert [e for b in batches for e in b.manifest.entries] == list(whole.manifest.entries)
    assert all(len(b.articles) <= 7 for b in batches) and len(batches) >= 40 * 4 // 5 // 7
    bad = [e for e in whole.manifest.skipped if e.code == SkipCode.INVALID_JSON.value]
    assert [e.record for e in bad] == list(range(5, 41, 5))  # line numbers run on across the parts


def test_a_jsonl_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    from storybrief.readers import ingest_batches

    path = _records(tmp_path / "big.jsonl", 3000, words=200)
    size = path.stat().st_size
    assert size > 3_000_000
    ingest([str(_records(tmp_path / "warm.jsonl", 5))])  # imports and caches of a first run, outside the count
    tracemalloc.start()
    try:
        read = sum(len(batch.articles) for batch in ingest_batches([str(path)], batch_size=20))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == 2400
    # what a batch of 20 lines needs, and not the file: read whole, its bytes and text alone are twice its size
    assert peak < size / 3, f"peak {peak:,} bytes for a file of {size:,}"


def test_a_line_longer_than_the_limit_is_skipped_with_its_number(tmp_path: Path) -> None:
    path = _records(tmp_path / "long.jsonl", 3)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "huge", "text": "Kessa " * 5000}) + "\n")
        handle.write(json.dumps({"id": "after", "text": ARTICLE}) + "\n")
    corpus = ingest([str(path)], IngestOptions(max_bytes=10_000))
    assert [a.id for a in corpus] == ["r0", "r1", "r2", "after"]
    (long,) = [e for e in corpus.manifest.skipped if e.code == SkipCode.TOO_LARGE.value]
    assert long.record == 4 and "line 4" in (long.reason or "")


def _pid_language(text: str):  # type: ignore[no-untyped-def]
    from storybrief.text.language import LanguageGuess

    return LanguageGuess(f"p{os.getpid()}", 1.0)


def test_inputs_read_and_cleaned_in_two_processes_are_what_one_process_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storybrief import readers
    from storybrief.readers import ingest_batches
    from storybrief.text import parallel

    if not parallel.fork_safe():
        pytest.skip("this process cannot fork safely here (another thread runs)")
    _records(tmp_path / "in" / "a.jsonl", 40)  # parts of 7 lines, every fifth line broken
    for n in range(6):  # files whose names give the same ids as records: ids are made unique in order
        _write(tmp_path / "in" / "b" / f"r{n}.txt", ARTICLE.replace("Bridge", f"Span {n}"))
    _write(tmp_path / "in" / "b" / "empty.txt", b"")
    _write(tmp_path / "in" / "c.html", f"<html><body><article><p>{ARTICLE}</p></article></body></html>")
    options = IngestOptions()
    one = list(ingest_batches([str(tmp_path / "in")], options, batch_size=7))
    two = list(ingest_batches([str(tmp_path / "in")], options, batch_size=7, jobs=2))
    assert two == one and len(one) > 5
    assert {e.code for b in one for e in b.manifest.skipped} == {SkipCode.INVALID_JSON.value, SkipCode.EMPTY.value}
    assert len({a.id for b in one for a in b.articles}) == sum(len(b.articles) for b in one)
    # the cleaning ran in the other processes: the language each article was given names the one it ran in
    monkeypatch.setattr(readers, "identify", _pid_language)
    languages = {a.language for a in ingest([str(tmp_path / "in")], options, jobs=2)}
    assert len(languages) == 2 and f"p{os.getpid()}" not in languages
    assert {a.language for a in ingest([str(tmp_path / "in")], options)} == {f"p{os.getpid()}"}
