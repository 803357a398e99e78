"""Signing in and out, and who may read and edit what."""

import pytest
from django.urls import reverse

from catalog.models import EntityVersion, Team, User
from catalog.services import mlmodels
from tests.conftest import make
from tests.ui.conftest import HTMX


def read_urls(model):
    feature = model.features.first()
    column = feature.sources.first().column
    return [
        reverse("home"),
        reverse("explore"),
        reverse("mlmodel", args=[model.pk]),
        reverse("mlmodel_history", args=[model.pk]),
        reverse("mlmodel_history_version", args=[model.pk, "0.1"]),
        reverse("table_list"),
        reverse("table", args=[column.table_id]),
        reverse("column", args=[column.pk]),
        reverse("dashboard_list"),
        reverse("people"),
        reverse("user", args=[model.owner_users.first().pk]),
        reverse("tag_list"),
        reverse("service_list"),
        reverse("service", args=[model.service_id]),
        reverse("autocomplete_tags"),
    ]


def edit_requests(model):
    """Every edit endpoint of a model page, as (method, url)."""
    feature = model.features.first()
    urls = [
        *(
            reverse("mlmodel_field_edit", args=[model.pk, name])
            for name in (
                "display_name",
                "description",
                "algorithm",
                "target",
                "server",
                "ml_store",
                "source_url",
                "dashboard",
                "owners",
                "tags",
            )
        ),
        reverse("mlmodel_hyperparameter_add", args=[model.pk]),
        reverse("mlmodel_hyperparameter_edit", args=[model.pk, 0]),
        reverse("mlmodel_feature_add", args=[model.pk]),
        reverse("mlmodel_feature_edit", args=[model.pk, feature.pk]),
        reverse("mlmodel_source_add", args=[model.pk, feature.pk]),
        reverse("mlmodel_source_edit", args=[model.pk, feature.pk, 0]),
    ]
    removals = [
        reverse("mlmodel_hyperparameter_remove", args=[model.pk, 0]),
        reverse("mlmodel_feature_remove", args=[model.pk, feature.pk]),
        reverse("mlmodel_source_remove", args=[model.pk, feature.pk, 0]),
    ]
    return [("get", u) for u in urls] + [("post", u) for u in urls + removals]


def test_every_page_sends_a_signed_out_visitor_to_the_sign_in_page(client, churn_model):
    for url in read_urls(churn_model):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_an_htmx_request_from_an_expired_session_reloads_the_whole_page_at_sign_in(client, churn_model):
    """A fragment must not receive the sign-in page: htmx is told to redirect the window."""
    page = reverse("mlmodel", args=[churn_model.pk])
    response = client.get(
        reverse("mlmodel_field_edit", args=[churn_model.pk, "tags"]),
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next={page}"


def test_the_sign_in_page_signs_a_user_in_and_returns_to_where_they_were_going(client, owner, churn_model):
    page = reverse("mlmodel", args=[churn_model.pk])
    form = client.get(reverse("login") + f"?next={page}")
    assert b'<label for="id_username"' in form.content
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia-1", "next": page})
    assert response.status_code == 302 and response["Location"] == page


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "olivia", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_signing_out_ends_the_session(as_owner):
    response = as_owner.post(reverse("logout"))
    assert response.status_code == 302
    assert as_owner.get(reverse("home")).status_code == 302


def test_the_user_menu_links_to_the_profile_and_to_api_tokens(as_owner, owner):
    content = as_owner.get(reverse("home")).content.decode()
    assert reverse("user", args=[owner.pk]) in content
    assert f'href="{reverse("account_tokens")}"' in content
    assert reverse("logout") in content


def test_every_page_carries_the_csrf_token_in_an_htmx_header(as_owner):
    content = as_owner.get(reverse("home")).content.decode()
    assert '<body hx-headers=\'{"X-CSRFToken": "' in content


@pytest.mark.parametrize("persona", ["owner", "editor", "admin_user"])
def test_owners_editors_and_admins_see_the_edit_controls(client, churn_model, persona, request):
    client.force_login(request.getfixturevalue(persona))
    content = client.get(reverse("mlmodel", args=[churn_model.pk])).content.decode()
    assert reverse("mlmodel_field_edit", args=[churn_model.pk, "tags"]) in content
    assert reverse("mlmodel_hyperparameter_add", args=[churn_model.pk]) in content


def test_a_read_only_user_sees_no_edit_control(as_viewer, churn_model):
    content = as_viewer.get(reverse("mlmodel", args=[churn_model.pk])).content.decode()
    assert f"/mlmodels/{churn_model.pk}/fields/" not in content
    assert "/hyperparameters/" not in content and "/sources/" not in content
    assert "✎" not in content and "+ Add" not in content
    assert "Its owners and the catalogue's editors can change it." in content


def test_a_read_only_user_gets_403_on_every_edit_request_and_nothing_changes(as_viewer, churn_model):
    for method, url in edit_requests(churn_model):
        response = getattr(as_viewer, method)(url, {"expected_version": "0.1", "algorithm": "X", "name": "x"})
        assert response.status_code == 403, (method, url)
        htmx_response = getattr(as_viewer, method)(url, {"expected_version": "0.1", "name": "x"}, **HTMX)
        assert htmx_response.status_code == 403, (method, url)
    assert not EntityVersion.objects.filter(entity_id=churn_model.pk).exists()


def test_the_403_page_is_friendly(as_viewer, churn_model):
    response = as_viewer.get(reverse("mlmodel_field_edit", args=[churn_model.pk, "tags"]))
    assert response.status_code == 403
    assert "only a model's owners and the catalogue's editors can change it" in response.content.decode()


def test_a_member_of_an_owning_team_edits_the_model(client, churn_model, viewer):
    team = make(Team(name="ds"))
    team.users.add(viewer)
    mlmodels.update_mlmodel(churn_model, "test", owners=[team])
    client.force_login(viewer)
    response = client.get(reverse("mlmodel_field_edit", args=[churn_model.pk, "tags"]))
    assert response.status_code == 200


def test_an_inactive_editor_edits_nothing(client, churn_model):
    former = User.objects.create_user("former", password="x", role=User.Role.EDITOR, is_active=False)
    client.force_login(former)
    assert client.get(reverse("mlmodel", args=[churn_model.pk])).status_code == 302


def test_a_deleted_model_is_shown_read_only_even_to_its_owner(as_owner, churn_model, owner):
    from catalog.services import deletion

    deletion.delete(churn_model, owner)
    response = as_owner.get(reverse("mlmodel", args=[churn_model.pk]))
    assert b"This model was deleted" in response.content
    assert b"\xe2\x9c\x8e" not in response.content  # no ✎ edit button
    assert as_owner.get(reverse("mlmodel_field_edit", args=[churn_model.pk, "tags"])).status_code == 403


def test_an_unknown_page_gets_the_friendly_404(as_owner):
    response = as_owner.get("/mlmodels/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert b"Nothing here" in response.content and b"Search ML models" in response.content
