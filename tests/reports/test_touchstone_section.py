"""The section "Plans tested against the touchstone" of the report for Demostad-Noord, 2024,
dated 28 November 2026.

Three planned interventions under ``prog-noord`` (the register of ``fixtures.py``), each
assessed by the programme bureau through the touchstone's services, with the moments set
by hand:

* ``ts-schuldhulp`` (poverty, effective on good indications): assessed on 2 March 2026,
  "go" on 10 March 2026; a later "stop" (1 December 2026) is after the report's date.
* ``ts-buurtfeest`` (social cohesion, not rated): assessed on 3 March 2026, no decision;
  assessed again on 2 December 2026, after the report's date.
* ``ts-later`` (poverty): assessed only on 3 December 2026, so not yet assessed on the
  report's date.

Demostad-Noord's two worst domains are poverty and social cohesion, both more than one
index point below the city (docs/touchstone.md): both plans are strong on need; the ladder
makes the first strong and the second weak on evidence.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from pypdf import PdfReader

from wijkbalans.reports import build, render
from wijkbalans.reports.models import ReportVersion
from wijkbalans.reports.sections import touchstone as section
from wijkbalans.reports.selectors import version_get
from wijkbalans.touchstone import selectors as touchstone
from wijkbalans.touchstone.models import Assessment, Decision

from .fixtures import PROGRAMME, user

PERIOD, DATE = "2024", "2026-11-28"
FIRST, SECOND, LATER = "ts-schuldhulp", "ts-buurtfeest", "ts-later"
GO_REASON = "Sterk op opgave en bewijs; het geld is toegezegd."
STOP_REASON = "Na de zomer van 2026 toch gestopt."


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day),
                                                   dt.time(hour)))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _plan(code: str, title: str, themes: list[str], evidence: str = "not_rated"):
    from wijkbalans.accounts.models import Organisation
    from wijkbalans.programmes.models import Activity
    from wijkbalans.programmes.services import register

    return register.activity_create(
        acting_user=user("beheer"), code=code, kind="intervention", title=title,
        owner=Organisation.objects.get(name="Gemeente Demostad"),
        parent=Activity.objects.get(code="prog-noord"), status="planned",
        start=dt.date(2027, 1, 1), end=dt.date(2028, 12, 31), themes=themes,
        evidence_level=evidence, evidence_databank="nji" if evidence != "not_rated" else "",
        area_set_slugs=[PROGRAMME])


def _assess(plan, day: str, label: str = "") -> Assessment:
    from wijkbalans.touchstone.services import assessment_create

    made = assessment_create(acting_user=user("bureau"), activity=plan, label=label)
    Assessment.objects.filter(pk=made.pk).update(created_at=at(day))
    return Assessment.objects.get(pk=made.pk)


def _decide(assessment, choice: str, reason: str, day: str) -> Decision:
    from wijkbalans.touchstone.services import decision_record

    made = decision_record(acting_user=user("bureau"), assessment=assessment,
                           decision=choice, reason=reason)
    Decision.objects.filter(pk=made.pk).update(decided_at=at(day))
    return made


@pytest.fixture(scope="module")
def assessed(city, django_db_blocker):
    """The three plans, their assessments and decisions (rolled back with the city)."""
    with django_db_blocker.unblock():
        first = _plan(FIRST, "Schuldhulp aan huis", ["poverty"], "effectief_goede")
        second = _plan(SECOND, "Buurtfeest", ["social"])
        later = _plan(LATER, "Later plan", ["poverty"])
        a = _assess(first, "2026-03-02", "Variant A")
        _decide(a, "go", GO_REASON, "2026-03-10")
        _decide(a, "stop", STOP_REASON, "2026-12-01")
        b = _assess(second, "2026-03-03", "Variant B")
        b_again = _assess(second, "2026-12-02")
        late = _assess(later, "2026-12-03")
    return {"first": a, "second": b, "second_again": b_again, "later": late}


@pytest.fixture(scope="module")
def report(assessed, tmp_path_factory, django_db_blocker):
    out = tmp_path_factory.mktemp("touchstone-report")
    with django_db_blocker.unblock():
        call_command("report", "--area-set", PROGRAMME, "--period", PERIOD, "--format",
                     "pdf", "--out", str(out / "r.pdf"), "--date", DATE, "--user", "bureau",
                     stdout=io.StringIO())
        version = version_get(pk=ReportVersion.objects.order_by("-id").first().pk, full=True)
    data = (out / "r.pdf").read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return {"version": version, "text": text, "figures": version.figures["touchstone"]}


def planned(figures: dict, *, leave_out=()) -> list[str]:
    """The planned activities under the report's programmes, in the register's order, read
    from the register (the demo's budget round turned four chosen projects into plans)."""
    from wijkbalans.programmes import selectors as register
    from wijkbalans.programmes.models import Activity

    codes = []
    for shown in figures["programmes"]["programmes"]:
        root = Activity.objects.get(code=shown["code"])
        for activity, _depth in register.activity_tree(user=user("beheer"), root=root):
            if activity.status == "planned" and activity.code not in codes + list(leave_out):
                codes.append(activity.code)
    return codes


def expected_rows(assessment) -> list[tuple[str, str, str]]:
    """(criterion, rating, reason) as the plan's touchstone page writes them, in Dutch."""
    with translation.override("nl"):
        card = touchstone.assessment_scorecard(user=user("bureau"), assessment=assessment)
        return [(r.label, r.rating_label, r.reason.text()) for r in card.results]


def test_the_pdf_shows_each_plans_ratings_as_the_touchstone_does(report, assessed, db):
    squeezed = squeeze(report["text"])
    for key, code, title in (("first", FIRST, "Schuldhulp aan huis"),
                             ("second", SECOND, "Buurtfeest")):
        rows = expected_rows(assessed[key])
        assert len(rows) == 7
        assert squeeze(f"{title} ({code})") in squeezed
        for label, rating, reason in rows:
            assert squeeze(f"{label} {rating} {reason}") in squeezed, (code, label)
    figures = {p["code"]: p for p in report["figures"]["plans"]}
    assert list(figures) == [SECOND, FIRST]  # the register's order (by code)
    ratings = {code: {c["key"]: c["rating"] for c in p["criteria"]}
               for code, p in figures.items()}
    for key, code in (("first", FIRST), ("second", SECOND)):
        card = touchstone.assessment_scorecard(user=user("bureau"), assessment=assessed[key])
        assert ratings[code] == {r.key: r.rating for r in card.results}
    # By hand (docs/touchstone.md): poverty and social cohesion are Demostad-Noord's two
    # worst domains; effective on good indications is strong evidence, not rated weak.
    assert (ratings[FIRST]["need"], ratings[FIRST]["evidence"]) == ("strong", "strong")
    assert (ratings[SECOND]["need"], ratings[SECOND]["evidence"]) == ("strong", "weak")
    assert "sterk" in {c["rating_label"] for c in figures[FIRST]["criteria"]}


def test_the_decision_in_force_on_the_reports_date(report, assessed, db):
    first, second = (next(p for p in report["figures"]["plans"] if p["code"] == code)
                     for code in (FIRST, SECOND))
    assert (first["assessment"], first["assessed_on"], first["version"], first["outdated"]) \
        == (assessed["first"].pk, "2026-03-02", assessed["first"].activity_version, False)
    with translation.override("nl"):
        bureau = section.decided_by(user("bureau"), assessed["first"].activity)
        go = str(Decision.Choice.GO.label)
    assert first["decision"] == {"decision": "go", "label": go, "reason": GO_REASON,
                                 "on": "2026-03-10", "by": bureau, "earlier": 0}
    assert second["decision"] is None
    squeezed = squeeze(report["text"])
    assert squeeze(f"{go.capitalize()} (10 maart 2026, {bureau})") in squeezed
    assert squeeze(GO_REASON) in squeezed
    assert squeeze(STOP_REASON) not in squeezed  # decided after the report's date
    counts = report["figures"]["counts"]
    assert counts == {"assessed": 2, "decided": 1, "outdated": 0, "go": 1, "adjust": 0,
                      "stop": 0}


def test_assessments_after_the_reports_date_are_left_out(report, assessed, db):
    plans = {p["code"]: p for p in report["figures"]["plans"]}
    assert LATER not in plans
    assert plans[SECOND]["assessment"] == assessed["second"].pk  # not the one of December
    assert plans[SECOND]["assessed_on"] == "2026-03-03"
    waiting = [p["code"] for p in report["figures"]["not_assessed"]]
    assert waiting == planned(report["version"].figures, leave_out=(FIRST, SECOND))
    assert LATER in waiting and len(waiting) == 5  # the demo's four budget projects, and this
    squeezed = squeeze(report["text"])
    assert squeeze("Later plan (ts-later).") in squeezed
    assert "3december2026" not in squeezed and "2december2026" not in squeezed
    # Interventions A and B of the register are running, not plans: not listed.
    assert "interventie-a" not in {p["code"] for p in report["figures"]["not_assessed"]}


def test_a_later_date_shows_the_later_assessments(report, assessed, db):
    request = build.check_request(area_set=PROGRAMME, period=PERIOD, date="2026-12-31")
    figures = build.gather(request)["touchstone"]
    plans = {p["code"]: p for p in figures["plans"]}
    assert list(plans) == [SECOND, LATER, FIRST]
    assert [p["code"] for p in figures["not_assessed"]] == planned(
        report["version"].figures, leave_out=(FIRST, SECOND, LATER))
    assert plans[SECOND]["assessment"] == assessed["second_again"].pk
    assert plans[LATER]["assessment"] == assessed["later"].pk
    assert (plans[FIRST]["decision"]["decision"], plans[FIRST]["decision"]["earlier"]) == (
        "stop", 1)
    assert figures["counts"]["stop"] == 1 and figures["counts"]["go"] == 0


def test_generating_twice_gives_identical_content(report, db):
    version = report["version"]
    request = build.check_request(area_set=PROGRAMME, period=PERIOD, date=DATE)
    first, second = build.gather(request), build.gather(request)
    assert first == second == version.figures
    again = render.render(figures=second, narrative=version.narrative,
                          settings=request.settings, software=version.software,
                          area_set_name=version.area_set_name, period=PERIOD, lang="nl",
                          pdf=False)
    assert again.html_sha256 == version.html_sha256


def test_a_changed_plan_makes_its_assessment_outdated(report, assessed, db):
    from wijkbalans.programmes.services import register

    plan = assessed["second"].activity
    register.activity_update(acting_user=user("beheer"), activity=plan,
                             expected_version=plan.version, title="Buurtfeest in het park")
    request = build.check_request(area_set=PROGRAMME, period=PERIOD, date=DATE)
    figures = build.gather(request)["touchstone"]
    shown = next(p for p in figures["plans"] if p["code"] == SECOND)
    plan.refresh_from_db()
    assert (shown["outdated"], shown["version"], shown["current_version"]) == (
        True, assessed["second"].activity_version, plan.version)
    assert shown["title"] == "Buurtfeest"  # the plan as it was assessed
    assert figures["counts"]["outdated"] == 1


def test_the_summary_counts_the_plans_and_decisions(report, db):
    with translation.override("nl"):
        expected = section.summary_sentences(report["figures"])
    assert len(expected) == 3
    blocks = report["version"].figures["summary"]["blocks"]
    sentences = [s for b in blocks for s in b["sentences"]]
    for sentence in expected:
        assert sentence in sentences
    with translation.override("en"):
        english = section.summary_sentences(report["figures"])
    assert english == ["2 plans were tested against the touchstone.",
                       "Decided: 1 of them (go: 1, adjust: 0, stop: 0).",
                       "5 planned activities have not been assessed yet."]


def test_the_body_that_decided_not_the_person(city, db):
    """The programme bureau (programme staff of a municipality, administrators among
    them); programme staff of a plan's owner that is not a municipality by its name; an
    administrator without the role programme staff as such."""
    from wijkbalans.accounts.models import Organisation
    from wijkbalans.accounts.services import membership_grant, user_create
    from wijkbalans.programmes.models import Activity

    plan = Activity.objects.get(code="interventie-a")
    housing = Organisation.objects.get(name="Woonstichting Demostad")
    staff = user_create(username="ts-woon", password=None, first_name="Wim")
    membership_grant(user=staff, organisation=housing, role="programme_staff")
    admin = user_create(username="ts-admin", password=None, is_superuser=True)
    with translation.override("en"):
        assert section.decided_by(user("bureau"), plan) == "the programme bureau"
        assert section.decided_by(user("beheer"), plan) == "the programme bureau"
        assert section.decided_by(admin, plan) == "an administrator"
        assert section.decided_by(None, plan) == ""
        plan.owner = housing
        assert section.decided_by(staff, plan) == (
            "programme staff of Woonstichting Demostad")
        assert section.decided_by(user("beheer"), plan) == "the programme bureau"
