"""The demo catalogue loads realistic, self-consistent data, and loading twice changes nothing."""

from decimal import Decimal

from django.core.management import call_command

from catalog.models import Column, EntityVersion, FeatureSource, MlModel, Table, User
from lineage.models import Edge


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
    assert churn.version == Decimal("1.3")
    assert EntityVersion.objects.get(entity_id=churn.id, version=Decimal("0.2")).snapshot["algorithm"] == (
        "RandomForestClassifier"
    )


def test_loading_the_demo_twice_changes_nothing(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    before = (
        list(MlModel.objects.values_list("id", "version").order_by("id")),
        EntityVersion.objects.count(),
        Edge.objects.count(),
        User.objects.count(),
        Column.objects.count(),
    )
    call_command("load_demo", stdout=open("/dev/null", "w"))
    after = (
        list(MlModel.objects.values_list("id", "version").order_by("id")),
        EntityVersion.objects.count(),
        Edge.objects.count(),
        User.objects.count(),
        Column.objects.count(),
    )
    assert after == before


def test_the_demo_prints_an_admin_login(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "admin / modelatlas-demo" in out
    assert User.objects.get(username="admin").check_password("modelatlas-demo")
