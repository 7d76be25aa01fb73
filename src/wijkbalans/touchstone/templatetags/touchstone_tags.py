"""``{% touchstone_summary activity %}``: the touchstone's section on an activity's page
in the programme register, with the newest assessment the reader may read (its ratings
and the decision in force) and a link to the plan's touchstone page. It reads the user
from the template's context, so the register's view needs no change.

    {% load touchstone_tags %}
    {% touchstone_summary activity %}
"""

from __future__ import annotations

from django import template

from .. import permissions, selectors
from ..web.common import day, ratings_summary

register = template.Library()


@register.inclusion_tag("touchstone/_activity_summary.html", takes_context=True)
def touchstone_summary(context, activity) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    found = selectors.latest_assessments(user=user, activities=[activity]).get(activity.code)
    summary = None
    if found is not None:
        card = selectors.assessment_scorecard(user=user, assessment=found)
        summary = {"assessment": found, "day": day(found.created_at),
                   "ratings": ratings_summary(card.results),
                   "decision": card.extra.get("decision"),
                   "outdated": card.extra.get("outdated")}
    return {"activity": activity, "summary": summary,
            "may_assess": permissions.may_assess(user, activity)}
