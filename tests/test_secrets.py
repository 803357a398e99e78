"""Connection secrets are never disclosed, never kept in history and never stored in clear (issue 11, finding 1).

Every service type gets a connection with a canary in each field its declaration names, in the
names every type treats as secrets (nested, in any spelling) and inside URIs and connection
strings. Then every answer a read-only user and an administrator can get is searched for it.
"""

import json
import uuid

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection as db
from django.test import Client

from api import schema
from catalog import secrets
from catalog.models import DashboardService, DatabaseService, EntityVersion, MlModelService
from catalog.services import assets, changes
from tests.api.conftest import ApiClient, token_for

CANARY = "CANARY" + uuid.uuid4().hex[:10]
MASK = "********"

COLLECTIONS = {
    MlModelService: "/services/mlmodelServices",
    DatabaseService: "/services/databaseServices",
    DashboardService: "/services/dashboardServices",
}
TYPES = [
    *((MlModelService, t) for t in MlModelService.ServiceType.values),
    *((DatabaseService, t) for t in schema.DATABASE_SERVICE_TYPES),
    *((DashboardService, t) for t in schema.DASHBOARD_SERVICE_TYPES),
]
#: Secret names every type hides, as OpenMetadata's schemas and hostile testers spell them.
GENERIC = [
    "awsSecretAccessKey", "awsSessionToken", "clientSecret", "sslKey", "ssl_key", "privateKey", "privateKeyId",
    "sasToken", "SASToken", "keytab", "token", "password", "PASSWORD", "apiKey", "api-key", "accessToken",
    "refreshToken", "connectionString", "jwt", "secretKey", "personalAccessTokenSecret", "securityToken",
    "consumerSecret", "snowflakePrivatekeyPassphrase", "accountKey", "basicAuthUserInfo", "pwd",
]  # fmt: skip
#: Strings that carry credentials, by the fields OpenMetadata keeps them in.
URIS = {
    "hostPort": "postgresql://reader:{c}@db.internal:5432/analytics?sslmode=require",
    "sqlalchemyUri": "mysql+pymysql://mlflow:p@ss{c}@localhost:3307/experiments?ssl=1&password={c}q",
    "trackingUri": "https://user:{c}@mlflow.internal",
    "registryUri": "mysql+pymysql://mlflow:{c}@localhost:3307/experiments",
    "brokers": "svc:{c}@kafka.internal:9092",
    "odbc": "Driver={{ODBC 18}};Server=db;UID=reader;PWD={c};Encrypt=yes",
    "containerUrl": "https://acct.blob.core.windows.net/c?sv=2022-11-02&sig={c}&se=2030",
    "azureStorage": "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={c};EndpointSuffix=core.windows.net",
}


def _put(tree: dict, dotted: str, value):
    *parents, last = dotted.split(".")
    for step in parents:
        tree = tree.setdefault(step, {})
    tree[last] = value


def canary_connection(service_type: str, canary: str = CANARY) -> dict:
    config = {"type": service_type, "username": "reader", "database": "analytics"}
    for name, template in URIS.items():
        config[name] = template.format(c=canary)
    for name in GENERIC:
        config[name] = f"{canary}-{name}"
    config["nested"] = {"deeper": [{"client_secret": f"{canary}-list", "note": "plain"}]}
    config["apiKeys"] = [f"{canary}-first", {"value": f"{canary}-second"}]
    for path in secrets.DECLARED[service_type]:
        _put(config, path, f"{canary}-{path}")
    return {"config": config}


def declared_paths(service_type: str) -> list[str]:
    return [f"config.{p}" for p in secrets.DECLARED[service_type]] + [f"config.{n}" for n in GENERIC]


def value_at(tree, dotted: str):
    for step in dotted.split("."):
        tree = tree[step]
    return tree


def assert_no_canary(response, where: str):
    assert response.status_code < 400, (where, response.status_code, response.content[:300])
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert CANARY.encode() not in body, where


def raw_rows() -> bytes:
    """Every stored byte of the service and history tables, read past the ORM."""
    out = []
    with db.cursor() as cursor:
        for model in (*COLLECTIONS, EntityVersion):
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(model._meta.db_table)}")  # noqa: S608 (our own names)
            out.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(out).encode()


def create_all(actor="test") -> list:
    return [
        assets.save_service(model, f"svc-{t.lower()}", actor, service_type=t, connection=canary_connection(t)).entity
        for model, t in TYPES
    ]


def test_every_type_is_declared_and_every_declared_field_is_hidden():
    assert {t for _, t in TYPES} == set(secrets.DECLARED)
    for _, service_type in TYPES:
        public = secrets.mask(service_type, canary_connection(service_type))
        assert CANARY not in json.dumps(public), service_type
        for path in declared_paths(service_type):
            assert value_at(public, path) == MASK, (service_type, path)
        # What is not secret stays readable, the address of a URI included.
        assert public["config"]["username"] == "reader"
        assert public["config"]["hostPort"] == f"postgresql://reader:{MASK}@db.internal:5432/analytics?sslmode=require"
        assert public["config"]["odbc"] == f"Driver={{ODBC 18}};Server=db;UID=reader;PWD={MASK};Encrypt=yes"
        assert public["config"]["nested"]["deeper"][0]["note"] == "plain"


def test_names_that_only_look_like_secrets_stay_readable():
    public = secrets.mask("Mysql", {"config": {"tokenUri": "https://oauth2.example/token", "hostPort": "db:3306"}})
    assert public == {"config": {"tokenUri": "https://oauth2.example/token", "hostPort": "db:3306"}}


@pytest.mark.django_db
def test_no_api_answer_to_a_viewer_or_an_administrator_shows_a_secret(editor, viewer, admin_user):
    as_editor, readers = ApiClient(token_for(editor)), [ApiClient(token_for(viewer)), ApiClient(token_for(admin_user))]
    for model, service_type in TYPES:
        collection, name = COLLECTIONS[model], f"svc-{service_type.lower()}"
        body = {"name": name, "serviceType": service_type, "connection": canary_connection(service_type)}
        created = as_editor.put(collection, body)
        assert created.status_code == 201
        assert_no_canary(created, f"PUT {service_type}")
        pk = created.json()["id"]
        assert_no_canary(as_editor.post(collection, {**body, "name": f"{name}-posted"}), f"POST {service_type}")
        changed = as_editor.patch(f"{collection}/{pk}", [{"op": "add", "path": "/description", "value": "d"}])
        assert_no_canary(changed, f"PATCH {service_type}")
        new_secret = canary_connection(service_type, CANARY + "v2")
        assert_no_canary(as_editor.put(collection, {**body, "connection": new_secret}), f"PUT v2 {service_type}")
        assert_no_canary(as_editor.delete(f"{collection}/{pk}"), f"DELETE {service_type}")
        assert_no_canary(as_editor.put(f"{collection}/restore", {"id": pk}), f"restore {service_type}")
        for reader in readers:
            for path in (
                f"{collection}/{pk}",
                f"{collection}/{pk}?include=all&fields=owners,tags,followers",
                f"{collection}/name/{name}",
                f"{collection}/name/{name}?include=all",
                f"{collection}/{pk}/versions",
                *(f"{collection}/{pk}/versions/{v}" for v in ("0.1", "0.2", "0.3", "0.4", "0.5")),
            ):
                assert_no_canary(reader.get(path), path)
    for collection in COLLECTIONS.values():
        for reader in readers:
            assert_no_canary(reader.get(f"{collection}?limit=1000000&include=all"), collection)
            assert_no_canary(reader.get(f"{collection}?limit=1000&include=deleted"), collection)


@pytest.mark.django_db
def test_no_page_fragment_or_admin_view_shows_a_secret(viewer, admin_user):
    services = create_all()
    for service in services:
        changes.soft_delete(service, "test")
        changes.restore(service, "test")
    pages, console = Client(), Client()
    pages.force_login(viewer)
    console.force_login(admin_user)
    assert_no_canary(pages.get("/services/"), "service list")
    for service in services:
        page = f"/services/{service.pk}/"
        for client in (pages, console):
            assert_no_canary(client.get(page), page)
            assert_no_canary(client.get(page + "?page=1", HTTP_HX_REQUEST="true"), page + " (htmx)")
        admin = f"/admin/catalog/{type(service)._meta.model_name}/{service.pk}/"
        for path in (f"{admin}change/", f"{admin}history/"):
            assert_no_canary(console.get(path), path)
    for model in COLLECTIONS:
        admin = f"/admin/catalog/{model._meta.model_name}/"
        for path in (admin, f"{admin}?q=svc&deleted__exact=0"):
            assert_no_canary(console.get(path), path)
    versions = "/admin/catalog/entityversion/"
    assert_no_canary(console.get(f"{versions}?q=test"), "versions")
    for version in EntityVersion.objects.filter(entity_type__endswith="Service", version="0.2"):
        assert_no_canary(console.get(f"{versions}{version.pk}/change/"), "version")


@pytest.mark.django_db
def test_stored_rows_and_history_hold_no_secret_but_ingestion_reads_them_all():
    services = create_all()
    for service in services:
        assets.save_service(
            type(service), service.name, "test", connection=canary_connection(service.service_type, CANARY + "v2")
        )
    assert EntityVersion.objects.filter(entity_type__endswith="Service").count() == len(services)
    assert CANARY.encode() not in raw_rows()
    for service in services:
        service.refresh_from_db()
        plain = secrets.plain_connection(service)
        assert plain == canary_connection(service.service_type, CANARY + "v2"), service.service_type


@pytest.mark.django_db
def test_a_secret_change_is_a_version_that_says_changed_and_not_what(as_viewer_api, editor):
    as_editor = ApiClient(token_for(editor))
    body = {"name": "warehouse", "serviceType": "Postgres", "connection": {"config": {"authType": {"password": "a"}}}}
    first = as_editor.put("/services/databaseServices", body).json()
    body["connection"]["config"]["authType"]["password"] = CANARY
    second = as_editor.put("/services/databaseServices", body).json()
    assert second["version"] == 0.2
    assert second["changeDescription"]["fieldsUpdated"] == [
        {"name": "connection.config.authType.password", "oldValue": MASK, "newValue": MASK}
    ]
    again = as_editor.put("/services/databaseServices", body).json()
    assert again["version"] == 0.2  # the same secret again is no change
    old = as_viewer_api.get(f"/services/databaseServices/{first['id']}/versions/0.1").json()
    assert old["connection"] == {"config": {"authType": {"password": MASK}}} and "connectionSecrets" not in old
    listed = as_viewer_api.get(f"/services/databaseServices/{first['id']}/versions").json()["versions"]
    assert len(listed) == 2 and not any("connectionSecrets" in v for v in listed)


@pytest.fixture
def as_viewer_api(viewer):
    return ApiClient(token_for(viewer))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent_back", "kept"),
    [
        ("whole", None),
        ("field", None),
        ("uri with a new host", "postgresql://reader:s3cret@new-host:5432/db"),
    ],
)
def test_the_mask_sent_back_keeps_the_stored_secret(editor, sent_back, kept):
    as_editor = ApiClient(token_for(editor))
    stored = {"config": {"hostPort": "postgresql://reader:s3cret@db:5432/db", "authType": {"password": "pw"}}}
    created = as_editor.put(
        "/services/databaseServices", {"name": "w", "serviceType": "Postgres", "connection": stored}
    )
    shown = created.json()["connection"]
    if sent_back == "whole":
        response = as_editor.put(
            "/services/databaseServices", {"name": "w", "serviceType": "Postgres", "connection": shown}
        )
        expected = stored
    elif sent_back == "field":
        response = as_editor.patch(
            f"/services/databaseServices/{created.json()['id']}",
            [{"op": "replace", "path": "/connection/config/authType/password", "value": MASK}],
        )
        expected = stored
    else:
        moved = {"config": {**shown["config"], "hostPort": f"postgresql://reader:{MASK}@new-host:5432/db"}}
        response = as_editor.put(
            "/services/databaseServices", {"name": "w", "serviceType": "Postgres", "connection": moved}
        )
        expected = {"config": {"hostPort": kept, "authType": {"password": "pw"}}}
    assert response.status_code == 200, response.content
    assert secrets.plain_connection(DatabaseService.objects.get()) == expected


@pytest.mark.django_db
def test_a_changed_secret_replaces_the_stored_one(editor):
    as_editor = ApiClient(token_for(editor))
    body = {"name": "w", "serviceType": "Mysql", "connection": {"config": {"authType": {"password": "old"}}}}
    as_editor.put("/services/databaseServices", body)
    created = as_editor.patch(
        f"/services/databaseServices/{DatabaseService.objects.get().pk}",
        [{"op": "replace", "path": "/connection/config/authType/password", "value": "new"}],
    )
    assert created.json()["connection"]["config"]["authType"]["password"] == MASK
    assert secrets.plain_connection(DatabaseService.objects.get()) == {"config": {"authType": {"password": "new"}}}


@pytest.mark.django_db
def test_rotating_the_keys_re_encrypts_every_secret_with_the_first_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SECRETS_KEYS = [old]
    services = create_all()
    settings.SECRETS_KEYS = [new, old]
    call_command("rotate_secret_keys", stdout=open("/dev/null", "w"))
    settings.SECRETS_KEYS = [new]  # the old key is gone: every secret still opens
    for service in services:
        service.refresh_from_db()
        assert secrets.plain_connection(service) == canary_connection(service.service_type)
        assert Fernet(new).decrypt(service.connection_secrets.encode())


@pytest.mark.django_db
def test_without_the_key_that_sealed_them_rotation_refuses_and_changes_nothing(settings):
    from django.core.management.base import CommandError

    settings.SECRETS_KEYS = [Fernet.generate_key().decode()]
    service = create_all()[0]
    settings.SECRETS_KEYS = [Fernet.generate_key().decode()]
    settings.SECRET_KEY = "another"
    before = type(service).objects.get(pk=service.pk).connection_secrets
    with pytest.raises(CommandError):
        call_command("rotate_secret_keys", stdout=open("/dev/null", "w"))
    assert type(service).objects.get(pk=service.pk).connection_secrets == before


@pytest.mark.django_db
def test_the_migration_encrypts_plain_secrets_and_scrubs_the_history():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("catalog.migrations.0009_encrypt_connection_secrets")
    service = assets.save_service(DatabaseService, "old", "test", service_type="Snowflake").entity
    plain = canary_connection("Snowflake")
    # As the rows were before: secrets in clear in the row and in the history.
    DatabaseService.objects.filter(pk=service.pk).update(connection=plain, connection_secrets="")
    EntityVersion.objects.create(
        entity_type="databaseService",
        entity_id=service.pk,
        version="0.1",
        snapshot={"serviceType": "Snowflake", "connection": plain},
        change_description={"fieldsAdded": [{"name": "connection", "newValue": json.dumps(plain)}]},
        updated_at=service.updated_at,
        updated_by="test",
    )
    assert CANARY.encode() in raw_rows()
    migration.encrypt(apps, None)
    assert CANARY.encode() not in raw_rows()
    assert secrets.plain_connection(DatabaseService.objects.get(pk=service.pk)) == plain


def test_check_deploy_warns_when_no_secrets_key_is_set(settings):
    from catalog import checks

    settings.SECRETS_KEYS = []
    assert [w.id for w in checks.secrets_keys_are_set(None)] == ["catalog.W001"]
    settings.SECRETS_KEYS = [Fernet.generate_key().decode()]
    assert checks.secrets_keys_are_set(None) == []


def test_a_malformed_secrets_key_refuses_to_start():
    from tests.test_project import run_settings

    result = run_settings(DEBUG="False", SECRET_KEY="s3cret", SECRETS_KEYS=f"{Fernet.generate_key().decode()},nope")
    assert result.returncode != 0 and "SECRETS_KEYS entry 2 is not a Fernet key" in result.stderr
    assert run_settings(DEBUG="False", SECRET_KEY="s3cret", SECRETS_KEYS=Fernet.generate_key().decode()).returncode == 0
