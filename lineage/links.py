"""Where each lineage node links to: built with ``reverse()`` only, never from stored text.

Graphviz copies a node's ``URL`` into the SVG as it is, so a stored URL
could become a script link; a route of this app cannot.
"""

import uuid

from django.urls import get_script_prefix, get_urlconf, reverse

from catalog import registry

#: The catalogue page of each node type (the browser catalogue's URL names).
CATALOGUE_PAGES = {name: t.page for name, t in registry.TYPES.items() if t.lineage_node and t.page}
#: Parts with no catalogue page reached by their id (features, model versions) link to their lineage page.
LINEAGE_PAGES = {
    name for name, t in registry.TYPES.items() if t.lineage == registry.PART and name not in CATALOGUE_PAGES
}
#: Stands for a node's id in a reversed route, to be replaced by the real one.
MARKER = uuid.UUID(int=0)

_routes = {}


def node_url(node_type: str, node_id) -> str | None:
    """Return the page of a node: its catalogue page, or its lineage page for a feature or model version."""
    if node_type in LINEAGE_PAGES:
        return _reverse("lineage:node", node_type, node_id)
    name = CATALOGUE_PAGES.get(node_type)
    return _reverse(name, None, node_id) if name else None


def node_url_maker(node_type: str):
    """Return a function of a node id giving :func:`node_url` of a node of that type (None for no page).

    For lists of thousands of nodes: the route is looked up once, not per node.
    """
    if node_type in LINEAGE_PAGES:
        name, type_arg = "lineage:node", node_type
    elif node_type in CATALOGUE_PAGES:
        name, type_arg = CATALOGUE_PAGES[node_type], None
    else:
        return lambda node_id: None
    _reverse(name, type_arg, MARKER)
    before, after = _routes[(get_urlconf(), get_script_prefix(), name, type_arg)]
    return lambda node_id: f"{before}{node_id}{after}"


def lineage_url(node_type: str, node_id) -> str:
    return reverse("lineage:node", args=[node_type, node_id])


def owner_url(owner) -> str:
    return reverse("team" if owner.entity_type == "team" else "user", args=[owner.pk])


def _reverse(name: str, node_type: str | None, node_id) -> str:
    """Return ``reverse(name, args=[node_type,] node_id)`` for a UUID id, reversing each route once.

    A list page links hundreds of nodes; the route is reversed around a
    marker id, and each node's id (a UUID, never stored text) takes its place.
    """
    if not isinstance(node_id, uuid.UUID):
        return reverse(name, args=[a for a in (node_type, node_id) if a is not None])
    key = (get_urlconf(), get_script_prefix(), name, node_type)
    if key not in _routes:
        _routes[key] = reverse(name, args=[a for a in (node_type, MARKER) if a is not None]).split(str(MARKER))
    before, after = _routes[key]
    return f"{before}{node_id}{after}"
