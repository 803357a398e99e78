"""The model page and its version pages cost the same queries for a model of 2 or 6 features."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.services import mlmodels


def build_model(ml_service, owner, warehouse, pii, count):
    """A model of ``count`` features, each tagged and read from two tagged columns, with a superseded version."""
    columns = list(warehouse["customers"].columns.order_by("position"))
    features = [
        mlmodels.FeatureSpec(
            name=f"feature_{i}",
            data_type="numerical",
            tags=[pii["non_sensitive"]],
            sources=[
                mlmodels.SourceSpec(name=column.name, column=column, tags=[pii["non_sensitive"]])
                for column in columns[1:3]
            ],
        )
        for i in range(count)
    ]
    model = mlmodels.create_mlmodel(
        ml_service,
        f"model_{count}",
        owner,
        algorithm="GBM",
        owners=[owner],
        tags=[pii["non_sensitive"]],
        features=features,
        hyperparameters=[mlmodels.HyperParameterSpec(name="eta", value="0.3")],
    ).entity
    return mlmodels.update_mlmodel(model, owner, description="Now described.").entity


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def small_and_large(ml_service, owner, warehouse, pii):
    return build_model(ml_service, owner, warehouse, pii, 2), build_model(ml_service, owner, warehouse, pii, 6)


@pytest.mark.parametrize("persona", ["as_owner", "as_editor", "as_viewer"])
def test_the_model_page_costs_the_same_queries_for_2_or_6_features(request, persona, small_and_large):
    client = request.getfixturevalue(persona)
    small, large = small_and_large
    assert queries(client, reverse("mlmodel", args=[small.pk])) == queries(client, reverse("mlmodel", args=[large.pk]))


def test_the_features_section_costs_the_same_queries_for_2_or_6_features(as_editor, small_and_large):
    small, large = small_and_large
    part = "?part=section-features"
    with CaptureQueriesContext(connection) as two:
        as_editor.get(reverse("mlmodel", args=[small.pk]) + part, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as six:
        as_editor.get(reverse("mlmodel", args=[large.pk]) + part, HTTP_HX_REQUEST="true")
    assert len(two) == len(six)


def test_a_superseded_version_costs_seven_queries_whatever_the_features(
    as_viewer, small_and_large, django_assert_num_queries
):
    # Session and user, the model row, the version with the one before it, the author, and whether the
    # reader owns the model, directly or through a team (who may edit sees the Restore button).
    for model in small_and_large:
        with django_assert_num_queries(7):
            response = as_viewer.get(reverse("mlmodel_history_version", args=[model.pk, "0.1"]))
        assert response.status_code == 200


def test_the_current_version_and_the_versions_list_cost_the_same_queries_for_2_or_6_features(
    as_viewer, small_and_large
):
    small, large = small_and_large
    for name, args in (("mlmodel_history_version", ["0.2"]), ("mlmodel_history", [])):
        assert queries(as_viewer, reverse(name, args=[small.pk, *args])) == queries(
            as_viewer, reverse(name, args=[large.pk, *args])
        )
