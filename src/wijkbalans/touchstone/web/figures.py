"""The figures behind a criterion's rating as a reader sees them: a few facts and tables,
built from the result's ``data`` (docs/touchstone.md names every key). One function per
criterion; a key that is missing (a reader outside the Local Alliance does not get the
money's amounts, an unknown rating has fewer figures) is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from wijkbalans.analysis.rollup import period_key

from ..criteria.base import RATING_LABELS, CriterionResult, render_param, theme_label
from .common import euro, lang, number, percent, quantity, yes_no


@dataclass
class Table:
    caption: str
    columns: list[str]
    numeric: list[bool]
    rows: list[list[dict]] = field(default_factory=list)

    def add(self, *cells) -> None:
        row = []
        for cell, numeric in zip(cells, self.numeric, strict=True):
            cell = dict(cell) if isinstance(cell, dict) else {
                "text": "–" if cell is None or cell == "" else str(cell)}
            row.append({**cell, "num": numeric})
        self.rows.append(row)


@dataclass
class Figures:
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def fact(self, label: str, value) -> None:
        if value is not None and value is not False and value not in ("", []):
            self.facts.append((label, str(value)))

    @property
    def empty(self) -> bool:
        return not self.facts and not any(t.rows for t in self.tables)


def _table(caption: str, *columns: tuple[str, bool]) -> Table:
    return Table(caption, [c for c, _n in columns], [n for _c, n in columns])


def _themes(keys) -> str:
    return ", ".join(theme_label(k).lower() for k in keys or ()) or "–"


def _years(years) -> str:
    return ", ".join(str(y) for y in years or ()) or "–"


def _link(text: str, name: str, *args) -> dict:
    try:
        return {"text": text, "href": reverse(name, args=args)}
    except NoReverseMatch:
        return {"text": text}


def _rating(key: str | None) -> str:
    return str(RATING_LABELS.get(key, key or "–"))


# The stacking app's words for a target's kind and status (the same message ids).
TARGET_KINDS = {"value": lambda: _("reach a value"),
                "closure": lambda: _("close a share of the gap to the reference"),
                "reference": lambda: _("reach the reference")}
TARGET_STATUS = {"ahead": lambda: _("ahead"), "on track": lambda: _("on track"),
                 "behind": lambda: _("behind"), "no data": lambda: _("no data")}


# -- one function per criterion ----------------------------------------------------------

def need(data: dict) -> Figures:
    out = Figures()
    out.fact(_("Period of the scores"), data.get("period"))
    place = data.get("place")
    out.fact(_("Place"), ", ".join(place) if isinstance(place, list) else place)
    out.fact(_("Themes of the plan"), _themes(data.get("themes")))
    out.fact(_("The area's two worst domains"), _themes(data.get("worst_domains")))
    if data.get("themes_without_score"):
        out.fact(_("Themes without a score"), _themes(data["themes_without_score"]))
    if data.get("at_city") is not None:
        out.fact(_("Counts as the city average"),
                 _("within %(margin)s index point") % {"margin": number(data["at_city"])})
    area, city = data.get("area_scores") or {}, data.get("city_scores") or {}
    if area:
        table = _table(_("Index 100 per domain, the area against the city (higher is "
                         "better)"), (_("Domain"), False), (_("Area"), True),
                       (_("City"), True), (_("Area − city"), True),
                       (_("Theme of the plan"), False), (_("One of the two worst"), False))
        aimed, worst = set(data.get("themes") or ()), set(data.get("worst_domains") or ())
        for key in sorted(area, key=lambda k: (area[k] is None, area[k])):
            gap = None if area[key] is None or city.get(key) is None else \
                area[key] - city[key]
            table.add(theme_label(key), number(area[key], 1), number(city.get(key), 1),
                      number(gap, 1), yes_no(key in aimed), yes_no(key in worst))
        out.tables.append(table)
    if data.get("targets"):
        table = _table(_("Targets of the council on these themes"), (_("Target"), False),
                       (_("Kind"), False), (_("Target period"), False),
                       (_("Status"), False), (_("Latest period"), False))
        for t in data["targets"]:
            kind, status = t.get("kind"), t.get("status")
            table.add(theme_label(t.get("key") or "") if t.get("key") == t.get("theme")
                      else t.get("key"), TARGET_KINDS[kind]() if kind in TARGET_KINDS
                      else kind, t.get("target_period"),
                      TARGET_STATUS[status]() if status in TARGET_STATUS else status,
                      t.get("period"))
        out.tables.append(table)
    return out


def evidence(data: dict) -> Figures:
    out = Figures()
    if data.get("evidence_level"):
        out.fact(_("Evidence level"), render_param({"evidence": data["evidence_level"]},
                                                   lang()))
    out.fact(_("Databank"), data.get("databank"))
    out.fact(_("Rating of the level alone"), data.get("level_rating") and
             _rating(data["level_rating"]))
    out.fact(_("Rated on"), {"evidence_level": _("the evidence level"),
                             "evaluation": _("an effect evaluation in wijkbalans")}
             .get(data.get("basis"), data.get("basis")))
    if data.get("pending_evaluations"):
        out.fact(_("Evaluations not finished yet"), number(data["pending_evaluations"]))
    if data.get("activity_refs"):
        out.fact(_("Activities of the same intervention"), ", ".join(data["activity_refs"]))
    rows = data.get("evaluations") or []
    if rows:
        table = _table(_("Earlier effect evaluations of this intervention"),
                       (_("Evaluation"), False), (_("Activity"), False),
                       (_("Outcome"), False), (_("Start"), False), (_("Estimate"), True),
                       (_("Conclusion"), False), (_("Direction"), False))
        for e in rows:
            table.add(_link(e.get("title") or str(e.get("id")), "evaluations:detail",
                            e.get("id")), e.get("activity_ref"), e.get("outcome"),
                      e.get("start_period"), number(e.get("estimate"), 2),
                      conclusion_label(e.get("conclusion")),
                      direction_label(e.get("direction")))
        out.tables.append(table)
    return out


def conclusion_label(code: str | None) -> str:
    return {"effect": _("Effect shown"),
            "effect_with_caveats": _("Effect shown, with caveats"),
            "no_evidence": _("No effect shown"),
            "unreliable": _("No conclusion possible")}.get(code or "", code or "–")


def direction_label(code: str | None) -> str:
    return {"desired": _("in the desired direction"),
            "undesired": _("in the wrong direction"),
            "unknown": _("direction unknown")}.get(code or "", code or "–")


def reach(data: dict) -> Figures:
    out = Figures()
    group = data.get("target_group") or {}
    out.fact(_("Target group"), group.get("indicator"))
    out.fact(_("Size of the target group"), group.get("size") is not None and
             f"{number(group['size'])} ({group.get('period')})")
    if group.get("buurten"):
        out.fact(_("Buurten with a figure"), _("%(found)s of %(all)s") % {
            "found": number(group.get("with_figure")), "all": number(group["buurten"])})
    out.fact(_("Output that counts reach"), data.get("output"))
    if data.get("share") is not None:
        out.fact(_("Share of the target group"), percent(data["share"]))
    limits = data.get("thresholds") or {}
    if limits:
        out.fact(_("Thresholds"), _("strong from %(strong)s, adequate from %(adequate)s")
                 % {"strong": percent(limits.get("strong"), 0),
                    "adequate": percent(limits.get("adequate"), 0)})
    if data.get("outputs"):
        table = _table(_("Output indicators of the plan and their latest target"),
                       (_("Output"), False), (_("Unit"), False), (_("Target"), True),
                       (_("Period"), False))
        for o in data["outputs"]:
            table.add(o.get("name"), o.get("unit"), number(o.get("target")), o.get("period"))
        out.tables.append(table)
    return out


def residents(data: dict) -> Figures:
    out = Figures()
    area = data.get("in_area") or {}
    out.fact(_("Consultations in the area"), number(area.get("consultations")))
    out.fact(_("Proposals in the area"), number(area.get("proposals")))
    out.fact(_("Budget rounds in the area"), number(area.get("budget_rounds")))
    out.fact(_("'You said, we did' outcomes naming the plan"), number(data.get("outcomes")))
    if data.get("consultations"):
        table = _table(_("Consultations on the plan"), (_("Consultation"), False),
                       (_("Comments"), True))
        for c in data["consultations"]:
            table.add(c.get("title"), number(c.get("comments")))
        out.tables.append(table)
    if data.get("proposals"):
        table = _table(_("Residents' proposals that became the plan"),
                       (_("Proposal"), False), (_("Supports"), True), (_("Threshold"), True),
                       (_("Threshold reached"), False))
        for p in data["proposals"]:
            table.add(p.get("title"), number(p.get("supports")), number(p.get("threshold")),
                      yes_no(p.get("reached")))
        out.tables.append(table)
    if data.get("budget_projects"):
        table = _table(_("Budget projects that became the plan"), (_("Project"), False),
                       (_("Round"), False), (_("Votes"), True), (_("Counted"), False),
                       (_("Chosen"), False))
        for p in data["budget_projects"]:
            table.add(p.get("title"), p.get("round"), number(p.get("votes")),
                      yes_no(p.get("counted")), yes_no(p.get("selected")))
        out.tables.append(table)
    return out


def coherence(data: dict) -> Figures:
    out = Figures()
    out.fact(_("Year"), data.get("year"))
    out.fact(_("Themes that are index domains"), _themes(data.get("themes")))
    cells = data.get("cells") or []
    if cells:
        out.fact(_("Gaps"), number(sum(1 for c in cells if c.get("gap"))))
        out.fact(_("Duplicates"), number(sum(1 for c in cells if c.get("duplicate"))))
    with_others = any("others" in c for c in cells)
    columns = [(_("Buurt"), False), (_("Theme"), False), (_("Severity"), True),
               (_("Worst fifth of the city"), False)]
    if with_others:
        columns += [(_("Other activities"), False), (_("Other programmes"), False)]
    columns += [(_("Gap"), False), (_("Duplicate"), False)]
    table = _table(_("The plan's buurten and themes in the coherence view"), *columns)
    for c in cells:
        row = [f"{c.get('name') or ''} ({c.get('buurt')})", theme_label(c.get("theme") or ""),
               number(c.get("severity"), 2), yes_no(c.get("worst_fifth"))]
        if with_others:
            row += [", ".join(c.get("others") or ()) or "–",
                    ", ".join(c.get("other_programmes") or ()) or "–"]
        row += [yes_no(c.get("gap")), yes_no(c.get("duplicate"))]
        table.add(*row)
    if cells:
        out.tables.append(table)
    return out


def money(data: dict) -> Figures:
    out = Figures()
    if data.get("from_year") is not None:
        out.fact(_("Span"), f"{data['from_year']}–{data.get('to_year')}")
    if data.get("open_ended"):
        out.fact(_("End"), _("no end date: judged up to the last year with a budget line"))
    out.fact(_("Funding sources"), ", ".join(data.get("sources") or ()))
    for key, label in (("need", _("Planned need")), ("secured", _("Secured")),
                       ("shortfall", _("Not secured")),
                       ("register_shortfall", _("Shortfall of the whole register"))):
        if data.get(key) is not None:
            out.fact(label, euro(data[key]))
    out.fact(_("Years fully covered"), data.get("covered_years") and
             _years(data["covered_years"]))
    out.fact(_("Years partly covered"), data.get("partly_covered_years") and
             _years(data["partly_covered_years"]))
    out.fact(_("Years with nothing secured"), data.get("unsecured_years") and
             _years(data["unsecured_years"]))
    out.fact(_("Years without a budget line"), data.get("years_without_budget") and
             _years(data["years_without_budget"]))
    if data.get("years"):
        table = _table(_("Money per year"), (_("Year"), False), (_("Need"), True),
                       (_("Secured"), True), (_("Not secured"), True),
                       (_("Shortfall of the register"), True))
        for y in data["years"]:
            table.add(y.get("year"), euro(y.get("need")), euro(y.get("secured")),
                      euro(y.get("shortfall")), euro(y.get("register_shortfall")))
        out.tables.append(table)
    return out


def measurability(data: dict) -> Figures:
    out = Figures()
    limits = data.get("thresholds") or {}
    if limits:
        out.fact(_("Needed for an effect evaluation"),
                 _("%(years)s years of figures before the start and %(donors)s comparison "
                   "buurten") % {"years": number(limits.get("pre_years")),
                                 "donors": number(limits.get("donors"))})
    if data.get("outcomes"):
        table = _table(_("Outcome indicators of the plan"), (_("Outcome"), False),
                       (_("Indicator"), False), (_("Baseline"), True), (_("Targets"), False),
                       (_("Years before the start"), True), (_("Comparison buurten"), True),
                       (_("Baseline and target"), False), (_("Evaluation possible"), False))
        for o in data["outcomes"]:
            baseline = quantity(o.get("baseline"))
            if o.get("baseline") is not None and o.get("baseline_period"):
                baseline = f"{baseline} ({o['baseline_period']})"
            targets = "; ".join(f"{p}: {quantity(v)}" for p, v in sorted(
                (o.get("targets") or {}).items(), key=lambda kv: period_key(kv[0]))) or "–"
            table.add(o.get("name"), o.get("indicator"), baseline, targets,
                      number(o.get("pre_years")), number(o.get("donors")),
                      yes_no(o.get("complete")), yes_no(o.get("evaluable")))
        out.tables.append(table)
    return out


BUILDERS: dict[str, Callable[[dict], Figures]] = {
    "need": need, "evidence": evidence, "reach": reach, "residents": residents,
    "coherence": coherence, "money": money, "measurability": measurability}


def figures_for(result: CriterionResult) -> Figures:
    """The figures behind ``result``, with the data's own note (a caveat) as a fact."""
    build = BUILDERS.get(result.key)
    out = build(result.data or {}) if build else Figures()
    note = (result.data or {}).get("note")
    if isinstance(note, str):
        out.fact(_("Note"), note)
    if result.basis == "argued":
        out.fact(_("What the data say"), _rating(result.computed_rating))
    return out
