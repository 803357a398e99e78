"""The graph layer: depth, cycles, units, filters, the size cap and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import MlModel
from catalog.services import deletion, mlmodels
from lineage import graph
from lineage.models import Edge
from tests.lineage.conftest import columns_of, feature, make_model, read_by_four_models, save_table


def labels(lineage) -> set:
    return {n.info.label for n in lineage.nodes.values()}


def pairs(lineage) -> set:
    return {(lineage.nodes[e.from_id].info.label, lineage.nodes[e.to_id].info.label) for e in lineage.edges}


def table_edge(source, target, origin=Edge.Origin.API):
    Edge.objects.create(
        from_type=source.entity_type, from_id=source.id, to_type=target.entity_type, to_id=target.id, origin=origin
    )


@pytest.fixture
def chain(world):
    """raw → staged → customers (table grain), so the churn model is three tables away from raw."""
    schema = world["schema"]
    raw = save_table(schema, "raw", ["payload"])
    staged = save_table(schema, "staged", ["record"])
    table_edge(raw, staged)
    table_edge(staged, world["customers"])
    return {**world, "raw": raw, "staged": staged}


def test_the_model_graph_shows_columns_features_model_and_dashboard(world):
    lineage = graph.build("mlmodel", world["churn"].id, upstream=1, downstream=1)
    assert labels(lineage) == {
        "customers",
        "birth_date",
        "gender",
        "income",
        "age",
        "persona",
        "churn",
        "churn-monitoring",
        "churn_scores",
    }
    assert {
        ("birth_date", "age"),
        ("gender", "persona"),
        ("income", "persona"),
        ("age", "churn"),
        ("persona", "churn"),
        ("churn", "churn-monitoring"),
        ("churn", "churn_scores"),
    } == pairs(lineage)
    assert lineage.focus.info.label == "churn"


def test_the_table_to_model_summary_edge_is_not_drawn_beside_its_columns(world):
    lineage = graph.build("mlmodel", world["churn"].id, upstream=1, downstream=0)
    assert ("customers", "churn") not in pairs(lineage)


def test_a_table_to_model_edge_added_through_the_api_is_drawn_when_no_feature_reads_the_table(world):
    table_edge(world["orders"], world["churn"])
    assert ("orders", "churn") in pairs(graph.build("mlmodel", world["churn"].id, upstream=1, downstream=0))


def test_upstream_depth_counts_hops_between_tables_and_models(chain):
    churn = chain["churn"].id
    assert "staged" not in labels(graph.build("mlmodel", churn, upstream=1, downstream=0))
    assert "staged" in labels(graph.build("mlmodel", churn, upstream=2, downstream=0))
    assert "raw" not in labels(graph.build("mlmodel", churn, upstream=2, downstream=0))
    assert "raw" in labels(graph.build("mlmodel", churn, upstream=3, downstream=0))


def test_downstream_depth_reaches_models_through_table_grain_edges(chain):
    raw = chain["raw"].id
    assert labels(graph.build("table", raw, upstream=0, downstream=1)) == {"raw", "staged"}
    two = graph.build("table", raw, upstream=0, downstream=2)
    assert "customers" in labels(two) and "churn" not in labels(two)
    three = graph.build("table", raw, upstream=0, downstream=3)
    assert {"churn", "age", "persona"} <= labels(three)


def test_depth_zero_shows_only_the_focus_unit(world):
    assert labels(graph.build("mlmodel", world["churn"].id, upstream=0, downstream=0)) == {"churn", "age", "persona"}


def test_a_cycle_ends_the_walk_and_keeps_both_edges(chain):
    table_edge(chain["customers"], chain["raw"])
    lineage = graph.build("table", chain["raw"].id, upstream=6, downstream=6)
    assert {("raw", "staged"), ("staged", "customers"), ("customers", "raw")} <= pairs(lineage)
    assert len([n for n in lineage.nodes.values() if n.info.label == "raw"]) == 1


def test_a_column_shows_its_own_features_not_its_neighbours(world):
    lineage = graph.build("column", world["columns"]["birth_date"].id, upstream=0, downstream=2)
    assert {"birth_date", "age", "churn", "churn-monitoring"} <= labels(lineage)
    assert "persona" not in labels(lineage) and "gender" not in labels(lineage)


def test_a_column_does_not_reach_a_model_through_its_tables_summary_edge(world, ml_service):
    """A model reading only customers.income is not downstream of customers.gender."""
    make_model(ml_service, "income-only", [feature("inc", world["columns"]["income"])])
    Edge.objects.filter(to_id=MlModel.objects.get(name="income-only").id, from_type="table").update(
        origin=Edge.Origin.API
    )
    assert "income-only" not in labels(graph.build("column", world["columns"]["gender"].id, upstream=0, downstream=3))


def test_a_feature_shows_its_sources_and_its_models_outputs(world):
    age = world["churn"].features.get(name="age")
    lineage = graph.build("mlfeature", age.id, upstream=1, downstream=1)
    assert {"birth_date", "customers", "age", "churn", "churn-monitoring", "churn_scores"} <= labels(lineage)
    assert "gender" not in labels(lineage)


def test_a_dashboard_shows_the_model_it_monitors(world):
    lineage = graph.build("dashboard", world["dashboard"].id, upstream=2, downstream=0)
    assert {"churn", "age", "persona", "birth_date", "gender", "income"} <= labels(lineage)


def test_the_model_dashboard_field_and_a_stored_edge_make_one_edge(world):
    table_edge(world["churn"], world["dashboard"], origin=Edge.Origin.MANUAL)
    lineage = graph.build("mlmodel", world["churn"].id, upstream=0, downstream=1)
    to_dashboard = [e for e in lineage.edges if e.to_id == world["dashboard"].id]
    assert [e.origin for e in to_dashboard] == [Edge.Origin.MANUAL]


def test_a_soft_deleted_model_and_what_only_it_reached_drop_out(world, editor):
    deletion.delete(world["churn"], editor)
    lineage = graph.build("table", world["customers"].id, upstream=0, downstream=3)
    assert labels(lineage) & {"churn", "age", "persona", "churn-monitoring", "churn_scores"} == set()
    with pytest.raises(graph.NotFound):
        graph.build("mlmodel", world["churn"].id)


def test_an_unknown_focus_is_not_found(db):
    import uuid

    with pytest.raises(graph.NotFound):
        graph.build("table", uuid.uuid4())


def test_hiding_features_bridges_columns_to_the_model(world):
    lineage = graph.build(
        "mlmodel", world["churn"].id, upstream=1, downstream=1, kinds=("table", "mlmodel", "dashboard")
    )
    assert "age" not in labels(lineage)
    assert {("birth_date", "churn"), ("gender", "churn"), ("income", "churn")} <= pairs(lineage)
    bridged = {lineage.nodes[e.from_id].info.label: e.sensitive for e in lineage.edges if e.origin == "via"}
    assert bridged["gender"] is True and bridged["income"] is False


def test_the_tag_filter_keeps_what_flows_from_the_tagged_columns(world):
    lineage = graph.build("mlmodel", world["churn"].id, upstream=1, downstream=1, tag="PII.Sensitive")
    assert {"gender", "birth_date", "age", "persona", "churn", "churn-monitoring"} <= labels(lineage)
    assert "income" not in labels(lineage)


def test_the_cap_draws_the_nearest_nodes_and_counts_the_rest(world, ml_service):
    wide = save_table(world["schema"], "wide", [f"c{i:02}" for i in range(30)])
    columns = columns_of(wide)
    make_model(ml_service, "wide-model", [feature(f"f{i:02}", columns[f"c{i:02}"]) for i in range(30)])
    lineage = graph.build("table", wide.id, upstream=0, downstream=1, cap=20)
    assert len(lineage.nodes) + lineage.hidden == 1 + 30 + 30 + 1
    assert lineage.hidden > 0 and len(lineage.nodes) <= 22
    assert lineage.focus.id == wide.id


def test_a_capped_diagram_draws_the_first_nodes_in_order_and_counts_every_other_node_exactly(world, ml_service):
    busy = read_by_four_models(world["schema"], ml_service)
    lineage = graph.build("table", busy.id, upstream=0, downstream=1, cap=10)
    # The table and its columns, then the first six features by name, with the models they belong to.
    assert labels(lineage) == {"busy", "c0", "c1", "c2", "f00", "f01", "f02", "f03", "f04", "f10", "m0", "m1"}
    # 1 table + 3 columns + 20 features + 4 models, less the 12 drawn.
    assert lineage.hidden == 16 and not lineage.hidden_at_least


def test_a_capped_diagram_leaves_a_deleted_model_and_its_features_out_of_the_count(world, ml_service, editor):
    busy = read_by_four_models(world["schema"], ml_service)
    deletion.delete(MlModel.objects.get(name="m0"), editor)
    lineage = graph.build("table", busy.id, upstream=0, downstream=1, cap=10)
    assert labels(lineage) == {"busy", "c0", "c1", "c2", "f10", "f11", "f12", "f13", "f14", "f20", "m1", "m2"}
    # 1 table + 3 columns + 15 features + 3 models, less the 12 drawn.
    assert lineage.hidden == 10
    assert {(e.from_id, e.to_id) for e in lineage.edges} <= {(a, b) for a in lineage.nodes for b in lineage.nodes}


def build_world(schema, service, size):
    """A table of ``size`` columns feeding ``size`` features of a model monitored on a dashboard."""
    table = save_table(schema, f"t{size}", [f"c{i}" for i in range(size)])
    columns = columns_of(table)
    model = make_model(service, f"m{size}", [feature(f"f{i}", columns[f"c{i}"]) for i in range(size)])
    output = save_table(schema, f"out{size}", ["score"])
    table_edge(model, output, origin=Edge.Origin.MANUAL)
    return model


def count_queries(callable_):
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context)


def test_building_a_graph_costs_the_same_queries_for_a_small_and_a_larger_neighbourhood(world, ml_service):
    small = build_world(world["schema"], ml_service, 2)
    large = build_world(world["schema"], ml_service, 40)
    for model in (small, large):
        mlmodels.update_mlmodel(model, "test", dashboard=world["dashboard"])
    small_count = count_queries(lambda: graph.build("mlmodel", small.id, upstream=2, downstream=2))
    large_count = count_queries(lambda: graph.build("mlmodel", large.id, upstream=2, downstream=2))
    assert small_count == large_count
    assert small_count <= 30


def test_impact_costs_the_same_queries_for_a_small_and_a_larger_neighbourhood(world, ml_service):
    small = build_world(world["schema"], ml_service, 2)
    large = build_world(world["schema"], ml_service, 40)
    small_table = small.features.first().sources.first().table
    large_table = large.features.first().sources.first().table
    assert count_queries(lambda: graph.impact("table", small_table.id)) == count_queries(
        lambda: graph.impact("table", large_table.id)
    )
