"""Version history of an ML model: who changed what and when, and a diff per version.

Every superseded version is an EntityVersion row holding the full snapshot;
the current version is the model itself. A version's diff compares its
snapshot with the one before, so a page of versions costs one query for the
snapshots (plus one extra row, the predecessor of the oldest on the page).
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from catalog import representations
from catalog.models import EntityVersion, MlModel, User
from pages.views.common import get_model_for_page, is_partial, signed_in

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
    "deleted": "Deleted",
}
#: Keys that change with every version or repeat others: never shown in a diff.
IGNORED = {"version", "updatedAt", "updatedBy", "changeDescription", "href", "id", "fullyQualifiedName", "serviceType"}
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
PAGE_SIZE = 20


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


# --- Diffs ------------------------------------------------------------------------------------------


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


def _scalar(label, key, old, new, *, long=False) -> Change | None:
    old_text, new_text = text_of(key, old), text_of(key, new)
    if old_text == new_text:
        return None
    kind = "added" if not old_text else "removed" if not new_text else "changed"
    return Change(label, kind, old_text, new_text, long=long)


def _members(label, key, old, new, identity) -> Change | None:
    """Describe a list of references (owners, followers, tags) as who came and who went."""
    old_by = {identity(item): item for item in old or []}
    new_by = {identity(item): item for item in new or []}
    came = [item for k, item in new_by.items() if k not in old_by]
    went = [item for k, item in old_by.items() if k not in new_by]
    if not came and not went:
        return None
    kind = "added" if not went else "removed" if not came else "changed"
    return Change(label, kind, text_of(key, went), text_of(key, came))


def _by_name(items) -> dict:
    """Key list items by name; a repeated name gets its position so nothing is lost."""
    out = {}
    for position, item in enumerate(items or []):
        name = item.get("name", "")
        out[name if name not in out else f"{name} #{position + 1}"] = item
    return out


def _source_text(source: dict) -> str:
    where = text_of("dataSource", source.get("dataSource"))
    if source.get("column"):
        where = f"{where}.{source['column']}" if where else source["column"]
    kind = f" ({source['dataType']})" if source.get("dataType") else ""
    return f"{source.get('name', '')} ← {where or 'no table'}{kind}"


def _source_changes(old_sources, new_sources) -> list[Change]:
    old_by, new_by = _by_name(old_sources), _by_name(new_sources)
    out = []
    for name, source in new_by.items():
        before = old_by.get(name)
        if before is None:
            out.append(Change(f"Source {name}", "added", new=_source_text(source)))
        elif before != source:
            details = [
                c
                for key, label in SOURCE_LABELS.items()
                if (c := _scalar(label, key, before.get(key), source.get(key))) is not None
            ]
            out.append(Change(f"Source {name}", "changed", _source_text(before), _source_text(source), details))
    out += [
        Change(f"Source {name}", "removed", old=_source_text(s)) for name, s in old_by.items() if name not in new_by
    ]
    return out


def _feature_text(feature: dict) -> str:
    parts = [feature.get("dataType", ""), feature.get("featureAlgorithm", "")]
    return " · ".join(p for p in parts if p) or "—"


def _features(old, new) -> list[Change]:
    old_by, new_by = _by_name(old), _by_name(new)
    out = []
    for name, feature in new_by.items():
        before = old_by.get(name)
        if before is None:
            details = _source_changes([], feature.get("featureSources"))
            out.append(Change(f"Feature {name}", "added", new=_feature_text(feature), details=details))
        elif before != feature:
            details = [
                c
                for key, label in FEATURE_LABELS.items()
                if (c := _scalar(label, key, before.get(key), feature.get(key))) is not None
            ]
            details += _source_changes(before.get("featureSources"), feature.get("featureSources"))
            out.append(Change(f"Feature {name}", "changed", details=details))
    out += [
        Change(f"Feature {name}", "removed", old=_feature_text(f)) for name, f in old_by.items() if name not in new_by
    ]
    return out


def _param_text(param: dict) -> str:
    text = f"{param.get('name', '')} = {param.get('value', '')}"
    return f"{text} ({param['description']})" if param.get("description") else text


def _hyperparameters(old, new) -> list[Change]:
    old_by, new_by = _by_name(old), _by_name(new)
    out = []
    for name, param in new_by.items():
        before = old_by.get(name)
        if before is None:
            out.append(Change(f"Hyperparameter {name}", "added", new=_param_text(param)))
        elif before != param:
            out.append(Change(f"Hyperparameter {name}", "changed", _param_text(before), _param_text(param)))
    out += [
        Change(f"Hyperparameter {name}", "removed", old=_param_text(p))
        for name, p in old_by.items()
        if name not in new_by
    ]
    return out


def diff(before: dict, after: dict) -> list[Change]:
    """Return what differs from snapshot ``before`` to snapshot ``after``, field by field."""
    out = []
    keys = [k for k in FIELD_LABELS if k in before or k in after]
    keys += sorted((before.keys() | after.keys()) - set(FIELD_LABELS) - IGNORED)
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        label = FIELD_LABELS.get(key, key)
        if key == "mlFeatures":
            out += _features(old, new)
        elif key == "mlHyperParameters":
            out += _hyperparameters(old, new)
        elif key == "mlStore":
            out += [
                c
                for sub, sub_label in STORE_LABELS.items()
                if (c := _scalar(sub_label, sub, (old or {}).get(sub), (new or {}).get(sub))) is not None
            ]
        elif key in ("owners", "followers"):
            change = _members(label, key, old, new, lambda ref: ref.get("id"))
            out += [change] if change else []
        elif key == "tags":
            change = _members(label, key, old, new, lambda tag: tag.get("tagFQN"))
            out += [change] if change else []
        elif (change := _scalar(label, key, old, new, long=key == "description")) is not None:
            out.append(change)
    return out


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


def timeline(model, offset: int = 0, limit: int = 10) -> tuple[list[VersionEntry], int]:
    """Return the versions ``offset`` to ``offset + limit`` (0 is the current one), newest first, and the total.

    Costs three queries however long the history: the page of snapshots (with
    the predecessor of the oldest one), their count, and the authors.
    """
    stored = EntityVersion.objects.filter(entity_type=model.entity_type, entity_id=model.pk)
    total = stored.count() + 1
    # Item 0 is the model itself and item k the k-th stored row, so the rows
    # from offset - 1 on start exactly at item ``offset``; one more row than
    # shown gives the oldest shown version its predecessor.
    rows = [
        (r.version, r.updated_by, r.updated_at, r.change_description, r.snapshot)
        for r in stored.order_by("-version")[max(offset - 1, 0) : offset + limit]
    ]
    if offset == 0:
        current = (
            model.version,
            model.updated_by,
            model.updated_at,
            model.change_description,
            representations.snapshot(model),
        )
        rows.insert(0, current)
    shown = rows[:limit]
    users = {u.username: u for u in User.objects.filter(username__in={row[1] for row in shown})}
    entries = []
    for position, (number, by, at, description, snapshot) in enumerate(shown):
        predecessor = rows[position + 1] if position + 1 < len(rows) else None
        entries.append(
            VersionEntry(
                version=number,
                updated_by=by or "admin",
                updated_at=at,
                summary=summary(description),
                changes=diff(predecessor[4], snapshot) if predecessor is not None else [],
                user=users.get(by),
                current=number == model.version,
                first=predecessor is None,
            )
        )
    return entries, total


def parse_version(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Http404("No such version.") from None
    if not value.is_finite() or value <= 0:
        raise Http404("No such version.")
    return value.quantize(Decimal("0.1"))


@signed_in
@require_GET
def mlmodel_versions(request, pk):
    """List every version of a model, newest first, each with its diff."""
    model = get_model_for_page(pk)
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    entries, total = timeline(model, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    context = {
        "model": model,
        "entries": entries,
        "total": total,
        "page_number": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
    }
    template = "catalog/mlmodel_versions.html#version-list" if is_partial(request) else "catalog/mlmodel_versions.html"
    return render(request, template, context)


@signed_in
@require_GET
def mlmodel_version(request, pk, version):
    """Show one version of a model: who saved it, when, and its diff against the version before.

    A superseded version is all in its history row: the model itself is read
    whole (its snapshot) only when the current version is asked for.
    """
    number = parse_version(version)
    model = get_object_or_404(MlModel, pk=pk)
    # The asked version's row, if stored, and the one before it: the two newest up to it.
    rows = list(
        EntityVersion.objects.filter(entity_type=model.entity_type, entity_id=model.pk, version__lte=number).order_by(
            "-version"
        )[:2]
    )
    before = next((row for row in rows if row.version < number), None)
    if number == model.version:
        model = get_model_for_page(pk)
        snapshot, by, at, description = (
            representations.snapshot(model),
            model.updated_by,
            model.updated_at,
            model.change_description,
        )
    else:
        row = next((row for row in rows if row.version == number), None)
        if row is None:
            raise Http404("No such version.")
        snapshot, by, at, description = row.snapshot, row.updated_by, row.updated_at, row.change_description
    entry = VersionEntry(
        version=number,
        updated_by=by or "admin",
        updated_at=at,
        summary=summary(description),
        changes=diff(before.snapshot, snapshot) if before else [],
        user=User.objects.filter(username=by).first(),
        current=number == model.version,
        first=before is None,
    )
    context = {"model": model, "entry": entry, "previous_version": before.version if before else None}
    template = "catalog/mlmodel_version.html#diff" if is_partial(request) else "catalog/mlmodel_version.html"
    return render(request, template, context)
