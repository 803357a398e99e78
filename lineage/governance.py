"""Sensitive-data exposure: which nodes sensitive columns and tables flow into.

A column or table carrying one of ``settings.SENSITIVE_TAGS`` is a *source*
of sensitive data. Exposure flows downstream, computed from the data as it is
when asked for (or kept from an earlier request only while no write could have
changed it), so tagging a column marks every feature, model and dashboard below
it at once. The rules:

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
  which data reaches the model. A derived one (lineage.sync writes it with
  those column-grain edges) never carries; a stated one is checked;
* a path to a node never runs from a column to its table and on to another
  of its columns (the table only holds that column's data).

Two walks apply these rules without ever reading the whole graph, so their
cost follows the lineage around the nodes asked about, not the catalogue:

* :func:`exposure` answers for given nodes (the paths to a model, feature
  or dashboard, to the models of a page of the governance list). It walks
  *upstream* from them, one query per
  level, taking only what can carry exposure to them: a table's columns only
  where the table's own edges matter, and of those only the ones exposed
  otherwise than by the table (tagged, or with a stated edge in). It then
  reads the sensitive tags of the columns and tables it reached (one query)
  and applies the rules in Python to that subgraph. A node's exposure
  depends only on what is upstream of it, so the answer is exact for every
  node the walk reached.
* :func:`reach` answers for the whole catalogue (explore's facet, the
  governance list, the marks of every diagram). It walks *downstream* from
  the sensitive columns and tables, one query per level, following only what
  carries exposure; stated table → model summaries are checked last, and
  only those that could expose a model nothing else exposes. Its answer is
  kept per process until a write that could change it commits
  (:mod:`lineage.memo`).

Both lean on what lineage.sync guarantees of derived edges (see DERIVED)
and read stated edges through partial indexes of their own. The walks live in
:mod:`lineage.exposure.walks`, their SQL in :mod:`lineage.exposure.sql`; this
module is the entry point and builds the reports pages show.
"""

from dataclasses import dataclass, field

from lineage import nodes
from lineage.exposure.walks import MAX_PATHS, Exposure, Reach, exposure, reach
from lineage.queries import CONTAINER_TYPE

__all__ = [
    "MAX_PATHS",
    "Exposed",
    "Exposure",
    "PathStep",
    "Reach",
    "exposed_model_ids",
    "exposed_models",
    "exposure",
    "reach",
    "report",
]


def exposed_model_ids() -> set:
    """Return the ids of live ML models that sensitive data reaches.

    Meant for list pages such as explore's "uses sensitive data" facet:
    ``MlModel.objects.filter(pk__in=exposed_model_ids())``. Costs what
    :func:`reach` costs.
    """
    return {model_id for model_id, _ in reach().live_models}


# -- Reports for pages -------------------------------------------------------------------------------------------------


@dataclass
class PathStep:
    """One node of an exposure path, with the table or model it belongs to."""

    info: object  # nodes.NodeInfo
    container: object = None  # the NodeInfo of a column's table or a feature's model


@dataclass
class Exposed:
    """A node sensitive data reaches, with the paths it takes (source first)."""

    info: object  # nodes.NodeInfo, with owners
    paths: list = field(default_factory=list)  # lists of PathStep
    more_paths: bool = False  # MAX_PATHS were listed; there may be more


def exposed_models() -> list[tuple]:
    """Return (id, label) of every live exposed model, in the order the governance list shows them."""
    return reach().live_models


def report(
    node_ids=None, found: Exposure | None = None, *, owners: bool = True, known: dict | None = None
) -> list[Exposed]:
    """Return the exposed live models (or the given nodes, when exposed) with their paths and owners.

    Costs the exposure of the nodes (none when ``found`` is given, which
    must cover them) and a few queries per node type for the names, except
    for the NodeInfos ``known`` already (loaded without owners: only with
    ``owners=False``, when nobody shows them).
    """
    if node_ids is None:
        node_ids = [pk for pk, _ in exposed_models()]
    found = exposure(node_ids) if found is None else found
    wanted = {i for i in node_ids if found.is_exposed(i)}
    paths = {node_id: found.paths_to(node_id) for node_id in wanted}
    on_paths = {step: found.types[step] for node_paths in paths.values() for path in node_paths for step in path}
    # Owners are shown for the nodes asked about, not for every table on their paths.
    infos = _infos({node_id: found.types[node_id] for node_id in wanted}, owners, known)
    infos.update(_infos({i: t for i, t in on_paths.items() if i not in infos}, False, known))
    containers = _infos(
        {info.container_id: CONTAINER_TYPE[info.type] for info in infos.values() if info.container_id}, False, known
    )
    result = []
    for node_id in wanted:
        info = infos.get(node_id)
        if info is None or info.deleted:
            continue
        steps = [
            [PathStep(infos[step], containers.get(infos[step].container_id)) for step in path if step in infos]
            for path in paths[node_id]
        ]
        result.append(Exposed(info, steps, more_paths=len(steps) >= MAX_PATHS))
    return sorted(result, key=lambda exposed: (exposed.info.label.lower(), str(exposed.info.id)))


def _infos(types: dict, owners: bool, known: dict | None) -> dict:
    """Return the NodeInfos of ``{id: type}``, loading only those ``known`` lacks (all of them for owners)."""
    known = {} if owners or known is None else known
    infos = {node_id: known[node_id] for node_id in types if node_id in known}
    infos.update(nodes.load({i: t for i, t in types.items() if i not in infos}, owners=owners))
    return infos
