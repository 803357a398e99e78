"""ModelAtlas settings, read from the environment with safe defaults.

Precedence: environment variables, then the defaults below. SQLite is the
embedded default so a new user needs no server; DATABASE_URL selects
PostgreSQL (or anything dj-database-url understands) for production and CI.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Return a boolean setting; only True, False or empty are accepted."""
    value = os.environ.get(name, default)
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def envint(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer") from exc


DEBUG = envbool("DEBUG", "False")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=True for local development).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

# Fernet keys that encrypt connection secrets at rest, comma-separated: the first encrypts, all
# decrypt (rotation: put a new key first, run ``manage.py rotate_secret_keys``, then drop the old).
# Unset, a key derived from SECRET_KEY is used; ``check --deploy`` warns (catalog.W001).
SECRETS_KEYS = [k.strip() for k in os.environ.get("SECRETS_KEYS", "").split(",") if k.strip()]
for _position, _key in enumerate(SECRETS_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(f"SECRETS_KEYS entry {_position} is not a Fernet key.") from None

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "axes",
    # The domain, then lineage over it, then the doors over both (docs/architecture.md).
    "catalog",
    "lineage",
    "pages",
    "api",
    "console",
    "demo",
    "benchmark",
]

MIDDLEWARE = [
    # Outermost: whatever refuses an /api/v1 request further in (CSRF, a bad host, an oversized form), answers JSON.
    "api.middleware.JsonErrors",
    "django.middleware.security.SecurityMiddleware",
    "config.csp.PolicyMiddleware",  # django-csp, its usual header built once (config/csp.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pages.middleware.VaryOnHtmxMiddleware",
    # After authentication, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost, so it sees what views raise: an unreachable database answers 503 (config/unavailable.py).
    "config.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"

# manage.py benchmark runs the server with BENCHMARK_QUERY_COUNT=1: every
# response then says how many SQL queries it took (X-Query-Count), and a no-op
# view at /_benchmark/floor measures what the stack itself costs. Off by default.
BENCHMARK_QUERY_COUNT = envbool("BENCHMARK_QUERY_COUNT", "False")
if BENCHMARK_QUERY_COUNT:
    MIDDLEWARE.insert(0, "benchmark.middleware.QueryCountMiddleware")
    ROOT_URLCONF = "benchmark.urls"
# The OpenMetadata SDK disables redirects: /api/v1 routes have no trailing
# slash and must never be answered with a 301.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'modelatlas.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 60),
        # A connection kept between requests is checked before it is reused, so after a database
        # restart each worker reconnects instead of failing the requests until the connection ages out.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The catalogue's tables sit in memory or on SSDs: an index read costs
    # little more than a sequential one. With PostgreSQL's spinning-disk
    # default (4) the planner scans 200,000 features instead of using the
    # trigram indexes as soon as a search word matches a few thousand rows.
    # JIT compilation adds 100-300 ms to the queries it picks and saves
    # nothing on the catalogue's short ones.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={os.environ.get('PG_RANDOM_PAGE_COST', '1.1')} -c jit=off"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "catalog.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes' backend first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The largest request body read, in bytes: the API answers 413 above it (api/parsing.py), forms 400.
# Django's default is 2.5 MB; an OpenMetadata client's PUT of a table or model at the bounds of
# catalog/services/validation.py (1,000 columns or features) with long descriptions needs more.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
# HTTPS switches (README "Configuration"). Off by default, so development,
# the tests and the benchmark's local gunicorn keep working over plain HTTP;
# the documented production line turns them on. HSTS is never implied: once
# a browser has seen it, the site cannot go back to HTTP for that long.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "False")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
# A site that redirects every request to HTTPS never needs a cookie over HTTP.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(SECURE_SSL_REDIRECT))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(SECURE_SSL_REDIRECT))
# Behind a proxy that terminates TLS, the request header (named as in
# request.META, e.g. HTTP_X_FORWARDED_PROTO) by which it says the client used
# HTTPS. Only for a proxy that sets it on every request, whatever the client
# sent; without it, SECURE_SSL_REDIRECT behind such a proxy redirects forever.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", ""):
    if not proxy_header.startswith("HTTP_"):
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER names a request.META key, e.g. HTTP_X_FORWARDED_PROTO")
    SECURE_PROXY_SSL_HEADER = (proxy_header, "https")
X_FRAME_OPTIONS = "DENY"
# Every response may load scripts, styles and images from this origin only:
# no inline script or style, no eval, so a name that slipped through escaping
# still cannot run. The API docs page relaxes styles for itself (api/system.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True

# -- Abuse limits (issue 11) --
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# none by default, so the client is REMOTE_ADDR and a forged header changes nothing.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:  # a typo here would otherwise fail every request that asks who the client is
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network") from None
# Sign-ins (site and admin): after LOGIN_FAILURE_LIMIT failures for one username from one
# address, even the right password is refused for LOGIN_COOLOFF_MINUTES (each try while locked restarts
# it; 0: until an administrator deletes the attempt in the admin); a success resets the count.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 10)
LOGIN_COOLOFF_MINUTES = envint("LOGIN_COOLOFF_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_address"
AXES_LOCKOUT_CALLABLE = "pages.views.accounts.locked_out"
# API rate limits ("N/s|min|hour|day", empty: off), counted in the database so all workers share them
# (api/throttles.py): per user whichever token; per address for anonymous calls; failed token checks
# per address, past which even a right token is answered 429 until the window ends.
API_RATE_LIMIT_USER = os.environ.get("API_RATE_LIMIT_USER", "6000/min")
API_RATE_LIMIT_ANON = os.environ.get("API_RATE_LIMIT_ANON", "600/min")
API_RATE_LIMIT_FAILED_AUTH = os.environ.get("API_RATE_LIMIT_FAILED_AUTH", "100/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    # JSON only, with the API's size, depth and value limits (api/parsing.py).
    "DEFAULT_PARSER_CLASSES": ["api.parsing.JSONParser", "api.parsing.JSONPatchParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.PerUser", "api.throttles.PerAddress"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ModelAtlas API",
    "DESCRIPTION": "OpenMetadata-compatible catalogue of machine-learning models.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # api.openapi writes enumerations where they apply; the default hook would
    # move them into components named after colliding field names.
    "POSTPROCESSING_HOOKS": [],
}

# The version /api/v1/system/version reports. The OpenMetadata SDK refuses to
# talk to a server whose major.minor differs from its own.
OM_COMPAT_VERSION = os.environ.get("OM_COMPAT_VERSION", "2.0.7")
# Lifecycle statuses a model version enters only with an approval (by the model's owners or an approver).
MODEL_VERSION_GATED_STATUSES = [
    s.strip() for s in os.environ.get("MODEL_VERSION_GATED_STATUSES", "production").split(",") if s.strip()
]
# Tags whose presence upstream makes a model "exposed to sensitive data".
SENSITIVE_TAGS = [t for t in os.environ.get("SENSITIVE_TAGS", "PII.Sensitive").split(",") if t]
# Seconds a client is told to wait (Retry-After) when the database cannot be reached.
DATABASE_RETRY_AFTER = envint("DATABASE_RETRY_AFTER", 5)
# Seconds Graphviz may spend on one layout before the page shows a message.
GRAPHVIZ_TIMEOUT = envint("GRAPHVIZ_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
