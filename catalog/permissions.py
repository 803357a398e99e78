"""Who may do what, for every door: pages, the JSON API and the admin console ask here.

The roles: administrators (superusers) and editors change any catalogue entity;
anyone else who is signed in reads everything and changes only what they own,
directly or through a team they belong to; an inactive user does nothing.
Approving a model version for a gated status is the model's owners', the
approvers' (a flag administrators grant) and administrators'.
Accounts (users and teams: who signs in, with which role, in which team) are
changed by administrators alone, whoever asks. API tokens are one's own, or
issued by an administrator for bots.
"""

from django.db.models import Q

from catalog import registry
from catalog.models import Team, User


def can_read(user) -> bool:
    """Every active, signed-in user reads the whole catalogue."""
    return bool(user and user.is_authenticated and user.is_active)


def is_owner(user, entity) -> bool:
    """Return whether ``user`` owns ``entity`` directly or through one of their teams.

    Reads the owners through ``.all()``, so an entity read with its owners
    prefetched costs at most one query (team membership).
    """
    if not hasattr(entity, "owner_users"):
        return False
    if any(owner.pk == user.pk for owner in entity.owner_users.all()):
        return True
    team_ids = [team.pk for team in entity.owner_teams.all()]
    return bool(team_ids) and Team.users.through.objects.filter(team_id__in=team_ids, user_id=user.pk).exists()


def is_account(model_or_entity) -> bool:
    """Return whether a model (or an instance of it) is an account type the registry declares."""
    model = model_or_entity if isinstance(model_or_entity, type) else type(model_or_entity)
    declared = registry.TYPES.get(getattr(model, "entity_type", ""))
    return declared is not None and declared.model is model and declared.account


def can_manage_accounts(user) -> bool:
    """Only active administrators create, change, delete or restore users and teams (roles included)."""
    return can_read(user) and user.is_superuser


def can_edit(user, entity=None, *, model=None) -> bool:
    """Editors and administrators edit any catalogue entity; other users what they own.

    ``entity=None`` asks about any entity of ``model`` (a new one, say), or
    about any catalogue entity at all when no model is given. Accounts are an
    administrator's whatever the role.
    """
    if not can_read(user):
        return False
    if is_account(entity if entity is not None else model or object):
        return can_manage_accounts(user)
    if user.can_edit_catalogue:
        return True
    return entity is not None and is_owner(user, entity)


def can_approve(user, model) -> bool:
    """Moving a version of ``model`` into a gated status: its owners, approvers an administrator named, administrators.

    Editors edit every model but approve only where they own: the one who
    may change a model is not by that alone the one who may ship it.
    """
    if not can_read(user):
        return False
    return user.is_superuser or user.is_approver or is_owner(user, model)


#: Deleting (soft or hard) and restoring follow the same rule as editing.
can_delete = can_edit


def can_create(user, model) -> bool:
    """Return whether ``user`` may create an entity of ``model``: editors (administrators for accounts)."""
    return can_edit(user, model=model)


def may_change_some(user, model=None) -> bool:
    """Return whether ``user`` may change at least one entity of ``model`` (of any type when None).

    Doors ask this before they read a request, so a caller who may change
    nothing there is refused before the request is judged: a read-only caller
    learns nothing from a 400 or a 404 about the body. Who owns something of
    the type may still change it, so they are let through to the entity's own
    check.
    """
    if can_edit(user, model=model):
        return True
    if not can_read(user) or (model is not None and is_account(model)):
        return False
    owned = [t.model for t in registry.TYPES.values() if t.owned and model in (None, t.model)]
    mine = Q(owner_users=user) | Q(owner_teams__users=user)
    return any(owned_model.objects.filter(mine).exists() for owned_model in owned)


def token_holders(user):
    """The users whose API tokens ``user`` may issue, list and revoke: themselves, and bots for administrators."""
    if user.is_superuser:
        return User.objects.filter(Q(pk=user.pk) | Q(is_bot=True)).order_by("username")
    return User.objects.filter(pk=user.pk)


def token_revokable_holders(user):
    """The users whose tokens ``user`` may revoke: their token holders, and anyone's for administrators.

    Revoking only takes access away, so an administrator may stop any leaked
    token; issuing stays :func:`token_holders`' (no one acts as another person).
    """
    if can_manage_accounts(user):
        return User.objects.all()
    return token_holders(user)
