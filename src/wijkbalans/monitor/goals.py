"""The stacking index, the targets and the NPLV headline set as a profile shows them."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkbalans.core.selectors import data_version
from wijkbalans.stacking import selectors as stacking
from wijkbalans.stacking.headline import HEADLINE, headline_values

from .formatting import lang, value_text
from .places import Place
from .profile import theme_label

CACHE_SECONDS = 600


_MISSING = object()


def cached(name: str, key: str, compute):
    """``compute()``, kept for ten minutes per data version and language. The index,
    its drivers and a target's progress each read and standardise a whole city's panel;
    they change only when the data does. Every write is audited, and every audited write
    moves the data version on after it commits (``core.services.data_version_bump``)."""
    full = f"wijkbalans:monitor:{name}:{key}:{get_language()}:{data_version()}"
    found = cache.get(full, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(full, found, CACHE_SECONDS)
    return found


def status_label(status: str) -> str:
    return {"ahead": _("ahead"), "on track": _("on track"), "behind": _("behind"),
            "no data": _("no data")}.get(status, status)


def stacking_summary(place: Place) -> dict | None:
    return cached("stacking", place.key, lambda: _stacking_summary(place))


def _stacking_summary(place: Place) -> dict | None:
    """Score, rank, decile, stacking count and the domains that drive them, against the
    city; None where the index does not apply (a gemeente, the country) or has no data."""
    if not place.is_set and place.level not in ("buurt", "wijk"):
        return None
    try:
        found = stacking.area_drivers(code_or_slug=place.key, reference="city",
                                      method="index100")
    except (stacking.IndexParameterError, ValueError, LookupError):
        return None
    drivers = [{"label": theme_label(d["domain"]),
                "text": value_text(d.get("index100_contribution"), 1),
                "worse": (d.get("index100_contribution") or 0) < 0}
               for d in found.get("drivers", [])]
    return {"score": value_text(found.get("score"), 1), "rank": found.get("rank"),
            "decile": found.get("decile"), "count": found.get("stack_count"),
            "period": found.get("period"), "drivers": drivers}


def targets_for(place: Place) -> list[dict]:
    if not place.is_set:
        return []
    return cached("targets", place.key, lambda: _targets_for(place))


def _targets_for(place: Place) -> list[dict]:
    out = []
    for target in stacking.target_list(area_set=place.area_set):
        progress = stacking.target_progress(target=target)
        decimals = 1
        rows = [{"period": p["period"], "value": value_text(p.get("value"), decimals),
                 "reference": value_text(p.get("reference"), decimals),
                 "path": value_text(_path_value(progress, p["period"]), decimals),
                 "status": status_label(p.get("status") or "no data")}
                for p in progress["periods"]]
        latest = progress.get("latest") or {}
        out.append({
            "id": target.pk, "note": target.note, "rows": rows,
            "what": (theme_label(target.theme) if target.theme else target.indicator),
            "status": status_label(latest.get("status") or "no data"),
            "latest_period": latest.get("period"),
            "chart": reverse("monitor:target_chart", args=[place.key, target.pk]),
            "rule": progress.get("rule", ""),
        })
    return out


def _path_value(progress: dict, period: str):
    for step in progress.get("path", []):
        if step["period"] == period:
            return step.get("value")
    return None


def headline_for(place: Place) -> list[dict]:
    return cached("headline", place.key, lambda: _headline_for(place))


def _headline_for(place: Place) -> list[dict]:
    """The NPLV headline figures of the place, latest period each; figures not in open
    data are listed with how to import them."""
    try:
        frame = headline_values(place_codes_or_sets=[place.key])
    except (ValueError, LookupError):
        return []
    latest = {}
    for row in frame.sort_values("period").itertuples(index=False):
        latest[row.headline] = row
    items = []
    for item in HEADLINE:
        row = latest.get(item.code)
        items.append({"label": item.label_en if lang() == "en" else item.label_nl,
                      "period": row.period if row is not None else "",
                      "value": value_text(row.value, 1) if row is not None else "–",
                      "open_data": item.open_data, "how": item.how_to_import,
                      "source": item.source})
    return items
