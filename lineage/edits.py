"""Edges people add and remove on the model page (origin Manual).

Edges are not versioned catalogue entities: an edge records who added it in
``updated_by``, and removing it leaves no history. Edges derived from
feature sources are not edited here: they follow the model's sources.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.models import Dashboard, MlModel, Table
from catalog.services.changes import actor_name
from catalog.services.validation import check_text
from lineage import sync
from lineage.models import Edge

#: What a model can be linked to by hand, in each direction.
TARGETS = {"dashboard": Dashboard, "table": Table}


def add_model_edge(model: MlModel, target, *, downstream: bool, actor, description: str = "") -> Edge:
    """Record that ``model`` feeds ``target`` (downstream) or ``target`` feeds ``model``.

    ``target`` is a table or a dashboard; a dashboard can only be downstream.
    Raises ValidationError naming the field for a deleted end, a dashboard
    upstream, or an edge that already exists.
    """
    description = check_text(description, "description")
    if model.deleted:
        raise ValidationError({"target": "This model is deleted; restore it before changing its lineage."})
    if not isinstance(target, tuple(TARGETS.values())):
        raise ValidationError({"target": "Link a model to a table or a dashboard."})
    if target.deleted:
        raise ValidationError({"target": f"{target.fqn} is deleted."})
    if isinstance(target, Dashboard) and not downstream:
        raise ValidationError({"direction": "A dashboard shows a model's results; it cannot feed the model."})
    ends = (model, target) if downstream else (target, model)
    with transaction.atomic():
        existing = Edge.objects.select_for_update().filter(from_id=ends[0].pk, to_id=ends[1].pk).first()
        if existing is not None:
            if existing.origin == Edge.Origin.FEATURE_SOURCE:
                raise ValidationError({"target": "This edge already follows from the model's feature sources."})
            raise ValidationError({"target": "This edge already exists."})
        return Edge.objects.create(
            from_type=ends[0].entity_type,
            from_id=ends[0].pk,
            to_type=ends[1].entity_type,
            to_id=ends[1].pk,
            origin=Edge.Origin.MANUAL,
            description=description,
            updated_by=actor_name(actor),
        )


def remove_edge(edge: Edge) -> None:
    """Remove an edge added by hand or through the API; derived edges follow the feature sources.

    The edge the model's feature sources imply between the same two nodes, if any, takes its place.
    """
    if edge.origin == Edge.Origin.FEATURE_SOURCE:
        raise ValidationError({"edge": "This edge follows from a feature source: change the feature's sources."})
    with transaction.atomic():
        edge.delete()
        sync.restore_derived_edge(edge.from_id, edge.to_id)
