"""What the report's numbers must be: computed here through the selectors and written as
the app's pages write them, independently of the report's own sections."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

from django.utils import translation

from wijkbalans.charts.numbers import format_number
from wijkbalans.evaluations import presentation
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.programmes import selectors as register
from wijkbalans.programmes.coverage import coverage_table
from wijkbalans.programmes.models import Activity
from wijkbalans.programmes.web.activity_page import percent as app_percent
from wijkbalans.programmes.web.common import euro as app_euro
from wijkbalans.programmes.web.common import quantity as app_quantity
from wijkbalans.stacking import selectors as stacking
from wijkbalans.stacking.headline import headline_values

from .fixtures import PROGRAMME, user

NUMBER = re.compile(r"€ [−\d.,]+|[−]?\d[\d.]*(?:,\d+)?%?|–")


def nl(value, decimals=1) -> str:
    return format_number(value, decimals, "nl")


def with_override(lang):
    return translation.override(lang)


class Cells(HTMLParser):
    """The text of every ``<td class="num">`` of a document."""

    def __init__(self):
        super().__init__()
        self.cells, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "td" and "num" in (dict(attrs).get("class") or ""):
            self._depth = 1
            self.cells.append("")
        elif self._depth:
            self._depth += 1 if tag not in ("br",) else 0

    def handle_endtag(self, tag):
        if self._depth and tag == "td":
            self._depth = 0

    def handle_data(self, data):
        if self._depth:
            self.cells[-1] += data



def numeric_cells(html: str) -> list[str]:
    parser = Cells()
    parser.feed(html)
    return parser.cells


def allowed_numbers(version, period: str) -> set[str]:
    """Every number the report's numeric cells may hold for ``version``: the selectors'
    figures as the pages write them, and the numbers inside those texts."""
    figures = version.figures
    allowed = set()
    area_set = version.area_set
    for target in stacking.target_list(area_set=area_set):
        progress = stacking.target_progress(target=target)
        for p in progress["periods"]:
            allowed |= {nl(p["value"]), nl(p["reference"])}
        allowed |= {nl(p.get("value")) for p in progress["path"]}
    for place in (PROGRAMME, "GM9999"):
        frame = headline_values(place_codes_or_sets=[place])
        allowed |= {nl(v) for v in frame["value"]}
    gaps = stacking.place_gaps(area_set_or_code=area_set, reference="city",
                               base_period=figures["headline"]["base_period"],
                               indicators=[g["key"] for g in figures["headline"]["gaps"]
                                           if g["kind"] == "indicator"])
    allowed |= {nl(abs(v)) for v in gaps["gap"].dropna()}
    allowed |= {nl(abs(v)) for v in gaps["gap_base"].dropna()}
    allowed |= {f"{nl(100 * v, 0)}%" for v in gaps["closure"].dropna()}
    index = stacking.index_panel(level="buurt", within="GM9999", period=period,
                                 reference="city", method="deprivation")
    for row in stacking.index_rows(index):
        allowed |= {nl(row["score"]), str(row["rank"]), str(row["decile"]),
                    str(row["stack_count"])}
    drivers = stacking.area_drivers(code_or_slug=PROGRAMME, period=period, reference="city",
                                    method="index100")
    allowed |= {nl(d["index100_contribution"]) for d in drivers["drivers"]}
    with with_override("nl"):
        for shown in figures["programmes"]["programmes"]:
            programme = Activity.objects.get(code=shown["code"])
            for node in register.activity_progress(activity=programme).walk():
                allowed.add(app_percent(node.progress))
                allowed |= {app_percent(r.progress) for r in node.results}
            for activity, _depth in register.activity_tree(user=user("beheer"),
                                                           root=programme):
                for result in register.activity_results(activity=activity):
                    allowed.add(app_quantity(result.baseline_value))
                    allowed |= {app_quantity(p.target) for p in result.periods.all()}
                    allowed |= {app_quantity(p.actual) for p in result.periods.all()}
            if not shown["money"]:
                continue
            coverage = coverage_table(activity=programme,
                                      from_year=shown["money"]["from_year"],
                                      to_year=shown["money"]["to_year"])
            for y in coverage.years:
                allowed |= {app_euro(y.need), app_euro(y.secured), app_euro(y.gap),
                            app_euro(y.shortfall)}
            allowed |= {app_euro(sum((getattr(y, k) for y in coverage.years), Decimal(0)))
                        for k in ("need", "secured", "gap", "shortfall")}
            allowed |= {app_euro(a.falls_away) for e in coverage.ending for a in e.after}
    evaluation = Evaluation.objects.get(area_set=area_set, status="done")
    with with_override("nl"):
        allowed |= {text for _label, text in presentation.summary(evaluation.result, 1)}
    allowed |= concern_numbers(area_set, period) | participation_numbers(area_set, period)
    for batch in figures["appendix"]["batches"]:
        allowed |= {nl(batch["created"], 0), nl(batch["updated"], 0)}
    allowed |= {token for text in list(allowed) if isinstance(text, str)
                for token in NUMBER.findall(text)}
    return allowed


def concern_numbers(area_set, period: str) -> set[str]:
    """The published early-warning counts of the area's buurten in the year ``period``,
    and the sums of the published ones per theme and quarter."""
    from wijkbalans.concerns import selectors as concerns

    table = concerns.early_warning_table(gemeente="GM9999", first=f"{period[:4]}-Q1",
                                         last=f"{period[:4]}-Q4")
    members = set(area_set.members.values_list("code", flat=True))
    columns = [i for i, (code, _name) in enumerate(table.buurten) if code in members]
    out = set()
    for quarter in table.periods:
        for row in quarter.counts:
            cells = [row[j] for j in columns]
            out |= {nl(c, 0) for c in cells if c is not None}
            out.add(nl(sum(c for c in cells if c is not None), 0))
    return out


def participation_numbers(area_set, period: str) -> set[str]:
    """Counts of what the public participation pages list for the area's buurten with a
    date in the year ``period``."""
    import datetime as dt
    from functools import reduce
    from operator import or_

    from django.utils import timezone

    from wijkbalans.participation import selectors as participation

    zone = timezone.get_current_timezone()
    start = dt.datetime(int(period[:4]), 1, 1, tzinfo=zone)
    end = dt.datetime(int(period[:4]) + 1, 1, 1, tzinfo=zone)
    where = reduce(or_, (participation.area_filter(c)
                         for c in area_set.members.values_list("code", flat=True)))

    def here(qs):
        return qs.filter(pk__in=qs.model.objects.filter(where).values("pk"))

    consultations = here(participation.consultation_list()).filter(opens__gte=start,
                                                                  opens__lt=end)
    proposals = here(participation.proposal_list()).filter(created_at__gte=start,
                                                          created_at__lt=end)
    outcomes = here(participation.outcome_timeline()).filter(published_at__gte=start,
                                                            published_at__lt=end)
    rounds = here(participation.budget_round_list()).filter(status="closed",
                                                           closes__gte=start, closes__lt=end)
    out = {nl(q.count(), 0) for q in (consultations, proposals, outcomes, rounds)}
    out |= {nl(sum(c.comment_count for c in consultations), 0),
            nl(sum(p.support_count for p in proposals), 0)}
    for budget_round in rounds:
        tally = participation.budget_round_tally(budget_round=budget_round)
        out |= {app_euro(tally.budget), app_euro(tally.allocated), nl(tally.ballots, 0),
                nl(len(tally.rows), 0), nl(len(tally.winners), 0)}
    return out
