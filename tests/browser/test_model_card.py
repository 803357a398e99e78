"""The model card in Chromium: edited inline on the model page, then printed to PDF from its printable page."""

import re

import pytest
from playwright.sync_api import expect

from catalog.models import MlModel
from catalog.services import modelversions
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A page object of a PDF (not the /Pages tree that lists them).
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def test_an_owner_fills_in_the_card_inline_and_the_completeness_follows(page, live_server, owner, churn_model):
    sign_in(page, live_server, "olivia", "pw-olivia-1")
    page.goto(f"{live_server.url}/mlmodels/{churn_model.pk}/")
    completeness = page.locator("#card-completeness")
    expect(completeness).to_contain_text("0 of 9 sections filled")

    page.get_by_role("link", name="Edit intended use", exact=True).click()
    page.get_by_label("Intended use", exact=True).fill("Rank customers by **churn risk** for retention calls.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#field-card_intended_use strong")).to_have_text("churn risk")
    expect(completeness).to_contain_text("1 of 9 sections filled")

    page.get_by_role("link", name="Edit risk rating").click()
    page.get_by_label("Risk rating", exact=True).select_option("high")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#field-card_risk_rating")).to_contain_text("High")
    expect(completeness).to_contain_text("2 of 9 sections filled")
    expect(page.locator("#model-version")).to_contain_text("v0.3")
    assert MlModel.objects.get(pk=churn_model.pk).card_risk_rating == "high"


def test_the_printable_card_prints_to_a_pdf_of_pages_without_the_navigation(
    page, live_server, viewer, owner, churn_model, warehouse, artifacts
):
    table = warehouse["customers"]
    for number in range(1, 5):
        modelversions.save_model_version(
            churn_model,
            number,
            owner,
            description=f"Retrained on month {number}.",
            metrics=[
                modelversions.MetricSpec(name=f"metric_{i}", value=0.8 + i / 100, dataset="test") for i in range(10)
            ],
            datasets=[modelversions.DatasetSpec(role="training", table=table, columns=list(table.columns.all()))],
        )
    modelversions.set_alias(churn_model, "champion", 4, owner)
    sign_in(page, live_server, "vera", "pw-vera-1")
    page.goto(f"{live_server.url}/mlmodels/{churn_model.pk}/")
    page.get_by_role("link", name="Printable card").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("churn")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(page.locator(".printcard")).to_have_css("background-color", "rgb(255, 255, 255)")
    expect(page.locator(".printcard h2").first).to_have_css("color", "rgb(0, 0, 0)")

    pdf = page.pdf(format="A4", print_background=True)
    (artifacts / "model-card.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    # Four model versions of ten metrics each, with the card and lineage, take more than one page.
    assert len(PDF_PAGE.findall(pdf)) >= 2
