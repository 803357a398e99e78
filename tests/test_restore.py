"""Restoring an ML model to an earlier history version writes it back as a new history version."""

from decimal import Decimal

import pytest

from catalog import representations
from catalog.models import ModelVersion, Table
from catalog.services import changes, mlmodels, modelversions, restore

RESTORED = restore.RESTORED_KEYS


def snapshot(model):
    return representations.snapshot(representations.represented(type(model)).get(pk=model.pk))


def restored_fields(snap):
    """The fields a restore writes back; references compared by what identifies them."""
    out = {key: snap.get(key) for key in RESTORED}
    out["owners"] = sorted(o["id"] for o in snap.get("owners") or [])
    return out


@pytest.fixture
def changed_model(churn_model, editor, pii, warehouse, dashboard):
    """The churn model at 0.1, then changed in its description, card, owners, tags, dashboard and features."""
    column = {c.name: c for c in warehouse["customers"].columns.all()}
    model = mlmodels.update_mlmodel(
        churn_model,
        editor,
        description="Predicts churn",
        card_intended_use="Retention campaigns",
        card_risk_rating="medium",
        tags=[pii["sensitive"]],
        dashboard=dashboard,
    ).entity
    features = mlmodels.stored_features(model)
    features[0].sources[0].column = column["customer_id"]
    features[0].sources[0].name = "customer_id"
    del features[1]
    model = mlmodels.update_mlmodel(
        model,
        editor,
        description="Predicts churn, badly",
        algorithm="LightGBM",
        card_intended_use="",
        card_caveats="Not for credit decisions",
        owners=[editor],
        tags=[pii["non_sensitive"]],
        dashboard=None,
        features=[*features, mlmodels.FeatureSpec(name="tenure", data_type="numerical")],
        hyperparameters=[mlmodels.HyperParameterSpec(name="eta", value="0.1")],
    ).entity
    return model


def test_restoring_an_older_version_makes_a_new_version_equal_to_it_in_every_restored_field(changed_model, editor):
    old = restore.snapshot_at(changed_model, "0.2")
    result = restore.restore(changed_model, "0.2", editor)
    assert result.changed
    assert result.entity.version == Decimal("2.2")  # the algorithm goes back: a major change
    assert restored_fields(snapshot(result.entity)) == restored_fields(old)
    assert snapshot(result.entity)["modelCard"] == {"intendedUse": "Retention campaigns", "riskRating": "medium"}


def test_a_restore_is_undone_by_restoring_the_version_before_it(changed_model, editor):
    before = snapshot(changed_model)
    restored = restore.restore(changed_model, "0.1", editor).entity
    undone = restore.restore(restored, changed_model.version, editor).entity
    assert undone.version > restored.version
    assert restored_fields(snapshot(undone)) == restored_fields(before)


def test_restoring_the_current_version_changes_nothing(changed_model, editor):
    result = restore.restore(changed_model, changed_model.version, editor)
    assert not result.changed
    assert result.entity.version == changed_model.version


def test_an_unknown_version_is_no_such_version(churn_model, editor):
    with pytest.raises(restore.NoSuchVersion):
        restore.restore(churn_model, "7.0", editor)
    with pytest.raises(restore.NoSuchVersion):
        restore.preview(churn_model, "0.2")


def test_a_stale_expected_version_is_refused(changed_model, editor):
    with pytest.raises(changes.StaleVersion):
        restore.restore(changed_model, "0.1", editor, expected_version="0.1")


def test_the_preview_is_the_diff_from_now_to_that_version(changed_model):
    preview = restore.preview(changed_model, "0.2")
    labels = {change.label: change for change in preview.changes}
    assert labels["Algorithm"].old == "LightGBM" and labels["Algorithm"].new == "XGBoost"
    assert labels["Description"].new == "Predicts churn"
    assert "Feature tenure" in labels and labels["Feature tenure"].kind == "removed"
    assert "Feature persona" in labels and labels["Feature persona"].kind == "added"
    assert labels["Intended use"].new == "Retention campaigns"
    assert preview.missing == []


def test_the_preview_of_the_current_version_shows_no_change(changed_model):
    assert restore.preview(changed_model, changed_model.version).changes == []


def test_a_table_deleted_since_is_left_out_and_named_in_the_preview(churn_model, editor, warehouse):
    model = mlmodels.update_mlmodel(churn_model, editor, features=[]).entity
    customers = warehouse["customers"]
    changes.hard_delete(Table.objects.get(pk=customers.pk))

    preview = restore.preview(model, "0.1")
    assert preview.missing == [
        f"Table {customers.fqn} (feature age, source birth_date)",
        f"Table {customers.fqn} (feature persona, source gender)",
        f"Table {customers.fqn} (feature persona, source income)",
    ]
    restored = restore.restore(model, "0.1", editor).entity
    features = snapshot(restored)["mlFeatures"]
    assert [f["name"] for f in features] == ["age", "persona"]
    assert [s["name"] for s in features[1]["featureSources"]] == ["gender", "income"]
    assert all("dataSource" not in s for f in features for s in f["featureSources"])


def test_a_soft_deleted_owner_and_tag_are_left_out_and_named(churn_model, editor, owner, pii):
    model = mlmodels.update_mlmodel(churn_model, editor, tags=[pii["sensitive"]]).entity
    model = mlmodels.update_mlmodel(model, editor, tags=[], owners=[editor]).entity
    changes.soft_delete(pii["sensitive"], editor)
    changes.soft_delete(owner, editor)

    preview = restore.preview(model, "0.2")
    assert preview.missing == ["User olivia", f"Tag {pii['sensitive'].fqn}"]
    restored = snapshot(restore.restore(model, "0.2", editor).entity)
    assert restored.get("owners") == [] and restored.get("tags") == []


def test_model_versions_are_not_rewound_and_the_preview_says_so(churn_model, owner):
    modelversions.save_model_version(churn_model, 1, owner)
    model = modelversions.set_status(churn_model, 1, "production", owner, reason="Beat the baseline").entity
    preview = restore.preview(model, "0.1")
    assert preview.model_versions_differ
    assert all(change.label != "modelVersions" for change in preview.changes)

    restore.restore(model, "0.1", owner)
    assert ModelVersion.objects.get(model=churn_model, number=1).status == "production"
