"""Services: the systems that hold models, tables and dashboards."""

from django.db import models

from catalog.models.base import Entity

#: Connection keys whose values are secrets: stored, never shown back.
SECRET_KEYS = {"password", "token", "secret", "secretkey", "apikey", "accesskey", "privatekey", "jwttoken"}


def mask_secrets(value):
    """Return ``value`` with every secret-looking key's value hidden."""
    if isinstance(value, dict):
        return {
            key: "********" if key.lower().replace("_", "") in SECRET_KEYS and item else mask_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value


class Service(Entity):
    """Connection settings are stored whole (secrets included) for ingestion."""

    service_type = models.CharField(max_length=64)
    connection = models.JSONField(null=True, blank=True)

    class Meta(Entity.Meta):
        abstract = True

    def masked_connection(self):
        return mask_secrets(self.connection)


class MlModelService(Service):
    entity_type = "mlmodelService"

    class ServiceType(models.TextChoices):
        MLFLOW = "Mlflow"
        SKLEARN = "Sklearn"
        CUSTOM = "CustomMlModel"
        SAGEMAKER = "SageMaker"
        VERTEXAI = "VertexAI"

    service_type = models.CharField(max_length=64, choices=ServiceType.choices)

    class Meta(Service.Meta):
        verbose_name = "ML model service"


class DatabaseService(Service):
    entity_type = "databaseService"

    class Meta(Service.Meta):
        pass


class DashboardService(Service):
    entity_type = "dashboardService"

    class Meta(Service.Meta):
        pass
