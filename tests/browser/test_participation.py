"""Residents taking part, in headless Chromium. On a phone (390×844) a resident registers
(the confirmation link is read from the captured e-mail), comments on a plan, supports a
proposal, and votes in a neighbourhood budget round: a choice over the budget is refused
first, with the total and the budget named; then a choice within it is cast. On a desktop
a moderator hides the comment with a reason (the resident then reads it), closes the
round (the winning projects become activities of the programme) and publishes the
consultation's outcome linked to one of them; the neighbourhood page's timeline shows it
with the link. axe-core checks every page visited; screenshots go to
docs/screenshots/participation-*.png.

Controls are found by their ids, names and values, not by their labels, so the test
holds in Dutch and English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browser.conftest import axe_violations, screenshot
from tests.participation.conftest import (
    B00,
    PASSWORD,
    POSTCODE_FILE,
    W0,
    end_voting,
    make_areas,
    member,
    projects,
    round_in,
)
from tests.participation.test_views_areas import load_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "anna@voorbeeld.nl"


@pytest.fixture
def teststad(transactional_db, settings, tmp_path):
    """Teststad with its postcode table and a few figures; a moderator (programme staff of the
    municipality) and a finance officer; a programme with a funding source; an open
    consultation on Oosterpark; a proposal of another resident for wijk Noord; and an open
    budget round of € 10.000 on Noord (A € 6.000, B € 5.000, C € 3.000, D € 1.000)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PARTICIPATION_SUPPORT_THRESHOLD = 3
    from wijkbalans.accounts.services import organisation_create
    from wijkbalans.participation.postcodes import postcodes_load
    from wijkbalans.participation.services.consultations import consultation_create
    from wijkbalans.participation.services.identity import resident_create_verified
    from wijkbalans.participation.services.proposals import proposal_submit
    from wijkbalans.programmes.services.money import funding_source_save
    from wijkbalans.programmes.services.register import activity_create

    make_areas()
    load_figures()  # Oosterpark and Teststad in 2023 and 2024
    path = tmp_path / "pc6hnr20240801_gwb.csv"
    path.write_text(POSTCODE_FILE, encoding="utf-8")
    postcodes_load(path)
    gemeente = organisation_create(name="Gemeente Teststad", kind="municipality")
    moderator = member("programma", gemeente, "programme_staff")
    finance = member("financien", gemeente, "finance_officer")
    programme = activity_create(acting_user=moderator, code="nplv-teststad", kind="programme",
                                title="Nationaal Programma Teststad", owner=gemeente,
                                status="running", area_codes=["GM0999"], public=True)
    source = funding_source_save(acting_user=finance, code="wijkbudget",
                                 name="Wijkbudget Teststad", kind="municipal",
                                 start_year=2025, end_year=2027)
    now = timezone.now()
    consultation = consultation_create(
        acting_user=moderator, title="Een nieuw plein", area_code=B00, publish=True,
        text="Wat vindt u van het plan voor het plein aan de Vijverstraat?",
        opens=now - dt.timedelta(days=1), closes=now + dt.timedelta(days=14))
    neighbour = resident_create_verified(subject="buur-1", postcode="9711AB")
    proposal = proposal_submit(acting_user=neighbour, title="Bankjes bij de vijver",
                               text="Vier bankjes, zodat ouderen kunnen uitrusten.",
                               area_code=W0)
    budget_round = round_in(moderator=moderator, programme=programme, source=source)
    return {"consultation": consultation, "proposal": proposal, "round": budget_round}


def check(page, name: str | None = None) -> None:
    """axe-core finds nothing serious on the page, and on a phone nothing sticks out
    sideways; a screenshot when ``name`` is given."""
    page.wait_for_load_state()
    viewport = page.viewport_size["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px window"
    if name:
        screenshot(page, f"participation-{name}")
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                              for v in violations]


def submit(page, form: str) -> None:
    page.locator(f"{form} button[type=submit].primary").click()
    page.wait_for_load_state()


def test_a_resident_takes_part_and_sees_what_was_done(phone, page, teststad):
    from django.core import mail

    consultation, proposal, budget_round = (teststad["consultation"], teststad["proposal"],
                                            teststad["round"])
    area_url = f"/meedoen/wijk/{B00}/"

    # 1. The neighbourhood page and the index, on a phone.
    phone.goto("/meedoen/")
    check(phone, "index")
    phone.goto(area_url)
    sentences = phone.locator("ul.sentences li").all_inner_texts()
    assert len(sentences) == 4 and "58" in sentences[1] and "69" in sentences[1]
    check(phone, "area")

    # 2. Register; the link in the e-mail confirms the address; log in.
    phone.goto("/meedoen/aanmelden/")
    check(phone)
    phone.locator("#id_email").fill(EMAIL)
    phone.locator("#id_postcode").fill("9711 ZZ")  # not in the postcode table
    phone.locator("#id_password").fill(PASSWORD)
    submit(phone, "form.pform")
    assert phone.locator("#id_postcode_error").is_visible()
    assert phone.locator("#id_email").input_value() == EMAIL  # nothing typed is lost
    assert phone.locator("#id_password").input_value() == PASSWORD
    check(phone, "register-error")
    phone.locator("#id_postcode").fill("9711 AA")
    submit(phone, "form.pform")
    phone.wait_for_url("**/meedoen/aanmelden/verstuurd/")
    check(phone)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/meedoen/bevestigen/[^/\s]+/", mail.outbox[0].body).group(0)
    phone.goto(link)
    check(phone, "verified")
    phone.locator("#id_email").fill(EMAIL)
    phone.locator("#id_password").fill(PASSWORD)
    submit(phone, "form.pform")
    phone.wait_for_url("**/meedoen/")
    check(phone)

    # 3. A comment on the plan.
    phone.goto(f"/meedoen/raadpleging/{consultation.pk}/")
    phone.locator("#id_text").fill("Graag meer bomen en een bankje in de schaduw.")
    submit(phone, "form.pform")
    comment = phone.locator("li.comment").first
    assert "Graag meer bomen" in comment.inner_text()
    check(phone, "consultation")

    # 4. Support for a neighbour's proposal (threshold 3): the text goes from 0 to 1.
    phone.goto(f"/meedoen/voorstel/{proposal.pk}/")
    support_text = phone.locator(f"#support-{proposal.pk}")
    assert support_text.inner_text().lstrip().startswith("0")
    phone.locator("form[action$='/steun/'] button").click()
    phone.wait_for_url(f"**/meedoen/voorstel/{proposal.pk}/#steun")
    assert support_text.inner_text().lstrip().startswith("1")
    assert phone.locator("input[name=action][value=withdraw]").count() == 1
    check(phone, "proposal")

    # 5. The ballot: A and B cost € 11.000, over the € 10.000 budget. The live total says
    #    so as the boxes are ticked (with the keyboard), and the vote is refused, naming
    #    both amounts, with the choice kept.
    ids = projects(budget_round)
    phone.goto(f"/meedoen/budget/{budget_round.pk}/")
    assert phone.locator("button[name=action][value=check]").is_hidden()  # the script runs
    total = phone.locator("#ballot-total")
    assert total.get_attribute("aria-live") == "polite"
    for letter in "AB":
        phone.locator(f"#project-{ids[letter]}").focus()
        phone.keyboard.press("Space")
    assert "11.000,00" in total.inner_text() and "10.000,00" in total.inner_text()
    assert "over" in total.get_attribute("class")
    check(phone, "ballot")
    phone.locator("button[name=action][value=vote]").click()
    phone.wait_for_load_state()
    refusal = phone.locator("#projects_error")
    assert "11.000,00" in refusal.inner_text() and "10.000,00" in refusal.inner_text()
    assert phone.locator(f"#project-{ids['A']}").is_checked()
    assert phone.locator(f"#project-{ids['B']}").is_checked()
    check(phone, "ballot-refused")
    phone.locator(f"#project-{ids['B']}").uncheck()
    phone.locator(f"#project-{ids['C']}").check()
    phone.locator(f"#project-{ids['D']}").check()
    assert "over" not in total.get_attribute("class")
    assert total.inner_text().count("10.000,00") == 2  # chosen € 10.000 of € 10.000
    phone.locator("button[name=action][value=vote]").click()
    # The form posts to the ballot's anchor; the browser keeps it on the redirect.
    phone.wait_for_url(re.compile(rf"/meedoen/budget/{budget_round.pk}/gestemd/"))
    assert "10.000,00" in phone.locator("#ballot-sum").inner_text()
    check(phone, "ballot-done")

    # 6. A moderator hides the comment with a reason; the resident reads it.
    page.goto("/accounts/inloggen/?next=/meedoen/moderatie/")
    page.locator("#id_username").fill("programma")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/meedoen/moderatie/")
    check(page, "moderation")
    item = page.locator("ol.queue > li", has_text="Graag meer bomen")
    item.locator("textarea[name=reason]").fill("Dubbel geplaatst; zie de reactie hierboven.")
    item.locator("button[name=action][value=hide]").click()
    page.wait_for_url("**/meedoen/moderatie/")
    assert page.locator("ol.queue > li", has_text="Graag meer bomen").count() == 0
    phone.goto(f"/meedoen/raadpleging/{consultation.pk}/")
    hidden = phone.locator("li.comment.is-hidden")
    assert "Dubbel geplaatst" in hidden.inner_text()
    check(phone, "comment-hidden")

    # 7. Voting ends; the moderator closes the round: A, C and D win and become
    #    activities of the programme.
    end_voting(budget_round)
    page.goto(f"/meedoen/budget/{budget_round.pk}/")
    page.locator("form[action$='/sluiten/'] button").click()
    page.wait_for_url(f"**/meedoen/budget/{budget_round.pk}/#uitslag")
    winners = page.locator("#uitslag tbody tr", has=page.locator("td.chosen strong"))
    assert winners.count() == 3
    activity_link = page.locator(f"#uitslag tr[data-project='{ids['C']}'] a[href^='/programma/']")
    activity_url = activity_link.get_attribute("href")
    check(page, "results")

    # 8. The outcome of the consultation, linked to the activity project C became.
    page.goto(f"/meedoen/uitkomst/nieuw/?raadpleging={consultation.pk}")
    page.locator("input[name=status][value=adopted]").check()
    page.locator("#id_text").fill("Het plein krijgt bomen en bankjes: project C.")
    page.locator("#id_activity").select_option(activity_url.strip("/").split("/")[-1])
    check(page, "outcome")
    submit(page, "form.pform")
    page.wait_for_url(f"**/meedoen/raadpleging/{consultation.pk}/")
    check(page)

    # 9. The neighbourhood page's timeline shows it with the link, on the phone.
    phone.goto(area_url)
    timeline = phone.locator("#did-title + p + ol.timeline")
    entry = timeline.locator("li", has_text="Het plein krijgt bomen en bankjes")
    assert entry.locator(f"a[href='{activity_url}']").count() == 1
    assert timeline.locator(f"a[href='{activity_url}']").count() == 2  # and project C's own
    check(phone, "timeline")
    phone.goto(activity_url)
    assert phone.locator("h1").inner_text().startswith("Project C")
    check(phone)
