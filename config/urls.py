"""Top-level routes: the browser catalogue, the lineage pages, the admin console and the JSON API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("lineage/", include("pages.lineage_urls")),
    path("", include("pages.urls")),
]

# An error raised outside a view (in a middleware, saving the session) answers 503 when the database is
# unreachable, Django's 400 or 500 otherwise.
handler400 = "config.unavailable.bad_request"
handler500 = "config.unavailable.server_error"
