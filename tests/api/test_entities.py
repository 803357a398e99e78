"""Every entity collection: PUT upsert, POST, GET by id and name, DELETE, restore, versions, followers."""

import json

import pytest

from catalog.models import Column, EntityVersion, MlModel, Table, Tag
from tests.api.conftest import error, put_model, put_service, put_table

#: A create request per collection, with the parents it needs created first.
PARENTS = [
    ("/services/databaseServices", {"name": "warehouse", "serviceType": "Postgres"}),
    ("/databases", {"name": "analytics", "service": "warehouse"}),
    ("/databaseSchemas", {"name": "public", "database": "warehouse.analytics"}),
    ("/services/dashboardServices", {"name": "superset", "serviceType": "Superset"}),
    ("/services/mlmodelServices", {"name": "models", "serviceType": "Mlflow"}),
    ("/classifications", {"name": "Tier", "description": "How critical"}),
]
CREATES = [
    ("/users", {"name": "alice", "email": "alice@example.com", "displayName": "Alice"}, "alice"),
    ("/teams", {"name": "data-science", "teamType": "Group"}, "data-science"),
    ("/classifications", {"name": "PII", "description": "Personal data"}, "PII"),
    ("/tags", {"name": "Tier1", "classification": "Tier", "description": "Critical"}, "Tier.Tier1"),
    ("/services/mlmodelServices", {"name": "mlflow", "serviceType": "Mlflow"}, "mlflow"),
    ("/services/databaseServices", {"name": "lake", "serviceType": "Mysql"}, "lake"),
    ("/services/dashboardServices", {"name": "looker", "serviceType": "Looker"}, "looker"),
    ("/databases", {"name": "sales", "service": "warehouse"}, "warehouse.sales"),
    ("/databaseSchemas", {"name": "raw", "database": "warehouse.analytics"}, "warehouse.analytics.raw"),
    (
        "/tables",
        {
            "name": "orders",
            "databaseSchema": "warehouse.analytics.public",
            "columns": [{"name": "id", "dataType": "INT"}],
        },
        "warehouse.analytics.public.orders",
    ),
    ("/dashboards", {"name": "kpis", "service": "superset", "sourceUrl": "https://bi.example.com/1"}, "superset.kpis"),
    ("/mlmodels", {"name": "churn", "service": "models", "algorithm": "XGBoost"}, "models.churn"),
]
COLLECTIONS = [pytest.param(path, body, fqn, id=path.strip("/")) for path, body, fqn in CREATES]


@pytest.fixture
def writer(path, as_editor, as_admin):
    """Who writes the collection: the editor, or the administrator for accounts (issue 11)."""
    return as_admin if path in ("/users", "/teams") else as_editor


@pytest.fixture
def parents(as_editor):
    for path, body in PARENTS:
        assert as_editor.put(path, body).status_code == 201


@pytest.mark.parametrize("path, body, fqn", COLLECTIONS)
def test_put_creates_then_updates_by_fqn(writer, parents, path, body, fqn):
    created = writer.put(path, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["fullyQualifiedName"] == fqn
    assert data["version"] == 0.1
    assert isinstance(data["updatedAt"], int)
    assert data["href"] == f"http://testserver/api/v1{path}/{data['id']}"
    assert created["ETag"] == 'W/"0.1"'

    same = writer.put(path, body)
    assert same.status_code == 200
    assert same.json()["id"] == data["id"]
    assert same.json()["version"] == 0.1

    changed = writer.put(path, {**body, "description": "Changed"})
    assert changed.status_code == 200
    assert changed.json()["version"] == 0.2
    assert (
        changed.json()["changeDescription"]["fieldsUpdated" if body.get("description") else "fieldsAdded"][0]["name"]
        == "description"
    )


@pytest.mark.parametrize("path, body, fqn", COLLECTIONS)
def test_post_creates_and_refuses_an_existing_name_with_409(writer, parents, path, body, fqn):
    assert writer.post(path, body).status_code == 201
    response = writer.post(path, body)
    assert response.status_code == 409
    assert error(response)["message"].startswith("Entity already exists")


@pytest.mark.parametrize("path, body, fqn", COLLECTIONS)
def test_get_by_id_and_by_name_serve_the_same_entity(writer, parents, path, body, fqn):
    created = writer.put(path, body).json()
    by_id = writer.get(f"{path}/{created['id']}")
    by_name = writer.get(f"{path}/name/{fqn}")
    assert by_id.status_code == by_name.status_code == 200
    assert by_id.json() == by_name.json()
    assert by_id["ETag"] == 'W/"0.1"'


@pytest.mark.parametrize("path, body, fqn", COLLECTIONS)
def test_a_soft_delete_hides_the_entity_and_restore_brings_it_back(writer, parents, path, body, fqn):
    created = writer.put(path, body).json()

    deleted = writer.delete(f"{path}/{created['id']}")

    assert deleted.status_code == 200
    assert deleted.json()["deleted"] is True
    assert writer.get(f"{path}/{created['id']}").status_code == 404
    assert writer.get(f"{path}/{created['id']}?include=deleted").json()["deleted"] is True
    restored = writer.put(f"{path}/restore", {"id": created["id"]})
    assert restored.status_code == 200
    assert restored.json()["deleted"] is False
    assert restored.json()["version"] == 0.3


@pytest.mark.parametrize("path, body, fqn", COLLECTIONS)
def test_a_hard_delete_removes_the_entity_and_its_history(writer, parents, path, body, fqn):
    created = writer.put(path, body).json()
    writer.put(path, {**body, "description": "v2"})

    response = writer.delete(f"{path}/{created['id']}?hardDelete=true&recursive=false")

    assert response.status_code == 200
    assert writer.get(f"{path}/{created['id']}?include=all").status_code == 404
    assert not EntityVersion.objects.filter(entity_id=created["id"]).exists()


def test_a_service_with_models_is_not_deleted_without_recursive(as_editor):
    service = put_service(as_editor)
    put_model(as_editor)
    response = as_editor.delete(f"/services/mlmodelServices/{service['id']}")
    assert response.status_code == 400
    assert error(response)["message"] == "Entity mlmodelService is not empty"
    assert as_editor.delete(f"/services/mlmodelServices/{service['id']}?recursive=true").status_code == 200
    assert MlModel.objects.get().deleted


def test_delete_flags_must_be_true_or_false(as_editor):
    service = put_service(as_editor)
    response = as_editor.delete(f"/services/mlmodelServices/{service['id']}?hardDelete=yes")
    assert response.status_code == 400
    assert error(response)["message"] == "hardDelete: must be true or false"


def test_a_put_on_a_soft_deleted_model_restores_it(as_editor):
    put_service(as_editor)
    model = put_model(as_editor)
    as_editor.delete(f"/mlmodels/{model['id']}")
    response = as_editor.put("/mlmodels", {"name": "churn", "service": "models", "algorithm": "XGBoost"})
    assert response.status_code == 200
    assert response.json()["id"] == model["id"]
    assert response.json()["deleted"] is False


def test_a_model_round_trips_every_field_it_keeps(as_editor, pii):
    put_service(as_editor)
    table = put_table(as_editor)
    as_editor.put("/services/dashboardServices", {"name": "superset", "serviceType": "Superset"})
    as_editor.put("/dashboards", {"name": "churn-kpis", "service": "superset"})
    body = {
        "name": "churn",
        "service": "models",
        "displayName": "Churn",
        "description": "Predicts churn",
        "algorithm": "XGBoost",
        "target": "churned",
        "server": "https://serve.example.com/churn",
        "sourceUrl": "https://git.example.com/churn",
        "mlStore": {"storage": "s3://models/churn", "imageRepository": "https://registry.example.com/churn"},
        "dashboard": "superset.churn-kpis",
        "tags": [{"tagFQN": "PII.Sensitive", "source": "Classification", "labelType": "Manual", "state": "Confirmed"}],
        "mlFeatures": [
            {
                "name": "age",
                "dataType": "numerical",
                "description": "Age in years",
                "featureAlgorithm": "bucketize",
                "featureSources": [
                    {
                        "name": "age",
                        "dataType": "integer",
                        "dataSource": {"id": table["id"], "type": "table"},
                        "tags": [{"tagFQN": "PII.Sensitive"}],
                    }
                ],
            }
        ],
        "mlHyperParameters": [{"name": "max_depth", "value": "6", "description": "Tree depth"}],
    }

    created = as_editor.put("/mlmodels", body).json()
    read = as_editor.get(f"/mlmodels/{created['id']}?fields=*").json()

    for key in ("displayName", "description", "algorithm", "target", "server", "sourceUrl", "mlStore"):
        assert read[key] == body[key]
    assert read["dashboard"]["fullyQualifiedName"] == "superset.churn-kpis"
    assert read["tags"][0]["tagFQN"] == "PII.Sensitive"
    feature = read["mlFeatures"][0]
    assert feature["fullyQualifiedName"] == "models.churn.age"
    assert feature["featureSources"][0]["dataSource"]["id"] == table["id"]
    assert feature["featureSources"][0]["tags"][0]["tagFQN"] == "PII.Sensitive"
    assert read["mlHyperParameters"] == body["mlHyperParameters"]
    assert read["serviceType"] == "Mlflow"
    assert as_editor.put("/mlmodels", body).json()["version"] == 0.1


def test_a_model_without_algorithm_gets_openmetadatas_default_and_keeps_its_algorithm_later(as_editor):
    put_service(as_editor)
    created = as_editor.put("/mlmodels", {"name": "m", "service": "models"}).json()
    assert created["algorithm"] == "mlmodel"
    as_editor.put("/mlmodels", {"name": "m", "service": "models", "algorithm": "GLM"})
    again = as_editor.put("/mlmodels", {"name": "m", "service": "models", "description": "d"}).json()
    assert again["algorithm"] == "GLM"
    assert again["version"] == 1.2


def test_put_keeps_owners_when_none_are_sent_and_merges_tags(as_editor, owner, pii):
    put_service(as_editor)
    sensitive = {"tagFQN": "PII.Sensitive"}
    non_sensitive = {"tagFQN": "PII.NonSensitive"}
    put_model(as_editor, owners=[{"id": str(owner.pk), "type": "user"}], tags=[sensitive])

    response = as_editor.put(
        "/mlmodels",
        {"name": "churn", "service": "models", "algorithm": "XGBoost", "owners": [], "tags": [non_sensitive]},
    )

    data = response.json()
    assert [o["name"] for o in data["owners"]] == ["olivia"]
    assert [t["tagFQN"] for t in data["tags"]] == ["PII.NonSensitive", "PII.Sensitive"]


def test_put_replaces_what_it_sends_and_clears_what_it_leaves_out(as_editor):
    put_service(as_editor)
    put_model(as_editor, description="old", target="churned", mlHyperParameters=[{"name": "a", "value": "1"}])
    data = as_editor.put("/mlmodels", {"name": "churn", "service": "models", "algorithm": "XGBoost"}).json()
    assert "description" not in data
    assert "target" not in data
    assert "mlHyperParameters" not in data


def test_a_bot_put_keeps_descriptions_people_wrote(as_editor, db):
    from catalog.services import assets
    from tests.api.conftest import ApiClient, token_for

    bot = assets.save_user("ingest", "test", is_bot=True, role="editor", email="ingest@example.com").entity
    as_bot = ApiClient(token_for(bot))
    put_service(as_editor)
    put_model(as_editor, description="Written by a person", mlFeatures=[{"name": "f", "description": "human"}])

    data = as_bot.put(
        "/mlmodels",
        {"name": "churn", "service": "models", "description": "bot", "mlFeatures": [{"name": "f", "description": "x"}]},
    ).json()

    assert data["description"] == "Written by a person"
    assert data["mlFeatures"][0]["description"] == "human"


def test_table_columns_are_replaced_as_a_set_keeping_column_ids(as_editor):
    table = put_table(as_editor, columns=[{"name": "a", "dataType": "INT"}, {"name": "b", "dataType": "STRING"}])
    before = {c.name: c.pk for c in Column.objects.all()}

    updated = put_table(
        as_editor,
        columns=[{"name": "b", "dataType": "STRING", "description": "kept"}, {"name": "c", "dataType": "GEOGRAPHY"}],
    )

    assert updated["id"] == table["id"]
    assert [c["name"] for c in updated["columns"]] == ["b", "c"]
    assert Column.objects.get(name="b").pk == before["b"]
    assert updated["columns"][1]["dataType"] == "UNKNOWN"
    assert updated["columns"][1]["dataTypeDisplay"] == "geography"
    assert float(Table.objects.get().version) == updated["version"]


def test_a_tag_needs_an_existing_classification_and_cannot_nest(as_editor):
    response = as_editor.put("/tags", {"name": "T", "classification": "Nope"})
    assert response.status_code == 404
    as_editor.put("/classifications", {"name": "Tier", "description": "d"})
    response = as_editor.put("/tags", {"name": "T", "classification": "Tier", "parent": "Tier.Other"})
    assert response.status_code == 400
    assert not Tag.objects.exists()


def test_an_unknown_tag_is_a_404(as_editor):
    put_service(as_editor)
    response = as_editor.put("/mlmodels", {"name": "m", "service": "models", "tags": [{"tagFQN": "No.Such"}]})
    assert response.status_code == 404
    assert error(response)["message"] == "tag instance for No.Such not found"


def test_values_modelatlas_cannot_keep_are_refused_rather_than_dropped(as_editor):
    put_service(as_editor)
    domains = as_editor.put("/mlmodels", {"name": "m", "service": "models", "domains": ["Marketing"]})
    extension = as_editor.put("/mlmodels", {"name": "m", "service": "models", "extension": {"risk": "high"}})
    assert domains.status_code == 404
    assert error(domains)["message"] == "domain instance for Marketing not found"
    assert extension.status_code == 400
    assert error(extension)["message"] == "extension: custom property 'risk' is not defined"


def test_owners_must_be_users_or_group_teams(as_editor, editor):
    from catalog.services import assets

    department = assets.save_team("dept", editor, team_type="Department").entity
    put_service(as_editor)
    response = as_editor.put(
        "/mlmodels", {"name": "m", "service": "models", "owners": [{"id": str(department.pk), "type": "team"}]}
    )
    assert response.status_code == 400
    assert "only Group teams own" in error(response)["message"]
    response = as_editor.put(
        "/mlmodels", {"name": "m", "service": "models", "owners": [{"id": str(department.pk), "type": "table"}]}
    )
    assert response.status_code == 400


def test_service_secrets_are_masked_in_responses_but_kept(as_editor):
    body = {
        "name": "db",
        "serviceType": "Mysql",
        "connection": {"config": {"username": "u", "authType": {"password": "s3cret"}, "hostPort": "h:1"}},
    }
    created = as_editor.put("/services/databaseServices", body).json()
    assert created["connection"]["config"]["authType"]["password"] == "********"
    patched = as_editor.patch(
        f"/services/databaseServices/{created['id']}",
        [{"op": "replace", "path": "/connection/config/hostPort", "value": "h:2"}],
    )
    assert patched.status_code == 200
    from catalog import secrets
    from catalog.models import DatabaseService

    stored = secrets.plain_connection(DatabaseService.objects.get())["config"]
    assert stored == {"username": "u", "authType": {"password": "s3cret"}, "hostPort": "h:2"}


def test_the_versions_list_holds_json_strings_current_first(as_editor):
    put_service(as_editor)
    model = put_model(as_editor)
    put_model(as_editor, description="v2")
    put_model(as_editor, description="v3")

    response = as_editor.get(f"/mlmodels/{model['id']}/versions")

    data = response.json()
    assert set(data) == {"entityType", "versions"}
    assert data["entityType"] == "mlmodel"
    versions = [json.loads(v) for v in data["versions"]]
    assert [v["version"] for v in versions] == [0.3, 0.2, 0.1]
    assert versions[0]["description"] == "v3"


def test_one_version_is_served_as_it_was(as_editor):
    put_service(as_editor)
    model = put_model(as_editor)
    put_model(as_editor, description="v2")

    old = as_editor.get(f"/mlmodels/{model['id']}/versions/0.1")
    current = as_editor.get(f"/mlmodels/{model['id']}/versions/0.2")
    missing = as_editor.get(f"/mlmodels/{model['id']}/versions/7.0")
    bad = as_editor.get(f"/mlmodels/{model['id']}/versions/latest")

    assert old.json()["version"] == 0.1
    assert "description" not in old.json()
    assert old.json()["id"] == model["id"]
    assert current.json()["description"] == "v2"
    assert missing.status_code == 404
    assert error(missing)["message"] == f"mlmodel instance for {model['id']} and version 7.0 not found"
    assert bad.status_code == 400


def test_users_follow_and_unfollow_a_model(as_editor, as_viewer, viewer, editor):
    put_service(as_editor)
    model = put_model(as_editor)

    followed = as_viewer.put(f"/mlmodels/{model['id']}/followers", json.dumps(str(viewer.pk)))
    listed = as_editor.get(f"/mlmodels/{model['id']}?fields=followers").json()["followers"]
    someone_else = as_viewer.put(f"/mlmodels/{model['id']}/followers", json.dumps(str(editor.pk)))
    unfollowed = as_viewer.delete(f"/mlmodels/{model['id']}/followers/{viewer.pk}")

    assert followed.status_code == 200
    assert followed.json()["eventType"] == "entityUpdated"
    assert followed.json()["entityId"] == model["id"]
    assert [f["name"] for f in listed] == ["vera"]
    assert someone_else.status_code == 403
    assert unfollowed.status_code == 200
    assert MlModel.objects.get().followers.count() == 0
