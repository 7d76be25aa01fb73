"""What the participation services share: checks of the acting user, of texts, dates and
places, and where residents live."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkbalans.areas import codes
from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.core import clock

from .. import permissions
from ..errors import ParticipationError, PermissionRefused
from ..models import AreaPostcode

PLACE_LEVELS = (codes.BUURT, codes.WIJK, codes.GEMEENTE)
# What the audit log keeps of what residents wrote: ids and states, never the text.
TEXT_FIELDS = ("text", "title")


def require_resident(user):
    """The verified resident profile of ``user``, or :class:`PermissionRefused`."""
    profile = permissions.resident_profile_of(user)
    if profile is None:
        raise PermissionRefused(_("Register as a resident first."))
    if not profile.verified or not user.is_active:
        raise PermissionRefused(_("Confirm your e-mail address first: open the link in "
                                  "the e-mail we sent you."))
    return profile


def require_moderator(user) -> None:
    if not permissions.is_moderator(user):
        raise PermissionRefused(_("Only programme staff of the municipality may do this."))


def text(value, *, field: str, max_length: int, min_length: int = 1) -> str:
    cleaned = str(value or "").strip()
    if len(cleaned) < min_length:
        raise ParticipationError(_("This field is required."), field=field)
    if len(cleaned) > max_length:
        raise ParticipationError(
            _("Use at most %(max)d characters; this text has %(found)d.")
            % {"max": max_length, "found": len(cleaned)}, field=field)
    return cleaned


def moment(value, *, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min)
    if not isinstance(value, dt.datetime):
        raise ParticipationError(_("Expected a date and time, such as 2026-03-01 09:00."),
                                 field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def period(opens, closes) -> tuple[dt.datetime, dt.datetime]:
    opens, closes = moment(opens, field="opens"), moment(closes, field="closes")
    if closes <= opens:
        raise ParticipationError(_("The closing date must come after the opening date."),
                                 field="closes")
    return opens, closes


def euros(value, *, field: str, positive: bool = True) -> Decimal:
    """An amount in euros with at most two decimals, from a Decimal, int or text."""
    if isinstance(value, float | bool):
        raise ParticipationError(_("Expected an amount in euros, such as 12500 or "
                                   "12500.50."), field=field)
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ParticipationError(_("Expected an amount in euros, such as 12500 or "
                                   "12500.50."), field=field)
    if amount.as_tuple().exponent < -2:
        raise ParticipationError(_("Use at most two decimals (cents)."), field=field)
    if positive and amount <= 0:
        raise ParticipationError(_("Expected an amount above zero."), field=field)
    if amount >= Decimal("1e12"):
        raise ParticipationError(_("This amount is too large."), field=field)
    return amount


def place(area_code: str = "", area_set_slug: str = "") -> tuple[Area | None, AreaSet | None]:
    """The area (buurt, wijk or gemeente) or the area set an item is about: one of two."""
    if bool(area_code) == bool(area_set_slug):
        raise ParticipationError(_("Choose an area or an area set (one of the two)."),
                                 field="area")
    if area_set_slug:
        area_set = AreaSet.objects.filter(slug=area_set_slug).first()
        if area_set is None:
            raise ParticipationError(_("There is no area set %(slug)s.")
                                     % {"slug": area_set_slug}, field="area_set")
        return None, area_set
    code = codes.normalise(area_code)
    area = Area.objects.filter(code=code).first()
    if area is None or area.level not in PLACE_LEVELS:
        raise ParticipationError(_("Expected the code of a buurt, wijk or municipality; "
                                   "found %(code)s.") % {"code": area_code}, field="area")
    return area, None


def postcode_filter(area: Area | None, area_set: AreaSet | None) -> Q:
    """The rows of :class:`AreaPostcode` inside an area or area set."""
    if area_set is not None:
        return Q(buurtcode__in=Subquery(area_set.members.values("code")))
    field = {codes.BUURT: "buurtcode", codes.WIJK: "wijkcode",
             codes.GEMEENTE: "gemeentecode"}[area.level]
    return Q(**{field: area.code})


def lives_in(profile, area: Area | None, area_set: AreaSet | None) -> bool:
    """The voting rule: one of the buurten of the resident's declared postcode lies in
    the area (one query)."""
    return AreaPostcode.objects.filter(postcode=profile.postcode).filter(
        postcode_filter(area, area_set)).exists()


def require_lives_in(profile, item) -> None:
    if not lives_in(profile, item.area, item.area_set):
        where = item.area.name if item.area else item.area_set.name
        raise PermissionRefused(
            _("Only residents of %(area)s may do this; your postcode is not in this "
              "area.") % {"area": where}, field="postcode")


def now() -> dt.datetime:
    return clock.now()
