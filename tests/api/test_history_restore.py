"""POST /mlmodels/{id}/versions/{v}/restore writes a model back to a history version, for who may edit it."""

import pytest
from django.test import Client

from catalog.services import mlmodels
from tests.api.conftest import ApiClient, token_for


@pytest.fixture
def changed(churn_model, editor):
    """The churn model at 1.1: its algorithm and description changed after 0.1."""
    return mlmodels.update_mlmodel(churn_model, editor, algorithm="LightGBM", description="Changed").entity


def restore_path(model, version):
    return f"/mlmodels/{model.pk}/versions/{version}/restore"


@pytest.mark.parametrize("persona", ["owner", "editor"])
def test_who_may_edit_restores_and_gets_the_restored_model(request, changed, persona):
    client = ApiClient(token_for(request.getfixturevalue(persona)))
    response = client.post(restore_path(changed, "0.1"))
    assert response.status_code == 200
    body = response.json()
    assert body["algorithm"] == "XGBoost" and "description" not in body
    assert body["version"] == 2.1
    undone = client.post(restore_path(changed, "1.1")).json()
    assert undone["algorithm"] == "LightGBM" and undone["description"] == "Changed"


def test_a_read_only_caller_is_refused_and_nothing_changes(as_viewer, as_editor, changed):
    assert as_viewer.post(restore_path(changed, "0.1")).status_code == 403
    assert as_editor.get(f"/mlmodels/{changed.pk}").json()["version"] == 1.1


def test_an_anonymous_caller_is_refused(changed):
    assert ApiClient().post(restore_path(changed, "0.1")).status_code == 401
    assert Client().post("/api/v1" + restore_path(changed, "0.1")).status_code == 401


def test_an_unknown_version_is_a_404_and_a_bad_one_a_400(as_editor, changed):
    missing = as_editor.post(restore_path(changed, "7.0"))
    assert missing.status_code == 404 and "version 7.0" in missing.json()["message"]
    assert as_editor.post(restore_path(changed, "latest")).status_code == 400
    assert as_editor.post(restore_path(changed, "NaN")).status_code == 400


def test_if_match_refuses_a_restore_over_a_newer_version(as_editor, changed):
    stale = as_editor.post(restore_path(changed, "0.1"), HTTP_IF_MATCH='"0.1"')
    assert stale.status_code == 412
    fresh = as_editor.post(restore_path(changed, "0.1"), HTTP_IF_MATCH='"1.1"')
    assert fresh.status_code == 200


def test_the_route_is_in_the_openapi_schema(as_editor):
    schema = as_editor.get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/mlmodels/{id}/versions/{version}/restore"]["post"]
    assert {"200", "403", "404", "412"} <= operation["responses"].keys()
