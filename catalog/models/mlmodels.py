"""ML models with their features, feature sources and hyperparameters."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from catalog import fqn as fqnlib
from catalog.models.base import Entity, Owned
from catalog.models.data import Column, Dashboard, Table
from catalog.models.services import MlModelService


class RiskRating(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class MlModel(Owned, Entity):
    """OpenMetadata's MlModel. Changes of algorithm, server or target are major."""

    entity_type = "mlmodel"

    service = models.ForeignKey(MlModelService, on_delete=models.PROTECT, related_name="mlmodels")
    algorithm = models.CharField(max_length=256)
    target = models.CharField(max_length=256, blank=True)
    server = models.URLField("serving endpoint", max_length=2048, blank=True)
    ml_store_storage = models.CharField("storage URI", max_length=2048, blank=True)
    ml_store_image = models.CharField("image repository", max_length=2048, blank=True)
    source_url = models.URLField("source URL", max_length=2048, blank=True)
    dashboard = models.ForeignKey(Dashboard, null=True, blank=True, on_delete=models.SET_NULL, related_name="mlmodels")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="mlmodels")
    followers = models.ManyToManyField("catalog.User", blank=True, related_name="followed_mlmodels")

    # The model card (Mitchell et al., "Model Cards for Model Reporting"): Markdown, versioned as every field.
    card_intended_use = models.TextField("intended use", blank=True)
    card_out_of_scope_uses = models.TextField("out-of-scope uses", blank=True)
    card_intended_users = models.TextField("intended users", blank=True)
    card_factors = models.TextField("factors", blank=True)
    card_ethical_considerations = models.TextField("ethical considerations", blank=True)
    card_caveats = models.TextField("caveats and recommendations", blank=True)
    card_risk_rating = models.CharField("risk rating", max_length=16, choices=RiskRating.choices, blank=True)
    card_training_summary = models.TextField("training data summary", blank=True)
    card_evaluation_summary = models.TextField("evaluation summary", blank=True)

    class Meta(Entity.Meta):
        verbose_name = "ML model"
        # The API lists models in (name, id) order, a page at a time.
        indexes = [models.Index(fields=["name", "id"], name="catalog_mlmodel_name_id")]

    def fqn_parts(self):
        return [self.service.name, self.name]

    def card_missing(self) -> list[str]:
        """Return the labels of the card's sections still empty, in the card's order."""
        return [str(self._meta.get_field(name).verbose_name) for name in CARD_FIELDS if not getattr(self, name).strip()]


#: The model card's sections, in the order a card shows them (API key → attribute in ``CARD_KEYS``).
CARD_FIELDS = (
    "card_intended_use",
    "card_out_of_scope_uses",
    "card_intended_users",
    "card_factors",
    "card_ethical_considerations",
    "card_caveats",
    "card_risk_rating",
    "card_training_summary",
    "card_evaluation_summary",
)
#: How the API and snapshots name each section (``modelCard.intendedUse``...).
CARD_KEYS = {
    "intendedUse": "card_intended_use",
    "outOfScopeUses": "card_out_of_scope_uses",
    "intendedUsers": "card_intended_users",
    "factors": "card_factors",
    "ethicalConsiderations": "card_ethical_considerations",
    "caveatsAndRecommendations": "card_caveats",
    "riskRating": "card_risk_rating",
    "trainingDataSummary": "card_training_summary",
    "evaluationSummary": "card_evaluation_summary",
}


class MlFeature(models.Model):
    """A predictor of a model, as produced by feature engineering."""

    class DataType(models.TextChoices):
        NUMERICAL = "numerical"
        CATEGORICAL = "categorical"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    model = models.ForeignKey(MlModel, on_delete=models.CASCADE, related_name="features")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=256)
    data_type = models.CharField(max_length=16, choices=DataType.choices, blank=True)
    feature_algorithm = models.CharField(max_length=256, blank=True)
    description = models.TextField(blank=True)
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="mlfeatures")

    class Meta:
        ordering = ["model", "position", "id"]
        verbose_name = "ML feature"
        constraints = [
            models.UniqueConstraint(fields=["model", "name"], name="catalog_mlfeature_unique_name_per_model"),
        ]

    def __str__(self):
        return self.name

    @property
    def fqn(self) -> str:
        # The model's stored FQN is already quoted: append this name's part.
        return f"{self.model.fqn}{fqnlib.SEPARATOR}{fqnlib.quote(self.name)}"


def check_source_column(table, column, field="column") -> None:
    """A feature source's column belongs to its table: the rule pages, API and admin all end in."""
    if table is not None and column is not None and column.table_id != table.pk:
        raise ValidationError({field: f"Column “{column.name}” belongs to table {column.table.fqn}, not {table.fqn}."})


class FeatureSource(models.Model):
    """Where a feature's data comes from: a table and, where known, the column.

    OpenMetadata keeps only the table; the column gives column-grain lineage.
    """

    class DataType(models.TextChoices):
        INTEGER = "integer"
        NUMBER = "number"
        STRING = "string"
        ARRAY = "array"
        DATE = "date"
        TIMESTAMP = "timestamp"
        OBJECT = "object"
        BOOLEAN = "boolean"

    feature = models.ForeignKey(MlFeature, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=256)
    data_type = models.CharField(max_length=16, choices=DataType.choices, blank=True)
    description = models.TextField(blank=True)
    table = models.ForeignKey(Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="feature_sources")
    column = models.ForeignKey(Column, null=True, blank=True, on_delete=models.SET_NULL, related_name="feature_sources")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="feature_sources")

    class Meta:
        ordering = ["feature", "position", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        check_source_column(self.table if self.table_id else None, self.column if self.column_id else None)

    @property
    def fqn(self) -> str:
        if self.table_id:
            return f"{self.table.fqn}{fqnlib.SEPARATOR}{fqnlib.quote(self.name)}"
        return fqnlib.quote(self.name)


class MlHyperParameter(models.Model):
    model = models.ForeignKey(MlModel, on_delete=models.CASCADE, related_name="hyperparameters")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=256)
    value = models.CharField(max_length=1024, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["model", "position", "id"]
        verbose_name = "hyperparameter"

    def __str__(self):
        return f"{self.name}={self.value}"
