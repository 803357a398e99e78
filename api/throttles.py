"""Rate limits of /api/v1: per user (whichever token or session), per address, and on failed authentications.

Each limit is a setting such as ``"6000/min"`` (``N/s``, ``/min``, ``/hour``,
``/day``; empty turns it off) read at each request. A limit counts requests
in fixed windows with one atomic upsert in :class:`api.models.RequestCount`:
exact across workers and hosts, where a cache-backed history list would cost
several queries and rewrite the list each time. A call with a token also
reads its address's failed authentications: the same upsert returns them.
On PostgreSQL that upsert runs inside the token look-up's statement (a
data-modifying WITH query), so the limits cost a token call no query of their own;
SQLite runs it as a statement of its own. Over a limit, DRF raises
``Throttled`` and api/errors.py answers 429 with ``Retry-After``.
"""

import time
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from rest_framework import throttling
from rest_framework.exceptions import Throttled

from api.models import RequestCount
from catalog.models import Alongside, ApiToken
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
        watched = [other.key(other_ident), theirs[1]] if theirs is not None else [None, None]
        with connection.cursor() as cursor:
            cursor.execute(_upsert_sql("VALUES (%s, %s, 1)"), [self.key(ident), mine[1], *watched])
            _, hits, other_hits = cursor.fetchone()
        return self.waits(now, mine, theirs, hits, other_hits)

    @staticmethod
    def waits(now: float, mine: tuple, theirs: tuple | None, hits: int, other_hits: int | None) -> tuple:
        """Return :meth:`hit_watching`'s waits from the counts its upsert returned in the windows ``mine`` and ``theirs``."""
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


def _upsert_sql(rows: str) -> str:
    """Add one to the count of the key ``rows`` gives (SQL of ``key, window end, 1``); a new window starts at 1.

    Return the key, its count, and a watched key's count in a given window (its two parameters; None if it
    has none).
    """
    quote = connection.ops.quote_name
    table = quote(RequestCount._meta.db_table)
    hits, window, name = quote("hits"), quote("expires"), quote("key")
    return (
        f"INSERT INTO {table} ({name}, {window}, {hits}) {rows} "
        f"ON CONFLICT ({name}) DO UPDATE SET "
        f"{hits} = CASE WHEN {table}.{window} = excluded.{window} THEN {table}.{hits} + 1 ELSE 1 END, "
        f"{window} = excluded.{window} "
        f"RETURNING {name}, {hits}, (SELECT w.{hits} FROM {table} w WHERE w.{name} = %s AND w.{window} = %s)"
    )


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


#: Set on a request whose call :class:`TokenCall` counted against its user's limit.
COUNTED = "_rate_limit_counted"


class TokenCall:
    """The limits of one call with a token: its user's requests and its address's failed authentications.

    On PostgreSQL :attr:`alongside` counts the call in the token look-up's statement, before the token is
    judged; a token found but refused takes that count back (:meth:`refused`). Past the failure limit a
    right token is answered 429 like a wrong one, so guessing stops paying.
    """

    def __init__(self, request):
        self.request, self.now, self.address = request, clock(), client_address(request)
        self.mine, self.theirs = USER.window(self.now), FAILED_AUTHENTICATION.window(self.now)
        self.alongside = None
        if connection.vendor == "postgresql" and self.mine is not None:  # SQLite has no data-modifying WITH
            user_id = connection.ops.quote_name(ApiToken._meta.get_field("user").column)
            watched = [FAILED_AUTHENTICATION.key(self.address), self.theirs[1]] if self.theirs else [None, None]
            self.alongside = Alongside(
                _upsert_sql(f"SELECT %s || CAST(found.{user_id} AS text), %s, 1 FROM found"),
                [USER.key(""), self.mine[1], *watched],
            )

    def counted(self, user) -> None:
        """Count the call of ``user`` (unless the look-up did); raise 429 if over their limit or the address's."""
        if self.alongside is None:
            wait, guessed = USER.hit_watching(str(user.pk), FAILED_AUTHENTICATION, self.address)
        else:
            _, hits, other_hits = self.alongside.row
            wait, guessed = Limit.waits(self.now, self.mine, self.theirs, hits, other_hits)
        setattr(self.request, COUNTED, True)
        if guessed is not None or wait is not None:
            raise Throttled(guessed if guessed is not None else wait)

    def refused(self) -> None:
        """Count a failed authentication of the address (raise 429 past the limit), not a call of the token's user."""
        if self.alongside is not None and self.alongside.row is not None:
            key = self.alongside.row[0]
            RequestCount.objects.filter(key=key, expires=self.mine[1]).update(hits=F("hits") - 1)
        count_failure(self.request)


def count_failure(request) -> None:
    """Count a failed authentication of the caller's address; raise 429 once it is past the limit."""
    wait = FAILED_AUTHENTICATION.hit(client_address(request))
    if wait is not None:
        raise Throttled(wait)
