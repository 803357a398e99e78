"""Concurrent writes on PostgreSQL: one name created once, one ETag won once, nothing lost.

Real threads send real HTTP requests to the live server, each served on its own thread and
database connection, released together.
"""

from collections import Counter
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection

from catalog.models import DatabaseService, EntityVersion, MlModel
from tests.api.conftest import token_for
from tests.reliability.http import at_once, call

RACERS = 16

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one connection write at a time, and the live server shares the test's in-memory one",
    ),
]


@pytest.fixture
def server(live_server, editor):
    """The live server's /api/v1 and an editor's token, with an ML-model service to create models in."""
    base, token = live_server.url + "/api/v1", token_for(editor)
    service = {"name": "models", "serviceType": "Mlflow"}
    assert call(base, "PUT", "/services/mlmodelServices", token=token, body=service).status == 201
    return base, token


KINDS = {
    "mlmodel": ("/mlmodels", MlModel, lambda i: {"service": "models", "algorithm": "GLM", "description": f"racer {i}"}),
    "database service": (
        "/services/databaseServices",
        DatabaseService,
        lambda i: {"serviceType": "Postgres", "description": f"racer {i}"},
    ),
}


def race(server, method, kind, name):
    base, token = server
    path, _, body = KINDS[kind]
    return at_once(
        [lambda i=i: call(base, method, path, token=token, body={"name": name, **body(i)}) for i in range(RACERS)]
    )


@pytest.mark.parametrize("kind", KINDS)
def test_simultaneous_posts_of_one_new_name_create_it_once(server, kind):
    for round_ in range(3):
        name = f"post-racer-{round_}"
        answers = race(server, "POST", kind, name)

        assert Counter(a.status for a in answers) == {201: 1, 409: RACERS - 1}
        created = next(a.json() for a in answers if a.status == 201)
        stored = KINDS[kind][1].objects.get(name=name)
        # The losers changed nothing: the entity is the winner's, at its first version.
        assert (stored.description, stored.version) == (created["description"], Decimal("0.1"))
        assert not EntityVersion.objects.filter(entity_id=stored.pk).exists()
        assert all(a.json()["code"] == 409 for a in answers if a.status == 409)


@pytest.mark.parametrize("kind", KINDS)
def test_simultaneous_puts_of_one_new_name_create_it_once_and_update_it_after(server, kind):
    for round_ in range(3):
        name = f"put-racer-{round_}"
        answers = race(server, "PUT", kind, name)

        assert Counter(a.status for a in answers) == {201: 1, 200: RACERS - 1}, [a.body[:200] for a in answers]
        stored = KINDS[kind][1].objects.get(name=name)
        # Every update was applied in turn over the one entity: one version per change, none lost.
        versions = EntityVersion.objects.filter(entity_id=stored.pk).count()
        assert stored.version == Decimal("0.1") + versions * Decimal("0.1")
        assert stored.description in {f"racer {i}" for i in range(RACERS)}


def patch_description(server, path, etag, value):
    base, token = server
    operations = [{"op": "add", "path": "/description", "value": value}]
    return call(
        base,
        "PATCH",
        path,
        token=token,
        body=operations,
        content_type="application/json-patch+json",
        headers={"If-Match": etag},
    )


def test_simultaneous_patches_with_one_etag_apply_exactly_one(server):
    base, token = server
    model = call(base, "PUT", "/mlmodels", token=token, body={"name": "churn", "service": "models", "algorithm": "GLM"})
    path = f"/mlmodels/{model.json()['id']}"
    for round_ in range(3):
        etag = call(base, "GET", path, token=token).headers["ETag"]
        answers = at_once([partial(patch_description, server, path, etag, f"edit {round_}.{i}") for i in range(RACERS)])

        assert Counter(a.status for a in answers) == {200: 1, 412: RACERS - 1}
        winner = next(a.json() for a in answers if a.status == 200)
        stored = MlModel.objects.get(name="churn")
        # The winner's edit is what is stored, and every loser was told its ETag was stale.
        assert stored.description == winner["description"]
        assert str(stored.version) == f"0.{round_ + 2}"
        assert all(a.json()["code"] == 412 for a in answers if a.status == 412)
