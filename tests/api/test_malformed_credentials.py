"""Malformed, forged and dead credentials (issue 11's battery): each is a 401 JSON with a Bearer challenge.

Never a 500, a 403 or an HTML page, whatever the Authorization header holds
and whichever route it is sent to. Header values are given as a WSGI server
hands them over: bytes read as Latin-1.
"""

import base64
import functools
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import ApiToken
from tests.api.conftest import API, ApiClient, error, token_for


def _jwt() -> str:
    part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'sub': 'admin', 'isBot': True})}."


def _latin1(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


#: Headers that need no account: (case name, Authorization value).
MALFORMED = [
    ("empty", ""),
    ("only spaces", "   "),
    ("scheme alone", "Bearer"),
    ("scheme and spaces", "Bearer  "),
    ("scheme and a tab", "Bearer\t"),
    ("two words", "Bearer a b"),
    ("three words", "Bearer mat_x mat_y mat_z"),
    ("not a token", "Bearer not-a-token"),
    ("one character", "Bearer x"),
    ("almost a token", "Bearer mat_"),
    ("lower-case scheme", "bearer not-a-token"),
    ("upper-case scheme", "BEARER not-a-token"),
    ("mixed-case scheme", "bEaReR not-a-token"),
    ("tab separated", "Bearer\tnot-a-token"),
    ("leading spaces", "   Bearer not-a-token"),
    ("trailing spaces", "Bearer not-a-token   "),
    ("newline inside", "Bearer not\na-token"),
    ("NUL inside", "Bearer mat_abc\x00def"),
    ("NUL alone", "Bearer \x00"),
    ("control characters", "Bearer \x01\x02\x7f"),
    ("non-ASCII token", _latin1("Bearer mat_café")),
    ("emoji token", _latin1("Bearer 🔑🔑🔑")),
    ("non-ASCII scheme", _latin1("Bëarer not-a-token")),
    ("Latin-1 byte", "Bearer \xff\xfe"),
    ("10k token", "Bearer mat_" + "a" * 10_000),
    ("100k header", "Bearer " + "b" * 100_000),
    ("JWT-shaped", f"Bearer {_jwt()}"),
    ("Basic", "Basic x"),
    ("Basic user:password", "Basic " + base64.b64encode(b"root:pw-root-1").decode()),
    ("Token scheme", "Token not-a-token"),
    ("Digest", 'Digest username="root", realm="api", nonce="x", response="y"'),
    ("scheme glued to the token", "Bearermat_abc"),
    ("quoted token", 'Bearer "mat_abc"'),
    ("SQL in the token", "Bearer ' OR '1'='1"),
    ("percent-encoded", "Bearer mat_%00%27"),
    ("two schemes", "Bearer a, Bearer b"),
]

#: Headers built from a real account's token: (case name, how the token was made unusable).
DEAD = ["revoked", "expired", "deactivated user", "soft-deleted user", "hard-deleted user", "token with a suffix"]

ROUTES = ["/mlmodels", "/users", "/lineage"]


@functools.cache
def client():
    """One client for all cases, the header sent per request: building a client costs more than a request."""
    return Client()


def assert_401_json(response):
    assert response.status_code == 401, response.content[:200]
    body = error(response)
    assert body["message"].startswith("Not authorized")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(("case", "header"), MALFORMED, ids=[case for case, _ in MALFORMED])
def test_a_malformed_authorization_header_is_a_401_json(db, case, header):
    assert_401_json(client().get(f"{API}/mlmodels", HTTP_AUTHORIZATION=header))
    assert_401_json(client().put(f"{API}/mlmodels", "{}", content_type="application/json", HTTP_AUTHORIZATION=header))


@pytest.fixture
def dead_token(request, editor, admin_user):
    """Return a function giving a raw token of ``editor`` made unusable in the named way."""

    def make(case):
        token, raw = ApiToken.issue(editor, "ci")
        if case == "revoked":
            token.revoke()
        elif case == "expired":
            ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        elif case == "deactivated user":
            editor.is_active = False
            editor.save(update_fields=["is_active"])
        elif case == "soft-deleted user":
            assert ApiClient(token_for(admin_user)).delete(f"/users/{editor.pk}").status_code == 200
        elif case == "hard-deleted user":
            response = ApiClient(token_for(admin_user)).delete(f"/users/{editor.pk}?hardDelete=true")
            assert response.status_code == 200
        elif case == "token with a suffix":
            raw += "x"
        return raw

    return make


@pytest.mark.parametrize("case", DEAD)
@pytest.mark.parametrize("route", ROUTES)
def test_a_dead_token_is_a_401_json_on_every_kind_of_route(dead_token, case, route):
    raw = dead_token(case)
    assert_401_json(client().get(f"{API}{route}", HTTP_AUTHORIZATION=f"Bearer {raw}"))


def test_the_same_token_works_when_it_is_not_dead(editor):
    """The check above can fail: a live token of the same account is let in."""
    assert ApiClient(token_for(editor)).get("/mlmodels").status_code == 200
