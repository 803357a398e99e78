"""Impact analysis: everything downstream of a table or column, with its owners."""

import uuid

import pytest

from catalog.services import assets, deletion
from lineage import graph
from lineage.models import Edge
from tests.lineage.conftest import save_table


def names(entries) -> set:
    return {entry[0].name for entry in entries}


@pytest.fixture
def owned_dashboard(world, editor):
    """The churn dashboard, owned by the editor."""
    dashboard = world["dashboard"]
    return assets.save_dashboard(dashboard.service, dashboard.name, "test", owners=[editor]).entity


def test_a_sensitive_column_impacts_its_features_models_dashboards_and_output_tables(world, owned_dashboard):
    result = graph.impact("column", world["columns"]["gender"].id)
    assert names(result.features) == {"persona"}
    assert [(feature.name, model.name) for feature, model, _ in result.features] == [("persona", "churn")]
    assert names(result.models) == {"churn"}
    assert names(result.dashboards) == {"churn-monitoring"}
    assert names(result.tables) == {"churn_scores"}


def test_impact_lists_the_owners_of_models_and_dashboards(world, owned_dashboard):
    result = graph.impact("column", world["columns"]["birth_date"].id)
    [(model, hops)] = result.models
    assert [o.name for o in model.owners] == ["olivia"] and hops == 1
    [(dashboard, hops)] = result.dashboards
    assert [o.name for o in dashboard.owners] == ["edward"] and hops == 2


def test_a_column_impacts_only_the_features_reading_it(world):
    result = graph.impact("column", world["columns"]["birth_date"].id)
    assert names(result.features) == {"age"}


def test_a_table_impacts_every_feature_reading_any_of_its_columns(world):
    result = graph.impact("table", world["customers"].id)
    assert names(result.features) == {"age", "persona"}
    assert names(result.models) == {"churn"}


def test_impact_follows_every_hop_whatever_the_depth(world):
    schema = world["schema"]
    previous = world["orders"]
    for index in range(8):
        table = save_table(schema, f"hop{index}", ["x"])
        Edge.objects.create(
            from_type="table", from_id=table.id, to_type="table", to_id=previous.id, origin=Edge.Origin.API
        )
        previous = table
    result = graph.impact("table", previous.id)
    assert "spend" in names(result.models)
    assert len(result.tables) == 8


def test_a_soft_deleted_model_is_left_out_of_the_impact(world, editor):
    deletion.delete(world["churn"], editor)
    result = graph.impact("table", world["customers"].id)
    assert result.is_empty()


def test_impact_starts_only_from_tables_and_columns(world):
    with pytest.raises(graph.NotFound):
        graph.impact("mlmodel", world["churn"].id)
    with pytest.raises(graph.NotFound):
        graph.impact("column", uuid.uuid4())
