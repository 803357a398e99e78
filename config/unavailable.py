"""A database that cannot be reached answers 503 with ``Retry-After``, never a bare 500.

A database restart or failover lasts seconds, so the request that met it can simply be sent again; the
answer says so, as the API's JSON ``{code, message}`` under /api/ and as a friendly page elsewhere.
The middleware catches the errors views and templates raise (the API's exception handler lets them
through to it); the project's error handlers catch those raised in other middleware after the view ran:
``server_error`` (handler500) the raw errors, ``bad_request`` (handler400) Django's
``SessionInterrupted``, which is what a failed update of a stored session becomes.

Every ``OperationalError`` and ``InterfaceError`` counts: the drivers raise them when the server
cannot be reached, drops the connection, shuts down or is starting, and for lock timeouts and
deadlocks, all worth a retry.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
MESSAGE = "The catalogue's database is unavailable for a moment; nothing was saved. Try again in a few seconds."


def caused_by_outage(exc) -> bool:
    """Whether ``exc`` is, or was raised while handling, a database-unavailable error."""
    while exc is not None:
        if isinstance(exc, UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def response(request) -> HttpResponse:
    """Return the 503 for ``request``; it reads nothing from the database (no user, no session)."""
    retry_after = settings.DATABASE_RETRY_AFTER
    if request.path.startswith("/api/"):
        answer = JsonResponse({"code": 503, "message": MESSAGE}, status=503)
    else:
        answer = HttpResponse(render_to_string("503.html", {"retry_after": retry_after}), status=503)
    answer["Retry-After"] = str(retry_after)
    return answer


class DatabaseUnavailableMiddleware:
    """Answer 503 when a view (or its template) finds the database unreachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not caused_by_outage(exception):
            return None
        logger.warning("Database unavailable during %s %s: %s", request.method, request.path, exception)
        return response(request)


def server_error(request):
    """handler500: a 503 when the error being handled is the database's absence, else Django's 500."""
    if caused_by_outage(sys.exc_info()[1]):
        return response(request)
    return defaults.server_error(request)


def bad_request(request, exception):
    """handler400: a 503 when the database's absence is why the request failed, else Django's 400."""
    if caused_by_outage(exception):
        return response(request)
    return defaults.bad_request(request, exception)
