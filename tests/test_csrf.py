"""CSRF on every form (issue 11's battery): a signed-in request without a CSRF token is refused and changes nothing.

The routes come from the URL configuration, as in the authorisation matrix
(whose request builders and database fingerprint this file reuses): every
page, htmx edit and session-authenticated API route that accepts POST, PUT,
PATCH or DELETE, and every route of the admin console. Each is sent as the
administrator (who may do anything, so only the missing token can refuse it)
from a client that enforces CSRF checks, first without a token (403 from the
CSRF check, database unchanged), then with one (past the CSRF check), which
shows the requests are ones that would have been let through. A route that
is not classified below fails the first test.
"""

import functools

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from catalog.models import MlModel
from tests.api.conftest import ApiClient
from tests.test_authorization_matrix import (  # noqa: F401  (routes and world are fixtures)
    api_requests,
    attempt,
    fingerprint,
    page_requests,
    patterns,
    routes,
    world,
)

# -- How each route is protected ------------------------------------------------------------------------------------
#
# "form": a page's form or htmx edit: Django's CSRF middleware refuses it.
# "api": an API write with the browser's session: DRF's session authentication refuses it (403 JSON).
# "admin": the admin console's views, Django's own: the CSRF middleware refuses them.
# "nothing": a route that has nothing to change (the API's unknown-route answer, the docs' static assets):
#            any refusal will do, and the database must stay as it was.

PAGE_FORMS = {
    "login": "form",
    "logout": "form",
    "account_tokens": "form",
    "account_token_revoke": "form",
    "mlmodel_follow": "form",
    "mlmodel_field_edit": "form",
    "mlmodel_history_restore": "form",
    "model_version_alias": "form",
    "model_version_status": "form",
    "model_version_review": "form",
    "mlmodel_hyperparameter_add": "form",
    "mlmodel_hyperparameter_edit": "form",
    "mlmodel_hyperparameter_remove": "form",
    "mlmodel_feature_add": "form",
    "mlmodel_feature_edit": "form",
    "mlmodel_feature_remove": "form",
    "mlmodel_source_add": "form",
    "mlmodel_source_edit": "form",
    "mlmodel_source_remove": "form",
    "lineage:edge_add": "form",
    "lineage:edge_remove": "form",
}
NOTHING = {"catalog-api:unknown", "catalog-api:docs-asset"}
ADMIN_SITE_VIEWS = {"index", "login", "logout", "password_change", "password_change_done"}
ADMIN_SITE_VIEWS |= {"autocomplete", "jsi18n", "view_on_site", "app_list"}
ADMIN_MODEL_VIEWS = ("changelist", "add", "history", "delete", "change")


def classification(name: str) -> str | None:
    if name in NOTHING:
        return "nothing"
    if name.startswith("catalog-api:"):
        return "api"
    if name.startswith("admin:"):
        view = name.removeprefix("admin:")
        registered = {
            f"{model._meta.app_label}_{model._meta.model_name}_{v}"
            for model in admin.site._registry
            for v in ADMIN_MODEL_VIEWS
        }
        return "admin" if view in ADMIN_SITE_VIEWS | registered else None
    return PAGE_FORMS.get(name)


# -- The admin console's routes and requests ------------------------------------------------------------------------


def admin_patterns():
    console = next(e for e in get_resolver().url_patterns if isinstance(e, URLResolver) and e.app_name == "admin")
    return list(patterns(console, "admin:"))


def admin_model(name):
    for model in admin.site._registry:
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def admin_groups() -> dict:
    """The admin's routes by model (``admin:catalog_mlmodel``), and the site's own (``admin:site``)."""
    groups = {}
    for name, entry in admin_patterns():
        model = admin_model(name)
        groups.setdefault(f"admin:{model._meta.label_lower.replace('.', '_')}" if model else "admin:site", []).append(
            (name, entry)
        )
    return groups


def admin_request(name, entry, client):
    """POST to an admin route about a real object where it takes one, with the body that deletes it."""
    model = admin_model(name) or MlModel
    obj = model._default_manager.first()
    pk = str(obj.pk) if obj is not None else "1"
    values = {"object_id": pk, "content_type_id": ContentType.objects.get_for_model(model).pk, "app_label": "catalog"}
    url = reverse(name, kwargs={key: values[key] for key in entry.pattern.regex.groupindex})
    return lambda: client.post(url, {"post": "yes", "action": "delete_selected", "_selected_action": [pk]})


# -- Clients --------------------------------------------------------------------------------------------------------

TOKEN = "csrf" * 8  # a 32-character CSRF secret, sent as the cookie and the header alike


@functools.cache
def _client(with_token: bool) -> Client:
    return Client(enforce_csrf_checks=True, **({"HTTP_X_CSRFTOKEN": TOKEN} if with_token else {}))


def enforcing(user, with_token: bool) -> Client:
    """A client that checks CSRF, signed in as ``user`` (kept between tests: building one costs more than a request)."""
    client = _client(with_token)
    client.cookies.clear()
    client.force_login(user)
    if with_token:
        client.cookies["csrftoken"] = TOKEN
    return client


@functools.cache
def _api(with_token: bool) -> ApiClient:
    api = ApiClient()
    api.client = _client(with_token)
    return api


def requests_for(name, methods, world, admin_user, with_token):  # noqa: F811
    """Yield (case, send) for every unsafe method of route ``name``, as the administrator with a CSRF-checked session."""
    browser = enforcing(admin_user, with_token)
    world["browsers"]["administrator"] = browser
    world["api"]["administrator"] = _api(with_token)
    if name.startswith("admin:"):
        for route, entry in admin_groups()[name]:
            yield f"POST {route}", admin_request(route, entry, browser)
        return
    for method in methods:
        builder = api_requests if name.startswith("catalog-api:") else page_requests
        for obj, send in builder(name, method, world, "administrator"):
            yield f"{method.upper()} {name} on {obj}", send
            if classification(name) == "form":  # the same request as htmx sends it
                yield f"{method.upper()} {name} on {obj} (htmx)", lambda send=send: _as_htmx(browser, send)


def _as_htmx(browser, send):
    browser.defaults["HTTP_HX_REQUEST"] = "true"
    try:
        return send()
    finally:
        del browser.defaults["HTTP_HX_REQUEST"]


def state() -> tuple:
    """The matrix's fingerprint, plus what only the admin and the session routes change."""
    return (*fingerprint(), Group.objects.count(), Session.objects.count())


def refused_by_csrf(response, kind) -> bool:
    if kind == "nothing":
        return response.status_code >= 400
    if response.status_code != 403:
        return False
    if kind == "api":
        return response.json()["message"].startswith("CSRF Failed")
    return b"CSRF verification failed" in response.content  # Django's CSRF failure page


# -- The tests ------------------------------------------------------------------------------------------------------


def _all_routes():
    """Each page and API route that is classified, and the admin's routes model by model."""
    return sorted({name for name, _ in patterns() if classification(name)} | set(admin_groups()))


def test_every_unsafe_route_and_every_admin_route_is_classified(routes):  # noqa: F811
    names = set(routes) | {name for name, _ in admin_patterns()}
    unclassified = sorted(name for name in names if classification(name) is None)
    assert not unclassified, (
        f"These routes accept unsafe methods but tests/test_csrf.py does not say how CSRF protects them: "
        f"{unclassified}. Add each to PAGE_FORMS (or NOTHING, or the admin's views)."
    )
    stale = sorted(name for name in PAGE_FORMS if name not in routes)
    assert not stale, f"PAGE_FORMS names routes that no longer take unsafe methods: {stale}"


@pytest.mark.parametrize("name", _all_routes())
def test_a_signed_in_request_without_a_csrf_token_is_refused_and_changes_nothing(name, routes, world, admin_user):  # noqa: F811
    kind = "admin" if name in admin_groups() else classification(name)
    failures = []
    requests = list(requests_for(name, routes.get(name, []), world, admin_user, with_token=False))
    before = state()  # after signing in, which adds a session
    for case, send in requests:
        response, _, after = attempt(send, state)
        if not refused_by_csrf(response, kind):
            failures.append(f"{case}: {response.status_code}, want a CSRF refusal")
        if after != before:
            failures.append(f"{case}: refused but the database changed")
    assert not failures, "\n".join(failures)

    # The control: the same requests with a token get past the CSRF check.
    if kind != "nothing":
        for case, send in requests_for(name, routes.get(name, []), world, admin_user, with_token=True):
            response, _, _ = attempt(send, state)
            assert not refused_by_csrf(response, kind), f"{case} with a CSRF token: {response.status_code}"


def test_with_a_token_the_admins_delete_does_change_the_database(world, admin_user):  # noqa: F811
    """The fingerprint sees what a refused admin request must not do."""
    name = "admin:catalog_mlmodel_delete"
    send = admin_request(name, dict(admin_patterns())[name], enforcing(admin_user, True))
    before = state()
    response, _, after = attempt(send, state)
    assert response.status_code == 302
    assert after != before
