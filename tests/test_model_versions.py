"""Model versions through the domain's write path: every door ends here (catalog.services.modelversions)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog import representations
from catalog.models import (
    EntityVersion,
    MlModel,
    ModelAlias,
    ModelMetric,
    ModelVersion,
    ModelVersionReview,
    Table,
    User,
)
from catalog.services import mlmodels
from catalog.services import modelversions as mv

pytestmark = pytest.mark.django_db


def history_length(model) -> int:
    return EntityVersion.objects.filter(entity_type="mlmodel", entity_id=model.pk).count()


def fresh(model) -> MlModel:
    return MlModel.objects.get(pk=model.pk)


@pytest.fixture
def approver(db):
    return User.objects.create_user("april", password="pw-april-1", role=User.Role.EDITOR, is_approver=True)


@pytest.fixture
def registered(churn_model, owner, warehouse):
    """The churn model with version 1 (archived) and version 2 (staging, the challenger)."""
    customers = warehouse["customers"]
    income = customers.columns.get(name="income")
    mv.save_model_version(
        churn_model,
        1,
        owner,
        description="Baseline.",
        metrics=[mv.MetricSpec("auc", 0.81, dataset="test"), mv.MetricSpec("logloss", 0.42, higher_is_better=False)],
        datasets=[mv.DatasetSpec("training", customers, [income])],
        status="archived",
    )
    mv.save_model_version(churn_model, 2, owner, metrics=[mv.MetricSpec("auc", 0.86, dataset="test")], status="staging")
    mv.set_alias(churn_model, "challenger", 2, owner)
    return fresh(churn_model)


def test_each_model_version_write_is_one_minor_history_version_of_its_model(churn_model, owner):
    before = history_length(churn_model)
    mv.save_model_version(churn_model, 1, owner, description="First.")
    mv.set_alias(churn_model, "champion", 1, owner)
    mv.log_metrics(churn_model, 1, [mv.MetricSpec("auc", 0.9)], owner)
    model = fresh(churn_model)
    assert history_length(model) == before + 3
    assert model.version == Decimal("0.4")


def test_the_same_write_twice_records_one_history_version(registered, owner):
    mv.save_model_version(registered, 2, owner, description="Challenger.")
    before = history_length(registered)
    _, change = mv.save_model_version(registered, 2, owner, description="Challenger.")
    assert not change.changed
    assert history_length(registered) == before


def test_an_alias_moves_from_one_version_to_another_in_one_step(registered, owner):
    mv.set_alias(registered, "challenger", 1, owner)
    assert list(ModelAlias.objects.filter(model=registered).values_list("name", "version__number")) == [
        ("challenger", 1)
    ]
    updated = {item["name"] for item in fresh(registered).change_description["fieldsUpdated"]}
    assert updated == {"modelVersions.1", "modelVersions.2"}


@pytest.mark.parametrize("alias", ["", "-x", "a b", "latest", "V3", "x" * 65, "champion\x00"])
def test_an_alias_that_is_no_name_or_names_a_version_is_refused(registered, owner, alias):
    with pytest.raises(ValidationError) as error:
        mv.set_alias(registered, alias, 1, owner)
    assert "alias" in error.value.message_dict


def test_an_alias_of_a_version_that_does_not_exist_is_refused_and_changes_nothing(registered, owner):
    before = history_length(registered)
    with pytest.raises(ValidationError) as error:
        mv.set_alias(registered, "champion", 9, owner)
    assert "version" in error.value.message_dict
    assert history_length(registered) == before
    assert not ModelAlias.objects.filter(name="champion").exists()


def test_an_unknown_status_is_refused(registered, owner):
    with pytest.raises(ValidationError) as error:
        mv.set_status(registered, 2, "live", owner)
    assert "status" in error.value.message_dict


@pytest.mark.parametrize("value", ["0.9", float("nan"), float("inf"), True, None])
def test_a_metric_that_is_not_a_finite_number_is_refused_and_nothing_is_logged(registered, owner, value):
    with pytest.raises(ValidationError) as error:
        mv.log_metrics(registered, 2, [mv.MetricSpec("auc", 0.5), mv.MetricSpec("f1", value)], owner)
    assert "metrics[1].value" in error.value.message_dict
    assert not ModelMetric.objects.filter(name="f1").exists()


def test_a_dataset_column_of_another_table_is_refused(registered, owner, warehouse):
    customers = warehouse["customers"]
    orders = Table.objects.create(schema=warehouse["schema"], name="orders")
    with pytest.raises(ValidationError) as error:
        mv.save_model_version(
            registered, 3, owner, datasets=[mv.DatasetSpec("training", orders, [customers.columns.first()])]
        )
    assert "datasets[0].columns" in error.value.message_dict
    assert not ModelVersion.objects.filter(number=3).exists()


def test_an_owner_moves_a_version_to_production_and_the_approval_is_recorded(registered, owner):
    mv.set_status(registered, 2, "production", owner, "Beats v1 on AUC.")
    review = ModelVersionReview.objects.get(version__number=2, decision="approved")
    assert (review.status, review.reviewer, review.reason) == ("production", owner, "Beats v1 on AUC.")
    assert ModelVersion.objects.get(model=registered, number=2).status == "production"


def test_an_editor_who_does_not_own_the_model_may_not_approve(registered, editor):
    with pytest.raises(PermissionDenied):
        mv.set_status(registered, 2, "production", editor, "Ship it.")
    assert ModelVersion.objects.get(model=registered, number=2).status == "staging"
    assert not ModelVersionReview.objects.exists()


def test_an_editor_requests_and_an_approver_approves(registered, editor, approver):
    mv.request_status(registered, 2, "production", editor, "Ready.")
    with pytest.raises(PermissionDenied):
        mv.approve(registered, 2, editor)
    mv.approve(registered, 2, approver, "Checked the card.")
    decisions = list(ModelVersionReview.objects.order_by("at", "id").values_list("decision", "reviewer_name", "open"))
    assert decisions == [("requested", "edward", False), ("approved", "april", False)]
    assert ModelVersion.objects.get(model=registered, number=2).status == "production"


def test_a_rejection_needs_a_reason_and_leaves_the_status(registered, editor, owner):
    mv.request_status(registered, 2, "production", editor, "Ready.")
    with pytest.raises(ValidationError) as error:
        mv.reject(registered, 2, owner, " ")
    assert "reason" in error.value.message_dict
    mv.reject(registered, 2, owner, "AUC on the holdout is unconvincing.")
    version = ModelVersion.objects.get(model=registered, number=2)
    assert version.status == "staging"
    assert not version.reviews.filter(open=True).exists()
    assert version.reviews.get(decision="rejected").reason == "AUC on the holdout is unconvincing."


def test_a_second_request_while_one_waits_is_refused(registered, editor):
    mv.request_status(registered, 2, "production", editor)
    with pytest.raises(ValidationError):
        mv.request_status(registered, 2, "production", editor)


def test_a_new_version_created_straight_into_production_needs_an_approver(registered, editor, approver):
    with pytest.raises(PermissionDenied):
        mv.save_model_version(registered, 3, editor, status="production")
    assert not ModelVersion.objects.filter(model=registered, number=3).exists()
    mv.save_model_version(registered, 3, approver, status="production", reason="Hotfix.")
    assert ModelVersionReview.objects.get(version__number=3).decision == "approved"


def test_the_gated_statuses_are_a_setting(registered, editor, settings):
    settings.MODEL_VERSION_GATED_STATUSES = ["production", "staging"]
    with pytest.raises(PermissionDenied):
        mv.set_status(registered, 1, "staging", editor)
    settings.MODEL_VERSION_GATED_STATUSES = []
    mv.set_status(registered, 1, "production", editor)
    assert ModelVersion.objects.get(model=registered, number=1).status == "production"


def test_a_model_document_for_openmetadata_leaves_out_versions_and_card_that_history_keeps(registered, owner):
    mlmodels.update_mlmodel(registered, owner, card_intended_use="Rank retention offers.")
    snapshot = representations.snapshot(fresh(registered))
    assert [v["version"] for v in snapshot["modelVersions"]] == [2, 1]
    assert snapshot["modelCard"] == {"intendedUse": "Rank retention offers."}
    document = representations.openmetadata_view(snapshot)
    assert "modelVersions" not in document and "modelCard" not in document


def test_the_card_says_which_sections_are_missing(churn_model, owner):
    mlmodels.update_mlmodel(churn_model, owner, card_intended_use="Retention.", card_risk_rating="medium")
    missing = fresh(churn_model).card_missing()
    assert "intended use" not in missing and "risk rating" not in missing
    assert len(missing) == 7


def test_an_unknown_risk_rating_is_refused(churn_model, owner):
    with pytest.raises(ValidationError) as error:
        mlmodels.update_mlmodel(churn_model, owner, card_risk_rating="extreme")
    assert "card_risk_rating" in error.value.message_dict


def test_deleting_a_version_takes_its_alias_and_metrics_and_is_a_history_version(registered, owner):
    before = history_length(registered)
    mv.delete_model_version(registered, 2, owner)
    assert not ModelAlias.objects.filter(model=registered).exists()
    assert not ModelMetric.objects.filter(version__number=2).exists()
    assert history_length(registered) == before + 1
