from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the receivers that keep the stored model documents right.
        from catalog import checks, documents  # noqa: F401
