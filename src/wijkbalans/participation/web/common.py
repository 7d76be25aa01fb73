"""What the participation pages share: the reader's language, a service's refusal shown at
the field it names (with the HTTP status that fits it), the resident's state for the
controls a page shows, and safe "next" addresses.

A refusal keeps everything the user typed: the page is rendered again from the posted
form, never redirected. Statuses: a wrong value 400, not allowed 403, done already 409,
too many in a short time 429 with ``Retry-After`` (the same as the API).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import permissions
from ..errors import AlreadyDone, ParticipationError, PermissionRefused, RateLimited

# A service names the argument at fault; where the form calls it otherwise.
FIELD_ALIASES = {"area_set": "area", "area_code": "area"}


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def status_of(error: ParticipationError | None) -> int:
    if isinstance(error, RateLimited):
        return 429
    if isinstance(error, PermissionRefused):
        return 403
    if isinstance(error, AlreadyDone):
        return 409
    return 400


def show_error(form, error: ParticipationError) -> None:
    """The service's message at the form field it names, else above the form."""
    field = FIELD_ALIASES.get(error.field, error.field)
    form.add_error(field if form is not None and field in form.fields else None,
                   error.message)


def page(request, template: str, context: dict, *, error: ParticipationError | None = None,
         forms=()):
    """Render ``template``; the status follows the service's refusal, or 400 when a form
    has errors."""
    status = 200
    if error is not None:
        status = status_of(error)
    elif any(f is not None and f.is_bound and f.errors for f in forms):
        status = 400
    response = render(request, template, context, status=status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    if request.method == "POST":
        response["Cache-Control"] = "no-store"  # it may hold what the user typed
    return response


def safe_next(request, fallback: str) -> str:
    """The ``next`` of the request when it points into this site, else ``fallback``."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return fallback


def require_login(request, *, staff: bool = False):
    """Send an anonymous visitor to the log-in page (residents' or staff's), with the way
    back; None when logged in."""
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path(),
                             "accounts:login" if staff else "participation:login")


def require_moderator(request):
    """The moderators' pages: programme staff of a municipality, or administrators."""
    back = require_login(request, staff=True)
    if back is not None:
        return back
    if not permissions.is_moderator(request.user):
        raise PermissionDenied(_("Only programme staff of the municipality may do this."))
    return None


def found(item, message: str):
    if item is None:
        raise Http404(message)
    return item


@dataclass(frozen=True)
class Viewer:
    """Who looks at a page, for the controls it shows (the services decide again)."""

    logged_in: bool
    resident: bool        # has a resident profile
    verified: bool        # ... with a confirmed e-mail address
    moderator: bool
    buurt: str            # the buurt of the declared postcode, for "you live in ..."

    @property
    def may_comment(self) -> bool:
        return self.verified or self.moderator


def viewer_of(user) -> Viewer:
    profile = permissions.resident_profile_of(user)
    buurt = profile.buurt.name if profile is not None and profile.buurt_id else ""
    return Viewer(logged_in=bool(getattr(user, "is_authenticated", False)),
                  resident=profile is not None, verified=permissions.is_resident(user),
                  moderator=permissions.is_moderator(user), buurt=buurt)


def place_name(item) -> str:
    """The name of the area or area set an item is about."""
    return item.area.name if item.area_id else item.area_set.name


def int_list(values) -> list[int]:
    """The numbers among posted values (checkbox values); others are left out."""
    return [int(v) for v in values if str(v).strip().isdigit()]
