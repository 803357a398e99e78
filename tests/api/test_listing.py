"""Lists: cursor paging, ``fields``, ``include``, parent filters, and a constant number of queries."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import MlModelService
from catalog.services import mlmodels
from tests.api.conftest import error, put_model, put_service
from tests.conftest import make


@pytest.fixture
def eight_models(as_editor):
    put_service(as_editor)
    names = [f"model-{i}" for i in range(8)]
    for name in reversed(names):
        put_model(as_editor, name=name)
    return names


def test_pages_follow_the_after_cursor_to_the_end(as_editor, eight_models):
    seen, after = [], None
    while True:
        page = as_editor.get("/mlmodels?limit=3" + (f"&after={after}" if after else "")).json()
        assert page["paging"]["total"] == 8
        seen += [m["name"] for m in page["data"]]
        after = page["paging"].get("after")
        if not after:
            break
    assert seen == eight_models


def test_the_before_cursor_leads_back_to_the_previous_page(as_editor, eight_models):
    first = as_editor.get("/mlmodels?limit=3").json()
    second = as_editor.get(f"/mlmodels?limit=3&after={first['paging']['after']}").json()
    back = as_editor.get(f"/mlmodels?limit=3&before={second['paging']['before']}").json()
    assert "before" not in first["paging"]
    assert [m["name"] for m in back["data"]] == eight_models[:3]
    assert "before" not in back["paging"]
    assert back["paging"]["after"]


def test_cursors_are_url_safe(as_editor):
    put_service(as_editor)
    for name in ("a/b+c", "??>>", "ü&#x"):
        put_model(as_editor, name=name)
    cursor = as_editor.get("/mlmodels?limit=1").json()["paging"]["after"]
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


@pytest.mark.parametrize(
    "query, message",
    [
        ("limit=-1", "limit: must be a whole number from 0 to 1,000"),
        ("limit=ten", "limit: must be a whole number from 0 to 1,000"),
        ("after=!!!", "after: not a valid paging cursor"),
        ("after=x&before=y", "Only one of before or after may be given"),
        ("include=everything", "include: 'everything' is not one of non-deleted, deleted, all"),
    ],
)
def test_bad_paging_parameters_are_400s(as_editor, query, message):
    response = as_editor.get(f"/mlmodels?{query}")
    assert response.status_code == 400
    assert error(response)["message"] == message


def test_limit_zero_answers_only_the_total(as_editor, eight_models):
    page = as_editor.get("/mlmodels?limit=0").json()
    assert page == {"data": [], "paging": {"total": 8}}


def test_the_default_page_has_ten_entities(as_editor):
    put_service(as_editor)
    for i in range(12):
        put_model(as_editor, name=f"m{i:02d}")
    assert len(as_editor.get("/mlmodels").json()["data"]) == 10


def test_include_selects_live_deleted_or_all(as_editor, eight_models):
    first = as_editor.get("/mlmodels/name/models.model-0").json()
    as_editor.delete(f"/mlmodels/{first['id']}")
    assert as_editor.get("/mlmodels?limit=100").json()["paging"]["total"] == 7
    deleted = as_editor.get("/mlmodels?include=deleted").json()
    assert [m["name"] for m in deleted["data"]] == ["model-0"]
    assert as_editor.get("/mlmodels?include=all").json()["paging"]["total"] == 8


def test_relation_fields_appear_only_when_asked_for(as_editor, owner):
    put_service(as_editor)
    model = put_model(as_editor, owners=[{"id": str(owner.pk), "type": "user"}])
    plain = as_editor.get(f"/mlmodels/{model['id']}").json()
    asked = as_editor.get(f"/mlmodels/{model['id']}?fields=owners,followers,tags").json()
    for key in ("owners", "followers", "tags", "dashboard", "domains", "votes"):
        assert key not in plain
    assert [o["name"] for o in asked["owners"]] == ["olivia"]
    assert asked["followers"] == []
    assert asked["tags"] == []


def test_lists_filter_by_parent_fqn(as_editor):
    put_service(as_editor, name="one")
    put_service(as_editor, name="two.dotted")
    put_model(as_editor, service="one", name="a")
    put_model(as_editor, service='"two.dotted"', name="b")
    assert [m["name"] for m in as_editor.get("/mlmodels?service=one").json()["data"]] == ["a"]
    assert [m["name"] for m in as_editor.get("/mlmodels?service=%22two.dotted%22").json()["data"]] == ["b"]
    assert as_editor.get("/mlmodels?service=nowhere").json() == {"data": [], "paging": {"total": 0}}


def test_tables_filter_by_database_and_schema(as_editor):
    from tests.api.conftest import put_table

    put_table(as_editor, schema="public", name="t1")
    put_table(as_editor, schema="staging", name="t2")
    by_schema = as_editor.get("/tables?databaseSchema=warehouse.analytics.staging").json()["data"]
    by_database = as_editor.get("/tables?database=warehouse.analytics").json()["data"]
    assert [t["name"] for t in by_schema] == ["t2"]
    assert [t["name"] for t in by_database] == ["t1", "t2"]


def _catalogue(count, warehouse, dashboard, users, tags):
    service = MlModelService.objects.first() or make(MlModelService(name="bulk", service_type="Mlflow"))
    columns = list(warehouse["customers"].columns.all())
    start = service.mlmodels.count()
    for i in range(start, start + count):
        model = mlmodels.create_mlmodel(
            service,
            f"model-{i:03d}",
            "test",
            algorithm="GLM",
            owners=users[: 1 + i % 2],
            followers=users[1:],
            tags=tags,
            dashboard=dashboard,
            features=[
                mlmodels.FeatureSpec(
                    name=f"f{j}",
                    data_type="numerical",
                    tags=tags[:1],
                    sources=[mlmodels.SourceSpec(name=c.name, column=c, tags=tags[1:]) for c in columns[:2]],
                )
                for j in range(2)
            ],
            hyperparameters=[mlmodels.HyperParameterSpec(name="depth", value=str(i))],
        ).entity
        assert model.pk


def test_listing_a_page_of_models_with_relations_costs_a_constant_number_of_queries(
    as_editor, warehouse, dashboard, owner, editor, viewer, pii
):
    users, tags = [owner, editor, viewer], [pii["sensitive"], pii["non_sensitive"]]
    url = "/mlmodels?limit=100&fields=owners,tags,followers,dashboard"
    as_editor.get(url)  # the token's first use is recorded once

    _catalogue(3, warehouse, dashboard, users, tags)
    with CaptureQueriesContext(connection) as small:
        small_page = as_editor.get(url).json()
    _catalogue(40, warehouse, dashboard, users, tags)
    with CaptureQueriesContext(connection) as large:
        large_page = as_editor.get(url).json()

    assert len(small_page["data"]) == 3
    assert len(large_page["data"]) == 43
    assert large_page["data"][5]["mlFeatures"][0]["featureSources"][0]["fullyQualifiedName"].startswith("warehouse.")
    # token, count, page (each model's stored document joined: catalog.documents)
    assert len(large) == len(small) == 3, [q["sql"][:90] for q in large.captured_queries]


@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_cursor_starts_the_index_scan_at_its_name_not_at_the_first_model(as_editor, eight_models, direction):
    """Without the bound on the name alone, the database reads every model before the cursor to skip it."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    cursor = as_editor.get("/mlmodels?limit=3").json()["paging"]["after"]
    if direction == "before":
        cursor = as_editor.get(f"/mlmodels?limit=3&after={cursor}").json()["paging"]["before"]
    with CaptureQueriesContext(connection) as queries:
        as_editor.get(f"/mlmodels?limit=3&{direction}={cursor}")
    page_query = next(q["sql"] for q in queries if "catalog_mlmodeldocument" in q["sql"] and "LIMIT" in q["sql"])
    with connection.cursor() as explain:
        explain.execute("SET LOCAL enable_seqscan = off")
        explain.execute("EXPLAIN " + page_query)
        plan = "\n".join(row[0] for row in explain.fetchall())
    assert "Index Cond: ((name)::text >" in plan or "Index Cond: ((name)::text <" in plan, plan
