"""The workbook's sheets and columns: one sheet per table, in a fixed order, each column
with its type and its help text in Dutch and English (the README sheet shows them).

A row is identified by its key columns (``Sheet.key``); rows refer to each other by
those keys (an activity's ``code``, an organisation's ``slug``, a source's ``code``), never
by database ids, so a workbook moves between databases. docs/programmes-spreadsheets.md
is the reference for users.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wijkbalans.accounts.models import Organisation
from wijkbalans.indicators.catalogue import THEMES
from wijkbalans.programmes.models import (
    Activity,
    ActivityPartner,
    FundingSource,
    ResultIndicator,
)

MAX_NARRATIVE = 10_000
MAX_LINKS = 50

# Cell types (see cells.py for how each is read and written).
TEXT = "text"
SLUG = "slug"
CHOICE = "choice"
INT = "int"
YEAR = "year"
AMOUNT = "amount"
QUANTITY = "quantity"
WEIGHT = "weight"
BOOL = "bool"
DATE = "date"
PERIOD = "period"
LIST = "list"
LINKS = "links"
URL = "url"

TYPE_HELP = {
    TEXT: ("tekst", "text"),
    SLUG: ("code: letters, cijfers, - en _", "code: letters, digits, - and _"),
    CHOICE: ("een van: {choices}", "one of: {choices}"),
    INT: ("geheel getal, 0 of meer", "whole number, 0 or more"),
    YEAR: ("jaartal van 1990 tot 2100, bijv. 2025", "year from 1990 to 2100, e.g. 2025"),
    AMOUNT: ("bedrag in euro, 0 of meer, hoogstens 2 decimalen",
             "amount in euros, 0 or more, at most 2 decimals"),
    QUANTITY: ("getal, hoogstens 4 decimalen", "number, at most 4 decimals"),
    WEIGHT: ("getal, 0 of meer, hoogstens 3 decimalen",
             "number, 0 or more, at most 3 decimals"),
    BOOL: ("WAAR of ONWAAR (ook ja/nee)", "TRUE or FALSE (also yes/no)"),
    DATE: ("datum (jjjj-mm-dd)", "date (yyyy-mm-dd)"),
    PERIOD: ("periode: jjjj of jjjj-Kn, bijv. 2025 of 2025-Q3",
             "period: yyyy or yyyy-Qn, e.g. 2025 or 2025-Q3"),
    LIST: ("lijst, gescheiden door komma's", "list, separated by commas"),
    LINKS: ("één link per regel: titel | https://... (of alleen het adres)",
            "one link per line: title | https://... (or the address alone)"),
    URL: ("webadres (https://...)", "web address (https://...)"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nl: str
    en: str
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    default: Any = None
    upper: bool = False  # list items are codes written in capitals (CBS area codes)

    def format_help(self) -> tuple[str, str]:
        nl, en = TYPE_HELP[self.type]
        shown = ", ".join(c for c in self.choices if c) if self.choices else ""
        if self.type == LIST and self.choices:
            nl, en = nl + f", uit: {shown}", en + f", of: {shown}"
        return nl.format(choices=shown), en.format(choices=shown)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    nl: str
    en: str

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name, type_, nl, en, **kw) -> Column:
    return Column(name=name, type=type_, nl=nl, en=en, **kw)


def _activity_ref(name="activity") -> Column:
    return _c(name, SLUG, "code van de activiteit (blad activities of al geregistreerd)",
              "code of the activity (sheet activities or already registered)",
              required=True, max_length=60)


def _result_ref() -> Column:
    return _c("result", TEXT, "naam van de resultaatindicator van die activiteit",
              "name of that activity's result indicator", required=True, max_length=200)


def _org_ref(name, required=True, nl="slug van de organisatie (blad organisations of al "
             "geregistreerd)", en="slug of the organisation (sheet organisations or "
             "already registered)") -> Column:
    return _c(name, SLUG, nl, en, required=required, max_length=80)


ORGANISATIONS = Sheet(
    "organisations",
    (
        _c("slug", SLUG, "vaste korte code van de organisatie", "stable short key of the "
           "organisation", required=True, max_length=80),
        _c("name", TEXT, "naam", "name", required=True, max_length=200),
        _c("kind", CHOICE, "soort organisatie", "kind of organisation", required=True,
           choices=tuple(Organisation.Kind.values)),
    ),
    key=("slug",),
    nl="Organisaties waarnaar de andere bladen verwijzen. Een onbekende slug wordt "
       "aangemaakt; een bestaande moet dezelfde naam en soort hebben.",
    en="Organisations the other sheets refer to. An unknown slug is created; an existing "
       "one must have the same name and kind.",
)

ACTIVITIES = Sheet(
    "activities",
    (
        _c("code", SLUG, "vaste korte code van de activiteit", "stable short key of the "
           "activity", required=True, max_length=60),
        _c("parent_code", SLUG, "code van de activiteit waar deze onder valt (leeg: bovenaan)",
           "code of the activity this one is part of (empty: top level)", max_length=60),
        _c("kind", CHOICE, "programma, actielijn of interventie",
           "programme, action line or intervention", required=True,
           choices=tuple(Activity.Kind.values)),
        _c("title", TEXT, "titel", "title", required=True, max_length=200),
        _c("description", TEXT, "beschrijving", "description"),
        _org_ref("owner", nl="slug van de eigenaar (organisatie)",
                 en="slug of the owner organisation"),
        _c("status", CHOICE, "stand van zaken (leeg: planned)", "status (empty: planned)",
           choices=tuple(Activity.Status.values), default=Activity.Status.PLANNED),
        _c("start", DATE, "begindatum", "start date"),
        _c("end", DATE, "einddatum (niet voor de begindatum)", "end date (not before the start)"),
        _c("areas", LIST, "CBS-codes van gebieden (buurt, wijk, gemeente)",
           "CBS codes of areas (buurt, wijk, gemeente)", upper=True),
        _c("area_sets", LIST, "slugs van gebiedssets", "slugs of area sets"),
        _c("themes", LIST, "thema's", "themes", choices=tuple(THEMES)),
        _c("links", LINKS, "links naar documenten", "links to documents"),
        _c("evidence_level", CHOICE, "erkenningsniveau (leeg: not_rated)",
           "evidence level (empty: not_rated)", choices=tuple(Activity.Evidence.values),
           default=Activity.Evidence.NOT_RATED),
        _c("evidence_databank", CHOICE, "databank van de erkenning",
           "databank of the recognition", choices=tuple(Activity.Databank.values), default=""),
        _c("evidence_url", URL, "adres van de interventie in de databank",
           "address of the intervention in the databank", max_length=200),
        _c("weight", WEIGHT, "gewicht in de voortgang van de bovenliggende activiteit (leeg "
           "telt als 1)", "weight in the parent's progress (empty counts as 1)"),
        _c("public", BOOL, "openbaar zichtbaar (leeg: ONWAAR)", "shown publicly (empty: FALSE)",
           default=False),
    ),
    key=("code",),
    nl="Het register: programma's, actielijnen en interventies als één boom (parent_code).",
    en="The register: programmes, action lines and interventions as one tree (parent_code).",
)

PARTNERS = Sheet(
    "partners",
    (
        _activity_ref(),
        _org_ref("organisation"),
        _c("role", CHOICE, "rol van de organisatie", "role of the organisation",
           required=True, choices=tuple(ActivityPartner.Role.values)),
    ),
    key=("activity", "organisation", "role"),
    nl="Rollen van organisaties in activiteiten (IATI).",
    en="Roles of organisations in activities (IATI).",
)

RESULT_INDICATORS = Sheet(
    "result_indicators",
    (
        _activity_ref(),
        _c("name", TEXT, "naam van de indicator (uniek per activiteit)",
           "name of the indicator (unique per activity)", required=True, max_length=200),
        _c("kind", CHOICE, "outcome (uit het register) of output (eigen)",
           "outcome (from the registry) or output (own)", required=True,
           choices=tuple(ResultIndicator.Kind.values)),
        _c("indicator_code", TEXT, "code in het indicatorregister (verplicht bij outcome)",
           "code in the indicator registry (required for outcome)", max_length=120),
        _c("unit", TEXT, "eenheid", "unit", max_length=40),
        _c("direction", CHOICE, "up: hoger is beter, down: lager is beter (leeg: up)",
           "up: higher is better, down: lower is better (empty: up)",
           choices=tuple(ResultIndicator.Direction.values), default="up"),
        _c("baseline_period", PERIOD, "periode van de nulmeting", "baseline period"),
        _c("baseline_value", QUANTITY, "nulmeting", "baseline value"),
        _c("weight", WEIGHT, "gewicht in de voortgang (leeg telt als 1)",
           "weight in the progress (empty counts as 1)"),
        _c("order", INT, "volgorde (leeg: 0)", "order (empty: 0)", default=0),
    ),
    key=("activity", "name"),
    nl="Resultaatindicatoren van activiteiten.",
    en="Result indicators of activities.",
)

RESULT_PERIODS = Sheet(
    "result_periods",
    (
        _activity_ref(),
        _result_ref(),
        _c("period", PERIOD, "periode", "period", required=True),
        _c("target", QUANTITY, "streefwaarde", "target"),
        _c("actual", QUANTITY, "gerealiseerd: ter controle, moet gelijk zijn aan de "
           "goedgekeurde rapportage (blad result_updates); leeg als die er niet is",
           "actual: a check, must equal the approved update (sheet result_updates); "
           "empty when there is none"),
        _c("locked", BOOL, "vergrendeld (alleen met een gerealiseerde waarde; leeg: ONWAAR)",
           "locked (only with an actual; empty: FALSE)", default=False),
    ),
    key=("activity", "result", "period"),
    nl="Streefwaarden per periode.",
    en="Targets per period.",
)

RESULT_UPDATES = Sheet(
    "result_updates",
    (
        _activity_ref(),
        _result_ref(),
        _c("period", PERIOD, "periode (in blad result_periods of al geregistreerd)",
           "period (in sheet result_periods or already registered)", required=True),
        _org_ref("organisation", nl="slug van de rapporterende organisatie (eigenaar of "
                 "partner van de activiteit)", en="slug of the reporting organisation (owner "
                 "or partner of the activity)"),
        _c("value", QUANTITY, "gerealiseerde waarde", "actual value", required=True),
        _c("narrative", TEXT, "toelichting", "explanation", max_length=MAX_NARRATIVE),
        _c("review_comment", TEXT, "opmerking van het programmabureau",
           "comment of the programme bureau", max_length=MAX_NARRATIVE),
    ),
    key=("activity", "result", "period"),
    nl="De goedgekeurde rapportage per periode (hoogstens één); die bepaalt de "
       "gerealiseerde waarde. Concepten, ingediende en teruggestuurde rapportages en eerder "
       "goedgekeurde (vervangen) staan niet in het werkboek.",
    en="The approved update per period (at most one); it sets the actual. Draft, "
       "submitted and returned updates and earlier (superseded) approvals are not in the "
       "workbook.",
)

FUNDING_SOURCES = Sheet(
    "funding_sources",
    (
        _c("code", SLUG, "vaste korte code van de bron", "stable short key of the source",
           required=True, max_length=60),
        _c("name", TEXT, "naam", "name", required=True, max_length=200),
        _c("kind", CHOICE, "soort bron", "kind of source", required=True,
           choices=tuple(FundingSource.Kind.values)),
        _org_ref("funder", required=False, nl="slug van de financier (organisatie)",
                 en="slug of the funder (organisation)"),
        _c("conditions", TEXT, "voorwaarden", "conditions"),
        _c("start_year", YEAR, "eerste jaar", "first year", required=True),
        _c("end_year", YEAR, "laatste jaar (leeg: structureel)",
           "last year (empty: structural)"),
    ),
    key=("code",),
    nl="Financieringsbronnen.",
    en="Funding sources.",
)

ALLOCATIONS = Sheet(
    "allocations",
    (
        _c("source", SLUG, "code van de bron", "code of the source", required=True,
           max_length=60),
        _c("year", YEAR, "jaar (binnen de jaren van de bron)",
           "year (within the source's years)", required=True),
        _c("amount", AMOUNT, "toegezegd bedrag", "secured amount", required=True),
    ),
    key=("source", "year"),
    nl="Wat een bron per jaar toezegt (gedekt).",
    en="What a source secures per year.",
)

BUDGET_LINES = Sheet(
    "budget_lines",
    (
        _activity_ref(),
        _c("source", SLUG, "code van de bron", "code of the source", required=True,
           max_length=60),
        _c("year", YEAR, "jaar (binnen de jaren van de bron)",
           "year (within the source's years)", required=True),
        _c("planned", AMOUNT, "begroot (behoefte)", "planned (need)", required=True),
        _c("committed", AMOUNT, "verplicht (leeg: 0)", "committed (empty: 0)",
           default=Decimal("0.00")),
        _c("spent", AMOUNT, "besteed (leeg: 0)", "spent (empty: 0)", default=Decimal("0.00")),
        _c("note", TEXT, "opmerking", "note", max_length=300),
    ),
    key=("activity", "source", "year"),
    nl="Begroting per activiteit, jaar en bron.",
    en="Budget per activity, year and source.",
)

SHEETS: tuple[Sheet, ...] = (ORGANISATIONS, ACTIVITIES, PARTNERS, RESULT_INDICATORS,
                             RESULT_PERIODS, RESULT_UPDATES, FUNDING_SOURCES, ALLOCATIONS,
                             BUDGET_LINES)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
README = "README"
README_HEADERS = ["sheet", "column", "required", "format_nl", "format_en", "nl", "en"]


def readme_rows() -> list[list[Any]]:
    """The README sheet: what each sheet and column holds, in Dutch and English."""
    rows: list[list[Any]] = [README_HEADERS]
    for sheet in SHEETS:
        rows.append([sheet.name, None, None, None, None, sheet.nl, sheet.en])
        for column in sheet.columns:
            fmt_nl, fmt_en = column.format_help()
            rows.append([sheet.name, column.name, "ja / yes" if column.required else None,
                         fmt_nl, fmt_en, column.nl, column.en])
    return rows
