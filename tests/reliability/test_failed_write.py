"""A multi-row write that fails at its very end leaves nothing behind: no rows, no version, no edge."""

import pytest

from catalog.models import EntityVersion, FeatureSource, MlFeature, MlModel
from lineage import sync
from lineage.models import Edge
from tests.api.conftest import ApiClient, error, put_service, put_table, token_for


@pytest.fixture
def api(editor):
    return ApiClient(token_for(editor))


@pytest.fixture
def table(api):
    columns = [{"name": name, "dataType": "INT"} for name in ("a", "b", "c")]
    return put_table(api, columns=columns)


def three_features(table):
    """Three features, each fed by a column of ``table``."""
    return [
        {
            "name": f"f_{column['name']}",
            "featureSources": [{"name": column["name"], "dataSource": {"id": table["id"], "type": "table"}}],
        }
        for column in table["columns"]
    ]


def fail_after_everything_is_written(monkeypatch):
    """From now on the last step of a model write (deriving its lineage edges) runs, then fails."""
    derive = sync.sync_model

    def derive_then_fail(model):
        derive(model)
        raise RuntimeError("failed after writing the model, its features, sources and edges")

    monkeypatch.setattr(sync, "sync_model", derive_then_fail)


def stored_state():
    return (
        list(MlModel.objects.values_list("name", "version", "description")),
        list(MlFeature.objects.order_by("name").values_list("name", flat=True)),
        FeatureSource.objects.count(),
        set(Edge.objects.values_list("from_id", "to_id")),
        EntityVersion.objects.filter(entity_type="mlmodel").count(),
    )


def test_a_new_model_whose_write_fails_at_the_end_leaves_nothing(api, table, monkeypatch):
    put_service(api)
    before = stored_state()
    fail_after_everything_is_written(monkeypatch)

    response = api.put(
        "/mlmodels", {"name": "churn", "service": "models", "algorithm": "GLM", "mlFeatures": three_features(table)}
    )

    assert response.status_code == 500
    error(response)
    assert stored_state() == before
    assert not MlModel.objects.exists()


def test_a_model_update_that_fails_at_the_end_leaves_the_model_as_it_was(api, table, monkeypatch):
    put_service(api)
    api.put(
        "/mlmodels", {"name": "churn", "service": "models", "algorithm": "GLM", "mlFeatures": three_features(table)[:1]}
    )
    before = stored_state()
    fail_after_everything_is_written(monkeypatch)

    response = api.put(
        "/mlmodels",
        {"name": "churn", "service": "models", "description": "new", "mlFeatures": three_features(table)},
    )

    assert response.status_code == 500
    assert stored_state() == before
    assert api.get("/mlmodels/name/models.churn").json()["version"] == 0.1
