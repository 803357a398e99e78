"""``/api/v1/search/query``: OpenMetadata's search endpoint, in Elasticsearch's response shape, for ML models."""

from urllib.parse import urlencode

import pytest

from tests.api.conftest import error, put_model, put_service, put_table


@pytest.fixture
def fraud_catalogue(as_editor):
    """Three models: one named for fraud, one whose feature reads a fraud table, one about neither."""
    put_service(as_editor)
    table = put_table(as_editor, name="fraud_events", columns=[{"name": "amount", "dataType": "DOUBLE"}])
    put_model(as_editor, name="card_fraud_detector", description="Flags card payments.")
    put_model(
        as_editor,
        name="chargeback_risk",
        mlFeatures=[
            {
                "name": "amount_sum",
                "dataType": "numerical",
                "featureSources": [
                    {"name": "amount", "dataType": "number", "dataSource": {"id": table["id"], "type": "table"}}
                ],
            }
        ],
    )
    put_model(as_editor, name="churn", description="Who leaves.")


def hit_names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [hit["_source"]["name"] for hit in response.json()["hits"]["hits"]]


def test_a_word_finds_models_by_name_and_by_the_tables_their_features_read(as_viewer, fraud_catalogue):
    response = as_viewer.get("/search/query?q=fraud&index=mlmodel_search_index")
    assert hit_names(response) == ["card_fraud_detector", "chargeback_risk"]
    assert response.json()["hits"]["total"] == {"value": 2, "relation": "eq"}


def test_hits_carry_the_model_as_the_api_serves_it_with_owners_tags_and_followers(as_editor, fraud_catalogue):
    hit = as_editor.get("/search/query?q=card&index=mlmodel_search_index").json()["hits"]["hits"][0]
    served = as_editor.get("/mlmodels/name/models.card_fraud_detector?fields=owners,tags,followers").json()
    assert hit["_index"] == "mlmodel_search_index"
    assert hit["_id"] == served["id"]
    assert hit["_source"] == served


def test_a_star_or_nothing_lists_every_model_a_page_at_a_time(as_viewer, fraud_catalogue):
    assert hit_names(as_viewer.get("/search/query?q=*&index=mlmodel_search_index&size=2")) == [
        "card_fraud_detector",
        "chargeback_risk",
    ]
    assert hit_names(as_viewer.get("/search/query?index=mlmodel_search_index&from=2&size=2")) == ["churn"]


def test_sort_field_and_order_choose_the_order_of_the_hits(as_viewer, fraud_catalogue):
    response = as_viewer.get("/search/query?q=*&index=mlmodel&sort_field=fullyQualifiedName&sort_order=desc")
    assert hit_names(response) == ["churn", "chargeback_risk", "card_fraud_detector"]


def test_soft_deleted_models_are_found_only_when_asked_for(as_editor, fraud_catalogue):
    model = as_editor.get("/mlmodels/name/models.churn").json()
    as_editor.delete(f"/mlmodels/{model['id']}")
    assert "churn" not in hit_names(as_editor.get("/search/query?q=churn&index=mlmodel_search_index"))
    assert hit_names(as_editor.get("/search/query?q=churn&index=mlmodel_search_index&deleted=true")) == ["churn"]


def test_query_syntax_and_wildcards_are_plain_text(as_viewer, fraud_catalogue):
    for q in ("<script>", "' OR 1=1 --", "fraud & !", "a:* | b", "%"):
        response = as_viewer.get("/search/query?" + urlencode({"q": q, "index": "mlmodel_search_index"}))
        assert response.status_code == 200, (q, response.content)
    assert hit_names(as_viewer.get("/search/query?" + urlencode({"q": "%"}))) == []
    assert hit_names(as_viewer.get("/search/query?" + urlencode({"q": "<script>"}))) == []


@pytest.mark.parametrize(
    "query, message",
    [
        ("index=table_search_index", "index: only mlmodel_search_index is served here"),
        ("size=ten", "size: must be a whole number from 0 to 10,000"),
        ("from=-1", "from: must be a whole number from 0 to 10,000"),
        ("from=9990&size=20", "from: from + size must not exceed 10,000"),
        ("deleted=maybe", "deleted: must be one of false, true"),
        ("sort_field=price", "sort_field: must be one of"),
        ("sort_order=up", "sort_order: must be one of asc, desc"),
        ("q=" + "fraud " * 40, "q: must be at most 200 characters"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(as_viewer, query, message):
    response = as_viewer.get(f"/search/query?{query}" if query.startswith("q=") else f"/search/query?q=x&{query}")
    assert response.status_code == 400
    assert error(response)["message"].startswith(message)


def test_anonymous_callers_are_refused(anonymous):
    assert anonymous.get("/search/query?q=fraud").status_code == 401


def test_a_page_of_hits_costs_the_same_queries_however_many_models_match(
    as_viewer, fraud_catalogue, as_editor, django_assert_num_queries
):
    as_viewer.get("/search/query?q=fraud")  # the token's first use records when it was last used
    with django_assert_num_queries(3):  # the token, the count, the page of documents
        as_viewer.get("/search/query?q=fraud")
    for i in range(5):
        put_model(as_editor, name=f"fraud_ring_{i}")
    with django_assert_num_queries(3):
        assert len(hit_names(as_viewer.get("/search/query?q=fraud&size=100"))) == 7
