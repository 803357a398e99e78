"""Sensitive data: exposure flows downstream, computed live, with every path listed."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Classification, MlModel, Tag
from catalog.services import deletion
from lineage import governance, graph
from lineage.models import Edge
from tests.conftest import make
from tests.lineage.conftest import columns_of, feature, make_model, save_table


def path_names(exposed) -> set:
    return {tuple(step.info.name for step in path) for path in exposed.paths}


def report_for(model):
    [exposed] = governance.report([model.id])
    return exposed


def test_a_model_fed_by_a_sensitive_column_is_exposed_and_a_clean_one_is_not(world):
    assert governance.exposed_model_ids() == {world["churn"].id}


def test_every_path_from_a_sensitive_column_to_the_model_is_listed(world):
    exposed = report_for(world["churn"])
    assert path_names(exposed) == {("gender", "persona", "churn"), ("birth_date", "age", "churn")}
    [first, *_] = exposed.paths
    assert first[0].container.name == "customers"
    assert [o.name for o in exposed.info.owners] == ["olivia"]


def test_the_report_lists_every_exposed_model_with_its_owners(world):
    [exposed] = governance.report()
    assert exposed.info.name == "churn" and exposed.info.owners


def test_tagging_a_column_later_exposes_every_model_below_it_at_once(world):
    orders = world["orders"]
    save_table(
        world["schema"], "orders", ["order_id", "customer_id", "amount"], sensitive={"amount"}, tag=world["sensitive"]
    )
    assert governance.exposed_model_ids() == {world["churn"].id, world["spend"].id}
    basket = world["spend"].features.get(name="basket")
    lineage = graph.build("mlmodel", world["spend"].id, upstream=1, downstream=0)
    assert lineage.nodes[basket.id].exposed and lineage.focus.exposed
    assert lineage.nodes[columns_of(orders)["amount"].id].sensitive
    save_table(world["schema"], "orders", ["order_id", "customer_id", "amount"])
    assert governance.exposed_model_ids() == {world["churn"].id}


def test_a_sensitive_table_exposes_every_model_reading_any_of_its_columns(world):
    save_table(world["schema"], "orders", ["order_id", "customer_id", "amount"], table_tags=[world["sensitive"]])
    assert world["spend"].id in governance.exposed_model_ids()
    assert path_names(report_for(world["spend"])) == {("orders", "amount", "basket", "spend")}


def test_a_model_reading_only_clean_columns_of_a_table_with_sensitive_ones_is_not_exposed(world, ml_service):
    income_only = make_model(ml_service, "income-only", [feature("inc", world["columns"]["income"])])
    # The SDK's add_mlmodel_lineage stores the table → model edge through the API.
    Edge.objects.filter(to_id=income_only.id, from_type="table").update(origin=Edge.Origin.API)
    assert income_only.id not in governance.exposed_model_ids()


def test_a_table_edge_to_a_model_without_feature_sources_carries_exposure(world, ml_service):
    bare = make_model(ml_service, "bare", [])
    Edge.objects.create(
        from_type="table", from_id=world["customers"].id, to_type="mlmodel", to_id=bare.id, origin=Edge.Origin.API
    )
    assert bare.id in governance.exposed_model_ids()


def test_exposure_flows_through_table_grain_edges(world, ml_service):
    derived_table = save_table(world["schema"], "customer_features", ["age_band"])
    Edge.objects.create(
        from_type="table",
        from_id=world["customers"].id,
        to_type="table",
        to_id=derived_table.id,
        origin=Edge.Origin.API,
    )
    model = make_model(ml_service, "banded", [feature("band", columns_of(derived_table)["age_band"])])
    assert model.id in governance.exposed_model_ids()
    assert ("birth_date", "customers", "customer_features", "age_band", "band", "banded") in path_names(
        report_for(model)
    )


def test_a_path_never_runs_from_a_sensitive_column_through_its_table_to_a_clean_one(world, ml_service):
    raw = save_table(world["schema"], "raw_customers", ["payload"], table_tags=[world["sensitive"]])
    Edge.objects.create(
        from_type="table", from_id=raw.id, to_type="table", to_id=world["customers"].id, origin=Edge.Origin.API
    )
    income_only = make_model(ml_service, "income-only", [feature("inc", world["columns"]["income"])])
    # customers is exposed whole through raw_customers, not through its gender and birth_date columns.
    expected = {("raw_customers", "customers", "income", "inc", "income-only")}
    assert path_names(report_for(income_only)) == expected
    # The same on the model's page, whose diagram also shows customers with its sensitive columns.
    lineage = graph.build("mlmodel", income_only.id, upstream=2, downstream=1)
    assert world["customers"].id in lineage.nodes
    [exposed] = governance.report([income_only.id], lineage.exposure)
    assert path_names(exposed) == expected


def test_exposure_reaches_the_dashboard_and_the_tables_a_model_writes(world):
    found = governance.exposure([world["dashboard"].id, world["scores"].id, world["spend"].id])
    assert found.is_exposed(world["dashboard"].id)
    assert found.is_exposed(world["scores"].id)
    assert not found.is_exposed(world["spend"].id)


def test_exposure_flows_from_a_model_through_the_table_it_writes_to_the_models_reading_it(world, ml_service):
    reader = make_model(ml_service, "score-reader", [feature("churn_score", columns_of(world["scores"])["score"])])
    assert reader.id in governance.exposed_model_ids()
    assert ("birth_date", "age", "churn", "churn_scores", "score", "churn_score", "score-reader") in path_names(
        report_for(reader)
    )


def test_a_cycle_in_the_lineage_does_not_stop_the_computation(world):
    Edge.objects.create(
        from_type="table", from_id=world["scores"].id, to_type="table", to_id=world["orders"].id, origin=Edge.Origin.API
    )
    Edge.objects.create(
        from_type="table",
        from_id=world["orders"].id,
        to_type="table",
        to_id=world["customers"].id,
        origin=Edge.Origin.API,
    )
    assert governance.exposed_model_ids() == {world["churn"].id, world["spend"].id}


def test_a_soft_deleted_model_is_not_listed_until_restored(world, editor):
    deletion.delete(world["churn"], editor)
    assert governance.exposed_model_ids() == set()
    assert governance.report() == []
    deletion.restore(MlModel.objects.get(pk=world["churn"].pk), editor)
    assert governance.exposed_model_ids() == {world["churn"].id}


def test_the_sensitive_tags_are_a_setting(world, settings):
    classification = make(Classification(name="Confidential"))
    tag = make(Tag(classification=classification, name="Restricted"))
    settings.SENSITIVE_TAGS = ["Confidential.Restricted"]
    assert governance.exposed_model_ids() == set()
    save_table(world["schema"], "orders", ["order_id", "customer_id", "amount"], sensitive={"amount"}, tag=tag)
    assert governance.exposed_model_ids() == {world["spend"].id}
    settings.SENSITIVE_TAGS = []
    assert governance.exposed_model_ids() == set()


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context)


def test_listing_exposed_models_costs_the_same_queries_for_a_small_and_a_larger_catalogue(world, ml_service):
    small = count_queries(governance.exposed_model_ids)
    wide = save_table(
        world["schema"],
        "wide",
        [f"c{i}" for i in range(12)],
        sensitive={f"c{i}" for i in range(6)},
        tag=world["sensitive"],
    )
    columns = columns_of(wide)
    for index in range(5):
        make_model(
            ml_service,
            f"wide-{index}",
            [feature(f"f{i}", columns[f"c{i}"]) for i in range(12)],
            dashboard=world["dashboard"],
        )
    assert len(governance.exposed_model_ids()) == 6
    assert count_queries(governance.exposed_model_ids) == small
    assert small <= 8


def test_the_exposure_of_a_model_costs_the_same_queries_for_a_small_and_a_larger_neighbourhood(world, ml_service):
    small = count_queries(lambda: governance.report([world["churn"].id]))
    wide = save_table(
        world["schema"],
        "wide",
        [f"c{i}" for i in range(12)],
        sensitive={f"c{i}" for i in range(6)},
        tag=world["sensitive"],
    )
    columns = columns_of(wide)
    large = make_model(
        ml_service,
        "wide",
        [feature(f"f{i}", columns[f"c{i}"], world["columns"]["gender"]) for i in range(12)],
        dashboard=world["dashboard"],
    )
    [exposed] = governance.report([large.id])
    assert len(exposed.paths) == 12 + 6  # gender into every feature, c0 to c5 into six
    assert count_queries(lambda: governance.report([large.id])) == small


def test_a_catalogue_without_sensitive_tags_has_no_exposure(world):
    save_table(world["schema"], "customers", ["customer_id", "gender", "birth_date", "income"])
    assert governance.exposed_model_ids() == set()
    assert governance.report([world["churn"].id]) == []
