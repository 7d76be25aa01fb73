"""Demostad with a small programme register of hand-computable figures, loaded once per
test module inside a transaction that is rolled back at its end.

The register (written through the programme services as the demo administrator):

* ``prog-noord``, a programme on the area set ``demostad-noord``, with two interventions:
  ``interventie-a`` (output from 0 to a target of 100 in 2024, 40 approved: 40%) and
  ``interventie-b`` (from 10 to 20 in 2025, 15 approved in 2024: 50%); the programme's
  progress is their mean, 45%.
* Money: ``spuk`` (a temporary grant, 2023-2025) secures 100,000 in 2023 and 2024 and
  50,000 in 2025; both interventions plan 60,000 a year on it, 2023-2025. ``gemeente``
  (structural, from 2023) secures 30,000 in 2026 for ``interventie-a``'s line of 30,000.
  Need 120,000 / 120,000 / 120,000 / 30,000; secured 100,000 / 100,000 / 50,000 / 30,000;
  shortfall 20,000 + 20,000 + 70,000 = 110,000 over 2023-2026. When ``spuk`` ends after
  2025, ``interventie-b`` (no line in 2026) loses its 60,000: that falls away in 2026.
* ``elders``, a programme on a buurt outside the area set and its wijk: not in the report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

PROGRAMME = "demostad-noord"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def make_register() -> None:
    from wijkbalans.accounts.models import Organisation
    from wijkbalans.programmes.services import money, register, results

    admin = user("beheer")
    owner = Organisation.objects.get(name="Gemeente Demostad")
    programme = register.activity_create(
        acting_user=admin, code="prog-noord", kind="programme", title="Programma Noord",
        owner=owner, description="Het programma voor de noordelijke buurten.",
        status="running", start=dt.date(2023, 1, 1), area_set_slugs=[PROGRAMME],
        themes=["work_income"], public=True)
    a = register.activity_create(
        acting_user=admin, code="interventie-a", kind="intervention", title="Interventie A",
        owner=owner, parent=programme, status="running", start=dt.date(2023, 1, 1))
    b = register.activity_create(
        acting_user=admin, code="interventie-b", kind="intervention", title="Interventie B",
        owner=owner, parent=programme, status="running", start=dt.date(2023, 1, 1))
    register.activity_create(
        acting_user=admin, code="elders", kind="programme", title="Programma Elders",
        owner=owner, status="running", start=dt.date(2023, 1, 1),
        area_codes=["BU99990400"])
    for activity, baseline, target_period, target, actual in (
            (a, "0", "2024", "100", "40"), (b, "10", "2025", "20", "15")):
        result = results.result_indicator_save(
            acting_user=admin, activity=activity, kind="output", name=f"Bereik {activity.code}",
            unit="personen", baseline_period="2023", baseline_value=Decimal(baseline))
        goal = results.result_period_save(acting_user=admin, result=result,
                                          period=target_period, target=Decimal(target))
        reported = goal if target_period == "2024" else results.result_period_save(
            acting_user=admin, result=result, period="2024")
        update = results.result_update_create(acting_user=admin, period=reported,
                                              organisation=owner, value=Decimal(actual),
                                              submit=True)
        results.result_update_approve(acting_user=admin, update=update)
    spuk = money.funding_source_save(acting_user=admin, code="spuk", name="SPUK-uitkering",
                                     kind="state_grant", start_year=2023, end_year=2025)
    city = money.funding_source_save(acting_user=admin, code="gemeente",
                                     name="Gemeentelijk budget", kind="municipal",
                                     start_year=2023)
    for year, amount in ((2023, "100000"), (2024, "100000"), (2025, "50000")):
        money.funding_allocation_set(acting_user=admin, source=spuk, year=year,
                                     amount=Decimal(amount))
    money.funding_allocation_set(acting_user=admin, source=city, year=2026,
                                 amount=Decimal("30000"))
    for activity in (a, b):
        for year in (2023, 2024, 2025):
            money.budget_line_create(acting_user=admin, activity=activity, source=spuk,
                                     year=year, planned=Decimal("60000"))
    money.budget_line_create(acting_user=admin, activity=a, source=city, year=2026,
                             planned=Decimal("30000"))


def run_evaluation():
    """A quick SDID evaluation of employment in the programme area from 2019 (done)."""
    from wijkbalans.evaluations.services import evaluation_create, evaluation_run

    evaluation = evaluation_create(outcome="werkzaam_pct", start_period="2019", method="sdid",
                                   area_set=PROGRAMME, placebo_reps=20,
                                   acting_user=user("analist"))
    return evaluation_run(evaluation=evaluation)


def load_city(*, evaluation: bool = True) -> None:
    from wijkbalans.demo.services import demo_load

    demo_load()
    make_register()
    if evaluation:
        run_evaluation()
