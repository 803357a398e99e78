"""Stored API documents of ML models, and the text search index over them.

``MlModelDocument`` keeps each model's API representation as JSON text
(``catalog.documents`` builds and refreshes it). On PostgreSQL the table
also gets ``search_vector``, a tsvector generated from ``search_text`` with
the ``simple`` configuration (no stemming, no stop words: names are not
prose), and a GIN index on it; ``catalog.search`` queries it.

The explore search no longer reads the models', features', hyperparameters'
and feature sources' names with ``icontains``, so the trigram indexes
migration 0003 made for it on those tables go: each cost every model write
(and the generator's bulk load) an index update. The tables' and columns'
trigram indexes stay for the list pages that still search those names.

The API lists models by (name, id), a page at a time: an index in that order
lets it read a page instead of sorting every model.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

explore_indexes = importlib.import_module("catalog.migrations.0003_explore_search_indexes")

#: The trigram indexes of 0003 only the explore search used.
UNUSED_TRIGRAM_INDEXES = [
    (name, table, expression)
    for name, table, expression in explore_indexes.TRIGRAM_INDEXES
    if table in ("catalog_mlmodel", "catalog_mlfeature", "catalog_mlhyperparameter", "catalog_featuresource")
]


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE catalog_mlmodeldocument ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
        )
        cursor.execute(
            "CREATE INDEX catalog_mlmodeldocument_search ON catalog_mlmodeldocument USING gin (search_vector)"
        )
        for name, _, _ in UNUSED_TRIGRAM_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE catalog_mlmodeldocument DROP COLUMN search_vector")
        for name, table, expression in UNUSED_TRIGRAM_INDEXES:
            cursor.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_explore_search_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="MlModelDocument",
            fields=[
                (
                    "model",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="document",
                        serialize=False,
                        to="catalog.mlmodel",
                    ),
                ),
                ("version", models.DecimalField(decimal_places=1, max_digits=9)),
                ("body", models.TextField()),
                ("dashboard", models.TextField(blank=True, help_text="Empty when the model has no dashboard.")),
                ("owners", models.TextField()),
                ("followers", models.TextField()),
                ("tags", models.TextField()),
                ("search_text", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "ML model document",
            },
        ),
        migrations.RunPython(add_search_vector, drop_search_vector, elidable=False),
        migrations.AddIndex(
            model_name="mlmodel",
            index=models.Index(fields=["name", "id"], name="catalog_mlmodel_name_id"),
        ),
    ]
