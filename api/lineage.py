"""Lineage endpoints in OpenMetadata's dialect, over ``lineage.models.Edge``.

Only entity-grain edges between OpenMetadata's lineage types (tables, ML
models, dashboards) are served here; ModelAtlas's finer column and feature
edges stay out of this API (``lineage.queries.ENTITY_TYPES``). Edges added
here keep OpenMetadata's ``lineageDetails`` as sent, so column-grain detail
can be read from them later without changing this API.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from api import auth, bodies, openapi, output, patching, schema
from api.bodies import Body
from api.errors import bad_request, not_found
from api.views import ApiView
from catalog import registry, representations
from catalog.models import Column
from catalog.permissions import can_edit
from catalog.services.assets import check_json
from lineage import edits, queries
from lineage.models import Edge

MAX_DEPTH = 3


def node_type(value: str, where: str) -> str:
    if value not in queries.ENTITY_TYPES:
        raise bad_request(f"{where}: {value!r} is not an entity type lineage connects")
    return value


def endpoint(entity_type: str, pk, where: str):
    """Return the live entity at one end of an edge (404 when there is none)."""
    node_type(entity_type, f"{where}.type")
    if entity_type not in queries.HELD_TYPES:
        raise not_found(f"{entity_type} instance for {pk} not found")
    return bodies.by_id(entity_type, pk, f"{where}.id")


def endpoint_by_name(entity_type: str, fqn: str, where: str):
    node_type(entity_type, where)
    if entity_type not in queries.HELD_TYPES:
        raise not_found(f"{entity_type} instance for {fqn} not found")
    return bodies.by_fqn(entity_type, fqn, where)


def require_edit_either(actor, upstream, downstream) -> None:
    """Whoever may edit one end of an edge may state or remove it."""
    if not (can_edit(actor, upstream) or can_edit(actor, downstream)):
        auth.require_edit(actor, downstream)


def clean_details(value, upstream, downstream) -> dict | None:
    """Validate ``lineageDetails``: known keys, known source, columns that belong to the two ends."""
    if value is None:
        return None
    details = Body(value, "lineageDetails")
    details.check_keys(schema.LINEAGE_DETAILS_KEYS)
    check_json(details.data, "lineageDetails")
    details.choice("source", schema.LINEAGE_SOURCES)
    details.string("sqlQuery")
    details.string("description")
    if details.has("pipeline"):
        pipeline = Body(details.data["pipeline"], details.at("pipeline"))
        raise not_found(
            f"pipeline instance for {pipeline.data.get('id') or pipeline.data.get('fullyQualifiedName')} not found"
        )
    named = {upstream.pk: [], downstream.pk: []}  # column FQNs each end must hold, checked in one query per end
    for mapping in details.objects("columnsLineage", "columns"):
        mapping.check_keys(schema.COLUMN_LINEAGE_KEYS)
        for i, column in enumerate(mapping.items("fromColumns", "columns")):
            named[upstream.pk].append((column, f"{mapping.at('fromColumns')}[{i}]"))
        if mapping.has("toColumn"):
            named[downstream.pk].append((mapping.string("toColumn"), mapping.at("toColumn")))
    for entity in (upstream, downstream):
        _check_columns(named[entity.pk], entity)
    return details.data


def _check_columns(columns, entity) -> None:
    """Refuse the first of ``columns`` ((FQN, where) pairs) that is not a column of ``entity``."""
    for column_fqn, where in columns:
        if not isinstance(column_fqn, str):
            raise bad_request(f"{where}: must be a column's fully qualified name")
    held = set()
    if entity.entity_type == "table" and columns:  # a table's columns are bounded: read them all
        held = set(Column.objects.filter(table=entity).values_list("fqn", flat=True))
    for column_fqn, where in columns:
        if column_fqn not in held:
            raise bad_request(f"{where}: {column_fqn!r} is not a column of {entity.entity_type} {entity.fqn}")


def store_edge(upstream, downstream, actor, *, details, description="") -> Edge:
    """State the edge through lineage.edits, the rules the model page follows too."""
    require_edit_either(actor, upstream, downstream)
    return edits.state_edge(upstream, downstream, actor, details=details, description=description)


def depth(request, name) -> int:
    return bodies.parse_count(request.query_params.get(name), name, default=1, maximum=MAX_DEPTH)


def lineage_of(request, root) -> Response:
    """Answer OpenMetadata's EntityLineage for ``root`` at the requested depths."""
    walk = queries.walk(
        root.pk,
        upstream=depth(request, "upstreamDepth"),
        downstream=depth(request, "downstreamDepth"),
        types=queries.ENTITY_TYPES,
    )
    base = output.base_url(request)
    entities = {}
    by_type = {}
    for pk, entity_type in walk.nodes.items():
        by_type.setdefault(entity_type, []).append(pk)
    for entity_type, pks in by_type.items():
        if entity_type in queries.HELD_TYPES:
            entities.update({e.pk: e for e in registry.TYPES[entity_type].model.objects.filter(pk__in=pks)})
    known = {root.pk, *entities}

    def edges(rows):
        out = []
        for edge in rows:
            if edge.from_id in known and edge.to_id in known:
                item = {"fromEntity": str(edge.from_id), "toEntity": str(edge.to_id)}
                if edge.description:
                    item["description"] = edge.description
                if edge.details:
                    item["lineageDetails"] = edge.details
                out.append(item)
        return out

    return Response(
        {
            "entity": representations.ref(root, base),
            "nodes": [representations.ref(entities[pk], base) for pk in walk.nodes if pk in entities],
            "upstreamEdges": edges(walk.upstream),
            "downstreamEdges": edges(walk.downstream),
        }
    )


_DEPTHS = [
    OpenApiParameter(n, {"type": "integer", "minimum": 0, "maximum": MAX_DEPTH}, OpenApiParameter.QUERY)
    for n in ("upstreamDepth", "downstreamDepth")
]


class AddLineageView(ApiView):
    """``PUT /lineage`` with ``{"edge": {fromEntity, toEntity, description?, lineageDetails?}}``."""

    @openapi.answers({200: None}, request=openapi.add_lineage_request)
    def put(self, request):
        body = Body(request.data)
        body.check_keys({"edge"})
        edge = body.object("edge")
        if edge is None:
            raise bad_request("edge: this field is required")
        edge.check_keys({"fromEntity", "toEntity", "description", "lineageDetails"})
        ends = []
        for key in ("fromEntity", "toEntity"):
            ref = edge.object(key)
            if ref is None:
                raise bad_request(f"edge.{key}: this field is required")
            ref.check_keys(bodies.REFERENCE_KEYS)
            ends.append(endpoint(ref.string("type", required=True), ref.data.get("id"), ref.where))
        upstream, downstream = ends
        details = clean_details(edge.data.get("lineageDetails"), upstream, downstream)
        store_edge(upstream, downstream, request.user, details=details, description=edge.string("description"))
        return Response(None)


class LineageByIdView(ApiView):
    @extend_schema(parameters=_DEPTHS)
    @openapi.answers({200: openapi.entity_lineage})
    def get(self, request, entity_type, pk):
        return lineage_of(request, endpoint(entity_type, pk, "entity"))


class LineageByNameView(ApiView):
    @extend_schema(parameters=_DEPTHS)
    @openapi.answers({200: openapi.entity_lineage})
    def get(self, request, entity_type, fqn):
        return lineage_of(request, endpoint_by_name(entity_type, fqn, "fqn"))


class EdgeView(ApiView):
    """``DELETE`` or ``PATCH`` (JSON Patch of ``lineageDetails``) the edge between two entities."""

    def ends(self, from_type, from_id, to_type, to_id):
        return endpoint(from_type, from_id, "from"), endpoint(to_type, to_id, "to")

    @openapi.answers({200: None})
    def delete(self, request, from_type, from_id, to_type, to_id):
        upstream, downstream = self.ends(from_type, from_id, to_type, to_id)
        require_edit_either(request.user, upstream, downstream)
        with transaction.atomic():
            if not edits.remove_edges(upstream.pk, downstream.pk, derived=True):
                raise not_found("Lineage edge not found")
        return Response(None)

    @openapi.answers({200: None}, request=openapi.json_patch, media_types=(openapi.JSON_PATCH, openapi.JSON))
    def patch(self, request, from_type, from_id, to_type, to_id):
        upstream, downstream = self.ends(from_type, from_id, to_type, to_id)
        edge = Edge.objects.filter(from_id=upstream.pk, to_id=downstream.pk).first()
        if edge is None:
            raise not_found("Lineage edge not found")
        stored = edge.details or {}
        patched = patching.apply({"columnsLineage": [], **stored}, request.data)
        details = clean_details(patched, upstream, downstream)
        store_edge(upstream, downstream, request.user, details=details, description=edge.description)
        return Response(None)


class EdgeDetailsView(ApiView):
    """``GET /lineage/getLineageEdge/<fromId>/<toId>``: the stored ``lineageDetails`` of one edge."""

    @openapi.answers({200: openapi.edge_details})
    def get(self, request, from_id, to_id):
        edge = Edge.objects.filter(
            from_id=bodies.parse_uuid(from_id, "fromId"), to_id=bodies.parse_uuid(to_id, "toId")
        ).first()
        if edge is None:
            raise not_found("Lineage edge not found")
        return Response({"edge": edge.details or {}})
