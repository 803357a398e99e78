"""The DOT layer: a lineage graph as Graphviz text, left to right. Pure text, no Graphviz needed.

The text is assembled by the ``graphviz`` package's :class:`graphviz.Digraph`,
which quotes every identifier and attribute value; drawing it is
:mod:`lineage.render`'s, which runs ``dot`` itself, with a timeout. Every name
passes through :func:`literal` (tooltips through :func:`literal_tooltip`) on its
way in, so Graphviz shows it exactly as written and never as an HTML-like
label. Every link comes from :mod:`lineage.links` (``reverse()``), never from
stored text. Tables are drawn as clusters of their relevant columns, models as
clusters of their features and model versions; colour says the kind, a thick amber border the
focus, red what sensitive data reaches.
"""

import functools

import graphviz

from lineage import links
from lineage.graph import CONTAINS, TYPE_WORDS, Graph, Node

FONT = "Helvetica,Arial,sans-serif"
#: (fill, border) per node type.
COLOURS = {
    "table": ("#2f6db5", "#1f4f8a"),
    "column": ("#f4f8fd", "#7fa6d6"),
    "mlfeature": ("#f1ecfb", "#8a6cc9"),
    "modelVersion": ("#fdf3e7", "#b7791f"),
    "mlmodel": ("#5b3fa6", "#3f2a78"),
    "dashboard": ("#e3f5ea", "#2e8b57"),
    "other": ("#f1f1f1", "#777777"),
}
CLUSTER_FILL = {"table": "#f7fafe", "mlmodel": "#faf8fe"}
#: Containers are drawn dark with white text, as the heading of their cluster.
WHITE_TEXT = {"table", "mlmodel"}
SHAPES = {
    "table": "box",
    "column": "box",
    "mlfeature": "ellipse",
    "modelVersion": "tab",
    "mlmodel": "box3d",
    "dashboard": "component",
}
#: The types whose label shows their detail beneath the name (data type, algorithm, lifecycle status).
DETAILED = {"column", "mlfeature", "modelVersion", "mlmodel"}
SENSITIVE_COLOUR = "#c0392b"
SENSITIVE_FILL = "#fde4e1"
FOCUS_COLOUR = "#d97706"
EDGE_STYLES = {"Manual": "dashed", "Dashboard": "dotted", "via": "dashed"}
#: Labels longer than this are shortened; the tooltip keeps the whole name.
MAX_LABEL = 40
#: Above this many nodes the layout trades a little quality for time (see STACK-NOTES).
BIG_GRAPH = 200
GRAPH_ATTRIBUTES = {
    "rankdir": "LR",
    "fontname": FONT,
    "fontsize": "10",
    "nodesep": "0.18",
    "ranksep": "0.55",
    "bgcolor": "transparent",
    "tooltip": " ",
}
BIG_GRAPH_ATTRIBUTES = {"nslimit": "0.1", "nslimit1": "0.1", "mclimit": "0.2"}
NODE_ATTRIBUTES = {
    "fontname": FONT,
    "fontsize": "10",
    "style": "rounded,filled",
    "margin": "0.12,0.04",
    "height": "0.3",
}
EDGE_ATTRIBUTES = {"color": "#8a94a6", "arrowsize": "0.7", "fontname": FONT, "fontsize": "9"}


#: graphviz's quoting, memoised: a diagram quotes the same attribute names, colours and shapes hundreds of
#: times. ``typed`` keeps a ``graphviz.nohtml`` text apart from an equal plain one, which may quote differently.
_quote = functools.lru_cache(maxsize=8192, typed=True)(graphviz.quoting.quote)
_quote_edge = functools.lru_cache(maxsize=8192, typed=True)(graphviz.quoting.quote_edge)


class Diagram(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose identifiers and attributes are quoted through the memoised quoting above.

    Its output is graphviz's own, character for character: only the repeated
    work is kept. Subgraphs are of this class too (``subgraph`` makes them
    with ``self.__class__``).
    """

    _quote = staticmethod(_quote)
    _quote_edge = staticmethod(_quote_edge)

    @staticmethod
    def _attr_list(label=None, kwargs=None, attributes=None) -> str:
        """``graphviz.quoting.attr_list``, through the memoised quoting: the same text for the same arguments."""
        pairs = [] if label is None else [("label", label)]
        for given in (kwargs, attributes):
            if given:
                items = given.items() if hasattr(given, "items") else given
                # graphviz sorts a plain dict's items and keeps any other order.
                pairs += [(k, v) for k, v in (sorted(items) if type(given) is dict else items) if v is not None]
        return f" [{' '.join(f'{_quote(k)}={_quote(v)}' for k, v in pairs)}]" if pairs else ""


def literal(text: str) -> str:
    """Return ``text`` as an attribute value that Graphviz shows exactly as written.

    :func:`graphviz.escape` doubles backslashes, so Graphviz's label escapes
    (``\\N``, ``\\G``, ``\\l``...) never fire, and marks the text as not HTML,
    so :class:`graphviz.Digraph` quotes even ``<...>`` as a plain string (and
    escapes its quotes there). Line breaks become ``\\n``, and ``&`` becomes
    ``&amp;`` because Graphviz decodes character entities in every label.
    """
    return _lines_and_entities(graphviz.escape(_newlines(text)))


def literal_tooltip(text: str) -> str:
    """Return ``text`` as a ``tooltip`` value: backslashes escaped twice, as Graphviz 2.43 unescapes tooltips twice."""
    return _lines_and_entities(graphviz.escape(graphviz.escape(_newlines(text))))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lines_and_entities(escaped: str) -> str:
    return graphviz.nohtml(escaped.replace("\n", "\\n").replace("&", "&amp;"))


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def node_id(node: Node) -> str:
    return "n" + node.id.hex


def to_dot(graph: Graph) -> str:
    """Return the DOT text of ``graph``: the same graph always gives the same text (the render cache's key)."""
    graph_attributes = GRAPH_ATTRIBUTES | (BIG_GRAPH_ATTRIBUTES if len(graph.nodes) > BIG_GRAPH else {})
    diagram = Diagram("lineage", graph_attr=graph_attributes, node_attr=NODE_ATTRIBUTES, edge_attr=EDGE_ATTRIBUTES)
    drawn_in_cluster = set()
    for container in graph.nodes.values():
        members = graph.members(container.id)
        if container.type not in CLUSTER_FILL or not members:
            continue
        _cluster(diagram, container, members)
        drawn_in_cluster |= {container.id, *(m.id for m in members)}
    for node in graph.nodes.values():
        if node.id not in drawn_in_cluster:
            _node(diagram, node)
    for edge in graph.edges:
        _edge(diagram, graph, edge)
    if graph.hidden:
        _note(diagram, graph)
    return diagram.source


def _cluster(diagram: graphviz.Digraph, container: Node, members: list) -> None:
    border = SENSITIVE_COLOUR if container.exposed else COLOURS[container.type][1]
    attributes = {
        "label": "",
        "style": "rounded,filled",
        "fillcolor": CLUSTER_FILL[container.type],
        "color": border,
        "penwidth": "1",
    }
    with diagram.subgraph(name=f"cluster_{container.id.hex}", graph_attr=attributes) as cluster:
        for node in (container, *members):
            _node(cluster, node)


def _node(diagram: graphviz.Digraph, node: Node) -> None:
    fill, border = COLOURS.get(node.type, COLOURS["other"])
    label = shorten(node.info.label)
    if node.info.detail and node.type in DETAILED:
        label += "\n" + shorten(node.info.detail)
    if node.sensitive:
        label = "⚠ " + label
        fill, border = SENSITIVE_FILL, SENSITIVE_COLOUR
    elif node.exposed:
        border = SENSITIVE_COLOUR
    attributes = {
        "label": literal(label),
        "tooltip": literal_tooltip(_tooltip(node)),
        "shape": SHAPES.get(node.type, "box"),
        "fillcolor": fill,
        "color": border,
        "id": f"lineage-{node.type if node.type in COLOURS else 'other'}-{node.id.hex}",
    }
    if node.type in WHITE_TEXT and not node.sensitive:
        attributes["fontcolor"] = "#ffffff"
    if node.exposed:
        attributes["penwidth"] = "2"
    if node.focus:
        attributes["color"] = FOCUS_COLOUR
        attributes["penwidth"] = "3"
    url = links.node_url(node.type, node.id)
    if url:
        attributes["URL"] = literal(url)
        attributes["target"] = "_top"
    diagram.node(node_id(node), **attributes)


def _tooltip(node: Node) -> str:
    kind = TYPE_WORDS.get(node.type, node.type)
    text = f"{kind}: {node.info.fqn or node.info.name}"
    if node.sensitive:
        text += "\ncarries sensitive data"
    elif node.exposed:
        text += "\nuses sensitive data"
    return shorten(text, 600)


def _edge(diagram: graphviz.Digraph, graph: Graph, edge) -> None:
    attributes = {}
    style = EDGE_STYLES.get(edge.origin)
    if style:
        attributes["style"] = style
    if edge.origin == CONTAINS:
        attributes["color"] = "#b9b1d6"
        attributes["arrowhead"] = "none"
    if edge.sensitive:
        attributes["color"] = SENSITIVE_COLOUR
        attributes["penwidth"] = "2"
    diagram.edge(node_id(graph.nodes[edge.from_id]), node_id(graph.nodes[edge.to_id]), **attributes)


def _note(diagram: graphviz.Digraph, graph: Graph) -> None:
    count = f"at least {graph.hidden}" if graph.hidden_at_least else str(graph.hidden)
    label = f"{count} more nodes not drawn:\nlower the depth or filter by kind"
    diagram.node("more", label=literal(label), shape="note", style="filled", fillcolor="#fff8e1", color="#c9a227")
