"""System checks of the domain's settings."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secrets_keys_are_set(app_configs, **kwargs):
    """Without SECRETS_KEYS, connection secrets are encrypted with a key derived from SECRET_KEY:
    whoever reads SECRET_KEY reads them, and changing SECRET_KEY loses them."""
    if settings.SECRETS_KEYS:
        return []
    return [
        checks.Warning(
            "SECRETS_KEYS is not set: connection secrets are encrypted with a key derived from SECRET_KEY.",
            hint="Set SECRETS_KEYS to one or more Fernet keys, then run manage.py rotate_secret_keys.",
            id="catalog.W001",
        )
    ]


@checks.register()
def gated_statuses_are_statuses(app_configs, **kwargs):
    """A misspelt gated status would gate nothing: refuse to start instead."""
    from catalog.models import LifecycleStatus

    unknown = [s for s in settings.MODEL_VERSION_GATED_STATUSES if s not in LifecycleStatus.values]
    if not unknown:
        return []
    return [
        checks.Error(
            f"MODEL_VERSION_GATED_STATUSES names {', '.join(map(repr, unknown))}, which is no lifecycle status.",
            hint=f"Use some of: {', '.join(LifecycleStatus.values)}.",
            id="catalog.E001",
        )
    ]
