"""Walking the lineage graph: a bounded number of SQL queries per depth level, cycles handled.

A walk never issues one query per node: each level asks for every edge that
touches the current frontier at once. :func:`walk` follows stored edges node
by node (OpenMetadata's /lineage grain, one query per level);
:func:`neighbourhood` follows units for the diagrams (at most five queries
per level), whatever the size of the neighbourhood.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import F, OuterRef, Q, Subquery, UUIDField
from django.db.models.functions import Coalesce

from catalog import registry
from catalog.models import Column, MlFeature, MlModel, ModelVersion
from catalog.sql import one_of
from lineage.models import Edge

#: The lineage types of OpenMetadata's /lineage endpoints that ModelAtlas holds (the registry's entity grain).
HELD_TYPES = frozenset(name for name, t in registry.TYPES.items() if t.lineage == registry.ENTITY_GRAIN)
#: OpenMetadata's other lineage types. An edge may name them, but they are no entity types of ModelAtlas (no
#: model, no registry entry): OpenMetadata's vocabulary, listed as such. A type the registry gains leaves this list.
OPENMETADATA_ONLY_TYPES = {
    "pipeline",
    "topic",
    "container",
    "searchIndex",
    "storedProcedure",
    "dashboardDataModel",
    "apiEndpoint",
    "metric",
}
#: The node types OpenMetadata's /lineage endpoints know. Column and feature
#: nodes are ModelAtlas's finer grain and stay out of that API.
ENTITY_TYPES = HELD_TYPES | OPENMETADATA_ONLY_TYPES


@dataclass
class Walk:
    """The result of a walk: the nodes reached (by type) and the edges followed."""

    nodes: dict = field(default_factory=dict)  # id -> type, root excluded
    upstream: list = field(default_factory=list)  # Edge rows, from = upstream node
    downstream: list = field(default_factory=list)
    truncated: bool = False


def walk(root_id, *, upstream: int = 1, downstream: int = 1, types=None, limit: int | None = None) -> Walk:
    """Return the neighbourhood of ``root_id`` up to the given depths.

    ``types`` keeps only edges whose two ends are of those types. ``limit``
    caps the number of nodes reached; past it the walk stops early and says
    so in ``truncated``.
    """
    result = Walk()
    seen_nodes = {root_id}
    for direction, depth, edges_out in (("up", upstream, result.upstream), ("down", downstream, result.downstream)):
        frontier = {root_id}
        seen_edges = set()
        for _ in range(depth):
            if not frontier:
                break
            if direction == "up":
                rows = Edge.objects.filter(to_id__in=frontier)
            else:
                rows = Edge.objects.filter(from_id__in=frontier)
            if types is not None:
                rows = rows.filter(from_type__in=types, to_type__in=types)
            next_frontier = set()
            for edge in rows.order_by("from_type", "from_id", "to_id"):
                if edge.pk in seen_edges:
                    continue
                far_id, far_type = (edge.from_id, edge.from_type) if direction == "up" else (edge.to_id, edge.to_type)
                if far_id not in seen_nodes:
                    if limit is not None and len(result.nodes) >= limit:
                        result.truncated = True
                        continue
                    seen_nodes.add(far_id)
                    result.nodes[far_id] = far_type
                    next_frontier.add(far_id)
                seen_edges.add(edge.pk)
                edges_out.append(edge)
            frontier = next_frontier
    return result


# -- Neighbourhoods for diagrams and impact analysis ------------------------------------------------------------------
#
# The diagrams draw *units*: a table with its columns, a model with its
# features and model versions, a dashboard. A hop is an edge between two units, so column →
# feature is one hop, the same as the table → model edge OpenMetadata stores
# for it. Walking a level asks for every edge touching the frontier's units
# at once; the other queries of a level resolve which unit each far end
# belongs to and the implied model → dashboard links.

#: The container each kind of member belongs to.
CONTAINER_TYPE = {"column": "table", "mlfeature": "mlmodel", "modelVersion": "mlmodel"}
#: The field of each kind of member naming its container.
CONTAINER_FIELD = {"column": "table_id", "mlfeature": "model_id", "modelVersion": "model_id"}
#: The row of each kind of member.
MEMBER_MODELS = {"column": Column, "mlfeature": MlFeature, "modelVersion": ModelVersion}
#: The origin given to a model → dashboard link read from ``MlModel.dashboard``.
IMPLIED = "Dashboard"
#: No walk goes further than this many hops (impact analysis asks for "all").
MAX_DEPTH = 50


class Link(NamedTuple):
    """One edge of a neighbourhood; ``pk`` is None for a link implied by ``MlModel.dashboard``.

    A named tuple, not a frozen dataclass: a busy table's walk makes thousands, and a frozen dataclass costs
    several times more to create.
    """

    from_type: str
    from_id: object
    to_type: str
    to_id: object
    origin: str
    pk: int | None = None
    description: str = ""


@dataclass
class Neighbourhood:
    """What a unit walk reached: nodes with their hop distance, containers and links."""

    focus_type: str
    focus_id: object
    types: dict = field(default_factory=dict)  # node id -> type, focus included
    distance: dict = field(default_factory=dict)  # node id -> hops (negative upstream), focus 0
    containers: dict = field(default_factory=dict)  # column/feature id -> table/model id
    links: dict = field(default_factory=dict)  # (from_id, to_id) -> Link
    truncated: bool = False
    # feature id -> (model_id, name, data_type), read with its container so that naming the nodes need not ask again
    feature_rows: dict = field(default_factory=dict)


@dataclass
class _Frontier:
    """Ids whose own edges are followed, and containers whose members' edges are too."""

    ids: set = field(default_factory=set)
    whole: set = field(default_factory=set)

    def __bool__(self):
        return bool(self.ids or self.whole)


def neighbourhood(
    focus_type: str, focus_id, *, upstream: int = 1, downstream: int = 1, limit: int | None = None
) -> Neighbourhood:
    """Return the units around a node up to the given hop depths, in a few queries per level.

    A focus column follows its own edges and its table's table-grain ones; a
    focus feature follows the edges into it and, downstream, its model's. A
    unit reached at a member continues from that member and its container; a
    unit reached at its container continues from the whole unit. Each unit is
    expanded once per direction, so cycles end the walk. ``limit`` caps the
    number of nodes; past it the walk stops adding nodes and sets ``truncated``.
    """
    result = Neighbourhood(focus_type, focus_id)
    result.types[focus_id] = focus_type
    result.distance[focus_id] = 0
    if focus_type == "mlmodel":
        # A model is drawn with all its features, whatever the depths.
        for feature_id in MlFeature.objects.filter(model_id=focus_id).values_list("id", flat=True):
            result.types[feature_id] = "mlfeature"
            result.distance[feature_id] = 0
            result.containers[feature_id] = focus_id
    focus_container = _focus_container(focus_type, focus_id)
    if focus_container is not None:
        result.containers[focus_id] = focus_container
        result.types[focus_container] = CONTAINER_TYPE[focus_type]
        result.distance[focus_container] = 0
    for direction, depth in (("up", min(upstream, MAX_DEPTH)), ("down", min(downstream, MAX_DEPTH))):
        frontier = _start(focus_type, focus_id, focus_container, direction)
        expanded = _Frontier(set(frontier.ids), set(frontier.whole))
        for level in range(1, depth + 1):
            if not frontier:
                break
            frontier = _step(result, frontier, direction, level, limit)
            frontier.ids -= expanded.ids
            frontier.whole -= expanded.whole
            expanded.ids |= frontier.ids
            expanded.whole |= frontier.whole
    return result


def _focus_container(focus_type, focus_id):
    if focus_type not in MEMBER_MODELS:
        return None
    rows = MEMBER_MODELS[focus_type].objects.filter(pk=focus_id)
    return rows.values_list(CONTAINER_FIELD[focus_type], flat=True).first()


def _start(focus_type, focus_id, container, direction) -> _Frontier:
    if focus_type in ("table", "mlmodel"):
        return _Frontier({focus_id}, {focus_id})
    if focus_type == "column" and container is not None:
        return _Frontier({focus_id, container})
    if focus_type in ("mlfeature", "modelVersion") and container is not None and direction == "down":
        return _Frontier({focus_id, container})
    return _Frontier({focus_id})


def _step(result: Neighbourhood, frontier: _Frontier, direction: str, level: int, limit) -> _Frontier:
    """Follow one hop from ``frontier``; record what it reaches; return the next frontier."""
    near, far = ("to", "from") if direction == "up" else ("from", "to")
    links = _edges_touching(near, frontier, result.types) + _implied_links(
        result, frontier.ids | frontier.whole, direction
    )
    links = _without_summaries(links)
    _resolve_containers(
        result, [(link.from_type, link.from_id) for link in links] + [(link.to_type, link.to_id) for link in links]
    )
    sign = -1 if direction == "up" else 1
    types, distance, containers = result.types, result.distance, result.containers
    following = _Frontier()
    for link in links:
        if direction == "up":
            near_type, near_id, far_type, far_id = link.to_type, link.to_id, link.from_type, link.from_id
        else:
            near_type, near_id, far_type, far_id = link.from_type, link.from_id, link.to_type, link.to_id
        near_unit = containers.get(near_id, near_id)
        far_unit = containers.get(far_id, far_id)
        if far_unit == near_unit:
            continue  # a feature → its own model: drawn from containment, not a hop
        # A member found through its whole container (a column of a table
        # reached table-grain) joins the graph where its container is.
        new = {}
        if near_id not in types:
            new[near_id] = (near_type, distance.get(near_unit, 0))
        if far_id not in types and far_id not in new:
            new[far_id] = (far_type, sign * level)
        if far_unit not in types and far_unit not in new:
            new[far_unit] = (CONTAINER_TYPE[far_type], sign * level)
        if new and limit is not None and len(types) + len(new) > limit:
            result.truncated = True
            continue
        for node_id, (node_type, node_distance) in new.items():
            types[node_id] = node_type
            distance[node_id] = node_distance
        # A stored edge wins over the link MlModel.dashboard implies for the same pair.
        result.links.setdefault((link.from_id, link.to_id), link)
        following.ids.add(far_id)
        following.ids.add(far_unit)
        if far_unit == far_id and far_type in CONTAINER_TYPE.values():
            following.whole.add(far_id)
    return following


#: The only node types derived edges leave (columns and tables feed features) and enter (features), beside a
#: feature's edge to its own model (drawn from containment) and a table → model summary (dropped unread): from
#: or to any other node, and from or to the members of other containers, only stated edges can lead anywhere.
#: (Edges derived from model versions' data are read with the stated ones: see ``lineage.models.Edge``.)
DERIVED_LEAVE, DERIVED_ENTER = {"column", "table"}, {"mlfeature"}


#: The members whose edges a whole unit's follow, by the end the unit is at: edges leave a model version only
#: for its own model (drawn from containment), so a walk downstream leaves them out.
MEMBERS_FOLLOWED = {"to": ("column", "mlfeature", "modelVersion"), "from": ("column", "mlfeature")}


def _edges_touching(near: str, frontier: _Frontier, types: dict) -> list[Link]:
    """Return the stored edges whose ``near`` end is a frontier id or a member of a whole unit (one query).

    Selects joined by UNION ALL, each able to use an index on its end: ORed
    together, PostgreSQL would scan every edge instead. Where only stated
    edges can lead on (see DERIVED_LEAVE), they are read through their own
    partial indexes: a model's features would otherwise bring back an edge
    to the model each, for nothing.
    """
    fields = ("pk", "from_type", "from_id", "to_type", "to_id", "origin", "description")
    derived_side = DERIVED_LEAVE if near == "from" else DERIVED_ENTER
    any_ids = {i for i in frontier.ids if types.get(i) in derived_side}
    stated_ids = frontier.ids - any_ids
    stated = ~Q(origin=Edge.Origin.FEATURE_SOURCE)
    selects = []
    if any_ids:
        selects.append(Edge.objects.filter(one_of(f"{near}_id", any_ids)))
    if stated_ids:
        selects.append(Edge.objects.filter(stated, one_of(f"{near}_id", stated_ids)))
    for member_type in MEMBERS_FOLLOWED[near]:
        container_type = CONTAINER_TYPE[member_type]
        containers = {i for i in frontier.whole if types.get(i) == container_type}
        if containers:
            rows = MEMBER_MODELS[member_type].objects.filter(one_of(CONTAINER_FIELD[member_type], containers))
            member_ids = rows.values("id")
            edges = Edge.objects.filter(**{f"{near}_id__in": member_ids})
            selects.append(edges if member_type in derived_side else edges.filter(stated))
    if not selects:
        return []
    rows = (
        selects[0]
        .values_list(*fields)
        .order_by()
        .union(*(q.values_list(*fields).order_by() for q in selects[1:]), all=True)
    )
    by_pk = {row[0]: row for row in rows}
    return [
        Link(from_type, from_id, to_type, to_id, origin, pk, description)
        for pk, from_type, from_id, to_type, to_id, origin, description in (by_pk[pk] for pk in sorted(by_pk))
    ]


def _without_summaries(links: list[Link]) -> list[Link]:
    """Drop table → model links that the model's feature-grain links already describe.

    A derived table → model edge always has a column (or table) → feature edge
    beside it, so it is dropped unread; an edge added by hand or through the
    API is dropped when the model has a feature fed by that table (one query).
    """
    links = [link for link in links if not _is_summary(link) or link.origin != Edge.Origin.FEATURE_SOURCE]
    candidates = [link for link in links if _is_summary(link)]
    if not candidates:
        return links
    model_of_feature = MlFeature.objects.filter(pk=OuterRef("to_id")).order_by().values("model_id")[:1]
    table_of_column = Column.objects.filter(pk=OuterRef("from_id")).order_by().values("table_id")[:1]
    feature_ids = MlFeature.objects.filter(model_id__in={link.to_id for link in candidates}).order_by().values("id")
    covered = set(
        Edge.objects.filter(to_id__in=feature_ids)
        .annotate(
            model_id=Subquery(model_of_feature, output_field=UUIDField()),
            table_id=Coalesce(
                Subquery(table_of_column, output_field=UUIDField()), F("from_id"), output_field=UUIDField()
            ),
        )
        .filter(table_id__in={link.from_id for link in candidates})
        .values_list("table_id", "model_id")
    )
    return [link for link in links if not (_is_summary(link) and (link.from_id, link.to_id) in covered)]


def _is_summary(link: Link) -> bool:
    return link.from_type == "table" and link.to_type == "mlmodel"


def _implied_links(result: Neighbourhood, ids, direction) -> list[Link]:
    """Return the model → dashboard links ``MlModel.dashboard`` implies around ``ids``."""
    near_type = "mlmodel" if direction == "down" else "dashboard"
    ids = [i for i in ids if result.types.get(i) == near_type]
    if not ids:
        return []
    if direction == "down":
        pairs = MlModel.objects.filter(one_of("id", ids), dashboard__isnull=False)
    else:
        pairs = MlModel.objects.filter(one_of("dashboard_id", ids))
    return [
        Link("mlmodel", model_id, "dashboard", dashboard_id, IMPLIED)
        for model_id, dashboard_id in pairs.values_list("id", "dashboard_id")
    ]


def _resolve_containers(result: Neighbourhood, nodes) -> None:
    """Record the table of every new column and the model of every new feature or model version (a query per kind).

    A feature's name and data type come with its model, for :func:`lineage.nodes.load`: around a busy table,
    sending the same thousand feature ids twice cost more than reading two more columns once.
    Unordered: the default orderings would join every table or model to sort rows nobody reads in order.
    """
    wanted = {"column": set(), "mlfeature": set(), "modelVersion": set()}
    for node_type, node_id in nodes:
        if node_type in wanted and node_id not in result.containers:
            wanted[node_type].add(node_id)
    for member_type in ("column", "modelVersion"):
        if wanted[member_type]:
            rows = MEMBER_MODELS[member_type].objects.filter(one_of("id", wanted[member_type])).order_by()
            result.containers.update(rows.values_list("id", CONTAINER_FIELD[member_type]))
    if wanted["mlfeature"]:
        rows = (
            MlFeature.objects.filter(one_of("id", wanted["mlfeature"]))
            .order_by()
            .values_list("id", "model_id", "name", "data_type")
        )
        for feature_id, model_id, name, data_type in rows:
            result.containers[feature_id] = model_id
            result.feature_rows[feature_id] = (model_id, name, data_type)
