"""OpenMetadata's write semantics on top of ModelAtlas's write path.

These rules belong to the OpenMetadata dialect, not to the catalogue, so they
live here rather than in ``catalog.services``:

* PUT is an upsert by fully qualified name. It restores a soft-deleted
  entity, keeps the owners when the request sends none, merges tags instead
  of replacing them, keeps a model's algorithm when the request leaves it out,
  and, when a bot calls, keeps non-empty descriptions and display names (only
  a PATCH changes those).
* PATCH applies a JSON Patch to the served representation; identity and
  computed keys are put back, ``deleted`` cannot be changed.

Every request is checked in full before anything is written, and each write
runs in one transaction, so a refused request leaves nothing behind.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from api import auth, bodies, output, patching, schema
from api.bodies import Body
from api.errors import APIError, bad_request, conflict
from catalog import fqn, representations
from catalog.services import assets, deletion, mlmodels

#: Keys a PATCH may not change: OpenMetadata puts them back silently.
PUT_BACK = {
    "id",
    "name",
    "fullyQualifiedName",
    "version",
    "updatedAt",
    "updatedBy",
    "href",
    "changeDescription",
    "incrementalChangeDescription",
    "service",
    "serviceType",
    "database",
    "databaseSchema",
    "classification",
    "followers",
    "votes",
    "usageSummary",
    "impersonatedBy",
    "isAdmin",
}


class _CreatedMeanwhile(Exception):
    """Another request created the entity between this request's look-up and its insert."""


def upsert(kind, data, actor, *, create_only=False):
    """Create or update (PUT), or only create (POST), the entity a create request describes.

    Concurrent creates of one name are decided by the database's unique constraint: exactly one
    request creates the entity. A POST that loses answers 409, as for any existing entity; a PUT
    that loses is rolled back and run once more, now as the update of the entity the winner made.
    """
    body = Body(data)
    body.check_keys(schema.CREATE_KEYS[kind.type])
    name = body.string("name", required=True)
    parent = kind.parent(body)
    names = [*parent.fqn_parts(), name] if parent is not None else [name]
    for attempt in (1, 2):
        try:
            return _upsert(kind, body, parent, name, names, actor, create_only)
        except _CreatedMeanwhile:
            if create_only or attempt == 2:
                raise conflict(f"Entity already exists: {kind.type} {fqn.build(*names)}") from None


def _upsert(kind, body, parent, name, names, actor, create_only):
    existing = assets.find(kind.model, *names)
    if existing is not None and create_only:
        auth.require_edit(actor, existing)
        raise conflict(f"Entity already exists: {kind.type} {existing.fqn}")
    auth.require_edit(actor, existing, model=kind.model)
    keys = set(kind.converters)
    if existing is not None:
        keys -= {key for key in kind.kept_when_absent if key not in body.data}
    values = kind.values(body, existing, keys)
    if existing is not None:
        _keep_what_put_keeps(existing, values, actor)
    elif not values.get("owners"):
        values.pop("owners", None)
    try:
        with transaction.atomic():
            if existing is not None and existing.deleted:
                deletion.restore(existing, actor)
            outcome = kind.save(parent, name, actor, None, values)
            if existing is None and not outcome.created:
                # It was committed after the look-up: these values were made for a new entity.
                raise _CreatedMeanwhile
            return outcome
    except (IntegrityError, ValidationError) as error:
        # The unique constraint, or the service's own name check, met an entity created meanwhile.
        if existing is None and assets.find(kind.model, *names) is not None:
            raise _CreatedMeanwhile from None
        if isinstance(error, IntegrityError):
            raise conflict(f"Entity already exists: {kind.type} {name}") from None
        raise


def _keep_what_put_keeps(existing, values, actor) -> None:
    if not values.get("owners"):
        values.pop("owners", None)
    if "tags" in values and hasattr(existing, "tags"):
        current = list(existing.tags.all())
        values["tags"] = current + [tag for tag in values["tags"] if tag not in current]
    if getattr(actor, "is_bot", False):
        for key in ("description", "display_name"):
            if getattr(existing, key):
                values.pop(key, None)
        if "features" in values:
            described = {f.name: f.description for f in representations.rows(existing, "features") if f.description}
            for spec in values["features"]:
                spec.description = described.get(spec.name, spec.description)


def patch(kind, entity, operations, actor, base, *, if_match=None):
    """Apply a JSON Patch to ``entity`` as the API serves it; return the write's outcome."""
    auth.require_edit(actor, entity)
    expected = None
    if if_match:
        expected = patching.version_from_etag(if_match)
        if expected != entity.version:
            raise APIError(
                412, f"Entity changed: {kind.type} {entity.fqn} is at version {entity.version}, not {expected}"
            )
    original = output.serve(kind, entity, output.PATCH_FIELDS, base)
    patched = patching.apply(original, operations)
    if not isinstance(patched, dict):
        raise bad_request("The JSON Patch must leave an object")
    Body(patched).check_keys(schema.ENTITY_KEYS[kind.type])
    if patched.get("deleted", original["deleted"]) != original["deleted"]:
        raise bad_request("deleted: attribute deleted can't be modified; use DELETE or restore")
    changed = {key for key in original.keys() | patched.keys() if original.get(key) != patched.get(key)} - PUT_BACK
    values = kind.values(Body(patched), entity, changed)
    with transaction.atomic():
        return kind.save(kind.parent_of(entity), entity.name, actor, expected, values)


def delete(entity, actor, *, hard: bool, recursive: bool) -> None:
    auth.require_edit(actor, entity)
    deletion.delete(entity, actor, hard=hard, recursive=recursive)


def restore(entity, actor) -> None:
    auth.require_edit(actor, entity)
    deletion.restore(entity, actor)


def set_follower(model, user, actor, *, following: bool) -> bool:
    """Add or remove a follower of an ML model; return whether that changed anything.

    Users change their own following, editors and owners anyone's.
    """
    if user.pk != actor.pk:
        auth.require_edit(actor, model)
    return mlmodels.set_following(model, user, following=following)


def follower_from_body(data):
    if isinstance(data, dict) and "id" in data:
        data = data["id"]
    if not isinstance(data, str):
        raise bad_request("body: must be the user's id as a JSON string")
    return bodies.by_id("user", data, "body")
