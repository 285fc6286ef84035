"""Headless Chromium (Debian's, at /usr/bin/chromium) against pytest-django's live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def reference_data(transactional_db):
    """The live server needs a transactional database; the root conftest reloads the reference
    data for every such test."""


class ConsoleWatch:
    """Collects the page's console errors; a CSP violation fails the test."""

    def __init__(self):
        self.messages: list[str] = []

    def __call__(self, message):
        if message.type in ("error", "warning"):
            # Where it happened names the script (or page) to look at when a violation fails a test.
            where = message.location or {}
            self.messages.append(f"{message.text} [{where.get('url', '')}:{where.get('lineNumber', '')}]")

    @property
    def csp_violations(self) -> list[str]:
        return [text for text in self.messages if "Content Security Policy" in text]


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_watch = ConsoleWatch()
    page.on("console", page.console_watch)
    page.base_url = live_server.url
    yield page
    context.close()
    assert page.console_watch.csp_violations == [], page.console_watch.csp_violations


@pytest.fixture
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def capture(page, name: str, **options) -> None:
    """A screenshot under var/screenshots/: an artifact for people to look at, never an assertion,
    so a failed capture does not fail the test."""
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True, **options)
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the test goes on
        print(f"screenshot {name} not taken: {error}")
