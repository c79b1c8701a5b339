"""The HTML report in a real headless Chromium: stories, citations, facts order, safety, accessibility."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AXE
from storybrief.cli import app
from test_report_html import hostile_corpus

pytestmark = pytest.mark.browser


def _open(browser, path: Path, size: tuple[int, int] = (1280, 800)):  # type: ignore[no-untyped-def]
    browser.set_window_size(*size)
    browser.get_log("browser")  # drop what an earlier page logged
    browser.get_log("performance")
    browser.get(path.resolve().as_uri())
    return browser


def _requests(browser) -> list[str]:  # type: ignore[no-untyped-def]
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _errors(browser) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["message"] for e in browser.get_log("browser") if e["level"] in {"SEVERE", "ERROR"}]


@pytest.mark.parametrize("name", ["seeds", "examples"])
def test_report_in_the_browser(browser, reports: dict[str, Path], name: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    if name not in reports:
        pytest.skip("../shared/seeds is not available")
    folder = reports[name]
    document = json.loads((folder / "briefs.json").read_text())
    page = folder / "briefs.html"
    _open(browser, page)
    # the index lists each story
    labels = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#story-list > li")]
    assert len(labels) == len(document["stories"])
    for story, label in zip(document["stories"], labels, strict=True):
        assert story["label"][:30] in label
    # activating a citation (Enter) shows the right sentence of the right article
    articles = {a["id"]: i + 1 for i, a in enumerate(document["articles"])}
    story = next(s for s in document["stories"] if s["summary"])
    first = story["summary"][0]
    cited = first["cited"][-1]
    cite = browser.find_elements(By.CSS_SELECTOR, "#story-1 a.cite")[len(first["cited"]) - 1]
    cite.send_keys(Keys.ENTER)
    popover = browser.find_element(By.ID, "popover")
    assert popover.is_displayed()
    shown = popover.find_element(By.CSS_SELECTOR, "mark").text
    assert " ".join(shown.split()) == " ".join(cited["text"].split())
    assert (
        popover.find_element(By.ID, "popover-link")
        .get_attribute("href")
        .endswith(f"#article-{articles[cited['article']]}")
    )
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not popover.is_displayed()
    # conflicts first in every facts table
    order = {"conflicting": 0}
    for table in browser.find_elements(By.CSS_SELECTOR, "table.facts"):
        verdicts = [v.text for v in table.find_elements(By.CSS_SELECTOR, "tbody td .verdict")]
        ranks = [order.get(v, 1) for v in verdicts]
        assert ranks == sorted(ranks)
    # the filter hides stories that do not match
    box = browser.find_element(By.ID, "filter")
    box.send_keys("zzzz-no-story")
    assert not any(li.is_displayed() for li in browser.find_elements(By.CSS_SELECTOR, "#story-list > li"))
    box.clear()
    assert _errors(browser) == []
    assert [u for u in _requests(browser) if not u.startswith("file://")] == []


def test_hostile_articles_run_no_script(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    source = hostile_corpus(tmp_path)
    result = CliRunner().invoke(app, ["brief", str(source), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    _open(browser, tmp_path / "out" / "briefs.html", (390, 844))
    for link in browser.find_elements(By.CSS_SELECTOR, "a"):
        href = link.get_attribute("href") or ""
        assert not href.startswith(("javascript:", "data:"))
    for cite in browser.find_elements(By.CSS_SELECTOR, "a.cite")[:3]:
        cite.click()
    assert browser.execute_script("return window.__pwned === undefined") is True
    assert "window.__pwned = 1" in browser.find_element(By.ID, "articles").text  # the text reads as written
    assert [u for u in _requests(browser) if not u.startswith("file://")] == []
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390  # a 10,000-character word wraps


def test_accessibility_and_keyboard(browser, reports: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` (make browser)")
    name = "seeds" if "seeds" in reports else "examples"
    for size in ((1280, 800), (390, 844)):
        _open(browser, reports[name] / "briefs.html", size)
        browser.execute_script(AXE.read_text(encoding="utf-8"))
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
        )
        assert isinstance(result, list), result
        serious = [(v["id"], v["impact"], len(v["nodes"])) for v in result if v["impact"] in {"serious", "critical"}]
        assert serious == []
    # every interactive element is reachable by keyboard
    unreachable = browser.execute_script(
        "return [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]"
        ".filter(e => e.offsetParent !== null && e.tabIndex < 0).map(e => e.outerHTML.slice(0, 80));"
    )
    assert unreachable == []
    tabbable = browser.find_elements(By.CSS_SELECTOR, "a.cite")
    assert tabbable and all(t.get_attribute("tabindex") in (None, "0") for t in tabbable)
