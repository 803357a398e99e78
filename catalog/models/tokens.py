"""API tokens: what programs (the OpenMetadata SDK, scripts, bots) sign in with.

Only a hash of each token is kept; the token itself is shown once, when it is
issued. Tokens are long random strings, so a fast hash (SHA-256) is enough:
there is no password to guess.
"""

import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

#: Every token starts with this, so a leaked one is easy to recognise.
TOKEN_PREFIX = "mat_"
#: How long a token stays in use without its ``last_used`` being written again.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass
class Alongside:
    """A data-modifying query a door runs in the token look-up's own statement, saving it a round trip.

    ``sql`` is PostgreSQL's (SQLite has no data-modifying WITH query); it may read ``found``, the row of
    the token with the key, and runs before the token is judged. ``row`` is what it returned (None when
    no token has the key). The API counts its rate limits so (api/throttles.py).
    """

    sql: str
    params: list
    row: tuple | None = None


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Return the tokens that still authenticate: not revoked, not expired."""
        now = timezone.now()
        not_expired = models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        return self.filter(not_expired, revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token that acts as its user on the JSON API."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="user", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("name", max_length=128, help_text="What the token is for, e.g. 'nightly ingestion'.")
    key_hash = models.CharField("key hash", max_length=64, unique=True, editable=False)
    #: The first characters of the token, shown in lists so a user can tell tokens apart.
    hint = models.CharField("hint", max_length=16, editable=False)
    created_at = models.DateTimeField("created", default=timezone.now, editable=False)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    expires_at = models.DateTimeField("expires", null=True, blank=True)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str, *, expires_at=None) -> tuple["ApiToken", str]:
        """Create a token for ``user``; return it and the raw key (never stored, shown once)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=hash_token(raw), hint=raw[: len(TOKEN_PREFIX) + 6], expires_at=expires_at
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str, alongside: Alongside | None = None):
        """Return the usable token whose key is ``raw``, or None; run ``alongside`` in the look-up's statement."""
        # Looked up by its unique hash alone and judged here: every API request runs this, and the
        # ORM took longer to compose the revoked/expired conditions and the ordering than to run the query.
        if alongside is not None:
            token = cls._find_alongside(hash_token(raw), alongside)
        else:
            try:
                token = cls.objects.select_related("user").get(key_hash=hash_token(raw))
            except cls.DoesNotExist:
                return None
        if token is None or not token.is_usable or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            # Written at most once a minute so reads stay reads.
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token

    @classmethod
    def _find_alongside(cls, key_hash: str, alongside: Alongside):
        """Return the token with ``key_hash`` and its user, read in one statement with ``alongside``, or None."""
        token_fields, user_fields, sql = _lookup_with(alongside.sql)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key_hash, *alongside.params])
            row = cursor.fetchone()
        if row is None:
            alongside.row = None
            return None
        split, end = len(token_fields), len(token_fields) + len(user_fields)
        token = cls.from_db(connection.alias, token_fields, row[:split])
        token.user = cls._meta.get_field("user").related_model.from_db(connection.alias, user_fields, row[split:end])
        alongside.row = row[end:]
        return token

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


@cache
def _lookup_with(alongside_sql: str) -> tuple[list[str], list[str], str]:
    """Return the token's and user's field names and the look-up of a token and its user with ``alongside_sql``.

    Built once per statement: like the ORM's ``select_related("user")`` query, it reads every column of both.
    """
    quote = connection.ops.quote_name
    user_model = ApiToken._meta.get_field("user").related_model
    token_fields, user_fields = ApiToken._meta.concrete_fields, user_model._meta.concrete_fields
    columns = [f"found.{quote(f.column)}" for f in token_fields] + [f"u.{quote(f.column)}" for f in user_fields]
    sql = (
        f"WITH found AS (SELECT * FROM {quote(ApiToken._meta.db_table)} WHERE {quote('key_hash')} = %s), "
        f"alongside AS ({alongside_sql}) "
        f"SELECT {', '.join(columns)}, alongside.* FROM found "
        f"JOIN {quote(user_model._meta.db_table)} u "
        f"ON u.{quote(user_model._meta.pk.column)} = found.{quote(ApiToken._meta.get_field('user').column)} "
        "LEFT JOIN alongside ON true"
    )
    return [f.attname for f in token_fields], [f.attname for f in user_fields], sql
