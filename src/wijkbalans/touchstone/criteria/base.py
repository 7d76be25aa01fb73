"""What every criterion shares: its result, the reason in words, and the plan's context.

A :class:`CriterionResult` carries a :class:`Reason`: an English message id (marked for
translation) and its parameters, stored as data and put into words in the reader's
language when shown (numbers in Dutch or English notation, theme names translated). So a
stored assessment reads in Dutch for one reader and in English for the next, with the
same figures.

Parameters of a reason are plain text or one of these small dicts:
``{"n": 12.5, "d": 1}`` (a number with d decimals), ``{"pct": 0.125, "d": 1}`` (a share
as a percentage), ``{"euro": "1234.00"}``, ``{"theme": "poverty"}``,
``{"themes": ["poverty", "social"]}``, ``{"rating": "weak"}``, ``{"list": ["a", "b"]}``,
``{"evidence": "goed_onderbouwd"}`` (a level of the evidence ladder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, gettext, gettext_lazy

from wijkbalans.analysis.touchstone import RATINGS, UNKNOWN
from wijkbalans.charts.numbers import format_number
from wijkbalans.indicators.catalogue import THEMES

CRITERION_LABELS = {
    "need": gettext_lazy("Need in the area"),
    "evidence": gettext_lazy("Evidence"),
    "reach": gettext_lazy("Reach"),
    "residents": gettext_lazy("Residents"),
    "coherence": gettext_lazy("Coherence"),
    "money": gettext_lazy("Money"),
    "measurability": gettext_lazy("Measurability"),
}
CRITERION_QUESTIONS = {
    "need": gettext_lazy("Does it aim at the domains where this area's problems stack most, "
                         "and at its gap with the city?"),
    "evidence": gettext_lazy("How well is the intervention known to work, here or "
                             "elsewhere?"),
    "reach": gettext_lazy("Which share of the target group in the area does it reach?"),
    "residents": gettext_lazy("Do the area's residents support it?"),
    "coherence": gettext_lazy("Does it fill a gap, or repeat what other programmes do "
                              "already?"),
    "money": gettext_lazy("Is it covered for its whole duration?"),
    "measurability": gettext_lazy("Can we tell afterwards whether it worked?"),
}
RATING_LABELS = {
    "strong": gettext_lazy("strong"),
    "adequate": gettext_lazy("adequate"),
    "weak": gettext_lazy("weak"),
    "unknown": gettext_lazy("unknown"),
}


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


# -- parameters -------------------------------------------------------------------------

def num(value, decimals: int = 0) -> dict:
    return {"n": None if value is None else float(value), "d": decimals}


def pct(share, decimals: int = 1) -> dict:
    return {"pct": None if share is None else float(share), "d": decimals}


def euro(amount: Decimal) -> dict:
    return {"euro": str(Decimal(amount).quantize(Decimal("0.01")))}


def theme(key: str) -> dict:
    return {"theme": key}


def themes(keys) -> dict:
    return {"themes": list(keys)}


def items(values) -> dict:
    return {"list": [str(v) for v in values]}


def theme_label(key: str, language: str | None = None) -> str:
    names = THEMES.get(key)
    if names is None:
        return key
    return names[1] if (language or lang()) == "en" else names[0]


def render_param(value: Any, language: str) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    if "n" in value:
        return format_number(value["n"], value.get("d", 0), language)
    if "pct" in value:
        share = value["pct"]
        return "–" if share is None else \
            format_number(100 * share, value.get("d", 1), language) + "%"
    if "euro" in value:
        return "€ " + format_number(float(Decimal(value["euro"])), 0, language)
    if "theme" in value:
        return theme_label(value["theme"], language).lower()
    if "themes" in value:
        names = [theme_label(k, language).lower() for k in value["themes"]]
        return ", ".join(names) if names else "–"
    if "evidence" in value:
        from wijkbalans.programmes.models import Activity

        choices = dict(Activity.Evidence.choices)
        return str(choices.get(value["evidence"], value["evidence"]))
    if "rating" in value:
        return str(RATING_LABELS.get(value["rating"], value["rating"]))
    if "list" in value:
        return ", ".join(value["list"]) if value["list"] else "–"
    return str(value)


@dataclass(frozen=True)
class Reason:
    """A message id (English, marked with ``gettext_noop`` where it is written) and its
    parameters; :meth:`text` puts it into words in the active language."""

    msgid: str
    params: dict = field(default_factory=dict)

    def text(self) -> str:
        language = lang()
        rendered = {k: render_param(v, language) for k, v in self.params.items()}
        message = gettext(self.msgid)
        try:
            return message % rendered if rendered else message
        except (KeyError, TypeError, ValueError):  # a translation that lost a parameter
            return self.msgid % rendered if rendered else self.msgid

    def __str__(self) -> str:
        return self.text()

    def as_dict(self) -> dict:
        return {"msgid": self.msgid, "params": self.params}

    @classmethod
    def from_dict(cls, data: Mapping) -> Reason:
        return cls(msgid=str(data.get("msgid", "")), params=dict(data.get("params") or {}))


@dataclass(frozen=True)
class CriterionResult:
    """One line of the scorecard. ``basis`` is ``data`` (computed) or ``argued`` (the data
    could not rate it, the assessor did in ``note``; ``computed_rating`` keeps what the
    data said)."""

    key: str
    rating: str
    reason: Reason
    data: dict = field(default_factory=dict)
    note: str = ""
    basis: str = "data"
    computed_rating: str | None = None

    def __post_init__(self):
        if self.rating not in RATINGS:
            raise ValueError(f"rating {self.rating!r} is not one of {', '.join(RATINGS)}")

    @property
    def label(self) -> str:
        return str(CRITERION_LABELS.get(self.key, self.key))

    @property
    def question(self) -> str:
        return str(CRITERION_QUESTIONS.get(self.key, ""))

    @property
    def rating_label(self) -> str:
        return str(RATING_LABELS[self.rating])

    def as_dict(self) -> dict:
        """The stored form (JSON)."""
        return {"key": self.key, "rating": self.rating, "reason": self.reason.as_dict(),
                "data": self.data, "note": self.note, "basis": self.basis,
                "computed_rating": self.computed_rating}

    @classmethod
    def from_dict(cls, data: Mapping) -> CriterionResult:
        return cls(key=data["key"], rating=data["rating"],
                   reason=Reason.from_dict(data.get("reason") or {}),
                   data=dict(data.get("data") or {}), note=data.get("note") or "",
                   basis=data.get("basis") or "data",
                   computed_rating=data.get("computed_rating"))

    def with_input(self, *, note: str = "", argued: str | None = None) -> CriterionResult:
        """This result with the assessor's note, and their rating where the data could not
        give one (``argued`` is ignored otherwise; :mod:`..services` refuses it)."""
        if argued and self.rating == UNKNOWN and argued != UNKNOWN:
            return replace(self, note=note, rating=argued, basis="argued",
                           computed_rating=self.rating)
        return replace(self, note=note)


def unknown(key: str, msgid: str, params: dict | None = None, **data) -> CriterionResult:
    return CriterionResult(key, UNKNOWN, Reason(msgid, params or {}), data)


# -- the plan in its place --------------------------------------------------------------

@dataclass
class Context:
    """What the criteria need to know besides the plan: where it works (its buurten, or
    those of the nearest part of the register above it that names areas), when, its place
    in the register, and the assessor's inputs. ``cache`` keeps reads that two criteria
    share."""

    buurten: tuple[str, ...]
    buurt_ids: dict[str, int]
    gemeenten: tuple[str, ...]
    place: str | None            # the plan's one area code or area-set slug, if it has one
    areas_from: str | None       # the code of the activity whose areas count
    start_year: int | None
    end_year: int | None
    year: int                    # the year the plan starts in, else this year
    lineage: frozenset[str]      # the plan, its parts and the activities above it
    root: str                    # its top-level programme (itself at the top)
    target_group_indicator: str = "inwoners"
    reach_result: str = ""
    today: dt.date = field(default_factory=dt.date.today)
    cache: dict = field(default_factory=dict)
