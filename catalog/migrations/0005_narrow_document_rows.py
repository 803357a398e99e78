"""Keep the stored documents' rows narrow on PostgreSQL, so the text search visits few pages.

A search reads the GIN index of ``search_vector``, then visits each matching
row in the table to check it is visible. With PostgreSQL's default TOAST
target (~2 kB) each document's compressed body and search vector stayed in
the row: 10,000 documents filled 19 MB of rows and a search for "fraud"
visited 1,600 pages (6 ms, most of its time). Moving every wide value out of
line (``toast_tuple_target`` at its minimum) leaves ~150-byte rows (1.5 MB):
the same search visits ~190 pages, and reading a page of bodies costs the
same, as they are fetched from TOAST either way.

``VACUUM FULL`` rewrites the rows already there; it cannot run inside a
transaction, hence ``atomic = False``. The table only holds what
``manage.py refresh_documents`` can rebuild, so a failure part-way loses nothing.
"""

from django.db import migrations

TABLE = "catalog_mlmodeldocument"


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
        cursor.execute(f"VACUUM (FULL, ANALYZE) {TABLE}")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("catalog", "0004_mlmodel_documents")]

    operations = [migrations.RunPython(narrow, widen, elidable=False)]
