"""What the public neighbourhood page tells: a few key figures in plain sentences, what the
programme does in the area, and what residents can take part in.

**Key figures.** A handful of the monitor's indicators, each turned into one short
sentence at B1 level ("In Vogelbuurt heeft 58 van de 100 mensen van 15 tot 75 jaar
betaald werk. In heel Demostad is dat 69."): shares are said as "so many out of 100",
rounded to whole numbers, rates per 1,000 residents as whole numbers. The values come
from the monitor (``monitor.places.place_values``, the same figures as ``/gebied/<key>/``):
the area's latest period with a value, and the municipality's value in that same period.
The sentences follow a fixed order of importance (:data:`SENTENCES`) and the page shows
the first :data:`LIMIT` the area has figures for; where it has none of them, the first
indicators it has are said as "name: value".

**The programme here.** Public activities of the programme register whose areas or area
sets lie in the area or contain it (``programmes.web.common.area_match``: CBS codes nest
by prefix), with their partners.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wijkbalans.charts.numbers import format_number
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.monitor.formatting import indicator_name
from wijkbalans.monitor.places import Place, place_values, resolve_place
from wijkbalans.programmes import selectors as programme_selectors
from wijkbalans.programmes.models import Activity
from wijkbalans.programmes.web.common import area_match

from .common import lang

LIMIT = 6


@dataclass(frozen=True)
class Sentence:
    code: str
    decimals: int
    text: str  # a msgid with %(place)s and %(value)s, translated when said
    compare: bool = True  # say the municipality's value too


SENTENCES: tuple[Sentence, ...] = (
    Sentence("inwoners", 0, gettext_noop("%(value)s people live in %(place)s."), compare=False),
    Sentence("werkzaam_pct", 0, gettext_noop("In %(place)s, %(value)s out of 100 people aged 15 "
                                      "to 75 have paid work.")),
    Sentence("laag_inkomen_hh_pct", 0, gettext_noop("In %(place)s, %(value)s out of 100 households "
                                             "have a low income.")),
    Sentence("kinderen_armoede_pct", 0, gettext_noop("In %(place)s, %(value)s out of 100 children "
                                              "grow up in a family with little money.")),
    Sentence("ervaren_gezondheid_pct", 0, gettext_noop("In %(place)s, %(value)s out of 100 adults "
                                                "say their health is good.")),
    Sentence("enquete_veilig_buurt", 0, gettext_noop("In %(place)s, %(value)s out of 100 residents "
                                              "feel safe in their neighbourhood.")),
    Sentence("eenzaam_ernstig_pct", 0, gettext_noop("In %(place)s, %(value)s out of 100 adults "
                                             "feel very lonely.")),
    Sentence("misdrijven_per_1000", 0, gettext_noop("In %(place)s, the police registered "
                                             "%(value)s crimes per 1,000 residents.")),
    Sentence("onderwijsachterstand_pct", 0, gettext_noop("In %(place)s, %(value)s out of 100 "
                                                  "children risk falling behind at school.")),
    Sentence("enquete_rapportcijfer_buurt", 1, gettext_noop("Residents of %(place)s give their "
                                                     "neighbourhood a %(value)s out of 10.")),
)
REFERENCE = gettext_noop("In all of %(city)s it is %(value)s.")


@dataclass(frozen=True)
class KeyFigure:
    code: str
    sentence: str
    reference: str
    period: str


def _latest(values, place_key: str, code: str):
    """(period, value) of the place's latest value of ``code``, or None."""
    rows = values[(values["place"] == place_key) & (values["indicator"] == code)
                  & (values["status"] == "value") & values["value"].notna()]
    if rows.empty:
        return None
    row = rows.sort_values("period").iloc[-1]
    return row["period"], float(row["value"])


def _value_at(values, place_key: str, code: str, period: str) -> float | None:
    rows = values[(values["place"] == place_key) & (values["indicator"] == code)
                  & (values["period"] == period) & (values["status"] == "value")
                  & values["value"].notna()]
    return None if rows.empty else float(rows.iloc[0]["value"])


def city_of(place: Place) -> Place | None:
    """The municipality the place lies in, when it is not the municipality itself."""
    if not place.gemeentecode or place.key == place.gemeentecode:
        return None
    return resolve_place(place.gemeentecode)


def key_figures(place: Place) -> list[KeyFigure]:
    """At most :data:`LIMIT` figures of ``place`` as sentences (two queries per place)."""
    city = city_of(place)
    places = [place] + ([city] if city else [])
    values, _members = place_values(places)
    if values.empty:
        return []
    language = lang()
    out: list[KeyFigure] = []
    for s in SENTENCES:
        latest = _latest(values, place.key, s.code)
        if latest is None:
            continue
        period, value = latest
        reference = ""
        if s.compare and city is not None:
            other = _value_at(values, city.key, s.code, period)
            if other is not None:
                reference = _(REFERENCE) % {
                    "city": city.name, "value": format_number(other, s.decimals, language)}
        out.append(KeyFigure(code=s.code, period=period, reference=reference,
                             sentence=_(s.text) % {
                                 "place": place.name,
                                 "value": format_number(value, s.decimals, language)}))
        if len(out) == LIMIT:
            return out
    return out or _plain_figures(place, city, values, language)


def _plain_figures(place: Place, city: Place | None, values, language: str
                   ) -> list[KeyFigure]:
    """Where none of the known indicators is there: the first ones the area has, as
    "name: value"."""
    codes = sorted(set(values.loc[(values["place"] == place.key)
                                  & (values["status"] == "value"), "indicator"]))[:LIMIT]
    indicators = {i.code: i for i in indicator_selectors.indicator_list().filter(code__in=codes)}
    out = []
    for code in codes:
        latest = _latest(values, place.key, code)
        indicator = indicators.get(code)
        if latest is None or indicator is None:
            continue
        period, value = latest
        unit = f" {indicator.unit}" if indicator.unit else ""
        sentence = _("%(name)s in %(place)s: %(value)s.") % {
            "name": indicator_name(indicator), "place": place.name,
            "value": format_number(value, indicator.decimals, language) + unit}
        reference = ""
        other = _value_at(values, city.key, code, period) if city else None
        if other is not None:
            reference = _(REFERENCE) % {
                "city": city.name,
                "value": format_number(other, indicator.decimals, language) + unit}
        out.append(KeyFigure(code=code, sentence=sentence, reference=reference,
                             period=period))
    return out


# -- the programme here -----------------------------------------------------------------

SHOWN_STATUSES = (Activity.Status.RUNNING, Activity.Status.PAUSED, Activity.Status.FINISHED)


def activities_here(code: str) -> tuple[list[Activity], list[Activity]]:
    """Public activities in or around the area: (running, paused or finished ones; planned
    ones). Four queries, whatever the size of the register."""
    tree = programme_selectors.activity_tree(user=AnonymousUser())
    activities = [a for a, _depth in tree]
    prefetch_related_objects(activities, "areas", "area_sets__members",
                             "partners__organisation")
    here = [a for a in activities if area_match(a, code)]
    for a in here:
        a.partner_names = sorted({p.organisation.name for p in a.partners.all()}
                                 - {a.owner.name})
    doing = [a for a in here if a.status in SHOWN_STATUSES]
    planned = [a for a in here if a.status == Activity.Status.PLANNED]
    return doing, planned
