"""A small register with money, built directly with the ORM (and ``accounts.services``
for people), for the money, coverage and concurrency tests.

Organisations: a municipality (Gemeente Demostad), a housing corporation (Woonstad), a
residents' organisation. Activities (codes): ``p`` (programme, municipality) with ``a``
(action line, municipality) and, under ``a``, ``b`` (intervention, Woonstad, ends 2024);
``c`` (intervention under ``p``, ends 2026); ``d`` (a second programme, open) with ``e``
(ends mid-2025). Sources: ``gem`` (municipal, 2022 onwards), ``nplv`` (state grant,
2022-2025), ``rd`` (Regio Deal, 2023-2026).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from wijkbalans.accounts.models import AuditEntry, Organisation, Role
from wijkbalans.accounts.services import membership_grant, organisation_create, user_create
from wijkbalans.programmes.models import (
    Activity,
    BudgetLine,
    FundingAllocation,
    FundingSource,
)

# The hand-computed case of docs/programmes.md, "Money and coverage":
# (activity, source, year, planned).
LINES = [
    ("a", "nplv", 2022, "1234567.89"), ("a", "nplv", 2023, "1234567.89"),
    ("a", "nplv", 2024, "1234567.89"), ("a", "nplv", 2025, "1234567.89"),
    ("a", "gem", 2026, "500000.00"),
    ("b", "nplv", 2024, "250000.50"),
    ("c", "gem", 2022, "100000.00"), ("c", "rd", 2023, "300000.00"),
    ("c", "rd", 2024, "300000.00"), ("c", "nplv", 2025, "0.01"),
    ("d", "nplv", 2025, "99999.99"),
    ("e", "nplv", 2025, "10000.00"),
]
# (source, year, amount); nplv has nothing secured in 2025.
ALLOCATIONS = [
    ("nplv", 2022, "1000000.00"), ("nplv", 2023, "1234567.89"), ("nplv", 2024, "1400000.00"),
    ("gem", 2022, "100000.00"), ("gem", 2026, "400000.00"),
    ("rd", 2023, "300000.00"), ("rd", 2024, "250000.00"), ("rd", 2025, "100000.00"),
]


def person(username: str, organisation: Organisation | None, role: str | None):
    user = user_create(username=username, password=None)
    if organisation is not None:
        membership_grant(user=user, organisation=organisation, role=role)
    return user


def _activity(code, kind, owner, parent=None, start=2022, end=None):
    return Activity.objects.create(
        code=code, kind=kind, title=f"Activity {code}", owner=owner, parent=parent,
        start=dt.date(start, 1, 1), end=end)


def make_money_world(*, with_money: bool = True) -> SimpleNamespace:
    gemeente = organisation_create(name="Gemeente Demostad", kind="municipality")
    woonstad = organisation_create(name="Woonstad", kind="housing_corporation")
    bewoners = organisation_create(name="Bewoners Noord", kind="residents")
    kind = Activity.Kind
    p = _activity("p", kind.PROGRAMME, gemeente)
    a = _activity("a", kind.ACTION_LINE, gemeente, p)
    b = _activity("b", kind.INTERVENTION, woonstad, a, end=dt.date(2024, 12, 31))
    c = _activity("c", kind.INTERVENTION, gemeente, p, end=dt.date(2026, 12, 31))
    d = _activity("d", kind.PROGRAMME, gemeente)
    e = _activity("e", kind.INTERVENTION, gemeente, d, end=dt.date(2025, 6, 30))
    sources = {
        "gem": FundingSource.objects.create(code="gem", name="Gemeentebegroting",
                                            kind="municipal", start_year=2022),
        "nplv": FundingSource.objects.create(code="nplv", name="NPLV (SPUK)",
                                             kind="state_grant", start_year=2022,
                                             end_year=2025, funder=None),
        "rd": FundingSource.objects.create(code="rd", name="Regio Deal", kind="regio_deal",
                                           start_year=2023, end_year=2026),
    }
    activities = {x.code: x for x in (p, a, b, c, d, e)}
    if with_money:
        for code, source, year, planned in LINES:
            BudgetLine.objects.create(activity=activities[code], source=sources[source],
                                      year=year, planned=D(planned))
        for source, year, amount in ALLOCATIONS:
            FundingAllocation.objects.create(source=sources[source], year=year,
                                             amount=D(amount))
    return SimpleNamespace(
        gemeente=gemeente, woonstad=woonstad, bewoners=bewoners,
        activities=activities, sources=sources,
        finance_gemeente=person("fin-gemeente", gemeente, Role.FINANCE_OFFICER),
        finance_woonstad=person("fin-woonstad", woonstad, Role.FINANCE_OFFICER),
        staff=person("staf", gemeente, Role.PROGRAMME_STAFF),
        partner=person("partner", woonstad, Role.PARTNER),
        analyst=person("analist", gemeente, Role.ANALYST),
        resident=person("bewoner", bewoners, Role.RESIDENT),
        admin=person("beheer", gemeente, Role.ADMIN),
        anonymous=AnonymousUser(),
    )


def counts() -> dict[str, int]:
    """Rows that a refused write must leave alone."""
    return {"sources": FundingSource.objects.count(),
            "allocations": FundingAllocation.objects.count(),
            "lines": BudgetLine.objects.count(), "audit": AuditEntry.objects.count()}
