"""The API's own table: request counts of the rate limits (api/throttles.py)."""

from django.db import models


class RequestCount(models.Model):
    """How many requests one caller made in the current window of one limit.

    Kept in the database, not a per-process cache, so every gunicorn worker
    (and every host) counts against the same number.
    """

    key = models.CharField(max_length=200, primary_key=True)
    hits = models.PositiveIntegerField()
    #: When the current window ends (Unix seconds); a row whose window ended is stale.
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = "API request count"
