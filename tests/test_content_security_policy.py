"""The Content-Security-Policy header: django-csp's policy on every response, its string built once."""

import csp.middleware
import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

import config.csp
from config.csp import PolicyMiddleware


def respond(view=lambda request: HttpResponse("ok"), path="/"):
    return PolicyMiddleware(view)(RequestFactory().get(path))


@pytest.fixture
def builds(monkeypatch):
    """Every time a policy string is built, by django-csp or by config.csp."""
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return build_policy(*args, **kwargs)

    monkeypatch.setattr(csp.middleware, "build_policy", counted)
    monkeypatch.setattr(config.csp, "build_policy", counted)
    config.csp._headers.cache_clear()
    return calls


def test_every_page_gets_the_policy_django_csp_builds_from_the_settings(client, db):
    assert client.get("/accounts/login/")["Content-Security-Policy"] == build_policy()
    assert "default-src 'self'" in build_policy()


def test_the_policy_string_is_built_once_for_many_responses(builds, client, db):
    headers = {client.get("/accounts/login/")["Content-Security-Policy"] for _ in range(5)}

    assert headers == {build_policy()}
    assert len(builds) <= 2  # the policy and the (empty) report-only policy, once


def test_a_changed_setting_changes_the_header(builds, settings):
    respond()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "img-src": [SELF, "data:"]}}
    assert "img-src 'self' data:" in respond()["Content-Security-Policy"]


def test_a_view_that_relaxes_the_policy_gets_its_own(builds):
    relaxed = respond(csp_update({"img-src": [SELF, "data:"]})(lambda request: HttpResponse("ok")))
    assert "img-src 'self' data:" in relaxed["Content-Security-Policy"]
    assert respond()["Content-Security-Policy"] == build_policy()


def test_a_nonce_asked_for_is_in_the_header(builds, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}

    def view(request):
        return HttpResponse(str(request.csp_nonce))

    response = respond(view)
    assert f"'nonce-{response.content.decode()}'" in response["Content-Security-Policy"]
