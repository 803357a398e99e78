"""Routes of the lineage pages (filled in by the lineage work)."""

app_name = "lineage"
urlpatterns = []
