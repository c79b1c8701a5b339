"""The HTML report as a file: made from the JSON alone, self-contained, strict CSP, hostile text escaped."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
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
            "outlet": f"Outlet <b>{i}</b>",
            "date": "2026-03-02",
        }
        for i, url in enumerate(
            ["javascript:window.__pwned=1", "data:text/html,<script>1</script>", "https://example.org/a"]
        )
    ]
    path = folder / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


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
    assert "onerror=" not in page.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert "\u202e" not in page and "\u200b" not in page
    assert "&lt;script&gt;window.__pwned" in page  # the text still reads as written
    assert 'href="https://example.org/a"' in page


def test_a_document_without_optional_fields_renders() -> None:
    document = {"schema_version": "1.4", "manifest": {"inputs": []}, "articles": [], "stories": []}
    assert "Every input was read and briefed." in brief_to_html(document)
