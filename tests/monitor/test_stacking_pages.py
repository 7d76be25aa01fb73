"""The index page and the profile's stacking, targets and headline sections, on Demostad."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.stacking.conftest import demo_city  # noqa: F401 -- Demostad once per module

pytestmark = pytest.mark.django_db


def test_index_page_ranks_the_northern_band_first(client, demo_city):  # noqa: F811
    response = client.get("/stapeling/")
    assert response.status_code == 200
    rows = response.context["rows"]
    noord = set(client.get("/gebied/demostad-noord/").context["members"][i][0]
                for i in range(9))
    assert rows[0]["rank"] == 1 and rows[0]["code"] in noord
    assert rows[0]["decile"] == 1 and rows[0]["stack_count"] >= 5
    assert response.context["robustness"], "robustness is shown with the result"


def test_index_map_csv_and_errors(client, demo_city):  # noqa: F811
    features = json.loads(client.get("/stapeling/kaart.geojson").content)["features"]
    assert len(features) == 40 and all(f["properties"]["fill"] for f in features)
    body = client.get("/stapeling/ranglijst.csv", {"methode": "count"}).content.decode()
    table = list(csv.DictReader(io.StringIO(body)))
    assert len(table) == 40 and "poverty" in table[0]
    assert client.get("/stapeling/", {"referentie": "ergens"}).status_code == 400
    assert client.get("/stapeling/", {"niveau": "straat"}).status_code == 400
    assert client.get("/stapeling/", {"methode": "gok"}).status_code == 400


def test_programme_area_profile_shows_targets_with_path_and_status(client, demo_city):  # noqa: F811,E501
    response = client.get("/gebied/demostad-noord/")
    targets = response.context["targets"]
    assert {t["what"] for t in targets} >= {"werkzaam_pct", "bijstand_per_1000"}
    work = next(t for t in targets if t["what"] == "werkzaam_pct")
    periods = [r["period"] for r in work["rows"]]
    assert periods[0] == "2019" and "2024" in periods
    assert work["status"] in {"voor op schema", "op schema", "achter op schema"}
    chart = client.get(work["chart"])
    assert chart.status_code == 200 and b"<title>" in chart.content
    assert response.context["stacking"]["drivers"]
    labels = [h["label"] for h in response.context["headline"]]
    assert len(labels) == 7


def test_buurt_profile_shows_its_stacking(client, demo_city):  # noqa: F811
    first = client.get("/stapeling/").context["rows"][0]["code"]
    stacking = client.get(f"/gebied/{first}/").context["stacking"]
    assert stacking["rank"] == 1 and stacking["decile"] == 1


def test_index_page_queries_are_bounded(client, demo_city):  # noqa: F811
    client.get("/stapeling/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/stapeling/")
    assert len(ctx.captured_queries) < 40


def test_index_page_can_shrink_small_areas(client, demo_city):  # noqa: F811
    plain = client.get("/stapeling/").context["result"]
    shrunk = client.get("/stapeling/", {"krimp": "1"}).context["result"]
    assert not any("shrunk" in n for n in plain.notes)
    assert any("shrunk" in n or "shrink" in n for n in shrunk.notes), shrunk.notes


def test_a_new_target_shows_at_once_despite_the_cache(
        client, demo_city, django_capture_on_commit_callbacks):  # noqa: F811
    from wijkbalans.areas.models import AreaSet
    from wijkbalans.core.selectors import data_version
    from wijkbalans.stacking.services import target_save

    before = client.get("/gebied/demostad-noord/").context["targets"]
    version = data_version()
    # The data version moves on when the write's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        target_save(area_set=AreaSet.objects.get(slug="demostad-noord"),
                    indicator="onderwijsachterstand_pct", kind="value", baseline_period="2019",
                    target_period="2030", target_value=10.0, acting_user=None)
    assert data_version() == version + 1
    after = client.get("/gebied/demostad-noord/").context["targets"]
    assert len(after) == len(before) + 1
    assert "onderwijsachterstand_pct" in {t["what"] for t in after}
