"""Moderation and "you said, we did" on the pages: the queue for the municipality's
programme staff only; hiding with a reason (required, kept on an error), showing again,
marking reviewed; publishing an outcome linked to an activity of the register, or with
the reason why not."""

from __future__ import annotations

import pytest

from wijkbalans.participation.models import Comment, Outcome, Proposal
from wijkbalans.participation.services.comments import comment_create
from wijkbalans.participation.services.proposals import proposal_submit

from .conftest import B00

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def comment(consultation, make_resident):
    return comment_create(acting_user=make_resident("9711AA"), text="Wat een onzin, sukkels.",
                          consultation=consultation)


def test_the_queue_is_for_moderators_only(client, comment, make_resident, outsider_staff,
                                          moderator):
    anonymous = client.get("/meedoen/moderatie/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/inloggen/")
    client.force_login(make_resident())
    assert client.get("/meedoen/moderatie/").status_code == 403
    client.force_login(outsider_staff)  # programme staff, but of a housing corporation
    assert client.get("/meedoen/moderatie/").status_code == 403
    client.force_login(moderator)
    html = client.get("/meedoen/moderatie/").content.decode()
    assert "Wat een onzin, sukkels." in html and "Een nieuw plein" in html


def test_hide_with_a_reason_the_author_reads_it(client, comment, moderator, consultation):
    client.force_login(moderator)
    response = client.post(f"/meedoen/moderatie/reactie/{comment.pk}/", {
        "action": "hide", "reason": "Schelden is niet toegestaan.",
        "next": "/meedoen/moderatie/"})
    assert response["Location"] == "/meedoen/moderatie/"
    comment.refresh_from_db()
    assert comment.visibility == "hidden"
    assert comment.moderation_reason == "Schelden is niet toegestaan."
    assert "Wat een onzin" not in client.get("/meedoen/moderatie/").content.decode()
    client.force_login(comment.author)
    own = client.get(f"/meedoen/raadpleging/{consultation.pk}/").content.decode()
    assert "Schelden is niet toegestaan." in own
    client.logout()
    public = client.get(f"/meedoen/raadpleging/{consultation.pk}/").content.decode()
    assert "Hidden by the moderator." in public and "Schelden" not in public


def test_hiding_without_a_reason_is_refused_at_the_field(client, comment, moderator):
    client.force_login(moderator)
    response = client.post(f"/meedoen/moderatie/reactie/{comment.pk}/",
                           {"action": "hide", "reason": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_reactie_{comment.pk}_reason_error"' in html
    assert "Say why you hide it; the author reads this reason." in html
    comment.refresh_from_db()
    assert comment.visibility == "visible"


def test_show_again_and_mark_reviewed(client, comment, moderator):
    client.force_login(moderator)
    client.post(f"/meedoen/moderatie/reactie/{comment.pk}/",
                {"action": "hide", "reason": "Scheldwoord."})
    client.post(f"/meedoen/moderatie/reactie/{comment.pk}/", {"action": "show"})
    comment.refresh_from_db()
    assert comment.visibility == "visible" and comment.moderation_reason == ""
    other = comment_create(acting_user=comment.author, text="Prima plan.",
                           consultation=comment.consultation)
    client.post(f"/meedoen/moderatie/reactie/{other.pk}/", {"action": "reviewed"})
    other.refresh_from_db()
    assert other.reviewed_at is not None and other.visibility == "visible"
    assert "Prima plan." not in client.get("/meedoen/moderatie/").content.decode()


def test_unknown_actions_and_items(client, comment, moderator):
    client.force_login(moderator)
    bad = client.post(f"/meedoen/moderatie/reactie/{comment.pk}/", {"action": "delete"})
    assert bad.status_code == 400
    assert "Expected the action hide, show or reviewed." in bad.content.decode()
    assert client.get("/meedoen/moderatie/iets/1/").status_code == 404
    assert client.get("/meedoen/moderatie/reactie/999999/").status_code == 404
    assert Comment.objects.get().visibility == "visible"


def test_a_hidden_proposal_shows_its_reason_to_its_author(client, make_resident, moderator):
    author = make_resident("9711AA")
    proposal = proposal_submit(acting_user=author, title="Reclame", text="Koop bij ons!",
                               area_code=B00)
    client.force_login(moderator)
    client.post(f"/meedoen/moderatie/voorstel/{proposal.pk}/",
                {"action": "hide", "reason": "Dit is reclame."})
    client.force_login(author)
    own = client.get(f"/meedoen/voorstel/{proposal.pk}/").content.decode()
    assert "Dit is reclame." in own and "Hidden by the moderator" in own
    client.force_login(make_resident("9711AA"))
    assert client.get(f"/meedoen/voorstel/{proposal.pk}/").status_code == 404


@pytest.fixture
def activity(moderator, gemeente):
    from wijkbalans.programmes.services.register import activity_create

    return activity_create(acting_user=moderator, code="plein-noord", kind="intervention",
                           title="Nieuw plein Noord", owner=gemeente, status="planned",
                           area_codes=[B00], public=True)


def test_publish_an_outcome_linked_to_an_activity(client, consultation, moderator, activity):
    client.force_login(moderator)
    form = client.get(f"/meedoen/uitkomst/nieuw/?raadpleging={consultation.pk}")
    assert 'value="plein-noord"' in form.content.decode()
    response = client.post(f"/meedoen/uitkomst/nieuw/?raadpleging={consultation.pk}", {
        "status": "adopted", "text": "Het plein komt er, met meer groen.",
        "activity": "plein-noord"})
    assert response["Location"] == f"/meedoen/raadpleging/{consultation.pk}/"
    outcome = Outcome.objects.get()
    assert outcome.activity == activity and outcome.consultation == consultation
    client.logout()
    timeline = client.get(f"/meedoen/wijk/{B00}/").content.decode().split('id="did-title"')[1]
    assert "Het plein komt er, met meer groen." in timeline
    assert 'href="/programma/plein-noord/">Nieuw plein Noord</a>' in timeline


def test_not_adopted_needs_the_reason_and_keeps_the_text(client, make_resident, moderator):
    proposal = proposal_submit(acting_user=make_resident(), title="Een zwembad", text="…",
                               area_code=B00)
    client.force_login(moderator)
    response = client.post(f"/meedoen/uitkomst/nieuw/?voorstel={proposal.pk}", {
        "status": "not_adopted", "text": "We doen dit niet.", "activity": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say why it was not adopted." in html and 'id="id_reason_error"' in html
    assert "We doen dit niet." in html
    assert Outcome.objects.count() == 0
    client.post(f"/meedoen/uitkomst/nieuw/?voorstel={proposal.pk}", {
        "status": "not_adopted", "text": "We doen dit niet.", "reason": "Te duur."})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED


def test_only_moderators_publish_outcomes(client, consultation, make_resident):
    client.force_login(make_resident())
    url = f"/meedoen/uitkomst/nieuw/?raadpleging={consultation.pk}"
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "adopted", "text": "x"}).status_code == 403
    assert Outcome.objects.count() == 0


def test_the_outcome_form_needs_one_subject(client, moderator, consultation):
    client.force_login(moderator)
    assert client.get("/meedoen/uitkomst/nieuw/").status_code == 404
    assert client.get("/meedoen/uitkomst/nieuw/?raadpleging=abc").status_code == 404
    assert client.get(f"/meedoen/uitkomst/nieuw/?raadpleging={consultation.pk}"
                      f"&voorstel=1").status_code == 404


def test_the_queue_lists_what_waits_for_an_outcome(client, moderator, make_resident,
                                                   consultation, settings):
    from django.utils import timezone

    from wijkbalans.participation.models import Consultation
    from wijkbalans.participation.services.proposals import proposal_support

    settings.PARTICIPATION_SUPPORT_THRESHOLD = 1
    supported = proposal_submit(acting_user=make_resident(), title="Genoeg steun", text="…",
                                area_code=B00)
    proposal_support(acting_user=make_resident(), proposal=supported)
    proposal_submit(acting_user=make_resident(), title="Nog geen steun", text="…",
                    area_code=B00)
    Consultation.objects.filter(pk=consultation.pk).update(closes=timezone.now())
    client.force_login(moderator)
    html = client.get("/meedoen/moderatie/").content.decode().split('id="waiting-title"')[1]
    assert f"?voorstel={supported.pk}" in html and "Nog geen steun" not in html
    assert f"?raadpleging={consultation.pk}" in html
    client.post(f"/meedoen/uitkomst/nieuw/?raadpleging={consultation.pk}",
                {"status": "in_progress", "text": "We bekijken alle reacties."})
    html = client.get("/meedoen/moderatie/").content.decode().split('id="waiting-title"')[1]
    assert f"?raadpleging={consultation.pk}" not in html
