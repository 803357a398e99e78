"""The server version, the OpenAPI schema and its docs page (served without any CDN)."""

import json
import mimetypes
from pathlib import Path

import drf_spectacular_sidecar
from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.http import FileResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api import auth, errors, openapi
from api.openapi import answers
from api.views import ApiView

SWAGGER_DIST = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
SWAGGER_ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"}


class SystemVersionView(ApiView):
    """``GET /system/version``: the OpenMetadata version this API speaks (the SDK checks major.minor)."""

    permission_classes = [AllowAny]
    # A constant that clients and health checks poll: counting anonymous calls would make it read the
    # database (and answer 503 without one). A token call is still counted, when its token is checked.
    throttle_classes = []

    @answers({200: openapi.system_version})
    def get(self, request):
        return Response(
            {
                "version": settings.OM_COMPAT_VERSION,
                "revision": "modelatlas",
                "timestamp": int(timezone.now().timestamp() * 1000),
            }
        )


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describe Bearer tokens in the schema, so the docs page can send one."""

    target_class = auth.BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token from `manage.py issue_token`."}


class SchemaView(SpectacularAPIView):
    """``GET /openapi.json``: the OpenAPI 3 schema of /api/v1, as JSON whatever the Accept header."""

    renderer_classes = [OpenApiJsonRenderer]
    authentication_classes = [auth.BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]

    def get_exception_handler(self):
        return errors.handle


class DocsView(SpectacularSwaggerSplitView):
    """``GET /docs``: Swagger UI with its assets served from this server, not a CDN.

    The split view serves its start-up script from ``/docs?script`` rather
    than inline, so the Content-Security-Policy still forbids inline scripts
    here; only styles are relaxed, on this page alone: the page's template and
    Swagger UI itself write inline styles, and its stylesheet uses data: images.
    """

    authentication_classes = [auth.BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    url_name = "catalog-api:schema"
    title = "ModelAtlas API"

    def get_exception_handler(self):
        return errors.handle

    @staticmethod
    def _swagger_ui_resource(filename):
        return reverse("catalog-api:docs-asset", args=[filename])

    @staticmethod
    def _swagger_ui_favicon():
        return reverse("catalog-api:docs-asset", args=["favicon-32x32.png"])

    @extend_schema(exclude=True)
    @csp_update({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]})
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if "settings" in response.data:  # the script, not the page
            # No call to the public validator service: the page stays local.
            response.data["settings"] = json.dumps(
                {"deepLinking": True, "validatorUrl": None, "persistAuthorization": True}
            )
        return response


@csrf_exempt  # it answers only GET: any other method hears the API's 405, not Django's CSRF page
def docs_asset(request, filename):
    """Serve one Swagger UI file from the drf-spectacular-sidecar package."""
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse(errors.body(405, f"Method {request.method} is not allowed here"), status=405)
        response["Allow"] = "GET, HEAD"
        return response
    if filename not in SWAGGER_ASSETS:
        return errors.unknown_route(request)
    content_type, _ = mimetypes.guess_type(filename)
    response = FileResponse((SWAGGER_DIST / filename).open("rb"), content_type=content_type)
    response["Cache-Control"] = "max-age=86400"
    return response
