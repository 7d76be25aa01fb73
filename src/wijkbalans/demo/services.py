"""Loading Demostad: its areas and figures, its programme area and its people.

The figures go through the same loader as every imported file
(:func:`wijkbalans.indicators.services.load_parsed`), as one import batch of kind
``demo`` whose "file hash" is the digest of the generated data and the seed. Loading the
same seed again changes nothing and writes nothing.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction

from wijkbalans.areas.models import AreaSet
from wijkbalans.areas.services import area_set_save
from wijkbalans.indicators.services import load_parsed

from .concerns import USERNAMES as CONCERNS_USERNAMES
from .concerns import demo_concerns_ensure
from .figures import DEFAULT_SEED, INDICATORS, build_city
from .geography import GEMEENTE_NAME, PROGRAMME_NAME, PROGRAMME_SLUG
from .participation import RESIDENT_USERNAMES, demo_participation_ensure
from .people import USERNAMES, PeopleCounts, demo_people_ensure
from .register import demo_register_ensure
from .survey import demo_survey_load

KIND = "demo"
#: Every log-in the demo creates (password "demo").
DEMO_USERNAMES = USERNAMES + CONCERNS_USERNAMES + RESIDENT_USERNAMES
PROGRAMME_DESCRIPTION = (
    "Programme area of the fictitious municipality Demostad: the northern band of buurten "
    "where problems stack up. Synthetic demo data."
)


@dataclass
class DemoSummary:
    """What ``demo_load`` did."""

    seed: int
    digest: str
    gemeente: str = GEMEENTE_NAME
    areas: int = 0
    indicators: int = 0
    observations: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    areas_created: int = 0
    areas_updated: int = 0
    indicators_created: int = 0
    batch_id: int | None = None
    survey_batch_id: int | None = None
    area_set: str = PROGRAMME_SLUG
    area_set_changed: bool = False
    people: PeopleCounts = field(default_factory=PeopleCounts)
    activities_created: int = 0
    concerns_created: int = 0
    participation_created: int = 0
    users: tuple[str, ...] = USERNAMES + CONCERNS_USERNAMES
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.batch_id is not None or self.survey_batch_id is not None
                    or self.area_set_changed
                    or self.people.organisations_created or self.people.users_created
                    or self.people.memberships_granted or self.activities_created
                    or self.concerns_created or self.participation_created)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "users": list(self.users), "changed": self.changed}

    def lines(self) -> list[str]:
        people = self.people
        lines = [
            f"{self.gemeente}, seed {self.seed}: {self.areas} areas, {self.indicators} "
            f"indicators, {self.observations} observations",
            f"  observations: created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}; areas created {self.areas_created}, "
            f"updated {self.areas_updated}; indicators created {self.indicators_created}",
            "  resident panel: " + ("loaded" if self.survey_batch_id is not None
                                    else "unchanged"),
            f"  programme area '{self.area_set}': "
            + ("saved" if self.area_set_changed else "unchanged"),
            f"  organisations created {people.organisations_created}; users created "
            f"{people.users_created}, existing {people.users_existing}; memberships granted "
            f"{people.memberships_granted}",
            f"  programme register: {self.activities_created} activities created"
            if self.activities_created else "  programme register: unchanged",
            f"  early concerns: {self.concerns_created} recorded"
            if self.concerns_created else "  early concerns: unchanged",
            f"  residents taking part: {self.participation_created} items created"
            if self.participation_created else "  residents taking part: unchanged",
            f"  log-ins (demo only, password 'demo'): {', '.join(self.users)}",
        ]
        if not self.changed:
            lines.append("  nothing changed: the demo city was already loaded")
        lines.append(f"  ({self.seconds:.1f} s)")
        return lines


# The programme area's targets, in the words of a council decision: half the gap in
# employment to the city by 2030; social assistance down to 30 per 1,000 by 2028; the city
# average on poverty within 20 years of the programme's start.
DEMO_TARGETS = [
    {"indicator": "werkzaam_pct", "kind": "closure", "baseline_period": "2019",
     "target_period": "2030", "closure_share": 0.5, "reference": "city",
     "note": "Halve the gap in employment to the city average by 2030."},
    {"indicator": "bijstand_per_1000", "kind": "value", "baseline_period": "2019",
     "target_period": "2028", "target_value": 30.0,
     "note": "Social assistance down to 30 per 1,000 residents by 2028."},
    {"theme": "poverty", "kind": "reference", "baseline_period": "2019",
     "target_period": "2039", "reference": "city",
     "note": "The city average on poverty within 20 years."},
]


def _demo_targets(*, acting_user=None) -> None:
    """The demo programme area's targets, created once (existing ones are left alone)."""
    from wijkbalans.stacking.models import Target
    from wijkbalans.stacking.services import target_save

    area_set = AreaSet.objects.get(slug=PROGRAMME_SLUG)
    for spec in DEMO_TARGETS:
        key = {"indicator": spec.get("indicator", ""), "theme": spec.get("theme", "")}
        if not Target.objects.filter(area_set=area_set, **key).exists():
            target_save(area_set=area_set, acting_user=acting_user, **spec)


@transaction.atomic
def demo_load(*, seed: int = DEFAULT_SEED, acting_user=None) -> DemoSummary:
    """Generate Demostad from ``seed`` and load it, with its programme area and people.

    Idempotent: a second run with the same seed writes nothing (no batch, no audit entry).
    Another seed replaces the figures (the loader keeps the old values as revisions).
    """
    started = time.perf_counter()
    city = build_city(seed)
    parsed = city.parsed()
    result = load_parsed(parsed=parsed, kind=KIND, file_name=f"demostad-seed-{seed}",
                         file_sha256=city.digest, options={"seed": seed},
                         acting_user=acting_user)
    summary = DemoSummary(
        seed=seed, digest=city.digest, areas=len(parsed.areas), indicators=len(INDICATORS),
        observations=len(parsed.observations), created=result.created,
        updated=result.updated, unchanged=result.unchanged,
        areas_created=result.areas_created, areas_updated=result.areas_updated,
        indicators_created=result.indicators_created, batch_id=result.batch_id,
    )
    summary.survey_batch_id = demo_survey_load(seed=seed, acting_user=acting_user).batch_id
    members = sorted(city.geography.programme_codes)
    before = AreaSet.objects.filter(slug=PROGRAMME_SLUG).first()
    unchanged = before is not None and (
        (before.name, before.description) == (PROGRAMME_NAME, PROGRAMME_DESCRIPTION)
        and sorted(before.members.values_list("code", flat=True)) == members)
    area_set_save(slug=PROGRAMME_SLUG, name=PROGRAMME_NAME, member_codes=members,
                  description=PROGRAMME_DESCRIPTION, acting_user=acting_user)
    summary.area_set_changed = not unchanged
    _demo_targets(acting_user=acting_user)
    summary.people = demo_people_ensure(acting_user=acting_user)
    summary.activities_created = demo_register_ensure()
    summary.concerns_created = demo_concerns_ensure(acting_user=acting_user)
    summary.participation_created = demo_participation_ensure(acting_user=acting_user)
    summary.seconds = time.perf_counter() - started
    return summary
