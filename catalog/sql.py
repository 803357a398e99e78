"""SQL the ORM does not write the way PostgreSQL needs it: "this UUID is one of these ids", once.

``field__in=ids`` writes a placeholder per id: for thousands of ids the driver sends and the server
parses each one, and every new number of ids is a statement never seen before. On PostgreSQL the
ids go as one ``uuid[]`` parameter instead (``id = ANY(...)``), which the planner can also apply
while reading an index in order rather than as a join.
"""

import json
import uuid

from django.db import connection
from django.db.models import F, Lookup, Q
from django.db.models.expressions import RawSQL


class AnyOf(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array (PostgreSQL)."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _array(ids) -> str:
    return "{" + ",".join(str(i) for i in ids) + "}"


def _hex(value) -> str:
    """Return an id as SQLite stores UUIDs (32 hexadecimal digits); strings read back from it stay as they are."""
    return value.hex if isinstance(value, uuid.UUID) else value


def one_of(field: str, ids, *, one_parameter: bool = False):
    """Return the ORM condition that ``field`` (a UUID) is one of ``ids``, the ids sent as one parameter.

    Elsewhere than on PostgreSQL the condition is ``field__in=ids``, which
    runs no query at all for no ids; with ``one_parameter`` the ids go as one
    JSON list there too, so the statement is the same whatever the ids and
    an empty list still runs it (a page then costs the same queries
    whatever matches).
    """
    if connection.vendor == "postgresql":
        return AnyOf(F(field), RawSQL("%s::uuid[]", [_array(ids)]))
    if one_parameter:
        return Q(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", [json.dumps([_hex(i) for i in ids])])})
    return Q(**{f"{field}__in": ids})


def one_of_sql(column: str, ids) -> tuple[str, list]:
    """Return the SQL condition that ``column`` is one of ``ids`` (UUIDs or the strings the database returned
    for them) and its parameters, for statements written by hand."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::uuid[])", [_array(ids)]
    values = [_hex(i) for i in ids]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def one_of_subquery(column: str, subquery: str) -> str:
    """Return the SQL condition that ``column`` is one of the ids ``subquery`` selects, probed through the
    index on ``column``.

    On PostgreSQL the ids are gathered into an array first: as a join, a low
    row estimate for the indexed side makes the planner compare every pair.
    """
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({subquery}))"
    return f"{column} IN ({subquery})"
