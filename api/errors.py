"""Errors the way OpenMetadata clients expect them: ``{"code": <status>, "message": "..."}``.

The OpenMetadata SDK reads the ``code`` key of an error body to decide what
happened (404 becomes ``None``, everything else an exception), so every error
under /api/v1, including unknown routes, wrong methods and crashes, answers
with that JSON shape and never with HTML or DRF's ``{"detail": ...}``.
"""

import logging
import math
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class APIError(exceptions.APIException):
    """An error with a status and a message, answered as OpenMetadata does."""

    def __init__(self, status_code: int, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def bad_request(message: str) -> APIError:
    return APIError(status.HTTP_400_BAD_REQUEST, message)


def not_found(message: str) -> APIError:
    return APIError(status.HTTP_404_NOT_FOUND, message)


def conflict(message: str) -> APIError:
    return APIError(status.HTTP_409_CONFLICT, message)


def body(status_code: int, message: str) -> dict:
    return {"code": status_code, "message": message}


#: Write-path field names and the JSON names API clients know them by.
API_NAMES = [
    ("display_name", "displayName"),
    ("source_url", "sourceUrl"),
    ("ml_store_storage", "mlStore.storage"),
    ("ml_store_image", "mlStore.imageRepository"),
    ("hyperparameters", "mlHyperParameters"),
    ("features", "mlFeatures"),
    ("sources", "featureSources"),
    ("service_type", "serviceType"),
    ("team_type", "teamType"),
    ("table_type", "tableType"),
    ("dashboard_type", "dashboardType"),
    ("is_bot", "isBot"),
    ("mutually_exclusive", "mutuallyExclusive"),
    ("data_type_display", "dataTypeDisplay"),
]


def validation_message(error: DjangoValidationError, renames=()) -> str:
    """Return "field: message" for the first problem of a ValidationError."""
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.error_dict.items()))
        for old, new in renames:
            name = re.sub(rf"(^|\.){old}(?=$|\.|\[)", rf"\g<1>{new}", name)
        return f"{name}: {' '.join(m for e in errors for m in e.messages)}"
    return " ".join(error.messages)


def handle(exc, context):
    """DRF's exception handler for /api/v1: every error becomes ``{code, message}``."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable: config.unavailable's middleware answers 503 with Retry-After.
        return None
    if isinstance(exc, APIError):
        code, message = exc.status_code, exc.message
    elif isinstance(exc, DjangoValidationError):
        code, message = 400, validation_message(exc)
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        code, message = 413, f"Request body too large: the limit is {limit:,} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)"
    elif isinstance(exc, SuspiciousOperation):
        code, message = 400, f"Bad request: {exc}"
    elif isinstance(exc, Http404):
        code, message = 404, str(exc) or "Not found"
    elif isinstance(exc, exceptions.NotAuthenticated):
        code, message = 401, "Not authorized: send 'Authorization: Bearer <token>'"
    elif isinstance(exc, exceptions.AuthenticationFailed):
        code, message = 401, f"Not authorized: {exc.detail}"
    elif isinstance(exc, exceptions.PermissionDenied):
        code, message = 403, str(exc.detail)
    elif isinstance(exc, exceptions.MethodNotAllowed):
        code, message = 405, f"Method {context['request'].method} is not allowed here"
    elif isinstance(exc, exceptions.ParseError):
        code, message = 400, f"Malformed request body: {exc.detail}"
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        code, message = 415, str(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        code, message = 429, f"Too many requests: try again in {math.ceil(exc.wait or 1)} seconds"
    elif isinstance(exc, exceptions.APIException):
        code, message = exc.status_code, _flatten(exc.detail)
    else:
        view = context.get("view")
        logger.exception("Unhandled error in %s", type(view).__name__ if view else "the API", exc_info=exc)
        code, message = 500, "Internal server error"
    response = Response(body(code, message), status=code)
    if code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    if code == 429:
        response["Retry-After"] = str(math.ceil(exc.wait or 1))
    return response


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(d) for d in detail)
    return str(detail)


@csrf_exempt
def unknown_route(request, *args, **kwargs):
    """Answer any /api/v1 path no route matches, whatever the method.

    Exempt from CSRF: it changes nothing, and a client with a valid token
    (or a session) must hear 404 here, not Django's CSRF page.
    """
    return JsonResponse(body(404, f"No API route for {request.method} {request.path}"), status=404)
