"""Pages of the register's money: funding sources and secured amounts, budget lines, and
the coverage page with its chart and downloads, against the hand-computed case of
``money_fixtures`` (docs/programmes.md), to the cent."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from wijkbalans.programmes.models import BudgetLine, FundingAllocation, FundingSource
from wijkbalans.programmes.services.money import budget_line_update, funding_allocation_set

from .money_fixtures import counts, make_money_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_money_world()


def as_user(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


# -- who reads and who writes -----------------------------------------------------------

@pytest.mark.parametrize("url", ["/programma/financiering/", "/programma/dekking/",
                                 "/programma/dekking/dekking.csv",
                                 "/programma/dekking/grafiek.svg"])
def test_the_public_and_residents_see_no_money(client, world, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/inloggen/" in anonymous["Location"]
    assert as_user(client, world.resident).get(url).status_code == 403


def test_members_read_sources_and_only_finance_officers_of_a_municipality_edit(client,
                                                                               world):
    page = as_user(client, world.analyst).get("/programma/financiering/")
    assert page.status_code == 200
    html = text(page)
    assert "NPLV (SPUK)" in html and "€ 1.234.567,89" in html
    assert page.context["form"] is None and "/programma/financiering/nplv/" not in html
    before = counts()
    body = {"code": "npg", "name": "Nationaal Programma Groningen", "kind": "npg",
            "start_year": "2024", "end_year": "2030"}
    for user in (world.analyst, world.staff, world.finance_woonstad):
        assert as_user(client, user).post("/programma/financiering/", body).status_code == 403
        assert client.get("/programma/financiering/nplv/").status_code == 403
    assert counts() == before
    as_user(client, world.finance_gemeente)
    assert 'for="id_code"' in text(client.get("/programma/financiering/"))
    response = client.post("/programma/financiering/", body)
    assert response.status_code == 302 and response["Location"] == "/programma/financiering/npg/"
    assert FundingSource.objects.get(code="npg").end_year == 2030


def test_source_errors_name_their_field(client, world):
    as_user(client, world.finance_gemeente)
    before = counts()
    response = client.post("/programma/financiering/", {
        "code": "nplv", "name": "Dubbel", "kind": "state_grant", "start_year": "2030",
        "end_year": "2024"})
    assert response.status_code == 400
    assert "end_year" in response.context["form"].errors
    response = client.post("/programma/financiering/", {
        "code": "nplv", "name": "Dubbel", "kind": "state_grant", "start_year": "2022"})
    assert response.status_code == 400
    assert "nplv" in " ".join(response.context["form"].errors["code"])
    assert counts() == before


def test_secured_amounts_are_set_in_dutch_notation_exactly(client, world):
    as_user(client, world.finance_gemeente)
    url = "/programma/financiering/rd/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="id_alloc2023_allocation-amount"' in text(page)
    response = client.post(url, {"form": "allocation", "allocation-year": "2026",
                                 "allocation-amount": "€ 1.234.567,89"})
    assert response.status_code == 302
    assert FundingAllocation.objects.get(source__code="rd", year=2026).amount == Decimal(
        "1234567.89")
    before = counts()
    bad = client.post(url, {"form": "allocation", "allocation-year": "2026",
                            "allocation-amount": "12,345", "allocation-version": "1"})
    assert bad.status_code == 400
    assert "12,345" in " ".join(bad.context["allocations"][-1]["form"].errors["amount"])
    outside = client.post(url, {"form": "allocation", "allocation-year": "2031",
                                "allocation-amount": "10"})
    assert outside.status_code == 400
    assert "2031" in " ".join(outside.context["allocation_form"].errors["year"])
    assert counts() == before


def test_a_stale_secured_amount_shows_the_current_one(client, world):
    as_user(client, world.finance_gemeente)
    funding_allocation_set(acting_user=world.finance_gemeente, source=world.sources["rd"],
                           year=2024, amount=Decimal("260000.00"), expected_version=1)
    before = counts()
    response = client.post("/programma/financiering/rd/", {
        "form": "allocation", "allocation-year": "2024", "allocation-amount": "275000",
        "allocation-version": "1"})
    assert response.status_code == 409
    assert counts() == before
    assert FundingAllocation.objects.get(source__code="rd", year=2024).amount == Decimal(
        "260000.00")
    rows = {row["field"]: row["value"] for row in response.context["conflict"]["rows"]}
    assert rows == {"year": "2024", "amount": "€ 260.000,00"}


# -- budget lines -----------------------------------------------------------------------

def test_a_finance_officer_of_the_owner_adds_a_budget_line(client, world):
    url = "/programma/c/begroting/nieuw/"
    before = counts()
    for user in (world.finance_woonstad, world.staff, world.analyst):
        as_user(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"source": "gem", "year": "2026", "planned": "10"}
                           ).status_code == 403
    assert counts() == before
    as_user(client, world.finance_gemeente)
    assert "/programma/c/begroting/nieuw/" in text(client.get("/programma/c/"))
    response = client.post(url, {"source": "gem", "year": "2026", "planned": "12.500,50",
                                 "committed": "", "spent": "", "note": "Zomer"})
    assert response.status_code == 302
    line = BudgetLine.objects.get(activity__code="c", source__code="gem", year=2026)
    assert (line.planned, line.committed, line.spent) == (Decimal("12500.50"), 0, 0)
    page = client.get("/programma/c/")
    assert page.context["money"]["totals"]["planned"] == "€ 712.500,51"


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"source": "nplv", "year": "2026", "planned": "10"}, "year", "2026"),
    ({"source": "gem", "year": "2022", "planned": "10"}, "year", "2022"),
    ({"source": "gem", "year": "2027", "planned": "10,001"}, "planned", "10,001"),
    ({"source": "gem", "year": "2027", "planned": "-5"}, "planned", ""),
    ({"source": "", "year": "2027", "planned": "5"}, "source", ""),
])
def test_budget_line_errors_name_their_field(client, world, body, field, words):
    as_user(client, world.finance_gemeente)
    before = counts()
    response = client.post("/programma/c/begroting/nieuw/", body)
    assert response.status_code == 400
    assert counts() == before
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])


def test_a_stale_budget_line_edit_shows_the_current_row_and_writes_nothing(client, world):
    line = BudgetLine.objects.get(activity__code="c", source__code="rd", year=2024)
    url = f"/programma/c/begroting/{line.pk}/"
    as_user(client, world.finance_gemeente)
    assert client.get(url).context["form"]["version"].value() == 1
    budget_line_update(acting_user=world.finance_gemeente, line=line, expected_version=1,
                       planned=Decimal("310000.00"))
    before = counts()
    response = client.post(url, {"source": "rd", "year": "2024", "planned": "320.000",
                                 "committed": "0", "spent": "0", "note": "",
                                 "version": "1"})
    assert response.status_code == 409
    assert counts() == before
    assert BudgetLine.objects.get(pk=line.pk).planned == Decimal("310000.00")
    rows = {row["field"]: row["value"] for row in response.context["conflict"]["rows"]}
    assert rows == {"source": "Regio Deal (rd)", "year": "2024", "planned": "€ 310.000,00",
                    "committed": "€ 0,00", "spent": "€ 0,00", "note": "–"}
    assert "€ 310.000,00" in text(response) and 'value="320.000"' in text(response)
    again = client.post(url, {"source": "rd", "year": "2024", "planned": "320.000",
                              "committed": "0", "spent": "0", "note": "", "version": "2"})
    assert again.status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).planned == Decimal("320000.00")


def test_budget_lines_are_deleted_unless_money_is_committed(client, world):
    line = BudgetLine.objects.get(activity__code="c", source__code="rd", year=2024)
    as_user(client, world.finance_gemeente)
    budget_line_update(acting_user=world.finance_gemeente, line=line, expected_version=1,
                       committed=Decimal("5"))
    before = counts()
    response = client.post(f"/programma/c/begroting/{line.pk}/verwijderen/")
    assert response.status_code == 302 and counts() == before
    budget_line_update(acting_user=world.finance_gemeente, line=line, expected_version=2,
                       committed=Decimal("0"))
    as_user(client, world.staff)
    assert client.post(f"/programma/c/begroting/{line.pk}/verwijderen/").status_code == 403
    as_user(client, world.finance_gemeente)
    client.post(f"/programma/c/begroting/{line.pk}/verwijderen/")
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


# -- coverage ---------------------------------------------------------------------------

# Hand-computed from money_fixtures.LINES and ALLOCATIONS: (need, secured, gap) per year.
YEARS = {
    2022: ("€ 1.334.567,89", "€ 1.100.000,00", "€ 234.567,89"),
    2023: ("€ 1.534.567,89", "€ 1.534.567,89", "€ 0,00"),
    2024: ("€ 1.784.568,39", "€ 1.650.000,00", "€ 134.568,39"),
    2025: ("€ 1.344.567,89", "€ 100.000,00", "€ 1.244.567,89"),
    2026: ("€ 500.000,00", "€ 400.000,00", "€ 100.000,00"),
}


def test_the_coverage_page_to_the_cent(client, world):
    response = as_user(client, world.analyst).get("/programma/dekking/")
    assert response.status_code == 200
    got = {row["year"]: (row["need"], row["secured"], row["gap"])
           for row in response.context["years"]}
    assert got == YEARS
    assert response.context["totals"]["need"] == "€ 6.498.272,06"
    sources_2024 = {s["code"]: (s["need"], s["secured"], s["gap"])
                    for s in response.context["years"][2]["sources"]}
    assert sources_2024 == {"gem": ("€ 0,00", "€ 0,00", "€ 0,00"),
                            "nplv": ("€ 1.484.568,39", "€ 1.400.000,00", "€ 84.568,39"),
                            "rd": ("€ 300.000,00", "€ 250.000,00", "€ 50.000,00")}
    # NPLV ends in 2025: c (runs to 2026) and d (open) have no line in 2026.
    [ending] = response.context["ending"]
    assert (ending["code"], ending["last_year"]) == ("nplv", 2025)
    assert ending["after"] == [{"year": 2026, "amount": "€ 100.000,00",
                                "activities": ("c", "d")}]
    html = text(response)
    assert '<img src="/programma/dekking/grafiek.svg?van=2022&amp;tot=2026"' in html
    assert "/programma/dekking/dekking.csv?van=2022&amp;tot=2026" in html
    assert html.count("<caption>") >= 3 and 'scope="row"' in html
    chart_row = response.context["chart"]["rows"][3]
    assert chart_row == {"year": 2025, "need": "€ 1.344.567,89", "total": "€ 100.000,00",
                         "gap": "€ 1.244.567,89", "short": True,
                         "sources": ["€ 0,00", "€ 0,00", "€ 100.000,00"]}


def test_the_years_filter_and_its_errors(client, world):
    as_user(client, world.analyst)
    response = client.get("/programma/dekking/", {"van": "2025", "tot": "2030"})
    assert [row["year"] for row in response.context["years"]] == list(range(2025, 2031))
    assert response.context["years"][-1]["need"] == "€ 0,00"
    bad = client.get("/programma/dekking/", {"van": "2030", "tot": "2025"})
    assert bad.status_code == 400 and "tot" in bad.context["form"].errors
    assert client.get("/programma/dekking/", {"van": "twintig"}).status_code == 400
    assert client.get("/programma/dekking/dekking.csv", {"van": "x"}).status_code == 400


def test_the_downloads_hold_the_same_figures(client, world):
    as_user(client, world.analyst)
    body = client.get("/programma/dekking/dekking.csv", {"van": "2024", "tot": "2024"})
    assert body["Content-Disposition"] == 'attachment; filename="dekking-2024-2024.csv"'
    rows = list(csv.DictReader(io.StringIO(body.content.decode())))
    assert [(r["source_code"], r["need"], r["secured"], r["gap"]) for r in rows] == [
        ("gem", "0.00", "0.00", "0.00"), ("nplv", "1484568.39", "1400000.00", "84568.39"),
        ("rd", "300000.00", "250000.00", "50000.00")]
    data = json.loads(client.get("/programma/dekking/dekking.json").content)
    assert [y["gap"] for y in data["years"]] == ["234567.89", "0.00", "134568.39",
                                                 "1244567.89", "100000.00"]


def test_the_chart_is_an_accessible_svg(client, world):
    response = as_user(client, world.analyst).get("/programma/dekking/grafiek.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith('<svg role="img"') and "<title>" in svg and "<desc>" in svg
    assert "NPLV (SPUK)" in svg and "Regio Deal" in svg


def test_a_new_budget_line_moves_need_and_gap_by_exactly_its_amount(client, world):
    as_user(client, world.finance_gemeente)
    before = client.get("/programma/dekking/").context
    assert before["years"][4]["need"] == "€ 500.000,00"
    client.post("/programma/c/begroting/nieuw/", {"source": "gem", "year": "2026",
                                                  "planned": "12.500,50"})
    after = client.get("/programma/dekking/").context
    assert (after["years"][4]["need"], after["years"][4]["secured"],
            after["years"][4]["gap"]) == ("€ 512.500,50", "€ 400.000,00", "€ 112.500,50")
    assert after["totals"]["need"] == "€ 6.510.772,56"
    # c has a line in 2026 now, so only d falls away when NPLV ends.
    assert after["ending"][0]["after"] == [{"year": 2026, "amount": "€ 99.999,99",
                                            "activities": ("d",)}]


def test_a_stale_source_edit_shows_the_current_source(client, world):
    from wijkbalans.programmes.services.money import funding_source_save

    as_user(client, world.finance_gemeente)
    form = client.get("/programma/financiering/rd/").context["form"]
    body = {name: ("" if form[name].value() is None else form[name].value())
            for name in form.fields}
    funding_source_save(acting_user=world.finance_gemeente, source=world.sources["rd"],
                        expected_version=1, code="rd", name="Regio Deal Groningen",
                        kind="regio_deal", start_year=2023, end_year=2027)
    before = counts()
    response = client.post("/programma/financiering/rd/",
                           {**body, "form": "source", "name": "Regio Deal Noord"})
    assert response.status_code == 409 and counts() == before
    rows = {row["field"]: row["value"] for row in response.context["conflict"]["rows"]}
    assert (rows["name"], rows["end_year"], rows["kind"]) == (
        "Regio Deal Groningen", "2027", "Regio Deal")
    assert FundingSource.objects.get(code="rd").name == "Regio Deal Groningen"
    assert response.context["form"]["version"].value() == "2"
