"""/signalen/partner/: the partner's inbox, a concern's page, its free text only on the
explicit (audited) action, and the follow-up form; everyone else is refused and nothing
changes."""

from __future__ import annotations

import pytest
from django.apps import apps

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.concerns.models import Assignment, FollowUp

INBOX = "/signalen/partner/"
TEXT = "Veel jonge jongens rond het winkelcentrum met nieuwe scooters."

@pytest.fixture(autouse=True)
def english(settings):
    """The pages in English, so that the assertions hold whatever the Dutch wording."""
    settings.LANGUAGE_CODE = "en"



def row_counts() -> dict[str, int]:
    return {model._meta.db_table: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)}


@pytest.fixture
def routed(submit, signal_city):
    """An undermining concern with text (to the police and the municipality) and a debts
    concern without (to debt help)."""
    undermining = submit(theme="undermining", sign="drug_dealing", text=TEXT, severity=3)
    debts = submit(theme="poverty_debts")
    police = Assignment.objects.get(concern=undermining,
                                    organisation=signal_city.orgs.police)
    return {"undermining": undermining, "debts": debts, "police": police,
            "municipality": Assignment.objects.get(
                concern=undermining, organisation=signal_city.orgs.municipality),
            "debt_help": Assignment.objects.get(concern=debts)}


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_inbox_lists_what_was_routed_without_the_text(client, routed, signal_city):
    response = as_user(client, signal_city.police_officer).get(INBOX)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["assignment"].pk for r in rows] == [routed["police"].pk]
    assert rows[0]["has_text"] is True and rows[0]["status"] == "routed"
    assert response.context["open"] == 1
    page = response.content.decode()
    assert TEXT not in page and "nieuwe scooters" not in page
    assert f'href="/signalen/partner/{routed["police"].pk}/"' in page
    # Debt help sees only the debts concern.
    rows = as_user(client, signal_city.debt_partner).get(INBOX).context["rows"]
    assert [r["assignment"].pk for r in rows] == [routed["debt_help"].pk]


def test_the_text_is_shown_only_on_request_and_every_read_is_audited(client, routed,
                                                                     signal_city):
    officer = as_user(client, signal_city.police_officer)
    url = f"{INBOX}{routed['police'].pk}/"
    detail = officer.get(url)
    assert detail.status_code == 200 and detail.context["text"] is None
    assert TEXT not in detail.content.decode()
    assert detail.context["others"] == ["Gemeente Signaalstad"]
    reads = AuditEntry.objects.filter(action="concerns.text.read")
    assert reads.count() == 0
    shown = officer.post(f"{url}tekst/")
    assert shown.status_code == 200 and shown.context["text"] == TEXT
    assert TEXT in shown.content.decode()
    assert "no-cache" in shown["Cache-Control"] and "no-store" in shown["Cache-Control"]
    assert officer.post(f"{url}tekst/").status_code == 200
    assert reads.count() == 2
    entry = reads.first()
    assert entry.actor == signal_city.police_officer
    assert entry.object_id == str(routed["undermining"].pk) and TEXT not in str(entry.after)


@pytest.mark.parametrize("username", ["debt_partner", "teacher", "programme", "analyst"])
def test_others_are_refused_and_nothing_changes(client, routed, signal_city, username):
    user = as_user(client, getattr(signal_city, username))
    url = f"{INBOX}{routed['police'].pk}/"
    before = row_counts()
    assert user.get(url).status_code == 403
    assert user.post(f"{url}tekst/").status_code == 403
    assert user.post(f"{url}opvolging/", {"status": "acknowledged"}).status_code == 403
    assert row_counts() == before
    assert Assignment.objects.get(pk=routed["police"].pk).status == "routed"


def test_an_administrator_does_not_read_another_organisations_text(client, routed,
                                                                     admin_user):
    admin = as_user(client, admin_user)
    before = row_counts()
    assert admin.get(INBOX).status_code == 403
    assert admin.post(f"{INBOX}{routed['police'].pk}/tekst/").status_code == 403
    assert row_counts() == before


def test_visitors_are_sent_to_log_in(client, routed):
    for response in (client.get(INBOX), client.get(f"{INBOX}{routed['police'].pk}/"),
                     client.post(f"{INBOX}{routed['police'].pk}/tekst/")):
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert client.get(f"{INBOX}99999/").status_code == 302


def test_the_follow_up_moves_forward_to_closed_with_an_outcome(client, routed, signal_city):
    officer = as_user(client, signal_city.police_officer)
    pk = routed["police"].pk
    url = f"{INBOX}{pk}/opvolging/"
    form = officer.get(f"{INBOX}{pk}/").context["form"]
    assert [v for v, _ in form.fields["status"].choices] == ["acknowledged", "acted",
                                                            "closed"]
    response = officer.post(url, {"status": "acknowledged"})
    assert response.status_code == 302 and response["Location"] == f"{INBOX}{pk}/"
    assert Assignment.objects.get(pk=pk).status == "acknowledged"
    # Closing without an outcome, or an outcome before closing: errors at the field.
    before = row_counts()
    for data in ({"status": "closed"}, {"status": "acted", "outcome": "referred"},
                 {"status": "acknowledged"}, {"status": "closed", "outcome": "whatever"}):
        refused = officer.post(url, data)
        assert refused.status_code == 400, data
        errors = refused.context["form"].errors
        assert set(errors) & {"status", "outcome"}, (data, errors)
    assert row_counts() == before
    response = officer.post(url, {"status": "closed", "outcome": "enforcement"})
    assert response.status_code == 302
    assignment = Assignment.objects.get(pk=pk)
    assert (assignment.status, assignment.outcome) == ("closed", "enforcement")
    assert list(FollowUp.objects.filter(assignment=assignment).values_list(
        "status", "outcome")) == [("routed", ""), ("acknowledged", ""),
                                  ("closed", "enforcement")]
    detail = officer.get(f"{INBOX}{pk}/")
    assert detail.context["form"] is None and detail.context["closed"]
    assert [h["status"] for h in detail.context["history"]] == ["routed", "acknowledged",
                                                                "closed"]
    # The municipality's assignment of the same concern is its own.
    assert Assignment.objects.get(pk=routed["municipality"].pk).status == "routed"
    # The reporter sees the new status in their list.
    mine = as_user(client, signal_city.teacher).get("/signalen/mijn/")
    statuses = {r["concern"].pk: [(a["organisation"], a["status"]) for a in r["routed"]]
                for r in mine.context["rows"]}
    assert statuses[routed["undermining"].pk] == [("Gemeente Signaalstad", "routed"),
                                                  ("Politie Signaalstad", "closed")]


def test_the_inbox_filters_by_status_and_organisation(client, routed, signal_city):
    from wijkbalans.accounts.services import membership_grant
    from wijkbalans.concerns.services import concern_followup

    officer = signal_city.police_officer
    membership_grant(user=officer, organisation=signal_city.orgs.debt_help, role="partner")
    concern_followup(acting_user=officer, assignment=routed["police"], status="acted")
    client.force_login(officer)
    response = client.get(INBOX, {"organisatie": "politie", "status": "acted"})
    assert [r["assignment"].pk for r in response.context["rows"]] == [routed["police"].pk]
    assert client.get(INBOX, {"organisatie": "politie", "status": "routed"}).context[
        "rows"] == []
    debts = client.get(INBOX, {"organisatie": "schuldhulp"})
    assert [r["assignment"].pk for r in debts.context["rows"]] == [routed["debt_help"].pk]
    assert debts.context["several"] is True
    bad = client.get(INBOX, {"organisatie": "gemeente"})  # not a partner there
    assert bad.status_code == 400 and "organisatie" in bad.context["form"].errors
    assert client.get(INBOX, {"status": "lost"}).status_code == 400


def test_the_inbox_reads_in_a_fixed_number_of_queries(client, submit, signal_city,
                                                      django_assert_max_num_queries):
    client.force_login(signal_city.police_officer)
    for _ in range(2):
        submit(theme="undermining")
    with django_assert_max_num_queries(12) as few:
        client.get(INBOX)
    for _ in range(20):
        submit(theme="undermining", text="iets in de buurt")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    assert len(response.context["rows"]) == 22
