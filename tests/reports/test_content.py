"""The report for Demostad-Noord, 2024, generated once for the module by the command:
every number in it is the number the app shows, computed here through the selectors and
read back from the PDF's text; the same data and settings give the same content; a stored
version renders again identically; malformed options are refused and write nothing."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from pypdf import PdfReader

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.charts.numbers import format_number
from wijkbalans.evaluations import presentation
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.programmes import selectors as register
from wijkbalans.programmes.coverage import coverage_table
from wijkbalans.programmes.models import Activity
from wijkbalans.reports.models import ReportVersion
from wijkbalans.reports.selectors import version_get
from wijkbalans.reports.services import rendered
from wijkbalans.stacking import selectors as stacking
from wijkbalans.stacking.headline import HEADLINE, headline_values

from .expected import NUMBER, allowed_numbers, numeric_cells
from .fixtures import PROGRAMME, user

PERIOD = "2024"
DATE = "2026-11-28"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squeeze(text: str) -> str:
    """Text without white space, so that a cell wrapped over two lines still matches."""
    return re.sub(r"\s+", "", text)


def nl(value, decimals=1) -> str:
    return format_number(value, decimals, "nl")


def euro(amount) -> str:
    return f"€ {format_number(Decimal(amount), 2, 'nl')}"


@pytest.fixture(scope="module")
def report(city, tmp_path_factory, django_db_blocker):
    """The command's PDF and HTML of the report, and its stored version."""
    out = tmp_path_factory.mktemp("report")
    with django_db_blocker.unblock():
        call_command("report", "--area-set", PROGRAMME, "--period", PERIOD, "--format", "pdf",
                     "--out", str(out / "r.pdf"), "--date", DATE, "--user", "beheer",
                     stdout=io.StringIO())
        version = ReportVersion.objects.order_by("-id").first()
        version = version_get(pk=version.pk, full=True)
        html = rendered(version, pdf=False).html
    data = (out / "r.pdf").read_bytes()
    return {"version": version, "pdf": data, "text": pdf_text(data), "html": html}


@pytest.fixture
def text(report, db):
    return report["text"]


# -- the numbers are the app's ----------------------------------------------------------

def test_the_command_wrote_the_stored_pdf(report, db):
    version = report["version"]
    assert version.status == "done"
    assert bytes(version.pdf) == report["pdf"]
    assert report["pdf"].startswith(b"%PDF-1.7")
    assert version.created_by == user("beheer")
    assert version.pages == len(PdfReader(io.BytesIO(report["pdf"])).pages) >= 8
    assert AuditEntry.objects.filter(action="report.run", object_id=str(version.pk)).exists()


def test_every_target_figure_is_the_selectors(text):
    area_set = stacking.target_list().filter(area_set__slug=PROGRAMME).first().area_set
    squeezed = squeeze(text)
    targets = list(stacking.target_list(area_set=area_set))
    assert len(targets) == 3
    for target in targets:
        progress = stacking.target_progress(target=target)
        path = {p["period"]: p.get("value") for p in progress["path"]}
        rows = [p for p in progress["periods"] if p["period"] <= PERIOD]
        assert rows and rows[-1]["period"] == "2024"
        for row in rows:
            cells = [row["period"], nl(row["value"]), nl(path.get(row["period"])),
                     nl(row["reference"])]
            assert squeeze(" ".join(cells)) in squeezed, (target, row)


def test_the_targets_as_the_area_profile_shows_them(client, text):
    response = client.get(f"/gebied/{PROGRAMME}/")
    assert response.status_code == 200
    squeezed = squeeze(text)
    for shown in response.context["targets"]:
        for row in shown["rows"]:
            if row["period"] > PERIOD:
                continue
            assert squeeze(f"{row['period']} {row['value']} {row['path']} {row['reference']}"
                           ) in squeezed


def test_the_headline_figures_as_the_area_profile_shows_them(client, text):
    response = client.get(f"/gebied/{PROGRAMME}/")
    html = response.content.decode()
    shown = {h["label"]: h for h in response.context["headline"]}
    frame = headline_values(place_codes_or_sets=[PROGRAMME])
    squeezed = squeeze(text)
    checked = 0
    for item in HEADLINE:
        rows = frame[frame["headline"] == item.code].sort_values("period")
        if rows.empty:
            continue
        latest = rows.iloc[-1]
        assert latest["period"] == "2024"
        expected = nl(latest["value"])
        assert shown[item.label_nl]["value"] == expected
        assert f'<td class="num">{expected}</td>' in html  # as the page prints it
        assert squeeze(f"{expected} (2024)") in squeezed
        # and the table beside its chart holds every period's value
        for period, value in zip(rows["period"], rows["value"], strict=True):
            assert squeeze(f"{period} {nl(value)}") in squeezed
        checked += 1
    assert checked >= 5


def test_the_stacking_figures_as_the_monitor_shows_them(client, text):
    squeezed = squeeze(text)
    profile = client.get(f"/gebied/{PROGRAMME}/").context["stacking"]
    assert profile["period"] == "2024"
    assert squeeze(f"Index {profile['score']}") in squeezed or profile["score"] in text
    for driver in profile["drivers"]:
        assert squeeze(f"{driver['label']} {driver['text']}") in squeezed
    page = client.get("/stapeling/?binnen=GM9999&niveau=buurt&referentie=city"
                      "&methode=deprivation")
    assert page.status_code == 200
    from wijkbalans.areas.models import AreaSet

    codes = set(AreaSet.objects.get(slug=PROGRAMME).members.values_list("code", flat=True))
    rows = [r for r in page.context["rows"] if r["code"] in codes]
    assert len(rows) == 9
    for row in rows:
        cells = [row["name"], row["code"], row["score_text"], str(row["rank"] or "–"),
                 str(row["decile"] or "–"), str(row["stack_count"])]
        assert squeeze(" ".join(cells)) in squeezed, row


def test_programme_progress_results_and_money(client, text):
    squeezed = squeeze(text)
    programme = Activity.objects.get(code="prog-noord")
    assert "Programma Noord" in text and "Programma Elders" not in text
    progress = register.activity_progress(activity=programme)
    assert progress.progress == Decimal("0.450000")  # (40% + 50%) / 2, by hand
    client.force_login(user("beheer"))
    page = client.get("/programma/prog-noord/")
    assert page.status_code == 200
    assert page.context["progress"]["text"] == "45%"
    assert "45%" in text
    for code, percent in (("interventie-a", "40%"), ("interventie-b", "50%")):
        child = client.get(f"/programma/{code}/").context["progress"]["text"]
        assert child == percent
        assert squeeze(f"Interventie {code[-1].upper()}") in squeezed
    coverage = coverage_table(activity=programme, from_year=2023, to_year=2026)
    assert [(y.year, y.need, y.secured, y.shortfall) for y in coverage.years] == [
        (2023, Decimal("120000.00"), Decimal("100000.00"), Decimal("20000.00")),
        (2024, Decimal("120000.00"), Decimal("100000.00"), Decimal("20000.00")),
        (2025, Decimal("120000.00"), Decimal("50000.00"), Decimal("70000.00")),
        (2026, Decimal("30000.00"), Decimal("30000.00"), Decimal("0.00"))]
    for y in coverage.years:
        assert squeeze(f"{y.year} {euro(y.need)} {euro(y.secured)} {euro(y.gap)} "
                       f"{euro(y.shortfall)}") in squeezed
    assert squeeze(f"{euro('390000')} {euro('280000')} {euro('110000')} {euro('110000')}") \
        in squeezed
    assert squeeze(f"2026 {euro('60000')} Interventie B") in squeezed


def test_the_evaluation_as_its_page_shows_it(client, text):
    evaluation = Evaluation.objects.get(area_set__slug=PROGRAMME, status="done")
    page = client.get(f"/evaluaties/{evaluation.pk}/")
    html = page.content.decode()
    squeezed = squeeze(text)
    for label, value in page.context["summary"]:
        assert f'<td class="num">{escape(value)}</td>' in html
        assert squeeze(value) in squeezed
    assert presentation.conclusion_label(evaluation.conclusion) in \
        [page.context["verdict"]["label"]]
    assert squeeze(page.context["verdict"]["label"]) in squeezed


def test_every_number_cell_of_the_html_is_in_the_pdf(report, db):
    cells = numeric_cells(report["html"])
    assert len(cells) > 200
    squeezed = squeeze(report["text"])
    missing = [c for c in cells if squeeze(c) and squeeze(c) not in squeezed]
    assert missing == []


def test_every_number_of_the_figures_tables_comes_from_the_selectors(report, db):
    """Each number in a numeric cell is a figure the selectors give (formatted as the
    pages format it), a period, or a count the selectors give."""
    allowed = allowed_numbers(report["version"], PERIOD)
    for cell in numeric_cells(report["html"]):
        rest = re.sub(r"\((\d{4}(?:-Q\d)?)\)", "", cell)  # "(2024)": the period of a value
        for token in NUMBER.findall(rest):
            if token == "–":
                continue
            assert token in allowed or token.strip() in allowed, (cell, token)


def test_the_summary_is_written_from_the_figures(report, db):
    figures = report["version"].figures
    sentences = [s for block in figures["summary"]["blocks"] for s in block["sentences"]]
    with translation.override("nl"):  # the report's language
        overall = _("On track: %(on)s of the %(n)s targets. Behind: %(behind)s. No figures "
                    "yet: %(none)s.") % {"on": 0, "n": 3, "behind": 3, "none": 0}
    assert sentences[0] == overall
    for target in figures["headline"]["targets"]:
        latest = target["latest"]
        assert any(nl(latest["value"]) in s and latest["period"] in s for s in sentences)
    squeezed = squeeze(report["text"])
    for sentence in sentences:
        assert squeeze(sentence) in squeezed
    money = [s for s in sentences if "390.000,00" in s]
    assert money and euro("110000") in money[0]
    assert any("60.000,00" in s and "2026" in s for s in sentences)


def test_the_appendix_names_sources_and_batches(report, db):
    figures = report["version"].figures["appendix"]
    assert [b["kind"] for b in figures["batches"]] == ["demo"]
    assert "demostad-seed-" in report["text"]
    codes = {i["code"] for i in figures["indicators"]}
    assert {"werkzaam_pct", "bijstand_per_1000"} <= codes
    assert "CBS Kerncijfers wijken en buurten" in report["text"]


# -- print quality ----------------------------------------------------------------------

def test_the_pdf_is_tagged_a4_with_page_numbers_and_a_table_of_contents(report, db):
    reader = PdfReader(io.BytesIO(report["pdf"]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data() or \
        b"pdfuaid" in root["/Metadata"].get_object().get_data()
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    pages = len(reader.pages)
    assert f"van {pages}" in reader.pages[2].extract_text() or \
        f"of {pages}" in reader.pages[2].extract_text()
    contents = reader.pages[1].extract_text()
    assert re.search(r"Samenvatting\s*\.[ .]+3", contents) or re.search(r"Summary[ .]+3",
                                                                        contents)
    assert reader.metadata["/CreationDate"].startswith("D:20261128")
    assert reader.metadata["/Title"].startswith(("Progress report", "Voortgangsrapportage"))


def test_charts_are_vector_images_with_alternative_text(report, db):
    html = report["html"]
    images = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    assert len(images) >= 8  # 3 targets, the headline figures, the map, the money
    assert all(len(alt) > 20 for alt in images)
    assert '<html lang="nl">' in html
    headings = re.findall(r"<h([1-6])", html)
    assert headings[0] == "1" and all(int(b) - int(a) <= 1 for a, b in zip(headings,
                                                                            headings[1:]))
    assert "<th scope=" in html and "<caption>" in html


def test_dutch_numbers_and_dates(report, db):
    assert "28 november 2026" in report["text"]
    assert re.search(r"\d\.\d{3},\d{2}", report["text"])  # € 120.000,00
    assert not re.search(r"€ \d{1,3},\d{3}\.", report["text"])


# -- reproducibility --------------------------------------------------------------------

def test_a_stored_version_renders_again_to_the_identical_pdf(report, db):
    """``wijkbalans reports check ID``: the HTML and the PDF rendered again from the frozen
    figures and texts are byte for byte the stored ones (the PDF's dates are the report's
    date, not the clock)."""
    version = report["version"]
    out = io.StringIO()
    call_command("reports", "check", str(version.pk), "--format", "json", "--user",
                 "analist", stdout=out)
    outcome = json.loads(out.getvalue())
    assert outcome == {**outcome, "id": version.pk, "identical": True,
                       "html_identical": True, "pdf_identical": True}
    entry = AuditEntry.objects.get(action="report.regenerate_check", object_id=str(version.pk))
    assert entry.actor == user("analist") and entry.after["identical"] is True


def test_the_same_data_and_settings_give_the_same_content(report, db):
    """Gathered again from the database: the same figures, the same HTML."""
    from wijkbalans.reports import build, render

    version = report["version"]
    request = build.check_request(area_set=PROGRAMME, period=PERIOD, date=DATE)
    assert request.settings == version.settings
    figures = build.gather(request)
    assert figures == version.figures
    again = render.render(figures=figures, narrative=version.narrative,
                          settings=request.settings, software=version.software,
                          area_set_name=version.area_set_name, period=PERIOD, lang="nl",
                          pdf=False)
    assert again.html_sha256 == version.html_sha256
    assert again.html == report["html"]


def test_a_changed_figure_changes_the_content(report, db):
    from wijkbalans.reports import render

    version = report["version"]
    figures = json.loads(json.dumps(version.figures))
    figures["headline"]["targets"][0]["rows"][-1]["value"] += 1.0
    again = render.render(figures=figures, narrative=version.narrative,
                          settings=version.settings, software=version.software,
                          area_set_name=version.area_set_name, period=PERIOD, lang="nl",
                          pdf=False)
    assert again.html_sha256 != version.html_sha256


# -- malformed options ------------------------------------------------------------------

def counts() -> dict:
    return {"versions": ReportVersion.objects.count(), "audit": AuditEntry.objects.count()}


@pytest.mark.parametrize("options, message", [
    (["--area-set", "nergens", "--period", "2024"], "--area-set: No area set 'nergens'"),
    (["--area-set", PROGRAMME, "--period", "2024-13"], "--period: The period is a year"),
    (["--area-set", PROGRAMME, "--period", "24"], "--period: The period is a year"),
    (["--area-set", PROGRAMME, "--period", "1999"], "no figures up to 1999"),
    (["--area-set", PROGRAMME, "--period", "2024", "--lang", "de"], "--lang: The language"),
    (["--area-set", PROGRAMME, "--period", "2024", "--date", "28-11-2026"], "--date:"),
    (["--area-set", PROGRAMME, "--period", "2024", "--base-period", "2031"],
     "--base-period:"),
    (["--area-set", PROGRAMME, "--period", "2024", "--user", "niemand"],
     "--user: no user named 'niemand'"),
    (["--area-set", PROGRAMME, "--period", "2024", "--user", "bewoner"],
     "Generating a report needs the role"),
])
def test_malformed_options_are_named_and_write_nothing(city, db, english, tmp_path, options,
                                                      message):
    before = counts()
    target = tmp_path / "r.pdf"
    with pytest.raises(CommandError) as error:
        call_command("report", *options, "--out", str(target), stdout=io.StringIO())
    assert message in str(error.value)
    assert counts() == before
    assert not target.exists()


def test_an_out_folder_that_does_not_exist_is_refused(city, db, english, tmp_path):
    before = counts()
    with pytest.raises(CommandError, match="--out: the folder"):
        call_command("report", "--area-set", PROGRAMME, "--period", "2024", "--out",
                     str(tmp_path / "nope" / "r.pdf"), stdout=io.StringIO())
    assert counts() == before
