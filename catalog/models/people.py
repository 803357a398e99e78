"""Users and teams: the people who own and follow catalogue entities."""

from django.contrib.auth.models import AbstractUser
from django.db import models

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

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.username

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
