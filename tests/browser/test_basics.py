"""The start page, log-in and the language switch, in a real browser."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_switch_language_and_log_out(page):
    from wijkbalans.accounts.services import user_create

    user_create(username="analist", password="a-long-test-password")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("link", name="Inloggen").click()
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill("a-long-test-password")
    page.get_by_role("button", name="Inloggen").click()
    assert page.locator(".who").inner_text() == "analist"
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").is_visible()
    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("link", name="Log in").is_visible()


def test_wrong_password_says_so(page):
    page.goto("/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("niemand")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").is_visible()


def test_start_and_login_pages_have_no_serious_accessibility_violations(page):
    for url in ("/", "/accounts/inloggen/"):
        page.goto(url)
        violations = axe_violations(page)
        assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_keyboard_reaches_the_skip_link_first(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
