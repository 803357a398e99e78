"""Every lineage edge people or programs state or remove: the model page (origin Manual) and the API (origin API).

Edges are not versioned catalogue entities: an edge records who added it in
``updated_by``, and removing it leaves no history. Which edges may exist is
:func:`check_ends`, for both doors. The doors differ only where OpenMetadata's
dialect says so: the API's PUT of an existing edge replaces it (:func:`state_edge`)
where the page refuses a duplicate (:func:`add_model_edge`), and its DELETE may
remove a derived edge (``remove_edges(derived=True)``), which the page leaves
to the model's feature sources.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.models import Dashboard, MlModel, Table
from catalog.services.changes import actor_name
from catalog.services.validation import check_text
from lineage import memo, sync
from lineage.models import DERIVED_ORIGINS, Edge

#: What a model can be linked to by hand, in each direction.
TARGETS = {"dashboard": Dashboard, "table": Table}


def check_ends(upstream, downstream, *, field="edge") -> None:
    """Refuse an edge no door may store: a node feeding itself, a deleted end, a dashboard feeding a model."""
    if upstream.pk == downstream.pk:
        raise ValidationError({field: "An entity cannot be its own upstream."})
    for end in (upstream, downstream):
        if getattr(end, "deleted", False):
            raise ValidationError({field: f"{end.fqn} is deleted."})
    if isinstance(upstream, Dashboard) and isinstance(downstream, MlModel):
        raise ValidationError({"direction": "A dashboard shows a model's results; it cannot feed the model."})


def state_edge(upstream, downstream, actor, *, details=None, description="") -> Edge:
    """Add or replace the edge between two entities as the API states it (OpenMetadata's PUT is an upsert)."""
    description = check_text(description, "description")
    check_ends(upstream, downstream)
    with transaction.atomic():
        edge, _ = Edge.objects.update_or_create(
            from_id=upstream.pk,
            to_id=downstream.pk,
            defaults={
                "from_type": upstream.entity_type,
                "to_type": downstream.entity_type,
                "origin": Edge.Origin.API,
                "details": details,
                "description": description,
                "updated_by": actor_name(actor),
            },
        )
        memo.renew()
    return edge


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
    ends = (model, target) if downstream else (target, model)
    check_ends(*ends, field="target")
    with transaction.atomic():
        existing = Edge.objects.select_for_update().filter(from_id=ends[0].pk, to_id=ends[1].pk).first()
        if existing is not None:
            if existing.origin == Edge.Origin.FEATURE_SOURCE:
                raise ValidationError({"target": "This edge already follows from the model's feature sources."})
            raise ValidationError({"target": "This edge already exists."})
        memo.renew()
        return Edge.objects.create(
            from_type=ends[0].entity_type,
            from_id=ends[0].pk,
            to_type=ends[1].entity_type,
            to_id=ends[1].pk,
            origin=Edge.Origin.MANUAL,
            description=description,
            updated_by=actor_name(actor),
        )


def remove_edges(upstream_id, downstream_id, *, derived: bool = False) -> int:
    """Remove the edges between two nodes; return how many went.

    A derived edge follows the model's feature sources, so the page refuses to
    remove it (``derived=False``); OpenMetadata's DELETE removes it
    (``derived=True``) until the model's lineage is added again or its
    features change. Removing a stated edge brings back the edge the feature
    sources imply between the same nodes, if any: the stated one stood in for it.
    """
    with transaction.atomic():
        edges = Edge.objects.select_for_update().filter(from_id=upstream_id, to_id=downstream_id)
        origins = {edge.origin for edge in edges}
        if not derived and origins == {Edge.Origin.FEATURE_SOURCE}:
            raise ValidationError({"edge": "This edge follows from a feature source: change the feature's sources."})
        if origins & {Edge.Origin.MODEL_VERSION_DATA}:
            # No door states an edge into or out of a model version: its datasets alone say what feeds it.
            raise ValidationError(
                {"edge": "This edge follows from a model version's data: change the version's datasets."}
            )
        removed, _ = edges.delete()
        memo.renew()
        if origins - DERIVED_ORIGINS:
            sync.restore_derived_edge(upstream_id, downstream_id)
    return removed
