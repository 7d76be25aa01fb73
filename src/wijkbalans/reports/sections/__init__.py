"""The sections of the report, one module each.

Every module has ``collect(ctx) -> dict``: the section's figures, read through the app's
own selectors (the same the web pages use) and returned as plain JSON (numbers, texts,
the data of its charts). :func:`collect_all` runs them in an order in which a section can
use what an earlier one found (the summary comes last: it is written from the others),
and ``render.py`` fills ``templates/reports/sections/_<key>.html`` with them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from wijkbalans.areas.models import AreaSet

from ..models import Section


@dataclass
class Context:
    """What every section reads: the area set, the report's period and language, the
    settings, and what the sections tell each other (``indicators`` shown, for the
    appendix's sources; ``base_period`` resolved by the first section that needs it)."""

    area_set: AreaSet
    period: str
    lang: str
    settings: dict
    members: tuple[str, ...]
    gemeentecode: str
    gemeente_name: str
    base_period: str | None = None
    indicators: set[str] = field(default_factory=set)
    figures: dict = field(default_factory=dict)


def jsonable(value):
    """``value`` as plain JSON: numpy numbers as Python ones, NaN and infinity as None,
    decimals as text (amounts keep their cents exactly), dates as ISO text, and -0.0 as 0.0
    (PostgreSQL's numbers have no negative zero, so a stored version would differ)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        value = float(value)
        return value + 0.0 if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def check_json(figures: dict) -> dict:
    """The figures exactly as they come back from JSON (what a stored version holds), with
    the keys of every object sorted as PostgreSQL's ``jsonb`` returns them."""
    return json.loads(json.dumps(jsonable(figures), allow_nan=False, ensure_ascii=False,
                                 sort_keys=True))


# Collection order (the summary last) and, as each finishes, the share of the work done.
ORDER: tuple[tuple[str, int], ...] = (
    (Section.HEADLINE, 30), (Section.STACKING, 50), (Section.PROGRAMMES, 65),
    (Section.TOUCHSTONE, 68), (Section.EVALUATIONS, 72), (Section.CONCERNS, 76),
    (Section.PARTICIPATION, 80),
    (Section.APPENDIX, 84), (Section.SUMMARY, 86),
)


def _module(key: str):
    from . import (
        appendix,
        concerns,
        evaluations,
        headline,
        participation,
        programmes,
        stacking,
        summary,
        touchstone,
    )

    return {"summary": summary, "headline": headline, "stacking": stacking,
            "programmes": programmes, "touchstone": touchstone,
            "evaluations": evaluations, "concerns": concerns,
            "participation": participation, "appendix": appendix}[key]


def collect_all(ctx: Context, progress: Callable[[str, int], None] | None = None) -> dict:
    """Every section's figures, keyed by section; ``progress(step, percent)`` is told
    which section runs and how much of the work is done before it."""
    start = 5
    for key, done in ORDER:
        if progress is not None:
            progress(str(key), start)
        ctx.figures[str(key)] = check_json(_module(str(key)).collect(ctx))
        start = done
    return ctx.figures
