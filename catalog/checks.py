"""System checks of the domain's settings."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def secrets_keys_are_fernet_keys(app_configs, **kwargs):
    """A bad key would fail the first write of a secret: say so at start-up instead."""
    errors = []
    for position, key in enumerate(settings.SECRETS_KEYS, start=1):
        try:
            Fernet(key)
        except ValueError:
            errors.append(
                checks.Error(
                    f"SECRETS_KEYS entry {position} is not a Fernet key (32 url-safe base64-encoded bytes).",
                    hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="catalog.E001",
                )
            )
    return errors


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
