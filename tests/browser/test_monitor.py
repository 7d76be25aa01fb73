"""A user's walk through the monitor on the demo city, in headless Chromium:
home, change the indicator, click a buurt on the map, its profile, compare with the city,
download the CSV, switch to English. Screenshots of the main pages go to
docs/screenshots/. axe-core checks the main pages."""

import csv
import io

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from wijkbalans.demo.services import demo_load

    demo_load()


def test_user_story_on_the_demo_city(page, demo):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Wijkmonitor")
    page.locator("#map[data-ready='1']").wait_for()
    screenshot(page, "home")

    page.get_by_label("Indicator").select_option("bijstand_per_1000")
    page.get_by_role("button", name="Tonen").click()
    assert "Bijstandsuitkeringen" in page.locator("#map-title").inner_text()
    page.locator("#map[data-ready='1']").wait_for()
    first_row = page.locator("table.ranking tbody tr").first
    worst = first_row.locator("a").inner_text()

    # the worst buurt on the map, by its code, as a user clicks it
    code = first_row.locator("a").get_attribute("href").split("/")[2]
    page.locator(f"#map path[data-code='{code}']").click()
    page.wait_for_url(f"**/gebied/{code}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(worst)
    page.locator("#map[data-ready='1']").wait_for()
    screenshot(page, "profile")

    # compare the buurt with the programme area and the city
    page.get_by_role("link", name="Vergelijken").first.click()
    for i, key in enumerate([code, "demostad-noord", "GM9999"], start=1):
        page.get_by_label(f"Gebied {i}", exact=True).fill(key)
    page.get_by_label("Indicator door de tijd").fill("werkzaam_pct")
    page.get_by_role("button", name="Vergelijken").last.click()
    assert page.locator("table tbody tr").count() >= 12
    screenshot(page, "compare")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    body = open(info.value.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["place"] for r in rows} == {code, "demostad-noord", "GM9999"}
    assert {r["indicator"] for r in rows} == {"werkzaam_pct"}

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Compare areas"


def test_map_areas_are_reachable_by_keyboard(page, demo):
    page.goto("/")
    page.locator("#map[data-ready='1']").wait_for()
    focusable = page.locator("#map path[tabindex='0']")
    assert focusable.count() == 40
    focusable.first.focus()
    code = focusable.first.get_attribute("data-code")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gebied/{code}/")


@pytest.mark.parametrize("url, name", [
    ("/", "home"), ("/gebied/demostad-noord/", "programme-area"),
    ("/vergelijk/?gebied=BU99990000&gebied=demostad-noord&indicator=werkzaam_pct", None),
    ("/indicator/werkzaam_pct/", "indicator"), ("/zoek/?q=buurt", None), ("/gegevens/", None),
    ("/stapeling/", "stacking"), ("/evaluaties/", None),
])
def test_main_pages_have_no_serious_accessibility_violations(page, demo, url, name):
    page.goto(url)
    if page.locator("#map").count():
        page.locator("#map[data-ready='1']").wait_for()
    if name:
        screenshot(page, name)
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                              for v in violations]


def test_profile_on_a_phone(phone, demo):
    phone.goto("/gebied/demostad-noord/")
    assert phone.get_by_role("heading", level=1).is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
