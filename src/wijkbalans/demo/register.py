"""Demostad's programme register: programmes, interventions, partners, results and money.

Modelled on the Groningen letter (``../shared/seed/``): the NPLV programme for the northern
band with Preventie met Gezag, the Rijke Schooldag, the Basisbaan experiment, Kansrijk
Demostad, the breakthrough method for the 18-/18+ gap and an entrepreneurs' initiative;
the Regio Deal that preceded it; and the municipality's own housing programme. All of it
is fictitious: the names of real programmes, with invented partners, figures and money.

The money runs over a generation, 2022-2042: the state grant (SPUK) secures funds until
2032, the municipality and the housing corporation contribute structurally, and from 2033
on the programme counts on a structural state contribution that has been asked for and
not granted — the coverage gap that the coverage page shows.

Every row is written through the programme services, acting as the demo users of the
roles concerned (the programme bureau, a partner, the finance officer), so the audit log
reads as it would in use. Loading is idempotent: what exists (by code) is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from wijkbalans.accounts.models import Organisation
from wijkbalans.areas.models import Area

from .geography import PROGRAMME_SLUG

HORIZON = (2022, 2042)
GEMEENTE = "Gemeente Demostad"
SCHOOLS = "Stichting Openbaar Onderwijs Demostad"
HOUSING = "Woonstichting Demostad"
POLICE = "Politie eenheid Demostad"
CARE = "Zorggroep Demostad"
SOCIAL = "Sociaal Team Demostad-Noord"
BUSINESS = "Ondernemersvereniging Demostad"
DEBT = "Schuldhulp Demostad"
WORK = "Werkbedrijf Demostad"
JUSTICE = "Openbaar Ministerie Demostad"
STATE = "Rijksoverheid (BZK)"


@dataclass(frozen=True)
class Result:
    name: str
    kind: str                       # outcome | output
    unit: str = ""
    indicator_code: str = ""
    direction: str = "up"
    baseline: tuple[str, str] | None = None      # (period, value)
    targets: tuple[tuple[str, str], ...] = ()    # (period, value)
    # (period, value, organisation, final status): approved, submitted or returned
    updates: tuple[tuple[str, str, str, str], ...] = ()
    weight: str | None = None


@dataclass(frozen=True)
class Plan:
    code: str
    kind: str
    title: str
    owner: str
    parent: str | None = None
    description: str = ""
    status: str = "running"
    start: date | None = None
    end: date | None = None
    area_set: bool = True
    areas: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    partners: tuple[tuple[str, str], ...] = ()   # (organisation, role)
    evidence: tuple[str, str, str] = ("not_rated", "", "")
    weight: str | None = None
    public: bool = True
    results: tuple[Result, ...] = ()
    # (source code, first year, last year, amount per year)
    budget: tuple[tuple[str, int, int, str], ...] = ()


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    kind: str
    start_year: int
    end_year: int | None
    funder: str | None
    conditions: str
    secured: tuple[tuple[int, int, str], ...] = field(default=())  # (first, last, amount)


SOURCES: tuple[Source, ...] = (
    Source("nplv-spuk", "NPLV — specifieke uitkering (SPUK)", "state_grant", 2023, 2032, STATE,
           "Besteding in het NPLV-gebied; jaarlijkse verantwoording via SiSa; niet "
           "bestede middelen worden teruggevorderd.",
           ((2023, 2027, "2400000.00"), (2028, 2032, "1800000.00"))),
    Source("regio-deal", "Regio Deal Demostad-Noord", "regio_deal", 2019, 2023, STATE,
           "Cofinanciering door de gemeente van ten minste 50%.",
           ((2022, 2023, "900000.00"),)),
    Source("gemeente-wijkvernieuwing", "Gemeente Demostad — budget wijkvernieuwing",
           "municipal", 2022, None, None,
           "Jaarlijks vast te stellen in de begroting.",
           ((2022, 2026, "950000.00"), (2027, 2042, "700000.00"))),
    Source("woonstichting", "Bijdrage Woonstichting Demostad", "partner", 2022, 2030, None,
           "Prestatieafspraken 2022-2030.",
           ((2022, 2030, "350000.00"),)),
    Source("rijk-structureel", "Structurele rijksbijdrage (gevraagd, niet toegekend)",
           "state_grant", 2033, 2042, STATE,
           "Gevraagd bij het Rijk voor een generatie; nog niet toegekend.", ()),
)


def _r(**kwargs) -> Result:
    return Result(**kwargs)


PLANS: tuple[Plan, ...] = (
    Plan("nplv-noord", "programme", "NPLV Demostad-Noord", GEMEENTE,
         description="Het Nationaal Programma Leefbaarheid en Veiligheid in de noordelijke "
         "buurten: een generatie lang werken aan bestaanszekerheid, kansen voor kinderen, "
         "veiligheid en wonen.",
         start=date(2022, 1, 1), end=date(2042, 12, 31),
         themes=("work_income", "poverty", "education", "safety", "housing", "health"),
         partners=((STATE, "funding"), (GEMEENTE, "accountable"))),
    Plan("veilig-opgroeien", "action_line", "Veilig opgroeien", GEMEENTE, "nplv-noord",
         "Jongeren weghouden uit de criminaliteit en de overgang naar volwassenheid "
         "begeleiden.", start=date(2023, 1, 1), end=date(2042, 12, 31),
         themes=("safety",), weight="1"),
    Plan("preventie-met-gezag", "intervention", "Preventie met Gezag", GEMEENTE,
         "veilig-opgroeien",
         "Gerichte aanpak om te voorkomen dat jongeren doorgroeien in de criminaliteit: "
         "jongerenwerk, school, politie en justitie samen.",
         start=date(2023, 3, 1), end=date(2032, 12, 31), themes=("safety",),
         partners=((POLICE, "implementing"), (JUSTICE, "implementing"),
                   (SOCIAL, "implementing")),
         results=(
             _r(name="Jongeren in een traject", kind="output", unit="jongeren",
                baseline=("2023", "0"), targets=(("2024", "60"), ("2025", "90")),
                updates=(("2024", "54", SOCIAL, "approved"),)),
             _r(name="Jonge verdachten per 1.000", kind="outcome",
                indicator_code="jonge_verdachten_per_1000", direction="down",
                baseline=("2022", "21.0"), targets=(("2030", "14.0"),)),
         ),
         budget=(("nplv-spuk", 2023, 2032, "450000.00"),
                 ("rijk-structureel", 2033, 2042, "450000.00"))),
    Plan("doorbraak-18", "intervention", "Doorbraakmethode 18-/18+", GEMEENTE,
         "veilig-opgroeien",
         "Jongeren die na hun achttiende tussen jeugdzorg en volwassenenzorg vallen, krijgen "
         "één regisseur en ruimte om van regels af te wijken.",
         start=date(2024, 1, 1), end=date(2028, 12, 31), themes=("health", "poverty"),
         partners=((CARE, "implementing"), (SOCIAL, "implementing")),
         evidence=("goed_beschreven", "movisie", ""),
         results=(
             _r(name="Jongeren met één regisseur", kind="output", unit="jongeren",
                baseline=("2023", "0"), targets=(("2024", "25"), ("2025", "40")),
                updates=(("2024", "19", SOCIAL, "approved"),
                         ("2025", "33", SOCIAL, "submitted"))),
         ),
         budget=(("nplv-spuk", 2024, 2028, "180000.00"),)),
    Plan("kansrijk-opgroeien", "action_line", "Kansrijk opgroeien en leren", GEMEENTE,
         "nplv-noord", "Kinderen krijgen dezelfde kansen als elders in de stad.",
         start=date(2022, 1, 1), end=date(2042, 12, 31), themes=("education",), weight="2"),
    Plan("rijke-schooldag", "intervention", "Rijke Schooldag", SCHOOLS, "kansrijk-opgroeien",
         "Een verlengde schooldag met sport, cultuur en huiswerkbegeleiding op de "
         "basisscholen in de programmabuurten.",
         start=date(2023, 8, 1), end=date(2042, 7, 31), themes=("education",),
         partners=((GEMEENTE, "funding"), (SCHOOLS, "implementing")),
         evidence=("goed_onderbouwd", "nji", ""),
         results=(
             _r(name="Leerlingen bereikt", kind="output", unit="leerlingen",
                baseline=("2023", "0"), targets=(("2024", "400"), ("2025", "650")),
                updates=(("2024", "412", SCHOOLS, "approved"),)),
             _r(name="Onderwijsachterstand (%)", kind="outcome",
                indicator_code="onderwijsachterstand_pct", direction="down",
                baseline=("2022", "15.0"), targets=(("2030", "11.0"),)),
         ),
         budget=(("nplv-spuk", 2023, 2032, "600000.00"),
                 ("gemeente-wijkvernieuwing", 2023, 2042, "150000.00"),
                 ("rijk-structureel", 2033, 2042, "600000.00"))),
    Plan("kansrijk-demostad", "intervention", "Kansrijk Demostad", GEMEENTE,
         "kansrijk-opgroeien",
         "Gezinnen met jonge kinderen krijgen vanaf de zwangerschap steun van één vast "
         "team; uitgerold van Noorderkwartier naar de hele programmabuurt.",
         start=date(2022, 1, 1), end=date(2034, 12, 31), themes=("education", "health"),
         partners=((CARE, "implementing"), (SOCIAL, "implementing")),
         evidence=("effectief_eerste", "nji", ""),
         results=(
             _r(name="Gezinnen ondersteund", kind="output", unit="gezinnen",
                baseline=("2022", "40"), targets=(("2024", "150"), ("2026", "250")),
                updates=(("2024", "131", CARE, "approved"),)),
         ),
         budget=(("regio-deal", 2022, 2023, "300000.00"),
                 ("nplv-spuk", 2024, 2032, "320000.00"))),
    Plan("werk-bestaanszekerheid", "action_line", "Werk en bestaanszekerheid", GEMEENTE,
         "nplv-noord", "Meer bewoners aan het werk en minder gezinnen in de schulden.",
         start=date(2022, 1, 1), end=date(2042, 12, 31), themes=("work_income", "poverty"),
         weight="2"),
    Plan("basisbaan", "intervention", "Basisbaan", GEMEENTE, "werk-bestaanszekerheid",
         "Experiment: bewoners die al lang geen werk hebben, krijgen een baan met een "
         "cao-loon in de wijk (onderhoud, zorg, buurtkamers).",
         start=date(2022, 9, 1), end=date(2029, 12, 31), themes=("work_income",),
         partners=((WORK, "implementing"), (HOUSING, "implementing")),
         results=(
             _r(name="Deelnemers met een basisbaan", kind="output", unit="personen",
                baseline=("2022", "0"), targets=(("2023", "40"), ("2024", "80"),
                                                 ("2025", "120")),
                updates=(("2023", "35", HOUSING, "approved"),
                         ("2024", "71", HOUSING, "approved"),
                         ("2025", "96", HOUSING, "returned"))),
             _r(name="Werkzame beroepsbevolking (%)", kind="outcome",
                indicator_code="werkzaam_pct", baseline=("2019", "58.0"),
                targets=(("2030", "64.0"),), weight="2"),
         ),
         budget=(("regio-deal", 2022, 2023, "450000.00"),
                 ("nplv-spuk", 2024, 2029, "700000.00"),
                 ("woonstichting", 2022, 2029, "100000.00"))),
    Plan("schulden-vroeg", "intervention", "Vroeg eropaf bij schulden", DEBT,
         "werk-bestaanszekerheid",
         "Huisbezoek binnen twee weken na een signaal van een betalingsachterstand.",
         start=date(2022, 1, 1), end=date(2042, 12, 31), themes=("poverty",),
         partners=((HOUSING, "implementing"), (GEMEENTE, "funding")),
         evidence=("goed_onderbouwd", "movisie", ""),
         results=(
             _r(name="Huishoudens bereikt", kind="output", unit="huishoudens",
                baseline=("2022", "0"), targets=(("2024", "300"), ("2025", "350")),
                updates=(("2024", "322", DEBT, "approved"),)),
         ),
         budget=(("gemeente-wijkvernieuwing", 2022, 2042, "250000.00"),)),
    Plan("ondernemers-initiatief", "intervention",
         "Initiatief Samenwerkende Ondernemers Noorderpoort", BUSINESS,
         "werk-bestaanszekerheid",
         "Ondernemers rond het winkelcentrum bieden stages en werk aan jongeren uit de buurt "
         "en houden samen het centrum schoon en veilig.",
         start=date(2024, 1, 1), end=date(2027, 12, 31), themes=("work_income", "safety"),
         area_set=False, areas=("BU99990100", "BU99990101"),
         partners=((BUSINESS, "implementing"), (POLICE, "implementing")),
         budget=(("nplv-spuk", 2024, 2027, "60000.00"),)),
    Plan("regio-deal-noord", "programme", "Regio Deal Demostad-Noord", GEMEENTE,
         description="De voorloper van het NPLV (2019-2023): wijkaanpak in Noorderkwartier.",
         status="finished", start=date(2019, 1, 1), end=date(2023, 12, 31),
         area_set=False, areas=("WK999901",), themes=("work_income", "safety"),
         partners=((STATE, "funding"), (GEMEENTE, "accountable"))),
    Plan("wijkteams-noorderkwartier", "intervention", "Wijkteam Noorderkwartier op straat",
         GEMEENTE, "regio-deal-noord",
         "Wijkagenten en jongerenwerkers samen op straat in de avonduren.",
         status="finished", start=date(2020, 1, 1), end=date(2023, 12, 31),
         area_set=False, areas=("WK999901",), themes=("safety",),
         partners=((POLICE, "implementing"), (SOCIAL, "implementing")),
         budget=(("regio-deal", 2022, 2023, "150000.00"),)),
    Plan("wijkvernieuwing", "programme", "Wijkvernieuwing Demostad", GEMEENTE,
         description="Het gemeentelijke programma voor wonen en buitenruimte.",
         start=date(2022, 1, 1), end=None, area_set=False,
         areas=("BU99990200", "BU99990201", "BU99990700", "BU99990701"),
         themes=("housing", "physical"),
         partners=((HOUSING, "implementing"), (GEMEENTE, "accountable"))),
    Plan("woningverbetering-esdonk", "intervention", "Woningverbetering Esdonk en Molenwijk",
         HOUSING, "wijkvernieuwing",
         "Isolatie en renovatie van 600 corporatiewoningen, met bewoners die meebeslissen.",
         start=date(2023, 1, 1), end=date(2030, 12, 31), area_set=False,
         areas=("BU99990200", "BU99990201", "BU99990700", "BU99990701"),
         themes=("housing",),
         partners=((HOUSING, "implementing"), (GEMEENTE, "funding")),
         results=(
             _r(name="Woningen gerenoveerd", kind="output", unit="woningen",
                baseline=("2022", "0"), targets=(("2024", "150"), ("2026", "350"),
                                                 ("2030", "600")),
                updates=(("2024", "140", HOUSING, "approved"),)),
         ),
         budget=(("woonstichting", 2023, 2030, "250000.00"),
                 ("gemeente-wijkvernieuwing", 2023, 2030, "500000.00"))),
)

# Who acts for whom: the programme bureau edits the register, partners report results,
# the finance officer edits money. (user name, organisation) of the demo users.
BUREAU = "bureau"
FINANCE = "financien"
REPORTERS = {HOUSING: "partner", SCHOOLS: "school", SOCIAL: "sociaalteam",
             CARE: "zorggroep", DEBT: "schuldhulp"}


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _reporter(organisation: str):
    """The demo partner user who reports for ``organisation``."""
    return _user(REPORTERS[organisation])


@transaction.atomic
def demo_register_ensure() -> int:
    """Create the demo register where it is missing; returns how many activities were
    created (0 when it was there already)."""
    from wijkbalans.programmes.models import Activity, FundingSource

    if Activity.objects.filter(code=PLANS[0].code).exists():
        return 0
    from wijkbalans.programmes.services import money, register, results

    admin, bureau, finance = _user("beheer"), _user(BUREAU), _user(FINANCE)
    orgs = {o.name: o for o in Organisation.objects.all()}
    sources = {}
    for spec in SOURCES:
        source = FundingSource.objects.filter(code=spec.code).first() or \
            money.funding_source_save(
                acting_user=finance, code=spec.code, name=spec.name, kind=spec.kind,
                start_year=spec.start_year, end_year=spec.end_year,
                funder=orgs.get(spec.funder) if spec.funder else None,
                conditions=spec.conditions)
        sources[spec.code] = source
        for first, last, amount in spec.secured:
            for year in range(first, last + 1):
                money.funding_allocation_set(acting_user=finance, source=source, year=year,
                                             amount=Decimal(amount))
    known_areas = set(Area.objects.values_list("code", flat=True))
    activities = {}
    for plan in PLANS:
        owner = orgs[plan.owner]
        # Programme staff of the municipality own the register; where a partner owns an
        # intervention, the administrator records it on the partner's behalf.
        actor = bureau if owner.name == GEMEENTE else admin
        parent = activities.get(plan.parent)
        activity = register.activity_create(
            acting_user=actor, code=plan.code, kind=plan.kind, title=plan.title,
            owner=owner, parent=parent, description=plan.description, status=plan.status,
            start=plan.start, end=plan.end,
            area_codes=[c for c in plan.areas if c in known_areas],
            area_set_slugs=[PROGRAMME_SLUG] if plan.area_set else [],
            themes=list(plan.themes), evidence_level=plan.evidence[0],
            evidence_databank=plan.evidence[1], evidence_url=plan.evidence[2],
            weight=Decimal(plan.weight) if plan.weight else None, public=plan.public)
        activities[plan.code] = activity
        for organisation, role in plan.partners:
            register.activity_partner_add(acting_user=actor, activity=activity,
                                          organisation=orgs[organisation], role=role)
        for order, spec in enumerate(plan.results):
            _results(spec, order, activity, actor, bureau, admin, orgs, results)
        for code, first, last, amount in plan.budget:
            for year in range(first, last + 1):
                money.budget_line_create(acting_user=admin if owner.name != GEMEENTE
                                         else finance, activity=activity,
                                         source=sources[code], year=year,
                                         planned=Decimal(amount),
                                         committed=Decimal(amount) if year <= 2025
                                         else Decimal("0"),
                                         spent=Decimal(amount) if year <= 2024
                                         else Decimal("0"))
    return len(activities)


def _results(spec: Result, order, activity, actor, bureau, admin, orgs, results) -> None:
    result = results.result_indicator_save(
        acting_user=actor, activity=activity, kind=spec.kind, name=spec.name,
        indicator_code=spec.indicator_code, unit=spec.unit, direction=spec.direction,
        baseline_period=spec.baseline[0] if spec.baseline else "",
        baseline_value=Decimal(spec.baseline[1]) if spec.baseline else None,
        weight=Decimal(spec.weight) if spec.weight else None, order=order)
    periods = {}
    for period, target in spec.targets:
        periods[period] = results.result_period_save(acting_user=actor, result=result,
                                                     period=period, target=Decimal(target))
    reviewer = bureau if activity.owner.name == GEMEENTE else admin
    for period, value, organisation, status in spec.updates:
        if period not in periods:
            periods[period] = results.result_period_save(acting_user=actor, result=result,
                                                         period=period)
        update = results.result_update_create(
            acting_user=_reporter(organisation), period=periods[period],
            organisation=orgs[organisation], value=Decimal(value),
            narrative="Telling uit de eigen registratie van de partner.", submit=True)
        if status == "approved":
            results.result_update_approve(acting_user=reviewer, update=update)
        elif status == "returned":
            results.result_update_return(
                acting_user=reviewer, update=update,
                comment="Graag de telling per buurt toevoegen; het totaal wijkt af van "
                        "de kwartaalrapportage.")
