"""How a collection's reads get their JSON: from stored documents, or rebuilt by the type's representer.

``catalog.registry`` declares which one a type uses (``stored_documents``) and
:attr:`api.entities.Kind.reads` picks it, so the shared views in ``api.views``
make the same calls for every type and never ask which. Each keeps its own
queries and its own rendering: stored documents are served as text, never
parsed; rebuilt entities are dictionaries DRF's renderer writes.
"""

from django.http import HttpResponse
from rest_framework.response import Response

from api import bodies, output
from api.errors import not_found
from catalog import documents


def find(kind, value, *, include="non-deleted", by="id"):
    """Return the entity of ``kind`` with this id (or FQN, ``by="name"``) among ``include``, or raise 404."""
    rows = output.filter_include(kind.queryset(), include)
    if by == "id":
        pk = bodies.parse_uuid(value, "id")
        entity = rows.filter(pk=pk).first()
    else:
        bodies.check_no_nul(value, "fqn")
        found = bodies.lookup_fqn(kind.type, value, "fqn", live=False)
        entity = rows.filter(pk=found.pk).first() if found is not None else None
    if entity is None:
        raise not_found(f"{kind.type} instance for {value} not found")
    return entity


def rebuilt(kind, entity, request) -> Response:
    """Answer with ``entity`` rebuilt by its representer, with the relation fields ``?fields=`` asks for."""
    data = output.serve(
        kind, entity, output.parse_fields(kind, request.query_params.get("fields")), output.base_url(request)
    )
    return output.entity_response(entity, data)


class Rebuilt:
    """Rebuild each entity from its rows (fetched by the type's queryset) with the representer."""

    def page_rows(self, kind, rows, fields):
        """Return the rows a page is cut from and the relation fields its entities carry."""
        return rows, fields

    def page(self, kind, page, fields, base) -> Response:
        return Response({"data": [output.serve(kind, e, fields, base) for e in page.rows], "paging": page.paging()})

    def one(self, kind, request, value, *, include, by) -> Response:
        """Answer a GET of one entity by id (or FQN, ``by="name"``)."""
        return rebuilt(kind, find(kind, value, include=include, by=by), request)

    def written(self, kind, entity, base, status) -> Response:
        """Answer a write with the entity as stored now."""
        fresh = kind.queryset().get(pk=entity.pk)
        return output.entity_response(fresh, output.written(kind, fresh, base), status)


class StoredDocuments:
    """Serve the stored documents of ``catalog.documents``: one query a read, whatever the entity holds."""

    def page_rows(self, kind, rows, fields):
        fields = output.relation_fields(kind, fields)
        return documents.readable(rows, fields), fields

    def page(self, kind, page, fields, base) -> HttpResponse:
        return HttpResponse(output.document_page(page, fields, base), content_type=output.JSON)

    def one(self, kind, request, value, *, include, by) -> HttpResponse:
        rows = output.filter_include(kind.model.objects.all(), include)
        if by == "id":
            rows = rows.filter(pk=bodies.parse_uuid(value, "id"))
        else:
            bodies.check_no_nul(value, "fqn")
            rows = bodies.named(kind.type, rows, value)
        fields = output.relation_fields(kind, output.parse_fields(kind, request.query_params.get("fields")))
        row = documents.readable(rows, fields).first()
        if row is None:
            raise not_found(f"{kind.type} instance for {value} not found")
        return output.document_response(row, fields, output.base_url(request))

    def written(self, kind, entity, base, status) -> Response:
        # The write that just stored the document makes re-reading the whole entity needless.
        data, row = output.written_document(kind, kind.model.objects.filter(pk=entity.pk), base)
        return output.entity_response(row, data, status)


REBUILT = Rebuilt()
STORED_DOCUMENTS = StoredDocuments()
