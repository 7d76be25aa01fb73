"""What the programme pages share: amounts and quantities in the reader's notation, the
activity looked up for the user or a 404, a refused permission as a 403, and a version
conflict shown as the row's current values."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from wijkbalans.charts.numbers import format_number

from .. import selectors
from ..errors import ConflictError, PermissionRefused
from .forms import lang


def euro(value: Decimal | None) -> str:
    """``€ 1.234.567,89`` (Dutch) or ``€ 1,234,567.89``; exact, never through a float."""
    if value is None:
        return "–"
    return f"€ {format_number(Decimal(value), 2, lang())}"


def quantity(value: Decimal | None, *, most: int = 4) -> str:
    """A result's value with as many decimals as it has (at most ``most``)."""
    if value is None:
        return "–"
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent) if value else 0
    return format_number(value, min(places, most), lang())


def activity_or_404(user, code: str):
    activity = selectors.activity_get(user=user, code=code)
    if activity is None:
        raise Http404(_("No activity %(code)s in the register") % {"code": code})
    return activity


def refuse(error: PermissionRefused | str):
    raise PermissionDenied(getattr(error, "message", error))


def conflict_rows(error: ConflictError, form) -> list[dict]:
    """Field name, label and current value for each field of ``form`` in the conflict's current row,
    in the form's order, as the reader writes them."""
    current = error.current or {}
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        key = name if name in current else f"{name}_id"
        if key not in current:
            continue
        rows.append({"field": name, "label": str(field.label),
                     "value": _shown(field, current[key])})
    return rows


def _shown(field, value) -> str:
    """A stored value as the form's field would name it: choice labels, amounts in
    euros, lists joined, links as ``title | url``."""
    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    # Choice labels without the tree's indentation dots.
    labels = {str(k): str(v).lstrip("· ") for k, v in getattr(field, "choices", ())}
    if isinstance(value, list):
        return ", ".join(f"{v.get('title', '')} | {v.get('url', '')}" if isinstance(v, dict)
                         else labels.get(str(v), str(v)) for v in value)
    if getattr(field, "places", None) is not None:
        return euro(Decimal(value)) if field.euro else quantity(Decimal(value))
    return labels.get(str(value), str(value))


def conflict_context(error: ConflictError, form) -> dict:
    """Show what is stored now, and let the next save build on the current version (the
    user has seen the current values, the form still holds theirs)."""
    version = (error.current or {}).get("version")
    if version is not None and "version" in form.fields:
        data = form.data.copy()
        data[form.add_prefix("version")] = str(version)
        form.data = data
    return {"conflict": {"message": error.message, "rows": conflict_rows(error, form)}}


def area_match(activity, wanted: str) -> bool:
    """Whether ``activity`` works in ``wanted`` (a CBS code or an area-set slug): one of
    its areas or area sets' members lies in it or contains it (CBS codes nest by prefix:
    GM0014 ⊃ WK001404 ⊃ BU00140402)."""
    if any(s.slug == wanted for s in activity.area_sets.all()):
        return True
    digits = wanted.upper()[2:]
    if not wanted.upper().startswith(("BU", "WK", "GM")) or not digits.isdigit():
        return False
    codes = [a.code for a in activity.areas.all()]
    codes += [m.code for s in activity.area_sets.all() for m in s.members.all()]
    return any(c[2:].startswith(digits) or digits.startswith(c[2:]) for c in codes)


def activity_matches(activity, f: dict) -> bool:
    return ((not f.get("status") or activity.status == f["status"])
            and (not f.get("theme") or f["theme"] in activity.themes)
            and (not f.get("owner") or activity.owner.slug == f["owner"])
            and (not f.get("area") or area_match(activity, f["area"].strip())))
