"""Data assets: databases, schemas, tables with their columns, and dashboards."""

import uuid

from django.db import models

from catalog import fqn as fqnlib
from catalog.models.base import Entity, Owned
from catalog.models.services import DashboardService, DatabaseService


class Database(Owned, Entity):
    entity_type = "database"

    service = models.ForeignKey(DatabaseService, on_delete=models.PROTECT, related_name="databases")

    class Meta(Entity.Meta):
        pass

    def fqn_parts(self):
        return [self.service.name, self.name]


class DatabaseSchema(Owned, Entity):
    entity_type = "databaseSchema"

    database = models.ForeignKey(Database, on_delete=models.PROTECT, related_name="schemas")

    class Meta(Entity.Meta):
        verbose_name = "database schema"

    def fqn_parts(self):
        return [*self.database.fqn_parts(), self.name]


class Table(Owned, Entity):
    """A table; its columns belong to it and are versioned with it."""

    entity_type = "table"

    schema = models.ForeignKey(DatabaseSchema, on_delete=models.PROTECT, related_name="tables")
    table_type = models.CharField(max_length=32, default="Regular")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="tables")

    class Meta(Entity.Meta):
        pass

    def fqn_parts(self):
        return [*self.schema.fqn_parts(), self.name]


class Column(models.Model):
    """A table column. Feature sources point at columns for column-grain lineage."""

    entity_type = "column"

    class DataType(models.TextChoices):
        # The common subset of OpenMetadata's column data types.
        NUMBER = "NUMBER"
        TINYINT = "TINYINT"
        SMALLINT = "SMALLINT"
        INT = "INT"
        BIGINT = "BIGINT"
        FLOAT = "FLOAT"
        DOUBLE = "DOUBLE"
        DECIMAL = "DECIMAL"
        NUMERIC = "NUMERIC"
        BOOLEAN = "BOOLEAN"
        DATE = "DATE"
        DATETIME = "DATETIME"
        TIMESTAMP = "TIMESTAMP"
        TIME = "TIME"
        STRING = "STRING"
        CHAR = "CHAR"
        VARCHAR = "VARCHAR"
        TEXT = "TEXT"
        BINARY = "BINARY"
        ARRAY = "ARRAY"
        MAP = "MAP"
        STRUCT = "STRUCT"
        JSON = "JSON"
        UUID = "UUID"
        ENUM = "ENUM"
        UNKNOWN = "UNKNOWN"

    id = models.UUIDField(primary_key=True, editable=False, default=None)
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="columns")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=256)
    display_name = models.CharField(max_length=256, blank=True)
    data_type = models.CharField(max_length=32, choices=DataType.choices, default=DataType.STRING)
    data_type_display = models.CharField(max_length=256, blank=True)
    description = models.TextField(blank=True)
    fqn = models.TextField(editable=False)
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="columns")

    class Meta:
        ordering = ["table", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["table", "name"], name="catalog_column_unique_name_per_table"),
        ]

    def __str__(self):
        return f"{self.table.name}.{self.name}"

    def save(self, *args, **kwargs):
        if self.id is None:
            self.id = column_id(self.table_id, self.name)
        self.fqn = fqnlib.build(*self.table.fqn_parts(), self.name)
        super().save(*args, **kwargs)


def column_id(table_id, name: str):
    """Return a column's stable id: the same table and name always give the same id.

    A table update may re-send its columns; deriving the id from the name
    keeps column references (feature sources, lineage edges) valid across it.
    """
    return uuid.uuid5(table_id if isinstance(table_id, uuid.UUID) else uuid.UUID(str(table_id)), name)


class Dashboard(Owned, Entity):
    entity_type = "dashboard"

    service = models.ForeignKey(DashboardService, on_delete=models.PROTECT, related_name="dashboards")
    source_url = models.URLField("URL", max_length=2048, blank=True)
    dashboard_type = models.CharField(max_length=32, default="Dashboard")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="dashboards")

    class Meta(Entity.Meta):
        pass

    def fqn_parts(self):
        return [self.service.name, self.name]
