"""Rate limits of /api/v1: per user (whichever token or session), per address, and on failed authentications.

Each limit is a setting such as ``"6000/min"`` (``N/s``, ``/min``, ``/hour``,
``/day``; empty turns it off) read at each request. A limit counts requests
in fixed windows with one atomic upsert in :class:`api.models.RequestCount`:
exact across workers and hosts, one query a request, where a cache-backed
history list would cost several and rewrite the list each time. Over the
limit, DRF raises ``Throttled`` and api/errors.py answers 429 with
``Retry-After``.
"""

import time
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from rest_framework import throttling
from rest_framework.exceptions import Throttled

from api.models import RequestCount
from config.proxies import client_address

#: The limits' clock (tests stop it, so no test straddles two windows).
clock = time.time

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=16)
def parse_rate(setting: str, rate: str) -> tuple[int, int] | None:
    """Return (requests, seconds) for ``"N/period"``, None for an empty (switched off) limit."""
    if not rate:
        return None
    count, _, period = rate.partition("/")
    if not count.isdigit() or period[:1] not in PERIODS:
        raise ImproperlyConfigured(f"{setting} must look like '6000/min', not {rate!r}")
    return int(count), PERIODS[period[:1]]


class Limit:
    """One limit: a setting naming the rate, and a key prefix for its counts."""

    def __init__(self, scope: str, setting: str):
        self.scope, self.setting = scope, setting

    def rate(self):
        return parse_rate(self.setting, getattr(settings, self.setting))

    def _window_end(self, seconds: int, now: float) -> int:
        return (int(now) // seconds + 1) * seconds

    def hit(self, ident: str) -> float | None:
        """Count one request of ``ident``; return the seconds to wait if that went over the limit, else None."""
        rate = self.rate()
        if rate is None:
            return None
        limit, seconds = rate
        now = clock()
        expires = self._window_end(seconds, now)
        hits = _upsert(f"{self.scope}:{ident}", expires)
        if hits == 1:
            RequestCount.objects.filter(expires__lt=now).delete()  # once a window per caller: the stale rows
        return expires - now if hits > limit else None

    def exceeded(self, ident: str) -> float | None:
        """Return the seconds to wait if ``ident`` is already at the limit, else None (counts nothing)."""
        rate = self.rate()
        if rate is None:
            return None
        limit, seconds = rate
        now = clock()
        expires = self._window_end(seconds, now)
        hits = (
            RequestCount.objects.filter(key=f"{self.scope}:{ident}", expires=expires)
            .values_list("hits", flat=True)
            .first()
        )
        return expires - now if hits is not None and hits >= limit else None


def _upsert(key: str, expires: int) -> int:
    """Add one to ``key``'s count in the window ending at ``expires`` (a new window starts at 1); return it."""
    quote = connection.ops.quote_name
    table = quote(RequestCount._meta.db_table)
    hits, window = quote("hits"), quote("expires")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('key')}, {hits}, {window}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({quote('key')}) DO UPDATE SET "
            f"{hits} = CASE WHEN {table}.{window} = excluded.{window} THEN {table}.{hits} + 1 ELSE 1 END, "
            f"{window} = excluded.{window} RETURNING {hits}",
            [key, expires],
        )
        return cursor.fetchone()[0]


USER = Limit("user", "API_RATE_LIMIT_USER")
ADDRESS = Limit("address", "API_RATE_LIMIT_ANON")
FAILED_AUTHENTICATION = Limit("failed-auth", "API_RATE_LIMIT_FAILED_AUTH")


class _Throttle(throttling.BaseThrottle):
    """Counts a request against :attr:`limit` under the key its subclass's ``ident(request)`` gives (None: not counted)."""

    limit: Limit

    def allow_request(self, request, view):
        ident = self.ident(request)
        self._wait = self.limit.hit(ident) if ident is not None else None
        return self._wait is None

    def wait(self):
        return self._wait


class PerUser(_Throttle):
    """A signed-in caller's requests, whichever of their tokens (or their session) they come with."""

    limit = USER

    def ident(self, request):
        return str(request.user.pk) if request.user and request.user.is_authenticated else None


class PerAddress(_Throttle):
    """Anonymous requests, per client address."""

    limit = ADDRESS

    def ident(self, request):
        return None if request.user and request.user.is_authenticated else client_address(request)


def refuse_guessers(request) -> None:
    """Raise 429 before a token is looked up if its address failed authentication too often this window."""
    wait = FAILED_AUTHENTICATION.exceeded(client_address(request))
    if wait is not None:
        raise Throttled(wait)


def count_failure(request) -> None:
    FAILED_AUTHENTICATION.hit(client_address(request))
