"""Residents taking part in Demostad: postcodes, residents, consultations, proposals and
neighbourhood budget rounds, with what became of them ("you said, we did").

Everything is written through the participation services, acting as the demo users
(``bureau`` is programme staff of the municipality: moderator, and runs the rounds of
``nplv-noord``), so the audit log reads as it would in use. What :func:`demo_participation_ensure`
makes, with the default seed:

- **postcodes**: four synthetic PC6 postcodes per buurt, ``9991 AA`` … ``9998 ED`` (PC4
  ``9991`` + wijk number; letters from the buurt number and a serial), loaded as a CBS
  "postcode-huisnummer" file through :func:`~wijkbalans.participation.postcodes.postcodes_load`.
  The last postcode of the first buurt of each wijk spans two buurten: a third of its
  addresses lies in the next buurt (in Centrum: in Noorderpoort, across the wijk border);
- **residents**: ``bewoner`` (a postcode in Vogelbuurt) and ``bewoner-001`` …
  ``bewoner-030`` (password "demo"), verified, spread over the programme area;
- **consultations**: a closed one from 2023 with comments and an official answer, whose
  outcome is the activity ``ondernemers-initiatief``; the open "Plan voor het
  winkelcentrum Noorderpoort" with comments, an answer and one hidden comment;
- **proposals**: one over the support threshold, one that became a project of the 2025
  round and was adopted, one rejected with a reason, one collecting support;
- **budget rounds** of Demostad-Noord: the 2025 round (€ 40.000, 28 ballots), closed, whose
  four winners are interventions under ``nplv-noord`` with budget lines on
  ``gemeente-wijkvernieuwing`` in 2025; and the open round (€ 50.000, six projects, 25
  ballots). ``bewoner`` voted in 2025 and has not voted yet in the open round.

**Dates.** The story runs up to a fixed reference date, :data:`REFERENCE` (28 November
2026), so that every load writes the same rows whatever the day. Past events are replayed
at their own moment: the participation services read the time from
:mod:`wijkbalans.core.clock`, which :func:`_at` fixes for the length of one call (in this
thread only). So the
checks of voting and comment periods, the outcomes' publication dates, the moderation and
the close of the 2025 round follow the story; the rows' creation stamps (``created_at``,
set by the database) and the audit log keep the real time. The open
consultation and the open round run from ``REFERENCE - 30 days`` to ``REFERENCE + 365
days``: shown between 29 October 2026 and 28 November 2027 they read as open, before or
after that as upcoming or closed; the rows are the same.

Idempotent: each item is looked for by its title (residents by user name) and made only
when missing; the postcode table is loaded only when it differs.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.accounts.services import user_create
from wijkbalans.areas.models import Area
from wijkbalans.core import clock
from wijkbalans.programmes.models import FundingSource
from wijkbalans.programmes.selectors import activity_get

from .geography import BUURTEN_PER_WIJK, CLASSIFICATION_YEAR, GEMEENTECODE, PROGRAMME_SLUG
from .people import DEMO_PASSWORD

TZ = ZoneInfo("Europe/Amsterdam")
REFERENCE = dt.datetime(2026, 11, 28, 12, 0, tzinfo=TZ)
OPEN_FROM, OPEN_UNTIL = REFERENCE - dt.timedelta(days=30), REFERENCE + dt.timedelta(days=365)
RESIDENTS = 30
RESIDENT_USERNAMES = tuple(f"bewoner-{n:03d}" for n in range(1, RESIDENTS + 1))
POSTCODES_PER_BUURT = 4
NOORDERPOORT, VOGELBUURT, ESDONK_NOORD = "BU99990100", "BU99990101", "BU99990200"
NOORDERKWARTIER = "WK999901"
PROGRAMME, SOURCE, BUSINESS_ACTIVITY = "nplv-noord", "gemeente-wijkvernieuwing", \
    "ondernemers-initiatief"


def _day(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


@contextmanager
def _at(moment: dt.datetime):
    """Let the participation services act at ``moment`` (in this thread only)."""
    with clock.frozen_at(moment):
        yield


# -- postcodes --------------------------------------------------------------------------

def _buurtcodes() -> list[str]:
    return [f"BU{GEMEENTECODE[2:]}{w:02d}{b:02d}"
            for w, n in enumerate(BUURTEN_PER_WIJK) for b in range(n)]


def demo_postcode(buurtcode: str, serial: int) -> str:
    """The ``serial``-th (0-3) synthetic postcode of a buurt: ``BU99990101``, 0 -> 9992BA."""
    wijk, buurt = int(buurtcode[6:8]), int(buurtcode[8:10])
    return f"{9991 + wijk}{'ABCDEF'[buurt]}{'ABCD'[serial]}"


def demo_addresses() -> list[tuple[str, int, str]]:
    """(postcode, house number, buurtcode) of every synthetic address."""
    rows = []
    for code in _buurtcodes():
        wijk, buurt = int(code[6:8]), int(code[8:10])
        for serial in range(POSTCODES_PER_BUURT):
            postcode = demo_postcode(code, serial)
            count = 12 + (7 * wijk + 5 * buurt + 3 * serial) % 15
            # The last postcode of a wijk's first buurt spans two buurten: its last third
            # lies in the next buurt (Centrum's: in Noorderpoort, across the wijk border).
            spill = ("BU99990100" if wijk == 0 else f"{code[:8]}01") \
                if buurt == 0 and serial == POSTCODES_PER_BUURT - 1 else code
            for number in range(1, count + 1):
                rows.append((postcode, number, spill if number > 2 * count // 3 else code))
    return rows


def _postcodes_ensure(acting_user) -> int:
    from collections import Counter

    from wijkbalans.participation.models import AreaPostcode
    from wijkbalans.participation.postcodes import postcodes_load

    rows = demo_addresses()
    wanted = {(p, b, n) for (p, b), n in Counter((p, b) for p, _, b in rows).items()}
    stored = set(AreaPostcode.objects.filter(gemeentecode=GEMEENTECODE)
                 .values_list("postcode", "buurtcode", "addresses"))
    if stored == wanted:
        return 0
    year = CLASSIFICATION_YEAR
    lines = [f"PC6;Huisnummer;Buurt{year};Wijk{year};Gemeente{year}"]
    lines += [f"{p};{n};{b[2:]};{b[2:8]};{GEMEENTECODE[2:]}" for p, n, b in rows]
    with tempfile.TemporaryDirectory(prefix="demostad-pc6-") as tmp:
        path = Path(tmp) / f"pc6hnr{year}0801_gwb_demostad.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        postcodes_load(path, gemeenten=[GEMEENTECODE], acting_user=acting_user)
    return 1


# -- residents --------------------------------------------------------------------------

def _verified_profile(user, postcode: str, acting_user) -> None:
    """Make ``user`` a verified resident with ``postcode``. The identity services make
    new accounts only (registration, a national log-in); the demo's residents have known
    user names, so the profile is written here, audited as those services do (ids only,
    never the postcode)."""
    from wijkbalans.participation.models import ResidentProfile
    from wijkbalans.participation.postcodes import postcode_buurten

    buurt = Area.objects.filter(code=postcode_buurten(postcode)[0]).first()
    profile = ResidentProfile.objects.create(user=user, postcode=postcode, buurt=buurt,
                                             email_verified_at=REFERENCE - dt.timedelta(days=90))
    audit_record(acting_user=acting_user, action="participation.resident.register_verified",
                 obj=profile, object_repr=f"resident {user.pk}",
                 after=snapshot(profile, exclude=("postcode", "buurt")))


def resident_homes(members: list[str]) -> dict[str, str]:
    """User name -> postcode: ``bewoner`` in Vogelbuurt; the others over the programme
    area's buurten in turn (and the buurten the stories need, with another seed)."""
    buurten = sorted(set(members) | {NOORDERPOORT, VOGELBUURT, ESDONK_NOORD})
    homes = {"bewoner": demo_postcode(VOGELBUURT, 1)}
    for n, username in enumerate(RESIDENT_USERNAMES):
        homes[username] = demo_postcode(buurten[n % len(buurten)],
                                        (n // len(buurten)) % POSTCODES_PER_BUURT)
    return homes


def _residents_ensure(homes: dict[str, str], acting_user) -> tuple[dict, int]:
    users = get_user_model().objects
    existing = {u.username: u for u in users.filter(username__in=homes)
                .select_related("resident_profile")}
    created, new = 0, []
    for username in RESIDENT_USERNAMES:
        if username not in existing:
            existing[username] = user_create(username=username, password=None,
                                             email=f"{username}@demostad.example",
                                             acting_user=acting_user)
            new.append(existing[username].pk)
    if new:
        # One hash of the public demo password for all of them: hashing it thirty times
        # would add some fifteen seconds to ``wijkbalans demo``.
        users.filter(pk__in=new).update(password=make_password(DEMO_PASSWORD))
    for username, postcode in homes.items():
        user = existing[username]
        if not hasattr(user, "resident_profile"):
            _verified_profile(user, postcode, acting_user)
            created += 1
    return existing, created


# -- the stories ------------------------------------------------------------------------

CLOSED_TITLE = "Werk en stages bij de winkels van de Noorderpoort"
CLOSED_COMMENTS = (
    "Goed plan. Mijn zoon zoekt al lang een stageplek dicht bij huis.",
    "Graag ook plekken voor jongeren die nog geen diploma hebben.",
    "Het plein bij de supermarkt is 's avonds donker. Meer licht zou helpen.",
    "Wie betaalt dit? Ik wil niet dat de huur van de winkels omhoog gaat.",
)
OPEN_TITLE = "Plan voor het winkelcentrum Noorderpoort"
OPEN_COMMENTS = (
    "Eindelijk! Bankjes in de schaduw zijn fijn voor ouderen.",
    "Een overdekte fietsenstalling graag dicht bij de bushalte.",
    "Kan de buurtkamer ook 's avonds open? Dan kunnen jongeren er terecht.",
    "Let op dat de markt op zaterdag blijft.",
    "Meer bomen is goed, maar wie ruimt de bladeren op?",
)


def _comment(resident, moment, text, **subject):
    from wijkbalans.participation.services.comments import comment_create

    with _at(moment):
        return comment_create(acting_user=resident, text=text, **subject)


def _closed_consultation(bureau, people) -> None:
    from wijkbalans.participation.services import consultations, outcomes

    with _at(_day(2023, 8, 28)):
        consultation = consultations.consultation_create(
            acting_user=bureau, title=CLOSED_TITLE, area_code=NOORDERKWARTIER, publish=True,
            opens=_day(2023, 9, 4, 9), closes=_day(2023, 10, 16, 0),
            text="Ondernemers rond winkelcentrum Noorderpoort willen jongeren uit de buurt "
                 "een stage of een baan geven. Ze willen ook samen zorgen dat het centrum "
                 "schoon en veilig is. Wat vindt u daarvan? Wat is voor u belangrijk?")
    for n, text in enumerate(CLOSED_COMMENTS):
        _comment(people[n], _day(2023, 9, 6 + 3 * n), text, consultation=consultation)
    _comment(bureau, _day(2023, 10, 2), "Dank voor de reacties. De ondernemers betalen "
             "de stages zelf; de begeleiding betaalt de gemeente uit het NPLV. Over de "
             "verlichting van het plein praten we met de ondernemers.",
             consultation=consultation)
    with _at(_day(2023, 11, 20)):
        outcomes.outcome_publish(
            acting_user=bureau, consultation=consultation, status="adopted",
            activity=activity_get(user=bureau, code=BUSINESS_ACTIVITY),
            text="Het Initiatief Samenwerkende Ondernemers Noorderpoort start op 1 januari "
                 "2024: stages en werk voor jongeren uit de buurt, en samen een schoon en "
                 "veilig centrum. Uw tip over licht op het plein is meegenomen.")


def _open_consultation(bureau, people) -> None:
    from wijkbalans.participation.services import consultations, moderation

    with _at(OPEN_FROM - dt.timedelta(days=5)):
        consultation = consultations.consultation_create(
            acting_user=bureau, title=OPEN_TITLE, area_code=NOORDERPOORT, publish=True,
            opens=OPEN_FROM, closes=OPEN_UNTIL,
            activity=activity_get(user=bureau, code=BUSINESS_ACTIVITY),
            text="De gemeente en de ondernemers willen winkelcentrum Noorderpoort opknappen: "
                 "een plein met bomen en bankjes, betere verlichting, een overdekte "
                 "fietsenstalling en een buurtkamer boven de bibliotheek. Wat vindt u van "
                 "dit plan? Mist u iets?")
    for n, text in enumerate(OPEN_COMMENTS):
        _comment(people[n + 4], OPEN_FROM + dt.timedelta(days=2 + 4 * n), text,
                 consultation=consultation)
    rude = _comment(people[9], OPEN_FROM + dt.timedelta(days=20), "De eigenaar van de "
                    "snackbar verkoopt drugs, iedereen weet het.", consultation=consultation)
    _comment(bureau, OPEN_FROM + dt.timedelta(days=22), "Dank voor uw reacties. De "
             "fietsenstalling komt aan de kant van de bushalte. Over de openingstijden van "
             "de buurtkamer beslissen we samen met de bewoners.", consultation=consultation)
    with _at(OPEN_FROM + dt.timedelta(days=21)):
        moderation.moderation_hide(
            acting_user=bureau, item=rude,
            reason="Deze reactie beschuldigt iemand zonder bewijs. Dat staan de spelregels "
                   "niet toe. Heeft u zorgen over veiligheid? Bel de wijkagent.")


PROPOSALS = {
    "threshold": ("Een buurtkamer in elke wijk van Demostad-Noord",
                  "Een plek waar je zonder afspraak koffie drinkt, hulp krijgt bij "
                  "formulieren en buren leert kennen. Open op werkdagen, gerund door "
                  "vrijwilligers met steun van het sociaal team."),
    "adopted": ("Bankjes en groen op het Vogelplein",
                "Het Vogelplein is nu alleen stenen. Zet er bankjes, bomen en plantenbakken "
                "neer, zodat ouderen en ouders met kinderen er kunnen zitten."),
    "rejected": ("Gratis parkeren bij het winkelcentrum",
                 "Parkeren bij de Noorderpoort kost geld. Maak het gratis, dan komen er "
                 "meer klanten."),
    "open": ("Moestuin bij de Esdonkschool",
             "Op het grasveld naast de school kan een moestuin voor kinderen en buren. "
             "De school wil meedoen."),
}
REJECTION = ("Gratis parkeren trekt meer autoverkeer het winkelcentrum in, terwijl "
             "bewoners in de raadpleging om een veilig plein vroegen. De ondernemers "
             "geven wel een uur gratis parkeren bij een aankoop.")


def _proposals(bureau, residents, homes, lives_in_set) -> dict:
    from wijkbalans.participation.services import outcomes, proposals

    def living_in(buurt):
        return [residents[u] for u in RESIDENT_USERNAMES
                if homes[u].startswith(demo_postcode(buurt, 0)[:5])]

    made = {}
    starter = next(r for r in lives_in_set if r != residents["bewoner"])
    plans = (("threshold", starter, {"area_set_slug": PROGRAMME_SLUG},
              REFERENCE - dt.timedelta(days=60)),
             ("adopted", residents["bewoner"], {"area_code": VOGELBUURT}, _day(2025, 3, 10)),
             ("rejected", (living_in(NOORDERPOORT) or [residents["bewoner"]])[0],
              {"area_code": NOORDERPOORT}, REFERENCE - dt.timedelta(days=75)),
             ("open", (living_in(ESDONK_NOORD) or [residents["bewoner"]])[0],
              {"area_code": ESDONK_NOORD}, REFERENCE - dt.timedelta(days=12)))
    for key, author, place, moment in plans:
        title, text = PROPOSALS[key]
        with _at(moment):
            made[key] = proposals.proposal_submit(acting_user=author, title=title,
                                                  text=text, **place)
    supporters = {"threshold": [r for r in lives_in_set if r not in (starter,
                                                                      residents["bewoner"])],
                  "adopted": living_in(VOGELBUURT)[:3],
                  "rejected": living_in(NOORDERPOORT)[1:3],
                  "open": living_in(ESDONK_NOORD)[1:4]}
    supporters["threshold"] = supporters["threshold"][:made["threshold"].support_threshold]
    for key, people in supporters.items():
        for n, resident in enumerate(people):
            with _at(_support_moment(key, n)):
                proposals.proposal_support(acting_user=resident, proposal=made[key])
    with _at(REFERENCE - dt.timedelta(days=40)):
        proposals.proposal_review_start(acting_user=bureau, proposal=made["rejected"])
    with _at(REFERENCE - dt.timedelta(days=20)):
        outcomes.outcome_publish(acting_user=bureau, proposal=made["rejected"],
                                 status="not_adopted", reason=REJECTION,
                                 text="Het voorstel is besproken met de ondernemers.")
    return made


def _support_moment(key: str, n: int) -> dt.datetime:
    start = {"threshold": REFERENCE - dt.timedelta(days=59), "adopted": _day(2025, 3, 11),
             "rejected": REFERENCE - dt.timedelta(days=74),
             "open": REFERENCE - dt.timedelta(days=10)}[key]
    return start + dt.timedelta(hours=5 * n)


# -- budget rounds ----------------------------------------------------------------------

ROUND_2025 = {
    "title": "Wijkbudget Demostad-Noord 2025", "total": "40000", "year": 2025,
    "created": _day(2025, 4, 14), "opens": _day(2025, 5, 1, 9), "closes": _day(2025, 6, 1, 0),
    "description": "Bewoners van Demostad-Noord kiezen samen waar € 40.000 naartoe gaat.",
    # (title, cost, description); the first came from a resident's proposal.
    "projects": (
        ("Bankjes en groen op het Vogelplein", "12000",
         "Bankjes, twee bomen en plantenbakken op het plein."),
        ("Speelplek voor peuters in Hofstede", "18000",
         "Een omheinde speelplek met zand en water voor de kleinsten."),
        ("Buurtfeest Noorderkwartier", "4000", "Een dag met muziek, eten en spelletjes."),
        ("Overdekte fietsenstalling bij de Noorderpoort", "15000",
         "Plaats voor 60 fietsen, met licht en camera."),
        ("Taalcafé in de bibliotheek", "6000",
         "Elke week oefenen met Nederlands praten, met vrijwilligers."),
    ),
    # (project numbers chosen, how many ballots): within the budget, 28 ballots.
    "ballots": (((1, 2, 5), 9), ((1, 4), 6), ((2, 3), 5), ((1, 3, 5), 4), ((4, 5), 4)),
}
ROUND_OPEN = {
    "title": "Wijkbudget Demostad-Noord 2027", "total": "50000", "year": 2027,
    "created": OPEN_FROM - dt.timedelta(days=7), "opens": OPEN_FROM, "closes": OPEN_UNTIL,
    "description": "Kies de projecten die u belangrijk vindt. Samen mogen ze niet meer "
                   "kosten dan € 50.000. De projecten met de meeste stemmen gaan door.",
    "projects": (
        ("Groene schoolpleinen in Esdonk-Noord", "20000",
         "Tegels eruit, bomen en gras erin, bij twee basisscholen."),
        ("Jongerenwerkplaats Noorderkwartier", "15000",
         "Een werkplaats waar jongeren fietsen en scooters leren repareren."),
        ("Extra straatverlichting in Molenwijk", "12000",
         "Lantaarns op de donkere paden langs het water."),
        ("Moestuin achter de Korenbloem", "8000", "Bakken, gereedschap en een waterton."),
        ("Beweegroute voor ouderen", "10000", "Acht toestellen langs een rondje van 2 km."),
        ("Repaircafé Lindenhof", "3000", "Eén zaterdag per maand samen spullen maken."),
    ),
    "ballots": (((1, 2, 3), 8), ((1, 4, 5, 6), 6), ((2, 3, 4, 6), 5), ((5, 6), 3),
                ((2, 4), 3)),
}


def _round(bureau, plan: dict, voters: list, first_vote: dt.datetime, step: dt.timedelta,
           proposal=None):
    from wijkbalans.participation.services import ballots, budgets

    with _at(plan["created"]):
        budget_round = budgets.budget_round_create(
            acting_user=bureau, title=plan["title"], description=plan["description"],
            total_budget=plan["total"], opens=plan["opens"], closes=plan["closes"],
            year=plan["year"], programme=activity_get(user=bureau, code=PROGRAMME),
            source=FundingSource.objects.get(code=SOURCE), area_set_slug=PROGRAMME_SLUG)
        projects = [budgets.budget_project_add(
            acting_user=bureau, budget_round=budget_round, title=title, cost=Decimal(cost),
            description=description, proposal=proposal if n == 0 else None)
            for n, (title, cost, description) in enumerate(plan["projects"])]
        budget_round = budgets.budget_round_publish(acting_user=bureau,
                                                    budget_round=budget_round)
    choices = [numbers for numbers, count in plan["ballots"] for _ in range(count)]
    for n, (voter, numbers) in enumerate(zip(voters, choices, strict=False)):
        with _at(first_vote + n * step):
            ballots.ballot_cast(acting_user=voter, budget_round=budget_round,
                                project_ids=[projects[i - 1].pk for i in numbers])
    return budget_round


def _rounds(bureau, residents, in_set, adopted_proposal) -> int:
    from wijkbalans.participation.models import BudgetRound
    from wijkbalans.participation.services import budgets

    made = 0
    if not BudgetRound.objects.filter(title=ROUND_2025["title"]).exists():
        voters = ([residents["bewoner"]] if residents["bewoner"] in in_set else []) + [
            r for r in in_set if r != residents["bewoner"]]
        closed = _round(bureau, ROUND_2025, voters, _day(2025, 5, 1, 12),
                        dt.timedelta(hours=20), proposal=adopted_proposal)
        with _at(_day(2025, 6, 2)):
            budgets.budget_round_close(acting_user=bureau, budget_round=closed)
        made += 1
    if not BudgetRound.objects.filter(title=ROUND_OPEN["title"]).exists():
        # bewoner has not voted yet: the demo resident can try it.
        voters = [r for r in in_set if r != residents["bewoner"]]
        _round(bureau, ROUND_OPEN, voters, OPEN_FROM + dt.timedelta(hours=1),
               dt.timedelta(hours=25))
        made += 1
    return made


def home_buurt(postcode: str) -> str:
    """The buurt whose serial a synthetic postcode carries (``9992BB`` -> BU99990101)."""
    return f"BU{GEMEENTECODE[2:]}{int(postcode[:4]) - 9991:02d}{'ABCDEF'.index(postcode[4]):02d}"


@transaction.atomic
def demo_participation_ensure(*, acting_user=None) -> int:
    """Create what is missing of Demostad's participation (after the people and the
    register). Returns how many of these were made: the postcode table (1 when loaded),
    resident profiles, consultations, proposals and budget rounds; 0 when all was there."""
    from wijkbalans.areas.models import AreaSet
    from wijkbalans.participation.models import Consultation, Proposal

    made = _postcodes_ensure(acting_user)
    members = set(AreaSet.objects.get(slug=PROGRAMME_SLUG).members
                  .values_list("code", flat=True))
    homes = resident_homes(sorted(members))
    residents, profiles = _residents_ensure(homes, acting_user)
    made += profiles
    bureau = get_user_model().objects.get(username="bureau")
    people = [residents[u] for u in RESIDENT_USERNAMES]
    in_set = [residents[u] for u in ("bewoner", *RESIDENT_USERNAMES)
              if home_buurt(homes[u]) in members]
    if not Consultation.objects.filter(title=CLOSED_TITLE).exists():
        _closed_consultation(bureau, people)
        made += 1
    if not Consultation.objects.filter(title=OPEN_TITLE).exists():
        _open_consultation(bureau, people)
        made += 1
    if not Proposal.objects.filter(title=PROPOSALS["adopted"][0]).exists():
        made += len(_proposals(bureau, residents, homes, in_set))
    adopted = Proposal.objects.filter(title=PROPOSALS["adopted"][0]).first()
    made += _rounds(bureau, residents, in_set, adopted)
    return made
