"""The API page cache: a page of model documents asked again is served as built, until a document changes.

These tests commit (``transaction=True``): the document generation moves only
when a write commits, which the suite's usual rolled-back tests never do.
"""

import json

import pytest

from api import pagecache
from tests.api.conftest import put_model, put_service, put_table

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/mlmodels?limit=100&fields=owners,tags,followers"
SEARCH = "/search/query?q=churn&index=mlmodel_search_index&size=100"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.API_PAGE_CACHE_BYTES = 8 * 1024 * 1024
    pagecache.pages.clear()


@pytest.fixture
def churn(as_editor):
    put_service(as_editor)
    table = put_table(as_editor, name="customers", columns=[{"name": "age", "dataType": "INT"}])
    model = put_model(
        as_editor,
        name="churn",
        mlFeatures=[
            {
                "name": "age",
                "dataType": "numerical",
                "featureSources": [
                    {"name": "age", "dataType": "integer", "dataSource": {"id": table["id"], "type": "table"}}
                ],
            }
        ],
    )
    assert pagecache.generation() is not None, "a committed document write starts the generation"
    return model


def listed(api, path=LIST) -> list[dict]:
    response = api.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["data"] if "data" in body else [hit["_source"] for hit in body["hits"]["hits"]]


@pytest.mark.parametrize("path", [LIST, SEARCH])
def test_the_same_page_asked_again_costs_only_the_token_and_the_generation(
    as_viewer, churn, path, django_assert_num_queries
):
    first = as_viewer.get(path).content
    with django_assert_num_queries(2):
        again = as_viewer.get(path).content
    assert again == first


@pytest.mark.parametrize("path", [LIST, SEARCH])
def test_a_model_changed_through_the_api_shows_on_the_next_page(as_editor, as_viewer, churn, path):
    listed(as_viewer, path)
    put_model(as_editor, name="churn", description="Who leaves, and when.")
    assert listed(as_viewer, path)[0]["description"] == "Who leaves, and when."


def test_following_a_model_shows_on_the_next_page(as_viewer, viewer, churn):
    assert listed(as_viewer)[0]["followers"] == []
    as_viewer.put(f"/mlmodels/{churn['id']}/followers", json.dumps(str(viewer.pk)))
    assert [f["name"] for f in listed(as_viewer)[0]["followers"]] == [viewer.username]


def test_a_table_redescribed_shows_in_the_feature_sources_of_the_next_page(as_editor, as_viewer, churn):
    listed(as_viewer)
    as_editor.put(
        "/tables",
        {
            "name": "customers",
            "databaseSchema": "warehouse.analytics.public",
            "description": "Everyone who ever bought.",
            "columns": [{"name": "age", "dataType": "INT"}],
        },
    )
    source = listed(as_viewer)[0]["mlFeatures"][0]["featureSources"][0]
    assert source["dataSource"]["description"] == "Everyone who ever bought."


def test_models_deleted_soft_or_hard_leave_the_next_page(as_editor, as_viewer, churn):
    other = put_model(as_editor, name="upsell")
    assert [m["name"] for m in listed(as_viewer)] == ["churn", "upsell"]
    as_editor.delete(f"/mlmodels/{churn['id']}")
    assert [m["name"] for m in listed(as_viewer)] == ["upsell"]
    as_editor.delete(f"/mlmodels/{other['id']}?hardDelete=true")
    assert listed(as_viewer) == []


def test_each_host_gets_hrefs_of_its_own(as_viewer, churn, settings):
    settings.ALLOWED_HOSTS = ["testserver", "atlas.example.org"]
    local = as_viewer.get(LIST).json()["data"][0]["href"]
    other = as_viewer.get(LIST, HTTP_HOST="atlas.example.org").json()["data"][0]["href"]
    assert local.startswith("http://testserver/") and other.startswith("http://atlas.example.org/")


def test_bad_parameters_are_refused_every_time_not_cached(as_viewer, churn):
    for _ in range(2):
        assert as_viewer.get("/mlmodels?limit=ten").status_code == 400


def test_the_cache_keeps_within_its_byte_budget_dropping_the_least_recently_used_page(settings):
    settings.API_PAGE_CACHE_BYTES = 10
    cache = pagecache.PageCache()
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    assert cache.get("a") == b"12345"  # now the most recently used
    cache.put("c", b"12345")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"12345", None, b"12345")
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None


def test_a_page_older_than_the_age_limit_is_built_again(settings):
    settings.API_PAGE_CACHE_SECONDS = -1
    cache = pagecache.PageCache()
    cache.put("a", b"page")
    assert cache.get("a") is None
