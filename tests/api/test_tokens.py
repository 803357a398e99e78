"""Issuing and revoking tokens: the management commands and the account's token page."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import ApiToken, User
from tests.api.conftest import ApiClient


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_issue_token_prints_a_working_token_once(editor):
    raw = run("issue_token", "edward", "--name", "ingestion")
    assert ApiClient(raw).get("/mlmodels").status_code == 200
    token = ApiToken.objects.get()
    assert token.name == "ingestion"
    assert token.user == editor
    assert token.expires_at is None


def test_issue_token_can_expire_the_token(editor):
    run("issue_token", "edward", "--days", "7")
    assert ApiToken.objects.get().expires_at is not None


def test_issue_token_creates_a_bot_editor_on_request(db):
    raw = run("issue_token", "ingestion-bot", "--create-bot")
    bot = User.objects.get(username="ingestion-bot")
    assert bot.is_bot
    assert bot.can_edit_catalogue
    assert not bot.has_usable_password()
    response = ApiClient(raw).put("/services/mlmodelServices", {"name": "svc", "serviceType": "Mlflow"})
    assert response.status_code == 201
    assert response.json()["updatedBy"] == "ingestion-bot"


def test_issue_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user 'ghost'"):
        run("issue_token", "ghost")


def test_revoke_token_revokes_by_name_and_all(editor):
    first = run("issue_token", "edward", "--name", "one")
    second = run("issue_token", "edward", "--name", "two")
    run("revoke_token", "edward", "one")
    assert ApiClient(first).get("/mlmodels").status_code == 401
    assert ApiClient(second).get("/mlmodels").status_code == 200
    run("revoke_token", "edward", "--all")
    assert ApiClient(second).get("/mlmodels").status_code == 401
    with pytest.raises(CommandError):
        run("revoke_token", "edward", "--all")


def test_the_token_page_needs_a_signed_in_user(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_token_page_issues_a_token_shown_once(client, viewer):
    client.force_login(viewer)
    response = client.post("/account/tokens", {"name": "notebook"})
    assert response.status_code == 200
    raw = response.context["issued"]["raw"]
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert ApiClient(raw).get("/mlmodels").status_code == 200
    again = client.get("/account/tokens").content.decode()
    assert raw not in again
    assert "notebook" in again


def test_the_token_page_revokes_only_the_users_own_tokens(client, viewer, editor):
    own, _ = ApiToken.issue(viewer, "mine")
    other, _ = ApiToken.issue(editor, "theirs")
    client.force_login(viewer)
    assert client.post(f"/account/tokens/{other.pk}/revoke").status_code == 404
    response = client.post(f"/account/tokens/{own.pk}/revoke")
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.revoked_at is not None
    assert other.revoked_at is None


def test_an_administrator_issues_tokens_for_bots_but_a_user_cannot(client, admin_user, viewer, db):
    bot = User.objects.create_user("bot", is_bot=True, role=User.Role.EDITOR)
    client.force_login(admin_user)
    response = client.post("/account/tokens", {"name": "bot token", "user": bot.pk})
    assert response.context["issued"]["token"].user == bot
    client.force_login(viewer)
    client.post("/account/tokens", {"name": "sneaky", "user": bot.pk})
    assert ApiToken.objects.get(name="sneaky").user == viewer


def test_the_token_page_shows_hostile_names_as_text(client, viewer):
    client.force_login(viewer)
    ApiToken.issue(viewer, "<script>alert(1)</script>")
    content = client.get("/account/tokens").content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
