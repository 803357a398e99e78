"""``GET /api/v1/search/query``: OpenMetadata's search endpoint, answered for ML models.

OpenMetadata answers it from Elasticsearch; its SDK and UI read the response
as Elasticsearch's (``hits.total.value``, ``hits.hits[]._source``). ModelAtlas
keeps that shape and serves ``mlmodel_search_index`` from the catalogue's own
text search (:func:`catalog.search.matching_model_ids`: a GIN-indexed tsvector
on PostgreSQL) and the stored model documents, so a page of hits is two
queries whatever the catalogue's size.

``q`` is read as words, not as Elasticsearch's query-string language: every
word must start a word the model shows (see :mod:`catalog.search`); ``*`` or
nothing matches every model, and a trailing ``*`` on a word changes nothing.
There is no relevance score: hits come in name order unless ``sort_field``
asks for another, and ``_score`` is null.
"""

import time

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema

from api import bodies, openapi, output
from api.errors import bad_request
from api.views import ApiView
from catalog import documents, search
from catalog.models import MlModel

INDEX = "mlmodel_search_index"
#: The names OpenMetadata's clients use for the ML model index.
INDEX_NAMES = {INDEX, "mlmodel"}
#: Elasticsearch refuses ``from + size`` beyond 10,000 (its max_result_window); so does this endpoint.
MAX_WINDOW = 10_000
#: ``sort_field`` values -> ORM ordering (ties broken by id, so pages never overlap).
SORTS = {
    "_score": "name",
    "name": "name",
    "name.keyword": "name",
    "displayName.keyword": "display_name",
    "fullyQualifiedName": "fqn",
    "updatedAt": "updated_at",
}
#: The longest ``q`` taken: each word is a clause of the index search.
MAX_QUERY_LENGTH = 200
#: The relation fields every hit's ``_source`` carries, as OpenMetadata's search documents do.
SOURCE_FIELDS = {"owners", "tags", "followers"}


def _query(name: str, kind) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY)


def _enum(values) -> dict:
    return {"type": "string", "enum": sorted(values)}


_COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_WINDOW}


def _choice(params, name: str, choices, default: str) -> str:
    value = params.get(name, "") or default
    if value not in choices:
        raise bad_request(f"{name}: must be one of {', '.join(sorted(choices))}")
    return value


class SearchQueryView(ApiView):
    """Search the ML models: hits in Elasticsearch's response shape, sources as the API serves models."""

    @extend_schema(
        parameters=[
            _query("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH}),
            _query("index", _enum(INDEX_NAMES)),
            _query("from", _COUNT),
            _query("size", _COUNT),
            _query("deleted", _enum({"true", "false"})),
            _query("sort_field", _enum(SORTS)),
            _query("sort_order", _enum({"asc", "desc"})),
        ],
    )
    @openapi.answers({200: openapi.search_hits})
    def get(self, request):
        return HttpResponse(self.hits(request), content_type=output.JSON)

    def hits(self, request) -> bytes:
        started = time.monotonic()
        params = request.query_params
        index = params.get("index", "") or INDEX
        if index not in INDEX_NAMES:
            raise bad_request(f"index: only {INDEX} is served here (ModelAtlas catalogues ML models)")
        start = bodies.parse_count(params.get("from"), "from", default=0, maximum=MAX_WINDOW)
        size = bodies.parse_count(params.get("size"), "size", default=10, maximum=MAX_WINDOW)
        if start + size > MAX_WINDOW:
            raise bad_request(f"from: from + size must not exceed {MAX_WINDOW:,}")
        deleted = _choice(params, "deleted", {"true", "false"}, "false") == "true"
        field = SORTS[_choice(params, "sort_field", SORTS, "_score")]
        descending = _choice(params, "sort_order", {"asc", "desc"}, "asc" if field == "name" else "desc") == "desc"

        models = MlModel.objects.filter(deleted=deleted)
        text = params.get("q", "").strip()
        if len(text) > MAX_QUERY_LENGTH:
            raise bad_request(f"q: must be at most {MAX_QUERY_LENGTH} characters")
        if text.strip("*"):
            models = models.filter(pk__in=search.matching_model_ids(text))
        total = models.count()
        ordering = [f"-{field}", "-pk"] if descending else [field, "pk"]
        rows = list(documents.readable(models.order_by(*ordering), SOURCE_FIELDS)[start : start + size])
        base = output.base_url(request)
        hits = b",".join(
            b'{"_index":"%s","_id":"%s","_score":null,"_source":%s}'
            % (INDEX.encode(), str(row.pk).encode(), documents.absolute(source, base))
            for row, source in zip(rows, documents.texts(rows, SOURCE_FIELDS), strict=False)
        )
        took = round((time.monotonic() - started) * 1000)
        head = b'{"took":%d,"timed_out":false,"hits":{"total":{"value":%d,"relation":"eq"},"max_score":null,"hits":['
        return head % (took, total) + hits + b"]}}"
