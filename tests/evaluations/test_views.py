"""Pages under /evaluaties/: permissions, the form, the result with charts and tables."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.evaluations.services import evaluation_run

from .fixtures import PROGRAMME, counts, define, define_and_run, user

pytestmark = pytest.mark.usefixtures("demo_db")

FORM = {"area_set": PROGRAMME, "outcome": "werkzaam_pct", "start_period": "2019",
        "method": "sdid", "placebo_reps": "200", "seed": "0"}


def logged_in(client, username):
    client.force_login(user(username))
    return client


def text(response) -> str:
    return response.content.decode()


def test_anonymous_users_are_sent_to_log_in_for_the_form(client):
    response = client.get("/evaluaties/nieuw/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/inloggen/?next=/evaluaties/nieuw/")
    before = counts()
    assert client.post("/evaluaties/nieuw/", FORM).status_code == 302
    assert counts() == before


def test_a_partner_may_not_define_an_evaluation(client):
    logged_in(client, "partner")
    assert client.get("/evaluaties/nieuw/").status_code == 403
    before = counts()
    assert client.post("/evaluaties/nieuw/", FORM).status_code == 403
    assert counts() == before


def test_an_analyst_defines_an_evaluation_that_is_queued(client):
    logged_in(client, "analist")
    page = client.get("/evaluaties/nieuw/")
    assert page.status_code == 200
    html = text(page)
    # Every visible input has a label.
    for name in ("title", "area_set", "outcome", "start_period", "method", "placebo_reps"):
        assert f'for="id_{name}"' in html
    assert 'value="demostad-noord"' in html and 'value="werkzaam_pct"' in html
    response = client.post("/evaluaties/nieuw/", {**FORM, "title": "Werk in Noord"})
    evaluation = Evaluation.objects.get(title="Werk in Noord")
    assert response.status_code == 302
    assert response["Location"] == f"/evaluaties/{evaluation.pk}/"
    assert evaluation.status == "queued" and evaluation.created_by.username == "analist"
    page = client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="3">' in text(page)


def test_bad_input_is_shown_at_its_field_and_changes_nothing(client):
    logged_in(client, "analist")
    before = counts()
    response = client.post("/evaluaties/nieuw/", {**FORM, "start_period": "2030"})
    assert response.status_code == 400
    assert counts() == before
    errors = response.context["form"].errors
    assert "2030 is not a period with figures" in errors["start_period"][0]
    assert 'aria-invalid="true"' in text(response)


def test_the_result_page_shows_estimate_verdict_charts_and_tables(client):
    evaluation = define_and_run()
    response = client.get(f"/evaluaties/{evaluation.pk}/")
    assert response.status_code == 200
    html = text(response)
    assert 'http-equiv="refresh"' not in html
    # Dutch by default: the verdict in Dutch, with the estimate (2,938 → "2,94").
    assert evaluation.result["verdict"]["nl"] in html.replace("&#x27;", "'")
    assert "2,94" in html
    for kind in ("verloop", "verschil", "placebo"):
        assert f'src="/evaluaties/{evaluation.pk}/grafiek/{kind}.svg"' in html
    assert html.count("<details>") == 4  # three charts and the treated areas
    assert html.count("<figure") == 3
    # Every table has a caption, every image an alternative text.
    assert html.count("<table") == html.count("<caption>")
    assert all('alt="' in tag for tag in re.findall(r"<img[^>]*>", html))
    assert 'scope="col"' in html and 'scope="row"' in html
    # Who was left out and why, and the donors with weight.
    assert "BU99990603" in html and "mist waarden vóór de start" in html
    donors = [u for u, w in evaluation.result["unit_weights"].items() if w >= 0.0005]
    assert all(code in html for code in donors)
    assert evaluation.panel_sha256 in html


def test_the_verdict_follows_the_language(client):
    evaluation = define_and_run(outcome="ervaren_gezondheid_pct")
    response = client.get(f"/evaluaties/{evaluation.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = text(response)
    assert evaluation.result["verdict"]["en"] in html.replace("&#x27;", "'")
    assert "No effect shown" in html
    assert evaluation.result["verdict"]["nl"] not in html


@pytest.mark.parametrize("method", ["sdid", "sc", "did"])
def test_the_charts_are_svg_with_a_title(client, method):
    evaluation = define_and_run(method=method)
    for kind in ("verloop", "verschil", "placebo"):
        response = client.get(f"/evaluaties/{evaluation.pk}/grafiek/{kind}.svg")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        assert '<svg role="img"' in text(response) and "<title>" in text(response)
    assert client.get(f"/evaluaties/{evaluation.pk}/grafiek/taart.svg").status_code == 404
    page = client.get(f"/evaluaties/{evaluation.pk}/")
    assert page.status_code == 200


def test_charts_of_an_unfinished_evaluation_are_not_found(client):
    evaluation = define()
    assert client.get(f"/evaluaties/{evaluation.pk}/grafiek/verloop.svg").status_code == 404
    assert client.get("/evaluaties/999999/").status_code == 404


def test_a_failed_evaluation_shows_its_error(client):
    evaluation = define_and_run(donor_exclude_own_municipality=True)
    html = text(client.get(f"/evaluaties/{evaluation.pk}/"))
    assert "no comparison area is left" in html
    assert 'http-equiv="refresh"' not in html


def test_the_reproducibility_check_from_the_page(client):
    evaluation = define_and_run()
    assert client.post(f"/evaluaties/{evaluation.pk}/controle/").status_code == 302
    logged_in(client, "partner")
    assert client.post(f"/evaluaties/{evaluation.pk}/controle/").status_code == 403
    logged_in(client, "analist")
    response = client.post(f"/evaluaties/{evaluation.pk}/controle/", follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert AuditEntry.objects.filter(action="evaluation.rerun_check").latest("id").after[
        "identical"] is True
    response = client.post(f"/evaluaties/{evaluation.pk}/controle/", follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "the result is identical" in str(list(response.context["messages"])[0])


def test_the_list_reads_a_fixed_number_of_queries(client):
    logged_in(client, "analist")
    define_and_run()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/evaluaties/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for method in ("sc", "did"):
        define_and_run(method=method)
    failing = define(area_set=None, treated_codes=["BU99990000", "BU99990603"],
                     acting_user=user("beheer"))
    evaluation_run(evaluation=failing)
    define()
    html = text(client.get("/evaluaties/", HTTP_ACCEPT_LANGUAGE="en"))
    assert queries() == one
    assert html.count("<tr>") == 6  # the header and five evaluations
    conclusions = list(Evaluation.objects.values_list("conclusion", flat=True))
    assert html.count("Effect shown") == conclusions.count("effect") >= 2  # SDID and DiD
    assert html.count("No effect shown") == conclusions.count("no_evidence") >= 1  # SC
    assert html.count("<td>queued</td>") == 1 and html.count("<td>failed</td>") == 1
