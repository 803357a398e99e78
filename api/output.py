"""What the API answers with: entities in OpenMetadata's shape, with absolute hrefs.

``catalog.representations`` builds the dictionaries; this module picks the
relation fields a request asked for (``?fields=``) and the ones write
responses carry, and turns the request into the absolute base URL hrefs need.
"""

import json

from django.http import HttpResponse
from rest_framework.response import Response

from api import patching
from api.errors import bad_request
from catalog import documents, registry, representations

#: Relation fields a PATCH is applied to and write responses carry (when the type has them).
PATCH_FIELDS = {
    "owners",
    "tags",
    "followers",
    "dashboard",
    "extension",
    "domains",
    "dataProducts",
    "votes",
    "columns",
    "teams",
    "users",
}
#: Relation fields write responses leave out when empty (the SDK test expects ``owners`` to be None).
OMITTED_WHEN_EMPTY = {"owners", "followers", "tags", "domains", "dataProducts", "votes"}
INCLUDE_VALUES = ("non-deleted", "deleted", "all")
JSON = "application/json"


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def parse_fields(kind, value: str | None):
    """Return the relation fields ``?fields=`` asks for, or raise 400 on an unknown name."""
    if not value:
        return set()
    names = [name.strip() for name in value.split(",") if name.strip()]
    if "*" in names:
        return representations.ALL
    for name in names:
        if name not in kind.field_names:
            raise bad_request(f"Invalid field name {name}")
    return set(names)


def parse_include(value: str | None) -> str:
    value = value or "non-deleted"
    if value not in INCLUDE_VALUES:
        raise bad_request(f"include: {value!r} is not one of {', '.join(INCLUDE_VALUES)}")
    return value


def filter_include(queryset, include: str):
    if include == "non-deleted":
        return queryset.filter(deleted=False)
    if include == "deleted":
        return queryset.filter(deleted=True)
    return queryset


def relation_fields(kind, fields) -> set:
    """Return the relation fields of ``kind`` a response carries for the requested ``fields``."""
    if fields == representations.ALL:
        return registry.TYPES[kind.type].relation_fields
    return set(fields) & registry.TYPES[kind.type].relation_fields


def serve(kind, entity, fields, base) -> dict:
    """Return ``entity`` as GET serves it with ``fields``."""
    return representations.represent(entity, relation_fields(kind, fields), base)


def document_response(row, fields, base) -> HttpResponse:
    """Answer with one stored document (a row of ``documents.readable``), as ``entity_response`` would."""
    response = HttpResponse(documents.absolute(documents.texts([row], fields)[0], base), content_type=JSON)
    response["ETag"] = patching.etag(row)
    return response


def document_page(page, fields, base) -> bytes:
    """Return the JSON of a page of stored documents: their texts joined, never parsed."""
    data = b",".join(documents.absolute(text, base) for text in documents.texts(page.rows, fields))
    paging = documents.dumps(page.paging()).encode()
    return b'{"data":[' + data + b'],"paging":' + paging + b"}"


def written(kind, entity, base) -> dict:
    """Return ``entity`` as write responses carry it: relation fields filled in, empty ones left out."""
    return _without_empty_relations(serve(kind, entity, PATCH_FIELDS, base))


def written_document(kind, rows, base) -> tuple[dict, object]:
    """Return what :func:`written` returns, from the stored document of the one entity of ``rows``, and its row.

    The write that just stored the document makes re-reading the whole entity
    (a model with its features, sources, tags...) needless.
    """
    fields = relation_fields(kind, PATCH_FIELDS)
    row = documents.readable(rows, fields).get()
    text = documents.texts([row], fields)[0]
    return _without_empty_relations(json.loads(documents.absolute(text, base))), row


def _without_empty_relations(out: dict) -> dict:
    for key in OMITTED_WHEN_EMPTY & out.keys():
        value = out[key]
        if not (value["upVoters"] or value["downVoters"] if key == "votes" else value):
            del out[key]
    return out


def entity_response(entity, data: dict, status=200) -> Response:
    response = Response(data, status=status)
    response["ETag"] = patching.etag(entity)
    return response


def version_strings(snapshots) -> list[str]:
    return [json.dumps(representations.openmetadata_view(s), ensure_ascii=False) for s in snapshots]
