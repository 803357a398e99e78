"""Fully qualified names are built and quoted as OpenMetadata builds them."""

import pytest

from catalog import fqn
from catalog.models import Column, MlModel
from catalog.services import mlmodels


@pytest.mark.parametrize(
    "name, part",
    [
        ("plain", "plain"),
        ("svc.with.dots", '"svc.with.dots"'),
        ('"already.quoted"', '"already.quoted"'),
        ('"nodots"', "nodots"),
        ('say "hi"', 'say \\"hi\\"'),
        ("ünïcödé-名前-имя", "ünïcödé-名前-имя"),
        ("emoji 🤖.v2", '"emoji 🤖.v2"'),
    ],
)
def test_a_part_is_quoted_only_when_it_contains_a_dot(name, part):
    assert fqn.quote(name) == part


def test_parts_are_joined_with_dots():
    assert fqn.build("svc.with.dots", "m1") == '"svc.with.dots".m1'
    assert fqn.build("warehouse", "analytics", "crm", "customers") == "warehouse.analytics.crm.customers"


@pytest.mark.parametrize(
    "names",
    [
        ["svc.with.dots", "m1"],
        ["a", 'quote"inside', "ends.with.dot."],
        ["名前.v1", "имя"],
    ],
)
def test_splitting_gives_back_the_names(names):
    assert fqn.split(fqn.build(*names)) == names


def test_a_dotted_name_and_its_quoted_form_normalise_to_the_same_fqn():
    assert fqn.normalise('"svc.with.dots".m1') == fqn.normalise(fqn.build("svc.with.dots", "m1"))


def test_model_table_and_column_fqns_follow_their_parents(ml_service, warehouse, owner):
    model = mlmodels.create_mlmodel(ml_service, "churn.v2", owner, algorithm="XGB").entity
    assert model.fqn == 'mlflow-prod."churn.v2"'
    assert MlModel.objects.by_fqn('mlflow-prod."churn.v2"').get() == model
    assert warehouse["customers"].fqn == "warehouse.analytics.public.customers"
    column = Column.objects.get(table=warehouse["customers"], name="gender")
    assert column.fqn == "warehouse.analytics.public.customers.gender"


def test_two_models_with_one_fqn_are_refused(ml_service, owner):
    from django.core.exceptions import ValidationError

    mlmodels.create_mlmodel(ml_service, "dup", owner, algorithm="A")
    with pytest.raises(ValidationError) as error:
        mlmodels.create_mlmodel(ml_service, "dup", owner, algorithm="B")
    assert "name" in error.value.message_dict
