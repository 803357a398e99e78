"""The DOT layer: left to right, coloured, every label quoted and every link from reverse(). No Graphviz needed."""

import re

import graphviz
import pytest
from django.urls import reverse
from graphviz.quoting import quote

from lineage import dot, graph
from tests.lineage.conftest import hostile_names

#: One DOT token: a quoted string (with its escapes), an arrow, punctuation, a line end or a bare word.
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|->|[\[\]{};,=\n]|[^\s\[\]{};,="]+', re.DOTALL)
#: A DOT identifier that needs no quotes: it can hold no escape and no markup.
BARE_WORD = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?)")
NODE_ATTRIBUTES = {"label", "tooltip", "shape", "fillcolor", "color", "id", "penwidth", "URL", "target", "fontcolor"}


def statements(text: str) -> list[list[str]]:
    """Split DOT text into statements (token lists), the way Graphviz's lexer reads quoted strings.

    A statement ends at a semicolon, a brace or the end of its line (the graphviz package writes one per line).
    """
    result, current = [], []
    for token in TOKEN.findall(text):
        if token != "\n":
            current.append(token)
        if token in (";", "{", "}", "\n") and current:
            result.append(current)
            current = []
    return result


def node_attributes(text: str) -> dict:
    """Return {node name: {attribute: value}} for every node statement."""
    nodes = {}
    for tokens in statements(text):
        if len(tokens) > 2 and re.fullmatch(r"n[0-9a-f]{32}", tokens[0]) and tokens[1] == "[":
            body = tokens[2 : tokens.index("]")]
            pairs = [t for t in body if t != ","]
            assert len(pairs) % 3 == 0 and all(pairs[i + 1] == "=" for i in range(0, len(pairs), 3)), tokens
            nodes[tokens[0]] = {pairs[i]: pairs[i + 2] for i in range(0, len(pairs), 3)}
    return nodes


def unquote(value: str) -> str:
    """Return the text Graphviz shows for an attribute value: a bare word as it is, a quoted string unescaped."""
    if BARE_WORD.fullmatch(value):
        return value
    assert value.startswith('"') and value.endswith('"')
    inner = value[1:-1].replace("&amp;", "&")
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), inner)


@pytest.mark.parametrize("name", hostile_names())
def test_a_literal_as_quoted_by_graphviz_gives_back_exactly_the_name(name):
    quoted = quote(dot.literal(name))
    assert TOKEN.fullmatch(quoted), "the name must stay one token"
    assert unquote(quoted) == name.replace("\r\n", "\n").replace("\r", "\n")


def test_a_literal_escapes_backslashes_so_graphviz_escapes_never_fire():
    assert quote(dot.literal("a\\N\\G\\l")) == '"a\\\\N\\\\G\\\\l"'
    assert quote(dot.literal('x" URL="javascript:alert(7)" k="')) == '"x\\" URL=\\"javascript:alert(7)\\" k=\\""'
    assert quote(dot.literal("a & b\nc")) == '"a &amp; b\\nc"'


def test_a_name_written_as_markup_is_quoted_as_text_not_taken_as_an_html_label():
    assert quote(dot.literal("<b>bold</b>")) == '"<b>bold</b>"'
    assert quote(dot.literal_tooltip("<b>bold</b>")) == '"<b>bold</b>"'


def test_hostile_names_stay_inside_their_labels(hostile):
    text = dot.to_dot(graph.build("mlmodel", hostile["model"].id, upstream=1, downstream=1, cap=500))
    nodes = node_attributes(text)
    assert len(nodes) == 1 + 4 * len(hostile["names"])  # the model; per name a table, column, feature, dashboard
    labels = set()
    for attributes in nodes.values():
        assert set(attributes) <= NODE_ATTRIBUTES
        assert attributes["URL"].startswith('"/')
        labels.add(unquote(attributes["label"]).split("\n")[0].removeprefix("⚠ "))
    for name in hostile["names"]:
        assert dot.shorten(name).split("\n")[0] in labels
    assert "<" not in "".join(t for t in TOKEN.findall(text) if not t.startswith('"')), "no HTML-like label"


def test_the_memoised_quoting_writes_what_graphviz_itself_writes(hostile, monkeypatch):
    """Memoising must not mix a name kept as text with the same name as HTML, nor anything else."""
    lineage = graph.build("mlmodel", hostile["model"].id, upstream=1, downstream=1, cap=500)
    html = dot.Diagram("g")
    html.node("a", label="<b>x</b>")  # a plain str: graphviz takes <...> as HTML
    html.node("b", label=dot.literal("<b>x</b>"))
    assert html.source.splitlines()[1:3] == ["\ta [label=<b>x</b>]", '\tb [label="<b>x</b>"]']
    memoised = dot.to_dot(lineage)
    monkeypatch.setattr(dot, "Diagram", graphviz.Digraph)
    assert memoised == dot.to_dot(lineage)


def test_every_link_is_the_route_of_its_node(world):
    lineage = graph.build("mlmodel", world["churn"].id, upstream=1, downstream=1)
    nodes = node_attributes(dot.to_dot(lineage))
    expected = {
        "mlmodel": lambda n: reverse("mlmodel", args=[n.id]),
        "table": lambda n: reverse("table", args=[n.id]),
        "column": lambda n: reverse("column", args=[n.id]),
        "dashboard": lambda n: reverse("dashboard", args=[n.id]),
        "mlfeature": lambda n: reverse("lineage:node", args=["mlfeature", n.id]),
    }
    for node in lineage.nodes.values():
        assert unquote(nodes[dot.node_id(node)]["URL"]) == expected[node.type](node)


def test_the_diagram_runs_left_to_right_and_groups_units_in_clusters(world):
    text = dot.to_dot(graph.build("mlmodel", world["churn"].id, upstream=1, downstream=1))
    assert "rankdir=LR" in text
    assert f"subgraph cluster_{world['churn'].id.hex}" in text
    assert f"subgraph cluster_{world['customers'].id.hex}" in text
    assert f"subgraph cluster_{world['dashboard'].id.hex}" not in text


def test_the_focus_is_highlighted_and_sensitive_nodes_and_edges_are_marked(world):
    lineage = graph.build("mlmodel", world["churn"].id, upstream=1, downstream=1)
    text = dot.to_dot(lineage)
    nodes = node_attributes(text)
    focus = nodes[dot.node_id(lineage.focus)]
    assert focus["color"] == f'"{dot.FOCUS_COLOUR}"' and focus["penwidth"] == "3"
    gender = nodes["n" + world["columns"]["gender"].id.hex]
    assert unquote(gender["label"]).startswith("⚠ gender") and gender["fillcolor"] == f'"{dot.SENSITIVE_FILL}"'
    income = nodes["n" + world["columns"]["income"].id.hex]
    assert "⚠" not in unquote(income["label"]) and income["color"] != f'"{dot.SENSITIVE_COLOUR}"'
    gender_edge = f"n{world['columns']['gender'].id.hex} -> n{world['churn'].features.get(name='persona').id.hex}"
    [line] = [line for line in text.splitlines() if gender_edge in line]
    assert dot.SENSITIVE_COLOUR in line


def test_a_capped_graph_says_how_many_nodes_are_not_drawn(world):
    lineage = graph.build("table", world["customers"].id, upstream=0, downstream=3, cap=3)
    text = dot.to_dot(lineage)
    assert lineage.hidden > 0
    assert f"{lineage.hidden} more nodes not drawn" in text


def test_a_big_graph_gets_layout_limits_and_a_small_one_does_not(world, monkeypatch):
    small = graph.build("mlmodel", world["churn"].id)
    assert "nslimit" not in dot.to_dot(small)
    monkeypatch.setattr(dot, "BIG_GRAPH", 3)
    whole_graph = "".join(next(tokens for tokens in statements(dot.to_dot(small)) if tokens[0] == "graph"))
    for limit in ("nslimit=0.1", "nslimit1=0.1", "mclimit=0.2"):
        assert limit in whole_graph
