"""Entities as OpenMetadata-shaped dictionaries.

One representation serves three readers: the version history (a snapshot is
the full representation without hrefs), the change descriptions (diffs of two
snapshots) and the JSON API (the representation with the requested relation
fields and absolute hrefs). Relations are read through ``.all()`` so a caller
that prefetches them pays a constant number of queries for a whole page.
"""

from decimal import Decimal

from django.db.models import Prefetch

from catalog import models as m
from catalog import secrets

ALL = "*"


def epoch_ms(value) -> int:
    return int(value.timestamp() * 1000)


def version_number(value: Decimal) -> float:
    return round(float(value), 1)


def ref(obj, base: str | None = None) -> dict:
    """Return an EntityReference to ``obj`` (a catalogue entity or a user)."""
    out = {"id": str(obj.id), "type": obj.entity_type, "name": obj.name, "fullyQualifiedName": obj.fqn}
    if obj.display_name:
        out["displayName"] = obj.display_name
    if obj.description:
        out["description"] = obj.description
    out["deleted"] = obj.deleted
    if base is not None:
        out["href"] = href(base, obj)
    return out


def href(base: str, obj) -> str:
    return f"{base}/api/v1/{registry.TYPES[obj.entity_type].collection}/{obj.id}"


def tag_label(tag: m.Tag, base: str | None = None) -> dict:
    out = {
        "tagFQN": tag.fqn,
        "name": tag.name,
        "source": "Classification",
        "labelType": "Manual",
        "state": "Confirmed",
    }
    if tag.display_name:
        out["displayName"] = tag.display_name
    if tag.description:
        out["description"] = tag.description
    if base is not None:
        out["href"] = href(base, tag)
    return out


def tag_labels(tags, base=None) -> list[dict]:
    return [tag_label(t, base) for t in sorted(tags, key=lambda t: t.fqn)]


def _common(obj, base) -> dict:
    out = {"id": str(obj.id), "name": obj.name, "fullyQualifiedName": obj.fqn}
    if obj.display_name:
        out["displayName"] = obj.display_name
    if obj.description:
        out["description"] = obj.description
    out["version"] = version_number(obj.version)
    out["updatedAt"] = epoch_ms(obj.updated_at)
    out["updatedBy"] = obj.updated_by or "admin"
    if base is not None:
        out["href"] = href(base, obj)
    out["deleted"] = obj.deleted
    if obj.change_description:
        out["changeDescription"] = obj.change_description
    return out


def rows(obj, relation: str):
    """Return ``obj``'s related rows.

    :func:`represented` prefetches the many small rows of a model (features,
    sources and their tags) into plain lists named ``<relation>_list``: a
    list per row costs nothing, a queryset per row costs a clone each.
    """
    prefetched = getattr(obj, f"{relation}_list", None)
    return getattr(obj, relation).all() if prefetched is None else prefetched


def _owned(obj, out, fields, base):
    if "owners" in fields:
        out["owners"] = [ref(o, base) for o in obj.owners()]


def _tagged(obj, out, fields, base):
    if "tags" in fields:
        out["tags"] = tag_labels(obj.tags.all(), base)


def _empty_relations(out, fields):
    """Answer relation fields ModelAtlas accepts but does not keep with empty values."""
    for name in ("domains", "dataProducts", "followers", "owners", "tags"):
        if name in fields and name not in out:
            out[name] = []
    if "votes" in fields:
        out["votes"] = {"upVotes": 0, "downVotes": 0, "upVoters": [], "downVoters": []}


def mlmodel(obj: m.MlModel, fields, base=None) -> dict:
    out = _common(obj, base)
    out["algorithm"] = obj.algorithm
    out["service"] = ref(obj.service, base)
    out["serviceType"] = obj.service.service_type
    features = [feature(f, base) for f in rows(obj, "features")]
    if features:
        out["mlFeatures"] = features
    params = [hyperparameter(p) for p in obj.hyperparameters.all()]
    if params:
        out["mlHyperParameters"] = params
    if obj.target:
        out["target"] = obj.target
    store = {}
    if obj.ml_store_storage:
        store["storage"] = obj.ml_store_storage
    if obj.ml_store_image:
        store["imageRepository"] = obj.ml_store_image
    if store:
        out["mlStore"] = store
    if obj.server:
        out["server"] = obj.server
    if obj.source_url:
        out["sourceUrl"] = obj.source_url
    if "dashboard" in fields and obj.dashboard_id:
        out["dashboard"] = ref(obj.dashboard, base)
    _owned(obj, out, fields, base)
    if "followers" in fields:
        out["followers"] = [ref(u, base) for u in obj.followers.all()]
    _tagged(obj, out, fields, base)
    _empty_relations(out, fields)
    return out


def feature(obj: m.MlFeature, base=None) -> dict:
    out = {"name": obj.name}
    if obj.data_type:
        out["dataType"] = obj.data_type
    if obj.description:
        out["description"] = obj.description
    out["fullyQualifiedName"] = obj.fqn
    sources = [feature_source(s, base) for s in rows(obj, "sources")]
    if sources:
        out["featureSources"] = sources
    if obj.feature_algorithm:
        out["featureAlgorithm"] = obj.feature_algorithm
    out["tags"] = tag_labels(rows(obj, "tags"), base)
    return out


def feature_source(obj: m.FeatureSource, base=None) -> dict:
    out = {"name": obj.name}
    if obj.data_type:
        out["dataType"] = obj.data_type
    if obj.description:
        out["description"] = obj.description
    out["fullyQualifiedName"] = obj.fqn
    if obj.table_id:
        out["dataSource"] = ref(obj.table, base)
    out["tags"] = tag_labels(rows(obj, "tags"), base)
    return out


def hyperparameter(obj: m.MlHyperParameter) -> dict:
    out = {"name": obj.name, "value": obj.value}
    if obj.description:
        out["description"] = obj.description
    return out


def service(obj, fields, base) -> dict:
    out = _common(obj, base)
    out["serviceType"] = obj.service_type
    if obj.connection is not None:
        out["connection"] = obj.connection  # secrets masked as stored (catalog.secrets)
    _empty_relations(out, fields)
    return out


def database(obj: m.Database, fields, base=None) -> dict:
    out = _common(obj, base)
    out["service"] = ref(obj.service, base)
    out["serviceType"] = obj.service.service_type
    _owned(obj, out, fields, base)
    _empty_relations(out, fields)
    return out


def database_schema(obj: m.DatabaseSchema, fields, base=None) -> dict:
    out = _common(obj, base)
    out["service"] = ref(obj.database.service, base)
    out["serviceType"] = obj.database.service.service_type
    out["database"] = ref(obj.database, base)
    _owned(obj, out, fields, base)
    _empty_relations(out, fields)
    return out


def table(obj: m.Table, fields, base=None) -> dict:
    out = _common(obj, base)
    out["tableType"] = obj.table_type
    out["columns"] = [column(c, base) for c in obj.columns.all()]
    schema = obj.schema
    out["databaseSchema"] = ref(schema, base)
    out["database"] = ref(schema.database, base)
    out["service"] = ref(schema.database.service, base)
    out["serviceType"] = schema.database.service.service_type
    _owned(obj, out, fields, base)
    _tagged(obj, out, fields, base)
    _empty_relations(out, fields)
    return out


def column(obj: m.Column, base=None) -> dict:
    out = {"name": obj.name, "dataType": obj.data_type}
    if obj.data_type_display:
        out["dataTypeDisplay"] = obj.data_type_display
    if obj.display_name:
        out["displayName"] = obj.display_name
    if obj.description:
        out["description"] = obj.description
    out["fullyQualifiedName"] = obj.fqn
    out["tags"] = tag_labels(obj.tags.all(), base)
    out["ordinalPosition"] = obj.position
    return out


def dashboard(obj: m.Dashboard, fields, base=None) -> dict:
    out = _common(obj, base)
    out["service"] = ref(obj.service, base)
    out["serviceType"] = obj.service.service_type
    out["dashboardType"] = obj.dashboard_type
    if obj.source_url:
        out["sourceUrl"] = obj.source_url
    _owned(obj, out, fields, base)
    _tagged(obj, out, fields, base)
    _empty_relations(out, fields)
    return out


def user(obj: m.User, fields, base=None) -> dict:
    out = _common(obj, base)
    out["email"] = obj.email or f"{obj.username}@modelatlas.example"
    out["isBot"] = obj.is_bot
    out["isAdmin"] = obj.is_superuser
    if "teams" in fields:
        out["teams"] = [ref(t, base) for t in obj.teams.all()]
    _empty_relations(out, fields)
    return out


def team(obj: m.Team, fields, base=None) -> dict:
    out = _common(obj, base)
    out["teamType"] = obj.team_type
    if obj.email:
        out["email"] = obj.email
    if "users" in fields:
        out["users"] = [ref(u, base) for u in obj.users.all()]
    _empty_relations(out, fields)
    return out


def classification(obj: m.Classification, fields, base=None) -> dict:
    out = _common(obj, base)
    out["mutuallyExclusive"] = obj.mutually_exclusive
    return out


def tag(obj: m.Tag, fields, base=None) -> dict:
    out = _common(obj, base)
    out["classification"] = ref(obj.classification, base)
    return out


def represent(obj, fields=ALL, base: str | None = None) -> dict:
    """Return ``obj`` as OpenMetadata shows it, with the requested relation fields."""
    declared = registry.TYPES[obj.entity_type]
    wanted = declared.relation_fields if fields == ALL else set(fields)
    return declared.representer(obj, wanted, base)


def snapshot(obj) -> dict:
    """Return the full state of ``obj`` as kept in its version history.

    Feature sources carry the ``column`` they read, which OpenMetadata's shape
    has no key for: re-pointing a source to another column is a change.
    """
    out = represent(obj, ALL)
    if obj.entity_type == "mlmodel":
        for feature_out, feature_obj in zip(out.get("mlFeatures", []), rows(obj, "features"), strict=False):
            for source_out, source_obj in zip(
                feature_out.get("featureSources", []), rows(feature_obj, "sources"), strict=False
            ):
                if source_obj.column_id:
                    source_out[COLUMN_KEY] = source_obj.column.name
        card = model_card(obj)
        if card:
            out[CARD_KEY] = card
        registered = [model_version(v) for v in model_versions_of(obj)]
        if registered:
            out[MODEL_VERSIONS_KEY] = registered
    if isinstance(obj, SERVICE_MODELS) and obj.connection_secrets:
        out[SECRETS_KEY] = secrets.revisions(obj.connection_secrets)
    return out


#: The key ModelAtlas adds to a feature source in snapshots (column grain).
COLUMN_KEY = "column"
SECRETS_KEY = secrets.SNAPSHOT_KEY
#: ModelAtlas's keys of an ML model's snapshot, which OpenMetadata's MlModel has no room for: its
#: card, and its model versions (so their changes are the model's history).
CARD_KEY = "modelCard"
MODEL_VERSIONS_KEY = "modelVersions"
MODELATLAS_KEYS = {SECRETS_KEY, CARD_KEY, MODEL_VERSIONS_KEY}


def model_card(obj: m.MlModel) -> dict:
    """Return the card's filled sections under their API keys."""
    return {key: getattr(obj, attr) for key, attr in m.CARD_KEYS.items() if getattr(obj, attr)}


def model_versions_of(model: m.MlModel):
    """Return the model's versions, newest first, with what :func:`model_version` reads."""
    prefetched = getattr(model, "model_versions_list", None)
    if prefetched is not None:
        return prefetched
    return list(model_versions_queryset().filter(model=model).order_by("-number"))


def model_versions_queryset():
    """Model versions with everything :func:`model_version` reads, in a constant number of queries."""
    return m.ModelVersion.objects.prefetch_related(
        Prefetch("aliases", queryset=m.ModelAlias.objects.order_by("name"), to_attr="aliases_list"),
        Prefetch("metrics", to_attr="metrics_list"),
        Prefetch(
            "datasets",
            queryset=m.ModelVersionDataset.objects.select_related("table").prefetch_related(
                Prefetch("columns", queryset=m.Column.objects.order_by("position", "name"), to_attr="columns_list")
            ),
            to_attr="datasets_list",
        ),
        Prefetch("reviews", to_attr="reviews_list"),
    )


def model_version(obj: m.ModelVersion) -> dict:
    """A model version as the API shows it and the model's snapshots keep it (prefetched as ``versions_queryset``)."""
    out = {"version": obj.number, "status": obj.status}
    if obj.description:
        out["description"] = obj.description
    for key, attr in (("sourceUri", "source_uri"), ("runId", "run_id"), ("runUrl", "run_url")):
        if getattr(obj, attr):
            out[key] = getattr(obj, attr)
    out["createdBy"] = obj.created_by
    out["createdAt"] = epoch_ms(obj.created_at)
    out["aliases"] = [a.name for a in obj.aliases_list]
    for key in ("tags", "signature", "parameters"):
        if getattr(obj, key):
            out[key] = getattr(obj, key)
    out["datasets"] = [
        {
            "role": d.role,
            "table": d.table.fqn,
            **({"columns": [c.name for c in d.columns_list]} if d.columns_list else {}),
        }
        for d in obj.datasets_list
    ]
    out["metrics"] = [
        {
            "name": x.name,
            "value": x.value,
            **({"dataset": x.dataset} if x.dataset else {}),
            "step": x.step,
            **({"timestamp": epoch_ms(x.timestamp)} if x.timestamp else {}),
            "higherIsBetter": x.higher_is_better,
        }
        for x in obj.metrics_list
    ]
    out["reviews"] = [
        {
            "decision": r.decision,
            "status": r.status,
            "by": r.reviewer_name,
            "at": epoch_ms(r.at),
            **({"reason": r.reason} if r.reason else {}),
            **({"open": True} if r.open else {}),
        }
        for r in sorted(obj.reviews_list, key=lambda r: (r.at, r.pk))
    ]
    return out


SERVICE_MODELS = (m.MlModelService, m.DatabaseService, m.DashboardService)


def openmetadata_view(snapshot_dict: dict) -> dict:
    """Return a snapshot with ModelAtlas's own keys removed, for OpenMetadata clients."""
    out = {k: v for k, v in snapshot_dict.items() if k not in MODELATLAS_KEYS}
    features = out.get("mlFeatures")
    if not features:
        return out
    out["mlFeatures"] = [
        {**f, "featureSources": [{k: v for k, v in s.items() if k != COLUMN_KEY} for s in f["featureSources"]]}
        if "featureSources" in f
        else f
        for f in features
    ]
    return out


#: What a reference to a table reads; a model's 40 sources need nothing more of it.
REFERENCE_FIELDS = ("id", "name", "fqn", "display_name", "description", "deleted")


def mlmodels_queryset():
    sources = (
        m.FeatureSource.objects.select_related("table", "column")
        .only(
            "id",
            "feature_id",
            "position",
            "name",
            "data_type",
            "description",
            "table_id",
            "column_id",
            *(f"table__{f}" for f in REFERENCE_FIELDS),
            "column__id",
            "column__name",
            "column__table_id",
        )
        .prefetch_related(Prefetch("tags", to_attr="tags_list"))
    )
    features = m.MlFeature.objects.prefetch_related(
        Prefetch("tags", to_attr="tags_list"), Prefetch("sources", queryset=sources, to_attr="sources_list")
    )
    return m.MlModel.objects.select_related("service", "dashboard").prefetch_related(
        "owner_users",
        "owner_teams",
        "tags",
        "followers",
        "hyperparameters",
        Prefetch("features", queryset=features, to_attr="features_list"),
    )


def represented(model):
    """Return a queryset whose rows :func:`represent` reads in a fixed number of queries."""
    return registry.of(model).rows()


# At the end: the registry names this module's representers, and these functions read the registry.
from catalog import registry  # noqa: E402
