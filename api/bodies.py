"""Reading OpenMetadata request bodies: typed values and references, or a 400/404 naming the field.

Nothing here writes: it turns JSON into Python values and catalogue
instances, and every problem becomes an error that names the JSON field, so
a request is refused before the write path is entered (no partial writes).
"""

import uuid
from datetime import UTC, datetime

from api.errors import bad_request, not_found
from catalog import fqn as fqnlib
from catalog import models as m
from catalog import registry
from catalog.services.validation import check_count

TAG_SOURCES = ("Classification", "Glossary")
TAG_LABEL_TYPES = ("Manual", "Propagated", "Automated", "Derived", "Generated")
TAG_STATES = ("Suggested", "Confirmed")
TAG_LABEL_KEYS = {
    "tagFQN",
    "source",
    "labelType",
    "state",
    "name",
    "displayName",
    "description",
    "style",
    "href",
    "reason",
    "appliedAt",
    "appliedBy",
    "metadata",
}
#: Milliseconds since the epoch up to the last moment of year 9999, the most a datetime holds.
MAX_MILLISECONDS = 253_402_300_799_999
#: Tag hashes looked up in one query (SQLite allows 32,766 parameters).
TAG_QUERY_CHUNK = 5_000
REFERENCE_KEYS = {
    "id",
    "type",
    "name",
    "fullyQualifiedName",
    "description",
    "displayName",
    "deleted",
    "inherited",
    "href",
}


def check_no_nul(value: str, where: str) -> str:
    if "\x00" in value:
        raise bad_request(f"{where}: Must not contain NUL characters.")
    return value


def parse_count(value: str | None, where: str, *, default: int, maximum: int) -> int:
    """Parse a query parameter that counts something (a limit, an offset, a depth): a whole number from 0."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= maximum:
        raise bad_request(f"{where}: must be a whole number from 0 to {maximum:,}")
    return number


def parse_uuid(value, where: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        raise bad_request(f"{where}: {value!r} is not a valid UUID") from None


class Body:
    """A JSON object from a request; getters check types and name the field on error."""

    def __init__(self, data, where: str = ""):
        if not isinstance(data, dict):
            raise bad_request(f"{where or 'body'}: must be a JSON object")
        self.data, self.where = data, where

    def at(self, key) -> str:
        return f"{self.where}.{key}" if self.where else str(key)

    def has(self, key) -> bool:
        return self.data.get(key) is not None

    def check_keys(self, allowed) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise bad_request(f"Unrecognized field {self.at(unknown[0])!r}")

    def string(self, key, *, required=False, default="") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise bad_request(f"{self.at(key)}: this field is required")
            return default
        if not isinstance(value, str):
            raise bad_request(f"{self.at(key)}: must be a string")
        return check_no_nul(value, self.at(key))

    def boolean(self, key, default=False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise bad_request(f"{self.at(key)}: must be true or false")
        return value

    def choice(self, key, choices, *, required=False, default="") -> str:
        value = self.string(key, required=required, default=default)
        if value and value not in choices:
            raise bad_request(f"{self.at(key)}: {value!r} is not one of {', '.join(choices)}")
        return value

    def whole_number(self, key, *, required=False) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise bad_request(f"{self.at(key)}: this field is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f"{self.at(key)}: must be a whole number")
        return value

    def moment(self, key) -> datetime | None:
        """A time as the API serves times (milliseconds since the epoch), or None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MILLISECONDS:
            raise bad_request(f"{self.at(key)}: must be milliseconds since the epoch, a whole number from 0")
        return datetime.fromtimestamp(value / 1000, tz=UTC)

    def items(self, key, bound=None) -> list:
        """The list at ``key``; with ``bound`` (a list of ``validation.MAX_ITEMS``), refused above it before
        any item is read: the write path would refuse it too, after the door resolved every reference."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise bad_request(f"{self.at(key)}: must be a list")
        if bound is not None:
            check_count(value, self.at(key), bound)
        return value

    def objects(self, key, bound=None) -> list["Body"]:
        return [Body(item, f"{self.at(key)}[{i}]") for i, item in enumerate(self.items(key, bound))]

    def object(self, key) -> "Body | None":
        value = self.data.get(key)
        return None if value is None else Body(value, self.at(key))


# -- References ------------------------------------------------------------------------------------------------------


def lookup_fqn(entity_type: str, fqn: str, where: str, *, live=True):
    """Return the entity of ``entity_type`` with this FQN, or None.

    Flat entities (services, users, teams, classifications) are also found by
    their bare name, so ``svc.with.dots`` finds the service whose FQN is
    ``"svc.with.dots"``, as OpenMetadata's server allows.
    """
    check_no_nul(fqn, where)
    rows = named(entity_type, registry.COLLECTED[entity_type].model.objects.all(), fqn)
    if live:
        rows = rows.filter(deleted=False)
    return rows.first()


def named(entity_type: str, rows, fqn: str):
    """Return ``rows`` (a queryset of ``entity_type``) narrowed to the entity with this FQN, as :func:`lookup_fqn`
    finds it."""
    if registry.COLLECTED[entity_type].model is m.User:
        parts = fqnlib.split(fqn)
        return rows.filter(username__in={fqn, parts[0]} if len(parts) == 1 else {fqn})
    hashes = {fqnlib.digest(fqnlib.normalise(fqn))}
    if registry.COLLECTED[entity_type].flat:
        hashes.add(fqnlib.digest(fqnlib.quote(fqn)))
    return rows.filter(fqn_hash__in=hashes)


def by_fqn(entity_type: str, fqn: str, where: str, *, live=True):
    """Return the entity of ``entity_type`` with this FQN, or raise 404 naming it."""
    entity = lookup_fqn(entity_type, fqn, where, live=live)
    if entity is None:
        raise not_found(f"{entity_type} instance for {fqn} not found")
    return entity


def by_id(entity_type: str, value, where: str, *, live=True):
    pk = parse_uuid(value, where)
    rows = registry.COLLECTED[entity_type].model.objects.filter(pk=pk)
    if live:
        rows = rows.filter(deleted=False)
    entity = rows.first()
    if entity is None:
        raise not_found(f"{entity_type} instance for {pk} not found")
    return entity


def reference(value, allowed_types, where: str):
    """Resolve an EntityReference (``{id, type}`` or ``{type, fullyQualifiedName}``) or an FQN string.

    A plain string is an FQN of the single allowed type, as create requests
    name parents and dashboards.
    """
    if isinstance(value, str):
        if len(allowed_types) != 1:
            raise bad_request(f"{where}: must be an entity reference with id and type")
        return by_fqn(allowed_types[0], value, where)
    ref = Body(value, where)
    ref.check_keys(REFERENCE_KEYS)
    entity_type = ref.string("type", required=True)
    if entity_type not in allowed_types:
        raise bad_request(f"{ref.at('type')}: {entity_type!r} is not one of {', '.join(allowed_types)}")
    if ref.has("id"):
        return by_id(entity_type, ref.data["id"], ref.at("id"))
    if ref.has("fullyQualifiedName"):
        return by_fqn(entity_type, ref.string("fullyQualifiedName"), ref.at("fullyQualifiedName"))
    raise bad_request(f"{ref.at('id')}: this field is required")


def owners(body: Body, key="owners") -> list:
    found, seen = [], set()
    for i, item in enumerate(body.items(key, "owners")):
        owner = reference(item, ("user", "team"), f"{body.at(key)}[{i}]")
        if (owner.entity_type, owner.pk) not in seen:
            seen.add((owner.entity_type, owner.pk))
            found.append(owner)
    return found


def users(body: Body, key) -> list:
    """Resolve a list of user UUIDs (CreateTeamRequest.users) or user references."""
    return _members(body, key, "user", "users")


def teams(body: Body, key) -> list:
    return _members(body, key, "team", "teams")


def _members(body: Body, key, entity_type: str, bound: str) -> list:
    """Resolve a list of UUIDs or references to ``entity_type``, those named by id in one query.

    A team may list thousands of users; one look-up each held a worker for seconds. Whatever
    the one query does not find (an FQN reference, a wrong type, an unknown id) goes through
    :func:`reference` and :func:`by_id`, so its error is theirs.
    """
    items = body.items(key, bound)
    ids = {_id_named(item, entity_type) for item in items} - {None}
    model = registry.COLLECTED[entity_type].model
    known = {entity.pk: entity for entity in model.objects.filter(pk__in=ids, deleted=False)} if ids else {}
    found = []
    for i, item in enumerate(items):
        where = f"{body.at(key)}[{i}]"
        if isinstance(item, dict):
            Body(item, where).check_keys(REFERENCE_KEYS)
        entity = known.get(_id_named(item, entity_type))
        if entity is None:
            entity = (
                reference(item, (entity_type,), where) if isinstance(item, dict) else by_id(entity_type, item, where)
            )
        found.append(entity)
    return found


def _id_named(item, entity_type: str) -> uuid.UUID | None:
    """The UUID a list item names (a bare id, or a reference of ``entity_type`` by id), None if it names none."""
    value = item.get("id") if isinstance(item, dict) and item.get("type") == entity_type else item
    try:
        return uuid.UUID(str(value)) if isinstance(value, str | uuid.UUID) else None
    except ValueError:
        return None


def tags_named(fqns) -> dict:
    """Return the live tags among ``fqns`` by the hash of their normalised FQN, in one query.

    For :func:`tag_labels`, when a body holds many labels (a model's features and sources each carry theirs).
    """
    hashes = sorted(
        {fqnlib.digest(fqnlib.normalise(fqn)) for fqn in fqns if isinstance(fqn, str) and "\x00" not in fqn}
    )
    found = {}
    for start in range(0, len(hashes), TAG_QUERY_CHUNK):  # within every database's limit of query parameters
        chunk = hashes[start : start + TAG_QUERY_CHUNK]
        found.update({tag.fqn_hash: tag for tag in m.Tag.objects.filter(fqn_hash__in=chunk, deleted=False)})
    return found


def tag_labels(body: Body, key="tags", *, known=None) -> list[m.Tag]:
    """Resolve TagLabels to tags; the tags must exist (glossary terms are not kept).

    ``known`` (from :func:`tags_named`) saves a query for each label it holds.
    """
    found = []
    for label in body.objects(key, "tags"):
        label.check_keys(TAG_LABEL_KEYS)
        tag_fqn = label.string("tagFQN", required=True)
        label.choice("source", TAG_SOURCES)
        label.choice("labelType", TAG_LABEL_TYPES)
        label.choice("state", TAG_STATES)
        if label.string("source") == "Glossary":
            raise not_found(f"glossaryTerm instance for {tag_fqn} not found")
        tag = (known or {}).get(fqnlib.digest(fqnlib.normalise(tag_fqn))) or by_fqn("tag", tag_fqn, label.at("tagFQN"))
        if tag not in found:
            found.append(tag)
    return found


def refuse_unsupported(body: Body, keys=("domains", "dataProducts", "extension")) -> None:
    """Refuse values ModelAtlas cannot keep where OpenMetadata would check them against what exists.

    There are no domains, data products or custom properties in ModelAtlas, so
    a non-empty value names something that does not exist here.
    """
    for key in keys:
        value = body.data.get(key)
        if not value:
            continue
        if key == "extension":
            if not isinstance(value, dict):
                raise bad_request("extension: must be a JSON object")
            raise bad_request(f"extension: custom property {min(value)!r} is not defined")
        if not isinstance(value, list):
            raise bad_request(f"{key}: must be a list")
        first = value[0]
        if isinstance(first, dict):
            name = first.get("fullyQualifiedName") or first.get("id")
        elif isinstance(first, str):
            name = first
        else:
            raise bad_request(f"{key}[0]: must be an entity reference")
        raise not_found(f"{'domain' if key == 'domains' else 'dataProduct'} instance for {name} not found")
