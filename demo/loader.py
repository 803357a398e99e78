"""Load the demo catalogue through the write path, idempotently.

On a fresh database each model is created in an earlier state and then
brought to its final state in a few recorded steps, so the demo has real
version history. On a catalogue that already holds an entity, the loader
only asks the write path for the final state, which changes nothing and so
creates no version.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from catalog import fqn
from catalog.models import (
    Classification,
    Column,
    Dashboard,
    DashboardService,
    Database,
    DatabaseSchema,
    DatabaseService,
    LifecycleStatus,
    MlModel,
    MlModelService,
    Table,
    Tag,
    Team,
    User,
)
from catalog.services import changes, mlmodels, modelversions
from demo import data
from lineage import edits

LOADER = "demo-loader"
ADMIN_NAME = "admin"
DEMO_PASSWORD = "modelatlas-demo"


def ensure(model, entity, related=None):
    """Return the stored entity with the FQN ``entity`` would have, creating it if missing."""
    entity.refresh_fqn()
    existing = model.objects.filter(fqn_hash=entity.fqn_hash).first()
    if existing is not None:
        return existing
    return changes.create(entity, LOADER, save_related=related).entity


def load() -> dict:
    """Load everything; return counts of what the catalogue holds afterwards."""
    users = _users()
    teams = _teams(users)
    tags = _tags()
    columns = _tables(tags)
    dashboards = _dashboards(users, teams)
    _models(users, teams, tags, columns, dashboards)
    return {
        "models": MlModel.objects.count(),
        "tables": Table.objects.count(),
        "dashboards": Dashboard.objects.count(),
        "users": User.objects.count(),
    }


def _users() -> dict:
    users = {}
    admin = User.objects.filter(username=ADMIN_NAME).first()
    if admin is None:
        admin = User.objects.create_superuser(
            ADMIN_NAME, "admin@modelatlas.example", DEMO_PASSWORD, display_name="Catalogue admin", updated_by=LOADER
        )
    users[ADMIN_NAME] = admin
    for name, display_name, role in data.USERS:
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create_user(
                name,
                f"{name}@example.com",
                DEMO_PASSWORD,
                display_name=display_name,
                role=role,
                is_bot=name.endswith("-bot"),
                is_approver=name in data.APPROVERS,
                updated_by=LOADER,
            )
        users[name] = user
    return users


def _teams(users) -> dict:
    return {
        name: ensure(
            Team,
            Team(name=name, display_name=display_name),
            related=lambda team, members=members: team.users.set([users[m] for m in members]),
        )
        for name, display_name, members in data.TEAMS
    }


def _tags() -> dict:
    tags = {}
    for name, (description, tag_names) in data.CLASSIFICATIONS.items():
        classification = ensure(Classification, Classification(name=name, description=description))
        for tag_name in tag_names:
            tag = ensure(Tag, Tag(classification=classification, name=tag_name))
            tags[tag.fqn] = tag
    return tags


def _tables(tags) -> dict:
    """Create services, databases, schemas and tables; return columns by FQN."""
    sensitive = tags["PII.Sensitive"]
    for (service_name, service_type), databases in data.DATABASES.items():
        service = ensure(
            DatabaseService,
            DatabaseService(
                name=service_name,
                service_type=service_type,
                connection={
                    "config": {
                        "type": service_type,
                        "hostPort": f"{service_name}.internal:443",
                        "username": "catalogue_reader",
                        "password": "demo-secret",
                    }
                },
            ),
        )
        for database_name, schemas in databases.items():
            database = ensure(Database, Database(service=service, name=database_name))
            for schema_name, tables in schemas.items():
                schema = ensure(DatabaseSchema, DatabaseSchema(database=database, name=schema_name))
                for table_name, (description, column_specs) in tables.items():
                    ensure(
                        Table,
                        Table(schema=schema, name=table_name, description=description),
                        related=lambda table, specs=column_specs: _columns(table, specs, sensitive),
                    )
    return {column.fqn: column for column in Column.objects.select_related("table")}


def _columns(table, specs, sensitive):
    for position, spec in enumerate(specs):
        name, data_type = spec.split()
        is_sensitive = name.endswith("*")
        column = Column.objects.create(table=table, name=name.rstrip("*"), data_type=data_type, position=position)
        if is_sensitive:
            column.tags.add(sensitive)


def _dashboards(users, teams) -> dict:
    service = ensure(DashboardService, DashboardService(name="superset", service_type="Superset"))
    dashboards = {}
    for name, display_name, url, owners in data.DASHBOARDS:
        owner_objects = [users.get(o) or teams[o] for o in owners]

        def owners_of(dashboard, owner_objects=owner_objects):
            dashboard.owner_users.set([o for o in owner_objects if isinstance(o, User)])
            dashboard.owner_teams.set([o for o in owner_objects if isinstance(o, Team)])

        dashboards[name] = ensure(
            Dashboard,
            Dashboard(service=service, name=name, display_name=display_name, source_url=url),
            related=owners_of,
        )
    return dashboards


def _final_values(spec, users, teams, tags, columns, dashboards) -> dict:
    def source(name, data_type, column_fqn):
        column = columns[fqn.build(*column_fqn.split("."))]
        return mlmodels.SourceSpec(name=name, data_type=data_type, column=column, table=column.table)

    return {
        "display_name": spec["display_name"],
        "description": spec["description"],
        "algorithm": spec["algorithm"],
        "target": spec["target"],
        "server": spec["server"],
        "ml_store_storage": spec["ml_store_storage"],
        "ml_store_image": spec["ml_store_image"],
        "dashboard": dashboards.get(spec["dashboard"]),
        "owners": [users.get(o) or teams[o] for o in spec["owners"]],
        "followers": [users[f] for f in spec["followers"]],
        "tags": [tags[t] for t in spec["tags"]],
        "features": [
            mlmodels.FeatureSpec(
                name=name, data_type=data_type, feature_algorithm=algorithm, sources=[source(*s) for s in sources]
            )
            for name, data_type, algorithm, sources in spec["features"]
        ],
        "hyperparameters": [
            mlmodels.HyperParameterSpec(name=n, value=v, description=d) for n, v, d in spec["hyperparameters"]
        ],
        **data.CARDS.get(spec["name"], {}),
    }


def _initial_value(spec, field, final):
    """Return what a field held before the history steps that change it."""
    initial = spec["initial"]
    if field == "hyperparameters" and field in initial:
        return [mlmodels.HyperParameterSpec(name=n, value=v, description=d) for n, v, d in initial[field]]
    if field in initial:
        return initial[field]
    if field in ("features", "hyperparameters"):
        return final[field][:-1]
    return ""


def _models(users, teams, tags, columns, dashboards):
    service = ensure(
        MlModelService,
        MlModelService(
            name="mlflow-prod",
            service_type="Mlflow",
            description="Production MLflow model registry.",
            connection={
                "config": {
                    "type": "Mlflow",
                    "trackingUri": "https://mlflow.example.com",
                    "registryUri": "https://mlflow.example.com",
                }
            },
        ),
    )
    for spec in data.MODELS:
        final = _final_values(spec, users, teams, tags, columns, dashboards)
        existing = MlModel.objects.by_fqn(fqn.build(service.name, spec["name"])).first()
        if existing is not None:
            mlmodels.update_mlmodel(existing, LOADER, **final)
            continue
        registry = data.MODEL_VERSIONS[spec["name"]]
        # The card comes last, written by the owner who approves the model's versions.
        history = [*spec["history"], (registry["approved_by"], list(data.CARDS.get(spec["name"], {})))]
        changed_later = {field for _, fields in history for field in fields}
        initial = {k: (_initial_value(spec, k, final) if k in changed_later else v) for k, v in final.items()}
        first_owner = final["owners"][0]
        model = mlmodels.create_mlmodel(service, spec["name"], users.get(first_owner.name, LOADER), **initial).entity
        for actor, fields in history:
            if fields:
                model = mlmodels.update_mlmodel(model, users[actor], **{f: final[f] for f in fields}).entity
        outputs = [Table.objects.by_fqn(fqn.build(*output.split("."))).get() for output in spec["outputs"]]
        for target in [*outputs, final["dashboard"]]:
            if target is not None:
                edits.add_model_edge(model, target, downstream=True, actor=LOADER)
        _model_versions(model, spec, registry, users, columns)


def _model_versions(model, spec, registry, users, columns):
    """Register the model's versions through the write path, as its team would have, one step at a time.

    Every version but the last two served in production in its turn: asked
    for, approved with a reason, given ``champion`` and archived when the
    next one replaced it. The last one waits in staging as ``challenger``.
    """
    requester, approver = users[registry["requested_by"]], users[registry["approved_by"]]
    champion = None
    for number, version in enumerate(registry["versions"], start=1):
        author = users[version["by"]]
        modelversions.save_model_version(model, number, author, **_version_values(spec, registry, version, columns))
        if "reason" in version:
            modelversions.request_status(model, number, LifecycleStatus.PRODUCTION, requester)
            modelversions.approve(model, number, approver, version["reason"])
            modelversions.set_alias(model, "champion", number, approver)
            if champion is not None:
                reason = f"Replaced by version {number}."
                modelversions.set_status(model, champion, LifecycleStatus.ARCHIVED, approver, reason)
            champion = number
            continue
        # Staging is gated only where the operator says so; then the approver moves the version.
        mover = approver if modelversions.gated(LifecycleStatus.STAGING) else author
        modelversions.set_status(model, number, LifecycleStatus.STAGING, mover)
        modelversions.set_alias(model, "challenger", number, author)
        if "request" in version:
            modelversions.request_status(model, number, LifecycleStatus.PRODUCTION, author, version["request"])
        if "rejected" in version:
            modelversions.request_status(model, number, LifecycleStatus.PRODUCTION, author)
            modelversions.reject(model, number, approver, version["rejected"])


def _version_values(spec, registry, version, columns) -> dict:
    """What one model version holds: its run, signature, parameters, metrics and the tables it read."""
    run_id = hashlib.md5(f"{spec['name']}:{version['on']}".encode()).hexdigest()
    created_at = datetime.fromisoformat(version["on"]).replace(hour=9, minute=30, tzinfo=UTC)
    features = [f for f in spec["features"] if f[0] not in version.get("without", ())]
    label_table, label_columns = registry["label"]
    read = {}  # table FQN -> the columns a version read from it, in first-read order
    for _, _, _, sources in features:
        for *_, column_fqn in sources:
            table_fqn, name = column_fqn.rsplit(".", 1)
            read.setdefault(table_fqn, []).append(name)
    read.setdefault(label_table, []).extend(label_columns)

    def dataset(role, table_fqn, names):
        found = [columns[fqn.build(*f"{table_fqn}.{name}".split("."))] for name in dict.fromkeys(names)]
        return modelversions.DatasetSpec(role, found[0].table, found)

    output_name, output_type = registry["output"]
    return {
        "description": version["description"],
        "source_uri": f"s3://mlflow-artifacts/{registry['experiment']}/{run_id}/artifacts/model",
        "run_id": run_id,
        "run_url": f"https://mlflow.example.com/#/experiments/{registry['experiment']}/runs/{run_id}",
        "created_by": version["by"],
        "created_at": created_at,
        "tags": {"algorithm": version["algorithm"], "git_commit": run_id[:7]},
        "signature": {
            "inputs": [
                {"name": name, "type": "double" if data_type == "numerical" else "string"}
                for name, data_type, _, _ in features
            ],
            "outputs": [{"name": output_name, "type": output_type}],
        },
        "parameters": version["parameters"],
        "metrics": [
            modelversions.MetricSpec(
                name,
                value,
                dataset=registry["split"],
                timestamp=created_at + timedelta(hours=2),
                higher_is_better=name not in data.LOWER_IS_BETTER,
            )
            for name, value in version["metrics"].items()
        ],
        "datasets": [
            *(dataset("training", table_fqn, names) for table_fqn, names in read.items()),
            dataset("evaluation", label_table, label_columns),
        ],
    }
