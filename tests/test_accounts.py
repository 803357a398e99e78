"""Accounts are an administrator's, and an account that is deleted or deactivated loses its access at once.

Through the public doors: the API with tokens, the admin console and browser
sessions with the test client, ``issue_token`` as an operator runs it.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from catalog.models import ApiToken, Team, User
from catalog.services import assets
from tests.api.conftest import ApiClient, error, token_for


@pytest.fixture
def team(editor):
    return assets.save_team("data-science", "test", users=[editor]).entity


def bot_token() -> str:
    out = StringIO()
    call_command("issue_token", "ingestion-bot", "--create-bot", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.mark.parametrize("who", ["editor", "editor bot"])
def test_an_editor_cannot_hard_delete_an_administrator(editor, admin_user, who):
    api = ApiClient(token_for(editor) if who == "editor" else bot_token())

    response = api.delete(f"/users/{admin_user.pk}?hardDelete=true")

    assert response.status_code == 403, "issue 11: an editor deleted an administrator"
    assert "only administrators manage accounts" in error(response)["message"]
    assert User.objects.filter(pk=admin_user.pk, deleted=False).exists()


def test_an_editor_changes_no_account_through_the_api(editor, admin_user, viewer, team):
    api = ApiClient(token_for(editor))
    attempts = [
        api.patch(f"/users/{admin_user.pk}", [{"op": "replace", "path": "/email", "value": "me@evil.example"}]),
        api.patch(f"/users/{viewer.pk}", [{"op": "add", "path": "/displayName", "value": "Renamed"}]),
        api.put("/users", {"name": viewer.username, "email": "v@example.com", "isBot": True}),
        api.put("/users", {"name": "newcomer", "email": "new@example.com"}),
        api.post("/teams", {"name": "admins", "teamType": "Group"}),
        api.put("/teams", {"name": "data-science", "users": [str(viewer.pk)]}),
        api.patch(f"/teams/{team.pk}", [{"op": "add", "path": "/description", "value": "ours"}]),
        api.delete(f"/users/{viewer.pk}"),
        api.delete(f"/teams/{team.pk}?hardDelete=true"),
        api.put("/users/restore", {"id": str(viewer.pk)}),
    ]

    assert [r.status_code for r in attempts] == [403] * len(attempts)
    admin_user.refresh_from_db()
    viewer.refresh_from_db()
    assert admin_user.email == "root@example.com"
    assert (viewer.display_name, viewer.is_bot, viewer.deleted) == ("", False, False)
    assert not User.objects.filter(username="newcomer").exists()
    assert list(Team.objects.values_list("name", flat=True)) == ["data-science"]
    assert list(team.users.all()) == [editor]


def test_an_administrator_manages_accounts_through_the_api(admin_user, viewer, team):
    api = ApiClient(token_for(admin_user))
    changed = api.patch(f"/users/{viewer.pk}", [{"op": "add", "path": "/displayName", "value": "Vera V."}])
    created = api.put("/users", {"name": "newcomer", "email": "new@example.com"})
    members = api.put("/teams", {"name": "data-science", "users": [str(viewer.pk)]})
    assert (changed.status_code, created.status_code, members.status_code) == (200, 201, 200)
    assert api.delete(f"/teams/{team.pk}?hardDelete=true").status_code == 200


@pytest.fixture
def staff_editor(editor):
    """An editor given every model permission in the console: still no account of anyone's to change."""
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(*Permission.objects.all())
    return editor


def test_the_console_refuses_an_editor_every_account_change(client, staff_editor, admin_user, team):
    client.force_login(staff_editor)
    change_page = client.get(f"/admin/catalog/user/{admin_user.pk}/change/")
    posted = client.post(
        f"/admin/catalog/user/{admin_user.pk}/change/",
        {"username": "root", "email": "me@evil.example", "role": "viewer", "is_active": "on"},
    )
    deleted = client.post(f"/admin/catalog/user/{admin_user.pk}/delete/", {"post": "yes"})
    soft = client.post("/admin/catalog/user/", {"action": "soft_delete_selected", "_selected_action": [admin_user.pk]})
    added = client.get("/admin/catalog/team/add/")
    group = client.get("/admin/auth/group/add/")

    assert b'name="_save"' not in change_page.content
    assert (posted.status_code, deleted.status_code, added.status_code, group.status_code) == (403, 403, 403, 403)
    assert soft.status_code == 200  # the changelist again: the action is not offered
    admin_user.refresh_from_db()
    assert (admin_user.email, admin_user.deleted, admin_user.is_active) == ("root@example.com", False, True)
    assert client.get(f"/admin/catalog/team/{team.pk}/delete/").status_code == 403


def test_the_console_shows_staff_only_their_own_tokens_to_revoke(client, staff_editor, admin_user):
    theirs, raw = ApiToken.issue(admin_user, "admin laptop")
    ApiToken.issue(staff_editor, "my notebook")
    client.force_login(staff_editor)

    page = client.get("/admin/catalog/apitoken/").content.decode()
    client.post("/admin/catalog/apitoken/", {"action": "revoke_selected", "_selected_action": [theirs.pk]})

    assert "my notebook" in page and "admin laptop" not in page
    assert ApiToken.authenticate(raw) is not None


# -- A deleted or deactivated account loses its access at once ------------------------------------------------------


def signed_in_as(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    return client


def test_a_soft_deleted_user_is_signed_out_and_their_tokens_stop(admin_user, editor):
    raw = token_for(editor)
    browser = signed_in_as(editor)

    assert ApiClient(token_for(admin_user)).delete(f"/users/{editor.pk}").status_code == 200

    assert ApiClient(raw).get("/mlmodels").status_code == 401
    assert browser.get("/").status_code == 302  # to the sign-in page: the session is gone
    refused = Client().post("/login/", {"username": "edward", "password": "pw-edward-1"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session


def test_restoring_a_deleted_user_does_not_give_their_access_back(admin_user, editor):
    raw = token_for(editor)
    admin = ApiClient(token_for(admin_user))
    admin.delete(f"/users/{editor.pk}")

    assert admin.put("/users/restore", {"id": str(editor.pk)}).status_code == 200

    editor.refresh_from_db()
    assert (editor.deleted, editor.is_active) == (False, False)
    assert ApiClient(raw).get("/mlmodels").status_code == 401


def test_deactivating_a_user_in_the_console_ends_their_sessions_for_good(client, admin_user, editor):
    browser = signed_in_as(editor)
    client.force_login(admin_user)
    form = {"username": "edward", "email": "", "role": "editor"}  # is_active left unticked

    assert client.post(f"/admin/catalog/user/{editor.pk}/change/", form).status_code == 302
    assert browser.get("/").status_code == 302
    form["is_active"] = "on"
    client.post(f"/admin/catalog/user/{editor.pk}/change/", form)

    editor.refresh_from_db()
    assert editor.is_active
    assert browser.get("/").status_code == 302, "the old session must not come back with the account"
