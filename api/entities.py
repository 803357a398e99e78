"""The entity collections of the API: how each reads, filters, and turns a request into a write.

A :class:`Kind` knows, for one OpenMetadata entity type, the queryset that
serves a page of entities in a constant number of queries, the list filters,
the parent a create request names, and *converters*: one function per JSON
key that turns that key of a request (a create request, or the entity a JSON
Patch produced) into keyword arguments of the write path in
``catalog.services``. A converter given a body without its key returns the
"empty" value, which is how a PUT clears what it no longer sends.
"""

from api import bodies, reads, schema
from api.bodies import Body
from api.errors import bad_request, not_found
from catalog import fqn, registry, representations
from catalog import models as m
from catalog.services import assets, mlmodels
from catalog.services.changes import Outcome
from catalog.services.validation import check_total


def _text(key, target):
    return lambda body, entity: {target: body.string(key)}


_COMMON = {
    "displayName": _text("displayName", "display_name"),
    "description": _text("description", "description"),
}


def _owners(body, entity):
    return {"owners": bodies.owners(body)}


def _tags(body, entity):
    return {"tags": bodies.tag_labels(body)}


def _checked_only(convert):
    """Validate a value ModelAtlas accepts but does not keep (it reaches no write)."""

    def check(body, entity):
        convert(body, entity)
        return {}

    return check


class Kind:
    """One entity collection of the API: the door's knowledge of a type the registry declares."""

    type: str = ""
    #: List filters: query parameter -> (parent type, ORM lookup of that parent).
    filters: dict = {}
    name_field = "name"
    converters: dict = {}
    #: Keys whose values PUT keeps when the request leaves them out.
    kept_when_absent: set = set()

    @property
    def declared(self) -> registry.EntityType:
        return registry.TYPES[self.type]

    @property
    def model(self):
        return self.declared.model

    @property
    def collection(self) -> str:
        return self.declared.collection

    @property
    def followable(self) -> bool:
        return self.declared.followable

    @property
    def reads(self) -> reads.Rebuilt | reads.StoredDocuments:
        """How its reads get their JSON: from stored documents where the registry declares them, else rebuilt."""
        return reads.STORED_DOCUMENTS if self.declared.stored_documents else reads.REBUILT

    @property
    def parent_key(self) -> str | None:
        """The request key naming the parent by FQN."""
        return self.declared.parent_key

    @property
    def parent_type(self) -> str | None:
        return self.declared.parent_type

    @property
    def field_names(self) -> set:
        return self.declared.relation_fields | schema.EXTRA_FIELD_NAMES.get(self.type, set())

    def queryset(self):
        """Every row, with what the representation reads fetched in a constant number of queries."""
        return self.declared.rows()

    def filter(self, queryset, params):
        for param, (parent_type, lookup) in self.filters.items():
            value = params.get(param)
            if value:
                parent = bodies.lookup_fqn(parent_type, value, param, live=False)
                if parent is None:
                    return queryset.none()
                queryset = queryset.filter(**{lookup: parent})
        return queryset

    def parent(self, body: Body):
        if self.parent_key is None:
            return None
        return bodies.by_fqn(self.parent_type, body.string(self.parent_key, required=True), self.parent_key)

    def parent_of(self, entity):
        """Return the parent of a stored entity (what a create request would name); None for flat types."""
        return getattr(entity, self.declared.parent) if self.declared.parent else None

    def values(self, body: Body, entity, keys) -> dict:
        """Convert the given JSON keys of ``body`` into write-path values."""
        bodies.refuse_unsupported(body)
        values = {}
        for key in keys:
            if key in self.converters:
                values.update(self.converters[key](body, entity))
        return values

    def save(self, parent, name, actor, expected_version, values):
        raise NotImplementedError


# -- ML models -------------------------------------------------------------------------------------------------------


def _ml_store(body, entity):
    store = body.object("mlStore")
    if store is None:
        return {"ml_store_storage": "", "ml_store_image": ""}
    store.check_keys(schema.ML_STORE_KEYS)
    return {"ml_store_storage": store.string("storage"), "ml_store_image": store.string("imageRepository")}


def _dashboard(body, entity):
    value = body.data.get("dashboard")
    return {"dashboard": None if value is None else bodies.reference(value, ("dashboard",), "dashboard")}


def _features(body, entity):
    """Build feature specs; a source keeps the column it read when its table did not change.

    OpenMetadata's shape names only the table of a source. ModelAtlas also
    keeps the column (column-grain lineage), so a client re-sending features
    it read must not lose that. Every list is bounded before any reference in
    it is resolved.
    """
    columns = {}
    if entity is not None:
        for feature in representations.rows(entity, "features"):
            for source in representations.rows(feature, "sources"):
                if source.column_id:
                    columns[(feature.name, source.name, source.table_id)] = source.column
    features = [
        (feature, feature.objects("featureSources", "sources")) for feature in body.objects("mlFeatures", "features")
    ]
    check_total(sum(len(sources) for _, sources in features), body.at("mlFeatures"), "model_sources")
    known_tags = bodies.tags_named(
        label.get("tagFQN")
        for feature, sources in features
        for holder in (feature, *sources)
        for label in holder.items("tags", "tags")
        if isinstance(label, dict)
    )
    specs, tables = [], {}
    for feature, feature_sources in features:
        feature.check_keys(schema.ML_FEATURE_KEYS)
        name = feature.string("name", required=True)
        sources = []
        for source in feature_sources:
            source.check_keys(schema.FEATURE_SOURCE_KEYS)
            table = None
            if source.has("dataSource"):
                data_source = source.data["dataSource"]
                key = repr(data_source)
                if key not in tables:  # sources often share a table: resolve it once
                    tables[key] = bodies.reference(data_source, ("table",), source.at("dataSource"))
                table = tables[key]
            source_name = source.string("name", required=True)
            sources.append(
                mlmodels.SourceSpec(
                    name=source_name,
                    data_type=source.choice("dataType", m.FeatureSource.DataType.values),
                    description=source.string("description"),
                    table=table,
                    column=columns.get((name, source_name, table.pk if table else None)),
                    tags=bodies.tag_labels(source, known=known_tags),
                )
            )
        specs.append(
            mlmodels.FeatureSpec(
                name=name,
                data_type=feature.choice("dataType", m.MlFeature.DataType.values),
                feature_algorithm=feature.string("featureAlgorithm"),
                description=feature.string("description"),
                tags=bodies.tag_labels(feature, known=known_tags),
                sources=sources,
            )
        )
    return {"features": specs}


def _hyperparameters(body, entity):
    params = []
    for param in body.objects("mlHyperParameters", "hyperparameters"):
        param.check_keys(schema.HYPERPARAMETER_KEYS)
        params.append(
            mlmodels.HyperParameterSpec(
                name=param.string("name", required=True),
                value=param.string("value"),
                description=param.string("description"),
            )
        )
    return {"hyperparameters": params}


def _algorithm(body, entity):
    """An absent algorithm is no change (OpenMetadata would reset it to its default, a major version)."""
    return {"algorithm": body.string("algorithm")} if body.has("algorithm") else {}


class MlModelKind(Kind):
    type = "mlmodel"
    filters = {"service": ("mlmodelService", "service")}
    converters = {
        **_COMMON,
        "algorithm": _algorithm,
        "target": _text("target", "target"),
        "server": _text("server", "server"),
        "sourceUrl": _text("sourceUrl", "source_url"),
        "mlStore": _ml_store,
        "dashboard": _dashboard,
        "mlFeatures": _features,
        "mlHyperParameters": _hyperparameters,
        "owners": _owners,
        "tags": _tags,
    }

    def save(self, parent, name, actor, expected_version, values):
        existing = m.MlModel.objects.by_fqn(fqn.build(parent.name, name)).first()
        if existing is None:
            # OpenMetadata's schema default, applied when the request has none.
            values["algorithm"] = values.get("algorithm") or "mlmodel"
            return mlmodels.create_mlmodel(parent, name, actor, **values)
        change = mlmodels.update_mlmodel(existing, actor, expected_version=expected_version, **values)
        return Outcome(entity=change.entity, created=False, changed=change.changed)


# -- Data assets -----------------------------------------------------------------------------------------------------


def _columns(body, entity):
    columns = body.objects("columns", "columns")
    known_tags = bodies.tags_named(
        label.get("tagFQN") for column in columns for label in column.items("tags", "tags") if isinstance(label, dict)
    )
    specs = []
    for column in columns:
        column.check_keys(schema.COLUMN_KEYS)
        data_type = column.choice("dataType", schema.COLUMN_DATA_TYPES, required=True)
        display = column.string("dataTypeDisplay")
        if data_type not in m.Column.DataType.values:
            # A type ModelAtlas does not list: kept as UNKNOWN, its name as the display.
            display = display or data_type.lower()
            data_type = m.Column.DataType.UNKNOWN
        specs.append(
            assets.ColumnSpec(
                name=column.string("name", required=True),
                data_type=data_type,
                data_type_display=display,
                display_name=column.string("displayName"),
                description=column.string("description"),
                tags=bodies.tag_labels(column, known=known_tags),
            )
        )
    return {"columns": specs}


class DatabaseKind(Kind):
    type = "database"
    filters = {"service": ("databaseService", "service")}
    converters = {**_COMMON, "owners": _owners, "tags": _checked_only(_tags)}

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_database(parent, name, actor, expected_version=expected_version, **values)


class DatabaseSchemaKind(Kind):
    type = "databaseSchema"
    filters = {"database": ("database", "database")}
    converters = {**_COMMON, "owners": _owners, "tags": _checked_only(_tags)}

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_schema(parent, name, actor, expected_version=expected_version, **values)


class TableKind(Kind):
    type = "table"
    filters = {"database": ("database", "schema__database"), "databaseSchema": ("databaseSchema", "schema")}
    converters = {
        **_COMMON,
        "tableType": lambda body, entity: {"table_type": body.choice("tableType", schema.TABLE_TYPES) or "Regular"},
        "columns": _columns,
        "owners": _owners,
        "tags": _tags,
    }

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_table(parent, name, actor, expected_version=expected_version, **values)


def _refuse_children(key, child_type):
    def check(body, entity):
        items = body.items(key)
        if items:
            first = items[0] if isinstance(items[0], str) else (items[0] or {}).get("fullyQualifiedName")
            raise not_found(f"{child_type} instance for {first} not found")
        return {}

    return check


class DashboardKind(Kind):
    type = "dashboard"
    filters = {"service": ("dashboardService", "service")}
    converters = {
        **_COMMON,
        "sourceUrl": _text("sourceUrl", "source_url"),
        "dashboardType": lambda body, entity: {
            "dashboard_type": body.choice("dashboardType", schema.DASHBOARD_TYPES) or "Dashboard"
        },
        "owners": _owners,
        "tags": _tags,
        "charts": _refuse_children("charts", "chart"),
        "dataModels": _refuse_children("dataModels", "dashboardDataModel"),
    }

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_dashboard(parent, name, actor, expected_version=expected_version, **values)


# -- Services --------------------------------------------------------------------------------------------------------


def _connection(body, entity):
    """The connection as sent: a mask sent back where a secret was keeps it (the model's save does)."""
    connection = body.object("connection")
    if connection is None:
        return {}
    connection.check_keys({"config"})
    connection.object("config")  # an object (or null), as OpenMetadata's connection schemas have it
    return {"connection": connection.data}


class ServiceKind(Kind):
    service_types: tuple = ()
    kept_when_absent = {"connection"}

    @property
    def converters(self):
        return {
            **_COMMON,
            "serviceType": lambda body, entity: {
                "service_type": body.choice("serviceType", self.service_types, required=True)
            },
            "connection": _connection,
            "owners": _checked_only(_owners),
            "tags": _checked_only(_tags),
        }

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_service(self.model, name, actor, expected_version=expected_version, **values)


class MlModelServiceKind(ServiceKind):
    type = "mlmodelService"
    service_types = tuple(m.MlModelService.ServiceType.values)


class DatabaseServiceKind(ServiceKind):
    type = "databaseService"
    service_types = schema.DATABASE_SERVICE_TYPES


class DashboardServiceKind(ServiceKind):
    type = "dashboardService"
    service_types = schema.DASHBOARD_SERVICE_TYPES


# -- People and tags -------------------------------------------------------------------------------------------------


class UserKind(Kind):
    type = "user"
    name_field = "username"
    converters = {
        **_COMMON,
        "email": lambda body, entity: {"email": body.string("email", required=entity is None)},
        "isBot": lambda body, entity: {"is_bot": body.boolean("isBot")},
        "teams": lambda body, entity: {"teams": bodies.teams(body, "teams")},
    }

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_user(name, actor, expected_version=expected_version, **values)


class TeamKind(Kind):
    type = "team"
    converters = {
        **_COMMON,
        "teamType": lambda body, entity: {"team_type": body.choice("teamType", m.Team.TeamType.values) or "Group"},
        "email": lambda body, entity: {"email": body.string("email")},
        "users": lambda body, entity: {"users": bodies.users(body, "users")},
    }

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_team(name, actor, expected_version=expected_version, **values)


class ClassificationKind(Kind):
    type = "classification"
    converters = {
        **_COMMON,
        "mutuallyExclusive": lambda body, entity: {"mutually_exclusive": body.boolean("mutuallyExclusive")},
    }

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_classification(name, actor, expected_version=expected_version, **values)


def _no_nested_tags(body, entity):
    if body.has("parent"):
        raise bad_request("parent: nested tags are not supported; give the classification only")
    return {}


class TagKind(Kind):
    type = "tag"
    filters = {"parent": ("classification", "classification")}
    converters = {**_COMMON, "parent": _no_nested_tags}

    def save(self, parent, name, actor, expected_version, values):
        return assets.save_tag(parent, name, actor, expected_version=expected_version, **values)


KINDS = {
    kind.type: kind
    for kind in (
        MlModelKind(),
        TableKind(),
        DatabaseKind(),
        DatabaseSchemaKind(),
        DashboardKind(),
        MlModelServiceKind(),
        DatabaseServiceKind(),
        DashboardServiceKind(),
        UserKind(),
        TeamKind(),
        ClassificationKind(),
        TagKind(),
    )
}
