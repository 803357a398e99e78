"""Hostile names in Chromium: no page, htmx fragment or export shows a name as anything but text.

Every entity type of the catalogue is seeded with names (and descriptions,
URLs, values) built to run a script canary: ``<script>``, event handlers,
attribute and tag break-outs, ``javascript:`` links, DOT attribute injection,
plus every name of the shared hostile-names list as columns and
hyperparameters. Chromium then visits every page type, swaps in every htmx
fragment the model page offers, opens the exports and walks the admin.

This checks the escaping, not the policy: the Content-Security-Policy is
switched to report-only here, so a payload that got through would really run
(setting ``window.__canary`` or opening a dialog) and would also be reported
as a violation, which fails the test too (tests/browser/conftest.py).
"""

import uuid
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import ApiToken, Column, DashboardService, DatabaseService, EntityVersion, MlModelService
from catalog.services import assets, changes, mlmodels
from tests.api.test_hostile_names import ACCEPTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: One name that breaks out of every context a name is written in: HTML text,
#: double- and single-quoted attributes, Graphviz's DOT, and a ``javascript:`` link.
CANARY = (
    '<script>window.__canary="script"</script>'
    '<img src=x onerror=window.__canary="img">'
    '"><svg onload=window.__canary="svg">'
    '\'><img src=x onerror=alert("single")>'
    'x" URL="javascript:window.__canary=\'dot\'" k="'
)
#: Markdown descriptions may carry raw HTML and links; both must come out inert.
DESCRIPTION = (
    CANARY
    + "\n\n[a link](javascript:window.__canary='markdown') <a href=\"javascript:window.__canary='a'\">raw</a>"
    + ' <iframe srcdoc="<script>parent.__canary=1</script>"></iframe> <style>body{display:none}</style> {{ 7*7 }}'
)
#: An http(s) URL (the only kind the catalogue stores) that tries to break out of its href.
URL = "https://bi.example.com/d?q=\"><img/src=x/onerror=window.__canary='url'>"

#: What each document must not hold: handlers, script links, inline scripts, frames.
INSPECT = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    if ((tag === "script" && !element.src) || tag === "iframe" || tag === "object" || tag === "embed") {
      found.push(`<${tag}>`);
    }
    for (const attribute of element.attributes) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.startsWith("on")
          || (/(^|:)(href|src|action|formaction|srcdoc)$/.test(attribute.name)
              && /^(javascript|vbscript|data):/.test(value))) {
        found.push(`<${tag} ${attribute.name}="${attribute.value}">`);
      }
    }
  }
  return {canary: window.__canary === undefined ? null : String(window.__canary), found};
}"""


def hostile(kind: str, limit: int = 256) -> str:
    return f"{kind} {CANARY}"[:limit]


@pytest.fixture
def report_only_policy(settings):
    """Let a payload that escaped run (and be reported) instead of being blocked."""
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None


@pytest.fixture
def hostile_catalogue(admin_user, settings):
    """Every entity type with hostile names, two versions of the model, a token; the tag counts as sensitive."""
    actor = admin_user
    classification = assets.save_classification(hostile("classification"), actor, description=DESCRIPTION).entity
    tag = assets.save_tag(classification, hostile("tag"), actor, description=DESCRIPTION).entity
    settings.SENSITIVE_TAGS = [tag.fqn]
    user = assets.save_user(
        hostile("user", 150), actor, display_name=hostile("display"), description=DESCRIPTION
    ).entity
    team = assets.save_team(hostile("team"), actor, display_name=hostile("team"), users=[user]).entity

    db_service = assets.save_service(DatabaseService, hostile("db"), actor, service_type="Postgres").entity
    database = assets.save_database(db_service, hostile("database"), actor).entity
    schema = assets.save_schema(database, hostile("schema"), actor).entity
    column_names = [hostile("column")] + [n for n in ACCEPTED if len(n) < 200]
    columns = [assets.ColumnSpec(name=n, description=DESCRIPTION, tags=[tag]) for n in column_names]
    table = assets.save_table(schema, hostile("table"), actor, description=DESCRIPTION, columns=columns).entity
    column = Column.objects.get(table=table, name=hostile("column"))

    dash_service = assets.save_service(DashboardService, hostile("bi"), actor, service_type="Superset").entity
    dashboard = assets.save_dashboard(
        dash_service, hostile("dashboard"), actor, source_url=URL, description=DESCRIPTION, tags=[tag]
    ).entity

    connection = {"config": {"type": "Mlflow", "trackingUri": URL, hostile("key"): CANARY, "password": CANARY}}
    ml_service = assets.save_service(
        MlModelService, hostile("ml"), actor, service_type="Mlflow", connection=connection
    ).entity
    model = mlmodels.create_mlmodel(
        ml_service,
        hostile("model"),
        actor,
        display_name=hostile("display"),
        description=DESCRIPTION,
        algorithm=hostile("algorithm"),
        target=hostile("target"),
        server=URL,
        source_url=URL,
        ml_store_storage=hostile("storage"),
        ml_store_image=hostile("image"),
        dashboard=dashboard,
        owners=[user, team],
        tags=[tag],
        features=[
            mlmodels.FeatureSpec(
                name=hostile("feature"),
                data_type="categorical",
                feature_algorithm=hostile("feature algorithm"),
                description=DESCRIPTION,
                tags=[tag],
                sources=[
                    mlmodels.SourceSpec(name=hostile("source"), description=DESCRIPTION, column=column, tags=[tag])
                ],
            )
        ],
        hyperparameters=[mlmodels.HyperParameterSpec(name=n, value=CANARY, description=n) for n in ACCEPTED],
    ).entity
    # A second version, so the history shows diffs of hostile values.
    mlmodels.update_mlmodel(model, actor, target=hostile("new target"), description=CANARY + " changed")
    ApiToken.issue(admin_user, hostile("token", 128))
    return {
        "model": model,
        "feature": model.features.get(),
        "table": table,
        "column": column,
        "dashboard": dashboard,
        "user": user,
        "team": team,
        "tag": tag,
        "classification": classification,
        "services": [ml_service, db_service, dash_service],
        "database": database,
        "schema": schema,
    }


class Inspector:
    """Visit documents in one page and record anything that ran or should not be there."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.dialogs = []
        self.problems = []
        self.visited = 0
        page.on("dialog", self.dismiss)

    def dismiss(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {self.page.url}")
        dialog.dismiss()

    def settle(self):
        """Wait until no htmx request is in flight (htmx marks their elements with .htmx-request)."""
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")

    def inspect(self, where):
        self.visited += 1
        result = self.page.evaluate(INSPECT)
        if result["canary"] is not None or result["found"]:
            self.problems.append((where, result))

    def visit(self, path, *, status=200):
        response = self.page.goto(self.base + path)
        assert response.status == status, (path, response.status)
        self.settle()
        self.inspect(path)
        return response

    def swap_fragments(self):
        """Swap every fragment the page's htmx links and forms ask for into the page, as htmx does."""
        urls = self.page.evaluate(
            "() => [...new Set([...document.querySelectorAll('[hx-get]')].map(e => e.getAttribute('hx-get')))]"
        )
        self.page.evaluate("() => document.body.append(Object.assign(document.createElement('div'), {id: 'scratch'}))")
        for url in urls:
            # htmx.ajax's promise settles once the fragment is swapped in.
            self.page.evaluate("(url) => htmx.ajax('GET', url, {target: '#scratch', swap: 'innerHTML'})", url)
            self.settle()
            self.inspect(f"fragment {url}")
        return urls


def serve(body: bytes, content_type: str):
    """Return a route handler answering with ``body``, as a file opened from disk would be read."""
    return lambda route: route.fulfill(body=body, content_type=content_type)


def test_no_page_fragment_or_export_runs_a_hostile_name(page, live_server, report_only_policy, hostile_catalogue):
    world = hostile_catalogue
    model, table, column, feature = world["model"], world["table"], world["column"], world["feature"]
    inspector = Inspector(page, live_server)
    inspector.visit("/login/")
    page.get_by_label("Username").fill(hostile("user", 150))  # a refused sign-in shows the name it was given
    page.get_by_label("Password").fill(CANARY)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_have_value(hostile("user", 150))
    inspector.inspect("refused sign-in")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("pw-root-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    first = inspector.visit("/")
    assert first.header_value("content-security-policy") is None
    assert "default-src 'self'" in first.header_value("content-security-policy-report-only")

    # The catalogue's pages: lists, details, search and facets (the lists share one search box).
    term = quote(CANARY)
    for path in (
        "/mlmodels/",
        f"/mlmodels/?q={term}",
        f"/mlmodels/?q={quote(hostile('feature'))}",
        f"/mlmodels/?tag={quote(world['tag'].fqn)}&owner={term}&algorithm={term}&sort={term}&page={term}",
        "/tables/",
        f"/tables/?q={term}",
        f"/tables/{table.pk}/",
        f"/columns/{column.pk}/",
        "/dashboards/",
        f"/dashboards/{world['dashboard'].pk}/",
        "/people/",
        f"/users/{world['user'].pk}/",
        f"/teams/{world['team'].pk}/",
        "/tags/",
        f"/tags/{world['tag'].pk}/",
        "/services/",
        *(f"/services/{service.pk}/" for service in world["services"]),
        "/account/tokens",
        f"/mlmodels/{model.pk}/history/",
        *(f"/mlmodels/{model.pk}/history/{v.version}/" for v in changes.versions(model)),
    ):
        inspector.visit(path)
    inspector.visit(f"/mlmodels/{uuid.uuid4()}/", status=404)
    inspector.visit(f"/{term}/", status=404)

    # Autocomplete suggestions asked for with a hostile term, as the edit forms do.
    for name in ("tags", "owners", "dashboards", "tables"):
        inspector.visit(f"/autocomplete/{name}/?q={term}&add_tag={term}&owner={term}&table={term}")
    inspector.visit(f"/autocomplete/columns/?table={quote(table.fqn)}")

    # The model page, then every inline-edit form and fragment it offers, swapped in by htmx.
    inspector.visit(f"/mlmodels/{model.pk}/")
    fragments = inspector.swap_fragments()
    assert len(fragments) >= 8, fragments  # every field, row and source has its edit form

    # Lineage: each node's page with its inlined SVG (and its redrawn diagram), impact, governance.
    nodes = {"mlmodel": model, "mlfeature": feature, "table": table, "column": column, "dashboard": world["dashboard"]}
    for node_type, node in nodes.items():
        inspector.visit(f"/lineage/{node_type}/{node.pk}/")
        assert page.locator("#lineage-diagram svg").count() == 1, node_type
        inspector.swap_fragments()
    for node_type in ("table", "column"):
        inspector.visit(f"/lineage/{node_type}/{nodes[node_type].pk}/impact/")
    inspector.visit("/lineage/governance/")
    expect(page.locator("main")).to_contain_text(f"Exposed models 1 {hostile('display')}")  # as text

    # Exports: the SVG download opened as a document, as a user opening the file does (without
    # any policy); the others are never HTML.
    for node_type, node in nodes.items():
        export = f"/lineage/{node_type}/{node.pk}/lineage"
        svg = page.request.get(f"{live_server.url}{export}.svg")
        assert svg.headers["content-type"] == "image/svg+xml"
        opened = f"/opened/{node_type}.svg"
        page.route(live_server.url + opened, serve(svg.body(), "image/svg+xml"))
        inspector.visit(opened)
        for fmt, content_type in (("dot", "text/vnd.graphviz"), ("csv", "text/csv"), ("png", "image/png")):
            response = page.request.get(f"{live_server.url}{export}.{fmt}")
            assert response.status == 200, (export, fmt)
            assert response.headers["content-type"].startswith(content_type)
            assert response.headers["x-content-type-options"] == "nosniff"
            if fmt == "dot":
                assert 'URL="javascript' not in response.text()

    # The admin: every changelist and each hostile object's change page (a search, history and delete pages too).
    inspector.visit("/admin/")
    hostile_objects = {
        type(obj): obj
        for obj in [
            *world["services"],
            model,
            feature,
            table,
            world["dashboard"],
            world["user"],
            world["team"],
            world["tag"],
            world["classification"],
            world["database"],
            world["schema"],
            ApiToken.objects.get(),
            EntityVersion.objects.order_by("-pk").first(),
        ]
    }
    inspector.visit(reverse("admin:catalog_mlmodel_changelist") + f"?q={term}")
    for registered in admin.site._registry:
        meta = registered._meta
        inspector.visit(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        obj = hostile_objects.get(registered) or registered.objects.first()
        if obj is None:
            continue
        # History and delete pages are one template for all; the model's and the table's list most.
        for view in ("change", "history", "delete") if obj in (model, table) else ("change",):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])
            response = page.goto(live_server.url + url)
            if response.status == 403:  # an action this object does not allow (a version is never deleted)
                continue
            assert response.status == 200, (url, response.status)
            inspector.inspect(url)

    assert inspector.visited > 100
    assert not inspector.dialogs, inspector.dialogs
    assert not inspector.problems, inspector.problems
