"""The touchstone's pages under /toetssteen/: the plan's page shows the ratings the back end
computes with their reasons and figures, stores assessments and decisions (refused input
and forbidden posts change nothing), alternatives side by side, the list of plans, what
the public sees, and the register's summary tag. Expected figures by hand from the demo
city (``conftest``)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import escape

from tests.touchstone.conftest import add_money, add_result, own_source
from wijkbalans.accounts.models import AuditEntry
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.programmes.models import Activity, ResultPeriod
from wijkbalans.touchstone import selectors
from wijkbalans.touchstone.models import Assessment, Decision
from wijkbalans.touchstone.services import assessment_create, decision_record

pytestmark = pytest.mark.django_db
CRITERIA = ["need", "evidence", "reach", "residents", "coherence", "money", "measurability"]


def counts() -> tuple[int, int, int]:
    return Assessment.objects.count(), Decision.objects.count(), AuditEntry.objects.count()


def ratings_on(html: str) -> dict[str, str]:
    """The scorecard's ratings as the page shows them (``data-criterion`` items)."""
    return dict(re.findall(r'data-criterion="(\w+)" data-rating="(\w+)"', html))


def as_user(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def plan(make_plan):
    """Poverty in Demostad-Noord, strong evidence, 3,000 participants by 2027 (13.3% of
    its 22,622 inhabitants), an outcome with baseline and target, and money of its own:
    2026 fully secured, 2027 half."""
    made = make_plan("ts-web", themes=["poverty"], evidence="effectief_goede",
                     title="Schuldhulp aan huis")
    add_result(made, name="Deelnemers", targets=[("2027", 3000)])
    add_result(made, name="Bijstand", kind="outcome", indicator_code="bijstand_per_1000",
               direction="down", baseline=50, baseline_period="2023", targets=[("2027", 40)])
    own_source("ts-web-fonds", secured={2026: "100000.00", 2027: "50000.00"})
    add_money(made, "ts-web-fonds", {2026: "100000.00", 2027: "100000.00"})
    return made


@pytest.fixture
def other(make_plan):
    """The alternative: social cohesion, no evidence, no results, no money."""
    return make_plan("ts-web-b", themes=["social"], title="Buurtfeest")


# -- the plan's page --------------------------------------------------------------------

def test_the_plan_page_shows_the_ratings_the_back_end_computes(client, plan, people):
    response = as_user(client, people["bureau"]).get("/toetssteen/ts-web/")
    assert response.status_code == 200
    html = response.content.decode()
    card = selectors.scorecard_compute(user=people["bureau"], activity=plan)
    expected = {r.key: r.rating for r in card.results}
    assert ratings_on(html) == expected
    assert (expected["need"], expected["evidence"], expected["reach"], expected["money"],
            expected["measurability"]) == ("strong", "strong", "strong", "adequate",
                                           "strong")
    with translation.override("nl"):
        for result in card.results:
            assert escape(result.reason.text()) in html
    # The figures behind the ratings, by hand: poverty 86,2 against 98,9 (−12,7 points);
    # 3.000 of 22.622 inhabitants is 13,3%; 2027 needs € 100.000,00 of which € 50.000,00
    # is secured.
    assert re.search(r"<th scope=\"row\">Armoede</th><td class=\"num\">86,2</td>"
                     r"<td class=\"num\">98,9</td><td class=\"num\">−12,7</td>", html)
    assert "<dd>13,3%</dd>" in html and "<dd>22.622 (2024)</dd>" in html
    assert re.search(r"<th scope=\"row\">2027</th><td class=\"num\">€ 100.000,00</td>"
                     r"<td class=\"num\">€ 50.000,00</td><td class=\"num\">€ 50.000,00</td>",
                     html)
    assert html.count("<details>") == 7 and html.count('class="meter" aria-hidden="true"') >= 7
    assert 'id="assess-form"' in html and 'id="decision-form"' not in html  # nothing to decide
    assert counts() == (0, 0, counts()[2])  # reading stores nothing


def test_the_inputs_change_the_target_group(client, plan, people):
    client = as_user(client, people["analist"])
    response = client.get("/toetssteen/ts-web/", {"target_group": "inwoners_65plus"})
    assert response.status_code == 200
    card = selectors.scorecard_compute(user=people["analist"], activity=plan,
                                       inputs={"target_group_indicator": "inwoners_65plus"})
    reach = card.get("reach")
    size = reach.data["target_group"]["size"]
    assert reach.data["target_group"]["indicator"] == "inwoners_65plus" and size < 22622
    html = response.content.decode()
    assert ratings_on(html)["reach"] == reach.rating
    share = f"{100 * 3000 / size:.1f}".replace(".", ",")
    assert f"<dd>{share}%</dd>" in html
    assert 'id="assess-form"' not in html  # an analyst reads, does not assess
    wrong = client.get("/toetssteen/ts-web/", {"target_group": "werkzaam_pct"})
    assert wrong.status_code == 400
    assert 'id="id_target_group_error"' in wrong.content.decode()
    assert 'id="scorecard"' not in wrong.content.decode()


def test_storing_an_assessment(client, plan, people, no_participation):
    before = counts()
    response = as_user(client, people["bureau"]).post("/toetssteen/ts-web/beoordelen/", {
        "label": "variant A", "expected_version": "1", "target_group_indicator": "inwoners",
        "reach_result": "Deelnemers", "note_residents": "Gevraagd door het bewonersplatform.",
        "argued_residents": "adequate", "note_money": "2027 volgt uit de voorjaarsnota."})
    assert response.status_code == 302
    assert response["Location"] == "/toetssteen/ts-web/?reach_result=Deelnemers#assessments"
    assert counts() == (before[0] + 1, before[1], before[2] + 1)
    made = Assessment.objects.get(activity=plan)
    assert (made.label, made.activity_version, made.created_by) == (
        "variant A", 1, people["bureau"])
    assert made.inputs["notes"] == {"residents": "Gevraagd door het bewonersplatform.",
                                    "money": "2027 volgt uit de voorjaarsnota."}
    assert made.results["residents"]["rating"] == "adequate"
    assert made.results["residents"]["basis"] == "argued"
    assert made.results["residents"]["computed_rating"] == "unknown"
    page = client.get(response["Location"]).content.decode()
    assert f'<tr data-assessment="{made.pk}">' in page
    assert 'id="decision-form"' in page and "2027 volgt uit de voorjaarsnota." in page


@pytest.mark.parametrize(("data", "field", "status"), [
    ({"argued_need": "strong", "note_need": "Toch sterk."}, "argued_need", 400),
    ({"argued_residents": "strong"}, "note_residents", 400),
    ({"note_money": "x" * 4001}, "note_money", 400),
    ({"label": "x" * 201}, "label", 400),
])
def test_bad_input_is_shown_at_its_field_and_stores_nothing(client, plan, people, data,
                                                            field, status):
    before = counts()
    response = as_user(client, people["bureau"]).post(
        "/toetssteen/ts-web/beoordelen/", {"expected_version": "1", **data})
    assert response.status_code == status
    assert f'id="id_{field}_error"' in response.content.decode()
    assert counts() == before


def test_a_plan_changed_since_it_was_read_is_not_stored(client, plan, people):
    Activity.objects.filter(pk=plan.pk).update(version=2)
    before = counts()
    response = as_user(client, people["bureau"]).post(
        "/toetssteen/ts-web/beoordelen/", {"expected_version": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "(version 1, now 2)" in html or "(versie 1, nu 2)" in html
    assert counts() == before
    assert 'name="expected_version" value="2"' in html  # the page now reads version 2


def test_a_tampered_target_group_is_refused(client, plan, people):
    before = counts()
    response = as_user(client, people["bureau"]).post(
        "/toetssteen/ts-web/beoordelen/",
        {"expected_version": "1", "target_group_indicator": "werkzaam_pct"})
    assert response.status_code == 400
    assert "werkzaam_pct" in response.content.decode()
    assert counts() == before


# -- decisions --------------------------------------------------------------------------

def test_recording_a_decision(client, plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan, label="A")
    before = counts()
    response = as_user(client, people["bureau"]).post("/toetssteen/ts-web/besluit/", {
        "assessment": str(made.pk), "decision": "go", "reason": "Sterk op opgave en bereik."})
    assert response.status_code == 302 and response["Location"].endswith("#assessments")
    assert counts() == (before[0], before[1] + 1, before[2] + 1)
    decision = Decision.objects.get(assessment=made)
    assert (decision.decision, decision.reason, decision.decided_by) == (
        "go", "Sterk op opgave en bereik.", people["bureau"])
    page = client.get("/toetssteen/ts-web/").content.decode()
    assert 'data-decision="go"' in page and "Sterk op opgave en bereik." in page


@pytest.mark.parametrize(("data", "field"), [
    ({"decision": "go", "reason": "  "}, "reason"),
    ({"decision": "maybe", "reason": "x"}, "decision"),
    ({"decision": "go", "reason": "x", "assessment": "999999"}, "assessment"),
])
def test_a_refused_decision_says_why_and_changes_nothing(client, plan, people, data, field):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    before = counts()
    response = as_user(client, people["bureau"]).post(
        "/toetssteen/ts-web/besluit/", {"assessment": str(made.pk), **data})
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert counts() == before


def test_no_decision_on_an_outdated_assessment(client, plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    Activity.objects.filter(pk=plan.pk).update(version=2)
    client = as_user(client, people["bureau"])
    page = client.get("/toetssteen/ts-web/").content.decode()
    assert 'id="decision-form"' not in page
    assert re.search(rf'<tr data-assessment="{made.pk}">.*?tag warn', page, re.S)
    before = counts()
    response = client.post("/toetssteen/ts-web/besluit/", {
        "assessment": str(made.pk), "decision": "go", "reason": "x"})
    assert response.status_code == 400 and counts() == before


# -- who may ----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["partner", "bewoner", "anonymous"])
def test_forbidden_posts_are_403_and_change_nothing(client, make_plan, people, who):
    public = make_plan("ts-web-open", public=True)
    made = assessment_create(acting_user=people["bureau"], activity=public)
    client = as_user(client, people[who])
    before = counts()
    assert client.post("/toetssteen/ts-web-open/beoordelen/",
                       {"expected_version": "1"}).status_code == 403
    assert client.post("/toetssteen/ts-web-open/besluit/", {
        "assessment": str(made.pk), "decision": "go", "reason": "x"}).status_code == 403
    assert counts() == before
    page = client.get("/toetssteen/ts-web-open/").content.decode()
    assert 'id="assess-form"' not in page and 'id="decision-form"' not in page


def test_a_plan_the_reader_may_not_see_is_404(client, plan, people):
    for who in ("anonymous", "bewoner"):
        c = as_user(client, people[who])
        assert c.get("/toetssteen/ts-web/").status_code == 404
        assert c.post("/toetssteen/ts-web/beoordelen/").status_code == 404
    assert client.get("/toetssteen/no-such-plan/").status_code == 404
    assert as_user(client, people["bureau"]).get(
        "/toetssteen/ts-web/beoordelen/").status_code == 405


def test_the_public_sees_ratings_but_not_the_money(client, make_plan, people):
    public = make_plan("ts-web-open", public=True)
    own_source("ts-web-open-fonds", secured={2026: "10.00"})
    add_money(public, "ts-web-open-fonds", {2026: "100.00", 2027: "100.00"})
    assessment_create(acting_user=people["bureau"], activity=public)
    html = client.get("/toetssteen/ts-web-open/").content.decode()
    assert ratings_on(html)["money"] == "weak"  # 10 of 100 in 2026, nothing in 2027
    money = html[html.index('id="criterion-money"'):html.index('id="criterion-measurability"')]
    assert "€" not in money and "<dd>2027</dd>" in money  # the year without money, no amount
    member = as_user(client, people["partner"]).get("/toetssteen/ts-web-open/")
    assert "€ 100,00" in member.content.decode()


# -- afterwards -------------------------------------------------------------------------

def test_afterwards_shows_expected_against_actual(client, plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    ResultPeriod.objects.filter(result__activity=plan, period="2027").update(
        target=Decimal("2500"), actual=Decimal("1500"))
    evaluation = Evaluation.objects.create(
        title="Effect Schuldhulp", activity_ref="ts-web", treated_codes=[],
        outcome="bijstand_per_1000", start_period="2026", status="done", estimate=-1.25,
        conclusion="effect")
    html = as_user(client, people["partner"]).get("/toetssteen/ts-web/").content.decode()
    after = html[html.index('id="afterwards"'):]
    assert f"#{made.pk}" in after
    # 2027: 3.000 expected when assessed, 2.500 now, 1.500 approved; progress 1500/2500.
    assert re.search(r'<th scope="row">2027</th><td class="num">3.000</td>'
                     r'<td class="num">2.500</td><td class="num">1.500</td>', after)
    assert "60%" in after
    assert "6,6%" in after  # reach achieved: 1.500 of 22.622
    assert f'href="/evaluaties/{evaluation.pk}/"' in after and "−1,25" in after


# -- alternatives side by side -----------------------------------------------------------

def test_two_plans_side_by_side(client, plan, other, people):
    a = assessment_create(acting_user=people["bureau"], activity=plan, label="A")
    b = assessment_create(acting_user=people["bureau"], activity=other, label="B")
    decision_record(acting_user=people["bureau"], assessment=a, decision="go", reason="Sterk")
    response = as_user(client, people["analist"]).get(
        "/toetssteen/vergelijk/", {"assessments": f"{a.pk},{b.pk}"})
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('id="comparison"'):html.index("</table>")]
    assert re.findall(r'<th scope="col" data-assessment="(\d+)"', table) == [str(a.pk),
                                                                            str(b.pk)]
    shown = re.findall(r'<span class="rating rating-(\w+)"', table)
    stored = [[x.results[k]["rating"] for x in (a, b)] for k in CRITERIA]
    assert shown == [r for row in stored for r in row]
    assert stored[1] == ["strong", "weak"]  # evidence: effectief_goede against not rated
    assert table.count("<tr>") == 1 + 7 and 'data-decision="go"' in table
    # The picker groups both under the programme line and keeps them ticked.
    assert html.count("checked") == 2 and "<legend>NPLV Demostad-Noord</legend>" in html
    same = client.get("/toetssteen/vergelijk/", {"assessments": [str(b.pk), str(a.pk)]})
    assert re.findall(r'<th scope="col" data-assessment="(\d+)"', same.content.decode()) == [
        str(b.pk), str(a.pk)]


@pytest.mark.parametrize("value", ["x", "1,,y", "999999", ",".join(str(i) for i in range(1, 8))])
def test_bad_comparisons_say_what_was_expected(client, plan, people, value):
    assessment_create(acting_user=people["bureau"], activity=plan)
    response = as_user(client, people["bureau"]).get("/toetssteen/vergelijk/",
                                                     {"assessments": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="assessments_error"' in html and 'id="comparison"' not in html


def test_the_public_compares_public_plans_only(client, plan, make_plan, people):
    hidden = assessment_create(acting_user=people["bureau"], activity=plan)
    shown = assessment_create(acting_user=people["bureau"],
                              activity=make_plan("ts-web-open", public=True))
    assert client.get("/toetssteen/vergelijk/",
                      {"assessments": f"{shown.pk},{hidden.pk}"}).status_code == 400
    response = client.get("/toetssteen/vergelijk/", {"assessments": str(shown.pk)})
    assert response.status_code == 200
    assert f'value="{hidden.pk}"' not in response.content.decode()


# -- the list ----------------------------------------------------------------------------

def test_the_index_lists_plans_and_recent_assessments(client, plan, other, make_plan,
                                                      people, django_assert_max_num_queries):
    a = assessment_create(acting_user=people["bureau"], activity=plan, label="A")
    decision_record(acting_user=people["bureau"], assessment=a, decision="adjust",
                    reason="Geld 2027")
    client = as_user(client, people["bureau"])
    html = client.get("/toetssteen/").content.decode()
    assert '<tr data-code="ts-web">' in html and '<tr data-code="ts-web-b">' in html
    assert f'<tr data-assessment="{a.pk}">' in html and 'data-decision="adjust"' in html
    client.get("/toetssteen/")  # warm the session and the memberships
    with django_assert_max_num_queries(20) as few:
        client.get("/toetssteen/")
    for label in ("B", "C", "D"):
        assessment_create(acting_user=people["bureau"], activity=other, label=label)
    make_plan("ts-web-c", themes=["health"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        # as many queries with four assessments and three plans as with one and two
        assert '<tr data-code="ts-web-c">' in client.get("/toetssteen/").content.decode()
    client.logout()
    public = client.get("/toetssteen/").content.decode()
    assert 'id="plans"' not in public and f'data-assessment="{a.pk}"' not in public


# -- the register's activity page --------------------------------------------------------

def test_the_summary_tag_for_the_register(plan, people):
    template = Template("{% load touchstone_tags %}{% touchstone_summary activity %}")
    request = RequestFactory().get("/programma/ts-web/")
    request.user = people["partner"]
    empty = template.render(Context({"activity": plan, "request": request}))
    assert 'href="/toetssteen/ts-web/"' in empty and "data-rating" not in empty
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    decision_record(acting_user=people["bureau"], assessment=made, decision="stop",
                    reason="Dubbel")
    shown = template.render(Context({"activity": plan, "request": request}))
    assert re.findall(r'data-rating="(\w+)"', shown) == [made.results[k]["rating"]
                                                         for k in CRITERIA]
    assert 'data-decision="stop"' in shown and f"#{made.pk}" in shown
