"""Stored model documents stay what a fresh representation gives, after every kind of write; reads use them."""

import json

import pytest

from api import output
from api.entities import KINDS
from catalog import documents, registry, representations
from catalog.models import ApiToken, Column, MlModel, MlModelDocument
from catalog.services import assets, changes, deletion, mlmodels
from catalog.services.assets import ColumnSpec
from tests.api.conftest import ApiClient

FIELDS = ["version", "body", "dashboard", "owners", "followers", "tags", "search_text"]


def stored(model):
    document = MlModelDocument.objects.get(pk=model.pk)
    return {name: getattr(document, name) for name in FIELDS}


def fresh(model):
    document = documents.build(representations.represented(MlModel).get(pk=model.pk))
    return {name: getattr(document, name) for name in FIELDS}


def assert_current(model):
    assert stored(model) == fresh(model)


@pytest.fixture
def tagged_model(churn_model, editor, pii, dashboard):
    """The churn model with a dashboard, a tag, a follower, and tags on a feature and a source."""
    customers = churn_model.features.first().sources.first().table
    column = {c.name: c for c in customers.columns.all()}
    mlmodels.update_mlmodel(
        churn_model,
        editor,
        dashboard=dashboard,
        tags=[pii["non_sensitive"]],
        followers=[editor],
        features=[
            mlmodels.FeatureSpec(
                name="age",
                tags=[pii["sensitive"]],
                sources=[mlmodels.SourceSpec(name="birth_date", column=column["birth_date"], tags=[pii["sensitive"]])],
            ),
        ],
    )
    return MlModel.objects.get(pk=churn_model.pk)


def test_a_new_model_has_its_document(churn_model):
    assert_current(churn_model)
    assert json.loads(stored(churn_model)["body"])["name"] == "churn"


def test_an_edit_of_the_model_or_its_features_rebuilds_the_document(tagged_model, editor):
    assert_current(tagged_model)
    mlmodels.update_mlmodel(tagged_model, editor, description="Predicts churn.", algorithm="LightGBM")
    assert_current(tagged_model)
    assert json.loads(stored(tagged_model)["body"])["description"] == "Predicts churn."
    mlmodels.update_mlmodel(tagged_model, editor, features=[mlmodels.FeatureSpec(name="tenure")])
    assert_current(tagged_model)


def test_following_and_unfollowing_rewrite_the_followers(churn_model, viewer):
    mlmodels.set_following(churn_model, viewer, following=True)
    assert [u["name"] for u in json.loads(stored(churn_model)["followers"])] == ["vera"]
    assert_current(churn_model)
    mlmodels.set_following(churn_model, viewer, following=False)
    assert stored(churn_model)["followers"] == "[]"
    viewer.followed_mlmodels.add(churn_model)
    assert_current(churn_model)
    viewer.followed_mlmodels.clear()
    assert_current(churn_model)


def test_soft_delete_and_restore_rebuild_the_document(churn_model, editor):
    deletion.delete(churn_model, editor)
    assert json.loads(stored(churn_model)["body"])["deleted"] is True
    assert_current(churn_model)
    deletion.restore(MlModel.objects.get(pk=churn_model.pk), editor)
    assert_current(churn_model)


def test_a_write_recorded_in_steps_as_the_admin_does_rebuilds_the_document(churn_model, admin_user):
    before = changes.snapshot_of(MlModel, churn_model.pk)
    model = MlModel.objects.get(pk=churn_model.pk)
    model.display_name = "Churn (admin)"
    model.save()
    changes.record(model, before, admin_user)
    assert json.loads(stored(churn_model)["body"])["displayName"] == "Churn (admin)"
    assert_current(churn_model)


def test_describing_or_deleting_what_a_model_shows_rebuilds_its_document(
    tagged_model, editor, warehouse, pii, dashboard, ml_service, owner
):
    schema = warehouse["schema"]
    assets.save_table(schema, "customers", editor, description="Everyone who ever bought.")
    assert "Everyone who ever bought." in stored(tagged_model)["body"]
    assets.save_service(type(ml_service), ml_service.name, editor, description="Production MLflow")
    assets.save_dashboard(dashboard.service, dashboard.name, editor, display_name="Churn board")
    assets.save_user(owner.username, editor, display_name="Olivia O.")
    assets.save_user(editor.username, editor, description="Edits things")
    assets.save_tag(pii["sensitive"].classification, "Sensitive", editor, description="Handle with care")
    assert_current(tagged_model)
    assert "Churn board" in stored(tagged_model)["dashboard"]
    assert "Olivia O." in stored(tagged_model)["owners"]
    assert "Handle with care" in stored(tagged_model)["body"]  # the feature's and the source's tag labels

    deletion.delete(dashboard, editor)  # soft: the reference says deleted
    assert json.loads(stored(tagged_model)["dashboard"])["deleted"] is True
    deletion.delete(pii["non_sensitive"], editor, hard=True)
    assert stored(tagged_model)["tags"] == "[]"
    assert_current(tagged_model)


def test_renaming_a_column_a_source_reads_changes_the_search_words(churn_model, editor, warehouse):
    columns = [ColumnSpec(name=c.name, data_type=c.data_type) for c in warehouse["customers"].columns.all()]
    columns = [c if c.name != "income" else ColumnSpec(name="salary", data_type="DOUBLE") for c in columns]
    assets.save_table(warehouse["schema"], "customers", editor, columns=columns)
    assert not Column.objects.filter(name="income").exists()
    assert_current(churn_model)


def test_hard_deleting_a_table_drops_it_from_the_sources(churn_model, editor, warehouse):
    deletion.delete(warehouse["customers"], editor, hard=True)
    assert '"dataSource"' not in stored(churn_model)["body"]
    assert_current(churn_model)


# -- Reading them through the API ------------------------------------------------------------------------------------


@pytest.fixture
def api(editor):
    client = ApiClient(ApiToken.issue(editor, "tests")[1])
    client.get("/mlmodels?limit=1")  # the token's first use is recorded once
    return client


def test_get_by_name_and_by_id_cost_the_token_and_one_query(api, tagged_model, django_assert_num_queries):
    with django_assert_num_queries(2):
        by_name = api.get("/mlmodels/name/mlflow-prod.churn?fields=owners,tags,followers,dashboard")
    with django_assert_num_queries(2):
        by_id = api.get(f"/mlmodels/{tagged_model.pk}?fields=*")
    assert by_name.status_code == by_id.status_code == 200
    assert by_name["ETag"] == f'W/"{tagged_model.version}"'
    assert by_name.json()["dashboard"]["name"] == "churn-monitoring"
    assert by_id.json()["votes"] == {"upVotes": 0, "downVotes": 0, "upVoters": [], "downVoters": []}


def test_reads_are_byte_for_byte_the_representation(api, tagged_model):
    base = "http://testserver"
    model = representations.represented(MlModel).get(pk=tagged_model.pk)
    for fields in ["", "owners", "tags,followers", "dashboard,votes,domains,dataProducts", "*"]:
        response = api.get(f"/mlmodels/{tagged_model.pk}?fields={fields}")
        wanted = (
            set(registry.TYPES["mlmodel"].relation_fields) if fields == "*" else set(filter(None, fields.split(",")))
        )
        assert response.content.decode() == documents.dumps(representations.represent(model, wanted, base))


def test_a_model_without_a_current_document_is_served_built_afresh(api, churn_model):
    expected = api.get(f"/mlmodels/{churn_model.pk}?fields=owners").json()
    MlModelDocument.objects.filter(pk=churn_model.pk).delete()
    assert api.get(f"/mlmodels/{churn_model.pk}?fields=owners").json() == expected
    assert api.get("/mlmodels?fields=owners").json()["data"] == [expected]
    MlModelDocument.objects.filter(pk=churn_model.pk).update(version="0.0")  # older than its model
    assert api.get("/mlmodels/name/mlflow-prod.churn?fields=owners").json() == expected


def test_hrefs_follow_the_host_asked(api, churn_model, settings):
    settings.ALLOWED_HOSTS = ["catalogue.example.org"]
    data = api.get(f"/mlmodels/{churn_model.pk}", HTTP_HOST="catalogue.example.org").json()
    assert data["href"] == f"http://catalogue.example.org/api/v1/mlmodels/{churn_model.pk}"
    assert data["service"]["href"].startswith("http://catalogue.example.org/api/v1/services/mlmodelServices/")


def test_write_responses_from_the_document_are_the_written_representation(api, tagged_model):
    kind = KINDS["mlmodel"]
    body = {"name": "churn", "service": "mlflow-prod", "algorithm": "XGBoost", "description": "Who leaves."}
    response = api.put("/mlmodels", body)
    assert response.status_code == 200, response.content
    model = representations.represented(MlModel).get(pk=tagged_model.pk)
    assert response.json() == output.written(kind, model, "http://testserver")
    assert response["ETag"] == f'W/"{model.version}"'
