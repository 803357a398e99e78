"""Encrypt every stored connection secret again with the first of SECRETS_KEYS."""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog import secrets
from catalog.models import DashboardService, DatabaseService, MlModelService


class Command(BaseCommand):
    help = (
        "Re-encrypt every service's connection secrets with the first key of SECRETS_KEYS. "
        "Put the new key first (keep the old ones after it), run this, then drop the old keys."
    )

    def handle(self, **options):
        rotated = 0
        # One transaction: a secret that no key opens leaves every row as it was.
        with transaction.atomic():
            for model in (MlModelService, DatabaseService, DashboardService):
                rows = model.objects.select_for_update().exclude(connection_secrets="")
                for pk, fqn, sealed in rows.values_list("pk", "fqn", "connection_secrets"):
                    try:
                        model.objects.filter(pk=pk).update(connection_secrets=secrets.rotate(sealed))
                    except InvalidToken:
                        raise CommandError(
                            f"No key in SECRETS_KEYS (or derived from SECRET_KEY) opens the secrets of {fqn}."
                        ) from None
                    rotated += 1
        self.stdout.write(f"Re-encrypted the connection secrets of {rotated} service(s) with the first key.")
