"""Bearer tokens: who may call the API, and what each persona may write."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import ApiToken, MlModel, Team
from catalog.services import assets
from tests.api.conftest import ApiClient, error, put_model, put_service, token_for


def test_a_request_without_a_token_is_a_401_json_with_a_bearer_challenge(anonymous):
    response = anonymous.get("/mlmodels")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert error(response)["message"].startswith("Not authorized")


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer", "Bearer a b", "Basic dXNlcjpwdw=="])
def test_a_bad_or_malformed_token_is_a_401(db, header):
    client = Client(headers={"Authorization": header})
    response = client.get("/api/v1/mlmodels")
    assert response.status_code == 401
    error(response)


def test_a_revoked_token_no_longer_works(editor):
    token, raw = ApiToken.issue(editor, "ci")
    assert ApiClient(raw).get("/mlmodels").status_code == 200
    token.revoke()
    assert ApiClient(raw).get("/mlmodels").status_code == 401


def test_an_expired_token_no_longer_works(editor):
    _, raw = ApiToken.issue(editor, "ci", expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(raw).get("/mlmodels").status_code == 401


def test_a_token_of_a_deactivated_user_no_longer_works(editor):
    raw = token_for(editor)
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    assert ApiClient(raw).get("/mlmodels").status_code == 401


def test_only_a_hash_of_the_token_is_stored_and_its_use_is_recorded(editor):
    token, raw = ApiToken.issue(editor, "ci")
    assert raw.startswith("mat_")
    assert raw not in token.key_hash
    assert token.last_used_at is None
    ApiClient(raw).get("/mlmodels")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_server_version_needs_no_token(anonymous, settings):
    settings.OM_COMPAT_VERSION = "2.0.9"
    response = anonymous.get("/system/version")
    assert response.status_code == 200
    assert response.json()["version"] == "2.0.9"
    assert isinstance(response.json()["timestamp"], int)


def test_a_viewer_reads_but_every_write_is_a_403_that_changes_nothing(as_editor, as_viewer):
    put_service(as_editor)
    model = put_model(as_editor)
    path = f"/mlmodels/{model['id']}"

    assert as_viewer.get(path).status_code == 200
    responses = [
        as_viewer.put("/mlmodels", {"name": "churn", "service": "models", "description": "mine"}),
        as_viewer.put("/mlmodels", {"name": "other", "service": "models"}),
        as_viewer.post("/mlmodels", {"name": "other", "service": "models"}),
        as_viewer.patch(path, [{"op": "add", "path": "/description", "value": "mine"}]),
        as_viewer.delete(path),
        as_viewer.put("/services/mlmodelServices", {"name": "mine", "serviceType": "Mlflow"}),
    ]

    assert [r.status_code for r in responses] == [403] * 6
    # Refused before the body is read (issue 11): the message names the collection, not the entity.
    assert error(responses[0])["message"] == "User vera may not change mlmodels: read-only access"
    assert MlModel.objects.get().description == ""
    assert MlModel.objects.count() == 1


def test_an_editor_writes_and_is_recorded_as_updated_by(as_editor):
    put_service(as_editor)
    model = put_model(as_editor)
    assert model["updatedBy"] == "edward"


def test_a_superuser_writes(as_admin):
    put_service(as_admin)
    assert put_model(as_admin)["updatedBy"] == "root"


def test_an_owner_with_the_viewer_role_edits_their_model_but_creates_nothing(as_editor, as_owner, owner):
    put_service(as_editor)
    model = put_model(as_editor, owners=[{"id": str(owner.pk), "type": "user"}])

    updated = as_owner.put("/mlmodels", {"name": "churn", "service": "models", "description": "by the owner"})
    patched = as_owner.patch(f"/mlmodels/{model['id']}", [{"op": "replace", "path": "/algorithm", "value": "GLM"}])
    created = as_owner.put("/mlmodels", {"name": "another", "service": "models", "algorithm": "a"})

    assert updated.status_code == 200
    assert updated.json()["updatedBy"] == "olivia"
    assert patched.status_code == 200
    assert created.status_code == 403
    assert as_owner.delete(f"/mlmodels/{model['id']}").status_code == 200


def test_a_member_of_an_owning_team_edits_the_model(as_editor, owner, editor):
    team = assets.save_team("churn-team", editor, users=[owner]).entity
    assert team.team_type == Team.TeamType.GROUP
    put_service(as_editor)
    model = put_model(as_editor, owners=[{"id": str(team.pk), "type": "team"}])
    as_member = ApiClient(token_for(owner))

    response = as_member.patch(f"/mlmodels/{model['id']}", [{"op": "add", "path": "/description", "value": "ours"}])

    assert response.status_code == 200
    assert response.json()["description"] == "ours"


def test_a_signed_in_browser_session_reads_the_api_but_writes_need_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get("/api/v1/mlmodels").status_code == 200
    response = client.put(
        "/api/v1/services/mlmodelServices", '{"name": "svc", "serviceType": "Mlflow"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in error(response)["message"]


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("put", "/mlmodels", {"name": "x", "service": "no-such-service"}),
        ("put", "/mlmodels", {"bogus": 1}),
        ("post", "/tables", "not an object"),
        ("put", "/services/databaseServices", {"name": "x", "serviceType": "NoSuchType"}),
        ("put", "/mlmodels/restore", {"id": "not-a-uuid"}),
        ("patch", "/mlmodels/00000000-0000-0000-0000-000000000000", [{"op": "bogus"}]),
        ("delete", "/mlmodels/00000000-0000-0000-0000-000000000000?hardDelete=maybe", None),
        ("delete", "/tags/name/No.Such", None),
        ("put", "/lineage", {"edge": {"fromEntity": {"id": "x", "type": "table"}}}),
        ("delete", "/lineage/table/00000000-0000-0000-0000-000000000000/mlmodel/0", None),
    ],
)
def test_a_read_only_caller_is_refused_before_the_request_is_judged(as_viewer, anonymous, method, path, body):
    """A 403 (401 without a token), never the 400 or 404 a writer would get (issue 11)."""
    args = (path,) if method == "delete" else (path, body)
    assert getattr(as_viewer, method)(*args).status_code == 403
    assert getattr(anonymous, method)(*args).status_code == 401


def test_a_writer_still_hears_what_is_wrong_with_the_request(as_editor):
    assert as_editor.put("/mlmodels", {"name": "x", "service": "no-such-service"}).status_code == 404
    assert as_editor.put("/mlmodels", {"bogus": 1}).status_code == 400


def test_an_owner_with_the_viewer_role_hears_what_is_wrong_with_their_request(as_editor, as_owner, owner):
    put_service(as_editor)
    model = put_model(as_editor, owners=[{"id": str(owner.pk), "type": "user"}])
    response = as_owner.patch(f"/mlmodels/{model['id']}", [{"op": "replace", "path": "/algorithm", "value": 1}])
    assert response.status_code == 400
