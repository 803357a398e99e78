"""The flows of OpenMetadata's own ML-model integration test, driven by the real SDK 2.0.7.

Each test starts from an empty catalogue and talks to a live ModelAtlas over
HTTP exactly as a script written for OpenMetadata would.
"""

import pytest
from metadata.generated.schema.api.data.createMlModel import CreateMlModelRequest
from metadata.generated.schema.api.teams.createUser import CreateUserRequest
from metadata.generated.schema.entity.data.mlmodel import (
    FeatureSource,
    FeatureSourceDataType,
    FeatureType,
    MlFeature,
    MlHyperParameter,
    MlModel,
)
from metadata.generated.schema.entity.data.table import Table
from metadata.generated.schema.entity.services.databaseService import DatabaseService
from metadata.generated.schema.entity.services.mlmodelService import MlModelService
from metadata.generated.schema.type.entityLineage import EntitiesEdge
from metadata.generated.schema.type.entityReference import EntityReference

from catalog.models import Column, Database, DatabaseSchema
from catalog.models import MlModel as StoredModel
from catalog.models import Table as StoredTable
from lineage.models import Edge
from tests.api.sdk import ml_service, warehouse

pytestmark = [pytest.mark.sdk, pytest.mark.django_db(transaction=True)]

FQN = "test-model-service.test-model"


@pytest.fixture
def service(metadata):
    return ml_service(metadata)


@pytest.fixture
def create(service):
    return CreateMlModelRequest(name="test-model", algorithm="algo", service=service.fullyQualifiedName)


def test_the_sdk_accepts_the_server_version_and_its_health_check_passes(metadata):
    assert metadata.health_check()
    assert metadata.health_check()


def test_a_user_created_through_the_sdk_is_a_catalogue_user(admin_metadata):
    user = admin_metadata.create_or_update(CreateUserRequest(name="random-user", email="random@user.com"))
    assert user.name.root == "random-user"
    assert str(user.email.root) == "random@user.com"
    assert user.isBot is False


def test_an_editor_cannot_create_a_user_through_the_sdk(metadata):
    from metadata.ingestion.ometa.client import APIError

    with pytest.raises(APIError) as raised:
        metadata.create_or_update(CreateUserRequest(name="random-user", email="random@user.com"))
    assert raised.value.status_code == 403


def test_creating_a_model_returns_it_without_owners(metadata, create):
    res = metadata.create_or_update(create)
    assert res.name.root == "test-model"
    assert res.algorithm == "algo"
    assert res.owners is None
    assert res.fullyQualifiedName.root == FQN
    assert res.version.root == 0.1


def test_updating_owners_returns_them_and_reads_show_them_only_when_asked(metadata, admin_metadata, create):
    user = admin_metadata.create_or_update(CreateUserRequest(name="random-user", email="random@user.com"))
    first = metadata.create_or_update(create)
    updated = create.model_dump(exclude_unset=True)
    updated["owners"] = [EntityReference(id=user.id, type="user")]

    res = metadata.create_or_update(CreateMlModelRequest(**updated))

    assert res.id == first.id
    assert res.algorithm == "algo"
    assert res.owners.root[0].id == user.id
    assert metadata.get_by_name(entity=MlModel, fqn=FQN).owners is None
    with_owners = metadata.get_by_name(entity=MlModel, fqn=FQN, fields=["owners", "followers"])
    assert with_owners.owners.root[0].id == user.id
    assert with_owners.owners.root[0].name == "random-user"


def test_a_model_is_found_by_name_by_id_and_as_an_entity_reference(metadata, create):
    created = metadata.create_or_update(create)

    by_name = metadata.get_by_name(entity=MlModel, fqn=FQN)
    by_id = metadata.get_by_id(entity=MlModel, entity_id=by_name.id)
    reference = metadata.get_entity_reference(entity=MlModel, fqn=created.fullyQualifiedName)

    assert by_name.name.root == "test-model"
    assert by_id.id == by_name.id == created.id
    assert reference.id == created.id
    assert reference.type == "mlmodel"
    assert metadata.get_by_name(entity=MlModel, fqn="test-model-service.missing") is None


def test_listing_models_finds_the_model(metadata, create):
    metadata.create_or_update(create)
    res = metadata.list_entities(entity=MlModel)
    assert [e.name.root for e in res.entities] == ["test-model"]
    assert res.total == 1


def test_a_soft_deleted_model_leaves_the_list_and_the_next_put_restores_it(metadata, create):
    metadata.create_or_update(create)
    by_name = metadata.get_by_name(entity=MlModel, fqn=FQN)
    by_id = metadata.get_by_id(entity=MlModel, entity_id=str(by_name.id.root))

    metadata.delete(entity=MlModel, entity_id=str(by_id.id.root))

    assert metadata.list_entities(entity=MlModel).entities == []
    assert metadata.get_by_name(entity=MlModel, fqn=FQN) is None
    restored = metadata.create_or_update(create)
    assert restored.id == by_id.id
    assert restored.deleted is False
    assert restored.version.root == 0.3
    assert [e.name.root for e in metadata.list_entities(entity=MlModel).entities] == ["test-model"]


def test_the_version_history_lists_every_version_and_serves_version_0_1(metadata, create):
    metadata.create_or_update(create)
    model = metadata.get_by_name(entity=MlModel, fqn=FQN)
    metadata.delete(entity=MlModel, entity_id=str(model.id.root))
    metadata.create_or_update(create)

    history = metadata.get_list_entity_versions(entity=MlModel, entity_id=model.id.root)
    first = metadata.get_entity_version(entity=MlModel, entity_id=model.id.root, version=0.1)

    assert history.entityType == "mlmodel"
    assert len(history.versions) == 3
    assert first.version.root == 0.1
    assert first.id == model.id
    assert metadata.get_entity_version(entity=MlModel, entity_id=model.id.root, version=9.9) is None


def _features_request(metadata, tables, service):
    def reference(table):
        return metadata.get_entity_reference(entity=Table, fqn=table.fullyQualifiedName)

    return CreateMlModelRequest(
        name="test-model-lineage",
        algorithm="algo",
        mlFeatures=[
            MlFeature(
                name="age",
                dataType=FeatureType.numerical,
                featureSources=[
                    FeatureSource(
                        name="age", dataType=FeatureSourceDataType.integer, dataSource=reference(tables["age"])
                    )
                ],
            ),
            MlFeature(
                name="persona",
                dataType=FeatureType.categorical,
                featureSources=[
                    FeatureSource(
                        name="age", dataType=FeatureSourceDataType.integer, dataSource=reference(tables["age"])
                    ),
                    FeatureSource(
                        name="education",
                        dataType=FeatureSourceDataType.string,
                        dataSource=reference(tables["education"]),
                    ),
                    FeatureSource(name="city", dataType=FeatureSourceDataType.string),
                ],
                featureAlgorithm="PCA",
            ),
        ],
        mlHyperParameters=[
            MlHyperParameter(name="regularisation", value="0.5"),
            MlHyperParameter(name="random", value="hello"),
        ],
        target="myTarget",
        service=service.fullyQualifiedName,
    )


def test_a_model_with_features_has_lineage_from_its_source_tables(metadata, service):
    tables = warehouse(metadata)

    res = metadata.create_or_update(_features_request(metadata, tables, service))

    assert [f.name.root for f in res.mlFeatures] == ["age", "persona"]
    persona = res.mlFeatures[1]
    assert [s.name.root for s in persona.featureSources] == ["age", "education", "city"]
    assert persona.featureSources[1].dataSource.id == tables["education"].id
    assert persona.featureSources[1].fullyQualifiedName.root == (
        "test-service-table-ml.test-db-ml.test-schema-ml.test-ml.education"
    )
    assert persona.featureAlgorithm == "PCA"
    assert [(p.name, p.value) for p in res.mlHyperParameters] == [("regularisation", "0.5"), ("random", "hello")]
    assert res.target.root == "myTarget"
    lineage = metadata.get_lineage_by_id(entity=MlModel, entity_id=str(res.id.root))
    assert {node["id"] for node in lineage["nodes"]} == {str(tables["age"].id.root), str(tables["education"].id.root)}
    assert {edge["fromEntity"] for edge in lineage["upstreamEdges"]} == {
        str(tables["age"].id.root),
        str(tables["education"].id.root),
    }
    assert {edge["toEntity"] for edge in lineage["upstreamEdges"]} == {str(res.id.root)}
    assert lineage["downstreamEdges"] == []


def test_deleted_lineage_edges_come_back_with_add_mlmodel_lineage(metadata, service):
    tables = warehouse(metadata)
    res = metadata.create_or_update(_features_request(metadata, tables, service))
    lineage = metadata.get_lineage_by_id(entity=MlModel, entity_id=str(res.id.root))

    for edge in lineage["upstreamEdges"]:
        metadata.delete_lineage_edge(
            edge=EntitiesEdge(
                fromEntity=EntityReference(id=edge["fromEntity"], type="table"),
                toEntity=EntityReference(id=edge["toEntity"], type="mlmodel"),
            )
        )
    assert metadata.get_lineage_by_id(entity=MlModel, entity_id=str(res.id.root))["nodes"] == []

    lineage = metadata.add_mlmodel_lineage(model=res)

    assert {node["id"] for node in lineage["nodes"]} == {str(tables["age"].id.root), str(tables["education"].id.root)}
    lineage = metadata.get_lineage_by_id(entity=MlModel, entity_id=str(res.id.root))
    assert {node["id"] for node in lineage["nodes"]} == {str(tables["age"].id.root), str(tables["education"].id.root)}


def test_a_recursive_hard_delete_of_a_database_service_removes_its_tables_and_their_lineage(metadata, service):
    tables = warehouse(metadata)
    res = metadata.create_or_update(_features_request(metadata, tables, service))

    metadata.delete(entity=DatabaseService, entity_id=tables["service"].id, recursive=True, hard_delete=True)

    assert not StoredTable.objects.exists()
    assert not DatabaseSchema.objects.exists()
    assert not Database.objects.exists()
    assert not Column.objects.exists()
    assert not Edge.objects.filter(from_type="table").exists()
    assert metadata.get_by_name(entity=Table, fqn=tables["age"].fullyQualifiedName.root) is None
    assert metadata.get_lineage_by_id(entity=MlModel, entity_id=str(res.id.root))["nodes"] == []


def test_a_recursive_hard_delete_of_a_model_service_removes_its_models(metadata, create):
    metadata.create_or_update(create)
    service_id = str(metadata.get_by_name(entity=MlModelService, fqn="test-model-service").id.root)

    metadata.delete(entity=MlModelService, entity_id=service_id, recursive=True, hard_delete=True)

    assert not StoredModel.objects.exists()
    assert metadata.get_by_name(entity=MlModelService, fqn="test-model-service") is None


def test_a_non_recursive_delete_of_a_service_with_models_is_refused(metadata, create):
    from metadata.ingestion.ometa.client import APIError

    metadata.create_or_update(create)
    service = metadata.get_by_name(entity=MlModelService, fqn="test-model-service")

    with pytest.raises(APIError) as raised:
        metadata.delete(entity=MlModelService, entity_id=str(service.id.root))

    assert raised.value.status_code == 400
    assert "Entity mlmodelService is not empty" in str(raised.value)
