from catalog.models.base import Entity, Owned, Versioned
from catalog.models.data import Column, Dashboard, Database, DatabaseSchema, Table, column_id
from catalog.models.documents import MlModelDocument
from catalog.models.mlmodels import (
    CARD_FIELDS,
    CARD_KEYS,
    FeatureSource,
    MlFeature,
    MlHyperParameter,
    MlModel,
    RiskRating,
    check_source_column,
)
from catalog.models.modelversions import (
    LifecycleStatus,
    ModelAlias,
    ModelMetric,
    ModelVersion,
    ModelVersionDataset,
    ModelVersionReview,
)
from catalog.models.people import Team, User
from catalog.models.services import DashboardService, DatabaseService, MlModelService, Service
from catalog.models.tags import Classification, Tag
from catalog.models.tokens import Alongside, ApiToken
from catalog.models.versions import EntityVersion

__all__ = [
    "CARD_FIELDS",
    "CARD_KEYS",
    "LifecycleStatus",
    "ModelAlias",
    "ModelMetric",
    "ModelVersion",
    "ModelVersionDataset",
    "ModelVersionReview",
    "RiskRating",
    "Alongside",
    "ApiToken",
    "Classification",
    "Column",
    "Dashboard",
    "DashboardService",
    "Database",
    "DatabaseSchema",
    "DatabaseService",
    "Entity",
    "EntityVersion",
    "FeatureSource",
    "MlFeature",
    "MlHyperParameter",
    "MlModel",
    "MlModelDocument",
    "MlModelService",
    "Owned",
    "Service",
    "Table",
    "Tag",
    "Team",
    "User",
    "Versioned",
    "check_source_column",
    "column_id",
]
