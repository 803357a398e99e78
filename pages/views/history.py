"""History pages of an ML model: its history versions, one version's diff, and restoring one.

What changed, and what a restore would change, is worked out in
``catalog.services.history`` and ``catalog.services.restore``; these views
only render it and pass the confirmed restore to the write path.
"""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import MlModel
from catalog.permissions import can_edit
from catalog.services import changes, history, restore
from pages.templatetags.catalog import version as format_version
from pages.views.common import get_editable_model, get_model, is_partial, signed_in

PAGE_SIZE = 20
RESTORE_TEMPLATE = "catalog/mlmodel_history_restore.html"


def parse_version(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Http404("No such version.") from None
    if not value.is_finite() or value <= 0:
        raise Http404("No such version.")
    return value.quantize(Decimal("0.1"))


def _may_edit(request, model) -> bool:
    return not model.deleted and can_edit(request.user, model)


@signed_in
@require_GET
def mlmodel_history(request, pk):
    """List every history version of a model, newest first, each with its diff."""
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
        "can_edit": _may_edit(request, model),
        # Undoing the newest change is restoring the history version before it.
        "undo_version": entries[1].version if page == 1 and len(entries) > 1 else None,
    }
    template = "catalog/mlmodel_history.html#version-list" if is_partial(request) else "catalog/mlmodel_history.html"
    return render(request, template, context)


@signed_in
@require_GET
def mlmodel_history_version(request, pk, version):
    """Show one history version of a model: who saved it, when, and its diff against the version before.

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
    context = {
        "model": model,
        "entry": entry,
        "previous_version": previous_version,
        "can_edit": _may_edit(request, model),
    }
    template = (
        "catalog/mlmodel_history_version.html#diff" if is_partial(request) else "catalog/mlmodel_history_version.html"
    )
    return render(request, template, context)


def _render_preview(request, model, number, **extra):
    try:
        preview = restore.preview(model, number)
    except restore.NoSuchVersion:
        raise Http404("No such version.") from None
    context = {"model": model, "preview": preview, "model_versions_kept": restore.MODEL_VERSIONS_KEPT, **extra}
    template = f"{RESTORE_TEMPLATE}#restore-preview" if is_partial(request) else RESTORE_TEMPLATE
    return render(request, template, context)


@signed_in
@require_http_methods(["GET", "POST"])
def mlmodel_history_restore(request, pk, version):
    """``GET``: preview restoring a history version; ``POST``: restore it, as a new history version.

    Only who may edit the model gets either (403 otherwise). The confirm form
    carries the version the preview was shown at: a save in between is
    refused with the preview shown again, never restored over.
    """
    number = parse_version(version)
    model = get_editable_model(request, pk)
    if request.method == "GET":
        return _render_preview(request, model, number)
    try:
        expected = parse_version(request.POST.get("expected_version", ""))
    except Http404:
        expected = None
    try:
        result = restore.restore(model, number, request.user, expected_version=expected)
    except restore.NoSuchVersion:
        raise Http404("No such version.") from None
    except changes.StaleVersion as stale:
        return _render_preview(request, get_model(pk), number, stale=stale.current)
    except ValidationError as error:
        return _render_preview(request, model, number, error=" ".join(_messages(error)))
    if result.changed:
        messages.success(
            request,
            f"Restored history version {format_version(number)}: this is now history version "
            f"{format_version(result.entity.version)}.",
        )
    else:
        messages.info(request, f"Nothing to restore: the model already is what it was at {format_version(number)}.")
    return redirect(reverse("mlmodel_history", args=[pk]))


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, errors in error.message_dict.items() for message in errors]
    return error.messages
