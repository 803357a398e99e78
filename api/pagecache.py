"""Finished pages of ML model documents (API list and search), kept by each worker until a document changes.

A page of 100 models is ~2.5 MB of JSON: even joined from the stored
documents without parsing (``catalog.documents``), reading it from the
database and assembling it costs 15-20 ms, more than MLflow's registry takes
for a page of names (~30 KB). Clients page through the same lists again and again
(the SDK's ``list_all_entities``, dashboards polling, the UI's API users), so
each worker process keeps the pages it finished, byte for byte.

Correctness rests on :class:`~catalog.models.DocumentGeneration`: every
committed change to a stored document moves it (``catalog.documents``), and a
page is keyed by the generation read *before* its rows. A page built from rows
a commit then changed is therefore filed under a generation that commit left
behind; no request reads it again. The response never depends on who asks
(signed-in users all see every model), only on the path and the base URL its
hrefs start with, which are the rest of the key.

``API_PAGE_CACHE_BYTES`` bounds each worker's cache (least recently used pages
go first); 0 turns the cache off. ``API_PAGE_CACHE_SECONDS`` bounds how long a
page is served, a safety net should a generation bump ever fail after a commit.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings

from api import output
from catalog.models import DocumentGeneration


def generation() -> int | None:
    """Return the current document generation, or None when the counter is missing (then nothing is cached)."""
    return DocumentGeneration.objects.filter(pk=1).values_list("value", flat=True).first()


class PageCache:
    """A byte-bounded, least-recently-used map of (generation, base URL, path) to a finished response body."""

    def __init__(self):
        self._pages: OrderedDict[tuple, tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # gthread workers serve requests on several threads

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None
            stored_at, body = entry
            if time.monotonic() - stored_at > settings.API_PAGE_CACHE_SECONDS:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        budget = settings.API_PAGE_CACHE_BYTES
        if len(body) > budget:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = (time.monotonic(), body)
            self._size += len(body)
            while self._size > budget:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0

    def _drop(self, key: tuple) -> None:
        self._size -= len(self._pages.pop(key)[1])


pages = PageCache()


def cached_page(request, build) -> bytes:
    """Return the body ``build()`` makes for this request, from the cache when this generation already made it."""
    if not settings.API_PAGE_CACHE_BYTES:
        return build()
    current = generation()
    if current is None:
        return build()
    key = (current, output.base_url(request), request.get_full_path())
    body = pages.get(key)
    if body is None:
        body = build()
        pages.put(key, body)
    return body
