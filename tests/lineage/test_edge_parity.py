"""The model page and the API store and remove lineage edges by the same rules (lineage.edits)."""

import html

import pytest
from django.urls import reverse

from lineage.models import Edge
from tests.api.conftest import ApiClient, token_for

FEEDING_DASHBOARD = "A dashboard shows a model's results; it cannot feed the model."


def page_add_upstream_dashboard(client, world):
    return client.post(
        reverse("lineage:edge_add", args=[world["churn"].id]),
        {"direction": "up", "target_type": "dashboard", "target": world["dashboard"].fqn, "description": ""},
    )


def api_add_upstream_dashboard(api, world):
    edge = {
        "fromEntity": {"id": str(world["dashboard"].id), "type": "dashboard"},
        "toEntity": {"id": str(world["churn"].id), "type": "mlmodel"},
    }
    return api.put("/lineage", {"edge": edge})


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_dashboard_feeding_a_model_is_refused_by_page_and_api_alike(client, owner, world, door):
    before = sorted(Edge.objects.values_list("from_id", "to_id", "origin"))
    if door == "page":
        client.force_login(owner)
        response = page_add_upstream_dashboard(client, world)
        assert response.status_code == 400 and FEEDING_DASHBOARD in html.unescape(response.content.decode())
    else:
        response = api_add_upstream_dashboard(ApiClient(token_for(owner)), world)
        assert response.status_code == 400 and FEEDING_DASHBOARD in response.json()["message"]
    assert sorted(Edge.objects.values_list("from_id", "to_id", "origin")) == before


def test_a_node_cannot_feed_itself_through_the_api(owner, world):
    churn = {"id": str(world["churn"].id), "type": "mlmodel"}
    response = ApiClient(token_for(owner)).put("/lineage", {"edge": {"fromEntity": churn, "toEntity": churn}})
    assert response.status_code == 400 and "cannot be its own upstream" in response.json()["message"]
