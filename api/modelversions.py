"""Model versions, aliases, metrics, approval and the model card of an ML model, under /api/v1/mlmodels/{id}/.

OpenMetadata's MlModel has no room for any of this, and the SDK parses its
documents with ``extra='forbid'``, so these are resources of their own beside
the model's, never keys of its document. "Model version" here is always the
registered artifact (1, 2, 3…); the model's *history* (0.1, 0.2…) stays at
``/mlmodels/{id}/versions``. Every write goes through
``catalog.services.modelversions`` (the card through ``mlmodels.update_mlmodel``)
and so is one history version of the model; the model's history version is
the ETag of every answer here, and If-Match guards PUT and PATCH.

Order of refusals, as everywhere in the API: 401, then 403 for a caller who
may not edit the model, then 404 for an unknown model or model version, then
400 naming the field. Every reference in a body is resolved before anything
is written, and each write runs in one transaction.
"""

import re

from django.db import transaction
from django.db.models import Max
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from api import auth, bodies, errors, openapi, paging, parsing, patching
from api.bodies import Body
from api.entities import KINDS
from api.errors import bad_request, conflict, not_found
from api.openapi import answers
from api.views import ApiView
from catalog import models as m
from catalog import representations
from catalog.permissions import can_approve
from catalog.services import mlmodels, validation
from catalog.services import modelversions as mv

#: The keys of a model version a request may write (``representations.model_version`` serves them).
TEXT_KEYS = {
    "description": "description",
    "sourceUri": "source_uri",
    "runId": "run_id",
    "runUrl": "run_url",
    "createdBy": "created_by",
}
OBJECT_KEYS = ("tags", "signature", "parameters")
VERSION_KEYS = {"version", "status", "createdAt", "datasets", "metrics", *TEXT_KEYS, *OBJECT_KEYS}
#: Served, but changed through their own resources.
READ_ONLY_KEYS = {"aliases": "PUT /aliases/{alias}", "reviews": "the status, requests, approve and reject resources"}
#: Kept as they are when a PUT leaves them out: a status moves only when asked, a creation time has no "empty".
KEPT_WHEN_ABSENT = {"status", "createdAt"}
DATASET_KEYS = {"role", "table", "columns"}
METRIC_KEYS = {"name", "value", "dataset", "step", "timestamp", "higherIsBetter"}
#: The columns one dataset may name: a table has no more.
MAX_COLUMNS = validation.MAX_ITEMS["columns"][0]
_NUMBER = re.compile(r"[0-9]{1,10}")
RENAMES = [
    *errors.API_NAMES,
    *((attr, key) for key, attr in TEXT_KEYS.items()),
    ("created_at", "createdAt"),
    *((attr, key) for key, attr in m.CARD_KEYS.items()),
]
MERGE_PATCH = "application/merge-patch+json"


# -- Reading bodies --------------------------------------------------------------------------------------------------


def bounded(body: Body, key, most: int) -> list[Body]:
    """The objects of the list at ``key``, refused above ``most`` before any is read."""
    items = body.items(key)
    if len(items) > most:
        raise bad_request(f"{body.at(key)}: At most {most:,} are allowed; {len(items):,} were given.")
    return body.objects(key)


def metric_specs(body: Body, key="metrics") -> list[mv.MetricSpec]:
    """Read metrics; the write path judges their values (a string or a bool is a 400 naming ``metrics[i].value``)."""
    specs = []
    for metric in bounded(body, key, mv.MAX_METRICS):
        metric.check_keys(METRIC_KEYS)
        if "value" not in metric.data or metric.data["value"] is None:
            raise bad_request(f"{metric.at('value')}: this field is required")
        specs.append(
            mv.MetricSpec(
                name=metric.string("name", required=True),
                value=metric.data["value"],
                dataset=metric.string("dataset"),
                step=metric.whole_number("step") or 0,
                timestamp=metric.moment("timestamp"),
                higher_is_better=metric.boolean("higherIsBetter", default=True),
            )
        )
    return specs


def dataset_specs(body: Body) -> list[mv.DatasetSpec]:
    """Resolve each dataset's table by FQN and its columns by name: one that is not there is a 400 naming it."""
    specs = []
    for dataset in bounded(body, "datasets", mv.MAX_DATASETS):
        dataset.check_keys(DATASET_KEYS)
        role = dataset.choice("role", m.ModelVersionDataset.Role.values, required=True)
        table_fqn = dataset.string("table", required=True)
        table = bodies.lookup_fqn("table", table_fqn, dataset.at("table"))
        if table is None:
            raise bad_request(f"{dataset.at('table')}: there is no table {table_fqn!r} in the catalogue")
        names = dataset.items("columns")
        if len(names) > MAX_COLUMNS:
            raise bad_request(f"{dataset.at('columns')}: At most {MAX_COLUMNS:,} columns are allowed.")
        for j, name in enumerate(names):
            if not isinstance(name, str):
                raise bad_request(f"{dataset.at('columns')}[{j}]: must be a column's name")
        found = {column.name: column for column in table.columns.filter(name__in=set(names))} if names else {}
        columns = []
        for j, name in enumerate(names):
            if name not in found:
                raise bad_request(f"{dataset.at('columns')}[{j}]: {table.fqn} has no column {name!r}")
            if found[name] not in columns:
                columns.append(found[name])
        specs.append(mv.DatasetSpec(role=role, table=table, columns=columns))
    return specs


def version_values(body: Body, keys) -> dict:
    """Convert ``keys`` of a model version body into ``save_model_version``'s values (the status apart).

    A key the body does not hold gets its empty value: that is how a PUT clears what it no longer sends.
    """
    values = {}
    for key in keys:
        if key in TEXT_KEYS:
            values[TEXT_KEYS[key]] = body.string(key)
        elif key in OBJECT_KEYS:
            values[key] = body.data.get(key)  # the write path checks the shape and names the entry
        elif key == "createdAt":
            values["created_at"] = body.moment(key)
            if values["created_at"] is None:
                raise bad_request("createdAt: this field is required")
        elif key == "datasets":
            values["datasets"] = dataset_specs(body)
        elif key == "metrics":
            values["metrics"] = metric_specs(body)
    return values


def check_version_body(body: Body, number=None) -> int | None:
    """Refuse unknown and read-only keys; return the ``version`` the body names (it must be ``number`` if given)."""
    for key, where in READ_ONLY_KEYS.items():
        if key in body.data:
            raise bad_request(f"{key}: read-only here; change it through {where}")
    body.check_keys(VERSION_KEYS)
    named = body.whole_number("version")
    if named is not None and not 1 <= named <= mv.MAX_NUMBER:
        raise bad_request(f"version: a model version number is a whole number from 1 to {mv.MAX_NUMBER}")
    if named is not None and number is not None and named != number:
        raise bad_request(f"version: the body names version {named}, the path {number}")
    return named


def merge(target, patch):
    """Apply an RFC 7386 JSON merge patch: objects merge key by key, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge(out.get(key), value)
    return out


def if_match(request):
    header = request.headers.get("If-Match")
    return None if header is None else patching.version_from_etag(header)


def path_number(number: str) -> int:
    if not _NUMBER.fullmatch(number) or not 1 <= int(number) <= mv.MAX_NUMBER:
        raise bad_request(f"version: {number!r} is not a model version number (a whole number from 1)")
    return int(number)


# -- Answers ---------------------------------------------------------------------------------------------------------


def version_answer(model, number: int, status=200) -> Response:
    """Answer with the model version as stored now; its ETag is the model's history version."""
    version = representations.model_versions_queryset().get(model=model, number=number)
    response = Response(representations.model_version(version), status=status)
    response["ETag"] = patching.etag(model)
    return response


def card(model) -> dict:
    return {key: getattr(model, attr) for key, attr in m.CARD_KEYS.items()}


def card_answer(model) -> Response:
    response = Response(card(model))
    response["ETag"] = patching.etag(model)
    return response


# -- Views -----------------------------------------------------------------------------------------------------------


class ModelPartView(ApiView):
    """A resource of one ML model: found by id (or FQN for reads), edited by those who may edit the model."""

    kind = KINDS["mlmodel"]
    renames = RENAMES
    parser_classes = [parsing.JSONParser]

    def model(self, pk=None, fqn=None) -> m.MlModel:
        if fqn is not None:
            model = bodies.lookup_fqn("mlmodel", fqn, "fqn")
        else:
            model = m.MlModel.objects.filter(pk=bodies.parse_uuid(pk, "id"), deleted=False).first()
        if model is None:
            raise not_found(f"mlmodel instance for {fqn if fqn is not None else pk} not found")
        return model

    def editable(self, request, pk) -> m.MlModel:
        """The model, once the caller is known to be allowed to change it (before the body is judged)."""
        model = self.model(pk)
        auth.require_edit(request.user, model)
        return model

    def decidable(self, request, pk) -> m.MlModel:
        """The model, once the caller is known to be allowed to approve or reject its versions.

        An approver needs no edit right: the pages let a read-only approver decide, and so does the API.
        """
        model = self.model(pk)
        if not can_approve(request.user, model):
            raise exceptions.PermissionDenied(
                f"User {request.user.username} may not approve or reject versions of mlmodel {model.fqn}: "
                "only its owners, approvers and administrators may"
            )
        return model

    def existing(self, model, number: str) -> int:
        """The number of one of the model's versions, or 404."""
        value = path_number(number)
        if not model.model_versions.filter(number=value).exists():
            raise not_found(f"modelVersion instance for {model.fqn} version {value} not found")
        return value

    def body_of(self, request) -> Body:
        return Body(self.body(request))


def list_versions(request, model) -> Response:
    """A page of the model's versions, oldest first, cursors as the entity lists have them."""
    for param in ("after", "before"):
        cursor = request.query_params.get(param)
        if cursor and not _NUMBER.fullmatch(paging.decode(cursor, param)[0]):
            raise bad_request(f"{param}: not a valid paging cursor")
    rows = representations.model_versions_queryset().filter(model=model)
    page = paging.paginate(
        rows,
        counted=m.ModelVersion.objects.filter(model=model),
        name_field="number",
        limit=paging.parse_limit(request.query_params.get("limit")),
        after=request.query_params.get("after"),
        before=request.query_params.get("before"),
    )
    return Response({"data": [representations.model_version(v) for v in page.rows], "paging": page.paging()})


def one_version(model, number: str) -> Response:
    value = path_number(number)
    version = representations.model_versions_queryset().filter(model=model, number=value).first()
    if version is None:
        raise not_found(f"modelVersion instance for {model.fqn} version {value} not found")
    response = Response(representations.model_version(version))
    response["ETag"] = patching.etag(model)
    return response


def aliases(model) -> Response:
    rows = m.ModelAlias.objects.filter(model=model).select_related("version").order_by("name")
    return Response({"data": [{"name": a.name, "version": a.version.number} for a in rows]})


_PAGE = [OpenApiParameter(p, OpenApiTypes.STR, OpenApiParameter.QUERY) for p in ("limit", "after", "before")]


class ModelVersionsView(ModelPartView):
    """``GET`` a page of a model's versions; ``POST`` registers a new one (the next number unless the body names one)."""

    @extend_schema(parameters=_PAGE)
    @answers({200: openapi.model_version_page})
    def get(self, request, pk):
        return list_versions(request, self.model(pk))

    @answers({201: openapi.model_version}, request=openapi.model_version_request, errors=[409])
    def post(self, request, pk):
        model = self.editable(request, pk)
        body = self.body_of(request)
        named = check_version_body(body)
        values = version_values(body, VERSION_KEYS - {"version", "status"} - ({"createdAt"} - body.data.keys()))
        status = body.choice("status", m.LifecycleStatus.values) or None
        with transaction.atomic():
            locked = m.MlModel.objects.select_for_update().get(pk=model.pk)  # two POSTs never take one number
            number = (
                named if named is not None else (locked.model_versions.aggregate(last=Max("number"))["last"] or 0) + 1
            )
            if locked.model_versions.filter(number=number).exists():
                raise conflict(f"Model version {number} of {model.fqn} already exists")
            _, change = mv.save_model_version(locked, number, request.user, status=status, **values)
        return version_answer(change.entity, number, 201)


class ModelVersionsByNameView(ModelPartView):
    @extend_schema(parameters=_PAGE)
    @answers({200: openapi.model_version_page})
    def get(self, request, fqn):
        return list_versions(request, self.model(fqn=fqn))


class ModelVersionView(ModelPartView):
    """``GET``, ``PUT`` (create or replace), ``PATCH`` (JSON merge) and ``DELETE`` one model version."""

    parser_classes = [parsing.JSONParser, parsing.JSONMergePatchParser]

    @answers({200: openapi.model_version})
    def get(self, request, pk, number):
        return one_version(self.model(pk), number)

    @answers(
        {200: openapi.model_version, 201: openapi.model_version}, request=openapi.model_version_request, errors=[412]
    )
    def put(self, request, pk, number):
        model = self.editable(request, pk)
        value = path_number(number)
        body = self.body_of(request)
        check_version_body(body, value)
        keys = VERSION_KEYS - {"version", "status"} - {k for k in KEPT_WHEN_ABSENT if k not in body.data}
        values = version_values(body, keys)
        status = body.choice("status", m.LifecycleStatus.values) or None
        created = not model.model_versions.filter(number=value).exists()
        _, change = mv.save_model_version(
            model, value, request.user, status=status, expected_version=if_match(request), **values
        )
        return version_answer(change.entity, value, 201 if created else 200)

    @answers(
        {200: openapi.model_version},
        request=openapi.model_version_patch,
        media_types=(MERGE_PATCH, openapi.JSON),
        errors=[412],
    )
    def patch(self, request, pk, number):
        model = self.editable(request, pk)
        value = self.existing(model, number)
        patch = self.body_of(request)
        check_version_body(patch, value)
        for key in KEPT_WHEN_ABSENT & patch.data.keys():
            if patch.data[key] is None:
                raise bad_request(f"{key}: cannot be removed")
        current = representations.model_version(
            representations.model_versions_queryset().get(model=model, number=value)
        )
        merged = Body(merge({k: v for k, v in current.items() if k not in READ_ONLY_KEYS}, patch.data))
        values = version_values(merged, patch.data.keys() - {"version", "status"})
        status = merged.choice("status", m.LifecycleStatus.values) if "status" in patch.data else None
        _, change = mv.save_model_version(
            model, value, request.user, status=status, expected_version=if_match(request), **values
        )
        return version_answer(change.entity, value)

    @answers({200: openapi.model_version})
    def delete(self, request, pk, number):
        model = self.editable(request, pk)
        value = self.existing(model, number)
        gone = representations.model_version(representations.model_versions_queryset().get(model=model, number=value))
        change = mv.delete_model_version(model, value, request.user)
        response = Response(gone)
        response["ETag"] = patching.etag(change.entity)
        return response


class ModelVersionByNameView(ModelPartView):
    @answers({200: openapi.model_version})
    def get(self, request, fqn, number):
        return one_version(self.model(fqn=fqn), number)


class ModelVersionStatusView(ModelPartView):
    """``PUT {status, reason}``: move the version; a gated status needs an approver, who is recorded."""

    @answers({200: openapi.model_version}, request=openapi.status_request)
    def put(self, request, pk, number):
        model = self.editable(request, pk)
        value = self.existing(model, number)
        body = self.body_of(request)
        body.check_keys({"status", "reason"})
        status = body.choice("status", m.LifecycleStatus.values, required=True)
        change = mv.set_status(model, value, status, request.user, body.string("reason"))
        return version_answer(change.entity, value)


class ModelVersionRequestsView(ModelPartView):
    """``POST {status, reason}``: ask the approvers to move the version into a gated status."""

    @answers({200: openapi.model_version}, request=openapi.status_request)
    def post(self, request, pk, number):
        model = self.editable(request, pk)
        value = self.existing(model, number)
        body = self.body_of(request)
        body.check_keys({"status", "reason"})
        status = body.choice("status", m.LifecycleStatus.values, required=True)
        change = mv.request_status(model, value, status, request.user, body.string("reason"))
        return version_answer(change.entity, value)


class ModelVersionApproveView(ModelPartView):
    """``POST {reason}``: grant the version's open request (owners, approvers and administrators)."""

    open_to_readers = True  # judged by decidable()

    @answers({200: openapi.model_version}, request=openapi.reason_request)
    def post(self, request, pk, number):
        model = self.decidable(request, pk)
        value = self.existing(model, number)
        body = self.body_of(request)
        body.check_keys({"reason"})
        change = mv.approve(model, value, request.user, body.string("reason"))
        return version_answer(change.entity, value)


class ModelVersionRejectView(ModelPartView):
    """``POST {reason}``: refuse the version's open request, saying why (owners, approvers and administrators)."""

    open_to_readers = True  # judged by decidable()

    @answers({200: openapi.model_version}, request=openapi.reason_request)
    def post(self, request, pk, number):
        model = self.decidable(request, pk)
        value = self.existing(model, number)
        body = self.body_of(request)
        body.check_keys({"reason"})
        change = mv.reject(model, value, request.user, body.string("reason"))
        return version_answer(change.entity, value)


class ModelVersionMetricsView(ModelPartView):
    """``POST {metrics: [...]}``: log measurements; one of the same name, dataset and step is replaced."""

    @answers({200: openapi.model_version}, request=openapi.metrics_request)
    def post(self, request, pk, number):
        model = self.editable(request, pk)
        value = self.existing(model, number)
        body = self.body_of(request)
        body.check_keys({"metrics"})
        if body.data.get("metrics") is None:
            raise bad_request("metrics: this field is required")
        change = mv.log_metrics(model, value, metric_specs(body), request.user)
        return version_answer(change.entity, value)


class AliasesView(ModelPartView):
    """``GET`` the model's aliases, each with the version it points at."""

    @answers({200: openapi.alias_list})
    def get(self, request, pk):
        return aliases(self.model(pk))


class AliasesByNameView(ModelPartView):
    @answers({200: openapi.alias_list})
    def get(self, request, fqn):
        return aliases(self.model(fqn=fqn))


class AliasView(ModelPartView):
    """``PUT {version}`` points the alias at a version (moving it in one step); ``DELETE`` removes it."""

    @answers({200: openapi.alias}, request=openapi.alias_request)
    def put(self, request, pk, alias):
        model = self.editable(request, pk)
        bodies.check_no_nul(alias, "alias")
        body = self.body_of(request)
        body.check_keys({"version"})
        number = body.whole_number("version", required=True)
        change = mv.set_alias(model, alias, number, request.user)
        response = Response({"name": alias, "version": number})
        response["ETag"] = patching.etag(change.entity)
        return response

    @answers({200: openapi.alias})
    def delete(self, request, pk, alias):
        model = self.editable(request, pk)
        bodies.check_no_nul(alias, "alias")
        found = m.ModelAlias.objects.filter(model=model, name=alias).select_related("version").first()
        if found is None:
            raise not_found(f"alias {alias!r} of {model.fqn} not found")
        change = mv.remove_alias(model, alias, request.user)
        response = Response({"name": found.name, "version": found.version.number})
        response["ETag"] = patching.etag(change.entity)
        return response


class ModelCardView(ModelPartView):
    """``GET`` the model card; ``PUT`` replaces every section (absent: empty); ``PATCH`` merges some."""

    parser_classes = [parsing.JSONParser, parsing.JSONMergePatchParser]

    @answers({200: openapi.model_card})
    def get(self, request, pk):
        return card_answer(self.model(pk))

    @answers({200: openapi.model_card}, request=openapi.model_card_request, errors=[412])
    def put(self, request, pk):
        model = self.editable(request, pk)
        return self.write(request, model, self.body_of(request), m.CARD_KEYS)

    @answers(
        {200: openapi.model_card},
        request=openapi.model_card_request,
        media_types=(MERGE_PATCH, openapi.JSON),
        errors=[412],
    )
    def patch(self, request, pk):
        model = self.editable(request, pk)
        body = self.body_of(request)
        return self.write(request, model, body, body.data.keys())

    def write(self, request, model, body: Body, keys) -> Response:
        body.check_keys(m.CARD_KEYS)
        values = {}
        for key in keys:
            if key == "riskRating":
                values[m.CARD_KEYS[key]] = body.choice(key, m.RiskRating.values)
            else:
                values[m.CARD_KEYS[key]] = body.string(key)
        change = mlmodels.update_mlmodel(model, request.user, expected_version=if_match(request), **values)
        return card_answer(change.entity)


class ModelCardByNameView(ModelPartView):
    @answers({200: openapi.model_card})
    def get(self, request, fqn):
        return card_answer(self.model(fqn=fqn))
