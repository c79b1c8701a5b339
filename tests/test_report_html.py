"""The HTML report as a file: made from the JSON alone, self-contained, strict CSP, hostile text escaped."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybrief.cli import app
from storybrief.report.html import brief_to_html, plain, safe_url

HOSTILE_TITLE = "Evil\u202eenilno\u200b title <script>window.__pwned=1</script>"
HOSTILE_TEXT = (
    "The council met on Monday and voted 7 to 2 for the plan. "
    "</script><script>window.__pwned = 1</script></style><style>body{display:none}</style> "
    '<img src=x onerror="window.__pwned=1"> <a href="javascript:window.__pwned=1">click</a> '
    + "A" * 10_000
    + " The mayor said 12 people spoke against it, and the plan passes next week."
)


def hostile_corpus(folder: Path) -> Path:
    """Invented hostile records: script and style breakers, handlers, bad URLs, bidi controls, a huge word."""
    rows = [
        {
            "id": f"h{i}",
            "title": HOSTILE_TITLE,
            "text": HOSTILE_TEXT,
            "url": url,
            "outlet": f'Outlet <b>{i}</b> " onfocus="window.__pwned=1',  # breaks out of a careless attribute
            "date": "2026-03-02",
        }
        for i, url in enumerate(
            ["javascript:window.__pwned=1", "data:text/html,<script>1</script>", "https://example.org/a"]
        )
    ]
    path = folder / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


class _Tags(HTMLParser):
    """Every element's attributes as the browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.counts: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        self.attributes.extend((tag, name, value) for name, value in attrs)


def _csp(page: str) -> str:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert match
    return html.unescape(match.group(1))


def test_plain_and_safe_url() -> None:
    assert plain("a\u202eb\u200bc\ufeff") == "abc"
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url("https://example.org/x") == "https://example.org/x" and safe_url(None) is None


def test_report_is_self_contained_with_a_strict_policy(reports: dict[str, Path]) -> None:
    page = (reports["examples"] / "briefs.html").read_text(encoding="utf-8")
    csp = _csp(page)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "default-src 'none'" in csp
    for tag in ("style", "script"):
        (body,) = re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert not re.search(r"\ssrc=", page)  # nothing is loaded: no image, script or frame has a source
    for link in re.findall(r'<a href="https?://[^"]*"[^>]*>', page):  # an article's own address is a link to follow
        assert 'rel="noreferrer noopener"' in link
    assert "<link" not in page and "@import" not in page and " style=" not in page


def test_report_command_renders_the_same_page_from_json(reports: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(reports["examples"] / "briefs.json"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "briefs.html").read_text() == (reports["examples"] / "briefs.html").read_text()


def test_the_page_is_written_in_pieces_that_make_the_same_page(
    reports: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from storybrief.report import html

    document = json.loads((reports["examples"] / "briefs.json").read_text(encoding="utf-8"))
    whole = html.brief_to_html(document)
    monkeypatch.setattr(html, "_PIECE", 2048)  # a page of 10,000 articles is cut like this, a megabyte at a time
    pieces = list(html.html_pieces(document))
    assert len(pieces) > 10 and "".join(pieces) == whole
    html.write_html(document, tmp_path / "page.html")
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == whole


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a JSON document"),
        ("[]", "not a briefs.json"),
        ('{"schema_version": "9.0", "manifest": {}, "articles": [], "stories": []}', "schema '9.0'"),
    ],
)
def test_report_command_refuses_bad_input_in_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    result = CliRunner().invoke(app, ["report", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_every_summary_citation_has_its_sentence(reports: dict[str, Path]) -> None:
    document = json.loads((reports["examples"] / "briefs.json").read_text())
    texts = {a["id"]: a["text"] for a in document["articles"]}
    for story in document["stories"]:
        for s in story["summary"]:
            assert [c["article"] for c in s["cited"]] == s["citations"]
            for c in s["cited"]:
                assert texts[c["article"]][c["start"] : c["end"]].strip() == c["text"].strip()


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    source = hostile_corpus(tmp_path)
    result = CliRunner().invoke(app, ["brief", str(source), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "briefs.html").read_text(encoding="utf-8")
    assert page.count("<script>") == 1 and page.count("<style>") == 1  # ours only
    tags = _Tags()
    tags.feed(page)
    assert not [(tag, name) for tag, name, _ in tags.attributes if name.startswith("on")]  # no handler anywhere
    assert {tag for tag, _, _ in tags.attributes} >= {"a", "mark"} and tags.counts["script"] == 1
    labels = [value for _, name, value in tags.attributes if name == "aria-label" and value and "Outlet" in value]
    assert labels and all('" onfocus="window.__pwned=1' in value for value in labels)  # the quote stayed text
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert "\u202e" not in page and "\u200b" not in page
    assert "&lt;script&gt;window.__pwned" in page  # the text still reads as written
    assert 'href="https://example.org/a"' in page


def test_a_document_without_optional_fields_renders() -> None:
    document = {"schema_version": "1.5", "manifest": {"inputs": []}, "articles": [], "stories": []}
    assert "Every input was read and briefed." in brief_to_html(document)


def _document(stories: list[dict[str, object]], articles: list[dict[str, object]]) -> dict[str, object]:
    return {"schema_version": "1.5", "manifest": {"inputs": []}, "articles": articles, "stories": stories}


def _article(aid: str, text: str, outlet: str | None = None) -> dict[str, object]:
    return {"id": aid, "text": text, "outlet": outlet, "published": "2026-03-02", "paragraphs": [[0, len(text)]]}


def _story(articles: list[str], timeline: list[dict[str, object]], facts: list[dict[str, object]]) -> dict[str, object]:
    return {
        "id": "s1",
        "label": "Kestrel Lake",
        "articles": articles,
        "summary": [],
        "entities": [],
        "facts": facts,
        "timeline": timeline,
        "duplicates": [],
    }


def test_a_sentence_with_two_dates_is_one_timeline_entry_and_a_lone_report_is_compact() -> None:
    text = "The Kestrel ferry sank on Monday and divers reached it by Friday."
    timeline = [
        {"when": day, "text": text, "article": "k1", "sentence": 0, "articles": ["k1"], "background": False}
        for day in ("2026-03-02", "2026-03-06")
    ]
    fact = {"slot": "people rescued", "verdict": "single-source", "reports": [{"article": "k1", "as_written": "12"}]}
    page = brief_to_html(_document([_story(["k1"], timeline, [fact])], [_article("k1", text, "Lake Orlen Post")]))
    assert page.count("The Kestrel ferry sank on Monday") == 2  # once in the timeline, once in the article
    assert "2026-03-02; 2026-03-06" in page
    assert "One report" in page and "Its 1 figure is not cross-checked" in page and '<table class="facts">' not in page


def test_coverage_names_silent_sources_once_and_who_lists_runs() -> None:
    texts = {f"k{i}": f"Report {i} on the Kestrel ferry." for i in range(1, 6)}
    reports = [{"article": a, "as_written": w} for a, w in (("k1", "12"), ("k2", "14"))]
    fact = {"slot": "people rescued", "verdict": "conflicting", "sources": 2, "reports": reports}
    story = _story(list(texts), [], [fact])
    story["entities"] = [
        {
            "canonical": "Ada Okafor",
            "type": "PERSON",
            "aliases": ["Okafor", "Ada Okafor"],
            "articles": ["k1", "k2", "k3", "k5"],
            "salience": {"mentions": 4},
        }
    ]
    page = brief_to_html(_document([story], [_article(a, t, "Kessa Herald") for a, t in texts.items()]))
    coverage = page[
        page.index('<table class="coverage">') : page.index("</table>", page.index('<table class="coverage">'))
    ]
    assert coverage.count('<th scope="col">') == 3  # the fact and the two sources that give it
    assert "Silent on all of them: [3], [4], [5]." in page
    assert "also <bdi>Okafor</bdi>" in page and "also <bdi>Okafor, Ada Okafor" not in page
    who = page[page.index('<ul class="who">') :]
    assert re.search(
        r'in <a href="#article-1">\[1\]</a>–<a href="#article-3">\[3\]</a>, <a href="#article-5">\[5\]</a>', who
    )


def test_coverage_marks_only_the_copies_as_not_independent() -> None:
    texts = {"k1": "The Kestrel ferry sank with 12 aboard.", "k2": "The Kestrel ferry sank with 14 aboard."}
    reports = [{"article": a, "as_written": w} for a, w in (("k1", "12"), ("k2", "14"))]
    fact = {"slot": "people aboard", "verdict": "conflicting", "sources": 2, "reports": reports}
    story = _story(list(texts), [], [fact])
    page = brief_to_html(_document([story], [_article(a, t, f"Outlet {a}") for a, t in texts.items()]))
    assert "not independent" not in page  # no copies: every column is a source of its own
    story["duplicates"] = [{"article": "k2", "of": "k1", "kind": "derivative", "overlap": 0.8}]
    page = brief_to_html(_document([story], [_article(a, t, f"Outlet {a}") for a, t in texts.items()]))
    assert page.count("derivative of [1], not independent") == 1


def test_a_story_with_a_history_shows_how_it_grew() -> None:
    texts = {"k1": "The Kestrel ferry sank with 12 aboard.", "k2": "The Kestrel ferry sank with 14 aboard."}
    story = _story(list(texts), [], [])
    story["history"] = [
        {"article": "k1", "arrived": "2026-03-02T08:00:00+00:00", "outlet": "Kessa Post", "new_outlet": True,
         "new_figures": [{"slot": "people aboard", "as_written": "12"}]},
        {"article": "k2", "arrived": "2026-03-02T09:30:00+00:00", "outlet": "Leeds Courier", "new_outlet": True,
         "new_figures": [{"slot": "people aboard", "as_written": "14"}]},
    ]  # fmt: skip
    page = brief_to_html(_document([story], [_article(a, t, "Kessa Post") for a, t in texts.items()]))
    grew = page[page.index("How the story grew") :]
    assert "new outlet" in grew and "people aboard “14”" in grew and "2026-03-02T09:30:00+00:00" in grew
    del story["history"]
    assert "How the story grew" not in brief_to_html(_document([story], [_article(a, t) for a, t in texts.items()]))
