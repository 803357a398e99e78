"""The API's limits: cheap malformed or oversized input is a JSON 400 or 413 naming the limit, never a 500
(issue 11, findings 7 and 8), and nothing is written."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.parsing import MAX_DEPTH
from catalog.models import MlModel, MlModelService, User
from tests.api.conftest import API, error, put_model, put_service, put_table


def nested(depth: int, leaf="x"):
    """A JSON value with ``depth`` objects and lists inside each other."""
    value = leaf
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


def deep_text(depth: int) -> str:
    """The same as JSON text, built without Python recursion (json.dumps would hit its own limit)."""
    return "[" * depth + "1" + "]" * depth


def raw(api, method, path, text, content_type="application/json"):
    return getattr(api.client, method)(API + path, data=text, content_type=content_type)


# -- Nesting ---------------------------------------------------------------------------------------------------------

DEEP_PLACES = [
    ("put", "/services/mlmodelServices", lambda v: {"name": "svc", "serviceType": "Mlflow", "connection": v}),
    ("put", "/mlmodels", lambda v: {"name": "m", "service": "models", "algorithm": "a", "lifeCycle": v}),
    ("put", "/mlmodels", lambda v: {"name": "m", "service": "models", "mlFeatures": [{"name": "f", "tags": v}]}),
    ("put", "/tables", lambda v: {"name": "t", "databaseSchema": "warehouse.analytics.public", "columns": v}),
    ("put", "/lineage", lambda v: {"edge": {"lineageDetails": v}}),
    ("patch", "/mlmodels/{model}", lambda v: [{"op": "add", "path": "/description", "value": v}]),
]


@pytest.mark.parametrize(
    "method, path, place", DEEP_PLACES, ids=[f"{m} {p} #{i}" for i, (m, p, _) in enumerate(DEEP_PLACES)]
)
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_json_nested_deeper_than_the_limit_is_a_400_naming_it_wherever_it_is(as_editor, method, path, place, depth):
    put_service(as_editor)
    put_table(as_editor)
    model = put_model(as_editor, name="kept")
    # The marker is replaced by the deep value as text, so the body needs no recursion to build.
    body = json.dumps(place("MARKER")).replace('"MARKER"', deep_text(depth))
    content_type = "application/json-patch+json" if method == "patch" else "application/json"

    response = raw(as_editor, method, path.format(model=model["id"]), body, content_type)

    assert response.status_code == 400
    assert f"JSON nested deeper than {MAX_DEPTH} levels" in error(response)["message"]
    assert MlModel.objects.get().name == "kept"


def test_json_nested_to_the_limit_is_accepted(as_editor):
    # The body object is one level, "connection" and "config" two more.
    config = {"config": {"type": "Mlflow", "extra": nested(MAX_DEPTH - 3)}}
    response = as_editor.put(
        "/services/mlmodelServices", {"name": "svc", "serviceType": "Mlflow", "connection": config}
    )
    assert response.status_code == 201, response.content


def test_the_error_names_where_the_nesting_is_too_deep(as_editor):
    put_service(as_editor)
    body = {"name": "m", "service": "models", "mlFeatures": [{"name": "f", "tags": nested(MAX_DEPTH)}]}
    message = error(as_editor.put("/mlmodels", body))["message"]
    assert message.startswith("mlFeatures[0].tags")


# -- Size ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("megabytes", [10, 30])
def test_a_body_above_the_upload_limit_is_a_413_naming_it(as_editor, settings, megabytes):
    body = json.dumps({"name": "svc", "serviceType": "Mlflow", "description": "x" * (megabytes * 1024 * 1024)})

    response = raw(as_editor, "put", "/services/mlmodelServices", body)

    assert response.status_code == 413
    message = error(response)["message"]
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes" in message
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in message
    assert not MlModelService.objects.exists()


def test_a_body_within_the_upload_limit_is_read(as_editor, settings):
    description = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 1024)
    response = as_editor.put(
        "/services/mlmodelServices", {"name": "svc", "serviceType": "Mlflow", "description": description}
    )
    assert response.status_code == 201


def test_a_body_above_the_limit_is_a_413_for_a_browser_session_too(editor):
    client = Client()
    client.force_login(editor)
    body = json.dumps({"name": "svc", "serviceType": "Mlflow", "description": "x" * (10 * 1024 * 1024)})
    response = client.put(f"{API}/services/mlmodelServices", body, content_type="application/json")
    assert response.status_code == 413
    error(response)


# -- Values JSON allows that nothing can keep -----------------------------------------------------------------------


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_a_number_out_of_range_or_not_a_number_is_a_400(as_editor, number):
    body = '{"name": "svc", "serviceType": "Mlflow", "connection": {"config": {"port": NUMBER}}}'.replace(
        "NUMBER", number
    )
    response = raw(as_editor, "put", "/services/mlmodelServices", body)
    assert response.status_code == 400
    assert number.lstrip("-") in error(response)["message"]
    assert not MlModelService.objects.exists()


@pytest.mark.parametrize(
    "body, where",
    [
        ('{"name": "svc\\ud800", "serviceType": "Mlflow"}', "name"),
        ('{"name": "svc", "serviceType": "Mlflow", "description": "\\udfff alone"}', "description"),
        ('{"name": "svc", "serviceType": "Mlflow", "connection": {"config": {"\\ud800": 1}}}', "connection.config"),
        ('{"name": "svc", "serviceType": "Mlflow", "tags": [{"tagFQN": "a\\ud800"}]}', "tags[0].tagFQN"),
    ],
)
def test_a_lone_surrogate_is_a_400_naming_where(as_editor, body, where):
    response = raw(as_editor, "put", "/services/mlmodelServices", body)
    assert response.status_code == 400
    assert error(response)["message"].startswith(f"{where}")
    assert "surrogate" in error(response)["message"]
    assert not MlModelService.objects.exists()


def test_a_lone_surrogate_a_charset_decodes_to_is_refused_like_its_escape(as_editor):
    # unicode_escape turns the bytes \ud800 into the character itself, with no JSON escape left to see.
    body = b'{"name": "svc\\ud800", "serviceType": "Mlflow"}'
    response = raw(
        as_editor, "put", "/services/mlmodelServices", body, content_type="application/json; charset=unicode_escape"
    )
    assert response.status_code == 400
    assert error(response)["message"].startswith("name")
    assert "surrogate" in error(response)["message"]
    assert not MlModelService.objects.exists()


def test_a_surrogate_pair_is_a_character_like_any_other(as_editor):
    response = raw(
        as_editor, "put", "/services/mlmodelServices", '{"name": "svc-\\ud83d\\ude00", "serviceType": "Mlflow"}'
    )
    assert response.status_code == 201
    assert MlModelService.objects.get().name == "svc-\U0001f600"


@pytest.mark.parametrize(
    "method, path, body, where",
    [
        ("put", "/services/mlmodelServices", {"connection": {"config": {"a\x00": 1}}}, "connection.config"),
        (
            "put",
            "/services/mlmodelServices",
            {"connection": {"config": {"uri": ["a\x00b"]}}},
            "connection.config.uri[0]",
        ),
        ("put", "/mlmodels", {"lifeCycle": {"created": "\x00"}}, "lifeCycle.created"),
        ("put", "/mlmodels", {"tags": [{"tagFQN": "PII.\x00"}]}, "tags[0].tagFQN"),
        ("put", "/lineage", {"edge": {"description": "\x00"}}, "edge.description"),
        ("patch", "/mlmodels/{model}", [{"op": "add", "path": "/description", "value": "\x00"}], "[0].value"),
    ],
)
def test_a_nul_character_anywhere_in_a_body_is_a_400_on_every_database(as_editor, method, path, body, where):
    put_service(as_editor)
    model = put_model(as_editor, name="kept")
    if path == "/services/mlmodelServices":
        body = {"name": "svc", "serviceType": "Mlflow", **body}
    elif path == "/mlmodels":
        body = {"name": "m", "service": "models", "algorithm": "a", **body}
    response = getattr(as_editor, method)(path.format(model=model["id"]), body)
    assert response.status_code == 400
    assert error(response)["message"] == f"{where}: Must not contain NUL characters."
    assert MlModel.objects.get().description == ""


# -- User names: the check is the column's ---------------------------------------------------------------------------


@pytest.mark.parametrize("length", [151, 200, 256])
def test_a_user_name_longer_than_its_column_is_a_400(as_admin, length):
    response = as_admin.put("/users", {"name": "u" * length, "email": "u@example.com"})
    assert response.status_code == 400
    assert error(response)["message"] == "name: Must be at most 150 characters."
    assert not User.objects.filter(email="u@example.com").exists()


def test_a_user_name_as_long_as_its_column_is_kept(as_admin):
    response = as_admin.put("/users", {"name": "u" * 150, "email": "u@example.com"})
    assert response.status_code == 201
    assert User.objects.get(email="u@example.com").username == "u" * 150


# -- Lists in a body: bounded before anything in them is looked up ----------------------------------------------------

TABLE = {"name": "wide", "databaseSchema": "warehouse.analytics.public"}
MODEL = {"name": "m", "service": "models", "algorithm": "a"}
UUID = "00000000-0000-4000-8000-000000000000"


def many(count, item):
    return [item(i) for i in range(count)]


LIST_BOUNDS = [
    ("/tables", {**TABLE, "columns": many(1_001, lambda i: {"name": f"c{i}", "dataType": "INT"})}, "columns", 1_000),
    (
        "/tables",
        {**TABLE, "columns": [{"name": "c", "dataType": "INT", "tags": many(201, lambda i: {"tagFQN": f"T.t{i}"})}]},
        "columns[0].tags",
        200,
    ),
    ("/mlmodels", {**MODEL, "mlFeatures": many(1_001, lambda i: {"name": f"f{i}"})}, "mlFeatures", 1_000),
    (
        "/mlmodels",
        {**MODEL, "mlFeatures": [{"name": "f", "featureSources": many(101, lambda i: {"name": f"s{i}"})}]},
        "mlFeatures[0].featureSources",
        100,
    ),
    (
        "/mlmodels",
        {**MODEL, "mlFeatures": [{"name": "f", "tags": many(201, lambda i: {"tagFQN": f"T.t{i}"})}]},
        "mlFeatures[0].tags",
        200,
    ),
    (
        "/mlmodels",
        {
            **MODEL,
            "mlFeatures": [
                {"name": "f", "featureSources": [{"name": "s", "tags": many(201, lambda i: {"tagFQN": f"T.t{i}"})}]}
            ],
        },
        "mlFeatures[0].featureSources[0].tags",
        200,
    ),
    (
        "/mlmodels",
        {
            **MODEL,
            "mlFeatures": many(
                21,
                lambda f: {"name": f"f{f}", "featureSources": many(100 - (f == 20) * 99, lambda i: {"name": f"s{i}"})},
            ),
        },
        "mlFeatures",
        2_000,
    ),
    ("/mlmodels", {**MODEL, "mlHyperParameters": many(1_001, lambda i: {"name": f"p{i}"})}, "mlHyperParameters", 1_000),
    ("/mlmodels", {**MODEL, "tags": many(201, lambda i: {"tagFQN": f"T.t{i}"})}, "tags", 200),
    ("/mlmodels", {**MODEL, "owners": many(101, lambda i: {"id": UUID, "type": "user"})}, "owners", 100),
    ("/dashboards", {"name": "d", "service": "bi", "tags": many(201, lambda i: {"tagFQN": f"T.t{i}"})}, "tags", 200),
    (
        "/services/mlmodelServices",
        {"name": "s", "serviceType": "Mlflow", "owners": many(101, lambda i: {"id": UUID, "type": "team"})},
        "owners",
        100,
    ),
    ("/teams", {"name": "t", "users": many(5_001, lambda i: UUID)}, "users", 5_000),
    ("/users", {"name": "u", "email": "u@example.com", "teams": many(1_001, lambda i: UUID)}, "teams", 1_000),
]


@pytest.mark.parametrize("path, body, field, bound", LIST_BOUNDS, ids=[f"{p} {f}" for p, _, f, _ in LIST_BOUNDS])
def test_a_list_above_its_bound_is_a_400_naming_the_field_and_the_bound(as_admin, path, body, field, bound):
    put_service(as_admin)
    put_table(as_admin)
    as_admin.put("/services/dashboardServices", {"name": "bi", "serviceType": "Superset"})
    before = MlModel.objects.count(), User.objects.count()

    response = as_admin.put(path, body)

    assert response.status_code == 400
    message = error(response)["message"]
    assert message.startswith(f"{field}: At most {bound:,} ")
    assert message.endswith(f"are allowed; {bound + 1:,} were given.")
    assert (MlModel.objects.count(), User.objects.count()) == before


def test_a_list_at_its_bound_is_kept(as_editor):
    put_table(as_editor)
    columns = many(1_000, lambda i: {"name": f"c{i}", "dataType": "INT"})
    response = as_editor.put("/tables", {**TABLE, "columns": columns})
    assert response.status_code == 201
    assert len(response.json()["columns"]) == 1_000


def test_a_model_with_as_many_sources_as_it_may_hold_is_kept(as_editor):
    put_service(as_editor)
    features = many(20, lambda f: {"name": f"f{f}", "featureSources": many(100, lambda i: {"name": f"s{i}"})})
    response = as_editor.put("/mlmodels", {**MODEL, "mlFeatures": features})
    assert response.status_code == 201
    assert sum(len(feature["featureSources"]) for feature in response.json()["mlFeatures"]) == 2_000


def test_a_bound_holds_for_what_a_json_patch_leaves_too(as_editor):
    put_service(as_editor)
    model = put_model(as_editor, mlHyperParameters=[{"name": "first"}])
    operations = [{"op": "add", "path": "/mlHyperParameters/-", "value": {"name": f"p{i}"}} for i in range(1_000)]
    response = as_editor.patch(f"/mlmodels/{model['id']}", operations)
    assert response.status_code == 400
    assert error(response)["message"].startswith("mlHyperParameters: At most 1,000 hyperparameters")


def test_a_json_patch_with_too_many_operations_is_a_400_naming_the_bound(as_editor):
    put_service(as_editor)
    model = put_model(as_editor)
    operations = [{"op": "test", "path": "/name", "value": "churn"}] * 10_001
    response = as_editor.patch(f"/mlmodels/{model['id']}", operations)
    assert response.status_code == 400
    assert error(response)["message"] == "body: At most 10,000 JSON Patch operations are allowed; 10,001 were given."


def test_column_lineage_is_bounded_and_checked_in_a_few_queries(as_editor, django_assert_max_num_queries):
    put_service(as_editor)
    table = put_table(as_editor)
    model = put_model(as_editor)
    edge = {"fromEntity": {"id": table["id"], "type": "table"}, "toEntity": {"id": model["id"], "type": "mlmodel"}}
    column = f"{table['fullyQualifiedName']}.age"
    too_many = {"columnsLineage": [{"fromColumns": [column] * 1_001}]}
    response = as_editor.put("/lineage", {"edge": {**edge, "lineageDetails": too_many}})
    assert error(response)["message"].startswith("lineageDetails.columnsLineage[0].fromColumns: At most 1,000 columns")
    many_mappings = {"columnsLineage": [{"fromColumns": [column]}] * 1_000}
    with django_assert_max_num_queries(40):
        assert as_editor.put("/lineage", {"edge": {**edge, "lineageDetails": many_mappings}}).status_code == 200


# -- The page size ---------------------------------------------------------------------------------------------------


def test_a_page_larger_than_the_bound_is_a_400_naming_limit(as_editor):
    response = as_editor.get("/mlmodels?limit=1001")
    assert response.status_code == 400
    assert error(response)["message"] == "limit: must be a whole number from 0 to 1,000"
    assert as_editor.get("/mlmodels?limit=1000").status_code == 200


def test_a_team_of_hundreds_of_members_costs_about_the_queries_of_a_team_of_three(as_admin):
    counts = []
    for size in (3, 300):
        members = [User.objects.create_user(f"member{size}-{i}") for i in range(size)]
        body = {"name": f"team{size}", "teamType": "Group", "users": [str(member.pk) for member in members]}
        with CaptureQueriesContext(connection) as queries:
            response = as_admin.put("/teams", body)
        assert response.status_code == 201, response.content
        assert len(response.json()["users"]) == size
        counts.append(len(queries))

    few, hundreds = counts
    assert hundreds <= few + 5, f"{few} queries for 3 members, {hundreds} for 300"
