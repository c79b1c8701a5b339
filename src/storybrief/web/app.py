"""``storybrief serve``: the store in a browser and as a JSON API (FastAPI).

Pages are rendered on the server from the report's templates (``report/templates``,
with the pages of ``report/templates/site``); the JSON API gives the same data, the
story object exactly as in ``briefs.json``. Every request reads the store through a
connection of its own thread, so a running ``watch`` adds stories that the next
request shows. Nothing here reads a file the request names, and every SQL statement
is the store's, with parameters.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, quote, urlencode
from xml.sax.saxutils import escape as xml_escape

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..report.html import Links, articles_view, content_policy, safe_url, site_page, view
from ..store import CorrectionError, Store, StoreError
from . import views

#: Largest request body accepted, in bytes (``POST /api/articles``); larger ones get 413.
MAX_BODY = 2_000_000
#: Threads serving requests (each keeps a store connection): enough for two cores waiting on SQLite.
THREADS = 8
#: SQLite page cache of each of those connections, in KiB.
CACHE_KIB = 1024
#: Entries in an Atom feed.
FEED_ENTRIES = 50
#: Search hits shown.
SEARCH_LIMIT = 50


#: The body of ``POST /api/articles``: one record or an array of them, as ``ingest`` reads a JSON file.
_RECORD = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "text": {"type": "string"},
        "url": {"type": "string"},
        "outlet": {"type": "string"},
        "byline": {"type": "string"},
        "date": {"type": "string"},
    },
    "additionalProperties": True,
}
_RECORDS = {"oneOf": [_RECORD, {"type": "array", "items": _RECORD, "minItems": 1}]}


class Problem(BaseModel):
    """Why a request was refused or found nothing."""

    detail: str


#: Some character that is not a space (the store keeps names and notes with their spaces tidied).
_SAID = r"[^\s\x1c-\x1f]"


class _Signed(BaseModel):
    editor: str = Field(min_length=1, max_length=100, pattern=_SAID, description="who makes the correction")
    why: str = Field(min_length=1, max_length=2000, pattern=_SAID, description="the editor's note: why")


class MergeIn(_Signed):
    """Stories ``story`` and ``other`` are one (the older id stays)."""

    kind: Literal["merge"]
    story: str = Field(max_length=300)
    other: str = Field(max_length=300)


class SplitIn(_Signed):
    """Article ``article`` is not of story ``story``: it goes into a story of its own."""

    kind: Literal["split"]
    story: str = Field(max_length=300)
    article: str = Field(max_length=300)


class UnlinkIn(_Signed):
    """The spelling ``alias`` is not the name ``entity`` (in story ``story`` only, or in every story)."""

    kind: Literal["unlink"]
    entity: str = Field(max_length=300)
    alias: str = Field(max_length=300)
    story: str | None = Field(None, max_length=300)


class VerdictIn(_Signed):
    """The verdict of fact ``slot`` of story ``story`` is ``checked`` or ``wrong``."""

    kind: Literal["verdict"]
    story: str = Field(max_length=300)
    slot: str = Field(max_length=300)
    mark: Literal["checked", "wrong"]


#: The body of ``POST /api/corrections``: one correction, by its ``kind``.
CorrectionIn = Annotated[MergeIn | SplitIn | UnlinkIn | VerdictIn, Field(discriminator="kind")]


class WithdrawIn(BaseModel):
    """Who withdraws a correction."""

    editor: str = Field(min_length=1, max_length=100, pattern=_SAID)


_CORRECTION: TypeAdapter[MergeIn | SplitIn | UnlinkIn | VerdictIn] = TypeAdapter(CorrectionIn)

#: Headings of the error pages (other answers, and every answer of the API, are JSON).
_HEADINGS = {
    400: "Not understood",
    401: "Not allowed",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Not done",
}

#: Fields of the page's correction form, as ``CorrectionIn`` takes them.
_FORM_FIELDS = ("kind", "editor", "why", "story", "other", "article", "entity", "alias", "slot", "mark")


def _answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    words = {
        400: "a query or body it cannot read",
        401: "no valid Bearer token",
        403: "writing is off (no --token)",
        404: "no such id",
        409: "a correction the stories as they are do not allow (a story merged with itself, its only article split)",
        413: "a body over the limit",
    }
    return {code: {"model": Problem, "description": words[code]} for code in codes}


@dataclass
class _Cache:
    """What requests share, kept while the store's stories stay as they were: the story list (brought up to
    date story by story as stories change) and the indexes of names and outlets (rebuilt when asked for)."""

    stamp: object = None
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    ordered: list[dict[str, Any]] = field(default_factory=list)
    latest: str | None = None
    index_stamp: object = None
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    outlets: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Stores:
    """One store connection per server thread (SQLite connections are not shared between threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.opened: list[Store] = []
        self.lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = Store(self.path, cache_kib=CACHE_KIB)  # bounded: one such cache per thread
            self.local.store = store
            with self.lock:
                self.opened.append(store)
        return store

    def close(self) -> None:
        with self.lock:
            for store in self.opened:
                store.close()
            self.opened.clear()


def create_app(store_path: str | Path, token: str | None = None, *, max_body: int = MAX_BODY) -> Any:
    """The web app over the store at ``store_path``; ``token`` enables ``POST /api/articles`` (Bearer)."""
    path = Path(store_path)
    if not path.is_file():
        raise StoreError(f"{path}: no such store")
    Store(path).close()  # a foreign or newer store fails here, before the server starts
    stores = _Stores(path)
    cache = _Cache()
    policy = content_policy() + "; frame-ancestors 'none'"

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        # requests run in a bounded pool of threads, each with its own store connection (and its page cache)
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield
        stores.close()

    app = FastAPI(
        lifespan=lifespan,
        title="storybrief",
        description="Story briefs from a storybrief store: stories, articles, names, outlets and search.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.stores = stores

    # ------------------------------------------------------------------ middleware

    @app.middleware("http")
    async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Any]]) -> Any:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            response: Any = JSONResponse({"detail": f"request body over {max_body} bytes"}, status_code=413)
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def _html(template: str, links: Links | None = None, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(
            site_page(template, links or Links(), editing=token is not None, **context), status_code=status
        )

    def _authorise(given: str, what: str) -> None:
        """Refuse a write without the server's token (``given`` is the header's ``Bearer T``)."""
        if token is None:
            raise HTTPException(403, f"{what} is off: start the server with --token")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "a valid 'Authorization: Bearer' token is needed", {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Any:
        if request.url.path.startswith(("/api/", "/feeds/")) or error.status_code not in _HEADINGS:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        heading = _HEADINGS[error.status_code]
        return _html(
            "error.html.j2",
            status=error.status_code,
            status_code=error.status_code,
            heading=heading,
            message=str(error.detail),
        )

    # ------------------------------------------------------------------ reading

    def story_rows() -> list[dict[str, Any]]:
        """Live stories, newest change first; only the stories changed since the last look are read again."""
        store = stores.get()
        stamp = store.changes()
        if cache.stamp != stamp:
            with cache.lock:
                if cache.stamp != stamp:
                    for row in store.story_rows(cache.latest):
                        cache.rows[row["id"]] = row
                    live = store.live_story_ids()
                    for gone in set(cache.rows) - live:
                        del cache.rows[gone]
                    cache.ordered = sorted(cache.rows.values(), key=lambda r: (r["changed"], r["seq"]), reverse=True)
                    cache.latest = cache.ordered[0]["changed"] if cache.ordered else None
                    cache.stamp = stamp
        return cache.ordered

    def indexes() -> _Cache:
        """Names and outlets across every brief (read again only after the stories changed)."""
        store = stores.get()
        stamp = store.changes()
        if cache.index_stamp != stamp:
            with cache.lock:
                if cache.index_stamp != stamp:
                    briefs = list(store.briefs())
                    cache.entities = views.entity_index(briefs)
                    cache.outlets = views.outlet_index(briefs, store.outlets())
                    cache.index_stamp = stamp
        return cache

    def story_list(
        since: dt.date | None, until: dt.date | None, outlet: str | None, conflicts: bool
    ) -> list[dict[str, Any]]:
        chosen = views.StoryFilter(since=since, until=until, outlet=outlet or None, conflicts=conflicts)
        now = dt.datetime.now(dt.UTC)
        rows = []
        for row in story_rows():
            if chosen.keeps(row):
                first, last = row.get("first"), row.get("last")
                span = "undated" if not first else first if first == (last or first) else f"{first} – {last}"
                rows.append({**row, "span": span, "ago": views.ago(row.get("changed"), now)})
        return rows

    def story_document(story_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        store = stores.get()
        brief = store.brief(story_id)
        if brief is None:
            raise HTTPException(404, f"no story {story_id!r}")
        document = store.document(story=brief["id"], manifest=False)
        return brief, document

    # ------------------------------------------------------------------ pages

    @app.get("/", include_in_schema=False)
    def home() -> Any:
        return RedirectResponse("/stories", status_code=307)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        conflicts: bool = False,
        page: int = Query(1, ge=1, le=100_000),
    ) -> Any:
        dates: dict[str, dt.date | None] = {}
        problems = []
        for key, value in (("since", since), ("until", until)):
            try:
                dates[key] = dt.date.fromisoformat(value) if value else None
            except ValueError:
                dates[key] = None
                problems.append(f"{value!r} is not a date (YYYY-MM-DD); that filter is off.")
        rows = story_list(dates["since"], dates["until"], outlet, conflicts)
        listing = views.page_of(rows, page)
        names = sorted({o for r in story_rows() for o in r["outlets"]}, key=str.lower)
        params = {k: v for k, v in (("since", since), ("until", until), ("outlet", outlet)) if v}
        if conflicts:
            params["conflicts"] = "1"

        def page_url(n: int) -> str:
            return "/stories?" + urlencode({**params, "page": n})

        return _html(
            "stories.html.j2",
            section="stories",
            listing=listing,
            outlets=[{"slug": views.slug(n), "name": n} for n in names],
            filters={"since": since, "until": until, "outlet": outlet, "conflicts": conflicts},
            filtered=bool(params),
            page_url=page_url,
            problems=problems,
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> Any:
        brief, document = story_document(story_id)
        if brief["id"] != story_id:
            return RedirectResponse(f"/stories/{quote(str(brief['id']))}", status_code=308)
        shown = view(document)
        by_number = {a["number"]: str(a["id"]) for a in shown["articles"]}
        links = Links(page=lambda n: f"/articles/{quote(by_number.get(n, ''))}")
        changed = next((r["changed"] for r in story_rows() if r["id"] == brief["id"]), None)
        return _html(
            "story.html.j2",
            links,
            view=shown,
            ago=views.ago(changed, dt.datetime.now(dt.UTC)),
            nearby=views.nearby(story_rows(), brief) if token else [],
            spellings=views.spellings(brief) if token else [],
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> Any:
        store = stores.get()
        record = store.article(article_id)
        if record is None:
            raise HTTPException(404, f"no article {article_id!r}")
        article = record["article"]
        story = store.brief(record["story"]) if record["story"] else None
        # the article numbered as on its story's page (the story's articles by date), the others unread
        order = store.story_order(story["id"]) if story is not None else [article_id]
        placeholders = [article if a == article_id else {"id": a, "text": "", "paragraphs": []} for a in order]
        shown, _ = articles_view({"articles": placeholders, "stories": [story] if story else []})
        item = next(a for a in shown if str(a["id"]) == article_id)
        titles = store.titles([d[k] for d in (story or {}).get("duplicates") or [] for k in ("article", "of")])
        copies = []
        for d in (story or {}).get("duplicates") or []:
            if d["article"] == article_id:
                copies.append(
                    {
                        "text": f"a {d['kind']} ({round(d['overlap'] * 100)}% of sentences) of",
                        "other": d["of"],
                        "other_title": titles.get(d["of"], d["of"]),
                    }
                )
            elif d["of"] == article_id:
                copies.append(
                    {
                        "text": f"has a {d['kind']}:",
                        "other": d["article"],
                        "other_title": titles.get(d["article"], d["article"]),
                    }
                )
        texts = [r["article"]["text"] for r in record["revisions"]] + [article["text"]]
        revisions = [
            {"replaced_at": r["replaced_at"], "diff": views.revision_diff(texts[n], texts[n + 1])}
            for n, r in enumerate(record["revisions"])
        ]
        cited = any(start is not None for pieces in item["pieces"] for _, start in pieces)
        return _html(
            "article.html.j2",
            article=item,
            record=record,
            story=story,
            link=safe_url(article.get("url")),
            outlet_slug=views.slug(article.get("outlet")),
            copies=copies,
            revisions=revisions,
            cited=cited,
        )

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(entity_id: str) -> Any:
        found = indexes().entities.get(entity_id)
        if found is None:
            raise HTTPException(404, f"no name {entity_id!r}")
        return _html("entity.html.j2", entity=found, titles=stores.get().titles(found["articles"]))

    @app.get("/outlets/{name}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(name: str) -> Any:
        found = indexes().outlets.get(views.slug(name))
        if found is None:
            raise HTTPException(404, f"no outlet {name!r}")
        return _html("outlet.html.j2", outlet=found)

    def search(q: str) -> tuple[list[dict[str, Any]], int, str | None]:
        if not q.strip():
            return [], 0, None
        note = None
        try:
            hits = stores.get().search_hits(q, SEARCH_LIMIT)
        except StoreError:
            # not FTS5 syntax (an open quote, a stray bracket): the message, and the articles with its words
            note = "That search could not be read as a query (check its quotes and brackets)"
            words = re.findall(r"\w+", q)
            hits = stores.get().search_hits(" ".join(f'"{w}"' for w in words), SEARCH_LIMIT) if words else []
            note += "; these are the articles with all its words." if words else "."
        labels = {r["id"]: r["label"] for r in story_rows()}
        return views.grouped_hits(hits, labels), len(hits), note

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = Query("", max_length=500)) -> Any:
        groups, hits, error = search(q)
        return _html("search.html.j2", section="search", query=q, groups=groups, hits=hits, error=error)

    # ------------------------------------------------------------------ JSON API

    @app.get("/api/stories", summary="Live stories, newest activity first")
    def api_stories(
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = Query(None, max_length=200),
        conflicts: bool = False,
        page: int = Query(1, ge=1, le=100_000),
    ) -> dict[str, Any]:
        listing = views.page_of(story_list(since, until, outlet, conflicts), page)
        return {**listing, "items": [{k: v for k, v in r.items() if k != "ago"} for r in listing["items"]]}

    @app.get(
        "/api/stories/{story_id}", summary="A story object as in briefs.json, with its history", responses=_answers(404)
    )
    def api_story(story_id: str) -> dict[str, Any]:
        brief = stores.get().brief(story_id)
        if brief is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return {**brief, "history": stores.get().history(brief)}

    @app.get("/api/articles/{article_id}", summary="An article, its story and its revisions", responses=_answers(404))
    def api_article(article_id: str) -> dict[str, Any]:
        record = stores.get().article(article_id)
        if record is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return record

    @app.get(
        "/api/entities/{entity_id}", summary="A linked name, its aliases, stories and articles", responses=_answers(404)
    )
    def api_entity(entity_id: str) -> dict[str, Any]:
        found = indexes().entities.get(entity_id)
        if found is None:
            raise HTTPException(404, f"no name {entity_id!r}")
        return found

    @app.get("/api/outlets/{name}", summary="An outlet's stories, odd figures and copies", responses=_answers(404))
    def api_outlet(name: str) -> dict[str, Any]:
        found = indexes().outlets.get(views.slug(name))
        if found is None:
            raise HTTPException(404, f"no outlet {name!r}")
        return found

    @app.get("/api/search", summary="Articles matching a full-text query, grouped by story")
    def api_search(q: str = Query(..., min_length=1, max_length=500)) -> dict[str, Any]:
        groups, hits, note = search(q)
        for g in groups:
            for h in g["hits"]:
                h.pop("parts", None)
                h["snippet"] = str(h.get("snippet") or "").replace(views.MARK_OPEN, "[").replace(views.MARK_CLOSE, "]")
        return {"query": q, "hits": hits, "stories": groups, "note": note}

    @app.post(
        "/api/articles",
        summary="Add articles (JSON records as `ingest` reads them); needs the token",
        status_code=201,
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _RECORDS}}}},
        responses={
            200: {"description": "nothing new: every record was known or skipped"},
            **_answers(400, 401, 403, 413),
        },
    )
    async def api_add(request: Request) -> Any:
        _authorise(request.headers.get("authorization", ""), "adding articles")
        body = await request.body()
        if len(body) > max_body:
            raise HTTPException(413, f"request body over {max_body} bytes")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise HTTPException(400, "the body is not JSON") from None
        records = data if isinstance(data, list) else [data]
        if not records or not all(isinstance(r, dict) for r in records):
            raise HTTPException(400, "send a JSON object or an array of objects")
        from ..readers import ingest_bytes  # noqa: PLC0415

        lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")

        def add() -> tuple[Any, Any]:  # parsing and embedding: off the event loop, in a thread with its own store
            corpus = ingest_bytes(lines, "api", extension=".jsonl")
            return corpus, stores.get().add_corpus(corpus)

        corpus, result = await run_in_threadpool(add)
        manifest = [e.to_dict() for e in corpus.manifest.entries]
        return JSONResponse(
            {
                "new": result.new,
                "unchanged": result.unchanged,
                "updated": result.updated,
                "skipped": result.skipped,
                "stories": result.stories,
                "manifest": manifest,
            },
            status_code=201 if result.new or result.updated else 200,
        )

    # ------------------------------------------------------------------ corrections

    def correct(body: MergeIn | SplitIn | UnlinkIn | VerdictIn) -> tuple[Any, list[str]]:
        values = body.model_dump()
        try:
            return stores.get().correct(values.pop("kind"), **values)
        except CorrectionError as error:
            raise HTTPException(404 if error.missing else 409, str(error)) from None

    @app.get("/api/corrections", summary="Every editor's correction, withdrawn ones too, in the order made")
    def api_corrections() -> dict[str, Any]:
        return {"corrections": [c.to_dict() for c in stores.get().corrections()]}

    @app.post(
        "/api/corrections",
        summary="Correct a story (merge, split, unlink a name's spelling, mark a verdict); needs the token",
        status_code=201,
        responses=_answers(401, 403, 404, 409, 413),
    )
    def api_correct(body: CorrectionIn, request: Request) -> dict[str, Any]:
        _authorise(request.headers.get("authorization", ""), "correcting")
        made, stories = correct(body)
        return {"correction": made.to_dict(), "stories": stories}

    @app.post(
        "/api/corrections/{correction_id}/withdraw",
        summary="Withdraw a correction (kept, marked withdrawn); needs the token",
        responses=_answers(401, 403, 404, 409, 413),
    )
    def api_withdraw(correction_id: int, body: WithdrawIn, request: Request) -> dict[str, Any]:
        _authorise(request.headers.get("authorization", ""), "correcting")
        try:
            gone, stories = stores.get().withdraw(correction_id, body.editor)
        except CorrectionError as error:
            raise HTTPException(404 if error.missing else 409, str(error)) from None
        return {"correction": gone.to_dict(), "stories": stories}

    @app.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
    def corrections_page() -> Any:
        made = [c.to_dict() for c in reversed(stores.get().corrections())]
        return _html("corrections.html.j2", section="corrections", corrections=made)

    @app.post("/corrections", include_in_schema=False)
    async def correction_form(request: Request) -> Any:
        """The story page's form: the token in a field (a page cannot send a header), then as the API."""
        body = await request.body()
        if len(body) > max_body:
            raise HTTPException(413, f"request body over {max_body} bytes")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        _authorise(f"Bearer {form.get('token', '')}", "correcting")
        values = {k: form[k].strip() or None for k in _FORM_FIELDS if k in form}
        if " " in form.get("spelling", "").strip():  # the form's choice of a name's spelling: "entity-id spelling"
            values["entity"], values["alias"] = form["spelling"].strip().split(" ", 1)
        try:
            wanted = _CORRECTION.validate_python(values)
        except ValidationError:
            raise HTTPException(400, "fill in who you are, why, and what to correct") from None
        _made, stories = await run_in_threadpool(correct, wanted)
        if isinstance(wanted, UnlinkIn) and wanted.story is None:  # from the name's page, back to it
            return RedirectResponse(f"/entities/{quote(wanted.entity)}", 303)
        back = stories[0] if stories else wanted.story
        return RedirectResponse(f"/stories/{quote(str(back))}" if back else "/corrections", 303)

    # ------------------------------------------------------------------ Atom feeds

    def atom(request: Request, title: str, feed_id: str, entries: list[dict[str, str]]) -> Response:
        base = str(request.base_url).rstrip("/")
        updated = max((e["updated"] for e in entries), default=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<feed xmlns="http://www.w3.org/2005/Atom">',
            f"<title>{xml_escape(title)}</title>",
            f"<id>urn:storybrief:{feed_id}</id>",
            f"<updated>{xml_escape(updated)}</updated>",
            f'<link rel="self" href="{xml_escape(base + request.url.path)}"/>',
            "<author><name>storybrief</name></author>",
        ]
        for e in entries:
            parts += [
                "<entry>",
                f"<title>{xml_escape(e['title'])}</title>",
                f"<id>{xml_escape(e['id'])}</id>",
                f"<updated>{xml_escape(e['updated'])}</updated>",
                f'<link href="{xml_escape(base + e["path"])}"/>',
                f'<summary type="text">{xml_escape(e["summary"])}</summary>',
                "</entry>",
            ]
        parts.append("</feed>")
        return Response("\n".join(parts), media_type="application/atom+xml")

    @app.get("/feeds/stories.atom", summary="New and updated stories (Atom)", response_class=Response)
    def feed_stories(request: Request) -> Response:
        store = stores.get()
        entries = []
        for row in story_rows()[:FEED_ENTRIES]:
            brief = store.brief(row["id"]) or {}
            summary = " ".join(str(s.get("text")) for s in brief.get("summary") or [])
            entries.append(
                {
                    "id": f"urn:storybrief:story:{row['id']}:{row['changed']}",
                    "title": str(row["label"]),
                    "updated": str(row["changed"]),
                    "path": f"/stories/{quote(str(row['id']))}",
                    "summary": f"{row['articles']} articles, {len(row['outlets'])} outlets. {summary}",
                }
            )
        return atom(request, "storybrief: new and updated stories", "stories", entries)

    @app.get(
        "/feeds/conflicts.atom", summary="Stories with a conflicting or updated figure (Atom)", response_class=Response
    )
    def feed_conflicts(request: Request) -> Response:
        store = stores.get()
        entries = []
        for row in story_rows():
            brief = store.brief(row["id"]) or {}
            for fact in brief.get("facts") or []:
                if fact.get("verdict") not in ("conflicting", "updated"):
                    continue
                given = "; ".join(
                    f"{r.get('outlet') or r.get('article')}: {r.get('as_written')}" for r in fact.get("reports") or []
                )
                entries.append(
                    {
                        "id": f"urn:storybrief:fact:{row['id']}:{fact.get('slot')}:{row['changed']}",
                        "title": f"{fact.get('verdict')}: {fact.get('slot')} — {row['label']}",
                        "updated": str(row["changed"]),
                        "path": f"/stories/{quote(str(row['id']))}",
                        "summary": f"best {fact.get('best')}; {given}",
                    }
                )
            if len(entries) >= FEED_ENTRIES:
                break
        return atom(request, "storybrief: conflicting and updated figures", "conflicts", entries[:FEED_ENTRIES])

    return app
