"""SQL the ORM does not write the way PostgreSQL needs it."""

from django.db.models import F, Lookup
from django.db.models.expressions import RawSQL


class AnyOf(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array (PostgreSQL)."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def any_of(field: str, ids) -> AnyOf:
    """Return the condition that ``field`` (a UUID) is one of ``ids``, the ids sent as one ``uuid[]`` parameter.

    PostgreSQL only. ``field__in=ids`` writes a placeholder per id: for thousands of ids the driver sends and
    the server parses each one, and every new number of ids is a statement never seen before.
    """
    return AnyOf(F(field), RawSQL("%s::uuid[]", ["{" + ",".join(str(i) for i in ids) + "}"]))
