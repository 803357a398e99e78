"""The lineage graph layer: catalogue rows → nodes and edges ready to draw or list.

Nothing here knows about DOT or Graphviz. :func:`build` walks the units
around a focus node (tables with their columns, models with their features
and model versions, dashboards), loads every node's details in bulk, marks what sensitive data
reaches, applies the kind and tag filters and the size cap. :func:`impact`
lists everything downstream of a table or column with its owners.

``MlModel.dashboard`` is read as an implied model → dashboard edge: the model
page already says "monitored on this dashboard", and the diagram, impact
analysis and governance should say the same without anyone having to add
the edge twice. It is never stored as an ``Edge``, so OpenMetadata's
``/api/v1/lineage`` (where the dashboard reference is *not* lineage) is
unaffected; a stored edge between the same two nodes is drawn instead.
"""

from collections import deque
from dataclasses import dataclass, field, replace

from catalog import fqn as fqnlib
from catalog import registry
from lineage import governance, nodes, queries
from lineage.models import Edge

#: Node kinds a diagram can show; ``other`` covers types outside the catalogue. These are the diagram's filter
#: groups, not a list of the registry's types: a column goes with its table, and a lineage type with no group
#: of its own here is filtered as ``other``.
KINDS = ("table", "mlfeature", "modelVersion", "mlmodel", "dashboard", "other")
KIND_LABELS = {
    "table": "Tables and columns",
    "mlfeature": "Features",
    "modelVersion": "Model versions",
    "mlmodel": "ML models",
    "dashboard": "Dashboards",
    "other": "Other assets",
}
#: Each node type in words, for labels and headings.
TYPE_WORDS = {name: registry.TYPES[name].word for name in nodes.MODELS}
#: Nodes drawn at most before the rest is summarised as "N more nodes".
DEFAULT_CAP = 150
#: Nodes a walk collects at most, whatever the cap (keeps a pathological graph cheap).
WALK_LIMIT = 5000
#: The deepest a page may ask for in either direction.
MAX_DEPTH = 6
#: The node types whose pages list the paths sensitive data takes to them.
PATH_TYPES = {"mlmodel", "mlfeature", "modelVersion", "dashboard"}
#: The origin of the edge to its model every feature and model version has by belonging to it.
CONTAINS = "Contains"
#: The members drawn with an edge to their model.
MODEL_MEMBERS = {"mlfeature", "modelVersion"}


class NotFound(Exception):
    """The focus node does not exist (or is deleted)."""


@dataclass
class Node:
    info: nodes.NodeInfo
    distance: int  # hops from the focus, negative upstream
    focus: bool = False
    sensitive: bool = False  # carries a sensitive tag itself
    exposed: bool = False  # sensitive data reaches it (sources included)

    @property
    def id(self):
        return self.info.id

    @property
    def type(self) -> str:
        return self.info.type

    @property
    def kind(self) -> str:
        """Return the filter kind: columns count as tables, non-catalogue types as other."""
        if self.type == "column":
            return "table"
        return self.type if self.type in KINDS else "other"


@dataclass
class GraphEdge:
    from_id: object
    to_id: object
    origin: str
    pk: int | None = None
    sensitive: bool = False
    description: str = ""
    parts: tuple = ()  # for an edge bridging hidden nodes, the (from, to) pairs of the edges it stands for


@dataclass
class Graph:
    focus: Node
    nodes: dict  # id -> Node, nearest first
    edges: list
    upstream: int
    downstream: int
    kinds: tuple = KINDS
    tag: str = ""
    hidden: int = 0  # nodes left out by the cap
    hidden_at_least: bool = False  # the walk itself stopped early, so more may exist
    exposure: governance.Exposure | None = None  # how sensitive data reaches the focus, for PATH_TYPES
    infos: dict = field(default_factory=dict)  # id -> NodeInfo of every node the walk reached, as loaded

    _members: dict | None = field(default=None, repr=False, compare=False)  # container id -> nodes, built once

    def members(self, container_id) -> list:
        """Return the drawn columns of a table or features of a model (grouped once: a diagram asks per node)."""
        if self._members is None:
            self._members = {}
            for node in self.nodes.values():
                if node.info.container_id is not None:
                    self._members.setdefault(node.info.container_id, []).append(node)
        return list(self._members.get(container_id, ()))


def build(
    focus_type: str,
    focus_id,
    *,
    upstream: int = 2,
    downstream: int = 2,
    kinds=KINDS,
    tag: str = "",
    cap: int | None = None,
) -> Graph:
    """Return the lineage graph around a node, filtered, capped and marked for sensitivity.

    ``kinds`` lists the kinds to show; edges through a hidden kind are
    bridged so what remains stays connected. ``tag`` (an FQN) keeps only the
    nodes that carry it and what flows into or out of them. ``cap`` (default
    :data:`DEFAULT_CAP`) bounds the nodes drawn. Raises :class:`NotFound` for
    an unknown or deleted focus.
    """
    upstream, downstream = _clamp(upstream), _clamp(downstream)
    walked = queries.neighbourhood(focus_type, focus_id, upstream=upstream, downstream=downstream, limit=WALK_LIMIT)
    infos = nodes.load(walked.types, tags=bool(tag), feature_rows=walked.feature_rows)
    focus_info = infos.get(focus_id)
    if focus_info is None or focus_info.deleted:
        raise NotFound(focus_id)
    kinds = tuple(k for k in KINDS if k in set(kinds)) or KINDS
    cap = DEFAULT_CAP if cap is None else cap
    if kinds == KINDS and not tag:
        # Nothing is filtered out, so the cap picks from every live node: only what it keeps becomes
        # nodes and edges (a busy table's diagram draws ~240 of 1,700 nodes and ~280 of 3,300 edges).
        graph_nodes, edges, hidden = _live(walked, infos, cap=cap)
    else:
        graph_nodes, edges = _live(walked, infos)
        graph_nodes, edges = _hide_kinds(graph_nodes, edges, kinds, focus_id)
        if tag:
            graph_nodes, edges = _keep_tag_flow(graph_nodes, edges, tag, focus_id)
        graph_nodes, edges, hidden = _cap(graph_nodes, edges, cap, focus_id)
    _mark_exposure(graph_nodes, edges, governance.reach())
    # The paths to the focus are shown for the nodes that have an exposure section (see PATH_TYPES).
    exposure = governance.exposure({focus_id: focus_info.type}) if focus_info.type in PATH_TYPES else None
    return Graph(
        focus=graph_nodes[focus_id],
        nodes=graph_nodes,
        edges=edges,
        upstream=upstream,
        downstream=downstream,
        kinds=kinds,
        tag=tag,
        hidden=hidden,
        hidden_at_least=walked.truncated,
        exposure=exposure,
        infos=infos,
    )


def _clamp(depth) -> int:
    return max(0, min(int(depth), MAX_DEPTH))


def _live(walked: queries.Neighbourhood, infos: dict, *, with_edges: bool = True, cap: int | None = None) -> tuple:
    """Return the nodes and edges that still exist, connected to the focus, nearest first.

    Soft-deleted entities (and the members of one) drop out of the picture
    with their edges, and so does whatever was only reachable through them.
    Every drawn feature and model version gets the edge to its model it has by belonging to it.
    ``with_edges=False`` (a list of nodes) leaves the edges out when no node
    is deleted, as then only the nodes are asked for. With a ``cap``, only
    the nodes :func:`_cap` would keep (and the edges between them) are made,
    and the number of the others is returned third.
    """

    def alive(node_id):
        info = infos.get(node_id)
        if info is None or info.deleted:
            return False
        return info.container_id is None or alive(info.container_id)

    live_ids = {node_id for node_id in walked.types if alive(node_id)}
    # The walk reached every node through a link or its container from the focus: only dead nodes can cut one off.
    everything_alive = len(live_ids) == len(walked.types)
    if everything_alive:
        connected = live_ids
    else:
        connected = _connected(walked.focus_id, live_ids, _edges(walked, infos, live_ids, live_ids), infos)
    order = sorted(
        connected,
        key=lambda i: (abs(walked.distance[i]), walked.distance[i] > 0, infos[i].type, infos[i].label, str(i)),
    )
    drawn = connected if cap is None else _capped(order, infos, cap, walked.focus_id)
    graph_nodes = {
        node_id: Node(infos[node_id], walked.distance[node_id], focus=node_id == walked.focus_id)
        for node_id in order
        if node_id in drawn
    }
    edges = _edges(walked, infos, live_ids, drawn) if with_edges or not everything_alive else []
    if cap is None:
        return graph_nodes, edges
    return graph_nodes, edges, len(connected) - len(drawn)


def _edges(walked: queries.Neighbourhood, infos: dict, live_ids: set, within: set) -> list:
    """Return the walk's edges between nodes of ``within``, then the edge of each feature or model version there to
    its model."""
    edges = [
        GraphEdge(link.from_id, link.to_id, link.origin, link.pk, description=link.description)
        for link in walked.links.values()
        if link.from_id in within and link.to_id in within
    ]
    edges += [
        GraphEdge(node_id, infos[node_id].container_id, CONTAINS)
        for node_id in live_ids  # in the order the edges were always listed in, whatever ``within`` is
        if node_id in within and infos[node_id].type in MODEL_MEMBERS and infos[node_id].container_id in within
    ]
    return edges


def _connected(start, ids: set, edges: list, infos: dict) -> set:
    """Return the ids joined to ``start`` by edges or by membership, in either direction."""
    neighbours = {node_id: set() for node_id in ids}
    for edge in edges:
        neighbours[edge.from_id].add(edge.to_id)
        neighbours[edge.to_id].add(edge.from_id)
    for node_id in ids:
        container = infos[node_id].container_id
        if container in neighbours:
            neighbours[node_id].add(container)
            neighbours[container].add(node_id)
    seen, queue = {start}, deque([start])
    while queue:
        for other in neighbours.get(queue.popleft(), ()):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return seen


def _mark_exposure(graph_nodes: dict, edges: list, reach: governance.Reach) -> None:
    """Mark what sensitive data reaches; a bridged edge is sensitive when every edge it stands for is.

    A drawn edge carries exposure exactly when its upstream end is exposed:
    the diagrams leave out the table → model summaries that carry nothing,
    and every other edge, a feature's link to its model and a model's to its
    dashboard carry what their upstream end holds.
    """
    for node in graph_nodes.values():
        node.sensitive = node.id in reach.seeds
        node.exposed = reach.is_exposed(node.id)
    for edge in edges:
        edge.sensitive = all(reach.is_exposed(a) for a, _ in edge.parts or [(edge.from_id, edge.to_id)])


def _hide_kinds(graph_nodes: dict, edges: list, kinds: tuple, focus_id) -> tuple[dict, list]:
    """Remove nodes of hidden kinds, bridging each edge pair that ran through one.

    A bridged edge records the edges it replaces, whose sensitivity it takes.
    """
    hidden = {n.id for n in graph_nodes.values() if n.kind not in kinds and n.id != focus_id}
    if not hidden:
        return graph_nodes, edges
    by_pair = {(e.from_id, e.to_id): e for e in edges}
    incoming, outgoing = {}, {}
    for a, b in by_pair:
        outgoing.setdefault(a, set()).add(b)
        incoming.setdefault(b, set()).add(a)
    for node_id in hidden:
        sources, targets = incoming.pop(node_id, set()), outgoing.pop(node_id, set())
        for a in sources:
            outgoing[a].discard(node_id)
        for b in targets:
            incoming[b].discard(node_id)
        for a in sources:
            for b in targets:
                if a != b and (a, b) not in by_pair:
                    parts = tuple(
                        pair
                        for edge in (by_pair[(a, node_id)], by_pair[(node_id, b)])
                        for pair in edge.parts or [(edge.from_id, edge.to_id)]
                    )
                    by_pair[(a, b)] = GraphEdge(a, b, origin="via", parts=parts)
                    outgoing.setdefault(a, set()).add(b)
                    incoming.setdefault(b, set()).add(a)
    kept = {}
    for node_id, node in graph_nodes.items():
        if node_id in hidden:
            continue
        if node.info.container_id in hidden:
            # A member whose container is hidden is drawn on its own.
            node = replace(node, info=replace(node.info, container_id=None))
        kept[node_id] = node
    return kept, [e for (a, b), e in by_pair.items() if a in kept and b in kept]


def _keep_tag_flow(graph_nodes: dict, edges: list, tag: str, focus_id) -> tuple[dict, list]:
    """Keep the nodes that carry ``tag``, what flows into and out of them, and the focus."""
    wanted = fqnlib.normalise(tag).lower()
    tagged = {n.id for n in graph_nodes.values() if wanted in (t.lower() for t in n.info.tags)}
    keep = {focus_id} | _reach(tagged, edges, forward=True) | _reach(tagged, edges, forward=False)
    keep |= {graph_nodes[i].info.container_id for i in keep if graph_nodes[i].info.container_id in graph_nodes}
    return (
        {i: n for i, n in graph_nodes.items() if i in keep},
        [e for e in edges if e.from_id in keep and e.to_id in keep],
    )


def _reach(start: set, edges: list, *, forward: bool) -> set:
    step = {}
    for edge in edges:
        a, b = (edge.from_id, edge.to_id) if forward else (edge.to_id, edge.from_id)
        step.setdefault(a, []).append(b)
    seen, queue = set(start), deque(start)
    while queue:
        for other in step.get(queue.popleft(), ()):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return seen


def _cap(graph_nodes: dict, edges: list, cap: int, focus_id) -> tuple[dict, list, int]:
    """Keep the ``cap`` nodes nearest the focus (with their containers); count the rest."""
    keep = _capped(list(graph_nodes), {i: n.info for i, n in graph_nodes.items()}, cap, focus_id)
    kept = {i: n for i, n in graph_nodes.items() if i in keep}
    return kept, [e for e in edges if e.from_id in keep and e.to_id in keep], len(graph_nodes) - len(kept)


def _capped(order: list, infos: dict, cap: int, focus_id) -> set:
    """Return the first ``cap`` ids of ``order`` (and the focus), with the containers among ``order`` of those."""
    keep = set(order[:cap])
    keep.add(focus_id)
    present = set(order)
    return keep | {infos[i].container_id for i in keep if infos[i].container_id in present}


# -- Impact analysis ---------------------------------------------------------------------------------------------------


@dataclass
class Impact:
    """Everything downstream of a table or column, grouped by kind, nearest first."""

    focus: nodes.NodeInfo
    features: list = field(default_factory=list)  # (feature NodeInfo, model NodeInfo, hops)
    model_versions: list = field(default_factory=list)  # (model version NodeInfo, model NodeInfo, hops)
    models: list = field(default_factory=list)  # (NodeInfo with owners, hops)
    dashboards: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    truncated: bool = False

    def is_empty(self) -> bool:
        return not (self.features or self.model_versions or self.models or self.dashboards or self.tables)


def impact(focus_type: str, focus_id) -> Impact:
    """Return every feature, model version, model, dashboard and table downstream of a table or column, with owners.

    The walk follows every hop (up to :data:`queries.MAX_DEPTH`), in a few
    queries per hop. Raises :class:`NotFound` for an unknown or deleted focus.
    """
    if focus_type not in ("table", "column"):
        raise NotFound(focus_id)
    walked = queries.neighbourhood(focus_type, focus_id, upstream=0, downstream=queries.MAX_DEPTH, limit=WALK_LIMIT)
    infos = nodes.load(walked.types, owners=True, feature_rows=walked.feature_rows)
    focus_info = infos.get(focus_id)
    if focus_info is None or focus_info.deleted:
        raise NotFound(focus_id)
    graph_nodes, _ = _live(walked, infos, with_edges=False)
    result = Impact(focus=focus_info, truncated=walked.truncated)
    for node in graph_nodes.values():
        if node.distance <= 0:
            continue  # the focus and its own table
        if node.type == "mlfeature":
            result.features.append((node.info, infos[node.info.container_id], node.distance))
        elif node.type == "modelVersion":
            result.model_versions.append((node.info, infos[node.info.container_id], node.distance))
        elif node.type == "mlmodel":
            result.models.append((node.info, node.distance))
        elif node.type == "dashboard":
            result.dashboards.append((node.info, node.distance))
        elif node.type == "table":
            result.tables.append((node.info, node.distance))
    return result


def edge_origin_label(origin: str) -> str:
    """Return how an edge came to be, in words, for lists and exports."""
    if origin == queries.IMPLIED:
        return "the model's dashboard field"
    if origin == CONTAINS:
        return "part of the model"
    if origin == "via":
        return "through hidden nodes"
    return dict(Edge.Origin.choices).get(origin, origin)
