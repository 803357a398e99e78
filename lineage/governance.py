"""Sensitive-data exposure: which nodes sensitive columns and tables flow into.

A column or table carrying one of ``settings.SENSITIVE_TAGS`` is a *source*
of sensitive data. Exposure flows downstream, computed live by one recursive
SQL query whenever it is asked for, so tagging a column marks every feature,
model and dashboard below it at once. The rules:

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
  which data reaches the model.
"""

import uuid
from collections import deque
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from catalog import fqn as fqnlib
from catalog.models import Column, MlFeature, MlModel, Table, Tag
from lineage import nodes
from lineage.models import Edge
from lineage.queries import CONTAINER_TYPE

#: Paths listed per model at most; a model fed by many sensitive columns lists the shortest.
MAX_PATHS = 25
#: Partial paths a search may look at, so a dense graph cannot stall a page.
MAX_SEARCH = 20_000


def sensitive_tag_hashes() -> list[str]:
    """Return the FQN hashes of the tags that mark sensitive data (read at call time)."""
    return [fqnlib.digest(fqnlib.normalise(name)) for name in settings.SENSITIVE_TAGS]


def _exposure_sql(tag_hashes: list[str]) -> tuple[str, list]:
    """Return the recursive query listing every exposure step as (from, to, to_type, whole, seed).

    Seeds are rows whose ``from`` equals ``to`` (the tagged columns and
    tables). ``whole`` says a table is exposed as a whole, which lets its
    containment step to each column pass.
    """
    edge = Edge._meta.db_table
    column = Column._meta.db_table
    feature = MlFeature._meta.db_table
    model = MlModel._meta.db_table
    tag = Tag._meta.db_table
    column_tags = Column.tags.through._meta.db_table
    table_tags = Table.tags.through._meta.db_table
    placeholders = ", ".join(["%s"] * len(tag_hashes))
    sql = f"""
        WITH RECURSIVE
        step(from_id, to_id, to_type, whole, needs_whole) AS (
            SELECT e.from_id, e.to_id, CAST(e.to_type AS TEXT), 1, 0 FROM {edge} e
            WHERE NOT (e.from_type = 'table' AND e.to_type = 'mlmodel' AND EXISTS (
                SELECT 1 FROM {edge} fine JOIN {feature} f ON f.id = fine.to_id
                WHERE f.model_id = e.to_id AND (
                    fine.from_id = e.from_id
                    OR fine.from_id IN (SELECT c.id FROM {column} c WHERE c.table_id = e.from_id))))
            UNION ALL SELECT c.table_id, c.id, CAST('column' AS TEXT), 1, 1 FROM {column} c
            UNION ALL SELECT c.id, c.table_id, CAST('table' AS TEXT), 0, 0 FROM {column} c
            UNION ALL SELECT f.id, f.model_id, CAST('mlmodel' AS TEXT), 1, 0 FROM {feature} f
            UNION ALL SELECT m.id, m.dashboard_id, CAST('dashboard' AS TEXT), 1, 0 FROM {model} m
                WHERE m.dashboard_id IS NOT NULL
        ),
        exposed(from_id, to_id, to_type, whole, seed) AS (
            SELECT ct.column_id, ct.column_id, CAST('column' AS TEXT), 1, 1 FROM {column_tags} ct
                JOIN {tag} t ON t.id = ct.tag_id WHERE t.fqn_hash IN ({placeholders})
            UNION
            SELECT tt.table_id, tt.table_id, CAST('table' AS TEXT), 1, 1 FROM {table_tags} tt
                JOIN {tag} t ON t.id = tt.tag_id WHERE t.fqn_hash IN ({placeholders})
            UNION
            SELECT s.from_id, s.to_id, s.to_type, s.whole, 0 FROM exposed x JOIN step s ON s.from_id = x.to_id
                WHERE s.needs_whole = 0 OR x.whole = 1
        )
    """
    return sql, [*tag_hashes, *tag_hashes]


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@dataclass
class Exposure:
    """Every node sensitive data reaches, the steps it took and where it started."""

    types: dict = field(default_factory=dict)  # node id -> type
    seeds: set = field(default_factory=set)  # tagged columns and tables
    steps: set = field(default_factory=set)  # (from_id, to_id) pairs that carried exposure

    def is_exposed(self, node_id) -> bool:
        return node_id in self.types

    def model_ids(self) -> set:
        return {node_id for node_id, node_type in self.types.items() if node_type == "mlmodel"}

    def paths_to(self, node_id, limit: int = MAX_PATHS) -> list[list]:
        """Return paths (lists of node ids, source first) from sensitive sources to ``node_id``, shortest first.

        The search walks back from ``node_id`` breadth first, never through a
        node twice on one path, and stops after ``limit`` complete paths.
        """
        upstream = {}
        for from_id, to_id in self.steps:
            upstream.setdefault(to_id, []).append(from_id)
        for sources in upstream.values():
            sources.sort(key=str)
        paths, queue, budget = [], deque([[node_id]]), MAX_SEARCH
        while queue and len(paths) < limit and budget:
            budget -= 1
            path = queue.popleft()
            head = path[0]
            if head in self.seeds and len(path) > 1:
                paths.append(path)
            for source in upstream.get(head, []):
                if source not in path:
                    queue.append([source, *path])
        return paths


def exposure() -> Exposure:
    """Return the current exposure of the whole catalogue (one SQL query)."""
    result = Exposure()
    hashes = sensitive_tag_hashes()
    if not hashes:
        return result
    sql, params = _exposure_sql(hashes)
    with connection.cursor() as cursor:
        cursor.execute(sql + " SELECT from_id, to_id, to_type, seed FROM exposed", params)
        rows = cursor.fetchall()
    for from_id, to_id, to_type, seed in rows:
        from_id, to_id = _as_uuid(from_id), _as_uuid(to_id)
        result.types[to_id] = to_type
        if seed:
            result.seeds.add(to_id)
        elif from_id != to_id:
            result.steps.add((from_id, to_id))
    return result


def exposed_model_ids() -> set:
    """Return the ids of live ML models that sensitive data reaches (one SQL query).

    Meant for list pages such as explore's "uses sensitive data" facet:
    ``MlModel.objects.filter(pk__in=exposed_model_ids())``.
    """
    hashes = sensitive_tag_hashes()
    if not hashes:
        return set()
    sql, params = _exposure_sql(hashes)
    with connection.cursor() as cursor:
        cursor.execute(
            sql + f" SELECT DISTINCT x.to_id FROM exposed x JOIN {MlModel._meta.db_table} m ON m.id = x.to_id"
            " WHERE x.to_type = 'mlmodel' AND m.deleted = %s",
            [*params, False],
        )
        return {_as_uuid(row[0]) for row in cursor.fetchall()}


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


def report(node_ids=None, found: Exposure | None = None) -> list[Exposed]:
    """Return the exposed live models (or the given nodes, when exposed) with their paths and owners.

    Costs one query for the exposure (none when ``found`` is given) and a few
    per node type for the names.
    """
    found = exposure() if found is None else found
    wanted = found.model_ids() if node_ids is None else {i for i in node_ids if found.is_exposed(i)}
    paths = {node_id: found.paths_to(node_id) for node_id in wanted}
    on_paths = {node_id: found.types[node_id] for node_id in wanted}
    for node_paths in paths.values():
        on_paths.update((step, found.types[step]) for path in node_paths for step in path)
    infos = nodes.load(on_paths, owners=True)
    containers = nodes.load({info.container_id: CONTAINER_TYPE[info.type]
                             for info in infos.values() if info.container_id})
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
