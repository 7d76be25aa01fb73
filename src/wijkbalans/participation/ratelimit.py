"""Rate limits on what residents write, and on their log-in: per resident, per e-mail
address and per IP address, in Django's cache.

A fixed window per kind and scope: at most ``count`` writes per ``seconds``. The services
call :func:`hit` just before they write, so the web pages and the API share the limits;
a refused write raises :class:`~.errors.RateLimited` with the seconds to wait.

The log-in (kind ``login``) counts failed attempts only, per e-mail address typed and per
IP address: :func:`check` before the password is checked refuses when a limit is reached,
:func:`hit` counts a failure, and :func:`reset` forgets an address's failures after a
successful log-in (not the IP address's: one's own account must not clear the count of an
address that guesses others' passwords). The web page and the API's ``login/`` share the
counts. Attempts that run at the same moment all pass :func:`check` before any of them
counts, so a burst can go past the limit by as many attempts as run in parallel.

Settings (``settings.PARTICIPATION_RATE_LIMITS``, optional) override the defaults per kind
and scope; ``None`` switches a limit off, e.g. for a load test from one address::

    PARTICIPATION_RATE_LIMITS = {"ballot": {"ip": None}, "comment": {"user": (5, 600)},
                                 "login": {"email": (5, 900)}}

The counters live in the ``default`` cache. With several web processes that cache must be
shared (Redis, Memcached or the database cache); the per-process memory cache counts per
process, so each process allows the full number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import RateLimited

# kind -> scope -> (count, seconds)
DEFAULT_LIMITS: dict[str, dict[str, tuple[int, int] | None]] = {
    "register": {"user": None, "ip": (10, 3600)},
    "comment": {"user": (10, 600), "ip": (60, 600)},
    "proposal": {"user": (3, 86400), "ip": (20, 86400)},
    "support": {"user": (60, 600), "ip": (300, 600)},
    "ballot": {"user": (20, 600), "ip": (600, 600)},
    "flag": {"user": (20, 3600), "ip": (100, 3600)},
    # Failed log-ins. Per address typed: guessing one resident's password. Per IP
    # address: trying many addresses; higher, as residents at a community centre or a
    # library share one address.
    "login": {"email": (10, 900), "ip": (30, 900)},
}
KINDS = tuple(DEFAULT_LIMITS)
SCOPES = ("user", "email", "ip")


def limits(kind: str) -> dict[str, tuple[int, int] | None]:
    """The limits of ``kind`` after the settings' overrides."""
    if kind not in DEFAULT_LIMITS:
        raise ValueError(f"unknown rate limit kind {kind!r}; expected one of "
                         f"{', '.join(KINDS)}")
    merged = dict(DEFAULT_LIMITS[kind])
    merged.update((getattr(settings, "PARTICIPATION_RATE_LIMITS", None) or {}).get(kind, {}))
    return merged


def _key(kind: str, scope: str, ident: str, slot: int) -> str:
    # Hashed: the cache never holds an address in clear.
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:24]
    return f"participation:rl:{kind}:{digest}:{slot}"


def _rules(kind: str, *, user_id, email, ip):
    """(scope, key, count, seconds, now) of every limit of ``kind`` that applies."""
    now = time.time()
    email = str(email or "").strip().lower()
    for scope, ident in zip(SCOPES, (user_id, email, ip), strict=True):
        rule = limits(kind).get(scope)
        if rule is None or ident in (None, ""):
            continue
        count, seconds = rule
        yield scope, _key(kind, scope, str(ident), int(now // seconds)), count, seconds, now


def _refuse(kind: str, seconds: int, now: float) -> RateLimited:
    wait = int(seconds - now % seconds) + 1
    minutes = max(1, (wait + 59) // 60)
    if kind == "login":
        at = timezone.localtime(dt.datetime.fromtimestamp(now + wait, tz=dt.UTC))
        # "min." reads right for one minute and for more, in English and in Dutch.
        message = _("You tried to log in too often without success. Try again from "
                    "%(time)s (in %(minutes)d min.).") % {"time": f"{at:%H:%M}",
                                                         "minutes": minutes}
    else:
        message = _("You did this too often in a short time. Try again in %(minutes)d "
                    "minute(s).") % {"minutes": minutes}
    return RateLimited(message, retry_after=wait)


def hit(kind: str, *, user_id: int | None = None, email: str | None = None,
        ip: str | None = None) -> None:
    """Count one write (or failed log-in) of ``kind``; raise :class:`RateLimited` when a
    limit is passed."""
    for _scope, key, count, seconds, now in _rules(kind, user_id=user_id, email=email, ip=ip):
        cache.add(key, 0, timeout=seconds + 5)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 5)
            used = 1
        if used > count:
            raise _refuse(kind, seconds, now)


def check(kind: str, *, user_id: int | None = None, email: str | None = None,
          ip: str | None = None) -> None:
    """Raise :class:`RateLimited` when a limit of ``kind`` is reached, without counting."""
    for _scope, key, count, seconds, now in _rules(kind, user_id=user_id, email=email, ip=ip):
        if (cache.get(key) or 0) >= count:
            raise _refuse(kind, seconds, now)


def reset(kind: str, *, user_id: int | None = None, email: str | None = None) -> None:
    """Forget the count of a resident or an e-mail address in the current window."""
    for _scope, key, *_rest in _rules(kind, user_id=user_id, email=email, ip=None):
        cache.delete(key)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind the HTTPS proxy (the setting
    ``WIJKBALANS_BEHIND_HTTPS_PROXY``) the address the proxy appended last to
    ``X-Forwarded-For`` (earlier entries come from the client and can be forged)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
