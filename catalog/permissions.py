"""Who may do what, for every door: pages, the JSON API and the admin console ask here.

The roles: administrators (superusers) and editors change any catalogue entity;
anyone else who is signed in reads everything and changes only what they own,
directly or through a team they belong to; an inactive user does nothing.
API tokens are one's own, or issued by an administrator for bots.
"""

from django.db.models import Q

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


def can_edit(user, entity=None) -> bool:
    """Editors and administrators edit anything; other users what they own (``entity=None``: anything at all)."""
    if not can_read(user):
        return False
    if user.can_edit_catalogue:
        return True
    return entity is not None and is_owner(user, entity)


#: Deleting (soft or hard) follows the same rule as editing.
can_delete = can_edit


def token_holders(user):
    """The users whose API tokens ``user`` may issue, list and revoke: themselves, and bots for administrators."""
    if user.is_superuser:
        return User.objects.filter(Q(pk=user.pk) | Q(is_bot=True)).order_by("username")
    return User.objects.filter(pk=user.pk)
