"""The touchstone in headless Chromium, on the demo city: the programme bureau assesses two
alternative plans for Demostad-Noord, compares them side by side and records a decision on
the better one, the decision form with the keyboard only. The ratings on the pages are the
back end's; axe-core checks every page; screenshots go to docs/screenshots/touchstone-*.png.

Controls are found by their names, ids and data attributes, not by their labels, so the
test holds in Dutch and English."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STRONG_PLAN, WEAK_PLAN = "schuldhulp-aan-huis", "buurtfeest"


@pytest.fixture
def plans(transactional_db, settings):
    """Demostad with two alternative plans under its NPLV programme, made through the
    register's services as the bureau and the finance officer would: "Schuldhulp aan
    huis" (poverty, effective on good indications, households reached, an outcome with
    baseline and target, money secured for both years) and "Buurtfeest" (social cohesion,
    not rated, no results, no money)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.contrib.auth import get_user_model

    from wijkbalans.accounts.models import Organisation
    from wijkbalans.demo.services import demo_load
    from wijkbalans.programmes import selectors as programme_selectors
    from wijkbalans.programmes.services.money import (
        budget_line_create,
        funding_allocation_set,
        funding_source_save,
    )
    from wijkbalans.programmes.services.register import activity_create
    from wijkbalans.programmes.services.results import (
        result_indicator_save,
        result_period_save,
    )

    demo_load()
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["bureau", "financien"])}
    bureau = {"acting_user": users["bureau"]}
    gemeente = Organisation.objects.get(name="Gemeente Demostad")
    programme = programme_selectors.activity_get(user=users["bureau"], code="nplv-noord")
    common = {"kind": "intervention", "owner": gemeente, "parent": programme,
              "status": "planned", "start": dt.date(2026, 1, 1), "end": dt.date(2027, 12, 31),
              "area_set_slugs": ["demostad-noord"]}
    strong = activity_create(
        **bureau, **common, code=STRONG_PLAN, title="Schuldhulp aan huis", themes=["poverty"],
        evidence_level="effectief_goede", evidence_databank="nji",
        description="Een schuldhulpverlener komt thuis, binnen twee weken na het eerste "
                    "signaal.")
    households = result_indicator_save(**bureau, activity=strong, kind="output",
                                       name="Huishoudens bereikt", unit="huishoudens")
    result_period_save(**bureau, result=households, period="2026", target=Decimal(600))
    result_period_save(**bureau, result=households, period="2027", target=Decimal(1200))
    benefits = result_indicator_save(
        **bureau, activity=strong, kind="outcome", name="Bijstand per 1.000",
        indicator_code="bijstand_per_1000", direction="down", baseline_period="2024",
        baseline_value=Decimal("60"))
    result_period_save(**bureau, result=benefits, period="2027", target=Decimal("55"))
    finance = {"acting_user": users["financien"]}
    fund = funding_source_save(**finance, code="schuldhulp-fonds", name="Fonds schuldhulp",
                               kind="municipal", start_year=2026, end_year=2027)
    for year in (2026, 2027):
        funding_allocation_set(**finance, source=fund, year=year, amount=Decimal("120000.00"))
        budget_line_create(**finance, activity=strong, source=fund, year=year,
                           planned=Decimal("120000.00"))
    activity_create(**bureau, **common, code=WEAK_PLAN, title="Buurtfeest", themes=["social"])
    return users


def log_in(page, username: str, next_url: str) -> None:
    page.goto(f"/accounts/inloggen/?next={next_url}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def assert_no_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                              for v in violations]


def ratings_shown(page) -> dict[str, str]:
    items = page.locator("#scorecard li[data-criterion]")
    return {items.nth(i).get_attribute("data-criterion"): items.nth(i).get_attribute(
        "data-rating") for i in range(items.count())}


def computed(code: str, user, **inputs) -> dict[str, str]:
    from wijkbalans.touchstone import selectors

    activity = selectors.activity_for(user=user, code=code)
    card = selectors.scorecard_compute(user=user, activity=activity, inputs=inputs)
    return {r.key: r.rating for r in card.results}


def store(page, label: str, residents: str) -> int:
    """Store the scorecard shown as an assessment, with a rating of the residents'
    support argued in words where the data cannot rate it; returns its number."""
    from wijkbalans.touchstone.models import Assessment

    before = set(Assessment.objects.values_list("pk", flat=True))
    page.locator("#id_label").fill(label)
    if page.locator("#id_argued_residents").count():
        page.locator("#id_note_residents").fill(residents)
        page.locator("#id_argued_residents").select_option("adequate")
    page.locator("#assess-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*#assessments$"))
    made = Assessment.objects.exclude(pk__in=before).get()
    assert page.locator(f"#stored tr[data-assessment='{made.pk}']").count() == 1
    return made.pk


def test_the_bureau_assesses_compares_and_decides(page, plans):
    from wijkbalans.touchstone.models import Assessment, Decision

    bureau = plans["bureau"]
    log_in(page, "bureau", "/toetssteen/")
    rows = page.locator("#plans tbody tr")
    assert {rows.nth(i).get_attribute("data-code") for i in range(rows.count())} >= {
        STRONG_PLAN, WEAK_PLAN}
    assert_no_violations(page)

    # 1. Plan A, with households as its target group (the output counts households).
    page.locator(f"#plans a[href='/toetssteen/{STRONG_PLAN}/']").click()
    page.locator("#scorecard").wait_for()
    assert ratings_shown(page) == computed(STRONG_PLAN, bureau)
    page.locator("#id_target_group").select_option("huishoudens")
    page.locator("#inputs-form button[type=submit]").click()
    page.wait_for_url("**target_group=huishoudens**")
    strong = computed(STRONG_PLAN, bureau, target_group_indicator="huishoudens")
    assert ratings_shown(page) == strong
    assert (strong["need"], strong["evidence"], strong["money"]) == ("strong", "strong",
                                                                     "strong")
    page.locator("#criterion-reach summary").click()
    reach = page.locator("#criterion-reach table")
    assert reach.is_visible() and "1.200" in reach.inner_text()
    screenshot(page, "touchstone-plan")
    assert_no_violations(page)
    first = store(page, "Variant A: schuldhulp aan huis",
                  "Het bewonersplatform vroeg in 2025 om hulp aan huis.")
    stored = Assessment.objects.get(pk=first)
    assert stored.inputs["target_group_indicator"] == "huishoudens"
    assert {k: v["rating"] for k, v in stored.results.items() if k != "residents"} == {
        k: v for k, v in strong.items() if k != "residents"}

    # 2. Plan B, the alternative.
    page.goto(f"/toetssteen/{WEAK_PLAN}/")
    weak = computed(WEAK_PLAN, bureau)
    assert ratings_shown(page) == weak
    assert (weak["evidence"], weak["reach"], weak["money"], weak["measurability"]) == (
        "weak", "unknown", "weak", "weak")
    assert_no_violations(page)
    second = store(page, "Variant B: buurtfeest",
                   "Bewoners van De Akkers organiseren het feest al jaren zelf.")

    # 3. Side by side: a column per plan, a row per criterion, the stored ratings.
    page.goto("/toetssteen/vergelijk/")
    page.locator(f"#pick-{first}").check()
    page.locator(f"#pick-{second}").check()
    page.locator("#picker button[type=submit]").click()
    page.locator("#comparison").wait_for()
    columns = page.locator("#comparison thead th[data-assessment]")
    assert [columns.nth(i).get_attribute("data-assessment") for i in range(2)] == [
        str(first), str(second)]
    body = page.locator("#comparison tbody tr")
    assert body.count() == 7
    a, b = Assessment.objects.get(pk=first), Assessment.objects.get(pk=second)
    for i, key in enumerate(["need", "evidence", "reach", "residents", "coherence", "money",
                             "measurability"]):
        cells = body.nth(i).locator("td .rating")
        assert [cells.nth(j).get_attribute("data-rating") for j in range(2)] == [
            a.results[key]["rating"], b.results[key]["rating"]]
    screenshot(page, "touchstone-compare")
    assert_no_violations(page)

    # 4. "Go" on plan A, with the keyboard only: Tab from the assessment to the decision,
    # Space chooses "go", the reason is typed, Enter records it.
    page.goto(f"/toetssteen/{STRONG_PLAN}/")
    page.locator("#id_assessment").focus()
    assert page.evaluate("document.activeElement.value") == str(first)
    page.keyboard.press("Tab")
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == [
        "decision", "go"]
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_reason"
    page.keyboard.type("Sterk op opgave, bewijs en geld; het buurtfeest bereikt niemand "
                       "aantoonbaar.")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.type, document.activeElement.form.id, "
                            "getComputedStyle(document.activeElement).outlineStyle]")
    assert focused == ["submit", "decision-form", "solid"]  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*#assessments$"))
    decision = Decision.objects.get()
    assert (decision.assessment_id, decision.decision, decision.decided_by) == (
        first, "go", bureau)
    assert decision.reason.startswith("Sterk op opgave")
    row = page.locator(f"#stored tr[data-assessment='{first}']")
    assert row.locator("[data-decision='go']").count() == 1
    # base.html gives the message list role="status", which axe flags; checked without
    # the one-time message, as the register's browser test does.
    page.reload()
    screenshot(page, "touchstone-decision")
    assert_no_violations(page)
    page.goto("/toetssteen/")
    assert page.locator(f"#recent tr[data-assessment='{first}'] [data-decision='go']"
                        ).count() == 1
    screenshot(page, "touchstone-index")
    assert_no_violations(page)

    # 5. The progress report: the bureau generates it for Demostad-Noord (dated today, so
    # today's assessments count), the worker runs it, and its touchstone section shows
    # both assessments with the stored ratings and the decision.
    from wijkbalans.reports.models import ReportVersion
    from wijkbalans.reports.worker import work

    page.goto("/rapportage/nieuw/")
    page.locator("#id_area_set").select_option("demostad-noord")
    page.locator("#id_period").fill("2024")
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/rapportage/\d+/$"))
    version = ReportVersion.objects.get()
    assert (version.status, version.created_by) == ("queued", bureau)
    assert work(once=True) == 1
    page.reload()
    page.locator(f"a[href='/rapportage/{version.pk}/rapport.html']").click()
    page.wait_for_url(f"**/rapportage/{version.pk}/rapport.html")
    section = page.locator("section#touchstone")
    for pk, code in ((first, STRONG_PLAN), (second, WEAK_PLAN)):
        plan = section.locator(f"[data-plan='{code}']")
        assert plan.get_attribute("data-assessment") == str(pk)
        cells = plan.locator("td[data-rating]")
        assert [cells.nth(i).get_attribute("data-rating") for i in range(cells.count())] == [
            Assessment.objects.get(pk=pk).results[key]["rating"] for key in (
                "need", "evidence", "reach", "residents", "coherence", "money",
                "measurability")]
    assert section.locator(f"[data-plan='{STRONG_PLAN}'] [data-decision='go']").count() == 1
    assert section.locator(f"[data-plan='{WEAK_PLAN}'] [data-decision]").count() == 0
    assert "Sterk op opgave" in section.locator(f"[data-plan='{STRONG_PLAN}']").inner_text()
