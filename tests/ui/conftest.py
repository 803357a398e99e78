"""Fixtures of the page tests: a signed-in browser per persona, and htmx requests."""

import pytest

#: The header htmx sends with every request it makes.
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def as_owner(client, owner):
    """Olivia: a viewer by role who owns the churn model."""
    return signed_in(client, owner)


@pytest.fixture
def as_editor(client, editor):
    return signed_in(client, editor)


@pytest.fixture
def as_viewer(client, viewer):
    """Vera: read-only, owns nothing."""
    return signed_in(client, viewer)


@pytest.fixture
def as_admin(client, admin_user):
    return signed_in(client, admin_user)
