"""Edges derived from feature sources and model versions' datasets, kept in step with every model change.

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

A model's versions imply edges of their own, with origin ``ModelVersionData``:
each training or evaluation dataset feeds its version from the columns it
lists (from its table when it lists none), and every version feeds its model.
Every model-version write is a change of the model (``modelVersions`` among
its changed fields), so they are rewritten in that write too; a removed
version takes its edges along.
"""

from django.db.models import Q, Value
from django.db.models.signals import post_delete
from django.dispatch import receiver

from catalog.models import Column, MlFeature, MlModel, ModelVersion, ModelVersionDataset, Table, column_id
from catalog.services.changes import entity_removed, entity_written
from lineage.models import Edge

DERIVED = Edge.Origin.FEATURE_SOURCE
FROM_MODEL_VERSIONS = Edge.Origin.MODEL_VERSION_DATA


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


def model_version_edges(model_id) -> tuple[set[tuple[str, object, str, object]], list]:
    """Return the edges a model's versions and their datasets imply, and the ids of its versions (one query)."""
    rows = list(
        ModelVersion.objects.filter(model_id=model_id)
        .order_by()
        .values_list("id", "datasets__table_id", "datasets__columns")
    )
    return dataset_edges(model_id, rows), sorted({version_id for version_id, _, _ in rows})


def dataset_edges(model_id, rows) -> set[tuple[str, object, str, object]]:
    """Return the edges implied by (version id, dataset's table id, dataset's column id) rows of a model's versions.

    The rows are those of the join of versions, datasets and their columns: a
    version without datasets comes with two Nones, a dataset without columns
    with a None column. Apart from the query, so the synthetic catalogue
    derives its edges by the same rule from rows it has not stored yet.
    """
    edges = set()
    for version_id, table_id, column in rows:
        edges.add(("modelVersion", version_id, "mlmodel", model_id))
        if column is not None:
            edges.add(("column", column, "modelVersion", version_id))
        elif table_id is not None:
            edges.add(("table", table_id, "modelVersion", version_id))
    return edges


def sync_model_versions(model_id) -> None:
    """Make the stored edges of a model's versions equal to what their datasets imply (two queries when in step)."""
    wanted, version_ids = model_version_edges(model_id)
    stored = list(
        Edge.objects.filter(to_id__in=[model_id, *version_ids]).values_list("pk", "from_id", "to_id", "origin")
    )
    wanted_pairs = {(fi, ti) for _, fi, _, ti in wanted}
    stale = [pk for pk, fi, ti, origin in stored if origin == FROM_MODEL_VERSIONS and (fi, ti) not in wanted_pairs]
    if stale:
        Edge.objects.filter(pk__in=stale).delete()
    present = {(fi, ti) for _, fi, ti, _ in stored}
    missing = [edge for edge in sorted(wanted, key=str) if (edge[1], edge[3]) not in present]
    if missing:
        Edge.objects.bulk_create(
            Edge(from_type=ft, from_id=fi, to_type=tt, to_id=ti, origin=FROM_MODEL_VERSIONS)
            for ft, fi, tt, ti in missing
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
    """Re-derive a written model's edges, unless its features (which hold the sources) or versions are as they were."""
    if changed_fields is None or "mlFeatures" in changed_fields:
        sync_model(entity)
    if changed_fields is None or "modelVersions" in changed_fields:
        sync_model_versions(entity.pk)


@receiver(entity_written, sender=Table)
def keep_edges_of_models_reading_a_table(sender, entity, created, **kwargs):
    """A table's columns may have changed: re-derive the edges of the models whose features or versions read it."""
    by_features = MlModel.objects.filter(features__sources__table=entity).values_list("id", Value("features"))
    by_versions = ModelVersionDataset.objects.filter(table=entity).values_list("version__model_id", Value("versions"))
    for model_id, reading in sorted(by_features.order_by().union(by_versions.order_by()), key=str):
        if reading == "features":
            sync_model(MlModel(pk=model_id))
        else:
            sync_model_versions(model_id)


@receiver(post_delete, sender=MlFeature)
@receiver(post_delete, sender=ModelVersion)
@receiver(post_delete, sender=Column)
def remove_edges_of_removed_row(sender, instance, **kwargs):
    """A feature, model version or column row that is gone takes every edge touching it along."""
    Edge.objects.filter(Q(from_id=instance.pk) | Q(to_id=instance.pk)).delete()


@receiver(entity_removed)
def remove_edges_of_removed_entity(sender, entity, **kwargs):
    """A hard-deleted entity takes its edges (and those of its parts) with it."""
    ids = [entity.pk]
    if isinstance(entity, MlModel):
        ids += list(MlFeature.objects.filter(model=entity).values_list("id", flat=True))
        ids += list(ModelVersion.objects.filter(model=entity).values_list("id", flat=True))
    if isinstance(entity, Table):
        ids += list(Column.objects.filter(table=entity).values_list("id", flat=True))
    Edge.objects.filter(from_id__in=ids).delete()
    Edge.objects.filter(to_id__in=ids).delete()
