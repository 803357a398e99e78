"""Answers computed from the whole catalogue, kept per process until a write could change them.

Which models sensitive data reaches is a walk down from every sensitive
column and table, asked for by the governance list, explore's facet and
every diagram. Its answer is kept in memory against the
:class:`lineage.models.ExposureToken`, the cache's one invalidation: every
write that could change the answer renews the token *inside its own
transaction*, the same way every cache in the catalogue is kept right (the
write path announces each write; what depends on it listens):

* every entity written or removed through ``catalog.services.changes`` (the
  pages, the API, the admin, the demo loader) renews it on
  ``entity_written`` / ``entity_removed``; derived edges are rewritten
  inside those same writes (:mod:`lineage.sync`). A model version's
  training and evaluation data are among them: every model-version write is
  a change of its model;
* stated edges renew it in :mod:`lineage.edits`, their one write module;
* bulk loads that bypass the write path (the benchmark's generator) call
  :func:`renew` themselves.

Each request reads the token (one small query) before anything else. The
token row is updated in the writing transaction, so a reader sees the old
token exactly as long as it sees the old data: an answer is never kept
under a token newer than the data it was computed from. Inside a transaction
nothing is kept (its own writes would not be told apart), so its reads are
answered live.
"""

import threading
import uuid

from django.db import connection
from django.dispatch import receiver

from catalog.services.changes import entity_removed, entity_written
from lineage.models import ExposureToken

_kept = {}  # name -> ((token, key), value)
_lock = threading.Lock()


def renew():
    """Give the token a new value in the current transaction: what was kept before is not served again."""
    if not ExposureToken.objects.filter(pk=1).update(token=uuid.uuid4()):
        ExposureToken.objects.get_or_create(pk=1)


@receiver(entity_written)
@receiver(entity_removed)
def renew_on_write(sender, **kwargs):
    renew()


def current_token():
    """Return the token, or None inside a transaction, where nothing is kept."""
    if connection.in_atomic_block:
        return None
    token = ExposureToken.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:  # a flush removed the row
        token = ExposureToken.objects.get_or_create(pk=1)[0].token
    return token


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
