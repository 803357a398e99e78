"""Cursor paging of entity lists, ordered by name then id as OpenMetadata does.

A cursor is the base64url (without padding) of ``{"name": ..., "id": ...}``:
the SDK pastes it into the query string without encoding, so it may only
contain URL-safe characters.
"""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass

from django.db.models import Q

from api.bodies import parse_count
from api.errors import bad_request

DEFAULT_LIMIT = 10
#: OpenMetadata allows 1,000,000; its SDK asks for 100 (list_entities, list_all_entities). A page of 1,000 entities
#: already takes a worker a while: larger pages are refused rather than served slowly.
MAX_LIMIT = 1_000


@dataclass
class Page:
    rows: list
    total: int
    after: str | None
    before: str | None

    def paging(self) -> dict:
        out = {"total": self.total}
        if self.before is not None:
            out["before"] = self.before
        if self.after is not None:
            out["after"] = self.after
        return out


def encode(name: str, pk) -> str:
    raw = json.dumps({"name": name, "id": str(pk)}, ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str, param: str) -> tuple[str, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        return str(data["name"]), uuid.UUID(str(data["id"]))
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise bad_request(f"{param}: not a valid paging cursor") from None


def parse_limit(value: str | None) -> int:
    return parse_count(value, "limit", default=DEFAULT_LIMIT, maximum=MAX_LIMIT)


def paginate(queryset, *, name_field: str, limit: int, after: str | None, before: str | None, counted=None) -> Page:
    """Return one page of ``queryset`` (already filtered) and the cursors around it.

    ``counted`` is the queryset whose count is the total, when ``queryset``
    joins rows a count need not read (the stored documents).
    """
    if after and before:
        raise bad_request("Only one of before or after may be given")
    total = (queryset if counted is None else counted).count()
    if limit == 0:
        return Page(rows=[], total=total, after=None, before=None)
    if before:
        name, pk = decode(before, "before")
        earlier = before_cursor(name_field, name, pk)
        rows = list(queryset.filter(earlier).order_by(f"-{name_field}", "-pk")[: limit + 1])
        more_before = len(rows) > limit
        rows = list(reversed(rows[:limit]))
        return Page(
            rows=rows,
            total=total,
            before=_cursor(rows[0], name_field) if more_before and rows else None,
            after=_cursor(rows[-1], name_field) if rows else None,
        )
    cursor = None
    page = queryset.order_by(name_field, "pk")
    if after:
        name, pk = decode(after, "after")
        later = after_cursor(name_field, name, pk)
        page = page.filter(later)
        cursor = after
    rows = list(page[: limit + 1])
    more_after = len(rows) > limit
    rows = rows[:limit]
    return Page(
        rows=rows,
        total=total,
        after=_cursor(rows[-1], name_field) if more_after else None,
        before=_cursor(rows[0], name_field) if cursor and rows else None,
    )


def after_cursor(name_field: str, name: str, pk) -> Q:
    """Rows after (name, pk) in (name, pk) order.

    The redundant ``name >= ...`` lets the database start the index scan at
    the cursor: the OR alone is a filter, read from the first row on.
    """
    later = Q(**{f"{name_field}__gt": name}) | Q(**{name_field: name, "pk__gt": pk})
    return Q(**{f"{name_field}__gte": name}) & later


def before_cursor(name_field: str, name: str, pk) -> Q:
    """Rows before (name, pk) in (name, pk) order; see :func:`after_cursor`."""
    earlier = Q(**{f"{name_field}__lt": name}) | Q(**{name_field: name, "pk__lt": pk})
    return Q(**{f"{name_field}__lte": name}) & earlier


def _cursor(row, name_field) -> str:
    return encode(getattr(row, name_field), row.pk)
