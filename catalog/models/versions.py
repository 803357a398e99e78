"""The history of every entity: one full snapshot per superseded version.

A *history version* (0.1, 1.2…) is a past state of a catalogue entry; it is
not a *model version* (1, 2, 3…, ``catalog.models.modelversions``), which is
an artifact a registry produced.
"""

from django.db import models


class EntityVersion(models.Model):
    """A snapshot of an entity as it was at ``version``, with what changed to reach it."""

    entity_type = models.CharField(max_length=32)
    entity_id = models.UUIDField()
    version = models.DecimalField(max_digits=9, decimal_places=1)
    snapshot = models.JSONField()
    change_description = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=256, blank=True)

    class Meta:
        ordering = ["entity_type", "entity_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity_type", "entity_id", "version"], name="catalog_entityversion_unique_version"
            ),
        ]

    def __str__(self):
        return f"{self.entity_type} {self.entity_id} v{self.version}"
