"""Creating and changing ML models with their features, sources and hyperparameters.

Callers pass what they want to change as keyword arguments; a key that is
absent is left alone. References (tables, columns, tags, owners) arrive as
model instances: resolving names and ids is the caller's job, validating the
whole is this module's.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from catalog import fqn, registry
from catalog.models import (
    Column,
    Dashboard,
    FeatureSource,
    MlFeature,
    MlHyperParameter,
    MlModel,
    MlModelService,
    RiskRating,
    Table,
    Tag,
    Team,
    User,
    check_source_column,
    column_id,
)
from catalog.representations import rows
from catalog.services import changes
from catalog.services.validation import (
    check_choice,
    check_count,
    check_name,
    check_owners,
    check_text,
    check_total,
    check_unique_names,
    check_url,
)


@dataclass
class SourceSpec:
    name: str
    data_type: str = ""
    description: str = ""
    table: Table | None = None
    column: Column | None = None
    tags: list[Tag] = field(default_factory=list)


@dataclass
class FeatureSpec:
    name: str
    data_type: str = ""
    feature_algorithm: str = ""
    description: str = ""
    tags: list[Tag] = field(default_factory=list)
    sources: list[SourceSpec] = field(default_factory=list)


@dataclass
class HyperParameterSpec:
    name: str
    value: str = ""
    description: str = ""


def stored_features(model: MlModel) -> list[FeatureSpec]:
    """Return the model's features as the write path takes them, to change one and save the list back."""
    return [
        FeatureSpec(
            name=feature.name,
            data_type=feature.data_type,
            feature_algorithm=feature.feature_algorithm,
            description=feature.description,
            tags=list(rows(feature, "tags")),
            sources=[
                SourceSpec(
                    name=source.name,
                    data_type=source.data_type,
                    description=source.description,
                    table=source.table,
                    column=source.column,
                    tags=list(rows(source, "tags")),
                )
                for source in rows(feature, "sources")
            ],
        )
        for feature in rows(model, "features")
    ]


def stored_hyperparameters(model: MlModel) -> list[HyperParameterSpec]:
    return [
        HyperParameterSpec(name=p.name, value=p.value, description=p.description) for p in model.hyperparameters.all()
    ]


#: What a caller may change: text (with length limits), URLs, relations; declared in ``catalog.registry``.
DECLARED = registry.TYPES["mlmodel"]


def create_mlmodel(service: MlModelService, name: str, actor, **values) -> changes.Outcome:
    """Create a model at version 0.1 with everything given, in one transaction."""
    check_name(name)
    values = clean(values)
    if not values.get("algorithm", "").strip():
        raise ValidationError({"algorithm": "This field is required."})
    model = MlModel(service=service, name=name)
    _set_attributes(model, values)
    if MlModel.objects.by_fqn(fqn.build(service.name, name)).exists():
        raise ValidationError({"name": f"An ML model named {name!r} already exists in this service."})
    return changes.create(model, actor, save_related=lambda saved: _set_relations(saved, values))


def update_mlmodel(model: MlModel, actor, *, expected_version=None, **values) -> changes.change:
    """Apply the given values; one new version if anything differs, none otherwise."""
    values = clean(values)
    if "algorithm" in values and not values["algorithm"].strip():
        raise ValidationError({"algorithm": "This field is required."})
    with changes.change(model, actor, expected_version=expected_version) as c:
        _set_attributes(c.entity, values)
        c.relations_unchanged = not _set_relations(c.entity, values)
    return c


def set_following(model: MlModel, user: User, *, following: bool) -> bool:
    """Add or remove ``user`` among the model's followers; return whether that changed anything.

    The follower set is read under the entity's lock, so two people following
    at once both stay. Following makes no version (see describe.UNVERSIONED).
    """
    with changes.change(model, user) as c:
        present = c.entity.followers.filter(pk=user.pk).exists()
        if following and not present:
            c.entity.followers.add(user)
        elif present and not following:
            c.entity.followers.remove(user)
    return present != following


def clean(values: dict) -> dict:
    """Validate every given value; raise one ValidationError naming the field."""
    unknown = set(values) - DECLARED.writable
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Unknown field."})
    out = dict(values)
    for name, limit in DECLARED.text_fields.items():
        if name in out:
            out[name] = check_text(out[name], name, limit)
    for name in DECLARED.url_fields & out.keys():
        out[name] = check_url(out[name], name)
    if "card_risk_rating" in out:
        check_choice(out["card_risk_rating"], RiskRating, "card_risk_rating")
    for name in ("owners", "tags", "followers", "features", "hyperparameters"):
        if name in out:
            check_count(out[name], name)
    if "owners" in out:
        check_owners(out["owners"])
    if out.get("dashboard") is not None and not isinstance(out["dashboard"], Dashboard):
        raise ValidationError({"dashboard": "Must be a dashboard."})
    if "features" in out:
        out["features"] = [_clean_feature(f, i) for i, f in enumerate(out["features"])]
        check_total(sum(len(f.sources) for f in out["features"]), "features", "model_sources")
        _link_columns_named_by_sources(out["features"])
        check_unique_names([f.name for f in out["features"]], "features")
    if "hyperparameters" in out:
        for i, param in enumerate(out["hyperparameters"]):
            check_name(param.name, f"hyperparameters[{i}].name")
            check_text(param.value, f"hyperparameters[{i}].value", 1024)
            check_text(param.description, f"hyperparameters[{i}].description")
        check_unique_names([p.name for p in out["hyperparameters"]], "hyperparameters")
    return out


def _clean_feature(spec: FeatureSpec, index: int) -> FeatureSpec:
    where = f"features[{index}]"
    check_name(spec.name, f"{where}.name")
    check_choice(spec.data_type, MlFeature.DataType, f"{where}.dataType")
    check_text(spec.feature_algorithm, f"{where}.featureAlgorithm", 256)
    check_text(spec.description, f"{where}.description")
    check_count(spec.tags, f"{where}.tags", "tags")
    check_count(spec.sources, f"{where}.sources", "sources")
    for j, source in enumerate(spec.sources):
        at = f"{where}.sources[{j}]"
        check_name(source.name, f"{at}.name")
        check_count(source.tags, f"{at}.tags", "tags")
        check_choice(source.data_type, FeatureSource.DataType, f"{at}.dataType")
        check_text(source.description, f"{at}.description")
        if source.column is not None:
            source.table = source.table or source.column.table
            check_source_column(source.table, source.column, f"{at}.column")
    check_unique_names([source.name for source in spec.sources], f"{where}.sources", "sources")
    return spec


def _link_columns_named_by_sources(features: list[FeatureSpec]) -> None:
    """Link a source that names a column of its table to that column.

    OpenMetadata clients send a table reference and the source's name; when
    the table has a column of that name, that column is the source. One query
    for all sources: a column's id is derived from its table and name.
    """
    unlinked = [s for f in features for s in f.sources if s.table is not None and s.column is None]
    if not unlinked:
        return
    found = Column.objects.in_bulk([column_id(s.table.pk, s.name) for s in unlinked])
    for source in unlinked:
        source.column = found.get(column_id(source.table.pk, source.name))


def _set_attributes(model: MlModel, values: dict) -> None:
    for name in (DECLARED.text_fields.keys() | DECLARED.url_fields) & values.keys():
        setattr(model, name, values[name])
    if "dashboard" in values:
        model.dashboard = values["dashboard"]


def _set_relations(model: MlModel, values: dict) -> bool:
    """Write the given relations and child rows; return whether any row was written.

    Each relation is compared with what ``model`` holds first: resending what
    is stored (an OpenMetadata client's PUT of an unchanged model with a new
    description) writes nothing.
    """
    wrote = False
    if "owners" in values:
        wrote |= _set_members(model, "owner_users", [o for o in values["owners"] if isinstance(o, User)])
        wrote |= _set_members(model, "owner_teams", [o for o in values["owners"] if isinstance(o, Team)])
    if "tags" in values:
        wrote |= _set_members(model, "tags", values["tags"])
    if "followers" in values:
        wrote |= _set_members(model, "followers", values["followers"])
    if "features" in values:
        wrote |= _set_features(model, values["features"])
    if "hyperparameters" in values:
        wrote |= _set_hyperparameters(model, values["hyperparameters"])
    return wrote


def _set_members(model: MlModel, relation: str, wanted: list) -> bool:
    """Make a many-to-many relation hold ``wanted``; return whether it may have changed.

    The locked entity comes with its members prefetched: when they already
    are ``wanted``, nothing is read or written.
    """
    manager = getattr(model, relation)
    prefetched = getattr(model, "_prefetched_objects_cache", {}).get(manager.prefetch_cache_name)
    if prefetched is not None and {o.pk for o in prefetched} == {o.pk for o in wanted}:
        return False
    manager.set(wanted)
    return True


def _set_hyperparameters(model: MlModel, specs: list[HyperParameterSpec]) -> bool:
    stored = [(p.position, p.name, p.value, p.description) for p in model.hyperparameters.all()]
    wanted = [(i, p.name, p.value or "", p.description or "") for i, p in enumerate(specs)]
    if stored == wanted:
        return False
    if stored:
        model.hyperparameters.all().delete()
    MlHyperParameter.objects.bulk_create(
        MlHyperParameter(model=model, position=i, name=name, value=value, description=description)
        for i, name, value, description in wanted
    )
    return True


def _stored_features(model: MlModel) -> list[MlFeature]:
    """Return the model's features with their tags and sources (and theirs), as lists.

    The entity locked by ``changes.change`` has them prefetched already; a
    model being created has none yet, which one query confirms.
    """
    if hasattr(model, "features_list"):
        return model.features_list
    sources = FeatureSource.objects.prefetch_related(Prefetch("tags", to_attr="tags_list"))
    return list(
        MlFeature.objects.filter(model=model).prefetch_related(
            Prefetch("tags", to_attr="tags_list"), Prefetch("sources", queryset=sources, to_attr="sources_list")
        )
    )


def _source_rows(feature: MlFeature) -> list[tuple]:
    """Return what the stored sources of a feature say, in the terms of :func:`_source_specs`."""
    return [
        (s.position, s.name, s.data_type, s.description, s.table_id, s.column_id, {t.pk for t in s.tags_list})
        for s in feature.sources_list
    ]


def _source_specs(specs: list[SourceSpec]) -> list[tuple]:
    return [
        (
            position,
            s.name,
            s.data_type or "",
            s.description or "",
            s.table.pk if s.table else None,
            s.column.pk if s.column else None,
            {t.pk for t in s.tags},
        )
        for position, s in enumerate(specs)
    ]


def _set_features(model: MlModel, specs: list[FeatureSpec]) -> bool:
    """Write what differs in the features, in a fixed number of queries; return whether any row was written.

    Features are matched by name, so each keeps its id (lineage edges point
    at it), and only the changed ones are written. Sources have no identity
    of their own: a feature whose sources differ in any way has them all
    rewritten; the others keep theirs.
    """
    stored = {feature.name: feature for feature in _stored_features(model)}
    wanted_names = {spec.name for spec in specs}
    gone = [feature.pk for name, feature in stored.items() if name not in wanted_names]
    if gone:
        MlFeature.objects.filter(pk__in=gone).delete()

    updated, created, retagged, resourced = [], [], [], []
    for position, spec in enumerate(specs):
        columns = {
            "position": position,
            "data_type": spec.data_type or "",
            "feature_algorithm": spec.feature_algorithm or "",
            "description": spec.description or "",
        }
        feature = stored.get(spec.name)
        if feature is None:
            feature = MlFeature(model=model, name=spec.name, **columns)
            created.append(feature)
            retagged.append((feature, spec))
            resourced.append((feature, spec))
            continue
        if any(getattr(feature, name) != value for name, value in columns.items()):
            for name, value in columns.items():
                setattr(feature, name, value)
            updated.append(feature)
        if {t.pk for t in feature.tags_list} != {t.pk for t in spec.tags}:
            retagged.append((feature, spec))
        if _source_rows(feature) != _source_specs(spec.sources):
            resourced.append((feature, spec))
    MlFeature.objects.bulk_update(updated, ["position", "data_type", "feature_algorithm", "description"])
    MlFeature.objects.bulk_create(created)

    FeatureTag = MlFeature.tags.through
    new_ids = {feature.pk for feature in created}
    if stale := [feature.pk for feature, _ in retagged if feature.pk not in new_ids]:
        FeatureTag.objects.filter(mlfeature_id__in=stale).delete()
    FeatureTag.objects.bulk_create(
        FeatureTag(mlfeature_id=feature.pk, tag_id=tag.pk)
        for feature, spec in retagged
        for tag in {t.pk: t for t in spec.tags}.values()
    )

    if stale := [feature.pk for feature, _ in resourced if feature.pk not in new_ids]:
        FeatureSource.objects.filter(feature_id__in=stale).delete()
    pairs = [(feature, position, source) for feature, spec in resourced for position, source in enumerate(spec.sources)]
    rows = FeatureSource.objects.bulk_create(
        FeatureSource(
            feature=feature,
            position=position,
            name=source.name,
            data_type=source.data_type or "",
            description=source.description or "",
            table=source.table,
            column=source.column,
        )
        for feature, position, source in pairs
    )
    SourceTag = FeatureSource.tags.through
    SourceTag.objects.bulk_create(
        SourceTag(featuresource_id=row.pk, tag_id=tag.pk)
        for row, (_, _, source) in zip(rows, pairs, strict=False)
        for tag in {t.pk: t for t in source.tags}.values()
    )
    return bool(gone or updated or created or retagged or resourced)
