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
#: feature to its model), ``shown on`` from a model to the dashboard that shows it
#: (carries too; its rows also bring the model's label), ``member`` from a table
#: exposed as a whole to its columns, ``holder`` from a column to its table
#: (which then holds sensitive data without all its columns being sensitive),
#: ``summary`` a table → model edge stated by hand or through the API, which
#: carries unless the model's column-grain edges describe it.
CARRIES, SHOWN_ON, MEMBER, HOLDER, SUMMARY = "carries", "shown on", "member", "holder", "summary"
EDGE = Edge._meta.db_table
COLUMN = Column._meta.db_table
FEATURE = MlFeature._meta.db_table
MODEL = MlModel._meta.db_table
IS_SUMMARY = "e.from_type = 'table' AND e.to_type = 'mlmodel'"
#: Edges derived from feature sources only ever run from a column or table to a feature, from
#: a feature to its own model (what containment says too) and from a table to a model (a
#: summary of the first kind, written with it by lineage.sync, so it never carries). Every
#: other edge was stated by hand or through the API, or derived from a model version's data
#: (into the version, and from it to its model), and is read as stated; an index holds those alone.
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
NO_ID = "CAST(NULL AS uuid)"
NO_LABEL = "CAST(NULL AS TEXT)"
EDGE_KIND = f"CASE WHEN {IS_SUMMARY} THEN '{SUMMARY}' ELSE '{CARRIES}' END"


class Rule(NamedTuple):
    """One way exposure may step from a node to another, written once and read in either direction.

    The upstream walk narrows a rule to the steps *into* given nodes (on
    ``downstream_end``), the downstream walk to the steps *leaving* them (on
    ``upstream_end``). Each walk adds the columns it needs (``extra``).
    """

    columns: str  # from_id, from_type, to_id, to_type, kind
    source: str  # the FROM clause
    upstream_end: str
    downstream_end: str

    def select(self, extra: str = "", where: str = "") -> str:
        columns = f"{self.columns}, {extra}" if extra else self.columns
        return f"SELECT {columns} FROM {self.source}" + (f" WHERE {where}" if where else "")


#: Along a lineage edge (a stated table → model edge as a summary, to be checked).
ALONG_EDGES = Rule(f"e.from_id, e.from_type, e.to_id, e.to_type, {EDGE_KIND}", f"{EDGE} e", "e.from_id", "e.to_id")
#: From a table exposed whole to each of its columns.
TABLE_TO_COLUMNS = Rule(f"c.table_id, 'table', c.id, 'column', '{MEMBER}'", f"{COLUMN} c", "c.table_id", "c.id")
#: From a column to its table, which then holds sensitive data.
COLUMN_TO_TABLE = Rule(f"c.id, 'column', c.table_id, 'table', '{HOLDER}'", f"{COLUMN} c", "c.id", "c.table_id")
#: From a feature to its model.
FEATURE_TO_MODEL = Rule(f"f.id, 'mlfeature', f.model_id, 'mlmodel', '{CARRIES}'", f"{FEATURE} f", "f.id", "f.model_id")
#: From a model to the dashboard that shows it.
MODEL_TO_DASHBOARD = Rule(
    f"m.id, 'mlmodel', m.dashboard_id, 'dashboard', '{SHOWN_ON}'", f"{MODEL} m", "m.id", "m.dashboard_id"
)


class Step(NamedTuple):
    """A step exposure may take, from one node to another."""

    from_id: uuid.UUID
    from_type: str
    to_id: uuid.UUID
    to_type: str
    kind: str  # CARRIES, SHOWN_ON, MEMBER or HOLDER


class StepInto(NamedTuple):
    """A step into the nodes an upstream level asked about."""

    from_id: uuid.UUID
    from_type: str
    to_id: uuid.UUID
    to_type: str
    kind: str  # a rule's kind; SUMMARY is still to be checked
    from_table: uuid.UUID | None  # the table of the upstream end, when it is a column


class StepFrom(NamedTuple):
    """A step leaving the nodes a downstream level asked about (ids as the database returns them)."""

    from_id: object
    from_type: str
    to_id: object
    to_type: str
    kind: str  # a rule's kind; SUMMARY is still to be checked
    #: Whether the steps leaving ``to_id`` came in the same answer (the walk need not ask for them).
    followed: bool
    label: str | None  # of a SHOWN_ON row: the model's label, None when deleted (its dashboard may be None too)


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
    with the column's table as ``from_table``. ``tables_any`` are tables whose
    columns count (the table as ``from_table``): only those that can be
    exposed otherwise than by their table (tagged, or with a stated edge in),
    as the others can only return to it what it gave. ``columns`` columns
    whose table counts, ``models`` models whose features count and
    ``dashboards`` dashboards whose models count.
    """
    hashes = sensitive_tag_hashes()
    column_table = (
        f"CASE WHEN e.from_type = 'column' THEN (SELECT c.table_id FROM {COLUMN} c WHERE c.id = e.from_id) END"
    )
    exposed_otherwise = (
        f"(EXISTS (SELECT 1 FROM {Column.tags.through._meta.db_table} x WHERE x.column_id = c.id AND"
        f" {tag_condition(hashes)}) OR EXISTS (SELECT 1 FROM {EDGE} e WHERE e.to_id = c.id AND {STATED}))"
    )
    into_ = ALONG_EDGES.downstream_end
    found = rows(
        [
            matching(ALONG_EDGES.select(column_table, f"NOT ({IS_SUMMARY} AND {DERIVED})"), into_, into),
            matching(ALONG_EDGES.select(column_table, STATED), into_, stated_into),
            matching(
                COLUMN_TO_TABLE.select("c.table_id", exposed_otherwise),
                COLUMN_TO_TABLE.downstream_end,
                tables_any,
                hashes,
            ),
            matching(TABLE_TO_COLUMNS.select(NO_ID), TABLE_TO_COLUMNS.downstream_end, columns),
            matching(FEATURE_TO_MODEL.select(NO_ID), FEATURE_TO_MODEL.downstream_end, models),
            matching(MODEL_TO_DASHBOARD.select(NO_ID), MODEL_TO_DASHBOARD.downstream_end, dashboards),
        ]
    )
    return [
        StepInto(as_uuid(a), a_type, as_uuid(b), b_type, kind, table and as_uuid(table))
        for a, a_type, b, b_type, kind, table in found
    ]


def steps_from(sources, others, whole_tables, columns, features, models) -> list[StepFrom]:
    """Return the steps leaving the given exposed nodes (one query), as StepFrom rows.

    ``sources`` are columns and tables, whose every edge is followed; the
    features those edges reach and their models come ``followed``, with the
    stated edges leaving the features, the models and their dashboards:
    those are done with. ``others`` are nodes that only stated edges leave
    (features, models, dashboards...). ``features`` lead to their models.
    ``models`` come as ``shown on`` rows with their label, even without a
    dashboard. Derived table → model summaries never carry and are left out.
    """
    unfollowed = f"FALSE, {NO_LABEL}"
    leaving_, prefix = ALONG_EDGES.upstream_end, ("", [])
    branches = []
    if sources:
        condition, values = one_of_sql(leaving_, sources)
        # The features' models by correlated lookups: PostgreSQL would rather hash every feature than
        # probe a few thousand.
        prefix = (
            "WITH reached (from_id, from_type, to_id, to_type, kind) AS"
            f" ({ALONG_EDGES.select(where=f'NOT ({IS_SUMMARY} AND {DERIVED}) AND {condition}')}),"
            f" found AS (SELECT m.id, m.dashboard_id FROM (SELECT DISTINCT (SELECT f.model_id FROM {FEATURE} f"
            f" WHERE f.id = r.to_id) AS model_id FROM reached r WHERE r.to_type = 'mlfeature') x"
            f" JOIN {MODEL} m ON m.id = x.model_id) ",
            values,
        )
        from_reached = (
            "SELECT r.from_id, r.from_type, r.to_id, r.to_type, r.kind,"
            f" r.to_type = 'mlfeature', {NO_LABEL} FROM reached r"
        )
        followed_on = one_of_subquery(
            leaving_,
            "SELECT r.to_id FROM reached r WHERE r.to_type = 'mlfeature' UNION"
            " SELECT f.id FROM found f UNION SELECT f.dashboard_id FROM found f",
        )
        branches = [
            (from_reached, []),
            (
                MODEL_TO_DASHBOARD.select(
                    f"TRUE, {LIVE_LABEL}", one_of_subquery(MODEL_TO_DASHBOARD.upstream_end, "SELECT f.id FROM found f")
                ),
                [],
            ),
            (ALONG_EDGES.select(unfollowed, f"{STATED} AND {followed_on}"), []),
        ]
    found = rows(
        [
            *branches,
            matching(ALONG_EDGES.select(unfollowed, STATED), leaving_, others),
            matching(TABLE_TO_COLUMNS.select(unfollowed), TABLE_TO_COLUMNS.upstream_end, whole_tables),
            matching(COLUMN_TO_TABLE.select(unfollowed), COLUMN_TO_TABLE.upstream_end, columns),
            matching(FEATURE_TO_MODEL.select(unfollowed), FEATURE_TO_MODEL.upstream_end, features),
            matching(MODEL_TO_DASHBOARD.select(f"FALSE, {LIVE_LABEL}"), MODEL_TO_DASHBOARD.upstream_end, models),
        ],
        prefix,
    )
    return [
        StepFrom(a, a_type, b, b_type, kind, bool(followed), label)
        for a, a_type, b, b_type, kind, followed, label in found
    ]
