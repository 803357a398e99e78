"""Edges derived from feature sources follow every change of features and sources, in the same write."""

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Column, MlModel, Table
from catalog.services import deletion, mlmodels
from lineage.models import Edge
from tests.lineage.conftest import columns_of, feature, make_model, save_table

DERIVED = Edge.Origin.FEATURE_SOURCE


def derived(model):
    """Return the derived edges into a model and its features as readable (from, to) name pairs."""
    names = {model.id: model.name}
    names.update((f.id, f.name) for f in model.features.all())
    rows = Edge.objects.filter(origin=DERIVED, to_id__in=list(names))
    result = set()
    for row in rows:
        if row.from_type == "column":
            column = Column.objects.get(pk=row.from_id)
            source = f"{column.table.name}.{column.name}"
        elif row.from_type == "table":
            source = Table.objects.get(pk=row.from_id).name
        else:
            source = names[row.from_id]
        result.add((source, names[row.to_id]))
    return result


def test_a_new_model_derives_column_feature_and_table_edges(world):
    assert derived(world["churn"]) == {
        ("customers.birth_date", "age"),
        ("customers.gender", "persona"),
        ("customers.income", "persona"),
        ("age", "churn"),
        ("persona", "churn"),
        ("customers", "churn"),
    }


def test_adding_a_feature_adds_its_edges(world, editor):
    c = world["columns"]
    model = mlmodels.update_mlmodel(
        world["churn"],
        editor,
        features=[
            feature("age", c["birth_date"]),
            feature("persona", c["gender"], c["income"]),
            feature("id_hash", c["customer_id"]),
        ],
    ).entity
    assert {("customers.customer_id", "id_hash"), ("id_hash", "churn")} <= derived(model)


def test_removing_a_feature_removes_its_edges_and_the_table_edge_it_alone_implied(world, editor):
    o = world["order_columns"]
    model = mlmodels.update_mlmodel(world["churn"], editor, features=[feature("basket", o["amount"])]).entity
    assert derived(model) == {("orders.amount", "basket"), ("basket", "churn"), ("orders", "churn")}
    assert (
        not Edge.objects.filter(to_type="mlfeature")
        .exclude(to_id__in=model.features.values("id"))
        .exclude(to_id__in=world["spend"].features.values("id"))
        .exists()
    )


def test_re_pointing_a_source_moves_the_column_edge(world, editor):
    c = world["columns"]
    model = mlmodels.update_mlmodel(
        world["churn"],
        editor,
        features=[
            feature("age", c["income"]),
            feature("persona", c["gender"], c["income"]),
        ],
    ).entity
    edges = derived(model)
    assert ("customers.income", "age") in edges
    assert ("customers.birth_date", "age") not in edges


def test_removing_a_source_removes_its_edge(world, editor):
    c = world["columns"]
    model = mlmodels.update_mlmodel(
        world["churn"],
        editor,
        features=[
            feature("age", c["birth_date"]),
            feature("persona", c["income"]),
        ],
    ).entity
    assert ("customers.gender", "persona") not in derived(model)


def test_re_pointing_to_another_table_replaces_the_table_edge(world, editor):
    o = world["order_columns"]
    model = mlmodels.update_mlmodel(world["churn"], editor, features=[feature("age", o["amount"])]).entity
    assert derived(model) == {("orders.amount", "age"), ("age", "churn"), ("orders", "churn")}


def test_a_source_naming_a_column_of_its_table_is_linked_to_that_column(world, ml_service, editor):
    """The OpenMetadata SDK sends the table as dataSource and the column as the source's name."""
    customers = world["customers"]
    model = mlmodels.create_mlmodel(
        ml_service,
        "sdk-model",
        editor,
        algorithm="LR",
        features=[
            mlmodels.FeatureSpec(name="sex", sources=[mlmodels.SourceSpec(name="gender", table=customers)]),
            mlmodels.FeatureSpec(name="blob", sources=[mlmodels.SourceSpec(name="not_a_column", table=customers)]),
        ],
    ).entity
    assert derived(model) == {
        ("customers.gender", "sex"),
        ("customers", "blob"),
        ("sex", "sdk-model"),
        ("blob", "sdk-model"),
        ("customers", "sdk-model"),
    }


def test_a_table_change_re_derives_the_models_reading_it(world, ml_service, editor):
    customers = world["customers"]
    model = mlmodels.create_mlmodel(
        ml_service,
        "sdk-model",
        editor,
        algorithm="LR",
        features=[
            mlmodels.FeatureSpec(name="tenure", sources=[mlmodels.SourceSpec(name="signup_date", table=customers)]),
        ],
    ).entity
    assert ("customers", "tenure") in derived(model)
    save_table(
        world["schema"],
        "customers",
        ["customer_id", "gender", "birth_date", "income", "signup_date"],
        sensitive={"gender", "birth_date"},
        tag=world["sensitive"],
    )
    assert ("customers.signup_date", "tenure") in derived(model)
    assert ("customers", "tenure") not in derived(model)


def test_a_removed_column_takes_its_edges_along(world):
    save_table(
        world["schema"], "customers", ["customer_id", "gender", "income"], sensitive={"gender"}, tag=world["sensitive"]
    )
    edges = derived(MlModel.objects.get(pk=world["churn"].pk))
    assert not any(source == "customers.birth_date" for source, _ in edges)
    # The source keeps its name and its table, so the feature still reads the table.
    assert ("customers", "age") in edges


def test_soft_delete_keeps_the_edges_and_restore_keeps_them_in_step(world, editor):
    churn = world["churn"]
    before = derived(churn)
    deletion.delete(churn, editor)
    assert derived(churn) == before
    deletion.restore(MlModel.objects.get(pk=churn.pk), editor)
    assert derived(churn) == before


def test_hard_delete_removes_every_edge_of_the_model_and_its_features(world, editor):
    churn = world["churn"]
    ids = [churn.id, *churn.features.values_list("id", flat=True)]
    deletion.delete(churn, editor, hard=True)
    assert not Edge.objects.filter(from_id__in=ids).exists()
    assert not Edge.objects.filter(to_id__in=ids).exists()


def test_a_manual_edge_between_the_same_nodes_survives_re_derivation(world, editor):
    customers, churn = world["customers"], world["churn"]
    Edge.objects.filter(from_id=customers.id, to_id=churn.id).update(origin=Edge.Origin.MANUAL, updated_by="vera")
    mlmodels.update_mlmodel(churn, editor, features=[feature("basket", world["order_columns"]["amount"])])
    edge = Edge.objects.get(from_id=customers.id, to_id=churn.id)
    assert edge.origin == Edge.Origin.MANUAL and edge.updated_by == "vera"


def test_a_failed_write_leaves_the_edges_as_they_were(world, editor):
    before = set(Edge.objects.values_list("from_id", "to_id", "origin"))
    c = world["columns"]
    with pytest.raises(ValidationError):
        mlmodels.update_mlmodel(world["churn"], editor, features=[feature("x", c["income"]), feature("x")])
    assert set(Edge.objects.values_list("from_id", "to_id", "origin")) == before


def test_a_model_without_sources_has_only_feature_edges(ml_service):
    model = make_model(ml_service, "bare", [feature("constant")])
    assert derived(model) == {("constant", "bare")}


def test_two_models_reading_one_column_each_get_their_own_edges(world, ml_service):
    gender = columns_of(world["customers"])["gender"]
    other = make_model(ml_service, "other", [feature("g", gender)])
    assert ("customers.gender", "g") in derived(other)
    assert ("customers.gender", "persona") in derived(world["churn"])
