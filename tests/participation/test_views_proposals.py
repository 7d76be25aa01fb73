"""Proposals on the pages: submitting (only for an area the resident lives in, the input
kept on a refusal), support against the threshold with a text and a bar, withdrawing, and
the refusal for residents of another area."""

from __future__ import annotations

import pytest

from wijkbalans.participation.models import Proposal, Support
from wijkbalans.participation.services.proposals import proposal_submit, proposal_support

from .conftest import B00, B10, W0

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def proposal(make_resident, settings):
    settings.PARTICIPATION_SUPPORT_THRESHOLD = 4
    return proposal_submit(acting_user=make_resident("9711AA"), title="Bankjes in het park",
                           text="Vier bankjes bij de vijver.", area_code=W0)


def test_the_form_offers_the_areas_of_the_residents_postcode(client, make_resident):
    # 9711AB spans De Hoogte (Noord) and Helpman (Zuid).
    client.force_login(make_resident("9711AB"))
    html = client.get(f"/meedoen/voorstel/nieuw/?gebied={B10}").content.decode()
    for value, label in ((B10, "Helpman (buurt)"), ("BU09990001", "De Hoogte (buurt)"),
                         (W0, "Noord (wijk)"), ("WK099901", "Zuid (wijk)"),
                         ("GM0999", "Teststad (whole municipality)"),
                         ("set:noord", "Noord-programma (programme area)")):
        assert f'value="{value}"' in html and label in html
    assert f'<option value="{B10}" selected>' in html
    assert 'value="BU09990000"' not in html  # Oosterpark is not theirs


def test_submit_a_proposal(client, make_resident):
    client.force_login(make_resident("9711AA"))
    response = client.post("/meedoen/voorstel/nieuw/", {
        "title": "Een moestuin", "text": "Op het grasveld aan de Vijverstraat.",
        "area": "set:noord"})
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/meedoen/voorstel/{proposal.pk}/"
    assert proposal.area_set.slug == "noord" and proposal.area is None


def test_a_refused_proposal_keeps_everything_typed(client, make_resident):
    client.force_login(make_resident("9711AA"))
    title = "x" * 201
    response = client.post("/meedoen/voorstel/nieuw/", {
        "title": title, "text": "Mijn lange verhaal.", "area": B00})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Use at most 200 characters; this text has 201." in html
    assert 'id="id_title_error"' in html
    assert f'value="{title}"' in html and "Mijn lange verhaal." in html
    assert f'<option value="{B00}" selected>' in html
    assert Proposal.objects.count() == 0


def test_an_area_the_resident_does_not_live_in_is_refused(client, make_resident):
    client.force_login(make_resident("9711AA"))
    response = client.post("/meedoen/voorstel/nieuw/", {
        "title": "Elders", "text": "…", "area": B10})
    assert response.status_code == 400
    assert "Choose one of the areas in the list." in response.content.decode()
    assert Proposal.objects.count() == 0


def test_anonymous_visitors_log_in_first(client, city):
    response = client.get("/meedoen/voorstel/nieuw/")
    assert response.status_code == 302
    assert response["Location"].startswith("/meedoen/inloggen/?next=/meedoen/voorstel/nieuw/")


def test_support_shows_progress_in_words_and_a_bar(client, proposal, make_resident):
    for _ in range(2):
        proposal_support(acting_user=make_resident("9711AB"), proposal=proposal)
    html = client.get(f"/meedoen/voorstel/{proposal.pk}/").content.decode()
    assert "2 residents support this proposal; it needs 4." in html
    assert "2 more are needed." in html
    assert 'style="width: 50%"' in html


def test_support_and_withdraw(client, proposal, make_resident):
    resident = make_resident("9711AB")
    client.force_login(resident)
    page = client.get(f"/meedoen/voorstel/{proposal.pk}/").content.decode()
    assert "Support this proposal" in page
    response = client.post(f"/meedoen/voorstel/{proposal.pk}/steun/", {"action": "support"})
    assert response["Location"] == f"/meedoen/voorstel/{proposal.pk}/#steun"
    assert Support.objects.filter(proposal=proposal, resident=resident).exists()
    page = client.get(f"/meedoen/voorstel/{proposal.pk}/").content.decode()
    assert "You support this proposal." in page and "Withdraw my support" in page
    again = client.post(f"/meedoen/voorstel/{proposal.pk}/steun/", {"action": "support"})
    assert again.status_code == 409
    assert "You already support this proposal." in again.content.decode()
    client.post(f"/meedoen/voorstel/{proposal.pk}/steun/", {"action": "withdraw"})
    assert Support.objects.count() == 0


def test_a_resident_of_another_area_cannot_support(client, proposal, make_resident):
    client.force_login(make_resident("9712AA"))  # Helpman, in wijk Zuid
    page = client.get(f"/meedoen/voorstel/{proposal.pk}/").content.decode()
    assert "Only residents of Noord can support this proposal" in page
    assert "Support this proposal</button>" not in page
    response = client.post(f"/meedoen/voorstel/{proposal.pk}/steun/", {"action": "support"})
    assert response.status_code == 403
    assert "Only residents of Noord may do this" in response.content.decode()
    assert Support.objects.count() == 0


def test_the_threshold_reached_says_so(client, proposal, make_resident):
    for _ in range(4):
        proposal_support(acting_user=make_resident("9711AA"), proposal=proposal)
    html = client.get(f"/meedoen/voorstel/{proposal.pk}/").content.decode()
    assert "4 residents support this proposal; it needs 4." in html
    assert "Enough support: the municipality will look at it." in html
    assert 'style="width: 100%"' in html


def test_the_list_per_area(client, proposal, make_resident):
    proposal_submit(acting_user=make_resident("9712AA"), title="Zuid-idee", text="…",
                    area_code=B10)
    html = client.get(f"/meedoen/wijk/{B00}/voorstellen/").content.decode()
    assert "Bankjes in het park" in html and "Zuid-idee" not in html
    assert "0 residents support this proposal; it needs 4." in html


def test_a_moderator_takes_a_proposal_into_review(client, proposal, moderator, make_resident):
    client.force_login(make_resident("9711AA"))
    assert client.post(f"/meedoen/voorstel/{proposal.pk}/in-behandeling/").status_code == 403
    client.force_login(moderator)
    client.post(f"/meedoen/voorstel/{proposal.pk}/in-behandeling/")
    proposal.refresh_from_db()
    assert proposal.status == "under_review"
