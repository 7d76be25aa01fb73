"""The browser suite: Playwright's Python package driving Debian's Chromium against
Django's live server. Chromium is not downloaded by Playwright: ``scripts/install-browser``
installs Debian's package. Without it the suite skips here, and fails in CI
(``WIJKBALANS_REQUIRE_BROWSER=1``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("WIJKBALANS_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        require_or_skip(f"Chromium not found at {CHROMIUM} (run scripts/install-browser)",
                        env_var="WIJKBALANS_REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900},
                                  base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (shipped in the axe-playwright-python wheel, served from disk, never a
    CDN) on the page and return the violations of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def screenshot(page, name: str) -> None:
    """A full-page screenshot for docs/screenshots/, lazy images loaded first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelectorAll('img[loading=lazy]')"
                  ".forEach(img => img.loading = 'eager')")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("Array.from(document.images).every(img => img.complete)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
