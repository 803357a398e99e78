"""The model page, a model version's page, compare and the metric chart cost the same queries for 2 or 6 model versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.services import mlmodels, modelversions
from catalog.services.modelversions import DatasetSpec, MetricSpec

METRICS = 10


def build_model(ml_service, owner, warehouse, name, count):
    """A model of ``count`` model versions, each with 10 metrics, parameters, a signature, data, an alias and reviews."""
    customers = warehouse["customers"]
    columns = list(customers.columns.order_by("position"))
    model = mlmodels.create_mlmodel(ml_service, name, owner, algorithm="GBM", owners=[owner]).entity
    for number in range(1, count + 1):
        modelversions.save_model_version(
            model,
            number,
            owner,
            description=f"Version {number}",
            run_id=f"run-{number}",
            run_url=f"https://mlflow.example.com/runs/{number}",
            tags={"team": "risk"},
            parameters={"eta": f"0.{number}", "depth": str(number)},
            signature={"inputs": [{"name": c.name, "type": c.data_type} for c in columns], "outputs": []},
            metrics=[MetricSpec(name=f"metric_{i}", value=number / (i + 1), dataset="test") for i in range(METRICS)],
            datasets=[
                DatasetSpec(role="training", table=customers, columns=columns[:2]),
                DatasetSpec(role="evaluation", table=customers),
            ],
        )
        modelversions.set_alias(model, f"alias-{number}", number, owner)
        modelversions.set_status(model, number, "staging", owner, "Ready to try")
        modelversions.request_status(model, number, "production", "edward", "Please")
    modelversions.approve(model, 1, owner, "Best so far")
    return model


def queries(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


@pytest.fixture
def small_and_large(ml_service, owner, warehouse):
    return build_model(ml_service, owner, warehouse, "small", 2), build_model(ml_service, owner, warehouse, "large", 6)


def same_cost(client, small_path, large_path, at_most, django_assert_max_num_queries):
    """The large model's page costs what the small one's does, and no more than ``at_most`` (today's cost).

    The bound catches a query added for every page alike, which the comparison alone would not.
    """
    small = queries(client, small_path)
    with django_assert_max_num_queries(at_most):
        large = queries(client, large_path)
    assert len(small) == len(large), "\n".join(large)


@pytest.mark.parametrize("persona", ["as_owner", "as_viewer"])
def test_the_model_page_costs_the_same_queries_for_2_or_6_model_versions(
    request, persona, small_and_large, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    small, large = small_and_large
    same_cost(
        client,
        reverse("mlmodel", args=[small.pk]),
        reverse("mlmodel", args=[large.pk]),
        47,
        django_assert_max_num_queries,
    )


@pytest.mark.parametrize("persona", ["as_owner", "as_viewer"])
def test_a_model_version_page_costs_the_same_queries_for_2_or_6_model_versions(
    request, persona, small_and_large, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    small, large = small_and_large
    same_cost(
        client,
        reverse("model_version", args=[small.pk, 2]),
        reverse("model_version", args=[large.pk, 6]),
        12,
        django_assert_max_num_queries,
    )


def test_compare_costs_the_same_queries_for_2_or_5_model_versions(
    as_viewer, small_and_large, django_assert_max_num_queries
):
    """Compare takes two to five versions: the small model's two against five of the large one's six."""
    small, large = small_and_large
    same_cost(
        as_viewer,
        reverse("model_version_compare", args=[small.pk]) + "?v=1&v=2",
        reverse("model_version_compare", args=[large.pk]) + "?v=1&v=2&v=3&v=4&v=5",
        9,
        django_assert_max_num_queries,
    )


def test_the_metric_chart_costs_the_same_queries_for_2_or_6_model_versions(
    as_viewer, small_and_large, django_assert_max_num_queries
):
    small, large = small_and_large
    same_cost(
        as_viewer,
        reverse("model_metric_chart", args=[small.pk, "metric_0"]),
        reverse("model_metric_chart", args=[large.pk, "metric_0"]),
        5,
        django_assert_max_num_queries,
    )
