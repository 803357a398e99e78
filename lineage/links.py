"""Where each lineage node links to: built with ``reverse()`` only, never from stored text.

Graphviz copies a node's ``URL`` into the SVG as it is, so a stored URL
could become a script link; a route of this app cannot.
"""

from django.urls import reverse

#: The catalogue page of each node type (the browser catalogue's URL names).
CATALOGUE_PAGES = {"mlmodel": "mlmodel", "table": "table", "column": "column", "dashboard": "dashboard"}


def node_url(node_type: str, node_id) -> str | None:
    """Return the page of a node: its catalogue page, or its lineage page for a feature."""
    if node_type == "mlfeature":
        return reverse("lineage:node", args=[node_type, node_id])
    name = CATALOGUE_PAGES.get(node_type)
    return reverse(name, args=[node_id]) if name else None


def lineage_url(node_type: str, node_id) -> str:
    return reverse("lineage:node", args=[node_type, node_id])


def owner_url(owner) -> str:
    return reverse("team" if owner.entity_type == "team" else "user", args=[owner.pk])
