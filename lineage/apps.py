from django.apps import AppConfig


class LineageConfig(AppConfig):
    name = "lineage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lineage import sync  # noqa: F401  (connects the derivation receivers)
