"""Edges derived from feature sources, kept in step with every model change.

A model's feature sources imply three kinds of edge, all with origin
``FeatureSource``: column → feature (or table → feature when the source names
no column), feature → model, and table → model (OpenMetadata's grain, which
the /api/v1/lineage endpoints serve). They are rewritten inside the same
transaction as the change that implied them.

A source with a table but no column (what the OpenMetadata SDK sends: the
table as ``dataSource`` and the column as the source's name) is linked to
the column of that table with the source's name, when there is one. A table
change (columns added, renamed or removed) therefore re-derives the edges of
every model reading that table. Removing a feature or a column row, by any
path, removes every edge that touches it.
"""

from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver

from catalog.models import Column, MlFeature, MlModel, Table, column_id
from catalog.services.changes import entity_removed, entity_written
from lineage.models import Edge

DERIVED = Edge.Origin.FEATURE_SOURCE


def derived_edges(model: MlModel) -> set[tuple[str, object, str, object]]:
    """Return the (from_type, from_id, to_type, to_id) edges a model's sources imply."""
    sources = [(feature, source) for feature in model.features.all() for source in feature.sources.all()]
    by_name = {column_id(s.table_id, s.name) for _, s in sources if s.table_id and not s.column_id}
    named_columns = set(Column.objects.filter(pk__in=by_name).values_list("id", flat=True)) if by_name else set()
    edges = {("mlfeature", feature.id, "mlmodel", model.id) for feature in model.features.all()}
    for feature, source in sources:
        column = source.column_id
        if column is None and source.table_id and column_id(source.table_id, source.name) in named_columns:
            column = column_id(source.table_id, source.name)
        if column:
            edges.add(("column", column, "mlfeature", feature.id))
        elif source.table_id:
            edges.add(("table", source.table_id, "mlfeature", feature.id))
        if source.table_id:
            edges.add(("table", source.table_id, "mlmodel", model.id))
    return edges


def sync_model(model: MlModel) -> None:
    """Make the stored derived edges of ``model`` equal to what its sources imply.

    An edge someone added by hand (origin Manual or API) between the same two
    nodes is left as it is: the explicit statement wins over the derived one.
    """
    model = MlModel.objects.prefetch_related("features__sources").get(pk=model.pk)
    wanted = derived_edges(model)
    feature_ids = [f.id for f in model.features.all()]
    stored = Edge.objects.filter(origin=DERIVED, to_id__in=[model.id, *feature_ids])
    stale = [e.pk for e in stored if (e.from_type, e.from_id, e.to_type, e.to_id) not in wanted]
    Edge.objects.filter(pk__in=stale).delete()
    present = set(Edge.objects.filter(to_id__in=[model.id, *feature_ids]).values_list("from_id", "to_id"))
    Edge.objects.bulk_create(
        Edge(from_type=ft, from_id=fi, to_type=tt, to_id=ti, origin=DERIVED)
        for ft, fi, tt, ti in sorted(wanted, key=str)
        if (fi, ti) not in present
    )


def restore_derived_edge(from_id, to_id) -> None:
    """Re-derive the edges of the model at the downstream end of a removed stated edge (or of its feature's).

    A stated edge stands in for the derived one between the same two nodes
    (``sync_model`` leaves it be), so removing it must bring that one back.
    """
    model_id = (
        MlModel.objects.filter(pk=to_id).values_list("id", flat=True).first()
        or MlFeature.objects.filter(pk=to_id).values_list("model_id", flat=True).first()
    )
    if model_id is not None:
        sync_model(MlModel(pk=model_id))


@receiver(entity_written, sender=MlModel)
def keep_model_edges_in_sync(sender, entity, created, changed_fields=None, **kwargs):
    """Re-derive a written model's edges, unless its features (which hold the sources) are as they were."""
    if changed_fields is not None and "mlFeatures" not in changed_fields:
        return
    sync_model(entity)


@receiver(entity_written, sender=Table)
def keep_edges_of_models_reading_a_table(sender, entity, created, **kwargs):
    """A table's columns may have changed: re-derive the edges of the models that read it."""
    for model in MlModel.objects.filter(features__sources__table=entity).distinct():
        sync_model(model)


@receiver(post_delete, sender=MlFeature)
@receiver(post_delete, sender=Column)
def remove_edges_of_removed_row(sender, instance, **kwargs):
    """A feature or column row that is gone takes every edge touching it along."""
    Edge.objects.filter(Q(from_id=instance.pk) | Q(to_id=instance.pk)).delete()


@receiver(entity_removed)
def remove_edges_of_removed_entity(sender, entity, **kwargs):
    """A hard-deleted entity takes its edges (and those of its parts) with it."""
    ids = [entity.pk]
    if isinstance(entity, MlModel):
        ids += list(MlFeature.objects.filter(model=entity).values_list("id", flat=True))
    if isinstance(entity, Table):
        ids += list(Column.objects.filter(table=entity).values_list("id", flat=True))
    Edge.objects.filter(from_id__in=ids).delete()
    Edge.objects.filter(to_id__in=ids).delete()
