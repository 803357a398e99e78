"""A model version's training and evaluation data join the lineage graph: data → model version → model."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from catalog.models import Column, MlModel, Table
from catalog.services import deletion, modelversions
from catalog.services.modelversions import DatasetSpec
from lineage import dot, edits, governance, graph
from lineage.models import Edge
from tests.lineage.conftest import accepted_names, columns_of, make_model, save_table
from tests.lineage.test_dot import NODE_ATTRIBUTES, TOKEN, node_attributes, unquote

FROM_VERSIONS = Edge.Origin.MODEL_VERSION_DATA


def train(model, number, *datasets, actor="test"):
    """Save version ``number`` of ``model`` with the given datasets ((role, table, [column names]) each)."""
    specs = [DatasetSpec(role, table, [columns_of(table)[name] for name in names]) for role, table, names in datasets]
    version, _ = modelversions.save_model_version(model, number, actor, datasets=specs)
    return version


def version_edges(model):
    """Return the edges derived from the model's versions as readable (from, to) pairs."""
    result = set()
    for edge in Edge.objects.filter(origin=FROM_VERSIONS):
        if edge.from_type == "column":
            column = Column.objects.get(pk=edge.from_id)
            source = f"{column.table.name}.{column.name}"
        elif edge.from_type == "table":
            source = Table.objects.get(pk=edge.from_id).name
        else:
            source = f"v{model.model_versions.get(pk=edge.from_id).number}"
        target = model.name if edge.to_type == "mlmodel" else f"v{model.model_versions.get(pk=edge.to_id).number}"
        result.add((source, target))
    return result


def path_names(exposed) -> set:
    return {tuple(step.info.label for step in path) for path in exposed.paths}


def test_a_versions_datasets_feed_it_from_their_columns_or_their_table_and_it_feeds_its_model(world):
    train(
        world["spend"], 1, ("training", world["customers"], ["gender", "income"]), ("evaluation", world["orders"], [])
    )
    assert version_edges(world["spend"]) == {
        ("customers.gender", "v1"),
        ("customers.income", "v1"),
        ("orders", "v1"),
        ("v1", "spend"),
    }


def test_changing_a_versions_datasets_rewrites_its_edges_in_the_same_write(world):
    train(world["spend"], 1, ("training", world["customers"], ["gender", "income"]))
    train(world["spend"], 1, ("training", world["customers"], ["income"]), ("evaluation", world["orders"], ["amount"]))
    assert version_edges(world["spend"]) == {("customers.income", "v1"), ("orders.amount", "v1"), ("v1", "spend")}


def test_a_removed_version_takes_its_edges_along(world, editor):
    train(world["spend"], 1, ("training", world["customers"], ["gender"]))
    train(world["spend"], 2, ("training", world["orders"], []))
    modelversions.delete_model_version(world["spend"], 1, editor)
    assert version_edges(world["spend"]) == {("orders", "v2"), ("v2", "spend")}


def test_a_removed_column_leaves_the_version_fed_by_its_table(world):
    train(world["spend"], 1, ("training", world["orders"], ["amount"]))
    save_table(world["schema"], "orders", ["order_id", "customer_id"])
    assert version_edges(world["spend"]) == {("orders", "v1"), ("v1", "spend")}


def test_a_removed_table_takes_its_edges_to_versions_along(world, editor):
    train(world["spend"], 1, ("training", world["orders"], ["amount"]), ("evaluation", world["customers"], []))
    deletion.delete(Table.objects.get(pk=world["orders"].pk), editor, hard=True)
    assert version_edges(world["spend"]) == {("customers", "v1"), ("v1", "spend")}


def test_a_removed_model_takes_its_versions_edges_along(world, editor):
    train(world["spend"], 1, ("training", world["orders"], ["amount"]))
    deletion.delete(MlModel.objects.get(pk=world["spend"].pk), editor, hard=True)
    assert not Edge.objects.filter(origin=FROM_VERSIONS).exists()


def test_an_edge_derived_from_a_versions_data_cannot_be_removed_by_hand(world):
    version = train(world["spend"], 1, ("training", world["orders"], ["amount"]))
    with pytest.raises(ValidationError) as refused:
        edits.remove_edges(version.id, world["spend"].id, derived=True)
    assert "model version's data" in str(refused.value)
    assert ("v1", "spend") in version_edges(world["spend"])


def test_a_model_trained_on_a_sensitive_column_is_exposed_through_its_version(world):
    assert world["spend"].id not in governance.exposed_model_ids()
    train(world["spend"], 3, ("training", world["customers"], ["gender", "income"]))
    assert world["spend"].id in governance.exposed_model_ids()
    [exposed] = governance.report([world["spend"].id])
    assert path_names(exposed) == {("gender", "Version 3", "spend")}
    [[column, version, _]] = exposed.paths
    assert column.container.name == "customers" and version.container.name == "spend"


def test_a_model_trained_only_on_clean_columns_of_a_sensitive_table_is_not_exposed(world):
    train(world["spend"], 1, ("training", world["customers"], ["customer_id", "income"]))
    assert world["spend"].id not in governance.exposed_model_ids()
    assert governance.report([world["spend"].id]) == []


def test_a_version_trained_on_a_whole_table_holding_sensitive_data_is_exposed_with_its_model(world):
    train(world["spend"], 1, ("evaluation", world["customers"], []))
    lineage = graph.build("mlmodel", world["spend"].id, upstream=1, downstream=0)
    [version] = [node for node in lineage.nodes.values() if node.type == "modelVersion"]
    assert version.exposed and lineage.focus.exposed
    assert path_names(governance.report([world["spend"].id])[0]) == {
        ("gender", "customers", "Version 1", "spend"),
        ("birth_date", "customers", "Version 1", "spend"),
    }


def test_the_impact_of_a_column_lists_the_versions_trained_on_it_and_their_models(world):
    train(world["spend"], 2, ("training", world["customers"], ["income"]))
    result = graph.impact("column", world["columns"]["income"].id)
    assert [(version.label, model.name, hops) for version, model, hops in result.model_versions] == [
        ("Version 2", "spend", 1)
    ]
    assert ("spend", 1) in {(model.name, hops) for model, hops in result.models}
    assert "spend" not in {model.name for model, _ in graph.impact("column", world["columns"]["gender"].id).models}


def test_the_impact_of_a_table_lists_the_versions_trained_on_any_of_its_columns(world):
    train(world["spend"], 2, ("training", world["customers"], ["income"]))
    train(world["churn"], 1, ("evaluation", world["customers"], []))
    result = graph.impact("table", world["customers"].id)
    assert {(version.label, model.name) for version, model, _ in result.model_versions} == {
        ("Version 2", "spend"),
        ("Version 1", "churn"),
    }


def test_the_impact_page_lists_the_versions_trained_on_a_column(client, viewer, world):
    train(world["spend"], 2, ("training", world["customers"], ["income"]))
    client.force_login(viewer)
    response = client.get(reverse("lineage:impact", args=["column", world["columns"]["income"].id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Model versions trained or evaluated on it" in page and "Version 2" in page


def test_a_models_diagram_shows_its_versions_training_tables(world):
    version = train(world["spend"], 1, ("training", world["customers"], ["income"]))
    lineage = graph.build("mlmodel", world["spend"].id, upstream=1, downstream=0)
    income = world["columns"]["income"]
    assert {version.id, income.id, world["customers"].id} <= lineage.nodes.keys()
    assert lineage.nodes[version.id].info.container_id == world["spend"].id
    pairs = {(edge.from_id, edge.to_id, edge.origin) for edge in lineage.edges}
    assert (income.id, version.id, FROM_VERSIONS) in pairs
    assert (version.id, world["spend"].id, graph.CONTAINS) in pairs
    text = dot.to_dot(lineage)
    assert f"lineage-modelVersion-{version.id.hex}" in text and "Version 1" in text


def test_hiding_model_versions_bridges_the_data_to_the_model(world):
    train(world["spend"], 1, ("training", world["customers"], ["income"]))
    kinds = [kind for kind in graph.KINDS if kind != "modelVersion"]
    lineage = graph.build("mlmodel", world["spend"].id, upstream=1, downstream=0, kinds=kinds)
    assert not [node for node in lineage.nodes.values() if node.type == "modelVersion"]
    assert (world["columns"]["income"].id, world["spend"].id) in {(e.from_id, e.to_id) for e in lineage.edges}


def test_a_capped_diagram_counts_the_versions_training_tables_it_leaves_out(world):
    model = world["spend"]
    for number in range(1, 13):
        train(model, number, ("training", save_table(world["schema"], f"snapshot_{number}", ["c"]), []))
    lineage = graph.build("mlmodel", model.id, upstream=1, downstream=0, cap=10)
    assert lineage.hidden > 0
    assert f"{lineage.hidden} more nodes not drawn" in dot.to_dot(lineage)


def test_a_versions_lineage_page_shows_its_data_and_its_model(client, viewer, world):
    version = train(world["spend"], 4, ("training", world["orders"], ["amount"]))
    client.force_login(viewer)
    response = client.get(reverse("lineage:node", args=["modelVersion", version.id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 4" in page and "amount" in page and "spend" in page


def test_hostile_names_of_a_model_and_its_training_data_stay_inside_their_labels(warehouse, ml_service):
    names = accepted_names()
    model = make_model(ml_service, "<script>alert(1)</script>", [], display_name='"><svg onload=alert(1)>')
    tables = [save_table(warehouse["schema"], name, [name]) for name in names]
    specs = [DatasetSpec("training", table, list(table.columns.all())) for table in tables]
    modelversions.save_model_version(model, 1, "test", datasets=specs)
    text = dot.to_dot(graph.build("mlmodel", model.id, upstream=1, downstream=0, cap=1000))
    nodes = node_attributes(text)
    assert len(nodes) == 2 + 2 * len(names)  # the model and its version; per name a table and its column
    labels = set()
    for attributes in nodes.values():
        assert set(attributes) <= NODE_ATTRIBUTES
        assert attributes["URL"].startswith('"/')
        labels.add(unquote(attributes["label"]).split("\n")[0])
    assert {'"><svg onload=alert(1)>', "Version 1"} <= labels
    for name in names:
        assert dot.shorten(name).split("\n")[0] in labels
    assert "<" not in "".join(t for t in TOKEN.findall(text) if not t.startswith('"')), "no HTML-like label"


def test_hostile_names_stay_escaped_on_a_versions_lineage_and_impact_pages(client, viewer, warehouse, ml_service):
    model = make_model(ml_service, "m", [], display_name="<script>alert(1)</script>")
    table = save_table(warehouse["schema"], "<img src=x onerror=alert(2)>", ["<b>c</b>"])
    version, _ = modelversions.save_model_version(
        model, 1, "test", datasets=[DatasetSpec("training", table, list(table.columns.all()))]
    )
    client.force_login(viewer)
    for url in (
        reverse("lineage:node", args=["modelVersion", version.id]),
        reverse("lineage:impact", args=["table", table.id]),
    ):
        page = client.get(url).content.decode()
        assert escape(model.display_name) in page and model.display_name not in page
        assert escape(table.name) in page and table.name not in page


def queries_of(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context)


def test_a_models_diagram_and_exposure_cost_the_same_queries_for_one_version_and_for_many(world):
    model, customers = world["spend"], world["customers"]
    train(model, 1, ("training", customers, ["gender"]))

    def diagram_and_paths():
        lineage = graph.build("mlmodel", model.id, upstream=2, downstream=2)
        dot.to_dot(lineage)
        governance.report([model.id])

    one = queries_of(diagram_and_paths)
    for number in range(2, 7):
        train(model, number, ("training", customers, ["gender", "income"]), ("evaluation", world["orders"], []))
    assert queries_of(diagram_and_paths) == one
