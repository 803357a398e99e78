"""Inline editing of a model's fields: one htmx form per field, one version per save.

``GET …/fields/<name>/edit/`` returns the field's form (the whole edit page
without htmx); ``POST`` saves through ``update_mlmodel`` and answers with the
field's display fragment, the new version badge and the history. Bad input
keeps the form open with the message next to the field, and a form opened at
an older version is refused with the current value, never saved over it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from catalog.services import changes, mlmodels
from pages.forms import FIELD_FORMS, attach_service_errors
from pages.templatetags.catalog import version as format_version
from pages.views import autocomplete
from pages.views.common import get_editable_model, get_model, is_partial, signed_in
from pages.views.mlmodels import render_saved

EDIT_TEMPLATE = "catalog/mlmodel_edit.html"


def stale_message(current) -> str:
    return (
        f"Not saved: {current.updated_by or 'someone'} saved version {format_version(current.version)} "
        "after you opened this form. Check the current value below; save again to replace it."
    )


#: The suggestions a field's picker starts with (htmx narrows them as the user types).
SUGGESTIONS = {
    "tags": autocomplete.tag_options,
    "owners": autocomplete.owner_options,
    "dashboard": autocomplete.dashboard_options,
}


def render_form(request, model, name, form, *, stale=None):
    context = {
        "model": model,
        "field": name,
        "form": form.prepare(f"edit-{name}"),
        "suggestions": SUGGESTIONS[name]("") if name in SUGGESTIONS else [],
        "stale": stale,
        "current_text": form.current_text(stale) if stale is not None else "",
        "next_major": model.version + 1,
        "kind": "field",
    }
    template = f"{EDIT_TEMPLATE}#field-form" if is_partial(request) else EDIT_TEMPLATE
    return render(request, template, context)


def refresh_after_stale(form_class, request, current):
    """Return the user's input re-bound to the current version, so a second save is a deliberate one."""
    data = request.POST.copy()
    data["expected_version"] = str(current.version)
    return form_class(data, model=current)


@signed_in
@require_http_methods(["GET", "POST"])
def edit_field(request, pk, name):
    form_class = FIELD_FORMS.get(name)
    if form_class is None:
        raise Http404("This field cannot be edited.")
    model = get_editable_model(request, pk)
    if request.method == "GET":
        return render_form(request, model, name, form_class(initial=form_class.initial_for(model), model=model))

    form = form_class(request.POST, model=model)
    if not form.is_valid():
        return render_form(request, model, name, form)
    try:
        result = mlmodels.update_mlmodel(
            model, request.user, expected_version=form.cleaned_data["expected_version"], **form.values()
        )
    except changes.StaleVersion:
        current = get_model(pk)
        return render_form(request, current, name, refresh_after_stale(form_class, request, current), stale=current)
    except ValidationError as error:
        attach_service_errors(form, error)
        return render_form(request, model, name, form)
    if is_partial(request):
        return render_saved(request, pk, f"field-{name}", opened_at=form.cleaned_data["expected_version"])
    if result.changed:
        messages.success(request, f"{form.label} saved: this is now version {format_version(result.entity.version)}.")
    return redirect(reverse("mlmodel", args=[pk]) + f"#field-{name}")
