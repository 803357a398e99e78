"""In the browser: preview a history version's restore, restore it, then undo it."""

import pytest
from playwright.sync_api import expect

from catalog.models import MlModel
from catalog.services import mlmodels
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_previews_restores_and_undoes_a_history_version(page, live_server, owner, churn_model, editor):
    mlmodels.update_mlmodel(churn_model, editor, algorithm="LightGBM", description="Changed")
    sign_in(page, live_server, "olivia", "pw-olivia-1")
    page.goto(f"{live_server.url}/mlmodels/{churn_model.pk}/history/0.1/")

    page.get_by_role("link", name="Restore this version").click()
    preview = page.locator("#restore")
    expect(preview.locator("del.diff-old", has_text="LightGBM")).to_be_visible()
    expect(preview.locator("ins.diff-new", has_text="XGBoost")).to_be_visible()
    expect(preview).to_contain_text("never moves a model version into production")

    page.get_by_role("button", name="Restore history version 0.1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of churn")
    expect(page.locator(".alert-success")).to_contain_text("this is now history version 2.1")
    assert MlModel.objects.get(pk=churn_model.pk).algorithm == "XGBoost"

    page.get_by_role("button", name="Undo: restore history version 1.1").click()
    expect(page.locator(".alert-success")).to_contain_text("this is now history version 3.1")
    assert MlModel.objects.get(pk=churn_model.pk).algorithm == "LightGBM"
