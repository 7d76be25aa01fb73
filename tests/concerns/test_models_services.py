"""Recording a concern, following it up, and reading its free text: the rules, the audit
log, and that a refused write leaves nothing behind."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.concerns import selectors
from wijkbalans.concerns.models import Assignment, Concern, FollowUp
from wijkbalans.concerns.services import (
    ConcernError,
    ConcernNotAllowed,
    ScreenRefused,
    concern_followup,
    concern_text_read,
)

from .conftest import buurt_code, centre


def counts() -> dict[str, int]:
    return {"concerns": Concern.objects.count(), "assignments": Assignment.objects.count(),
            "followups": FollowUp.objects.count(), "audit": AuditEntry.objects.count()}


@dataclass(frozen=True)
class FakeFinding:
    kind: str
    text: str
    start: int
    end: int


def test_a_professional_records_a_concern_that_is_routed(submit, signal_city):
    before = AuditEntry.objects.count()
    concern = submit()
    assert (concern.theme, concern.week, str(concern.week_start)) == (
        "poverty_debts", "2025-W25", "2025-06-16")
    assert concern.buurt.code == "BU09980101" and concern.severity == 2
    assert concern.reporter_role == "professional" and concern.reporter == signal_city.teacher
    assignments = list(concern.assignments.all())
    assert [a.organisation.slug for a in assignments] == ["schuldhulp"]
    assert assignments[0].status == "routed"
    assert list(assignments[0].history.values_list("status", flat=True)) == ["routed"]
    entry = AuditEntry.objects.get(action="concern.submit")
    assert AuditEntry.objects.count() == before + 1
    assert entry.actor == signal_city.teacher and entry.object_id == str(concern.pk)
    assert entry.after["has_text"] is False and entry.after["routed_to"] == ["schuldhulp"]
    assert "text" not in entry.after


def test_free_text_is_stored_but_never_in_the_audit_log(submit):
    words = "jongeren worden bij het winkelcentrum geronseld als koerier"
    concern = submit(theme="undermining", sign="youth_recruitment", text=f"  {words}  ")
    assert Concern.objects.get(pk=concern.pk).text == words
    entry = AuditEntry.objects.get(action="concern.submit", object_id=str(concern.pk))
    assert entry.after["has_text"] is True and entry.after["sign"] == "youth_recruitment"
    assert sorted(entry.after["routed_to"]) == ["gemeente", "politie"]
    assert words not in json.dumps([e.after for e in AuditEntry.objects.all()])


def test_a_clicked_point_is_snapped_to_its_buurt_and_not_kept(submit):
    lon, lat = centre(2, 3)
    with CaptureQueriesContext(connection) as queries:
        concern = submit(buurt_code=None, lon=lon, lat=lat)
    assert concern.buurt.code == "BU09980203"
    fields = {f.get_internal_type() for f in Concern._meta.concrete_fields}
    assert "FloatField" not in fields and "JSONField" not in fields
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes and not any(f"{lon:.3f}"[:5] in sql for sql in writes)
    entry = AuditEntry.objects.get(action="concern.submit", object_id=str(concern.pk))
    assert str(lon) not in json.dumps(entry.after) and str(lat) not in json.dumps(entry.after)


@pytest.mark.parametrize("overrides, field", [
    ({"theme": "drugs"}, "theme"),
    ({"sign": "drug_dealing"}, "sign"),  # a sign only for undermining
    ({"theme": "undermining", "sign": "arson"}, "sign"),
    ({"severity": 0}, "severity"),
    ({"severity": 4}, "severity"),
    ({"severity": True}, "severity"),
    ({"severity": "hoog"}, "severity"),
    ({"week": "2025-25"}, "week"),
    ({"week": "2025-W53"}, "week"),  # 2025 has 52 ISO weeks
    ({"week": "2025-W26"}, "week"),  # next week
    ({"week": "2025-W12"}, "week"),  # 13 weeks back
    ({"buurt_code": "BU99999999"}, "buurt"),
    ({"buurt_code": "WK099801"}, "buurt"),  # a wijk, not a buurt
    ({"buurt_code": None}, "buurt"),  # neither code nor point
    ({"lon": 5.005, "lat": 52.005}, "buurt"),  # both code and point
    ({"buurt_code": None, "lon": 6.5, "lat": 53.2}, "lon"),  # in the Netherlands, no buurt
    ({"buurt_code": None, "lon": 120.0, "lat": 30.0}, "lon"),
    ({"buurt_code": None, "lon": "oost", "lat": 52.0}, "lon"),
    ({"text": "x" * 2001}, "text"),
])
def test_malformed_input_names_the_field_and_writes_nothing(submit, overrides, field):
    before = counts()
    with pytest.raises(ConcernError) as caught:
        submit(**overrides)
    assert caught.value.field == field and caught.value.message
    assert counts() == before


def test_the_oldest_week_allowed_is_twelve_weeks_back(submit):
    assert submit(week="2025-W13").week_start.isoformat() == "2025-03-24"


@pytest.mark.parametrize("username, org", [("police_officer", "school"),
                                           ("programme", "municipality"),
                                           ("teacher", "police")])
def test_only_a_professional_or_partner_of_the_organisation_submits(
        submit, signal_city, username, org):
    before = counts()
    with pytest.raises(ConcernNotAllowed):
        submit(acting_user=getattr(signal_city, username),
               organisation=getattr(signal_city.orgs, org))
    assert counts() == before


def test_a_partner_may_report_for_its_own_organisation(submit, signal_city):
    concern = submit(acting_user=signal_city.police_officer,
                     organisation=signal_city.orgs.police)
    assert concern.reporter_role == "partner"


def test_text_with_personal_data_is_refused_with_the_findings(submit, monkeypatch):
    found = [FakeFinding("name", "Piet", 0, 4), FakeFinding("phone", "0612345678", 12, 22)]
    monkeypatch.setattr("wijkbalans.concerns.screening.screen", lambda text: found)
    before = counts()
    with pytest.raises(ScreenRefused) as caught:
        submit(text="Piet belt op 0612345678")
    assert caught.value.findings == found and caught.value.field == "text"
    assert "Piet" not in str(caught.value) and "0612" not in repr(caught.value)
    assert counts() == before


def test_the_real_screen_refuses_an_email_address(submit):
    before = counts()
    with pytest.raises(ScreenRefused) as caught:
        submit(text="zijn moeder mailde vanaf moeder1980@example.nl over de schulden")
    assert "email" in [f.kind for f in caught.value.findings]
    assert counts() == before


def test_a_failing_screen_stores_nothing_and_carries_no_text(submit, monkeypatch):
    def broken(text):
        raise RuntimeError(f"could not read {text}")

    monkeypatch.setattr("wijkbalans.concerns.screening.screen", broken)
    before = counts()
    with pytest.raises(ConcernError) as caught:
        submit(text="geheime tekst")
    assert caught.value.field == "text" and "geheime" not in str(caught.value)
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    assert counts() == before


def test_routing_sends_undermining_to_police_and_municipality(submit):
    concern = submit(theme="undermining")
    assert sorted(a.organisation.slug for a in concern.assignments.all()) == [
        "gemeente", "politie"]


def test_a_wijk_route_wins_over_the_gemeente_route(submit):
    in_wijk_1 = submit(theme="youth_at_risk", buurt_code=buurt_code(1, 2))
    in_wijk_2 = submit(theme="youth_at_risk", buurt_code=buurt_code(2, 2))
    assert [a.organisation.slug for a in in_wijk_1.assignments.all()] == ["basisschool"]
    assert [a.organisation.slug for a in in_wijk_2.assignments.all()] == ["gemeente"]


def test_a_theme_without_a_route_is_recorded_unrouted(submit):
    concern = submit(theme="loneliness")
    assert concern.assignments.count() == 0


def test_the_partner_records_follow_up_forward_only(submit, signal_city):
    assignment = submit(theme="undermining").assignments.get(organisation__slug="politie")
    officer = signal_city.police_officer
    concern_followup(acting_user=officer, assignment=assignment, status="acknowledged")
    before = counts()
    for status, outcome, field in [("closed", "", "outcome"), ("acted", "enforcement", "outcome"),
                                   ("routed", "", "status"), ("acknowledged", "", "status"),
                                   ("done", "", "status"), ("closed", "gevonden", "outcome")]:
        with pytest.raises(ConcernError) as caught:
            concern_followup(acting_user=officer, assignment=assignment, status=status,
                             outcome=outcome)
        assert caught.value.field == field
    assert counts() == before
    done = concern_followup(acting_user=officer, assignment=assignment, status="closed",
                            outcome="enforcement")
    assert (done.status, done.outcome) == ("closed", "enforcement")
    assert list(done.history.values_list("status", "outcome")) == [
        ("routed", ""), ("acknowledged", ""), ("closed", "enforcement")]
    entries = AuditEntry.objects.filter(action="concern.followup").order_by("id")
    assert [(e.before["status"], e.after["status"]) for e in entries] == [
        ("routed", "acknowledged"), ("acknowledged", "closed")]


@pytest.mark.parametrize("username", ["safety_officer", "teacher", "programme"])
def test_nobody_else_records_the_partners_follow_up(submit, signal_city, username):
    assignment = submit(theme="undermining").assignments.get(organisation__slug="politie")
    before = counts()
    with pytest.raises(ConcernNotAllowed):
        concern_followup(acting_user=getattr(signal_city, username), assignment=assignment,
                         status="acknowledged")
    assert counts() == before


@pytest.mark.parametrize("username", ["teacher", "police_officer", "safety_officer"])
def test_the_reporter_and_routed_partners_read_the_text_and_it_is_audited(
        submit, signal_city, username):
    words = "er wordt gedeald bij het speelveld"
    concern = submit(theme="undermining", text=words)
    user = getattr(signal_city, username)
    assert concern_text_read(acting_user=user, concern=concern) == words
    entry = AuditEntry.objects.filter(action="concerns.text.read").get()
    assert entry.actor == user and entry.object_id == str(concern.pk)
    assert words not in json.dumps(entry.after)


@pytest.mark.parametrize("username", ["debt_partner", "debt_worker", "programme", "analyst"])
def test_another_organisation_does_not_read_the_text(submit, signal_city, username):
    concern = submit(theme="undermining", text="er wordt gedeald bij het speelveld")
    before = counts()
    with pytest.raises(ConcernNotAllowed):
        concern_text_read(acting_user=getattr(signal_city, username), concern=concern)
    assert counts() == before


def test_an_administrator_does_not_read_another_organisations_text(submit, admin_user):
    concern = submit(theme="undermining", text="er wordt gedeald bij het speelveld")
    with pytest.raises(ConcernNotAllowed):
        concern_text_read(acting_user=admin_user, concern=concern)


def test_lists_never_load_the_text(submit, signal_city, django_assert_num_queries):
    for theme in ("undermining", "poverty_debts", "undermining"):
        submit(theme=theme, text="zorgen over de buurt")
    submit(acting_user=signal_city.debt_worker, organisation=signal_city.orgs.debt_help)
    with django_assert_num_queries(2):  # concerns, then their assignments
        own = list(selectors.concerns_of_reporter(user=signal_city.teacher))
        routed = [[a.organisation.slug for a in c.assignments.all()] for c in own]
    assert len(own) == 3 and all("text" in c.get_deferred_fields() for c in own)
    assert all(c.has_text for c in own) and sorted(map(len, routed)) == [1, 2, 2]
    police = selectors.concerns_routed_to(organisation=signal_city.orgs.police)
    with django_assert_num_queries(1):
        inbox = list(police)
        assert [a.concern.theme for a in inbox] == ["undermining", "undermining"]
    assert all("text" in a.concern.get_deferred_fields() for a in inbox)
    assert all(a.concern_has_text for a in inbox)
    assert selectors.concerns_routed_to(organisation=signal_city.orgs.police,
                                        status="closed").count() == 0


def test_who_may_do_what(signal_city):
    s = signal_city
    assert [o.slug for o in selectors.submit_organisations(user=s.teacher)] == ["basisschool"]
    assert selectors.submit_organisations(user=s.programme) == []
    assert [o.slug for o in selectors.partner_organisations(user=s.police_officer)] == [
        "politie"]
    assert selectors.user_may_see_aggregates(user=s.programme)
    assert selectors.user_may_see_aggregates(user=s.analyst)
    assert not selectors.user_may_see_aggregates(user=s.teacher)
    assert not selectors.user_may_see_aggregates(user=s.police_officer)


def test_an_error_report_of_a_refusal_hides_the_text(submit, monkeypatch):
    import sys

    from django.views.debug import ExceptionReporter

    found = [FakeFinding("name", "Piet", 0, 4)]
    monkeypatch.setattr("wijkbalans.concerns.screening.screen", lambda text: found)
    try:
        submit(text="Piet Puk " + "verhaal")
    except ScreenRefused:
        frames = ExceptionReporter(None, *sys.exc_info()).get_traceback_frames()
    ours = [f for f in frames if "wijkbalans/concerns/" in f["filename"]
            or f["function"] == "sensitive_variables_wrapper"]
    assert {f["function"] for f in ours} >= {"concern_submit", "sensitive_variables_wrapper"}
    assert not any("Piet Puk" in str(f["vars"]) for f in ours)
