"""Rate limits on what residents write: per resident and per IP address, in Django's cache.

A fixed window per kind and scope: at most ``count`` writes per ``seconds``. The services
call :func:`hit` just before they write, so the web pages and the API share the limits;
a refused write raises :class:`~.errors.RateLimited` with the seconds to wait.

Settings (``settings.PARTICIPATION_RATE_LIMITS``, optional) override the defaults per kind
and scope; ``None`` switches a limit off, e.g. for a load test from one address::

    PARTICIPATION_RATE_LIMITS = {"ballot": {"ip": None}, "comment": {"user": (5, 600)}}

The counters live in the ``default`` cache. With several web processes that cache must be
shared (Redis, Memcached or the database cache); the per-process memory cache counts per
process, so each process allows the full number.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
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
}
KINDS = tuple(DEFAULT_LIMITS)


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


def hit(kind: str, *, user_id: int | None = None, ip: str | None = None) -> None:
    """Count one write of ``kind``; raise :class:`RateLimited` when a limit is passed."""
    now = time.time()
    for scope, ident in (("user", user_id), ("ip", ip)):
        rule = limits(kind).get(scope)
        if rule is None or ident in (None, ""):
            continue
        count, seconds = rule
        slot = int(now // seconds)
        key = _key(kind, scope, str(ident), slot)
        cache.add(key, 0, timeout=seconds + 5)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 5)
            used = 1
        if used > count:
            wait = int(seconds - now % seconds) + 1
            raise RateLimited(
                _("You did this too often in a short time. Try again in %(minutes)d "
                  "minute(s).") % {"minutes": max(1, (wait + 59) // 60)},
                retry_after=wait)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind the HTTPS proxy (the setting
    ``WIJKBALANS_BEHIND_HTTPS_PROXY``) the address the proxy appended last to
    ``X-Forwarded-For`` (earlier entries come from the client and can be forged)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
