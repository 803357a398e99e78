"""The one write path versions every change the way OpenMetadata does."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import EntityVersion, FeatureSource, MlFeature, MlModel
from catalog.services import changes, deletion, mlmodels
from lineage.models import Edge


def history(model):
    return list(EntityVersion.objects.filter(entity_id=model.pk).order_by("version").values_list("version", flat=True))


def test_a_new_model_starts_at_version_0_1_without_a_change_description(churn_model):
    assert churn_model.version == Decimal("0.1")
    assert churn_model.change_description is None
    assert churn_model.updated_by == "olivia"
    assert history(churn_model) == []


def test_a_minor_change_adds_0_1_and_describes_the_field(churn_model, editor):
    result = mlmodels.update_mlmodel(churn_model, editor, description="Predicts churn")
    model = result.entity
    assert result.changed
    assert model.version == Decimal("0.2")
    assert model.updated_by == "edward"
    assert model.change_description == {
        "fieldsAdded": [{"name": "description", "newValue": "Predicts churn"}],
        "fieldsUpdated": [],
        "fieldsDeleted": [],
        "previousVersion": 0.1,
    }


@pytest.mark.parametrize(
    "field, value", [("algorithm", "LightGBM"), ("target", "will_churn"), ("server", "https://serve.example.com/churn")]
)
def test_algorithm_server_and_target_are_major_and_keep_the_fraction(churn_model, editor, field, value):
    model = mlmodels.update_mlmodel(churn_model, editor, description="one").entity
    model = mlmodels.update_mlmodel(model, editor, description="two").entity
    assert model.version == Decimal("0.3")
    model = mlmodels.update_mlmodel(model, editor, **{field: value}).entity
    assert model.version == Decimal("1.3")


def test_a_save_that_changes_nothing_creates_no_version(churn_model, editor):
    result = mlmodels.update_mlmodel(churn_model, editor, algorithm="XGBoost", target="churned")
    assert not result.changed
    assert result.entity.version == Decimal("0.1")
    assert result.entity.updated_by == "olivia"
    assert history(churn_model) == []


def test_re_sending_the_same_features_is_not_a_change(churn_model, editor):
    features = [
        mlmodels.FeatureSpec(
            name=f.name,
            data_type=f.data_type,
            feature_algorithm=f.feature_algorithm,
            sources=[
                mlmodels.SourceSpec(name=s.name, data_type=s.data_type, table=s.table, column=s.column)
                for s in f.sources.all()
            ],
        )
        for f in churn_model.features.all()
    ]
    assert not mlmodels.update_mlmodel(churn_model, editor, features=features).changed


def test_soft_delete_and_restore_are_versions(churn_model, editor):
    deletion.delete(churn_model, editor)
    model = MlModel.objects.get(pk=churn_model.pk)
    assert model.deleted and model.version == Decimal("0.2")
    assert model.change_description["fieldsUpdated"] == [{"name": "deleted", "oldValue": False, "newValue": True}]
    deletion.restore(model, editor)
    model = MlModel.objects.get(pk=churn_model.pk)
    assert not model.deleted and model.version == Decimal("0.3")
    assert history(model) == [Decimal("0.1"), Decimal("0.2")]


def test_every_superseded_snapshot_can_be_read_back(churn_model, editor):
    mlmodels.update_mlmodel(churn_model, editor, algorithm="LightGBM")
    first = EntityVersion.objects.get(entity_id=churn_model.pk, version=Decimal("0.1"))
    assert first.snapshot["algorithm"] == "XGBoost"
    assert first.snapshot["version"] == 0.1
    assert [f["name"] for f in first.snapshot["mlFeatures"]] == ["age", "persona"]
    assert first.snapshot["mlFeatures"][0]["featureSources"][0]["column"] == "birth_date"
    assert first.snapshot["owners"][0]["name"] == "olivia"


def test_re_pointing_a_source_to_another_column_is_a_described_change(churn_model, warehouse, editor):
    income = warehouse["customers"].columns.get(name="income")
    features = [
        mlmodels.FeatureSpec(
            name="age",
            data_type="numerical",
            sources=[mlmodels.SourceSpec(name="birth_date", data_type="date", column=income)],
        ),
        mlmodels.FeatureSpec(
            name="persona",
            data_type="categorical",
            feature_algorithm="PCA",
            sources=[
                mlmodels.SourceSpec(
                    name="gender", data_type="string", column=warehouse["customers"].columns.get(name="gender")
                ),
                mlmodels.SourceSpec(name="income", data_type="number", column=income),
            ],
        ),
    ]
    model = mlmodels.update_mlmodel(churn_model, editor, features=features).entity
    assert model.version == Decimal("0.2")
    [update] = model.change_description["fieldsUpdated"]
    assert update["name"] == "mlFeatures.age"
    assert json.loads(update["oldValue"])["featureSources"][0]["column"] == "birth_date"
    assert json.loads(update["newValue"])["featureSources"][0]["column"] == "income"


def test_added_and_removed_features_and_hyperparameters_are_named(churn_model, editor):
    model = mlmodels.update_mlmodel(
        churn_model,
        editor,
        features=[mlmodels.FeatureSpec(name="tenure", data_type="numerical")],
        hyperparameters=[mlmodels.HyperParameterSpec(name="max_depth", value="8")],
    ).entity
    description = model.change_description
    assert [json.loads(c["newValue"])[0]["name"] for c in description["fieldsAdded"]] == ["tenure"]
    assert [c["name"] for c in description["fieldsDeleted"]] == ["mlFeatures"]
    assert {f["name"] for f in json.loads(description["fieldsDeleted"][0]["oldValue"])} == {"age", "persona"}
    assert description["fieldsUpdated"][0]["name"] == "mlHyperParameters.max_depth"


def test_a_failing_multi_row_write_leaves_nothing_behind(churn_model, editor):
    before_features = list(MlFeature.objects.values_list("id", "name"))
    before_sources = FeatureSource.objects.count()
    with pytest.raises(ValidationError) as error:
        mlmodels.update_mlmodel(
            churn_model,
            editor,
            description="should not land",
            features=[mlmodels.FeatureSpec(name="x"), mlmodels.FeatureSpec(name="x")],
        )
    assert "features" in error.value.message_dict
    model = MlModel.objects.get(pk=churn_model.pk)
    assert model.description == "" and model.version == Decimal("0.1")
    assert list(MlFeature.objects.values_list("id", "name")) == before_features
    assert FeatureSource.objects.count() == before_sources


def test_an_error_inside_the_transaction_rolls_back_every_row(churn_model, editor):
    edges_before = Edge.objects.count()
    with pytest.raises(RuntimeError):
        with changes.change(churn_model, editor) as c:
            c.entity.description = "half-written"
            c.entity.save()
            c.entity.features.all().delete()
            raise RuntimeError("disk full")
    assert MlModel.objects.get(pk=churn_model.pk).description == ""
    assert MlFeature.objects.filter(model=churn_model).count() == 2
    assert Edge.objects.count() == edges_before


def test_a_stale_expected_version_is_refused(churn_model, editor):
    mlmodels.update_mlmodel(churn_model, editor, description="first")
    with pytest.raises(changes.StaleVersion) as error:
        mlmodels.update_mlmodel(churn_model, editor, expected_version="0.1", description="second")
    assert error.value.current.version == Decimal("0.2")
    assert MlModel.objects.get(pk=churn_model.pk).description == "first"


def test_a_column_of_another_table_is_refused(churn_model, warehouse, editor):
    from catalog.models import Column, Table
    from tests.conftest import make

    other = make(
        Table(schema=warehouse["schema"], name="orders"),
        related=lambda t: Column.objects.create(table=t, name="amount", data_type="DOUBLE"),
    )
    with pytest.raises(ValidationError):
        mlmodels.update_mlmodel(
            churn_model,
            editor,
            features=[
                mlmodels.FeatureSpec(
                    name="spend",
                    sources=[
                        mlmodels.SourceSpec(name="amount", table=warehouse["customers"], column=other.columns.get())
                    ],
                )
            ],
        )


def test_a_source_named_after_a_column_of_its_table_is_linked_to_that_column(churn_model, warehouse, editor):
    customers = warehouse["customers"]
    model = mlmodels.update_mlmodel(
        churn_model,
        editor,
        features=[
            mlmodels.FeatureSpec(name="income", sources=[mlmodels.SourceSpec(name="income", table=customers)]),
            mlmodels.FeatureSpec(name="other", sources=[mlmodels.SourceSpec(name="not_a_column", table=customers)]),
        ],
    ).entity
    income, other = [f.sources.get() for f in model.features.all()]
    assert income.column == customers.columns.get(name="income")
    assert other.column is None and other.table == customers


def test_following_a_model_is_saved_but_makes_no_version(churn_model, viewer):
    result = mlmodels.update_mlmodel(churn_model, viewer, followers=[viewer])
    assert not result.changed
    model = MlModel.objects.get(pk=churn_model.pk)
    assert list(model.followers.all()) == [viewer]
    assert model.version == Decimal("0.1") and model.updated_by == "olivia"
