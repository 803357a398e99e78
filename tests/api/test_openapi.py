"""The OpenAPI schema and the API docs page, whose assets come from this server."""

import re

from tests.api.conftest import error


def test_the_openapi_schema_describes_every_collection(anonymous):
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/mlmodels",
        "/api/v1/mlmodels/{id}",
        "/api/v1/lineage",
        "/api/v1/system/version",
        "/api/v1/services/mlmodelServices/name/{fqn}",
        "/api/v1/tables/{id}/versions/{version}",
    ):
        assert path in schema["paths"], path
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `manage.py issue_token`.",
    }
    operation_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_the_docs_page_loads_its_assets_from_this_server(anonymous):
    response = anonymous.get("/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in sources
    assert all(s.startswith("/") for s in sources), sources
    assert "//cdn" not in page and "unpkg" not in page
    assert "/api/v1/docs?script=" in sources
    script = anonymous.get("/docs?script=")
    assert script["Content-Type"] == "application/javascript"
    assert '"validatorUrl": null' in script.content.decode()
    asset = anonymous.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert asset["Content-Type"] in ("text/javascript", "application/javascript")


def test_the_docs_page_runs_no_inline_script_and_relaxes_only_its_styles(anonymous):
    page = anonymous.get("/docs")
    assert "<script>" not in page.content.decode()
    policy = page["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src" not in policy  # scripts fall back to default-src 'self'
    assert "default-src 'self'" in policy


def test_only_the_swagger_files_are_served_as_docs_assets(anonymous):
    response = anonymous.get("/docs/assets/LICENSE")
    assert response.status_code == 404
    error(response)


def _schema():
    """Generate the schema afresh (the served one is cached), as ``/openapi.json`` would serve it."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(patterns=None).get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


#: Unsafe operations that read no body: the path says everything (restoring a history version).
BODILESS = {"/api/v1/mlmodels/{id}/versions/{version}/restore"}


def test_every_request_body_is_described_not_a_bare_object():
    schema = _schema()
    components = schema["components"]["schemas"]
    bodies_seen = 0
    for path, method, operation in _operations(schema):
        if method in ("get", "delete") or path in BODILESS:
            assert "requestBody" not in operation, (method, path)
            continue
        for media in operation["requestBody"]["content"].values():
            body = media["schema"]
            body = components[body["$ref"].rsplit("/", 1)[1]] if "$ref" in body else body
            assert body.get("properties") or body.get("items") or body.get("format"), (method, path, body)
            bodies_seen += 1
    assert bodies_seen > 50


def test_create_requests_take_exactly_the_keys_the_api_accepts():
    from api import schema as keys
    from api.entities import KINDS

    components = _schema()["components"]["schemas"]
    for kind in KINDS.values():
        create = components["Create" + kind.type[0].upper() + kind.type[1:]]
        assert set(create["properties"]) == keys.CREATE_KEYS[kind.type], kind.type
        assert create["additionalProperties"] is False
        assert "name" in create["required"]
        if kind.parent_key:
            assert kind.parent_key in create["required"]


def test_every_operation_lists_each_error_it_can_answer_with_the_error_body():
    schema = _schema()
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    for path, method, operation in _operations(schema):
        statuses = set(operation["responses"])
        assert {"400", "401", "429", "503"} <= statuses, (method, path)
        if method != "get":
            assert "403" in statuses, (method, path)
        if "{" in path or "requestBody" in operation:
            assert "404" in statuses, (method, path)
        if "requestBody" in operation:
            assert {"413", "415"} <= statuses, (method, path)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        assert any(int(status) < 300 for status in statuses), (method, path)
    responses = schema["paths"]["/api/v1/mlmodels"]
    assert {"200", "201", "409"} <= set(responses["put"]["responses"])
    assert {"201", "409"} <= set(responses["post"]["responses"])
    assert "412" in schema["paths"]["/api/v1/mlmodels/{id}"]["patch"]["responses"]
    assert "Retry-After" in responses["get"]["responses"]["503"]["headers"]


def test_length_limits_are_the_registrys_and_the_columns():
    from catalog import registry
    from catalog.models import User
    from catalog.services import validation

    components = _schema()["components"]["schemas"]
    model = components["CreateMlmodel"]["properties"]
    declared = registry.TYPES["mlmodel"].text_fields
    assert model["displayName"]["maxLength"] == declared["display_name"]
    assert model["target"]["maxLength"] == declared["target"]
    assert model["mlStore"]["properties"]["storage"]["maxLength"] == declared["ml_store_storage"]
    assert model["sourceUrl"]["maxLength"] == validation.MAX_URL_LENGTH
    assert model["name"]["maxLength"] == validation.MAX_NAME_LENGTH
    # A user's name is held in Django's username column, shorter than other names.
    assert components["CreateUser"]["properties"]["name"]["maxLength"] == User._meta.get_field("username").max_length
    assert components["CreateTable"]["properties"]["tableType"]["enum"][0] == "Regular"


def test_a_text_field_declared_in_the_registry_appears_in_the_schema_with_its_limit(monkeypatch):
    """Adding a field is one declaration in the registry and one key OpenMetadata's request has: no schema edit."""
    import dataclasses

    from api import schema as keys
    from catalog import registry

    declared = registry.TYPES["mlmodel"]
    monkeypatch.setitem(
        registry.TYPES,
        "mlmodel",
        dataclasses.replace(declared, text_fields={**declared.text_fields, "training_notes": 99, "target": 77}),
    )
    monkeypatch.setitem(keys.CREATE_KEYS, "mlmodel", keys.CREATE_KEYS["mlmodel"] | {"trainingNotes"})
    properties = _schema()["components"]["schemas"]["CreateMlmodel"]["properties"]
    assert properties["trainingNotes"] == {"type": "string", "maxLength": 99}
    assert properties["target"] == {"type": "string", "maxLength": 77}


def test_parameters_carry_the_bounds_their_readers_check():
    from api import paging, search

    schema = _schema()
    by_name = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/mlmodels"]["get"]["parameters"]}
    assert by_name["limit"] == {"type": "integer", "minimum": 0, "maximum": paging.MAX_LIMIT}
    assert by_name["include"]["enum"] == ["non-deleted", "deleted", "all"]
    assert re.fullmatch(by_name["fields"]["pattern"], "owners,tags")
    assert not re.fullmatch(by_name["fields"]["pattern"], "owners,nonsense")
    found = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/search/query"]["get"]["parameters"]}
    assert found["q"]["maxLength"] == search.MAX_QUERY_LENGTH
    assert found["size"]["maximum"] == search.MAX_WINDOW
    path = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/mlmodels/{id}"]["get"]["parameters"]}
    assert path["id"] == {"type": "string", "format": "uuid"}


def test_a_connection_config_that_is_not_an_object_is_refused(as_editor):
    """Found by the fuzzer: ``{"config": [null]}`` was stored and then served against the schema."""
    response = as_editor.put(
        "/services/databaseServices", {"name": "db", "serviceType": "Mysql", "connection": {"config": [None]}}
    )
    assert response.status_code == 400
    assert error(response)["message"] == "connection.config: must be a JSON object"


def test_a_domain_that_is_no_reference_is_refused_naming_it(as_editor):
    """Found by the fuzzer: ``"domains": [5]`` was a 500."""
    response = as_editor.put("/services/databaseServices", {"name": "db", "serviceType": "Mysql", "domains": [5]})
    assert response.status_code == 400
    assert error(response)["message"] == "domains[0]: must be an entity reference"


def test_every_field_the_registry_declares_writable_has_a_described_shape():
    """A writable field the create request carries is never left as "any value" in the schema."""
    from api import openapi
    from api import schema as keys
    from api.entities import KINDS

    components = _schema()["components"]["schemas"]
    for kind in KINDS.values():
        properties = components["Create" + kind.type[0].upper() + kind.type[1:]]["properties"]
        for attribute in kind.declared.writable:
            top, *nested = openapi.json_name(attribute).split(".")
            if top not in keys.CREATE_KEYS[kind.type]:
                continue  # not part of a create request (followers are changed by their own endpoint)
            shape = properties[top]
            for key in nested:
                shape = shape["properties"][key]
            assert shape, (kind.type, attribute)


def test_every_list_a_write_holds_carries_its_bound():
    from api import patching
    from catalog.services import validation

    components = _schema()["components"]["schemas"]
    model = components["CreateMlmodel"]["properties"]
    most = {name: bound for name, (bound, _) in validation.MAX_ITEMS.items()}
    assert model["mlFeatures"]["maxItems"] == most["features"]
    assert model["mlFeatures"]["items"]["properties"]["featureSources"]["maxItems"] == most["sources"]
    assert model["mlHyperParameters"]["maxItems"] == most["hyperparameters"]
    assert model["owners"]["maxItems"] == most["owners"]
    assert model["tags"]["maxItems"] == most["tags"]
    assert components["CreateTable"]["properties"]["columns"]["maxItems"] == most["columns"]
    assert components["CreateTeam"]["properties"]["users"]["maxItems"] == most["users"]
    assert components["CreateUser"]["properties"]["teams"]["maxItems"] == most["teams"]
    assert components["JsonPatch"]["maxItems"] == patching.MAX_OPERATIONS


def test_model_versions_aliases_and_the_card_are_documented_with_the_keys_their_bodies_take():
    """Issue 12's resources: every route, and request keys that are exactly what the views read."""
    from api import modelversions
    from catalog.models import CARD_KEYS

    schema = _schema()
    one = "/api/v1/mlmodels/{id}/modelVersions/{number}"
    expected = {
        "/api/v1/mlmodels/{id}/modelVersions": {"get", "post"},
        one: {"get", "put", "patch", "delete"},
        f"{one}/status": {"put"},
        f"{one}/requests": {"post"},
        f"{one}/approve": {"post"},
        f"{one}/reject": {"post"},
        f"{one}/metrics": {"post"},
        "/api/v1/mlmodels/{id}/aliases": {"get"},
        "/api/v1/mlmodels/{id}/aliases/{alias}": {"put", "delete"},
        "/api/v1/mlmodels/{id}/modelCard": {"get", "put", "patch"},
        "/api/v1/mlmodels/name/{fqn}/modelVersions": {"get"},
        "/api/v1/mlmodels/name/{fqn}/modelVersions/{number}": {"get"},
        "/api/v1/mlmodels/name/{fqn}/aliases": {"get"},
        "/api/v1/mlmodels/name/{fqn}/modelCard": {"get"},
    }
    for path, methods in expected.items():
        assert set(schema["paths"][path]) == methods, path
    components = schema["components"]["schemas"]
    assert set(components["ModelVersionInput"]["properties"]) == modelversions.VERSION_KEYS
    assert set(components["ModelVersionPatch"]["properties"]) == modelversions.VERSION_KEYS
    assert set(components["ModelVersion"]["properties"]) == modelversions.VERSION_KEYS | set(
        modelversions.READ_ONLY_KEYS
    )
    assert (
        set(components["ModelCard"]["properties"]) == set(components["ModelCardInput"]["properties"]) == set(CARD_KEYS)
    )
    patch = schema["paths"][one]["patch"]
    assert set(patch["requestBody"]["content"]) == {"application/merge-patch+json", "application/json"}
    assert "412" in patch["responses"]
    assert {"201", "409"} <= set(schema["paths"]["/api/v1/mlmodels/{id}/modelVersions"]["post"]["responses"])
