"""Names, tags and owners of lineage nodes, loaded in bulk: a few queries per node type."""

from dataclasses import dataclass, field

from catalog.models import Column, Dashboard, MlFeature, MlModel, Table

#: The catalogue model behind each node type the diagrams know.
MODELS = {"table": Table, "column": Column, "mlfeature": MlFeature, "mlmodel": MlModel, "dashboard": Dashboard}
#: Types that have owners (columns and features belong to their container's owners).
OWNED = {"table", "mlmodel", "dashboard"}
#: The fields a NodeInfo is made of, per type: a diagram of hundreds of nodes reads nothing else.
FIELDS = {
    "column": ("id", "name", "display_name", "fqn", "table", "data_type", "data_type_display"),
    # A feature's FQN starts with its model's.
    "mlfeature": ("id", "name", "model", "data_type", "model__fqn"),
    "mlmodel": ("id", "name", "display_name", "fqn", "deleted", "algorithm"),
    "table": ("id", "name", "display_name", "fqn", "deleted"),
    "dashboard": ("id", "name", "display_name", "fqn", "deleted"),
}


@dataclass
class NodeInfo:
    """What a diagram, an impact list or a governance path shows of one node."""

    type: str
    id: object
    name: str
    label: str
    fqn: str
    container_id: object = None  # the table of a column, the model of a feature
    detail: str = ""  # a column's data type, a model's algorithm
    tags: list = field(default_factory=list)  # tag FQNs, when asked for
    owners: list = field(default_factory=list)  # User and Team instances, when asked for
    deleted: bool = False


def load(types: dict, *, owners: bool = False, tags: bool = False) -> dict:
    """Return ``{id: NodeInfo}`` for the ``{id: type}`` given; unknown ids are left out.

    Owners and tags cost a query or two per type each, so they are read
    only when asked for. Node types outside the catalogue (pipelines,
    topics... that the OpenMetadata API accepts) get a plain placeholder.
    """
    by_type = {}
    for node_id, node_type in types.items():
        by_type.setdefault(node_type, set()).add(node_id)
    infos = {}
    for node_type, ids in sorted(by_type.items()):
        if node_type not in MODELS:
            infos.update({i: NodeInfo(node_type, i, str(i), f"{node_type} {str(i)[:8]}", "") for i in ids})
            continue
        with_owners = owners and node_type in OWNED
        model = MODELS[node_type]
        queryset = model.objects.filter(pk__in=ids).only(*FIELDS[node_type]).order_by()
        if node_type == "mlfeature":
            queryset = queryset.select_related("model")
        if with_owners:
            queryset = queryset.prefetch_related("owner_users", "owner_teams")
        tags_of = _tags(model, ids) if tags else {}
        infos.update((obj.pk, _info(node_type, obj, sorted(tags_of.get(obj.pk, ())), with_owners)) for obj in queryset)
    return infos


def _tags(model, ids) -> dict:
    """Return ``{id: [tag FQN]}`` of the given rows, read from the link table alone (one query)."""
    through = model.tags.through
    owner = model._meta.model_name + "_id"
    found = {}
    for node_id, tag_fqn in through.objects.filter(**{f"{owner}__in": ids}).values_list(owner, "tag__fqn"):
        found.setdefault(node_id, []).append(tag_fqn)
    return found


def _info(node_type: str, obj, tags: list, with_owners: bool) -> NodeInfo:
    if node_type == "column":
        return NodeInfo(node_type, obj.pk, obj.name, obj.display_name or obj.name, obj.fqn,
                        container_id=obj.table_id, detail=obj.data_type_display or obj.data_type, tags=tags)
    if node_type == "mlfeature":
        return NodeInfo(node_type, obj.pk, obj.name, obj.name, obj.fqn, container_id=obj.model_id,
                        detail=obj.data_type, tags=tags)
    return NodeInfo(
        node_type, obj.pk, obj.name, obj.label, obj.fqn, detail=getattr(obj, "algorithm", ""), tags=tags,
        owners=obj.owners() if with_owners else [], deleted=obj.deleted,
    )
