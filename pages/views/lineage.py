"""Lineage pages: the diagram of any node, its exports, impact analysis, governance, manual edges.

Views only pick what to build and how to wrap it: :mod:`lineage.graph`
builds, :mod:`lineage.dot` writes DOT, :mod:`lineage.render` draws. One URL
serves the whole lineage page and, to htmx, only the diagram, so changing a
depth or a filter swaps the picture and nothing else.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from catalog.models import MlModel
from lineage import dot, edits, exports, governance, graph, links, nodes
from lineage import render as renderer
from lineage.models import DERIVED_ORIGINS, Edge
from pages.forms import attach_service_errors
from pages.lineage_forms import ModelEdgeForm, filter_form
from pages.views.common import (
    PAGE_SIZE,
    can_edit,
    get_editable_model,
    is_partial,
    paginate,
    query_without_page,
    signed_in,
)

#: Node types that have a lineage page, and those an impact analysis starts from.
PAGE_TYPES = set(nodes.MODELS)
IMPACT_TYPES = {"table", "column"}
EXPORT_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "dot": "text/vnd.graphviz; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
#: The catalogue list each kind of node is found in, for breadcrumbs: (URL name, title).
LIST_PAGES = {
    "table": ("table_list", "Tables"),
    "column": ("table_list", "Tables"),
    "mlmodel": ("explore", "ML models"),
    "mlfeature": ("explore", "ML models"),
    "modelVersion": ("explore", "ML models"),
    "dashboard": ("dashboard_list", "Dashboards"),
}
#: The event the page listens to for redrawing the diagram after an edge changed.
CHANGED_EVENT = "lineageChanged"
#: Exposed models listed per page of the governance list (each with up to governance.MAX_PATHS paths),
#: as many as any list of the catalogue.
GOVERNANCE_PAGE_SIZE = PAGE_SIZE


def build_graph(node_type: str, pk, query):
    """Return the filter form and the graph it asks for; 404 for an unknown node."""
    if node_type not in PAGE_TYPES:
        raise Http404("No lineage for this kind of node.")
    form = filter_form(query)
    try:
        return form, graph.build(node_type, pk, **form.options())
    except graph.NotFound:
        raise Http404("No such node.") from None


def diagram_context(node_type: str, pk, form, lineage) -> dict:
    """Return what the diagram partial shows: the drawn SVG (or why not), filters and export links."""
    rendered = renderer.render(dot.to_dot(lineage), "svg")
    options = form.options()
    query = form.data.copy()
    query.setlist("up", [str(options["upstream"])])
    query.setlist("down", [str(options["downstream"])])
    query_string = query.urlencode()
    makers = {}

    def url_of(node):
        """Return the page of a drawn node, each kind's route looked up once (a diagram lists hundreds)."""
        if node.type not in makers:
            makers[node.type] = links.node_url_maker(node.type)
        return makers[node.type](node.id)

    return {
        "graph": lineage,
        "form": form,
        "rendered": rendered,
        # Graphviz escaped every label and render checked the SVG for scripts and foreign links.
        "svg": mark_safe(rendered.inline_svg()) if rendered.ok else "",
        "diagram_url": links.lineage_url(node_type, pk),
        "query": query_string,
        "exports": [
            (fmt.upper(), reverse("lineage:export", args=[node_type, pk, fmt]) + "?" + query_string)
            for fmt in EXPORT_TYPES
        ],
        "edge_rows": [
            {
                "source": lineage.nodes[edge.from_id],
                "target": lineage.nodes[edge.to_id],
                "source_url": url_of(lineage.nodes[edge.from_id]),
                "target_url": url_of(lineage.nodes[edge.to_id]),
                "origin": graph.edge_origin_label(edge.origin),
                "sensitive": edge.sensitive,
            }
            for edge in lineage.edges
        ],
        "focus_url": links.node_url(node_type, pk),
        "sensitive_tags": settings.SENSITIVE_TAGS,
        "node_type": node_type,
        "node_id": pk,
    }


def model_edges_context(model, user, next_url: str, form=None) -> dict:
    """Return the edges of a model that were added by hand or through the API, and the form to add one.

    ``next_url`` is where a browser without JavaScript returns after a change.
    """
    rows = list(
        Edge.objects.filter(Q(from_id=model.pk) | Q(to_id=model.pk)).exclude(origin__in=DERIVED_ORIGINS).order_by("pk")
    )
    others = nodes.load(
        {
            (e.to_id if e.from_id == model.pk else e.from_id): (e.to_type if e.from_id == model.pk else e.from_type)
            for e in rows
        }
    )
    edges = []
    for edge in rows:
        downstream = edge.from_id == model.pk
        other = others.get(edge.to_id if downstream else edge.from_id)
        if other is not None:
            edges.append(
                {"edge": edge, "other": other, "downstream": downstream, "url": links.node_url(other.type, other.id)}
            )
    return {
        "model": model,
        "model_edges": edges,
        "edge_form": form or ModelEdgeForm(auto_id="lineage-edge-%s"),
        "next_url": next_url,
        "can_edit_edges": not model.deleted and can_edit(user, model),
    }


def exposure_for(lineage):
    """Return how sensitive data reaches a model, feature or dashboard (None for data assets)."""
    if lineage.focus.type not in graph.PATH_TYPES:
        return None
    return governance.report([lineage.focus.id], lineage.exposure, owners=False, known=lineage.infos)


@require_GET
@signed_in
def node(request, node_type, pk):
    """Show the lineage of a node; to htmx, only the diagram."""
    form, lineage = build_graph(node_type, pk, request.GET)
    context = diagram_context(node_type, pk, form, lineage)
    if is_partial(request):
        return render(request, "lineage/node.html#diagram", context)
    context["focus"] = lineage.focus
    context["container"] = lineage.nodes.get(lineage.focus.info.container_id)
    context["list_page"] = LIST_PAGES[node_type]
    context["exposure"] = exposure_for(lineage)
    if node_type == "mlmodel":
        model = get_object_or_404(MlModel.objects.prefetch_related("owner_users", "owner_teams"), pk=pk)
        context.update(model_edges_context(model, request.user, request.get_full_path()))
    context["impact_url"] = reverse("lineage:impact", args=[node_type, pk]) if node_type in IMPACT_TYPES else ""
    return render(request, "lineage/node.html", context)


@require_GET
@signed_in
def export(request, node_type, pk, fmt):
    """Download the diagram as SVG or PNG, its DOT text, or its edges as CSV."""
    if fmt not in EXPORT_TYPES:
        raise Http404("No such export format.")
    _, lineage = build_graph(node_type, pk, request.GET)
    if fmt == "csv":
        content = exports.to_csv(lineage)
    else:
        content = dot.to_dot(lineage)
        if fmt in renderer.CONTENT_TYPES:
            rendered = renderer.render(content, fmt)
            if not rendered.ok:
                return HttpResponse(rendered.error, status=503, content_type="text/plain; charset=utf-8")
            content = rendered.content
    filename = f"{slugify(lineage.focus.info.name) or 'node'}-lineage.{fmt}"
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    # An SVG opened on its own is a document: let it neither run nor load anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_GET
@signed_in
def impact(request, node_type, pk):
    """List every feature, model, dashboard and table downstream of a table or column, with owners."""
    if node_type not in IMPACT_TYPES:
        raise Http404("Impact analysis starts from a table or a column.")
    try:
        result = graph.impact(node_type, pk)
    except graph.NotFound:
        raise Http404("No such node.") from None
    table = None
    if node_type == "column":
        table = nodes.load({result.focus.container_id: "table"}).get(result.focus.container_id)
    context = {
        "impact": result,
        "focus": result.focus,
        "table": table,
        "focus_url": links.node_url(node_type, pk),
        "diagram_url": links.lineage_url(node_type, pk) + f"?up=0&down={graph.MAX_DEPTH}",
    }
    return render(request, "lineage/impact.html", context)


@require_GET
@signed_in
def governance_page(request):
    """List the models sensitive data reaches, with each path and the owners to ask, a page at a time.

    Every exposed model is counted and ordered, but paths and owners are
    looked up for the models of the page only.
    """
    page = paginate(request, governance.exposed_models(), per_page=GOVERNANCE_PAGE_SIZE)
    context = {
        "exposed": governance.report({pk: "mlmodel" for pk, _ in page.object_list}),
        "page": page,
        "page_query": query_without_page(request),
        "sensitive_tags": settings.SENSITIVE_TAGS,
    }
    return render(request, "lineage/governance.html", context)


@require_POST
@signed_in
def add_edge(request, pk):
    """Link a model to a table or dashboard by hand (owners, editors and admins)."""
    model = get_editable_model(request, pk)
    form = ModelEdgeForm(request.POST, auto_id="lineage-edge-%s")
    if form.is_valid():
        try:
            edits.add_model_edge(
                model,
                form.cleaned_data["target_object"],
                downstream=form.cleaned_data["direction"] == "down",
                actor=request.user,
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            attach_service_errors(form, error, aliases={"direction": "direction", "target": "target"})
    return _after_edge_change(request, model, form, added=not form.errors)


@require_POST
@signed_in
def remove_edge(request, pk):
    """Remove an edge added by hand or through the API, from the page of the model it touches."""
    edge = get_object_or_404(Edge, pk=pk)
    model_id = edge.from_id if edge.from_type == "mlmodel" else edge.to_id if edge.to_type == "mlmodel" else None
    if model_id is None:
        raise PermissionDenied("Only a model's edges are edited on its page.")
    model = get_editable_model(request, model_id)
    try:
        edits.remove_edges(edge.from_id, edge.to_id)
    except ValidationError as error:
        return _after_edge_change(request, model, None, problem=" ".join(error.messages))
    return _after_edge_change(request, model, None, removed=True)


def _after_edge_change(request, model, form, *, added=False, removed=False, problem=""):
    """Answer an edge change: the refreshed edge list to htmx, a redirect (or the errors) otherwise.

    ``form`` is the add form with its errors, ``problem`` why a removal was refused.
    """
    changed = added or removed
    if is_partial(request):
        context = model_edges_context(model, request.user, _next_url(request, model), None if changed else form)
        context["edge_problem"] = problem
        response = render(request, "lineage/node.html#model-edges", context, status=200)
        return trigger_client_event(response, CHANGED_EVENT) if changed else response
    if changed:
        messages.success(request, "Lineage edge added." if added else "Lineage edge removed.")
        return redirect(_next_url(request, model))
    form_, lineage = build_graph("mlmodel", model.pk, request.GET)
    context = diagram_context("mlmodel", model.pk, form_, lineage)
    context.update(
        model_edges_context(model, request.user, _next_url(request, model), form),
        focus=lineage.focus,
        exposure=exposure_for(lineage),
        impact_url="",
        list_page=LIST_PAGES["mlmodel"],
        edge_problem=problem,
    )
    return render(request, "lineage/node.html", context, status=400)


def _next_url(request, model) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return links.lineage_url("mlmodel", model.pk)
