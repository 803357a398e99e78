"""Lineage pages: the diagram and its htmx partial, exports, impact, governance and manual edges."""

import csv
import io
import json
import shutil
import uuid
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from catalog.services import deletion
from lineage import graph, render
from lineage.models import Edge
from pages.views import lineage as views
from tests.lineage.conftest import columns_of, feature, make_model, read_by_four_models, save_table

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
HTMX = {"HTTP_HX_REQUEST": "true"}


def node_url(kind, pk, **query):
    url = reverse("lineage:node", args=[kind, pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def export_url(kind, pk, fmt, query=""):
    return reverse("lineage:export", args=[kind, pk, fmt]) + (f"?{query}" if query else "")


@pytest.fixture
def signed_in(client, viewer):
    client.force_login(viewer)
    return client


# -- Reading ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("lineage:node", ["mlmodel"]),
        ("lineage:impact", ["table"]),
        ("lineage:export", ["mlmodel", None]),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name, args):
    pk = world["churn"].id if args[0] == "mlmodel" else world["customers"].id
    url_args = [args[0], pk] + (["csv"] if name == "lineage:export" else [])
    response = client.get(reverse(name, args=url_args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_cannot_see_the_governance_page(client, world):
    assert client.get(reverse("lineage:governance")).status_code == 302


@needs_graphviz
def test_a_reader_sees_the_model_diagram_with_its_sensitive_paths(signed_in, world):
    response = signed_in.get(node_url("mlmodel", world["churn"].id))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="lineage-diagram"' in html and "<svg" in html
    assert f'href="/columns/{world["columns"]["gender"].id}/"' in html
    assert "Uses sensitive data through 2 paths" in html
    assert "customers.gender" in html and "customers.birth_date" in html


def test_htmx_gets_only_the_diagram(signed_in, world):
    response = signed_in.get(node_url("mlmodel", world["churn"].id, up=1, down=0), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="lineage-diagram"')
    assert 'data-up="1" data-down="0"' in html
    assert "HX-Request" in response["Vary"]


def test_changing_the_depth_changes_the_diagram(signed_in, world):
    deep = signed_in.get(node_url("mlmodel", world["churn"].id, up=1, down=1), **HTMX).content.decode()
    shallow = signed_in.get(node_url("mlmodel", world["churn"].id, up=0, down=0), **HTMX).content.decode()
    assert 'data-nodes="9"' in deep and 'data-nodes="3"' in shallow
    assert "churn-monitoring" in deep and "churn-monitoring" not in shallow


def test_a_bad_depth_falls_back_to_the_default_and_says_why(signed_in, world):
    response = signed_in.get(node_url("mlmodel", world["churn"].id, up=99, down="abc"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-up="2" data-down="2"' in html
    assert html.count("Select a valid choice") == 2


def test_the_kind_filter_hides_features(signed_in, world):
    url = node_url("mlmodel", world["churn"].id) + "?kind=table&kind=mlmodel&kind=dashboard"
    html = signed_in.get(url, **HTMX).content.decode()
    assert 'data-nodes="7"' in html  # customers, 3 columns, churn, dashboard, scores table
    assert "through hidden nodes" in html


@pytest.mark.parametrize("kind", ["table", "column", "mlfeature", "dashboard"])
def test_every_kind_of_node_has_a_lineage_page(signed_in, world, kind):
    pk = {
        "table": world["customers"].id,
        "column": world["columns"]["gender"].id,
        "mlfeature": world["churn"].features.get(name="age").id,
        "dashboard": world["dashboard"].id,
    }[kind]
    response = signed_in.get(node_url(kind, pk))
    assert response.status_code == 200
    assert "churn" in response.content.decode()


def test_unknown_kinds_and_ids_are_not_found(signed_in, world):
    assert signed_in.get(node_url("pipeline", world["churn"].id)).status_code == 404
    assert signed_in.get(node_url("mlmodel", uuid.uuid4())).status_code == 404
    assert signed_in.get(node_url("table", world["churn"].id)).status_code == 404


def test_a_deleted_model_has_no_lineage_page(signed_in, world, editor):
    deletion.delete(world["churn"], editor)
    assert signed_in.get(node_url("mlmodel", world["churn"].id)).status_code == 404


def test_the_lineage_page_only_answers_get(signed_in, world):
    assert signed_in.post(node_url("mlmodel", world["churn"].id)).status_code == 405


def test_graphviz_missing_shows_a_message_and_the_edges_as_text(signed_in, world, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    html = signed_in.get(node_url("mlmodel", world["churn"].id)).content.decode()
    assert "Graphviz is not installed" in html and "<svg" not in html
    assert "Edges as a list" in html and "churn-monitoring" in html


def test_a_large_neighbourhood_shows_how_many_nodes_are_not_drawn(signed_in, world, monkeypatch):
    monkeypatch.setattr(graph, "DEFAULT_CAP", 4)
    html = signed_in.get(node_url("mlmodel", world["churn"].id)).content.decode()
    assert "more nodes not drawn" in html


def test_a_busy_table_page_says_exactly_how_many_nodes_are_not_drawn(signed_in, world, ml_service, monkeypatch):
    busy = read_by_four_models(world["schema"], ml_service)
    monkeypatch.setattr(graph, "DEFAULT_CAP", 10)
    html = signed_in.get(reverse("table", args=[busy.id])).content.decode()
    assert "16 more nodes not drawn" in html and "At least" not in html


@pytest.mark.parametrize("focus", ["table", "column"])
def test_a_table_or_column_page_costs_the_same_queries_for_few_and_for_many_readers(
    signed_in, world, ml_service, focus
):
    def read_by(name, readers):
        table = save_table(world["schema"], name, ["key", "value"], sensitive={"value"}, tag=world["sensitive"])
        columns = columns_of(table)
        for index in range(readers):
            make_model(
                ml_service,
                f"{name}-reader-{index}",
                [feature("f", columns["key"], columns["value"]), feature("g", columns["value"])],
                dashboard=world["dashboard"],
            )
        return table if focus == "table" else columns["value"]

    counts = []
    for node in (read_by("few", 1), read_by("many", 12)):
        with CaptureQueriesContext(connection) as context:
            assert signed_in.get(node_url(focus, node.id)).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]


def test_the_page_costs_the_same_queries_for_a_small_and_a_larger_model(signed_in, world, ml_service):
    def model_of(size):
        table = save_table(world["schema"], f"t{size}", [f"c{i}" for i in range(size)])
        columns = columns_of(table)
        return make_model(ml_service, f"m{size}", [feature(f"f{i}", columns[f"c{i}"]) for i in range(size)])

    counts = []
    for model in (model_of(2), model_of(30)):
        with CaptureQueriesContext(connection) as context:
            assert signed_in.get(node_url("mlmodel", model.id), **HTMX).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]


# -- Exports ------------------------------------------------------------------------------------------------------------


@needs_graphviz
def test_the_svg_export_parses_and_cannot_run_anything(signed_in, world):
    response = signed_in.get(export_url("mlmodel", world["churn"].id, "svg"))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="churn-lineage.svg"'
    assert "default-src 'none'" in response["Content-Security-Policy"]
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@needs_graphviz
def test_the_png_export_is_a_png(signed_in, world):
    response = signed_in.get(export_url("mlmodel", world["churn"].id, "png"))
    assert response["Content-Type"] == "image/png" and response.content.startswith(render.PNG_SIGNATURE)


def test_the_dot_export_is_the_diagram_text(signed_in, world):
    response = signed_in.get(export_url("mlmodel", world["churn"].id, "dot", "up=0&down=1"))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/vnd.graphviz")
    assert text.startswith("digraph lineage {") and "rankdir=LR" in text and "churn-monitoring" in text


def test_the_csv_export_has_one_row_per_edge(signed_in, world):
    response = signed_in.get(export_url("mlmodel", world["churn"].id, "csv", "up=1&down=1"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    pairs = {(row["from_name"], row["to_name"]): row for row in rows}
    assert len(rows) == 7
    assert pairs[("gender", "persona")]["sensitive"] == "yes"
    assert pairs[("income", "persona")]["sensitive"] == "no"
    assert pairs[("churn", "churn-monitoring")]["origin"] == "the model's dashboard field"
    assert pairs[("churn", "churn_scores")]["origin"] == "added on a page"
    assert pairs[("gender", "persona")]["from_fqn"] == world["columns"]["gender"].fqn


def test_csv_cells_never_start_a_formula(signed_in, world, ml_service):
    table = save_table(world["schema"], "=HYPERLINK(1)", ["@cmd", "-2+3"])
    columns = columns_of(table)
    make_model(ml_service, "+model", [feature("f", columns["@cmd"], columns["-2+3"])])
    rows = list(csv.reader(io.StringIO(signed_in.get(export_url("table", table.id, "csv")).content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'@cmd" in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_an_unknown_export_format_is_not_found(signed_in, world):
    assert signed_in.get(export_url("mlmodel", world["churn"].id, "pdf")).status_code == 404


def test_a_picture_export_without_graphviz_says_why(signed_in, world, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    response = signed_in.get(export_url("mlmodel", world["churn"].id, "png"))
    assert response.status_code == 503 and b"Graphviz is not installed" in response.content
    assert signed_in.get(export_url("mlmodel", world["churn"].id, "csv")).status_code == 200


# -- Impact and governance ----------------------------------------------------------------------------------------------


def test_the_impact_page_lists_models_dashboards_and_their_owners(signed_in, world):
    response = signed_in.get(reverse("lineage:impact", args=["column", world["columns"]["gender"].id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "customers.gender" in html
    assert f'href="/mlmodels/{world["churn"].id}/"' in html and "Olivia Owner" in html
    assert "churn-monitoring" in html and "persona" in html and "churn_scores" in html


def test_the_impact_page_starts_only_from_tables_and_columns(signed_in, world):
    assert signed_in.get(reverse("lineage:impact", args=["mlmodel", world["churn"].id])).status_code == 404
    assert signed_in.get(reverse("lineage:impact", args=["table", uuid.uuid4()])).status_code == 404


def test_the_governance_page_lists_exposed_models_with_paths_and_owners(signed_in, world):
    html = signed_in.get(reverse("lineage:governance")).content.decode()
    assert 'Exposed models <span class="count">1</span>' in html
    assert "Olivia Owner" in html and "customers.birth_date" in html and "spend" not in html


def test_the_governance_page_lists_the_exposed_models_a_page_at_a_time(signed_in, world, monkeypatch):
    monkeypatch.setattr(views, "GOVERNANCE_PAGE_SIZE", 1)
    save_table(
        world["schema"], "orders", ["order_id", "customer_id", "amount"], sensitive={"amount"}, tag=world["sensitive"]
    )
    first = signed_in.get(reverse("lineage:governance")).content.decode()
    second = signed_in.get(reverse("lineage:governance") + "?page=2").content.decode()
    for html in (first, second):
        assert 'Exposed models <span class="count">2</span>' in html and "Page " in html
    assert f'href="/mlmodels/{world["churn"].id}/"' in first and f'href="/mlmodels/{world["spend"].id}/"' not in first
    assert f'href="/mlmodels/{world["spend"].id}/"' in second and "orders.amount" in second


def test_the_governance_page_costs_the_same_queries_for_one_and_for_more_exposed_models(signed_in, world, ml_service):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert signed_in.get(reverse("lineage:governance")).status_code == 200
        return len(context)

    one = queries()
    wide = save_table(
        world["schema"], "wide", [f"c{i}" for i in range(8)], sensitive={"c0", "c1"}, tag=world["sensitive"]
    )
    columns = columns_of(wide)
    for index in range(4):
        make_model(
            ml_service,
            f"wide-{index}",
            [feature(f"f{i}", columns[f"c{i}"]) for i in range(8)],
            dashboard=world["dashboard"],
        )
    assert queries() == one


# -- Hostile names ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["node", "impact", "governance", "csv"])
def test_no_markup_reaches_a_page_through_a_name(client, admin_user, hostile, which):
    client.force_login(admin_user)
    model = hostile["model"]
    first_table = model.features.first().sources.first().table
    url = {
        "node": node_url("mlmodel", model.id),
        "impact": reverse("lineage:impact", args=["table", first_table.id]),
        "governance": reverse("lineage:governance"),
        "csv": export_url("mlmodel", model.id, "csv"),
    }[which]
    response = client.get(url)
    assert response.status_code == 200
    if which == "csv":
        assert len(list(csv.reader(io.StringIO(response.content.decode())))) > len(hostile["names"])
        return
    tags = TagCollector()
    tags.feed(response.content.decode())
    for tag, attributes in tags.seen:
        assert not any(name.startswith("on") for name, _ in attributes), (tag, attributes)
        for name, value in attributes:
            if name in ("href", "src", "action", "xlink:href"):
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, attributes)
        if tag in ("script", "img", "iframe", "object", "embed"):
            assert dict(attributes).get("src", "").startswith("/static/"), (tag, attributes)


def test_the_impact_lists_hostile_feature_and_model_names_as_escaped_text(client, viewer, hostile):
    client.force_login(viewer)
    model = hostile["model"]
    for feature_row in model.features.all():
        table = feature_row.sources.first().table
        html = client.get(reverse("lineage:impact", args=["table", table.id])).content.decode()
        assert escape(feature_row.name) in html and escape(model.display_name) in html
        assert model.display_name not in html


def test_the_edge_list_shows_hostile_names_as_escaped_text(client, viewer, hostile):
    client.force_login(viewer)
    model = hostile["model"]
    html = client.get(node_url("mlmodel", model.id, down=1, up=0), **HTMX).content.decode()
    edge_list = html[html.index('<details class="lineage-edges">') :]
    assert escape(model.display_name) in edge_list and model.display_name not in edge_list
    for name in hostile["names"]:
        assert escape(name) in edge_list


class TagCollector(HTMLParser):
    """Collect every start tag of a page with its attributes."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


# -- Manual edges -------------------------------------------------------------------------------------------------------


def add(client, model, target_type, target, direction="down", **extra):
    return client.post(
        reverse("lineage:edge_add", args=[model.id]),
        {
            "direction": direction,
            "target_type": target_type,
            "target": target,
            "description": "",
            "next": reverse("mlmodel", args=[model.id]),
        },
        **extra,
    )


@pytest.fixture
def board(world, editor):
    from catalog.services import assets

    return assets.save_dashboard(world["dashboard"].service, "retention", "test").entity


def test_an_owner_links_the_model_to_a_dashboard_and_goes_back(client, owner, world, board):
    client.force_login(owner)
    response = add(client, world["churn"], "dashboard", board.fqn)
    assert response.status_code == 302 and response["Location"] == reverse("mlmodel", args=[world["churn"].id])
    edge = Edge.objects.get(from_id=world["churn"].id, to_id=board.id)
    assert edge.origin == Edge.Origin.MANUAL and edge.updated_by == "olivia"


def test_with_htmx_the_edge_list_comes_back_and_the_diagram_is_told_to_redraw(client, editor, world, board):
    client.force_login(editor)
    response = add(client, world["churn"], "dashboard", board.fqn, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "lineageChanged" in json.loads(response["HX-Trigger"])
    assert html.lstrip().startswith('<div id="lineage-model-edges"') and "retention" in html


def test_a_table_can_feed_the_model_or_be_written_by_it(client, editor, world):
    client.force_login(editor)
    add(client, world["spend"], "table", world["scores"].fqn, direction="up")
    add(client, world["spend"], "table", world["customers"].fqn)
    assert Edge.objects.filter(from_id=world["scores"].id, to_id=world["spend"].id).exists()
    assert Edge.objects.filter(from_id=world["spend"].id, to_id=world["customers"].id).exists()


@pytest.mark.parametrize(
    "target_type, target, direction, message",
    [
        ("dashboard", "superset.nope", "down", "No dashboard is named"),
        ("table", "", "down", "This field is required"),
        ("dashboard", "superset.churn-monitoring", "up", "cannot feed the model"),
        ("table", "warehouse.analytics.public.churn_scores", "down", "already exists"),
        ("table", "warehouse.analytics.public.customers", "up", "follows from the model"),
        ("view", "x", "down", "Select a valid choice"),
    ],
)
def test_bad_edges_are_refused_next_to_the_field(client, owner, world, target_type, target, direction, message):
    client.force_login(owner)
    before = Edge.objects.count()
    response = add(client, world["churn"], target_type, target, direction)
    assert response.status_code == 400 and message in response.content.decode()
    htmx = add(client, world["churn"], target_type, target, direction, **HTMX)
    assert htmx.status_code == 200 and message in htmx.content.decode() and "HX-Trigger" not in htmx
    assert Edge.objects.count() == before


def test_a_reader_cannot_add_or_remove_edges_and_sees_no_form(client, viewer, world, board):
    client.force_login(viewer)
    assert add(client, world["churn"], "dashboard", board.fqn).status_code == 403
    manual = Edge.objects.get(from_id=world["churn"].id, to_id=world["scores"].id)
    assert client.post(reverse("lineage:edge_remove", args=[manual.pk])).status_code == 403
    html = client.get(node_url("mlmodel", world["churn"].id)).content.decode()
    assert "Add edge" not in html and "Remove" not in html
    assert Edge.objects.filter(pk=manual.pk).exists()


def test_an_owner_removes_a_manual_edge(client, owner, world):
    client.force_login(owner)
    manual = Edge.objects.get(from_id=world["churn"].id, to_id=world["scores"].id)
    response = client.post(reverse("lineage:edge_remove", args=[manual.pk]), **HTMX)
    assert response.status_code == 200 and "lineageChanged" in json.loads(response["HX-Trigger"])
    assert not Edge.objects.filter(pk=manual.pk).exists()


def test_removing_a_manual_edge_brings_back_the_derived_edge_it_stood_for(client, owner, world):
    customers, churn = world["customers"], world["churn"]
    Edge.objects.filter(from_id=customers.id, to_id=churn.id).update(origin=Edge.Origin.MANUAL, updated_by="vera")
    manual = Edge.objects.get(from_id=customers.id, to_id=churn.id)
    client.force_login(owner)
    response = client.post(reverse("lineage:edge_remove", args=[manual.pk]))
    assert response.status_code == 302
    restored = Edge.objects.get(from_id=customers.id, to_id=churn.id)
    assert restored.origin == Edge.Origin.FEATURE_SOURCE and restored.pk != manual.pk


def test_a_derived_edge_cannot_be_removed_by_hand(client, editor, world):
    client.force_login(editor)
    derived = Edge.objects.get(from_id=world["customers"].id, to_id=world["churn"].id)
    response = client.post(reverse("lineage:edge_remove", args=[derived.pk]))
    assert response.status_code == 400 and "change the feature" in response.content.decode()
    assert Edge.objects.filter(pk=derived.pk).exists()


def test_an_edge_between_data_assets_is_not_edited_on_a_model_page(client, admin_user, world):
    client.force_login(admin_user)
    edge = Edge.objects.create(
        from_type="table", from_id=world["orders"].id, to_type="table", to_id=world["scores"].id, origin=Edge.Origin.API
    )
    assert client.post(reverse("lineage:edge_remove", args=[edge.pk])).status_code == 403


def test_a_deleted_model_takes_no_new_edges(client, editor, world, board):
    client.force_login(editor)
    deletion.delete(world["churn"], editor)
    assert add(client, world["churn"], "dashboard", board.fqn).status_code == 403


def test_edge_changes_only_answer_post(client, editor, world):
    client.force_login(editor)
    assert client.get(reverse("lineage:edge_add", args=[world["churn"].id])).status_code == 405
    assert client.get(reverse("lineage:edge_remove", args=[1])).status_code == 405


def test_a_foreign_next_url_is_ignored(client, owner, world, board):
    client.force_login(owner)
    response = client.post(
        reverse("lineage:edge_add", args=[world["churn"].id]),
        {"direction": "down", "target_type": "dashboard", "target": board.fqn, "next": "https://evil.example/"},
    )
    assert response["Location"] == node_url("mlmodel", world["churn"].id)


# -- The model page's lineage section ------------------------------------------------------------------------------------


@needs_graphviz
def test_the_model_page_shows_the_lineage_section(client, owner, world):
    client.force_login(owner)
    html = client.get(reverse("mlmodel", args=[world["churn"].id])).content.decode()
    assert 'id="lineage-diagram"' in html and "<svg" in html
    assert "Uses sensitive data through 2 paths" in html
    assert "Add edge" in html
    assert f'hx-get="{node_url("mlmodel", world["churn"].id)}"' in html


def test_a_deleted_models_page_says_why_it_has_no_lineage(client, owner, world, editor):
    deletion.delete(world["churn"], editor)
    client.force_login(owner)
    html = client.get(reverse("mlmodel", args=[world["churn"].id])).content.decode()
    assert "No lineage is shown for a deleted entity" in html and 'id="lineage-diagram"' not in html
