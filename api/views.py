"""Entity endpoints: one set of views serves every collection, parameterised by its :class:`Kind`."""

import json
import re
import time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, views
from rest_framework.authentication import SessionAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api import auth, bodies, errors, openapi, output, paging, patching, reads, writes
from api.errors import bad_request, not_found
from api.openapi import answers
from catalog import representations
from catalog.models import EntityVersion
from catalog.services import changes, deletion, restore


class AlwaysJSON(BaseContentNegotiation):
    """Answer JSON whatever the Accept header says: the API has one representation."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if parser.media_type == request.content_type.split(";")[0].strip():
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiSchema(AutoSchema):
    """Name operations after the view and the entity type: one view class serves every collection.

    Request bodies, parameters and answers come from :mod:`api.openapi`, which
    reads the view's entity type and what the view method declares.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        return None if operation is None else openapi.describe(operation, self.view, method, registry)

    def get_request_serializer(self):
        return {}  # no serializers to guess from: api.openapi describes the body

    def get_response_serializers(self):
        return {}  # likewise the answers

    def get_operation_id(self):
        kind = getattr(self.view, "kind", None)
        name = type(self.view).__name__.removesuffix("View")
        return f"{self.method.lower()}{name}" + (f"_{kind.type}" if kind else "")

    def get_tags(self):
        kind = getattr(self.view, "kind", None)
        return [kind.collection] if kind else super().get_tags()


class ApiView(views.APIView):
    """The base of every /api/v1 view: Bearer first, JSON only, OpenMetadata-shaped errors."""

    authentication_classes = [auth.BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [auth.SignedIn]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJSON
    schema = ApiSchema()
    #: Write-path field names and the JSON keys this view's bodies name them by, for 400 messages.
    renames = errors.API_NAMES

    def get_exception_handler(self):
        return errors.handle

    def handle_exception(self, exc):
        if isinstance(exc, ValidationError):
            exc = bad_request(errors.validation_message(exc, renames=self.renames))
        elif isinstance(exc, PermissionDenied):
            # The domain refuses some moves itself (approving a model version): a 403, never a 500.
            exc = exceptions.PermissionDenied(str(exc))
        elif isinstance(exc, changes.StaleVersion):
            exc = errors.APIError(412, f"Entity changed: {exc}")
        elif isinstance(exc, deletion.NotEmpty):
            exc = bad_request(str(exc))
        return super().handle_exception(exc)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for key, value in request.query_params.items():
            bodies.check_no_nul(value, key)

    def body(self, request):
        """Return the parsed JSON body (a parse error is a 400 naming the problem)."""
        return request.data


def _query(name):
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False)


ENTITY = {200: openapi.entity}
_INCLUDE_SUFFIX = re.compile(r"&include=(non-deleted|deleted|all)$")


class EntityView(ApiView):
    """An endpoint of one collection; what differs per type is on its :class:`~api.entities.Kind`."""

    kind = None

    def get_entity(self, value, *, include="non-deleted", by="id"):
        return reads.find(self.kind, value, include=include, by=by)

    def written(self, request, entity, status=200):
        return self.kind.reads.written(self.kind, entity, output.base_url(request), status)


class CollectionView(EntityView):
    """``GET`` a page, ``PUT`` create-or-update, ``POST`` create."""

    @extend_schema(parameters=[_query(p) for p in ("limit", "after", "before", "fields", "include")])
    @answers({200: openapi.page})
    def get(self, request):
        fields = output.parse_fields(self.kind, request.query_params.get("fields"))
        include = output.parse_include(request.query_params.get("include"))
        limit = paging.parse_limit(request.query_params.get("limit"))
        matching = self.kind.filter(output.filter_include(self.kind.queryset(), include), request.query_params)
        rows, fields = self.kind.reads.page_rows(self.kind, matching, fields)
        page = paging.paginate(
            rows,
            counted=matching,
            name_field=self.kind.name_field,
            limit=limit,
            after=request.query_params.get("after"),
            before=request.query_params.get("before"),
        )
        return self.kind.reads.page(self.kind, page, fields, output.base_url(request))

    @answers({200: openapi.entity, 201: openapi.entity}, request=openapi.create_request, errors=[409])
    def put(self, request):
        outcome = writes.upsert(self.kind, self.body(request), request.user)
        return self.written(request, outcome.entity, 201 if outcome.created else 200)

    @answers({201: openapi.entity}, request=openapi.create_request, errors=[409])
    def post(self, request):
        outcome = writes.upsert(self.kind, self.body(request), request.user, create_only=True)
        return self.written(request, outcome.entity, 201)


class ByIdView(EntityView):
    """``GET``, ``PATCH`` (JSON Patch) and ``DELETE`` one entity by id."""

    @extend_schema(parameters=[_query("fields"), _query("include")])
    @answers(ENTITY)
    def get(self, request, pk):
        include = output.parse_include(request.query_params.get("include"))
        return self.kind.reads.one(self.kind, request, pk, include=include, by="id")

    @answers(ENTITY, request=openapi.json_patch, media_types=(openapi.JSON_PATCH, openapi.JSON), errors=[412])
    def patch(self, request, pk):
        entity = self.get_entity(pk)
        outcome = writes.patch(
            self.kind,
            entity,
            self.body(request),
            request.user,
            output.base_url(request),
            if_match=request.headers.get("If-Match"),
        )
        return self.written(request, outcome.entity)

    @extend_schema(parameters=[_query("hardDelete"), _query("recursive")])
    @answers(ENTITY)
    def delete(self, request, pk):
        return delete_entity(self, request, self.get_entity(pk, include="all"))


class ByNameView(EntityView):
    """``GET`` and ``DELETE`` one entity by fully qualified name."""

    def split_quirk(self, request, fqn):
        """Accept the SDK's ``/name/<fqn>&include=all`` (it forgets the ``?`` when only include is given)."""
        match = _INCLUDE_SUFFIX.search(fqn)
        if match:
            return fqn[: match.start()], match.group(1)
        return fqn, output.parse_include(request.query_params.get("include"))

    @extend_schema(parameters=[_query("fields"), _query("include")])
    @answers(ENTITY)
    def get(self, request, fqn):
        fqn, include = self.split_quirk(request, fqn)
        return self.kind.reads.one(self.kind, request, fqn, include=include, by="name")

    @extend_schema(parameters=[_query("hardDelete"), _query("recursive")])
    @answers(ENTITY)
    def delete(self, request, fqn):
        fqn, _ = self.split_quirk(request, fqn)
        return delete_entity(self, request, self.get_entity(fqn, include="all", by="name"))


def _flag(request, name) -> bool:
    value = request.query_params.get(name, "false")
    if value not in ("true", "false"):
        raise bad_request(f"{name}: must be true or false")
    return value == "true"


def delete_entity(view, request, entity):
    auth.require_edit(request.user, entity)  # before the flags are judged: authorisation comes first
    hard, recursive = _flag(request, "hardDelete"), _flag(request, "recursive")
    base = output.base_url(request)
    data = output.written(view.kind, entity, base)
    writes.delete(entity, request.user, hard=hard, recursive=recursive)
    if not hard:
        fresh = view.kind.queryset().get(pk=entity.pk)
        return output.entity_response(fresh, output.written(view.kind, fresh, base))
    return Response(data)


class RestoreView(EntityView):
    """``PUT /<collection>/restore`` with ``{"id": ...}``: undo a soft delete."""

    @answers(ENTITY, request=openapi.restore_request)
    def put(self, request):
        body = bodies.Body(self.body(request))
        body.check_keys({"id"})
        entity = self.get_entity(body.data.get("id"), include="all")
        writes.restore(entity, request.user)
        return self.written(request, entity)


class VersionsView(EntityView):
    """The version history: the current entity first, then older versions, newest first."""

    @answers({200: openapi.versions})
    def get(self, request, pk):
        entity = self.get_entity(pk, include="all")
        snapshots = [representations.snapshot(entity), *(v.snapshot for v in changes.versions(entity))]
        return Response({"entityType": self.kind.type, "versions": output.version_strings(snapshots)})


class VersionView(EntityView):
    """One version of an entity, as it was then."""

    @answers(ENTITY)
    def get(self, request, pk, version):
        entity = self.get_entity(pk, include="all")
        try:
            number = Decimal(version).quantize(Decimal("0.1"))
        except InvalidOperation:
            raise bad_request(f"version: {version!r} is not a number") from None
        if number == entity.version:
            return reads.rebuilt(self.kind, entity, request)
        stored = EntityVersion.objects.filter(entity_type=self.kind.type, entity_id=entity.pk, version=number).first()
        if stored is None:
            raise not_found(f"{self.kind.type} instance for {entity.pk} and version {version} not found")
        data = representations.openmetadata_view(stored.snapshot)
        data["href"] = representations.href(output.base_url(request), entity)
        return Response(data)


class HistoryRestoreView(EntityView):
    """``POST /mlmodels/<id>/versions/<v>/restore``: write the model back to history version ``v`` as a new one.

    Model versions are not rewound (``catalog.services.restore``). An
    ``If-Match`` ETag refuses the restore (412) when the model moved on since.
    """

    @answers(ENTITY, errors=[412])
    def post(self, request, pk, version):
        model = self.get_entity(pk)
        auth.require_edit(request.user, model)
        try:
            number = Decimal(version)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise bad_request(f"version: {version!r} is not a number")
        if_match = request.headers.get("If-Match")
        expected = patching.version_from_etag(if_match) if if_match else None
        try:
            result = restore.restore(model, number, request.user, expected_version=expected)
        except restore.NoSuchVersion:
            raise not_found(f"{self.kind.type} instance for {model.pk} and version {version} not found") from None
        return self.written(request, result.entity)


class FollowerChangeView(EntityView):
    #: Every reader follows and unfollows models themselves (``writes.set_follower`` judges the rest).
    open_to_readers = True

    def change_event(self, request, model, user, *, following: bool):
        """Follow or unfollow, and answer with a ChangeEvent as OpenMetadata's follower endpoints do."""
        changed = writes.set_follower(model, user, request.user, following=following)
        version = representations.version_number(model.version)
        event = {
            "eventType": "entityUpdated" if changed else "entityNoChange",
            "entityType": self.kind.type,
            "entityId": str(model.pk),
            "entityFullyQualifiedName": model.fqn,
            "userName": request.user.username,
            "timestamp": int(time.time() * 1000),
            "currentVersion": version,
        }
        if changed:
            follower = json.dumps([representations.ref(user, output.base_url(request))])
            field = {"name": "followers", "newValue" if following else "oldValue": follower}
            event["changeDescription"] = {
                "fieldsAdded": [field] if following else [],
                "fieldsUpdated": [],
                "fieldsDeleted": [] if following else [field],
                "previousVersion": version,
            }
        return Response(event)


class FollowersView(FollowerChangeView):
    """``PUT /mlmodels/<id>/followers`` with a user id as the JSON body."""

    @answers({200: openapi.change_event}, request=openapi.follower_request)
    def put(self, request, pk):
        model = self.get_entity(pk)
        user = writes.follower_from_body(self.body(request))
        return self.change_event(request, model, user, following=True)


class FollowerView(FollowerChangeView):
    """``DELETE /mlmodels/<id>/followers/<userId>``."""

    @answers({200: openapi.change_event})
    def delete(self, request, pk, user_id):
        model = self.get_entity(pk)
        user = bodies.by_id("user", user_id, "userId", live=False)
        return self.change_event(request, model, user, following=False)
