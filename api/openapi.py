"""The OpenAPI description of /api/v1: every request body, every answer, every error.

A fuzzer (``tests/api/test_fuzz.py`` runs schemathesis) gets past the first
400 only when request bodies are described, and judges only the answers the
schema lists. So the description is built from what the API itself reads and
answers, never kept as a copy beside it:

* the keys of each request and entity are OpenMetadata's key sets of
  :mod:`api.schema`, which the body readers check against;
* length limits are the registry's text fields, the models' columns and the
  limits of ``catalog.services.validation`` (names, URLs, ``MAX_ITEMS`` of
  every list); enumerations are the tuples the readers check values against;
* the statuses an operation answers follow from its view: every operation
  may answer 400 (every query parameter is checked), 401, 429 and 503;
  unsafe ones 403, operations with path parameters or a body 404, those with
  a body 413 and 415, and each view method adds its own (201, 409, 412) with
  :func:`answers`. Every error is ``{code, message}``.
"""

import re
from dataclasses import dataclass

from drf_spectacular.plumbing import ResolvedComponent

from api import bodies, output, paging, patching, schema
from api.entities import KINDS
from api.errors import API_NAMES
from catalog import models as m
from catalog import registry
from catalog.services import modelversions, validation
from lineage import queries

JSON = "application/json"
JSON_PATCH = "application/json-patch+json"
UUID = {"type": "string", "format": "uuid"}
STRING = {"type": "string"}
ANY = {}
#: Statuses with the reason OpenAPI readers see.
REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad request: the message names the field or parameter",
    401: "No, or no valid, Bearer token",
    403: "The caller may not do this",
    404: "Not found: the message names what",
    409: "The entity already exists",
    412: "The entity changed since the version If-Match names",
    413: "The request body is too large",
    415: "The body is not JSON",
    429: "Too many requests: try again after Retry-After seconds",
    503: "The database is unavailable: try again after Retry-After seconds",
}
_RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again"}}


# -- Declarations on view methods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What one view method reads and answers, beyond what its view implies."""

    #: Success status -> function(kind, schemas) returning the body schema (None: no body).
    ok: dict
    #: function(kind, schemas) returning the request body schema, with the media types it comes in.
    request: object = None
    media_types: tuple = (JSON,)
    #: Error statuses this method adds (409; 412, which comes with the If-Match header).
    errors: tuple = ()


def answers(ok, *, request=None, media_types=(JSON,), errors=()):
    """Declare what a view method answers (and reads), for :func:`describe`."""

    def mark(method):
        method.answers = Answers(ok, request, media_types, tuple(errors))
        return method

    return mark


class Schemas:
    """The named schemas one operation refers to, registered as components when the operation is done."""

    def __init__(self):
        self.defined = {}

    def ref(self, name: str, build) -> dict:
        if name not in self.defined:
            self.defined[name] = None  # a placeholder, so a schema may refer to itself
            self.defined[name] = build()
        return {"$ref": f"#/components/schemas/{name}"}

    def register(self, component_registry) -> None:
        for name, built in self.defined.items():
            component_registry.register_on_missing(ResolvedComponent(name, ResolvedComponent.SCHEMA, built, name))


def describe(operation: dict, view, method: str, component_registry) -> dict:
    """Fill in the request body, parameters and every answer of one operation drf-spectacular started."""
    declared = getattr(getattr(view, method.lower()), "answers", None) or Answers({200: None})
    kind = getattr(view, "kind", None)
    schemas = Schemas()
    for parameter in operation.get("parameters", []):
        parameter["schema"] = parameter_schema(parameter["name"], kind, parameter["schema"])
    if 412 in declared.errors:
        operation.setdefault("parameters", []).append(
            {
                "in": "header",
                "name": "If-Match",
                "required": False,
                "schema": STRING,
                "description": "The ETag of the version the patch was computed against",
            }
        )
    if declared.request is not None:
        body = declared.request(kind, schemas)
        operation["requestBody"] = {"required": True, "content": {t: {"schema": body} for t in declared.media_types}}
    statuses = {400, 401, 429, 503, *declared.errors}
    if method.upper() not in ("GET", "HEAD", "OPTIONS"):
        statuses.add(403)
    if any(p["in"] == "path" for p in operation.get("parameters", [])) or declared.request is not None:
        statuses.add(404)
    if declared.request is not None:
        statuses |= {413, 415}
    responses = {}
    for status, build in declared.ok.items():
        response = {"description": REASONS[status]}
        if build is not None:
            response["content"] = {JSON: {"schema": build(kind, schemas)}}
        responses[str(status)] = response
    error = schemas.ref("Error", error_schema)
    for status in sorted(statuses):
        response = {"description": REASONS[status], "content": {JSON: {"schema": error}}}
        if status in (429, 503):
            response["headers"] = _RETRY_AFTER
        responses[str(status)] = response
    operation["responses"] = responses
    schemas.register(component_registry)
    return operation


# -- Parameters ------------------------------------------------------------------------------------------------------


def parameter_schema(name: str, kind, generated: dict) -> dict:
    """The schema of a path or query parameter, from the limits its reader checks."""
    boolean = {"type": "string", "enum": ["true", "false"]}
    known = {
        "id": UUID,
        "user_id": UUID,
        "from_id": UUID,
        "to_id": UUID,
        "version": {"type": "string", "pattern": r"^[0-9]{1,4}(\.[0-9])?$"},
        "fqn": {"type": "string", "minLength": 1},
        "entity_type": _lineage_types(),
        "from_type": _lineage_types(),
        "to_type": _lineage_types(),
        "limit": {"type": "integer", "minimum": 0, "maximum": paging.MAX_LIMIT},
        "include": {"type": "string", "enum": list(output.INCLUDE_VALUES)},
        "hardDelete": boolean,
        "recursive": boolean,
        "after": STRING,
        "before": STRING,
        "number": {"type": "string", "pattern": r"^[0-9]{1,10}$"},
        "alias": {"type": "string", "minLength": 1, "maxLength": 64},
    }
    if name == "fields" and kind is not None:
        names = "|".join(re.escape(n) for n in sorted(kind.field_names))
        return {"type": "string", "pattern": rf"^(\*|({names})(,({names}))*)$"}
    return known.get(name, generated)


def _lineage_types() -> dict:
    return {"type": "string", "enum": sorted(queries.ENTITY_TYPES)}


# -- Shared shapes ---------------------------------------------------------------------------------------------------


def error_schema() -> dict:
    return {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "integer", "minimum": 400, "maximum": 599}, "message": STRING},
        "additionalProperties": False,
    }


def _text(limit=None, **extra) -> dict:
    out = {"type": "string", **extra}
    if limit is not None:
        out["maxLength"] = limit
    return out


def _column_limit(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def name_schema(model=None, name_field="name") -> dict:
    """A name as ``validation.check_name`` takes it, no longer than the model's column holds."""
    limits = [validation.MAX_NAME_LENGTH]
    if model is not None:
        limits.append(_column_limit(model, name_field) or validation.MAX_NAME_LENGTH)
    return _text(min(limits), minLength=1)


def reference_request(types) -> dict:
    """An EntityReference in a request (``bodies.reference``): an id or a fully qualified name, and a type.

    Where one type is allowed, the FQN alone, as a string, names it too.
    """
    reference = {
        "type": "object",
        "required": ["type"],
        "properties": {
            "id": UUID,
            "type": {"type": "string", "enum": list(types)},
            "fullyQualifiedName": _text(minLength=1),
            **{key: ANY for key in sorted(bodies.REFERENCE_KEYS - {"id", "type", "fullyQualifiedName"})},
        },
        "additionalProperties": False,
    }
    return {"anyOf": [_text(minLength=1), reference]} if len(types) == 1 else reference


def reference_response() -> dict:
    """An EntityReference as ``representations.ref`` builds it."""
    return {
        "type": "object",
        "required": ["id", "type", "name", "fullyQualifiedName", "deleted"],
        "properties": {
            "id": UUID,
            "type": STRING,
            "name": STRING,
            "fullyQualifiedName": STRING,
            "displayName": STRING,
            "description": STRING,
            "deleted": {"type": "boolean"},
            "href": STRING,
        },
        "additionalProperties": False,
    }


def _tag_label_choices() -> dict:
    """A TagLabel's enumerated keys, the tuples the body reader checks against."""
    return {
        "source": {"type": "string", "enum": list(bodies.TAG_SOURCES)},
        "labelType": {"type": "string", "enum": list(bodies.TAG_LABEL_TYPES)},
        "state": {"type": "string", "enum": list(bodies.TAG_STATES)},
    }


def tag_label_request() -> dict:
    return {
        "type": "object",
        "required": ["tagFQN"],
        "properties": {
            **{key: ANY for key in sorted(bodies.TAG_LABEL_KEYS)},
            "tagFQN": _text(minLength=1),
            **_tag_label_choices(),
        },
        "additionalProperties": False,
    }


def tag_label_response() -> dict:
    """A TagLabel as ``representations.tag_label`` builds it."""
    return {
        "type": "object",
        "required": ["tagFQN", "name", "source", "labelType", "state"],
        "properties": {
            "tagFQN": STRING,
            "name": STRING,
            "displayName": STRING,
            "description": STRING,
            **_tag_label_choices(),
            "href": STRING,
        },
        "additionalProperties": False,
    }


def _array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


def _list(items: dict, bound: str, request: bool) -> dict:
    """A list a write holds: in a request, no longer than its bound in ``validation.MAX_ITEMS``."""
    return _array(items, maxItems=validation.MAX_ITEMS[bound][0]) if request else _array(items)


def _nothing_here(what: str) -> dict:
    """A list of what ModelAtlas does not keep (``bodies.refuse_unsupported``): only an empty one is taken."""
    return {"type": "array", "maxItems": 0, "description": f"ModelAtlas keeps no {what}; only [] is accepted."}


def change_description() -> dict:
    change = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": STRING, "oldValue": ANY, "newValue": ANY},
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "fieldsAdded": _array(change),
            "fieldsUpdated": _array(change),
            "fieldsDeleted": _array(change),
            "previousVersion": {"type": "number"},
        },
        "additionalProperties": False,
    }


def votes() -> dict:
    return {
        "type": "object",
        "required": ["upVotes", "downVotes", "upVoters", "downVoters"],
        "properties": {
            "upVotes": {"type": "integer"},
            "downVotes": {"type": "integer"},
            "upVoters": _array(ANY),
            "downVoters": _array(ANY),
        },
        "additionalProperties": False,
    }


# -- Nested parts of ML models and tables ----------------------------------------------------------------------------


def _feature_source(request: bool, schemas: Schemas) -> dict:
    properties = {key: ANY for key in schema.FEATURE_SOURCE_KEYS}
    properties.update(
        name=name_schema(m.FeatureSource) if request else STRING,
        dataType={"type": "string", "enum": list(m.FeatureSource.DataType.values)},
        description=STRING,
        fullyQualifiedName=STRING,
        dataSource=reference_request(("table",)) if request else schemas.ref("EntityReference", reference_response),
        tags=_list(_tag_label(request, schemas), "tags", request),
    )
    return _object(properties, ["name"] if request else ["name", "fullyQualifiedName", "tags"])


def _feature(request: bool, schemas: Schemas) -> dict:
    properties = {key: ANY for key in schema.ML_FEATURE_KEYS}
    properties.update(
        name=name_schema(m.MlFeature) if request else STRING,
        dataType={"type": "string", "enum": list(m.MlFeature.DataType.values)},
        description=STRING,
        fullyQualifiedName=STRING,
        featureAlgorithm=_text(_column_limit(m.MlFeature, "feature_algorithm")),
        featureSources=_list(_feature_source(request, schemas), "sources", request),
        tags=_list(_tag_label(request, schemas), "tags", request),
    )
    return _object(properties, ["name"] if request else ["name", "fullyQualifiedName", "tags"])


def _hyperparameter(request: bool) -> dict:
    properties = {
        "name": name_schema(m.MlHyperParameter) if request else STRING,
        "value": _text(_column_limit(m.MlHyperParameter, "value")),
        "description": STRING,
    }
    return _object(properties, ["name"] if request else ["name", "value"])


def _column(request: bool, schemas: Schemas) -> dict:
    properties = {key: ANY for key in schema.COLUMN_KEYS}
    properties.update(
        name=name_schema(m.Column) if request else STRING,
        # Requests may name any of OpenMetadata's types; ModelAtlas keeps those it lists, the rest as UNKNOWN.
        dataType={"type": "string", "enum": list(schema.COLUMN_DATA_TYPES if request else m.Column.DataType.values)},
        dataTypeDisplay=_text(_column_limit(m.Column, "data_type_display")),
        displayName=_text(_column_limit(m.Column, "display_name")),
        description=STRING,
        fullyQualifiedName=STRING,
        tags=_list(_tag_label(request, schemas), "tags", request),
    )
    if not request:
        properties["ordinalPosition"] = {"type": "integer"}
    required = ["name", "dataType"] if request else ["name", "dataType", "fullyQualifiedName", "tags"]
    return _object(properties, required)


def _tag_label(request: bool, schemas: Schemas) -> dict:
    return schemas.ref("TagLabelInput", tag_label_request) if request else schemas.ref("TagLabel", tag_label_response)


def _object(properties: dict, required=()) -> dict:
    out = {"type": "object", "properties": dict(sorted(properties.items())), "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


# -- Entities --------------------------------------------------------------------------------------------------------


def json_name(attribute: str) -> str:
    """The JSON key of a write-path attribute: the API's rename, else its camelCase."""
    renamed = dict(API_NAMES).get(attribute)
    if renamed is not None:
        return renamed
    head, *rest = attribute.split("_")
    return head + "".join(part.title() for part in rest)


def _choices(kind) -> dict:
    """The enumerations the converters of ``api.entities`` check each key against."""
    out = {
        "tableType": schema.TABLE_TYPES,
        "dashboardType": schema.DASHBOARD_TYPES,
        "teamType": tuple(m.Team.TeamType.values),
    }
    service_types = getattr(kind, "service_types", None)
    if service_types:
        out["serviceType"] = service_types
    return out


def _relation(key: str, request: bool, schemas: Schemas, kind) -> dict | None:
    """The schema of a key that is neither plain text nor a URL, or None when nothing here reads it."""
    if request:
        references = {
            "owners": _list(reference_request(("user", "team")), "owners", request),
            "dashboard": reference_request(("dashboard",)),
            "teams": _list({"oneOf": [UUID, reference_request(("team",))]}, "teams", request),
            "users": _list({"oneOf": [UUID, reference_request(("user",))]}, "users", request),
        }
    else:
        reference = schemas.ref("EntityReference", reference_response)
        references = {
            "owners": _array(reference),
            "followers": _array(reference),
            "dashboard": reference,
            "teams": _array(reference),
            "users": _array(reference),
            "service": reference,
            "database": reference,
            "databaseSchema": reference,
            "classification": reference,
        }
    shapes = {
        **references,
        "tags": _list(_tag_label(request, schemas), "tags", request),
        "mlFeatures": _list(_feature(request, schemas), "features", request),
        "mlHyperParameters": _list(_hyperparameter(request), "hyperparameters", request),
        "columns": _list(_column(request, schemas), "columns", request),
        "mlStore": _object(
            {
                "storage": _text(registry.TYPES["mlmodel"].text_fields["ml_store_storage"]),
                "imageRepository": _text(registry.TYPES["mlmodel"].text_fields["ml_store_image"]),
            }
        ),
        "connection": _object({"config": {"type": "object", "nullable": True}}),
        "isBot": {"type": "boolean"},
        "isAdmin": {"type": "boolean"},
        "mutuallyExclusive": {"type": "boolean"},
        "deleted": {"type": "boolean"},
        "charts": _nothing_here("charts") if request else _array(ANY),
        "dataModels": _nothing_here("dashboard data models") if request else _array(ANY),
        "domains": _nothing_here("domains") if request else _array(ANY),
        "dataProducts": _nothing_here("data products") if request else _array(ANY),
        "extension": {"type": "object", "maxProperties": 0} if request else ANY,
        "votes": votes(),
        "changeDescription": schemas.ref("ChangeDescription", change_description),
    }
    return shapes.get(key)


def entity_properties(kind, keys, *, request: bool, schemas: Schemas) -> dict:
    """The schema of each of ``keys`` of ``kind``: limits from the registry, shapes of relations, choices."""
    declared = kind.declared
    limits = {json_name(a): limit for a, limit in declared.text_fields.items()}
    limits.update({json_name(a): validation.MAX_URL_LENGTH for a in declared.url_fields})
    choices = _choices(kind)
    properties = {}
    for key in sorted(keys):
        shape = _relation(key, request, schemas, kind)
        if shape is None and key in limits:
            shape = _text(limits[key])
        if key in choices:
            shape = {**(shape or STRING), "enum": list(choices[key])}
        properties[key] = ANY if shape is None else shape
    if request:
        properties["name"] = name_schema(kind.model, kind.name_field)
        if kind.parent_key:
            properties[kind.parent_key] = _text(minLength=1, description=f"The {kind.parent_type}'s FQN")
    else:
        properties.update(
            id=UUID,
            name=STRING,
            fullyQualifiedName=STRING,
            version={"type": "number"},
            updatedAt={"type": "integer"},
            updatedBy=STRING,
            href=STRING,
        )
    return properties


def create_request(kind, schemas: Schemas) -> dict:
    """The create request of ``kind`` (PUT and POST): the keys ``writes.upsert`` takes."""

    def build():
        keys = schema.CREATE_KEYS[kind.type]
        properties = entity_properties(kind, keys, request=True, schemas=schemas)
        required = ["name", *([kind.parent_key] if kind.parent_key else [])]
        return _object(properties, [*required, *_REQUIRED.get(kind.type, ())])

    return schemas.ref(f"Create{_title(kind)}", build)


#: Keys a create request must carry besides the name and the parent (the converters' ``required=True``).
_REQUIRED = {
    "mlmodelService": ("serviceType",),
    "databaseService": ("serviceType",),
    "dashboardService": ("serviceType",),
    "user": ("email",),
}


def entity(kind, schemas: Schemas) -> dict:
    """An entity of ``kind`` as every read and write answers it."""

    def build():
        properties = entity_properties(kind, schema.ENTITY_KEYS[kind.type], request=False, schemas=schemas)
        required = ["id", "name", "fullyQualifiedName", "version", "updatedAt", "updatedBy", "href", "deleted"]
        return _object(properties, required)

    return schemas.ref(_title(kind), build)


def page(kind, schemas: Schemas) -> dict:
    def build():
        cursors = _object({"total": {"type": "integer", "minimum": 0}, "before": STRING, "after": STRING}, ["total"])
        return _object({"data": _array(entity(kind, schemas)), "paging": cursors}, ["data", "paging"])

    return schemas.ref(f"{_title(kind)}List", build)


def versions(kind, schemas: Schemas) -> dict:
    return _object({"entityType": {"type": "string", "enum": [kind.type]}, "versions": _array(STRING)}, ["versions"])


def change_event(kind, schemas: Schemas) -> dict:
    """What the follower endpoints answer (``FollowerChangeView.change_event``)."""
    return _object(
        {
            "eventType": {"type": "string", "enum": ["entityUpdated", "entityNoChange"]},
            "entityType": STRING,
            "entityId": UUID,
            "entityFullyQualifiedName": STRING,
            "userName": STRING,
            "timestamp": {"type": "integer"},
            "currentVersion": {"type": "number"},
            "changeDescription": schemas.ref("ChangeDescription", change_description),
        },
        ["eventType", "entityType", "entityId", "entityFullyQualifiedName", "userName", "timestamp"],
    )


def _title(kind) -> str:
    return kind.type[0].upper() + kind.type[1:]


# -- Other request bodies --------------------------------------------------------------------------------------------


def json_patch(kind, schemas: Schemas) -> dict:
    """An RFC 6902 JSON Patch, as ``api.patching.apply`` takes it."""
    operation = _object(
        {
            "op": {"type": "string", "enum": ["add", "remove", "replace", "move", "copy", "test"]},
            "path": STRING,
            "from": STRING,
            "value": ANY,
        },
        ["op", "path"],
    )
    return schemas.ref("JsonPatch", lambda: _array(operation, maxItems=patching.MAX_OPERATIONS))


def restore_request(kind, schemas: Schemas) -> dict:
    return _object({"id": UUID}, ["id"])


def follower_request(kind, schemas: Schemas) -> dict:
    """The follower's user id, as a JSON string (``writes.follower_from_body``)."""
    return UUID


def add_lineage_request(kind, schemas: Schemas) -> dict:
    end = reference_request(sorted(queries.ENTITY_TYPES))
    end["required"] = ["id", "type"]
    edge = _object(
        {"fromEntity": end, "toEntity": end, "description": STRING, "lineageDetails": lineage_details()},
        ["fromEntity", "toEntity"],
    )
    return _object({"edge": edge}, ["edge"])


def lineage_details() -> dict:
    properties = {key: ANY for key in schema.LINEAGE_DETAILS_KEYS}
    properties.update(
        sqlQuery=STRING,
        description=STRING,
        source={"type": "string", "enum": list(schema.LINEAGE_SOURCES)},
        columnsLineage=_array(
            _object({"fromColumns": _array(STRING), "toColumn": STRING, "function": ANY}),
        ),
    )
    del properties["pipeline"]  # ModelAtlas keeps no pipelines: naming one is a 404
    return _object(properties)


# -- Other answers ---------------------------------------------------------------------------------------------------


def entity_lineage(kind, schemas: Schemas) -> dict:
    reference = schemas.ref("EntityReference", reference_response)
    edge = _object(
        {"fromEntity": UUID, "toEntity": UUID, "description": STRING, "lineageDetails": {"type": "object"}},
        ["fromEntity", "toEntity"],
    )
    return schemas.ref(
        "EntityLineage",
        lambda: _object(
            {
                "entity": reference,
                "nodes": _array(reference),
                "upstreamEdges": _array(edge),
                "downstreamEdges": _array(edge),
            },
            ["entity", "nodes", "upstreamEdges", "downstreamEdges"],
        ),
    )


def edge_details(kind, schemas: Schemas) -> dict:
    return _object({"edge": {"type": "object"}}, ["edge"])


def system_version(kind, schemas: Schemas) -> dict:
    return _object({"version": STRING, "revision": STRING, "timestamp": {"type": "integer"}}, ["version", "revision"])


def search_hits(kind, schemas: Schemas) -> dict:
    """Elasticsearch's response shape, its sources ML models (``api.search``)."""
    hit = _object(
        {
            "_index": STRING,
            "_id": UUID,
            "_score": {"type": "number", "nullable": True},
            "_source": entity(KINDS["mlmodel"], schemas),
        },
        ["_index", "_id", "_source"],
    )
    total = _object({"value": {"type": "integer", "minimum": 0}, "relation": STRING}, ["value"])
    hits = _object(
        {"total": total, "max_score": {"type": "number", "nullable": True}, "hits": _array(hit)}, ["total", "hits"]
    )
    return _object({"took": {"type": "integer"}, "timed_out": {"type": "boolean"}, "hits": hits}, ["hits"])


# -- Model versions, aliases and the model card (api.modelversions) -------------------------------------------------

_MILLISECONDS = {"type": "integer", "minimum": 0, "maximum": bodies.MAX_MILLISECONDS}
_VERSION_NUMBER = {"type": "integer", "minimum": 1, "maximum": modelversions.MAX_NUMBER}


def _text_entries(request: bool) -> dict:
    """MLflow-style tags and parameters: names to text values."""
    if not request:
        return {"type": "object", "additionalProperties": STRING}
    return {
        "type": "object",
        "additionalProperties": _text(modelversions.MAX_VALUE_LENGTH),
        "maxProperties": modelversions.MAX_ENTRIES,
    }


def _signature(request: bool) -> dict:
    field = _object({"name": _text(256) if request else STRING, "type": _text(256) if request else STRING})
    side = _array(field, maxItems=modelversions.MAX_ENTRIES) if request else _array(field)
    return _object({"inputs": side, "outputs": side})


def _metric(request: bool) -> dict:
    properties = {
        "name": name_schema(m.ModelMetric) if request else STRING,
        "value": {"type": "number"},
        "dataset": _text(_column_limit(m.ModelMetric, "dataset")),
        "step": {"type": "integer", "minimum": 0, "maximum": modelversions.MAX_STEP},
        "timestamp": _MILLISECONDS if request else {"type": "integer"},
        "higherIsBetter": {"type": "boolean"},
    }
    return _object(properties, ["name", "value"] if request else ["name", "value", "step", "higherIsBetter"])


def _dataset(request: bool) -> dict:
    properties = {
        "role": {"type": "string", "enum": list(m.ModelVersionDataset.Role.values)},
        "table": _text(minLength=1, description="The table's fully qualified name"),
        "columns": _array(STRING, maxItems=validation.MAX_ITEMS["columns"][0]) if request else _array(STRING),
    }
    return _object(properties, ["role", "table"])


def _model_version_properties(request: bool) -> dict:
    limits = modelversions.TEXT_FIELDS
    return {
        "version": _VERSION_NUMBER if request else {"type": "integer"},
        "status": {"type": "string", "enum": list(m.LifecycleStatus.values)},
        "description": _text(limits["description"]),
        "sourceUri": _text(limits["source_uri"]),
        "runId": _text(limits["run_id"]),
        "runUrl": _text(validation.MAX_URL_LENGTH),
        "createdBy": _text(limits["created_by"]),
        "createdAt": _MILLISECONDS if request else {"type": "integer"},
        "tags": _text_entries(request),
        "signature": _signature(request),
        "parameters": _text_entries(request),
        "datasets": _array(_dataset(request), maxItems=modelversions.MAX_DATASETS)
        if request
        else _array(_dataset(False)),
        "metrics": _array(_metric(request), maxItems=modelversions.MAX_METRICS) if request else _array(_metric(False)),
    }


def model_version_request(kind, schemas: Schemas) -> dict:
    """A model version as PUT and POST take it; PUT keeps ``status`` and ``createdAt`` when left out."""
    return schemas.ref("ModelVersionInput", lambda: _object(_model_version_properties(True)))


def model_version_patch(kind, schemas: Schemas) -> dict:
    """An RFC 7386 merge patch of the same keys: objects merge, ``null`` clears, anything else replaces."""

    def build():
        properties = {}
        for key, shape in _model_version_properties(True).items():
            # null clears a key; a version's number and status and its creation time cannot be cleared.
            properties[key] = shape if key in ("version", "status", "createdAt") else {**shape, "nullable": True}
        return _object(properties)

    return schemas.ref("ModelVersionPatch", build)


def model_version(kind, schemas: Schemas) -> dict:
    """A model version as ``representations.model_version`` builds it."""

    def build():
        review = _object(
            {
                "decision": {"type": "string", "enum": list(m.ModelVersionReview.Decision.values)},
                "status": {"type": "string", "enum": list(m.LifecycleStatus.values)},
                "by": STRING,
                "at": {"type": "integer"},
                "reason": STRING,
                "open": {"type": "boolean"},
            },
            ["decision", "status", "by", "at"],
        )
        properties = {**_model_version_properties(False), "aliases": _array(STRING), "reviews": _array(review)}
        required = ["version", "status", "createdBy", "createdAt", "aliases", "datasets", "metrics", "reviews"]
        return _object(properties, required)

    return schemas.ref("ModelVersion", build)


def model_version_page(kind, schemas: Schemas) -> dict:
    def build():
        cursors = _object({"total": {"type": "integer", "minimum": 0}, "before": STRING, "after": STRING}, ["total"])
        return _object({"data": _array(model_version(kind, schemas)), "paging": cursors}, ["data", "paging"])

    return schemas.ref("ModelVersionList", build)


def status_request(kind, schemas: Schemas) -> dict:
    return _object({"status": {"type": "string", "enum": list(m.LifecycleStatus.values)}, "reason": STRING}, ["status"])


def reason_request(kind, schemas: Schemas) -> dict:
    """The reason of an approval (optional) or a rejection (required there: the answer is 400 without one)."""
    return _object({"reason": STRING})


def metrics_request(kind, schemas: Schemas) -> dict:
    return _object({"metrics": _array(_metric(True), maxItems=modelversions.MAX_METRICS)}, ["metrics"])


def alias(kind, schemas: Schemas) -> dict:
    return schemas.ref(
        "ModelAlias", lambda: _object({"name": STRING, "version": {"type": "integer"}}, ["name", "version"])
    )


def alias_list(kind, schemas: Schemas) -> dict:
    return _object({"data": _array(alias(kind, schemas))}, ["data"])


def alias_request(kind, schemas: Schemas) -> dict:
    return _object({"version": _VERSION_NUMBER}, ["version"])


def _card_properties() -> dict:
    limits = registry.TYPES["mlmodel"].text_fields
    out = {key: _text(limits[attr]) for key, attr in m.CARD_KEYS.items()}
    out["riskRating"] = {"type": "string", "enum": ["", *m.RiskRating.values]}
    return out


def model_card(kind, schemas: Schemas) -> dict:
    """Every section of the card, empty ones as ``""``."""
    return schemas.ref("ModelCard", lambda: _object(_card_properties(), list(m.CARD_KEYS)))


def model_card_request(kind, schemas: Schemas) -> dict:
    """The card's sections: PUT clears those it leaves out, PATCH (a merge patch) changes only those it names."""
    return schemas.ref(
        "ModelCardInput", lambda: _object({k: {**v, "nullable": True} for k, v in _card_properties().items()})
    )
