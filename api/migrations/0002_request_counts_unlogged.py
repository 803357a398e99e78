"""On PostgreSQL the request counts live in an UNLOGGED table.

Every token call writes its count. In a logged table each of those commits waits for the
write-ahead log to reach the disk (synchronous_commit), a flush per API read; an unlogged
table writes no WAL, so the commit does not wait. What is lost: after a crash PostgreSQL
empties the table (every caller starts a fresh window) and standbys do not have it, which
counts that last a minute can afford.
"""

from django.db import migrations


def _alter(persistence):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(apps.get_model("api", "RequestCount")._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} SET {persistence}")

    return run


class Migration(migrations.Migration):
    dependencies = [("api", "0001_request_counts")]

    operations = [migrations.RunPython(_alter("UNLOGGED"), _alter("LOGGED"))]
