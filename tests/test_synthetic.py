"""The synthetic catalogue generator, at a tiny scale: what it writes is what the write path would have written."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from benchmark import synthetic
from catalog import documents, fqn, permissions, representations
from catalog.models import (
    CARD_FIELDS,
    Classification,
    Column,
    Dashboard,
    DashboardService,
    Database,
    DatabaseSchema,
    DatabaseService,
    EntityVersion,
    FeatureSource,
    LifecycleStatus,
    MlFeature,
    MlHyperParameter,
    MlModel,
    MlModelDocument,
    MlModelService,
    ModelAlias,
    ModelMetric,
    ModelVersion,
    ModelVersionDataset,
    ModelVersionReview,
    Table,
    Tag,
    Team,
    User,
    column_id,
)
from catalog.services import mlmodels, modelversions
from catalog.services.changes import next_version
from catalog.services.describe import describe, is_major
from lineage.models import Edge
from lineage.sync import derived_edges, model_version_edges, sync_model, sync_model_versions

TINY = synthetic.Scale(
    models=12,
    features_per_model=3,
    sources_per_feature=2,
    tables=9,
    columns_per_table=5,
    users=8,
    teams=3,
    dashboards=2,
)


@pytest.fixture
def catalogue(db):
    return synthetic.generate(TINY, seed=7)


def edge_set():
    return set(Edge.objects.values_list("from_type", "from_id", "to_type", "to_id", "origin"))


def fingerprint() -> dict:
    """Everything the generator decides, in a comparable form (edge timestamps aside)."""
    return {
        "users": list(User.objects.order_by("username").values_list("id", "username", "role", "updated_at")),
        "teams": list(Team.objects.order_by("name").values_list("id", "fqn", "fqn_hash")),
        "tables": list(Table.objects.order_by("fqn").values_list("id", "fqn", "schema_id")),
        "columns": list(Column.objects.order_by("fqn").values_list("id", "fqn", "data_type")),
        "models": [representations.snapshot(m) for m in representations.represented(MlModel).order_by("fqn")],
        "history": list(
            EntityVersion.objects.order_by("entity_id", "version").values_list(
                "entity_id", "version", "snapshot", "change_description", "updated_at", "updated_by"
            )
        ),
        "edges": sorted(edge_set(), key=str),
    }


def empty_catalogue():
    Edge.objects.all().delete()
    EntityVersion.objects.all().delete()
    for model in (
        MlModel,
        Dashboard,
        Table,
        DatabaseSchema,
        Database,
        DatabaseService,
        MlModelService,
        DashboardService,
        Tag,
        Classification,
        Team,
        User,
    ):
        model.objects.all().delete()


def test_the_catalogue_has_as_many_of_everything_as_the_scale_asks(catalogue):
    assert MlModel.objects.count() == TINY.models
    assert MlFeature.objects.count() == TINY.models * TINY.features_per_model
    assert FeatureSource.objects.count() == TINY.models * TINY.features_per_model * TINY.sources_per_feature
    assert Table.objects.count() == TINY.tables
    assert Column.objects.count() == TINY.tables * TINY.columns_per_table
    assert User.objects.count() == TINY.users
    assert Team.objects.count() == TINY.teams
    assert Dashboard.objects.count() == TINY.dashboards
    assert MlHyperParameter.objects.count() > 0
    assert catalogue["catalog.MlModel"] == TINY.models
    assert ModelVersion.objects.count() == TINY.models * 3
    assert ModelMetric.objects.count() == TINY.models * 3 * 10
    assert ModelAlias.objects.count() == TINY.models * 2
    # Version 1 is trained on one table; 2 and 3 are evaluated on another too.
    assert ModelVersionDataset.objects.count() == TINY.models * 5
    assert catalogue["catalog.ModelVersion"] == TINY.models * 3


def test_every_model_has_a_few_history_versions_one_for_each_model_version_write(catalogue):
    for model in MlModel.objects.all():
        history = EntityVersion.objects.filter(entity_type="mlmodel", entity_id=model.pk).count()
        # Documented, maybe extended and retrained; 3 versions registered, 2 aliases set, maybe a request.
        assert 6 <= history <= 9
        assert model.version > Decimal("0.1")


def test_every_model_has_one_version_in_production_approved_by_someone_who_may_approve_it(catalogue):
    for model in MlModel.objects.all():
        production = model.model_versions.get(status=LifecycleStatus.PRODUCTION)
        assert model.aliases.get(name="champion").version == production
        approval = production.reviews.get()
        assert approval.decision == ModelVersionReview.Decision.APPROVED
        assert approval.status == LifecycleStatus.PRODUCTION
        assert approval.reason
        assert approval.reviewer_name == approval.reviewer.username
        assert permissions.can_approve(approval.reviewer, model)
        challenger = model.aliases.get(name="challenger").version
        assert challenger.status == LifecycleStatus.STAGING
        assert challenger.number > production.number


def test_some_challengers_wait_for_approval_to_enter_production(db):
    synthetic.generate(synthetic.Scale(models=40, features_per_model=2, tables=20, users=10, teams=3), seed=3)
    requests = ModelVersionReview.objects.filter(decision=ModelVersionReview.Decision.REQUESTED)
    assert 0 < requests.count() < 40
    for request in requests:
        assert request.open
        assert request.status == LifecycleStatus.PRODUCTION
        assert request.version.aliases.filter(name="challenger").exists()


def test_every_model_version_has_ten_metrics_and_is_trained_on_a_few_columns_of_one_table(catalogue):
    for version in ModelVersion.objects.all():
        assert version.metrics.count() == 10
        training = version.datasets.get(role=ModelVersionDataset.Role.TRAINING)
        columns = list(training.columns.all())
        assert 1 <= len(columns) <= 5
        assert {c.table_id for c in columns} == {training.table_id}


def test_some_model_cards_are_complete_some_partial_and_some_empty(db):
    synthetic.generate(synthetic.Scale(models=40, features_per_model=2, tables=20, users=10, teams=3), seed=3)
    missing = [len(model.card_missing()) for model in MlModel.objects.all()]
    assert 0 in missing
    assert len(CARD_FIELDS) in missing
    assert any(0 < count < len(CARD_FIELDS) for count in missing)


def test_some_columns_and_models_carry_tags_and_sensitive_columns_are_tagged_as_such(db):
    synthetic.generate(synthetic.Scale(models=60, features_per_model=2, tables=40, users=10, teams=3), seed=3)
    tagged_columns = Column.objects.filter(tags__isnull=False).distinct().count()
    assert 0 < tagged_columns < Column.objects.count() / 3
    assert 0 < MlModel.objects.filter(tags__isnull=False).distinct().count() < 60 / 3
    sensitive = Column.objects.filter(tags__fqn="PII.Sensitive")
    assert {c.name for c in sensitive} <= {"gender", "birth_date", "email", "phone_number", "postal_code"}


def test_fqns_and_their_hashes_are_what_the_models_own_helpers_build(catalogue):
    for model_class in (MlModel, Table, Team, Dashboard, Tag, DatabaseSchema):
        for entity in model_class.objects.all():
            stored = (entity.fqn, entity.fqn_hash)
            entity.refresh_fqn()
            assert stored == (entity.fqn, entity.fqn_hash)
            assert model_class.objects.by_fqn(entity.fqn).get() == entity
    for column in Column.objects.select_related("table__schema__database__service"):
        assert column.fqn == fqn.build(*column.table.fqn_parts(), column.name)
        assert column.id == column_id(column.table_id, column.name)


def test_fqns_are_unique_even_for_names_that_need_quoting(catalogue):
    models = list(MlModel.objects.select_related("service"))
    assert len({m.fqn for m in models}) == len(models)
    assert any(c in m.name for m in models for c in '."<✓\\')
    for model in models:
        assert fqn.split(model.fqn) == [model.service.name, model.name]


def test_each_version_follows_from_the_one_before_by_the_write_paths_rules(catalogue):
    for model in representations.represented(MlModel):
        history = list(EntityVersion.objects.filter(entity_type="mlmodel", entity_id=model.pk).order_by("version"))
        assert history[0].version == Decimal("0.1")
        assert "changeDescription" not in history[0].snapshot
        snapshots = [h.snapshot for h in history] + [representations.snapshot(model)]
        for older, newer, newer_version, newer_description in zip(
            snapshots,
            snapshots[1:],
            [h.version for h in history[1:]] + [model.version],
            [h.change_description for h in history[1:]] + [model.change_description],
            strict=False,
        ):
            expected = describe(older, newer)
            expected["previousVersion"] = older["version"]
            assert newer_description == expected
            assert newer_version == next_version(Decimal(str(older["version"])), is_major("mlmodel", expected))
        for entry in history:
            assert entry.snapshot["version"] == float(entry.version)
            assert entry.updated_by == entry.snapshot["updatedBy"]
            assert int(entry.updated_at.timestamp() * 1000) == entry.snapshot["updatedAt"]


def test_the_stored_models_are_what_the_write_path_reads_back_so_a_no_op_update_records_nothing(catalogue):
    model = representations.represented(MlModel).order_by("name").first()
    current = representations.snapshot(model)
    outcome = mlmodels.update_mlmodel(
        model, "someone", description=current.get("description", ""), algorithm=model.algorithm
    )
    assert not outcome.changed
    assert MlModel.objects.get(pk=model.pk).version == model.version


def test_the_stored_model_versions_are_what_the_write_path_reads_back_so_saving_them_again_records_nothing(
    catalogue,
):
    model = MlModel.objects.order_by("name").first()
    for version in representations.model_versions_of(model):
        _, change = modelversions.save_model_version(
            model,
            version.number,
            "someone",
            status=version.status,
            description=version.description,
            tags=version.tags,
            signature=version.signature,
            parameters=version.parameters,
            metrics=[
                modelversions.MetricSpec(m.name, m.value, m.dataset, m.step, m.timestamp, m.higher_is_better)
                for m in version.metrics_list
            ],
            datasets=[modelversions.DatasetSpec(d.role, d.table, d.columns_list) for d in version.datasets_list],
        )
        assert not change.changed
    assert MlModel.objects.get(pk=model.pk).version == model.version


def test_a_generated_model_takes_a_real_change_through_the_write_path(catalogue):
    model = MlModel.objects.order_by("name").first()
    edges_before = edge_set()
    outcome = mlmodels.update_mlmodel(model, "someone", expected_version=model.version, description="Changed.")
    assert outcome.changed
    assert outcome.entity.version == model.version + Decimal("0.1")
    assert EntityVersion.objects.filter(entity_id=model.pk, version=model.version).exists()
    assert edge_set() == edges_before


def test_a_generated_model_moves_its_champion_through_the_write_path(catalogue):
    model = MlModel.objects.order_by("name").first()
    edges_before = edge_set()
    change = modelversions.set_alias(model, "champion", 3, "someone")
    assert change.changed
    assert model.aliases.get(name="champion").version.number == 3
    assert MlModel.objects.get(pk=model.pk).version == model.version + Decimal("0.1")
    assert edge_set() == edges_before


def test_a_restamped_snapshot_is_what_snapshotting_the_entity_again_gives(churn_model):
    model = representations.represented(MlModel).get(pk=churn_model.pk)
    taken = representations.snapshot(model)
    model.version = Decimal("3.4")
    model.updated_at = synthetic.EPOCH
    model.updated_by = "someone-else"
    model.change_description = {"fieldsAdded": [], "fieldsUpdated": [{"name": "x"}], "fieldsDeleted": []}
    again = representations.snapshot(model)
    assert synthetic.restamped(taken, model) == again
    assert list(synthetic.restamped(taken, model)) == list(again)


def test_a_snapshot_given_the_model_versions_is_what_snapshotting_the_model_again_gives(churn_model, warehouse):
    model = representations.represented(MlModel).get(pk=churn_model.pk)
    without = representations.snapshot(model)
    customers = warehouse["customers"]
    modelversions.save_model_version(
        model,
        1,
        "someone",
        metrics=[modelversions.MetricSpec("auc", 0.8)],
        datasets=[modelversions.DatasetSpec("training", customers, list(customers.columns.all()[:2]))],
    )
    modelversions.set_alias(model, "champion", 1, "someone")
    model = representations.represented(MlModel).get(pk=churn_model.pk)
    again = representations.snapshot(model)
    stale = {**again, representations.MODEL_VERSIONS_KEY: []}
    assert synthetic.with_model_versions(without, model) == {**without, "modelVersions": again["modelVersions"]}
    assert synthetic.with_model_versions(stale, model) == again
    assert list(synthetic.with_model_versions(stale, model)) == list(again)


def test_lineage_edges_are_exactly_what_sync_derives_from_the_feature_sources_and_model_versions(catalogue):
    stored = edge_set()
    assert {origin for *_, origin in stored} == {"FeatureSource", "ModelVersionData"}
    expected = set()
    for model in MlModel.objects.prefetch_related("features__sources"):
        expected |= {(*edge, "FeatureSource") for edge in derived_edges(model)}
        expected |= {(*edge, "ModelVersionData") for edge in model_version_edges(model.pk)[0]}
    assert stored == expected
    assert {to_type for _, _, to_type, _, origin in stored if origin == "ModelVersionData"} == {
        "modelVersion",
        "mlmodel",
    }
    assert {from_type for from_type, *_ in stored} >= {"table", "column", "modelVersion"}
    for model in MlModel.objects.all():
        sync_model(model)
        sync_model_versions(model.pk)
    assert edge_set() == stored


def test_every_model_has_the_stored_document_the_write_path_would_store(catalogue):
    fields = ["version", "body", "dashboard", "owners", "followers", "tags", "search_text"]
    stored = {d.model_id: d for d in MlModelDocument.objects.all()}
    assert len(stored) == TINY.models
    for model in representations.represented(MlModel):
        built = documents.build(model)
        assert [getattr(stored[model.pk], f) for f in fields] == [getattr(built, f) for f in fields]


def test_feature_sources_point_at_columns_of_their_own_table(catalogue):
    sources = FeatureSource.objects.select_related("column")
    assert sources.filter(column__isnull=False).exists()
    for source in sources:
        assert source.table_id is not None
        if source.column_id:
            assert source.column.table_id == source.table_id
            assert source.name == source.column.name


def index_definitions():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        return sorted(row[0] for row in cursor.fetchall())


def test_on_postgresql_every_index_is_there_again_after_the_load(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("indexes are dropped and rebuilt around the load on PostgreSQL only")
    before = index_definitions()
    synthetic.generate(TINY, seed=7)
    assert index_definitions() == before


def test_synthetic_people_cannot_sign_in(catalogue):
    assert not any(user.has_usable_password() for user in User.objects.all())


def test_the_same_seed_gives_the_same_catalogue_and_another_seed_another(catalogue):
    first = fingerprint()
    empty_catalogue()
    synthetic.generate(TINY, seed=7)
    assert fingerprint() == first
    empty_catalogue()
    synthetic.generate(TINY, seed=8)
    assert fingerprint()["models"] != first["models"]


def test_the_generator_refuses_a_catalogue_that_is_not_empty(catalogue):
    with pytest.raises(synthetic.CatalogueNotEmpty):
        synthetic.generate(TINY, seed=7)


def test_the_command_generates_a_catalogue_at_the_scale_given(db):
    out = StringIO()
    call_command(
        "generate_catalogue",
        "--models",
        "4",
        "--tables",
        "3",
        "--users",
        "3",
        "--teams",
        "2",
        "--dashboards",
        "1",
        "--features-per-model",
        "2",
        "--columns-per-table",
        "4",
        stdout=out,
    )
    assert MlModel.objects.count() == 4
    assert MlFeature.objects.count() == 8
    assert "rows in" in out.getvalue()


def test_the_command_says_how_to_proceed_when_the_catalogue_is_not_empty(catalogue):
    with pytest.raises(CommandError, match="--flush"):
        call_command("generate_catalogue", "--models", "2", stdout=StringIO())


def test_the_command_refuses_a_scale_of_nothing(db):
    with pytest.raises(CommandError, match="--models"):
        call_command("generate_catalogue", "--models", "0", stdout=StringIO())
