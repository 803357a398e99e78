"""The ML model page, its fragments, and following a model."""

import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from catalog.models import CARD_FIELDS, MlModel
from catalog.services import history, mlmodels
from pages.views import cards
from pages.views.common import can_edit, get_model, is_partial, signed_in
from pages.views.modelversions import versions_summary

#: How many versions the model page lists (the versions page lists them all).
VERSIONS_ON_PAGE = 5
#: The fragments of the model page an htmx request may ask for with ``?part=``.
FIELD_PARTS = {
    f"field-{name}"
    for name in (
        "display_name",
        "description",
        "algorithm",
        "target",
        "server",
        "ml_store",
        "source_url",
        "dashboard",
        "owners",
        "tags",
    )
}
#: Every section of the model card is one partial, ``card-section``, shown for the section asked for.
CARD_PARTS = {f"field-{name}": name for name in CARD_FIELDS}
SECTION_PARTS = {"section-features", "section-hyperparameters", "section-versions", "follow"}
DETAIL_TEMPLATE = "catalog/mlmodel_detail.html"


#: Stand-ins for a row's id and position while a route is reversed once for every row (see :func:`route_for_rows`).
#: Neither can be mistaken for a real value: the nil UUID is no catalogue id, and the position is a path segment.
ROW_ID, ROW_POSITION = uuid.UUID(int=0), 2_147_483_647


def route_for_rows(name: str, *args):
    """Reverse route ``name`` once; return ``link(row_id, position=None)``, its URL for one row of a list.

    The features section links every feature and source row to its pages and
    forms: ~200 links for 20 features of 2 sources, at ~20 µs a ``{% url %}``.
    Filling the stand-ins of one reversed URL costs ~1 µs.
    """
    url = reverse(name, args=args)

    def link(row_id, position=None) -> str:
        out = url.replace(str(ROW_ID), str(row_id))
        return out if position is None else out.replace(f"/{ROW_POSITION}/", f"/{position}/")

    return link


def attach_row_links(model) -> None:
    """Give each feature and source of ``model`` the URLs its row in the features section links to."""
    table, column = route_for_rows("table", ROW_ID), route_for_rows("column", ROW_ID)
    feature_edit = route_for_rows("mlmodel_feature_edit", model.pk, ROW_ID)
    feature_remove = route_for_rows("mlmodel_feature_remove", model.pk, ROW_ID)
    source_add = route_for_rows("mlmodel_source_add", model.pk, ROW_ID)
    source_edit = route_for_rows("mlmodel_source_edit", model.pk, ROW_ID, ROW_POSITION)
    source_remove = route_for_rows("mlmodel_source_remove", model.pk, ROW_ID, ROW_POSITION)
    for feature in model.features_list:
        feature.edit_url, feature.remove_url = feature_edit(feature.pk), feature_remove(feature.pk)
        feature.source_add_url = source_add(feature.pk)
        for position, source in enumerate(feature.sources_list):
            source.table_url = table(source.table_id) if source.table_id else ""
            source.column_url = column(source.column_id) if source.column_id else ""
            source.edit_url = source_edit(feature.pk, position)
            source.remove_url = source_remove(feature.pk, position)


def detail_context(request, model, **extra) -> dict:
    """Return everything the model page (or one of its fragments) shows; ``model`` comes from ``get_model``."""
    attach_row_links(model)
    followers = list(model.followers.all())
    entries, total = history.timeline(model, limit=VERSIONS_ON_PAGE)
    return {
        "model": model,
        "can_edit": not model.deleted and can_edit(request.user, model),
        "owners": model.owners(),
        "tags": sorted(model.tags.all(), key=lambda t: t.fqn),
        "features": model.features_list,
        "hyperparameters": list(model.hyperparameters.all()),
        "followers_count": len(followers),
        "following": any(f.pk == request.user.pk for f in followers),
        "versions": entries,
        "versions_total": total,
        "next_major": model.version + Decimal("1.0"),
        **versions_summary(model),
        "card_sections": cards.card_sections(model),
        "card_completeness": cards.completeness(model),
        **extra,
    }


def fragment(model, part: str) -> tuple[str, dict]:
    """Return the template of one fragment of the model page, and what it needs besides the page's context."""
    if part in CARD_PARTS:
        return f"{DETAIL_TEMPLATE}#card-section", {"section": cards.card_section(model, CARD_PARTS[part])}
    return f"{DETAIL_TEMPLATE}#{part}", {}


def version_sync(model, opened_at) -> dict | None:
    """Say which version the page's other forms may move to, when that is safe.

    The Remove buttons elsewhere on the page carry the version the page was
    shown at. When this save went straight from that version to the new one,
    nothing else changed in between, so those rows are still what the page
    shows and their forms may follow; if someone else saved in between, they
    keep the old version and a click is refused with the current rows.
    """
    if opened_at is None or not model.change_description or model.version == opened_at:
        return None
    previous = Decimal(str(model.change_description.get("previousVersion", ""))).quantize(Decimal("0.1"))
    return {"from": opened_at, "to": model.version} if previous == opened_at else None


def render_saved(request, model_pk, part: str, *, opened_at=None, **extra) -> HttpResponse:
    """Answer a successful htmx save: the saved fragment, plus the version badge and history out of band."""
    model = get_model(model_pk)
    template, part_context = fragment(model, part)
    context = detail_context(request, model, version_sync=version_sync(model, opened_at), **extra, **part_context)
    html = render_to_string(template, context, request)
    html += render_to_string(f"{DETAIL_TEMPLATE}#oob-updates", context, request)
    return HttpResponse(html)


@signed_in
@require_GET
def mlmodel_detail(request, pk):
    """Show a model; ``?part=`` with htmx returns one fragment (used by Cancel buttons)."""
    model = get_model(pk)
    part = request.GET.get("part", "")
    if is_partial(request) and part in FIELD_PARTS | CARD_PARTS.keys() | SECTION_PARTS:
        template, part_context = fragment(model, part)
        return render(request, template, detail_context(request, model, **part_context))
    return render(request, DETAIL_TEMPLATE, detail_context(request, model))


@signed_in
@require_POST
def mlmodel_follow(request, pk):
    """Follow or unfollow a model (``follow=1`` or ``0``) through the write path.

    Following is open to every signed-in user, read-only ones included: it
    changes who is notified, not what the model says, so it makes no version.
    """
    model = get_object_or_404(MlModel, pk=pk)
    if model.deleted:
        raise PermissionDenied("A deleted model cannot be followed.")
    mlmodels.set_following(model, request.user, following=request.POST.get("follow") != "0")
    opened_at = model.version
    if is_partial(request):
        return render_saved(request, pk, "follow", opened_at=opened_at)
    return redirect(reverse("mlmodel", args=[pk]))
