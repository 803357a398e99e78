"""Names, tags and owners of lineage nodes, loaded in bulk: a query per node type, and per extra asked for.

A diagram, an impact list or a governance page shows hundreds of nodes, so
rows are read as plain values (no model instances) and owners and tags
straight from their link tables (no prefetch machinery per row).
"""

from dataclasses import dataclass, field

from catalog import fqn as fqnlib
from catalog import registry
from catalog.models import Column, MlFeature, ModelVersion
from catalog.sql import one_of

#: The catalogue model behind each node type the diagrams know.
MODELS = {name: t.model for name, t in registry.TYPES.items() if t.lineage_node}
#: Types that have owners (columns, features and model versions belong to their container's owners).
OWNED = {name for name in MODELS if registry.TYPES[name].owned}
#: Types that carry catalogue tags (a model version's ``tags`` are MLflow's key → value pairs, not these).
TAGGED = {name for name, model in MODELS.items() if any(f.name == "tags" for f in model._meta.many_to_many)}


@dataclass
class NodeInfo:
    """What a diagram, an impact list or a governance path shows of one node."""

    type: str
    id: object
    name: str
    label: str
    fqn: str
    container_id: object = None  # the table of a column, the model of a feature or model version
    detail: str = ""  # a column's data type, a model's algorithm, a model version's lifecycle status
    tags: list = field(default_factory=list)  # tag FQNs, when asked for
    owners: list = field(default_factory=list)  # User and Team instances, when asked for
    deleted: bool = False


def load(types: dict, *, owners: bool = False, tags: bool = False, feature_rows: dict | None = None) -> dict:
    """Return ``{id: NodeInfo}`` for the ``{id: type}`` given; unknown ids are left out.

    Owners and tags cost a query or two per type each, so they are read
    only when asked for. Node types outside the catalogue (pipelines,
    topics... that the OpenMetadata API accepts) get a plain placeholder.
    ``feature_rows`` (``{feature id: (model id, name, data type)}``, as a walk read
    them) spares reading those features again when their models are among
    ``types``.
    """
    by_type = {}
    for node_id, node_type in types.items():
        by_type.setdefault(node_type, set()).add(node_id)
    infos = {}
    # Features last: those read already take their FQN from their model, loaded by then.
    for node_type, ids in sorted(by_type.items(), key=lambda item: (item[0] == "mlfeature", item[0])):
        if node_type not in MODELS:
            infos.update({i: NodeInfo(node_type, i, str(i), f"{node_type} {str(i)[:8]}", "") for i in ids})
            continue
        if node_type == "mlfeature" and feature_rows:
            loaded = _features_read(ids, feature_rows, infos)
            ids_to_read = ids - loaded.keys()
            if ids_to_read:
                loaded.update(_features(ids_to_read))
        else:
            loaded = _READERS[node_type](ids)
        if tags and node_type in TAGGED:
            for node_id, tag_fqns in _tags(MODELS[node_type], ids).items():
                if node_id in loaded:
                    loaded[node_id].tags = sorted(tag_fqns)
        if owners and node_type in OWNED:
            for node_id, node_owners in _owners(MODELS[node_type], ids).items():
                if node_id in loaded:
                    loaded[node_id].owners = node_owners
        infos.update(loaded)
    return infos


def _columns(ids) -> dict:
    rows = (
        Column.objects.filter(one_of("id", ids))
        .order_by()
        .values_list("id", "name", "display_name", "fqn", "table_id", "data_type", "data_type_display")
    )
    return {
        pk: NodeInfo(
            "column", pk, name, display_name or name, fqn, container_id=table_id, detail=data_type_display or data_type
        )
        for pk, name, display_name, fqn, table_id, data_type, data_type_display in rows
    }


def _features(ids) -> dict:
    rows = (
        MlFeature.objects.filter(one_of("id", ids))
        .order_by()
        .values_list("id", "name", "model_id", "data_type", "model__fqn")
    )
    # A feature's FQN is its model's and its name, as MlFeature.fqn builds it.
    return {
        pk: NodeInfo(
            "mlfeature",
            pk,
            name,
            name,
            f"{model_fqn}{fqnlib.SEPARATOR}{fqnlib.quote(name)}",
            container_id=model_id,
            detail=data_type,
        )
        for pk, name, model_id, data_type, model_fqn in rows
    }


def _model_versions(ids) -> dict:
    rows = (
        ModelVersion.objects.filter(one_of("id", ids))
        .order_by()
        .values_list("id", "number", "model_id", "status", "model__fqn")
    )
    # Named as ModelVersion.label and .fqn name them.
    return {
        pk: NodeInfo(
            "modelVersion",
            pk,
            str(number),
            f"Version {number}",
            f"{model_fqn}{fqnlib.SEPARATOR}{number}",
            container_id=model_id,
            detail=status,
        )
        for pk, number, model_id, status, model_fqn in rows
    }


def _features_read(ids, feature_rows: dict, infos: dict) -> dict:
    """Return the NodeInfos of the features of ``ids`` read already whose model's NodeInfo is in ``infos``."""
    found = {}
    for pk in ids:
        row = feature_rows.get(pk)
        if row is None or row[0] not in infos:
            continue
        model_id, name, data_type = row
        # A feature's FQN is its model's and its name, as MlFeature.fqn builds it.
        fqn = f"{infos[model_id].fqn}{fqnlib.SEPARATOR}{fqnlib.quote(name)}"
        found[pk] = NodeInfo("mlfeature", pk, name, name, fqn, container_id=model_id, detail=data_type)
    return found


def _entities(node_type: str):
    """Return the reader of a type of entity (table, model, dashboard), labelled as ``Versioned.label``."""
    model = MODELS[node_type]
    fields = ["id", "name", "display_name", "fqn", "deleted"] + (["algorithm"] if node_type == "mlmodel" else [])

    def read(ids) -> dict:
        rows = model.objects.filter(one_of("id", ids)).order_by().values_list(*fields)
        return {
            pk: NodeInfo(
                node_type,
                pk,
                name,
                display_name or name,
                fqn,
                detail=algorithm[0] if algorithm else "",
                deleted=deleted,
            )
            for pk, name, display_name, fqn, deleted, *algorithm in rows
        }

    return read


#: Parts (columns, features, model versions) have readers of their own; every entity-grain type reads as
#: ``_entities`` does.
_READERS = {
    "column": _columns,
    "mlfeature": _features,
    "modelVersion": _model_versions,
    **{name: _entities(name) for name, t in registry.TYPES.items() if t.lineage == registry.ENTITY_GRAIN},
}


def _tags(model, ids) -> dict:
    """Return ``{id: [tag FQN]}`` of the given rows, read from the link table alone (one query)."""
    through = model.tags.through
    owner = model._meta.model_name + "_id"
    found = {}
    for node_id, tag_fqn in through.objects.filter(one_of(owner, ids)).values_list(owner, "tag__fqn"):
        found.setdefault(node_id, []).append(tag_fqn)
    return found


def _owners(model, ids) -> dict:
    """Return ``{id: [User or Team]}`` of the given rows, sorted as ``Owned.owners`` sorts them (two queries)."""
    found = {}
    for relation, owner_field in ((model.owner_users, "user"), (model.owner_teams, "team")):
        through = relation.through
        key = model._meta.model_name + "_id"
        for link in through.objects.filter(one_of(key, ids)).select_related(owner_field):
            found.setdefault(getattr(link, key), []).append(getattr(link, owner_field))
    for owners in found.values():
        owners.sort(key=lambda o: (o.name, str(o.id)))
    return found
