"""Connection secrets: which values are secret, how they are hidden, kept and encrypted.

Which values are secret. Three rules, applied together to every service:

1. ``DECLARED``: per service type, the connection fields OpenMetadata's
   connection schemas mark as secrets (``"format": "password"`` and the
   credential objects they embed: ``awsCredentials``, ``azureCredentials``,
   ``gcpValues``, SSL and Kerberos settings). The last name of each declared
   path is secret anywhere in that type's connection, so a field moved
   under another ``authType`` stays hidden.
2. ``SECRET_NAMES`` and ``SECRET_FRAGMENTS``: a fallback applied to every
   type, at any depth, names compared without case, ``_`` or ``-``. The
   schemas grow faster than any list copied from them (and custom
   connectors have none); a key *named* like a secret is treated as one.
   Names ending like an address or a kind (``tokenUri``, ``passwordType``)
   are not secrets by fragment alone.
3. Credentials inside strings: ``scheme://user:password@host`` (and
   ``user:password@host``) and ``password=…``-style parameters of URIs and
   connection strings, whatever field holds them (``hostPort``,
   ``sqlalchemyUri``, ``trackingUri``, ``registryUri``…). Only the secret
   part is hidden: the rest of the address stays readable.

Over-hiding costs a reader a value; under-hiding leaks one. The rules err
on the first side.

How they are kept. A service row holds two things: ``connection``, the
connection with every secret replaced by ``MASK`` (what every door shows,
so nothing that reads the row can show more), and ``connection_secrets``,
one Fernet token holding the secret values by path, each with a random
*revision* that changes when its value does. Version snapshots carry the
revisions, never the values, so a secret change is a version that says
"changed" and nothing else. A client that sends back the mask it was shown
(the whole connection, one field, or a URI whose password is the mask)
keeps the stored secret.

Keys: ``settings.SECRETS_KEYS`` (Fernet keys; the first encrypts, all
decrypt), then a key derived from ``SECRET_KEY``, which encrypts only when
no key is set (development, tests) and always decrypts, so setting
``SECRETS_KEYS`` later and running ``manage.py rotate_secret_keys`` moves
every secret to the new key.
"""

import base64
import copy
import functools
import hashlib
import json
import re
import uuid

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

MASK = "********"
#: The key a service's version snapshot holds the secrets' revisions under (never their values).
SNAPSHOT_KEY = "connectionSecrets"

_AWS = ("awsConfig.awsSecretAccessKey", "awsConfig.awsSessionToken")
_GCP = ("credentials.gcpConfig.privateKey", "credentials.gcpConfig.privateKeyId")
_AZURE = ("azureConfig.clientSecret",)
_SSL = ("sslConfig.sslKey",)
_BASIC = ("password",)
_AUTH = ("authType.password",)

#: Secret fields per service type, as dotted paths under ``config`` (OpenMetadata's connection schemas).
DECLARED: dict[str, tuple[str, ...]] = {
    # ML model services
    "Mlflow": (),  # its secrets live inside trackingUri / registryUri (rule 3)
    "Sklearn": (),
    "CustomMlModel": (),
    "SageMaker": _AWS,
    "VertexAI": _GCP,
    # Database services
    "BigQuery": _GCP,
    "BigTable": _GCP,
    "Mysql": (*_AUTH, *_SSL, "authType.azureConfig.clientSecret", "authType.awsConfig.awsSecretAccessKey"),
    "Redshift": (*_BASIC, *_SSL),
    "Snowflake": (*_BASIC, "privateKey", "snowflakePrivatekeyPassphrase"),
    "Postgres": (*_AUTH, *_SSL, "authType.azureConfig.clientSecret", "authType.awsConfig.awsSecretAccessKey"),
    "Timescale": (*_AUTH, *_SSL),
    "Mssql": _BASIC,
    "MicrosoftAccess": _BASIC,
    "Oracle": _BASIC,
    "Athena": _AWS,
    "Hive": (*_AUTH, "keytab", "metastoreConnection.password"),
    "Impala": (*_BASIC, "keytab"),
    "Presto": _BASIC,
    "Trino": (*_AUTH, "authType.jwt", "authType.azureConfig.clientSecret"),
    "Vertica": _BASIC,
    "Glue": _AWS,
    "MariaDB": _BASIC,
    "Druid": _BASIC,
    "Db2": (*_BASIC, "license"),
    "Clickhouse": (*_BASIC, "keyfile"),
    "Databricks": ("token",),
    "AzureSQL": (*_BASIC, "clientSecret"),
    "DynamoDB": _AWS,
    "SingleStore": _BASIC,
    "SQLite": _BASIC,
    "DeltaLake": ("metastoreConnection.password", "configSource.connection.securityConfig.awsSecretAccessKey"),
    "Salesforce": (*_BASIC, "securityToken", "consumerSecret"),
    "PinotDB": _BASIC,
    "Datalake": (
        "configSource.securityConfig.awsSecretAccessKey",
        "configSource.securityConfig.awsSessionToken",
        "configSource.securityConfig.clientSecret",
        "configSource.securityConfig.gcpConfig.privateKey",
        "configSource.securityConfig.gcpConfig.privateKeyId",
        "configSource.securityConfig.accountKey",
    ),
    "DomoDatabase": ("secretToken", "accessToken"),
    "QueryLog": (),
    "CustomDatabase": (),
    "Dbt": (
        "dbtConfigSource.dbtCloudAuthToken",
        "dbtConfigSource.dbtSecurityConfig.awsSecretAccessKey",
        "dbtConfigSource.dbtSecurityConfig.clientSecret",
        "dbtConfigSource.dbtSecurityConfig.gcpConfig.privateKey",
        "dbtConfigSource.token",
    ),
    "SapHana": ("connection.password",),
    "SapSuccessFactors": (*_BASIC, "clientSecret"),
    "MongoDB": (*_AUTH, "connectionString"),
    "Cassandra": (*_AUTH, "authType.cloudConfig.token"),
    "Couchbase": _BASIC,
    "Greenplum": (*_AUTH, *_SSL),
    "Doris": (*_BASIC, *_SSL),
    "StarRocks": (*_BASIC, *_SSL),
    "UnityCatalog": ("token", "authType.token", "authType.clientSecret"),
    "SAS": _BASIC,
    "Teradata": _BASIC,
    "SapErp": ("apiKey",),
    "Synapse": (*_BASIC, "clientSecret"),
    "Exasol": _BASIC,
    "Cockroach": (*_AUTH, *_SSL),
    "SSAS": _BASIC,
    "Epic": ("clientSecret", "token"),
    "ServiceNow": _BASIC,
    "Dremio": (*_AUTH, "authType.personalAccessToken"),
    "MicrosoftFabric": ("clientSecret",),
    "BurstIQ": _BASIC,
    "Informix": _BASIC,
    "Iomete": _BASIC,
    "QuestDB": (*_BASIC, *_SSL),
    "SapBw4Hana": _BASIC,
    # Dashboard services
    "Superset": ("connection.password", "connection.authType.password"),
    "Looker": ("clientSecret", "gitCredentials.token"),
    "Tableau": ("authType.password", "authType.personalAccessTokenSecret"),
    "Redash": ("apiKey",),
    "Metabase": _BASIC,
    "PowerBI": ("clientSecret", "pbitFilesSource.securityConfig.awsSecretAccessKey"),
    "PowerBIReportServer": _BASIC,
    "Mode": ("accessToken", "accessTokenPassword"),
    "CustomDashboard": (),
    "DomoDashboard": ("secretToken", "accessToken"),
    "QuickSight": _AWS,
    "QlikSense": ("certificates.clientKeyCertificateData", "certificates.clientKeyPassword"),
    "Lightdash": ("apiKey",),
    "MicroStrategy": _BASIC,
    "QlikCloud": ("token",),
    "Sigma": ("clientSecret",),
    "ThoughtSpot": ("authentication.password", "authentication.apiAccessToken"),
    "Grafana": ("apiKey",),
    "Hex": ("token",),
    "Ssrs": _BASIC,
    "SapS4Hana": _BASIC,
    "Omni": ("apiKey",),
}

#: Secret key names for every type (normalised: lower case, no ``_`` or ``-``).
SECRET_NAMES = frozenset(
    {
        "pwd",
        "passwd",
        "accesskey",
        "secretkey",
        "sslkey",
        "keytab",
        "jwt",
        "connectionstring",
        "privatekeyid",
        "accountkey",
        "basicauthuserinfo",
        "license",
        "keyfile",
        "sig",  # an Azure shared access signature in a URL
        "sharedaccesskey",
    }
)
#: Fragments that make a key name secret wherever they occur in it.
SECRET_FRAGMENTS = ("password", "passphrase", "secret", "token", "apikey", "privatekey", "signature")
#: Endings that name an address or a kind, not a value: not secret by fragment alone.
NOT_SECRET_ENDINGS = ("uri", "url", "endpoint", "type", "path", "expiry", "expiration")

# ``scheme://user:password@`` (or ``user:password@`` opening the string); the password runs to the last ``@``
# of the authority, as urllib.parse reads it.
_CREDENTIALS = (
    r"(?P<authority>(?:[A-Za-z][A-Za-z0-9+.\-]*://|^)[^:/?#@\s]*:)(?P<password>[^/?#\s]*)(?=@[^/?#@\s]*(?:[/?#\s]|$))"
)
# ``name=value`` after ``?``, ``&`` or ``;`` (or opening the string): URI queries and ODBC/Azure connection strings.
_PARAMETER = r"(?P<head>(?:^|[?&;])\s*(?P<name>[A-Za-z][A-Za-z0-9_.\-]*)\s*=)(?P<value>[^&;#\s]*)"
_IN_TEXT = re.compile(f"{_CREDENTIALS}|{_PARAMETER}")


def normalise(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


@functools.cache
def _declared_names(service_type: str) -> frozenset:
    return frozenset(normalise(path.rsplit(".", 1)[-1]) for path in DECLARED.get(service_type, ()))


def is_secret_key(service_type: str, key: str) -> bool:
    name = normalise(str(key))
    if name in SECRET_NAMES or name in _declared_names(service_type):
        return True
    return any(f in name for f in SECRET_FRAGMENTS) and not name.endswith(NOT_SECRET_ENDINGS)


# -- Secrets inside strings ------------------------------------------------------------------------------------------


def _rewrite_text(text: str, replace) -> str:
    """Return ``text`` with each secret part replaced by ``replace(part_key, value)``.

    A part's key names it stably across edits of the rest of the string: the
    n-th URI password, or the n-th parameter of that name.
    """
    seen = {}

    def one(match):
        if match.group("authority") is not None:
            key, head, value = "password", match.group("authority"), match.group("password")
        elif is_secret_key("", match.group("name")):
            key, head, value = f"param:{normalise(match.group('name'))}", match.group("head"), match.group("value")
        else:
            return match.group(0)
        seen[key] = seen.get(key, 0) + 1
        return head + (replace(f"{key}#{seen[key]}", value) if value else value)

    return _IN_TEXT.sub(one, text)


def text_parts(text: str) -> dict:
    """Return the secret parts of a string by part key (empty when it holds none)."""
    parts = {}
    _rewrite_text(text, lambda key, value: parts.setdefault(key, value))
    return {k: v for k, v in parts.items() if v != MASK}


def mask_text(text: str) -> str:
    return _rewrite_text(text, lambda key, value: MASK)


# -- Walking a connection --------------------------------------------------------------------------------------------


def _is_secret_value(value) -> bool:
    return value not in (None, "") and not isinstance(value, (bool, dict, list))


def _path_key(path) -> str:
    return json.dumps(list(path))


def _new_revision() -> str:
    return uuid.uuid4().hex[:12]


class _Sealer:
    """One walk over a connection: the public form out, the secrets (with revisions) collected."""

    def __init__(self, service_type: str, previous: dict):
        self.service_type, self.previous, self.found = service_type, previous, {}

    def walk(self, value, path=(), secret=False):
        """``secret``: the value sits under a secret key, so every value inside it is secret too."""
        if isinstance(value, dict):
            return {key: self.walk(item, (*path, key), secret or self.is_secret(key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.walk(item, (*path, index), secret) for index, item in enumerate(value)]
        if secret and _is_secret_value(value):
            return self.keep(path, value)
        if isinstance(value, str):
            return self.text(value, path)
        return value

    def is_secret(self, key) -> bool:
        return is_secret_key(self.service_type, key)

    def keep(self, path, value):
        """A whole value is secret; the mask sent back stands for the stored value."""
        before = self.previous.get(_path_key(path))
        if value == MASK:
            if before is not None:
                self.found[_path_key(path)] = before
            return MASK
        same = before is not None and before["value"] == value
        self.found[_path_key(path)] = {"value": value, "revision": before["revision"] if same else _new_revision()}
        return MASK

    def text(self, value: str, path):
        """A string may hold secret parts; masked parts sent back stand for the stored parts."""
        before = self.previous.get(_path_key(path))
        if before is not None and isinstance(before["value"], str):
            stored = text_parts(before["value"])
            value = _rewrite_text(value, lambda key, part: stored.get(key, part) if part == MASK else part)
        parts = text_parts(value)
        if not parts:
            return value
        same = before is not None and isinstance(before["value"], str) and text_parts(before["value"]) == parts
        self.found[_path_key(path)] = {"value": value, "revision": before["revision"] if same else _new_revision()}
        return mask_text(value)


def mask(service_type: str, connection):
    """Return ``connection`` with every secret masked (nothing is kept)."""
    return _Sealer(service_type, {}).walk(connection)


def seal(service_type: str, connection, sealed: str = "") -> tuple:
    """Return ``(public connection, sealed secrets)`` for a connection as a caller wants it.

    ``sealed`` holds the secrets stored so far: a mask where one of them was
    keeps it, and an unchanged value keeps its revision.
    """
    if connection is None:
        return None, ""
    sealer = _Sealer(service_type, open_secrets(sealed))
    public = sealer.walk(connection)
    return public, encrypt(sealer.found) if sealer.found else ""


def open_secrets(sealed: str) -> dict:
    """Return the stored secrets by path key (``{}`` when there are none)."""
    if not sealed:
        return {}
    return json.loads(fernet().decrypt(sealed.encode()))


def revisions(sealed: str) -> dict:
    """Return each stored secret's revision by dotted path: what a version may record of them."""
    return {".".join(str(p) for p in json.loads(key)): entry["revision"] for key, entry in open_secrets(sealed).items()}


def plain_connection(service):
    """Return a service's connection with its secrets in clear, for ingestion only: never for output."""
    out = copy.deepcopy(service.connection)
    for key, entry in open_secrets(service.connection_secrets).items():
        *parents, last = json.loads(key)
        holder = out
        try:
            for step in parents:
                holder = holder[step]
            holder[last] = entry["value"]
        except (KeyError, IndexError, TypeError):
            continue  # the public form no longer has this place: nothing to put back
    return out


# -- Encryption ------------------------------------------------------------------------------------------------------


def derived_key() -> bytes:
    """Return the Fernet key derived from SECRET_KEY (used when SECRETS_KEYS is not set)."""
    digest = hashlib.sha256(b"modelatlas connection secrets\x00" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def fernet() -> MultiFernet:
    """Return the keys in use: SECRETS_KEYS in order (the first encrypts), then the derived key."""
    keys = [Fernet(key) for key in settings.SECRETS_KEYS]
    return MultiFernet([*keys, Fernet(derived_key())])


def encrypt(secrets: dict) -> str:
    return fernet().encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()


def rotate(sealed: str) -> str:
    """Return ``sealed`` encrypted again with the first key (it must open with one of the keys)."""
    return fernet().rotate(sealed.encode()).decode()
