"""JSON Patch on entities: applied to what GET serves, re-validated, versioned, guarded by ETags."""

import pytest

from catalog.models import EntityVersion, MlModel
from tests.api.conftest import error, put_model, put_service, put_table


@pytest.fixture
def model(as_editor):
    put_service(as_editor)
    return put_model(as_editor)


def test_a_patch_of_the_description_is_a_minor_version_with_an_etag(as_editor, model):
    response = as_editor.patch(f"/mlmodels/{model['id']}", [{"op": "add", "path": "/description", "value": "new"}])
    assert response.status_code == 200
    assert response.json()["description"] == "new"
    assert response.json()["version"] == 0.2
    assert response["ETag"] == 'W/"0.2"'


def test_a_patch_of_the_algorithm_is_a_major_version(as_editor, model):
    response = as_editor.patch(f"/mlmodels/{model['id']}", [{"op": "replace", "path": "/algorithm", "value": "GLM"}])
    assert response.json()["version"] == 1.1
    assert response.json()["changeDescription"]["fieldsUpdated"] == [
        {"name": "algorithm", "oldValue": "XGBoost", "newValue": "GLM"}
    ]


def test_owners_are_patched_through_sub_keys_of_the_served_references(as_editor, model, owner, editor):
    as_editor.patch(
        f"/mlmodels/{model['id']}", [{"op": "add", "path": "/owners", "value": [{"id": str(owner.pk), "type": "user"}]}]
    )

    response = as_editor.patch(
        f"/mlmodels/{model['id']}",
        [
            {"op": "remove", "path": "/owners/0/name"},
            {"op": "remove", "path": "/owners/0/fullyQualifiedName"},
            {"op": "remove", "path": "/owners/0/deleted"},
            {"op": "remove", "path": "/owners/0/href"},
            {"op": "remove", "path": "/owners/0/displayName"},
            {"op": "replace", "path": "/owners/0/id", "value": str(editor.pk)},
        ],
    )

    assert response.status_code == 200, response.content
    assert [o["name"] for o in response.json()["owners"]] == ["edward"]


def test_a_patch_can_remove_owners_and_tags_where_put_cannot(as_editor, model, owner, pii):
    as_editor.patch(
        f"/mlmodels/{model['id']}",
        [
            {"op": "add", "path": "/owners", "value": [{"id": str(owner.pk), "type": "user"}]},
            {"op": "add", "path": "/tags", "value": [{"tagFQN": "PII.Sensitive"}]},
        ],
    )
    response = as_editor.patch(
        f"/mlmodels/{model['id']}", [{"op": "remove", "path": "/owners/0"}, {"op": "remove", "path": "/tags/0"}]
    )
    stored = MlModel.objects.get()
    assert response.status_code == 200
    assert not stored.owner_users.exists()
    assert not stored.tags.exists()


def test_features_are_patched_and_their_sources_resolved(as_editor, model):
    table = put_table(as_editor)
    response = as_editor.patch(
        f"/mlmodels/{model['id']}",
        [
            {
                "op": "add",
                "path": "/mlFeatures",
                "value": [
                    {
                        "name": "age",
                        "featureSources": [{"name": "age", "dataSource": {"id": table["id"], "type": "table"}}],
                    }
                ],
            }
        ],
    )
    assert response.status_code == 200
    feature = response.json()["mlFeatures"][0]
    assert feature["featureSources"][0]["dataSource"]["name"] == "customers"
    second = as_editor.patch(
        f"/mlmodels/{model['id']}", [{"op": "add", "path": "/mlFeatures/0/description", "value": "Age in years"}]
    )
    assert second.json()["changeDescription"]["fieldsUpdated"][0]["name"] == "mlFeatures.age.description"


def test_a_patch_that_changes_nothing_keeps_the_version(as_editor, model):
    response = as_editor.patch(
        f"/mlmodels/{model['id']}", [{"op": "replace", "path": "/algorithm", "value": "XGBoost"}]
    )
    assert response.status_code == 200
    assert response.json()["version"] == 0.1


def test_identity_and_computed_keys_are_put_back(as_editor, model):
    response = as_editor.patch(
        f"/mlmodels/{model['id']}",
        [
            {"op": "replace", "path": "/name", "value": "renamed"},
            {"op": "replace", "path": "/version", "value": 9.9},
            {"op": "replace", "path": "/updatedBy", "value": "mallory"},
            {"op": "add", "path": "/description", "value": "ok"},
        ],
    )
    data = response.json()
    assert (data["name"], data["version"], data["updatedBy"], data["description"]) == ("churn", 0.2, "edward", "ok")


@pytest.mark.parametrize(
    "operations, message",
    [
        ([{"op": "replace", "path": "/target", "value": "x"}], "The JSON Patch does not apply"),
        ([{"op": "remove", "path": "/owners/3"}], "The JSON Patch does not apply"),
        ([{"op": "test", "path": "/algorithm", "value": "GLM"}], "The JSON Patch does not apply"),
        ([{"op": "jump", "path": "/algorithm"}], "The JSON Patch"),
        ([{"path": "/algorithm"}], "[0]: each operation needs 'op' and 'path'"),
        ({"op": "add"}, "A JSON Patch must be a JSON array of operations"),
        ([{"op": "add", "path": "/colour", "value": "red"}], "Unrecognized field 'colour'"),
        ([{"op": "replace", "path": "/deleted", "value": True}], "deleted: attribute deleted can't be modified"),
        ([{"op": "add", "path": "/server", "value": "ftp://x"}], "server: Enter a valid http(s) URL"),
        (
            [{"op": "add", "path": "/mlFeatures", "value": [{"name": "f", "dataType": "bool"}]}],
            "mlFeatures[0].dataType",
        ),
    ],
)
def test_a_patch_that_does_not_apply_or_does_not_validate_is_a_400_and_writes_nothing(
    as_editor, model, operations, message
):
    response = as_editor.patch(f"/mlmodels/{model['id']}", operations)
    assert response.status_code == 400
    assert error(response)["message"].startswith(message)
    assert str(MlModel.objects.get().version) == "0.1"
    assert not EntityVersion.objects.exists()


def test_a_patch_body_must_be_json_patch_or_json(as_editor, model):
    response = as_editor.patch(f"/mlmodels/{model['id']}", "[{")
    assert response.status_code == 400
    error(response)


def test_if_match_with_the_current_version_applies_and_a_stale_one_is_a_412(as_editor, model):
    path = f"/mlmodels/{model['id']}"
    ok = as_editor.patch(path, [{"op": "add", "path": "/description", "value": "a"}], HTTP_IF_MATCH='W/"0.1"')
    stale = as_editor.patch(path, [{"op": "add", "path": "/description", "value": "b"}], HTTP_IF_MATCH='W/"0.1"')
    garbage = as_editor.patch(path, [{"op": "add", "path": "/description", "value": "b"}], HTTP_IF_MATCH="nonsense")
    assert ok.status_code == 200
    assert stale.status_code == 412
    assert "version 0.2" in error(stale)["message"]
    assert garbage.status_code == 400
    assert MlModel.objects.get().description == "a"


def test_a_soft_deleted_entity_cannot_be_patched(as_editor, model):
    as_editor.delete(f"/mlmodels/{model['id']}")
    response = as_editor.patch(f"/mlmodels/{model['id']}", [{"op": "add", "path": "/description", "value": "a"}])
    assert response.status_code == 404


def test_other_entities_are_patched_too(as_editor, as_admin):
    table = put_table(as_editor)
    response = as_editor.patch(
        f"/tables/{table['id']}",
        [
            {"op": "add", "path": "/columns/0/description", "value": "The key"},
            {"op": "add", "path": "/description", "value": "All"},
        ],
    )
    assert response.status_code == 200
    assert response.json()["columns"][0]["description"] == "The key"
    user = as_admin.put("/users", {"name": "alice", "email": "alice@example.com"}).json()
    response = as_admin.patch(f"/users/{user['id']}", [{"op": "add", "path": "/displayName", "value": "Alice"}])
    assert response.json()["displayName"] == "Alice"
