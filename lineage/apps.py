from django.apps import AppConfig


class LineageConfig(AppConfig):
    name = "lineage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lineage import memo, sync  # noqa: F401  (connect the derivation and cache receivers)
