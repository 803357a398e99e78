"""The write path costs a fixed number of queries, whatever the size of the model."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import FeatureSource, MlFeature
from catalog.services import assets, mlmodels
from lineage.models import Edge
from tests.api.conftest import ApiClient, token_for


def features(columns, count, description=""):
    return [
        mlmodels.FeatureSpec(
            name=f"feature_{i}",
            data_type="numerical",
            description=description,
            sources=[mlmodels.SourceSpec(name=c.name, column=c) for c in columns],
        )
        for i in range(count)
    ]


def queries_to_create_then_change(ml_service, owner, columns, count):
    model = mlmodels.create_mlmodel(
        ml_service, f"m{count}", owner, algorithm="GBM", features=features(columns, count)
    ).entity
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


# -- Writing only what changed ----------------------------------------------------------------------------------------


def tagged_features(columns, tag, count, description=""):
    """Features with two sources each (a column, and a table without column), like the SDK sends them."""
    table = columns[0].table
    tags = [tag] if tag is not None else []
    return [
        mlmodels.FeatureSpec(
            name=f"feature_{i}",
            data_type="numerical",
            description=description,
            tags=tags,
            sources=[
                mlmodels.SourceSpec(name=columns[0].name, column=columns[0], tags=tags),
                mlmodels.SourceSpec(name="raw", table=table, data_type="number"),
            ],
        )
        for i in range(count)
    ]


def model_with(ml_service, owner, warehouse, pii, count, *, tagged=True):
    columns = list(warehouse["customers"].columns.all()[:2])
    model = mlmodels.create_mlmodel(
        ml_service,
        f"model_{count}",
        owner,
        algorithm="GBM",
        owners=[owner],
        tags=[pii["non_sensitive"]],
        features=tagged_features(columns, pii["non_sensitive"] if tagged else None, count),
        hyperparameters=[mlmodels.HyperParameterSpec(name="eta", value="0.3")],
    ).entity
    return model, columns


def resend_with_description(model, owner, columns, pii, count, description):
    """What an OpenMetadata client's PUT of an unchanged model with a new description asks of the write path."""
    return mlmodels.update_mlmodel(
        model,
        owner,
        description=description,
        owners=[owner],
        tags=[pii["non_sensitive"]],
        features=tagged_features(columns, pii["non_sensitive"], count),
        hyperparameters=[mlmodels.HyperParameterSpec(name="eta", value="0.3")],
    )


def stored_rows(model):
    return (
        sorted(MlFeature.objects.filter(model=model).values_list("id", flat=True)),
        sorted(FeatureSource.objects.filter(feature__model=model).values_list("id", flat=True)),
        sorted(Edge.objects.filter(to_id=model.pk).values_list("id", flat=True)),
    )


def test_resending_a_model_with_a_new_description_rewrites_no_feature_source_or_edge(ml_service, owner, warehouse, pii):
    model, columns = model_with(ml_service, owner, warehouse, pii, 3)
    before = stored_rows(model)

    change = resend_with_description(model, owner, columns, pii, 3, "Now described.")

    assert stored_rows(model) == before
    assert change.entity.version == Decimal("0.2")
    assert change.entity.change_description["fieldsAdded"] == [{"name": "description", "newValue": "Now described."}]
    assert change.entity.change_description["fieldsUpdated"] == []


def test_changing_one_source_rewrites_the_sources_of_that_feature_only(ml_service, owner, warehouse, pii):
    model, columns = model_with(ml_service, owner, warehouse, pii, 3)
    untouched = set(
        FeatureSource.objects.filter(feature__model=model)
        .exclude(feature__name="feature_1")
        .values_list("id", flat=True)
    )
    specs = tagged_features(columns, pii["non_sensitive"], 3)
    specs[1].sources[0] = mlmodels.SourceSpec(name=columns[1].name, column=columns[1], tags=[pii["non_sensitive"]])

    change = mlmodels.update_mlmodel(model, owner, features=specs)

    kept = set(FeatureSource.objects.filter(feature__model=model).values_list("id", flat=True))
    assert untouched <= kept
    assert [c["name"] for c in change.entity.change_description["fieldsUpdated"]] == ["mlFeatures.feature_1"]
    sources = FeatureSource.objects.filter(feature__name="feature_1", feature__model=model).order_by("position")
    assert [s.column_id for s in sources] == [columns[1].pk, None]
    assert Edge.objects.filter(from_id=columns[1].pk, to_id=sources[0].feature_id).exists()
    assert not Edge.objects.filter(from_id=columns[0].pk, to_id=sources[0].feature_id).exists()


def test_resending_a_model_changes_nothing_and_makes_no_version(ml_service, owner, warehouse, pii):
    model, columns = model_with(ml_service, owner, warehouse, pii, 2)
    before = stored_rows(model)

    change = resend_with_description(model, owner, columns, pii, 2, "")

    assert not change.changed
    assert change.entity.version == Decimal("0.1")
    assert stored_rows(model) == before


def test_a_new_description_costs_the_same_queries_for_2_or_6_features(
    ml_service, owner, warehouse, pii, django_assert_max_num_queries
):
    small, columns = model_with(ml_service, owner, warehouse, pii, 2)
    large, _ = model_with(ml_service, owner, warehouse, pii, 6)
    # The column lookup of the table-only sources (1), a savepoint (2), locking and reading the model (10)
    # with its model versions (1), saving it with its version (3); the rest is left to receivers of the write (the stored API document):
    # the model is not read again, the lineage edges not re-derived, the features not rewritten.
    with CaptureQueriesContext(connection) as two, django_assert_max_num_queries(21):
        resend_with_description(small, owner, columns, pii, 2, "Two features.")
    with CaptureQueriesContext(connection) as six:
        resend_with_description(large, owner, columns, pii, 6, "Six features.")
    assert len(two) == len(six)


def test_an_api_put_of_a_new_description_costs_the_same_queries_for_2_or_6_features(
    ml_service, owner, editor, warehouse, pii
):
    api = ApiClient(token_for(editor))

    def put_new_description(model):
        body = api.get(f"/mlmodels/{model.pk}?fields=owners,tags").json()
        request = {key: body[key] for key in ("name", "algorithm", "mlFeatures", "mlHyperParameters", "tags")}
        for feature in request["mlFeatures"]:
            del feature["fullyQualifiedName"]
            for source in feature["featureSources"]:
                del source["fullyQualifiedName"]
                source["dataSource"] = {"id": source["dataSource"]["id"], "type": "table"}
        request.update(service=ml_service.name, description="Described over the API.")
        with CaptureQueriesContext(connection) as queries:
            response = api.put("/mlmodels", request)
        assert response.status_code == 200, response.content
        assert response.json()["version"] == 0.2
        return len(queries)

    # Every feature and source is tagged: the request's tag labels are resolved together, in one query.
    small, _ = model_with(ml_service, owner, warehouse, pii, 2)
    large, _ = model_with(ml_service, owner, warehouse, pii, 6)
    assert put_new_description(small) == put_new_description(large)


def test_reordering_features_moves_them_without_rewriting_their_sources(ml_service, owner, warehouse, pii):
    model, columns = model_with(ml_service, owner, warehouse, pii, 3)
    before = stored_rows(model)
    specs = tagged_features(columns, pii["non_sensitive"], 3)

    change = mlmodels.update_mlmodel(model, owner, features=[specs[2], specs[0], specs[1]])

    assert stored_rows(model) == before
    assert [c["name"] for c in change.entity.change_description["fieldsUpdated"]] == ["mlFeatures"]
    names = list(MlFeature.objects.filter(model=model).order_by("position").values_list("name", flat=True))
    assert names == ["feature_2", "feature_0", "feature_1"]


# -- Tables -----------------------------------------------------------------------------------------------------------


def queries_to_write_a_table(warehouse, pii, count) -> tuple[int, int]:
    """Queries to create a table of ``count`` tagged columns, then to change every column and its tags."""

    def columns(description, tag):
        return [assets.ColumnSpec(name=f"c{i}", description=description, tags=[tag]) for i in range(count)]

    with CaptureQueriesContext(connection) as created:
        assets.save_table(warehouse["schema"], f"t{count}", "test", columns=columns("", pii["sensitive"]))
    with CaptureQueriesContext(connection) as changed:
        assets.save_table(warehouse["schema"], f"t{count}", "test", columns=columns("new", pii["non_sensitive"]))
    return len(created), len(changed)


def test_writing_a_table_costs_a_few_queries_whatever_its_number_of_columns(warehouse, pii):
    """A table at the column bound (catalog.services.validation) is written in a few queries, not a few per column.

    Only the database's batching of large inserts adds a query or two.
    """
    small = queries_to_write_a_table(warehouse, pii, 2)
    large = queries_to_write_a_table(warehouse, pii, 200)
    assert all(big <= few + 3 for big, few in zip(large, small, strict=True)), (small, large)
