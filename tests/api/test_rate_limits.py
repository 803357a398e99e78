"""API rate limits (issue 11, finding 4): per token, per address, and on guessed tokens, answered 429 JSON."""

import functools
import runpy
import secrets

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import config.settings
from api import throttles
from api.models import RequestCount
from catalog.models import ApiToken
from tests.api.conftest import API, ApiClient, error, token_for

#: Ten seconds into a one-minute window, held still so no test straddles two windows.
NOW = 1_800_000_000.0 - 1_800_000_000.0 % 60 + 10


@pytest.fixture
def clock(db, monkeypatch):
    """The limits' clock, stopped at :data:`NOW`; ``clock.move(s)`` moves it on."""

    class Clock:
        now = NOW

        def move(self, seconds):
            self.now += seconds

    stopped = Clock()
    monkeypatch.setattr(throttles, "clock", lambda: stopped.now)
    return stopped


@functools.cache
def _client(address):
    return Client(REMOTE_ADDR=address)


def call(address, path, token=None):
    """GET ``API + path`` from ``address`` (one client per address: building a client costs more than a request)."""
    return _client(address).get(API + path, **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}))


def assert_too_many(response, retry_after):
    assert response.status_code == 429
    assert error(response)["message"].lower().startswith("too many requests")
    assert response["Retry-After"] == str(retry_after)


def test_a_token_over_its_limit_gets_429_json_with_retry_after_and_others_do_not(clock, settings, editor, viewer):
    settings.API_RATE_LIMIT_USER = "5/min"
    api = ApiClient(token_for(editor))
    for _ in range(5):
        assert api.get("/mlmodels").status_code == 200

    assert_too_many(api.get("/mlmodels"), retry_after=50)
    assert_too_many(ApiClient(token_for(editor)).get("/mlmodels"), retry_after=50)  # per user, whichever token
    assert ApiClient(token_for(viewer)).get("/mlmodels").status_code == 200

    clock.move(50)  # the next window
    assert api.get("/mlmodels").status_code == 200


def test_300_calls_in_a_burst_get_429_past_the_limit(clock, settings, editor):
    settings.API_RATE_LIMIT_USER = "100/min"
    api = ApiClient(token_for(editor))
    statuses = [api.get("/system/version").status_code for _ in range(300)]
    assert statuses == [200] * 100 + [429] * 200


def test_300_guessed_tokens_get_429_after_100_failures_even_for_the_right_token(clock, settings, editor):
    settings.API_RATE_LIMIT_FAILED_AUTH = "100/min"
    statuses = [call("203.0.113.7", "/mlmodels", f"mat_{secrets.token_urlsafe(32)}") for _ in range(300)]

    assert [r.status_code for r in statuses] == [401] * 100 + [429] * 200
    assert_too_many(statuses[-1], retry_after=50)
    # The guesser learns nothing more, not even from a right token; another address is not held back.
    raw = token_for(editor)
    assert call("203.0.113.7", "/mlmodels", raw).status_code == 429
    assert call("198.51.100.9", "/mlmodels", raw).status_code == 200


def test_anonymous_calls_are_limited_per_address(clock, settings):
    settings.API_RATE_LIMIT_ANON = "3/min"
    for _ in range(3):
        assert call("203.0.113.7", "/openapi.json").status_code == 200

    assert_too_many(call("203.0.113.7", "/openapi.json"), retry_after=50)
    assert call("198.51.100.9", "/openapi.json").status_code == 200


def test_the_address_is_the_one_a_trusted_proxy_forwarded_and_never_a_clients_own_header(clock, settings):
    settings.API_RATE_LIMIT_ANON = "1/min"
    spoofing = Client(REMOTE_ADDR="203.0.113.7")
    assert spoofing.get(f"{API}/openapi.json", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 200
    assert spoofing.get(f"{API}/openapi.json", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429

    settings.TRUSTED_PROXIES = ["203.0.113.0/24"]
    assert spoofing.get(f"{API}/openapi.json", HTTP_X_FORWARDED_FOR="192.0.2.3").status_code == 200


def test_an_empty_limit_turns_it_off(clock, settings, editor):
    settings.API_RATE_LIMIT_USER = ""
    api = ApiClient(token_for(editor))
    assert {api.get("/system/version").status_code for _ in range(20)} == {200}


def test_the_limits_are_on_by_default_at_a_generous_rate(monkeypatch):
    for name in ("API_RATE_LIMIT_USER", "API_RATE_LIMIT_ANON", "API_RATE_LIMIT_FAILED_AUTH"):
        monkeypatch.delenv(name, raising=False)
    defaults = runpy.run_path(
        config.settings.__file__
    )  # the settings as a deployment without these variables reads them
    assert (defaults["API_RATE_LIMIT_USER"], defaults["API_RATE_LIMIT_ANON"]) == ("6000/min", "600/min")
    assert defaults["API_RATE_LIMIT_FAILED_AUTH"] == "100/min"
    assert "api.throttles.PerUser" in defaults["REST_FRAMEWORK"]["DEFAULT_THROTTLE_CLASSES"]


def test_the_version_answer_is_not_limited_for_anonymous_callers_and_reads_no_database(
    clock, settings, django_assert_num_queries
):
    settings.API_RATE_LIMIT_ANON = "1/min"
    with django_assert_num_queries(0):
        assert {call("203.0.113.7", "/system/version").status_code for _ in range(3)} == {200}


# -- What the limits cost --------------------------------------------------------------------------------------------


def rate_limit_statements(queries):
    return [q["sql"] for q in queries if RequestCount._meta.db_table in q["sql"]]


def test_a_call_with_a_token_counts_its_limits_in_one_statement(clock, settings, editor):
    settings.API_RATE_LIMIT_USER, settings.API_RATE_LIMIT_FAILED_AUTH = "6000/min", "100/min"
    api = ApiClient(token_for(editor))
    api.get("/system/version")  # the token's first use writes when it was used; later calls do not
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/system/version").status_code == 200

    assert len(rate_limit_statements(queries)) == 1


def test_a_call_with_a_token_costs_the_queries_it_cost_with_the_limits_off_on_postgresql(clock, settings, editor):
    settings.API_RATE_LIMIT_USER, settings.API_RATE_LIMIT_FAILED_AUTH = "6000/min", "100/min"
    api = ApiClient(token_for(editor))
    api.get("/system/version")
    with CaptureQueriesContext(connection) as limited:
        api.get("/system/version")
    settings.API_RATE_LIMIT_USER = settings.API_RATE_LIMIT_FAILED_AUTH = ""
    with CaptureQueriesContext(connection) as unlimited:
        api.get("/system/version")

    # PostgreSQL counts in the token look-up's statement; SQLite, with no data-modifying WITH query, in one more.
    assert len(limited) == len(unlimited) + (0 if connection.vendor == "postgresql" else 1)


def test_getting_a_model_by_name_with_a_token_under_the_default_limits_costs_two_queries_on_postgresql(
    clock, settings, editor, churn_model, django_assert_num_queries
):
    settings.API_RATE_LIMIT_USER, settings.API_RATE_LIMIT_FAILED_AUTH = "6000/min", "100/min"
    api = ApiClient(token_for(editor))
    api.get(f"/mlmodels/name/{churn_model.fqn}")
    # The token with its user and the counts, then the model's stored document (SQLite: the counts apart).
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        assert api.get(f"/mlmodels/name/{churn_model.fqn}").status_code == 200


def test_calls_with_a_revoked_token_count_against_the_address_and_not_the_tokens_user(clock, settings, editor):
    settings.API_RATE_LIMIT_USER, settings.API_RATE_LIMIT_FAILED_AUTH = "3/min", "100/min"
    revoked, raw = ApiToken.issue(editor, "old")
    revoked.revoke()
    assert {call("203.0.113.7", "/mlmodels", raw).status_code for _ in range(5)} == {401}

    api = ApiClient(token_for(editor))
    assert [api.get("/mlmodels").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert RequestCount.objects.get(key="failed-auth:203.0.113.7").hits == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="UNLOGGED is PostgreSQL's")
def test_the_counts_write_no_write_ahead_log_on_postgresql(db):
    # Each token call writes its count; in an unlogged table its commit need not wait for a WAL flush.
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", [RequestCount._meta.db_table])
        assert cursor.fetchone() == ("u",)
