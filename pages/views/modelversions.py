"""Model versions in the browser: the model page's summary, a model version's page, compare, and a metric's chart.

A *model version* (1, 2, 3…, a trained artifact) is not a *history version*
of the catalogue entry (0.1, 1.2…, pages/views/history.py). Every write
goes through ``catalog.services.modelversions``; the views here check the
door (who may edit, who may approve) and render.
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from catalog import permissions, representations
from catalog.models import LifecycleStatus, MlModel, ModelAlias, ModelMetric, ModelVersion, ModelVersionReview
from catalog.services import modelversions
from pages import charts
from pages.forms import attach_service_errors
from pages.modelversion_forms import AliasForm, ReviewForm, StatusForm
from pages.views.common import is_partial, signed_in

VERSION_TEMPLATE = "catalog/model_version.html"
COMPARE_TEMPLATE = "catalog/model_version_compare.html"
#: How many metrics the model page's versions table shows as columns.
KEY_METRICS = 3
COMPARE_MIN, COMPARE_MAX = 2, 5
#: How many versions a chart asked for without ``?v=`` shows (the newest).
CHART_VERSIONS = 20


# --- Reading ----------------------------------------------------------------------------------------


def metric_label(name: str, dataset: str) -> str:
    return f"{name} ({dataset})" if dataset else name


def headline_metrics(version) -> dict[tuple[str, str], ModelMetric]:
    """Each (name, dataset) measured on ``version``, with its measure at the last step."""
    out = {}
    for metric in version.metrics_list:
        key = (metric.name, metric.dataset)
        if key not in out or metric.step >= out[key].step:
            out[key] = metric
    return out


def approval_of(version) -> ModelVersionReview | None:
    """The approval that put ``version`` in its status (reviews are read newest first)."""
    return next(
        (
            r
            for r in version.reviews_list
            if r.decision == ModelVersionReview.Decision.APPROVED and r.status == version.status
        ),
        None,
    )


def versions_summary(model) -> dict:
    """What the model page shows of its model versions: a fixed number of queries whatever their number."""
    versions = representations.model_versions_of(model)
    for version in versions:
        version.headline = headline_metrics(version)
    in_production = [v for v in versions if v.status == LifecycleStatus.PRODUCTION]
    for version in in_production:
        version.approval = approval_of(version)
    shown_from = in_production[0] if in_production else (versions[0] if versions else None)
    keys = sorted(shown_from.headline)[:KEY_METRICS] if shown_from else []
    for version in versions:
        version.key_values = [version.headline.get(key) for key in keys]
    return {
        "model_versions": versions,
        "in_production": in_production,
        "key_metrics": [metric_label(*key) for key in keys],
        "compare_max": COMPARE_MAX,
    }


def get_version(pk, number) -> tuple[MlModel, ModelVersion]:
    """Return the model (with what the permission checks read) and its model version ``number``, or 404."""
    model = get_object_or_404(
        MlModel.objects.select_related("service").prefetch_related("owner_users", "owner_teams"), pk=pk
    )
    version = get_object_or_404(representations.model_versions_queryset(), model=model, number=number)
    return model, version


def may_edit(user, model) -> bool:
    return not model.deleted and permissions.can_edit(user, model)


def may_approve(user, model) -> bool:
    return not model.deleted and permissions.can_approve(user, model)


def version_context(request, model, version, **forms) -> dict:
    may_change, approver = may_edit(request.user, model), may_approve(request.user, model)
    gated = [s for s in LifecycleStatus.values if modelversions.gated(s)]
    open_request = next((r for r in version.reviews_list if r.open), None)
    signature = version.signature or {}
    return {
        "model": model,
        "version": version,
        "aliases": [a.name for a in version.aliases_list],
        "metrics": sorted(version.metrics_list, key=lambda m: (m.name, m.dataset, m.step)),
        "parameters": sorted(version.parameters.items()),
        "tags": sorted(version.tags.items()),
        "inputs": signature.get("inputs", []),
        "outputs": signature.get("outputs", []),
        "datasets": version.datasets_list,
        "reviews": version.reviews_list,
        "open_request": open_request,
        "can_edit": may_change,
        "can_approve": approver,
        "alias_form": forms.get("alias_form") or AliasForm(),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": version.status}, gated=gated, may_approve=approver),
        "review_form": forms.get("review_form") or ReviewForm(),
        "notice": forms.get("notice", ""),
    }


@signed_in
@require_GET
def model_version(request, pk, number):
    """Show one model version: what it is, what it was trained and measured on, and who decided on it."""
    model, version = get_version(pk, number)
    return render(request, VERSION_TEMPLATE, version_context(request, model, version))


@signed_in
@require_GET
def model_version_by_id(request, pk):
    """Send a link that knows only the version's id (a lineage node, the registry's page) to its page."""
    version = get_object_or_404(ModelVersion.objects.only("model_id", "number"), pk=pk)
    return redirect(reverse("model_version", args=[version.model_id, version.number]))


# --- Writing ----------------------------------------------------------------------------------------


def answer(request, pk, number, *, form_name: str, form, notice: str) -> HttpResponse:
    """Answer a form of the version page: the state fragment for htmx, else the page (with errors) or a redirect."""
    model, version = get_version(pk, number)
    if form.errors:
        context = version_context(request, model, version, **{form_name: form})
    else:
        if not is_partial(request):
            messages.success(request, notice)
            return redirect(reverse("model_version", args=[pk, number]))
        context = version_context(request, model, version, notice=notice)
    template = f"{VERSION_TEMPLATE}#version-state" if is_partial(request) else VERSION_TEMPLATE
    return render(request, template, context)


@signed_in
@require_POST
def model_version_alias(request, pk, number):
    """Point an alias at this version; it leaves the version that had it in the same step."""
    model, version = get_version(pk, number)
    if not may_edit(request.user, model):
        raise PermissionDenied("You cannot change the aliases of this model.")
    form = AliasForm(request.POST)
    notice = ""
    if form.is_valid():
        alias = form.cleaned_data["alias"]
        was = ModelAlias.objects.filter(model=model, name=alias).select_related("version").first()
        try:
            modelversions.set_alias(model, alias, version.number, request.user)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            moved = f" (moved from version {was.version.number})" if was and was.version_id != version.pk else ""
            notice = f"Alias “{alias}” now points at version {version.number}{moved}."
    return answer(request, pk, number, form_name="alias_form", form=form, notice=notice)


@signed_in
@require_POST
def model_version_status(request, pk, number):
    """Change the status: directly, or for a gated status an approval (approvers) or a request (other editors)."""
    model, version = get_version(pk, number)
    if not may_edit(request.user, model):
        raise PermissionDenied("You cannot change the status of this model's versions.")
    approver = may_approve(request.user, model)
    form = StatusForm(
        request.POST, gated=[s for s in LifecycleStatus.values if modelversions.gated(s)], may_approve=approver
    )
    notice = ""
    if form.is_valid():
        status, reason = form.cleaned_data["status"], form.cleaned_data["reason"]
        try:
            if modelversions.gated(status) and not approver:
                modelversions.request_status(model, version.number, status, request.user, reason)
                notice = f"Approval to move version {version.number} to {status} requested."
            else:
                modelversions.set_status(model, version.number, status, request.user, reason)
                notice = f"Version {version.number} is {status}."
        except ValidationError as error:
            attach_service_errors(form, error)
    return answer(request, pk, number, form_name="status_form", form=form, notice=notice)


@signed_in
@require_POST
def model_version_review(request, pk, number):
    """Approve or reject the version's open request (approvers, owners and administrators)."""
    model, version = get_version(pk, number)
    if not may_approve(request.user, model):
        raise PermissionDenied("Only the owners of this model, approvers and administrators may decide on requests.")
    form = ReviewForm(request.POST)
    notice = ""
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                modelversions.approve(model, version.number, request.user, reason)
                notice = f"Version {version.number} approved."
            else:
                modelversions.reject(model, version.number, request.user, reason)
                notice = f"Version {version.number} rejected."
        except ValidationError as error:
            attach_service_errors(form, error)
    return answer(request, pk, number, form_name="review_form", form=form, notice=notice)


# --- Comparing --------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a comparison: a label, one cell per version, and whether the versions differ."""

    label: str
    cells: list
    differs: bool = False
    best: set[int] = field(default_factory=set)


def best_of(values: list[float | None], higher_is_better: bool) -> set[int]:
    """The indexes of the best values; none when fewer than two versions were measured or all agree."""
    present = [v for v in values if v is not None]
    if len(present) < 2 or len(set(present)) == 1:
        return set()
    best = max(present) if higher_is_better else min(present)
    return {i for i, v in enumerate(values) if v == best}


def metric_rows(versions) -> list[Row]:
    headlines = [headline_metrics(v) for v in versions]
    keys = sorted({key for headline in headlines for key in headline})
    rows = []
    for key in keys:
        measured = [headline.get(key) for headline in headlines]
        higher = next(m.higher_is_better for m in measured if m is not None)
        values = [m.value if m is not None else None for m in measured]
        label = metric_label(*key) + (" ↑" if higher else " ↓")
        rows.append(Row(label, values, len(set(values)) > 1, best_of(values, higher)))
    return rows


def mapping_rows(mappings: list[dict]) -> list[Row]:
    keys = sorted({key for mapping in mappings for key in mapping})
    rows = []
    for key in keys:
        values = [mapping.get(key) for mapping in mappings]
        rows.append(Row(key, values, len(set(values)) > 1))
    return rows


def signature_rows(versions, side: str) -> list[Row]:
    """Each input (or output) by name with its type in each version; a missing one shows as absent."""
    return mapping_rows(
        [{item["name"]: item["type"] or "—" for item in (v.signature or {}).get(side, [])} for v in versions]
    )


def dataset_rows(versions) -> list[Row]:
    """Each (role, table) of any version, with the columns each version read from it."""
    return mapping_rows(
        [
            {
                f"{d.role}: {d.table.fqn}": ", ".join(c.name for c in d.columns_list) or "whole table"
                for d in v.datasets_list
            }
            for v in versions
        ]
    )


def chosen_numbers(values: list[str]) -> tuple[list[int], str]:
    """Return the distinct version numbers asked for, or a message saying what is wrong with them."""
    numbers = []
    for value in values:
        if not value.isdigit():
            return [], f"“{value}” is not a version number."
        if int(value) not in numbers:
            numbers.append(int(value))
    if not COMPARE_MIN <= len(numbers) <= COMPARE_MAX:
        return [], f"Choose two to five model versions to compare ({len(numbers)} chosen)."
    return sorted(numbers), ""


def chart_url(model, metric: str, numbers: list[int]) -> str:
    """The chart's URL, with the metric's name as one path segment.

    ``reverse`` keeps a '/' in the name as is, so a metric named
    ``../../x`` would give a URL the browser shortens before asking for it;
    encoded here whole, the name reaches the view as written. A line break
    is the one thing the route cannot match: such a metric gets no chart
    (an empty URL) rather than a broken image.
    """
    if "\n" in metric:
        return ""
    stem = reverse("model_metric_chart", args=[model.pk, "-"]).removesuffix("-.svg")
    return f"{stem}{quote(metric, safe='')}.svg?" + urlencode([("v", n) for n in numbers])


@signed_in
@require_GET
def model_version_compare(request, pk):
    """Compare two to five model versions side by side: metrics (best highlighted), parameters, signature, data."""
    model = get_object_or_404(MlModel.objects.select_related("service"), pk=pk)
    numbers, problem = chosen_numbers(request.GET.getlist("v"))
    versions = []
    if not problem:
        found = {v.number: v for v in representations.model_versions_queryset().filter(model=model, number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            problem = f"{model.name} has no model version {missing[0]}."
        versions = [found[n] for n in numbers if n in found]
    context = {"model": model, "problem": problem, "all_numbers": [], "chosen": numbers}
    if problem:
        context["all_numbers"] = list(model.model_versions.order_by("-number").values_list("number", flat=True))
        return render(request, COMPARE_TEMPLATE, context, status=400)
    metric_names = sorted({m.name for v in versions for m in v.metrics_list})
    metric = request.GET.get("metric", "")
    metric = metric if metric in metric_names else (metric_names[0] if metric_names else "")
    context.update(
        versions=versions,
        metrics=metric_rows(versions),
        parameters=mapping_rows([v.parameters for v in versions]),
        inputs=signature_rows(versions, "inputs"),
        outputs=signature_rows(versions, "outputs"),
        datasets=dataset_rows(versions),
        metric_names=metric_names,
        metric=metric,
        chart_url=chart_url(model, metric, numbers) if metric else "",
    )
    template = f"{COMPARE_TEMPLATE}#metric-chart" if is_partial(request) else COMPARE_TEMPLATE
    return render(request, template, context)


@signed_in
@require_GET
def model_metric_chart(request, pk, metric):
    """Draw one metric across model versions (``?v=`` chooses them; the newest otherwise) as SVG.

    Each version's bar is the metric's value at its last step on one
    dataset: ``?dataset=``, or else the dataset most versions were measured on.
    """
    model = get_object_or_404(MlModel, pk=pk)
    wanted = request.GET.getlist("v")
    if not all(v.isdigit() for v in wanted):
        raise Http404("Version numbers are whole numbers.")
    versions = model.model_versions.order_by("-number")
    if wanted:
        versions = versions.filter(number__in=[int(v) for v in wanted])
    numbers = sorted(versions.values_list("number", flat=True)[:CHART_VERSIONS])
    rows = list(
        ModelMetric.objects.filter(version__model=model, version__number__in=numbers, name=metric)
        .order_by("version__number", "dataset", "step")
        .values_list("version__number", "dataset", "value", "higher_is_better")
    )
    dataset = request.GET.get("dataset")
    if dataset is None and rows:
        counts = {}
        for _, name, _, _ in rows:
            counts[name] = counts.get(name, 0) + 1
        dataset = max(sorted(counts), key=lambda name: counts[name])
    last = {number: value for number, name, value, _ in rows if name == dataset}  # rows are in step order
    bars = [(f"v{number}", last[number]) for number in numbers if number in last]
    higher = next((h for _, name, _, h in rows if name == dataset), True)
    svg = charts.bar_chart(
        metric,
        bars,
        best=best_of([value for _, value in bars], higher),
        subtitle=("higher is better" if higher else "lower is better") + (f" · on {dataset}" if dataset else ""),
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
