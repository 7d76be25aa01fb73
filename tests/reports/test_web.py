"""Pages under /rapportage/: who may read, generate and edit; the queue, the progress page
and the downloads; the worker; the bureau's texts with their version check."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import AreaSet
from wijkbalans.reports import services
from wijkbalans.reports.errors import ConflictError, PermissionRefused, ReportError
from wijkbalans.reports.models import ReportNarrative, ReportVersion
from wijkbalans.reports.worker import work

from .fixtures import PROGRAMME, user

pytestmark = pytest.mark.usefixtures("city_without_evaluation", "db", "english")


@pytest.fixture
def client(client):
    """A browser that asks for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client

FORM = {"area_set": PROGRAMME, "period": "2024", "lang": "en", "date": "2026-11-28"}


def counts() -> dict:
    return {"versions": ReportVersion.objects.count(),
            "texts": ReportNarrative.objects.count(), "audit": AuditEntry.objects.count()}


def logged_in(client, username):
    client.force_login(user(username))
    return client


def area_set():
    return AreaSet.objects.get(slug=PROGRAMME)


# -- who may do what --------------------------------------------------------------------

def test_anonymous_users_are_sent_to_log_in(client):
    for url in ("/rapportage/", "/rapportage/nieuw/", f"/rapportage/teksten/{PROGRAMME}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_residents_may_not_read_the_reports(client):
    logged_in(client, "bewoner")
    assert client.get("/rapportage/").status_code == 403
    assert client.get(f"/rapportage/teksten/{PROGRAMME}/").status_code == 403


def test_a_partner_reads_but_may_not_generate_or_edit(client):
    logged_in(client, "partner")
    page = client.get("/rapportage/")
    assert page.status_code == 200 and "/rapportage/nieuw/" not in page.content.decode()
    before = counts()
    assert client.get("/rapportage/nieuw/").status_code == 403
    assert client.post("/rapportage/nieuw/", FORM).status_code == 403
    assert client.get(f"/rapportage/teksten/{PROGRAMME}/summary/nl/").status_code == 403
    assert client.post(f"/rapportage/teksten/{PROGRAMME}/summary/nl/",
                       {"text": "x", "version": "0"}).status_code == 403
    assert counts() == before


def test_an_analyst_generates_but_may_not_edit_texts(client):
    logged_in(client, "analist")
    assert client.get("/rapportage/nieuw/").status_code == 200
    assert client.get(f"/rapportage/teksten/{PROGRAMME}/summary/nl/").status_code == 403


# -- the queue, the worker, the progress and the downloads ------------------------------

def test_bad_input_is_shown_at_its_field_and_changes_nothing(client):
    logged_in(client, "analist")
    before = counts()
    response = client.post("/rapportage/nieuw/", {**FORM, "period": "2024-13"})
    assert response.status_code == 400
    assert "The period is a year such as 2024" in response.content.decode()
    assert response.context["form"].errors["period"]
    response = client.post("/rapportage/nieuw/", {**FORM, "period": "1990"})
    assert response.status_code == 400 and "no figures up to 1990" in response.content.decode()
    assert counts() == before


def test_a_queued_report_is_generated_by_the_worker_and_downloaded(client):
    bureau = user("bureau")
    services.narrative_save(acting_user=bureau, area_set=area_set(), section="summary",
                            lang="en", text="The bureau explains the year.",
                            expected_version=0)
    logged_in(client, "analist")
    before = counts()
    response = client.post("/rapportage/nieuw/", FORM)
    assert response.status_code == 302
    version = ReportVersion.objects.latest("id")
    assert response["Location"] == f"/rapportage/{version.pk}/"
    assert counts()["versions"] == before["versions"] + 1
    assert (version.status, version.lang, version.period, version.created_by) == (
        "queued", "en", "2024", user("analist"))
    assert AuditEntry.objects.filter(action="report.request", object_id=str(version.pk),
                                     actor=user("analist")).exists()
    page = client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()
    assert client.get(f"/rapportage/{version.pk}/rapport.pdf").status_code == 404

    finished = []
    assert work(once=True, report=finished.append) == 1
    assert [v.pk for v in finished] == [version.pk]
    version.refresh_from_db()
    assert (version.status, version.progress, version.step) == ("done", 100, "done")
    assert version.narrative == {"summary": "The bureau explains the year."}
    page = client.get(f"/rapportage/{version.pk}/").content.decode()
    assert "http-equiv" not in page and f"/rapportage/{version.pk}/rapport.pdf" in page
    download = client.get(f"/rapportage/{version.pk}/rapport.pdf")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="voortgangsrapportage-demostad-noord-2024-en.pdf"')
    reader = PdfReader(io.BytesIO(download.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"page 3 of {len(reader.pages)}" in text
    assert "The bureau explains the year." in text and "28 November 2026" in text
    html = client.get(f"/rapportage/{version.pk}/rapport.html").content.decode()
    assert '<html lang="en">' in html and "Summary" in html
    # English numbers: a thousands comma, a decimal point
    assert "€ 120,000.00" in text or "€ 1,100,000.00" in text

    listing = client.get("/rapportage/").content.decode()
    assert f"/rapportage/{version.pk}/" in listing


def test_a_running_report_shows_its_progress_and_refreshes(client):
    version = services.report_request(acting_user=user("analist"), area_set=PROGRAMME,
                                      period="2024")
    claimed = services.report_claim(pk=version.pk)
    assert claimed.status == "running"
    assert services.report_claim(pk=version.pk) is None  # taken already
    ReportVersion.objects.filter(pk=version.pk).update(progress=50, step="programmes")
    page = logged_in(client, "partner").get(f"/rapportage/{version.pk}/")
    content = page.content.decode()
    assert "http-equiv=\"refresh\"" in content and "50%" in content
    assert "programmes and money" in content


def test_a_stopped_worker_leaves_a_failed_report(client):
    version = services.report_request(acting_user=None, area_set=PROGRAMME, period="2024")
    services.report_claim(pk=version.pk)
    ReportVersion.objects.filter(pk=version.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=2))
    assert services.report_fail_stale() == 1
    version.refresh_from_db()
    assert version.status == "failed" and "stopped before it finished" in version.error
    page = logged_in(client, "partner").get(f"/rapportage/{version.pk}/").content.decode()
    assert "could not be generated" in page and "http-equiv" not in page
    with pytest.raises(ReportError):
        services.report_run(version=version)


def test_only_a_finished_report_is_checked_again(client):
    version = services.report_request(acting_user=None, area_set=PROGRAMME, period="2024")
    assert logged_in(client, "partner").post(f"/rapportage/{version.pk}/controle/"
                                             ).status_code == 403
    page = logged_in(client, "analist").post(f"/rapportage/{version.pk}/controle/",
                                             follow=True)
    assert "only a finished report can be rendered again" in page.content.decode()


def test_unknown_versions_are_not_found(client):
    logged_in(client, "partner")
    assert client.get("/rapportage/999999/").status_code == 404
    assert client.get("/rapportage/999999/rapport.pdf").status_code == 404


# -- the bureau's texts -----------------------------------------------------------------

def test_the_bureau_edits_a_text_and_it_is_audited(client):
    logged_in(client, "bureau")
    url = f"/rapportage/teksten/{PROGRAMME}/stacking/nl/"
    form = client.get(url)
    assert form.status_code == 200 and 'name="version" value="0"' in form.content.decode()
    response = client.post(url, {"text": "Eerste tekst.\r\n\r\nTweede alinea.",
                                 "version": "0"})
    assert response.status_code == 302
    assert response["Location"] == f"/rapportage/teksten/{PROGRAMME}/?taal=nl"
    row = ReportNarrative.objects.get(area_set__slug=PROGRAMME, section="stacking", lang="nl")
    assert (row.text, row.version, row.updated_by) == (
        "Eerste tekst.\n\nTweede alinea.", 1, user("bureau"))
    entry = AuditEntry.objects.get(action="report.narrative.save", object_id=str(row.pk))
    assert entry.before is None and entry.after["text"] == row.text
    listing = client.get(f"/rapportage/teksten/{PROGRAMME}/?taal=nl").content.decode()
    assert "Eerste tekst." in listing
    response = client.post(url, {"text": "Nieuwe tekst.", "version": "1"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.text, row.version) == ("Nieuwe tekst.", 2)
    entry = AuditEntry.objects.filter(action="report.narrative.save").latest("id")
    assert entry.before["text"] == "Eerste tekst.\n\nTweede alinea."


def test_a_stale_edit_is_refused_and_shows_the_current_text(client):
    logged_in(client, "bureau")
    url = f"/rapportage/teksten/{PROGRAMME}/headline/nl/"
    assert client.post(url, {"text": "Van Bart.", "version": "0"}).status_code == 302
    before = counts()
    response = client.post(url, {"text": "Van iemand anders.", "version": "0"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Somebody else saved this text" in content and "Van Bart." in content
    assert "Van iemand anders." in content  # the editor's own text stays in the form
    assert 'name="version" value="1"' in content  # saving again builds on the current one
    assert counts() == before
    row = ReportNarrative.objects.get(area_set__slug=PROGRAMME, section="headline")
    assert (row.text, row.version) == ("Van Bart.", 1)


def test_the_text_service_checks_its_input_and_rights():
    bureau, target = user("bureau"), area_set()
    before = counts()
    with pytest.raises(PermissionRefused):
        services.narrative_save(acting_user=user("analist"), area_set=target,
                                section="summary", lang="nl", text="x", expected_version=0)
    with pytest.raises(ReportError) as error:
        services.narrative_save(acting_user=bureau, area_set=target, section="nergens",
                                lang="nl", text="x", expected_version=0)
    assert error.value.field == "section"
    with pytest.raises(ReportError) as error:
        services.narrative_save(acting_user=bureau, area_set=target, section="summary",
                                lang="de", text="x", expected_version=0)
    assert error.value.field == "lang"
    with pytest.raises(ReportError) as error:
        services.narrative_save(acting_user=bureau, area_set=target, section="summary",
                                lang="nl", text="x" * 20_001, expected_version=0)
    assert error.value.field == "text"
    with pytest.raises(ConflictError):
        services.narrative_save(acting_user=bureau, area_set=target, section="summary",
                                lang="nl", text="x", expected_version=3)
    assert counts() == before
    row = services.narrative_save(acting_user=bureau, area_set=target, section="summary",
                                  lang="nl", text="  Tekst.  ", expected_version=0)
    audit = AuditEntry.objects.count()
    same = services.narrative_save(acting_user=bureau, area_set=target, section="summary",
                                   lang="nl", text="Tekst.", expected_version=1)
    assert same.version == row.version == 1 and AuditEntry.objects.count() == audit


# -- early concerns and participation, in aggregate -------------------------------------

def _context(period: str):
    from wijkbalans.reports import build

    return build.context(build.Request(area_set=area_set(), period=period, lang="en",
                                       settings={"date": "2026-11-28"}))


def _partial(key: str, figures: dict) -> str:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        return render_to_string(f"reports/sections/_{key}.html", {"f": figures})


def test_without_concerns_the_section_says_so():
    from wijkbalans.reports.sections import concerns

    figures = concerns.collect(_context("2015"))  # years before the demo's concerns
    assert figures["available"] is True and figures["rows"] == []
    assert figures["periods"] == ["2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"]
    assert "No early concerns were recorded in this period." in _partial("concerns", figures)


def test_concerns_are_reported_as_the_published_tables_show_them(monkeypatch):
    from wijkbalans.accounts.models import Organisation
    from wijkbalans.concerns import selectors as concern_selectors
    from wijkbalans.concerns.services import concern_submit
    from wijkbalans.reports.sections import concerns

    monkeypatch.setattr(concern_selectors, "today", lambda: dt.date(2024, 6, 30))
    professional = user("professional")
    team = Organisation.objects.get(name="Sociaal Team Demostad-Noord")
    for week in ("2024-W18", "2024-W19", "2024-W20", "2024-W21", "2024-W22", "2024-W23",
                 "2024-W24"):
        concern_submit(acting_user=professional, organisation=team, theme="poverty_debts",
                       week=week, severity=2, buurt_code="BU99990101")
    # by hand: seven concerns in one cell, 7 >= k = 5 in every cell and total: published
    rows = {r["label"]: r["counts"] for r in concerns.collect(_context("2024"))["rows"]}
    assert rows["poverty and debts"][:2] == [{"count": 0, "partial": False},
                                            {"count": 7, "partial": False}]
    assert rows["all themes"][1] == {"count": 7, "partial": False}
    concern_submit(acting_user=professional, organisation=team, theme="loneliness",
                   week="2024-W20", severity=1, buurt_code="BU99990100")
    figures = concerns.collect(_context("2024"))
    table = concern_selectors.early_warning_table(gemeente="GM9999", first="2024-Q1",
                                                  last="2024-Q4")
    members = set(area_set().members.values_list("code", flat=True))
    columns = [i for i, (code, _n) in enumerate(table.buurten) if code in members]
    rows = {r["label"]: r["counts"] for r in figures["rows"]}
    for label, theme in (("poverty and debts", "poverty_debts"), ("loneliness", "loneliness")):
        index = [str(t) for t in table.themes].index(theme)
        published = [[t.counts[index][j] for j in columns] for t in table.periods]
        expected = [{"count": None if None in cells and not sum(c or 0 for c in cells)
                     else sum(c or 0 for c in cells), "partial": None in cells}
                    for cells in published]
        assert rows[label] == expected
    # one concern on loneliness is below k: not shown (nothing else is published there)
    assert rows["loneliness"][1] == {"count": None, "partial": True}
    html = _partial("concerns", figures)
    assert "too small to publish" in html


def test_participation_in_aggregate():
    from wijkbalans.participation.services.consultations import consultation_create
    from wijkbalans.participation.services.outcomes import outcome_publish
    from wijkbalans.reports.sections import participation

    assert participation.collect(_context("2024"))["rows"] == []  # the demo has none then
    this_year = str(timezone.localdate().year)

    def outcomes_now():
        rows = participation.collect(_context(this_year))["rows"]
        return {r["key"]: r["count"] for r in rows}.get("outcomes", 0)

    before = outcomes_now()
    bureau = user("bureau")
    consultation = consultation_create(
        acting_user=bureau, title="Plein Noorderpoort", text="Wat wilt u op het plein?",
        opens="2024-03-01T09:00", closes="2024-04-01T09:00", area_set_slug=PROGRAMME,
        publish=True)
    consultation_create(acting_user=bureau, title="Elders", text="Elders.",
                        opens="2024-03-01T09:00", closes="2024-04-01T09:00",
                        area_code="BU99990400", publish=True)
    outcome_publish(acting_user=bureau, status="adopted", text="Het plein wordt groener.",
                    consultation=consultation)
    figures = participation.collect(_context("2024"))
    rows = {r["key"]: r for r in figures["rows"]}
    assert rows["consultations"]["count"] == 1  # the one in another buurt does not count
    assert rows["proposals"]["count"] == rows["rounds"]["count"] == 0
    assert rows["outcomes"]["count"] == 0  # published now, not in 2024
    html = _partial("participation", figures)
    assert "Consultations opened" in html and "1 January 2024" in html
    assert outcomes_now() == before + 1
