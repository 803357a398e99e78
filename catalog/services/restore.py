"""Restoring an ML model to an earlier history version, as a new history version.

A history version is a snapshot (``catalog.representations.snapshot``); a
restore turns it back into the values the write path takes and saves them with
``update_mlmodel``, so it is versioned, validated and described like any edit,
and restoring the version before it undoes it. References are resolved again
by id (tags by FQN): what the catalogue no longer holds is left out and named
in the preview's warnings. Model versions (statuses, aliases, approvals) are
not rewound: a restore must never put a model version into production without
an approval.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from catalog import fqn, representations
from catalog.models import CARD_KEYS, Column, Dashboard, EntityVersion, MlModel, Table, Tag, Team, User, column_id
from catalog.services import history, mlmodels

#: The snapshot keys a restore writes back; the rest are the model's identity (name, service),
#: bookkeeping, readers' bookmarks (followers), soft deletion, or its model versions.
RESTORED_KEYS = (
    "displayName",
    "description",
    "algorithm",
    "target",
    "server",
    "mlStore",
    "sourceUrl",
    "dashboard",
    "owners",
    "tags",
    "mlFeatures",
    "mlHyperParameters",
    representations.CARD_KEY,
)
MODEL_VERSIONS_KEPT = (
    "Model versions (their statuses, aliases and approvals) stay as they are now: "
    "a restore never moves a model version into production without an approval."
)


class NoSuchVersion(LookupError):
    """The model has no history version of that number."""


@dataclass
class Preview:
    """What restoring history version ``version`` would do, before it is done."""

    version: Decimal
    #: The readable diff from the model now to what the restore writes.
    changes: list[history.Change]
    #: What version ``version`` names that no longer exists, so the restore leaves it out.
    missing: list[str] = field(default_factory=list)
    #: Whether the model versions differ from then: they are not rewound (see ``MODEL_VERSIONS_KEPT``).
    model_versions_differ: bool = False


def snapshot_at(model: MlModel, version) -> dict:
    """Return the model's snapshot at history version ``version``; raise NoSuchVersion if it has none."""
    number = Decimal(str(version)).quantize(Decimal("0.1"))
    if number == model.version:
        return representations.snapshot(representations.represented(MlModel).get(pk=model.pk))
    stored = EntityVersion.objects.filter(entity_type=model.entity_type, entity_id=model.pk, version=number).first()
    if stored is None:
        raise NoSuchVersion(f"{model.fqn} has no history version {number}")
    return stored.snapshot


def preview(model: MlModel, version) -> Preview:
    """Return the diff from now to history version ``version``, with what a restore would leave out."""
    then = snapshot_at(model, version)
    now = representations.snapshot(representations.represented(MlModel).get(pk=model.pk))
    _, missing = values_from(then)
    return Preview(
        version=Decimal(str(then["version"])).quantize(Decimal("0.1")),
        changes=history.diff(_restored_part(now), _restored_part(then)),
        missing=missing,
        model_versions_differ=_model_versions(now) != _model_versions(then),
    )


def restore(model: MlModel, version, actor, *, expected_version=None):
    """Write the model back to history version ``version`` as a new history version (none if nothing differs).

    Returns the write path's ``change`` (``.changed``, ``.entity``).
    """
    values, _ = values_from(snapshot_at(model, version))
    return mlmodels.update_mlmodel(model, actor, expected_version=expected_version, **values)


def _restored_part(snapshot: dict) -> dict:
    return {key: snapshot[key] for key in RESTORED_KEYS if key in snapshot}


def _model_versions(snapshot: dict) -> list:
    return snapshot.get(representations.MODEL_VERSIONS_KEY) or []


# --- From a snapshot to the write path's values ------------------------------------------------------


class _Found:
    """The catalogue rows a snapshot refers to, each kind read in one query, and what was not found."""

    def __init__(self, snapshot: dict):
        features = snapshot.get("mlFeatures") or []
        sources = [s for f in features for s in f.get("featureSources") or []]
        tag_fqns = {t["tagFQN"] for t in snapshot.get("tags") or []}
        tag_fqns |= {t["tagFQN"] for item in [*features, *sources] for t in item.get("tags") or []}
        table_ids = {s["dataSource"]["id"] for s in sources if s.get("dataSource")}
        owners = snapshot.get("owners") or []
        dashboard = snapshot.get("dashboard")
        self.tables = Table.objects.live().in_bulk(table_ids)
        self.columns = Column.objects.in_bulk(
            [
                column_id(s["dataSource"]["id"], s[representations.COLUMN_KEY])
                for s in sources
                if s.get("dataSource") and s.get(representations.COLUMN_KEY)
            ]
        )
        self.tags = {
            tag.fqn_hash: tag for tag in Tag.objects.live().filter(fqn_hash__in=[_tag_hash(f) for f in tag_fqns])
        }
        self.users = User.objects.filter(deleted=False).in_bulk([o["id"] for o in owners if o.get("type") == "user"])
        self.teams = Team.objects.live().in_bulk([o["id"] for o in owners if o.get("type") == "team"])
        self.dashboards = Dashboard.objects.live().in_bulk([dashboard["id"]] if dashboard else [])
        self.missing: list[str] = []

    def one(self, rows: dict, ref: dict, what: str, where: str = ""):
        """Return the row ``ref`` names by id, or None (noted as missing) when it is gone."""
        found = rows.get(uuid.UUID(str(ref["id"])))
        if found is None:
            self.missing.append(f"{what} {ref.get('fullyQualifiedName') or ref.get('name') or ref['id']}{where}")
        return found

    def tags_of(self, labels, where: str = "") -> list[Tag]:
        out = []
        for label in labels or []:
            tag = self.tags.get(_tag_hash(label["tagFQN"]))
            if tag is None:
                self.missing.append(f"Tag {label['tagFQN']}{where}")
            else:
                out.append(tag)
        return out


def _tag_hash(tag_fqn: str) -> str:
    return fqn.digest(fqn.normalise(tag_fqn))


def values_from(snapshot: dict) -> tuple[dict, list[str]]:
    """Return the ``update_mlmodel`` values that make a model what ``snapshot`` says, and what no longer exists."""
    found = _Found(snapshot)
    store = snapshot.get("mlStore") or {}
    card = snapshot.get(representations.CARD_KEY) or {}
    dashboard = snapshot.get("dashboard")
    owners = []
    for ref in snapshot.get("owners") or []:
        team = ref.get("type") == "team"
        owner = found.one(found.teams if team else found.users, ref, "Team" if team else "User")
        if owner is not None:
            owners.append(owner)
    values = {
        "display_name": snapshot.get("displayName", ""),
        "description": snapshot.get("description", ""),
        "algorithm": snapshot.get("algorithm", ""),
        "target": snapshot.get("target", ""),
        "server": snapshot.get("server", ""),
        "ml_store_storage": store.get("storage", ""),
        "ml_store_image": store.get("imageRepository", ""),
        "source_url": snapshot.get("sourceUrl", ""),
        "dashboard": found.one(found.dashboards, dashboard, "Dashboard") if dashboard else None,
        "owners": owners,
        "tags": found.tags_of(snapshot.get("tags")),
        "features": [_feature(f, found) for f in snapshot.get("mlFeatures") or []],
        "hyperparameters": [
            mlmodels.HyperParameterSpec(name=p["name"], value=p.get("value", ""), description=p.get("description", ""))
            for p in snapshot.get("mlHyperParameters") or []
        ],
        **{attr: card.get(key, "") for key, attr in CARD_KEYS.items()},
    }
    return values, found.missing


def _feature(feature: dict, found: _Found) -> mlmodels.FeatureSpec:
    name = feature["name"]
    return mlmodels.FeatureSpec(
        name=name,
        data_type=feature.get("dataType", ""),
        feature_algorithm=feature.get("featureAlgorithm", ""),
        description=feature.get("description", ""),
        tags=found.tags_of(feature.get("tags"), f" (feature {name})"),
        sources=[_source(s, name, found) for s in feature.get("featureSources") or []],
    )


def _source(source: dict, feature_name: str, found: _Found) -> mlmodels.SourceSpec:
    """A feature source as it was; a table or column gone since is left out, the source kept without it."""
    where = f" (feature {feature_name}, source {source['name']})"
    table = column = None
    if source.get("dataSource"):
        table = found.one(found.tables, source["dataSource"], "Table", where)
        if table is not None and source.get(representations.COLUMN_KEY):
            column = found.columns.get(column_id(table.pk, source[representations.COLUMN_KEY]))
            if column is None:
                found.missing.append(f"Column {table.fqn}.{source[representations.COLUMN_KEY]}{where}")
    return mlmodels.SourceSpec(
        name=source["name"],
        data_type=source.get("dataType", ""),
        description=source.get("description", ""),
        table=table,
        column=column,
        tags=found.tags_of(source.get("tags"), where),
    )
