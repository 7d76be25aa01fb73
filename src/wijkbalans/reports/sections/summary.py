"""The summary: what moved and what did not, in plain sentences written from the other
sections' figures (never from other data), by fixed rules (docs/reports.md, "The rules
for the generated sentences"):

1. **Targets, overall.** How many targets are on track (ahead included), behind, or
   without figures in the latest period of the report, and how many are ahead.
2. **Each target.** Its status in its latest period with data, the value then and the
   value its straight path asked for, and the goal.
3. **The gap to the city.** For each indicator and domain in which the area set was
   worse off than the city in the base period: *closing* when at least a tenth of the
   base gap has closed (closure >= 0.10, the tolerance of the target status rule),
   *widening* when it grew by at least a tenth (closure <= -0.10), *about the same*
   otherwise. The gaps are written as distances (without a sign), in the indicator's unit.
4. **Stacking.** The area set's index score, how many of its buurten are in the city's
   worst decile, and the two domains that pull the score down most.
5. **Money.** Per programme: the need, the secured funds and the shortfall over the
   years of its budget, the years with a shortfall, and what falls away when a
   temporary source ends (the first year in which something falls away).
6. **Results.** Per programme, the rolled-up progress of its results.
7. **Effects.** How many evaluations finished and what they concluded.
8. **Touchstone.** How many plans were tested against the touchstone, how many got a
   decision (go, adjust, stop), how many assessments are outdated, and how many planned
   activities are not assessed yet (``touchstone.summary_sentences``).

Every number in a sentence is written as the section that shows it writes it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..formatting import euro, number, percent
from . import Context
from .headline import DECIMALS
from .touchstone import summary_sentences as touchstone_sentences

CLOSING = 0.10  # a tenth of the base gap, the tolerance of the target status rule


def mid(label: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless the label starts
    with an abbreviation (``NPLV``, ``WOZ``)."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def status_word(status: str) -> str:
    return {"ahead": _("ahead of the path"), "on track": _("on track"),
            "behind": _("behind"), "no data": _("no figures yet")}.get(status, status)


def _targets(headline: dict, lang: str) -> tuple[list[str], list[str], list[str]]:
    """(the overall sentence, targets that moved, targets that did not)."""
    targets = headline.get("targets", [])
    if not targets:
        return [_("No targets have been set for this area yet.")], [], []
    latest = [t.get("latest") or {} for t in targets]
    ahead = sum(1 for x in latest if x.get("status") == "ahead")
    on_track = sum(1 for x in latest if x.get("status") == "on track") + ahead
    behind = sum(1 for x in latest if x.get("status") == "behind")
    without = len(targets) - on_track - behind
    overall = _("On track: %(on)s of the %(n)s targets. Behind: %(behind)s. No figures yet: "
                "%(none)s.") % {"n": len(targets), "on": on_track, "behind": behind,
                                "none": without}
    if ahead:
        overall += " " + _("Ahead of the path: %(k)s.") % {"k": ahead}
    moved, still = [], []
    for target in targets:
        last = target.get("latest")
        if not last:
            still.append(_("%(what)s: no figures yet since the baseline in %(period)s.") % {
                "what": target["what"], "period": target["baseline"]["period"]})
            continue
        sentence = _("%(what)s: %(status)s. In %(period)s the value was %(value)s; the path "
                     "to the goal (%(goal)s) asked for %(path)s.") % {
            "what": target["what"], "status": status_word(last["status"]),
            "period": last["period"], "value": number(last["value"], DECIMALS, lang),
            "goal": target["goal"], "path": number(last["path"], DECIMALS, lang)}
        (moved if last["status"] in ("ahead", "on track") else still).append(sentence)
    return [overall], moved, still


def _gaps(headline: dict, lang: str) -> tuple[list[str], list[str]]:
    closing, widening, same = [], [], []
    for gap in headline.get("gaps", []):
        if not gap["worse_at_base"] or gap["closure"] is None:
            continue
        values = {"label": mid(gap["label"]), "base": gap["base_period"], "period": gap["period"],
                  "from": number(abs(gap["gap_base"]), DECIMALS, lang),
                  "to": number(abs(gap["gap"]), DECIMALS, lang)}
        if gap["closure"] >= CLOSING:
            closing.append(_("The gap to the city in %(label)s has narrowed: from %(from)s in "
                             "%(base)s to %(to)s in %(period)s.") % values)
        elif gap["closure"] <= -CLOSING:
            widening.append(_("The gap to the city in %(label)s has widened: from %(from)s "
                              "in %(base)s to %(to)s in %(period)s.") % values)
        else:
            same.append(mid(gap["label"]))
    still = list(widening)
    if same:
        still.append(_("The gap to the city stayed about the same in: %(labels)s.")
                     % {"labels": ", ".join(same)})
    return closing, still


def _stacking(stacking: dict, lang: str) -> list[str]:
    if not stacking.get("available") or not stacking.get("set"):
        return []
    found = stacking["set"]
    out = [_("The stacking index of the area is %(score)s in %(period)s (100 is the average "
             "of the city's neighbourhoods; higher is better).") % {
        "score": number(found["score"], 1, lang), "period": found["period"]}]
    out.append(_("Neighbourhoods of the area among the tenth of the city where problems "
                 "stack most: %(k)s of %(n)s.") % {
        "k": stacking["members_in_decile_1"], "n": len(stacking["members"])})
    worst = [d for d in found["drivers"] if (d["contribution"] or 0) < 0][:2]
    if len(worst) == 2:
        out.append(_("%(first)s and %(second)s pull the score down most.") % {
            "first": worst[0]["label"], "second": mid(worst[1]["label"])})
    elif worst:
        out.append(_("%(first)s pulls the score down most.") % {"first": worst[0]["label"]})
    return out


def _money(programmes: dict, lang: str) -> list[str]:
    out = []
    for p in programmes.get("programmes", []):
        if p["progress"]["value"] is not None:
            out.append(_("Together the results of %(programme)s have reached %(percent)s of "
                         "their targets.") % {"programme": p["title"],
                                              "percent": percent(p["progress"]["value"], lang)})
        money = p.get("money")
        if not money or not Decimal(money["totals"]["need"]):
            continue
        totals = money["totals"]
        values = {"programme": p["title"], "need": euro(totals["need"], lang),
                  "secured": euro(totals["secured"], lang),
                  "shortfall": euro(totals["shortfall"], lang),
                  "first": money["from_year"], "last": money["to_year"]}
        if Decimal(totals["shortfall"]) > 0:
            out.append(_("%(programme)s needs %(need)s over %(first)s–%(last)s; %(secured)s is "
                         "secured and %(shortfall)s is still to be found.") % values)
        else:
            out.append(_("%(programme)s needs %(need)s over %(first)s–%(last)s; all of it is "
                         "secured.") % values)
        if money["years_short"]:
            out.append(ngettext("The shortfall falls in %(n)s year between %(first)s and "
                                "%(last)s.",
                                "The shortfall falls in %(n)s years between %(first)s and "
                                "%(last)s.", len(money["years_short"])) % {
                "n": len(money["years_short"]), "first": money["years_short"][0],
                "last": money["years_short"][-1]})
        for ending in money["ending"]:
            first = next(a for a in ending["after"] if Decimal(a["falls_away"]) > 0)
            out.append(_("When %(source)s ends after %(year)s, %(amount)s a year falls away "
                         "from %(from)s on.") % {
                "source": ending["source_name"], "year": ending["last_year"],
                "amount": euro(first["falls_away"], lang), "from": first["year"]})
    return out


def _effects(evaluations: dict) -> list[str]:
    items = evaluations.get("evaluations", [])
    if not items:
        return [_("No effect evaluation of this area has finished yet.")]
    shown = sum(1 for e in items if e["verdict"]["code"] in ("effect", "effect_with_caveats"))
    out = [_("Finished effect evaluations: %(n)s. Showing an effect: %(k)s.")
           % {"n": len(items), "k": shown}]
    out += [f"{e['outcome']}: {e['verdict']['label']}." for e in items]
    return out


def collect(ctx: Context) -> dict:
    figures = ctx.figures
    headline = figures.get("headline", {})
    overall, targets_moved, targets_still = _targets(headline, ctx.lang)
    gaps_moved, gaps_still = _gaps(headline, ctx.lang)
    blocks = [
        {"heading": _("Targets"), "sentences": overall},
        {"heading": _("What moved"), "sentences": targets_moved + gaps_moved},
        {"heading": _("What did not move (yet)"), "sentences": targets_still + gaps_still},
        {"heading": _("Where problems stack"),
         "sentences": _stacking(figures.get("stacking", {}), ctx.lang)},
        {"heading": _("Programmes, results and money"),
         "sentences": _money(figures.get("programmes", {}), ctx.lang)},
        {"heading": _("Plans tested against the touchstone"),
         "sentences": touchstone_sentences(figures.get("touchstone", {}))},
        {"heading": _("Effects"), "sentences": _effects(figures.get("evaluations", {}))},
    ]
    return {"blocks": [b for b in blocks if b["sentences"]]}
