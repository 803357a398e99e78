"""Inline editing of a model's lists: hyperparameters, features and feature sources.

The write path takes whole lists, so each action rebuilds the model's list
from what is stored, applies one change (add, edit, remove, re-point) and
saves it: one action, one version. A row is addressed by its position (or a
feature by its id) *at the version the form was opened at*; the version check
comes first, so a position can never hit a row that moved since.
"""

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


# --- The stored lists as write-path specs -----------------------------------------------------------


def hyperparameter_specs(model) -> list[HyperParameterSpec]:
    return [
        HyperParameterSpec(name=p.name, value=p.value, description=p.description) for p in model.hyperparameters.all()
    ]


def source_spec(source) -> SourceSpec:
    return SourceSpec(
        name=source.name,
        data_type=source.data_type,
        description=source.description,
        table=source.table,
        column=source.column,
        tags=list(source.tags.all()),
    )


def feature_spec(feature) -> FeatureSpec:
    return FeatureSpec(
        name=feature.name,
        data_type=feature.data_type,
        feature_algorithm=feature.feature_algorithm,
        description=feature.description,
        tags=list(feature.tags.all()),
        sources=[source_spec(s) for s in feature.sources.all()],
    )


def feature_specs(model) -> list[FeatureSpec]:
    return [feature_spec(f) for f in model.features.all()]


def find_feature(model, feature_id):
    for position, feature in enumerate(model.features.all()):
        if feature.pk == feature_id:
            return position, feature
    raise Http404("This model has no such feature.")


def find_source(feature, index: int):
    sources = list(feature.sources.all())
    if not 0 <= index < len(sources):
        raise Http404("This feature has no such source.")
    return sources[index]


# --- Shared flow --------------------------------------------------------------------------------------


def section_of(kind: str) -> str:
    return "section-hyperparameters" if kind == "hyperparameter" else "section-features"


def columns_for(form) -> list:
    """Return the columns of the table the source form names, for its column picker."""
    value = (form.data.get("table") if form.is_bound else form.initial.get("table")) or ""
    table = Table.objects.live().by_fqn(value.strip()).first() if value.strip() else None
    return list(table.columns.all()) if table else []


def render_row_form(request, model, kind, form, action, *, current_tags=None, **extra):
    """Show one row's form (the whole edit page without htmx)."""
    form.prepare(extra["row_id"])
    context = {"model": model, "form": form, "kind": kind, "action": action, "section": section_of(kind), **extra}
    if current_tags is not None:
        context["tag_chips"] = form.tag_choices(current_tags)
        context["suggestions"] = autocomplete.tag_options("")
    if kind == "source":
        context["columns"] = columns_for(form)
        context["suggestions"] = autocomplete.table_options("")
    template = f"{EDIT_TEMPLATE}#{kind}-form" if is_partial(request) else EDIT_TEMPLATE
    return render(request, template, context)


def answer_saved(request, pk, kind, result, what: str, opened_at):
    """Show the whole section again: the saved row, and the new version out of band."""
    section = section_of(kind)
    if is_partial(request):
        response = render_saved(request, pk, section, opened_at=opened_at)
        return reswap(retarget(response, f"#{section}"), "outerHTML")
    if result.changed:
        messages.success(request, f"{what} saved: this is now version {format_version(result.entity.version)}.")
    return redirect(reverse("mlmodel", args=[pk]) + f"#{section}")


def answer_stale(request, pk, kind, what: str, reason: str = ""):
    """Refuse a save over a newer version: show the section as it is now, with why nothing was saved."""
    current = get_model(pk)
    notice = reason or (
        f"{what} not saved: {current.updated_by or 'someone'} saved version {format_version(current.version)} "
        "after you opened the form. The current values are shown below."
    )
    section = section_of(kind)
    if is_partial(request):
        response = render_saved(request, pk, section, notice={"section": section, "text": notice})
        return reswap(retarget(response, f"#{section}"), "outerHTML")
    messages.error(request, notice)
    return redirect(reverse("mlmodel", args=[pk]) + f"#{section}")


def save(request, model, form, kind, what, build_values, action, **extra):
    """Run one list change through the write path and answer with the section, the form or a refusal."""
    if form.cleaned_data["expected_version"] != model.version:
        return answer_stale(request, model.pk, kind, what)
    try:
        values = build_values()
        result = mlmodels.update_mlmodel(
            model, request.user, expected_version=form.cleaned_data["expected_version"], **values
        )
    except changes.StaleVersion:
        return answer_stale(request, model.pk, kind, what)
    except ValidationError as error:
        attach_service_errors(form, error, getattr(form, "aliases", None))
        return render_row_form(request, model, kind, form, action, **extra)
    return answer_saved(request, model.pk, kind, result, what, form.cleaned_data["expected_version"])


def removal(request, model, kind, what, build_values):
    """Remove a row: the form carries only the version it was shown at."""
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return answer_stale(
            request, model.pk, kind, what, reason=f"{what} not done: {form.errors['expected_version'][0]}"
        )
    if form.cleaned_data["expected_version"] != model.version:
        return answer_stale(request, model.pk, kind, what)
    try:
        result = mlmodels.update_mlmodel(
            model, request.user, expected_version=form.cleaned_data["expected_version"], **build_values()
        )
    except changes.StaleVersion:
        return answer_stale(request, model.pk, kind, what)
    return answer_saved(request, model.pk, kind, result, what, form.cleaned_data["expected_version"])


# --- Hyperparameters ----------------------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def hyperparameter_add(request, pk):
    model = get_editable_model(request, pk)
    action = reverse("mlmodel_hyperparameter_add", args=[pk])
    if request.method == "GET":
        form = HyperParameterForm(initial={"expected_version": model.version})
        return render_row_form(request, model, "hyperparameter", form, action, row_id="hp-new")
    form = HyperParameterForm(request.POST)
    if not form.is_valid():
        return render_row_form(request, model, "hyperparameter", form, action, row_id="hp-new")
    data = form.cleaned_data
    spec = HyperParameterSpec(name=data["name"], value=data["value"], description=data["description"])
    return save(
        request,
        model,
        form,
        "hyperparameter",
        f"Hyperparameter {data['name']!r}",
        lambda: {"hyperparameters": [*hyperparameter_specs(model), spec]},
        action,
        row_id="hp-new",
    )


@signed_in
@require_http_methods(["GET", "POST"])
def hyperparameter_edit(request, pk, index):
    model = get_editable_model(request, pk)
    action = reverse("mlmodel_hyperparameter_edit", args=[pk, index])
    row_id = f"hp-{index}"
    if request.method == "GET":
        specs = hyperparameter_specs(model)
        if not 0 <= index < len(specs):
            raise Http404("This model has no such hyperparameter.")
        param = specs[index]
        form = HyperParameterForm(
            initial={
                "name": param.name,
                "value": param.value,
                "description": param.description,
                "expected_version": model.version,
            }
        )
        return render_row_form(request, model, "hyperparameter", form, action, row_id=row_id)
    form = HyperParameterForm(request.POST)
    if not form.is_valid():
        return render_row_form(request, model, "hyperparameter", form, action, row_id=row_id)
    data = form.cleaned_data

    def values():
        specs = hyperparameter_specs(model)
        if not 0 <= index < len(specs):
            raise Http404("This model has no such hyperparameter.")
        specs[index] = HyperParameterSpec(name=data["name"], value=data["value"], description=data["description"])
        return {"hyperparameters": specs}

    return save(
        request, model, form, "hyperparameter", f"Hyperparameter {data['name']!r}", values, action, row_id=row_id
    )


@signed_in
@require_POST
def hyperparameter_remove(request, pk, index):
    model = get_editable_model(request, pk)

    def values():
        specs = hyperparameter_specs(model)
        if not 0 <= index < len(specs):
            raise Http404("This model has no such hyperparameter.")
        del specs[index]
        return {"hyperparameters": specs}

    return removal(request, model, "hyperparameter", "Hyperparameter removal", values)


# --- Features -----------------------------------------------------------------------------------------


def feature_from_form(data, keep=None) -> FeatureSpec:
    """Return the feature the form describes, keeping the sources of the one it edits."""
    return FeatureSpec(
        name=data["name"],
        data_type=data["data_type"],
        feature_algorithm=data["feature_algorithm"],
        description=data["description"],
        tags=data["tags"],
        sources=keep.sources if keep else [],
    )


@signed_in
@require_http_methods(["GET", "POST"])
def feature_add(request, pk):
    model = get_editable_model(request, pk)
    action = reverse("mlmodel_feature_add", args=[pk])
    if request.method == "GET":
        form = FeatureForm(initial={"expected_version": model.version})
        return render_row_form(request, model, "feature", form, action, row_id="feature-new", current_tags=[])
    form = FeatureForm(request.POST)
    if not form.is_valid():
        return render_row_form(request, model, "feature", form, action, row_id="feature-new", current_tags=[])
    spec = feature_from_form(form.cleaned_data)
    return save(
        request,
        model,
        form,
        "feature",
        f"Feature {spec.name!r}",
        lambda: {"features": [*feature_specs(model), spec]},
        action,
        row_id="feature-new",
        current_tags=[],
    )


@signed_in
@require_http_methods(["GET", "POST"])
def feature_edit(request, pk, feature_id):
    model = get_editable_model(request, pk)
    action = reverse("mlmodel_feature_edit", args=[pk, feature_id])
    row_id = f"feature-{feature_id}-head"
    if request.method == "GET":
        _, feature = find_feature(model, feature_id)
        form = FeatureForm(
            initial={
                "name": feature.name,
                "data_type": feature.data_type,
                "feature_algorithm": feature.feature_algorithm,
                "description": feature.description,
                "expected_version": model.version,
            }
        )
        return render_row_form(
            request, model, "feature", form, action, row_id=row_id, current_tags=list(feature.tags.all())
        )
    form = FeatureForm(request.POST)
    current_tags = next((list(f.tags.all()) for f in model.features.all() if f.pk == feature_id), [])
    if not form.is_valid():
        return render_row_form(request, model, "feature", form, action, row_id=row_id, current_tags=current_tags)

    def values():
        position, _ = find_feature(model, feature_id)
        specs = feature_specs(model)
        specs[position] = feature_from_form(form.cleaned_data, keep=specs[position])
        return {"features": specs}

    return save(
        request,
        model,
        form,
        "feature",
        f"Feature {form.cleaned_data['name']!r}",
        values,
        action,
        row_id=row_id,
        current_tags=current_tags,
    )


@signed_in
@require_POST
def feature_remove(request, pk, feature_id):
    model = get_editable_model(request, pk)

    def values():
        position, _ = find_feature(model, feature_id)
        specs = feature_specs(model)
        del specs[position]
        return {"features": specs}

    return removal(request, model, "feature", "Feature removal", values)


# --- Feature sources ----------------------------------------------------------------------------------


def source_from_form(data, keep=None) -> SourceSpec:
    return SourceSpec(
        name=data["name"],
        data_type=data["data_type"],
        description=data["description"],
        table=data["table"],
        column=data["column"],
        tags=keep.tags if keep else [],
    )


def source_initial(source, model) -> dict:
    return {
        "table": source.table.fqn if source.table_id else "",
        "column": str(source.column_id) if source.column_id else "",
        "name": source.name,
        "data_type": source.data_type,
        "description": source.description,
        "expected_version": model.version,
    }


@signed_in
@require_http_methods(["GET", "POST"])
def source_add(request, pk, feature_id):
    model = get_editable_model(request, pk)
    action = reverse("mlmodel_source_add", args=[pk, feature_id])
    row_id = f"source-{feature_id}-new"
    if request.method == "GET":
        find_feature(model, feature_id)
        form = FeatureSourceForm(initial={"expected_version": model.version})
        return render_row_form(request, model, "source", form, action, row_id=row_id, feature_id=feature_id)
    form = FeatureSourceForm(request.POST)
    if not form.is_valid():
        return render_row_form(request, model, "source", form, action, row_id=row_id, feature_id=feature_id)

    def values():
        position, _ = find_feature(model, feature_id)
        specs = feature_specs(model)
        specs[position].sources.append(source_from_form(form.cleaned_data))
        return {"features": specs}

    return save(
        request,
        model,
        form,
        "source",
        f"Source {form.cleaned_data['name']!r}",
        values,
        action,
        row_id=row_id,
        feature_id=feature_id,
    )


@signed_in
@require_http_methods(["GET", "POST"])
def source_edit(request, pk, feature_id, index):
    """Edit or re-point one source: pick another table and column, or rename it."""
    model = get_editable_model(request, pk)
    action = reverse("mlmodel_source_edit", args=[pk, feature_id, index])
    row_id = f"source-{feature_id}-{index}"
    if request.method == "GET":
        _, feature = find_feature(model, feature_id)
        form = FeatureSourceForm(initial=source_initial(find_source(feature, index), model))
        return render_row_form(request, model, "source", form, action, row_id=row_id, feature_id=feature_id)
    form = FeatureSourceForm(request.POST)
    if not form.is_valid():
        return render_row_form(request, model, "source", form, action, row_id=row_id, feature_id=feature_id)

    def values():
        position, feature = find_feature(model, feature_id)
        find_source(feature, index)
        specs = feature_specs(model)
        sources = specs[position].sources
        sources[index] = source_from_form(form.cleaned_data, keep=sources[index])
        return {"features": specs}

    return save(
        request,
        model,
        form,
        "source",
        f"Source {form.cleaned_data['name']!r}",
        values,
        action,
        row_id=row_id,
        feature_id=feature_id,
    )


@signed_in
@require_POST
def source_remove(request, pk, feature_id, index):
    model = get_editable_model(request, pk)

    def values():
        position, feature = find_feature(model, feature_id)
        find_source(feature, index)
        specs = feature_specs(model)
        del specs[position].sources[index]
        return {"features": specs}

    return removal(request, model, "source", "Source removal", values)
