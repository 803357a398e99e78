"""The Content-Security-Policy in Chromium: it blocks inline script and style, and nothing of ours needs them.

Every browser test fails on a violation (the ``context`` fixture of
tests/browser/conftest.py); these tests visit what the others do not: the
admin, the API docs page, and the watch itself.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_policy_blocks_an_injected_inline_script_and_style_and_the_watch_reports_both(
    page, live_server, viewer, csp_violations
):
    """The check every browser test makes can fail: this is what a slipped-through payload would meet."""
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__canary = 1";
            document.body.append(script);
            document.body.setAttribute("style", "background: red");
        }"""
    )
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.__canary") is None
    for _ in range(40):  # the violation events reach the console asynchronously
        if len(csp_violations) >= 2:
            break
        page.wait_for_timeout(50)
    assert any("script-src" in v for v in csp_violations), csp_violations
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()


def test_every_page_answers_with_the_policy(page, live_server, viewer, churn_model):
    sign_in(page, live_server, "vera", "pw-vera-1")
    for path in ("/", "/mlmodels/", f"/mlmodels/{churn_model.pk}/", "/admin/login/", "/api/v1/docs"):
        policy = page.goto(f"{live_server.url}{path}").header_value("content-security-policy")
        assert "default-src 'self'" in policy, path
        assert "script-src" not in policy, path  # scripts fall back to 'self': never inline, never eval


def test_live_search_still_searches_as_one_types_without_eval(page, live_server, viewer, churn_model, fraud_model):
    sign_in(page, live_server, "vera", "pw-vera-1")
    page.goto(f"{live_server.url}/mlmodels/")
    results = page.locator("#explore-results .model-card")
    expect(results).to_have_count(2)
    page.locator("#explore-q").press_sequentially("fr")  # two characters: not yet
    page.wait_for_timeout(500)
    assert "q=fr" not in page.url
    page.locator("#explore-q").press_sequentially("a")
    page.wait_for_url(re.compile(r"q=fra"))
    expect(results).to_have_count(1)


def test_the_admin_works_under_the_policy(page, live_server, admin_user, churn_model):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("pw-root-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.get_by_role("link", name="Ml models").first.click()
    page.get_by_role("link", name="churn").first.click()
    expect(page.locator("#content h1")).to_contain_text("Change")
    # The admin's own scripts run: collapsible fieldsets and the sidebar filter.
    page.goto(f"{live_server.url}/admin/catalog/mlmodel/?q=churn")
    expect(page.locator("#result_list")).to_contain_text("churn")
    page.locator("#nav-filter").fill("tag")
    expect(page.locator("#nav-sidebar tr.model-tag")).to_be_visible()


def test_the_api_docs_page_draws_swagger_ui_with_the_schema(page, live_server):
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ModelAtlas API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
