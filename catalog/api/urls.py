"""Routes of the OpenMetadata-compatible JSON API (filled in by the API work)."""

urlpatterns = []
