"""The plans of the area's programmes tested against the touchstone: per plan its newest
assessment as of the report's date (version, the seven ratings with their reasons) and the
decision in force on that date (go, adjust or stop, when, by which body, and why); the
planned activities without an assessment in one line.

Rules (docs/reports.md, "Plans tested against the touchstone"):

- **Which plans.** The activities of the programmes section (the programmes that work in
  the area set, with everything below them), in its order.
- **As of the report's date.** An assessment or decision counts when it was made on or
  before the report's date (its local day): one stored later is left out, so a report for
  a past date is gathered again with the same content.
- **Outdated.** An assessment is outdated when the plan's version, as the register stands
  when the report is gathered, differs from the version it weighed.
- **Decided by.** The body, not the person (the report goes to the council): the
  programme staff of the plan's owner when that is not a municipality, else the programme
  bureau; an administrator without the role programme staff as such.

Reads ``touchstone.selectors`` (``latest_assessments``, ``assessment_list``,
``assessment_scorecard``, ``decision_dict``): the ratings and reasons are those of the
plan's touchstone page, in the report's language.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkbalans.accounts import selectors as account_selectors
from wijkbalans.accounts.models import Organisation
from wijkbalans.analysis import touchstone as rules
from wijkbalans.programmes import permissions as programme_rules
from wijkbalans.programmes import selectors as register
from wijkbalans.programmes.models import Activity
from wijkbalans.touchstone import selectors as touchstone

from . import Context
from .programmes import ALLIANCE

CHOICES = ("go", "adjust", "stop")


def cutoff(ctx: Context) -> dt.datetime:
    """The first moment after the report's date, in the app's time zone."""
    day = dt.date.fromisoformat(ctx.settings["date"]) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _local_day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _programme_activities(ctx: Context) -> list[tuple[str, str]]:
    """(activity code, programme title) in the order of the programmes section, once each."""
    if "programmes" not in ctx.figures:
        from . import programmes

        ctx.figures["programmes"] = programmes.collect(ctx)
    seen, out = set(), []
    for programme in ctx.figures["programmes"].get("programmes", []):
        for activity in programme["activities"]:
            if activity["code"] not in seen:
                seen.add(activity["code"])
                out.append((activity["code"], programme["title"]))
    return out


def _as_of(activities: list[Activity], until: dt.datetime) -> dict[str, object]:
    """Activity code to its newest assessment made before ``until``."""
    newest = touchstone.latest_assessments(user=ALLIANCE, activities=activities)
    by_code = {a.code: a for a in activities}
    found = {}
    for code, assessment in newest.items():
        if assessment.created_at >= until:  # a later one hides any earlier: look again
            assessment = next((a for a in touchstone.assessment_list(
                user=ALLIANCE, activity=by_code[code]) if a.created_at < until), None)
        if assessment is not None:
            found[code] = assessment
    return found


def decided_by(user, activity: Activity) -> str:
    """The body that took the decision (see the module's rules); "" when unknown."""
    if user is None:
        return ""
    owner = activity.owner
    if (owner.kind != Organisation.Kind.MUNICIPALITY and not programme_rules.is_admin(user)
            and programme_rules.may_review(user, activity)):
        return _("programme staff of %(organisation)s") % {"organisation": owner.name}
    if "programme_staff" in account_selectors.user_roles(user=user):
        return _("the programme bureau")
    if programme_rules.is_admin(user):
        return _("an administrator")
    return ""


def _decision(assessment, activity: Activity, until: dt.datetime) -> dict | None:
    made = [d for d in assessment.decisions.all() if d.decided_at < until]
    if not made:
        return None
    decision = max(made, key=lambda d: (d.decided_at, d.pk))
    shown = touchstone.decision_dict(decision)
    return {"decision": shown["decision"], "label": shown["decision_label"],
            "reason": shown["reason"], "on": _local_day(decision.decided_at),
            "by": decided_by(decision.decided_by, activity), "earlier": len(made) - 1}


def _counts_text(counts: dict) -> str:
    # The touchstone page's words for the counts (plan_page.counts_text).
    return _("%(strong)s strong, %(adequate)s adequate, %(weak)s weak, %(unknown)s "
             "unknown") % {k: counts.get(k, 0) for k in rules.RATINGS}


def _plan(assessment, activity: Activity, programme: str, until: dt.datetime) -> dict:
    card = touchstone.assessment_scorecard(user=ALLIANCE, assessment=assessment)
    return {
        "code": activity.code, "title": card.activity_title, "label": card.label,
        "programme": programme, "assessment": assessment.pk,
        "assessed_on": _local_day(assessment.created_at),
        "version": card.activity_version, "current_version": activity.version,
        "outdated": activity.version != card.activity_version,
        "counts": _counts_text(card.counts),
        "criteria": [{"key": r.key, "label": r.label, "rating": r.rating,
                      "rating_label": r.rating_label, "reason": r.reason.text(),
                      "argued": r.basis == "argued",
                      "note": r.note if r.basis == "argued" else ""}
                     for r in card.results],
        "decision": _decision(assessment, activity, until),
    }


def collect(ctx: Context) -> dict:
    until = cutoff(ctx)
    order = _programme_activities(ctx)
    wanted = {code for code, _programme in order}
    activities = {a.code: a for a, _depth in register.activity_tree(user=ALLIANCE)
                  if a.code in wanted}
    found = _as_of(list(activities.values()), until)
    plans, waiting = [], []
    for code, programme in order:
        activity = activities.get(code)
        if activity is None:
            continue
        if code in found:
            plans.append(_plan(found[code], activity, programme, until))
        elif activity.status == Activity.Status.PLANNED:
            waiting.append({"code": code, "title": activity.title})
    decided = [p["decision"]["decision"] for p in plans if p["decision"]]
    return {"as_of": ctx.settings["date"], "plans": plans, "not_assessed": waiting,
            "counts": {"assessed": len(plans), "decided": len(decided),
                       "outdated": sum(1 for p in plans if p["outdated"]),
                       **{c: decided.count(c) for c in CHOICES}}}


def summary_sentences(figures: dict) -> list[str]:
    """The summary's sentences on the touchstone (docs/reports.md, rule 8), written from
    this section's figures only."""
    counts = figures.get("counts")
    if not counts:
        return []
    out = []
    n, waiting = counts["assessed"], len(figures.get("not_assessed", []))
    if n:
        out.append(ngettext("%(n)s plan was tested against the touchstone.",
                            "%(n)s plans were tested against the touchstone.", n) % {"n": n})
        if counts["decided"]:
            out.append(_("Decided: %(k)s of them (go: %(go)s, adjust: %(adjust)s, stop: "
                         "%(stop)s).") % {"k": counts["decided"],
                                          **{c: counts[c] for c in CHOICES}})
        else:
            out.append(_("No decision has been taken on them yet."))
        if counts["outdated"]:
            out.append(ngettext(
                "%(n)s assessment weighed an earlier version of its plan.",
                "%(n)s assessments weighed an earlier version of their plan.",
                counts["outdated"]) % {"n": counts["outdated"]})
    if waiting:
        out.append(ngettext("%(n)s planned activity has not been assessed yet.",
                            "%(n)s planned activities have not been assessed yet.",
                            waiting) % {"n": waiting})
    return out
