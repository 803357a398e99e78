"""Version history of an entity: who changed what and when, and a readable diff per version.

Every superseded version is an EntityVersion row holding the full snapshot;
the current version is the entity itself. A version's diff compares its
snapshot with the one before, through the same engine as the stored change
descriptions (``catalog.services.describe``); this module only names what
that engine finds the way a person reads it.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from catalog import representations, secrets
from catalog.models import CARD_KEYS, EntityVersion, MlModel, User
from catalog.services.describe import BOOKKEEPING, IDENTITY, changed_fields, match_items

#: How the model page and the diffs name the fields of a snapshot, in display order.
FIELD_LABELS = {
    "displayName": "Display name",
    "description": "Description",
    "algorithm": "Algorithm",
    "target": "Target",
    "server": "Serving endpoint",
    "mlStore": "ML store",
    "sourceUrl": "Source URL",
    "dashboard": "Dashboard",
    "service": "Service",
    "owners": "Owners",
    "tags": "Tags",
    "followers": "Followers",
    "mlFeatures": "Features",
    "mlHyperParameters": "Hyperparameters",
    representations.CARD_KEY: "Model card",
    "deleted": "Deleted",
}
#: Never shown in a diff: bookkeeping, and the service type, which repeats the service.
IGNORED = BOOKKEEPING | {"serviceType"}
FEATURE_LABELS = {
    "dataType": "Type",
    "featureAlgorithm": "Feature algorithm",
    "description": "Description",
    "tags": "Tags",
}
SOURCE_LABELS = {
    "dataSource": "Table",
    "column": "Column",
    "dataType": "Data type",
    "description": "Description",
    "tags": "Tags",
}
STORE_LABELS = {"storage": "ML store storage", "imageRepository": "ML store image"}
#: The model card's sections under the labels its page gives them.
CARD_LABELS = {key: str(MlModel._meta.get_field(attr).verbose_name).capitalize() for key, attr in CARD_KEYS.items()}


@dataclass
class Change:
    """One line of a diff: a field (or a feature, or a hyperparameter) that changed."""

    label: str
    kind: str  # "added", "removed" or "changed"
    old: str = ""
    new: str = ""
    details: list["Change"] = field(default_factory=list)
    long: bool = False  # shown as blocks rather than inline (descriptions)


@dataclass
class VersionEntry:
    version: Decimal
    updated_by: str
    updated_at: object
    summary: str
    changes: list[Change]
    user: object = None
    current: bool = False
    first: bool = False


# --- Readable diffs ---------------------------------------------------------------------------------


def text_of(key: str, value) -> str:
    """Return a snapshot value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in ("dashboard", "service", "dataSource"):
        return value.get("fullyQualifiedName", value.get("name", ""))
    if key == "tags":
        return ", ".join(t.get("tagFQN", "") for t in value)
    if key in ("owners", "followers"):
        return ", ".join(_ref_text(r) for r in value)
    return str(value)


def _ref_text(ref: dict) -> str:
    name = ref.get("displayName") or ref.get("name", "")
    return f"{name} (team)" if ref.get("type") == "team" else name


def _kind(old_text: str, new_text: str) -> str:
    return "added" if not old_text else "removed" if not new_text else "changed"


def _scalar(label, key, old, new, *, long=False) -> list[Change]:
    old_text, new_text = text_of(key, old), text_of(key, new)
    return [] if old_text == new_text else [Change(label, _kind(old_text, new_text), old_text, new_text, long=long)]


def _fields(labels: dict, before: dict, after: dict) -> list[Change]:
    return [c for key, label in labels.items() for c in _scalar(label, key, before.get(key), after.get(key))]


def _members(label, key, old, new) -> list[Change]:
    """Describe a list of references (owners, followers, tags) as who came and who went."""
    items = match_items(old, new, IDENTITY[key])
    if not items.came and not items.gone:
        return []
    return [Change(label, _kind(items.gone, items.came), text_of(key, items.gone), text_of(key, items.came))]


def _source_text(source: dict) -> str:
    where = text_of("dataSource", source.get("dataSource"))
    if source.get("column"):
        where = f"{where}.{source['column']}" if where else source["column"]
    kind = f" ({source['dataType']})" if source.get("dataType") else ""
    return f"{source.get('name', '')} ← {where or 'no table'}{kind}"


def _feature_text(feature: dict) -> str:
    parts = [feature.get("dataType", ""), feature.get("featureAlgorithm", "")]
    return " · ".join(p for p in parts if p) or "—"


def _param_text(param: dict) -> str:
    text = f"{param.get('name', '')} = {param.get('value', '')}"
    return f"{text} ({param['description']})" if param.get("description") else text


def _item_changes(key: str, old, new, noun: str, text, details, *, text_when_changed=True) -> list[Change]:
    """Describe a list of named items: each that came or changed, in the new order, then each that went.

    ``details(before, after)`` lists what changed inside one item (``before``
    is empty for an item that came).
    """
    items = match_items(old, new, IDENTITY[key])
    changes = []
    for name, before, after in items.arrived_or_changed:
        if before is None:
            changes.append(Change(f"{noun} {name}", "added", new=text(after), details=details({}, after)))
        else:
            old_text, new_text = (text(before), text(after)) if text_when_changed else ("", "")
            changes.append(Change(f"{noun} {name}", "changed", old_text, new_text, details(before, after)))
    return changes + [Change(f"{noun} {item.get('name', '')}", "removed", old=text(item)) for item in items.gone]


def _no_details(before, after) -> list[Change]:
    return []


def _source_details(before: dict, after: dict) -> list[Change]:
    return _fields(SOURCE_LABELS, before, after) if before else []


def _feature_details(before: dict, after: dict) -> list[Change]:
    sources = _sources(before.get("featureSources"), after.get("featureSources"))
    return _fields(FEATURE_LABELS, before, after) + sources if before else sources


def _sources(old, new) -> list[Change]:
    return _item_changes("featureSources", old, new, "Source", _source_text, _source_details)


def _features(old, new) -> list[Change]:
    # A changed feature is told by its details alone.
    return _item_changes("mlFeatures", old, new, "Feature", _feature_text, _feature_details, text_when_changed=False)


def _hyperparameters(old, new) -> list[Change]:
    return _item_changes("mlHyperParameters", old, new, "Hyperparameter", _param_text, _no_details)


def _secret_changes(old, new) -> list[Change]:
    """Each connection secret that came, changed or went: the diff says so, never shows it."""
    old, new = old or {}, new or {}
    return [
        Change(
            f"Connection secret {path}",
            "added" if path not in old else "removed" if path not in new else "changed",
            secrets.MASK if path in old else "",
            secrets.MASK if path in new else "",
        )
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]


def _card_changes(old: dict, new: dict) -> list[Change]:
    """Each card section that changed, its Markdown shown as blocks (the risk rating is one word)."""
    return [
        change
        for key, label in CARD_LABELS.items()
        for change in _scalar(label, key, old.get(key), new.get(key), long=key != "riskRating")
    ]


def _field_changes(key: str, old, new) -> list[Change]:
    if key == secrets.SNAPSHOT_KEY:
        return _secret_changes(old, new)
    if key == "mlFeatures":
        return _features(old, new)
    if key == "mlHyperParameters":
        return _hyperparameters(old, new)
    if key == "mlStore":
        return _fields(STORE_LABELS, old or {}, new or {})
    if key == representations.CARD_KEY:
        return _card_changes(old or {}, new or {})
    if key in ("owners", "followers", "tags"):
        return _members(FIELD_LABELS[key], key, old, new)
    return _scalar(FIELD_LABELS.get(key, key), key, old, new, long=key == "description")


def diff(before: dict, after: dict) -> list[Change]:
    """Return what differs from snapshot ``before`` to snapshot ``after``, labelled fields first, in page order."""
    keys = changed_fields(before, after, IGNORED)
    order = {key: position for position, key in enumerate(FIELD_LABELS)}
    keys.sort(key=lambda k: (order.get(k, len(order)), k))
    return [change for key in keys for change in _field_changes(key, before.get(key), after.get(key))]


# --- One-line summaries -----------------------------------------------------------------------------

#: List fields whose items a summary names one by one ("hyperparameter eta").
ITEM_NOUNS = {"mlFeatures": "feature", "mlHyperParameters": "hyperparameter"}


def _item_names(value) -> list[str]:
    """Return the item names of a JSON-encoded list from a change description, if it is one."""
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    return [i.get("name", "") for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _summary_label(item: dict) -> str:
    top, _, rest = item["name"].partition(".")
    noun = ITEM_NOUNS.get(top)
    if noun is None:
        return FIELD_LABELS.get(top, top).lower()
    if rest:  # "mlFeatures.persona" or "mlFeatures.persona.description"
        return f"{noun} {rest.removesuffix('.description')}"
    names = _item_names(item.get("newValue", item.get("oldValue")))
    if not names:
        return FIELD_LABELS[top].lower()
    return f"{noun}{'s' if len(names) > 1 else ''} {', '.join(names)}"


def summary(change_description: dict | None) -> str:
    """Return a one-line 'what changed' from a stored change description."""
    if not change_description:
        return "Created"
    verbs = (("fieldsAdded", "added"), ("fieldsUpdated", "changed"), ("fieldsDeleted", "removed"))
    parts = []
    for key, verb in verbs:
        names = []
        for item in change_description.get(key, []):
            label = _summary_label(item)
            if label not in names:
                names.append(label)
        if names:
            parts.append(f"{verb.capitalize()} {', '.join(names)}")
    return "; ".join(parts) or "No visible change"


# --- Timelines --------------------------------------------------------------------------------------


def _stored(entity):
    return EntityVersion.objects.filter(entity_type=entity.entity_type, entity_id=entity.pk)


def _current_row(entity) -> tuple:
    return (
        entity.version,
        entity.updated_by,
        entity.updated_at,
        entity.change_description,
        representations.snapshot(entity),
    )


def _entry(row: tuple, predecessor: tuple | None, current_version, user) -> VersionEntry:
    number, by, at, description, snapshot = row
    return VersionEntry(
        version=number,
        updated_by=by or "admin",
        updated_at=at,
        summary=summary(description),
        changes=diff(predecessor[4], snapshot) if predecessor is not None else [],
        user=user,
        current=number == current_version,
        first=predecessor is None,
    )


def timeline(entity, offset: int = 0, limit: int = 10) -> tuple[list[VersionEntry], int]:
    """Return the versions ``offset`` to ``offset + limit`` (0 is the current one), newest first, and the total.

    Costs three queries however long the history: the page of snapshots (with
    the predecessor of the oldest one), their count, and the authors.
    """
    stored = _stored(entity)
    total = stored.count() + 1
    # Item 0 is the entity itself and item k the k-th stored row, so the rows
    # from offset - 1 on start exactly at item ``offset``; one more row than
    # shown gives the oldest shown version its predecessor.
    rows = [
        (r.version, r.updated_by, r.updated_at, r.change_description, r.snapshot)
        for r in stored.order_by("-version")[max(offset - 1, 0) : offset + limit]
    ]
    if offset == 0:
        rows.insert(0, _current_row(entity))
    shown = rows[:limit]
    users = {u.username: u for u in User.objects.filter(username__in={row[1] for row in shown})}
    return [
        _entry(row, rows[position + 1] if position + 1 < len(rows) else None, entity.version, users.get(row[1]))
        for position, row in enumerate(shown)
    ], total


def version_entry(entity, number: Decimal) -> tuple[VersionEntry, Decimal | None] | None:
    """Return one version of an entity with its diff, and the number of the version before (None if none).

    A superseded version is all in its history row; only for the current one
    is ``entity`` itself snapshotted, so only then need it be read whole.
    Returns None when there is no such version.
    """
    # The asked version's row, if stored, and the one before it: the two newest up to it.
    rows = list(_stored(entity).filter(version__lte=number).order_by("-version")[:2])
    before = next((r for r in rows if r.version < number), None)
    if number == entity.version:
        row = _current_row(entity)
    else:
        stored = next((r for r in rows if r.version == number), None)
        if stored is None:
            return None
        row = (stored.version, stored.updated_by, stored.updated_at, stored.change_description, stored.snapshot)
    predecessor = (before.version, None, None, None, before.snapshot) if before else None
    user = User.objects.filter(username=row[1]).first()
    return _entry(row, predecessor, entity.version, user), before.version if before else None
