"""Template tags of the lineage pages: the lineage section other pages embed."""

from html import escape

from django import template
from django.http import QueryDict
from django.utils.safestring import mark_safe

from lineage import graph, links
from pages.lineage_forms import filter_form
from pages.views import lineage as views

register = template.Library()


@register.inclusion_tag("lineage/section.html", takes_context=True)
def lineage_section(context, node_type: str, node):
    """Render the lineage of ``node`` (diagram at the default depths, exposure paths, a model's edges).

    The section's filter form asks the lineage page for a new diagram, so
    the page embedding it needs no lineage code of its own.
    """
    request = context["request"]
    form = filter_form(QueryDict())
    try:
        lineage = graph.build(node_type, node.pk, **form.options())
    except graph.NotFound:
        return {"missing": True}
    section = views.diagram_context(node_type, node.pk, form, lineage)
    section.update(
        request=request,
        user=request.user,
        csrf_token=context.get("csrf_token"),
        focus=lineage.focus,
        exposure=views.exposure_for(lineage),
        embedded=True,
    )
    if node_type == "mlmodel":
        section.update(views.model_edges_context(node, request.user, request.get_full_path()))
    return section


@register.filter
def node_kind(node_type: str) -> str:
    """Return a node type in words ("ML model" for ``mlmodel``)."""
    return graph.TYPE_WORDS.get(node_type, node_type)


@register.filter
def node_url(info) -> str:
    """Return the page of a node (a NodeInfo), or '' when it has none."""
    return links.node_url(info.type, info.id) or ""


@register.simple_tag
def impact_feature_rows(features) -> str:
    """Return the table rows of an impact list's features: (feature NodeInfo, model NodeInfo, hops) each.

    Written here rather than in the template, and with the standard library's
    escaping (what Django's ``escape`` calls, without its per-call wrappers):
    a busy table feeds thousands of features, and the template engine spent
    more on their rows than the page spent on everything else. Every value
    is escaped.
    """
    feature_url, model_url = links.node_url_maker("mlfeature"), links.node_url_maker("mlmodel")
    return mark_safe(
        "\n".join(
            f'<tr><td><a href="{escape(feature_url(feature.id))}">{escape(feature.label)}</a>'
            f' <span class="muted">{escape(feature.detail)}</span></td>'
            f'<td><a href="{escape(model_url(model.id))}">{escape(model.label)}</a></td><td>{escape(str(hops))}</td></tr>'
            for feature, model, hops in features
        )
    )


@register.simple_tag
def edge_list_rows(edge_rows) -> str:
    """Return the table rows of a diagram's "Edges as a list" (``views.diagram_context``'s ``edge_rows``).

    Written here for the reason of :func:`impact_feature_rows`: a diagram of
    a busy table lists hundreds of edges, on every page that embeds it.
    Every value is escaped.
    """

    def end(node, url) -> str:
        label = escape(node.info.label)
        kind = escape(node_kind(node.type))
        return f'<span class="muted">{kind}</span> ' + (f'<a href="{escape(url)}">{label}</a>' if url else label)

    def row_html(row) -> str:
        marked, chip = (
            (' class="lineage-sensitive-row"', ' <span class="chip chip-sensitive">sensitive</span>')
            if row["sensitive"]
            else ("", "")
        )
        return (
            f"<tr{marked}><td>{end(row['source'], row['source_url'])}</td>"
            f"<td>{end(row['target'], row['target_url'])}</td><td>{escape(row['origin'])}{chip}</td></tr>"
        )

    return mark_safe("\n".join(row_html(row) for row in edge_rows))
