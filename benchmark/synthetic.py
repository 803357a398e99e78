"""A synthetic catalogue of any size, for the benchmark and for scale tests.

``generate(Scale(), seed=1)`` fills an empty catalogue with users, teams, tags,
services, tables with columns, dashboards and ML models with features,
feature sources, hyperparameters, owners, followers, a model card (complete,
partial or empty), three model versions with ten metrics each, training and
evaluation datasets, aliases and an approved production version, a few
history versions each and their lineage. The same seed gives the same
catalogue.

Rows go in by bulk (PostgreSQL's COPY; ``bulk_create`` elsewhere), yet they
are what the one write path (``catalog.services``) would have stored:

* FQNs and their hashes come from the models' own ``refresh_fqn`` and
  ``fqn_parts``; column ids from ``column_id``.
* Every model is built in memory as Django instances whose relations are
  pre-filled, so ``representations.snapshot`` renders it exactly as it
  renders a stored model. Its history is made by changing that instance in
  steps and recording each step with the rules of ``changes.record``:
  ``describe`` of the two snapshots, ``next_version`` (major when
  ``is_major`` says so), the superseded snapshot kept as an ``EntityVersion``.
* Lineage edges are ``lineage.sync.derived_edges`` of the same instances,
  and ``lineage.sync.dataset_edges`` of their model versions' datasets.
* Stored API documents (and their search words) are ``catalog.documents.build``
  of the same instances in their final state.

Nothing sends ``entity_written``: every receiver of it must be mirrored
here (today lineage sync, through ``derived_edges``; the documents, through
``documents.build``; the exposure memo, through ``lineage.memo.renew``).
"""

import bisect
import itertools
import json
import random
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import connection, models, transaction

from catalog import documents, fqn, representations
from catalog.models import (
    Classification,
    Column,
    Dashboard,
    DashboardService,
    Database,
    DatabaseSchema,
    DatabaseService,
    FeatureSource,
    LifecycleStatus,
    MlFeature,
    MlHyperParameter,
    MlModel,
    MlModelDocument,
    MlModelService,
    ModelAlias,
    ModelMetric,
    ModelVersion,
    ModelVersionDataset,
    ModelVersionReview,
    RiskRating,
    Table,
    Tag,
    Team,
    User,
    column_id,
)
from catalog.models.versions import EntityVersion
from catalog.services.changes import FIRST_VERSION, next_version
from catalog.services.describe import describe, has_changes, is_major
from catalog.services.modelversions import gated
from lineage import memo
from lineage.models import Edge
from lineage.sync import DERIVED, FROM_MODEL_VERSIONS, dataset_edges, derived_edges

#: Who the generator records as ``updatedBy`` of what nobody in particular made.
GENERATOR = "synthetic-generator"
#: Every timestamp is an offset from this instant, so a seed fixes them too.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scale:
    """How much to generate. The defaults are the 10,000-model benchmark catalogue."""

    models: int = 10_000
    features_per_model: int = 20
    sources_per_feature: int = 2
    tables: int = 5_000
    columns_per_table: int = 20
    users: int = 1_000
    teams: int = 200
    dashboards: int = 500
    #: Share of columns and of models that carry tags.
    tagged_share: float = 0.10

    def scaled(self, factor: float) -> "Scale":
        """Return this scale with every count (not the per-parent ones) multiplied by ``factor``."""
        counts = ("models", "tables", "users", "teams", "dashboards")
        return replace(self, **{name: max(1, round(getattr(self, name) * factor)) for name in counts})

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class CatalogueNotEmpty(Exception):
    """The generator only fills an empty catalogue (flush the database first)."""


# -- Vocabulary ---------------------------------------------------------------------------------------------------------

DOMAINS = [
    "churn",
    "fraud",
    "credit",
    "pricing",
    "demand",
    "recommendation",
    "marketing",
    "risk",
    "retention",
    "supply",
    "claims",
    "support",
    "ads",
    "search",
    "logistics",
    "payments",
]
PURPOSES = [
    "prediction",
    "scoring",
    "forecast",
    "classifier",
    "ranker",
    "detector",
    "propensity",
    "segmentation",
    "uplift",
    "anomaly",
]
TARGETS = {
    "churn": "churned",
    "fraud": "is_fraud",
    "credit": "default_flag",
    "pricing": "price",
    "demand": "quantity",
    "recommendation": "clicked",
    "marketing": "converted",
    "risk": "loss_amount",
    "retention": "retained_90d",
    "supply": "lead_time_days",
    "claims": "claim_amount",
    "support": "escalated",
    "ads": "ctr",
    "search": "relevance",
    "logistics": "delivery_days",
    "payments": "chargeback",
}
TABLE_NOUNS = [
    "customers",
    "transactions",
    "orders",
    "sessions",
    "events",
    "accounts",
    "claims",
    "loans",
    "products",
    "payments",
    "clicks",
    "inventory",
    "shipments",
    "tickets",
]
#: Hyperparameters per algorithm: (name, first value, value after tuning).
ALGORITHMS = {
    "XGBoost": [
        ("max_depth", "6", "8"),
        ("eta", "0.3", "0.1"),
        ("n_estimators", "100", "400"),
        ("subsample", "1.0", "0.8"),
        ("colsample_bytree", "1.0", "0.8"),
        ("min_child_weight", "1", "3"),
    ],
    "LightGBM": [
        ("num_leaves", "31", "63"),
        ("learning_rate", "0.1", "0.05"),
        ("n_estimators", "100", "500"),
        ("feature_fraction", "1.0", "0.9"),
        ("bagging_fraction", "1.0", "0.8"),
    ],
    "RandomForest": [
        ("n_estimators", "100", "300"),
        ("max_depth", "None", "12"),
        ("min_samples_leaf", "1", "5"),
        ("max_features", "sqrt", "0.5"),
    ],
    "LogisticRegression": [("C", "1.0", "0.3"), ("penalty", "l2", "l1"), ("solver", "lbfgs", "saga")],
    "NeuralNetwork": [
        ("hidden_layers", "2", "3"),
        ("units", "64", "128"),
        ("dropout", "0.0", "0.2"),
        ("learning_rate", "0.001", "0.0003"),
        ("epochs", "10", "30"),
        ("batch_size", "256", "512"),
    ],
    "CatBoost": [
        ("depth", "6", "8"),
        ("learning_rate", "0.03", "0.05"),
        ("iterations", "1000", "1500"),
        ("l2_leaf_reg", "3", "5"),
    ],
    "ARIMA": [("p", "1", "2"), ("d", "1", "1"), ("q", "0", "1")],
    "KMeans": [("n_clusters", "8", "12"), ("init", "k-means++", "random"), ("n_init", "10", "20")],
}
#: Column vocabulary: name, column data type, feature source data type. ``*`` marks personal data.
COLUMNS = [
    ("customer_id", "BIGINT", "integer"),
    ("account_id", "BIGINT", "integer"),
    ("order_id", "BIGINT", "integer"),
    ("product_id", "BIGINT", "integer"),
    ("merchant_id", "BIGINT", "integer"),
    ("store_id", "INT", "integer"),
    ("session_id", "STRING", "string"),
    ("gender*", "STRING", "string"),
    ("birth_date*", "DATE", "date"),
    ("email*", "STRING", "string"),
    ("phone_number*", "STRING", "string"),
    ("postal_code*", "STRING", "string"),
    ("income", "DOUBLE", "number"),
    ("credit_score", "INT", "integer"),
    ("tenure_months", "INT", "integer"),
    ("txn_amount", "DECIMAL", "number"),
    ("txn_count", "INT", "integer"),
    ("balance", "DOUBLE", "number"),
    ("last_login_at", "TIMESTAMP", "timestamp"),
    ("signup_date", "DATE", "date"),
    ("country", "STRING", "string"),
    ("city", "STRING", "string"),
    ("device_type", "STRING", "string"),
    ("channel", "STRING", "string"),
    ("plan_type", "STRING", "string"),
    ("monthly_charges", "DOUBLE", "number"),
    ("total_charges", "DOUBLE", "number"),
    ("num_complaints", "INT", "integer"),
    ("num_support_calls", "INT", "integer"),
    ("days_since_last_order", "INT", "integer"),
    ("basket_size", "INT", "integer"),
    ("discount_rate", "DOUBLE", "number"),
    ("price", "DECIMAL", "number"),
    ("quantity", "INT", "integer"),
    ("category", "STRING", "string"),
    ("brand", "STRING", "string"),
    ("rating", "FLOAT", "number"),
    ("clicks", "BIGINT", "integer"),
    ("impressions", "BIGINT", "integer"),
    ("conversion_rate", "DOUBLE", "number"),
    ("page_views", "INT", "integer"),
    ("dwell_time_s", "DOUBLE", "number"),
    ("returns_count", "INT", "integer"),
    ("delivery_days", "INT", "integer"),
    ("inventory_level", "INT", "integer"),
    ("lead_time_days", "INT", "integer"),
    ("weather_temp", "FLOAT", "number"),
    ("holiday_flag", "BOOLEAN", "boolean"),
    ("promo_flag", "BOOLEAN", "boolean"),
    ("claim_amount", "DECIMAL", "number"),
    ("policy_age_months", "INT", "integer"),
    ("loan_amount", "DECIMAL", "number"),
    ("interest_rate", "DOUBLE", "number"),
    ("debt_to_income", "DOUBLE", "number"),
    ("created_at", "TIMESTAMP", "timestamp"),
    ("merchant_category", "STRING", "string"),
    ("currency", "STRING", "string"),
    ("segment", "STRING", "string"),
    ("risk_rating", "STRING", "string"),
    ("employment_length", "INT", "integer"),
]
AGGREGATES = ["", "_avg_30d", "_sum_90d", "_count_7d", "_max_30d", "_log", "_bucket", "_zscore", "_lag_1", "_ratio"]
FEATURE_ALGORITHMS = ["", "", "mean", "count", "bucketize", "one-hot", "log", "standardize"]
FIRST_NAMES = [
    "alice",
    "bob",
    "carol",
    "dan",
    "erin",
    "farah",
    "gus",
    "hana",
    "ivan",
    "jia",
    "kofi",
    "lena",
    "mateo",
    "nadia",
    "omar",
    "priya",
    "quinn",
    "rosa",
    "sven",
    "tariq",
    "uma",
    "vik",
    "wen",
    "xena",
    "yusuf",
    "zoe",
]
LAST_NAMES = [
    "martin",
    "okafor",
    "nguyen",
    "kowalski",
    "sato",
    "haddad",
    "berg",
    "ito",
    "petrov",
    "li",
    "mensah",
    "novak",
    "garcia",
    "rahman",
    "aziz",
    "patel",
    "reilly",
    "silva",
    "larsen",
    "khan",
    "iyer",
    "mehta",
    "wang",
    "moreau",
    "demir",
    "fischer",
]
#: Names whose FQN needs quoting or whose text needs escaping; a few models carry them.
AWKWARD = ["{}.v2.{}", '{} "quoted" {}', "{} <b>bold</b> & {}", "{} ✓ μοντέλο {}", "{} back\\slash {}"]
#: One model and one table in this many gets an awkward name, starting with number AWKWARD_FIRST.
AWKWARD_EVERY, AWKWARD_FIRST = 200, 7
#: The metrics every model version reports, by kind of target: (name, higher is better, worst, best).
#: Names are lowercase letters and digits, so the database's collation sorts them as Python does.
CLASSIFICATION_METRICS = [
    ("accuracy", True, 0.6, 0.97),
    ("auc", True, 0.6, 0.98),
    ("brier", False, 0.25, 0.04),
    ("f1", True, 0.4, 0.92),
    ("logloss", False, 0.69, 0.12),
    ("mcc", True, 0.2, 0.85),
    ("prauc", True, 0.3, 0.9),
    ("precision", True, 0.4, 0.95),
    ("recall", True, 0.4, 0.93),
    ("specificity", True, 0.6, 0.98),
]
REGRESSION_METRICS = [
    ("evs", True, 0.3, 0.95),
    ("mae", False, 40.0, 4.0),
    ("mape", False, 0.45, 0.05),
    ("maxerror", False, 900.0, 120.0),
    ("medae", False, 30.0, 3.0),
    ("msle", False, 0.8, 0.05),
    ("r2", True, 0.3, 0.95),
    ("rmse", False, 60.0, 6.0),
    ("rmsle", False, 0.9, 0.2),
    ("smape", False, 0.5, 0.06),
]
REGRESSION_TARGETS = {"price", "quantity", "loss_amount", "lead_time_days", "claim_amount", "ctr", "delivery_days"}
#: Where the metrics were measured.
METRIC_SPLIT = "test"
#: Who approved what: one user in this many may approve any model's versions (owners approve their own).
APPROVER_EVERY = 20
#: Shares of models whose card is complete, and whose card has some sections (the rest have none).
COMPLETE_CARDS, PARTIAL_CARDS = 0.4, 0.35
#: Share of models whose challenger waits for approval to enter production.
REQUESTED_SHARE = 0.25


# -- Writing rows in bulk -------------------------------------------------------------------------------------------------


class RowWriter:
    """Queue model instances and insert them in batches, in one transaction with the caller.

    PostgreSQL gets ``COPY ... FROM STDIN`` (several times faster than
    INSERT); other databases get ``bulk_create``. Neither calls ``save()``:
    callers fill in what ``save()`` would (FQNs, column ids).
    """

    def __init__(self, batch_size: int = 20_000):
        self.batch_size = batch_size
        self.pending: dict[type, list] = defaultdict(list)
        self.counts: Counter = Counter()
        self.explicit_ids: set[type] = set()
        self.defaults: dict[type, dict] = {}
        self.copy = connection.vendor == "postgresql"

    def add(self, obj) -> None:
        self._queue(type(obj), obj)

    def add_row(self, model, **values) -> None:
        """Queue a row given as field values (defaults for the rest), without building a model instance.

        For rows nothing reads back (lineage edges): a Django instance costs
        more than the row itself when there are hundreds of thousands.
        """
        defaults = self.defaults.get(model)
        if defaults is None:
            defaults = self.defaults[model] = {
                f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key
            }
        self._queue(model, SimpleNamespace(**{**defaults, model._meta.pk.attname: None, **values}))

    def _queue(self, model, row) -> None:
        rows = self.pending[model]
        rows.append(row)
        if len(rows) >= self.batch_size:
            self.flush(model)

    def flush(self, model=None) -> None:
        for each in [model] if model is not None else list(self.pending):
            rows = self.pending.pop(each, [])
            if not rows:
                continue
            self.counts[each._meta.label] += len(rows)
            if self.copy:
                self._copy(each, rows)
            else:
                instances = [each(**vars(r)) if isinstance(r, SimpleNamespace) else r for r in rows]
                each.objects.bulk_create(instances, batch_size=500)

    def close(self) -> None:
        """Write what is queued and move id sequences past ids that were given explicitly."""
        self.flush()
        if self.explicit_ids:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), sorted(self.explicit_ids, key=str)):
                    cursor.execute(sql)

    def _copy(self, model, rows) -> None:
        auto_pk = isinstance(model._meta.pk, (models.AutoField, models.BigAutoField))
        given_pk = getattr(rows[0], model._meta.pk.attname) is not None
        columns = [f for f in model._meta.concrete_fields if not (auto_pk and f.primary_key and not given_pk)]
        if auto_pk and given_pk:
            self.explicit_ids.add(model)
        converters = [_json_text if isinstance(f, models.JSONField) else None for f in columns]
        attnames = [f.attname for f in columns]
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            pairs = list(zip(attnames, converters, strict=False))
            for obj in rows:
                copy.write_row([convert(getattr(obj, a)) if convert else getattr(obj, a) for a, convert in pairs])


def _json_text(value):
    return None if value is None else json.dumps(value, ensure_ascii=False)


def prefill(obj, **relations) -> None:
    """Give an in-memory instance its related rows, as ``prefetch_related`` would.

    ``representations`` reads relations through ``.all()``, which returns a
    prefetched cache when there is one: this is what lets a model that is not
    stored yet be snapshotted exactly like a stored one.
    """
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.update(relations)


def through_row(field, source, target):
    """Return the row linking ``source`` to ``target`` through many-to-many ``field``."""
    through = field.remote_field.through
    return through(**{f"{field.m2m_field_name()}_id": source.pk, f"{field.m2m_reverse_field_name()}_id": target.pk})


# -- The generator --------------------------------------------------------------------------------------------------------


@dataclass
class ModelPlan:
    """What one model looks like at the end, and the steps that bring it there."""

    model: MlModel
    features: list
    hyperparameters_first: list
    hyperparameters_final: list
    owners: list
    followers: list
    tags: list
    dashboard: Dashboard | None
    description: str
    first_algorithm: str
    #: The history steps besides "documented": a feature added, hyperparameters tuned, a new algorithm.
    adds_last_feature: bool
    tunes: bool
    algorithm_changes: bool
    creator: User
    owner_name: str
    #: Card sections written when the model is documented (attribute -> text).
    card: dict
    #: Versions 1, 2, 3 in their final state, without the aliases and reviews the history steps give them.
    versions: list
    #: Who approves version 2 into production: an owner of the model or an approver.
    approver: User
    #: Whether version 3 (the challenger) waits for approval to enter production.
    requested: bool


class Generator:
    """Builds the catalogue in dependency order, every choice drawn from one seeded random generator."""

    def __init__(self, scale: Scale, seed: int, writer: RowWriter, progress=None):
        self.scale, self.rng, self.writer = scale, random.Random(seed), writer
        self.progress = progress or (lambda message: None)
        # Sources get their ids here: an unsaved row has no many-to-many manager to snapshot its tags.
        self.next_source_id = (FeatureSource.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1
        # Datasets too: their columns are linked through rows naming them.
        self.next_dataset_id = (ModelVersionDataset.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1

    # ids and times, all from the seed
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    @staticmethod
    def at(minutes: float) -> datetime:
        return EPOCH + timedelta(minutes=minutes)

    def stamp(self, entity, when: datetime, by: str = GENERATOR):
        """Fill what ``changes.create`` fills: version 0.1, who and when, and the FQN."""
        entity.version = FIRST_VERSION
        entity.updated_at = when
        entity.updated_by = by
        entity.deleted = False
        entity.change_description = None
        if hasattr(entity, "refresh_fqn"):
            entity.refresh_fqn()
        return entity

    def run(self) -> None:
        self.people()
        self.tags()
        self.services()
        self.tables()
        self.dashboards()
        self.mlmodels()
        self.writer.close()

    def people(self) -> None:
        self.users = []
        for i in range(self.scale.users):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            user = User(
                id=self.uuid(),
                username=f"{first}.{last}{i}",
                first_name=first.title(),
                last_name=last.title(),
                display_name=f"{first.title()} {last.title()}",
                email=f"{first}.{last}{i}@example.com",
                role=User.Role.EDITOR if self.rng.random() < 0.2 else User.Role.VIEWER,
                is_approver=i % APPROVER_EVERY == 0,
                is_active=True,
                # An unusable password ("!" prefix): synthetic people never sign in.
                password=f"!synthetic{self.rng.getrandbits(64):016x}",
                date_joined=self.at(i),
            )
            self.writer.add(self.stamp(user, self.at(i)))
            self.users.append(user)
        self.approvers = [u for u in self.users if u.is_approver]
        self.teams = []
        members_field = Team._meta.get_field("users")
        for i in range(self.scale.teams):
            domain = DOMAINS[i % len(DOMAINS)]
            team = Team(
                id=self.uuid(),
                name=f"{domain}-team-{i}",
                display_name=f"{domain.title()} team {i}",
                team_type=Team.TeamType.GROUP,
                email=f"{domain}-team-{i}@example.com",
            )
            self.writer.add(self.stamp(team, self.at(i)))
            for user in self.rng.sample(self.users, min(len(self.users), self.rng.randint(3, 8))):
                self.writer.add(through_row(members_field, team, user))
            self.teams.append(team)
        self.progress(f"{len(self.users)} users, {len(self.teams)} teams")

    def tags(self) -> None:
        families = {
            "PII": ("Personally identifiable information", ["Sensitive", "NonSensitive"]),
            "Tier": ("How critical an asset is to the business", ["Tier1", "Tier2", "Tier3", "Tier4", "Tier5"]),
            "Domain": ("Business domain", [d.title() for d in DOMAINS[:8]]),
        }
        self.tag = {}
        for name, (description, tag_names) in families.items():
            classification = self.stamp(Classification(id=self.uuid(), name=name, description=description), EPOCH)
            self.writer.add(classification)
            for tag_name in tag_names:
                tag = self.stamp(Tag(id=self.uuid(), classification=classification, name=tag_name), EPOCH)
                self.writer.add(tag)
                self.tag[f"{name}.{tag_name}"] = tag
        self.sensitive = self.tag["PII.Sensitive"]
        self.plain_tags = [t for fqn, t in self.tag.items() if not fqn.startswith("PII.")]

    def services(self) -> None:
        self.schemas = []
        for _s, (name, kind) in enumerate(
            [
                ("warehouse", "Snowflake"),
                ("lakehouse", "Databricks"),
                ("operational", "Postgres"),
                ("marketing-dwh", "BigQuery"),
            ]
        ):
            service = self.stamp(DatabaseService(id=self.uuid(), name=name, service_type=kind), EPOCH)
            self.writer.add(service)
            for d in range(2):
                database = self.stamp(Database(id=self.uuid(), service=service, name=f"{name}_db{d}"), EPOCH)
                self.writer.add(database)
                for schema_name in ("raw", "staging", "core", "features", "reporting"):
                    schema = self.stamp(DatabaseSchema(id=self.uuid(), database=database, name=schema_name), EPOCH)
                    self.writer.add(schema)
                    self.schemas.append(schema)
        self.ml_services = []
        for name, kind in [
            ("mlflow-prod", "Mlflow"),
            ("sagemaker-eu", "SageMaker"),
            ("vertex-us", "VertexAI"),
            ("sklearn-batch", "Sklearn"),
            ("custom-serving", "CustomMlModel"),
        ]:
            service = self.stamp(MlModelService(id=self.uuid(), name=name, service_type=kind), EPOCH)
            self.writer.add(service)
            self.ml_services.append(service)
        self.dashboard_services = []
        for name, kind in [("superset", "Superset"), ("looker", "Looker")]:
            service = self.stamp(DashboardService(id=self.uuid(), name=name, service_type=kind), EPOCH)
            self.writer.add(service)
            self.dashboard_services.append(service)

    def tables(self) -> None:
        owners_field = Table._meta.get_field("owner_teams")
        table_tags = Table._meta.get_field("tags")
        column_tags = Column._meta.get_field("tags")
        self.table_list = []
        #: Each table's columns in order, and the feature-source data type each column reads as.
        self.columns_of, self.source_type = {}, {}
        per_table = min(self.scale.columns_per_table, len(COLUMNS))
        for i in range(self.scale.tables):
            domain, noun = self.rng.choice(DOMAINS), self.rng.choice(TABLE_NOUNS)
            name = f"{domain}_{noun}_{i:04d}"
            if i % AWKWARD_EVERY == AWKWARD_FIRST:
                name = self.rng.choice(AWKWARD).format(noun, i)
            table = Table(
                id=self.uuid(),
                schema=self.rng.choice(self.schemas),
                name=name,
                description=f"{noun.title()} of the {domain} domain.",
            )
            self.writer.add(self.stamp(table, self.at(i)))
            if self.rng.random() < 0.5:
                self.writer.add(through_row(owners_field, table, self.rng.choice(self.teams)))
            if self.rng.random() < self.scale.tagged_share:
                self.writer.add(through_row(table_tags, table, self.rng.choice(self.plain_tags)))
            table_columns = []
            for position, (spec, data_type, source_type) in enumerate(self.rng.sample(COLUMNS, per_table)):
                column_name = spec.rstrip("*")
                column = Column(
                    id=column_id(table.id, column_name),
                    table=table,
                    position=position,
                    name=column_name,
                    data_type=data_type,
                )
                # What Column.save() stores.
                column.fqn = fqn.build(*table.fqn_parts(), column_name)  # what Column.save() stores
                self.source_type[column.id] = source_type
                self.writer.add(column)
                if self.rng.random() < self.scale.tagged_share:
                    tag = (
                        self.sensitive
                        if spec.endswith("*")
                        else self.rng.choice([self.tag["PII.NonSensitive"], *self.plain_tags])
                    )
                    self.writer.add(through_row(column_tags, column, tag))
                table_columns.append(column)
            self.columns_of[table.id] = table_columns
            self.table_list.append(table)
        # A few tables are read by many models, most by few: popularity falls with rank (at the default
        # scale the most read table feeds about 150 models and its most read column about 300 sources).
        weights = [1 / (rank + 50) for rank in range(len(self.table_list))]
        self.table_cumulative = list(itertools.accumulate(weights))
        # Within a table, key columns (listed first) are read most.
        self.column_cumulative = list(itertools.accumulate(1 / (j + 2) for j in range(per_table)))
        self.progress(f"{len(self.table_list)} tables, {len(self.table_list) * per_table} columns")

    def dashboards(self) -> None:
        owners_field = Dashboard._meta.get_field("owner_users")
        self.dashboard_list = []
        for i in range(self.scale.dashboards):
            domain = self.rng.choice(DOMAINS)
            dashboard = Dashboard(
                id=self.uuid(),
                service=self.rng.choice(self.dashboard_services),
                name=f"{domain}-monitoring-{i}",
                display_name=f"{domain.title()} monitoring {i}",
                source_url=f"http://dashboards.example.com/d/{i}",
            )
            self.writer.add(self.stamp(dashboard, self.at(i)))
            self.writer.add(through_row(owners_field, dashboard, self.rng.choice(self.users)))
            self.dashboard_list.append(dashboard)

    def pick_table(self) -> Table:
        point = self.rng.random() * self.table_cumulative[-1]
        return self.table_list[bisect.bisect_left(self.table_cumulative, point)]

    def pick_column(self, table: Table) -> Column:
        point = self.rng.random() * self.column_cumulative[-1]
        return self.columns_of[table.id][bisect.bisect_left(self.column_cumulative, point)]

    def mlmodels(self) -> None:
        batch = []
        for i in range(self.scale.models):
            batch.append(self.plan_model(i))
            if len(batch) == 500:
                self.write_models(batch)
                batch = []
        self.write_models(batch)
        self.progress(f"{self.scale.models} models")

    def plan_model(self, i: int) -> ModelPlan:
        rng = self.rng
        domain, purpose = rng.choice(DOMAINS), rng.choice(PURPOSES)
        name = f"{domain}_{purpose}_{i:05d}"
        if i % AWKWARD_EVERY == AWKWARD_FIRST:
            name = rng.choice(AWKWARD).format(f"{domain}_{purpose}", i)
        algorithm = rng.choice(list(ALGORITHMS))
        first_algorithm = rng.choice(list(ALGORITHMS)) if rng.random() < 0.15 else algorithm
        service = rng.choice(self.ml_services)
        inputs = list(dict.fromkeys(self.pick_table() for _ in range(rng.randint(2, 5))))
        model = MlModel(
            id=self.uuid(),
            service=service,
            name=name,
            display_name=f"{domain.title()} {purpose} {i}",
            algorithm=algorithm,
            target=TARGETS[domain],
            server=f"http://serving.example.com/models/{i}" if rng.random() < 0.6 else "",
            ml_store_storage=f"s3://ml-models/{domain}/{i}/",
            ml_store_image=f"registry.example.com/{domain}/{i}",
            source_url=f"http://git.example.com/ml/{domain}/{i}" if rng.random() < 0.3 else "",
        )
        model.refresh_fqn()
        features, names = [], set()
        for position in range(self.scale.features_per_model):
            feature = MlFeature(id=self.uuid(), model=model, position=position)
            sources = []
            for source_position in range(self.scale.sources_per_feature):
                table = rng.choice(inputs)
                column = self.pick_column(table) if rng.random() < 0.95 else None
                source = FeatureSource(
                    id=self.next_source_id,
                    feature=feature,
                    position=source_position,
                    name=column.name if column else f"{table.name}_rows",
                    data_type=self.source_type[column.id] if column else "object",
                    table=table,
                    column=column,
                )
                self.next_source_id += 1
                prefill(source, tags=[])
                source.tags_list = []  # read by representations.rows without a manager per call
                sources.append(source)
            stem = sources[0].name + rng.choice(AGGREGATES)
            feature.name = stem if stem not in names else f"{stem}_{position}"
            names.add(feature.name)
            feature.data_type = (
                MlFeature.DataType.NUMERICAL
                if sources[0].data_type in ("integer", "number")
                else MlFeature.DataType.CATEGORICAL
            )
            feature.feature_algorithm = rng.choice(FEATURE_ALGORITHMS)
            prefill(feature, sources=sources, tags=[])
            feature.sources_list, feature.tags_list = sources, []
            features.append(feature)
        params = ALGORITHMS[first_algorithm]
        count = rng.randint(max(1, len(params) - 2), len(params))
        first = [
            MlHyperParameter(model=model, position=p, name=n, value=v) for p, (n, v, _) in enumerate(params[:count])
        ]
        tunes = rng.random() < 0.5
        final_params = ALGORITHMS[algorithm][:count] if algorithm != first_algorithm else params[:count]
        final = [
            MlHyperParameter(model=model, position=p, name=n, value=tuned if tunes else v)
            for p, (n, v, tuned) in enumerate(final_params)
        ]
        owners = [rng.choice(self.users)] if rng.random() < 0.7 else []
        if not owners or rng.random() < 0.2:
            owners.append(rng.choice(self.teams))
        owner_name = owners[0].name
        # Sorted as the followers relation reads them back (User orders by username).
        followers = sorted(rng.sample(self.users, min(len(self.users), rng.randint(0, 3))), key=lambda u: u.username)
        tags = rng.sample(self.plain_tags, rng.randint(1, 2)) if rng.random() < self.scale.tagged_share else []
        dashboard = rng.choice(self.dashboard_list) if self.dashboard_list and rng.random() < 0.3 else None
        tables = ", ".join(t.name for t in inputs)
        description = (
            f"{purpose.title()} of {TARGETS[domain].replace('_', ' ')} for the {domain} domain, "
            f"trained with {algorithm} on {tables}."
        )
        adds_last_feature = len(features) > 1 and rng.random() < 0.5
        user_owners = [o for o in owners if isinstance(o, User)]
        approver = user_owners[0] if user_owners else rng.choice(self.approvers)
        creator = rng.choice(self.users)
        return ModelPlan(
            model,
            features,
            first,
            final,
            owners,
            followers,
            tags,
            dashboard,
            description,
            first_algorithm,
            adds_last_feature,
            tunes,
            algorithm != first_algorithm,
            creator,
            owner_name,
            self.plan_card(model, domain, purpose, tables),
            self.plan_versions(i, model, inputs, first, final, first_algorithm, creator),
            approver,
            rng.random() < REQUESTED_SHARE,
        )

    def plan_card(self, model: MlModel, domain: str, purpose: str, tables: str) -> dict:
        """Return the card sections the model's owners write: all of them, some, or none."""
        target = TARGETS[domain].replace("_", " ")
        sections = {
            "card_intended_use": f"{purpose.title()} of {target} for the {domain} team's weekly decisions.",
            "card_out_of_scope_uses": "Decisions about one person without a human review; markets it was not "
            "trained on.",
            "card_intended_users": f"Analysts of the {domain} domain and the services that call {model.name}.",
            "card_factors": "Customer segment, channel and country; performance is reported per segment.",
            "card_ethical_considerations": "Personal data (gender, birth date, postal code) is kept out of the "
            "features; outcomes are checked for disparity across segments each quarter.",
            "card_caveats": "Retrain when the input tables change shape; scores drift after pricing changes.",
            "card_risk_rating": self.rng.choice(RiskRating.values),
            "card_training_summary": f"Trained on {tables}.",
            "card_evaluation_summary": f"Evaluated on a held-out {METRIC_SPLIT} split; each model version "
            "lists its metrics.",
        }
        share = self.rng.random()
        if share < COMPLETE_CARDS:
            return sections
        if share < COMPLETE_CARDS + PARTIAL_CARDS:
            kept = set(self.rng.sample(list(sections), self.rng.randint(1, len(sections) - 1)))
            return {name: text for name, text in sections.items() if name in kept}
        return {}

    def plan_versions(self, i, model, inputs, first_parameters, final_parameters, first_algorithm, creator) -> list:
        """Return model versions 1, 2 and 3 as the registry holds them at the end (aliases and reviews aside).

        Each is trained on a few columns of the model's first input table (3 on
        one more) and measured on ten metrics; 2 and 3 are evaluated on its last
        input table. Version 2 is better than 1; 3 is about as good as 2,
        better on some metrics, worse on others. One table per role, so no
        collation decides the order the datasets read back in.
        """
        rng = self.rng
        metrics = REGRESSION_METRICS if model.target in REGRESSION_TARGETS else CLASSIFICATION_METRICS
        quality = rng.uniform(0.2, 0.6)
        qualities = [quality, quality + rng.uniform(0.05, 0.2)]
        qualities.append(qualities[1] + rng.uniform(-0.08, 0.08))
        main_table = inputs[0]
        sample = rng.sample(self.columns_of[main_table.id], min(len(self.columns_of[main_table.id]), 5))
        versions = []
        for number, quality in enumerate(qualities, start=1):
            run_id = f"{rng.getrandbits(128):032x}"
            read = sorted(sample if number == 3 else sample[:4], key=lambda c: c.position)
            parameters = first_parameters if number == 1 else final_parameters
            version = ModelVersion(
                id=self.uuid(),
                model=model,
                number=number,
                description=[
                    f"First model version, trained with {first_algorithm}.",
                    f"Retrained with {model.algorithm}; better than version 1 on every metric.",
                    "Trained on more data; a candidate to replace version 2.",
                ][number - 1],
                source_uri=f"s3://mlflow-artifacts/{i}/{run_id}/artifacts/model",
                run_id=run_id,
                run_url=f"http://mlflow.example.com/#/experiments/{i}/runs/{run_id}",
                created_by=creator.username,
                status=[LifecycleStatus.DEVELOPMENT, LifecycleStatus.PRODUCTION, LifecycleStatus.STAGING][number - 1],
                tags={"algorithm": first_algorithm if number == 1 else model.algorithm, "git_commit": run_id[:7]},
                signature={
                    "inputs": [{"name": c.name, "type": self.source_type[c.id]} for c in read],
                    "outputs": [{"name": model.target, "type": "double"}],
                },
                parameters={p.name: p.value for p in parameters},
            )
            version.metrics_list = [
                ModelMetric(
                    version=version,
                    name=name,
                    value=round(worst + (best - worst) * min(1.0, max(0.0, quality + rng.uniform(-0.05, 0.05))), 4),
                    dataset=METRIC_SPLIT,
                    higher_is_better=higher,
                )
                for name, higher, worst, best in metrics
            ]
            datasets = [(ModelVersionDataset.Role.TRAINING, main_table, read)]
            if number > 1:
                datasets.append((ModelVersionDataset.Role.EVALUATION, inputs[-1], []))
            # As the datasets relation reads them back: by role (then table).
            version.datasets_list = []
            for role, table, columns in sorted(datasets, key=lambda d: d[0]):
                dataset = ModelVersionDataset(id=self.next_dataset_id, version=version, role=role, table=table)
                dataset.columns_list = columns
                self.next_dataset_id += 1
                version.datasets_list.append(dataset)
            version.aliases_list, version.reviews_list = [], []
            versions.append(version)
        return versions

    def write_models(self, plans: list[ModelPlan]) -> None:
        owner_users = MlModel._meta.get_field("owner_users")
        owner_teams = MlModel._meta.get_field("owner_teams")
        tags_field = MlModel._meta.get_field("tags")
        followers_field = MlModel._meta.get_field("followers")
        dataset_columns = ModelVersionDataset._meta.get_field("columns")
        for index, plan in enumerate(plans):
            for entry in self.history(plan, index):
                self.writer.add(entry)
            model = plan.model
            model.change_description = as_stored(model.change_description)
            self.writer.add(model)
            self.writer.add(documents.build(model))
            for feature in plan.features:
                self.writer.add(feature)
                for source in feature.sources.all():
                    self.writer.add(source)
            for param in plan.hyperparameters_final:
                self.writer.add(param)
            for owner in plan.owners:
                self.writer.add(through_row(owner_users if isinstance(owner, User) else owner_teams, model, owner))
            for tag in plan.tags:
                self.writer.add(through_row(tags_field, model, tag))
            for follower in plan.followers:
                self.writer.add(through_row(followers_field, model, follower))
            for from_type, from_id, to_type, to_id in sorted(derived_edges(model), key=str):
                self.writer.add_row(
                    Edge,
                    from_type=from_type,
                    from_id=from_id,
                    to_type=to_type,
                    to_id=to_id,
                    origin=DERIVED,
                    created_at=model.updated_at,
                    updated_at=model.updated_at,
                )
            for version in plan.versions:
                self.writer.add(version)
                for row in (*version.metrics_list, *version.aliases_list, *version.reviews_list):
                    self.writer.add(row)
                rows = []  # the rows of lineage.sync's join of the version, its datasets and their columns
                for dataset in version.datasets_list:
                    self.writer.add(dataset)
                    for column in dataset.columns_list:
                        self.writer.add(through_row(dataset_columns, dataset, column))
                    rows += [(version.id, dataset.table_id, c.id) for c in dataset.columns_list] or [
                        (version.id, dataset.table_id, None)
                    ]
                rows = rows or [(version.id, None, None)]
                for from_type, from_id, to_type, to_id in sorted(dataset_edges(model.id, rows), key=str):
                    self.writer.add_row(
                        Edge,
                        from_type=from_type,
                        from_id=from_id,
                        to_type=to_type,
                        to_id=to_id,
                        origin=FROM_MODEL_VERSIONS,
                        created_at=version.created_at,
                        updated_at=version.created_at,
                    )

    def history(self, plan: ModelPlan, index: int) -> list[EntityVersion]:
        """Bring the model from its first version to its final state; return the superseded versions.

        Each step changes the in-memory model and records it with the rules of
        ``changes.record``. Steps: created (without description, owners,
        followers, tags, dashboard, card, maybe its last feature, first
        hyperparameters and algorithm); documented, owned and its card written;
        maybe its last feature added and hyperparameters tuned; maybe a new
        algorithm (major); then its model versions, one write-path call a step
        (see ``version_steps``).
        """
        model = plan.model
        created = self.at(self.rng.randint(0, 60 * 24 * 365))
        first_features = plan.features[:-1] if plan.adds_last_feature else plan.features
        final_algorithm = model.algorithm
        model.algorithm = plan.first_algorithm
        model.dashboard = None
        model.model_versions_list = []  # what representations.model_versions_of reads, as a prefetch would
        prefill(
            model,
            features=list(first_features),
            hyperparameters=plan.hyperparameters_first,
            owner_users=[],
            owner_teams=[],
            tags=[],
            followers=[],
        )
        self.stamp(model, created, plan.creator.username)

        def documented(when):
            model.description = plan.description
            model.dashboard = plan.dashboard
            for attr, text in plan.card.items():
                setattr(model, attr, text)
            prefill(
                model,
                owner_users=[o for o in plan.owners if isinstance(o, User)],
                owner_teams=[o for o in plan.owners if isinstance(o, Team)],
                tags=plan.tags,
                followers=plan.followers,
            )

        def extended(when):
            prefill(model, features=list(plan.features))
            if not plan.algorithm_changes:
                prefill(model, hyperparameters=plan.hyperparameters_final)

        def retrained(when):
            model.algorithm = final_algorithm
            prefill(model, hyperparameters=plan.hyperparameters_final)

        # (change, who made it, whether it changed the model versions alone)
        steps = [(documented, plan.owner_name, False)]
        if plan.adds_last_feature or (plan.tunes and not plan.algorithm_changes):
            steps.append((extended, plan.owner_name, False))
        if plan.algorithm_changes:
            steps.append((retrained, plan.owner_name, False))
        elif not plan.tunes:
            prefill(model, hyperparameters=plan.hyperparameters_final)  # the same values: nothing to record
        steps += [(change, actor, True) for change, actor in self.version_steps(plan)]
        history, when = [], created
        before = representations.snapshot(model)
        for change, actor, versions_only in steps:
            when += timedelta(hours=self.rng.randint(1, 24 * 30))
            change(when)
            after = with_model_versions(before, model) if versions_only else representations.snapshot(model)
            entry, after = self.record(model, before, after, when, actor)
            history.append(entry)
            before = restamped(after, model)
        return history

    @staticmethod
    def version_steps(plan: ModelPlan) -> list:
        """Return the write-path calls that register the model's versions, as (change, actor) steps.

        ``save_model_version`` of 1 (development), of 2 straight into
        production by its approver (who may: the approval is recorded),
        ``set_alias`` champion on 2, ``save_model_version`` of 3 (staging),
        ``set_alias`` challenger on 3, and for some models ``request_status``
        of 3 for production, left open. Each change takes the time of its step.
        """
        model, approver = plan.model, plan.approver
        one, two, three = plan.versions
        registered = []

        def review(version, decision, status, when, actor, reason, open=False):
            return ModelVersionReview(
                version=version,
                decision=decision,
                status=status,
                reviewer=actor,
                reviewer_name=actor.username,
                at=when,
                reason=reason,
                open=open,
            )

        def register(version, reason):
            def change(when):
                version.created_at = when
                for metric in version.metrics_list:
                    metric.timestamp = when - timedelta(hours=1)
                if gated(version.status):
                    version.reviews_list.append(
                        review(version, ModelVersionReview.Decision.APPROVED, version.status, when, approver, reason)
                    )
                registered.insert(0, version)
                model.model_versions_list = list(registered)

            return change, approver.username if gated(version.status) else plan.creator.username

        def alias(name, version, actor):
            def change(when):
                version.aliases_list = [*version.aliases_list, ModelAlias(model=model, name=name, version=version)]

            return change, actor

        def request(when):
            reason = f"Better than version 2 on {three.metrics_list[0].name}."
            three.reviews_list.append(
                review(
                    three,
                    ModelVersionReview.Decision.REQUESTED,
                    LifecycleStatus.PRODUCTION,
                    when,
                    plan.creator,
                    reason,
                    open=True,
                )
            )

        steps = [
            register(one, ""),
            register(two, f"Better than version 1 on every metric ({METRIC_SPLIT} split)."),
            alias("champion", two, approver.username),
            register(three, ""),
            alias("challenger", three, plan.creator.username),
        ]
        if plan.requested:
            steps.append((request, plan.creator.username))
        return steps

    @staticmethod
    def record(model: MlModel, before: dict, after: dict, when: datetime, actor: str) -> tuple[EntityVersion, dict]:
        """``changes.record`` on an in-memory model: keep ``before``, move the version, describe the change.

        ``after`` is the snapshot of the new state (taken, as ``record`` takes it, before the version moved);
        it is returned with the superseded version.
        """
        description = describe(before, after)
        if not has_changes(description):
            raise AssertionError(f"a history step of {model.fqn} changed nothing")
        previous_version = Decimal(str(before["version"]))
        description["previousVersion"] = float(previous_version)
        model.version = next_version(previous_version, is_major(model.entity_type, description))
        model.updated_at = when
        model.updated_by = actor
        model.change_description = description
        return EntityVersion(
            entity_type=model.entity_type,
            entity_id=model.pk,
            version=previous_version,
            snapshot=before,
            change_description=before.get("changeDescription"),
            updated_at=datetime.fromtimestamp(before["updatedAt"] / 1000, tz=UTC),
            updated_by=before.get("updatedBy", ""),
        ), after


def as_stored(value):
    """Return a JSON value as the database gives it back: PostgreSQL's jsonb orders object keys (shorter first,
    then bytewise), so a model read back represents its change description in that order."""
    if connection.vendor != "postgresql":
        return value
    if isinstance(value, dict):
        ordered = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
        return {key: as_stored(value[key]) for key in ordered}
    if isinstance(value, list):
        return [as_stored(item) for item in value]
    return value


def restamped(snapshot: dict, entity) -> dict:
    """Return ``snapshot`` with the bookkeeping keys ``entity`` now has: what snapshotting it again would give.

    After ``record`` only the version, who, when and the change description
    differ from the snapshot it took; recomputing the whole snapshot (every
    feature and source) for that would double the generator's run time.
    The keys keep the order ``representations`` gives them.
    """
    stamps = {
        "version": representations.version_number(entity.version),
        "updatedAt": representations.epoch_ms(entity.updated_at),
        "updatedBy": entity.updated_by or "admin",
    }
    out = {}
    for key, value in snapshot.items():
        if key == "changeDescription":
            continue
        out[key] = stamps.get(key, value)
        if key == "deleted" and entity.change_description:
            out["changeDescription"] = entity.change_description
    return out


def with_model_versions(snapshot: dict, model: MlModel) -> dict:
    """Return ``snapshot`` with the model versions ``model`` now has: what snapshotting it again would give
    when nothing else changed.

    Like ``restamped``, it spares a model-version step (five or six per
    model) rendering every feature and source again. They are the snapshot's
    last key (``representations.snapshot``).
    """
    out = {key: value for key, value in snapshot.items() if key != representations.MODEL_VERSIONS_KEY}
    registered = [representations.model_version(v) for v in representations.model_versions_of(model)]
    if registered:
        out[representations.MODEL_VERSIONS_KEY] = registered
    return out


@contextmanager
def indexes_built_afterwards(models_loaded):
    """On PostgreSQL, drop the plain indexes of the tables about to be loaded, and build them again after.

    Keeping a GIN trigram index up to date row by row through a bulk load
    costs far more than building it once at the end (60 s against 10 here).
    Indexes that back a constraint (primary keys, unique) stay. DDL is
    transactional in PostgreSQL: if the load fails, the indexes are back.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = sorted({m._meta.db_table for m in models_loaded})
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
               WHERE t.relname = ANY(%s) AND t.relnamespace = to_regnamespace(current_schema())
                 AND NOT i.indisprimary
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [tables],
        )
        dropped = cursor.fetchall()
        for name, _ in dropped:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit; PostgreSQL builds no index on a table with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in dropped:
            cursor.execute(definition)


def loaded_models() -> list:
    """Every table the generator writes, through tables included."""
    out = []
    for model in (
        User,
        Team,
        Classification,
        Tag,
        DatabaseService,
        Database,
        DatabaseSchema,
        Table,
        Column,
        MlModelService,
        DashboardService,
        Dashboard,
        MlModel,
        MlModelDocument,
        MlFeature,
        FeatureSource,
        MlHyperParameter,
        ModelVersion,
        ModelMetric,
        ModelVersionDataset,
        ModelAlias,
        ModelVersionReview,
        EntityVersion,
        Edge,
    ):
        out.append(model)
        out += [f.remote_field.through for f in model._meta.local_many_to_many]
    return out


def is_empty() -> bool:
    return not (MlModel.objects.exists() or Table.objects.exists() or Team.objects.exists())


def generate(scale: Scale = Scale(), seed: int = 1, progress=None) -> dict:
    """Fill an empty catalogue; return the number of rows written per model."""
    if not is_empty():
        raise CatalogueNotEmpty("the catalogue already holds models, tables or teams")
    with transaction.atomic(), indexes_built_afterwards(loaded_models()):
        writer = RowWriter()
        generator = Generator(scale, seed, writer, progress)
        generator.run()
        memo.renew()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses on tables that grew from nothing. The models' visibility
        # map too, so counting them (every API list page) reads an index alone rather than the wide table.
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:  # VACUUM cannot run in a transaction (a test's, say)
                cursor.execute("VACUUM (ANALYZE) catalog_mlmodel, catalog_mlmodeldocument")
            cursor.execute("ANALYZE")
    return dict(writer.counts)
