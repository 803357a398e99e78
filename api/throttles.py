"""Rate limits of /api/v1: per user (whichever token or session), per address, and on failed authentications.

Each limit is a setting such as ``"6000/min"`` (``N/s``, ``/min``, ``/hour``,
``/day``; empty turns it off) read at each request. A limit counts requests
in fixed windows with one atomic upsert in :class:`api.models.RequestCount`:
exact across workers and hosts, one query a request, where a cache-backed
history list would cost several and rewrite the list each time. A call with
a token also reads its address's failed authentications: the same upsert
returns them, so the limits cost a token call one query in all. Over a
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

    def key(self, ident: str) -> str:
        return f"{self.scope}:{ident}"

    def window(self, now: float) -> tuple[int, int] | None:
        """Return (limit, end of the current window) at ``now``, None when the limit is off."""
        rate = self.rate()
        if rate is None:
            return None
        limit, seconds = rate
        return limit, (int(now) // seconds + 1) * seconds

    def hit(self, ident: str) -> float | None:
        """Count one request of ``ident``; return the seconds to wait if that went over the limit, else None."""
        return self.hit_watching(ident, None, None)[0]

    def hit_watching(self, ident: str, other: "Limit | None", other_ident: str | None) -> tuple:
        """Count one request of ``ident`` and read ``other_ident``'s count of ``other`` in the same statement.

        Return the seconds to wait for each (None: under that limit); this one is over once the
        request is past it, ``other`` (which this counts nothing for) once it is at it.
        """
        now = clock()
        mine = self.window(now)
        theirs = other.window(now) if other is not None else None
        if mine is None:
            return None, other.exceeded(other_ident) if theirs is not None else None
        watched = (other.key(other_ident), theirs[1]) if theirs is not None else (None, None)
        hits, other_hits = _upsert(self.key(ident), mine[1], *watched)
        if hits == 1:
            RequestCount.objects.filter(expires__lt=now).delete()  # once a window per caller: the stale rows
        wait = mine[1] - now if hits > mine[0] else None
        other_wait = theirs[1] - now if other_hits is not None and other_hits >= theirs[0] else None
        return wait, other_wait

    def exceeded(self, ident: str) -> float | None:
        """Return the seconds to wait if ``ident`` is already at the limit, else None (counts nothing)."""
        now = clock()
        window = self.window(now)
        if window is None:
            return None
        limit, expires = window
        hits = RequestCount.objects.filter(key=self.key(ident), expires=expires).values_list("hits", flat=True).first()
        return expires - now if hits is not None and hits >= limit else None


def _upsert(key: str, expires: int, watched_key: str | None, watched_expires: int | None) -> tuple[int, int | None]:
    """Add one to ``key``'s count in the window ending at ``expires`` (a new window starts at 1).

    Return that count and ``watched_key``'s in the window ending at ``watched_expires`` (None if it has none).
    """
    quote = connection.ops.quote_name
    table = quote(RequestCount._meta.db_table)
    hits, window, name = quote("hits"), quote("expires"), quote("key")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({name}, {hits}, {window}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({name}) DO UPDATE SET "
            f"{hits} = CASE WHEN {table}.{window} = excluded.{window} THEN {table}.{hits} + 1 ELSE 1 END, "
            f"{window} = excluded.{window} "
            f"RETURNING {hits}, (SELECT w.{hits} FROM {table} w WHERE w.{name} = %s AND w.{window} = %s)",
            [key, expires, watched_key, watched_expires],
        )
        return cursor.fetchone()


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
        if getattr(request, COUNTED, False):
            return None  # a token call, counted (and refused if over) when its token was found
        return str(request.user.pk) if request.user and request.user.is_authenticated else None


class PerAddress(_Throttle):
    """Anonymous requests, per client address."""

    limit = ADDRESS

    def ident(self, request):
        return None if request.user and request.user.is_authenticated else client_address(request)


#: Set on a request whose call ``count_token_call`` counted against its user's limit.
COUNTED = "_rate_limit_counted"


def count_token_call(request, user) -> None:
    """Count a call with ``user``'s token; raise 429 if that user is over its limit or the address guessed too often.

    One statement for both limits. It runs once the token is found, but past the failure limit a right
    token is answered 429 like a wrong one (see :func:`count_failure`), so guessing stops paying.
    """
    address = client_address(request)
    wait, guessed = USER.hit_watching(str(user.pk), FAILED_AUTHENTICATION, address)
    setattr(request, COUNTED, True)
    if guessed is not None or wait is not None:
        raise Throttled(guessed if guessed is not None else wait)


def count_failure(request) -> None:
    """Count a failed authentication of the caller's address; raise 429 once it is past the limit."""
    wait = FAILED_AUTHENTICATION.hit(client_address(request))
    if wait is not None:
        raise Throttled(wait)
