"""The README's production environment passes ``manage.py check --deploy`` without a warning.

The environment is read from the README itself, so the documented line and
the settings cannot drift apart: a switch dropped from either fails here.
"""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]

#: What a deployer puts where the README writes "…": realistic, never connected to.
PLACEHOLDERS = {
    "DATABASE_URL": "postgresql://modelatlas:secret@db.internal:5432/modelatlas",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SECRETS_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "catalogue.example.org",
}


def production_block() -> str:
    """Return the shell block that follows the README's "Production" paragraph."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^Production, .*?```sh\n(.*?)```", readme, re.MULTILINE | re.DOTALL)
    assert found, "README.md has no 'Production, …' paragraph followed by a ```sh block"
    return found.group(1)


def production_environment() -> dict[str, str]:
    """Return the variables the block exports, placeholders filled in."""
    environment = {}
    for line in production_block().splitlines():
        words = shlex.split(line)
        if words[:1] != ["export"]:
            continue
        for assignment in words[1:]:
            name, value = assignment.split("=", 1)
            if "…" in value:
                assert name in PLACEHOLDERS, f"the README leaves {name} to the deployer; add it to PLACEHOLDERS"
                value = PLACEHOLDERS[name]
            environment[name] = value
    return environment


def check_deploy(environment):
    """Run the deploy checks in a process that sees only ``environment`` (and PATH)."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readme_documents_the_production_line_that_serves_the_app():
    block = production_block()
    assert "gunicorn -c config/gunicorn.py" in block
    assert "manage.py migrate" in block
    environment = production_environment()
    for switch in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SECRET_KEY"):
        assert switch in environment


def test_the_readme_production_environment_passes_the_deploy_checks_without_a_warning():
    result = check_deploy(production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_the_https_switches_the_deploy_checks_fail():
    """The check above can fail: the same line minus the HTTPS switches is refused."""
    environment = {k: v for k, v in production_environment().items() if not k.startswith("SECURE_")}
    result = check_deploy(environment)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


PROBE = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)  # an empty in-memory database: the API counts its calls there
client = Client(headers={"Host": "catalogue.example.org"})
plain = client.get("/api/v1/system/version")
print(plain.status_code, plain.headers.get("Location"))
proxied = client.get("/api/v1/system/version", headers={"X-Forwarded-Proto": "https"})
print(proxied.status_code, proxied.headers.get("Strict-Transport-Security"))
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)
"""


def test_behind_the_proxy_http_is_redirected_and_https_is_served_with_hsts_and_secure_cookies():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **production_environment(),
            # The production switches, but a database the probe can reach.
            "DATABASE_URL": "sqlite:///:memory:",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    plain, proxied, cookies = result.stdout.splitlines()[-3:]
    assert plain == "301 https://catalogue.example.org/api/v1/system/version"
    assert proxied == "200 max-age=31536000; includeSubDomains; preload"
    assert cookies == "True True"
