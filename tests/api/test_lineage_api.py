"""Lineage in OpenMetadata's dialect: add, read at depth, patch and delete edges."""

import pytest

from lineage.models import Edge
from tests.api.conftest import error, put_model, put_service, put_table


@pytest.fixture
def graph(as_editor):
    """customers -> churn (through a feature source) and churn -> kpis (stated)."""
    table = put_table(as_editor)
    put_service(as_editor)
    model = put_model(
        as_editor,
        mlFeatures=[
            {"name": "age", "featureSources": [{"name": "age", "dataSource": {"id": table["id"], "type": "table"}}]}
        ],
    )
    as_editor.put("/services/dashboardServices", {"name": "superset", "serviceType": "Superset"})
    dashboard = as_editor.put("/dashboards", {"name": "kpis", "service": "superset"}).json()
    response = as_editor.put(
        "/lineage",
        {
            "edge": {
                "fromEntity": {"id": model["id"], "type": "mlmodel"},
                "toEntity": {"id": dashboard["id"], "type": "dashboard"},
                "lineageDetails": {"description": "scores feed the dashboard", "source": "Manual"},
            }
        },
    )
    assert response.status_code == 200, response.content
    return {"table": table, "model": model, "dashboard": dashboard}


def test_lineage_of_a_model_shows_its_source_table_and_dashboard(as_editor, graph):
    data = as_editor.get(f"/lineage/mlmodel/{graph['model']['id']}").json()

    assert data["entity"]["id"] == graph["model"]["id"]
    assert data["entity"]["href"].startswith("http://testserver/api/v1/mlmodels/")
    assert {n["id"] for n in data["nodes"]} == {graph["table"]["id"], graph["dashboard"]["id"]}
    assert data["upstreamEdges"] == [{"fromEntity": graph["table"]["id"], "toEntity": graph["model"]["id"]}]
    assert data["downstreamEdges"] == [
        {
            "fromEntity": graph["model"]["id"],
            "toEntity": graph["dashboard"]["id"],
            "lineageDetails": {"description": "scores feed the dashboard", "source": "Manual"},
        }
    ]


def test_depth_follows_that_many_hops_and_zero_follows_none(as_editor, graph):
    table = graph["table"]["id"]
    one = as_editor.get(f"/lineage/table/{table}?upstreamDepth=0&downstreamDepth=1").json()
    two = as_editor.get(f"/lineage/table/{table}?upstreamDepth=0&downstreamDepth=2").json()
    none = as_editor.get(f"/lineage/table/{table}?upstreamDepth=0&downstreamDepth=0").json()
    assert [n["id"] for n in one["nodes"]] == [graph["model"]["id"]]
    assert {n["id"] for n in two["nodes"]} == {graph["model"]["id"], graph["dashboard"]["id"]}
    assert len(two["downstreamEdges"]) == 2
    assert none["nodes"] == [] and none["downstreamEdges"] == [] and none["upstreamEdges"] == []


@pytest.mark.parametrize("query", ["upstreamDepth=4", "downstreamDepth=-1", "upstreamDepth=deep"])
def test_a_depth_outside_0_to_3_is_a_400(as_editor, graph, query):
    response = as_editor.get(f"/lineage/mlmodel/{graph['model']['id']}?{query}")
    assert response.status_code == 400
    assert error(response)["message"].endswith(": must be a whole number from 0 to 3")


def test_lineage_by_name_serves_the_same_graph(as_editor, graph):
    by_name = as_editor.get("/lineage/dashboard/name/superset.kpis?upstreamDepth=2").json()
    assert {n["id"] for n in by_name["nodes"]} == {graph["model"]["id"], graph["table"]["id"]}


def test_column_and_feature_grain_edges_stay_out_of_the_api(as_editor, graph):
    assert Edge.objects.filter(to_type="mlfeature").exists()
    data = as_editor.get(f"/lineage/mlmodel/{graph['model']['id']}?upstreamDepth=3").json()
    assert {n["type"] for n in data["nodes"]} == {"table", "dashboard"}


def test_putting_an_edge_again_replaces_its_details(as_editor, graph):
    edge = {
        "fromEntity": {"id": graph["model"]["id"], "type": "mlmodel"},
        "toEntity": {"id": graph["dashboard"]["id"], "type": "dashboard"},
    }
    as_editor.put("/lineage", {"edge": {**edge, "lineageDetails": {"sqlQuery": "select 1"}}})
    stored = Edge.objects.get(to_id=graph["dashboard"]["id"])
    assert stored.details == {"sqlQuery": "select 1"}
    assert stored.origin == Edge.Origin.API
    assert stored.updated_by == "edward"


def test_column_lineage_must_name_columns_of_the_two_tables(as_editor, graph):
    other = put_table(as_editor, name="scores", columns=[{"name": "score", "dataType": "DOUBLE"}])
    edge = {
        "fromEntity": {"id": graph["table"]["id"], "type": "table"},
        "toEntity": {"id": other["id"], "type": "table"},
    }
    good = {
        "fromColumns": ["warehouse.analytics.public.customers.age"],
        "toColumn": "warehouse.analytics.public.scores.score",
    }
    bad = {"fromColumns": ["warehouse.analytics.public.customers.nope"], "toColumn": good["toColumn"]}

    assert (
        as_editor.put("/lineage", {"edge": {**edge, "lineageDetails": {"columnsLineage": [good]}}}).status_code == 200
    )
    response = as_editor.put("/lineage", {"edge": {**edge, "lineageDetails": {"columnsLineage": [bad]}}})
    assert response.status_code == 400
    assert error(response)["message"].startswith("lineageDetails.columnsLineage[0].fromColumns[0]: ")
    assert Edge.objects.get(to_id=other["id"]).details == {"columnsLineage": [good]}


@pytest.mark.parametrize(
    "edge, status, message",
    [
        ({}, 400, "edge.fromEntity: this field is required"),
        (
            {"fromEntity": {"id": "x", "type": "table"}, "toEntity": {"id": "x", "type": "table"}},
            400,
            "edge.fromEntity.id",
        ),
        ({"fromEntity": {"id": "6f1c1b0e-0000-4000-8000-000000000000", "type": "widget"}}, 400, "edge.fromEntity.type"),
        ({"fromEntity": {"id": "6f1c1b0e-0000-4000-8000-000000000000", "type": "pipeline"}}, 404, "pipeline instance"),
    ],
)
def test_a_bad_edge_is_refused(as_editor, graph, edge, status, message):
    response = as_editor.put(
        "/lineage", {"edge": {"toEntity": {"id": graph["model"]["id"], "type": "mlmodel"}, **edge}}
    )
    assert response.status_code == status
    assert error(response)["message"].startswith(message)


def test_bad_lineage_details_are_refused(as_editor, graph):
    edge = {
        "fromEntity": {"id": graph["table"]["id"], "type": "table"},
        "toEntity": {"id": graph["dashboard"]["id"], "type": "dashboard"},
    }
    for details, status in (
        ({"source": "Guesswork"}, 400),
        ({"colour": "red"}, 400),
        ({"pipeline": {"id": "6f1c1b0e-0000-4000-8000-000000000000", "type": "pipeline"}}, 404),
        ({"sqlQuery": "a\x00b"}, 400),
    ):
        assert as_editor.put("/lineage", {"edge": {**edge, "lineageDetails": details}}).status_code == status
    assert not Edge.objects.filter(to_id=graph["dashboard"]["id"], from_id=graph["table"]["id"]).exists()


def test_an_entity_cannot_be_its_own_upstream(as_editor, graph):
    ref = {"id": graph["model"]["id"], "type": "mlmodel"}
    assert as_editor.put("/lineage", {"edge": {"fromEntity": ref, "toEntity": ref}}).status_code == 400


def test_deleting_an_edge_and_a_missing_edge(as_editor, graph):
    path = f"/lineage/mlmodel/{graph['model']['id']}/dashboard/{graph['dashboard']['id']}"
    assert as_editor.delete(path).status_code == 200
    again = as_editor.delete(path)
    assert again.status_code == 404
    assert error(again)["message"] == "Lineage edge not found"


def upstream_of_the_model(api, graph):
    return api.get(f"/lineage/mlmodel/{graph['model']['id']}?downstreamDepth=0").json()["upstreamEdges"]


def test_deleting_a_stated_edge_brings_back_the_one_the_feature_sources_imply(as_editor, graph):
    table, model = graph["table"]["id"], graph["model"]["id"]
    edge = {
        "fromEntity": {"id": table, "type": "table"},
        "toEntity": {"id": model, "type": "mlmodel"},
        "lineageDetails": {"description": "stated by the ingestion", "source": "Manual"},
    }
    assert as_editor.put("/lineage", {"edge": edge}).status_code == 200
    assert upstream_of_the_model(as_editor, graph)[0]["lineageDetails"]["description"] == "stated by the ingestion"

    assert as_editor.delete(f"/lineage/table/{table}/mlmodel/{model}").status_code == 200

    assert upstream_of_the_model(as_editor, graph) == [{"fromEntity": table, "toEntity": model}]


def test_deleting_a_derived_edge_removes_it_as_openmetadata_does(as_editor, graph):
    table, model = graph["table"]["id"], graph["model"]["id"]
    assert as_editor.delete(f"/lineage/table/{table}/mlmodel/{model}").status_code == 200
    assert upstream_of_the_model(as_editor, graph) == []


def test_a_viewer_cannot_add_or_delete_edges(as_viewer, graph):
    path = f"/lineage/mlmodel/{graph['model']['id']}/dashboard/{graph['dashboard']['id']}"
    assert as_viewer.delete(path).status_code == 403
    edge = {
        "fromEntity": {"id": graph["table"]["id"], "type": "table"},
        "toEntity": {"id": graph["dashboard"]["id"], "type": "dashboard"},
    }
    assert as_viewer.put("/lineage", {"edge": edge}).status_code == 403
    assert Edge.objects.filter(to_id=graph["dashboard"]["id"]).count() == 1


def test_get_lineage_edge_serves_the_stored_details(as_editor, graph):
    found = as_editor.get(f"/lineage/getLineageEdge/{graph['model']['id']}/{graph['dashboard']['id']}")
    missing = as_editor.get(f"/lineage/getLineageEdge/{graph['dashboard']['id']}/{graph['model']['id']}")
    assert found.json() == {"edge": {"description": "scores feed the dashboard", "source": "Manual"}}
    assert missing.status_code == 404


def test_patching_an_edge_changes_its_details(as_editor, graph):
    path = f"/lineage/mlmodel/{graph['model']['id']}/dashboard/{graph['dashboard']['id']}"
    response = as_editor.patch(path, [{"op": "add", "path": "/sqlQuery", "value": "select score from churn"}])
    assert response.status_code == 200
    assert Edge.objects.get(to_id=graph["dashboard"]["id"]).details["sqlQuery"] == "select score from churn"


def test_the_lineage_of_a_deleted_entity_is_a_404(as_editor, graph):
    as_editor.delete(f"/mlmodels/{graph['model']['id']}")
    assert as_editor.get(f"/lineage/mlmodel/{graph['model']['id']}").status_code == 404
    assert as_editor.get(f"/lineage/mlmodel/{graph['table']['id']}").status_code == 404
