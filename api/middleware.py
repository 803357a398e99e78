"""The API's errors are JSON even when Django, not a view, answers.

Some refusals happen before (or outside) any API view: Django's CSRF check, a host not in
``ALLOWED_HOSTS``, a form body over ``DATA_UPLOAD_MAX_NUMBER_FIELDS``, a crash in a middleware.
Django answers those with HTML pages; an OpenMetadata client reads the ``code`` of a JSON body,
so under /api/v1 such an answer is rewritten as ``{code, message}`` with the same status.
"""

from django.http import JsonResponse

from api.errors import body

API_PREFIX = "/api/v1/"


class JsonErrors:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and (request.path_info + "/").startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code = response.status_code
            rewritten = JsonResponse(
                body(code, f"{response.reason_phrase}: refused before reaching the API"), status=code
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    rewritten[header] = response[header]
            return rewritten
        return response
