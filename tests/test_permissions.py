"""Who may do what: one table of roles, asked of catalog.permissions, which every door asks too."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from catalog import permissions
from catalog.models import Team, User
from tests.conftest import make


@pytest.fixture
def people(db, owner, editor, viewer, admin_user):
    member = User.objects.create_user("member", password="x")
    inactive_editor = User.objects.create_user("gone", password="x", role=User.Role.EDITOR, is_active=False)
    return {
        "anonymous": AnonymousUser(),
        "read-only": viewer,
        "owner": owner,
        "team member": member,
        "editor": editor,
        "administrator": admin_user,
        "inactive editor": inactive_editor,
    }


@pytest.fixture
def owned_by_team(churn_model, people):
    team = make(Team(name="ml-team", team_type=Team.TeamType.GROUP))
    team.users.add(people["team member"])
    churn_model.owner_teams.add(team)
    return churn_model


@pytest.mark.parametrize(
    "who, may_read, may_edit_own, may_edit_any",
    [
        ("anonymous", False, False, False),
        ("read-only", True, False, False),
        ("owner", True, True, False),
        ("team member", True, True, False),
        ("editor", True, True, True),
        ("administrator", True, True, True),
        ("inactive editor", False, False, False),
    ],
)
def test_each_role_reads_and_edits_what_it_should(people, owned_by_team, who, may_read, may_edit_own, may_edit_any):
    user = people[who]
    assert permissions.can_read(user) is may_read
    assert permissions.can_edit(user, owned_by_team) is may_edit_own
    assert permissions.can_delete(user, owned_by_team) is may_edit_own
    assert permissions.can_edit(user) is may_edit_any


def test_tokens_are_ones_own_and_administrators_also_manage_bots(people):
    bot = User.objects.create_user("ingest-bot", is_bot=True)
    assert list(permissions.token_holders(people["editor"])) == [people["editor"]]
    assert set(permissions.token_holders(people["administrator"])) == {people["administrator"], bot}


def test_the_admin_refuses_a_staff_read_only_user_the_change_the_pages_refuse(client, viewer, churn_model):
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["change_mlmodel", "view_mlmodel"]))
    client.force_login(viewer)
    response = client.get(f"/admin/catalog/mlmodel/{churn_model.pk}/change/")
    assert response.status_code == 200
    assert b'name="_save"' not in response.content  # shown read-only: no save button
