"""Routes of the browser catalogue (filled in by the browser work)."""

urlpatterns = []
