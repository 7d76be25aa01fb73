"""Reads of the knowledge library for professionals: the intervention catalogue (shared
with the programme register), the guides per theme and who to call per theme and area
(from the routing table). Searchable with plain words and filterable by theme.

A search matches when every word of the query occurs in an item, ignoring case and
accents (``eenzaamheid`` finds ``Eenzaamheid``, ``een`` finds ``Eén``).

>>> matches("Rijke Schooldag: sport en cultuur", words("SPORT school"))
True
>>> matches("Één tegen eenzaamheid", words("een eenzaam"))
True
>>> matches("Rijke Schooldag", words("sport"))
False
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects

from wijkbalans.accounts.models import Membership, Role
from wijkbalans.areas import codes
from wijkbalans.areas.models import Area

from . import routing, selectors
from .guides import Guide, guides_for
from .models import Theme

ALLIANCE_ROLES = frozenset(r.value for r in Role if r != Role.RESIDENT)

#: The indicator catalogue's themes (which the programme register uses) that belong to
#: each theme of a concern, to filter the intervention catalogue.
CATALOGUE_THEMES = {
    Theme.UNDERMINING: frozenset({"safety"}),
    Theme.POVERTY_DEBTS: frozenset({"poverty", "work_income"}),
    Theme.PSYCHOLOGICAL: frozenset({"health"}),
    Theme.LONELINESS: frozenset({"social", "health"}),
    Theme.HOUSING: frozenset({"housing", "physical"}),
    Theme.YOUTH: frozenset({"education", "safety"}),
    Theme.OTHER: frozenset({"other", "liveability", "physical", "social"}),
}
# Strongest evidence first.
EVIDENCE_ORDER = ("effectief_sterke", "effectief_goede", "effectief_eerste", "goed_onderbouwd",
                  "goed_beschreven", "not_rated")
IMPLEMENTING = "implementing"


def user_may_read_knowledge(*, user) -> bool:
    """Members of the Local Alliance (any role but resident) and superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    cached = getattr(user, "_concerns_alliance", None)
    if cached is None:
        cached = Membership.objects.filter(user=user, role__in=ALLIANCE_ROLES).exists()
        user._concerns_alliance = cached
    return cached


# -- searching ---------------------------------------------------------------------------

def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(query: str) -> list[str]:
    """The words of a query, folded (lower case, no accents); at most 10."""
    return _fold(query).split()[:10]


def matches(text: str, terms: list[str]) -> bool:
    folded = _fold(text)
    return all(term in folded for term in terms)


# -- municipalities ----------------------------------------------------------------------

def concern_gemeenten() -> list[tuple[str, str]]:
    """``(code, name)`` of the gemeenten where concerns are routed or were recorded, by
    name; when there are none, every gemeente in the area registry."""
    found = {r.area.gemeentecode or r.area.code for r in routing.route_list()}
    found |= set(selectors.gemeenten_with_concerns())
    qs = Area.objects.filter(level=codes.GEMEENTE)
    if found:
        qs = qs.filter(code__in=found)
    return list(qs.order_by("name", "code").values_list("code", "name"))


# -- the intervention catalogue ----------------------------------------------------------

@dataclass
class Intervention:
    activity: object
    runners: list[str] = field(default_factory=list)  # owner first, then implementers
    themes: list[str] = field(default_factory=list)  # concern themes it serves


def concern_themes_of(catalogue_themes) -> list[str]:
    """The concern themes whose catalogue themes overlap ``catalogue_themes``."""
    given = set(catalogue_themes or ())
    return [t for t in Theme.values if CATALOGUE_THEMES[t] & given]


def interventions(*, user, theme: str | None = None, q: str = "") -> list[Intervention]:
    """The interventions of the programme register that ``user`` may read, strongest
    evidence first, with who runs them; ``theme`` (a concern theme) and ``q`` filter."""
    from wijkbalans.programmes.selectors import activity_tree

    rows = [a for a, _depth in activity_tree(user=user) if a.kind == "intervention"]
    prefetch_related_objects(rows, "partners__organisation")
    terms = words(q)
    out = []
    for activity in rows:
        themes = concern_themes_of(activity.themes)
        if theme and theme not in themes:
            continue
        runners = [activity.owner.name] + sorted(
            {p.organisation.name for p in activity.partners.all()
             if p.role == IMPLEMENTING} - {activity.owner.name})
        text = " ".join([activity.title, activity.description, *runners,
                         str(activity.get_evidence_level_display()),
                         str(activity.get_evidence_databank_display())])
        if terms and not matches(text, terms):
            continue
        out.append(Intervention(activity=activity, runners=runners, themes=themes))
    rank = {level: i for i, level in enumerate(EVIDENCE_ORDER)}
    out.sort(key=lambda i: (rank.get(i.activity.evidence_level, len(rank)),
                            i.activity.title.casefold()))
    return out


# -- guides ------------------------------------------------------------------------------

def guides(*, lang: str, theme: str | None = None, q: str = "") -> list[Guide]:
    terms = words(q)
    return [g for g in guides_for(lang)
            if (not theme or g.theme == theme) and (not terms or matches(g.words(), terms))]


# -- who to call: the routing table ------------------------------------------------------

@dataclass
class RouteArea:
    code: str
    name: str
    level: str
    organisations: list[str]


@dataclass
class ThemeContacts:
    theme: str
    label: str
    areas: list[RouteArea]


LEVEL_ORDER = {codes.GEMEENTE: 0, codes.WIJK: 1, codes.BUURT: 2}


def contacts(*, gemeente: str, theme: str | None = None, q: str = "") -> list[ThemeContacts]:
    """Per theme (in theme order), the areas of ``gemeente`` with routes and the partner
    organisations that receive its concerns there: the gemeente first, then wijken, then
    buurten (the most specific area wins; docs/concerns.md, "Routing")."""
    terms = words(q)
    labels = dict(Theme.choices)
    grouped: dict[str, dict[str, RouteArea]] = {}
    for route in routing.route_list(gemeente=gemeente):
        if theme and route.theme != theme:
            continue
        area = route.area
        entry = grouped.setdefault(route.theme, {}).setdefault(
            area.code, RouteArea(code=area.code, name=area.name, level=area.level,
                                 organisations=[]))
        entry.organisations.append(route.organisation.name)
    out = []
    for key in Theme.values:
        areas = sorted(grouped.get(key, {}).values(),
                       key=lambda a: (LEVEL_ORDER.get(a.level, 9), a.name))
        label = str(labels[key])
        if terms:
            areas = [a for a in areas
                     if matches(" ".join([label, a.name, *a.organisations]), terms)]
        if areas:
            out.append(ThemeContacts(theme=key, label=label, areas=areas))
    return out
