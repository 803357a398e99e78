"""The demo catalogue loads realistic, self-consistent data, and loading twice changes nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from catalog.models import (
    Column,
    EntityVersion,
    FeatureSource,
    LifecycleStatus,
    MlModel,
    ModelMetric,
    ModelVersion,
    ModelVersionReview,
    Table,
    User,
)
from catalog.permissions import is_owner
from lineage.models import Edge


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_the_demo_catalogue_holds_models_with_sources_on_real_columns(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert MlModel.objects.count() == 8
    assert Table.objects.count() >= 18
    assert not FeatureSource.objects.filter(column__isnull=True).exists()
    credit = MlModel.objects.get(name="credit-scoring")
    sensitive_columns = set(
        Column.objects.filter(feature_sources__feature__model=credit, tags__fqn="PII.Sensitive").values_list(
            "name", flat=True
        )
    )
    assert {"gender", "birth_date", "annual_income"} <= sensitive_columns
    assert credit.dashboard.name == "credit-risk-performance"
    assert credit.owners()


def test_every_demo_model_has_history_and_churn_had_a_major_change(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for model in MlModel.objects.all():
        assert EntityVersion.objects.filter(entity_id=model.id).exists(), model.name
    churn = MlModel.objects.get(name="customer-churn")
    assert EntityVersion.objects.get(entity_id=churn.id, version=Decimal("0.2")).snapshot["algorithm"] == (
        "RandomForestClassifier"
    )
    assert EntityVersion.objects.filter(entity_id=churn.id, version=Decimal("1.2")).exists()


def test_loading_the_demo_twice_changes_nothing(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    before = (
        list(MlModel.objects.values_list("id", "version").order_by("id")),
        EntityVersion.objects.count(),
        Edge.objects.count(),
        User.objects.count(),
        Column.objects.count(),
        ModelVersion.objects.count(),
        ModelVersionReview.objects.count(),
    )
    call_command("load_demo", stdout=open("/dev/null", "w"))
    after = (
        list(MlModel.objects.values_list("id", "version").order_by("id")),
        EntityVersion.objects.count(),
        Edge.objects.count(),
        User.objects.count(),
        Column.objects.count(),
        ModelVersion.objects.count(),
        ModelVersionReview.objects.count(),
    )
    assert after == before


def test_the_demo_prints_an_admin_login(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "admin / modelatlas-demo" in out
    assert User.objects.get(username="admin").check_password("modelatlas-demo")


def test_every_demo_model_has_a_champion_in_production_approved_by_an_owner_and_a_challenger_in_staging(demo):
    for model in MlModel.objects.all():
        versions = list(model.model_versions.order_by("number"))
        assert 2 <= len(versions) <= 4, model.name
        production = [v for v in versions if v.status == LifecycleStatus.PRODUCTION]
        assert len(production) == 1, model.name
        champion = production[0]
        assert list(champion.aliases.values_list("name", flat=True)) == ["champion"]
        approval = champion.reviews.get(decision="approved", status="production")
        assert is_owner(approval.reviewer, model) and approval.reason, model.name
        challenger = model.aliases.get(name="challenger").version
        assert challenger.status == LifecycleStatus.STAGING and challenger.number == versions[-1].number
        assert {v.status for v in versions if v not in (champion, challenger)} <= {LifecycleStatus.ARCHIVED}


def test_demo_model_versions_carry_their_run_metrics_parameters_signature_and_tables(demo):
    for version in ModelVersion.objects.select_related("model"):
        assert version.run_id and version.run_url.endswith(version.run_id) and version.parameters
        assert User.objects.filter(username=version.created_by).exists()
        assert version.metrics.filter(dataset__gt="").count() == version.metrics.count() >= 2
        inputs = {i["name"] for i in version.signature["inputs"]}
        assert inputs <= set(version.model.features.values_list("name", flat=True)) and version.signature["outputs"]
        roles = set(version.datasets.values_list("role", flat=True))
        assert roles == {"training", "evaluation"}, version
        for dataset in version.datasets.all():
            assert dataset.columns.exists()
            assert set(dataset.columns.values_list("table_id", flat=True)) == {dataset.table_id}
    losses = ModelMetric.objects.filter(name__in=["logloss", "rmse", "mae", "mape"])
    assert losses.exists() and not losses.filter(higher_is_better=True).exists()
    assert not ModelMetric.objects.filter(name__in=["auc", "accuracy", "f1"], higher_is_better=False).exists()


def test_the_churn_model_says_what_is_in_production_who_approved_it_and_how_it_compares_with_the_challenger(demo):
    churn = MlModel.objects.get(name="customer-churn")
    champion = churn.aliases.get(name="champion").version
    challenger = churn.aliases.get(name="challenger").version
    assert (champion.number, champion.status, challenger.status) == (3, "production", "staging")
    approval = champion.reviews.get(decision="approved")
    assert approval.reviewer.username == "alice" and "AUC" in approval.reason
    assert champion.metrics.get(name="auc").value < challenger.metrics.get(name="auc").value
    trained_on = set(champion.datasets.filter(role="training").values_list("table__name", flat=True))
    assert trained_on == {"subscriptions", "support_tickets", "customers", "web_sessions"}
    assert challenger.reviews.get(open=True).status == "production"
    assert churn.card_missing() == []


def test_most_demo_cards_are_complete_and_some_are_left_incomplete_on_purpose(demo):
    missing = {model.name: model.card_missing() for model in MlModel.objects.all()}
    complete = [name for name, gaps in missing.items() if not gaps]
    assert len(complete) >= 5
    assert len(missing["ticket-routing"]) == 9
    assert 0 < len(missing["customer-lifetime-value"]) and 0 < len(missing["employee-attrition"])


def test_a_demo_user_approves_and_one_challenger_was_rejected_with_a_reason(demo):
    assert list(User.objects.filter(is_approver=True).values_list("username", flat=True)) == ["bob"]
    rejection = ModelVersionReview.objects.get(decision="rejected")
    assert rejection.version.model.name == "employee-attrition" and rejection.reason
