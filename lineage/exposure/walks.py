"""The two exposure walks: upstream from given nodes, downstream from every sensitive column and table.

See :mod:`lineage.governance` for the rules they apply and what each costs.
"""

from collections import deque
from dataclasses import dataclass, field

from lineage import memo
from lineage.exposure.sql import (
    CARRIES,
    HOLDER,
    MEMBER,
    SHOWN_ON,
    SUMMARY,
    Step,
    as_uuid,
    every_sensitive,
    sensitive,
    sensitive_tag_hashes,
    steps_from,
    steps_into,
    uncovered,
)

#: Paths listed per model at most; a model fed by many sensitive columns lists the shortest.
MAX_PATHS = 25
#: Partial paths a search may look at, so a dense graph cannot stall a page.
MAX_SEARCH = 20_000

#: How much of a node is exposed: only tables tell the two apart.
PARTIAL, WHOLE = 0, 1


def _upstream(targets: dict) -> tuple[list, dict]:
    """Walk upstream from ``{id: type or None}``; return the steps found and the columns and tables reached.

    A table is needed *whole* when only its columns follow from it (then its
    own edges and tags decide), or *at all* when its edges lead on (then its
    columns count too). A node of unknown type is looked up as every type.
    Stated table → model summaries are checked once a level has found them.
    """
    steps, reached, table_of = [], {}, {}
    need = {}  # node id -> PARTIAL (any exposure matters) or WHOLE (only whole-table exposure matters)
    frontier = {node_id: (node_type, PARTIAL) for node_id, node_type in targets.items()}

    def follow(node_id, node_type, wanted):
        known = need.get(node_id)
        needed = known is None or (known == WHOLE and wanted == PARTIAL)
        if needed and frontier.get(node_id, (None, WHOLE))[1] == WHOLE:
            frontier[node_id] = (node_type, wanted)

    while frontier:
        into, stated_into, tables_any, columns, models, dashboards = [], [], [], [], [], []
        for node_id, (node_type, wanted) in frontier.items():
            known = need.get(node_id)
            if known is None:
                (into if node_type in ("mlfeature", None) else stated_into).append(node_id)
            need[node_id] = PARTIAL if known == PARTIAL else wanted
            if node_type in ("table", "column", None):
                reached[node_id] = node_type
            if node_type in ("table", None) and wanted == PARTIAL:
                tables_any.append(node_id)
            if known is not None:
                continue  # a table needed whole before, now needed at all: its columns only
            if node_type in ("column", None) and node_id not in table_of:
                columns.append(node_id)
            if node_type in ("mlmodel", None):
                models.append(node_id)
            if node_type in ("dashboard", None):
                dashboards.append(node_id)
        found = steps_into(into, stated_into, tables_any, columns, models, dashboards)
        summaries = {(row.from_id, row.to_id) for row in found if row.kind == SUMMARY}
        carrying = uncovered(summaries) if summaries else set()
        frontier = {}
        for from_id, from_type, to_id, to_type, kind, table_id in found:
            if kind == SUMMARY:
                if (from_id, to_id) not in carrying:
                    continue
                kind = CARRIES
            steps.append(Step(from_id, from_type, to_id, to_type, kind))
            follow(from_id, from_type, WHOLE if kind == MEMBER else PARTIAL)
            if table_id is not None and from_id not in table_of:
                # A column's table exposes it when exposed whole: the member step, found with the column.
                table_of[from_id] = table_id
                steps.append(Step(table_id, "table", from_id, "column", MEMBER))
                follow(table_id, "table", WHOLE)
    return steps, reached


def _propagate(steps: list, seeds: dict, exposure: "Exposure") -> None:
    """Apply the rules to ``steps`` from ``seeds``: fill the exposed types, the seeds and the steps taken."""
    leaving = {}
    for step in steps:
        leaving.setdefault(step[0], []).append(step)
    state = dict.fromkeys(seeds, WHOLE)
    exposure.types.update(seeds)
    exposure.seeds.update(seeds)
    queue = deque(seeds)
    while queue:
        node_id = queue.popleft()
        for _, _, to_id, to_type, kind in leaving.get(node_id, ()):
            if kind == MEMBER and state[node_id] != WHOLE:
                continue
            reached = PARTIAL if kind == HOLDER else WHOLE
            if state.get(to_id, -1) < reached:
                state[to_id] = reached
                exposure.types[to_id] = to_type
                queue.append(to_id)
    by_kind = {CARRIES: set(), SHOWN_ON: set(), MEMBER: set(), HOLDER: set()}
    for from_id, _, to_id, _, kind in steps:
        if from_id in state and from_id != to_id and (kind != MEMBER or state[from_id] == WHOLE):
            by_kind[kind].add((from_id, to_id))
    exposure.steps.update(*by_kind.values())
    exposure.holding.update(by_kind[HOLDER] - by_kind[CARRIES])
    exposure.spreading.update(by_kind[MEMBER] - by_kind[CARRIES])


@dataclass
class Exposure:
    """The nodes sensitive data reaches, the steps it took and where it started.

    Complete for the nodes it was computed for and everything upstream of
    them; a node outside that is reported as not exposed.
    """

    types: dict = field(default_factory=dict)  # node id -> type
    seeds: set = field(default_factory=set)  # tagged columns and tables
    steps: set = field(default_factory=set)  # (from_id, to_id) pairs that carried exposure
    #: Steps from a column to its table, which then only holds sensitive data...
    holding: set = field(default_factory=set)
    #: ...and steps from a table to its columns, which only a table exposed as a whole takes.
    spreading: set = field(default_factory=set)
    _upstream: dict | None = field(default=None, repr=False, compare=False)  # filled by the first paths_to

    def _upstream_of(self) -> dict:
        """Return each node's sources, sorted: built once, as a page asks for the paths of many nodes."""
        if self._upstream is None:
            self._upstream = {}
            for from_id, to_id in self.steps:
                self._upstream.setdefault(to_id, []).append(from_id)
            for sources in self._upstream.values():
                sources.sort(key=str)
        return self._upstream

    def is_exposed(self, node_id) -> bool:
        return node_id in self.types

    def model_ids(self) -> set:
        return {node_id for node_id, node_type in self.types.items() if node_type == "mlmodel"}

    def paths_to(self, node_id, limit: int = MAX_PATHS) -> list[list]:
        """Return paths (lists of node ids, source first) from sensitive sources to ``node_id``, shortest first.

        The search walks back from ``node_id`` breadth first, never through a
        node twice on one path, and stops after ``limit`` complete paths. A
        path never goes from a column to its table and on to another of its
        columns: a table holding a sensitive column does not expose the others.
        """
        upstream = self._upstream_of()
        paths, queue, budget = [], deque([[node_id]]), MAX_SEARCH
        while queue and len(paths) < limit and budget:
            budget -= 1
            path = queue.popleft()
            head = path[0]
            if head in self.seeds and len(path) > 1:
                paths.append(path)
            spreads = len(path) > 1 and (head, path[1]) in self.spreading
            for source in upstream.get(head, []):
                if source not in path and not (spreads and (source, head) in self.holding):
                    queue.append([source, *path])
        return paths


def exposure(node_ids) -> Exposure:
    """Return how sensitive data reaches the given nodes: ``{id: type}``, or ids of any type.

    One query per level of lineage upstream of them, and one for the tags;
    none when no tag is sensitive.
    """
    result = Exposure()
    if not sensitive_tag_hashes():
        return result
    targets = dict(node_ids) if isinstance(node_ids, dict) else dict.fromkeys(node_ids)
    if not targets:
        return result
    steps, reached = _upstream(targets)
    columns = [i for i, t in reached.items() if t in ("column", None)]
    tables = [i for i, t in reached.items() if t in ("table", None)]
    _propagate(steps, sensitive(columns, tables), result)
    return result


@dataclass
class Reach:
    """Everything sensitive data reaches in the catalogue, as the downstream walk found it."""

    state: dict = field(default_factory=dict)  # node id -> PARTIAL (a table holding sensitive data) or WHOLE
    seeds: set = field(default_factory=set)  # the tagged columns and tables
    live_models: list = field(default_factory=list)  # (id, label) of the live exposed models, as governance lists them

    def is_exposed(self, node_id) -> bool:
        return node_id in self.state


def _walk_down() -> Reach:
    """Return what sensitive data reaches in the whole catalogue (ids as UUIDs).

    Walks down from the tagged columns and tables, one query per level, each
    asking for the steps leaving the nodes the level before newly exposed (a
    table's columns only when the table is exposed whole). Stated table →
    model summaries wait until nothing else is left to follow; then those
    that would expose a model nothing else exposed are checked against the
    model's column-grain edges, and the walk goes on from what they expose.
    """
    state, types, frontier, summaries, live = {}, {}, {}, set(), {}
    table_known = set()  # tagged columns, whose table comes with them
    looked_up = set()  # models whose row (dashboard and label) came already

    def arrive(node_id, node_type, how_much, followed=False):
        """Record that sensitive data reaches a node; follow it next unless its steps came already."""
        if node_id is not None and state.get(node_id, -1) < how_much:
            state[node_id] = how_much
            types[node_id] = node_type
            if not followed:
                frontier[node_id] = node_type

    seeds = every_sensitive()
    for node_id, node_type, table_id in seeds:
        arrive(node_id, node_type, WHOLE)
        if table_id is not None:
            table_known.add(node_id)
            arrive(table_id, "table", PARTIAL)
    while frontier:
        by_type = {}
        for node_id, node_type in frontier.items():
            by_type.setdefault(node_type, []).append(node_id)
        sources = [*by_type.pop("column", []), *by_type.pop("table", [])]
        found = steps_from(
            sources,
            [node_id for ids in by_type.values() for node_id in ids],
            [node_id for node_id in sources if types[node_id] == "table" and state[node_id] == WHOLE],
            [node_id for node_id in sources if types[node_id] == "column" and node_id not in table_known],
            by_type.get("mlfeature"),
            [node_id for node_id in by_type.get("mlmodel", []) if node_id not in looked_up],
        )
        frontier = {}
        for step in found:
            if step.kind == SUMMARY:
                summaries.add((step.from_id, step.to_id))
            elif step.kind == SHOWN_ON:  # the model's own row, with its label
                looked_up.add(step.from_id)
                if step.label is not None:
                    live[step.from_id] = step.label
                arrive(step.from_id, "mlmodel", WHOLE, step.followed)
                arrive(step.to_id, "dashboard", WHOLE, step.followed)
            else:
                arrive(step.to_id, step.to_type, PARTIAL if step.kind == HOLDER else WHOLE, step.followed)
        if not frontier:
            for _table_id, model_id in uncovered({(t, m) for t, m in summaries if m not in state}):
                arrive(model_id, "mlmodel", WHOLE)
            summaries = set()
    return Reach(
        state={as_uuid(node_id): how_much for node_id, how_much in state.items()},
        seeds={as_uuid(node_id) for node_id, _, _ in seeds},
        live_models=sorted(
            ((as_uuid(model_id), label) for model_id, label in live.items()),
            key=lambda row: (row[1].lower(), str(row[0])),
        ),
    )


def reach() -> Reach:
    """Return what sensitive data reaches in the whole catalogue, computed once per change of it (lineage.memo).

    One query per level of lineage below the sensitive columns and tables
    (three levels for columns → features → models → dashboards), one for the
    sensitive tags and one for the table → model edges stated by hand or
    through the API that could expose a model nothing else exposes; none
    when no tag is sensitive. Kept, it costs one query. Shared: not to be
    changed by callers.
    """
    hashes = tuple(sensitive_tag_hashes())
    return memo.remembered("exposure", hashes, _walk_down if hashes else Reach)
