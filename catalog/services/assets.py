"""Creating and changing the entities around ML models: services, data assets, people and tags.

Each ``save_*`` function creates the entity named by its parent and name, or
changes the one that already has that fully qualified name (soft-deleted ones
included: restoring is the caller's decision). Values are keyword arguments;
an absent key leaves the stored value alone. References (owners, tags, users,
teams) arrive as model instances: resolving names and ids is the caller's job.
Every write goes through :mod:`catalog.services.changes`, so it is validated,
versioned and described like any other.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from catalog import fqn as fqnlib
from catalog import registry, representations
from catalog.models import (
    Classification,
    Column,
    Dashboard,
    DashboardService,
    Database,
    DatabaseSchema,
    DatabaseService,
    MlModelService,
    Table,
    Tag,
    Team,
    User,
)
from catalog.services import changes
from catalog.services.validation import (
    check_choice,
    check_count,
    check_name,
    check_owners,
    check_text,
    check_unique_names,
    check_url,
)


@dataclass
class ColumnSpec:
    """One column of a table, as a caller wants it to be."""

    name: str
    data_type: str = Column.DataType.STRING
    data_type_display: str = ""
    display_name: str = ""
    description: str = ""
    tags: list[Tag] = field(default_factory=list)


_RELATIONS = {"owners", "tags", "columns", "teams", "users"}


# -- Finding ---------------------------------------------------------------------------------------------------------


def find(model, *names: str):
    """Return the entity of ``model`` whose FQN is built from ``names`` (deleted ones too), or None.

    It comes with its relations prefetched: the caller compares it with a request.
    """
    rows = representations.represented(model)
    if model is User:
        return rows.filter(username=names[-1]).first()
    return rows.filter(fqn_hash=fqnlib.digest(fqnlib.build(*names))).first()


# -- One function per kind of entity ---------------------------------------------------------------------------------


def save_service(model, name: str, actor, *, expected_version=None, **values) -> changes.Outcome:
    """Create or change an ML-model, database or dashboard service called ``name``."""
    if model not in (MlModelService, DatabaseService, DashboardService):
        raise TypeError(f"{model.__name__} is not a service")
    if model is MlModelService and "service_type" in values:
        check_choice(values["service_type"], MlModelService.ServiceType, "serviceType")
    return _save(model, (name,), lambda: model(name=name), actor, expected_version, values, required={"service_type"})


def save_database(service: DatabaseService, name: str, actor, *, expected_version=None, **values) -> changes.Outcome:
    return _save(
        Database, (service.name, name), lambda: Database(service=service, name=name), actor, expected_version, values
    )


def save_schema(database: Database, name: str, actor, *, expected_version=None, **values) -> changes.Outcome:
    return _save(
        DatabaseSchema,
        (*database.fqn_parts(), name),
        lambda: DatabaseSchema(database=database, name=name),
        actor,
        expected_version,
        values,
    )


def save_table(schema: DatabaseSchema, name: str, actor, *, expected_version=None, **values) -> changes.Outcome:
    """Create or change a table; ``columns`` (ColumnSpecs) replaces the whole column set."""
    return _save(
        Table, (*schema.fqn_parts(), name), lambda: Table(schema=schema, name=name), actor, expected_version, values
    )


def save_dashboard(service: DashboardService, name: str, actor, *, expected_version=None, **values):
    return _save(
        Dashboard, (service.name, name), lambda: Dashboard(service=service, name=name), actor, expected_version, values
    )


def save_user(name: str, actor, *, expected_version=None, role=None, **values) -> changes.Outcome:
    """Create or change a user (or bot). New users have no password: they sign in with tokens.

    ``role`` applies to a new user only: roles of existing users are changed
    by administrators in the admin console, never by a catalogue write.
    """
    if role is not None:
        check_choice(role, User.Role, "role")
        if find(User, name) is not None:
            raise ValidationError({"role": "Only a new user's role can be set here."})

    def new_user():
        user = User(username=name, role=role or User.Role.VIEWER)
        user.set_unusable_password()
        return user

    return _save(User, (name,), new_user, actor, expected_version, values)


def save_team(name: str, actor, *, expected_version=None, **values) -> changes.Outcome:
    if "team_type" in values:
        check_choice(values["team_type"], Team.TeamType, "teamType")
    return _save(Team, (name,), lambda: Team(name=name), actor, expected_version, values)


def save_classification(name: str, actor, *, expected_version=None, **values) -> changes.Outcome:
    return _save(Classification, (name,), lambda: Classification(name=name), actor, expected_version, values)


def save_tag(classification: Classification, name: str, actor, *, expected_version=None, **values):
    return _save(
        Tag,
        (classification.name, name),
        lambda: Tag(classification=classification, name=name),
        actor,
        expected_version,
        values,
    )


# -- The shared create-or-change ---------------------------------------------------------------------------------------


def _save(model, names, build, actor, expected_version, values, required=()) -> changes.Outcome:
    check_name(names[-1], max_length=name_length(model))
    values = clean(model, values)
    existing = find(model, *names)
    if existing is None:
        missing = [key for key in required if not values.get(key)]
        if missing:
            raise ValidationError({missing[0]: "This field is required."})
        entity = build()
        _set_attributes(entity, values)
        return changes.create(entity, actor, save_related=lambda saved: _set_relations(saved, values))
    with changes.change(existing, actor, expected_version=expected_version) as c:
        _set_attributes(c.entity, values)
        _set_relations(c.entity, values)
    return changes.Outcome(entity=c.entity, created=False, changed=c.changed)


def name_length(model) -> int:
    """The longest name ``model``'s column holds: a user name is Django's (150), an entity's 256."""
    return model._meta.get_field("username" if model is User else "name").max_length


def clean(model, values: dict) -> dict:
    """Validate every given value for ``model``; raise one ValidationError naming the field."""
    declared = registry.of(model)
    unknown = set(values) - declared.writable
    if unknown:
        raise ValidationError({min(unknown): "Unknown field."})
    out = dict(values)
    for name, limit in declared.text_fields.items():
        if name in out:
            out[name] = check_text(out[name], name, limit)
    if out.get("email"):
        try:
            validate_email(out["email"])
        except ValidationError:
            raise ValidationError({"email": f"{out['email']!r} is not a valid email address."}) from None
    for name in declared.url_fields & out.keys():
        out[name] = check_url(out[name], name)
    if "connection" in out:
        check_json(out["connection"], "connection")
    for flag in ("is_bot", "mutually_exclusive"):
        if flag in out and not isinstance(out[flag], bool):
            raise ValidationError({flag: "Must be true or false."})
    for name in ("owners", "tags", "users", "teams", "columns"):
        if name in out:
            check_count(out[name], name)
    if "owners" in out:
        check_owners(out["owners"])
    if "columns" in out:
        out["columns"] = [_clean_column(spec, i) for i, spec in enumerate(out["columns"])]
        check_unique_names([c.name for c in out["columns"]], "columns")
    return out


def check_json(value, field):
    """Reject NUL characters anywhere in a JSON value (PostgreSQL cannot store them)."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_text(key, field)
            check_json(item, field)
    elif isinstance(value, list):
        for item in value:
            check_json(item, field)
    elif isinstance(value, str):
        check_text(value, field)
    return value


def _clean_column(spec: ColumnSpec, index: int) -> ColumnSpec:
    where = f"columns[{index}]"
    check_name(spec.name, f"{where}.name")
    check_choice(spec.data_type, Column.DataType, f"{where}.dataType")
    if not spec.data_type:
        raise ValidationError({f"{where}.dataType": "This field is required."})
    check_text(spec.data_type_display, f"{where}.dataTypeDisplay", 256)
    check_text(spec.display_name, f"{where}.displayName", 256)
    check_text(spec.description, f"{where}.description")
    check_count(spec.tags, f"{where}.tags", "tags")
    return spec


def _set_attributes(entity, values: dict) -> None:
    for name in values.keys() - _RELATIONS:
        setattr(entity, name, values[name])


def _set_relations(entity, values: dict) -> None:
    if "owners" in values:
        entity.owner_users.set([o for o in values["owners"] if isinstance(o, User)])
        entity.owner_teams.set([o for o in values["owners"] if isinstance(o, Team)])
    if "tags" in values:
        entity.tags.set(values["tags"])
    if "teams" in values:
        entity.teams.set(values["teams"])
    if "users" in values:
        entity.users.set(values["users"])
    if "columns" in values:
        _set_columns(entity, values["columns"])


def _set_columns(table: Table, specs: list[ColumnSpec]) -> None:
    """Make the table's columns equal to ``specs``, keeping each column's id (references use it)."""
    existing = {c.name: c for c in Column.objects.filter(table=table)}
    Column.objects.filter(table=table).exclude(name__in=[s.name for s in specs]).delete()
    for position, spec in enumerate(specs):
        column = existing.get(spec.name) or Column(table=table, name=spec.name)
        column.position = position
        column.data_type = spec.data_type
        column.data_type_display = spec.data_type_display or ""
        column.display_name = spec.display_name or ""
        column.description = spec.description or ""
        column.save()
        column.tags.set(spec.tags)
