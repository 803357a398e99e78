"""Users and teams: the people who own and follow catalogue entities."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from catalog import fqn as fqnlib
from catalog.models.base import Entity, EntityQuerySet, Versioned


class User(AbstractUser, Versioned):
    """A person or a bot. The username is the OpenMetadata user name.

    Roles: a *viewer* reads everything; an *editor* edits any entity; a
    model's owners edit that model; superusers administer the catalogue.
    """

    entity_type = "user"

    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer (read-only)"
        EDITOR = "editor", "Editor"

    email = models.EmailField("email address", blank=True)
    is_bot = models.BooleanField("bot", default=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    #: Granted by an administrator: approves moves of any model's versions to a gated status (owners may for theirs).
    is_approver = models.BooleanField("approver", default=False, help_text="May approve model versions of any model.")

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        """Save; a deleted user is never active, and one who stops being active is signed out everywhere.

        Every door (API, admin, commands) saves users here, so this is the one
        place that holds. Restoring a deleted user leaves them inactive: an
        administrator turns them back on deliberately. Tokens need nothing
        more: they authenticate active users only.
        """
        if self.deleted:
            self.is_active = False
        stops = not self.is_active and type(self).objects.filter(pk=self.pk, is_active=True).exists()
        super().save(*args, **kwargs)
        if stops:
            self.end_sessions()

    def end_sessions(self) -> None:
        """Delete this user's stored browser sessions, so none comes back if the account is reactivated."""
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session in store.get_model_class().objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get(SESSION_KEY) == str(self.pk):
                store(session.session_key).delete()

    @property
    def name(self) -> str:
        return self.username

    @property
    def fqn(self) -> str:
        return fqnlib.quote(self.username)

    @property
    def can_edit_catalogue(self) -> bool:
        """Return whether the user may edit any entity (not only what they own)."""
        return self.is_active and (self.is_superuser or self.role == self.Role.EDITOR)


class Team(Entity):
    """A group of users that can own entities."""

    entity_type = "team"

    class TeamType(models.TextChoices):
        GROUP = "Group"
        DEPARTMENT = "Department"
        DIVISION = "Division"
        BUSINESS_UNIT = "BusinessUnit"
        ORGANIZATION = "Organization"

    team_type = models.CharField(max_length=32, choices=TeamType.choices, default=TeamType.GROUP)
    email = models.EmailField(blank=True)
    users = models.ManyToManyField(User, blank=True, related_name="teams")

    objects = EntityQuerySet.as_manager()

    class Meta(Entity.Meta):
        pass
