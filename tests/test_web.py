"""The web app in process (FastAPI's test client): pages, JSON API, feeds, security, and the pure views."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storybrief.cli import app as cli
from storybrief.report import schema
from storybrief.store import Store
from storybrief.store.history import story_history
from storybrief.web import views
from test_report_html import hostile_corpus
from test_store import FERRY, FIRE, _write

TOKEN = "test-token-1"


def _folder(root: Path) -> Path:
    """Two ferry reports that disagree on the missing, a fire elsewhere, and a hostile record."""
    folder = root / "in"
    folder.mkdir()
    _write(folder, "f1", "Ferry sinks on Lake Orlen", FERRY, "2026-03-02", "https://example.org/f1")
    _write(folder, "f2", "Eleven missing after ferry sinks", FERRY.replace("Nine", "Eleven"), "2026-03-02")
    _write(folder, "w1", "Fire destroys warehouse in Kessa", FIRE, "2026-03-04")
    hostile_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    from fastapi.testclient import TestClient

    from storybrief.web import create_app

    root = tmp_path_factory.mktemp("web")
    db = root / "s.db"
    with Store(db) as store:
        store.add([str(_folder(root))])
    with TestClient(create_app(db, token=TOKEN, max_body=50_000)) as client:
        yield client, db


def _story_of(client: Any, article: str) -> str:
    return str(client.get(f"/api/articles/{article}").json()["story"])


def test_every_page_type_answers_with_the_security_headers(served: tuple[Any, Path]) -> None:
    client, _ = served
    ferry = _story_of(client, "f1")
    paths = [
        "/stories",
        f"/stories/{ferry}",
        "/articles/f1",
        "/entities/lake-orlen",
        "/outlets/outlet-f1",
        "/search?q=ferry",
        "/api/stories",
        f"/api/stories/{ferry}",
        "/feeds/stories.atom",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'sha256-" in policy and "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert client.get("/", follow_redirects=False).headers["location"] == "/stories"


def test_unknown_ids_are_404_pages_and_json_under_the_api(served: tuple[Any, Path]) -> None:
    client, _ = served
    for path in ("/stories/nope", "/articles/nope", "/entities/nope", "/outlets/nope", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html") and "Not found" in response.text
    for path in ("/api/stories/nope", "/api/articles/nope", "/api/entities/nope", "/api/outlets/nope"):
        response = client.get(path)
        assert response.status_code == 404 and "detail" in response.json(), path
    assert client.get("/articles/..%2F..%2Fetc%2Fpasswd").status_code == 404  # an id, never a path


def test_the_story_list_filters_and_the_story_object_follows_the_schema(served: tuple[Any, Path]) -> None:
    client, _ = served
    everything = client.get("/api/stories").json()
    assert everything["total"] == len(everything["items"]) >= 3
    ferry = _story_of(client, "f1")
    by_outlet = client.get("/api/stories", params={"outlet": "outlet-f2"}).json()["items"]
    assert [s["id"] for s in by_outlet] == [ferry]
    assert client.get("/api/stories", params={"since": "2026-03-03"}).json()["items"]  # the fire, 4 March
    assert not client.get("/api/stories", params={"until": "2020-01-01"}).json()["items"]
    conflicting = client.get("/api/stories", params={"conflicts": True}).json()["items"]
    assert {s["id"] for s in conflicting} <= {s["id"] for s in everything["items"]}
    assert all(s["conflicts"] for s in conflicting)
    assert client.get("/api/stories", params={"since": "not a date"}).status_code == 422
    page = client.get("/stories", params={"outlet": "outlet-f2"}).text
    assert "Ferry sinks on Lake Orlen" in page and "Fire destroys warehouse" not in page

    import jsonschema

    story = client.get(f"/api/stories/{ferry}").json()
    jsonschema.validate(story, schema()["$defs"]["story"])
    assert [h["article"] for h in story["history"]] == sorted(story["articles"], key=["f1", "f2"].index)
    assert story["history"][1]["new_outlet"] is True
    assert {"slot", "as_written"} <= set(story["history"][0]["new_figures"][0])


def test_a_story_page_cites_sentences_the_article_page_highlights(served: tuple[Any, Path]) -> None:
    client, _ = served
    ferry = _story_of(client, "f1")
    page = client.get(f"/stories/{ferry}").text
    assert "How the story grew" in page and "new outlet" in page
    cites = re.findall(r'<a class="cite" href="#(s\d+-\d+)"', page)
    assert cites, "the summary cites sentences"
    pages = dict(re.findall(r'<article class="source" id="article-(\d+)" data-page="([^"]+)"', page))
    number, _start = cites[0][1:].split("-")
    article_page = client.get(pages[number]).text
    assert f'<mark id="{cites[0]}">' in article_page  # the same anchor, highlighted on the article's own page


def test_search_phrases_prefixes_and_a_bad_query(served: tuple[Any, Path]) -> None:
    client, _ = served
    found = client.get("/api/search", params={"q": '"textile warehouse"'}).json()
    assert found["hits"] == 1 and found["stories"][0]["hits"][0]["id"] == "w1"
    assert "[textile warehouse]" in found["stories"][0]["hits"][0]["snippet"]
    assert client.get("/api/search", params={"q": "ware*"}).json()["hits"] == 1
    page = client.get("/search", params={"q": "ferr*"}).text
    assert "<mark>" in page and page.count('<section class="hits">') == 1  # both ferry reports, one story
    bad = client.get("/search", params={"q": '"textile AND ('})
    assert bad.status_code == 200 and 'role="alert"' in bad.text and "Fire destroys warehouse" in bad.text
    answer = client.get("/api/search", params={"q": '"textile AND ('})
    assert answer.status_code == 200 and answer.json()["note"] and answer.json()["hits"] == 1  # its words, "AND" too
    assert client.get("/api/search", params={"q": '"'}).json()["hits"] == 0


def test_names_and_outlets(served: tuple[Any, Path]) -> None:
    client, _ = served
    name = client.get("/api/entities/lake-orlen").json()
    assert name["canonical"] == "Lake Orlen" and {"f1", "f2"} <= set(name["articles"])
    outlet = client.get("/api/outlets/Outlet f1").json()  # a name or its slug
    assert outlet["slug"] == "outlet-f1" and outlet["articles"] == 1
    assert client.get("/api/outlets/outlet-f1").json() == outlet


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.handlers: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        self.links += [v or "" for k, v in attrs if k == "href" and tag == "a"]


def test_hostile_articles_are_escaped_on_every_page(served: tuple[Any, Path]) -> None:
    client, _ = served
    story = _story_of(client, "h0")
    for path in (f"/stories/{story}", "/articles/h0", "/articles/h2", "/search?q=council", "/stories"):
        parser = _Scripts()
        parser.feed(client.get(path).text)
        assert parser.scripts == 1, path  # the page's own script, nothing an article brought
        assert not parser.handlers, path
        assert not any(link.lower().startswith(("javascript:", "data:")) for link in parser.links), path
    assert 'href="https://example.org/a"' in client.get("/articles/h2").text  # http(s) is a link


def test_adding_articles_needs_the_token_and_a_small_body(served: tuple[Any, Path]) -> None:
    client, _ = served
    record = {
        "id": "n1",
        "title": "Ferry wreck found in Lake Orlen",
        "text": FERRY.replace("Nine", "Ten"),
        "date": "2026-03-03",
        "outlet": "Outlet n1",
    }
    assert client.post("/api/articles", json=record).status_code == 401
    assert client.post("/api/articles", json=record, headers={"Authorization": "Bearer wrong"}).status_code == 401
    big = {"text": "word " * 20_000}
    assert client.post("/api/articles", json=big, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 413
    bad = client.post("/api/articles", content=b"{not json", headers={"Authorization": f"Bearer {TOKEN}"})
    assert bad.status_code == 400
    added = client.post("/api/articles", json=[record], headers={"Authorization": f"Bearer {TOKEN}"})
    assert added.status_code == 201, added.text
    assert added.json()["new"] == 1 and added.json()["manifest"][0]["status"] == "used"
    assert client.get("/api/articles/n1").json()["story"] == _story_of(client, "f1")  # joins the ferry, no restart
    assert "Ferry wreck found" in client.get(f"/stories/{_story_of(client, 'f1')}").text


def test_without_a_token_adding_is_off(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storybrief.web import create_app

    Store(tmp_path / "e.db").close()
    with TestClient(create_app(tmp_path / "e.db")) as client:
        assert client.post("/api/articles", json={"text": "x"}).status_code == 403
        assert client.get("/api/stories").json()["total"] == 0
        assert "No stories" in client.get("/stories").text


def test_a_revision_names_the_figures_that_changed(served: tuple[Any, Path]) -> None:
    client, db = served
    folder = db.parent / "rev"
    folder.mkdir()
    _write(
        folder, "f1", "Ferry sinks on Lake Orlen", FERRY.replace("Nine", "12"), "2026-03-02", "https://example.org/f1"
    )
    with Store(db) as store:  # another writer, as `watch` would be
        assert store.add([str(folder)]).updated == 1
    record = client.get("/api/articles/f1").json()
    assert len(record["revisions"]) == 1 and "Nine" in record["revisions"][0]["article"]["text"]
    page = client.get("/articles/f1").text
    assert "figures changed" in page and "<del>Nine</del>" in page and "<ins>12</ins>" in page


def test_atom_feeds_parse(served: tuple[Any, Path]) -> None:
    import feedparser

    client, _ = served
    stories = feedparser.parse(client.get("/feeds/stories.atom").content)
    assert not stories.bozo and len(stories.entries) >= 3
    assert all(e.link.startswith("http://testserver/stories/") for e in stories.entries)
    conflicts = feedparser.parse(client.get("/feeds/conflicts.atom").content)
    assert not conflicts.bozo
    assert all(e.title.split(":")[0] in ("conflicting", "updated") for e in conflicts.entries)


# --------------------------------------------------------------------------- pure views


def test_views_filters_pages_and_ages() -> None:
    now = dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC)
    assert views.ago("2026-03-05T11:55:00+00:00", now) == "updated 5 minutes ago"
    assert views.ago("2026-03-05T11:59:30+00:00", now) == "updated just now"
    assert views.ago("2026-03-03T12:00:00+00:00", now) == "updated 2 days ago"
    assert views.slug("The Kessa Gazette") == "the-kessa-gazette" and views.slug("Ünïcode Wire") == "unicode-wire"
    row = {"first": "2026-03-02", "last": "2026-03-04", "outlets": ["Kessa Post"], "conflicts": 0}
    assert views.StoryFilter(since=dt.date(2026, 3, 4)).keeps(row)
    assert not views.StoryFilter(since=dt.date(2026, 3, 5)).keeps(row)
    assert not views.StoryFilter(until=dt.date(2026, 3, 1)).keeps(row)
    assert views.StoryFilter(outlet="kessa-post").keeps(row) and not views.StoryFilter(conflicts=True).keeps(row)
    listing = views.page_of(list(range(60)), 9, size=25)
    assert listing["page"] == 3 and listing["pages"] == 3 and listing["items"] == list(range(50, 60))


def test_an_outlet_alone_against_two_that_agree_is_the_odd_one_out() -> None:
    def report(article: str, value: int) -> dict[str, Any]:
        return {"article": article, "value": {"exact": value}, "as_written": str(value)}

    fact = {
        "slot": "people missing",
        "verdict": "conflicting",
        "reports": [report("a", 9), report("b", 9), report("c", 11)],
    }
    brief = {
        "id": "s1",
        "label": "Ferry",
        "articles": ["a", "b", "c"],
        "facts": [fact],
        "duplicates": [{"article": "b", "of": "a", "kind": "copy", "overlap": 0.9}],
    }
    outlets = {"a": "Kessa Post", "b": "Halvard Wire", "c": "Leeds Courier"}
    index = views.outlet_index([brief], outlets)
    assert [o["slot"] for o in index["leeds-courier"]["odd_one_out"]] == ["people missing"]
    assert not index["kessa-post"]["odd_one_out"] and index["kessa-post"]["conflicting_facts"] == 1
    assert [c["of_outlet"] for c in index["halvard-wire"]["copies"]] == ["Kessa Post"]
    two = {**fact, "reports": [report("a", 9), report("c", 11)]}
    alone = views.outlet_index([{**brief, "facts": [two], "duplicates": []}], outlets)
    assert not alone["leeds-courier"]["odd_one_out"]  # one against one: no majority to be odd against


def test_a_revision_diff_names_changed_figures_and_history_names_what_is_new() -> None:
    diff = views.revision_diff("Nine people are missing, police said.", "Eleven people are missing, police said.")
    assert diff["figures"] == [] and diff["changed"]  # a figure in words is still a change of text
    diff = views.revision_diff("The toll rose to 12 on Monday.", "The toll rose to 14 on Monday.")
    assert diff["figures"] == [{"was": "12", "now": "14"}]
    assert ("removed", "12") in diff["pieces"] and ("added", "14") in diff["pieces"]
    assert not views.revision_diff("Same text.", "Same text.")["changed"]
    fact = {
        "slot": "people killed",
        "reports": [
            {"article": "a", "value": {"exact": 12}, "as_written": "12"},
            {"article": "b", "value": {"exact": 12}, "as_written": "twelve"},
            {"article": "c", "value": {"exact": 14}, "as_written": "14"},
        ],
    }
    arrivals = [
        {"id": i, "outlet": o, "first_seen": f"2026-03-0{n + 1}"}
        for n, (i, o) in enumerate([("a", "Kessa Post"), ("b", "Kessa Post"), ("c", "Leeds Courier")])
    ]
    history = story_history({"facts": [fact]}, arrivals)
    assert [h["new_outlet"] for h in history] == [True, False, True]
    assert [[f["as_written"] for f in h["new_figures"]] for h in history] == [["12"], [], ["14"]]


def test_serve_refuses_a_missing_store_and_warns_off_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.delenv("STORYBRIEF_TOKEN", raising=False)
    runner = CliRunner()
    missing = runner.invoke(cli, ["serve", "--store", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "no such store" in missing.output and "Traceback" not in missing.output
    Store(tmp_path / "s.db").close()
    quiet = runner.invoke(cli, ["serve", "--store", str(tmp_path / "s.db")])
    assert quiet.exit_code == 0 and "warning" not in quiet.output
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8000
    loud = runner.invoke(cli, ["serve", "--store", str(tmp_path / "s.db"), "--host", "0.0.0.0"])
    assert loud.exit_code == 0 and "warning: serving on 0.0.0.0 without --token" in loud.output
    fine = runner.invoke(cli, ["serve", "--store", str(tmp_path / "s.db"), "--host", "0.0.0.0", "--token", "x"])
    assert "warning" not in fine.output
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    refused = runner.invoke(cli, ["serve", "--store", str(junk)])
    assert refused.exit_code == 2 and "not a storybrief store" in refused.output


def test_openapi_lists_every_api_route(served: tuple[Any, Path]) -> None:
    client, _ = served
    paths = set(client.get("/openapi.json").json()["paths"])
    expected = {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/entities/{entity_id}",
        "/api/outlets/{name}",
        "/api/search",
        "/api/articles",
    }
    assert expected <= paths
    assert not {p for p in paths if not p.startswith(("/api/", "/feeds/"))}  # pages are not API
    assert json.dumps(client.get("/openapi.json").json())


# --------------------------------------------------------------------------- the schema against the app


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app's OpenAPI schema, bound to an app over a copy of a small store (POST needs the token)."""
    import shutil

    import schemathesis

    from storybrief.web import create_app

    root = tmp_path_factory.mktemp("schema")
    source = root / "source.db"
    with Store(source) as store:
        folder = root / "in"
        folder.mkdir()
        _write(folder, "f1", "Ferry sinks on Lake Orlen", FERRY, "2026-03-02", "https://example.org/f1")
        _write(folder, "w1", "Fire destroys warehouse in Kessa", FIRE, "2026-03-04")
        store.add([str(folder)])
    shutil.copy(source, root / "copy.db")
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(root / "copy.db", token=TOKEN, max_body=20_000))


def _checker(headers: dict[str, str] | None) -> Any:
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers)

    return check


@pytest.mark.slow
def test_the_api_follows_its_schema_and_never_fails(api_schema: Any) -> None:
    """Every operation with generated requests (fixed seed, bounded): no 5xx, every response as its schema says."""
    from hypothesis import HealthCheck, given, settings

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/stories", "/api/search", "/api/articles"}
    for operation in operations:
        headers = {"Authorization": f"Bearer {TOKEN}"} if operation.method.upper() == "POST" else None
        check = settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))(
            given(case=operation.as_strategy())(_checker(headers))
        )
        try:
            check()
        except Exception as error:
            raise AssertionError(f"{operation.method.upper()} {operation.path}") from error
