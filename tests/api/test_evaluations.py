"""/api/v1/evaluations/: list, define (queue) and read evaluations on the demo city."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.evaluations.fixtures import (  # noqa: F401 - the demo fixtures
    PROGRAMME,
    counts,
    define,
    define_and_run,
    demo,
    demo_db,
    user,
)
from wijkbalans.evaluations.compute import panel_sha256
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.evaluations.worker import work_one

pytestmark = pytest.mark.usefixtures("demo_db")

BODY = {"area_set": PROGRAMME, "outcome": "werkzaam_pct", "start_period": "2019"}


def client_of(username: str | None) -> APIClient:
    client = APIClient()
    if username:
        client.force_authenticate(user(username))
    return client


def test_an_analyst_defines_an_evaluation_that_a_worker_runs():
    response = client_of("analist").post("/api/v1/evaluations/", BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["method"] == "sdid"
    assert body["area_set"] == PROGRAMME and len(body["treated_codes"]) == 9
    assert body["result"] is None and body["verdict"] is None and body["created_by"] == "analist"
    assert response["Location"] == f"/api/v1/evaluations/{body['id']}/"
    assert work_one().pk == body["id"]
    done = client_of(None).get(f"/api/v1/evaluations/{body['id']}/").json()
    assert done["status"] == "done" and done["conclusion"] in {"effect", "effect_with_caveats"}
    assert done["estimate"] == pytest.approx(2.938, abs=0.01)
    assert done["verdict"]["conclusion"] == done["conclusion"]
    assert done["verdict"]["nl"].startswith("Na de start lag Werkzame inwoners")
    assert done["verdict"]["en"].startswith("After the start, Residents in work")
    assert done["result"]["donor_pool"]["excluded"][0]["unit"] == "BU99990603"
    assert len(done["panel_sha256"]) == 64 and done["panel"] is None
    assert done["settings"]["placebo_reps"] == 200 and done["software"]["numpy"]


def test_the_panel_is_returned_on_request_and_matches_its_hash():
    evaluation = define_and_run()
    body = client_of(None).get(f"/api/v1/evaluations/{evaluation.pk}/", {"panel": "1"}).json()
    assert panel_sha256(body["panel"]) == body["panel_sha256"] == evaluation.panel_sha256
    assert body["panel"]["times"][0] == 2013 and len(body["panel"]["units"]) == 40
    response = client_of(None).get(f"/api/v1/evaluations/{evaluation.pk}/", {"panel": "ja"})
    assert response.status_code == 400 and "panel" in response.json()
    response = client_of(None).get(f"/api/v1/evaluations/{evaluation.pk}/", {"pannel": "1"})
    assert response.status_code == 400 and "pannel" in response.json()


@pytest.mark.parametrize("username, expected", [(None, 401), ("partner", 403),
                                                ("bewoner", 403)])
def test_only_editors_define_evaluations(username, expected):
    before = counts()
    response = client_of(username).post("/api/v1/evaluations/", BODY, format="json")
    assert response.status_code == expected
    assert counts() == before


@pytest.mark.parametrize("change, field", [
    ({"outcome": "onbekend"}, "outcome"),
    ({"start_period": "2013"}, "start_period"),
    ({"method": "ols"}, "method"),
    ({"area_set": "nergens"}, "area_set"),
    ({"donor_exclude": ["BU00000000"]}, "donor_exclude"),
    ({"placebo_reps": 1}, "placebo_reps"),
])
def test_bad_bodies_are_refused_naming_the_field(change, field):
    before = counts()
    response = client_of("beheer").post("/api/v1/evaluations/", {**BODY, **change},
                                        format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert counts() == before


def test_explicit_treated_codes_and_donor_rules():
    body = {"treated_codes": ["BU99990000", "BU99990001"], "outcome": "ervaren_gezondheid_pct",
            "start_period": "2019", "method": "did", "donor_exclude": ["BU99990500"],
            "title": "Twee buurten", "activity_ref": "ACT-12"}
    response = client_of("analist").post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["area_set"] is None and created["activity_ref"] == "ACT-12"
    assert created["treated_codes"] == ["BU99990000", "BU99990001"]
    assert created["donor_exclude"] == ["BU99990500"]


def test_the_list_is_public_and_reads_a_fixed_number_of_queries():
    define_and_run()

    def listing():
        with CaptureQueriesContext(connection) as captured:
            response = client_of(None).get("/api/v1/evaluations/")
        assert response.status_code == 200
        return response.json(), len(captured.captured_queries)

    first, one = listing()
    define_and_run(method="did")
    define()
    second, three = listing()
    assert first["count"] == 1 and second["count"] == 3
    assert one == three
    assert [e["status"] for e in second["results"]] == ["queued", "done", "done"]
    assert "result" not in second["results"][0]


def test_an_unknown_evaluation_is_404():
    assert client_of(None).get("/api/v1/evaluations/999999/").status_code == 404
    assert Evaluation.objects.count() == 0
