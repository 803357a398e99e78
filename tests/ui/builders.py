"""Catalogues of any size for the page tests, built through the write path."""

from catalog.models import (
    Classification,
    Column,
    Dashboard,
    DashboardService,
    Database,
    DatabaseSchema,
    DatabaseService,
    MlModelService,
    Table,
    Tag,
    Team,
    User,
)
from catalog.services import changes, mlmodels
from catalog.services.mlmodels import FeatureSpec, HyperParameterSpec, SourceSpec


def make(entity, related=None):
    return changes.create(entity, "builder", save_related=related).entity


def build_catalogue(size: int, prefix: str = "m") -> list:
    """Create ``size`` ML models, each with owners, tags, features fed by columns, and a few versions.

    Every model looks like a real one so a page over them exercises every
    relation it shows (owners users and teams, tags, sources with column tags,
    hyperparameters, a dashboard, history).
    """
    tier = make(Classification(name=f"Tier-{prefix}"))
    tags = [make(Tag(classification=tier, name=f"T{i}")) for i in range(3)]
    db_service = make(DatabaseService(name=f"dw-{prefix}", service_type="Postgres"))
    schema = make(DatabaseSchema(database=make(Database(service=db_service, name="db")), name="public"))
    ml_service = make(MlModelService(name=f"ml-{prefix}", service_type="Mlflow"))
    dashboards = make(DashboardService(name=f"bi-{prefix}", service_type="Superset"))
    team = make(Team(name=f"team-{prefix}"))
    people = [User.objects.create_user(f"{prefix}-user{i}", password="x", role=User.Role.EDITOR) for i in range(3)]
    team.users.add(people[0])
    models = []
    for i in range(size):
        table = make(
            Table(schema=schema, name=f"table{i}"),
            related=lambda t: [Column.objects.create(table=t, name=f"col{j}", position=j) for j in range(3)],
        )
        columns = list(table.columns.all())
        columns[0].tags.add(tags[0])
        dashboard = make(Dashboard(service=dashboards, name=f"dash{i}", source_url="https://bi.example.com/d"))
        model = mlmodels.create_mlmodel(
            ml_service,
            f"{prefix}-model{i}",
            people[i % 3],
            algorithm=["XGBoost", "LightGBM", "Logistic regression"][i % 3],
            description=f"Model number {i}",
            owners=[people[i % 3], team],
            tags=tags[: 1 + i % 3],
            followers=people[:2],
            dashboard=dashboard,
            features=[
                FeatureSpec(
                    name=f"feature{j}",
                    data_type="numerical",
                    tags=[tags[1]],
                    sources=[SourceSpec(name=c.name, column=c, tags=[tags[2]]) for c in columns[:2]],
                )
                for j in range(3)
            ],
            hyperparameters=[HyperParameterSpec(name=f"p{j}", value=str(j)) for j in range(3)],
        ).entity
        model = mlmodels.update_mlmodel(model, people[0], description=f"Model number {i}, revised").entity
        model = mlmodels.update_mlmodel(model, people[1], algorithm="CatBoost").entity
        models.append(model)
    return models
