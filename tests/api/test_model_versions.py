"""Model versions, aliases, metrics and approval through /api/v1/mlmodels/{id}/... (issue 12)."""

import pytest
from django.urls import reverse

from catalog.models import EntityVersion, ModelVersion, User
from catalog.services import modelversions as mv
from tests.api.conftest import ApiClient, error, token_for

CUSTOMERS = "warehouse.analytics.public.customers"


@pytest.fixture
def approver(db):
    return User.objects.create_user("april", password="pw-april-1", role=User.Role.EDITOR, is_approver=True)


@pytest.fixture
def as_approver(approver):
    return ApiClient(token_for(approver))


@pytest.fixture
def base(churn_model):
    return f"/mlmodels/{churn_model.pk}"


@pytest.fixture
def registered(churn_model, owner, warehouse):
    """Version 1 (staging, trained on customers.income) and version 2 (development) of the churn model."""
    income = warehouse["customers"].columns.get(name="income")
    mv.save_model_version(
        churn_model,
        1,
        owner,
        status="staging",
        metrics=[mv.MetricSpec("auc", 0.81, dataset="test")],
        datasets=[mv.DatasetSpec("training", warehouse["customers"], [income])],
    )
    mv.save_model_version(churn_model, 2, owner, metrics=[mv.MetricSpec("auc", 0.86, dataset="test")])
    return churn_model


def history(api, base) -> list:
    return api.get(f"{base}/versions").json()["versions"]


def model_version(api, base, number) -> dict:
    response = api.get(f"{base}/modelVersions/{number}")
    assert response.status_code == 200, response.content
    return response.json()


FULL = {
    "description": "Gradient boosting on the 2026 customers.",
    "sourceUri": "s3://models/churn/1",
    "runId": "a1b2c3",
    "runUrl": "https://mlflow.example.com/#/runs/a1b2c3",
    "createdBy": "ci",
    "createdAt": 1_760_000_000_000,
    "tags": {"team": "retention"},
    "signature": {"inputs": [{"name": "age", "type": "double"}], "outputs": [{"name": "churned", "type": "long"}]},
    "parameters": {"max_depth": "6"},
    "datasets": [{"role": "training", "table": CUSTOMERS, "columns": ["income", "customer_id"]}],
    "metrics": [{"name": "auc", "value": 0.84, "dataset": "test", "step": 3, "higherIsBetter": True}],
}


# -- Create, read, update, delete ------------------------------------------------------------------------------------


def test_post_registers_the_next_model_version_and_get_reads_it_back(as_owner, base, registered):
    created = as_owner.post(f"{base}/modelVersions", FULL)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["version"] == 3
    assert data["status"] == "development"
    assert {k: data[k] for k in FULL if k != "datasets"} == {k: v for k, v in FULL.items() if k != "datasets"}
    assert data["datasets"] == [{"role": "training", "table": CUSTOMERS, "columns": ["customer_id", "income"]}]
    assert data["aliases"] == [] and data["reviews"] == []
    assert model_version(as_owner, base, 3) == data
    assert created["ETag"] == as_owner.get(base)["ETag"]


def test_post_of_a_number_that_exists_is_a_conflict_and_changes_nothing(as_owner, base, registered):
    before = history(as_owner, base)
    response = as_owner.post(f"{base}/modelVersions", {"version": 2, "description": "Again"})
    assert response.status_code == 409
    assert "2" in error(response)["message"]
    assert history(as_owner, base) == before
    assert model_version(as_owner, base, 2).get("description") is None


def test_put_creates_a_model_version_then_replaces_what_it_sends_keeping_status_and_creation_time(
    as_editor, base, churn_model
):
    created = as_editor.put(f"{base}/modelVersions/7", {**FULL, "status": "staging"})
    assert created.status_code == 201, created.content
    replaced = as_editor.put(f"{base}/modelVersions/7", {"description": "Retrained."})
    assert replaced.status_code == 200, replaced.content
    data = replaced.json()
    assert data["description"] == "Retrained."
    assert data["status"] == "staging"
    assert data["createdAt"] == FULL["createdAt"]
    for cleared in ("sourceUri", "runId", "tags", "signature", "parameters"):
        assert cleared not in data
    assert data["datasets"] == [] and data["metrics"] == []


def test_put_refuses_a_body_naming_another_number_or_read_only_keys(as_editor, base, registered):
    wrong = as_editor.put(f"{base}/modelVersions/1", {"version": 2})
    assert wrong.status_code == 400
    assert error(wrong)["message"].startswith("version:")
    read_only = as_editor.put(f"{base}/modelVersions/1", {"aliases": ["champion"]})
    assert read_only.status_code == 400
    assert "/aliases/" in error(read_only)["message"]


def test_patch_merges_what_it_names_and_null_clears(as_editor, base, registered):
    as_editor.merge(f"{base}/modelVersions/2", {"tags": {"team": "retention", "stage": "beta"}, "description": "Two"})
    response = as_editor.merge(
        f"{base}/modelVersions/2", {"tags": {"stage": None, "owner": "ana"}, "description": None}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["tags"] == {"team": "retention", "owner": "ana"}
    assert "description" not in data
    assert data["metrics"][0]["value"] == 0.86  # not named: unchanged


def test_patch_may_not_clear_the_status(as_editor, base, registered):
    response = as_editor._call("patch", f"{base}/modelVersions/2", {"status": None})
    assert response.status_code == 400
    assert error(response)["message"].startswith("status:")


def test_delete_removes_the_version_and_answers_it_as_it_was(as_owner, base, registered):
    response = as_owner.delete(f"{base}/modelVersions/2")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert as_owner.get(f"{base}/modelVersions/2").status_code == 404
    assert not ModelVersion.objects.filter(model=registered, number=2).exists()


def test_reads_by_fully_qualified_name_match_reads_by_id(as_viewer, base, registered):
    by_name = f"/mlmodels/name/{registered.fqn}"
    assert as_viewer.get(f"{by_name}/modelVersions").json() == as_viewer.get(f"{base}/modelVersions").json()
    assert as_viewer.get(f"{by_name}/modelVersions/1").json() == model_version(as_viewer, base, 1)
    assert as_viewer.get(f"{by_name}/aliases").json() == {"data": []}
    assert as_viewer.get(f"{by_name}/modelCard").status_code == 200


def test_the_list_is_paged_with_cursors(as_viewer, base, registered):
    first = as_viewer.get(f"{base}/modelVersions?limit=1").json()
    assert [v["version"] for v in first["data"]] == [1]
    assert first["paging"]["total"] == 2
    second = as_viewer.get(f"{base}/modelVersions?limit=1&after={first['paging']['after']}").json()
    assert [v["version"] for v in second["data"]] == [2]
    assert "after" not in second["paging"]
    back = as_viewer.get(f"{base}/modelVersions?limit=1&before={second['paging']['before']}").json()
    assert [v["version"] for v in back["data"]] == [1]


def test_an_unknown_model_or_version_number_is_a_404(as_editor, base, registered):
    missing = "/mlmodels/00000000-0000-0000-0000-000000000000"
    for response in (
        as_editor.get(f"{missing}/modelVersions"),
        as_editor.get(f"{base}/modelVersions/9"),
        as_editor.get("/mlmodels/name/mlflow-prod.nope/modelVersions"),
        as_editor.put(f"{base}/modelVersions/9/status", {"status": "archived"}),
        as_editor.post(f"{base}/modelVersions/9/metrics", {"metrics": []}),
        as_editor.delete(f"{base}/modelVersions/9"),
        as_editor.delete(f"{base}/aliases/champion"),
    ):
        assert response.status_code == 404, response.content
        error(response)


# -- Aliases ---------------------------------------------------------------------------------------------------------


def test_an_alias_moves_from_one_version_to_another_in_one_step(as_owner, base, registered):
    assert as_owner.put(f"{base}/aliases/champion", {"version": 1}).json() == {"name": "champion", "version": 1}
    before = len(history(as_owner, base))
    moved = as_owner.put(f"{base}/aliases/champion", {"version": 2})
    assert moved.status_code == 200
    assert len(history(as_owner, base)) == before + 1
    assert as_owner.get(f"{base}/aliases").json() == {"data": [{"name": "champion", "version": 2}]}
    assert model_version(as_owner, base, 1)["aliases"] == []
    assert model_version(as_owner, base, 2)["aliases"] == ["champion"]
    assert as_owner.delete(f"{base}/aliases/champion").json() == {"name": "champion", "version": 2}
    assert as_owner.get(f"{base}/aliases").json() == {"data": []}


@pytest.mark.parametrize("alias", ["latest", "v2", "-dash", "a" * 65, "two words"])
def test_a_reserved_or_malformed_alias_is_refused_naming_the_alias(as_owner, base, registered, alias):
    response = as_owner.put(f"{base}/aliases/{alias}", {"version": 1})
    assert response.status_code == 400
    assert error(response)["message"].startswith("alias:")
    assert as_owner.get(f"{base}/aliases").json() == {"data": []}


def test_an_alias_to_a_version_that_does_not_exist_is_refused_naming_the_version(as_owner, base, registered):
    response = as_owner.put(f"{base}/aliases/champion", {"version": 9})
    assert response.status_code == 400
    assert error(response)["message"].startswith("version:")


# -- Bad input changes nothing ---------------------------------------------------------------------------------------


def test_an_unknown_status_is_a_400_naming_status(as_owner, base, registered):
    for response in (
        as_owner.put(f"{base}/modelVersions/1/status", {"status": "shipped"}),
        as_owner.put(f"{base}/modelVersions/1", {"status": "shipped"}),
        as_owner.post(f"{base}/modelVersions/1/requests", {"status": "shipped"}),
    ):
        assert response.status_code == 400
        assert error(response)["message"].startswith("status:")
    assert model_version(as_owner, base, 1)["status"] == "staging"


@pytest.mark.parametrize("value", ["0.9", "NaN", True, None, {"x": 1}])
def test_a_metric_that_is_not_a_number_is_a_400_naming_it_and_nothing_is_written(as_owner, base, registered, value):
    before = history(as_owner, base)
    metrics = [{"name": "auc", "value": 0.9}, {"name": "f1", "value": value}]
    for response in (
        as_owner.post(f"{base}/modelVersions/1/metrics", {"metrics": metrics}),
        as_owner.put(f"{base}/modelVersions/1", {"metrics": metrics}),
        as_owner.post(f"{base}/modelVersions", {"metrics": metrics}),
    ):
        assert response.status_code == 400, response.content
        assert error(response)["message"].startswith("metrics[1].value:")
    assert history(as_owner, base) == before
    assert [m["name"] for m in model_version(as_owner, base, 1)["metrics"]] == ["auc"]


def test_a_bare_nan_in_the_body_is_a_400(as_owner, base, registered):
    response = as_owner.post(f"{base}/modelVersions/1/metrics", '{"metrics": [{"name": "auc", "value": NaN}]}')
    assert response.status_code == 400
    assert "NaN" in error(response)["message"]


def test_a_training_table_that_does_not_exist_is_a_400_and_nothing_is_written(as_owner, base, registered):
    before = history(as_owner, base)
    body = {**FULL, "datasets": [FULL["datasets"][0], {"role": "training", "table": "warehouse.analytics.public.gone"}]}
    response = as_owner.post(f"{base}/modelVersions", body)
    assert response.status_code == 400
    assert error(response)["message"].startswith("datasets[1].table:")
    assert history(as_owner, base) == before
    assert not ModelVersion.objects.filter(model=registered, number=3).exists()


def test_a_column_the_table_does_not_have_is_a_400_naming_it(as_owner, base, registered):
    body = {"datasets": [{"role": "evaluation", "table": CUSTOMERS, "columns": ["income", "shoe_size"]}]}
    response = as_owner.put(f"{base}/modelVersions/1", body)
    assert response.status_code == 400
    assert error(response)["message"].startswith("datasets[0].columns[1]:")
    assert model_version(as_owner, base, 1)["datasets"][0]["columns"] == ["income"]


HOSTILE = [
    [],
    "a string",
    {"metrics": "many"},
    {"metrics": [1]},
    {"metrics": [{"name": "auc", "value": 1, "step": -1}]},
    {"metrics": [{"name": "auc", "value": 1, "step": 2**70}]},
    {"metrics": [{"name": "auc", "value": 1, "timestamp": "today"}]},
    {"metrics": [{"name": "auc", "value": 1e308, "higherIsBetter": "yes"}]},
    {"metrics": [{"name": "auc", "value": 1}, {"name": "auc", "value": 2}]},
    {"datasets": [{"role": "training", "table": 5}]},
    {"datasets": [{"role": "testing", "table": CUSTOMERS}]},
    {"datasets": [{"role": "training", "table": CUSTOMERS, "columns": [["income"]]}]},
    {"datasets": [{"role": "training", "table": CUSTOMERS}, {"role": "training", "table": CUSTOMERS}]},
    {"datasets": {"role": "training"}},
    {"tags": {"k": 1}},
    {"tags": {"": "empty name"}},
    {"tags": ["a"]},
    {"signature": {"inputs": "age"}},
    {"signature": {"inputs": [{"name": "age", "type": "double", "shape": [1]}]}},
    {"signature": {"weights": []}},
    {"createdAt": "yesterday"},
    {"createdAt": 10**20},
    {"createdAt": -1},
    {"version": 10**30},
    {"version": "1"},
    {"runUrl": "javascript:alert(1)"},
    {"sourceUri": "x" * 5000},
    {"status": 3},
    {"description": {"text": "x"}},
    {"unknown": 1},
]


@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
def test_a_malformed_body_is_a_400_and_changes_nothing(as_owner, base, registered, body):
    before = history(as_owner, base)
    for response in (
        as_owner.put(f"{base}/modelVersions/1", body),
        as_owner.post(f"{base}/modelVersions", body),
        as_owner.merge(f"{base}/modelVersions/1", body),
    ):
        assert response.status_code == 400, (response.status_code, response.content)
        error(response)
    assert history(as_owner, base) == before


@pytest.mark.parametrize(
    "path", ["/modelVersions/abc", "/modelVersions/0", "/modelVersions/99999999999", "/modelVersions/%C2%B2"]
)
def test_a_path_that_is_no_model_version_number_is_a_400(as_viewer, base, registered, path):
    response = as_viewer.get(base + path)
    assert response.status_code == 400
    assert error(response)["message"].startswith("version:")


@pytest.mark.parametrize(
    "cursor", ["eyJuYW1lIjoiYWJjIiwiaWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ", "%%%"]
)
def test_a_cursor_that_names_no_model_version_is_a_400(as_viewer, base, registered, cursor):
    response = as_viewer.get(f"{base}/modelVersions?after={cursor}")
    assert response.status_code == 400
    assert error(response)["message"].startswith("after:")


def test_a_nul_in_an_alias_is_a_400(as_owner, base, registered):
    assert as_owner.put(f"{base}/aliases/a%00b", {"version": 1}).status_code == 400
    assert as_owner.delete(f"{base}/aliases/a%00b").status_code == 400


def test_a_stale_if_match_is_a_412_and_changes_nothing(as_owner, base, registered):
    etag = as_owner.get(base)["ETag"]
    assert as_owner.put(f"{base}/modelVersions/2", {"description": "Fresh"}, HTTP_IF_MATCH=etag).status_code == 200
    stale = as_owner.put(f"{base}/modelVersions/2", {"description": "Stale"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    error(stale)
    assert model_version(as_owner, base, 2)["description"] == "Fresh"


# -- Approval --------------------------------------------------------------------------------------------------------


def test_an_owner_moves_a_version_to_production_and_the_approval_is_recorded(as_owner, base, registered):
    response = as_owner.put(f"{base}/modelVersions/1/status", {"status": "production", "reason": "Beat v0"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "production"
    assert [(r["decision"], r["status"], r["by"], r.get("reason")) for r in data["reviews"]] == [
        ("approved", "production", "olivia", "Beat v0")
    ]


def test_an_editor_who_does_not_own_the_model_may_not_approve_but_may_ask(as_editor, as_approver, base, registered):
    for response in (
        as_editor.put(f"{base}/modelVersions/1/status", {"status": "production"}),
        as_editor.put(f"{base}/modelVersions/1", {"status": "production"}),
        as_editor.post(f"{base}/modelVersions", {"status": "production"}),
    ):
        assert response.status_code == 403, response.content
        assert "approvers" in error(response)["message"]
    assert model_version(as_editor, base, 1)["status"] == "staging"
    assert ModelVersion.objects.filter(model=registered).count() == 2

    asked = as_editor.post(f"{base}/modelVersions/1/requests", {"status": "production", "reason": "Ready"})
    assert asked.status_code == 200, asked.content
    assert asked.json()["reviews"][-1] == {
        "decision": "requested",
        "status": "production",
        "by": "edward",
        "at": asked.json()["reviews"][-1]["at"],
        "reason": "Ready",
        "open": True,
    }
    refused = as_editor.post(f"{base}/modelVersions/1/approve", {})
    assert refused.status_code == 403
    assert "approvers" in error(refused)["message"]
    assert as_editor.post(f"{base}/modelVersions/1/reject", {"reason": "No"}).status_code == 403

    approved = as_approver.post(f"{base}/modelVersions/1/approve", {"reason": "Checked"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "production"
    assert [r["decision"] for r in approved.json()["reviews"]] == ["requested", "approved"]
    assert "open" not in approved.json()["reviews"][0]


def test_an_approver_rejects_with_a_reason_and_the_status_stays(as_editor, as_approver, base, registered):
    as_editor.post(f"{base}/modelVersions/2/requests", {"status": "production"})
    no_reason = as_approver.post(f"{base}/modelVersions/2/reject", {"reason": "  "})
    assert no_reason.status_code == 400
    assert error(no_reason)["message"].startswith("reason:")
    rejected = as_approver.post(f"{base}/modelVersions/2/reject", {"reason": "AUC drops on new customers"})
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "development"
    assert rejected.json()["reviews"][-1]["decision"] == "rejected"
    assert not any(r.get("open") for r in rejected.json()["reviews"])


def test_approving_without_an_open_request_is_a_400(as_owner, base, registered):
    response = as_owner.post(f"{base}/modelVersions/2/approve", {})
    assert response.status_code == 400
    assert "request" in error(response)["message"]


# -- Who may call ----------------------------------------------------------------------------------------------------

WRITES = [
    ("post", "/modelVersions", {"description": "x"}),
    ("put", "/modelVersions/1", {"description": "x"}),
    ("patch", "/modelVersions/1", {"description": "x"}),
    ("delete", "/modelVersions/1", None),
    ("put", "/modelVersions/1/status", {"status": "archived"}),
    ("post", "/modelVersions/1/requests", {"status": "production"}),
    ("post", "/modelVersions/1/approve", {}),
    ("post", "/modelVersions/1/reject", {"reason": "no"}),
    ("post", "/modelVersions/1/metrics", {"metrics": [{"name": "auc", "value": 1}]}),
    ("put", "/aliases/champion", {"version": 1}),
    ("delete", "/aliases/champion", None),
    ("put", "/modelCard", {"intendedUse": "x"}),
    ("patch", "/modelCard", {"intendedUse": "x"}),
]
READS = ["/modelVersions", "/modelVersions/1", "/aliases", "/modelCard"]


def _call(api, method, path, body):
    if method == "delete":
        return api.delete(path)
    if method == "patch":
        return api.merge(path, body)
    return getattr(api, method)(path, body)


@pytest.mark.parametrize("method, path, body", WRITES)
def test_a_read_only_user_may_not_write_and_hears_403_before_any_400(as_viewer, base, registered, method, path, body):
    as_viewer_before = history(as_viewer, base)
    for sent in (body, {"nonsense": [1]}):
        response = _call(as_viewer, method, base + path, sent)
        assert response.status_code == 403, response.content
        error(response)
    assert history(as_viewer, base) == as_viewer_before


@pytest.mark.parametrize("method, path, body", [*WRITES, *(("get", p, None) for p in READS)])
def test_an_anonymous_caller_hears_401(anonymous, base, registered, method, path, body):
    response = anonymous.get(base + path) if method == "get" else _call(anonymous, method, base + path, body)
    assert response.status_code == 401
    error(response)


@pytest.mark.parametrize("path", READS)
def test_a_read_only_user_reads_everything(as_viewer, base, registered, path):
    assert as_viewer.get(base + path).status_code == 200


# -- History ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/modelVersions", {"description": "Third"}),
        ("put", "/modelVersions/1", {"description": "Changed"}),
        ("patch", "/modelVersions/1", {"tags": {"a": "b"}}),
        ("delete", "/modelVersions/2", None),
        ("put", "/modelVersions/1/status", {"status": "archived"}),
        ("post", "/modelVersions/2/requests", {"status": "production"}),
        ("post", "/modelVersions/1/metrics", {"metrics": [{"name": "f1", "value": 0.7}]}),
        ("put", "/aliases/champion", {"version": 1}),
        ("put", "/modelCard", {"intendedUse": "Churn risk"}),
        ("patch", "/modelCard", {"riskRating": "high"}),
    ],
)
def test_each_write_is_one_minor_history_version_of_the_model(as_owner, base, registered, method, path, body):
    before = history(as_owner, base)
    version = as_owner.get(base).json()["version"]
    response = _call(as_owner, method, base + path, body)
    assert response.status_code in (200, 201), response.content
    assert len(history(as_owner, base)) == len(before) + 1
    assert as_owner.get(base).json()["version"] == round(version + 0.1, 1)
    assert response["ETag"] == as_owner.get(base)["ETag"]


def test_the_model_document_keeps_openmetadatas_shape(as_owner, base, registered):
    as_owner.put(f"{base}/modelCard", {"intendedUse": "Churn risk"})
    for document in (as_owner.get(f"{base}?fields=*").json(), *map(__import__("json").loads, history(as_owner, base))):
        assert not {"modelVersions", "modelCard"} & document.keys()


# -- Query counts ----------------------------------------------------------------------------------------------------


def _register(model, owner, table, count):
    for number in range(1, count + 1):
        mv.save_model_version(
            model,
            number,
            owner,
            metrics=[mv.MetricSpec(f"m{i}", i / 10) for i in range(number + 1)],
            datasets=[mv.DatasetSpec("training", table, list(table.columns.all()))],
        )
        mv.set_alias(model, f"alias{number}", number, owner)
    mv.request_status(model, 1, "production", owner)


@pytest.mark.parametrize("count", [2, 6])
def test_reading_model_versions_costs_the_same_queries_however_many_there_are(
    as_viewer, base, churn_model, owner, warehouse, django_assert_num_queries, count
):
    _register(churn_model, owner, warehouse["customers"], count)
    as_viewer.get(base)  # the token's first use records it; later calls do not
    # token, model, count, page, then its aliases, metrics, datasets, their columns and reviews
    with django_assert_num_queries(9):
        response = as_viewer.get(f"{base}/modelVersions?limit=1000")
    assert len(response.json()["data"]) == count
    # token, model, the version, then its aliases, metrics, datasets, their columns and reviews
    with django_assert_num_queries(8):
        response = as_viewer.get(f"{base}/modelVersions/{count}")
    assert len(response.json()["metrics"]) == count + 1
    assert EntityVersion.objects.filter(entity_id=churn_model.pk).exists()


def test_a_read_only_approver_decides_through_the_api_as_through_the_page(as_editor, base, registered, client):
    """Approving is the approver's right, not an editor's: both doors let a read-only approver decide."""
    reader = User.objects.create_user("ray", password="pw-ray-1", role=User.Role.VIEWER, is_approver=True)
    as_editor.post(f"{base}/modelVersions/1/requests", {"status": "production"})
    as_editor.post(f"{base}/modelVersions/2/requests", {"status": "production"})
    assert ApiClient(token_for(reader)).post(f"{base}/modelVersions/1/approve", {}).status_code == 200
    assert ApiClient(token_for(reader)).put(f"{base}/modelVersions/2/status", {"status": "archived"}).status_code == 403
    client.force_login(reader)
    page = client.post(
        reverse("model_version_review", args=[registered.pk, 2]), {"decision": "reject", "reason": "Not yet."}
    )
    assert page.status_code == 302
    statuses = dict(ModelVersion.objects.filter(model=registered).values_list("number", "status"))
    assert statuses == {1: "production", 2: "development"}
