"""Builders for lineage tests: tables and models written through the catalogue's write path."""

import ast
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from catalog.models import Column, Table
from catalog.services import assets, mlmodels
from catalog.services.validation import check_name
from lineage.models import Edge


def columns_of(table: Table) -> dict:
    return {c.name: c for c in Column.objects.filter(table=table)}


def save_table(schema, name, columns, actor="test", *, sensitive=(), tag=None, table_tags=()):
    """Create or change a table with ``columns`` (names), tagging those in ``sensitive`` with ``tag``."""
    specs = [assets.ColumnSpec(name=c, tags=[tag] if c in sensitive else []) for c in columns]
    return assets.save_table(schema, name, actor, columns=specs, tags=list(table_tags)).entity


def feature(name, *sources):
    """Return a FeatureSpec fed by columns (or whole tables, for a source naming no column)."""
    specs = []
    for source in sources:
        if isinstance(source, Table):
            specs.append(mlmodels.SourceSpec(name=source.name, table=source))
        else:
            specs.append(mlmodels.SourceSpec(name=source.name, column=source))
    return mlmodels.FeatureSpec(name=name, data_type="numerical", sources=specs)


def make_model(service, name, features, actor="test", **values):
    return mlmodels.create_mlmodel(service, name, actor, algorithm="XGBoost", features=features, **values).entity


def read_by_four_models(schema, service):
    """A table of three columns read by four models of five features each (f00-f04 ... f30-f34)."""
    table = save_table(schema, "busy", ["c0", "c1", "c2"])
    columns = columns_of(table)
    for m in range(4):
        make_model(service, f"m{m}", [feature(f"f{m}{i}", columns[f"c{(m + i) % 3}"]) for i in range(5)])
    return table


def edges():
    """Return the stored edges as (from_type, to_type, origin) → set of (from_id, to_id)."""
    return set(Edge.objects.values_list("from_type", "from_id", "to_type", "to_id", "origin"))


@pytest.fixture
def world(warehouse, ml_service, dashboard, owner, editor, pii):
    """Customers (gender and birth_date sensitive) and orders feed a churn model and a spend model.

    churn: age ← birth_date, persona ← gender + income; monitored on the
    dashboard (MlModel.dashboard) and writing a scores table (manual edge).
    spend: basket ← orders.amount; nothing sensitive.
    """
    schema = warehouse["schema"]
    customers = warehouse["customers"]
    orders = save_table(schema, "orders", ["order_id", "customer_id", "amount"])
    scores = save_table(schema, "churn_scores", ["customer_id", "score"])
    c, o = columns_of(customers), columns_of(orders)
    churn = make_model(
        ml_service,
        "churn",
        [feature("age", c["birth_date"]), feature("persona", c["gender"], c["income"])],
        owner,
        owners=[owner],
        dashboard=dashboard,
    )
    spend = make_model(ml_service, "spend", [feature("basket", o["amount"])], editor, owners=[editor])
    Edge.objects.create(
        from_type="mlmodel",
        from_id=churn.id,
        to_type="table",
        to_id=scores.id,
        origin=Edge.Origin.MANUAL,
        updated_by="olivia",
    )
    return {
        "schema": schema,
        "customers": customers,
        "orders": orders,
        "scores": scores,
        "churn": churn,
        "spend": spend,
        "dashboard": dashboard,
        "columns": c,
        "order_columns": o,
        "sensitive": pii["sensitive"],
    }


HOSTILE_NAMES_FILE = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "hostile-names.txt"


def hostile_names() -> list[str]:
    """Return every line of the hostile-names file (Python literals; # lines are comments)."""
    lines = HOSTILE_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return [ast.literal_eval(line) for line in lines if line.strip() and not line.startswith("#")]


def accepted_names() -> list[str]:
    """Return the hostile names the catalogue accepts as entity names (the others never reach a diagram)."""
    accepted = []
    for name in hostile_names():
        try:
            check_name(name)
        except ValidationError:
            continue
        accepted.append(name)
    return accepted


@pytest.fixture
def hostile(warehouse, ml_service, dashboard, pii):
    """A model with a hostile name, fed by one table per hostile name and feeding one dashboard per name.

    Each table has one column of its own name, read by the feature of that
    name; every other column is sensitive.
    """
    names = accepted_names()
    schema = warehouse["schema"]
    features = []
    for index, name in enumerate(names):
        table = save_table(schema, name, [name], sensitive={name} if index % 2 else set(), tag=pii["sensitive"])
        features.append(
            mlmodels.FeatureSpec(name=name, sources=[mlmodels.SourceSpec(name=name, column=columns_of(table)[name])])
        )
    model = mlmodels.create_mlmodel(
        ml_service,
        "<script>alert(1)</script>",
        "test",
        algorithm='x" URL="javascript:alert(7)',
        display_name='"><svg onload=alert(1)>',
        features=features,
    ).entity
    for name in names:
        board = assets.save_dashboard(dashboard.service, name, "test").entity
        Edge.objects.create(
            from_type="mlmodel", from_id=model.id, to_type="dashboard", to_id=board.id, origin=Edge.Origin.MANUAL
        )
    return {"model": model, "names": names}


@pytest.fixture(autouse=True)
def empty_render_cache():
    """Renders are cached across requests; each test starts without any."""
    cache.clear()
