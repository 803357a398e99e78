"""The SQL pieces of the exposure walks: the steps sensitive data may take, read a level at a time.

Each step comes as a named row; ``kind`` says how it passes exposure on.
"""

import uuid
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from catalog import fqn as fqnlib
from catalog.models import Column, MlFeature, MlModel, Table, Tag
from catalog.sql import one_of_sql, one_of_subquery
from lineage.models import Edge

#: How a step passes exposure on: ``carries`` from any exposed node (an edge, a
#: feature to its model, a model to its dashboard), ``member`` from a table
#: exposed as a whole to its columns, ``holder`` from a column to its table
#: (which then holds sensitive data without all its columns being sensitive),
#: ``summary`` a table → model edge stated by hand or through the API, which
#: carries unless the model's column-grain edges describe it.
CARRIES, MEMBER, HOLDER, SUMMARY = "carries", "member", "holder", "summary"
EDGE = Edge._meta.db_table
COLUMN = Column._meta.db_table
FEATURE = MlFeature._meta.db_table
MODEL = MlModel._meta.db_table
IS_SUMMARY = "e.from_type = 'table' AND e.to_type = 'mlmodel'"
#: Derived edges only ever run from a column or table to a feature, from a feature to its
#: own model (what containment says too) and from a table to a model (a summary of the
#: first kind, written with it by lineage.sync, so it never carries). Every other edge was
#: stated by hand or through the API; an index holds those alone.
DERIVED = f"e.origin = '{Edge.Origin.FEATURE_SOURCE}'"
STATED = f"NOT ({DERIVED})"
#: Whether a table → model edge (``e``) is described by an edge into one of the model's
#: features from the table or one of its columns.
COVERED = f"""EXISTS (
    SELECT 1 FROM {EDGE} fine JOIN {FEATURE} f ON f.id = fine.to_id
    WHERE f.model_id = e.to_id AND (
        fine.from_id = e.from_id OR fine.from_id IN (SELECT c.id FROM {COLUMN} c WHERE c.table_id = e.from_id)))"""
#: A model's label (``Versioned.label``), or NULL for a deleted model.
LIVE_LABEL = "CASE WHEN m.deleted THEN NULL ELSE COALESCE(NULLIF(m.display_name, ''), m.name) END"
#: The ``label`` of a downstream row that is no model row, typed like LIVE_LABEL.
NO_FLAG = "CAST(NULL AS TEXT)"
#: A model reached downstream comes as one row of this kind: its dashboard (or NULL) and its
#: label (NULL when deleted).
MODEL_KIND = "model"
#: ...or of this one when the stated edges leaving it and its dashboard come in the same answer.
FOLLOWED_MODEL_KIND = "followed model"
#: A feature reached from a source comes as the edge into it, of this kind: its model and the stated edges
#: leaving it come in the same answer.
FOLLOWED_FEATURE_KIND = "followed feature"
MODEL_ROW = f"SELECT m.id, 'mlmodel', m.dashboard_id, 'dashboard', '{MODEL_KIND}', {LIVE_LABEL}"
NO_ID = "CAST(NULL AS uuid)"
EDGE_KIND = f"CASE WHEN {IS_SUMMARY} THEN '{SUMMARY}' ELSE '{CARRIES}' END"


class Step(NamedTuple):
    """A step exposure may take, from one node to another."""

    from_id: uuid.UUID
    from_type: str
    to_id: uuid.UUID
    to_type: str
    kind: str  # CARRIES, MEMBER or HOLDER


class StepInto(NamedTuple):
    """A step into the nodes an upstream level asked about."""

    from_id: uuid.UUID
    from_type: str
    to_id: uuid.UUID
    to_type: str
    kind: str  # CARRIES, MEMBER, HOLDER or SUMMARY (to be checked)
    from_table: uuid.UUID | None  # the table of the upstream end, when it is a column


class StepFrom(NamedTuple):
    """A step leaving the nodes a downstream level asked about (ids as the database returns them)."""

    from_id: object
    from_type: str
    to_id: object
    to_type: str
    kind: str  # CARRIES, MEMBER, HOLDER, SUMMARY, or one of the model and followed kinds above
    label: str | None  # of a model row: the model's label, None when deleted


def sensitive_tag_hashes() -> list[str]:
    """Return the FQN hashes of the tags that mark sensitive data (read at call time)."""
    return [fqnlib.digest(fqnlib.normalise(name)) for name in settings.SENSITIVE_TAGS]


def as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def matching(select: str, column: str, ids, params=()) -> tuple[str, list] | None:
    """Return ``select`` (taking ``params``) narrowed to rows whose ``column`` is one of ``ids``, with all its
    parameters (None for no ids)."""
    if not ids:
        return None
    condition, values = one_of_sql(column, ids)
    return (f"{select} AND {condition}" if " WHERE " in select else f"{select} WHERE {condition}"), [*params, *values]


def rows(branches: list, prefix: tuple[str, list] = ("", [])) -> list[tuple]:
    """Run the (sql, params) branches that are not None as one UNION ALL query, after ``prefix`` (a WITH clause)."""
    branches = [branch for branch in branches if branch is not None]
    if not branches:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            prefix[0] + " UNION ALL ".join(sql for sql, _ in branches),
            [*prefix[1], *(value for _, values in branches for value in values)],
        )
        return cursor.fetchall()


def as_steps(found) -> list[StepInto]:
    """Return upstream rows as StepInto, with UUIDs for ids."""
    return [
        StepInto(as_uuid(a), a_type, as_uuid(b), b_type, kind, table and as_uuid(table))
        for a, a_type, b, b_type, kind, table in found
    ]


def uncovered(summaries: set) -> set:
    """Return the (table, model) pairs of stated summaries that no column-grain edge of the model describes."""
    if not summaries:
        return set()
    tables, table_params = one_of_sql("e.from_id", {table for table, _ in summaries})
    models, model_params = one_of_sql("e.to_id", {model for _, model in summaries})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.from_id, e.to_id FROM {EDGE} e WHERE {IS_SUMMARY} AND {STATED} AND {tables}"
            f" AND {models} AND NOT {COVERED}",
            [*table_params, *model_params],
        )
        found = {(as_uuid(table), as_uuid(model)) for table, model in cursor.fetchall()}
    return {pair for pair in summaries if (as_uuid(pair[0]), as_uuid(pair[1])) in found}


def tag_condition(hashes) -> str:
    """Return the condition that a link-table row ``x`` carries one of the sensitive tags (``hashes`` as params)."""
    return (
        f"x.tag_id IN (SELECT t.id FROM {Tag._meta.db_table} t WHERE t.fqn_hash IN ({', '.join(['%s'] * len(hashes))}))"
    )


def sensitive(columns, tables) -> dict:
    """Return ``{id: type}`` of the given columns and tables that carry a sensitive tag (one query, none for no ids)."""
    hashes = sensitive_tag_hashes()
    sql, params = [], []
    for ids, through, owner, node_type in (
        (columns, Column.tags.through, "column_id", "column"),
        (tables, Table.tags.through, "table_id", "table"),
    ):
        if hashes and ids:
            condition, values = one_of_sql(f"x.{owner}", ids)
            sql.append(
                f"SELECT x.{owner}, '{node_type}' FROM {through._meta.db_table} x"
                f" WHERE {tag_condition(hashes)} AND {condition}"
            )
            params += [*hashes, *values]
    if not sql:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(sql), params)
        return {as_uuid(node_id): node_type for node_id, node_type in cursor.fetchall()}


def every_sensitive() -> list[tuple]:
    """Return (id, type, table id of a column) of every column and table carrying a sensitive tag (one query).

    Ids are left as the database returns them, as in the rest of the downstream walk.
    """
    hashes = sensitive_tag_hashes()
    if not hashes:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.column_id, 'column', c.table_id FROM {Column.tags.through._meta.db_table} x"
            f" JOIN {COLUMN} c ON c.id = x.column_id WHERE {tag_condition(hashes)}"
            f" UNION SELECT x.table_id, 'table', NULL FROM {Table.tags.through._meta.db_table} x"
            f" WHERE {tag_condition(hashes)}",
            [*hashes, *hashes],
        )
        return cursor.fetchall()


def steps_into(into, stated_into, tables_any, columns, models, dashboards) -> list[StepInto]:
    """Return the steps that can carry exposure into the given nodes (one query), as StepInto rows.

    ``into`` are nodes whose every incoming edge counts, ``stated_into``
    nodes that only stated edges lead into (derived ones end at features
    alone, but for a feature → model edge that containment says already and
    a table → model summary that never carries). An edge from a column comes
    with the column's table as ``from_table``, a stated table → model edge as
    ``summary`` (to be checked). ``tables_any`` are tables whose columns
    count (through ``holder``, the table as ``from_table``): only those that
    can be exposed otherwise than by their table (tagged, or with a stated
    edge in), as the others can only return to it what it gave. ``columns``
    columns whose table counts (through ``member``), ``models`` models whose
    features count and ``dashboards`` dashboards whose models count.
    """
    hashes = sensitive_tag_hashes()
    edges = (
        f"SELECT e.from_id, e.from_type, e.to_id, e.to_type, {EDGE_KIND}, CASE WHEN e.from_type = 'column'"
        f" THEN (SELECT c.table_id FROM {COLUMN} c WHERE c.id = e.from_id) END FROM {EDGE} e"
    )
    return as_steps(
        rows(
            [
                matching(f"{edges} WHERE NOT ({IS_SUMMARY} AND {DERIVED})", "e.to_id", into),
                matching(f"{edges} WHERE {STATED}", "e.to_id", stated_into),
                matching(
                    f"SELECT c.id, 'column', c.table_id, 'table', '{HOLDER}', c.table_id FROM {COLUMN} c WHERE"
                    f" (EXISTS (SELECT 1 FROM {Column.tags.through._meta.db_table} x WHERE x.column_id = c.id AND"
                    f" {tag_condition(hashes)}) OR EXISTS (SELECT 1 FROM {EDGE} e WHERE e.to_id = c.id AND {STATED}))",
                    "c.table_id",
                    tables_any,
                    hashes,
                ),
                matching(
                    f"SELECT c.table_id, 'table', c.id, 'column', '{MEMBER}', {NO_ID} FROM {COLUMN} c", "c.id", columns
                ),
                matching(
                    f"SELECT f.id, 'mlfeature', f.model_id, 'mlmodel', '{CARRIES}', {NO_ID} FROM {FEATURE} f",
                    "f.model_id",
                    models,
                ),
                matching(
                    f"SELECT m.id, 'mlmodel', m.dashboard_id, 'dashboard', '{CARRIES}', {NO_ID} FROM {MODEL} m",
                    "m.dashboard_id",
                    dashboards,
                ),
            ]
        )
    )


def steps_from(sources, others, whole_tables, columns, features, models) -> list[StepFrom]:
    """Return the steps leaving the given exposed nodes (one query), as StepFrom rows.

    ``sources`` are columns and tables, whose every edge is followed; the
    features those edges reach come as ``followed feature`` rows and their
    models as ``followed model`` rows, with the stated edges leaving the
    features, the models and their dashboards: those are done with. ``others`` are
    nodes that only stated edges leave (features, models, dashboards...).
    ``features`` lead to their models. ``models`` come as ``model`` rows:
    the model, its dashboard (or NULL) and its label (NULL when deleted).
    Stated table → model edges come as ``summary``, for a later check;
    derived ones never carry and are left out.
    """
    from_reached, prefix = [], ("", [])
    if sources:
        condition, values = one_of_sql("e.from_id", sources)
        # The features' models by correlated lookups: PostgreSQL would rather hash every feature than
        # probe a few thousand.
        ctes = (
            f"WITH reached AS (SELECT e.from_id, e.from_type, e.to_id, e.to_type, {EDGE_KIND} AS kind"
            f" FROM {EDGE} e WHERE NOT ({IS_SUMMARY} AND {DERIVED}) AND {condition}),"
            f" found AS (SELECT m.id, m.dashboard_id, {LIVE_LABEL} AS label FROM (SELECT DISTINCT"
            f" (SELECT f.model_id FROM {FEATURE} f WHERE f.id = r.to_id) AS model_id FROM reached r"
            f" WHERE r.to_type = 'mlfeature') x JOIN {MODEL} m ON m.id = x.model_id) "
        )
        prefix = (ctes, values)
        from_sources = (
            f"SELECT r.from_id, r.from_type, r.to_id, r.to_type, CASE WHEN r.to_type = 'mlfeature' THEN"
            f" '{FOLLOWED_FEATURE_KIND}' ELSE r.kind END, {NO_FLAG} FROM reached r"
        )
        their_models = (
            f"SELECT f.id, 'mlmodel', f.dashboard_id, 'dashboard', '{FOLLOWED_MODEL_KIND}', f.label FROM found f"
        )
        leaving = one_of_subquery(
            "e.from_id",
            "SELECT r.to_id FROM reached r WHERE r.to_type = 'mlfeature' UNION"
            " SELECT f.id FROM found f UNION SELECT f.dashboard_id FROM found f",
        )
        stated_from_them = (
            f"SELECT e.from_id, e.from_type, e.to_id, e.to_type, {EDGE_KIND}, {NO_FLAG} FROM {EDGE} e"
            f" WHERE {STATED} AND {leaving}"
        )
        from_reached = [(from_sources, []), (their_models, []), (stated_from_them, [])]
    return [
        StepFrom(*row)
        for row in rows(
            [
                *from_reached,
                matching(
                    f"SELECT e.from_id, e.from_type, e.to_id, e.to_type, {EDGE_KIND}, {NO_FLAG} FROM {EDGE} e"
                    f" WHERE {STATED}",
                    "e.from_id",
                    others,
                ),
                matching(
                    f"SELECT c.table_id, 'table', c.id, 'column', '{MEMBER}', {NO_FLAG} FROM {COLUMN} c",
                    "c.table_id",
                    whole_tables,
                ),
                matching(
                    f"SELECT c.id, 'column', c.table_id, 'table', '{HOLDER}', {NO_FLAG} FROM {COLUMN} c",
                    "c.id",
                    columns,
                ),
                matching(
                    f"SELECT f.id, 'mlfeature', f.model_id, 'mlmodel', '{CARRIES}', {NO_FLAG} FROM {FEATURE} f",
                    "f.id",
                    features,
                ),
                matching(f"{MODEL_ROW} FROM {MODEL} m", "m.id", models),
            ],
            prefix,
        )
    ]
