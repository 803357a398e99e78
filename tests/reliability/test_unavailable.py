"""A database that is briefly unreachable answers 503 with Retry-After, never a bare 500.

The database goes away under real requests (see ``outage``): before the request, in the
middle of an API write, and after the view, while the session is saved.
"""

import socket

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.urls import reverse

from catalog.models import EntityVersion, MlFeature, MlModel, User
from catalog.services import mlmodels
from tests.api.conftest import ApiClient, error, put_service, token_for
from tests.ui.conftest import HTMX


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "back in a moment" in page
    assert "Traceback" not in page


def assert_unavailable_json(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "database is unavailable" in error(response)["message"]


@pytest.fixture
def api(editor):
    return ApiClient(token_for(editor))


def test_an_api_read_answers_json_503_with_retry_after(api, outage):
    outage.begin()
    assert_unavailable_json(api.get("/mlmodels"))


def test_an_api_read_on_a_closed_connection_answers_503_too(api, outage):
    outage.begin("InterfaceError")
    assert_unavailable_json(api.get("/mlmodels?limit=5"))


@pytest.mark.django_db(transaction=True)
def test_an_api_write_cut_off_halfway_answers_503_and_leaves_nothing(editor, outage):
    api = ApiClient(token_for(editor))
    put_service(api)
    # The model row is saved; the database goes away as its features are written.
    outage.during(mlmodels, "_set_features")

    response = api.put(
        "/mlmodels", {"name": "churn", "service": "models", "algorithm": "GLM", "mlFeatures": [{"name": "age"}]}
    )

    assert_unavailable_json(response)
    outage.end()
    assert not MlModel.objects.exists()
    assert not MlFeature.objects.exists()
    assert not EntityVersion.objects.filter(entity_type="mlmodel").exists()


def test_a_page_answers_the_friendly_503_page(client, editor, churn_model, outage):
    client.force_login(editor)
    outage.begin()
    assert_unavailable_page(client.get(reverse("mlmodel", args=[churn_model.pk])))


def test_an_htmx_fragment_answers_503_with_retry_after(client, editor, churn_model, outage):
    client.force_login(editor)
    outage.begin()
    response = client.get(reverse("lineage:node", args=["mlmodel", churn_model.pk]), {"upstream": 2}, **HTMX)
    assert_unavailable_page(response)


def test_a_lineage_svg_answers_503_with_retry_after(client, editor, churn_model, outage):
    client.force_login(editor)
    outage.begin()
    assert_unavailable_page(client.get(reverse("lineage:export", args=["mlmodel", churn_model.pk, "svg"])))


def test_a_page_write_answers_503_when_the_database_goes_away(client, editor, churn_model, outage):
    client.force_login(editor)
    outage.begin()
    response = client.post(reverse("mlmodel_follow", args=[churn_model.pk]), {"follow": "1"}, **HTMX)
    assert_unavailable_page(response)


@pytest.fixture
def signed_in(editor):
    """A signed-in browser. Errors raised outside a view are logged and handed to handler400/500, so
    the client returns their answer instead of raising them again."""
    browser = Client(raise_request_exception=False)
    browser.force_login(editor)
    return browser


def test_a_database_gone_while_the_session_is_saved_answers_503(settings, signed_in, outage):
    settings.SESSION_SAVE_EVERY_REQUEST = True
    outage.during(SessionStore, "save")
    # The page itself was rendered; its session could not be stored.
    assert_unavailable_page(signed_in.get(reverse("home")))


class ReadsTheDatabaseAfterTheView:
    """A middleware that writes down each request after its view ran (as an audit log would)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        self.write_down(request)
        return response

    def write_down(self, request):
        User.objects.filter(pk=request.user.pk).exists()


@pytest.fixture
def middleware_reading_the_database(settings):
    settings.MIDDLEWARE = [f"{__name__}.ReadsTheDatabaseAfterTheView", *settings.MIDDLEWARE]


def test_a_database_gone_in_another_middleware_answers_503(signed_in, middleware_reading_the_database, outage):
    outage.during(ReadsTheDatabaseAfterTheView, "write_down")
    assert_unavailable_page(signed_in.get(reverse("home")))


def test_any_other_failure_outside_a_view_is_still_a_500(settings, signed_in, monkeypatch):
    settings.SESSION_SAVE_EVERY_REQUEST = True

    def fail(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(SessionStore, "save", fail)
    response = signed_in.get(reverse("home"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_retry_after_delay_is_a_setting(settings, api, outage):
    settings.DATABASE_RETRY_AFTER = 30
    outage.begin()
    assert api.get("/mlmodels")["Retry-After"] == "30"


@pytest.fixture
def server_gone(transactional_db):
    """The connection is closed and the server no longer answers on its port (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server to lose: its test database lives in memory")
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    port = settings_dict["PORT"]
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        settings_dict["PORT"] = probe.getsockname()[1]
    connection.close()
    yield
    settings_dict["PORT"] = port
    connection.close()


def test_a_request_that_cannot_connect_answers_503(api, signed_in, server_gone):
    assert_unavailable_json(api.get("/mlmodels"))
    assert_unavailable_page(signed_in.get(reverse("home")))
