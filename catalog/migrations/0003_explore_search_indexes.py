"""Indexes the explore page needs on PostgreSQL: trigram search, sorting and facet counts.

The explore search is a case-insensitive substring match (``icontains``),
which Django writes as ``UPPER(column::text) LIKE UPPER('%term%')`` on
PostgreSQL. A leading wildcard defeats a B-tree, so each searched column gets
a trigram GIN index on exactly that expression (pg_trgm); without them every
search reads the 200,000 features and 400,000 feature sources of a
10,000-model catalogue.

The other indexes cover live models only (``WHERE NOT deleted``, as every
explore query says): one per sort, so a first page is read in order instead
of sorting every model, and a narrow one holding what the counts and facets
read (id, service, algorithm), so they scan it instead of the wide table.

PostgreSQL only: SQLite has no trigram indexes, and its catalogues are small.
The indexes are not declared in the models because Django's portable index
declarations cannot express an operator class only one database knows.
"""

from django.db import migrations

#: (index name, table, indexed expression). The expressions must stay the SQL
#: Django emits for the lookups pages/views/explore.py makes, or the planner
#: cannot use them: check with EXPLAIN after changing either side.
TRIGRAM_INDEXES = [
    ("catalog_mlmodel_name_upper_trgm", "catalog_mlmodel", "UPPER(name::text)"),
    ("catalog_mlmodel_display_name_upper_trgm", "catalog_mlmodel", "UPPER(display_name::text)"),
    ("catalog_mlmodel_description_upper_trgm", "catalog_mlmodel", "UPPER(description::text)"),
    ("catalog_mlmodel_algorithm_upper_trgm", "catalog_mlmodel", "UPPER(algorithm::text)"),
    ("catalog_mlfeature_name_upper_trgm", "catalog_mlfeature", "UPPER(name::text)"),
    ("catalog_mlhyperparameter_name_upper_trgm", "catalog_mlhyperparameter", "UPPER(name::text)"),
    ("catalog_featuresource_name_upper_trgm", "catalog_featuresource", "UPPER(name::text)"),
    ("catalog_table_name_upper_trgm", "catalog_table", "UPPER(name::text)"),
    ("catalog_column_name_upper_trgm", "catalog_column", "UPPER(name::text)"),
]
#: B-trees over live models, each matching what pages/views/explore.py asks:
#: the "Name" sort (Lower(Coalesce(NullIf(display_name, ""), name)), then id),
#: the "Recently changed" sort (updated_at, then id), and the columns its counts
#: and facets read, so they are answered from the index alone.
LIVE_MODEL_INDEXES = [
    ("catalog_mlmodel_live_title", "(LOWER(COALESCE(NULLIF(display_name, ''), name))), id"),
    ("catalog_mlmodel_live_updated", "updated_at, id"),
    ("catalog_mlmodel_live_facets", "id, service_id, algorithm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            # pg_trgm is a trusted extension (PostgreSQL 13+): a role with
            # CREATE on the database, such as its owner, may install it.
            cursor.execute("SELECT has_database_privilege(current_database(), 'CREATE')")
            if not cursor.fetchone()[0]:
                raise RuntimeError(
                    "The explore search needs PostgreSQL's pg_trgm extension, and this role may not install it: "
                    "ask a superuser to run CREATE EXTENSION pg_trgm; in this database, then migrate again."
                )
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, expression in TRIGRAM_INDEXES:
            cursor.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}) gin_trgm_ops)")
        for name, columns in LIVE_MODEL_INDEXES:
            cursor.execute(f"CREATE INDEX {name} ON catalog_mlmodel ({columns}) WHERE NOT deleted")


def drop_indexes(apps, schema_editor):
    """Drop the indexes; the extension stays, as other database objects may use it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in [name for name, _, _ in TRIGRAM_INDEXES] + [name for name, _ in LIVE_MODEL_INDEXES]:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_api_token"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
