"""Classifications and their tags (PII.Sensitive, Tier.Tier1, ...)."""

from django.db import models

from catalog.models.base import Entity


class Classification(Entity):
    """A family of tags, such as PII or Tier."""

    entity_type = "classification"

    mutually_exclusive = models.BooleanField(default=False)

    class Meta(Entity.Meta):
        pass


class Tag(Entity):
    """One tag of a classification; its FQN is ``Classification.Tag``."""

    entity_type = "tag"

    classification = models.ForeignKey(Classification, on_delete=models.CASCADE, related_name="tags")

    class Meta(Entity.Meta):
        pass

    def fqn_parts(self):
        return [self.classification.name, self.name]
