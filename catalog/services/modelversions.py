"""Model versions of an ML model: registering, describing, measuring, aliasing and approving them.

Every function here changes the ML model through ``changes.change``: a model
version has no history of its own, its changes are the model's (an alias
move or a status change is a minor one, see ``describe.MAJOR_FIELDS``).
Doors check that the caller may edit the model (``permissions.can_edit``);
the approval rule is checked here, because it is about the move, not the door.

References (tables, columns) arrive as instances, as in ``mlmodels``:
resolving names is the caller's job, validating the whole is this module's.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog import permissions
from catalog.models import (
    Column,
    LifecycleStatus,
    MlModel,
    ModelAlias,
    ModelMetric,
    ModelVersion,
    ModelVersionDataset,
    ModelVersionReview,
    Table,
    User,
)
from catalog.services import changes
from catalog.services.validation import check_choice, check_name, check_text, check_url

#: Bounds of one write (the lists of ``validation.MAX_ITEMS`` are the model's; these are a version's).
MAX_VERSIONS = 10_000
MAX_METRICS = 10_000
MAX_ENTRIES = 1_000  # parameters, tags, signature inputs and outputs
MAX_DATASETS = 100
MAX_VALUE_LENGTH = 6_000  # MLflow's limit on a parameter value
MAX_NUMBER = 2**31 - 1
MAX_STEP = 2**63 - 1
ALIAS = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")
#: Names MLflow keeps for itself: "latest" and "v<number>" already mean a version.
RESERVED_ALIAS = re.compile(r"^(latest|v\d+)$", re.IGNORECASE)


@dataclass
class MetricSpec:
    name: str
    value: float
    dataset: str = ""
    step: int = 0
    timestamp: datetime | None = None
    higher_is_better: bool = True


@dataclass
class DatasetSpec:
    role: str
    table: Table
    columns: list[Column] = field(default_factory=list)


#: What ``save_model_version`` takes besides status, metrics and datasets, with their length limits.
TEXT_FIELDS = {"description": None, "source_uri": 2048, "run_id": 256, "created_by": 256}
WRITABLE = {*TEXT_FIELDS, "run_url", "created_at", "tags", "signature", "parameters", "metrics", "datasets"}


def gated(status: str) -> bool:
    """Whether entering ``status`` needs an approval."""
    return status in settings.MODEL_VERSION_GATED_STATUSES


def check_may_enter(model: MlModel, status: str, actor) -> None:
    """Raise PermissionDenied when entering ``status`` needs an approval ``actor`` may not give.

    The write functions check this themselves; a door whose form is checked
    before anything is written (the admin) asks first, to answer next to the field.
    """
    if gated(status):
        _require_approver(model, actor)


def may_approve(actor, model: MlModel) -> bool:
    """People need the approval permission; a caller that is no user (a command run by the operator) has it."""
    return not isinstance(actor, User) or permissions.can_approve(actor, model)


def find_version(model: MlModel, number) -> ModelVersion:
    """Return the model's version ``number`` or raise ValidationError naming ``version``."""
    try:
        return model.model_versions.get(number=_number(number))
    except ModelVersion.DoesNotExist:
        raise ValidationError({"version": f"{model.name} has no version {number}."}) from None


# --- Writing ----------------------------------------------------------------------------------------


def save_model_version(
    model: MlModel, number, actor, *, status=None, reason="", expected_version=None, **values
) -> tuple[ModelVersion, changes.change]:
    """Create version ``number`` of ``model`` or change it; a key that is absent is left alone.

    ``metrics`` and ``datasets``, when given, replace the version's. A
    ``status`` that differs goes through :func:`set_status`'s rule.
    """
    number = _number(number)
    values = clean(values)
    if status is not None:
        check_choice(status, LifecycleStatus, "status")
    with changes.change(model, actor, expected_version=expected_version) as c:
        version = c.entity.model_versions.filter(number=number).first()
        if version is None:
            if c.entity.model_versions.count() >= MAX_VERSIONS:
                raise ValidationError({"version": f"At most {MAX_VERSIONS:,} versions of one model are allowed."})
            version = ModelVersion(model=c.entity, number=number)
            if not status:
                status = LifecycleStatus.DEVELOPMENT
        for name in (TEXT_FIELDS.keys() | {"run_url", "created_at", "tags", "signature", "parameters"}) & values.keys():
            setattr(version, name, values[name])
        if status and status != version.status:
            _enter_status(c.entity, version, status, actor, reason)
        version.save()
        if "metrics" in values:
            version.metrics.all().delete()
            _add_metrics(version, values["metrics"])
        if "datasets" in values:
            _set_datasets(version, values["datasets"])
    return ModelVersion.objects.get(pk=version.pk), c


def delete_model_version(model: MlModel, number, actor) -> changes.change:
    """Remove a version with its aliases, metrics, datasets and reviews (the model's history keeps them)."""
    with changes.change(model, actor) as c:
        find_version(c.entity, number).delete()
    return c


def log_metrics(model: MlModel, number, metrics: list[MetricSpec], actor) -> changes.change:
    """Add measurements to a version; one of the same name, dataset and step is replaced."""
    metrics = _clean_metrics(metrics, "metrics")
    with changes.change(model, actor) as c:
        version = find_version(c.entity, number)
        for metric in metrics:
            version.metrics.filter(name=metric.name, dataset=metric.dataset, step=metric.step).delete()
        _add_metrics(version, metrics)
    return c


def set_alias(model: MlModel, alias: str, number, actor) -> changes.change:
    """Point ``alias`` at version ``number``, moving it from the version that had it, in one step."""
    alias = check_alias(alias)
    with changes.change(model, actor) as c:
        version = find_version(c.entity, number)
        ModelAlias.objects.update_or_create(model=c.entity, name=alias, defaults={"version": version})
    return c


def remove_alias(model: MlModel, alias: str, actor) -> changes.change:
    with changes.change(model, actor) as c:
        deleted, _ = ModelAlias.objects.filter(model=c.entity, name=alias).delete()
        if not deleted:
            raise ValidationError({"alias": f"{model.name} has no alias {alias!r}."})
    return c


def set_status(model: MlModel, number, status: str, actor, reason: str = "") -> changes.change:
    """Move a version to ``status``; entering a gated status needs the approval permission and is recorded."""
    check_choice(status, LifecycleStatus, "status")
    if not status:
        raise ValidationError({"status": "This field is required."})
    reason = check_text(reason, "reason")
    with changes.change(model, actor) as c:
        version = find_version(c.entity, number)
        if status != version.status:
            _enter_status(c.entity, version, status, actor, reason)
            version.save(update_fields=["status"])
    return c


def request_status(model: MlModel, number, status: str, actor, reason: str = "") -> changes.change:
    """Ask the approvers to move a version into a gated status (anyone who may edit the model may ask)."""
    check_choice(status, LifecycleStatus, "status")
    if not gated(status):
        raise ValidationError({"status": f"{status!r} needs no approval: set it directly."})
    reason = check_text(reason, "reason")
    with changes.change(model, actor) as c:
        version = find_version(c.entity, number)
        if version.status == status:
            raise ValidationError({"status": f"Version {version.number} is already {status}."})
        if version.reviews.filter(open=True).exists():
            raise ValidationError({"status": f"Version {version.number} already has a request waiting for review."})
        _review(version, ModelVersionReview.Decision.REQUESTED, status, actor, reason, open=True)
    return c


def approve(model: MlModel, number, actor, reason: str = "") -> changes.change:
    """Grant the version's open request: it enters the status asked for, and the approval is recorded."""
    reason = check_text(reason, "reason")
    with changes.change(model, actor) as c:
        version = find_version(c.entity, number)
        request = version.reviews.filter(open=True).first()
        if request is None:
            raise ValidationError({"version": f"Version {version.number} has no request waiting for review."})
        _enter_status(c.entity, version, request.status, actor, reason)
        version.save(update_fields=["status"])
    return c


def reject(model: MlModel, number, actor, reason: str) -> changes.change:
    """Refuse the version's open request (or the version, for a gated status) with a reason; its status stays."""
    reason = check_text(reason, "reason").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the version is rejected."})
    with changes.change(model, actor) as c:
        version = find_version(c.entity, number)
        _require_approver(c.entity, actor)
        request = version.reviews.filter(open=True).first()
        asked = request.status if request is not None else settings.MODEL_VERSION_GATED_STATUSES[0]
        version.reviews.filter(open=True).update(open=False)
        _review(version, ModelVersionReview.Decision.REJECTED, asked, actor, reason)
    return c


# --- Rules ------------------------------------------------------------------------------------------


def _enter_status(model: MlModel, version: ModelVersion, status: str, actor, reason: str) -> None:
    """Set ``version.status`` (unsaved); a gated status needs an approver, whose approval is recorded."""
    if gated(status):
        _require_approver(model, actor)
        if version.pk is None:
            version.save()
        version.reviews.filter(open=True).update(open=False)
        _review(version, ModelVersionReview.Decision.APPROVED, status, actor, reason)
    elif version.pk is not None:
        version.reviews.filter(open=True).update(open=False)
    version.status = status


def _require_approver(model: MlModel, actor) -> None:
    if not may_approve(actor, model):
        raise PermissionDenied(
            f"Only the owners of {model.name}, approvers and administrators may approve or reject its versions."
        )


def _review(version, decision, status, actor, reason, *, open=False) -> None:
    ModelVersionReview.objects.create(
        version=version,
        decision=decision,
        status=status,
        reviewer=actor if isinstance(actor, User) else None,
        reviewer_name=changes.actor_name(actor),
        at=timezone.now(),
        reason=reason,
        open=open,
    )


def check_alias(alias) -> str:
    alias = check_text(alias, "alias")
    if not ALIAS.match(alias):
        raise ValidationError({"alias": "An alias is 1–64 letters, digits, '_' or '-', and does not start with '-'."})
    if RESERVED_ALIAS.match(alias):
        raise ValidationError({"alias": f"{alias!r} is reserved: it already names a version."})
    return alias


def _number(number) -> int:
    if isinstance(number, bool) or not isinstance(number, (int, str)):
        raise ValidationError({"version": "A version number is a whole number from 1."})
    try:
        value = int(number)
    except ValueError:
        raise ValidationError({"version": f"A version number is a whole number from 1, not {number!r}."}) from None
    if not 1 <= value <= MAX_NUMBER:
        raise ValidationError({"version": f"A version number is a whole number from 1 to {MAX_NUMBER}."})
    return value


def clean(values: dict) -> dict:
    """Validate what ``save_model_version`` was given; raise one ValidationError naming the field."""
    unknown = set(values) - WRITABLE
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Unknown field."})
    out = dict(values)
    for name, limit in TEXT_FIELDS.items():
        if name in out:
            out[name] = check_text(out[name], name, limit)
    if "run_url" in out:
        out["run_url"] = check_url(out["run_url"], "run_url")
    if "created_at" in out and not isinstance(out["created_at"], datetime):
        raise ValidationError({"created_at": "Must be a date and time."})
    for name in ("tags", "parameters"):
        if name in out:
            out[name] = _clean_mapping(out[name], name)
    if "signature" in out:
        out["signature"] = _clean_signature(out["signature"])
    if "metrics" in out:
        out["metrics"] = _clean_metrics(out["metrics"], "metrics")
    if "datasets" in out:
        out["datasets"] = _clean_datasets(out["datasets"])
    return out


def _clean_mapping(value, name) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError({name: "Must be an object of names to text values."})
    if len(value) > MAX_ENTRIES:
        raise ValidationError({name: f"At most {MAX_ENTRIES:,} entries are allowed; {len(value):,} were given."})
    for key, item in value.items():
        check_name(key, f"{name}.{key}")
        check_text(item, f"{name}.{key}", MAX_VALUE_LENGTH)
    return {key: item or "" for key, item in value.items()}


def _clean_signature(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - {"inputs", "outputs"}:
        raise ValidationError({"signature": "Must be an object with 'inputs' and 'outputs' lists."})
    out = {}
    for side in ("inputs", "outputs"):
        items = value.get(side) or []
        if not isinstance(items, list):
            raise ValidationError({f"signature.{side}": "Must be a list of {name, type}."})
        if len(items) > MAX_ENTRIES:
            raise ValidationError({f"signature.{side}": f"At most {MAX_ENTRIES:,} entries are allowed."})
        cleaned = []
        for i, item in enumerate(items):
            where = f"signature.{side}[{i}]"
            if not isinstance(item, dict) or set(item) - {"name", "type"}:
                raise ValidationError({where: "Must be an object with 'name' and 'type'."})
            cleaned.append(
                {
                    "name": check_text(item.get("name"), f"{where}.name", 256),
                    "type": check_text(item.get("type"), f"{where}.type", 256),
                }
            )
        if cleaned:
            out[side] = cleaned
    return out


def _clean_metrics(metrics, where) -> list[MetricSpec]:
    if not isinstance(metrics, list):
        raise ValidationError({where: "Must be a list of metrics."})
    if len(metrics) > MAX_METRICS:
        raise ValidationError({where: f"At most {MAX_METRICS:,} metrics are allowed; {len(metrics):,} were given."})
    seen = set()
    for i, metric in enumerate(metrics):
        at = f"{where}[{i}]"
        check_name(metric.name, f"{at}.name")
        if isinstance(metric.value, bool) or not isinstance(metric.value, (int, float)):
            raise ValidationError({f"{at}.value": f"A metric's value is a number, not {metric.value!r}."})
        if not math.isfinite(metric.value):
            raise ValidationError({f"{at}.value": "A metric's value is a finite number."})
        metric.value = float(metric.value)
        metric.dataset = check_text(metric.dataset, f"{at}.dataset", 512)
        if isinstance(metric.step, bool) or not isinstance(metric.step, int) or not 0 <= metric.step <= MAX_STEP:
            raise ValidationError({f"{at}.step": "A step is a whole number from 0."})
        if metric.timestamp is not None and not isinstance(metric.timestamp, datetime):
            raise ValidationError({f"{at}.timestamp": "Must be a date and time."})
        if not isinstance(metric.higher_is_better, bool):
            raise ValidationError({f"{at}.higherIsBetter": "Must be true or false."})
        key = (metric.name, metric.dataset, metric.step)
        if key in seen:
            raise ValidationError({f"{at}.name": f"Metric {metric.name!r} repeats for the same dataset and step."})
        seen.add(key)
    return metrics


def _clean_datasets(datasets) -> list[DatasetSpec]:
    if not isinstance(datasets, list):
        raise ValidationError({"datasets": "Must be a list of datasets."})
    if len(datasets) > MAX_DATASETS:
        raise ValidationError({"datasets": f"At most {MAX_DATASETS} datasets are allowed."})
    seen = set()
    for i, spec in enumerate(datasets):
        at = f"datasets[{i}]"
        check_choice(spec.role, ModelVersionDataset.Role, f"{at}.role")
        if not spec.role:
            raise ValidationError({f"{at}.role": "This field is required."})
        if not isinstance(spec.table, Table):
            raise ValidationError({f"{at}.table": "Must be a table of the catalogue."})
        if len(spec.columns) > 1_000:
            raise ValidationError({f"{at}.columns": "At most 1,000 columns are allowed."})
        for column in spec.columns:
            if column.table_id != spec.table.pk:
                raise ValidationError({f"{at}.columns": f"Column {column.name!r} is not a column of {spec.table.fqn}."})
        if (spec.role, spec.table.pk) in seen:
            raise ValidationError({f"{at}.table": f"{spec.table.fqn} is listed twice as {spec.role} data."})
        seen.add((spec.role, spec.table.pk))
    return datasets


def _add_metrics(version: ModelVersion, metrics: list[MetricSpec]) -> None:
    ModelMetric.objects.bulk_create(
        ModelMetric(
            version=version,
            name=m.name,
            value=m.value,
            dataset=m.dataset,
            step=m.step,
            timestamp=m.timestamp,
            higher_is_better=m.higher_is_better,
        )
        for m in metrics
    )


def _set_datasets(version: ModelVersion, datasets: list[DatasetSpec]) -> None:
    version.datasets.all().delete()
    for spec in datasets:
        row = ModelVersionDataset.objects.create(version=version, role=spec.role, table=spec.table)
        if spec.columns:
            row.columns.set(spec.columns)
