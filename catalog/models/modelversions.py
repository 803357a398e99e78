"""Model versions of an ML model: the artifacts MLflow numbers 1, 2, 3…, with aliases, metrics and approval.

Not to be confused with the *history* of a catalogue entry (0.1, 1.2…, ``EntityVersion``): a model
version is a thing the registry produced (a trained artifact); a history version is a past state of
the catalogue's record. Model-version rows have no history of their own: every change to them is a
change to their ML model, recorded in the model's history by the write path
(``catalog.services.modelversions``).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog import fqn as fqnlib
from catalog.models.data import Column, Table
from catalog.models.mlmodels import MlModel


class LifecycleStatus(models.TextChoices):
    """Where a model version is in its life; the gated ones (settings.MODEL_VERSION_GATED_STATUSES) need approval."""

    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"
    ARCHIVED = "archived"


class ModelVersion(models.Model):
    """One registered version of an ML model (MLflow's ModelVersion)."""

    entity_type = "modelVersion"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    model = models.ForeignKey(MlModel, on_delete=models.CASCADE, related_name="model_versions")
    number = models.PositiveIntegerField("version number")
    description = models.TextField(blank=True, help_text="Markdown.")
    source_uri = models.CharField("artifact URI", max_length=2048, blank=True)
    run_id = models.CharField("run id", max_length=256, blank=True)
    run_url = models.URLField("run URL", max_length=2048, blank=True)
    created_by = models.CharField(max_length=256, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        "lifecycle status", max_length=16, choices=LifecycleStatus.choices, default=LifecycleStatus.DEVELOPMENT
    )
    #: MLflow-style key → value tags (not the catalogue's classification tags).
    tags = models.JSONField(default=dict, blank=True)
    #: ``{"inputs": [{"name", "type"}...], "outputs": [...]}``.
    signature = models.JSONField(default=dict, blank=True)
    #: The run's parameters, name → value.
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["model", "-number"]
        verbose_name = "model version"
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="catalog_modelversion_unique_number"),
        ]

    def __str__(self):
        return f"{self.model.name} v{self.number}"

    @property
    def name(self) -> str:
        return str(self.number)

    @property
    def label(self) -> str:
        return f"Version {self.number}"

    @property
    def fqn(self) -> str:
        return f"{self.model.fqn}{fqnlib.SEPARATOR}{self.number}"


class ModelAlias(models.Model):
    """A name (``champion``, ``challenger``) pointing at one version; unique within the model."""

    model = models.ForeignKey(MlModel, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=64)
    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["model", "name"]
        verbose_name = "model alias"
        verbose_name_plural = "model aliases"
        constraints = [
            models.UniqueConstraint(fields=["model", "name"], name="catalog_modelalias_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} → v{self.version.number}"


class ModelMetric(models.Model):
    """A measured value of a model version, on a dataset or split, at a step."""

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=256)
    value = models.FloatField()
    #: The dataset or split it was measured on ("test", "validation", a table's FQN…); blank: unsaid.
    dataset = models.CharField(max_length=512, blank=True)
    step = models.BigIntegerField(default=0)
    timestamp = models.DateTimeField(null=True, blank=True)
    higher_is_better = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "name", "dataset", "step"]
        verbose_name = "model metric"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name", "dataset", "step"], name="catalog_modelmetric_unique_measure"
            ),
        ]

    def __str__(self):
        return f"{self.name}={self.value}"


class ModelVersionDataset(models.Model):
    """A catalogue table a version was trained or evaluated on, and where known the columns it read."""

    class Role(models.TextChoices):
        TRAINING = "training"
        EVALUATION = "evaluation"

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="datasets")
    role = models.CharField(max_length=16, choices=Role.choices)
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="model_version_datasets")
    columns = models.ManyToManyField(Column, blank=True, related_name="model_version_datasets")

    class Meta:
        ordering = ["version", "role", "table__fqn"]
        verbose_name = "training or evaluation dataset"
        constraints = [
            models.UniqueConstraint(fields=["version", "role", "table"], name="catalog_modelversiondataset_unique"),
        ]

    def __str__(self):
        return f"{self.role}: {self.table.fqn}"


class ModelVersionReview(models.Model):
    """A request, approval or rejection of a move to a status; the record of who decided, when and why."""

    class Decision(models.TextChoices):
        REQUESTED = "requested"
        APPROVED = "approved"
        REJECTED = "rejected"

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    status = models.CharField("status asked for", max_length=16, choices=LifecycleStatus.choices)
    reviewer = models.ForeignKey(
        "catalog.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="model_version_reviews"
    )
    #: Kept when the account goes, so the record still says who decided.
    reviewer_name = models.CharField(max_length=256)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    #: A request is open until an approval or rejection of the same version answers it.
    open = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "-at", "-id"]
        verbose_name = "model version review"
        constraints = [
            models.UniqueConstraint(
                fields=["version"], condition=Q(open=True), name="catalog_modelversionreview_one_open_request"
            ),
        ]

    def __str__(self):
        return f"{self.decision} {self.status} by {self.reviewer_name}"
