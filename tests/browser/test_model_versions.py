"""In the browser: approve a model version into production, move an alias, compare versions and chart a metric."""

import pytest
from playwright.sync_api import expect

from catalog.models import ModelVersion
from catalog.services import modelversions
from catalog.services.modelversions import MetricSpec
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def versions(churn_model, owner):
    """Version 1 in production as the champion; version 2, the challenger, measured better on AUC."""
    for number, auc, log_loss in ((1, 0.81, 0.42), (2, 0.84, 0.45)):
        modelversions.save_model_version(
            churn_model,
            number,
            owner,
            parameters={"eta": f"0.{number}"},
            metrics=[
                MetricSpec(name="auc", value=auc),
                MetricSpec(name="log_loss", value=log_loss, higher_is_better=False),
            ],
        )
    modelversions.set_status(churn_model, 1, "production", owner, "Best AUC so far")
    modelversions.set_alias(churn_model, "champion", 1, owner)
    modelversions.set_alias(churn_model, "challenger", 2, owner)
    return churn_model


def test_an_editor_requests_production_and_the_owner_approves_it(page, live_server, versions, editor):
    sign_in(page, live_server, "edward", "pw-edward-1")
    page.goto(f"{live_server.url}/mlmodels/{versions.pk}/model-versions/2/")
    status_form = page.locator("#status-form")
    status_form.get_by_label("Status", exact=True).select_option("production")
    status_form.get_by_label("Reason").fill("Beats version 1 on AUC")
    status_form.get_by_role("button", name="Set status or request approval").click()
    state = page.locator("#version-state")
    expect(state.get_by_role("status")).to_contain_text("Approval to move version 2 to production requested")
    expect(state).to_contain_text("waiting for approval: production")
    assert ModelVersion.objects.get(model=versions, number=2).status == "development"

    page.context.clear_cookies()
    sign_in(page, live_server, "olivia", "pw-olivia-1")
    page.goto(f"{live_server.url}/mlmodels/{versions.pk}/model-versions/2/")
    review = page.locator("#review-form")
    expect(review).to_contain_text("asks to move this version to production")
    expect(review).to_contain_text("Beats version 1 on AUC")
    review.get_by_label("Reason").fill("Checked the evaluation")
    review.get_by_role("button", name="Approve").click()
    expect(state.get_by_role("status")).to_contain_text("Version 2 approved.")
    expect(state.locator(".chip.status-production")).to_be_visible()
    expect(page.locator("#review-log")).to_contain_text("Checked the evaluation")
    assert ModelVersion.objects.get(model=versions, number=2).status == "production"

    page.goto(f"{live_server.url}/mlmodels/{versions.pk}/")
    approved = page.locator("#in-production .in-production-version", has_text="Model version 2")
    expect(approved).to_contain_text("approved by olivia")
    expect(approved).to_contain_text("Checked the evaluation")


def test_the_owner_moves_the_champion_alias_and_the_model_page_shows_the_new_champion(page, live_server, versions):
    sign_in(page, live_server, "olivia", "pw-olivia-1")
    page.goto(f"{live_server.url}/mlmodels/{versions.pk}/model-versions/2/")
    page.get_by_label("Alias", exact=True).fill("champion")
    page.get_by_role("button", name="Set alias").click()
    state = page.locator("#version-state")
    expect(state.get_by_role("status")).to_contain_text("now points at version 2 (moved from version 1)")
    expect(state.locator(".chip-alias", has_text="champion")).to_be_visible()

    page.goto(f"{live_server.url}/mlmodels/{versions.pk}/")
    expect(page.locator("#model-version-2 .chip-alias", has_text="champion")).to_be_visible()
    expect(page.locator("#model-version-1 .chip-alias")).to_have_count(0)


def test_a_reader_compares_two_versions_sees_the_best_highlighted_and_the_chart_loads(
    page, live_server, versions, viewer
):
    sign_in(page, live_server, "vera", "pw-vera-1")
    page.goto(f"{live_server.url}/mlmodels/{versions.pk}/")
    page.get_by_label("Compare version 1").check()
    page.get_by_label("Compare version 2").check()
    page.get_by_role("button", name="Compare the checked versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare model versions 1, 2")

    metrics = page.locator("#compare-metrics")
    auc = metrics.get_by_role("row").filter(has_text="auc")
    expect(auc.locator("td.cell-best")).to_have_count(1)
    expect(auc.locator("td.cell-best")).to_contain_text("0.84")
    log_loss = metrics.get_by_role("row").filter(has_text="log_loss")
    expect(log_loss.locator("td.cell-best")).to_contain_text("0.42")  # lower is better

    chart = page.locator("#metric-chart img.metric-chart")
    expect(chart).to_have_attribute("src", f"/mlmodels/{versions.pk}/model-versions/metrics/auc.svg?v=1&v=2")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    page.get_by_label("Metric", exact=True).select_option("log_loss")
    expect(chart).to_have_attribute("src", f"/mlmodels/{versions.pk}/model-versions/metrics/log_loss.svg?v=1&v=2")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=page.locator("#metric-chart img").element_handle()
    )
    svg = page.request.get(f"{live_server.url}/mlmodels/{versions.pk}/model-versions/metrics/auc.svg?v=1&v=2")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "#12b76a" in svg.text()
