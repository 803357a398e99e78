"""Deleting entities: soft (a version, restorable) or hard (gone with history)."""

from django.db import transaction

from catalog import registry
from catalog.services import changes


class NotEmpty(Exception):
    """A non-recursive delete of an entity that still contains others."""

    def __init__(self, entity):
        super().__init__(f"Entity {entity.entity_type} is not empty")
        self.entity = entity


def children(entity) -> list:
    """Return the entities ``entity`` contains (services, databases, schemas, classifications)."""
    children = registry.of(entity).children
    return list(getattr(entity, children).all()) if children else []


def delete(entity, actor, *, hard=False, recursive=False) -> None:
    """Delete ``entity`` and, when ``recursive``, everything it contains, in one transaction."""
    with transaction.atomic():
        contained = children(entity)
        if hard:
            contained_live = contained
        else:
            contained_live = [c for c in contained if not c.deleted]
        if contained_live and not recursive:
            raise NotEmpty(entity)
        for child in contained_live:
            delete(child, actor, hard=hard, recursive=True)
        if hard:
            changes.hard_delete(entity)
        elif not entity.deleted:
            changes.soft_delete(entity, actor)


def restore(entity, actor) -> None:
    """Restore a soft-deleted entity and what it contains."""
    with transaction.atomic():
        if entity.deleted:
            changes.restore(entity, actor)
        for child in children(entity):
            restore(child, actor)
