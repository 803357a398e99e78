"""(Re)build the stored API documents of every ML model, e.g. for a database filled before they existed."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from catalog import documents
from catalog.models import MlModel


class Command(BaseCommand):
    help = "Rebuild the stored API document and search words of every ML model (catalog.documents)."

    def handle(self, *args, **options):
        started = time.monotonic()
        ids = list(MlModel.objects.order_by("pk").values_list("pk", flat=True))
        step = documents.BATCH * 10
        for start in range(0, len(ids), step):
            documents.refresh(ids[start : start + step])
            self.stdout.write(f"  {time.monotonic() - started:6.1f} s  {min(start + step, len(ids)):,} models")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # Statistics for the search's planner, and the visibility map for index-only reads.
                cursor.execute("VACUUM (ANALYZE) catalog_mlmodeldocument")
        self.stdout.write(f"Refreshed {len(ids):,} model documents in {time.monotonic() - started:.1f} s.")
