"""What differs between two snapshots of an entity: the one diff engine.

Two renderings share it. ``describe`` gives OpenMetadata's
``ChangeDescription`` (``fieldsAdded``, ``fieldsUpdated`` and
``fieldsDeleted``, each a list of ``{name, oldValue, newValue}``, complex
values JSON-encoded), which the write path stores with each version.
``catalog.services.history`` gives the readable per-version diff the pages
show. Both walk the fields with ``changed_fields`` and match the items of a
list with ``match_items``, so they never disagree on what changed.
"""

import json
from dataclasses import dataclass

from catalog import secrets

#: Keys that change with every version and say nothing about the entity.
BOOKKEEPING = {"version", "updatedAt", "updatedBy", "changeDescription", "href", "id", "fullyQualifiedName"}
#: Keys saved with the entity but outside its version history: following a
#: model is a reader's bookmark, not a change to the model (OpenMetadata's
#: version policy does not count it either), so a read-only user who
#: follows leaves the history alone.
UNVERSIONED = {"followers"}

#: How the items of list-valued fields are told apart, so a diff can say
#: which feature, owner or tag was added, removed or changed.
IDENTITY = {
    "mlFeatures": "name",
    "featureSources": "name",
    "mlHyperParameters": "name",
    "columns": "name",
    "owners": "id",
    "followers": "id",
    "tags": "tagFQN",
    "users": "id",
    "teams": "id",
    "modelVersions": "version",
}

#: Fields whose change makes a major version, per entity type.
MAJOR_FIELDS = {"mlmodel": {"algorithm", "server", "target"}}


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def changed_fields(before: dict, after: dict, ignored=BOOKKEEPING) -> list[str]:
    """Return the keys whose values differ, in sorted order (an empty value equals a missing one)."""
    return [
        key
        for key in sorted((before.keys() | after.keys()) - ignored)
        if not (before.get(key) == after.get(key) or (is_empty(before.get(key)) and is_empty(after.get(key))))
    ]


@dataclass
class ItemChanges:
    """How two lists of items differ, items matched by their identity key."""

    #: (identity, old item or None when it came, new item), in the new list's order, unchanged items left out.
    arrived_or_changed: list[tuple[str, dict | None, dict]]
    gone: list

    @property
    def came(self) -> list:
        return [new for _, old, new in self.arrived_or_changed if old is None]

    @property
    def changed(self) -> list[tuple[str, dict, dict]]:
        return [entry for entry in self.arrived_or_changed if entry[1] is not None]

    @property
    def only_reordered(self) -> bool:
        return not (self.arrived_or_changed or self.gone)


def keyed(items, identity: str) -> dict:
    """Key list items by identity; a repeated identity gets its position, so nothing is lost."""
    out = {}
    for position, item in enumerate(items or []):
        key = str(item.get(identity, ""))
        out[key if key not in out else f"{key} #{position + 1}"] = item
    return out


def match_items(old, new, identity: str) -> ItemChanges:
    old_by, new_by = keyed(old, identity), keyed(new, identity)
    return ItemChanges(
        arrived_or_changed=[(key, old_by.get(key), item) for key, item in new_by.items() if old_by.get(key) != item],
        gone=[item for key, item in old_by.items() if key not in new_by],
    )


# --- Change descriptions ----------------------------------------------------------------------------


def encode(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def describe(before: dict, after: dict) -> dict:
    """Return the change description from ``before`` to ``after`` (empty lists when equal)."""
    added, updated, deleted = [], [], []
    for key in changed_fields(before, after, BOOKKEEPING | UNVERSIONED):
        old, new = before.get(key), after.get(key)
        if key == secrets.SNAPSHOT_KEY:
            _describe_secrets(old or {}, new or {}, added, updated, deleted)
        elif is_empty(old):
            added.append({"name": key, "newValue": encode(new)})
        elif is_empty(new):
            deleted.append({"name": key, "oldValue": encode(old)})
        elif key in IDENTITY and isinstance(old, list) and isinstance(new, list):
            _describe_list(key, match_items(old, new, IDENTITY[key]), old, new, added, updated, deleted)
        else:
            updated.append({"name": key, "oldValue": encode(old), "newValue": encode(new)})
    return {"fieldsAdded": added, "fieldsUpdated": updated, "fieldsDeleted": deleted}


def _describe_secrets(old: dict, new: dict, added, updated, deleted):
    """Say which connection secrets came, changed or went, never what they are."""
    for path in sorted(old.keys() | new.keys()):
        name = f"connection.{path}"
        if path not in old:
            added.append({"name": name, "newValue": secrets.MASK})
        elif path not in new:
            deleted.append({"name": name, "oldValue": secrets.MASK})
        elif old[path] != new[path]:
            updated.append({"name": name, "oldValue": secrets.MASK, "newValue": secrets.MASK})


def _describe_list(key, items: ItemChanges, old, new, added, updated, deleted):
    if items.came:
        added.append({"name": key, "newValue": encode(items.came)})
    if items.gone:
        deleted.append({"name": key, "oldValue": encode(items.gone)})
    for item_id, old_item, new_item in items.changed:
        if changed_fields(old_item, new_item, set()) == ["description"]:
            # OpenMetadata records a feature's description as its own field.
            updated.append(
                {
                    "name": f"{key}.{item_id}.description",
                    "oldValue": old_item.get("description", ""),
                    "newValue": new_item.get("description", ""),
                }
            )
        else:
            updated.append({"name": f"{key}.{item_id}", "oldValue": encode(old_item), "newValue": encode(new_item)})
    if items.only_reordered:
        # Same items in another order: the order itself is the change.
        updated.append({"name": key, "oldValue": encode(old), "newValue": encode(new)})


#: The lists of a change description.
FIELD_CHANGES = ("fieldsAdded", "fieldsUpdated", "fieldsDeleted")


def has_changes(description: dict) -> bool:
    return any(description[k] for k in FIELD_CHANGES)


def is_major(entity_type: str, description: dict) -> bool:
    """Return whether any changed field makes a major version for this type."""
    major = MAJOR_FIELDS.get(entity_type, set())
    names = [c["name"] for k in FIELD_CHANGES for c in description[k]]
    return any(name.split(".")[0] in major for name in names)
