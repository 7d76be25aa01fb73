"""A consultation's page: the comment form for verified residents only (clear messages for
everyone else), the rate limit, hidden comments with the reason for their author only,
and reporting a comment."""

from __future__ import annotations

import pytest

from wijkbalans.participation.models import Comment, Flag
from wijkbalans.participation.services.comments import comment_create
from wijkbalans.participation.services.identity import resident_register
from wijkbalans.participation.services.moderation import moderation_hide

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def url(consultation) -> str:
    return f"/meedoen/raadpleging/{consultation.pk}/"


def test_a_verified_resident_comments(client, consultation, make_resident):
    client.force_login(make_resident("9712AB"))  # any resident may comment, also from Zuid
    response = client.post(url(consultation), {"text": "Graag meer bomen."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url(consultation)}#reactie-{comment.pk}"
    html = client.get(url(consultation)).content.decode()
    assert "Graag meer bomen." in html and "Resident of De Wijert" in html


def test_an_unverified_resident_cannot_comment(client, consultation, city, settings):
    # Django's back end keeps inactive (unconfirmed) users out of a session; this one lets
    # them in, to show that the page and the service refuse them anyway.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    user = resident_register(email="nog@voorbeeld.nl", postcode="9711AA", password=PASSWORD)
    client.force_login(user)
    page = client.get(url(consultation)).content.decode()
    assert "Confirm your e-mail address first" in page and 'name="text"' not in page
    response = client.post(url(consultation), {"text": "Mag ik iets zeggen?"})
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.content.decode()
    assert Comment.objects.count() == 0


def test_anonymous_visitors_are_asked_to_log_in(client, consultation):
    page = client.get(url(consultation)).content.decode()
    assert "To comment, log in as a resident." in page and 'name="text"' not in page
    response = client.post(url(consultation), {"text": "Hallo"})
    assert response.status_code == 403 and Comment.objects.count() == 0
    assert "Register as a resident first." in response.content.decode()


def test_an_empty_or_too_long_comment_is_refused_and_kept(client, consultation, make_resident):
    client.force_login(make_resident())
    empty = client.post(url(consultation), {"text": "  "})
    assert empty.status_code == 400
    assert "Write your comment or question first." in empty.content.decode()
    long_text = "bomen " * 400  # 2,400 characters
    response = client.post(url(consultation), {"text": long_text})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Use at most 2000 characters; this text has 2399." in html
    assert 'id="id_text_error"' in html and long_text.strip() in html
    assert Comment.objects.count() == 0


def test_the_rate_limit_names_the_wait_and_keeps_the_text(client, consultation,
                                                         make_resident, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"comment": {"user": (1, 600)}}
    client.force_login(make_resident())
    assert client.post(url(consultation), {"text": "Eerste."}).status_code == 302
    response = client.post(url(consultation), {"text": "Tweede, te snel."})
    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "You did this too often in a short time. Try again in" in html
    assert "Tweede, te snel." in html
    assert Comment.objects.count() == 1


def test_a_closed_consultation_takes_no_comments(client, consultation, make_resident):
    from django.utils import timezone

    type(consultation).objects.filter(pk=consultation.pk).update(closes=timezone.now())
    client.force_login(make_resident())
    assert "Comments are closed." in client.get(url(consultation)).content.decode()
    response = client.post(url(consultation), {"text": "Te laat"})
    assert response.status_code == 400
    assert "This consultation is not open for comments." in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_hidden_comment_shows_its_reason_to_its_author_only(client, consultation,
                                                              make_resident, moderator):
    author, other = make_resident(), make_resident()
    comment = comment_create(acting_user=author, text="Iets grofs.", consultation=consultation)
    moderation_hide(acting_user=moderator, item=comment, reason="Schelden mag niet.")
    client.force_login(author)
    own = client.get(url(consultation)).content.decode()
    assert "Iets grofs." in own and "Schelden mag niet." in own
    assert "Only you and the moderators see your comment and this reason." in own
    client.force_login(other)
    theirs = client.get(url(consultation)).content.decode()
    assert "Hidden by the moderator." in theirs
    assert "Iets grofs." not in theirs and "Schelden mag niet." not in theirs
    client.logout()
    assert "Schelden mag niet." not in client.get(url(consultation)).content.decode()


def test_a_moderator_answers_as_the_municipality(client, consultation, moderator):
    client.force_login(moderator)
    assert "Answer as the municipality" in client.get(url(consultation)).content.decode()
    client.post(url(consultation), {"text": "Dank voor uw reacties."})
    assert Comment.objects.get().official
    assert "<strong>Municipality</strong>" in client.get(url(consultation)).content.decode()


def test_report_a_comment_once(client, consultation, make_resident):
    author, reporter = make_resident(), make_resident()
    comment = comment_create(acting_user=author, text="Reclame!", consultation=consultation)
    client.force_login(reporter)
    page = client.get(f"/meedoen/reactie/{comment.pk}/melden/").content.decode()
    assert "Reclame!" in page
    done = client.post(f"/meedoen/reactie/{comment.pk}/melden/", {"reason": "Spam"})
    assert done.status_code == 200 and "A moderator of the municipality" in done.content.decode()
    again = client.post(f"/meedoen/reactie/{comment.pk}/melden/", {"reason": "Nog eens"})
    assert again.status_code == 409 and "You reported this already." in again.content.decode()
    assert Flag.objects.count() == 1
    comment.refresh_from_db()
    assert comment.flag_count == 1


def test_a_draft_consultation_is_not_found_by_residents(client, city, moderator,
                                                        make_resident):
    import datetime as dt

    from django.utils import timezone

    from wijkbalans.participation.services.consultations import consultation_create

    now = timezone.now()
    draft = consultation_create(acting_user=moderator, title="Concept", text="…", opens=now,
                                closes=now + dt.timedelta(days=3), area_code="BU09990000")
    client.force_login(make_resident())
    assert client.get(url(draft)).status_code == 404
