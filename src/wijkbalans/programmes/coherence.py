"""Coherence: for one municipality and year, how severe the problems of each buurt are per
theme, against the activities and the money aimed there (issue 5). Reads only.

The rule in short (docs/programmes-coherence.md has it in full, with examples):

* **Severity** of a cell is the buurt's domain score of the stacking index (``z_problem``
  of the domain, reference: the municipality's buurten, latest period). Where the index
  cannot be computed for the municipality, it is the mean standardised score of the
  theme's indicators (each at its newest period, against the same buurten). Positive is
  worse than the municipality's average; one is one standard deviation.
* **Effort**: the activities running in the year whose areas (a buurt, its wijk or its
  gemeente) or area sets cover the buurt and whose themes hold the theme; their distinct
  top-level programmes; and their money: the planned budget lines of the year, divided
  over the buurten the activity covers in proportion to inhabitants (equally when a
  figure is missing) and over its themes equally.
* **Flags**: *high need, low effort* is a cell in the worst quintile of the theme with no
  activity or with money per inhabitant below the theme's median; *overlap* is a cell
  where two or more programmes work.

Anonymous users and residents see public activities only and no money
(:mod:`.permissions`). The matrix reads a fixed number of queries whatever the number of
buurten and activities; the severity is cached per data version.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Prefetch, Q, Sum
from django.utils.translation import gettext as _

from wijkbalans.analysis.coherence import split_money, worst_share_members
from wijkbalans.analysis.standardise import DEFAULT_THEMES, NEUTRAL, standardise
from wijkbalans.analysis.targets import period_time
from wijkbalans.areas import codes as area_codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.core.selectors import data_version
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.catalogue import THEMES
from wijkbalans.indicators.models import ObservationStatus
from wijkbalans.stacking import selectors as stacking

from .errors import ProgrammeError
from .models import Activity, BudgetLine
from .permissions import is_alliance_member

DOMAINS: tuple[str, ...] = DEFAULT_THEMES
POPULATION = "inwoners"
DEMO_GEMEENTE = "GM9999"
SOURCE_INDEX, SOURCE_INDICATORS, SOURCE_NONE = "stacking_index", "indicators", "none"
CACHE_SECONDS = 600
CENT = Decimal("0.01")
YEARS = (1990, 2100)


# -- the result ------------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityRef:
    code: str
    title: str
    kind: str
    programme: str  # code of the top-level programme (itself when it has no parent)


@dataclass(frozen=True)
class ProgrammeRef:
    code: str
    title: str | None  # None when the reader may not read the programme itself


@dataclass
class Cell:
    buurt: str
    theme: str
    severity: float | None = None
    worst: bool = False
    activities: list[ActivityRef] = field(default_factory=list)
    programmes: list[ProgrammeRef] = field(default_factory=list)
    money: Decimal | None = None
    per_inhabitant: Decimal | None = None
    high_need_low_effort: bool = False
    overlap: bool = False

    @property
    def count(self) -> int:
        return len(self.activities)


@dataclass
class BuurtRow:
    code: str
    name: str
    inhabitants: float | None
    cells: list[Cell]


@dataclass
class Coherence:
    gemeente: str
    name: str
    year: int
    themes: tuple[str, ...]
    rows: list[BuurtRow]
    source: str
    period: str | None
    notes: list[str]
    money_visible: bool
    medians: dict[str, Decimal | None]

    def cells(self):
        return (cell for row in self.rows for cell in row.cells)

    @property
    def high_need_low_effort(self) -> list[Cell]:
        return [c for c in self.cells() if c.high_need_low_effort]

    @property
    def overlaps(self) -> list[Cell]:
        return [c for c in self.cells() if c.overlap]


# -- municipalities --------------------------------------------------------------------

def coherence_gemeenten() -> list[tuple[str, str]]:
    """(gemeentecode, name) of every municipality with buurten, by name (two queries)."""
    found = set(area_selectors.area_list(level=area_codes.BUURT).order_by()
                .values_list("gemeentecode", flat=True).distinct()) - {""}
    names = dict(Area.objects.filter(code__in=found).values_list("code", "name"))
    return sorted(((c, names.get(c, c)) for c in found), key=lambda p: (p[1], p[0]))


def coherence_default_gemeente(choices: Sequence[tuple[str, str]] | None = None) -> str | None:
    """The municipality with the most activities (through their areas or area sets), else
    the demo city, else the first municipality with buurten; None when there is none."""
    codes = [c for c, _name in (coherence_gemeenten() if choices is None else choices)]
    if not codes:
        return None
    counts: dict[str, set[int]] = defaultdict(set)
    pairs = (Activity.objects.filter(areas__gemeentecode__in=codes)
             .values_list("areas__gemeentecode", "pk").distinct())
    pairs = list(pairs) + list(
        Activity.objects.filter(area_sets__members__gemeentecode__in=codes)
        .values_list("area_sets__members__gemeentecode", "pk").distinct())
    for code, pk in pairs:
        counts[code].add(pk)
    if counts:
        return max(sorted(counts), key=lambda c: len(counts[c]))
    return DEMO_GEMEENTE if DEMO_GEMEENTE in codes else codes[0]


# -- severity --------------------------------------------------------------------------

def _z(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else float(value)


def _from_index(gemeente: str) -> dict | None:
    try:
        result = stacking.index_panel(level=area_codes.BUURT, within=gemeente,
                                      reference="city", method="deprivation")
    except (stacking.IndexParameterError, ValueError):
        return None
    domains = result.stacking.domains
    domains = domains[domains["period"].astype(str) == result.period]
    scores: dict[str, dict[str, float | None]] = defaultdict(dict)
    for area, domain, z in domains[["area", "domain", "z_problem"]].itertuples(index=False):
        scores[str(area)][str(domain)] = _z(z)
    return {"source": SOURCE_INDEX, "period": result.period, "scores": dict(scores),
            "notes": list(result.notes)}


def _from_indicators(gemeente: str) -> dict | None:
    table = indicator_selectors.indicator_table_frame()
    table = table[table["theme"].isin(DOMAINS) & (table["polarity"] != NEUTRAL)]
    if table.empty:
        return None
    long = indicator_selectors.observation_long(indicators=list(table["code"]),
                                                level=area_codes.BUURT, within=gemeente)
    long = long[(long["status"] == ObservationStatus.VALUE) & long["value"].notna()]
    if long.empty:
        return None
    newest = {code: max(periods, key=period_time)
              for code, periods in long.groupby("indicator")["period"].unique().items()}
    long = long[long["period"] == long["indicator"].map(newest)].assign(period="latest")
    z = standardise(long[["area", "period", "indicator", "value"]], table)
    z = z.merge(table[["code", "theme"]], left_on="indicator", right_on="code")
    means = z.groupby(["area", "theme"])["z_problem"].mean()
    scores: dict[str, dict[str, float | None]] = defaultdict(dict)
    for (area, theme), value in means.items():
        scores[str(area)][str(theme)] = _z(value)
    notes = [f"{code}: figures of {period}" for code, period in sorted(newest.items())]
    return {"source": SOURCE_INDICATORS, "period": max(newest.values(), key=period_time),
            "scores": dict(scores), "notes": notes}


def coherence_severity(*, gemeente: str) -> dict:
    """``{source, period, scores: {buurtcode: {theme: z}}, notes}``, cached per data
    version: the stacking index's domain scores, else the plain indicators' (see the
    module docstring), else source ``none`` without scores."""
    key = f"wijkbalans:programmes:coherence:{gemeente}:{data_version()}"
    found = cache.get(key)
    if found is None:
        found = (_from_index(gemeente) or _from_indicators(gemeente)
                 or {"source": SOURCE_NONE, "period": None, "scores": {}, "notes": []})
        cache.set(key, found, CACHE_SECONDS)
    return found


# -- effort ----------------------------------------------------------------------------

def _running_in(year: int) -> Q:
    """Dates that overlap the year; an activity without dates counts while it is running
    or paused."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    dated = ((Q(start__isnull=True) | Q(start__lte=last))
             & (Q(end__isnull=True) | Q(end__gte=first))
             & ~Q(start__isnull=True, end__isnull=True))
    undated = Q(start__isnull=True, end__isnull=True, status__in=["running", "paused"])
    return dated | undated


def _activities(area_ids: list[int], year: int, public_only: bool) -> list[Activity]:
    members = Area.objects.only("id", "code", "level", "parent_id", "gemeentecode")
    qs = (Activity.objects.filter(Q(areas__in=area_ids) | Q(area_sets__members__in=area_ids))
          .filter(_running_in(year)).distinct().order_by("code")
          .only("id", "code", "title", "kind", "parent_id", "public", "themes")
          .prefetch_related(Prefetch("areas", queryset=members),
                            Prefetch("area_sets", queryset=AreaSet.objects.only("id")
                                     .prefetch_related(Prefetch("members", queryset=members)))))
    if public_only:
        qs = qs.filter(public=True)
    return list(qs)


def _coverage(activities: list[Activity], buurt_ids: dict[str, int]
              ) -> tuple[dict[int, set[str]], dict[str, int]]:
    """Activity id to the codes of the buurten it covers, anywhere; and the primary key
    of every buurt named (``buurt_ids`` extended). One query."""
    places: dict[int, list[Area]] = {
        a.pk: [*a.areas.all(), *(m for s in a.area_sets.all() for m in s.members.all())]
        for a in activities}
    everything = [p for ps in places.values() for p in ps]
    wijken = {p.pk for p in everything if p.level == area_codes.WIJK}
    gemeenten = {p.code for p in everything if p.level == area_codes.GEMEENTE}
    ids = dict(buurt_ids) | {p.code: p.pk for p in everything if p.level == area_codes.BUURT}
    by_wijk, by_gemeente = defaultdict(set), defaultdict(set)
    for pk, code, parent_id, gemeentecode in (
            area_selectors.area_list(level=area_codes.BUURT)
            .filter(Q(parent_id__in=wijken) | Q(gemeentecode__in=gemeenten))
            .values_list("pk", "code", "parent_id", "gemeentecode")):
        ids[code] = pk
        by_wijk[parent_id].add(code)
        by_gemeente[gemeentecode].add(code)
    out = {}
    for pk, ps in places.items():
        covered = set()
        for p in ps:
            if p.level == area_codes.BUURT:
                covered.add(p.code)
            elif p.level == area_codes.WIJK:
                covered |= by_wijk[p.pk]
            elif p.level == area_codes.GEMEENTE:
                covered |= by_gemeente[p.code]
        out[pk] = covered
    return out, ids


def _inhabitants(area_ids: list[int]) -> dict[str, float]:
    """Buurtcode to its newest ``inwoners`` figure (one query)."""
    long = indicator_selectors.observation_long(indicators=[POPULATION], area_ids=area_ids)
    long = long[(long["status"] == ObservationStatus.VALUE) & long["value"].notna()]
    out, newest = {}, {}
    for area, period, value in long[["area", "period", "value"]].itertuples(index=False):
        if area not in newest or period_time(period) > period_time(newest[area]):
            newest[area], out[area] = period, float(value)
    return out


def _roots(visible: set[int]) -> dict[int, tuple[str, str, bool]]:
    """Activity id to (code, title, public) of its top-level programme (one query)."""
    rows = {pk: (parent, code, title, public) for pk, parent, code, title, public
            in Activity.objects.values_list("pk", "parent_id", "code", "title", "public")}
    out = {}
    for pk in visible:
        seen, at = {pk}, pk
        while rows[at][0] is not None and rows[at][0] not in seen:
            at = rows[at][0]
            seen.add(at)
        out[pk] = (rows[at][1], rows[at][2], rows[at][3])
    return out


def _planned(activity_ids: list[int], year: int) -> dict[int, Decimal]:
    return dict(BudgetLine.objects.filter(activity_id__in=activity_ids, year=year)
                .order_by().values("activity_id").annotate(total=Sum("planned"))
                .values_list("activity_id", "total"))


# -- the matrix ------------------------------------------------------------------------

def _check(gemeente: str, year) -> tuple[str, int]:
    code = area_codes.normalise(str(gemeente or ""))
    if area_codes.level_of(code) != area_codes.GEMEENTE:
        raise ProgrammeError(_("Expected a municipality code such as GM0014; found %(found)r.")
                             % {"found": gemeente}, field="gemeente")
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise ProgrammeError(_("Expected a year from %(first)s to %(last)s; found %(found)r.")
                             % {"first": YEARS[0], "last": YEARS[1], "found": year},
                             field="year")
    return code, year


def coherence_matrix(*, gemeente: str, year: int, user) -> Coherence:
    """The buurten of ``gemeente`` × the index domains, for ``year``, as ``user`` may see
    it. Raises :class:`~.errors.ProgrammeError` naming ``gemeente`` or ``year``."""
    gemeente, year = _check(gemeente, year)
    buurten = list(area_selectors.area_list(level=area_codes.BUURT, within=gemeente)
                   .order_by("code").values_list("pk", "code", "name", "parent_id"))
    if not buurten:
        raise ProgrammeError(_("No neighbourhood (buurt) lies in %(code)s.") % {"code": gemeente},
                             field="gemeente")
    itself = area_selectors.area_list().filter(code=gemeente).values_list("pk", "name").first()
    member = is_alliance_member(user)
    severity = coherence_severity(gemeente=gemeente)
    area_ids = ({pk for pk, *_rest in buurten} | {p for *_rest, p in buurten if p}
                | ({itself[0]} if itself else set()))
    activities = _activities(list(area_ids), year, public_only=not member)
    coverage, ids = _coverage(activities, {code: pk for pk, code, _name, _parent in buurten})
    inhabitants = _inhabitants(list(ids.values()))
    codes = [code for _pk, code, _name, _parent in buurten]
    cells = {(code, t): Cell(buurt=code, theme=t,
                             severity=severity["scores"].get(code, {}).get(t),
                             money=Decimal(0) if member else None)
             for code in codes for t in DOMAINS}
    _place(cells, activities, coverage, inhabitants, year=year, member=member)
    medians = _flag(cells, codes, inhabitants, member)
    rows = [BuurtRow(code=code, name=bname, inhabitants=inhabitants.get(code),
                     cells=[cells[(code, t)] for t in DOMAINS])
            for _pk, code, bname, _parent in buurten]
    return Coherence(gemeente=gemeente, name=itself[1] if itself else gemeente, year=year,
                     themes=DOMAINS, rows=rows, source=severity["source"],
                     period=severity["period"], notes=list(severity["notes"]),
                     money_visible=member, medians=medians)


def _place(cells: dict, activities: list[Activity], coverage: dict[int, set[str]],
           inhabitants: dict[str, float], *, year: int, member: bool) -> None:
    """Put each activity, its programme and (for members) its share of the money in the
    cells of the buurten it covers and the domains among its themes."""
    roots = _roots({a.pk for a in activities})
    planned = _planned([a.pk for a in activities], year) if member else {}
    for activity in activities:
        themes = list(dict.fromkeys(t for t in activity.themes or [] if t in THEMES))
        here = sorted(code for code in coverage[activity.pk] if (code, DOMAINS[0]) in cells)
        root_code, root_title, root_public = roots[activity.pk]
        ref = ActivityRef(code=activity.code, title=activity.title, kind=activity.kind,
                          programme=root_code)
        programme = ProgrammeRef(code=root_code,
                                 title=root_title if (member or root_public) else None)
        shares = split_money(planned.get(activity.pk) or Decimal(0),
                             {c: inhabitants.get(c) for c in coverage[activity.pk]},
                             len(themes)) if member else {}
        for code in here:
            for theme in (t for t in themes if t in DOMAINS):
                cell = cells[(code, theme)]
                cell.activities.append(ref)
                if programme not in cell.programmes:
                    cell.programmes.append(programme)
                if member:
                    cell.money += shares.get(code, Decimal(0))


def _flag(cells: dict, codes: list[str], inhabitants: dict[str, float],
          member: bool) -> dict[str, Decimal | None]:
    """Set per inhabitant, the worst quintile and both flags; the medians per theme."""
    medians = {}
    for theme in DOMAINS:
        mine = {code: cells[(code, theme)] for code in codes}
        worst = worst_share_members({c: cell.severity for c, cell in mine.items()})
        per = {}
        for code, cell in mine.items():
            people = inhabitants.get(code)
            if member and people and people > 0:
                cell.per_inhabitant = cell.money / Decimal(str(people))
                per[code] = cell.per_inhabitant
        medians[theme] = statistics.median(per.values()) if per else None
        for code, cell in mine.items():
            cell.worst = code in worst
            cell.programmes.sort(key=lambda p: p.code)
            cell.overlap = len(cell.programmes) >= 2
            low_money = (cell.per_inhabitant is not None and medians[theme] is not None
                         and cell.per_inhabitant < medians[theme])
            cell.high_need_low_effort = cell.worst and (cell.count == 0 or low_money)
    return medians


# -- output ----------------------------------------------------------------------------

CSV_HEADER = ["gemeente", "year", "buurt_code", "buurt_name", "inhabitants", "theme",
              "severity", "severity_source", "severity_period", "worst_quintile",
              "activities", "activity_codes", "programmes", "programme_codes", "money",
              "money_per_inhabitant", "high_need_low_effort", "overlap"]


def euros(value: Decimal | None) -> str | None:
    """An amount rounded to the cent, as text (``5000.00``); None stays None."""
    return None if value is None else str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _people_text(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else repr(float(value))


def _severity_text(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def coherence_csv_rows(matrix: Coherence) -> list[list]:
    """One row per buurt and theme, columns :data:`CSV_HEADER`; money empty when the
    reader may not see it."""
    out = []
    for row in matrix.rows:
        for c in row.cells:
            out.append([
                matrix.gemeente, matrix.year, row.code, row.name,
                "" if row.inhabitants is None else _people_text(row.inhabitants), c.theme,
                _severity_text(c.severity), matrix.source, matrix.period or "",
                str(c.worst).lower(), c.count, " ".join(a.code for a in c.activities),
                len(c.programmes), " ".join(p.code for p in c.programmes),
                euros(c.money) or "", euros(c.per_inhabitant) or "",
                str(c.high_need_low_effort).lower(), str(c.overlap).lower()])
    return out
