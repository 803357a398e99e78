"""JSON Patch (RFC 6902) requests: parsing the body and applying it to what GET serves.

The OpenMetadata SDK computes its patches against entities it read, down to
sub-keys of list items (``/owners/0/href``), so the patch is applied to the
very representation the API serves, with the same keys and list order.
"""

from decimal import Decimal, InvalidOperation

import jsonpatch
import jsonpointer

from api.errors import bad_request

#: The most operations one JSON Patch may hold: the SDK sends one per changed value, and a model at the bounds
#: of ``catalog.services.validation`` rewritten whole is fewer than this.
MAX_OPERATIONS = 10_000


def apply(document: dict, operations) -> dict:
    """Return ``document`` with the patch applied, or raise 400 saying why it does not apply."""
    if not isinstance(operations, list):
        raise bad_request("A JSON Patch must be a JSON array of operations")
    if len(operations) > MAX_OPERATIONS:
        raise bad_request(
            f"body: At most {MAX_OPERATIONS:,} JSON Patch operations are allowed; {len(operations):,} were given."
        )
    for i, operation in enumerate(operations):
        if not isinstance(operation, dict) or "op" not in operation or "path" not in operation:
            raise bad_request(f"[{i}]: each operation needs 'op' and 'path'")
    try:
        return jsonpatch.JsonPatch(operations).apply(document, in_place=False)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
        raise bad_request(f"The JSON Patch does not apply: {exc}") from None
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise bad_request(f"The JSON Patch is not valid: {exc}") from None


def version_from_etag(value: str):
    """Return the version an ``If-Match`` header names (``W/"0.2"``, ``"0.2"`` or ``0.2``)."""
    tag = value.strip().removeprefix("W/").strip('"')
    try:
        version = Decimal(tag)
    except InvalidOperation:
        raise bad_request(f"If-Match: {value!r} is not an entity tag this server gave out") from None
    if not version.is_finite():
        raise bad_request(f"If-Match: {value!r} is not an entity tag this server gave out")
    return version


def etag(entity) -> str:
    return f'W/"{round(float(entity.version), 1)}"'
