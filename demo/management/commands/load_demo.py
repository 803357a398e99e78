"""Load the demo catalogue (idempotent: running it again changes nothing)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import loader


class Command(BaseCommand):
    help = "Load a realistic demo catalogue of ML models, tables, dashboards, people and tags."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = loader.load()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo catalogue ready: {models} ML models, {tables} tables, {dashboards} dashboards, {users} users.".format(
                    **counts
                )
            )
        )
        self.stdout.write(
            f"Sign in as {loader.ADMIN_NAME} / {loader.DEMO_PASSWORD} (administrator); "
            f"alice, bob (editors; bob approves model versions), carol, dan, erin, viewer (read-only) "
            "share that password."
        )
