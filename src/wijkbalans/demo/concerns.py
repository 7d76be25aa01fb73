"""Early concerns in Demostad: routes, some 300 concerns over two years, their follow-up,
and the published series.

What :func:`demo_concerns_ensure` makes:

- **routes** (for the whole gemeente GM9999): undermining → Politie eenheid Demostad and
  Gemeente Demostad; poverty and debts → Schuldhulp Demostad; psychological vulnerability
  → Zorggroep Demostad; youth at risk → Sociaal Team Demostad-Noord; housing →
  Woonstichting Demostad. Loneliness and other are not routed: they count, and go to
  nobody (docs/concerns.md);
- **reporters**: the demo user ``professional`` (Sociaal Team Demostad-Noord) and
  ``professional-2`` … ``professional-5`` (Zorggroep, the school board, the housing
  corporation and the police's neighbourhood officer), and a partner log-in ``politie``
  for the police's inbox; password "demo" like every demo user;
- **concerns**: :data:`STREAMS` gives a buurt and theme a steady rate per week, almost all
  in the nine buurten of the programme area (Demostad-Noord) and a few elsewhere; a
  stream with rate ``r`` and phase ``f`` has a concern in week ``w`` (0 = the first week)
  when ``floor((w + 1) r + f)`` exceeds ``floor(w r + f)``, so that over ``n`` weeks it
  has ``floor(n r + f)`` concerns, spread evenly. On top, undermining in Noorderpoort
  rises in the last five weeks (:data:`RISE`): two more a week on top of its usual two
  in five weeks, so the alert of docs/concerns.md fires for the four weeks up to
  2026-W47 and up to 2026-W48 (the early-warning page takes the last complete week;
  later, choose one of these weeks there). About three in five concerns carry a short
  free text, each of which passes the personal-data screen;
- **follow-up** by the partners that have a log-in (police, debt help, care group, social
  team, housing corporation): what was routed more than eight weeks before the reference
  week is closed with an outcome, two to eight weeks acted on, one week acknowledged;
- **the series** ``signalen_*`` in the monitor
  (:func:`~wijkbalans.concerns.publish.concerns_publish` for GM9999): the complete
  quarters up to the reference date.

**Dates.** The story runs up to :data:`REFERENCE` (Saturday 28 November 2026, ISO week
2026-W48), the reference date of the rest of the demo's story, so that every load writes
the same concerns whatever the day. The service accepts only weeks of the last twelve
(a concern is about now), so each concern is recorded through
:func:`~wijkbalans.concerns.services.concern_submit` *at its own week*: for the length of
one call, :func:`_at` fixes the clock (:func:`wijkbalans.core.clock.frozen_at`, in this
thread only) at the Friday of that week. Everything goes through the services (screening,
routing, audit), but the database's own time stamps (``created_at``, the audit log) keep
the real time.

Idempotent: the concerns are matched on what they say (week, theme, buurt, reporter,
severity, sign, text) and only missing ones are recorded; follow-up only moves forward;
routes, users and the series are written only when they change.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wijkbalans.accounts.models import Organisation
from wijkbalans.accounts.services import membership_grant, user_create
from wijkbalans.areas.models import Area
from wijkbalans.core import clock

from .geography import GEMEENTECODE
from .people import DEMO_PASSWORD

REFERENCE = dt.date(2026, 11, 28)
WEEKS = 105  # 2024-W48 up to 2026-W48
NOORDERPOORT = "BU99990100"
RISE = {"buurt": NOORDERPOORT, "theme": "undermining", "weeks": 5, "per_week": 2}

POLICE, MUNICIPALITY = "Politie eenheid Demostad", "Gemeente Demostad"
DEBT_HELP, CARE = "Schuldhulp Demostad", "Zorggroep Demostad"
SOCIAL_TEAM, HOUSING = "Sociaal Team Demostad-Noord", "Woonstichting Demostad"
SCHOOLS = "Stichting Openbaar Onderwijs Demostad"

ROUTES = (("undermining", POLICE), ("undermining", MUNICIPALITY),
          ("poverty_debts", DEBT_HELP), ("psychological", CARE),
          ("youth_at_risk", SOCIAL_TEAM), ("housing", HOUSING))

# (user name, first name, organisation, role)
PEOPLE = (
    ("professional-2", "Pim", CARE, "professional"),
    ("professional-3", "Pien", SCHOOLS, "professional"),
    ("professional-4", "Puck", HOUSING, "professional"),
    ("professional-5", "Pepijn", POLICE, "professional"),
    ("politie", "Paul", POLICE, "partner"),
)
#: The log-ins this module adds to the demo (password "demo").
USERNAMES = tuple(p[0] for p in PEOPLE)
REPORTING_FOR = {"professional": SOCIAL_TEAM,
                 **{p[0]: p[2] for p in PEOPLE if p[3] == "professional"}}
# Who records concerns of a theme, in turn.
REPORTERS = {
    "undermining": ("professional-5", "professional", "professional-4"),
    "poverty_debts": ("professional", "professional-3"),
    "psychological": ("professional-2", "professional"),
    "loneliness": ("professional-2", "professional"),
    "housing": ("professional-4", "professional"),
    "youth_at_risk": ("professional-3", "professional", "professional-5"),
    "other": ("professional-5", "professional-4"),
}
# The partners with a log-in, who record follow-up.
FOLLOWERS = {POLICE: "politie", DEBT_HELP: "schuldhulp", CARE: "zorggroep",
             SOCIAL_TEAM: "sociaalteam", HOUSING: "partner"}
OUTCOMES = ("support_offered", "referred", "neighbourhood_action", "already_known",
            "enforcement", "no_action")
SIGNS = ("youth_recruitment", "drug_dealing", "money_mules", "suspicious_business",
         "drug_dealing", "")
SEVERITIES = (2, 1, 2, 3, 2, 1, 3)

# (buurt, theme, concerns per week): seven steady streams in the programme area, large
# enough that a quarter usually holds five or more (so the published tables show them),
# and a few small ones there and elsewhere, whose counts the tables hide.
STREAMS = (
    (NOORDERPOORT, "undermining", 0.42), (NOORDERPOORT, "youth_at_risk", 0.40),
    ("BU99990101", "poverty_debts", 0.45), ("BU99990102", "poverty_debts", 0.40),
    ("BU99990103", "psychological", 0.40), ("BU99990200", "housing", 0.40),
    ("BU99990700", "poverty_debts", 0.40),
    ("BU99990104", "housing", 0.05), ("BU99990105", "loneliness", 0.06),
    ("BU99990701", "loneliness", 0.05), ("BU99990700", "other", 0.04),
    # Elsewhere: a few.
    ("BU99990001", "undermining", 0.04),
)

# Short notes as professionals write them: about the buurt, never about a person. Every
# one passes the screen (tests/demo/test_concerns_demo.py checks it).
TEXTS = {
    "undermining": (
        "Jongeren worden bij het winkelcentrum aangesproken om pakketjes rond te brengen.",
        "Sinds een paar weken veel korte bezoekjes bij een portiek, ook 's nachts.",
        "Leerlingen vertellen dat iemand hun bankpas wil lenen tegen betaling.",
        "Een nieuwe zaak aan het plein heeft bijna nooit klanten maar is elke avond open.",
        "Sterke wietlucht in een flat en ramen die dichtgeplakt zijn.",
        "Jongeren met opvallend veel contant geld en nieuwe scooters.",
    ),
    "poverty_debts": (
        "Meer kinderen komen zonder ontbijt op school.",
        "Ouders vragen vaker naar de voedselbank en de kledingbank.",
        "Meerdere gezinnen hebben een afsluiting van energie gekregen of dreigen die te "
        "krijgen.",
        "Ouders zeggen het schoolreisje af omdat het te duur is.",
        "Bewoners vertellen over stapels ongeopende post en aanmaningen.",
    ),
    "psychological": (
        "Een bewoner van de flat gedraagt zich verward en roept 's nachts in het "
        "trappenhuis.",
        "Buren maken zich zorgen om iemand die zich terugtrekt en de deur niet meer "
        "opendoet.",
        "Jongeren praten op de club over somberheid.",
        "Meer overlast door verward gedrag rond het station.",
    ),
    "loneliness": (
        "Oudere bewoners komen nauwelijks nog naar de koffieochtend.",
        "Sinds het buurthuis dicht is, zien we veel ouderen niet meer.",
        "Jonge moeders in de buurt zeggen dat ze weinig contact hebben.",
    ),
    "housing": (
        "Schimmel en vocht in meerdere woningen van hetzelfde blok.",
        "De lift in de flat is al weken kapot; ouderen komen niet meer buiten.",
        "Portiekverlichting kapot en vluchtwegen staan vol met spullen.",
        "Bewoners durven niet te klagen over tocht en kapotte verwarming.",
    ),
    "youth_at_risk": (
        "Leerlingen uit groep acht spijbelen vaker en hangen rond bij de snackbar.",
        "Jongeren zijn tot laat op straat en slapen soms niet thuis.",
        "Jongens praten op het schoolplein over messen.",
        "Kinderen komen vaak hongerig op school en zijn bang om naar huis te gaan.",
    ),
    "other": (
        "Donkere plek bij het fietspad waar mensen zich onveilig voelen.",
        "Spanningen tussen groepen jongeren bij het sportveld.",
        "Veel zwerfafval en vernielingen rond de winkels.",
    ),
}


@dataclass(frozen=True)
class Planned:
    week: str
    monday: dt.date
    theme: str
    buurt: str
    reporter: str
    severity: int
    sign: str
    text: str
    follow_up: str  # the status the partners have reached by the reference date

    def key(self) -> tuple:
        return (self.week, self.theme, self.buurt, self.reporter, self.severity, self.sign,
                self.text)


def _mondays() -> list[dt.date]:
    last = REFERENCE - dt.timedelta(days=REFERENCE.weekday())
    return [last - dt.timedelta(weeks=WEEKS - 1 - w) for w in range(WEEKS)]


def _phase(index: int) -> float:
    """A fixed phase per stream (the golden ratio's multiples, modulo 1)."""
    return (index * 0.6180339887) % 1.0


def stream_total(rate: float, index: int, weeks: int = WEEKS) -> int:
    """How many concerns a stream has over ``weeks`` weeks: floor(weeks × rate + phase)."""
    return math.floor(weeks * rate + _phase(index))


def _follow_up(age_weeks: int) -> str:
    if age_weeks > 8:
        return "closed"
    if age_weeks >= 2:
        return "acted"
    return "acknowledged" if age_weeks == 1 else "routed"


def plan() -> list[Planned]:
    """Every concern of the story, oldest week first (deterministic)."""
    mondays = _mondays()
    weekly: list[tuple[int, str, str]] = []  # (week index, buurt, theme)
    for index, (buurt, theme, rate) in enumerate(STREAMS):
        phase = _phase(index)
        for w in range(WEEKS):
            n = math.floor((w + 1) * rate + phase) - math.floor(w * rate + phase)
            weekly.extend([(w, buurt, theme)] * n)
    for w in range(WEEKS - RISE["weeks"], WEEKS):
        weekly.extend([(w, RISE["buurt"], RISE["theme"])] * RISE["per_week"])
    weekly.sort()
    turn: Counter = Counter()
    out = []
    for i, (w, buurt, theme) in enumerate(weekly):
        monday = mondays[w]
        reporters = REPORTERS[theme]
        reporter = reporters[turn[theme] % len(reporters)]
        texts = TEXTS[theme]
        text = texts[turn[theme] % len(texts)] if i % 5 < 3 else ""
        out.append(Planned(
            week=f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}", monday=monday,
            theme=theme, buurt=buurt, reporter=reporter, severity=SEVERITIES[i % 7],
            sign=SIGNS[turn[theme] % len(SIGNS)] if theme == "undermining" else "",
            text=text, follow_up=_follow_up(WEEKS - 1 - w)))
        turn[theme] += 1
    return out


@contextmanager
def _at(day: dt.date):
    """Let the concerns app take ``day`` for today (in this thread only)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    with clock.frozen_at(moment):
        yield


def _people(acting_user) -> dict[str, object]:
    """The reporters and partners of the story by user name (created when missing)."""
    from .people import USERS

    User = get_user_model()
    orgs = {o.name: o for o in Organisation.objects.all()}
    wanted = {u.username for u in USERS} | {p[0] for p in PEOPLE}
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    for username, first_name, organisation, role in PEOPLE:
        user = users.get(username)
        if user is None:
            user = user_create(username=username, password=DEMO_PASSWORD,
                               first_name=first_name, last_name="Demo",
                               email=f"{username}@demostad.example", acting_user=acting_user)
            users[username] = user
        membership_grant(user=user, organisation=orgs[organisation], role=role,
                         acting_user=acting_user)
    return users


def _routes(bureau) -> None:
    from wijkbalans.concerns.routing import route_add

    gemeente = Area.objects.get(code=GEMEENTECODE)
    orgs = {o.name: o for o in Organisation.objects.filter(name__in={r[1] for r in ROUTES})}
    for theme, name in ROUTES:
        route_add(theme=theme, area=gemeente, organisation=orgs[name], acting_user=bureau)


def _existing() -> dict[tuple, list]:
    from wijkbalans.concerns.models import Concern

    found: dict[tuple, list] = {}
    reporters = {p[0] for p in PEOPLE} | {"professional"}
    for concern in (Concern.objects.filter(buurt__gemeentecode=GEMEENTECODE,
                                           reporter__username__in=reporters)
                    .select_related("buurt", "reporter").order_by("id")):
        key = (concern.week, concern.theme, concern.buurt.code, concern.reporter.username,
               concern.severity, concern.sign, concern.text)
        found.setdefault(key, []).append(concern)
    return found


def _submit(item: Planned, users, orgs_of) -> object:
    from wijkbalans.concerns.services import concern_submit

    reporter = users[item.reporter]
    with _at(min(item.monday + dt.timedelta(days=4), REFERENCE)):
        return concern_submit(acting_user=reporter, organisation=orgs_of[item.reporter],
                              theme=item.theme, week=item.week, severity=item.severity,
                              buurt_code=item.buurt, sign=item.sign, text=item.text)


def _follow(concern, item: Planned, users, n: int) -> None:
    from wijkbalans.concerns.models import STATUS_ORDER
    from wijkbalans.concerns.services import concern_followup

    for assignment in concern.assignments.select_related("organisation").order_by("id"):
        follower = FOLLOWERS.get(assignment.organisation.name)
        if follower is None or STATUS_ORDER[item.follow_up] <= STATUS_ORDER[assignment.status]:
            continue
        outcome = OUTCOMES[n % len(OUTCOMES)] if item.follow_up == "closed" else ""
        concern_followup(acting_user=users[follower], assignment=assignment,
                         status=item.follow_up, outcome=outcome)


@transaction.atomic
def demo_concerns_ensure(*, acting_user=None) -> int:
    """Record what is missing of Demostad's concerns story (see the module); returns the
    number of concerns recorded (0 when everything was there)."""
    from wijkbalans.concerns.publish import concerns_publish
    from wijkbalans.concerns.selectors import user_may_edit_routes

    missing = {name for _u, _f, name, _r in PEOPLE} - set(
        Organisation.objects.values_list("name", flat=True))
    if missing or not get_user_model().objects.filter(username="bureau").exists():
        raise RuntimeError("load Demostad's areas and people first (demo_people_ensure); "
                           f"missing: {', '.join(sorted(missing)) or 'the user bureau'}")
    users = _people(acting_user)
    editor = acting_user if acting_user is not None and user_may_edit_routes(
        user=acting_user) else users["bureau"]
    _routes(editor)
    orgs = {o.name: o for o in Organisation.objects.all()}
    orgs_of = {username: orgs[name] for username, name in REPORTING_FOR.items()}
    existing = _existing()
    created = 0
    for n, item in enumerate(plan()):
        matches = existing.get(item.key())
        if matches:
            concern = matches.pop(0)
        else:
            concern = _submit(item, users, orgs_of)
            created += 1
        _follow(concern, item, users, n)
    with _at(REFERENCE):
        concerns_publish(gemeenten=[GEMEENTECODE], acting_user=acting_user)
    return created
