"""Inline editing of a model's lists: hyperparameters, features and feature sources.

The write path takes whole lists, so each action rebuilds the model's list
from what is stored, applies one change (add, edit or remove one row) and
saves it: one action, one version. The three kinds of row share one flow;
each is declared once as a ``RowKind``. A row is addressed by its position
(or a feature by its id) *at the version the form was opened at*; the
version check comes first, so a position can never hit a row that moved since.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from catalog.models import Table
from catalog.services import changes, mlmodels
from catalog.services.mlmodels import FeatureSpec, HyperParameterSpec, SourceSpec
from pages.forms import FeatureForm, FeatureSourceForm, HyperParameterForm, VersionedForm, attach_service_errors
from pages.templatetags.catalog import version as format_version
from pages.views import autocomplete
from pages.views.common import get_editable_model, get_model, is_partial, signed_in
from pages.views.mlmodels import render_saved

EDIT_TEMPLATE = "catalog/mlmodel_edit.html"


def position_in(rows: list, index, what: str):
    """Return ``index`` if it addresses one of ``rows`` (None stays None: a new row); 404 otherwise."""
    if index is not None and not 0 <= index < len(rows):
        raise Http404(f"There is no such {what}.")
    return index


def feature_position(model, feature_id) -> int:
    for position, feature in enumerate(model.features_list):
        if feature.pk == feature_id:
            return position
    raise Http404("This model has no such feature.")


@dataclass(frozen=True)
class RowKind:
    """One kind of row in a model's lists, and how its form maps onto the write path's specs."""

    name: str  # the template's form partial is "<name>-form"
    noun: str
    form_class: type
    section: str  # the id of the page section that shows these rows
    field: str  # the write path's list argument
    stored: Callable  # model -> that whole list, as specs
    #: (model, specs, address) -> (the list holding the addressed row, its position or None for a new one)
    locate: Callable
    row_id: Callable  # address -> the DOM id of the row's form
    initial: Callable  # spec -> the form's initial data
    from_form: Callable  # (cleaned data, the spec it replaces or None) -> spec
    edits_tags: bool = False


def source_initial(source: SourceSpec) -> dict:
    return {
        "table": source.table.fqn if source.table else "",
        "column": str(source.column.pk) if source.column else "",
        "name": source.name,
        "data_type": source.data_type,
        "description": source.description,
    }


def _locate_source(model, specs, address):
    sources = specs[feature_position(model, address["feature_id"])].sources
    return sources, position_in(sources, address.get("index"), "source")


HYPERPARAMETER = RowKind(
    name="hyperparameter",
    noun="Hyperparameter",
    form_class=HyperParameterForm,
    section="section-hyperparameters",
    field="hyperparameters",
    stored=mlmodels.stored_hyperparameters,
    locate=lambda model, specs, address: (specs, position_in(specs, address.get("index"), "hyperparameter")),
    row_id=lambda address: f"hp-{address.get('index', 'new')}",
    initial=lambda p: {"name": p.name, "value": p.value, "description": p.description},
    from_form=lambda data, old: HyperParameterSpec(
        name=data["name"], value=data["value"], description=data["description"]
    ),
)
FEATURE = RowKind(
    name="feature",
    noun="Feature",
    form_class=FeatureForm,
    section="section-features",
    field="features",
    stored=mlmodels.stored_features,
    locate=lambda model, specs, address: (
        specs,
        feature_position(model, address["feature_id"]) if "feature_id" in address else None,
    ),
    row_id=lambda address: f"feature-{address['feature_id']}-head" if "feature_id" in address else "feature-new",
    initial=lambda f: {
        "name": f.name,
        "data_type": f.data_type,
        "feature_algorithm": f.feature_algorithm,
        "description": f.description,
    },
    # A feature's form edits the feature; its sources stay as they are.
    from_form=lambda data, old: FeatureSpec(
        name=data["name"],
        data_type=data["data_type"],
        feature_algorithm=data["feature_algorithm"],
        description=data["description"],
        tags=data["tags"],
        sources=old.sources if old else [],
    ),
    edits_tags=True,
)
SOURCE = RowKind(
    name="source",
    noun="Source",
    form_class=FeatureSourceForm,
    section="section-features",
    field="features",
    stored=mlmodels.stored_features,
    locate=_locate_source,
    row_id=lambda address: f"source-{address['feature_id']}-{address.get('index', 'new')}",
    initial=source_initial,
    # A source's form edits where it reads from; its tags stay as they are.
    from_form=lambda data, old: SourceSpec(
        name=data["name"],
        data_type=data["data_type"],
        description=data["description"],
        table=data["table"],
        column=data["column"],
        tags=old.tags if old else [],
    ),
)
#: The row kinds by the name the URLs give.
ROW_KINDS = {kind.name: kind for kind in (HYPERPARAMETER, FEATURE, SOURCE)}


# --- Answers ------------------------------------------------------------------------------------------


def columns_for(form) -> list:
    """Return the columns of the table the source form names, for its column picker."""
    value = (form.data.get("table") if form.is_bound else form.initial.get("table")) or ""
    table = Table.objects.live().by_fqn(value.strip()).first() if value.strip() else None
    return list(table.columns.all()) if table else []


def render_row_form(request, model, kind: RowKind, form, action, address, current_tags):
    """Show one row's form (the whole edit page without htmx)."""
    row_id = kind.row_id(address)
    form.prepare(row_id)
    context = {"model": model, "form": form, "kind": kind.name, "action": action, "section": kind.section}
    context.update(row_id=row_id, feature_id=address.get("feature_id"))
    if kind.edits_tags:
        context["tag_chips"] = form.tag_choices(current_tags)
        context["suggestions"] = autocomplete.tag_options("")
    if kind is SOURCE:
        context["columns"] = columns_for(form)
        context["suggestions"] = autocomplete.table_options("")
    template = f"{EDIT_TEMPLATE}#{kind.name}-form" if is_partial(request) else EDIT_TEMPLATE
    return render(request, template, context)


def answer_saved(request, pk, kind: RowKind, result, what: str, opened_at):
    """Show the whole section again: the saved row, and the new version out of band."""
    if is_partial(request):
        response = render_saved(request, pk, kind.section, opened_at=opened_at)
        return reswap(retarget(response, f"#{kind.section}"), "outerHTML")
    if result.changed:
        messages.success(request, f"{what} saved: this is now version {format_version(result.entity.version)}.")
    return redirect(reverse("mlmodel", args=[pk]) + f"#{kind.section}")


def answer_stale(request, pk, kind: RowKind, what: str, reason: str = ""):
    """Refuse a save over a newer version: show the section as it is now, with why nothing was saved."""
    current = get_model(pk)
    notice = reason or (
        f"{what} not saved: {current.updated_by or 'someone'} saved version {format_version(current.version)} "
        "after you opened the form. The current values are shown below."
    )
    if is_partial(request):
        response = render_saved(request, pk, kind.section, notice={"section": kind.section, "text": notice})
        return reswap(retarget(response, f"#{kind.section}"), "outerHTML")
    messages.error(request, notice)
    return redirect(reverse("mlmodel", args=[pk]) + f"#{kind.section}")


# --- The views: one flow for every kind of row --------------------------------------------------------


def _action(kind: RowKind, pk, address: dict, verb: str) -> str:
    return reverse(f"mlmodel_{kind.name}_{verb}", kwargs={"pk": pk, **address})


def _row_form(request, pk, kind_name: str, address: dict, verb: str):
    """Show the add or edit form of a row (GET), or save it as one new version (POST)."""
    kind = ROW_KINDS[kind_name]
    model = get_editable_model(request, pk)
    action = _action(kind, pk, address, verb)
    if request.method == "GET":
        rows, position = kind.locate(model, kind.stored(model), address)
        current = rows[position] if position is not None else None
        initial = {**(kind.initial(current) if current else {}), "expected_version": model.version}
        form = kind.form_class(initial=initial)
        return render_row_form(request, model, kind, form, action, address, _tags_of(current, kind))
    form = kind.form_class(request.POST)
    if not form.is_valid():
        return render_row_form(request, model, kind, form, action, address, _current_tags(kind, model, address))
    what = f"{kind.noun} {form.cleaned_data['name']!r}"
    opened_at = form.cleaned_data["expected_version"]
    # The version check comes before the row is looked up: a position is only meaningful at its version.
    if opened_at != model.version:
        return answer_stale(request, pk, kind, what)
    specs = kind.stored(model)
    rows, position = kind.locate(model, specs, address)
    current = rows[position] if position is not None else None
    row = kind.from_form(form.cleaned_data, current)
    if position is None:
        rows.append(row)
    else:
        rows[position] = row
    try:
        result = mlmodels.update_mlmodel(model, request.user, expected_version=opened_at, **{kind.field: specs})
    except changes.StaleVersion:
        return answer_stale(request, pk, kind, what)
    except ValidationError as error:
        attach_service_errors(form, error, getattr(form, "aliases", None))
        return render_row_form(request, model, kind, form, action, address, _tags_of(current, kind))
    return answer_saved(request, pk, kind, result, what, opened_at)


def _tags_of(row, kind: RowKind) -> list:
    return list(row.tags) if kind.edits_tags and row is not None else []


def _current_tags(kind: RowKind, model, address) -> list:
    """Return the tags of the addressed row, or none if it is not there (any more)."""
    try:
        rows, position = kind.locate(model, kind.stored(model), address)
    except Http404:
        return []
    return _tags_of(rows[position] if position is not None else None, kind)


@signed_in
@require_http_methods(["GET", "POST"])
def row_add(request, pk, kind, **address):
    return _row_form(request, pk, kind, address, "add")


@signed_in
@require_http_methods(["GET", "POST"])
def row_edit(request, pk, kind, **address):
    return _row_form(request, pk, kind, address, "edit")


@signed_in
@require_POST
def row_remove(request, pk, kind, **address):
    """Remove a row: the form carries only the version it was shown at."""
    kind = ROW_KINDS[kind]
    model = get_editable_model(request, pk)
    what = f"{kind.noun} removal"
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return answer_stale(request, pk, kind, what, reason=f"{what} not done: {form.errors['expected_version'][0]}")
    opened_at = form.cleaned_data["expected_version"]
    if opened_at != model.version:
        return answer_stale(request, pk, kind, what)
    specs = kind.stored(model)
    rows, position = kind.locate(model, specs, address)
    if position is None:
        raise Http404(f"There is no such {kind.name}.")
    del rows[position]
    try:
        result = mlmodels.update_mlmodel(model, request.user, expected_version=opened_at, **{kind.field: specs})
    except changes.StaleVersion:
        return answer_stale(request, pk, kind, what)
    return answer_saved(request, pk, kind, result, what, opened_at)
