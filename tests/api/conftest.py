"""Fixtures of the API tests: JSON clients acting as each persona, and catalogue builders."""

import json

import pytest
from django.test import Client

from catalog.models import ApiToken

API = "/api/v1"


class ApiClient:
    """A Django test client that speaks JSON to /api/v1 with a Bearer token (or none).

    It checks CSRF as a real server does (Django's test client skips it by default), so a
    route that would answer a program with Django's CSRF page fails its tests.
    """

    def __init__(self, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = Client(headers=headers, enforce_csrf_checks=True)

    def _call(self, method, path, body=None, content_type="application/json", **extra):
        kwargs = {}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = content_type
        return getattr(self.client, method)(API + path, **kwargs, **extra)

    def get(self, path, **extra):
        return self.client.get(API + path, **extra)

    def put(self, path, body=None, **kw):
        return self._call("put", path, body, **kw)

    def post(self, path, body=None, **kw):
        return self._call("post", path, body, **kw)

    def patch(self, path, operations, **kw):
        return self._call("patch", path, operations, content_type="application/json-patch+json", **kw)

    def merge(self, path, body, **kw):
        """PATCH with an RFC 7386 merge patch (model versions and model cards take these)."""
        return self._call("patch", path, body, content_type="application/merge-patch+json", **kw)

    def delete(self, path, **extra):
        return self.client.delete(API + path, **extra)


def token_for(user) -> str:
    return ApiToken.issue(user, "tests")[1]


@pytest.fixture
def as_editor(editor):
    return ApiClient(token_for(editor))


@pytest.fixture
def as_viewer(viewer):
    return ApiClient(token_for(viewer))


@pytest.fixture
def as_owner(owner):
    return ApiClient(token_for(owner))


@pytest.fixture
def as_admin(admin_user):
    return ApiClient(token_for(admin_user))


@pytest.fixture
def anonymous(db):
    return ApiClient()


@pytest.fixture
def metadata(live_server, editor):
    """The OpenMetadata SDK connected to the live server as the editor (imported here only when used)."""
    from tests.api.sdk import connect

    return connect(live_server, editor)


@pytest.fixture
def admin_metadata(live_server, admin_user):
    """The SDK as an administrator: users and teams are an administrator's, in OpenMetadata as here."""
    from tests.api.sdk import connect

    return connect(live_server, admin_user)


def error(response) -> dict:
    """Return an error body, checking it has OpenMetadata's shape and the HTTP status as code."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "message"}, body
    assert body["code"] == response.status_code
    return body


def put_service(api, name="models", service_type="Mlflow"):
    response = api.put("/services/mlmodelServices", {"name": name, "serviceType": service_type})
    assert response.status_code in (200, 201), response.content
    return response.json()


def put_model(api, service="models", name="churn", **extra):
    response = api.put("/mlmodels", {"name": name, "service": service, "algorithm": "XGBoost", **extra})
    assert response.status_code in (200, 201), response.content
    return response.json()


def put_table(api, *, service="warehouse", database="analytics", schema="public", name="customers", columns=None):
    api.put("/services/databaseServices", {"name": service, "serviceType": "Postgres"})
    database_fqn = api.put("/databases", {"name": database, "service": service}).json()["fullyQualifiedName"]
    schema_fqn = api.put("/databaseSchemas", {"name": schema, "database": database_fqn}).json()["fullyQualifiedName"]
    columns = columns or [{"name": "customer_id", "dataType": "BIGINT"}, {"name": "age", "dataType": "INT"}]
    response = api.put("/tables", {"name": name, "databaseSchema": schema_fqn, "columns": columns})
    assert response.status_code in (200, 201), response.content
    return response.json()
