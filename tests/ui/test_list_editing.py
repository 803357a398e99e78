"""Inline editing of a model's lists: hyperparameters, features and feature sources (add, edit, remove, re-point)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Column, EntityVersion, MlModel, Table
from catalog.services import mlmodels
from tests.conftest import make
from tests.ui.conftest import HTMX


def reload(model):
    return MlModel.objects.get(pk=model.pk)


def versions_of(model):
    return EntityVersion.objects.filter(entity_id=model.pk).count()


def post(client, url, model, data=None, *, htmx=True, version=None):
    payload = {"expected_version": str(version or model.version), **(data or {})}
    return client.post(url, payload, **(HTMX if htmx else {}))


def params(model):
    return [(p.name, p.value, p.description) for p in reload(model).hyperparameters.all()]


def sources(model, feature_name):
    feature = reload(model).features.get(name=feature_name)
    return [
        (s.name, s.table.name if s.table else None, s.column.name if s.column else None) for s in feature.sources.all()
    ]


@pytest.fixture
def orders(warehouse):
    """A second table, to re-point sources to."""

    def columns(table):
        for position, name in enumerate(["order_id", "amount", "customer_gender"]):
            Column.objects.create(table=table, name=name, position=position)

    return make(Table(schema=warehouse["schema"], name="orders"), related=columns)


# --- Hyperparameters ------------------------------------------------------------------------------


def test_adding_a_hyperparameter_makes_one_version_and_answers_with_the_whole_section(as_owner, churn_model):
    url = reverse("mlmodel_hyperparameter_add", args=[churn_model.pk])
    form = as_owner.get(url, **HTMX).content.decode().strip()
    assert form.startswith('<tr id="hp-new" class="row-editing">')
    response = post(as_owner, url, churn_model, {"name": "eta", "value": "0.3", "description": "learning rate"})
    assert params(churn_model) == [("max_depth", "6", ""), ("eta", "0.3", "learning rate")]
    assert reload(churn_model).version == Decimal("0.2") and versions_of(churn_model) == 1
    assert response["HX-Retarget"] == "#section-hyperparameters" and response["HX-Reswap"] == "outerHTML"
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="section-hyperparameters"')
    assert "<td><code>eta</code></td>" in content and 'hx-swap-oob="true"' in content


def test_editing_a_hyperparameter_changes_that_row_only(as_owner, churn_model):
    mlmodels.update_mlmodel(
        churn_model,
        "test",
        hyperparameters=[mlmodels.HyperParameterSpec("max_depth", "6"), mlmodels.HyperParameterSpec("eta", "0.3")],
    )
    model = reload(churn_model)
    url = reverse("mlmodel_hyperparameter_edit", args=[model.pk, 1])
    assert 'value="0.3"' in as_owner.get(url, **HTMX).content.decode()
    post(as_owner, url, model, {"name": "eta", "value": "0.1"})
    assert params(model) == [("max_depth", "6", ""), ("eta", "0.1", "")]
    assert versions_of(model) == 2


def test_removing_a_hyperparameter(as_owner, churn_model):
    post(as_owner, reverse("mlmodel_hyperparameter_remove", args=[churn_model.pk, 0]), churn_model)
    assert params(churn_model) == [] and versions_of(churn_model) == 1


def test_a_duplicate_or_empty_hyperparameter_name_is_shown_next_to_the_name(as_owner, churn_model):
    url = reverse("mlmodel_hyperparameter_add", args=[churn_model.pk])
    duplicate = post(as_owner, url, churn_model, {"name": "max_depth", "value": "3"}).content.decode()
    assert duplicate.lstrip().startswith('<tr id="hp-new" class="row-editing">')
    assert "Hyperparameter names must be unique: &#x27;max_depth&#x27; repeats." in duplicate
    assert 'aria-invalid="true"' in duplicate
    empty = post(as_owner, url, churn_model, {"name": "", "value": "3"}).content.decode()
    assert "This field is required." in empty
    assert versions_of(churn_model) == 0


def test_a_row_that_no_longer_exists_is_a_404(as_owner, churn_model):
    assert as_owner.get(reverse("mlmodel_hyperparameter_edit", args=[churn_model.pk, 5]), **HTMX).status_code == 404
    response = post(as_owner, reverse("mlmodel_hyperparameter_remove", args=[churn_model.pk, 5]), churn_model)
    assert response.status_code == 404


def test_a_stale_hyperparameter_edit_is_refused_and_the_current_rows_shown(as_owner, churn_model, editor):
    opened_at = churn_model.version
    mlmodels.update_mlmodel(churn_model, editor, hyperparameters=[mlmodels.HyperParameterSpec("max_depth", "9")])
    response = post(
        as_owner,
        reverse("mlmodel_hyperparameter_edit", args=[churn_model.pk, 0]),
        churn_model,
        {"name": "max_depth", "value": "4"},
        version=opened_at,
    )
    content = response.content.decode()
    assert params(churn_model) == [("max_depth", "9", "")]
    assert (
        "Hyperparameter &#x27;max_depth&#x27; not saved: edward saved version 0.2 after you opened the form." in content
    )
    assert "<td><code>9</code></td>" in content
    assert response["HX-Retarget"] == "#section-hyperparameters"


def test_a_stale_removal_is_refused(as_owner, churn_model, editor):
    mlmodels.update_mlmodel(churn_model, editor, description="theirs")
    post(as_owner, reverse("mlmodel_hyperparameter_remove", args=[churn_model.pk, 0]), churn_model, version="0.1")
    assert params(churn_model) == [("max_depth", "6", "")]


def test_without_javascript_a_hyperparameter_is_added_through_a_page_and_a_redirect(as_owner, churn_model):
    url = reverse("mlmodel_hyperparameter_add", args=[churn_model.pk])
    page = as_owner.get(url).content.decode()
    assert "<html" in page and '<tr id="hp-new" class="row-editing">' in page
    response = post(as_owner, url, churn_model, {"name": "eta", "value": "0.3"}, htmx=False)
    assert response["Location"].endswith("#section-hyperparameters")
    assert (
        "Hyperparameter &#x27;eta&#x27; saved: this is now version 0.2."
        in as_owner.get(response["Location"]).content.decode()
    )


# --- Features -------------------------------------------------------------------------------------


def test_adding_a_feature_with_a_tag(as_owner, churn_model, pii):
    url = reverse("mlmodel_feature_add", args=[churn_model.pk])
    assert (
        as_owner.get(url, **HTMX).content.decode().lstrip().startswith('<div id="feature-new" class="feature-editing">')
    )
    response = post(
        as_owner,
        url,
        churn_model,
        {
            "name": "tenure",
            "data_type": "numerical",
            "feature_algorithm": "days since signup",
            "add_tag": "PII.NonSensitive",
        },
    )
    feature = reload(churn_model).features.get(name="tenure")
    assert feature.data_type == "numerical" and [t.fqn for t in feature.tags.all()] == ["PII.NonSensitive"]
    assert versions_of(churn_model) == 1
    assert response["HX-Retarget"] == "#section-features"


def test_editing_a_feature_keeps_its_sources_and_its_id(as_owner, churn_model):
    feature = churn_model.features.get(name="persona")
    url = reverse("mlmodel_feature_edit", args=[churn_model.pk, feature.pk])
    form = as_owner.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith(f'<div id="feature-{feature.pk}-head" class="feature-editing">')
    post(
        as_owner,
        url,
        churn_model,
        {
            "name": "persona",
            "data_type": "categorical",
            "feature_algorithm": "k-means",
            "description": "Customer segment",
        },
    )
    edited = reload(churn_model).features.get(name="persona")
    assert edited.pk == feature.pk and edited.feature_algorithm == "k-means"
    assert sources(churn_model, "persona") == [("gender", "customers", "gender"), ("income", "customers", "income")]
    assert versions_of(churn_model) == 1


def test_a_feature_keeps_its_tags_when_they_stay_ticked(as_owner, churn_model, pii):
    mlmodels.update_mlmodel(churn_model, "test", features=[mlmodels.FeatureSpec(name="age", tags=[pii["sensitive"]])])
    model = reload(churn_model)
    feature = model.features.get()
    url = reverse("mlmodel_feature_edit", args=[model.pk, feature.pk])
    assert (
        '<input type="checkbox" name="tags" value="PII.Sensitive" checked>'
        in as_owner.get(url, **HTMX).content.decode()
    )
    post(as_owner, url, model, {"name": "age", "data_type": "numerical", "tags": ["PII.Sensitive"]})
    assert [t.fqn for t in reload(model).features.get().tags.all()] == ["PII.Sensitive"]


def test_a_duplicate_feature_name_is_shown_next_to_the_name(as_owner, churn_model):
    feature = churn_model.features.get(name="persona")
    response = post(
        as_owner, reverse("mlmodel_feature_edit", args=[churn_model.pk, feature.pk]), churn_model, {"name": "age"}
    )
    assert "Feature names must be unique in a model: &#x27;age&#x27; repeats." in response.content.decode()
    assert versions_of(churn_model) == 0


def test_removing_a_feature(as_owner, churn_model):
    feature = churn_model.features.get(name="age")
    post(as_owner, reverse("mlmodel_feature_remove", args=[churn_model.pk, feature.pk]), churn_model)
    assert [f.name for f in reload(churn_model).features.all()] == ["persona"]
    assert versions_of(churn_model) == 1


def test_an_unknown_feature_is_a_404(as_owner, churn_model):
    url = reverse("mlmodel_feature_edit", args=[churn_model.pk, "6b1e3f36-1111-4a7a-9d0e-000000000000"])
    assert as_owner.get(url, **HTMX).status_code == 404


# --- Feature sources ------------------------------------------------------------------------------


def test_a_source_form_picks_a_table_then_one_of_its_columns(as_owner, churn_model):
    feature = churn_model.features.get(name="persona")
    content = as_owner.get(
        reverse("mlmodel_source_edit", args=[churn_model.pk, feature.pk, 0]), **HTMX
    ).content.decode()
    assert content.lstrip().startswith(f'<tr id="source-{feature.pk}-0" class="row-editing">')
    assert 'value="warehouse.analytics.public.customers"' in content
    gender = Column.objects.get(name="gender")
    assert f'<option value="{gender.pk}" selected>gender (STRING)</option>' in content
    assert f'hx-get="{reverse("autocomplete_columns")}"' in content


def test_re_pointing_a_source_to_a_column_of_another_table(as_owner, churn_model, orders):
    feature = churn_model.features.get(name="persona")
    column = orders.columns.get(name="customer_gender")
    url = reverse("mlmodel_source_edit", args=[churn_model.pk, feature.pk, 0])
    response = post(
        as_owner,
        url,
        churn_model,
        {"table": orders.fqn, "column": str(column.pk), "name": "gender", "data_type": "string"},
    )
    assert sources(churn_model, "persona") == [
        ("gender", "orders", "customer_gender"),
        ("income", "customers", "income"),
    ]
    assert versions_of(churn_model) == 1
    content = response.content.decode()
    assert f'<a href="{reverse("column", args=[column.pk])}">customer_gender</a>' in content


def test_adding_a_source_named_after_its_column(as_owner, churn_model, orders):
    feature = churn_model.features.get(name="age")
    url = reverse("mlmodel_source_add", args=[churn_model.pk, feature.pk])
    post(as_owner, url, churn_model, {"table": orders.fqn, "column": "amount"})
    assert sources(churn_model, "age") == [("birth_date", "customers", "birth_date"), ("amount", "orders", "amount")]


def test_removing_a_source(as_owner, churn_model):
    feature = churn_model.features.get(name="persona")
    post(as_owner, reverse("mlmodel_source_remove", args=[churn_model.pk, feature.pk, 1]), churn_model)
    assert sources(churn_model, "persona") == [("gender", "customers", "gender")]


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"table": "warehouse.analytics.public.nope", "name": "x"},
            "There is no table called “warehouse.analytics.public.nope”.",
        ),
        (
            {"table": "warehouse.analytics.public.customers", "column": "nope"},
            "There is no column “nope” in table warehouse.analytics.public.customers.",
        ),
        ({"table": "", "column": "", "name": ""}, "Name the source, or pick a column to name it after."),
    ],
)
def test_bad_source_input_is_shown_next_to_the_field(as_owner, churn_model, data, message):
    feature = churn_model.features.get(name="age")
    response = post(as_owner, reverse("mlmodel_source_add", args=[churn_model.pk, feature.pk]), churn_model, data)
    assert message in response.content.decode()
    assert versions_of(churn_model) == 0


def test_a_column_of_another_table_is_refused(as_owner, churn_model, orders):
    feature = churn_model.features.get(name="age")
    column = orders.columns.get(name="amount")
    response = post(
        as_owner,
        reverse("mlmodel_source_add", args=[churn_model.pk, feature.pk]),
        churn_model,
        {"table": "warehouse.analytics.public.customers", "column": str(column.pk)},
    )
    assert "Column “amount” belongs to table warehouse.analytics.public.orders" in response.content.decode()
    assert versions_of(churn_model) == 0


def test_the_column_picker_lists_the_columns_of_the_chosen_table(as_owner, orders):
    content = as_owner.get(reverse("autocomplete_columns"), {"table": orders.fqn}, **HTMX).content.decode()
    assert '<option value="">Whole table (no column)</option>' in content
    assert ">amount (STRING)</option>" in content
    assert "Pick a table first" in as_owner.get(reverse("autocomplete_columns"), {"table": "x"}).content.decode()
