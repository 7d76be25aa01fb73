"""References between sheets and to the database, and the rules a row must keep that one
cell cannot show. The rules are those of the services (``programmes.services``), applied
to the state the import would leave: every code a row names exists (in its sheet or
already registered), the tree has no cycles and ranks programme > action line >
intervention with parts inside their parent's dates, years lie within their source's
years, a locked period is not changed. Adds every problem to ``parsed.problems``; writes
nothing. The register's rules are in ``check_register``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wijkbalans.accounts.models import Organisation
from wijkbalans.areas.models import AreaSet
from wijkbalans.areas.selectors import area_code_map
from wijkbalans.indicators import catalogue
from wijkbalans.indicators.models import Indicator
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

from .read import Parsed, Row


@dataclass
class Lookups:
    """What the database holds that the workbook refers to, read once."""

    org_by_slug: dict[str, tuple[str, str]] = field(default_factory=dict)  # name, kind
    # code -> {parent, owner, kind, start, end}
    activities: dict[str, dict] = field(default_factory=dict)
    partner_orgs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # (activity, name) -> {baseline_period, baseline_value, direction}
    results: dict[tuple[str, str], dict] = field(default_factory=dict)
    # (activity, result, period) -> (target, locked, current approved update, actual)
    periods: dict[tuple, tuple] = field(default_factory=dict)
    source_years: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    used_years: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    area_ids: dict[str, int] = field(default_factory=dict)
    area_set_ids: dict[str, int] = field(default_factory=dict)
    indicator_codes: set[str] = field(default_factory=set)


def approved_update_key(update: ResultUpdate | None) -> tuple | None:
    """What the workbook shows of a period's current approved update."""
    if update is None:
        return None
    return (update.organisation.slug, update.value, update.narrative, update.review_comment)


def current_approved(period_ids) -> dict[int, ResultUpdate]:
    """The approved update each period's actual follows: the latest approval (as
    ``selectors.period_current_update`` orders them)."""
    latest: dict[int, ResultUpdate] = {}
    for update in (ResultUpdate.objects.filter(period_id__in=period_ids, status="approved")
                   .select_related("organisation").order_by("-reviewed_at", "-id")):
        latest.setdefault(update.period_id, update)
    return latest


def lookups_for(parsed: Parsed) -> Lookups:
    rows = parsed.rows
    found = Lookups()
    found.org_by_slug = {slug: (name, kind) for slug, name, kind in
                         Organisation.objects.values_list("slug", "name", "kind")}
    for code, parent, owner, kind, start, end in Activity.objects.values_list(
            "code", "parent__code", "owner__slug", "kind", "start", "end"):
        found.activities[code] = {"parent_code": parent or "", "owner": owner, "kind": kind,
                                  "start": start, "end": end}
    for code, slug in ActivityPartner.objects.values_list("activity__code",
                                                          "organisation__slug"):
        found.partner_orgs[code].add(slug)
    for code, name, *rest in ResultIndicator.objects.values_list(
            "activity__code", "name", "baseline_period", "baseline_value", "direction"):
        found.results[(code, name)] = dict(zip(
            ("baseline_period", "baseline_value", "direction"), rest, strict=True))
    periods = list(ResultPeriod.objects.select_related("result__activity"))
    approved = current_approved([p.pk for p in periods])
    for p in periods:
        found.periods[(p.result.activity.code, p.result.name, p.period)] = (
            p.target, p.locked, approved_update_key(approved.get(p.pk)), p.actual)
    found.source_years = {code: (start, end) for code, start, end in
                          FundingSource.objects.values_list("code", "start_year", "end_year")}
    for model in (FundingAllocation, BudgetLine):
        for code, year in model.objects.values_list("source__code", "year"):
            found.used_years[code].add(year)
    acts = [r for r in rows.get("activities", []) if r.good("areas", "area_sets")]
    found.area_ids = area_code_map(codes={c for r in acts for c in r["areas"]})
    found.area_set_ids = dict(AreaSet.objects.filter(
        slug__in={c for r in acts for c in r["area_sets"]}).values_list("slug", "pk"))
    codes = {r["indicator_code"] for r in rows.get("result_indicators", [])
             if r.good("indicator_code") and r["indicator_code"]}
    found.indicator_codes = ({c for c in codes if c in catalogue.BY_CODE}
                             | set(Indicator.objects.filter(code__in=codes)
                                   .values_list("code", flat=True)))
    return found


def check(parsed: Parsed) -> Lookups:
    """Check every reference and cross-row rule; problems go to ``parsed.problems``."""
    from . import check_register

    found = lookups_for(parsed)
    rows = parsed.rows
    orgs = set(found.org_by_slug) | {r["slug"] for r in rows.get("organisations", [])
                                     if r.good("slug")}
    _organisations(parsed, found)
    activities = set(found.activities) | {r["code"] for r in rows.get("activities", [])
                                          if r.good("code")}
    check_register.activities(parsed, found, orgs, activities)
    for row in rows.get("partners", []):
        exists(parsed, row, "activity", activities, ACTIVITY)
        exists(parsed, row, "organisation", orgs, ORGANISATION)
    check_register.results(parsed, found, orgs, activities)
    _money(parsed, found, orgs, activities)
    return found


ACTIVITY = "an activity in sheet activities or already registered"
ORGANISATION = "an organisation in sheet organisations or already registered"


def exists(parsed: Parsed, row: Row, column: str, known: set, expected: str) -> None:
    if row.good(column) and row[column] and row[column] not in known:
        parsed.row_problem(row, column, expected, found=row[column])


def _organisations(parsed: Parsed, found: Lookups) -> None:
    names = {name: slug for slug, (name, _) in found.org_by_slug.items()}
    for row in parsed.rows.get("organisations", []):
        if not row.good("slug", "name", "kind"):
            continue
        registered = found.org_by_slug.get(row["slug"])
        if registered:
            for column, value in zip(("name", "kind"), registered, strict=True):
                if row[column] != value:
                    parsed.row_problem(row, column, f"the registered {column} {value!r} "
                                       "(organisations are changed in the accounts admin)",
                                       found=row[column])
        elif names.get(row["name"], row["slug"]) != row["slug"]:
            parsed.row_problem(row, "name", "a name no other organisation has (it is "
                               f"{names[row['name']]!r}'s)", found=row["name"])
        else:
            names[row["name"]] = row["slug"]


def _money(parsed: Parsed, found: Lookups, orgs: set, activities: set) -> None:
    rows = parsed.rows
    years = dict(found.source_years)
    in_sheet = {r["code"] for r in rows.get("funding_sources", []) if r.good("code")}
    for row in rows.get("funding_sources", []):
        exists(parsed, row, "funder", orgs, ORGANISATION)
        if not row.good("code", "start_year", "end_year"):
            continue
        start, end = row["start_year"], row["end_year"]
        if end is not None and end < start:
            parsed.row_problem(row, "end_year", f"a year not before start_year ({start})",
                               found=end)
            continue
        years[row["code"]] = (start, end)
        outside = sorted(y for y in found.used_years.get(row["code"], ())
                         if y < start or (end is not None and y > end))
        if outside:
            parsed.row_problem(row, "start_year" if outside[0] < start else "end_year",
                               "years that keep the registered allocations and budget "
                               "lines of this source (" + ", ".join(map(str, outside)) + ")",
                               found=f"{start}-{end or ''}")
    for row in [*rows.get("allocations", []), *rows.get("budget_lines", [])]:
        if row.sheet == "budget_lines":
            exists(parsed, row, "activity", activities, ACTIVITY)
        if not row.good("source", "year"):
            continue
        if row["source"] not in years:
            if row["source"] not in in_sheet:  # else its years have a problem of their own
                parsed.row_problem(row, "source", "a source in sheet funding_sources or "
                                   "already registered", found=row["source"])
            continue
        start, end = years[row["source"]]
        if row["year"] < start or (end is not None and row["year"] > end):
            parsed.row_problem(row, "year", f"a year within the source's years ({start}-"
                               f"{end or ''})", found=row["year"])
