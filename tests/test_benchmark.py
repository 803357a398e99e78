"""The benchmark's own parts: query counting, the floor, the PUT body it sends, its statistics and request loop."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from benchmark import plans, scenarios
from benchmark.measure import NOT_AVAILABLE, Figure, measure, percentile
from catalog import representations
from catalog.models import ApiToken, MlModel

BENCHMARK_SETTINGS = {
    "MIDDLEWARE": ["benchmark.middleware.QueryCountMiddleware", *settings.MIDDLEWARE],
    "ROOT_URLCONF": "benchmark.urls",
}


@pytest.fixture
def token(editor):
    return ApiToken.issue(editor, "test")[1]


@override_settings(**BENCHMARK_SETTINGS)
def test_the_floor_answers_without_touching_the_database(client):
    response = client.get("/_benchmark/floor")
    assert response.status_code == 200
    assert response["X-Query-Count"] == "0"


def test_the_floor_does_not_exist_on_a_normal_server(client):
    assert client.get("/_benchmark/floor").status_code == 404


@override_settings(**BENCHMARK_SETTINGS)
def test_every_response_says_how_many_queries_it_took(client, churn_model, token):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/mlmodels?limit=10&fields=owners,tags", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) == len(queries) > 0


@override_settings(**BENCHMARK_SETTINGS)
def test_the_app_keeps_its_pages_under_the_benchmark_urlconf(client, churn_model, token):
    response = client.get(f"/api/v1/mlmodels/name/{churn_model.fqn}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["name"] == "churn"


def test_the_put_body_sent_back_unchanged_records_no_version(client, churn_model, token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    entity = client.get(f"/api/v1/mlmodels/name/{churn_model.fqn}?fields=owners,tags,dashboard", **auth).json()
    body = scenarios.create_request(entity, entity.get("description", ""))
    response = client.put("/api/v1/mlmodels", json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert MlModel.objects.get(pk=churn_model.pk).version == churn_model.version


def test_the_put_body_with_a_new_description_changes_only_the_description(client, churn_model, token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = representations.snapshot(MlModel.objects.get(pk=churn_model.pk))
    entity = client.get(f"/api/v1/mlmodels/name/{churn_model.fqn}?fields=owners,tags,dashboard", **auth).json()
    body = scenarios.create_request(entity, "Benchmark update 1.")
    response = client.put("/api/v1/mlmodels", json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    after = representations.snapshot(MlModel.objects.get(pk=churn_model.pk))
    assert after["description"] == "Benchmark update 1."
    assert after["version"] == round(before["version"] + 0.1, 1)
    assert after["mlFeatures"] == before["mlFeatures"]
    assert after["owners"] == before["owners"]


def test_the_95th_percentile_is_the_nearest_rank():
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([5, 1, 4, 2, 3], 0.5) == 3


class FakeServer(BaseHTTPRequestHandler):
    """Answers /ok with a query count, anything else with 404, and /broken with 500."""

    def do_GET(self):
        status = {"/ok": 200, "/broken": 500}.get(self.path, 404)
        self.send_response(status)
        self.send_header("X-Query-Count", "3")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_scenario_records_latencies_and_query_counts_after_warming_up(fake_port):
    figure = measure(
        Figure("ok", "OK"), fake_port, lambda i: ("GET", "/ok", None, {}), requests=6, warmup=2, budget_s=30
    )
    assert figure.ok
    assert len(figure.samples) == 6
    assert figure.query_text == "3"


def test_a_page_that_does_not_exist_yet_is_reported_not_available(fake_port):
    figure = measure(
        Figure("missing", "Missing"), fake_port, lambda i: ("GET", "/nope", None, {}), requests=3, warmup=0, budget_s=30
    )
    assert figure.status == NOT_AVAILABLE
    assert not figure.ok


def test_a_failing_page_stops_its_scenario_with_the_status(fake_port):
    figure = measure(
        Figure("broken", "Broken"), fake_port, lambda i: ("GET", "/broken", None, {}), requests=3, warmup=0, budget_s=30
    )
    assert figure.status.startswith("error: HTTP 500")


def test_a_plan_check_names_the_big_tables_read_from_start_to_end():
    plan = {
        "Node Type": "Hash Join",
        "Plans": [
            {"Node Type": "Seq Scan", "Relation Name": "catalog_featuresource"},
            {"Node Type": "Bitmap Heap Scan", "Relation Name": "catalog_mlfeature"},
            {"Node Type": "Seq Scan", "Relation Name": "catalog_tag"},
        ],
    }
    assert plans.scanned_tables(plan, {"catalog_featuresource", "catalog_mlfeature"}) == {"catalog_featuresource"}


def test_the_model_version_scenarios_ask_for_the_agreed_pages_or_are_skipped_until_they_exist(churn_model, owner):
    from django.urls import NoReverseMatch, reverse

    from benchmark import scenarios
    from catalog.services import modelversions

    for number in (1, 2, 3):
        modelversions.save_model_version(churn_model, number, owner, description=f"Version {number}.")
    targets = scenarios.pick_targets(cold_count=1)
    assert targets.model_versions == [1, 2, 3]
    creds = scenarios.sign_in()
    by_key = {s.key: s for s in scenarios.scenarios(targets, creds, None, "test")}
    for key, name in (("model_versions_compare", "model_version_compare"), ("model_card", "mlmodel_card")):
        try:
            path = reverse(name, args=[churn_model.pk])
        except NoReverseMatch:
            assert by_key[key].make is None
        else:
            assert by_key[key].make(0)[1].startswith(path)
    compare = by_key["model_versions_compare"]
    if compare.make is not None:
        assert compare.make(0)[1].endswith("?v=1&v=2&v=3")
    api = by_key["api_model_versions"]
    if api.make is not None:
        assert api.make(0)[1] == f"/api/v1/mlmodels/{churn_model.pk}/modelVersions"
