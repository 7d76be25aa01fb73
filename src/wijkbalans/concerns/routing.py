"""Routing as data: which partner organisations receive the concerns of a theme in an
area, and the writes that change it.

A route is ``theme × area → organisation``, where the area is a buurt, a wijk or a
gemeente. For a concern in buurt ``b``: the routes of ``b`` itself if there are any, else
those of its wijk, else those of its gemeente; every route at that level applies, so a
concern may go to several partners (undermining to the police *and* the municipal safety
team). A buurt-level route therefore replaces, not adds to, the wijk's and gemeente's
routes for that buurt.

>>> candidate_codes("BU00140402")
['BU00140402', 'WK001404', 'GM0014']
"""

from __future__ import annotations

from django.db import transaction

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.accounts.models import Organisation
from wijkbalans.areas import codes
from wijkbalans.areas.models import Area

from . import selectors
from .models import Route, Theme


class RouteError(ValueError):
    """A route cannot be saved as asked; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def candidate_codes(buurtcode: str) -> list[str]:
    """The buurt, its wijk and its gemeente, most specific first (from the code)."""
    out = [buurtcode]
    while (up := codes.parent_of(out[-1])) and up != codes.COUNTRY_CODE:
        out.append(up)
    return out


def routes_for(*, theme: str, buurt: Area) -> list[Organisation]:
    """The organisations a concern of ``theme`` in ``buurt`` goes to (one query), by
    name; empty when no route matches."""
    levels = candidate_codes(buurt.code)
    rows = list(Route.objects.filter(theme=theme, area__code__in=levels)
                .select_related("organisation", "area"))
    for code in levels:
        found = sorted({r.organisation for r in rows if r.area.code == code},
                       key=lambda org: org.name)
        if found:
            return found
    return []


def route_list(*, gemeente: str | None = None):
    """Routes by theme and area code; ``gemeente`` keeps the routes in that gemeente."""
    qs = Route.objects.select_related("area", "organisation")
    if gemeente:
        qs = qs.filter(area__gemeentecode=gemeente)
    return qs.order_by("theme", "area__code", "organisation__name")


@transaction.atomic
def route_add(*, theme: str, area: Area, organisation: Organisation, acting_user) -> Route:
    """Route the concerns of ``theme`` in ``area`` (buurt, wijk or gemeente) to
    ``organisation`` as well. Programme staff and administrators only."""
    if not selectors.user_may_edit_routes(user=acting_user):
        raise RouteError("route", "changing routes needs the role programme_staff or admin")
    if theme not in Theme.values:
        raise RouteError("theme", f"expected one of {', '.join(Theme.values)}; found {theme!r}")
    if area.level not in (codes.BUURT, codes.WIJK, codes.GEMEENTE):
        raise RouteError("area", f"a route is for a buurt, wijk or gemeente; {area.code} is "
                                 f"a {area.level}")
    route, created = Route.objects.get_or_create(theme=theme, area=area,
                                                 organisation=organisation)
    if created:
        audit_record(acting_user=acting_user, action="concerns.route.add", obj=route,
                     after=snapshot(route))
    return route


@transaction.atomic
def route_remove(*, route: Route, acting_user) -> None:
    if not selectors.user_may_edit_routes(user=acting_user):
        raise RouteError("route", "changing routes needs the role programme_staff or admin")
    before, pk, label = snapshot(route), route.pk, str(route)
    route.delete()
    audit_record(acting_user=acting_user, action="concerns.route.remove",
                 object_type="concerns.route", object_id=str(pk), object_repr=label,
                 before=before)
