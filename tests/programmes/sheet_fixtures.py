"""A small register with results and money for the workbook tests, built with the ORM.

Reference data (not in the workbook): the areas GM0014, WK001400, BU00140000, BU00140001
and the area set ``noord``; indicators come from the catalogue (``inwoners``).

Register: ``nplv-noord`` (programme, Gemeente Sheetstad, public, 2022-2040) with
``al-werk`` (action line) and, under it, ``int-taal`` (intervention, rated, weight 1.5).
Partners: Woonbron implementing ``al-werk`` and ``int-taal``; Stichting Scholen funding
``nplv-noord``. Results: ``inwoners`` (outcome of ``nplv-noord``, period 2025 target
1200) and ``deelnemers`` (output of ``int-taal``, baseline 2023 = 10; 2024 target 50,
actual 47 approved and locked, an earlier approval 45 superseded, a draft 99 left out;
2025 target 80). Money: ``nplv`` (state grant, 2022-2025, funder Rijk) and ``gem``
(municipal, structural); allocations and budget lines as in ALLOCATIONS and LINES.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

from django.utils import timezone

from wijkbalans.accounts.models import Organisation
from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.programmes.models import (
    Activity,
    ActivityPartner,
    BudgetLine,
    FundingAllocation,
    FundingSource,
    ResultIndicator,
    ResultPeriod,
    ResultUpdate,
)

ALLOCATIONS = [("gem", 2024, "123456789012.34"), ("nplv", 2024, "1000000.00"),
               ("nplv", 2025, "250000.10")]
LINES = [("al-werk", "gem", 2024, "0.10", "0.00", "0.00", ""),
         ("int-taal", "nplv", 2024, "400000.50", "100000.00", "99999.99", "Taallessen"),
         ("int-taal", "nplv", 2025, "80000.00", "0.00", "0.00", "")]


def reference_data() -> None:
    """Areas, an area set: what a workbook refers to but does not hold."""
    gm = Area.objects.create(code="GM0014", level="gemeente", name="Groningen")
    wk = Area.objects.create(code="WK001400", level="wijk", name="Centrum", parent=gm)
    buurten = [Area.objects.create(code=f"BU0014000{i}", level="buurt", name=f"Buurt {i}",
                                   parent=wk) for i in range(2)]
    noord = AreaSet.objects.create(slug="noord", name="Noord")
    noord.members.set(buurten)


def build_register() -> SimpleNamespace:
    reference_data()
    org = {slug: Organisation.objects.create(slug=slug, name=name, kind=kind)
           for slug, name, kind in [
               ("gemeente-sheetstad", "Gemeente Sheetstad", "municipality"),
               ("woonbron", "Woonbron", "housing_corporation"),
               ("scholen", "Stichting Scholen", "school_board"),
               ("rijk", "Rijk (BZK)", "state"),
               ("ongebruikt", "Niet gebruikt", "other")]}
    prog = Activity.objects.create(
        code="nplv-noord", kind="programme", title="NPLV Noord — wijken “vooruit”",
        description="Twintig jaar werken aan Noord.\nTweede regel.",
        owner=org["gemeente-sheetstad"], status="running", start=dt.date(2022, 1, 1),
        end=dt.date(2040, 12, 31), themes=["work_income", "safety"],
        links=[{"title": "Programmaplan | 2022", "url": "https://example.org/plan"},
               {"title": "", "url": "https://example.org/kaart"}], public=True)
    prog.areas.set(Area.objects.filter(code__in=["GM0014", "BU00140000"]))
    prog.area_sets.set(AreaSet.objects.all())
    line = Activity.objects.create(code="al-werk", kind="action_line", title="Werk",
                                   owner=org["gemeente-sheetstad"], parent=prog,
                                   start=dt.date(2023, 3, 1))
    taal = Activity.objects.create(
        code="int-taal", kind="intervention", title="Taalhuis", parent=line,
        owner=org["gemeente-sheetstad"], status="planned", start=dt.date(2024, 1, 1),
        end=dt.date(2026, 6, 30), evidence_level="goed_onderbouwd",
        evidence_databank="movisie", evidence_url="https://example.org/movisie/taal",
        weight=D("1.500"))
    for activity, slug, role in [(line, "woonbron", "implementing"),
                                 (taal, "woonbron", "implementing"),
                                 (prog, "scholen", "funding")]:
        ActivityPartner.objects.create(activity=activity, organisation=org[slug], role=role)
    outcome = ResultIndicator.objects.create(
        activity=prog, kind="outcome", indicator_code="inwoners", name="Inwoners",
        unit="aantal", baseline_period="2022", baseline_value=D("1000"))
    ResultPeriod.objects.create(result=outcome, period="2025", target=D("1200"))
    output = ResultIndicator.objects.create(
        activity=taal, kind="output", name="deelnemers", unit="personen", direction="up",
        baseline_period="2023", baseline_value=D("10"), weight=D("2"), order=1)
    p2024 = ResultPeriod.objects.create(result=output, period="2024", target=D("50"))
    ResultPeriod.objects.create(result=output, period="2025", target=D("80.5"))
    now = timezone.now()
    for value, narrative, status, seconds in [("45", "Eerste telling", "approved", 0),
                                              ("47", "Na correctie; 2 laat", "approved", 60),
                                              ("99", "Concept", "draft", None)]:
        ResultUpdate.objects.create(
            period=p2024, organisation=org["woonbron"], value=D(value), narrative=narrative,
            status=status, review_comment="Akkoord" if status == "approved" else "",
            reviewed_at=now + dt.timedelta(seconds=seconds) if seconds is not None else None)
    p2024.actual, p2024.locked, p2024.locked_at = D("47"), True, now
    p2024.save()
    nplv = FundingSource.objects.create(code="nplv", name="NPLV (SPUK)", kind="state_grant",
                                        funder=org["rijk"], start_year=2022, end_year=2025,
                                        conditions="Alleen Noord")
    gem = FundingSource.objects.create(code="gem", name="Gemeente structureel",
                                       kind="municipal", start_year=2022)
    sources = {"nplv": nplv, "gem": gem}
    for code, year, amount in ALLOCATIONS:
        FundingAllocation.objects.create(source=sources[code], year=year, amount=D(amount))
    activities = {"al-werk": line, "int-taal": taal}
    for code, source, year, planned, committed, spent, note in LINES:
        BudgetLine.objects.create(activity=activities[code], source=sources[source],
                                  year=year, planned=D(planned), committed=D(committed),
                                  spent=D(spent), note=note)
    return SimpleNamespace(org=org, prog=prog, line=line, taal=taal, output=output,
                           p2024=p2024, nplv=nplv, gem=gem)


def clear_register() -> None:
    """Remove the register, its results, money and organisations (not the audit log, the
    areas or the indicators): an empty database for the workbook to fill."""
    ResultUpdate.objects.all().delete()
    ResultPeriod.objects.all().delete()
    ResultIndicator.objects.all().delete()
    ActivityPartner.objects.all().delete()
    BudgetLine.objects.all().delete()
    FundingAllocation.objects.all().delete()
    FundingSource.objects.all().delete()
    while Activity.objects.exists():
        Activity.objects.filter(children__isnull=True).delete()
    Organisation.objects.all().delete()


COUNTED = ["accounts.Organisation", "accounts.AuditEntry", "programmes.Activity",
           "programmes.ActivityPartner", "programmes.ResultIndicator",
           "programmes.ResultPeriod", "programmes.ResultUpdate", "programmes.FundingSource",
           "programmes.FundingAllocation", "programmes.BudgetLine"]


def row_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {label: apps.get_model(label).objects.count() for label in COUNTED}
    counts["areas"] = Activity.areas.through.objects.count()
    counts["area_sets"] = Activity.area_sets.through.objects.count()
    return counts


def workbook_content(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values, row by row: what a user sees in the workbook."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()
