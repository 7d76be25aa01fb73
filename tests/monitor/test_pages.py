"""The monitor's pages on a small city: what they show, their errors, and their queries."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.monitor.conftest import buurt, make_city

pytestmark = pytest.mark.django_db


def test_home_ranks_worst_first_and_marks_the_programme_area(client, city):
    response = client.get("/", {"indicator": "werkzaam_pct", "periode": "2024"})
    assert response.status_code == 200
    rows = response.context["rows"]
    # higher is better: the lowest share in work ranks first
    assert [r.code for r in rows][:3] == [buurt(0), buurt(1), buurt(2)]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].in_programme and not rows[3].in_programme
    assert rows[0].text == "60,0"  # Dutch decimal comma, the indicator's one decimal


def test_map_geojson_has_every_buurt_with_class_colour_and_link(client, city):
    data = json.loads(client.get("/kaart.geojson", {"indicator": "inwoners"}).content)
    assert len(data["features"]) == 6
    first = data["features"][0]
    assert first["geometry"]["type"] == "Polygon"
    assert first["properties"]["url"] == f"/gebied/{first['id']}/"
    assert all(f["properties"]["fill"].startswith("#") for f in data["features"])


def test_leefbaarometer_uses_its_own_nine_classes(client, city):
    response = client.get("/", {"indicator": "lbm_klasse"})
    legend = response.context["legend"]
    assert len(legend) == 9 and legend[0][1] == "1 zeer onvoldoende"
    rows = {r.code: r for r in response.context["rows"]}
    assert rows[buurt(3)].klass == 3  # klasse 4 is the fourth class (0-based 3)


def test_map_downloads(client, city):
    body = client.get("/kaart.csv", {"indicator": "inwoners"}).content.decode()
    table = list(csv.DictReader(io.StringIO(body)))
    assert {r["code"]: float(r["value"]) for r in table}[buurt(5)] == 600.0
    svg = client.get("/kaart.svg", {"indicator": "inwoners"})
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert b"<title>" in svg.content


@pytest.mark.parametrize("params, fragment", [
    ({"niveau": "land"}, "niveau"),
    ({"binnen": "GM0000"}, "binnen"),
    ({"indicator": "bestaat_niet"}, "indicator"),
    ({"indicator": "inwoners", "periode": "1999"}, "periode"),
])
def test_bad_parameters_give_400_naming_the_parameter(client, city, params, fragment):
    response = client.get("/", params)
    assert response.status_code == 400
    assert fragment in response.context["message"]


def test_area_set_profile_aggregates_by_rule(client, city):
    response = client.get("/gebied/noord/")
    assert response.status_code == 200
    figures = {f.indicator.code: f for _, fs in response.context["profile"].figures_by_theme
               for f in fs}
    # 2024: residents 100 + 200 + 300; werkzaam weighted by residents: (60*100 + 61*200
    # + 62*300) / 600 = 61.333...; lbm_klasse is a score and is not combined.
    assert figures["inwoners"].value == 600.0
    assert figures["werkzaam_pct"].value == pytest.approx((60 * 100 + 61 * 200 + 62 * 300) / 600)
    assert figures["werkzaam_pct"].text == "61,3"
    assert "lbm_klasse" not in figures
    # the city is the reference column: all six buurten
    assert figures["inwoners"].references[0] == "2.100"


def test_profile_of_a_buurt_shows_trends_with_tables_and_breadcrumb(client, city):
    response = client.get(f"/gebied/{buurt(4)}/")
    assert response.status_code == 200
    assert [a.code for a in response.context["crumbs"]] == ["GM0999", "WK099900"]
    trends = {t["indicator"].code: t for t in response.context["trends"]}
    # 2022: buurt 4 has 500 - 20 residents; the city 2100 - 6 * 20
    assert trends["inwoners"]["table"]["rows"][0] == ("2022", ["480", "1.980"])
    chart = client.get(trends["inwoners"]["chart"])
    assert chart.status_code == 200 and b"<svg" in chart.content


def test_worst_themes_point_at_the_weak_domain(client, city):
    standings = client.get(f"/gebied/{buurt(0)}/").context["profile"].worst_themes
    assert standings and standings[0].theme == "work_income"
    assert standings[0].score < 0


def test_profile_csv_and_unknown_comparison(client, city):
    body = client.get("/gebied/noord/cijfers.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {"noord", "GM0999"} <= {r["place"] for r in rows}
    assert client.get("/gebied/noord/", {"vergelijk": "XX"}).status_code == 400
    assert client.get("/gebied/BU09999999/").status_code == 404


def test_compare_over_time_and_at_one_period(client, city):
    over_time = client.get("/vergelijk/", {"gebied": [buurt(0), "noord"],
                                           "indicator": "inwoners"})
    assert over_time.status_code == 200
    assert over_time.context["rows"][-1] == ("2024", ["100", "600"])
    matrix = client.get("/vergelijk/", {"gebied": [buurt(0), buurt(1)]}).context["matrix"]
    assert {ind.code for ind, _, _ in matrix} == {"inwoners", "werkzaam_pct", "lbm_klasse"}
    assert client.get("/vergelijk/", {"gebied": [buurt(0)]}).status_code == 400
    assert client.get("/vergelijk/", {"gebied": [buurt(0), "nergens"]}).status_code == 400
    csv_body = client.get("/vergelijk/cijfers.csv", {"gebied": [buurt(0), "noord"],
                                                      "indicator": "inwoners"}).content
    assert csv_body.decode().count("\n") == 1 + 2 * 3


def test_indicator_page_ranking_and_distribution(client, city):
    response = client.get("/indicator/werkzaam_pct/", {"niveau": "buurt"})
    assert response.status_code == 200
    assert response.context["shown"][0][1] == buurt(0)
    assert response.context["summary"]["median"] == "62,5"
    assert client.get("/indicator/werkzaam_pct/verdeling.svg").status_code == 200
    assert client.get("/indicator/werkzaam_pct/", {"niveau": "x"}).status_code == 400
    assert client.get("/indicator/nope/").status_code == 404


def test_search_finds_by_name_and_code_and_redirects_on_one(client, city):
    many = client.get("/zoek/", {"q": "Buurt"})
    assert len(many.context["areas"]) == 6
    one = client.get("/zoek/", {"q": buurt(2)})
    assert one.status_code == 302 and one["Location"] == f"/gebied/{buurt(2)}/"
    none = client.get("/zoek/", {"q": "Atlantis"})
    assert none.context["areas"] == [] and none.status_code == 200


def test_english_is_switchable(client, city):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert b'lang="en"' in response.content and b"Ranking" in response.content
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert b"Ranglijst" in client.get("/").content


PAGES = [
    ("/", {"indicator": "werkzaam_pct"}),
    ("/kaart.geojson", {"indicator": "werkzaam_pct"}),
    ("/gebied/noord/", {}),
    ("/gebied/GM0999/", {}),
    ("/vergelijk/", {"gebied": ["noord", "GM0999"]}),
    ("/indicator/werkzaam_pct/", {}),
    ("/stapeling/", {}),
    ("/stapeling/kaart.geojson", {}),
]


def _queries(client, url, params) -> int:
    from django.core.cache import cache

    cache.clear()  # count the queries of computing the page, not of a cache hit
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url, params", PAGES)
def test_queries_do_not_grow_with_the_number_of_areas(client, db, url, params):
    make_city(5)
    few = _queries(client, url, params)
    make_city(40)  # the same codes and more: 40 buurten in 4 wijken
    many = _queries(client, url, params)
    assert many == few, (url, few, many)
