"""The DOT layer: a lineage graph as Graphviz text, left to right. Pure text, no Graphviz needed.

Every name reaches Graphviz as a quoted DOT string built by :func:`quote`,
never as an HTML-like label, and every link comes from :mod:`lineage.links`
(``reverse()``), never from stored text. Tables are drawn as clusters of their
relevant columns, models as clusters of their features; colour says the kind,
a thick amber border the focus, red what sensitive data reaches.
"""

from lineage import links
from lineage.graph import CONTAINS, TYPE_WORDS, Graph, Node

FONT = "Helvetica,Arial,sans-serif"
#: (fill, border) per node type.
COLOURS = {
    "table": ("#2f6db5", "#1f4f8a"),
    "column": ("#f4f8fd", "#7fa6d6"),
    "mlfeature": ("#f1ecfb", "#8a6cc9"),
    "mlmodel": ("#5b3fa6", "#3f2a78"),
    "dashboard": ("#e3f5ea", "#2e8b57"),
    "other": ("#f1f1f1", "#777777"),
}
CLUSTER_FILL = {"table": "#f7fafe", "mlmodel": "#faf8fe"}
#: Containers are drawn dark with white text, as the heading of their cluster.
WHITE_TEXT = {"table", "mlmodel"}
SHAPES = {"table": "box", "column": "box", "mlfeature": "ellipse", "mlmodel": "box3d", "dashboard": "component"}
SENSITIVE_COLOUR = "#c0392b"
SENSITIVE_FILL = "#fde4e1"
FOCUS_COLOUR = "#d97706"
EDGE_STYLES = {"Manual": "dashed", "Dashboard": "dotted", "via": "dashed"}
#: Labels longer than this are shortened; the tooltip keeps the whole name.
MAX_LABEL = 40
#: Above this many nodes the layout trades a little quality for time (see STACK-NOTES).
BIG_GRAPH = 200


def quote(text: str) -> str:
    """Return ``text`` as a quoted DOT string that Graphviz shows exactly as written.

    Backslashes are doubled so Graphviz's label escapes (``\\N``, ``\\G``,
    ``\\l``...) never fire, quotes are escaped so nothing can leave the
    string, line breaks become ``\\n``, and ``&`` becomes ``&amp;`` because
    Graphviz decodes character entities in every label.
    """
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return '"' + text.replace("&", "&amp;") + '"'


def quote_tooltip(text: str) -> str:
    """Return ``text`` quoted for a ``tooltip``, which Graphviz 2.43 unescapes twice."""
    text = text.replace("\\", "\\\\\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return '"' + text.replace("&", "&amp;") + '"'


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def node_id(node: Node) -> str:
    return "n" + node.id.hex


def to_dot(graph: Graph) -> str:
    """Return the DOT text of ``graph``."""
    layout_limits = ", nslimit=0.1, nslimit1=0.1, mclimit=0.2" if len(graph.nodes) > BIG_GRAPH else ""
    lines = [
        "digraph lineage {",
        (
            f'  graph [rankdir=LR, fontname="{FONT}", fontsize=10, nodesep=0.18, ranksep=0.55, bgcolor="transparent", '
            f'tooltip=" "{layout_limits}];'
        ),
        f'  node [fontname="{FONT}", fontsize=10, style="rounded,filled", margin="0.12,0.04", height=0.3];',
        f'  edge [color="#8a94a6", arrowsize=0.7, fontname="{FONT}", fontsize=9];',
    ]
    drawn_in_cluster = set()
    for container in graph.nodes.values():
        members = graph.members(container.id)
        if container.type not in CLUSTER_FILL or not members:
            continue
        lines += _cluster(container, members)
        drawn_in_cluster |= {container.id, *(m.id for m in members)}
    for node in graph.nodes.values():
        if node.id not in drawn_in_cluster:
            lines.append("  " + _node(node))
    for edge in graph.edges:
        lines.append("  " + _edge(graph, edge))
    if graph.hidden:
        lines.append("  " + _note(graph))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cluster(container: Node, members: list) -> list:
    border = SENSITIVE_COLOUR if container.exposed else COLOURS[container.type][1]
    lines = [
        f"  subgraph cluster_{container.id.hex} {{",
        (
            f'    graph [label="", style="rounded,filled", fillcolor="{CLUSTER_FILL[container.type]}", '
            f'color="{border}", penwidth=1];'
        ),
        "    " + _node(container),
    ]
    lines += ["    " + _node(member) for member in members]
    lines.append("  }")
    return lines


def _node(node: Node) -> str:
    fill, border = COLOURS.get(node.type, COLOURS["other"])
    label = shorten(node.info.label)
    if node.info.detail and node.type in ("column", "mlfeature", "mlmodel"):
        label += "\n" + shorten(node.info.detail)
    if node.sensitive:
        label = "⚠ " + label
        fill, border = SENSITIVE_FILL, SENSITIVE_COLOUR
    elif node.exposed:
        border = SENSITIVE_COLOUR
    attributes = {
        "label": quote(label),
        "tooltip": quote_tooltip(_tooltip(node)),
        "shape": SHAPES.get(node.type, "box"),
        "fillcolor": f'"{fill}"',
        "color": f'"{border}"',
        "id": f'"lineage-{node.type if node.type in COLOURS else "other"}-{node.id.hex}"',
    }
    if node.type in WHITE_TEXT and not node.sensitive:
        attributes["fontcolor"] = '"#ffffff"'
    if node.exposed:
        attributes["penwidth"] = "2"
    if node.focus:
        attributes["color"] = f'"{FOCUS_COLOUR}"'
        attributes["penwidth"] = "3"
    url = links.node_url(node.type, node.id)
    if url:
        attributes["URL"] = quote(url)
        attributes["target"] = '"_top"'
    return f"{node_id(node)} [{_attributes(attributes)}];"


def _tooltip(node: Node) -> str:
    kind = TYPE_WORDS.get(node.type, node.type)
    text = f"{kind}: {node.info.fqn or node.info.name}"
    if node.sensitive:
        text += "\ncarries sensitive data"
    elif node.exposed:
        text += "\nuses sensitive data"
    return shorten(text, 600)


def _edge(graph: Graph, edge) -> str:
    attributes = {}
    style = EDGE_STYLES.get(edge.origin)
    if style:
        attributes["style"] = style
    if edge.origin == CONTAINS:
        attributes["color"] = '"#b9b1d6"'
        attributes["arrowhead"] = "none"
    if edge.sensitive:
        attributes["color"] = f'"{SENSITIVE_COLOUR}"'
        attributes["penwidth"] = "2"
    source, target = graph.nodes[edge.from_id], graph.nodes[edge.to_id]
    text = f"{_attributes(attributes)}" if attributes else ""
    return f"{node_id(source)} -> {node_id(target)}" + (f" [{text}]" if text else "") + ";"


def _note(graph: Graph) -> str:
    count = f"at least {graph.hidden}" if graph.hidden_at_least else str(graph.hidden)
    label = f"{count} more nodes not drawn:\nlower the depth or filter by kind"
    return f'more [label={quote(label)}, shape=note, style=filled, fillcolor="#fff8e1", color="#c9a227"];'


def _attributes(attributes: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in attributes.items())
