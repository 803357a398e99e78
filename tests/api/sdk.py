"""Helpers of the SDK tests: the real OpenMetadata SDK pointed at the live test server.

Imported only by the ``test_sdk_*`` modules, so the rest of the suite does not
pay for importing the SDK.
"""

from metadata.generated.schema.api.data.createDatabase import CreateDatabaseRequest
from metadata.generated.schema.api.data.createDatabaseSchema import CreateDatabaseSchemaRequest
from metadata.generated.schema.api.data.createTable import CreateTableRequest
from metadata.generated.schema.api.services.createDatabaseService import CreateDatabaseServiceRequest
from metadata.generated.schema.api.services.createMlModelService import CreateMlModelServiceRequest
from metadata.generated.schema.entity.data.table import Column, DataType
from metadata.generated.schema.entity.services.connections.database.common.basicAuth import BasicAuth
from metadata.generated.schema.entity.services.connections.database.mysqlConnection import MysqlConnection
from metadata.generated.schema.entity.services.connections.metadata.openMetadataConnection import (
    OpenMetadataConnection,
)
from metadata.generated.schema.entity.services.connections.mlmodel.mlflowConnection import MlflowConnection
from metadata.generated.schema.entity.services.databaseService import DatabaseConnection, DatabaseServiceType
from metadata.generated.schema.entity.services.mlmodelService import MlModelConnection, MlModelServiceType
from metadata.generated.schema.security.client.openMetadataJWTClientConfig import OpenMetadataJWTClientConfig
from metadata.ingestion.ometa.ometa_api import OpenMetadata

from tests.api.conftest import token_for


def connect(live_server, user) -> OpenMetadata:
    """Return the SDK client configured as the OpenMetadata docs say, with a ModelAtlas token."""
    return OpenMetadata(
        OpenMetadataConnection(
            hostPort=live_server.url + "/api",
            authProvider="openmetadata",
            securityConfig=OpenMetadataJWTClientConfig(jwtToken=token_for(user)),
        )
    )


def ml_service(metadata, name="test-model-service"):
    return metadata.create_or_update(
        CreateMlModelServiceRequest(
            name=name,
            serviceType=MlModelServiceType.Mlflow,
            connection=MlModelConnection(
                config=MlflowConnection(trackingUri="http://localhost:1234", registryUri="http://localhost:4321")
            ),
        )
    )


def warehouse(metadata, name="test-service-table-ml"):
    """Create the database service, database, schema and two tables of the upstream test."""
    service = metadata.create_or_update(
        CreateDatabaseServiceRequest(
            name=name,
            serviceType=DatabaseServiceType.Mysql,
            connection=DatabaseConnection(
                config=MysqlConnection(
                    username="username", authType=BasicAuth(password="password"), hostPort="http://localhost:1234"
                )
            ),
        )
    )
    database = metadata.create_or_update(CreateDatabaseRequest(name="test-db-ml", service=service.fullyQualifiedName))
    schema = metadata.create_or_update(
        CreateDatabaseSchemaRequest(name="test-schema-ml", database=database.fullyQualifiedName)
    )
    education = metadata.create_or_update(
        CreateTableRequest(
            name="test-ml",
            databaseSchema=schema.fullyQualifiedName,
            columns=[Column(name="education", dataType=DataType.STRING)],
        )
    )
    age = metadata.create_or_update(
        CreateTableRequest(
            name="another_test-ml",
            databaseSchema=schema.fullyQualifiedName,
            columns=[Column(name="age", dataType=DataType.INT)],
        )
    )
    return {"service": service, "database": database, "schema": schema, "education": education, "age": age}
