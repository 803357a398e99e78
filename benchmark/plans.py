"""Checking query plans: does a page read big tables from start to end?

The text search target is "served by indexes, not by scanning features":
this runs the page in-process, asks PostgreSQL to EXPLAIN every query it
made, and names the big tables any plan reads with a sequential scan.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

#: A table with fewer rows than this may be scanned: an index would not help.
BIG_TABLE_ROWS = 10_000
SCANS = {"Seq Scan", "Parallel Seq Scan"}


def big_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s", [BIG_TABLE_ROWS])
        return {row[0] for row in cursor.fetchall()}


def scanned_tables(plan: dict, big: set[str]) -> set[str]:
    found = set()
    if plan.get("Node Type") in SCANS and plan.get("Relation Name") in big:
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= scanned_tables(child, big)
    return found


def sequential_scans(path: str, user) -> tuple[int, list[str]]:
    """Return the page's status and the big tables its queries scan sequentially (PostgreSQL only)."""
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    big = big_tables()
    found = set()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            found |= scanned_tables(cursor.fetchone()[0][0]["Plan"], big)
    return status, sorted(found)
