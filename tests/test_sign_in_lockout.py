"""Guessing passwords locks the guesser out (issue 11, finding 4): on the site's sign-in page and the admin's."""

import functools
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

PAGES = {"site": "/login/", "admin": "/admin/login/"}


def sign_in(page, username, password, address="203.0.113.7", forwarded_for=None):
    """POST the sign-in form of ``page`` from ``address`` with a new session; return the response."""
    client = _client(address)
    client.cookies.clear()
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(PAGES[page], {"username": username, "password": password}, **extra)


@functools.cache
def _client(address):
    """One client per address: building a client costs more than a request."""
    return Client(REMOTE_ADDR=address)


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.fixture
def staff(admin_user):
    return admin_user


@pytest.mark.parametrize("page", PAGES)
def test_fifty_wrong_passwords_then_the_right_one_is_refused_with_a_page_that_says_why(page, staff):
    for _ in range(50):
        assert not signed_in(sign_in(page, "root", "wrong"))

    response = sign_in(page, "root", "pw-root-1")

    assert not signed_in(response)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Too many failed sign-ins" in text
    assert "15 minutes" in text
    assert "<html" in text  # the site's page, not a bare line of text


def test_the_lockout_starts_at_the_configured_limit_and_ends_after_the_cool_off(staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        sign_in("site", "root", "wrong")
    assert signed_in(sign_in("site", "root", "pw-root-1"))  # two failures: not yet

    for _ in range(3):
        sign_in("site", "root", "wrong")
    assert sign_in("site", "root", "pw-root-1").status_code == 429

    # Sixteen minutes later (the failures' times moved back): the 15-minute cool-off is over.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert signed_in(sign_in("site", "root", "pw-root-1"))


def test_a_successful_sign_in_resets_the_count(staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        sign_in("site", "root", "wrong")
    assert signed_in(sign_in("site", "root", "pw-root-1"))
    for _ in range(2):
        sign_in("site", "root", "wrong")

    assert signed_in(sign_in("site", "root", "pw-root-1"))


def test_another_user_and_the_same_user_elsewhere_are_not_locked_out(staff, editor, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in("site", "root", "wrong")
    assert sign_in("site", "root", "pw-root-1").status_code == 429

    assert signed_in(sign_in("site", "edward", "pw-edward-1"))
    assert signed_in(sign_in("admin", "root", "pw-root-1", address="198.51.100.9"))


def test_a_forwarded_for_header_does_not_escape_the_lockout_unless_its_proxy_is_trusted(staff, settings):
    for i in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in("site", "root", "wrong", forwarded_for=f"192.0.2.{i}")

    # The header is the client's own word: the lockout holds for the address that connected.
    assert sign_in("site", "root", "pw-root-1", forwarded_for="192.0.2.200").status_code == 429

    # Behind a trusted proxy the forwarded address is the client's: another client is not locked out.
    settings.TRUSTED_PROXIES = ["203.0.113.7"]
    assert signed_in(sign_in("site", "root", "pw-root-1", forwarded_for="192.0.2.200"))


def test_a_trusted_proxy_forwarding_something_that_is_not_an_address_counts_the_proxy(staff, settings):
    settings.TRUSTED_PROXIES = ["203.0.113.0/24"]
    settings.AXES_FAILURE_LIMIT = 2
    assert sign_in("site", "root", "wrong", forwarded_for="not-an-address").status_code == 200
    assert sign_in("site", "root", "wrong", forwarded_for="not-an-address").status_code == 429  # the limit

    assert sign_in("site", "root", "pw-root-1", forwarded_for="also, garbage").status_code == 429


def test_a_trusted_proxy_that_is_no_address_refuses_to_start():
    from tests.test_project import run_settings

    result = run_settings(DEBUG="True", TRUSTED_PROXIES="10.0.0.0/8,proxy.internal")
    assert result.returncode != 0 and "TRUSTED_PROXIES: 'proxy.internal' is not an address" in result.stderr
    assert run_settings(DEBUG="True", TRUSTED_PROXIES="10.0.0.0/8, 203.0.113.7").returncode == 0
