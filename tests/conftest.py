"""Fixtures shared by the whole suite: the four personas and a small catalogue."""

import pytest

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
    User,
)
from catalog.services import changes, mlmodels


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas have passwords; the production hash is slow on purpose and only slows the tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """The API's rate limits cost queries of their own on every call, which the query-count tests do not expect.

    They are off here; tests/api/test_rate_limits.py sets each limit it tests.
    """
    settings.API_RATE_LIMIT_USER = settings.API_RATE_LIMIT_ANON = settings.API_RATE_LIMIT_FAILED_AUTH = ""


def make(entity, actor="test", related=None):
    return changes.create(entity, actor, save_related=related).entity


@pytest.fixture
def owner(db):
    return User.objects.create_user(
        "olivia", password="pw-olivia-1", role=User.Role.VIEWER, display_name="Olivia Owner"
    )


@pytest.fixture
def editor(db):
    return User.objects.create_user("edward", password="pw-edward-1", role=User.Role.EDITOR)


@pytest.fixture
def viewer(db):
    return User.objects.create_user("vera", password="pw-vera-1", role=User.Role.VIEWER)


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-root-1")


@pytest.fixture
def pii(db):
    classification = make(Classification(name="PII", description="Personal data"))
    return {
        "sensitive": make(Tag(classification=classification, name="Sensitive")),
        "non_sensitive": make(Tag(classification=classification, name="NonSensitive")),
    }


@pytest.fixture
def warehouse(db, pii):
    """A database service with one table of customer columns."""
    service = make(DatabaseService(name="warehouse", service_type="Postgres"))
    database = make(Database(service=service, name="analytics"))
    schema = make(DatabaseSchema(database=database, name="public"))

    def columns(table):
        for position, (name, data_type) in enumerate(
            [("customer_id", "BIGINT"), ("gender", "STRING"), ("birth_date", "DATE"), ("income", "DOUBLE")]
        ):
            column = Column.objects.create(table=table, name=name, data_type=data_type, position=position)
            if name in ("gender", "birth_date"):
                column.tags.add(pii["sensitive"])

    customers = make(Table(schema=schema, name="customers"), related=columns)
    return {"service": service, "database": database, "schema": schema, "customers": customers}


@pytest.fixture
def ml_service(db):
    return make(MlModelService(name="mlflow-prod", service_type="Mlflow"))


@pytest.fixture
def dashboard(db):
    service = make(DashboardService(name="superset", service_type="Superset"))
    return make(Dashboard(service=service, name="churn-monitoring", source_url="https://bi.example.com/d/1"))


@pytest.fixture
def churn_model(ml_service, warehouse, owner):
    """A model with two features fed by columns of the customers table."""
    customers = warehouse["customers"]
    column = {c.name: c for c in customers.columns.all()}
    return mlmodels.create_mlmodel(
        ml_service,
        "churn",
        owner,
        algorithm="XGBoost",
        target="churned",
        owners=[owner],
        features=[
            mlmodels.FeatureSpec(
                name="age",
                data_type="numerical",
                sources=[mlmodels.SourceSpec(name="birth_date", data_type="date", column=column["birth_date"])],
            ),
            mlmodels.FeatureSpec(
                name="persona",
                data_type="categorical",
                feature_algorithm="PCA",
                sources=[
                    mlmodels.SourceSpec(name="gender", data_type="string", column=column["gender"]),
                    mlmodels.SourceSpec(name="income", data_type="number", column=column["income"]),
                ],
            ),
        ],
        hyperparameters=[mlmodels.HyperParameterSpec(name="max_depth", value="6")],
    ).entity
