"""SDK flows beyond OpenMetadata's own test: JSON Patch, dashboard lineage, paging, dotted names, restore."""

import pytest
from metadata.generated.schema.api.data.createDashboard import CreateDashboardRequest
from metadata.generated.schema.api.data.createMlModel import CreateMlModelRequest
from metadata.generated.schema.api.lineage.addLineage import AddLineageRequest
from metadata.generated.schema.api.services.createDashboardService import CreateDashboardServiceRequest
from metadata.generated.schema.api.teams.createUser import CreateUserRequest
from metadata.generated.schema.entity.data.dashboard import Dashboard
from metadata.generated.schema.entity.data.mlmodel import MlModel, MlStore
from metadata.generated.schema.entity.services.dashboardService import DashboardServiceType
from metadata.generated.schema.entity.teams.user import User
from metadata.generated.schema.type.entityLineage import EntitiesEdge, LineageDetails
from metadata.generated.schema.type.entityReference import EntityReference
from metadata.generated.schema.type.entityReferenceList import EntityReferenceList

from catalog.models import MlModel as StoredModel
from lineage.models import Edge
from tests.api.sdk import connect, ml_service

pytestmark = [pytest.mark.sdk, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def model(metadata):
    service = ml_service(metadata)
    return metadata.create_or_update(
        CreateMlModelRequest(name="churn", algorithm="XGBoost", service=service.fullyQualifiedName)
    )


def test_patch_description_sets_the_description_as_a_minor_version(metadata, model):
    patched = metadata.patch_description(entity=MlModel, source=model, description="Predicts churn")

    assert patched.description.root == "Predicts churn"
    assert patched.version.root == 0.2
    assert patched.changeDescription.fieldsAdded[0].name.root == "description"
    assert metadata.get_by_id(entity=MlModel, entity_id=model.id).description.root == "Predicts churn"


def test_patching_the_algorithm_is_a_major_version_and_mlstore_a_minor_one(metadata, model):
    destination = model.model_copy(deep=True)
    destination.algorithm = "LightGBM"
    destination.mlStore = MlStore(storage="s3://models/churn", imageRepository="https://registry.example.com/churn")

    patched = metadata.patch(entity=MlModel, source=model, destination=destination, skip_on_failure=False)

    assert patched.algorithm == "LightGBM"
    assert patched.mlStore.storage == "s3://models/churn"
    assert patched.version.root == 1.1
    assert patched.changeDescription.previousVersion.root == 0.1


def test_patch_owner_replaces_the_owner_through_sub_key_operations(metadata, admin_metadata, model):
    first = admin_metadata.create_or_update(CreateUserRequest(name="first-owner", email="first@example.com"))
    second = admin_metadata.create_or_update(CreateUserRequest(name="second-owner", email="second@example.com"))
    metadata.patch_owner(
        entity=MlModel, source=model, owners=EntityReferenceList(root=[EntityReference(id=first.id, type="user")])
    )

    patched = metadata.patch_owner(
        entity=MlModel,
        source=model,
        owners=EntityReferenceList(root=[EntityReference(id=second.id, type="user")]),
        force=True,
    )

    assert [o.id for o in patched.owners.root] == [second.id]
    stored = metadata.get_by_id(entity=MlModel, entity_id=model.id, fields=["owners"])
    assert [o.name for o in stored.owners.root] == ["second-owner"]


def test_a_patch_with_a_stale_if_match_is_refused_with_412(metadata, model):
    from metadata.ingestion.ometa.client import APIError

    metadata.patch_description(entity=MlModel, source=model, description="moved on")
    destination = model.model_copy(deep=True)
    destination.target = "churned"

    with pytest.raises(APIError) as raised:
        metadata.patch(entity=MlModel, source=model, destination=destination, if_match='W/"0.1"')

    assert raised.value.status_code == 412
    assert StoredModel.objects.get().target == ""


def test_add_lineage_links_a_model_to_its_performance_dashboard(metadata, model):
    service = metadata.create_or_update(
        CreateDashboardServiceRequest(name="superset", serviceType=DashboardServiceType.Superset)
    )
    dashboard = metadata.create_or_update(
        CreateDashboardRequest(name="churn-monitoring", service=service.fullyQualifiedName)
    )

    lineage = metadata.add_lineage(
        AddLineageRequest(
            edge=EntitiesEdge(
                fromEntity=EntityReference(id=model.id, type="mlmodel"),
                toEntity=EntityReference(id=dashboard.id, type="dashboard"),
                lineageDetails=LineageDetails(description="model feeds dashboard"),
            )
        )
    )

    assert "error" not in lineage
    assert [n["id"] for n in lineage["nodes"]] == [str(dashboard.id.root)]
    assert lineage["downstreamEdges"] == [
        {
            "fromEntity": str(model.id.root),
            "toEntity": str(dashboard.id.root),
            "lineageDetails": {"description": "model feeds dashboard"},
        }
    ]
    assert Edge.objects.get().origin == Edge.Origin.API
    upstream = metadata.get_lineage_by_name(entity=Dashboard, fqn="superset.churn-monitoring")
    assert upstream["upstreamEdges"][0]["fromEntity"] == str(model.id.root)


def test_add_lineage_to_a_missing_dashboard_reports_an_error_and_stores_nothing(metadata, model):
    lineage = metadata.add_lineage(
        AddLineageRequest(
            edge=EntitiesEdge(
                fromEntity=EntityReference(id=model.id, type="mlmodel"),
                toEntity=EntityReference(id="6f1c1b0e-0000-4000-8000-000000000000", type="dashboard"),
            )
        )
    )

    assert "error" in lineage
    assert not Edge.objects.exists()


def test_list_all_entities_pages_through_every_model(metadata):
    service = ml_service(metadata)
    names = [f"model-{i:02d}" for i in range(8)]
    for name in reversed(names):
        metadata.create_or_update(CreateMlModelRequest(name=name, algorithm="algo", service=service.fullyQualifiedName))

    listed = list(metadata.list_all_entities(entity=MlModel, limit=3))

    assert [m.name.root for m in listed] == names
    first_page = metadata.list_entities(entity=MlModel, limit=3)
    assert first_page.total == 8
    second_page = metadata.list_entities(entity=MlModel, limit=3, after=first_page.after)
    assert [m.name.root for m in second_page.entities] == names[3:6]
    back = metadata.list_entities(entity=MlModel, limit=3, before=second_page.before)
    assert [m.name.root for m in back.entities] == names[:3]


def test_names_containing_dots_are_quoted_in_fqns_and_found_by_name(metadata):
    service = ml_service(metadata, name="svc.with.dots")
    assert service.fullyQualifiedName.root == '"svc.with.dots"'

    model = metadata.create_or_update(
        CreateMlModelRequest(name="model.v1", algorithm="algo", service=service.fullyQualifiedName)
    )

    assert model.fullyQualifiedName.root == '"svc.with.dots"."model.v1"'
    assert metadata.get_by_name(entity=MlModel, fqn='"svc.with.dots"."model.v1"').id == model.id
    listed = metadata.list_entities(entity=MlModel, params={"service": '"svc.with.dots"'})
    assert [m.id for m in listed.entities] == [model.id]


def test_restore_brings_back_a_soft_deleted_model(metadata, model):
    metadata.delete(entity=MlModel, entity_id=model.id)
    assert metadata.get_by_id(entity=MlModel, entity_id=model.id) is None

    restored = metadata.restore(entity=MlModel, entity_id=model.id)

    assert restored.id == model.id
    assert restored.deleted is False
    assert metadata.get_by_id(entity=MlModel, entity_id=model.id).version.root == 0.3


def test_get_by_name_with_include_all_finds_a_soft_deleted_model(metadata, model):
    metadata.delete(entity=MlModel, entity_id=model.id)

    found = metadata.get_by_name(entity=MlModel, fqn="test-model-service.churn", include="all")

    assert found.id == model.id
    assert found.deleted is True


def test_a_read_only_user_can_read_but_not_write(live_server, viewer, metadata, model):
    from metadata.ingestion.ometa.client import APIError

    reader = connect(live_server, viewer)

    assert reader.get_by_id(entity=MlModel, entity_id=model.id).name.root == "churn"
    with pytest.raises(APIError) as raised:
        reader.create_or_update(CreateMlModelRequest(name="other", algorithm="a", service="test-model-service"))
    assert raised.value.status_code == 403
    assert reader.get_by_name(entity=User, fqn="vera").name.root == "vera"


def test_writes_record_the_token_user_as_updated_by(metadata, model):
    assert model.updatedBy == "edward"
