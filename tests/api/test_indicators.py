"""/api/v1/indicators/: definitions, filters, coverage."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from wijkbalans.indicators import catalogue
from wijkbalans.indicators.models import Indicator

from .conftest import area_records, buurt_codes, load_observations, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def definitions():
    for code in ("inwoners", "ervaren_gezondheid_pct", "lbm_afw"):
        Indicator.objects.create(**asdict(catalogue.spec(code)))


def test_list_and_filters(api, definitions):
    listed = api.get("/api/v1/indicators/").json()
    assert listed["count"] == 3
    by_code = {i["code"]: i for i in listed["results"]}
    spec = catalogue.spec("ervaren_gezondheid_pct")
    assert by_code["ervaren_gezondheid_pct"]["name_nl"] == spec.name_nl
    assert by_code["ervaren_gezondheid_pct"]["aggregation"] == "weighted_mean"
    assert by_code["ervaren_gezondheid_pct"]["denominator"] == spec.denominator
    theme = api.get("/api/v1/indicators/", {"theme": spec.theme}).json()
    assert [i["code"] for i in theme["results"]] == ["ervaren_gezondheid_pct"]
    found = api.get("/api/v1/indicators/", {"q": "INWONERS"}).json()
    assert [i["code"] for i in found["results"]] == ["inwoners"]
    by_name = api.get("/api/v1/indicators/", {"q": catalogue.spec("lbm_afw").name_en[:8]})
    assert "lbm_afw" in [i["code"] for i in by_name.json()["results"]]


def test_unknown_theme_and_parameter_are_400(api, definitions):
    response = api.get("/api/v1/indicators/", {"theme": "weer"})
    assert response.status_code == 400
    message = response.json()["theme"][0]
    assert "found 'weer'" in message and "health" in message and "population" in message
    assert "unknown parameter" in api.get("/api/v1/indicators/", {"kind": "x"}).json()["kind"][0]


def test_detail_with_coverage(api, definitions):
    register(area_records(5))
    rows = [("inwoners", code, period, 10.0, "value")
            for code in buurt_codes(5) for period in ("2023", "2024")]
    rows += [("inwoners", "WK001400", "2024", 50.0, "value"),
             ("inwoners", "BU00140004", "2025", None, "missing")]
    load_observations(rows)
    detail = api.get("/api/v1/indicators/inwoners/").json()
    assert detail["code"] == "inwoners" and detail["unit"] == "aantal"
    coverage = detail["coverage"]
    assert coverage["periods"] == ["2023", "2024", "2025"]
    assert coverage["areas_per_level"] == {"buurt": 5, "wijk": 1}
    assert coverage["observations"] == 12
    assert coverage["by_period"][1] == {"period": "2024",
                                        "areas_per_level": {"buurt": 5, "wijk": 1},
                                        "values": 6}
    assert coverage["by_period"][2] == {"period": "2025", "areas_per_level": {"buurt": 1},
                                        "values": 0}
    empty = api.get("/api/v1/indicators/lbm_afw/").json()["coverage"]
    assert empty == {"periods": [], "areas_per_level": {}, "by_period": [], "observations": 0}


def test_unknown_indicator_is_404(api, definitions):
    assert api.get("/api/v1/indicators/geluk/").status_code == 404
    assert api.get("/api/v1/indicators/inwoners/", {"period": "2024"}).status_code == 400
