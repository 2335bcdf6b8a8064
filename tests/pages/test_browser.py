"""The docs and the annotated article in a real browser: Debian's Chromium, driven by Playwright.

No browser is ever downloaded: the tests launch /usr/bin/chromium, from Debian's package
(`apt-get install -y --no-install-recommends chromium`; NEWSFACTS_CHROMIUM names another binary).
Without it, or without the `playwright` package, the tests fail and say so: they never skip.
Screenshots are saved under test-results/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.databases import ScratchDatabases
from tests.live import live_server

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("NEWSFACTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INSTALL_HINT = "apt-get update && apt-get install -y --no-install-recommends chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
SEED = "lukashenka-putin-sochi-2018"
KINDS = ("quotation", "event", "participant", "issue")
# ReDoc's sidebar shows Redocly's logo from Redocly's CDN; the page's policy blocks it (the
# image hides itself), so it is the one request to another host a page may attempt.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
TIMEOUT_MS = 30_000


@dataclass
class PageLog:
    """What a page did: the requests it made, the responses it got, the errors it reported."""

    base: str
    requests: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self, urls: list[str]) -> list[str]:
        """The URLs of anything but this server (blob: workers are the page's own)."""
        own = (self.base + "/", "blob:" + self.base + "/", "data:")
        return [url for url in urls if not url.startswith(own)]

    def assert_clean(self, *, allowed: tuple[str, ...] = ()) -> None:
        """No error and nothing loaded from another host; `allowed` may be tried (and blocked)."""
        assert [url for url in self.foreign(self.requests) if url not in allowed] == []
        assert self.foreign(self.responses) == []
        unexpected = [e for e in self.errors if not any(url in e for url in allowed)]
        assert unexpected == [], "the page reported errors (CSP violations included)"


@pytest.fixture(scope="module")
def base_url(scratch_databases: ScratchDatabases) -> Iterator[str]:
    """`newsfacts serve` on a fresh SQLite database: migrated and seeded by the command itself."""
    with live_server(scratch_databases.create("sqlite")) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium; or, when it cannot be had, the reason (each test then fails)."""
    if not CHROMIUM.exists():
        yield (
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's chromium"
            f" package ({INSTALL_HINT}). They never download a browser."
        )
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield "The browser tests need the `playwright` Python package (pip install playwright)."
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


OpenPage = Callable[[str], tuple[Any, PageLog]]


@pytest.fixture
def open_page(chromium: Any, base_url: str) -> Iterator[OpenPage]:
    """Open a path of the live server in a new browser context, recording what the page does.

    Without a browser, opening fails the test that asked (a failure, not a setup error).
    """
    contexts: list[Any] = []

    def open_(path: str) -> tuple[Any, PageLog]:
        if isinstance(chromium, str):
            pytest.fail(chromium)
        from playwright.sync_api import expect

        expect.set_options(timeout=TIMEOUT_MS)
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        log = PageLog(base_url)
        page.on("request", lambda request: log.requests.append(request.url))
        page.on("response", lambda response: log.responses.append(response.url))
        page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: log.errors.append(str(error)))
        response = page.goto(base_url + path)
        assert response is not None
        assert response.status == 200
        return page, log

    yield open_
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str, **options: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), **options)


def test_swagger_ui_renders_the_operations_and_tries_one_out(open_page: OpenPage) -> None:
    from playwright.sync_api import expect

    page, log = open_page("/docs")
    operation = page.locator("#operations-quotations-listQuotations")
    expect(operation).to_be_visible()
    assert page.locator(".opblock").count() > 20
    expect(page.locator(".info .title")).to_contain_text("newsfacts")
    screenshot(page, "docs.png")

    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: "/v1/quotations" in r.url) as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.url.startswith(log.base + "/v1/quotations")
    assert answer.value.status == 200
    items = answer.value.json()["items"]
    assert items
    live = operation.locator(".live-responses-table")
    expect(live.locator("tr.response .response-col_status").first).to_have_text("200")
    expect(live.locator("tr.response .response-col_description").first).to_contain_text(
        items[0]["id"]
    )
    live.scroll_into_view_if_needed()
    screenshot(page, "docs-try-it-out.png")
    log.assert_clean()


def test_redoc_renders_the_reference(open_page: OpenPage) -> None:
    from playwright.sync_api import expect

    page, log = open_page("/redoc")
    expect(page.locator("h1").first).to_contain_text("newsfacts")
    # Each operation's heading holds its anchor (named by the operationId) and its summary.
    heading = page.get_by_role(
        "heading", name=re.compile(r"operation.listQuotations List quotations$")
    )
    expect(heading).to_be_visible()
    expect(page.get_by_role("menuitem", name="quotations").first).to_be_visible()
    # The search box works off ReDoc's worker (a blob: script the policy allows).
    expect(page.get_by_placeholder("Search...")).to_be_visible()
    page.wait_for_timeout(500)  # let the sidebar and the samples settle
    screenshot(page, "redoc.png")
    log.assert_clean(allowed=(REDOC_LOGO,))


def test_the_annotated_article_highlights_spans_shows_details_and_the_agenda(
    open_page: OpenPage, base_url: str
) -> None:
    from playwright.sync_api import expect

    page, log = open_page(f"/articles/{SEED}")
    text = page.locator("#article-text")
    expect(text).to_be_visible()
    article = httpx.get(f"{base_url}/v1/articles/{SEED}", timeout=10).json()
    assert text.evaluate("element => element.textContent") == article["text"]

    # Spans of every kind are highlighted, each kind in its own way.
    for kind in KINDS:
        assert text.locator(f"mark.ev-{kind}").count() > 0, kind
    looks = page.evaluate(
        """kinds => kinds.map(kind => {
            const style = getComputedStyle(document.querySelector(`#article-text mark.ev-${kind}`));
            return [style.backgroundColor, style.borderBottomStyle, style.borderBottomColor].join();
        })""",
        list(KINDS),
    )
    assert len(set(looks)) == len(KINDS), looks

    # Keyboard: Tab reaches the skip link, Enter skips to the text, Tab focuses the first span,
    # whose tooltip (its accessible description) shows its fact and JSON resource.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(text).to_be_focused()
    page.wait_for_function("location.hash === '#article-text'")
    page.keyboard.press("Tab")
    first = text.locator("mark[tabindex='0']").first
    expect(first).to_be_focused()
    tip = page.locator("#" + str(first.get_attribute("aria-describedby")))
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("JSON: /v1/")
    page.keyboard.press("Tab")
    second = text.locator("mark[tabindex='0']").nth(1)
    expect(second).to_be_focused()
    second_tip = page.locator("#" + str(second.get_attribute("aria-describedby")))
    expect(second_tip).to_be_visible()
    assert page.locator(".tip:not([hidden])").count() == 1
    screenshot(page, "article.png")
    page.keyboard.press("Escape")
    expect(second_tip).to_be_hidden()

    # Enter on a span goes to its fact, with the link to its JSON resource.
    second.focus()
    page.keyboard.press("Enter")
    fact = page.locator(":focus")
    expect(fact).to_have_attribute(
        "id", str(second.get_attribute("data-tip")).replace("tip-", "fact-")
    )
    json_link = fact.locator("a.json-link")
    href = str(json_link.get_attribute("href"))
    assert httpx.get(base_url + href, timeout=10).status_code == 200

    # The pointer: hovering a quotation shows the tooltip of the span under it.
    quotation = text.locator("mark.ev-quotation[tabindex='0']").first
    quotation.scroll_into_view_if_needed()
    x, y = quotation.evaluate(
        "mark => { const r = mark.getClientRects()[0]; return [r.left + 4, r.top + r.height / 2]; }"
    )
    page.mouse.move(x, y)
    under = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('mark.ev').dataset.tip", [x, y]
    )
    expect(page.locator(f"#{under}")).to_be_visible()

    # The agenda: the article's events with their agenda issues and statuses.
    agenda = page.get_by_role("complementary", name="Agenda")
    expect(agenda).to_be_visible()
    events = agenda.locator(".agenda-event")
    assert events.count() >= 1
    expect(events.first).to_contain_text("Lukashenka–Putin bilateral meeting")
    expect(events.first.locator(".agenda-items li").first.locator(".status")).to_be_visible()
    screenshot(page, "article-full.png", full_page=True)
    log.assert_clean()
