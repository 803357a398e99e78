"""Record, version and describe every change to a catalogue entity.

``create`` saves a new entity at version 0.1. ``change`` is a context manager:
it locks the entity, snapshots it, lets the caller change it (and its child
rows), then compares the snapshots. No difference: the version stays (fields
outside the versioned shape, such as a user's role, are still saved). A
difference: the old snapshot goes to
the history, the version moves (+1.0 for a major field, +0.1 otherwise) and
the change description is stored. Everything happens in one transaction.
"""

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import django.dispatch
from django.db import transaction
from django.utils import timezone

from catalog import representations
from catalog.models import EntityVersion
from catalog.services.describe import FIELD_CHANGES, describe, has_changes, is_major

FIRST_VERSION = Decimal("0.1")

#: Sent inside the transaction after an entity is created or changed, so
#: derived data (lineage edges) lands or fails together with the change.
#: ``changed_fields`` names the top-level keys of the snapshot that changed
#: (None for a new entity): derived data that depends on none of them is
#: still right and need not be rebuilt.
entity_written = django.dispatch.Signal()  # sender=model class, entity, created, changed_fields
#: Sent inside the transaction before an entity row is removed for good.
entity_removed = django.dispatch.Signal()  # sender=model class, entity


class StaleVersion(Exception):
    """The entity changed since the caller read it (a lost update was refused)."""

    def __init__(self, current):
        super().__init__(f"{current.entity_type} {current.fqn} is now at version {current.version}")
        self.current = current


@dataclass
class Outcome:
    """What a write did: the entity as stored, and whether it was new or changed."""

    entity: object
    created: bool = False
    changed: bool = False


def actor_name(actor) -> str:
    """Return the user name recorded as ``updatedBy`` (a user or a plain name)."""
    if actor is None:
        return "admin"
    return getattr(actor, "username", None) or str(actor)


def next_version(current: Decimal, major: bool) -> Decimal:
    """Return the next version: +1.0 keeping the fraction when major, else +0.1."""
    return current + (Decimal("1.0") if major else Decimal("0.1"))


def create(entity, actor, *, save_related=None) -> Outcome:
    """Save a new entity at version 0.1; ``save_related(entity)`` writes its child rows."""
    with transaction.atomic():
        entity.version = FIRST_VERSION
        entity.updated_at = timezone.now()
        entity.updated_by = actor_name(actor)
        entity.change_description = None
        entity.deleted = False
        entity.save()
        if save_related is not None:
            save_related(entity)
        entity_written.send(sender=type(entity), entity=entity, created=True)
    return Outcome(entity=entity, created=True, changed=True)


def lock(entity_or_class, pk=None):
    """Return the entity re-read under a row lock, its relations prefetched for the snapshot."""
    model = entity_or_class if isinstance(entity_or_class, type) else type(entity_or_class)
    # of=("self",): PostgreSQL cannot lock the nullable side of the joins that
    # select_related adds (a model's dashboard); only the entity row needs it.
    rows = representations.represented(model).select_for_update(of=("self",))
    return rows.get(pk=pk if pk is not None else entity_or_class.pk)


class change:
    """Let a block change an entity; record a new version if anything differs.

    Use as ``with change(entity, actor) as c:`` and modify ``c.entity``, the
    locked, freshly read row. Afterwards ``c.changed`` says whether a version
    was recorded and ``c.entity`` is the entity as stored. ``expected_version``
    refuses the change with :class:`StaleVersion` when somebody saved a newer
    version since the caller read it.

    A block that wrote no related or child rows (only the entity's own
    columns) may set ``c.relations_unchanged``: the relations ``c.entity``
    was read with are then still what is stored, and the "after" snapshot is
    taken from it instead of reading the whole entity again.
    """

    def __init__(self, entity, actor, *, expected_version=None):
        self.target, self.actor, self.expected_version = entity, actor, expected_version
        self.entity, self.changed, self.created = None, False, False
        self.relations_unchanged = False

    def __enter__(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        try:
            self.entity = lock(self.target)
            if self.expected_version is not None and Decimal(str(self.expected_version)) != self.entity.version:
                raise StaleVersion(self.entity)
            self._before = representations.snapshot(self.entity)
        except BaseException:
            self._atomic.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.entity.save()
                current = self.entity if self.relations_unchanged else None
                self.changed = record(self.entity, self._before, self.actor, current=current)
        except BaseException:
            self._atomic.__exit__(*sys.exc_info())
            raise
        self._atomic.__exit__(exc_type, exc, tb)
        if exc_type is None and not self.relations_unchanged:
            # Related rows were written: read the entity as stored. Otherwise ``c.entity`` already is
            # (``record`` moved its version in memory too), with the relations it was read with.
            self.entity = type(self.entity).objects.get(pk=self.entity.pk)
        return False


def record(entity, before: dict, actor, *, current=None) -> bool:
    """Version ``entity`` against its ``before`` snapshot; nothing to record when equal.

    Must run inside the transaction that made the change. Returns whether a
    new version was recorded. Callers that cannot use :func:`change` (the
    admin saves in steps) take ``before`` with :func:`snapshot_of` and call this.
    ``current`` is the entity as stored with its relations prefetched, when
    the caller holds it; otherwise it is read again.
    """
    fresh = current if current is not None else representations.represented(type(entity)).get(pk=entity.pk)
    after = representations.snapshot(fresh)
    description = describe(before, after)
    if not has_changes(description):
        return False
    previous = EntityVersion(
        entity_type=entity.entity_type,
        entity_id=entity.pk,
        version=Decimal(str(before["version"])),
        snapshot=before,
        change_description=before.get("changeDescription"),
        updated_at=datetime.fromtimestamp(before["updatedAt"] / 1000, tz=UTC),
        updated_by=before.get("updatedBy", ""),
    )
    previous.save()
    previous_version = Decimal(str(before["version"]))
    description["previousVersion"] = float(previous_version)
    entity.version = next_version(previous_version, is_major(entity.entity_type, description))
    entity.updated_at = timezone.now()
    entity.updated_by = actor_name(actor)
    entity.change_description = description
    type(entity).objects.filter(pk=entity.pk).update(
        version=entity.version,
        updated_at=entity.updated_at,
        updated_by=entity.updated_by,
        change_description=description,
    )
    changed_fields = {item["name"].split(".")[0] for key in FIELD_CHANGES for item in description[key]}
    entity_written.send(sender=type(entity), entity=fresh, created=False, changed_fields=frozenset(changed_fields))
    return True


def snapshot_of(model, pk) -> dict:
    """Return the stored snapshot of an entity, read under a row lock."""
    return representations.snapshot(lock(model, pk))


def soft_delete(entity, actor) -> "change":
    with change(entity, actor) as c:
        c.entity.deleted = True
    return c


def restore(entity, actor) -> "change":
    with change(entity, actor) as c:
        c.entity.deleted = False
    return c


def hard_delete(entity) -> None:
    """Remove an entity, its history and (through the signal) its lineage for good."""
    with transaction.atomic():
        entity_removed.send(sender=type(entity), entity=entity)
        EntityVersion.objects.filter(entity_type=entity.entity_type, entity_id=entity.pk).delete()
        entity.delete()


def versions(entity) -> list[EntityVersion]:
    """Return the superseded versions of an entity, newest first."""
    return list(EntityVersion.objects.filter(entity_type=entity.entity_type, entity_id=entity.pk).order_by("-version"))
