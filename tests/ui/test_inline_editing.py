"""Inline editing of a model's fields: one version per save, bad input kept in the form, stale saves refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import EntityVersion, MlModel, Team
from catalog.services import mlmodels
from pages.views.mlmodels import version_sync
from tests.conftest import make
from tests.ui.conftest import HTMX


def edit_url(model, name):
    return reverse("mlmodel_field_edit", args=[model.pk, name])


def reload(model):
    return MlModel.objects.get(pk=model.pk)


def versions_of(model):
    return EntityVersion.objects.filter(entity_id=model.pk).count()


def save(client, model, name, data, *, htmx=True, version=None):
    payload = {"expected_version": str(version or model.version), **data}
    return client.post(edit_url(model, name), payload, **(HTMX if htmx else {}))


# --- Opening a form -------------------------------------------------------------------------------


def test_an_htmx_click_on_edit_returns_only_the_form_in_place_of_the_field(as_owner, churn_model):
    response = as_owner.get(edit_url(churn_model, "target"), **HTMX)
    content = response.content.decode().strip()
    assert content.startswith('<div id="field-target" class="field field-editing">')
    assert "<html" not in content
    assert 'name="expected_version" value="0.1"' in content
    assert 'value="churned"' in content
    assert '<label for="edit-target-target">Target</label>' in content


def test_without_javascript_the_edit_link_opens_a_whole_page_with_the_form(as_owner, churn_model):
    response = as_owner.get(edit_url(churn_model, "target"))
    content = response.content.decode()
    assert "<html" in content and "<h1>Edit churn</h1>" in content
    assert f'action="{edit_url(churn_model, "target")}"' in content


def test_an_unknown_field_is_a_404(as_owner, churn_model):
    assert as_owner.get(edit_url(churn_model, "name")).status_code == 404
    assert as_owner.get(edit_url(churn_model, "service")).status_code == 404


@pytest.mark.parametrize("name", ["algorithm", "server", "target"])
def test_a_major_field_warns_which_version_saving_makes(as_owner, churn_model, name):
    model = mlmodels.update_mlmodel(churn_model, "test", description="a").entity
    model = mlmodels.update_mlmodel(model, "test", description="b").entity
    model = mlmodels.update_mlmodel(model, "test", algorithm="GLM").entity  # now 1.3
    content = as_owner.get(edit_url(model, name), **HTMX).content.decode()
    assert "is a major change: saving makes this version 2.3." in content


def test_a_minor_field_has_no_major_warning(as_owner, churn_model):
    assert b"major change" not in as_owner.get(edit_url(churn_model, "description"), **HTMX).content


# --- Saving ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, attribute, value, version",
    [
        ("display_name", {"display_name": "Customer churn"}, "display_name", "Customer churn", "0.2"),
        ("description", {"description": "Predicts *churn*"}, "description", "Predicts *churn*", "0.2"),
        ("algorithm", {"algorithm": "LightGBM"}, "algorithm", "LightGBM", "1.1"),
        ("target", {"target": "will_churn"}, "target", "will_churn", "1.1"),
        ("server", {"server": "https://serve.example.com/churn"}, "server", "https://serve.example.com/churn", "1.1"),
        (
            "source_url",
            {"source_url": "https://mlflow.example.com/m/1"},
            "source_url",
            "https://mlflow.example.com/m/1",
            "0.2",
        ),
        (
            "ml_store",
            {"ml_store_storage": "s3://m/churn.pkl", "ml_store_image": "reg/churn:1"},
            "ml_store_image",
            "reg/churn:1",
            "0.2",
        ),
    ],
)
def test_saving_a_field_makes_exactly_one_version_and_shows_the_new_value(
    as_owner, churn_model, name, data, attribute, value, version
):
    response = save(as_owner, churn_model, name, data)
    model = reload(churn_model)
    assert getattr(model, attribute) == value
    assert model.version == Decimal(version)
    assert versions_of(model) == 1
    assert model.updated_by == "olivia"
    content = response.content.decode()
    assert content.lstrip().startswith(f'<div id="field-{name}"') or content.lstrip().startswith(
        f'<section id="field-{name}"'
    )
    # The version badge and the history are refreshed out of band.
    assert (
        'id="model-version" class="badge badge-version badge-large" href="#section-versions" hx-swap-oob="true"'
        in content
    )
    assert f"v{version}" in content
    assert 'id="section-versions"' in content and 'hx-swap-oob="true"' in content


def test_saving_the_same_value_makes_no_version(as_owner, churn_model):
    save(as_owner, churn_model, "target", {"target": "churned"})
    assert versions_of(churn_model) == 0 and reload(churn_model).version == Decimal("0.1")


def test_without_javascript_a_save_redirects_back_to_the_field_with_a_message(as_owner, churn_model):
    response = save(as_owner, churn_model, "target", {"target": "will_churn"}, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("mlmodel", args=[churn_model.pk]) + "#field-target"
    page = as_owner.get(response["Location"]).content.decode()
    assert "Target saved: this is now version 1.1." in page


def test_an_editor_and_an_admin_save_too(client, churn_model, editor, admin_user):
    client.force_login(editor)
    save(client, churn_model, "target", {"target": "a"})
    client.force_login(admin_user)
    save(client, reload(churn_model), "target", {"target": "b"})
    model = reload(churn_model)
    assert model.target == "b" and model.updated_by == "root" and versions_of(model) == 2


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("server", {"server": "not a url"}, "Enter a valid http(s) URL, not &#x27;not a url&#x27;."),
        ("server", {"server": "javascript:alert(1)"}, "Enter a valid http(s) URL"),
        ("source_url", {"source_url": "ftp://x"}, "Enter a valid http(s) URL"),
        ("algorithm", {"algorithm": "  "}, "This field is required."),
        ("algorithm", {"algorithm": "x" * 300}, "Ensure this value has at most 256 characters"),
        ("description", {"description": "nul\x00byte"}, "Null characters are not allowed."),
        ("tags", {"add_tag": "No.Such"}, "There is no tag called “No.Such”."),
        ("owners", {"add_owner": "nobody"}, "There is no user or team called “nobody”."),
        ("dashboard", {"dashboard": "superset.missing"}, "There is no dashboard called “superset.missing”."),
    ],
)
def test_bad_input_keeps_the_form_open_with_the_message_next_to_the_field_and_saves_nothing(
    as_owner, churn_model, name, data, message, dashboard, pii
):
    response = save(as_owner, churn_model, name, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<div id="field-{name}" class="field field-editing">' in content
    assert message in content
    assert 'aria-invalid="true"' in content
    assert versions_of(churn_model) == 0


def test_a_department_cannot_own_a_model_and_says_why(as_owner, churn_model):
    make(Team(name="finance", team_type=Team.TeamType.DEPARTMENT))
    response = save(
        as_owner,
        churn_model,
        "owners",
        {"owners": [f"user:{churn_model.owner_users.get().pk}"], "add_owner": "finance"},
    )
    assert "only Group teams own" in response.content.decode()
    assert versions_of(churn_model) == 0


def test_a_missing_expected_version_is_refused(as_owner, churn_model):
    response = as_owner.post(edit_url(churn_model, "target"), {"target": "x"}, **HTMX)
    assert b"This form does not say which version it was opened at." in response.content
    assert versions_of(churn_model) == 0


# --- Lost updates ---------------------------------------------------------------------------------


def test_a_save_over_a_newer_version_is_refused_with_the_current_value(as_owner, churn_model, editor):
    opened_at = churn_model.version
    mlmodels.update_mlmodel(churn_model, editor, target="churned_90d")  # someone else saves first
    response = save(as_owner, churn_model, "target", {"target": "mine"}, version=opened_at)
    content = response.content.decode()
    assert reload(churn_model).target == "churned_90d"
    assert "Not saved: edward saved version 1.1 after you opened this form." in content
    assert '<blockquote class="current-value">churned_90d</blockquote>' in content
    # The user's input is kept, and a second, deliberate save now carries the current version.
    assert 'value="mine"' in content and 'name="expected_version" value="1.1"' in content
    save(as_owner, reload(churn_model), "target", {"target": "mine"})
    assert reload(churn_model).target == "mine"


def test_a_stale_save_without_javascript_is_refused_too(as_owner, churn_model, editor):
    mlmodels.update_mlmodel(churn_model, editor, description="theirs")
    response = save(as_owner, churn_model, "description", {"description": "mine"}, htmx=False, version="0.1")
    assert response.status_code == 200
    assert "Not saved: edward saved version 0.2" in response.content.decode()
    assert reload(churn_model).description == "theirs"


# --- Owners, tags and dashboard pickers -----------------------------------------------------------


def test_the_tags_form_lists_current_tags_as_ticked_chips_and_suggests_tags(as_owner, churn_model, pii):
    mlmodels.update_mlmodel(churn_model, "test", tags=[pii["sensitive"]])
    content = as_owner.get(edit_url(reload(churn_model), "tags"), **HTMX).content.decode()
    assert '<input type="checkbox" name="tags" value="PII.Sensitive" checked>' in content
    assert 'list="edit-tags-add_tag-options"' in content
    assert f'hx-get="{reverse("autocomplete_tags")}"' in content
    assert '<option value="PII.NonSensitive">' in content


def test_tags_are_added_and_removed_in_one_save(as_owner, churn_model, pii):
    mlmodels.update_mlmodel(churn_model, "test", tags=[pii["sensitive"]])
    model = reload(churn_model)
    response = save(as_owner, model, "tags", {"add_tag": "PII.NonSensitive"})  # unticked Sensitive, added NonSensitive
    model = reload(model)
    assert [t.fqn for t in model.tags.all()] == ["PII.NonSensitive"]
    assert model.version == Decimal("0.3") and versions_of(model) == 2
    assert f'href="{reverse("tag", args=[pii["non_sensitive"].pk])}">PII.NonSensitive</a>' in response.content.decode()


def test_a_tag_can_be_added_by_its_short_name_when_unambiguous(as_owner, churn_model, pii):
    save(as_owner, churn_model, "tags", {"add_tag": "NonSensitive"})
    assert [t.fqn for t in reload(churn_model).tags.all()] == ["PII.NonSensitive"]


def test_owners_are_users_or_teams_added_by_name_and_removed_by_unticking(as_owner, churn_model, owner, editor):
    team = make(Team(name="data-science"))
    save(as_owner, churn_model, "owners", {"owners": [f"user:{owner.pk}"], "add_owner": "data-science"})
    model = reload(churn_model)
    assert [o.name for o in model.owners()] == ["data-science", "olivia"]
    save(as_owner, model, "owners", {"owners": [f"team:{team.pk}"], "add_owner": "edward"})
    assert [o.name for o in reload(model).owners()] == ["data-science", "edward"]


def test_an_owner_who_removes_themselves_loses_the_edit_controls_at_once(as_owner, churn_model):
    response = save(as_owner, churn_model, "owners", {"add_owner": "edward"})
    assert "✎" not in response.content.decode().split('id="model-version"')[0]


def test_the_dashboard_is_picked_by_name_and_can_be_cleared(as_owner, churn_model, dashboard):
    save(as_owner, churn_model, "dashboard", {"dashboard": "superset.churn-monitoring"})
    assert reload(churn_model).dashboard == dashboard
    save(as_owner, reload(churn_model), "dashboard", {"dashboard": ""})
    assert reload(churn_model).dashboard is None


def test_cancel_fetches_the_field_display_again(as_owner, churn_model):
    content = as_owner.get(edit_url(churn_model, "target"), **HTMX).content.decode()
    cancel = reverse("mlmodel", args=[churn_model.pk]) + "?part=field-target"
    assert f'hx-get="{cancel}"' in content
    display = as_owner.get(cancel, **HTMX).content.decode().strip()
    assert display.startswith('<div id="field-target" class="field detail">')


def test_the_description_renders_markdown_after_saving(as_owner, churn_model):
    response = save(as_owner, churn_model, "description", {"description": "# Churn\n\n<b>raw</b> *x*"})
    content = response.content.decode()
    assert "<h1>Churn</h1>" in content and "<em>x</em>" in content
    assert "&lt;b&gt;raw&lt;/b&gt;" in content


def test_after_a_save_on_top_of_the_shown_version_the_page_s_remove_forms_may_follow(as_owner, churn_model):
    content = save(as_owner, churn_model, "target", {"target": "x"}).content.decode()
    assert '<div id="version-sync" hx-swap-oob="true" hidden data-from="0.1" data-to="1.1"></div>' in content


def test_after_someone_else_saved_in_between_the_remove_forms_keep_their_version(as_owner, churn_model, editor):
    mlmodels.update_mlmodel(churn_model, editor, description="theirs")  # 0.2, unseen by the page
    model = reload(churn_model)
    content = save(as_owner, model, "target", {"target": "x"}).content.decode()  # a form opened at 0.2: 1.2
    assert 'data-from="0.2" data-to="1.2"' in content
    # A form the page opened at 0.1 would be stale; had it been saved, no sync is offered.
    assert version_sync(reload(model), Decimal("0.1")) is None
