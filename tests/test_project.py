"""Project-level guarantees: settings refuse unsafe starts, migrations match the models."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run_settings(**env):
    """Import the settings in a fresh interpreter with only ``env`` configured."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_settings(DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_mode_starts_with_a_secret_key():
    assert run_settings(DEBUG="False", SECRET_KEY="s3cret").returncode == 0


def test_a_malformed_boolean_setting_is_an_error_not_a_guess():
    result = run_settings(DEBUG="yes please")
    assert result.returncode != 0
    assert "DEBUG must be True or False" in result.stderr


def test_database_url_selects_postgresql():
    result = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DEBUG": "True", "DATABASE_URL": "postgresql://u:p@127.0.0.1:5/x"},
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_every_model_change_has_a_committed_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
