"""The lineage diagram in a real browser: changing a depth swaps only the diagram."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    browser_type_launch_args,
    context,
    csp_violations,
    plain_static_files,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed"),
]


def test_changing_the_depth_on_the_model_page_redraws_only_the_diagram(page, live_server, viewer, world):
    sign_in(page, live_server, "vera", "pw-vera-1")
    model_page = f"{live_server.url}/mlmodels/{world['churn'].pk}/"
    page.goto(model_page)
    diagram = page.locator("#lineage-diagram")
    dashboard = diagram.locator(f"#lineage-dashboard-{world['dashboard'].id.hex}")
    gender = diagram.locator(f"#lineage-column-{world['columns']['gender'].id.hex}")
    expect(diagram).to_have_attribute("data-down", "2")
    expect(dashboard).to_be_visible()
    expect(gender).to_be_visible()
    page.evaluate("document.querySelector('#lineage-diagram').dataset.original = 'yes'")

    page.get_by_label("Downstream depth").select_option("0")
    expect(diagram).to_have_attribute("data-down", "0")
    expect(dashboard).to_have_count(0)
    expect(gender).to_be_visible()

    page.get_by_label("Upstream depth").select_option("0")
    expect(diagram).to_have_attribute("data-up", "0")
    expect(gender).to_have_count(0)
    expect(diagram).not_to_have_attribute("data-original", "yes")  # the diagram was swapped...
    assert page.url == model_page  # ...and the page was not reloaded or navigated away
    expect(page.get_by_role("heading", name="Features")).to_be_visible()


def test_the_lineage_page_keeps_the_chosen_depth_in_its_address(page, live_server, viewer, world):
    age = world["churn"].features.get(name="age")
    sign_in(page, live_server, "vera", "pw-vera-1")
    page.goto(f"{live_server.url}/lineage/mlmodel/{world['churn'].pk}/")
    diagram = page.locator("#lineage-diagram")
    feature_node = diagram.locator(f"#lineage-mlfeature-{age.id.hex}")
    expect(feature_node).to_be_visible()
    page.get_by_label("Features").uncheck()
    expect(feature_node).to_have_count(0)
    expect(page).to_have_url(re.compile(r"^(?!.*kind=mlfeature).*kind=table"))
    page.go_back()
    page.reload()
    expect(feature_node).to_be_visible()
