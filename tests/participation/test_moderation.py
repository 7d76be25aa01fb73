"""Comments and moderation: hidden with a reason the author sees, the queue, flags, and
rate limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.participation import selectors
from wijkbalans.participation.errors import (
    AlreadyDone,
    ParticipationError,
    PermissionRefused,
    RateLimited,
)
from wijkbalans.participation.models import Comment, Consultation
from wijkbalans.participation.services.comments import comment_create
from wijkbalans.participation.services.moderation import (
    flag_create,
    moderation_hide,
    moderation_mark_reviewed,
    moderation_show,
)

pytestmark = pytest.mark.django_db


def test_residents_comment_while_open_and_staff_answer_officially(consultation,
                                                                 make_resident, moderator):
    resident = make_resident("9712AB")  # anyone verified may comment, wherever they live
    comment = comment_create(acting_user=resident, consultation=consultation,
                             text="  Graag meer groen.  ")
    answer = comment_create(acting_user=moderator, consultation=consultation,
                            text="Dank u, we nemen het mee.")
    views = selectors.comment_views(viewer=None, consultation=consultation)
    assert [(v.text, v.official, v.author_label) for v in views] == [
        ("Graag meer groen.", False, "Resident of De Wijert"),
        ("Dank u, we nemen het mee.", True, "Municipality")]
    assert (comment.official, answer.official) == (False, True)
    entry = AuditEntry.objects.get(action="participation.comment.create", object_id=comment.pk)
    assert "text" not in entry.after and entry.after["author_id"] == resident.pk
    Consultation.objects.filter(pk=consultation.pk).update(
        closes=timezone.now() - dt.timedelta(seconds=1))
    consultation.refresh_from_db()
    with pytest.raises(ParticipationError, match="not open for comments"):
        comment_create(acting_user=resident, consultation=consultation, text="Te laat")
    assert Comment.objects.count() == 2


def test_comment_needs_a_verified_resident_and_text(consultation, outsider_staff,
                                                    make_resident):
    with pytest.raises(PermissionRefused, match="Register as a resident"):
        comment_create(acting_user=outsider_staff, consultation=consultation, text="Hoi")
    with pytest.raises(ParticipationError, match="required"):
        comment_create(acting_user=make_resident(), consultation=consultation, text="   ")
    with pytest.raises(ParticipationError, match="at most 2000 characters; this text has 2001"):
        comment_create(acting_user=make_resident(), consultation=consultation,
                       text="x" * 2001)
    assert Comment.objects.count() == 0


def test_hidden_comment_shows_its_reason_to_the_author_only(consultation, make_resident,
                                                            moderator):
    author, other = make_resident(), make_resident()
    comment = comment_create(acting_user=author, consultation=consultation,
                             text="Iets kwetsends")
    with pytest.raises(PermissionRefused):
        moderation_hide(acting_user=other, item=comment, reason="niet netjes")
    with pytest.raises(ParticipationError, match="required"):
        moderation_hide(acting_user=moderator, item=comment, reason=" ")
    moderation_hide(acting_user=moderator, item=comment,
                    reason="Dit bericht is kwetsend (huisregel 2).")

    def seen_by(viewer):
        view = selectors.comment_views(viewer=viewer, consultation=consultation)[0]
        return view.text, view.hidden, view.reason

    assert seen_by(author) == ("Iets kwetsends", True, "Dit bericht is kwetsend (huisregel 2).")
    assert seen_by(moderator) == ("Iets kwetsends", True,
                                  "Dit bericht is kwetsend (huisregel 2).")
    assert seen_by(other) == ("Hidden by the moderator.", True, "")
    assert seen_by(None) == ("Hidden by the moderator.", True, "")
    moderation_show(acting_user=moderator, item=comment)
    assert seen_by(other) == ("Iets kwetsends", False, "")
    actions = list(AuditEntry.objects.filter(action__startswith="participation.comment.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["participation.comment.create", "participation.comment.hide",
                       "participation.comment.show"]


def test_the_queue_holds_new_and_flagged_items(consultation, make_resident, moderator):
    author, flagger = make_resident(), make_resident()
    quiet = comment_create(acting_user=author, consultation=consultation, text="Eerste")
    loud = comment_create(acting_user=author, consultation=consultation, text="Tweede")
    assert [i.pk for i in selectors.moderation_queue()] == [quiet.pk, loud.pk]
    moderation_mark_reviewed(acting_user=moderator, item=quiet)
    moderation_mark_reviewed(acting_user=moderator, item=loud)
    assert selectors.moderation_queue() == []
    flag_create(acting_user=flagger, item=loud, reason="scheldwoord")
    with pytest.raises(AlreadyDone, match="reported this already"):
        flag_create(acting_user=flagger, item=loud)
    queue = selectors.moderation_queue()
    assert [(i.pk, i.flag_count) for i in queue] == [(loud.pk, 1)]
    flag_audit = AuditEntry.objects.get(action="participation.comment.flag")
    assert "reason" not in flag_audit.after


def test_rate_limit_per_resident(consultation, make_resident, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"comment": {"user": (2, 600)}}
    resident, other = make_resident(), make_resident()
    for text in ("een", "twee"):
        comment_create(acting_user=resident, consultation=consultation, text=text)
    with pytest.raises(RateLimited, match="too often") as limited:
        comment_create(acting_user=resident, consultation=consultation, text="drie")
    assert 0 < limited.value.retry_after <= 601
    comment_create(acting_user=other, consultation=consultation, text="ander")
    assert Comment.objects.count() == 3


def test_rate_limit_per_address(consultation, make_resident, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"comment": {"user": None, "ip": (2, 60)}}
    for n in range(2):
        comment_create(acting_user=make_resident(), consultation=consultation, text=f"{n}",
                       ip="192.0.2.7")
    with pytest.raises(RateLimited):
        comment_create(acting_user=make_resident(), consultation=consultation, text="x",
                       ip="192.0.2.7")
    comment_create(acting_user=make_resident(), consultation=consultation, text="y",
                   ip="192.0.2.8")
    assert Comment.objects.count() == 3
