"""Services: the systems that hold models, tables and dashboards."""

from django.db import models

from catalog import secrets
from catalog.models.base import Entity


class Service(Entity):
    """A connection is kept in two parts (``catalog.secrets``): ``connection``, what anyone may be
    shown, every secret masked; ``connection_secrets``, the secrets, encrypted. Saving splits
    whatever ``connection`` holds, so no path can store a secret in clear; a mask left in place
    keeps the secret stored there. Ingestion reads ``secrets.plain_connection(service)``."""

    service_type = models.CharField(max_length=64)
    connection = models.JSONField(null=True, blank=True)
    connection_secrets = models.TextField(blank=True, default="", editable=False)

    class Meta(Entity.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        self.connection, self.connection_secrets = secrets.seal(
            self.service_type, self.connection, self.connection_secrets
        )
        if kwargs.get("update_fields") is not None and "connection" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "connection_secrets"}
        super().save(*args, **kwargs)


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
