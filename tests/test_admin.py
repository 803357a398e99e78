"""The admin console shows the catalogue and its edits go through the versioned write path."""

from decimal import Decimal

import pytest

from catalog.models import CARD_FIELDS, EntityVersion, MlFeature, MlModel, ModelVersion


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def model_form(model, **changes):
    """Return the admin change form's POST data for ``model`` with ``changes`` applied."""
    data = {
        "service": str(model.service_id),
        "name": model.name,
        "display_name": model.display_name,
        "description": model.description,
        "algorithm": model.algorithm,
        "target": model.target,
        "server": model.server,
        "ml_store_storage": model.ml_store_storage,
        "ml_store_image": model.ml_store_image,
        "source_url": model.source_url,
        "dashboard": "",
        "owner_users": [str(u.pk) for u in model.owner_users.all()],
        "owner_teams": [],
        "tags": [],
        "followers": [],
        **{name: getattr(model, name) for name in CARD_FIELDS},
        "features-TOTAL_FORMS": str(model.features.count()),
        "features-INITIAL_FORMS": str(model.features.count()),
        "features-MIN_NUM_FORMS": "0",
        "features-MAX_NUM_FORMS": "1000",
        "hyperparameters-TOTAL_FORMS": "0",
        "hyperparameters-INITIAL_FORMS": "0",
        "hyperparameters-MIN_NUM_FORMS": "0",
        "hyperparameters-MAX_NUM_FORMS": "1000",
    }
    for i, feature in enumerate(model.features.all()):
        data.update(
            {
                f"features-{i}-id": str(feature.pk),
                f"features-{i}-model": str(model.pk),
                f"features-{i}-position": str(feature.position),
                f"features-{i}-name": feature.name,
                f"features-{i}-data_type": feature.data_type,
                f"features-{i}-feature_algorithm": feature.feature_algorithm,
                f"features-{i}-description": feature.description,
            }
        )
    # The hyperparameter rows are replaced by the write path; the admin sees them fresh.
    params = list(model.hyperparameters.all())
    data["hyperparameters-TOTAL_FORMS"] = data["hyperparameters-INITIAL_FORMS"] = str(len(params))
    for i, param in enumerate(params):
        data.update(
            {
                f"hyperparameters-{i}-id": str(param.pk),
                f"hyperparameters-{i}-model": str(model.pk),
                f"hyperparameters-{i}-position": str(param.position),
                f"hyperparameters-{i}-name": param.name,
                f"hyperparameters-{i}-value": param.value,
                f"hyperparameters-{i}-description": param.description,
            }
        )
    data.update(changes)
    return data


def test_the_model_list_costs_the_same_queries_for_one_or_many_models(
    admin_client, churn_model, ml_service, owner, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.services import mlmodels

    with CaptureQueriesContext(connection) as one:
        assert admin_client.get("/admin/catalog/mlmodel/").status_code == 200
    for i in range(5):
        mlmodels.create_mlmodel(ml_service, f"extra-{i}", owner, algorithm="GBM", owners=[owner])
    with CaptureQueriesContext(connection) as six:
        response = admin_client.get("/admin/catalog/mlmodel/")
    assert b"extra-4" in response.content
    assert len(six) == len(one)


def test_an_admin_edit_creates_a_version_with_the_admin_as_author(admin_client, churn_model):
    response = admin_client.post(
        f"/admin/catalog/mlmodel/{churn_model.pk}/change/", model_form(churn_model, algorithm="CatBoost")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    model = MlModel.objects.get(pk=churn_model.pk)
    assert model.algorithm == "CatBoost"
    assert model.version == Decimal("1.1")
    assert model.updated_by == "root"
    assert model.change_description["fieldsUpdated"] == [
        {"name": "algorithm", "oldValue": "XGBoost", "newValue": "CatBoost"}
    ]
    assert EntityVersion.objects.filter(entity_id=model.pk, version=Decimal("0.1")).exists()


def test_an_admin_save_without_changes_creates_no_version(admin_client, churn_model):
    response = admin_client.post(f"/admin/catalog/mlmodel/{churn_model.pk}/change/", model_form(churn_model))
    assert response.status_code == 302
    assert MlModel.objects.get(pk=churn_model.pk).version == Decimal("0.1")


def test_an_admin_inline_feature_edit_versions_the_model(admin_client, churn_model):
    data = model_form(churn_model, **{"features-0-description": "Age in whole years"})
    response = admin_client.post(f"/admin/catalog/mlmodel/{churn_model.pk}/change/", data)
    assert response.status_code == 302
    model = MlModel.objects.get(pk=churn_model.pk)
    assert model.version == Decimal("0.2")
    assert model.change_description["fieldsUpdated"][0]["name"] == "mlFeatures.age.description"


def test_an_invalid_server_url_is_refused_next_to_the_field(admin_client, churn_model):
    response = admin_client.post(
        f"/admin/catalog/mlmodel/{churn_model.pk}/change/", model_form(churn_model, server="not a url")
    )
    assert response.status_code == 200
    assert "server" in response.context["adminform"].form.errors
    assert MlModel.objects.get(pk=churn_model.pk).version == Decimal("0.1")


def test_a_new_model_created_in_the_admin_starts_at_0_1_with_its_features(admin_client, ml_service):
    data = {
        "service": str(ml_service.pk),
        "name": "from-admin",
        "display_name": "",
        "description": "",
        "algorithm": "SVM",
        "target": "",
        "server": "",
        "ml_store_storage": "",
        "ml_store_image": "",
        "source_url": "",
        "dashboard": "",
        "features-TOTAL_FORMS": "1",
        "features-INITIAL_FORMS": "0",
        "features-MIN_NUM_FORMS": "0",
        "features-MAX_NUM_FORMS": "1000",
        "features-0-position": "0",
        "features-0-name": "x",
        "features-0-data_type": "numerical",
        "features-0-feature_algorithm": "",
        "features-0-description": "",
        "hyperparameters-TOTAL_FORMS": "0",
        "hyperparameters-INITIAL_FORMS": "0",
        "hyperparameters-MIN_NUM_FORMS": "0",
        "hyperparameters-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post("/admin/catalog/mlmodel/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    model = MlModel.objects.get(name="from-admin")
    assert model.version == Decimal("0.1") and model.updated_by == "root"
    assert list(MlFeature.objects.filter(model=model).values_list("name", flat=True)) == ["x"]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/catalog/mlmodel/",
        "/admin/catalog/table/",
        "/admin/catalog/dashboard/",
        "/admin/catalog/user/",
        "/admin/catalog/team/",
        "/admin/catalog/tag/",
        "/admin/catalog/classification/",
        "/admin/catalog/mlmodelservice/",
        "/admin/catalog/databaseservice/",
        "/admin/catalog/dashboardservice/",
        "/admin/catalog/database/",
        "/admin/catalog/databaseschema/",
        "/admin/catalog/mlfeature/",
        "/admin/catalog/entityversion/",
    ],
)
def test_every_entity_has_an_admin_list(admin_client, churn_model, dashboard, path):
    assert admin_client.get(path).status_code == 200


def test_service_secrets_are_never_shown_back(admin_client, warehouse):
    from catalog.services import changes

    service = warehouse["service"]
    with changes.change(service, "test") as c:
        c.entity.connection = {"config": {"username": "reader", "password": "hunter2"}}
    page = admin_client.get(f"/admin/catalog/databaseservice/{service.pk}/change/").content.decode()
    assert "reader" in page and "hunter2" not in page


def test_the_demo_catalogue_shows_in_the_admin(admin_client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    page = admin_client.get("/admin/catalog/mlmodel/").content.decode()
    assert "credit-scoring" in page and "customer-churn" in page


def test_an_administrator_revokes_api_tokens_from_the_console(admin_client, editor):
    from catalog.models import ApiToken

    token, raw = ApiToken.issue(editor, "notebook")
    page = admin_client.get("/admin/catalog/apitoken/").content.decode()
    assert "notebook" in page and raw not in page
    response = admin_client.post(
        "/admin/catalog/apitoken/", {"action": "revoke_selected", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert ApiToken.authenticate(raw) is None


def version_form(model, number=1, status="development", metrics=(), datasets=(), aliases=(), **values) -> dict:
    """The admin's add form of a model version with these inline rows."""
    data = {
        "model": str(model.pk),
        "number": str(number),
        "status": status,
        "reason": "",
        "description": "",
        "source_uri": "",
        "run_id": "",
        "run_url": "",
        "created_by": "",
        "created_at_0": "2024-09-18",
        "created_at_1": "09:30:00",
        "tags": "{}",
        "signature": "{}",
        "parameters": "{}",
        **values,
    }
    for prefix, rows in (("aliases", aliases), ("metrics", metrics), ("datasets", datasets), ("reviews", ())):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


AUC = {"name": "auc", "value": "0.86", "dataset": "test", "step": "0", "higher_is_better": "on"}


def test_a_model_version_added_in_the_admin_is_one_history_version_of_its_model(admin_client, churn_model):
    data = version_form(
        churn_model, status="production", reason="Best AUC.", metrics=[AUC], aliases=[{"name": "champion"}]
    )
    response = admin_client.post("/admin/catalog/modelversion/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = ModelVersion.objects.get(model=churn_model, number=1)
    assert version.status == "production" and version.metrics.get().value == 0.86
    assert version.reviews.get(decision="approved").reason == "Best AUC."
    assert list(version.aliases.values_list("name", flat=True)) == ["champion"]
    assert EntityVersion.objects.filter(entity_id=churn_model.pk).count() == 2  # the version, then its alias


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"metrics": [{**AUC, "value": "nan"}]}, "value", "A metric's value is a finite number."),
        ({"metrics": [{**AUC, "value": "high"}]}, "value", "A metric's value is a number, not 'high'."),
        ({"aliases": [{"name": "champion"}, {"name": "champion"}]}, "name", "Alias 'champion' repeats"),
        ({"aliases": [{"name": "latest"}]}, "name", "'latest' is reserved"),
        ({"run_url": "not a url"}, "run_url", "Enter a valid http(s) URL, not 'not a url'."),
    ],
)
def test_the_admin_refuses_a_bad_model_version_with_the_write_paths_message(
    admin_client, churn_model, change, field, message
):
    response = admin_client.post("/admin/catalog/modelversion/add/", version_form(churn_model, **change))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ModelVersion.objects.exists()


def test_the_admin_refuses_a_dataset_column_of_another_table(admin_client, churn_model, warehouse):
    from catalog.models import Column, Table
    from tests.conftest import make

    customers = warehouse["customers"]
    orders = make(
        Table(schema=warehouse["schema"], name="orders"),
        related=lambda table: Column.objects.create(table=table, name="amount", position=0),
    )
    row = {"role": "training", "table": str(customers.pk), "columns": str(orders.columns.get().pk)}
    response = admin_client.post("/admin/catalog/modelversion/add/", version_form(churn_model, datasets=[row]))
    assert response.status_code == 200
    assert f"is not a column of {customers.fqn}" in response.content.decode()
    assert not ModelVersion.objects.exists()


def test_a_gated_status_needs_the_approval_permission_in_the_admin(client, churn_model, editor):
    from django.contrib.auth.models import Permission

    editor.is_staff = True
    editor.save()
    editor.user_permissions.set(Permission.objects.filter(content_type__model="modelversion"))
    client.force_login(editor)
    response = client.post("/admin/catalog/modelversion/add/", version_form(churn_model, status="production"))
    assert response.status_code == 200
    assert "may approve or reject its versions" in response.content.decode()
    assert not ModelVersion.objects.exists()


def test_an_administrator_makes_a_user_an_approver(admin_client, editor):
    page = admin_client.get(f"/admin/catalog/user/{editor.pk}/change/").content.decode()
    assert 'name="is_approver"' in page
