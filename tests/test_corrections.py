"""Editors' corrections: merges and splits that hold against clustering, unlinked spellings, marked verdicts;
kept in the store, applied again at every rebuild and ``recluster``, in the exported JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storybrief.briefing.corrections import apply_corrections
from storybrief.briefing.entities import unlink_alias
from storybrief.cluster.constraints import NEW, enforce
from storybrief.model import Correction, Entity, FactReport, FactSlot, Mention, Story, StoryBrief
from storybrief.report import schema
from storybrief.store import CorrectionError, Store
from test_store import FERRY, FIRE, _write

AT = "2026-03-05T10:00:00+00:00"
PERSON = " Tomas Brenner, the harbour master, said the storm came without warning. Brenner said divers were ready."


def _c(id: int, kind: str, **fields: object) -> Correction:
    return Correction(id=id, kind=kind, editor="Ada Okafor", why="checked with the desk", at=AT, **fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- the pure rules


def test_a_merge_joins_the_stories_holding_its_articles_under_the_oldest() -> None:
    where = {"a": "s-1", "b": "s-1", "c": "s-4", "d": "s-9"}
    result = enforce(where, [_c(1, "merge", articles=("a", "c"))], {"s-1": 1, "s-4": 4, "s-9": 9})
    assert result.where == {"a": "s-1", "b": "s-1", "c": "s-1", "d": "s-9"}
    assert result.merged == (("s-4", "s-1"),)
    assert result.moved(where) == {"c": "s-1"}
    # already together: nothing to do; a withdrawn merge is not applied
    assert enforce(result.where, [_c(1, "merge", articles=("a", "c"))], {}).moved(result.where) == {}
    withdrawn = _c(1, "merge", articles=("a", "d"), withdrawn=AT)
    assert enforce(where, [withdrawn], {"s-1": 1, "s-9": 9}).moved(where) == {}


def test_a_split_keeps_its_article_apart_in_its_own_story_while_that_is_free() -> None:
    where = {"a": "s-1", "b": "s-1", "x": "s-1"}
    split = _c(2, "split", article="x", articles=("a", "b"), other="s-7")
    assert enforce(where, [split], {}).where["x"] == "s-7"
    # its story was taken by other articles: a new one, for the caller to make
    taken = {**where, "y": "s-7"}
    assert enforce(taken, [split], {}).where["x"] == f"{NEW}2"
    # apart already (the clusterer put it elsewhere): left where it is
    assert enforce({**where, "x": "s-3"}, [split], {}).moved({**where, "x": "s-3"}) == {}
    # a later merge of the same articles wins over the split; a later split over a merge
    merge = _c(3, "merge", articles=("a", "x"))
    assert enforce(where, [split, merge], {"s-1": 1, "s-7": 7}).where["x"] == "s-1"
    early_merge = _c(1, "merge", articles=("a", "x"))
    assert enforce(where, [early_merge, split], {}).where["x"] == "s-7"


def _mention(article: str, start: int, text: str, label: str = "ORG") -> Mention:
    return Mention(article=article, sentence=0, start=start, end=start + len(text), text=text, label=label)


def test_unlinking_a_spelling_makes_it_a_name_of_its_own() -> None:
    mentions = (
        _mention("a", 0, "Kessa Air Express"),
        _mention("b", 0, "Kessa Air Express"),
        _mention("b", 40, "Kessa"),
        _mention("c", 5, "Kessa"),
    )
    linked = Entity(
        "kessa-air-express", "Kessa Air Express", "ORG", ("Kessa Air Express", "Kessa"), ("a", "b", "c"), mentions
    )
    other = Entity("halvard", "Halvard", "ORG", ("Halvard",), ("a",), (_mention("a", 30, "Halvard"),))
    out = unlink_alias([linked, other], "kessa-air-express", "kessa", {})
    assert out is not None
    by_id = {e.id: e for e in out}
    assert by_id["kessa-air-express"].aliases == ("Kessa Air Express",)
    assert by_id["kessa-air-express"].articles == ("a", "b")
    assert by_id["kessa"].aliases == ("Kessa",) and by_id["kessa"].articles == ("b", "c")
    assert by_id["halvard"] == other
    # its only spelling, or a name it does not have: nothing to unlink
    assert unlink_alias([other], "halvard", "Halvard", {}) is None
    assert unlink_alias([linked], "kessa-air-express", "Kestrel", {}) is None


def _slot(label: str, *reports: tuple[str, str], verdict: str = "conflicting") -> FactSlot:
    return FactSlot(
        slot=label,
        kind="quantity",
        verdict=verdict,  # type: ignore[arg-type]
        reports=tuple(FactReport(article=a, outlet=None, as_written=w, sentence=w) for a, w in reports),
    )


def test_a_verdict_mark_follows_its_fact_by_its_reports_when_the_label_changes() -> None:
    story = Story("s-1", "Ferry", ("a", "b", "c"))
    brief = StoryBrief(
        story=story,
        facts=(_slot("passengers missing", ("a", "nine"), ("b", "eleven")), _slot("people pulled", ("a", "31"))),
    )
    mark = _c(4, "verdict", slot="passengers missing", mark="wrong", reports=(("a", "nine"), ("b", "eleven")))
    marked = apply_corrections(brief, [mark])
    assert marked.facts[0].check == mark and marked.facts[1].check is None
    assert marked.corrections == (mark,)
    assert marked.facts[0].to_dict()["check"]["mark"] == "wrong"
    # rebuilt with a third report, the slot named after another word: found by the reports it shares
    renamed = StoryBrief(
        story=story,
        facts=(
            _slot("people pulled", ("a", "31")),
            _slot("missing", ("a", "nine"), ("b", "eleven"), ("c", "ten")),
        ),
    )
    assert apply_corrections(renamed, [mark]).facts[1].check == mark
    # a story without those reports is not marked, and lists nothing
    assert apply_corrections(StoryBrief(story=Story("s-2", "Fire", ("w",))), [mark]).corrections == ()


def test_a_correction_round_trips_its_json_shape() -> None:
    c = _c(5, "verdict", story="s-1", slot="passengers missing", mark="checked", verdict="conflicting",
           reports=(("a", "nine"),), withdrawn=AT, withdrawn_by="Ta Ruon")  # fmt: skip
    data = c.to_dict()
    assert data["reports"] == [{"article": "a", "as_written": "nine"}] and "article" not in data
    assert Correction.from_dict(json.loads(json.dumps(data))) == c


# ---------------------------------------------------------------------- in a store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "f1", "Ferry sinks on Lake Orlen", FERRY + PERSON, "2026-03-02")
    _write(folder, "f2", "Eleven missing after ferry sinks", FERRY.replace("Nine", "Eleven") + PERSON, "2026-03-02")
    _write(folder, "w1", "Fire destroys warehouse in Kessa", FIRE, "2026-03-04")
    opened = Store(tmp_path / "s.db")
    opened.add([str(folder)])
    return opened


def _story(store: Store, article: str) -> str:
    return str((store.article(article) or {})["story"])


def _add(store: Store, tmp_path: Path, name: str, title: str, text: str, date: str) -> None:
    folder = tmp_path / f"more-{name}"
    folder.mkdir()
    _write(folder, name, title, text, date)
    store.add([str(folder)])


def test_a_merge_holds_through_new_articles_and_recluster(store: Store, tmp_path: Path) -> None:
    ferry, fire = _story(store, "f1"), _story(store, "w1")
    assert ferry != fire
    made, stories = store.correct("merge", editor="Ada Okafor", why="one storm, one story", story=fire, other=ferry)
    assert made.kind == "merge" and set(made.articles) == {"f1", "f2", "w1"}
    kept = min((ferry, fire), key=lambda s: int(s.rsplit("-", 1)[1]))
    assert stories == [kept] and _story(store, "w1") == _story(store, "f1") == kept
    assert store.brief(max(ferry, fire, key=lambda s: int(s.rsplit("-", 1)[1])))["id"] == kept  # type: ignore[index]
    _add(
        store,
        tmp_path,
        "w2",
        "Warehouse fire in Kessa",
        FIRE.replace("200 workers", "two hundred workers"),
        "2026-03-04",
    )
    result = store.recluster(days=None)
    assert result["corrected"] >= 1  # the batch refinement put the fire apart; the merge put it back
    assert _story(store, "w1") == _story(store, "f1") == kept
    brief = store.brief(kept) or {}
    assert [c["kind"] for c in brief["corrections"]] == ["merge"]
    assert (
        brief["corrections"][0]["editor"] == "Ada Okafor" and brief["corrections"][0]["why"] == "one storm, one story"
    )
    import jsonschema

    document = store.document()
    jsonschema.validate(document, schema())
    assert [c["id"] for c in document["corrections"]] == [made.id]
    # withdrawn: kept as withdrawn, and the next recluster groups the articles afresh
    gone, _ = store.withdraw(made.id, "Ta Ruon")
    assert gone.withdrawn and gone.withdrawn_by == "Ta Ruon"
    store.recluster(days=None)
    assert _story(store, "w1") != _story(store, "f1")
    assert store.corrections()[0].withdrawn and store.corrections(withdrawn=False) == []


def test_a_split_article_stays_apart_through_recluster(store: Store, tmp_path: Path) -> None:
    ferry = _story(store, "f1")
    assert _story(store, "f2") == ferry
    made, stories = store.correct("split", editor="Ada Okafor", why="another sailing", story=ferry, article="f2")
    alone = _story(store, "f2")
    assert alone != ferry and made.other == alone and set(stories) == {ferry, alone}
    assert (store.brief(alone) or {})["articles"] == ["f2"]
    _add(store, tmp_path, "f3", "Divers search ferry wreck", FERRY.replace("Monday", "Monday night"), "2026-03-02")
    store.recluster(days=None)  # alone, the batch refinement joins all three ferry reports
    assert _story(store, "f2") == alone != _story(store, "f1") == _story(store, "f3")
    assert [c["kind"] for c in (store.brief(alone) or {})["corrections"]] == ["split"]


def test_an_unlinked_spelling_and_a_marked_verdict_survive_rebuilds(store: Store, tmp_path: Path) -> None:
    ferry = _story(store, "f1")
    names = {e["id"]: e for e in (store.brief(ferry) or {})["entities"]}
    assert "Brenner" in names["tomas-brenner"]["aliases"]
    store.correct("unlink", editor="Ada Okafor", why="a brother", entity="tomas-brenner", alias="Brenner", story=ferry)
    fact = next(f for f in (store.brief(ferry) or {})["facts"] if f["verdict"] == "conflicting")
    store.correct(
        "verdict", editor="Ta Ruon", why="the operator said nine", story=ferry, slot=fact["slot"], mark="wrong"
    )

    def check(brief: dict) -> None:
        names = {e["id"]: e for e in brief["entities"]}
        assert names["tomas-brenner"]["aliases"] == ["Tomas Brenner"] and names["brenner"]["aliases"] == ["Brenner"]
        marked = [f for f in brief["facts"] if f.get("check")]
        assert [(f["slot"], f["check"]["mark"], f["check"]["editor"]) for f in marked] == [
            (fact["slot"], "wrong", "Ta Ruon")
        ]
        assert [c["kind"] for c in brief["corrections"]] == ["unlink", "verdict"]

    check(store.brief(ferry) or {})
    _add(
        store, tmp_path, "f3", "Divers search ferry wreck", FERRY.replace("dawn", "first light") + PERSON, "2026-03-02"
    )
    assert _story(store, "f3") == ferry
    check(store.brief(ferry) or {})  # rebuilt with a third article
    store.recluster(days=None)
    check(store.brief(ferry) or {})
    import jsonschema

    from storybrief.report import brief_to_html
    from storybrief.report.markdown import document_to_markdown

    document = store.document(story=ferry)
    jsonschema.validate(document, schema())
    # the report shows them as corrections: who, when, why
    page, text = brief_to_html(document), document_to_markdown(document)
    assert "Corrections by editors" in page and "marked wrong</span> by <bdi>Ta Ruon</bdi>" in page
    assert "“<bdi>Brenner</bdi>” is not the name <bdi>tomas-brenner</bdi> (in this story)" in page
    assert "**marked wrong** by Ta Ruon" in text and "Ada Okafor" in text and "the operator said nine" in text


def test_a_correction_that_names_nothing_is_refused_in_one_line(store: Store) -> None:
    ferry, fire = _story(store, "f1"), _story(store, "w1")
    who = {"editor": "Ada Okafor", "why": "desk"}
    refusals = [
        ({"kind": "merge", "story": ferry, "other": "story-999"}, True),
        ({"kind": "merge", "story": ferry, "other": ferry}, False),
        ({"kind": "split", "story": ferry, "article": "w1"}, True),
        ({"kind": "split", "story": fire, "article": "w1"}, False),  # its only article
        ({"kind": "unlink", "entity": "tomas-brenner", "alias": "Halvard"}, True),
        ({"kind": "unlink", "entity": "lake-orlen", "alias": "Lake Orlen"}, False),  # its only spelling
        ({"kind": "verdict", "story": ferry, "slot": "no such fact", "mark": "wrong"}, True),
        ({"kind": "verdict", "story": ferry, "slot": "passengers", "mark": "maybe"}, False),
        ({"kind": "rename", "story": ferry}, False),
    ]
    for values, missing in refusals:
        with pytest.raises(CorrectionError) as error:
            store.correct(**{**who, **values})  # type: ignore[arg-type]
        assert error.value.missing is missing and "\n" not in str(error.value), values
    for bad in ({"editor": " ", "why": "desk"}, {"editor": "Ada", "why": ""}):
        with pytest.raises(CorrectionError):
            store.correct("merge", story=ferry, other=fire, **bad)  # type: ignore[arg-type]
    with pytest.raises(CorrectionError):
        store.withdraw(42, "Ada")
    assert store.corrections() == []


# ---------------------------------------------------------------------- in the web app

TOKEN = "editor-token-7"


@pytest.fixture
def client(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from storybrief.web import create_app

    store.close()
    with TestClient(create_app(tmp_path / "s.db", token=TOKEN), follow_redirects=False) as c:
        yield c


def _ferry(client) -> str:  # type: ignore[no-untyped-def]
    return str(client.get("/api/articles/f1").json()["story"])


def test_the_api_corrects_only_with_the_token(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ferry = _ferry(client)
    slot = next(f["slot"] for f in client.get(f"/api/stories/{ferry}").json()["facts"] if f["verdict"] == "conflicting")
    hostile = "<script>alert(1)</script> Ada"
    body = {
        "kind": "verdict",
        "story": ferry,
        "slot": slot,
        "mark": "checked",
        "editor": hostile,
        "why": "called <b>them</b>",
    }
    assert client.post("/api/corrections", json=body).status_code == 401
    wrong = client.post("/api/corrections", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and client.get("/api/corrections").json() == {"corrections": []}
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    made = client.post("/api/corrections", json=body, headers=bearer)
    assert made.status_code == 201 and made.json()["stories"] == [ferry]
    assert made.json()["correction"]["editor"] == hostile and made.json()["correction"]["verdict"] == "conflicting"
    story = client.get(f"/api/stories/{ferry}").json()
    assert [f["check"]["mark"] for f in story["facts"] if f.get("check")] == ["checked"]
    page = client.get(f"/stories/{ferry}").text
    assert "Corrections by editors" in page and "&lt;script&gt;alert(1)&lt;/script&gt; Ada" in page
    assert "<script>alert(1)" not in page and "called &lt;b&gt;them&lt;/b&gt;" in page
    listed = client.get("/corrections")
    assert listed.status_code == 200 and "&lt;script&gt;alert(1)" in listed.text
    # what it names must exist; what it says must make sense
    missing = client.post("/api/corrections", json={**body, "story": "story-999"}, headers=bearer)
    assert missing.status_code == 404 and "story-999" in missing.json()["detail"]
    assert client.post("/api/corrections", json={**body, "mark": "maybe"}, headers=bearer).status_code == 422
    assert client.post("/api/corrections", json={**body, "editor": ""}, headers=bearer).status_code == 422
    assert client.post("/api/corrections", json={**body, "editor": "\x85 "}, headers=bearer).status_code == 422
    itself = {"kind": "merge", "story": ferry, "other": ferry, "editor": "Ada", "why": "x"}
    assert client.post("/api/corrections", json=itself, headers=bearer).status_code == 409
    split_only = {"kind": "split", "story": ferry, "article": "w1", "editor": "Ada", "why": "x"}
    assert client.post("/api/corrections", json=split_only, headers=bearer).status_code == 404
    # withdrawn: the mark goes, the record stays
    cid = made.json()["correction"]["id"]
    assert client.post(f"/api/corrections/{cid}/withdraw", json={"editor": "Ta Ruon"}).status_code == 401
    gone = client.post(f"/api/corrections/{cid}/withdraw", json={"editor": "Ta Ruon"}, headers=bearer)
    assert gone.status_code == 200 and gone.json()["correction"]["withdrawn_by"] == "Ta Ruon"
    assert not [f for f in client.get(f"/api/stories/{ferry}").json()["facts"] if f.get("check")]
    again = client.post(f"/api/corrections/{cid}/withdraw", json={"editor": "Ta Ruon"}, headers=bearer)
    assert again.status_code == 409
    assert client.post("/api/corrections/99/withdraw", json={"editor": "Ta Ruon"}, headers=bearer).status_code == 404


def test_the_story_page_form_corrects_with_the_token_in_a_field(client) -> None:  # type: ignore[no-untyped-def]
    ferry = _ferry(client)
    fire = str(client.get("/api/articles/w1").json()["story"])
    page = client.get(f"/stories/{ferry}").text
    assert 'action="/corrections"' in page and f'<option value="{fire}">' in page  # a story of the same days
    assert '<option value="tomas-brenner Brenner">' in page and '<option value="f2">' in page
    name_page = client.get("/entities/tomas-brenner").text
    assert "<title>Tomas Brenner — storybrief</title>" in name_page and name_page.count('id="correct"') == 1
    assert '<option value="Tomas Brenner">' not in name_page  # its canonical name is not unlinked from itself
    form = {"story": ferry, "editor": "Ada Okafor", "why": "a brother", "spelling": "tomas-brenner Brenner"}
    refused = client.post("/corrections", data={**form, "kind": "unlink", "token": "nope"})
    assert refused.status_code == 401 and "text/html" in refused.headers["content-type"]
    unclear = client.post("/corrections", data={"story": ferry, "kind": "unlink", "token": TOKEN})
    assert unclear.status_code == 400 and "text/html" in unclear.headers["content-type"]
    done = client.post("/corrections", data={**form, "kind": "unlink", "token": TOKEN})
    assert done.status_code == 303 and done.headers["location"] == f"/stories/{ferry}"
    names = {e["id"]: e["aliases"] for e in client.get(f"/api/stories/{ferry}").json()["entities"]}
    assert names["brenner"] == ["Brenner"] and names["tomas-brenner"] == ["Tomas Brenner"]
    # from a name's page, a spelling unlinked in every story
    everywhere = {
        "entity": "lake-orlen",
        "alias": "Orlen",
        "kind": "unlink",
        "editor": "Ada",
        "why": "x",
        "token": TOKEN,
    }
    assert client.post("/corrections", data=everywhere).status_code == 404  # no such spelling: a page saying so
    big = client.post(
        "/corrections", content=iter([b"token=" + b"x" * 2_100_000])
    )  # no length said: read, then refused
    assert big.status_code == 413
    merged = client.post(
        "/corrections",
        data={"story": ferry, "other": fire, "kind": "merge", "editor": "Ada", "why": "one", "token": TOKEN},
    )
    assert merged.status_code == 303
    assert client.get("/api/articles/w1").json()["story"] == client.get("/api/articles/f1").json()["story"]


def test_without_a_token_there_is_no_form_and_no_writing(store: Store, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storybrief.web import create_app

    ferry = _story(store, "f1")
    store.close()
    with TestClient(create_app(tmp_path / "s.db")) as c:
        assert 'action="/corrections"' not in c.get(f"/stories/{ferry}").text
        body = {"kind": "merge", "story": ferry, "other": ferry, "editor": "Ada", "why": "x"}
        assert c.post("/api/corrections", json=body, headers={"Authorization": "Bearer x"}).status_code == 403
        assert c.post("/corrections", data={**body, "token": "x"}).status_code == 403


def test_a_spelling_unlinked_everywhere_holds_in_every_story_that_writes_it(store: Store, tmp_path: Path) -> None:
    made, stories = store.correct(
        "unlink", editor="Ada Okafor", why="two people", entity="tomas-brenner", alias="Brenner"
    )
    assert made.story is None and made.articles == () and stories == [_story(store, "f1")]
    # a new story that writes both spellings: the correction applies there too
    later = FIRE.replace("the city fire service said", "Tomas Brenner of the fire service said") + " Brenner said so."
    _add(store, tmp_path, "w9", "Second warehouse fire in Kessa", later.replace("Wednesday", "Sunday"), "2026-03-29")
    brief = store.brief(_story(store, "w9")) or {}
    names = {e["id"]: e["aliases"] for e in brief["entities"]}
    assert names.get("tomas-brenner") == ["Tomas Brenner"] and names.get("brenner") == ["Brenner"], names
    assert [c["id"] for c in brief["corrections"]] == [made.id]


def test_the_cli_lists_the_corrections(store: Store, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storybrief.cli import app

    runner = CliRunner()
    assert "no corrections" in runner.invoke(app, ["corrections", "--store", str(tmp_path / "s.db")]).output
    ferry = _story(store, "f1")
    made, _ = store.correct("split", editor="Ada Okafor", why="[another] sailing", story=ferry, article="f2")
    store.withdraw(made.id, "Ta Ruon")
    store.close()
    shown = runner.invoke(app, ["corrections", "--store", str(tmp_path / "s.db")])
    assert shown.exit_code == 0
    assert f"1. split: article f2 is not of story {ferry} (now in {made.other})" in shown.output
    assert (
        "Ada Okafor" in shown.output and "[another] sailing" in shown.output and "withdrawn by Ta Ruon" in shown.output
    )
