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
