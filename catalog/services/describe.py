"""Change descriptions: what differs between two snapshots of an entity.

The shape is OpenMetadata's ``ChangeDescription``: ``fieldsAdded``,
``fieldsUpdated`` and ``fieldsDeleted``, each a list of ``{name, oldValue,
newValue}``, where complex values are JSON-encoded strings.
"""

import json

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
    "mlHyperParameters": "name",
    "columns": "name",
    "owners": "id",
    "followers": "id",
    "tags": "tagFQN",
    "users": "id",
    "teams": "id",
}

#: Fields whose change makes a major version, per entity type.
MAJOR_FIELDS = {"mlmodel": {"algorithm", "server", "target"}}


def encode(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def describe(before: dict, after: dict) -> dict:
    """Return the change description from ``before`` to ``after`` (empty lists when equal)."""
    added, updated, deleted = [], [], []
    for key in sorted((before.keys() | after.keys()) - BOOKKEEPING - UNVERSIONED):
        old, new = before.get(key), after.get(key)
        if old == new or (is_empty(old) and is_empty(new)):
            continue
        if is_empty(old):
            added.append({"name": key, "newValue": encode(new)})
        elif is_empty(new):
            deleted.append({"name": key, "oldValue": encode(old)})
        elif key in IDENTITY and isinstance(old, list) and isinstance(new, list):
            _describe_list(key, IDENTITY[key], old, new, added, updated, deleted)
        else:
            updated.append({"name": key, "oldValue": encode(old), "newValue": encode(new)})
    return {"fieldsAdded": added, "fieldsUpdated": updated, "fieldsDeleted": deleted}


def _describe_list(key, identity, old, new, added, updated, deleted):
    old_by_id = {item.get(identity): item for item in old}
    new_by_id = {item.get(identity): item for item in new}
    gone = [item for item in old if item.get(identity) not in new_by_id]
    came = [item for item in new if item.get(identity) not in old_by_id]
    if came:
        added.append({"name": key, "newValue": encode(came)})
    if gone:
        deleted.append({"name": key, "oldValue": encode(gone)})
    changed_any = False
    for item_id, new_item in new_by_id.items():
        old_item = old_by_id.get(item_id)
        if old_item is None or old_item == new_item:
            continue
        changed_any = True
        changed_keys = {k for k in old_item.keys() | new_item.keys() if old_item.get(k) != new_item.get(k)}
        if changed_keys == {"description"}:
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
    if not (came or gone or changed_any):
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
