"""The exposure token is renewed by the write path (lineage.memo), on every database: drop 0004's triggers."""

from django.db import migrations

#: The tables migration 0004 put triggers on.
WATCHED = [
    "lineage_edge",
    "catalog_column_tags",
    "catalog_table_tags",
    "catalog_tag",
    "catalog_column",
    "catalog_mlfeature",
    "catalog_mlmodel",
]


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in WATCHED:
        for suffix in ("rows", "update", "truncate"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS lineage_exposure_{table}_{suffix} ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS lineage_renew_exposure_token()")


class Migration(migrations.Migration):
    dependencies = [("lineage", "0004_exposure_token")]

    # Going back to 0004 leaves the token to this code, which renews it anyway.
    operations = [migrations.RunPython(drop_triggers, migrations.RunPython.noop)]
