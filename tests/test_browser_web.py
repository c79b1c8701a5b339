"""The web app in a real headless Chromium, served by uvicorn on 127.0.0.1: the path a reader takes, and axe."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from conftest import AXE, EXAMPLES
from storybrief.store import Store
from test_report_html import hostile_corpus

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The editors' token the test server is started with (its story pages carry the correction form).
TOKEN = "browser-editor-token"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The examples' store (what `make demo` leaves) and a hostile record, served on a free loopback port."""
    import uvicorn

    from storybrief.web import create_app

    root = tmp_path_factory.mktemp("site")
    db = root / "demo.db"
    (root / "hostile").mkdir()
    with Store(db) as store:
        store.add([str(EXAMPLES)])
        store.add([str(hostile_corpus(root / "hostile"))])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _open(browser: Any, url: str, size: tuple[int, int] = (1280, 800)) -> Any:
    browser.set_window_size(*size)
    browser.get_log("browser")
    browser.get(url)
    return browser


def _errors(browser: Any) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] in {"SEVERE", "ERROR"}]


def _serious(browser: Any) -> list[tuple[str, str, int]]:
    """axe-core's serious and critical violations on the page as it is now."""
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(result, list), result
    return [(v["id"], v["impact"], len(v["nodes"])) for v in result if v["impact"] in {"serious", "critical"}]


def _api(url: str) -> Any:
    import httpx

    return httpx.get(url, timeout=10).json()


def test_a_reader_goes_from_the_list_to_a_cited_sentence(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    stories = _api(f"{site}/api/stories")["items"]
    _open(browser, f"{site}/stories")
    listed = browser.find_elements(By.CSS_SELECTOR, ".story-list > li")
    assert len(listed) == len(stories)
    assert _errors(browser) == []
    # open the story with the most articles
    story = max(stories, key=lambda s: s["articles"])
    browser.find_element(By.CSS_SELECTOR, f'.story-list a[href="/stories/{quote(story["id"])}"]').click()
    assert browser.find_element(By.CSS_SELECTOR, "article.story h2").text.startswith(story["label"][:20])
    assert "How the story grew" in browser.page_source
    # activate a citation: its sentence shows; the popover's link opens the article's page at that sentence
    cite = browser.find_element(By.CSS_SELECTOR, "a.cite")
    cite.send_keys(Keys.ENTER)
    popover = browser.find_element(By.ID, "popover")
    assert popover.is_displayed()
    sentence = popover.find_element(By.CSS_SELECTOR, "mark").text
    link = popover.find_element(By.ID, "popover-link").get_attribute("href")
    assert urlsplit(link).path.startswith("/articles/") and "#s" in link
    browser.find_element(By.ID, "popover-link").click()
    assert urlsplit(browser.current_url).path.startswith("/articles/")
    target = browser.execute_script(
        "const t = document.querySelector(':target'); return t && t.tagName + ' ' + t.textContent;"
    )
    assert (
        target is not None and target.startswith("MARK ") and " ".join(target[5:].split()) == " ".join(sentence.split())
    )
    assert _errors(browser) == []


def test_search_for_a_name_reaches_its_story_and_the_list_filters_by_outlet(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    stories = _api(f"{site}/api/stories")["items"]
    story = max(stories, key=lambda s: s["articles"])
    brief = _api(f"{site}/api/stories/{quote(story['id'])}")
    name = next(e["canonical"] for e in brief["entities"] if len(e["articles"]) > 1 and " " in e["canonical"])
    _open(browser, f"{site}/stories")
    box = browser.find_element(By.ID, "site-q")
    box.send_keys(f'"{name}"')
    box.submit()
    # Navigation is asynchronous: wait for the page the form leads to (the check raced it once).
    WebDriverWait(browser, 10).until(lambda b: urlsplit(b.current_url).path == "/search")
    heading = browser.find_element(By.CSS_SELECTOR, f'section.hits h2 a[href="/stories/{quote(story["id"])}"]')
    heading.click()
    WebDriverWait(browser, 10).until(lambda b: urlsplit(b.current_url).path == f"/stories/{quote(story['id'])}")
    # the list filtered by an outlet shows only stories that outlet covers
    outlet = story["outlets"][0]
    _open(browser, f"{site}/stories")
    Select(browser.find_element(By.ID, "f-outlet")).select_by_visible_text(outlet)
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "outlet=" in b.current_url)  # a click does not wait for the page
    shown = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".story-list > li")]
    covering = [s for s in stories if outlet in s["outlets"]]
    assert len(shown) == len(covering) and all(outlet in text for text in shown)
    assert _errors(browser) == []


def test_hostile_text_served_runs_no_script(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By

    record = _api(f"{site}/api/articles/h0")
    for path in (f"/stories/{quote(record['story'])}", "/articles/h0", "/search?q=council", "/stories"):
        _open(browser, site + path, (390, 844))
        for cite in browser.find_elements(By.CSS_SELECTOR, "a.cite")[:2]:
            cite.click()
        assert browser.execute_script("return window.__pwned === undefined") is True, path
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, path


def test_every_page_type_is_accessible_and_keyboard_reachable(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` (make browser)")
    stories = _api(f"{site}/api/stories")["items"]
    story = max(stories, key=lambda s: s["articles"])
    brief = _api(f"{site}/api/stories/{quote(story['id'])}")
    entity = brief["entities"][0]["id"]
    pages = [
        "/stories",
        "/stories?conflicts=1",
        f"/stories/{quote(story['id'])}",
        f"/articles/{quote(brief['articles'][0])}",
        f"/entities/{quote(entity)}",
        f"/outlets/{quote(story['outlets'][0])}",
        "/search?q=ferry",
        "/search?q=%22",
        "/corrections",
        "/no-such-page",
    ]
    for path in pages:
        for size in ((1280, 800), (390, 844)):
            _open(browser, site + path, size)
            serious = _serious(browser)
            assert serious == [], (path, size, json.dumps(serious))
        assert _errors(browser) == [] or path == "/no-such-page", path  # a 404 is logged by the browser itself
        unreachable = browser.execute_script(
            "return [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]"
            ".filter(e => e.offsetParent !== null && e.tabIndex < 0).map(e => e.outerHTML.slice(0, 80));"
        )
        assert unreachable == [], path
    # the first Tab reaches the skip link, which moves focus past the header
    _open(browser, f"{site}/stories")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("class") == "skip"


def test_an_editor_marks_a_verdict_from_the_story_page(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    stories = _api(f"{site}/api/stories")["items"]
    story = max(stories, key=lambda s: s["articles"])
    brief = _api(f"{site}/api/stories/{quote(story['id'])}")
    fact = brief["facts"][0]
    _open(browser, f"{site}/stories/{quote(story['id'])}")
    browser.find_element(By.CSS_SELECTOR, "#correct summary").click()  # the form opens
    if AXE.is_file():
        assert _serious(browser) == []
    browser.find_element(By.ID, "c-editor").send_keys("Ada Okafor")
    browser.find_element(By.ID, "c-token").send_keys(TOKEN)
    browser.find_element(By.ID, "c-why").send_keys("confirmed by the <b>harbour</b> office")
    Select(browser.find_element(By.ID, "c-slot")).select_by_value(fact["slot"])
    Select(browser.find_element(By.ID, "c-mark")).select_by_value("checked")
    browser.find_element(By.CSS_SELECTOR, 'button[name="kind"][value="verdict"]').click()
    # back on the story page, the mark beside the verdict and the correction in the story's list
    mark = WebDriverWait(browser, 20).until(lambda b: b.find_element(By.CSS_SELECTOR, ".check.checked"))
    assert urlsplit(browser.current_url).path == f"/stories/{story['id']}"
    assert "Ada Okafor" in mark.text and "confirmed by the <b>harbour</b> office" in mark.text
    listed = browser.find_element(By.CSS_SELECTOR, "ol.corrections").text
    assert "Ada Okafor" in listed and fact["slot"] in listed
    assert _errors(browser) == []
    if AXE.is_file():
        assert _serious(browser) == []
