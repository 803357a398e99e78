"""Sensitive-data exposure: which nodes sensitive columns and tables flow into.

A column or table carrying one of ``settings.SENSITIVE_TAGS`` is a *source*
of sensitive data. Exposure flows downstream, computed from the data as it is
when asked for (or kept from an earlier request only while no write could have
changed it), so tagging a column marks every feature, model and dashboard below
it at once. The rules:

* an edge carries exposure from its upstream end to its downstream end;
* a feature exposes its model, and ``MlModel.dashboard`` exposes the dashboard;
* an exposed column makes its table hold sensitive data, so the table's
  table-grain edges carry exposure (they do not say which columns flow);
* a table that is tagged, or reached through a table-grain edge, exposes all
  of its columns; a table that merely holds a sensitive column does not make
  its other columns sensitive;
* a table → model edge is read as a summary of the model's feature sources
  (OpenMetadata's grain) and carries nothing when the model has a feature fed
  by that table or one of its columns: the column-grain edges say exactly
  which data reaches the model. A derived one (lineage.sync writes it with
  those column-grain edges) never carries; a stated one is checked;
* a path to a node never runs from a column to its table and on to another
  of its columns (the table only holds that column's data).

Two walks apply these rules without ever reading the whole graph, so their
cost follows the lineage around the nodes asked about, not the catalogue:

* :func:`exposure` answers for given nodes (the paths to a model, feature
  or dashboard, to the models of a page of the governance list). It walks
  *upstream* from them, one query per
  level, taking only what can carry exposure to them: a table's columns only
  where the table's own edges matter, and of those only the ones exposed
  otherwise than by the table (tagged, or with a stated edge in). It then
  reads the sensitive tags of the columns and tables it reached (one query)
  and applies the rules in Python to that subgraph. A node's exposure
  depends only on what is upstream of it, so the answer is exact for every
  node the walk reached.
* :func:`reach` answers for the whole catalogue (explore's facet, the
  governance list, the marks of every diagram). It walks *downstream* from
  the sensitive columns and tables, one query per level, following only what
  carries exposure; stated table → model summaries are checked last, and
  only those that could expose a model nothing else exposes. Its answer is
  kept per process until a write that could change it commits
  (:mod:`lineage.memo`).

Both lean on what lineage.sync guarantees of derived edges (see DERIVED)
and read stated edges through partial indexes of their own.
"""

import uuid
from collections import deque
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from catalog import fqn as fqnlib
from catalog.models import Column, MlFeature, MlModel, Table, Tag
from catalog.sql import one_of_sql, one_of_subquery
from lineage import memo, nodes
from lineage.models import Edge
from lineage.queries import CONTAINER_TYPE

#: Paths listed per model at most; a model fed by many sensitive columns lists the shortest.
MAX_PATHS = 25
#: Partial paths a search may look at, so a dense graph cannot stall a page.
MAX_SEARCH = 20_000

#: How a step passes exposure on: ``carries`` from any exposed node (an edge, a
#: feature to its model, a model to its dashboard), ``member`` from a table
#: exposed as a whole to its columns, ``holder`` from a column to its table
#: (which then holds sensitive data without all its columns being sensitive),
#: ``summary`` a table → model edge stated by hand or through the API, which
#: carries unless the model's column-grain edges describe it.
CARRIES, MEMBER, HOLDER, SUMMARY = "carries", "member", "holder", "summary"
#: How much of a node is exposed: only tables tell the two apart.
PARTIAL, WHOLE = 0, 1

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
#: The empty last value of a downstream row, typed like LIVE_LABEL.
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


def sensitive_tag_hashes() -> list[str]:
    """Return the FQN hashes of the tags that mark sensitive data (read at call time)."""
    return [fqnlib.digest(fqnlib.normalise(name)) for name in settings.SENSITIVE_TAGS]


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _matching(select: str, column: str, ids, params=()) -> tuple[str, list] | None:
    """Return ``select`` (taking ``params``) narrowed to rows whose ``column`` is one of ``ids``, with all its
    parameters (None for no ids)."""
    if not ids:
        return None
    condition, values = one_of_sql(column, ids)
    return (f"{select} AND {condition}" if " WHERE " in select else f"{select} WHERE {condition}"), [*params, *values]


def _rows(branches: list, prefix: tuple[str, list] = ("", [])) -> list[tuple]:
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


def _as_steps(rows) -> list[tuple]:
    """Return rows (from_id, from_type, to_id, to_type, kind, id or None) with UUIDs for ids."""
    return [
        (_as_uuid(a), a_type, _as_uuid(b), b_type, kind, extra and _as_uuid(extra))
        for a, a_type, b, b_type, kind, extra in rows
    ]


def _uncovered(summaries: set) -> set:
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
        found = {(_as_uuid(table), _as_uuid(model)) for table, model in cursor.fetchall()}
    return {pair for pair in summaries if (_as_uuid(pair[0]), _as_uuid(pair[1])) in found}


def _tag_condition(hashes) -> str:
    """Return the condition that a link-table row ``x`` carries one of the sensitive tags (``hashes`` as params)."""
    return (
        f"x.tag_id IN (SELECT t.id FROM {Tag._meta.db_table} t WHERE t.fqn_hash IN ({', '.join(['%s'] * len(hashes))}))"
    )


def _sensitive(columns, tables) -> dict:
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
                f" WHERE {_tag_condition(hashes)} AND {condition}"
            )
            params += [*hashes, *values]
    if not sql:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(sql), params)
        return {_as_uuid(node_id): node_type for node_id, node_type in cursor.fetchall()}


def _every_sensitive() -> list[tuple]:
    """Return (id, type, table id of a column) of every column and table carrying a sensitive tag (one query).

    Ids are left as the database returns them, as in the rest of the downstream walk.
    """
    hashes = sensitive_tag_hashes()
    if not hashes:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.column_id, 'column', c.table_id FROM {Column.tags.through._meta.db_table} x"
            f" JOIN {COLUMN} c ON c.id = x.column_id WHERE {_tag_condition(hashes)}"
            f" UNION SELECT x.table_id, 'table', NULL FROM {Table.tags.through._meta.db_table} x"
            f" WHERE {_tag_condition(hashes)}",
            [*hashes, *hashes],
        )
        return cursor.fetchall()


# -- Exposure of given nodes: upstream walk ---------------------------------------------------------------------------


def _steps_into(into, stated_into, tables_any, columns, models, dashboards) -> list[tuple]:
    """Return the steps that can carry exposure into the given nodes (one query), with a sixth value.

    ``into`` are nodes whose every incoming edge counts, ``stated_into``
    nodes that only stated edges lead into (derived ones end at features
    alone, but for a feature → model edge that containment says already and
    a table → model summary that never carries). An edge from a column comes
    with the column's table as sixth value, a stated table → model edge as
    ``summary`` (to be checked). ``tables_any`` are tables whose columns
    count (through ``holder``, the table as sixth value): only those that
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
    return _rows(
        [
            _matching(f"{edges} WHERE NOT ({IS_SUMMARY} AND {DERIVED})", "e.to_id", into),
            _matching(f"{edges} WHERE {STATED}", "e.to_id", stated_into),
            _matching(
                f"SELECT c.id, 'column', c.table_id, 'table', '{HOLDER}', c.table_id FROM {COLUMN} c WHERE"
                f" (EXISTS (SELECT 1 FROM {Column.tags.through._meta.db_table} x WHERE x.column_id = c.id AND"
                f" {_tag_condition(hashes)}) OR EXISTS (SELECT 1 FROM {EDGE} e WHERE e.to_id = c.id AND {STATED}))",
                "c.table_id",
                tables_any,
                hashes,
            ),
            _matching(
                f"SELECT c.table_id, 'table', c.id, 'column', '{MEMBER}', {NO_ID} FROM {COLUMN} c", "c.id", columns
            ),
            _matching(
                f"SELECT f.id, 'mlfeature', f.model_id, 'mlmodel', '{CARRIES}', {NO_ID} FROM {FEATURE} f",
                "f.model_id",
                models,
            ),
            _matching(
                f"SELECT m.id, 'mlmodel', m.dashboard_id, 'dashboard', '{CARRIES}', {NO_ID} FROM {MODEL} m",
                "m.dashboard_id",
                dashboards,
            ),
        ]
    )


def _upstream(targets: dict) -> tuple[list, dict]:
    """Walk upstream from ``{id: type or None}``; return the steps found and the columns and tables reached.

    A table is needed *whole* when only its columns follow from it (then its
    own edges and tags decide), or *at all* when its edges lead on (then its
    columns count too). A node of unknown type is looked up as every type.
    Stated table → model summaries are checked once a level has found them.
    """
    steps, reached, table_of = [], {}, {}
    need = {}  # node id -> PARTIAL (any exposure matters) or WHOLE (only whole-table exposure matters)
    frontier = {node_id: (node_type, PARTIAL) for node_id, node_type in targets.items()}

    def follow(node_id, node_type, wanted):
        known = need.get(node_id)
        needed = known is None or (known == WHOLE and wanted == PARTIAL)
        if needed and frontier.get(node_id, (None, WHOLE))[1] == WHOLE:
            frontier[node_id] = (node_type, wanted)

    while frontier:
        into, stated_into, tables_any, columns, models, dashboards = [], [], [], [], [], []
        for node_id, (node_type, wanted) in frontier.items():
            known = need.get(node_id)
            if known is None:
                (into if node_type in ("mlfeature", None) else stated_into).append(node_id)
            need[node_id] = PARTIAL if known == PARTIAL else wanted
            if node_type in ("table", "column", None):
                reached[node_id] = node_type
            if node_type in ("table", None) and wanted == PARTIAL:
                tables_any.append(node_id)
            if known is not None:
                continue  # a table needed whole before, now needed at all: its columns only
            if node_type in ("column", None) and node_id not in table_of:
                columns.append(node_id)
            if node_type in ("mlmodel", None):
                models.append(node_id)
            if node_type in ("dashboard", None):
                dashboards.append(node_id)
        found = _as_steps(_steps_into(into, stated_into, tables_any, columns, models, dashboards))
        summaries = {(row[0], row[2]) for row in found if row[4] == SUMMARY}
        carrying = _uncovered(summaries) if summaries else set()
        frontier = {}
        for from_id, from_type, to_id, to_type, kind, table_id in found:
            if kind == SUMMARY:
                if (from_id, to_id) not in carrying:
                    continue
                kind = CARRIES
            steps.append((from_id, from_type, to_id, to_type, kind))
            follow(from_id, from_type, WHOLE if kind == MEMBER else PARTIAL)
            if table_id is not None and from_id not in table_of:
                # A column's table exposes it when exposed whole: the member step, found with the column.
                table_of[from_id] = table_id
                steps.append((table_id, "table", from_id, "column", MEMBER))
                follow(table_id, "table", WHOLE)
    return steps, reached


def _propagate(steps: list, seeds: dict, exposure: "Exposure") -> None:
    """Apply the rules to ``steps`` from ``seeds``: fill the exposed types, the seeds and the steps taken."""
    leaving = {}
    for step in steps:
        leaving.setdefault(step[0], []).append(step)
    state = dict.fromkeys(seeds, WHOLE)
    exposure.types.update(seeds)
    exposure.seeds.update(seeds)
    queue = deque(seeds)
    while queue:
        node_id = queue.popleft()
        for _, _, to_id, to_type, kind in leaving.get(node_id, ()):
            if kind == MEMBER and state[node_id] != WHOLE:
                continue
            reached = PARTIAL if kind == HOLDER else WHOLE
            if state.get(to_id, -1) < reached:
                state[to_id] = reached
                exposure.types[to_id] = to_type
                queue.append(to_id)
    by_kind = {CARRIES: set(), MEMBER: set(), HOLDER: set()}
    for from_id, _, to_id, _, kind in steps:
        if from_id in state and from_id != to_id and (kind != MEMBER or state[from_id] == WHOLE):
            by_kind[kind].add((from_id, to_id))
    exposure.steps.update(*by_kind.values())
    exposure.holding.update(by_kind[HOLDER] - by_kind[CARRIES])
    exposure.spreading.update(by_kind[MEMBER] - by_kind[CARRIES])


@dataclass
class Exposure:
    """The nodes sensitive data reaches, the steps it took and where it started.

    Complete for the nodes it was computed for and everything upstream of
    them; a node outside that is reported as not exposed.
    """

    types: dict = field(default_factory=dict)  # node id -> type
    seeds: set = field(default_factory=set)  # tagged columns and tables
    steps: set = field(default_factory=set)  # (from_id, to_id) pairs that carried exposure
    #: Steps from a column to its table, which then only holds sensitive data...
    holding: set = field(default_factory=set)
    #: ...and steps from a table to its columns, which only a table exposed as a whole takes.
    spreading: set = field(default_factory=set)
    _upstream: dict | None = field(default=None, repr=False, compare=False)  # filled by the first paths_to

    def _upstream_of(self) -> dict:
        """Return each node's sources, sorted: built once, as a page asks for the paths of many nodes."""
        if self._upstream is None:
            self._upstream = {}
            for from_id, to_id in self.steps:
                self._upstream.setdefault(to_id, []).append(from_id)
            for sources in self._upstream.values():
                sources.sort(key=str)
        return self._upstream

    def is_exposed(self, node_id) -> bool:
        return node_id in self.types

    def model_ids(self) -> set:
        return {node_id for node_id, node_type in self.types.items() if node_type == "mlmodel"}

    def paths_to(self, node_id, limit: int = MAX_PATHS) -> list[list]:
        """Return paths (lists of node ids, source first) from sensitive sources to ``node_id``, shortest first.

        The search walks back from ``node_id`` breadth first, never through a
        node twice on one path, and stops after ``limit`` complete paths. A
        path never goes from a column to its table and on to another of its
        columns: a table holding a sensitive column does not expose the others.
        """
        upstream = self._upstream_of()
        paths, queue, budget = [], deque([[node_id]]), MAX_SEARCH
        while queue and len(paths) < limit and budget:
            budget -= 1
            path = queue.popleft()
            head = path[0]
            if head in self.seeds and len(path) > 1:
                paths.append(path)
            spreads = len(path) > 1 and (head, path[1]) in self.spreading
            for source in upstream.get(head, []):
                if source not in path and not (spreads and (source, head) in self.holding):
                    queue.append([source, *path])
        return paths


def exposure(node_ids) -> Exposure:
    """Return how sensitive data reaches the given nodes: ``{id: type}``, or ids of any type.

    One query per level of lineage upstream of them, and one for the tags;
    none when no tag is sensitive.
    """
    result = Exposure()
    if not sensitive_tag_hashes():
        return result
    targets = dict(node_ids) if isinstance(node_ids, dict) else dict.fromkeys(node_ids)
    if not targets:
        return result
    steps, reached = _upstream(targets)
    columns = [i for i, t in reached.items() if t in ("column", None)]
    tables = [i for i, t in reached.items() if t in ("table", None)]
    _propagate(steps, _sensitive(columns, tables), result)
    return result


# -- Every exposed model: downstream walk -----------------------------------------------------------------------------


def _steps_from(sources, others, whole_tables, columns, features, models) -> list[tuple]:
    """Return the steps leaving the given exposed nodes (one query), as rows (from, from type, to, to type, kind, x).

    ``sources`` are columns and tables, whose every edge is followed; the
    features those edges reach come as ``followed feature`` rows and their
    models as ``followed model`` rows, with the stated edges leaving the
    features, the models and their dashboards: those are done with. ``others`` are
    nodes that only stated edges leave (features, models, dashboards...).
    ``features`` lead to their models. ``models`` come as ``model`` rows:
    (model, type, its dashboard or NULL, type, ``model``, its label or NULL
    when deleted).
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
    return _rows(
        [
            *from_reached,
            _matching(
                f"SELECT e.from_id, e.from_type, e.to_id, e.to_type, {EDGE_KIND}, {NO_FLAG} FROM {EDGE} e"
                f" WHERE {STATED}",
                "e.from_id",
                others,
            ),
            _matching(
                f"SELECT c.table_id, 'table', c.id, 'column', '{MEMBER}', {NO_FLAG} FROM {COLUMN} c",
                "c.table_id",
                whole_tables,
            ),
            _matching(
                f"SELECT c.id, 'column', c.table_id, 'table', '{HOLDER}', {NO_FLAG} FROM {COLUMN} c", "c.id", columns
            ),
            _matching(
                f"SELECT f.id, 'mlfeature', f.model_id, 'mlmodel', '{CARRIES}', {NO_FLAG} FROM {FEATURE} f",
                "f.id",
                features,
            ),
            _matching(f"{MODEL_ROW} FROM {MODEL} m", "m.id", models),
        ],
        prefix,
    )


@dataclass
class Reach:
    """Everything sensitive data reaches in the catalogue, as the downstream walk found it."""

    state: dict = field(default_factory=dict)  # node id -> PARTIAL (a table holding sensitive data) or WHOLE
    seeds: set = field(default_factory=set)  # the tagged columns and tables
    live_models: list = field(default_factory=list)  # (id, label) of the live exposed models, as governance lists them

    def is_exposed(self, node_id) -> bool:
        return node_id in self.state


def _walk_down() -> Reach:
    """Return what sensitive data reaches in the whole catalogue (ids as UUIDs).

    Walks down from the tagged columns and tables, one query per level, each
    asking for the steps leaving the nodes the level before newly exposed (a
    table's columns only when the table is exposed whole). Stated table →
    model summaries wait until nothing else is left to follow; then those
    that would expose a model nothing else exposed are checked against the
    model's column-grain edges, and the walk goes on from what they expose.
    """
    state, types, frontier, summaries, live = {}, {}, {}, set(), {}
    table_known = set()  # tagged columns, whose table comes with them
    looked_up = set()  # models whose row (dashboard and label) came already

    def arrive(node_id, node_type, how_much, followed=False):
        """Record that sensitive data reaches a node; follow it next unless its steps came already."""
        if node_id is not None and state.get(node_id, -1) < how_much:
            state[node_id] = how_much
            types[node_id] = node_type
            if not followed:
                frontier[node_id] = node_type

    seeds = _every_sensitive()
    for node_id, node_type, table_id in seeds:
        arrive(node_id, node_type, WHOLE)
        if table_id is not None:
            table_known.add(node_id)
            arrive(table_id, "table", PARTIAL)
    while frontier:
        by_type = {}
        for node_id, node_type in frontier.items():
            by_type.setdefault(node_type, []).append(node_id)
        sources = [*by_type.pop("column", []), *by_type.pop("table", [])]
        found = _steps_from(
            sources,
            [node_id for ids in by_type.values() for node_id in ids],
            [node_id for node_id in sources if types[node_id] == "table" and state[node_id] == WHOLE],
            [node_id for node_id in sources if types[node_id] == "column" and node_id not in table_known],
            by_type.get("mlfeature"),
            [node_id for node_id in by_type.get("mlmodel", []) if node_id not in looked_up],
        )
        frontier = {}
        for from_id, _from_type, to_id, to_type, kind, label in found:
            if kind == SUMMARY:
                summaries.add((from_id, to_id))
                continue
            if kind in (MODEL_KIND, FOLLOWED_MODEL_KIND):
                looked_up.add(from_id)
                if label is not None:
                    live[from_id] = label
                followed = kind == FOLLOWED_MODEL_KIND
                arrive(from_id, "mlmodel", WHOLE, followed)
                arrive(to_id, "dashboard", WHOLE, followed)
                continue
            arrive(to_id, to_type, PARTIAL if kind == HOLDER else WHOLE, followed=kind == FOLLOWED_FEATURE_KIND)
        if not frontier:
            for _table_id, model_id in _uncovered({(t, m) for t, m in summaries if m not in state}):
                arrive(model_id, "mlmodel", WHOLE)
            summaries = set()
    return Reach(
        state={_as_uuid(node_id): how_much for node_id, how_much in state.items()},
        seeds={_as_uuid(node_id) for node_id, _, _ in seeds},
        live_models=sorted(
            ((_as_uuid(model_id), label) for model_id, label in live.items()),
            key=lambda row: (row[1].lower(), str(row[0])),
        ),
    )


def reach() -> Reach:
    """Return what sensitive data reaches in the whole catalogue, computed once per change of it (lineage.memo).

    One query per level of lineage below the sensitive columns and tables
    (three levels for columns → features → models → dashboards), one for the
    sensitive tags and one for the table → model edges stated by hand or
    through the API that could expose a model nothing else exposes; none
    when no tag is sensitive. Kept, it costs one query. Shared: not to be
    changed by callers.
    """
    hashes = tuple(sensitive_tag_hashes())
    return memo.remembered("exposure", hashes, _walk_down if hashes else Reach)


def exposed_model_ids() -> set:
    """Return the ids of live ML models that sensitive data reaches.

    Meant for list pages such as explore's "uses sensitive data" facet:
    ``MlModel.objects.filter(pk__in=exposed_model_ids())``. Costs what
    :func:`reach` costs.
    """
    return {model_id for model_id, _ in reach().live_models}


# -- Reports for pages -------------------------------------------------------------------------------------------------


@dataclass
class Step:
    """One node of an exposure path, with the table or model it belongs to."""

    info: object  # nodes.NodeInfo
    container: object = None  # the NodeInfo of a column's table or a feature's model


@dataclass
class Exposed:
    """A node sensitive data reaches, with the paths it takes (source first)."""

    info: object  # nodes.NodeInfo, with owners
    paths: list = field(default_factory=list)  # lists of Step
    more_paths: bool = False  # MAX_PATHS were listed; there may be more


def exposed_models() -> list[tuple]:
    """Return (id, label) of every live exposed model, in the order the governance list shows them."""
    return reach().live_models


def report(
    node_ids=None, found: Exposure | None = None, *, owners: bool = True, known: dict | None = None
) -> list[Exposed]:
    """Return the exposed live models (or the given nodes, when exposed) with their paths and owners.

    Costs the exposure of the nodes (none when ``found`` is given, which
    must cover them) and a few queries per node type for the names, except
    for the NodeInfos ``known`` already (loaded without owners: only with
    ``owners=False``, when nobody shows them).
    """
    if node_ids is None:
        node_ids = [pk for pk, _ in exposed_models()]
    found = exposure(node_ids) if found is None else found
    wanted = {i for i in node_ids if found.is_exposed(i)}
    paths = {node_id: found.paths_to(node_id) for node_id in wanted}
    on_paths = {step: found.types[step] for node_paths in paths.values() for path in node_paths for step in path}
    # Owners are shown for the nodes asked about, not for every table on their paths.
    infos = _infos({node_id: found.types[node_id] for node_id in wanted}, owners, known)
    infos.update(_infos({i: t for i, t in on_paths.items() if i not in infos}, False, known))
    containers = _infos(
        {info.container_id: CONTAINER_TYPE[info.type] for info in infos.values() if info.container_id}, False, known
    )
    result = []
    for node_id in wanted:
        info = infos.get(node_id)
        if info is None or info.deleted:
            continue
        steps = [
            [Step(infos[step], containers.get(infos[step].container_id)) for step in path if step in infos]
            for path in paths[node_id]
        ]
        result.append(Exposed(info, steps, more_paths=len(steps) >= MAX_PATHS))
    return sorted(result, key=lambda exposed: (exposed.info.label.lower(), str(exposed.info.id)))


def _infos(types: dict, owners: bool, known: dict | None) -> dict:
    """Return the NodeInfos of ``{id: type}``, loading only those ``known`` lacks (all of them for owners)."""
    known = {} if owners or known is None else known
    infos = {node_id: known[node_id] for node_id in types if node_id in known}
    infos.update(nodes.load({i: t for i, t in types.items() if i not in infos}, owners=owners))
    return infos
