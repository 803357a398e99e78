"""Every entity type, declared once: what the API, representations, documents and lineage know of it.

A module that needs to know something per entity type reads it here rather
than keeping its own table keyed by type, so adding a type (or a field) is
one declaration plus what ``docs/adding-an-entity-type.md`` names. Door
knowledge only one door needs (the API's JSON converters, OpenMetadata's key
sets) stays in that door, keyed by these types.
"""

from dataclasses import dataclass, field

from catalog import models as m
from catalog import representations as r

_TEXT = {"display_name": 256, "description": None}
#: :attr:`EntityType.lineage` of a node OpenMetadata's ``/lineage`` serves too, and of one inside another entity.
ENTITY_GRAIN, PART = "entity", "part"
_SERVICE_RELATIONS = frozenset({"owners", "tags", "followers", "domains", "pipelines"})


@dataclass(frozen=True)
class EntityType:
    """One entity type: its model, its OpenMetadata names, and how each layer treats it."""

    #: OpenMetadata's type name (``entity_type`` of the model).
    type: str
    model: type
    #: Path of the API collection under ``/api/v1/``; None for types the API serves only inside others.
    collection: str | None = None
    #: Attribute naming the parent (its FQN is the parent's plus the name); None: the FQN is the name alone.
    parent: str | None = None
    parent_type: str | None = None
    #: The request key that names the parent by FQN in a create request.
    parent_key: str | None = None
    #: Reverse relation of the entities this one contains, which a delete reaches.
    children: str | None = None
    #: Relation fields of the representation, sent only when asked for with ``fields``.
    relation_fields: frozenset = frozenset()
    #: ``representer(obj, fields, base)`` returning the OpenMetadata shape.
    representer: object = None
    #: A function returning the queryset whose rows the representer reads in a fixed number of queries.
    queryset: object = None
    #: Plain text attributes the write path takes, with their length limits (None: unlimited).
    text_fields: dict = field(default_factory=dict)
    #: Writable attributes holding a URL (the write path checks each is one).
    url_fields: frozenset = frozenset()
    #: Other writable attributes (JSON, booleans) and relations.
    other_fields: frozenset = frozenset()
    owned: bool = False
    followable: bool = False
    #: An account (who signs in, holds a role, belongs to a team): only administrators change it.
    account: bool = False
    #: Whether ML-model documents show something of it (so writing it refreshes them).
    shown_in_documents: bool = False
    #: Whether API reads come from stored documents (``catalog.documents``) instead of being rebuilt.
    stored_documents: bool = False
    #: How lineage knows it: :data:`ENTITY_GRAIN` (OpenMetadata's ``/lineage`` serves it too), :data:`PART`
    #: (a node inside another entity, ModelAtlas's finer grain), or None (no lineage node).
    lineage: str | None = None
    #: URL name of its page (pages reverse it with the entity's id); None: no page of its own.
    page: str | None = None

    @property
    def lineage_node(self) -> bool:
        """Whether lineage diagrams draw it as a node."""
        return self.lineage is not None

    @property
    def word(self) -> str:
        """The type in words, for labels and headings: its model's verbose name ("ML model")."""
        return str(self.model._meta.verbose_name)

    @property
    def writable(self) -> frozenset:
        """Every attribute and relation the write path takes."""
        return frozenset(self.text_fields) | self.url_fields | self.other_fields

    @property
    def flat(self) -> bool:
        """Whether the FQN is the name alone (so a dotted name may come quoted or not)."""
        return self.parent is None

    def rows(self):
        """Return every row, with what :attr:`representer` reads fetched in a constant number of queries."""
        return self.queryset() if self.queryset is not None else self.model.objects.all()


def _service(type_, model, collection, children, *, shown_in_documents=False):
    return EntityType(
        type_,
        model,
        collection,
        children=children,
        relation_fields=_SERVICE_RELATIONS,
        representer=r.service,
        text_fields={**_TEXT, "service_type": 64},
        other_fields=frozenset({"connection"}),
        shown_in_documents=shown_in_documents,
    )


_DATA_ASSET = frozenset(
    {"owners", "tags", "followers", "extension", "domains", "dataProducts", "votes", "usageSummary"}
)

TYPES = {
    t.type: t
    for t in (
        EntityType(
            "mlmodel",
            m.MlModel,
            "mlmodels",
            parent="service",
            parent_type="mlmodelService",
            parent_key="service",
            relation_fields=_DATA_ASSET | {"dashboard", "sourceHash"},
            representer=r.mlmodel,
            queryset=r.mlmodels_queryset,
            text_fields={
                **_TEXT,
                "algorithm": 256,
                "target": 256,
                "ml_store_storage": 2048,
                "ml_store_image": 2048,
                **{name: (16 if name == "card_risk_rating" else None) for name in m.CARD_FIELDS},
            },
            url_fields=frozenset({"server", "source_url"}),
            other_fields=frozenset({"owners", "tags", "followers", "dashboard", "features", "hyperparameters"}),
            owned=True,
            followable=True,
            stored_documents=True,
            lineage=ENTITY_GRAIN,
            page="mlmodel",
        ),
        EntityType(
            "table",
            m.Table,
            "tables",
            parent="schema",
            parent_type="databaseSchema",
            parent_key="databaseSchema",
            relation_fields=_DATA_ASSET | {"columns"},
            representer=r.table,
            queryset=lambda: m.Table.objects.select_related("schema__database__service").prefetch_related(
                "owner_users",
                "owner_teams",
                "tags",
                r.Prefetch("columns", queryset=m.Column.objects.prefetch_related("tags")),
            ),
            text_fields={**_TEXT, "table_type": 32},
            other_fields=frozenset({"owners", "tags", "columns"}),
            owned=True,
            shown_in_documents=True,
            lineage=ENTITY_GRAIN,
            page="table",
        ),
        EntityType(
            "database",
            m.Database,
            "databases",
            parent="service",
            parent_type="databaseService",
            parent_key="service",
            children="schemas",
            relation_fields=frozenset(
                {"owners", "tags", "followers", "domains", "extension", "usageSummary", "databaseSchemas"}
            ),
            representer=r.database,
            queryset=lambda: m.Database.objects.select_related("service").prefetch_related(
                "owner_users", "owner_teams"
            ),
            text_fields=_TEXT,
            other_fields=frozenset({"owners"}),
            owned=True,
        ),
        EntityType(
            "databaseSchema",
            m.DatabaseSchema,
            "databaseSchemas",
            parent="database",
            parent_type="database",
            parent_key="database",
            children="tables",
            relation_fields=frozenset(
                {"owners", "tags", "followers", "domains", "extension", "usageSummary", "tables"}
            ),
            representer=r.database_schema,
            queryset=lambda: m.DatabaseSchema.objects.select_related("database__service").prefetch_related(
                "owner_users", "owner_teams"
            ),
            text_fields=_TEXT,
            other_fields=frozenset({"owners"}),
            owned=True,
        ),
        EntityType(
            "dashboard",
            m.Dashboard,
            "dashboards",
            parent="service",
            parent_type="dashboardService",
            parent_key="service",
            relation_fields=_DATA_ASSET | {"charts"},
            representer=r.dashboard,
            queryset=lambda: m.Dashboard.objects.select_related("service").prefetch_related(
                "owner_users", "owner_teams", "tags"
            ),
            text_fields={**_TEXT, "dashboard_type": 32},
            url_fields=frozenset({"source_url"}),
            other_fields=frozenset({"owners", "tags"}),
            owned=True,
            shown_in_documents=True,
            lineage=ENTITY_GRAIN,
            page="dashboard",
        ),
        _service("mlmodelService", m.MlModelService, "services/mlmodelServices", "mlmodels", shown_in_documents=True),
        _service("databaseService", m.DatabaseService, "services/databaseServices", "databases"),
        _service("dashboardService", m.DashboardService, "services/dashboardServices", "dashboards"),
        EntityType(
            "user",
            m.User,
            "users",
            relation_fields=frozenset(
                {"teams", "roles", "owns", "follows", "domains", "profile", "personas", "defaultPersona"}
            ),
            representer=r.user,
            queryset=lambda: m.User.objects.prefetch_related("teams"),
            text_fields={**_TEXT, "email": 254},
            other_fields=frozenset({"is_bot", "teams"}),
            account=True,
            shown_in_documents=True,
            page="user",
        ),
        EntityType(
            "team",
            m.Team,
            "teams",
            relation_fields=frozenset(
                {"users", "owners", "parents", "children", "defaultRoles", "domains", "owns", "policies", "profile"}
            ),
            representer=r.team,
            queryset=lambda: m.Team.objects.prefetch_related("users"),
            text_fields={**_TEXT, "team_type": 32, "email": 254},
            other_fields=frozenset({"users"}),
            account=True,
            shown_in_documents=True,
            page="team",
        ),
        EntityType(
            "classification",
            m.Classification,
            "classifications",
            children="tags",
            relation_fields=frozenset({"usageCount", "termCount"}),
            representer=r.classification,
            text_fields=_TEXT,
            other_fields=frozenset({"mutually_exclusive"}),
        ),
        EntityType(
            "tag",
            m.Tag,
            "tags",
            parent="classification",
            parent_type="classification",
            parent_key="classification",
            relation_fields=frozenset({"usageCount", "children"}),
            representer=r.tag,
            queryset=lambda: m.Tag.objects.select_related("classification"),
            text_fields=_TEXT,
            shown_in_documents=True,
            page="tag",
        ),
        # Lineage nodes inside other entities: the API serves them only within their table or model.
        EntityType("column", m.Column, parent="table", parent_type="table", lineage=PART, page="column"),
        EntityType("mlfeature", m.MlFeature, parent="model", parent_type="mlmodel", lineage=PART),
        # A registered model version: written through catalog.services.modelversions, served by the API under its
        # model; in lineage, a node inside its model that its training and evaluation data feed.
        EntityType(
            "modelVersion",
            m.ModelVersion,
            parent="model",
            parent_type="mlmodel",
            lineage=PART,
            page="model_version_by_id",
        ),
    )
}

#: The types with an API collection of their own.
COLLECTED = {name: t for name, t in TYPES.items() if t.collection is not None}
_BY_MODEL = {t.model: t for t in TYPES.values()}


def of(model_or_entity) -> EntityType:
    """Return the declaration of a model class or of one of its instances."""
    model = model_or_entity if isinstance(model_or_entity, type) else type(model_or_entity)
    return _BY_MODEL[model]
