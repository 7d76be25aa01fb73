"""Routing as data: the most specific area wins, several partners are possible, and only
programme staff change routes (audited)."""

from __future__ import annotations

import pytest

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import Area
from wijkbalans.concerns.models import Route
from wijkbalans.concerns.routing import (
    RouteError,
    candidate_codes,
    route_add,
    route_list,
    route_remove,
    routes_for,
)

from .conftest import buurt_code


def slugs(theme: str, code: str) -> list[str]:
    return [o.slug for o in routes_for(theme=theme, buurt=Area.objects.get(code=code))]


def test_candidates_run_from_the_buurt_to_the_gemeente():
    assert candidate_codes("BU09980203") == ["BU09980203", "WK099802", "GM0998"]


def test_the_gemeente_routes_apply_where_nothing_more_specific_is_set(signal_city):
    assert slugs("undermining", buurt_code(2, 3)) == ["gemeente", "politie"]
    assert slugs("poverty_debts", buurt_code(1, 1)) == ["schuldhulp"]
    assert slugs("housing", buurt_code(1, 1)) == []


def test_a_buurt_route_replaces_the_wijk_and_gemeente_routes(signal_city):
    buurt = Area.objects.get(code=buurt_code(1, 3))
    route_add(theme="youth_at_risk", area=buurt, organisation=signal_city.orgs.debt_help,
              acting_user=signal_city.programme)
    assert slugs("youth_at_risk", buurt_code(1, 3)) == ["schuldhulp"]
    assert slugs("youth_at_risk", buurt_code(1, 2)) == ["basisschool"]  # the wijk's
    assert slugs("youth_at_risk", buurt_code(2, 1)) == ["gemeente"]  # the gemeente's


def test_routes_for_takes_one_query(signal_city, django_assert_num_queries):
    buurt = Area.objects.get(code=buurt_code(1, 1))
    with django_assert_num_queries(1):
        routes_for(theme="undermining", buurt=buurt)


def test_adding_twice_keeps_one_route_and_one_audit_entry(signal_city):
    gemeente = Area.objects.get(code="GM0998")
    before = (Route.objects.count(), AuditEntry.objects.count())
    again = route_add(theme="undermining", area=gemeente, organisation=signal_city.orgs.police,
                      acting_user=signal_city.programme)
    assert again.organisation.slug == "politie"
    assert (Route.objects.count(), AuditEntry.objects.count()) == before


def test_removing_a_route_is_audited(signal_city):
    route = route_list(gemeente="GM0998").get(theme="poverty_debts")
    route_remove(route=route, acting_user=signal_city.programme)
    assert slugs("poverty_debts", buurt_code(1, 1)) == []
    entry = AuditEntry.objects.filter(action="concerns.route.remove").get()
    assert entry.before["theme"] == "poverty_debts" and entry.actor == signal_city.programme


@pytest.mark.parametrize("theme, code, username, field", [
    ("undermining", "GM0998", "teacher", "route"),
    ("undermining", "GM0998", "police_officer", "route"),
    ("drugs", "GM0998", "programme", "theme"),
    ("undermining", "NL00", "programme", "area"),
])
def test_bad_routes_are_refused_and_change_nothing(signal_city, theme, code, username, field):
    area = Area.objects.get(code=code)
    before = (Route.objects.count(), AuditEntry.objects.count())
    with pytest.raises(RouteError) as caught:
        route_add(theme=theme, area=area, organisation=signal_city.orgs.police,
                  acting_user=getattr(signal_city, username))
    assert caught.value.field == field
    assert (Route.objects.count(), AuditEntry.objects.count()) == before


def test_the_route_list_is_sorted_by_theme_and_area(signal_city):
    listed = [(r.theme, r.area.code, r.organisation.slug) for r in route_list()]
    assert listed == [("poverty_debts", "GM0998", "schuldhulp"),
                      ("undermining", "GM0998", "gemeente"),
                      ("undermining", "GM0998", "politie"),
                      ("youth_at_risk", "GM0998", "gemeente"),
                      ("youth_at_risk", "WK099801", "basisschool")]
