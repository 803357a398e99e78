"""The stored API document of each ML model, kept by ``catalog.documents``."""

from django.db import models

from catalog.models.mlmodels import MlModel


class MlModelDocument(models.Model):
    """A model as the API serves it, stored as JSON text in pieces, the way OpenMetadata stores entities.

    ``body`` is the representation without relation fields, as a JSON object
    whose closing brace the reader replaces with the relation fields a request
    asks for (each its own column, already JSON). Hrefs are stored relative
    (``/api/v1/...``): the reader prefixes the request's base URL. ``version``
    is the model's version the document was built from, so a reader can tell a
    document older than its model and build that one afresh.

    ``search_text`` holds the words the text search looks for; on PostgreSQL
    a generated ``search_vector`` column (catalog migration 0004, not declared
    here: SQLite has no tsvector) indexes it.
    """

    model = models.OneToOneField(MlModel, primary_key=True, on_delete=models.CASCADE, related_name="document")
    version = models.DecimalField(max_digits=9, decimal_places=1)
    body = models.TextField()
    dashboard = models.TextField(blank=True, help_text="Empty when the model has no dashboard.")
    owners = models.TextField()
    followers = models.TextField()
    tags = models.TextField()
    search_text = models.TextField(blank=True)

    class Meta:
        verbose_name = "ML model document"

    def __str__(self):
        return f"document of {self.model_id}"
