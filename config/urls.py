"""Top-level routes: the browser catalogue, the lineage pages, the admin console and the JSON API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("lineage/", include("pages.lineage_urls")),
    path("", include("pages.urls")),
]
