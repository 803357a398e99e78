"""What sensitive data reaches is computed once and kept until a write could change it.

These tests commit for real (nothing is kept inside a transaction), on
SQLite and PostgreSQL alike. Each fails if the renewal it names is removed.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from benchmark import synthetic
from catalog.models import MlModel, Table
from catalog.services import deletion, mlmodels, modelversions
from catalog.services.modelversions import DatasetSpec
from lineage import edits, governance, graph
from tests.api.conftest import ApiClient, token_for
from tests.lineage.conftest import columns_of, feature, make_model, save_table

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_changing_a_model_versions_training_data_changes_the_kept_answer(world, editor):
    spend, customers, c = world["spend"], world["customers"], world["columns"]
    assert spend.id not in governance.exposed_model_ids()
    modelversions.save_model_version(spend, 1, editor, datasets=[DatasetSpec("training", customers, [c["gender"]])])
    assert spend.id in governance.exposed_model_ids()
    modelversions.save_model_version(spend, 1, editor, datasets=[DatasetSpec("training", customers, [c["income"]])])
    assert spend.id not in governance.exposed_model_ids()
    modelversions.save_model_version(spend, 2, editor, datasets=[DatasetSpec("evaluation", customers, [])])
    assert spend.id in governance.exposed_model_ids()
    modelversions.delete_model_version(spend, 2, editor)
    assert spend.id not in governance.exposed_model_ids()


def test_removing_the_table_a_model_version_was_trained_on_changes_the_kept_answer(world, editor):
    spend, customers = world["spend"], world["customers"]
    modelversions.save_model_version(spend, 1, editor, datasets=[DatasetSpec("training", customers, [])])
    assert spend.id in governance.exposed_model_ids()
    deletion.delete(Table.objects.get(pk=customers.pk), editor, hard=True)
    assert spend.id not in governance.exposed_model_ids()


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


def test_edges_stated_and_deleted_through_the_api_change_the_kept_answer(world, ml_service, editor):
    reader = make_model(ml_service, "orders-reader", [feature("amount", world["order_columns"]["amount"])])
    assert reader.id not in governance.exposed_model_ids()
    api = ApiClient(token_for(editor))
    ends = {"fromEntity": {"id": str(world["customers"].id), "type": "table"}}
    ends["toEntity"] = {"id": str(world["orders"].id), "type": "table"}
    assert api.put("/lineage", {"edge": ends}).status_code == 200
    assert reader.id in governance.exposed_model_ids()
    assert api.delete(f"/lineage/table/{world['customers'].id}/table/{world['orders'].id}").status_code == 200
    assert reader.id not in governance.exposed_model_ids()


def test_a_generated_catalogue_is_not_answered_from_before_it_was_loaded(db):
    """The benchmark's generator writes by bulk, past the write path: it renews the token itself."""
    assert governance.exposed_model_ids() == set()
    synthetic.generate(
        synthetic.Scale(models=40, tables=10, columns_per_table=20, users=4, teams=2, tagged_share=1.0), seed=1
    )
    assert governance.exposed_model_ids()


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
