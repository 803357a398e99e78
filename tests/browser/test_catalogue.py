"""The browser catalogue in a real browser: find a model, edit it inline, read its history."""

import re

import pytest
from playwright.sync_api import expect

from catalog.models import MlModel
from catalog.services import mlmodels
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def model_url(live_server, model):
    return f"{live_server.url}/mlmodels/{model.pk}/"


def test_a_user_signs_in_searches_filters_by_a_tag_and_opens_a_model(
    page, live_server, viewer, churn_model, fraud_model, pii
):
    mlmodels.update_mlmodel(churn_model, "test", tags=[pii["sensitive"]])
    sign_in(page, live_server, "vera", "pw-vera-1")

    page.get_by_role("searchbox", name="Search ML models").first.fill("fraud")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mlmodels/\?q=fraud"))
    results = page.locator("#explore-results")
    expect(results.locator(".model-card")).to_have_count(1)
    expect(results).to_contain_text("fraud")

    # Typing swaps only the results and keeps the address shareable.
    page.locator("#explore-q").fill("")
    page.wait_for_url(re.compile(r"/mlmodels/\?q=&"))
    expect(results.locator(".model-card")).to_have_count(2)
    page.locator("#explore-results .facet").filter(has_text="Tag").get_by_text("PII.Sensitive").click()
    page.wait_for_url(re.compile(r"tag=PII.Sensitive"))
    expect(results.locator(".model-card")).to_have_count(1)
    expect(results.locator(".model-card")).to_contain_text("churn")
    shared = page.url

    # The pushed URL renders the same results as a whole page.
    page.goto(shared)
    expect(page.locator("#explore-results .model-card")).to_have_count(1)
    expect(page.get_by_label("PII.Sensitive")).to_be_checked()

    page.get_by_role("link", name="churn", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("churn")
    expect(page.locator("#model-version")).to_contain_text("v0.2")


def test_an_owner_edits_tags_hyperparameters_and_a_feature_source_and_reads_the_diffs(
    page, live_server, owner, churn_model, orders, pii, artifacts
):
    sign_in(page, live_server, "olivia", "pw-olivia-1")
    page.goto(model_url(live_server, churn_model))
    version = page.locator("#model-version")
    expect(version).to_contain_text("v0.1")

    # Tags: pick one from the suggestions and save, in place.
    page.get_by_role("link", name="Edit tags").click()
    tag_input = page.get_by_label("Add a tag")
    tag_input.fill("PII.NonSens")
    expect(page.locator("#edit-tags-add_tag-options option[value='PII.NonSensitive']")).to_have_count(1)
    tag_input.fill("PII.NonSensitive")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#field-tags")).to_contain_text("PII.NonSensitive")
    expect(version).to_contain_text("v0.2")

    # A hyperparameter row.
    page.get_by_role("link", name="+ Add hyperparameter").click()
    row = page.locator("#hp-new")
    row.get_by_label("Name").fill("eta")
    row.get_by_label("Value").fill("0.3")
    row.get_by_role("button", name="Add").click()
    expect(page.locator("#section-hyperparameters")).to_contain_text("eta")
    expect(version).to_contain_text("v0.3")

    # Re-point the persona feature's gender source to another table's column.
    persona = page.locator("article.feature").filter(has=page.get_by_role("heading", name="persona"))
    persona.get_by_role("link", name="Edit source gender").click()
    form = persona.locator("tr.row-editing")
    form.get_by_label("Table").fill("warehouse.analytics.public.orders")
    column_select = form.get_by_label("Column")
    expect(column_select.locator("option", has_text="customer_gender")).to_have_count(1)
    column_select.select_option(label="customer_gender (STRING)")
    form.get_by_role("button", name="Save").click()
    persona = page.locator("article.feature").filter(has=page.get_by_role("heading", name="persona"))
    expect(persona.get_by_role("link", name="customer_gender")).to_be_visible()
    expect(version).to_contain_text("v0.4")

    # Each save is a version with its diff, newest first.
    history = page.locator("#section-versions")
    expect(history.locator("li.version")).to_have_count(4)
    newest = history.locator("li.version").first
    expect(newest).to_contain_text("Changed feature persona")
    expect(newest.locator("ins.diff-new").last).to_contain_text("orders.customer_gender")
    second = history.locator("li.version").nth(1)
    second.locator("summary").click()
    expect(second.locator("ins.diff-new")).to_contain_text("eta = 0.3")
    third = history.locator("li.version").nth(2)
    third.locator("summary").click()
    expect(third.locator("ins.diff-new")).to_contain_text("PII.NonSensitive")

    page.goto(model_url(live_server, churn_model))
    page.screenshot(path=str(artifacts / "model-page.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "model-page-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("link", name="All history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of churn")
    expect(page.locator("li.version")).to_have_count(4)
    page.screenshot(path=str(artifacts / "history-page.png"), full_page=True)

    stored = MlModel.objects.get(pk=churn_model.pk)
    assert str(stored.version) == "0.4"
    assert stored.features.get(name="persona").sources.first().column.name == "customer_gender"


def test_remove_buttons_still_work_after_another_inline_save_on_the_page(page, live_server, owner, churn_model):
    """The Remove forms were rendered at 0.1; a save by this page moves them on, so they are not refused."""
    sign_in(page, live_server, "olivia", "pw-olivia-1")
    page.goto(model_url(live_server, churn_model))
    page.get_by_role("link", name="Edit target").click()
    page.get_by_label("Target", exact=True).fill("will_churn")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#model-version")).to_contain_text("v1.1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove max_depth").click()
    expect(page.locator("#section-hyperparameters")).to_contain_text("No hyperparameters recorded.")
    expect(page.locator("#model-version")).to_contain_text("v1.2")


def test_a_stale_edit_is_refused_with_the_current_value(page, live_server, owner, editor, churn_model):
    sign_in(page, live_server, "olivia", "pw-olivia-1")
    page.goto(model_url(live_server, churn_model))
    page.get_by_role("link", name="Edit target").click()
    expect(page.locator("#field-target")).to_contain_text("saving makes this version 1.1")

    mlmodels.update_mlmodel(churn_model, editor, target="churned_within_90_days")  # someone else saves first

    page.get_by_label("Target", exact=True).fill("will_churn")
    page.get_by_role("button", name="Save").click()
    alert = page.locator("#field-target [role=alert]")
    expect(alert).to_contain_text("Not saved: edward saved version 1.1 after you opened this form.")
    expect(alert.locator(".current-value")).to_have_text("churned_within_90_days")
    assert MlModel.objects.get(pk=churn_model.pk).target == "churned_within_90_days"


def test_a_read_only_user_sees_no_edit_controls(page, live_server, viewer, churn_model):
    sign_in(page, live_server, "vera", "pw-vera-1")
    page.goto(model_url(live_server, churn_model))
    expect(page.get_by_role("heading", level=1)).to_have_text("churn")
    expect(page.locator(".edit-button")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^\+ Add"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Remove"))).to_have_count(0)
    page.get_by_role("button", name="☆ Follow").click()
    expect(page.locator("#follow")).to_contain_text("1 follower")


def test_pages_read_and_filter_without_javascript(browser, live_server, viewer, churn_model, fraud_model):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "vera", "pw-vera-1")
    page.goto(f"{live_server.url}/mlmodels/")
    page.get_by_label("IsolationForest").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".model-card")).to_have_count(1)
    page.get_by_role("link", name="fraud", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("fraud")
    expect(page.locator("#section-versions")).to_contain_text("Created")
    context.close()
