"""Restoring a history version from its page: a preview first, then a confirmed POST, then an Undo."""

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import MlModel, Table
from catalog.services import changes, mlmodels

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def changed(churn_model, editor):
    return mlmodels.update_mlmodel(churn_model, editor, algorithm="LightGBM", description="Changed").entity


def restore_url(model, version):
    return reverse("mlmodel_history_restore", args=[model.pk, version])


def test_who_may_edit_sees_the_restore_button_on_an_older_version_only(as_owner, changed):
    old = as_owner.get(reverse("mlmodel_history_version", args=[changed.pk, "0.1"])).content.decode()
    assert "Restore this version" in old and restore_url(changed, "0.1") in old
    current = as_owner.get(reverse("mlmodel_history_version", args=[changed.pk, "1.1"])).content.decode()
    assert "Restore this version" not in current


def test_a_read_only_user_sees_no_button_and_is_refused(as_viewer, changed):
    page = as_viewer.get(reverse("mlmodel_history_version", args=[changed.pk, "0.1"])).content.decode()
    assert "Restore this version" not in page
    assert as_viewer.get(restore_url(changed, "0.1")).status_code == 403
    assert as_viewer.post(restore_url(changed, "0.1"), {"expected_version": "1.1"}).status_code == 403
    assert MlModel.objects.get(pk=changed.pk).algorithm == "LightGBM"


def test_an_anonymous_visitor_is_sent_to_sign_in(changed):
    response = Client().post(restore_url(changed, "0.1"), {"expected_version": "1.1"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert MlModel.objects.get(pk=changed.pk).version == changed.version


def test_the_preview_shows_the_diff_and_a_confirm_form_and_htmx_gets_the_fragment(as_editor, changed):
    page = as_editor.get(restore_url(changed, "0.1")).content.decode()
    assert "LightGBM</del>" in page and "XGBoost</ins>" in page
    assert 'name="expected_version" value="1.1"' in page and "csrfmiddlewaretoken" in page
    assert "never moves a model version into production" in page
    fragment = as_editor.get(restore_url(changed, "0.1"), **HTMX).content.decode()
    assert "<html" not in fragment and 'id="restore"' in fragment


def test_confirming_restores_as_a_new_version_and_the_history_offers_the_undo(as_editor, changed):
    response = as_editor.post(restore_url(changed, "0.1"), {"expected_version": "1.1"}, follow=True)
    assert MlModel.objects.get(pk=changed.pk).algorithm == "XGBoost"
    page = response.content.decode()
    assert "Restored history version 0.1: this is now history version 2.1." in page
    assert "Undo: restore history version 1.1" in page
    as_editor.post(restore_url(changed, "1.1"), {"expected_version": "2.1"})
    undone = MlModel.objects.get(pk=changed.pk)
    assert (undone.algorithm, str(undone.version)) == ("LightGBM", "3.1")


def test_a_save_after_the_preview_is_not_restored_over(as_editor, changed, editor):
    mlmodels.update_mlmodel(changed, editor, description="Newer")
    page = as_editor.post(restore_url(changed, "0.1"), {"expected_version": "1.1"}).content.decode()
    assert "Not restored" in page and 'value="1.2"' in page
    assert MlModel.objects.get(pk=changed.pk).description == "Newer"


def test_a_deleted_table_is_named_in_the_preview_and_the_restore_does_not_fail(
    as_editor, churn_model, editor, warehouse
):
    model = mlmodels.update_mlmodel(churn_model, editor, features=[]).entity
    changes.hard_delete(Table.objects.get(pk=warehouse["customers"].pk))
    page = as_editor.get(restore_url(model, "0.1")).content.decode()
    assert "No longer in the catalogue" in page and "feature age, source birth_date" in page
    assert as_editor.post(restore_url(model, "0.1"), {"expected_version": "0.2"}).status_code == 302
    assert MlModel.objects.get(pk=model.pk).features.count() == 2


def test_an_unknown_version_is_a_404(as_editor, changed):
    assert as_editor.get(restore_url(changed, "7.0")).status_code == 404
    assert as_editor.post(restore_url(changed, "nan"), {"expected_version": "1.1"}).status_code == 404
