"""Fixtures of the reliability tests: a database that goes away in the middle of a request."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections


class Outage:
    """The database server going away, and coming back.

    The driver's own exception is raised where the driver raises it once the server is gone (opening
    a cursor), so Django wraps it into ``django.db.OperationalError`` / ``InterfaceError`` exactly
    as when PostgreSQL restarts under a request.
    """

    def __init__(self):
        self.undo = []

    def begin(self, error="OperationalError"):
        """From now on every query fails."""
        driver_error = getattr(connection.Database, error)

        def refuse(*args, **kwargs):
            raise driver_error("server closed the connection unexpectedly")

        self._replace(connection, "create_cursor", refuse)

    def during(self, owner, name, error="OperationalError"):
        """The database goes away when ``owner.name`` is called (so in the middle of a request)."""
        original = getattr(owner, name)

        def then_down(*args, **kwargs):
            self.begin(error)
            return original(*args, **kwargs)

        self._replace(owner, name, then_down)

    def end(self):
        """The database is back."""
        while self.undo:
            self.undo.pop()()

    def _replace(self, owner, name, value):
        # `connection` is a per-thread proxy: patch the real connection object behind it.
        target = connections[DEFAULT_DB_ALIAS] if owner is connection else owner
        had = name in vars(target)
        previous = vars(target).get(name)
        setattr(target, name, value)
        self.undo.append(lambda: setattr(target, name, previous) if had else delattr(target, name))


@pytest.fixture
def outage(db):
    """Set up after the test database, so the database is back before the test's transaction ends."""
    happening = Outage()
    yield happening
    happening.end()
