"""Walking the lineage graph: one SQL query per depth level, cycles handled.

A walk never issues one query per node: each level asks for every edge that
touches the current frontier at once, so the cost is ``depth`` queries
whatever the size of the neighbourhood.
"""

from dataclasses import dataclass, field

from lineage.models import Edge

#: The node types OpenMetadata's /lineage endpoints know. Column and feature
#: nodes are ModelAtlas's finer grain and stay out of that API.
ENTITY_TYPES = {"table", "mlmodel", "dashboard", "pipeline", "topic", "container", "searchIndex", "storedProcedure",
                "dashboardDataModel", "apiEndpoint", "metric"}


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
