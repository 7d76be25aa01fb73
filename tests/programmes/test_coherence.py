"""Coherence: problems against activities and money per buurt and theme (selectors, page,
CSV and the API), with hand-computed money splits, severities and flags.

The city is the monitor's test city (:func:`tests.monitor.conftest.make_city`): GM0999,
wijk WK099900 with buurten b0..b9, buurt i with 100·(i+1) inhabitants (2024) and
werkzaam_pct 60 + i (2024), so the stacking index has the domain work_income only and
b0 is worst: z = (64.5 − 60) / √8.25 = 1.5667 (population sd of 60..69).

The register for 2026 (``register`` fixture):

* p1 (public programme) → p1-jobs (public): b0, b1, b5; poverty and health; €90,000 in
  2026 → per theme b0 €5,000, b1 €10,000, b5 €30,000 (inhabitants 100/200/600).
* p2 (not public) → p2-line → p2-coach (not public): b0, b2..b9; work_income; €53,000
  → €10 per inhabitant in each of the nine buurten (5,300 inhabitants).
* p3 (public) → p3-extra (public): b4..b9; work_income; €45,000 → €10 per inhabitant
  (4,500 inhabitants); p3-food (public, undated, running): the gemeente; poverty; a
  budget line in 2025 only (not counted in 2026).
* p4 (not public) → p4-open (public): b5; poverty; no money.
* p1-old (ended 2024) and p1-idea (undated, planned): b1, work_income: not running.

Work and income per inhabitant: b0, b2, b3 €10; b1 €0; b4..b9 €20 → median €20. The worst
quintile (2 of 10) is b0 and b1: b1 has no activity, b0 less money than the median; both
are *high need, low effort*. b4..b9 have p2 and p3: *overlap* (members only). Poverty:
p1, p3 (and p4 in b5) → overlap in b0, b1, b5 for everyone.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.monitor.conftest import GM, buurt, make_city
from tests.stacking.conftest import demo_city  # noqa: F401 -- a fixture
from wijkbalans.accounts.models import Role
from wijkbalans.accounts.services import membership_grant, organisation_create, user_create
from wijkbalans.api.coherence import CoherenceView
from wijkbalans.areas.models import Area
from wijkbalans.areas.services import area_set_save, areas_register
from wijkbalans.conf.urls import urlpatterns as site_urlpatterns
from wijkbalans.indicators.importers.base import (
    AreaRecord,
    IndicatorSpec,
    Parsed,
    observations_frame,
)
from wijkbalans.indicators.services import load_parsed
from wijkbalans.programmes import coherence
from wijkbalans.programmes.errors import ProgrammeError
from wijkbalans.programmes.models import Activity, BudgetLine, FundingSource
from wijkbalans.programmes.web.coherence import activity_url

pytestmark = pytest.mark.django_db
YEAR = 2026
API = "/api/v1/coherence/"
# The API tests run on this module as URLconf: the site plus the coherence endpoint.
urlpatterns = [path("api/v1/coherence/", CoherenceView.as_view(), name="coherence-test"),
               *site_urlpatterns]
api_urls = pytest.mark.urls(__name__)
B = [buurt(i) for i in range(10)]


# -- fixtures --------------------------------------------------------------------------

@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    return organisation_create(name="Gemeente Teststad", kind="municipality")


@pytest.fixture
def member(owner, fast_passwords):
    user = user_create(username="staf", password="a-long-test-password")
    membership_grant(user=user, organisation=owner, role=Role.PROGRAMME_STAFF)
    return user


@pytest.fixture
def resident(owner, fast_passwords):
    user = user_create(username="bewoner", password="a-long-test-password")
    membership_grant(user=user, organisation=owner, role=Role.RESIDENT)
    return user


def activity(code, owner, *, parent=None, kind="intervention", public=False, areas=(),
             area_sets=(), themes=(), start=date(2025, 1, 1), end=None, status="running",
             money=None):
    made = Activity.objects.create(code=code, title=f"Titel {code}", kind=kind, owner=owner,
                                   parent=parent, public=public, themes=list(themes),
                                   start=start, end=end, status=status)
    made.areas.set(Area.objects.filter(code__in=areas))
    made.area_sets.set(area_sets)
    source = FundingSource.objects.get_or_create(
        code="spuk", defaults={"name": "SPUK", "kind": "state_grant", "start_year": 2020})[0]
    for year, planned in (money or {}).items():
        BudgetLine.objects.create(activity=made, source=source, year=year,
                                  planned=Decimal(planned))
    return made


def programme(code, owner, public):
    return activity(code, owner, kind="programme", public=public, start=None)


@pytest.fixture
def city(db):
    return make_city(10)


@pytest.fixture
def register(city, owner):
    p1, p2, p3, p4 = (programme(c, owner, public) for c, public in
                      (("p1", True), ("p2", False), ("p3", True), ("p4", False)))
    activity("p1-jobs", owner, parent=p1, public=True, areas=[B[0], B[1], B[5]],
             themes=["poverty", "health"], start=date(2024, 1, 1), end=date(2027, 12, 31),
             money={YEAR: "90000", 2025: "1000"})
    line = activity("p2-line", owner, parent=p2, kind="action_line")
    activity("p2-coach", owner, parent=line, areas=[B[0], *B[2:]], themes=["work_income"],
             money={YEAR: "53000"})
    activity("p3-extra", owner, parent=p3, public=True, areas=B[4:], themes=["work_income"],
             start=date(YEAR, 3, 1), end=date(YEAR, 12, 31), money={YEAR: "45000"})
    activity("p3-food", owner, parent=p3, public=True, areas=[GM], themes=["poverty"],
             start=None, money={2025: "12345"})
    activity("p4-open", owner, parent=p4, public=True, areas=[B[5]], themes=["poverty"])
    activity("p1-old", owner, parent=p1, public=True, areas=[B[1]], themes=["work_income"],
             start=date(2022, 1, 1), end=date(2024, 12, 31), money={2024: "5000"})
    activity("p1-idea", owner, parent=p1, public=True, areas=[B[1]], themes=["work_income"],
             start=None, status="planned")


def cell(matrix, code, theme):
    row = next(r for r in matrix.rows if r.code == code)
    return next(c for c in row.cells if c.theme == theme)


def codes(cell_):
    return [a.code for a in cell_.activities]


# -- the arithmetic --------------------------------------------------------------------

def test_split_money_by_inhabitants_and_themes():
    shares = coherence.split_money(Decimal("90000"), {"a": 100.0, "b": 200.0, "c": 600.0}, 2)
    assert shares == {"a": Decimal("5000"), "b": Decimal("10000"), "c": Decimal("30000")}
    # One figure missing: equally, then over the themes.
    equal = coherence.split_money(Decimal("900"), {"a": 100.0, "b": None, "c": 0.0}, 3)
    assert equal == {"a": Decimal("100"), "b": Decimal("100"), "c": Decimal("100")}
    assert coherence.split_money(Decimal("900"), {}, 2) == {}


def test_worst_quintile_counts_ties_in():
    values = {f"b{i}": float(i) for i in range(10)} | {"none": None}
    assert coherence.worst_share_members(values) == {"b9", "b8"}
    assert coherence.worst_share_members({"a": 1.0, "b": 1.0, "c": 0.0, "d": -1.0}) == {"a", "b"}
    assert coherence.worst_share_members({"a": None}) == set()


# -- the matrix ------------------------------------------------------------------------

def test_severity_is_the_index_domain_score(city):
    matrix = coherence.coherence_matrix(gemeente=GM, year=YEAR, user=None)
    assert matrix.source == coherence.SOURCE_INDEX and matrix.period == "2024"
    assert [r.code for r in matrix.rows] == B
    assert matrix.rows[0].inhabitants == 100.0
    assert cell(matrix, B[0], "work_income").severity == pytest.approx(4.5 / 8.25 ** .5)
    assert cell(matrix, B[9], "work_income").severity == pytest.approx(-4.5 / 8.25 ** .5)
    assert cell(matrix, B[0], "poverty").severity is None  # no poverty figures
    worst = [r.code for r in matrix.rows if cell(matrix, r.code, "work_income").worst]
    assert worst == B[:2]


def test_money_is_split_by_inhabitants_and_themes(register, member):
    matrix = coherence.coherence_matrix(gemeente=GM, year=YEAR, user=member)
    assert matrix.money_visible
    for code, euros in ((B[0], "5000.00"), (B[1], "10000.00"), (B[5], "30000.00")):
        for theme in ("poverty", "health"):
            assert coherence.euros(cell(matrix, code, theme).money) == euros
        assert coherence.euros(cell(matrix, code, "health").per_inhabitant) == "50.00"
    assert cell(matrix, B[2], "poverty").money == Decimal(0)  # p3-food: no 2026 budget
    # Work and income: p2-coach €10 per inhabitant, p3-extra another €10 in b4..b9.
    per = [coherence.euros(cell(matrix, c, "work_income").per_inhabitant) for c in B]
    assert per == ["10.00", "0.00", "10.00", "10.00"] + ["20.00"] * 6
    assert coherence.euros(cell(matrix, B[9], "work_income").money) == "20000.00"
    assert matrix.medians["work_income"] == Decimal(20)
    total = sum(c.money for c in matrix.cells() if c.theme == "work_income")
    assert total == Decimal(53000 + 45000)  # nothing lost or counted twice


def test_activities_counted_where_they_work_and_run(register, member):
    matrix = coherence.coherence_matrix(gemeente=GM, year=YEAR, user=member)
    assert codes(cell(matrix, B[1], "work_income")) == []  # ended, or only planned
    assert codes(cell(matrix, B[0], "work_income")) == ["p2-coach"]
    assert codes(cell(matrix, B[5], "work_income")) == ["p2-coach", "p3-extra"]
    assert codes(cell(matrix, B[5], "poverty")) == ["p1-jobs", "p3-food", "p4-open"]
    assert codes(cell(matrix, B[7], "poverty")) == ["p3-food"]  # through the gemeente
    assert [p.code for p in cell(matrix, B[5], "work_income").programmes] == ["p2", "p3"]
    assert cell(matrix, B[0], "work_income").activities[0].programme == "p2"  # two up
    before = coherence.coherence_matrix(gemeente=GM, year=2024, user=member)
    assert codes(cell(before, B[1], "work_income")) == ["p1-old"]
    assert coherence.euros(cell(before, B[1], "work_income").money) == "5000.00"


def test_area_sets_and_wijken_cover_their_buurten(city, owner, member):
    noord = area_set_save(slug="noord", name="Noord", member_codes=B[:3])
    activity("wijk", owner, areas=["WK099900"], themes=["safety"], money={YEAR: "5500"})
    activity("set", owner, area_sets=[noord], themes=["safety", "social"],
             money={YEAR: "1200"})
    matrix = coherence.coherence_matrix(gemeente=GM, year=YEAR, user=member)
    assert [len(cell(matrix, c, "safety").activities) for c in B] == [2, 2, 2] + [1] * 7
    # 1,200 over 100 + 200 + 300 inhabitants and two themes: 1 euro per inhabitant.
    assert [coherence.euros(cell(matrix, c, "social").money) for c in B[:4]] == [
        "100.00", "200.00", "300.00", "0.00"]
    assert coherence.euros(cell(matrix, B[9], "safety").money) == "1000.00"  # 5,500 / 5,500


def test_flags_for_a_member(register, member):
    matrix = coherence.coherence_matrix(gemeente=GM, year=YEAR, user=member)
    gaps = [(c.buurt, c.theme) for c in matrix.high_need_low_effort]
    assert gaps == [(B[0], "work_income"), (B[1], "work_income")]
    overlaps = {(c.buurt, c.theme) for c in matrix.overlaps}
    assert overlaps == ({(c, "work_income") for c in B[4:]}
                        | {(c, "poverty") for c in (B[0], B[1], B[5])})


def test_public_sees_public_activities_and_no_money(register, resident):
    for user in (None, resident):
        matrix = coherence.coherence_matrix(gemeente=GM, year=YEAR, user=user)
        assert not matrix.money_visible
        assert all(c.money is None and c.per_inhabitant is None for c in matrix.cells())
        assert codes(cell(matrix, B[0], "work_income")) == []  # p2-coach is not public
        assert codes(cell(matrix, B[5], "work_income")) == ["p3-extra"]
        # b0 and b1: no public activity; no overlap in work and income.
        assert [(c.buurt, c.theme) for c in matrix.high_need_low_effort] == [
            (B[0], "work_income"), (B[1], "work_income")]
        assert {(c.buurt, c.theme) for c in matrix.overlaps} == {
            (c, "poverty") for c in (B[0], B[1], B[5])}
        programmes = cell(matrix, B[5], "poverty").programmes
        assert [(p.code, p.title) for p in programmes] == [
            ("p1", "Titel p1"), ("p3", "Titel p3"), ("p4", None)]  # p4 is not public


def test_fallback_to_plain_indicators(db):
    gm, codes_ = "GM0888", [f"BU08880{i:03d}" for i in range(5)]
    areas = [AreaRecord(code=gm, name="Proefdorp", level="gemeente", year=2024)]
    areas += [AreaRecord(code=c, name=f"B{i}", level="buurt", year=2024)
              for i, c in enumerate(codes_)]
    specs = [IndicatorSpec(code="overlast", name_nl="Overlast", theme="safety",
                           polarity="higher_worse"),
             IndicatorSpec(code="veilig", name_nl="Veilig", theme="safety",
                           polarity="higher_better")]
    rows = [("overlast", c, "2023", 10.0 * (i + 1)) for i, c in enumerate(codes_)]
    rows += [("overlast", c, "2021", 99.0 if i == 0 else 1.0) for i, c in enumerate(codes_)]
    rows += [("veilig", c, "2022", 5.0 - i) for i, c in enumerate(codes_)]
    frame = observations_frame({
        "indicator": [r[0] for r in rows], "area": [r[1] for r in rows],
        "period": [r[2] for r in rows], "value": [r[3] for r in rows],
        "status": ["value"] * len(rows), "row": [0] * len(rows), "column": ["x"] * len(rows)})
    load_parsed(parsed=Parsed(observations=frame, areas=areas, indicators=specs),
                kind="test", file_name="dorp", file_sha256="dorp")
    matrix = coherence.coherence_matrix(gemeente=gm, year=YEAR, user=None)
    assert matrix.source == coherence.SOURCE_INDICATORS and matrix.period == "2023"
    assert matrix.notes == ["overlast: figures of 2023", "veilig: figures of 2022"]
    # Both indicators: z = ±(i − 2)/√2 (population sd of 1..5 steps); the mean is the same.
    severities = [cell(matrix, c, "safety").severity for c in codes_]
    assert severities == pytest.approx([(i - 2) / 2 ** .5 for i in range(5)])
    assert cell(matrix, codes_[4], "safety").worst and cell(matrix, codes_[4],
                                                            "safety").high_need_low_effort
    assert cell(matrix, codes_[0], "work_income").severity is None


@pytest.mark.parametrize(("gemeente", "year", "field", "words"), [
    ("Teststad", YEAR, "gemeente", "GM0014"),
    ("GM0123", YEAR, "gemeente", "No neighbourhood"),
    (GM, 1800, "year", "1990"),
])
def test_bad_arguments_name_the_field(city, gemeente, year, field, words):
    with translation.override("en"), pytest.raises(ProgrammeError) as raised:
        coherence.coherence_matrix(gemeente=gemeente, year=year, user=None)
    assert raised.value.field == field and words in raised.value.message


def test_default_gemeente_has_most_activities(city, owner):
    make_other = [AreaRecord(code="GM0888", name="Ander", level="gemeente", year=2024),
                  AreaRecord(code="BU08880000", name="X", level="buurt", year=2024)]
    areas_register(records=make_other)
    assert coherence.coherence_default_gemeente() == "GM0888"  # no activities: first by name
    activity("a", owner, areas=[B[0]], themes=["poverty"])
    assert coherence.coherence_default_gemeente() == GM


# -- queries ---------------------------------------------------------------------------

def test_queries_do_not_grow_with_buurten_or_activities(db, owner, member,
                                                        django_assert_max_num_queries):
    make_city(40)
    root = programme("root", owner, True)
    activity("first", owner, parent=root, areas=[buurt(0), "WK099900"], themes=["poverty"],
             money={YEAR: "100"})

    def count() -> int:
        member._wijkbalans_memberships = None
        with CaptureQueriesContext(connection) as queries:
            coherence.coherence_matrix(gemeente=GM, year=YEAR, user=member)
        return len(queries)

    coherence.coherence_matrix(gemeente=GM, year=YEAR, user=member)  # fill the cache
    few = count()
    for i in range(1, 40):
        activity(f"a{i}", owner, parent=root, areas=[buurt(i), "WK099901"],
                 themes=["poverty", "safety"], money={YEAR: "1000"})
    assert count() == few
    client = _logged_in(member)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("programmes:coherence"), {"jaar": YEAR})
    assert response.status_code == 200


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# -- the page and the CSV --------------------------------------------------------------

def test_page_shows_matrix_legend_and_lists(register, client):
    response = client.get(reverse("programmes:coherence"), {"gemeente": GM, "jaar": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="coh-matrix"' in html and 'tabindex="0"' in html
    assert '<label for="id_gemeente">' in html and '<label for="id_jaar">' in html
    assert "Titel p1-jobs" in html and "Titel p2-coach" not in html  # not public
    assert "€" not in html  # no money for the public
    assert html.count("coh-flag gap") == 2
    assert "+1,6" in html  # b0's problem score, in Dutch notation
    assert f"samenhang/samenhang.csv?gemeente={GM}&amp;jaar={YEAR}" in html
    url = activity_url("p1-jobs")  # plain text while the register has no activity pages
    assert (f'<a href="{url}">Titel p1-jobs</a>' if url else "Titel p1-jobs") in html


def test_page_for_a_member_shows_money(register, member):
    html = _logged_in(member).get(reverse("programmes:coherence"),
                                  {"gemeente": GM, "jaar": YEAR}).content.decode()
    assert "Titel p2-coach" in html
    assert "€ 30.000" in html and "€ 50,00" in html  # b5's poverty money, per inhabitant


def test_page_defaults_and_bad_input(register, client):
    response = client.get(reverse("programmes:coherence"))
    assert response.status_code == 200
    assert response.context["matrix"].gemeente == GM
    assert response.context["matrix"].year == date.today().year
    bad = client.get(reverse("programmes:coherence"), {"gemeente": "GM0001", "jaar": "20x6"})
    assert bad.status_code == 400 and "matrix" not in bad.context
    assert set(bad.context["form"].errors) == {"gemeente", "jaar"}
    assert bad.content.decode().count('class="error"') == 2  # next to each field


def test_csv_rows(register, member, client):
    response = _logged_in(member).get(reverse("programmes:coherence_csv"),
                                      {"gemeente": GM, "jaar": YEAR})
    assert response.status_code == 200
    assert f"samenhang-{GM}-{YEAR}.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 10 * 8
    row = next(r for r in rows if r["buurt_code"] == B[5] and r["theme"] == "poverty")
    assert row["money"] == "30000.00" and row["money_per_inhabitant"] == "50.00"
    assert row["activity_codes"] == "p1-jobs p3-food p4-open" and row["programmes"] == "3"
    assert row["overlap"] == "true" and row["inhabitants"] == "600"
    first = next(r for r in rows if r["buurt_code"] == B[0] and r["theme"] == "work_income")
    assert first["severity"] == "1.5667" and first["worst_quintile"] == "true"
    assert first["high_need_low_effort"] == "true" and first["severity_source"] == (
        "stacking_index")
    public = client.get(reverse("programmes:coherence_csv"), {"gemeente": GM, "jaar": YEAR})
    public_rows = list(csv.DictReader(io.StringIO(public.content.decode())))
    assert len(public_rows) == 80 and all(r["money"] == "" for r in public_rows)
    assert "p2-coach" not in public.content.decode()


def test_csv_bad_year_is_400(register, client):
    response = client.get(reverse("programmes:coherence_csv"), {"jaar": "1800"})
    assert response.status_code == 400 and b"1990" in response.content


# -- the API ---------------------------------------------------------------------------

@api_urls
def test_api_json_public_and_member(register, member):
    anonymous = APIClient().get(API, {"gemeente": GM, "year": YEAR})
    assert anonymous.status_code == 200
    body = anonymous.json()
    assert body["money_visible"] is False and body["severity_source"] == "stacking_index"
    assert body["themes"] == list(coherence.DOMAINS) and len(body["rows"]) == 10
    b5 = body["rows"][5]["cells"][coherence.DOMAINS.index("poverty")]
    assert b5["money"] is None and [p["title"] for p in b5["programmes"]] == [
        "Titel p1", "Titel p3", None]
    client = APIClient()
    client.force_authenticate(member)
    full = client.get(API, {"gemeente": GM, "year": YEAR}).json()
    b5 = full["rows"][5]["cells"][coherence.DOMAINS.index("poverty")]
    assert b5["money"] == "30000.00" and b5["money_per_inhabitant"] == "50.00"
    assert full["medians_per_inhabitant"]["work_income"] == "20.00"
    b0 = full["rows"][0]["cells"][0]
    assert b0["theme"] == "work_income" and b0["high_need_low_effort"] is True
    assert b0["severity"] == pytest.approx(1.5667, abs=1e-4)


@api_urls
def test_api_csv_and_defaults(register):
    response = APIClient().get(API, {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 80 and rows[0]["gemeente"] == GM
    assert rows[0]["year"] == str(date.today().year)


@api_urls
@pytest.mark.parametrize(("params", "name", "words"), [
    ({"gemeente": "Teststad"}, "gemeente", "expected a gemeentecode"),
    ({"gemeente": "GM0123"}, "gemeente", "no area lies in GM0123"),
    ({"year": "26"}, "year", "four digits"),
    ({"year": "1800"}, "year", "from 1990"),
    ({"colour": "red"}, "colour", "unknown parameter"),
    ({"format": "geojson"}, "format", "expected one of json, csv"),
])
def test_api_bad_parameters_are_400s(register, params, name, words):
    response = APIClient().get(API, params)
    assert response.status_code == 400
    assert words in " ".join(response.json()[name])


def test_api_schema_is_valid():
    generator = SchemaGenerator(patterns=[path("api/v1/coherence/", CoherenceView.as_view())])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    operation = schema["paths"]["/api/v1/coherence/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"gemeente", "year", "format"}
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}


def test_docstring_examples_run():
    import doctest

    from wijkbalans.analysis import coherence as arithmetic

    result = doctest.testmod(arithmetic)
    assert result.attempted >= 4 and result.failed == 0


@pytest.mark.usefixtures("demo_city")
def test_demostad_all_domains(db, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = client.get(reverse("programmes:coherence"))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert matrix.gemeente == coherence.DEMO_GEMEENTE  # the demo register works there
    assert matrix.source == coherence.SOURCE_INDEX
    for theme in coherence.DOMAINS:
        scores = [c.severity for c in matrix.cells()
                  if c.theme == theme and c.severity is not None]
        worst = [c for c in matrix.cells() if c.theme == theme and c.worst]
        assert len(scores) == 39, theme  # 40 buurten, one (the industrial estate) unscored
        assert len(worst) == math.ceil(0.2 * 39) == 8, theme
        # where nothing is done, the worst buurten are flagged; only the worst are
        assert all(c.high_need_low_effort for c in worst if not c.activities), theme
        assert all(c.worst for c in matrix.cells()
                   if c.theme == theme and c.high_need_low_effort), theme
    # the demo register aims at the northern band: some worst cells are covered there
    assert any(c.worst and c.activities and not c.high_need_low_effort
               for c in matrix.cells())
