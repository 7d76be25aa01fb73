"""The Local Alliance of Demostad and one demo user per role.

Every demo user has the password :data:`DEMO_PASSWORD` ("demo"). Django's password
validators would refuse it in a form; :func:`~wijkbalans.accounts.services.user_create`
sets it directly, which is acceptable for the demo city only. These users are created by
``wijkbalans demo`` and by nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from wijkbalans.accounts.models import Organisation, Role
from wijkbalans.accounts.services import membership_grant, organisation_create, user_create

DEMO_PASSWORD = "demo"  # noqa: S105 -- the documented demo log-in, demo city only

# (name, kind)
ORGANISATIONS: tuple[tuple[str, str], ...] = (
    ("Gemeente Demostad", Organisation.Kind.MUNICIPALITY),
    ("Woonstichting Demostad", Organisation.Kind.HOUSING_CORPORATION),
    ("Stichting Openbaar Onderwijs Demostad", Organisation.Kind.SCHOOL_BOARD),
    ("Politie eenheid Demostad", Organisation.Kind.POLICE),
    ("Zorggroep Demostad", Organisation.Kind.CARE_PROVIDER),
    ("Sociaal Team Demostad-Noord", Organisation.Kind.SOCIAL_TEAM),
    ("Ondernemersvereniging Demostad", Organisation.Kind.ENTREPRENEURS),
    ("Bewonersplatform Demostad-Noord", Organisation.Kind.RESIDENTS),
    ("Schuldhulp Demostad", Organisation.Kind.OTHER),
    ("Werkbedrijf Demostad", Organisation.Kind.OTHER),
    ("Openbaar Ministerie Demostad", Organisation.Kind.JUSTICE),
    ("Rijksoverheid (BZK)", Organisation.Kind.STATE),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str
    roles: tuple[str, ...]
    staff: bool = False


USERS: tuple[DemoUser, ...] = (
    DemoUser("beheer", "Bea", "Beheer", "Gemeente Demostad",
             (Role.ADMIN, Role.PROGRAMME_STAFF), staff=True),
    DemoUser("bureau", "Bart", "Bureau", "Gemeente Demostad", (Role.PROGRAMME_STAFF,)),
    DemoUser("analist", "Anouk", "Analist", "Gemeente Demostad", (Role.ANALYST,)),
    DemoUser("financien", "Frank", "Financiën", "Gemeente Demostad", (Role.FINANCE_OFFICER,)),
    DemoUser("partner", "Petra", "Partner", "Woonstichting Demostad", (Role.PARTNER,)),
    DemoUser("school", "Sanne", "School", "Stichting Openbaar Onderwijs Demostad",
             (Role.PARTNER,)),
    DemoUser("sociaalteam", "Sem", "Sociaal Team", "Sociaal Team Demostad-Noord",
             (Role.PARTNER,)),
    DemoUser("zorggroep", "Zeynep", "Zorggroep", "Zorggroep Demostad", (Role.PARTNER,)),
    DemoUser("schuldhulp", "Sven", "Schuldhulp", "Schuldhulp Demostad", (Role.PARTNER,)),
    DemoUser("professional", "Priya", "Professional", "Sociaal Team Demostad-Noord",
             (Role.PROFESSIONAL,)),
    DemoUser("bewoner", "Bram", "Bewoner", "Bewonersplatform Demostad-Noord",
             (Role.RESIDENT,)),
)
USERNAMES = tuple(u.username for u in USERS)


@dataclass
class PeopleCounts:
    organisations_created: int = 0
    users_created: int = 0
    users_existing: int = 0
    memberships_granted: int = 0


@transaction.atomic
def demo_people_ensure(*, acting_user=None) -> PeopleCounts:
    """Create what is missing of the organisations, users and memberships; leave what
    exists as it is (an existing user keeps its password). Each write is audited by the
    accounts service that makes it."""
    counts = PeopleCounts()
    organisations = {o.name: o for o in Organisation.objects.filter(
        name__in=[name for name, _ in ORGANISATIONS])}
    for name, kind in ORGANISATIONS:
        if name not in organisations:
            organisations[name] = organisation_create(name=name, kind=kind,
                                                      acting_user=acting_user)
            counts.organisations_created += 1
    existing = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    for person in USERS:
        user = existing.get(person.username)
        if user is None:
            user = user_create(username=person.username, password=DEMO_PASSWORD,
                               first_name=person.first_name, last_name=person.last_name,
                               email=f"{person.username}@demostad.example",
                               is_staff=person.staff, is_superuser=person.staff,
                               acting_user=acting_user)
            counts.users_created += 1
        else:
            counts.users_existing += 1
        held = set(user.memberships.filter(organisation=organisations[person.organisation])
                   .values_list("role", flat=True))
        for role in person.roles:
            if role not in held:
                membership_grant(user=user, organisation=organisations[person.organisation],
                                 role=role, acting_user=acting_user)
                counts.memberships_granted += 1
    return counts
