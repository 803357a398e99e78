"""Version history: who changed what and when, and a readable diff per version."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Column, Table
from catalog.services import mlmodels
from catalog.services.history import diff
from tests.conftest import make
from tests.ui.builders import build_catalogue
from tests.ui.conftest import HTMX


def entries(client, model):
    return client.get(reverse("mlmodel_history", args=[model.pk])).context["entries"]


def test_the_versions_page_lists_every_version_newest_first_with_who_and_what(as_viewer, churn_model, editor, owner):
    model = mlmodels.update_mlmodel(churn_model, editor, description="Predicts churn").entity
    model = mlmodels.update_mlmodel(model, owner, algorithm="LightGBM").entity
    listed = entries(as_viewer, model)
    assert [(str(e.version), e.updated_by, e.summary) for e in listed] == [
        ("1.2", "olivia", "Changed algorithm"),
        ("0.2", "edward", "Added description"),
        ("0.1", "olivia", "Created"),
    ]
    assert listed[0].current and listed[-1].first


def test_each_version_shows_old_and_new_values_of_plain_fields(as_viewer, churn_model):
    model = mlmodels.update_mlmodel(churn_model, "test", target="will_churn", server="https://s.example.com").entity
    changes = {c.label: (c.kind, c.old, c.new) for c in entries(as_viewer, model)[0].changes}
    assert changes == {
        "Target": ("changed", "churned", "will_churn"),
        "Serving endpoint": ("added", "", "https://s.example.com"),
    }


def test_a_diff_names_the_hyperparameter_and_its_old_and_new_value(as_viewer, churn_model):
    model = mlmodels.update_mlmodel(
        churn_model,
        "test",
        hyperparameters=[mlmodels.HyperParameterSpec("max_depth", "8"), mlmodels.HyperParameterSpec("eta", "0.3")],
    ).entity
    changes = [(c.label, c.kind, c.old, c.new) for c in entries(as_viewer, model)[0].changes]
    assert changes == [
        ("Hyperparameter max_depth", "changed", "max_depth = 6", "max_depth = 8"),
        ("Hyperparameter eta", "added", "", "eta = 0.3"),
    ]


def test_a_diff_shows_a_re_pointed_feature_source_old_and_new_column(as_viewer, churn_model, warehouse):
    orders = make(
        Table(schema=warehouse["schema"], name="orders"),
        related=lambda t: Column.objects.create(table=t, name="amount"),
    )
    feature_specs = [
        mlmodels.FeatureSpec(
            name="age",
            data_type="numerical",
            sources=[mlmodels.SourceSpec(name="birth_date", data_type="date", column=orders.columns.get())],
        ),
        mlmodels.FeatureSpec(
            name="persona",
            data_type="categorical",
            feature_algorithm="PCA",
            sources=[
                mlmodels.SourceSpec(name=s.name, data_type=s.data_type, column=s.column)
                for s in churn_model.features.get(name="persona").sources.all()
            ],
        ),
    ]
    model = mlmodels.update_mlmodel(churn_model, "test", features=feature_specs).entity
    [feature_change] = entries(as_viewer, model)[0].changes
    assert (feature_change.label, feature_change.kind) == ("Feature age", "changed")
    [source_change] = feature_change.details
    assert source_change.label == "Source birth_date"
    assert source_change.old == "birth_date ← warehouse.analytics.public.customers.birth_date (date)"
    assert source_change.new == "birth_date ← warehouse.analytics.public.orders.amount (date)"
    assert [(d.label, d.old, d.new) for d in source_change.details] == [
        ("Table", "warehouse.analytics.public.customers", "warehouse.analytics.public.orders"),
        ("Column", "birth_date", "amount"),
    ]


def test_a_diff_lists_added_and_removed_features_owners_and_tags(as_viewer, churn_model, editor, pii):
    model = mlmodels.update_mlmodel(
        churn_model,
        "test",
        owners=[editor],
        tags=[pii["sensitive"]],
        features=[mlmodels.FeatureSpec(name="tenure", data_type="numerical")],
    ).entity
    changes = {c.label: (c.kind, c.old, c.new) for c in entries(as_viewer, model)[0].changes}
    assert changes["Owners"] == ("changed", "Olivia Owner", "edward")
    assert changes["Tags"] == ("added", "", "PII.Sensitive")
    assert changes["Feature tenure"] == ("added", "", "numerical")
    assert changes["Feature age"] == ("removed", "numerical", "")
    assert changes["Feature persona"] == ("removed", "categorical · PCA", "")


def test_the_diff_of_identical_snapshots_is_empty():
    snapshot = {"name": "m", "algorithm": "x", "mlFeatures": [{"name": "f"}], "version": 0.1}
    assert diff(snapshot, {**snapshot, "version": 0.2}) == []


def test_the_version_page_shows_one_diff_and_answers_htmx_with_the_fragment(as_viewer, churn_model):
    model = mlmodels.update_mlmodel(churn_model, "test", algorithm="LightGBM").entity
    page = as_viewer.get(reverse("mlmodel_history_version", args=[model.pk, "1.1"])).content.decode()
    assert "<h1>History version 1.1</h1>" in page and "What changed from history version 0.1." in page
    assert "XGBoost</del>" in page and "LightGBM</ins>" in page
    old = as_viewer.get(reverse("mlmodel_history_version", args=[model.pk, "0.1"])).content.decode()
    assert "The first version: the model was registered." in old
    fragment = as_viewer.get(reverse("mlmodel_history_version", args=[model.pk, "1.1"]), **HTMX).content.decode()
    assert "<html" not in fragment and "LightGBM</ins>" in fragment


def test_an_unknown_version_is_a_404(as_viewer, churn_model):
    for version in ("0.7", "abc", "nan", "-1"):
        assert as_viewer.get(reverse("mlmodel_history_version", args=[churn_model.pk, version])).status_code == 404


def test_versions_are_paged(as_viewer, churn_model):
    model = churn_model
    for i in range(24):
        model = mlmodels.update_mlmodel(model, "test", description=f"take {i}").entity
    first = as_viewer.get(reverse("mlmodel_history", args=[model.pk]))
    assert len(first.context["entries"]) == 20 and first.context["next_page"] == 2
    second = as_viewer.get(reverse("mlmodel_history", args=[model.pk]), {"page": 2})
    listed = second.context["entries"]
    assert [str(e.version) for e in listed] == ["0.5", "0.4", "0.3", "0.2", "0.1"]
    # The oldest version on the previous page still got its diff from its predecessor.
    assert first.context["entries"][-1].changes[0].old == "take 3"


def test_the_versions_page_costs_the_same_number_of_queries_for_2_or_30_versions(as_viewer):
    """The snapshots of a page come in one query, whatever the history's length."""
    model = build_catalogue(1, prefix="small")[0]
    url = reverse("mlmodel_history", args=[model.pk])
    with CaptureQueriesContext(connection) as short:
        as_viewer.get(url)
    long_model = build_catalogue(1, prefix="large")[0]
    for i in range(30):
        long_model = mlmodels.update_mlmodel(long_model, f"large-user{i % 3}", description=f"take {i}").entity
    with CaptureQueriesContext(connection) as long:
        as_viewer.get(reverse("mlmodel_history", args=[long_model.pk]))
    assert len(long) == len(short)
    with CaptureQueriesContext(connection) as older:
        as_viewer.get(reverse("mlmodel_history", args=[long_model.pk]), {"page": 2})
    assert len(older) <= len(short)


def test_a_summary_names_the_features_and_hyperparameters_that_came_and_went(as_viewer, churn_model):
    model = mlmodels.update_mlmodel(
        churn_model,
        "test",
        hyperparameters=[mlmodels.HyperParameterSpec("eta", "0.3"), mlmodels.HyperParameterSpec("gamma", "1")],
    ).entity
    model = mlmodels.update_mlmodel(
        model,
        "test",
        features=[
            mlmodels.FeatureSpec(
                name="age",
                data_type="numerical",
                sources=[
                    mlmodels.SourceSpec(name=s.name, data_type=s.data_type, column=s.column)
                    for s in churn_model.features.get(name="age").sources.all()
                ],
            )
        ],
    ).entity
    summaries = [e.summary for e in entries(as_viewer, model)]
    assert summaries[0] == "Removed feature persona"
    assert summaries[1] == "Added hyperparameters eta, gamma; Removed hyperparameter max_depth"
