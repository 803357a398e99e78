"""Every API error is JSON ``{"code", "message"}`` and bad input never half-writes."""

import pytest
from django.test import Client

from api import entities
from catalog.models import EntityVersion, MlModel, MlModelService
from tests.api.conftest import API, error, put_model, put_service, put_table
from tests.test_authorization_matrix import UNSAFE, dummy_url, patterns


def test_an_unknown_route_answers_a_json_404(as_editor):
    for path in ("/nothing", "/mlmodels/a/b/c", "/lineage/table", "/services/unknownServices"):
        response = as_editor.get(path)
        assert response.status_code == 404
        assert "No API route" in error(response)["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unsafe_method_on_an_unknown_route_answers_a_json_404_with_a_token_or_without(
    as_editor, as_viewer, anonymous, method
):
    for client in (as_editor, as_viewer, anonymous):
        response = getattr(client, method)("/no/such/route", *([] if method == "delete" else [{"name": "x"}]))
        assert response.status_code == 404
        assert error(response)["message"] == f"No API route for {method.upper()} {API}/no/such/route"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unsafe_method_on_an_unknown_route_answers_a_json_404_to_a_browser_session(editor, method):
    """Not Django's CSRF page: the route changes nothing, so there is nothing to protect."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    response = getattr(browser, method)(f"{API}/mlmodels/x/y/z", "{}", content_type="application/json")
    assert response.status_code == 404
    error(response)


def test_a_write_to_the_docs_assets_answers_a_json_405(as_editor):
    response = as_editor.put("/docs/assets/swagger-ui.css", {})
    assert response.status_code == 405
    assert error(response)["message"] == "Method PUT is not allowed here"
    assert response["Allow"] == "GET, HEAD"


def test_what_django_refuses_before_the_api_is_reached_is_json_too(as_editor):
    response = as_editor.get("/mlmodels", HTTP_HOST="attacker.example")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    error(response)


def _write_routes():
    """Every unsafe method of every API view class, from the URL configuration (as the matrix reads it)."""
    for name, entry in patterns():
        view = getattr(entry.callback, "cls", None)
        if name.startswith("catalog-api:") and view is not None and not getattr(view, "open_to_readers", False):
            for method in UNSAFE:
                if hasattr(view, method):
                    yield name, entry, method


WRITE_ROUTES = sorted((name, method) for name, _, method in _write_routes())
BAD_BODIES = {"put": {"bogus": [1]}, "post": {"bogus": [1]}, "patch": [{"op": "bogus"}], "delete": None}


@pytest.mark.parametrize("name, method", WRITE_ROUTES, ids=[f"{m} {n}" for n, m in WRITE_ROUTES])
def test_a_read_only_token_hears_403_before_any_400_or_404_on_every_write_route(as_viewer, name, method):
    """Whatever is wrong with the request (an unknown id, an invalid body), a viewer's token is refused first."""
    entry = next(entry for n, entry, _ in _write_routes() if n == name)
    path = dummy_url(name, entry).removeprefix(API) + ("?hardDelete=maybe" if method == "delete" else "")
    response = getattr(as_viewer, method)(path, *([] if method == "delete" else [BAD_BODIES[method]]))
    assert response.status_code == 403
    error(response)


def test_a_trailing_slash_is_not_redirected(as_editor):
    response = as_editor.get("/mlmodels/")
    assert response.status_code == 404
    error(response)


def test_a_wrong_method_answers_a_json_405(as_editor):
    response = as_editor.delete("/mlmodels")
    assert response.status_code == 405
    assert error(response)["message"] == "Method DELETE is not allowed here"


def test_a_crash_answers_a_json_500(as_editor, monkeypatch):
    def broken():
        raise RuntimeError("database on fire")

    monkeypatch.setattr(entities.KINDS["mlmodel"], "queryset", broken)
    response = as_editor.get("/mlmodels")
    assert response.status_code == 500
    assert error(response)["message"] == "Internal server error"


def test_an_entity_that_does_not_exist_answers_404_with_openmetadatas_message(as_editor):
    response = as_editor.get("/mlmodels/name/nowhere.nothing")
    assert response.status_code == 404
    assert error(response)["message"] == "mlmodel instance for nowhere.nothing not found"
    response = as_editor.get("/mlmodels/6f1c1b0e-0000-4000-8000-000000000000")
    assert response.status_code == 404


def test_a_malformed_json_body_is_a_400(as_editor):
    response = as_editor.put("/services/mlmodelServices", '{"name": "svc", ')
    assert response.status_code == 400
    assert error(response)["message"].startswith("Malformed request body")
    assert not MlModelService.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(as_editor):
    response = as_editor.put("/services/mlmodelServices", ["name"])
    assert response.status_code == 400
    assert error(response)["message"] == "body: must be a JSON object"


def test_a_body_that_is_not_json_is_refused_as_an_unsupported_media_type(as_editor):
    response = as_editor.put("/services/mlmodelServices", "name=svc", content_type="text/plain")
    assert response.status_code == 415
    error(response)


def test_an_unknown_field_is_a_400_naming_it(as_editor):
    put_service(as_editor)
    response = as_editor.put("/mlmodels", {"name": "m", "service": "models", "owner": {"id": "x"}})
    assert response.status_code == 400
    assert error(response)["message"] == "Unrecognized field 'owner'"
    response = as_editor.put(
        "/mlmodels", {"name": "m", "service": "models", "mlFeatures": [{"name": "f", "colour": "red"}]}
    )
    assert error(response)["message"] == "Unrecognized field 'mlFeatures[0].colour'"
    assert not MlModel.objects.exists()


def test_an_unknown_fields_parameter_is_a_400(as_editor):
    response = as_editor.get("/mlmodels?fields=owners,colour")
    assert response.status_code == 400
    assert error(response)["message"] == "Invalid field name colour"


def test_a_bad_uuid_is_a_400_naming_it(as_editor):
    response = as_editor.get("/mlmodels/not-a-uuid")
    assert response.status_code == 400
    assert error(response)["message"] == "id: 'not-a-uuid' is not a valid UUID"
    put_service(as_editor)
    response = as_editor.put(
        "/mlmodels", {"name": "m", "service": "models", "owners": [{"id": "nope", "type": "user"}]}
    )
    assert error(response)["message"] == "owners[0].id: 'nope' is not a valid UUID"


def test_an_unknown_parent_fqn_is_a_404_and_writes_nothing(as_editor):
    response = as_editor.put("/mlmodels", {"name": "m", "service": "missing", "algorithm": "a"})
    assert response.status_code == 404
    assert error(response)["message"] == "mlmodelService instance for missing not found"
    assert not MlModel.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ({"mlFeatures": [{"name": "f", "dataType": "numeric"}]}, "mlFeatures[0].dataType: 'numeric' is not one of"),
        (
            {"mlFeatures": [{"name": "f", "featureSources": [{"name": "s", "dataType": "float"}]}]},
            "mlFeatures[0].featureSources[0].dataType: 'float' is not one of",
        ),
        (
            {"tags": [{"tagFQN": "PII.Sensitive", "labelType": "Sometimes"}]},
            "tags[0].labelType: 'Sometimes' is not one",
        ),
    ],
)
def test_an_invalid_enum_value_is_a_400_naming_the_field(as_editor, body, message):
    put_service(as_editor)
    response = as_editor.put("/mlmodels", {"name": "m", "service": "models", "algorithm": "a", **body})
    assert response.status_code == 400
    assert error(response)["message"].startswith(message)
    assert not MlModel.objects.exists()


def test_an_invalid_service_type_is_a_400(as_editor):
    response = as_editor.put("/services/databaseServices", {"name": "db", "serviceType": "Excel"})
    assert response.status_code == 400
    assert error(response)["message"].startswith("serviceType: 'Excel' is not one of BigQuery")


@pytest.mark.parametrize("field", ["server", "sourceUrl"])
def test_a_bad_url_is_a_400_naming_the_field(as_editor, field):
    put_service(as_editor)
    response = as_editor.put("/mlmodels", {"name": "m", "service": "models", "algorithm": "a", field: "not a url"})
    assert response.status_code == 400
    assert error(response)["message"].startswith(f"{field}: Enter a valid http(s) URL")
    assert not MlModel.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "nul\x00name"}, "name"),
        ({"description": "nul \x00 inside"}, "description"),
        ({"mlHyperParameters": [{"name": "p", "value": "\x00"}]}, "mlHyperParameters[0].value"),
    ],
)
def test_a_nul_character_is_a_400_on_every_database(as_editor, body, field):
    put_service(as_editor)
    response = as_editor.put("/mlmodels", {"name": "m", "service": "models", "algorithm": "a", **body})
    assert response.status_code == 400
    assert error(response)["message"].startswith(f"{field}: Must not contain NUL")
    assert not MlModel.objects.exists()


def test_a_nul_character_in_a_query_parameter_or_path_is_a_400(as_editor):
    assert as_editor.get("/mlmodels?service=a%00b").status_code == 400
    response = as_editor.get("/users/name/a%00b")
    assert response.status_code == 400
    error(response)


def test_a_nul_character_in_a_connection_is_a_400(as_editor):
    response = as_editor.put(
        "/services/mlmodelServices",
        {"name": "svc", "serviceType": "Mlflow", "connection": {"config": {"trackingUri": "a\x00b"}}},
    )
    assert response.status_code == 400
    assert error(response)["message"] == "connection.config.trackingUri: Must not contain NUL characters."


def test_a_refused_update_leaves_the_model_as_it_was(as_editor):
    put_service(as_editor)
    table = put_table(as_editor)
    model = put_model(as_editor, description="kept", target="churned")

    response = as_editor.put(
        "/mlmodels",
        {
            "name": "churn",
            "service": "models",
            "description": "changed",
            "mlFeatures": [
                {
                    "name": "age",
                    "featureSources": [{"name": "age", "dataSource": {"id": table["id"], "type": "table"}}],
                },
                {"name": "bad", "featureSources": [{"name": "x", "dataSource": {"id": model["id"], "type": "table"}}]},
            ],
        },
    )

    assert response.status_code == 404
    stored = MlModel.objects.get()
    assert stored.description == "kept"
    assert stored.target == "churned"
    assert not stored.features.exists()
    assert not EntityVersion.objects.filter(entity_id=stored.pk).exists()


def test_a_duplicate_feature_name_is_a_400_and_writes_nothing(as_editor):
    put_service(as_editor)
    response = as_editor.put(
        "/mlmodels",
        {"name": "m", "service": "models", "algorithm": "a", "mlFeatures": [{"name": "f"}, {"name": "f"}]},
    )
    assert response.status_code == 400
    assert error(response)["message"] == "mlFeatures: Feature names must be unique in a model: 'f' repeats."
    assert not MlModel.objects.exists()


def test_a_name_with_a_double_colon_is_refused(as_editor):
    response = as_editor.put("/services/mlmodelServices", {"name": "a::b", "serviceType": "Mlflow"})
    assert response.status_code == 400
    assert error(response)["message"] == "name: Must not contain '::'."
