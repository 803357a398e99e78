"""The fields and behaviour every catalogue entity shares."""

import uuid
from decimal import Decimal

from django.db import models
from django.utils import timezone

from catalog import fqn as fqnlib


class EntityQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted=False)

    def by_fqn(self, fqn: str):
        return self.filter(fqn_hash=fqnlib.digest(fqnlib.normalise(fqn)))


class Versioned(models.Model):
    """A UUID-keyed row with OpenMetadata's version history and soft delete.

    The version, change description and ``updated_*`` columns are written only
    by ``catalog.services.changes``, the one write path every caller uses.
    """

    #: OpenMetadata's entity type string (``mlmodel``, ``table``, ...).
    entity_type: str = ""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    display_name = models.CharField("display name", max_length=256, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    version = models.DecimalField(max_digits=9, decimal_places=1, default=Decimal("0.1"), editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.CharField(max_length=256, blank=True, editable=False)
    deleted = models.BooleanField(default=False, editable=False)
    change_description = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return self.display_name or self.name


class Entity(Versioned):
    """A named entity whose fully qualified name is unique within its type."""

    name = models.CharField(max_length=256)
    fqn = models.TextField("fully qualified name", editable=False)
    fqn_hash = models.CharField(max_length=32, unique=True, editable=False)

    objects = EntityQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name", "id"]

    def __str__(self):
        return self.display_name or self.name

    def fqn_parts(self) -> list[str]:
        """Return the names this entity's FQN is built from, outermost first."""
        return [self.name]

    def refresh_fqn(self) -> None:
        self.fqn = fqnlib.build(*self.fqn_parts())
        self.fqn_hash = fqnlib.digest(self.fqn)

    def save(self, *args, **kwargs):
        self.refresh_fqn()
        super().save(*args, **kwargs)


class Owned(models.Model):
    """Owners are users or teams, as in OpenMetadata's ``owners`` list."""

    owner_users = models.ManyToManyField("catalog.User", blank=True, related_name="owned_%(class)ss")
    owner_teams = models.ManyToManyField("catalog.Team", blank=True, related_name="owned_%(class)ss")

    class Meta:
        abstract = True

    def owners(self) -> list:
        """Return users and teams together, sorted by name as OpenMetadata does."""
        return sorted([*self.owner_users.all(), *self.owner_teams.all()], key=lambda o: (o.name, str(o.id)))
