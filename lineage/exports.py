"""The CSV edge list of a lineage graph: one row per drawn edge, names as plain text."""

import csv
import io

from lineage.graph import Graph, edge_origin_label

HEADER = ["from_type", "from_name", "from_fqn", "to_type", "to_name", "to_fqn", "origin", "sensitive", "description"]
#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Return ``text`` so a spreadsheet shows it as text, never as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(graph: Graph) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for edge in graph.edges:
        source, target = graph.nodes[edge.from_id].info, graph.nodes[edge.to_id].info
        writer.writerow(
            [
                source.type,
                cell(source.name),
                cell(source.fqn),
                target.type,
                cell(target.name),
                cell(target.fqn),
                edge_origin_label(edge.origin),
                "yes" if edge.sensitive else "no",
                cell(edge.description),
            ]
        )
    return out.getvalue()
