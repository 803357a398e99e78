"""Answers computed from the whole catalogue, kept per process for as long as nothing could change them.

Which models sensitive data reaches is a walk down from every sensitive
column and table (tens of milliseconds at 10,000 models), asked for by the
governance list, explore's facet and every diagram. Its answer is kept in
memory against the :class:`lineage.models.ExposureToken`, which database
triggers renew when a transaction that could change it commits, whoever
wrote (the services, the API, bulk loads, SQL). Each request reads the
token (one small query) before anything else, so an answer computed from
data older than the token it is kept under cannot be served: a write that
commits during the computation has already renewed the token.

Nothing is kept where no trigger watches (databases other than PostgreSQL),
nor inside a transaction (the triggers run at commit: the token does not
change with the transaction's own writes, so its reads are answered live).
"""

import logging
import threading

from django.db import ProgrammingError, connection

from lineage.models import ExposureToken

logger = logging.getLogger(__name__)
_kept = {}  # name -> ((token, key), value)
_lock = threading.Lock()


def current_token():
    """Return the exposure token, or None where answers are not kept (creating the row if a flush removed it).

    A database without lineage migration 0004 keeps nothing (and says so in
    the log) rather than failing every page that shows exposure.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    table = ExposureToken._meta.db_table
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {table} WHERE id = 1")
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    f"INSERT INTO {table} (id, token) VALUES (1, gen_random_uuid()) ON CONFLICT (id) DO NOTHING"
                )
                cursor.execute(f"SELECT token FROM {table} WHERE id = 1")
                row = cursor.fetchone()
    except ProgrammingError:
        logger.warning(
            "%s is missing (run manage.py migrate): sensitive-data exposure is computed for every page", table
        )
        return None
    return row[0]


def remembered(name: str, key, compute):
    """Return ``compute()``, or what it returned before under the same token and ``key`` (settings it depends on).

    The caller must not change the value it gets: other requests share it.
    """
    token = current_token()
    if token is None:
        return compute()
    with _lock:
        kept = _kept.get(name)
    if kept is not None and kept[0] == (token, key):
        return kept[1]
    value = compute()
    with _lock:
        _kept[name] = ((token, key), value)
    return value
