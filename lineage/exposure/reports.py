"""Reports of sensitive-data exposure for pages: the exposed nodes with their paths, names and owners."""

from dataclasses import dataclass, field

from lineage import nodes
from lineage.exposure.walks import MAX_PATHS, Exposure, exposure, reach
from lineage.queries import CONTAINER_TYPE


def exposed_models() -> list[tuple]:
    """Return (id, label) of every live exposed model, in the order the governance list shows them."""
    return reach().live_models


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
