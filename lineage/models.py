"""Lineage edges: "from is upstream of to", between any two catalogue nodes.

Endpoints are (type, id) pairs rather than foreign keys so one table holds
table → model edges (OpenMetadata's grain) as well as column → feature →
model and column → model version → model edges (ModelAtlas's column grain)
and one recursive walk serves both.
"""

import uuid

from django.db import models
from django.db.models import Q


class Edge(models.Model):
    class Origin(models.TextChoices):
        FEATURE_SOURCE = "FeatureSource", "derived from a feature source"
        MODEL_VERSION_DATA = "ModelVersionData", "derived from a model version's training or evaluation data"
        MANUAL = "Manual", "added on a page"
        API = "API", "added through the API"

    from_type = models.CharField(max_length=32)
    from_id = models.UUIDField()
    to_type = models.CharField(max_length=32)
    to_id = models.UUIDField()
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.API)
    description = models.TextField(blank=True)
    #: OpenMetadata's ``lineageDetails`` object, stored as the client sent it.
    details = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=256, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_id", "to_id"], name="lineage_edge_unique_pair"),
        ]
        indexes = [
            # Upstream walks start from the downstream end.
            models.Index(fields=["to_id"], name="lineage_edge_to_id"),
            # Edges stated by hand or through the API are few beside those derived from feature
            # sources, which only run into features (and to a feature's own model): the
            # sensitive-data walks follow the others alone out of features, models and dashboards
            # and into the rest. Edges derived from model versions' data (into a version, and from
            # it to its model) are read with the stated ones: no feature source implies them.
            models.Index(fields=["from_id"], condition=~Q(origin="FeatureSource"), name="lineage_edge_stated_from"),
            models.Index(fields=["to_id"], condition=~Q(origin="FeatureSource"), name="lineage_edge_stated_to"),
        ]

    def __str__(self):
        return f"{self.from_type}:{self.from_id} → {self.to_type}:{self.to_id}"


#: Origins of the edges lineage.sync derives from catalogue rows: only changing those rows changes them.
DERIVED_ORIGINS = frozenset({Edge.Origin.FEATURE_SOURCE, Edge.Origin.MODEL_VERSION_DATA})


class ExposureToken(models.Model):
    """One row whose token changes with every write that can change sensitive-data exposure.

    Answers computed from the whole catalogue are kept against the token they
    were computed under; :mod:`lineage.memo` says who renews it, and when.
    """

    token = models.UUIDField(default=uuid.uuid4)
