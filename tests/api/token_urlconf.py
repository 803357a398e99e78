"""The project's routes plus the token page, for tests that run before catalog/urls.py includes it."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("catalog.token_urls")), *project_urlpatterns]
