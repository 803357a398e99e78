"""Version history pages of an ML model: the list of versions and one version's diff.

What changed is worked out in ``catalog.services.history``; these views only render it.
"""

from decimal import Decimal, InvalidOperation

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from catalog.models import MlModel
from catalog.services import history
from pages.views.common import get_model, is_partial, signed_in

PAGE_SIZE = 20


def parse_version(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Http404("No such version.") from None
    if not value.is_finite() or value <= 0:
        raise Http404("No such version.")
    return value.quantize(Decimal("0.1"))


@signed_in
@require_GET
def mlmodel_versions(request, pk):
    """List every version of a model, newest first, each with its diff."""
    model = get_model(pk)
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    entries, total = history.timeline(model, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    context = {
        "model": model,
        "entries": entries,
        "total": total,
        "page_number": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
    }
    template = "catalog/mlmodel_versions.html#version-list" if is_partial(request) else "catalog/mlmodel_versions.html"
    return render(request, template, context)


@signed_in
@require_GET
def mlmodel_version(request, pk, version):
    """Show one version of a model: who saved it, when, and its diff against the version before.

    A superseded version is all in its history row: the model itself is read
    whole (its snapshot) only when the current version is asked for.
    """
    number = parse_version(version)
    model = get_object_or_404(MlModel, pk=pk)
    if number == model.version:  # only the current version needs the model read whole, for its snapshot
        model = get_model(pk)
    found = history.version_entry(model, number)
    if found is None:
        raise Http404("No such version.")
    entry, previous_version = found
    context = {"model": model, "entry": entry, "previous_version": previous_version}
    template = "catalog/mlmodel_version.html#diff" if is_partial(request) else "catalog/mlmodel_version.html"
    return render(request, template, context)
