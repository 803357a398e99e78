"""What sensitive data reaches is computed once and kept until a committed write could change it.

These tests commit for real (the database triggers that renew the token run
at commit), so they run on PostgreSQL only: elsewhere nothing is kept.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import MlModel
from catalog.services import deletion, mlmodels
from lineage import edits, governance, graph
from lineage.models import Edge
from tests.lineage.conftest import columns_of, feature, make_model, save_table

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers that renew the exposure token exist on PostgreSQL only")


def queries_of(callable_):
    with CaptureQueriesContext(connection) as context:
        result = callable_()
    return result, len(context)


def labels():
    return [label for _, label in governance.exposed_models()]


def test_the_exposed_models_are_computed_once_then_read_with_a_single_query(world):
    first, computed = queries_of(governance.exposed_model_ids)
    again, kept = queries_of(governance.exposed_model_ids)
    assert first == again == {world["churn"].id}
    assert kept == 1 < computed


def test_tagging_and_untagging_a_column_changes_the_kept_answer(world):
    assert governance.exposed_model_ids() == {world["churn"].id}
    save_table(
        world["schema"], "orders", ["order_id", "customer_id", "amount"], sensitive={"amount"}, tag=world["sensitive"]
    )
    assert governance.exposed_model_ids() == {world["churn"].id, world["spend"].id}
    save_table(world["schema"], "orders", ["order_id", "customer_id", "amount"])
    assert governance.exposed_model_ids() == {world["churn"].id}


def test_a_sensitive_tag_on_a_table_changes_the_kept_answer(world):
    assert world["spend"].id not in governance.exposed_model_ids()
    save_table(world["schema"], "orders", ["order_id", "customer_id", "amount"], table_tags=[world["sensitive"]])
    assert world["spend"].id in governance.exposed_model_ids()


def test_changing_a_models_sources_changes_the_kept_answer(world, editor):
    assert governance.exposed_model_ids() == {world["churn"].id}
    mlmodels.update_mlmodel(world["spend"], editor, features=[feature("basket", world["columns"]["gender"])])
    assert governance.exposed_model_ids() == {world["churn"].id, world["spend"].id}
    mlmodels.update_mlmodel(world["churn"], editor, features=[feature("inc", world["columns"]["income"])])
    assert governance.exposed_model_ids() == {world["spend"].id}


def test_renaming_soft_deleting_and_restoring_a_model_change_the_kept_list(world, editor):
    assert labels() == ["churn"]
    mlmodels.update_mlmodel(world["churn"], editor, display_name="Churn risk")
    assert labels() == ["Churn risk"]
    deletion.delete(MlModel.objects.get(pk=world["churn"].pk), editor)
    assert labels() == []
    deletion.restore(MlModel.objects.get(pk=world["churn"].pk), editor)
    assert labels() == ["Churn risk"]


def test_a_hard_deleted_model_leaves_the_kept_list(world, editor):
    assert labels() == ["churn"]
    deletion.delete(MlModel.objects.get(pk=world["churn"].pk), editor, hard=True)
    assert labels() == []


def test_edges_added_and_removed_by_hand_change_the_kept_answer(world, owner, ml_service):
    reader = make_model(ml_service, "orders-reader", [feature("amount", world["order_columns"]["amount"])])
    assert reader.id not in governance.exposed_model_ids()
    edge = edits.add_model_edge(world["churn"], world["orders"], downstream=True, actor=owner)
    assert reader.id in governance.exposed_model_ids()
    edits.remove_edges(edge.from_id, edge.to_id)
    assert reader.id not in governance.exposed_model_ids()


def test_edges_written_outside_the_services_change_the_kept_answer(world, ml_service):
    """The API and bulk loads write edges directly: the triggers see every row, whoever writes it."""
    reader = make_model(ml_service, "orders-reader", [feature("amount", world["order_columns"]["amount"])])
    assert reader.id not in governance.exposed_model_ids()
    Edge.objects.create(
        from_type="table",
        from_id=world["customers"].id,
        to_type="table",
        to_id=world["orders"].id,
        origin=Edge.Origin.API,
    )
    assert reader.id in governance.exposed_model_ids()
    Edge.objects.filter(from_id=world["customers"].id, to_id=world["orders"].id).delete()
    assert reader.id not in governance.exposed_model_ids()


def test_a_models_dashboard_change_moves_the_diagrams_marks(world, editor, dashboard):
    assert graph.build("dashboard", dashboard.id).focus.exposed
    mlmodels.update_mlmodel(world["churn"], editor, dashboard=None)
    assert not graph.build("dashboard", dashboard.id).focus.exposed


def test_diagrams_mark_what_a_new_tag_exposes_at_once(world):
    spend = world["spend"]
    assert not graph.build("mlmodel", spend.id).focus.exposed
    save_table(
        world["schema"], "orders", ["order_id", "customer_id", "amount"], sensitive={"amount"}, tag=world["sensitive"]
    )
    lineage = graph.build("mlmodel", spend.id)
    assert lineage.focus.exposed
    assert lineage.nodes[columns_of(world["orders"])["amount"].id].sensitive


def test_the_sensitive_tags_setting_is_part_of_what_is_kept(world, settings):
    assert governance.exposed_model_ids() == {world["churn"].id}
    settings.SENSITIVE_TAGS = []
    assert governance.exposed_model_ids() == set()


def test_inside_a_transaction_its_own_writes_are_seen(world):
    assert governance.exposed_model_ids() == {world["churn"].id}
    with transaction.atomic():
        save_table(
            world["schema"],
            "orders",
            ["order_id", "customer_id", "amount"],
            sensitive={"amount"},
            tag=world["sensitive"],
        )
        assert world["spend"].id in governance.exposed_model_ids()
        transaction.set_rollback(True)
    assert governance.exposed_model_ids() == {world["churn"].id}
