"""The write path costs a fixed number of queries, whatever the size of the model."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.services import mlmodels


def features(columns, count, description=""):
    return [
        mlmodels.FeatureSpec(
            name=f"feature_{i}", data_type="numerical", description=description,
            sources=[mlmodels.SourceSpec(name=c.name, column=c) for c in columns],
        )
        for i in range(count)
    ]


def queries_to_create_then_change(ml_service, owner, columns, count):
    model = mlmodels.create_mlmodel(ml_service, f"m{count}", owner, algorithm="GBM",
                                    features=features(columns, count)).entity
    with CaptureQueriesContext(connection) as changed:
        mlmodels.update_mlmodel(model, owner, features=features(columns, count, "changed"))
    with CaptureQueriesContext(connection) as unchanged:
        mlmodels.update_mlmodel(model, owner, features=features(columns, count, "changed"))
    return len(changed), len(unchanged)


def test_changing_a_model_costs_the_same_queries_for_2_or_20_features(ml_service, owner, warehouse):
    columns = list(warehouse["customers"].columns.all()[:2])
    small = queries_to_create_then_change(ml_service, owner, columns, 2)
    large = queries_to_create_then_change(ml_service, owner, columns, 20)
    assert small == large
